-- Each function's language, volatility, strictness and PARALLEL label, as
-- the README's reference pins them; and no function the list does not know.
BEGIN;
SELECT plan(157);

CREATE TEMP TABLE expected_labels (fn text PRIMARY KEY, labels text) ON COMMIT DROP;
INSERT INTO expected_labels VALUES
  ('parcel_gov.sqm_to_mu(double precision)',                     'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.mu_to_sqm(double precision)',                     'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.per_mu(double precision,double precision)',       'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.tax_tier(double precision,double precision[])',   'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.tier_label(integer)',                             'sql IMMUTABLE STRICT PARALLEL SAFE'),
  -- 1.11.0: a rule set's tax tiers, its levers, and the undecided multi-year rules
  ('parcel_gov.tax_tier(double precision,double precision[],boolean)',
                                                                 'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.tier_lever(text,double precision,double precision,double precision,boolean)',
                                                                 'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.notice_multi_year_undecided(integer,text)',       'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  -- 1.13.0: the notice read from the candidates a county's run names
  ('parcel_gov.notice_multi_year_candidates(integer,text,text[],text[])',
                                                                 'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.parcel_tax_per_mu(text,integer)',                 'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.holder_persistent_low(text,integer,double precision,double precision)',
                                                                 'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.uscc_valid(text)',                                'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.uscc_problem(text)',                              'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.uscc_check(text)',                                'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.uscc_early(text)',                                'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.gbt4754_section(integer)',                        'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.industry_code_problem(text)',                     'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.industry_code_normal(text)',                      'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.industry_code_check(text)',                       'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.bureau_header(text)',                             'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.bureau_number(text)',                             'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.org_code_valid(text)',                            'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.area_method(integer,text,text,boolean,text,double precision,double precision,double precision,double precision)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.area_mu(geometry)',                               'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.label(parcel_gov.grade)',                         'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.label(parcel_gov.batch)',                         'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.label(parcel_gov.register_state)',                'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.label(parcel_gov.low_efficiency_kind)',           'sql IMMUTABLE STRICT PARALLEL SAFE'),
  -- 0.2.0: the scoring engine
  ('parcel_gov.dd_state_combine(double precision[],double precision[])', 'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.per_mu_agg_accum(double precision[],double precision,double precision)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.per_mu_agg_final(double precision[])',            'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.per_mu_agg(double precision,double precision)',   'AGGREGATE internal IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.indicators_agg_accum(double precision[],double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.indicators_agg_final(double precision[])',        'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.indicators_agg(double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)',
                                                                 'AGGREGATE internal IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.ratio_score(double precision,double precision,double precision,double precision)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.minmax_score(double precision,double precision,double precision,double precision)',
                                                                 'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.quota_grade(double precision,double precision,double precision,double precision)',
                                                                 'WINDOW c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 0.3.0: the evaluation
  ('parcel_gov.parcel_code_problem(text)',                       'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.parcel_code_check(text)',                         'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.label(parcel_gov.size_class)',                    'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.label(parcel_gov.indicator)',                     'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.indicator_value(parcel_gov.indicators,parcel_gov.indicator)',
                                                                 'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.indicators(double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.lease_fits_parcel()',                             'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.rule_weights_sum_to_100()',                       'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.rule_builtin_read_only()',                        'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.rule_set_for(text,integer)',                      'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.rule_set_for(text,integer,boolean)',              'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.11.0: pools by land
  ('parcel_gov.pool_label(parcel_gov.size_class,text)',          'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.rule_set_adopt(text,text,text,integer,integer)',  'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.region_prefix(text)',                             'plpgsql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.evaluate(integer,text)',                          'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  -- 1.12.0: evaluate() skips the counties whose inputs did not change
  ('parcel_gov.evaluate(integer,text,boolean)',                  'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.evaluation_engine_writing()',                     'c VOLATILE STRICT PARALLEL RESTRICTED'),
  ('parcel_gov.evaluation_mark_rows()',                          'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.evaluation_mark_triggers(regclass,text)',         'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.evaluation_counties(integer,text)',               'sql STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED'),
  ('parcel_gov.evaluation_state_keep(integer,text[],pg_snapshot)', 'sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.evaluation_marks_prune()',                        'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  -- 1.11.0: the quarter's evaluation (季评价)
  ('parcel_gov.evaluate_quarter(integer,integer,text)',          'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.evaluate_quarter_run(integer,integer,text,timestamp with time zone)', 'c VOLATILE STRICT PARALLEL UNSAFE'),
  -- 0.4.0: the register
  ('parcel_gov.register_guard()',                                'c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.register_record()',                               'c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.history_guard()',                                 'c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.transition(text,parcel_gov.register_state,text,jsonb)',
                                                                 'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.low_efficiency_kinds(double precision,double precision,boolean,parcel_gov.grade,text,date,boolean,date,boolean)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.four_batch(parcel_gov.low_efficiency_kind[],boolean,boolean,boolean,boolean,text)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.low_efficiency_clusters(double precision)',       'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.0.0: the evaluation engine in C, evaluation summaries
  ('parcel_gov.evaluate_run(integer,text,timestamp with time zone,double precision[])',
                                                                 'c VOLATILE STRICT PARALLEL UNSAFE'),
  ('parcel_gov.evaluation_guard()',                              'c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.evaluation_discard_rows(integer,text)',           'c VOLATILE STRICT PARALLEL UNSAFE'),
  ('parcel_gov.evaluation_discard(integer,text)',                'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.partial_sum(double precision[])',                 'AGGREGATE internal IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.summaries_of_rows(integer,text[])',               'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.label(parcel_gov.low_efficiency_kind[])',         'sql IMMUTABLE STRICT PARALLEL SAFE'),
  -- 1.1.0: maps and GIS import
  ('parcel_gov.map_year(text,integer)',                          'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.tile_request(integer,integer,integer,json)',      'plpgsql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.parcel_tile(integer,integer,integer,json)',       'sql STABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.parcels_geojson(text,integer)',                   'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.map_svg(text,integer)',                           'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.import_geometry(geometry,integer)',               'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.import_enterprise_years(regclass,integer,text,boolean)', 'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.import_enterprise_periods(regclass,integer,text)', 'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.net_land_mu(text[],integer[])',                   'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.figures_beyond_limits(text[],integer[])',         'sql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.staging_table_check(regclass,text)',              'plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  -- 1.2.0: roles and row-level security
  ('parcel_gov.visible_prefixes()',                              'c STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.region_grant(name,text)',                         'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.region_revoke(name,text)',                        'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.cluster_distance(double precision)',              'plpgsql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.3.0: decision support
  ('parcel_gov.register_as_of(timestamp with time zone)',        'plpgsql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.simulate(integer,text,text)',                     'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.contract_mark_below_target(integer,text)',        'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  -- 1.4.0: map_svg in named steps
  ('parcel_gov.map_grade_key()',                                 'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.map_state_key()',                                 'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.5.0: trust
  ('parcel_gov.invoker()',                                       'c STABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.visible_prefixes_of(regrole)',                    'c STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.require_caller(text,name,text)',                  'plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.county_writes_own()',                             'c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.figures_plausible()',                             'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.figures_confirmation_lapses()',                   'c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.lock_evaluation_year(integer)',                   'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  -- 1.7.0: Zhejiang's divisions shipped, townships
  ('parcel_gov.region_level()',                                  'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.region_shipped_read_only()',                      'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  -- 1.7.0: the parcels' import in sets, holders by name, 土地用途
  ('parcel_gov.import_geometries(parcel_gov.staged_parcel[],integer,bigint[])',
                                                                 'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.import_parcels(regclass,text,text,text,integer,text,text,text[],text,text,double precision)',
                                                                 'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.name_key(text)',                                  'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.land_uses()',                                     'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.land_use_read(text,text[])',                      'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.8.0: the printed map (map_legend gave way to map_key)
  ('parcel_gov.map_text_em(text)',                               'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.map_scale_metres(double precision)',              'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.map_scale_bar(double precision,double precision,double precision,double precision)',
                                                                 'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.map_north_arrow(double precision,double precision)', 'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.map_badge(double precision,double precision,text)', 'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.map_parcel(text,text,text,text,text,text,double precision,text,double precision,text)',
                                                                 'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.map_layout(integer,double precision)',            'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.map_panel(integer,text,double precision,double precision,double precision,double precision,double precision,xml)',
                                                                 'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.map_key(double precision,double precision,integer,boolean)',
                                                                 'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.map_inset_count(integer,double precision,double precision)',
                                                                 'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.9.0: 一企一策
  ('parcel_gov.score_lever(text,double precision,double precision[],double precision,double precision,double precision[],double precision[],double precision,double precision,double precision)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.per_mu_lever(text,double precision,double precision,double precision)',
                                                                 'c IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.firm_plan_inputs()',                              'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.plan_amount(double precision)',                   'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.plan_figure(double precision)',                   'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.firm_plan(text,integer)',                         'plpgsql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.10.0: 低散乱污 and 集体工业用地 kinds
  ('parcel_gov.low_efficiency_kinds(double precision,double precision,boolean,parcel_gov.grade,text,date,boolean,date,boolean,boolean,text,boolean)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.four_batch(parcel_gov.low_efficiency_kind[],boolean,boolean,boolean,boolean,text,parcel_gov.batch,parcel_gov.batch)',
                                                                 'c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.10.0: disposal routes
  ('parcel_gov.label(parcel_gov.disposal_route)',                'sql IMMUTABLE STRICT PARALLEL SAFE'),
  -- 1.10.0: department issue lists
  ('parcel_gov.label(parcel_gov.issue_department)',              'sql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.blocking_issues(text)',                           'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.10.0: targets as the plans write them (入园率)
  ('parcel_gov.firm_in_park(parcel_gov.uscc,integer)',           'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  -- 1.12.0: many counties, one province (install/95_province.sql)
  ('parcel_gov.evaluation_mark_applied()',                       'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.applying_subscription()',                         'c STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED'),
  ('parcel_gov.per_mu_agg_partial(double precision,double precision)',
                                                                 'AGGREGATE internal IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.county_published_tables()',                       'sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.require_county(text,text)',                       'plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.id_block(text)',                                  'plpgsql IMMUTABLE STRICT PARALLEL SAFE'),
  ('parcel_gov.identity_columns()',                              'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.use_id_block(text,boolean)',                      'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.county_publication(text)',                        'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.subscribe_county(text,name,boolean)',             'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.unsubscribe_county(text)',                        'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.county_of_parcel(text)',                          'sql STABLE CALLED ON NULL INPUT PARALLEL SAFE'),
  ('parcel_gov.require_evaluated_here(text,text)',               'plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.replicated_row_check()',                          'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.replicated_truncate_refused()',                   'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.subscribed_county_read_only()',                   'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE'),
  ('parcel_gov.county_row_triggers(regclass,text,text)',         'plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE');

CREATE TEMP VIEW actual_labels AS
SELECT format('%s.%s(%s)', n.nspname, p.proname,
              (SELECT string_agg(format_type(t, NULL), ',' ORDER BY i)
                 FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, i))) AS fn,
       concat_ws(' ', CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'w' THEN 'WINDOW' END, l.lanname,
                 CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
                 CASE WHEN p.proisstrict THEN 'STRICT' ELSE 'CALLED ON NULL INPUT' END,
                 CASE p.proparallel WHEN 's' THEN 'PARALLEL SAFE' WHEN 'r' THEN 'PARALLEL RESTRICTED'
                      ELSE 'PARALLEL UNSAFE' END) AS labels,
       p.prosecdef, p.proconfig, p.prosqlbody IS NOT NULL AS standard_body, l.lanname
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'parcel_gov';

-- One test per pinned function (102).
SELECT is(a.labels, x.labels, x.fn || ' is ' || x.labels)
FROM expected_labels x LEFT JOIN actual_labels a USING (fn)
ORDER BY x.fn;

SELECT set_eq('SELECT fn FROM actual_labels', 'SELECT fn FROM expected_labels',
              'the extension has exactly the functions whose labels this test pins');

-- Safety: SQL functions use SQL-standard bodies (names bound at install);
-- PL/pgSQL functions fix their search_path; plain C functions look nothing up
-- and carry no SET clause.
SELECT is_empty($$SELECT fn FROM actual_labels WHERE lanname = 'sql' AND NOT standard_body$$,
                'every SQL function has a SQL-standard body');
-- A SET clause costs a GUC save and restore per call: C functions that run
-- per row or per statement go without (their SQL is fully qualified); the
-- three that run the engine's SQL once per call fix their search_path, and so
-- does the one that runs as the owner (SECURITY DEFINER: the history's writer).
SELECT set_eq($$SELECT fn FROM actual_labels WHERE lanname = 'c' AND proconfig IS NOT NULL$$,
              ARRAY['parcel_gov.evaluate_run(integer,text,timestamp with time zone,double precision[])',
                    'parcel_gov.evaluate_quarter_run(integer,integer,text,timestamp with time zone)',
                    'parcel_gov.evaluation_discard_rows(integer,text)', 'parcel_gov.register_record()'],
              'only the engine''s three entry points and the history''s writer carry a SET clause');
SELECT is_empty($$SELECT fn FROM actual_labels WHERE lanname = 'c' AND proconfig IS NOT NULL
                    AND NOT 'search_path=pg_catalog, pg_temp' = ANY (proconfig)$$,
                'and they run with search_path = pg_catalog, pg_temp');
-- Which functions are SECURITY DEFINER: test/privileges.sql walks them.
SELECT is_empty($$SELECT fn FROM actual_labels WHERE lanname = 'plpgsql'
                    AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)$$,
                'every PL/pgSQL function runs with search_path = pg_catalog, pg_temp');
-- The multi-year notice filters by its region prefix: planned generically
-- (from a session's sixth call) it lost the index range, 0.4–1.4 s a county.
SELECT is((SELECT count(*)::int FROM actual_labels
           WHERE fn IN ('parcel_gov.notice_multi_year_undecided(integer,text)',
                        'parcel_gov.notice_multi_year_candidates(integer,text,text[],text[])')
             AND 'plan_cache_mode=force_custom_plan' = ANY (proconfig)), 2,
          'the multi-year notice is planned for its region on every call');
SELECT is_empty($$SELECT fn FROM actual_labels WHERE lanname NOT IN ('c', 'sql', 'plpgsql')
                    AND labels NOT LIKE 'AGGREGATE internal %'$$,
                'functions are C, SQL or PL/pgSQL (aggregates are internal)');

-- Aggregates keep a float8[] state and have a combine function
-- (parallel query and Citus split them); no serial functions, which Citus cannot push down.
SELECT is_empty($$
  SELECT a.aggfnoid::regprocedure FROM pg_aggregate a
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'parcel_gov'
  WHERE a.aggtranstype <> 'double precision[]'::regtype OR a.aggcombinefn = 0
     OR a.aggserialfn <> 0 OR a.aggdeserialfn <> 0$$,
  'every aggregate has a float8[] state, a combine function and no serial functions');

SELECT * FROM finish();
ROLLBACK;
