-- 差别化措施 (grade-linked measures): a county's measure rows priced from its
-- firms' figures by hand, the county totals, the checks on the rule rows and
-- rule_set_adopt() copying them.
\set SHOW_CONTEXT never
\set VERBOSITY terse
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\set ECHO none
\i sql/helpers/reset_data.sql
\set ECHO all

-- 越城区 (330602), sql/helpers/five_firms.sql: five 规下 firms on 5 equal
-- cells each (5a mu, a ≈ 2.005), 100 000 kWh each, taxes 100, 80, 60, 40, 20
-- 万元, and S, exempt.  Scores 5t/3 (as in firm_plan): F1 A; F2, F3, F4 B;
-- F5 C; S not graded.
\set ECHO none
\i sql/helpers/five_firms.sql
\set ECHO all

-- The default ships the two measures the plans tie to a grade, with their
-- source and no rate (待定: none is published).
SELECT measure, grade, measure_label, basis, rate, cap, source <> '' AS has_source
FROM rule_measure WHERE rule_set_id = 'default' ORDER BY measure;

-- The county's rules for 2024: the default adopted (its two measures copied
-- unpriced), the relief's rate set, and four measures of its own (rates in
-- 万元 per unit: 0.1 元/kWh = 0.00001 万元/kWh).
SELECT rule_set_adopt('default', 'yuecheng_2024', '330602', 2024, 2024);
UPDATE rule_measure SET rate = -0.1, source = 'test'
WHERE rule_set_id = 'yuecheng_2024' AND measure = 'land_use_tax_relief' AND grade = 'A';
INSERT INTO rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source) VALUES
  ('yuecheng_2024', 'electricity_surcharge', 'C', '差别化电价', 'electricity_kwh', 0.00001,  NULL, 'test'),
  ('yuecheng_2024', 'electricity_surcharge', 'B', '差别化电价', 'electricity_kwh', 0.000005, 0.4,  'test'),
  ('yuecheng_2024', 'tax_reward',            'A', '税收奖励', 'tax', -0.05, 3, 'test'),
  ('yuecheng_2024', 'energy_surcharge',      'B', '用能加价', 'energy_tce', 0.01, NULL, 'test');
SELECT evaluate(2024, '330602') AS graded;

-- By hand:
--   F5 (C): 差别化电价 100 000 kWh × 0.00001 = 1 万元 due.
--   F2, F3, F4 (B): 100 000 × 0.000005 = 0.5, capped at 0.4 万元 each;
--     用能加价: no energy figure, amount NULL.
--   F1 (A): 土地使用税减免 −0.1 × 5a mu = −0.5a ≈ −1.0027 万元 relieved;
--     税收奖励 −0.05 × 100 = −5, capped at −3 万元.
--   S: not graded, no measure.
SELECT n.firm, d.grade, d.grade_label, d.measure, d.measure_label, d.basis, d.basis_label,
       round(d.basis_amount::numeric, 4) AS basis_amount, d.rate, d.cap,
       round(d.amount::numeric, 6) AS amount, d.direction, d.direction_label, d.rule_set_id
FROM v_differential_measures d JOIN firm_name n USING (uscc)
ORDER BY n.firm, d.measure;
SELECT d.amount = -0.5 * c.a AS relief_is_half_a_per_cell, d.basis_amount = 5 * c.a AS basis_is_net_land
FROM v_differential_measures d CROSS JOIN cell c WHERE d.measure = 'land_use_tax_relief';

-- County totals: 差别化电价 4 firms, 1 + 3 × 0.4 = 2.2 due; 用能加价 3 firms,
-- none priced, net 0; 土地使用税减免 −0.5a relieved; 税收奖励 −3 relieved.
SELECT region_code, region_name, year, measure, measure_label, firms, firms_priced,
       round(amount_due::numeric, 6) AS amount_due, round(amount_relieved::numeric, 6) AS amount_relieved,
       round(amount_net::numeric, 6) AS amount_net
FROM v_differential_measure_totals ORDER BY measure;

-- The types BI tools read: text and float8, no enums or domains.
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'v_differential_measures'::regclass AND attnum > 0
  AND format_type(atttypid, atttypmod) NOT IN ('text', 'integer', 'double precision');

-- 2025 falls outside yuecheng_2024's years: the default rules grade it, and
-- of their two unpriced measures only the relief for A reaches a firm: F1's
-- row lists 5a mu with no rate, no amount and direction unset (待定).
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh, exempt_reason)
SELECT uscc, 2025, size_class, tax, electricity_kwh, exempt_reason FROM enterprise_year WHERE year = 2024;
SELECT evaluate(2025, '330602') AS graded_2025, rule_set_for('330602', 2025) AS rules_2025;
SELECT n.firm, d.grade, d.measure, round(d.basis_amount::numeric, 4) AS basis_amount, d.rate, d.amount,
       d.direction, d.direction_label, d.rule_set_id
FROM v_differential_measures d JOIN firm_name n USING (uscc) WHERE d.year = 2025;
SELECT measure, firms, firms_priced, amount_due, amount_relieved, amount_net
FROM v_differential_measure_totals WHERE year = 2025;

-- Bad rule rows, each refused with its SQLSTATE.
\set VERBOSITY default
INSERT INTO rule_measure VALUES ('yuecheng_2024', 'water_surcharge', 'D', '差别化水价', 'water_m3', 0.0001, NULL, 'test');
UPDATE rule_measure SET rate = 0 WHERE rule_set_id = 'yuecheng_2024' AND measure = 'electricity_surcharge' AND grade = 'D';
UPDATE rule_measure SET rate = 'NaN' WHERE rule_set_id = 'yuecheng_2024' AND measure = 'electricity_surcharge' AND grade = 'D';
UPDATE rule_measure SET rate = 0.00002, cap = -1 WHERE rule_set_id = 'yuecheng_2024' AND measure = 'electricity_surcharge' AND grade = 'D';
INSERT INTO rule_measure VALUES ('yuecheng_2024', 'Electricity', 'D', '差别化电价', 'electricity_kwh', 0.00002, NULL, 'test');
INSERT INTO rule_measure VALUES ('yuecheng_2024', 'electricity_surcharge', 'C', '差别化电价', 'electricity_kwh', 0.00002, NULL, 'test');
INSERT INTO rule_measure VALUES ('no_such_set', 'electricity_surcharge', 'D', '差别化电价', 'electricity_kwh', 0.00002, NULL, 'test');
-- the shipped rule sets are read-only: a county adopts a copy and prices it
INSERT INTO rule_measure VALUES ('default', 'electricity_surcharge', 'C', '差别化电价', 'electricity_kwh', 0.00002, NULL, 'test');
UPDATE rule_measure SET rate = 0.00002 WHERE rule_set_id = 'default' AND measure = 'electricity_surcharge';

-- rule_set_adopt() copies the measures with the rest; deleting a rule set
-- deletes its measures.
SELECT rule_set_adopt('yuecheng_2024', 'yuecheng_copy', NULL);
SELECT (SELECT count(*) FROM rule_measure WHERE rule_set_id = 'yuecheng_copy') AS copied,
       (SELECT count(*) FROM (SELECT measure, grade, measure_label, basis, rate, cap, source FROM rule_measure WHERE rule_set_id = 'yuecheng_2024'
                              EXCEPT SELECT measure, grade, measure_label, basis, rate, cap, source FROM rule_measure WHERE rule_set_id = 'yuecheng_copy') x) AS differing;
DELETE FROM rule_set WHERE id = 'yuecheng_copy';
SELECT count(*) AS left_over FROM rule_measure WHERE rule_set_id = 'yuecheng_copy';
-- The shipped measures are the default's two, each with its source and no
-- rate (no published rate was found).
SELECT m.rule_set_id, count(*) AS shipped_measures, count(m.rate) AS priced, count(*) FILTER (WHERE m.source <> '') AS sourced
FROM rule_measure m JOIN rule_set r ON r.id = m.rule_set_id WHERE r.builtin GROUP BY m.rule_set_id;
