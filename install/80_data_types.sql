-- Types of the data model: codes, size classes, indicators, scoring methods.

CREATE FUNCTION parcel_gov.parcel_code_problem(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'parcel_code_problem'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.parcel_code_problem(text) IS
  'What is wrong with a 宗地代码 (GB/T 37346-2019, 19 characters), or NULL when it is well-formed';

CREATE FUNCTION parcel_gov.parcel_code_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'parcel_code_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.parcel_code_check(text) IS
  'Check of the domain parcel_gov.parcel_code: true, or error 23514 saying what is wrong';

CREATE DOMAIN parcel_gov.parcel_code AS text
    CONSTRAINT parcel_code_check CHECK (parcel_gov.parcel_code_check(VALUE));
COMMENT ON DOMAIN parcel_gov.parcel_code IS
  '宗地代码 (parcel code, GB/T 37346-2019): the one code of a parcel (一码管地)';

CREATE TYPE parcel_gov.size_class AS ENUM ('above', 'below');
COMMENT ON TYPE parcel_gov.size_class IS
  '规模 (size class): above 规上 (above designated size), below 规下';

CREATE FUNCTION parcel_gov.label(value parcel_gov.size_class)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value WHEN 'above' THEN '规上' WHEN 'below' THEN '规下' END;
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.size_class) IS 'Chinese name of a size class (规上/规下)';

CREATE TYPE parcel_gov.indicator AS ENUM
    ('tax_per_mu', 'va_per_mu', 'revenue_per_mu', 'labour_productivity',
     'va_per_energy', 'va_per_emission', 'rd_intensity', 'tax_per_kwh',
     'revenue_per_kwh', 'va_per_water', 'va_per_cod', 'rd_intensity_main');
COMMENT ON TYPE parcel_gov.indicator IS
  '评价指标 (indicator), a field of parcel_gov.indicators: tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占比, tax_per_kwh 单位电耗税收, revenue_per_kwh 单位电耗营业收入, va_per_water 单位水耗增加值, va_per_cod 单位COD排放增加值, rd_intensity_main R&D经费支出占主营业务收入比重';

CREATE FUNCTION parcel_gov.label(value parcel_gov.indicator)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value::text
    WHEN 'tax_per_mu' THEN '亩均税收'
    WHEN 'va_per_mu' THEN '亩均增加值'
    WHEN 'revenue_per_mu' THEN '亩均营业收入'
    WHEN 'labour_productivity' THEN '全员劳动生产率'
    WHEN 'va_per_energy' THEN '单位能耗增加值'
    WHEN 'va_per_emission' THEN '单位排放增加值'
    WHEN 'rd_intensity' THEN 'R&D经费支出占比'
    WHEN 'tax_per_kwh' THEN '单位电耗税收'
    WHEN 'revenue_per_kwh' THEN '单位电耗营业收入'
    WHEN 'va_per_water' THEN '单位水耗增加值'
    WHEN 'va_per_cod' THEN '单位COD排放增加值'
    WHEN 'rd_intensity_main' THEN 'R&D经费支出占主营业务收入比重'
END;
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.indicator) IS 'Chinese name of an indicator (指标名称)';

-- The value of one indicator in an indicators row.
CREATE FUNCTION parcel_gov.indicator_value(i parcel_gov.indicators, which parcel_gov.indicator)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE which
    WHEN 'tax_per_mu' THEN i.tax_per_mu
    WHEN 'va_per_mu' THEN i.va_per_mu
    WHEN 'revenue_per_mu' THEN i.revenue_per_mu
    WHEN 'labour_productivity' THEN i.labour_productivity
    WHEN 'va_per_energy' THEN i.va_per_energy
    WHEN 'va_per_emission' THEN i.va_per_emission
    WHEN 'rd_intensity' THEN i.rd_intensity
    WHEN 'tax_per_kwh' THEN i.tax_per_kwh
    WHEN 'revenue_per_kwh' THEN i.revenue_per_kwh
    WHEN 'va_per_water' THEN i.va_per_water
    WHEN 'va_per_cod' THEN i.va_per_cod
    WHEN 'rd_intensity_main' THEN i.rd_intensity_main
END;
COMMENT ON FUNCTION parcel_gov.indicator_value(parcel_gov.indicators, parcel_gov.indicator) IS
  'One indicator of an indicators row, by name';

CREATE FUNCTION parcel_gov.indicators(tax double precision, value_added double precision,
        revenue double precision, rd_expense double precision, staff double precision,
        energy_tce double precision, emission_t double precision, electricity_kwh double precision,
        water_t double precision, cod_t double precision, main_revenue double precision,
        area_mu double precision)
    RETURNS parcel_gov.indicators
    AS 'MODULE_PATHNAME', 'indicators_of_row'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators(double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision, double precision, double precision, double precision) IS
  'The indicators of one row (one firm-year): indicators_agg over that row alone, same rules, no grouping';

CREATE TYPE parcel_gov.score_method AS ENUM ('ratio', 'minmax');
COMMENT ON TYPE parcel_gov.score_method IS
  '计分方法: ratio (value ÷ benchmark × weight, 黄岩/临海), minmax (功效系数法 between the pool''s lowest and highest)';

CREATE TYPE parcel_gov.missing_score AS ENUM ('zero', 'pool_mean');
COMMENT ON TYPE parcel_gov.missing_score IS
  '缺项计分: what a firm without the indicator scores: zero, or pool_mean (the pool''s mean score of that indicator over firms that have it, 黄岩 for emissions)';
