-- One county cannot bend another: a parcel's code names its county, a
-- county links only its own firms (another county's is "not found or not
-- permitted", as one that does not exist), a firm's land in another county
-- is linked by the province and then seen by both, results do not depend
-- on who evaluates, the register's evidence shows no other county's grade,
-- and one county's absurd figure cannot stop the province's run.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(38);

CREATE ROLE t_operator_huangyan IN ROLE parcel_gov_operator;
SELECT parcel_gov.region_grant('t_operator_huangyan', '331003') \gset

-- Codes name their county.
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$INSERT INTO parcel_gov.parcel (code, region_code, geom)
                   VALUES ('330602009009GB99999', '330604', 'SRID=4490;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')$$,
                 '23514', 'parcel code 330602009009GB99999 does not name region 330604',
                 'a county cannot file another county''s parcel code under itself');
SELECT throws_ok($$UPDATE parcel_gov.parcel SET code = '330602001001GB00077' WHERE code = '330604001001GB00001'$$,
                 '23514', NULL, 'nor rename its parcel into another county''s range');
-- Its own firms only, and another county's firm looks like no firm at all.
SELECT throws_ok($$UPDATE parcel_gov.parcel SET holder_uscc = '91330602MA2B00844R' WHERE code = '330604001001GB00001'$$,
                 '23503', 'firm 91330602MA2B00844R not found or not permitted',
                 'a county cannot make another county''s firm the holder of its parcel');
SELECT throws_ok($$UPDATE parcel_gov.parcel SET holder_uscc = '91330604MA2B0014XC' WHERE code = '330604001001GB00001'$$,
                 '23503', 'firm 91330604MA2B0014XC not found or not permitted',
                 'the same words as for a firm that does not exist: no oracle');
SELECT throws_ok($$INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
                   VALUES ('330604001001GB00001', '91330602MA2B00844R', 1, '[2024-01-01,2025-01-01)')$$,
                 '23503', NULL, 'nor lease its land to another county''s firm');
-- A figure beyond any firm is refused when written.
SELECT throws_ok($$UPDATE parcel_gov.enterprise_year SET tax = 1.7e308$$, '23514', NULL,
                 'a tax of 1.7e308 万元 is refused at the door');
-- Tax given in 元 instead of 万元: 1,000,000 on about 100 mu would be
-- about 9,960 万元/亩, beyond the default rule set's 1000.
SELECT throws_ok($$UPDATE parcel_gov.enterprise_year SET tax = 1000000 WHERE uscc = '91330604MA2B00078Q'$$, '23514', NULL,
                 'a per-mu tax beyond the rule set''s limit is refused');
SELECT throws_like($$UPDATE parcel_gov.enterprise_year SET tax = 1000000 WHERE uscc = '91330604MA2B00078Q'$$,
                   'firm 91330604MA2B00078Q in 2024: 亩均税收 (tax per mu) is 99%.% 万元/亩 (1000000 万元 on 100.% mu), beyond the limit of 1000 万元/亩 of rule set default',
                   'naming the firm, the figure, the land and the per-mu value');
RESET ROLE;
SELECT is(parcel_gov.evaluate(2024), 3, 'so the province''s run grades every county');

-- The province links a firm's land in another county: 330604's firm leases
-- land of 330602's parcel.  Both counties see the lease; the lessee's county
-- cannot change it (nor can the parcel's: see below).
SET LOCAL ROLE t_admin;
SELECT lives_ok($$INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
                  VALUES ('330602001001GB00001', '91330604MA2B00078Q', 2, '[2024-01-01,2025-01-01)')$$,
                'the province links a firm to land in another county');
RESET ROLE;
SET LOCAL ROLE t_operator_shangyu;
SELECT is((SELECT count(*)::int FROM parcel_gov.lease WHERE parcel_code = '330602001001GB00001'), 1,
          'the lessee''s county sees the lease');
SELECT is((SELECT count(*)::int FROM parcel_gov.parcel WHERE code = '330602001001GB00001'), 0,
          'but not the other county''s parcel it is on');
WITH d AS (DELETE FROM parcel_gov.lease WHERE parcel_code = '330602001001GB00001' RETURNING 1)
SELECT is(count(*)::int, 0, 'nor can it delete the lease') FROM d;
RESET ROLE;

-- Results do not depend on the caller: the county's analyst, who cannot see
-- the other county's parcel, gets what the province's run gave.
SELECT parcel_gov.evaluate(2024) AS graded \gset
CREATE TEMP TABLE province_run AS SELECT * FROM parcel_gov.evaluation WHERE region_code = '330604';
SELECT is((SELECT area_mu FROM province_run WHERE uscc = '91330604MA2B00078Q'),
          (SELECT area_mu + 2 FROM parcel_gov.parcel WHERE code = '330604001001GB00001'),
          'the province''s run counts the land the firm leases in another county');
SET LOCAL ROLE t_analyst_shangyu;
SELECT is(parcel_gov.evaluate(2024, '330604'), 1, 'the county''s analyst evaluates its county');
RESET ROLE;
SELECT set_eq('SELECT * FROM parcel_gov.evaluation WHERE region_code = ''330604''', 'SELECT * FROM province_run',
              'and every row, to its evaluated_at, is what the province''s run gave');

-- The register's evidence: a parcel of 330604 held by 331003's firm (linked
-- by the province) shows its own facts, not that firm's grade.
INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, land_status, geom) VALUES
  ('330604001001GB00005', '330604', '91331003MA2B00078P', 'underused',
   ST_Multi(ST_MakeEnvelope(120.90, 29.9, 120.9025, 29.9025, 4490))),
  ('330604001001GB00006', '330604', '91330604MA2B00078Q', 'underused',
   ST_Multi(ST_MakeEnvelope(120.95, 29.9, 120.9525, 29.9025, 4490)));
SELECT parcel_gov.evaluate(2024) AS graded \gset
SELECT is((SELECT evidence ? 'grade' FROM parcel_gov.register WHERE parcel_code = '330604001001GB00005'), false,
          'a parcel held by another county''s firm: no grade of that firm in the evidence');
SELECT is((SELECT evidence ? 'grade' AND evidence ? 'kinds' FROM parcel_gov.register WHERE parcel_code = '330604001001GB00006'),
          true, 'a parcel held by its own county''s firm: the holder''s grade is there');
SET LOCAL ROLE t_operator_huangyan;
SELECT is((SELECT count(*)::int FROM parcel_gov.parcel WHERE code = '330604001001GB00005'), 1,
          'the holder''s county sees the parcel its firm holds elsewhere');
RESET ROLE;
-- Land linked to another county's firm is the province's to change: the
-- parcel's county cannot reshape it, take it from the firm, or drop the lease.
INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('330604001001GB00006', '91331003MA2B00078P', 1, '[2024-01-01,2025-01-01)');
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$UPDATE parcel_gov.parcel SET geom = ST_Multi(ST_MakeEnvelope(120.85, 29.8, 120.95, 29.9, 4490))
                   WHERE code = '330604001001GB00005'$$, '42501', 'parcel 330604001001GB00005 is linked to a firm of another county',
                 'a county cannot reshape the land another county''s firm holds');
SELECT throws_ok($$UPDATE parcel_gov.parcel SET holder_uscc = NULL WHERE code = '330604001001GB00005'$$, '42501', NULL,
                 'nor take it from that firm');
SELECT throws_ok($$DELETE FROM parcel_gov.lease WHERE parcel_code = '330604001001GB00006'$$, '42501', NULL,
                 'nor drop the lease to it');
RESET ROLE;

-- An import names another county's firm as a holder: one row's note, not
-- an aborted import, and the firm is not linked.
SET LOCAL ROLE t_operator_shangyu;
CREATE TEMP TABLE staged (zddm text, qlr text, wkb_geometry geometry);
INSERT INTO staged VALUES ('330604001001GB00009', '91330602MA2B00844R',
                           ST_Multi(ST_MakeEnvelope(120.97, 29.9, 120.9725, 29.9025, 4490)));
RESET ROLE;
SET LOCAL ROLE t_operator_shangyu;
SELECT is((SELECT outcome || ': ' || reason FROM parcel_gov.import_parcels('staged', '330604', 'zddm', 'qlr')),
          'flagged: holder 91330602MA2B00844R not found or not permitted: left empty',
          'an import naming another county''s firm imports the parcel without it');
RESET ROLE;
SELECT is((SELECT holder_uscc::text FROM parcel_gov.parcel WHERE code = '330604001001GB00009'), NULL,
          'and links no firm');
-- By name the county's own firms are found, and only they: another
-- county's firm by its name is no firm of this county, and another
-- county's firm of the same name does not make the county's ambiguous.
INSERT INTO parcel_gov.enterprise (uscc, name, region_code) VALUES ('91330602MA2B00852L', '330604 测试有限公司', '330602');
SET LOCAL ROLE t_operator_shangyu;
CREATE TEMP TABLE staged_names (zddm text, qlr text, wkb_geometry geometry);
INSERT INTO staged_names VALUES
  ('330604001001GB00010', '330604测试有限公司', ST_Multi(ST_MakeEnvelope(120.98, 29.9, 120.9825, 29.9025, 4490))),
  ('330604001001GB00011', '330602 测试有限公司', ST_Multi(ST_MakeEnvelope(120.99, 29.9, 120.9925, 29.9025, 4490)));
SELECT is((SELECT string_agg(outcome || ': ' || coalesce(reason, '-'), ' | ' ORDER BY source_row)
           FROM parcel_gov.import_parcels('staged_names', '330604', 'zddm', 'qlr')),
          'imported: - | flagged: holder 330602 测试有限公司: no firm of 330604 by that name: left empty',
          'an import by name finds the county''s firm, not another county''s');
RESET ROLE;
SELECT is((SELECT string_agg(code || '=' || coalesce(holder_uscc, '-'), ' ' ORDER BY code) FROM parcel_gov.parcel
           WHERE code IN ('330604001001GB00010', '330604001001GB00011')),
          '330604001001GB00010=91330604MA2B00078Q 330604001001GB00011=-', 'and links that firm alone');

-- import_parcels() runs as its caller and reads only the caller's own
-- plain table: another role's table would run its owner's policies with
-- the caller's rights, a view its owner's code.
CREATE TEMP TABLE staged_other (zddm text, wkb_geometry geometry);
GRANT SELECT ON staged_other TO t_operator_shangyu;
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$SELECT * FROM parcel_gov.import_parcels('staged_other', '330604')$$, '42501', NULL,
                 'an import of another role''s table is refused');
CREATE TEMP VIEW staged_view AS SELECT zddm, wkb_geometry FROM staged;
SELECT throws_ok($$SELECT * FROM parcel_gov.import_parcels('staged_view', '330604')$$, '42809', NULL,
                 'and of a view');
SELECT throws_ok($$SELECT * FROM parcel_gov.import_parcels('parcel_gov.parcel', '330604', 'code')$$, '42501', NULL,
                 'and of the parcel table itself');
CREATE TEMP TABLE staged_typed (zddm parcel_gov.register_state, wkb_geometry geometry);
SELECT throws_ok($$SELECT * FROM parcel_gov.import_parcels('staged_typed', '330604')$$, '42804',
                 'columns of staged_typed cannot be read: "zddm" is of type parcel_gov.register_state',
                 'and of a column whose type casts by code not built in');
-- The register directly, in its procedure columns: the history names the operator.
SELECT lives_ok($$UPDATE parcel_gov.register SET state = 'confirmed', reason = '县联席会议'
                  WHERE parcel_code = '330604001001GB00001'$$, 'an operator moves its parcel in the register directly');
SELECT is((SELECT actor::text FROM parcel_gov.register_event WHERE parcel_code = '330604001001GB00001' ORDER BY id DESC LIMIT 1),
          't_operator_shangyu', 'and the history names the operator');
-- No county role can hold a year's runs up: the lock is a row it cannot lock.
SELECT throws_ok($$SELECT year FROM parcel_gov.evaluation_lock FOR UPDATE$$, '42501', NULL,
                 'a county role cannot take the lock of a year''s runs');
RESET ROLE;
-- The trigger functions that run as the owner cannot be attached to a
-- table of a county role's (which would run them on rows it made up).
SET LOCAL ROLE t_reader_shangyu;
CREATE TEMP TABLE fake_events (parcel_code text, previous_state parcel_gov.register_state, state parcel_gov.register_state,
                               kinds parcel_gov.low_efficiency_kind[], batch parcel_gov.batch, reason text, evidence jsonb);
SELECT throws_ok($$CREATE TRIGGER forge AFTER INSERT ON fake_events REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record()$$, '42501', NULL,
                 'a county role cannot attach the history''s writer to a table of its own');
CREATE TEMP TABLE fake_figures (uscc text, year integer, tax numeric, value_added numeric);
SELECT throws_ok($$CREATE TRIGGER probe AFTER INSERT ON fake_figures REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible()$$, '42501', NULL,
                 'nor the plausibility check');
RESET ROLE;
-- Even attached by the owner, the history's writer records the register only.
CREATE TRIGGER forge AFTER INSERT ON fake_events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record();
SELECT throws_ok($$INSERT INTO fake_events VALUES ('331003001001GB00001', NULL, 'exited', '{}', NULL, 'forged', NULL)$$,
                 '39P01', 'register_record records parcel_gov.register only, not fake_events',
                 'the history''s writer refuses any table but the register');
-- A restore (a superuser's session with row_security off) passes the
-- guards; a county role with row_security off does not.
SET LOCAL ROLE t_operator_shangyu;
SET LOCAL row_security = off;
SELECT throws_ok($$SELECT parcel_gov.transition('330604001001GB00001', 'exited', '跳过')$$, '55000', NULL,
                 'a county role with row_security off still meets the register''s procedure');
RESET row_security;
RESET ROLE;
-- A dropped role's grant rows go at the next grant.
CREATE ROLE t_gone IN ROLE parcel_gov_reader;
SELECT parcel_gov.region_grant('t_gone', '331003') \gset
DROP ROLE t_gone;
SELECT parcel_gov.region_grant('t_reader_shangyu', '330604') \gset
SELECT is_empty($$SELECT grantee FROM parcel_gov.role_region g WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.oid = g.grantee)$$,
                'the grants of a dropped role are gone after the next region_grant');

SELECT * FROM finish();
ROLLBACK;
