-- parcel_gov 1.13.0 → 1.14.0 (speed: evaluate() finds the year's figures
-- through the year's index).
-- A delta: CREATE OR REPLACE keeps the function's owner, grants and comment.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.14.0'" to load this file. \quit

-- ---- evaluate(year, region, force): the year's figures looked up as the
-- first year from y on, in enterprise_year_year_idx's order.  The EXISTS of
-- year = y it replaces was planned as a scan expecting a row soon (the
-- year's statistics said a fifth of the table), and a year loaded after the
-- others lies at the table's end: 0.1–1.5 s of every run at 1,000,000
-- parcels, a county's correction included.  The rest of the function is as
-- in 1.13.0.
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
