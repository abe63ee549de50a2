-- parcel_gov_analyst: the reader's view plus evaluate() and
-- evaluation_discard() for its regions; another county's results are out of
-- its reach even through evaluate(); parcels, firms and the register's steps
-- are not its to change.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(9);
CREATE TEMP TABLE results_before AS SELECT * FROM parcel_gov.evaluation;
GRANT SELECT ON results_before TO PUBLIC;

SET LOCAL ROLE t_analyst_shangyu;
SELECT is(parcel_gov.evaluate(2024, '330604'), 1, 'evaluates its county (one firm graded)');
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024)$$, '42501', 'evaluate: region all regions is not granted to t_analyst_shangyu',
                 'evaluate() of the province is refused, with the reason');
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024, '331003')$$, '42501', NULL, 'and so is another county''s');
SELECT is(parcel_gov.evaluation_discard(2023, '330604'), 0::bigint, 'discards (nothing in 2023) in its county');
SELECT throws_ok($$INSERT INTO parcel_gov.enterprise (uscc, name, region_code) VALUES ('91330604MA2B0014XC', 'x', '330604')$$,
                 '42501', NULL, 'an analyst cannot add firms');
SELECT throws_ok($$SELECT parcel_gov.transition('330604001001GB00001', 'confirmed', 'x')$$, '42501', NULL,
                 'nor move the register');
SELECT throws_ok($$UPDATE parcel_gov.rule_pool SET a_share = 0.5$$, '42501', NULL, 'nor change the rules');
RESET ROLE;

SELECT is((SELECT count(*)::int FROM parcel_gov.evaluation e JOIN results_before b USING (year, uscc)
           WHERE e.region_code <> '330604' AND row(e.*)::text = row(b.*)::text), 2,
          'the other counties'' results are untouched');
SELECT is((SELECT count(*)::int FROM parcel_gov.evaluation), 3, 'and still there');

SELECT * FROM finish();
ROLLBACK;
