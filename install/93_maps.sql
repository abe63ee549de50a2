-- Maps: vector tiles for tile servers, GeoJSON for web maps
-- and Superset, a self-contained SVG map for reports.  All three read
-- v_parcel_efficiency for one region and year, so they say what the views say.

-- The year a map shows: the one asked for, or the region's latest evaluated
-- year (NULL when it has none: the map is then empty).
CREATE FUNCTION parcel_gov.map_year(prefix text, year integer)
    RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN coalesce(year, (SELECT max(s.year) FROM parcel_gov.evaluation_summary s
                       WHERE starts_with(s.region_code, prefix)));
COMMENT ON FUNCTION parcel_gov.map_year(text, integer) IS
  'internal: the year a map of a region shows: the one given, else the region''s latest evaluated year';

-- A tile request checked: the region prefix and the year its map shows.
CREATE FUNCTION parcel_gov.tile_request(z integer, x integer, y integer, query_params json,
                                        OUT prefix text, OUT year integer)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    params json := coalesce(query_params, '{}');
BEGIN
    IF z NOT BETWEEN 0 AND 24 OR x NOT BETWEEN 0 AND (1 << z) - 1 OR y NOT BETWEEN 0 AND (1 << z) - 1 THEN
        RAISE EXCEPTION 'no tile %/%/%', z, x, y USING ERRCODE = '22023',
            HINT = 'z is 0 to 24; x and y are 0 to 2^z - 1 (XYZ tiles, y counted from the north).';
    END IF;
    IF json_typeof(params) <> 'object' THEN
        RAISE EXCEPTION 'query_params must be a JSON object, got %', json_typeof(params) USING ERRCODE = '22023',
            HINT = 'Pass {"region": "330604", "year": 2024}; both keys are optional.';
    END IF;
    IF params ->> 'year' !~ '^[0-9]{4}$' THEN
        RAISE EXCEPTION 'invalid year "%" in query_params', params ->> 'year' USING ERRCODE = '22023',
            HINT = 'Give a 4-digit year, or leave it out for the latest evaluated year.';
    END IF;
    prefix := parcel_gov.region_prefix(params ->> 'region');
    year := parcel_gov.map_year(prefix, (params ->> 'year')::integer);
END $$;
COMMENT ON FUNCTION parcel_gov.tile_request(integer, integer, integer, json) IS
  'internal: parcel_tile''s arguments checked (22023 with a hint for a tile outside its zoom, a bad region or year): the region prefix and the year shown';

-- Mapbox Vector Tile, layer "parcels", in the function-layer signature that
-- pg_tileserv and martin call: /parcel_gov.parcel_tile/{z}/{x}/{y}?region=330604&year=2024.
-- The tile's search box (with the 64-unit buffer) goes through the spatial
-- index on parcel.geom; ST_AsMVTGeom clips each parcel to the buffered tile
-- and snaps it to the 4096-unit grid of its zoom, which simplifies it and
-- drops what is smaller than a grid cell.
CREATE FUNCTION parcel_gov.parcel_tile(z integer, x integer, y integer, query_params json DEFAULT '{}')
    RETURNS bytea
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT r.prefix, r.year FROM parcel_gov.tile_request(z, x, y, query_params) AS r
    ), bounds AS (
        -- NULL outside the zoom's tiles (tile_request then says why): the
        -- planner may compute the bounds while estimating the index search,
        -- before tile_request runs, and PostGIS would fail with XX000
        SELECT CASE WHEN t.ok THEN ST_TileEnvelope(z, x, y) END AS tile,
               CASE WHEN t.ok THEN ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 4490) END AS search
        FROM (SELECT z BETWEEN 0 AND 24 AND x BETWEEN 0 AND (1 << z) - 1 AND y BETWEEN 0 AND (1 << z) - 1 AS ok) AS t
    )
    SELECT coalesce((
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid')
        FROM (
            -- plain strings: the kinds joined (a tile has no arrays)
            SELECT v.fid, v.code, v.year, v.region_code, v.holder_uscc,
                   v.holder_name, v.area_mu, v.tax_per_mu, v.va_per_mu, v.grade, v.grade_label,
                   v.tax_tier, v.kinds_text AS kinds, v.kind_labels_text AS kind_labels, v.batch,
                   v.batch_label, v.register_state, v.register_state_label,
                   ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.tile, 4096, 64, true) AS geom
            FROM parcel_gov.v_parcel_efficiency v, bounds b, request q
            WHERE v.geom && b.search AND v.year = q.year AND starts_with(v.region_code, q.prefix)
        ) AS f
        WHERE f.geom IS NOT NULL), '\x'::bytea);
END;
COMMENT ON FUNCTION parcel_gov.parcel_tile(integer, integer, integer, json) IS
  '矢量瓦片 Mapbox Vector Tile z/x/y (EPSG:3857), layer "parcels": each parcel''s code, holder, grade, tier, per-mu tax, kinds, batch and register state; query_params {"region": "330604", "year": 2024} (latest evaluated year by default); for pg_tileserv and martin';

-- GeoJSON (RFC 7946): a FeatureCollection in WGS 84 longitude/latitude, one
-- feature per parcel with an integer "id" (PostGIS 3.3's ST_AsGeoJSON(record)
-- has no id argument), exterior rings counter-clockwise.
CREATE FUNCTION parcel_gov.parcels_geojson(region text, year integer DEFAULT NULL)
    RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT json_build_object(
             'type', 'FeatureCollection',
             'features', coalesce(json_agg(json_build_object(
                 'type', 'Feature',
                 'id', v.fid,
                 'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(v.geom, 4326)), 7)::json,
                 'properties', json_build_object(
                     'code', v.code, 'year', v.year, 'region_code', v.region_code,
                     'holder_uscc', v.holder_uscc, 'holder_name', v.holder_name, 'area_mu', v.area_mu,
                     'tax_per_mu', v.tax_per_mu, 'va_per_mu', v.va_per_mu, 'grade', v.grade,
                     'grade_label', v.grade_label, 'tax_tier', v.tax_tier, 'kinds', v.kinds,
                     'kind_labels', v.kind_labels, 'batch', v.batch, 'batch_label', v.batch_label,
                     'register_state', v.register_state, 'register_state_label', v.register_state_label))
                 ORDER BY v.code), '[]'::json))
    FROM parcel_gov.v_parcel_efficiency v
    WHERE v.year = parcel_gov.map_year(parcel_gov.region_prefix(parcels_geojson.region), parcels_geojson.year)
      AND starts_with(v.region_code, parcel_gov.region_prefix(parcels_geojson.region));
END;
COMMENT ON FUNCTION parcel_gov.parcels_geojson(text, integer) IS
  'GeoJSON FeatureCollection (RFC 7946, WGS 84) of a region''s parcels in a year (latest evaluated by default): id = fid, properties as in v_parcel_efficiency; NULL region = every region';

-- The keys of the map's colours: fill by grade, outline by register state.
CREATE FUNCTION parcel_gov.map_grade_key()
    RETURNS TABLE (n integer, grade text, label text, colour text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT k.n, k.grade, k.label, k.colour
    FROM (VALUES (0, 'A', 'A 优先发展', '#1a9850'), (1, 'B', 'B 鼓励提升', '#a6d96a'), (2, 'C', 'C 监管调控', '#fdae61'),
                 (3, 'D', 'D 落后整治', '#d73027'), (4, NULL, '未评价 not graded', '#d9d9d9')) AS k (n, grade, label, colour);
END;
COMMENT ON FUNCTION parcel_gov.map_grade_key() IS
  'map_svg''s fill colour per grade (未评价 for none), in legend order';

CREATE FUNCTION parcel_gov.map_state_key()
    RETURNS TABLE (n integer, state parcel_gov.register_state, colour text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT k.n, k.state::parcel_gov.register_state, k.colour
    FROM (VALUES (0, 'candidate', '#984ea3'), (1, 'confirmed', '#377eb8'), (2, 'registered', '#e41a1c'),
                 (3, 'in_treatment', '#ff7f00'), (4, 'assessing', '#a65628'), (5, 'exited', '#4daf4a')) AS k (n, state, colour);
END;
COMMENT ON FUNCTION parcel_gov.map_state_key() IS
  'map_svg''s outline colour per register state, in legend order';

-- The legend below the map at height y: the grade and state keys, the
-- hatch of the blocks, a scale bar of bar_m metres at px_per_m pixels a
-- metre, and the projection.
CREATE FUNCTION parcel_gov.map_legend(y double precision, bar_m double precision, px_per_m double precision,
                                      srid integer)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('legend' AS id, 13 AS "font-size"),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes(20 + k.n * 190 AS x, map_legend.y AS y, 18 AS width, 18 AS height,
                                                        k.colour AS fill, '#888888' AS stroke)),
                    xmlelement(name text, xmlattributes(44 + k.n * 190 AS x, map_legend.y + 14 AS y), k.label))
                ORDER BY k.n) FROM parcel_gov.map_grade_key() k),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes(20 + k.n * 165 AS x, map_legend.y + 30 AS y, 18 AS width, 18 AS height,
                                                        '#f0f0f0' AS fill, k.colour AS stroke, 2.5 AS "stroke-width")),
                    xmlelement(name text, xmlattributes(44 + k.n * 165 AS x, map_legend.y + 44 AS y),
                               parcel_gov.label(k.state) || ' ' || k.state::text))
                ORDER BY k.n) FROM parcel_gov.map_state_key() k),
        xmlelement(name rect, xmlattributes(20 AS x, map_legend.y + 60 AS y, 18 AS width, 18 AS height,
                                            'url(#hatch)' AS fill, '#5a0000' AS stroke)),
        xmlelement(name text, xmlattributes(44 AS x, map_legend.y + 74 AS y),
                   '连片整治 contiguous low-efficiency block (≥ 2 parcels in the register)'),
        xmlelement(name line, xmlattributes(600 AS x1, map_legend.y + 72 AS y1, 600 + bar_m * px_per_m AS x2,
                                            map_legend.y + 72 AS y2, '#000000' AS stroke, 3 AS "stroke-width")),
        xmlelement(name text, xmlattributes(600 AS x, map_legend.y + 64 AS y), '0'),
        xmlelement(name text, xmlattributes(600 + bar_m * px_per_m AS x, map_legend.y + 64 AS y, 'middle' AS "text-anchor"),
                   CASE WHEN bar_m >= 1000 THEN (bar_m / 1000)::text || ' km' ELSE bar_m::text || ' m' END),
        xmlelement(name text, xmlattributes(20 AS x, map_legend.y + 100 AS y, 11 AS "font-size", '#777777' AS fill),
                   CASE WHEN srid = 3857 THEN 'Web Mercator (EPSG:3857)'
                        ELSE format('CGCS2000 / 3-degree Gauss-Kruger CM %sE (EPSG:%s)', (srid - 4534 + 25) * 3, srid) END
                   || ' · 北 north up · parcel_gov'));
END;
COMMENT ON FUNCTION parcel_gov.map_legend(double precision, double precision, double precision, integer) IS
  'map_svg''s legend at height y: grade fills, register outlines, the block hatch, a scale bar of bar_m metres and the projection';

-- A self-contained SVG map of a region in a year: parcels filled by grade,
-- register parcels outlined by state, contiguous blocks still in the register
-- hatched, a legend and a scale bar.  Drawn in the CGCS2000 3-degree
-- Gauss-Krüger zone of the region's centre (EPSG:4534 for 75°E … 4554 for
-- 135°E; Web Mercator outside them), so shapes and the scale bar are true.
-- Built with PostgreSQL's XML functions, which escape every name.  Steps:
-- the request, the zone, the parcels projected into it once, the frame
-- that fits them, then the document.
CREATE FUNCTION parcel_gov.map_svg(region text, year integer DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT q.prefix, parcel_gov.map_year(q.prefix, map_svg.year) AS year,
               coalesce((SELECT r.name FROM parcel_gov.region r WHERE r.code = map_svg.region),
                        map_svg.region, '全部 all regions') AS title
        FROM (SELECT parcel_gov.region_prefix(map_svg.region) AS prefix) AS q
    ), parcels AS (
        SELECT v.* FROM parcel_gov.v_parcel_efficiency v, request q
        WHERE v.year = q.year AND starts_with(v.region_code, q.prefix)
    ), zone AS (
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(p.geom) AS box FROM parcels p) AS e) AS z
    ), projected AS MATERIALIZED (
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state,
               ST_Transform(p.geom, zone.srid) AS geom
        FROM parcels p, zone
    ), frame AS (
        -- metres of the zone; s = pixels per metre: the map fits 960 × 800 pixels;
        -- the legend starts below the map; the scale bar is 1, 2 or 5 × 10^k metres, at most a fifth of the map
        SELECT f.x0, f.y1, f.s, 70 + f.h * f.s + 24 AS legend_y,
               coalesce((SELECT max(m * 10 ^ k) FROM unnest('{1,2,5}'::float8[]) AS m, generate_series(0, 7) AS k
                         WHERE m * 10 ^ k <= f.w / 5), 1) AS bar_m
        FROM (SELECT b.x0, b.y1, b.w, b.h, least(960 / b.w, 800 / b.h) AS s
              FROM (SELECT coalesce(ST_XMin(e.box), 0) AS x0, coalesce(ST_YMax(e.box), 0) AS y1,
                           greatest(ST_XMax(e.box) - ST_XMin(e.box), 1) AS w, greatest(ST_YMax(e.box) - ST_YMin(e.box), 1) AS h
                    FROM (SELECT ST_Extent(p.geom) AS box FROM projected p) AS e) AS b) AS f
    ), drawn AS (
        -- to pixels: x right from the map's west edge, y down from its north edge (ST_AsSVG negates y)
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state,
               ST_AsSVG(ST_Affine(p.geom, f.s, 0, 0, f.s, 20 - f.x0 * f.s, -(70 + f.y1 * f.s)), 0, 1) AS d
        FROM projected p, frame f
    ), blocks AS (
        SELECT c.parcels, c.area_mu,
               ST_AsSVG(ST_Affine(ST_Transform(c.geom, zone.srid), f.s, 0, 0, f.s, 20 - f.x0 * f.s, -(70 + f.y1 * f.s)), 0, 1) AS d
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone, frame f
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1000 AS width, ceil(f.legend_y + 110) AS height,
                      format('0 0 1000 %s', ceil(f.legend_y + 110)) AS "viewBox",
                      'Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif' AS "font-family"),
        xmlelement(name defs,
            xmlelement(name pattern, xmlattributes('hatch' AS id, 8 AS width, 8 AS height, 'userSpaceOnUse' AS "patternUnits",
                                                   'rotate(45)' AS "patternTransform"),
                xmlelement(name line, xmlattributes(0 AS x1, 0 AS y1, 0 AS x2, 8 AS y2, '#5a0000' AS stroke, 2 AS "stroke-width")))),
        xmlelement(name rect, xmlattributes('100%' AS width, '100%' AS height, '#ffffff' AS fill)),
        xmlelement(name text, xmlattributes(20 AS x, 34 AS y, 22 AS "font-size", 'bold' AS "font-weight"),
                   format('%s %s 年亩均效益评价 per-mu efficiency by grade', q.title, coalesce(q.year::text, '—'))),
        xmlelement(name text, xmlattributes(20 AS x, 56 AS y, 13 AS "font-size", '#555555' AS fill),
                   format('%s 宗地 parcels · 低效在库 outlined by register state · 连片整治 hatched',
                          (SELECT count(*) FROM drawn))),
        xmlelement(name g, xmlattributes('parcels' AS id, 'evenodd' AS "fill-rule", 'round' AS "stroke-linejoin"),
            (SELECT xmlagg(xmlelement(name path, xmlattributes(
                        'parcel' AS class, d.code AS "data-code", coalesce(d.grade::text, 'none') AS "data-grade",
                        d.register_state AS "data-state", d.d AS d,
                        (SELECT k.colour FROM parcel_gov.map_grade_key() k WHERE k.grade IS NOT DISTINCT FROM d.grade::text) AS fill,
                        coalesce((SELECT k.colour FROM parcel_gov.map_state_key() k WHERE k.state::text = d.register_state), '#ffffff') AS stroke,
                        CASE WHEN d.register_state IN ('exited', 'rejected') OR d.register_state IS NULL THEN 0.6 ELSE 2.2 END
                          AS "stroke-width"),
                    xmlelement(name title, concat_ws(' · ', d.code, d.holder_name, coalesce(d.grade_label, '未评价'),
                                                     format('亩均税收 %s 万元/亩', round(d.tax_per_mu::numeric, 2)),
                                                     parcel_gov.label(d.register_state::parcel_gov.register_state))))
                    ORDER BY d.code) FROM drawn d)),
        xmlelement(name g, xmlattributes('blocks' AS id, 'evenodd' AS "fill-rule"),
            (SELECT xmlagg(xmlelement(name path, xmlattributes('block' AS class, b.d AS d, 'url(#hatch)' AS fill,
                                                              '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.d) FROM blocks b)),
        parcel_gov.map_legend(f.legend_y, f.bar_m, f.s, zone.srid))::text
    FROM request q, zone, frame f;
END;
COMMENT ON FUNCTION parcel_gov.map_svg(text, integer) IS
  '专题图 SVG map of a region''s parcels in a year (latest evaluated by default): filled by grade, register parcels outlined by state, 连片整治 blocks hatched, legend and scale bar in Chinese and English';
