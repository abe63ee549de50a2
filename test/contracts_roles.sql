-- 违约金 clauses and 履约监管协议 as each county role sees them: a county
-- reads and (as operator) writes its own county's clauses and agreements,
-- never another county's; a reader writes none; a city grant reads its
-- counties'.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(10);

\o /dev/null
INSERT INTO parcel_gov.contract_penalty (parcel_code, promise, method, fixed_sum)
SELECT code || '001001GB00001', 'completion', 'fixed', 5 FROM county;
INSERT INTO parcel_gov.performance_agreement (uscc, promise, signed_on, deadline)
SELECT uscc, '亩均税收达到 10 万元', '2020-01-01', '2021-12-31' FROM county;
\o

SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT string_agg(left(parcel_code, 6), ',') FROM parcel_gov.contract_penalty), '330604',
          'a county reader sees its own county''s penalty clauses only');
SELECT is((SELECT string_agg(region_code || ':' || overdue, ',') FROM parcel_gov.v_performance_agreement), '330604:true',
          'and its own firms'' agreements, overdue');
SELECT throws_ok($$INSERT INTO parcel_gov.performance_agreement (uscc, promise, signed_on, deadline)
                   VALUES ('91330604MA2B00078Q', 'x', '2024-01-01', '2025-01-01')$$, '42501', NULL,
                 'a reader records no agreement');
RESET ROLE;

SET LOCAL ROLE t_operator_shangyu;
SELECT lives_ok($$INSERT INTO parcel_gov.contract_penalty (parcel_code, promise, method, rate, cap)
                  VALUES ('330604001001GB00001', 'floor_area_ratio', 'rate', 100, 25)$$,
                'an operator writes its county''s penalty clauses');
SELECT throws_ok($$INSERT INTO parcel_gov.contract_penalty (parcel_code, promise, method, rate)
                   VALUES ('330602001001GB00001', 'floor_area_ratio', 'rate', 100)$$, '42501', NULL,
                 'but not another county''s');
WITH u AS (UPDATE parcel_gov.contract_penalty SET fixed_sum = 1 WHERE method = 'fixed' RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 1, 'an UPDATE of every clause reaches its own county''s only');
SELECT lives_ok($$UPDATE parcel_gov.performance_agreement SET result = 'broken', result_on = '2022-01-10'$$,
                'an operator records its firms'' results');
SELECT throws_ok($$INSERT INTO parcel_gov.performance_agreement (uscc, promise, signed_on, deadline)
                   VALUES ('91331003MA2B00078P', 'x', '2024-01-01', '2025-01-01')$$, '42501', NULL,
                 'and no agreement for another county''s firm');
RESET ROLE;
SELECT is((SELECT string_agg(left(uscc, 8) || ':' || result, ',' ORDER BY uscc) FROM parcel_gov.performance_agreement),
          '91330602:open,91330604:broken,91331003:open', 'the other counties'' agreements are untouched');

SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT string_agg(region_code, ',' ORDER BY region_code) FROM parcel_gov.v_performance_agreement),
          '330602,330604', 'a city grant reads its two counties'' agreements');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
