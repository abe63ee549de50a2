-- parcel_gov install script, built from install/*.sql; do not edit the built copy.
-- CREATE EXTENSION runs it with search_path = pg_catalog, the PostGIS schema,
-- pg_temp; every name we create is qualified with parcel_gov.

\echo Use "CREATE EXTENSION parcel_gov CASCADE" to load this file. \quit

-- Not IF NOT EXISTS: a schema someone created beforehand could hold their objects.
CREATE SCHEMA parcel_gov;
COMMENT ON SCHEMA parcel_gov IS
  'parcel_gov: industrial-land per-mu efficiency governance (亩均效益评价, 一码管地, 低效工业用地数据库)';

COMMENT ON EXTENSION parcel_gov IS
  'parcel_gov: industrial-land per-mu efficiency governance in PostgreSQL/PostGIS (亩均效益评价, 一码管地, 低效工业用地数据库, 四个一批)';
