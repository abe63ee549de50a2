-- parcel_gov 1.10.0 → 1.11.0 (fidelity: evaluation as the counties publish
-- it).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only where
-- nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.11.0'" to load this file. \quit

-- ---- issue 21 items 4, 5 (indicators) and 6: the water, COD and main-revenue
-- figures; the four indicators named in 1.10.0 scored; 临海, 温岭 and 黄岩
-- presets as published.
-- The indicator values 1.10.0 added are usable here only when 1.10.0 was
-- committed first: an update from 1.9.0 or older straight to 1.11.0 runs
-- both scripts in one transaction, where PostgreSQL refuses new enum values.
DO $$
BEGIN
    PERFORM 'rd_intensity_main'::parcel_gov.indicator;
EXCEPTION WHEN unsafe_new_enum_value_usage THEN
    RAISE EXCEPTION 'parcel_gov 1.11.0 uses the indicators 1.10.0 added, which cannot be used in the transaction that added them'
        USING ERRCODE = '55000',
              HINT = 'Update in two steps: ALTER EXTENSION parcel_gov UPDATE TO ''1.10.0''; then ALTER EXTENSION parcel_gov UPDATE;';
END $$;

ALTER TABLE parcel_gov.enterprise_year
    ADD COLUMN water_t double precision CONSTRAINT enterprise_year_water_t_check CHECK (water_t >= 0 AND water_t < 1e10),
    ADD COLUMN cod_t double precision CONSTRAINT enterprise_year_cod_t_check CHECK (cod_t >= 0 AND cod_t < 1e9),
    ADD COLUMN main_revenue double precision
        CONSTRAINT enterprise_year_main_revenue_check CHECK (main_revenue >= 0 AND main_revenue < 1e9);
COMMENT ON COLUMN parcel_gov.enterprise_year.water_t IS
  '用水量 (吨): water used in the year, tonnes (a cubic metre is a tonne); for 单位水耗增加值 va_per_water (临海)';
COMMENT ON COLUMN parcel_gov.enterprise_year.cod_t IS
  '化学需氧量排放量 (吨): COD emitted in the year, tonnes; for 单位COD排放增加值 va_per_cod (临海)';
COMMENT ON COLUMN parcel_gov.enterprise_year.main_revenue IS
  '主营业务收入 (万元): revenue from the main business, part of 营业收入 (revenue); for R&D经费支出占主营业务收入比重 rd_intensity_main (黄岩 2022)';

ALTER TYPE parcel_gov.indicators
    ADD ATTRIBUTE revenue_per_kwh double precision,
    ADD ATTRIBUTE va_per_water double precision,
    ADD ATTRIBUTE va_per_cod double precision,
    ADD ATTRIBUTE rd_intensity_main double precision;
COMMENT ON TYPE parcel_gov.indicators IS
  '亩均效益评价指标: area_mu 用地面积(亩), tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占营业收入比重, tax_per_kwh 单位电耗税收, revenue_per_kwh 单位电耗营业收入, va_per_water 单位水耗增加值, va_per_cod 单位COD排放增加值, rd_intensity_main R&D经费支出占主营业务收入比重';
COMMENT ON TYPE parcel_gov.indicator IS
  '评价指标 (indicator), a field of parcel_gov.indicators: tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占比, tax_per_kwh 单位电耗税收, revenue_per_kwh 单位电耗营业收入, va_per_water 单位水耗增加值, va_per_cod 单位COD排放增加值, rd_intensity_main R&D经费支出占主营业务收入比重';

-- indicators_agg and indicators() take the three new figures: new argument
-- lists, so new functions; users' grants on the old ones pass to them (a
-- grant recorded by this script is not an initial privilege: a fresh
-- install has none on them, so pg_dump keeps what users granted).
CREATE FUNCTION parcel_gov.indicators_agg_accum(double precision[],
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'indicators_agg_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators_agg_accum(double precision[],
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision) IS
  'Transition function of indicators_agg';

CREATE AGGREGATE parcel_gov.indicators_agg(
        tax double precision, value_added double precision, revenue double precision,
        rd_expense double precision, staff double precision, energy_tce double precision,
        emission_t double precision, electricity_kwh double precision, water_t double precision,
        cod_t double precision, main_revenue double precision, area_mu double precision) (
    SFUNC = parcel_gov.indicators_agg_accum,
    STYPE = double precision[],
    FINALFUNC = parcel_gov.indicators_agg_final,
    COMBINEFUNC = parcel_gov.dd_state_combine,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE parcel_gov.indicators_agg(double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision) IS
  '亩均效益指标 of a firm (over its years or parcels) or a pool (over its firms): each indicator a ratio of sums over the rows where its numerator is non-NULL and its denominator non-NULL and non-zero; NULL where no row contributes; negative area/staff/energy/emission/revenue/electricity/water/COD/main revenue or NaN/Infinity → 22023';
CREATE FUNCTION parcel_gov.indicators(tax double precision, value_added double precision,
        revenue double precision, rd_expense double precision, staff double precision,
        energy_tce double precision, emission_t double precision, electricity_kwh double precision,
        water_t double precision, cod_t double precision, main_revenue double precision,
        area_mu double precision)
    RETURNS parcel_gov.indicators
    AS 'MODULE_PATHNAME', 'indicators_of_row'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators(double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision) IS
  'The indicators of one row (one firm-year): indicators_agg over that row alone, same rules, no grouping';
DO $$
DECLARE
    pair record;
    item record;
BEGIN
    FOR pair IN
        SELECT p.proacl AS acl, s.new::regprocedure AS new
        FROM (VALUES
            ('parcel_gov.indicators_agg_accum(double precision[], double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision)',
             'parcel_gov.indicators_agg_accum(double precision[], double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision)'),
            ('parcel_gov.indicators_agg(double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision)',
             'parcel_gov.indicators_agg(double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision)'),
            ('parcel_gov.indicators(double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision)',
             'parcel_gov.indicators(double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision, double precision)'))
            AS s (old, new)
        JOIN pg_catalog.pg_proc p ON p.oid = s.old::regprocedure
        WHERE p.proacl IS NOT NULL
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON ROUTINE %s FROM PUBLIC', pair.new);
        FOR item IN SELECT * FROM pg_catalog.aclexplode(pair.acl) LOOP
            EXECUTE pg_catalog.format('GRANT %s ON ROUTINE %s TO %s%s', item.privilege_type, pair.new,
                                      CASE WHEN item.grantee = 0 THEN 'PUBLIC' ELSE item.grantee::regrole::text END,
                                      CASE WHEN item.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
        DELETE FROM pg_catalog.pg_init_privs i
        WHERE i.classoid = 'pg_catalog.pg_proc'::regclass AND i.objoid = pair.new;
    END LOOP;
END $$;
DROP AGGREGATE parcel_gov.indicators_agg(double precision, double precision, double precision, double precision,
    double precision, double precision, double precision, double precision, double precision);
DROP FUNCTION parcel_gov.indicators_agg_accum(double precision[], double precision, double precision, double precision,
    double precision, double precision, double precision, double precision, double precision, double precision);
DROP FUNCTION parcel_gov.indicators(double precision, double precision, double precision, double precision,
    double precision, double precision, double precision, double precision, double precision);

CREATE OR REPLACE FUNCTION parcel_gov.indicator_value(i parcel_gov.indicators, which parcel_gov.indicator)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE which
    WHEN 'tax_per_mu' THEN i.tax_per_mu
    WHEN 'va_per_mu' THEN i.va_per_mu
    WHEN 'revenue_per_mu' THEN i.revenue_per_mu
    WHEN 'labour_productivity' THEN i.labour_productivity
    WHEN 'va_per_energy' THEN i.va_per_energy
    WHEN 'va_per_emission' THEN i.va_per_emission
    WHEN 'rd_intensity' THEN i.rd_intensity
    WHEN 'tax_per_kwh' THEN i.tax_per_kwh
    WHEN 'revenue_per_kwh' THEN i.revenue_per_kwh
    WHEN 'va_per_water' THEN i.va_per_water
    WHEN 'va_per_cod' THEN i.va_per_cod
    WHEN 'rd_intensity_main' THEN i.rd_intensity_main
END;

-- Pools by land (临海 2014–16: ≥ 3 亩 / < 3 亩), a rule set option, and the
-- pools' labels that say so.
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN pool_by text NOT NULL DEFAULT 'size_class'
        CONSTRAINT rule_set_pool_by_known CHECK (pool_by IN ('size_class', 'land_mu')),
    ADD COLUMN pool_land_mu double precision
        CONSTRAINT rule_set_pool_land_mu_positive CHECK (pool_land_mu > 0 AND pool_land_mu < 'Infinity'),
    ADD CONSTRAINT rule_set_pool_land_mu_given CHECK ((pool_by = 'land_mu') = (pool_land_mu IS NOT NULL));
COMMENT ON COLUMN parcel_gov.rule_set.pool_by IS
  '评价分组依据: size_class, a firm''s pool is its 规模 (above 规上, below 规下); land_mu, its net land (临海 2014–16): pool above holds firms on at least pool_land_mu 亩, pool below the others';
COMMENT ON COLUMN parcel_gov.rule_set.pool_land_mu IS
  '分组用地面积 (亩): under pool_by land_mu, the net land from which a firm is in pool above (临海: 3 亩); NULL otherwise';

CREATE FUNCTION parcel_gov.pool_label(pool parcel_gov.size_class, rule_set_id text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce((SELECT CASE pool_label.pool WHEN 'above' THEN '≥ ' ELSE '< ' END || r.pool_land_mu || ' 亩'
                 FROM parcel_gov.rule_set r
                 WHERE r.id = pool_label.rule_set_id AND r.pool_by = 'land_mu'),
                parcel_gov.label(pool_label.pool));
COMMENT ON FUNCTION parcel_gov.pool_label(parcel_gov.size_class, text) IS
  '分组名称 of an evaluation''s pool under its rule set: 规上 or 规下, or ≥ / < pool_land_mu 亩 when the rule set pools by land';

CREATE OR REPLACE VIEW parcel_gov.v_differential_measures WITH (security_invoker = true) AS
SELECT e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, e.rule_set_id,
       e.pool::text AS pool, parcel_gov.pool_label(e.pool, e.rule_set_id) AS pool_label,
       e.grade::text AS grade, parcel_gov.label(e.grade) AS grade_label,
       m.measure, m.measure_label, m.basis,
       CASE m.basis WHEN 'electricity_kwh' THEN '用电量 (kWh)' WHEN 'area_mu' THEN '用地面积 (亩)'
                    WHEN 'energy_tce' THEN '综合能耗 (吨标煤)' WHEN 'emission_t' THEN '排放量 (吨)'
                    WHEN 'tax' THEN '实缴税收 (万元)' WHEN 'firm' THEN '每户' END AS basis_label,
       b.amount AS basis_amount, m.rate, m.cap,
       CASE WHEN m.cap IS NULL THEN m.rate * b.amount
            ELSE pg_catalog.sign(m.rate) * LEAST(pg_catalog.abs(m.rate * b.amount), m.cap) END AS amount,
       CASE WHEN m.rate > 0 THEN 'due' WHEN m.rate < 0 THEN 'relieved' ELSE 'unset' END AS direction,
       CASE WHEN m.rate > 0 THEN '征收' WHEN m.rate < 0 THEN '减免' ELSE '待定' END AS direction_label,
       m.source
FROM parcel_gov.evaluation e
JOIN parcel_gov.rule_measure m ON m.rule_set_id = e.rule_set_id AND m.grade = e.grade
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.enterprise_year y ON y.uscc = e.uscc AND y.year = e.year
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
CROSS JOIN LATERAL (SELECT CASE m.basis WHEN 'electricity_kwh' THEN y.electricity_kwh WHEN 'area_mu' THEN e.area_mu
                                        WHEN 'energy_tce' THEN y.energy_tce WHEN 'emission_t' THEN y.emission_t
                                        WHEN 'tax' THEN GREATEST(e.tax, 0) WHEN 'firm' THEN 1 END AS amount) b;
COMMENT ON COLUMN parcel_gov.v_differential_measures.pool_label IS '分组: 规上 or 规下, or the land pool (≥ / < the rule set''s pool_land_mu 亩)';

CREATE OR REPLACE VIEW parcel_gov.v_parcel_efficiency WITH (security_invoker = true) AS
SELECT p.fid * 10000 + ys.year AS fid, p.code::text AS code, ys.year, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool::text AS pool, parcel_gov.pool_label(h.pool, h.rule_set_id) AS pool_label,
       h.grade::text AS grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu) AS tax_tier, parcel_gov.tier_label(parcel_gov.tax_tier(u.tax_per_mu)) AS tax_tier_label,
       k.kinds::text[] AS kinds, array_to_string(k.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(k.kinds) AS kind_labels, array_to_string(parcel_gov.label(k.kinds), '、') AS kind_labels_text,
       k.batch::text AS batch, parcel_gov.label(k.batch) AS batch_label,
       r.state::text AS register_state, parcel_gov.label(r.state) AS register_state_label,
       p.geom, p.lon, p.lat, r.route::text AS route, parcel_gov.label(r.route) AS route_label
FROM parcel_gov.parcel p
JOIN parcel_gov.evaluation_summary ys ON ys.region_code = p.region_code
-- one row each, looked up by key (LIMIT 1 keeps the planner from hashing whole tables)
LEFT JOIN LATERAL (SELECT e.uscc, e.pool, e.grade, e.area_mu, e.tax_per_mu, e.va_per_mu, e.rule_set_id
                   FROM parcel_gov.evaluation e WHERE e.year = ys.year AND e.uscc = p.holder_uscc LIMIT 1) AS h ON true
LEFT JOIN LATERAL (SELECT fy.backward_capacity, fy.prohibited_industry, fy.scattered_polluting
                   FROM parcel_gov.enterprise_year fy WHERE fy.year = ys.year AND fy.uscc = p.holder_uscc LIMIT 1) AS fy ON true
LEFT JOIN LATERAL (SELECT e.name FROM parcel_gov.enterprise e WHERE e.uscc = p.holder_uscc LIMIT 1) AS f ON true
LEFT JOIN LATERAL (SELECT r.state, r.route FROM parcel_gov.register r WHERE r.parcel_code = p.code LIMIT 1) AS r ON true
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
-- 问题清单: an open issue past its deadline, of a department whose overdue
-- issues the rule set sends to 关停退出 (looked up as the engine does)
LEFT JOIN LATERAL (
    SELECT true AS overdue
    FROM parcel_gov.issue i
    JOIN parcel_gov.rule_issue ri ON ri.rule_set_id = rs.id AND ri.department = i.department AND ri.shutdown_when_overdue
    WHERE i.parcel_code = p.code AND i.closed IS NULL AND i.deadline < current_date
    LIMIT 1
) AS iss ON true
CROSS JOIN LATERAL (
    SELECT kk.kinds,
           parcel_gov.four_batch(kk.kinds, fy.backward_capacity, p.fails_acceptance OR iss.overdue, p.plan_conforming,
                                 p.planned_industrial, p.building_condition,
                                 rs.scattered_polluting_batch, rs.collective_industrial_batch) AS batch
    FROM (SELECT parcel_gov.low_efficiency_kinds(
                   u.tax_per_mu, rp.low_tax_per_mu,
                   h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu
                     AND before.worst < rs.persistent_low_tax_per_mu,
                   h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
                   fy.prohibited_industry, fy.scattered_polluting, p.code, p.land_procedures_legal) AS kinds
          OFFSET 0) AS kk    -- computed once, for the kinds and the batch
) AS k;

CREATE OR REPLACE VIEW parcel_gov.v_firm_plan WITH (security_invoker = true) AS
SELECT i.id AS fid, i.year, i.uscc, f.name, i.region_code, rg.name AS region_name,
       i.pool::text AS pool,
       parcel_gov.pool_label(i.pool, (SELECT e.rule_set_id FROM parcel_gov.evaluation e WHERE e.id = i.id)) AS pool_label,
       i.industry_group,
       i.grade::text AS grade, parcel_gov.label(i.grade) AS grade_label,
       i.next_grade::text AS next_grade, parcel_gov.label(i.next_grade) AS next_grade_label,
       i.score, i.next_grade_score, greatest(i.next_grade_score - i.score, 0) AS score_gap,
       parcel_gov.score_lever('tax', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS tax_needed,
       parcel_gov.score_lever('value_added', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring,
                              i.scores, i.bonus, i.deduction, i.rental_deduction) AS va_needed,
       parcel_gov.score_lever('land', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS land_to_release_mu,
       i.area_mu, i.tax, i.tax_per_mu,
       parcel_gov.tax_tier(i.tax_per_mu) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(i.tax_per_mu)) AS tax_tier_label,
       parcel_gov.per_mu_lever('tax', coalesce(i.tax, 0), i.area_mu, 5) AS tax_needed_5,
       parcel_gov.per_mu_lever('tax', coalesce(i.tax, 0), i.area_mu, 10) AS tax_needed_10,
       parcel_gov.per_mu_lever('tax', coalesce(i.tax, 0), i.area_mu, 15) AS tax_needed_15,
       parcel_gov.per_mu_lever('land', coalesce(i.tax, 0), i.area_mu, 5) AS land_to_release_5,
       parcel_gov.per_mu_lever('land', coalesce(i.tax, 0), i.area_mu, 10) AS land_to_release_10,
       parcel_gov.per_mu_lever('land', coalesce(i.tax, 0), i.area_mu, 15) AS land_to_release_15,
       i.land_floor_mu, i.va_scored, i.veto_reason
FROM parcel_gov.firm_plan_inputs() AS i
JOIN parcel_gov.enterprise f ON f.uscc = i.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = i.region_code;

-- every view's pool_label says what the pool is (install/95_view_comments.sql's words)
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT c.oid::regclass AS view
               FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
               WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v' AND a.attname = 'pool_label'
                 AND c.relname <> 'v_differential_measures' LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.pool_label IS %L', col.view,
                                  '分组: 规上 or 规下, or the land pool (≥ / < the rule set''s pool_land_mu 亩)');
    END LOOP;
END $$;

-- rule rows may name the four indicators now that their figures are recorded
ALTER TABLE parcel_gov.rule_indicator DROP CONSTRAINT rule_indicator_figures_recorded;

ALTER TABLE parcel_gov.evaluation
    ADD COLUMN revenue_per_kwh double precision,
    ADD COLUMN va_per_water double precision,
    ADD COLUMN va_per_cod double precision,
    ADD COLUMN rd_intensity_main double precision,
    ADD COLUMN score_revenue_per_kwh double precision,
    ADD COLUMN score_va_per_water double precision,
    ADD COLUMN score_va_per_cod double precision,
    ADD COLUMN score_rd_intensity_main double precision;

-- v_enterprise_evaluation shows them, as last columns
CREATE OR REPLACE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, f.industry_code,
       e.pool::text AS pool, parcel_gov.pool_label(e.pool, e.rule_set_id) AS pool_label, e.industry_group, e.rule_set_id,
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
       e.evaluated_at,
       e.revenue_per_kwh, e.va_per_water, e.va_per_cod, e.rd_intensity_main,
       e.score_revenue_per_kwh, e.score_va_per_water, e.score_va_per_cod, e.score_rd_intensity_main
FROM parcel_gov.evaluation e
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
LEFT JOIN parcel_gov.evaluation p1 ON p1.uscc = e.uscc AND p1.year = e.year - 1
LEFT JOIN parcel_gov.evaluation p2 ON p2.uscc = e.uscc AND p2.year = e.year - 2;
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.revenue_per_kwh IS '单位电耗营业收入 (万元/千瓦时): revenue per kWh of electricity';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score_revenue_per_kwh IS '单位电耗营业收入得分: indicator score';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.va_per_water IS '单位水耗增加值 (万元/吨): value added per tonne of water used';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score_va_per_water IS '单位水耗增加值得分: indicator score';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.va_per_cod IS '单位COD排放增加值 (万元/吨): value added per tonne of COD emitted';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score_va_per_cod IS '单位COD排放增加值得分: indicator score';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.rd_intensity_main IS 'R&D经费支出占主营业务收入比重: R&D spending as a share of main business revenue';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score_rd_intensity_main IS 'R&D经费支出占主营业务收入比重得分: indicator score';

-- 一企一策 reads the twelve indicators and eleven figures
COMMENT ON FUNCTION parcel_gov.score_lever(text, double precision, double precision[], double precision, double precision,
                                           double precision[], double precision[], double precision, double precision,
                                           double precision) IS
  '一企一策 lever (v_firm_plan computes the arguments): the least extra tax or value added (万元, whole cents) or land to give back (亩, hundredths, the firm keeping at least its pool''s land floor) that alone lifts the score to target, with benchmarks fixed; figures tax … electricity_kwh, water_t, cod_t, main_revenue as in enterprise_year; scoring [12][6] per indicator: weight (NULL not scored), minmax, benchmark, lo, hi, cap; scores the stored indicator scores (kept where a figure is missing); NULL when no amount can';

-- the bureaus' headers for the new figures; 主营业务收入 is its own figure now
CREATE OR REPLACE FUNCTION parcel_gov.bureau_header(header text, OUT target text, OUT unit text,
                                         OUT factor double precision, OUT problem text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH cleaned AS (
        SELECT translate(regexp_replace(bureau_header.header, '[\s\u3000]', '', 'g'),
                         '（）【】［］', '()[]()') AS h
    ), split AS (
        SELECT coalesce(substring(c.h FROM '^(.*?)[\(\[][^\(\)\[\]]*[\)\]]$'), c.h) AS name,
               substring(c.h FROM '[\(\[]([^\(\)\[\]]*)[\)\]]$') AS unit
        FROM cleaned c
    ), named AS (
        SELECT s.name, s.unit, n.target, n.kind
        FROM split s
        LEFT JOIN (VALUES
            ('统一社会信用代码', 'uscc', 'code'), ('社会信用代码', 'uscc', 'code'), ('信用代码', 'uscc', 'code'),
            ('企业名称', 'name', 'text'), ('单位名称', 'name', 'text'),
            ('行业代码', 'industry_code', 'code'), ('国民经济行业代码', 'industry_code', 'code'),
            ('规模', 'size_class', 'code'), ('企业规模', 'size_class', 'code'),
            ('年度', 'year', 'code'), ('年份', 'year', 'code'),
            ('税收', 'tax', 'money'), ('税收实际贡献', 'tax', 'money'), ('实缴税金', 'tax', 'money'),
            ('工业增加值', 'value_added', 'money'), ('增加值', 'value_added', 'money'),
            ('营业收入', 'revenue', 'money'), ('主营业务收入', 'main_revenue', 'money'),
            ('研发经费', 'rd_expense', 'money'), ('研发经费支出', 'rd_expense', 'money'),
            ('从业人员', 'staff', 'people'), ('从业人员数', 'staff', 'people'), ('年平均职工人数', 'staff', 'people'),
            ('综合能耗', 'energy_tce', 'energy'), ('排放量', 'emission_t', 'mass'),
            ('主要污染物排放量', 'emission_t', 'mass'),
            ('用电量', 'electricity_kwh', 'electricity'), ('总用电量', 'electricity_kwh', 'electricity'),
            ('用水量', 'water_t', 'water'), ('总用水量', 'water_t', 'water'),
            ('化学需氧量排放量', 'cod_t', 'mass'), ('COD排放量', 'cod_t', 'mass'),
            ('不参评原因', 'exempt_reason', 'text'), ('否决原因', 'veto_reason', 'text'),
            ('加分', 'bonus', 'points'), ('减分', 'deduction', 'points')) AS n(header, target, kind)
          ON n.header = s.name
    ), units AS (
        SELECT n.*, u.factor
        FROM named n
        LEFT JOIN (VALUES
            ('money', '元', 1e-4::double precision), ('money', '千元', 0.1), ('money', '万元', 1), ('money', '亿元', 1e4),
            ('people', '人', 1), ('people', NULL, 1),
            ('energy', '吨标煤', 1), ('energy', '吨标准煤', 1), ('energy', 'tce', 1), ('energy', '万吨标煤', 1e4),
            ('mass', '吨', 1), ('mass', 't', 1), ('mass', '千克', 1e-3), ('mass', 'kg', 1e-3),
            ('electricity', '千瓦时', 1), ('electricity', 'kWh', 1), ('electricity', '度', 1),
            ('electricity', '万千瓦时', 1e4), ('electricity', '万kWh', 1e4), ('electricity', '万度', 1e4),
            -- a cubic metre of water is a tonne
            ('water', '吨', 1), ('water', 't', 1), ('water', '立方米', 1), ('water', 'm3', 1), ('water', 'm³', 1),
            ('water', '万吨', 1e4), ('water', '万立方米', 1e4),
            ('points', '分', 1), ('points', NULL, 1),
            ('code', NULL, NULL), ('text', NULL, NULL)) AS u(kind, unit, factor)
          -- a code's or a name's brackets qualify it (企业名称(全称)): no unit
          ON u.kind = n.kind AND (u.unit IS NOT DISTINCT FROM n.unit OR n.kind IN ('code', 'text'))
    )
    SELECT u.target, u.unit, u.factor,
           CASE WHEN u.target IS NULL THEN NULL
                WHEN u.unit IS NULL AND u.factor IS NULL AND u.kind NOT IN ('code', 'text')
                  THEN format('"%s" states no unit: name it in brackets, e.g. %s', bureau_header.header,
                              CASE u.kind WHEN 'money' THEN u.name || '(万元) or ' || u.name || '(元)'
                                          WHEN 'energy' THEN u.name || '(吨标煤)'
                                          WHEN 'mass' THEN u.name || '(吨)'
                                          WHEN 'water' THEN u.name || '(吨) or ' || u.name || '(立方米)'
                                          ELSE u.name || '(万千瓦时) or ' || u.name || '(千瓦时)' END)
                WHEN u.factor IS NULL AND u.kind NOT IN ('code', 'text')
                  THEN format('"%s": unit %s is not one this import knows for %s (%s)', bureau_header.header,
                              u.unit, u.target,
                              CASE u.kind WHEN 'money' THEN '元, 千元, 万元, 亿元'
                                          WHEN 'people' THEN '人'
                                          WHEN 'energy' THEN '吨标煤, 万吨标煤'
                                          WHEN 'mass' THEN '吨, 千克'
                                          WHEN 'water' THEN '吨, 立方米, 万吨, 万立方米'
                                          WHEN 'points' THEN '分'
                                          ELSE '千瓦时, 万千瓦时' END) END
    FROM units u;
END;

CREATE OR REPLACE FUNCTION parcel_gov.import_enterprise_years(source regclass, year integer, region text,
                                                   accept_implausible boolean DEFAULT false)
    RETURNS TABLE (source_row bigint, uscc text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    figures constant text[] := ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                     'emission_t', 'electricity_kwh', 'water_t', 'cod_t', 'main_revenue',
                                     'bonus', 'deduction'];
    -- the staging table's columns: header, what it names, unit factor, number type
    cols jsonb;
    -- target → the sheet's header, for the figures it has
    headers jsonb;
    problems text;
    pick text;
    row_number_sql text;
    limits record;
BEGIN
    -- As its caller, like import_parcels(): the firms and figures are the
    -- caller's to write, under their row-level security and the triggers.
    PERFORM parcel_gov.require_caller('import_enterprise_years', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region AND r.level = 'county' AND r.valid_to IS NULL) THEN
        RAISE EXCEPTION 'region "%" is not a current county', region USING ERRCODE = '22023',
            HINT = 'Firms are filed under their county''s 6-digit code, e.g. 330604 (SELECT code, name FROM parcel_gov.region WHERE level = ''county'').';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 1949 AND 2200 THEN
        RAISE EXCEPTION 'year % is not a year of figures', year USING ERRCODE = '22023',
            HINT = 'Give the year the figures are for, e.g. 2024.';
    END IF;
    -- the caller's own table, of plain columns (checked with the headers)
    PERFORM parcel_gov.staging_table_check(source, '\copy or ogr2ogr');

    SELECT jsonb_agg(jsonb_build_object('header', a.attname, 'target', h.target, 'factor', h.factor,
                                        'problem', coalesce(h.problem,
                                            CASE WHEN t.typnamespace <> 'pg_catalog'::regnamespace
                                                 THEN format('"%s" is of type %s: load the sheet as text or numbers',
                                                             a.attname, format_type(a.atttypid, a.atttypmod)) END),
                                        'number', t.typcategory = 'N') ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL parcel_gov.bureau_header(a.attname) h
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'ogc_fid';   -- ogr2ogr's feature number: the row number below
    cols := coalesce(cols, '[]');
    SELECT string_agg(c ->> 'problem', '; ') INTO problems
    FROM jsonb_array_elements(cols) c WHERE c ->> 'problem' IS NOT NULL;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'headers of % cannot be read: %', source, problems USING ERRCODE = '22023',
            HINT = 'Name each figure''s unit in its header, e.g. 税收(万元), 用电量(万千瓦时); README "Load this year''s data" lists the headers and units.';
    END IF;
    SELECT string_agg(format('"%s" and "%s"', x ->> 'header', y ->> 'header'), ', ') INTO problems
    FROM jsonb_array_elements(cols) WITH ORDINALITY AS i(x, n)
    JOIN jsonb_array_elements(cols) WITH ORDINALITY AS j(y, m) ON m > n AND x ->> 'target' = y ->> 'target';
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % name the same figure twice: %', source, problems USING ERRCODE = '22023',
            HINT = 'Keep one column per figure in the staging table.';
    END IF;
    IF NOT cols @> '[{"target": "uscc"}]' OR NOT cols @> '[{"target": "size_class"}]' THEN
        RAISE EXCEPTION '% has no % column', source,
              CASE WHEN NOT cols @> '[{"target": "uscc"}]' THEN '统一社会信用代码' ELSE '规模' END
            USING ERRCODE = '42703',
            HINT = 'The file needs 统一社会信用代码 and 规模 (规上/规下) besides its figures; README "Load this year''s data" has the template.';
    END IF;
    SELECT jsonb_object_agg(c ->> 'target', c ->> 'header') INTO headers
    FROM jsonb_array_elements(cols) c WHERE c ->> 'target' IS NOT NULL;

    -- 1. The cells: codes and names as text, figures parsed and converted
    -- (NaN: no number), each figure's cell kept for the report.
    SELECT string_agg(CASE WHEN t = ANY (figures) AND headers ? t
                             THEN format(', %I::text AS %I, parcel_gov.bureau_number(%I::text) * %s AS %I',
                                         headers ->> t, t || '_cell', headers ->> t,
                                         (SELECT c ->> 'factor' FROM jsonb_array_elements(cols) c WHERE c ->> 'target' = t), t)
                           WHEN t = ANY (figures)
                             THEN format(', NULL::text AS %I, NULL::double precision AS %I', t || '_cell', t)
                           WHEN headers ? t THEN format(', %I::text AS %I', headers ->> t, t)
                           ELSE format(', NULL::text AS %I', t) END, '')
    INTO pick
    FROM unnest(ARRAY['uscc', 'name', 'industry_code', 'size_class', 'year', 'exempt_reason', 'veto_reason']
                || figures) AS t;
    row_number_sql := CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = source AND a.attname = 'ogc_fid'
                                                                     AND NOT a.attisdropped)
                           THEN 'ogc_fid::bigint' ELSE 'row_number() OVER (ORDER BY ctid)' END;
    IF to_regclass('pg_temp.parcel_gov_import_cells') IS NOT NULL THEN
        DROP TABLE pg_temp.parcel_gov_import_cells, pg_temp.parcel_gov_import_rows;
    END IF;
    EXECUTE format('CREATE TEMP TABLE parcel_gov_import_cells AS SELECT %s AS n%s FROM %s',
                   row_number_sql, pick, source);

    SELECT r.id, r.max_tax_per_mu, r.max_va_per_mu, r.max_tax_per_kwh INTO limits
    FROM parcel_gov.rule_set r WHERE r.id = parcel_gov.rule_set_for(region, year);

    -- 2. Each row against what is stored: the firm (as the caller sees it),
    -- the year's stored figures, the figures merged (an empty cell keeps the
    -- stored figure), what stops the row and what the clerk should check.
    CREATE TEMP TABLE parcel_gov_import_rows AS
    WITH read AS (
        SELECT c.*,
               nullif(upper(regexp_replace(c.uscc, '[\s\u3000-]', '', 'g')), '') AS code,
               nullif(btrim(regexp_replace(c.name, '[\s\u3000]+', ' ', 'g')), '') AS firm_name,
               nullif(regexp_replace(btrim(c.industry_code), '\.0+$', ''), '') AS industry_given,
               nullif(btrim(c.size_class), '') AS size_given,
               nullif(btrim(c.year), '') AS year_given,
               nullif(btrim(c.exempt_reason), '') AS exempt_given, nullif(btrim(c.veto_reason), '') AS veto_given
        FROM pg_temp.parcel_gov_import_cells c
    ), coded AS (
        SELECT r.*,
               CASE r.size_given WHEN '规上' THEN 'above' WHEN '规模以上' THEN 'above'
                                 WHEN '规下' THEN 'below' WHEN '规模以下' THEN 'below' END::parcel_gov.size_class AS size,
               -- a number column drops leading zeros: 0610 → 610, 061 → 61; a
               -- code of fewer than four digits from one cannot be trusted
               CASE WHEN r.industry_given IS NULL THEN NULL
                    WHEN (cols @> '[{"target": "industry_code", "number": true}]') AND length(r.industry_given) < 4 THEN NULL
                    ELSE parcel_gov.industry_code_normal(r.industry_given) END AS industry,
               -- the same firm twice: once when the rows agree, never when they differ
               min(r.n) OVER same AS first_row,
               count(*) OVER same AS copies,
               min(row(r.name, r.industry_code, r.size_class, r.year, r.tax, r.value_added, r.revenue, r.rd_expense,
                       r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.water_t, r.cod_t, r.main_revenue,
                       r.bonus, r.deduction, r.exempt_reason,
                       r.veto_reason)::text) OVER same
                 = max(row(r.name, r.industry_code, r.size_class, r.year, r.tax, r.value_added, r.revenue, r.rd_expense,
                           r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.water_t, r.cod_t, r.main_revenue,
                       r.bonus, r.deduction, r.exempt_reason,
                           r.veto_reason)::text) OVER same AS copies_agree,
               string_agg(r.n::text, ', ') OVER (PARTITION BY r.code ORDER BY r.n
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS copy_rows
        FROM read r
        WINDOW same AS (PARTITION BY r.code)
    ), known AS (
        -- looked up by key (the staging table has no statistics)
        SELECT c.*, e.uscc IS NOT NULL AS firm_seen, e.region_code AS firm_region, e.name AS stored_name,
               e.industry_code AS stored_industry, s.uscc IS NOT NULL AS year_stored,
               s.tax AS s_tax, s.value_added AS s_value_added, s.revenue AS s_revenue, s.rd_expense AS s_rd_expense,
               s.staff AS s_staff, s.energy_tce AS s_energy_tce, s.emission_t AS s_emission_t,
               s.electricity_kwh AS s_electricity_kwh, s.water_t AS s_water_t, s.cod_t AS s_cod_t,
               s.main_revenue AS s_main_revenue, s.bonus AS s_bonus, s.deduction AS s_deduction,
               s.exempt_reason AS s_exempt_reason, s.veto_reason AS s_veto_reason,
               coalesce(s.figures_confirmed, false) AS s_confirmed, twin.uscc AS twin, twin.name AS twin_name
        FROM coded c
        LEFT JOIN LATERAL (SELECT e.* FROM parcel_gov.enterprise e
                           WHERE e.uscc = c.code AND c.code ~ '^[0-9A-Z]{18}$') AS e ON true
        LEFT JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y
                           WHERE y.uscc = e.uscc AND y.year = import_enterprise_years.year) AS s ON true
        -- an early code one character off a stored firm's: a typing mistake
        LEFT JOIN LATERAL (SELECT t.uscc, t.name FROM parcel_gov.enterprise t
                           WHERE e.uscc IS NULL AND c.code ~ '^[0-9A-Z]{18}$' AND parcel_gov.uscc_early(c.code)
                             AND t.uscc ^@ left(c.code, 17) AND t.uscc <> c.code
                           LIMIT 1) AS twin ON true
    ), merged AS (
        SELECT k.*,
               coalesce(k.tax, k.s_tax) AS m_tax, coalesce(k.value_added, k.s_value_added) AS m_value_added,
               coalesce(k.revenue, k.s_revenue) AS m_revenue, coalesce(k.rd_expense, k.s_rd_expense) AS m_rd_expense,
               coalesce(k.staff, k.s_staff) AS m_staff, coalesce(k.energy_tce, k.s_energy_tce) AS m_energy_tce,
               coalesce(k.emission_t, k.s_emission_t) AS m_emission_t,
               coalesce(k.electricity_kwh, k.s_electricity_kwh) AS m_electricity_kwh,
               coalesce(k.water_t, k.s_water_t) AS m_water_t, coalesce(k.cod_t, k.s_cod_t) AS m_cod_t,
               coalesce(k.main_revenue, k.s_main_revenue) AS m_main_revenue,
               coalesce(k.bonus, k.s_bonus, 0) AS m_bonus, coalesce(k.deduction, k.s_deduction, 0) AS m_deduction,
               coalesce(k.exempt_given, k.s_exempt_reason) AS m_exempt_reason,
               coalesce(k.veto_given, k.s_veto_reason) AS m_veto_reason,
               l.net_mu AS land
        FROM known k
        -- the land of the stored firms, in one call
        LEFT JOIN (SELECT n.* FROM (SELECT coalesce(array_agg(DISTINCT k2.code), '{}') AS codes
                                    FROM known k2 WHERE k2.firm_seen) AS f
                   CROSS JOIN LATERAL parcel_gov.net_land_mu(
                       f.codes, array_fill(import_enterprise_years.year, ARRAY[cardinality(f.codes)])) AS n) AS l
          ON l.uscc = k.code
    ), cells AS (
        -- each figure of the row: the sheet's header, its cell, the value read, the stored one
        SELECT m.*, f.*
        FROM merged m
        CROSS JOIN LATERAL (
            SELECT array_agg(format('%s "%s" is not a number', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value = 'NaN') AS not_numbers,
                   array_agg(format('%s %s is negative', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value < 0 AND v.target NOT IN ('tax', 'value_added', 'rd_expense')) AS negatives,
                   array_agg(format('%s %s is beyond any firm (a unit or typing mistake)', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value <> 'NaN' AND abs(v.value) >= CASE v.target WHEN 'staff' THEN 1e7
                                                                    WHEN 'electricity_kwh' THEN 1e12
                                                                    WHEN 'water_t' THEN 1e10 ELSE 1e9 END) AS too_large,
                   array_agg(format('%s is empty: the stored %s is kept', v.header, v.stored) ORDER BY v.i)
                     FILTER (WHERE v.header IS NOT NULL AND v.value IS NULL AND v.stored IS NOT NULL
                                    -- points default to 0: nothing to keep
                                    AND NOT (v.target IN ('bonus', 'deduction') AND v.stored = 0)) AS kept
            FROM (VALUES (1, 'tax', m.tax_cell, m.tax, m.s_tax), (2, 'value_added', m.value_added_cell, m.value_added, m.s_value_added),
                         (3, 'revenue', m.revenue_cell, m.revenue, m.s_revenue),
                         (4, 'rd_expense', m.rd_expense_cell, m.rd_expense, m.s_rd_expense),
                         (5, 'staff', m.staff_cell, m.staff, m.s_staff), (6, 'energy_tce', m.energy_tce_cell, m.energy_tce, m.s_energy_tce),
                         (7, 'emission_t', m.emission_t_cell, m.emission_t, m.s_emission_t),
                         (8, 'electricity_kwh', m.electricity_kwh_cell, m.electricity_kwh, m.s_electricity_kwh),
                         (9, 'water_t', m.water_t_cell, m.water_t, m.s_water_t),
                         (10, 'cod_t', m.cod_t_cell, m.cod_t, m.s_cod_t),
                         (11, 'main_revenue', m.main_revenue_cell, m.main_revenue, m.s_main_revenue),
                         (12, 'bonus', m.bonus_cell, m.bonus, m.s_bonus), (13, 'deduction', m.deduction_cell, m.deduction, m.s_deduction))
                 AS x(i, target, cell, value, stored)
            CROSS JOIN LATERAL (SELECT x.i, x.target, headers ->> x.target AS header, x.cell, x.value, x.stored) AS v
        ) AS f
    )
    SELECT c.n, c.code, c.firm_name, c.size, c.industry, c.firm_seen, c.stored_industry, c.year_stored, c.s_confirmed,
           c.m_tax, c.m_value_added, c.m_revenue, c.m_rd_expense, c.m_staff, c.m_energy_tce, c.m_emission_t,
           c.m_electricity_kwh, c.m_water_t, c.m_cod_t, c.m_main_revenue, c.m_bonus, c.m_deduction, c.m_exempt_reason,
           c.m_veto_reason,
           -- the limits read tax, value added and electricity: unchanged, a confirmation stands
           c.year_stored AND c.m_tax IS NOT DISTINCT FROM c.s_tax AND c.m_value_added IS NOT DISTINCT FROM c.s_value_added
             AND c.m_electricity_kwh IS NOT DISTINCT FROM c.s_electricity_kwh AS limit_figures_kept,
           array_remove(ARRAY[
             CASE WHEN c.code IS NULL THEN 'no 统一社会信用代码'
                  WHEN c.code ~ '^[0-9]{15}$'
                    THEN format('%s is a 15-digit 工商注册号 (business registration number), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', c.code)
                  WHEN c.code ~ '^[0-9A-Z]{8}[0-9X]$'
                    THEN format('%s is a 9-character 组织机构代码 (organisation code), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', c.code)
                  WHEN NOT parcel_gov.uscc_early(c.code) AND parcel_gov.uscc_problem(c.code) IS NOT NULL
                    THEN format('统一社会信用代码 %s %s', c.code, parcel_gov.uscc_problem(c.code))
                  WHEN c.twin IS NOT NULL
                    THEN format('统一社会信用代码 %s fails its check character and differs from %s (%s) only in it: a typing mistake? give the code as stored',
                                c.code, c.twin, c.twin_name) END,
             CASE WHEN c.code IS NULL OR c.copies = 1 THEN NULL
                  WHEN NOT c.copies_agree THEN format('rows %s give different figures for the same firm: none imported', c.copy_rows)
                  WHEN c.n <> c.first_row THEN format('the same firm and figures as row %s: imported once', c.first_row) END,
             CASE WHEN c.year_given IS NOT NULL AND parcel_gov.bureau_number(c.year_given) IS DISTINCT FROM import_enterprise_years.year
                    THEN format('年度 "%s" is not %s', c.year_given, import_enterprise_years.year) END,
             CASE WHEN c.size_given IS NULL THEN 'no 规模 (规上 or 规下)'
                  WHEN c.size IS NULL THEN format('规模 "%s" is not 规上, 规下, 规模以上 or 规模以下', c.size_given) END,
             CASE WHEN NOT c.firm_seen AND c.firm_name IS NULL THEN 'a new firm needs its 企业名称' END,
             CASE WHEN c.firm_seen AND NOT starts_with(c.firm_region, import_enterprise_years.region)
                    THEN format('a firm of %s, not of %s: its county imports its figures', c.firm_region,
                                import_enterprise_years.region) END,
             array_to_string(c.not_numbers, '; '), array_to_string(c.negatives, '; '),
             array_to_string(c.too_large, '; ')], NULL) AS rejects,
           array_remove(ARRAY[
             CASE WHEN parcel_gov.uscc_early(c.code)
                    THEN format('统一社会信用代码 %s: %s (an early code?): stored; confirm it against the business licence (v_uscc_early)',
                                c.code, parcel_gov.uscc_problem(c.code)) END,
             CASE WHEN c.industry_given IS NOT NULL AND c.industry IS NULL
                       AND (cols @> '[{"target": "industry_code", "number": true}]') AND length(c.industry_given) < 4
                    THEN format('行业代码 %s came from a number column and may have lost a leading zero (0%s?): left empty; load the column as text',
                                c.industry_given, c.industry_given)
                  WHEN c.industry_given IS NOT NULL AND c.industry IS NULL
                    THEN format('行业代码 "%s" %s: left empty', c.industry_given,
                                coalesce(parcel_gov.industry_code_problem(upper(c.industry_given)), 'is no GB/T 4754 code'))
                  WHEN c.firm_seen AND c.stored_industry IS NOT NULL AND c.industry <> c.stored_industry
                    THEN format('行业代码 %s differs from the stored %s: the stored code is kept', c.industry, c.stored_industry) END,
             CASE WHEN c.firm_seen AND c.firm_name IS NOT NULL AND c.firm_name <> c.stored_name
                    THEN format('企业名称 "%s" differs from the stored "%s": the stored name is kept', c.firm_name, c.stored_name) END,
             array_to_string(c.kept, '; ')], NULL) AS flags,
           -- the merged figures beyond the rule set's limits: the figure, the
           -- unit read and the value it gives (a confirmation of unchanged ones stands)
           CASE WHEN c.s_confirmed AND c.year_stored AND c.m_tax IS NOT DISTINCT FROM c.s_tax
                     AND c.m_value_added IS NOT DISTINCT FROM c.s_value_added
                     AND c.m_electricity_kwh IS NOT DISTINCT FROM c.s_electricity_kwh THEN '{}'::text[]
                ELSE array_remove(ARRAY[
             CASE WHEN c.land > 0 AND c.m_tax / c.land > limits.max_tax_per_mu
                    THEN format('%s read as %s 万元 gives 亩均税收 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'tax', '税收 (stored)'), trim_scale(round(c.m_tax::numeric, 4)),
                                round((c.m_tax / c.land)::numeric, 2), round(c.land::numeric, 2), limits.max_tax_per_mu, limits.id) END,
             CASE WHEN c.land > 0 AND c.m_value_added / c.land > limits.max_va_per_mu
                    THEN format('%s read as %s 万元 gives 亩均增加值 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'value_added', '工业增加值 (stored)'), trim_scale(round(c.m_value_added::numeric, 4)),
                                round((c.m_value_added / c.land)::numeric, 2), round(c.land::numeric, 2),
                                limits.max_va_per_mu, limits.id) END,
             CASE WHEN c.m_electricity_kwh > 0 AND c.m_tax * 1e4 / c.m_electricity_kwh > limits.max_tax_per_kwh
                    THEN format('%s read as %s 万元 on %s read as %s kWh gives %s 元 of tax per kWh, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'tax', '税收 (stored)'), trim_scale(round(c.m_tax::numeric, 4)),
                                coalesce(headers ->> 'electricity_kwh', '用电量 (stored)'),
                                trim_scale(round(c.m_electricity_kwh::numeric, 2)),
                                round((c.m_tax * 1e4 / c.m_electricity_kwh)::numeric, 2), limits.max_tax_per_kwh, limits.id) END
           ], NULL) END AS implausible
    FROM cells c;

    -- 3. New firms for the rows that go in (a firm that exists but the caller
    -- cannot see is another county's: "not found or not permitted"), an
    -- empty industry code filled, then the year's figures as merged.
    INSERT INTO parcel_gov.enterprise (uscc, name, region_code, industry_code)
    SELECT DISTINCT ON (r.code) r.code, r.firm_name, import_enterprise_years.region, r.industry
    FROM pg_temp.parcel_gov_import_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible) AND NOT r.firm_seen
    ORDER BY r.code, r.n
    ON CONFLICT DO NOTHING;
    UPDATE pg_temp.parcel_gov_import_rows r
    SET rejects = r.rejects || format('firm %s not found or not permitted: a firm of another county, whose county imports its figures', r.code)
    WHERE cardinality(r.rejects) = 0 AND NOT r.firm_seen
      AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc = r.code);
    UPDATE parcel_gov.enterprise e SET industry_code = r.industry
    FROM pg_temp.parcel_gov_import_rows r
    WHERE e.uscc = r.code AND r.firm_seen AND r.stored_industry IS NULL AND r.industry IS NOT NULL
      AND cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible);
    INSERT INTO parcel_gov.enterprise_year AS y
        (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t, electricity_kwh,
         water_t, cod_t, main_revenue, exempt_reason, veto_reason, bonus, deduction, figures_confirmed)
    SELECT r.code, import_enterprise_years.year, r.size, r.m_tax, r.m_value_added, r.m_revenue, r.m_rd_expense,
           r.m_staff, r.m_energy_tce, r.m_emission_t, r.m_electricity_kwh, r.m_water_t, r.m_cod_t, r.m_main_revenue,
           r.m_exempt_reason, r.m_veto_reason,
           r.m_bonus, r.m_deduction,
           CASE WHEN cardinality(r.implausible) > 0 THEN true WHEN r.limit_figures_kept THEN r.s_confirmed ELSE false END
    FROM pg_temp.parcel_gov_import_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible)
    ON CONFLICT ON CONSTRAINT enterprise_year_pkey DO UPDATE
    SET size_class = EXCLUDED.size_class, tax = EXCLUDED.tax, value_added = EXCLUDED.value_added,
        revenue = EXCLUDED.revenue, rd_expense = EXCLUDED.rd_expense, staff = EXCLUDED.staff,
        energy_tce = EXCLUDED.energy_tce, emission_t = EXCLUDED.emission_t, electricity_kwh = EXCLUDED.electricity_kwh,
        water_t = EXCLUDED.water_t, cod_t = EXCLUDED.cod_t, main_revenue = EXCLUDED.main_revenue,
        exempt_reason = EXCLUDED.exempt_reason, veto_reason = EXCLUDED.veto_reason, bonus = EXCLUDED.bonus,
        deduction = EXCLUDED.deduction, figures_confirmed = EXCLUDED.figures_confirmed;

    RETURN QUERY
    SELECT o.source_row, o.uscc, o.outcome, o.reason
    FROM (SELECT NULL::bigint AS source_row, NULL::text AS uscc, 'ignored' AS outcome,
                 format('column "%s" is not a header this import knows: ignored', c ->> 'header') AS reason,
                 o.i AS column_order
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS o(c, i) WHERE c ->> 'target' IS NULL
          UNION ALL
          SELECT r.n, r.code,
                 CASE WHEN cardinality(r.rejects) > 0 OR (cardinality(r.implausible) > 0 AND NOT accept_implausible)
                        THEN 'rejected'
                      WHEN cardinality(r.flags) > 0 OR cardinality(r.implausible) > 0 THEN 'flagged'
                      ELSE 'imported' END,
                 nullif(array_to_string(
                   CASE WHEN cardinality(r.rejects) > 0 THEN r.rejects
                        WHEN cardinality(r.implausible) > 0 AND NOT accept_implausible
                          THEN r.implausible || 'if the figures are right as they are, import again with accept_implausible => true'::text
                        ELSE r.flags || r.implausible END, '; '), ''),
                 0
          FROM pg_temp.parcel_gov_import_rows r) AS o
    ORDER BY o.source_row NULLS FIRST, o.column_order;
    DROP TABLE pg_temp.parcel_gov_import_cells, pg_temp.parcel_gov_import_rows;
END $$;

-- The presets as published: 临海 with its water and COD indicators, 温岭's
-- three 规下 indicators, 黄岩's R&D over 主营业务收入; their sources.
ALTER TABLE parcel_gov.rule_set DISABLE TRIGGER rule_set_builtin_read_only;
ALTER TABLE parcel_gov.rule_indicator DISABLE TRIGGER rule_indicator_builtin_read_only;
UPDATE parcel_gov.rule_set SET source =
  '黄岩 2022 published formula with fixed benchmarks (chacewang.com news430850, news169062); R&D over 主营业务收入 (rd_intensity_main); 规下 单位用电税收 0.2352: its unit is not published, read as 元/kWh (assumed) = 0.00002352 万元/kWh; the 混合型 firm rule is only partly published and not applied'
WHERE id = 'huangyan_2022';
UPDATE parcel_gov.rule_set SET source =
  '临海 2014–16 as published (wenda.zhifure.com/a/37713.html): pools by net land, ≥ 3 亩 (above) and < 3 亩 (below); fixed benchmarks 亩均税收 15, 亩均销售收入 300 万元/亩, 3 万元/tce, 单位COD 500 万元/吨, 单位用水量 0.1 万元/吨, 15 万元/人; < 3 亩 15, 300, 2 元/kWh = 0.0002 万元/kWh'
WHERE id = 'linhai_2014';
UPDATE parcel_gov.rule_set SET pool_by = 'land_mu', pool_land_mu = 3 WHERE id = 'linhai_2014';
UPDATE parcel_gov.rule_indicator SET indicator = 'rd_intensity_main'
WHERE rule_set_id = 'huangyan_2022' AND pool = 'above' AND indicator = 'rd_intensity';
UPDATE parcel_gov.rule_indicator SET weight = 40
WHERE rule_set_id = 'linhai_2014' AND pool = 'above' AND indicator = 'tax_per_mu';
UPDATE parcel_gov.rule_indicator SET indicator = 'va_per_cod'
WHERE rule_set_id = 'linhai_2014' AND pool = 'above' AND indicator = 'va_per_emission';
INSERT INTO parcel_gov.rule_indicator (rule_set_id, pool, indicator, weight, benchmark_fixed, missing) VALUES
  ('linhai_2014', 'above', 'va_per_water', 5, 0.1, 'zero'),
  ('wenling_2022_parks', 'below', 'revenue_per_kwh', 100.0 / 3, NULL, 'zero');
UPDATE parcel_gov.rule_indicator SET weight = 100.0 / 3
WHERE rule_set_id = 'wenling_2022_parks' AND pool = 'below' AND indicator IN ('tax_per_mu', 'revenue_per_mu');
-- the weights' check now (each pool sums to 100 again), so the triggers can be enabled
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 IMMEDIATE;
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 DEFERRED;
ALTER TABLE parcel_gov.rule_set ENABLE TRIGGER rule_set_builtin_read_only;
ALTER TABLE parcel_gov.rule_indicator ENABLE TRIGGER rule_indicator_builtin_read_only;

-- ---- issue 21 items 5 and 7: whom a rule holds for.  温岭 2022: a rental
-- deduction counting 规下 lessees only, a rule set for park firms only (its
-- own pools and benchmarks); 上虞 2022: a land floor for named GB/T 4754
-- sections, the shangyu_2022 preset.
ALTER TABLE parcel_gov.rule_pool
    ADD COLUMN rental_lessees text NOT NULL DEFAULT 'all'
        CONSTRAINT rule_pool_rental_lessees_all_or_below CHECK (rental_lessees IN ('all', 'below')),
    ADD COLUMN land_floor_sections text[]
        CONSTRAINT rule_pool_land_floor_sections_gbt4754
        CHECK (cardinality(land_floor_sections) > 0
               AND land_floor_sections <@ '{A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T}'::text[]);
COMMENT ON COLUMN parcel_gov.rule_pool.rental_lessees IS
  '出租扣分 counts which lessees of a firm''s land that year: ''all'' every distinct lessee, ''below'' only lessees whose figures of the year are 规下 (温岭 2022: a 规下 lessor loses points per 规下 lessee); a lessee without figures that year is not counted under ''below''';
COMMENT ON COLUMN parcel_gov.rule_pool.land_floor_sections IS
  '参评用地下限的行业门类: the GB/T 4754 section letters (门类, C = 制造业) whose firms land_floor_mu applies to, firms of other sections being graded on any land; NULL: every firm (a firm without an industry code is held to the floor either way); 上虞: 规下 制造业 firms on 实际用地 3 亩以上';
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN firm_scope text NOT NULL DEFAULT 'all'
        CONSTRAINT rule_set_firm_scope_all_or_in_park CHECK (firm_scope IN ('all', 'in_park'));
COMMENT ON COLUMN parcel_gov.rule_set.firm_scope IS
  '适用企业: ''all'' the region''s firms; ''in_park'' only its firms whose land lies in a park (入园: a parcel they hold, or lease that year, has a park_id), the others being graded by the region''s rule set for all firms (温岭 2022: 工业园区和经济开发区范围内工业企业); park firms rank in pools of their own';
DROP INDEX parcel_gov.rule_set_applies_once;
CREATE UNIQUE INDEX rule_set_applies_once
    ON parcel_gov.rule_set (region_prefix, coalesce(year_from, -1), firm_scope) WHERE region_prefix IS NOT NULL;
-- a region's park firms may have a rule set, and pools, of their own
ALTER TABLE parcel_gov.evaluation_benchmark DROP CONSTRAINT evaluation_benchmark_pkey,
    ADD CONSTRAINT evaluation_benchmark_pkey PRIMARY KEY (year, region_code, pool, rule_set_id, indicator);

CREATE OR REPLACE FUNCTION parcel_gov.rule_set_for(region_code text, year integer)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL AND r.firm_scope = 'all'
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer) IS
  'The rule set applying to a region code in a year for firms outside parks (firm_scope all): the most specific region prefix, then the latest year_from';

CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer, in_park boolean)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL
      AND (r.firm_scope = 'all' OR (r.firm_scope = 'in_park' AND rule_set_for.in_park))
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.firm_scope = 'in_park' DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer, boolean) IS
  'The rule set applying to a firm of a region code in a year, in a park (入园, firm_in_park) or not: the most specific region prefix, at the same prefix one for park firms (firm_scope in_park) before one for all, then the latest year_from';

COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years, with its pools, indicators, industry groups and grade-linked measures; returns new_id';

CREATE OR REPLACE FUNCTION parcel_gov.firm_plan_inputs()
    RETURNS TABLE (id bigint, year integer, uscc text, region_code text, pool parcel_gov.size_class,
                   industry_group text, grade parcel_gov.grade, next_grade parcel_gov.grade,
                   score double precision, next_grade_score double precision, area_mu double precision,
                   tax double precision, tax_per_mu double precision, veto_reason text,
                   land_floor_mu double precision, va_scored boolean, figures double precision[],
                   scoring double precision[], scores double precision[], bonus double precision,
                   deduction double precision, rental_deduction double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH ranked AS (
        -- the lowest score holding each grade in the firm's ranking group: ties
        -- share the better grade, so reaching it is enough
        SELECT e.*,
               min(e.score) FILTER (WHERE e.grade_initial = 'A') OVER ranking AS a_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'B') OVER ranking AS b_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'C') OVER ranking AS c_score
        FROM parcel_gov.evaluation e
        WHERE e.grade_initial IS NOT NULL
        WINDOW ranking AS (PARTITION BY e.year, e.region_code, e.pool, e.rule_set_id, e.industry_group)
    ), below_top AS (
        SELECT r.*, n.next_grade, n.next_grade_score
        FROM ranked r
        -- the nearest better grade some firm holds (a grade no firm holds, its quota rounding to none, is skipped)
        LEFT JOIN LATERAL (
            SELECT g.grade AS next_grade, g.score AS next_grade_score
            FROM (VALUES ('A'::parcel_gov.grade, r.a_score), ('B', r.b_score), ('C', r.c_score)) AS g (grade, score)
            WHERE g.grade < r.grade_initial AND g.score IS NOT NULL
            ORDER BY g.grade DESC LIMIT 1) AS n ON true
        WHERE r.grade_initial > 'A'
    ), scoring AS (
        -- each pool's scoring, per indicator in parcel_gov.indicator's order:
        -- weight (NULL: not scored), minmax, benchmark, lo, hi, cap.  Read from
        -- the benchmarks, not from the rows above: every subquery here is read
        -- once, so a filter on year or region reaches the tables
        SELECT p.year, p.region_code, p.pool, p.rule_set_id,
               array_agg(ARRAY[ri.weight, CASE WHEN ri.method = 'minmax' THEN 1 ELSE 0 END, b.benchmark, b.lo, b.hi, ri.cap]
                         ORDER BY k.n) AS scoring,
               min(rp.land_floor_mu) AS land_floor_mu, min(rp.land_floor_sections) AS land_floor_sections,
               coalesce(bool_or(ri.indicator IN ('va_per_mu', 'labour_productivity', 'va_per_energy', 'va_per_emission',
                                                 'va_per_water', 'va_per_cod')),
                        false) AS va_scored
        FROM (SELECT DISTINCT eb.year, eb.region_code, eb.pool, eb.rule_set_id FROM parcel_gov.evaluation_benchmark eb) AS p
        CROSS JOIN unnest(enum_range(NULL::parcel_gov.indicator)) WITH ORDINALITY AS k (indicator, n)
        LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = p.rule_set_id AND rp.pool = p.pool
        LEFT JOIN parcel_gov.rule_indicator ri
               ON ri.rule_set_id = p.rule_set_id AND ri.pool = p.pool AND ri.indicator = k.indicator
        LEFT JOIN parcel_gov.evaluation_benchmark b
               ON b.year = p.year AND b.region_code = p.region_code AND b.pool = p.pool
              AND b.rule_set_id = p.rule_set_id AND b.indicator = k.indicator
        GROUP BY p.year, p.region_code, p.pool, p.rule_set_id
    )
    SELECT t.id, t.year, t.uscc::text, t.region_code, t.pool, t.industry_group, t.grade_initial, t.next_grade,
           t.score, t.next_grade_score, t.area_mu, t.tax, t.tax_per_mu, t.veto_reason,
           -- the floor holds for the firm's GB/T 4754 section (上虞: 制造业), or for every firm
           CASE WHEN s.land_floor_sections IS NULL OR f.industry_code IS NULL
                     OR left(f.industry_code, 1) = ANY (s.land_floor_sections)
                THEN s.land_floor_mu ELSE 0 END, s.va_scored,
           ARRAY[fy.tax, fy.value_added, fy.revenue, fy.rd_expense, fy.staff, fy.energy_tce, fy.emission_t,
                 fy.electricity_kwh, fy.water_t, fy.cod_t, fy.main_revenue],
           s.scoring,
           ARRAY[t.score_tax_per_mu, t.score_va_per_mu, t.score_revenue_per_mu, t.score_labour_productivity,
                 t.score_va_per_energy, t.score_va_per_emission, t.score_rd_intensity, t.score_tax_per_kwh,
                 t.score_revenue_per_kwh, t.score_va_per_water, t.score_va_per_cod, t.score_rd_intensity_main],
           t.bonus, t.deduction, t.rental_deduction
    FROM below_top t
    JOIN scoring s ON s.year = t.year AND s.region_code = t.region_code AND s.pool = t.pool
                  AND s.rule_set_id = t.rule_set_id
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = t.uscc AND fy.year = t.year
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = t.uscc;
END;
COMMENT ON FUNCTION parcel_gov.firm_plan_inputs() IS
  '一企一策 internal: per graded firm and year below the top grade, the next grade''s line and what score_lever needs (figures, the pool''s scoring, the stored scores); inlined into v_firm_plan and parcel_tile';

COMMENT ON FUNCTION parcel_gov.firm_plan(text, integer) IS
  '一企一策 one firm''s page for a year (latest evaluated by default): where it stands against the next grade, each lever (tax, value added, land) in a sentence in Chinese and English with amounts rounded up, the tax tiers above it, its indicators against the pool''s benchmarks and its grades over the years; sections standing, lever, tier, indicator, trend';

-- A firm in a park is held to the limits, and the 两高 lines, of its rule set.
CREATE OR REPLACE FUNCTION parcel_gov.figures_beyond_limits(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, figure text, amount double precision, base double precision,
                   line double precision, unit text, basis text, rule_set text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- each firm-year looked up by its keys (LATERAL): the plan never depends
    -- on statistics the rows just written have not reached
    SELECT f.uscc, f.year, x.figure, x.amount, x.base, x.line, x.unit, x.basis, r.id
    FROM parcel_gov.net_land_mu(figures_beyond_limits.firms, figures_beyond_limits.years) AS h
    CROSS JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y WHERE y.uscc = h.uscc AND y.year = h.year) AS f
    CROSS JOIN LATERAL (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = h.uscc) AS e
    CROSS JOIN LATERAL (SELECT r.* FROM parcel_gov.rule_set r
                        WHERE r.id = parcel_gov.rule_set_for(e.region_code, f.year,
                                                             parcel_gov.firm_in_park(f.uscc, f.year))) AS r
    CROSS JOIN LATERAL (VALUES ('亩均税收 (tax per mu)', f.tax, h.net_mu, r.max_tax_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.tax, round(h.net_mu::numeric, 2))),
                               ('亩均增加值 (value added per mu)', f.value_added, h.net_mu, r.max_va_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.value_added, round(h.net_mu::numeric, 2))),
                               -- 万元 per kWh as 元 per kWh
                               ('单位电耗税收 (tax per kWh)', f.tax * 1e4, f.electricity_kwh, r.max_tax_per_kwh, '元/千瓦时',
                                format('%s 万元 on %s kWh', f.tax, f.electricity_kwh)))
                        AS x(figure, amount, base, line, unit, basis)
    WHERE NOT f.figures_confirmed AND x.base > 0 AND x.amount / x.base > x.line;
END;
COMMENT ON FUNCTION parcel_gov.figures_beyond_limits(text[], integer[]) IS
  'internal: of the given firm-years, the figures beyond their rule set''s max_tax_per_mu / max_va_per_mu (on the year''s net land) / max_tax_per_kwh (not figures_confirmed), with the value, the basis and the limit';

CREATE OR REPLACE VIEW parcel_gov.v_two_high WITH (security_invoker = true) AS
WITH start AS (
    SELECT p.holder_uscc AS uscc, min(p.supply_date) AS project_start
    FROM parcel_gov.parcel p WHERE p.holder_uscc IS NOT NULL GROUP BY p.holder_uscc
), firm AS (
    SELECT fy.year, fy.uscc, f.name, f.region_code, fy.energy_tce, s.project_start,
           parcel_gov.rule_set_for(f.region_code, fy.year, parcel_gov.firm_in_park(fy.uscc, fy.year)) AS rule_set_id
    FROM parcel_gov.enterprise_year fy
    JOIN parcel_gov.enterprise f ON f.uscc = fy.uscc
    LEFT JOIN start s ON s.uscc = fy.uscc
    WHERE fy.energy_tce IS NOT NULL
), judged AS (
    SELECT x.*, coalesce(x.project_start >= n.two_high_since, false) AS new_project,
           CASE WHEN x.project_start >= n.two_high_since THEN n.two_high_tce_since ELSE n.two_high_tce_before END
             AS two_high_line_tce
    FROM firm x
    JOIN parcel_gov.rule_new_land n ON n.rule_set_id = x.rule_set_id
    WHERE n.two_high_since IS NOT NULL
)
SELECT j.year, j.uscc::text AS uscc, j.name, j.region_code, j.rule_set_id, j.energy_tce, j.project_start,
       j.new_project, j.two_high_line_tce
FROM judged j
WHERE j.energy_tce >= j.two_high_line_tce;
-- The presets as a fresh install ships them.  Built-in rows are read-only to
-- everyone, so the guards of rule_set and rule_pool step aside for these
-- rows; the new preset's rows are written while it is not yet built in (an
-- ALTER of rule_indicator would meet the pending check of its weights).
ALTER TABLE parcel_gov.rule_set DISABLE TRIGGER rule_set_builtin_read_only;
ALTER TABLE parcel_gov.rule_pool DISABLE TRIGGER rule_pool_builtin_read_only;
UPDATE parcel_gov.rule_set SET firm_scope = 'in_park',
    source = '温岭 2022 parks (wl.gov.cn art_1229299726_3809240; 温岭 2021 art_1391272_58998458 for the 规下 indicators): firms of the industrial park and development zone only (article 一: firm_scope in_park), five industry groups, 规下 quotas 5/75/95, rental deductions (article 二: 规上 0 then 5 per lessee, 规下 10 then 5 per 规下 lessee); its rule for 规上 park firms graded C or D (article 四) is not reproduced: the reachable text breaks off before its condition and effect; indicator weights not published: 黄岩 weights for 规上, for 规下 亩均税收, 亩均营业收入 and 单位用电营业收入 split equally (100/3 each)'
WHERE id = 'wenling_2022_parks' AND builtin;
UPDATE parcel_gov.rule_pool SET rental_lessees = 'below'
WHERE rule_set_id = 'wenling_2022_parks' AND pool = 'below'
  AND rule_set_id IN (SELECT id FROM parcel_gov.rule_set WHERE builtin);
ALTER TABLE parcel_gov.rule_pool ENABLE TRIGGER rule_pool_builtin_read_only;
INSERT INTO parcel_gov.rule_set (id, name, region_prefix, builtin, source) VALUES
  ('shangyu_2022', '上虞区 2022 (规下制造业 3 亩以上)', NULL, false,
   '上虞区 2022 "腾笼换鸟、凤凰涅槃" plan: 规下 制造业 (GB/T 4754 section C) firms are evaluated on 实际用地 3 亩以上, so the 3-mu floor holds for section C only; weights, benchmarks and quotas as the default (上虞 publishes none)');
INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu,
                                  group_by_industry, rental_first_deduction, rental_further_deduction,
                                  low_tax_per_mu, land_floor_sections) VALUES
  ('shangyu_2022', 'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6, NULL),
  ('shangyu_2022', 'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3, '{C}');
INSERT INTO parcel_gov.rule_indicator (rule_set_id, pool, indicator, weight, benchmark_fixed, missing)
SELECT 'shangyu_2022', i.pool, i.indicator, i.weight, i.benchmark_fixed, i.missing
FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = 'default';
-- its weights are checked now, not at commit: the transaction the update runs
-- in may go on to drop the extension (pending events would forbid it)
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 IMMEDIATE;
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 DEFERRED;
INSERT INTO parcel_gov.rule_new_land
SELECT 'shangyu_2022', n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
       n.standard_land_since, n.source
FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = 'default';
INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
SELECT 'shangyu_2022', i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
FROM parcel_gov.rule_issue i WHERE i.rule_set_id = 'default';
UPDATE parcel_gov.rule_set SET builtin = true WHERE id = 'shangyu_2022';
ALTER TABLE parcel_gov.rule_set ENABLE TRIGGER rule_set_builtin_read_only;

-- ---- issue 21 item 8: quarterly evaluation (季评价, 上虞: 月监测、季评价、年考核) ----
-- Year-to-date figures per month (enterprise_period), evaluate_quarter() on
-- the yearly engine, its results apart (evaluation_quarter and its
-- benchmarks), their roles, and the quarters' trend in v_early_warning
-- (columns appended).  As install/88_quarterly_evaluation.sql,
-- install/96_roles_quarterly.sql and install/98_decision_support.sql.

CREATE TABLE parcel_gov.enterprise_period (
    -- No foreign key: the row-level policy (install/96_roles_quarterly.sql)
    -- already refuses a firm the writer cannot see, a missing one included,
    -- and the engine reads the figures of the firms it found in enterprise
    -- only; a key would make every TRUNCATE … CASCADE of enterprise reach
    -- here.
    uscc            parcel_gov.uscc NOT NULL,
    year            integer NOT NULL CONSTRAINT enterprise_period_plausible CHECK (year BETWEEN 1949 AND 2200),
    month           integer NOT NULL CONSTRAINT enterprise_period_month CHECK (month BETWEEN 1 AND 12),
    size_class      parcel_gov.size_class NOT NULL,
    tax             double precision CHECK (tax > '-Infinity' AND tax < 'Infinity'),
    value_added     double precision CHECK (value_added > '-Infinity' AND value_added < 'Infinity'),
    revenue         double precision CHECK (revenue >= 0 AND revenue < 'Infinity'),
    rd_expense      double precision CHECK (rd_expense > '-Infinity' AND rd_expense < 'Infinity'),
    staff           double precision CHECK (staff >= 0 AND staff < 'Infinity'),
    energy_tce      double precision CHECK (energy_tce >= 0 AND energy_tce < 'Infinity'),
    emission_t      double precision CHECK (emission_t >= 0 AND emission_t < 'Infinity'),
    electricity_kwh double precision CHECK (electricity_kwh >= 0 AND electricity_kwh < 'Infinity'),
    exempt_reason   text,
    veto_reason     text,
    bonus           double precision NOT NULL DEFAULT 0 CHECK (bonus >= 0 AND bonus < 'Infinity'),
    deduction       double precision NOT NULL DEFAULT 0 CHECK (deduction >= 0 AND deduction < 'Infinity'),
    backward_capacity   boolean NOT NULL DEFAULT false,
    prohibited_industry boolean NOT NULL DEFAULT false,
    scattered_polluting boolean NOT NULL DEFAULT false,
    water_t         double precision CONSTRAINT enterprise_period_water_t_check CHECK (water_t >= 0 AND water_t < 1e10),
    cod_t           double precision CONSTRAINT enterprise_period_cod_t_check CHECK (cod_t >= 0 AND cod_t < 1e9),
    main_revenue    double precision CONSTRAINT enterprise_period_main_revenue_check CHECK (main_revenue >= 0 AND main_revenue < 1e9),
    PRIMARY KEY (uscc, year, month),
    -- the bounds of enterprise_year: beyond any firm there is
    CONSTRAINT enterprise_period_within_bounds CHECK (
        abs(tax) < 1e9 AND abs(value_added) < 1e9 AND revenue < 1e9 AND abs(rd_expense) < 1e9
        AND staff < 1e7 AND energy_tce < 1e9 AND emission_t < 1e9 AND electricity_kwh < 1e12
        AND bonus < 1e9 AND deduction < 1e9)
);
COMMENT ON TABLE parcel_gov.enterprise_period IS
  '企业月度累计数据 (year-to-date inputs per firm, 月监测): the figures of enterprise_year from 1 January to the end of month, in its units (money 万元, energy tce, emissions t, electricity kWh; staff = average to date); months 3, 6, 9 and 12 are what evaluate_quarter() evaluates (季评价)';
COMMENT ON COLUMN parcel_gov.enterprise_period.month IS
  '月份: the last month the figures cover (1–12), year to date (1–3 for month 3: the first quarter)';
CREATE INDEX enterprise_period_year_month_idx ON parcel_gov.enterprise_period (year, month);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise_period', '');

CREATE TABLE parcel_gov.evaluation_quarter (
    id            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    year          integer NOT NULL,
    quarter       integer NOT NULL CONSTRAINT evaluation_quarter_quarter CHECK (quarter BETWEEN 1 AND 4),
    uscc          parcel_gov.uscc NOT NULL,
    region_code   text NOT NULL,
    rule_set_id   text,
    pool          parcel_gov.size_class NOT NULL,
    industry_group text,
    held_mu       double precision NOT NULL,
    leased_out_mu double precision NOT NULL,
    leased_in_mu  double precision NOT NULL,
    area_mu       double precision NOT NULL,
    tax           double precision,
    value_added   double precision,
    revenue       double precision,
    tax_per_mu          double precision,
    va_per_mu           double precision,
    revenue_per_mu      double precision,
    labour_productivity double precision,
    va_per_energy       double precision,
    va_per_emission     double precision,
    rd_intensity        double precision,
    tax_per_kwh         double precision,
    score_tax_per_mu          double precision,
    score_va_per_mu           double precision,
    score_revenue_per_mu      double precision,
    score_labour_productivity double precision,
    score_va_per_energy       double precision,
    score_va_per_emission     double precision,
    score_rd_intensity        double precision,
    score_tax_per_kwh         double precision,
    bonus            double precision NOT NULL DEFAULT 0,
    deduction        double precision NOT NULL DEFAULT 0,
    rental_deduction double precision NOT NULL DEFAULT 0,
    score         double precision,
    rank          integer,
    pool_size     integer,
    grade_initial parcel_gov.grade,
    grade         parcel_gov.grade,
    not_graded    text,
    veto_reason   text,
    evaluated_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    revenue_per_kwh           double precision,
    va_per_water              double precision,
    va_per_cod                double precision,
    rd_intensity_main         double precision,
    score_revenue_per_kwh     double precision,
    score_va_per_water        double precision,
    score_va_per_cod          double precision,
    score_rd_intensity_main   double precision,
    PRIMARY KEY (year, quarter, uscc),
    CONSTRAINT evaluation_quarter_graded_or_why CHECK ((grade IS NULL) = (not_graded IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.evaluation_quarter IS
  '季度评价结果 (季评价): one row per firm, year and quarter, as evaluation has it but on the year-to-date figures to the quarter''s last month (enterprise_period) and the land of the year to date; benchmarks of that period (evaluation_quarter_benchmark); written by evaluate_quarter() only, apart from the yearly evaluation';
COMMENT ON COLUMN parcel_gov.evaluation_quarter.quarter IS '季度: 1–4, on the figures from 1 January to month 3, 6, 9 or 12';
CREATE INDEX evaluation_quarter_region_year_idx ON parcel_gov.evaluation_quarter (region_code, year, quarter);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_quarter', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation_quarter', 'id'), '');

CREATE TABLE parcel_gov.evaluation_quarter_benchmark (
    year        integer NOT NULL,
    quarter     integer NOT NULL CONSTRAINT evaluation_quarter_benchmark_quarter CHECK (quarter BETWEEN 1 AND 4),
    region_code text NOT NULL,
    pool        parcel_gov.size_class NOT NULL,
    indicator   parcel_gov.indicator NOT NULL,
    rule_set_id text NOT NULL,
    benchmark   double precision,
    pool_value  double precision,
    lo          double precision,
    hi          double precision,
    firms       integer NOT NULL,
    PRIMARY KEY (year, quarter, region_code, pool, indicator)
);
COMMENT ON TABLE parcel_gov.evaluation_quarter_benchmark IS
  '季度基准值: the benchmark each pool was scored against in a quarter: the pool''s ratio of sums of the year-to-date figures × multiplier, or the rule''s fixed benchmark — a year''s, so prorated by months ÷ 12 for tax, value added and revenue per mu and labour productivity (a ratio of two year-to-date figures, per kWh, tce or t or R&D over revenue, is not)';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_quarter_benchmark', '');

CREATE TRIGGER evaluation_quarter_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_quarter
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();
CREATE TRIGGER evaluation_quarter_benchmark_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_quarter_benchmark
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();

CREATE FUNCTION parcel_gov.evaluate_quarter_run(year integer, month integer, prefix text,
        started timestamp with time zone, OUT firms integer, OUT graded integer, OUT changed bigint)
    AS 'MODULE_PATHNAME', 'evaluate_quarter_run'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET jit = off;
COMMENT ON FUNCTION parcel_gov.evaluate_quarter_run(integer, integer, text, timestamp with time zone) IS
  'The engine of evaluate_quarter(), called by it after its checks and under its lock: evaluates the year-to-date figures to month (3, 6, 9, 12) for a region prefix and replaces that quarter''s evaluation_quarter rows and benchmarks; returns how many firms were evaluated and graded and rows written';

CREATE FUNCTION parcel_gov.evaluate_quarter(year integer, quarter integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate_quarter.year;
    q constant integer := evaluate_quarter.quarter;
    prefix constant text := parcel_gov.region_prefix(evaluate_quarter.region);
    run record;
BEGIN
    IF y IS NULL OR q IS NULL OR q NOT BETWEEN 1 AND 4 THEN
        RAISE EXCEPTION 'evaluate_quarter: quarter must be 1, 2, 3 or 4 of a year, got % of %',
                        coalesce(q::text, 'NULL'), coalesce(y::text, 'NULL') USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate_quarter(2024, 2) or parcel_gov.evaluate_quarter(2024, 2, ''330604''): the second quarter, on the figures to June.';
    END IF;
    -- as evaluate(): the owner's rights for the engine, the caller an analyst granted the region
    PERFORM parcel_gov.require_caller('evaluate_quarter', 'parcel_gov_analyst', prefix);
    PERFORM parcel_gov.lock_evaluation_year(y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_period f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND f.month = 3 * q AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate_quarter: no year-to-date figures to month % of % in region %: nothing evaluated, earlier results kept',
                     3 * q, y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    SELECT * INTO run FROM parcel_gov.evaluate_quarter_run(y, 3 * q, prefix, clock_timestamp());
    RETURN run.graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text) IS
  '季评价: evaluates every firm of a region (as evaluate()) for a quarter on its year-to-date figures (enterprise_period, month 3 × quarter) under the year''s rule set: pool benchmarks are ratios of sums of those figures, fixed benchmarks prorated by months ÷ 12 where the indicator accrues (per mu, per person); replaces the quarter''s evaluation_quarter rows and benchmarks of the region and returns the number of firms graded; never touches evaluation, its summaries or the register';

-- Roles of the quarterly evaluation (install/88_quarterly_evaluation.sql), as
-- install/96_roles.sql has them for the year: a firm's year-to-date figures
-- follow the firm; the quarter's results and benchmarks their region; the
-- operator writes figures, evaluate_quarter() alone the results.
ALTER TABLE parcel_gov.enterprise_period ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.enterprise_period
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_period.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_period.uscc));
ALTER TABLE parcel_gov.evaluation_quarter ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.evaluation_quarter
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
ALTER TABLE parcel_gov.evaluation_quarter_benchmark ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.evaluation_quarter_benchmark
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));

GRANT SELECT ON parcel_gov.enterprise_period, parcel_gov.evaluation_quarter, parcel_gov.evaluation_quarter_benchmark
    TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.enterprise_period TO parcel_gov_operator;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text),
                           parcel_gov.evaluate_quarter_run(integer, integer, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text) TO parcel_gov_analyst;

-- 预警 Early warning: firms to act on before they become D, one row per firm
-- and evaluated year with every reason that holds:
--   tax_falling     亩均税收连续两年下降: per-mu tax fell two years running
--   near_tier_line  距5万元/亩线一档: per-mu tax in the tier just above the
--                   5 万元/亩 line (5 to 10, tax_tier 2, 重点检查)
--   grade_dropped   等级下降: a worse grade than the year before
--   quarter_falling 季度连续下降: in the year's latest evaluated quarter and
--                   the one before, a worse grade than the quarter before, or
--                   the same grade on a lower score (季评价, 上虞) — warned
--                   before the year closes: a year without its yearly
--                   evaluation yet has a row from its quarters alone (fid
--                   −evaluation_quarter.id, the yearly columns NULL)
CREATE OR REPLACE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name,
       w.pool::text AS pool, w.pool_label,
       w.grade::text AS grade, parcel_gov.label(w.grade) AS grade_label,
       w.grade_prev::text AS grade_prev, parcel_gov.label(w.grade_prev) AS grade_prev_label,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END,
                          CASE WHEN w.quarter_falling THEN 'quarter_falling' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END, CASE WHEN w.quarter_falling THEN '季度连续下降' END) AS reason_labels,
       w.quarter, w.quarter_grade::text AS quarter_grade, parcel_gov.label(w.quarter_grade) AS quarter_grade_label,
       w.quarter_score, w.quarter_grade_prev::text AS quarter_grade_prev,
       parcel_gov.label(w.quarter_grade_prev) AS quarter_grade_prev_label, w.quarter_score_prev, w.quarter_falling
FROM (
    SELECT coalesce(e.id, -q.id) AS fid, coalesce(e.year, q.year) AS year, coalesce(e.uscc, q.uscc)::text AS uscc,
           f.name, coalesce(e.region_code, q.region_code) AS region_code, rg.name AS region_name,
           coalesce(e.pool, q.pool) AS pool,
           parcel_gov.pool_label(coalesce(e.pool, q.pool), coalesce(e.rule_set_id, q.rule_set_id)) AS pool_label,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu) = 2, false) AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped,
           q.quarter, q.grade AS quarter_grade, q.score AS quarter_score, q.grade_prev AS quarter_grade_prev,
           q.score_prev AS quarter_score_prev, coalesce(q.fell AND q.fell_before, false) AS quarter_falling
    FROM parcel_gov.evaluation e
    FULL JOIN (
        -- each firm's latest quarter of a year, beside the two before it
        SELECT DISTINCT ON (q0.uscc, q0.year) q0.id, q0.year, q0.uscc, q0.region_code, q0.pool, q0.rule_set_id, q0.quarter,
               q0.grade, q0.score, q1.grade AS grade_prev, q1.score AS score_prev,
               q0.grade > q1.grade OR (q0.grade = q1.grade AND q0.score < q1.score) AS fell,
               q1.grade > q2.grade OR (q1.grade = q2.grade AND q1.score < q2.score) AS fell_before
        FROM parcel_gov.evaluation_quarter q0
        LEFT JOIN parcel_gov.evaluation_quarter q1 ON q1.year = q0.year AND q1.quarter = q0.quarter - 1 AND q1.uscc = q0.uscc
        LEFT JOIN parcel_gov.evaluation_quarter q2 ON q2.year = q0.year AND q2.quarter = q0.quarter - 2 AND q2.uscc = q0.uscc
        ORDER BY q0.uscc, q0.year, q0.quarter DESC
    ) AS q ON q.year = e.year AND q.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = coalesce(e.uscc, q.uscc)
    LEFT JOIN parcel_gov.region rg ON rg.code = coalesce(e.region_code, q.region_code)
) AS w
WHERE w.falling OR w.near_line OR w.dropped OR w.quarter_falling;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, whose grade dropped, or whose quarterly grade or score fell two quarters running (季评价, before the year closes); one row per firm and year with the reasons';

COMMENT ON COLUMN parcel_gov.v_early_warning.reasons IS '预警原因: tax_falling, near_tier_line, grade_dropped, quarter_falling';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter IS '最近评价季度: the year''s latest quarter evaluated by evaluate_quarter() (1–4), NULL none';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade IS '季度等级: the grade of that quarter (year to date)';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_label IS '季度等级名称: that grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_score IS '季度得分: the composite score of that quarter';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_prev IS '上季度等级: the grade of the quarter before';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_prev_label IS '上季度等级名称: the grade of the quarter before in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_score_prev IS '上季度得分: the score of the quarter before';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_falling IS '季度连续下降: the latest quarter and the one before each fell on the quarter before (a worse grade, or the same grade on a lower score)';

-- Firms' year-to-date figures per month (月监测, 季评价) from the bureaus'
-- spreadsheets: the template of import_enterprise_years() — headers with
-- their units read by bureau_header(), cells by bureau_number() — plus a
-- 月份 column (3, 03, 3月, 2025-03, 2025年3月; a quarter's 一季度 … 四季度
-- or Q1 … Q4 stands for its last month).  The firms must be on file already
-- (the yearly import or enterprise creates them).  Every row comes back
-- imported or rejected with its reason; columns not used come back ignored;
-- an empty cell keeps the figure stored for that firm and month.

CREATE FUNCTION parcel_gov.import_enterprise_periods(source regclass, year integer, region text)
    RETURNS TABLE (source_row bigint, uscc text, month integer, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    figures constant text[] := ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                     'emission_t', 'electricity_kwh', 'bonus', 'deduction'];
    month_headers constant text[] := ARRAY['月份', '期间', '统计期', '截至月份'];
    cols jsonb;
    month_col name;
    problems text;
    pick text;
    row_number_sql text;
BEGIN
    -- As its caller, like import_enterprise_years(): the figures are the
    -- caller's to write, under their row-level security.
    PERFORM parcel_gov.require_caller('import_enterprise_periods', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region AND r.level = 'county' AND r.valid_to IS NULL) THEN
        RAISE EXCEPTION 'region "%" is not a current county', region USING ERRCODE = '22023',
            HINT = 'Firms are filed under their county''s 6-digit code, e.g. 330604 (SELECT code, name FROM parcel_gov.region WHERE level = ''county'').';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 1949 AND 2200 THEN
        RAISE EXCEPTION 'year % is not a year of figures', year USING ERRCODE = '22023',
            HINT = 'Give the year the figures are for, e.g. 2024.';
    END IF;
    PERFORM parcel_gov.staging_table_check(source, '\copy or ogr2ogr');

    SELECT a.attname INTO month_col
    FROM pg_attribute a
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND regexp_replace(a.attname, '[\s\u3000]', '', 'g') = ANY (month_headers)
    ORDER BY a.attnum LIMIT 1;
    SELECT jsonb_agg(jsonb_build_object('header', a.attname, 'target', h.target, 'factor', h.factor,
                                        'problem', coalesce(h.problem,
                                            CASE WHEN t.typnamespace <> 'pg_catalog'::regnamespace
                                                 THEN format('"%s" is of type %s: load the sheet as text or numbers',
                                                             a.attname, format_type(a.atttypid, a.atttypmod)) END))
                     ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL parcel_gov.bureau_header(a.attname) h
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'ogc_fid' AND a.attname IS DISTINCT FROM month_col;
    cols := coalesce(cols, '[]');
    SELECT string_agg(c ->> 'problem', '; ') INTO problems
    FROM jsonb_array_elements(cols) c WHERE c ->> 'problem' IS NOT NULL;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'headers of % cannot be read: %', source, problems USING ERRCODE = '22023',
            HINT = 'Name each figure''s unit in its header, e.g. 税收(万元), 用电量(万千瓦时); README "Load this year''s data" lists the headers and units.';
    END IF;
    SELECT string_agg(DISTINCT c ->> 'target', ', ') INTO problems
    FROM jsonb_array_elements(cols) c
    WHERE c ->> 'target' IS NOT NULL
      AND (SELECT count(*) FROM jsonb_array_elements(cols) d WHERE d ->> 'target' = c ->> 'target') > 1;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % name the same figure twice: %', source, problems USING ERRCODE = '22023',
            HINT = 'Keep one column per figure in the staging table.';
    END IF;
    IF month_col IS NULL OR NOT cols @> '[{"target": "uscc"}]' OR NOT cols @> '[{"target": "size_class"}]' THEN
        RAISE EXCEPTION '% has no % column', source,
              CASE WHEN month_col IS NULL THEN '月份' WHEN NOT cols @> '[{"target": "uscc"}]' THEN '统一社会信用代码'
                   ELSE '规模' END
            USING ERRCODE = '42703',
            HINT = 'The file is the yearly template (统一社会信用代码, 规模, the figures with their units) plus 月份: the last month the year-to-date figures cover (3, 2025-03, 一季度).';
    END IF;

    -- 1. The cells: codes as text, figures parsed and converted (NaN: no number).
    SELECT string_agg(CASE WHEN c.header IS NOT NULL AND t = ANY (figures)
                             THEN format(', parcel_gov.bureau_number(%I::text) * %s AS %I', c.header, c.factor, t)
                           WHEN t = ANY (figures) THEN format(', NULL::double precision AS %I', t)
                           WHEN c.header IS NOT NULL THEN format(', %I::text AS %I', c.header, t)
                           ELSE format(', NULL::text AS %I', t) END, '' ORDER BY o)
    INTO pick
    FROM unnest(ARRAY['uscc', 'size_class', 'year', 'exempt_reason', 'veto_reason'] || figures) WITH ORDINALITY AS x(t, o)
    LEFT JOIN LATERAL (SELECT e ->> 'header' AS header, e ->> 'factor' AS factor
                       FROM jsonb_array_elements(cols) e WHERE e ->> 'target' = x.t) AS c ON true;
    row_number_sql := CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = source AND a.attname = 'ogc_fid'
                                                                     AND NOT a.attisdropped)
                           THEN 'ogc_fid::bigint' ELSE 'row_number() OVER (ORDER BY ctid)' END;
    IF to_regclass('pg_temp.parcel_gov_period_cells') IS NOT NULL THEN
        DROP TABLE pg_temp.parcel_gov_period_cells, pg_temp.parcel_gov_period_rows;
    END IF;
    EXECUTE format('CREATE TEMP TABLE parcel_gov_period_cells AS SELECT %s AS n, %I::text AS month_given%s FROM %s',
                   row_number_sql, month_col, pick, source);

    -- 2. Each row: its month, its firm (as the caller sees it), what stops it.
    CREATE TEMP TABLE parcel_gov_period_rows AS
    WITH read AS (
        SELECT c.*,
               nullif(upper(regexp_replace(c.uscc, '[\s\u3000-]', '', 'g')), '') AS code,
               nullif(regexp_replace(c.month_given, '[\s\u3000]', '', 'g'), '') AS m_text,
               CASE btrim(c.size_class) WHEN '规上' THEN 'above' WHEN '规模以上' THEN 'above'
                                        WHEN '规下' THEN 'below' WHEN '规模以下' THEN 'below' END::parcel_gov.size_class AS size
        FROM pg_temp.parcel_gov_period_cells c
    ), dated AS (
        SELECT r.*,
               -- a quarter (一季度, 1季度, Q1) stands for its last month
               CASE WHEN r.m_text ~* '^([一二三四1-4]季度|Q[1-4])$'
                      THEN 3 * strpos('一二三四', left(r.m_text, 1)) + 3 * coalesce(nullif(substring(r.m_text FROM '[1-4]'), '')::integer, 0)
                    WHEN r.m_text ~ '^([0-9]{4}[-年./])?[0-9]{1,2}(\.0+)?月?$'
                      THEN substring(r.m_text FROM '([0-9]{1,2})(\.0+)?月?$')::integer END AS m,
               substring(r.m_text FROM '^([0-9]{4})[-年./]')::integer AS m_year
        FROM read r
    ), counted AS (
        -- the same firm and month twice: none goes in
        SELECT d.*, count(*) OVER same AS copies, string_agg(d.n::text, ', ') OVER same AS copy_rows
        FROM dated d
        WINDOW same AS (PARTITION BY d.code, coalesce(d.m::text, d.m_text) ORDER BY d.n
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )
    SELECT d.*, e.uscc IS NOT NULL AS firm_seen,
           array_remove(ARRAY[
             CASE WHEN d.code IS NULL THEN 'no 统一社会信用代码'
                  WHEN e.uscc IS NULL
                    THEN format('firm %s not found or not permitted: a firm of %s is filed first (import_enterprise_years() or enterprise)',
                                d.code, import_enterprise_periods.region) END,
             CASE WHEN d.m_text IS NULL THEN 'no 月份'
                  WHEN d.m IS NULL OR d.m NOT BETWEEN 1 AND 12
                    THEN format('月份 "%s" is no month (3, 2025-03, 2025年3月, 一季度)', d.month_given)
                  WHEN d.m_year IS DISTINCT FROM NULL AND d.m_year <> import_enterprise_periods.year
                    THEN format('月份 "%s" is not in %s', d.month_given, import_enterprise_periods.year) END,
             CASE WHEN d.year IS NOT NULL AND parcel_gov.bureau_number(d.year) IS DISTINCT FROM import_enterprise_periods.year
                    THEN format('年度 "%s" is not %s', d.year, import_enterprise_periods.year) END,
             CASE WHEN d.size_class IS NULL OR btrim(d.size_class) = '' THEN 'no 规模 (规上 or 规下)'
                  WHEN d.size IS NULL THEN format('规模 "%s" is not 规上, 规下, 规模以上 or 规模以下', d.size_class) END,
             CASE WHEN d.copies > 1 AND d.code IS NOT NULL
                    THEN format('rows %s give the same firm and month: none imported', d.copy_rows) END,
             (SELECT string_agg(format('%s is not a number', v.target), '; ') FROM unnest(figures, ARRAY[d.tax, d.value_added,
                     d.revenue, d.rd_expense, d.staff, d.energy_tce, d.emission_t, d.electricity_kwh, d.bonus, d.deduction])
                     AS v(target, value) WHERE v.value = 'NaN'),
             (SELECT string_agg(format('%s %s is negative', v.target, v.value), '; ') FROM unnest(figures, ARRAY[d.tax,
                     d.value_added, d.revenue, d.rd_expense, d.staff, d.energy_tce, d.emission_t, d.electricity_kwh, d.bonus,
                     d.deduction]) AS v(target, value)
                     WHERE v.value < 0 AND v.target NOT IN ('tax', 'value_added', 'rd_expense')),
             (SELECT string_agg(format('%s %s is beyond any firm (a unit or typing mistake)', v.target, v.value), '; ')
                     FROM unnest(figures, ARRAY[d.tax, d.value_added, d.revenue, d.rd_expense, d.staff, d.energy_tce,
                     d.emission_t, d.electricity_kwh, d.bonus, d.deduction]) AS v(target, value)
                     WHERE v.value <> 'NaN' AND abs(v.value) >= CASE v.target WHEN 'staff' THEN 1e7
                                                                 WHEN 'electricity_kwh' THEN 1e12 ELSE 1e9 END)
           ], NULL) AS rejects
    FROM counted d
    LEFT JOIN LATERAL (SELECT e.uscc FROM parcel_gov.enterprise e
                       WHERE e.uscc = d.code AND d.code ~ '^[0-9A-Z]{18}$'
                         AND starts_with(e.region_code, import_enterprise_periods.region)) AS e ON true;

    -- 3. The figures, an empty cell keeping the stored one.
    INSERT INTO parcel_gov.enterprise_period AS p
        (uscc, year, month, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t,
         electricity_kwh, exempt_reason, veto_reason, bonus, deduction)
    SELECT r.code, import_enterprise_periods.year, r.m, r.size, r.tax, r.value_added, r.revenue, r.rd_expense, r.staff,
           r.energy_tce, r.emission_t, r.electricity_kwh, nullif(btrim(r.exempt_reason), ''),
           nullif(btrim(r.veto_reason), ''), coalesce(r.bonus, 0), coalesce(r.deduction, 0)
    FROM pg_temp.parcel_gov_period_rows r
    WHERE cardinality(r.rejects) = 0
    ON CONFLICT ON CONSTRAINT enterprise_period_pkey DO UPDATE
    SET size_class = EXCLUDED.size_class, tax = coalesce(EXCLUDED.tax, p.tax),
        value_added = coalesce(EXCLUDED.value_added, p.value_added), revenue = coalesce(EXCLUDED.revenue, p.revenue),
        rd_expense = coalesce(EXCLUDED.rd_expense, p.rd_expense), staff = coalesce(EXCLUDED.staff, p.staff),
        energy_tce = coalesce(EXCLUDED.energy_tce, p.energy_tce), emission_t = coalesce(EXCLUDED.emission_t, p.emission_t),
        electricity_kwh = coalesce(EXCLUDED.electricity_kwh, p.electricity_kwh),
        exempt_reason = coalesce(EXCLUDED.exempt_reason, p.exempt_reason),
        veto_reason = coalesce(EXCLUDED.veto_reason, p.veto_reason),
        bonus = EXCLUDED.bonus, deduction = EXCLUDED.deduction;

    RETURN QUERY
    SELECT o.source_row, o.uscc, o.month, o.outcome, o.reason
    FROM (SELECT NULL::bigint AS source_row, NULL::text AS uscc, NULL::integer AS month, 'ignored' AS outcome,
                 format('column "%s" is not a header this import knows: ignored', c ->> 'header') AS reason, o.i AS column_order
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS o(c, i) WHERE c ->> 'target' IS NULL
          UNION ALL
          SELECT r.n, r.code, r.m, CASE WHEN cardinality(r.rejects) > 0 THEN 'rejected' ELSE 'imported' END,
                 nullif(array_to_string(r.rejects, '; '), ''), 0
          FROM pg_temp.parcel_gov_period_rows r) AS o
    ORDER BY o.source_row NULLS FIRST, o.column_order;
    DROP TABLE pg_temp.parcel_gov_period_cells, pg_temp.parcel_gov_period_rows;
END $$;
COMMENT ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) IS
  '导入企业月度累计数据 (月监测): a staging table of the caller''s in the yearly template (统一社会信用代码, 规模, figures with their units: 税收(元), 用电量(万千瓦时)) plus 月份 (3, 2025-03, 2025年3月, 一季度 … 四季度) into enterprise_period for one county and year; firms must be on file; every row imported or rejected with its reason, unknown headers ignored and named';
REVOKE EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) TO parcel_gov_operator;

-- ---- issue 21 items 1, 2, 3, 9: tax tiers as rule data (bounds and the
-- reading of 以下); what 桐庐's and 金东's multi-year rules test (the parcel,
-- own land or net land); 金东 亩产倍增's 土地利用率; multi-year rules
-- undecided without the earlier years
-- items 1 and 3: the rule set's tiers and land use rate
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN tax_tier_bounds          double precision[] NOT NULL DEFAULT '{5,10,15}'
                             CONSTRAINT rule_set_tax_tier_bounds CHECK (
                               array_ndims(tax_tier_bounds) = 1 AND cardinality(tax_tier_bounds) = 3
                               AND array_position(tax_tier_bounds, NULL) IS NULL
                               AND 0 < tax_tier_bounds[1] AND tax_tier_bounds[1] < tax_tier_bounds[2]
                               AND tax_tier_bounds[2] < tax_tier_bounds[3] AND tax_tier_bounds[3] < 'Infinity'),
    ADD COLUMN tax_tier_includes_bound  boolean NOT NULL DEFAULT false,
    ADD COLUMN tax_tier_source          text,
    ADD COLUMN doubling_min_land_use_rate double precision NOT NULL DEFAULT 0.8
                             CONSTRAINT rule_set_doubling_min_land_use_rate_share
                               CHECK (doubling_min_land_use_rate BETWEEN 0 AND 1);

-- item 2: what the multi-year rules test, and a parcel's 亩均税收 in a year
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN persistent_low_land      text NOT NULL DEFAULT 'parcel'
                             CONSTRAINT rule_set_persistent_low_land CHECK (persistent_low_land IN ('parcel', 'net')),
    ADD COLUMN still_below_land         text NOT NULL DEFAULT 'own'
                             CONSTRAINT rule_set_still_below_land CHECK (still_below_land IN ('own', 'net'));
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_min_mu IS
  '桐庐: land of at least this many mu (a parcel or a firm''s net land, persistent_low_land) whose 亩均税收 stayed under persistent_low_tax_per_mu three years running';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_min_mu IS
  '金东: firms on at least this many mu (own or net land, still_below_land) still 规下 after three years';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_land IS
  '桐庐 20 亩以上、连续三年亩均税收低于 3 万元的地块: what the rule tests: parcel (the plan''s 地块: a parcel''s area and its 亩均税收, the firms using it by area, 桐庐 [S3]) or net (the holder''s net land and 亩均税收)';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_land IS
  '金东 自有用地 20 亩以上三年未上规: what the rule tests: own (the plan''s 自有用地: the land the firm holds, leased out or not, 金东 [S4]) or net (held − leased out + leased in)';

-- A parcel's 亩均税收 in a year, as v_parcel_efficiency counts it for the
-- year it shows: the firms using it (its holder for what is not leased out, the
-- lessees of the leases in force that year), each by its evaluation's
-- 亩均税收 and the area it uses; NULL when none has one.  桐庐's rule on the
-- parcel reads the two years before with it (so does the register's sync).
CREATE FUNCTION parcel_gov.parcel_tax_per_mu(code text, year integer)
    RETURNS double precision
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
             coalesce(ls.tax_sums, '{0,0,0,0}'),
             CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                  THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END))
    FROM parcel_gov.parcel p
    LEFT JOIN parcel_gov.evaluation h ON h.year = parcel_tax_per_mu.year AND h.uscc = p.holder_uscc
    CROSS JOIN LATERAL (
        SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
               parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
                 FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums
        FROM parcel_gov.lease l
        LEFT JOIN parcel_gov.evaluation e ON e.year = parcel_tax_per_mu.year AND e.uscc = l.lessee_uscc
        WHERE l.parcel_code = p.code
          AND l.during && daterange(make_date(parcel_tax_per_mu.year, 1, 1), make_date(parcel_tax_per_mu.year + 1, 1, 1))
    ) AS ls
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.holder_uscc IS NOT NULL
                    THEN greatest(p.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
    ) AS own
    WHERE p.code = parcel_tax_per_mu.code;
END;
COMMENT ON FUNCTION parcel_gov.parcel_tax_per_mu(text, integer) IS
  '宗地亩均税收: a parcel''s 亩均税收 in a year, the firms using it (holder and lessees of leases in force that year) weighed by the area each uses, from their evaluations of that year; NULL when none has one';

-- 桐庐 on the parcel (persistent_low_land 'parcel'): does the firm hold a
-- parcel of min_mu or more whose 亩均税收 stayed under line this year and
-- the two before?  NULL (undecided) when none did but one lacks an earlier
-- year.  A function, not a LATERAL join, so v_enterprise_evaluation can
-- still run whole in a parallel worker.
CREATE FUNCTION parcel_gov.holder_persistent_low(uscc text, year integer, min_mu double precision,
                                                 line double precision)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN bool_or(x.low) THEN true WHEN bool_or(x.low IS NULL) THEN NULL ELSE false END
    FROM parcel_gov.parcel hp
    CROSS JOIN LATERAL (
        SELECT CASE WHEN coalesce(parcel_gov.parcel_tax_per_mu(hp.code, holder_persistent_low.year)
                                  < holder_persistent_low.line, false)
                    THEN parcel_gov.parcel_tax_per_mu(hp.code, holder_persistent_low.year - 1) < holder_persistent_low.line
                         AND parcel_gov.parcel_tax_per_mu(hp.code, holder_persistent_low.year - 2)
                             < holder_persistent_low.line
                    ELSE false END AS low
    ) AS x
    WHERE hp.holder_uscc = holder_persistent_low.uscc AND hp.area_mu >= holder_persistent_low.min_mu;
END;
COMMENT ON FUNCTION parcel_gov.holder_persistent_low(text, integer, double precision, double precision) IS
  '桐庐 连续三年亩均税收低于 line 的地块: true when the firm holds a parcel of min_mu or more whose 亩均税收 (parcel_tax_per_mu) was under line in year and the two years before, NULL when none was but one lacks an earlier year, else false';

-- the rules above in the presets, the engine, the views and the firm plans
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_revenue IS
  '金东 capacity doubling (亩产倍增): grade B or better with revenue ≥ this (万元) or tax ≥ doubling_min_tax, and 土地利用率 ≥ doubling_min_land_use_rate';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_land_use_rate IS
  '金东 capacity doubling (亩产倍增): 土地利用率 (enterprise_year.land_use_rate, a share) at least this (0.8 = 80 % 以上) besides the grade and revenue or tax';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_bounds IS
  '亩均税收分档 (万元/亩): three ascending bounds; tier 1 重点排查 below the first, 2 重点检查 below the second, 3 重点指导 below the third, 0 达标 above all (绍兴 2021: 5/10/15)';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_includes_bound IS
  '以下 includes the bound: true puts a 亩均税收 exactly on a bound in the lower tier (5 万元以下 includes 5, as 民法典 art. 1259 reads 以下); false (under) in the higher one';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_source IS
  'Where the tax tiers and their reading come from (document, article)';
ALTER TABLE parcel_gov.rule_set DISABLE TRIGGER rule_set_builtin_read_only;
UPDATE parcel_gov.rule_set SET tax_tier_source =
  '绍兴 2021 [S1], 嵊州 2021 [S2]: under 5 重点排查, under 10 重点检查, under 15 重点指导 万元/亩; a figure on a bound counts in the higher tier'
WHERE builtin;
ALTER TABLE parcel_gov.rule_set ENABLE TRIGGER rule_set_builtin_read_only;

ALTER TABLE parcel_gov.enterprise_year
    ADD COLUMN land_use_rate   double precision CONSTRAINT enterprise_year_land_use_rate_share CHECK (land_use_rate BETWEEN 0 AND 1);
COMMENT ON COLUMN parcel_gov.enterprise_year.land_use_rate IS
  '土地利用率 (a share, 0.8 = 80 %): how much of its land the firm uses, as the county measures it; 金东 亩产倍增 needs doubling_min_land_use_rate; NULL: not measured';
-- Copies a rule set (typically a preset) under a new id for a region and years.
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
                                     non_industrial_since, breach_years_below_target, max_tax_per_mu, max_va_per_mu,
                                     max_tax_per_kwh, scattered_polluting_batch, collective_industrial_batch,
                                     township_last_places, township_summon_months, pool_by, pool_land_mu, firm_scope,
                                     tax_tier_bounds, tax_tier_includes_bound, tax_tier_source, doubling_min_land_use_rate,
                                     persistent_low_land, still_below_land)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch,
           r.township_last_places, r.township_summon_months, r.pool_by, r.pool_land_mu, r.firm_scope,
           r.tax_tier_bounds, r.tax_tier_includes_bound, r.tax_tier_source, r.doubling_min_land_use_rate,
           r.persistent_low_land, r.still_below_land
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu, group_by_industry,
                                      rental_first_deduction, rental_further_deduction, low_tax_per_mu,
                                      rental_lessees, land_floor_sections)
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu,
           p.rental_lessees, p.land_floor_sections
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
    SELECT new_id, i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
    FROM parcel_gov.rule_issue i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_new_land
    SELECT new_id, n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
           n.standard_land_since, n.source
    FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = template;
    INSERT INTO parcel_gov.rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source)
    SELECT new_id, m.measure, m.grade, m.measure_label, m.basis, m.rate, m.cap, m.source
    FROM parcel_gov.rule_measure m WHERE m.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years, with its pools, indicators, industry groups and grade-linked measures; returns new_id';

-- A rule set's tiers (rule_set.tax_tier_bounds) with their reading of a
-- figure on a bound (rule_set.tax_tier_includes_bound).
CREATE FUNCTION parcel_gov.tax_tier(tax_per_mu double precision, bounds double precision[],
                                    includes_bound boolean)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'tax_tier_read'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.tax_tier(double precision, double precision[], boolean) IS
  'Per-mu tax tier under a rule set''s bounds: 1 below the first bound (重点排查), 2 (重点检查), 3 (重点指导), 0 above all; a figure on a bound is in the lower tier when includes_bound (以下 includes the bound), else in the higher one';

-- Multi-year rules (桐庐 persistent_low_tax, 金东 still_below_3y) need the
-- two years before: a firm that meets this year's part but lacks an earlier
-- year is undecided (NULL in v_enterprise_evaluation), not "no".  evaluate()
-- says which, so the county evaluates or loads the missing years.
CREATE FUNCTION parcel_gov.notice_multi_year_undecided(year integer, prefix text)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
    named text;
BEGIN
    SELECT count(*), string_agg(u.uscc || ' (' || u.rules || ')', ', ' ORDER BY u.uscc) FILTER (WHERE u.nth <= 5)
    INTO n, named
    FROM (SELECT v.uscc,
                 concat_ws(', ', CASE WHEN v.persistent_low_tax IS NULL THEN 'persistent_low_tax' END,
                           CASE WHEN v.still_below_3y IS NULL THEN 'still_below_3y' END) AS rules,
                 row_number() OVER (ORDER BY v.uscc) AS nth
          FROM parcel_gov.v_enterprise_evaluation v
          WHERE v.year = notice_multi_year_undecided.year
            AND starts_with(v.region_code, notice_multi_year_undecided.prefix)
            AND (v.persistent_low_tax IS NULL OR v.still_below_3y IS NULL)) AS u;
    IF n > 0 THEN
        RAISE NOTICE 'evaluate: % firm(s) in % have multi-year rules undecided for lack of an earlier year: %',
                     n, notice_multi_year_undecided.year, named || CASE WHEN n > 5 THEN ', …' ELSE '' END
            USING HINT = format('Evaluate %s and %s (their figures first) so that 桐庐''s three years under the line and 金东''s three years 规下 can be decided; until then v_enterprise_evaluation shows NULL.',
                                notice_multi_year_undecided.year - 2, notice_multi_year_undecided.year - 1);
    END IF;
    RETURN n;
END $$;
COMMENT ON FUNCTION parcel_gov.notice_multi_year_undecided(integer, text) IS
  'internal, for evaluate(): a NOTICE naming the firms of a year and region prefix whose multi-year rules (persistent_low_tax, still_below_3y) are undecided because an earlier year is missing (at most five named); returns how many';

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
    -- each firm's tax tier is counted under its rule set's tiers; the
    -- default's serve a region without one
    SELECT * INTO run FROM parcel_gov.evaluate_run(y, prefix, started,
        (SELECT r.tax_tier_bounds FROM parcel_gov.rule_set r WHERE r.id = 'default'));
    PERFORM parcel_gov.notice_multi_year_undecided(y, prefix);

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, run.firms, run.graded, run.changed);
    RETURN run.graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded';

COMMENT ON TABLE parcel_gov.evaluation_summary IS
  '评价汇总 (per region and year, written by evaluate() with the rows): firms evaluated and graded, firms per grade and per tax tier (1 重点排查, 2 重点检查, 3 重点指导, 0 达标, each firm under its rule set''s tax_tier_bounds: < 5, < 10, < 15, ≥ 15 万元/亩 by default), graded firms'' land (area_sums) and per_mu_agg partial states of tax and value added (tax_sums, va_sums: combine with partial_sum(), finish with per_mu_agg_final()), and a digest of the rows';
CREATE OR REPLACE FUNCTION parcel_gov.summaries_of_rows(year integer, regions text[])
    RETURNS SETOF parcel_gov.evaluation_summary
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT e.year, e.region_code, count(*), count(e.grade),
           count(*) FILTER (WHERE e.grade = 'A'), count(*) FILTER (WHERE e.grade = 'B'),
           count(*) FILTER (WHERE e.grade = 'C'), count(*) FILTER (WHERE e.grade = 'D'),
           count(*) FILTER (WHERE t.tier = 1), count(*) FILTER (WHERE t.tier = 2),
           count(*) FILTER (WHERE t.tier = 3), count(*) FILTER (WHERE t.tier = 0),
           ARRAY[coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL), 0), 0],
           ARRAY[coalesce(sum(e.tax) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
                 coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.tax IS NOT NULL AND e.area_mu <> 0), 0), 0],
           ARRAY[coalesce(sum(e.value_added) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
                 coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.value_added IS NOT NULL
                                                   AND e.area_mu <> 0), 0), 0],
           '\x'::bytea, max(e.evaluated_at)
    FROM parcel_gov.evaluation e
    -- each row's tier under its rule set's tiers (the default's for a rule set since removed)
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
    LEFT JOIN parcel_gov.rule_set d ON d.id = 'default'
    CROSS JOIN LATERAL (SELECT parcel_gov.tax_tier(e.tax_per_mu, coalesce(rs.tax_tier_bounds, d.tax_tier_bounds),
                                                   coalesce(rs.tax_tier_includes_bound, d.tax_tier_includes_bound))
                          AS tier) AS t
    WHERE (summaries_of_rows.year IS NULL OR e.year = summaries_of_rows.year)
      AND (summaries_of_rows.regions IS NULL OR e.region_code = ANY (summaries_of_rows.regions))
    GROUP BY e.year, e.region_code;
END;
COMMENT ON FUNCTION parcel_gov.summaries_of_rows(integer, text[]) IS
  'Summaries computed in SQL from stored evaluation rows of a year (NULL: all) and regions (NULL: all), tiers by each row''s rule set, with an empty digest: the next evaluate() of such a region compares its rows and writes exact ones';
COMMENT ON VIEW parcel_gov.v_region_summary IS
  '区域亩均效益汇总: per region (county, city, province) and year: graded firms'' area (亩), 亩均税收 and 亩均增加值 (ratios of sums), firms by grade and by tax tier (1 重点排查, 2 重点检查, 3 重点指导, 0 达标, each firm under its rule set''s tax_tier_bounds: < 5, < 10, < 15, ≥ 15 万元/亩 by default), and the change against the year before, and 入园率 (the share of evaluated firms, and of 规上 firms, whose land lies in a park); counties'' figures are combined from evaluation_summary, so the view reads one row per county and year';

CREATE OR REPLACE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, f.industry_code,
       e.pool::text AS pool, parcel_gov.pool_label(e.pool, e.rule_set_id) AS pool_label, e.industry_group, e.rule_set_id,
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
       parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       p1.tax_per_mu AS tax_per_mu_prev, p2.tax_per_mu AS tax_per_mu_prev2,
       -- multi-year rules: false when this year already fails, else decided by
       -- the two years before; NULL (undecided) when one of them is missing
       CASE WHEN rs.persistent_low_land = 'parcel'
            THEN parcel_gov.holder_persistent_low(e.uscc, e.year, rs.persistent_low_min_mu, rs.persistent_low_tax_per_mu)
            WHEN coalesce(e.area_mu >= rs.persistent_low_min_mu AND e.tax_per_mu < rs.persistent_low_tax_per_mu, false)
            THEN p1.tax_per_mu < rs.persistent_low_tax_per_mu AND p2.tax_per_mu < rs.persistent_low_tax_per_mu
            ELSE false END AS persistent_low_tax,
       CASE WHEN coalesce(CASE rs.still_below_land WHEN 'own' THEN e.held_mu ELSE e.area_mu END >= rs.still_below_min_mu
                          AND e.pool = 'below', false)
            THEN p1.pool = 'below' AND p2.pool = 'below'
            ELSE false END AS still_below_3y,
       -- 金东 亩产倍增: undecided (NULL) when only the land use rate is missing
       CASE WHEN coalesce(e.grade <= 'B' AND (e.revenue >= rs.doubling_min_revenue OR e.tax >= rs.doubling_min_tax), false)
            THEN fy.land_use_rate >= rs.doubling_min_land_use_rate
            ELSE false END AS capacity_doubling_candidate,
       e.evaluated_at,
       e.revenue_per_kwh, e.va_per_water, e.va_per_cod, e.rd_intensity_main,
       e.score_revenue_per_kwh, e.score_va_per_water, e.score_va_per_cod, e.score_rd_intensity_main
FROM parcel_gov.evaluation e
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
LEFT JOIN parcel_gov.evaluation p1 ON p1.uscc = e.uscc AND p1.year = e.year - 1
LEFT JOIN parcel_gov.evaluation p2 ON p2.uscc = e.uscc AND p2.year = e.year - 2
LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = e.uscc AND fy.year = e.year;
COMMENT ON VIEW parcel_gov.v_enterprise_evaluation IS
  '企业亩均效益评价结果: each firm''s evaluation with names and labels, its tax tier (its rule set''s bounds and reading), the per-mu tax of the two years before, and the multi-year facts: persistent_low_tax (桐庐: a parcel of ≥ 20 mu the firm holds, under 3 万元/亩 three years running; or its net land, persistent_low_land), still_below_3y (金东: ≥ 20 mu of own land, still 规下 three years; or net land, still_below_land), both NULL (undecided) when this year meets the rule but an earlier year is missing, capacity_doubling_candidate (金东 亩产倍增: grade B or better, revenue ≥ 1 亿元 or tax ≥ 300 万元, 土地利用率 ≥ 80 %; NULL when the rate is missing)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.area_mu IS '用地面积(亩): net land = held − leased out + leased in';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.tax_per_mu IS '亩均税收 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.va_per_mu IS '亩均增加值 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score IS '综合得分';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial IS '初评等级 (by quota)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial_label IS '初评等级名称: the grade by quota in Chinese';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade IS '评价等级 (after a veto, 一票否决 → D)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_or_t IS 'grade, or T for firms exempt from grading (不参评)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.persistent_low_tax IS
  '桐庐 连续三年亩均税收低于 persistent_low_tax_per_mu, on a parcel the firm holds of persistent_low_min_mu or more (persistent_low_land parcel) or on its net land (net): true, false, or NULL (undecided: this year meets it, an earlier year is not evaluated or has no per-mu tax)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.still_below_3y IS
  '金东 自有用地 still_below_min_mu 亩以上三年未上规, on own land (still_below_land own: held_mu) or net land (net): true, false, or NULL (undecided: this year meets it, an earlier year is not evaluated)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.capacity_doubling_candidate IS
  '金东 产能倍增: grade B or better, revenue ≥ doubling_min_revenue or tax ≥ doubling_min_tax, and 土地利用率 ≥ doubling_min_land_use_rate; NULL when only the rate is missing';

CREATE OR REPLACE VIEW parcel_gov.v_parcel_efficiency WITH (security_invoker = true) AS
SELECT p.fid * 10000 + ys.year AS fid, p.code::text AS code, ys.year, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool::text AS pool, parcel_gov.pool_label(h.pool, h.rule_set_id) AS pool_label,
       h.grade::text AS grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(u.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       k.kinds::text[] AS kinds, array_to_string(k.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(k.kinds) AS kind_labels, array_to_string(parcel_gov.label(k.kinds), '、') AS kind_labels_text,
       k.batch::text AS batch, parcel_gov.label(k.batch) AS batch_label,
       r.state::text AS register_state, parcel_gov.label(r.state) AS register_state_label,
       p.geom, p.lon, p.lat, r.route::text AS route, parcel_gov.label(r.route) AS route_label
FROM parcel_gov.parcel p
JOIN parcel_gov.evaluation_summary ys ON ys.region_code = p.region_code
-- one row each, looked up by key (LIMIT 1 keeps the planner from hashing whole tables)
LEFT JOIN LATERAL (SELECT e.uscc, e.pool, e.grade, e.area_mu, e.tax_per_mu, e.va_per_mu, e.rule_set_id
                   FROM parcel_gov.evaluation e WHERE e.year = ys.year AND e.uscc = p.holder_uscc LIMIT 1) AS h ON true
LEFT JOIN LATERAL (SELECT fy.backward_capacity, fy.prohibited_industry, fy.scattered_polluting
                   FROM parcel_gov.enterprise_year fy WHERE fy.year = ys.year AND fy.uscc = p.holder_uscc LIMIT 1) AS fy ON true
LEFT JOIN LATERAL (SELECT e.name FROM parcel_gov.enterprise e WHERE e.uscc = p.holder_uscc LIMIT 1) AS f ON true
LEFT JOIN LATERAL (SELECT r.state, r.route FROM parcel_gov.register r WHERE r.parcel_code = p.code LIMIT 1) AS r ON true
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
-- view out of parallel plans): the parcel's own (persistent_low_land
-- 'parcel', the plan's 地块) or its holder's on its net land ('net')
CROSS JOIN LATERAL (
    SELECT CASE WHEN rs.persistent_low_land = 'parcel'
                THEN p.area_mu >= rs.persistent_low_min_mu AND u.tax_per_mu < rs.persistent_low_tax_per_mu
                ELSE h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu END
             AS this_year
) AS cand
LEFT JOIN LATERAL (
    SELECT max(e.tax_per_mu) AS worst
    FROM parcel_gov.evaluation e
    WHERE rs.persistent_low_land = 'net' AND cand.this_year
      AND e.year IN (ys.year - 1, ys.year - 2) AND e.uscc = p.holder_uscc
    HAVING count(e.tax_per_mu) = 2
    UNION ALL
    SELECT greatest(t.prev, t.prev2)
    FROM (SELECT parcel_gov.parcel_tax_per_mu(p.code, ys.year - 1) AS prev,
                 parcel_gov.parcel_tax_per_mu(p.code, ys.year - 2) AS prev2
          WHERE rs.persistent_low_land = 'parcel' AND cand.this_year) AS t
    WHERE t.prev IS NOT NULL AND t.prev2 IS NOT NULL
) AS before ON true
-- 问题清单: an open issue past its deadline, of a department whose overdue
-- issues the rule set sends to 关停退出 (looked up as the engine does)
LEFT JOIN LATERAL (
    SELECT true AS overdue
    FROM parcel_gov.issue i
    JOIN parcel_gov.rule_issue ri ON ri.rule_set_id = rs.id AND ri.department = i.department AND ri.shutdown_when_overdue
    WHERE i.parcel_code = p.code AND i.closed IS NULL AND i.deadline < current_date
    LIMIT 1
) AS iss ON true
CROSS JOIN LATERAL (
    SELECT kk.kinds,
           parcel_gov.four_batch(kk.kinds, fy.backward_capacity, p.fails_acceptance OR iss.overdue, p.plan_conforming,
                                 p.planned_industrial, p.building_condition,
                                 rs.scattered_polluting_batch, rs.collective_industrial_batch) AS batch
    FROM (SELECT parcel_gov.low_efficiency_kinds(
                   u.tax_per_mu, rp.low_tax_per_mu,
                   cand.this_year AND before.worst < rs.persistent_low_tax_per_mu,
                   h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
                   fy.prohibited_industry, fy.scattered_polluting, p.code, p.land_procedures_legal) AS kinds
          OFFSET 0) AS kk    -- computed once, for the kinds and the batch
) AS k;
COMMENT ON VIEW parcel_gov.v_parcel_efficiency IS
  '宗地亩均效益: each parcel in each evaluated year: 亩均税收 and 亩均增加值 of the firms using it (holder and lessees, by area used), the holder''s grade, tax tier (the rule set''s tiers), 低效类型 (kinds), 四个一批 (batch), register state and disposal route (处置路径), geometry and lon/lat; the kinds and batch the register''s sync records';

-- A tier lever under a rule set's reading of a figure on a bound: where 以下
-- includes the bound (tax_tier_includes_bound), reaching it is not leaving
-- the tier, so the lever takes one more cent (or hundredth of a mu).
CREATE FUNCTION parcel_gov.tier_lever(lever text, amount double precision, area_mu double precision,
                                      bound double precision, includes_bound boolean)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN NOT includes_bound OR NOT area_mu > 0
            THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound)
            WHEN lever = 'tax' AND (amount + parcel_gov.per_mu_lever(lever, amount, area_mu, bound)) / area_mu <= bound
            THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound) + 0.01
            WHEN lever = 'land' AND amount / (area_mu - parcel_gov.per_mu_lever(lever, amount, area_mu, bound)) <= bound
            THEN CASE WHEN area_mu - parcel_gov.per_mu_lever(lever, amount, area_mu, bound) > 0.01
                      THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound) + 0.01 END
            ELSE parcel_gov.per_mu_lever(lever, amount, area_mu, bound) END;
COMMENT ON FUNCTION parcel_gov.tier_lever(text, double precision, double precision, double precision, boolean) IS
  '一企一策 tier lever under a rule set''s reading: per_mu_lever to the bound, or, when includes_bound (以下 includes the bound), the least amount that takes the per-mu figure above it (one more cent or hundredth of a mu); NULL when no amount can';

CREATE OR REPLACE VIEW parcel_gov.v_firm_plan WITH (security_invoker = true) AS
SELECT i.id AS fid, i.year, i.uscc, f.name, i.region_code, rg.name AS region_name,
       i.pool::text AS pool,
       parcel_gov.pool_label(i.pool, (SELECT e.rule_set_id FROM parcel_gov.evaluation e WHERE e.id = i.id)) AS pool_label,
       i.industry_group,
       i.grade::text AS grade, parcel_gov.label(i.grade) AS grade_label,
       i.next_grade::text AS next_grade, parcel_gov.label(i.next_grade) AS next_grade_label,
       i.score, i.next_grade_score, greatest(i.next_grade_score - i.score, 0) AS score_gap,
       parcel_gov.score_lever('tax', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS tax_needed,
       parcel_gov.score_lever('value_added', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring,
                              i.scores, i.bonus, i.deduction, i.rental_deduction) AS va_needed,
       parcel_gov.score_lever('land', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS land_to_release_mu,
       i.area_mu, i.tax, i.tax_per_mu,
       parcel_gov.tax_tier(i.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(i.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       -- the columns keep the default's numbers in their names; the bounds are the rule set's
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[1],
                             rs.tax_tier_includes_bound) AS tax_needed_5,
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[2],
                             rs.tax_tier_includes_bound) AS tax_needed_10,
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[3],
                             rs.tax_tier_includes_bound) AS tax_needed_15,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[1],
                             rs.tax_tier_includes_bound) AS land_to_release_5,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[2],
                             rs.tax_tier_includes_bound) AS land_to_release_10,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[3],
                             rs.tax_tier_includes_bound) AS land_to_release_15,
       i.land_floor_mu, i.va_scored, i.veto_reason
FROM parcel_gov.firm_plan_inputs() AS i
JOIN parcel_gov.enterprise f ON f.uscc = i.uscc
-- the evaluation's rule set, for its tax tiers
LEFT JOIN parcel_gov.evaluation ev ON ev.id = i.id
LEFT JOIN parcel_gov.rule_set rs ON rs.id = ev.rule_set_id
LEFT JOIN parcel_gov.region rg ON rg.code = i.region_code;
COMMENT ON VIEW parcel_gov.v_firm_plan IS
  '一企一策 firm plans: every graded firm below the top grade, per year: the next better grade in its ranking group, the score that holds it, and what alone would reach it: more tax (tax_needed, 万元), more value added (va_needed, 万元) or land given back (land_to_release_mu, 亩; NULL when none can); and the tax or land to reach each of the rule set''s tax tier bounds (tax_tier_bounds, 5/10/15 万元/亩 by default: the columns _5, _10, _15 are the first, second and third bound; where 以下 includes the bound, one cent more leaves the tier). The pool''s benchmarks, its mean scores given for missing figures and the other firms'' scores are held as evaluated; each lever passes through every indicator it feeds, with the rule''s weights, caps and missing-figure scores; amounts are the least whole cents or hundredths of a mu';
COMMENT ON COLUMN parcel_gov.v_firm_plan.fid IS '编号: the evaluation row''s id (a key for GIS and BI tools)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade IS '初评等级: the grade by rank in the pool (before a veto)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade_label IS '初评等级名称: the grade by rank in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade IS '目标等级: the next better grade some firm of the ranking group holds';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_label IS '目标等级名称: the next better grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_score IS '升档分数线: the lowest score holding the next grade in the ranking group that year (reaching it is enough: ties share the better grade)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score_gap IS '分差: points short of the next grade';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed IS '需增税收 (万元): extra tax that alone reaches the next grade (tax feeds 亩均税收 and 单位电耗税收); NULL when no amount can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_needed IS '需增增加值 (万元): extra value added that alone reaches the next grade (feeds 亩均增加值, 全员劳动生产率, 单位能耗/排放增加值); NULL where value added is not scored or cannot reach it';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_mu IS '需退出用地 (亩): land to lease out or give back that alone reaches the next grade (raises every per-mu indicator; the firm keeps its pool''s land floor); NULL when no amount of land can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_5 IS '至第一档线需增税收 (万元): extra tax to reach the rule set''s first tax tier bound (5 万元/亩 by default) on the current land (0 when there)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_10 IS '至第二档线需增税收 (万元): extra tax to reach the rule set''s second tax tier bound (10 万元/亩 by default) on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_15 IS '至第三档线需增税收 (万元): extra tax to reach the rule set''s third tax tier bound (15 万元/亩 by default) on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_5 IS '至第一档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s first tax tier bound (5 万元/亩 by default); NULL without tax';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_10 IS '至第二档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s second tax tier bound (10 万元/亩 by default)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_15 IS '至第三档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s third tax tier bound (15 万元/亩 by default)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_scored IS '考核增加值: value added feeds a scored indicator of the pool (else va_needed is NULL)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_floor_mu IS '参评用地下限 (亩): the pool''s land floor, which land given back may not cross';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score IS '综合得分: the score of the evaluation';

CREATE OR REPLACE FUNCTION parcel_gov.firm_plan(uscc text, year integer DEFAULT NULL)
    RETURNS TABLE (section text, item text, value double precision, reference double precision, unit text,
                   sentence text, sentence_en text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firm constant text := firm_plan.uscc;
    y integer := firm_plan.year;
    e record;
    p record;
    next_text text;
BEGIN
    IF firm IS NULL THEN
        RAISE EXCEPTION 'firm_plan needs a firm''s code' USING ERRCODE = '22004',
            HINT = 'e.g. firm_plan(''91330604MA2C00089F'', 2024).';
    END IF;
    IF y IS NULL THEN
        SELECT max(v.year) INTO y FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm;
    END IF;
    SELECT * INTO e FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm AND v.year = y;
    IF NOT FOUND THEN
        -- another county's firm is as absent as one that does not exist
        RAISE EXCEPTION 'no evaluation of firm % in %', firm, coalesce(y::text, 'any year') USING ERRCODE = '22023',
            HINT = 'SELECT uscc, year FROM parcel_gov.v_enterprise_evaluation lists the firms and years you may see.';
    END IF;
    SELECT * INTO p FROM parcel_gov.v_firm_plan v WHERE v.uscc = firm AND v.year = y AND v.region_code = e.region_code;

    -- where it stands
    IF e.grade_initial IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', NULL::float8, NULL::float8, NULL::text,
            format('%s 年未参评：%s', y, e.not_graded), format('Not graded in %s: %s', y, e.not_graded);
    ELSIF p IS NULL OR p.next_grade IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', e.score, NULL::float8, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s），分组内无更高等级可升。', y, round(e.score::numeric, 2),
                   e.grade_initial, e.grade_initial_label),
            format('Score %s in %s, grade %s: no better grade to reach in its pool.', round(e.score::numeric, 2), y,
                   e.grade_initial);
    ELSE
        next_text := format('%s 类（%s）', p.next_grade, p.next_grade_label);
        RETURN QUERY SELECT 'standing', 'grade', p.score, p.next_grade_score, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s）；升至 %s需 %s 分，差 %s 分。', y, round(p.score::numeric, 2),
                   p.grade, p.grade_label, next_text, round(p.next_grade_score::numeric, 2),
                   parcel_gov.plan_amount(p.score_gap)),
            format('Score %s in %s, grade %s; grade %s needs %s: %s points short.', round(p.score::numeric, 2), y,
                   p.grade, p.next_grade, round(p.next_grade_score::numeric, 2), parcel_gov.plan_amount(p.score_gap));
        IF e.veto_reason IS NOT NULL THEN
            RETURN QUERY SELECT 'standing', 'veto', NULL::float8, NULL::float8, NULL::text,
                format('一票否决（%s）：最终等级为 D 类，须先消除否决事项。', e.veto_reason),
                format('Vetoed (%s): the final grade is D until the veto is lifted.', e.veto_reason);
        END IF;
        -- each lever alone, then the three in one sentence
        RETURN QUERY SELECT 'lever', 'tax', p.tax_needed, NULL::float8, '万元',
            CASE WHEN p.tax_needed IS NULL THEN format('仅增加税收无法升至 %s。', next_text)
                 ELSE format('再缴税 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.tax_needed), next_text) END,
            CASE WHEN p.tax_needed IS NULL THEN format('No amount of tax alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more tax alone lifts it to grade %s.', parcel_gov.plan_amount(p.tax_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'value_added', p.va_needed, NULL::float8, '万元',
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN '本分组不考核工业增加值。'
                 WHEN p.va_needed IS NULL THEN format('仅增加工业增加值无法升至 %s。', next_text)
                 ELSE format('工业增加值再增 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.va_needed), next_text) END,
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN 'Value added is not scored in this pool.'
                 WHEN p.va_needed IS NULL THEN format('No amount of value added alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more value added alone lifts it to grade %s.', parcel_gov.plan_amount(p.va_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'land', p.land_to_release_mu, p.area_mu, '亩',
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('退出用地无法升至 %s（须保留参评下限 %s 亩）。', next_text, p.land_floor_mu)
                 ELSE format('退出（出租或交回）用地 %s 亩，可升至 %s。', parcel_gov.plan_amount(p.land_to_release_mu),
                             next_text) END,
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('No land given back lifts it to grade %s (it keeps at least %s mu).', p.next_grade,
                             p.land_floor_mu)
                 ELSE format('Giving back %s mu (leased out or returned) alone lifts it to grade %s.',
                             parcel_gov.plan_amount(p.land_to_release_mu), p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'any', NULL::float8, NULL::float8, NULL::text,
            concat_ws('，或', '再缴税 ' || parcel_gov.plan_amount(p.tax_needed) || ' 万元',
                      '工业增加值再增 ' || parcel_gov.plan_amount(p.va_needed) || ' 万元',
                      '退出 ' || parcel_gov.plan_amount(p.land_to_release_mu) || ' 亩')
              || format('，可升至 %s。', next_text),
            concat_ws(', or ', parcel_gov.plan_amount(p.tax_needed) || ' 万元 more tax',
                      parcel_gov.plan_amount(p.va_needed) || ' 万元 more value added',
                      parcel_gov.plan_amount(p.land_to_release_mu) || ' mu given back')
              || format(' lifts it to grade %s.', p.next_grade)
        WHERE num_nonnulls(p.tax_needed, p.va_needed, p.land_to_release_mu) > 0;
    END IF;

    -- the tax tiers still above it
    RETURN QUERY
    SELECT 'tier', t.bound::text, l.tax, l.land, '万元 / 亩',
           format('亩均税收%s %s 万元/亩：再缴税 %s 万元', CASE WHEN rs.tax_tier_includes_bound THEN '超过' ELSE '达到' END,
                  t.bound, parcel_gov.plan_amount(l.tax))
             || coalesce(format('，或退出 %s 亩', parcel_gov.plan_amount(l.land)), '') || '。',
           format('To %s %s 万元/亩: %s 万元 more tax', CASE WHEN rs.tax_tier_includes_bound THEN 'rise above' ELSE 'reach' END,
                  t.bound, parcel_gov.plan_amount(l.tax))
             || coalesce(format(', or %s mu given back', parcel_gov.plan_amount(l.land)), '') || '.'
    FROM parcel_gov.rule_set rs
    -- the rule set's tiers still above it (a figure on a bound that 以下 includes is still under it)
    CROSS JOIN unnest(rs.tax_tier_bounds) AS t (bound)
    CROSS JOIN LATERAL (SELECT parcel_gov.tier_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound,
                                                     rs.tax_tier_includes_bound) AS tax,
                               parcel_gov.tier_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound,
                                                     rs.tax_tier_includes_bound) AS land) AS l
    WHERE rs.id = e.rule_set_id AND e.area_mu > 0
      AND (coalesce(e.tax_per_mu, 0) < t.bound OR (rs.tax_tier_includes_bound AND e.tax_per_mu = t.bound))
    ORDER BY t.bound;

    -- the indicators against the pool's benchmarks
    RETURN QUERY
    SELECT 'indicator', ri.indicator::text, (to_jsonb(e) ->> ri.indicator::text)::float8, b.benchmark, u.unit,
           format('%s %s，基准 %s，得 %s / %s 分', parcel_gov.label(ri.indicator),
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), '无数据'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight),
           format('%s %s against a benchmark of %s: %s of %s points', ri.indicator,
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), 'no figure'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight)
    FROM parcel_gov.rule_indicator ri
    LEFT JOIN parcel_gov.evaluation_benchmark b
           ON b.year = y AND b.region_code = e.region_code AND b.pool::text = e.pool
          AND b.rule_set_id = e.rule_set_id AND b.indicator = ri.indicator
    CROSS JOIN LATERAL (SELECT CASE WHEN ri.indicator::text LIKE '%per_mu' THEN '万元/亩'
                                    WHEN ri.indicator = 'labour_productivity' THEN '万元/人'
                                    WHEN ri.indicator = 'va_per_energy' THEN '万元/吨标煤'
                                    WHEN ri.indicator = 'va_per_emission' THEN '万元/吨'
                                    WHEN ri.indicator IN ('tax_per_kwh', 'revenue_per_kwh') THEN '万元/千瓦时'
                                    WHEN ri.indicator IN ('va_per_water', 'va_per_cod') THEN '万元/吨'
                                    ELSE '' END AS unit) AS u
    WHERE ri.rule_set_id = e.rule_set_id AND ri.pool::text = e.pool
    ORDER BY ri.indicator;

    -- the years evaluated
    RETURN QUERY
    SELECT 'trend', v.year::text, v.score, v.tax_per_mu, '分 / 万元每亩',
           format('%s 年：%s，得分 %s，亩均税收 %s 万元/亩', v.year,
                  coalesce(v.grade || ' 类', '未参评'), coalesce(round(v.score::numeric, 2)::text, '—'),
                  coalesce(round(v.tax_per_mu::numeric, 2)::text, '—')),
           format('%s: %s, score %s, tax per mu %s 万元', v.year, coalesce('grade ' || v.grade, 'not graded'),
                  coalesce(round(v.score::numeric, 2)::text, '—'), coalesce(round(v.tax_per_mu::numeric, 2)::text, '—'))
    FROM parcel_gov.v_enterprise_evaluation v
    WHERE v.uscc = firm
    ORDER BY v.year;
END $$;

CREATE OR REPLACE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name,
       w.pool::text AS pool, w.pool_label,
       w.grade::text AS grade, parcel_gov.label(w.grade) AS grade_label,
       w.grade_prev::text AS grade_prev, parcel_gov.label(w.grade_prev) AS grade_prev_label,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END,
                          CASE WHEN w.quarter_falling THEN 'quarter_falling' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END, CASE WHEN w.quarter_falling THEN '季度连续下降' END) AS reason_labels,
       w.quarter, w.quarter_grade::text AS quarter_grade, parcel_gov.label(w.quarter_grade) AS quarter_grade_label,
       w.quarter_score, w.quarter_grade_prev::text AS quarter_grade_prev,
       parcel_gov.label(w.quarter_grade_prev) AS quarter_grade_prev_label, w.quarter_score_prev, w.quarter_falling
FROM (
    SELECT coalesce(e.id, -q.id) AS fid, coalesce(e.year, q.year) AS year, coalesce(e.uscc, q.uscc)::text AS uscc,
           f.name, coalesce(e.region_code, q.region_code) AS region_code, rg.name AS region_name,
           coalesce(e.pool, q.pool) AS pool,
           parcel_gov.pool_label(coalesce(e.pool, q.pool), coalesce(e.rule_set_id, q.rule_set_id)) AS pool_label,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) = 2, false)
             AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped,
           q.quarter, q.grade AS quarter_grade, q.score AS quarter_score, q.grade_prev AS quarter_grade_prev,
           q.score_prev AS quarter_score_prev, coalesce(q.fell AND q.fell_before, false) AS quarter_falling
    FROM parcel_gov.evaluation e
    FULL JOIN (
        -- each firm's latest quarter of a year, beside the two before it
        SELECT DISTINCT ON (q0.uscc, q0.year) q0.id, q0.year, q0.uscc, q0.region_code, q0.pool, q0.rule_set_id, q0.quarter,
               q0.grade, q0.score, q1.grade AS grade_prev, q1.score AS score_prev,
               q0.grade > q1.grade OR (q0.grade = q1.grade AND q0.score < q1.score) AS fell,
               q1.grade > q2.grade OR (q1.grade = q2.grade AND q1.score < q2.score) AS fell_before
        FROM parcel_gov.evaluation_quarter q0
        LEFT JOIN parcel_gov.evaluation_quarter q1 ON q1.year = q0.year AND q1.quarter = q0.quarter - 1 AND q1.uscc = q0.uscc
        LEFT JOIN parcel_gov.evaluation_quarter q2 ON q2.year = q0.year AND q2.quarter = q0.quarter - 2 AND q2.uscc = q0.uscc
        ORDER BY q0.uscc, q0.year, q0.quarter DESC
    ) AS q ON q.year = e.year AND q.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = coalesce(e.uscc, q.uscc)
    LEFT JOIN parcel_gov.region rg ON rg.code = coalesce(e.region_code, q.region_code)
) AS w
WHERE w.falling OR w.near_line OR w.dropped OR w.quarter_falling;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, whose grade dropped, or whose quarterly grade or score fell two quarters running (季评价, before the year closes); one row per firm and year with the reasons';

-- the view columns whose words changed (install/95_view_comments.sql)
DO $$
DECLARE
    c text;
BEGIN
    FOR c IN
        SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', n.nspname, cl.relname, a.attname, w.words)
        FROM (VALUES ('tax_tier', '亩均税收分档: 1 重点排查, 2 重点检查, 3 重点指导, 0 达标, by the rule set''s tax_tier_bounds (5/10/15 万元/亩 by default) and its reading of a figure on a bound'),
                     ('tier_0', '达标企业数: firms at or above the rule set''s last tax tier bound (≥ 15 万元/亩 by default)'),
                     ('tier_1', '重点排查企业数: firms below the rule set''s first tax tier bound (< 5 万元/亩 by default)'),
                     ('tier_2', '重点检查企业数: firms in the rule set''s second tax tier (5–10 万元/亩 by default)'),
                     ('tier_3', '重点指导企业数: firms in the rule set''s third tax tier (10–15 万元/亩 by default)')) AS w (name, words)
        JOIN pg_attribute a ON a.attname = w.name AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_class cl ON cl.oid = a.attrelid AND cl.relkind = 'v'
        JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'parcel_gov'
    LOOP
        EXECUTE c;
    END LOOP;
END $$;

-- A built-in rule set's issue rules (shangyu_2022's among them) are shipped
-- data, read-only as its other rule tables are: pg_dump leaves them out, so a
-- change would be lost (install/89_issues.sql).
CREATE TRIGGER rule_issue_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_issue
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();

-- ---- parcel_tile(): features in fid order, so the same tile is the same
-- bytes whatever plan the query takes (tile caches and ETags compare bytes).
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
    ), tile_parcels AS MATERIALIZED (
        SELECT v.*, ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.tile, 4096, 64, true) AS tile_geom
        FROM parcel_gov.v_parcel_efficiency v, bounds b, request q
        WHERE v.geom && b.search AND v.year = q.year AND starts_with(v.region_code, q.prefix)
    )
    SELECT coalesce((
        -- features in fid order: the same tile is the same bytes whatever the
        -- plan (tile caches and ETags compare bytes)
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid' ORDER BY f.fid)
        FROM (
            -- plain strings: the kinds joined (a tile has no arrays); the
            -- holder's plan (一企一策) computed for the tile's holders only,
            -- their counties and the year reaching firm_plan_inputs as parameters
            SELECT t.fid, t.code, t.year, t.region_code, t.holder_uscc,
                   t.holder_name, t.area_mu, t.tax_per_mu, t.va_per_mu, t.grade, t.grade_label,
                   t.tax_tier, t.kinds_text AS kinds, t.kind_labels_text AS kind_labels, t.batch,
                   t.batch_label, t.register_state, t.register_state_label,
                   i.next_grade::text AS next_grade, parcel_gov.label(i.next_grade) AS next_grade_label,
                   parcel_gov.score_lever('tax', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring,
                                          i.scores, i.bonus, i.deduction, i.rental_deduction) AS tax_needed,
                   t.tile_geom AS geom
            FROM tile_parcels t
            LEFT JOIN parcel_gov.firm_plan_inputs() i
                   ON i.uscc = t.holder_uscc AND i.year = (SELECT r.year FROM request r)
                  AND i.region_code = ANY (ARRAY(SELECT DISTINCT e.region_code FROM tile_parcels h
                                                 JOIN parcel_gov.enterprise e ON e.uscc = h.holder_uscc))
            WHERE t.tile_geom IS NOT NULL
        ) AS f), '\x'::bytea);
END;
