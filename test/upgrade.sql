-- ALTER EXTENSION parcel_gov UPDATE from every released version gives exactly
-- the objects, definitions, labels, comments and privileges of a fresh
-- install of the current one.  Every older version is installed the way
-- PostgreSQL reaches it: the base script in updates/ and the update chain
-- (once proved to give the catalog of each frozen full script of 0.2.0 …
-- 1.3.0 before those copies were removed).
BEGIN;
SET LOCAL client_min_messages = warning;

-- What the extension consists of, privileges included (test/setup).
\ir setup/extension_shape.sql

CREATE TEMP TABLE fresh AS SELECT * FROM extension_shape;
CREATE TEMP TABLE released AS
SELECT version FROM pg_available_extension_versions
WHERE name = 'parcel_gov' AND version <> (SELECT default_version FROM pg_available_extensions WHERE name = 'parcel_gov');

SELECT plan(1 + (SELECT count(*)::int FROM released));
SELECT ok((SELECT count(*) FROM released) >= 1, 'there is a released version to update from');

CREATE FUNCTION pg_temp.updated_shape_matches(from_version text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  DROP EXTENSION parcel_gov;
  EXECUTE format('CREATE EXTENSION parcel_gov VERSION %L', from_version);
  ALTER EXTENSION parcel_gov UPDATE;
  RETURN set_eq('SELECT * FROM extension_shape', 'SELECT * FROM fresh',
                format('updating from %s gives the same extension as a fresh install', from_version));
END $$;

SELECT pg_temp.updated_shape_matches(version) FROM released ORDER BY version;

SELECT * FROM finish();
ROLLBACK;
