-- parcel_gov 1.5.0 → 1.6.0: operations.  A delta written by hand.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.6.0'" to load this file. \quit

-- Each parcel's history in exact order: the register row counts its
-- changes (step), and each event copies the count, under the row's lock.
ALTER TABLE parcel_gov.register ADD COLUMN step integer NOT NULL DEFAULT 0;
ALTER TABLE parcel_gov.register_event ADD COLUMN step integer;
-- The history so far is numbered in the order of its ids, the best order
-- it had (under concurrency ids could misorder a parcel's steps: check
-- from_state against the previous to_state where that matters).
ALTER TABLE parcel_gov.register_event DISABLE TRIGGER register_event_append_only;
UPDATE parcel_gov.register_event e SET step = n.step
FROM (SELECT i.id, pg_catalog.row_number() OVER (PARTITION BY i.parcel_code ORDER BY i.id) AS step
      FROM parcel_gov.register_event i) AS n
WHERE n.id = e.id;
ALTER TABLE parcel_gov.register_event ENABLE TRIGGER register_event_append_only;
ALTER TABLE parcel_gov.register DISABLE TRIGGER USER;
UPDATE parcel_gov.register r
SET step = coalesce((SELECT max(e.step) FROM parcel_gov.register_event e WHERE e.parcel_code = r.parcel_code), 0);
ALTER TABLE parcel_gov.register ENABLE TRIGGER USER;
ALTER TABLE parcel_gov.register_event
    ALTER COLUMN step SET NOT NULL,
    ADD CONSTRAINT register_event_step_once UNIQUE (parcel_code, step);
COMMENT ON COLUMN parcel_gov.register.step IS
  '变更序号 (step): how many changes the row has had; its latest event carries the same number';
COMMENT ON COLUMN parcel_gov.register_event.step IS
  '变更序号 (step): the change''s place in its parcel''s history, 1, 2, 3 … without gaps; order a parcel''s events by it';

-- The register as of a moment reads each parcel's history in step order.
CREATE OR REPLACE FUNCTION parcel_gov.register_as_of(as_of timestamptz)
    RETURNS TABLE (parcel_code text, state parcel_gov.register_state, kinds parcel_gov.low_efficiency_kind[],
                   batch parcel_gov.batch, state_since timestamptz, last_change timestamptz, event_id bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'register_as_of needs a moment' USING ERRCODE = '22004',
            HINT = 'Give a timestamp, e.g. register_as_of(''2024-06-30 24:00+08'').';
    END IF;
    RETURN QUERY
    SELECT l.parcel_code, l.to_state, l.kinds, l.batch,
           (SELECT max(c.at) FROM parcel_gov.register_event c
            WHERE c.parcel_code = l.parcel_code AND c.step <= l.step AND c.from_state IS DISTINCT FROM c.to_state),
           l.at, l.id
    FROM (SELECT DISTINCT ON (e.parcel_code) e.*
          FROM parcel_gov.register_event e WHERE e.at <= as_of
          ORDER BY e.parcel_code, e.step DESC) AS l
    ORDER BY l.parcel_code;
END $$;
