-- 两高 and new land as each county role sees them: the views show a
-- county's own firms and parcels (a city grant its counties'); the lines in
-- rule_new_land are written by the admin alone, and never the built-in ones.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(7);

-- Each county's firm used 6000 tce in 2024 (两高 by any line); each county's
-- parcel was supplied in 2023 with no 容积率 and not as 标准地.
\o /dev/null
UPDATE parcel_gov.enterprise_year SET energy_tce = 6000;
UPDATE parcel_gov.parcel SET supply_date = '2023-03-01';
\o
SELECT is((SELECT string_agg(region_code, ',' ORDER BY region_code) FROM parcel_gov.v_two_high), '330602,330604,331003',
          'the owner sees a 两高 firm in each county');

SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT string_agg(region_code, ',') FROM parcel_gov.v_two_high), '330604',
          'a county reader sees its own 两高 firms only');
SELECT is((SELECT string_agg(left(parcel_code, 6) || ':' || far_below || ':' || not_standard_land, ',')
           FROM parcel_gov.v_new_land_failure), '330604:true:true',
          'and its own new parcels that fail');
RESET ROLE;

SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT string_agg(region_code, ',' ORDER BY region_code) FROM parcel_gov.v_new_land_failure), '330602,330604',
          'a city grant covers its two counties');
RESET ROLE;

SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$UPDATE parcel_gov.rule_new_land SET min_far = 1.0$$, '42501', NULL,
                 'an operator changes no line');
RESET ROLE;

SET LOCAL ROLE t_admin;
SELECT throws_ok($$UPDATE parcel_gov.rule_new_land SET min_far = 1.0 WHERE rule_set_id = 'default'$$, '42501',
                 'rule set default is built in and read-only', 'the admin changes no built-in line');
SELECT lives_ok($$SELECT parcel_gov.rule_set_adopt('default', 'shangyu_lines', '330604');
                  UPDATE parcel_gov.rule_new_land SET min_far = 1.2 WHERE rule_set_id = 'shangyu_lines'$$,
                'but adopts the default and changes the copy');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
