-- parcel_gov 1.11.0 → 1.12.0 (speed: work proportional to what changed).
-- A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only where
-- nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.12.0'" to load this file. \quit

-- ---- parcel_tile(): the arguments checked whatever the plan.  A plan that
-- started from the tile's NULL bounds (a tile outside its zoom) never reached
-- tile_request and returned an empty tile instead of 22023.
CREATE OR REPLACE FUNCTION parcel_gov.parcel_tile(z integer, x integer, y integer, query_params json DEFAULT '{}')
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


-- ---- visible_prefixes_of() and visible_prefixes() in C, kept for the snapshot (issue 19 goal 5)
CREATE OR REPLACE FUNCTION parcel_gov.visible_prefixes_of(who regrole)
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'visible_prefixes_of'
    LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION parcel_gov.visible_prefixes()
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'visible_prefixes'
    LANGUAGE C STABLE PARALLEL SAFE;

-- ---- county_writes_own() in C: once a row of every county write (issue 19 goal 5)
CREATE OR REPLACE FUNCTION parcel_gov.county_writes_own() RETURNS trigger
    AS 'MODULE_PATHNAME', 'county_writes_own'
    LANGUAGE C;
