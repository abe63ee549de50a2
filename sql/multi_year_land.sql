-- What 桐庐's and 金东's multi-year rules test (rule_set.persistent_low_land,
-- still_below_land): 桐庐's focus is a parcel (20 亩以上、连续三年亩均税收低于
-- 3 万元的地块), 金东's firms with own land (自有用地 20 亩以上三年未上规);
-- 'net' tests a firm's net land (held − leased out + leased in) instead.
-- 桐庐县 (330122), 2022–2024, the same figures each year:
--   A (规下) holds P1 (about 100.5 mu) and leases 90 mu of it to B (规上):
--     A's net land is about 10.5 mu, its tax 20 万元 (about 1.9 万元/亩);
--     B pays 180 万元 on 90 mu (2 万元/亩); P1's 亩均税收 about 2.
--   C (规下) holds P3 and P4 of about 12.2 mu each (24.3 mu), tax 40 万元.
--   D (规下) holds nothing and leases 25 mu of P5 (about 100.5 mu, held by E,
--     规上, tax 1 500 万元), tax 50 万元 (2 万元/亩).
\set VERBOSITY terse
SET search_path = parcel_gov, public;
SET client_min_messages = warning;

INSERT INTO enterprise (uscc, name, region_code) VALUES
  ('91330122MA2D000019', 'A', '330122'), ('91330122MA2D00002C', 'B', '330122'),
  ('91330122MA2D00003F', 'C', '330122'), ('91330122MA2D00004J', 'D', '330122'),
  ('91330122MA2D00005M', 'E', '330122');
INSERT INTO parcel (code, region_code, holder_uscc, geom) VALUES
  ('330122001001GB00001', '330122', '91330122MA2D000019', ST_Multi(ST_MakeEnvelope(119.70, 29.8, 119.7025, 29.8025, 4490))),
  ('330122001001GB00003', '330122', '91330122MA2D00003F', ST_Multi(ST_MakeEnvelope(119.72, 29.8, 119.72087, 29.80087, 4490))),
  ('330122001001GB00004', '330122', '91330122MA2D00003F', ST_Multi(ST_MakeEnvelope(119.73, 29.8, 119.73087, 29.80087, 4490))),
  ('330122001001GB00005', '330122', '91330122MA2D00005M', ST_Multi(ST_MakeEnvelope(119.74, 29.8, 119.7425, 29.8025, 4490)));
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during) VALUES
  ('330122001001GB00001', '91330122MA2D00002C', 90, '[2022-01-01,2025-01-01)'),
  ('330122001001GB00005', '91330122MA2D00004J', 25, '[2022-01-01,2025-01-01)');
SELECT code, round(area_mu::numeric, 1) AS area_mu FROM parcel ORDER BY code;
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT e.uscc, y, t.pool::size_class, t.tax, 100000
FROM enterprise e
JOIN (VALUES ('A', 'below', 20), ('B', 'above', 180), ('C', 'below', 40), ('D', 'below', 50), ('E', 'above', 1500))
     AS t (name, pool, tax) ON t.name = e.name
CROSS JOIN generate_series(2022, 2024) AS y;
-- 桐庐's pools with a line of 1 万元/亩: only the 桐庐 rule can make land low_per_mu here.
SELECT rule_set_adopt('default', 'tonglu', '330122');
UPDATE rule_pool SET low_tax_per_mu = 1 WHERE rule_set_id = 'tonglu';
SELECT persistent_low_land, still_below_land FROM rule_set WHERE id = 'tonglu';
SELECT evaluate(2022, '330122') + evaluate(2023, '330122') + evaluate(2024, '330122') AS graded;

-- The land each rule reads, and the parcels' 亩均税收 (parcel_tax_per_mu is
-- v_parcel_efficiency's figure): P1 (20 + 180) ÷ 100.5 ≈ 1.99, P3 and P4
-- 40 ÷ 24.3 ≈ 1.64 (C's), P5 (1 500 + 50) ÷ 100.5 ≈ 15.4; the same in 2022,
-- nothing in 2021 (not evaluated).
SELECT name, round(held_mu::numeric, 1) AS own, round(area_mu::numeric, 1) AS net, round(tax_per_mu::numeric, 2) AS tax_per_mu, pool
FROM v_enterprise_evaluation WHERE year = 2024 ORDER BY name;
SELECT code, round(tax_per_mu::numeric, 2) AS tax_per_mu,
       round(parcel_tax_per_mu(code, 2024)::numeric, 2) AS by_function, parcel_tax_per_mu(code, 2024) = tax_per_mu AS same,
       round(parcel_tax_per_mu(code, 2022)::numeric, 2) AS in_2022, parcel_tax_per_mu(code, 2021) IS NULL AS none_in_2021
FROM v_parcel_efficiency WHERE year = 2024 ORDER BY code;

-- On the plans' land (parcel, own), by hand:
--   persistent_low_tax: A holds P1 (100 mu ≥ 20, about 2 < 3 three years): true;
--     C's parcels are 12 mu each (< 20): false; B and D hold nothing: false;
--     E's P5 (15.4): false.
--   still_below_3y: A owns 100 mu, 规下: true; C owns 24: true; D owns none: false.
--   The register: P1 low_per_mu (桐庐), P3, P4, P5 not.
SELECT name, persistent_low_tax, still_below_3y FROM v_enterprise_evaluation WHERE year = 2024 ORDER BY name;
SELECT code, kinds_text FROM v_parcel_efficiency WHERE year = 2024 ORDER BY code;
SELECT parcel_code, kinds FROM register ORDER BY parcel_code;

-- On net land (the project's reading before 1.11.0), by hand:
--   persistent_low_tax: A nets 10.5 mu (< 20): false; B nets 90 at 2: true;
--     C nets 24.3 at 1.64: true; D nets 25 at 2: true; E nets 75.5 at 19.9: false.
--   still_below_3y: A nets 10.5: false; C 24.3: true; D 25: true.
--   The register: P1 (holder A: no) keeps its row, its kinds now none;
--   P3, P4 (holder C) enter, low_per_mu; P5 (E) not.
UPDATE rule_set SET persistent_low_land = 'net', still_below_land = 'net' WHERE id = 'tonglu';
SELECT evaluate(2024, '330122') AS graded;
SELECT name, persistent_low_tax, still_below_3y FROM v_enterprise_evaluation WHERE year = 2024 ORDER BY name;
SELECT code, kinds_text FROM v_parcel_efficiency WHERE year = 2024 ORDER BY code;
SELECT parcel_code, kinds FROM register ORDER BY parcel_code;

-- Undecided on the parcel too: 2022 has no 2020 or 2021: A (P1 under the
-- line in 2022) is NULL for both rules, C for 金东's (24.3 mu own, 规下).
UPDATE rule_set SET persistent_low_land = 'parcel', still_below_land = 'own' WHERE id = 'tonglu';
SELECT name, persistent_low_tax, still_below_3y FROM v_enterprise_evaluation WHERE year = 2022 ORDER BY name;
-- Only the plans' readings and net (23514).
UPDATE rule_set SET persistent_low_land = 'own' WHERE id = 'tonglu';
UPDATE rule_set SET still_below_land = 'parcel' WHERE id = 'tonglu';

-- A parcel leased out whole in an earlier year to a firm without results of
-- that year has no 亩均税收 then: its holder is undecided even with its own
-- results of every year.  F (规下, 100 万元) holds P6 (about 100.5 mu) and
-- P8 (about 12.2 mu, under 桐庐's 20); P6 is leased whole to G in 2023
-- alone, and G has no figures of 2023.  H (规下, 100 万元) holds P7 (about
-- 100.5 mu) and leases 90 mu of it to G in 2023: it keeps 10.5 mu, P7's 2023
-- 亩均税收 is H's (100 ÷ 10.5 ≈ 9.55 ≥ 3), decided.  By hand: P6 in 2022 and
-- 2024 is F's 100 ÷ 112.7 ≈ 0.89 < 3 (in 2023 F's is 100 ÷ 12.2 ≈ 8.22, on
-- P8), P6 in 2023 has none: F NULL; H false.  The county's
-- run names F from its own reads (F has both earlier years' results; only
-- P6's 2023 lease makes it a candidate), as the notice's own search does.
INSERT INTO enterprise (uscc, name, region_code) VALUES
  ('91330122MA2D00006Q', 'F', '330122'), ('91330122MA2D00007U', 'G', '330122'),
  ('91330122MA2D00008Y', 'H', '330122');
INSERT INTO parcel (code, region_code, holder_uscc, geom) VALUES
  ('330122001001GB00006', '330122', '91330122MA2D00006Q', ST_Multi(ST_MakeEnvelope(119.75, 29.8, 119.7525, 29.8025, 4490))),
  ('330122001001GB00007', '330122', '91330122MA2D00008Y', ST_Multi(ST_MakeEnvelope(119.76, 29.8, 119.7625, 29.8025, 4490))),
  ('330122001001GB00008', '330122', '91330122MA2D00006Q', ST_Multi(ST_MakeEnvelope(119.77, 29.8, 119.77087, 29.80087, 4490)));
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT code, '91330122MA2D00007U', area_mu, '[2023-01-01,2024-01-01)'::daterange FROM parcel WHERE code = '330122001001GB00006'
UNION ALL
SELECT code, '91330122MA2D00007U', 90, '[2023-01-01,2024-01-01)' FROM parcel WHERE code = '330122001001GB00007';
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT f.uscc, y, 'below', f.tax, 100000
FROM (VALUES ('91330122MA2D00006Q', 100), ('91330122MA2D00008Y', 100), ('91330122MA2D00007U', 50)) AS f (uscc, tax)
CROSS JOIN generate_series(2022, 2024) AS y
WHERE NOT (f.uscc = '91330122MA2D00007U' AND y = 2023);
SELECT evaluate(2022, '330122') + evaluate(2023, '330122') AS graded;
SELECT name, year, round(tax_per_mu::numeric, 2) AS tax_per_mu FROM v_enterprise_evaluation
WHERE name IN ('F', 'H') ORDER BY name, year;
SELECT code, round(parcel_tax_per_mu(code, 2022)::numeric, 2) AS in_2022, round(parcel_tax_per_mu(code, 2023)::numeric, 2) AS in_2023
FROM parcel WHERE code IN ('330122001001GB00006', '330122001001GB00007') ORDER BY code;
SET client_min_messages = notice;
SELECT evaluate(2024, '330122') AS graded;
SELECT notice_multi_year_undecided(2024, '330122') AS undecided_found_again;
-- The province's run (every county at once) names F from its own reads as
-- well, P6's 2023 lease among the leases of the two years before: the
-- notice is called with the run's candidates, its own search is not.
-- (G's electricity changes a row, its 亩均税收 none: a run that changed
-- no row leaves the search to the notice.  Forced, so that every county
-- the database has evaluated, whatever the tests before left, is run at
-- once: a few dirty among many would each be run alone.)
UPDATE enterprise_year SET electricity_kwh = 120000 WHERE year = 2024 AND uscc = '91330122MA2D00007U';
BEGIN;
SET LOCAL track_functions = 'pl';
SELECT evaluate(2024, NULL, true) AS graded_by_the_province;
SELECT funcname, calls FROM pg_stat_xact_user_functions
WHERE schemaname = 'parcel_gov' AND funcname LIKE 'notice_multi_year_%' ORDER BY funcname;
COMMIT;
-- Inputs touched but no row changed: the province's run names none (it
-- would read every firm's results of the two years before, twice a
-- forced rerun), and the notice's own search finds F again.
UPDATE enterprise_year SET tax = tax WHERE year = 2024 AND uscc = '91330122MA2D00006Q';
BEGIN;
SET LOCAL track_functions = 'pl';
SELECT evaluate(2024, NULL, true) AS graded_by_the_province;
-- (the search's calls alone: the candidates' count may still hold the
-- block before's, reported when the session is next idle)
SELECT funcname, calls FROM pg_stat_xact_user_functions
WHERE schemaname = 'parcel_gov' AND funcname = 'notice_multi_year_undecided';
COMMIT;
SET client_min_messages = warning;
SELECT name, persistent_low_tax FROM v_enterprise_evaluation WHERE year = 2024 AND name IN ('F', 'H') ORDER BY name;

\i sql/helpers/reset_data.sql
