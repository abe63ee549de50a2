-- The engine's big arrays (a row per firm or parcel: src/big_alloc.c): from
-- 2 MB on each is a mapping of its own, kept when a run ends and reused by
-- the backend's next run, its old contents never read.  A county (义乌,
-- 330782) of 60,000 firms, each holding one parcel, with figures of 2030
-- alone (no other test's year), evaluated in one session:
--   1. the first run maps its arrays; when it is over, they are kept
--      (MADV_FREE: the kernel's "LazyFree" for this backend);
--   2. a forced rerun lands on the kept arrays: the same rows;
--   3. 60,000 more firms: arrays larger than those kept, grown while read
--      (the planner's counts still say 60,000): every firm's 亩均税收 is its
--      tax over its parcel's area, and the county's own run (by queries,
--      not scans) gives the same rows as the province's.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql
\i sql/helpers/with_check.sql

CREATE FUNCTION pg_temp.add_firms(first int, n int) RETURNS void LANGUAGE sql AS $$
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT pg_temp.with_check('91330782MA' || lpad(k::text, 7, '0')), '企业' || k, '330782', 'C3311'
FROM generate_series(first, first + n - 1) AS k;
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT '330782' || lpad((k / 100000)::text, 3, '0') || '001GB' || lpad((k % 100000)::text, 5, '0'), '330782', pg_temp.with_check('91330782MA' || lpad(k::text, 7, '0')),
       ST_Multi(ST_MakeEnvelope(120.0 + 0.001 * (k % 500), 29.3 + 0.001 * (k / 500),
                                120.0005 + 0.001 * (k % 500), 29.3005 + 0.001 * (k / 500), 4490)),
       '2010-06-01'
FROM generate_series(first, first + n - 1) AS k;
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT pg_temp.with_check('91330782MA' || lpad(k::text, 7, '0')), 2030, 'below', 1 + k % 997, 100000
FROM generate_series(first, first + n - 1) AS k;
$$;
SELECT pg_temp.add_firms(1, 60000);
ANALYZE enterprise, parcel, enterprise_year;
-- (what the planner counts stays 60,000 until step 3 is over)
ALTER TABLE enterprise SET (autovacuum_enabled = false);
ALTER TABLE parcel SET (autovacuum_enabled = false);
ALTER TABLE enterprise_year SET (autovacuum_enabled = false);

CREATE FUNCTION pg_temp.results() RETURNS TABLE (uscc text, tax_per_mu float8, score float8, rank int, grade text)
LANGUAGE sql AS $$ SELECT e.uscc, e.tax_per_mu, e.score, e.rank, e.grade::text FROM evaluation e WHERE e.year = 2030 $$;
-- The backend's kept arrays, in kB (the kernel may take them back under
-- memory pressure: none here).
CREATE FUNCTION pg_temp.kept_kb() RETURNS int LANGUAGE sql
RETURN (regexp_match(pg_read_file('/proc/self/smaps_rollup'), 'LazyFree:\s+(\d+) kB'))[1]::int;

-- 1. The first run: 60,000 graded; about 34 MB of firms alone kept after it.
SELECT pg_temp.kept_kb() < 2048 AS none_kept_before;
SELECT evaluate(2030) AS graded;
SELECT pg_temp.kept_kb() >= 32768 AS arrays_kept;
CREATE TEMP TABLE first_run AS SELECT * FROM pg_temp.results();

-- 2. A forced rerun on the kept arrays: no row differs, none changed.
SELECT evaluate(2030, NULL, true) AS graded;
SELECT (SELECT changed FROM evaluation_run ORDER BY id DESC LIMIT 1) AS changed,
       (SELECT count(*) FROM (SELECT * FROM pg_temp.results() EXCEPT SELECT * FROM first_run) d) AS differing;

-- 3. Twice the firms, the statistics not told: arrays grown while read.
SELECT pg_temp.add_firms(60001, 60000);
SELECT evaluate(2030, NULL, true) AS graded;
SELECT count(*) AS firms, count(*) FILTER (WHERE e.tax_per_mu = y.tax / p.area_mu) AS tax_over_area
FROM evaluation e JOIN enterprise_year y ON y.uscc = e.uscc AND y.year = e.year
JOIN parcel p ON p.holder_uscc = e.uscc WHERE e.year = 2030;
CREATE TEMP TABLE province_run AS SELECT * FROM pg_temp.results();
SELECT evaluate(2030, '330782', true) AS graded;
SELECT (SELECT count(*) FROM (SELECT * FROM pg_temp.results() EXCEPT SELECT * FROM province_run) d)
     + (SELECT count(*) FROM (SELECT * FROM province_run EXCEPT SELECT * FROM pg_temp.results()) d) AS differing;

ALTER TABLE enterprise RESET (autovacuum_enabled);
ALTER TABLE parcel RESET (autovacuum_enabled);
ALTER TABLE enterprise_year RESET (autovacuum_enabled);
\i sql/helpers/reset_data.sql
