-- ratio_score and minmax_score.
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

-- ratio_score = weight × max(0, value / benchmark), capped at cap × weight.
-- 黄岩 2022: an indicator at its benchmark scores exactly its weight (24.097 万元/亩, weight 30).
SELECT ratio_score(24.097, 24.097, 30) AS "30";
SELECT ratio_score(12, 24, 30) AS "15", ratio_score(36, 24, 30) AS "45", ratio_score(0, 24, 30) AS "0";
-- Negative values (tax refunds) floor at 0.
SELECT ratio_score(-5, 24, 30) AS "0";
-- Caps: 72/24 × 30 = 90, capped at 2 × 30 = 60; 36/24 × 30 = 45 stays under the cap.
SELECT ratio_score(72, 24, 30, 2) AS "60", ratio_score(36, 24, 30, 2) AS "45", ratio_score(72, 24, 30, NULL) AS "90";
-- A missing value scores NULL (the rule decides what a missing indicator gets).
SELECT ratio_score(NULL, 24, 30) IS NULL AS null_value, ratio_score(1, NULL, 30) IS NULL AS null_benchmark,
       ratio_score(1, 24, NULL) IS NULL AS null_weight;
-- Bad input: 22023.
SELECT ratio_score(10, 0, 30);
SELECT ratio_score(10, -2, 30);
SELECT ratio_score('NaN', 24, 30);
SELECT ratio_score(10, 'Infinity', 30);
SELECT ratio_score(10, 24, -30);
SELECT ratio_score(10, 24, 30, -1);
SELECT ratio_score(10, 24, 30, 'NaN');
-- Beyond double precision: 22003.
SELECT ratio_score(1e308, 1e-10, 30);

-- minmax_score = weight × (20 + 80 × (value − lo)/(hi − lo)) / 100, clamped.
-- Midway: 20 × (20 + 40)/100 = 12; at lo: 0.2 × 20 = 4; at hi: 20;
-- a quarter of the way: 10 × (20 + 80 × 0.25)/100 = 4.
SELECT minmax_score(50, 0, 100, 20) AS "12", minmax_score(0, 0, 100, 20) AS "4",
       minmax_score(100, 0, 100, 20) AS "20", minmax_score(75, 50, 150, 10) AS "4";
-- Outside the range: clamped.
SELECT minmax_score(-10, 0, 100, 20) AS "4", minmax_score(130, 0, 100, 20) AS "20";
-- Every firm equal (hi = lo): at or above it the full weight, below it the floor.
SELECT minmax_score(7, 7, 7, 20) AS "20", minmax_score(6, 7, 7, 20) AS "4";
-- Extreme but finite ranges do not overflow: midway is still 60 % of the weight.
SELECT minmax_score(0, -1e308, 1e308, 10) AS "6";
SELECT minmax_score(NULL, 0, 1, 10) IS NULL AS null_in_null_out;
-- Bad input: 22023.
SELECT minmax_score(5, 10, 0, 20);
SELECT minmax_score('NaN', 0, 10, 20);
SELECT minmax_score(5, '-Infinity', 10, 20);
SELECT minmax_score(5, 0, 10, -1);
