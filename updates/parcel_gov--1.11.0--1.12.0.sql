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


-- ---- applying_subscription(): the change marks' row trigger and the
-- province's checks act in replication workers only (issue 22)
-- Which subscription writes through this backend (src/applying_subscription.c):
-- the triggers a province's subscriptions fire (ENABLE REPLICA, with this as
-- their WHEN clause) act in PostgreSQL's replication workers only, not in
-- any other session that sets session_replication_role = replica.  Defined
-- early: the change marks' triggers (89_mark_changes.sql) read it too.
CREATE FUNCTION parcel_gov.applying_subscription()
    RETURNS name
    AS 'MODULE_PATHNAME', 'applying_subscription'
    LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION parcel_gov.applying_subscription() IS
  'the subscription whose logical replication worker (apply or initial copy) runs this backend, NULL in every other session: the province''s checks of applied rows act on it (README: Many counties, one province)';

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

-- The replication workers fire row triggers only, not statement ones: each
-- row a subscription applies marks what evaluation_mark_rows marks for a
-- statement of it, here in static SQL (planned once per worker) and each
-- county and first year once per transaction (a transaction-local setting
-- remembers them), so a county's initial copy or its run of a year costs
-- a lookup or two a row.
CREATE FUNCTION parcel_gov.evaluation_mark_applied()
    RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    firm text;                  -- a firm: its county, and those of the land it holds or leases
    y integer := 0;             -- from which year on
    touched text[] := '{}';     -- county:year
    done text := coalesce(current_setting('parcel_gov.applied_marks', true), '');
BEGIN
    IF TG_ARGV[0] = 'all' THEN
        touched := ARRAY[':0'];
    ELSE
        -- (a row's fields are read in statements of their own: each table has its columns)
        IF TG_TABLE_NAME = 'evaluation' AND TG_OP = 'UPDATE' THEN
            IF (NEW.uscc, NEW.year, NEW.tax_per_mu, NEW.area_mu, NEW.grade, NEW.pool, NEW.rule_set_id)
               IS NOT DISTINCT FROM (OLD.uscc, OLD.year, OLD.tax_per_mu, OLD.area_mu, OLD.grade, OLD.pool, OLD.rule_set_id) THEN
                RETURN NULL;    -- a score or a rank: nothing another county reads
            END IF;
        END IF;
        FOR pass IN 1 .. 2 LOOP
            CONTINUE WHEN (pass = 1 AND TG_OP = 'DELETE') OR (pass = 2 AND TG_OP = 'INSERT');
            IF pass = 1 THEN
                r := NEW;
            ELSE
                r := OLD;
            END IF;
            firm := NULL;
            IF TG_TABLE_NAME = 'enterprise' THEN
                firm := r.uscc;
                y := 0;
                touched := touched || (r.region_code || ':0');
            ELSIF TG_TABLE_NAME IN ('enterprise_year', 'evaluation') THEN
                firm := r.uscc;
                y := r.year;
            ELSIF TG_TABLE_NAME = 'parcel' THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':0' FROM (
                        SELECT left(r.region_code, 6) AS c
                        UNION SELECT h.region_code FROM parcel_gov.enterprise h WHERE h.uscc = r.holder_uscc
                        UNION SELECT e.region_code FROM parcel_gov.lease l JOIN parcel_gov.enterprise e ON e.uscc = l.lessee_uscc
                        WHERE l.parcel_code = r.code) AS x);
            ELSIF TG_TABLE_NAME = 'lease' THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':0' FROM (
                        SELECT left(p.region_code, 6) AS c FROM parcel_gov.parcel p WHERE p.code = r.parcel_code
                        UNION SELECT h.region_code FROM parcel_gov.parcel p JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc
                        WHERE p.code = r.parcel_code
                        UNION SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = r.lessee_uscc) AS x);
            ELSE                -- register, issue
                touched := touched || ARRAY(SELECT left(p.region_code, 6) || ':0' FROM parcel_gov.parcel p
                                            WHERE p.code = r.parcel_code);
            END IF;
            IF firm IS NOT NULL THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':' || y FROM (
                        SELECT e.region_code AS c FROM parcel_gov.enterprise e WHERE e.uscc = firm
                        UNION SELECT left(p.region_code, 6) FROM parcel_gov.parcel p WHERE p.holder_uscc = firm
                        UNION SELECT left(p.region_code, 6) FROM parcel_gov.lease l
                              JOIN parcel_gov.parcel p ON p.code = l.parcel_code WHERE l.lessee_uscc = firm
                        UNION SELECT h.region_code FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
                              JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc WHERE l.lessee_uscc = firm) AS x);
            END IF;
        END LOOP;
    END IF;
    -- the county-years not marked yet by this transaction
    touched := ARRAY(SELECT DISTINCT t FROM unnest(touched) AS t
                     WHERE t IS NOT NULL AND NOT t = ANY (string_to_array(done, ',')));
    IF cardinality(touched) = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO parcel_gov.evaluation_mark AS m (county, from_year, xid, seq)
    SELECT split_part(t, ':', 1), min(split_part(t, ':', 2)::integer), pg_current_xact_id(),
           nextval('parcel_gov.evaluation_mark_seq')
    FROM unnest(touched) AS t GROUP BY split_part(t, ':', 1)
    ON CONFLICT (county, from_year, xid) DO UPDATE SET seq = EXCLUDED.seq;
    PERFORM set_config('parcel_gov.applied_marks', concat_ws(',', nullif(done, ''), array_to_string(touched, ',')), true);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_applied() IS
  'internal: row trigger on the engine''s input tables that fires in logical replication workers only (ENABLE REPLICA, WHEN applying_subscription()): marks the counties of each applied row as evaluation_mark_rows marks a statement''s, each county and first year once per transaction';

-- Four statement triggers per input table: transition tables allow one event each.
-- Also for changes made in replica mode (a DBA's, a restore's): a change no
-- trigger saw would leave stale results.  A logical replication worker
-- fires no statement trigger while it applies a publisher's changes (only
-- for its initial copy, which is a COPY): a row trigger marks what it
-- applies, and only there (its WHEN clause), so that a bulk load in replica
-- mode keeps its speed and the engine its bulk inserts (bulk_insert.c).
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
    EXECUTE format('CREATE TRIGGER evaluation_mark_applied AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW WHEN (parcel_gov.applying_subscription() IS NOT NULL) '
                   'EXECUTE FUNCTION parcel_gov.evaluation_mark_applied(%L)', tbl, scope);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER evaluation_mark_insert, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_update, ENABLE ALWAYS TRIGGER evaluation_mark_delete, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_truncate, ENABLE REPLICA TRIGGER evaluation_mark_applied', tbl);
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_triggers(regclass, text) IS
  'internal, for the install and update scripts: the change-mark triggers of an input table (scope rows: the counties of its rows; all: every county), and the row trigger that marks the rows a logical replication worker applies';

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

REVOKE EXECUTE ON FUNCTION parcel_gov.evaluation_mark_rows(), parcel_gov.evaluation_mark_applied() FROM PUBLIC;
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
    -- a county whose results arrive by subscription is evaluated on its own server
    PERFORM parcel_gov.require_evaluated_here('evaluate', prefix);
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
    PERFORM parcel_gov.require_evaluated_here('evaluation_discard', parcel_gov.region_prefix(evaluation_discard.region));
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

-- ---- Many counties, one province (issue 22): counties publish their
-- region's inputs and results, the province subscribes (README: Many
-- counties, one province).  The tables published by region_code take the
-- whole row as replica identity (a row filter on updates and deletes reads
-- only the identity; install/81_tables.sql, 84_evaluation.sql).
ALTER TABLE parcel_gov.park REPLICA IDENTITY FULL;
ALTER TABLE parcel_gov.enterprise REPLICA IDENTITY FULL;
ALTER TABLE parcel_gov.parcel REPLICA IDENTITY FULL;
ALTER TABLE parcel_gov.evaluation REPLICA IDENTITY FULL;

-- per_mu_agg without its final division: the partial state itself, which
-- a server can compute where the rows are (a county's, through
-- postgres_fdw with the extensions 'parcel_gov' option, README: Many
-- counties, one province) and ship; partial_sum() adds states of several
-- servers and per_mu_agg_final() divides, giving the bits per_mu_agg gives
-- over all their rows at once.
CREATE AGGREGATE parcel_gov.per_mu_agg_partial(amount double precision, area_mu double precision) (
    SFUNC = parcel_gov.per_mu_agg_accum,
    STYPE = double precision[],
    COMBINEFUNC = parcel_gov.dd_state_combine,
    INITCOND = '{0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE parcel_gov.per_mu_agg_partial(double precision, double precision) IS
  'The partial state of per_mu_agg (double-double Σamount and Σarea_mu): combine states of several servers with partial_sum() and finish with per_mu_agg_final(), exactly as per_mu_agg over all their rows';

-- Many counties, one province (README: Many counties, one province;
-- docs/scale-out.md).  Each county server keeps its own data and publishes
-- its region's inputs and results with PostgreSQL's logical replication;
-- the provincial server subscribes to every county, sees everything and
-- evaluates no subscribed county again.
--   use_id_block(county)          a county server numbers its rows in a block
--                                 of its own, so rows of many counties meet at
--                                 the province without colliding
--   county_publication(county)    the county's publication: the tables of
--                                 county_published_tables(), filtered to its
--                                 region where they have a region column
--   subscribe_county(county, …)   the province's record of which subscription
--                                 brings which county
-- and the province's checks, as triggers on the published tables:
--   an applied row (ENABLE REPLICA, in the replication workers only) is the
--   subscription's county's, or it is not applied and is logged in
--   replication_refused; a replicated TRUNCATE is refused;
--   a local write to a subscribed county's rows is refused (42501), as are
--   evaluate() and evaluation_discard() of a county whose results arrive by
--   subscription (55000, in install/85_evaluate.sql and 86_evaluation_summary.sql).

-- What a county publishes, and how each row names its county: its region
-- code, a township's code, its parcel's code, or its firm.  Inputs are the
-- county's to change; results (and the register) are evaluate()'s and the
-- clerks', written where the county evaluates.
CREATE FUNCTION parcel_gov.county_published_tables()
    RETURNS TABLE (table_name name, county_from text, kind text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT t.table_name::name, t.county_from, t.kind
    FROM (VALUES (1, 'region', 'code', 'inputs'), (2, 'park', 'region_code', 'inputs'),
                 (3, 'region_boundary', 'region_code', 'inputs'), (4, 'enterprise', 'region_code', 'inputs'),
                 (5, 'parcel', 'region_code', 'inputs'), (6, 'lease', 'parcel_code', 'inputs'),
                 (7, 'enterprise_year', 'uscc', 'inputs'), (8, 'evaluation', 'region_code', 'results'),
                 (9, 'evaluation_benchmark', 'region_code', 'results'),
                 (10, 'evaluation_summary', 'region_code', 'results'), (11, 'register', 'parcel_code', 'results'),
                 (12, 'register_event', 'parcel_code', 'results')) AS t (n, table_name, county_from, kind)
    ORDER BY t.n;
END;
COMMENT ON FUNCTION parcel_gov.county_published_tables() IS
  'The tables a county server publishes to the province (county_publication()), how a row names its county (county_from: region_code, a township''s code, its parcel_code, or its firm''s uscc) and whether it is an input or a result (evaluate()''s, and the register)';

-- ---- The province's record of its subscriptions.
CREATE TABLE parcel_gov.county_subscription (
    subscription  name PRIMARY KEY,
    county        text NOT NULL UNIQUE REFERENCES parcel_gov.region
                  CONSTRAINT county_subscription_county_6_digits CHECK (county ~ '^[0-9]{6}$'),
    -- true: the county's results (evaluation, summaries, register) arrive too,
    -- and this server evaluates the county no more; false: only its inputs,
    -- and this server evaluates it
    results       boolean NOT NULL DEFAULT true,
    registered_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    registered_by name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker())
);
COMMENT ON TABLE parcel_gov.county_subscription IS
  '县区订阅 (the province''s subscriptions): which logical replication subscription brings which county''s rows, and whether its results come too (then evaluate() here refuses the county); written by subscribe_county() and unsubscribe_county()';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.county_subscription', '');

CREATE TABLE parcel_gov.replication_refused (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    refused_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    subscription name NOT NULL,
    county       text,              -- the subscription's county (NULL: none registered)
    table_name   name NOT NULL,
    operation    text NOT NULL,
    row_county   text,              -- the county the row belongs to (NULL: not known here)
    row_data     jsonb NOT NULL
);
COMMENT ON TABLE parcel_gov.replication_refused IS
  '拒收记录 (rows a county''s subscription sent that were not applied): a row of another county (or of a firm not known here), or a result where only inputs are subscribed; written by the province''s check of applied rows';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.replication_refused', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.replication_refused', 'id'), '');

-- A county-level code in use, or 22023.
CREATE FUNCTION parcel_gov.require_county(what text, county text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r parcel_gov.region;
BEGIN
    SELECT * INTO r FROM parcel_gov.region g WHERE g.code = require_county.county;
    IF r.code IS NULL OR r.level <> 'county' THEN
        RAISE EXCEPTION '%: % is not a county', what, coalesce(county, 'NULL') USING ERRCODE = '22023',
            HINT = 'Give a county''s 6-digit code (330604 上虞区, parcel_gov.region with level county): a county server publishes one county; a city''s or the province''s server subscribes and keeps the default numbering.';
    END IF;
    IF r.valid_to IS NOT NULL THEN
        RAISE EXCEPTION '%: county % % was superseded by % on %', what, r.code, r.name, r.superseded_by, r.valid_to
            USING ERRCODE = '22023', HINT = 'Give the code in use today.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_county(text, text) IS
  'internal: raises 22023 unless the code is a county''s in use (parcel_gov.region, level county, not superseded)';

-- ---- Id blocks.  Identity columns (parcel.fid, lease.id, evaluation.id,
-- register.fid, register_event.id, …) count from 1 on every server: rows of
-- two counties would collide at the province.  A county's server takes ids
-- from county code × 10⁹ + 1 to county code × 10⁹ + 999,999,999 (330604 →
-- 330604000000001 …), one block per county, readable by eye and below 2⁵³,
-- so JavaScript clients read them exactly.
CREATE FUNCTION parcel_gov.id_block(county text)
    RETURNS int8range
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF county !~ '^[1-9][0-9]{5}$' THEN
        RAISE EXCEPTION 'id_block: % is not a 6-digit region code', county USING ERRCODE = '22023',
            HINT = 'Give a county''s code, e.g. 330604.';
    END IF;
    RETURN int8range(county::bigint * 1000000000 + 1, (county::bigint + 1) * 1000000000);
END $$;
COMMENT ON FUNCTION parcel_gov.id_block(text) IS
  'The ids a county''s server gives its rows (use_id_block()): [county × 10⁹ + 1, (county + 1) × 10⁹), e.g. 330604 → [330604000000001,330605000000000)';

-- The identity columns of the extension's tables, with their sequences.
CREATE FUNCTION parcel_gov.identity_columns()
    RETURNS TABLE (tbl regclass, column_name name, identity "char", seq regclass)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.oid::regclass, a.attname, a.attidentity,
           pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'r' AND a.attidentity <> ''
    ORDER BY c.relname, a.attname;
END;
COMMENT ON FUNCTION parcel_gov.identity_columns() IS
  'internal: the identity columns of parcel_gov''s tables and their sequences (what use_id_block() sets)';

CREATE FUNCTION parcel_gov.use_id_block(county text, renumber boolean DEFAULT false)
    RETURNS TABLE (table_name name, column_name name, first_id bigint, last_id bigint, next_id bigint, renumbered bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    base bigint;
    first_ bigint;
    last_ bigint;
    c record;
    fk record;
    outside bigint;
    foreign_ids bigint;
    top bigint;
    seq_last bigint;
    moved bigint;
    saved_role constant text := current_setting('session_replication_role');
BEGIN
    PERFORM parcel_gov.require_county('use_id_block', county);
    base := county::bigint * 1000000000;
    first_ := lower(parcel_gov.id_block(county));
    last_ := upper(parcel_gov.id_block(county)) - 1;
    -- every column first: a refusal leaves everything as it was
    FOR c IN SELECT * FROM parcel_gov.identity_columns() LOOP
        EXECUTE format('SELECT count(*) FILTER (WHERE t.%1$I NOT BETWEEN $1 AND $2), '
                       'count(*) FILTER (WHERE t.%1$I NOT BETWEEN $1 AND $2 AND (t.%1$I < 1 OR t.%1$I >= 1000000000)) '
                       'FROM %2$s t', c.column_name, c.tbl)
        INTO outside, foreign_ids USING first_, last_;
        IF foreign_ids > 0 THEN
            RAISE EXCEPTION 'use_id_block: % rows of % have %.% values of another block', foreign_ids, c.tbl, c.tbl, c.column_name
                USING ERRCODE = '55000',
                      HINT = 'This database was numbered for another county (its ids are that county''s code × 10⁹ + n): a county''s rows are numbered once, for their county.';
        END IF;
        IF outside > 0 AND NOT renumber THEN
            RAISE EXCEPTION 'use_id_block: % rows of % have ids outside county %''s block', outside, c.tbl, county
                USING ERRCODE = '55000',
                      HINT = format('Call it before loading data, or let it move them: SELECT * FROM parcel_gov.use_id_block(%L, renumber => true) adds %s to each id (and to the columns that reference it); do it before the county publishes, while no one else writes.', county, base);
        END IF;
    END LOOP;
    FOR c IN SELECT * FROM parcel_gov.identity_columns() LOOP
        moved := 0;
        IF renumber THEN
            -- the old ids (1 … 999,999,999) move by base into the block, and
            -- so do the columns that reference them; replica mode keeps the
            -- guards, the history and the key checks out of a move that
            -- changes no fact
            PERFORM set_config('session_replication_role', 'replica', true);
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED BY DEFAULT', c.tbl, c.column_name);
            EXECUTE format('UPDATE %1$s t SET %2$I = t.%2$I + $1 WHERE t.%2$I < 1000000000', c.tbl, c.column_name)
            USING base;
            GET DIAGNOSTICS moved = ROW_COUNT;
            FOR fk IN SELECT k.conrelid::regclass AS tbl, a.attname
                      FROM pg_catalog.pg_constraint k
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                      JOIN pg_catalog.pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
                      WHERE k.contype = 'f' AND k.confrelid = c.tbl AND cardinality(k.confkey) = 1
                        AND r.attname = c.column_name LOOP
                EXECUTE format('UPDATE %1$s t SET %2$I = t.%2$I + $1 WHERE t.%2$I < 1000000000', fk.tbl, fk.attname)
                USING base;
            END LOOP;
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED %s', c.tbl, c.column_name,
                           CASE c.identity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END);
            PERFORM set_config('session_replication_role', saved_role, true);
        END IF;
        -- next: after every id the block has given, used or not
        EXECUTE format('SELECT max(t.%1$I) FROM %2$s t WHERE t.%1$I BETWEEN $1 AND $2', c.column_name, c.tbl)
        INTO top USING first_, last_;
        SELECT s.last_value INTO seq_last FROM pg_catalog.pg_sequences s
        WHERE format('%I.%I', s.schemaname, s.sequencename)::regclass = c.seq AND s.last_value BETWEEN first_ AND last_;
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET START WITH %s SET MINVALUE %s SET MAXVALUE %s RESTART WITH %s',
                       c.tbl, c.column_name, first_, first_, last_, greatest(first_, top + 1, seq_last + 1));
        table_name := (SELECT k.relname FROM pg_catalog.pg_class k WHERE k.oid = c.tbl);
        column_name := c.column_name;
        first_id := first_;
        last_id := last_;
        next_id := greatest(first_, top + 1, seq_last + 1);
        renumbered := moved;
        RETURN NEXT;
    END LOOP;
END $$;
COMMENT ON FUNCTION parcel_gov.use_id_block(text, boolean) IS
  '一县一号段: a county server''s identity columns (parcel.fid, lease.id, evaluation.id, register.fid, register_event.id and every other) take ids from the county''s block id_block(county) only, so the counties'' rows meet at the province without colliding; idempotent (the next id follows every id given); rows already numbered outside the block are refused (55000) unless renumber moves them in (ids + county × 10⁹, with the columns that reference them); a non-county code is refused (22023). A superuser''s, before the county publishes; again after a restore (a dump keeps the ids, not the bounds)';

-- ---- The county's publication.
CREATE FUNCTION parcel_gov.county_publication(county text)
    RETURNS name
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pub constant name := 'parcel_gov_' || county;
    tables text;
    unbounded text;
BEGIN
    PERFORM parcel_gov.require_county('county_publication', county);
    -- the county's rows must not collide with another county's at the province
    SELECT string_agg(format('%s.%s', i.tbl, i.column_name), ', ') INTO unbounded
    FROM parcel_gov.identity_columns() i
    JOIN pg_catalog.pg_sequence s ON s.seqrelid = i.seq
    WHERE (s.seqmin, s.seqmax) IS DISTINCT FROM (lower(parcel_gov.id_block(county)), upper(parcel_gov.id_block(county)) - 1);
    IF unbounded IS NOT NULL THEN
        RAISE EXCEPTION 'county_publication: the ids of % are not in county %''s block', unbounded, county
            USING ERRCODE = '55000',
                  HINT = format('SELECT * FROM parcel_gov.use_id_block(%L) first (renumber => true for rows already numbered).', county);
    END IF;
    -- row filters on the region column (its county's rows, a township's
    -- code for the county's own regions); lease, figures, the register and
    -- its history have none (their county is their parcel's or firm's):
    -- a county server holds its own, and the province checks each row
    SELECT string_agg(format('parcel_gov.%I', t.table_name)
                      || CASE t.county_from
                           WHEN 'region_code' THEN format(' WHERE (left(region_code, 6) = %L)', county)
                           WHEN 'code' THEN format(' WHERE (NOT shipped AND left(code, 6) = %L)', county)
                           ELSE '' END, ', ' ORDER BY t.table_name)
    INTO tables FROM parcel_gov.county_published_tables() t;
    -- no TRUNCATE: one county's would empty every county's rows at the province
    IF EXISTS (SELECT FROM pg_catalog.pg_publication p WHERE p.pubname = pub) THEN
        EXECUTE format('ALTER PUBLICATION %I SET TABLE %s', pub, tables);
        EXECUTE format('ALTER PUBLICATION %I SET (publish = %L)', pub, 'insert, update, delete');
    ELSE
        EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s WITH (publish = %L)', pub, tables, 'insert, update, delete');
    END IF;
    IF current_setting('wal_level') <> 'logical' THEN
        RAISE WARNING 'county_publication: wal_level is %, so nothing is published yet', current_setting('wal_level')
            USING HINT = 'Set wal_level = logical in postgresql.conf and restart the server.';
    END IF;
    RETURN pub;
END $$;
COMMENT ON FUNCTION parcel_gov.county_publication(text) IS
  '县区发布: creates (or brings in line) the publication parcel_gov_<county> of a county server: the tables of county_published_tables(), those with a region column filtered to the county, inserts, updates and deletes (no TRUNCATE); refused (55000) while the ids are not in the county''s block (use_id_block()); returns its name. A superuser''s';

-- ---- The province's subscriptions.
CREATE FUNCTION parcel_gov.subscribe_county(county text, subscription name DEFAULT NULL, results boolean DEFAULT true)
    RETURNS name
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    sub constant name := coalesce(subscribe_county.subscription, ('parcel_gov_' || subscribe_county.county)::name);
    other text;
BEGIN
    PERFORM parcel_gov.require_county('subscribe_county', subscribe_county.county);
    IF subscribe_county.results IS NULL THEN
        RAISE EXCEPTION 'subscribe_county: results must be true or false' USING ERRCODE = '22004',
            HINT = 'true: the county''s results arrive and this server evaluates it no more; false: only its inputs, evaluated here.';
    END IF;
    SELECT s.county INTO other FROM parcel_gov.county_subscription s
    WHERE s.subscription = sub AND s.county <> subscribe_county.county;
    IF other IS NOT NULL THEN
        RAISE EXCEPTION 'subscribe_county: subscription % brings county % already', sub, other USING ERRCODE = '23505',
            HINT = 'One subscription per county: give each county''s its own name (parcel_gov_<county>).';
    END IF;
    INSERT INTO parcel_gov.county_subscription AS s (subscription, county, results)
    VALUES (sub, subscribe_county.county, subscribe_county.results)
    ON CONFLICT (county) DO UPDATE
    SET subscription = EXCLUDED.subscription, results = EXCLUDED.results,
        registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_subscription p
                   WHERE p.subname = sub AND p.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d
                                                          WHERE d.datname = current_database())) THEN
        RAISE NOTICE 'subscribe_county: no subscription % in this database yet', sub
            USING HINT = format('CREATE SUBSCRIPTION %I CONNECTION ''host=… dbname=…'' PUBLICATION parcel_gov_%s', sub, subscribe_county.county);
    END IF;
    RETURN sub;
END $$;
COMMENT ON FUNCTION parcel_gov.subscribe_county(text, name, boolean) IS
  '县区订阅登记: records that a subscription (parcel_gov_<county> by default) brings a county''s rows to this server; results (true) says its evaluation, summaries and register come too, so evaluate() here refuses the county; false: only its inputs, evaluated here. Rows the subscription sends of any other county are not applied (replication_refused). A superuser''s, before or after CREATE SUBSCRIPTION';

CREATE FUNCTION parcel_gov.unsubscribe_county(county text)
    RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM parcel_gov.county_subscription s WHERE s.county = unsubscribe_county.county;
    RETURN FOUND;
END $$;
COMMENT ON FUNCTION parcel_gov.unsubscribe_county(text) IS
  'undo subscribe_county() (after DROP SUBSCRIPTION): the county''s rows stay, and this server may evaluate and change them again; true when it was registered';

-- The county a parcel code belongs to: its parcel's region here, else the
-- county its first six digits name (or the code that superseded them).
CREATE FUNCTION parcel_gov.county_of_parcel(parcel_code text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce((SELECT p.region_code FROM parcel_gov.parcel p WHERE p.code = county_of_parcel.parcel_code),
                    (SELECT coalesce(r.superseded_by, r.code) FROM parcel_gov.region r
                     WHERE r.code = left(county_of_parcel.parcel_code, 6)),
                    left(county_of_parcel.parcel_code, 6));
END;
COMMENT ON FUNCTION parcel_gov.county_of_parcel(text) IS
  'the county of a 宗地代码: its parcel''s region_code, else the county its first six digits name (the successor of a superseded code)';

-- evaluate() and evaluation_discard(): not for a county whose results arrive.
CREATE FUNCTION parcel_gov.require_evaluated_here(what text, prefix text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    counties text;
    sub name;
BEGIN
    SELECT string_agg(s.county, ', ' ORDER BY s.county), min(s.subscription) INTO counties, sub
    FROM parcel_gov.county_subscription s
    WHERE s.results AND starts_with(s.county, coalesce(prefix, ''));
    IF counties IS NOT NULL THEN
        RAISE EXCEPTION '%: the results of % arrive from the county''s server (subscription %)', what, counties, sub
            USING ERRCODE = '55000',
                  HINT = 'Evaluate on the county''s server: its results reach this server within seconds. For a one-off province-wide what-if, read the counties through postgres_fdw (README: Many counties, one province); to evaluate a county here, drop its subscription and unsubscribe_county() it.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_evaluated_here(text, text) IS
  'internal, for evaluate() and evaluation_discard(): raises 55000 when a county of the region prefix has its results subscribed (county_subscription.results)';

-- ---- The check of applied rows (ENABLE REPLICA, in replication workers
-- only: the WHEN clause).  A row of another county than the
-- subscription's, of a firm this server does not know once the firms are
-- copied, or a result where only inputs are subscribed, is not applied: the
-- worker goes on, the row goes to replication_refused and the server log
-- (WARNING).  An update or delete is judged by the row here as well.  A
-- subscription nobody registered stops (55000) until it is registered.
CREATE FUNCTION parcel_gov.replicated_row_check()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sub constant name := parcel_gov.applying_subscription();
    county_from constant text := TG_ARGV[0];
    kind constant text := TG_ARGV[1];
    reg parcel_gov.county_subscription;
    r record;
    theirs text;
BEGIN
    SELECT * INTO reg FROM parcel_gov.county_subscription s WHERE s.subscription = sub;
    IF reg.subscription IS NULL THEN
        RAISE EXCEPTION 'subscription % sends rows of % but is not registered as a county''s', sub, TG_TABLE_NAME
            USING ERRCODE = '55000',
                  HINT = format('SELECT parcel_gov.subscribe_county(''<county>'', %L) on this server; the worker retries.', sub);
    END IF;
    FOR pass IN 1 .. 2 LOOP
        CONTINUE WHEN (pass = 1 AND TG_OP = 'DELETE') OR (pass = 2 AND TG_OP = 'INSERT');
        IF pass = 1 THEN
            r := NEW;
        ELSE
            r := OLD;
        END IF;
        IF county_from = 'region_code' THEN
            theirs := left(r.region_code, 6);
        ELSIF county_from = 'code' THEN
            theirs := CASE WHEN NOT r.shipped AND length(r.code) = 9 THEN left(r.code, 6) END;
        ELSIF county_from = 'parcel_code' THEN
            theirs := parcel_gov.county_of_parcel(r.parcel_code);
        ELSE
            theirs := (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = r.uscc);
            -- the firm's row may not be copied yet (each table is copied on
            -- its own): until it is, stop and retry; afterwards an unknown
            -- firm is none of the county's
            IF theirs IS NULL AND NOT EXISTS (
                   SELECT FROM pg_catalog.pg_subscription_rel sr
                   JOIN pg_catalog.pg_subscription su ON su.oid = sr.srsubid
                   WHERE su.subname = sub AND sr.srrelid = 'parcel_gov.enterprise'::regclass
                     AND sr.srsubstate IN ('s', 'r')) THEN
                RAISE EXCEPTION 'subscription %: firm % of % has not arrived yet', sub, r.uscc, TG_TABLE_NAME
                    USING ERRCODE = '55000', HINT = 'The worker retries once the county''s firms are copied.';
            END IF;
        END IF;
        IF theirs IS DISTINCT FROM reg.county OR (kind = 'results' AND NOT reg.results) THEN
            INSERT INTO parcel_gov.replication_refused (subscription, county, table_name, operation, row_county, row_data)
            VALUES (sub, reg.county, TG_TABLE_NAME, TG_OP, theirs, to_jsonb(r));
            RAISE WARNING 'subscription % (county %) sent % of a row of % of %: not applied', sub, reg.county, TG_OP,
                          TG_TABLE_NAME, coalesce(theirs, 'no known county')
                USING HINT = CASE WHEN theirs IS DISTINCT FROM reg.county
                                  THEN 'A county publishes its own rows only (parcel_gov.replication_refused keeps the row).'
                                  ELSE 'Only the county''s inputs are subscribed (county_subscription.results): this server evaluates it.' END;
            RETURN NULL;
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.replicated_row_check() IS
  'Trigger (ENABLE REPLICA, in logical replication workers only): a row a subscription applies must be its registered county''s (a result only where results are subscribed); else it is not applied and is logged in replication_refused (WARNING); an unregistered subscription stops with 55000';

CREATE FUNCTION parcel_gov.replicated_truncate_refused()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF parcel_gov.applying_subscription() IS NOT NULL THEN
        RAISE EXCEPTION 'subscription %: a TRUNCATE of % would empty every county''s rows here',
                        parcel_gov.applying_subscription(), TG_TABLE_NAME
            USING ERRCODE = '42501',
                  HINT = 'Publish inserts, updates and deletes only (county_publication() does): a county removes its own rows with DELETE.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.replicated_truncate_refused() IS
  'Trigger (ENABLE REPLICA): a TRUNCATE a subscription applies is refused (42501): it would empty every county''s rows';

-- ---- Local writes to a subscribed county's rows (ordinary triggers: they
-- do not fire for applied rows).  Its inputs, and where its results come
-- too, its register, are changed on the county's server; the results and
-- the history are guarded already (evaluation_guard, history_guard), and
-- evaluate() refuses the county.  A superuser's restore passes (row_security
-- off, as pg_restore sets it), as the guards let it.
CREATE FUNCTION parcel_gov.subscribed_county_read_only()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rows_src constant text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                                         ELSE '(SELECT * FROM new_rows n UNION ALL SELECT * FROM old_rows o)' END;
    county_of constant text := CASE TG_ARGV[0]
        WHEN 'region_code' THEN 'left(t.region_code, 6)'
        WHEN 'code' THEN 'CASE WHEN length(t.code) = 9 THEN left(t.code, 6) END'
        WHEN 'parcel_code' THEN 'parcel_gov.county_of_parcel(t.parcel_code)'
        ELSE '(SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = t.uscc)' END;
    hit parcel_gov.county_subscription;
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.county_subscription s WHERE s.results OR TG_ARGV[1] = 'inputs') THEN
        RETURN NULL;            -- a county's server, or no such county here
    END IF;
    IF NOT current_setting('row_security')::boolean
       AND (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = parcel_gov.invoker()) THEN
        RETURN NULL;            -- a superuser's restore
    END IF;
    EXECUTE format('SELECT s.* FROM (SELECT DISTINCT %s AS county FROM %s t) AS x '
                   'JOIN parcel_gov.county_subscription s ON s.county = x.county '
                   'WHERE s.results OR $1 = ''inputs'' ORDER BY s.county LIMIT 1', county_of, rows_src)
    INTO hit USING TG_ARGV[1];
    IF hit.county IS NOT NULL THEN
        RAISE EXCEPTION '%: rows of % come from the county''s server (subscription %): % refused here',
                        TG_TABLE_NAME, hit.county, hit.subscription, TG_OP
            USING ERRCODE = '42501',
                  HINT = 'Change them on the county''s server: the change reaches this server within seconds.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.subscribed_county_read_only() IS
  'Trigger (per statement, on the published tables): a local write to the rows of a county whose rows arrive by subscription (its inputs; its register where its results come too) is refused (42501); applied rows do not fire it';

-- The triggers of a published table.
CREATE FUNCTION parcel_gov.county_row_triggers(tbl regclass, county_from text, kind text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER replicated_row_check BEFORE INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW WHEN (parcel_gov.applying_subscription() IS NOT NULL) '
                   'EXECUTE FUNCTION parcel_gov.replicated_row_check(%L, %L)', tbl, county_from, kind);
    EXECUTE format('CREATE TRIGGER replicated_truncate_refused BEFORE TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.replicated_truncate_refused()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE REPLICA TRIGGER replicated_row_check, '
                   'ENABLE REPLICA TRIGGER replicated_truncate_refused', tbl);
    -- the results and the history have their guards; the register is the clerks'
    IF kind = 'inputs' OR tbl = 'parcel_gov.register'::regclass THEN
        EXECUTE format('CREATE TRIGGER subscribed_county_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
        EXECUTE format('CREATE TRIGGER subscribed_county_update AFTER UPDATE ON %s '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
    END IF;
    IF kind = 'inputs' THEN
        EXECUTE format('CREATE TRIGGER subscribed_county_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.county_row_triggers(regclass, text, text) IS
  'internal, for the install and update scripts: the province''s triggers on a published table (the check of applied rows, the refused TRUNCATE, the refusal of local writes to subscribed counties'' rows)';

SELECT parcel_gov.county_row_triggers(format('parcel_gov.%I', t.table_name)::regclass, t.county_from, t.kind)
FROM parcel_gov.county_published_tables() t;

-- A refused replicated row (install/95_province.sql): seen where either its
-- own county or the subscription's county is the role's.
ALTER TABLE parcel_gov.replication_refused ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.replication_refused
    USING (row_county OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))
           OR county OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.county_subscription, parcel_gov.replication_refused TO parcel_gov_reader;
REVOKE EXECUTE ON FUNCTION parcel_gov.replicated_row_check(), parcel_gov.replicated_truncate_refused(),
                           parcel_gov.subscribed_county_read_only() FROM PUBLIC;
-- Many counties, one province (install/95_province.sql): numbering,
-- publishing and subscribing are a superuser's, as CREATE PUBLICATION and
-- CREATE SUBSCRIPTION are; the check of evaluate() is an internal.
REVOKE EXECUTE ON FUNCTION parcel_gov.use_id_block(text, boolean), parcel_gov.county_publication(text),
                           parcel_gov.subscribe_county(text, name, boolean), parcel_gov.unsubscribe_county(text),
                           parcel_gov.require_evaluated_here(text, text),
                           parcel_gov.county_row_triggers(regclass, text, text) FROM PUBLIC;
