-- parcel_gov 1.1.0 → 1.2.0: roles, region grants and row-level security.
-- Built by the Makefile: this head, then the install/ files that 1.2.0 added
-- or changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.2.0'" to load this file. \quit

-- evaluate() checks the caller's regions: dropped here, created again by
-- install/85_evaluate.sql (with the engine's entry point beside it).
DROP FUNCTION parcel_gov.evaluate(integer, text);
DROP FUNCTION parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[]);

-- The clusters check their distance and run under a fixed search_path
-- (ST_Transform's spatial_ref_sys lookup resolves "=" by the one in force):
-- they move to install/94_clusters.sql, and the maps built on them are
-- created again after them by install/95_maps.sql; install/97 puts back the
-- view's column comments.
DROP FUNCTION parcel_gov.map_svg(text, integer);
DROP FUNCTION parcel_gov.parcels_geojson(text, integer);
DROP FUNCTION parcel_gov.parcel_tile(integer, integer, integer, json);
DROP FUNCTION parcel_gov.tile_request(integer, integer, integer, json);
DROP FUNCTION parcel_gov.map_year(text, integer);
DROP VIEW parcel_gov.v_low_efficiency_clusters;
DROP FUNCTION parcel_gov.low_efficiency_clusters(double precision);
-- evaluate(year, region): the yearly per-mu evaluation.  The checks, the
-- lock and the run's log are here; the work is the C engine's
-- (src/eval_engine.h): it reads each table once, joins on packed codes,
-- scores and grades with the same arithmetic as the SQL pieces
-- (indicators_agg, ratio_score, minmax_score, quota_grade), writes only the
-- evaluation rows that changed and brings the register in line.

CREATE FUNCTION parcel_gov.evaluate_run(year integer, prefix text, started timestamp with time zone,
        tier_bounds double precision[],
        OUT firms integer, OUT graded integer, OUT changed bigint, OUT entered bigint)
    AS 'MODULE_PATHNAME', 'evaluate_run'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    -- its queries are simple scans: compiling them would cost more than running them
    SET jit = off;
COMMENT ON FUNCTION parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[]) IS
  'The engine of evaluate(), called by it after its checks and under its lock: evaluates a year for a region prefix, writes the evaluation rows that changed with their benchmarks and summaries (tiers by tier_bounds) and syncs the register; returns how many firms were evaluated and graded, rows changed and parcels entered';

CREATE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    started constant timestamptz := clock_timestamp();
    run record;
BEGIN
    IF y IS NULL THEN
        RAISE EXCEPTION 'evaluate: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate(2024) or parcel_gov.evaluate(2024, ''330604'').';
    END IF;
    -- Row-level security would hide another region's rows from the run; say so instead.
    IF NOT prefix ^@ ANY (parcel_gov.visible_prefixes()) THEN
        RAISE EXCEPTION 'evaluate: region % is not granted to %', coalesce(nullif(prefix, ''), 'all regions'), current_user
            USING ERRCODE = '42501',
            HINT = 'Evaluate a region you were granted (parcel_gov.visible_prefixes()); parcel_gov_admin grants regions with region_grant().';
    END IF;
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM pg_advisory_xact_lock(hashtext('parcel_gov.evaluate'), y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    -- the summary's tax tiers are tax_tier()'s default, the Shaoxing 5/10/15 万元/亩
    SELECT * INTO run FROM parcel_gov.evaluate_run(y, prefix, started, '{5,10,15}');

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, run.firms, run.graded, run.changed);
    RETURN run.graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded';
-- Contiguous low-efficiency blocks (连片整治): the parcels still in the register
-- merged where they lie within a distance of each other.

-- The distance checked: PostGIS would stop on a non-positive one with an
-- internal error (XX000); say what is wrong instead.
CREATE FUNCTION parcel_gov.cluster_distance(distance_m double precision)
    RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF distance_m IS NULL OR distance_m < 0 OR distance_m = 'NaN' OR distance_m > 100000 THEN
        RAISE EXCEPTION 'cluster distance must be 0 to 100000 metres, got %', coalesce(distance_m::text, 'NULL')
            USING ERRCODE = '22023',
            HINT = 'Give the distance in metres within which parcels join one block (50 by default; 0 = touching).';
    END IF;
    RETURN distance_m;
END $$;
COMMENT ON FUNCTION parcel_gov.cluster_distance(double precision) IS
  'internal: a 连片整治 distance checked (0 to 100000 metres), else 22023';

-- Low-efficiency parcels still in the register, merged into blocks where they
-- touch or lie within distance_m of each other.
CREATE FUNCTION parcel_gov.low_efficiency_clusters(distance_m double precision DEFAULT 50)
    RETURNS TABLE (fid bigint, region_code text, parcels integer, area_mu double precision,
                   parcel_codes text[], geom geometry(MultiPolygon, 4490), lon double precision, lat double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- ST_Transform looks the SRID up in spatial_ref_sys with an unqualified
    -- "=": under the caller's search_path a shadowing operator would run
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH active AS (
        SELECT p.code, p.region_code, p.area_mu, p.geom,
               -- metres on Web Mercator, scaled by the latitude: close enough to join neighbours
               -- (ST_ClusterDBSCAN wants a positive distance: 0, touching, as a millimetre)
               ST_ClusterDBSCAN(ST_Transform(p.geom, 3857),
                                greatest(parcel_gov.cluster_distance(low_efficiency_clusters.distance_m), 0.001)
                                  / cos(radians(ST_Y(ST_Centroid(p.geom)))), 1)
                 OVER (PARTITION BY p.region_code) AS cluster
        FROM parcel_gov.register r JOIN parcel_gov.parcel p ON p.code = r.parcel_code
        WHERE r.state NOT IN ('exited', 'rejected')
    ), blocks AS (
        SELECT a.region_code, a.cluster, count(*)::integer AS parcels, sum(a.area_mu) AS area_mu,
               array_agg(a.code::text ORDER BY a.code) AS parcel_codes,
               ST_Multi(ST_CollectionExtract(ST_Union(a.geom), 3))::geometry(MultiPolygon, 4490) AS geom
        FROM active a GROUP BY a.region_code, a.cluster
    )
    SELECT row_number() OVER (ORDER BY b.region_code, b.parcel_codes[1]), b.region_code, b.parcels, b.area_mu,
           b.parcel_codes, b.geom,
           ST_X(ST_Transform(ST_PointOnSurface(b.geom), 4326)), ST_Y(ST_Transform(ST_PointOnSurface(b.geom), 4326))
    FROM blocks b;
END;
COMMENT ON FUNCTION parcel_gov.low_efficiency_clusters(double precision) IS
  '连片整治: parcels in the register (not exited or rejected) merged into blocks where they lie within distance_m metres of each other, with their total area in mu';

-- (a function's result drops the geometry typmod: cast it back for geometry_columns)
CREATE VIEW parcel_gov.v_low_efficiency_clusters WITH (security_invoker = true) AS
SELECT c.fid, c.region_code, c.parcels, c.area_mu, c.parcel_codes,
       c.geom::geometry(MultiPolygon, 4490) AS geom, c.lon, c.lat
FROM parcel_gov.low_efficiency_clusters(
    coalesce(nullif(pg_catalog.current_setting('parcel_gov.cluster_distance_m', true), '')::double precision, 50)) AS c;
COMMENT ON VIEW parcel_gov.v_low_efficiency_clusters IS
  '连片整治 blocks of low-efficiency parcels in the register; parcels within parcel_gov.cluster_distance_m metres (default 50) join one block';
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
        SELECT ST_TileEnvelope(z, x, y) AS tile,
               ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 4490) AS search
    )
    SELECT coalesce((
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid')
        FROM (
            SELECT v.fid, v.code::text AS code, v.year, v.region_code, v.holder_uscc::text AS holder_uscc,
                   v.holder_name, v.area_mu, v.tax_per_mu, v.va_per_mu, v.grade::text AS grade, v.grade_label,
                   v.tax_tier, parcel_gov.label(v.kinds) AS kinds, v.batch::text AS batch,
                   parcel_gov.label(v.batch) AS batch_label, v.register_state::text AS register_state,
                   parcel_gov.label(v.register_state) AS register_state_label,
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
                     'batch', v.batch, 'batch_label', parcel_gov.label(v.batch),
                     'register_state', v.register_state,
                     'register_state_label', parcel_gov.label(v.register_state)))
                 ORDER BY v.code), '[]'::json))
    FROM parcel_gov.v_parcel_efficiency v
    WHERE v.year = parcel_gov.map_year(parcel_gov.region_prefix(parcels_geojson.region), parcels_geojson.year)
      AND starts_with(v.region_code, parcel_gov.region_prefix(parcels_geojson.region));
END;
COMMENT ON FUNCTION parcel_gov.parcels_geojson(text, integer) IS
  'GeoJSON FeatureCollection (RFC 7946, WGS 84) of a region''s parcels in a year (latest evaluated by default): id = fid, properties as in v_parcel_efficiency; NULL region = every region';

-- A self-contained SVG map of a region in a year: parcels filled by grade,
-- register parcels outlined by state, contiguous blocks still in the register
-- hatched, a legend and a scale bar.  Drawn in the CGCS2000 3-degree
-- Gauss-Krüger zone of the region's centre (EPSG:4534 for 75°E … 4554 for
-- 135°E; Web Mercator outside them), so shapes and the scale bar are true.
-- Built with PostgreSQL's XML functions, which escape every name.
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
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid, z.cm * 3 AS meridian
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(p.geom) AS box FROM parcels p) AS e) AS z
    ), frame AS (
        -- metres of the zone; s = pixels per metre: the map fits 960 × 800 pixels
        SELECT f.x0, f.y1, f.w, f.h, least(960 / f.w, 800 / f.h) AS s
        FROM (SELECT coalesce(ST_XMin(e.box), 0) AS x0, coalesce(ST_YMax(e.box), 0) AS y1,
                     greatest(ST_XMax(e.box) - ST_XMin(e.box), 1) AS w, greatest(ST_YMax(e.box) - ST_YMin(e.box), 1) AS h
              FROM (SELECT ST_Extent(ST_Transform(p.geom, zone.srid)) AS box FROM parcels p, zone) AS e) AS f
    ), layout AS (
        -- the legend starts below the map; the scale bar is 1, 2 or 5 × 10^k metres, at most a fifth of the map
        SELECT f.*, 70 + f.h * f.s + 24 AS legend_y,
               coalesce((SELECT max(m * 10 ^ k) FROM unnest('{1,2,5}'::float8[]) AS m, generate_series(0, 7) AS k
                         WHERE m * 10 ^ k <= f.w / 5), 1) AS bar_m
        FROM frame f
    ), drawn AS (
        -- to pixels: x right from the map's west edge, y down from its north edge (ST_AsSVG negates y)
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state,
               ST_AsSVG(ST_Affine(ST_Transform(p.geom, zone.srid), l.s, 0, 0, l.s, 20 - l.x0 * l.s, -(70 + l.y1 * l.s)), 0, 1) AS d
        FROM parcels p, zone, layout l
    ), blocks AS (
        SELECT c.parcels, c.area_mu,
               ST_AsSVG(ST_Affine(ST_Transform(c.geom, zone.srid), l.s, 0, 0, l.s, 20 - l.x0 * l.s, -(70 + l.y1 * l.s)), 0, 1) AS d
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone, layout l
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    ), grade_key (n, grade, label, colour) AS (
        VALUES (0, 'A', 'A 优先发展', '#1a9850'), (1, 'B', 'B 鼓励提升', '#a6d96a'), (2, 'C', 'C 监管调控', '#fdae61'),
               (3, 'D', 'D 落后整治', '#d73027'), (4, NULL, '未评价 not graded', '#d9d9d9')
    ), state_key (n, state, colour) AS (
        VALUES (0, 'candidate'::parcel_gov.register_state, '#984ea3'), (1, 'confirmed', '#377eb8'),
               (2, 'registered', '#e41a1c'), (3, 'in_treatment', '#ff7f00'), (4, 'assessing', '#a65628'),
               (5, 'exited', '#4daf4a')
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1000 AS width, ceil(l.legend_y + 110) AS height,
                      format('0 0 1000 %s', ceil(l.legend_y + 110)) AS "viewBox",
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
                        (SELECT k.colour FROM grade_key k WHERE k.grade IS NOT DISTINCT FROM d.grade::text) AS fill,
                        coalesce((SELECT k.colour FROM state_key k WHERE k.state = d.register_state), '#ffffff') AS stroke,
                        CASE WHEN d.register_state IN ('exited', 'rejected') OR d.register_state IS NULL THEN 0.6 ELSE 2.2 END
                          AS "stroke-width"),
                    xmlelement(name title, concat_ws(' · ', d.code, d.holder_name, coalesce(d.grade_label, '未评价'),
                                                     format('亩均税收 %s 万元/亩', round(d.tax_per_mu::numeric, 2)),
                                                     parcel_gov.label(d.register_state))))
                    ORDER BY d.code) FROM drawn d)),
        xmlelement(name g, xmlattributes('blocks' AS id, 'evenodd' AS "fill-rule"),
            (SELECT xmlagg(xmlelement(name path, xmlattributes('block' AS class, b.d AS d, 'url(#hatch)' AS fill,
                                                              '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.d) FROM blocks b)),
        xmlelement(name g, xmlattributes('legend' AS id, 13 AS "font-size"),
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes(20 + k.n * 190 AS x, l.legend_y AS y, 18 AS width, 18 AS height,
                                                            k.colour AS fill, '#888888' AS stroke)),
                        xmlelement(name text, xmlattributes(44 + k.n * 190 AS x, l.legend_y + 14 AS y), k.label))
                    ORDER BY k.n) FROM grade_key k),
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes(20 + k.n * 165 AS x, l.legend_y + 30 AS y, 18 AS width, 18 AS height,
                                                            '#f0f0f0' AS fill, k.colour AS stroke, 2.5 AS "stroke-width")),
                        xmlelement(name text, xmlattributes(44 + k.n * 165 AS x, l.legend_y + 44 AS y),
                                   parcel_gov.label(k.state) || ' ' || k.state::text))
                    ORDER BY k.n) FROM state_key k),
            xmlelement(name rect, xmlattributes(20 AS x, l.legend_y + 60 AS y, 18 AS width, 18 AS height,
                                                'url(#hatch)' AS fill, '#5a0000' AS stroke)),
            xmlelement(name text, xmlattributes(44 AS x, l.legend_y + 74 AS y),
                       '连片整治 contiguous low-efficiency block (≥ 2 parcels in the register)'),
            xmlelement(name line, xmlattributes(600 AS x1, l.legend_y + 72 AS y1, 600 + l.bar_m * l.s AS x2,
                                                l.legend_y + 72 AS y2, '#000000' AS stroke, 3 AS "stroke-width")),
            xmlelement(name text, xmlattributes(600 AS x, l.legend_y + 64 AS y), '0'),
            xmlelement(name text, xmlattributes(600 + l.bar_m * l.s AS x, l.legend_y + 64 AS y, 'middle' AS "text-anchor"),
                       CASE WHEN l.bar_m >= 1000 THEN (l.bar_m / 1000)::text || ' km' ELSE l.bar_m::text || ' m' END),
            xmlelement(name text, xmlattributes(20 AS x, l.legend_y + 100 AS y, 11 AS "font-size", '#777777' AS fill),
                       CASE WHEN zone.srid = 3857 THEN 'Web Mercator (EPSG:3857)'
                            ELSE format('CGCS2000 / 3-degree Gauss-Kruger CM %sE (EPSG:%s)', zone.meridian, zone.srid) END
                       || ' · 北 north up · parcel_gov')))::text
    FROM request q, zone, layout l;
END;
COMMENT ON FUNCTION parcel_gov.map_svg(text, integer) IS
  '专题图 SVG map of a region''s parcels in a year (latest evaluated by default): filled by grade, register parcels outlined by state, 连片整治 blocks hatched, legend and scale bar in Chinese and English';
-- Every column BI tools and analysts see carries a comment, Chinese term
-- first: Superset, Metabase and FineBI show them as column
-- descriptions, QGIS as field tooltips.  One text per column name, the same
-- in every view; a view column this list does not name fails the install, so
-- a new column cannot ship without its words.
DO $$
DECLARE
    missing text;
BEGIN
    FOR missing IN
        WITH words (name, words) AS (VALUES
      ('fid', '要素编号: stable integer key of the row (QGIS primary key, vector-tile feature id)'),
      ('year', '评价年度: evaluation year'),
      ('code', '宗地代码: parcel code (GB/T 37346-2019, 一码管地)'),
      ('parcel_code', '宗地代码: parcel code (GB/T 37346-2019, 一码管地)'),
      ('parcel_codes', '宗地代码: the block''s parcel codes'),
      ('parcels', '宗地数: number of parcels'),
      ('uscc', '统一社会信用代码: unified social credit code of the firm'),
      ('name', '名称: name'),
      ('region_code', '行政区划代码: region code (GB/T 2260)'),
      ('region_name', '行政区划名称: region name'),
      ('level', '层级: province, city or county'),
      ('industry_code', '国民经济行业代码: industry (GB/T 4754)'),
      ('industry_group', '行业分组: industry group of the rule set'),
      ('pool', '分组: evaluation pool, above 规上 or below 规下'),
      ('pool_label', '分组: 规上 or 规下'),
      ('pool_size', '分组企业数: firms graded in the pool'),
      ('rule_set_id', '评价规则: rule set applied'),
      ('held_mu', '使用权面积 (亩): land the firm holds'),
      ('leased_out_mu', '出租面积 (亩): land leased out'),
      ('leased_in_mu', '承租面积 (亩): land leased in'),
      ('area_mu', '用地面积 (亩): area in mu'),
      ('area_mu_change', '用地面积增减 (亩): change against the year before'),
      ('tax', '实缴税收 (万元): tax paid'),
      ('value_added', '工业增加值 (万元): value added'),
      ('revenue', '营业收入 (万元): revenue'),
      ('tax_per_mu', '亩均税收 (万元/亩): tax per mu'),
      ('tax_per_mu_change', '亩均税收增减 (万元/亩): change against the year before'),
      ('tax_per_mu_prev', '上年亩均税收 (万元/亩): tax per mu the year before'),
      ('tax_per_mu_prev2', '前年亩均税收 (万元/亩): tax per mu two years before'),
      ('va_per_mu', '亩均增加值 (万元/亩): value added per mu'),
      ('va_per_mu_change', '亩均增加值增减 (万元/亩): change against the year before'),
      ('revenue_per_mu', '亩均营业收入 (万元/亩): revenue per mu'),
      ('labour_productivity', '全员劳动生产率 (万元/人): value added per employee'),
      ('va_per_energy', '单位能耗增加值 (万元/吨标煤): value added per tonne of coal equivalent'),
      ('va_per_emission', '单位排放增加值 (万元/吨): value added per tonne of emissions'),
      ('rd_intensity', 'R&D经费支出占比 (%): R&D spending as a share of revenue'),
      ('tax_per_kwh', '单位电耗税收: tax per unit of electricity'),
      ('score_tax_per_mu', '亩均税收得分: indicator score'),
      ('score_va_per_mu', '亩均增加值得分: indicator score'),
      ('score_revenue_per_mu', '亩均营业收入得分: indicator score'),
      ('score_labour_productivity', '全员劳动生产率得分: indicator score'),
      ('score_va_per_energy', '单位能耗增加值得分: indicator score'),
      ('score_va_per_emission', '单位排放增加值得分: indicator score'),
      ('score_rd_intensity', 'R&D经费支出占比得分: indicator score'),
      ('score_tax_per_kwh', '单位电耗税收得分: indicator score'),
      ('bonus', '加分: bonus points'),
      ('deduction', '减分: deduction points'),
      ('rental_deduction', '出租扣分: deduction for land leased out'),
      ('rank', '排名: rank in the pool by score'),
      ('rank_in_region', '县内排名: rank within the county by tax per mu (领跑园区)'),
      ('rank_overall', '全省排名: rank among all parks by tax per mu'),
      ('grade', '评价等级: grade A/B/C/D'),
      ('grade_label', '等级名称: 优先发展 A, 鼓励提升 B, 监管调控 C, 落后整治 D'),
      ('grade_a', 'A类企业数: firms graded A (优先发展)'),
      ('grade_b', 'B类企业数: firms graded B (鼓励提升)'),
      ('grade_c', 'C类企业数: firms graded C (监管调控)'),
      ('grade_d', 'D类企业数: firms graded D (落后整治)'),
      ('firms', '企业数: firms evaluated'),
      ('graded', '参评企业数: firms graded'),
      ('not_graded', '未评企业数 / 未评: not graded (exempt 不参评, under the land floor)'),
      ('veto_reason', '一票否决原因: veto reason (grade D)'),
      ('evaluated_at', '评价时间: when evaluate() wrote the row'),
      ('tax_tier', '亩均税收分档: 1 <5 重点排查, 2 <10 重点检查, 3 <15 重点指导, 0 ≥15 万元/亩'),
      ('tax_tier_label', '分档名称: tax-per-mu tier label'),
      ('tier_0', '亩均税收 ≥15 万元/亩的企业数'),
      ('tier_1', '亩均税收 <5 万元/亩的企业数 (重点排查)'),
      ('tier_2', '亩均税收 5–10 万元/亩的企业数 (重点检查)'),
      ('tier_3', '亩均税收 10–15 万元/亩的企业数 (重点指导)'),
      ('persistent_low_tax', '连续三年亩均税收低 (桐庐): under the line three years running'),
      ('still_below_3y', '三年仍规下 (金东): still 规下 after three years'),
      ('capacity_doubling_candidate', '亩产倍增候选 (金东): capacity-doubling candidate'),
      ('holder_uscc', '土地使用权人代码: holder''s unified social credit code'),
      ('holder_name', '土地使用权人: holder''s name'),
      ('holder_evaluated', '使用权人已评价: the holder has an evaluation this year'),
      ('role', '用地方式: holder (自有) or lessee (承租)'),
      ('park_id', '园区编号: park id'),
      ('kinds', '低效类型: low-efficiency kinds'),
      ('kind_labels', '低效类型名称: low-efficiency kinds in Chinese'),
      ('batch', '四个一批: batch (拆除重建, 整治提升, 功能转型, 关停退出)'),
      ('batch_label', '四个一批名称: batch in Chinese'),
      ('state', '入库状态: register state (调查核实 … 出库)'),
      ('state_label', '入库状态名称: register state in Chinese'),
      ('register_state', '低效用地库状态: register state, empty when not in the register'),
      ('state_since', '状态起始时间: when the parcel entered its state'),
      ('days_in_state', '处于该状态天数: days in the current state'),
      ('entered_at', '入库时间: when the parcel was registered (建档入库)'),
      ('exited_at', '出库时间: when the parcel left the register (出库)'),
      ('exit_reason', '出库原因: exit reason'),
      ('clears_thresholds', '达标: the latest evaluation clears the exit thresholds'),
      ('evaluated_year', '最近评价年度: latest evaluated year the register knows'),
      ('plan', '整治方案: treatment plan'),
      ('deadline', '整治期限: treatment deadline'),
      ('geom', '空间范围: geometry, CGCS2000 (EPSG:4490) MultiPolygon'),
      ('lon', '经度 (WGS 84): longitude of a point on the surface, for BI maps'),
      ('lat', '纬度 (WGS 84): latitude of a point on the surface, for BI maps'))
        SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', n.nspname, c.relname, a.attname, w.words)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN words w ON w.name = a.attname
        WHERE n.nspname = 'parcel_gov' AND c.relkind = 'v'
          AND col_description(c.oid, a.attnum) IS NULL
    LOOP
        EXECUTE missing;
    END LOOP;
    SELECT string_agg(c.relname || '.' || a.attname, ', ') INTO missing
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'parcel_gov' AND c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'view columns without a comment: %', missing;
    END IF;
END $$;
-- Roles and row-level security (README: Roles).  Four group roles, created
-- here when missing (roles belong to the cluster: DROP EXTENSION leaves
-- them), each with the least it needs:
--   parcel_gov_reader    read the tables and views of its regions (BI accounts)
--   parcel_gov_analyst   + evaluate() and evaluation_discard() for its regions
--   parcel_gov_operator  + the register's transitions, parcels, firms, leases and figures of its regions
--   parcel_gov_admin     every region, the rules, the regions, the grants
-- A login role gets its regions from region_grant(role, prefix): a grant of
-- a city (3306) covers its counties.  Superusers and the tables' owner are
-- not limited by row-level security, as PostgreSQL has it.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['parcel_gov_reader', 'parcel_gov_analyst', 'parcel_gov_operator', 'parcel_gov_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
GRANT parcel_gov_reader TO parcel_gov_analyst, parcel_gov_operator;
GRANT parcel_gov_analyst, parcel_gov_operator TO parcel_gov_admin;

-- Which roles see which regions: a configuration table, dumped with the data,
-- so the policies below (created by this script, as pg_dump does not keep
-- policies on extension tables) find their grants again after a restore.
CREATE TABLE parcel_gov.role_region (
    role_name     name NOT NULL,
    region_prefix text NOT NULL CONSTRAINT role_region_prefix_digits CHECK (region_prefix ~ '^([0-9]{2}){1,3}$'),
    granted_by    name NOT NULL DEFAULT current_user,
    granted_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (role_name, region_prefix)
);
COMMENT ON TABLE parcel_gov.role_region IS
  '区域授权 (region grants): the regions a role may see and change, by code prefix (33 province, 3306 city, 330604 county); written by region_grant() and region_revoke()';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.role_region', '');

-- The code prefixes the current user may see: '' (everything) for members of
-- parcel_gov_admin, else the prefixes granted to any role it is a member of.
CREATE FUNCTION parcel_gov.visible_prefixes()
    RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN pg_has_role('parcel_gov_admin', 'MEMBER') THEN ARRAY['']
                ELSE coalesce(array_agg(g.region_prefix), '{}') END
    FROM parcel_gov.role_region g
    WHERE g.role_name IN (SELECT r.rolname FROM pg_roles r WHERE pg_has_role(r.oid, 'MEMBER'));
END;
COMMENT ON FUNCTION parcel_gov.visible_prefixes() IS
  'the region code prefixes the current user may see and change ('''' = every region, for parcel_gov_admin); what the row-level security policies read';

CREATE FUNCTION parcel_gov.region_grant(role_name name, region_prefix text)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prefix text;
BEGIN
    IF role_name IS NULL OR NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = region_grant.role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = '42704',
            HINT = 'Create the role first (CREATE ROLE … IN ROLE parcel_gov_reader), then grant it regions.';
    END IF;
    IF region_prefix IS NULL THEN
        RAISE EXCEPTION 'region_grant needs a region' USING ERRCODE = '22004',
            HINT = 'For every region, make the role a member of parcel_gov_admin instead.';
    END IF;
    prefix := parcel_gov.region_prefix(region_prefix);
    INSERT INTO parcel_gov.role_region (role_name, region_prefix) VALUES (region_grant.role_name, prefix)
    ON CONFLICT DO NOTHING;
    RETURN prefix;
END $$;
COMMENT ON FUNCTION parcel_gov.region_grant(name, text) IS
  '区域授权: let a role see and change the rows of a region (330604 county, 330600 or 3306 city, 330000 or 33 province); returns the prefix stored; for parcel_gov_admin members';

CREATE FUNCTION parcel_gov.region_revoke(role_name name, region_prefix text)
    RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM parcel_gov.role_region g
    WHERE g.role_name = region_revoke.role_name AND g.region_prefix = parcel_gov.region_prefix(region_revoke.region_prefix);
    RETURN FOUND;
END $$;
COMMENT ON FUNCTION parcel_gov.region_revoke(name, text) IS
  'undo region_grant(); true when there was such a grant';

-- The policies: a row is visible and writable when its region code (or its
-- parcel's code, whose first six digits are the county) starts with a
-- visible prefix.  ARRAY(SELECT …) makes the prefixes an InitPlan: looked up
-- once per query, not per row.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('park', 'region_code'), ('parcel', 'region_code'), ('enterprise', 'region_code'),
        ('lease', 'parcel_code'), ('evaluation', 'region_code'), ('evaluation_benchmark', 'region_code'),
        ('evaluation_summary', 'region_code'), ('evaluation_run', 'region_prefix'),
        ('register', 'parcel_code'), ('register_event', 'parcel_code')) AS x(tab, col)
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE parcel_gov.%I ENABLE ROW LEVEL SECURITY', t.tab);
        EXECUTE pg_catalog.format(
            'CREATE POLICY region_rows ON parcel_gov.%I USING (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))) '
            'WITH CHECK (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))',
            t.tab, t.col, t.col);
    END LOOP;
END $$;
-- A firm's yearly figures follow the firm: visible when the firm is.
ALTER TABLE parcel_gov.enterprise_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.enterprise_year
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc));

-- Privileges.  Tables hold no PUBLIC rights; functions that write are
-- taken from PUBLIC and given to the role that needs them.
GRANT USAGE ON SCHEMA parcel_gov TO parcel_gov_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA parcel_gov TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.evaluation, parcel_gov.evaluation_benchmark,
                                parcel_gov.evaluation_summary, parcel_gov.evaluation_run TO parcel_gov_analyst;
GRANT INSERT, UPDATE ON parcel_gov.register TO parcel_gov_analyst, parcel_gov_operator;
GRANT INSERT ON parcel_gov.register_event TO parcel_gov_analyst, parcel_gov_operator;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.parcel, parcel_gov.enterprise, parcel_gov.enterprise_year,
                                parcel_gov.lease TO parcel_gov_operator;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region, parcel_gov.park, parcel_gov.rule_set, parcel_gov.rule_pool,
                                parcel_gov.rule_indicator, parcel_gov.rule_industry_group,
                                parcel_gov.role_region TO parcel_gov_admin;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluation_discard(integer, text),
                           parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]),
                           parcel_gov.evaluation_discard_rows(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluation_discard(integer, text),
                          parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]),
                          parcel_gov.evaluation_discard_rows(integer, text) TO parcel_gov_analyst;
REVOKE EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                           parcel_gov.import_parcels(regclass, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                          parcel_gov.import_parcels(regclass, text, text, text, integer) TO parcel_gov_operator;
REVOKE EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                           parcel_gov.rule_set_adopt(text, text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                          parcel_gov.rule_set_adopt(text, text, text, integer, integer) TO parcel_gov_admin;
