-- The aggregates split across parallel workers and give the serial answer.
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

CREATE TABLE parallel_firm_year AS
SELECT i AS id, i % 500 AS firm, i % 3 AS pool,
       ((i * 37) % 1000) / 7.0 AS tax, ((i * 53) % 2000) / 3.0 AS va,
       ((i * 71) % 5000) + 0.1 AS revenue, ((i * 13) % 90) / 9.0 AS rd,
       CASE WHEN i % 17 = 0 THEN NULL ELSE (i % 40) + 1 END::float8 AS staff,
       ((i * 29) % 300) / 11.0 AS energy, CASE WHEN i % 5 = 0 THEN 0 ELSE (i % 7) * 0.3 END AS emission,
       ((i * 101) % 100000)::float8 AS kwh, ((i * 19) % 60) / 3.0 + 0.5 AS area
FROM generate_series(1, 20000) AS i;
ANALYZE parallel_firm_year;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_answer AS
SELECT pool, per_mu_agg(tax, area) AS per_mu,
       indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area) AS ind
FROM parallel_firm_year GROUP BY pool;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;

EXPLAIN (COSTS OFF)
SELECT per_mu_agg(tax, area), indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area)
FROM parallel_firm_year;

EXPLAIN (COSTS OFF)
SELECT pool, per_mu_agg(tax, area), indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area)
FROM parallel_firm_year GROUP BY pool;

-- Parallel equals serial exactly, per pool.
SELECT count(*) AS pools,
       count(*) FILTER (WHERE p.per_mu = s.per_mu AND p.ind = s.ind) AS identical
FROM (SELECT pool, per_mu_agg(tax, area) AS per_mu,
             indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area) AS ind
      FROM parallel_firm_year GROUP BY pool) AS p
JOIN serial_answer s USING (pool);

-- And the values are the exact ratios of sums (computed in numeric) to 1e-12.
SELECT count(*) FILTER (WHERE abs((s.ind).tax_per_mu / r.tax_per_mu - 1) < 1e-12
                          AND abs((s.ind).labour_productivity / r.labour_productivity - 1) < 1e-12
                          AND abs((s.ind).va_per_emission / r.va_per_emission - 1) < 1e-12
                          AND abs(s.per_mu / r.tax_per_mu - 1) < 1e-12) AS pools_exact
FROM serial_answer s
JOIN (SELECT pool,
             (sum(tax::numeric) / sum(area::numeric))::float8 AS tax_per_mu,
             (sum(va::numeric) FILTER (WHERE staff <> 0) / sum(staff::numeric) FILTER (WHERE staff <> 0))::float8
               AS labour_productivity,
             (sum(va::numeric) FILTER (WHERE emission <> 0) / sum(emission::numeric) FILTER (WHERE emission <> 0))::float8
               AS va_per_emission
      FROM parallel_firm_year GROUP BY pool) AS r USING (pool);

-- Partitionwise aggregation runs the combine function across partitions too.
CREATE TABLE parallel_parts (pool int, tax float8, area float8) PARTITION BY LIST (pool);
CREATE TABLE parallel_parts_0 PARTITION OF parallel_parts FOR VALUES IN (0);
CREATE TABLE parallel_parts_1 PARTITION OF parallel_parts FOR VALUES IN (1, 2);
INSERT INTO parallel_parts SELECT pool, tax, area FROM parallel_firm_year;
ANALYZE parallel_parts;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT per_mu_agg(tax, area) FROM parallel_parts;
SELECT per_mu_agg(tax, area) = (SELECT per_mu_agg(tax, area) FROM parallel_firm_year) AS partitionwise_same
FROM parallel_parts;

RESET force_parallel_mode;
DROP TABLE parallel_parts;
DROP TABLE parallel_firm_year;
