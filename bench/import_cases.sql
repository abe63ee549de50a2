-- bench/import_cases.sql: import_parcels() as a county clerk runs it, on a
-- county of its own in the province's database: the bureau's file as
-- ogr2ogr leaves it (Gauss-Krüger metres; holders by name, some by USCC;
-- 土地用途 codes and names; 面积 in m²) with the faults real files have
-- (repeated and foreign codes, bow-ties, areas 20 % off, unknown holders and
-- land uses, two firms of one name, codes of the county it superseded).
-- 3,000 and 30,000 parcels by a county clerk; 30,000 by the province
-- (parcel_gov_admin: the county's per-row write checks let it through at
-- once), also with one geometry PostGIS cannot reproject (the halving that
-- finds it).  Each against a bare INSERT … SELECT of the rows the import
-- stored, with the holders it linked, by the same role (no checks, no
-- report): the cost of the checks.  Medians of 5 runs (3 for the clerk's
-- 30,000) after a warm-up; "same answer" when the import stored exactly the
-- rows the bare insert did.
--   psql -f bench/harness.sql -f bench/import_cases.sql   (on a running cluster; -v runs=N: N rounds a case)
\set ON_ERROR_STOP on
SET client_min_messages = warning;

INSERT INTO parcel_gov.region (code, name) VALUES ('339950', '基准县') ON CONFLICT DO NOTHING;
INSERT INTO parcel_gov.region (code, name, valid_to, superseded_by)
VALUES ('339951', '基准县 (旧)', '2013-10-18', '339950') ON CONFLICT DO NOTHING;
-- A county clerk (an operator granted the county) and a province operator
-- (parcel_gov_admin, whom the county's write checks let through at once).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_clerk') THEN
        CREATE ROLE bench_clerk IN ROLE parcel_gov_operator;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_province') THEN
        CREATE ROLE bench_province IN ROLE parcel_gov_admin;
    END IF;
END $$;
SELECT parcel_gov.region_grant('bench_clerk', '339950') \gset
GRANT USAGE ON SCHEMA bench TO bench_clerk, bench_province;

-- A GB 32100 check character for a 17-character body.
CREATE OR REPLACE FUNCTION bench.with_check(body text) RETURNS text LANGUAGE sql IMMUTABLE
RETURN body || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
  (31 - (SELECT sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(body, k, 1)) - 1)
                    * (power(3, k - 1)::bigint % 31)) FROM generate_series(1, 17) AS k) % 31)::int % 31 + 1, 1);

-- 10,000 firms of the county: every tenth a 集团 (stored with full-width
-- brackets, written with ASCII ones in the file), every hundredth entered
-- twice (a second code, the name with a space: two firms of one name).
DELETE FROM parcel_gov.parcel WHERE region_code = '339950';
DELETE FROM parcel_gov.enterprise WHERE region_code = '339950';
INSERT INTO parcel_gov.enterprise (uscc, name, region_code)
SELECT bench.with_check('91339950MA' || lpad(i::text, 7, '0')),
       '基准县企业' || i || CASE WHEN i % 10 = 1 THEN '（集团）' ELSE '' END || '有限公司', '339950'
FROM generate_series(1, 10000) AS i
UNION ALL
SELECT bench.with_check('91339950MB' || lpad(i::text, 7, '0')), '基准县企业' || i || ' 有限公司', '339950'
FROM generate_series(100, 10000, 100) AS i;

-- The file: row n's parcel is a 100 m square on a 120 m grid east of 583 000.
CREATE OR REPLACE FUNCTION bench.staged_file(parcels int, unprojectable int DEFAULT NULL)
RETURNS TABLE (ogc_fid int, zddm varchar, qlr varchar, tdyt varchar, mj numeric(24, 15), good boolean,
               wkb_geometry geometry(Polygon, 4549))
LANGUAGE sql IMMUTABLE AS $$
SELECT n,
       (CASE WHEN n % 200 = 11 THEN '339901' WHEN n % 50 = 19 THEN '339951' ELSE '339950' END)
         || '001001GB' || lpad((CASE WHEN n % 200 = 7 THEN n - 1 ELSE n END)::text, 5, '0'),
       CASE WHEN n % 20 = 0 THEN NULL
            WHEN n % 97 = 5 THEN '丰惠机械厂' || n
            WHEN n % 3 = 0 THEN bench.with_check('91339950MA' || lpad((n % 10000 + 1)::text, 7, '0'))
            ELSE '基准县企业' || (n % 10000 + 1) || CASE WHEN (n % 10000 + 1) % 10 = 1 THEN '(集团)' ELSE '' END || '有限公司' END,
       CASE WHEN n % 250 = 3 THEN '9999' ELSE (ARRAY['0601', '0602', '0604', '工业用地', '0601工业用地'])[n % 5 + 1] END,
       CASE WHEN n % 100 = 17 THEN 12000 WHEN n % 100 = 13 THEN 5000 ELSE 10000 END,
       n % 200 NOT IN (7, 11) AND n IS DISTINCT FROM unprojectable,
       CASE WHEN n = unprojectable
            THEN ST_MakeEnvelope(20583000, 3340000, 20583100, 3340100, 4549)
            WHEN n % 100 = 13
            THEN ST_SetSRID(format('POLYGON((%1$s %2$s, %3$s %4$s, %3$s %2$s, %1$s %4$s, %1$s %2$s))',
                                   583000 + 120 * (n % 150), 3340000 + 120 * (n / 150),
                                   583100 + 120 * (n % 150), 3340100 + 120 * (n / 150))::geometry, 4549)
            ELSE ST_MakeEnvelope(583000 + 120 * (n % 150), 3340000 + 120 * (n / 150),
                                 583100 + 120 * (n % 150), 3340100 + 120 * (n / 150), 4549) END
FROM generate_series(1, parcels) AS n
$$;
-- Each file is a table of the role that imports it, as the import requires.
DROP TABLE IF EXISTS bench.zd_3000, bench.zd_30000, bench.zd_30000_province, bench.zd_30000_unprojectable;
CREATE TABLE bench.zd_3000 AS SELECT * FROM bench.staged_file(3000);
CREATE TABLE bench.zd_30000 AS SELECT * FROM bench.staged_file(30000);
CREATE TABLE bench.zd_30000_province AS TABLE bench.zd_30000;
CREATE TABLE bench.zd_30000_unprojectable AS SELECT * FROM bench.staged_file(30000, 15000);
ALTER TABLE bench.zd_3000 OWNER TO bench_clerk;
ALTER TABLE bench.zd_30000 OWNER TO bench_clerk;
ALTER TABLE bench.zd_30000_province OWNER TO bench_province;
ALTER TABLE bench.zd_30000_unprojectable OWNER TO bench_province;
ANALYZE bench.zd_3000, bench.zd_30000, bench.zd_30000_province, bench.zd_30000_unprojectable;

-- The import as a role; its outcomes, counted.
CREATE OR REPLACE FUNCTION bench.import_as(who name, staging regclass) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    outcomes text;
BEGIN
    PERFORM set_config('role', who, true);
    SELECT string_agg(o.outcome || ' ' || o.n, ', ' ORDER BY o.outcome) INTO outcomes
    FROM (SELECT i.outcome, count(*) AS n
          FROM parcel_gov.import_parcels(staging, '339950', 'zddm', 'qlr', land_use_column => 'tdyt',
                                         land_use_schemes => '{GB/T 21010-2017}',
                                         area_column => 'mj', area_unit => '平方米') AS i
          GROUP BY i.outcome) AS o;
    PERFORM set_config('role', 'none', true);
    RETURN outcomes;
END $$;
-- The rows the import stored, inserted bare by the same role with the same
-- holders (bench.linked, from the warm-up's import): geometry made valid,
-- parcel refuses a bow-tie's area; no other check, no report.
CREATE TABLE IF NOT EXISTS bench.linked (code text PRIMARY KEY, holder_uscc text);
GRANT SELECT ON bench.linked TO bench_clerk, bench_province;
CREATE OR REPLACE FUNCTION bench.insert_as(who name, staging regclass) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    rows bigint;
BEGIN
    PERFORM set_config('role', who, true);
    EXECUTE format('INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
                    SELECT s.zddm, %L, l.holder_uscc,
                           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(s.wkb_geometry, 4490)), 3))
                    FROM %s s JOIN bench.linked l ON l.code = s.zddm WHERE s.good', '339950', staging);
    GET DIAGNOSTICS rows = ROW_COUNT;
    PERFORM set_config('role', 'none', true);
    RETURN rows;
END $$;

CREATE TABLE IF NOT EXISTS bench.import_outcome (name text PRIMARY KEY, parcels int, ms float8, outcomes text);
-- Round 0 warms up (and keeps what the import linked); then runs rounds of
-- the import and the bare insert, each on the county emptied.
CREATE OR REPLACE PROCEDURE bench.import_case(name text, staging regclass, who name, runs int)
LANGUAGE plpgsql AS $$
DECLARE
    t_ours float8[] := '{}';
    t_plain float8[] := '{}';
    t float8;
    started timestamptz;
    stored bigint;
    inserted bigint;
    outcomes text;
BEGIN
    FOR i IN 0 .. runs LOOP
        DELETE FROM parcel_gov.parcel WHERE region_code = '339950';
        COMMIT;
        started := clock_timestamp();
        outcomes := bench.import_as(who, staging);
        t := extract(epoch FROM clock_timestamp() - started) * 1000;
        COMMIT;
        IF i = 0 THEN
            TRUNCATE bench.linked;
            INSERT INTO bench.linked SELECT p.code, p.holder_uscc FROM parcel_gov.parcel p WHERE p.region_code = '339950';
        END IF;
        SELECT count(*) INTO stored FROM parcel_gov.parcel WHERE region_code = '339950';
        IF i > 0 THEN t_ours := t_ours || t; END IF;
        DELETE FROM parcel_gov.parcel WHERE region_code = '339950';
        COMMIT;
        started := clock_timestamp();
        inserted := bench.insert_as(who, staging);
        t := extract(epoch FROM clock_timestamp() - started) * 1000;
        COMMIT;
        IF i > 0 THEN t_plain := t_plain || t; END IF;
    END LOOP;
    INSERT INTO bench.result (name, workers, ours_ms, plain_ms, same)
    SELECT name, 0,
           (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(t_ours) AS x),
           (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(t_plain) AS x),
           stored = inserted;
    EXECUTE format('SELECT count(*) FROM %s', staging) INTO stored;
    INSERT INTO bench.import_outcome
    VALUES (name, stored, (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(t_ours) AS x), outcomes)
    ON CONFLICT ON CONSTRAINT import_outcome_pkey DO UPDATE SET parcels = EXCLUDED.parcels, ms = EXCLUDED.ms,
                                                                outcomes = EXCLUDED.outcomes;
    DELETE FROM parcel_gov.parcel WHERE region_code = '339950';
    COMMIT;
END $$;

-- runs: the rounds of every case (psql -v runs=1 for a quick look); else 5, 3 for the clerk's 30,000
\if :{?runs}
\set runs_30000 :runs
\else
\set runs 5
\set runs_30000 3
\endif
CALL bench.import_case('import_parcels: 3,000 parcels, a county clerk, vs the bare INSERT', 'bench.zd_3000', 'bench_clerk', :runs);
CALL bench.import_case('import_parcels: 30,000 parcels, a county clerk, vs the bare INSERT', 'bench.zd_30000', 'bench_clerk', :runs_30000);
CALL bench.import_case('import_parcels: 30,000 parcels, the province, vs the bare INSERT', 'bench.zd_30000_province', 'bench_province', :runs);
CALL bench.import_case('import_parcels: 30,000 parcels, one that cannot be reprojected, the province, vs the bare INSERT',
                       'bench.zd_30000_unprojectable', 'bench_province', :runs);

\pset footer off
SELECT name AS "case", parcels, round((ms / 1000)::numeric, 2) AS "import s (median)", outcomes
FROM bench.import_outcome ORDER BY parcels, name;
