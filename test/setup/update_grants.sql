-- Shared set-up of the update tests (run inside their transaction, after
-- the previous release is installed and setup/three_counties.sql): a BI
-- role's grants on the extension (every table and view, every function, a
-- column's UPDATE, a grant option; another role's column SELECTs); the
-- privileges they hold, by identity; and the users' relations in schema
-- county as a catalog sees them.
CREATE ROLE parcel_gov_test_bi NOLOGIN;
CREATE ROLE parcel_gov_test_cols NOLOGIN;
GRANT USAGE ON SCHEMA parcel_gov TO parcel_gov_test_bi, parcel_gov_test_cols;
GRANT SELECT ON ALL TABLES IN SCHEMA parcel_gov TO parcel_gov_test_bi;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA parcel_gov TO parcel_gov_test_bi;
GRANT UPDATE (holder_uscc) ON parcel_gov.parcel TO parcel_gov_test_bi;
GRANT SELECT ON parcel_gov.v_register TO parcel_gov_test_bi WITH GRANT OPTION;
GRANT SELECT (code, grade) ON parcel_gov.v_parcel_efficiency TO parcel_gov_test_cols;

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
WHERE has_column_privilege('parcel_gov_test_bi', 'parcel_gov.parcel', 'holder_uscc', 'UPDATE')
UNION ALL
SELECT 'parcel_gov.v_register', 'SELECT WITH GRANT OPTION'
WHERE has_table_privilege('parcel_gov_test_bi', 'parcel_gov.v_register', 'SELECT WITH GRANT OPTION')
UNION ALL
SELECT 'parcel_gov.v_parcel_efficiency.' || c, 'SELECT (column)'
FROM unnest('{code,grade,year}'::text[]) AS c
WHERE has_column_privilege('parcel_gov_test_cols', 'parcel_gov.v_parcel_efficiency', c, 'SELECT');

-- The users' relations as a catalog sees them.
CREATE TEMP VIEW county_shape AS
SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner) AS owner, c.relacl::text AS acl,
       obj_description(c.oid, 'pg_class') AS comment,
       (SELECT string_agg(format('%s %s %s %s', a.attname, format_type(a.atttypid, a.atttypmod), a.attacl,
                                 col_description(c.oid, a.attnum)), ', ' ORDER BY a.attnum)
        FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) AS columns,
       (SELECT string_agg(i.indexrelid::regclass::text, ', ') FROM pg_index i WHERE i.indrelid = c.oid) AS indexes
FROM pg_class c WHERE c.relnamespace::regnamespace::text = 'county' AND c.relkind IN ('v', 'm');
