-- ALTER EXTENSION parcel_gov UPDATE from every released version gives exactly
-- the objects, definitions and labels of a fresh install of the current one.
BEGIN;
SET LOCAL client_min_messages = warning;

-- What the extension consists of, described so two installs can be compared.
CREATE TEMP VIEW extension_shape AS
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS object,
       CASE d.classid
         WHEN 'pg_proc'::regclass THEN
           (SELECT concat_ws(' | ', p.prokind, p.provolatile, p.proisstrict, p.proparallel, p.prosrc,
                             pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                             p.proconfig::text, p.prosqlbody IS NOT NULL,
                             (SELECT concat_ws(' ', a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggtranstype::regtype, a.agginitval)
                                FROM pg_aggregate a WHERE a.aggfnoid = p.oid))
              FROM pg_proc p WHERE p.oid = d.objid)
         WHEN 'pg_type'::regclass THEN
           (SELECT concat_ws(' | ', t.typtype, format_type(t.typbasetype, t.typtypmod),
                             (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
                             (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum)
                                FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0),
                             (SELECT string_agg(pg_get_constraintdef(c.oid), ',') FROM pg_constraint c WHERE c.contypid = t.oid))
              FROM pg_type t WHERE t.oid = d.objid)
       END AS definition,
       obj_description(d.objid, d.classid::regclass::text) AS comment
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'parcel_gov');

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
