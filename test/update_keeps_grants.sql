-- ALTER EXTENSION parcel_gov UPDATE from the previous release keeps what a
-- DBA built on it: a BI role's SELECT on every view and table, its EXECUTE
-- on every function (also on a function the update gives a new argument
-- list: the grant moves to the new one), column grants, grant options; the
-- users' views, materialized view and a function of theirs over the
-- extension's views, answering as before; and what they granted stays out
-- of the extension's initial privileges, so pg_dump keeps it.
-- (update_1_8_recreates_views checks 1.8.0's update, which recreated views.)
-- The previous release is installed and committed first: 1.10.0's indicator
-- values cannot be used in the transaction that added them.  The current
-- version is installed again at the end, as the test found it.
SET client_min_messages = warning;

-- The release with an update straight into the current version.
CREATE TEMP TABLE previous AS
SELECT u.source AS version
FROM pg_extension_update_paths('parcel_gov') u, pg_available_extensions a
WHERE a.name = 'parcel_gov' AND u.target = a.default_version AND u.path = u.source || '--' || u.target;
DROP EXTENSION parcel_gov;
SELECT format('CREATE EXTENSION parcel_gov VERSION %L', version) AS create_previous FROM previous \gset
:create_previous;

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(12);
SELECT is((SELECT count(*)::int FROM previous), 1, 'one release updates straight into the current version');
-- three counties' rows and roles (t_reader_shangyu sees 330604 only)
\ir setup/three_counties.sql
\o

\ir setup/update_grants.sql

-- The users' relations over the views, a materialized view of a county
-- reader, and a function with a body parsed against a view.
CREATE SCHEMA county;
GRANT USAGE, CREATE ON SCHEMA county TO t_reader_shangyu;
CREATE VIEW county.low_parcels AS
SELECT code, year, grade, tax_per_mu, register_state FROM parcel_gov.v_parcel_efficiency WHERE grade >= 'B';
CREATE VIEW county.firms AS
SELECT uscc, year, grade, grade_label FROM parcel_gov.v_enterprise_evaluation WHERE grade IS NOT NULL;
COMMENT ON COLUMN county.firms.grade_label IS '等级名称';
GRANT SELECT ON county.low_parcels, county.firms TO parcel_gov_test_bi;
CREATE FUNCTION county.graded() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC SELECT count(*) FROM parcel_gov.v_enterprise_evaluation WHERE grade IS NOT NULL; END;
SET LOCAL ROLE t_reader_shangyu;
CREATE MATERIALIZED VIEW county.my_parcels AS SELECT code, year, grade, kinds_text FROM parcel_gov.v_parcel_efficiency;
CREATE INDEX my_parcels_code ON county.my_parcels (code);
GRANT SELECT (code) ON county.my_parcels TO parcel_gov_test_cols;
RESET ROLE;

-- What they answer.
CREATE TEMP VIEW county_answers AS
SELECT 'low_parcels' AS relation, (SELECT string_agg(code || grade, ',' ORDER BY code) FROM county.low_parcels) AS answer
UNION ALL SELECT 'firms', (SELECT string_agg(uscc || grade || grade_label, ',' ORDER BY uscc) FROM county.firms)
UNION ALL SELECT 'graded', county.graded()::text
UNION ALL SELECT 'my_parcels', (SELECT string_agg(code || coalesce(grade, '-'), ',' ORDER BY code) FROM county.my_parcels);

CREATE TEMP TABLE before AS SELECT * FROM bi_privileges;
CREATE TEMP TABLE before_shape AS SELECT * FROM county_shape;
CREATE TEMP TABLE before_answers AS SELECT * FROM county_answers;
SELECT is((SELECT count(*)::int FROM before WHERE privilege = 'EXECUTE'),
          (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'parcel_gov'::regnamespace),
          'the role holds EXECUTE on every function of the previous release');
SELECT ok((SELECT count(*) FROM before_answers WHERE answer IS NOT NULL) = 4, 'the users'' objects answer with rows');

ALTER EXTENSION parcel_gov UPDATE;

SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'parcel_gov'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'parcel_gov'),
          'updated to the current version');
-- A function given a new argument list by the update, and its successor.
CREATE TEMP TABLE successor (old text, new text);
-- 1.9.0: map_parcel takes the holder's plan
INSERT INTO successor VALUES
  ('parcel_gov.map_parcel(text,text,text,text,text,text,double precision,text,double precision)',
   'parcel_gov.map_parcel(text,text,text,text,text,text,double precision,text,double precision,text)'),
-- 1.11.0: indicators_agg and indicators() take water, COD and main revenue
  ('parcel_gov.indicators_agg_accum(double precision[],double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)', 'parcel_gov.indicators_agg_accum(double precision[],double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)'),
  ('parcel_gov.indicators_agg(double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)', 'parcel_gov.indicators_agg(double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)'),
  ('parcel_gov.indicators(double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)', 'parcel_gov.indicators(double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)');
SELECT is_empty($$
    SELECT coalesce(s.new, b.object), b.privilege FROM before b LEFT JOIN successor s ON s.old = b.object
    EXCEPT SELECT a.object, a.privilege FROM bi_privileges a$$,
    'every SELECT, EXECUTE, grant option and column grant survives the update');
SELECT is_empty($$SELECT s.old FROM successor s WHERE to_regprocedure(s.old) IS NOT NULL
                  UNION ALL SELECT s.new FROM successor s WHERE to_regprocedure(s.new) IS NULL$$,
                'the replaced functions are gone, their successors there');
SELECT is((SELECT proacl IS NOT NULL AND has_function_privilege('public', p.oid, 'EXECUTE')
           FROM pg_proc p WHERE p.oid = to_regprocedure((SELECT new FROM successor LIMIT 1))), true,
          'a successor keeps PUBLIC''s EXECUTE next to the grants it took over');
SELECT set_eq($$SELECT * FROM county_shape$$, $$SELECT * FROM before_shape$$,
              'the users'' views and materialized view are there with their owners, column types, grants, comments and index');
SELECT set_eq($$SELECT * FROM county_answers$$, $$SELECT * FROM before_answers$$,
              'they and the user''s function answer as before');
SELECT is_empty($$SELECT pg_describe_object(d.classid, d.objid, d.objsubid) FROM pg_depend d
                  WHERE d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'parcel_gov')
                    AND ((d.classid = 'pg_class'::regclass AND d.objid IN (SELECT oid FROM pg_class WHERE relnamespace = 'county'::regnamespace))
                         OR (d.classid = 'pg_proc'::regclass AND d.objid = 'county.graded()'::regprocedure))$$,
                'none of them became a member of the extension');
SELECT is_empty($$SELECT pg_describe_object(i.classoid, i.objoid, i.objsubid), i.initprivs::text FROM pg_init_privs i
                  WHERE i.initprivs::text ~ 'parcel_gov_test_|t_reader'$$,
                'the users'' grants are not recorded as the extension''s initial privileges (pg_dump keeps them)');
-- What the update adds is granted as a fresh install grants it.
SELECT is_empty($$SELECT c.oid::regclass::text FROM pg_class c
                  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind IN ('r', 'v')
                    AND c.oid::regclass::text NOT IN (SELECT object FROM before)
                    AND NOT has_table_privilege('parcel_gov_reader', c.oid, 'SELECT')$$,
                'every table and view the update adds is parcel_gov_reader''s to read');

SELECT * FROM finish();
ROLLBACK;
DROP EXTENSION parcel_gov;
CREATE EXTENSION parcel_gov;
