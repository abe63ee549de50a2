-- bench/generate.sql: the benchmark's data, the same for every run with the same seed.
--   psql -v rows=1000000 -v seed=0.42 -f bench/generate.sql
-- firm_year_float and firm_year_numeric hold the same figures (4 decimals), in
-- float8 (as parcel_gov stores them) and in numeric (as analysts often do).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

SELECT setseed(:seed);

-- Two years per firm; 180 pools = 90 counties × 规上/规下.  Some figures are
-- missing or zero as in real returns: they exercise the row rules.
CREATE TABLE bench.firm_year_numeric AS
SELECT i AS id,
       (i - 1) / 2 AS firm,
       ((i - 1) / 2) % 180 AS pool,
       CASE WHEN random() < 0.02 THEN NULL ELSE round((random() * 400 - 10)::numeric, 4) END AS tax,
       round((random() * 2000)::numeric, 4) AS value_added,
       round((random() * 9000 + 1)::numeric, 4) AS revenue,
       round((random() * 300)::numeric, 4) AS rd_expense,
       CASE WHEN random() < 0.01 THEN NULL ELSE floor(random() * 500 + 1)::numeric END AS staff,
       CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * 3000)::numeric, 4) END AS energy_tce,
       CASE WHEN random() < 0.10 THEN 0 ELSE round((random() * 50)::numeric, 4) END AS emission_t,
       CASE WHEN random() < 0.03 THEN NULL ELSE round((random() * 5e6)::numeric, 4) END AS electricity_kwh,
       round((random() * 150 + 1)::numeric, 4) AS area_mu
FROM generate_series(1, :rows) AS i;

CREATE TABLE bench.firm_year_float AS
SELECT id, firm, pool, tax::float8, value_added::float8, revenue::float8, rd_expense::float8,
       staff::float8, energy_tce::float8, emission_t::float8, electricity_kwh::float8, area_mu::float8
FROM bench.firm_year_numeric ORDER BY id;

-- Scores to grade: many ties (two decimals) and 1 % missing.
CREATE TABLE bench.scores AS
SELECT i AS id, i % 180 AS pool,
       CASE WHEN random() < 0.01 THEN NULL ELSE round((random() * 150)::numeric, 2)::float8 END AS score
FROM generate_series(1, :rows) AS i;

VACUUM ANALYZE bench.firm_year_numeric;
VACUUM ANALYZE bench.firm_year_float;
VACUUM ANALYZE bench.scores;
