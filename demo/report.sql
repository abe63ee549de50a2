-- The sample county's report: the per-mu evaluation of 2024.
\set ON_ERROR_STOP on
\pset footer off
SET search_path = parcel_gov, public;

\echo
SELECT format('上虞区 (330604) 亩均效益综合评价 2024 — rule set %s', rule_set_for('330604', 2024)) AS title \gset
\echo :title
\echo
\echo '基准值 Benchmarks (pool ratio of sums over graded firms)'
SELECT label(b.pool) AS "pool 分组", label(b.indicator) AS "indicator 指标", round(b.benchmark::numeric, 4) AS "benchmark 基准值",
       w.weight AS "weight 权重", b.firms AS "firms 企业数"
FROM evaluation_benchmark b
JOIN rule_indicator w ON w.rule_set_id = b.rule_set_id AND w.pool = b.pool AND w.indicator = b.indicator
WHERE b.year = 2024 AND b.region_code = '330604'
ORDER BY b.pool, w.weight DESC, b.indicator;

\echo
\echo '等级 Grades per pool (T = exempt 不参评)'
SELECT pool_label AS "pool 分组",
       count(*) FILTER (WHERE grade = 'A') AS "A 优先发展", count(*) FILTER (WHERE grade = 'B') AS "B 鼓励提升",
       count(*) FILTER (WHERE grade = 'C') AS "C 监管调控", count(*) FILTER (WHERE grade = 'D') AS "D 落后整治",
       count(*) FILTER (WHERE grade_or_t = 'T') AS "T",
       count(*) FILTER (WHERE grade_or_t IS NULL) AS "not graded 未评",
       count(*) FILTER (WHERE veto_reason IS NOT NULL) AS "vetoed 否决"
FROM v_enterprise_evaluation WHERE year = 2024 AND region_code = '330604'
GROUP BY pool, pool_label ORDER BY pool;

\echo
\echo '县域汇总 County summary and per-mu tax tiers (万元/亩: 1 <5 重点排查, 2 <10 重点检查, 3 <15 重点指导, 0 ≥15)'
SELECT year, graded AS "graded", round(area_mu::numeric, 1) AS "area 亩", round(tax_per_mu::numeric, 2) AS "亩均税收",
       round(va_per_mu::numeric, 2) AS "亩均增加值", tier_1 AS "tier 1", tier_2 AS "tier 2", tier_3 AS "tier 3",
       tier_0 AS "tier 0", round(tax_per_mu_change::numeric, 2) AS "亩均税收 vs last year"
FROM v_region_summary WHERE region_code = '330604' ORDER BY year;

\echo
\echo '前五与后五 Top and bottom five firms per pool, 2024'
(SELECT pool_label AS "pool", 'top' AS "end", rank, name AS "firm 企业", round(area_mu::numeric, 1) AS "亩",
        round(tax_per_mu::numeric, 2) AS "亩均税收", round(score::numeric, 2) AS "score 得分", grade_or_t AS "grade"
 FROM v_enterprise_evaluation WHERE year = 2024 AND region_code = '330604' AND rank <= 5)
UNION ALL
(SELECT pool_label, 'bottom', rank, name, round(area_mu::numeric, 1), round(tax_per_mu::numeric, 2),
        round(score::numeric, 2), grade_or_t
 FROM v_enterprise_evaluation WHERE year = 2024 AND region_code = '330604' AND rank > pool_size - 5)
ORDER BY 1, 2 DESC, 3;

\echo
\echo '领跑园区 Leading parks, 2024'
SELECT rank_in_region AS "rank", name AS "park 园区", round(area_mu::numeric, 1) AS "亩", firms AS "企业",
       round(tax_per_mu::numeric, 2) AS "亩均税收", round(va_per_mu::numeric, 2) AS "亩均增加值"
FROM v_park_ranking WHERE year = 2024 ORDER BY rank_in_region;

\echo
\echo '亩产倍增 Capacity-doubling candidates (金东: grade B or better, revenue ≥ 1 亿元 or tax ≥ 300 万元), 2024'
SELECT name AS "firm 企业", grade, round(revenue::numeric) AS "营业收入 万元", round(tax::numeric) AS "税收 万元"
FROM v_enterprise_evaluation
WHERE year = 2024 AND capacity_doubling_candidate ORDER BY revenue DESC LIMIT 8;
SELECT count(*) FILTER (WHERE capacity_doubling_candidate) AS "doubling candidates",
       count(*) FILTER (WHERE persistent_low_tax) AS "桐庐 3-year low (needs 3 years of data)",
       count(*) FILTER (WHERE still_below_3y) AS "金东 still 规下 after 3 years"
FROM v_enterprise_evaluation WHERE year = 2024;

\echo
\echo '目标进度 District targets as the plans write them: 上虞''s indicator table (规上 亩均税收 22.25 → 31, 亩均增加值 96.59 → 135 万元, 2020 → 2025),'
\echo '  the city''s rates from the district''s own 2023 figures (规上 亩均税收 ≥ 30 万元, 亩均增加值 +8 %/年, 劳动生产率 +6 %/年), 入园率 70 % (规上 80 %)'
INSERT INTO region_target (region_code, indicator, base_year, base_value, target_year, target_value, target_kind,
                           firm_scope, source)
VALUES ('330604', 'tax_per_mu', 2020, 22.25, 2025, 31, 'level', 'above', '上虞区 2022 腾笼换鸟、凤凰涅槃 指标表'),
       ('330604', 'va_per_mu', 2020, 96.59, 2025, 135, 'level', 'above', '上虞区 2022 腾笼换鸟、凤凰涅槃 指标表'),
       ('330604', 'tax_per_mu', 2023, NULL, 2025, 30, 'level', 'above', '绍兴市 2021 开发区工业用地治理方案: 规上亩均税收 ≥ 30 万元'),
       ('330604', 'va_per_mu', 2023, NULL, 2025, 8, 'annual_rate', 'above', '绍兴市 2021: 规上亩均增加值年均增长 8 %'),
       ('330604', 'labour_productivity', 2023, NULL, 2025, 6, 'annual_rate', 'above', '绍兴市 2021: 全员劳动生产率年均增长 6 %'),
       ('330604', 'park_entry_rate', 2023, NULL, 2025, 0.7, 'level', 'all', '金东区 2021–2023 二次开发方案: 入园率 70 %'),
       ('330604', 'park_entry_rate', 2023, NULL, 2025, 0.8, 'level', 'above', '金东区 2021–2023 二次开发方案: 规上入园率 80 %')
ON CONFLICT DO NOTHING;
SELECT indicator AS "indicator 指标", firm_scope AS "firms 范围", target_kind AS "kind 类型", year AS "year 年度",
       round(base_value::numeric, 2) AS "base 基期", round(target_value::numeric, 2) AS "target 目标",
       round(year_target::numeric, 2) AS "due 年度目标", round(actual::numeric, 2) AS "actual 实际",
       round(100 * share_done::numeric, 1) AS "done % 完成", reached AS "reached 达标"
FROM v_target_progress WHERE region_code = '330604' ORDER BY target_id, year;
SELECT year AS "year 年度", firms AS "firms 企业", park_firms AS "入园企业", round(100 * park_entry_rate::numeric, 1) AS "入园率 %",
       above_firms AS "规上", above_park_firms AS "规上入园", round(100 * above_park_entry_rate::numeric, 1) AS "规上入园率 %"
FROM v_region_summary WHERE region_code = '330604' ORDER BY year;
\echo '  (mu brought out of the register, revived_mu, counts exits by the date they happen: the sample''s exits are'
\echo '   stamped today, so a 桐庐-style yearly quota shows them in the current year, not in 2024)'

\echo
\echo '预警 Early warning 2024 (first ten)'
SELECT name AS "firm 企业", grade_prev AS "2023", grade AS "2024", round(tax_per_mu::numeric, 2) AS "亩均税收",
       reason_labels AS "reasons 原因"
FROM v_early_warning WHERE year = 2024 AND region_code = '330604' ORDER BY tax_per_mu LIMIT 10;

\echo
\echo '一企一策 Firm plans 2024: the ten firms under 5 万元/亩 nearest the next tier and grade (tax that reaches both, least first)'
SELECT name AS "firm 企业", grade || '→' || next_grade AS "grade 升档", round(tax_per_mu::numeric, 2) AS "亩均税收",
       round(tax_needed_5::numeric, 2) AS "至5万元/亩 需增税收", round(tax_needed::numeric, 2) AS "升档 需增税收",
       round(greatest(tax_needed_5, tax_needed)::numeric, 2) AS "both 两者",
       land_to_release_mu AS "或退出 亩"
FROM v_firm_plan
WHERE year = 2024 AND region_code = '330604' AND tax_per_mu < 5 AND tax_needed IS NOT NULL
ORDER BY greatest(tax_needed_5, tax_needed), uscc LIMIT 10;
\echo '  one firm''s page: SELECT * FROM parcel_gov.firm_plan(uscc, 2024);'

\echo
\echo '规则模拟 What-if 2024: the default rules against the 温岭 preset (wenling_2022_parks)'
SET client_min_messages = warning;
SELECT count(*) AS "firms 企业", count(*) FILTER (WHERE current_grade IS DISTINCT FROM simulated_grade) AS "grade changes 等级变化"
FROM simulate(2024, 'wenling_2022_parks', '330604');
SELECT move AS "move 变化", firms AS "firms 企业"
FROM v_simulation_moves WHERE simulation_id = (SELECT max(id) FROM simulation) AND current_grade IS DISTINCT FROM simulated_grade
ORDER BY move;

\echo
\echo '差别化措施 Grade-linked measures 2024 (illustrative rates: the plans publish none; the section rolls back)'
-- A county writes its measures into a rule set of its own: here the default
-- adopted for 上虞 2024 with four illustrative rows (rates in 万元 per unit:
-- 0.1 元/kWh = 0.00001), 2024 evaluated under it, the measures printed, and
-- everything rolled back, so the rest of the demo keeps the default rules.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT rule_set_adopt('default', 'demo_shangyu_measures', '330604', 2024, 2024) \gset
-- the two measures the default names (D 差别化电价, A 城镇土地使用税减免) came
-- with the adoption unpriced; the county prices them and adds two more
UPDATE rule_measure SET rate = 0.00001, source = 'illustration: 0.1 元/kWh'
WHERE rule_set_id = 'demo_shangyu_measures' AND measure = 'electricity_surcharge' AND grade = 'D';
UPDATE rule_measure SET rate = -0.2, cap = 20, source = 'illustration: 3 元/m², at most 20 万元'
WHERE rule_set_id = 'demo_shangyu_measures' AND measure = 'land_use_tax_relief' AND grade = 'A';
INSERT INTO rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source) VALUES
  ('demo_shangyu_measures', 'electricity_surcharge', 'C', '差别化电价', 'electricity_kwh', 0.000005, NULL, 'illustration: 0.05 元/kWh'),
  ('demo_shangyu_measures', 'sewage_surcharge',      'D', '差别化排污费', 'emission_t', 0.1, NULL, 'illustration: 1000 元/t');
SELECT evaluate(2024, '330604') \gset
SELECT measure_label AS "measure 措施", firms AS "firms 企业", firms_priced AS "priced 计价",
       round(amount_due::numeric, 2) AS "due 应缴 (万元)", round(amount_relieved::numeric, 2) AS "relieved 减免 (万元)",
       round(amount_net::numeric, 2) AS "net 净额 (万元)"
FROM v_differential_measure_totals WHERE region_code = '330604' AND year = 2024 ORDER BY measure;
\echo '  the three largest amounts each way'
(SELECT name AS "firm 企业", grade AS "grade 等级", measure_label AS "measure 措施", basis_label AS "basis 依据",
        round(basis_amount::numeric, 1) AS "figure 计征量", round(amount::numeric, 2) AS "amount 金额 (万元)"
 FROM v_differential_measures WHERE region_code = '330604' AND year = 2024 AND amount > 0
 ORDER BY amount DESC, uscc, measure LIMIT 3)
UNION ALL
(SELECT name, grade, measure_label, basis_label, round(basis_amount::numeric, 1), round(amount::numeric, 2)
 FROM v_differential_measures WHERE region_code = '330604' AND year = 2024 AND amount < 0
 ORDER BY amount, uscc LIMIT 3);
ROLLBACK;

\echo '乡镇街道月度排名 Township ranking (桐庐: ranked monthly, the last two places three months running are summoned)'
\echo '  (the sample''s parcels assigned to five 上虞 towns and streets by their row; the names are 上虞''s, the codes 330604100… illustrative)'
INSERT INTO region (code, name, parent_code)
VALUES ('330604100', '百官街道', '330604'), ('330604101', '曹娥街道', '330604'), ('330604102', '东关街道', '330604'),
       ('330604103', '崧厦街道', '330604'), ('330604104', '章镇镇', '330604')
ON CONFLICT DO NOTHING;
UPDATE parcel SET township_code = '33060410' || (fid % 5) WHERE region_code = '330604' AND township_code IS NULL;
-- each township's mu to bring out this year: 60 亩 (the sample's exits are stamped today)
INSERT INTO region_target (region_code, indicator, base_year, base_value, target_year, target_value, firm_scope, source)
SELECT code, 'revived_mu', extract(year FROM now())::int - 1, 0, extract(year FROM now())::int, 60, 'all', '示例: 乡镇年度盘活任务'
FROM region WHERE code LIKE '3306041__' ON CONFLICT DO NOTHING;
SELECT month AS "month 月份", township_name AS "township 乡镇街道", round(exited_mu::numeric, 1) AS "出库 亩",
       round(in_treatment_mu::numeric, 1) AS "整治中 亩", target_mu AS "目标 亩",
       round(100 * share_done::numeric, 1) AS "完成 %", township_rank AS "排名", in_last_places AS "末两位",
       last_places_months AS "连续月数", to_summon AS "约谈"
FROM v_township_progress WHERE county_code = '330604' AND month = date_trunc('month', now())::date
ORDER BY township_rank, township_code;
