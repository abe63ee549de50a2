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


-- ---- v_enterprise_evaluation and evaluate() read the multi-year rules at
-- the speed of their lookups: holder_persistent_low() writes parcel_tax_per_mu
-- out (a SQL function called from another was planned again on every call,
-- 5 ms a firm), and evaluate()'s notice of undecided rules reads them for the
-- firms that can be undecided alone.
CREATE OR REPLACE FUNCTION parcel_gov.holder_persistent_low(uscc text, year integer, min_mu double precision,
                                                 line double precision)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN bool_or(x.low) THEN true WHEN bool_or(x.low IS NULL) THEN NULL ELSE false END
    FROM parcel_gov.parcel hp
    CROSS JOIN LATERAL (
        SELECT CASE WHEN coalesce(min(t.tax) FILTER (WHERE b.back = 0) < holder_persistent_low.line, false)
                    THEN min(t.tax) FILTER (WHERE b.back = 1) < holder_persistent_low.line
                         AND min(t.tax) FILTER (WHERE b.back = 2) < holder_persistent_low.line
                    ELSE false END AS low
        FROM (VALUES (0), (1), (2)) AS b (back)
        CROSS JOIN LATERAL (
            -- the parcel's 亩均税收 in year - back, as parcel_tax_per_mu has it
            SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
                     coalesce(ls.tax_sums, '{0,0,0,0}'),
                     CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                          THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END)) AS tax
            FROM (SELECT holder_persistent_low.year - b.back AS year) AS y
            LEFT JOIN parcel_gov.evaluation h ON h.year = y.year AND h.uscc = hp.holder_uscc
            CROSS JOIN LATERAL (
                SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
                       parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
                         FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums
                FROM parcel_gov.lease l
                LEFT JOIN parcel_gov.evaluation e ON e.year = y.year AND e.uscc = l.lessee_uscc
                WHERE l.parcel_code = hp.code
                  AND l.during && daterange(make_date(y.year, 1, 1), make_date(y.year + 1, 1, 1))
            ) AS ls
            CROSS JOIN LATERAL (
                SELECT CASE WHEN hp.holder_uscc IS NOT NULL
                            THEN greatest(hp.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
            ) AS own
        ) AS t
    ) AS x
    WHERE hp.holder_uscc = holder_persistent_low.uscc AND hp.area_mu >= holder_persistent_low.min_mu;
END;

CREATE OR REPLACE FUNCTION parcel_gov.notice_multi_year_undecided(year integer, prefix text)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
    named text;
BEGIN
    SELECT count(*), string_agg(u.uscc || ' (' || u.rules || ')', ', ' ORDER BY u.uscc) FILTER (WHERE u.nth <= 5)
    INTO n, named
    FROM (SELECT v.uscc,
                 concat_ws(', ', CASE WHEN v.persistent_low_tax IS NULL THEN 'persistent_low_tax' END,
                           CASE WHEN v.still_below_3y IS NULL THEN 'still_below_3y' END) AS rules,
                 row_number() OVER (ORDER BY v.uscc) AS nth
          FROM parcel_gov.v_enterprise_evaluation v
          WHERE v.year = notice_multi_year_undecided.year
            AND starts_with(v.region_code, notice_multi_year_undecided.prefix)
            -- the view's multi-year rules read for the firms that can be
            -- undecided alone: those without both earlier years' results,
            -- and holders of leased land (a parcel leased whole to firms
            -- without results has no 亩均税收 that year)
            AND v.uscc = ANY (ARRAY(
                SELECT e.uscc FROM parcel_gov.evaluation e
                WHERE e.year = notice_multi_year_undecided.year
                  AND starts_with(e.region_code, notice_multi_year_undecided.prefix)
                  AND (NOT EXISTS (SELECT FROM parcel_gov.evaluation p
                                   WHERE p.year = notice_multi_year_undecided.year - 1 AND p.uscc = e.uscc
                                     AND p.tax_per_mu IS NOT NULL AND p.pool IS NOT NULL)
                       OR NOT EXISTS (SELECT FROM parcel_gov.evaluation p
                                      WHERE p.year = notice_multi_year_undecided.year - 2 AND p.uscc = e.uscc
                                        AND p.tax_per_mu IS NOT NULL AND p.pool IS NOT NULL)
                       OR EXISTS (SELECT FROM parcel_gov.parcel hp JOIN parcel_gov.lease l ON l.parcel_code = hp.code
                                  WHERE hp.holder_uscc = e.uscc
                                    AND l.during && daterange(make_date(notice_multi_year_undecided.year - 2, 1, 1),
                                                              make_date(notice_multi_year_undecided.year, 1, 1))))))
            AND (v.persistent_low_tax IS NULL OR v.still_below_3y IS NULL)) AS u;
    IF n > 0 THEN
        RAISE NOTICE 'evaluate: % firm(s) in % have multi-year rules undecided for lack of an earlier year: %',
                     n, notice_multi_year_undecided.year, named || CASE WHEN n > 5 THEN ', …' ELSE '' END
            USING HINT = format('Evaluate %s and %s (their figures first) so that 桐庐''s three years under the line and 金东''s three years 规下 can be decided; until then v_enterprise_evaluation shows NULL.',
                                notice_multi_year_undecided.year - 2, notice_multi_year_undecided.year - 1);
    END IF;
    RETURN n;
END $$;


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
