-- Low-efficiency kinds and the four batches (design.md §6, src/low_efficiency.c),
-- the parcel-level view of the evaluation, and the register's yearly sync.

-- Rule data a county may set differently.
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN non_industrial_since date NOT NULL DEFAULT '1999-01-01';
COMMENT ON COLUMN parcel_gov.rule_set.non_industrial_since IS
  '占工非工: industrial land supplied on or after this date and used for non-industrial business is low-efficiency';
ALTER TABLE parcel_gov.parcel
    ADD COLUMN fails_acceptance boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN parcel_gov.parcel.fails_acceptance IS
  'cannot pass environment, fire or safety acceptance even after rectification (关停退出)';

CREATE FUNCTION parcel_gov.low_efficiency_kinds(tax_per_mu double precision, low_tax_per_mu double precision,
        persistent_low boolean, grade parcel_gov.grade, land_status text, supply_date date,
        actual_industrial boolean, non_industrial_since date, prohibited_industry boolean)
    RETURNS parcel_gov.low_efficiency_kind[]
    AS 'MODULE_PATHNAME', 'low_efficiency_kinds'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.low_efficiency_kinds(double precision, double precision, boolean, parcel_gov.grade,
        text, date, boolean, date, boolean) IS
  '低效类型 of a parcel: low_per_mu (per-mu tax under the pool''s line, or under the 桐庐 line three years running), grade_d, the 五未 statuses and idle from land_status, non_industrial (占工非工: supplied on or after the cut-off, now not industrial), prohibited_industry; empty when none';

CREATE FUNCTION parcel_gov.four_batch(kinds parcel_gov.low_efficiency_kind[], backward_capacity boolean,
        fails_acceptance boolean, plan_conforming boolean, planned_industrial boolean, building_condition text)
    RETURNS parcel_gov.batch
    AS 'MODULE_PATHNAME', 'four_batch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.four_batch(parcel_gov.low_efficiency_kind[], boolean, boolean, boolean, boolean, text) IS
  '四个一批, first match wins: 关停退出 (backward capacity, prohibited industry, fails acceptance), 功能转型 (not conforming to the plan or no longer industrial), 拆除重建 (buildings poor or dilapidated), 整治提升 (the rest); NULL without a kind';

-- Each parcel in each evaluated year: the per-mu figures of the firms using
-- it (holder for what it has not leased out, lessees for their leases), its
-- holder's grade, its kinds and batch, and its register state.
CREATE VIEW parcel_gov.v_parcel_efficiency WITH (security_invoker = true) AS
WITH years AS (
    SELECT DISTINCT e.region_code, e.year FROM parcel_gov.evaluation e
), used AS (
    SELECT u.year, u.parcel_code,
           sum(u.area_mu * e.tax_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.tax_per_mu IS NOT NULL), 0) AS tax_per_mu,
           sum(u.area_mu * e.va_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.va_per_mu IS NOT NULL), 0) AS va_per_mu
    FROM parcel_gov.v_parcel_use u
    LEFT JOIN parcel_gov.evaluation e ON e.uscc = u.uscc AND e.year = u.year
    GROUP BY u.year, u.parcel_code
)
SELECT p.fid * 10000 + y.year AS fid, p.code, y.year, p.region_code, rg.name AS region_name,
       p.holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool, h.grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu) AS tax_tier,
       k.kinds,
       parcel_gov.four_batch(k.kinds, fy.backward_capacity, p.fails_acceptance, p.plan_conforming,
                             p.planned_industrial, p.building_condition) AS batch,
       r.state AS register_state, p.geom,
       ST_X(ST_Transform(ST_PointOnSurface(p.geom), 4326)) AS lon,
       ST_Y(ST_Transform(ST_PointOnSurface(p.geom), 4326)) AS lat
FROM parcel_gov.parcel p
JOIN years y ON y.region_code = p.region_code
LEFT JOIN used u ON u.parcel_code = p.code AND u.year = y.year
LEFT JOIN parcel_gov.evaluation h ON h.uscc = p.holder_uscc AND h.year = y.year
LEFT JOIN parcel_gov.evaluation h1 ON h1.uscc = p.holder_uscc AND h1.year = y.year - 1
LEFT JOIN parcel_gov.evaluation h2 ON h2.uscc = p.holder_uscc AND h2.year = y.year - 2
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = p.holder_uscc AND fy.year = y.year
LEFT JOIN parcel_gov.rule_set rs ON rs.id = coalesce(h.rule_set_id, parcel_gov.rule_set_for(p.region_code, y.year))
LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = rs.id AND rp.pool = h.pool
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code
LEFT JOIN parcel_gov.register r ON r.parcel_code = p.code
CROSS JOIN LATERAL (
    SELECT parcel_gov.low_efficiency_kinds(
             u.tax_per_mu, rp.low_tax_per_mu,
             h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu
               AND h1.tax_per_mu < rs.persistent_low_tax_per_mu AND h2.tax_per_mu < rs.persistent_low_tax_per_mu,
             h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
             fy.prohibited_industry) AS kinds
) AS k;
COMMENT ON VIEW parcel_gov.v_parcel_efficiency IS
  '宗地亩均效益: each parcel in each evaluated year: 亩均税收 and 亩均增加值 of the firms using it (holder and lessees, by area used), the holder''s grade, tax tier, 低效类型 (kinds), 四个一批 (batch), register state, geometry and lon/lat';
