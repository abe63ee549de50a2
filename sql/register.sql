-- The register's state machine (README, "The register"): every legal step, every illegal
-- one with its SQLSTATE, the required fields, and history that cannot be rewritten.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;

-- 嵊州市 (330683) ships with parcel_gov.
INSERT INTO parcel (code, region_code, geom)
SELECT '330683009001GB' || lpad(n::text, 5, '0'), '330683',
       ST_Multi(ST_MakeEnvelope(120.8 + 0.001 * n, 30.0, 120.8005 + 0.001 * n, 30.0005, 4490))
FROM generate_series(1, 40) AS n;

-- Parcel n's code.
CREATE FUNCTION pg_temp.p(n int) RETURNS text LANGUAGE sql IMMUTABLE
RETURN '330683009001GB' || lpad(n::text, 5, '0');
-- Moves a parcel by legal steps to a state, filling in what each step needs.
CREATE FUNCTION pg_temp.bring(code text, target register_state) RETURNS register_state LANGUAGE plpgsql AS $$
DECLARE
    s register_state;
BEGIN
    FOREACH s IN ARRAY CASE WHEN target = 'rejected' THEN '{candidate,rejected}'::register_state[]
                            ELSE (SELECT array_agg(x ORDER BY x) FROM unnest(enum_range(NULL::register_state)) AS x
                                  WHERE x <= target) END LOOP
        PERFORM pg_temp.prepare(code, s);
        PERFORM transition(code, s, 'to ' || s);
    END LOOP;
    RETURN (SELECT state FROM register WHERE parcel_code = code);
END $$;
CREATE FUNCTION pg_temp.prepare(code text, target register_state) RETURNS void LANGUAGE sql AS $$
UPDATE register SET batch = coalesce(batch, 'rectify_upgrade'),
                    exit_reason = CASE WHEN target = 'exited' THEN 'accepted' ELSE exit_reason END
WHERE parcel_code = code AND target IN ('registered', 'exited');
$$;
-- One step, and what came of it: ok, or its SQLSTATE.
CREATE FUNCTION pg_temp.try(code text, target register_state) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM transition(code, target, 'try ' || target);
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

-- Every legal step (10), each on a parcel of its own: ok.
CREATE TEMP TABLE legal (n int, from_state register_state, to_state register_state);
INSERT INTO legal VALUES (1, 'candidate', 'confirmed'), (2, 'candidate', 'rejected'), (3, 'confirmed', 'registered'),
  (4, 'confirmed', 'rejected'), (5, 'registered', 'in_treatment'), (6, 'in_treatment', 'assessing'),
  (7, 'assessing', 'exited'), (8, 'assessing', 'in_treatment'), (9, 'exited', 'candidate'), (10, 'rejected', 'candidate');
SELECT from_state, to_state, pg_temp.bring(pg_temp.p(n), from_state) AS at,
       (SELECT pg_temp.prepare(pg_temp.p(n), to_state)) IS NULL AS prepared,
       pg_temp.try(pg_temp.p(n), to_state) AS result
FROM legal ORDER BY n;

-- Every illegal step (32): a parcel in each state tries every other state: 55000.
SELECT s AS parcel_in, pg_temp.bring(pg_temp.p(20 + i::int), s) AS reached
FROM unnest(enum_range(NULL::register_state)) WITH ORDINALITY AS a(s, i) ORDER BY i;
SELECT s AS from_state, string_agg(t || ' ' || pg_temp.try(pg_temp.p(20 + i::int), t), ', ' ORDER BY t) AS refused
FROM unnest(enum_range(NULL::register_state)) WITH ORDINALITY AS a(s, i)
CROSS JOIN unnest(enum_range(NULL::register_state)) AS t
WHERE t <> s AND NOT EXISTS (SELECT FROM legal WHERE from_state = s AND to_state = t)
GROUP BY s ORDER BY s;
SELECT count(*) FILTER (WHERE r.state = a.s) AS still_where_they_were
FROM unnest(enum_range(NULL::register_state)) WITH ORDINALITY AS a(s, i)
JOIN register r ON r.parcel_code = pg_temp.p(20 + i::int);
-- What such an error says.
SELECT transition(pg_temp.p(21), 'registered', 'skip the review');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Required fields.
SELECT pg_temp.bring(pg_temp.p(30), 'confirmed');
SELECT transition(pg_temp.p(30), 'registered', '建档');                  -- no batch
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.bring(pg_temp.p(31), 'assessing');
SELECT transition(pg_temp.p(31), 'exited', '出库');                       -- no exit reason
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE register SET exit_reason = 're_evaluated' WHERE parcel_code = pg_temp.p(31);
SELECT transition(pg_temp.p(31), 'exited', '出库');                       -- not evaluated since
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE register SET clears_thresholds = false WHERE parcel_code = pg_temp.p(31);
SELECT transition(pg_temp.p(31), 'exited', '出库');                       -- evaluated, not clear
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE register SET clears_thresholds = true WHERE parcel_code = pg_temp.p(31);
SELECT state, exit_reason, exited_at IS NOT NULL AS exited_at_set FROM transition(pg_temp.p(31), 'exited', '评价达标出库');
UPDATE register SET state = 'candidate' WHERE parcel_code = pg_temp.p(31);   -- no reason of its own
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT state, exit_reason, exited_at, entered_at, clears_thresholds
FROM transition(pg_temp.p(31), 'candidate', '2025 年再次认定');             -- a new pass starts clean
SELECT transition(pg_temp.p(32), 'confirmed', 'straight in');               -- enters only as candidate
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY terse
SELECT transition(pg_temp.p(32), 'candidate', '调查', '["not", "an", "object"]');   -- evidence is an object
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
SELECT transition('330683009001GB99999', 'candidate', '调查');              -- no such parcel
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT transition(pg_temp.p(32), 'withdrawn', '撤销');                      -- no such state
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE register SET batch = 'rebuild' WHERE parcel_code = pg_temp.p(30);  -- no such batch
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE register SET parcel_code = pg_temp.p(33) WHERE parcel_code = pg_temp.p(30);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- History cannot be rewritten, and register rows are never deleted: 42501.
UPDATE register_event SET reason = 'rewritten';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM register_event;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE register_event;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO register_event (parcel_code, to_state, kinds) VALUES (pg_temp.p(30), 'exited', '{}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM register WHERE parcel_code = pg_temp.p(30);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE register;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Exactly one event per change, and the history replays to every current state.
SELECT count(*) AS events, count(DISTINCT parcel_code) AS parcels FROM register_event;
SELECT count(*) AS parcels, count(*) FILTER (WHERE r.state = last.to_state) AS replayed_to_current_state
FROM register r
CROSS JOIN LATERAL (SELECT e.to_state FROM register_event e WHERE e.parcel_code = r.parcel_code
                    ORDER BY e.id DESC LIMIT 1) AS last;
SELECT from_state, to_state, reason, actor = current_user AS by_me
FROM register_event WHERE parcel_code = pg_temp.p(31) ORDER BY id;
-- A change that changes nothing writes nothing.
UPDATE register SET plan = plan WHERE parcel_code = pg_temp.p(31);
SELECT count(*) AS events_of_31 FROM register_event WHERE parcel_code = pg_temp.p(31);

-- Register rows stay: this test and register_flow run last (see the Makefile).
