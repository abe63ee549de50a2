-- The views as BI and GIS tools find them (README: Views; docs/data-model.md): each runs as
-- its caller (security_invoker), every column has a type a tool can map and a
-- comment, every spatial view has an integer key fid and its geometry
-- registered in geometry_columns with SRID 4490 and type MULTIPOLYGON.
BEGIN;
SELECT plan(7);

CREATE TEMP VIEW view_column AS
SELECT c.relname AS view, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
       col_description(c.oid, a.attnum) AS words
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'parcel_gov' AND c.relkind = 'v';

SELECT is((SELECT count(DISTINCT view)::int FROM view_column), 20, 'twenty views');
SELECT is_empty($$SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'parcel_gov'::regnamespace
                  AND c.relkind = 'v' AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)$$,
                'every view runs with its caller''s rights (security_invoker)');
SELECT is_empty($$SELECT view || '.' || col FROM view_column WHERE words IS NULL OR words !~ '[\u4e00-\u9fff]'$$,
                'every view column has a comment with its Chinese term');
SELECT is_empty($$SELECT view || '.' || col || ' ' || type FROM view_column
                  WHERE type IN ('unknown', 'record', '"char"') OR type = 'geometry'$$,
                'every column has a concrete type (geometry with its typmod)');
SELECT is_empty($$SELECT DISTINCT view FROM view_column v WHERE EXISTS (
                      SELECT FROM view_column g WHERE g.view = v.view AND g.col = 'geom')
                  AND NOT EXISTS (SELECT FROM view_column k WHERE k.view = v.view AND k.col = 'fid' AND k.type = 'bigint')$$,
                'every spatial view has a bigint key fid');
SELECT set_eq($$SELECT f_table_name::text, srid, type::text FROM geometry_columns
                WHERE f_table_schema = 'parcel_gov' AND f_table_name LIKE 'v\_%'$$,
              $$VALUES ('v_parcel_efficiency', 4490, 'MULTIPOLYGON'), ('v_register', 4490, 'MULTIPOLYGON'),
                       ('v_low_efficiency_clusters', 4490, 'MULTIPOLYGON'), ('v_park_ranking', 4490, 'MULTIPOLYGON')$$,
              'the spatial views'' geometry is registered as MultiPolygon, SRID 4490');
SELECT is((SELECT words FROM view_column WHERE view = 'v_parcel_efficiency' AND col = 'tax_per_mu'),
          '亩均税收 (万元/亩): tax per mu', 'a column comment reads as a BI tool shows it');

SELECT * FROM finish();
ROLLBACK;
