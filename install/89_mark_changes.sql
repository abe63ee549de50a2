-- What changed since each county was evaluated (issue 19): evaluate() skips
-- the counties whose inputs are as its last run of the year read them.
--
-- evaluation_mark: statement triggers on every table the engine reads
-- record which county's inputs changed, from which year on, and by which
-- transaction.  Insert-only and one row per (county, year, transaction), so
-- concurrent writers never wait for one another.
-- evaluation_state: per county and year, the snapshot taken before the
-- engine read that county (and the run's date and version).  A county-year is
-- dirty when it has no state, when a mark of it (or of every county) from
-- that year or before was written by a transaction the snapshot did not see
-- (or by the evaluating transaction itself after the run), when an open issue
-- of it fell overdue since the run's date, or when the extension's version
-- changed.  Under READ COMMITTED the engine's reads see at least what the
-- snapshot saw, so a mark the snapshot saw was read.

CREATE SEQUENCE parcel_gov.evaluation_mark_seq;
COMMENT ON SEQUENCE parcel_gov.evaluation_mark_seq IS
  'internal: orders the marks and states of one transaction (evaluation_mark.seq, evaluation_state.seq)';

CREATE TABLE parcel_gov.evaluation_mark (
    county    text NOT NULL,          -- a 6-digit region code, '' for every county
    from_year integer NOT NULL,       -- the first year whose results may change (0: all)
    xid       xid8 NOT NULL,          -- the writing transaction
    seq       bigint NOT NULL,        -- its last statement that marked (within the transaction)
    PRIMARY KEY (county, from_year, xid)
);
COMMENT ON TABLE parcel_gov.evaluation_mark IS
  '评价变更标记 (internal, evaluate()''s change marks): a county whose inputs a transaction changed, from a year on; written by triggers on the engine''s input tables, read and pruned by evaluate()';

CREATE TABLE parcel_gov.evaluation_state (
    year      integer NOT NULL,
    county    text NOT NULL,
    snapshot  pg_snapshot NOT NULL,   -- taken before the engine read the county
    xid       xid8 NOT NULL,          -- the evaluating transaction
    seq       bigint NOT NULL,        -- evaluation_mark_seq after its run of the county
    run_date  date NOT NULL,          -- current_date of the run (overdue issues)
    version   text NOT NULL,          -- the extension's version that ran
    evaluated_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    PRIMARY KEY (year, county)
);
COMMENT ON TABLE parcel_gov.evaluation_state IS
  '评价状态 (internal, evaluate()''s per county and year state): what the last run of the county read (snapshot, transaction, date, version); a county whose inputs did not change since is skipped';

-- Registered so a dump knows them, with no rows: a snapshot or transaction id
-- means nothing in another cluster (a restored database re-evaluates all).
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_mark', 'WHERE false');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_state', 'WHERE false');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_mark_seq', '');

-- The engine's own register writes (backend flag of src/evaluation_guard.c):
-- the engine read what it writes, so they mark nothing.
CREATE FUNCTION parcel_gov.evaluation_engine_writing()
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'evaluation_engine_writing'
    LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION parcel_gov.evaluation_engine_writing() IS
  'internal, for the change marks: true while evaluate()''s engine writes the register in this backend (no SQL can set it)';

-- Which counties a statement's rows touch, per input table.  R stands for
-- the rows (new, old or both); a firm F (uscc, y) counts for its own county,
-- the counties of the parcels it holds or leases and those of their holders.
CREATE FUNCTION parcel_gov.evaluation_mark_rows()
    RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                         ELSE '(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)' END;
    firms text;                 -- SELECT uscc, y
    counties text;              -- SELECT county, y
    any_rows boolean;
    n_rows bigint;
BEGIN
    IF TG_TABLE_NAME = 'register' AND parcel_gov.evaluation_engine_writing() THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'TRUNCATE' AND TG_ARGV[0] <> 'all' THEN
        EXECUTE format('SELECT count(*) FROM %s', CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END)
        INTO STRICT n_rows;
    END IF;
    IF TG_OP = 'TRUNCATE' OR TG_ARGV[0] = 'all' THEN
        IF TG_OP <> 'TRUNCATE' THEN
            EXECUTE format('SELECT EXISTS (SELECT FROM %s t)', r) INTO STRICT any_rows;
            IF NOT any_rows THEN
                RETURN NULL;
            END IF;
        END IF;
        counties := 'SELECT ''''::text, 0';
    ELSIF n_rows > 50000 THEN
        -- A statement of many rows (a province's first run, a bulk load)
        -- marks every county: it touches most of them, and following each
        -- row to its counties cost 8 s for a new year's 500,000 results at
        -- 1,000,000 parcels.
        counties := CASE WHEN TG_TABLE_NAME IN ('enterprise_year', 'evaluation')
                         THEN format('SELECT '''', min(t.year) FROM %s t', r) ELSE 'SELECT '''', 0' END;
    ELSE
        CASE TG_TABLE_NAME
        WHEN 'enterprise' THEN
            firms := format('SELECT t.uscc, 0 FROM %s t', r);
            counties := format('SELECT t.region_code, 0 FROM %s t', r);
        WHEN 'enterprise_year' THEN
            firms := format('SELECT t.uscc, min(t.year) FROM %s t GROUP BY t.uscc', r);
        WHEN 'evaluation' THEN
            -- other counties' runs and later years read a result's existence
            -- and these columns alone: an update of a score or a rank
            -- (every firm of a pool whose benchmark moved) marks nothing
            firms := CASE TG_OP WHEN 'UPDATE' THEN
                'SELECT x.uscc, min(x.year) FROM new_rows n JOIN old_rows o ON o.id = n.id '
                'CROSS JOIN LATERAL (VALUES (n.uscc, n.year), (o.uscc, o.year)) AS x (uscc, year) '
                'WHERE (n.uscc, n.year, n.tax_per_mu, n.area_mu, n.grade, n.pool, n.rule_set_id) IS DISTINCT FROM '
                '(o.uscc, o.year, o.tax_per_mu, o.area_mu, o.grade, o.pool, o.rule_set_id) GROUP BY x.uscc'
                ELSE format('SELECT t.uscc, min(t.year) FROM %s t GROUP BY t.uscc', r) END;
        WHEN 'parcel' THEN
            counties := format('SELECT left(t.region_code, 6), 0 FROM %1$s t '
                               'UNION SELECT h.region_code, 0 FROM %1$s t JOIN parcel_gov.enterprise h ON h.uscc = t.holder_uscc '
                               'UNION SELECT e.region_code, 0 FROM %1$s t JOIN parcel_gov.lease l ON l.parcel_code = t.code '
                               'JOIN parcel_gov.enterprise e ON e.uscc = l.lessee_uscc', r);
        WHEN 'lease' THEN
            counties := format('SELECT left(p.region_code, 6), 0 FROM %1$s t JOIN parcel_gov.parcel p ON p.code = t.parcel_code '
                               'UNION SELECT h.region_code, 0 FROM %1$s t JOIN parcel_gov.parcel p ON p.code = t.parcel_code '
                               'JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc '
                               'UNION SELECT e.region_code, 0 FROM %1$s t JOIN parcel_gov.enterprise e ON e.uscc = t.lessee_uscc', r);
        WHEN 'register', 'issue' THEN
            counties := format('SELECT DISTINCT left(p.region_code, 6), 0 FROM %s t '
                               'JOIN parcel_gov.parcel p ON p.code = t.parcel_code', r);
        END CASE;
    END IF;
    IF firms IS NOT NULL THEN
        firms := format('WITH f (uscc, y) AS (%s) '
                        'SELECT e.region_code, f.y FROM f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc '
                        'UNION ALL SELECT left(p.region_code, 6), f.y FROM f JOIN parcel_gov.parcel p ON p.holder_uscc = f.uscc '
                        'UNION ALL SELECT left(p.region_code, 6), f.y FROM f JOIN parcel_gov.lease l ON l.lessee_uscc = f.uscc '
                        'JOIN parcel_gov.parcel p ON p.code = l.parcel_code '
                        'UNION ALL SELECT h.region_code, f.y FROM f JOIN parcel_gov.lease l ON l.lessee_uscc = f.uscc '
                        'JOIN parcel_gov.parcel p ON p.code = l.parcel_code JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc',
                        firms);
        counties := CASE WHEN counties IS NULL THEN firms ELSE counties || ' UNION ALL (' || firms || ')' END;
    END IF;
    EXECUTE format('INSERT INTO parcel_gov.evaluation_mark AS m (county, from_year, xid, seq) '
                   'SELECT c.county, min(c.y), pg_current_xact_id(), nextval(''parcel_gov.evaluation_mark_seq'') '
                   'FROM (%s) AS c (county, y) WHERE c.county IS NOT NULL GROUP BY c.county '
                   'ON CONFLICT (county, from_year, xid) DO UPDATE SET seq = EXCLUDED.seq', counties);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_rows() IS
  'internal: trigger on the engine''s input tables (and on evaluation, whose rows other counties'' registers and later years read: existence, tax_per_mu, area_mu, grade, pool, rule_set_id): marks the counties the statement''s rows touch, from their year on (argument ''all'', or more than 50,000 rows: every county)';

-- The replication workers fire row triggers only, not statement ones: each
-- row a subscription applies marks what evaluation_mark_rows marks for a
-- statement of it, here in static SQL (planned once per worker) and each
-- county and first year once per transaction (a transaction-local setting
-- remembers them), so a county's initial copy or its run of a year costs
-- a lookup or two a row.
CREATE FUNCTION parcel_gov.evaluation_mark_applied()
    RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    firm text;                  -- a firm: its county, and those of the land it holds or leases
    y integer := 0;             -- from which year on
    touched text[] := '{}';     -- county:year
    done text := coalesce(current_setting('parcel_gov.applied_marks', true), '');
BEGIN
    IF TG_ARGV[0] = 'all' THEN
        touched := ARRAY[':0'];
    ELSE
        -- (a row's fields are read in statements of their own: each table has its columns)
        IF TG_TABLE_NAME = 'evaluation' AND TG_OP = 'UPDATE' THEN
            IF (NEW.uscc, NEW.year, NEW.tax_per_mu, NEW.area_mu, NEW.grade, NEW.pool, NEW.rule_set_id)
               IS NOT DISTINCT FROM (OLD.uscc, OLD.year, OLD.tax_per_mu, OLD.area_mu, OLD.grade, OLD.pool, OLD.rule_set_id) THEN
                RETURN NULL;    -- a score or a rank: nothing another county reads
            END IF;
        END IF;
        FOR pass IN 1 .. 2 LOOP
            CONTINUE WHEN (pass = 1 AND TG_OP = 'DELETE') OR (pass = 2 AND TG_OP = 'INSERT');
            IF pass = 1 THEN
                r := NEW;
            ELSE
                r := OLD;
            END IF;
            firm := NULL;
            IF TG_TABLE_NAME = 'enterprise' THEN
                firm := r.uscc;
                y := 0;
                touched := touched || (r.region_code || ':0');
            ELSIF TG_TABLE_NAME IN ('enterprise_year', 'evaluation') THEN
                firm := r.uscc;
                y := r.year;
            ELSIF TG_TABLE_NAME = 'parcel' THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':0' FROM (
                        SELECT left(r.region_code, 6) AS c
                        UNION SELECT h.region_code FROM parcel_gov.enterprise h WHERE h.uscc = r.holder_uscc
                        UNION SELECT e.region_code FROM parcel_gov.lease l JOIN parcel_gov.enterprise e ON e.uscc = l.lessee_uscc
                        WHERE l.parcel_code = r.code) AS x);
            ELSIF TG_TABLE_NAME = 'lease' THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':0' FROM (
                        SELECT left(p.region_code, 6) AS c FROM parcel_gov.parcel p WHERE p.code = r.parcel_code
                        UNION SELECT h.region_code FROM parcel_gov.parcel p JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc
                        WHERE p.code = r.parcel_code
                        UNION SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = r.lessee_uscc) AS x);
            ELSE                -- register, issue
                touched := touched || ARRAY(SELECT left(p.region_code, 6) || ':0' FROM parcel_gov.parcel p
                                            WHERE p.code = r.parcel_code);
            END IF;
            IF firm IS NOT NULL THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':' || y FROM (
                        SELECT e.region_code AS c FROM parcel_gov.enterprise e WHERE e.uscc = firm
                        UNION SELECT left(p.region_code, 6) FROM parcel_gov.parcel p WHERE p.holder_uscc = firm
                        UNION SELECT left(p.region_code, 6) FROM parcel_gov.lease l
                              JOIN parcel_gov.parcel p ON p.code = l.parcel_code WHERE l.lessee_uscc = firm
                        UNION SELECT h.region_code FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
                              JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc WHERE l.lessee_uscc = firm) AS x);
            END IF;
        END LOOP;
    END IF;
    -- the county-years not marked yet by this transaction
    touched := ARRAY(SELECT DISTINCT t FROM unnest(touched) AS t
                     WHERE t IS NOT NULL AND NOT t = ANY (string_to_array(done, ',')));
    IF cardinality(touched) = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO parcel_gov.evaluation_mark AS m (county, from_year, xid, seq)
    SELECT split_part(t, ':', 1), min(split_part(t, ':', 2)::integer), pg_current_xact_id(),
           nextval('parcel_gov.evaluation_mark_seq')
    FROM unnest(touched) AS t GROUP BY split_part(t, ':', 1)
    ON CONFLICT (county, from_year, xid) DO UPDATE SET seq = EXCLUDED.seq;
    PERFORM set_config('parcel_gov.applied_marks', concat_ws(',', nullif(done, ''), array_to_string(touched, ',')), true);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_applied() IS
  'internal: row trigger on the engine''s input tables that fires in logical replication workers only (ENABLE REPLICA, WHEN applying_subscription()): marks the counties of each applied row as evaluation_mark_rows marks a statement''s, each county and first year once per transaction';

-- Four statement triggers per input table: transition tables allow one event each.
-- Also for changes made in replica mode (a DBA's, a restore's): a change no
-- trigger saw would leave stale results.  A logical replication worker
-- fires no statement trigger while it applies a publisher's changes (only
-- for its initial copy, which is a COPY): a row trigger marks what it
-- applies, and only there (its WHEN clause), so that a bulk load in replica
-- mode keeps its speed and the engine its bulk inserts (bulk_insert.c).
CREATE FUNCTION parcel_gov.evaluation_mark_triggers(tbl regclass, scope text DEFAULT 'rows')
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER evaluation_mark_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_truncate AFTER TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_applied AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW WHEN (parcel_gov.applying_subscription() IS NOT NULL) '
                   'EXECUTE FUNCTION parcel_gov.evaluation_mark_applied(%L)', tbl, scope);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER evaluation_mark_insert, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_update, ENABLE ALWAYS TRIGGER evaluation_mark_delete, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_truncate, ENABLE REPLICA TRIGGER evaluation_mark_applied', tbl);
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_triggers(regclass, text) IS
  'internal, for the install and update scripts: the change-mark triggers of an input table (scope rows: the counties of its rows; all: every county), and the row trigger that marks the rows a logical replication worker applies';

SELECT parcel_gov.evaluation_mark_triggers(t::regclass)
FROM unnest(ARRAY['parcel_gov.enterprise', 'parcel_gov.enterprise_year', 'parcel_gov.parcel', 'parcel_gov.lease',
                  'parcel_gov.register', 'parcel_gov.issue', 'parcel_gov.evaluation']) AS t;
SELECT parcel_gov.evaluation_mark_triggers(t::regclass, 'all')
FROM unnest(ARRAY['parcel_gov.region', 'parcel_gov.rule_set', 'parcel_gov.rule_pool', 'parcel_gov.rule_indicator',
                  'parcel_gov.rule_industry_group', 'parcel_gov.rule_issue']) AS t;

-- The counties of a prefix a run of the year would evaluate (those with a
-- state, and those with figures of the year), and whether each is dirty.
CREATE FUNCTION parcel_gov.evaluation_counties(year integer, prefix text)
    RETURNS TABLE (county text, evaluated boolean, dirty boolean)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH RECURSIVE overdue AS (
        -- open issues past their deadline since the oldest run's date
        SELECT left(p.region_code, 6) AS county, i.deadline
        FROM parcel_gov.issue i JOIN parcel_gov.parcel p ON p.code = i.parcel_code
        WHERE i.closed IS NULL AND i.deadline < current_date
          AND i.deadline >= (SELECT min(s.run_date) FROM parcel_gov.evaluation_state s
                             WHERE s.year = evaluation_counties.year AND starts_with(s.county, evaluation_counties.prefix))
    ),
    -- the counties with firms, by a probe of enterprise_region_idx per county
    -- (read only when a county has no state: a hash of every firm's county
    -- cost 110 ms of each call at 500,000 firms)
    firm_counties (code) AS (
        SELECT min(e.region_code) FROM parcel_gov.enterprise e
        WHERE starts_with(e.region_code, evaluation_counties.prefix)
        UNION ALL
        SELECT (SELECT min(e.region_code) FROM parcel_gov.enterprise e
                WHERE e.region_code > c.code AND starts_with(e.region_code, evaluation_counties.prefix))
        FROM firm_counties c WHERE c.code IS NOT NULL
    )
    SELECT r.code, s.year IS NOT NULL,
           s.year IS NULL
           OR s.version IS DISTINCT FROM (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'parcel_gov')
           OR EXISTS (SELECT FROM parcel_gov.evaluation_mark m
                      WHERE m.county IN (s.county, '') AND m.from_year <= s.year
                        AND CASE WHEN m.xid = s.xid THEN m.seq > s.seq
                                 ELSE NOT pg_visible_in_snapshot(m.xid, s.snapshot) END)
           OR EXISTS (SELECT FROM overdue o WHERE o.county = s.county AND o.deadline >= s.run_date)
    FROM parcel_gov.region r
    LEFT JOIN parcel_gov.evaluation_state s ON s.year = evaluation_counties.year AND s.county = r.code
    WHERE length(r.code) = 6 AND starts_with(r.code, evaluation_counties.prefix)
      AND (s.year IS NOT NULL
           -- a county not evaluated yet: one with firms, and of them those
           -- with figures of the year
           OR (r.code IN (SELECT c.code FROM firm_counties c)
               AND EXISTS (SELECT FROM parcel_gov.enterprise e JOIN parcel_gov.enterprise_year f ON f.uscc = e.uscc
                           WHERE e.region_code = r.code AND f.year = evaluation_counties.year)));
END;
COMMENT ON FUNCTION parcel_gov.evaluation_counties(integer, text) IS
  'internal, for evaluate(): the counties of a region prefix a run of the year covers (evaluated before, or with figures of the year), whether each has a state and whether its inputs changed since (dirty)';

-- After a run of a county: its state, and the marks no state needs any more.
CREATE FUNCTION parcel_gov.evaluation_state_keep(year integer, counties text[], snap pg_snapshot)
    RETURNS void
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO parcel_gov.evaluation_state AS s (year, county, snapshot, xid, seq, run_date, version)
    SELECT evaluation_state_keep.year, c, snap, pg_current_xact_id(), nextval('parcel_gov.evaluation_mark_seq'),
           current_date, (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'parcel_gov')
    FROM unnest(counties) AS c
    ON CONFLICT (year, county) DO UPDATE
    SET snapshot = EXCLUDED.snapshot, xid = EXCLUDED.xid, seq = EXCLUDED.seq, run_date = EXCLUDED.run_date,
        version = EXCLUDED.version, evaluated_at = EXCLUDED.evaluated_at;
END;
COMMENT ON FUNCTION parcel_gov.evaluation_state_keep(integer, text[], pg_snapshot) IS
  'internal, for evaluate(): records the state of counties just evaluated (the snapshot taken before the engine read them)';

-- Marks that leave no state dirty can dirty nothing later: a state written
-- after them sees them.  Only while no other evaluate() is under way (each
-- holds ROW EXCLUSIVE on evaluation_state from before its first snapshot): a
-- run whose state is not yet committed may have missed a mark.
CREATE FUNCTION parcel_gov.evaluation_marks_prune()
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pruned bigint;
BEGIN
    BEGIN
        LOCK TABLE parcel_gov.evaluation_state IN SHARE MODE NOWAIT;
    EXCEPTION WHEN lock_not_available THEN
        RETURN 0;               -- another run is under way: the next run prunes
    END;
    DELETE FROM parcel_gov.evaluation_mark m
    WHERE NOT EXISTS (SELECT FROM parcel_gov.evaluation_state s
                      WHERE m.county IN (s.county, '') AND m.from_year <= s.year
                        AND CASE WHEN m.xid = s.xid THEN m.seq > s.seq
                                 ELSE NOT pg_visible_in_snapshot(m.xid, s.snapshot) END);
    GET DIAGNOSTICS pruned = ROW_COUNT;
    RETURN pruned;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_marks_prune() IS
  'internal, for evaluate(): deletes the change marks that leave no county dirty (unless another run is under way); returns how many';

-- uscc and industry_code included: a county's firms are probed for figures
-- of the year, and read by its run, index-only
CREATE INDEX enterprise_region_idx ON parcel_gov.enterprise (region_code) INCLUDE (uscc, industry_code);
-- internal: the owner's (evaluate() runs as the owner)
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluation_engine_writing(), parcel_gov.evaluation_mark_triggers(regclass, text),
                           parcel_gov.evaluation_counties(integer, text),
                           parcel_gov.evaluation_state_keep(integer, text[], pg_snapshot),
                           parcel_gov.evaluation_marks_prune() FROM PUBLIC;
