-- parcel_gov_admin: every region, the rules, the regions and the grants;
-- region_grant() checks its arguments.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(9);

SET LOCAL ROLE t_admin;
SELECT is((SELECT count(DISTINCT region_code)::int FROM parcel_gov.v_parcel_efficiency), 3, 'sees every county');
SELECT is(parcel_gov.evaluate(2024), 3, 'evaluates the province');
SELECT is(parcel_gov.region_grant('t_reader_shangyu', '331000'), '3310', 'grants a city, stored as its prefix');
SELECT throws_ok($$SELECT parcel_gov.region_grant('no_such_role', '330604')$$, '42704', NULL, 'an unknown role is refused');
SELECT throws_ok($$SELECT parcel_gov.region_grant('t_reader_shangyu', '3306x')$$, '22023', NULL, 'and a malformed region');
SELECT throws_ok($$SELECT parcel_gov.region_grant('t_reader_shangyu', NULL)$$, '22004', NULL, 'and no region');
SELECT lives_ok($$SELECT parcel_gov.rule_set_adopt('default', 'county_test', '330604', 2024)$$, 'adopts a rule set');
RESET ROLE;

SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.parcel), '330604,331003',
          'the reader now sees 黄岩 too');
RESET ROLE;
SET LOCAL ROLE t_admin;
SELECT ok(parcel_gov.region_revoke('t_reader_shangyu', '331000'), 'and the grant is revoked');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
