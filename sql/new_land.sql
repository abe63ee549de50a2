-- 两高 projects and new land: rule_new_land's lines (default: 上虞 2022 两高
-- ≥ 1000 tce for projects since 2018-01-01, ≥ 5000 before, 100 % 标准地 for
-- land supplied since 2022-01-01; 金东 容积率 ≥ 1.5 since 2021-01-01),
-- v_two_high and v_new_land_failure.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql
SELECT rule_set_id, two_high_since, two_high_tce_since, two_high_tce_before, min_far_since, min_far,
       standard_land_since, source IS NOT NULL AS sourced
FROM rule_new_land WHERE rule_set_id = 'default';
SELECT count(*) = (SELECT count(*) FROM rule_set WHERE builtin) AS every_builtin_has_its_lines FROM rule_new_land;
-- Six firms of 上虞 (330604); a project starts with the earliest supply date
-- of the land the firm holds.  Energy in 2024, by hand:
--   N1 start 2019-05-01 (new)    1200 tce ≥ 1000 → 两高
--   N2 start 2019-05-01 (new)     900 tce < 1000
--   B  start 2018-01-01 (new: on the date) 1000 tce ≥ 1000 → 两高
--   O1 start 2015-03-01 (older)  4000 tce < 5000
--   O2 start 2015-03-01 (older)  5000 tce ≥ 5000 → 两高
--   U  no land, no start (judged as older) 6000 tce ≥ 5000 → 两高
CREATE TEMP TABLE firm (k text, uscc text, energy float8);
INSERT INTO firm VALUES ('N1', '91330604MA2B000612', 1200), ('N2', '91330604MA2B000625', 900),
                        ('B', '91330604MA2B000638', 1000), ('O1', '91330604MA2B00064B', 4000),
                        ('O2', '91330604MA2B00065E', 5000), ('U', '91330604MA2B00066H', 6000);
INSERT INTO enterprise (uscc, name, region_code) SELECT uscc, k, '330604' FROM firm;
INSERT INTO enterprise_year (uscc, year, size_class, energy_tce) SELECT uscc, 2024, 'above', energy FROM firm;
-- Parcels (supply date, the contract's 容积率, the built one, 标准地), by hand
-- against 容积率 ≥ 1.5 from 2021-01-01 and 标准地 from 2022-01-01:
--   1 N1 2019-05-01 1.0  -    -     before both dates: not checked
--   2 N1 2021-03-01 1.2  -    -     容积率 1.2 < 1.5 → fails; 标准地 not yet asked
--   3 N2 2019-05-01 -    -    -     not checked
--   4 B  2018-01-01 -    -    -     not checked
--   5 O1 2015-03-01 -    -    -     not checked
--   6 O2 2015-03-01 -    -    -     not checked
--   7 O2 2022-05-01 1.6  -    true  passes both
--   8 -  2022-05-01 -    1.8  -     built 1.8 passes; not recorded 标准地 → fails
--   9 -  2023-01-01 -    -    true  no 容积率 on record → fails
--  10 -  2021-01-01 1.5  -    -     exactly 1.5 on the first day: passes
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date, contract_floor_area_ratio, floor_area_ratio,
                    standard_land)
SELECT '330604001001GB' || lpad(n::text, 5, '0'), '330604', (SELECT uscc FROM firm WHERE k = h),
       ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * n, 29.8, 120.8025 + 0.01 * n, 29.8025, 4490)), d::date, cfar, far, std
FROM (VALUES (1, 'N1', '2019-05-01', 1.0, NULL, NULL), (2, 'N1', '2021-03-01', 1.2, NULL, NULL),
             (3, 'N2', '2019-05-01', NULL, NULL, NULL), (4, 'B', '2018-01-01', NULL, NULL, NULL),
             (5, 'O1', '2015-03-01', NULL, NULL, NULL), (6, 'O2', '2015-03-01', NULL, NULL, NULL),
             (7, 'O2', '2022-05-01', 1.6, NULL, true), (8, NULL, '2022-05-01', NULL, 1.8, NULL),
             (9, NULL, '2023-01-01', NULL, NULL, true), (10, NULL, '2021-01-01', 1.5, NULL, NULL))
     AS p(n, h, d, cfar, far, std);
SELECT name, year, energy_tce, project_start, new_project, two_high_line_tce, rule_set_id
FROM v_two_high ORDER BY name;
SELECT right(parcel_code, 2) AS parcel, supply_date, floor_area_ratio, min_far, far_below, standard_land,
       not_standard_land, rule_set_id
FROM v_new_land_failure ORDER BY parcel_code;
-- 上虞 adopts the default from 2024 and raises the line for new projects to
-- 1500 tce: N1 (1200) and B (1000) are no longer 两高; parcels supplied
-- before 2024 keep the rules of their year.
SELECT rule_set_adopt('default', 'shangyu_2024', '330604', 2024);
UPDATE rule_new_land SET two_high_tce_since = 1500, source = '上虞区 2024 (test)' WHERE rule_set_id = 'shangyu_2024';
SELECT string_agg(name, ',' ORDER BY name) AS two_high, min(rule_set_id) AS rule_set_id FROM v_two_high;
SELECT count(*) AS failing_parcels FROM v_new_land_failure;
-- A county that turns the 容积率 check off (NULL date) in its own rules for
-- every year sees only 标准地 failures; the default itself is read-only.
SELECT rule_set_adopt('default', 'shangyu', '330604');
UPDATE rule_new_land SET min_far_since = NULL WHERE rule_set_id = 'shangyu';
SELECT string_agg(right(parcel_code, 2) || ':' || rule_set_id, ',' ORDER BY parcel_code) AS failing FROM v_new_land_failure;
\set VERBOSITY verbose
UPDATE rule_new_land SET min_far_since = NULL WHERE rule_set_id = 'default';
\set VERBOSITY default
-- Lines that cannot be applied are refused.
\set VERBOSITY verbose
INSERT INTO rule_new_land (rule_set_id, two_high_since, two_high_tce_since) VALUES ('shangyu_2024', '2018-01-01', 1000);
UPDATE rule_new_land SET min_far = 0 WHERE rule_set_id = 'shangyu_2024';
UPDATE rule_new_land SET two_high_tce_before = 'Infinity' WHERE rule_set_id = 'shangyu_2024';
UPDATE rule_new_land SET min_far = NULL WHERE rule_set_id = 'shangyu_2024';
\set VERBOSITY default
-- Leave the tables empty and the shipped rule sets only, for the tests that
-- follow (some do not empty them first).
\i sql/helpers/reset_data.sql
