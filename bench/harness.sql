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
-- when both did the same work (checked once, outside the timings).
CREATE FUNCTION bench.compare(name text, workers int, ours text, plain text, same text,
                              runs int DEFAULT 5) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t_ours float8[] := '{}';
    t_plain float8[] := '{}';
    agree boolean;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    PERFORM bench.time_ms(ours);            -- warm-up: caches, plans
    PERFORM bench.time_ms(plain);
    FOR i IN 1 .. runs LOOP
        t_ours := t_ours || bench.time_ms(ours);
        t_plain := t_plain || bench.time_ms(plain);
    END LOOP;
    EXECUTE same INTO agree;
    INSERT INTO bench.result (name, workers, ours_ms, plain_ms, same)
    SELECT name, workers,
           (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(t_ours) AS t),
           (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(t_plain) AS t),
           coalesce(agree, false);
END $$;
