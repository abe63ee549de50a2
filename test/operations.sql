-- Operations: re-evaluating a past year updates that year's results and
-- leaves the register, which follows the latest evaluated year, alone; a
-- reason given in the statement is the step's, even in the same words as
-- the step before; a change that keeps the state says what it changed.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(10);

INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue)
SELECT uscc, 2023, size_class, tax, value_added, revenue FROM parcel_gov.enterprise_year WHERE year = 2024;
SELECT parcel_gov.evaluate(2023) AS graded \gset
SELECT parcel_gov.evaluate(2024) AS graded \gset
CREATE TEMP TABLE register_before AS SELECT * FROM parcel_gov.register;
CREATE TEMP TABLE events_before AS SELECT count(*) AS n FROM parcel_gov.register_event;

-- A corrected 2023 figure of 上虞's firm, and 2023 evaluated again.
UPDATE parcel_gov.enterprise_year SET tax = 150 WHERE uscc = '91330604MA2B00078Q' AND year = 2023;
SELECT parcel_gov.evaluate(2023) AS graded \gset
SELECT is((SELECT round(tax_per_mu::numeric, 2) FROM parcel_gov.evaluation WHERE uscc = '91330604MA2B00078Q' AND year = 2023),
          (SELECT round((150 / area_mu)::numeric, 2) FROM parcel_gov.parcel WHERE code = '330604001001GB00001'),
          'the 2023 evaluation takes the corrected figure');
SELECT is((SELECT count(*) FROM parcel_gov.register_event), (SELECT n FROM events_before),
          'and the register writes no event');
SELECT set_eq('SELECT * FROM parcel_gov.register', 'SELECT * FROM register_before',
              'every register row is as 2024 left it');
SELECT is((SELECT min(evaluated_year) FROM parcel_gov.register WHERE evaluated_year IS NOT NULL), 2024,
          'no row goes back to 2023');

-- The county's joint meeting decides two steps: the same words, given each time.
SELECT is((parcel_gov.transition('330604001001GB00001', 'confirmed', '县联席会议 2024-3')).state::text, 'confirmed',
          'a step with a reason');
SELECT throws_ok($$UPDATE parcel_gov.register SET state = 'rejected' WHERE parcel_code = '330604001001GB00001'$$,
                 '23502', NULL, 'a step whose reason is only the one the previous step left is refused');
SELECT is((parcel_gov.transition('330604001001GB00001', 'rejected', '县联席会议 2024-3')).state::text, 'rejected',
          'the same words given for the next step are that step''s reason');
-- A batch alone: its event says so, with no evidence of the step before.
SELECT parcel_gov.transition('330604001001GB00001', 'candidate', '复查', '{"file": "2024-17"}') AS moved \gset
UPDATE parcel_gov.register SET batch = 'demolish_rebuild' WHERE parcel_code = '330604001001GB00001';
SELECT is((SELECT from_state::text || '>' || to_state::text || ' ' || reason || ' ' || coalesce(evidence::text, 'no evidence')
           FROM parcel_gov.register_event WHERE parcel_code = '330604001001GB00001' ORDER BY step DESC LIMIT 1),
          'candidate>candidate 变更 changed: batch (state unchanged) no evidence',
          'a batch-only change is an event of its own: what changed, no borrowed reason or evidence');

-- What a state requires holds after any change: a registered parcel keeps
-- its batch; a step's evidence is only what its statement gave.
SELECT parcel_gov.transition('330604001001GB00001', 'confirmed', '复核', '{"file": "2024-18"}') AS moved \gset
UPDATE parcel_gov.register SET state = 'registered', reason = '建档入库' WHERE parcel_code = '330604001001GB00001';
SELECT is((SELECT evidence FROM parcel_gov.register_event WHERE parcel_code = '330604001001GB00001' ORDER BY step DESC LIMIT 1),
          NULL, 'a step given no evidence does not carry the previous step''s');
SELECT throws_ok($$UPDATE parcel_gov.register SET batch = NULL WHERE parcel_code = '330604001001GB00001'$$, '23502', NULL,
                 'a registered parcel cannot lose its batch in a change that keeps the state');

SELECT * FROM finish();
ROLLBACK;
