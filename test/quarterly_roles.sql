-- The quarter's evaluation (季评价) behind the same doors as the year's:
-- a county's accounts see only their county's year-to-date figures and
-- quarterly results; evaluate_quarter() is an analyst's, for its county;
-- no county role writes the results; and a quarter's run leaves the
-- register, the yearly evaluation and its summaries exactly as they were.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(16);

-- Year-to-date figures to March 2024 in each county (the superuser's).
INSERT INTO parcel_gov.enterprise_period (uscc, year, month, size_class, tax, value_added, revenue)
SELECT uscc, 2024, 3, 'below', 20, 100, 500 FROM county;

-- What the yearly results and the register hold, to compare after.
CREATE TEMP VIEW yearly_state AS
SELECT (SELECT md5(string_agg(e::text, '|' ORDER BY e.year, e.uscc)) FROM parcel_gov.evaluation e) AS evaluation,
       (SELECT md5(string_agg(s::text, '|' ORDER BY s.year, s.region_code)) FROM parcel_gov.evaluation_summary s) AS summary,
       (SELECT md5(string_agg(b::text, '|' ORDER BY b.year, b.region_code, b.pool, b.indicator))
        FROM parcel_gov.evaluation_benchmark b) AS benchmark,
       (SELECT md5(string_agg(r::text, '|' ORDER BY r.parcel_code)) FROM parcel_gov.register r) AS register,
       (SELECT md5(string_agg(h::text, '|' ORDER BY h.id)) FROM parcel_gov.register_event h) AS history,
       (SELECT count(*) FROM parcel_gov.evaluation_run) AS runs;
CREATE TEMP TABLE before AS SELECT * FROM yearly_state;
GRANT SELECT ON yearly_state TO PUBLIC;

SET LOCAL ROLE t_analyst_shangyu;
SELECT is(parcel_gov.evaluate_quarter(2024, 1, '330604'), 1, 'the analyst evaluates its county''s first quarter');
SELECT throws_ok($$SELECT parcel_gov.evaluate_quarter(2024, 1, '330602')$$, '42501', NULL,
                 'but not another county''s');
SELECT throws_ok($$SELECT parcel_gov.evaluate_quarter(2024, 1)$$, '42501', NULL, 'nor every region''s');
SELECT throws_ok($$DELETE FROM parcel_gov.evaluation_quarter$$, '42501', NULL,
                 'the analyst cannot write the quarter''s results directly');
SELECT throws_ok($$SELECT * FROM parcel_gov.evaluate_quarter_run(2024, 3, '330604', now())$$, '42501', NULL,
                 'nor call the engine itself');
RESET ROLE;
SELECT is(parcel_gov.evaluate_quarter(2024, 1), 3, 'every county''s quarter, as the superuser');
SELECT is((SELECT row(b.*)::text FROM before b), (SELECT row(s.*)::text FROM yearly_state s),
          'the quarter''s runs left the yearly evaluation, benchmarks, summaries, runs, register and history untouched');

SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT string_agg(DISTINCT region_code, ',') FROM parcel_gov.evaluation_quarter), '330604',
          'a county''s reader sees its own quarterly results only');
SELECT is((SELECT string_agg(DISTINCT region_code, ',') FROM parcel_gov.evaluation_quarter_benchmark), '330604',
          'and its own quarterly benchmarks');
SELECT is((SELECT string_agg(DISTINCT left(uscc, 8), ',') FROM parcel_gov.enterprise_period), '91330604',
          'and its own firms'' year-to-date figures');
SELECT throws_ok($$SELECT parcel_gov.evaluate_quarter(2024, 1, '330604')$$, '42501', NULL,
                 'a reader does not evaluate');
SELECT throws_ok($$UPDATE parcel_gov.enterprise_period SET tax = 0$$, '42501', NULL, 'nor change figures');
RESET ROLE;
SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.evaluation_quarter),
          '330602,330604', 'the city''s reader sees both counties of the city');
RESET ROLE;

SET LOCAL ROLE t_operator_shangyu;
SELECT lives_ok($$INSERT INTO parcel_gov.enterprise_period (uscc, year, month, size_class, tax)
                  VALUES ('91330604MA2B00078Q', 2024, 6, 'below', 45)$$,
                'the operator records its firm''s figures to June');
SELECT throws_ok($$INSERT INTO parcel_gov.enterprise_period (uscc, year, month, size_class, tax)
                   VALUES ('91330602MA2B00844R', 2024, 6, 'below', 45)$$, '42501', NULL,
                 'but not another county''s firm''s');
SELECT throws_ok($$INSERT INTO parcel_gov.evaluation_quarter_benchmark (year, quarter, region_code, pool, indicator, rule_set_id, firms)
                   VALUES (2024, 1, '330604', 'below', 'tax_per_mu', 'default', 1)$$, '42501', NULL,
                 'nor writes a quarterly benchmark');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
