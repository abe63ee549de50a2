-- ALTER EXTENSION parcel_gov UPDATE from every released version gives exactly
-- the objects, definitions, labels, comments and privileges of a fresh
-- install of the current one.  Every older version is installed the way
-- PostgreSQL reaches it: the base script in updates/ and the update chain
-- (once proved to give the catalog of each frozen full script of 0.2.0 …
-- 1.3.0 before those copies were removed); 1.11.0 and 1.12.0 from their full scripts as
-- released, which updates/ ships because its chain needs two transactions.
-- 1.10.0 adds indicator values that 1.11.0's script uses, which PostgreSQL
-- refuses in the transaction that added them: each step is its own
-- transaction (README "Upgrading": to 1.10.0 first, then on), and the current
-- version is installed again at the end, as the test found it.
SET client_min_messages = warning;

-- What the extension consists of, privileges included (test/setup).
\ir setup/extension_shape.sql

CREATE TEMP TABLE fresh AS SELECT * FROM extension_shape;
CREATE TEMP TABLE released AS
SELECT version FROM pg_available_extension_versions
WHERE name = 'parcel_gov' AND version <> (SELECT default_version FROM pg_available_extensions WHERE name = 'parcel_gov');

SELECT plan(1 + (SELECT count(*)::int FROM released));
SELECT ok((SELECT count(*) FROM released) >= 1, 'there is a released version to update from');

SELECT step.sql
FROM released r
CROSS JOIN LATERAL (VALUES
    (1, 'DROP EXTENSION parcel_gov'),
    (2, format('CREATE EXTENSION parcel_gov VERSION %L', r.version)),
    (3, CASE WHEN string_to_array(r.version, '.')::int[] < '{1,10,0}' THEN $$ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'$$ END),
    (4, 'ALTER EXTENSION parcel_gov UPDATE'),
    (5, format('SELECT set_eq(%L, %L, %L)', 'SELECT * FROM extension_shape', 'SELECT * FROM fresh',
               format('updating from %s gives the same extension as a fresh install', r.version))))
    AS step (n, sql)
WHERE step.sql IS NOT NULL
ORDER BY string_to_array(r.version, '.')::int[], step.n \gexec

SELECT * FROM finish();
DROP EXTENSION parcel_gov;
CREATE EXTENSION parcel_gov;
