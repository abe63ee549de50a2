-- bench/generate_province.sql: a province for evaluate(), reproducible from the seed.
--   psql -v parcels=1000000 -v seed=0.42 -f bench/generate_province.sql
-- 90 counties in 11 cities; parcels/2 firms, 98 % holding two parcels each, 2 %
-- leasing land from a holder; three years of figures (2022-2024); a few exempt
-- and vetoed firms.  Loaded into the extension's tables (CGCS2000 geometry).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
SELECT setseed(:seed) \gset

-- (a bench database starts empty; a rerun empties it as the tests do)
\ir ../sql/helpers/reset_data.sql

-- Zhejiang's 90 counties, as parcel_gov ships them (330102 上城区 first).
CREATE TEMP TABLE county AS
SELECT row_number() OVER (ORDER BY code) - 1 AS idx, code
FROM region WHERE shipped AND level = 'county' AND valid_to IS NULL;

-- A GB 32100 check character for a 17-character body.
\ir ../sql/helpers/with_check.sql

CREATE TEMP TABLE firm_plan AS
SELECT n, c.code AS county, pg_temp.with_check('91' || c.code || 'MA' || lpad(n::text, 7, '0')) AS uscc,
       CASE WHEN random() < 0.35 THEN 'above' ELSE 'below' END::size_class AS size_class,
       random() AS strength
FROM generate_series(1, :parcels / 2) AS n
JOIN county c ON c.idx = n % 90;
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, '企业' || n, county, 'C' || (13 + n % 30)::text FROM firm_plan ORDER BY n;

-- Parcels: firm ((i - 1) mod holders) + 1 holds parcel i, laid out on a grid per county.
CREATE TEMP TABLE holders AS SELECT count(*) * 98 / 100 AS n FROM firm_plan;
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT f.county || lpad((i / 100000)::text, 3, '0') || '001GB' || lpad((i % 100000)::text, 5, '0'), f.county, f.uscc,
       ST_Multi(ST_MakeEnvelope(x, y, x + 0.0018 * (0.3 + 0.7 * random()), y + 0.0013 * (0.3 + 0.7 * random()), 4490)),
       date '2003-01-01' + (i % 7000)
FROM generate_series(1, :parcels) AS i
CROSS JOIN holders h
JOIN firm_plan f ON f.n = (i - 1) % h.n + 1
CROSS JOIN LATERAL (SELECT 119.0 + (f.n % 90 % 10) * 0.5 + (i / 90 % 200) * 0.002 AS x,
                           28.0 + (f.n % 90 / 10) * 0.4 + (i / 90 / 200) * 0.0015 AS y) AS g;

-- The other 2 % each lease a third of a different parcel for 2020-2029.
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT t.code, l.uscc, t.area_mu / 3, '[2020-01-01,2030-01-01)'
FROM (SELECT f.uscc, row_number() OVER (ORDER BY f.n) AS k
      FROM firm_plan f CROSS JOIN holders h WHERE f.n > h.n) AS l
JOIN (SELECT code, area_mu, row_number() OVER (ORDER BY code) AS k FROM parcel) AS t ON t.k = l.k * 37;

-- Statistics for the lookups below (without them, enterprise_year's
-- plausibility trigger, when it ran on this insert, planned each firm-year's
-- net land as a scan of every lease: over 13 minutes at 100,000 parcels).
ANALYZE parcel, lease, enterprise;

CREATE TEMP TABLE land AS
SELECT f.n, f.uscc, f.size_class, f.strength,
       coalesce((SELECT sum(area_mu) FROM parcel WHERE holder_uscc = f.uscc), 0)
       + coalesce((SELECT sum(area_mu) FROM lease WHERE lessee_uscc = f.uscc), 0) AS mu
FROM firm_plan f;
-- (the plausibility trigger skipped: it checks each firm-year one at a
-- time, minutes at 1,000,000 parcels; the figures are generated within the
-- default limits)
SET session_replication_role = replica;
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff,
                             energy_tce, emission_t, electricity_kwh, exempt_reason, veto_reason, bonus, deduction)
SELECT l.uscc, y.year, l.size_class, t.tax, t.va, t.revenue,
       CASE WHEN l.size_class = 'above' THEN t.revenue * 0.05 * random() END,
       CASE WHEN l.size_class = 'above' THEN greatest(5, round(t.va / (8 + 22 * random()))) END,
       CASE WHEN l.size_class = 'above' THEN t.va / (0.5 + 4.5 * random()) END,
       CASE WHEN l.size_class = 'above' AND random() > 0.1 THEN t.va / (30 + 170 * random()) END,
       t.revenue * (150 + 150 * random()),
       CASE WHEN l.n % 200 = 0 THEN 'exempt' END,
       CASE WHEN l.n % 500 = 7 THEN 'veto' END,
       CASE WHEN l.n % 37 = 0 THEN 3 ELSE 0 END,
       CASE WHEN l.n % 53 = 0 THEN 2 ELSE 0 END
FROM land l
CROSS JOIN (VALUES (2022), (2023), (2024)) AS y(year)
CROSS JOIN LATERAL (
    SELECT tax, tax * (2.5 + 2.5 * random()) AS va, tax * (2.5 + 2.5 * random()) * (3 + 3 * random()) AS revenue
    FROM (SELECT greatest(l.mu, 1) * (0.85 + 0.4 * random())
                 * CASE WHEN l.size_class = 'above' THEN 2 + 55 * l.strength ^ 1.5 ELSE 0.3 + 22 * l.strength ^ 1.5 END
                 AS tax) AS base
) AS t;

RESET session_replication_role;

VACUUM ANALYZE region, enterprise, parcel, lease, enterprise_year;
