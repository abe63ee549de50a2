-- parcel_gov 1.10.0 → 1.11.0 (fidelity: evaluation as the counties publish
-- it).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only where
-- nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.11.0'" to load this file. \quit

-- ---- issue 21 items 1, 2, 3, 9: tax tiers as rule data (bounds and the
-- reading of 以下); what 桐庐's and 金东's multi-year rules test (the parcel,
-- own land or net land); 金东 亩产倍增's 土地利用率; multi-year rules
-- undecided without the earlier years
-- items 1 and 3: the rule set's tiers and land use rate
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN tax_tier_bounds          double precision[] NOT NULL DEFAULT '{5,10,15}'
                             CONSTRAINT rule_set_tax_tier_bounds CHECK (
                               array_ndims(tax_tier_bounds) = 1 AND cardinality(tax_tier_bounds) = 3
                               AND array_position(tax_tier_bounds, NULL) IS NULL
                               AND 0 < tax_tier_bounds[1] AND tax_tier_bounds[1] < tax_tier_bounds[2]
                               AND tax_tier_bounds[2] < tax_tier_bounds[3] AND tax_tier_bounds[3] < 'Infinity'),
    ADD COLUMN tax_tier_includes_bound  boolean NOT NULL DEFAULT false,
    ADD COLUMN tax_tier_source          text,
    ADD COLUMN doubling_min_land_use_rate double precision NOT NULL DEFAULT 0.8
                             CONSTRAINT rule_set_doubling_min_land_use_rate_share
                               CHECK (doubling_min_land_use_rate BETWEEN 0 AND 1);

-- item 2: what the multi-year rules test, and a parcel's 亩均税收 in a year
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN persistent_low_land      text NOT NULL DEFAULT 'parcel'
                             CONSTRAINT rule_set_persistent_low_land CHECK (persistent_low_land IN ('parcel', 'net')),
    ADD COLUMN still_below_land         text NOT NULL DEFAULT 'own'
                             CONSTRAINT rule_set_still_below_land CHECK (still_below_land IN ('own', 'net'));
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_min_mu IS
  '桐庐: land of at least this many mu (a parcel or a firm''s net land, persistent_low_land) whose 亩均税收 stayed under persistent_low_tax_per_mu three years running';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_min_mu IS
  '金东: firms on at least this many mu (own or net land, still_below_land) still 规下 after three years';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_land IS
  '桐庐 20 亩以上、连续三年亩均税收低于 3 万元的地块: what the rule tests: parcel (the plan''s 地块: a parcel''s area and its 亩均税收, the firms using it by area, 桐庐 [S3]) or net (the holder''s net land and 亩均税收)';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_land IS
  '金东 自有用地 20 亩以上三年未上规: what the rule tests: own (the plan''s 自有用地: the land the firm holds, leased out or not, 金东 [S4]) or net (held − leased out + leased in)';

-- A parcel's 亩均税收 in a year, as v_parcel_efficiency counts it for the
-- year it shows: the firms using it (its holder for what is not leased out, the
-- lessees of the leases in force that year), each by its evaluation's
-- 亩均税收 and the area it uses; NULL when none has one.  桐庐's rule on the
-- parcel reads the two years before with it (so does the register's sync).
CREATE FUNCTION parcel_gov.parcel_tax_per_mu(code text, year integer)
    RETURNS double precision
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
             coalesce(ls.tax_sums, '{0,0,0,0}'),
             CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                  THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END))
    FROM parcel_gov.parcel p
    LEFT JOIN parcel_gov.evaluation h ON h.year = parcel_tax_per_mu.year AND h.uscc = p.holder_uscc
    CROSS JOIN LATERAL (
        SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
               parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
                 FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums
        FROM parcel_gov.lease l
        LEFT JOIN parcel_gov.evaluation e ON e.year = parcel_tax_per_mu.year AND e.uscc = l.lessee_uscc
        WHERE l.parcel_code = p.code
          AND l.during && daterange(make_date(parcel_tax_per_mu.year, 1, 1), make_date(parcel_tax_per_mu.year + 1, 1, 1))
    ) AS ls
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.holder_uscc IS NOT NULL
                    THEN greatest(p.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
    ) AS own
    WHERE p.code = parcel_tax_per_mu.code;
END;
COMMENT ON FUNCTION parcel_gov.parcel_tax_per_mu(text, integer) IS
  '宗地亩均税收: a parcel''s 亩均税收 in a year, the firms using it (holder and lessees of leases in force that year) weighed by the area each uses, from their evaluations of that year; NULL when none has one';

-- 桐庐 on the parcel (persistent_low_land 'parcel'): does the firm hold a
-- parcel of min_mu or more whose 亩均税收 stayed under line this year and
-- the two before?  NULL (undecided) when none did but one lacks an earlier
-- year.  A function, not a LATERAL join, so v_enterprise_evaluation can
-- still run whole in a parallel worker.
CREATE FUNCTION parcel_gov.holder_persistent_low(uscc text, year integer, min_mu double precision,
                                                 line double precision)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN bool_or(x.low) THEN true WHEN bool_or(x.low IS NULL) THEN NULL ELSE false END
    FROM parcel_gov.parcel hp
    CROSS JOIN LATERAL (
        SELECT CASE WHEN coalesce(parcel_gov.parcel_tax_per_mu(hp.code, holder_persistent_low.year)
                                  < holder_persistent_low.line, false)
                    THEN parcel_gov.parcel_tax_per_mu(hp.code, holder_persistent_low.year - 1) < holder_persistent_low.line
                         AND parcel_gov.parcel_tax_per_mu(hp.code, holder_persistent_low.year - 2)
                             < holder_persistent_low.line
                    ELSE false END AS low
    ) AS x
    WHERE hp.holder_uscc = holder_persistent_low.uscc AND hp.area_mu >= holder_persistent_low.min_mu;
END;
COMMENT ON FUNCTION parcel_gov.holder_persistent_low(text, integer, double precision, double precision) IS
  '桐庐 连续三年亩均税收低于 line 的地块: true when the firm holds a parcel of min_mu or more whose 亩均税收 (parcel_tax_per_mu) was under line in year and the two years before, NULL when none was but one lacks an earlier year, else false';

-- the rules above in the presets, the engine, the views and the firm plans
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_revenue IS
  '金东 capacity doubling (亩产倍增): grade B or better with revenue ≥ this (万元) or tax ≥ doubling_min_tax, and 土地利用率 ≥ doubling_min_land_use_rate';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_land_use_rate IS
  '金东 capacity doubling (亩产倍增): 土地利用率 (enterprise_year.land_use_rate, a share) at least this (0.8 = 80 % 以上) besides the grade and revenue or tax';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_bounds IS
  '亩均税收分档 (万元/亩): three ascending bounds; tier 1 重点排查 below the first, 2 重点检查 below the second, 3 重点指导 below the third, 0 达标 above all (绍兴 2021: 5/10/15)';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_includes_bound IS
  '以下 includes the bound: true puts a 亩均税收 exactly on a bound in the lower tier (5 万元以下 includes 5, as 民法典 art. 1259 reads 以下); false (under) in the higher one';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_source IS
  'Where the tax tiers and their reading come from (document, article)';
ALTER TABLE parcel_gov.rule_set DISABLE TRIGGER rule_set_builtin_read_only;
UPDATE parcel_gov.rule_set SET tax_tier_source =
  '绍兴 2021 [S1], 嵊州 2021 [S2]: under 5 重点排查, under 10 重点检查, under 15 重点指导 万元/亩; a figure on a bound counts in the higher tier'
WHERE builtin;
ALTER TABLE parcel_gov.rule_set ENABLE TRIGGER rule_set_builtin_read_only;

ALTER TABLE parcel_gov.enterprise_year
    ADD COLUMN land_use_rate   double precision CONSTRAINT enterprise_year_land_use_rate_share CHECK (land_use_rate BETWEEN 0 AND 1);
COMMENT ON COLUMN parcel_gov.enterprise_year.land_use_rate IS
  '土地利用率 (a share, 0.8 = 80 %): how much of its land the firm uses, as the county measures it; 金东 亩产倍增 needs doubling_min_land_use_rate; NULL: not measured';
-- Copies a rule set (typically a preset) under a new id for a region and years.
CREATE OR REPLACE FUNCTION parcel_gov.rule_set_adopt(template text, new_id text, region_prefix text,
                                          year_from integer DEFAULT NULL, year_to integer DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set WHERE id = template) THEN
        RAISE EXCEPTION 'no rule set %', template USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    INSERT INTO parcel_gov.rule_set (id, name, region_prefix, year_from, year_to, builtin, source,
                                     new_land_exempt_years, persistent_low_min_mu, persistent_low_tax_per_mu,
                                     still_below_min_mu, doubling_min_revenue, doubling_min_tax,
                                     non_industrial_since, breach_years_below_target, max_tax_per_mu, max_va_per_mu,
                                     max_tax_per_kwh, scattered_polluting_batch, collective_industrial_batch,
                                     township_last_places, township_summon_months, tax_tier_bounds,
                                     tax_tier_includes_bound, tax_tier_source, doubling_min_land_use_rate,
                                     persistent_low_land, still_below_land)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch,
           r.township_last_places, r.township_summon_months, r.tax_tier_bounds,
           r.tax_tier_includes_bound, r.tax_tier_source, r.doubling_min_land_use_rate,
           r.persistent_low_land, r.still_below_land
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
    SELECT new_id, i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
    FROM parcel_gov.rule_issue i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_new_land
    SELECT new_id, n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
           n.standard_land_since, n.source
    FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = template;
    INSERT INTO parcel_gov.rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source)
    SELECT new_id, m.measure, m.grade, m.measure_label, m.basis, m.rate, m.cap, m.source
    FROM parcel_gov.rule_measure m WHERE m.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years, with its pools, indicators, industry groups and grade-linked measures; returns new_id';

-- A rule set's tiers (rule_set.tax_tier_bounds) with their reading of a
-- figure on a bound (rule_set.tax_tier_includes_bound).
CREATE FUNCTION parcel_gov.tax_tier(tax_per_mu double precision, bounds double precision[],
                                    includes_bound boolean)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'tax_tier_read'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.tax_tier(double precision, double precision[], boolean) IS
  'Per-mu tax tier under a rule set''s bounds: 1 below the first bound (重点排查), 2 (重点检查), 3 (重点指导), 0 above all; a figure on a bound is in the lower tier when includes_bound (以下 includes the bound), else in the higher one';

-- Multi-year rules (桐庐 persistent_low_tax, 金东 still_below_3y) need the
-- two years before: a firm that meets this year's part but lacks an earlier
-- year is undecided (NULL in v_enterprise_evaluation), not "no".  evaluate()
-- says which, so the county evaluates or loads the missing years.
CREATE FUNCTION parcel_gov.notice_multi_year_undecided(year integer, prefix text)
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
            AND (v.persistent_low_tax IS NULL OR v.still_below_3y IS NULL)) AS u;
    IF n > 0 THEN
        RAISE NOTICE 'evaluate: % firm(s) in % have multi-year rules undecided for lack of an earlier year: %',
                     n, notice_multi_year_undecided.year, named || CASE WHEN n > 5 THEN ', …' ELSE '' END
            USING HINT = format('Evaluate %s and %s (their figures first) so that 桐庐''s three years under the line and 金东''s three years 规下 can be decided; until then v_enterprise_evaluation shows NULL.',
                                notice_multi_year_undecided.year - 2, notice_multi_year_undecided.year - 1);
    END IF;
    RETURN n;
END $$;
COMMENT ON FUNCTION parcel_gov.notice_multi_year_undecided(integer, text) IS
  'internal, for evaluate(): a NOTICE naming the firms of a year and region prefix whose multi-year rules (persistent_low_tax, still_below_3y) are undecided because an earlier year is missing (at most five named); returns how many';

CREATE OR REPLACE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    started constant timestamptz := clock_timestamp();
    run record;
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

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    -- each firm's tax tier is counted under its rule set's tiers; the
    -- default's serve a region without one
    SELECT * INTO run FROM parcel_gov.evaluate_run(y, prefix, started,
        (SELECT r.tax_tier_bounds FROM parcel_gov.rule_set r WHERE r.id = 'default'));
    PERFORM parcel_gov.notice_multi_year_undecided(y, prefix);

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, run.firms, run.graded, run.changed);
    RETURN run.graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded';

COMMENT ON TABLE parcel_gov.evaluation_summary IS
  '评价汇总 (per region and year, written by evaluate() with the rows): firms evaluated and graded, firms per grade and per tax tier (1 重点排查, 2 重点检查, 3 重点指导, 0 达标, each firm under its rule set''s tax_tier_bounds: < 5, < 10, < 15, ≥ 15 万元/亩 by default), graded firms'' land (area_sums) and per_mu_agg partial states of tax and value added (tax_sums, va_sums: combine with partial_sum(), finish with per_mu_agg_final()), and a digest of the rows';
CREATE OR REPLACE FUNCTION parcel_gov.summaries_of_rows(year integer, regions text[])
    RETURNS SETOF parcel_gov.evaluation_summary
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT e.year, e.region_code, count(*), count(e.grade),
           count(*) FILTER (WHERE e.grade = 'A'), count(*) FILTER (WHERE e.grade = 'B'),
           count(*) FILTER (WHERE e.grade = 'C'), count(*) FILTER (WHERE e.grade = 'D'),
           count(*) FILTER (WHERE t.tier = 1), count(*) FILTER (WHERE t.tier = 2),
           count(*) FILTER (WHERE t.tier = 3), count(*) FILTER (WHERE t.tier = 0),
           ARRAY[coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL), 0), 0],
           ARRAY[coalesce(sum(e.tax) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
                 coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.tax IS NOT NULL AND e.area_mu <> 0), 0), 0],
           ARRAY[coalesce(sum(e.value_added) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
                 coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.value_added IS NOT NULL
                                                   AND e.area_mu <> 0), 0), 0],
           '\x'::bytea, max(e.evaluated_at)
    FROM parcel_gov.evaluation e
    -- each row's tier under its rule set's tiers (the default's for a rule set since removed)
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
    LEFT JOIN parcel_gov.rule_set d ON d.id = 'default'
    CROSS JOIN LATERAL (SELECT parcel_gov.tax_tier(e.tax_per_mu, coalesce(rs.tax_tier_bounds, d.tax_tier_bounds),
                                                   coalesce(rs.tax_tier_includes_bound, d.tax_tier_includes_bound))
                          AS tier) AS t
    WHERE (summaries_of_rows.year IS NULL OR e.year = summaries_of_rows.year)
      AND (summaries_of_rows.regions IS NULL OR e.region_code = ANY (summaries_of_rows.regions))
    GROUP BY e.year, e.region_code;
END;
COMMENT ON FUNCTION parcel_gov.summaries_of_rows(integer, text[]) IS
  'Summaries computed in SQL from stored evaluation rows of a year (NULL: all) and regions (NULL: all), tiers by each row''s rule set, with an empty digest: the next evaluate() of such a region compares its rows and writes exact ones';
COMMENT ON VIEW parcel_gov.v_region_summary IS
  '区域亩均效益汇总: per region (county, city, province) and year: graded firms'' area (亩), 亩均税收 and 亩均增加值 (ratios of sums), firms by grade and by tax tier (1 重点排查, 2 重点检查, 3 重点指导, 0 达标, each firm under its rule set''s tax_tier_bounds: < 5, < 10, < 15, ≥ 15 万元/亩 by default), and the change against the year before, and 入园率 (the share of evaluated firms, and of 规上 firms, whose land lies in a park); counties'' figures are combined from evaluation_summary, so the view reads one row per county and year';

CREATE OR REPLACE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, f.industry_code,
       e.pool::text AS pool, parcel_gov.label(e.pool) AS pool_label, e.industry_group, e.rule_set_id,
       e.area_mu, e.held_mu, e.leased_out_mu, e.leased_in_mu, e.tax, e.value_added, e.revenue,
       e.tax_per_mu, e.va_per_mu, e.revenue_per_mu, e.labour_productivity, e.va_per_energy,
       e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
       e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
       e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
       e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size,
       e.grade_initial::text AS grade_initial, parcel_gov.label(e.grade_initial) AS grade_initial_label,
       e.grade::text AS grade, parcel_gov.label(e.grade) AS grade_label,
       coalesce(e.grade::text, CASE WHEN e.not_graded LIKE 'exempt%' THEN 'T' END) AS grade_or_t,
       e.not_graded, e.veto_reason,
       parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       p1.tax_per_mu AS tax_per_mu_prev, p2.tax_per_mu AS tax_per_mu_prev2,
       -- multi-year rules: false when this year already fails, else decided by
       -- the two years before; NULL (undecided) when one of them is missing
       CASE WHEN rs.persistent_low_land = 'parcel'
            THEN parcel_gov.holder_persistent_low(e.uscc, e.year, rs.persistent_low_min_mu, rs.persistent_low_tax_per_mu)
            WHEN coalesce(e.area_mu >= rs.persistent_low_min_mu AND e.tax_per_mu < rs.persistent_low_tax_per_mu, false)
            THEN p1.tax_per_mu < rs.persistent_low_tax_per_mu AND p2.tax_per_mu < rs.persistent_low_tax_per_mu
            ELSE false END AS persistent_low_tax,
       CASE WHEN coalesce(CASE rs.still_below_land WHEN 'own' THEN e.held_mu ELSE e.area_mu END >= rs.still_below_min_mu
                          AND e.pool = 'below', false)
            THEN p1.pool = 'below' AND p2.pool = 'below'
            ELSE false END AS still_below_3y,
       -- 金东 亩产倍增: undecided (NULL) when only the land use rate is missing
       CASE WHEN coalesce(e.grade <= 'B' AND (e.revenue >= rs.doubling_min_revenue OR e.tax >= rs.doubling_min_tax), false)
            THEN fy.land_use_rate >= rs.doubling_min_land_use_rate
            ELSE false END AS capacity_doubling_candidate,
       e.evaluated_at
FROM parcel_gov.evaluation e
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
LEFT JOIN parcel_gov.evaluation p1 ON p1.uscc = e.uscc AND p1.year = e.year - 1
LEFT JOIN parcel_gov.evaluation p2 ON p2.uscc = e.uscc AND p2.year = e.year - 2
LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = e.uscc AND fy.year = e.year;
COMMENT ON VIEW parcel_gov.v_enterprise_evaluation IS
  '企业亩均效益评价结果: each firm''s evaluation with names and labels, its tax tier (its rule set''s bounds and reading), the per-mu tax of the two years before, and the multi-year facts: persistent_low_tax (桐庐: a parcel of ≥ 20 mu the firm holds, under 3 万元/亩 three years running; or its net land, persistent_low_land), still_below_3y (金东: ≥ 20 mu of own land, still 规下 three years; or net land, still_below_land), both NULL (undecided) when this year meets the rule but an earlier year is missing, capacity_doubling_candidate (金东 亩产倍增: grade B or better, revenue ≥ 1 亿元 or tax ≥ 300 万元, 土地利用率 ≥ 80 %; NULL when the rate is missing)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.area_mu IS '用地面积(亩): net land = held − leased out + leased in';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.tax_per_mu IS '亩均税收 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.va_per_mu IS '亩均增加值 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score IS '综合得分';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial IS '初评等级 (by quota)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial_label IS '初评等级名称: the grade by quota in Chinese';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade IS '评价等级 (after a veto, 一票否决 → D)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_or_t IS 'grade, or T for firms exempt from grading (不参评)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.persistent_low_tax IS
  '桐庐 连续三年亩均税收低于 persistent_low_tax_per_mu, on a parcel the firm holds of persistent_low_min_mu or more (persistent_low_land parcel) or on its net land (net): true, false, or NULL (undecided: this year meets it, an earlier year is not evaluated or has no per-mu tax)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.still_below_3y IS
  '金东 自有用地 still_below_min_mu 亩以上三年未上规, on own land (still_below_land own: held_mu) or net land (net): true, false, or NULL (undecided: this year meets it, an earlier year is not evaluated)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.capacity_doubling_candidate IS
  '金东 产能倍增: grade B or better, revenue ≥ doubling_min_revenue or tax ≥ doubling_min_tax, and 土地利用率 ≥ doubling_min_land_use_rate; NULL when only the rate is missing';

CREATE OR REPLACE VIEW parcel_gov.v_parcel_efficiency WITH (security_invoker = true) AS
SELECT p.fid * 10000 + ys.year AS fid, p.code::text AS code, ys.year, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool::text AS pool, parcel_gov.label(h.pool) AS pool_label,
       h.grade::text AS grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(u.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       k.kinds::text[] AS kinds, array_to_string(k.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(k.kinds) AS kind_labels, array_to_string(parcel_gov.label(k.kinds), '、') AS kind_labels_text,
       k.batch::text AS batch, parcel_gov.label(k.batch) AS batch_label,
       r.state::text AS register_state, parcel_gov.label(r.state) AS register_state_label,
       p.geom, p.lon, p.lat, r.route::text AS route, parcel_gov.label(r.route) AS route_label
FROM parcel_gov.parcel p
JOIN parcel_gov.evaluation_summary ys ON ys.region_code = p.region_code
-- one row each, looked up by key (LIMIT 1 keeps the planner from hashing whole tables)
LEFT JOIN LATERAL (SELECT e.uscc, e.pool, e.grade, e.area_mu, e.tax_per_mu, e.va_per_mu, e.rule_set_id
                   FROM parcel_gov.evaluation e WHERE e.year = ys.year AND e.uscc = p.holder_uscc LIMIT 1) AS h ON true
LEFT JOIN LATERAL (SELECT fy.backward_capacity, fy.prohibited_industry, fy.scattered_polluting
                   FROM parcel_gov.enterprise_year fy WHERE fy.year = ys.year AND fy.uscc = p.holder_uscc LIMIT 1) AS fy ON true
LEFT JOIN LATERAL (SELECT e.name FROM parcel_gov.enterprise e WHERE e.uscc = p.holder_uscc LIMIT 1) AS f ON true
LEFT JOIN LATERAL (SELECT r.state, r.route FROM parcel_gov.register r WHERE r.parcel_code = p.code LIMIT 1) AS r ON true
-- the leases in force during the year, with their lessees' figures, as exact
-- partial states (partial_sum), the sums the engine takes
CROSS JOIN LATERAL (
    SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
           parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
             FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums,
           parcel_gov.partial_sum(ARRAY[l.area_mu * e.va_per_mu, 0, l.area_mu, 0])
             FILTER (WHERE e.va_per_mu IS NOT NULL AND l.area_mu <> 0) AS va_sums
    FROM parcel_gov.lease l
    LEFT JOIN parcel_gov.evaluation e ON e.year = ys.year AND e.uscc = l.lessee_uscc
    WHERE l.parcel_code = p.code
      AND l.during && daterange(make_date(ys.year, 1, 1), make_date(ys.year + 1, 1, 1))
) AS ls
-- the holder uses what its leases do not cover
CROSS JOIN LATERAL (
    SELECT CASE WHEN p.holder_uscc IS NOT NULL
                THEN greatest(p.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
) AS own
-- per-mu figures of the firms using the parcel, weighed by the area each uses
CROSS JOIN LATERAL (
    SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
             coalesce(ls.tax_sums, '{0,0,0,0}'),
             CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                  THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END)) AS tax_per_mu,
           parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
             coalesce(ls.va_sums, '{0,0,0,0}'),
             CASE WHEN h.va_per_mu IS NOT NULL AND own.area <> 0
                  THEN ARRAY[own.area * h.va_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END)) AS va_per_mu
) AS u
LEFT JOIN parcel_gov.rule_set rs
       ON rs.id = coalesce(h.rule_set_id, parcel_gov.rule_set_for(p.region_code, ys.year))
LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = rs.id AND rp.pool = h.pool
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code
-- 桐庐: under the line this year and the two before, looked up only for a
-- candidate (a join, not a subquery in the expression: that would keep the
-- view out of parallel plans): the parcel's own (persistent_low_land
-- 'parcel', the plan's 地块) or its holder's on its net land ('net')
CROSS JOIN LATERAL (
    SELECT CASE WHEN rs.persistent_low_land = 'parcel'
                THEN p.area_mu >= rs.persistent_low_min_mu AND u.tax_per_mu < rs.persistent_low_tax_per_mu
                ELSE h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu END
             AS this_year
) AS cand
LEFT JOIN LATERAL (
    SELECT max(e.tax_per_mu) AS worst
    FROM parcel_gov.evaluation e
    WHERE rs.persistent_low_land = 'net' AND cand.this_year
      AND e.year IN (ys.year - 1, ys.year - 2) AND e.uscc = p.holder_uscc
    HAVING count(e.tax_per_mu) = 2
    UNION ALL
    SELECT greatest(t.prev, t.prev2)
    FROM (SELECT parcel_gov.parcel_tax_per_mu(p.code, ys.year - 1) AS prev,
                 parcel_gov.parcel_tax_per_mu(p.code, ys.year - 2) AS prev2
          WHERE rs.persistent_low_land = 'parcel' AND cand.this_year) AS t
    WHERE t.prev IS NOT NULL AND t.prev2 IS NOT NULL
) AS before ON true
-- 问题清单: an open issue past its deadline, of a department whose overdue
-- issues the rule set sends to 关停退出 (looked up as the engine does)
LEFT JOIN LATERAL (
    SELECT true AS overdue
    FROM parcel_gov.issue i
    JOIN parcel_gov.rule_issue ri ON ri.rule_set_id = rs.id AND ri.department = i.department AND ri.shutdown_when_overdue
    WHERE i.parcel_code = p.code AND i.closed IS NULL AND i.deadline < current_date
    LIMIT 1
) AS iss ON true
CROSS JOIN LATERAL (
    SELECT kk.kinds,
           parcel_gov.four_batch(kk.kinds, fy.backward_capacity, p.fails_acceptance OR iss.overdue, p.plan_conforming,
                                 p.planned_industrial, p.building_condition,
                                 rs.scattered_polluting_batch, rs.collective_industrial_batch) AS batch
    FROM (SELECT parcel_gov.low_efficiency_kinds(
                   u.tax_per_mu, rp.low_tax_per_mu,
                   cand.this_year AND before.worst < rs.persistent_low_tax_per_mu,
                   h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
                   fy.prohibited_industry, fy.scattered_polluting, p.code, p.land_procedures_legal) AS kinds
          OFFSET 0) AS kk    -- computed once, for the kinds and the batch
) AS k;
COMMENT ON VIEW parcel_gov.v_parcel_efficiency IS
  '宗地亩均效益: each parcel in each evaluated year: 亩均税收 and 亩均增加值 of the firms using it (holder and lessees, by area used), the holder''s grade, tax tier (the rule set''s tiers), 低效类型 (kinds), 四个一批 (batch), register state and disposal route (处置路径), geometry and lon/lat; the kinds and batch the register''s sync records';

-- A tier lever under a rule set's reading of a figure on a bound: where 以下
-- includes the bound (tax_tier_includes_bound), reaching it is not leaving
-- the tier, so the lever takes one more cent (or hundredth of a mu).
CREATE FUNCTION parcel_gov.tier_lever(lever text, amount double precision, area_mu double precision,
                                      bound double precision, includes_bound boolean)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN NOT includes_bound OR NOT area_mu > 0
            THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound)
            WHEN lever = 'tax' AND (amount + parcel_gov.per_mu_lever(lever, amount, area_mu, bound)) / area_mu <= bound
            THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound) + 0.01
            WHEN lever = 'land' AND amount / (area_mu - parcel_gov.per_mu_lever(lever, amount, area_mu, bound)) <= bound
            THEN CASE WHEN area_mu - parcel_gov.per_mu_lever(lever, amount, area_mu, bound) > 0.01
                      THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound) + 0.01 END
            ELSE parcel_gov.per_mu_lever(lever, amount, area_mu, bound) END;
COMMENT ON FUNCTION parcel_gov.tier_lever(text, double precision, double precision, double precision, boolean) IS
  '一企一策 tier lever under a rule set''s reading: per_mu_lever to the bound, or, when includes_bound (以下 includes the bound), the least amount that takes the per-mu figure above it (one more cent or hundredth of a mu); NULL when no amount can';

CREATE OR REPLACE VIEW parcel_gov.v_firm_plan WITH (security_invoker = true) AS
SELECT i.id AS fid, i.year, i.uscc, f.name, i.region_code, rg.name AS region_name,
       i.pool::text AS pool, parcel_gov.label(i.pool) AS pool_label, i.industry_group,
       i.grade::text AS grade, parcel_gov.label(i.grade) AS grade_label,
       i.next_grade::text AS next_grade, parcel_gov.label(i.next_grade) AS next_grade_label,
       i.score, i.next_grade_score, greatest(i.next_grade_score - i.score, 0) AS score_gap,
       parcel_gov.score_lever('tax', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS tax_needed,
       parcel_gov.score_lever('value_added', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring,
                              i.scores, i.bonus, i.deduction, i.rental_deduction) AS va_needed,
       parcel_gov.score_lever('land', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS land_to_release_mu,
       i.area_mu, i.tax, i.tax_per_mu,
       parcel_gov.tax_tier(i.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(i.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       -- the columns keep the default's numbers in their names; the bounds are the rule set's
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[1],
                             rs.tax_tier_includes_bound) AS tax_needed_5,
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[2],
                             rs.tax_tier_includes_bound) AS tax_needed_10,
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[3],
                             rs.tax_tier_includes_bound) AS tax_needed_15,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[1],
                             rs.tax_tier_includes_bound) AS land_to_release_5,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[2],
                             rs.tax_tier_includes_bound) AS land_to_release_10,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[3],
                             rs.tax_tier_includes_bound) AS land_to_release_15,
       i.land_floor_mu, i.va_scored, i.veto_reason
FROM parcel_gov.firm_plan_inputs() AS i
JOIN parcel_gov.enterprise f ON f.uscc = i.uscc
-- the evaluation's rule set, for its tax tiers
LEFT JOIN parcel_gov.evaluation ev ON ev.id = i.id
LEFT JOIN parcel_gov.rule_set rs ON rs.id = ev.rule_set_id
LEFT JOIN parcel_gov.region rg ON rg.code = i.region_code;
COMMENT ON VIEW parcel_gov.v_firm_plan IS
  '一企一策 firm plans: every graded firm below the top grade, per year: the next better grade in its ranking group, the score that holds it, and what alone would reach it: more tax (tax_needed, 万元), more value added (va_needed, 万元) or land given back (land_to_release_mu, 亩; NULL when none can); and the tax or land to reach each of the rule set''s tax tier bounds (tax_tier_bounds, 5/10/15 万元/亩 by default: the columns _5, _10, _15 are the first, second and third bound; where 以下 includes the bound, one cent more leaves the tier). The pool''s benchmarks, its mean scores given for missing figures and the other firms'' scores are held as evaluated; each lever passes through every indicator it feeds, with the rule''s weights, caps and missing-figure scores; amounts are the least whole cents or hundredths of a mu';
COMMENT ON COLUMN parcel_gov.v_firm_plan.fid IS '编号: the evaluation row''s id (a key for GIS and BI tools)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade IS '初评等级: the grade by rank in the pool (before a veto)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade_label IS '初评等级名称: the grade by rank in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade IS '目标等级: the next better grade some firm of the ranking group holds';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_label IS '目标等级名称: the next better grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_score IS '升档分数线: the lowest score holding the next grade in the ranking group that year (reaching it is enough: ties share the better grade)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score_gap IS '分差: points short of the next grade';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed IS '需增税收 (万元): extra tax that alone reaches the next grade (tax feeds 亩均税收 and 单位电耗税收); NULL when no amount can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_needed IS '需增增加值 (万元): extra value added that alone reaches the next grade (feeds 亩均增加值, 全员劳动生产率, 单位能耗/排放增加值); NULL where value added is not scored or cannot reach it';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_mu IS '需退出用地 (亩): land to lease out or give back that alone reaches the next grade (raises every per-mu indicator; the firm keeps its pool''s land floor); NULL when no amount of land can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_5 IS '至第一档线需增税收 (万元): extra tax to reach the rule set''s first tax tier bound (5 万元/亩 by default) on the current land (0 when there)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_10 IS '至第二档线需增税收 (万元): extra tax to reach the rule set''s second tax tier bound (10 万元/亩 by default) on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_15 IS '至第三档线需增税收 (万元): extra tax to reach the rule set''s third tax tier bound (15 万元/亩 by default) on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_5 IS '至第一档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s first tax tier bound (5 万元/亩 by default); NULL without tax';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_10 IS '至第二档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s second tax tier bound (10 万元/亩 by default)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_15 IS '至第三档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s third tax tier bound (15 万元/亩 by default)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_scored IS '考核增加值: value added feeds a scored indicator of the pool (else va_needed is NULL)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_floor_mu IS '参评用地下限 (亩): the pool''s land floor, which land given back may not cross';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score IS '综合得分: the score of the evaluation';

CREATE OR REPLACE FUNCTION parcel_gov.firm_plan(uscc text, year integer DEFAULT NULL)
    RETURNS TABLE (section text, item text, value double precision, reference double precision, unit text,
                   sentence text, sentence_en text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firm constant text := firm_plan.uscc;
    y integer := firm_plan.year;
    e record;
    p record;
    next_text text;
BEGIN
    IF firm IS NULL THEN
        RAISE EXCEPTION 'firm_plan needs a firm''s code' USING ERRCODE = '22004',
            HINT = 'e.g. firm_plan(''91330604MA2C00089F'', 2024).';
    END IF;
    IF y IS NULL THEN
        SELECT max(v.year) INTO y FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm;
    END IF;
    SELECT * INTO e FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm AND v.year = y;
    IF NOT FOUND THEN
        -- another county's firm is as absent as one that does not exist
        RAISE EXCEPTION 'no evaluation of firm % in %', firm, coalesce(y::text, 'any year') USING ERRCODE = '22023',
            HINT = 'SELECT uscc, year FROM parcel_gov.v_enterprise_evaluation lists the firms and years you may see.';
    END IF;
    SELECT * INTO p FROM parcel_gov.v_firm_plan v WHERE v.uscc = firm AND v.year = y AND v.region_code = e.region_code;

    -- where it stands
    IF e.grade_initial IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', NULL::float8, NULL::float8, NULL::text,
            format('%s 年未参评：%s', y, e.not_graded), format('Not graded in %s: %s', y, e.not_graded);
    ELSIF p IS NULL OR p.next_grade IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', e.score, NULL::float8, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s），分组内无更高等级可升。', y, round(e.score::numeric, 2),
                   e.grade_initial, e.grade_initial_label),
            format('Score %s in %s, grade %s: no better grade to reach in its pool.', round(e.score::numeric, 2), y,
                   e.grade_initial);
    ELSE
        next_text := format('%s 类（%s）', p.next_grade, p.next_grade_label);
        RETURN QUERY SELECT 'standing', 'grade', p.score, p.next_grade_score, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s）；升至 %s需 %s 分，差 %s 分。', y, round(p.score::numeric, 2),
                   p.grade, p.grade_label, next_text, round(p.next_grade_score::numeric, 2),
                   parcel_gov.plan_amount(p.score_gap)),
            format('Score %s in %s, grade %s; grade %s needs %s: %s points short.', round(p.score::numeric, 2), y,
                   p.grade, p.next_grade, round(p.next_grade_score::numeric, 2), parcel_gov.plan_amount(p.score_gap));
        IF e.veto_reason IS NOT NULL THEN
            RETURN QUERY SELECT 'standing', 'veto', NULL::float8, NULL::float8, NULL::text,
                format('一票否决（%s）：最终等级为 D 类，须先消除否决事项。', e.veto_reason),
                format('Vetoed (%s): the final grade is D until the veto is lifted.', e.veto_reason);
        END IF;
        -- each lever alone, then the three in one sentence
        RETURN QUERY SELECT 'lever', 'tax', p.tax_needed, NULL::float8, '万元',
            CASE WHEN p.tax_needed IS NULL THEN format('仅增加税收无法升至 %s。', next_text)
                 ELSE format('再缴税 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.tax_needed), next_text) END,
            CASE WHEN p.tax_needed IS NULL THEN format('No amount of tax alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more tax alone lifts it to grade %s.', parcel_gov.plan_amount(p.tax_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'value_added', p.va_needed, NULL::float8, '万元',
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN '本分组不考核工业增加值。'
                 WHEN p.va_needed IS NULL THEN format('仅增加工业增加值无法升至 %s。', next_text)
                 ELSE format('工业增加值再增 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.va_needed), next_text) END,
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN 'Value added is not scored in this pool.'
                 WHEN p.va_needed IS NULL THEN format('No amount of value added alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more value added alone lifts it to grade %s.', parcel_gov.plan_amount(p.va_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'land', p.land_to_release_mu, p.area_mu, '亩',
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('退出用地无法升至 %s（须保留参评下限 %s 亩）。', next_text, p.land_floor_mu)
                 ELSE format('退出（出租或交回）用地 %s 亩，可升至 %s。', parcel_gov.plan_amount(p.land_to_release_mu),
                             next_text) END,
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('No land given back lifts it to grade %s (it keeps at least %s mu).', p.next_grade,
                             p.land_floor_mu)
                 ELSE format('Giving back %s mu (leased out or returned) alone lifts it to grade %s.',
                             parcel_gov.plan_amount(p.land_to_release_mu), p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'any', NULL::float8, NULL::float8, NULL::text,
            concat_ws('，或', '再缴税 ' || parcel_gov.plan_amount(p.tax_needed) || ' 万元',
                      '工业增加值再增 ' || parcel_gov.plan_amount(p.va_needed) || ' 万元',
                      '退出 ' || parcel_gov.plan_amount(p.land_to_release_mu) || ' 亩')
              || format('，可升至 %s。', next_text),
            concat_ws(', or ', parcel_gov.plan_amount(p.tax_needed) || ' 万元 more tax',
                      parcel_gov.plan_amount(p.va_needed) || ' 万元 more value added',
                      parcel_gov.plan_amount(p.land_to_release_mu) || ' mu given back')
              || format(' lifts it to grade %s.', p.next_grade)
        WHERE num_nonnulls(p.tax_needed, p.va_needed, p.land_to_release_mu) > 0;
    END IF;

    -- the tax tiers still above it
    RETURN QUERY
    SELECT 'tier', t.bound::text, l.tax, l.land, '万元 / 亩',
           format('亩均税收%s %s 万元/亩：再缴税 %s 万元', CASE WHEN rs.tax_tier_includes_bound THEN '超过' ELSE '达到' END,
                  t.bound, parcel_gov.plan_amount(l.tax))
             || coalesce(format('，或退出 %s 亩', parcel_gov.plan_amount(l.land)), '') || '。',
           format('To %s %s 万元/亩: %s 万元 more tax', CASE WHEN rs.tax_tier_includes_bound THEN 'rise above' ELSE 'reach' END,
                  t.bound, parcel_gov.plan_amount(l.tax))
             || coalesce(format(', or %s mu given back', parcel_gov.plan_amount(l.land)), '') || '.'
    FROM parcel_gov.rule_set rs
    -- the rule set's tiers still above it (a figure on a bound that 以下 includes is still under it)
    CROSS JOIN unnest(rs.tax_tier_bounds) AS t (bound)
    CROSS JOIN LATERAL (SELECT parcel_gov.tier_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound,
                                                     rs.tax_tier_includes_bound) AS tax,
                               parcel_gov.tier_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound,
                                                     rs.tax_tier_includes_bound) AS land) AS l
    WHERE rs.id = e.rule_set_id AND e.area_mu > 0
      AND (coalesce(e.tax_per_mu, 0) < t.bound OR (rs.tax_tier_includes_bound AND e.tax_per_mu = t.bound))
    ORDER BY t.bound;

    -- the indicators against the pool's benchmarks
    RETURN QUERY
    SELECT 'indicator', ri.indicator::text, (to_jsonb(e) ->> ri.indicator::text)::float8, b.benchmark, u.unit,
           format('%s %s，基准 %s，得 %s / %s 分', parcel_gov.label(ri.indicator),
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), '无数据'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight),
           format('%s %s against a benchmark of %s: %s of %s points', ri.indicator,
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), 'no figure'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight)
    FROM parcel_gov.rule_indicator ri
    LEFT JOIN parcel_gov.evaluation_benchmark b
           ON b.year = y AND b.region_code = e.region_code AND b.pool::text = e.pool AND b.indicator = ri.indicator
    CROSS JOIN LATERAL (SELECT CASE WHEN ri.indicator::text LIKE '%per_mu' THEN '万元/亩'
                                    WHEN ri.indicator = 'labour_productivity' THEN '万元/人'
                                    WHEN ri.indicator = 'va_per_energy' THEN '万元/吨标煤'
                                    WHEN ri.indicator = 'va_per_emission' THEN '万元/吨'
                                    WHEN ri.indicator = 'tax_per_kwh' THEN '万元/千瓦时'
                                    ELSE '' END AS unit) AS u
    WHERE ri.rule_set_id = e.rule_set_id AND ri.pool::text = e.pool
    ORDER BY ri.indicator;

    -- the years evaluated
    RETURN QUERY
    SELECT 'trend', v.year::text, v.score, v.tax_per_mu, '分 / 万元每亩',
           format('%s 年：%s，得分 %s，亩均税收 %s 万元/亩', v.year,
                  coalesce(v.grade || ' 类', '未参评'), coalesce(round(v.score::numeric, 2)::text, '—'),
                  coalesce(round(v.tax_per_mu::numeric, 2)::text, '—')),
           format('%s: %s, score %s, tax per mu %s 万元', v.year, coalesce('grade ' || v.grade, 'not graded'),
                  coalesce(round(v.score::numeric, 2)::text, '—'), coalesce(round(v.tax_per_mu::numeric, 2)::text, '—'))
    FROM parcel_gov.v_enterprise_evaluation v
    WHERE v.uscc = firm
    ORDER BY v.year;
END $$;

CREATE OR REPLACE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name,
       w.pool::text AS pool, parcel_gov.label(w.pool) AS pool_label,
       w.grade::text AS grade, parcel_gov.label(w.grade) AS grade_label,
       w.grade_prev::text AS grade_prev, parcel_gov.label(w.grade_prev) AS grade_prev_label,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END) AS reason_labels
FROM (
    SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, e.pool,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) = 2, false)
             AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped
    FROM parcel_gov.evaluation e
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
    LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
) AS w
WHERE w.falling OR w.near_line OR w.dropped;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, or whose grade dropped; one row per firm and year with the reasons';

-- the view columns whose words changed (install/95_view_comments.sql)
DO $$
DECLARE
    c text;
BEGIN
    FOR c IN
        SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', n.nspname, cl.relname, a.attname, w.words)
        FROM (VALUES ('tax_tier', '亩均税收分档: 1 重点排查, 2 重点检查, 3 重点指导, 0 达标, by the rule set''s tax_tier_bounds (5/10/15 万元/亩 by default) and its reading of a figure on a bound'),
                     ('tier_0', '达标企业数: firms at or above the rule set''s last tax tier bound (≥ 15 万元/亩 by default)'),
                     ('tier_1', '重点排查企业数: firms below the rule set''s first tax tier bound (< 5 万元/亩 by default)'),
                     ('tier_2', '重点检查企业数: firms in the rule set''s second tax tier (5–10 万元/亩 by default)'),
                     ('tier_3', '重点指导企业数: firms in the rule set''s third tax tier (10–15 万元/亩 by default)')) AS w (name, words)
        JOIN pg_attribute a ON a.attname = w.name AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_class cl ON cl.oid = a.attrelid AND cl.relkind = 'v'
        JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'parcel_gov'
    LOOP
        EXECUTE c;
    END LOOP;
END $$;
