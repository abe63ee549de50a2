-- ALTER EXTENSION parcel_gov UPDATE from the previous release keeps what a
-- DBA built on it: a BI role's SELECT on every view and table, its EXECUTE
-- on every function, a column grant, and user views depending on the
-- extension's views.  Updates are deltas (CREATE OR REPLACE, ALTER): a DROP
-- would lose the grants and be refused by the dependent views; a function
-- whose argument list changes (a DROP and a CREATE) hands its grants to
-- the new one (successor below).
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(8);

-- The release with an update straight into the current version.
CREATE TEMP TABLE previous AS
SELECT u.source AS version
FROM pg_extension_update_paths('parcel_gov') u, pg_available_extensions a
WHERE a.name = 'parcel_gov' AND u.target = a.default_version AND u.path = u.source || '--' || u.target;
SELECT is((SELECT count(*)::int FROM previous), 1, 'one release updates straight into the current version');

DROP EXTENSION parcel_gov;
SELECT format('CREATE EXTENSION parcel_gov VERSION %L', version) AS create_previous FROM previous \gset
:create_previous;

CREATE ROLE parcel_gov_test_bi NOLOGIN;
GRANT USAGE ON SCHEMA parcel_gov TO parcel_gov_test_bi;
GRANT SELECT ON ALL TABLES IN SCHEMA parcel_gov TO parcel_gov_test_bi;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA parcel_gov TO parcel_gov_test_bi;
GRANT UPDATE (holder_uscc) ON parcel_gov.parcel TO parcel_gov_test_bi;

CREATE SCHEMA county;
CREATE VIEW county.low_parcels AS
SELECT code, year, grade, tax_per_mu, register_state FROM parcel_gov.v_parcel_efficiency WHERE grade = 'D';
CREATE VIEW county.firms AS
SELECT uscc, year, grade, parcel_gov.label(grade) AS label FROM parcel_gov.v_enterprise_evaluation;
GRANT SELECT ON county.low_parcels, county.firms TO parcel_gov_test_bi;

-- Every privilege the role holds on a member of the extension, by identity.
CREATE TEMP VIEW bi_privileges AS
SELECT c.oid::regclass::text AS object, 'SELECT' AS privilege
FROM pg_class c WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
  AND has_table_privilege('parcel_gov_test_bi', c.oid, 'SELECT')
UNION ALL
SELECT p.oid::regprocedure::text, 'EXECUTE'
FROM pg_proc p WHERE p.pronamespace = 'parcel_gov'::regnamespace
  AND has_function_privilege('parcel_gov_test_bi', p.oid, 'EXECUTE')
UNION ALL
SELECT 'parcel_gov.parcel.holder_uscc', 'UPDATE'
WHERE has_column_privilege('parcel_gov_test_bi', 'parcel_gov.parcel', 'holder_uscc', 'UPDATE');

CREATE TEMP TABLE before AS SELECT * FROM bi_privileges;
CREATE TEMP TABLE before_views AS
SELECT c.oid::regclass::text AS view, pg_get_viewdef(c.oid) AS definition
FROM pg_class c WHERE c.relnamespace = 'county'::regnamespace AND c.relkind = 'v';

SELECT is((SELECT count(*)::int FROM before WHERE privilege = 'EXECUTE'),
          (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'parcel_gov'::regnamespace),
          'the role holds EXECUTE on every function of the previous release');
SELECT is((SELECT count(*)::int FROM before WHERE privilege = 'SELECT'),
          (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'parcel_gov'::regnamespace AND relkind IN ('r', 'v')),
          'and SELECT on every table and view');

ALTER EXTENSION parcel_gov UPDATE;

SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'parcel_gov'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'parcel_gov'),
          'updated to the current version');
-- A grant on an object the update kept must still be there (none is
-- dropped), and one on a function given a new argument list is on the new one.
CREATE TEMP TABLE successor (old text, new text);
INSERT INTO successor VALUES
  ('parcel_gov.import_parcels(regclass,text,text,text,integer)',
   'parcel_gov.import_parcels(regclass,text,text,text,integer,text,text,text[],text,text,double precision)');
SELECT is_empty($$
    SELECT coalesce(s.new, b.object), b.privilege FROM before b LEFT JOIN successor s ON s.old = b.object
    EXCEPT SELECT a.object, a.privilege FROM bi_privileges a$$,
    'every SELECT, EXECUTE and column grant survives the update');
SELECT set_eq($$SELECT view, definition FROM before_views$$,
              $$SELECT c.oid::regclass::text, pg_get_viewdef(c.oid)
                FROM pg_class c WHERE c.relnamespace = 'county'::regnamespace AND c.relkind = 'v'$$,
              'the user views depending on the extension''s views are there, unchanged');
SELECT lives_ok($$SELECT count(*) FROM county.low_parcels, county.firms$$, 'and they still answer');
SELECT ok(has_table_privilege('parcel_gov_test_bi', 'county.low_parcels', 'SELECT'),
          'and the grants on them are kept');

SELECT * FROM finish();
ROLLBACK;
