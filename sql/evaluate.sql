-- evaluate() on a hand-computed county under the default rules.
-- The hand computation: test/hand/evaluate_county.py.  Every parcel is made of
-- identical cells of A mu (about 2.005 mu), so per-mu figures are multiples of
-- 1/A and every score, a ratio to a pool benchmark, is free of A.
-- PL/pgSQL raises these errors: psql shows their SQLSTATE through
-- LAST_ERROR_SQLSTATE (verbose output would pin PostgreSQL's own line numbers).
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;

-- n cells of 0.0005° × 0.00025° at 30°N, one every 0.001° of longitude from the
-- given cell on; apart, so a parcel of n cells has exactly n times the area.
CREATE FUNCTION pg_temp.cells(first int, n int) RETURNS geometry LANGUAGE sql IMMUTABLE
RETURN (SELECT ST_Collect(ST_MakeEnvelope(120.8 + 0.001 * k, 30.0, 120.8005 + 0.001 * k, 30.00025, 4490))
        FROM generate_series(first, first + n - 1) AS k);

-- 上虞区 (330604) and 越城区 (330602) ship with parcel_gov, under 绍兴市.

CREATE TEMP TABLE firm_name (uscc uscc PRIMARY KEY, firm text);
INSERT INTO firm_name VALUES
  ('91330604MA2B00078Q', 'F1'), ('91330604MA2B0014XC', 'F2'), ('91330604MA2B002118', 'F3'),
  ('91330604MA2B002898', 'F4'), ('91330604MA2B00350Y', 'F5'), ('91330604MA2B00422P', 'F6'),
  ('91330604MA2B0049XJ', 'F7'), ('91330604MA2B00561E', 'F8'), ('91330604MA2B006337', 'F9'),
  ('91330604MA2B007050', 'F10'), ('91330604MA2B00772X', 'F11'), ('91330602MA2B00844R', 'G1');
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, '企业' || firm, CASE firm WHEN 'G1' THEN '330602' ELSE '330604' END, 'C3311' FROM firm_name;

INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT code, CASE WHEN holder = 'G1' THEN '330602' ELSE '330604' END, f.uscc, pg_temp.cells(first, n), '2010-06-01'
FROM (VALUES ('330604001001GB00001', 'F1', 0, 10), ('330604001001GB00002', 'F2', 10, 5),
             ('330604001001GB00003', 'F3', 15, 5), ('330604001001GB00004', 'F4', 20, 4),
             ('330604001001GB00005', 'F5', 24, 4), ('330604001001GB00006', 'F6', 28, 2),
             ('330604001001GB00008', 'F8', 30, 3), ('330604001001GB00009', 'F9', 33, 1),
             ('330604001001GB00010', 'F10', 34, 2), ('330604001001GB00012', NULL, 36, 1),
             ('330602001001GB00001', 'G1', 37, 3)) AS p(code, holder, first, n)
LEFT JOIN firm_name f ON f.firm = p.holder;
CREATE TEMP TABLE cell AS SELECT area_mu AS mu FROM parcel WHERE code = '330604001001GB00009';
SELECT round(mu::numeric, 4) AS cell_mu FROM cell;
SELECT code, round((area_mu / (SELECT mu FROM cell))::numeric, 9) AS cells FROM parcel ORDER BY code;

-- F1 leases two cells' worth to F7 through 2025; F2's lease to F8 ended in 2022.
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT '330604001001GB00001', '91330604MA2B0049XJ', 2 * mu, '[2024-01-01,2026-01-01)' FROM cell;
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT '330604001001GB00002', '91330604MA2B00561E', 1 * mu, '[2020-01-01,2023-01-01)' FROM cell;

-- 2024 figures (万元, persons, tce, t, kWh).  F3 has no emission data; F4 is
-- vetoed; F5 is exempt; F9 is under the 3-mu floor (and vetoed: it stays
-- ungraded); F11 has no land; G1 is in another county.
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff,
                             energy_tce, emission_t, electricity_kwh, exempt_reason, veto_reason, bonus, deduction)
SELECT f.uscc, 2024, y.size_class::size_class, y.tax, y.va, y.revenue, y.rd, y.staff, y.energy, y.emission, y.kwh,
       y.exempt, y.veto, y.bonus, y.deduction
FROM (VALUES
  ('F1', 'above', 160, 400, 2000, 60, 100, 200, 4,    1000000, NULL, NULL, 0, 0),
  ('F2', 'above',  50, 250, 1000, 10,  50, 100, 5,     500000, NULL, NULL, 3, 0),
  ('F3', 'above', 100, 300, 1500, 45,  60, 150, NULL,  800000, NULL, NULL, 0, 0),
  ('F4', 'above', 120, 200, 1200, 12,  40,  50, 2,     400000, NULL, '重大安全事故 (major safety accident)', 0, 0),
  ('F5', 'above',  10,  20,  100,  1,  10,  10, 1,      10000, '政策性搬迁 (policy relocation)', NULL, 0, 0),
  ('F6', 'above',  20,  60,  300,  3,  20,  40, 1,     100000, NULL, NULL, 0, 2),
  ('F7', 'below',  12, NULL, NULL, NULL, NULL, NULL, NULL, 60000, NULL, NULL, 0, 0),
  ('F8', 'below',   6, NULL, NULL, NULL, NULL, NULL, NULL, 50000, NULL, NULL, 0, 0),
  ('F9', 'below',   5, NULL, NULL, NULL, NULL, NULL, NULL, 10000, NULL, '环境违法 (environmental violation)', 0, 0),
  ('F10', 'below',  2, NULL, NULL, NULL, NULL, NULL, NULL, 40000, NULL, NULL, 0, 0),
  ('F11', 'below',  1, NULL, NULL, NULL, NULL, NULL, NULL,  1000, NULL, NULL, 0, 0),
  ('G1', 'above',  30,  90,  500,  5,  30,  60, 2,     200000, NULL, NULL, 0, 0)
) AS y(firm, size_class, tax, va, revenue, rd, staff, energy, emission, kwh, exempt, veto, bonus, deduction)
JOIN firm_name f ON f.firm = y.firm;

-- 越城 first, then 上虞: 8 firms graded (5 规上, 3 规下), with notices for the rest.
SELECT evaluate(2024, '330602') AS graded_in_yuecheng;
SELECT evaluate(2024, '330604') AS graded_in_shangyu;

-- Hand values (test/hand/evaluate_county.py).  规上 pool of 5: A ≤ 1, B ≤ 4, C ≤ 5.
--   F4 132.496413 rank 1 A, vetoed → D;  F3 108.875851 B;  F1 105.644537 B;
--   F2  83.514576 (3 bonus) B;  F6 58.510944 (2 deducted) C.
-- 规下 pool of 3: A ≤ 1, B ≤ 2, C ≤ 3.  F7 180 A;  F8 80 B;  F10 36.25 C.
-- Net land in cells: F1 10 − 2 leased out = 8; F7 0 + 2 leased in = 2; F8's lease ended.
SELECT n.firm, e.pool, round((e.area_mu / c.mu)::numeric, 9) AS cells,
       round((e.held_mu / c.mu)::numeric, 9) AS held, round((e.leased_out_mu / c.mu)::numeric, 9) AS out_,
       round((e.leased_in_mu / c.mu)::numeric, 9) AS in_,
       round(e.score::numeric, 6) AS score, e.rank, e.pool_size, e.grade_initial, e.grade, e.not_graded, e.veto_reason
FROM evaluation e JOIN firm_name n USING (uscc) CROSS JOIN cell c
WHERE e.region_code = '330604'
ORDER BY e.pool, e.score DESC NULLS LAST, n.firm;

-- Indicator scores: F1 on every indicator; F3 without emission data scores the
-- pool's mean emission score (13.186813 + 6.593407 + 13.186813 + 7.912088) / 4.
SELECT n.firm, round(score_tax_per_mu::numeric, 6) AS tax, round(score_va_per_mu::numeric, 6) AS va,
       round(score_va_per_energy::numeric, 6) AS energy, round(score_va_per_emission::numeric, 6) AS emission,
       round(score_labour_productivity::numeric, 6) AS labour, round(score_rd_intensity::numeric, 6) AS rd,
       score_tax_per_kwh IS NULL AS no_kwh_score_above, round(va_per_emission::numeric, 6) AS va_per_emission
FROM evaluation e JOIN firm_name n USING (uscc)
WHERE n.firm IN ('F1', 'F3') AND e.year = 2024 ORDER BY n.firm;

-- The pool benchmarks: ratios of sums over graded firms (F5, exempt, is left out).
-- 规上: tax 450/24 cells = 18.75/A; energy 1210/540; emission 910/12; labour 1210/270; R&D 130/6000.
SELECT b.pool, b.indicator,
       round(CASE WHEN b.indicator IN ('tax_per_mu', 'va_per_mu') THEN b.benchmark * c.mu ELSE b.benchmark END::numeric, 6)
         AS benchmark_per_cell_or_value, b.firms
FROM evaluation_benchmark b CROSS JOIN cell c WHERE b.region_code = '330604' ORDER BY b.pool, b.indicator;

-- Idempotent: a second run changes nothing, not even ids or evaluated_at.
CREATE TEMP TABLE first_run AS SELECT * FROM evaluation;
SELECT evaluate(2024, '330604') AS graded_again;
SELECT (SELECT count(*) FROM (SELECT * FROM evaluation EXCEPT SELECT * FROM first_run) AS a) AS new_or_changed,
       (SELECT count(*) FROM (SELECT * FROM first_run EXCEPT SELECT * FROM evaluation) AS b) AS gone,
       (SELECT changed FROM evaluation_run ORDER BY id DESC LIMIT 1) AS changed_by_run;

-- Evaluating 上虞 left 越城's row alone (its id and time are from the first run).
SELECT n.firm, e.grade, e.region_code, e.id = f.id AND e.evaluated_at = f.evaluated_at AS untouched
FROM evaluation e JOIN firm_name n USING (uscc) JOIN first_run f USING (year, uscc) WHERE n.firm = 'G1';

-- A change of data changes only what it affects: F6's tax rises to 40.
UPDATE enterprise_year SET tax = 40 WHERE uscc = '91330604MA2B00422P' AND year = 2024;
SELECT evaluate(2024, '330604');
SELECT changed FROM evaluation_run ORDER BY id DESC LIMIT 1;   -- 5 规上 firms rescored; 规下 and ungraded untouched
UPDATE enterprise_year SET tax = 20 WHERE uscc = '91330604MA2B00422P' AND year = 2024;
SELECT evaluate(2024, '330604');

-- All counties at once: the same grades.
SELECT evaluate(2024) AS graded_everywhere;
SELECT count(*) AS differing FROM evaluation e JOIN first_run f USING (year, uscc)
WHERE e.score IS DISTINCT FROM f.score OR e.grade IS DISTINCT FROM f.grade;

-- The views.
SELECT n.firm, v.pool_label, v.grade_or_t, v.grade_label, v.tax_tier, v.tax_tier_label
FROM v_enterprise_evaluation v JOIN firm_name n USING (uscc) ORDER BY n.firm COLLATE "C";
SELECT region_code, region_name, level, firms, graded, round((area_mu / c.mu)::numeric, 6) AS cells,
       round((tax_per_mu * c.mu)::numeric, 6) AS tax_per_cell, grade_a, grade_b, grade_c, grade_d, not_graded
FROM v_region_summary CROSS JOIN cell c WHERE year = 2024 ORDER BY region_code;

-- Bad input.
-- Figures beyond any firm there is are refused when written (23514, the
-- firm in the detail): F1's and F2's taxes of 1.5e308 万元, which would make
-- the pool's sum overflow double precision, never reach the evaluation, and
-- a rerun changes nothing.
CREATE TEMP TABLE before_failure AS SELECT * FROM evaluation;
UPDATE enterprise_year SET tax = 1.5e308 WHERE uscc IN ('91330604MA2B00078Q', '91330604MA2B0014XC') AND year = 2024;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT evaluate(2024, '330604');
SELECT (SELECT count(*) FROM (SELECT * FROM evaluation EXCEPT SELECT * FROM before_failure) AS a) +
       (SELECT count(*) FROM (SELECT * FROM before_failure EXCEPT SELECT * FROM evaluation) AS b) AS rows_changed;
UPDATE enterprise_year SET tax = CASE uscc WHEN '91330604MA2B00078Q' THEN 160 ELSE 50 END
WHERE uscc IN ('91330604MA2B00078Q', '91330604MA2B0014XC') AND year = 2024;
-- A year without data: a notice, nothing evaluated, earlier results kept.
SELECT evaluate(2031, '330604') AS graded_2031, (SELECT count(*) FROM evaluation WHERE year = 2024) AS kept_2024;
-- A year before the first with data, for the province (the lookup finds a
-- later year, not this one; no county's probe follows): the same.
SELECT evaluate(2001) AS graded_2001, (SELECT count(*) FROM evaluation WHERE year = 2024) AS kept_2024;
SELECT evaluate(2024, '3306041');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT evaluate(2024, 'shangyu');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT evaluate(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A region that is a city or the province.
SELECT region_prefix('330600') AS city, region_prefix('330000') AS province, region_prefix('330604') AS county,
       region_prefix(NULL) = '' AS everywhere;

-- Leave the database as the next test expects it.
\i sql/helpers/reset_data.sql
