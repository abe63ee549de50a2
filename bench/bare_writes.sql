-- bench/bare_writes.sql: the writes a new year's first run cannot avoid,
-- without the engine: the year's evaluation rows inserted into a table
-- like parcel_gov.evaluation (its columns, defaults and four indexes, no
-- triggers or policies) holding the years evaluated so far; the register's
-- active rows given the new evaluated year in a table like
-- parcel_gov.register (its three indexes); and, since every change of a
-- register row writes exactly one event, an event for each into a table
-- like parcel_gov.register_event (its three indexes).  No summaries, no
-- change marks, no checks, no reading of inputs: what any program storing
-- the same results in the same tables would at least pay.
-- speed_cases.sql times it against the lean query, as the floor of a first
-- run.
CREATE TABLE bench.bare_evaluation (LIKE parcel_gov.evaluation INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES);
CREATE TABLE bench.bare_register (LIKE parcel_gov.register INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.bare_register_event (LIKE parcel_gov.register_event INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES);
-- the rows a round inserts, as the engine holds them before writing: read
-- from a table of their own (a scan of 500,000 rows, about 0.1 s, is the
-- only read in the timed statements besides the register's own rows)
CREATE TABLE bench.bare_year_rows (LIKE parcel_gov.evaluation);

-- Untimed, before each round: the tables as parcel_gov's are now, and the
-- year's rows (2024's) ready to insert as the year after the last.
CREATE FUNCTION bench.bare_year_reset() RETURNS bigint LANGUAGE plpgsql AS $r$
BEGIN
    TRUNCATE bench.bare_evaluation, bench.bare_register, bench.bare_register_event, bench.bare_year_rows;
    INSERT INTO bench.bare_evaluation OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.evaluation;
    PERFORM setval(pg_get_serial_sequence('bench.bare_evaluation', 'id'), (SELECT max(id) FROM bench.bare_evaluation));
    INSERT INTO bench.bare_register OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.register;
    INSERT INTO bench.bare_register_event OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.register_event;
    PERFORM setval(pg_get_serial_sequence('bench.bare_register_event', 'id'), (SELECT max(id) FROM bench.bare_register_event));
    INSERT INTO bench.bare_year_rows SELECT * FROM parcel_gov.evaluation WHERE year = 2024;
    UPDATE bench.bare_year_rows SET year = (SELECT max(year) + 1 FROM parcel_gov.evaluation);
    ANALYZE bench.bare_evaluation, bench.bare_register, bench.bare_register_event, bench.bare_year_rows;
    RETURN (SELECT count(*) FROM bench.bare_year_rows);
END $r$;

-- Timed: the year's rows inserted (a fresh id each, as evaluate() draws
-- them); every active register row's evaluated year set, as a new year's
-- run sets it (the state kept, the step one more, as the register's
-- trigger stamps a change), and its event appended; returns the rows
-- written.
CREATE FUNCTION bench.bare_year_writes() RETURNS bigint LANGUAGE plpgsql AS $w$
DECLARE
    y constant integer := (SELECT max(year) FROM bench.bare_year_rows);
    cols constant text := (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                           FROM pg_attribute a
                           WHERE a.attrelid = 'bench.bare_year_rows'::regclass AND a.attnum > 0
                             AND NOT a.attisdropped AND a.attname <> 'id');
    inserted bigint;
    updated bigint;
BEGIN
    EXECUTE format('INSERT INTO bench.bare_evaluation (%s) SELECT %s FROM bench.bare_year_rows', cols, cols);
    GET DIAGNOSTICS inserted = ROW_COUNT;
    WITH changed AS (
        UPDATE bench.bare_register r
        SET evaluated_year = y, reason = format('evaluate(%s)', y), step = r.step + 1,
            previous_state = r.state, evidence = NULL
        WHERE r.state NOT IN ('exited', 'rejected')
        RETURNING r.parcel_code, r.state, r.kinds, r.batch, r.reason, r.step, r.route)
    INSERT INTO bench.bare_register_event (parcel_code, from_state, to_state, kinds, batch, at, actor, reason, step, route)
    SELECT c.parcel_code, c.state, c.state, c.kinds, c.batch, now(), current_user, c.reason, c.step, c.route
    FROM changed c;
    GET DIAGNOSTICS updated = ROW_COUNT;
    RETURN inserted + updated;
END $w$;
