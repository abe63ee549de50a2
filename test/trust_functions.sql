-- 1.5.0 "trust": the functions are the only door to results and history.
-- The doors open for their role and region, and name the caller (not the
-- owner they run as) in the logs; the engine's internals and the result and
-- history tables are shut to every county role.  The doors are tried first:
-- on 1.4.0 a write that should have been refused would otherwise change
-- what they see.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(25);

-- An error's SQLSTATE, message, detail and hint, with a code replaced by a
-- placeholder: two errors that differ only in the code asked about.
CREATE FUNCTION pg_temp.error_of(statement text, code text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text; message text; detail text; hint text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
                            hint = PG_EXCEPTION_HINT;
    RETURN replace(concat_ws(' | ', state, message, detail, hint), code, '<code>');
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.error_of(text, text) TO PUBLIC;

-- A staging table the operator may not read (the superuser's).
CREATE TABLE public.t_staging_secret (zddm text, wkb_geometry geometry(MultiPolygon, 4490));
INSERT INTO public.t_staging_secret
VALUES ('330604001001GB00009', ST_Multi(ST_MakeEnvelope(120.90, 29.7, 120.9025, 29.7025, 4490)));
REVOKE ALL ON public.t_staging_secret FROM PUBLIC;

-- evaluate(): its region only, and the run's log names the analyst even
-- though the function runs as its owner.
SET LOCAL ROLE t_analyst_shangyu;
SELECT is(parcel_gov.evaluate(2024, '330604'), 1, 'the analyst evaluates its county (one firm graded)');
RESET ROLE;
SELECT is((SELECT run_by::text FROM parcel_gov.evaluation_run ORDER BY id DESC LIMIT 1), 't_analyst_shangyu',
          'the run''s log names the analyst, not the function''s owner');
SET LOCAL ROLE t_analyst_shangyu;
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024, '330602')$$, '42501', NULL,
                 'evaluate() of another county of the same city is refused');
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024)$$, '42501', NULL, 'and so is evaluate() of every region');
-- simulate() adopts rule sets and evaluates as the owner: the analyst may.
SELECT lives_ok($$SELECT * FROM parcel_gov.simulate(2024, 'default', '330604')$$,
                'the analyst simulates its county under another rule set');
RESET ROLE;

-- transition(): the history names the operator; another county's parcel is
-- as absent as one that does not exist (the function sees every row, so the
-- message must not give it away).
SET LOCAL ROLE t_operator_shangyu;
SELECT is((parcel_gov.transition('330604001001GB00001', 'confirmed', '审核认定')).state::text, 'confirmed',
          'the operator moves its county''s parcel one step');
RESET ROLE;
SELECT is((SELECT actor::text FROM parcel_gov.register_event WHERE parcel_code = '330604001001GB00001'
           ORDER BY id DESC LIMIT 1), 't_operator_shangyu', 'the history''s actor is the operator, not the owner');
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$SELECT parcel_gov.transition('330602001001GB00001', 'confirmed', 'x')$$, '22023', NULL,
                 'another county''s parcel cannot be moved');
SELECT is(pg_temp.error_of($$SELECT parcel_gov.transition('330602001001GB00001', 'confirmed', 'x')$$, '330602001001GB00001'),
          pg_temp.error_of($$SELECT parcel_gov.transition('330602001001GB09999', 'confirmed', 'x')$$, '330602001001GB09999'),
          'and the error is word for word that of a parcel that does not exist');
-- import_parcels() reads the staging table as its caller: only one the caller may read.
SELECT throws_ok($$SELECT * FROM parcel_gov.import_parcels('public.t_staging_secret', '330604')$$, '42501', NULL,
                 'import_parcels() refuses a staging table the operator may not read');
-- region_grant() is the admin's.
SELECT throws_ok($$SELECT parcel_gov.region_grant('t_reader_shangyu', '331003')$$, '42501', NULL,
                 'an operator cannot grant regions');
RESET ROLE;
SET LOCAL ROLE t_admin;
SELECT lives_ok($$SELECT parcel_gov.region_grant('t_reader_shangyu', '331003')$$, 'an admin grants a region');
RESET ROLE;
SELECT is((SELECT granted_by::text FROM parcel_gov.role_region WHERE region_prefix = '331003'), 't_admin',
          'the grant names the admin, not the function''s owner');
SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT count(*)::int FROM parcel_gov.parcel WHERE region_code = '331003'), 1,
          'and the reader now sees that county''s parcel');
RESET ROLE;

-- The engine's internals: no county role calls them directly (they skip
-- evaluate()'s checks, lock and log).
SET LOCAL ROLE t_analyst_shangyu;
SELECT throws_ok($$SELECT * FROM parcel_gov.evaluate_run(2024, '330604', '2001-01-01', '{1000,2000,3000}')$$, '42501', NULL,
                 'the analyst cannot run the engine directly');
SELECT throws_ok($$SELECT parcel_gov.evaluation_discard_rows(2024, '330604')$$, '42501', NULL,
                 'nor discard results directly');

-- Results, run logs and simulations are written only by the functions.
SELECT throws_ok($$INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
                   VALUES (2024, '330604', now(), 0, 0, 0)$$, '42501', NULL, 'the analyst cannot forge a run log');
SELECT throws_ok($$UPDATE parcel_gov.evaluation_run SET run_by = 'x'$$, '42501', NULL, 'nor rewrite one');
SELECT throws_ok($$DELETE FROM parcel_gov.evaluation_run$$, '42501', NULL, 'nor delete one');
-- evaluation's trigger refuses this with 42501 too; the privilege must refuse it first
SELECT throws_ok($$UPDATE parcel_gov.evaluation SET score = 0$$, '42501', 'permission denied for table evaluation',
                 'nor change a score');
SELECT throws_ok($$INSERT INTO parcel_gov.simulation (year, rule_set_id, region_prefix, firms, parcels_entering, parcels_clearing)
                   VALUES (2024, 'default', '330604', 0, 0, 0)$$, '42501', NULL, 'nor forge a simulation');

-- The register: the analyst does not touch it; the operator moves it only
-- through transition(), never the engine's columns.
SELECT throws_ok($$UPDATE parcel_gov.register SET state = 'confirmed', reason = 'x'$$, '42501', NULL,
                 'the analyst cannot move the register');
RESET ROLE;
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$UPDATE parcel_gov.register SET clears_thresholds = true, exit_reason = 're_evaluated'$$, '42501', NULL,
                 'the operator cannot declare a parcel clear of the thresholds');
SELECT throws_ok($$UPDATE parcel_gov.register SET evaluated_year = 9999$$, '42501', NULL,
                 'nor set the evaluated year');
-- the history's trigger refuses this with 42501 too; the privilege must refuse it first
SELECT throws_ok($$INSERT INTO parcel_gov.register_event (parcel_code, to_state, kinds) VALUES ('330604001001GB00001', 'exited', '{}')$$,
                 '42501', 'permission denied for table register_event', 'nor write the history');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
