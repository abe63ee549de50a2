-- parcel_gov install script, built from install/*.sql; do not edit the built copy.
-- CREATE EXTENSION runs it with search_path = pg_catalog, the PostGIS schema,
-- pg_temp; every name we create is qualified with parcel_gov.

\echo Use "CREATE EXTENSION parcel_gov CASCADE" to load this file. \quit

-- Not IF NOT EXISTS: a schema someone created beforehand could hold their objects.
CREATE SCHEMA parcel_gov;
COMMENT ON SCHEMA parcel_gov IS
  'parcel_gov: industrial-land per-mu efficiency governance (亩均效益评价, 一码管地, 低效工业用地数据库)';

COMMENT ON EXTENSION parcel_gov IS
  'parcel_gov: industrial-land per-mu efficiency governance in PostgreSQL/PostGIS (亩均效益评价, 一码管地, 低效工业用地数据库, 四个一批)';
-- Land units and per-mu figures (src/units.c, src/tax_tier.c).
-- Plain C scalars: they look no names up, so they carry no SET search_path
-- (it would cost ~10x per call).

CREATE FUNCTION parcel_gov.sqm_to_mu(area_sqm double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'sqm_to_mu'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.sqm_to_mu(double precision) IS
  'Square metres to mu (亩): m2 × 3 / 2000, exact; NaN/Infinity → 22023';

CREATE FUNCTION parcel_gov.mu_to_sqm(area_mu double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'mu_to_sqm'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.mu_to_sqm(double precision) IS
  'Mu (亩) to square metres: mu × 2000 / 3, exact; NaN/Infinity → 22023';

CREATE FUNCTION parcel_gov.per_mu(amount double precision, area_mu double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'per_mu'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.per_mu(double precision, double precision) IS
  'Amount per mu (亩均), e.g. 亩均税收 in 万元/亩; area ≤ 0 or not finite → 22023';

CREATE FUNCTION parcel_gov.tax_tier(tax_per_mu double precision,
                                    bounds double precision[] DEFAULT '{5,10,15}')
    RETURNS integer
    AS 'MODULE_PATHNAME', 'tax_tier'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.tax_tier(double precision, double precision[]) IS
  'Per-mu tax tier: 1 below the first bound (重点排查), 2 (重点检查), 3 (重点指导), 0 at or above all; bounds ascend, default 5/10/15 万元/亩';

CREATE FUNCTION parcel_gov.tier_label(tier integer)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE tier
    WHEN 1 THEN '重点排查'
    WHEN 2 THEN '重点检查'
    WHEN 3 THEN '重点指导'
    WHEN 0 THEN '达标'
END;
COMMENT ON FUNCTION parcel_gov.tier_label(integer) IS
  'Chinese label of a tax_tier: 1 重点排查 (examine first), 2 重点检查 (inspect), 3 重点指导 (guide), 0 达标 (at or above all bounds)';
-- Unified social credit codes (统一社会信用代码, GB 32100-2015) and
-- organisation codes (组织机构代码, GB 11714): src/uscc.c.

CREATE FUNCTION parcel_gov.uscc_valid(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_valid'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_valid(text) IS
  'true when code is a valid 统一社会信用代码 (GB 32100-2015: 18 characters, registration authority and type, 6-digit division code, check character)';

CREATE FUNCTION parcel_gov.uscc_problem(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_problem'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_problem(text) IS
  'What is wrong with a 统一社会信用代码, or NULL when it is valid; for import reports';

CREATE FUNCTION parcel_gov.uscc_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_check(text) IS
  'Check of the domain parcel_gov.uscc: true, or error 23514 saying what is wrong';

CREATE FUNCTION parcel_gov.org_code_valid(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'org_code_valid'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.org_code_valid(text) IS
  'true when code is a valid 9-character 组织机构代码 (GB 11714), as in positions 9–17 of a USCC';

CREATE DOMAIN parcel_gov.uscc AS text
    CONSTRAINT uscc_check CHECK (parcel_gov.uscc_check(VALUE));
COMMENT ON DOMAIN parcel_gov.uscc IS
  '统一社会信用代码 (unified social credit code, GB 32100-2015), check character verified';
-- Parcel area in mu over PostGIS (src/area_method.c decides how to measure).
-- A SQL-standard body binds the PostGIS names now, at CREATE EXTENSION, so the
-- function works under any search_path later.
-- IMMUTABLE like PostGIS's own ST_Transform: it reads spatial_ref_sys, which
-- holds reference definitions that PostGIS treats as fixed.

CREATE FUNCTION parcel_gov.area_method(srid integer, proj4text text, geometry_type text,
                                       is_empty boolean, validity text,
                                       xmin double precision, ymin double precision,
                                       xmax double precision, ymax double precision)
    RETURNS text
    AS 'MODULE_PATHNAME', 'area_method'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.area_method(integer, text, text, boolean, text,
                                           double precision, double precision,
                                           double precision, double precision) IS
  'Internal to area_mu: ''geodesic'' or ''planar'', or error 22023 saying why the geometry cannot be measured';

CREATE FUNCTION parcel_gov.area_mu(geom geometry)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN parcel_gov.sqm_to_mu(
    CASE parcel_gov.area_method(
            ST_SRID(geom),
            (SELECT s.proj4text FROM spatial_ref_sys s WHERE s.srid = ST_SRID(geom)),
            ST_GeometryType(geom), ST_IsEmpty(geom), ST_IsValidReason(geom),
            ST_XMin(geom::box3d), ST_YMin(geom::box3d), ST_XMax(geom::box3d), ST_YMax(geom::box3d))
        WHEN 'geodesic' THEN ST_Area(geom::geography, true)
        WHEN 'planar' THEN ST_Area(geom)
    END);
COMMENT ON FUNCTION parcel_gov.area_mu(geometry) IS
  'Area in mu (亩) of a valid Polygon/MultiPolygon: on the spheroid for geographic SRIDs (4490, 4326), planar for projected metre SRIDs (e.g. 4549); 22023 otherwise';
-- The enums of the evaluation and the register, each with a Chinese label.
-- Labels are SQL-standard bodies: inlined, so as fast as C in a view.

CREATE TYPE parcel_gov.grade AS ENUM ('A', 'B', 'C', 'D');
COMMENT ON TYPE parcel_gov.grade IS
  '亩均效益综合评价等级 (per-mu efficiency grade): A 优先发展, B 鼓励提升, C 监管调控, D 落后整治';

CREATE FUNCTION parcel_gov.label(value parcel_gov.grade)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'A' THEN '优先发展'
    WHEN 'B' THEN '鼓励提升'
    WHEN 'C' THEN '监管调控'
    WHEN 'D' THEN '落后整治'
END;

CREATE TYPE parcel_gov.batch AS ENUM
    ('demolish_rebuild', 'rectify_upgrade', 'function_transform', 'shutdown_exit');
COMMENT ON TYPE parcel_gov.batch IS
  '四个一批 (the four batches): demolish_rebuild 拆除重建, rectify_upgrade 整治提升, function_transform 功能转型, shutdown_exit 关停退出';

CREATE FUNCTION parcel_gov.label(value parcel_gov.batch)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'demolish_rebuild' THEN '拆除重建'
    WHEN 'rectify_upgrade' THEN '整治提升'
    WHEN 'function_transform' THEN '功能转型'
    WHEN 'shutdown_exit' THEN '关停退出'
END;

CREATE TYPE parcel_gov.register_state AS ENUM
    ('candidate', 'confirmed', 'registered', 'in_treatment', 'assessing', 'exited', 'rejected');
COMMENT ON TYPE parcel_gov.register_state IS
  '低效工业用地数据库 register state: candidate 调查核实, confirmed 审核认定, registered 建档入库, in_treatment 整治提升, assessing 评估, exited 出库, rejected 认定不通过';

CREATE FUNCTION parcel_gov.label(value parcel_gov.register_state)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'candidate' THEN '调查核实'
    WHEN 'confirmed' THEN '审核认定'
    WHEN 'registered' THEN '建档入库'
    WHEN 'in_treatment' THEN '整治提升'
    WHEN 'assessing' THEN '评估'
    WHEN 'exited' THEN '出库'
    WHEN 'rejected' THEN '认定不通过'
END;

CREATE TYPE parcel_gov.low_efficiency_kind AS ENUM
    ('low_per_mu', 'grade_d', 'approved_unsupplied', 'supplied_unused', 'underused',
     'built_not_operating', 'below_target', 'idle', 'non_industrial', 'prohibited_industry');
COMMENT ON TYPE parcel_gov.low_efficiency_kind IS
  '低效工业用地类型: low_per_mu 亩均税收低, grade_d 评价D类, 五未 (approved_unsupplied 批而未供, supplied_unused 供而未用, underused 用而未尽, built_not_operating 建而未投, below_target 投而未达标), idle 闲置土地, non_industrial 占工非工, prohibited_industry 禁止/淘汰类产业';

CREATE FUNCTION parcel_gov.label(value parcel_gov.low_efficiency_kind)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'low_per_mu' THEN '亩均税收低'
    WHEN 'grade_d' THEN '评价D类'
    WHEN 'approved_unsupplied' THEN '批而未供'
    WHEN 'supplied_unused' THEN '供而未用'
    WHEN 'underused' THEN '用而未尽'
    WHEN 'built_not_operating' THEN '建而未投'
    WHEN 'below_target' THEN '投而未达标'
    WHEN 'idle' THEN '闲置土地'
    WHEN 'non_industrial' THEN '占工非工'
    WHEN 'prohibited_industry' THEN '禁止/淘汰类产业'
END;

COMMENT ON FUNCTION parcel_gov.label(parcel_gov.grade) IS 'Chinese name of a grade (等级名称)';
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.batch) IS 'Chinese name of a batch (四个一批)';
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.register_state) IS 'Chinese name of a register state (入库流程)';
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.low_efficiency_kind) IS 'Chinese name of a low-efficiency kind (低效类型)';
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
     'va_per_energy', 'va_per_emission', 'rd_intensity', 'tax_per_kwh');
COMMENT ON TYPE parcel_gov.indicator IS
  '评价指标 (indicator), a field of parcel_gov.indicators: tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占比, tax_per_kwh 单位电耗税收';

CREATE FUNCTION parcel_gov.label(value parcel_gov.indicator)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'tax_per_mu' THEN '亩均税收'
    WHEN 'va_per_mu' THEN '亩均增加值'
    WHEN 'revenue_per_mu' THEN '亩均营业收入'
    WHEN 'labour_productivity' THEN '全员劳动生产率'
    WHEN 'va_per_energy' THEN '单位能耗增加值'
    WHEN 'va_per_emission' THEN '单位排放增加值'
    WHEN 'rd_intensity' THEN 'R&D经费支出占比'
    WHEN 'tax_per_kwh' THEN '单位电耗税收'
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
END;
COMMENT ON FUNCTION parcel_gov.indicator_value(parcel_gov.indicators, parcel_gov.indicator) IS
  'One indicator of an indicators row, by name';

CREATE FUNCTION parcel_gov.indicators(tax double precision, value_added double precision,
        revenue double precision, rd_expense double precision, staff double precision,
        energy_tce double precision, emission_t double precision, electricity_kwh double precision,
        area_mu double precision)
    RETURNS parcel_gov.indicators
    AS 'MODULE_PATHNAME', 'indicators_of_row'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators(double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision) IS
  'The indicators of one row (one firm-year): indicators_agg over that row alone, same rules, no grouping';

CREATE TYPE parcel_gov.score_method AS ENUM ('ratio', 'minmax');
COMMENT ON TYPE parcel_gov.score_method IS
  '计分方法: ratio (value ÷ benchmark × weight, 黄岩/临海), minmax (功效系数法 between the pool''s lowest and highest)';

CREATE TYPE parcel_gov.missing_score AS ENUM ('zero', 'pool_mean');
COMMENT ON TYPE parcel_gov.missing_score IS
  '缺项计分: what a firm without the indicator scores: zero, or pool_mean (the pool''s mean score of that indicator over firms that have it, 黄岩 for emissions)';
-- The data model (design.md §3): regions, parks, parcels, firms, leases and
-- yearly firm data.  User data: registered with pg_extension_config_dump so
-- pg_dump keeps it.  Parcels are stored in CGCS2000 (EPSG:4490).

CREATE TABLE parcel_gov.region (
    code          text PRIMARY KEY
                  CONSTRAINT region_code_6_digits CHECK (code ~ '^[0-9]{6}$'),
    name          text NOT NULL,
    parent_code   text REFERENCES parcel_gov.region,
    level         text NOT NULL GENERATED ALWAYS AS
                  (CASE WHEN code LIKE '%0000' THEN 'province'
                        WHEN code LIKE '%00' THEN 'city' ELSE 'county' END) STORED,
    valid_from    date,
    valid_to      date,
    superseded_by text REFERENCES parcel_gov.region,
    CONSTRAINT region_validity_ordered CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from < valid_to)
);
COMMENT ON TABLE parcel_gov.region IS
  '行政区划 (administrative divisions, GB/T 2260 codes): 330000 province, 330600 city, 330604 county; superseded codes stay with their validity (上虞 330682 → 330604)';

CREATE TABLE parcel_gov.park (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    region_code text NOT NULL REFERENCES parcel_gov.region,
    geom        geometry(MultiPolygon, 4490),
    UNIQUE (region_code, name)
);
COMMENT ON TABLE parcel_gov.park IS '开发区/园区 (development zones and industrial parks)';

CREATE TABLE parcel_gov.enterprise (
    uscc          parcel_gov.uscc PRIMARY KEY,
    name          text NOT NULL,
    region_code   text NOT NULL REFERENCES parcel_gov.region,
    industry_code text CONSTRAINT enterprise_industry_gbt4754
                  CHECK (industry_code ~ '^[A-T]([0-9]{2}([0-9]{1,2})?)?$')
);
COMMENT ON TABLE parcel_gov.enterprise IS
  '企业 (firms): 统一社会信用代码, the county that evaluates them (never derived from the USCC), 国民经济行业代码 (GB/T 4754, e.g. C3311)';

CREATE TABLE parcel_gov.parcel (
    code                   parcel_gov.parcel_code PRIMARY KEY,
    fid                    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    region_code            text NOT NULL REFERENCES parcel_gov.region,
    park_id                bigint REFERENCES parcel_gov.park,
    geom                   geometry(MultiPolygon, 4490) NOT NULL,
    area_mu                double precision NOT NULL GENERATED ALWAYS AS (parcel_gov.area_mu(geom)) STORED,
    holder_uscc            parcel_gov.uscc REFERENCES parcel_gov.enterprise,
    supply_date            date,
    land_use_scheme        text,
    planned_use            text,
    actual_use             text,
    planned_industrial     boolean,
    actual_industrial      boolean,
    land_status            text NOT NULL DEFAULT 'normal'
                           CONSTRAINT parcel_land_status_known CHECK (land_status IN
                             ('normal', 'approved_unsupplied', 'supplied_unused', 'underused',
                              'built_not_operating', 'below_target', 'idle')),
    plan_conforming        boolean,
    building_condition     text CONSTRAINT parcel_building_condition_known
                           CHECK (building_condition IN ('good', 'fair', 'poor', 'dilapidated')),
    floor_area_ratio       double precision CONSTRAINT parcel_far_finite_non_negative
                           CHECK (floor_area_ratio >= 0 AND floor_area_ratio < 'Infinity'),
    contract_investment_intensity double precision,
    contract_floor_area_ratio     double precision,
    contract_tax_per_mu           double precision,
    contract_completion_date      date
);
COMMENT ON TABLE parcel_gov.parcel IS
  '工业用地宗地 (industrial parcels), one 宗地代码 each (一码管地); geom in CGCS2000 (EPSG:4490), area_mu computed from it on the spheroid; holder = 土地使用权人';
COMMENT ON COLUMN parcel_gov.parcel.land_status IS
  '五未 status or idle: normal, approved_unsupplied 批而未供, supplied_unused 供而未用, underused 用而未尽, built_not_operating 建而未投, below_target 投而未达标, idle 闲置土地';
COMMENT ON COLUMN parcel_gov.parcel.land_use_scheme IS
  'the scheme planned_use/actual_use codes come from (GB/T 21010, 三调, 用地用海, planning)';
CREATE INDEX parcel_holder_idx ON parcel_gov.parcel (holder_uscc);
CREATE INDEX parcel_region_idx ON parcel_gov.parcel (region_code);
CREATE INDEX parcel_park_idx ON parcel_gov.parcel (park_id);
CREATE INDEX parcel_geom_idx ON parcel_gov.parcel USING gist (geom);

CREATE TABLE parcel_gov.lease (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_code parcel_gov.parcel_code NOT NULL REFERENCES parcel_gov.parcel,
    lessee_uscc parcel_gov.uscc NOT NULL REFERENCES parcel_gov.enterprise,
    area_mu     double precision NOT NULL
                CONSTRAINT lease_area_positive CHECK (area_mu > 0 AND area_mu < 'Infinity'),
    during      daterange NOT NULL CONSTRAINT lease_during_bounded CHECK (NOT isempty(during))
);
COMMENT ON TABLE parcel_gov.lease IS
  '租赁用地 (land leased from its holder to a lessee): net land of a firm = held − leased out + leased in, for leases whose term overlaps the year';
CREATE INDEX lease_parcel_idx ON parcel_gov.lease (parcel_code);
CREATE INDEX lease_lessee_idx ON parcel_gov.lease (lessee_uscc);

CREATE TABLE parcel_gov.enterprise_year (
    uscc            parcel_gov.uscc NOT NULL REFERENCES parcel_gov.enterprise,
    year            integer NOT NULL CONSTRAINT enterprise_year_plausible CHECK (year BETWEEN 1949 AND 2200),
    size_class      parcel_gov.size_class NOT NULL,
    tax             double precision CHECK (tax > '-Infinity' AND tax < 'Infinity'),
    value_added     double precision CHECK (value_added > '-Infinity' AND value_added < 'Infinity'),
    revenue         double precision CHECK (revenue >= 0 AND revenue < 'Infinity'),
    rd_expense      double precision CHECK (rd_expense > '-Infinity' AND rd_expense < 'Infinity'),
    staff           double precision CHECK (staff >= 0 AND staff < 'Infinity'),
    energy_tce      double precision CHECK (energy_tce >= 0 AND energy_tce < 'Infinity'),
    emission_t      double precision CHECK (emission_t >= 0 AND emission_t < 'Infinity'),
    electricity_kwh double precision CHECK (electricity_kwh >= 0 AND electricity_kwh < 'Infinity'),
    exempt_reason   text,
    veto_reason     text,
    bonus           double precision NOT NULL DEFAULT 0 CHECK (bonus >= 0 AND bonus < 'Infinity'),
    deduction       double precision NOT NULL DEFAULT 0 CHECK (deduction >= 0 AND deduction < 'Infinity'),
    backward_capacity   boolean NOT NULL DEFAULT false,
    prohibited_industry boolean NOT NULL DEFAULT false,
    PRIMARY KEY (uscc, year)
);
COMMENT ON TABLE parcel_gov.enterprise_year IS
  '企业年度数据 (yearly inputs per firm): money in 万元 (tax = 税收实际贡献), energy in tce, emissions in t, electricity in kWh, staff = yearly average; exempt_reason: not graded (T); veto_reason: 一票否决, final grade D';
CREATE INDEX enterprise_year_year_idx ON parcel_gov.enterprise_year (year);

-- Leases: a lease fits its parcel, all leases of a parcel in force at once fit
-- it together, and nobody leases their own land.  The parcel row is locked so
-- concurrent leases of one parcel are checked one after the other.
CREATE FUNCTION parcel_gov.lease_fits_parcel() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    leased double precision;
BEGIN
    SELECT code, area_mu, holder_uscc INTO p
    FROM parcel_gov.parcel WHERE code = NEW.parcel_code FOR UPDATE;
    IF NEW.lessee_uscc = p.holder_uscc THEN
        RAISE EXCEPTION 'lease of parcel % to its own holder %', NEW.parcel_code, NEW.lessee_uscc
            USING ERRCODE = '23514', HINT = 'A lease moves land from the holder to another firm.';
    END IF;
    SELECT coalesce(sum(l.area_mu), 0) INTO leased
    FROM parcel_gov.lease l
    WHERE l.parcel_code = NEW.parcel_code AND l.during && NEW.during AND l.id IS DISTINCT FROM NEW.id;
    IF leased + NEW.area_mu > p.area_mu * (1 + 1e-9) THEN
        RAISE EXCEPTION 'leases of parcel % would cover % mu of its % mu during %',
                        NEW.parcel_code, round((leased + NEW.area_mu)::numeric, 4),
                        round(p.area_mu::numeric, 4), NEW.during
            USING ERRCODE = '23514',
                  HINT = 'A lease cannot be larger than its parcel, nor overlap other leases of it beyond the parcel''s area.';
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.lease_fits_parcel() IS
  'Trigger: a lease fits its parcel together with the other leases in force at the same time (23514 otherwise)';
CREATE TRIGGER lease_fits_parcel BEFORE INSERT OR UPDATE ON parcel_gov.lease
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.lease_fits_parcel();

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.park', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.park', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.parcel', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.parcel', 'fid'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.lease', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.lease', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise_year', '');
-- Rules as data (design.md §4.4, domain.md §9): a rule set per region prefix
-- and years, its pools (quotas, land floor, industry groups, rental
-- deductions) and its indicators (weight, benchmark, cap, method, missing).
-- The most specific region prefix wins.  Built-in rule sets (the default and
-- the presets) are read-only; adopt a preset with rule_set_adopt().

CREATE TABLE parcel_gov.rule_set (
    id            text PRIMARY KEY CONSTRAINT rule_set_id_word CHECK (id ~ '^[a-z][a-z0-9_]*$'),
    name          text NOT NULL,
    region_prefix text CONSTRAINT rule_set_region_prefix CHECK (region_prefix ~ '^([0-9]{2}){0,3}$'),
    year_from     integer,
    year_to       integer,
    builtin       boolean NOT NULL DEFAULT false,
    source        text,
    new_land_exempt_years     integer CHECK (new_land_exempt_years > 0),
    persistent_low_min_mu     double precision NOT NULL DEFAULT 20 CHECK (persistent_low_min_mu >= 0),
    persistent_low_tax_per_mu double precision NOT NULL DEFAULT 3,
    still_below_min_mu        double precision NOT NULL DEFAULT 20 CHECK (still_below_min_mu >= 0),
    doubling_min_revenue      double precision NOT NULL DEFAULT 10000,
    doubling_min_tax          double precision NOT NULL DEFAULT 300,
    CONSTRAINT rule_set_years_ordered CHECK (year_to IS NULL OR year_from IS NULL OR year_from <= year_to)
);
COMMENT ON TABLE parcel_gov.rule_set IS
  '评价规则 (a county''s rules for some years): region_prefix ''33'' province, ''3306'' city, ''330604'' county, '''' everywhere (the default), NULL a preset not applied anywhere; the most specific prefix wins';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_min_mu IS
  '桐庐: firms on at least this many mu whose 亩均税收 stayed under persistent_low_tax_per_mu three years running';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_min_mu IS
  '金东: firms on at least this many mu still 规下 after three years';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_revenue IS
  '金东 capacity doubling (亩产倍增): grade B or better with revenue ≥ this (万元) or tax ≥ doubling_min_tax';
CREATE UNIQUE INDEX rule_set_applies_once
    ON parcel_gov.rule_set (region_prefix, coalesce(year_from, -1)) WHERE region_prefix IS NOT NULL;

CREATE TABLE parcel_gov.rule_pool (
    rule_set_id       text NOT NULL REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    pool              parcel_gov.size_class NOT NULL,
    a_share           double precision NOT NULL DEFAULT 0.20,
    b_share           double precision NOT NULL DEFAULT 0.80,
    c_share           double precision NOT NULL DEFAULT 0.95,
    land_floor_mu     double precision NOT NULL DEFAULT 0 CHECK (land_floor_mu >= 0 AND land_floor_mu < 'Infinity'),
    group_by_industry boolean NOT NULL DEFAULT false,
    rental_first_deduction   double precision NOT NULL DEFAULT 0 CHECK (rental_first_deduction >= 0),
    rental_further_deduction double precision NOT NULL DEFAULT 0 CHECK (rental_further_deduction >= 0),
    low_tax_per_mu    double precision,
    PRIMARY KEY (rule_set_id, pool),
    CONSTRAINT rule_pool_quota_shares_ascend_within_0_1
        CHECK (0 <= a_share AND a_share <= b_share AND b_share <= c_share AND c_share <= 1)
);
COMMENT ON TABLE parcel_gov.rule_pool IS
  '评价分组 (a pool of a rule set: 规上 or 规下): cumulative grade quotas (A top a_share, B to b_share, C to c_share, D the rest), land floor (firms under it are not graded), ranking within industry groups, rental deductions (温岭), low per-mu tax threshold for the register';

CREATE TABLE parcel_gov.rule_indicator (
    rule_set_id          text NOT NULL,
    pool                 parcel_gov.size_class NOT NULL,
    indicator            parcel_gov.indicator NOT NULL,
    weight               double precision NOT NULL CHECK (weight > 0 AND weight <= 100),
    method               parcel_gov.score_method NOT NULL DEFAULT 'ratio',
    benchmark_fixed      double precision CHECK (benchmark_fixed > 0 AND benchmark_fixed < 'Infinity'),
    benchmark_multiplier double precision NOT NULL DEFAULT 1
                         CHECK (benchmark_multiplier > 0 AND benchmark_multiplier < 'Infinity'),
    cap                  double precision CHECK (cap > 0 AND cap < 'Infinity'),
    missing              parcel_gov.missing_score NOT NULL DEFAULT 'zero',
    PRIMARY KEY (rule_set_id, pool, indicator),
    FOREIGN KEY (rule_set_id, pool) REFERENCES parcel_gov.rule_pool ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE parcel_gov.rule_indicator IS
  '评价指标及权重: weight (points; a pool''s weights sum to 100), benchmark fixed (基准值) or, when NULL, the pool''s ratio of sums × benchmark_multiplier, optional cap (× weight), method ratio/minmax, what a firm without the figure scores';

CREATE TABLE parcel_gov.rule_industry_group (
    rule_set_id       text NOT NULL REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    industry_group    text NOT NULL,
    industry_prefixes text[] NOT NULL,
    PRIMARY KEY (rule_set_id, industry_group)
);
COMMENT ON TABLE parcel_gov.rule_industry_group IS
  '行业分组 (温岭): firms whose GB/T 4754 code starts with one of the prefixes rank within that group; others in ''其他''';

-- A pool's weights must sum to 100: checked at commit of a change to its
-- indicators, so a rule set can be written row by row in one transaction.
CREATE FUNCTION parcel_gov.rule_weights_sum_to_100() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    SELECT p.rule_set_id, p.pool, coalesce(sum(i.weight), 0) AS total INTO bad
    FROM parcel_gov.rule_pool p
    LEFT JOIN parcel_gov.rule_indicator i USING (rule_set_id, pool)
    WHERE p.rule_set_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.rule_set_id ELSE NEW.rule_set_id END)
    GROUP BY p.rule_set_id, p.pool
    HAVING abs(coalesce(sum(i.weight), 0) - 100) > 1e-9
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rule set %, pool %: weights sum to %, not 100', bad.rule_set_id, bad.pool, bad.total
            USING ERRCODE = '23514',
                  HINT = 'Give the pool''s indicators weights that add up to 100 points within the transaction.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_weights_sum_to_100() IS
  'Constraint trigger: at commit, every pool of a changed rule set has indicator weights summing to 100 (23514 otherwise)';
-- The rule set that applies to a region in a year: the most specific prefix,
-- then the latest start.
CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer) IS
  'The rule set applying to a region code in a year: the most specific region prefix, then the latest year_from';

-- Copies a rule set (typically a preset) under a new id for a region and years.
CREATE FUNCTION parcel_gov.rule_set_adopt(template text, new_id text, region_prefix text,
                                          year_from integer DEFAULT NULL, year_to integer DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set WHERE id = template) THEN
        RAISE EXCEPTION 'no rule set %', template USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    INSERT INTO parcel_gov.rule_set (id, name, region_prefix, year_from, year_to, builtin, source,
                                     new_land_exempt_years, persistent_low_min_mu, persistent_low_tax_per_mu,
                                     still_below_min_mu, doubling_min_revenue, doubling_min_tax)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years; returns new_id';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_set', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_pool',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_indicator',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_industry_group',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
-- The shipped rule sets (domain.md §9): the pinned default, applied everywhere
-- unless a region has its own, and presets a county adopts with
-- rule_set_adopt().  Money in 万元, so a 元/kWh benchmark is divided by 10⁴.

INSERT INTO parcel_gov.rule_set (id, name, region_prefix, builtin, source) VALUES
  ('default', '默认规则 (design.md §4.4: 黄岩 weights, pool benchmarks, 温岭 quotas)', '', true,
   'weights 黄岩 2021/2022; benchmark = pool ratio of sums; quotas 20/80/95 (温岭 2022); 规下 under 3 mu not graded'),
  ('huangyan_2022', '黄岩区 2022 亩均效益评价', NULL, true,
   '黄岩 2022 published formula with fixed benchmarks; 规下 单位用电税收 0.2352 元/kWh = 0.00002352 万元/kWh'),
  ('linhai_2014', '临海市 2014–2016 亩均效益评价', NULL, true,
   '临海 2014–16 fixed benchmarks; its 单位用水量工业增加值 (5 points) has no figure in parcel_gov, so those points go to 亩均税收 (40 → 45); 2 元/kWh = 0.0002 万元/kWh'),
  ('wenling_2022_parks', '温岭市 2022 工业园区亩均效益评价', NULL, true,
   '温岭 2022 parks: five industry groups, 规下 quotas 5/75/95, rental deductions (规上 0 then 5 per lessee, 规下 10 then 5); indicator weights not published: 黄岩 weights for 规上, 50/50 tax and revenue per mu for 规下'),
  ('tax_only_below', '规下仅亩均税收 (景宁/杭州)', NULL, true,
   '景宁 2022, 杭州 2018: 规下 firms are scored on 亩均税收 alone; 规上 as the default');

INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu,
                                  group_by_industry, rental_first_deduction, rental_further_deduction,
                                  low_tax_per_mu) VALUES
  ('default',            'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6),
  ('default',            'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3),
  ('huangyan_2022',      'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6),
  ('huangyan_2022',      'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3),
  ('linhai_2014',        'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6),
  ('linhai_2014',        'below', 0.20, 0.80, 0.95, 0, false, 0, 0, 3),
  ('wenling_2022_parks', 'above', 0.20, 0.80, 0.95, 0, true, 0, 5, 6),
  ('wenling_2022_parks', 'below', 0.05, 0.75, 0.95, 0, true, 10, 5, 3),
  ('tax_only_below',     'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6),
  ('tax_only_below',     'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3);

INSERT INTO parcel_gov.rule_indicator (rule_set_id, pool, indicator, weight, benchmark_fixed, missing) VALUES
  ('default', 'above', 'tax_per_mu',          30, NULL, 'zero'),
  ('default', 'above', 'va_per_mu',           20, NULL, 'zero'),
  ('default', 'above', 'va_per_energy',       20, NULL, 'zero'),
  ('default', 'above', 'va_per_emission',     10, NULL, 'pool_mean'),
  ('default', 'above', 'labour_productivity', 10, NULL, 'zero'),
  ('default', 'above', 'rd_intensity',        10, NULL, 'zero'),
  ('default', 'below', 'tax_per_mu',          50, NULL, 'zero'),
  ('default', 'below', 'tax_per_kwh',         50, NULL, 'zero'),
  ('huangyan_2022', 'above', 'tax_per_mu',          30, 24.097,  'zero'),
  ('huangyan_2022', 'above', 'va_per_mu',           20, 136.16,  'zero'),
  ('huangyan_2022', 'above', 'va_per_energy',       20, 2.694,   'zero'),
  ('huangyan_2022', 'above', 'va_per_emission',     10, 4929.81, 'pool_mean'),
  ('huangyan_2022', 'above', 'labour_productivity', 10, 18.14,   'zero'),
  ('huangyan_2022', 'above', 'rd_intensity',        10, 0.0302,  'zero'),
  ('huangyan_2022', 'below', 'tax_per_mu',          50, 11.5932, 'zero'),
  ('huangyan_2022', 'below', 'tax_per_kwh',         50, 0.00002352, 'zero'),
  ('linhai_2014', 'above', 'tax_per_mu',          45, 15,     'zero'),
  ('linhai_2014', 'above', 'revenue_per_mu',      10, 300,    'zero'),
  ('linhai_2014', 'above', 'va_per_energy',       20, 3,      'zero'),
  ('linhai_2014', 'above', 'va_per_emission',     15, 500,    'zero'),
  ('linhai_2014', 'above', 'labour_productivity', 10, 15,     'zero'),
  ('linhai_2014', 'below', 'tax_per_mu',          50, 15,     'zero'),
  ('linhai_2014', 'below', 'revenue_per_mu',      20, 300,    'zero'),
  ('linhai_2014', 'below', 'tax_per_kwh',         30, 0.0002, 'zero'),
  ('wenling_2022_parks', 'above', 'tax_per_mu',          30, NULL, 'zero'),
  ('wenling_2022_parks', 'above', 'va_per_mu',           20, NULL, 'zero'),
  ('wenling_2022_parks', 'above', 'va_per_energy',       20, NULL, 'zero'),
  ('wenling_2022_parks', 'above', 'va_per_emission',     10, NULL, 'pool_mean'),
  ('wenling_2022_parks', 'above', 'labour_productivity', 10, NULL, 'zero'),
  ('wenling_2022_parks', 'above', 'rd_intensity',        10, NULL, 'zero'),
  ('wenling_2022_parks', 'below', 'tax_per_mu',          50, NULL, 'zero'),
  ('wenling_2022_parks', 'below', 'revenue_per_mu',      50, NULL, 'zero'),
  ('tax_only_below', 'above', 'tax_per_mu',          30, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_mu',           20, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_energy',       20, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_emission',     10, NULL, 'pool_mean'),
  ('tax_only_below', 'above', 'labour_productivity', 10, NULL, 'zero'),
  ('tax_only_below', 'above', 'rd_intensity',        10, NULL, 'zero'),
  ('tax_only_below', 'below', 'tax_per_mu',         100, NULL, 'zero');

-- 温岭's five industry groups (GB/T 4754 divisions); the rest rank as 其他.
INSERT INTO parcel_gov.rule_industry_group (rule_set_id, industry_group, industry_prefixes) VALUES
  ('wenling_2022_parks', '纺织鞋帽橡塑', '{C17,C18,C19,C29}'),
  ('wenling_2022_parks', '金属及金属制品', '{C31,C32,C33}'),
  ('wenling_2022_parks', '泵阀动力通用机械', '{C34}'),
  ('wenling_2022_parks', '电子电气仪器仪表', '{C38,C39,C40}');

-- The check of rule_weights_sum_to_100 (after the shipped rows, which pass it).
CREATE CONSTRAINT TRIGGER rule_indicator_weights_sum_to_100
    AFTER INSERT OR UPDATE OR DELETE ON parcel_gov.rule_indicator
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_weights_sum_to_100();
-- Not on rule_pool: pg_restore loads a pool in its own transaction before its
-- indicators.  A pool without indicators grades nobody (evaluate() says so).

-- Built-in rule sets are shipped data: changing them would be lost by pg_dump.
-- (Created after the shipped rows are in; an update script that changes them
-- disables these triggers around the change.)
CREATE FUNCTION parcel_gov.rule_builtin_read_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- as jsonb: a trigger shared by four tables reads their fields by name
    before_ jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END;
    after_ jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END;
BEGIN
    IF TG_TABLE_NAME = 'rule_set' THEN
        IF (before_->>'builtin')::boolean THEN
            RAISE EXCEPTION 'rule set % is built in and read-only', before_->>'id'
                USING ERRCODE = '42501',
                      HINT = 'Copy it with parcel_gov.rule_set_adopt(preset, new_id, region_prefix, year_from) and change the copy.';
        END IF;
        IF (after_->>'builtin')::boolean THEN
            RAISE EXCEPTION 'rule set % cannot be marked built in', after_->>'id'
                USING ERRCODE = '42501',
                      HINT = 'Built-in rule sets ship with parcel_gov; yours have builtin = false.';
        END IF;
    ELSIF EXISTS (SELECT FROM parcel_gov.rule_set r
                  WHERE r.builtin AND r.id IN (before_->>'rule_set_id', after_->>'rule_set_id')) THEN
        RAISE EXCEPTION 'rule set % is built in and read-only',
                        coalesce(before_->>'rule_set_id', after_->>'rule_set_id')
            USING ERRCODE = '42501',
                  HINT = 'Copy it with parcel_gov.rule_set_adopt(preset, new_id, region_prefix, year_from) and change the copy.';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_builtin_read_only() IS
  'Trigger: built-in rule sets (the default and the presets) cannot be changed (42501); adopt a copy instead';
CREATE TRIGGER rule_set_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_set
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();
CREATE TRIGGER rule_pool_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_pool
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();
CREATE TRIGGER rule_indicator_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_indicator
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();
CREATE TRIGGER rule_industry_group_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_industry_group
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();

-- Results of the yearly per-mu evaluation (亩均效益综合评价), written by evaluate().

CREATE TABLE parcel_gov.evaluation (
    id            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    year          integer NOT NULL,
    -- No foreign key: evaluate() writes only firms it read from enterprise, and
    -- a per-row key check would cost more than the rest of a province's run.
    uscc          parcel_gov.uscc NOT NULL,
    region_code   text NOT NULL,
    rule_set_id   text,
    pool          parcel_gov.size_class NOT NULL,
    industry_group text,
    held_mu       double precision NOT NULL,
    leased_out_mu double precision NOT NULL,
    leased_in_mu  double precision NOT NULL,
    area_mu       double precision NOT NULL,
    tax           double precision,
    value_added   double precision,
    revenue       double precision,
    tax_per_mu          double precision,
    va_per_mu           double precision,
    revenue_per_mu      double precision,
    labour_productivity double precision,
    va_per_energy       double precision,
    va_per_emission     double precision,
    rd_intensity        double precision,
    tax_per_kwh         double precision,
    score_tax_per_mu          double precision,
    score_va_per_mu           double precision,
    score_revenue_per_mu      double precision,
    score_labour_productivity double precision,
    score_va_per_energy       double precision,
    score_va_per_emission     double precision,
    score_rd_intensity        double precision,
    score_tax_per_kwh         double precision,
    bonus            double precision NOT NULL DEFAULT 0,
    deduction        double precision NOT NULL DEFAULT 0,
    rental_deduction double precision NOT NULL DEFAULT 0,
    score         double precision,
    rank          integer,
    pool_size     integer,
    grade_initial parcel_gov.grade,
    grade         parcel_gov.grade,
    not_graded    text,
    veto_reason   text,
    evaluated_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (year, uscc),
    CONSTRAINT evaluation_graded_or_why CHECK ((grade IS NULL) = (not_graded IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.evaluation IS
  '亩均效益评价结果: one row per firm and year; area_mu is the net land (held − leased out + leased in); score = Σ indicator scores + bonus − deduction − rental_deduction; grade_initial by quota (初评等级), grade after a veto (调档后等级); not_graded says why a firm has no grade (exempt: T, land floor, no land)';
CREATE INDEX evaluation_region_year_idx ON parcel_gov.evaluation (region_code, year);

CREATE TABLE parcel_gov.evaluation_benchmark (
    year        integer NOT NULL,
    region_code text NOT NULL,
    pool        parcel_gov.size_class NOT NULL,
    indicator   parcel_gov.indicator NOT NULL,
    rule_set_id text NOT NULL,
    benchmark   double precision,
    pool_value  double precision,
    lo          double precision,
    hi          double precision,
    firms       integer NOT NULL,
    PRIMARY KEY (year, region_code, pool, indicator)
);
COMMENT ON TABLE parcel_gov.evaluation_benchmark IS
  '基准值: the benchmark each pool was scored against (fixed by the rule, or the pool''s ratio of sums × multiplier), the pool''s own value, and its range (for minmax)';

CREATE TABLE parcel_gov.evaluation_run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year         integer NOT NULL,
    region_prefix text NOT NULL,
    run_by       name NOT NULL DEFAULT current_user,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    firms        integer NOT NULL,
    graded       integer NOT NULL,
    changed      integer NOT NULL
);
COMMENT ON TABLE parcel_gov.evaluation_run IS '评价运行记录: each evaluate() run: who, when, what region and year, how many firms evaluated, graded and changed';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_benchmark', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_run', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation_run', 'id'), '');

-- '330604' → '330604', '330600' → '3306', '330000' → '33', '3306' → '3306', NULL → '' (everywhere).
CREATE FUNCTION parcel_gov.region_prefix(region text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF region IS NULL THEN
        RETURN '';
    END IF;
    IF region !~ '^([0-9]{2}){1,3}$' THEN
        RAISE EXCEPTION 'invalid region "%"', region USING ERRCODE = '22023',
            HINT = 'Give a 6-digit division code (330604 county, 330600 city, 330000 province) or its prefix (3306, 33), or NULL for every region.';
    END IF;
    IF length(region) = 6 THEN
        RETURN regexp_replace(regexp_replace(region, '0000$', ''), '00$', '');
    END IF;
    RETURN region;
END $$;
COMMENT ON FUNCTION parcel_gov.region_prefix(text) IS
  'The code prefix a region stands for: 330604 → 330604, 330600 → 3306, 330000 → 33; NULL → '''' (everywhere); 22023 for anything else';
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
    -- Row-level security would hide another region's rows from the run; say so instead.
    IF NOT prefix ^@ ANY (parcel_gov.visible_prefixes()) THEN
        RAISE EXCEPTION 'evaluate: region % is not granted to %', coalesce(nullif(prefix, ''), 'all regions'), current_user
            USING ERRCODE = '42501',
            HINT = 'Evaluate a region you were granted (parcel_gov.visible_prefixes()); parcel_gov_admin grants regions with region_grant().';
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
-- The views analysts and BI tools read (design.md §4.5).  security_invoker:
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
-- Where a parcel is, for BI tools that cannot draw PostGIS geometry (design.md
-- §9): a point on its surface in WGS 84, kept with the row instead of
-- transformed on every read of a view.
ALTER TABLE parcel_gov.parcel
    ADD COLUMN lon double precision GENERATED ALWAYS AS (ST_X(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED,
    ADD COLUMN lat double precision GENERATED ALWAYS AS (ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED;
COMMENT ON COLUMN parcel_gov.parcel.lon IS
  '经度 (WGS 84, EPSG:4326) of a point on the parcel''s surface, for maps in BI tools; GCJ-02 (高德/腾讯) and BD-09 (百度) basemaps are offset from it, 天地图 is not';
COMMENT ON COLUMN parcel_gov.parcel.lat IS
  '纬度 (WGS 84, EPSG:4326) of a point on the parcel''s surface';
-- The low-efficiency parcel register (低效工业用地数据库, 一地一档) and its
-- history (design.md §3, §5): C triggers keep the state machine and write one
-- register_event per change (src/register_trigger.c).

CREATE TABLE parcel_gov.register (
    parcel_code       parcel_gov.parcel_code PRIMARY KEY REFERENCES parcel_gov.parcel,
    fid               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    state             parcel_gov.register_state NOT NULL DEFAULT 'candidate',
    previous_state    parcel_gov.register_state,
    kinds             parcel_gov.low_efficiency_kind[] NOT NULL DEFAULT '{}',
    batch             parcel_gov.batch,
    plan              text,
    deadline          date,
    state_since       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    entered_at        timestamptz,
    exited_at         timestamptz,
    exit_reason       text CONSTRAINT register_exit_reason_known
                      CHECK (exit_reason IN ('re_evaluated', 'accepted', 'recovered', 'idle_disposed', 'redeveloped')),
    clears_thresholds boolean,
    evaluated_year    integer,
    reason            text,
    evidence          jsonb CONSTRAINT register_evidence_is_object
                      CHECK (evidence IS NULL OR jsonb_typeof(evidence) = 'object')
);
COMMENT ON TABLE parcel_gov.register IS
  '低效工业用地数据库 (one row per parcel, 一地一档): state 调查核实 → 审核认定 → 建档入库 → 整治提升 → 评估 → 出库 (previous_state: where its latest change came from), kinds (低效类型), batch (四个一批), plan and deadline, entered_at (入库), exited_at (出库), exit_reason; reason/evidence are those of the latest change';

CREATE TABLE parcel_gov.register_event (
    id          bigint GENERATED ALWAYS AS IDENTITY (CACHE 100) PRIMARY KEY,
    parcel_code text NOT NULL,
    from_state  parcel_gov.register_state,
    to_state    parcel_gov.register_state NOT NULL,
    kinds       parcel_gov.low_efficiency_kind[] NOT NULL,
    batch       parcel_gov.batch,
    at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor       name NOT NULL DEFAULT current_user,
    reason      text,
    evidence    jsonb
);
COMMENT ON TABLE parcel_gov.register_event IS
  '登记册变更记录 (append-only history of the register): every change, its actor, time, reason and evidence; written only by the register''s trigger';
CREATE INDEX register_event_parcel_idx ON parcel_gov.register_event (parcel_code, id);

CREATE FUNCTION parcel_gov.register_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.register_guard() IS
  'Trigger: the register''s state machine (55000 for an illegal step, 23502 for a missing batch, exit reason or reason)';
-- It runs SQL through SPI; every name in that SQL is schema-qualified, so it
-- needs no SET search_path (which would cost a GUC save and restore per statement).
CREATE FUNCTION parcel_gov.register_record() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_record' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.register_record() IS
  'Trigger: one register_event per changed register row, written in one statement';
CREATE FUNCTION parcel_gov.history_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'history_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.history_guard() IS
  'Trigger: the register''s history is append-only and register rows are never deleted (42501)';

CREATE TRIGGER register_guard BEFORE INSERT OR UPDATE ON parcel_gov.register
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.register_guard();
CREATE TRIGGER register_record_insert AFTER INSERT ON parcel_gov.register
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record();
-- Only the new rows: the guard keeps previous_state, so no old-row copy is needed.
CREATE TRIGGER register_record_update AFTER UPDATE ON parcel_gov.register
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record();
CREATE TRIGGER register_never_deleted BEFORE DELETE ON parcel_gov.register
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
CREATE TRIGGER register_never_truncated BEFORE TRUNCATE ON parcel_gov.register
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
-- per statement: a bulk move writes its events in one INSERT, checked once
CREATE TRIGGER register_event_append_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.register_event
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
CREATE TRIGGER register_event_never_truncated BEFORE TRUNCATE ON parcel_gov.register_event
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();

-- One step of a parcel through the register; a parcel not yet in it enters as a candidate.
CREATE FUNCTION parcel_gov.transition(parcel_code text, to_state parcel_gov.register_state,
                                      reason text, evidence jsonb DEFAULT NULL)
    RETURNS parcel_gov.register
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    result parcel_gov.register;
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.parcel p WHERE p.code = parcel_code) THEN
        RAISE EXCEPTION 'no parcel %', parcel_code USING ERRCODE = '22023',
            HINT = 'transition() takes the parcel''s 宗地代码 as in parcel_gov.parcel.';
    END IF;
    UPDATE parcel_gov.register r
    SET state = to_state, reason = transition.reason, evidence = transition.evidence
    WHERE r.parcel_code = transition.parcel_code
    RETURNING * INTO result;
    IF NOT FOUND THEN
        INSERT INTO parcel_gov.register (parcel_code, state, reason, evidence)
        VALUES (transition.parcel_code, to_state, transition.reason, transition.evidence)
        RETURNING * INTO result;
    END IF;
    RETURN result;
END $$;
COMMENT ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb) IS
  'Moves a parcel one step in the register (or enters it as a candidate), with a reason and evidence (a JSON object); the register''s trigger checks the step and records it';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.register', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.register', 'fid'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.register_event', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.register_event', 'id'), '');
-- Low-efficiency kinds and the four batches (design.md §6, src/low_efficiency.c);
-- the engine's register sync (src/register_sync.c) and v_parcel_efficiency
-- (install/93) apply them.

-- Rule data a county may set differently.
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN non_industrial_since date NOT NULL DEFAULT '1999-01-01';
COMMENT ON COLUMN parcel_gov.rule_set.non_industrial_since IS
  '占工非工: industrial land supplied on or after this date and used for non-industrial business is low-efficiency';
ALTER TABLE parcel_gov.parcel
    ADD COLUMN fails_acceptance boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN parcel_gov.parcel.fails_acceptance IS
  'cannot pass environment, fire or safety acceptance even after rectification (关停退出)';

CREATE FUNCTION parcel_gov.low_efficiency_kinds(tax_per_mu double precision, low_tax_per_mu double precision,
        persistent_low boolean, grade parcel_gov.grade, land_status text, supply_date date,
        actual_industrial boolean, non_industrial_since date, prohibited_industry boolean)
    RETURNS parcel_gov.low_efficiency_kind[]
    AS 'MODULE_PATHNAME', 'low_efficiency_kinds'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.low_efficiency_kinds(double precision, double precision, boolean, parcel_gov.grade,
        text, date, boolean, date, boolean) IS
  '低效类型 of a parcel: low_per_mu (per-mu tax under the pool''s line, or under the 桐庐 line three years running), grade_d, the 五未 statuses and idle from land_status, non_industrial (占工非工: supplied on or after the cut-off, now not industrial), prohibited_industry; empty when none';

CREATE FUNCTION parcel_gov.four_batch(kinds parcel_gov.low_efficiency_kind[], backward_capacity boolean,
        fails_acceptance boolean, plan_conforming boolean, planned_industrial boolean, building_condition text)
    RETURNS parcel_gov.batch
    AS 'MODULE_PATHNAME', 'four_batch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.four_batch(parcel_gov.low_efficiency_kind[], boolean, boolean, boolean, boolean, text) IS
  '四个一批, first match wins: 关停退出 (backward capacity, prohibited industry, fails acceptance), 功能转型 (not conforming to the plan or no longer industrial), 拆除重建 (buildings poor or dilapidated), 整治提升 (the rest); NULL without a kind';
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
-- Contiguous low-efficiency blocks (连片整治): the parcels still in the register
-- merged where they lie within a distance of each other (design.md §4.5).

-- The distance checked: PostGIS would stop on a non-positive one with an
-- internal error (XX000); say what is wrong instead.
CREATE FUNCTION parcel_gov.cluster_distance(distance_m double precision)
    RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF distance_m IS NULL OR distance_m < 0 OR distance_m = 'NaN' OR distance_m > 100000 THEN
        RAISE EXCEPTION 'cluster distance must be 0 to 100000 metres, got %', coalesce(distance_m::text, 'NULL')
            USING ERRCODE = '22023',
            HINT = 'Give the distance in metres within which parcels join one block (50 by default; 0 = touching).';
    END IF;
    RETURN distance_m;
END $$;
COMMENT ON FUNCTION parcel_gov.cluster_distance(double precision) IS
  'internal: a 连片整治 distance checked (0 to 100000 metres), else 22023';

-- Low-efficiency parcels still in the register, merged into blocks where they
-- touch or lie within distance_m of each other.
CREATE FUNCTION parcel_gov.low_efficiency_clusters(distance_m double precision DEFAULT 50)
    RETURNS TABLE (fid bigint, region_code text, parcels integer, area_mu double precision,
                   parcel_codes text[], geom geometry(MultiPolygon, 4490), lon double precision, lat double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- ST_Transform looks the SRID up in spatial_ref_sys with an unqualified
    -- "=": under the caller's search_path a shadowing operator would run
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH active AS (
        SELECT p.code, p.region_code, p.area_mu, p.geom,
               -- metres on Web Mercator, scaled by the latitude: close enough to join neighbours
               -- (ST_ClusterDBSCAN wants a positive distance: 0, touching, as a millimetre)
               ST_ClusterDBSCAN(ST_Transform(p.geom, 3857),
                                greatest(parcel_gov.cluster_distance(low_efficiency_clusters.distance_m), 0.001)
                                  / cos(radians(ST_Y(ST_Centroid(p.geom)))), 1)
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
-- Maps (design.md §4.6): vector tiles for tile servers, GeoJSON for web maps
-- and Superset, a self-contained SVG map for reports.  All three read
-- v_parcel_efficiency for one region and year, so they say what the views say.

-- The year a map shows: the one asked for, or the region's latest evaluated
-- year (NULL when it has none: the map is then empty).
CREATE FUNCTION parcel_gov.map_year(prefix text, year integer)
    RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN coalesce(year, (SELECT max(s.year) FROM parcel_gov.evaluation_summary s
                       WHERE starts_with(s.region_code, prefix)));
COMMENT ON FUNCTION parcel_gov.map_year(text, integer) IS
  'internal: the year a map of a region shows: the one given, else the region''s latest evaluated year';

-- A tile request checked: the region prefix and the year its map shows.
CREATE FUNCTION parcel_gov.tile_request(z integer, x integer, y integer, query_params json,
                                        OUT prefix text, OUT year integer)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    params json := coalesce(query_params, '{}');
BEGIN
    IF z NOT BETWEEN 0 AND 24 OR x NOT BETWEEN 0 AND (1 << z) - 1 OR y NOT BETWEEN 0 AND (1 << z) - 1 THEN
        RAISE EXCEPTION 'no tile %/%/%', z, x, y USING ERRCODE = '22023',
            HINT = 'z is 0 to 24; x and y are 0 to 2^z - 1 (XYZ tiles, y counted from the north).';
    END IF;
    IF json_typeof(params) <> 'object' THEN
        RAISE EXCEPTION 'query_params must be a JSON object, got %', json_typeof(params) USING ERRCODE = '22023',
            HINT = 'Pass {"region": "330604", "year": 2024}; both keys are optional.';
    END IF;
    IF params ->> 'year' !~ '^[0-9]{4}$' THEN
        RAISE EXCEPTION 'invalid year "%" in query_params', params ->> 'year' USING ERRCODE = '22023',
            HINT = 'Give a 4-digit year, or leave it out for the latest evaluated year.';
    END IF;
    prefix := parcel_gov.region_prefix(params ->> 'region');
    year := parcel_gov.map_year(prefix, (params ->> 'year')::integer);
END $$;
COMMENT ON FUNCTION parcel_gov.tile_request(integer, integer, integer, json) IS
  'internal: parcel_tile''s arguments checked (22023 with a hint for a tile outside its zoom, a bad region or year): the region prefix and the year shown';

-- Mapbox Vector Tile, layer "parcels", in the function-layer signature that
-- pg_tileserv and martin call: /parcel_gov.parcel_tile/{z}/{x}/{y}?region=330604&year=2024.
-- The tile's search box (with the 64-unit buffer) goes through the spatial
-- index on parcel.geom; ST_AsMVTGeom clips each parcel to the buffered tile
-- and snaps it to the 4096-unit grid of its zoom, which simplifies it and
-- drops what is smaller than a grid cell.
CREATE FUNCTION parcel_gov.parcel_tile(z integer, x integer, y integer, query_params json DEFAULT '{}')
    RETURNS bytea
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT r.prefix, r.year FROM parcel_gov.tile_request(z, x, y, query_params) AS r
    ), bounds AS (
        SELECT ST_TileEnvelope(z, x, y) AS tile,
               ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 4490) AS search
    )
    SELECT coalesce((
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid')
        FROM (
            SELECT v.fid, v.code::text AS code, v.year, v.region_code, v.holder_uscc::text AS holder_uscc,
                   v.holder_name, v.area_mu, v.tax_per_mu, v.va_per_mu, v.grade::text AS grade, v.grade_label,
                   v.tax_tier, parcel_gov.label(v.kinds) AS kinds, v.batch::text AS batch,
                   parcel_gov.label(v.batch) AS batch_label, v.register_state::text AS register_state,
                   parcel_gov.label(v.register_state) AS register_state_label,
                   ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.tile, 4096, 64, true) AS geom
            FROM parcel_gov.v_parcel_efficiency v, bounds b, request q
            WHERE v.geom && b.search AND v.year = q.year AND starts_with(v.region_code, q.prefix)
        ) AS f
        WHERE f.geom IS NOT NULL), '\x'::bytea);
END;
COMMENT ON FUNCTION parcel_gov.parcel_tile(integer, integer, integer, json) IS
  '矢量瓦片 Mapbox Vector Tile z/x/y (EPSG:3857), layer "parcels": each parcel''s code, holder, grade, tier, per-mu tax, kinds, batch and register state; query_params {"region": "330604", "year": 2024} (latest evaluated year by default); for pg_tileserv and martin';

-- GeoJSON (RFC 7946): a FeatureCollection in WGS 84 longitude/latitude, one
-- feature per parcel with an integer "id" (PostGIS 3.3's ST_AsGeoJSON(record)
-- has no id argument), exterior rings counter-clockwise.
CREATE FUNCTION parcel_gov.parcels_geojson(region text, year integer DEFAULT NULL)
    RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT json_build_object(
             'type', 'FeatureCollection',
             'features', coalesce(json_agg(json_build_object(
                 'type', 'Feature',
                 'id', v.fid,
                 'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(v.geom, 4326)), 7)::json,
                 'properties', json_build_object(
                     'code', v.code, 'year', v.year, 'region_code', v.region_code,
                     'holder_uscc', v.holder_uscc, 'holder_name', v.holder_name, 'area_mu', v.area_mu,
                     'tax_per_mu', v.tax_per_mu, 'va_per_mu', v.va_per_mu, 'grade', v.grade,
                     'grade_label', v.grade_label, 'tax_tier', v.tax_tier, 'kinds', v.kinds,
                     'batch', v.batch, 'batch_label', parcel_gov.label(v.batch),
                     'register_state', v.register_state,
                     'register_state_label', parcel_gov.label(v.register_state)))
                 ORDER BY v.code), '[]'::json))
    FROM parcel_gov.v_parcel_efficiency v
    WHERE v.year = parcel_gov.map_year(parcel_gov.region_prefix(parcels_geojson.region), parcels_geojson.year)
      AND starts_with(v.region_code, parcel_gov.region_prefix(parcels_geojson.region));
END;
COMMENT ON FUNCTION parcel_gov.parcels_geojson(text, integer) IS
  'GeoJSON FeatureCollection (RFC 7946, WGS 84) of a region''s parcels in a year (latest evaluated by default): id = fid, properties as in v_parcel_efficiency; NULL region = every region';

-- A self-contained SVG map of a region in a year: parcels filled by grade,
-- register parcels outlined by state, contiguous blocks still in the register
-- hatched, a legend and a scale bar.  Drawn in the CGCS2000 3-degree
-- Gauss-Krüger zone of the region's centre (EPSG:4534 for 75°E … 4554 for
-- 135°E; Web Mercator outside them), so shapes and the scale bar are true.
-- Built with PostgreSQL's XML functions, which escape every name.
CREATE FUNCTION parcel_gov.map_svg(region text, year integer DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT q.prefix, parcel_gov.map_year(q.prefix, map_svg.year) AS year,
               coalesce((SELECT r.name FROM parcel_gov.region r WHERE r.code = map_svg.region),
                        map_svg.region, '全部 all regions') AS title
        FROM (SELECT parcel_gov.region_prefix(map_svg.region) AS prefix) AS q
    ), parcels AS (
        SELECT v.* FROM parcel_gov.v_parcel_efficiency v, request q
        WHERE v.year = q.year AND starts_with(v.region_code, q.prefix)
    ), zone AS (
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid, z.cm * 3 AS meridian
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(p.geom) AS box FROM parcels p) AS e) AS z
    ), frame AS (
        -- metres of the zone; s = pixels per metre: the map fits 960 × 800 pixels
        SELECT f.x0, f.y1, f.w, f.h, least(960 / f.w, 800 / f.h) AS s
        FROM (SELECT coalesce(ST_XMin(e.box), 0) AS x0, coalesce(ST_YMax(e.box), 0) AS y1,
                     greatest(ST_XMax(e.box) - ST_XMin(e.box), 1) AS w, greatest(ST_YMax(e.box) - ST_YMin(e.box), 1) AS h
              FROM (SELECT ST_Extent(ST_Transform(p.geom, zone.srid)) AS box FROM parcels p, zone) AS e) AS f
    ), layout AS (
        -- the legend starts below the map; the scale bar is 1, 2 or 5 × 10^k metres, at most a fifth of the map
        SELECT f.*, 70 + f.h * f.s + 24 AS legend_y,
               coalesce((SELECT max(m * 10 ^ k) FROM unnest('{1,2,5}'::float8[]) AS m, generate_series(0, 7) AS k
                         WHERE m * 10 ^ k <= f.w / 5), 1) AS bar_m
        FROM frame f
    ), drawn AS (
        -- to pixels: x right from the map's west edge, y down from its north edge (ST_AsSVG negates y)
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state,
               ST_AsSVG(ST_Affine(ST_Transform(p.geom, zone.srid), l.s, 0, 0, l.s, 20 - l.x0 * l.s, -(70 + l.y1 * l.s)), 0, 1) AS d
        FROM parcels p, zone, layout l
    ), blocks AS (
        SELECT c.parcels, c.area_mu,
               ST_AsSVG(ST_Affine(ST_Transform(c.geom, zone.srid), l.s, 0, 0, l.s, 20 - l.x0 * l.s, -(70 + l.y1 * l.s)), 0, 1) AS d
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone, layout l
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    ), grade_key (n, grade, label, colour) AS (
        VALUES (0, 'A', 'A 优先发展', '#1a9850'), (1, 'B', 'B 鼓励提升', '#a6d96a'), (2, 'C', 'C 监管调控', '#fdae61'),
               (3, 'D', 'D 落后整治', '#d73027'), (4, NULL, '未评价 not graded', '#d9d9d9')
    ), state_key (n, state, colour) AS (
        VALUES (0, 'candidate'::parcel_gov.register_state, '#984ea3'), (1, 'confirmed', '#377eb8'),
               (2, 'registered', '#e41a1c'), (3, 'in_treatment', '#ff7f00'), (4, 'assessing', '#a65628'),
               (5, 'exited', '#4daf4a')
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1000 AS width, ceil(l.legend_y + 110) AS height,
                      format('0 0 1000 %s', ceil(l.legend_y + 110)) AS "viewBox",
                      'Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif' AS "font-family"),
        xmlelement(name defs,
            xmlelement(name pattern, xmlattributes('hatch' AS id, 8 AS width, 8 AS height, 'userSpaceOnUse' AS "patternUnits",
                                                   'rotate(45)' AS "patternTransform"),
                xmlelement(name line, xmlattributes(0 AS x1, 0 AS y1, 0 AS x2, 8 AS y2, '#5a0000' AS stroke, 2 AS "stroke-width")))),
        xmlelement(name rect, xmlattributes('100%' AS width, '100%' AS height, '#ffffff' AS fill)),
        xmlelement(name text, xmlattributes(20 AS x, 34 AS y, 22 AS "font-size", 'bold' AS "font-weight"),
                   format('%s %s 年亩均效益评价 per-mu efficiency by grade', q.title, coalesce(q.year::text, '—'))),
        xmlelement(name text, xmlattributes(20 AS x, 56 AS y, 13 AS "font-size", '#555555' AS fill),
                   format('%s 宗地 parcels · 低效在库 outlined by register state · 连片整治 hatched',
                          (SELECT count(*) FROM drawn))),
        xmlelement(name g, xmlattributes('parcels' AS id, 'evenodd' AS "fill-rule", 'round' AS "stroke-linejoin"),
            (SELECT xmlagg(xmlelement(name path, xmlattributes(
                        'parcel' AS class, d.code AS "data-code", coalesce(d.grade::text, 'none') AS "data-grade",
                        d.register_state AS "data-state", d.d AS d,
                        (SELECT k.colour FROM grade_key k WHERE k.grade IS NOT DISTINCT FROM d.grade::text) AS fill,
                        coalesce((SELECT k.colour FROM state_key k WHERE k.state = d.register_state), '#ffffff') AS stroke,
                        CASE WHEN d.register_state IN ('exited', 'rejected') OR d.register_state IS NULL THEN 0.6 ELSE 2.2 END
                          AS "stroke-width"),
                    xmlelement(name title, concat_ws(' · ', d.code, d.holder_name, coalesce(d.grade_label, '未评价'),
                                                     format('亩均税收 %s 万元/亩', round(d.tax_per_mu::numeric, 2)),
                                                     parcel_gov.label(d.register_state))))
                    ORDER BY d.code) FROM drawn d)),
        xmlelement(name g, xmlattributes('blocks' AS id, 'evenodd' AS "fill-rule"),
            (SELECT xmlagg(xmlelement(name path, xmlattributes('block' AS class, b.d AS d, 'url(#hatch)' AS fill,
                                                              '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.d) FROM blocks b)),
        xmlelement(name g, xmlattributes('legend' AS id, 13 AS "font-size"),
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes(20 + k.n * 190 AS x, l.legend_y AS y, 18 AS width, 18 AS height,
                                                            k.colour AS fill, '#888888' AS stroke)),
                        xmlelement(name text, xmlattributes(44 + k.n * 190 AS x, l.legend_y + 14 AS y), k.label))
                    ORDER BY k.n) FROM grade_key k),
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes(20 + k.n * 165 AS x, l.legend_y + 30 AS y, 18 AS width, 18 AS height,
                                                            '#f0f0f0' AS fill, k.colour AS stroke, 2.5 AS "stroke-width")),
                        xmlelement(name text, xmlattributes(44 + k.n * 165 AS x, l.legend_y + 44 AS y),
                                   parcel_gov.label(k.state) || ' ' || k.state::text))
                    ORDER BY k.n) FROM state_key k),
            xmlelement(name rect, xmlattributes(20 AS x, l.legend_y + 60 AS y, 18 AS width, 18 AS height,
                                                'url(#hatch)' AS fill, '#5a0000' AS stroke)),
            xmlelement(name text, xmlattributes(44 AS x, l.legend_y + 74 AS y),
                       '连片整治 contiguous low-efficiency block (≥ 2 parcels in the register)'),
            xmlelement(name line, xmlattributes(600 AS x1, l.legend_y + 72 AS y1, 600 + l.bar_m * l.s AS x2,
                                                l.legend_y + 72 AS y2, '#000000' AS stroke, 3 AS "stroke-width")),
            xmlelement(name text, xmlattributes(600 AS x, l.legend_y + 64 AS y), '0'),
            xmlelement(name text, xmlattributes(600 + l.bar_m * l.s AS x, l.legend_y + 64 AS y, 'middle' AS "text-anchor"),
                       CASE WHEN l.bar_m >= 1000 THEN (l.bar_m / 1000)::text || ' km' ELSE l.bar_m::text || ' m' END),
            xmlelement(name text, xmlattributes(20 AS x, l.legend_y + 100 AS y, 11 AS "font-size", '#777777' AS fill),
                       CASE WHEN zone.srid = 3857 THEN 'Web Mercator (EPSG:3857)'
                            ELSE format('CGCS2000 / 3-degree Gauss-Kruger CM %sE (EPSG:%s)', zone.meridian, zone.srid) END
                       || ' · 北 north up · parcel_gov')))::text
    FROM request q, zone, layout l;
END;
COMMENT ON FUNCTION parcel_gov.map_svg(text, integer) IS
  '专题图 SVG map of a region''s parcels in a year (latest evaluated by default): filled by grade, register parcels outlined by state, 连片整治 blocks hatched, legend and scale bar in Chinese and English';
-- GIS import: parcels from the files counties hold (Shapefile or GeoJSON from
-- the natural-resources bureau, CGCS2000 geographic or Gauss-Krüger, GBK or
-- UTF-8 attributes), loaded by ogr2ogr into a staging table, then checked
-- row by row into parcel.  README "Importing parcels" has the ogr2ogr line.

-- One staged geometry made fit for parcel.geom: its SRID (the one ogr2ogr
-- read from the .prj, or source_srid when the file had none), reprojected to
-- CGCS2000, 2-D, multi; an invalid polygon repaired by ST_MakeValid when the
-- repair keeps an area.  problem says why a geometry cannot be used.
CREATE FUNCTION parcel_gov.import_geometry(geom geometry, source_srid integer,
                                           OUT fit geometry, OUT problem text, OUT repaired text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH given AS (
        SELECT CASE WHEN ST_SRID(import_geometry.geom) = 0 AND import_geometry.source_srid IS NOT NULL
                    THEN ST_SetSRID(import_geometry.geom, import_geometry.source_srid)
                    ELSE import_geometry.geom END AS g
    ), usable AS (
        SELECT g.g, CASE
            WHEN g.g IS NULL THEN 'no geometry'
            WHEN ST_IsEmpty(g.g) THEN 'empty geometry'
            WHEN ST_SRID(g.g) = 0 THEN 'no SRID (the file had no .prj): give source_srid, e.g. 4490 for CGCS2000 longitude/latitude or 4549 for Gauss-Krüger CM 120E'
            WHEN NOT EXISTS (SELECT FROM spatial_ref_sys s WHERE s.srid = ST_SRID(g.g)) THEN format('unknown SRID %s', ST_SRID(g.g))
            WHEN GeometryType(g.g) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN format('not a polygon but a %s', lower(GeometryType(g.g)))
            END AS problem
        FROM given g
    ), moved AS (
        SELECT u.problem, CASE WHEN u.problem IS NULL THEN ST_Transform(ST_Force2D(u.g), 4490) END AS g FROM usable u
    ), placed AS (
        SELECT m.g, coalesce(m.problem, CASE WHEN ST_XMin(m.g) < 73 OR ST_XMax(m.g) > 136 OR ST_YMin(m.g) < 3 OR ST_YMax(m.g) > 54
            THEN format('outside China after reprojection (%s … %s °E, %s … %s °N): the SRID does not match the coordinates',
                        round(ST_XMin(m.g)::numeric, 3), round(ST_XMax(m.g)::numeric, 3),
                        round(ST_YMin(m.g)::numeric, 3), round(ST_YMax(m.g)::numeric, 3)) END) AS problem
        FROM moved m
    ), checked AS (
        SELECT p.g, p.problem, CASE WHEN p.problem IS NULL AND NOT (ST_IsValidDetail(p.g)).valid THEN ST_IsValidReason(p.g) END AS invalid
        FROM placed p
    ), fixed AS (
        SELECT c.problem, c.invalid,
               CASE WHEN c.problem IS NULL THEN ST_Multi(CASE WHEN c.invalid IS NULL THEN c.g
                                                             ELSE ST_CollectionExtract(ST_MakeValid(c.g), 3) END) END AS g
        FROM checked c
    )
    SELECT CASE WHEN f.problem IS NULL AND NOT ST_IsEmpty(f.g) AND ST_Area(f.g) > 0 THEN f.g END,
           coalesce(f.problem, CASE WHEN ST_IsEmpty(f.g) OR ST_Area(f.g) = 0
                                    THEN format('invalid polygon (%s) with no area left after repair', f.invalid) END),
           CASE WHEN f.problem IS NULL AND f.invalid IS NOT NULL THEN f.invalid END
    FROM fixed f;
END;
COMMENT ON FUNCTION parcel_gov.import_geometry(geometry, integer) IS
  'internal: a staged geometry reprojected to CGCS2000 (EPSG:4490), 2-D and multi, repaired when invalid; or why it cannot be used';

-- Staged rows into parcel, each checked: the geometry (import_geometry), the
-- 宗地代码 (well-formed, in the region, not twice in the file, not already
-- stored), the holder's USCC (valid; a holder not yet in enterprise is left
-- empty and said so).  Returns one line per staged row: imported, repaired
-- (imported with a repaired geometry) or rejected, and why.
CREATE FUNCTION parcel_gov.import_parcels(staging regclass, region text, code_column text DEFAULT 'zddm',
                                          holder_column text DEFAULT NULL, source_srid integer DEFAULT NULL)
    RETURNS TABLE (source_row bigint, code text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    geom_column name;
    staged record;
    checked record;
    holder text;
    note text;
    seen text[] := '{}';
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region) THEN
        RAISE EXCEPTION 'unknown region "%"', region USING ERRCODE = '23503',
            HINT = 'Add the county to parcel_gov.region first; parcels are imported one county at a time.';
    END IF;
    SELECT a.attname INTO geom_column FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped AND t.typname = 'geometry'
    ORDER BY a.attnum LIMIT 1;
    IF geom_column IS NULL THEN
        RAISE EXCEPTION 'staging table % has no geometry column', staging USING ERRCODE = '42703',
            HINT = 'Load it with ogr2ogr -f PostgreSQL, which creates one (wkb_geometry, or the name given by -lco GEOMETRY_NAME).';
    END IF;
    FOR staged IN EXECUTE format(
        'SELECT row_number() OVER (ORDER BY ctid) AS n, %I::text AS code, %s AS holder, %I AS geom FROM %s',
        code_column, CASE WHEN holder_column IS NULL THEN 'NULL::text' ELSE format('%I::text', holder_column) END,
        geom_column, staging)
    LOOP
        source_row := staged.n;
        code := upper(btrim(staged.code));
        holder := nullif(upper(btrim(staged.holder)), '');
        outcome := 'rejected';
        reason := NULL;
        note := NULL;
        BEGIN
            SELECT * INTO checked FROM parcel_gov.import_geometry(staged.geom, source_srid);
        EXCEPTION WHEN OTHERS THEN
            checked := NULL;
            reason := 'geometry cannot be reprojected: ' || SQLERRM;
        END;
        reason := coalesce(reason, CASE
            WHEN code IS NULL OR code = '' THEN 'no 宗地代码'
            WHEN parcel_gov.parcel_code_problem(code) IS NOT NULL THEN parcel_gov.parcel_code_problem(code)
            WHEN NOT starts_with(code, region) THEN format('宗地代码 of another county (%s), not %s', left(code, 6), region)
            WHEN code = ANY (seen) THEN 'the same 宗地代码 earlier in the file'
            WHEN EXISTS (SELECT FROM parcel_gov.parcel p WHERE p.code = import_parcels.code) THEN 'already in parcel'
            WHEN checked.problem IS NOT NULL THEN checked.problem
            WHEN holder IS NOT NULL AND parcel_gov.uscc_problem(holder) IS NOT NULL
              THEN 'holder: ' || parcel_gov.uscc_problem(holder) END);
        IF reason IS NULL THEN
            IF holder IS NOT NULL AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc = holder) THEN
                note := format('holder %s is not in enterprise: left empty', holder);
                holder := NULL;
            END IF;
            INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
            VALUES (code, region, holder, checked.fit);
            outcome := CASE WHEN checked.repaired IS NULL THEN 'imported' ELSE 'repaired' END;
            reason := concat_ws('; ', 'repaired: ' || checked.repaired, note);
        END IF;
        IF code IS NOT NULL THEN
            seen := seen || code;
        END IF;
        RETURN NEXT;
    END LOOP;
END $$;
COMMENT ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer) IS
  '导入宗地 GIS import: a staging table loaded by ogr2ogr into parcel, row by row: reprojected to CGCS2000, invalid polygons repaired or rejected, codes and holders checked; returns each row''s outcome (imported, repaired, rejected) and why';
-- Every column BI tools and analysts see carries a comment, Chinese term
-- first (design.md §4.5): Superset, Metabase and FineBI show them as column
-- descriptions, QGIS as field tooltips.  One text per column name, the same
-- in every view; a view column this list does not name fails the install, so
-- a new column cannot ship without its words.
DO $$
DECLARE
    missing text;
BEGIN
    FOR missing IN
        WITH words (name, words) AS (VALUES
      ('fid', '要素编号: stable integer key of the row (QGIS primary key, vector-tile feature id)'),
      ('year', '评价年度: evaluation year'),
      ('code', '宗地代码: parcel code (GB/T 37346-2019, 一码管地)'),
      ('parcel_code', '宗地代码: parcel code (GB/T 37346-2019, 一码管地)'),
      ('parcel_codes', '宗地代码: the block''s parcel codes'),
      ('parcels', '宗地数: number of parcels'),
      ('uscc', '统一社会信用代码: unified social credit code of the firm'),
      ('name', '名称: name'),
      ('region_code', '行政区划代码: region code (GB/T 2260)'),
      ('region_name', '行政区划名称: region name'),
      ('level', '层级: province, city or county'),
      ('industry_code', '国民经济行业代码: industry (GB/T 4754)'),
      ('industry_group', '行业分组: industry group of the rule set'),
      ('pool', '分组: evaluation pool, above 规上 or below 规下'),
      ('pool_label', '分组: 规上 or 规下'),
      ('pool_size', '分组企业数: firms graded in the pool'),
      ('rule_set_id', '评价规则: rule set applied'),
      ('held_mu', '使用权面积 (亩): land the firm holds'),
      ('leased_out_mu', '出租面积 (亩): land leased out'),
      ('leased_in_mu', '承租面积 (亩): land leased in'),
      ('area_mu', '用地面积 (亩): area in mu'),
      ('area_mu_change', '用地面积增减 (亩): change against the year before'),
      ('tax', '实缴税收 (万元): tax paid'),
      ('value_added', '工业增加值 (万元): value added'),
      ('revenue', '营业收入 (万元): revenue'),
      ('tax_per_mu', '亩均税收 (万元/亩): tax per mu'),
      ('tax_per_mu_change', '亩均税收增减 (万元/亩): change against the year before'),
      ('tax_per_mu_prev', '上年亩均税收 (万元/亩): tax per mu the year before'),
      ('tax_per_mu_prev2', '前年亩均税收 (万元/亩): tax per mu two years before'),
      ('va_per_mu', '亩均增加值 (万元/亩): value added per mu'),
      ('va_per_mu_change', '亩均增加值增减 (万元/亩): change against the year before'),
      ('revenue_per_mu', '亩均营业收入 (万元/亩): revenue per mu'),
      ('labour_productivity', '全员劳动生产率 (万元/人): value added per employee'),
      ('va_per_energy', '单位能耗增加值 (万元/吨标煤): value added per tonne of coal equivalent'),
      ('va_per_emission', '单位排放增加值 (万元/吨): value added per tonne of emissions'),
      ('rd_intensity', 'R&D经费支出占比 (%): R&D spending as a share of revenue'),
      ('tax_per_kwh', '单位电耗税收: tax per unit of electricity'),
      ('score_tax_per_mu', '亩均税收得分: indicator score'),
      ('score_va_per_mu', '亩均增加值得分: indicator score'),
      ('score_revenue_per_mu', '亩均营业收入得分: indicator score'),
      ('score_labour_productivity', '全员劳动生产率得分: indicator score'),
      ('score_va_per_energy', '单位能耗增加值得分: indicator score'),
      ('score_va_per_emission', '单位排放增加值得分: indicator score'),
      ('score_rd_intensity', 'R&D经费支出占比得分: indicator score'),
      ('score_tax_per_kwh', '单位电耗税收得分: indicator score'),
      ('bonus', '加分: bonus points'),
      ('deduction', '减分: deduction points'),
      ('rental_deduction', '出租扣分: deduction for land leased out'),
      ('rank', '排名: rank in the pool by score'),
      ('rank_in_region', '县内排名: rank within the county by tax per mu (领跑园区)'),
      ('rank_overall', '全省排名: rank among all parks by tax per mu'),
      ('grade', '评价等级: grade A/B/C/D'),
      ('grade_label', '等级名称: 优先发展 A, 鼓励提升 B, 监管调控 C, 落后整治 D'),
      ('grade_a', 'A类企业数: firms graded A (优先发展)'),
      ('grade_b', 'B类企业数: firms graded B (鼓励提升)'),
      ('grade_c', 'C类企业数: firms graded C (监管调控)'),
      ('grade_d', 'D类企业数: firms graded D (落后整治)'),
      ('firms', '企业数: firms evaluated'),
      ('graded', '参评企业数: firms graded'),
      ('not_graded', '未评企业数 / 未评: not graded (exempt 不参评, under the land floor)'),
      ('veto_reason', '一票否决原因: veto reason (grade D)'),
      ('evaluated_at', '评价时间: when evaluate() wrote the row'),
      ('tax_tier', '亩均税收分档: 1 <5 重点排查, 2 <10 重点检查, 3 <15 重点指导, 0 ≥15 万元/亩'),
      ('tax_tier_label', '分档名称: tax-per-mu tier label'),
      ('tier_0', '亩均税收 ≥15 万元/亩的企业数'),
      ('tier_1', '亩均税收 <5 万元/亩的企业数 (重点排查)'),
      ('tier_2', '亩均税收 5–10 万元/亩的企业数 (重点检查)'),
      ('tier_3', '亩均税收 10–15 万元/亩的企业数 (重点指导)'),
      ('persistent_low_tax', '连续三年亩均税收低 (桐庐): under the line three years running'),
      ('still_below_3y', '三年仍规下 (金东): still 规下 after three years'),
      ('capacity_doubling_candidate', '亩产倍增候选 (金东): capacity-doubling candidate'),
      ('holder_uscc', '土地使用权人代码: holder''s unified social credit code'),
      ('holder_name', '土地使用权人: holder''s name'),
      ('holder_evaluated', '使用权人已评价: the holder has an evaluation this year'),
      ('role', '用地方式: holder (自有) or lessee (承租)'),
      ('park_id', '园区编号: park id'),
      ('kinds', '低效类型: low-efficiency kinds'),
      ('kind_labels', '低效类型名称: low-efficiency kinds in Chinese'),
      ('batch', '四个一批: batch (拆除重建, 整治提升, 功能转型, 关停退出)'),
      ('batch_label', '四个一批名称: batch in Chinese'),
      ('state', '入库状态: register state (调查核实 … 出库)'),
      ('state_label', '入库状态名称: register state in Chinese'),
      ('register_state', '低效用地库状态: register state, empty when not in the register'),
      ('state_since', '状态起始时间: when the parcel entered its state'),
      ('days_in_state', '处于该状态天数: days in the current state'),
      ('entered_at', '入库时间: when the parcel was registered (建档入库)'),
      ('exited_at', '出库时间: when the parcel left the register (出库)'),
      ('exit_reason', '出库原因: exit reason'),
      ('clears_thresholds', '达标: the latest evaluation clears the exit thresholds'),
      ('evaluated_year', '最近评价年度: latest evaluated year the register knows'),
      ('plan', '整治方案: treatment plan'),
      ('deadline', '整治期限: treatment deadline'),
      ('geom', '空间范围: geometry, CGCS2000 (EPSG:4490) MultiPolygon'),
      ('lon', '经度 (WGS 84): longitude of a point on the surface, for BI maps'),
      ('lat', '纬度 (WGS 84): latitude of a point on the surface, for BI maps'))
        SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', n.nspname, c.relname, a.attname, w.words)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN words w ON w.name = a.attname
        WHERE n.nspname = 'parcel_gov' AND c.relkind = 'v'
          AND col_description(c.oid, a.attnum) IS NULL
    LOOP
        EXECUTE missing;
    END LOOP;
    SELECT string_agg(c.relname || '.' || a.attname, ', ') INTO missing
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'parcel_gov' AND c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'view columns without a comment: %', missing;
    END IF;
END $$;
-- Roles and row-level security (design.md §7).  Four group roles, created
-- here when missing (roles belong to the cluster: DROP EXTENSION leaves
-- them), each with the least it needs:
--   parcel_gov_reader    read the tables and views of its regions (BI accounts)
--   parcel_gov_analyst   + evaluate() and evaluation_discard() for its regions
--   parcel_gov_operator  + the register's transitions, parcels, firms, leases and figures of its regions
--   parcel_gov_admin     every region, the rules, the regions, the grants
-- A login role gets its regions from region_grant(role, prefix): a grant of
-- a city (3306) covers its counties.  Superusers and the tables' owner are
-- not limited by row-level security, as PostgreSQL has it.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['parcel_gov_reader', 'parcel_gov_analyst', 'parcel_gov_operator', 'parcel_gov_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
GRANT parcel_gov_reader TO parcel_gov_analyst, parcel_gov_operator;
GRANT parcel_gov_analyst, parcel_gov_operator TO parcel_gov_admin;

-- Which roles see which regions: a configuration table, dumped with the data,
-- so the policies below (created by this script, as pg_dump does not keep
-- policies on extension tables) find their grants again after a restore.
CREATE TABLE parcel_gov.role_region (
    role_name     name NOT NULL,
    region_prefix text NOT NULL CONSTRAINT role_region_prefix_digits CHECK (region_prefix ~ '^([0-9]{2}){1,3}$'),
    granted_by    name NOT NULL DEFAULT current_user,
    granted_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (role_name, region_prefix)
);
COMMENT ON TABLE parcel_gov.role_region IS
  '区域授权 (region grants): the regions a role may see and change, by code prefix (33 province, 3306 city, 330604 county); written by region_grant() and region_revoke()';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.role_region', '');

-- The code prefixes the current user may see: '' (everything) for members of
-- parcel_gov_admin, else the prefixes granted to any role it is a member of.
CREATE FUNCTION parcel_gov.visible_prefixes()
    RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN pg_has_role('parcel_gov_admin', 'MEMBER') THEN ARRAY['']
                ELSE coalesce(array_agg(g.region_prefix), '{}') END
    FROM parcel_gov.role_region g
    WHERE g.role_name IN (SELECT r.rolname FROM pg_roles r WHERE pg_has_role(r.oid, 'MEMBER'));
END;
COMMENT ON FUNCTION parcel_gov.visible_prefixes() IS
  'the region code prefixes the current user may see and change ('''' = every region, for parcel_gov_admin); what the row-level security policies read';

CREATE FUNCTION parcel_gov.region_grant(role_name name, region_prefix text)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prefix text;
BEGIN
    IF role_name IS NULL OR NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = region_grant.role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = '42704',
            HINT = 'Create the role first (CREATE ROLE … IN ROLE parcel_gov_reader), then grant it regions.';
    END IF;
    IF region_prefix IS NULL THEN
        RAISE EXCEPTION 'region_grant needs a region' USING ERRCODE = '22004',
            HINT = 'For every region, make the role a member of parcel_gov_admin instead.';
    END IF;
    prefix := parcel_gov.region_prefix(region_prefix);
    INSERT INTO parcel_gov.role_region (role_name, region_prefix) VALUES (region_grant.role_name, prefix)
    ON CONFLICT DO NOTHING;
    RETURN prefix;
END $$;
COMMENT ON FUNCTION parcel_gov.region_grant(name, text) IS
  '区域授权: let a role see and change the rows of a region (330604 county, 330600 or 3306 city, 330000 or 33 province); returns the prefix stored; for parcel_gov_admin members';

CREATE FUNCTION parcel_gov.region_revoke(role_name name, region_prefix text)
    RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM parcel_gov.role_region g
    WHERE g.role_name = region_revoke.role_name AND g.region_prefix = parcel_gov.region_prefix(region_revoke.region_prefix);
    RETURN FOUND;
END $$;
COMMENT ON FUNCTION parcel_gov.region_revoke(name, text) IS
  'undo region_grant(); true when there was such a grant';

-- The policies: a row is visible and writable when its region code (or its
-- parcel's code, whose first six digits are the county) starts with a
-- visible prefix.  ARRAY(SELECT …) makes the prefixes an InitPlan: looked up
-- once per query, not per row.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('park', 'region_code'), ('parcel', 'region_code'), ('enterprise', 'region_code'),
        ('lease', 'parcel_code'), ('evaluation', 'region_code'), ('evaluation_benchmark', 'region_code'),
        ('evaluation_summary', 'region_code'), ('evaluation_run', 'region_prefix'),
        ('register', 'parcel_code'), ('register_event', 'parcel_code')) AS x(tab, col)
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE parcel_gov.%I ENABLE ROW LEVEL SECURITY', t.tab);
        EXECUTE pg_catalog.format(
            'CREATE POLICY region_rows ON parcel_gov.%I USING (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))) '
            'WITH CHECK (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))',
            t.tab, t.col, t.col);
    END LOOP;
END $$;
-- A firm's yearly figures follow the firm: visible when the firm is.
ALTER TABLE parcel_gov.enterprise_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.enterprise_year
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc));

-- Privileges.  Tables hold no PUBLIC rights; functions that write are
-- taken from PUBLIC and given to the role that needs them.
GRANT USAGE ON SCHEMA parcel_gov TO parcel_gov_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA parcel_gov TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.evaluation, parcel_gov.evaluation_benchmark,
                                parcel_gov.evaluation_summary, parcel_gov.evaluation_run TO parcel_gov_analyst;
GRANT INSERT, UPDATE ON parcel_gov.register TO parcel_gov_analyst, parcel_gov_operator;
GRANT INSERT ON parcel_gov.register_event TO parcel_gov_analyst, parcel_gov_operator;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.parcel, parcel_gov.enterprise, parcel_gov.enterprise_year,
                                parcel_gov.lease TO parcel_gov_operator;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region, parcel_gov.park, parcel_gov.rule_set, parcel_gov.rule_pool,
                                parcel_gov.rule_indicator, parcel_gov.rule_industry_group,
                                parcel_gov.role_region TO parcel_gov_admin;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluation_discard(integer, text),
                           parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]),
                           parcel_gov.evaluation_discard_rows(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluation_discard(integer, text),
                          parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]),
                          parcel_gov.evaluation_discard_rows(integer, text) TO parcel_gov_analyst;
REVOKE EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                           parcel_gov.import_parcels(regclass, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                          parcel_gov.import_parcels(regclass, text, text, text, integer) TO parcel_gov_operator;
REVOKE EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                           parcel_gov.rule_set_adopt(text, text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                          parcel_gov.rule_set_adopt(text, text, text, integer, integer) TO parcel_gov_admin;
-- Contract compliance (履约监管, 标准地): what a parcel's land contract
-- promised against what its holder achieved, year by year (domain.md A1:
-- investment intensity, floor-area ratio, per-mu tax, energy and emissions
-- per unit of value added, completion).  The parcel already carries the
-- first promises (contract_*); energy and emissions join them here.

ALTER TABLE parcel_gov.parcel
    ADD COLUMN contract_energy_per_va double precision
        CONSTRAINT parcel_contract_energy_possible CHECK (contract_energy_per_va > 0 AND contract_energy_per_va < 100),
    ADD COLUMN contract_emission_per_va double precision
        CONSTRAINT parcel_contract_emission_possible CHECK (contract_emission_per_va > 0 AND contract_emission_per_va < 100),
    ADD CONSTRAINT parcel_contract_investment_possible
        CHECK (contract_investment_intensity > 0 AND contract_investment_intensity < 1000000),
    ADD CONSTRAINT parcel_contract_far_possible CHECK (contract_floor_area_ratio > 0 AND contract_floor_area_ratio <= 20),
    ADD CONSTRAINT parcel_contract_tax_possible CHECK (contract_tax_per_mu > 0 AND contract_tax_per_mu < 100000);
COMMENT ON COLUMN parcel_gov.parcel.contract_energy_per_va IS
  '承诺单位增加值能耗 (吨标煤/万元): at most this much energy per 万元 of value added';
COMMENT ON COLUMN parcel_gov.parcel.contract_emission_per_va IS
  '承诺单位增加值排放 (吨/万元): at most this much emission per 万元 of value added';

-- What the project achieved on the parcel by the end of a year, as the
-- county's inspection finds it; per-mu tax, energy and emissions come from
-- the holder's figures (enterprise_year, evaluation).
CREATE TABLE parcel_gov.parcel_progress (
    parcel_code      parcel_gov.parcel_code NOT NULL REFERENCES parcel_gov.parcel ON UPDATE CASCADE,
    year             integer NOT NULL,
    investment       double precision CONSTRAINT parcel_progress_investment_possible
                     CHECK (investment >= 0 AND investment < 1e9),
    floor_area_ratio double precision CONSTRAINT parcel_progress_far_possible
                     CHECK (floor_area_ratio >= 0 AND floor_area_ratio <= 20),
    completed_on     date,
    PRIMARY KEY (parcel_code, year)
);
COMMENT ON TABLE parcel_gov.parcel_progress IS
  '履约核查 what a parcel''s project achieved by the end of a year: investment made so far (万元), floor-area ratio built, the date it was completed';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.parcel_progress', '');
ALTER TABLE parcel_gov.parcel_progress ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.parcel_progress
    USING (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.parcel_progress TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.parcel_progress TO parcel_gov_operator;

-- 违约 Each broken promise, per parcel and year with progress recorded:
-- the promise, what was committed and achieved, the shortfall (how far short
-- of an "at least" promise, or over an "at most" one; days late for
-- completion), how many years running it has been broken, and the parcel's
-- register state.
CREATE VIEW parcel_gov.v_contract_breach WITH (security_invoker = true) AS
WITH kept AS (
    SELECT g.parcel_code, g.year, p.region_code, p.holder_uscc, c.promise, c.committed, c.achieved,
           CASE WHEN c.promise IN ('energy_per_va', 'emission_per_va') THEN c.achieved - c.committed
                ELSE c.committed - c.achieved END AS shortfall
    FROM parcel_gov.parcel_progress g
    JOIN parcel_gov.parcel p ON p.code = g.parcel_code
    LEFT JOIN parcel_gov.evaluation e ON e.year = g.year AND e.uscc = p.holder_uscc
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.year = g.year AND fy.uscc = p.holder_uscc
    CROSS JOIN LATERAL (VALUES
        ('investment_intensity', p.contract_investment_intensity, g.investment / nullif(p.area_mu, 0)),
        ('floor_area_ratio', p.contract_floor_area_ratio, g.floor_area_ratio),
        ('tax_per_mu', p.contract_tax_per_mu, e.tax_per_mu),
        ('energy_per_va', p.contract_energy_per_va, fy.energy_tce / nullif(fy.value_added, 0)),
        ('emission_per_va', p.contract_emission_per_va, fy.emission_t / nullif(fy.value_added, 0)),
        ('completion', CASE WHEN p.contract_completion_date <= make_date(g.year, 12, 31) THEN 0::float8 END,
         CASE WHEN p.contract_completion_date <= make_date(g.year, 12, 31)
              THEN -greatest(coalesce(g.completed_on, make_date(g.year, 12, 31)) - p.contract_completion_date, 0)::float8 END))
      AS c(promise, committed, achieved)
    WHERE c.committed IS NOT NULL AND c.achieved IS NOT NULL
), broken AS (
    SELECT k.*, k.year - row_number() OVER (PARTITION BY k.parcel_code, k.promise ORDER BY k.year) AS run
    FROM kept k WHERE k.shortfall > 0
)
SELECT b.parcel_code, b.year, b.region_code, b.holder_uscc, b.promise,
       CASE b.promise WHEN 'investment_intensity' THEN '投资强度' WHEN 'floor_area_ratio' THEN '容积率'
                      WHEN 'tax_per_mu' THEN '亩均税收' WHEN 'energy_per_va' THEN '单位增加值能耗'
                      WHEN 'emission_per_va' THEN '单位增加值排放' WHEN 'completion' THEN '竣工时间' END AS promise_label,
       b.committed, b.achieved, b.shortfall,
       count(*) OVER (PARTITION BY b.parcel_code, b.promise, b.run ORDER BY b.year) AS years_in_breach,
       r.state AS register_state
FROM broken b
LEFT JOIN parcel_gov.register r ON r.parcel_code = b.parcel_code;
COMMENT ON VIEW parcel_gov.v_contract_breach IS
  '违约清单 contract breaches: each promise of a parcel''s land contract broken in a year (investment intensity, floor-area ratio, per-mu tax: at least; energy and emissions per 万元 of value added: at most; completion: days late), the shortfall, the years running, the register state';
COMMENT ON COLUMN parcel_gov.v_contract_breach.promise IS '承诺事项: investment_intensity, floor_area_ratio, tax_per_mu, energy_per_va, emission_per_va or completion';
COMMENT ON COLUMN parcel_gov.v_contract_breach.promise_label IS '承诺事项 (中文)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.committed IS '承诺值: the contract''s figure (completion: 0 days late)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.achieved IS '实际值: what was achieved (completion: minus the days late)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.shortfall IS '差距: how far short of the promise (days late for completion)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.years_in_breach IS '连续违约年数: years running this promise has been broken';
COMMENT ON COLUMN parcel_gov.v_contract_breach.parcel_code IS '宗地代码: parcel code (GB/T 37346-2019, 一码管地)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_contract_breach.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_contract_breach.holder_uscc IS '土地使用权人代码: holder''s unified social credit code';
COMMENT ON COLUMN parcel_gov.v_contract_breach.register_state IS '低效用地库状态: register state, empty when not in the register';

-- When the rule says so (rule_set.breach_years_below_target), a parcel whose
-- contract has been broken that many years running is 投而未达标: its
-- land_status becomes below_target, which evaluate() turns into the
-- low-efficiency kind below_target.  Returns the parcels marked.
ALTER TABLE parcel_gov.rule_set ADD COLUMN breach_years_below_target integer
    CONSTRAINT rule_set_breach_years_positive CHECK (breach_years_below_target > 0);
COMMENT ON COLUMN parcel_gov.rule_set.breach_years_below_target IS
  '履约: a parcel whose land contract has been broken this many years running becomes 投而未达标 (below_target) under contract_mark_below_target(); NULL: never';
CREATE FUNCTION parcel_gov.contract_mark_below_target(year integer, region text DEFAULT NULL)
    RETURNS TABLE (parcel_code text, promises text[], years_in_breach bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF contract_mark_below_target.year IS NULL THEN
        RAISE EXCEPTION 'contract_mark_below_target needs a year' USING ERRCODE = '22004',
            HINT = 'e.g. contract_mark_below_target(2024, ''330604'').';
    END IF;
    RETURN QUERY
    WITH due AS (
        SELECT b.parcel_code, array_agg(b.promise ORDER BY b.promise) AS promises, max(b.years_in_breach) AS years
        FROM parcel_gov.v_contract_breach b
        JOIN parcel_gov.rule_set rs ON rs.id = parcel_gov.rule_set_for(b.region_code, b.year)
        WHERE b.year = contract_mark_below_target.year
          AND starts_with(b.region_code, parcel_gov.region_prefix(contract_mark_below_target.region))
          AND b.years_in_breach >= rs.breach_years_below_target
        GROUP BY b.parcel_code
    ), marked AS (
        UPDATE parcel_gov.parcel p SET land_status = 'below_target'
        FROM due d WHERE p.code = d.parcel_code AND p.land_status = 'normal'
        RETURNING p.code
    )
    SELECT d.parcel_code::text, d.promises, d.years FROM due d JOIN marked m ON m.code = d.parcel_code
    ORDER BY d.parcel_code;
END $$;
COMMENT ON FUNCTION parcel_gov.contract_mark_below_target(integer, text) IS
  '履约 → 低效: parcels (land_status normal) whose contract has been broken for the rule''s breach_years_below_target years running become below_target (投而未达标); returns them and the promises broken';
REVOKE EXECUTE ON FUNCTION parcel_gov.contract_mark_below_target(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.contract_mark_below_target(integer, text) TO parcel_gov_operator;
-- Decision support (issue: land lifecycle and decision support): the register
-- as it stood at a moment, early warning before a firm becomes D, and region
-- targets with their progress (Shangyu's indicator table, Tonglu's quotas).

-- The register at a moment, rebuilt from its history: each parcel's state,
-- kinds and batch after its last change up to as_of, and since when it has
-- been in that state.  A moment before the first change gives no rows.
CREATE FUNCTION parcel_gov.register_as_of(as_of timestamptz)
    RETURNS TABLE (parcel_code text, state parcel_gov.register_state, kinds parcel_gov.low_efficiency_kind[],
                   batch parcel_gov.batch, state_since timestamptz, last_change timestamptz, event_id bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'register_as_of needs a moment' USING ERRCODE = '22004',
            HINT = 'Give a timestamp, e.g. register_as_of(''2024-06-30 24:00+08'').';
    END IF;
    RETURN QUERY
    SELECT l.parcel_code, l.to_state, l.kinds, l.batch,
           (SELECT max(c.at) FROM parcel_gov.register_event c
            WHERE c.parcel_code = l.parcel_code AND c.id <= l.id AND c.from_state IS DISTINCT FROM c.to_state),
           l.at, l.id
    FROM (SELECT DISTINCT ON (e.parcel_code) e.*
          FROM parcel_gov.register_event e WHERE e.at <= as_of
          ORDER BY e.parcel_code, e.id DESC) AS l
    ORDER BY l.parcel_code;
END $$;
COMMENT ON FUNCTION parcel_gov.register_as_of(timestamptz) IS
  '登记册历史状态: every parcel''s register state, kinds and batch as they stood at a moment, rebuilt from register_event (an audit''s "what did the register say on 30 June"); no rows before the first change; NULL → 22004';

-- 预警 Early warning: firms to act on before they become D, one row per firm
-- and evaluated year with every reason that holds:
--   tax_falling     亩均税收连续两年下降: per-mu tax fell two years running
--   near_tier_line  距5万元/亩线一档: per-mu tax in the tier just above the
--                   5 万元/亩 line (5 to 10, tax_tier 2, 重点检查)
--   grade_dropped   等级下降: a worse grade than the year before
CREATE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name, w.pool, w.grade, w.grade_prev,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END) AS reason_labels
FROM (
    SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, e.pool,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu) = 2, false) AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped
    FROM parcel_gov.evaluation e
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
    LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
) AS w
WHERE w.falling OR w.near_line OR w.dropped;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, or whose grade dropped; one row per firm and year with the reasons';

-- 目标 Region targets: an indicator's base value in a base year and the
-- value to reach by a target year (Shangyu: 规上 tax per mu 22.25 → 31 万元,
-- value added per mu 96.59 → 135 万元 from 2020), or mu of low-efficiency
-- land to bring out of the register (出库) by then (revived_mu; base 0).
CREATE TABLE parcel_gov.region_target (
    region_code  text NOT NULL REFERENCES parcel_gov.region,
    indicator    text NOT NULL CONSTRAINT region_target_indicator_known
                 CHECK (indicator IN ('tax_per_mu', 'va_per_mu', 'labour_productivity', 'revived_mu')),
    base_year    integer NOT NULL,
    base_value   double precision NOT NULL,
    target_year  integer NOT NULL,
    target_value double precision NOT NULL,
    PRIMARY KEY (region_code, indicator, target_year),
    CONSTRAINT region_target_years_ordered CHECK (base_year < target_year),
    CONSTRAINT region_target_values_finite CHECK (base_value > '-Infinity' AND base_value < 'Infinity'
                                                  AND target_value > '-Infinity' AND target_value < 'Infinity'),
    CONSTRAINT region_target_moves CHECK (target_value <> base_value),
    CONSTRAINT region_target_revived_from_zero CHECK (indicator <> 'revived_mu' OR (base_value = 0 AND target_value > 0))
);
COMMENT ON TABLE parcel_gov.region_target IS
  '目标 region targets: an indicator (tax_per_mu 亩均税收, va_per_mu 亩均增加值, labour_productivity 全员劳动生产率 of 规上 firms; revived_mu 盘活低效用地亩数) from its base value in base_year to target_value by target_year';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region_target', '');
ALTER TABLE parcel_gov.region_target ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.region_target
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.region_target TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region_target TO parcel_gov_admin;

-- Progress: for each target and each evaluated year from the base year to
-- the target year, the actual value (ratios of sums over the region's graded
-- 规上 firms; for revived_mu the mu of parcels that left the register after
-- the base year, up to the end of that year) and the share of the way from
-- base to target (1 = reached).
CREATE VIEW parcel_gov.v_target_progress WITH (security_invoker = true) AS
SELECT t.region_code, rg.name AS region_name, t.indicator, t.base_year, t.base_value, t.target_year,
       t.target_value, y.year, a.actual,
       (a.actual - t.base_value) / (t.target_value - t.base_value) AS share_done
FROM parcel_gov.region_target t
LEFT JOIN parcel_gov.region rg ON rg.code = t.region_code
CROSS JOIN LATERAL (
    SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s
    WHERE starts_with(s.region_code, parcel_gov.region_prefix(t.region_code))
      AND s.year BETWEEN t.base_year AND t.target_year
) AS y
CROSS JOIN LATERAL (
    SELECT CASE t.indicator
             WHEN 'tax_per_mu' THEN sum(e.tax) FILTER (WHERE e.tax IS NOT NULL) / nullif(sum(e.area_mu) FILTER (WHERE e.tax IS NOT NULL), 0)
             WHEN 'va_per_mu' THEN sum(e.value_added) FILTER (WHERE e.value_added IS NOT NULL)
                                   / nullif(sum(e.area_mu) FILTER (WHERE e.value_added IS NOT NULL), 0)
             WHEN 'labour_productivity' THEN sum(e.value_added) FILTER (WHERE fy.staff > 0 AND e.value_added IS NOT NULL)
                                   / nullif(sum(fy.staff) FILTER (WHERE fy.staff > 0 AND e.value_added IS NOT NULL), 0)
             WHEN 'revived_mu' THEN (SELECT coalesce(sum(p.area_mu), 0) FROM parcel_gov.register r
                                     JOIN parcel_gov.parcel p ON p.code = r.parcel_code
                                     WHERE starts_with(r.parcel_code, parcel_gov.region_prefix(t.region_code))
                                       AND r.state = 'exited'
                                       AND r.exited_at >= make_timestamptz(t.base_year + 1, 1, 1, 0, 0, 0)
                                       AND r.exited_at < make_timestamptz(y.year + 1, 1, 1, 0, 0, 0))
           END AS actual
    FROM parcel_gov.evaluation e
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = e.uscc AND fy.year = e.year
    WHERE e.year = y.year AND starts_with(e.region_code, parcel_gov.region_prefix(t.region_code))
      AND e.pool = 'above' AND e.grade IS NOT NULL AND e.area_mu > 0
) AS a;
COMMENT ON VIEW parcel_gov.v_target_progress IS
  '目标进度 target progress: per region target and evaluated year, the actual value (规上 ratios of sums; revived_mu: mu that left the register 出库 since the base year) and the share of the way from base to target';

-- The new views' column comments: a column named as one in another view
-- takes its words (install/97_view_comments.sql); the new names get theirs
-- here; a column left without fails the install.
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev IS '上年等级: grade the year before';
COMMENT ON COLUMN parcel_gov.v_early_warning.reasons IS '预警原因: tax_falling, near_tier_line, grade_dropped';
COMMENT ON COLUMN parcel_gov.v_early_warning.reason_labels IS '预警原因 (中文): the reasons in Chinese';
COMMENT ON COLUMN parcel_gov.v_target_progress.indicator IS '目标指标: tax_per_mu, va_per_mu, labour_productivity or revived_mu';
COMMENT ON COLUMN parcel_gov.v_target_progress.base_year IS '基期年份: base year';
COMMENT ON COLUMN parcel_gov.v_target_progress.base_value IS '基期值: value in the base year';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_year IS '目标年份: target year';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_value IS '目标值: value to reach (revived_mu: 亩 to bring out of the register)';
COMMENT ON COLUMN parcel_gov.v_target_progress.actual IS '实际值: the year''s actual value';
COMMENT ON COLUMN parcel_gov.v_target_progress.share_done IS '完成进度: share of the way from base to target (1 = reached)';
DO $$
DECLARE
    missing text;
BEGIN
    FOR missing IN
        SELECT pg_catalog.format('COMMENT ON COLUMN parcel_gov.%I.%I IS %L', c.relname, a.attname,
                                 (SELECT pg_catalog.col_description(o.attrelid, o.attnum)
                                  FROM pg_catalog.pg_attribute o JOIN pg_catalog.pg_class oc ON oc.oid = o.attrelid
                                  WHERE oc.relnamespace = c.relnamespace AND oc.relkind = 'v' AND oc.oid <> c.oid
                                    AND o.attname = a.attname AND pg_catalog.col_description(o.attrelid, o.attnum) IS NOT NULL
                                  ORDER BY oc.relname LIMIT 1))
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
        WHERE c.oid IN ('parcel_gov.v_early_warning'::pg_catalog.regclass, 'parcel_gov.v_target_progress'::pg_catalog.regclass)
          AND pg_catalog.col_description(c.oid, a.attnum) IS NULL
    LOOP
        IF missing IS NULL THEN
            RAISE EXCEPTION 'a new view column has no comment';
        END IF;
        EXECUTE missing;
    END LOOP;
END $$;
-- Rule what-if (规则模拟): evaluate a year under a proposed rule set without
-- touching the evaluation or the register.  simulate() runs the real engine
-- inside a subtransaction that it then rolls back, after reading what the
-- run would have written: the same arithmetic as evaluate(), and nothing of
-- it stays but the comparison, kept in simulation and simulation_firm.

CREATE TABLE parcel_gov.simulation (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year           integer NOT NULL,
    rule_set_id    text NOT NULL,
    region_prefix  text NOT NULL,
    run_by         name NOT NULL DEFAULT current_user,
    run_at         timestamptz NOT NULL DEFAULT pg_catalog.now(),
    firms          integer NOT NULL,
    parcels_entering integer NOT NULL,
    parcels_clearing integer NOT NULL
);
COMMENT ON TABLE parcel_gov.simulation IS
  '规则模拟 rule what-ifs: a year evaluated under a proposed rule set for a region, with how many parcels would enter the register (进入低效库) and how many assessed parcels would clear its thresholds (可出库)';
CREATE TABLE parcel_gov.simulation_firm (
    simulation_id   bigint NOT NULL REFERENCES parcel_gov.simulation ON DELETE CASCADE,
    uscc            text NOT NULL,
    region_code     text NOT NULL,
    current_score   double precision,
    current_grade   parcel_gov.grade,
    simulated_score double precision,
    simulated_grade parcel_gov.grade,
    PRIMARY KEY (simulation_id, uscc)
);
COMMENT ON TABLE parcel_gov.simulation_firm IS
  '规则模拟结果: per firm, the score and grade of the stored evaluation and under the proposed rule set';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.simulation', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.simulation', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.simulation_firm', '');
ALTER TABLE parcel_gov.simulation ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.simulation
    USING (region_prefix OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_prefix OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
ALTER TABLE parcel_gov.simulation_firm ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.simulation_firm
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.simulation, parcel_gov.simulation_firm TO parcel_gov_reader;
GRANT INSERT, DELETE ON parcel_gov.simulation, parcel_gov.simulation_firm TO parcel_gov_analyst;

CREATE FUNCTION parcel_gov.simulate(year integer, rule_set text, region text DEFAULT NULL)
    RETURNS TABLE (simulation_id bigint, uscc text, name text, current_score double precision,
                   current_grade parcel_gov.grade, simulated_score double precision, simulated_grade parcel_gov.grade)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := simulate.year;
    prefix constant text := parcel_gov.region_prefix(simulate.region);
    proposal constant text := simulate.rule_set;
    simulated jsonb;
    entering integer;
    clearing integer;
    sim_id bigint;
BEGIN
    IF y IS NULL OR proposal IS NULL THEN
        RAISE EXCEPTION 'simulate needs a year and a rule set' USING ERRCODE = '22004',
            HINT = 'e.g. simulate(2024, ''wenling'', ''330604'').';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set r WHERE r.id = proposal) THEN
        RAISE EXCEPTION 'no rule set %', proposal USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_pool p WHERE p.rule_set_id = proposal) THEN
        RAISE EXCEPTION 'rule set % has no pools', proposal USING ERRCODE = '22023',
            HINT = 'A rule set needs its pools and indicators (rule_pool, rule_indicator) to grade.';
    END IF;
    BEGIN
        -- the proposal applies to every county of the region this year: a
        -- county-level copy starting this year is the most specific rule
        DELETE FROM parcel_gov.rule_set r
        WHERE length(r.region_prefix) = 6 AND starts_with(r.region_prefix, prefix) AND r.year_from = y;
        PERFORM parcel_gov.rule_set_adopt(proposal, 'simulation_' || g.code, g.code, y, y)
        FROM parcel_gov.region g WHERE g.level = 'county' AND starts_with(g.code, prefix);
        PERFORM parcel_gov.evaluate(y, simulate.region);
        SELECT coalesce(jsonb_agg(jsonb_build_object('uscc', e.uscc, 'region', e.region_code,
                                                     'score', e.score, 'grade', e.grade)), '[]')
        INTO simulated FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix);
        SELECT count(*) FILTER (WHERE r.entered_at IS NULL AND r.state = 'candidate'
                                  AND r.state_since >= pg_catalog.now()),
               count(*) FILTER (WHERE r.state = 'assessing' AND r.clears_thresholds)
        INTO entering, clearing
        FROM parcel_gov.register r WHERE starts_with(r.parcel_code, prefix);
        RAISE EXCEPTION 'simulation rolled back' USING ERRCODE = 'PGSIM';
    EXCEPTION WHEN SQLSTATE 'PGSIM' THEN
        NULL;   -- the evaluation, the register and the rules are as they were
    END;
    INSERT INTO parcel_gov.simulation (year, rule_set_id, region_prefix, firms, parcels_entering, parcels_clearing)
    VALUES (y, proposal, prefix, jsonb_array_length(simulated), entering, clearing)
    RETURNING id INTO sim_id;
    INSERT INTO parcel_gov.simulation_firm
    SELECT sim_id, coalesce(s.uscc, e.uscc), coalesce(s.region, e.region_code), e.score, e.grade, s.score, s.grade
    FROM (SELECT * FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix)) AS e
    FULL JOIN jsonb_to_recordset(simulated) AS s(uscc text, region text, score double precision, grade parcel_gov.grade)
      ON s.uscc = e.uscc;
    RETURN QUERY
    SELECT f.simulation_id, f.uscc, n.name, f.current_score, f.current_grade, f.simulated_score, f.simulated_grade
    FROM parcel_gov.simulation_firm f LEFT JOIN parcel_gov.enterprise n ON n.uscc = f.uscc
    WHERE f.simulation_id = sim_id ORDER BY f.uscc;
END $$;
COMMENT ON FUNCTION parcel_gov.simulate(integer, text, text) IS
  '规则模拟 what-if: evaluates a year for a region under a proposed rule set without changing the evaluation, the register or the rules; returns each firm''s current and simulated score and grade, and keeps them in simulation_firm';
REVOKE EXECUTE ON FUNCTION parcel_gov.simulate(integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.simulate(integer, text, text) TO parcel_gov_analyst;

-- Grade moves of each simulation (A→B, C→D, …) and its register effects.
CREATE VIEW parcel_gov.v_simulation_moves WITH (security_invoker = true) AS
SELECT s.id AS simulation_id, s.year, s.rule_set_id, s.region_prefix,
       coalesce(f.current_grade::text, '—') || '→' || coalesce(f.simulated_grade::text, '—') AS move,
       f.current_grade, f.simulated_grade, count(*) AS firms, s.parcels_entering, s.parcels_clearing
FROM parcel_gov.simulation s JOIN parcel_gov.simulation_firm f ON f.simulation_id = s.id
GROUP BY s.id, f.current_grade, f.simulated_grade;
COMMENT ON VIEW parcel_gov.v_simulation_moves IS
  '规则模拟汇总: per simulation, how many firms move from each grade to each other (A→B, C→D, …), and how many parcels would enter the register or clear its thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulation_id IS '模拟编号: simulation id';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.move IS '等级变化: current → simulated grade (— none)';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade IS '现行等级: grade in the stored evaluation';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade IS '模拟等级: grade under the proposed rules';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_entering IS '新进低效库宗数: parcels the run would enter in the register';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_clearing IS '可出库宗数: assessed parcels that would clear the thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.region_prefix IS '区域: region code prefix simulated';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.rule_set_id IS '模拟规则: the proposed rule set';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.firms IS '企业数: firms making the move';
