-- parcel_gov 1.0.0 → 1.1.0: maps (vector tiles, GeoJSON, SVG), GIS import.
-- Built by the Makefile: this head, then the install/ files that 1.1.0 added
-- or changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.1.0'" to load this file. \quit
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
-- GIS import: parcels from the files counties hold (Shapefile or GeoJSON from
-- the natural-resources bureau, CGCS2000 geographic or Gauss-Krüger, GBK or
-- UTF-8 attributes), loaded by ogr2ogr into a staging table, then checked
-- row by row into parcel.  README "Importing parcels" has the ogr2ogr line.

-- One staged geometry made fit for parcel.geom: its SRID (the one ogr2ogr
-- read from the .prj, or source_srid when the file had none), reprojected to
-- CGCS2000, 2-D, multi; an invalid polygon repaired by ST_MakeValid when the
-- repair keeps an area.  problem says why a geometry cannot be used.
CREATE FUNCTION parcel_gov.import_geometry(geom geometry, source_srid integer,
                                           OUT fit geometry, OUT problem text, OUT repaired text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH given AS (
        SELECT CASE WHEN ST_SRID(import_geometry.geom) = 0 AND import_geometry.source_srid IS NOT NULL
                    THEN ST_SetSRID(import_geometry.geom, import_geometry.source_srid)
                    ELSE import_geometry.geom END AS g
    ), usable AS (
        SELECT g.g, CASE
            WHEN g.g IS NULL THEN 'no geometry'
            WHEN ST_IsEmpty(g.g) THEN 'empty geometry'
            WHEN ST_SRID(g.g) = 0 THEN 'no SRID (the file had no .prj): give source_srid, e.g. 4490 for CGCS2000 longitude/latitude or 4549 for Gauss-Krüger CM 120E'
            WHEN NOT EXISTS (SELECT FROM spatial_ref_sys s WHERE s.srid = ST_SRID(g.g)) THEN format('unknown SRID %s', ST_SRID(g.g))
            WHEN GeometryType(g.g) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN format('not a polygon but a %s', lower(GeometryType(g.g)))
            END AS problem
        FROM given g
    ), moved AS (
        SELECT u.problem, CASE WHEN u.problem IS NULL THEN ST_Transform(ST_Force2D(u.g), 4490) END AS g FROM usable u
    ), placed AS (
        SELECT m.g, coalesce(m.problem, CASE WHEN ST_XMin(m.g) < 73 OR ST_XMax(m.g) > 136 OR ST_YMin(m.g) < 3 OR ST_YMax(m.g) > 54
            THEN format('outside China after reprojection (%s … %s °E, %s … %s °N): the SRID does not match the coordinates',
                        round(ST_XMin(m.g)::numeric, 3), round(ST_XMax(m.g)::numeric, 3),
                        round(ST_YMin(m.g)::numeric, 3), round(ST_YMax(m.g)::numeric, 3)) END) AS problem
        FROM moved m
    ), checked AS (
        SELECT p.g, p.problem, CASE WHEN p.problem IS NULL AND NOT (ST_IsValidDetail(p.g)).valid THEN ST_IsValidReason(p.g) END AS invalid
        FROM placed p
    ), fixed AS (
        SELECT c.problem, c.invalid,
               CASE WHEN c.problem IS NULL THEN ST_Multi(CASE WHEN c.invalid IS NULL THEN c.g
                                                             ELSE ST_CollectionExtract(ST_MakeValid(c.g), 3) END) END AS g
        FROM checked c
    )
    SELECT CASE WHEN f.problem IS NULL AND NOT ST_IsEmpty(f.g) AND ST_Area(f.g) > 0 THEN f.g END,
           coalesce(f.problem, CASE WHEN ST_IsEmpty(f.g) OR ST_Area(f.g) = 0
                                    THEN format('invalid polygon (%s) with no area left after repair', f.invalid) END),
           CASE WHEN f.problem IS NULL AND f.invalid IS NOT NULL THEN f.invalid END
    FROM fixed f;
END;
COMMENT ON FUNCTION parcel_gov.import_geometry(geometry, integer) IS
  'internal: a staged geometry reprojected to CGCS2000 (EPSG:4490), 2-D and multi, repaired when invalid; or why it cannot be used';

-- Staged rows into parcel, each checked: the geometry (import_geometry), the
-- 宗地代码 (well-formed, in the region, not twice in the file, not already
-- stored), the holder's USCC (valid; a holder not yet in enterprise is left
-- empty and said so).  Returns one line per staged row: imported, repaired
-- (imported with a repaired geometry) or rejected, and why.
CREATE FUNCTION parcel_gov.import_parcels(staging regclass, region text, code_column text DEFAULT 'zddm',
                                          holder_column text DEFAULT NULL, source_srid integer DEFAULT NULL)
    RETURNS TABLE (source_row bigint, code text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    geom_column name;
    staged record;
    checked record;
    holder text;
    note text;
    seen text[] := '{}';
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region) THEN
        RAISE EXCEPTION 'unknown region "%"', region USING ERRCODE = '23503',
            HINT = 'Add the county to parcel_gov.region first; parcels are imported one county at a time.';
    END IF;
    SELECT a.attname INTO geom_column FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped AND t.typname = 'geometry'
    ORDER BY a.attnum LIMIT 1;
    IF geom_column IS NULL THEN
        RAISE EXCEPTION 'staging table % has no geometry column', staging USING ERRCODE = '42703',
            HINT = 'Load it with ogr2ogr -f PostgreSQL, which creates one (wkb_geometry, or the name given by -lco GEOMETRY_NAME).';
    END IF;
    FOR staged IN EXECUTE format(
        'SELECT row_number() OVER (ORDER BY ctid) AS n, %I::text AS code, %s AS holder, %I AS geom FROM %s',
        code_column, CASE WHEN holder_column IS NULL THEN 'NULL::text' ELSE format('%I::text', holder_column) END,
        geom_column, staging)
    LOOP
        source_row := staged.n;
        code := upper(btrim(staged.code));
        holder := nullif(upper(btrim(staged.holder)), '');
        outcome := 'rejected';
        reason := NULL;
        note := NULL;
        BEGIN
            SELECT * INTO checked FROM parcel_gov.import_geometry(staged.geom, source_srid);
        EXCEPTION WHEN OTHERS THEN
            checked := NULL;
            reason := 'geometry cannot be reprojected: ' || SQLERRM;
        END;
        reason := coalesce(reason, CASE
            WHEN code IS NULL OR code = '' THEN 'no 宗地代码'
            WHEN parcel_gov.parcel_code_problem(code) IS NOT NULL THEN parcel_gov.parcel_code_problem(code)
            WHEN NOT starts_with(code, region) THEN format('宗地代码 of another county (%s), not %s', left(code, 6), region)
            WHEN code = ANY (seen) THEN 'the same 宗地代码 earlier in the file'
            WHEN EXISTS (SELECT FROM parcel_gov.parcel p WHERE p.code = import_parcels.code) THEN 'already in parcel'
            WHEN checked.problem IS NOT NULL THEN checked.problem
            WHEN holder IS NOT NULL AND parcel_gov.uscc_problem(holder) IS NOT NULL
              THEN 'holder: ' || parcel_gov.uscc_problem(holder) END);
        IF reason IS NULL THEN
            IF holder IS NOT NULL AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc = holder) THEN
                note := format('holder %s is not in enterprise: left empty', holder);
                holder := NULL;
            END IF;
            INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
            VALUES (code, region, holder, checked.fit);
            outcome := CASE WHEN checked.repaired IS NULL THEN 'imported' ELSE 'repaired' END;
            reason := concat_ws('; ', 'repaired: ' || checked.repaired, note);
        END IF;
        IF code IS NOT NULL THEN
            seen := seen || code;
        END IF;
        RETURN NEXT;
    END LOOP;
END $$;
COMMENT ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer) IS
  '导入宗地 GIS import: a staging table loaded by ogr2ogr into parcel, row by row: reprojected to CGCS2000, invalid polygons repaired or rejected, codes and holders checked; returns each row''s outcome (imported, repaired, rejected) and why';
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
