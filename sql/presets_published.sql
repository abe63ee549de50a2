-- The presets as the counties published them, each on a small county worked
-- out by hand (issue 21): 临海 2014–16 with its water and COD indicators, and
-- 温岭 2022's three 规下 indicators.  (黄岩 2022's R&D over 主营业务收入: rules.sql.)
-- Every per-mu figure is a multiple of the parcel's own mu, so each indicator
-- is the round value the comments give, whatever the parcel's exact area.
-- One transaction, rolled back: the rule sets adopted here stay out of the
-- other tests.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
BEGIN;

-- Cells of 0.0005° × 0.00025° at 28.8°N (about 2.03 mu), all at one
-- latitude, apart: a parcel of n cells has n times the area of one.
CREATE FUNCTION pg_temp.cells(first int, n int) RETURNS geometry LANGUAGE sql IMMUTABLE
RETURN (SELECT ST_Multi(ST_Collect(ST_MakeEnvelope(121.1 + 0.001 * k, 28.8, 121.1005 + 0.001 * k, 28.80025, 4490)))
        FROM generate_series(first, first + n - 1) AS k);
CREATE FUNCTION pg_temp.cell(k int) RETURNS geometry LANGUAGE sql IMMUTABLE RETURN pg_temp.cells(k, 1);

-- ---- 临海 2014–16 (临海市 331082): value ÷ fixed benchmark × weight, the
-- firms split by net land, not by size class.
-- ≥ 3 亩: 亩均税收 15 万元/亩 × 40, 亩均销售收入 300 × 10, 单位能耗增加值 3 万元/tce × 20,
--   单位COD排放增加值 500 万元/t × 15, 单位用水量增加值 0.1 万元/t × 5, 全员劳动生产率 15 × 10.
-- < 3 亩: 亩均税收 15 × 50, 亩均销售收入 300 × 20, 单位电耗税收 2 元/kWh (0.0002 万元) × 30.
SELECT rule_set_adopt('linhai_2014', 'linhai', '331082', 2014);
SELECT pool_by, pool_land_mu FROM rule_set WHERE id = 'linhai';
SELECT pool, indicator, label(indicator), weight, benchmark_fixed FROM rule_indicator
WHERE rule_set_id = 'linhai' ORDER BY pool, weight DESC, indicator;
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES
  ('91331082MA2B000785', 'L1', '331082', 'C3311'), ('91331082MA2B0014XQ', 'L2', '331082', 'C3311'),
  ('91331082MA2B00211L', 'L3', '331082', 'C3311'), ('91331082MA2B00289L', 'L4', '331082', 'C3311');
-- L1–L3 on two cells (about 4.06 mu: ≥ 3 亩), L4 on one (about 2.03 mu: < 3 亩).
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT '331082001001GB0000' || p.k, '331082', e.uscc, pg_temp.cells(p.first, p.n), '2010-06-01'
FROM (VALUES (1, 'L1', 10, 2), (2, 'L2', 12, 2), (3, 'L3', 14, 2), (4, 'L4', 16, 1)) AS p(k, firm, first, n)
JOIN enterprise e ON e.name = p.firm;
CREATE TEMP TABLE cell AS SELECT area_mu AS mu FROM parcel WHERE code = '331082001001GB00004';
SELECT round((p.area_mu / c.mu)::numeric, 9) AS cells, round(p.area_mu::numeric, 2) AS mu, count(*) AS parcels
FROM parcel p CROSS JOIN cell c WHERE p.region_code = '331082' GROUP BY 1, 2 ORDER BY 1;
-- L1 at every benchmark: 40 + 10 + 20 + 15 + 5 + 10 = 100
--   VA 150: energy 150/3 = 50 tce, COD 150/500 = 0.3 t, water 150/0.1 = 1500 t, staff 150/15 = 10.
-- L2 at half of each, water twice: 20 + 5 + 10 + 7.5 + 10 + 5 = 57.5
--   VA 60: energy 40 (1.5), COD 0.24 (250), water 300 (0.2), staff 8 (7.5).
-- L3, a 规下 firm on ≥ 3 亩, as L1 but no COD and no water figure (each scores
--   0): 40 + 10 + 20 + 10 = 80; its emission figure (2 t) is not what 临海
--   scores: va_per_emission shows, unscored.
-- L4, a 规上 firm on < 3 亩, at every benchmark of that table: tax 15 mu,
--   revenue 300 mu, kWh 15 mu / 0.0002: 50 + 20 + 30 = 100.
-- The per-mu figures are multiples of each firm's own mu.
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, staff, energy_tce, emission_t,
                             electricity_kwh, water_t, cod_t)
SELECT e.uscc, 2016, y.size_class::size_class, y.tax * p.area_mu, y.va, y.revenue * p.area_mu, y.staff, y.energy,
       y.emission, y.kwh * p.area_mu, y.water, y.cod
FROM (VALUES ('L1', 'above', 15,  150, 300, 10, 50, NULL, NULL, 1500, 0.3),
             ('L2', 'above', 7.5,  60, 150,  8, 40, NULL, NULL,  300, 0.24),
             ('L3', 'below', 15,  150, 300, 10, 50, 2,    NULL, NULL, NULL),
             ('L4', 'above', 15, NULL, 300, NULL, NULL, NULL, 75000, NULL, NULL))
     AS y(firm, size_class, tax, va, revenue, staff, energy, emission, kwh, water, cod)
JOIN enterprise e ON e.name = y.firm JOIN parcel p ON p.holder_uscc = e.uscc;
SELECT evaluate(2016, '331082') AS evaluated;
SELECT f.name, e.pool, round(e.tax_per_mu::numeric, 6) AS tax_per_mu, round(e.va_per_water::numeric, 6) AS va_per_water,
       round(e.va_per_cod::numeric, 6) AS va_per_cod, round(e.va_per_emission::numeric, 6) AS va_per_emission,
       round(e.score_tax_per_mu::numeric, 6) AS tax, round(e.score_revenue_per_mu::numeric, 6) AS revenue,
       round(e.score_va_per_energy::numeric, 6) AS energy, round(e.score_va_per_cod::numeric, 6) AS cod,
       round(e.score_va_per_water::numeric, 6) AS water, round(e.score_labour_productivity::numeric, 6) AS labour,
       round(e.score_tax_per_kwh::numeric, 6) AS kwh, e.score_va_per_emission AS emission,
       round(e.score::numeric, 6) AS score, e.rank, e.grade
FROM evaluation e JOIN enterprise f USING (uscc)
WHERE e.region_code = '331082' ORDER BY e.pool, e.rank;
SELECT pool, indicator, benchmark, firms FROM evaluation_benchmark
WHERE region_code = '331082' ORDER BY pool, indicator;
-- The view names the pools by land, and shows the new indicators and scores
-- as its last columns.
SELECT name, pool, pool_label, round(area_mu::numeric, 2) AS area_mu, va_per_water, score_va_per_water, score_va_per_cod
FROM v_enterprise_evaluation WHERE region_code = '331082' ORDER BY name;
-- The other views with a pool label say the same: the parcels (their holder's
-- pool) and the firm plans (L2, L3 and L4: every firm below grade A).
SELECT 'v_parcel_efficiency' AS view, code AS row, pool, pool_label FROM v_parcel_efficiency
WHERE region_code = '331082' AND year = 2016
UNION ALL
SELECT 'v_firm_plan', name, pool, pool_label FROM v_firm_plan WHERE region_code = '331082'
ORDER BY 1, 2;

-- ---- 温岭 2022 parks, 规下 (a county under the preset: 玉环市 331083):
-- 亩均税收, 亩均营业收入 and 单位用电营业收入 at 100/3 points each, against the
-- pool's ratio of sums.
--   W1: tax 20 mu, revenue 200 mu, kWh 200000 mu → 20, 200, 0.001 万元/kWh
--   W2: tax 10 mu, revenue 400 mu, kWh 100000 mu → 10, 400, 0.004
--   W3: tax  5 mu, revenue 100 mu, kWh 100000 mu →  5, 100, 0.001
--   benchmarks: 35/3, 700/3, 700/400000 = 0.00175
--   W1: (12/7 + 6/7 + 4/7) × 100/3 = 2200/21 = 104.761905
--   W2: (6/7 + 12/7 + 16/7) × 100/3 = 3400/21 = 161.904762
--   W3: (3/7 + 3/7 + 4/7) × 100/3 = 1000/21 = 47.619048
-- On tax and revenue alone W1 and W2 would tie (18/7 × 100/3 each).
-- Quotas 5/75/95 of 3: A none (0.15 rounds to 0), B ranks 1–2, C rank 3.
SELECT rule_set_adopt('wenling_2022_parks', 'yuhuan_parks', '331083', 2022);
SELECT indicator, round(weight::numeric, 6) AS weight FROM rule_indicator
WHERE rule_set_id = 'yuhuan_parks' AND pool = 'below' ORDER BY indicator;
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES
  ('91331083MA2B00078K', 'W1', '331083', 'C3311'), ('91331083MA2B0014X7', 'W2', '331083', 'C3311'),
  ('91331083MA2B002113', 'W3', '331083', 'C3311');
-- the preset holds for park firms only: their land lies in a park
INSERT INTO park (name, region_code) VALUES ('玉环经济开发区', '331083');
INSERT INTO parcel (code, region_code, holder_uscc, park_id, geom, supply_date)
SELECT '331083001001GB0000' || k, '331083', e.uscc, (SELECT id FROM park WHERE region_code = '331083'),
       pg_temp.cell(20 + k), '2010-06-01'
FROM (VALUES (5, 'W1'), (6, 'W2'), (7, 'W3')) AS p(k, firm) JOIN enterprise e ON e.name = p.firm;
INSERT INTO enterprise_year (uscc, year, size_class, tax, revenue, electricity_kwh)
SELECT e.uscc, 2022, 'below', y.tax * c.mu, y.revenue * c.mu, y.kwh * c.mu
FROM (VALUES ('W1', 20, 200, 200000), ('W2', 10, 400, 100000), ('W3', 5, 100, 100000)) AS y(firm, tax, revenue, kwh)
JOIN enterprise e ON e.name = y.firm CROSS JOIN cell c;
SELECT evaluate(2022, '331083') AS evaluated;
SELECT f.name, e.industry_group, round(e.revenue_per_kwh::numeric, 6) AS revenue_per_kwh,
       round(e.score_tax_per_mu::numeric, 6) AS tax, round(e.score_revenue_per_mu::numeric, 6) AS revenue,
       round(e.score_revenue_per_kwh::numeric, 6) AS revenue_kwh, round(e.score::numeric, 6) AS score, e.rank, e.grade
FROM evaluation e JOIN enterprise f USING (uscc)
WHERE e.region_code = '331083' ORDER BY e.rank;
SELECT indicator, round(benchmark::numeric, 6) AS benchmark, firms FROM evaluation_benchmark
WHERE region_code = '331083' ORDER BY indicator;
-- 一企一策 scores with the engine's twelve indicators: W3 reaches B (W1's
-- 2200/21) on tax alone when (3t/35 + 3/7 + 4/7) × 100/3 ≥ 2200/21, t ≥ 25
-- 万元/亩: 20 万元/亩 more on its mu (to the cent).
SELECT p.uscc, p.grade, p.next_grade, round(p.score_gap::numeric, 6) AS score_gap,
       abs(p.tax_needed - 20 * c.mu) <= 1e-6 AS tax_needed_by_hand
FROM v_firm_plan p CROSS JOIN cell c WHERE p.region_code = '331083';

-- ---- The bureaus' sheets carry the new figures with their units: 用水量 in
-- 立方米 (= 吨) or 万吨, COD in 千克, 主营业务收入 in 万元.
CREATE TEMP TABLE sheet ("统一社会信用代码" text, "规模" text, "税收(万元)" text, "用水量(万吨)" text,
                         "化学需氧量排放量(千克)" text, "主营业务收入(万元)" text);
INSERT INTO sheet VALUES ('91331082MA2B000785', '规上', '100', '0.15', '300', '2,400');
SELECT * FROM import_enterprise_years('sheet', 2015, '331082');
SELECT water_t, cod_t, main_revenue, revenue FROM enterprise_year WHERE uscc = '91331082MA2B000785' AND year = 2015;
SELECT (bureau_header('用水量(立方米)')).*;
-- A unit not known for water is refused, the units it knows named (22023).
ALTER TABLE sheet RENAME COLUMN "用水量(万吨)" TO "用水量(升)";
SELECT * FROM import_enterprise_years('sheet', 2015, '331082');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
-- A negative water figure is refused by the table (23514).
\set VERBOSITY terse
INSERT INTO enterprise (uscc, name, region_code) VALUES ('91331082MA2B00350B', 'L5', '331082');
INSERT INTO enterprise_year (uscc, year, size_class, water_t) VALUES ('91331082MA2B00350B', 2016, 'above', -1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
ROLLBACK;
