-- bench/harness.sql: times each case against its plain-SQL reference in the
-- same session, alternating the two, and keeps the median of each.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE TABLE bench.result (
    n          serial PRIMARY KEY,
    name       text NOT NULL,
    workers    int NOT NULL,
    ours_ms    float8 NOT NULL,
    plain_ms   float8 NOT NULL,
    same       boolean NOT NULL
);

CREATE FUNCTION bench.time_ms(query text) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz := clock_timestamp();
    ignored record;
BEGIN
    EXECUTE query INTO ignored;
    RETURN extract(epoch FROM clock_timestamp() - started) * 1000;
END $$;

-- ours and plain must each return one row; same is a query returning true
-- when both did the same work (checked once, after the last round, outside
-- the timings).  Each run is a transaction of its own, as in use (a run that
-- writes commits, and the next one starts from there); setup, when given,
-- runs untimed at the start of each round, so both sides of a round see the
-- same data.  Round 0 warms caches and plans and is not kept.
CREATE PROCEDURE bench.compare(name text, workers int, ours text, plain text, same text,
                               runs int DEFAULT 5, setup text DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    t_ours float8[] := '{}';
    t_plain float8[] := '{}';
    t float8;
    agree boolean;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, false);
    FOR i IN 0 .. runs LOOP
        IF setup IS NOT NULL THEN EXECUTE setup; END IF;
        COMMIT;
        t := bench.time_ms(ours);
        COMMIT;
        IF i > 0 THEN t_ours := t_ours || t; END IF;
        t := bench.time_ms(plain);
        COMMIT;
        IF i > 0 THEN t_plain := t_plain || t; END IF;
    END LOOP;
    EXECUTE same INTO agree;
    INSERT INTO bench.result (name, workers, ours_ms, plain_ms, same)
    SELECT name, workers,
           (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(t_ours) AS x),
           (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(t_plain) AS x),
           coalesce(agree, false);
    PERFORM set_config('max_parallel_workers_per_gather', '2', false);
    COMMIT;
END $$;
