-- parcel_gov 1.10.0 → 1.11.0 (fidelity: evaluation as the counties publish
-- it).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only where
-- nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.11.0'" to load this file. \quit

-- ---- issue 21 items 5 and 7: whom a rule holds for.  温岭 2022: a rental
-- deduction counting 规下 lessees only, a rule set for park firms only (its
-- own pools and benchmarks); 上虞 2022: a land floor for named GB/T 4754
-- sections, the shangyu_2022 preset.
ALTER TABLE parcel_gov.rule_pool
    ADD COLUMN rental_lessees text NOT NULL DEFAULT 'all'
        CONSTRAINT rule_pool_rental_lessees_all_or_below CHECK (rental_lessees IN ('all', 'below')),
    ADD COLUMN land_floor_sections text[]
        CONSTRAINT rule_pool_land_floor_sections_gbt4754
        CHECK (cardinality(land_floor_sections) > 0
               AND land_floor_sections <@ '{A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T}'::text[]);
COMMENT ON COLUMN parcel_gov.rule_pool.rental_lessees IS
  '出租扣分 counts which lessees of a firm''s land that year: ''all'' every distinct lessee, ''below'' only lessees whose figures of the year are 规下 (温岭 2022: a 规下 lessor loses points per 规下 lessee); a lessee without figures that year is not counted under ''below''';
COMMENT ON COLUMN parcel_gov.rule_pool.land_floor_sections IS
  '参评用地下限的行业门类: the GB/T 4754 section letters (门类, C = 制造业) whose firms land_floor_mu applies to, firms of other sections being graded on any land; NULL: every firm (a firm without an industry code is held to the floor either way); 上虞: 规下 制造业 firms on 实际用地 3 亩以上';
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN firm_scope text NOT NULL DEFAULT 'all'
        CONSTRAINT rule_set_firm_scope_all_or_in_park CHECK (firm_scope IN ('all', 'in_park'));
COMMENT ON COLUMN parcel_gov.rule_set.firm_scope IS
  '适用企业: ''all'' the region''s firms; ''in_park'' only its firms whose land lies in a park (入园: a parcel they hold, or lease that year, has a park_id), the others being graded by the region''s rule set for all firms (温岭 2022: 工业园区和经济开发区范围内工业企业); park firms rank in pools of their own';
DROP INDEX parcel_gov.rule_set_applies_once;
CREATE UNIQUE INDEX rule_set_applies_once
    ON parcel_gov.rule_set (region_prefix, coalesce(year_from, -1), firm_scope) WHERE region_prefix IS NOT NULL;
-- a region's park firms may have a rule set, and pools, of their own
ALTER TABLE parcel_gov.evaluation_benchmark DROP CONSTRAINT evaluation_benchmark_pkey,
    ADD CONSTRAINT evaluation_benchmark_pkey PRIMARY KEY (year, region_code, pool, rule_set_id, indicator);

CREATE OR REPLACE FUNCTION parcel_gov.rule_set_for(region_code text, year integer)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL AND r.firm_scope = 'all'
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer) IS
  'The rule set applying to a region code in a year for firms outside parks (firm_scope all): the most specific region prefix, then the latest year_from';

CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer, in_park boolean)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL
      AND (r.firm_scope = 'all' OR (r.firm_scope = 'in_park' AND rule_set_for.in_park))
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.firm_scope = 'in_park' DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer, boolean) IS
  'The rule set applying to a firm of a region code in a year, in a park (入园, firm_in_park) or not: the most specific region prefix, at the same prefix one for park firms (firm_scope in_park) before one for all, then the latest year_from';

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
                                     township_last_places, township_summon_months, firm_scope)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch,
           r.township_last_places, r.township_summon_months, r.firm_scope
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu, group_by_industry,
                                      rental_first_deduction, rental_further_deduction, low_tax_per_mu,
                                      rental_lessees, land_floor_sections)
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu,
           p.rental_lessees, p.land_floor_sections
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

CREATE OR REPLACE FUNCTION parcel_gov.firm_plan_inputs()
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
               coalesce(bool_or(ri.indicator IN ('va_per_mu', 'labour_productivity', 'va_per_energy', 'va_per_emission')),
                        false) AS va_scored
        FROM (SELECT DISTINCT eb.year, eb.region_code, eb.pool, eb.rule_set_id FROM parcel_gov.evaluation_benchmark eb) AS p
        CROSS JOIN unnest(enum_range(NULL, 'tax_per_kwh'::parcel_gov.indicator)) WITH ORDINALITY AS k (indicator, n)
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
                 fy.electricity_kwh],
           s.scoring,
           ARRAY[t.score_tax_per_mu, t.score_va_per_mu, t.score_revenue_per_mu, t.score_labour_productivity,
                 t.score_va_per_energy, t.score_va_per_emission, t.score_rd_intensity, t.score_tax_per_kwh],
           t.bonus, t.deduction, t.rental_deduction
    FROM below_top t
    JOIN scoring s ON s.year = t.year AND s.region_code = t.region_code AND s.pool = t.pool
                  AND s.rule_set_id = t.rule_set_id
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = t.uscc AND fy.year = t.year
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = t.uscc;
END;
COMMENT ON FUNCTION parcel_gov.firm_plan_inputs() IS
  '一企一策 internal: per graded firm and year below the top grade, the next grade''s line and what score_lever needs (figures, the pool''s scoring, the stored scores); inlined into v_firm_plan and parcel_tile';

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
           ON b.year = y AND b.region_code = e.region_code AND b.pool::text = e.pool
          AND b.rule_set_id = e.rule_set_id AND b.indicator = ri.indicator
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

-- A firm in a park is held to the limits, and the 两高 lines, of its rule set.
CREATE OR REPLACE FUNCTION parcel_gov.figures_beyond_limits(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, figure text, amount double precision, base double precision,
                   line double precision, unit text, basis text, rule_set text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- each firm-year looked up by its keys (LATERAL): the plan never depends
    -- on statistics the rows just written have not reached
    SELECT f.uscc, f.year, x.figure, x.amount, x.base, x.line, x.unit, x.basis, r.id
    FROM parcel_gov.net_land_mu(figures_beyond_limits.firms, figures_beyond_limits.years) AS h
    CROSS JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y WHERE y.uscc = h.uscc AND y.year = h.year) AS f
    CROSS JOIN LATERAL (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = h.uscc) AS e
    CROSS JOIN LATERAL (SELECT r.* FROM parcel_gov.rule_set r
                        WHERE r.id = parcel_gov.rule_set_for(e.region_code, f.year,
                                                             parcel_gov.firm_in_park(f.uscc, f.year))) AS r
    CROSS JOIN LATERAL (VALUES ('亩均税收 (tax per mu)', f.tax, h.net_mu, r.max_tax_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.tax, round(h.net_mu::numeric, 2))),
                               ('亩均增加值 (value added per mu)', f.value_added, h.net_mu, r.max_va_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.value_added, round(h.net_mu::numeric, 2))),
                               -- 万元 per kWh as 元 per kWh
                               ('单位电耗税收 (tax per kWh)', f.tax * 1e4, f.electricity_kwh, r.max_tax_per_kwh, '元/千瓦时',
                                format('%s 万元 on %s kWh', f.tax, f.electricity_kwh)))
                        AS x(figure, amount, base, line, unit, basis)
    WHERE NOT f.figures_confirmed AND x.base > 0 AND x.amount / x.base > x.line;
END;
COMMENT ON FUNCTION parcel_gov.figures_beyond_limits(text[], integer[]) IS
  'internal: of the given firm-years, the figures beyond their rule set''s max_tax_per_mu / max_va_per_mu (on the year''s net land) / max_tax_per_kwh (not figures_confirmed), with the value, the basis and the limit';

CREATE OR REPLACE VIEW parcel_gov.v_two_high WITH (security_invoker = true) AS
WITH start AS (
    SELECT p.holder_uscc AS uscc, min(p.supply_date) AS project_start
    FROM parcel_gov.parcel p WHERE p.holder_uscc IS NOT NULL GROUP BY p.holder_uscc
), firm AS (
    SELECT fy.year, fy.uscc, f.name, f.region_code, fy.energy_tce, s.project_start,
           parcel_gov.rule_set_for(f.region_code, fy.year, parcel_gov.firm_in_park(fy.uscc, fy.year)) AS rule_set_id
    FROM parcel_gov.enterprise_year fy
    JOIN parcel_gov.enterprise f ON f.uscc = fy.uscc
    LEFT JOIN start s ON s.uscc = fy.uscc
    WHERE fy.energy_tce IS NOT NULL
), judged AS (
    SELECT x.*, coalesce(x.project_start >= n.two_high_since, false) AS new_project,
           CASE WHEN x.project_start >= n.two_high_since THEN n.two_high_tce_since ELSE n.two_high_tce_before END
             AS two_high_line_tce
    FROM firm x
    JOIN parcel_gov.rule_new_land n ON n.rule_set_id = x.rule_set_id
    WHERE n.two_high_since IS NOT NULL
)
SELECT j.year, j.uscc::text AS uscc, j.name, j.region_code, j.rule_set_id, j.energy_tce, j.project_start,
       j.new_project, j.two_high_line_tce
FROM judged j
WHERE j.energy_tce >= j.two_high_line_tce;
-- The presets as a fresh install ships them.  Built-in rows are read-only to
-- everyone, so the guards of rule_set and rule_pool step aside for these
-- rows; the new preset's rows are written while it is not yet built in (an
-- ALTER of rule_indicator would meet the pending check of its weights).
ALTER TABLE parcel_gov.rule_set DISABLE TRIGGER rule_set_builtin_read_only;
ALTER TABLE parcel_gov.rule_pool DISABLE TRIGGER rule_pool_builtin_read_only;
UPDATE parcel_gov.rule_set SET firm_scope = 'in_park',
    source = '温岭 2022 parks: firms of the industrial park and development zone only (article 一: firm_scope in_park), five industry groups, 规下 quotas 5/75/95, rental deductions (article 二: 规上 0 then 5 per lessee, 规下 10 then 5 per 规下 lessee); its rule for 规上 park firms graded C or D (article 四) is not reproduced: the reachable text breaks off before its condition and effect; indicator weights not published: 黄岩 weights for 规上, 50/50 tax and revenue per mu for 规下'
WHERE id = 'wenling_2022_parks' AND builtin;
UPDATE parcel_gov.rule_pool SET rental_lessees = 'below'
WHERE rule_set_id = 'wenling_2022_parks' AND pool = 'below'
  AND rule_set_id IN (SELECT id FROM parcel_gov.rule_set WHERE builtin);
ALTER TABLE parcel_gov.rule_pool ENABLE TRIGGER rule_pool_builtin_read_only;
INSERT INTO parcel_gov.rule_set (id, name, region_prefix, builtin, source) VALUES
  ('shangyu_2022', '上虞区 2022 (规下制造业 3 亩以上)', NULL, false,
   '上虞区 2022 "腾笼换鸟、凤凰涅槃" plan: 规下 制造业 (GB/T 4754 section C) firms are evaluated on 实际用地 3 亩以上, so the 3-mu floor holds for section C only; weights, benchmarks and quotas as the default (上虞 publishes none)');
INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu,
                                  group_by_industry, rental_first_deduction, rental_further_deduction,
                                  low_tax_per_mu, land_floor_sections) VALUES
  ('shangyu_2022', 'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6, NULL),
  ('shangyu_2022', 'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3, '{C}');
INSERT INTO parcel_gov.rule_indicator (rule_set_id, pool, indicator, weight, benchmark_fixed, missing)
SELECT 'shangyu_2022', i.pool, i.indicator, i.weight, i.benchmark_fixed, i.missing
FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = 'default';
-- its weights are checked now, not at commit: the transaction the update runs
-- in may go on to drop the extension (pending events would forbid it)
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 IMMEDIATE;
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 DEFERRED;
INSERT INTO parcel_gov.rule_new_land
SELECT 'shangyu_2022', n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
       n.standard_land_since, n.source
FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = 'default';
INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
SELECT 'shangyu_2022', i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
FROM parcel_gov.rule_issue i WHERE i.rule_set_id = 'default';
UPDATE parcel_gov.rule_set SET builtin = true WHERE id = 'shangyu_2022';
ALTER TABLE parcel_gov.rule_set ENABLE TRIGGER rule_set_builtin_read_only;
