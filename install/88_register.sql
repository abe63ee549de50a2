-- The low-efficiency parcel register (低效工业用地数据库, 一地一档) and its
-- history (docs/rules.md, The register): C triggers keep the state machine and write one
-- register_event per change (src/register_trigger.c).

CREATE TABLE parcel_gov.register (
    parcel_code       parcel_gov.parcel_code PRIMARY KEY REFERENCES parcel_gov.parcel,
    fid               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    state             parcel_gov.register_state NOT NULL DEFAULT 'candidate',
    previous_state    parcel_gov.register_state,
    kinds             parcel_gov.low_efficiency_kind[] NOT NULL DEFAULT '{}',
    batch             parcel_gov.batch,
    plan              text,
    deadline          date,
    state_since       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    entered_at        timestamptz,
    exited_at         timestamptz,
    exit_reason       text CONSTRAINT register_exit_reason_known
                      CHECK (exit_reason IN ('re_evaluated', 'accepted', 'recovered', 'idle_disposed', 'redeveloped')),
    clears_thresholds boolean,
    evaluated_year    integer,
    reason            text,
    evidence          jsonb CONSTRAINT register_evidence_is_object
                      CHECK (evidence IS NULL OR jsonb_typeof(evidence) = 'object'),
    -- set by the guard: 1 on entry, one more at every change
    step              integer NOT NULL DEFAULT 0,
    route             parcel_gov.disposal_route
);
COMMENT ON TABLE parcel_gov.register IS
  '低效工业用地数据库 (one row per parcel, 一地一档): state 调查核实 → 审核认定 → 建档入库 → 整治提升 → 评估 → 出库 (previous_state: where its latest change came from), kinds (低效类型), batch (四个一批), plan and deadline, entered_at (入库), exited_at (出库), exit_reason; reason/evidence are those of the latest change';

CREATE TABLE parcel_gov.register_event (
    id          bigint GENERATED ALWAYS AS IDENTITY (CACHE 100) PRIMARY KEY,
    parcel_code text NOT NULL,
    from_state  parcel_gov.register_state,
    to_state    parcel_gov.register_state NOT NULL,
    kinds       parcel_gov.low_efficiency_kind[] NOT NULL,
    batch       parcel_gov.batch,
    at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor       name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    reason      text,
    evidence    jsonb,
    -- the parcel's step, copied from its register row under the row's lock:
    -- the exact order of the parcel's history (ids are identity only)
    step        integer NOT NULL,
    route       parcel_gov.disposal_route,
    CONSTRAINT register_event_step_once UNIQUE (parcel_code, step)
);
COMMENT ON COLUMN parcel_gov.register.step IS
  '变更序号 (step): how many changes the row has had; its latest event carries the same number';
COMMENT ON COLUMN parcel_gov.register_event.step IS
  '变更序号 (step): the change''s place in its parcel''s history, 1, 2, 3 … without gaps; order a parcel''s events by it';
COMMENT ON COLUMN parcel_gov.register.route IS
  '处置路径 (disposal route), set by the operator beside the batch: 收购收储, 退二还一, 优二, 补三 (桐庐), 收回, 改造, 转让 (金东); NULL not yet chosen';
COMMENT ON COLUMN parcel_gov.register_event.route IS
  '处置路径: the register row''s route after the change';
COMMENT ON TABLE parcel_gov.register_event IS
  '登记册变更记录 (append-only history of the register): every change, its actor, time, reason and evidence; written only by the register''s trigger';
CREATE INDEX register_event_parcel_idx ON parcel_gov.register_event (parcel_code, id);

CREATE FUNCTION parcel_gov.register_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.register_guard() IS
  'Trigger: the register''s state machine (55000 for an illegal step, 23502 for a missing batch, exit reason or reason)';
-- It runs SQL through SPI; every name in that SQL is schema-qualified, so it
-- needs no SET search_path (which would cost a GUC save and restore per statement).
-- As the extension's owner: an operator's UPDATE of the register writes its
-- history, which no county role may write itself (actor: invoker()).
CREATE FUNCTION parcel_gov.register_record() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_record' LANGUAGE C SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION parcel_gov.register_record() IS
  'Trigger: one register_event per changed register row, written in one statement';
CREATE FUNCTION parcel_gov.history_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'history_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.history_guard() IS
  'Trigger: the register''s history is append-only and register rows are never deleted (42501)';

CREATE TRIGGER register_guard BEFORE INSERT OR UPDATE ON parcel_gov.register
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.register_guard();
CREATE TRIGGER register_record_insert AFTER INSERT ON parcel_gov.register
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record();
-- Only the new rows: the guard keeps previous_state, so no old-row copy is needed.
CREATE TRIGGER register_record_update AFTER UPDATE ON parcel_gov.register
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record();
CREATE TRIGGER register_never_deleted BEFORE DELETE ON parcel_gov.register
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
CREATE TRIGGER register_never_truncated BEFORE TRUNCATE ON parcel_gov.register
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
-- per statement: a bulk move writes its events in one INSERT, checked once
CREATE TRIGGER register_event_append_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.register_event
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
CREATE TRIGGER register_event_never_truncated BEFORE TRUNCATE ON parcel_gov.register_event
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();

-- One step of a parcel through the register; a parcel not yet in it enters as a candidate.
CREATE FUNCTION parcel_gov.transition(parcel_code text, to_state parcel_gov.register_state,
                                      reason text, evidence jsonb DEFAULT NULL)
    RETURNS parcel_gov.register
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    result parcel_gov.register;
BEGIN
    PERFORM parcel_gov.require_caller('transition', 'parcel_gov_operator');
    -- another county's parcel is as absent as one that does not exist: the
    -- message must not tell them apart
    IF NOT EXISTS (SELECT FROM parcel_gov.parcel p
                   WHERE p.code = parcel_code
                     AND p.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
        RAISE EXCEPTION 'no parcel % in your regions', parcel_code USING ERRCODE = '22023',
            HINT = 'transition() takes the 宗地代码 of a parcel of a region you were granted, as in parcel_gov.parcel.';
    END IF;
    UPDATE parcel_gov.register r
    SET state = to_state, reason = transition.reason, evidence = transition.evidence
    WHERE r.parcel_code = transition.parcel_code
    RETURNING * INTO result;
    IF NOT FOUND THEN
        INSERT INTO parcel_gov.register (parcel_code, state, reason, evidence)
        VALUES (transition.parcel_code, to_state, transition.reason, transition.evidence)
        RETURNING * INTO result;
    END IF;
    RETURN result;
END $$;
COMMENT ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb) IS
  'Moves a parcel one step in the register (or enters it as a candidate), with a reason and evidence (a JSON object); the register''s trigger checks the step and records it';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.register', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.register', 'fid'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.register_event', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.register_event', 'id'), '');
