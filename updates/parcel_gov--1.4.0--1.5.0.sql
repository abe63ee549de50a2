-- parcel_gov 1.4.0 → 1.5.0: trust.  The functions are the only door to
-- results and history: evaluate, evaluation_discard, simulate, transition,
-- import_parcels, contract_mark_below_target and the grant functions run
-- as the extension's owner (SECURITY DEFINER, pinned search_path) and check
-- their caller's role and regions; county roles write only their county's
-- inputs; the engine's internals are executable by no county role; region
-- grants are kept by role OID; every view is readable by the reader role.
-- A delta: functions are replaced in place, nothing is dropped but the
-- old role_region key (whose column now holds the role's OID).

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.5.0'" to load this file. \quit

CREATE FUNCTION parcel_gov.invoker()
    RETURNS regrole
    AS 'MODULE_PATHNAME', 'invoker'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.invoker() IS
  'the calling role (the session''s user or the role it SET ROLE to), unchanged inside SECURITY DEFINER functions: the actor of the register''s history and of the run logs';

-- The history's actor and the run logs' run_by: the calling role, also
-- inside SECURITY DEFINER functions.
ALTER TABLE parcel_gov.evaluation_run ALTER COLUMN run_by SET DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker());
ALTER TABLE parcel_gov.register_event ALTER COLUMN actor SET DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker());
ALTER TABLE parcel_gov.simulation ALTER COLUMN run_by SET DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker());

-- Region grants by role OID: a grant of a role that no longer exists is dropped.
ALTER TABLE parcel_gov.role_region ADD COLUMN grantee regrole;
UPDATE parcel_gov.role_region g SET grantee = r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = g.role_name;
DELETE FROM parcel_gov.role_region WHERE grantee IS NULL;
COMMENT ON TABLE parcel_gov.role_region IS
  '区域授权 (region grants): the regions a role may see and change, by code prefix (33 province, 3306 city, 330604 county); written by region_grant() and region_revoke(); a grant whose role was dropped counts for nothing';

-- The code prefixes a role may see: '' (everything) for members of
-- parcel_gov_admin, else the prefixes granted to any existing role it is a
-- member of.
CREATE FUNCTION parcel_gov.visible_prefixes_of(who regrole)
    RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN pg_has_role(who, 'parcel_gov_admin', 'MEMBER') THEN ARRAY['']
                ELSE coalesce(array_agg(g.region_prefix), '{}') END
    FROM parcel_gov.role_region g JOIN pg_roles r ON r.oid = g.grantee
    WHERE pg_has_role(who, r.oid, 'MEMBER');
END;
COMMENT ON FUNCTION parcel_gov.visible_prefixes_of(regrole) IS
  'the region code prefixes a role may see and change ('''' = every region, for parcel_gov_admin)';

-- The current user's: what the row-level security policies read.
CREATE OR REPLACE FUNCTION parcel_gov.visible_prefixes()
    RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT parcel_gov.visible_prefixes_of(r.oid::regrole) FROM pg_roles r WHERE r.rolname = current_user;
END;

-- role_name goes once visible_prefixes(), whose SQL body depended on it, no longer reads it.
ALTER TABLE parcel_gov.role_region
    DROP CONSTRAINT role_region_pkey,
    DROP COLUMN role_name,
    ALTER COLUMN grantee SET NOT NULL,
    ALTER COLUMN granted_by SET DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    ADD PRIMARY KEY (grantee, region_prefix);

-- The door of every function that writes results, history or grants: they
-- run as the extension's owner, so they check their caller here.  42501
-- unless the calling role is a member of role_needed and, when a region is
-- named, that region lies within the caller's grants.
CREATE FUNCTION parcel_gov.require_caller(what text, role_needed name, prefix text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who constant regrole := parcel_gov.invoker();
BEGIN
    IF NOT pg_has_role(who, role_needed, 'MEMBER') THEN
        RAISE EXCEPTION '%: permission denied for role %', what, who USING ERRCODE = '42501',
            HINT = pg_catalog.format('%s is for members of %s.', what, role_needed);
    END IF;
    IF prefix IS NOT NULL AND NOT prefix ^@ ANY (parcel_gov.visible_prefixes_of(who)) THEN
        RAISE EXCEPTION '%: region % is not granted to %', what, coalesce(nullif(prefix, ''), 'all regions'), who
            USING ERRCODE = '42501',
            HINT = 'Name a region you were granted (parcel_gov.visible_prefixes()); parcel_gov_admin grants regions with region_grant().';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_caller(text, name, text) IS
  'Raises 42501 unless the calling role (invoker()) is a member of role_needed and, when prefix is given, was granted that region; what the writing functions check first';

CREATE OR REPLACE FUNCTION parcel_gov.region_grant(role_name name, region_prefix text)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prefix text;
BEGIN
    PERFORM parcel_gov.require_caller('region_grant', 'parcel_gov_admin');
    -- grants of dropped roles count for nothing; their rows go here
    DELETE FROM parcel_gov.role_region g WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.oid = g.grantee);
    IF role_name IS NULL OR NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = region_grant.role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = '42704',
            HINT = 'Create the role first (CREATE ROLE … IN ROLE parcel_gov_reader), then grant it regions.';
    END IF;
    IF region_prefix IS NULL THEN
        RAISE EXCEPTION 'region_grant needs a region' USING ERRCODE = '22004',
            HINT = 'For every region, make the role a member of parcel_gov_admin instead.';
    END IF;
    prefix := parcel_gov.region_prefix(region_prefix);
    INSERT INTO parcel_gov.role_region (grantee, region_prefix)
    SELECT r.oid, prefix FROM pg_roles r WHERE r.rolname = region_grant.role_name
    ON CONFLICT DO NOTHING;
    RETURN prefix;
END $$;

CREATE OR REPLACE FUNCTION parcel_gov.region_revoke(role_name name, region_prefix text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM parcel_gov.require_caller('region_revoke', 'parcel_gov_admin');
    -- grants of dropped roles count for nothing; their rows go here
    DELETE FROM parcel_gov.role_region g WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.oid = g.grantee);
    DELETE FROM parcel_gov.role_region g
    USING pg_roles r
    WHERE r.rolname = region_revoke.role_name AND g.grantee = r.oid
      AND g.region_prefix = parcel_gov.region_prefix(region_revoke.region_prefix);
    RETURN FOUND;
END $$;

-- One run per year at a time: evaluate() and evaluation_discard() lock the
-- year's row.  A row lock needs UPDATE on the table, which no county role
-- holds, so no account can hold a year's runs up (an advisory lock's key
-- anyone can take).
CREATE TABLE parcel_gov.evaluation_lock (
    year integer PRIMARY KEY
);
COMMENT ON TABLE parcel_gov.evaluation_lock IS
  '评价锁 (internal: the evaluation lock): one row per evaluated year, locked by evaluate() and evaluation_discard() so that runs of a year follow one another';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_lock', '');
CREATE FUNCTION parcel_gov.lock_evaluation_year(year integer)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO parcel_gov.evaluation_lock AS l VALUES (lock_evaluation_year.year) ON CONFLICT DO NOTHING;
    PERFORM FROM parcel_gov.evaluation_lock l WHERE l.year = lock_evaluation_year.year FOR UPDATE;
END $$;
COMMENT ON FUNCTION parcel_gov.lock_evaluation_year(integer) IS
  'internal: waits for and takes the lock of a year''s evaluation runs, until the transaction ends';
REVOKE EXECUTE ON FUNCTION parcel_gov.lock_evaluation_year(integer) FROM PUBLIC;
GRANT SELECT ON parcel_gov.evaluation_lock TO parcel_gov_reader;

-- An operator's UPDATE of the register writes its history as the owner.
ALTER FUNCTION parcel_gov.register_record() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

-- The writing functions, now run as the extension's owner after checking their caller
-- (import_parcels runs as its caller, who owns the staging table and may write the parcels).
CREATE OR REPLACE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    started constant timestamptz := clock_timestamp();
    run record;
BEGIN
    IF y IS NULL THEN
        RAISE EXCEPTION 'evaluate: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate(2024) or parcel_gov.evaluate(2024, ''330604'').';
    END IF;
    -- It runs as the extension's owner, so the engine reads every row it
    -- needs whoever calls: results never depend on the caller.  The caller
    -- must be an analyst granted the region.
    PERFORM parcel_gov.require_caller('evaluate', 'parcel_gov_analyst', prefix);
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM parcel_gov.lock_evaluation_year(y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    -- the summary's tax tiers are tax_tier()'s default, the Shaoxing 5/10/15 万元/亩
    SELECT * INTO run FROM parcel_gov.evaluate_run(y, prefix, started, '{5,10,15}');

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, run.firms, run.graded, run.changed);
    RETURN run.graded;
END $$;

CREATE OR REPLACE FUNCTION parcel_gov.evaluation_discard(year integer, region text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    removed bigint;
BEGIN
    IF evaluation_discard.year IS NULL THEN
        RAISE EXCEPTION 'evaluation_discard: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluation_discard(2024) or parcel_gov.evaluation_discard(2024, ''330604'').';
    END IF;
    PERFORM parcel_gov.require_caller('evaluation_discard', 'parcel_gov_analyst',
                                      parcel_gov.region_prefix(evaluation_discard.region));
    -- under evaluate()'s lock, so it cannot cut into a run of the same year
    PERFORM parcel_gov.lock_evaluation_year(evaluation_discard.year);
    removed := parcel_gov.evaluation_discard_rows(evaluation_discard.year,
                                                  parcel_gov.region_prefix(evaluation_discard.region));
    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (evaluation_discard.year, parcel_gov.region_prefix(evaluation_discard.region), now(), 0, 0, removed);
    RETURN removed;
END $$;

CREATE OR REPLACE FUNCTION parcel_gov.simulate(year integer, rule_set text, region text DEFAULT NULL)
    RETURNS TABLE (simulation_id bigint, uscc text, name text, current_score double precision,
                   current_grade parcel_gov.grade, simulated_score double precision, simulated_grade parcel_gov.grade)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := simulate.year;
    prefix constant text := parcel_gov.region_prefix(simulate.region);
    proposal constant text := simulate.rule_set;
    simulated jsonb;
    entering integer;
    clearing integer;
    sim_id bigint;
BEGIN
    PERFORM parcel_gov.require_caller('simulate', 'parcel_gov_analyst', prefix);
    IF y IS NULL OR proposal IS NULL THEN
        RAISE EXCEPTION 'simulate needs a year and a rule set' USING ERRCODE = '22004',
            HINT = 'e.g. simulate(2024, ''wenling'', ''330604'').';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set r WHERE r.id = proposal) THEN
        RAISE EXCEPTION 'no rule set %', proposal USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_pool p WHERE p.rule_set_id = proposal) THEN
        RAISE EXCEPTION 'rule set % has no pools', proposal USING ERRCODE = '22023',
            HINT = 'A rule set needs its pools and indicators (rule_pool, rule_indicator) to grade.';
    END IF;
    BEGIN
        -- the proposal applies to every county of the region this year: a
        -- county-level copy starting this year is the most specific rule
        DELETE FROM parcel_gov.rule_set r
        WHERE length(r.region_prefix) = 6 AND starts_with(r.region_prefix, prefix) AND r.year_from = y;
        PERFORM parcel_gov.rule_set_adopt(proposal, 'simulation_' || g.code, g.code, y, y)
        FROM parcel_gov.region g WHERE g.level = 'county' AND starts_with(g.code, prefix);
        PERFORM parcel_gov.evaluate(y, simulate.region);
        SELECT coalesce(jsonb_agg(jsonb_build_object('uscc', e.uscc, 'region', e.region_code,
                                                     'score', e.score, 'grade', e.grade)), '[]')
        INTO simulated FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix);
        SELECT count(*) FILTER (WHERE r.entered_at IS NULL AND r.state = 'candidate'
                                  AND r.state_since >= pg_catalog.now()),
               count(*) FILTER (WHERE r.state = 'assessing' AND r.clears_thresholds)
        INTO entering, clearing
        FROM parcel_gov.register r WHERE starts_with(r.parcel_code, prefix);
        RAISE EXCEPTION 'simulation rolled back' USING ERRCODE = 'PGSIM';
    EXCEPTION WHEN SQLSTATE 'PGSIM' THEN
        NULL;   -- the evaluation, the register and the rules are as they were
    END;
    INSERT INTO parcel_gov.simulation (year, rule_set_id, region_prefix, firms, parcels_entering, parcels_clearing)
    VALUES (y, proposal, prefix, jsonb_array_length(simulated), entering, clearing)
    RETURNING id INTO sim_id;
    INSERT INTO parcel_gov.simulation_firm
    SELECT sim_id, coalesce(s.uscc, e.uscc), coalesce(s.region, e.region_code), e.score, e.grade, s.score, s.grade
    FROM (SELECT * FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix)) AS e
    FULL JOIN jsonb_to_recordset(simulated) AS s(uscc text, region text, score double precision, grade parcel_gov.grade)
      ON s.uscc = e.uscc;
    RETURN QUERY
    SELECT f.simulation_id, f.uscc, n.name, f.current_score, f.current_grade, f.simulated_score, f.simulated_grade
    FROM parcel_gov.simulation_firm f LEFT JOIN parcel_gov.enterprise n ON n.uscc = f.uscc
    WHERE f.simulation_id = sim_id ORDER BY f.uscc;
END $$;

CREATE OR REPLACE FUNCTION parcel_gov.transition(parcel_code text, to_state parcel_gov.register_state,
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

CREATE OR REPLACE FUNCTION parcel_gov.import_parcels(staging regclass, region text, code_column text DEFAULT 'zddm',
                                          holder_column text DEFAULT NULL, source_srid integer DEFAULT NULL)
    RETURNS TABLE (source_row bigint, code text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    geom_column name;
    staged record;
    checked record;
    holder text;
    note text;
    seen text[] := '{}';
BEGIN
    -- It runs as its caller, not as the extension's owner: the staging table
    -- is the caller's (a view of theirs could run anything with the owner's
    -- rights), and the parcels it writes are theirs to write, under the
    -- same row-level security and triggers as their own INSERT.
    PERFORM parcel_gov.require_caller('import_parcels', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region) THEN
        RAISE EXCEPTION 'unknown region "%"', region USING ERRCODE = '23503',
            HINT = 'Add the county to parcel_gov.region first; parcels are imported one county at a time.';
    END IF;
    SELECT a.attname INTO geom_column FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped AND t.typname = 'geometry'
      AND t.typnamespace = (SELECT x.extnamespace FROM pg_extension x WHERE x.extname = 'postgis')
    ORDER BY a.attnum LIMIT 1;
    IF geom_column IS NULL THEN
        RAISE EXCEPTION 'staging table % has no geometry column', staging USING ERRCODE = '42703',
            HINT = 'Load it with ogr2ogr -f PostgreSQL, which creates one (wkb_geometry, or the name given by -lco GEOMETRY_NAME).';
    END IF;
    FOR staged IN EXECUTE format(
        'SELECT row_number() OVER (ORDER BY ctid) AS n, %I::text AS code, %s AS holder, %I AS geom FROM %s',
        code_column, CASE WHEN holder_column IS NULL THEN 'NULL::text' ELSE format('%I::text', holder_column) END,
        geom_column, staging)
    LOOP
        source_row := staged.n;
        code := upper(btrim(staged.code));
        holder := nullif(upper(btrim(staged.holder)), '');
        outcome := 'rejected';
        reason := NULL;
        note := NULL;
        BEGIN
            SELECT * INTO checked FROM parcel_gov.import_geometry(staged.geom, source_srid);
        EXCEPTION WHEN OTHERS THEN
            checked := NULL;
            reason := 'geometry cannot be reprojected: ' || SQLERRM;
        END;
        reason := coalesce(reason, CASE
            WHEN code IS NULL OR code = '' THEN 'no 宗地代码'
            WHEN parcel_gov.parcel_code_problem(code) IS NOT NULL THEN parcel_gov.parcel_code_problem(code)
            WHEN NOT starts_with(code, region) THEN format('宗地代码 of another county (%s), not %s', left(code, 6), region)
            WHEN code = ANY (seen) THEN 'the same 宗地代码 earlier in the file'
            WHEN EXISTS (SELECT FROM parcel_gov.parcel p WHERE p.code = import_parcels.code) THEN 'already in parcel'
            WHEN checked.problem IS NOT NULL THEN checked.problem
            WHEN holder IS NOT NULL AND parcel_gov.uscc_problem(holder) IS NOT NULL
              THEN 'holder: ' || parcel_gov.uscc_problem(holder) END);
        IF reason IS NULL THEN
            -- the caller's firms only
            IF holder IS NOT NULL AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e
                                                  WHERE e.uscc = holder
                                                    AND e.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
                note := format('holder %s not found or not permitted: left empty', holder);
                holder := NULL;
            END IF;
            INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
            VALUES (code, region, holder, checked.fit);
            outcome := CASE WHEN checked.repaired IS NULL THEN 'imported' ELSE 'repaired' END;
            reason := concat_ws('; ', 'repaired: ' || checked.repaired, note);
        END IF;
        IF code IS NOT NULL THEN
            seen := seen || code;
        END IF;
        RETURN NEXT;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION parcel_gov.contract_mark_below_target(year integer, region text DEFAULT NULL)
    RETURNS TABLE (parcel_code text, promises text[], years_in_breach bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM parcel_gov.require_caller('contract_mark_below_target', 'parcel_gov_operator',
                                      parcel_gov.region_prefix(contract_mark_below_target.region));
    IF contract_mark_below_target.year IS NULL THEN
        RAISE EXCEPTION 'contract_mark_below_target needs a year' USING ERRCODE = '22004',
            HINT = 'e.g. contract_mark_below_target(2024, ''330604'').';
    END IF;
    RETURN QUERY
    WITH due AS (
        SELECT b.parcel_code, array_agg(b.promise ORDER BY b.promise) AS promises, max(b.years_in_breach) AS years
        FROM parcel_gov.v_contract_breach b
        JOIN parcel_gov.rule_set rs ON rs.id = parcel_gov.rule_set_for(b.region_code, b.year)
        WHERE b.year = contract_mark_below_target.year
          AND starts_with(b.region_code, parcel_gov.region_prefix(contract_mark_below_target.region))
          AND b.years_in_breach >= rs.breach_years_below_target
        GROUP BY b.parcel_code
    ), marked AS (
        UPDATE parcel_gov.parcel p SET land_status = 'below_target'
        FROM due d WHERE p.code = d.parcel_code AND p.land_status = 'normal'
        RETURNING p.code
    )
    SELECT d.parcel_code::text, d.promises, d.years FROM due d JOIN marked m ON m.code = d.parcel_code
    ORDER BY d.parcel_code;
END $$;

-- role_region: a role sees its own grants, an admin all of them.
ALTER TABLE parcel_gov.role_region ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_grants ON parcel_gov.role_region FOR SELECT
    USING (pg_catalog.pg_has_role(grantee, 'MEMBER') OR pg_catalog.pg_has_role('parcel_gov_admin', 'MEMBER'));

-- What a county role may write of a parcel or a lease: a parcel's code names
-- its county (its first six digits are the parcel's region, or a code that
-- region superseded), and a holder or lessee is a firm the writer can see.
-- A firm holding or leasing land in another county is linked by the
-- province (parcel_gov_admin), and a parcel or lease so linked is changed
-- or deleted by the province alone: one county can never change another's
-- firms' land, and so their grades.  Another county's firm is "not found or
-- not permitted", never confirmed to exist.
CREATE FUNCTION parcel_gov.county_writes_own() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- as jsonb: one trigger for two tables, each naming its firm and code column (TG_ARGV)
    new_ jsonb;
    new_firm text;
    new_code text;
BEGIN
    -- the calling role, also when it writes through import_parcels()
    IF pg_has_role(parcel_gov.invoker(), 'parcel_gov_admin', 'MEMBER') THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    -- a row linked to another county's firm is the province's to change:
    -- its land is that firm's, and so are its grades
    IF TG_OP IN ('UPDATE', 'DELETE') AND to_jsonb(OLD) ->> TG_ARGV[0] IS NOT NULL
       AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e
                       WHERE e.uscc = to_jsonb(OLD) ->> TG_ARGV[0]
                         AND e.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
        RAISE EXCEPTION '% % is linked to a firm of another county', TG_TABLE_NAME, to_jsonb(OLD) ->> TG_ARGV[1]
            USING ERRCODE = '42501',
                  HINT = 'Land a firm of another county holds or leases is changed by the province (parcel_gov_admin).';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    new_ := to_jsonb(NEW);
    new_firm := new_ ->> TG_ARGV[0];
    new_code := new_ ->> TG_ARGV[1];
    IF TG_TABLE_NAME = 'parcel' AND left(new_code, 6) <> new_ ->> 'region_code'
       AND NOT EXISTS (SELECT FROM parcel_gov.region r
                       WHERE r.code = left(new_code, 6) AND r.superseded_by = new_ ->> 'region_code') THEN
        RAISE EXCEPTION 'parcel code % does not name region %', new_code, new_ ->> 'region_code' USING ERRCODE = '23514',
            HINT = 'The first six digits of a 宗地代码 are its county''s code (GB/T 37346); file the parcel under that county.';
    END IF;
    IF new_firm IS NOT NULL AND (TG_OP = 'INSERT' OR new_firm IS DISTINCT FROM to_jsonb(OLD) ->> TG_ARGV[0])
       AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e
                       WHERE e.uscc = new_firm
                         AND e.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
        RAISE EXCEPTION 'firm % not found or not permitted', new_firm USING ERRCODE = '23503',
            HINT = 'Add the firm to your county first; a firm of another county holds or leases land here only when the province (parcel_gov_admin) links it.';
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.county_writes_own() IS
  'Trigger: for county roles, a parcel''s code names its region (23514), a holder or lessee is one of the writer''s firms (23503, "not found or not permitted"), and a parcel or lease linked to another county''s firm is not theirs to change (42501); parcel_gov_admin links across counties';
CREATE TRIGGER parcel_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.parcel
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own('holder_uscc', 'code');
CREATE TRIGGER lease_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.lease
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own('lessee_uscc', 'parcel_code');

-- Figures beyond any firm there is (a unit or typing mistake) are refused
-- at the door, so one county's typo cannot stop another county's evaluation.
ALTER TABLE parcel_gov.enterprise_year ADD CONSTRAINT enterprise_year_within_bounds CHECK (
    abs(tax) < 1e9 AND abs(value_added) < 1e9 AND revenue < 1e9 AND abs(rd_expense) < 1e9
    AND staff < 1e7 AND energy_tce < 1e9 AND emission_t < 1e9 AND electricity_kwh < 1e12
    AND bonus < 1e9 AND deduction < 1e9);

-- A tile is drawn only once its request is checked, whatever the plan.
CREATE OR REPLACE FUNCTION parcel_gov.parcel_tile(z integer, x integer, y integer, query_params json DEFAULT '{}')
    RETURNS bytea
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT r.prefix, r.year FROM parcel_gov.tile_request(z, x, y, query_params) AS r
    ), bounds AS (
        -- NULL outside the zoom's tiles (tile_request then says why): the
        -- planner may compute the bounds while estimating the index search,
        -- before tile_request runs, and PostGIS would fail with XX000
        SELECT CASE WHEN t.ok THEN ST_TileEnvelope(z, x, y) END AS tile,
               CASE WHEN t.ok THEN ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 4490) END AS search
        FROM (SELECT z BETWEEN 0 AND 24 AND x BETWEEN 0 AND (1 << z) - 1 AND y BETWEEN 0 AND (1 << z) - 1 AS ok) AS t
    )
    SELECT coalesce((
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid')
        FROM (
            SELECT v.fid, v.code::text AS code, v.year, v.region_code, v.holder_uscc::text AS holder_uscc,
                   v.holder_name, v.area_mu, v.tax_per_mu, v.va_per_mu, v.grade::text AS grade, v.grade_label,
                   v.tax_tier, parcel_gov.label(v.kinds) AS kinds, v.batch::text AS batch,
                   parcel_gov.label(v.batch) AS batch_label, v.register_state::text AS register_state,
                   parcel_gov.label(v.register_state) AS register_state_label,
                   ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.tile, 4096, 64, true) AS geom
            FROM parcel_gov.v_parcel_efficiency v, bounds b, request q
            WHERE v.geom && b.search AND v.year = q.year AND starts_with(v.region_code, q.prefix)
        ) AS f
        WHERE f.geom IS NOT NULL), '\x'::bytea);
END;

-- Per-mu limits as rule data, checked when a firm's figures are written.
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN max_tax_per_mu double precision NOT NULL DEFAULT 1000
        CONSTRAINT rule_set_max_tax_per_mu_positive CHECK (max_tax_per_mu > 0),
    ADD COLUMN max_va_per_mu double precision NOT NULL DEFAULT 10000
        CONSTRAINT rule_set_max_va_per_mu_positive CHECK (max_va_per_mu > 0);
COMMENT ON COLUMN parcel_gov.rule_set.max_tax_per_mu IS
  '亩均税收 above this (万元/亩) on the land a firm holds is refused when its figures are written: a tax given in 元 is 10⁴ times too large';
COMMENT ON COLUMN parcel_gov.rule_set.max_va_per_mu IS
  '亩均增加值 above this (万元/亩) on the land a firm holds is refused when its figures are written';
CREATE OR REPLACE FUNCTION parcel_gov.rule_set_adopt(template text, new_id text, region_prefix text,
                                          year_from integer DEFAULT NULL, year_to integer DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set WHERE id = template) THEN
        RAISE EXCEPTION 'no rule set %', template USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    INSERT INTO parcel_gov.rule_set (id, name, region_prefix, year_from, year_to, builtin, source,
                                     new_land_exempt_years, persistent_low_min_mu, persistent_low_tax_per_mu,
                                     still_below_min_mu, doubling_min_revenue, doubling_min_tax,
                                     non_industrial_since, breach_years_below_target, max_tax_per_mu, max_va_per_mu)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    RETURN new_id;
END $$;

-- A firm's yearly figures are refused when its per-mu tax or value added on
-- the land it holds goes beyond its rule set's limits: a figure in the wrong
-- unit (元 for 万元) would otherwise pass, put every firm in the top tax tier
-- and keep low-efficiency land out of the register.  The land is every
-- parcel the firm holds, in any county (the function runs as the
-- extension's owner to count them); a firm without land yet is not checked.
-- Once per statement, over all its rows: a bulk load or a restore is one
-- query, not one per row.
CREATE FUNCTION parcel_gov.figures_plausible() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    -- as the owner, over the rows it is given: enterprise_year's only, never
    -- those of a table someone attached it to
    IF TG_RELID <> 'parcel_gov.enterprise_year'::regclass OR TG_LEVEL <> 'STATEMENT' OR TG_WHEN <> 'AFTER' THEN
        RAISE EXCEPTION 'figures_plausible checks parcel_gov.enterprise_year only, not %', TG_RELID::regclass
            USING ERRCODE = '39P01';
    END IF;
    SELECT n.uscc, n.year, x.figure, x.amount, h.held, x.line, r.id AS rule_set INTO bad
    FROM new_rows n
    CROSS JOIN LATERAL (SELECT sum(p.area_mu) AS held FROM parcel_gov.parcel p WHERE p.holder_uscc = n.uscc) AS h
    JOIN parcel_gov.enterprise e ON e.uscc = n.uscc
    JOIN parcel_gov.rule_set r ON r.id = parcel_gov.rule_set_for(e.region_code, n.year)
    CROSS JOIN LATERAL (VALUES ('亩均税收 (tax)', n.tax, r.max_tax_per_mu),
                               ('亩均增加值 (value added)', n.value_added, r.max_va_per_mu)) AS x(figure, amount, line)
    WHERE h.held > 0 AND x.amount / h.held > x.line
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'firm % in %: % of % 万元 on % mu is % 万元/亩, beyond the limit of % 万元/亩 of rule set %',
                bad.uscc, bad.year, bad.figure, bad.amount, round(bad.held::numeric, 2),
                round((bad.amount / bad.held)::numeric, 2), bad.line, bad.rule_set
            USING ERRCODE = '23514',
                  HINT = 'Money is in 万元 (10⁴ 元): a figure in 元 is 10⁴ times too large. A county whose firms really exceed the limit raises max_tax_per_mu or max_va_per_mu in its rule set.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.figures_plausible() IS
  'Trigger: a firm''s yearly tax or value added per mu of the land it holds beyond its rule set''s max_tax_per_mu / max_va_per_mu is refused (23514), the firm and the figure named';
CREATE TRIGGER enterprise_year_figures_plausible_insert AFTER INSERT ON parcel_gov.enterprise_year
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER enterprise_year_figures_plausible_update AFTER UPDATE ON parcel_gov.enterprise_year
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();

-- Land a county's firm holds or leases in another county (linked by the
-- province): the firm's county sees the parcel and the lease, read only.
-- ANY (SELECT …), not ANY (ARRAY(…)): the role's firms are hashed once per
-- query and each row probes the hash, instead of scanning an array.
CREATE POLICY firm_land ON parcel_gov.parcel FOR SELECT
    USING (holder_uscc OPERATOR(pg_catalog.=) ANY (SELECT e.uscc FROM parcel_gov.enterprise e));
CREATE POLICY firm_land ON parcel_gov.lease FOR SELECT
    USING (lessee_uscc OPERATOR(pg_catalog.=) ANY (SELECT e.uscc FROM parcel_gov.enterprise e));

-- Results, run logs, simulations, the register and its history are
-- written by the functions alone; the engine's internals by no county role.
REVOKE INSERT, UPDATE, DELETE ON parcel_gov.evaluation, parcel_gov.evaluation_benchmark,
                                 parcel_gov.evaluation_summary, parcel_gov.evaluation_run FROM parcel_gov_analyst;
REVOKE INSERT, UPDATE ON parcel_gov.register FROM parcel_gov_analyst, parcel_gov_operator;
GRANT UPDATE (state, batch, plan, deadline, reason, evidence, exit_reason) ON parcel_gov.register TO parcel_gov_operator;
REVOKE INSERT ON parcel_gov.register_event FROM parcel_gov_analyst, parcel_gov_operator;
REVOKE INSERT, DELETE ON parcel_gov.simulation, parcel_gov.simulation_firm FROM parcel_gov_analyst;
REVOKE INSERT, UPDATE, DELETE ON parcel_gov.role_region FROM parcel_gov_admin;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]),
                           parcel_gov.evaluation_discard_rows(integer, text) FROM parcel_gov_analyst;
-- The extension's trigger functions fire on its own tables only: no one may
-- attach them to a table of theirs (two run as the owner, on the rows they
-- are given).  EXECUTE is checked when a trigger is created, not when it fires.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'parcel_gov'::regnamespace AND p.prorettype = 'trigger'::regtype LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
-- The 1.3.0 views, readable like every other.
GRANT SELECT ON parcel_gov.v_contract_breach, parcel_gov.v_early_warning, parcel_gov.v_target_progress,
                parcel_gov.v_simulation_moves TO parcel_gov_reader;
