-- The multi-year facts of v_enterprise_evaluation, over three evaluated years.
--   桐庐: ≥ 20 mu and 亩均税收 under 3 万元/亩 three years running;
--   金东: ≥ 20 mu and still 规下 after three years;
--   金东 亩产倍增: grade B or better with revenue ≥ 1 亿元 or tax ≥ 300 万元.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;

-- 桐庐县 (330122) ships with parcel_gov.
INSERT INTO enterprise (uscc, name, region_code) VALUES
  ('91330122MA2D000019', 'T1 规下, low tax', '330122'),
  ('91330122MA2D00002C', 'T2 规上, large', '330122'),
  ('91330122MA2D00003F', 'T3 规下', '330122');
-- Three parcels of about 100 mu each (0.0025° squares near 29.8°N): all over 20 mu.
INSERT INTO parcel (code, region_code, holder_uscc, geom)
SELECT '330122001001GB0000' || n, '330122', uscc,
       ST_Multi(ST_MakeEnvelope(119.69 + 0.01 * n, 29.8, 119.6925 + 0.01 * n, 29.8025, 4490))
FROM (VALUES (1, '91330122MA2D000019'), (2, '91330122MA2D00002C'), (3, '91330122MA2D00003F')) AS p(n, uscc);
SELECT count(*) FILTER (WHERE area_mu BETWEEN 99 AND 102) AS parcels_of_about_100_mu FROM parcel;

-- T1 pays 2 万元 per mu every year (200 万元); T3 pays 8 (800 万元, so a doubling
-- candidate by tax); T2 pays 400 万元 on its land.
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff,
                             energy_tce, emission_t, electricity_kwh)
SELECT p.holder_uscc, y, CASE WHEN p.holder_uscc = '91330122MA2D00002C' THEN 'above' ELSE 'below' END::size_class,
       CASE p.holder_uscc WHEN '91330122MA2D000019' THEN 2 * p.area_mu
                          WHEN '91330122MA2D00003F' THEN 8 * p.area_mu ELSE 400 END,
       1200, 8000, 200, 100, 500, 10, 1000000
FROM parcel p CROSS JOIN generate_series(2022, 2024) AS y;
SELECT evaluate(2022, '330122') AS g2022, evaluate(2023, '330122') AS g2023, evaluate(2024, '330122') AS g2024;

SELECT name, year, round(tax_per_mu::numeric, 2) AS tax_per_mu, round(tax_per_mu_prev::numeric, 2) AS prev,
       round(tax_per_mu_prev2::numeric, 2) AS prev2, grade_or_t,
       persistent_low_tax, still_below_3y, capacity_doubling_candidate
FROM v_enterprise_evaluation ORDER BY name COLLATE "C", year;

-- The thresholds are rule data: a county with a 1.5 万元/亩 line flags nobody.
SELECT rule_set_adopt('default', 'tonglu', '330122');
UPDATE rule_set SET persistent_low_tax_per_mu = 1.5 WHERE id = 'tonglu';
SELECT evaluate(2022, '330122') + evaluate(2023, '330122') + evaluate(2024, '330122') AS graded;
SELECT name, persistent_low_tax FROM v_enterprise_evaluation WHERE year = 2024 ORDER BY name COLLATE "C";

\i sql/helpers/reset_data.sql
