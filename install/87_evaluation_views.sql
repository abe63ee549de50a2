-- The views analysts and BI tools read.  security_invoker:
-- they show what the reader may see of the tables, nothing more.

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
-- still run whole in a parallel worker.  Each year's 亩均税收 is
-- parcel_tax_per_mu's, written out here: a SQL function called from another
-- is planned again on every call (5 ms a firm in v_enterprise_evaluation).
CREATE FUNCTION parcel_gov.holder_persistent_low(uscc text, year integer, min_mu double precision,
                                                 line double precision)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN bool_or(x.low) THEN true WHEN bool_or(x.low IS NULL) THEN NULL ELSE false END
    FROM parcel_gov.parcel hp
    CROSS JOIN LATERAL (
        SELECT CASE WHEN coalesce(min(t.tax) FILTER (WHERE b.back = 0) < holder_persistent_low.line, false)
                    THEN min(t.tax) FILTER (WHERE b.back = 1) < holder_persistent_low.line
                         AND min(t.tax) FILTER (WHERE b.back = 2) < holder_persistent_low.line
                    ELSE false END AS low
        FROM (VALUES (0), (1), (2)) AS b (back)
        CROSS JOIN LATERAL (
            -- the parcel's 亩均税收 in year - back, as parcel_tax_per_mu has it
            SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
                     coalesce(ls.tax_sums, '{0,0,0,0}'),
                     CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                          THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END)) AS tax
            FROM (SELECT holder_persistent_low.year - b.back AS year) AS y
            LEFT JOIN parcel_gov.evaluation h ON h.year = y.year AND h.uscc = hp.holder_uscc
            CROSS JOIN LATERAL (
                SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
                       parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
                         FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums
                FROM parcel_gov.lease l
                LEFT JOIN parcel_gov.evaluation e ON e.year = y.year AND e.uscc = l.lessee_uscc
                WHERE l.parcel_code = hp.code
                  AND l.during && daterange(make_date(y.year, 1, 1), make_date(y.year + 1, 1, 1))
            ) AS ls
            CROSS JOIN LATERAL (
                SELECT CASE WHEN hp.holder_uscc IS NOT NULL
                            THEN greatest(hp.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
            ) AS own
        ) AS t
    ) AS x
    WHERE hp.holder_uscc = holder_persistent_low.uscc AND hp.area_mu >= holder_persistent_low.min_mu;
END;
COMMENT ON FUNCTION parcel_gov.holder_persistent_low(text, integer, double precision, double precision) IS
  '桐庐 连续三年亩均税收低于 line 的地块: true when the firm holds a parcel of min_mu or more whose 亩均税收 (parcel_tax_per_mu) was under line in year and the two years before, NULL when none was but one lacks an earlier year, else false';

CREATE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
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
