-- The change marks of evaluate() (install/89_mark_changes.sql): every role
-- that may write an input marks its county, whoever it is, and no role
-- writes the marks or the states itself.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(20);

CREATE ROLE t_operator_yuecheng IN ROLE parcel_gov_operator;
SELECT parcel_gov.region_grant('t_operator_yuecheng', '330602') \gset
-- the counties a run of 2024 would evaluate now
CREATE FUNCTION pg_temp.dirty() RETURNS text LANGUAGE sql
RETURN (SELECT coalesce(string_agg(c.county, ',' ORDER BY c.county) FILTER (WHERE c.dirty), '')
        FROM parcel_gov.evaluation_counties(2024, '') AS c WHERE c.county IN ('330602', '330604', '331003'));

-- The set-up's transitions (clerks' register writes) came after its run.
SELECT is(pg_temp.dirty(), '330602,330604,331003', 'the set-up''s transitions marked the three counties');
SELECT is(parcel_gov.evaluate(2024), 3, 'a run grades the three firms');
SELECT is(pg_temp.dirty(), '', 'and leaves no county dirty');

-- An operator of 上虞: a figure, then a register step.
SET LOCAL ROLE t_operator_shangyu;
UPDATE parcel_gov.enterprise_year SET staff = 5 WHERE uscc = '91330604MA2B00078Q';
RESET ROLE;
SELECT is(pg_temp.dirty(), '330604', 'an operator''s figure marks its county');
SELECT is(parcel_gov.evaluate(2024), 3, 'the run grades the region''s three firms');
-- one county of three changed: it is run alone (the others skipped)
SELECT is((SELECT counties_evaluated FROM parcel_gov.evaluation_run ORDER BY id DESC LIMIT 1),
          1, 'a changed county is run alone: one county evaluated');
SET LOCAL ROLE t_operator_shangyu;
SELECT parcel_gov.transition('330604001001GB00001', 'confirmed', '审核认定') \gset
RESET ROLE;
SELECT is(pg_temp.dirty(), '330604', 'an operator''s register step marks its county');
SELECT is(parcel_gov.evaluate(2024), 3, 'run');

-- An operator of 越城: a parcel's facts, then an issue.
SET LOCAL ROLE t_operator_yuecheng;
UPDATE parcel_gov.parcel SET building_condition = 'poor' WHERE code = '330602001001GB00001';
RESET ROLE;
SELECT is(pg_temp.dirty(), '330602', 'another county''s operator marks its own county');
SELECT is(parcel_gov.evaluate(2024), 3, 'run');
SET LOCAL ROLE t_operator_yuecheng;
INSERT INTO parcel_gov.issue (parcel_code, department, description, found, deadline)
VALUES ('330602001001GB00001', 'fire', '消防设施缺失', current_date - 10, current_date + 30);
RESET ROLE;
SELECT is(pg_temp.dirty(), '330602', 'an issue marks its parcel''s county');
SELECT is(parcel_gov.evaluate(2024), 3, 'run');

-- An admin's rule set: every county.
SET LOCAL ROLE t_admin;
SELECT parcel_gov.rule_set_adopt('default', 'huangyan_own', '331003') \gset
RESET ROLE;
SELECT is(pg_temp.dirty(), '330602,330604,331003', 'a rule set marks every county');
SELECT is(parcel_gov.evaluate(2024), 3, 'run');

-- The marks and states are evaluate()'s: no county role writes them.
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$INSERT INTO parcel_gov.evaluation_mark VALUES ('330604', 0, pg_current_xact_id(), 1)$$, '42501', NULL,
                 'an operator cannot add a mark');
SELECT throws_ok($$DELETE FROM parcel_gov.evaluation_mark$$, '42501', NULL, 'nor delete marks');
SELECT throws_ok($$UPDATE parcel_gov.evaluation_state SET run_date = current_date$$, '42501', NULL,
                 'nor change a state');
RESET ROLE;
SET LOCAL ROLE t_analyst_shangyu;
SELECT throws_ok($$DELETE FROM parcel_gov.evaluation_state$$, '42501', NULL, 'an analyst cannot delete states');
SELECT throws_ok($$SELECT parcel_gov.evaluation_state_keep(2024, ARRAY['330604'], pg_current_snapshot())$$, '42501', NULL,
                 'nor record one through the internal function');
RESET ROLE;
SET LOCAL ROLE t_admin;
SELECT throws_ok($$INSERT INTO parcel_gov.evaluation_state VALUES (2024, '330604', pg_current_snapshot(), pg_current_xact_id(), 1, current_date, '1.12.0')$$,
                 '42501', NULL, 'nor can an admin');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
