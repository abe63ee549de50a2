-- Units: 1 mu = 2000/3 m2 exactly; per-mu figures.
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

-- Hand values: 2000 m2 = 3 mu; 1 ha = 10000 m2 = 15 mu; 20000 m2 = 30 mu.
SELECT sqm_to_mu(2000) AS "3", sqm_to_mu(10000) AS "15", sqm_to_mu(20000) AS "30",
       sqm_to_mu(1000) AS "1.5", sqm_to_mu(0) AS "0";
-- Sign-preserving, so a difference of areas converts too.
SELECT sqm_to_mu(-2000) AS "-3", mu_to_sqm(-3) AS "-2000";
-- 15 mu = 10000 m2; 1 mu = 666.666... m2 (never a rounded 666.67).
SELECT mu_to_sqm(15) AS "10000", mu_to_sqm(3) AS "2000", mu_to_sqm(1) AS "666.67 never";
SELECT mu_to_sqm(1) = 2000.0 / 3 AS exact_two_thirds_of_2000;
-- Whole square metres convert correctly rounded (one rounding): 1 m2 = 0.0015 mu.
SELECT sqm_to_mu(1) AS "0.0015", sqm_to_mu(1) = 0.0015::float8 AS exact;
-- Round trip over a range of magnitudes.
SELECT count(*) FILTER (WHERE abs(sqm_to_mu(mu_to_sqm(x)) - x) <= 1e-15 * abs(x)) AS round_trips_of_7
FROM unnest(ARRAY[1e-6, 0.5, 1, 3, 17.25, 12345.678, 1e12]::float8[]) AS x;
-- Huge but finite values do not overflow on the way (divide first).
SELECT sqm_to_mu(1e308) AS "1.5e305", mu_to_sqm(1e305) AS "6.666e307";
-- NULL in, NULL out (STRICT).
SELECT sqm_to_mu(NULL) IS NULL AS null_sqm, mu_to_sqm(NULL) IS NULL AS null_mu;
-- Not finite: 22023.
SELECT sqm_to_mu('NaN');
SELECT sqm_to_mu('Infinity');
SELECT mu_to_sqm('-Infinity');
-- A result beyond double precision: 22003.
SELECT mu_to_sqm(1e308);

-- per_mu: 亩均税收 = tax / mu.  300 万元 on 20 mu = 15 万元/亩.
SELECT per_mu(300, 20) AS "15", per_mu(1, 3) AS "0.333…", per_mu(0, 5) AS "0";
-- Negative amounts are real (VAT credit refunds exceed payments): -6 万元 on 2 mu.
SELECT per_mu(-6, 2) AS "-3";
-- Area from square metres: 45 万元 on 6000 m2 (9 mu) = 5 万元/亩.
SELECT per_mu(45, sqm_to_mu(6000)) AS "5";
SELECT per_mu(NULL, 1) IS NULL AS null_amount, per_mu(1, NULL) IS NULL AS null_area;
-- Bad areas and amounts: 22023.
SELECT per_mu(10, 0);
SELECT per_mu(10, -2);
SELECT per_mu(10, 'NaN');
SELECT per_mu(10, 'Infinity');
SELECT per_mu('NaN', 10);
SELECT per_mu('-Infinity', 10);
-- Overflow: 22003.
SELECT per_mu(1e308, 1e-10);
