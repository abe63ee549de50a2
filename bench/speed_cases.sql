-- bench/speed_cases.sql: evaluate() against the lean query a county analyst
-- writes to get the grades alone (bench.lean_grades, lean_grades.sql): one
-- CREATE TABLE … AS over parcel_gov's tables, the same grades for every firm
-- of the province.  Run by run.sh after the other evaluation cases (it
-- leaves the data as it found them: the years it adds are removed again).
-- Each case: "parcel_gov ms" is evaluate()'s side, "plain SQL ms" the lean
-- query's; report.sql's ratio is lean ÷ evaluate.  "Same answer": no firm
-- of the year whose grade differs, none on one side only, scores within
-- 1e-9 (bench.lean_differs = 0), checked after the last round.
--   psql -v label=' (fsync off)' -f bench/speed_cases.sql   names the cases with a suffix
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\o /dev/null
\if :{?label}
\else
\set label ''
\endif

SELECT to_regprocedure('bench.lean_grades(integer)') IS NULL AS need_lean \gset
\if :need_lean
\ir lean_grades.sql
\endif
SELECT to_regprocedure('bench.next_year()') IS NULL AS need_next_year \gset
\if :need_next_year
\ir next_year.sql
\endif

-- bench.prev_year(): 2024's figures copied into the year before the first
-- one, named in bench.year: an earlier year no run has seen, evaluated
-- after the later ones.
CREATE OR REPLACE FUNCTION bench.prev_year() RETURNS integer LANGUAGE sql
SET session_replication_role = replica AS $p$   -- as next_year()
INSERT INTO parcel_gov.enterprise_year
SELECT uscc, (SELECT min(year) - 1 FROM parcel_gov.enterprise_year), size_class, tax, value_added, revenue, rd_expense,
       staff, energy_tce, emission_t, electricity_kwh, exempt_reason, veto_reason, bonus, deduction,
       backward_capacity, prohibited_industry
FROM parcel_gov.enterprise_year WHERE year = 2024;
ANALYZE parcel_gov.enterprise_year;   -- as in next_year()
SELECT set_config('bench.year', (SELECT min(year) FROM parcel_gov.enterprise_year)::text, false)::integer;
$p$;

-- The one firm whose figure a county corrects: the first graded firm of
-- 上城区 (330102) with a tax figure.
SELECT f.uscc AS corrected_firm
FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
WHERE e.region_code = '330102' AND f.year = 2024 AND f.tax IS NOT NULL AND f.exempt_reason IS NULL
ORDER BY f.uscc LIMIT 1 \gset

-- A forced rerun re-reads every county whatever changed: evaluate(year,
-- region, force) since 1.12.0 (before it, every rerun re-read them all).
SELECT CASE WHEN EXISTS (SELECT FROM pg_proc WHERE proname = 'evaluate'
                                               AND pronamespace = 'parcel_gov'::regnamespace
                                               AND 'force' = ANY (proargnames))
            THEN 'SELECT parcel_gov.evaluate(2024, NULL, true)'
            ELSE 'SELECT parcel_gov.evaluate(2024)' END AS forced_rerun \gset

-- 1. A rerun, every county re-read.
CALL bench.compare('rerun, all counties re-read (forced)' || :'label', 2,
                   :'forced_rerun', 'SELECT bench.lean_grades(2024)', 'SELECT bench.lean_differs(2024) = 0', 5);
-- 2. A rerun on unchanged data (with change tracking, nothing to re-read).
CALL bench.compare('rerun, nothing changed' || :'label', 2,
                   'SELECT parcel_gov.evaluate(2024)', 'SELECT bench.lean_grades(2024)',
                   'SELECT bench.lean_differs(2024) = 0', 5);
-- 3. One firm's tax corrected in one county, before each round (untimed).
CALL bench.compare('one county''s figure corrected' || :'label', 2,
                   'SELECT parcel_gov.evaluate(2024)', 'SELECT bench.lean_grades(2024)',
                   'SELECT bench.lean_differs(2024) = 0', 5,
                   format('UPDATE parcel_gov.enterprise_year SET tax = tax * 1.01 WHERE uscc = %L AND year = 2024',
                          :'corrected_firm'));
-- 4. The first run of a new year: each round a year no run has seen
--    (2024's figures copied, untimed), every row new.
CALL bench.compare('first run of a new year' || :'label', 2,
                   'SELECT parcel_gov.evaluate(current_setting(''bench.year'')::int)',
                   'SELECT bench.lean_grades(current_setting(''bench.year'')::int)',
                   'SELECT bench.lean_differs(current_setting(''bench.year'')::int) = 0', 5,
                   'SELECT bench.next_year()');
SELECT parcel_gov.evaluation_discard(year) FROM generate_series(2025, current_setting('bench.year')::int) AS year;
SELECT format('DROP TABLE IF EXISTS bench.lean_%s', year) FROM generate_series(2025, current_setting('bench.year')::int) AS year \gexec
DELETE FROM parcel_gov.enterprise_year WHERE year > 2024;
-- 5. An earlier year evaluated after the later ones, for the first time:
--    each round the year before the first one (2021, 2020, …).
CALL bench.compare('earlier year after a later one (first run)' || :'label', 2,
                   'SELECT parcel_gov.evaluate(current_setting(''bench.year'')::int)',
                   'SELECT bench.lean_grades(current_setting(''bench.year'')::int)',
                   'SELECT bench.lean_differs(current_setting(''bench.year'')::int) = 0', 5,
                   'SELECT bench.prev_year()');
SELECT parcel_gov.evaluation_discard(year) FROM generate_series(current_setting('bench.year')::int, 2021) AS year;
SELECT format('DROP TABLE IF EXISTS bench.lean_%s', year) FROM generate_series(current_setting('bench.year')::int, 2021) AS year \gexec
DELETE FROM parcel_gov.enterprise_year WHERE year < 2022;
-- 6. A past year re-evaluated after a later one: the same firm's 2023 tax
--    corrected before each round, then evaluate(2023).
CALL bench.compare('2023 re-evaluated after 2024, one change' || :'label', 2,
                   'SELECT parcel_gov.evaluate(2023)', 'SELECT bench.lean_grades(2023)',
                   'SELECT bench.lean_differs(2023) = 0', 5,
                   format('UPDATE parcel_gov.enterprise_year SET tax = tax * 1.01 WHERE uscc = %L AND year = 2023',
                          :'corrected_firm'));
-- 7. The floor of a first run: the writes alone of a new year's results,
--    register and register events (bare_writes.sql), each round on fresh
--    copies of the tables (untimed), against the lean query.  "Same
--    answer": as many rows written as 2024 has results, every active
--    register row reached, an event for each.
SELECT to_regprocedure('bench.bare_year_writes()') IS NULL AS need_bare \gset
\if :need_bare
\ir bare_writes.sql
\endif
CALL bench.compare('bare writes of a new year, no engine' || :'label', 2,
                   'SELECT bench.bare_year_writes()', 'SELECT bench.lean_grades(2024)',
                   $same$SELECT (SELECT count(*) FROM bench.bare_evaluation e
                                 WHERE e.year = (SELECT max(year) FROM bench.bare_year_rows))
                                = (SELECT count(*) FROM parcel_gov.evaluation WHERE year = 2024)
                            AND NOT EXISTS (SELECT FROM bench.bare_register r
                                            WHERE r.state NOT IN ('exited', 'rejected')
                                              AND r.evaluated_year IS DISTINCT FROM
                                                  (SELECT max(year) FROM bench.bare_year_rows))
                            AND (SELECT count(*) FROM bench.bare_register_event)
                                = (SELECT count(*) FROM parcel_gov.register_event)
                                  + (SELECT count(*) FROM bench.bare_register WHERE state NOT IN ('exited', 'rejected'))$same$, 5,
                   'SELECT bench.bare_year_reset()');
TRUNCATE bench.bare_evaluation, bench.bare_register, bench.bare_register_event, bench.bare_year_rows;
DROP TABLE bench.lean_2023, bench.lean_2024;
\o
VACUUM ANALYZE parcel_gov.evaluation, parcel_gov.enterprise_year, parcel_gov.register;
