-- bench/scoring_cases.sql: the scoring engine (indicators_agg, quota_grade)
-- against plain SQL doing the same work on the same data.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\o /dev/null

-- The indicators of indicators_agg in plain SQL: each a ratio of sums over the
-- rows where its numerator is non-NULL and its denominator non-NULL and non-zero.
CREATE FUNCTION bench.plain_indicators_sql(tbl text, group_by text) RETURNS text
LANGUAGE sql IMMUTABLE RETURN format($q$
  SELECT %2$s AS g,
    sum(area_mu)::float8 AS area_mu,
    (sum(tax) FILTER (WHERE tax IS NOT NULL AND area_mu <> 0)
      / nullif(sum(area_mu) FILTER (WHERE tax IS NOT NULL AND area_mu <> 0), 0))::float8 AS tax_per_mu,
    (sum(value_added) FILTER (WHERE value_added IS NOT NULL AND area_mu <> 0)
      / nullif(sum(area_mu) FILTER (WHERE value_added IS NOT NULL AND area_mu <> 0), 0))::float8 AS va_per_mu,
    (sum(revenue) FILTER (WHERE revenue IS NOT NULL AND area_mu <> 0)
      / nullif(sum(area_mu) FILTER (WHERE revenue IS NOT NULL AND area_mu <> 0), 0))::float8 AS revenue_per_mu,
    (sum(value_added) FILTER (WHERE value_added IS NOT NULL AND staff <> 0)
      / nullif(sum(staff) FILTER (WHERE value_added IS NOT NULL AND staff <> 0), 0))::float8 AS labour_productivity,
    (sum(value_added) FILTER (WHERE value_added IS NOT NULL AND energy_tce <> 0)
      / nullif(sum(energy_tce) FILTER (WHERE value_added IS NOT NULL AND energy_tce <> 0), 0))::float8 AS va_per_energy,
    (sum(value_added) FILTER (WHERE value_added IS NOT NULL AND emission_t <> 0)
      / nullif(sum(emission_t) FILTER (WHERE value_added IS NOT NULL AND emission_t <> 0), 0))::float8 AS va_per_emission,
    (sum(rd_expense) FILTER (WHERE rd_expense IS NOT NULL AND revenue <> 0)
      / nullif(sum(revenue) FILTER (WHERE rd_expense IS NOT NULL AND revenue <> 0), 0))::float8 AS rd_intensity,
    (sum(tax) FILTER (WHERE tax IS NOT NULL AND electricity_kwh <> 0)
      / nullif(sum(electricity_kwh) FILTER (WHERE tax IS NOT NULL AND electricity_kwh <> 0), 0))::float8 AS tax_per_kwh
  FROM bench.%1$s GROUP BY 1 $q$, tbl, group_by);

CREATE FUNCTION bench.ours_indicators_sql(tbl text, group_by text) RETURNS text
LANGUAGE sql IMMUTABLE RETURN format($q$
  SELECT %2$s AS g, (parcel_gov.indicators_agg(tax, value_added, revenue, rd_expense, staff,
                       energy_tce, emission_t, electricity_kwh, NULL, NULL, NULL, area_mu)).*
  FROM bench.%1$s GROUP BY 1 $q$, tbl, group_by);

-- Consumes every indicator of every group, so nothing can be skipped.
CREATE FUNCTION bench.consume(q text) RETURNS text
LANGUAGE sql IMMUTABLE RETURN format($q$
  SELECT count(*), sum(area_mu), sum(tax_per_mu), sum(va_per_mu), sum(revenue_per_mu),
         sum(labour_productivity), sum(va_per_energy), sum(va_per_emission), sum(rd_intensity), sum(tax_per_kwh)
  FROM (%s) AS x $q$, q);

-- Both give every indicator of every group to 1e-9 relative, NULLs alike
-- (numeric sums round once at the end, ours are exact double-double sums).
CREATE FUNCTION bench.close(a float8, b float8) RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN coalesce((a IS NULL AND b IS NULL) OR abs(a - b) <= 1e-9 * abs(b), false);

CREATE FUNCTION bench.same_indicators(a text, b text) RETURNS text
LANGUAGE sql IMMUTABLE RETURN format($q$
  SELECT count(*) > 0 AND bool_and(
           bench.close(a.area_mu, b.area_mu) AND bench.close(a.tax_per_mu, b.tax_per_mu)
       AND bench.close(a.va_per_mu, b.va_per_mu) AND bench.close(a.revenue_per_mu, b.revenue_per_mu)
       AND bench.close(a.labour_productivity, b.labour_productivity)
       AND bench.close(a.va_per_energy, b.va_per_energy) AND bench.close(a.va_per_emission, b.va_per_emission)
       AND bench.close(a.rd_intensity, b.rd_intensity) AND bench.close(a.tax_per_kwh, b.tax_per_kwh))
  FROM (%s) AS a FULL JOIN (%s) AS b USING (g) $q$, a, b);

-- Grading by quota within each pool, the plain way: rank() and count().
\set ours_grades 'SELECT count(*) FILTER (WHERE g = ''A''), count(*) FILTER (WHERE g = ''B''), count(*) FILTER (WHERE g = ''C''), count(*) FILTER (WHERE g = ''D'') FROM (SELECT parcel_gov.quota_grade(score, 0.20, 0.80, 0.95) OVER (PARTITION BY pool ORDER BY score DESC) AS g FROM bench.scores) AS s'
\set plain_grades 'SELECT count(*) FILTER (WHERE g = ''A''), count(*) FILTER (WHERE g = ''B''), count(*) FILTER (WHERE g = ''C''), count(*) FILTER (WHERE g = ''D'') FROM (SELECT CASE WHEN score IS NULL THEN NULL WHEN rnk <= floor(n * 0.20 + 0.5) THEN ''A'' WHEN rnk <= floor(n * 0.80 + 0.5) THEN ''B'' WHEN rnk <= floor(n * 0.95 + 0.5) THEN ''C'' ELSE ''D'' END AS g FROM (SELECT score, rank() OVER (PARTITION BY pool ORDER BY score DESC NULLS LAST) AS rnk, count(score) OVER (PARTITION BY pool) AS n FROM bench.scores) AS r) AS s'
\set same_grades 'SELECT count(*) > 0 AND count(*) FILTER (WHERE ours IS DISTINCT FROM plain) = 0 FROM (SELECT parcel_gov.quota_grade(score, 0.20, 0.80, 0.95) OVER (PARTITION BY pool ORDER BY score DESC) AS ours, CASE WHEN score IS NULL THEN NULL WHEN rank() OVER (PARTITION BY pool ORDER BY score DESC NULLS LAST) <= floor(count(score) OVER (PARTITION BY pool) * 0.20 + 0.5) THEN ''A'' WHEN rank() OVER (PARTITION BY pool ORDER BY score DESC NULLS LAST) <= floor(count(score) OVER (PARTITION BY pool) * 0.80 + 0.5) THEN ''B'' WHEN rank() OVER (PARTITION BY pool ORDER BY score DESC NULLS LAST) <= floor(count(score) OVER (PARTITION BY pool) * 0.95 + 0.5) THEN ''C'' ELSE ''D'' END::parcel_gov.grade AS plain FROM bench.scores) AS c'

-- (each run a transaction of its own: CALL, not SELECT; a DO block may CALL
-- a procedure that commits)
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT g.grp, k.kind, w.workers, g.runs
             FROM (VALUES ('pool', 5), ('firm', 3)) AS g(grp, runs), (VALUES ('numeric'), ('float')) AS k(kind),
                  (VALUES (0), (2)) AS w(workers)
             ORDER BY g.grp DESC, k.kind DESC, w.workers LOOP
        CALL bench.compare(format('indicators_agg per %s vs sum() over %s', c.grp, c.kind), c.workers,
                           bench.consume(bench.ours_indicators_sql('firm_year_float', c.grp)),
                           bench.consume(bench.plain_indicators_sql('firm_year_' || c.kind, c.grp)),
                           bench.same_indicators(bench.ours_indicators_sql('firm_year_float', c.grp),
                                                 bench.plain_indicators_sql('firm_year_' || c.kind, c.grp)),
                           c.runs);
    END LOOP;
END $$;

CALL bench.compare('quota_grade vs rank() + count()', 0, :'ours_grades', :'plain_grades', :'same_grades');
CALL bench.compare('quota_grade vs rank() + count()', 2, :'ours_grades', :'plain_grades', :'same_grades');
\o
