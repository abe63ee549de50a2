-- ALTER EXTENSION parcel_gov UPDATE TO '1.8.0' from 1.7.0 keeps what a DBA
-- built on it: a BI role's SELECT on every view and table, its EXECUTE
-- on every function, column grants, and the users' views and materialized
-- views over the extension's views (with their owners, grants, comments and
-- indexes, answering as before).  1.8.0 changes the views' column types,
-- so eight views are dropped and created again, and the update recreates
-- what users built on them.  What they granted is left out of the
-- extension's initial privileges, so pg_dump keeps it.  (update_keeps_grants
-- runs the same kind of checks on the update into the current version.)
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(15);

CREATE TEMP TABLE previous AS SELECT '1.7.0'::text AS version;
SELECT is((SELECT count(*)::int FROM pg_extension_update_paths('parcel_gov')
           WHERE source = '1.7.0' AND target = '1.8.0' AND path = '1.7.0--1.8.0'), 1,
          '1.7.0 updates straight into 1.8.0');

DROP EXTENSION parcel_gov;
SELECT format('CREATE EXTENSION parcel_gov VERSION %L', version) AS create_previous FROM previous \gset
:create_previous;
-- three counties' rows and roles (t_reader_shangyu sees 330604 only)
\ir setup/three_counties.sql
\o

\ir setup/update_grants.sql

-- The users' relations: over the views, over each other, a materialized
-- view of a county reader (filled with its rows only), an index, comments.
CREATE SCHEMA county;
GRANT USAGE, CREATE ON SCHEMA county TO t_reader_shangyu;
CREATE VIEW county.low_parcels AS
SELECT code, year, grade, tax_per_mu, register_state FROM parcel_gov.v_parcel_efficiency WHERE grade = 'D';
CREATE VIEW county.low_count AS SELECT count(*) AS parcels FROM county.low_parcels;
CREATE VIEW county.firms AS
SELECT uscc, year, grade, parcel_gov.label(grade) AS label FROM parcel_gov.v_enterprise_evaluation WHERE grade <= 'C';
CREATE VIEW county.candidates AS
SELECT r.parcel_code, r.state, r.kinds FROM parcel_gov.v_register r WHERE r.state = 'candidate' ORDER BY r.state;
COMMENT ON VIEW county.firms IS 'graded firms';
COMMENT ON COLUMN county.firms.label IS '等级名称';
GRANT SELECT ON county.low_parcels, county.firms, county.low_count, county.candidates TO parcel_gov_test_bi;
SET LOCAL ROLE t_reader_shangyu;
CREATE MATERIALIZED VIEW county.my_parcels AS SELECT code, year, grade, kinds FROM parcel_gov.v_parcel_efficiency;
CREATE INDEX my_parcels_code ON county.my_parcels (code);
GRANT SELECT (code) ON county.my_parcels TO parcel_gov_test_cols;
RESET ROLE;

-- What they answer.
CREATE TEMP VIEW county_answers AS
SELECT 'low_parcels' AS relation, (SELECT string_agg(code || grade, ',' ORDER BY code) FROM county.low_parcels) AS answer
UNION ALL SELECT 'low_count', (SELECT parcels::text FROM county.low_count)
UNION ALL SELECT 'firms', (SELECT string_agg(uscc || grade || label, ',' ORDER BY uscc) FROM county.firms)
UNION ALL SELECT 'candidates', (SELECT string_agg(parcel_code || state || kinds::text, ',' ORDER BY parcel_code) FROM county.candidates)
UNION ALL SELECT 'my_parcels', (SELECT string_agg(code || coalesce(grade::text, '-'), ',' ORDER BY code) FROM county.my_parcels);

CREATE TEMP TABLE before AS SELECT * FROM bi_privileges;
CREATE TEMP TABLE before_shape AS SELECT * FROM county_shape;
CREATE TEMP TABLE before_answers AS SELECT * FROM county_answers;

SELECT is((SELECT count(*)::int FROM before WHERE privilege = 'EXECUTE'),
          (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'parcel_gov'::regnamespace),
          'the role holds EXECUTE on every function of 1.7.0');
SELECT is((SELECT count(*)::int FROM before WHERE privilege = 'SELECT'),
          (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'parcel_gov'::regnamespace AND relkind IN ('r', 'v')),
          'and SELECT on every table and view');
SELECT is((SELECT answer FROM before_answers WHERE relation = 'my_parcels'), '330604001001GB00001B',
          'the county reader''s materialized view holds its county''s parcel only');

-- As 1.7.0's update left a database where a user had granted EXECUTE on
-- import_parcels: the grant recorded as an initial privilege.
UPDATE pg_init_privs SET initprivs = initprivs || makeaclitem('parcel_gov_test_bi'::regrole, current_user::regrole, 'EXECUTE', false)
WHERE classoid = 'pg_proc'::regclass
  AND objoid = (SELECT oid FROM pg_proc WHERE proname = 'import_parcels' AND pronamespace = 'parcel_gov'::regnamespace);

-- A function of a user reading a view whose columns change stops the update, saying why.
CREATE FUNCTION county.graded() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC SELECT count(*) FROM parcel_gov.v_enterprise_evaluation WHERE grade IS NOT NULL; END;
SELECT throws_like($$ALTER EXTENSION parcel_gov UPDATE TO '1.8.0'$$, '%depend%',
                   'a user''s function over a view stops the update (dependent objects, 2BP01), nothing changed');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'parcel_gov'), (SELECT version FROM previous),
          'and the extension is still at the previous release');
DROP FUNCTION county.graded();

ALTER EXTENSION parcel_gov UPDATE TO '1.8.0';

SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'parcel_gov'), '1.8.0', 'updated to 1.8.0');
-- A grant on an object the update kept must still be there, and one on a
-- function given a new argument list is on the new one.
CREATE TEMP TABLE successor (old text, new text);
-- 1.8.0's printed map draws its key with map_key; map_legend is gone
INSERT INTO successor VALUES ('parcel_gov.map_legend(double precision,double precision,double precision,integer)',
                              'parcel_gov.map_key(double precision,double precision,integer,boolean)');
SELECT is_empty($$
    SELECT coalesce(s.new, b.object), b.privilege FROM before b LEFT JOIN successor s ON s.old = b.object
    EXCEPT SELECT a.object, a.privilege FROM bi_privileges a$$,
    'every SELECT, EXECUTE, grant option and column grant survives the update, also on the recreated views');
SELECT is((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
           WHERE attrelid = 'parcel_gov.v_parcel_efficiency'::regclass AND attname = 'grade'),
          'text', 'the views were recreated (grade is text now)');
SELECT set_eq($$SELECT * FROM county_shape$$, $$SELECT * FROM before_shape$$,
              'the users'' views and materialized view are there with their owners, column types, grants, comments and index');
SELECT set_eq($$SELECT * FROM county_answers$$, $$SELECT * FROM before_answers$$,
              'and they answer as before (the materialized view refilled with its owner''s rights)');
SELECT ok((SELECT count(*) FROM county.candidates) = 3 AND (SELECT count(*) FROM county.firms) > 0,
          'rows to compare: three candidate parcels, graded firms');
SELECT is_empty($$SELECT c.relname FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
                  WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e' AND c.relnamespace = 'county'::regnamespace$$,
                'none of them became a member of the extension');
SELECT is_empty($$SELECT pg_describe_object(i.classoid, i.objoid, i.objsubid), i.initprivs::text FROM pg_init_privs i
                  WHERE i.objoid IN (SELECT oid FROM pg_class WHERE relnamespace = 'county'::regnamespace)
                     OR i.initprivs::text ~ 'parcel_gov_test_|t_reader'$$,
                'the users'' grants are not recorded as the extension''s initial privileges (pg_dump keeps them)');
SELECT set_eq($$SELECT i.objoid::regclass::text, i.initprivs::text FROM pg_init_privs i
                WHERE i.classoid = 'pg_class'::regclass AND i.objoid = 'parcel_gov.v_register'::regclass$$,
              format($$VALUES ('parcel_gov.v_register', '{%1$s=r/%1$s,parcel_gov_reader=r/%1$s}')$$, current_user),
              'a recreated view''s initial privileges are a fresh install''s: read-only for its owner, SELECT for readers');

SELECT * FROM finish();
ROLLBACK;
