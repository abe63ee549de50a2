-- bench/locale_cases.sql (locale_bench.sh): one county's correction in a
-- C.UTF-8 database, evaluate() against the lean query (lean_grades.sql),
-- first with the indexes in collation "C" the extension adds in such
-- a database, then without them (as 1.12.0 had it: starts_with() on a
-- region found no index range, so a county's run scanned whole tables).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\o /dev/null
SELECT f.uscc AS corrected_firm
FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
WHERE e.region_code = '330102' AND f.year = 2024 AND f.tax IS NOT NULL AND f.exempt_reason IS NULL
ORDER BY f.uscc LIMIT 1 \gset
-- the indexes in collation "C" the extension adds here (tools/check-locale.sh counts them)
SELECT count(*) > 0 AS has_twins FROM pg_indexes
WHERE schemaname = 'parcel_gov' AND indexdef LIKE '%COLLATE "C"%' \gset
\if :has_twins
\else
\warn 'locale_cases.sql: the database has no region indexes in collation "C"'
\quit
\endif
CALL bench.compare('C.UTF-8: one county''s figure corrected', 2,
                   'SELECT parcel_gov.evaluate(2024)', 'SELECT bench.lean_grades(2024)',
                   'SELECT bench.lean_differs(2024) = 0', 5,
                   format('UPDATE parcel_gov.enterprise_year SET tax = tax * 1.01 WHERE uscc = %L AND year = 2024',
                          :'corrected_firm'));
-- the same without the indexes in collation "C"
SELECT format('DROP INDEX parcel_gov.%I', indexname) FROM pg_indexes
WHERE schemaname = 'parcel_gov' AND indexdef LIKE '%COLLATE "C"%' \gexec
CALL bench.compare('C.UTF-8, region indexes as in 1.12.0: one county''s figure corrected', 2,
                   'SELECT parcel_gov.evaluate(2024)', 'SELECT bench.lean_grades(2024)',
                   'SELECT bench.lean_differs(2024) = 0', 5,
                   format('UPDATE parcel_gov.enterprise_year SET tax = tax * 1.01 WHERE uscc = %L AND year = 2024',
                          :'corrected_firm'));
\o
