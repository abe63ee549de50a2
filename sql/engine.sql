-- The evaluation engine's joins and bookkeeping, on cases built to hit them:
-- the 桐庐 rule deciding on its own, a parcel with two leases, a holder
-- registered in another county, a firm moving county, results guarded from
-- other writers, evaluation_discard(), summaries against the rows they sum,
-- and the register agreeing with v_parcel_efficiency parcel by parcel.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql

-- 上虞区 (330604) and 越城区 (330602) ship with parcel_gov, under 绍兴市.

-- A rule for the city whose 规下 line (1 万元/亩) is under the 桐庐 line (3):
-- a 规下 parcel at 2 万元/亩 is low only if it stayed under 3 three years.
SELECT rule_set_adopt('default', 'engine_test', '3306', 2020);
UPDATE rule_pool SET low_tax_per_mu = 1 WHERE rule_set_id = 'engine_test' AND pool = 'below';

CREATE TEMP TABLE firm (uscc uscc PRIMARY KEY, name text, region text, size_class size_class);
INSERT INTO firm VALUES
  ('91330604MA2B00078Q', 'A', '330604', 'below'),   -- 2 万元/亩 in 2022, 2023, 2024: persistent
  ('91330604MA2B0014XC', 'B', '330604', 'below'),   -- 2 万元/亩 in 2023 and 2024 only
  ('91330604MA2B002118', 'C', '330604', 'above'),   -- holds PC, leased to L1 and L2
  ('91330604MA2B002898', 'L1', '330604', 'below'),  -- leases 10 mu of PC
  ('91330604MA2B00350Y', 'L2', '330604', 'below'),  -- leases 20 mu of PC
  ('91330602MA2B00844R', 'O', '330602', 'above');   -- 越城's firm holding PO in 上虞
INSERT INTO enterprise (uscc, name, region_code) SELECT uscc, name, region FROM firm;

-- Parcels of about 100 mu (0.0025° squares near 29.8°N); PN has no holder.
INSERT INTO parcel (code, region_code, holder_uscc, geom)
SELECT '330604001001GB0000' || n, '330604', f.uscc,
       ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * n, 29.8, 120.8025 + 0.01 * n, 29.8025, 4490))
FROM (VALUES (1, 'A'), (2, 'B'), (3, 'C'), (4, 'O'), (5, NULL)) AS p(n, holder)
LEFT JOIN firm f ON f.name = p.holder;
CREATE TEMP TABLE parcel_of AS
SELECT p.code, coalesce(f.name, 'N') AS name, p.area_mu FROM parcel p LEFT JOIN firm f ON f.uscc = p.holder_uscc;
SELECT name, round(area_mu::numeric, 3) AS mu FROM parcel_of ORDER BY name;

INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT p.code, f.uscc, a, '[2024-01-01,2025-01-01)'
FROM parcel_of p, firm f, (VALUES ('L1', 10), ('L2', 20)) AS l(name, a)
WHERE p.name = 'C' AND f.name = l.name;

-- Figures per mu: A and B 2, C 30 on what it keeps (its parcel less 30 leased mu),
-- L1 and L2 0.5 on their leases, O 0.5.  Staff and energy keep every 规上 indicator defined.
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce,
                             emission_t, electricity_kwh)
SELECT f.uscc, y, f.size_class,
       CASE f.name WHEN 'C' THEN 30 * (p.area_mu - 30) WHEN 'L1' THEN 0.5 * 10 WHEN 'L2' THEN 0.5 * 20
                   ELSE coalesce(CASE f.name WHEN 'O' THEN 0.5 ELSE 2 END * p.area_mu, 0) END,
       1000, 5000, 100, 50, 100, 1, 100000
FROM firm f LEFT JOIN parcel_of p ON p.name = f.name
CROSS JOIN generate_series(2022, 2024) AS y
WHERE NOT (f.name = 'B' AND y = 2022);

-- 上虞 first: O (越城) is not evaluated yet, so PO has no holder evaluation.
SELECT evaluate(2022, '330604') AS g2022, evaluate(2023, '330604') AS g2023, evaluate(2024, '330604') AS g2024;
SELECT o.name, r.kinds FROM register r JOIN parcel_of o ON o.code = r.parcel_code ORDER BY o.name;
-- Then 越城, then 上虞 again: PO learns from O's stored evaluation (outside the run's region).
SELECT evaluate(2022, '330602') + evaluate(2023, '330602') + evaluate(2024, '330602') AS graded_in_yuecheng;
SELECT evaluate(2024, '330604') AS again;
-- A: low by the 桐庐 rule alone (2 ≥ its pool's line of 1); B: two years are not three;
-- C's parcel in 2024: (30 × (A − 30) + 0.5 × 10 + 0.5 × 20) / A, its lessees weighed by their
-- leases (before 2024, no leases: C's own 30 × (A − 30) / A);
-- O's parcel: 0.5 < 6, low; N's: no holder, no figures.
SELECT o.name, v.year, v.kinds, v.batch, v.register_state, v.holder_evaluated,
       round(v.tax_per_mu::numeric, 9) AS tax_per_mu,
       CASE WHEN o.name = 'C' AND v.year = 2024
            THEN abs(v.tax_per_mu - (30 * (o.area_mu - 30) + 15) / o.area_mu) < 1e-12 END AS c_by_hand
FROM v_parcel_efficiency v JOIN parcel_of o ON o.code = v.code
ORDER BY o.name, v.year;
-- The register says what the view says, for every parcel it holds and every parcel with a kind.
SELECT count(*) AS parcels_compared,
       count(*) FILTER (WHERE r.kinds::text[] IS DISTINCT FROM v.kinds OR r.batch::text IS DISTINCT FROM v.batch) AS disagreeing
FROM v_parcel_efficiency v FULL JOIN register r ON r.parcel_code = v.code
WHERE v.year = 2024 AND (r.parcel_code IS NOT NULL OR cardinality(v.kinds) > 0);

-- Each summary is what its rows sum to: counts, tiers, and the per-mu tax as per_mu_agg gives it.
SELECT s.year, s.region_code, s.firms, s.graded, s.grade_a + s.grade_b + s.grade_c + s.grade_d AS by_grade,
       s.tier_1, s.tier_2, s.tier_3, s.tier_0, length(s.rows_digest) AS digest_bytes,
       s.firms = r.firms AND s.graded = r.graded AND s.tier_1 = r.tier_1 AND s.tier_0 = r.tier_0
         AND per_mu_agg_final(s.tax_sums) = r.tax_per_mu AND s.area_sums[1] + s.area_sums[2] = r.area_mu
         AS matches_rows
FROM evaluation_summary s
JOIN (SELECT year, region_code, count(*)::int AS firms, count(grade)::int AS graded,
             count(*) FILTER (WHERE tax_tier(tax_per_mu) = 1)::int AS tier_1,
             count(*) FILTER (WHERE tax_tier(tax_per_mu) = 0)::int AS tier_0,
             per_mu_agg(tax, area_mu) FILTER (WHERE grade IS NOT NULL) AS tax_per_mu,
             sum(area_mu) FILTER (WHERE grade IS NOT NULL) AS area_mu
      FROM evaluation GROUP BY year, region_code) AS r USING (year, region_code)
ORDER BY s.year, s.region_code;
-- The city and the province combine their counties' partial states.
SELECT region_code, level, firms, graded, round(tax_per_mu::numeric, 9) AS tax_per_mu,
       tax_per_mu = (SELECT per_mu_agg(tax, area_mu) FILTER (WHERE grade IS NOT NULL)
                     FROM evaluation WHERE year = 2024) AS as_one_sum
FROM v_region_summary WHERE year = 2024 ORDER BY region_code;

-- Which views can run whole in a parallel worker: under force_parallel_mode a
-- plan (serial at this size) gets a Gather on top only when every node and
-- function in it is parallel safe.  Those that cannot, by design:
-- v_parcel_efficiency looks each parcel's figures up by key (LATERAL, which
-- PostgreSQL 15 keeps in the leader; a county reads several times faster so
-- than by hashing whole tables in parallel), v_park_ranking ranks and v_region_summary
-- compares years with window functions (over a handful of rows, after their
-- scans; v_region_summary counts each region's 入园 firms by LATERAL),
-- v_target_progress sums each target's region and year (LATERAL, a few
-- rows per target, its base taken by a window over them), v_township_progress
-- ranks townships month by month with window functions, v_contract_breach counts years running with
-- window functions and v_firm_plan takes each firm's next grade by LATERAL
-- from its group's lines.  Forced parallel or not, the answer is the same.
-- Only whether a Gather tops the plan is shown: the join under a leader's
-- plan follows statistics that autovacuum may take at any moment (a view's
-- nested loop became a hash join between two runs of the same suite).
VACUUM FULL parcel_gov.region;
ANALYZE parcel_gov.region;
CREATE FUNCTION pg_temp.top_node(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
    RETURN plan -> 0 -> 'Plan' ->> 'Node Type';
END $$;
SET force_parallel_mode = on;
SELECT c.relname AS view, pg_temp.top_node(format('SELECT * FROM parcel_gov.%I', c.relname)) = 'Gather' AS runs_in_worker
FROM pg_class c WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v' ORDER BY 1;
SELECT count(*) AS parcel_years, count(*) FILTER (WHERE cardinality(kinds) > 0) AS with_kinds,
       round(sum(tax_per_mu)::numeric, 6) AS sum_tax_per_mu FROM v_parcel_efficiency;
RESET force_parallel_mode;
SELECT count(*) AS parcel_years, count(*) FILTER (WHERE cardinality(kinds) > 0) AS with_kinds,
       round(sum(tax_per_mu)::numeric, 6) AS sum_tax_per_mu FROM v_parcel_efficiency;

-- Results are written by evaluate() alone (42501), whatever the statement.
UPDATE evaluation SET grade = 'A';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM evaluation_summary;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO evaluation_benchmark SELECT * FROM evaluation_benchmark;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE evaluation;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- evaluation_discard() removes a year of a region; evaluating again brings back the same rows.
CREATE TEMP TABLE before_discard AS SELECT uscc, score, grade, rank FROM evaluation WHERE year = 2024;
SELECT evaluation_discard(2024, '330604') AS removed;
SELECT (SELECT count(*) FROM evaluation WHERE year = 2024) AS rows_2024,
       (SELECT count(*) FROM evaluation_summary WHERE year = 2024) AS summaries_2024,
       (SELECT count(*) FROM evaluation_benchmark WHERE year = 2024 AND region_code = '330604') AS benchmarks_330604;
SELECT evaluate(2024, '330604') AS graded;
SELECT count(*) AS rows_2024,
       count(*) FILTER (WHERE e.score IS DISTINCT FROM b.score OR e.grade IS DISTINCT FROM b.grade
                          OR e.rank IS DISTINCT FROM b.rank) AS differing
FROM before_discard b FULL JOIN (SELECT * FROM evaluation WHERE year = 2024) AS e USING (uscc);
SELECT evaluation_discard(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A rerun on unchanged data writes nothing; its summaries' digests match.
SELECT evaluate(2024, '3306') AS graded;
SELECT changed FROM evaluation_run ORDER BY id DESC LIMIT 1;
-- The whole province's run reads the tables by scans (src/table_rows.c), a
-- region's through queries: on the same data both find the same rows (the
-- same 6 firms graded, no row changed, no register event).
SELECT count(*) AS events_before FROM register_event \gset
SELECT evaluate(2024) AS graded;
SELECT changed FROM evaluation_run ORDER BY id DESC LIMIT 1;
SELECT count(*) - :events_before AS new_events FROM register_event;

-- B moves to 越城: evaluating 越城 moves its row (no second row), and 上虞's
-- summary, beyond that run, is redone from its rows (digest empty until 上虞 runs).
UPDATE enterprise SET region_code = '330602' WHERE name = 'B';
SELECT evaluate(2024, '330602') AS graded;
SELECT e.region_code, count(*) AS rows_of_b FROM evaluation e JOIN firm f USING (uscc)
WHERE f.name = 'B' AND e.year = 2024 GROUP BY 1;
SELECT region_code, firms, length(rows_digest) AS digest_bytes FROM evaluation_summary WHERE year = 2024 ORDER BY 1;
SELECT evaluate(2024, '330604') AS graded;
SELECT region_code, firms, length(rows_digest) AS digest_bytes FROM evaluation_summary WHERE year = 2024 ORDER BY 1;

\i sql/helpers/reset_data.sql
