-- Roles and row-level security (README: Roles).  Four group roles, created
-- here when missing (roles belong to the cluster: DROP EXTENSION leaves
-- them), each with the least it needs:
--   parcel_gov_reader    read the tables and views of its regions (BI accounts)
--   parcel_gov_analyst   + evaluate() and evaluation_discard() for its regions
--   parcel_gov_operator  + the register's transitions, parcels, firms, leases and figures of its regions
--   parcel_gov_admin     every region, the rules, the regions, the grants
-- A login role gets its regions from region_grant(role, prefix): a grant of
-- a city (3306) covers its counties.  Superusers and the tables' owner are
-- not limited by row-level security, as PostgreSQL has it.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['parcel_gov_reader', 'parcel_gov_analyst', 'parcel_gov_operator', 'parcel_gov_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
GRANT parcel_gov_reader TO parcel_gov_analyst, parcel_gov_operator;
GRANT parcel_gov_analyst, parcel_gov_operator TO parcel_gov_admin;

-- Which roles see which regions: a configuration table, dumped with the data,
-- so the policies below (created by this script, as pg_dump does not keep
-- policies on extension tables) find their grants again after a restore.
CREATE TABLE parcel_gov.role_region (
    -- by OID: a grant dies with its role and never passes to a later role of the same name
    grantee       regrole NOT NULL,
    region_prefix text NOT NULL CONSTRAINT role_region_prefix_digits CHECK (region_prefix ~ '^([0-9]{2}){1,3}$'),
    granted_by    name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    granted_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (grantee, region_prefix)
);
COMMENT ON TABLE parcel_gov.role_region IS
  '区域授权 (region grants): the regions a role may see and change, by code prefix (33 province, 3306 city, 330604 county); written by region_grant() and region_revoke(); a grant whose role was dropped counts for nothing';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.role_region', '');

-- The code prefixes a role may see: '' (everything) for members of
-- parcel_gov_admin, else the prefixes granted to any existing role it is a
-- member of.  C (src/visible_prefixes.c): every policy reads it, and the
-- county triggers once a row; the answer is kept while the same role reads
-- with the same snapshot (same transaction and command, same transactions
-- running), so a clerk's import of 30,000 parcels reads the grants once,
-- not twice a row (as PL/pgSQL, 0.15 ms a row).
CREATE FUNCTION parcel_gov.visible_prefixes_of(who regrole)
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'visible_prefixes_of'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.visible_prefixes_of(regrole) IS
  'the region code prefixes a role may see and change ('''' = every region, for parcel_gov_admin)';

-- The current user's: what the row-level security policies read.
CREATE FUNCTION parcel_gov.visible_prefixes()
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'visible_prefixes'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.visible_prefixes() IS
  'the region code prefixes the current user may see and change ('''' = every region, for parcel_gov_admin); what the row-level security policies read';

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

CREATE FUNCTION parcel_gov.region_grant(role_name name, region_prefix text)
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
COMMENT ON FUNCTION parcel_gov.region_grant(name, text) IS
  '区域授权: let a role see and change the rows of a region (330604 county, 330600 or 3306 city, 330000 or 33 province); returns the prefix stored; for parcel_gov_admin members';

CREATE FUNCTION parcel_gov.region_revoke(role_name name, region_prefix text)
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
COMMENT ON FUNCTION parcel_gov.region_revoke(name, text) IS
  'undo region_grant(); true when there was such a grant';

-- The policies: a row is visible and writable when its region code (or its
-- parcel's code, whose first six digits are the county) starts with a
-- visible prefix.  ARRAY(SELECT …) makes the prefixes an InitPlan: looked up
-- once per query, not per row.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('park', 'region_code'), ('region_boundary', 'region_code'), ('parcel', 'region_code'), ('enterprise', 'region_code'),
        ('lease', 'parcel_code'), ('evaluation', 'region_code'), ('evaluation_benchmark', 'region_code'),
        ('evaluation_summary', 'region_code'), ('evaluation_run', 'region_prefix'),
        ('register', 'parcel_code'), ('register_event', 'parcel_code'), ('issue', 'parcel_code')) AS x(tab, col)
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE parcel_gov.%I ENABLE ROW LEVEL SECURITY', t.tab);
        EXECUTE pg_catalog.format(
            'CREATE POLICY region_rows ON parcel_gov.%I USING (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))) '
            'WITH CHECK (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))',
            t.tab, t.col, t.col);
    END LOOP;
END $$;
-- A refused replicated row (install/95_province.sql): seen where either its
-- own county or the subscription's county is the role's.
ALTER TABLE parcel_gov.replication_refused ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.replication_refused
    USING (row_county OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))
           OR county OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
-- A firm's yearly figures follow the firm: visible when the firm is.
ALTER TABLE parcel_gov.enterprise_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.enterprise_year
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc));

-- Land a county's firm holds or leases in another county (linked by the
-- province): the firm's county sees the parcel and the lease, read only.
-- ANY (SELECT …), not ANY (ARRAY(…)): the role's firms are hashed once per
-- query and each row probes the hash, instead of scanning an array.
CREATE POLICY firm_land ON parcel_gov.parcel FOR SELECT
    USING (holder_uscc OPERATOR(pg_catalog.=) ANY (SELECT e.uscc FROM parcel_gov.enterprise e));
CREATE POLICY firm_land ON parcel_gov.lease FOR SELECT
    USING (lessee_uscc OPERATOR(pg_catalog.=) ANY (SELECT e.uscc FROM parcel_gov.enterprise e));

-- role_region: a role sees its own grants, an admin all of them.
ALTER TABLE parcel_gov.role_region ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_grants ON parcel_gov.role_region FOR SELECT
    USING (pg_catalog.pg_has_role(grantee, 'MEMBER') OR pg_catalog.pg_has_role('parcel_gov_admin', 'MEMBER'));

-- Privileges.  The functions are the only door to results and history:
-- county roles read every table (row-level security picks the rows) and
-- write only their county's inputs; evaluate(), transition(), the imports
-- and the grant functions write the rest, as the extension's owner, after
-- checking their caller (require_caller).  Tables hold no PUBLIC rights;
-- functions that write are taken from PUBLIC and given to the role that
-- needs them; the engine's internals are given to no one.
GRANT USAGE ON SCHEMA parcel_gov TO parcel_gov_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA parcel_gov TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.parcel, parcel_gov.enterprise, parcel_gov.enterprise_year,
                                parcel_gov.lease, parcel_gov.issue TO parcel_gov_operator;
-- the register's procedure, checked step by step by its trigger; the
-- fields the engine and the clock write (kinds, clears_thresholds,
-- evaluated_year, the timestamps) are not the operator's
GRANT UPDATE (state, batch, plan, deadline, reason, evidence, exit_reason, route) ON parcel_gov.register TO parcel_gov_operator;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region, parcel_gov.park, parcel_gov.region_boundary, parcel_gov.rule_set,
                                parcel_gov.rule_pool, parcel_gov.rule_indicator, parcel_gov.rule_industry_group,
                                parcel_gov.rule_issue, parcel_gov.rule_measure, parcel_gov.rule_new_land
    TO parcel_gov_admin;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluate(integer, text, boolean),
                           parcel_gov.evaluation_discard(integer, text),
                           parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]),
                           parcel_gov.evaluation_discard_rows(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluate(integer, text, boolean),
                          parcel_gov.evaluation_discard(integer, text)
    TO parcel_gov_analyst;
REVOKE EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                           parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision),
                           parcel_gov.import_enterprise_years(regclass, integer, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                          parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision),
                          parcel_gov.import_enterprise_years(regclass, integer, text, boolean) TO parcel_gov_operator;
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
REVOKE EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                           parcel_gov.rule_set_adopt(text, text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                          parcel_gov.rule_set_adopt(text, text, text, integer, integer) TO parcel_gov_admin;
-- Many counties, one province (install/95_province.sql): numbering,
-- publishing and subscribing are a superuser's, as CREATE PUBLICATION and
-- CREATE SUBSCRIPTION are; the check of evaluate() is an internal.
REVOKE EXECUTE ON FUNCTION parcel_gov.use_id_block(text, boolean), parcel_gov.county_publication(text),
                           parcel_gov.subscribe_county(text, name, boolean), parcel_gov.unsubscribe_county(text),
                           parcel_gov.require_evaluated_here(text, text),
                           parcel_gov.county_row_triggers(regclass, text, text) FROM PUBLIC;
