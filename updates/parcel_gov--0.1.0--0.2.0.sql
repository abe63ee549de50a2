-- parcel_gov 0.1.0 → 0.2.0: the scoring engine (aggregates, scores, quota_grade).
-- Built by the Makefile: this head, then the install/ files that 0.2.0 added.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '0.2.0'" to load this file. \quit
-- Ratio-of-sums aggregates (src/per_mu_agg.c, src/indicators_agg.c).
-- Their state is a float8[] of double-double sums updated in place, with one
-- combine function (src/dd_state.c): parallel query and Citus can split them,
-- and every split gives the same answer.

CREATE TYPE parcel_gov.indicators AS (
    area_mu             double precision,
    tax_per_mu          double precision,
    va_per_mu           double precision,
    revenue_per_mu      double precision,
    labour_productivity double precision,
    va_per_energy       double precision,
    va_per_emission     double precision,
    rd_intensity        double precision,
    tax_per_kwh         double precision
);
COMMENT ON TYPE parcel_gov.indicators IS
  '亩均效益评价指标: area_mu 用地面积(亩), tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占营业收入比重, tax_per_kwh 单位电耗税收';

CREATE FUNCTION parcel_gov.dd_state_combine(double precision[], double precision[])
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'dd_state_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.dd_state_combine(double precision[], double precision[]) IS
  'Combine function of parcel_gov''s aggregates: adds two partial states of double-double sums';

CREATE FUNCTION parcel_gov.per_mu_agg_accum(double precision[], double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'per_mu_agg_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.per_mu_agg_accum(double precision[], double precision, double precision) IS
  'Transition function of per_mu_agg';

CREATE FUNCTION parcel_gov.per_mu_agg_final(double precision[])
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'per_mu_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.per_mu_agg_final(double precision[]) IS
  'Final function of per_mu_agg';

CREATE AGGREGATE parcel_gov.per_mu_agg(amount double precision, area_mu double precision) (
    SFUNC = parcel_gov.per_mu_agg_accum,
    STYPE = double precision[],
    FINALFUNC = parcel_gov.per_mu_agg_final,
    COMBINEFUNC = parcel_gov.dd_state_combine,
    INITCOND = '{0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE parcel_gov.per_mu_agg(double precision, double precision) IS
  'Σamount / Σarea_mu (亩均, ratio of sums) over rows with both figures and a non-zero area; NULL when there is none; negative area or NaN/Infinity → 22023';

CREATE FUNCTION parcel_gov.indicators_agg_accum(double precision[],
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'indicators_agg_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators_agg_accum(double precision[],
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision) IS
  'Transition function of indicators_agg';

CREATE FUNCTION parcel_gov.indicators_agg_final(double precision[])
    RETURNS parcel_gov.indicators
    AS 'MODULE_PATHNAME', 'indicators_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators_agg_final(double precision[]) IS
  'Final function of indicators_agg';

CREATE AGGREGATE parcel_gov.indicators_agg(
        tax double precision, value_added double precision, revenue double precision,
        rd_expense double precision, staff double precision, energy_tce double precision,
        emission_t double precision, electricity_kwh double precision, area_mu double precision) (
    SFUNC = parcel_gov.indicators_agg_accum,
    STYPE = double precision[],
    FINALFUNC = parcel_gov.indicators_agg_final,
    COMBINEFUNC = parcel_gov.dd_state_combine,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE parcel_gov.indicators_agg(double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision) IS
  '亩均效益指标 of a firm (over its years or parcels) or a pool (over its firms): each indicator a ratio of sums over the rows where its numerator is non-NULL and its denominator non-NULL and non-zero; NULL where no row contributes; negative area/staff/energy/emission/revenue/electricity or NaN/Infinity → 22023';
-- Indicator scores against a benchmark (src/scores.c).

-- Not STRICT: a NULL cap means "no cap".
CREATE FUNCTION parcel_gov.ratio_score(value double precision, benchmark double precision,
                                       weight double precision, cap double precision DEFAULT NULL)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'ratio_score'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.ratio_score(double precision, double precision, double precision, double precision) IS
  'weight × max(0, value / benchmark), at most cap × weight (黄岩/临海 ratio-to-benchmark score); NULL value, benchmark or weight → NULL; benchmark ≤ 0, negative weight or cap, NaN/Infinity → 22023';

CREATE FUNCTION parcel_gov.minmax_score(value double precision, lo double precision,
                                        hi double precision, weight double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'minmax_score'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.minmax_score(double precision, double precision, double precision, double precision) IS
  'weight × (20 + 80 × (value − lo)/(hi − lo)) / 100 clamped to [0.2, 1] × weight (功效系数法); hi = lo gives weight at or above it, 0.2 × weight below; hi < lo, negative weight, NaN/Infinity → 22023';
-- Grades by rank quotas within a pool (src/quota_grade.c).

CREATE FUNCTION parcel_gov.quota_grade(score double precision, a_share double precision,
                                       b_share double precision, c_share double precision)
    RETURNS parcel_gov.grade
    AS 'MODULE_PATHNAME', 'quota_grade'
    LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.quota_grade(double precision, double precision, double precision, double precision) IS
  'Window function: A/B/C/D by rank quotas within the partition (cumulative shares, e.g. 0.20/0.80/0.95); rank as rank() over score descending, cut-offs round-half-up(n × share), ties share the better grade, NULL scores get NULL and are not counted; shares outside [0,1], descending, NULL or varying within the partition → 22023';
