-- The multi-year facts of v_enterprise_evaluation, over three evaluated years.
--   桐庐: ≥ 20 mu and 亩均税收 under 3 万元/亩 three years running;
--   金东: ≥ 20 mu and still 规下 after three years;
--   金东 亩产倍增: grade B or better with revenue ≥ 1 亿元 or tax ≥ 300 万元,
--   and 土地利用率 80 % 以上.
-- A firm meeting this year's part of a multi-year rule without the earlier
-- years is undecided (NULL), and evaluate() names it in a NOTICE.
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
-- 2022 first: T1 (规下, 2 万元/亩, ~100 mu) meets this year's part of both
-- rules, T3 (规下, 8 万元/亩) of 金东's: with no 2020 or 2021 they are undecided.
SET client_min_messages = notice;
SELECT evaluate(2022, '330122') AS g2022;
-- The county's run named the notice's candidates; the notice's own search
-- (as for a region evaluated whole) finds the same firms.
SELECT notice_multi_year_undecided(2022, '330122') AS undecided_found_again;
SET client_min_messages = warning;
SELECT evaluate(2023, '330122') AS g2023, evaluate(2024, '330122') AS g2024;

SELECT name, year, round(tax_per_mu::numeric, 2) AS tax_per_mu, round(tax_per_mu_prev::numeric, 2) AS prev,
       round(tax_per_mu_prev2::numeric, 2) AS prev2, grade_or_t,
       persistent_low_tax, still_below_3y, capacity_doubling_candidate
FROM v_enterprise_evaluation ORDER BY name COLLATE "C", year;

-- 2024: every earlier year is there, nothing undecided, no notice.
SET client_min_messages = notice;
SELECT evaluate(2024, '330122') AS g2024;
SET client_min_messages = warning;

-- 亩产倍增 needs the land use rate: T2 (B, tax 400 ≥ 300) and T3 (B, tax
-- 800) were undecided without it; T2 uses 80 % of its land (on the line:
-- 80 % 以上 includes it), T3 79 %: T2 is a candidate, T3 not.  T1 (tax 200,
-- revenue 8 000 < 10 000) is not, whatever its rate.
UPDATE enterprise_year SET land_use_rate = CASE uscc WHEN '91330122MA2D00002C' THEN 0.8
                                                     WHEN '91330122MA2D00003F' THEN 0.79 ELSE 1 END
WHERE year = 2024;
SELECT name, capacity_doubling_candidate FROM v_enterprise_evaluation WHERE year = 2024 ORDER BY name COLLATE "C";
-- The rate is a share (0 to 1): 80 for 80 % is refused (23514).
\set VERBOSITY terse
UPDATE enterprise_year SET land_use_rate = 80 WHERE uscc = '91330122MA2D00002C' AND year = 2024;
\set VERBOSITY default

-- The thresholds are rule data: a county with a 1.5 万元/亩 line flags nobody.
SELECT rule_set_adopt('default', 'tonglu', '330122');
UPDATE rule_set SET persistent_low_tax_per_mu = 1.5 WHERE id = 'tonglu';
SELECT evaluate(2022, '330122') + evaluate(2023, '330122') + evaluate(2024, '330122') AS graded;
SELECT name, persistent_low_tax FROM v_enterprise_evaluation WHERE year = 2024 ORDER BY name COLLATE "C";
-- and a 70 % land use rate makes T3 a candidate (79 % ≥ 70 %).
UPDATE rule_set SET doubling_min_land_use_rate = 0.7 WHERE id = 'tonglu';
SELECT evaluate(2024, '330122') AS graded;
SELECT name, capacity_doubling_candidate FROM v_enterprise_evaluation WHERE year = 2024 ORDER BY name COLLATE "C";
\set VERBOSITY terse
UPDATE rule_set SET doubling_min_land_use_rate = 80 WHERE id = 'tonglu';
\set VERBOSITY default

\i sql/helpers/reset_data.sql
