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
