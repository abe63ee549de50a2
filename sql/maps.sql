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

-- SVG, the printed map: a well-formed page of 1189 × 841; one path of class
-- "parcel" per parcel (in the overview; insets draw copies of class
-- "parcel-inset"), filled by its grade; register parcels outlined;
-- contiguous blocks (≥ 2 parcels) hatched; a key column of 13 swatches
-- (5 grades, 6 register states, the hatch, the park box).
CREATE TEMP TABLE svg AS SELECT xmlparse(DOCUMENT map_svg('330604', 2024)) AS doc;
\set ns 'ARRAY[ARRAY[''s'', ''http://www.w3.org/2000/svg'']]'
SELECT (xpath('/s:svg/@width', doc, :ns))[1]::text AS width, (xpath('/s:svg/@height', doc, :ns))[1]::text AS height,
       cardinality(xpath('//s:path[@class="parcel"]', doc, :ns)) AS parcel_shapes,
       cardinality(xpath('//s:path[@class="parcel" and @data-state != "exited" and @data-state != "rejected"]', doc, :ns))
         AS outlined,
       (SELECT count(*) FROM v_parcel_efficiency WHERE year = 2024 AND region_code = '330604'
          AND register_state NOT IN ('exited', 'rejected')) AS in_register,
       cardinality(xpath('//s:path[@class="block"]', doc, :ns)) AS hatched_blocks,
       (SELECT count(*) FROM v_low_efficiency_clusters WHERE region_code = '330604' AND parcels >= 2) AS blocks,
       cardinality(xpath('//s:g[@id="key"]/s:rect[@class="swatch"]', doc, :ns)) AS key_swatches
FROM svg;
SELECT g.grade, count(*) AS shapes, (SELECT count(*) FROM v_parcel_efficiency v WHERE v.year = 2024
        AND v.region_code = '330604' AND coalesce(v.grade::text, 'none') = g.grade) AS in_view
FROM svg, unnest(xpath('//s:path[@class="parcel"]/@data-grade', doc, :ns)::text[]) AS g(grade)
GROUP BY g.grade ORDER BY g.grade;

-- The sample's three parks lie far apart: their parcels' boxes cover about
-- 9.3 km² (2.87 × 1.64, 1.91 × 1.48 and 1.91 × 0.97 km) of the 14.57 ×
-- 19.4 km = 283 km² the overview spans, 3 %, less than a quarter: an
-- overview and one inset per park, largest first, each with its name and
-- parcel count, every park labelled on the overview.
-- Scale bars (1, 2 or 5 × 10^k m, at most a fifth of the panel's map width;
-- span_m below is that width in metres, read back from the bar):
--   overview 385 px wide, its map 369 × 645 px.  In the zone of 120°E the
--     west edge lies 0.8001° east of the meridian at 30.10° N (96.31 km a
--     degree: 77.06 km), the east edge 0.9499° at 29.94° N (96.46 km: 91.63
--     km): 14,570 m across, 19.4 km high; 369 / 14,570 = 0.0253 px/m <
--     645 / 19,400: the width decides; a fifth is 2,914 m → 2,000 m
--   insets 510 × 240.3 px, maps 494 × 168.3 px, the parks' heights decide:
--     ① 2,870 × 1,642 m: 168.3 / 1,642 = 0.1025 px/m, 4,820 m across, a fifth 964 → 500 m
--     ② 1,910 × 1,478 m: 168.3 / 1,478 = 0.1139 px/m, 4,340 m across, a fifth 868 → 500 m
--     ③ 1,910 × 971 m: 168.3 / 971 = 0.1733 px/m, 2,850 m across, a fifth 570 → 500 m
-- and the bar in pixels is at most a fifth of the map's width.
CREATE TEMP VIEW panel AS
SELECT (xpath('/*/@id', p))[1]::text AS id, (xpath('/*/s:text/text()', p, :ns))[1]::text AS title,
       (xpath('/*/@data-x', p))[1]::text::float8 AS x, (xpath('/*/@data-y', p))[1]::text::float8 AS y,
       (xpath('/*/@data-width', p))[1]::text::float8 AS w, (xpath('/*/@data-height', p))[1]::text::float8 AS h,
       (xpath('/*/@data-content-y', p))[1]::text::float8 + (xpath('/*/@data-content-height', p))[1]::text::float8 AS map_bottom,
       (xpath('/*/s:g[@class="scale-bar"]/@data-metres', p, :ns))[1]::text::float8 AS bar_m,
       (SELECT sum(r::text::float8) FROM unnest(xpath('/*/s:g[@class="scale-bar"]/s:rect/@width', p, :ns)) AS r) AS bar_px,
       (xpath('/*/s:g[@class="scale-bar"]/@data-x', p, :ns))[1]::text::float8 AS bar_x,
       (xpath('/*/s:g[@class="scale-bar"]/@data-y', p, :ns))[1]::text::float8 AS bar_y,
       (xpath('/*/s:g[@class="scale-bar"]/@data-width', p, :ns))[1]::text::float8 AS bar_w,
       (xpath('/*/s:g[@class="scale-bar"]/@data-height', p, :ns))[1]::text::float8 AS bar_h,
       cardinality(xpath('//s:path[@class="parcel-inset"]', p, :ns)) AS inset_copies
FROM svg, unnest(xpath('//s:g[@class="panel"]', doc, :ns)) AS p;
SELECT id, title, x, round(y::numeric, 1) AS y, w, round(h::numeric, 1) AS h,
       round(((w - 16) * bar_m / bar_px)::numeric, -1) AS span_m, bar_m, bar_px <= (w - 16) / 5 AS bar_within_fifth,
       inset_copies
FROM panel ORDER BY id;
SELECT string_agg(t::text, ' | ' ORDER BY t::text) AS overview_labels
FROM svg, unnest(xpath('//s:g[@class="badge"]/s:text/text()', doc, :ns)) AS t;
-- Nothing on top of the parcels: each scale bar lies in its panel's bottom
-- strip, below the map; the key column meets no panel; badges stay in the overview.
SELECT count(*) FILTER (WHERE bar_y >= map_bottom AND bar_y + bar_h <= y + h AND bar_x >= x AND bar_x + bar_w <= x + w)
         AS bars_in_strip,
       count(*) FILTER (WHERE k.kx < x + w AND x < k.kx + k.kw AND k.ky < y + h AND y < k.ky + k.kh) AS panels_meeting_key,
       (SELECT count(*) FROM svg, unnest(xpath('//s:g[@class="badge"]', doc, :ns)) AS b
        WHERE (xpath('/*/@data-x', b))[1]::text::float8 < 20 OR (xpath('/*/@data-x', b))[1]::text::float8
              + (xpath('/*/@data-width', b))[1]::text::float8 > 405) AS badges_outside_overview
FROM panel, (SELECT (xpath('//s:g[@id="key"]/@data-x', doc, :ns))[1]::text::float8 AS kx,
                    (xpath('//s:g[@id="key"]/@data-y', doc, :ns))[1]::text::float8 AS ky,
                    (xpath('//s:g[@id="key"]/@data-width', doc, :ns))[1]::text::float8 AS kw,
                    (xpath('//s:g[@id="key"]/@data-height', doc, :ns))[1]::text::float8 AS kh FROM svg) AS k;

-- The same county with its (illustrative) boundary: drawn in the overview,
-- named in the key; the parks still far apart.
BEGIN;
\set ECHO none
\i demo/sample_boundary.sql
\set ON_ERROR_STOP off
\set ECHO all
SELECT cardinality(xpath('//s:g[@id="panel-0"]//s:path[@class="boundary"]', d, :ns)) AS boundaries,
       cardinality(xpath('//s:g[@class="panel"]', d, :ns)) AS panels,
       (xpath('//s:g[@id="key"]/s:text[starts-with(., "行政区划界线")]/text()', d, :ns))[1]::text AS key_entry
FROM (SELECT xmlparse(DOCUMENT map_svg('330604', 2024)) AS d) AS m;
ROLLBACK;
-- A county of one park: all the sample's parcels in park 1, parks 2 and 3
-- moved beside it (west 0.06°, north 0.08° and west 0.13°, north 0.16°).
-- The park's box is the overview: one panel fills the map area (905 × 741),
-- titled with the county and the park, no insets.
BEGIN;
UPDATE parcel SET geom = ST_Translate(geom, CASE park_id WHEN 2 THEN -0.06 ELSE -0.13 END,
                                      CASE park_id WHEN 2 THEN 0.08 ELSE 0.16 END), park_id = 1
WHERE park_id IN (2, 3);
SELECT cardinality(xpath('//s:g[@class="panel"]', d, :ns)) AS panels,
       (xpath('//s:g[@class="panel"]/@data-width', d, :ns))[1]::text AS width,
       (xpath('//s:g[@class="panel"]/s:text/text()', d, :ns))[1]::text AS title,
       cardinality(xpath('//s:path[@class="parcel"]', d, :ns)) AS parcel_shapes,
       cardinality(xpath('//s:path[@class="parcel-inset"]', d, :ns)) AS inset_copies
FROM (SELECT xmlparse(DOCUMENT map_svg('330604', 2024)) AS d) AS m;
ROLLBACK;
-- Names are escaped: a holder called <&"> still gives well-formed XML.
UPDATE enterprise SET name = '上虞<&">测试有限公司'
WHERE uscc = (SELECT holder_uscc FROM parcel WHERE code = :'first');
SELECT xml_is_well_formed_document(map_svg('330604', 2024)) AS well_formed,
       strpos(map_svg('330604', 2024), '上虞&lt;&amp;"&gt;测试有限公司') > 0 AS escaped;
-- A year with no evaluation: a map with no parcels, still a document.
SELECT xml_is_well_formed_document(map_svg('330604', 1999)) AS empty_map,
       cardinality(xpath('//s:path[@class="parcel"]', xmlparse(DOCUMENT map_svg('330604', 1999)), :ns)) AS shapes,
       cardinality(xpath('//s:g[@class="panel"]', xmlparse(DOCUMENT map_svg('330604', 1999)), :ns)) AS panels;
