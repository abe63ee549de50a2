-- 季评价 evaluate_quarter() on a hand-computed county (上虞 [S4]: 月监测、
-- 季评价、年考核); the hand computation: test/hand/quarterly_county.py.
-- Five 规下 firms of 上虞区 (330604) on parcels of five
-- identical cells each (A ≈ 10 mu, the same for all), so per-mu figures are
-- t (万元/亩) and every score is free of A.  Rule set: the default adopted
-- for 2025 with 亩均税收 against a fixed benchmark of 12 万元/亩 a year
-- (weight 50) and 单位电耗税收 against the pool (weight 50); quotas 20/80/95.
--
-- Year-to-date figures to month m = 3, 6, 9 (Q1–Q3): tax t × A, electricity
-- 10 000 × m kWh per mu, the same for every firm.  So in quarter q:
--   fixed benchmark prorated: 12 × m / 12 = m (3, 6, 9 万元/亩)
--   pool benchmark of tax per kWh: Σtax / Σkwh = mean(t) / (10 000 m)
--   score = 50 t / m + 50 t / mean(t)
--   with five firms: A rank 1 (round(1)), B ranks 2–4 (round(4)), C rank 5 (round(4.75)), no D.
--
--        Q1 (m 3, mean 4)       Q2 (m 6, mean 9.2)      Q3 (m 9, mean 14)
--   F1   6  175.000 A          13  178.986 A            18  164.286 A
--   F2   5  145.833 B           8  110.145 B ↓          10   91.270 C ↓   warned
--   F3   4  116.667 B           6   82.609 C ↓          15  136.905 B ↑   recovers: not warned
--   F4   3   87.500 B          10  137.681 B            14  127.778 B ↓
--   F5   2   58.333 C           9  123.913 B            13  118.651 B ↓
-- e.g. F2 in Q2: 50 × 8 / 6 + 50 × 8 / 9.2 = 66.667 + 43.478 = 110.145.
-- F2 falls in Q2 (same grade B, lower score) and Q3 (B → C): v_early_warning
-- warns it for 2025, a year with no yearly evaluation yet.  F3 fell in Q2 and
-- rose in Q3; F1, F4 and F5 fell once: none of them is warned.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;

CREATE FUNCTION pg_temp.cells(first int, n int) RETURNS geometry LANGUAGE sql IMMUTABLE
RETURN (SELECT ST_Collect(ST_MakeEnvelope(120.8 + 0.001 * k, 30.0, 120.8005 + 0.001 * k, 30.00025, 4490))
        FROM generate_series(first, first + n - 1) AS k);

CREATE TEMP TABLE firm (uscc uscc PRIMARY KEY, name text, n int);
INSERT INTO firm VALUES
  ('91330604MA2B00078Q', 'F1', 1), ('91330604MA2B0014XC', 'F2', 2), ('91330604MA2B002118', 'F3', 3),
  ('91330604MA2B00256R', 'F4', 4), ('91330604MA2B00315M', 'F5', 5);
INSERT INTO enterprise (uscc, name, region_code, industry_code) SELECT uscc, '企业' || name, '330604', 'C3311' FROM firm;
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT '330604001001GB0000' || n, '330604', uscc, pg_temp.cells(10 * n, 5), '2010-06-01' FROM firm;
SELECT count(DISTINCT round(area_mu::numeric, 9)) AS distinct_areas, round(min(area_mu)::numeric, 4) AS mu FROM parcel;

SELECT rule_set_adopt('default', 'shangyu_quarterly', '330604', 2025, 2025);
UPDATE rule_indicator SET benchmark_fixed = 12
WHERE rule_set_id = 'shangyu_quarterly' AND pool = 'below' AND indicator = 'tax_per_mu';

-- Year to date per month; months 1 and 2 are monitoring only (月监测).
INSERT INTO enterprise_period (uscc, year, month, size_class, tax, electricity_kwh)
SELECT f.uscc, 2025, t.month, 'below', t.per_mu * p.area_mu, 10000 * t.month * p.area_mu
FROM firm f JOIN parcel p ON p.holder_uscc = f.uscc
JOIN (VALUES (1, 1, 2), (2, 1, 1.7), (3, 1, 1.3), (4, 1, 1), (5, 1, 0.7),
             (1, 2, 4), (2, 2, 3.3), (3, 2, 2.7), (4, 2, 2), (5, 2, 1.3),
             (1, 3, 6), (2, 3, 5), (3, 3, 4), (4, 3, 3), (5, 3, 2),
             (1, 6, 13), (2, 6, 8), (3, 6, 6), (4, 6, 10), (5, 6, 9),
             (1, 9, 18), (2, 9, 10), (3, 9, 15), (4, 9, 14), (5, 9, 13)) AS t(n, month, per_mu) ON t.n = f.n;

SELECT evaluate_quarter(2025, 1, '330604') AS q1, evaluate_quarter(2025, 2, '330604') AS q2,
       evaluate_quarter(2025, 3, '330604') AS q3;

-- The period's benchmarks: the fixed one prorated (3, 6, 9), the pool's in 元/kWh (mean t / m).
SELECT quarter, indicator, round(benchmark::numeric * CASE WHEN indicator = 'tax_per_kwh' THEN 1e4 ELSE 1 END, 6) AS benchmark,
       round(pool_value::numeric * CASE WHEN indicator = 'tax_per_kwh' THEN 1e4 ELSE 1 END, 6) AS pool_value, firms
FROM evaluation_quarter_benchmark ORDER BY quarter, indicator;

SELECT f.name, q.quarter, round(q.tax_per_mu::numeric, 6) AS tax_per_mu, round(q.score_tax_per_mu::numeric, 3) AS s_mu,
       round(q.score_tax_per_kwh::numeric, 3) AS s_kwh, round(q.score::numeric, 3) AS score, q.rank, q.grade
FROM evaluation_quarter q JOIN firm f USING (uscc) ORDER BY q.quarter, q.rank;

-- Kept apart: no yearly evaluation, summary or register row was written.
SELECT (SELECT count(*) FROM evaluation) AS evaluation, (SELECT count(*) FROM evaluation_summary) AS summaries,
       (SELECT count(*) FROM evaluation_benchmark) AS benchmarks, (SELECT count(*) FROM register) AS register;

-- The warning before the year closes: F2 alone, from its quarters (fid < 0, no yearly grade).
SELECT f.name, w.year, w.fid < 0 AS from_quarters, w.grade, w.quarter, w.quarter_grade_prev, w.quarter_grade,
       w.quarter_grade_label, round(w.quarter_score_prev::numeric, 3) AS score_prev, round(w.quarter_score::numeric, 3) AS score,
       w.quarter_falling, w.reasons, w.reason_labels
FROM v_early_warning w JOIN firm f USING (uscc) ORDER BY f.name;

-- Evaluating a quarter again replaces its rows: one row per firm and quarter.
SELECT evaluate_quarter(2025, 3, '330604') AS q3_again;
SELECT quarter, count(*) AS firms FROM evaluation_quarter GROUP BY quarter ORDER BY quarter;

-- A quarter without figures: a notice, nothing evaluated, earlier results kept.
SELECT evaluate_quarter(2025, 4, '330604') AS q4, (SELECT count(*) FROM evaluation_quarter) AS kept;

-- Bad input.
\set VERBOSITY terse
SELECT evaluate_quarter(2025, 5, '330604');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT evaluate_quarter(2025, NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO enterprise_period (uscc, year, month, size_class) VALUES ('91330604MA2B00078Q', 2025, 13, 'below');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO enterprise_period (uscc, year, month, size_class, tax) VALUES ('91330604MA2B00078Q', 2025, 12, 'below', 'NaN');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The results take writes from evaluate_quarter() alone, even a superuser's.
DELETE FROM evaluation_quarter;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE evaluation_quarter_benchmark SET benchmark = 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
SELECT evaluate_quarter(2025, 0);

-- 月监测: year-to-date figures from the bureau's sheet, the yearly template
-- plus 月份: 税收(元) → 万元 (÷ 10 000), 用电量(万千瓦时) → kWh (× 10 000).
CREATE TABLE public.t_months ("统一社会信用代码" text, "规模" text, "月份" text, "税收(元)" text,
                              "用电量(万千瓦时)" text, "备注" text);
INSERT INTO public.t_months VALUES
  ('91330604MA2B00078Q', '规下', '2026-03', '60,000', '3', NULL),
  ('91330604MA2B0014XC', '规下', '二季度', '80000', '6', NULL),
  ('91330604MA2B002118', '规模以下', '2026年9月', '150000', '9', '季报'),
  ('91330604MA2B00256R', '规上', '13', '1', '1', NULL),
  ('91330604MA2B00999X', '规下', '3', '1', '1', NULL),
  ('91330604MA2B00315M', '规下', '2025-03', '1', '1', NULL),
  ('91330604MA2B00315M', '规下', '6', 'abc', '1', NULL),
  ('91330604MA2B00078Q', '规下', '6', '1', '1', NULL),
  ('91330604MA2B00078Q', '规下', '06', '2', '1', NULL),
  ('91330604MA2B00256R', '规下', '1', '1', '1', NULL),
  ('91330604MA2B00256R', '规下', 'Q4', '1', '1', NULL);
SELECT * FROM import_enterprise_periods('public.t_months', 2026, '330604');
SELECT f.name, p.month, p.size_class, p.tax, p.electricity_kwh
FROM enterprise_period p JOIN firm f USING (uscc) WHERE p.year = 2026 ORDER BY p.month, f.name;
-- Again, with an empty 税收 cell: the stored tax is kept, the electricity replaced.
TRUNCATE public.t_months;
INSERT INTO public.t_months VALUES ('91330604MA2B00078Q', '规下', '3', NULL, '4', NULL);
SELECT * FROM import_enterprise_periods('public.t_months', 2026, '330604');
SELECT p.month, p.tax, p.electricity_kwh FROM enterprise_period p WHERE p.year = 2026 AND p.uscc = '91330604MA2B00078Q';
-- A sheet without 月份 is refused, naming it.
ALTER TABLE public.t_months DROP COLUMN "月份";
\set VERBOSITY terse
SELECT * FROM import_enterprise_periods('public.t_months', 2026, '330604');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
DROP TABLE public.t_months;

-- Leave the database as the next test expects it: the quarter's figures and
-- results (guarded as the year's) go as reset_data.sql takes the year's.
SET session_replication_role = replica;
TRUNCATE enterprise_period, evaluation_quarter, evaluation_quarter_benchmark RESTART IDENTITY;
RESET session_replication_role;
\i sql/helpers/reset_data.sql
