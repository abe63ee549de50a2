-- parcel_gov 1.8.0 → 1.9.0 (一企一策, firm plans): v_firm_plan and
-- firm_plan(), the levers computed in C (score_lever, per_mu_lever) from
-- firm_plan_inputs(); the tile carries each holder's next grade and the tax
-- that reaches it, map_svg's tooltip the holder's plan.  A delta: new
-- objects, CREATE OR REPLACE for the tile and the map; map_parcel takes the
-- plan as a new argument, so the old one is dropped after map_svg stops
-- calling it, its grants given to the new one.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.9.0'" to load this file. \quit

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
  '一企一策 lever (v_firm_plan computes the arguments): the least extra tax or value added (万元, whole cents) or land to give back (亩, hundredths, the firm keeping at least its pool''s land floor) that alone lifts the score to target, with benchmarks fixed; figures tax … electricity_kwh as in enterprise_year; scoring [8][6] per indicator: weight (NULL not scored), minmax, benchmark, lo, hi, cap; scores the stored indicator scores (kept where a figure is missing); NULL when no amount can';

CREATE FUNCTION parcel_gov.per_mu_lever(lever text, amount double precision, area_mu double precision,
                                        bound double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'per_mu_lever'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.per_mu_lever(text, double precision, double precision, double precision) IS
  '一企一策 tier lever: the least extra amount (lever tax, 万元 in whole cents) or land to give back (lever land, 亩 in hundredths, keeping some land) that brings amount ÷ area_mu to bound; 0 when there already; NULL when no land can (amount ≤ 0)';

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
        WINDOW ranking AS (PARTITION BY e.year, e.region_code, e.pool, e.industry_group)
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
               min(rp.land_floor_mu) AS land_floor_mu,
               coalesce(bool_or(ri.indicator IN ('va_per_mu', 'labour_productivity', 'va_per_energy', 'va_per_emission')),
                        false) AS va_scored
        FROM (SELECT DISTINCT eb.year, eb.region_code, eb.pool, eb.rule_set_id FROM parcel_gov.evaluation_benchmark eb) AS p
        CROSS JOIN unnest(enum_range(NULL::parcel_gov.indicator)) WITH ORDINALITY AS k (indicator, n)
        LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = p.rule_set_id AND rp.pool = p.pool
        LEFT JOIN parcel_gov.rule_indicator ri
               ON ri.rule_set_id = p.rule_set_id AND ri.pool = p.pool AND ri.indicator = k.indicator
        LEFT JOIN parcel_gov.evaluation_benchmark b
               ON b.year = p.year AND b.region_code = p.region_code AND b.pool = p.pool AND b.indicator = k.indicator
        GROUP BY p.year, p.region_code, p.pool, p.rule_set_id
    )
    SELECT t.id, t.year, t.uscc::text, t.region_code, t.pool, t.industry_group, t.grade_initial, t.next_grade,
           t.score, t.next_grade_score, t.area_mu, t.tax, t.tax_per_mu, t.veto_reason, s.land_floor_mu, s.va_scored,
           ARRAY[fy.tax, fy.value_added, fy.revenue, fy.rd_expense, fy.staff, fy.energy_tce, fy.emission_t,
                 fy.electricity_kwh],
           s.scoring,
           ARRAY[t.score_tax_per_mu, t.score_va_per_mu, t.score_revenue_per_mu, t.score_labour_productivity,
                 t.score_va_per_energy, t.score_va_per_emission, t.score_rd_intensity, t.score_tax_per_kwh],
           t.bonus, t.deduction, t.rental_deduction
    FROM below_top t
    JOIN scoring s ON s.year = t.year AND s.region_code = t.region_code AND s.pool = t.pool
                  AND s.rule_set_id = t.rule_set_id
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = t.uscc AND fy.year = t.year;
END;
COMMENT ON FUNCTION parcel_gov.firm_plan_inputs() IS
  '一企一策 internal: per graded firm and year below the top grade, the next grade''s line and what score_lever needs (figures, the pool''s scoring, the stored scores); inlined into v_firm_plan and parcel_tile';

CREATE VIEW parcel_gov.v_firm_plan WITH (security_invoker = true) AS
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
       parcel_gov.tax_tier(i.tax_per_mu) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(i.tax_per_mu)) AS tax_tier_label,
       parcel_gov.per_mu_lever('tax', coalesce(i.tax, 0), i.area_mu, 5) AS tax_needed_5,
       parcel_gov.per_mu_lever('tax', coalesce(i.tax, 0), i.area_mu, 10) AS tax_needed_10,
       parcel_gov.per_mu_lever('tax', coalesce(i.tax, 0), i.area_mu, 15) AS tax_needed_15,
       parcel_gov.per_mu_lever('land', coalesce(i.tax, 0), i.area_mu, 5) AS land_to_release_5,
       parcel_gov.per_mu_lever('land', coalesce(i.tax, 0), i.area_mu, 10) AS land_to_release_10,
       parcel_gov.per_mu_lever('land', coalesce(i.tax, 0), i.area_mu, 15) AS land_to_release_15,
       i.land_floor_mu, i.va_scored, i.veto_reason
FROM parcel_gov.firm_plan_inputs() AS i
JOIN parcel_gov.enterprise f ON f.uscc = i.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = i.region_code;
COMMENT ON VIEW parcel_gov.v_firm_plan IS
  '一企一策 firm plans: every graded firm below the top grade, per year: the next better grade in its ranking group, the score that holds it, and what alone would reach it: more tax (tax_needed, 万元), more value added (va_needed, 万元) or land given back (land_to_release_mu, 亩; NULL when none can); and the tax or land to reach each tax tier bound (5/10/15 万元/亩). The pool''s benchmarks, its mean scores given for missing figures and the other firms'' scores are held as evaluated; each lever passes through every indicator it feeds, with the rule''s weights, caps and missing-figure scores; amounts are the least whole cents or hundredths of a mu';
-- every column's words, as a fresh install gives them (its view-comments step
-- names the columns other views share)
COMMENT ON COLUMN parcel_gov.v_firm_plan.fid IS '编号: the evaluation row''s id (a key for GIS and BI tools)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_firm_plan.uscc IS '统一社会信用代码: unified social credit code of the firm';
COMMENT ON COLUMN parcel_gov.v_firm_plan.name IS '名称: name';
COMMENT ON COLUMN parcel_gov.v_firm_plan.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.region_name IS '行政区划名称: region name';
COMMENT ON COLUMN parcel_gov.v_firm_plan.pool IS '分组: evaluation pool, above 规上 or below 规下';
COMMENT ON COLUMN parcel_gov.v_firm_plan.pool_label IS '分组: 规上 or 规下';
COMMENT ON COLUMN parcel_gov.v_firm_plan.industry_group IS '行业分组: industry group of the rule set';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade IS '初评等级: the grade by rank in the pool (before a veto)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade_label IS '初评等级名称: the grade by rank in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade IS '目标等级: the next better grade some firm of the ranking group holds';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_label IS '目标等级名称: the next better grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score IS '综合得分: the score of the evaluation';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_score IS '升档分数线: the lowest score holding the next grade in the ranking group that year (reaching it is enough: ties share the better grade)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score_gap IS '分差: points short of the next grade';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed IS '需增税收 (万元): extra tax that alone reaches the next grade (tax feeds 亩均税收 and 单位电耗税收); NULL when no amount can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_needed IS '需增增加值 (万元): extra value added that alone reaches the next grade (feeds 亩均增加值, 全员劳动生产率, 单位能耗/排放增加值); NULL where value added is not scored or cannot reach it';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_mu IS '需退出用地 (亩): land to lease out or give back that alone reaches the next grade (raises every per-mu indicator; the firm keeps its pool''s land floor); NULL when no amount of land can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.area_mu IS '用地面积 (亩): area in mu';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax IS '实缴税收 (万元): tax paid';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_per_mu IS '亩均税收 (万元/亩): tax per mu';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_tier IS '亩均税收分档: 1 <5 重点排查, 2 <10 重点检查, 3 <15 重点指导, 0 ≥15 万元/亩';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_tier_label IS '分档名称: tax-per-mu tier label';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_5 IS '至5万元/亩需增税收 (万元): extra tax to reach 5 万元/亩 on the current land (0 when there)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_10 IS '至10万元/亩需增税收 (万元): extra tax to reach 10 万元/亩 on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_15 IS '至15万元/亩需增税收 (万元): extra tax to reach 15 万元/亩 on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_5 IS '至5万元/亩需退出用地 (亩): land to give back for the current tax to reach 5 万元/亩; NULL without tax';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_10 IS '至10万元/亩需退出用地 (亩): land to give back for the current tax to reach 10 万元/亩';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_15 IS '至15万元/亩需退出用地 (亩): land to give back for the current tax to reach 15 万元/亩';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_floor_mu IS '参评用地下限 (亩): the pool''s land floor, which land given back may not cross';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_scored IS '考核增加值: value added feeds a scored indicator of the pool (else va_needed is NULL)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.veto_reason IS '一票否决原因: veto reason (grade D)';
GRANT SELECT ON parcel_gov.v_firm_plan TO parcel_gov_reader;
-- read-only, also for its owner, as every view
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON parcel_gov.v_firm_plan FROM CURRENT_USER;

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
    SELECT 'tier', t.bound::text, parcel_gov.per_mu_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound),
           parcel_gov.per_mu_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound), '万元 / 亩',
           format('亩均税收达到 %s 万元/亩：再缴税 %s 万元', t.bound,
                  parcel_gov.plan_amount(parcel_gov.per_mu_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound)))
             || coalesce(format('，或退出 %s 亩', parcel_gov.plan_amount(
                    parcel_gov.per_mu_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound))), '') || '。',
           format('To reach %s 万元/亩: %s 万元 more tax', t.bound,
                  parcel_gov.plan_amount(parcel_gov.per_mu_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound)))
             || coalesce(format(', or %s mu given back', parcel_gov.plan_amount(
                    parcel_gov.per_mu_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound))), '') || '.'
    FROM unnest('{5,10,15}'::float8[]) AS t (bound)
    WHERE e.area_mu > 0 AND coalesce(e.tax_per_mu, 0) < t.bound
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
COMMENT ON FUNCTION parcel_gov.firm_plan(text, integer) IS
  '一企一策 one firm''s page for a year (latest evaluated by default): where it stands against the next grade, each lever (tax, value added, land) in a sentence in Chinese and English with amounts rounded up, the tax tiers above it, its indicators against the pool''s benchmarks and its grades over the years; sections standing, lever, tier, indicator, trend';

-- The tile: the holders' plans, for the tile's holders only.
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
    SELECT coalesce((
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid')
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
        ) AS f), '\x'::bytea);
END;
COMMENT ON FUNCTION parcel_gov.parcel_tile(integer, integer, integer, json) IS
  '矢量瓦片 Mapbox Vector Tile z/x/y (EPSG:3857), layer "parcels": each parcel''s code, holder, grade, tier, per-mu tax, kinds, batch and register state, and the holder''s plan (一企一策: next_grade, tax_needed); query_params {"region": "330604", "year": 2024} (latest evaluated year by default); for pg_tileserv and martin';

-- The printed map: a parcel's tooltip ends with its holder's plan.
-- One parcel's shape (d, in page pixels): filled by grade, outlined by its
-- register state, a <title> for the tooltip ending with the holder's plan
-- (一企一策: the next grade and the tax that alone reaches it).  cls is "parcel" for the one
-- shape each parcel has in the overview and "parcel-inset" for its copy in
-- an inset; weight thins the outlines where parcels are drawn small.
CREATE FUNCTION parcel_gov.map_parcel(cls text, code text, grade text, grade_label text, state text,
                                      holder text, tax_per_mu double precision, d text, weight double precision,
                                      plan text)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name path, xmlattributes(
               cls AS class, code AS "data-code", coalesce(grade, 'none') AS "data-grade", state AS "data-state", d AS d,
               (SELECT k.colour FROM parcel_gov.map_grade_key() k WHERE k.grade IS NOT DISTINCT FROM map_parcel.grade) AS fill,
               coalesce((SELECT k.colour FROM parcel_gov.map_state_key() k WHERE k.state::text = map_parcel.state), '#ffffff') AS stroke,
               round((weight * CASE WHEN state IN ('exited', 'rejected') OR state IS NULL THEN 0.6 ELSE 2.2 END)::numeric, 2)
                 AS "stroke-width"),
        xmlelement(name title, concat_ws(' · ', code, holder, coalesce(grade_label, '未评价'),
                                         format('亩均税收 %s 万元/亩', round(tax_per_mu::numeric, 2)),
                                         parcel_gov.label(state::parcel_gov.register_state), plan)));
END;
COMMENT ON FUNCTION parcel_gov.map_parcel(text, text, text, text, text, text, double precision, text, double precision, text) IS
  'internal: map_svg''s shape of one parcel (class cls, SVG path d): fill by grade, outline by register state, a tooltip ending with the holder''s plan';

CREATE OR REPLACE FUNCTION parcel_gov.map_svg(region text, year integer DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT q.prefix, parcel_gov.map_year(q.prefix, map_svg.year) AS year,
               coalesce((SELECT r.name FROM parcel_gov.region r WHERE r.code = map_svg.region),
                        map_svg.region, '全部 all regions') AS title
        FROM (SELECT parcel_gov.region_prefix(map_svg.region) AS prefix) AS q
    ), parcels AS (
        -- with the holder's plan: the year and region reach firm_plan_inputs as parameters
        SELECT v.*, k.park_id,
               CASE WHEN i.next_grade IS NOT NULL
                    THEN format('一企一策: 升至 %s 类需再缴税 %s', i.next_grade,
                                coalesce(parcel_gov.plan_amount(parcel_gov.score_lever('tax', i.next_grade_score, i.figures,
                                             i.area_mu, i.land_floor_mu, i.scoring, i.scores, i.bonus, i.deduction,
                                             i.rental_deduction)) || ' 万元', '—')) END AS plan
        FROM parcel_gov.v_parcel_efficiency v
        JOIN parcel_gov.parcel k ON k.code::text = v.code
        CROSS JOIN request q
        LEFT JOIN parcel_gov.firm_plan_inputs() i
               ON i.uscc = v.holder_uscc AND i.year = (SELECT r.year FROM request r)
              AND starts_with(i.region_code, (SELECT r.prefix FROM request r))
        WHERE v.year = q.year AND starts_with(v.region_code, q.prefix)
    ), boundary AS (
        SELECT b.geom FROM parcel_gov.region_boundary b, request q WHERE starts_with(b.region_code, q.prefix)
    ), zone AS (
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(g.geom) AS box
                    FROM (SELECT p.geom FROM parcels p UNION ALL SELECT b.geom FROM boundary b) AS g) AS e) AS z
    ), projected AS MATERIALIZED (
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state, p.park_id, p.plan,
               ST_Transform(p.geom, zone.srid) AS geom
        FROM parcels p, zone
    ), outline AS MATERIALIZED (
        SELECT ST_Transform(b.geom, zone.srid) AS geom FROM boundary b, zone
    ), blocks AS MATERIALIZED (
        SELECT c.parcels, c.area_mu, ST_Transform(c.geom, zone.srid) AS geom
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    ), parks AS (
        -- numbered by parcel count, largest first: the insets are the first four
        SELECT row_number() OVER (ORDER BY count(*) DESC, k.name)::integer AS n, k.id, k.name, count(*) AS parcels,
               ST_Extent(p.geom)::geometry AS box
        FROM projected p JOIN parcel_gov.park k ON k.id = p.park_id
        GROUP BY k.id, k.name
    ), overview AS (
        SELECT ST_Extent(g.geom)::geometry AS box
        FROM (SELECT p.geom FROM projected p UNION ALL SELECT o.geom FROM outline o) AS g
    ), plan AS (
        SELECT parcel_gov.map_inset_count((SELECT count(*) FROM parks)::integer, (SELECT sum(ST_Area(k.box)) FROM parks k),
                                          ST_Area(o.box)) AS insets,
               (SELECT count(*) FROM parks) AS parks,
               -- the insets' typical shape (geometric mean of width / height) picks their grid
               coalesce((SELECT exp(avg(ln(greatest(ST_XMax(k.box) - ST_XMin(k.box), 1) / greatest(ST_YMax(k.box) - ST_YMin(k.box), 1))))
                         FROM parks k WHERE k.n <= 4), 1) AS aspect
        FROM overview o
    ), panel AS (
        -- each panel's rectangle and the box it fits: the whole region in
        -- panel 0 (24 pixels kept free on top for the parks' labels), a
        -- park's parcels in an inset
        SELECT l.n, l.x, l.y, l.w, l.h, k.id AS park_id, coalesce(k.box, o.box) AS box,
               CASE WHEN l.n > 0 AND parcel_gov.map_text_em(format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)) * 14
                                      <= l.w - 16 THEN format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)
                    WHEN l.n > 0 THEN format('%s %s · %s 宗', chr(9311 + l.n), k.name, k.parcels)
                    WHEN plan.insets > 0 THEN format('%s 全域 overview', q.title)
                    WHEN plan.parks = 1 THEN format('%s · %s', q.title, (SELECT k1.name FROM parks k1))
                    ELSE q.title END AS title,
               l.x + 8 AS cx, l.y + 34 + CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS cy, l.w - 16 AS cw,
               l.h - 72 - CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS ch
        FROM plan CROSS JOIN overview o CROSS JOIN request q
        CROSS JOIN parcel_gov.map_layout(plan.insets, plan.aspect) AS l
        LEFT JOIN parks k ON k.n = l.n AND l.n > 0
    ), fit AS (
        -- s pixels a metre, the box centred in the content band; a page
        -- pixel is (X·s + ox, oy − Y·s) (ST_AsSVG negates y)
        SELECT f.*, f.cx + (f.cw - f.bw * f.s) / 2 - f.x0 * f.s AS ox, f.cy + (f.ch - f.bh * f.s) / 2 + f.y1 * f.s AS oy,
               least(1, greatest(0.25, 10 * f.s)) AS weight
        FROM (SELECT p.*, ST_XMin(p.box) AS x0, ST_YMax(p.box) AS y1,
                     greatest(ST_XMax(p.box) - ST_XMin(p.box), 1) AS bw, greatest(ST_YMax(p.box) - ST_YMin(p.box), 1) AS bh,
                     CASE WHEN p.box IS NOT NULL THEN least(p.cw / greatest(ST_XMax(p.box) - ST_XMin(p.box), 1),
                                                            p.ch / greatest(ST_YMax(p.box) - ST_YMin(p.box), 1)) END AS s
              FROM panel p) AS f
    ), body AS (
        SELECT f.n, xmlconcat(
            (SELECT xmlagg(xmlelement(name path, xmlattributes('boundary' AS class,
                        ST_AsSVG(ST_Affine(o.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, '#f7f7f4' AS fill,
                        '#8c8c8c' AS stroke, 1.2 AS "stroke-width")))
             FROM outline o WHERE f.n = 0),
            (SELECT xmlagg(parcel_gov.map_parcel(CASE WHEN f.n = 0 THEN 'parcel' ELSE 'parcel-inset' END, p.code, p.grade,
                        p.grade_label, p.register_state, p.holder_name, p.tax_per_mu,
                        ST_AsSVG(ST_Affine(p.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1), f.weight, p.plan) ORDER BY p.code)
             FROM projected p WHERE f.n = 0 OR p.park_id = f.park_id),
            (SELECT xmlagg(xmlelement(name path, xmlattributes(CASE WHEN f.n = 0 THEN 'block' ELSE 'block-inset' END AS class,
                        ST_AsSVG(ST_Affine(b.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, 'url(#hatch)' AS fill,
                        '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.parcels DESC, b.area_mu DESC)
             FROM blocks b WHERE f.n = 0 OR b.geom && ST_SetSRID(f.box, ST_SRID(b.geom))),
            -- the overview: each park's box, then its label above it (kept inside the panel)
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes('park-box' AS class, round(r.px0::numeric, 1) AS x,
                                   round(r.py0::numeric, 1) AS y, round((r.px1 - r.px0)::numeric, 1) AS width,
                                   round((r.py1 - r.py0)::numeric, 1) AS height, 'none' AS fill, '#333333' AS stroke,
                                   1 AS "stroke-width", '4 2' AS "stroke-dasharray")),
                        parcel_gov.map_badge(
                            least(greatest((r.px0 + r.px1) / 2, f.x + 8 + r.bw / 2), f.x + f.w - 8 - r.bw / 2),
                            greatest(r.py0 - 24, f.cy - 24), r.label)) ORDER BY r.n)
             FROM (SELECT k.n, ST_XMin(k.box) * f.s + f.ox - 3 AS px0, ST_XMax(k.box) * f.s + f.ox + 3 AS px1,
                          f.oy - ST_YMax(k.box) * f.s - 3 AS py0, f.oy - ST_YMin(k.box) * f.s + 3 AS py1,
                          l.label, parcel_gov.map_text_em(l.label) * 13 + 12 AS bw
                   FROM parks k, plan,
                        LATERAL (SELECT CASE WHEN k.n <= plan.insets THEN chr(9311 + k.n) || ' ' ELSE '' END || k.name AS label) AS l
                   WHERE f.n = 0) AS r)) AS svg
        FROM fit f
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1189 AS width, 841 AS height, '0 0 1189 841' AS "viewBox",
                      'Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif' AS "font-family"),
        xmlelement(name defs,
            xmlelement(name pattern, xmlattributes('hatch' AS id, 8 AS width, 8 AS height, 'userSpaceOnUse' AS "patternUnits",
                                                   'rotate(45)' AS "patternTransform"),
                xmlelement(name line, xmlattributes(0 AS x1, 0 AS y1, 0 AS x2, 8 AS y2, '#5a0000' AS stroke, 2 AS "stroke-width")))),
        xmlelement(name rect, xmlattributes('100%' AS width, '100%' AS height, '#ffffff' AS fill)),
        xmlelement(name g, xmlattributes('title-block' AS id),
            xmlelement(name text, xmlattributes(20 AS x, 36 AS y, 24 AS "font-size", 'bold' AS "font-weight"),
                       format('%s %s 年亩均效益评价 per-mu efficiency by grade', q.title, coalesce(q.year::text, '—'))),
            xmlelement(name text, xmlattributes(20 AS x, 60 AS y, 13 AS "font-size", '#555555' AS fill),
                       format('%s 宗地 parcels · %s 园区 parks%s · 低效在库 outlined by register state · 连片整治 hatched',
                              (SELECT count(*) FROM projected), plan.parks,
                              CASE WHEN plan.insets > 0 THEN ' · 园区相距较远，分幅放大 insets ①–' || chr(9311 + plan.insets::integer) ELSE '' END)),
            xmlelement(name line, xmlattributes(20 AS x1, 70 AS y1, 1169 AS x2, 70 AS y2, '#444444' AS stroke, 1 AS "stroke-width"))),
        xmlelement(name g, xmlattributes('panels' AS id, 'evenodd' AS "fill-rule", 'round' AS "stroke-linejoin"),
            (SELECT xmlagg(parcel_gov.map_panel(f.n, f.title, f.x, f.y, f.w, f.h, f.s, b.svg) ORDER BY f.n)
             FROM fit f JOIN body b ON b.n = f.n)),
        parcel_gov.map_key(945, 80, zone.srid, EXISTS (SELECT FROM outline)))::text
    FROM request q, zone, plan;
END;

-- map_parcel's grants go to its successor; a grant recorded by this script
-- is not an initial privilege (a fresh install has none on it), so pg_dump
-- keeps what users granted.
DO $$
DECLARE
    old constant regprocedure := 'parcel_gov.map_parcel(text, text, text, text, text, text, double precision, text, double precision)';
    new constant regprocedure := 'parcel_gov.map_parcel(text, text, text, text, text, text, double precision, text, double precision, text)';
    acl aclitem[] := (SELECT p.proacl FROM pg_catalog.pg_proc p WHERE p.oid = old);
    item record;
BEGIN
    IF acl IS NOT NULL THEN
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', new);
        FOR item IN SELECT * FROM pg_catalog.aclexplode(acl) LOOP
            EXECUTE pg_catalog.format('GRANT %s ON FUNCTION %s TO %s%s', item.privilege_type, new,
                                      CASE WHEN item.grantee = 0 THEN 'PUBLIC' ELSE item.grantee::regrole::text END,
                                      CASE WHEN item.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
    END IF;
    DELETE FROM pg_catalog.pg_init_privs i WHERE i.classoid = 'pg_catalog.pg_proc'::regclass AND i.objoid = new;
END $$;
DROP FUNCTION parcel_gov.map_parcel(text, text, text, text, text, text, double precision, text, double precision);
