-- bench/evaluation_cases.sql: evaluate(year) for the whole province against
-- plain SQL doing the same work on the same tables (the default rules, written
-- out as a county analyst would: CTEs, sums, rank() and count()).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\o /dev/null

CREATE TABLE bench.plain_evaluation (
    year integer, uscc text, region_code text, pool text, area_mu float8, score float8, grade text,
    PRIMARY KEY (year, uscc));

-- max(0, x) that keeps NULL (greatest() would turn it into 0)
CREATE FUNCTION bench.floor0(x float8) RETURNS float8 LANGUAGE sql IMMUTABLE
RETURN CASE WHEN x < 0 THEN 0 ELSE x END;

CREATE FUNCTION bench.plain_evaluate(y integer) RETURNS bigint LANGUAGE sql AS $q$
DELETE FROM bench.plain_evaluation WHERE year = y;
WITH firm AS (
    SELECT e.uscc, e.region_code, f.size_class::text AS pool, f.tax, f.value_added, f.revenue, f.rd_expense,
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
    SELECT f.*, coalesce(h.mu, 0) - coalesce(o.mu, 0) + coalesce(i.mu, 0) AS area
    FROM firm f LEFT JOIN held h ON h.uscc = f.uscc LEFT JOIN leased_out o ON o.uscc = f.uscc
    LEFT JOIN leased_in i ON i.uscc = f.uscc
), graded AS (
    SELECT * FROM net WHERE area > 0 AND exempt_reason IS NULL AND NOT (pool = 'below' AND area < 3)
), bench_ AS (
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
    FROM graded GROUP BY 1, 2
), scored AS (
    -- each indicator over its benchmark, NULL when the firm has no figure
    SELECT g.uscc, g.region_code, g.pool, g.area, g.veto_reason, g.bonus, g.deduction,
           CASE WHEN b.b_tax > 0 THEN g.tax / g.area / b.b_tax END AS r_tax,
           CASE WHEN b.b_va > 0 THEN g.value_added / g.area / b.b_va END AS r_va,
           CASE WHEN b.b_energy > 0 THEN g.value_added / nullif(g.energy_tce, 0) / b.b_energy END AS r_energy,
           CASE WHEN b.b_emission > 0 THEN g.value_added / nullif(g.emission_t, 0) / b.b_emission END AS r_emission,
           CASE WHEN b.b_labour > 0 THEN g.value_added / nullif(g.staff, 0) / b.b_labour END AS r_labour,
           CASE WHEN b.b_rd > 0 THEN g.rd_expense / nullif(g.revenue, 0) / b.b_rd END AS r_rd,
           CASE WHEN b.b_kwh > 0 THEN g.tax / nullif(g.electricity_kwh, 0) / b.b_kwh END AS r_kwh
    FROM graded g JOIN bench_ b ON b.region_code = g.region_code AND b.pool = g.pool
), totalled AS (
    SELECT uscc, region_code, pool, area, veto_reason,
           CASE WHEN pool = 'above' THEN
             coalesce(30 * bench.floor0(r_tax), 0) + coalesce(20 * bench.floor0(r_va), 0)
             + coalesce(10 * bench.floor0(r_labour), 0) + coalesce(20 * bench.floor0(r_energy), 0)
             + coalesce(10 * bench.floor0(r_emission),
                        avg(10 * bench.floor0(r_emission)) FILTER (WHERE r_emission IS NOT NULL)
                          OVER (PARTITION BY region_code, pool), 0)
             + coalesce(10 * bench.floor0(r_rd), 0)
           ELSE coalesce(50 * bench.floor0(r_tax), 0) + coalesce(50 * bench.floor0(r_kwh), 0) END
           + bonus - deduction AS score
    FROM scored
), ranked AS (
    SELECT t.*, rank() OVER (PARTITION BY region_code, pool ORDER BY score DESC) AS rnk,
           count(*) OVER (PARTITION BY region_code, pool) AS n
    FROM totalled t
)
INSERT INTO bench.plain_evaluation
SELECT y, uscc, region_code, pool, area, score,
       CASE WHEN veto_reason IS NOT NULL THEN 'D'
            WHEN rnk <= floor(n * 0.20 + 0.5) THEN 'A' WHEN rnk <= floor(n * 0.80 + 0.5) THEN 'B'
            WHEN rnk <= floor(n * 0.95 + 0.5) THEN 'C' ELSE 'D' END
FROM ranked
UNION ALL
SELECT y, uscc, region_code, pool, area, NULL, NULL FROM net
WHERE NOT (area > 0 AND exempt_reason IS NULL AND NOT (pool = 'below' AND area < 3));
SELECT count(grade) FROM bench.plain_evaluation WHERE year = y;
$q$;

-- A first run: the year's rows are rewritten from nothing.
CREATE FUNCTION bench.evaluate_afresh(y integer) RETURNS integer LANGUAGE sql AS $q$
DELETE FROM parcel_gov.evaluation WHERE year = y;
SELECT parcel_gov.evaluate(y);
$q$;

\set same_grades 'SELECT count(*) > 0 AND count(*) FILTER (WHERE e.grade::text IS DISTINCT FROM p.grade OR e.uscc IS NULL OR p.uscc IS NULL OR abs(e.score - p.score) > 1e-9 * abs(p.score)) = 0 FROM parcel_gov.evaluation e FULL JOIN bench.plain_evaluation p ON p.year = e.year AND p.uscc = e.uscc WHERE coalesce(e.year, p.year) = 2024'

SELECT bench.compare('evaluate(2024) for the province, first run', 2,
                     'SELECT bench.evaluate_afresh(2024)', 'SELECT bench.plain_evaluate(2024)', :'same_grades', 3);
SELECT bench.compare('evaluate(2024) for the province, rerun on unchanged data', 2,
                     'SELECT parcel_gov.evaluate(2024)', 'SELECT bench.plain_evaluate(2024)', :'same_grades', 3);
\o
