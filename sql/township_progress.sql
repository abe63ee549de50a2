-- Townships answer for progress (v_township_progress): 上虞 (330604) with
-- four townships of its own, two parcels each (equal 0.0025° squares at
-- 29.8 °N, A = 100.468737 mu each), a revived_mu target of 400 mu for 2024
-- each but 丁镇.  The register's history is written here as a restore
-- writes it (the guards off for the moment), so that its months are fixed:
-- every parcel enters treatment on 10 January 2024, and leaves (出库)
--   甲镇 J1 15 Feb, J2 20 Mar;  乙镇 Y1 5 Apr;  丙镇 B1 1 Mar, B2 10 Apr;
--   丁镇 D1, D2 stay (no target: not ranked).
-- Share of 400 mu done at each month's end (A/400 = 0.251172):
--          Jan    Feb       Mar       Apr       May
--   甲     0      0.251172  0.502344  0.502344  0.502344
--   乙     0      0         0         0.251172  0.251172
--   丙     0      0         0.251172  0.502344  0.502344
-- Ranks (ties share a place; the default rules' last two places = rank > 3 − 2
-- of 3 ranked, summoned after three months running):
--   Jan all 1 (none last);  Feb 甲 1, 乙 2, 丙 2 (乙, 丙 last two);
--   Mar 甲 1, 丙 2, 乙 3 (丙, 乙);  Apr 甲 1, 丙 1, 乙 3 (乙);  May as Apr (乙).
-- 乙 is in the last two Feb, Mar, Apr and May (months running 1, 2, 3, 4):
-- to summon in Apr and May; 丙 only Feb and Mar (1, 2): never.  Mu in treatment at month end: Jan 2A each,
-- Feb 甲 A, Mar 甲 0 and 丙 A, Apr on 乙 A and 丙 0; 丁 2A throughout.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;
SET timezone = 'Asia/Shanghai';
\i sql/helpers/reset_data.sql
INSERT INTO region (code, name, parent_code)
VALUES ('330604100', '甲镇', '330604'), ('330604101', '乙镇', '330604'), ('330604102', '丙镇', '330604'),
       ('330604103', '丁镇', '330604'), ('330602100', '他镇', '330602');
CREATE TEMP TABLE plot (n int, code text, township text, exit_at timestamptz);
INSERT INTO plot VALUES (1, '330604001001GB00001', '330604100', '2024-02-15 10:00'),
                        (2, '330604001001GB00002', '330604100', '2024-03-20 10:00'),
                        (3, '330604001001GB00003', '330604101', '2024-04-05 10:00'),
                        (4, '330604001001GB00004', '330604101', NULL),
                        (5, '330604001001GB00005', '330604102', '2024-03-01 10:00'),
                        (6, '330604001001GB00006', '330604102', '2024-04-10 10:00'),
                        (7, '330604001001GB00007', '330604103', NULL),
                        (8, '330604001001GB00008', '330604103', NULL);
INSERT INTO parcel (code, region_code, township_code, geom)
SELECT code, '330604', township, ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * n, 29.8, 120.8025 + 0.01 * n, 29.8025, 4490))
FROM plot;
SELECT count(DISTINCT round(area_mu::numeric, 6)) AS distinct_areas, round(min(area_mu)::numeric, 6) AS mu FROM parcel;
SET session_replication_role = replica;
INSERT INTO register_event (parcel_code, from_state, to_state, kinds, batch, at, actor, reason, step)
SELECT code, 'registered'::register_state, 'in_treatment'::register_state, '{underused}'::low_efficiency_kind[],
       'rectify_upgrade'::batch, '2024-01-10 10:00'::timestamptz, 'clerk', '整治提升', 1 FROM plot
UNION ALL
SELECT code, 'in_treatment', 'assessing', '{underused}', 'rectify_upgrade', exit_at - interval '1 day', 'clerk', '评估', 2
FROM plot WHERE exit_at IS NOT NULL
UNION ALL
SELECT code, 'assessing', 'exited', '{underused}', 'rectify_upgrade', exit_at, 'clerk', '出库', 3 FROM plot WHERE exit_at IS NOT NULL;
RESET session_replication_role;
INSERT INTO region_target (region_code, indicator, base_year, base_value, target_year, target_value, firm_scope, source)
VALUES ('330604100', 'revived_mu', 2023, 0, 2024, 400, 'all', 'test'), ('330604101', 'revived_mu', 2023, 0, 2024, 400, 'all', 'test'),
       ('330604102', 'revived_mu', 2023, 0, 2024, 400, 'all', 'test');
SELECT month, township_name, round(exited_mu::numeric, 4) AS exited, round(in_treatment_mu::numeric, 4) AS in_treatment,
       target_mu, round(exited_mu_to_date::numeric, 4) AS to_date, round(share_done::numeric, 6) AS share_done,
       township_rank, townships_ranked, in_last_places, last_places_months, to_summon
FROM v_township_progress WHERE month < '2024-06-01' ORDER BY month, township_code;
-- The county's own rules from 2024: the last place only, summoned after two
-- months running.  Feb: nobody ranks below 2 of 3; Mar, Apr, May: 乙 (3rd),
-- months running 1, 2, 3: to summon in Apr and May.
SELECT rule_set_adopt('default', 'shangyu_townships', '330604', 2024);
UPDATE rule_set SET township_last_places = 1, township_summon_months = 2 WHERE id = 'shangyu_townships';
SELECT month, township_name, township_rank, in_last_places, last_places_months, to_summon
FROM v_township_progress WHERE month < '2024-06-01' AND township_rank IS NOT NULL AND township_code = '330604101'
ORDER BY month;
UPDATE rule_set SET township_last_places = 0 WHERE id = 'shangyu_townships';
DELETE FROM rule_set WHERE id = 'shangyu_townships';
-- The months run on to this one; a township target is not a county's (v_target_progress leaves it out).
SELECT max(month) = date_trunc('month', now())::date AS runs_to_this_month FROM v_township_progress;
SELECT count(*) AS township_targets_in_county_view FROM v_target_progress;

-- A parcel's township lies in its county and is a region of nine digits;
-- a township's target is mu brought out, of every kind.  (Terse: the
-- failing row's columns come in another order in a database updated in place.)
\set VERBOSITY terse
UPDATE parcel SET township_code = '330602100' WHERE code = '330604001001GB00001';
UPDATE parcel SET township_code = '330604' WHERE code = '330604001001GB00001';
\set VERBOSITY default
UPDATE parcel SET township_code = '330604199' WHERE code = '330604001001GB00001';
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value)
VALUES ('330604100', 'tax_per_mu', 2023, 2024, 30);
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value, low_efficiency_kind)
VALUES ('330604100', 'revived_mu', 2023, 2025, 30, 'underused');
