-- per_mu_agg and indicators_agg: ratios of sums over the rows with a figure and a non-zero denominator.
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

-- One firm over three years, every rule in play:
--   year 1: tax 30, VA 100, revenue 500,  R&D 10, staff 20, energy 50,   emission 2, kWh 100000, 10 mu
--   year 2: tax 60, VA 200, revenue 1000, R&D 30, staff 30, energy NULL, emission 0, kWh 200000, 10 mu
--   year 3: tax NULL, VA 300, revenue 1500, R&D 50, staff 50, energy 100, emission 3, kWh NULL, 10 mu
--   and water 1000 / NULL / 2000 t, COD 0.5 / 1 / 0 t, main revenue 400 / 800 / 1200
CREATE TEMP TABLE firm_year (year int, tax float8, va float8, revenue float8, rd float8, staff float8,
                             energy float8, emission float8, kwh float8, area float8,
                             water float8, cod float8, main float8);
INSERT INTO firm_year VALUES
  (1, 30, 100,  500, 10, 20,   50, 2, 100000, 10, 1000, 0.5,  400),
  (2, 60, 200, 1000, 30, 30, NULL, 0, 200000, 10, NULL,   1,  800),
  (3, NULL, 300, 1500, 50, 50, 100, 3,  NULL, 10, 2000,   0, 1200);
-- Hand values:
--   area_mu             = 10+10+10                 = 30
--   tax_per_mu          = (30+60)/(10+10)          = 4.5    (year 3: no tax)
--   va_per_mu           = 600/30                   = 20
--   revenue_per_mu      = 3000/30                  = 100
--   labour_productivity = 600/(20+30+50)           = 6
--   va_per_energy       = (100+300)/(50+100)       = 2.666…  (year 2: no energy)
--   va_per_emission     = (100+300)/(2+3)          = 80     (year 2: zero emission adds to neither sum)
--   rd_intensity        = 90/3000                  = 0.03
--   tax_per_kwh         = (30+60)/(100000+200000)  = 0.0003
--   revenue_per_kwh     = (500+1000)/(100000+200000) = 0.005 (year 3: no kWh)
--   va_per_water        = (100+300)/(1000+2000)    = 0.1333… (year 2: no water)
--   va_per_cod          = (100+200)/(0.5+1)        = 200    (year 3: zero COD adds to neither sum)
--   rd_intensity_main   = 90/(400+800+1200)        = 0.0375 (R&D over 主营业务收入)
SELECT (indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, water, cod, main, area)).* FROM firm_year;
-- indicators() of year 1 alone: revenue_per_kwh 500/100000 = 0.005, va_per_water 100/1000 = 0.1,
-- va_per_cod 100/0.5 = 200, rd_intensity_main 10/400 = 0.025
SELECT i.revenue_per_kwh, i.va_per_water, i.va_per_cod, i.rd_intensity_main,
       indicator_value(i, 'va_per_water') AS by_name
FROM firm_year f, indicators(f.tax, f.va, f.revenue, f.rd, f.staff, f.energy, f.emission, f.kwh,
                             f.water, f.cod, f.main, f.area) AS i
WHERE f.year = 1;

-- The same firm with its rows in the other order: identical (sums are exact).
SELECT indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area ORDER BY year DESC)
     = indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area ORDER BY year) AS order_free
FROM firm_year;

-- A single row is its own ratio; an indicator whose denominator is 0 or NULL is NULL.
SELECT (indicators_agg(12, 40, NULL, 3, 0, 8, NULL, 4000, NULL, NULL, NULL, 4)).*;
-- Empty input: NULL, like sum().
SELECT indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area) IS NULL AS empty_is_null
FROM firm_year WHERE false;
-- Rows but no figures: a row of NULLs.
SELECT (indicators_agg(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)).*;
-- Negative tax and value added are real (refunds, losses) and count.
-- tax (-10 + 5)/(5 + 5) = -0.5; VA (10 + 20)/10 = 3.
SELECT (indicators_agg(t, v, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 5)).tax_per_mu AS "-0.5",
       (indicators_agg(t, v, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 5)).va_per_mu AS "3"
FROM (VALUES (-10::float8, 10::float8), (5, 20)) AS x(t, v);

-- Exactness: a million areas of 0.1 mu sum to 100000 exactly, where plain
-- float addition drifts; so the sum is the same whatever the order or split.
SELECT (indicators_agg(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.1)).area_mu AS "100000",
       sum(0.1::float8) AS plain_float_sum
FROM generate_series(1, 1000000);
SELECT (indicators_agg(0.1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.1)).tax_per_mu AS "1"
FROM generate_series(1, 1000000);

-- per_mu_agg: (30,10), (60,10) count; (NULL,10), (5,NULL) and the zero-area (7,0) do not.
SELECT per_mu_agg(amount, area) AS "4.5"
FROM (VALUES (30::float8, 10::float8), (60, 10), (NULL, 10), (5, NULL), (7, 0)) AS t(amount, area);
SELECT per_mu_agg(amount, area) IS NULL AS no_rows FROM (VALUES (1::float8, 0::float8)) AS t(amount, area);
SELECT per_mu_agg(1, 1) IS NULL AS empty_is_null FROM generate_series(1, 0);
-- A pool's benchmark is the ratio of sums, not the mean of ratios:
-- (10 + 90)/(10 + 20) = 3.333…, while (10/10 + 90/20)/2 = 2.75.
SELECT per_mu_agg(tax, area) AS "3.333…", avg(tax / area) AS "mean of ratios 2.75"
FROM (VALUES (10::float8, 10::float8), (90, 20)) AS t(tax, area);

-- Bad input: 22023.
SELECT per_mu_agg(1, -1);
SELECT per_mu_agg('NaN', 1);
SELECT per_mu_agg(1, 'Infinity');
SELECT indicators_agg(1, 1, 1, 1, 1, 1, 1, 1, NULL, NULL, NULL, -0.5);
SELECT indicators_agg(1, 1, 1, 1, -3, 1, 1, 1, NULL, NULL, NULL, 1);
SELECT indicators_agg(1, 1, 1, 1, 1, -1, 1, 1, NULL, NULL, NULL, 1);
SELECT indicators_agg(1, 1, 1, 1, 1, 1, -1, 1, NULL, NULL, NULL, 1);
SELECT indicators_agg(1, 1, -1, 1, 1, 1, 1, 1, NULL, NULL, NULL, 1);
SELECT indicators_agg(1, 1, 1, 1, 1, 1, 1, -1, NULL, NULL, NULL, 1);
SELECT indicators_agg(1, 1, 1, 1, 1, 1, 1, 1, -1, NULL, NULL, 1);
SELECT indicators_agg(1, 1, 1, 1, 1, 1, 1, 1, NULL, -0.1, NULL, 1);
SELECT indicators_agg(1, 1, 1, 1, 1, 1, 1, 1, NULL, NULL, -2, 1);
SELECT indicators_agg('NaN', 1, 1, 1, 1, 1, 1, 1, NULL, NULL, NULL, 1);
SELECT indicators_agg(1, '-Infinity', 1, 1, 1, 1, 1, 1, NULL, NULL, NULL, 1);
-- Sums beyond double precision: 22003.
SELECT per_mu_agg(1e308, 1) FROM generate_series(1, 2);
-- A foreign or damaged state (as could arrive from another node): 22023.
SELECT dd_state_combine('{1,2,3}', '{1,2,3}');
SELECT per_mu_agg_final('{1,0}');
