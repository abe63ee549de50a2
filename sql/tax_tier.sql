-- Per-mu tax tiers (Shaoxing/Shengzhou 5/10/15 万元/亩).
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

-- Default bounds {5,10,15}: under 5 → 1 (重点排查), under 10 → 2 (重点检查),
-- under 15 → 3 (重点指导), at or above 15 → 0.  A bound itself belongs to the next tier.
SELECT t AS tax_per_mu, tax_tier(t) AS tier, tier_label(tax_tier(t)) AS label
FROM unnest(ARRAY[-3, 0, 4.999, 5, 9.999, 10, 14.999, 15, 100]::float8[]) AS t;
-- A county's own bounds (Jindong: under 3 万元/亩; Tonglu 2023: under 5).
SELECT tax_tier(2.99, '{3}') AS "1", tax_tier(3, '{3}') AS "0",
       tax_tier(4, '{3,5}') AS "2", tax_tier(6, '{3,5}') AS "0";
-- A figure exactly on a bound, under both readings of 以下 (a rule set's
-- tax_tier_includes_bound): under (false) puts 5 in tier 2, 以下 including
-- the bound (true) in tier 1; 15 is 0 (达标) or 3 (重点指导).  Off the bounds
-- the readings agree.
SELECT t AS tax_per_mu, tax_tier(t, '{5,10,15}', false) AS under, tax_tier(t, '{5,10,15}', true) AS includes_bound
FROM unnest(ARRAY[4.99, 5, 5.01, 10, 15, 15.01]::float8[]) AS t;
SELECT tax_tier(1, NULL, true) IS NULL AS null_bounds, tax_tier(1, '{5,10,15}', NULL) IS NULL AS null_reading;
SELECT tax_tier(1, '{10,5}', true);
-- NULL tax (no data) has no tier; NULL bounds too.
SELECT tax_tier(NULL) IS NULL AS null_tax, tax_tier(1, NULL) IS NULL AS null_bounds;
SELECT tier_label(NULL) IS NULL AS null_label, tier_label(7) IS NULL AS unknown_tier;
-- Bad input: 22023.
SELECT tax_tier('NaN');
SELECT tax_tier('Infinity');
SELECT tax_tier(1, '{10,5}');
SELECT tax_tier(1, '{5,5,15}');
SELECT tax_tier(1, '{}');
SELECT tax_tier(1, '{5,NULL,15}');
SELECT tax_tier(1, '{{5,10},{15,20}}');
SELECT tax_tier(1, '{5,NaN}');
SELECT tax_tier(1, '{-Infinity,5}');
