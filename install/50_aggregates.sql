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
    tax_per_kwh         double precision,
    revenue_per_kwh     double precision,
    va_per_water        double precision,
    va_per_cod          double precision,
    rd_intensity_main   double precision
);
COMMENT ON TYPE parcel_gov.indicators IS
  '亩均效益评价指标: area_mu 用地面积(亩), tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占营业收入比重, tax_per_kwh 单位电耗税收, revenue_per_kwh 单位电耗营业收入, va_per_water 单位水耗增加值, va_per_cod 单位COD排放增加值, rd_intensity_main R&D经费支出占主营业务收入比重';

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

-- per_mu_agg without its final division: the partial state itself, which
-- a server can compute where the rows are (a county's, through
-- postgres_fdw with the extensions 'parcel_gov' option, README: Many
-- counties, one province) and ship; partial_sum() adds states of several
-- servers and per_mu_agg_final() divides, giving the bits per_mu_agg gives
-- over all their rows at once.
CREATE AGGREGATE parcel_gov.per_mu_agg_partial(amount double precision, area_mu double precision) (
    SFUNC = parcel_gov.per_mu_agg_accum,
    STYPE = double precision[],
    COMBINEFUNC = parcel_gov.dd_state_combine,
    INITCOND = '{0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE parcel_gov.per_mu_agg_partial(double precision, double precision) IS
  'The partial state of per_mu_agg (double-double Σamount and Σarea_mu): combine states of several servers with partial_sum() and finish with per_mu_agg_final(), exactly as per_mu_agg over all their rows';

CREATE FUNCTION parcel_gov.indicators_agg_accum(double precision[],
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'indicators_agg_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators_agg_accum(double precision[],
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision) IS
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
        emission_t double precision, electricity_kwh double precision, water_t double precision,
        cod_t double precision, main_revenue double precision, area_mu double precision) (
    SFUNC = parcel_gov.indicators_agg_accum,
    STYPE = double precision[],
    FINALFUNC = parcel_gov.indicators_agg_final,
    COMBINEFUNC = parcel_gov.dd_state_combine,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE parcel_gov.indicators_agg(double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision) IS
  '亩均效益指标 of a firm (over its years or parcels) or a pool (over its firms): each indicator a ratio of sums over the rows where its numerator is non-NULL and its denominator non-NULL and non-zero; NULL where no row contributes; negative area/staff/energy/emission/revenue/electricity/water/COD/main revenue or NaN/Infinity → 22023';
