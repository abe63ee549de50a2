-- CREATE EXTENSION parcel_gov CASCADE works; DROP EXTENSION leaves nothing behind.
BEGIN;
SELECT plan(18);
SET LOCAL client_min_messages = warning;

SELECT has_extension('parcel_gov');
SELECT has_schema('parcel_gov');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'parcel_gov'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'parcel_gov'),
          'the installed version is the default version');
SELECT ok(EXISTS (SELECT FROM pg_depend WHERE classid = 'pg_namespace'::regclass
                   AND objid = 'parcel_gov'::regnamespace AND deptype = 'e'
                   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'parcel_gov')),
          'schema parcel_gov belongs to the extension');
SELECT ok(NOT (SELECT extrelocatable FROM pg_extension WHERE extname = 'parcel_gov'), 'not relocatable');
SELECT throws_ok('ALTER EXTENSION parcel_gov SET SCHEMA public', '0A000', NULL,
                 'moving it to another schema is refused');
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
                   AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'parcel_gov'
                   WHERE p.pronamespace <> 'parcel_gov'::regnamespace$$,
                'every function lives in schema parcel_gov');
SELECT matches(obj_description((SELECT oid FROM pg_extension WHERE extname = 'parcel_gov'), 'pg_extension'),
               '亩均', 'the extension comment carries the Chinese terms');

-- What exists with PostGIS alone, to compare after a create/drop cycle.
DROP EXTENSION parcel_gov;
CREATE TEMP VIEW catalog_now AS
SELECT 'schema' AS kind, nspname::text AS name FROM pg_namespace WHERE nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'
UNION ALL SELECT 'relation', c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\_%temp\_%'
UNION ALL SELECT 'function', oid::regprocedure::text FROM pg_proc
UNION ALL SELECT 'type', t.oid::regtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname NOT LIKE 'pg\_%temp\_%'
UNION ALL SELECT 'cast', castsource::regtype || '->' || casttarget::regtype FROM pg_cast
UNION ALL SELECT 'operator', oid::regoperator::text FROM pg_operator
UNION ALL SELECT 'extension', extname::text FROM pg_extension;
CREATE TEMP TABLE catalog_before AS SELECT * FROM catalog_now;

SELECT hasnt_schema('parcel_gov', 'DROP EXTENSION removes the schema');

-- Installs under an empty search_path (the script qualifies every name).
SET LOCAL search_path = '';
CREATE EXTENSION parcel_gov;
CREATE TEMP TABLE empty_path_area AS
SELECT parcel_gov.area_mu(public.ST_GeomFromText('POLYGON((0 0,200 0,200 100,0 100,0 0))', 4549)) AS mu;
RESET search_path;
SELECT is(mu, 30::float8, 'installed under an empty search_path, area_mu works') FROM empty_path_area;
SELECT ok((SELECT count(*) FROM catalog_now) > (SELECT count(*) FROM catalog_before), 'it created objects');
DROP EXTENSION parcel_gov;
SELECT set_eq('SELECT kind, name FROM catalog_now', 'SELECT kind, name FROM catalog_before',
              'DROP EXTENSION leaves the catalog exactly as before CREATE EXTENSION');

-- A schema someone created beforehand is not adopted.
CREATE SCHEMA parcel_gov;
SELECT throws_ok('CREATE EXTENSION parcel_gov', '42P06', NULL,
                 'a pre-created parcel_gov schema is refused, not adopted');
DROP SCHEMA parcel_gov;

-- CASCADE brings PostGIS along on a database that lacks it.
DROP EXTENSION postgis;
SELECT hasnt_extension('postgis');
CREATE EXTENSION parcel_gov CASCADE;
SELECT has_extension('postgis', 'CASCADE installed PostGIS');
SELECT has_extension('parcel_gov');
SELECT is(parcel_gov.sqm_to_mu(2000), 3::float8, 'and parcel_gov works');
-- PostGIS cannot be dropped from under it.
SELECT throws_ok('DROP EXTENSION postgis', '2BP01', NULL, 'PostGIS is held by parcel_gov');

SELECT * FROM finish();
ROLLBACK;
