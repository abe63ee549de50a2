-- Maps: vector tiles for tile servers, GeoJSON for web maps
-- and Superset, a printed SVG map for reports (93_maps_page.sql).  All three read
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
    ), tile_parcels AS MATERIALIZED (
        SELECT v.*, ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.tile, 4096, 64, true) AS tile_geom
        FROM parcel_gov.v_parcel_efficiency v, bounds b, request q
        WHERE v.geom && b.search AND v.year = q.year AND starts_with(v.region_code, q.prefix)
    )
    -- FROM request: the arguments are checked whatever the plan (with no
    -- parcel near a bad tile, a plan starting from the NULL bounds would
    -- never reach tile_request and return an empty tile)
    SELECT coalesce((
        -- features in fid order: the same tile is the same bytes whatever the
        -- plan (tile caches and ETags compare bytes)
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid' ORDER BY f.fid)
        FROM (
            -- plain strings: the kinds joined (a tile has no arrays); the
            -- holder's plan (一企一策) computed for the tile's holders only,
            -- their counties and the year reaching firm_plan_inputs as parameters
            SELECT t.fid, t.code, t.year, t.region_code, t.holder_uscc,
                   t.holder_name, t.area_mu, t.tax_per_mu, t.va_per_mu, t.grade, t.grade_label,
                   t.tax_tier, t.kinds_text AS kinds, t.kind_labels_text AS kind_labels, t.batch,
                   t.batch_label, t.register_state, t.register_state_label,
                   i.next_grade::text AS next_grade, parcel_gov.label(i.next_grade) AS next_grade_label,
                   parcel_gov.score_lever('tax', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring,
                                          i.scores, i.bonus, i.deduction, i.rental_deduction) AS tax_needed,
                   t.tile_geom AS geom
            FROM tile_parcels t
            LEFT JOIN parcel_gov.firm_plan_inputs() i
                   ON i.uscc = t.holder_uscc AND i.year = (SELECT r.year FROM request r)
                  AND i.region_code = ANY (ARRAY(SELECT DISTINCT e.region_code FROM tile_parcels h
                                                 JOIN parcel_gov.enterprise e ON e.uscc = h.holder_uscc))
            WHERE t.tile_geom IS NOT NULL
        ) AS f), '\x'::bytea)
    FROM request;
END;
COMMENT ON FUNCTION parcel_gov.parcel_tile(integer, integer, integer, json) IS
  '矢量瓦片 Mapbox Vector Tile z/x/y (EPSG:3857), layer "parcels": each parcel''s code, holder, grade, tier, per-mu tax, kinds, batch and register state, and the holder''s plan (一企一策: next_grade, tax_needed); query_params {"region": "330604", "year": 2024} (latest evaluated year by default); for pg_tileserv and martin';

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

