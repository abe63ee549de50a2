-- bench/lean_grades.sql: bench.lean_grades(year), the plain SQL a county
-- analyst writes to get the year's grades under the default rules, and
-- nothing more: one CREATE TABLE … AS over parcel_gov's tables (dropped
-- first), no register, no history, no indexes.  It is the other side of
-- speed_cases.sql and of growth.sh's "lean ms" column.
--
-- The default rule set (install/83_rule_presets.sql), as bench.plain_evaluate
-- (evaluation_cases.sql) has it:
--   net land = held − leased out + leased in (leases overlapping the year);
--   not graded: no land, exempt (T), 规下 under 3 mu;
--   pools: county × size class (规上 above, 规下 below), of the graded firms;
--   benchmarks: the pool's ratio of sums (firms with the figure; for the
--     per-unit indicators, firms with a non-zero denominator);
--   scores: weight × max(0, value / benchmark) (ratio_score), 0 when the
--     value or the benchmark is missing; 规上 tax/mu 30, VA/mu 20, VA/tce 20,
--     VA/t emitted 10 (missing: the pool's mean), VA/staff 10, R&D/revenue 10;
--     规下 tax/mu 50, tax/kWh 50;
--   score = the indicator scores + bonus − deduction, summed in that order
--     (the order of the engine and of plain_evaluate: ties rank alike);
--   grades by rank() in the pool: A to round(n × 0.20), B to round(n × 0.80),
--     C to round(n × 0.95), D below (numeric round: half away from zero, as
--     quota_grade); a veto makes a graded firm D.
-- The year is written into the query as an analyst writes it, not a parameter.
CREATE FUNCTION bench.lean_grades(y integer) RETURNS bigint LANGUAGE plpgsql AS $lean$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS bench.lean_%s', y);
    EXECUTE format($q$
CREATE TABLE bench.lean_%1$s AS
WITH held AS (
    SELECT holder_uscc AS uscc, sum(area_mu) AS mu FROM parcel_gov.parcel WHERE holder_uscc IS NOT NULL GROUP BY 1
), leased_out AS (
    SELECT p.holder_uscc AS uscc, sum(l.area_mu) AS mu
    FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
    WHERE l.during && daterange('%1$s-01-01', '%2$s-01-01') GROUP BY 1
), leased_in AS (
    SELECT lessee_uscc AS uscc, sum(area_mu) AS mu FROM parcel_gov.lease
    WHERE during && daterange('%1$s-01-01', '%2$s-01-01') GROUP BY 1
), firm AS (
    SELECT f.uscc, e.region_code, f.size_class AS pool, f.tax, f.value_added, f.revenue, f.rd_expense, f.staff,
           f.energy_tce, f.emission_t, f.electricity_kwh, f.veto_reason, f.bonus, f.deduction,
           coalesce(h.mu, 0) - coalesce(o.mu, 0) + coalesce(i.mu, 0) AS area, f.exempt_reason
    FROM parcel_gov.enterprise_year f
    JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
    LEFT JOIN held h ON h.uscc = f.uscc
    LEFT JOIN leased_out o ON o.uscc = f.uscc
    LEFT JOIN leased_in i ON i.uscc = f.uscc
    WHERE f.year = %1$s
), judged AS (
    SELECT f.*,
           f.area > 0 AND f.exempt_reason IS NULL AND NOT (f.pool = 'below' AND f.area < 3) AS graded,
           f.tax / nullif(f.area, 0) AS tax_per_mu,
           f.value_added / nullif(f.area, 0) AS va_per_mu,
           f.value_added / nullif(f.staff, 0) AS labour_productivity,
           f.value_added / nullif(f.energy_tce, 0) AS va_per_energy,
           f.value_added / nullif(f.emission_t, 0) AS va_per_emission,
           f.rd_expense / nullif(f.revenue, 0) AS rd_intensity,
           f.tax / nullif(f.electricity_kwh, 0) AS tax_per_kwh
    FROM firm f
), benchmark AS (
    SELECT region_code, pool,
      sum(tax) FILTER (WHERE tax IS NOT NULL) / nullif(sum(area) FILTER (WHERE tax IS NOT NULL), 0) AS b_tax,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL)
        / nullif(sum(area) FILTER (WHERE value_added IS NOT NULL), 0) AS b_va,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL AND staff <> 0)
        / nullif(sum(staff) FILTER (WHERE value_added IS NOT NULL AND staff <> 0), 0) AS b_labour,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL AND energy_tce <> 0)
        / nullif(sum(energy_tce) FILTER (WHERE value_added IS NOT NULL AND energy_tce <> 0), 0) AS b_energy,
      sum(value_added) FILTER (WHERE value_added IS NOT NULL AND emission_t <> 0)
        / nullif(sum(emission_t) FILTER (WHERE value_added IS NOT NULL AND emission_t <> 0), 0) AS b_emission,
      sum(rd_expense) FILTER (WHERE rd_expense IS NOT NULL AND revenue <> 0)
        / nullif(sum(revenue) FILTER (WHERE rd_expense IS NOT NULL AND revenue <> 0), 0) AS b_rd,
      sum(tax) FILTER (WHERE tax IS NOT NULL AND electricity_kwh <> 0)
        / nullif(sum(electricity_kwh) FILTER (WHERE tax IS NOT NULL AND electricity_kwh <> 0), 0) AS b_kwh
    FROM judged WHERE graded GROUP BY 1, 2
), ratio AS (
    -- each indicator's score (greatest() skips a NULL value: 0, as a
    -- missing value scores; the emission score stays NULL for the pool mean)
    SELECT j.uscc, j.region_code, j.pool, j.graded, j.veto_reason, j.bonus, j.deduction,
           CASE WHEN b.b_tax > 0 THEN CASE j.pool WHEN 'above' THEN 30 ELSE 50 END
                                      * greatest(0, j.tax_per_mu / b.b_tax) END AS r_tax,
           CASE WHEN b.b_va > 0 THEN 20 * greatest(0, j.va_per_mu / b.b_va) END AS r_va,
           CASE WHEN b.b_labour > 0 THEN 10 * greatest(0, j.labour_productivity / b.b_labour) END AS r_labour,
           CASE WHEN b.b_energy > 0 THEN 20 * greatest(0, j.va_per_energy / b.b_energy) END AS r_energy,
           CASE WHEN b.b_emission > 0 AND j.va_per_emission IS NOT NULL
                THEN 10 * greatest(0, j.va_per_emission / b.b_emission) END AS r_emission,
           CASE WHEN b.b_rd > 0 THEN 10 * greatest(0, j.rd_intensity / b.b_rd) END AS r_rd,
           CASE WHEN b.b_kwh > 0 THEN 50 * greatest(0, j.tax_per_kwh / b.b_kwh) END AS r_kwh
    FROM judged j
    LEFT JOIN benchmark b ON b.region_code = j.region_code AND b.pool = j.pool AND j.graded
), scored AS (
    SELECT r.uscc, r.region_code, r.pool, r.graded, r.veto_reason,
           CASE WHEN r.graded THEN
             coalesce(r.r_tax, 0)
             + CASE WHEN r.pool = 'above' THEN coalesce(r.r_va, 0) ELSE 0 END
             + CASE WHEN r.pool = 'above' THEN coalesce(r.r_labour, 0) ELSE 0 END
             + CASE WHEN r.pool = 'above' THEN coalesce(r.r_energy, 0) ELSE 0 END
             -- a 规上 firm without emission data scores the pool's mean (黄岩)
             + CASE WHEN r.pool = 'above' THEN coalesce(r.r_emission, avg(r.r_emission) OVER pool, 0) ELSE 0 END
             + CASE WHEN r.pool = 'above' THEN coalesce(r.r_rd, 0) ELSE 0 END
             + CASE WHEN r.pool = 'below' THEN coalesce(r.r_kwh, 0) ELSE 0 END
             + r.bonus - r.deduction
           END AS score
    FROM ratio r
    WINDOW pool AS (PARTITION BY r.region_code, r.pool, r.graded)
), ranked AS (
    SELECT s.*, rank() OVER w AS rnk, count(*) OVER (PARTITION BY s.region_code, s.pool, s.graded) AS n
    FROM scored s
    WINDOW w AS (PARTITION BY s.region_code, s.pool, s.graded ORDER BY s.score DESC)
)
SELECT uscc, region_code, pool, score,
       CASE WHEN NOT graded THEN NULL
            WHEN veto_reason IS NOT NULL THEN 'D'
            WHEN rnk <= round(n * 0.20) THEN 'A'
            WHEN rnk <= round(n * 0.80) THEN 'B'
            WHEN rnk <= round(n * 0.95) THEN 'C'
            ELSE 'D' END AS grade
FROM ranked
$q$, y, y + 1);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $lean$;

-- The number of firms of the year whose grade differs between evaluate()'s
-- rows and the lean table, counting a firm on one side only and a score off
-- by more than 1e-9; 0 is the same answer.
CREATE FUNCTION bench.lean_differs(y integer) RETURNS bigint LANGUAGE plpgsql AS $d$
DECLARE
    n bigint;
BEGIN
    EXECUTE format($q$
SELECT count(*) FILTER (WHERE e.uscc IS NULL OR l.uscc IS NULL OR e.grade::text IS DISTINCT FROM l.grade
                              OR (e.score IS NULL) <> (l.score IS NULL) OR abs(e.score - l.score) > 1e-9)
FROM (SELECT uscc, grade, score FROM parcel_gov.evaluation WHERE year = %1$s) e
FULL JOIN bench.lean_%1$s l ON l.uscc = e.uscc$q$, y) INTO n;
    RETURN n;
END $d$;
