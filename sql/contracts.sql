-- Contracts with their price: 违约金 clauses (contract_penalty) and the
-- amount due in v_contract_breach; 桐庐's 履约监管协议 (performance_agreement)
-- and the overdue ones in v_performance_agreement.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql
INSERT INTO enterprise (uscc, name, region_code) VALUES ('91330604MA2B00078Q', 'F1', '330604');
INSERT INTO parcel (code, region_code, holder_uscc, geom, contract_floor_area_ratio, contract_energy_per_va,
                    contract_completion_date)
VALUES ('330604001001GB00001', '330604', '91330604MA2B00078Q',
        ST_Multi(ST_MakeEnvelope(120.81, 29.8, 120.8125, 29.8025, 4490)), 1.5, 1.0, '2023-06-30');
INSERT INTO parcel_progress VALUES ('330604001001GB00001', 2023, NULL, 1.2, '2023-07-20'),
                                   ('330604001001GB00001', 2024, NULL, 1.4, '2023-07-20');
-- 2024 only: 120 tce for 100 万元 of value added = 1.2 tce/万元 against 1.0.
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, energy_tce)
VALUES ('91330604MA2B00078Q', 2024, 'above', 100, 100, 120);
-- The clauses:
--   floor-area ratio  rate 100 万元 per 1.0 short, at most 25 万元 a year
--   completion        fixed 5 万元 a year
--   energy per VA     rate 50 万元 per tce/万元 over, no cap
-- By hand:
--   2023 FAR 1.5 − 1.2 = 0.3 short → 100 × 0.3 = 30, capped at 25
--        completed 2023-07-20, 20 days after 2023-06-30 → fixed 5
--        (no figures for 2023: no energy row)
--   2024 FAR 1.5 − 1.4 = 0.1 short → 10 (under the cap)
--        still 20 days late → 5 (second year running)
--        energy 1.2 − 1.0 = 0.2 over → 50 × 0.2 = 10
--   due: 2023 25 + 5 = 30; 2024 10 + 5 + 10 = 25
INSERT INTO contract_penalty (parcel_code, promise, method, rate, fixed_sum, cap, clause)
VALUES ('330604001001GB00001', 'floor_area_ratio', 'rate', 100, NULL, 25, '出让合同第十八条'),
       ('330604001001GB00001', 'completion', 'fixed', NULL, 5, NULL, '出让合同第十六条'),
       ('330604001001GB00001', 'energy_per_va', 'rate', 50, NULL, NULL, '投资建设协议第五条');
SELECT year, promise, round(shortfall::numeric, 2) AS shortfall, years_in_breach, penalty_method,
       penalty_method_label, round(amount_due::numeric, 2) AS amount_due
FROM v_contract_breach ORDER BY year, promise;
SELECT year, round(sum(amount_due)::numeric, 2) AS due FROM v_contract_breach GROUP BY year ORDER BY year;
-- Without a clause a breach still shows, with nothing due.
DELETE FROM contract_penalty WHERE promise = 'completion';
SELECT year, promise, penalty_method IS NULL AS no_clause, amount_due IS NULL AS nothing_due
FROM v_contract_breach WHERE promise = 'completion' ORDER BY year;
-- The new columns come last (CREATE OR REPLACE VIEW appends).
SELECT string_agg(attname, ', ' ORDER BY attnum) FILTER (WHERE attnum > 12) AS last_columns
FROM pg_attribute WHERE attrelid = 'v_contract_breach'::regclass;
-- Clauses that cannot be computed are refused.
\set VERBOSITY verbose
INSERT INTO contract_penalty (parcel_code, promise, method, rate) VALUES ('330604001001GB00001', 'tax_per_mu', 'fixed', 3);
INSERT INTO contract_penalty (parcel_code, promise, method, rate) VALUES ('330604001001GB00001', 'tax_per_mu', 'percent', 3);
INSERT INTO contract_penalty (parcel_code, promise, method, rate) VALUES ('330604001001GB00001', 'water', 'rate', 3);
INSERT INTO contract_penalty (parcel_code, promise, method, rate, cap) VALUES ('330604001001GB00001', 'tax_per_mu', 'rate', 3, -1);
INSERT INTO contract_penalty (parcel_code, promise, method, rate) VALUES ('330604001001GB00001', 'tax_per_mu', 'rate', 'NaN');
INSERT INTO contract_penalty (parcel_code, promise, method, rate) VALUES ('330604001001GB00099', 'tax_per_mu', 'rate', 3);
\set VERBOSITY default

-- 履约监管协议: three agreements of F1.  By hand, against today (the tests
-- run after 2025): A ended 2021-12-31 and is still open → overdue by
-- today − 2021-12-31 days; B runs to 2099 → not overdue; C was kept → not
-- overdue whatever its deadline.
INSERT INTO performance_agreement (uscc, promise, signed_on, deadline, result, result_on)
VALUES ('91330604MA2B00078Q', 'A: 2021 年亩均税收达到 10 万元', '2020-01-01', '2021-12-31', 'open', NULL),
       ('91330604MA2B00078Q', 'B: 容积率提高到 1.5', '2024-01-01', '2099-12-31', 'open', NULL),
       ('91330604MA2B00078Q', 'C: 2022 年单位增加值能耗降到 1.0', '2021-01-01', '2022-12-31', 'kept', '2023-03-01');
SELECT left(promise, 1) AS agreement, name, region_code, result, result_label, overdue,
       days_overdue IS NOT DISTINCT FROM CASE WHEN overdue THEN CURRENT_DATE - DATE '2021-12-31' END AS days_right
FROM v_performance_agreement ORDER BY promise;
-- The county records the result: A broken; nothing is overdue any more.
UPDATE performance_agreement SET result = 'broken', result_on = '2022-02-15' WHERE promise LIKE 'A:%';
SELECT count(*) FILTER (WHERE overdue) AS overdue, count(*) FILTER (WHERE result = 'broken') AS broken
FROM v_performance_agreement;
\set VERBOSITY verbose
INSERT INTO performance_agreement (uscc, promise, signed_on, deadline) VALUES ('91330604MA2B00078Q', 'D', '2024-01-01', '2023-12-31');
INSERT INTO performance_agreement (uscc, promise, signed_on, deadline, result) VALUES ('91330604MA2B00078Q', 'D', '2024-01-01', '2025-12-31', 'kept');
INSERT INTO performance_agreement (uscc, promise, signed_on, deadline, result_on) VALUES ('91330604MA2B00078Q', 'D', '2024-01-01', '2025-12-31', '2024-05-01');
INSERT INTO performance_agreement (uscc, promise, signed_on, deadline, result, result_on) VALUES ('91330604MA2B00078Q', 'D', '2024-01-01', '2025-12-31', 'failed', '2024-05-01');
INSERT INTO performance_agreement (uscc, promise, signed_on, deadline) VALUES ('91330604MA2B00078Q', ' ', '2024-01-01', '2025-12-31');
INSERT INTO performance_agreement (uscc, promise, signed_on, deadline) VALUES ('91330604MA2B00099X', 'D', '2024-01-01', '2025-12-31');
\set VERBOSITY default
-- Leave the tables empty for the tests that follow (some do not empty them first).
\i sql/helpers/reset_data.sql
