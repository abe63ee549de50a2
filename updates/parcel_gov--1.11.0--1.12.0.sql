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
    -- probes through keys: compiling them (the planner guesses thousands of
    -- candidates where a county has hundreds) cost 0.6–1 s a call
    SET jit = off
AS $$
DECLARE
    y constant integer := notice_multi_year_undecided.year;
    r constant text := notice_multi_year_undecided.prefix;
    -- leases in force the year or the two before
    window_years constant daterange := daterange(make_date(y - 2, 1, 1), make_date(y + 1, 1, 1));
    -- 桐庐's parcel rule reads parcels of this size or more (the least of
    -- the rule sets that read parcels): a smaller one, leased or not, decides nothing
    least_mu constant double precision :=
        (SELECT min(rs.persistent_low_min_mu) FROM parcel_gov.rule_set rs WHERE rs.persistent_low_land = 'parcel');
    n integer;
    named text;
BEGIN
    WITH leasing AS (
        -- holders of land leased in those years: a parcel leased to firms
        -- without results has no 亩均税收, nor one mixed with others'
        -- (one not leased has its holder's, known with the holder's)
        -- the province: a probe per lease (a join scanned every parcel, 1 s at 1,000,000)
        SELECT x.uscc FROM (
            SELECT (SELECT hp.holder_uscc FROM parcel_gov.parcel hp
                    WHERE hp.code = l.parcel_code AND hp.area_mu >= least_mu) AS uscc
            FROM parcel_gov.lease l
            WHERE r = '' AND l.during && window_years) AS x
        WHERE x.uscc IS NOT NULL
        UNION
        -- a region: its firms, each probing its parcels and their leases
        -- (LIMIT keeps the probe: joined, the parcels were hashed from a
        -- scan of every parcel, 90–200 ms a county at 1,000,000 parcels)
        SELECT h.uscc FROM parcel_gov.enterprise h
        CROSS JOIN LATERAL (SELECT FROM parcel_gov.parcel hp
                            WHERE hp.holder_uscc = h.uscc AND hp.area_mu >= least_mu
                              AND EXISTS (SELECT FROM parcel_gov.lease l
                                          WHERE l.parcel_code = hp.code AND l.during && window_years)
                            LIMIT 1) AS leased
        WHERE r <> '' AND starts_with(h.region_code, r)
    ), candidate AS (
        -- the firms that can be undecided: those without both earlier
        -- years' results, and the holders of leased land (joins, not OR-ed
        -- subqueries: those were planned as hashes of whole years, 2.6 s for
        -- one county at 1,000,000 parcels)
        SELECT e.uscc FROM parcel_gov.evaluation e
        LEFT JOIN parcel_gov.evaluation p1
               ON p1.year = y - 1 AND p1.uscc = e.uscc AND p1.tax_per_mu IS NOT NULL AND p1.pool IS NOT NULL
        LEFT JOIN parcel_gov.evaluation p2
               ON p2.year = y - 2 AND p2.uscc = e.uscc AND p2.tax_per_mu IS NOT NULL AND p2.pool IS NOT NULL
        WHERE r = '' AND e.year = y AND (p1.uscc IS NULL OR p2.uscc IS NULL)
        UNION
        -- a region: its rows of the three years from evaluation_region_year_idx
        -- (two probes per firm cost 40 ms a county); a firm whose earlier
        -- row lies in another region is a candidate more, decided below
        SELECT e.uscc FROM parcel_gov.evaluation e
        WHERE r <> '' AND e.year BETWEEN y - 2 AND y AND starts_with(e.region_code, r)
        GROUP BY e.uscc
        HAVING bool_or(e.year = y)
           AND count(*) FILTER (WHERE e.year < y AND e.tax_per_mu IS NOT NULL AND e.pool IS NOT NULL) < 2
        UNION
        SELECT l.uscc FROM leasing l
    ), decided AS (
        -- the view read per candidate, through its keys (OFFSET 0 keeps the
        -- probe: joined, the view was planned over every firm of the year,
        -- and = ANY of an array searched linearly, 13 min for a fresh year)
        SELECT d.* FROM candidate c CROSS JOIN LATERAL (
            SELECT v.uscc, v.still_below_3y IS NULL AS below_undecided,
                   -- 桐庐's rule is read only where this year's part can hold
                   -- (the firm's own 亩均税收 under the line or unknown, or land
                   -- of it leased): it costs a parcel walk per firm, 30 s for a
                   -- back year's 500,000 firms without the years before
                   CASE WHEN v.tax_per_mu IS NULL OR v.tax_per_mu < rs.persistent_low_tax_per_mu
                             OR v.uscc IN (SELECT l.uscc FROM leasing l)
                        THEN v.persistent_low_tax IS NULL ELSE false END AS low_undecided
            FROM parcel_gov.v_enterprise_evaluation v
            LEFT JOIN parcel_gov.rule_set rs ON rs.id = v.rule_set_id
            WHERE v.year = y AND v.uscc = c.uscc AND starts_with(v.region_code, r)
            OFFSET 0) AS d
    )
    SELECT count(*), string_agg(u.uscc || ' (' || u.rules || ')', ', ' ORDER BY u.uscc) FILTER (WHERE u.nth <= 5)
    INTO n, named
    FROM (SELECT d.uscc,
                 concat_ws(', ', CASE WHEN d.low_undecided THEN 'persistent_low_tax' END,
                           CASE WHEN d.below_undecided THEN 'still_below_3y' END) AS rules,
                 row_number() OVER (ORDER BY d.uscc) AS nth
          FROM decided d
          WHERE d.low_undecided OR d.below_undecided) AS u;
    IF n > 0 THEN
        RAISE NOTICE 'evaluate: % firm(s) in % have multi-year rules undecided for lack of an earlier year: %',
                     n, y, named || CASE WHEN n > 5 THEN ', …' ELSE '' END
            USING HINT = format('Evaluate %s and %s (their figures first) so that 桐庐''s three years under the line and 金东''s three years 规下 can be decided; until then v_enterprise_evaluation shows NULL.',
                                y - 2, y - 1);
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


-- ---- evaluate() evaluates only the counties whose inputs changed (issue 19 goals 2 and 4)
-- The change marks, the per-county states and their triggers
-- (install/89_mark_changes.sql); the states start empty, so the first run
-- after this update evaluates every county, as it must after any update.
-- What changed since each county was evaluated (issue 19): evaluate() skips
-- the counties whose inputs are as its last run of the year read them.
--
-- evaluation_mark: statement triggers on every table the engine reads
-- record which county's inputs changed, from which year on, and by which
-- transaction.  Insert-only and one row per (county, year, transaction), so
-- concurrent writers never wait for one another.
-- evaluation_state: per county and year, the snapshot taken before the
-- engine read that county (and the run's date and version).  A county-year is
-- dirty when it has no state, when a mark of it (or of every county) from
-- that year or before was written by a transaction the snapshot did not see
-- (or by the evaluating transaction itself after the run), when an open issue
-- of it fell overdue since the run's date, or when the extension's version
-- changed.  Under READ COMMITTED the engine's reads see at least what the
-- snapshot saw, so a mark the snapshot saw was read.

CREATE SEQUENCE parcel_gov.evaluation_mark_seq;
COMMENT ON SEQUENCE parcel_gov.evaluation_mark_seq IS
  'internal: orders the marks and states of one transaction (evaluation_mark.seq, evaluation_state.seq)';

CREATE TABLE parcel_gov.evaluation_mark (
    county    text NOT NULL,          -- a 6-digit region code, '' for every county
    from_year integer NOT NULL,       -- the first year whose results may change (0: all)
    xid       xid8 NOT NULL,          -- the writing transaction
    seq       bigint NOT NULL,        -- its last statement that marked (within the transaction)
    PRIMARY KEY (county, from_year, xid)
);
COMMENT ON TABLE parcel_gov.evaluation_mark IS
  '评价变更标记 (internal, evaluate()''s change marks): a county whose inputs a transaction changed, from a year on; written by triggers on the engine''s input tables, read and pruned by evaluate()';

CREATE TABLE parcel_gov.evaluation_state (
    year      integer NOT NULL,
    county    text NOT NULL,
    snapshot  pg_snapshot NOT NULL,   -- taken before the engine read the county
    xid       xid8 NOT NULL,          -- the evaluating transaction
    seq       bigint NOT NULL,        -- evaluation_mark_seq after its run of the county
    run_date  date NOT NULL,          -- current_date of the run (overdue issues)
    version   text NOT NULL,          -- the extension's version that ran
    evaluated_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    PRIMARY KEY (year, county)
);
COMMENT ON TABLE parcel_gov.evaluation_state IS
  '评价状态 (internal, evaluate()''s per county and year state): what the last run of the county read (snapshot, transaction, date, version); a county whose inputs did not change since is skipped';

-- Registered so a dump knows them, with no rows: a snapshot or transaction id
-- means nothing in another cluster (a restored database re-evaluates all).
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_mark', 'WHERE false');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_state', 'WHERE false');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_mark_seq', '');

-- The engine's own register writes (backend flag of src/evaluation_guard.c):
-- the engine read what it writes, so they mark nothing.
CREATE FUNCTION parcel_gov.evaluation_engine_writing()
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'evaluation_engine_writing'
    LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION parcel_gov.evaluation_engine_writing() IS
  'internal, for the change marks: true while evaluate()''s engine writes the register in this backend (no SQL can set it)';

-- Which counties a statement's rows touch, per input table.  R stands for
-- the rows (new, old or both); a firm F (uscc, y) counts for its own county,
-- the counties of the parcels it holds or leases and those of their holders.
CREATE FUNCTION parcel_gov.evaluation_mark_rows()
    RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                         ELSE '(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)' END;
    firms text;                 -- SELECT uscc, y
    counties text;              -- SELECT county, y
    any_rows boolean;
    n_rows bigint;
BEGIN
    IF TG_TABLE_NAME = 'register' AND parcel_gov.evaluation_engine_writing() THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'TRUNCATE' AND TG_ARGV[0] <> 'all' THEN
        EXECUTE format('SELECT count(*) FROM %s', CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END)
        INTO STRICT n_rows;
    END IF;
    IF TG_OP = 'TRUNCATE' OR TG_ARGV[0] = 'all' THEN
        IF TG_OP <> 'TRUNCATE' THEN
            EXECUTE format('SELECT EXISTS (SELECT FROM %s t)', r) INTO STRICT any_rows;
            IF NOT any_rows THEN
                RETURN NULL;
            END IF;
        END IF;
        counties := 'SELECT ''''::text, 0';
    ELSIF n_rows > 50000 THEN
        -- A statement of many rows (a province's first run, a bulk load)
        -- marks every county: it touches most of them, and following each
        -- row to its counties cost 8 s for a new year's 500,000 results at
        -- 1,000,000 parcels.
        counties := CASE WHEN TG_TABLE_NAME IN ('enterprise_year', 'evaluation')
                         THEN format('SELECT '''', min(t.year) FROM %s t', r) ELSE 'SELECT '''', 0' END;
    ELSE
        CASE TG_TABLE_NAME
        WHEN 'enterprise' THEN
            firms := format('SELECT t.uscc, 0 FROM %s t', r);
            counties := format('SELECT t.region_code, 0 FROM %s t', r);
        WHEN 'enterprise_year' THEN
            firms := format('SELECT t.uscc, min(t.year) FROM %s t GROUP BY t.uscc', r);
        WHEN 'evaluation' THEN
            -- other counties' runs and later years read a result's existence
            -- and these columns alone: an update of a score or a rank
            -- (every firm of a pool whose benchmark moved) marks nothing
            firms := CASE TG_OP WHEN 'UPDATE' THEN
                'SELECT x.uscc, min(x.year) FROM new_rows n JOIN old_rows o ON o.id = n.id '
                'CROSS JOIN LATERAL (VALUES (n.uscc, n.year), (o.uscc, o.year)) AS x (uscc, year) '
                'WHERE (n.uscc, n.year, n.tax_per_mu, n.area_mu, n.grade, n.pool, n.rule_set_id) IS DISTINCT FROM '
                '(o.uscc, o.year, o.tax_per_mu, o.area_mu, o.grade, o.pool, o.rule_set_id) GROUP BY x.uscc'
                ELSE format('SELECT t.uscc, min(t.year) FROM %s t GROUP BY t.uscc', r) END;
        WHEN 'parcel' THEN
            counties := format('SELECT left(t.region_code, 6), 0 FROM %1$s t '
                               'UNION SELECT h.region_code, 0 FROM %1$s t JOIN parcel_gov.enterprise h ON h.uscc = t.holder_uscc '
                               'UNION SELECT e.region_code, 0 FROM %1$s t JOIN parcel_gov.lease l ON l.parcel_code = t.code '
                               'JOIN parcel_gov.enterprise e ON e.uscc = l.lessee_uscc', r);
        WHEN 'lease' THEN
            counties := format('SELECT left(p.region_code, 6), 0 FROM %1$s t JOIN parcel_gov.parcel p ON p.code = t.parcel_code '
                               'UNION SELECT h.region_code, 0 FROM %1$s t JOIN parcel_gov.parcel p ON p.code = t.parcel_code '
                               'JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc '
                               'UNION SELECT e.region_code, 0 FROM %1$s t JOIN parcel_gov.enterprise e ON e.uscc = t.lessee_uscc', r);
        WHEN 'register', 'issue' THEN
            counties := format('SELECT DISTINCT left(p.region_code, 6), 0 FROM %s t '
                               'JOIN parcel_gov.parcel p ON p.code = t.parcel_code', r);
        END CASE;
    END IF;
    IF firms IS NOT NULL THEN
        firms := format('WITH f (uscc, y) AS (%s) '
                        'SELECT e.region_code, f.y FROM f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc '
                        'UNION ALL SELECT left(p.region_code, 6), f.y FROM f JOIN parcel_gov.parcel p ON p.holder_uscc = f.uscc '
                        'UNION ALL SELECT left(p.region_code, 6), f.y FROM f JOIN parcel_gov.lease l ON l.lessee_uscc = f.uscc '
                        'JOIN parcel_gov.parcel p ON p.code = l.parcel_code '
                        'UNION ALL SELECT h.region_code, f.y FROM f JOIN parcel_gov.lease l ON l.lessee_uscc = f.uscc '
                        'JOIN parcel_gov.parcel p ON p.code = l.parcel_code JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc',
                        firms);
        counties := CASE WHEN counties IS NULL THEN firms ELSE counties || ' UNION ALL (' || firms || ')' END;
    END IF;
    EXECUTE format('INSERT INTO parcel_gov.evaluation_mark AS m (county, from_year, xid, seq) '
                   'SELECT c.county, min(c.y), pg_current_xact_id(), nextval(''parcel_gov.evaluation_mark_seq'') '
                   'FROM (%s) AS c (county, y) WHERE c.county IS NOT NULL GROUP BY c.county '
                   'ON CONFLICT (county, from_year, xid) DO UPDATE SET seq = EXCLUDED.seq', counties);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_rows() IS
  'internal: trigger on the engine''s input tables (and on evaluation, whose rows other counties'' registers and later years read: existence, tax_per_mu, area_mu, grade, pool, rule_set_id): marks the counties the statement''s rows touch, from their year on (argument ''all'', or more than 50,000 rows: every county)';

-- Four statement triggers per input table: transition tables allow one event each.
CREATE FUNCTION parcel_gov.evaluation_mark_triggers(tbl regclass, scope text DEFAULT 'rows')
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER evaluation_mark_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_truncate AFTER TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    -- also for changes applied as a replica (logical replication, replica
    -- mode): a change no trigger saw would leave stale results
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER evaluation_mark_insert, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_update, ENABLE ALWAYS TRIGGER evaluation_mark_delete, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_truncate', tbl);
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_triggers(regclass, text) IS
  'internal, for the install and update scripts: the change-mark triggers of an input table (scope rows: the counties of its rows; all: every county)';

SELECT parcel_gov.evaluation_mark_triggers(t::regclass)
FROM unnest(ARRAY['parcel_gov.enterprise', 'parcel_gov.enterprise_year', 'parcel_gov.parcel', 'parcel_gov.lease',
                  'parcel_gov.register', 'parcel_gov.issue', 'parcel_gov.evaluation']) AS t;
SELECT parcel_gov.evaluation_mark_triggers(t::regclass, 'all')
FROM unnest(ARRAY['parcel_gov.region', 'parcel_gov.rule_set', 'parcel_gov.rule_pool', 'parcel_gov.rule_indicator',
                  'parcel_gov.rule_industry_group', 'parcel_gov.rule_issue']) AS t;

-- The counties of a prefix a run of the year would evaluate (those with a
-- state, and those with figures of the year), and whether each is dirty.
CREATE FUNCTION parcel_gov.evaluation_counties(year integer, prefix text)
    RETURNS TABLE (county text, evaluated boolean, dirty boolean)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH RECURSIVE overdue AS (
        -- open issues past their deadline since the oldest run's date
        SELECT left(p.region_code, 6) AS county, i.deadline
        FROM parcel_gov.issue i JOIN parcel_gov.parcel p ON p.code = i.parcel_code
        WHERE i.closed IS NULL AND i.deadline < current_date
          AND i.deadline >= (SELECT min(s.run_date) FROM parcel_gov.evaluation_state s
                             WHERE s.year = evaluation_counties.year AND starts_with(s.county, evaluation_counties.prefix))
    ),
    -- the counties with firms, by a probe of enterprise_region_idx per county
    -- (read only when a county has no state: a hash of every firm's county
    -- cost 110 ms of each call at 500,000 firms)
    firm_counties (code) AS (
        SELECT min(e.region_code) FROM parcel_gov.enterprise e
        WHERE starts_with(e.region_code, evaluation_counties.prefix)
        UNION ALL
        SELECT (SELECT min(e.region_code) FROM parcel_gov.enterprise e
                WHERE e.region_code > c.code AND starts_with(e.region_code, evaluation_counties.prefix))
        FROM firm_counties c WHERE c.code IS NOT NULL
    )
    SELECT r.code, s.year IS NOT NULL,
           s.year IS NULL
           OR s.version IS DISTINCT FROM (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'parcel_gov')
           OR EXISTS (SELECT FROM parcel_gov.evaluation_mark m
                      WHERE m.county IN (s.county, '') AND m.from_year <= s.year
                        AND CASE WHEN m.xid = s.xid THEN m.seq > s.seq
                                 ELSE NOT pg_visible_in_snapshot(m.xid, s.snapshot) END)
           OR EXISTS (SELECT FROM overdue o WHERE o.county = s.county AND o.deadline >= s.run_date)
    FROM parcel_gov.region r
    LEFT JOIN parcel_gov.evaluation_state s ON s.year = evaluation_counties.year AND s.county = r.code
    WHERE length(r.code) = 6 AND starts_with(r.code, evaluation_counties.prefix)
      AND (s.year IS NOT NULL
           -- a county not evaluated yet: one with firms, and of them those
           -- with figures of the year
           OR (r.code IN (SELECT c.code FROM firm_counties c)
               AND EXISTS (SELECT FROM parcel_gov.enterprise e JOIN parcel_gov.enterprise_year f ON f.uscc = e.uscc
                           WHERE e.region_code = r.code AND f.year = evaluation_counties.year)));
END;
COMMENT ON FUNCTION parcel_gov.evaluation_counties(integer, text) IS
  'internal, for evaluate(): the counties of a region prefix a run of the year covers (evaluated before, or with figures of the year), whether each has a state and whether its inputs changed since (dirty)';

-- After a run of a county: its state, and the marks no state needs any more.
CREATE FUNCTION parcel_gov.evaluation_state_keep(year integer, counties text[], snap pg_snapshot)
    RETURNS void
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO parcel_gov.evaluation_state AS s (year, county, snapshot, xid, seq, run_date, version)
    SELECT evaluation_state_keep.year, c, snap, pg_current_xact_id(), nextval('parcel_gov.evaluation_mark_seq'),
           current_date, (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'parcel_gov')
    FROM unnest(counties) AS c
    ON CONFLICT (year, county) DO UPDATE
    SET snapshot = EXCLUDED.snapshot, xid = EXCLUDED.xid, seq = EXCLUDED.seq, run_date = EXCLUDED.run_date,
        version = EXCLUDED.version, evaluated_at = EXCLUDED.evaluated_at;
END;
COMMENT ON FUNCTION parcel_gov.evaluation_state_keep(integer, text[], pg_snapshot) IS
  'internal, for evaluate(): records the state of counties just evaluated (the snapshot taken before the engine read them)';

-- Marks that leave no state dirty can dirty nothing later: a state written
-- after them sees them.  Only while no other evaluate() is under way (each
-- holds ROW EXCLUSIVE on evaluation_state from before its first snapshot): a
-- run whose state is not yet committed may have missed a mark.
CREATE FUNCTION parcel_gov.evaluation_marks_prune()
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pruned bigint;
BEGIN
    BEGIN
        LOCK TABLE parcel_gov.evaluation_state IN SHARE MODE NOWAIT;
    EXCEPTION WHEN lock_not_available THEN
        RETURN 0;               -- another run is under way: the next run prunes
    END;
    DELETE FROM parcel_gov.evaluation_mark m
    WHERE NOT EXISTS (SELECT FROM parcel_gov.evaluation_state s
                      WHERE m.county IN (s.county, '') AND m.from_year <= s.year
                        AND CASE WHEN m.xid = s.xid THEN m.seq > s.seq
                                 ELSE NOT pg_visible_in_snapshot(m.xid, s.snapshot) END);
    GET DIAGNOSTICS pruned = ROW_COUNT;
    RETURN pruned;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_marks_prune() IS
  'internal, for evaluate(): deletes the change marks that leave no county dirty (unless another run is under way); returns how many';

-- uscc included: a county's firms are probed for figures of the year index-only
CREATE INDEX enterprise_region_idx ON parcel_gov.enterprise (region_code) INCLUDE (uscc);
-- internal: the owner's (evaluate() runs as the owner)
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluation_engine_writing(), parcel_gov.evaluation_mark_triggers(regclass, text),
                           parcel_gov.evaluation_counties(integer, text),
                           parcel_gov.evaluation_state_keep(integer, text[], pg_snapshot),
                           parcel_gov.evaluation_marks_prune() FROM PUBLIC;

REVOKE EXECUTE ON FUNCTION parcel_gov.evaluation_mark_rows() FROM PUBLIC;
GRANT SELECT ON parcel_gov.evaluation_mark, parcel_gov.evaluation_state TO parcel_gov_reader;

ALTER TABLE parcel_gov.evaluation_run ADD COLUMN counties_evaluated integer,
                                      ADD COLUMN counties_skipped integer,
                                      ADD COLUMN forced boolean;
COMMENT ON COLUMN parcel_gov.evaluation_run.counties_evaluated IS
  'counties the run evaluated (from 1.12.0; NULL before and for evaluation_discard())';
COMMENT ON COLUMN parcel_gov.evaluation_run.counties_skipped IS
  'counties of the region the run skipped because their inputs had not changed since their last run of the year (from 1.12.0)';
COMMENT ON COLUMN parcel_gov.evaluation_run.forced IS
  'evaluate(year, region, true): every county evaluated whatever changed (from 1.12.0)';


-- evaluate(year, region, force): the counties whose inputs changed since
-- their last run of the year (install/89_mark_changes.sql) are evaluated,
-- the others skipped with their results; force evaluates every county.
-- A few changed counties (a third of the region's at most) are each run
-- alone: a county's run reads its own rows through indexes, so one firm's
-- correction costs a county, not the province.  More are run at once over
-- the region, which reads each table once by a scan.
CREATE FUNCTION parcel_gov.evaluate(year integer, region text, force boolean)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    started constant timestamptz := clock_timestamp();
    bounds constant double precision[] := (SELECT r.tax_tier_bounds FROM parcel_gov.rule_set r WHERE r.id = 'default');
    -- rounds of county runs: a county's writes (its firms' rows) may dirty
    -- a county where they hold or lease land, run in the next round
    max_rounds constant integer := 5;
    run record;
    counties text[];            -- of the prefix, covered by a run
    dirty text[];               -- of them, to evaluate
    inputs_changed boolean;     -- a county's inputs changed (not only forced)
    done text[] := '{}';        -- evaluated by this call
    one text;                   -- the county of a run
    snap pg_snapshot;
    firms integer := 0;
    graded integer := 0;
    changed bigint := 0;
    has_figures boolean;
BEGIN
    IF y IS NULL THEN
        RAISE EXCEPTION 'evaluate: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate(2024) or parcel_gov.evaluate(2024, ''330604'').';
    END IF;
    -- It runs as the extension's owner, so the engine reads every row it
    -- needs whoever calls: results never depend on the caller.  The caller
    -- must be an analyst granted the region.
    PERFORM parcel_gov.require_caller('evaluate', 'parcel_gov_analyst', prefix);
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM parcel_gov.lock_evaluation_year(y);
    -- before any snapshot of the run: no other run prunes marks until this one commits
    LOCK TABLE parcel_gov.evaluation_state IN ROW EXCLUSIVE MODE;

    -- Figures of the year in the region: the year's index first (a new year
    -- has none), then the region's firms one by one on enterprise_year's key
    -- (planned with the prefix, so enterprise_region_idx serves it).
    has_figures := EXISTS (SELECT FROM parcel_gov.enterprise_year f WHERE f.year = y);
    IF has_figures AND prefix <> '' THEN
        EXECUTE format('SELECT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE starts_with(e.region_code, %L) '
                       'AND (SELECT f.year FROM parcel_gov.enterprise_year f WHERE f.uscc = e.uscc AND f.year = %s) IS NOT NULL)',
                       prefix, y)
        INTO has_figures;
    END IF;
    IF NOT has_figures THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    SELECT coalesce(array_agg(k.county ORDER BY k.county), '{}'),
           coalesce(array_agg(k.county ORDER BY k.county) FILTER (WHERE k.dirty OR evaluate.force), '{}'),
           coalesce(bool_or(k.dirty), false)
    INTO counties, dirty, inputs_changed
    FROM parcel_gov.evaluation_counties(y, prefix) AS k;

    -- Each tax tier is counted under its rule set's tiers; the default's
    -- serve a region without one.
    IF cardinality(dirty) > 0 AND cardinality(dirty) * 3 > cardinality(counties) THEN
        -- many changed: one run over the prefix reads each table once, and
        -- its digests leave the unchanged counties' rows untouched
        snap := pg_current_snapshot();
        SELECT * INTO run FROM parcel_gov.evaluate_run(y, prefix, started, bounds);
        PERFORM parcel_gov.evaluation_state_keep(y, counties, snap);
        -- A year's first run wrote most of its rows: the statistics did not
        -- know the year, and the notice's plan (as any query of the year's
        -- results before autovacuum's analyze) took minutes on that guess.
        IF run.changed > 10000 THEN
            ANALYZE parcel_gov.evaluation;
        END IF;
        -- what the notice reads changed only where a county is dirty: a
        -- forced rerun of unchanged inputs would repeat the last run's words
        IF inputs_changed THEN
            PERFORM parcel_gov.notice_multi_year_undecided(y, prefix);
        END IF;
        firms := run.firms;
        graded := run.graded;
        changed := run.changed;
        done := counties;
    ELSE
        -- a few: a run per county, each recording its state with the
        -- snapshot taken before it; then the counties this call's writes
        -- dirtied, until none is (bounded: what is left stays dirty)
        FOR pass IN 1 .. max_rounds LOOP
            EXIT WHEN cardinality(dirty) = 0;
            FOREACH one IN ARRAY dirty LOOP
                snap := pg_current_snapshot();
                SELECT * INTO run FROM parcel_gov.evaluate_run(y, one, started, bounds);
                PERFORM parcel_gov.evaluation_state_keep(y, ARRAY[one], snap);
                changed := changed + run.changed;
                IF NOT one = ANY (done) THEN
                    done := done || one;
                END IF;
            END LOOP;
            SELECT coalesce(array_agg(k.county ORDER BY k.county), '{}') INTO dirty
            FROM parcel_gov.evaluation_counties(y, prefix) AS k WHERE k.dirty;
        END LOOP;
        -- for the counties run (its reads follow the prefix: a county's
        -- firms, their parcels and leases)
        FOREACH one IN ARRAY done LOOP
            PERFORM parcel_gov.notice_multi_year_undecided(y, one);
        END LOOP;
        -- firms evaluated and graded in the region, as its summaries hold them
        SELECT coalesce(sum(s.firms), 0), coalesce(sum(s.graded), 0) INTO firms, graded
        FROM parcel_gov.evaluation_summary s WHERE s.year = y AND starts_with(s.region_code, prefix);
    END IF;
    PERFORM parcel_gov.evaluation_marks_prune();

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed,
                                           counties_evaluated, counties_skipped, forced)
    VALUES (y, prefix, started, firms, graded, changed,
            cardinality(done), cardinality(counties) - cardinality(done), evaluate.force);
    RETURN graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text, boolean) IS
  '亩均效益评价: evaluates the firms of a region (county code, city, province prefix, or NULL for all) for a year under their rule sets, skipping the counties whose inputs did not change since their last run of the year (force: evaluates every county); a few changed counties are run one by one (and the counties their writes changed after them), more in one run over the region; rewrites the evaluation rows that changed, and returns the number of firms graded in the region';

REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text, boolean) TO parcel_gov_analyst;

CREATE OR REPLACE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN parcel_gov.evaluate(evaluate.year, evaluate.region, false);
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded; counties whose inputs did not change since their last run of the year are skipped (evaluate(year, region, true) forces them)';

-- Removes a year's results (rows, benchmarks, summaries) for a region.
CREATE OR REPLACE FUNCTION parcel_gov.evaluation_discard(year integer, region text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    removed bigint;
BEGIN
    IF evaluation_discard.year IS NULL THEN
        RAISE EXCEPTION 'evaluation_discard: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluation_discard(2024) or parcel_gov.evaluation_discard(2024, ''330604'').';
    END IF;
    PERFORM parcel_gov.require_caller('evaluation_discard', 'parcel_gov_analyst',
                                      parcel_gov.region_prefix(evaluation_discard.region));
    -- under evaluate()'s lock, so it cannot cut into a run of the same year
    PERFORM parcel_gov.lock_evaluation_year(evaluation_discard.year);
    removed := parcel_gov.evaluation_discard_rows(evaluation_discard.year,
                                                  parcel_gov.region_prefix(evaluation_discard.region));
    -- the counties have no results left to keep: the next run evaluates them
    DELETE FROM parcel_gov.evaluation_state s
    WHERE s.year = evaluation_discard.year AND starts_with(s.county, parcel_gov.region_prefix(evaluation_discard.region));
    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (evaluation_discard.year, parcel_gov.region_prefix(evaluation_discard.region), now(), 0, 0, removed);
    RETURN removed;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_discard(integer, text) IS
  'Removes a year''s evaluation results (rows, benchmarks, summaries) for a region (county code, city, province prefix, or NULL for all); returns the evaluation rows removed. The register and its history are kept';
