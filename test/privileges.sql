-- The privileges of 1.5.0 ("trust": the functions are the only door to
-- results and history), walked over the catalog so that a table, view or
-- function added later is judged too.  Each walk collects its mismatches
-- into one is_empty(), which prints them.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(15);

-- PUBLIC's stand-in: a role with no memberships.
CREATE ROLE t_nobody;

CREATE TEMP TABLE group_role (role_name name) ON COMMIT DROP;
INSERT INTO group_role VALUES ('parcel_gov_reader'), ('parcel_gov_analyst'), ('parcel_gov_operator'), ('parcel_gov_admin');

-- Tables: who may write which.  A table named in neither list (results,
-- history, simulations, grants, and any new one) is written by no county
-- role: only the functions write it.
CREATE TEMP TABLE writable (table_name name, role_name name) ON COMMIT DROP;
INSERT INTO writable
SELECT t, r FROM unnest(ARRAY['parcel', 'enterprise', 'enterprise_year', 'enterprise_period', 'lease', 'parcel_progress', 'issue',
                                 'contract_penalty', 'performance_agreement']) AS t,
                 unnest(ARRAY['parcel_gov_operator', 'parcel_gov_admin']) AS r
UNION ALL
SELECT t, 'parcel_gov_admin' FROM unnest(ARRAY['region', 'park', 'region_boundary', 'rule_set', 'rule_pool',
                                               'rule_indicator', 'rule_industry_group', 'region_target', 'rule_issue',
                                               'rule_new_land', 'rule_measure']) AS t;

CREATE TEMP VIEW table_privilege AS
SELECT c.relname, g.role_name, p.privilege,
       has_table_privilege(g.role_name, c.oid, p.privilege) AS actual,
       CASE p.privilege
         WHEN 'SELECT' THEN true
         WHEN 'TRUNCATE' THEN false
         ELSE EXISTS (SELECT FROM writable w WHERE w.table_name = c.relname AND w.role_name = g.role_name)
       END AS expected
FROM pg_class c
CROSS JOIN group_role g
CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p(privilege)
WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind IN ('r', 'p');

SELECT is_empty($$SELECT relname, role_name, privilege, expected, actual FROM table_privilege
                  WHERE privilege = 'SELECT' AND actual IS DISTINCT FROM expected ORDER BY 1, 2$$,
                'every group role reads every table (row-level security picks the rows)');
SELECT is_empty($$SELECT relname, role_name, privilege, expected, actual FROM table_privilege
                  WHERE privilege IN ('INSERT', 'UPDATE', 'DELETE') AND actual IS DISTINCT FROM expected ORDER BY 1, 2, 3$$,
                'operators write only the county''s inputs, admins also the regions, rules and targets; results, history, simulations and grants by no county role');
SELECT is_empty($$SELECT relname, role_name FROM table_privilege WHERE privilege = 'TRUNCATE' AND actual ORDER BY 1, 2$$,
                'no role truncates anything');
-- Column grants: operators move the register through its procedure columns
-- only (each step checked by its trigger); the fields the engine and the
-- clock write, and every other table's columns, are granted to no one.
SELECT set_eq($$SELECT c.relname::text, a.attname::text, g.role_name::text
                FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                CROSS JOIN group_role g
                WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'r'
                  AND has_column_privilege(g.role_name, c.oid, a.attnum, 'UPDATE')
                  AND NOT has_table_privilege(g.role_name, c.oid, 'UPDATE')$$,
              $$SELECT 'register', col, r FROM unnest(ARRAY['state', 'batch', 'plan', 'deadline', 'reason', 'evidence', 'exit_reason', 'route']) AS col,
                                                unnest(ARRAY['parcel_gov_operator', 'parcel_gov_admin']) AS r$$,
              'the register''s procedure columns are the only column grant: to operators (and admins)');
SELECT is_empty($$SELECT c.relname, p.privilege FROM pg_class c
                  CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p(privilege)
                  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                    AND has_table_privilege('t_nobody', c.oid, p.privilege) ORDER BY 1, 2$$,
                'PUBLIC has no right on any table or view');

-- Views: every view, present or future, is readable by every group role
-- (1.4.0 forgot v_contract_breach, v_early_warning, v_target_progress and
-- v_simulation_moves).
SELECT is_empty($$SELECT c.relname, g.role_name FROM pg_class c CROSS JOIN group_role g
                  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v'
                    AND NOT has_table_privilege(g.role_name, c.oid, 'SELECT') ORDER BY 1, 2$$,
                'every group role may SELECT every view');

-- ... and actually reads it: each county account runs every view; the
-- errors (view and SQLSTATE: message) are returned.
CREATE FUNCTION pg_temp.view_errors(who name) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    v regclass;
    failures text[] := '{}';
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', who);
    FOR v IN SELECT c.oid FROM pg_class c
             WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v' ORDER BY c.relname LOOP
        BEGIN
            EXECUTE format('SELECT count(*) FROM %s', v);
        EXCEPTION WHEN OTHERS THEN
            failures := failures || format('%s: %s %s', v, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RESET ROLE;
    RETURN QUERY SELECT unnest(failures);
END $$;
SELECT is_empty($$SELECT pg_temp.view_errors('t_reader_shangyu')$$, 't_reader_shangyu reads every view');
SELECT is_empty($$SELECT pg_temp.view_errors('t_reader_shaoxing')$$, 't_reader_shaoxing reads every view');
SELECT is_empty($$SELECT pg_temp.view_errors('t_analyst_shangyu')$$, 't_analyst_shangyu reads every view');
SELECT is_empty($$SELECT pg_temp.view_errors('t_operator_shangyu')$$, 't_operator_shangyu reads every view');
SELECT is_empty($$SELECT pg_temp.view_errors('t_admin')$$, 't_admin reads every view');

-- Functions: the restricted ones and the role each is given to (NULL: the
-- engine's internals, given to no county role).  Every other function of
-- the schema is PUBLIC's.  The restricted doors (not the internals) run as
-- the owner, with a pinned search_path; no other function does.
CREATE TEMP TABLE restricted (signature text, role_name name, definer boolean DEFAULT true) ON COMMIT DROP;
INSERT INTO restricted VALUES
  ('parcel_gov.evaluate(integer,text)', 'parcel_gov_analyst', true),
  ('parcel_gov.evaluate(integer,text,boolean)', 'parcel_gov_analyst', true),
  ('parcel_gov.evaluation_discard(integer,text)', 'parcel_gov_analyst', true),
  ('parcel_gov.evaluate_quarter(integer,integer,text)', 'parcel_gov_analyst', true),
  ('parcel_gov.simulate(integer,text,text)', 'parcel_gov_analyst', true),
  ('parcel_gov.transition(text,parcel_gov.register_state,text,jsonb)', 'parcel_gov_operator', true),
  -- reads the caller's staging table and writes what the caller may: it runs as the caller
  ('parcel_gov.import_parcels(regclass,text,text,text,integer,text,text,text[],text,text,double precision)',
   'parcel_gov_operator', false),
  ('parcel_gov.import_enterprise_years(regclass,integer,text,boolean)', 'parcel_gov_operator', false),
  ('parcel_gov.import_enterprise_periods(regclass,integer,text)', 'parcel_gov_operator', false),
  ('parcel_gov.contract_mark_below_target(integer,text)', 'parcel_gov_operator', true),
  ('parcel_gov.region_grant(name,text)', 'parcel_gov_admin', true),
  ('parcel_gov.region_revoke(name,text)', 'parcel_gov_admin', true),
  -- writes only tables its admins may write themselves: it runs as the caller
  ('parcel_gov.rule_set_adopt(text,text,text,integer,integer)', 'parcel_gov_admin', false),
  ('parcel_gov.evaluate_run(integer,text,timestamp with time zone,double precision[])', NULL, false),
  ('parcel_gov.evaluation_discard_rows(integer,text)', NULL, false),
  ('parcel_gov.evaluate_quarter_run(integer,integer,text,timestamp with time zone)', NULL, false),
  ('parcel_gov.lock_evaluation_year(integer)', NULL, false),
  -- 1.12.0: the change marks and states (install/89_mark_changes.sql)
  ('parcel_gov.evaluation_engine_writing()', NULL, false),
  ('parcel_gov.evaluation_mark_triggers(regclass,text)', NULL, false),
  ('parcel_gov.evaluation_counties(integer,text)', NULL, false),
  ('parcel_gov.evaluation_state_keep(integer,text[],pg_snapshot)', NULL, false),
  ('parcel_gov.evaluation_marks_prune()', NULL, false),
  -- 1.12.0: many counties, one province (install/95_province.sql): a
  -- superuser numbers, publishes and subscribes; the rest are internals
  ('parcel_gov.use_id_block(text,boolean)', NULL, false),
  ('parcel_gov.county_publication(text)', NULL, false),
  ('parcel_gov.subscribe_county(text,name,boolean)', NULL, false),
  ('parcel_gov.unsubscribe_county(text)', NULL, false),
  ('parcel_gov.require_evaluated_here(text,text)', NULL, false),
  ('parcel_gov.county_row_triggers(regclass,text,text)', NULL, false);
-- Triggers that run as the owner (no one calls them): one counts a firm's
-- land in every county, one writes the register's history.
INSERT INTO restricted VALUES ('parcel_gov.figures_plausible()', NULL, true), ('parcel_gov.register_record()', NULL, true),
  -- and one marks the counties whose inputs changed (install/89_mark_changes.sql)
  ('parcel_gov.evaluation_mark_rows()', NULL, true),
  -- and the rows a logical replication worker applies (1.12.0)
  ('parcel_gov.evaluation_mark_applied()', NULL, true);

CREATE TEMP VIEW function_privilege AS
SELECT p.oid::regprocedure AS function, g.role_name,
       has_function_privilege(g.role_name, p.oid, 'EXECUTE') AS actual,
       -- the extension's trigger functions fire on its own tables: no one
       -- may attach them to a table of theirs
       CASE WHEN p.prorettype = 'trigger'::regtype THEN false
            WHEN r.signature IS NULL THEN true
            WHEN r.role_name IS NULL OR g.role_name = 't_nobody' THEN false
            ELSE pg_has_role(g.role_name, r.role_name, 'MEMBER') END AS expected
FROM pg_proc p
CROSS JOIN (SELECT role_name FROM group_role UNION ALL SELECT 't_nobody') AS g
LEFT JOIN restricted r ON to_regprocedure(r.signature) = p.oid
WHERE p.pronamespace = 'parcel_gov'::regnamespace;

SELECT is_empty($$SELECT signature FROM restricted WHERE to_regprocedure(signature) IS NULL$$,
                'every restricted function exists');
SELECT is_empty($$SELECT function, role_name, expected, actual FROM function_privilege
                  WHERE actual IS DISTINCT FROM expected ORDER BY 1::text, 2$$,
                'EXECUTE: the restricted functions to their role only, the internals and trigger functions to no county role, the rest to PUBLIC');
SELECT is_empty($$SELECT r.signature, p.prosecdef, p.proconfig FROM restricted r
                  JOIN pg_proc p ON p.oid = to_regprocedure(r.signature)
                  WHERE r.definer
                    AND NOT (p.prosecdef AND EXISTS (SELECT FROM unnest(p.proconfig) AS s
                                                     WHERE s LIKE 'search\_path=pg\_catalog%'))
                  ORDER BY 1$$,
                'every restricted door that writes what its callers may not runs as the owner (SECURITY DEFINER) with search_path=pg_catalog…');
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p
                  LEFT JOIN restricted r ON to_regprocedure(r.signature) = p.oid AND r.definer
                  WHERE p.pronamespace = 'parcel_gov'::regnamespace AND p.prosecdef AND r.signature IS NULL
                  ORDER BY 1::text$$,
                'no other function is SECURITY DEFINER (the internals neither)');

SELECT * FROM finish();
ROLLBACK;
