-- Bulk writes (issue 19 goal 3): a year's new evaluation rows and the
-- register's events are written as COPY writes them (src/bulk_insert.c)
-- when the table allows it, and by INSERT when a row trigger (or row
-- security) needs the executor's row path.  Both give the same rows; the
-- bulk path honours CHECK constraints, unique keys and statement triggers.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(12);
\o /dev/null

-- 1,200 more firms in 上虞, one parcel each (more than a batch of 1,000
-- rows), their tax from 1 to 50 万元 on 3.75 mu: the weakest enter the register.
INSERT INTO parcel_gov.enterprise (uscc, name, region_code)
SELECT '91330604MA' || lpad(n::text, 7, '0') || 'X', '上虞 测试 ' || n, '330604' FROM generate_series(1, 1200) AS n;
INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
SELECT '330604002001GB' || lpad(n::text, 5, '0'), '330604', '91330604MA' || lpad(n::text, 7, '0') || 'X',
       ST_Multi(ST_MakeEnvelope(121.0 + 0.003 * (n % 50), 29.9 + 0.003 * (n / 50),
                                121.0025 + 0.003 * (n % 50), 29.9025 + 0.003 * (n / 50), 4490))
FROM generate_series(1, 1200) AS n;
INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue)
SELECT '91330604MA' || lpad(n::text, 7, '0') || 'X', y.year, 'below', 1 + n % 50, 5 * (1 + n % 50), 20 * (1 + n % 50)
FROM generate_series(1, 1200) AS n CROSS JOIN (VALUES (2024), (2025)) AS y (year);
INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue)
SELECT uscc, 2025, size_class, tax, value_added, revenue FROM parcel_gov.enterprise_year
WHERE year = 2024 AND uscc IN (SELECT uscc FROM county);
-- The engine itself (evaluate() less its notices, which take minutes for a
-- thousand firms), the run's start given.
\set run 'SELECT * FROM parcel_gov.evaluate_run(2025, '''', ''2026-01-02 03:04:05+00'', (SELECT r.tax_tier_bounds FROM parcel_gov.rule_set r WHERE r.id = ''default''))'
SELECT * FROM parcel_gov.evaluate_run(2024, '', '2026-01-02 03:04:05+00', (SELECT r.tax_tier_bounds FROM parcel_gov.rule_set r WHERE r.id = 'default'));

-- The first run of 2025 in bulk: its rows and events as digests (without ids and times).
\set rows_digest 'SELECT count(*) AS n, md5(string_agg((to_jsonb(e) - ''id'' - ''evaluated_at'')::text, ''|'' ORDER BY e.uscc)) AS digest FROM parcel_gov.evaluation e WHERE e.year = 2025'
\set events_digest 'SELECT count(*) AS n, md5(string_agg((to_jsonb(v) - ''id'' - ''at'')::text, ''|'' ORDER BY v.parcel_code, v.step)) AS digest FROM parcel_gov.register_event v WHERE v.reason LIKE ''evaluate(2025)%'''
SAVEPOINT before_2025;
:run;
:rows_digest \gset bulk_rows_
:events_digest \gset bulk_events_
SELECT count(DISTINCT id) AS bulk_ids, count(*) FILTER (WHERE evaluated_at <> '2026-01-02 03:04:05+00') AS bulk_late
FROM parcel_gov.evaluation WHERE year = 2025 \gset
ROLLBACK TO SAVEPOINT before_2025;

-- The same run with a row trigger on each table: the INSERT path, every row seen by the trigger.
CREATE TEMP TABLE seen (tab text, rows bigint);
CREATE FUNCTION pg_temp.seen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO seen VALUES (TG_TABLE_NAME || ' ' || lower(TG_LEVEL), 1);
    RETURN NULL;
END $$;
CREATE TRIGGER test_seen AFTER INSERT ON parcel_gov.evaluation FOR EACH ROW EXECUTE FUNCTION pg_temp.seen();
CREATE TRIGGER test_seen AFTER INSERT ON parcel_gov.register_event FOR EACH ROW EXECUTE FUNCTION pg_temp.seen();
:run;
:rows_digest \gset row_rows_
:events_digest \gset row_events_
\o

-- 1,203 firms: 1,200 above and the three counties' own.
SELECT is(:bulk_rows_n::bigint, 1203::bigint, 'the first run of 2025 writes a row per firm in bulk');
SELECT is(:bulk_ids::bigint, 1203::bigint, 'each with an identity of its own');
SELECT is(:bulk_late::bigint, 0::bigint, 'and the run''s start as evaluated_at');
SELECT is((SELECT count(*) FROM seen WHERE tab = 'evaluation row'), 1203::bigint,
          'with a row trigger on evaluation, the rows go by INSERT, each seen by the trigger');
SELECT is(:'row_rows_digest'::text, :'bulk_rows_digest'::text, 'and they are the rows the bulk path wrote');
-- every register row the run touched: the 2024 entrants learn 2025, and any newcomer enters
SELECT cmp_ok(:bulk_events_n::bigint, '>', 1000::bigint, 'the register''s events of 2025 fill more than a batch');
SELECT is((SELECT count(*) FROM seen WHERE tab = 'register_event row'), :bulk_events_n::bigint,
          'with a row trigger on register_event, the events go by INSERT, each seen by the trigger');
SELECT is(:'row_events_digest'::text, :'bulk_events_digest'::text, 'and they are the events the bulk path wrote');

-- What the bulk path must honour, each tried on the first run of 2025 in bulk.
DROP TRIGGER test_seen ON parcel_gov.evaluation;
DROP TRIGGER test_seen ON parcel_gov.register_event;
CREATE TRIGGER test_seen AFTER INSERT ON parcel_gov.evaluation FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.seen();
\o /dev/null
SELECT parcel_gov.evaluation_discard(2025);
DELETE FROM seen;
:run;
\o
SELECT is((SELECT count(*) FROM seen WHERE tab = 'evaluation statement'), 1::bigint,
          'a statement trigger on evaluation fires once for the rows written in bulk');
SELECT parcel_gov.evaluation_discard(2025) AS discarded \gset
SAVEPOINT checked;
ALTER TABLE parcel_gov.evaluation ADD CONSTRAINT test_before_2025 CHECK (year < 2025) NOT VALID;
SELECT throws_ok(:'run', '23514', NULL, 'a CHECK constraint holds for rows written in bulk');
ROLLBACK TO SAVEPOINT checked;
CREATE UNIQUE INDEX test_one_row_per_firm ON parcel_gov.evaluation (uscc);
SELECT throws_ok(:'run', '23505', NULL, 'a unique index holds for rows written in bulk');
ROLLBACK TO SAVEPOINT checked;
SELECT throws_ok($$INSERT INTO parcel_gov.evaluation (year, uscc, region_code, pool, held_mu, leased_out_mu, leased_in_mu, area_mu, not_graded)
                   VALUES (2025, '91330604MA2B00078Q', '330604', 'below', 1, 0, 0, 1, 'x')$$,
                 '42501', NULL, 'and an INSERT of a result outside evaluate() is still refused');

SELECT * FROM finish();
ROLLBACK;
