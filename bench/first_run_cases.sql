-- bench/first_run_cases.sql: the first run of a year, after evaluation_cases.sql
-- (which made the reference, bench.plain_evaluate).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\o /dev/null

-- The first run of a year: every row is new, every register row learns
-- the year.  Each round evaluates a year not seen before, its figures copied
-- from 2024 (untimed); afterwards those years are removed again.
\ir next_year.sql
\set same_new_year 'SELECT (SELECT count(*) > 0 AND count(*) FILTER (WHERE e.grade IS DISTINCT FROM p.grade OR e.uscc IS NULL OR p.uscc IS NULL OR abs(e.score - p.score) > 1e-9 * abs(p.score)) = 0 FROM parcel_gov.evaluation e FULL JOIN bench.plain_evaluation p ON p.year = e.year AND p.uscc = e.uscc WHERE coalesce(e.year, p.year) = current_setting(''bench.year'')::int) AND (SELECT count(*) > 0 AND count(*) FILTER (WHERE r.kinds IS DISTINCT FROM p.kinds OR r.batch IS DISTINCT FROM p.batch OR r.state IS DISTINCT FROM p.state OR r.evaluated_year IS DISTINCT FROM p.evaluated_year) = 0 FROM parcel_gov.register r FULL JOIN bench.plain_register p USING (parcel_code))'
CALL bench.compare('evaluate(year) for the province: first run of a new year', 2,
                   'SELECT parcel_gov.evaluate(current_setting(''bench.year'')::int)',
                   'SELECT bench.plain_evaluate(current_setting(''bench.year'')::int)', :'same_new_year', 5,
                   'SELECT bench.next_year()');
SELECT parcel_gov.evaluation_discard(year) FROM generate_series(2025, current_setting('bench.year')::int) AS year;
DELETE FROM bench.plain_evaluation WHERE year > 2024;
DELETE FROM parcel_gov.enterprise_year WHERE year > 2024;
\o
VACUUM ANALYZE parcel_gov.evaluation, parcel_gov.enterprise_year, parcel_gov.register, bench.plain_evaluation;
