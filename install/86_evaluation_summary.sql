-- Per region and year, what evaluate() wrote (src/eval_summary.c): counts,
-- double-double sums that are partial states of per_mu_agg, and a digest of
-- the region's evaluation rows.  The engine writes it with the rows, so
-- v_region_summary reads one row per county instead of aggregating every
-- firm, and a rerun compares only the regions whose digest changed.
--
-- The results (evaluation, evaluation_benchmark, evaluation_summary) are
-- written by evaluate() and evaluation_discard() alone, which keeps the three
-- in step: any other write is refused (42501), as for the register's history.

CREATE TABLE parcel_gov.evaluation_summary (
    year         integer NOT NULL,
    region_code  text NOT NULL,
    firms        integer NOT NULL,
    graded       integer NOT NULL,
    grade_a      integer NOT NULL,
    grade_b      integer NOT NULL,
    grade_c      integer NOT NULL,
    grade_d      integer NOT NULL,
    tier_1       integer NOT NULL,
    tier_2       integer NOT NULL,
    tier_3       integer NOT NULL,
    tier_0       integer NOT NULL,
    area_sums    double precision[] NOT NULL,
    tax_sums     double precision[] NOT NULL,
    va_sums      double precision[] NOT NULL,
    rows_digest  bytea NOT NULL,
    evaluated_at timestamptz NOT NULL,
    PRIMARY KEY (year, region_code)
);
COMMENT ON TABLE parcel_gov.evaluation_summary IS
  '评价汇总 (per region and year, written by evaluate() with the rows): firms evaluated and graded, firms per grade and per tax tier (1 重点排查, 2 重点检查, 3 重点指导, 0 达标, each firm under its rule set''s tax_tier_bounds: < 5, < 10, < 15, ≥ 15 万元/亩 by default), graded firms'' land (area_sums) and per_mu_agg partial states of tax and value added (tax_sums, va_sums: combine with partial_sum(), finish with per_mu_agg_final()), and a digest of the rows';
COMMENT ON COLUMN parcel_gov.evaluation_summary.area_sums IS
  'Σ net land (亩) of the graded firms as a double-double pair: area = area_sums[1] + area_sums[2]';
COMMENT ON COLUMN parcel_gov.evaluation_summary.rows_digest IS
  'A 128-bit digest of the region''s evaluation rows of the year: a rerun that would write the same rows leaves them unread and untouched';

-- The summaries of stored rows, computed in SQL: plain sums and an empty
-- digest, which no run matches, so the next evaluate() of the region compares
-- its rows and writes exact summaries.  For a region a run changed from
-- outside (a firm moved out of it), and for results stored before 1.0.0.
CREATE FUNCTION parcel_gov.summaries_of_rows(year integer, regions text[])
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

-- Writes to the results outside evaluate() and evaluation_discard(): 42501.
CREATE FUNCTION parcel_gov.evaluation_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'evaluation_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.evaluation_guard() IS
  'Trigger: evaluation results are written by evaluate() and evaluation_discard() only (42501 otherwise)';
CREATE TRIGGER evaluation_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();
CREATE TRIGGER evaluation_benchmark_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_benchmark
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();
CREATE TRIGGER evaluation_summary_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_summary
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();

CREATE FUNCTION parcel_gov.evaluation_discard_rows(year integer, prefix text)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'evaluation_discard_rows'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION parcel_gov.evaluation_discard_rows(integer, text) IS
  'Called by evaluation_discard(): removes a year''s results under a region prefix';

-- Removes a year's results (rows, benchmarks, summaries) for a region.
CREATE FUNCTION parcel_gov.evaluation_discard(year integer, region text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    removed bigint;
BEGIN
    IF evaluation_discard.year IS NULL THEN
        RAISE EXCEPTION 'evaluation_discard: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluation_discard(2024) or parcel_gov.evaluation_discard(2024, ''330604'').';
    END IF;
    PERFORM parcel_gov.require_caller('evaluation_discard', 'parcel_gov_analyst',
                                      parcel_gov.region_prefix(evaluation_discard.region));
    PERFORM parcel_gov.require_evaluated_here('evaluation_discard', parcel_gov.region_prefix(evaluation_discard.region));
    -- under evaluate()'s lock, so it cannot cut into a run of the same year
    PERFORM parcel_gov.lock_evaluation_year(evaluation_discard.year);
    removed := parcel_gov.evaluation_discard_rows(evaluation_discard.year,
                                                  parcel_gov.region_prefix(evaluation_discard.region));
    -- the counties have no results left to keep: the next run evaluates them
    DELETE FROM parcel_gov.evaluation_state s
    WHERE s.year = evaluation_discard.year AND starts_with(s.county, parcel_gov.region_prefix(evaluation_discard.region));
    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (evaluation_discard.year, parcel_gov.region_prefix(evaluation_discard.region), now(), 0, 0, removed);
    RETURN removed;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_discard(integer, text) IS
  'Removes a year''s evaluation results (rows, benchmarks, summaries) for a region (county code, city, province prefix, or NULL for all); returns the evaluation rows removed. The register and its history are kept';

-- Adds up partial states of parcel_gov's aggregates (per_mu_agg, indicators_agg), as stored by evaluate().
CREATE AGGREGATE parcel_gov.partial_sum(double precision[]) (
    SFUNC = parcel_gov.dd_state_combine,
    STYPE = double precision[],
    COMBINEFUNC = parcel_gov.dd_state_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE parcel_gov.partial_sum(double precision[]) IS
  'The sum of partial states of per_mu_agg or indicators_agg (float8[] of double-double sums), exact in any order: per_mu_agg_final(partial_sum(tax_sums)) is the 亩均税收 of the regions summed';

CREATE VIEW parcel_gov.v_region_summary WITH (security_invoker = true) AS
WITH up AS (
    -- each region's summary counted in itself, its city and its province
    SELECT s.*, r.code AS summary_code
    FROM parcel_gov.evaluation_summary s
    CROSS JOIN LATERAL (SELECT DISTINCT c.code
                        FROM (VALUES (s.region_code), (left(s.region_code, 4) || '00'),
                                     (left(s.region_code, 2) || '0000')) AS c(code)) AS r
), summary AS (
    SELECT year, summary_code AS region_code,
           sum(firms) AS firms,
           sum(graded) AS graded,
           parcel_gov.partial_sum(area_sums) AS area_sums,
           parcel_gov.per_mu_agg_final(parcel_gov.partial_sum(tax_sums)) AS tax_per_mu,
           parcel_gov.per_mu_agg_final(parcel_gov.partial_sum(va_sums)) AS va_per_mu,
           sum(grade_a) AS grade_a, sum(grade_b) AS grade_b, sum(grade_c) AS grade_c, sum(grade_d) AS grade_d,
           sum(firms - graded) AS not_graded,
           sum(tier_1) AS tier_1, sum(tier_2) AS tier_2, sum(tier_3) AS tier_3, sum(tier_0) AS tier_0
    FROM up GROUP BY year, summary_code
), totalled AS (
    SELECT s.*, CASE WHEN s.graded > 0 THEN s.area_sums[1] + s.area_sums[2] END AS area_mu FROM summary s
), compared AS (
    -- the year before by lag(), not a second read of the summary (which a parallel plan could not share)
    SELECT t.*,
           CASE WHEN lag(t.year) OVER w = t.year - 1 THEN lag(t.tax_per_mu) OVER w END AS prev_tax_per_mu,
           CASE WHEN lag(t.year) OVER w = t.year - 1 THEN lag(t.va_per_mu) OVER w END AS prev_va_per_mu,
           CASE WHEN lag(t.year) OVER w = t.year - 1 THEN lag(t.area_mu) OVER w END AS prev_area_mu
    FROM totalled t WINDOW w AS (PARTITION BY t.region_code ORDER BY t.year)
)
SELECT s.year::bigint * 1000000 + s.region_code::bigint AS fid, s.year, s.region_code, rg.name AS region_name,
       CASE WHEN s.region_code LIKE '%0000' THEN 'province' WHEN s.region_code LIKE '%00' THEN 'city'
            ELSE 'county' END AS level,
       s.firms, s.graded, s.area_mu, s.tax_per_mu, s.va_per_mu,
       s.grade_a, s.grade_b, s.grade_c, s.grade_d, s.not_graded, s.tier_1, s.tier_2, s.tier_3, s.tier_0,
       s.tax_per_mu - s.prev_tax_per_mu AS tax_per_mu_change,
       s.va_per_mu - s.prev_va_per_mu AS va_per_mu_change,
       s.area_mu - s.prev_area_mu AS area_mu_change,
       pk.park_firms, pk.park_firms::double precision / nullif(pk.firms, 0) AS park_entry_rate,
       pk.above_firms, pk.above_park_firms,
       pk.above_park_firms::double precision / nullif(pk.above_firms, 0) AS above_park_entry_rate
FROM compared s
LEFT JOIN parcel_gov.region rg ON rg.code = s.region_code
-- 入园率: the region's evaluated firms whose land lies in a park
LEFT JOIN LATERAL (
    SELECT count(*) AS firms, count(*) FILTER (WHERE x.in_park) AS park_firms,
           count(*) FILTER (WHERE x.above) AS above_firms, count(*) FILTER (WHERE x.above AND x.in_park) AS above_park_firms
    FROM (SELECT ev.pool = 'above' AS above, parcel_gov.firm_in_park(ev.uscc, ev.year) AS in_park
          FROM parcel_gov.evaluation ev
          WHERE ev.year = s.year AND starts_with(ev.region_code, parcel_gov.region_prefix(s.region_code))) AS x
) AS pk ON true;
COMMENT ON VIEW parcel_gov.v_region_summary IS
  '区域亩均效益汇总: per region (county, city, province) and year: graded firms'' area (亩), 亩均税收 and 亩均增加值 (ratios of sums), firms by grade and by tax tier (1 重点排查, 2 重点检查, 3 重点指导, 0 达标, each firm under its rule set''s tax_tier_bounds: < 5, < 10, < 15, ≥ 15 万元/亩 by default), and the change against the year before, and 入园率 (the share of evaluated firms, and of 规上 firms, whose land lies in a park); counties'' figures are combined from evaluation_summary, so the view reads one row per county and year';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_summary', '');
