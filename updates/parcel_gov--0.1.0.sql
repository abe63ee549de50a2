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
