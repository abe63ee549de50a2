-- parcel_gov 1.12.0 → 1.13.0 (speed: a county's correction in a long session
-- and in a database whose collation is not "C").
-- A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only where
-- nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.13.0'" to load this file. \quit

-- ---- The multi-year notice: a county's run names the notice's candidates
-- (src/notice_candidates.c), which notice_multi_year_candidates reads
-- through v_enterprise_evaluation; notice_multi_year_undecided finds them
-- for any region.  Both are planned for their region on every call: from a
-- session's sixth call on, PL/pgSQL's generic plan (the prefix unknown, so
-- no index range) took 0.4–1.4 s for one county where the region's plan
-- takes 60 ms.
--
-- evaluate_run returns two columns more: a function's row type cannot be
-- replaced, so it is dropped and created again (evaluate() is its only
-- caller), its comment and its revoked EXECUTE put back, and any grant a
-- user made on it given again (as users' grants, not the extension's
-- initial privileges: pg_dump keeps them).
SELECT pg_catalog.set_config('parcel_gov.evaluate_run_acl',
                             (SELECT coalesce(p.proacl::text, '') FROM pg_catalog.pg_proc p
                              WHERE p.oid OPERATOR(pg_catalog.=) 'parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[])'::pg_catalog.regprocedure),
                             true);
DROP FUNCTION parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[]);
CREATE FUNCTION parcel_gov.evaluate_run(year integer, prefix text, started timestamp with time zone,
        tier_bounds double precision[],
        OUT firms integer, OUT graded integer, OUT changed bigint, OUT entered bigint,
        OUT multi_year_candidates text[], OUT leasing_holders text[])
    AS 'MODULE_PATHNAME', 'evaluate_run'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    -- its queries are simple scans: compiling them would cost more than running them
    SET jit = off;
COMMENT ON FUNCTION parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[]) IS
  'The engine of evaluate(), called by it after its checks and under its lock: evaluates a year for a region prefix, writes the evaluation rows that changed with their benchmarks and summaries (tiers by tier_bounds) and syncs the register; returns how many firms were evaluated and graded, rows changed and parcels entered, and (a run of a prefix for a year, else NULL) the firms whose multi-year rules may be undecided and of them the holders of land leased out in the year or the two before, for notice_multi_year_candidates';
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]) FROM PUBLIC;
DO $$
DECLARE
    fn constant pg_catalog.regprocedure :=
        'parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[])';
    users constant text := pg_catalog.current_setting('parcel_gov.evaluate_run_acl');
    -- as a fresh install has them: the owner's EXECUTE alone
    initial constant aclitem[] := (SELECT i.initprivs FROM pg_catalog.pg_init_privs i
                                   WHERE i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                                     AND i.objoid OPERATOR(pg_catalog.=) fn);
    item record;
BEGIN
    FOR item IN SELECT * FROM pg_catalog.aclexplode(NULLIF(users, '')::aclitem[]) LOOP
        EXECUTE pg_catalog.format('GRANT %s ON ROUTINE %s TO %s%s', item.privilege_type, fn,
                                  CASE WHEN item.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                       ELSE item.grantee::pg_catalog.regrole::text END,
                                  CASE WHEN item.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
    UPDATE pg_catalog.pg_init_privs i SET initprivs = initial
    WHERE i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
      AND i.objoid OPERATOR(pg_catalog.=) fn;
END $$;

CREATE FUNCTION parcel_gov.notice_multi_year_candidates(year integer, prefix text, candidates text[],
                                                        leasing text[])
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- probes through keys: compiling them (the planner guesses thousands of
    -- candidates where a county has hundreds) cost 0.6–1 s a call
    SET jit = off
    -- planned for its region and candidates each call: from a session's
    -- sixth call on, the generic plan (the prefix unknown, so no index
    -- range) took 0.4–1.4 s for one county where the region's plan takes 60 ms
    SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    y constant integer := notice_multi_year_candidates.year;
    r constant text := notice_multi_year_candidates.prefix;
    n integer;
    named text;
BEGIN
    WITH decided AS (
        -- the view read per candidate, through its keys (OFFSET 0 keeps the
        -- probe: joined, the view was planned over every firm of the year,
        -- and = ANY of an array searched linearly, 13 min for a fresh year)
        SELECT d.* FROM (SELECT DISTINCT c.uscc FROM unnest(candidates) AS c (uscc)) AS c
        CROSS JOIN LATERAL (
            SELECT v.uscc, v.still_below_3y IS NULL AS below_undecided,
                   -- 桐庐's rule is read only where this year's part can hold
                   -- (the firm's own 亩均税收 under the line or unknown, or land
                   -- of it leased): it costs a parcel walk per firm, 30 s for a
                   -- back year's 500,000 firms without the years before
                   CASE WHEN v.tax_per_mu IS NULL OR v.tax_per_mu < rs.persistent_low_tax_per_mu
                             OR v.uscc IN (SELECT l.uscc FROM unnest(leasing) AS l (uscc))
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
COMMENT ON FUNCTION parcel_gov.notice_multi_year_candidates(integer, text, text[], text[]) IS
  'internal, for evaluate(): a NOTICE naming, of the candidates (firms of a year and region prefix; leasing: those of them holding land leased out in the year or the two before), the firms whose multi-year rules (persistent_low_tax, still_below_3y) are undecided because an earlier year is missing (at most five named); returns how many';

CREATE OR REPLACE FUNCTION parcel_gov.notice_multi_year_undecided(year integer, prefix text)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET jit = off
    -- planned for its region each call (as notice_multi_year_candidates)
    SET plan_cache_mode = force_custom_plan
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
    found_candidates text[];
    found_leasing text[];
BEGIN
    WITH leasing AS MATERIALIZED (
        -- holders of land leased in those years
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
        -- row lies in another region is a candidate more, decided by the view
        SELECT e.uscc FROM parcel_gov.evaluation e
        WHERE r <> '' AND e.year BETWEEN y - 2 AND y AND starts_with(e.region_code, r)
        GROUP BY e.uscc
        HAVING bool_or(e.year = y)
           AND count(*) FILTER (WHERE e.year < y AND e.tax_per_mu IS NOT NULL AND e.pool IS NOT NULL) < 2
        UNION
        SELECT l.uscc FROM leasing l
    )
    SELECT (SELECT coalesce(array_agg(c.uscc), '{}') FROM candidate c),
           (SELECT coalesce(array_agg(l.uscc), '{}') FROM leasing l)
    INTO found_candidates, found_leasing;
    RETURN parcel_gov.notice_multi_year_candidates(y, r, found_candidates, found_leasing);
END $$;

CREATE OR REPLACE FUNCTION parcel_gov.evaluate(year integer, region text, force boolean)
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
    candidates_of jsonb := '{}';    -- county → [multi_year_candidates, leasing_holders] of its latest run
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
        IF inputs_changed AND run.multi_year_candidates IS NOT NULL THEN
            PERFORM parcel_gov.notice_multi_year_candidates(y, prefix, run.multi_year_candidates, run.leasing_holders);
        ELSIF inputs_changed THEN
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
                -- the notice's candidates as the county's latest run named them
                candidates_of := candidates_of
                                 || jsonb_build_object(one, jsonb_build_array(run.multi_year_candidates, run.leasing_holders));
                changed := changed + run.changed;
                IF NOT one = ANY (done) THEN
                    done := done || one;
                END IF;
            END LOOP;
            SELECT coalesce(array_agg(k.county ORDER BY k.county), '{}') INTO dirty
            FROM parcel_gov.evaluation_counties(y, prefix) AS k WHERE k.dirty;
        END LOOP;
        -- for the counties run, once each, from the candidates its run named
        -- (the years before and the leases are as they were: this call
        -- writes results of the year alone)
        FOREACH one IN ARRAY done LOOP
            IF jsonb_typeof(candidates_of -> one -> 0) = 'array' THEN
                PERFORM parcel_gov.notice_multi_year_candidates(
                            y, one, ARRAY(SELECT jsonb_array_elements_text(candidates_of -> one -> 0)),
                            ARRAY(SELECT jsonb_array_elements_text(candidates_of -> one -> 1)));
            ELSE
                PERFORM parcel_gov.notice_multi_year_undecided(y, one);
            END IF;
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

-- ---- A county's run reads its firms, and probes them for their parcels
-- outside the county, index-only: the indexes include the columns read.  An
-- index's columns cannot be altered: each is dropped and created again (an
-- index has no grants or comment; nothing of a user's depends on it).
DROP INDEX parcel_gov.parcel_holder_idx;
CREATE INDEX parcel_holder_idx ON parcel_gov.parcel (holder_uscc) INCLUDE (region_code, code);
DROP INDEX parcel_gov.enterprise_region_idx;
CREATE INDEX enterprise_region_idx ON parcel_gov.enterprise (region_code) INCLUDE (uscc, industry_code);

-- ---- A rerun rewrites a pool's evaluation rows in place: room on their
-- page keeps the new versions there (HOT updates, no new index entries).
-- Pages written before the update fill as they are; VACUUM FULL or CLUSTER
-- of parcel_gov.evaluation gives them the room too.
ALTER TABLE parcel_gov.evaluation SET (fillfactor = 90);

-- ---- Region searches are prefix searches: a county is starts_with(region_code,
-- '330604'), a city '3306', the province ''.  A btree index serves a prefix
-- with a range only when the index's collation is "C" (byte order); the
-- region indexes take the database's collation, which is "C" only in a
-- database created so.  Debian's clusters default to C.UTF-8 (or the
-- system's locale, en_US.UTF-8, zh_CN.UTF-8), where every county's run, the
-- multi-year notice and every view read for a region scanned whole tables.
-- In such a database each region index gets a twin in collation "C" for the
-- prefix searches; the original stays for equality (region_code = '330604'
-- and joins on region_code use only an index of the column's collation).
-- A database's collation never changes (pg_dump's restore runs this script
-- again in the database it restores into).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_database d
                   WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()
                     AND d.datlocprovider OPERATOR(pg_catalog.=) 'c'
                     AND d.datcollate OPERATOR(pg_catalog.=) ANY (ARRAY['C', 'POSIX'])) THEN
        CREATE INDEX parcel_region_prefix_idx ON parcel_gov.parcel (region_code COLLATE pg_catalog."C");
        CREATE INDEX enterprise_region_prefix_idx ON parcel_gov.enterprise (region_code COLLATE pg_catalog."C")
            INCLUDE (uscc, industry_code);
        CREATE INDEX evaluation_region_prefix_idx ON parcel_gov.evaluation (region_code COLLATE pg_catalog."C", year);
        CREATE INDEX evaluation_quarter_region_prefix_idx
            ON parcel_gov.evaluation_quarter (region_code COLLATE pg_catalog."C", year, quarter);
        -- a 宗地代码 starts with its county's code: a county's run reads its
        -- register rows, leases and open issues by a range of codes
        CREATE INDEX register_code_prefix_idx ON parcel_gov.register (parcel_code COLLATE pg_catalog."C");
        CREATE INDEX lease_code_prefix_idx ON parcel_gov.lease (parcel_code COLLATE pg_catalog."C");
        CREATE INDEX issue_open_code_prefix_idx ON parcel_gov.issue (parcel_code COLLATE pg_catalog."C")
            WHERE closed IS NULL;
    END IF;
END $$;
