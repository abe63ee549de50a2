-- The tables and views of docs/data-model.md: keys, dump registration,
-- security_invoker views, geometry registration for GIS tools.
BEGIN;
SELECT plan(37);

SELECT has_table('parcel_gov', t, 'table ' || t) FROM unnest(ARRAY[
  'region', 'park', 'region_boundary', 'parcel', 'enterprise', 'lease', 'enterprise_year', 'rule_set', 'rule_pool',
  'rule_indicator', 'rule_industry_group', 'rule_measure', 'evaluation', 'evaluation_benchmark', 'evaluation_run',
  'evaluation_summary', 'register', 'register_event']) AS t;

SELECT is_empty($$
  SELECT c.relname FROM pg_class c
  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'r'
    AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')$$,
  'every table has a primary key');

-- pg_dump keeps user data: every table and identity sequence is a config table.
SELECT set_eq($$
  SELECT unnest(extconfig)::regclass::text FROM pg_extension WHERE extname = 'parcel_gov'$$,
  $$SELECT c.oid::regclass::text FROM pg_class c
    WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind IN ('r', 'S')$$,
  'every table and sequence is registered with pg_extension_config_dump');
SELECT is((SELECT extcondition[array_position(extconfig, 'parcel_gov.rule_set'::regclass)]
           FROM pg_extension WHERE extname = 'parcel_gov'),
          'WHERE NOT builtin', 'built-in rule sets are not dumped (the extension recreates them)');

-- Views run with the reader's rights.
SELECT is_empty($$
  SELECT c.relname FROM pg_class c
  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v'
    AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)$$,
  'every view is security_invoker');

-- QGIS and tile servers see typed geometry columns.
SELECT is((SELECT string_agg(format('%s.%s %s %s', f_table_name, f_geometry_column, type, srid), '; '
                             ORDER BY f_table_name::text)
           FROM geometry_columns WHERE f_table_schema = 'parcel_gov'),
          'parcel.geom MULTIPOLYGON 4490; park.geom MULTIPOLYGON 4490; region_boundary.geom MULTIPOLYGON 4490; '
          'v_low_efficiency_clusters.geom MULTIPOLYGON 4490; '
          'v_parcel_efficiency.geom MULTIPOLYGON 4490; v_park_ranking.geom MULTIPOLYGON 4490; v_register.geom MULTIPOLYGON 4490',
          'geometry columns are registered with their type and SRID');
SELECT has_column('parcel_gov', 'parcel', 'fid', 'parcel has an integer feature id for QGIS and MVT');
SELECT col_type_is('parcel_gov', 'parcel', 'fid', 'bigint', 'parcel.fid is bigint');
SELECT has_column('parcel_gov', v, 'fid', v || ' has a key column fid')
FROM unnest(ARRAY['v_enterprise_evaluation', 'v_region_summary', 'v_park_ranking', 'v_register',
                  'v_parcel_efficiency', 'v_low_efficiency_clusters']) AS v;
SELECT has_column('parcel_gov', 'v_park_ranking', 'lon', 'v_park_ranking has lon/lat for BI tools without geometry');
SELECT is_empty($$
  SELECT c.relname FROM pg_class c
  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind IN ('r', 'v')
    AND obj_description(c.oid, 'pg_class') !~ '[一-龥]'$$,
  'every table and view has a comment with its Chinese terms');
SELECT col_is_pk('parcel_gov', 'evaluation', ARRAY['year', 'uscc'], 'an evaluation is one firm in one year');
SELECT col_is_pk('parcel_gov', 'evaluation_summary', ARRAY['year', 'region_code'], 'a summary is one region in one year');
-- Results are written by evaluate() alone, every way in (design: the register's history likewise).
SELECT bag_eq($$SELECT c.relname::text, t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE t.tgfoid = 'parcel_gov.evaluation_guard()'::regprocedure
                  AND (t.tgtype & 1) = 0 AND (t.tgtype & 2) <> 0 AND (t.tgtype & 60) = 60$$,
              $$VALUES ('evaluation', 'evaluation_written_by_evaluate'),
                       ('evaluation_benchmark', 'evaluation_benchmark_written_by_evaluate'),
                       ('evaluation_summary', 'evaluation_summary_written_by_evaluate'),
                       ('evaluation_quarter', 'evaluation_quarter_written_by_evaluate'),
                       ('evaluation_quarter_benchmark', 'evaluation_quarter_benchmark_written_by_evaluate')$$,
              'evaluation, its benchmarks and summaries are guarded before every statement that writes them');
SELECT col_type_is('parcel_gov', 'parcel', 'lon', 'double precision', 'parcel keeps its lon for BI tools');

SELECT * FROM finish();
ROLLBACK;
