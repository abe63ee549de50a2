-- evaluate(year, region): the yearly per-mu evaluation, set-based SQL over the
-- C pieces (indicators, indicators_agg, ratio_score/minmax_score, quota_grade).

CREATE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- compiling these large plans costs more than running them
    SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    span daterange;
    started constant timestamptz := clock_timestamp();
    n_firms integer;
    n_graded integer;
    n_changed integer;
    n_removed integer;
    msg record;
BEGIN
    IF y IS NULL THEN
        RAISE EXCEPTION 'evaluate: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate(2024) or parcel_gov.evaluate(2024, ''330604'').';
    END IF;
    span := daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1));
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM pg_advisory_xact_lock(hashtext('parcel_gov.evaluate'), y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    -- A second run in the same transaction starts afresh.
    IF to_regclass('pg_temp.eval_firm') IS NOT NULL THEN
        DROP TABLE pg_temp.eval_firm, pg_temp.eval_pool, pg_temp.eval_score, pg_temp.eval_result;
    END IF;

    -- Each firm: its figures, net land, rule pool, industry group and why it is not graded.
    CREATE TEMP TABLE eval_firm ON COMMIT DROP AS
    WITH firm AS (
        SELECT e.uscc, e.region_code, e.industry_code, f.size_class AS pool,
               f.tax, f.value_added, f.revenue, f.rd_expense, f.staff, f.energy_tce, f.emission_t,
               f.electricity_kwh, f.exempt_reason, f.veto_reason, f.bonus, f.deduction
        FROM parcel_gov.enterprise_year f
        JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
        WHERE f.year = y AND starts_with(e.region_code, prefix)
    ), held AS (
        SELECT p.holder_uscc AS uscc, sum(p.area_mu) AS mu, min(p.supply_date) AS first_supply
        FROM parcel_gov.parcel p JOIN firm ON firm.uscc = p.holder_uscc
        GROUP BY p.holder_uscc
    ), leased_out AS (
        SELECT p.holder_uscc AS uscc, sum(l.area_mu) AS mu, count(DISTINCT l.lessee_uscc) AS lessees
        FROM parcel_gov.lease l
        JOIN parcel_gov.parcel p ON p.code = l.parcel_code
        JOIN firm ON firm.uscc = p.holder_uscc
        WHERE l.during && span
        GROUP BY p.holder_uscc
    ), leased_in AS (
        SELECT l.lessee_uscc AS uscc, sum(l.area_mu) AS mu
        FROM parcel_gov.lease l JOIN firm ON firm.uscc = l.lessee_uscc
        WHERE l.during && span
        GROUP BY l.lessee_uscc
    ), rules AS MATERIALIZED (
        -- once per region: an inlined CTE would call rule_set_for for every firm
        SELECT r.region_code, parcel_gov.rule_set_for(r.region_code, y) AS rule_set_id
        FROM (SELECT DISTINCT firm.region_code FROM firm) AS r
    ), netted AS (
        SELECT firm.*, rules.rule_set_id,
               coalesce(held.mu, 0) AS held_mu, coalesce(leased_out.mu, 0) AS leased_out_mu,
               coalesce(leased_in.mu, 0) AS leased_in_mu,
               coalesce(held.mu, 0) - coalesce(leased_out.mu, 0) + coalesce(leased_in.mu, 0) AS area_mu,
               coalesce(leased_out.lessees, 0) AS lessees, held.first_supply
        FROM firm
        JOIN rules ON rules.region_code = firm.region_code
        LEFT JOIN held ON held.uscc = firm.uscc
        LEFT JOIN leased_out ON leased_out.uscc = firm.uscc
        LEFT JOIN leased_in ON leased_in.uscc = firm.uscc
    )
    SELECT n.*,
           rp.a_share, rp.b_share, rp.c_share,
           CASE WHEN rp.group_by_industry THEN
             coalesce((SELECT g.industry_group FROM parcel_gov.rule_industry_group g
                       WHERE g.rule_set_id = n.rule_set_id
                         AND EXISTS (SELECT FROM unnest(g.industry_prefixes) AS pre WHERE starts_with(n.industry_code, pre))
                       ORDER BY g.industry_group LIMIT 1), '其他')
           END AS industry_group,
           CASE WHEN n.lessees = 0 THEN 0
                ELSE rp.rental_first_deduction + (n.lessees - 1) * rp.rental_further_deduction END AS rental_deduction,
           CASE
             WHEN rp.pool IS NULL OR ri.pool IS NULL THEN 'no rule for this pool'
             WHEN n.area_mu <= 0 THEN 'no land'
             WHEN n.exempt_reason IS NOT NULL THEN 'exempt (T): ' || n.exempt_reason
             WHEN rs.new_land_exempt_years IS NOT NULL
                  AND n.first_supply > make_date(y - rs.new_land_exempt_years, 12, 31)
               THEN format('new land: supplied %s', n.first_supply)
             WHEN n.area_mu < rp.land_floor_mu
               THEN format('under the land floor: %s < %s mu', round(n.area_mu::numeric, 2), rp.land_floor_mu)
           END AS not_graded,
           parcel_gov.indicators(n.tax, n.value_added, n.revenue, n.rd_expense, n.staff, n.energy_tce,
                                 n.emission_t, n.electricity_kwh,
                                 CASE WHEN n.area_mu > 0 THEN n.area_mu END) AS ind
    FROM netted n
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = n.rule_set_id
    LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = n.rule_set_id AND rp.pool = n.pool
    LEFT JOIN (SELECT DISTINCT rule_set_id, pool FROM parcel_gov.rule_indicator) AS ri
           ON ri.rule_set_id = n.rule_set_id AND ri.pool = n.pool;
    ANALYZE pg_temp.eval_firm (uscc, region_code, pool, rule_set_id, not_graded);   -- temp tables have no statistics until analysed

    -- Each pool's own indicators: ratios of sums over the firms it grades.
    CREATE TEMP TABLE eval_pool ON COMMIT DROP AS
    SELECT region_code, pool, rule_set_id, count(*)::integer AS firms,
           parcel_gov.indicators_agg(tax, value_added, revenue, rd_expense, staff, energy_tce,
                                     emission_t, electricity_kwh, area_mu) AS ind
    FROM eval_firm WHERE not_graded IS NULL
    GROUP BY region_code, pool, rule_set_id;
    ANALYZE pg_temp.eval_pool (region_code, pool);

    -- Each graded firm's score on each indicator of its rule.
    CREATE TEMP TABLE eval_score ON COMMIT DROP AS
    WITH v AS (
        SELECT f.uscc, f.region_code, f.pool, f.rule_set_id, ri.indicator, ri.weight, ri.method, ri.cap, ri.missing,
               parcel_gov.indicator_value(f.ind, ri.indicator) AS value,
               parcel_gov.indicator_value(p.ind, ri.indicator) AS pool_value,
               coalesce(ri.benchmark_fixed,
                        parcel_gov.indicator_value(p.ind, ri.indicator) * ri.benchmark_multiplier) AS benchmark,
               p.firms
        FROM eval_firm f
        JOIN eval_pool p ON p.region_code = f.region_code AND p.pool = f.pool
        JOIN parcel_gov.rule_indicator ri ON ri.rule_set_id = f.rule_set_id AND ri.pool = f.pool
        WHERE f.not_graded IS NULL
    ), ranged AS (
        SELECT v.*, min(v.value) OVER w AS lo, max(v.value) OVER w AS hi
        FROM v WINDOW w AS (PARTITION BY v.region_code, v.pool, v.indicator)
    ), scored AS (
        SELECT ranged.*,
               CASE WHEN ranged.value IS NULL THEN NULL
                    WHEN ranged.method = 'minmax' THEN parcel_gov.minmax_score(ranged.value, ranged.lo, ranged.hi, ranged.weight)
                    WHEN ranged.benchmark > 0 THEN parcel_gov.ratio_score(ranged.value, ranged.benchmark, ranged.weight, ranged.cap)
               END AS own_score
        FROM ranged
    )
    SELECT scored.*,
           -- the pool mean is an exact ratio of sums, so reruns give the same bits
           CASE WHEN scored.own_score IS NOT NULL THEN scored.own_score
                WHEN scored.missing = 'pool_mean' THEN
                  coalesce(parcel_gov.per_mu_agg(scored.own_score, 1)
                             OVER (PARTITION BY scored.region_code, scored.pool, scored.indicator), 0)
                ELSE 0 END AS score
    FROM scored;
    ANALYZE pg_temp.eval_score (uscc, region_code, pool, indicator);

    FOR msg IN SELECT DISTINCT region_code, pool, indicator, benchmark FROM eval_score
             WHERE method = 'ratio' AND NOT benchmark > 0 ORDER BY 1, 2, 3 LOOP
        RAISE NOTICE 'evaluate: region % pool %: benchmark of % is %, so no firm scores on it',
                     msg.region_code, msg.pool, msg.indicator, coalesce(msg.benchmark::text, 'missing');
    END LOOP;

    -- Totals, then grades by quota within each pool (and industry group).
    CREATE TEMP TABLE eval_result ON COMMIT DROP AS
    WITH pivot AS (
        SELECT uscc,
               max(score) FILTER (WHERE indicator = 'tax_per_mu') AS score_tax_per_mu,
               max(score) FILTER (WHERE indicator = 'va_per_mu') AS score_va_per_mu,
               max(score) FILTER (WHERE indicator = 'revenue_per_mu') AS score_revenue_per_mu,
               max(score) FILTER (WHERE indicator = 'labour_productivity') AS score_labour_productivity,
               max(score) FILTER (WHERE indicator = 'va_per_energy') AS score_va_per_energy,
               max(score) FILTER (WHERE indicator = 'va_per_emission') AS score_va_per_emission,
               max(score) FILTER (WHERE indicator = 'rd_intensity') AS score_rd_intensity,
               max(score) FILTER (WHERE indicator = 'tax_per_kwh') AS score_tax_per_kwh
        FROM eval_score GROUP BY uscc
    ), totalled AS (
        SELECT f.*, s.score_tax_per_mu, s.score_va_per_mu, s.score_revenue_per_mu, s.score_labour_productivity,
               s.score_va_per_energy, s.score_va_per_emission, s.score_rd_intensity, s.score_tax_per_kwh,
               CASE WHEN f.not_graded IS NULL THEN
                 -- a fixed order of additions, so equal firms get equal bits
                 coalesce(s.score_tax_per_mu, 0) + coalesce(s.score_va_per_mu, 0) + coalesce(s.score_revenue_per_mu, 0)
                 + coalesce(s.score_labour_productivity, 0) + coalesce(s.score_va_per_energy, 0)
                 + coalesce(s.score_va_per_emission, 0) + coalesce(s.score_rd_intensity, 0)
                 + coalesce(s.score_tax_per_kwh, 0) + f.bonus - f.deduction - f.rental_deduction
               END AS score
        FROM eval_firm f LEFT JOIN pivot s ON s.uscc = f.uscc
    ), graded AS (
        SELECT t.uscc, rank() OVER w AS rank, count(*) OVER (PARTITION BY t.region_code, t.pool, t.industry_group) AS pool_size,
               parcel_gov.quota_grade(t.score, t.a_share, t.b_share, t.c_share) OVER w AS grade_initial
        FROM totalled t WHERE t.not_graded IS NULL
        WINDOW w AS (PARTITION BY t.region_code, t.pool, t.industry_group ORDER BY t.score DESC)
    )
    SELECT t.*, g.rank::integer AS rank, g.pool_size::integer AS pool_size, g.grade_initial,
           -- a veto turns a grade into D; a firm not graded stays without one
           CASE WHEN g.grade_initial IS NOT NULL AND t.veto_reason IS NOT NULL THEN 'D'::parcel_gov.grade
                ELSE g.grade_initial END AS grade
    FROM totalled t LEFT JOIN graded g ON g.uscc = t.uscc;
    ANALYZE pg_temp.eval_result (uscc);

    -- Write: unchanged rows are left alone, changed ones updated, new ones added,
    -- rows of firms no longer evaluated in the region removed.
    INSERT INTO parcel_gov.evaluation AS e (
        year, uscc, region_code, rule_set_id, pool, industry_group, held_mu, leased_out_mu, leased_in_mu,
        area_mu, tax, value_added, revenue, tax_per_mu, va_per_mu, revenue_per_mu, labour_productivity,
        va_per_energy, va_per_emission, rd_intensity, tax_per_kwh, score_tax_per_mu, score_va_per_mu,
        score_revenue_per_mu, score_labour_productivity, score_va_per_energy, score_va_per_emission,
        score_rd_intensity, score_tax_per_kwh, bonus, deduction, rental_deduction, score, rank, pool_size,
        grade_initial, grade, not_graded, veto_reason, evaluated_at)
    SELECT y, r.uscc, r.region_code, r.rule_set_id, r.pool, r.industry_group, r.held_mu, r.leased_out_mu,
           r.leased_in_mu, r.area_mu, r.tax, r.value_added, r.revenue, (r.ind).tax_per_mu, (r.ind).va_per_mu,
           (r.ind).revenue_per_mu, (r.ind).labour_productivity, (r.ind).va_per_energy, (r.ind).va_per_emission,
           (r.ind).rd_intensity, (r.ind).tax_per_kwh, r.score_tax_per_mu, r.score_va_per_mu, r.score_revenue_per_mu,
           r.score_labour_productivity, r.score_va_per_energy, r.score_va_per_emission, r.score_rd_intensity,
           r.score_tax_per_kwh, r.bonus, r.deduction, r.rental_deduction, r.score, r.rank, r.pool_size,
           r.grade_initial, r.grade, r.not_graded, r.veto_reason, started
    FROM eval_result r
    ON CONFLICT ON CONSTRAINT evaluation_pkey DO UPDATE SET
        region_code = excluded.region_code, rule_set_id = excluded.rule_set_id, pool = excluded.pool,
        industry_group = excluded.industry_group, held_mu = excluded.held_mu,
        leased_out_mu = excluded.leased_out_mu, leased_in_mu = excluded.leased_in_mu, area_mu = excluded.area_mu,
        tax = excluded.tax, value_added = excluded.value_added, revenue = excluded.revenue,
        tax_per_mu = excluded.tax_per_mu, va_per_mu = excluded.va_per_mu, revenue_per_mu = excluded.revenue_per_mu,
        labour_productivity = excluded.labour_productivity, va_per_energy = excluded.va_per_energy,
        va_per_emission = excluded.va_per_emission, rd_intensity = excluded.rd_intensity,
        tax_per_kwh = excluded.tax_per_kwh, score_tax_per_mu = excluded.score_tax_per_mu,
        score_va_per_mu = excluded.score_va_per_mu, score_revenue_per_mu = excluded.score_revenue_per_mu,
        score_labour_productivity = excluded.score_labour_productivity,
        score_va_per_energy = excluded.score_va_per_energy, score_va_per_emission = excluded.score_va_per_emission,
        score_rd_intensity = excluded.score_rd_intensity, score_tax_per_kwh = excluded.score_tax_per_kwh,
        bonus = excluded.bonus, deduction = excluded.deduction, rental_deduction = excluded.rental_deduction,
        score = excluded.score, rank = excluded.rank, pool_size = excluded.pool_size,
        grade_initial = excluded.grade_initial, grade = excluded.grade, not_graded = excluded.not_graded,
        veto_reason = excluded.veto_reason, evaluated_at = excluded.evaluated_at
    WHERE (e.region_code, e.rule_set_id, e.pool, e.industry_group, e.held_mu, e.leased_out_mu, e.leased_in_mu,
           e.area_mu, e.tax, e.value_added, e.revenue, e.tax_per_mu, e.va_per_mu, e.revenue_per_mu,
           e.labour_productivity, e.va_per_energy, e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
           e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
           e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
           e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size, e.grade_initial, e.grade,
           e.not_graded, e.veto_reason)
          IS DISTINCT FROM
          (excluded.region_code, excluded.rule_set_id, excluded.pool, excluded.industry_group, excluded.held_mu,
           excluded.leased_out_mu, excluded.leased_in_mu, excluded.area_mu, excluded.tax, excluded.value_added,
           excluded.revenue, excluded.tax_per_mu, excluded.va_per_mu, excluded.revenue_per_mu,
           excluded.labour_productivity, excluded.va_per_energy, excluded.va_per_emission, excluded.rd_intensity,
           excluded.tax_per_kwh, excluded.score_tax_per_mu, excluded.score_va_per_mu, excluded.score_revenue_per_mu,
           excluded.score_labour_productivity, excluded.score_va_per_energy, excluded.score_va_per_emission,
           excluded.score_rd_intensity, excluded.score_tax_per_kwh, excluded.bonus, excluded.deduction,
           excluded.rental_deduction, excluded.score, excluded.rank, excluded.pool_size, excluded.grade_initial,
           excluded.grade, excluded.not_graded, excluded.veto_reason);
    GET DIAGNOSTICS n_changed = ROW_COUNT;

    -- NOT IN over a hashed subplan: the right plan even when the table's
    -- statistics are stale (as right after a bulk load)
    DELETE FROM parcel_gov.evaluation e
    WHERE e.year = y AND starts_with(e.region_code, prefix)
      AND e.uscc NOT IN (SELECT r.uscc FROM eval_result r);
    GET DIAGNOSTICS n_removed = ROW_COUNT;

    DELETE FROM parcel_gov.evaluation_benchmark b WHERE b.year = y AND starts_with(b.region_code, prefix);
    INSERT INTO parcel_gov.evaluation_benchmark
    SELECT y, region_code, pool, indicator, min(rule_set_id), min(benchmark), min(pool_value), min(lo), min(hi), min(firms)
    FROM eval_score GROUP BY region_code, pool, indicator;

    SELECT count(*), count(*) FILTER (WHERE not_graded IS NULL) INTO n_firms, n_graded FROM eval_result;
    FOR msg IN SELECT split_part(not_graded, ':', 1) AS why, count(*) AS n FROM eval_result
             WHERE not_graded IS NOT NULL GROUP BY 1 ORDER BY 1 LOOP
        RAISE NOTICE 'evaluate: % firm(s) not graded: %', msg.n, msg.why;
    END LOOP;
    SELECT count(*) AS n INTO msg FROM parcel_gov.parcel p
    WHERE p.holder_uscc IS NULL AND starts_with(p.region_code, prefix);
    IF msg.n > 0 THEN
        RAISE NOTICE 'evaluate: % parcel(s) in the region have no holder and are not evaluated', msg.n;
    END IF;

    PERFORM parcel_gov.register_sync(y, prefix);

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, n_firms, n_graded, n_changed + n_removed);
    RETURN n_graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded';
