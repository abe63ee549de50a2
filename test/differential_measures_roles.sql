-- 差别化措施 as each role sees it: a county reader sees its own county's
-- measures and totals only (a city grant its counties'); county roles read
-- the measure rules but only the admin writes them; no role writes the views.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(10);

-- A province-wide rule set for 2024 with one measure for grade B (each
-- county's single firm is graded B in its pool of one: round(1 × 0.20) = 0
-- A places, round(1 × 0.80) = 1 B place): 城镇土地使用税减免 of 0.1 万元
-- per mu, then 2024 evaluated again under it.
\o /dev/null
SELECT parcel_gov.rule_set_adopt('default', 'zhejiang_measures_2024', '33', 2024, 2024);
INSERT INTO parcel_gov.rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source)
VALUES ('zhejiang_measures_2024', 'land_use_tax_relief', 'B', '城镇土地使用税减免', 'area_mu', -0.1, NULL, 'test');
SELECT parcel_gov.evaluate(2024);
\o
SELECT is((SELECT string_agg(region_code || ':' || grade || ':' || (abs(amount + 0.1 * basis_amount) < 1e-12), ' ' ORDER BY region_code)
           FROM parcel_gov.v_differential_measures), '330602:B:true 330604:B:true 331003:B:true',
          'the owner sees each county''s B firm relieved 0.1 万元 per mu');

SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT string_agg(DISTINCT region_code, ',') FROM parcel_gov.v_differential_measures), '330604',
          'a county reader sees its own county''s measures only');
SELECT is((SELECT string_agg(region_code || ':' || firms, ',') FROM parcel_gov.v_differential_measure_totals), '330604:1',
          'and its own county''s total only');
SELECT is((SELECT count(*)::int FROM parcel_gov.rule_measure WHERE rule_set_id = 'zhejiang_measures_2024'), 3,
          'it reads the measure rules (its own and the two adopted unpriced)');
RESET ROLE;

SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT string_agg(region_code, ',' ORDER BY region_code) FROM parcel_gov.v_differential_measure_totals), '330602,330604',
          'a city grant covers its two counties and nothing of 台州');
RESET ROLE;

SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$UPDATE parcel_gov.rule_measure SET rate = -1 WHERE rule_set_id = 'zhejiang_measures_2024'$$, '42501', NULL,
                 'a county operator cannot change a measure''s rate');
SELECT throws_ok($$INSERT INTO parcel_gov.rule_measure VALUES ('zhejiang_measures_2024', 'electricity_surcharge', 'D', '差别化电价', 'electricity_kwh', 0.00001, NULL, 'mine')$$,
                 '42501', NULL, 'nor add one');
RESET ROLE;

SET LOCAL ROLE t_admin;
SELECT lives_ok($$UPDATE parcel_gov.rule_measure SET rate = -0.2 WHERE rule_set_id = 'zhejiang_measures_2024'$$,
                'the admin sets the rules');
SELECT is((SELECT count(DISTINCT region_code)::int FROM parcel_gov.v_differential_measures WHERE rate = -0.2), 3,
          'and sees the new rate priced in all three counties');
RESET ROLE;

SELECT is((SELECT count(*)::int FROM (VALUES ('t_reader_shangyu'), ('t_analyst_shangyu'), ('t_operator_shangyu'), ('t_admin')) AS r (role)
           CROSS JOIN (VALUES ('parcel_gov.v_differential_measures'), ('parcel_gov.v_differential_measure_totals')) AS v (view)
           CROSS JOIN unnest('{INSERT,UPDATE,DELETE}'::text[]) AS p (privilege)
           WHERE has_table_privilege(r.role, v.view, p.privilege)), 0,
          'no county role, nor the admin, may write the views');

SELECT * FROM finish();
ROLLBACK;
