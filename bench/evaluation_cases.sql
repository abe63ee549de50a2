-- bench/evaluation_cases.sql: evaluate(year) for the whole province against
-- plain SQL doing the same work on the same tables, as a county analyst would
-- write it under the default rules: CTEs, sum(), rank() and count(); the
-- year's results rewritten in a table shaped as evaluation (same columns,
-- keys and indexes), and the register brought in line, with its history.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\o /dev/null

-- The years before are evaluated once, untimed: the register and the 桐庐
-- rule (three years under the line) have a history to work with.
SELECT parcel_gov.evaluate(2022);
SELECT parcel_gov.evaluate(2023);
SELECT parcel_gov.evaluate(2024);

-- The reference's own tables, as evaluate() has them, from the same start.
CREATE TABLE bench.plain_evaluation (LIKE parcel_gov.evaluation INCLUDING ALL);
INSERT INTO bench.plain_evaluation OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.evaluation WHERE year < 2024;
CREATE TABLE bench.plain_register (LIKE parcel_gov.register INCLUDING ALL);
INSERT INTO bench.plain_register OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.register;
CREATE TABLE bench.plain_register_event (LIKE parcel_gov.register_event INCLUDING ALL);
INSERT INTO bench.plain_register_event OVERRIDING SYSTEM VALUE SELECT * FROM parcel_gov.register_event;
SELECT setval(pg_get_serial_sequence('bench.plain_evaluation', 'id'), (SELECT max(id) FROM parcel_gov.evaluation)),
       setval(pg_get_serial_sequence('bench.plain_register', 'fid'), (SELECT max(fid) FROM parcel_gov.register)),
       setval(pg_get_serial_sequence('bench.plain_register_event', 'id'), (SELECT max(id) FROM parcel_gov.register_event));
VACUUM ANALYZE bench.plain_evaluation, bench.plain_register, bench.plain_register_event,
               parcel_gov.evaluation, parcel_gov.register;

-- A parcel's kinds under the default rules, as an analyst writes them: low per-mu
-- tax (规上 6, 规下 3 万元/亩, or 桐庐: the parcel (persistent_low_land
-- 'parcel', the default since 1.11.0) of ≥ 20 mu with its 亩均税收 under 3 this
-- year and the two before: area is the parcel's area_mu, tax, tax1, tax2 the
-- parcel's 亩均税收 of year, year − 1, year − 2), grade D, the land status,
-- 占工非工 since 1999, prohibited industry; in kind order.
CREATE FUNCTION bench.plain_kinds(parcel_tax float8, pool text, area float8, tax float8, tax1 float8, tax2 float8,
                                  grade text, land_status text, supply_date date, actual_industrial boolean,
                                  prohibited boolean)
RETURNS parcel_gov.low_efficiency_kind[] LANGUAGE sql IMMUTABLE
RETURN array_remove(ARRAY[
         CASE WHEN parcel_tax < CASE pool WHEN 'above' THEN 6 WHEN 'below' THEN 3 END
                OR (area >= 20 AND tax < 3 AND tax1 < 3 AND tax2 < 3) THEN 'low_per_mu' END,
         CASE WHEN grade = 'D' THEN 'grade_d' END,
         CASE WHEN land_status <> 'normal' THEN land_status END,
         CASE WHEN supply_date >= '1999-01-01' AND NOT actual_industrial THEN 'non_industrial' END,
         CASE WHEN prohibited THEN 'prohibited_industry' END], NULL)::parcel_gov.low_efficiency_kind[];

-- max(0, x) that keeps NULL (greatest() would turn it into 0)
CREATE FUNCTION bench.floor0(x float8) RETURNS float8 LANGUAGE sql IMMUTABLE
RETURN CASE WHEN x < 0 THEN 0 ELSE x END;

CREATE FUNCTION bench.plain_evaluate(y integer) RETURNS bigint LANGUAGE sql AS $q$
DELETE FROM bench.plain_evaluation WHERE year = y;
INSERT INTO bench.plain_evaluation (
    year, uscc, region_code, rule_set_id, pool, industry_group, held_mu, leased_out_mu, leased_in_mu, area_mu,
    tax, value_added, revenue, tax_per_mu, va_per_mu, revenue_per_mu, labour_productivity, va_per_energy,
    va_per_emission, rd_intensity, tax_per_kwh, score_tax_per_mu, score_va_per_mu, score_revenue_per_mu,
    score_labour_productivity, score_va_per_energy, score_va_per_emission, score_rd_intensity, score_tax_per_kwh,
    bonus, deduction, rental_deduction, score, rank, pool_size, grade_initial, grade, not_graded, veto_reason,
    evaluated_at)
WITH firm AS (
    SELECT e.uscc, e.region_code, f.size_class AS pool, f.tax, f.value_added, f.revenue, f.rd_expense,
           f.staff, f.energy_tce, f.emission_t, f.electricity_kwh, f.exempt_reason, f.veto_reason, f.bonus, f.deduction
    FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
    WHERE f.year = y
), held AS (
    SELECT holder_uscc AS uscc, sum(area_mu) AS mu FROM parcel_gov.parcel WHERE holder_uscc IS NOT NULL GROUP BY 1
), leased_out AS (
    SELECT p.holder_uscc AS uscc, sum(l.area_mu) AS mu
    FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
    WHERE l.during && daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1)) GROUP BY 1
), leased_in AS (
    SELECT lessee_uscc AS uscc, sum(area_mu) AS mu FROM parcel_gov.lease
    WHERE during && daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1)) GROUP BY 1
), net AS (
    SELECT f.*, coalesce(h.mu, 0) AS held_mu, coalesce(o.mu, 0) AS out_mu, coalesce(i.mu, 0) AS in_mu,
           coalesce(h.mu, 0) - coalesce(o.mu, 0) + coalesce(i.mu, 0) AS area
    FROM firm f LEFT JOIN held h ON h.uscc = f.uscc LEFT JOIN leased_out o ON o.uscc = f.uscc
    LEFT JOIN leased_in i ON i.uscc = f.uscc
), judged AS (
    SELECT n.*,
           CASE WHEN n.area <= 0 THEN 'no land'
                WHEN n.exempt_reason IS NOT NULL THEN 'exempt (T): ' || n.exempt_reason
                WHEN n.pool = 'below' AND n.area < 3
                  THEN format('under the land floor: %s < %s mu', round(n.area::numeric, 2), 3) END AS not_graded,
           CASE WHEN n.area > 0 THEN n.tax / n.area END AS tax_per_mu,
           CASE WHEN n.area > 0 THEN n.value_added / n.area END AS va_per_mu,
           CASE WHEN n.area > 0 THEN n.revenue / n.area END AS revenue_per_mu,
           n.value_added / nullif(n.staff, 0) AS labour_productivity,
           n.value_added / nullif(n.energy_tce, 0) AS va_per_energy,
           n.value_added / nullif(n.emission_t, 0) AS va_per_emission,
           n.rd_expense / nullif(n.revenue, 0) AS rd_intensity,
           n.tax / nullif(n.electricity_kwh, 0) AS tax_per_kwh
    FROM net n
), benchmarks AS (
    SELECT region_code, pool,
      sum(tax) FILTER (WHERE tax IS NOT NULL) / nullif(sum(area) FILTER (WHERE tax IS NOT NULL), 0) AS b_tax,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL)
        / nullif(sum(area) FILTER (WHERE value_added IS NOT NULL), 0) AS b_va,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL AND energy_tce <> 0)
        / nullif(sum(energy_tce) FILTER (WHERE value_added IS NOT NULL AND energy_tce <> 0), 0) AS b_energy,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL AND emission_t <> 0)
        / nullif(sum(emission_t) FILTER (WHERE value_added IS NOT NULL AND emission_t <> 0), 0) AS b_emission,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL AND staff <> 0)
        / nullif(sum(staff) FILTER (WHERE value_added IS NOT NULL AND staff <> 0), 0) AS b_labour,
      sum(rd_expense) FILTER (WHERE rd_expense IS NOT NULL AND revenue <> 0)
        / nullif(sum(revenue) FILTER (WHERE rd_expense IS NOT NULL AND revenue <> 0), 0) AS b_rd,
      sum(tax) FILTER (WHERE tax IS NOT NULL AND electricity_kwh <> 0)
        / nullif(sum(electricity_kwh) FILTER (WHERE tax IS NOT NULL AND electricity_kwh <> 0), 0) AS b_kwh
    FROM judged WHERE not_graded IS NULL GROUP BY 1, 2
), own_scores AS (
    -- the default rule: 规上 30/20/10/20/10/10, 规下 50/50; each indicator over its benchmark
    SELECT j.*,
           CASE WHEN b.b_tax > 0 THEN CASE j.pool WHEN 'above' THEN 30 ELSE 50 END * bench.floor0(j.tax_per_mu / b.b_tax) END AS r_tax,
           CASE WHEN b.b_va > 0 THEN 20 * bench.floor0(j.va_per_mu / b.b_va) END AS r_va,
           CASE WHEN b.b_labour > 0 THEN 10 * bench.floor0(j.labour_productivity / b.b_labour) END AS r_labour,
           CASE WHEN b.b_energy > 0 THEN 20 * bench.floor0(j.va_per_energy / b.b_energy) END AS r_energy,
           CASE WHEN b.b_emission > 0 THEN 10 * bench.floor0(j.va_per_emission / b.b_emission) END AS r_emission,
           CASE WHEN b.b_rd > 0 THEN 10 * bench.floor0(j.rd_intensity / b.b_rd) END AS r_rd,
           CASE WHEN b.b_kwh > 0 THEN 50 * bench.floor0(j.tax_per_kwh / b.b_kwh) END AS r_kwh
    FROM judged j LEFT JOIN benchmarks b ON b.region_code = j.region_code AND b.pool = j.pool AND j.not_graded IS NULL
), scored AS (
    SELECT o.*,
           CASE WHEN o.not_graded IS NULL THEN coalesce(o.r_tax, 0) END AS s_tax,
           CASE WHEN o.not_graded IS NULL AND o.pool = 'above' THEN coalesce(o.r_va, 0) END AS s_va,
           CASE WHEN o.not_graded IS NULL AND o.pool = 'above' THEN coalesce(o.r_labour, 0) END AS s_labour,
           CASE WHEN o.not_graded IS NULL AND o.pool = 'above' THEN coalesce(o.r_energy, 0) END AS s_energy,
           -- a firm without emission data scores the pool's mean (黄岩)
           CASE WHEN o.not_graded IS NULL AND o.pool = 'above' THEN
             coalesce(o.r_emission, avg(o.r_emission) FILTER (WHERE o.not_graded IS NULL)
                                      OVER (PARTITION BY o.region_code, o.pool), 0) END AS s_emission,
           CASE WHEN o.not_graded IS NULL AND o.pool = 'above' THEN coalesce(o.r_rd, 0) END AS s_rd,
           CASE WHEN o.not_graded IS NULL AND o.pool = 'below' THEN coalesce(o.r_kwh, 0) END AS s_kwh
    FROM own_scores o
), totalled AS (
    SELECT s.*,
           CASE WHEN s.not_graded IS NULL THEN
             coalesce(s.s_tax, 0) + coalesce(s.s_va, 0) + coalesce(s.s_labour, 0) + coalesce(s.s_energy, 0)
             + coalesce(s.s_emission, 0) + coalesce(s.s_rd, 0) + coalesce(s.s_kwh, 0) + s.bonus - s.deduction
           END AS score
    FROM scored s
), ranked AS (
    SELECT t.*,
           CASE WHEN t.not_graded IS NULL THEN rank() OVER w END AS rnk,
           CASE WHEN t.not_graded IS NULL THEN count(*) OVER (PARTITION BY t.region_code, t.pool, t.not_graded IS NULL) END AS n
    FROM totalled t
    WINDOW w AS (PARTITION BY t.region_code, t.pool, t.not_graded IS NULL ORDER BY t.score DESC)
), graded AS (
    SELECT r.*,
           CASE WHEN r.rnk <= round(r.n * 0.20) THEN 'A' WHEN r.rnk <= round(r.n * 0.80) THEN 'B'
                WHEN r.rnk <= round(r.n * 0.95) THEN 'C' WHEN r.rnk IS NOT NULL THEN 'D' END::parcel_gov.grade AS grade_initial
    FROM ranked r
)
SELECT y, g.uscc, g.region_code, 'default', g.pool, NULL, g.held_mu, g.out_mu, g.in_mu, g.area,
       g.tax, g.value_added, g.revenue, g.tax_per_mu, g.va_per_mu, g.revenue_per_mu, g.labour_productivity,
       g.va_per_energy, g.va_per_emission, g.rd_intensity, g.tax_per_kwh,
       g.s_tax, g.s_va, NULL, g.s_labour, g.s_energy, g.s_emission, g.s_rd, g.s_kwh,
       g.bonus, g.deduction, 0, g.score, g.rnk, g.n, g.grade_initial,
       CASE WHEN g.veto_reason IS NOT NULL AND g.grade_initial IS NOT NULL THEN 'D' ELSE g.grade_initial END::parcel_gov.grade,
       g.not_graded, g.veto_reason, now()
FROM graded g;

-- The register: each parcel's kinds and batch under the default rules, new
-- candidates in, exited or rejected ones identified again, kinds updated,
-- and one history row per change, written in the same statement.
-- Each parcel's 亩均税收 of this year and the two before (桐庐 on the parcel):
-- the firms using it that year, the holder on what its leases in force do not
-- cover and each lessee on its lease, weighed by area, from their rows of that
-- year (as parcel_gov.parcel_tax_per_mu counts it); NULL when none has one.
WITH span AS (
    SELECT y - back AS year, daterange(make_date(y - back, 1, 1), make_date(y - back + 1, 1, 1)) AS s
    FROM generate_series(0, 2) AS back
), regions AS (
    SELECT DISTINCT region_code FROM bench.plain_evaluation WHERE year = y
), parcels AS (
    SELECT p.* FROM parcel_gov.parcel p JOIN regions USING (region_code)
), leases AS (
    SELECT l.parcel_code, l.lessee_uscc, l.area_mu, span.year
    FROM parcel_gov.lease l JOIN span ON l.during && span.s
), leased AS (
    SELECT parcel_code, year, sum(area_mu) AS mu FROM leases GROUP BY 1, 2
), users AS (
    SELECT p.code, span.year, p.holder_uscc AS uscc, greatest(p.area_mu - coalesce(ld.mu, 0), 0) AS area
    FROM parcels p CROSS JOIN span
    LEFT JOIN leased ld ON ld.parcel_code = p.code AND ld.year = span.year WHERE p.holder_uscc IS NOT NULL
    UNION ALL
    SELECT parcel_code, year, lessee_uscc, area_mu FROM leases
), parcel_tax AS (
    SELECT u.code, u.year,
           sum(u.area * e.tax_per_mu) / nullif(sum(u.area) FILTER (WHERE e.tax_per_mu IS NOT NULL), 0) AS tax_per_mu
    FROM users u LEFT JOIN bench.plain_evaluation e ON e.year = u.year AND e.uscc = u.uscc GROUP BY u.code, u.year
), facts AS MATERIALIZED (
    SELECT p.code, pt.tax_per_mu, h.grade, h.uscc IS NOT NULL AS holder_evaluated,
           bench.plain_kinds(pt.tax_per_mu, h.pool::text, p.area_mu, pt.tax_per_mu, pt1.tax_per_mu, pt2.tax_per_mu,
                             h.grade::text, p.land_status, p.supply_date, p.actual_industrial,
                             fy.prohibited_industry) AS kinds,
           CASE WHEN fy.prohibited_industry OR fy.backward_capacity OR p.fails_acceptance THEN 'shutdown_exit'
                WHEN NOT p.plan_conforming OR NOT p.planned_industrial THEN 'function_transform'
                WHEN p.building_condition IN ('poor', 'dilapidated') THEN 'demolish_rebuild'
                ELSE 'rectify_upgrade' END::parcel_gov.batch AS batch_if_any
    FROM parcels p
    LEFT JOIN parcel_tax pt ON pt.code = p.code AND pt.year = y
    LEFT JOIN parcel_tax pt1 ON pt1.code = p.code AND pt1.year = y - 1
    LEFT JOIN parcel_tax pt2 ON pt2.code = p.code AND pt2.year = y - 2
    LEFT JOIN bench.plain_evaluation h ON h.year = y AND h.uscc = p.holder_uscc
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.year = y AND fy.uscc = p.holder_uscc
), entered AS (
    INSERT INTO bench.plain_register (parcel_code, kinds, batch, evaluated_year, reason, evidence, step)
    SELECT f.code, f.kinds, f.batch_if_any, y, format('evaluate(%s)', y),
           jsonb_build_object('year', y, 'kinds', f.kinds, 'tax_per_mu', f.tax_per_mu, 'grade', f.grade), 1
    FROM facts f WHERE cardinality(f.kinds) > 0
      AND NOT EXISTS (SELECT FROM bench.plain_register r WHERE r.parcel_code = f.code)
    RETURNING parcel_code, NULL::parcel_gov.register_state AS from_state, state, kinds, batch, reason, evidence, step
), reentered AS (
    UPDATE bench.plain_register r
    SET state = 'candidate', previous_state = r.state, kinds = f.kinds, batch = f.batch_if_any, evaluated_year = y,
        step = r.step + 1,
        state_since = now(), entered_at = NULL, exited_at = NULL, exit_reason = NULL, clears_thresholds = NULL,
        reason = format('evaluate(%s): identified again', y),
        evidence = jsonb_build_object('year', y, 'kinds', f.kinds, 'tax_per_mu', f.tax_per_mu, 'grade', f.grade)
    FROM facts f
    WHERE r.parcel_code = f.code AND r.state IN ('exited', 'rejected') AND cardinality(f.kinds) > 0
      AND y > coalesce(r.evaluated_year, 0)
    RETURNING r.parcel_code, r.previous_state, r.state, r.kinds, r.batch, r.reason, r.evidence, r.step
), updated AS (
    UPDATE bench.plain_register r
    SET kinds = f.kinds, evaluated_year = y, previous_state = r.state, step = r.step + 1,
        clears_thresholds = CASE WHEN r.state = 'assessing'
                                 THEN CASE WHEN f.holder_evaluated THEN NOT (f.kinds && '{low_per_mu,grade_d}') END
                                 ELSE r.clears_thresholds END,
        reason = format('evaluate(%s)', y)
    FROM facts f
    WHERE r.parcel_code = f.code AND r.state NOT IN ('exited', 'rejected')
      AND (r.kinds, r.evaluated_year, r.clears_thresholds) IS DISTINCT FROM
          (f.kinds, y, CASE WHEN r.state = 'assessing'
                            THEN CASE WHEN f.holder_evaluated THEN NOT (f.kinds && '{low_per_mu,grade_d}') END
                            ELSE r.clears_thresholds END)
    RETURNING r.parcel_code, r.previous_state, r.state, r.kinds, r.batch, r.reason, r.evidence, r.step
)
-- (each change numbered: the register's step, one more per change, as its guard keeps it)
INSERT INTO bench.plain_register_event (parcel_code, from_state, to_state, kinds, batch, reason, evidence, step)
SELECT * FROM entered UNION ALL SELECT * FROM reentered UNION ALL SELECT * FROM updated;

SELECT count(grade) FROM bench.plain_evaluation WHERE year = y;
$q$;

-- The same grades (and scores to 1e-9) for every firm, and the same kinds and
-- batch for every parcel in the register.
\set same 'SELECT (SELECT count(*) > 0 AND count(*) FILTER (WHERE e.grade IS DISTINCT FROM p.grade OR e.uscc IS NULL OR p.uscc IS NULL OR abs(e.score - p.score) > 1e-9 * abs(p.score)) = 0 FROM parcel_gov.evaluation e FULL JOIN bench.plain_evaluation p ON p.year = e.year AND p.uscc = e.uscc WHERE coalesce(e.year, p.year) = 2024) AND (SELECT count(*) > 0 AND count(*) FILTER (WHERE r.kinds IS DISTINCT FROM p.kinds OR r.batch IS DISTINCT FROM p.batch OR r.state IS DISTINCT FROM p.state OR r.parcel_code IS NULL OR p.parcel_code IS NULL) = 0 FROM parcel_gov.register r FULL JOIN bench.plain_register p USING (parcel_code))'

-- 1. A rerun: what analysts do whenever rules or data might have changed.
CALL bench.compare('evaluate(2024) for the province: rerun, nothing changed', 2,
                   'SELECT parcel_gov.evaluate(2024)', 'SELECT bench.plain_evaluate(2024)', :'same', 5);
-- 2. A county corrected its figures: its pools' scores move, the rest stays.
CALL bench.compare('evaluate(2024) for the province: one county''s figures corrected', 2,
                   'SELECT parcel_gov.evaluate(2024)', 'SELECT bench.plain_evaluate(2024)', :'same', 5,
                   $s$UPDATE parcel_gov.enterprise_year f SET tax = f.tax * 1.01
                      FROM parcel_gov.enterprise e
                      WHERE e.uscc = f.uscc AND f.year = 2024 AND e.region_code = '330102' AND f.tax IS NOT NULL$s$);
\o
