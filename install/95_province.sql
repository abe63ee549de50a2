-- Many counties, one province (README: Many counties, one province;
-- docs/scale-out.md).  Each county server keeps its own data and publishes
-- its region's inputs and results with PostgreSQL's logical replication;
-- the provincial server subscribes to every county, sees everything and
-- evaluates no subscribed county again.
--   use_id_block(county)          a county server numbers its rows in a block
--                                 of its own, so rows of many counties meet at
--                                 the province without colliding
--   county_publication(county)    the county's publication: the tables of
--                                 county_published_tables(), filtered to its
--                                 region where they have a region column
--   subscribe_county(county, …)   the province's record of which subscription
--                                 brings which county
-- and the province's checks, as triggers on the published tables:
--   an applied row (ENABLE REPLICA, in the replication workers only) is the
--   subscription's county's, or it is not applied and is logged in
--   replication_refused; a replicated TRUNCATE is refused;
--   a local write to a subscribed county's rows is refused (42501), as are
--   evaluate() and evaluation_discard() of a county whose results arrive by
--   subscription (55000, in install/85_evaluate.sql and 86_evaluation_summary.sql).

-- What a county publishes, and how each row names its county: its region
-- code, a township's code, its parcel's code, or its firm.  Inputs are the
-- county's to change; results (and the register) are evaluate()'s and the
-- clerks', written where the county evaluates.
CREATE FUNCTION parcel_gov.county_published_tables()
    RETURNS TABLE (table_name name, county_from text, kind text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT t.table_name::name, t.county_from, t.kind
    FROM (VALUES (1, 'region', 'code', 'inputs'), (2, 'park', 'region_code', 'inputs'),
                 (3, 'region_boundary', 'region_code', 'inputs'), (4, 'enterprise', 'region_code', 'inputs'),
                 (5, 'parcel', 'region_code', 'inputs'), (6, 'lease', 'parcel_code', 'inputs'),
                 (7, 'enterprise_year', 'uscc', 'inputs'), (8, 'evaluation', 'region_code', 'results'),
                 (9, 'evaluation_benchmark', 'region_code', 'results'),
                 (10, 'evaluation_summary', 'region_code', 'results'), (11, 'register', 'parcel_code', 'results'),
                 (12, 'register_event', 'parcel_code', 'results')) AS t (n, table_name, county_from, kind)
    ORDER BY t.n;
END;
COMMENT ON FUNCTION parcel_gov.county_published_tables() IS
  'The tables a county server publishes to the province (county_publication()), how a row names its county (county_from: region_code, a township''s code, its parcel_code, or its firm''s uscc) and whether it is an input or a result (evaluate()''s, and the register)';

-- ---- The province's record of its subscriptions.
CREATE TABLE parcel_gov.county_subscription (
    subscription  name PRIMARY KEY,
    county        text NOT NULL UNIQUE REFERENCES parcel_gov.region
                  CONSTRAINT county_subscription_county_6_digits CHECK (county ~ '^[0-9]{6}$'),
    -- true: the county's results (evaluation, summaries, register) arrive too,
    -- and this server evaluates the county no more; false: only its inputs,
    -- and this server evaluates it
    results       boolean NOT NULL DEFAULT true,
    registered_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    registered_by name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker())
);
COMMENT ON TABLE parcel_gov.county_subscription IS
  '县区订阅 (the province''s subscriptions): which logical replication subscription brings which county''s rows, and whether its results come too (then evaluate() here refuses the county); written by subscribe_county() and unsubscribe_county()';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.county_subscription', '');

CREATE TABLE parcel_gov.replication_refused (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    refused_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    subscription name NOT NULL,
    county       text,              -- the subscription's county (NULL: none registered)
    table_name   name NOT NULL,
    operation    text NOT NULL,
    row_county   text,              -- the county the row belongs to (NULL: not known here)
    row_data     jsonb NOT NULL
);
COMMENT ON TABLE parcel_gov.replication_refused IS
  '拒收记录 (rows a county''s subscription sent that were not applied): a row of another county (or of a firm not known here), or a result where only inputs are subscribed; written by the province''s check of applied rows';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.replication_refused', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.replication_refused', 'id'), '');

-- A county-level code in use, or 22023.
CREATE FUNCTION parcel_gov.require_county(what text, county text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r parcel_gov.region;
BEGIN
    SELECT * INTO r FROM parcel_gov.region g WHERE g.code = require_county.county;
    IF r.code IS NULL OR r.level <> 'county' THEN
        RAISE EXCEPTION '%: % is not a county', what, coalesce(county, 'NULL') USING ERRCODE = '22023',
            HINT = 'Give a county''s 6-digit code (330604 上虞区, parcel_gov.region with level county): a county server publishes one county; a city''s or the province''s server subscribes and keeps the default numbering.';
    END IF;
    IF r.valid_to IS NOT NULL THEN
        RAISE EXCEPTION '%: county % % was superseded by % on %', what, r.code, r.name, r.superseded_by, r.valid_to
            USING ERRCODE = '22023', HINT = 'Give the code in use today.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_county(text, text) IS
  'internal: raises 22023 unless the code is a county''s in use (parcel_gov.region, level county, not superseded)';

-- ---- Id blocks.  Identity columns (parcel.fid, lease.id, evaluation.id,
-- register.fid, register_event.id, …) count from 1 on every server: rows of
-- two counties would collide at the province.  A county's server takes ids
-- from county code × 10⁹ + 1 to county code × 10⁹ + 999,999,999 (330604 →
-- 330604000000001 …), one block per county, readable by eye and below 2⁵³,
-- so JavaScript clients read them exactly.
CREATE FUNCTION parcel_gov.id_block(county text)
    RETURNS int8range
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF county !~ '^[1-9][0-9]{5}$' THEN
        RAISE EXCEPTION 'id_block: % is not a 6-digit region code', county USING ERRCODE = '22023',
            HINT = 'Give a county''s code, e.g. 330604.';
    END IF;
    RETURN int8range(county::bigint * 1000000000 + 1, (county::bigint + 1) * 1000000000);
END $$;
COMMENT ON FUNCTION parcel_gov.id_block(text) IS
  'The ids a county''s server gives its rows (use_id_block()): [county × 10⁹ + 1, (county + 1) × 10⁹), e.g. 330604 → [330604000000001,330605000000000)';

-- The identity columns of the extension's tables, with their sequences.
CREATE FUNCTION parcel_gov.identity_columns()
    RETURNS TABLE (tbl regclass, column_name name, identity "char", seq regclass)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.oid::regclass, a.attname, a.attidentity,
           pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'r' AND a.attidentity <> ''
    ORDER BY c.relname, a.attname;
END;
COMMENT ON FUNCTION parcel_gov.identity_columns() IS
  'internal: the identity columns of parcel_gov''s tables and their sequences (what use_id_block() sets)';

CREATE FUNCTION parcel_gov.use_id_block(county text, renumber boolean DEFAULT false)
    RETURNS TABLE (table_name name, column_name name, first_id bigint, last_id bigint, next_id bigint, renumbered bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    base bigint;
    first_ bigint;
    last_ bigint;
    c record;
    fk record;
    outside bigint;
    foreign_ids bigint;
    top bigint;
    seq_last bigint;
    moved bigint;
    saved_role constant text := current_setting('session_replication_role');
BEGIN
    PERFORM parcel_gov.require_county('use_id_block', county);
    base := county::bigint * 1000000000;
    first_ := lower(parcel_gov.id_block(county));
    last_ := upper(parcel_gov.id_block(county)) - 1;
    -- every column first: a refusal leaves everything as it was
    FOR c IN SELECT * FROM parcel_gov.identity_columns() LOOP
        EXECUTE format('SELECT count(*) FILTER (WHERE t.%1$I NOT BETWEEN $1 AND $2), '
                       'count(*) FILTER (WHERE t.%1$I NOT BETWEEN $1 AND $2 AND (t.%1$I < 1 OR t.%1$I >= 1000000000)) '
                       'FROM %2$s t', c.column_name, c.tbl)
        INTO outside, foreign_ids USING first_, last_;
        IF foreign_ids > 0 THEN
            RAISE EXCEPTION 'use_id_block: % rows of % have %.% values of another block', foreign_ids, c.tbl, c.tbl, c.column_name
                USING ERRCODE = '55000',
                      HINT = 'This database was numbered for another county (its ids are that county''s code × 10⁹ + n): a county''s rows are numbered once, for their county.';
        END IF;
        IF outside > 0 AND NOT renumber THEN
            RAISE EXCEPTION 'use_id_block: % rows of % have ids outside county %''s block', outside, c.tbl, county
                USING ERRCODE = '55000',
                      HINT = format('Call it before loading data, or let it move them: SELECT * FROM parcel_gov.use_id_block(%L, renumber => true) adds %s to each id (and to the columns that reference it); do it before the county publishes, while no one else writes.', county, base);
        END IF;
    END LOOP;
    FOR c IN SELECT * FROM parcel_gov.identity_columns() LOOP
        moved := 0;
        IF renumber THEN
            -- the old ids (1 … 999,999,999) move by base into the block, and
            -- so do the columns that reference them; replica mode keeps the
            -- guards, the history and the key checks out of a move that
            -- changes no fact
            PERFORM set_config('session_replication_role', 'replica', true);
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED BY DEFAULT', c.tbl, c.column_name);
            EXECUTE format('UPDATE %1$s t SET %2$I = t.%2$I + $1 WHERE t.%2$I < 1000000000', c.tbl, c.column_name)
            USING base;
            GET DIAGNOSTICS moved = ROW_COUNT;
            FOR fk IN SELECT k.conrelid::regclass AS tbl, a.attname
                      FROM pg_catalog.pg_constraint k
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                      JOIN pg_catalog.pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
                      WHERE k.contype = 'f' AND k.confrelid = c.tbl AND cardinality(k.confkey) = 1
                        AND r.attname = c.column_name LOOP
                EXECUTE format('UPDATE %1$s t SET %2$I = t.%2$I + $1 WHERE t.%2$I < 1000000000', fk.tbl, fk.attname)
                USING base;
            END LOOP;
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED %s', c.tbl, c.column_name,
                           CASE c.identity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END);
            PERFORM set_config('session_replication_role', saved_role, true);
        END IF;
        -- next: after every id the block has given, used or not
        EXECUTE format('SELECT max(t.%1$I) FROM %2$s t WHERE t.%1$I BETWEEN $1 AND $2', c.column_name, c.tbl)
        INTO top USING first_, last_;
        SELECT s.last_value INTO seq_last FROM pg_catalog.pg_sequences s
        WHERE format('%I.%I', s.schemaname, s.sequencename)::regclass = c.seq AND s.last_value BETWEEN first_ AND last_;
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET START WITH %s SET MINVALUE %s SET MAXVALUE %s RESTART WITH %s',
                       c.tbl, c.column_name, first_, first_, last_, greatest(first_, top + 1, seq_last + 1));
        table_name := (SELECT k.relname FROM pg_catalog.pg_class k WHERE k.oid = c.tbl);
        column_name := c.column_name;
        first_id := first_;
        last_id := last_;
        next_id := greatest(first_, top + 1, seq_last + 1);
        renumbered := moved;
        RETURN NEXT;
    END LOOP;
END $$;
COMMENT ON FUNCTION parcel_gov.use_id_block(text, boolean) IS
  '一县一号段: a county server''s identity columns (parcel.fid, lease.id, evaluation.id, register.fid, register_event.id and every other) take ids from the county''s block id_block(county) only, so the counties'' rows meet at the province without colliding; idempotent (the next id follows every id given); rows already numbered outside the block are refused (55000) unless renumber moves them in (ids + county × 10⁹, with the columns that reference them); a non-county code is refused (22023). A superuser''s, before the county publishes; again after a restore (a dump keeps the ids, not the bounds)';

-- ---- The county's publication.
CREATE FUNCTION parcel_gov.county_publication(county text)
    RETURNS name
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pub constant name := 'parcel_gov_' || county;
    tables text;
    unbounded text;
BEGIN
    PERFORM parcel_gov.require_county('county_publication', county);
    -- the county's rows must not collide with another county's at the province
    SELECT string_agg(format('%s.%s', i.tbl, i.column_name), ', ') INTO unbounded
    FROM parcel_gov.identity_columns() i
    JOIN pg_catalog.pg_sequence s ON s.seqrelid = i.seq
    WHERE (s.seqmin, s.seqmax) IS DISTINCT FROM (lower(parcel_gov.id_block(county)), upper(parcel_gov.id_block(county)) - 1);
    IF unbounded IS NOT NULL THEN
        RAISE EXCEPTION 'county_publication: the ids of % are not in county %''s block', unbounded, county
            USING ERRCODE = '55000',
                  HINT = format('SELECT * FROM parcel_gov.use_id_block(%L) first (renumber => true for rows already numbered).', county);
    END IF;
    -- row filters on the region column (its county's rows, a township's
    -- code for the county's own regions); lease, figures, the register and
    -- its history have none (their county is their parcel's or firm's):
    -- a county server holds its own, and the province checks each row
    SELECT string_agg(format('parcel_gov.%I', t.table_name)
                      || CASE t.county_from
                           WHEN 'region_code' THEN format(' WHERE (left(region_code, 6) = %L)', county)
                           WHEN 'code' THEN format(' WHERE (NOT shipped AND left(code, 6) = %L)', county)
                           ELSE '' END, ', ' ORDER BY t.table_name)
    INTO tables FROM parcel_gov.county_published_tables() t;
    -- no TRUNCATE: one county's would empty every county's rows at the province
    IF EXISTS (SELECT FROM pg_catalog.pg_publication p WHERE p.pubname = pub) THEN
        EXECUTE format('ALTER PUBLICATION %I SET TABLE %s', pub, tables);
        EXECUTE format('ALTER PUBLICATION %I SET (publish = %L)', pub, 'insert, update, delete');
    ELSE
        EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s WITH (publish = %L)', pub, tables, 'insert, update, delete');
    END IF;
    IF current_setting('wal_level') <> 'logical' THEN
        RAISE WARNING 'county_publication: wal_level is %, so nothing is published yet', current_setting('wal_level')
            USING HINT = 'Set wal_level = logical in postgresql.conf and restart the server.';
    END IF;
    RETURN pub;
END $$;
COMMENT ON FUNCTION parcel_gov.county_publication(text) IS
  '县区发布: creates (or brings in line) the publication parcel_gov_<county> of a county server: the tables of county_published_tables(), those with a region column filtered to the county, inserts, updates and deletes (no TRUNCATE); refused (55000) while the ids are not in the county''s block (use_id_block()); returns its name. A superuser''s';

-- ---- The province's subscriptions.
CREATE FUNCTION parcel_gov.subscribe_county(county text, subscription name DEFAULT NULL, results boolean DEFAULT true)
    RETURNS name
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    sub constant name := coalesce(subscribe_county.subscription, ('parcel_gov_' || subscribe_county.county)::name);
    other text;
BEGIN
    PERFORM parcel_gov.require_county('subscribe_county', subscribe_county.county);
    IF subscribe_county.results IS NULL THEN
        RAISE EXCEPTION 'subscribe_county: results must be true or false' USING ERRCODE = '22004',
            HINT = 'true: the county''s results arrive and this server evaluates it no more; false: only its inputs, evaluated here.';
    END IF;
    SELECT s.county INTO other FROM parcel_gov.county_subscription s
    WHERE s.subscription = sub AND s.county <> subscribe_county.county;
    IF other IS NOT NULL THEN
        RAISE EXCEPTION 'subscribe_county: subscription % brings county % already', sub, other USING ERRCODE = '23505',
            HINT = 'One subscription per county: give each county''s its own name (parcel_gov_<county>).';
    END IF;
    INSERT INTO parcel_gov.county_subscription AS s (subscription, county, results)
    VALUES (sub, subscribe_county.county, subscribe_county.results)
    ON CONFLICT (county) DO UPDATE
    SET subscription = EXCLUDED.subscription, results = EXCLUDED.results,
        registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_subscription p
                   WHERE p.subname = sub AND p.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d
                                                          WHERE d.datname = current_database())) THEN
        RAISE NOTICE 'subscribe_county: no subscription % in this database yet', sub
            USING HINT = format('CREATE SUBSCRIPTION %I CONNECTION ''host=… dbname=…'' PUBLICATION parcel_gov_%s', sub, subscribe_county.county);
    END IF;
    RETURN sub;
END $$;
COMMENT ON FUNCTION parcel_gov.subscribe_county(text, name, boolean) IS
  '县区订阅登记: records that a subscription (parcel_gov_<county> by default) brings a county''s rows to this server; results (true) says its evaluation, summaries and register come too, so evaluate() here refuses the county; false: only its inputs, evaluated here. Rows the subscription sends of any other county are not applied (replication_refused). A superuser''s, before or after CREATE SUBSCRIPTION';

CREATE FUNCTION parcel_gov.unsubscribe_county(county text)
    RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM parcel_gov.county_subscription s WHERE s.county = unsubscribe_county.county;
    RETURN FOUND;
END $$;
COMMENT ON FUNCTION parcel_gov.unsubscribe_county(text) IS
  'undo subscribe_county() (after DROP SUBSCRIPTION): the county''s rows stay, and this server may evaluate and change them again; true when it was registered';

-- The county a parcel code belongs to: its parcel's region here, else the
-- county its first six digits name (or the code that superseded them).
CREATE FUNCTION parcel_gov.county_of_parcel(parcel_code text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce((SELECT p.region_code FROM parcel_gov.parcel p WHERE p.code = county_of_parcel.parcel_code),
                    (SELECT coalesce(r.superseded_by, r.code) FROM parcel_gov.region r
                     WHERE r.code = left(county_of_parcel.parcel_code, 6)),
                    left(county_of_parcel.parcel_code, 6));
END;
COMMENT ON FUNCTION parcel_gov.county_of_parcel(text) IS
  'the county of a 宗地代码: its parcel''s region_code, else the county its first six digits name (the successor of a superseded code)';

-- evaluate() and evaluation_discard(): not for a county whose results arrive.
CREATE FUNCTION parcel_gov.require_evaluated_here(what text, prefix text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    counties text;
    sub name;
BEGIN
    SELECT string_agg(s.county, ', ' ORDER BY s.county), min(s.subscription) INTO counties, sub
    FROM parcel_gov.county_subscription s
    WHERE s.results AND starts_with(s.county, coalesce(prefix, ''));
    IF counties IS NOT NULL THEN
        RAISE EXCEPTION '%: the results of % arrive from the county''s server (subscription %)', what, counties, sub
            USING ERRCODE = '55000',
                  HINT = 'Evaluate on the county''s server: its results reach this server within seconds. For a one-off province-wide what-if, read the counties through postgres_fdw (README: Many counties, one province); to evaluate a county here, drop its subscription and unsubscribe_county() it.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_evaluated_here(text, text) IS
  'internal, for evaluate() and evaluation_discard(): raises 55000 when a county of the region prefix has its results subscribed (county_subscription.results)';

-- ---- The check of applied rows (ENABLE REPLICA, in replication workers
-- only: the WHEN clause).  A row of another county than the
-- subscription's, of a firm this server does not know once the firms are
-- copied, or a result where only inputs are subscribed, is not applied: the
-- worker goes on, the row goes to replication_refused and the server log
-- (WARNING).  An update or delete is judged by the row here as well.  A
-- subscription nobody registered stops (55000) until it is registered.
CREATE FUNCTION parcel_gov.replicated_row_check()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sub constant name := parcel_gov.applying_subscription();
    county_from constant text := TG_ARGV[0];
    kind constant text := TG_ARGV[1];
    reg parcel_gov.county_subscription;
    r record;
    theirs text;
BEGIN
    SELECT * INTO reg FROM parcel_gov.county_subscription s WHERE s.subscription = sub;
    IF reg.subscription IS NULL THEN
        RAISE EXCEPTION 'subscription % sends rows of % but is not registered as a county''s', sub, TG_TABLE_NAME
            USING ERRCODE = '55000',
                  HINT = format('SELECT parcel_gov.subscribe_county(''<county>'', %L) on this server; the worker retries.', sub);
    END IF;
    FOR pass IN 1 .. 2 LOOP
        CONTINUE WHEN (pass = 1 AND TG_OP = 'DELETE') OR (pass = 2 AND TG_OP = 'INSERT');
        IF pass = 1 THEN
            r := NEW;
        ELSE
            r := OLD;
        END IF;
        IF county_from = 'region_code' THEN
            theirs := left(r.region_code, 6);
        ELSIF county_from = 'code' THEN
            theirs := CASE WHEN NOT r.shipped AND length(r.code) = 9 THEN left(r.code, 6) END;
        ELSIF county_from = 'parcel_code' THEN
            theirs := parcel_gov.county_of_parcel(r.parcel_code);
        ELSE
            theirs := (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = r.uscc);
            -- the firm's row may not be copied yet (each table is copied on
            -- its own): until it is, stop and retry; afterwards an unknown
            -- firm is none of the county's
            IF theirs IS NULL AND NOT EXISTS (
                   SELECT FROM pg_catalog.pg_subscription_rel sr
                   JOIN pg_catalog.pg_subscription su ON su.oid = sr.srsubid
                   WHERE su.subname = sub AND sr.srrelid = 'parcel_gov.enterprise'::regclass
                     AND sr.srsubstate IN ('s', 'r')) THEN
                RAISE EXCEPTION 'subscription %: firm % of % has not arrived yet', sub, r.uscc, TG_TABLE_NAME
                    USING ERRCODE = '55000', HINT = 'The worker retries once the county''s firms are copied.';
            END IF;
        END IF;
        IF theirs IS DISTINCT FROM reg.county OR (kind = 'results' AND NOT reg.results) THEN
            INSERT INTO parcel_gov.replication_refused (subscription, county, table_name, operation, row_county, row_data)
            VALUES (sub, reg.county, TG_TABLE_NAME, TG_OP, theirs, to_jsonb(r));
            RAISE WARNING 'subscription % (county %) sent % of a row of % of %: not applied', sub, reg.county, TG_OP,
                          TG_TABLE_NAME, coalesce(theirs, 'no known county')
                USING HINT = CASE WHEN theirs IS DISTINCT FROM reg.county
                                  THEN 'A county publishes its own rows only (parcel_gov.replication_refused keeps the row).'
                                  ELSE 'Only the county''s inputs are subscribed (county_subscription.results): this server evaluates it.' END;
            RETURN NULL;
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.replicated_row_check() IS
  'Trigger (ENABLE REPLICA, in logical replication workers only): a row a subscription applies must be its registered county''s (a result only where results are subscribed); else it is not applied and is logged in replication_refused (WARNING); an unregistered subscription stops with 55000';

CREATE FUNCTION parcel_gov.replicated_truncate_refused()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF parcel_gov.applying_subscription() IS NOT NULL THEN
        RAISE EXCEPTION 'subscription %: a TRUNCATE of % would empty every county''s rows here',
                        parcel_gov.applying_subscription(), TG_TABLE_NAME
            USING ERRCODE = '42501',
                  HINT = 'Publish inserts, updates and deletes only (county_publication() does): a county removes its own rows with DELETE.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.replicated_truncate_refused() IS
  'Trigger (ENABLE REPLICA): a TRUNCATE a subscription applies is refused (42501): it would empty every county''s rows';

-- ---- Local writes to a subscribed county's rows (ordinary triggers: they
-- do not fire for applied rows).  Its inputs, and where its results come
-- too, its register, are changed on the county's server; the results and
-- the history are guarded already (evaluation_guard, history_guard), and
-- evaluate() refuses the county.  A superuser's restore passes (row_security
-- off, as pg_restore sets it), as the guards let it.
CREATE FUNCTION parcel_gov.subscribed_county_read_only()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rows_src constant text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                                         ELSE '(SELECT * FROM new_rows n UNION ALL SELECT * FROM old_rows o)' END;
    county_of constant text := CASE TG_ARGV[0]
        WHEN 'region_code' THEN 'left(t.region_code, 6)'
        WHEN 'code' THEN 'CASE WHEN length(t.code) = 9 THEN left(t.code, 6) END'
        WHEN 'parcel_code' THEN 'parcel_gov.county_of_parcel(t.parcel_code)'
        ELSE '(SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = t.uscc)' END;
    hit parcel_gov.county_subscription;
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.county_subscription s WHERE s.results OR TG_ARGV[1] = 'inputs') THEN
        RETURN NULL;            -- a county's server, or no such county here
    END IF;
    IF NOT current_setting('row_security')::boolean
       AND (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = parcel_gov.invoker()) THEN
        RETURN NULL;            -- a superuser's restore
    END IF;
    EXECUTE format('SELECT s.* FROM (SELECT DISTINCT %s AS county FROM %s t) AS x '
                   'JOIN parcel_gov.county_subscription s ON s.county = x.county '
                   'WHERE s.results OR $1 = ''inputs'' ORDER BY s.county LIMIT 1', county_of, rows_src)
    INTO hit USING TG_ARGV[1];
    IF hit.county IS NOT NULL THEN
        RAISE EXCEPTION '%: rows of % come from the county''s server (subscription %): % refused here',
                        TG_TABLE_NAME, hit.county, hit.subscription, TG_OP
            USING ERRCODE = '42501',
                  HINT = 'Change them on the county''s server: the change reaches this server within seconds.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.subscribed_county_read_only() IS
  'Trigger (per statement, on the published tables): a local write to the rows of a county whose rows arrive by subscription (its inputs; its register where its results come too) is refused (42501); applied rows do not fire it';

-- The triggers of a published table.
CREATE FUNCTION parcel_gov.county_row_triggers(tbl regclass, county_from text, kind text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER replicated_row_check BEFORE INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW WHEN (parcel_gov.applying_subscription() IS NOT NULL) '
                   'EXECUTE FUNCTION parcel_gov.replicated_row_check(%L, %L)', tbl, county_from, kind);
    EXECUTE format('CREATE TRIGGER replicated_truncate_refused BEFORE TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.replicated_truncate_refused()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE REPLICA TRIGGER replicated_row_check, '
                   'ENABLE REPLICA TRIGGER replicated_truncate_refused', tbl);
    -- the results and the history have their guards; the register is the clerks'
    IF kind = 'inputs' OR tbl = 'parcel_gov.register'::regclass THEN
        EXECUTE format('CREATE TRIGGER subscribed_county_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
        EXECUTE format('CREATE TRIGGER subscribed_county_update AFTER UPDATE ON %s '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
    END IF;
    IF kind = 'inputs' THEN
        EXECUTE format('CREATE TRIGGER subscribed_county_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.county_row_triggers(regclass, text, text) IS
  'internal, for the install and update scripts: the province''s triggers on a published table (the check of applied rows, the refused TRUNCATE, the refusal of local writes to subscribed counties'' rows)';

SELECT parcel_gov.county_row_triggers(format('parcel_gov.%I', t.table_name)::regclass, t.county_from, t.kind)
FROM parcel_gov.county_published_tables() t;
