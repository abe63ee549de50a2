-- Whom a rule holds for: which lessees a rental deduction counts (温岭 2022),
-- a land floor for named GB/T 4754 sections (上虞 2022).  Every figure is
-- checked against the hand computation in the comments.
\set SHOW_CONTEXT never
\set VERBOSITY terse
SET search_path = parcel_gov, public;

-- The options as the presets ship them.
SELECT rule_set_id, pool, rental_first_deduction AS first, rental_further_deduction AS further, rental_lessees,
       land_floor_mu, land_floor_sections
FROM rule_pool WHERE rule_set_id IN ('default', 'wenling_2022_parks', 'shangyu_2022') ORDER BY rule_set_id, pool;

-- 1. 温岭 2022, article 二: a 规上 lessor loses 0 for its first lessee and 5
-- for each further one; a 规下 lessor leasing to 规下 firms loses 10 for the
-- first 规下 lessee and 5 for each further one.  Lessors (all on land of the
-- park 城西区块):
--   HA 规上, leases to LB1 (规下) and LA (规上): 2 lessees counted → 0 + 5 = 5
--   HB 规下, leases to LB1, LB2 (规下), LA (规上), LN (no figures in 2022):
--      2 规下 lessees counted → 10 + 5 = 15 (every lessee: 4 → 10 + 3 × 5 = 25)
--   HC 规下, leases to LA (规上) only: no 规下 lessee → 0 (every lessee: 10)
SELECT rule_set_adopt('wenling_2022_parks', 'wenling', '331081', 2022);
INSERT INTO park (name, region_code) VALUES ('城西区块', '331081');
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES
  ('91331081MA2H00313H', 'HA 规上 lessor', '331081', 'C3311'),
  ('91331081MA2H00321C', 'HB 规下 lessor', '331081', 'C3441'),
  ('91331081MA2H0033X4', 'HC 规下 lessor', '331081', 'C1711'),
  ('91331081MA2H003484', 'LA 规上 lessee', '331081', 'C3971'),
  ('91331081MA2H00356Y', 'LB1 规下 lessee', '331081', 'C2929'),
  ('91331081MA2H00364R', 'LB2 规下 lessee', '331081', 'C3311'),
  ('91331081MA2H00372L', 'LN lessee without figures', '331081', 'C3311');
INSERT INTO parcel (code, region_code, holder_uscc, park_id, geom)
SELECT '331081001002GB0000' || n, '331081', uscc, (SELECT id FROM park WHERE name = '城西区块'),
       ST_Multi(ST_MakeEnvelope(121.37 + 0.01 * n, 28.37, 121.372 + 0.01 * n, 28.372, 4490))
FROM (VALUES (1, '91331081MA2H00313H'), (2, '91331081MA2H00321C'), (3, '91331081MA2H0033X4')) AS p(n, uscc);
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during) VALUES
  ('331081001002GB00001', '91331081MA2H00356Y', 2, '[2022-01-01,2023-01-01)'),
  ('331081001002GB00001', '91331081MA2H003484', 2, '[2022-01-01,2023-01-01)'),
  ('331081001002GB00002', '91331081MA2H00356Y', 2, '[2022-01-01,2023-01-01)'),
  ('331081001002GB00002', '91331081MA2H00364R', 2, '[2022-01-01,2023-01-01)'),
  ('331081001002GB00002', '91331081MA2H003484', 2, '[2022-01-01,2023-01-01)'),
  ('331081001002GB00002', '91331081MA2H00372L', 2, '[2022-01-01,2023-01-01)'),
  ('331081001002GB00003', '91331081MA2H003484', 2, '[2022-01-01,2023-01-01)');
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce,
                             emission_t, electricity_kwh)
SELECT uscc, 2022, CASE WHEN name LIKE '%规上%' THEN 'above' ELSE 'below' END::size_class,
       20, 60, 200, 4, 10, 20, 1, 100000
FROM enterprise WHERE region_code = '331081' AND name NOT LIKE 'LN%';
SELECT evaluate(2022, '331081') AS graded;
SELECT f.name, e.pool, e.rule_set_id, e.rental_deduction
FROM evaluation e JOIN enterprise f USING (uscc) WHERE f.name LIKE 'H%' ORDER BY f.name;
-- The same by a run of the whole province, which works out its lessees'
-- size from the figures it has read (not by a query per lease): HA 5, HB 15,
-- HC 0 again.
SET client_min_messages = warning;	-- its notices depend on what other counties hold
SELECT (evaluate(2022, NULL, true) IS NOT NULL) AS province_run;
RESET client_min_messages;
SELECT f.name, e.pool, e.rental_deduction
FROM evaluation e JOIN enterprise f USING (uscc) WHERE f.name LIKE 'H%' ORDER BY f.name;
-- A county whose 规下 lessors answer for every lessee: HB 25, HC 10.
UPDATE rule_pool SET rental_lessees = 'all' WHERE rule_set_id = 'wenling' AND pool = 'below';
SELECT evaluate(2022, '331081') AS graded;
SELECT f.name, e.pool, e.rental_deduction
FROM evaluation e JOIN enterprise f USING (uscc) WHERE f.name LIKE 'H%' ORDER BY f.name;
-- Neither 'all' nor 'below' (23514).
UPDATE rule_pool SET rental_lessees = 'above' WHERE rule_set_id = 'wenling' AND pool = 'below';

-- 2. 温岭's preset holds for park firms only (article 一, firm_scope in_park):
-- every firm above uses land of 城西区块; three firms hold land outside it:
--   OA 规上 and OB 规下 hold land outside any park: the region's rule set for
--      all firms grades them, the default (nothing else is adopted for 2022)
--   MX 规下 holds land outside but leases 1 mu of HC's park parcel: in a park
-- Pools: wenling 规上 {HA, LA} = 2, wenling 规下 {HB, HC, LB1, LB2, MX} = 5,
-- default 规上 {OA} = 1, default 规下 {OB} = 1; each its own benchmarks.
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES
  ('91331081MA2H00380F', 'OA 规上 outside parks', '331081', 'C3311'),
  ('91331081MA2H00399C', 'OB 规下 outside parks', '331081', 'C3311'),
  ('91331081MA2H004010', 'MX 规下 leasing in the park', '331081', 'C3311');
INSERT INTO parcel (code, region_code, holder_uscc, geom)
SELECT '331081001002GB0000' || n, '331081', uscc,
       ST_Multi(ST_MakeEnvelope(121.37 + 0.01 * n, 28.37, 121.372 + 0.01 * n, 28.372, 4490))
FROM (VALUES (4, '91331081MA2H00380F'), (5, '91331081MA2H00399C'), (6, '91331081MA2H004010')) AS p(n, uscc);
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during) VALUES
  ('331081001002GB00003', '91331081MA2H004010', 1, '[2022-01-01,2023-01-01)');
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce,
                             emission_t, electricity_kwh)
SELECT uscc, 2022, CASE WHEN name LIKE '%规上%' THEN 'above' ELSE 'below' END::size_class,
       20, 60, 200, 4, 10, 20, 1, 100000
FROM enterprise WHERE uscc IN ('91331081MA2H00380F', '91331081MA2H00399C', '91331081MA2H004010');
SELECT rule_set_for('331081', 2022) AS outside_parks, rule_set_for('331081', 2022, false) AS not_in_park,
       rule_set_for('331081', 2022, true) AS in_park, rule_set_for('331081', 2021, true) AS in_park_2021;
SELECT evaluate(2022, '331081') AS graded;
SELECT f.name, firm_in_park(e.uscc, e.year) AS in_park, e.rule_set_id, e.pool, e.pool_size, e.grade IS NOT NULL AS graded
FROM evaluation e JOIN enterprise f USING (uscc) WHERE e.region_code = '331081' ORDER BY e.rule_set_id, e.pool, f.name;
-- The whole province's run learns a lease's park from the parcel it reads
-- (not by a query per lease): MX again in 温岭's 规下 pool (ranked in an
-- industry group of 2, as above), OA and OB in the default's.
SET client_min_messages = warning;	-- its notices depend on what other counties hold
SELECT (evaluate(2022, NULL, true) IS NOT NULL) AS province_run;
RESET client_min_messages;
SELECT f.name, e.rule_set_id, e.pool, e.pool_size
FROM evaluation e JOIN enterprise f USING (uscc) WHERE e.region_code = '331081' AND f.name ~ '^(MX|OA|OB)'
ORDER BY f.name;
SELECT rule_set_id, pool, count(*) AS indicators, min(firms) AS firms
FROM evaluation_benchmark WHERE region_code = '331081' GROUP BY rule_set_id, pool ORDER BY rule_set_id, pool;
-- The county's own rule set for all firms then grades those outside the park
-- (OA, OB); park firms keep 温岭's.  One of each scope per region and start year.
SELECT rule_set_adopt('tax_only_below', 'wenling_rest', '331081', 2022);
SELECT rule_set_adopt('wenling_2022_parks', 'wenling_again', '331081', 2022);
SELECT evaluate(2022, '331081') AS graded;
SELECT e.rule_set_id, e.pool, count(*) AS firms,
       bool_and(e.rule_set_id = rule_set_for(e.region_code, e.year, firm_in_park(e.uscc, e.year))) AS as_rule_set_for
FROM evaluation e WHERE e.region_code = '331081' GROUP BY e.rule_set_id, e.pool ORDER BY e.rule_set_id, e.pool;
-- Each firm's tax tier counts under its own rule set's tiers: with the park
-- rule set's bounds far above every firm (1000/2000/3000), the park firms are
-- all tier 1 while the others keep 5/10/15; what the engine wrote equals what
-- the rows give in SQL.
UPDATE rule_set SET tax_tier_bounds = '{1000,2000,3000}' WHERE id = 'wenling';
SELECT evaluate(2022, '331081') AS graded;
SELECT s.tier_1, s.tier_2, s.tier_3, s.tier_0,
       s.tier_1 = q.tier_1 AND s.tier_2 = q.tier_2 AND s.tier_3 = q.tier_3 AND s.tier_0 = q.tier_0 AS same_as_rows
FROM evaluation_summary s, summaries_of_rows(2022, '{331081}') q WHERE s.region_code = '331081' AND s.year = 2022;
SELECT e.rule_set_id, count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu, r.tax_tier_bounds, r.tax_tier_includes_bound) = 1) AS tier_1,
       count(e.tax_per_mu) AS with_tax
FROM evaluation e JOIN rule_set r ON r.id = e.rule_set_id WHERE e.region_code = '331081' AND e.year = 2022
GROUP BY e.rule_set_id ORDER BY e.rule_set_id;
-- Neither 'all' nor 'in_park' (23514).
UPDATE rule_set SET firm_scope = 'park' WHERE id = 'wenling_rest';

-- 3. 上虞 2022: 规下 制造业 (section C) firms are evaluated on 3 亩以上 of land.
-- Four 规下 firms on land leased from one holder (exact areas):
--   M  C3311 2 mu: under the floor, not graded
--   S  D4411 (电力生产, section D) 2 mu: the floor does not hold for it, graded
--   U  no industry code, 2 mu: held to the floor, not graded
--   M2 C1711 4 mu: graded
-- S and M2 each pay 20 万元 of tax on 100 000 kWh:
--   亩均税收 S 20 / 2 = 10, M2 20 / 4 = 5; the pool's 40 / 6 = 20/3
--   score 亩均税收 S 50 × 10 ÷ 20/3 = 75, M2 50 × 5 ÷ 20/3 = 37.5
--   单位电耗税收 both 20 / 100 000 = 0.0002 = the pool's 40 / 200 000: 50 each
--   total S 125, M2 87.5; two firms: A = round(2 × 0.2) = 0, B to round(1.6) = 2
-- In 2021 the default applies (the floor for every section): S is not graded.
SELECT rule_set_adopt('shangyu_2022', 'shangyu', '330604', 2022);
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES
  ('91330604MA2H00313K', 'HOLD lessor without figures', '330604', NULL),
  ('91330604MA2H00321E', 'M 制造业 2 mu', '330604', 'C3311'),
  ('91330604MA2H0033X6', 'S 电力 2 mu', '330604', 'D4411'),
  ('91330604MA2H003486', 'U no industry code 2 mu', '330604', NULL),
  ('91330604MA2H003561', 'M2 制造业 4 mu', '330604', 'C1711');
INSERT INTO parcel (code, region_code, holder_uscc, geom) VALUES
  ('330604001002GB00001', '330604', '91330604MA2H00313K',
   ST_Multi(ST_MakeEnvelope(120.87, 30.03, 120.872, 30.032, 4490)));
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT '330604001002GB00001', uscc, mu, '[2021-01-01,2023-01-01)'
FROM (VALUES ('91330604MA2H00321E', 2), ('91330604MA2H0033X6', 2), ('91330604MA2H003486', 2),
             ('91330604MA2H003561', 4)) AS l(uscc, mu);
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT l.lessee_uscc, y, 'below', 20, 100000 FROM lease l CROSS JOIN (VALUES (2021), (2022)) AS y(y)
WHERE l.parcel_code = '330604001002GB00001';
SELECT evaluate(2021, '330604') AS graded_2021, evaluate(2022, '330604') AS graded_2022;
SELECT e.year, f.name, e.rule_set_id, e.area_mu, e.score_tax_per_mu, e.score_tax_per_kwh, e.score, e.rank,
       e.grade, e.not_graded
FROM evaluation e JOIN enterprise f USING (uscc) WHERE e.region_code = '330604' ORDER BY e.year, f.name COLLATE "C";
-- 一企一策: the land a firm may give back keeps the floor only where it holds:
-- M2 (C) keeps 3 mu, S (D) need keep none.
SELECT f.name, i.land_floor_mu FROM firm_plan_inputs() i JOIN enterprise f USING (uscc)
WHERE i.year = 2022 AND i.region_code = '330604' ORDER BY f.name COLLATE "C";
-- Section letters only, and at least one (23514): NULL means every section.
UPDATE rule_pool SET land_floor_sections = '{制造业}' WHERE rule_set_id = 'shangyu' AND pool = 'below';
UPDATE rule_pool SET land_floor_sections = '{}' WHERE rule_set_id = 'shangyu' AND pool = 'below';

-- Leave the database as the next test expects it.
\i sql/helpers/reset_data.sql
