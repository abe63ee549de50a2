-- parcel_gov_operator: the reader's view plus the register's steps and the
-- county's parcels, firms, leases and figures, in its regions only.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(15);

SET LOCAL ROLE t_operator_shangyu;
SELECT is((parcel_gov.transition('330604001001GB00001', 'confirmed', '审核认定')).state::text, 'confirmed',
          'moves its county''s parcel one step');
SELECT is((SELECT to_state::text FROM parcel_gov.register_event WHERE parcel_code = '330604001001GB00001'
           ORDER BY id DESC LIMIT 1), 'confirmed', 'and the step is in the history');
SELECT throws_ok($$SELECT parcel_gov.transition('330602001001GB00001', 'confirmed', 'x')$$, '22023',
                 'no parcel 330602001001GB00001 in your regions', 'another county''s parcel does not exist for it');
SELECT lives_ok($$INSERT INTO parcel_gov.parcel (code, region_code, geom)
                  VALUES ('330604001001GB00002', '330604', 'SRID=4490;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')$$,
                'adds a parcel in its county');
SELECT throws_ok($$INSERT INTO parcel_gov.parcel (code, region_code, geom)
                   VALUES ('330602001001GB00002', '330602', 'SRID=4490;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')$$,
                 '42501', 'new row violates row-level security policy for table "parcel"', 'but not in another');
WITH u AS (UPDATE parcel_gov.enterprise_year SET tax = tax + 1 RETURNING uscc)
SELECT is(count(*)::int, 1, 'an update of every firm''s figures reaches its own firm only') FROM u;
SELECT throws_ok($$UPDATE parcel_gov.parcel SET region_code = '330602' WHERE code = '330604001001GB00001'$$, '23514', NULL,
                 'nor can it move a parcel out of its county');
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024, '330604')$$, '42501', NULL, 'an operator does not evaluate');
SELECT throws_ok($$INSERT INTO parcel_gov.rule_set (id) VALUES ('mine')$$, '42501', NULL, 'nor write rules');
-- 处置路径: the operator sets its county's route, and the history records it;
-- another county's register row is not there for it to change
WITH u AS (UPDATE parcel_gov.register SET route = 'purchase_storage' RETURNING parcel_code)
SELECT is(string_agg(parcel_code::text, ','), '330604001001GB00001', 'sets the disposal route of its county''s parcel only') FROM u;
SELECT is((SELECT route::text FROM parcel_gov.register_event WHERE parcel_code = '330604001001GB00001'
           ORDER BY step DESC LIMIT 1), 'purchase_storage', 'and the route is in the history');
-- 问题清单: it lists its county's issues, not another's, and writes no rules
SELECT lives_ok($$INSERT INTO parcel_gov.issue (parcel_code, department, description, found)
                  VALUES ('330604001001GB00001', 'environment', '废水直排', '2024-01-10')$$,
                'lists an issue on its county''s parcel');
SELECT throws_ok($$INSERT INTO parcel_gov.issue (parcel_code, department, description, found)
                   VALUES ('330602001001GB00001', 'environment', '废水直排', '2024-01-10')$$,
                 '42501', 'new row violates row-level security policy for table "issue"', 'but not on another county''s');
SELECT throws_ok($$UPDATE parcel_gov.rule_issue SET blocks_exit = false$$, '42501', NULL,
                 'nor changes which departments block an exit');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM parcel_gov.register WHERE route IS NOT NULL), 1,
          'no other county''s route changed');

SELECT * FROM finish();
ROLLBACK;
