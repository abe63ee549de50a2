-- evaluate(year, region): the yearly per-mu evaluation.  The checks, the
-- lock and the run's log are here; the work is the C engine's
-- (src/eval_engine.h): it reads each table once, joins on packed codes,
-- scores and grades with the same arithmetic as the SQL pieces
-- (indicators_agg, ratio_score, minmax_score, quota_grade), writes only the
-- evaluation rows that changed and brings the register in line.

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

-- Multi-year rules (桐庐 persistent_low_tax, 金东 still_below_3y) need the
-- two years before: a firm that meets this year's part but lacks an earlier
-- year is undecided (NULL in v_enterprise_evaluation), not "no".  evaluate()
-- says which, so the county evaluates or loads the missing years.
-- notice_multi_year_candidates reads the candidates through the view: the
-- firms without both earlier years' results, and the holders of a parcel
-- leased out whole in one of the two years before (桐庐's parcel rule: a
-- parcel's 亩均税收 is its users'; one that kept land of its own has its
-- holder's, known with the holder's; one leased out whole has only its
-- lessees', unknown while a lessee lacks results).  A county's run of a year
-- names them itself (src/notice_candidates.c); notice_multi_year_undecided
-- finds them for any region.
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

CREATE FUNCTION parcel_gov.notice_multi_year_undecided(year integer, prefix text)
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
COMMENT ON FUNCTION parcel_gov.notice_multi_year_undecided(integer, text) IS
  'internal, for evaluate(): a NOTICE naming the firms of a year and region prefix whose multi-year rules (persistent_low_tax, still_below_3y) are undecided because an earlier year is missing (at most five named); returns how many';

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
    -- (planned with the prefix, so enterprise_region_idx serves it).  The
    -- first year from y on, in the index's order: an EXISTS of year = y was
    -- planned as a scan expecting a row soon, and the latest year's rows lie
    -- at the table's end, loaded after the others (0.1–1.5 s every run).
    has_figures := coalesce((SELECT f.year FROM parcel_gov.enterprise_year f WHERE f.year >= y
                             ORDER BY f.year LIMIT 1) = y, false);
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
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text, boolean) IS
  '亩均效益评价: evaluates the firms of a region (county code, city, province prefix, or NULL for all) for a year under their rule sets, skipping the counties whose inputs did not change since their last run of the year (force: evaluates every county); a few changed counties are run one by one (and the counties their writes changed after them), more in one run over the region; rewrites the evaluation rows that changed, and returns the number of firms graded in the region';

CREATE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN parcel_gov.evaluate(evaluate.year, evaluate.region, false);
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded; counties whose inputs did not change since their last run of the year are skipped (evaluate(year, region, true) forces them)';
