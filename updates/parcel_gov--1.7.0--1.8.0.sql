-- parcel_gov 1.7.0 → 1.8.0: what BI and GIS clients see (plain types and
-- labels in every view, read-only views, the printed map).  A delta
-- written by hand.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.8.0'" to load this file. \quit

-- Every view column a plain type (text for grades, states, pools, batches
-- and codes; text[] for kinds, with kinds_text beside it) and a label beside
-- each code: the column types change, which CREATE OR REPLACE VIEW cannot
-- do, so these views are dropped and created again.  What users built on
-- them is kept: the grants on them (also column grants), and their own views
-- and materialized views over them (recreated below as they were: owner,
-- options, grants, comments, defaults, indexes, triggers, rules).
-- v_park_ranking reads v_parcel_use and goes with it; the three map
-- functions that read v_parcel_efficiency get a body without it for the
-- moment (CREATE OR REPLACE keeps their grants) and their own back after.
CREATE OR REPLACE FUNCTION parcel_gov.parcel_tile(z integer, x integer, y integer, query_params json DEFAULT '{}')
    RETURNS bytea
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT NULL::bytea;
END;
CREATE OR REPLACE FUNCTION parcel_gov.parcels_geojson(region text, year integer DEFAULT NULL)
    RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT NULL::json;
END;
CREATE OR REPLACE FUNCTION parcel_gov.map_svg(region text, year integer DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT NULL::text;
END;

-- Save, then drop, every relation of a user that reads these views (and
-- those that read them, parents first); keep the views' own grants.
DO $$
DECLARE
    replaced CONSTANT pg_catalog.regclass[] := ARRAY[
        'parcel_gov.v_park_ranking', 'parcel_gov.v_parcel_use', 'parcel_gov.v_enterprise_evaluation',
        'parcel_gov.v_register', 'parcel_gov.v_parcel_efficiency', 'parcel_gov.v_contract_breach',
        'parcel_gov.v_early_warning', 'parcel_gov.v_simulation_moves']::pg_catalog.regclass[];
    views jsonb;
    types jsonb;
    dependents jsonb;
    d record;
    detail text;
BEGIN
    SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'name', v::text, 'acl', c.relacl::text[],
               'columns', coalesce((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('name', a.attname, 'acl', a.attacl::text[]))
                                    FROM pg_catalog.pg_attribute a
                                    WHERE a.attrelid = v AND a.attnum > 0 AND a.attacl IS NOT NULL), '[]')))
    INTO views
    FROM pg_catalog.unnest(replaced) AS v JOIN pg_catalog.pg_class c ON c.oid = v;
    -- the columns of parcel_gov's own types, which become text: by name
    -- (grade is parcel_gov.grade in every view, code parcel_gov.parcel_code, …)
    SELECT pg_catalog.jsonb_object_agg(a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod))
    INTO types
    FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem
    WHERE a.attrelid = ANY (replaced) AND a.attnum > 0
      AND 'parcel_gov'::pg_catalog.regnamespace IN (t.typnamespace, e.typnamespace);

    -- the users' relations over them, to any depth (not the extension's own)
    WITH RECURSIVE dep (oid, depth) AS (
        SELECT DISTINCT r.ev_class, 1
        FROM pg_catalog.pg_depend x JOIN pg_catalog.pg_rewrite r ON x.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND r.oid = x.objid
        WHERE x.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND x.refobjid = ANY (replaced)
          AND r.ev_class <> ALL (replaced) AND NOT EXISTS (
              SELECT FROM pg_catalog.pg_depend m WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                AND m.objid = r.ev_class AND m.deptype = 'e')
        UNION ALL
        SELECT r.ev_class, dep.depth + 1
        FROM dep JOIN pg_catalog.pg_depend x ON x.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND x.refobjid = dep.oid
                 AND x.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
        JOIN pg_catalog.pg_rewrite r ON r.oid = x.objid AND r.ev_class <> dep.oid
        WHERE dep.depth < 50 AND NOT EXISTS (
              SELECT FROM pg_catalog.pg_depend m WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                AND m.objid = r.ev_class AND m.deptype = 'e')
    ), ordered AS (
        SELECT dep.oid, pg_catalog.max(dep.depth) AS depth FROM dep GROUP BY dep.oid
    )
    SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               -- (a temporary view of this session is named in pg_temp)
               'name', pg_catalog.format('%I.%I', CASE WHEN c.relnamespace = pg_catalog.pg_my_temp_schema() THEN 'pg_temp'
                                                       ELSE c.relnamespace::pg_catalog.regnamespace::text END, c.relname),
               'kind', c.relkind,
               'definition', pg_catalog.pg_get_viewdef(o.oid), 'options', c.reloptions,
               'owner', pg_catalog.pg_get_userbyid(c.relowner), 'acl', c.relacl::text[],
               'comment', pg_catalog.obj_description(o.oid, 'pg_class'), 'populated', c.relispopulated,
               'columns', (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                      'name', a.attname, 'acl', coalesce(a.attacl::text[], '{}'),
                                      'comment', pg_catalog.col_description(o.oid, a.attnum),
                                      'default', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)))
                           FROM pg_catalog.pg_attribute a
                           LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                           WHERE a.attrelid = o.oid AND a.attnum > 0 AND NOT a.attisdropped),
               -- what is built on it, as statements
               'statements', coalesce((SELECT pg_catalog.jsonb_agg(s.statement) FROM (
                   SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i WHERE i.indrelid = o.oid
                   UNION ALL
                   SELECT pg_catalog.pg_get_triggerdef(t.oid) FROM pg_catalog.pg_trigger t WHERE t.tgrelid = o.oid AND NOT t.tgisinternal
                   UNION ALL
                   SELECT pg_catalog.pg_get_ruledef(r.oid) FROM pg_catalog.pg_rewrite r WHERE r.ev_class = o.oid AND r.rulename <> '_RETURN'
               ) AS s (statement)), '[]'))
           ORDER BY o.depth, o.oid)
    INTO dependents
    FROM ordered o JOIN pg_catalog.pg_class c ON c.oid = o.oid;

    -- deepest first, then the views themselves; anything else that needs
    -- them (a function of a user reading them, another extension's view)
    -- stops the update here, with the server's list of what it is
    FOR d IN SELECT x.value ->> 'name' AS name, x.value ->> 'kind' AS kind
             FROM pg_catalog.jsonb_array_elements(coalesce(dependents, '[]')) WITH ORDINALITY AS x (value, n)
             ORDER BY x.n DESC LOOP
        EXECUTE pg_catalog.format('DROP %s %s', CASE d.kind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END, d.name);
    END LOOP;
    FOR i IN 1 .. pg_catalog.array_length(replaced, 1) LOOP
        EXECUTE pg_catalog.format('DROP VIEW %s', replaced[i]);
    END LOOP;
    PERFORM pg_catalog.set_config('parcel_gov.update_views', coalesce(views, '[]')::text, true);
    PERFORM pg_catalog.set_config('parcel_gov.update_dependents', coalesce(dependents, '[]')::text, true);
    PERFORM pg_catalog.set_config('parcel_gov.update_old_types', types::text, true);
EXCEPTION WHEN dependent_objects_still_exist THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RAISE EXCEPTION '%', SQLERRM USING ERRCODE = 'dependent_objects_still_exist', DETAIL = detail,
        HINT = 'parcel_gov 1.8.0 gives its views plain column types (text for grades, states and codes) and recreates '
               'the views and materialized views of users over them, but not these: drop them, update, and create them again.';
END $$;

-- a join keeps v_uscc_early read-only (and names the region)
CREATE OR REPLACE VIEW parcel_gov.v_uscc_early WITH (security_invoker = true) AS
SELECT e.uscc::text AS uscc, e.name, e.region_code,
       parcel_gov.uscc_problem(e.uscc) AS problem, e.uscc_confirmed, rg.name AS region_name
FROM parcel_gov.enterprise e
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
WHERE parcel_gov.uscc_early(e.uscc);

-- Who uses which part of a parcel in a year: its holder what is not leased
-- out, each lessee its lease (leases whose term overlaps the year).
CREATE VIEW parcel_gov.v_parcel_use WITH (security_invoker = true) AS
SELECT y.year, p.code::text AS parcel_code, p.holder_uscc::text AS uscc, 'holder'::text AS role,
       p.area_mu - coalesce(leased.mu, 0) AS area_mu
FROM parcel_gov.parcel p
CROSS JOIN (SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s) AS y
-- leases summed in a join, not a subquery per parcel: the view can run in parallel workers
LEFT JOIN (SELECT l.parcel_code, ly.year, sum(l.area_mu) AS mu
           FROM parcel_gov.lease l
           JOIN (SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s) AS ly
             ON l.during && daterange(make_date(ly.year, 1, 1), make_date(ly.year + 1, 1, 1))
           GROUP BY l.parcel_code, ly.year) AS leased
       ON leased.parcel_code = p.code AND leased.year = y.year
WHERE p.holder_uscc IS NOT NULL
UNION ALL
SELECT y.year, l.parcel_code::text, l.lessee_uscc::text, 'lessee', l.area_mu
FROM parcel_gov.lease l
JOIN (SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s) AS y
  ON l.during && daterange(make_date(y.year, 1, 1), make_date(y.year + 1, 1, 1));
COMMENT ON VIEW parcel_gov.v_parcel_use IS
  'Who uses which part of each parcel in each evaluated year: the holder (土地使用权人) what it has not leased out, each lessee (承租企业) its lease';

CREATE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, f.industry_code,
       e.pool::text AS pool, parcel_gov.label(e.pool) AS pool_label, e.industry_group, e.rule_set_id,
       e.area_mu, e.held_mu, e.leased_out_mu, e.leased_in_mu, e.tax, e.value_added, e.revenue,
       e.tax_per_mu, e.va_per_mu, e.revenue_per_mu, e.labour_productivity, e.va_per_energy,
       e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
       e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
       e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
       e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size,
       e.grade_initial::text AS grade_initial, parcel_gov.label(e.grade_initial) AS grade_initial_label,
       e.grade::text AS grade, parcel_gov.label(e.grade) AS grade_label,
       coalesce(e.grade::text, CASE WHEN e.not_graded LIKE 'exempt%' THEN 'T' END) AS grade_or_t,
       e.not_graded, e.veto_reason,
       parcel_gov.tax_tier(e.tax_per_mu) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(e.tax_per_mu)) AS tax_tier_label,
       p1.tax_per_mu AS tax_per_mu_prev, p2.tax_per_mu AS tax_per_mu_prev2,
       coalesce(e.area_mu >= rs.persistent_low_min_mu
                AND e.tax_per_mu < rs.persistent_low_tax_per_mu
                AND p1.tax_per_mu < rs.persistent_low_tax_per_mu
                AND p2.tax_per_mu < rs.persistent_low_tax_per_mu, false) AS persistent_low_tax,
       coalesce(e.area_mu >= rs.still_below_min_mu
                AND e.pool = 'below' AND p1.pool = 'below' AND p2.pool = 'below', false) AS still_below_3y,
       coalesce(e.grade <= 'B' AND (e.revenue >= rs.doubling_min_revenue OR e.tax >= rs.doubling_min_tax), false)
         AS capacity_doubling_candidate,
       e.evaluated_at
FROM parcel_gov.evaluation e
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
LEFT JOIN parcel_gov.evaluation p1 ON p1.uscc = e.uscc AND p1.year = e.year - 1
LEFT JOIN parcel_gov.evaluation p2 ON p2.uscc = e.uscc AND p2.year = e.year - 2;
COMMENT ON VIEW parcel_gov.v_enterprise_evaluation IS
  '企业亩均效益评价结果: each firm''s evaluation with names and labels, its tax tier, the per-mu tax of the two years before, and the multi-year facts: persistent_low_tax (桐庐: ≥ 20 mu, under 3 万元/亩 three years running), still_below_3y (金东: ≥ 20 mu, still 规下 three years), capacity_doubling_candidate (金东 亩产倍增: grade B or better, revenue ≥ 1 亿元 or tax ≥ 300 万元)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.area_mu IS '用地面积(亩): net land = held − leased out + leased in';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.tax_per_mu IS '亩均税收 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.va_per_mu IS '亩均增加值 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score IS '综合得分';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial IS '初评等级 (by quota)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial_label IS '初评等级名称: the grade by quota in Chinese';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade IS '评价等级 (after a veto, 一票否决 → D)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_or_t IS 'grade, or T for firms exempt from grading (不参评)';

CREATE VIEW parcel_gov.v_park_ranking WITH (security_invoker = true) AS
WITH park_year AS (
    SELECT pk.id AS park_id, u.year,
           sum(u.area_mu) AS area_mu,
           count(DISTINCT u.uscc) AS firms,
           sum(u.area_mu * e.tax_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.tax_per_mu IS NOT NULL), 0) AS tax_per_mu,
           sum(u.area_mu * e.va_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.va_per_mu IS NOT NULL), 0) AS va_per_mu
    FROM parcel_gov.park pk
    JOIN parcel_gov.parcel p ON p.park_id = pk.id
    JOIN parcel_gov.v_parcel_use u ON u.parcel_code = p.code
    LEFT JOIN parcel_gov.evaluation e ON e.uscc = u.uscc AND e.year = u.year
    GROUP BY pk.id, u.year
)
SELECT pk.id * 10000 + py.year AS fid, pk.id AS park_id, pk.name, pk.region_code, rg.name AS region_name, py.year,
       py.area_mu, py.firms, py.tax_per_mu, py.va_per_mu,
       rank() OVER (PARTITION BY py.year, pk.region_code ORDER BY py.tax_per_mu DESC NULLS LAST) AS rank_in_region,
       rank() OVER (PARTITION BY py.year ORDER BY py.tax_per_mu DESC NULLS LAST) AS rank_overall,
       pk.geom,
       ST_X(ST_Transform(ST_PointOnSurface(pk.geom), 4326)) AS lon,
       ST_Y(ST_Transform(ST_PointOnSurface(pk.geom), 4326)) AS lat
FROM park_year py
JOIN parcel_gov.park pk ON pk.id = py.park_id
LEFT JOIN parcel_gov.region rg ON rg.code = pk.region_code;
COMMENT ON VIEW parcel_gov.v_park_ranking IS
  '领跑园区: parks ranked by 亩均税收 each year (within their region and overall); a park''s per-mu tax spreads each firm''s per-mu tax over the land it uses in the park (held or leased)';

CREATE VIEW parcel_gov.v_register WITH (security_invoker = true) AS
SELECT r.fid, r.parcel_code::text AS parcel_code, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name,
       r.state::text AS state, parcel_gov.label(r.state) AS state_label,
       r.kinds::text[] AS kinds, array_to_string(r.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(r.kinds) AS kind_labels, array_to_string(parcel_gov.label(r.kinds), '、') AS kind_labels_text,
       r.batch::text AS batch, parcel_gov.label(r.batch) AS batch_label, r.plan, r.deadline,
       r.state_since, current_date - r.state_since::date AS days_in_state,
       r.entered_at, r.exited_at, r.exit_reason, r.clears_thresholds, r.evaluated_year,
       p.area_mu, p.geom, p.lon, p.lat
FROM parcel_gov.register r
JOIN parcel_gov.parcel p ON p.code = r.parcel_code
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code;
COMMENT ON VIEW parcel_gov.v_register IS
  '低效工业用地数据库: each registered parcel''s state (调查核实 … 出库), kinds (低效类型), batch (四个一批), days in its state, entry (入库) and exit (出库), area and geometry';

-- Each parcel in each year its region was evaluated: the per-mu figures of
-- the firms using it (the holder for what it has not leased out, lessees for
-- their leases), its holder's grade, its kinds and batch, and its register
-- state.  The same rules as the register's sync in the engine
-- (src/register_sync.c), with the same exact sums, so both say the same.
--
-- Built for a filter on region or parcel: every figure is looked up per
-- parcel (by the keys of evaluation, lease and enterprise_year), the years
-- come from evaluation_summary, and lon/lat are stored with the parcel, so a
-- county reads its own parcels and nothing else.
CREATE VIEW parcel_gov.v_parcel_efficiency WITH (security_invoker = true) AS
SELECT p.fid * 10000 + ys.year AS fid, p.code::text AS code, ys.year, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool::text AS pool, parcel_gov.label(h.pool) AS pool_label,
       h.grade::text AS grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu) AS tax_tier, parcel_gov.tier_label(parcel_gov.tax_tier(u.tax_per_mu)) AS tax_tier_label,
       k.kinds::text[] AS kinds, array_to_string(k.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(k.kinds) AS kind_labels, array_to_string(parcel_gov.label(k.kinds), '、') AS kind_labels_text,
       k.batch::text AS batch, parcel_gov.label(k.batch) AS batch_label,
       r.state::text AS register_state, parcel_gov.label(r.state) AS register_state_label,
       p.geom, p.lon, p.lat
FROM parcel_gov.parcel p
JOIN parcel_gov.evaluation_summary ys ON ys.region_code = p.region_code
-- one row each, looked up by key (LIMIT 1 keeps the planner from hashing whole tables)
LEFT JOIN LATERAL (SELECT e.uscc, e.pool, e.grade, e.area_mu, e.tax_per_mu, e.va_per_mu, e.rule_set_id
                   FROM parcel_gov.evaluation e WHERE e.year = ys.year AND e.uscc = p.holder_uscc LIMIT 1) AS h ON true
LEFT JOIN LATERAL (SELECT fy.backward_capacity, fy.prohibited_industry
                   FROM parcel_gov.enterprise_year fy WHERE fy.year = ys.year AND fy.uscc = p.holder_uscc LIMIT 1) AS fy ON true
LEFT JOIN LATERAL (SELECT e.name FROM parcel_gov.enterprise e WHERE e.uscc = p.holder_uscc LIMIT 1) AS f ON true
LEFT JOIN LATERAL (SELECT r.state FROM parcel_gov.register r WHERE r.parcel_code = p.code LIMIT 1) AS r ON true
-- the leases in force during the year, with their lessees' figures, as exact
-- partial states (partial_sum), the sums the engine takes
CROSS JOIN LATERAL (
    SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
           parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
             FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums,
           parcel_gov.partial_sum(ARRAY[l.area_mu * e.va_per_mu, 0, l.area_mu, 0])
             FILTER (WHERE e.va_per_mu IS NOT NULL AND l.area_mu <> 0) AS va_sums
    FROM parcel_gov.lease l
    LEFT JOIN parcel_gov.evaluation e ON e.year = ys.year AND e.uscc = l.lessee_uscc
    WHERE l.parcel_code = p.code
      AND l.during && daterange(make_date(ys.year, 1, 1), make_date(ys.year + 1, 1, 1))
) AS ls
-- the holder uses what its leases do not cover
CROSS JOIN LATERAL (
    SELECT CASE WHEN p.holder_uscc IS NOT NULL
                THEN greatest(p.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
) AS own
-- per-mu figures of the firms using the parcel, weighed by the area each uses
CROSS JOIN LATERAL (
    SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
             coalesce(ls.tax_sums, '{0,0,0,0}'),
             CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                  THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END)) AS tax_per_mu,
           parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
             coalesce(ls.va_sums, '{0,0,0,0}'),
             CASE WHEN h.va_per_mu IS NOT NULL AND own.area <> 0
                  THEN ARRAY[own.area * h.va_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END)) AS va_per_mu
) AS u
LEFT JOIN parcel_gov.rule_set rs
       ON rs.id = coalesce(h.rule_set_id, parcel_gov.rule_set_for(p.region_code, ys.year))
LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = rs.id AND rp.pool = h.pool
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code
-- 桐庐: under the line this year and the two before, looked up only for a
-- candidate (a join, not a subquery in the expression: that would keep the
-- view out of parallel plans)
LEFT JOIN LATERAL (
    SELECT max(e.tax_per_mu) AS worst
    FROM parcel_gov.evaluation e
    WHERE h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu
      AND e.year IN (ys.year - 1, ys.year - 2) AND e.uscc = p.holder_uscc
    HAVING count(e.tax_per_mu) = 2
) AS before ON true
CROSS JOIN LATERAL (
    SELECT kk.kinds,
           parcel_gov.four_batch(kk.kinds, fy.backward_capacity, p.fails_acceptance, p.plan_conforming,
                                 p.planned_industrial, p.building_condition) AS batch
    FROM (SELECT parcel_gov.low_efficiency_kinds(
                   u.tax_per_mu, rp.low_tax_per_mu,
                   h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu
                     AND before.worst < rs.persistent_low_tax_per_mu,
                   h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
                   fy.prohibited_industry) AS kinds
          OFFSET 0) AS kk    -- computed once, for the kinds and the batch
) AS k;
COMMENT ON VIEW parcel_gov.v_parcel_efficiency IS
  '宗地亩均效益: each parcel in each evaluated year: 亩均税收 and 亩均增加值 of the firms using it (holder and lessees, by area used), the holder''s grade, tax tier, 低效类型 (kinds), 四个一批 (batch), register state, geometry and lon/lat; the kinds and batch the register''s sync records';
GRANT SELECT ON parcel_gov.v_parcel_use, parcel_gov.v_enterprise_evaluation, parcel_gov.v_park_ranking,
                 parcel_gov.v_register, parcel_gov.v_parcel_efficiency TO parcel_gov_reader;

-- Every column BI tools and analysts see carries a comment, Chinese term
-- first: Superset, Metabase and FineBI show them as column
-- descriptions, QGIS as field tooltips.  One text per column name, the same
-- in every view; a view column this list does not name fails the install, so
-- a new column cannot ship without its words.
DO $$
DECLARE
    missing text;
BEGIN
    FOR missing IN
        WITH words (name, words) AS (VALUES
      ('fid', '要素编号: stable integer key of the row (QGIS primary key, vector-tile feature id)'),
      ('year', '评价年度: evaluation year'),
      ('code', '宗地代码: parcel code (GB/T 37346-2019, 一码管地)'),
      ('parcel_code', '宗地代码: parcel code (GB/T 37346-2019, 一码管地)'),
      ('parcel_codes', '宗地代码: the block''s parcel codes'),
      ('parcels', '宗地数: number of parcels'),
      ('uscc', '统一社会信用代码: unified social credit code of the firm'),
      ('name', '名称: name'),
      ('region_code', '行政区划代码: region code (GB/T 2260)'),
      ('region_name', '行政区划名称: region name'),
      ('level', '层级: province, city or county'),
      ('industry_code', '国民经济行业代码: industry (GB/T 4754)'),
      ('industry_group', '行业分组: industry group of the rule set'),
      ('pool', '分组: evaluation pool, above 规上 or below 规下'),
      ('pool_label', '分组: 规上 or 规下'),
      ('pool_size', '分组企业数: firms graded in the pool'),
      ('rule_set_id', '评价规则: rule set applied'),
      ('held_mu', '使用权面积 (亩): land the firm holds'),
      ('leased_out_mu', '出租面积 (亩): land leased out'),
      ('leased_in_mu', '承租面积 (亩): land leased in'),
      ('area_mu', '用地面积 (亩): area in mu'),
      ('area_mu_change', '用地面积增减 (亩): change against the year before'),
      ('tax', '实缴税收 (万元): tax paid'),
      ('value_added', '工业增加值 (万元): value added'),
      ('revenue', '营业收入 (万元): revenue'),
      ('tax_per_mu', '亩均税收 (万元/亩): tax per mu'),
      ('tax_per_mu_change', '亩均税收增减 (万元/亩): change against the year before'),
      ('tax_per_mu_prev', '上年亩均税收 (万元/亩): tax per mu the year before'),
      ('tax_per_mu_prev2', '前年亩均税收 (万元/亩): tax per mu two years before'),
      ('va_per_mu', '亩均增加值 (万元/亩): value added per mu'),
      ('va_per_mu_change', '亩均增加值增减 (万元/亩): change against the year before'),
      ('revenue_per_mu', '亩均营业收入 (万元/亩): revenue per mu'),
      ('labour_productivity', '全员劳动生产率 (万元/人): value added per employee'),
      ('va_per_energy', '单位能耗增加值 (万元/吨标煤): value added per tonne of coal equivalent'),
      ('va_per_emission', '单位排放增加值 (万元/吨): value added per tonne of emissions'),
      ('rd_intensity', 'R&D经费支出占比 (%): R&D spending as a share of revenue'),
      ('tax_per_kwh', '单位电耗税收: tax per unit of electricity'),
      ('score_tax_per_mu', '亩均税收得分: indicator score'),
      ('score_va_per_mu', '亩均增加值得分: indicator score'),
      ('score_revenue_per_mu', '亩均营业收入得分: indicator score'),
      ('score_labour_productivity', '全员劳动生产率得分: indicator score'),
      ('score_va_per_energy', '单位能耗增加值得分: indicator score'),
      ('score_va_per_emission', '单位排放增加值得分: indicator score'),
      ('score_rd_intensity', 'R&D经费支出占比得分: indicator score'),
      ('score_tax_per_kwh', '单位电耗税收得分: indicator score'),
      ('bonus', '加分: bonus points'),
      ('deduction', '减分: deduction points'),
      ('rental_deduction', '出租扣分: deduction for land leased out'),
      ('rank', '排名: rank in the pool by score'),
      ('rank_in_region', '县内排名: rank within the county by tax per mu (领跑园区)'),
      ('rank_overall', '全省排名: rank among all parks by tax per mu'),
      ('grade', '评价等级: grade A/B/C/D'),
      ('grade_label', '等级名称: 优先发展 A, 鼓励提升 B, 监管调控 C, 落后整治 D'),
      ('grade_a', 'A类企业数: firms graded A (优先发展)'),
      ('grade_b', 'B类企业数: firms graded B (鼓励提升)'),
      ('grade_c', 'C类企业数: firms graded C (监管调控)'),
      ('grade_d', 'D类企业数: firms graded D (落后整治)'),
      ('firms', '企业数: firms evaluated'),
      ('graded', '参评企业数: firms graded'),
      ('not_graded', '未评企业数 / 未评: not graded (exempt 不参评, under the land floor)'),
      ('veto_reason', '一票否决原因: veto reason (grade D)'),
      ('evaluated_at', '评价时间: when evaluate() wrote the row'),
      ('tax_tier', '亩均税收分档: 1 <5 重点排查, 2 <10 重点检查, 3 <15 重点指导, 0 ≥15 万元/亩'),
      ('tax_tier_label', '分档名称: tax-per-mu tier label'),
      ('tier_0', '亩均税收 ≥15 万元/亩的企业数'),
      ('tier_1', '亩均税收 <5 万元/亩的企业数 (重点排查)'),
      ('tier_2', '亩均税收 5–10 万元/亩的企业数 (重点检查)'),
      ('tier_3', '亩均税收 10–15 万元/亩的企业数 (重点指导)'),
      ('persistent_low_tax', '连续三年亩均税收低 (桐庐): under the line three years running'),
      ('still_below_3y', '三年仍规下 (金东): still 规下 after three years'),
      ('capacity_doubling_candidate', '亩产倍增候选 (金东): capacity-doubling candidate'),
      ('holder_uscc', '土地使用权人代码: holder''s unified social credit code'),
      ('holder_name', '土地使用权人: holder''s name'),
      ('holder_evaluated', '使用权人已评价: the holder has an evaluation this year'),
      ('role', '用地方式: holder (自有) or lessee (承租)'),
      ('park_id', '园区编号: park id'),
      ('kinds', '低效类型: low-efficiency kinds (codes; none = empty)'),
      ('kinds_text', '低效类型: the kinds'' codes joined with commas, for clients that read no arrays'),
      ('kind_labels', '低效类型名称: low-efficiency kinds in Chinese'),
      ('kind_labels_text', '低效类型名称: the kinds in Chinese joined with 、, for clients that read no arrays'),
      ('batch', '四个一批: batch (拆除重建, 整治提升, 功能转型, 关停退出)'),
      ('batch_label', '四个一批名称: batch in Chinese'),
      ('state', '入库状态: register state (调查核实 … 出库)'),
      ('state_label', '入库状态名称: register state in Chinese'),
      ('register_state', '低效用地库状态: register state, empty when not in the register'),
      ('register_state_label', '低效用地库状态名称: register state in Chinese'),
      ('state_since', '状态起始时间: when the parcel entered its state'),
      ('days_in_state', '处于该状态天数: days in the current state'),
      ('entered_at', '入库时间: when the parcel was registered (建档入库)'),
      ('exited_at', '出库时间: when the parcel left the register (出库)'),
      ('exit_reason', '出库原因: exit reason'),
      ('clears_thresholds', '达标: the latest evaluation clears the exit thresholds'),
      ('evaluated_year', '最近评价年度: latest evaluated year the register knows'),
      ('plan', '整治方案: treatment plan'),
      ('deadline', '整治期限: treatment deadline'),
      ('geom', '空间范围: geometry, CGCS2000 (EPSG:4490) MultiPolygon'),
      ('lon', '经度 (WGS 84): longitude of a point on the surface, for BI maps'),
      ('lat', '纬度 (WGS 84): latitude of a point on the surface, for BI maps'))
        SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', n.nspname, c.relname, a.attname, w.words)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN words w ON w.name = a.attname
        WHERE n.nspname = 'parcel_gov' AND c.relkind = 'v'
          AND col_description(c.oid, a.attnum) IS NULL
    LOOP
        EXECUTE missing;
    END LOOP;
    SELECT string_agg(c.relname || '.' || a.attname, ', ') INTO missing
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'parcel_gov' AND c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'view columns without a comment: %', missing;
    END IF;
END $$;

-- 违约 Each broken promise, per parcel and year with progress recorded:
-- the promise, what was committed and achieved, the shortfall (how far short
-- of an "at least" promise, or over an "at most" one; days late for
-- completion), how many years running it has been broken, and the parcel's
-- register state.
CREATE VIEW parcel_gov.v_contract_breach WITH (security_invoker = true) AS
WITH kept AS (
    SELECT g.parcel_code, g.year, p.region_code, p.holder_uscc, c.promise, c.committed, c.achieved,
           CASE WHEN c.promise IN ('energy_per_va', 'emission_per_va') THEN c.achieved - c.committed
                ELSE c.committed - c.achieved END AS shortfall
    FROM parcel_gov.parcel_progress g
    JOIN parcel_gov.parcel p ON p.code = g.parcel_code
    LEFT JOIN parcel_gov.evaluation e ON e.year = g.year AND e.uscc = p.holder_uscc
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.year = g.year AND fy.uscc = p.holder_uscc
    CROSS JOIN LATERAL (VALUES
        ('investment_intensity', p.contract_investment_intensity, g.investment / nullif(p.area_mu, 0)),
        ('floor_area_ratio', p.contract_floor_area_ratio, g.floor_area_ratio),
        ('tax_per_mu', p.contract_tax_per_mu, e.tax_per_mu),
        ('energy_per_va', p.contract_energy_per_va, fy.energy_tce / nullif(fy.value_added, 0)),
        ('emission_per_va', p.contract_emission_per_va, fy.emission_t / nullif(fy.value_added, 0)),
        ('completion', CASE WHEN p.contract_completion_date <= make_date(g.year, 12, 31) THEN 0::float8 END,
         CASE WHEN p.contract_completion_date <= make_date(g.year, 12, 31)
              THEN -greatest(coalesce(g.completed_on, make_date(g.year, 12, 31)) - p.contract_completion_date, 0)::float8 END))
      AS c(promise, committed, achieved)
    WHERE c.committed IS NOT NULL AND c.achieved IS NOT NULL
), broken AS (
    SELECT k.*, k.year - row_number() OVER (PARTITION BY k.parcel_code, k.promise ORDER BY k.year) AS run
    FROM kept k WHERE k.shortfall > 0
)
SELECT b.parcel_code::text AS parcel_code, b.year, b.region_code, b.holder_uscc::text AS holder_uscc, b.promise,
       CASE b.promise WHEN 'investment_intensity' THEN '投资强度' WHEN 'floor_area_ratio' THEN '容积率'
                      WHEN 'tax_per_mu' THEN '亩均税收' WHEN 'energy_per_va' THEN '单位增加值能耗'
                      WHEN 'emission_per_va' THEN '单位增加值排放' WHEN 'completion' THEN '竣工时间' END AS promise_label,
       b.committed, b.achieved, b.shortfall,
       count(*) OVER (PARTITION BY b.parcel_code, b.promise, b.run ORDER BY b.year) AS years_in_breach,
       r.state::text AS register_state, parcel_gov.label(r.state) AS register_state_label
FROM broken b
LEFT JOIN parcel_gov.register r ON r.parcel_code = b.parcel_code;
GRANT SELECT ON parcel_gov.v_contract_breach TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_contract_breach IS
  '违约清单 contract breaches: each promise of a parcel''s land contract broken in a year (investment intensity, floor-area ratio, per-mu tax: at least; energy and emissions per 万元 of value added: at most; completion: days late), the shortfall, the years running, the register state';
COMMENT ON COLUMN parcel_gov.v_contract_breach.promise IS '承诺事项: investment_intensity, floor_area_ratio, tax_per_mu, energy_per_va, emission_per_va or completion';
COMMENT ON COLUMN parcel_gov.v_contract_breach.promise_label IS '承诺事项 (中文)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.committed IS '承诺值: the contract''s figure (completion: 0 days late)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.achieved IS '实际值: what was achieved (completion: minus the days late)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.shortfall IS '差距: how far short of the promise (days late for completion)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.years_in_breach IS '连续违约年数: years running this promise has been broken';
COMMENT ON COLUMN parcel_gov.v_contract_breach.parcel_code IS '宗地代码: parcel code (GB/T 37346-2019, 一码管地)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_contract_breach.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.holder_uscc IS '土地使用权人代码: holder''s unified social credit code';
COMMENT ON COLUMN parcel_gov.v_contract_breach.register_state IS '低效用地库状态: register state, empty when not in the register';
COMMENT ON COLUMN parcel_gov.v_contract_breach.register_state_label IS '低效用地库状态名称: register state in Chinese';

-- 预警 Early warning: firms to act on before they become D, one row per firm
-- and evaluated year with every reason that holds:
--   tax_falling     亩均税收连续两年下降: per-mu tax fell two years running
--   near_tier_line  距5万元/亩线一档: per-mu tax in the tier just above the
--                   5 万元/亩 line (5 to 10, tax_tier 2, 重点检查)
--   grade_dropped   等级下降: a worse grade than the year before
CREATE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name,
       w.pool::text AS pool, parcel_gov.label(w.pool) AS pool_label,
       w.grade::text AS grade, parcel_gov.label(w.grade) AS grade_label,
       w.grade_prev::text AS grade_prev, parcel_gov.label(w.grade_prev) AS grade_prev_label,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END) AS reason_labels
FROM (
    SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, e.pool,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu) = 2, false) AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped
    FROM parcel_gov.evaluation e
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
    LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
) AS w
WHERE w.falling OR w.near_line OR w.dropped;
GRANT SELECT ON parcel_gov.v_early_warning TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, or whose grade dropped; one row per firm and year with the reasons';
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev IS '上年等级: grade the year before';
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev_label IS '上年等级名称: the grade the year before in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.reasons IS '预警原因: tax_falling, near_tier_line, grade_dropped';
COMMENT ON COLUMN parcel_gov.v_early_warning.reason_labels IS '预警原因 (中文): the reasons in Chinese';
DO $$
DECLARE
    missing text;
BEGIN
    FOR missing IN
        SELECT pg_catalog.format('COMMENT ON COLUMN parcel_gov.%I.%I IS %L', c.relname, a.attname,
                                 (SELECT pg_catalog.col_description(o.attrelid, o.attnum)
                                  FROM pg_catalog.pg_attribute o JOIN pg_catalog.pg_class oc ON oc.oid = o.attrelid
                                  WHERE oc.relnamespace = c.relnamespace AND oc.relkind = 'v' AND oc.oid <> c.oid
                                    AND o.attname = a.attname AND pg_catalog.col_description(o.attrelid, o.attnum) IS NOT NULL
                                  ORDER BY oc.relname LIMIT 1))
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
        WHERE c.oid = 'parcel_gov.v_early_warning'::pg_catalog.regclass
          AND pg_catalog.col_description(c.oid, a.attnum) IS NULL
    LOOP
        IF missing IS NULL THEN
            RAISE EXCEPTION 'a new view column has no comment';
        END IF;
        EXECUTE missing;
    END LOOP;
END $$;

-- Grade moves of each simulation (A→B, C→D, …) and its register effects.
CREATE VIEW parcel_gov.v_simulation_moves WITH (security_invoker = true) AS
SELECT s.id AS simulation_id, s.year, s.rule_set_id, s.region_prefix,
       coalesce(f.current_grade::text, '—') || '→' || coalesce(f.simulated_grade::text, '—') AS move,
       f.current_grade::text AS current_grade, parcel_gov.label(f.current_grade) AS current_grade_label,
       f.simulated_grade::text AS simulated_grade, parcel_gov.label(f.simulated_grade) AS simulated_grade_label,
       count(*) AS firms, s.parcels_entering, s.parcels_clearing
FROM parcel_gov.simulation s JOIN parcel_gov.simulation_firm f ON f.simulation_id = s.id
GROUP BY s.id, f.current_grade, f.simulated_grade;
GRANT SELECT ON parcel_gov.v_simulation_moves TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_simulation_moves IS
  '规则模拟汇总: per simulation, how many firms move from each grade to each other (A→B, C→D, …), and how many parcels would enter the register or clear its thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulation_id IS '模拟编号: simulation id';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.move IS '等级变化: current → simulated grade (— none)';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade IS '现行等级: grade in the stored evaluation';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade IS '模拟等级: grade under the proposed rules';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade_label IS '现行等级名称: the stored grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade_label IS '模拟等级名称: the simulated grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_entering IS '新进低效库宗数: parcels the run would enter in the register';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_clearing IS '可出库宗数: assessed parcels that would clear the thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.region_prefix IS '区域: region code prefix simulated';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.rule_set_id IS '模拟规则: the proposed rule set';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.firms IS '企业数: firms making the move';

-- the map functions read the new views again
-- Mapbox Vector Tile, layer "parcels", in the function-layer signature that
-- pg_tileserv and martin call: /parcel_gov.parcel_tile/{z}/{x}/{y}?region=330604&year=2024.
-- The tile's search box (with the 64-unit buffer) goes through the spatial
-- index on parcel.geom; ST_AsMVTGeom clips each parcel to the buffered tile
-- and snaps it to the 4096-unit grid of its zoom, which simplifies it and
-- drops what is smaller than a grid cell.
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
            -- plain strings: the kinds joined (a tile has no arrays)
            SELECT v.fid, v.code, v.year, v.region_code, v.holder_uscc,
                   v.holder_name, v.area_mu, v.tax_per_mu, v.va_per_mu, v.grade, v.grade_label,
                   v.tax_tier, v.kinds_text AS kinds, v.kind_labels_text AS kind_labels, v.batch,
                   v.batch_label, v.register_state, v.register_state_label,
                   ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.tile, 4096, 64, true) AS geom
            FROM parcel_gov.v_parcel_efficiency v, bounds b, request q
            WHERE v.geom && b.search AND v.year = q.year AND starts_with(v.region_code, q.prefix)
        ) AS f
        WHERE f.geom IS NOT NULL), '\x'::bytea);
END;

-- GeoJSON (RFC 7946): a FeatureCollection in WGS 84 longitude/latitude, one
-- feature per parcel with an integer "id" (PostGIS 3.3's ST_AsGeoJSON(record)
-- has no id argument), exterior rings counter-clockwise.
CREATE OR REPLACE FUNCTION parcel_gov.parcels_geojson(region text, year integer DEFAULT NULL)
    RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT json_build_object(
             'type', 'FeatureCollection',
             'features', coalesce(json_agg(json_build_object(
                 'type', 'Feature',
                 'id', v.fid,
                 'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(v.geom, 4326)), 7)::json,
                 'properties', json_build_object(
                     'code', v.code, 'year', v.year, 'region_code', v.region_code,
                     'holder_uscc', v.holder_uscc, 'holder_name', v.holder_name, 'area_mu', v.area_mu,
                     'tax_per_mu', v.tax_per_mu, 'va_per_mu', v.va_per_mu, 'grade', v.grade,
                     'grade_label', v.grade_label, 'tax_tier', v.tax_tier, 'kinds', v.kinds,
                     'kind_labels', v.kind_labels, 'batch', v.batch, 'batch_label', v.batch_label,
                     'register_state', v.register_state, 'register_state_label', v.register_state_label))
                 ORDER BY v.code), '[]'::json))
    FROM parcel_gov.v_parcel_efficiency v
    WHERE v.year = parcel_gov.map_year(parcel_gov.region_prefix(parcels_geojson.region), parcels_geojson.year)
      AND starts_with(v.region_code, parcel_gov.region_prefix(parcels_geojson.region));
END;

-- The printed map (README: Maps): a page with an overview, one inset per
-- park when parks lie far apart, and a key column; map_key replaces
-- map_legend, which nothing else calls (map_svg's body no longer names it:
-- replaced above).
DROP FUNCTION parcel_gov.map_legend(double precision, double precision, double precision, integer);

-- Region boundaries (行政区划界线) for the printed map: a county loads its
-- own outline (from 天地图 or its 国土空间规划 data, README: Maps), map_svg
-- draws it as a thin grey line and fits the overview to it.  Optional: a
-- region without a row is mapped by its parcels alone.  User data, dumped
-- with the rows; row-level security and grants as for park (96_roles.sql).
CREATE TABLE parcel_gov.region_boundary (
    region_code text PRIMARY KEY REFERENCES parcel_gov.region,
    geom        geometry(MultiPolygon, 4490) NOT NULL,
    source      text,
    loaded_at   timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE parcel_gov.region_boundary IS
  '行政区划界线 (region boundaries): one outline per region in CGCS2000, drawn by map_svg; optional';
COMMENT ON COLUMN parcel_gov.region_boundary.geom IS '界线: the region''s outline (MultiPolygon, EPSG:4490)';
COMMENT ON COLUMN parcel_gov.region_boundary.source IS '来源: where the outline comes from (e.g. 天地图 2024, 县国土空间规划)';
COMMENT ON COLUMN parcel_gov.region_boundary.loaded_at IS '入库时间: when the outline was loaded';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region_boundary', '');
-- a county sees and writes its own outline, as 96_roles.sql's policies have it
ALTER TABLE parcel_gov.region_boundary ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.region_boundary
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.region_boundary TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region_boundary TO parcel_gov_admin;

-- The printed map (专题图): map_svg draws a region's parcels on a landscape
-- page of 1189 × 841 (the A-series ratio, A0 in millimetres): a title block,
-- the map area on the left, a key column on the right that no panel
-- touches.  The map area holds one panel of the whole region, or, when the
-- region's parks lie far apart, an overview beside one inset per park
-- (map_inset_count).  Each helper below draws one thing; all are built with
-- PostgreSQL's XML functions, which escape every name.

-- A label's width in em, to size the boxes around it (SQL has no font
-- metrics): CJK and other wide characters one em, the rest about 0.6 em.
CREATE FUNCTION parcel_gov.map_text_em(label text)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(sum(CASE WHEN ascii(c) >= 4352 THEN 1.0 ELSE 0.6 END), 0)
        FROM regexp_split_to_table(label, '') AS c);
COMMENT ON FUNCTION parcel_gov.map_text_em(text) IS
  'internal: a map label''s width in em (CJK and wide characters 1, others 0.6), to size the boxes around labels';

-- A scale bar's length: 1, 2 or 5 × 10^k metres, the longest that is at most
-- a fifth of span_m (the width of the panel's map, in metres).
CREATE FUNCTION parcel_gov.map_scale_metres(span_m double precision)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN coalesce((SELECT max(m * 10 ^ k) FROM unnest('{1,2,5}'::float8[]) AS m, generate_series(0, 7) AS k
                 WHERE m * 10 ^ k <= span_m / 5), 1);
COMMENT ON FUNCTION parcel_gov.map_scale_metres(double precision) IS
  'internal: a scale bar''s metres: 1, 2 or 5 × 10^k, the longest at most a fifth of span_m';

-- A scale bar from (x, y), 18 pixels high: "0", the bar in two halves, its
-- length.  data-x … data-height give its box (the tests check that it
-- stays in its panel's bottom strip, off the parcels).
CREATE FUNCTION parcel_gov.map_scale_bar(x double precision, y double precision, px_per_m double precision,
                                         span_m double precision)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('scale-bar' AS class, b.m AS "data-metres", x AS "data-x", y AS "data-y",
                                            round((17 + b.len + parcel_gov.map_text_em(b.label) * 12)::numeric, 1) AS "data-width",
                                            18 AS "data-height", 12 AS "font-size"),
        xmlelement(name text, xmlattributes(x AS x, y + 14 AS y), '0'),
        xmlelement(name rect, xmlattributes(x + 12 AS x, y + 7 AS y, b.len / 2 AS width, 5 AS height, '#000000' AS fill)),
        xmlelement(name rect, xmlattributes(x + 12 + b.len / 2 AS x, y + 7 AS y, b.len / 2 AS width, 5 AS height,
                                            '#ffffff' AS fill, '#000000' AS stroke, 0.8 AS "stroke-width")),
        xmlelement(name text, xmlattributes(x + 17 + b.len AS x, y + 14 AS y), b.label))
    FROM (SELECT s.m, round((s.m * px_per_m)::numeric, 1) AS len,
                 CASE WHEN s.m >= 1000 THEN (s.m / 1000)::text || ' km' ELSE s.m::text || ' m' END AS label
          FROM (SELECT parcel_gov.map_scale_metres(span_m) AS m) AS s) AS b;
END;
COMMENT ON FUNCTION parcel_gov.map_scale_bar(double precision, double precision, double precision, double precision) IS
  'internal: map_svg''s scale bar at (x, y) for a panel span_m metres wide drawn at px_per_m pixels a metre';

-- A north arrow (北 N) in a 40 × 64 box from (x, y): the maps are drawn
-- north up (Gauss-Krüger grid north; within a 3-degree zone it is off true
-- north by at most 1.5°).
CREATE FUNCTION parcel_gov.map_north_arrow(x double precision, y double precision)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('north-arrow' AS class, x AS "data-x", y AS "data-y", 40 AS "data-width",
                                            64 AS "data-height"),
        xmlelement(name text, xmlattributes(x + 20 AS x, y + 14 AS y, 'middle' AS "text-anchor", 14 AS "font-size",
                                            'bold' AS "font-weight"), '北 N'),
        xmlelement(name polygon, xmlattributes(format('%s,%s %s,%s %s,%s', x + 20, y + 20, x + 20, y + 52, x + 8, y + 62) AS points,
                                               '#000000' AS fill, '#000000' AS stroke)),
        xmlelement(name polygon, xmlattributes(format('%s,%s %s,%s %s,%s', x + 20, y + 20, x + 32, y + 62, x + 20, y + 52) AS points,
                                               '#ffffff' AS fill, '#000000' AS stroke)));
END;
COMMENT ON FUNCTION parcel_gov.map_north_arrow(double precision, double precision) IS
  'internal: map_svg''s north arrow (北 N) in a 40 × 64 box at (x, y)';

-- A park's label on the overview: its name in a white box centred on cx,
-- 20 pixels high from y, 13-pixel type.
CREATE FUNCTION parcel_gov.map_badge(cx double precision, y double precision, label text)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('badge' AS class, round((cx - b.w / 2)::numeric, 1) AS "data-x", y AS "data-y",
                                            round(b.w::numeric, 1) AS "data-width", 20 AS "data-height"),
        xmlelement(name rect, xmlattributes(round((cx - b.w / 2)::numeric, 1) AS x, y AS y, round(b.w::numeric, 1) AS width,
                                            20 AS height, 3 AS rx, '#ffffff' AS fill, 0.92 AS "fill-opacity",
                                            '#333333' AS stroke, 0.8 AS "stroke-width")),
        xmlelement(name text, xmlattributes(cx AS x, y + 15 AS y, 'middle' AS "text-anchor", 13 AS "font-size"), label))
    FROM (SELECT parcel_gov.map_text_em(label) * 13 + 12 AS w) AS b;
END;
COMMENT ON FUNCTION parcel_gov.map_badge(double precision, double precision, text) IS
  'internal: map_svg''s label of a park: its name in a white box centred on cx, 20 pixels high from y';

-- One parcel's shape (d, in page pixels): filled by grade, outlined by its
-- register state, a <title> for the tooltip.  cls is "parcel" for the one
-- shape each parcel has in the overview and "parcel-inset" for its copy in
-- an inset; weight thins the outlines where parcels are drawn small.
CREATE FUNCTION parcel_gov.map_parcel(cls text, code text, grade text, grade_label text, state text,
                                      holder text, tax_per_mu double precision, d text, weight double precision)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name path, xmlattributes(
               cls AS class, code AS "data-code", coalesce(grade, 'none') AS "data-grade", state AS "data-state", d AS d,
               (SELECT k.colour FROM parcel_gov.map_grade_key() k WHERE k.grade IS NOT DISTINCT FROM map_parcel.grade) AS fill,
               coalesce((SELECT k.colour FROM parcel_gov.map_state_key() k WHERE k.state::text = map_parcel.state), '#ffffff') AS stroke,
               round((weight * CASE WHEN state IN ('exited', 'rejected') OR state IS NULL THEN 0.6 ELSE 2.2 END)::numeric, 2)
                 AS "stroke-width"),
        xmlelement(name title, concat_ws(' · ', code, holder, coalesce(grade_label, '未评价'),
                                         format('亩均税收 %s 万元/亩', round(tax_per_mu::numeric, 2)),
                                         parcel_gov.label(state::parcel_gov.register_state))));
END;
COMMENT ON FUNCTION parcel_gov.map_parcel(text, text, text, text, text, text, double precision, text, double precision) IS
  'internal: map_svg''s shape of one parcel (class cls, SVG path d): fill by grade, outline by register state, a tooltip';

-- The panels' rectangles on the page: panel 0 (the whole region) fills the
-- map area (20, 80)–(925, 821) alone, or takes its left 385 pixels with up
-- to four insets beside it, in one column or two, whichever draws a park
-- box of the given aspect (width / height) larger; an odd last inset of two
-- columns spans both.
CREATE FUNCTION parcel_gov.map_layout(insets integer, aspect double precision)
    RETURNS TABLE (n integer, x double precision, y double precision, w double precision, h double precision)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH k AS (
        SELECT least(insets, 4) AS k
    ), grid AS (
        -- a panel's content is 16 pixels narrower and 72 lower than its cell
        SELECT CASE WHEN k.k >= 2 AND least(234 / aspect, (741 - (r2 - 1) * 10.0) / r2 - 72)
                                    > least(494 / aspect, (741 - (k.k - 1) * 10.0) / k.k - 72) THEN 2 ELSE 1 END AS cols, k.k
        FROM k, LATERAL (SELECT (k.k + 1) / 2 AS r2) AS r
    ), cell AS (
        SELECT g.cols, g.k, (g.k + g.cols - 1) / g.cols AS rows_ FROM grid g
    )
    SELECT 0, 20::float8, 80::float8, CASE WHEN insets = 0 THEN 905 ELSE 385 END::float8, 741::float8
    UNION ALL
    SELECT i, (415 + ((i - 1) % c.cols) * 260)::float8,
           (80 + ((i - 1) / c.cols) * ((741 - (c.rows_ - 1) * 10.0) / c.rows_ + 10))::float8,
           CASE WHEN c.cols = 1 OR (i = c.k AND c.k % 2 = 1) THEN 510 ELSE 250 END::float8,
           ((741 - (c.rows_ - 1) * 10.0) / c.rows_)::float8
    FROM cell c, generate_series(1, c.k) AS i;
END;
COMMENT ON FUNCTION parcel_gov.map_layout(integer, double precision) IS
  'internal: map_svg''s panel rectangles for 0 to 4 insets of parks of the given aspect: panel 0 the whole region, 1 … 4 the insets';

-- One panel: a frame, its title in a grey strip on top, what it shows
-- (body, clipped to the panel) and a scale bar in a 30-pixel strip at the
-- bottom that the body leaves free.  data-x … data-height give the frame,
-- data-content-y and data-content-height the band the body is fitted to.
CREATE FUNCTION parcel_gov.map_panel(n integer, title text, x double precision, y double precision,
                                     w double precision, h double precision, px_per_m double precision, body xml)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('panel' AS class, 'panel-' || n AS id, x AS "data-x", y AS "data-y",
                                            w AS "data-width", h AS "data-height", y + 26 AS "data-content-y",
                                            h - 56 AS "data-content-height"),
        xmlelement(name "clipPath", xmlattributes('clip-' || n AS id),
            xmlelement(name rect, xmlattributes(x AS x, y + 26 AS y, w AS width, h - 56 AS height))),
        xmlelement(name rect, xmlattributes(x AS x, y AS y, w AS width, h AS height, '#ffffff' AS fill,
                                            '#444444' AS stroke, 1 AS "stroke-width")),
        xmlelement(name rect, xmlattributes(x AS x, y AS y, w AS width, 26 AS height, '#eeeeee' AS fill,
                                            '#444444' AS stroke, 1 AS "stroke-width")),
        xmlelement(name text, xmlattributes(x + 8 AS x, y + 18 AS y, 14 AS "font-size", 'bold' AS "font-weight"), title),
        xmlelement(name g, xmlattributes('url(#clip-' || n || ')' AS "clip-path"), body),
        xmlelement(name line, xmlattributes(x AS x1, y + h - 30 AS y1, x + w AS x2, y + h - 30 AS y2,
                                            '#cccccc' AS stroke, 0.8 AS "stroke-width")),
        parcel_gov.map_scale_bar(x + 10, y + h - 25, px_per_m, (w - 16) / px_per_m));
END;
COMMENT ON FUNCTION parcel_gov.map_panel(integer, text, double precision, double precision, double precision,
                                         double precision, double precision, xml) IS
  'internal: one panel of map_svg: frame, title strip, body (clipped) and a scale bar in the bottom strip';

-- The key column from (x, y), 224 pixels wide: grade fills, register
-- outlines, the block hatch, the park box, the region boundary when one is
-- drawn, the north arrow and the projection.
CREATE FUNCTION parcel_gov.map_key(x double precision, y double precision, srid integer, boundary boolean)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('key' AS id, x AS "data-x", y AS "data-y", 224 AS "data-width",
                                            560 AS "data-height", 13 AS "font-size"),
        xmlelement(name text, xmlattributes(x AS x, y + 16 AS y, 16 AS "font-size", 'bold' AS "font-weight"), '图例 Key'),
        xmlelement(name text, xmlattributes(x AS x, y + 42 AS y, 12 AS "font-size", '#555555' AS fill),
                   '亩均效益等级 grade (fill)'),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 50 + k.n * 22 AS y, 22 AS width,
                                                        16 AS height, k.colour AS fill, '#888888' AS stroke)),
                    xmlelement(name text, xmlattributes(x + 30 AS x, y + 63 + k.n * 22 AS y), k.label))
                ORDER BY k.n) FROM parcel_gov.map_grade_key() k),
        xmlelement(name text, xmlattributes(x AS x, y + 172 AS y, 12 AS "font-size", '#555555' AS fill),
                   '低效在库 register state (outline)'),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 180 + k.n * 22 AS y, 22 AS width,
                                                        16 AS height, '#f0f0f0' AS fill, k.colour AS stroke, 2.5 AS "stroke-width")),
                    xmlelement(name text, xmlattributes(x + 30 AS x, y + 193 + k.n * 22 AS y),
                               parcel_gov.label(k.state) || ' ' || k.state::text))
                ORDER BY k.n) FROM parcel_gov.map_state_key() k),
        xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 320 AS y, 22 AS width, 16 AS height,
                                            'url(#hatch)' AS fill, '#5a0000' AS stroke)),
        xmlelement(name text, xmlattributes(x + 30 AS x, y + 333 AS y), '连片整治 block (≥ 2 parcels)'),
        xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 344 AS y, 22 AS width, 16 AS height,
                                            'none' AS fill, '#333333' AS stroke, '4 2' AS "stroke-dasharray")),
        xmlelement(name text, xmlattributes(x + 30 AS x, y + 357 AS y), '园区 park (① inset)'),
        CASE WHEN boundary THEN xmlconcat(
            xmlelement(name line, xmlattributes(x AS x1, y + 376 AS y1, x + 22 AS x2, y + 376 AS y2,
                                                '#8c8c8c' AS stroke, 1.2 AS "stroke-width")),
            xmlelement(name text, xmlattributes(x + 30 AS x, y + 381 AS y), '行政区划界线 boundary')) END,
        parcel_gov.map_north_arrow(x, y + 400),
        xmlelement(name text, xmlattributes(x + 50 AS x, y + 430 AS y, 12 AS "font-size", '#555555' AS fill), 'north up'),
        (SELECT xmlagg(xmlelement(name text, xmlattributes(x AS x, y + 490 + l.n * 16 AS y, 12 AS "font-size",
                                                           '#666666' AS fill), l.line) ORDER BY l.n)
         FROM unnest(CASE WHEN srid = 3857 THEN ARRAY['Web Mercator (EPSG:3857)', 'scale bars true at the centre']
                          ELSE ARRAY['CGCS2000 3° Gauss-Krüger',
                                     format('CM %s°E (EPSG:%s)', (srid - 4534 + 25) * 3, srid)] END
                     || ARRAY['scale bar in each panel', 'parcel_gov']) WITH ORDINALITY AS l (line, n)));
END;
COMMENT ON FUNCTION parcel_gov.map_key(double precision, double precision, integer, boolean) IS
  'internal: map_svg''s key column at (x, y): grade fills, register outlines, block hatch, park box, boundary, north arrow, projection';

-- How many insets a map gets: one per park (the largest four by parcel
-- count) when the region has parks and their boxes together cover less
-- than a quarter of the overview's box (parks far apart: the overview alone
-- would be mostly empty); else none, one panel fills the map area.
CREATE FUNCTION parcel_gov.map_inset_count(parks integer, parks_area double precision, overview_area double precision)
    RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN parks > 0 AND parks_area < overview_area / 4 THEN least(parks, 4) ELSE 0 END;
COMMENT ON FUNCTION parcel_gov.map_inset_count(integer, double precision, double precision) IS
  'internal: map_svg''s insets: one per park (at most 4) when the parks'' boxes cover less than a quarter of the overview';

-- The printed map of a region in a year (latest evaluated by default).
-- Drawn in the CGCS2000 3-degree Gauss-Krüger zone of the region's centre
-- (EPSG:4534 for 75°E … 4554 for 135°E; Web Mercator outside them), so
-- shapes and scale bars are true.  Steps: the request, the region's
-- parcels and boundary, the zone, both projected once, the parks, the
-- panels and the fit of each, then the page.
CREATE OR REPLACE FUNCTION parcel_gov.map_svg(region text, year integer DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT q.prefix, parcel_gov.map_year(q.prefix, map_svg.year) AS year,
               coalesce((SELECT r.name FROM parcel_gov.region r WHERE r.code = map_svg.region),
                        map_svg.region, '全部 all regions') AS title
        FROM (SELECT parcel_gov.region_prefix(map_svg.region) AS prefix) AS q
    ), parcels AS (
        SELECT v.*, k.park_id FROM parcel_gov.v_parcel_efficiency v
        JOIN parcel_gov.parcel k ON k.code::text = v.code, request q
        WHERE v.year = q.year AND starts_with(v.region_code, q.prefix)
    ), boundary AS (
        SELECT b.geom FROM parcel_gov.region_boundary b, request q WHERE starts_with(b.region_code, q.prefix)
    ), zone AS (
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(g.geom) AS box
                    FROM (SELECT p.geom FROM parcels p UNION ALL SELECT b.geom FROM boundary b) AS g) AS e) AS z
    ), projected AS MATERIALIZED (
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state, p.park_id,
               ST_Transform(p.geom, zone.srid) AS geom
        FROM parcels p, zone
    ), outline AS MATERIALIZED (
        SELECT ST_Transform(b.geom, zone.srid) AS geom FROM boundary b, zone
    ), blocks AS MATERIALIZED (
        SELECT c.parcels, c.area_mu, ST_Transform(c.geom, zone.srid) AS geom
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    ), parks AS (
        -- numbered by parcel count, largest first: the insets are the first four
        SELECT row_number() OVER (ORDER BY count(*) DESC, k.name)::integer AS n, k.id, k.name, count(*) AS parcels,
               ST_Extent(p.geom)::geometry AS box
        FROM projected p JOIN parcel_gov.park k ON k.id = p.park_id
        GROUP BY k.id, k.name
    ), overview AS (
        SELECT ST_Extent(g.geom)::geometry AS box
        FROM (SELECT p.geom FROM projected p UNION ALL SELECT o.geom FROM outline o) AS g
    ), plan AS (
        SELECT parcel_gov.map_inset_count((SELECT count(*) FROM parks)::integer, (SELECT sum(ST_Area(k.box)) FROM parks k),
                                          ST_Area(o.box)) AS insets,
               (SELECT count(*) FROM parks) AS parks,
               -- the insets' typical shape (geometric mean of width / height) picks their grid
               coalesce((SELECT exp(avg(ln(greatest(ST_XMax(k.box) - ST_XMin(k.box), 1) / greatest(ST_YMax(k.box) - ST_YMin(k.box), 1))))
                         FROM parks k WHERE k.n <= 4), 1) AS aspect
        FROM overview o
    ), panel AS (
        -- each panel's rectangle and the box it fits: the whole region in
        -- panel 0 (24 pixels kept free on top for the parks' labels), a
        -- park's parcels in an inset
        SELECT l.n, l.x, l.y, l.w, l.h, k.id AS park_id, coalesce(k.box, o.box) AS box,
               CASE WHEN l.n > 0 AND parcel_gov.map_text_em(format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)) * 14
                                      <= l.w - 16 THEN format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)
                    WHEN l.n > 0 THEN format('%s %s · %s 宗', chr(9311 + l.n), k.name, k.parcels)
                    WHEN plan.insets > 0 THEN format('%s 全域 overview', q.title)
                    WHEN plan.parks = 1 THEN format('%s · %s', q.title, (SELECT k1.name FROM parks k1))
                    ELSE q.title END AS title,
               l.x + 8 AS cx, l.y + 34 + CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS cy, l.w - 16 AS cw,
               l.h - 72 - CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS ch
        FROM plan CROSS JOIN overview o CROSS JOIN request q
        CROSS JOIN parcel_gov.map_layout(plan.insets, plan.aspect) AS l
        LEFT JOIN parks k ON k.n = l.n AND l.n > 0
    ), fit AS (
        -- s pixels a metre, the box centred in the content band; a page
        -- pixel is (X·s + ox, oy − Y·s) (ST_AsSVG negates y)
        SELECT f.*, f.cx + (f.cw - f.bw * f.s) / 2 - f.x0 * f.s AS ox, f.cy + (f.ch - f.bh * f.s) / 2 + f.y1 * f.s AS oy,
               least(1, greatest(0.25, 10 * f.s)) AS weight
        FROM (SELECT p.*, ST_XMin(p.box) AS x0, ST_YMax(p.box) AS y1,
                     greatest(ST_XMax(p.box) - ST_XMin(p.box), 1) AS bw, greatest(ST_YMax(p.box) - ST_YMin(p.box), 1) AS bh,
                     CASE WHEN p.box IS NOT NULL THEN least(p.cw / greatest(ST_XMax(p.box) - ST_XMin(p.box), 1),
                                                            p.ch / greatest(ST_YMax(p.box) - ST_YMin(p.box), 1)) END AS s
              FROM panel p) AS f
    ), body AS (
        SELECT f.n, xmlconcat(
            (SELECT xmlagg(xmlelement(name path, xmlattributes('boundary' AS class,
                        ST_AsSVG(ST_Affine(o.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, '#f7f7f4' AS fill,
                        '#8c8c8c' AS stroke, 1.2 AS "stroke-width")))
             FROM outline o WHERE f.n = 0),
            (SELECT xmlagg(parcel_gov.map_parcel(CASE WHEN f.n = 0 THEN 'parcel' ELSE 'parcel-inset' END, p.code, p.grade,
                        p.grade_label, p.register_state, p.holder_name, p.tax_per_mu,
                        ST_AsSVG(ST_Affine(p.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1), f.weight) ORDER BY p.code)
             FROM projected p WHERE f.n = 0 OR p.park_id = f.park_id),
            (SELECT xmlagg(xmlelement(name path, xmlattributes(CASE WHEN f.n = 0 THEN 'block' ELSE 'block-inset' END AS class,
                        ST_AsSVG(ST_Affine(b.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, 'url(#hatch)' AS fill,
                        '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.parcels DESC, b.area_mu DESC)
             FROM blocks b WHERE f.n = 0 OR b.geom && ST_SetSRID(f.box, ST_SRID(b.geom))),
            -- the overview: each park's box, then its label above it (kept inside the panel)
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes('park-box' AS class, round(r.px0::numeric, 1) AS x,
                                   round(r.py0::numeric, 1) AS y, round((r.px1 - r.px0)::numeric, 1) AS width,
                                   round((r.py1 - r.py0)::numeric, 1) AS height, 'none' AS fill, '#333333' AS stroke,
                                   1 AS "stroke-width", '4 2' AS "stroke-dasharray")),
                        parcel_gov.map_badge(
                            least(greatest((r.px0 + r.px1) / 2, f.x + 8 + r.bw / 2), f.x + f.w - 8 - r.bw / 2),
                            greatest(r.py0 - 24, f.cy - 24), r.label)) ORDER BY r.n)
             FROM (SELECT k.n, ST_XMin(k.box) * f.s + f.ox - 3 AS px0, ST_XMax(k.box) * f.s + f.ox + 3 AS px1,
                          f.oy - ST_YMax(k.box) * f.s - 3 AS py0, f.oy - ST_YMin(k.box) * f.s + 3 AS py1,
                          l.label, parcel_gov.map_text_em(l.label) * 13 + 12 AS bw
                   FROM parks k, plan,
                        LATERAL (SELECT CASE WHEN k.n <= plan.insets THEN chr(9311 + k.n) || ' ' ELSE '' END || k.name AS label) AS l
                   WHERE f.n = 0) AS r)) AS svg
        FROM fit f
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1189 AS width, 841 AS height, '0 0 1189 841' AS "viewBox",
                      'Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif' AS "font-family"),
        xmlelement(name defs,
            xmlelement(name pattern, xmlattributes('hatch' AS id, 8 AS width, 8 AS height, 'userSpaceOnUse' AS "patternUnits",
                                                   'rotate(45)' AS "patternTransform"),
                xmlelement(name line, xmlattributes(0 AS x1, 0 AS y1, 0 AS x2, 8 AS y2, '#5a0000' AS stroke, 2 AS "stroke-width")))),
        xmlelement(name rect, xmlattributes('100%' AS width, '100%' AS height, '#ffffff' AS fill)),
        xmlelement(name g, xmlattributes('title-block' AS id),
            xmlelement(name text, xmlattributes(20 AS x, 36 AS y, 24 AS "font-size", 'bold' AS "font-weight"),
                       format('%s %s 年亩均效益评价 per-mu efficiency by grade', q.title, coalesce(q.year::text, '—'))),
            xmlelement(name text, xmlattributes(20 AS x, 60 AS y, 13 AS "font-size", '#555555' AS fill),
                       format('%s 宗地 parcels · %s 园区 parks%s · 低效在库 outlined by register state · 连片整治 hatched',
                              (SELECT count(*) FROM projected), plan.parks,
                              CASE WHEN plan.insets > 0 THEN ' · 园区相距较远，分幅放大 insets ①–' || chr(9311 + plan.insets::integer) ELSE '' END)),
            xmlelement(name line, xmlattributes(20 AS x1, 70 AS y1, 1169 AS x2, 70 AS y2, '#444444' AS stroke, 1 AS "stroke-width"))),
        xmlelement(name g, xmlattributes('panels' AS id, 'evenodd' AS "fill-rule", 'round' AS "stroke-linejoin"),
            (SELECT xmlagg(parcel_gov.map_panel(f.n, f.title, f.x, f.y, f.w, f.h, f.s, b.svg) ORDER BY f.n)
             FROM fit f JOIN body b ON b.n = f.n)),
        parcel_gov.map_key(945, 80, zone.srid, EXISTS (SELECT FROM outline)))::text
    FROM request q, zone, plan;
END;
COMMENT ON FUNCTION parcel_gov.map_svg(text, integer) IS
  '专题图 printed SVG map (1189 × 841) of a region''s parcels in a year (latest evaluated by default): filled by grade, register parcels outlined by state, 连片整治 blocks hatched, the region boundary when loaded, one inset per park when parks lie far apart, a key column, north arrow and scale bars';

-- Every view is read-only, also for its owner: the write privileges a new
-- view gives its owner are taken back, so clients that ask PostgreSQL what
-- a login may do (QGIS asks has_table_privilege, DBeaver and BI tools read
-- information_schema) offer no editing on a view.  Edits go to the tables.
-- The REVOKE records the whole ACL as the extension's initial privileges,
-- users' grants included; the initial privileges are set back to what they
-- were, less the owner's writes, so pg_dump keeps the users' grants.
DO $$
DECLARE
    v pg_catalog.regclass;
    owner pg_catalog.oid;
    initial pg_catalog.aclitem[];
BEGIN
    FOR v, owner IN SELECT c.oid, c.relowner FROM pg_catalog.pg_class c
                    WHERE c.relnamespace = 'parcel_gov'::pg_catalog.regnamespace AND c.relkind = 'v' LOOP
        SELECT i.initprivs INTO initial FROM pg_catalog.pg_init_privs i
        WHERE i.objoid = v AND i.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objsubid = 0;
        EXECUTE pg_catalog.format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM CURRENT_USER', v);
        UPDATE pg_catalog.pg_init_privs i
        SET initprivs = ARRAY[pg_catalog.makeaclitem(owner, owner, 'SELECT', false)]
                        || ARRAY(SELECT a FROM pg_catalog.unnest(initial) AS a
                                 WHERE (SELECT x.grantee FROM pg_catalog.aclexplode(ARRAY[a]) AS x LIMIT 1) <> owner)
        WHERE i.objoid = v AND i.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objsubid = 0;
    END LOOP;
END $$;

-- The users' grants on the recreated views, then their relations over them,
-- as they were.  Grants made while an extension script runs are recorded as
-- the extension's initial privileges, which pg_dump leaves out: the views'
-- initial privileges are put back to a fresh install's, and the users'
-- relations (not members of the extension) get none, so a dump keeps the
-- users' grants.
DO $$
DECLARE
    v jsonb;
    c jsonb;
    g record;
    rel pg_catalog.regclass;
    fresh pg_catalog.aclitem[];
    kind text;
    head text;
    alias text;
    col record;
    replaced CONSTANT pg_catalog.regclass[] := ARRAY[
        'parcel_gov.v_park_ranking', 'parcel_gov.v_parcel_use', 'parcel_gov.v_enterprise_evaluation',
        'parcel_gov.v_register', 'parcel_gov.v_parcel_efficiency', 'parcel_gov.v_contract_breach',
        'parcel_gov.v_early_warning', 'parcel_gov.v_simulation_moves']::pg_catalog.regclass[];
    definition text;
    detail text;
BEGIN
    FOR v IN SELECT pg_catalog.jsonb_array_elements(pg_catalog.current_setting('parcel_gov.update_views')::jsonb) LOOP
        rel := (v ->> 'name')::pg_catalog.regclass;
        SELECT k.relacl INTO fresh FROM pg_catalog.pg_class k WHERE k.oid = rel;
        FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable
                 FROM pg_catalog.aclexplode(NULLIF(ARRAY(SELECT pg_catalog.jsonb_array_elements_text(v -> 'acl')), '{}')::pg_catalog.aclitem[]) AS a
                 WHERE a.grantee <> (SELECT k.relowner FROM pg_catalog.pg_class k WHERE k.oid = rel) LOOP
            EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, rel,
                                      CASE g.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                      CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
        FOR c IN SELECT pg_catalog.jsonb_array_elements(v -> 'columns') LOOP
            FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable
                     FROM pg_catalog.aclexplode(NULLIF(ARRAY(SELECT pg_catalog.jsonb_array_elements_text(c -> 'acl')), '{}')::pg_catalog.aclitem[]) AS a
                     WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute t WHERE t.attrelid = rel AND t.attname = c ->> 'name') LOOP
                EXECUTE pg_catalog.format('GRANT %s (%I) ON %s TO %s%s', g.privilege_type, c ->> 'name', rel,
                                          CASE g.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                          CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
            END LOOP;
        END LOOP;
        UPDATE pg_catalog.pg_init_privs SET initprivs = fresh
        WHERE objoid = rel AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid = 0;
        DELETE FROM pg_catalog.pg_init_privs
        WHERE objoid = rel AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid <> 0;
    END LOOP;

    FOR v IN SELECT pg_catalog.jsonb_array_elements(pg_catalog.current_setting('parcel_gov.update_dependents')::jsonb) LOOP
        kind := CASE v ->> 'kind' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END;
        head := pg_catalog.format('CREATE %s %s%s AS ', kind, v ->> 'name',
                                  CASE WHEN v -> 'options' <> 'null' THEN pg_catalog.format(' WITH (%s)',
                                      (SELECT pg_catalog.string_agg(o, ', ') FROM pg_catalog.jsonb_array_elements_text(v -> 'options') AS o)) END);
        -- first as it was, each column of parcel_gov's views that had one of
        -- its types cast back to that type (the view then answers as before:
        -- comparisons, label(), the order of states); then as it was
        definition := pg_catalog.rtrim(v ->> 'definition', '; ' || pg_catalog.chr(10));
        FOR alias IN
            SELECT DISTINCT coalesce(m[2], m[1])
            FROM pg_catalog.regexp_matches(definition,
                     'parcel_gov\.(v_[a-z_]+)(?:\s+(?!(?:JOIN|LEFT|RIGHT|FULL|INNER|CROSS|NATURAL|WHERE|ON|USING|GROUP|ORDER|HAVING|WINDOW|LIMIT|OFFSET|FETCH|UNION|EXCEPT|INTERSECT)\M)([a-z_][a-z_0-9]*))?', 'g') AS m
            WHERE ('parcel_gov.' || m[1])::pg_catalog.regclass = ANY (replaced) LOOP
            FOR col IN SELECT * FROM pg_catalog.jsonb_each_text(pg_catalog.current_setting('parcel_gov.update_old_types')::jsonb) LOOP
                definition := pg_catalog.regexp_replace(definition, '\m' || alias || '\.' || col.key || '\M(?!\s*\()',
                                                        '(' || alias || '.' || col.key || ')::' || col.value, 'g');
            END LOOP;
        END LOOP;
        BEGIN
            EXECUTE head || definition || CASE v ->> 'kind' WHEN 'm' THEN ' WITH NO DATA' ELSE '' END;
        EXCEPTION WHEN OTHERS THEN
            BEGIN
                EXECUTE head || (v ->> 'definition') || CASE v ->> 'kind' WHEN 'm' THEN ' WITH NO DATA' ELSE '' END;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS detail = MESSAGE_TEXT;
                RAISE EXCEPTION '%, which reads parcel_gov''s views, cannot be created again: %', v ->> 'name', detail
                    USING ERRCODE = 'dependent_objects_still_exist', DETAIL = 'Its definition: ' || (v ->> 'definition'),
                          HINT = 'parcel_gov 1.8.0 gives its views plain column types (text for grades, states and codes; '
                                 'labels beside them, e.g. grade_label). Drop this view, update, and create it again over the new columns.';
            END;
        END;
        rel := (v ->> 'name')::pg_catalog.regclass;
        -- created by this script, it would be a member of the extension
        EXECUTE pg_catalog.format('ALTER EXTENSION parcel_gov DROP %s %s', kind, rel);
        EXECUTE pg_catalog.format('ALTER %s %s OWNER TO %I', kind, rel, v ->> 'owner');
        EXECUTE pg_catalog.format('COMMENT ON %s %s IS %L', kind, rel, v ->> 'comment');
        FOR c IN SELECT pg_catalog.jsonb_array_elements(v -> 'columns') LOOP
            IF c ->> 'comment' IS NOT NULL THEN
                EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', rel, c ->> 'name', c ->> 'comment');
            END IF;
            IF c ->> 'default' IS NOT NULL THEN
                EXECUTE pg_catalog.format('ALTER %s %s ALTER COLUMN %I SET DEFAULT %s', kind, rel, c ->> 'name', c ->> 'default');
            END IF;
            FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable
                     FROM pg_catalog.aclexplode(NULLIF(ARRAY(SELECT pg_catalog.jsonb_array_elements_text(c -> 'acl')), '{}')::pg_catalog.aclitem[]) AS a LOOP
                EXECUTE pg_catalog.format('GRANT %s (%I) ON %s TO %s%s', g.privilege_type, c ->> 'name', rel,
                                          CASE g.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                          CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
            END LOOP;
        END LOOP;
        -- the whole ACL as it was, the owner's own entry included
        IF v -> 'acl' <> 'null' THEN
            EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM %I', rel, v ->> 'owner');
            FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable
                     FROM pg_catalog.aclexplode(NULLIF(ARRAY(SELECT pg_catalog.jsonb_array_elements_text(v -> 'acl')), '{}')::pg_catalog.aclitem[]) AS a LOOP
                EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, rel,
                                          CASE g.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                          CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
            END LOOP;
        END IF;
        FOR definition IN SELECT pg_catalog.jsonb_array_elements_text(v -> 'statements') LOOP
            EXECUTE definition;
        END LOOP;
        -- filled as its owner fills it (REFRESH runs the query with the owner's rights)
        IF (v ->> 'populated')::boolean AND v ->> 'kind' = 'm' THEN
            EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s', rel);
        END IF;
        DELETE FROM pg_catalog.pg_init_privs
        WHERE objoid = rel AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass;
    END LOOP;
END $$;

-- The extension's initial privileges name only its owner, PUBLIC and its
-- own roles.  An update that dropped and created a function (1.7.0's
-- import_parcels) recorded the grants users had made on it as initial, and
-- pg_dump would leave them out: they are taken out of the initial
-- privileges here (the grants themselves stay).
DO $$
DECLARE
    owner CONSTANT pg_catalog.oid := (SELECT e.extowner FROM pg_catalog.pg_extension e WHERE e.extname = 'parcel_gov');
    own_roles CONSTANT pg_catalog.oid[] := ARRAY(
        SELECT r.oid FROM pg_catalog.pg_roles r
        WHERE r.rolname IN ('parcel_gov_reader', 'parcel_gov_analyst', 'parcel_gov_operator', 'parcel_gov_admin'))
        || ARRAY[0, owner]::pg_catalog.oid[];
BEGIN
    UPDATE pg_catalog.pg_init_privs i
    SET initprivs = ARRAY(SELECT u.a FROM pg_catalog.unnest(i.initprivs) WITH ORDINALITY AS u (a, n)
                          WHERE (SELECT x.grantee FROM pg_catalog.aclexplode(ARRAY[u.a]) AS x LIMIT 1) = ANY (own_roles)
                          ORDER BY u.n)
    WHERE i.privtype = 'e'
      AND EXISTS (SELECT FROM pg_catalog.unnest(i.initprivs) AS a
                  WHERE (SELECT x.grantee FROM pg_catalog.aclexplode(ARRAY[a]) AS x LIMIT 1) <> ALL (own_roles))
      AND EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = i.classoid AND d.objid = i.objoid AND d.deptype = 'e'
                    AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'parcel_gov'));
END $$;
