-- Maps of the sample county (README, "Maps, GIS and BI tools"): the vector tile's arguments,
-- the GeoJSON as RFC 7946 wants it, the SVG as XML with one shape per parcel.
-- Coordinates are checked against the sample's first parcel, whose south-west
-- corner demo/sample_county.sql puts at 120.8001 °E, 30.1001 °N.
-- (tools/check-maps.sh decodes a tile with GDAL's MVT driver.)
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\set ECHO none
\i sql/helpers/reset_data.sql
\i demo/sample_county.sql
\i demo/register_flow.sql
\set ECHO all
\set ON_ERROR_STOP off
SET search_path = parcel_gov, public;
\set first '330604001001GB00001'

-- GeoJSON: a FeatureCollection, one feature per parcel evaluated in 2024,
-- integer ids, no "crs" member (RFC 7946 §4), MultiPolygons.
CREATE TEMP TABLE fc AS SELECT parcels_geojson('330604', 2024)::jsonb AS doc;
SELECT doc ->> 'type' AS type, doc ? 'crs' AS has_crs, jsonb_array_length(doc -> 'features') AS features,
       (SELECT count(*) FROM v_parcel_efficiency WHERE year = 2024 AND region_code = '330604') AS parcels
FROM fc;
SELECT count(*) FILTER (WHERE f ->> 'type' = 'Feature') AS features,
       count(DISTINCT (f ->> 'id')::bigint) AS distinct_ids,
       count(*) FILTER (WHERE jsonb_typeof(f -> 'id') = 'number') AS integer_ids,
       count(*) FILTER (WHERE f -> 'geometry' ->> 'type' = 'MultiPolygon') AS multipolygons
FROM fc, jsonb_array_elements(doc -> 'features') AS f;
-- Longitude first, in degrees (WGS 84): the first parcel's south-west corner.
SELECT f ->> 'id' AS id, f -> 'properties' ->> 'code' AS code,
       f -> 'geometry' -> 'coordinates' -> 0 -> 0 @> '[[120.8001, 30.1001]]' AS has_sw_corner,
       f -> 'properties' ->> 'grade' = (SELECT grade::text FROM v_parcel_efficiency WHERE code = :'first' AND year = 2024)
         AS grade_as_view
FROM fc, jsonb_array_elements(doc -> 'features') AS f WHERE f -> 'properties' ->> 'code' = :'first';
-- Every exterior ring counter-clockwise (positive shoelace sum), every ring
-- closed, every position within the county's box.
WITH ring AS (
    SELECT f ->> 'id' AS id, p.n AS polygon, r.n AS ring, r.coords
    FROM fc, jsonb_array_elements(doc -> 'features') AS f,
         jsonb_array_elements(f -> 'geometry' -> 'coordinates') WITH ORDINALITY AS p(poly, n),
         jsonb_array_elements(p.poly) WITH ORDINALITY AS r(coords, n)
), signed AS (
    SELECT id, polygon, ring, coords -> 0 = coords -> -1 AS closed,
           (SELECT sum((a.c ->> 0)::float8 * (b.c ->> 1)::float8 - (b.c ->> 0)::float8 * (a.c ->> 1)::float8)
            FROM jsonb_array_elements(coords) WITH ORDINALITY AS a(c, i)
            JOIN jsonb_array_elements(coords) WITH ORDINALITY AS b(c, i) ON b.i = a.i + 1) AS twice_area
    FROM ring
)
SELECT count(*) AS rings, count(*) FILTER (WHERE closed) AS closed,
       count(*) FILTER (WHERE ring = 1 AND twice_area > 0) AS exterior_ccw
FROM signed;
SELECT min((c ->> 0)::float8) >= 120.8 AND max((c ->> 0)::float8) <= 120.96 AS lon_in_box,
       min((c ->> 1)::float8) >= 29.94 AND max((c ->> 1)::float8) <= 30.12 AS lat_in_box
FROM fc, jsonb_array_elements(doc -> 'features') AS f,
     jsonb_array_elements(f -> 'geometry' -> 'coordinates') AS p, jsonb_array_elements(p) AS r,
     jsonb_array_elements(r) AS c;
-- The latest evaluated year by default; a year never evaluated is an empty
-- collection; a malformed region is refused.
SELECT parcels_geojson('330604')::jsonb = (SELECT doc FROM fc) AS latest_is_2024,
       parcels_geojson('330604', 1999)::text AS never_evaluated;
SELECT parcels_geojson('33060', 2024);

-- Vector tiles: z 14 over the first parcel (x 13689, y 6754), empty over the
-- sea at z 0, NULL for NULL, 22023 with a hint for what is not a tile.
SELECT length(parcel_tile(14, 13689, 6754)) > 0 AS first_parcel_tile,
       parcel_tile(14, 13689, 6754) = parcel_tile(14, 13689, 6754, '{"region": "330604", "year": 2024}') AS same_with_params,
       length(parcel_tile(14, 13689, 6754, '{"region": "330602"}')) AS other_county,
       length(parcel_tile(0, 0, 0)) AS world_at_z0,
       length(parcel_tile(14, 0, 0)) AS far_away,
       parcel_tile(NULL, 0, 0) IS NULL AS null_in_null_out;
SELECT parcel_tile(25, 0, 0);
SELECT parcel_tile(2, 4, 0);
SELECT parcel_tile(2, 0, -1);
SELECT parcel_tile(14, 13689, 6754, '[]');
SELECT parcel_tile(14, 13689, 6754, '{"year": "2024a"}');
SELECT parcel_tile(14, 13689, 6754, '{"region": "Shangyu"}');

-- SVG: well-formed XML; one path per parcel, filled by its grade; register
-- parcels outlined; contiguous blocks (≥ 2 parcels) hatched; a legend with
-- the four grades and "not graded"; a 2 km scale bar (the parcels span
-- 0.1498° of longitude at 30° N: 14.4 km, a fifth of it rounds down to 2 km).
CREATE TEMP TABLE svg AS SELECT xmlparse(DOCUMENT map_svg('330604', 2024)) AS doc;
\set ns 'ARRAY[ARRAY[''s'', ''http://www.w3.org/2000/svg'']]'
SELECT cardinality(xpath('//s:path[@class="parcel"]', doc, :ns)) AS parcel_shapes,
       cardinality(xpath('//s:path[@class="parcel" and @stroke-width="2.2"]', doc, :ns)) AS outlined,
       (SELECT count(*) FROM v_parcel_efficiency WHERE year = 2024 AND region_code = '330604'
          AND register_state NOT IN ('exited', 'rejected')) AS in_register,
       cardinality(xpath('//s:path[@class="block"]', doc, :ns)) AS hatched_blocks,
       (SELECT count(*) FROM v_low_efficiency_clusters WHERE region_code = '330604' AND parcels >= 2) AS blocks,
       cardinality(xpath('//s:g[@id="legend"]/s:rect', doc, :ns)) AS legend_swatches,
       (xpath('//s:g[@id="legend"]/s:text[@text-anchor="middle"]/text()', doc, :ns))[1]::text AS scale_bar
FROM svg;
SELECT g.grade, count(*) AS shapes, (SELECT count(*) FROM v_parcel_efficiency v WHERE v.year = 2024
        AND v.region_code = '330604' AND coalesce(v.grade::text, 'none') = g.grade) AS in_view
FROM svg, unnest(xpath('//s:path[@class="parcel"]/@data-grade', doc, :ns)::text[]) AS g(grade)
GROUP BY g.grade ORDER BY g.grade;
-- Names are escaped: a holder called <&"> still gives well-formed XML.
UPDATE enterprise SET name = '上虞<&">测试有限公司'
WHERE uscc = (SELECT holder_uscc FROM parcel WHERE code = :'first');
SELECT xml_is_well_formed_document(map_svg('330604', 2024)) AS well_formed,
       strpos(map_svg('330604', 2024), '上虞&lt;&amp;"&gt;测试有限公司') > 0 AS escaped;
-- A year with no evaluation: a map with no parcels, still a document.
SELECT xml_is_well_formed_document(map_svg('330604', 1999)) AS empty_map,
       cardinality(xpath('//s:path[@class="parcel"]', xmlparse(DOCUMENT map_svg('330604', 1999)), :ns)) AS shapes;
