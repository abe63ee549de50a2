-- Rules as data: the default, the presets, adoption by region, and the checks.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;

-- What ships: every built-in pool's weights sum to 100.
SELECT id, region_prefix, builtin FROM rule_set ORDER BY id;
SELECT rule_set_id, pool, sum(weight) AS points, count(*) AS indicators, min(a_share) AS a, min(b_share) AS b,
       min(c_share) AS c, min(land_floor_mu) AS floor_mu
FROM rule_indicator JOIN rule_pool USING (rule_set_id, pool)
GROUP BY rule_set_id, pool ORDER BY rule_set_id, pool;
SELECT indicator, label(indicator), weight, benchmark_fixed, missing
FROM rule_indicator WHERE rule_set_id = 'default' ORDER BY pool, weight DESC, indicator;

-- Which rule set a county gets: the default everywhere, unless a prefix is more specific.
SELECT rule_set_for('331003', 2022) AS huangyan_before, rule_set_for('330604', 2022) AS shangyu;
SELECT rule_set_adopt('huangyan_2022', 'huangyan', '331003', 2022);
SELECT rule_set_adopt('tax_only_below', 'taizhou', '3310', 2020);
SELECT rule_set_for('331003', 2022) AS huangyan_2022, rule_set_for('331003', 2021) AS huangyan_2021,
       rule_set_for('331002', 2022) AS jiaojiang_2022, rule_set_for('330604', 2022) AS shangyu;
SELECT source FROM rule_set WHERE id = 'huangyan';

-- The 黄岩 2022 formula: a firm at every benchmark scores exactly each weight.
-- 黄岩区 (331003) ships with parcel_gov.
INSERT INTO enterprise (uscc, name, region_code) VALUES
  ('91331003MA2B00078P', '规上企业', '331003'), ('91331003MA2B0014XB', '规下企业', '331003');
INSERT INTO parcel (code, region_code, holder_uscc, geom) VALUES
  ('331003001002GB00001', '331003', '91331003MA2B00078P', ST_Multi(ST_MakeEnvelope(121.26, 28.64, 121.262, 28.642, 4490))),
  ('331003001002GB00002', '331003', '91331003MA2B0014XB', ST_Multi(ST_MakeEnvelope(121.27, 28.64, 121.272, 28.642, 4490)));
-- Figures chosen so each indicator equals 黄岩's 2022 benchmark: 亩均税收 24.097,
-- 亩均增加值 136.16, 单位能耗增加值 2.694, 单位排放增加值 4929.81, 全员劳动生产率 18.14,
-- R&D 0.0302 of 主营业务收入 (24.16 / 800; of 营业收入 1000 it would be 0.02416,
-- which 黄岩 2022 does not score); 规下 11.5932 万元/亩 and 0.2352 元 (0.00002352 万元) per kWh.
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff,
                             energy_tce, emission_t, electricity_kwh, main_revenue)
SELECT '91331003MA2B00078P', 2022, 'above'::size_class, 24.097 * mu, 136.16 * mu, 1000, 24.16, 136.16 * mu / 18.14,
       136.16 * mu / 2.694, 136.16 * mu / 4929.81, NULL, 800
FROM (SELECT area_mu AS mu FROM parcel WHERE code = '331003001002GB00001') AS p
UNION ALL
SELECT '91331003MA2B0014XB', 2022, 'below', 11.5932 * mu, NULL, NULL, NULL, NULL, NULL, NULL,
       11.5932 * mu / 0.00002352, NULL
FROM (SELECT area_mu AS mu FROM parcel WHERE code = '331003001002GB00002') AS p;
SELECT evaluate(2022, '331003') AS graded;
SELECT pool, rule_set_id, round(score_tax_per_mu::numeric, 6) AS tax_30, round(score_va_per_mu::numeric, 6) AS va_20,
       round(score_va_per_energy::numeric, 6) AS energy_20, round(score_va_per_emission::numeric, 6) AS emission_10,
       round(score_labour_productivity::numeric, 6) AS labour_10, round(score_rd_intensity_main::numeric, 6) AS rd_10,
       round(rd_intensity::numeric, 5) AS rd_of_revenue, round(rd_intensity_main::numeric, 5) AS rd_of_main,
       round(score_tax_per_kwh::numeric, 6) AS kwh_50, round(score::numeric, 6) AS total_100
FROM evaluation ORDER BY pool;
SELECT pool, indicator, benchmark, firms FROM evaluation_benchmark ORDER BY pool, indicator;

-- Checks at write time.
-- Built-in rule sets are read-only (42501): adopt a copy instead.
UPDATE rule_indicator SET weight = 40 WHERE rule_set_id = 'default' AND indicator = 'tax_per_mu';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM rule_set WHERE id = 'linhai_2014';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO rule_set (id, name, builtin) VALUES ('mine', 'mine', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Quotas out of order (23514).
UPDATE rule_pool SET a_share = 0.9 WHERE rule_set_id = 'huangyan' AND pool = 'above';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE rule_pool SET c_share = 1.2 WHERE rule_set_id = 'huangyan' AND pool = 'above';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Weights that do not sum to 100 are refused at commit (23514) ...
BEGIN;
UPDATE rule_indicator SET weight = 35 WHERE rule_set_id = 'huangyan' AND pool = 'above' AND indicator = 'tax_per_mu';
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ... but may be rebalanced within a transaction.
BEGIN;
UPDATE rule_indicator SET weight = 35 WHERE rule_set_id = 'huangyan' AND pool = 'above' AND indicator = 'tax_per_mu';
UPDATE rule_indicator SET weight = 15 WHERE rule_set_id = 'huangyan' AND pool = 'above' AND indicator = 'va_per_mu';
COMMIT;
SELECT sum(weight) FROM rule_indicator WHERE rule_set_id = 'huangyan' AND pool = 'above';
-- Benchmarks, caps and multipliers must be positive (23514); ids are words.
UPDATE rule_indicator SET benchmark_fixed = 0 WHERE rule_set_id = 'huangyan' AND indicator = 'tax_per_mu' AND pool = 'above';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE rule_indicator SET cap = -1 WHERE rule_set_id = 'huangyan' AND indicator = 'tax_per_mu' AND pool = 'above';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT rule_set_adopt('no_such_preset', 'x', '33');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT rule_set_adopt('default', 'Bad Id', '33');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Two rule sets for the same region and start year (23505).
SELECT rule_set_adopt('default', 'huangyan_again', '331003', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A county's own rule, row by row in one transaction: minmax scoring, a
-- benchmark at twice the pool's level, a cap.  One firm per pool: minmax gives
-- the full weight (the firm is the pool's best); the 规下 firm is at half of
-- twice its pool's level, so 50 of 100.
BEGIN;
INSERT INTO rule_set (id, name, region_prefix, year_from) VALUES ('huangyan_2023', '黄岩 2023 (test)', '331003', 2023);
INSERT INTO rule_pool (rule_set_id, pool) VALUES ('huangyan_2023', 'above'), ('huangyan_2023', 'below');
INSERT INTO rule_indicator (rule_set_id, pool, indicator, weight, method) VALUES
  ('huangyan_2023', 'above', 'tax_per_mu', 100, 'minmax');
INSERT INTO rule_indicator (rule_set_id, pool, indicator, weight, benchmark_multiplier, cap) VALUES
  ('huangyan_2023', 'below', 'tax_per_mu', 100, 2, 1.5);
COMMIT;
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT uscc, 2023, size_class, tax, electricity_kwh FROM enterprise_year WHERE year = 2022;
SELECT evaluate(2023, '331003') AS graded;
SELECT pool, rule_set_id, score_tax_per_mu, score, grade FROM evaluation WHERE year = 2023 ORDER BY pool;

-- A pool whose rule has no indicators yet grades nobody, and says so.
INSERT INTO rule_set (id, name, region_prefix, year_from) VALUES ('unfinished', 'no indicators yet', '331003', 2024);
INSERT INTO rule_pool (rule_set_id, pool) VALUES ('unfinished', 'above'), ('unfinished', 'below');
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT uscc, 2024, size_class, tax, electricity_kwh FROM enterprise_year WHERE year = 2022 AND uscc LIKE '91331003%';
SELECT evaluate(2024, '331003') AS graded;
SELECT pool, rule_set_id, grade, not_graded FROM evaluation WHERE year = 2024 ORDER BY pool;

-- 温岭 parks (its firms on park land): firms rank within five industry groups, and lessors lose points
-- per lessee (规上: first 0, then 5 each; 规下: first 10, then 5 each).
SELECT rule_set_adopt('wenling_2022_parks', 'wenling', '331081', 2022);
INSERT INTO park (name, region_code) VALUES ('温峤区块', '331081');
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES
  ('91331081MA2B00078N', '金属制品 (规上, two lessees)', '331081', 'C3311'),
  ('91331081MA2B0014XA', '纺织 (规上)', '331081', 'C1711'),
  ('91331081MA2B002116', '塑料 (规下, one lessee)', '331081', 'C2929'),
  ('91331081MA2B002896', '泵 (规下, lessee)', '331081', 'C3441'),
  ('91331081MA2B00350W', '电子 (规下, lessee)', '331081', 'C3971');
INSERT INTO parcel (code, region_code, holder_uscc, park_id, geom)
SELECT '331081001001GB0000' || n, '331081', uscc, (SELECT id FROM park), ST_Multi(ST_MakeEnvelope(121.37 + 0.01 * n, 28.37, 121.372 + 0.01 * n, 28.372, 4490))
FROM (VALUES (1, '91331081MA2B00078N'), (2, '91331081MA2B0014XA'), (3, '91331081MA2B002116')) AS p(n, uscc);
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during) VALUES
  ('331081001001GB00001', '91331081MA2B002896', 3, '[2022-01-01,2023-01-01)'),
  ('331081001001GB00001', '91331081MA2B00350W', 3, '[2022-01-01,2023-01-01)'),
  ('331081001001GB00003', '91331081MA2B00350W', 3, '[2022-01-01,2023-01-01)');
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t)
SELECT uscc, 2022, CASE WHEN name LIKE '%规上%' THEN 'above' ELSE 'below' END::size_class, 100, 300, 1000, 20, 50, 100, 2
FROM enterprise WHERE region_code = '331081';
SELECT evaluate(2022, '331081') AS graded;
SELECT f.name, e.industry_group, e.leased_out_mu, e.rental_deduction, e.pool_size, e.rank, e.grade
FROM evaluation e JOIN enterprise f USING (uscc) WHERE e.region_code = '331081' ORDER BY e.pool, f.name COLLATE "C";

-- Leave the database as the next test expects it.
\i sql/helpers/reset_data.sql
