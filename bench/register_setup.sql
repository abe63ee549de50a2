-- bench/register_cases.sql: the tables for bench/register_bench.sh: 100,000
-- parcels in the register (C triggers), and copies of them without triggers
-- (bare), with an equivalent PL/pgSQL trigger pair, and without triggers but
-- with the same history written by hand in the same statement.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\o /dev/null

-- 100,000 parcels of their own county, all in treatment.
INSERT INTO region (code, name) VALUES ('339901', '基准县');
INSERT INTO parcel (code, region_code, geom)
SELECT '339901' || lpad((n / 100000)::text, 3, '0') || '001GB' || lpad((n % 100000)::text, 5, '0'), '339901',
       ST_Multi(ST_MakeEnvelope(119 + (n % 300) * 0.002, 28 + (n / 300) * 0.0015,
                                119.0015 + (n % 300) * 0.002, 28.001 + (n / 300) * 0.0015, 4490))
FROM generate_series(1, 100000) AS n;
INSERT INTO register (parcel_code, reason) SELECT code, 'bench' FROM parcel WHERE region_code = '339901';
UPDATE register SET batch = 'rectify_upgrade', state = 'confirmed', reason = 'c' WHERE parcel_code LIKE '339901%';
UPDATE register SET state = 'registered', reason = 'r' WHERE parcel_code LIKE '339901%';
UPDATE register SET state = 'in_treatment', reason = 't' WHERE parcel_code LIKE '339901%';

-- The same rows in a copy without triggers, and in a copy with PL/pgSQL triggers.
CREATE TABLE bench.register_bare (LIKE parcel_gov.register INCLUDING ALL);
INSERT INTO bench.register_bare OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.register WHERE parcel_code LIKE '339901%';
CREATE TABLE bench.register_plpgsql (LIKE parcel_gov.register INCLUDING ALL);
INSERT INTO bench.register_plpgsql OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.register WHERE parcel_code LIKE '339901%';
CREATE TABLE bench.register_event_plpgsql (LIKE parcel_gov.register_event INCLUDING ALL);

CREATE FUNCTION bench.guard_plpgsql() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    allowed constant text[] := ARRAY['candidate>confirmed', 'candidate>rejected', 'confirmed>registered',
        'confirmed>rejected', 'registered>in_treatment', 'in_treatment>assessing', 'assessing>exited',
        'assessing>in_treatment', 'exited>candidate', 'rejected>candidate'];
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'candidate' THEN RAISE EXCEPTION 'enters as candidate' USING ERRCODE = '55000'; END IF;
    ELSE
        IF NEW.parcel_code <> OLD.parcel_code THEN RAISE EXCEPTION 'moved' USING ERRCODE = '55000'; END IF;
        IF NEW.state = OLD.state THEN RETURN NEW; END IF;
        IF NOT (OLD.state || '>' || NEW.state) = ANY (allowed) THEN
            RAISE EXCEPTION 'parcel % cannot go from % to %', NEW.parcel_code, OLD.state, NEW.state USING ERRCODE = '55000';
        END IF;
        IF NEW.reason IS NULL OR NEW.reason = OLD.reason THEN
            RAISE EXCEPTION 'needs a reason' USING ERRCODE = '23502';
        END IF;
    END IF;
    IF NEW.state = 'registered' AND NEW.batch IS NULL THEN RAISE EXCEPTION 'batch' USING ERRCODE = '23502'; END IF;
    IF NEW.state = 'exited' AND NEW.exit_reason IS NULL THEN RAISE EXCEPTION 'exit' USING ERRCODE = '23502'; END IF;
    NEW.state_since := now();
    IF NEW.state = 'registered' THEN NEW.entered_at := now(); END IF;
    IF NEW.state = 'exited' THEN NEW.exited_at := now(); END IF;
    RETURN NEW;
END $$;
CREATE FUNCTION bench.record_plpgsql() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bench.register_event_plpgsql (parcel_code, from_state, to_state, kinds, batch, reason, evidence)
    SELECT n.parcel_code, o.state, n.state, n.kinds, n.batch, n.reason, n.evidence
    FROM new_rows n JOIN old_rows o ON o.parcel_code = n.parcel_code
    WHERE (n.state, n.kinds, n.batch, n.plan, n.deadline, n.exit_reason, n.clears_thresholds, n.reason, n.evidence)
          IS DISTINCT FROM (o.state, o.kinds, o.batch, o.plan, o.deadline, o.exit_reason, o.clears_thresholds, o.reason, o.evidence);
    RETURN NULL;
END $$;
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON bench.register_plpgsql FOR EACH ROW EXECUTE FUNCTION bench.guard_plpgsql();
CREATE TRIGGER record AFTER UPDATE ON bench.register_plpgsql REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bench.record_plpgsql();

CREATE TABLE bench.register_hand (LIKE parcel_gov.register INCLUDING ALL);
INSERT INTO bench.register_hand OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.register WHERE parcel_code LIKE '339901%';
CREATE TABLE bench.register_event_hand (LIKE parcel_gov.register_event INCLUDING ALL);
VACUUM ANALYZE parcel_gov.register, bench.register_bare, bench.register_plpgsql, bench.register_hand;
\o
