-- parcel_gov 0.4.0 → 1.0.0: the evaluation engine in C, evaluation summaries.
-- Built by the Makefile: this head, then the install/ files that 1.0.0 added
-- or changed, then updates/0.4.0--1.0.0.tail.sql.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.0.0'" to load this file. \quit

-- evaluate() now calls the C engine, which also syncs the register:
-- install/85_evaluate.sql follows and creates evaluate() again.
DROP FUNCTION parcel_gov.evaluate(integer, text);
DROP FUNCTION parcel_gov.register_sync(integer, text);
-- v_region_summary now reads evaluation_summary: install/86 creates both.
DROP VIEW parcel_gov.v_region_summary;
-- Parcels keep lon/lat (install/88); the views that showed them computed
-- are created again from it (install/92, install/93).
DROP VIEW parcel_gov.v_parcel_efficiency;
DROP VIEW parcel_gov.v_low_efficiency_clusters;
DROP FUNCTION parcel_gov.low_efficiency_clusters(double precision);
DROP VIEW parcel_gov.v_register;
-- The views of install/87 are created again (v_parcel_use reads its years
-- from evaluation_summary, and looks its leases up in a join, so it can run
-- in parallel plans); v_region_summary moved to install/86 with its table.
DROP VIEW parcel_gov.v_park_ranking;
DROP VIEW parcel_gov.v_parcel_use;
DROP VIEW parcel_gov.v_enterprise_evaluation;
-- evaluate(year, region): the yearly per-mu evaluation.  The checks, the
-- lock and the run's log are here; the work is the C engine's
-- (src/eval_engine.h): it reads each table once, joins on packed codes,
-- scores and grades with the same arithmetic as the SQL pieces
-- (indicators_agg, ratio_score, minmax_score, quota_grade), writes only the
-- evaluation rows that changed and brings the register in line.

CREATE FUNCTION parcel_gov.evaluate_run(year integer, prefix text, started timestamp with time zone,
        tier_bounds double precision[],
        OUT firms integer, OUT graded integer, OUT changed bigint, OUT entered bigint)
    AS 'MODULE_PATHNAME', 'evaluate_run'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    -- its queries are simple scans: compiling them would cost more than running them
    SET jit = off;
COMMENT ON FUNCTION parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[]) IS
  'The engine of evaluate(), called by it after its checks and under its lock: evaluates a year for a region prefix, writes the evaluation rows that changed with their benchmarks and summaries (tiers by tier_bounds) and syncs the register; returns how many firms were evaluated and graded, rows changed and parcels entered';

CREATE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql
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
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM pg_advisory_xact_lock(hashtext('parcel_gov.evaluate'), y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    -- the summary's tax tiers are tax_tier()'s default, the Shaoxing 5/10/15 万元/亩
    SELECT * INTO run FROM parcel_gov.evaluate_run(y, prefix, started, '{5,10,15}');

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, run.firms, run.graded, run.changed);
    RETURN run.graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded';
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
  '评价汇总 (per region and year, written by evaluate() with the rows): firms evaluated and graded, firms per grade and per tax tier (1 重点排查 < 5, 2 重点检查 < 10, 3 重点指导 < 15, 0 ≥ 15 万元/亩), graded firms'' land (area_sums) and per_mu_agg partial states of tax and value added (tax_sums, va_sums: combine with partial_sum(), finish with per_mu_agg_final()), and a digest of the rows';
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
           count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 1),
           count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 2),
           count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 3),
           count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 0),
           ARRAY[coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL), 0), 0],
           ARRAY[coalesce(sum(e.tax) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
                 coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.tax IS NOT NULL AND e.area_mu <> 0), 0), 0],
           ARRAY[coalesce(sum(e.value_added) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
                 coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.value_added IS NOT NULL
                                                   AND e.area_mu <> 0), 0), 0],
           '\x'::bytea, max(e.evaluated_at)
    FROM parcel_gov.evaluation e
    WHERE (summaries_of_rows.year IS NULL OR e.year = summaries_of_rows.year)
      AND (summaries_of_rows.regions IS NULL OR e.region_code = ANY (summaries_of_rows.regions))
    GROUP BY e.year, e.region_code;
END;
COMMENT ON FUNCTION parcel_gov.summaries_of_rows(integer, text[]) IS
  'Summaries computed in SQL from stored evaluation rows of a year (NULL: all) and regions (NULL: all), with an empty digest: the next evaluate() of such a region compares its rows and writes exact ones';

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
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    removed bigint;
BEGIN
    IF evaluation_discard.year IS NULL THEN
        RAISE EXCEPTION 'evaluation_discard: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluation_discard(2024) or parcel_gov.evaluation_discard(2024, ''330604'').';
    END IF;
    -- under evaluate()'s lock, so it cannot cut into a run of the same year
    PERFORM pg_advisory_xact_lock(hashtext('parcel_gov.evaluate'), evaluation_discard.year);
    removed := parcel_gov.evaluation_discard_rows(evaluation_discard.year,
                                                  parcel_gov.region_prefix(evaluation_discard.region));
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
       s.area_mu - s.prev_area_mu AS area_mu_change
FROM compared s
LEFT JOIN parcel_gov.region rg ON rg.code = s.region_code;
COMMENT ON VIEW parcel_gov.v_region_summary IS
  '区域亩均效益汇总: per region (county, city, province) and year: graded firms'' area (亩), 亩均税收 and 亩均增加值 (ratios of sums), firms by grade and by tax tier (1 重点排查 < 5, 2 重点检查 < 10, 3 重点指导 < 15, 0 ≥ 15 万元/亩), and the change against the year before; counties'' figures are combined from evaluation_summary, so the view reads one row per county and year';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_summary', '');
-- The views analysts and BI tools read.  security_invoker:
-- they show what the reader may see of the tables, nothing more.

-- Who uses which part of a parcel in a year: its holder what is not leased
-- out, each lessee its lease (leases whose term overlaps the year).
CREATE VIEW parcel_gov.v_parcel_use WITH (security_invoker = true) AS
SELECT y.year, p.code AS parcel_code, p.holder_uscc AS uscc, 'holder'::text AS role,
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
SELECT y.year, l.parcel_code, l.lessee_uscc, 'lessee', l.area_mu
FROM parcel_gov.lease l
JOIN (SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s) AS y
  ON l.during && daterange(make_date(y.year, 1, 1), make_date(y.year + 1, 1, 1));
COMMENT ON VIEW parcel_gov.v_parcel_use IS
  'Who uses which part of each parcel in each evaluated year: the holder (土地使用权人) what it has not leased out, each lessee (承租企业) its lease';

CREATE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
SELECT e.id AS fid, e.year, e.uscc, f.name, e.region_code, rg.name AS region_name, f.industry_code,
       e.pool, parcel_gov.label(e.pool) AS pool_label, e.industry_group, e.rule_set_id,
       e.area_mu, e.held_mu, e.leased_out_mu, e.leased_in_mu, e.tax, e.value_added, e.revenue,
       e.tax_per_mu, e.va_per_mu, e.revenue_per_mu, e.labour_productivity, e.va_per_energy,
       e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
       e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
       e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
       e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size,
       e.grade_initial, e.grade, parcel_gov.label(e.grade) AS grade_label,
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
-- Where a parcel is, for BI tools that cannot draw PostGIS geometry: a point
-- on its surface in WGS 84, kept with the row instead of
-- transformed on every read of a view.
ALTER TABLE parcel_gov.parcel
    ADD COLUMN lon double precision GENERATED ALWAYS AS (ST_X(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED,
    ADD COLUMN lat double precision GENERATED ALWAYS AS (ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED;
COMMENT ON COLUMN parcel_gov.parcel.lon IS
  '经度 (WGS 84, EPSG:4326) of a point on the parcel''s surface, for maps in BI tools; GCJ-02 (高德/腾讯) and BD-09 (百度) basemaps are offset from it, 天地图 is not';
COMMENT ON COLUMN parcel_gov.parcel.lat IS
  '纬度 (WGS 84, EPSG:4326) of a point on the parcel''s surface';
-- The register for analysts, GIS and BI tools.

-- The Chinese names of kinds, in kind order (a function, so the views that
-- show them can run whole in parallel workers).
CREATE FUNCTION parcel_gov.label(kinds parcel_gov.low_efficiency_kind[])
    RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT parcel_gov.label(k) FROM unnest(kinds) AS k ORDER BY k);
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.low_efficiency_kind[]) IS
  'Chinese names of low-efficiency kinds (低效类型), in kind order';

CREATE VIEW parcel_gov.v_register WITH (security_invoker = true) AS
SELECT r.fid, r.parcel_code, p.region_code, rg.name AS region_name, p.holder_uscc, f.name AS holder_name,
       r.state, parcel_gov.label(r.state) AS state_label,
       r.kinds, parcel_gov.label(r.kinds) AS kind_labels,
       r.batch, parcel_gov.label(r.batch) AS batch_label, r.plan, r.deadline,
       r.state_since, current_date - r.state_since::date AS days_in_state,
       r.entered_at, r.exited_at, r.exit_reason, r.clears_thresholds, r.evaluated_year,
       p.area_mu, p.geom, p.lon, p.lat
FROM parcel_gov.register r
JOIN parcel_gov.parcel p ON p.code = r.parcel_code
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code;
COMMENT ON VIEW parcel_gov.v_register IS
  '低效工业用地数据库: each registered parcel''s state (调查核实 … 出库), kinds (低效类型), batch (四个一批), days in its state, entry (入库) and exit (出库), area and geometry';

-- Low-efficiency parcels still in the register, merged into blocks where they
-- touch or lie within distance_m of each other (连片整治).
CREATE FUNCTION parcel_gov.low_efficiency_clusters(distance_m double precision DEFAULT 50)
    RETURNS TABLE (fid bigint, region_code text, parcels integer, area_mu double precision,
                   parcel_codes text[], geom geometry(MultiPolygon, 4490), lon double precision, lat double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH active AS (
        SELECT p.code, p.region_code, p.area_mu, p.geom,
               -- metres on Web Mercator, scaled by the latitude: close enough to join neighbours
               ST_ClusterDBSCAN(ST_Transform(p.geom, 3857),
                                low_efficiency_clusters.distance_m / cos(radians(ST_Y(ST_Centroid(p.geom)))), 1)
                 OVER (PARTITION BY p.region_code) AS cluster
        FROM parcel_gov.register r JOIN parcel_gov.parcel p ON p.code = r.parcel_code
        WHERE r.state NOT IN ('exited', 'rejected')
    ), blocks AS (
        SELECT a.region_code, a.cluster, count(*)::integer AS parcels, sum(a.area_mu) AS area_mu,
               array_agg(a.code::text ORDER BY a.code) AS parcel_codes,
               ST_Multi(ST_CollectionExtract(ST_Union(a.geom), 3))::geometry(MultiPolygon, 4490) AS geom
        FROM active a GROUP BY a.region_code, a.cluster
    )
    SELECT row_number() OVER (ORDER BY b.region_code, b.parcel_codes[1]), b.region_code, b.parcels, b.area_mu,
           b.parcel_codes, b.geom,
           ST_X(ST_Transform(ST_PointOnSurface(b.geom), 4326)), ST_Y(ST_Transform(ST_PointOnSurface(b.geom), 4326))
    FROM blocks b;
END;
COMMENT ON FUNCTION parcel_gov.low_efficiency_clusters(double precision) IS
  '连片整治: parcels in the register (not exited or rejected) merged into blocks where they lie within distance_m metres of each other, with their total area in mu';

-- (a function's result drops the geometry typmod: cast it back for geometry_columns)
CREATE VIEW parcel_gov.v_low_efficiency_clusters WITH (security_invoker = true) AS
SELECT c.fid, c.region_code, c.parcels, c.area_mu, c.parcel_codes,
       c.geom::geometry(MultiPolygon, 4490) AS geom, c.lon, c.lat
FROM parcel_gov.low_efficiency_clusters(
    coalesce(nullif(pg_catalog.current_setting('parcel_gov.cluster_distance_m', true), '')::double precision, 50)) AS c;
COMMENT ON VIEW parcel_gov.v_low_efficiency_clusters IS
  '连片整治 blocks of low-efficiency parcels in the register; parcels within parcel_gov.cluster_distance_m metres (default 50) join one block';
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
SELECT p.fid * 10000 + ys.year AS fid, p.code, ys.year, p.region_code, rg.name AS region_name,
       p.holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool, h.grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu) AS tax_tier, k.kinds, k.batch,
       r.state AS register_state, p.geom, p.lon, p.lat
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

-- Summaries of the results evaluated before 1.0.0, so v_region_summary shows
-- them at once.  Their sums are plain float sums and their digest empty: the
-- next evaluate() of a year compares its rows and writes exact summaries.
ALTER TABLE parcel_gov.evaluation_summary DISABLE TRIGGER evaluation_summary_written_by_evaluate;
INSERT INTO parcel_gov.evaluation_summary SELECT * FROM parcel_gov.summaries_of_rows(NULL, NULL);
ALTER TABLE parcel_gov.evaluation_summary ENABLE TRIGGER evaluation_summary_written_by_evaluate;
