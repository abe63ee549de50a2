-- Tax tiers as rule data (rule_set.tax_tier_bounds, tax_tier_includes_bound):
-- evaluate()'s summary, v_enterprise_evaluation, v_parcel_efficiency,
-- v_firm_plan, firm_plan() and v_early_warning all count a firm under its
-- rule set's tiers.  Six 规下 firms in 越城区 (330602): five lessees on
-- exactly 10 mu each (a lease's area is given, so 亩均税收 = tax ÷ 10
-- exactly) paying 49.9, 50, 100, 150, 200 万元 → 4.99, 5, 10, 15, 20
-- 万元/亩; and the holder H, on about 100 mu, 50 of them leased out,
-- paying 1 500 万元 (about 30 万元/亩).
\set VERBOSITY terse
SET search_path = parcel_gov, public;
SET client_min_messages = warning;

INSERT INTO enterprise (uscc, name, region_code) VALUES
  ('91330602MA2D000014', 'H', '330602'),
  ('91330602MA2D000027', 'L4.99', '330602'), ('91330602MA2D00003A', 'L5', '330602'),
  ('91330602MA2D00004D', 'L10', '330602'), ('91330602MA2D00005G', 'L15', '330602'),
  ('91330602MA2D00006K', 'L20', '330602');
INSERT INTO parcel (code, region_code, holder_uscc, geom)
VALUES ('330602001001GB00001', '330602', '91330602MA2D000014',
        ST_Multi(ST_MakeEnvelope(120.8, 30.0, 120.8025, 30.0025, 4490)));
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT '330602001001GB00001', uscc, 10, '[2024-01-01,2025-01-01)'
FROM enterprise WHERE name LIKE 'L%';
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT e.uscc, 2024, 'below', t.tax, 100000
FROM enterprise e JOIN (VALUES ('H', 1500), ('L4.99', 49.9), ('L5', 50), ('L10', 100), ('L15', 150), ('L20', 200))
                         AS t (name, tax) ON t.name = e.name;

-- The default: 5/10/15, a figure on a bound in the higher tier.  By hand:
-- 4.99 → 1; 5 → 2; 10 → 3; 15, 20, H → 0.  The summary: tier_1 1, tier_2 1,
-- tier_3 1, tier_0 3.
SELECT evaluate(2024, '330602') AS graded;
SELECT name, tax_per_mu, tax_tier, tax_tier_label FROM v_enterprise_evaluation
WHERE name LIKE 'L%' ORDER BY tax_per_mu;
SELECT tier_1, tier_2, tier_3, tier_0 FROM v_region_summary WHERE region_code = '330602';
-- What the engine wrote is what the rows give in SQL (summaries_of_rows).
SELECT s.tier_1 = q.tier_1 AND s.tier_2 = q.tier_2 AND s.tier_3 = q.tier_3 AND s.tier_0 = q.tier_0 AS same
FROM evaluation_summary s, summaries_of_rows(2024, '{330602}') q WHERE s.region_code = '330602';
-- 预警: tier 2 (重点检查) is near the line: L5 (5 ≤ 5 < 10).
SELECT name, reasons FROM v_early_warning ORDER BY name;

-- 越城 reads 以下 as including the bound (tax_tier_includes_bound): by hand
-- 4.99, 5 → 1; 10 → 2; 15 → 3; 20, H → 0: tier_1 2, tier_2 1, tier_3 1, tier_0 2.
SELECT rule_set_adopt('default', 'yuecheng', '330602');
UPDATE rule_set SET tax_tier_includes_bound = true, tax_tier_source = '越城 (test): 以下 includes the bound'
WHERE id = 'yuecheng';
SELECT evaluate(2024, '330602') AS graded;
SELECT name, tax_per_mu, tax_tier, tax_tier_label FROM v_enterprise_evaluation
WHERE name LIKE 'L%' ORDER BY tax_per_mu;
SELECT tier_1, tier_2, tier_3, tier_0 FROM v_region_summary WHERE region_code = '330602';
SELECT s.tier_1 = q.tier_1 AND s.tier_2 = q.tier_2 AND s.tier_3 = q.tier_3 AND s.tier_0 = q.tier_0 AS same
FROM evaluation_summary s, summaries_of_rows(2024, '{330602}') q WHERE s.region_code = '330602';
-- The parcel's tier reads the same rule set: its 亩均税收 is the users' by
-- area, (1 500 + 49.9 + 50 + 100 + 150 + 200) ÷ its area (about 100.3 mu),
-- about 20.4 → 0.
SELECT code, round(tax_per_mu::numeric, 1) AS tax_per_mu, tax_tier FROM v_parcel_efficiency;
-- 预警: tier 2 is near the line: L10 here (5 < 10 ≤ 10).
SELECT name, reasons FROM v_early_warning ORDER BY name;
-- 一企一策: L5 sits on the first bound, which 以下 includes: leaving tier 1
-- takes one cent more (50.01 万元 on 10 mu), or 0.01 mu given back
-- (50 ÷ 9.99 > 5); the next bounds take 50 and 100 万元 more, and 0.01 mu
-- (10 is on a bound too: 100 ÷ 9.99 > 10); L4.99 needs 0.11 万元 to rise above 5.
SELECT name, tax_needed_5, tax_needed_10, tax_needed_15, land_to_release_5
FROM v_firm_plan WHERE name IN ('L4.99', 'L5', 'L10') ORDER BY name;
SELECT item, value, reference, sentence FROM firm_plan('91330602MA2D00003A') WHERE section = 'tier';

-- Other bounds (a county with tiers 6/12/18, under): 4.99, 5 → 1; 10 → 2;
-- 15 → 3; 20, H → 0; L5 needs 10 万元 to reach 6 (60 on 10 mu).
UPDATE rule_set SET tax_tier_bounds = '{6,12,18}', tax_tier_includes_bound = false WHERE id = 'yuecheng';
SELECT evaluate(2024, '330602') AS graded;
SELECT name, tax_tier FROM v_enterprise_evaluation WHERE name LIKE 'L%' ORDER BY tax_per_mu;
SELECT tier_1, tier_2, tier_3, tier_0 FROM v_region_summary WHERE region_code = '330602';
SELECT name, tax_needed_5 AS to_first_bound, tax_needed_10 AS to_second, tax_needed_15 AS to_third
FROM v_firm_plan WHERE name = 'L5';

-- Bounds must be three, ascending, positive and finite (23514, the check named).
UPDATE rule_set SET tax_tier_bounds = '{5,10}' WHERE id = 'yuecheng';
UPDATE rule_set SET tax_tier_bounds = '{10,5,15}' WHERE id = 'yuecheng';
UPDATE rule_set SET tax_tier_bounds = '{0,5,15}' WHERE id = 'yuecheng';
UPDATE rule_set SET tax_tier_bounds = '{5,10,Infinity}' WHERE id = 'yuecheng';
UPDATE rule_set SET tax_tier_bounds = '{5,NULL,15}' WHERE id = 'yuecheng';
-- The presets carry the tiers' source; a built-in set stays read-only.
SELECT id, tax_tier_bounds, tax_tier_includes_bound, tax_tier_source FROM rule_set WHERE builtin ORDER BY id;
UPDATE rule_set SET tax_tier_includes_bound = true WHERE id = 'default';

\i sql/helpers/reset_data.sql
