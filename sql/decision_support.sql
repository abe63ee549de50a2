-- Decision support: early warning, the register as of a moment, region
-- targets.  Three 规上 firms on equal parcels (0.0025° squares at 29.8 °N),
-- every figure proportional to tax, so scores, ranks and grades follow per-mu
-- tax; by hand, tax per mu (万元/亩):
--          2022  2023  2024   grades (quota 0.20/0.80/0.95 of 3: ranks 1 A, 2 B, 3 C)
--   F1      30    20    16     A B A   2023 dropped A → B; 2024 falling 30 > 20 > 16
--   F2      12    10     7     C C C   2024 falling, and 5 ≤ 7 < 10 (tier 2)
--   F3      20    25    15     B A B   2024 dropped A → B
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql
-- 上虞区 (330604) ships with parcel_gov.
CREATE TEMP TABLE firm (n int, uscc text, name text);
INSERT INTO firm VALUES (1, '91330604MA2B00078Q', 'F1'), (2, '91330604MA2B0014XC', 'F2'), (3, '91330604MA2B002118', 'F3');
INSERT INTO enterprise (uscc, name, region_code) SELECT uscc, name, '330604' FROM firm;
INSERT INTO parcel (code, region_code, holder_uscc, geom)
SELECT '330604001001GB0000' || n, '330604', uscc,
       ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * n, 29.8, 120.8025 + 0.01 * n, 29.8025, 4490))
FROM firm;
SELECT count(DISTINCT round(area_mu::numeric, 9)) AS distinct_areas, round(min(area_mu)::numeric, 4) AS mu FROM parcel;
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce,
                             emission_t, electricity_kwh)
SELECT f.uscc, t.year, 'above', t.per_mu * p.area_mu, 5 * t.per_mu * p.area_mu, 20 * t.per_mu * p.area_mu,
       t.per_mu * p.area_mu, 100, 10, 1, 1000000
FROM firm f JOIN parcel p ON p.holder_uscc = f.uscc
JOIN (VALUES (1, 2022, 30), (1, 2023, 20), (1, 2024, 16), (2, 2022, 12), (2, 2023, 10), (2, 2024, 7),
             (3, 2022, 20), (3, 2023, 25), (3, 2024, 15)) AS t(n, year, per_mu) ON t.n = f.n;
SELECT evaluate(2022) AS g2022, evaluate(2023) AS g2023, evaluate(2024) AS g2024;
SELECT f.name, e.year, round(e.tax_per_mu::numeric, 6) AS tax_per_mu, e.grade
FROM evaluation e JOIN firm f USING (uscc) ORDER BY f.name, e.year;

-- Early warning: F1 dropped in 2023 and fell in 2024; F2 fell and nears the line; F3 dropped.
SELECT f.name, w.year, w.grade_prev, w.grade, w.reasons, w.reason_labels
FROM v_early_warning w JOIN firm f USING (uscc) ORDER BY w.year, f.name;

-- The register as of each moment of a scripted history of F2's parcel: each
-- step's own time (its event's) and the microsecond before it.
SELECT count(*) AS before_anything FROM register_as_of(now());
SELECT (transition('330604001001GB00002', 'candidate', '调查核实')).state;
SELECT max(at) AS t1 FROM register_event \gset
SELECT pg_sleep(0.01);
SELECT (transition('330604001001GB00002', 'confirmed', '审核认定')).state;
SELECT max(at) AS t2 FROM register_event \gset
SELECT pg_sleep(0.01);
UPDATE register SET state = 'registered', batch = 'rectify_upgrade', reason = '建档入库'
WHERE parcel_code = '330604001001GB00002' RETURNING state, batch;
SELECT max(at) AS t3 FROM register_event \gset
SELECT m.label, a.parcel_code, a.state, a.batch, a.state_since = m.since AS since_ok
FROM (VALUES ('t1 - 1µs', :'t1'::timestamptz - interval '1 microsecond', NULL::timestamptz),
             ('t1', :'t1', :'t1'), ('t2 - 1µs', :'t2'::timestamptz - interval '1 microsecond', :'t1'),
             ('t2', :'t2', :'t2'), ('t3', :'t3', :'t3'), ('now', now(), :'t3')) AS m(label, at, since)
LEFT JOIN LATERAL register_as_of(m.at) AS a ON true
ORDER BY m.at;
SELECT (SELECT array_agg(state ORDER BY parcel_code) FROM register_as_of('infinity')) =
       (SELECT array_agg(state ORDER BY parcel_code) FROM register) AS infinity_is_now,
       (SELECT count(*) FROM register_as_of('-infinity')) AS minus_infinity;
SELECT * FROM register_as_of(NULL);

-- Targets: 规上 tax per mu from 20 (2022) to 30 by 2025; the actual is the
-- ratio of sums, on equal parcels the mean: 2022 (30+12+20)/3 = 20.6667,
-- 2023 55/3 = 18.3333, 2024 38/3 = 12.6667; share done = (actual − 20)/10.
-- Land revived (出库) since 2022: none yet, 0 of 50 mu.
INSERT INTO region_target VALUES ('330604', 'tax_per_mu', 2022, 20, 2025, 30), ('330604', 'revived_mu', 2022, 0, 2024, 50);
SELECT indicator, year, round(actual::numeric, 4) AS actual, round(share_done::numeric, 4) AS share_done
FROM v_target_progress ORDER BY indicator, year;
INSERT INTO region_target VALUES ('330699', 'tax_per_mu', 2022, 20, 2025, 30);
-- a township's target is mu brought out only (v_township_progress); county, city and province targets the rest
INSERT INTO region (code, name, parent_code) VALUES ('330604100', '甲镇', '330604');
INSERT INTO region_target VALUES ('330604100', 'tax_per_mu', 2022, 20, 2025, 30);
INSERT INTO region_target VALUES ('330604', 'tax_per_m', 2022, 20, 2025, 30);
INSERT INTO region_target VALUES ('330604', 'va_per_mu', 2025, 20, 2025, 30);
INSERT INTO region_target VALUES ('330604', 'va_per_mu', 2022, 20, 2025, 20);
INSERT INTO region_target VALUES ('330604', 'va_per_mu', 2022, 'NaN', 2025, 30);
INSERT INTO region_target VALUES ('330604', 'revived_mu', 2022, 5, 2025, 30);

-- What-if: the default rules with an A share of 0.50 (of 3: round(1.5) = 2
-- firms A).  2024 by hand: F1 stays A, F3 moves B → A, F2 stays C.  The
-- evaluation, the register and the rules are the same bytes afterwards.
SELECT rule_set_adopt('default', 'what_if', NULL);
UPDATE rule_pool SET a_share = 0.5 WHERE rule_set_id = 'what_if' AND pool = 'above';
CREATE TEMP TABLE stored AS
SELECT (SELECT md5(string_agg(e::text, '' ORDER BY e.year, e.uscc)) FROM evaluation e) AS evaluation,
       (SELECT md5(string_agg(r::text, '' ORDER BY r.parcel_code)) FROM register r) AS register,
       (SELECT md5(string_agg(s::text, '' ORDER BY s.id)) FROM rule_set s) AS rules;
SELECT f.name, s.current_grade, s.simulated_grade, round(s.current_score::numeric, 4) = round(s.simulated_score::numeric, 4) AS same_score
FROM simulate(2024, 'what_if', '330604') AS s JOIN firm f USING (uscc) ORDER BY f.name;
SELECT move, firms FROM v_simulation_moves ORDER BY move;
SELECT (SELECT md5(string_agg(e::text, '' ORDER BY e.year, e.uscc)) FROM evaluation e) = evaluation AS evaluation_unchanged,
       (SELECT md5(string_agg(r::text, '' ORDER BY r.parcel_code)) FROM register r) = register AS register_unchanged,
       (SELECT md5(string_agg(s::text, '' ORDER BY s.id)) FROM rule_set s) = rules AS rules_unchanged
FROM stored;
SELECT * FROM simulate(2024, 'no_such_rules', '330604');
SELECT * FROM simulate(NULL, 'what_if');
SELECT * FROM simulate(2024, 'what_if', '33060x');

-- Contract compliance of F1's parcel (100.4687 mu): promised 300 万元/亩 of
-- investment, floor-area ratio 1.5, 20 万元/亩 of tax, completion by
-- 2022-06-30.  By hand:
--   2022  investment 25000 / 100.4687 = 248.83 (51.17 short), FAR 1.2 (0.30 short),
--         completed 2022-09-30 (92 days late)
--   2023  investment 31000 → 308.55 kept; FAR 1.4 (0.10 short, 2nd year); still 92 days late (2nd year)
--   2024  FAR 1.6 kept; tax 16 (4 short); 92 days late (3rd year)
UPDATE parcel SET contract_investment_intensity = 300, contract_floor_area_ratio = 1.5, contract_tax_per_mu = 20,
                  contract_completion_date = '2022-06-30'
WHERE code = '330604001001GB00001';
INSERT INTO parcel_progress VALUES ('330604001001GB00001', 2022, 25000, 1.2, '2022-09-30'),
                                   ('330604001001GB00001', 2023, 31000, 1.4, '2022-09-30'),
                                   ('330604001001GB00001', 2024, 31000, 1.6, '2022-09-30');
SELECT year, promise, promise_label, round(committed::numeric, 2) AS committed, round(achieved::numeric, 2) AS achieved,
       round(shortfall::numeric, 2) AS shortfall, years_in_breach, register_state
FROM v_contract_breach ORDER BY year, promise;
-- The county's rule: three years of breach make a parcel 投而未达标.
SELECT rule_set_adopt('default', 'shangyu_contracts', '330604', 2020);
UPDATE rule_set SET breach_years_below_target = 3 WHERE id = 'shangyu_contracts';
SELECT * FROM contract_mark_below_target(2024, '330604');
SELECT evaluate(2024, '330604') AS graded;
SELECT p.land_status, r.state, r.kinds FROM parcel p JOIN register r ON r.parcel_code = p.code
WHERE p.code = '330604001001GB00001';
-- Impossible promises and progress are refused.  (Terse: a parcel's columns
-- come in another order in a database updated from an older version.)
\set VERBOSITY terse
UPDATE parcel SET contract_floor_area_ratio = -1 WHERE code = '330604001001GB00001';
UPDATE parcel SET contract_floor_area_ratio = 50 WHERE code = '330604001001GB00001';
UPDATE parcel SET contract_tax_per_mu = 'Infinity' WHERE code = '330604001001GB00001';
\set VERBOSITY default
INSERT INTO parcel_progress VALUES ('330604001001GB00002', 2024, -5, 1.0, NULL);
INSERT INTO parcel_progress VALUES ('330604001001GB00099', 2024, 5, 1.0, NULL);
SELECT * FROM contract_mark_below_target(NULL);
