-- 一企一策 (one plan per firm): for every graded firm below the top grade,
-- how far it stands from the next better grade in its pool and what alone
-- would take it there: more tax, more value added, or land given back
-- (腾笼换鸟); and how far its per-mu tax stands from each tax tier bound of
-- its rule set (rule_set.tax_tier_bounds).
-- The pool's benchmarks, its mean scores given for missing figures (单位排放
-- 增加值 without emission data) and the other firms' scores stay where the
-- evaluation left them; the levers are computed in C (src/firm_lever.c)
-- with the engine's own arithmetic.

CREATE FUNCTION parcel_gov.score_lever(lever text, target double precision, figures double precision[],
                                       area_mu double precision, land_floor_mu double precision,
                                       scoring double precision[], scores double precision[],
                                       bonus double precision, deduction double precision,
                                       rental_deduction double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'score_lever'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.score_lever(text, double precision, double precision[], double precision, double precision,
                                           double precision[], double precision[], double precision, double precision,
                                           double precision) IS
  '一企一策 lever (v_firm_plan computes the arguments): the least extra tax or value added (万元, whole cents) or land to give back (亩, hundredths, the firm keeping at least its pool''s land floor) that alone lifts the score to target, with benchmarks fixed; figures tax … electricity_kwh, water_t, cod_t, main_revenue as in enterprise_year; scoring [12][6] per indicator: weight (NULL not scored), minmax, benchmark, lo, hi, cap; scores the stored indicator scores (kept where a figure is missing); NULL when no amount can';

CREATE FUNCTION parcel_gov.per_mu_lever(lever text, amount double precision, area_mu double precision,
                                        bound double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'per_mu_lever'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.per_mu_lever(text, double precision, double precision, double precision) IS
  '一企一策 tier lever: the least extra amount (lever tax, 万元 in whole cents) or land to give back (lever land, 亩 in hundredths, keeping some land) that brings amount ÷ area_mu to bound; 0 when there already; NULL when no land can (amount ≤ 0)';

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

-- What v_firm_plan and the tiles compute the levers from, one row per
-- graded firm and year below the top grade: the next grade's line, the
-- firm's figures and stored scores, its pool's scoring.  A SQL function of
-- one query, so the planner inlines it: a filter on year or region reaches
-- the tables, and a lever is computed only for the rows a query keeps.
CREATE FUNCTION parcel_gov.firm_plan_inputs()
    RETURNS TABLE (id bigint, year integer, uscc text, region_code text, pool parcel_gov.size_class,
                   industry_group text, grade parcel_gov.grade, next_grade parcel_gov.grade,
                   score double precision, next_grade_score double precision, area_mu double precision,
                   tax double precision, tax_per_mu double precision, veto_reason text,
                   land_floor_mu double precision, va_scored boolean, figures double precision[],
                   scoring double precision[], scores double precision[], bonus double precision,
                   deduction double precision, rental_deduction double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH ranked AS (
        -- the lowest score holding each grade in the firm's ranking group: ties
        -- share the better grade, so reaching it is enough
        SELECT e.*,
               min(e.score) FILTER (WHERE e.grade_initial = 'A') OVER ranking AS a_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'B') OVER ranking AS b_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'C') OVER ranking AS c_score
        FROM parcel_gov.evaluation e
        WHERE e.grade_initial IS NOT NULL
        WINDOW ranking AS (PARTITION BY e.year, e.region_code, e.pool, e.rule_set_id, e.industry_group)
    ), below_top AS (
        SELECT r.*, n.next_grade, n.next_grade_score
        FROM ranked r
        -- the nearest better grade some firm holds (a grade no firm holds, its quota rounding to none, is skipped)
        LEFT JOIN LATERAL (
            SELECT g.grade AS next_grade, g.score AS next_grade_score
            FROM (VALUES ('A'::parcel_gov.grade, r.a_score), ('B', r.b_score), ('C', r.c_score)) AS g (grade, score)
            WHERE g.grade < r.grade_initial AND g.score IS NOT NULL
            ORDER BY g.grade DESC LIMIT 1) AS n ON true
        WHERE r.grade_initial > 'A'
    ), scoring AS (
        -- each pool's scoring, per indicator in parcel_gov.indicator's order:
        -- weight (NULL: not scored), minmax, benchmark, lo, hi, cap.  Read from
        -- the benchmarks, not from the rows above: every subquery here is read
        -- once, so a filter on year or region reaches the tables
        SELECT p.year, p.region_code, p.pool, p.rule_set_id,
               array_agg(ARRAY[ri.weight, CASE WHEN ri.method = 'minmax' THEN 1 ELSE 0 END, b.benchmark, b.lo, b.hi, ri.cap]
                         ORDER BY k.n) AS scoring,
               min(rp.land_floor_mu) AS land_floor_mu, min(rp.land_floor_sections) AS land_floor_sections,
               coalesce(bool_or(ri.indicator IN ('va_per_mu', 'labour_productivity', 'va_per_energy', 'va_per_emission',
                                                 'va_per_water', 'va_per_cod')),
                        false) AS va_scored
        FROM (SELECT DISTINCT eb.year, eb.region_code, eb.pool, eb.rule_set_id FROM parcel_gov.evaluation_benchmark eb) AS p
        CROSS JOIN unnest(enum_range(NULL::parcel_gov.indicator)) WITH ORDINALITY AS k (indicator, n)
        LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = p.rule_set_id AND rp.pool = p.pool
        LEFT JOIN parcel_gov.rule_indicator ri
               ON ri.rule_set_id = p.rule_set_id AND ri.pool = p.pool AND ri.indicator = k.indicator
        LEFT JOIN parcel_gov.evaluation_benchmark b
               ON b.year = p.year AND b.region_code = p.region_code AND b.pool = p.pool
              AND b.rule_set_id = p.rule_set_id AND b.indicator = k.indicator
        GROUP BY p.year, p.region_code, p.pool, p.rule_set_id
    )
    SELECT t.id, t.year, t.uscc::text, t.region_code, t.pool, t.industry_group, t.grade_initial, t.next_grade,
           t.score, t.next_grade_score, t.area_mu, t.tax, t.tax_per_mu, t.veto_reason,
           -- the floor holds for the firm's GB/T 4754 section (上虞: 制造业), or for every firm
           CASE WHEN s.land_floor_sections IS NULL OR f.industry_code IS NULL
                     OR left(f.industry_code, 1) = ANY (s.land_floor_sections)
                THEN s.land_floor_mu ELSE 0 END, s.va_scored,
           ARRAY[fy.tax, fy.value_added, fy.revenue, fy.rd_expense, fy.staff, fy.energy_tce, fy.emission_t,
                 fy.electricity_kwh, fy.water_t, fy.cod_t, fy.main_revenue],
           s.scoring,
           ARRAY[t.score_tax_per_mu, t.score_va_per_mu, t.score_revenue_per_mu, t.score_labour_productivity,
                 t.score_va_per_energy, t.score_va_per_emission, t.score_rd_intensity, t.score_tax_per_kwh,
                 t.score_revenue_per_kwh, t.score_va_per_water, t.score_va_per_cod, t.score_rd_intensity_main],
           t.bonus, t.deduction, t.rental_deduction
    FROM below_top t
    JOIN scoring s ON s.year = t.year AND s.region_code = t.region_code AND s.pool = t.pool
                  AND s.rule_set_id = t.rule_set_id
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = t.uscc AND fy.year = t.year
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = t.uscc;
END;
COMMENT ON FUNCTION parcel_gov.firm_plan_inputs() IS
  '一企一策 internal: per graded firm and year below the top grade, the next grade''s line and what score_lever needs (figures, the pool''s scoring, the stored scores); inlined into v_firm_plan and parcel_tile';

CREATE VIEW parcel_gov.v_firm_plan WITH (security_invoker = true) AS
SELECT i.id AS fid, i.year, i.uscc, f.name, i.region_code, rg.name AS region_name,
       i.pool::text AS pool,
       parcel_gov.pool_label(i.pool, (SELECT e.rule_set_id FROM parcel_gov.evaluation e WHERE e.id = i.id)) AS pool_label,
       i.industry_group,
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

-- An amount an officer reads out: rounded up to hundredths, so that the
-- sentence stays true (more tax or less land only helps).
CREATE FUNCTION parcel_gov.plan_amount(x double precision)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (ceil(x::numeric * 100) / 100)::numeric(20, 2)::text;
COMMENT ON FUNCTION parcel_gov.plan_amount(double precision) IS
  '一企一策: an amount as firm_plan reads it out, rounded up to hundredths (so the sentence stays true)';

-- A figure as firm_plan shows it: four significant digits (a tax per kWh
-- is 0.0002637, a tax per mu 10.98).
CREATE FUNCTION parcel_gov.plan_figure(x double precision)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN x = 0 THEN '0'
            ELSE round(x::numeric, greatest(2, 3 - floor(log(abs(x::numeric)))::integer))::text END;
COMMENT ON FUNCTION parcel_gov.plan_figure(double precision) IS
  '一企一策: a figure as firm_plan shows it, to four significant digits (at least two decimals)';

-- One firm's page: where it stands, each lever in a sentence (Chinese and
-- English) an officer can read to the firm, its indicators against the
-- pool's benchmarks, and its grades over the years evaluated.
CREATE FUNCTION parcel_gov.firm_plan(uscc text, year integer DEFAULT NULL)
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
           ON b.year = y AND b.region_code = e.region_code AND b.pool::text = e.pool
          AND b.rule_set_id = e.rule_set_id AND b.indicator = ri.indicator
    CROSS JOIN LATERAL (SELECT CASE WHEN ri.indicator::text LIKE '%per_mu' THEN '万元/亩'
                                    WHEN ri.indicator = 'labour_productivity' THEN '万元/人'
                                    WHEN ri.indicator = 'va_per_energy' THEN '万元/吨标煤'
                                    WHEN ri.indicator = 'va_per_emission' THEN '万元/吨'
                                    WHEN ri.indicator IN ('tax_per_kwh', 'revenue_per_kwh') THEN '万元/千瓦时'
                                    WHEN ri.indicator IN ('va_per_water', 'va_per_cod') THEN '万元/吨'
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
COMMENT ON FUNCTION parcel_gov.firm_plan(text, integer) IS
  '一企一策 one firm''s page for a year (latest evaluated by default): where it stands against the next grade, each lever (tax, value added, land) in a sentence in Chinese and English with amounts rounded up, the tax tiers above it, its indicators against the pool''s benchmarks and its grades over the years; sections standing, lever, tier, indicator, trend';
