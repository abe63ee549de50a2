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

-- A rule set's tiers (rule_set.tax_tier_bounds) with their reading of a
-- figure on a bound (rule_set.tax_tier_includes_bound).
CREATE FUNCTION parcel_gov.tax_tier(tax_per_mu double precision, bounds double precision[],
                                    includes_bound boolean)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'tax_tier_read'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.tax_tier(double precision, double precision[], boolean) IS
  'Per-mu tax tier under a rule set''s bounds: 1 below the first bound (重点排查), 2 (重点检查), 3 (重点指导), 0 above all; a figure on a bound is in the lower tier when includes_bound (以下 includes the bound), else in the higher one';

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
-- Who called (src/invoker.c): the role the session acts as, also inside the
-- SECURITY DEFINER functions that write results and history.  Defined
-- first: the history's actor and the run logs' run_by default to it.
CREATE FUNCTION parcel_gov.invoker()
    RETURNS regrole
    AS 'MODULE_PATHNAME', 'invoker'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.invoker() IS
  'the calling role (the session''s user or the role it SET ROLE to), unchanged inside SECURITY DEFINER functions: the actor of the register''s history and of the run logs';
-- Which subscription writes through this backend (src/applying_subscription.c):
-- the triggers a province's subscriptions fire (ENABLE REPLICA, with this as
-- their WHEN clause) act in PostgreSQL's replication workers only, not in
-- any other session that sets session_replication_role = replica.  Defined
-- early: the change marks' triggers (89_mark_changes.sql) read it too.
CREATE FUNCTION parcel_gov.applying_subscription()
    RETURNS name
    AS 'MODULE_PATHNAME', 'applying_subscription'
    LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION parcel_gov.applying_subscription() IS
  'the subscription whose logical replication worker (apply or initial copy) runs this backend, NULL in every other session: the province''s checks of applied rows act on it (README: Many counties, one province)';
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

CREATE FUNCTION parcel_gov.uscc_early(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_early'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_early(text) IS
  'true for an early 统一社会信用代码: well formed, only its check character fails; stored, and listed in v_uscc_early to be confirmed';

CREATE FUNCTION parcel_gov.uscc_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_check(text) IS
  'Check of the domain parcel_gov.uscc: true for a valid or an early code, or error 23514 saying what is wrong';

CREATE FUNCTION parcel_gov.org_code_valid(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'org_code_valid'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.org_code_valid(text) IS
  'true when code is a valid 9-character 组织机构代码 (GB 11714), as in positions 9–17 of a USCC';

CREATE DOMAIN parcel_gov.uscc AS text
    CONSTRAINT uscc_check CHECK (parcel_gov.uscc_check(VALUE));
COMMENT ON DOMAIN parcel_gov.uscc IS
  '统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters of its alphabet, authority, type and division checked; a code whose check character alone fails (an early code) is stored and listed in v_uscc_early';
-- 国民经济行业代码 (GB/T 4754-2017): a section letter A–T, alone or with the 2-digit
-- division (大类), 3-digit group (中类) or 4-digit class (小类), e.g. C3311.
-- The bureaus' files mostly drop the letter (3311); the division names it.
-- In C (src/industry_code.c): the check runs on every firm written.

CREATE FUNCTION parcel_gov.gbt4754_section(division integer)
    RETURNS text
    AS 'MODULE_PATHNAME', 'gbt4754_section'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.gbt4754_section(integer) IS
  'GB/T 4754-2017 门类 (section letter) of a 2-digit 大类 (division): 13–43 → C 制造业; NULL when there is no such division';

CREATE FUNCTION parcel_gov.industry_code_problem(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'industry_code_problem'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_problem(text) IS
  'What is wrong with a GB/T 4754 industry code (no section letter, a letter the division is not in, no such division), or NULL when it is right';

CREATE FUNCTION parcel_gov.industry_code_normal(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'industry_code_normal'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_normal(text) IS
  '行业代码 as stored: the section letter added to a bare division, group or class (3311 → C3311), upper case, no spaces; NULL when the code is no GB/T 4754 code';

CREATE FUNCTION parcel_gov.industry_code_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'industry_code_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_check(text) IS
  'Check of enterprise.industry_code: true, or error 23514 saying what is wrong with the GB/T 4754 code';
-- The bureaus' spreadsheets as they come: columns named by Chinese headers
-- with the unit in brackets (税收(万元), 用电量（万千瓦时）), numbers written
-- with thousands separators or full-width digits.  import_enterprise_years()
-- reads a staging table through these two functions.

-- What a header names: the enterprise_year / enterprise column, the unit
-- read from its brackets and the factor into the unit stored (money 万元,
-- energy tce, emissions and COD t, electricity kWh, water t); or why it cannot be used.  A
-- figure whose header names no unit, or one not listed, is a problem: the
-- import never assumes one.  target is NULL for a header it does not know.
CREATE FUNCTION parcel_gov.bureau_header(header text, OUT target text, OUT unit text,
                                         OUT factor double precision, OUT problem text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH cleaned AS (
        SELECT translate(regexp_replace(bureau_header.header, '[\s\u3000]', '', 'g'),
                         '（）【】［］', '()[]()') AS h
    ), split AS (
        SELECT coalesce(substring(c.h FROM '^(.*?)[\(\[][^\(\)\[\]]*[\)\]]$'), c.h) AS name,
               substring(c.h FROM '[\(\[]([^\(\)\[\]]*)[\)\]]$') AS unit
        FROM cleaned c
    ), named AS (
        SELECT s.name, s.unit, n.target, n.kind
        FROM split s
        LEFT JOIN (VALUES
            ('统一社会信用代码', 'uscc', 'code'), ('社会信用代码', 'uscc', 'code'), ('信用代码', 'uscc', 'code'),
            ('企业名称', 'name', 'text'), ('单位名称', 'name', 'text'),
            ('行业代码', 'industry_code', 'code'), ('国民经济行业代码', 'industry_code', 'code'),
            ('规模', 'size_class', 'code'), ('企业规模', 'size_class', 'code'),
            ('年度', 'year', 'code'), ('年份', 'year', 'code'),
            ('税收', 'tax', 'money'), ('税收实际贡献', 'tax', 'money'), ('实缴税金', 'tax', 'money'),
            ('工业增加值', 'value_added', 'money'), ('增加值', 'value_added', 'money'),
            ('营业收入', 'revenue', 'money'), ('主营业务收入', 'main_revenue', 'money'),
            ('研发经费', 'rd_expense', 'money'), ('研发经费支出', 'rd_expense', 'money'),
            ('从业人员', 'staff', 'people'), ('从业人员数', 'staff', 'people'), ('年平均职工人数', 'staff', 'people'),
            ('综合能耗', 'energy_tce', 'energy'), ('排放量', 'emission_t', 'mass'),
            ('主要污染物排放量', 'emission_t', 'mass'),
            ('用电量', 'electricity_kwh', 'electricity'), ('总用电量', 'electricity_kwh', 'electricity'),
            ('用水量', 'water_t', 'water'), ('总用水量', 'water_t', 'water'),
            ('化学需氧量排放量', 'cod_t', 'mass'), ('COD排放量', 'cod_t', 'mass'),
            ('不参评原因', 'exempt_reason', 'text'), ('否决原因', 'veto_reason', 'text'),
            ('加分', 'bonus', 'points'), ('减分', 'deduction', 'points')) AS n(header, target, kind)
          ON n.header = s.name
    ), units AS (
        SELECT n.*, u.factor
        FROM named n
        LEFT JOIN (VALUES
            ('money', '元', 1e-4::double precision), ('money', '千元', 0.1), ('money', '万元', 1), ('money', '亿元', 1e4),
            ('people', '人', 1), ('people', NULL, 1),
            ('energy', '吨标煤', 1), ('energy', '吨标准煤', 1), ('energy', 'tce', 1), ('energy', '万吨标煤', 1e4),
            ('mass', '吨', 1), ('mass', 't', 1), ('mass', '千克', 1e-3), ('mass', 'kg', 1e-3),
            ('electricity', '千瓦时', 1), ('electricity', 'kWh', 1), ('electricity', '度', 1),
            ('electricity', '万千瓦时', 1e4), ('electricity', '万kWh', 1e4), ('electricity', '万度', 1e4),
            -- a cubic metre of water is a tonne
            ('water', '吨', 1), ('water', 't', 1), ('water', '立方米', 1), ('water', 'm3', 1), ('water', 'm³', 1),
            ('water', '万吨', 1e4), ('water', '万立方米', 1e4),
            ('points', '分', 1), ('points', NULL, 1),
            ('code', NULL, NULL), ('text', NULL, NULL)) AS u(kind, unit, factor)
          -- a code's or a name's brackets qualify it (企业名称(全称)): no unit
          ON u.kind = n.kind AND (u.unit IS NOT DISTINCT FROM n.unit OR n.kind IN ('code', 'text'))
    )
    SELECT u.target, u.unit, u.factor,
           CASE WHEN u.target IS NULL THEN NULL
                WHEN u.unit IS NULL AND u.factor IS NULL AND u.kind NOT IN ('code', 'text')
                  THEN format('"%s" states no unit: name it in brackets, e.g. %s', bureau_header.header,
                              CASE u.kind WHEN 'money' THEN u.name || '(万元) or ' || u.name || '(元)'
                                          WHEN 'energy' THEN u.name || '(吨标煤)'
                                          WHEN 'mass' THEN u.name || '(吨)'
                                          WHEN 'water' THEN u.name || '(吨) or ' || u.name || '(立方米)'
                                          ELSE u.name || '(万千瓦时) or ' || u.name || '(千瓦时)' END)
                WHEN u.factor IS NULL AND u.kind NOT IN ('code', 'text')
                  THEN format('"%s": unit %s is not one this import knows for %s (%s)', bureau_header.header,
                              u.unit, u.target,
                              CASE u.kind WHEN 'money' THEN '元, 千元, 万元, 亿元'
                                          WHEN 'people' THEN '人'
                                          WHEN 'energy' THEN '吨标煤, 万吨标煤'
                                          WHEN 'mass' THEN '吨, 千克'
                                          WHEN 'water' THEN '吨, 立方米, 万吨, 万立方米'
                                          WHEN 'points' THEN '分'
                                          ELSE '千瓦时, 万千瓦时' END) END
    FROM units u;
END;
COMMENT ON FUNCTION parcel_gov.bureau_header(text) IS
  '表头 (a spreadsheet header such as 税收(万元)): the column it names, its unit and the factor into the stored unit, or the problem (a figure with no unit, or a unit not known); target NULL for a header not known';

-- A cell as a number (src/bureau_number.c): NULL when empty (or only -, —,
-- /, which the bureaus write for "none"), NaN when it is not a number.
-- Thousands separators and full-width digits are read.
CREATE FUNCTION parcel_gov.bureau_number(cell text)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'bureau_number'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.bureau_number(text) IS
  'A spreadsheet cell as a number: thousands separators and full-width digits read; NULL when empty or -, —, /; NaN when not a number';
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
     'built_not_operating', 'below_target', 'idle', 'non_industrial', 'prohibited_industry',
     'scattered_polluting', 'collective_industrial');
COMMENT ON TYPE parcel_gov.low_efficiency_kind IS
  '低效工业用地类型: low_per_mu 亩均税收低, grade_d 评价D类, 五未 (approved_unsupplied 批而未供, supplied_unused 供而未用, underused 用而未尽, built_not_operating 建而未投, below_target 投而未达标), idle 闲置土地, non_industrial 占工非工, prohibited_industry 禁止/淘汰类产业, scattered_polluting 低散乱污, collective_industrial 集体工业用地';

CREATE FUNCTION parcel_gov.label(value parcel_gov.low_efficiency_kind)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value::text
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
    WHEN 'scattered_polluting' THEN '低散乱污'
    WHEN 'collective_industrial' THEN '集体工业用地'
END;

COMMENT ON FUNCTION parcel_gov.label(parcel_gov.grade) IS 'Chinese name of a grade (等级名称)';
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.batch) IS 'Chinese name of a batch (四个一批)';
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.register_state) IS 'Chinese name of a register state (入库流程)';
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.low_efficiency_kind) IS 'Chinese name of a low-efficiency kind (低效类型)';

-- 处置路径: how a register parcel is disposed of, the operator's choice beside
-- its batch (桐庐 2022–2024: 收购收储 when improvement fails, and the 连片
-- routes 退二还一 / 优二 / 补三; 金东 2021–2023: 收回 / 改造 / 转让).
CREATE TYPE parcel_gov.disposal_route AS ENUM
    ('purchase_storage', 'secondary_to_primary', 'upgrade_secondary', 'add_tertiary',
     'take_back', 'redevelop', 'transfer');
COMMENT ON TYPE parcel_gov.disposal_route IS
  '处置路径 (disposal route): purchase_storage 收购收储, secondary_to_primary 退二还一, upgrade_secondary 优二, add_tertiary 补三 (桐庐), take_back 收回, redevelop 改造, transfer 转让 (金东)';

CREATE FUNCTION parcel_gov.label(value parcel_gov.disposal_route)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'purchase_storage' THEN '收购收储'
    WHEN 'secondary_to_primary' THEN '退二还一'
    WHEN 'upgrade_secondary' THEN '优二'
    WHEN 'add_tertiary' THEN '补三'
    WHEN 'take_back' THEN '收回'
    WHEN 'redevelop' THEN '改造'
    WHEN 'transfer' THEN '转让'
END;
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.disposal_route) IS 'Chinese name of a disposal route (处置路径)';

-- 问题清单's departments (绍兴 2021: 环保、安全、消防、违建).
CREATE TYPE parcel_gov.issue_department AS ENUM ('environment', 'safety', 'fire', 'illegal_building');
COMMENT ON TYPE parcel_gov.issue_department IS
  '问题清单 department: environment 环保, safety 安全, fire 消防, illegal_building 违建';

CREATE FUNCTION parcel_gov.label(value parcel_gov.issue_department)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'environment' THEN '环保'
    WHEN 'safety' THEN '安全'
    WHEN 'fire' THEN '消防'
    WHEN 'illegal_building' THEN '违建'
END;
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.issue_department) IS 'Chinese name of a department of the issue lists (问题清单)';
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
-- The data model (docs/data-model.md): regions, parks, parcels, firms, leases and
-- yearly firm data.  User data: registered with pg_extension_config_dump so
-- pg_dump keeps it.  Parcels are stored in CGCS2000 (EPSG:4490).

CREATE TABLE parcel_gov.region (
    code          text PRIMARY KEY
                  CONSTRAINT region_code_6_or_9_digits CHECK (code ~ '^[0-9]{6}([0-9]{3})?$'),
    name          text NOT NULL,
    parent_code   text REFERENCES parcel_gov.region,
    -- set from the code by the trigger region_level; the check holds it
    -- there also where triggers do not fire (replication, replica mode)
    level         text NOT NULL,
    valid_from    date,
    valid_to      date,
    superseded_by text REFERENCES parcel_gov.region,
    shipped       boolean NOT NULL DEFAULT false,
    CONSTRAINT region_validity_ordered CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from < valid_to),
    CONSTRAINT region_level_of_code CHECK (level = CASE WHEN length(code) = 9 THEN 'township'
                                                        WHEN code LIKE '%0000' THEN 'province'
                                                        WHEN code LIKE '%00' THEN 'city' ELSE 'county' END),
    -- a township (9 digits) lies in the county its first six digits name
    CONSTRAINT region_township_in_its_county
        CHECK (length(code) = 6 OR (parent_code = left(code, 6) AND parent_code !~ '00$'))
);
COMMENT ON TABLE parcel_gov.region IS
  '行政区划 (administrative divisions): GB/T 2260 codes, 330000 province, 330600 city, 330604 county, and 乡镇街道 townships by the statistics bureau''s 9-digit codes (330604100); Zhejiang''s province, cities and counties ship with parcel_gov (shipped, read-only), superseded codes with their validity to the month (上虞市 330682 → 上虞区 330604 from 2013-10-01); counties add their townships';
COMMENT ON COLUMN parcel_gov.region.level IS
  '层级: province, city, county or township, from the code (set by the trigger region_level)';
COMMENT ON COLUMN parcel_gov.region.valid_to IS
  '停用日期: the first day of the month the code was superseded (validity is known to the month); NULL while in use';
COMMENT ON COLUMN parcel_gov.region.superseded_by IS
  '继承代码: the code that took over most of a superseded one';
COMMENT ON COLUMN parcel_gov.region.shipped IS
  '内置区划: a row parcel_gov ships (the national list, read-only, not dumped: CREATE EXTENSION brings it back); false for the rows a county adds (乡镇街道 townships, a new code)';

-- A region's level follows its code: whatever a writer gives is replaced.
CREATE FUNCTION parcel_gov.region_level() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- as the check region_level_of_code has it
    NEW.level := CASE WHEN length(NEW.code) = 9 THEN 'township'
                      WHEN NEW.code LIKE '%0000' THEN 'province'
                      WHEN NEW.code LIKE '%00' THEN 'city' ELSE 'county' END;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.region_level() IS
  'Trigger: sets a region''s level from its code (9 digits township, xx0000 province, xxxx00 city, else county)';
CREATE TRIGGER region_level BEFORE INSERT OR UPDATE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_level();

-- The shipped regions are the national list: pg_dump leaves them out and
-- CREATE EXTENSION brings them back, so a county's change to them would be
-- lost, and a county's own row marked shipped would vanish from its dumps.
-- The extension's scripts and a restore run as a superuser, who passes.
-- A dump taken before 1.7.0 holds the regions the county entered itself:
-- restored by a superuser (row_security off, as pg_restore and pg_dump's
-- scripts set it, src/restore_mode.c), a row of a shipped code gives way
-- to the shipped row, as the update to 1.7.0 makes it.
CREATE FUNCTION parcel_gov.region_shipped_read_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the calling role, as in every guard of the extension
    IF (SELECT r.rolsuper FROM pg_roles r WHERE r.oid = parcel_gov.invoker()) THEN
        IF TG_OP = 'INSERT' AND NOT NEW.shipped AND NOT current_setting('row_security')::boolean
           AND EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = NEW.code AND r.shipped) THEN
            RETURN NULL;
        END IF;
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'region % % ships with parcel_gov and is read-only', OLD.code, OLD.name
            USING ERRCODE = '42501',
                  HINT = 'The shipped regions are the national list (GB/T 2260). Add your townships (9-digit codes under your county) or a new code as rows of your own.';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.shipped THEN
        RAISE EXCEPTION 'region % cannot be marked shipped', NEW.code
            USING ERRCODE = '42501',
                  HINT = 'Only the regions parcel_gov ships have shipped = true; add yours with shipped = false (the default).';
    END IF;
    RETURN coalesce(NEW, OLD);
END $$;
COMMENT ON FUNCTION parcel_gov.region_shipped_read_only() IS
  'Trigger: the shipped regions cannot be changed or deleted, nor a row marked shipped (42501), but by a superuser (the extension''s scripts, a restore); a superuser''s restore of a region of a shipped code (a dump taken before 1.7.0) keeps the shipped row';
CREATE TRIGGER region_shipped_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_shipped_read_only();
-- The shipped rows are left out of logical replication by a row filter on
-- shipped (README: backups); a filter on a column outside the key needs
-- the whole row as the replica identity for updates and deletes.
ALTER TABLE parcel_gov.region REPLICA IDENTITY FULL;

CREATE TABLE parcel_gov.park (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    region_code text NOT NULL REFERENCES parcel_gov.region,
    geom        geometry(MultiPolygon, 4490),
    UNIQUE (region_code, name)
);
COMMENT ON TABLE parcel_gov.park IS '开发区/园区 (development zones and industrial parks)';
-- A county server publishes its rows by region_code (README: Many counties,
-- one province); a row filter on updates and deletes may read only the
-- replica identity, so it is the whole row here, as for enterprise, parcel
-- and evaluation.  The old row is written to the WAL only where wal_level
-- is logical: a server that publishes nothing pays nothing.
ALTER TABLE parcel_gov.park REPLICA IDENTITY FULL;

CREATE TABLE parcel_gov.enterprise (
    uscc          parcel_gov.uscc PRIMARY KEY,
    name          text NOT NULL,
    region_code   text NOT NULL REFERENCES parcel_gov.region
                  CONSTRAINT enterprise_region_6_digits CHECK (region_code ~ '^[0-9]{6}$'),
    industry_code text CONSTRAINT enterprise_industry_gbt4754
                  CHECK (parcel_gov.industry_code_check(industry_code)),
    uscc_confirmed boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE parcel_gov.enterprise IS
  '企业 (firms): 统一社会信用代码, the county that evaluates them (never derived from the USCC), 国民经济行业代码 (GB/T 4754, e.g. C3311)';
COMMENT ON COLUMN parcel_gov.enterprise.uscc_confirmed IS
  '代码已核实: an early code (its check character fails) was confirmed against the business licence; v_uscc_early lists the rest';
-- published by region_code (as park)
ALTER TABLE parcel_gov.enterprise REPLICA IDENTITY FULL;

CREATE TABLE parcel_gov.parcel (
    code                   parcel_gov.parcel_code PRIMARY KEY,
    fid                    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    region_code            text NOT NULL REFERENCES parcel_gov.region
                           CONSTRAINT parcel_region_6_digits CHECK (region_code ~ '^[0-9]{6}$'),
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
    contract_completion_date      date,
    -- a point on the parcel's surface in WGS 84 for BI tools that cannot
    -- draw PostGIS geometry, kept with the row instead of transformed on
    -- every read of a view
    lon double precision GENERATED ALWAYS AS (ST_X(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED,
    lat double precision GENERATED ALWAYS AS (ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED,
    fails_acceptance       boolean NOT NULL DEFAULT false,
    contract_energy_per_va double precision
        CONSTRAINT parcel_contract_energy_possible CHECK (contract_energy_per_va > 0 AND contract_energy_per_va < 100),
    contract_emission_per_va double precision
        CONSTRAINT parcel_contract_emission_possible CHECK (contract_emission_per_va > 0 AND contract_emission_per_va < 100),
    land_procedures_legal  boolean,
    standard_land          boolean,
    -- 乡镇街道: the township or street (a 9-digit region of the county's own) the parcel lies in
    township_code text REFERENCES parcel_gov.region
        CONSTRAINT parcel_township_in_county CHECK (township_code ~ '^[0-9]{9}$' AND left(township_code, 6) = region_code),
    CONSTRAINT parcel_contract_investment_possible
        CHECK (contract_investment_intensity > 0 AND contract_investment_intensity < 1000000),
    CONSTRAINT parcel_contract_far_possible CHECK (contract_floor_area_ratio > 0 AND contract_floor_area_ratio <= 20),
    CONSTRAINT parcel_contract_tax_possible CHECK (contract_tax_per_mu > 0 AND contract_tax_per_mu < 100000)
);
COMMENT ON TABLE parcel_gov.parcel IS
  '工业用地宗地 (industrial parcels), one 宗地代码 each (一码管地); geom in CGCS2000 (EPSG:4490), area_mu computed from it on the spheroid; holder = 土地使用权人';
COMMENT ON COLUMN parcel_gov.parcel.land_status IS
  '五未 status or idle: normal, approved_unsupplied 批而未供, supplied_unused 供而未用, underused 用而未尽, built_not_operating 建而未投, below_target 投而未达标, idle 闲置土地';
COMMENT ON COLUMN parcel_gov.parcel.land_use_scheme IS
  'the scheme planned_use/actual_use codes come from (GB/T 21010, 三调, 用地用海, planning)';
COMMENT ON COLUMN parcel_gov.parcel.lon IS
  '经度 (WGS 84, EPSG:4326) of a point on the parcel''s surface, for maps in BI tools; GCJ-02 (高德/腾讯) and BD-09 (百度) basemaps are offset from it, 天地图 is not';
COMMENT ON COLUMN parcel_gov.parcel.lat IS
  '纬度 (WGS 84, EPSG:4326) of a point on the parcel''s surface';
COMMENT ON COLUMN parcel_gov.parcel.standard_land IS
  '标准地: supplied as standard land, with the contract''s commitments (investment intensity, floor-area ratio, per-mu tax, energy, emissions) set before supply; NULL: not recorded';
COMMENT ON COLUMN parcel_gov.parcel.fails_acceptance IS
  'cannot pass environment, fire or safety acceptance even after rectification (关停退出)';
COMMENT ON COLUMN parcel_gov.parcel.land_procedures_legal IS
  '合法用地手续: the land has its legal land procedures; false on collective land (宗地代码 character 13 J 集体) makes it 集体工业用地 (collective_industrial); NULL unknown';
COMMENT ON COLUMN parcel_gov.parcel.contract_energy_per_va IS
  '承诺单位增加值能耗 (吨标煤/万元): at most this much energy per 万元 of value added';
COMMENT ON COLUMN parcel_gov.parcel.township_code IS
  '乡镇街道代码: the township or street the parcel lies in, a 9-digit region under the parcel''s county (v_township_progress ranks them)';
COMMENT ON COLUMN parcel_gov.parcel.contract_emission_per_va IS
  '承诺单位增加值排放 (吨/万元): at most this much emission per 万元 of value added';
CREATE INDEX parcel_holder_idx ON parcel_gov.parcel (holder_uscc);
CREATE INDEX parcel_region_idx ON parcel_gov.parcel (region_code);
CREATE INDEX parcel_park_idx ON parcel_gov.parcel (park_id);
CREATE INDEX parcel_township_idx ON parcel_gov.parcel (township_code);
CREATE INDEX parcel_geom_idx ON parcel_gov.parcel USING gist (geom);
-- published by region_code (as park)
ALTER TABLE parcel_gov.parcel REPLICA IDENTITY FULL;

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
    figures_confirmed   boolean NOT NULL DEFAULT false,
    scattered_polluting boolean NOT NULL DEFAULT false,
    water_t         double precision CONSTRAINT enterprise_year_water_t_check CHECK (water_t >= 0 AND water_t < 1e10),
    cod_t           double precision CONSTRAINT enterprise_year_cod_t_check CHECK (cod_t >= 0 AND cod_t < 1e9),
    main_revenue    double precision CONSTRAINT enterprise_year_main_revenue_check CHECK (main_revenue >= 0 AND main_revenue < 1e9),
    land_use_rate   double precision CONSTRAINT enterprise_year_land_use_rate_share CHECK (land_use_rate BETWEEN 0 AND 1),
    PRIMARY KEY (uscc, year),
    -- beyond any firm there is (10¹³ 元, 10⁷ staff, 10¹² kWh): a unit or a
    -- typing mistake, refused here so that one county's typo cannot stop
    -- another county's evaluation
    CONSTRAINT enterprise_year_within_bounds CHECK (
        abs(tax) < 1e9 AND abs(value_added) < 1e9 AND revenue < 1e9 AND abs(rd_expense) < 1e9
        AND staff < 1e7 AND energy_tce < 1e9 AND emission_t < 1e9 AND electricity_kwh < 1e12
        AND bonus < 1e9 AND deduction < 1e9)
);
COMMENT ON TABLE parcel_gov.enterprise_year IS
  '企业年度数据 (yearly inputs per firm): money in 万元 (tax = 税收实际贡献), energy in tce, emissions in t, electricity in kWh, staff = yearly average; exempt_reason: not graded (T); veto_reason: 一票否决, final grade D';
COMMENT ON COLUMN parcel_gov.enterprise_year.figures_confirmed IS
  '数据已核实: the figures were confirmed as they are although beyond the rule set''s plausibility limits (import_enterprise_years(…, accept_implausible => true)); false: they were checked against the limits';
COMMENT ON COLUMN parcel_gov.enterprise_year.water_t IS
  '用水量 (吨): water used in the year, tonnes (a cubic metre is a tonne); for 单位水耗增加值 va_per_water (临海)';
COMMENT ON COLUMN parcel_gov.enterprise_year.cod_t IS
  '化学需氧量排放量 (吨): COD emitted in the year, tonnes; for 单位COD排放增加值 va_per_cod (临海)';
COMMENT ON COLUMN parcel_gov.enterprise_year.main_revenue IS
  '主营业务收入 (万元): revenue from the main business, part of 营业收入 (revenue); for R&D经费支出占主营业务收入比重 rd_intensity_main (黄岩 2022)';
COMMENT ON COLUMN parcel_gov.enterprise_year.scattered_polluting IS
  '低散乱污: the firm is listed this year by the environment, safety, fire or planning departments (major environment, safety, fire or illegal-building problems); its land becomes scattered_polluting';
COMMENT ON COLUMN parcel_gov.enterprise_year.land_use_rate IS
  '土地利用率 (a share, 0.8 = 80 %): how much of its land the firm uses, as the county measures it; 金东 亩产倍增 needs doubling_min_land_use_rate; NULL: not measured';
CREATE INDEX enterprise_year_year_idx ON parcel_gov.enterprise_year (year);

-- What a county role may write of a parcel or a lease: a parcel's code names
-- its county (its first six digits are the parcel's region, or a code that
-- region superseded), and a holder or lessee is a firm the writer can see.
-- A firm holding or leasing land in another county is linked by the
-- province (parcel_gov_admin), and a parcel or lease so linked is changed
-- or deleted by the province alone: one county can never change another's
-- firms' land, and so their grades.  Another county's firm is "not found or
-- not permitted", never confirmed to exist.
-- In C (src/county_writes_own.c): it runs once a row, and an import writes
-- tens of thousands of parcels at once.
CREATE FUNCTION parcel_gov.county_writes_own() RETURNS trigger
    AS 'MODULE_PATHNAME', 'county_writes_own'
    LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.county_writes_own() IS
  'Trigger: for county roles, a parcel''s code names its region (23514), a holder or lessee is one of the writer''s firms (23503, "not found or not permitted"), and a parcel or lease linked to another county''s firm is not theirs to change (42501); parcel_gov_admin links across counties';
CREATE TRIGGER parcel_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.parcel
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own();
CREATE TRIGGER lease_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.lease
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own();

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

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.park', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.park', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.parcel', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.parcel', 'fid'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.lease', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.lease', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise_year', '');
-- Zhejiang's administrative divisions ship with parcel_gov (行政区划, GB/T
-- 2260 codes and names as of 2024): the province, its 11 cities and its 90
-- county-level divisions, and the county-level codes superseded since 2000
-- with the month they ended (valid_to, the first day of that month: the
-- validity is known to the month) and the code that took over most of each
-- (superseded_by), so a 宗地代码 or older data under an old code still finds
-- its county.  shipped = true: read-only for county roles, left out of
-- pg_dump (CREATE EXTENSION brings them back).  Counties add their 乡镇街道
-- townships (9-digit codes) as rows of their own.

-- the province and its 11 cities
INSERT INTO parcel_gov.region (code, name, parent_code, shipped) VALUES
  ('330000', '浙江省', NULL, true),
  ('330100', '杭州市', '330000', true),
  ('330200', '宁波市', '330000', true),
  ('330300', '温州市', '330000', true),
  ('330400', '嘉兴市', '330000', true),
  ('330500', '湖州市', '330000', true),
  ('330600', '绍兴市', '330000', true),
  ('330700', '金华市', '330000', true),
  ('330800', '衢州市', '330000', true),
  ('330900', '舟山市', '330000', true),
  ('331000', '台州市', '330000', true),
  ('331100', '丽水市', '330000', true);

-- the 90 county-level divisions (县级), under their city
INSERT INTO parcel_gov.region (code, name, parent_code, shipped) VALUES
  ('330102', '上城区', '330100', true),
  ('330105', '拱墅区', '330100', true),
  ('330106', '西湖区', '330100', true),
  ('330108', '滨江区', '330100', true),
  ('330109', '萧山区', '330100', true),
  ('330110', '余杭区', '330100', true),
  ('330111', '富阳区', '330100', true),
  ('330112', '临安区', '330100', true),
  ('330113', '临平区', '330100', true),
  ('330114', '钱塘区', '330100', true),
  ('330122', '桐庐县', '330100', true),
  ('330127', '淳安县', '330100', true),
  ('330182', '建德市', '330100', true),
  ('330203', '海曙区', '330200', true),
  ('330205', '江北区', '330200', true),
  ('330206', '北仑区', '330200', true),
  ('330211', '镇海区', '330200', true),
  ('330212', '鄞州区', '330200', true),
  ('330213', '奉化区', '330200', true),
  ('330225', '象山县', '330200', true),
  ('330226', '宁海县', '330200', true),
  ('330281', '余姚市', '330200', true),
  ('330282', '慈溪市', '330200', true),
  ('330302', '鹿城区', '330300', true),
  ('330303', '龙湾区', '330300', true),
  ('330304', '瓯海区', '330300', true),
  ('330305', '洞头区', '330300', true),
  ('330324', '永嘉县', '330300', true),
  ('330326', '平阳县', '330300', true),
  ('330327', '苍南县', '330300', true),
  ('330328', '文成县', '330300', true),
  ('330329', '泰顺县', '330300', true),
  ('330381', '瑞安市', '330300', true),
  ('330382', '乐清市', '330300', true),
  ('330383', '龙港市', '330300', true),
  ('330402', '南湖区', '330400', true),
  ('330411', '秀洲区', '330400', true),
  ('330421', '嘉善县', '330400', true),
  ('330424', '海盐县', '330400', true),
  ('330481', '海宁市', '330400', true),
  ('330482', '平湖市', '330400', true),
  ('330483', '桐乡市', '330400', true),
  ('330502', '吴兴区', '330500', true),
  ('330503', '南浔区', '330500', true),
  ('330521', '德清县', '330500', true),
  ('330522', '长兴县', '330500', true),
  ('330523', '安吉县', '330500', true),
  ('330602', '越城区', '330600', true),
  ('330603', '柯桥区', '330600', true),
  ('330604', '上虞区', '330600', true),
  ('330624', '新昌县', '330600', true),
  ('330681', '诸暨市', '330600', true),
  ('330683', '嵊州市', '330600', true),
  ('330702', '婺城区', '330700', true),
  ('330703', '金东区', '330700', true),
  ('330723', '武义县', '330700', true),
  ('330726', '浦江县', '330700', true),
  ('330727', '磐安县', '330700', true),
  ('330781', '兰溪市', '330700', true),
  ('330782', '义乌市', '330700', true),
  ('330783', '东阳市', '330700', true),
  ('330784', '永康市', '330700', true),
  ('330802', '柯城区', '330800', true),
  ('330803', '衢江区', '330800', true),
  ('330822', '常山县', '330800', true),
  ('330824', '开化县', '330800', true),
  ('330825', '龙游县', '330800', true),
  ('330881', '江山市', '330800', true),
  ('330902', '定海区', '330900', true),
  ('330903', '普陀区', '330900', true),
  ('330921', '岱山县', '330900', true),
  ('330922', '嵊泗县', '330900', true),
  ('331002', '椒江区', '331000', true),
  ('331003', '黄岩区', '331000', true),
  ('331004', '路桥区', '331000', true),
  ('331022', '三门县', '331000', true),
  ('331023', '天台县', '331000', true),
  ('331024', '仙居县', '331000', true),
  ('331081', '温岭市', '331000', true),
  ('331082', '临海市', '331000', true),
  ('331083', '玉环市', '331000', true),
  ('331102', '莲都区', '331100', true),
  ('331121', '青田县', '331100', true),
  ('331122', '缙云县', '331100', true),
  ('331123', '遂昌县', '331100', true),
  ('331124', '松阳县', '331100', true),
  ('331125', '云和县', '331100', true),
  ('331126', '庆元县', '331100', true),
  ('331127', '景宁畲族自治县', '331100', true),
  ('331181', '龙泉市', '331100', true);

-- 丽水地区 and its counties until it became the city 丽水市 (2000-05)
INSERT INTO parcel_gov.region (code, name, parent_code, valid_to, superseded_by, shipped) VALUES
  ('332500', '丽水地区', '330000', '2000-05-01', '331100', true),
  ('332501', '丽水市', '332500', '2000-05-01', '331102', true),
  ('332502', '龙泉市', '332500', '2000-05-01', '331181', true),
  ('332522', '青田县', '332500', '2000-05-01', '331121', true),
  ('332523', '云和县', '332500', '2000-05-01', '331125', true),
  ('332525', '庆元县', '332500', '2000-05-01', '331126', true),
  ('332526', '缙云县', '332500', '2000-05-01', '331122', true),
  ('332527', '遂昌县', '332500', '2000-05-01', '331123', true),
  ('332528', '松阳县', '332500', '2000-05-01', '331124', true),
  ('332529', '景宁畲族自治县', '332500', '2000-05-01', '331127', true);

-- county-level codes superseded since 2000 (撤县设区, 撤市设区, mergers)
INSERT INTO parcel_gov.region (code, name, parent_code, valid_to, superseded_by, shipped) VALUES
  ('330721', '金华县', '330700', '2000-12-01', '330703', true),
  ('330181', '萧山市', '330100', '2001-02-01', '330109', true),
  ('330184', '余杭市', '330100', '2001-02-01', '330110', true),
  ('330821', '衢县', '330800', '2001-09-01', '330803', true),
  ('330227', '鄞县', '330200', '2002-02-01', '330212', true),
  ('330621', '绍兴县', '330600', '2013-10-01', '330603', true),
  ('330682', '上虞市', '330600', '2013-10-01', '330604', true),
  ('330183', '富阳市', '330100', '2014-12-01', '330111', true),
  ('330322', '洞头县', '330300', '2015-07-01', '330305', true),
  ('330204', '江东区', '330200', '2016-09-01', '330212', true),
  ('330283', '奉化市', '330200', '2016-09-01', '330213', true),
  ('331021', '玉环县', '331000', '2017-04-01', '331083', true),
  ('330185', '临安市', '330100', '2017-08-01', '330112', true),
  ('330103', '下城区', '330100', '2021-03-01', '330105', true),
  ('330104', '江干区', '330100', '2021-03-01', '330102', true);
-- Rules as data (docs/rules.md): a rule set per region prefix
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
    non_industrial_since      date NOT NULL DEFAULT '1999-01-01',
    breach_years_below_target integer CONSTRAINT rule_set_breach_years_positive CHECK (breach_years_below_target > 0),
    max_tax_per_mu           double precision NOT NULL DEFAULT 1000 CONSTRAINT rule_set_max_tax_per_mu_positive CHECK (max_tax_per_mu > 0),
    max_va_per_mu            double precision NOT NULL DEFAULT 10000 CONSTRAINT rule_set_max_va_per_mu_positive CHECK (max_va_per_mu > 0),
    max_tax_per_kwh          double precision NOT NULL DEFAULT 1000 CONSTRAINT rule_set_max_tax_per_kwh_positive CHECK (max_tax_per_kwh > 0),
    scattered_polluting_batch   parcel_gov.batch,
    collective_industrial_batch parcel_gov.batch DEFAULT 'function_transform',
    township_last_places     integer NOT NULL DEFAULT 2
                             CONSTRAINT rule_set_township_last_places_positive CHECK (township_last_places > 0),
    township_summon_months   integer NOT NULL DEFAULT 3
                             CONSTRAINT rule_set_township_summon_months_positive CHECK (township_summon_months > 0),
    pool_by                  text NOT NULL DEFAULT 'size_class'
                             CONSTRAINT rule_set_pool_by_known CHECK (pool_by IN ('size_class', 'land_mu')),
    pool_land_mu             double precision
                             CONSTRAINT rule_set_pool_land_mu_positive CHECK (pool_land_mu > 0 AND pool_land_mu < 'Infinity'),
    firm_scope               text NOT NULL DEFAULT 'all'
                             CONSTRAINT rule_set_firm_scope_all_or_in_park CHECK (firm_scope IN ('all', 'in_park')),
    -- the tax tiers (1.11.0): three bounds, and where a figure on a bound goes
    tax_tier_bounds          double precision[] NOT NULL DEFAULT '{5,10,15}'
                             CONSTRAINT rule_set_tax_tier_bounds CHECK (
                               array_ndims(tax_tier_bounds) = 1 AND cardinality(tax_tier_bounds) = 3
                               AND array_position(tax_tier_bounds, NULL) IS NULL
                               AND 0 < tax_tier_bounds[1] AND tax_tier_bounds[1] < tax_tier_bounds[2]
                               AND tax_tier_bounds[2] < tax_tier_bounds[3] AND tax_tier_bounds[3] < 'Infinity'),
    tax_tier_includes_bound  boolean NOT NULL DEFAULT false,
    tax_tier_source          text,
    -- 金东 亩产倍增 (1.11.0): the land use rate it needs besides grade and size
    doubling_min_land_use_rate double precision NOT NULL DEFAULT 0.8
                             CONSTRAINT rule_set_doubling_min_land_use_rate_share
                               CHECK (doubling_min_land_use_rate BETWEEN 0 AND 1),
    -- what 桐庐's and 金东's multi-year rules test (1.11.0)
    persistent_low_land      text NOT NULL DEFAULT 'parcel'
                             CONSTRAINT rule_set_persistent_low_land CHECK (persistent_low_land IN ('parcel', 'net')),
    still_below_land         text NOT NULL DEFAULT 'own'
                             CONSTRAINT rule_set_still_below_land CHECK (still_below_land IN ('own', 'net')),
    CONSTRAINT rule_set_years_ordered CHECK (year_to IS NULL OR year_from IS NULL OR year_from <= year_to),
    CONSTRAINT rule_set_pool_land_mu_given CHECK ((pool_by = 'land_mu') = (pool_land_mu IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.rule_set IS
  '评价规则 (a county''s rules for some years): region_prefix ''33'' province, ''3306'' city, ''330604'' county, '''' everywhere (the default), NULL a preset not applied anywhere; the most specific prefix wins';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_min_mu IS
  '桐庐: land of at least this many mu (a parcel or a firm''s net land, persistent_low_land) whose 亩均税收 stayed under persistent_low_tax_per_mu three years running';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_min_mu IS
  '金东: firms on at least this many mu (own or net land, still_below_land) still 规下 after three years';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_land IS
  '桐庐 20 亩以上、连续三年亩均税收低于 3 万元的地块: what the rule tests: parcel (the plan''s 地块: a parcel''s area and its 亩均税收, the firms using it by area, 桐庐 [S3]) or net (the holder''s net land and 亩均税收)';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_land IS
  '金东 自有用地 20 亩以上三年未上规: what the rule tests: own (the plan''s 自有用地: the land the firm holds, leased out or not, 金东 [S4]) or net (held − leased out + leased in)';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_revenue IS
  '金东 capacity doubling (亩产倍增): grade B or better with revenue ≥ this (万元) or tax ≥ doubling_min_tax, and 土地利用率 ≥ doubling_min_land_use_rate';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_land_use_rate IS
  '金东 capacity doubling (亩产倍增): 土地利用率 (enterprise_year.land_use_rate, a share) at least this (0.8 = 80 % 以上) besides the grade and revenue or tax';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_bounds IS
  '亩均税收分档 (万元/亩): three ascending bounds; tier 1 重点排查 below the first, 2 重点检查 below the second, 3 重点指导 below the third, 0 达标 above all (绍兴 2021: 5/10/15)';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_includes_bound IS
  '以下 includes the bound: true puts a 亩均税收 exactly on a bound in the lower tier (5 万元以下 includes 5, as 民法典 art. 1259 reads 以下); false (under) in the higher one';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_source IS
  'Where the tax tiers and their reading come from (document, article)';
COMMENT ON COLUMN parcel_gov.rule_set.non_industrial_since IS
  '占工非工: industrial land supplied on or after this date and used for non-industrial business is low-efficiency';
COMMENT ON COLUMN parcel_gov.rule_set.breach_years_below_target IS
  '履约: a parcel whose land contract has been broken this many years running becomes 投而未达标 (below_target) under contract_mark_below_target(); NULL: never';
COMMENT ON COLUMN parcel_gov.rule_set.max_tax_per_mu IS
  '亩均税收 above this (万元/亩) on the land a firm holds is refused when its figures are written: a tax given in 元 is 10⁴ times too large';
COMMENT ON COLUMN parcel_gov.rule_set.max_va_per_mu IS
  '亩均增加值 above this (万元/亩) on the land a firm holds is refused when its figures are written';
COMMENT ON COLUMN parcel_gov.rule_set.max_tax_per_kwh IS
  '单位电耗税收 above this (元/千瓦时) is refused when a firm''s figures are written: tax in 元 read as 万元, or electricity in 万千瓦时 read as 千瓦时, gives 10⁴ times too much';
COMMENT ON COLUMN parcel_gov.rule_set.scattered_polluting_batch IS
  '低散乱污 (绍兴 2021 全域治理): the batch a scattered_polluting parcel goes to at least (关停退出 first, 整治提升 last); NULL: as the four batches decide (关停退出 when it fails acceptance)';
COMMENT ON COLUMN parcel_gov.rule_set.collective_industrial_batch IS
  '集体工业用地 without legal procedures (绍兴 2021 全域治理): the batch a collective_industrial parcel goes to at least; default function_transform (功能转型: 复垦/退二); NULL: as the four batches decide';
COMMENT ON COLUMN parcel_gov.rule_set.township_last_places IS
  '桐庐 乡镇街道月度排名: the last this many places among a county''s ranked townships are flagged (v_township_progress.in_last_places), when more townships than this are ranked';
COMMENT ON COLUMN parcel_gov.rule_set.pool_by IS
  '评价分组依据: size_class, a firm''s pool is its 规模 (above 规上, below 规下); land_mu, its net land (临海 2014–16): pool above holds firms on at least pool_land_mu 亩, pool below the others';
COMMENT ON COLUMN parcel_gov.rule_set.pool_land_mu IS
  '分组用地面积 (亩): under pool_by land_mu, the net land from which a firm is in pool above (临海: 3 亩); NULL otherwise';
COMMENT ON COLUMN parcel_gov.rule_set.township_summon_months IS
  '桐庐 约谈: a township in the last places this many months running is to be summoned (v_township_progress.to_summon)';
COMMENT ON COLUMN parcel_gov.rule_set.firm_scope IS
  '适用企业: ''all'' the region''s firms; ''in_park'' only its firms whose land lies in a park (入园: a parcel they hold, or lease that year, has a park_id), the others being graded by the region''s rule set for all firms (温岭 2022: 工业园区和经济开发区范围内工业企业); park firms rank in pools of their own';
CREATE UNIQUE INDEX rule_set_applies_once
    ON parcel_gov.rule_set (region_prefix, coalesce(year_from, -1), firm_scope) WHERE region_prefix IS NOT NULL;

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
    rental_lessees    text NOT NULL DEFAULT 'all'
                      CONSTRAINT rule_pool_rental_lessees_all_or_below CHECK (rental_lessees IN ('all', 'below')),
    land_floor_sections text[]
                      CONSTRAINT rule_pool_land_floor_sections_gbt4754
                      CHECK (cardinality(land_floor_sections) > 0
                             AND land_floor_sections <@ '{A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T}'::text[]),
    PRIMARY KEY (rule_set_id, pool),
    CONSTRAINT rule_pool_quota_shares_ascend_within_0_1
        CHECK (0 <= a_share AND a_share <= b_share AND b_share <= c_share AND c_share <= 1)
);
COMMENT ON TABLE parcel_gov.rule_pool IS
  '评价分组 (a pool of a rule set: 规上 or 规下): cumulative grade quotas (A top a_share, B to b_share, C to c_share, D the rest), land floor (firms under it are not graded), ranking within industry groups, rental deductions (温岭), low per-mu tax threshold for the register';
COMMENT ON COLUMN parcel_gov.rule_pool.rental_lessees IS
  '出租扣分 counts which lessees of a firm''s land that year: ''all'' every distinct lessee, ''below'' only lessees whose figures of the year are 规下 (温岭 2022: a 规下 lessor loses points per 规下 lessee); a lessee without figures that year is not counted under ''below''';
COMMENT ON COLUMN parcel_gov.rule_pool.land_floor_sections IS
  '参评用地下限的行业门类: the GB/T 4754 section letters (门类, C = 制造业) whose firms land_floor_mu applies to, firms of other sections being graded on any land; NULL: every firm (a firm without an industry code is held to the floor either way); 上虞: 规下 制造业 firms on 实际用地 3 亩以上';

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
-- then the latest start.  Rule sets for park firms only are left out.
CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL AND r.firm_scope = 'all'
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer) IS
  'The rule set applying to a region code in a year for firms outside parks (firm_scope all): the most specific region prefix, then the latest year_from';

-- The rule set of a firm of a region in a year, in a park or not: the most
-- specific prefix; at the same prefix a rule set for park firms before one
-- for all firms (it names them more closely); then the latest start.
CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer, in_park boolean)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL
      AND (r.firm_scope = 'all' OR (r.firm_scope = 'in_park' AND rule_set_for.in_park))
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.firm_scope = 'in_park' DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer, boolean) IS
  'The rule set applying to a firm of a region code in a year, in a park (入园, firm_in_park) or not: the most specific region prefix, at the same prefix one for park firms (firm_scope in_park) before one for all, then the latest year_from';

-- 入园: a firm's land lies in a park (开发区/园区) in a year: a parcel it
-- holds, or one it leases that year, has a park_id.  入园率 is the share of
-- firms for which this holds (v_region_summary, v_target_progress); a rule
-- set for park firms holds for these (rule_set_for(region, year, in_park)).
CREATE FUNCTION parcel_gov.firm_in_park(uscc parcel_gov.uscc, year integer)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
RETURN EXISTS (SELECT FROM parcel_gov.parcel hp
               WHERE hp.holder_uscc OPERATOR(pg_catalog.=) firm_in_park.uscc AND hp.park_id IS NOT NULL)
    OR EXISTS (SELECT FROM parcel_gov.lease l JOIN parcel_gov.parcel lp ON lp.code OPERATOR(pg_catalog.=) l.parcel_code
               WHERE l.lessee_uscc OPERATOR(pg_catalog.=) firm_in_park.uscc AND lp.park_id IS NOT NULL
                 AND l.during OPERATOR(pg_catalog.&&) pg_catalog.daterange(pg_catalog.make_date(firm_in_park.year, 1, 1),
                                                                           pg_catalog.make_date(firm_in_park.year + 1, 1, 1)));
COMMENT ON FUNCTION parcel_gov.firm_in_park(parcel_gov.uscc, integer) IS
  '入园: true when land the firm holds, or leases in that year, lies in a park (parcel.park_id); 入园率 counts these firms';

-- What an evaluation's pool is called: 规上/规下, or the land it stands for
-- when its rule set pools by land (临海: ≥ 3 亩, < 3 亩).
CREATE FUNCTION parcel_gov.pool_label(pool parcel_gov.size_class, rule_set_id text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce((SELECT CASE pool_label.pool WHEN 'above' THEN '≥ ' ELSE '< ' END || r.pool_land_mu || ' 亩'
                 FROM parcel_gov.rule_set r
                 WHERE r.id = pool_label.rule_set_id AND r.pool_by = 'land_mu'),
                parcel_gov.label(pool_label.pool));
COMMENT ON FUNCTION parcel_gov.pool_label(parcel_gov.size_class, text) IS
  '分组名称 of an evaluation''s pool under its rule set: 规上 or 规下, or ≥ / < pool_land_mu 亩 when the rule set pools by land';

-- A firm's yearly figures are refused when its per-mu tax or value added on
-- the land it uses that year, or its tax per kWh, goes beyond its rule
-- set's limits: a figure in the wrong unit (元 for 万元, kWh for 万kWh) would
-- otherwise pass, put every firm in the top tax tier and keep low-efficiency
-- land out of the register.  The land is the evaluation's: held, less what
-- it leases out, plus what it leases in, for leases in force that year, in
-- any county (the triggers run as the extension's owner to count it); a
-- firm without land is checked on tax per kWh only.  Checked when figures
-- are written, and for every year of a firm whose land changes (a parcel
-- or a lease written, moved or deleted): figures loaded before the land
-- cannot slip through.  Figures confirmed as they are (figures_confirmed)
-- are not checked; the confirmation lapses when a figure changes
-- (figures_confirmation_lapses).  Once per statement, over all its rows.
-- The land firms use in a year as the evaluation counts it: held, less what
-- they lease out, plus what they lease in, for leases in force that year;
-- as the caller sees it (the limits' trigger sees every county).  For a set
-- of firm-years at once: one call per statement, each looked up by key.
CREATE FUNCTION parcel_gov.net_land_mu(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, net_mu double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT k.uscc, k.year,
           coalesce((SELECT sum(p.area_mu) FROM parcel_gov.parcel p WHERE p.holder_uscc = k.uscc), 0)
         - coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
                     WHERE p.holder_uscc = k.uscc AND l.during && y.during), 0)
         + coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l
                     WHERE l.lessee_uscc = k.uscc AND l.during && y.during), 0)
    FROM unnest(net_land_mu.firms, net_land_mu.years) AS k(uscc, year)
    CROSS JOIN LATERAL (SELECT daterange(make_date(k.year, 1, 1), make_date(k.year + 1, 1, 1)) AS during) AS y;
END;
COMMENT ON FUNCTION parcel_gov.net_land_mu(text[], integer[]) IS
  '净用地 (亩): firms'' land in years as the evaluation counts it: held − leased out + leased in, leases in force that year; one row per firm-year given';

CREATE FUNCTION parcel_gov.figures_beyond_limits(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, figure text, amount double precision, base double precision,
                   line double precision, unit text, basis text, rule_set text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- each firm-year looked up by its keys (LATERAL): the plan never depends
    -- on statistics the rows just written have not reached
    SELECT f.uscc, f.year, x.figure, x.amount, x.base, x.line, x.unit, x.basis, r.id
    FROM parcel_gov.net_land_mu(figures_beyond_limits.firms, figures_beyond_limits.years) AS h
    CROSS JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y WHERE y.uscc = h.uscc AND y.year = h.year) AS f
    CROSS JOIN LATERAL (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = h.uscc) AS e
    CROSS JOIN LATERAL (SELECT r.* FROM parcel_gov.rule_set r
                        WHERE r.id = parcel_gov.rule_set_for(e.region_code, f.year,
                                                             parcel_gov.firm_in_park(f.uscc, f.year))) AS r
    CROSS JOIN LATERAL (VALUES ('亩均税收 (tax per mu)', f.tax, h.net_mu, r.max_tax_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.tax, round(h.net_mu::numeric, 2))),
                               ('亩均增加值 (value added per mu)', f.value_added, h.net_mu, r.max_va_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.value_added, round(h.net_mu::numeric, 2))),
                               -- 万元 per kWh as 元 per kWh
                               ('单位电耗税收 (tax per kWh)', f.tax * 1e4, f.electricity_kwh, r.max_tax_per_kwh, '元/千瓦时',
                                format('%s 万元 on %s kWh', f.tax, f.electricity_kwh)))
                        AS x(figure, amount, base, line, unit, basis)
    WHERE NOT f.figures_confirmed AND x.base > 0 AND x.amount / x.base > x.line;
END;
COMMENT ON FUNCTION parcel_gov.figures_beyond_limits(text[], integer[]) IS
  'internal: of the given firm-years, the figures beyond their rule set''s max_tax_per_mu / max_va_per_mu (on the year''s net land) / max_tax_per_kwh (not figures_confirmed), with the value, the basis and the limit';

CREATE FUNCTION parcel_gov.figures_plausible() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firms text[];
    years integer[];
    changed text[] := '{}';
    bad record;
BEGIN
    -- as the owner, over the rows it is given: the tables it guards only,
    -- never those of a table someone attached it to
    IF TG_RELID NOT IN ('parcel_gov.enterprise_year'::regclass, 'parcel_gov.parcel'::regclass,
                        'parcel_gov.lease'::regclass)
       OR TG_LEVEL <> 'STATEMENT' OR TG_WHEN <> 'AFTER' THEN
        RAISE EXCEPTION 'figures_plausible checks parcel_gov.enterprise_year, parcel and lease only, not %',
                        TG_RELID::regclass
            USING ERRCODE = '39P01';
    END IF;
    IF TG_RELID = 'parcel_gov.enterprise_year'::regclass THEN
        SELECT array_agg(n.uscc), array_agg(n.year) INTO firms, years FROM new_rows n;
    ELSE
        -- the firms whose land changed: holders and lessees, before and after
        IF TG_OP IN ('INSERT', 'UPDATE') AND TG_RELID = 'parcel_gov.parcel'::regclass THEN
            changed := changed || ARRAY(SELECT n.holder_uscc FROM new_rows n WHERE n.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND TG_RELID = 'parcel_gov.parcel'::regclass THEN
            changed := changed || ARRAY(SELECT o.holder_uscc FROM old_rows o WHERE o.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND TG_RELID = 'parcel_gov.lease'::regclass THEN
            changed := changed || ARRAY(SELECT n.lessee_uscc FROM new_rows n)
                               || ARRAY(SELECT p.holder_uscc FROM new_rows n JOIN parcel_gov.parcel p ON p.code = n.parcel_code
                                        WHERE p.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND TG_RELID = 'parcel_gov.lease'::regclass THEN
            changed := changed || ARRAY(SELECT o.lessee_uscc FROM old_rows o)
                               || ARRAY(SELECT p.holder_uscc FROM old_rows o JOIN parcel_gov.parcel p ON p.code = o.parcel_code
                                        WHERE p.holder_uscc IS NOT NULL);
        END IF;
        -- every year of their figures
        SELECT array_agg(y.uscc), array_agg(y.year) INTO firms, years
        FROM parcel_gov.enterprise_year y
        WHERE y.uscc IN (SELECT DISTINCT c FROM unnest(changed) AS c);
    END IF;
    SELECT * INTO bad FROM parcel_gov.figures_beyond_limits(firms, years) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'firm % in %: % is % % (%), beyond the limit of % % of rule set %',
                bad.uscc, bad.year, bad.figure, round((bad.amount / bad.base)::numeric, 2), bad.unit,
                bad.basis, bad.line, bad.unit, bad.rule_set
            USING ERRCODE = '23514',
                  HINT = 'Money is in 万元 (10⁴ 元) and electricity in kWh: a tax in 元 or electricity in 万千瓦时 is 10⁴ times off. Figures right as they are are confirmed with figures_confirmed = true; a county whose firms really exceed the limit raises it in its rule set.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.figures_plausible() IS
  'Trigger: a firm''s yearly tax or value added per mu of the land it uses, or tax per kWh, beyond its rule set''s max_tax_per_mu / max_va_per_mu / max_tax_per_kwh is refused (23514), the firm and the figure named, unless figures_confirmed; on parcel and lease, for every year of the firms whose land changed';
CREATE TRIGGER enterprise_year_figures_plausible_insert AFTER INSERT ON parcel_gov.enterprise_year
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER enterprise_year_figures_plausible_update AFTER UPDATE ON parcel_gov.enterprise_year
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_insert AFTER INSERT ON parcel_gov.parcel
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_update AFTER UPDATE ON parcel_gov.parcel
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_delete AFTER DELETE ON parcel_gov.parcel
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_insert AFTER INSERT ON parcel_gov.lease
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_update AFTER UPDATE ON parcel_gov.lease
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_delete AFTER DELETE ON parcel_gov.lease
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();

-- A confirmation holds for the figures it was given to (src/figures_confirmation.c).
CREATE FUNCTION parcel_gov.figures_confirmation_lapses() RETURNS trigger
    AS 'MODULE_PATHNAME', 'figures_confirmation_lapses'
    LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.figures_confirmation_lapses() IS
  'Trigger: figures_confirmed turns false when tax, value added or electricity changes in an UPDATE that does not set figures_confirmed itself';
CREATE TRIGGER enterprise_year_confirmation_lapses BEFORE UPDATE ON parcel_gov.enterprise_year
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.figures_confirmation_lapses();

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
                                     still_below_min_mu, doubling_min_revenue, doubling_min_tax,
                                     non_industrial_since, breach_years_below_target, max_tax_per_mu, max_va_per_mu,
                                     max_tax_per_kwh, scattered_polluting_batch, collective_industrial_batch,
                                     township_last_places, township_summon_months, pool_by, pool_land_mu, firm_scope,
                                     tax_tier_bounds, tax_tier_includes_bound, tax_tier_source, doubling_min_land_use_rate,
                                     persistent_low_land, still_below_land)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch,
           r.township_last_places, r.township_summon_months, r.pool_by, r.pool_land_mu, r.firm_scope,
           r.tax_tier_bounds, r.tax_tier_includes_bound, r.tax_tier_source, r.doubling_min_land_use_rate,
           r.persistent_low_land, r.still_below_land
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu, group_by_industry,
                                      rental_first_deduction, rental_further_deduction, low_tax_per_mu,
                                      rental_lessees, land_floor_sections)
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu,
           p.rental_lessees, p.land_floor_sections
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
    SELECT new_id, i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
    FROM parcel_gov.rule_issue i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_new_land
    SELECT new_id, n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
           n.standard_land_since, n.source
    FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = template;
    INSERT INTO parcel_gov.rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source)
    SELECT new_id, m.measure, m.grade, m.measure_label, m.basis, m.rate, m.cap, m.source
    FROM parcel_gov.rule_measure m WHERE m.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years, with its pools, indicators, industry groups and grade-linked measures; returns new_id';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_set', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_pool',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_indicator',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_industry_group',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
-- The shipped rule sets (docs/rules.md): the pinned default, applied everywhere
-- unless a region has its own, and presets a county adopts with
-- rule_set_adopt().  Money in 万元, so a 元/kWh benchmark is divided by 10⁴.

INSERT INTO parcel_gov.rule_set (id, name, region_prefix, builtin, source) VALUES
  ('default', '默认规则 (黄岩 weights, pool benchmarks, 温岭 quotas)', '', true,
   'weights 黄岩 2021/2022; benchmark = pool ratio of sums; quotas 20/80/95 (温岭 2022); 规下 under 3 mu not graded'),
  ('huangyan_2022', '黄岩区 2022 亩均效益评价', NULL, true,
   '黄岩 2022 published formula with fixed benchmarks (chacewang.com news430850, news169062); R&D over 主营业务收入 (rd_intensity_main); 规下 单位用电税收 0.2352: its unit is not published, read as 元/kWh (assumed) = 0.00002352 万元/kWh; the 混合型 firm rule is only partly published and not applied'),
  ('linhai_2014', '临海市 2014–2016 亩均效益评价', NULL, true,
   '临海 2014–16 as published (wenda.zhifure.com/a/37713.html): pools by net land, ≥ 3 亩 (above) and < 3 亩 (below); fixed benchmarks 亩均税收 15, 亩均销售收入 300 万元/亩, 3 万元/tce, 单位COD 500 万元/吨, 单位用水量 0.1 万元/吨, 15 万元/人; < 3 亩 15, 300, 2 元/kWh = 0.0002 万元/kWh'),
  ('wenling_2022_parks', '温岭市 2022 工业园区亩均效益评价', NULL, true,
   '温岭 2022 parks (wl.gov.cn art_1229299726_3809240; 温岭 2021 art_1391272_58998458 for the 规下 indicators): firms of the industrial park and development zone only (article 一: firm_scope in_park), five industry groups, 规下 quotas 5/75/95, rental deductions (article 二: 规上 0 then 5 per lessee, 规下 10 then 5 per 规下 lessee); its rule for 规上 park firms graded C or D (article 四) is not reproduced: the reachable text breaks off before its condition and effect; indicator weights not published: 黄岩 weights for 规上, for 规下 亩均税收, 亩均营业收入 and 单位用电营业收入 split equally (100/3 each)'),
  ('tax_only_below', '规下仅亩均税收 (景宁/杭州)', NULL, true,
   '景宁 2022, 杭州 2018: 规下 firms are scored on 亩均税收 alone; 规上 as the default'),
  ('shangyu_2022', '上虞区 2022 (规下制造业 3 亩以上)', NULL, true,
   '上虞区 2022 "腾笼换鸟、凤凰涅槃" plan: 规下 制造业 (GB/T 4754 section C) firms are evaluated on 实际用地 3 亩以上, so the 3-mu floor holds for section C only; weights, benchmarks and quotas as the default (上虞 publishes none)');
-- 临海 split its firms by land, not by size class
UPDATE parcel_gov.rule_set SET pool_by = 'land_mu', pool_land_mu = 3 WHERE id = 'linhai_2014';

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
  ('tax_only_below',     'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3),
  ('shangyu_2022',       'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6),
  ('shangyu_2022',       'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3);
-- 温岭 2022 (article 二): a 规上 lessor loses 0 for one 规下 lessee and 5 for
-- each further lessee; a 规下 lessor loses points for its 规下 lessees only.
UPDATE parcel_gov.rule_pool SET rental_lessees = 'below' WHERE rule_set_id = 'wenling_2022_parks' AND pool = 'below';
-- 温岭 2022 (article 一): the rules hold for the firms of the industrial park and
-- the development zone (城西、温峤区块, 城东区块).
UPDATE parcel_gov.rule_set SET firm_scope = 'in_park' WHERE id = 'wenling_2022_parks';
-- 上虞 2022: the 规下 floor of 3 mu holds for 制造业 (section C) firms.
UPDATE parcel_gov.rule_pool SET land_floor_sections = '{C}' WHERE rule_set_id = 'shangyu_2022' AND pool = 'below';

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
  ('huangyan_2022', 'above', 'rd_intensity_main',   10, 0.0302,  'zero'),
  ('huangyan_2022', 'below', 'tax_per_mu',          50, 11.5932, 'zero'),
  ('huangyan_2022', 'below', 'tax_per_kwh',         50, 0.00002352, 'zero'),
  ('linhai_2014', 'above', 'tax_per_mu',          40, 15,     'zero'),
  ('linhai_2014', 'above', 'revenue_per_mu',      10, 300,    'zero'),
  ('linhai_2014', 'above', 'va_per_energy',       20, 3,      'zero'),
  ('linhai_2014', 'above', 'va_per_cod',          15, 500,    'zero'),
  ('linhai_2014', 'above', 'va_per_water',         5, 0.1,    'zero'),
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
  ('wenling_2022_parks', 'below', 'tax_per_mu',          100.0 / 3, NULL, 'zero'),
  ('wenling_2022_parks', 'below', 'revenue_per_mu',      100.0 / 3, NULL, 'zero'),
  ('wenling_2022_parks', 'below', 'revenue_per_kwh',     100.0 / 3, NULL, 'zero'),
  ('tax_only_below', 'above', 'tax_per_mu',          30, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_mu',           20, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_energy',       20, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_emission',     10, NULL, 'pool_mean'),
  ('tax_only_below', 'above', 'labour_productivity', 10, NULL, 'zero'),
  ('tax_only_below', 'above', 'rd_intensity',        10, NULL, 'zero'),
  ('tax_only_below', 'below', 'tax_per_mu',         100, NULL, 'zero');
-- 上虞 publishes no weights: the default's.
INSERT INTO parcel_gov.rule_indicator (rule_set_id, pool, indicator, weight, benchmark_fixed, missing)
SELECT 'shangyu_2022', i.pool, i.indicator, i.weight, i.benchmark_fixed, i.missing
FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = 'default';

-- The tax tiers every shipped set reads as 绍兴 does: 5/10/15 万元/亩, a
-- figure on a bound in the higher tier (under the bound, as the project
-- always counted it).
UPDATE parcel_gov.rule_set SET tax_tier_source =
  '绍兴 2021 [S1], 嵊州 2021 [S2]: under 5 重点排查, under 10 重点检查, under 15 重点指导 万元/亩; a figure on a bound counts in the higher tier'
WHERE builtin;

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

-- New projects and new land (docs/rules.md): 上虞's 两高 projects (high
-- energy use: at least two_high_tce_since tce a year for projects started on
-- or after two_high_since, two_high_tce_before for older ones), 金东's
-- floor-area ratio for newly supplied industrial land (at least min_far for
-- land supplied on or after min_far_since) and 上虞's 100 % 标准地 for new
-- supply (land supplied on or after standard_land_since).  One row per rule
-- set; a NULL date turns that check off, no row turns all three off.
CREATE TABLE parcel_gov.rule_new_land (
    rule_set_id         text PRIMARY KEY REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    two_high_since      date,
    two_high_tce_since  double precision CONSTRAINT rule_new_land_tce_since_possible
                        CHECK (two_high_tce_since > 0 AND two_high_tce_since < 1e9),
    two_high_tce_before double precision CONSTRAINT rule_new_land_tce_before_possible
                        CHECK (two_high_tce_before > 0 AND two_high_tce_before < 1e9),
    min_far_since       date,
    min_far             double precision CONSTRAINT rule_new_land_min_far_possible CHECK (min_far > 0 AND min_far <= 20),
    standard_land_since date,
    source              text,
    CONSTRAINT rule_new_land_two_high_complete
        CHECK (two_high_since IS NULL OR (two_high_tce_since IS NOT NULL AND two_high_tce_before IS NOT NULL)),
    CONSTRAINT rule_new_land_min_far_complete CHECK (min_far_since IS NULL OR min_far IS NOT NULL)
);
COMMENT ON TABLE parcel_gov.rule_new_land IS
  '新项目与新增用地规则 (上虞 两高 and 100 % 标准地, 金东 容积率): 两高 energy lines for projects started since two_high_since and before; the least floor-area ratio and 标准地 for land supplied since the given dates; a NULL date turns a check off';
COMMENT ON COLUMN parcel_gov.rule_new_land.two_high_since IS
  '两高 dividing date: a firm whose project started on or after it is 两高 from two_high_tce_since tce a year, an older one from two_high_tce_before';
COMMENT ON COLUMN parcel_gov.rule_new_land.two_high_tce_since IS '两高 line (吨标煤/年) for projects started on or after two_high_since (上虞: 1000)';
COMMENT ON COLUMN parcel_gov.rule_new_land.two_high_tce_before IS '两高 line (吨标煤/年) for projects started before two_high_since (上虞: 5000)';
COMMENT ON COLUMN parcel_gov.rule_new_land.min_far_since IS '新增工业用地容积率: land supplied on or after this date needs at least min_far';
COMMENT ON COLUMN parcel_gov.rule_new_land.min_far IS '新增工业用地最低容积率 (金东: 1.5)';
COMMENT ON COLUMN parcel_gov.rule_new_land.standard_land_since IS '标准地: industrial land supplied on or after this date is to be supplied as 标准地 (上虞: 100 %)';
COMMENT ON COLUMN parcel_gov.rule_new_land.source IS '依据: the plan that sets these lines';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_new_land',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');

-- The default and every preset carry the lines of the two plans; a county
-- that adopts one edits or clears them.
INSERT INTO parcel_gov.rule_new_land
SELECT r.id, DATE '2018-01-01', 1000, 5000, DATE '2021-01-01', 1.5, DATE '2022-01-01',
       '上虞区 2022 "腾笼换鸟、凤凰涅槃" plan (两高: ≥ 1000 tce for projects since 2018, ≥ 5000 tce before; 100 % 标准地 for new industrial land, from 2022); '
       '金华市金东区 2021–2023 工业园区"二次开发" plan (容积率 ≥ 1.5 for new industrial land, from 2021)'
FROM parcel_gov.rule_set r WHERE r.builtin;
CREATE TRIGGER rule_new_land_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_new_land
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();

-- 两高: each firm and year whose energy use reaches the 两高 line of its rule
-- set.  A firm's project starts when the earliest parcel it holds was
-- supplied (parcel.supply_date); a firm with no supply date on record is
-- judged by the line for older projects.
CREATE VIEW parcel_gov.v_two_high WITH (security_invoker = true) AS
WITH start AS (
    SELECT p.holder_uscc AS uscc, min(p.supply_date) AS project_start
    FROM parcel_gov.parcel p WHERE p.holder_uscc IS NOT NULL GROUP BY p.holder_uscc
), firm AS (
    SELECT fy.year, fy.uscc, f.name, f.region_code, fy.energy_tce, s.project_start,
           parcel_gov.rule_set_for(f.region_code, fy.year, parcel_gov.firm_in_park(fy.uscc, fy.year)) AS rule_set_id
    FROM parcel_gov.enterprise_year fy
    JOIN parcel_gov.enterprise f ON f.uscc = fy.uscc
    LEFT JOIN start s ON s.uscc = fy.uscc
    WHERE fy.energy_tce IS NOT NULL
), judged AS (
    SELECT x.*, coalesce(x.project_start >= n.two_high_since, false) AS new_project,
           CASE WHEN x.project_start >= n.two_high_since THEN n.two_high_tce_since ELSE n.two_high_tce_before END
             AS two_high_line_tce
    FROM firm x
    JOIN parcel_gov.rule_new_land n ON n.rule_set_id = x.rule_set_id
    WHERE n.two_high_since IS NOT NULL
)
SELECT j.year, j.uscc::text AS uscc, j.name, j.region_code, j.rule_set_id, j.energy_tce, j.project_start,
       j.new_project, j.two_high_line_tce
FROM judged j
WHERE j.energy_tce >= j.two_high_line_tce;
COMMENT ON VIEW parcel_gov.v_two_high IS
  '两高项目 (上虞): firms whose yearly energy use reaches the line of their rule set''s rule_new_land (1000 tce for projects started since 2018, 5000 before); a project starts with the earliest supply date of the land its firm holds';
COMMENT ON COLUMN parcel_gov.v_two_high.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_two_high.uscc IS '统一社会信用代码: unified social credit code of the firm';
COMMENT ON COLUMN parcel_gov.v_two_high.name IS '名称: name';
COMMENT ON COLUMN parcel_gov.v_two_high.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_two_high.rule_set_id IS '评价规则: rule set applied';
COMMENT ON COLUMN parcel_gov.v_two_high.energy_tce IS '综合能耗 (吨标煤): the firm''s energy use that year';
COMMENT ON COLUMN parcel_gov.v_two_high.project_start IS '项目起始: the earliest supply date of the land the firm holds; empty when none is recorded';
COMMENT ON COLUMN parcel_gov.v_two_high.new_project IS '新项目: the project started on or after the rule''s two_high_since';
COMMENT ON COLUMN parcel_gov.v_two_high.two_high_line_tce IS '两高标准 (吨标煤): the line that applies to the project';

-- 新增供地 checks: each parcel supplied since a rule's date that fails it:
-- a floor-area ratio under the line (the contract's, else the one built; no
-- ratio on record fails too) or not supplied as 标准地.  The rule set is the
-- one in force where and when the parcel was supplied.
CREATE VIEW parcel_gov.v_new_land_failure WITH (security_invoker = true) AS
WITH supplied AS (
    SELECT p.code, p.region_code, p.holder_uscc, p.supply_date, p.standard_land,
           coalesce(p.contract_floor_area_ratio, p.floor_area_ratio) AS far,
           parcel_gov.rule_set_for(p.region_code, extract(year FROM p.supply_date)::integer) AS rule_set_id
    FROM parcel_gov.parcel p
    WHERE p.supply_date IS NOT NULL
), checked AS (
    SELECT s.*, n.min_far,
           s.supply_date >= n.min_far_since AND coalesce(s.far < n.min_far, true) AS far_below,
           s.supply_date >= n.standard_land_since AND s.standard_land IS NOT TRUE AS not_standard_land
    FROM supplied s
    JOIN parcel_gov.rule_new_land n ON n.rule_set_id = s.rule_set_id
)
SELECT c.code::text AS parcel_code, c.region_code, c.holder_uscc::text AS holder_uscc, c.supply_date, c.rule_set_id,
       c.far AS floor_area_ratio, c.min_far, coalesce(c.far_below, false) AS far_below,
       c.standard_land, coalesce(c.not_standard_land, false) AS not_standard_land
FROM checked c
WHERE c.far_below OR c.not_standard_land;
COMMENT ON VIEW parcel_gov.v_new_land_failure IS
  '新增供地不达标: parcels supplied since the rule''s dates that fail rule_new_land: 容积率 under min_far (金东 1.5; the contract''s ratio, else the built one, none on record fails) or not supplied as 标准地 (上虞 100 %)';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.parcel_code IS '宗地代码: parcel code (GB/T 37346-2019, 一码管地)';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.holder_uscc IS '土地使用权人代码: holder''s unified social credit code';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.supply_date IS '供地日期: when the parcel was supplied';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.rule_set_id IS '评价规则: rule set in force where and when the parcel was supplied';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.floor_area_ratio IS '容积率: the contract''s floor-area ratio, else the one built; empty when neither is recorded';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.min_far IS '最低容积率: the rule''s line for new industrial land';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.far_below IS '容积率不达标: supplied since min_far_since with a ratio under min_far or none on record';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.standard_land IS '标准地: the parcel''s record (parcel.standard_land)';
COMMENT ON COLUMN parcel_gov.v_new_land_failure.not_standard_land IS '非标准地: supplied since standard_land_since and not recorded as 标准地';
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
    -- 1.11.0: the indicators of the water, COD and main-revenue figures, last
    revenue_per_kwh           double precision,
    va_per_water              double precision,
    va_per_cod                double precision,
    rd_intensity_main         double precision,
    score_revenue_per_kwh     double precision,
    score_va_per_water        double precision,
    score_va_per_cod          double precision,
    score_rd_intensity_main   double precision,
    PRIMARY KEY (year, uscc),
    CONSTRAINT evaluation_graded_or_why CHECK ((grade IS NULL) = (not_graded IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.evaluation IS
  '亩均效益评价结果: one row per firm and year; area_mu is the net land (held − leased out + leased in); score = Σ indicator scores + bonus − deduction − rental_deduction; grade_initial by quota (初评等级), grade after a veto (调档后等级); not_graded says why a firm has no grade (exempt: T, land floor, no land)';
CREATE INDEX evaluation_region_year_idx ON parcel_gov.evaluation (region_code, year);
-- A county server publishes its results by region_code (README: Many
-- counties, one province), which a row filter on updates and deletes reads
-- in the replica identity: the whole row (the old row goes to the WAL only
-- where wal_level is logical).  evaluation_benchmark and evaluation_summary
-- have region_code in their keys.
ALTER TABLE parcel_gov.evaluation REPLICA IDENTITY FULL;

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
    -- a region's park firms may have a rule set, and pools, of their own
    PRIMARY KEY (year, region_code, pool, rule_set_id, indicator)
);
COMMENT ON TABLE parcel_gov.evaluation_benchmark IS
  '基准值: the benchmark each pool was scored against (fixed by the rule, or the pool''s ratio of sums × multiplier), the pool''s own value, and its range (for minmax)';

CREATE TABLE parcel_gov.evaluation_run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year         integer NOT NULL,
    region_prefix text NOT NULL,
    run_by       name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    firms        integer NOT NULL,
    graded       integer NOT NULL,
    changed      integer NOT NULL,
    counties_evaluated integer,
    counties_skipped   integer,
    forced       boolean
);
COMMENT ON TABLE parcel_gov.evaluation_run IS '评价运行记录: each evaluate() run: who, when, what region and year, how many firms evaluated, graded and changed';
COMMENT ON COLUMN parcel_gov.evaluation_run.counties_evaluated IS
  'counties the run evaluated (from 1.12.0; NULL before and for evaluation_discard())';
COMMENT ON COLUMN parcel_gov.evaluation_run.counties_skipped IS
  'counties of the region the run skipped because their inputs had not changed since their last run of the year (from 1.12.0)';
COMMENT ON COLUMN parcel_gov.evaluation_run.forced IS
  'evaluate(year, region, true): every county evaluated whatever changed (from 1.12.0)';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_benchmark', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_run', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation_run', 'id'), '');

-- One run per year at a time: evaluate() and evaluation_discard() lock the
-- year's row.  A row lock needs UPDATE on the table, which no county role
-- holds, so no account can hold a year's runs up (an advisory lock's key
-- anyone can take).
CREATE TABLE parcel_gov.evaluation_lock (
    year integer PRIMARY KEY
);
COMMENT ON TABLE parcel_gov.evaluation_lock IS
  '评价锁 (internal: the evaluation lock): one row per evaluated year, locked by evaluate() and evaluation_discard() so that runs of a year follow one another';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_lock', '');
CREATE FUNCTION parcel_gov.lock_evaluation_year(year integer)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO parcel_gov.evaluation_lock AS l VALUES (lock_evaluation_year.year) ON CONFLICT DO NOTHING;
    PERFORM FROM parcel_gov.evaluation_lock l WHERE l.year = lock_evaluation_year.year FOR UPDATE;
END $$;
COMMENT ON FUNCTION parcel_gov.lock_evaluation_year(integer) IS
  'internal: waits for and takes the lock of a year''s evaluation runs, until the transaction ends';
REVOKE EXECUTE ON FUNCTION parcel_gov.lock_evaluation_year(integer) FROM PUBLIC;

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

-- Multi-year rules (桐庐 persistent_low_tax, 金东 still_below_3y) need the
-- two years before: a firm that meets this year's part but lacks an earlier
-- year is undecided (NULL in v_enterprise_evaluation), not "no".  evaluate()
-- says which, so the county evaluates or loads the missing years.
CREATE FUNCTION parcel_gov.notice_multi_year_undecided(year integer, prefix text)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- probes through keys: compiling them (the planner guesses thousands of
    -- candidates where a county has hundreds) cost 0.6–1 s a call
    SET jit = off
AS $$
DECLARE
    y constant integer := notice_multi_year_undecided.year;
    r constant text := notice_multi_year_undecided.prefix;
    -- leases in force the year or the two before
    window_years constant daterange := daterange(make_date(y - 2, 1, 1), make_date(y + 1, 1, 1));
    -- 桐庐's parcel rule reads parcels of this size or more (the least of
    -- the rule sets that read parcels): a smaller one, leased or not, decides nothing
    least_mu constant double precision :=
        (SELECT min(rs.persistent_low_min_mu) FROM parcel_gov.rule_set rs WHERE rs.persistent_low_land = 'parcel');
    n integer;
    named text;
BEGIN
    WITH leasing AS (
        -- holders of land leased in those years: a parcel leased to firms
        -- without results has no 亩均税收, nor one mixed with others'
        -- (one not leased has its holder's, known with the holder's)
        -- the province: a probe per lease (a join scanned every parcel, 1 s at 1,000,000)
        SELECT x.uscc FROM (
            SELECT (SELECT hp.holder_uscc FROM parcel_gov.parcel hp
                    WHERE hp.code = l.parcel_code AND hp.area_mu >= least_mu) AS uscc
            FROM parcel_gov.lease l
            WHERE r = '' AND l.during && window_years) AS x
        WHERE x.uscc IS NOT NULL
        UNION
        -- a region: its firms, each probing its parcels and their leases
        -- (LIMIT keeps the probe: joined, the parcels were hashed from a
        -- scan of every parcel, 90–200 ms a county at 1,000,000 parcels)
        SELECT h.uscc FROM parcel_gov.enterprise h
        CROSS JOIN LATERAL (SELECT FROM parcel_gov.parcel hp
                            WHERE hp.holder_uscc = h.uscc AND hp.area_mu >= least_mu
                              AND EXISTS (SELECT FROM parcel_gov.lease l
                                          WHERE l.parcel_code = hp.code AND l.during && window_years)
                            LIMIT 1) AS leased
        WHERE r <> '' AND starts_with(h.region_code, r)
    ), candidate AS (
        -- the firms that can be undecided: those without both earlier
        -- years' results, and the holders of leased land (joins, not OR-ed
        -- subqueries: those were planned as hashes of whole years, 2.6 s for
        -- one county at 1,000,000 parcels)
        SELECT e.uscc FROM parcel_gov.evaluation e
        LEFT JOIN parcel_gov.evaluation p1
               ON p1.year = y - 1 AND p1.uscc = e.uscc AND p1.tax_per_mu IS NOT NULL AND p1.pool IS NOT NULL
        LEFT JOIN parcel_gov.evaluation p2
               ON p2.year = y - 2 AND p2.uscc = e.uscc AND p2.tax_per_mu IS NOT NULL AND p2.pool IS NOT NULL
        WHERE r = '' AND e.year = y AND (p1.uscc IS NULL OR p2.uscc IS NULL)
        UNION
        -- a region: its rows of the three years from evaluation_region_year_idx
        -- (two probes per firm cost 40 ms a county); a firm whose earlier
        -- row lies in another region is a candidate more, decided below
        SELECT e.uscc FROM parcel_gov.evaluation e
        WHERE r <> '' AND e.year BETWEEN y - 2 AND y AND starts_with(e.region_code, r)
        GROUP BY e.uscc
        HAVING bool_or(e.year = y)
           AND count(*) FILTER (WHERE e.year < y AND e.tax_per_mu IS NOT NULL AND e.pool IS NOT NULL) < 2
        UNION
        SELECT l.uscc FROM leasing l
    ), decided AS (
        -- the view read per candidate, through its keys (OFFSET 0 keeps the
        -- probe: joined, the view was planned over every firm of the year,
        -- and = ANY of an array searched linearly, 13 min for a fresh year)
        SELECT d.* FROM candidate c CROSS JOIN LATERAL (
            SELECT v.uscc, v.still_below_3y IS NULL AS below_undecided,
                   -- 桐庐's rule is read only where this year's part can hold
                   -- (the firm's own 亩均税收 under the line or unknown, or land
                   -- of it leased): it costs a parcel walk per firm, 30 s for a
                   -- back year's 500,000 firms without the years before
                   CASE WHEN v.tax_per_mu IS NULL OR v.tax_per_mu < rs.persistent_low_tax_per_mu
                             OR v.uscc IN (SELECT l.uscc FROM leasing l)
                        THEN v.persistent_low_tax IS NULL ELSE false END AS low_undecided
            FROM parcel_gov.v_enterprise_evaluation v
            LEFT JOIN parcel_gov.rule_set rs ON rs.id = v.rule_set_id
            WHERE v.year = y AND v.uscc = c.uscc AND starts_with(v.region_code, r)
            OFFSET 0) AS d
    )
    SELECT count(*), string_agg(u.uscc || ' (' || u.rules || ')', ', ' ORDER BY u.uscc) FILTER (WHERE u.nth <= 5)
    INTO n, named
    FROM (SELECT d.uscc,
                 concat_ws(', ', CASE WHEN d.low_undecided THEN 'persistent_low_tax' END,
                           CASE WHEN d.below_undecided THEN 'still_below_3y' END) AS rules,
                 row_number() OVER (ORDER BY d.uscc) AS nth
          FROM decided d
          WHERE d.low_undecided OR d.below_undecided) AS u;
    IF n > 0 THEN
        RAISE NOTICE 'evaluate: % firm(s) in % have multi-year rules undecided for lack of an earlier year: %',
                     n, y, named || CASE WHEN n > 5 THEN ', …' ELSE '' END
            USING HINT = format('Evaluate %s and %s (their figures first) so that 桐庐''s three years under the line and 金东''s three years 规下 can be decided; until then v_enterprise_evaluation shows NULL.',
                                y - 2, y - 1);
    END IF;
    RETURN n;
END $$;
COMMENT ON FUNCTION parcel_gov.notice_multi_year_undecided(integer, text) IS
  'internal, for evaluate(): a NOTICE naming the firms of a year and region prefix whose multi-year rules (persistent_low_tax, still_below_3y) are undecided because an earlier year is missing (at most five named); returns how many';

-- evaluate(year, region, force): the counties whose inputs changed since
-- their last run of the year (install/89_mark_changes.sql) are evaluated,
-- the others skipped with their results; force evaluates every county.
-- A few changed counties (a third of the region's at most) are each run
-- alone: a county's run reads its own rows through indexes, so one firm's
-- correction costs a county, not the province.  More are run at once over
-- the region, which reads each table once by a scan.
CREATE FUNCTION parcel_gov.evaluate(year integer, region text, force boolean)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    started constant timestamptz := clock_timestamp();
    bounds constant double precision[] := (SELECT r.tax_tier_bounds FROM parcel_gov.rule_set r WHERE r.id = 'default');
    -- rounds of county runs: a county's writes (its firms' rows) may dirty
    -- a county where they hold or lease land, run in the next round
    max_rounds constant integer := 5;
    run record;
    counties text[];            -- of the prefix, covered by a run
    dirty text[];               -- of them, to evaluate
    inputs_changed boolean;     -- a county's inputs changed (not only forced)
    done text[] := '{}';        -- evaluated by this call
    one text;                   -- the county of a run
    snap pg_snapshot;
    firms integer := 0;
    graded integer := 0;
    changed bigint := 0;
    has_figures boolean;
BEGIN
    IF y IS NULL THEN
        RAISE EXCEPTION 'evaluate: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate(2024) or parcel_gov.evaluate(2024, ''330604'').';
    END IF;
    -- It runs as the extension's owner, so the engine reads every row it
    -- needs whoever calls: results never depend on the caller.  The caller
    -- must be an analyst granted the region.
    PERFORM parcel_gov.require_caller('evaluate', 'parcel_gov_analyst', prefix);
    -- a county whose results arrive by subscription is evaluated on its own server
    PERFORM parcel_gov.require_evaluated_here('evaluate', prefix);
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM parcel_gov.lock_evaluation_year(y);
    -- before any snapshot of the run: no other run prunes marks until this one commits
    LOCK TABLE parcel_gov.evaluation_state IN ROW EXCLUSIVE MODE;

    -- Figures of the year in the region: the year's index first (a new year
    -- has none), then the region's firms one by one on enterprise_year's key
    -- (planned with the prefix, so enterprise_region_idx serves it).
    has_figures := EXISTS (SELECT FROM parcel_gov.enterprise_year f WHERE f.year = y);
    IF has_figures AND prefix <> '' THEN
        EXECUTE format('SELECT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE starts_with(e.region_code, %L) '
                       'AND (SELECT f.year FROM parcel_gov.enterprise_year f WHERE f.uscc = e.uscc AND f.year = %s) IS NOT NULL)',
                       prefix, y)
        INTO has_figures;
    END IF;
    IF NOT has_figures THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    SELECT coalesce(array_agg(k.county ORDER BY k.county), '{}'),
           coalesce(array_agg(k.county ORDER BY k.county) FILTER (WHERE k.dirty OR evaluate.force), '{}'),
           coalesce(bool_or(k.dirty), false)
    INTO counties, dirty, inputs_changed
    FROM parcel_gov.evaluation_counties(y, prefix) AS k;

    -- Each tax tier is counted under its rule set's tiers; the default's
    -- serve a region without one.
    IF cardinality(dirty) > 0 AND cardinality(dirty) * 3 > cardinality(counties) THEN
        -- many changed: one run over the prefix reads each table once, and
        -- its digests leave the unchanged counties' rows untouched
        snap := pg_current_snapshot();
        SELECT * INTO run FROM parcel_gov.evaluate_run(y, prefix, started, bounds);
        PERFORM parcel_gov.evaluation_state_keep(y, counties, snap);
        -- A year's first run wrote most of its rows: the statistics did not
        -- know the year, and the notice's plan (as any query of the year's
        -- results before autovacuum's analyze) took minutes on that guess.
        IF run.changed > 10000 THEN
            ANALYZE parcel_gov.evaluation;
        END IF;
        -- what the notice reads changed only where a county is dirty: a
        -- forced rerun of unchanged inputs would repeat the last run's words
        IF inputs_changed THEN
            PERFORM parcel_gov.notice_multi_year_undecided(y, prefix);
        END IF;
        firms := run.firms;
        graded := run.graded;
        changed := run.changed;
        done := counties;
    ELSE
        -- a few: a run per county, each recording its state with the
        -- snapshot taken before it; then the counties this call's writes
        -- dirtied, until none is (bounded: what is left stays dirty)
        FOR pass IN 1 .. max_rounds LOOP
            EXIT WHEN cardinality(dirty) = 0;
            FOREACH one IN ARRAY dirty LOOP
                snap := pg_current_snapshot();
                SELECT * INTO run FROM parcel_gov.evaluate_run(y, one, started, bounds);
                PERFORM parcel_gov.evaluation_state_keep(y, ARRAY[one], snap);
                changed := changed + run.changed;
                IF NOT one = ANY (done) THEN
                    done := done || one;
                END IF;
            END LOOP;
            SELECT coalesce(array_agg(k.county ORDER BY k.county), '{}') INTO dirty
            FROM parcel_gov.evaluation_counties(y, prefix) AS k WHERE k.dirty;
        END LOOP;
        -- for the counties run (its reads follow the prefix: a county's
        -- firms, their parcels and leases)
        FOREACH one IN ARRAY done LOOP
            PERFORM parcel_gov.notice_multi_year_undecided(y, one);
        END LOOP;
        -- firms evaluated and graded in the region, as its summaries hold them
        SELECT coalesce(sum(s.firms), 0), coalesce(sum(s.graded), 0) INTO firms, graded
        FROM parcel_gov.evaluation_summary s WHERE s.year = y AND starts_with(s.region_code, prefix);
    END IF;
    PERFORM parcel_gov.evaluation_marks_prune();

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed,
                                           counties_evaluated, counties_skipped, forced)
    VALUES (y, prefix, started, firms, graded, changed,
            cardinality(done), cardinality(counties) - cardinality(done), evaluate.force);
    RETURN graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text, boolean) IS
  '亩均效益评价: evaluates the firms of a region (county code, city, province prefix, or NULL for all) for a year under their rule sets, skipping the counties whose inputs did not change since their last run of the year (force: evaluates every county); a few changed counties are run one by one (and the counties their writes changed after them), more in one run over the region; rewrites the evaluation rows that changed, and returns the number of firms graded in the region';

CREATE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN parcel_gov.evaluate(evaluate.year, evaluate.region, false);
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded; counties whose inputs did not change since their last run of the year are skipped (evaluate(year, region, true) forces them)';
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
-- Grade-linked measures (差别化措施, docs/rules.md): what a county levies on
-- or relieves for a firm by its grade — 差别化电价 (a surcharge per kWh),
-- 城镇土地使用税减免 (a relief per mu), 用能 / 排污 charges per tce or tonne —
-- as rule rows of a rule set, and the views that price them from the firm's
-- figures: v_differential_measures per firm, v_differential_measure_totals
-- per county.  Money in 万元, so a rate published in 元 per unit is divided
-- by 10⁴ (0.1 元/kWh = 0.00001 万元/kWh).  No published rate was found, so
-- the default carries the measures the plans name with no rate (待定): a
-- county adopts it, sets its rates and adds measures of its own.

CREATE TABLE parcel_gov.rule_measure (
    rule_set_id   text NOT NULL REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    measure       text NOT NULL CONSTRAINT rule_measure_word CHECK (measure ~ '^[a-z][a-z0-9_]*$'),
    grade         parcel_gov.grade NOT NULL,
    measure_label text NOT NULL CONSTRAINT rule_measure_label_given CHECK (measure_label <> ''),
    basis         text NOT NULL CONSTRAINT rule_measure_basis_known
                  CHECK (basis IN ('electricity_kwh', 'area_mu', 'energy_tce', 'emission_t', 'tax', 'firm')),
    rate          double precision CONSTRAINT rule_measure_rate_finite_nonzero
                  CHECK (rate <> 0 AND rate > '-Infinity' AND rate < 'Infinity'),
    cap           double precision CONSTRAINT rule_measure_cap_positive CHECK (cap > 0 AND cap < 'Infinity'),
    source        text,
    PRIMARY KEY (rule_set_id, measure, grade)
);
COMMENT ON TABLE parcel_gov.rule_measure IS
  '差别化措施 (grade-linked measures: 用地、用能、用水、排污、电价、城镇土地使用税): per rule set, measure and grade, amount = rate (万元 per unit of basis; positive levied 征收, negative relieved 减免) × the firm''s basis figure, at most cap 万元 in size';
COMMENT ON COLUMN parcel_gov.rule_measure.measure IS
  '措施代码: a word naming the measure, e.g. electricity_surcharge (差别化电价), land_use_tax_relief (城镇土地使用税减免)';
COMMENT ON COLUMN parcel_gov.rule_measure.measure_label IS
  '措施名称: the measure in Chinese, as the plan names it';
COMMENT ON COLUMN parcel_gov.rule_measure.basis IS
  '计征依据: the firm''s figure the rate applies to — electricity_kwh (用电量, kWh), area_mu (用地面积, net mu of the evaluation), energy_tce (综合能耗, tce), emission_t (排放量, t), tax (实缴税收, 万元; a negative tax counts as 0), firm (per firm: the rate is the amount)';
COMMENT ON COLUMN parcel_gov.rule_measure.rate IS
  '标准 (万元 per unit of basis): positive a levy or surcharge (征收), negative a relief or reduction (减免); 元 rates divided by 10⁴ (0.1 元/kWh = 0.00001); NULL 待定: the plan names the measure but publishes no rate, the county sets it in its own rule set';
COMMENT ON COLUMN parcel_gov.rule_measure.cap IS
  '上限 (万元): largest amount levied or relieved per firm and year; NULL no cap';
COMMENT ON COLUMN parcel_gov.rule_measure.source IS
  '依据: the plan and article the row comes from';

-- The measures the county plans tie to a grade, as they name them.  They
-- publish no rate, so the rate is NULL (待定) until a county sets its own in
-- an adopted rule set; until then the rows are listed and not priced.
INSERT INTO parcel_gov.rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source) VALUES
  ('default', 'electricity_surcharge', 'D', '差别化电价', 'electricity_kwh', NULL, NULL,
   '绍兴 2021 and 嵊州 2021 工业全域治理, 上虞 2022 腾笼换鸟: a surcharge per kWh for D-class (落后整治) firms; no rate published (the province''s 2018 guidance neither)'),
  ('default', 'land_use_tax_relief', 'A', '城镇土地使用税减免', 'area_mu', NULL, NULL,
   '绍兴 2021 and 嵊州 2021 工业全域治理, 上虞 2022 腾笼换鸟: a 城镇土地使用税 reduction for A-class (优先发展) firms; no rate published');
CREATE TRIGGER rule_measure_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_measure
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_measure',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');

-- One row per graded firm, year and measure of the rule set that graded it:
-- the measures follow the rules that gave the grade.
CREATE VIEW parcel_gov.v_differential_measures WITH (security_invoker = true) AS
SELECT e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, e.rule_set_id,
       e.pool::text AS pool, parcel_gov.pool_label(e.pool, e.rule_set_id) AS pool_label,
       e.grade::text AS grade, parcel_gov.label(e.grade) AS grade_label,
       m.measure, m.measure_label, m.basis,
       CASE m.basis WHEN 'electricity_kwh' THEN '用电量 (kWh)' WHEN 'area_mu' THEN '用地面积 (亩)'
                    WHEN 'energy_tce' THEN '综合能耗 (吨标煤)' WHEN 'emission_t' THEN '排放量 (吨)'
                    WHEN 'tax' THEN '实缴税收 (万元)' WHEN 'firm' THEN '每户' END AS basis_label,
       b.amount AS basis_amount, m.rate, m.cap,
       CASE WHEN m.cap IS NULL THEN m.rate * b.amount
            ELSE pg_catalog.sign(m.rate) * LEAST(pg_catalog.abs(m.rate * b.amount), m.cap) END AS amount,
       CASE WHEN m.rate > 0 THEN 'due' WHEN m.rate < 0 THEN 'relieved' ELSE 'unset' END AS direction,
       CASE WHEN m.rate > 0 THEN '征收' WHEN m.rate < 0 THEN '减免' ELSE '待定' END AS direction_label,
       m.source
FROM parcel_gov.evaluation e
JOIN parcel_gov.rule_measure m ON m.rule_set_id = e.rule_set_id AND m.grade = e.grade
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.enterprise_year y ON y.uscc = e.uscc AND y.year = e.year
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
CROSS JOIN LATERAL (SELECT CASE m.basis WHEN 'electricity_kwh' THEN y.electricity_kwh WHEN 'area_mu' THEN e.area_mu
                                        WHEN 'energy_tce' THEN y.energy_tce WHEN 'emission_t' THEN y.emission_t
                                        WHEN 'tax' THEN GREATEST(e.tax, 0) WHEN 'firm' THEN 1 END AS amount) b;
COMMENT ON VIEW parcel_gov.v_differential_measures IS
  '差别化措施 (grade-linked measures) per graded firm, year and measure of the rule set that graded it: basis figure, rate, cap and the amount levied (征收, positive) or relieved (减免, negative) in 万元; amount NULL where the firm has no such figure or the rule has no rate yet (待定)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_differential_measures.uscc IS '统一社会信用代码: unified social credit code of the firm';
COMMENT ON COLUMN parcel_gov.v_differential_measures.name IS '名称: name';
COMMENT ON COLUMN parcel_gov.v_differential_measures.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.region_name IS '行政区划名称: region name';
COMMENT ON COLUMN parcel_gov.v_differential_measures.rule_set_id IS '评价规则: rule set applied';
COMMENT ON COLUMN parcel_gov.v_differential_measures.pool IS '分组: evaluation pool, above 规上 or below 规下';
COMMENT ON COLUMN parcel_gov.v_differential_measures.pool_label IS '分组: 规上 or 规下, or the land pool (≥ / < the rule set''s pool_land_mu 亩)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.grade IS '评价等级 (after a veto, 一票否决 → D)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.grade_label IS '等级名称: 优先发展 A, 鼓励提升 B, 监管调控 C, 落后整治 D';
COMMENT ON COLUMN parcel_gov.v_differential_measures.measure IS '措施代码: the measure of the rule set (e.g. electricity_surcharge)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.measure_label IS '措施名称: the measure in Chinese (e.g. 差别化电价)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.basis IS '计征依据: electricity_kwh, area_mu, energy_tce, emission_t, tax or firm';
COMMENT ON COLUMN parcel_gov.v_differential_measures.basis_label IS '计征依据名称: the basis in Chinese with its unit';
COMMENT ON COLUMN parcel_gov.v_differential_measures.basis_amount IS '计征量: the firm''s basis figure that year (kWh, 亩, tce, t, 万元 of tax floored at 0, or 1 per firm); NULL when not reported';
COMMENT ON COLUMN parcel_gov.v_differential_measures.rate IS '标准 (万元 per unit of basis): positive levied, negative relieved; NULL not set (待定: the plan publishes none)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.cap IS '上限 (万元): largest amount per firm and year; NULL no cap';
COMMENT ON COLUMN parcel_gov.v_differential_measures.amount IS '金额 (万元): rate × basis amount, at most cap in size; positive due (应缴), negative relieved (减免); NULL when the basis figure is missing or the rate is not set';
COMMENT ON COLUMN parcel_gov.v_differential_measures.direction IS '方向: due (a levy or surcharge), relieved (a relief) or unset (no rate yet)';
COMMENT ON COLUMN parcel_gov.v_differential_measures.direction_label IS '方向名称: 征收, 减免 or 待定';
COMMENT ON COLUMN parcel_gov.v_differential_measures.source IS '依据: the plan and article of the rule row';

-- A county's total per measure and year (a measure's rows share a direction
-- only when its rates share a sign: due and relieved are summed apart).
CREATE VIEW parcel_gov.v_differential_measure_totals WITH (security_invoker = true) AS
SELECT d.region_code, min(d.region_name) AS region_name, d.year, d.measure, min(d.measure_label) AS measure_label,
       count(*)::integer AS firms,
       count(d.amount)::integer AS firms_priced,
       sum(d.amount) FILTER (WHERE d.amount > 0) AS amount_due,
       sum(d.amount) FILTER (WHERE d.amount < 0) AS amount_relieved,
       coalesce(sum(d.amount), 0) AS amount_net
FROM parcel_gov.v_differential_measures d
GROUP BY d.region_code, d.year, d.measure;
COMMENT ON VIEW parcel_gov.v_differential_measure_totals IS
  '差别化措施汇总: per county, year and measure, the firms it applies to and the amounts due (征收) and relieved (减免) in 万元, from v_differential_measures';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.region_name IS '行政区划名称: region name';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.measure IS '措施代码: the measure of the rule set (e.g. electricity_surcharge)';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.measure_label IS '措施名称: the measure in Chinese (e.g. 差别化电价)';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.firms IS '企业数: graded firms whose grade the measure covers';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.firms_priced IS '计价企业数: of them, firms with an amount (the basis figure and a rate)';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.amount_due IS '应缴合计 (万元): sum of the levies (positive amounts); NULL when none';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.amount_relieved IS '减免合计 (万元): sum of the reliefs (negative amounts); NULL when none';
COMMENT ON COLUMN parcel_gov.v_differential_measure_totals.amount_net IS '净额 (万元): levies plus reliefs';
-- The views analysts and BI tools read.  security_invoker:
-- they show what the reader may see of the tables, nothing more.

-- Who uses which part of a parcel in a year: its holder what is not leased
-- out, each lessee its lease (leases whose term overlaps the year).
CREATE VIEW parcel_gov.v_parcel_use WITH (security_invoker = true) AS
SELECT y.year, p.code::text AS parcel_code, p.holder_uscc::text AS uscc, 'holder'::text AS role,
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
SELECT y.year, l.parcel_code::text, l.lessee_uscc::text, 'lessee', l.area_mu
FROM parcel_gov.lease l
JOIN (SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s) AS y
  ON l.during && daterange(make_date(y.year, 1, 1), make_date(y.year + 1, 1, 1));
COMMENT ON VIEW parcel_gov.v_parcel_use IS
  'Who uses which part of each parcel in each evaluated year: the holder (土地使用权人) what it has not leased out, each lessee (承租企业) its lease';

-- A parcel's 亩均税收 in a year, as v_parcel_efficiency counts it for the
-- year it shows: the firms using it (its holder for what is not leased out, the
-- lessees of the leases in force that year), each by its evaluation's
-- 亩均税收 and the area it uses; NULL when none has one.  桐庐's rule on the
-- parcel reads the two years before with it (so does the register's sync).
CREATE FUNCTION parcel_gov.parcel_tax_per_mu(code text, year integer)
    RETURNS double precision
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
             coalesce(ls.tax_sums, '{0,0,0,0}'),
             CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                  THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END))
    FROM parcel_gov.parcel p
    LEFT JOIN parcel_gov.evaluation h ON h.year = parcel_tax_per_mu.year AND h.uscc = p.holder_uscc
    CROSS JOIN LATERAL (
        SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
               parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
                 FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums
        FROM parcel_gov.lease l
        LEFT JOIN parcel_gov.evaluation e ON e.year = parcel_tax_per_mu.year AND e.uscc = l.lessee_uscc
        WHERE l.parcel_code = p.code
          AND l.during && daterange(make_date(parcel_tax_per_mu.year, 1, 1), make_date(parcel_tax_per_mu.year + 1, 1, 1))
    ) AS ls
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.holder_uscc IS NOT NULL
                    THEN greatest(p.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
    ) AS own
    WHERE p.code = parcel_tax_per_mu.code;
END;
COMMENT ON FUNCTION parcel_gov.parcel_tax_per_mu(text, integer) IS
  '宗地亩均税收: a parcel''s 亩均税收 in a year, the firms using it (holder and lessees of leases in force that year) weighed by the area each uses, from their evaluations of that year; NULL when none has one';

-- 桐庐 on the parcel (persistent_low_land 'parcel'): does the firm hold a
-- parcel of min_mu or more whose 亩均税收 stayed under line this year and
-- the two before?  NULL (undecided) when none did but one lacks an earlier
-- year.  A function, not a LATERAL join, so v_enterprise_evaluation can
-- still run whole in a parallel worker.  Each year's 亩均税收 is
-- parcel_tax_per_mu's, written out here: a SQL function called from another
-- is planned again on every call (5 ms a firm in v_enterprise_evaluation).
CREATE FUNCTION parcel_gov.holder_persistent_low(uscc text, year integer, min_mu double precision,
                                                 line double precision)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN bool_or(x.low) THEN true WHEN bool_or(x.low IS NULL) THEN NULL ELSE false END
    FROM parcel_gov.parcel hp
    CROSS JOIN LATERAL (
        SELECT CASE WHEN coalesce(min(t.tax) FILTER (WHERE b.back = 0) < holder_persistent_low.line, false)
                    THEN min(t.tax) FILTER (WHERE b.back = 1) < holder_persistent_low.line
                         AND min(t.tax) FILTER (WHERE b.back = 2) < holder_persistent_low.line
                    ELSE false END AS low
        FROM (VALUES (0), (1), (2)) AS b (back)
        CROSS JOIN LATERAL (
            -- the parcel's 亩均税收 in year - back, as parcel_tax_per_mu has it
            SELECT parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(
                     coalesce(ls.tax_sums, '{0,0,0,0}'),
                     CASE WHEN h.tax_per_mu IS NOT NULL AND own.area <> 0
                          THEN ARRAY[own.area * h.tax_per_mu, 0, own.area, 0] ELSE '{0,0,0,0}' END)) AS tax
            FROM (SELECT holder_persistent_low.year - b.back AS year) AS y
            LEFT JOIN parcel_gov.evaluation h ON h.year = y.year AND h.uscc = hp.holder_uscc
            CROSS JOIN LATERAL (
                SELECT parcel_gov.partial_sum(ARRAY[l.area_mu, 0]) AS leased,
                       parcel_gov.partial_sum(ARRAY[l.area_mu * e.tax_per_mu, 0, l.area_mu, 0])
                         FILTER (WHERE e.tax_per_mu IS NOT NULL AND l.area_mu <> 0) AS tax_sums
                FROM parcel_gov.lease l
                LEFT JOIN parcel_gov.evaluation e ON e.year = y.year AND e.uscc = l.lessee_uscc
                WHERE l.parcel_code = hp.code
                  AND l.during && daterange(make_date(y.year, 1, 1), make_date(y.year + 1, 1, 1))
            ) AS ls
            CROSS JOIN LATERAL (
                SELECT CASE WHEN hp.holder_uscc IS NOT NULL
                            THEN greatest(hp.area_mu - coalesce(ls.leased[1] + ls.leased[2], 0), 0) END AS area
            ) AS own
        ) AS t
    ) AS x
    WHERE hp.holder_uscc = holder_persistent_low.uscc AND hp.area_mu >= holder_persistent_low.min_mu;
END;
COMMENT ON FUNCTION parcel_gov.holder_persistent_low(text, integer, double precision, double precision) IS
  '桐庐 连续三年亩均税收低于 line 的地块: true when the firm holds a parcel of min_mu or more whose 亩均税收 (parcel_tax_per_mu) was under line in year and the two years before, NULL when none was but one lacks an earlier year, else false';

CREATE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, f.industry_code,
       e.pool::text AS pool, parcel_gov.pool_label(e.pool, e.rule_set_id) AS pool_label, e.industry_group, e.rule_set_id,
       e.area_mu, e.held_mu, e.leased_out_mu, e.leased_in_mu, e.tax, e.value_added, e.revenue,
       e.tax_per_mu, e.va_per_mu, e.revenue_per_mu, e.labour_productivity, e.va_per_energy,
       e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
       e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
       e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
       e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size,
       e.grade_initial::text AS grade_initial, parcel_gov.label(e.grade_initial) AS grade_initial_label,
       e.grade::text AS grade, parcel_gov.label(e.grade) AS grade_label,
       coalesce(e.grade::text, CASE WHEN e.not_graded LIKE 'exempt%' THEN 'T' END) AS grade_or_t,
       e.not_graded, e.veto_reason,
       parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       p1.tax_per_mu AS tax_per_mu_prev, p2.tax_per_mu AS tax_per_mu_prev2,
       -- multi-year rules: false when this year already fails, else decided by
       -- the two years before; NULL (undecided) when one of them is missing
       CASE WHEN rs.persistent_low_land = 'parcel'
            THEN parcel_gov.holder_persistent_low(e.uscc, e.year, rs.persistent_low_min_mu, rs.persistent_low_tax_per_mu)
            WHEN coalesce(e.area_mu >= rs.persistent_low_min_mu AND e.tax_per_mu < rs.persistent_low_tax_per_mu, false)
            THEN p1.tax_per_mu < rs.persistent_low_tax_per_mu AND p2.tax_per_mu < rs.persistent_low_tax_per_mu
            ELSE false END AS persistent_low_tax,
       CASE WHEN coalesce(CASE rs.still_below_land WHEN 'own' THEN e.held_mu ELSE e.area_mu END >= rs.still_below_min_mu
                          AND e.pool = 'below', false)
            THEN p1.pool = 'below' AND p2.pool = 'below'
            ELSE false END AS still_below_3y,
       -- 金东 亩产倍增: undecided (NULL) when only the land use rate is missing
       CASE WHEN coalesce(e.grade <= 'B' AND (e.revenue >= rs.doubling_min_revenue OR e.tax >= rs.doubling_min_tax), false)
            THEN fy.land_use_rate >= rs.doubling_min_land_use_rate
            ELSE false END AS capacity_doubling_candidate,
       e.evaluated_at,
       e.revenue_per_kwh, e.va_per_water, e.va_per_cod, e.rd_intensity_main,
       e.score_revenue_per_kwh, e.score_va_per_water, e.score_va_per_cod, e.score_rd_intensity_main
FROM parcel_gov.evaluation e
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
LEFT JOIN parcel_gov.evaluation p1 ON p1.uscc = e.uscc AND p1.year = e.year - 1
LEFT JOIN parcel_gov.evaluation p2 ON p2.uscc = e.uscc AND p2.year = e.year - 2
LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = e.uscc AND fy.year = e.year;
COMMENT ON VIEW parcel_gov.v_enterprise_evaluation IS
  '企业亩均效益评价结果: each firm''s evaluation with names and labels, its tax tier (its rule set''s bounds and reading), the per-mu tax of the two years before, and the multi-year facts: persistent_low_tax (桐庐: a parcel of ≥ 20 mu the firm holds, under 3 万元/亩 three years running; or its net land, persistent_low_land), still_below_3y (金东: ≥ 20 mu of own land, still 规下 three years; or net land, still_below_land), both NULL (undecided) when this year meets the rule but an earlier year is missing, capacity_doubling_candidate (金东 亩产倍增: grade B or better, revenue ≥ 1 亿元 or tax ≥ 300 万元, 土地利用率 ≥ 80 %; NULL when the rate is missing)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.area_mu IS '用地面积(亩): net land = held − leased out + leased in';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.tax_per_mu IS '亩均税收 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.va_per_mu IS '亩均增加值 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score IS '综合得分';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial IS '初评等级 (by quota)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial_label IS '初评等级名称: the grade by quota in Chinese';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade IS '评价等级 (after a veto, 一票否决 → D)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_or_t IS 'grade, or T for firms exempt from grading (不参评)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.persistent_low_tax IS
  '桐庐 连续三年亩均税收低于 persistent_low_tax_per_mu, on a parcel the firm holds of persistent_low_min_mu or more (persistent_low_land parcel) or on its net land (net): true, false, or NULL (undecided: this year meets it, an earlier year is not evaluated or has no per-mu tax)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.still_below_3y IS
  '金东 自有用地 still_below_min_mu 亩以上三年未上规, on own land (still_below_land own: held_mu) or net land (net): true, false, or NULL (undecided: this year meets it, an earlier year is not evaluated)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.capacity_doubling_candidate IS
  '金东 产能倍增: grade B or better, revenue ≥ doubling_min_revenue or tax ≥ doubling_min_tax, and 土地利用率 ≥ doubling_min_land_use_rate; NULL when only the rate is missing';

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
-- 季评价 Quarterly evaluation (上虞 [S4]: 月监测、季评价、年考核 — monitor
-- monthly, evaluate quarterly, assess yearly).  Year-to-date figures per
-- month beside the yearly ones; evaluate_quarter() runs the yearly engine
-- (src/eval_engine.h) on the figures to a quarter's last month and writes
-- evaluation_quarter and its benchmarks, apart from the year's results: the
-- register, evaluation and its summaries are never touched.

CREATE TABLE parcel_gov.enterprise_period (
    -- No foreign key: the row-level policy (install/96_roles_quarterly.sql)
    -- already refuses a firm the writer cannot see, a missing one included,
    -- and the engine reads the figures of the firms it found in enterprise
    -- only; a key would make every TRUNCATE … CASCADE of enterprise reach
    -- here.
    uscc            parcel_gov.uscc NOT NULL,
    year            integer NOT NULL CONSTRAINT enterprise_period_plausible CHECK (year BETWEEN 1949 AND 2200),
    month           integer NOT NULL CONSTRAINT enterprise_period_month CHECK (month BETWEEN 1 AND 12),
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
    scattered_polluting boolean NOT NULL DEFAULT false,
    water_t         double precision CONSTRAINT enterprise_period_water_t_check CHECK (water_t >= 0 AND water_t < 1e10),
    cod_t           double precision CONSTRAINT enterprise_period_cod_t_check CHECK (cod_t >= 0 AND cod_t < 1e9),
    main_revenue    double precision CONSTRAINT enterprise_period_main_revenue_check CHECK (main_revenue >= 0 AND main_revenue < 1e9),
    PRIMARY KEY (uscc, year, month),
    -- the bounds of enterprise_year: beyond any firm there is
    CONSTRAINT enterprise_period_within_bounds CHECK (
        abs(tax) < 1e9 AND abs(value_added) < 1e9 AND revenue < 1e9 AND abs(rd_expense) < 1e9
        AND staff < 1e7 AND energy_tce < 1e9 AND emission_t < 1e9 AND electricity_kwh < 1e12
        AND bonus < 1e9 AND deduction < 1e9)
);
COMMENT ON TABLE parcel_gov.enterprise_period IS
  '企业月度累计数据 (year-to-date inputs per firm, 月监测): the figures of enterprise_year from 1 January to the end of month, in its units (money 万元, energy tce, emissions t, electricity kWh; staff = average to date); months 3, 6, 9 and 12 are what evaluate_quarter() evaluates (季评价)';
COMMENT ON COLUMN parcel_gov.enterprise_period.month IS
  '月份: the last month the figures cover (1–12), year to date (1–3 for month 3: the first quarter)';
CREATE INDEX enterprise_period_year_month_idx ON parcel_gov.enterprise_period (year, month);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise_period', '');

CREATE TABLE parcel_gov.evaluation_quarter (
    id            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    year          integer NOT NULL,
    quarter       integer NOT NULL CONSTRAINT evaluation_quarter_quarter CHECK (quarter BETWEEN 1 AND 4),
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
    revenue_per_kwh           double precision,
    va_per_water              double precision,
    va_per_cod                double precision,
    rd_intensity_main         double precision,
    score_revenue_per_kwh     double precision,
    score_va_per_water        double precision,
    score_va_per_cod          double precision,
    score_rd_intensity_main   double precision,
    PRIMARY KEY (year, quarter, uscc),
    CONSTRAINT evaluation_quarter_graded_or_why CHECK ((grade IS NULL) = (not_graded IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.evaluation_quarter IS
  '季度评价结果 (季评价): one row per firm, year and quarter, as evaluation has it but on the year-to-date figures to the quarter''s last month (enterprise_period) and the land of the year to date; benchmarks of that period (evaluation_quarter_benchmark); written by evaluate_quarter() only, apart from the yearly evaluation';
COMMENT ON COLUMN parcel_gov.evaluation_quarter.quarter IS '季度: 1–4, on the figures from 1 January to month 3, 6, 9 or 12';
CREATE INDEX evaluation_quarter_region_year_idx ON parcel_gov.evaluation_quarter (region_code, year, quarter);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_quarter', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation_quarter', 'id'), '');

CREATE TABLE parcel_gov.evaluation_quarter_benchmark (
    year        integer NOT NULL,
    quarter     integer NOT NULL CONSTRAINT evaluation_quarter_benchmark_quarter CHECK (quarter BETWEEN 1 AND 4),
    region_code text NOT NULL,
    pool        parcel_gov.size_class NOT NULL,
    indicator   parcel_gov.indicator NOT NULL,
    rule_set_id text NOT NULL,
    benchmark   double precision,
    pool_value  double precision,
    lo          double precision,
    hi          double precision,
    firms       integer NOT NULL,
    PRIMARY KEY (year, quarter, region_code, pool, indicator)
);
COMMENT ON TABLE parcel_gov.evaluation_quarter_benchmark IS
  '季度基准值: the benchmark each pool was scored against in a quarter: the pool''s ratio of sums of the year-to-date figures × multiplier, or the rule''s fixed benchmark — a year''s, so prorated by months ÷ 12 for tax, value added and revenue per mu and labour productivity (a ratio of two year-to-date figures, per kWh, tce or t or R&D over revenue, is not)';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_quarter_benchmark', '');

CREATE TRIGGER evaluation_quarter_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_quarter
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();
CREATE TRIGGER evaluation_quarter_benchmark_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_quarter_benchmark
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();

CREATE FUNCTION parcel_gov.evaluate_quarter_run(year integer, month integer, prefix text,
        started timestamp with time zone, OUT firms integer, OUT graded integer, OUT changed bigint)
    AS 'MODULE_PATHNAME', 'evaluate_quarter_run'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET jit = off;
COMMENT ON FUNCTION parcel_gov.evaluate_quarter_run(integer, integer, text, timestamp with time zone) IS
  'The engine of evaluate_quarter(), called by it after its checks and under its lock: evaluates the year-to-date figures to month (3, 6, 9, 12) for a region prefix and replaces that quarter''s evaluation_quarter rows and benchmarks; returns how many firms were evaluated and graded and rows written';

CREATE FUNCTION parcel_gov.evaluate_quarter(year integer, quarter integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate_quarter.year;
    q constant integer := evaluate_quarter.quarter;
    prefix constant text := parcel_gov.region_prefix(evaluate_quarter.region);
    run record;
BEGIN
    IF y IS NULL OR q IS NULL OR q NOT BETWEEN 1 AND 4 THEN
        RAISE EXCEPTION 'evaluate_quarter: quarter must be 1, 2, 3 or 4 of a year, got % of %',
                        coalesce(q::text, 'NULL'), coalesce(y::text, 'NULL') USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate_quarter(2024, 2) or parcel_gov.evaluate_quarter(2024, 2, ''330604''): the second quarter, on the figures to June.';
    END IF;
    -- as evaluate(): the owner's rights for the engine, the caller an analyst granted the region
    PERFORM parcel_gov.require_caller('evaluate_quarter', 'parcel_gov_analyst', prefix);
    PERFORM parcel_gov.lock_evaluation_year(y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_period f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND f.month = 3 * q AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate_quarter: no year-to-date figures to month % of % in region %: nothing evaluated, earlier results kept',
                     3 * q, y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    SELECT * INTO run FROM parcel_gov.evaluate_quarter_run(y, 3 * q, prefix, clock_timestamp());
    RETURN run.graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text) IS
  '季评价: evaluates every firm of a region (as evaluate()) for a quarter on its year-to-date figures (enterprise_period, month 3 × quarter) under the year''s rule set: pool benchmarks are ratios of sums of those figures, fixed benchmarks prorated by months ÷ 12 where the indicator accrues (per mu, per person); replaces the quarter''s evaluation_quarter rows and benchmarks of the region and returns the number of firms graded; never touches evaluation, its summaries or the register';
-- The low-efficiency parcel register (低效工业用地数据库, 一地一档) and its
-- history (docs/rules.md, The register): C triggers keep the state machine and write one
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
                      CHECK (evidence IS NULL OR jsonb_typeof(evidence) = 'object'),
    -- set by the guard: 1 on entry, one more at every change
    step              integer NOT NULL DEFAULT 0,
    route             parcel_gov.disposal_route
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
    actor       name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    reason      text,
    evidence    jsonb,
    -- the parcel's step, copied from its register row under the row's lock:
    -- the exact order of the parcel's history (ids are identity only)
    step        integer NOT NULL,
    route       parcel_gov.disposal_route,
    CONSTRAINT register_event_step_once UNIQUE (parcel_code, step)
);
COMMENT ON COLUMN parcel_gov.register.step IS
  '变更序号 (step): how many changes the row has had; its latest event carries the same number';
COMMENT ON COLUMN parcel_gov.register_event.step IS
  '变更序号 (step): the change''s place in its parcel''s history, 1, 2, 3 … without gaps; order a parcel''s events by it';
COMMENT ON COLUMN parcel_gov.register.route IS
  '处置路径 (disposal route), set by the operator beside the batch: 收购收储, 退二还一, 优二, 补三 (桐庐), 收回, 改造, 转让 (金东); NULL not yet chosen';
COMMENT ON COLUMN parcel_gov.register_event.route IS
  '处置路径: the register row''s route after the change';
COMMENT ON TABLE parcel_gov.register_event IS
  '登记册变更记录 (append-only history of the register): every change, its actor, time, reason and evidence; written only by the register''s trigger';
CREATE INDEX register_event_parcel_idx ON parcel_gov.register_event (parcel_code, id);

CREATE FUNCTION parcel_gov.register_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.register_guard() IS
  'Trigger: the register''s state machine (55000 for an illegal step, 23502 for a missing batch, exit reason or reason)';
-- It runs SQL through SPI; every name in that SQL is schema-qualified, so it
-- needs no SET search_path (which would cost a GUC save and restore per statement).
-- As the extension's owner: an operator's UPDATE of the register writes its
-- history, which no county role may write itself (actor: invoker()).
CREATE FUNCTION parcel_gov.register_record() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_record' LANGUAGE C SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
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
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    result parcel_gov.register;
BEGIN
    PERFORM parcel_gov.require_caller('transition', 'parcel_gov_operator');
    -- another county's parcel is as absent as one that does not exist: the
    -- message must not tell them apart
    IF NOT EXISTS (SELECT FROM parcel_gov.parcel p
                   WHERE p.code = parcel_code
                     AND p.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
        RAISE EXCEPTION 'no parcel % in your regions', parcel_code USING ERRCODE = '22023',
            HINT = 'transition() takes the 宗地代码 of a parcel of a region you were granted, as in parcel_gov.parcel.';
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
-- 问题清单 (绍兴 2021: 清单化管理、销号式整改、项目化验收): the environment,
-- safety, fire and illegal-building departments' problems found on a parcel,
-- each with its deadline, struck off (销号: closed, with its evidence) one by
-- one.  The rule set names the departments whose open issues keep a parcel
-- from leaving the register as accepted (项目化验收): the register's trigger
-- (src/register_trigger.c) asks blocking_issues().

CREATE TABLE parcel_gov.issue (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_code parcel_gov.parcel_code NOT NULL REFERENCES parcel_gov.parcel ON UPDATE CASCADE,
    department  parcel_gov.issue_department NOT NULL,
    description text NOT NULL,
    found       date NOT NULL,
    deadline    date CONSTRAINT issue_deadline_after_found CHECK (deadline >= found),
    closed      date CONSTRAINT issue_closed_after_found CHECK (closed >= found),
    evidence    jsonb CONSTRAINT issue_evidence_is_object CHECK (evidence IS NULL OR jsonb_typeof(evidence) = 'object'),
    CONSTRAINT issue_closed_with_evidence CHECK (closed IS NULL OR evidence IS NOT NULL)
);
COMMENT ON TABLE parcel_gov.issue IS
  '问题清单 (issue list, 绍兴 2021 清单化管理、销号式整改): a department''s problem found on a parcel (环保, 安全, 消防, 违建), its deadline, and when it was struck off (销号: closed, with evidence); open while closed is NULL';
COMMENT ON COLUMN parcel_gov.issue.department IS '部门: environment 环保, safety 安全, fire 消防, illegal_building 违建';
COMMENT ON COLUMN parcel_gov.issue.found IS '发现日期: when the department found the problem';
COMMENT ON COLUMN parcel_gov.issue.deadline IS '整改期限: the date the problem is to be rectified by';
COMMENT ON COLUMN parcel_gov.issue.closed IS '销号日期: the date the problem was struck off; NULL while open';
COMMENT ON COLUMN parcel_gov.issue.evidence IS '销号依据: the evidence for closing it (a JSON object: the acceptance document, the inspector …); required once closed';
CREATE INDEX issue_open_idx ON parcel_gov.issue (parcel_code) WHERE closed IS NULL;
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.issue', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.issue', 'id'), '');
-- (row-level security by the parcel's county and the grants: install/96_roles.sql)

-- Which departments' open issues block an exit as accepted, per rule set.
CREATE TABLE parcel_gov.rule_issue (
    rule_set_id text NOT NULL REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    department  parcel_gov.issue_department NOT NULL,
    blocks_exit boolean NOT NULL DEFAULT true,
    shutdown_when_overdue boolean NOT NULL DEFAULT false,
    source      text,
    PRIMARY KEY (rule_set_id, department)
);
COMMENT ON TABLE parcel_gov.rule_issue IS
  '问题清单规则: per rule set and department, whether its open issues keep a parcel from leaving the register as accepted (项目化验收), and whether one past its deadline sends the parcel to 关停退出; a department without a row does neither';
COMMENT ON COLUMN parcel_gov.rule_issue.blocks_exit IS
  '未销号不得出库: an open issue of this department blocks exit_reason accepted (55000)';
COMMENT ON COLUMN parcel_gov.rule_issue.shutdown_when_overdue IS
  '逾期未整改即关停退出: an open issue of this department past its deadline (when evaluate() runs) sends the parcel to 关停退出, as parcel.fails_acceptance does';
INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, source)
SELECT r.id, d, true, '绍兴 2021 开发区(园区)工业全域治理: 清单化管理、销号式整改、项目化验收 (环保、安全、消防 acceptance; 违建)'
FROM parcel_gov.rule_set r CROSS JOIN unnest(enum_range(NULL::parcel_gov.issue_department)) AS d
WHERE r.builtin;
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_issue',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
-- A built-in rule set's issue rules are shipped data, read-only as its
-- other rule tables are (pg_dump leaves them out: a change would be lost).
CREATE TRIGGER rule_issue_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_issue
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();

-- The open issues that block a parcel's exit as accepted under its rule set
-- (that of its region for the register's evaluated year, else this year),
-- named one by one; NULL when none.  The caller sees its own regions' issues.
CREATE FUNCTION parcel_gov.blocking_issues(parcel_code text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.string_agg(pg_catalog.format('#%s %s: %s (found %s%s)', i.id, parcel_gov.label(i.department),
                                                   i.description, i.found,
                                                   ', due ' || i.deadline), '; ' ORDER BY i.id)
    FROM parcel_gov.issue i
    JOIN parcel_gov.parcel p ON p.code OPERATOR(pg_catalog.=) i.parcel_code
    JOIN parcel_gov.rule_issue ri
      ON ri.rule_set_id OPERATOR(pg_catalog.=) parcel_gov.rule_set_for(p.region_code,
           coalesce((SELECT r.evaluated_year FROM parcel_gov.register r WHERE r.parcel_code OPERATOR(pg_catalog.=) p.code),
                    pg_catalog.date_part('year', CURRENT_DATE)::integer))
     AND ri.department OPERATOR(pg_catalog.=) i.department AND ri.blocks_exit
    WHERE i.parcel_code OPERATOR(pg_catalog.=) blocking_issues.parcel_code AND i.closed IS NULL;
END;
COMMENT ON FUNCTION parcel_gov.blocking_issues(text) IS
  '未销号问题: the open issues (问题清单) of a parcel whose departments its rule set says block an exit as accepted, one by one; NULL when none';

-- Open issues per county and department, for the dashboards.
CREATE VIEW parcel_gov.v_open_issues WITH (security_invoker = true) AS
SELECT p.region_code, rg.name AS region_name, i.department::text AS department,
       parcel_gov.label(i.department) AS department_label, count(*) AS open_issues,
       count(DISTINCT i.parcel_code) AS parcels, count(*) FILTER (WHERE i.deadline < current_date) AS overdue,
       min(i.found) AS oldest_found
FROM parcel_gov.issue i
JOIN parcel_gov.parcel p ON p.code = i.parcel_code
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code
WHERE i.closed IS NULL
GROUP BY p.region_code, rg.name, i.department;
COMMENT ON VIEW parcel_gov.v_open_issues IS
  '未销号问题汇总: open issues (问题清单) per county and department: how many, on how many parcels, how many past their deadline, the oldest';
-- Low-efficiency kinds and the four batches (docs/rules.md, src/low_efficiency.c);
-- the engine's register sync (src/register_sync.c) and v_parcel_efficiency
-- (install/91_parcel_efficiency.sql) apply them.

-- Their rule data (rule_set.non_industrial_since) and parcel facts
-- (parcel.fails_acceptance, land_status, ...) are defined with their tables.

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

-- 绍兴 2021 全域治理's two further objects: 低散乱污 land (its firm listed
-- this year) and 集体工业用地 without legal procedures (the 宗地代码's
-- ownership, character 13, is J 集体); the 9-argument form knows neither.
CREATE FUNCTION parcel_gov.low_efficiency_kinds(tax_per_mu double precision, low_tax_per_mu double precision,
        persistent_low boolean, grade parcel_gov.grade, land_status text, supply_date date,
        actual_industrial boolean, non_industrial_since date, prohibited_industry boolean,
        scattered_polluting boolean, parcel_code text, land_procedures_legal boolean)
    RETURNS parcel_gov.low_efficiency_kind[]
    AS 'MODULE_PATHNAME', 'low_efficiency_kinds'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.low_efficiency_kinds(double precision, double precision, boolean, parcel_gov.grade,
        text, date, boolean, date, boolean, boolean, text, boolean) IS
  '低效类型 of a parcel, as the 9-argument form, and also scattered_polluting (低散乱污: the firm is listed) and collective_industrial (集体工业用地: 宗地代码 ownership J and land_procedures_legal false); empty when none';

CREATE FUNCTION parcel_gov.four_batch(kinds parcel_gov.low_efficiency_kind[], backward_capacity boolean,
        fails_acceptance boolean, plan_conforming boolean, planned_industrial boolean, building_condition text,
        scattered_polluting_batch parcel_gov.batch, collective_industrial_batch parcel_gov.batch)
    RETURNS parcel_gov.batch
    AS 'MODULE_PATHNAME', 'four_batch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.four_batch(parcel_gov.low_efficiency_kind[], boolean, boolean, boolean, boolean, text,
        parcel_gov.batch, parcel_gov.batch) IS
  '四个一批 as the 6-argument form, then a 低散乱污 or 集体工业用地 parcel goes at least as far up the order (关停退出, 功能转型, 拆除重建, 整治提升) as its rule set''s scattered_polluting_batch or collective_industrial_batch; NULL without a kind';
-- What changed since each county was evaluated (issue 19): evaluate() skips
-- the counties whose inputs are as its last run of the year read them.
--
-- evaluation_mark: statement triggers on every table the engine reads
-- record which county's inputs changed, from which year on, and by which
-- transaction.  Insert-only and one row per (county, year, transaction), so
-- concurrent writers never wait for one another.
-- evaluation_state: per county and year, the snapshot taken before the
-- engine read that county (and the run's date and version).  A county-year is
-- dirty when it has no state, when a mark of it (or of every county) from
-- that year or before was written by a transaction the snapshot did not see
-- (or by the evaluating transaction itself after the run), when an open issue
-- of it fell overdue since the run's date, or when the extension's version
-- changed.  Under READ COMMITTED the engine's reads see at least what the
-- snapshot saw, so a mark the snapshot saw was read.

CREATE SEQUENCE parcel_gov.evaluation_mark_seq;
COMMENT ON SEQUENCE parcel_gov.evaluation_mark_seq IS
  'internal: orders the marks and states of one transaction (evaluation_mark.seq, evaluation_state.seq)';

CREATE TABLE parcel_gov.evaluation_mark (
    county    text NOT NULL,          -- a 6-digit region code, '' for every county
    from_year integer NOT NULL,       -- the first year whose results may change (0: all)
    xid       xid8 NOT NULL,          -- the writing transaction
    seq       bigint NOT NULL,        -- its last statement that marked (within the transaction)
    PRIMARY KEY (county, from_year, xid)
);
COMMENT ON TABLE parcel_gov.evaluation_mark IS
  '评价变更标记 (internal, evaluate()''s change marks): a county whose inputs a transaction changed, from a year on; written by triggers on the engine''s input tables, read and pruned by evaluate()';

CREATE TABLE parcel_gov.evaluation_state (
    year      integer NOT NULL,
    county    text NOT NULL,
    snapshot  pg_snapshot NOT NULL,   -- taken before the engine read the county
    xid       xid8 NOT NULL,          -- the evaluating transaction
    seq       bigint NOT NULL,        -- evaluation_mark_seq after its run of the county
    run_date  date NOT NULL,          -- current_date of the run (overdue issues)
    version   text NOT NULL,          -- the extension's version that ran
    evaluated_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    PRIMARY KEY (year, county)
);
COMMENT ON TABLE parcel_gov.evaluation_state IS
  '评价状态 (internal, evaluate()''s per county and year state): what the last run of the county read (snapshot, transaction, date, version); a county whose inputs did not change since is skipped';

-- Registered so a dump knows them, with no rows: a snapshot or transaction id
-- means nothing in another cluster (a restored database re-evaluates all).
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_mark', 'WHERE false');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_state', 'WHERE false');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_mark_seq', '');

-- The engine's own register writes (backend flag of src/evaluation_guard.c):
-- the engine read what it writes, so they mark nothing.
CREATE FUNCTION parcel_gov.evaluation_engine_writing()
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'evaluation_engine_writing'
    LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION parcel_gov.evaluation_engine_writing() IS
  'internal, for the change marks: true while evaluate()''s engine writes the register in this backend (no SQL can set it)';

-- Which counties a statement's rows touch, per input table.  R stands for
-- the rows (new, old or both); a firm F (uscc, y) counts for its own county,
-- the counties of the parcels it holds or leases and those of their holders.
CREATE FUNCTION parcel_gov.evaluation_mark_rows()
    RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                         ELSE '(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)' END;
    firms text;                 -- SELECT uscc, y
    counties text;              -- SELECT county, y
    any_rows boolean;
    n_rows bigint;
BEGIN
    IF TG_TABLE_NAME = 'register' AND parcel_gov.evaluation_engine_writing() THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'TRUNCATE' AND TG_ARGV[0] <> 'all' THEN
        EXECUTE format('SELECT count(*) FROM %s', CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END)
        INTO STRICT n_rows;
    END IF;
    IF TG_OP = 'TRUNCATE' OR TG_ARGV[0] = 'all' THEN
        IF TG_OP <> 'TRUNCATE' THEN
            EXECUTE format('SELECT EXISTS (SELECT FROM %s t)', r) INTO STRICT any_rows;
            IF NOT any_rows THEN
                RETURN NULL;
            END IF;
        END IF;
        counties := 'SELECT ''''::text, 0';
    ELSIF n_rows > 50000 THEN
        -- A statement of many rows (a province's first run, a bulk load)
        -- marks every county: it touches most of them, and following each
        -- row to its counties cost 8 s for a new year's 500,000 results at
        -- 1,000,000 parcels.
        counties := CASE WHEN TG_TABLE_NAME IN ('enterprise_year', 'evaluation')
                         THEN format('SELECT '''', min(t.year) FROM %s t', r) ELSE 'SELECT '''', 0' END;
    ELSE
        CASE TG_TABLE_NAME
        WHEN 'enterprise' THEN
            firms := format('SELECT t.uscc, 0 FROM %s t', r);
            counties := format('SELECT t.region_code, 0 FROM %s t', r);
        WHEN 'enterprise_year' THEN
            firms := format('SELECT t.uscc, min(t.year) FROM %s t GROUP BY t.uscc', r);
        WHEN 'evaluation' THEN
            -- other counties' runs and later years read a result's existence
            -- and these columns alone: an update of a score or a rank
            -- (every firm of a pool whose benchmark moved) marks nothing
            firms := CASE TG_OP WHEN 'UPDATE' THEN
                'SELECT x.uscc, min(x.year) FROM new_rows n JOIN old_rows o ON o.id = n.id '
                'CROSS JOIN LATERAL (VALUES (n.uscc, n.year), (o.uscc, o.year)) AS x (uscc, year) '
                'WHERE (n.uscc, n.year, n.tax_per_mu, n.area_mu, n.grade, n.pool, n.rule_set_id) IS DISTINCT FROM '
                '(o.uscc, o.year, o.tax_per_mu, o.area_mu, o.grade, o.pool, o.rule_set_id) GROUP BY x.uscc'
                ELSE format('SELECT t.uscc, min(t.year) FROM %s t GROUP BY t.uscc', r) END;
        WHEN 'parcel' THEN
            counties := format('SELECT left(t.region_code, 6), 0 FROM %1$s t '
                               'UNION SELECT h.region_code, 0 FROM %1$s t JOIN parcel_gov.enterprise h ON h.uscc = t.holder_uscc '
                               'UNION SELECT e.region_code, 0 FROM %1$s t JOIN parcel_gov.lease l ON l.parcel_code = t.code '
                               'JOIN parcel_gov.enterprise e ON e.uscc = l.lessee_uscc', r);
        WHEN 'lease' THEN
            counties := format('SELECT left(p.region_code, 6), 0 FROM %1$s t JOIN parcel_gov.parcel p ON p.code = t.parcel_code '
                               'UNION SELECT h.region_code, 0 FROM %1$s t JOIN parcel_gov.parcel p ON p.code = t.parcel_code '
                               'JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc '
                               'UNION SELECT e.region_code, 0 FROM %1$s t JOIN parcel_gov.enterprise e ON e.uscc = t.lessee_uscc', r);
        WHEN 'register', 'issue' THEN
            counties := format('SELECT DISTINCT left(p.region_code, 6), 0 FROM %s t '
                               'JOIN parcel_gov.parcel p ON p.code = t.parcel_code', r);
        END CASE;
    END IF;
    IF firms IS NOT NULL THEN
        firms := format('WITH f (uscc, y) AS (%s) '
                        'SELECT e.region_code, f.y FROM f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc '
                        'UNION ALL SELECT left(p.region_code, 6), f.y FROM f JOIN parcel_gov.parcel p ON p.holder_uscc = f.uscc '
                        'UNION ALL SELECT left(p.region_code, 6), f.y FROM f JOIN parcel_gov.lease l ON l.lessee_uscc = f.uscc '
                        'JOIN parcel_gov.parcel p ON p.code = l.parcel_code '
                        'UNION ALL SELECT h.region_code, f.y FROM f JOIN parcel_gov.lease l ON l.lessee_uscc = f.uscc '
                        'JOIN parcel_gov.parcel p ON p.code = l.parcel_code JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc',
                        firms);
        counties := CASE WHEN counties IS NULL THEN firms ELSE counties || ' UNION ALL (' || firms || ')' END;
    END IF;
    EXECUTE format('INSERT INTO parcel_gov.evaluation_mark AS m (county, from_year, xid, seq) '
                   'SELECT c.county, min(c.y), pg_current_xact_id(), nextval(''parcel_gov.evaluation_mark_seq'') '
                   'FROM (%s) AS c (county, y) WHERE c.county IS NOT NULL GROUP BY c.county '
                   'ON CONFLICT (county, from_year, xid) DO UPDATE SET seq = EXCLUDED.seq', counties);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_rows() IS
  'internal: trigger on the engine''s input tables (and on evaluation, whose rows other counties'' registers and later years read: existence, tax_per_mu, area_mu, grade, pool, rule_set_id): marks the counties the statement''s rows touch, from their year on (argument ''all'', or more than 50,000 rows: every county)';

-- The replication workers fire row triggers only, not statement ones: each
-- row a subscription applies marks what evaluation_mark_rows marks for a
-- statement of it, here in static SQL (planned once per worker) and each
-- county and first year once per transaction (a transaction-local setting
-- remembers them), so a county's initial copy or its run of a year costs
-- a lookup or two a row.
CREATE FUNCTION parcel_gov.evaluation_mark_applied()
    RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    firm text;                  -- a firm: its county, and those of the land it holds or leases
    y integer := 0;             -- from which year on
    touched text[] := '{}';     -- county:year
    done text := coalesce(current_setting('parcel_gov.applied_marks', true), '');
BEGIN
    IF TG_ARGV[0] = 'all' THEN
        touched := ARRAY[':0'];
    ELSE
        -- (a row's fields are read in statements of their own: each table has its columns)
        IF TG_TABLE_NAME = 'evaluation' AND TG_OP = 'UPDATE' THEN
            IF (NEW.uscc, NEW.year, NEW.tax_per_mu, NEW.area_mu, NEW.grade, NEW.pool, NEW.rule_set_id)
               IS NOT DISTINCT FROM (OLD.uscc, OLD.year, OLD.tax_per_mu, OLD.area_mu, OLD.grade, OLD.pool, OLD.rule_set_id) THEN
                RETURN NULL;    -- a score or a rank: nothing another county reads
            END IF;
        END IF;
        FOR pass IN 1 .. 2 LOOP
            CONTINUE WHEN (pass = 1 AND TG_OP = 'DELETE') OR (pass = 2 AND TG_OP = 'INSERT');
            IF pass = 1 THEN
                r := NEW;
            ELSE
                r := OLD;
            END IF;
            firm := NULL;
            IF TG_TABLE_NAME = 'enterprise' THEN
                firm := r.uscc;
                y := 0;
                touched := touched || (r.region_code || ':0');
            ELSIF TG_TABLE_NAME IN ('enterprise_year', 'evaluation') THEN
                firm := r.uscc;
                y := r.year;
            ELSIF TG_TABLE_NAME = 'parcel' THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':0' FROM (
                        SELECT left(r.region_code, 6) AS c
                        UNION SELECT h.region_code FROM parcel_gov.enterprise h WHERE h.uscc = r.holder_uscc
                        UNION SELECT e.region_code FROM parcel_gov.lease l JOIN parcel_gov.enterprise e ON e.uscc = l.lessee_uscc
                        WHERE l.parcel_code = r.code) AS x);
            ELSIF TG_TABLE_NAME = 'lease' THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':0' FROM (
                        SELECT left(p.region_code, 6) AS c FROM parcel_gov.parcel p WHERE p.code = r.parcel_code
                        UNION SELECT h.region_code FROM parcel_gov.parcel p JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc
                        WHERE p.code = r.parcel_code
                        UNION SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = r.lessee_uscc) AS x);
            ELSE                -- register, issue
                touched := touched || ARRAY(SELECT left(p.region_code, 6) || ':0' FROM parcel_gov.parcel p
                                            WHERE p.code = r.parcel_code);
            END IF;
            IF firm IS NOT NULL THEN
                touched := touched || ARRAY(
                    SELECT x.c || ':' || y FROM (
                        SELECT e.region_code AS c FROM parcel_gov.enterprise e WHERE e.uscc = firm
                        UNION SELECT left(p.region_code, 6) FROM parcel_gov.parcel p WHERE p.holder_uscc = firm
                        UNION SELECT left(p.region_code, 6) FROM parcel_gov.lease l
                              JOIN parcel_gov.parcel p ON p.code = l.parcel_code WHERE l.lessee_uscc = firm
                        UNION SELECT h.region_code FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
                              JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc WHERE l.lessee_uscc = firm) AS x);
            END IF;
        END LOOP;
    END IF;
    -- the county-years not marked yet by this transaction
    touched := ARRAY(SELECT DISTINCT t FROM unnest(touched) AS t
                     WHERE t IS NOT NULL AND NOT t = ANY (string_to_array(done, ',')));
    IF cardinality(touched) = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO parcel_gov.evaluation_mark AS m (county, from_year, xid, seq)
    SELECT split_part(t, ':', 1), min(split_part(t, ':', 2)::integer), pg_current_xact_id(),
           nextval('parcel_gov.evaluation_mark_seq')
    FROM unnest(touched) AS t GROUP BY split_part(t, ':', 1)
    ON CONFLICT (county, from_year, xid) DO UPDATE SET seq = EXCLUDED.seq;
    PERFORM set_config('parcel_gov.applied_marks', concat_ws(',', nullif(done, ''), array_to_string(touched, ',')), true);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_applied() IS
  'internal: row trigger on the engine''s input tables that fires in logical replication workers only (ENABLE REPLICA, WHEN applying_subscription()): marks the counties of each applied row as evaluation_mark_rows marks a statement''s, each county and first year once per transaction';

-- Four statement triggers per input table: transition tables allow one event each.
-- Also for changes made in replica mode (a DBA's, a restore's): a change no
-- trigger saw would leave stale results.  A logical replication worker
-- fires no statement trigger while it applies a publisher's changes (only
-- for its initial copy, which is a COPY): a row trigger marks what it
-- applies, and only there (its WHEN clause), so that a bulk load in replica
-- mode keeps its speed and the engine its bulk inserts (bulk_insert.c).
CREATE FUNCTION parcel_gov.evaluation_mark_triggers(tbl regclass, scope text DEFAULT 'rows')
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER evaluation_mark_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_truncate AFTER TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_mark_rows(%L)', tbl, scope);
    EXECUTE format('CREATE TRIGGER evaluation_mark_applied AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW WHEN (parcel_gov.applying_subscription() IS NOT NULL) '
                   'EXECUTE FUNCTION parcel_gov.evaluation_mark_applied(%L)', tbl, scope);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER evaluation_mark_insert, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_update, ENABLE ALWAYS TRIGGER evaluation_mark_delete, '
                   'ENABLE ALWAYS TRIGGER evaluation_mark_truncate, ENABLE REPLICA TRIGGER evaluation_mark_applied', tbl);
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_mark_triggers(regclass, text) IS
  'internal, for the install and update scripts: the change-mark triggers of an input table (scope rows: the counties of its rows; all: every county), and the row trigger that marks the rows a logical replication worker applies';

SELECT parcel_gov.evaluation_mark_triggers(t::regclass)
FROM unnest(ARRAY['parcel_gov.enterprise', 'parcel_gov.enterprise_year', 'parcel_gov.parcel', 'parcel_gov.lease',
                  'parcel_gov.register', 'parcel_gov.issue', 'parcel_gov.evaluation']) AS t;
SELECT parcel_gov.evaluation_mark_triggers(t::regclass, 'all')
FROM unnest(ARRAY['parcel_gov.region', 'parcel_gov.rule_set', 'parcel_gov.rule_pool', 'parcel_gov.rule_indicator',
                  'parcel_gov.rule_industry_group', 'parcel_gov.rule_issue']) AS t;

-- The counties of a prefix a run of the year would evaluate (those with a
-- state, and those with figures of the year), and whether each is dirty.
CREATE FUNCTION parcel_gov.evaluation_counties(year integer, prefix text)
    RETURNS TABLE (county text, evaluated boolean, dirty boolean)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH RECURSIVE overdue AS (
        -- open issues past their deadline since the oldest run's date
        SELECT left(p.region_code, 6) AS county, i.deadline
        FROM parcel_gov.issue i JOIN parcel_gov.parcel p ON p.code = i.parcel_code
        WHERE i.closed IS NULL AND i.deadline < current_date
          AND i.deadline >= (SELECT min(s.run_date) FROM parcel_gov.evaluation_state s
                             WHERE s.year = evaluation_counties.year AND starts_with(s.county, evaluation_counties.prefix))
    ),
    -- the counties with firms, by a probe of enterprise_region_idx per county
    -- (read only when a county has no state: a hash of every firm's county
    -- cost 110 ms of each call at 500,000 firms)
    firm_counties (code) AS (
        SELECT min(e.region_code) FROM parcel_gov.enterprise e
        WHERE starts_with(e.region_code, evaluation_counties.prefix)
        UNION ALL
        SELECT (SELECT min(e.region_code) FROM parcel_gov.enterprise e
                WHERE e.region_code > c.code AND starts_with(e.region_code, evaluation_counties.prefix))
        FROM firm_counties c WHERE c.code IS NOT NULL
    )
    SELECT r.code, s.year IS NOT NULL,
           s.year IS NULL
           OR s.version IS DISTINCT FROM (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'parcel_gov')
           OR EXISTS (SELECT FROM parcel_gov.evaluation_mark m
                      WHERE m.county IN (s.county, '') AND m.from_year <= s.year
                        AND CASE WHEN m.xid = s.xid THEN m.seq > s.seq
                                 ELSE NOT pg_visible_in_snapshot(m.xid, s.snapshot) END)
           OR EXISTS (SELECT FROM overdue o WHERE o.county = s.county AND o.deadline >= s.run_date)
    FROM parcel_gov.region r
    LEFT JOIN parcel_gov.evaluation_state s ON s.year = evaluation_counties.year AND s.county = r.code
    WHERE length(r.code) = 6 AND starts_with(r.code, evaluation_counties.prefix)
      AND (s.year IS NOT NULL
           -- a county not evaluated yet: one with firms, and of them those
           -- with figures of the year
           OR (r.code IN (SELECT c.code FROM firm_counties c)
               AND EXISTS (SELECT FROM parcel_gov.enterprise e JOIN parcel_gov.enterprise_year f ON f.uscc = e.uscc
                           WHERE e.region_code = r.code AND f.year = evaluation_counties.year)));
END;
COMMENT ON FUNCTION parcel_gov.evaluation_counties(integer, text) IS
  'internal, for evaluate(): the counties of a region prefix a run of the year covers (evaluated before, or with figures of the year), whether each has a state and whether its inputs changed since (dirty)';

-- After a run of a county: its state, and the marks no state needs any more.
CREATE FUNCTION parcel_gov.evaluation_state_keep(year integer, counties text[], snap pg_snapshot)
    RETURNS void
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO parcel_gov.evaluation_state AS s (year, county, snapshot, xid, seq, run_date, version)
    SELECT evaluation_state_keep.year, c, snap, pg_current_xact_id(), nextval('parcel_gov.evaluation_mark_seq'),
           current_date, (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'parcel_gov')
    FROM unnest(counties) AS c
    ON CONFLICT (year, county) DO UPDATE
    SET snapshot = EXCLUDED.snapshot, xid = EXCLUDED.xid, seq = EXCLUDED.seq, run_date = EXCLUDED.run_date,
        version = EXCLUDED.version, evaluated_at = EXCLUDED.evaluated_at;
END;
COMMENT ON FUNCTION parcel_gov.evaluation_state_keep(integer, text[], pg_snapshot) IS
  'internal, for evaluate(): records the state of counties just evaluated (the snapshot taken before the engine read them)';

-- Marks that leave no state dirty can dirty nothing later: a state written
-- after them sees them.  Only while no other evaluate() is under way (each
-- holds ROW EXCLUSIVE on evaluation_state from before its first snapshot): a
-- run whose state is not yet committed may have missed a mark.
CREATE FUNCTION parcel_gov.evaluation_marks_prune()
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pruned bigint;
BEGIN
    BEGIN
        LOCK TABLE parcel_gov.evaluation_state IN SHARE MODE NOWAIT;
    EXCEPTION WHEN lock_not_available THEN
        RETURN 0;               -- another run is under way: the next run prunes
    END;
    DELETE FROM parcel_gov.evaluation_mark m
    WHERE NOT EXISTS (SELECT FROM parcel_gov.evaluation_state s
                      WHERE m.county IN (s.county, '') AND m.from_year <= s.year
                        AND CASE WHEN m.xid = s.xid THEN m.seq > s.seq
                                 ELSE NOT pg_visible_in_snapshot(m.xid, s.snapshot) END);
    GET DIAGNOSTICS pruned = ROW_COUNT;
    RETURN pruned;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluation_marks_prune() IS
  'internal, for evaluate(): deletes the change marks that leave no county dirty (unless another run is under way); returns how many';

-- uscc included: a county's firms are probed for figures of the year index-only
CREATE INDEX enterprise_region_idx ON parcel_gov.enterprise (region_code) INCLUDE (uscc);
-- internal: the owner's (evaluate() runs as the owner)
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluation_engine_writing(), parcel_gov.evaluation_mark_triggers(regclass, text),
                           parcel_gov.evaluation_counties(integer, text),
                           parcel_gov.evaluation_state_keep(integer, text[], pg_snapshot),
                           parcel_gov.evaluation_marks_prune() FROM PUBLIC;
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
SELECT r.fid, r.parcel_code::text AS parcel_code, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name,
       r.state::text AS state, parcel_gov.label(r.state) AS state_label,
       r.kinds::text[] AS kinds, array_to_string(r.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(r.kinds) AS kind_labels, array_to_string(parcel_gov.label(r.kinds), '、') AS kind_labels_text,
       r.batch::text AS batch, parcel_gov.label(r.batch) AS batch_label, r.plan, r.deadline,
       r.state_since, current_date - r.state_since::date AS days_in_state,
       r.entered_at, r.exited_at, r.exit_reason, r.clears_thresholds, r.evaluated_year,
       p.area_mu, p.geom, p.lon, p.lat, r.route::text AS route, parcel_gov.label(r.route) AS route_label
FROM parcel_gov.register r
JOIN parcel_gov.parcel p ON p.code = r.parcel_code
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code;
COMMENT ON VIEW parcel_gov.v_register IS
  '低效工业用地数据库: each registered parcel''s state (调查核实 … 出库), kinds (低效类型), batch (四个一批) and disposal route (处置路径), days in its state, entry (入库) and exit (出库), area and geometry';
-- 一企一策 (one plan per firm): for every graded firm below the top grade,
-- how far it stands from the next better grade in its pool and what alone
-- would take it there: more tax, more value added, or land given back
-- (腾笼换鸟); and how far its per-mu tax stands from each tax tier bound of
-- its rule set (rule_set.tax_tier_bounds).
-- The pool's benchmarks, its mean scores given for missing figures (单位排放
-- 增加值 without emission data) and the other firms' scores stay where the
-- evaluation left them; the levers are computed in C (src/firm_lever.c)
-- with the engine's own arithmetic.

CREATE FUNCTION parcel_gov.score_lever(lever text, target double precision, figures double precision[],
                                       area_mu double precision, land_floor_mu double precision,
                                       scoring double precision[], scores double precision[],
                                       bonus double precision, deduction double precision,
                                       rental_deduction double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'score_lever'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.score_lever(text, double precision, double precision[], double precision, double precision,
                                           double precision[], double precision[], double precision, double precision,
                                           double precision) IS
  '一企一策 lever (v_firm_plan computes the arguments): the least extra tax or value added (万元, whole cents) or land to give back (亩, hundredths, the firm keeping at least its pool''s land floor) that alone lifts the score to target, with benchmarks fixed; figures tax … electricity_kwh, water_t, cod_t, main_revenue as in enterprise_year; scoring [12][6] per indicator: weight (NULL not scored), minmax, benchmark, lo, hi, cap; scores the stored indicator scores (kept where a figure is missing); NULL when no amount can';

CREATE FUNCTION parcel_gov.per_mu_lever(lever text, amount double precision, area_mu double precision,
                                        bound double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'per_mu_lever'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.per_mu_lever(text, double precision, double precision, double precision) IS
  '一企一策 tier lever: the least extra amount (lever tax, 万元 in whole cents) or land to give back (lever land, 亩 in hundredths, keeping some land) that brings amount ÷ area_mu to bound; 0 when there already; NULL when no land can (amount ≤ 0)';

-- A tier lever under a rule set's reading of a figure on a bound: where 以下
-- includes the bound (tax_tier_includes_bound), reaching it is not leaving
-- the tier, so the lever takes one more cent (or hundredth of a mu).
CREATE FUNCTION parcel_gov.tier_lever(lever text, amount double precision, area_mu double precision,
                                      bound double precision, includes_bound boolean)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN NOT includes_bound OR NOT area_mu > 0
            THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound)
            WHEN lever = 'tax' AND (amount + parcel_gov.per_mu_lever(lever, amount, area_mu, bound)) / area_mu <= bound
            THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound) + 0.01
            WHEN lever = 'land' AND amount / (area_mu - parcel_gov.per_mu_lever(lever, amount, area_mu, bound)) <= bound
            THEN CASE WHEN area_mu - parcel_gov.per_mu_lever(lever, amount, area_mu, bound) > 0.01
                      THEN parcel_gov.per_mu_lever(lever, amount, area_mu, bound) + 0.01 END
            ELSE parcel_gov.per_mu_lever(lever, amount, area_mu, bound) END;
COMMENT ON FUNCTION parcel_gov.tier_lever(text, double precision, double precision, double precision, boolean) IS
  '一企一策 tier lever under a rule set''s reading: per_mu_lever to the bound, or, when includes_bound (以下 includes the bound), the least amount that takes the per-mu figure above it (one more cent or hundredth of a mu); NULL when no amount can';

-- What v_firm_plan and the tiles compute the levers from, one row per
-- graded firm and year below the top grade: the next grade's line, the
-- firm's figures and stored scores, its pool's scoring.  A SQL function of
-- one query, so the planner inlines it: a filter on year or region reaches
-- the tables, and a lever is computed only for the rows a query keeps.
CREATE FUNCTION parcel_gov.firm_plan_inputs()
    RETURNS TABLE (id bigint, year integer, uscc text, region_code text, pool parcel_gov.size_class,
                   industry_group text, grade parcel_gov.grade, next_grade parcel_gov.grade,
                   score double precision, next_grade_score double precision, area_mu double precision,
                   tax double precision, tax_per_mu double precision, veto_reason text,
                   land_floor_mu double precision, va_scored boolean, figures double precision[],
                   scoring double precision[], scores double precision[], bonus double precision,
                   deduction double precision, rental_deduction double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH ranked AS (
        -- the lowest score holding each grade in the firm's ranking group: ties
        -- share the better grade, so reaching it is enough
        SELECT e.*,
               min(e.score) FILTER (WHERE e.grade_initial = 'A') OVER ranking AS a_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'B') OVER ranking AS b_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'C') OVER ranking AS c_score
        FROM parcel_gov.evaluation e
        WHERE e.grade_initial IS NOT NULL
        WINDOW ranking AS (PARTITION BY e.year, e.region_code, e.pool, e.rule_set_id, e.industry_group)
    ), below_top AS (
        SELECT r.*, n.next_grade, n.next_grade_score
        FROM ranked r
        -- the nearest better grade some firm holds (a grade no firm holds, its quota rounding to none, is skipped)
        LEFT JOIN LATERAL (
            SELECT g.grade AS next_grade, g.score AS next_grade_score
            FROM (VALUES ('A'::parcel_gov.grade, r.a_score), ('B', r.b_score), ('C', r.c_score)) AS g (grade, score)
            WHERE g.grade < r.grade_initial AND g.score IS NOT NULL
            ORDER BY g.grade DESC LIMIT 1) AS n ON true
        WHERE r.grade_initial > 'A'
    ), scoring AS (
        -- each pool's scoring, per indicator in parcel_gov.indicator's order:
        -- weight (NULL: not scored), minmax, benchmark, lo, hi, cap.  Read from
        -- the benchmarks, not from the rows above: every subquery here is read
        -- once, so a filter on year or region reaches the tables
        SELECT p.year, p.region_code, p.pool, p.rule_set_id,
               array_agg(ARRAY[ri.weight, CASE WHEN ri.method = 'minmax' THEN 1 ELSE 0 END, b.benchmark, b.lo, b.hi, ri.cap]
                         ORDER BY k.n) AS scoring,
               min(rp.land_floor_mu) AS land_floor_mu, min(rp.land_floor_sections) AS land_floor_sections,
               coalesce(bool_or(ri.indicator IN ('va_per_mu', 'labour_productivity', 'va_per_energy', 'va_per_emission',
                                                 'va_per_water', 'va_per_cod')),
                        false) AS va_scored
        FROM (SELECT DISTINCT eb.year, eb.region_code, eb.pool, eb.rule_set_id FROM parcel_gov.evaluation_benchmark eb) AS p
        CROSS JOIN unnest(enum_range(NULL::parcel_gov.indicator)) WITH ORDINALITY AS k (indicator, n)
        LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = p.rule_set_id AND rp.pool = p.pool
        LEFT JOIN parcel_gov.rule_indicator ri
               ON ri.rule_set_id = p.rule_set_id AND ri.pool = p.pool AND ri.indicator = k.indicator
        LEFT JOIN parcel_gov.evaluation_benchmark b
               ON b.year = p.year AND b.region_code = p.region_code AND b.pool = p.pool
              AND b.rule_set_id = p.rule_set_id AND b.indicator = k.indicator
        GROUP BY p.year, p.region_code, p.pool, p.rule_set_id
    )
    SELECT t.id, t.year, t.uscc::text, t.region_code, t.pool, t.industry_group, t.grade_initial, t.next_grade,
           t.score, t.next_grade_score, t.area_mu, t.tax, t.tax_per_mu, t.veto_reason,
           -- the floor holds for the firm's GB/T 4754 section (上虞: 制造业), or for every firm
           CASE WHEN s.land_floor_sections IS NULL OR f.industry_code IS NULL
                     OR left(f.industry_code, 1) = ANY (s.land_floor_sections)
                THEN s.land_floor_mu ELSE 0 END, s.va_scored,
           ARRAY[fy.tax, fy.value_added, fy.revenue, fy.rd_expense, fy.staff, fy.energy_tce, fy.emission_t,
                 fy.electricity_kwh, fy.water_t, fy.cod_t, fy.main_revenue],
           s.scoring,
           ARRAY[t.score_tax_per_mu, t.score_va_per_mu, t.score_revenue_per_mu, t.score_labour_productivity,
                 t.score_va_per_energy, t.score_va_per_emission, t.score_rd_intensity, t.score_tax_per_kwh,
                 t.score_revenue_per_kwh, t.score_va_per_water, t.score_va_per_cod, t.score_rd_intensity_main],
           t.bonus, t.deduction, t.rental_deduction
    FROM below_top t
    JOIN scoring s ON s.year = t.year AND s.region_code = t.region_code AND s.pool = t.pool
                  AND s.rule_set_id = t.rule_set_id
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = t.uscc AND fy.year = t.year
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = t.uscc;
END;
COMMENT ON FUNCTION parcel_gov.firm_plan_inputs() IS
  '一企一策 internal: per graded firm and year below the top grade, the next grade''s line and what score_lever needs (figures, the pool''s scoring, the stored scores); inlined into v_firm_plan and parcel_tile';

CREATE VIEW parcel_gov.v_firm_plan WITH (security_invoker = true) AS
SELECT i.id AS fid, i.year, i.uscc, f.name, i.region_code, rg.name AS region_name,
       i.pool::text AS pool,
       parcel_gov.pool_label(i.pool, (SELECT e.rule_set_id FROM parcel_gov.evaluation e WHERE e.id = i.id)) AS pool_label,
       i.industry_group,
       i.grade::text AS grade, parcel_gov.label(i.grade) AS grade_label,
       i.next_grade::text AS next_grade, parcel_gov.label(i.next_grade) AS next_grade_label,
       i.score, i.next_grade_score, greatest(i.next_grade_score - i.score, 0) AS score_gap,
       parcel_gov.score_lever('tax', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS tax_needed,
       parcel_gov.score_lever('value_added', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring,
                              i.scores, i.bonus, i.deduction, i.rental_deduction) AS va_needed,
       parcel_gov.score_lever('land', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring, i.scores,
                              i.bonus, i.deduction, i.rental_deduction) AS land_to_release_mu,
       i.area_mu, i.tax, i.tax_per_mu,
       parcel_gov.tax_tier(i.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(i.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       -- the columns keep the default's numbers in their names; the bounds are the rule set's
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[1],
                             rs.tax_tier_includes_bound) AS tax_needed_5,
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[2],
                             rs.tax_tier_includes_bound) AS tax_needed_10,
       parcel_gov.tier_lever('tax', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[3],
                             rs.tax_tier_includes_bound) AS tax_needed_15,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[1],
                             rs.tax_tier_includes_bound) AS land_to_release_5,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[2],
                             rs.tax_tier_includes_bound) AS land_to_release_10,
       parcel_gov.tier_lever('land', coalesce(i.tax, 0), i.area_mu, rs.tax_tier_bounds[3],
                             rs.tax_tier_includes_bound) AS land_to_release_15,
       i.land_floor_mu, i.va_scored, i.veto_reason
FROM parcel_gov.firm_plan_inputs() AS i
JOIN parcel_gov.enterprise f ON f.uscc = i.uscc
-- the evaluation's rule set, for its tax tiers
LEFT JOIN parcel_gov.evaluation ev ON ev.id = i.id
LEFT JOIN parcel_gov.rule_set rs ON rs.id = ev.rule_set_id
LEFT JOIN parcel_gov.region rg ON rg.code = i.region_code;
COMMENT ON VIEW parcel_gov.v_firm_plan IS
  '一企一策 firm plans: every graded firm below the top grade, per year: the next better grade in its ranking group, the score that holds it, and what alone would reach it: more tax (tax_needed, 万元), more value added (va_needed, 万元) or land given back (land_to_release_mu, 亩; NULL when none can); and the tax or land to reach each of the rule set''s tax tier bounds (tax_tier_bounds, 5/10/15 万元/亩 by default: the columns _5, _10, _15 are the first, second and third bound; where 以下 includes the bound, one cent more leaves the tier). The pool''s benchmarks, its mean scores given for missing figures and the other firms'' scores are held as evaluated; each lever passes through every indicator it feeds, with the rule''s weights, caps and missing-figure scores; amounts are the least whole cents or hundredths of a mu';
COMMENT ON COLUMN parcel_gov.v_firm_plan.fid IS '编号: the evaluation row''s id (a key for GIS and BI tools)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade IS '初评等级: the grade by rank in the pool (before a veto)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.grade_label IS '初评等级名称: the grade by rank in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade IS '目标等级: the next better grade some firm of the ranking group holds';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_label IS '目标等级名称: the next better grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_firm_plan.next_grade_score IS '升档分数线: the lowest score holding the next grade in the ranking group that year (reaching it is enough: ties share the better grade)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score_gap IS '分差: points short of the next grade';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed IS '需增税收 (万元): extra tax that alone reaches the next grade (tax feeds 亩均税收 and 单位电耗税收); NULL when no amount can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_needed IS '需增增加值 (万元): extra value added that alone reaches the next grade (feeds 亩均增加值, 全员劳动生产率, 单位能耗/排放增加值); NULL where value added is not scored or cannot reach it';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_mu IS '需退出用地 (亩): land to lease out or give back that alone reaches the next grade (raises every per-mu indicator; the firm keeps its pool''s land floor); NULL when no amount of land can';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_5 IS '至第一档线需增税收 (万元): extra tax to reach the rule set''s first tax tier bound (5 万元/亩 by default) on the current land (0 when there)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_10 IS '至第二档线需增税收 (万元): extra tax to reach the rule set''s second tax tier bound (10 万元/亩 by default) on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.tax_needed_15 IS '至第三档线需增税收 (万元): extra tax to reach the rule set''s third tax tier bound (15 万元/亩 by default) on the current land';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_5 IS '至第一档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s first tax tier bound (5 万元/亩 by default); NULL without tax';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_10 IS '至第二档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s second tax tier bound (10 万元/亩 by default)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_to_release_15 IS '至第三档线需退出用地 (亩): land to give back for the current tax to reach the rule set''s third tax tier bound (15 万元/亩 by default)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.va_scored IS '考核增加值: value added feeds a scored indicator of the pool (else va_needed is NULL)';
COMMENT ON COLUMN parcel_gov.v_firm_plan.land_floor_mu IS '参评用地下限 (亩): the pool''s land floor, which land given back may not cross';
COMMENT ON COLUMN parcel_gov.v_firm_plan.score IS '综合得分: the score of the evaluation';

-- An amount an officer reads out: rounded up to hundredths, so that the
-- sentence stays true (more tax or less land only helps).
CREATE FUNCTION parcel_gov.plan_amount(x double precision)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (ceil(x::numeric * 100) / 100)::numeric(20, 2)::text;
COMMENT ON FUNCTION parcel_gov.plan_amount(double precision) IS
  '一企一策: an amount as firm_plan reads it out, rounded up to hundredths (so the sentence stays true)';

-- A figure as firm_plan shows it: four significant digits (a tax per kWh
-- is 0.0002637, a tax per mu 10.98).
CREATE FUNCTION parcel_gov.plan_figure(x double precision)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN x = 0 THEN '0'
            ELSE round(x::numeric, greatest(2, 3 - floor(log(abs(x::numeric)))::integer))::text END;
COMMENT ON FUNCTION parcel_gov.plan_figure(double precision) IS
  '一企一策: a figure as firm_plan shows it, to four significant digits (at least two decimals)';

-- One firm's page: where it stands, each lever in a sentence (Chinese and
-- English) an officer can read to the firm, its indicators against the
-- pool's benchmarks, and its grades over the years evaluated.
CREATE FUNCTION parcel_gov.firm_plan(uscc text, year integer DEFAULT NULL)
    RETURNS TABLE (section text, item text, value double precision, reference double precision, unit text,
                   sentence text, sentence_en text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firm constant text := firm_plan.uscc;
    y integer := firm_plan.year;
    e record;
    p record;
    next_text text;
BEGIN
    IF firm IS NULL THEN
        RAISE EXCEPTION 'firm_plan needs a firm''s code' USING ERRCODE = '22004',
            HINT = 'e.g. firm_plan(''91330604MA2C00089F'', 2024).';
    END IF;
    IF y IS NULL THEN
        SELECT max(v.year) INTO y FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm;
    END IF;
    SELECT * INTO e FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm AND v.year = y;
    IF NOT FOUND THEN
        -- another county's firm is as absent as one that does not exist
        RAISE EXCEPTION 'no evaluation of firm % in %', firm, coalesce(y::text, 'any year') USING ERRCODE = '22023',
            HINT = 'SELECT uscc, year FROM parcel_gov.v_enterprise_evaluation lists the firms and years you may see.';
    END IF;
    SELECT * INTO p FROM parcel_gov.v_firm_plan v WHERE v.uscc = firm AND v.year = y AND v.region_code = e.region_code;

    -- where it stands
    IF e.grade_initial IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', NULL::float8, NULL::float8, NULL::text,
            format('%s 年未参评：%s', y, e.not_graded), format('Not graded in %s: %s', y, e.not_graded);
    ELSIF p IS NULL OR p.next_grade IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', e.score, NULL::float8, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s），分组内无更高等级可升。', y, round(e.score::numeric, 2),
                   e.grade_initial, e.grade_initial_label),
            format('Score %s in %s, grade %s: no better grade to reach in its pool.', round(e.score::numeric, 2), y,
                   e.grade_initial);
    ELSE
        next_text := format('%s 类（%s）', p.next_grade, p.next_grade_label);
        RETURN QUERY SELECT 'standing', 'grade', p.score, p.next_grade_score, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s）；升至 %s需 %s 分，差 %s 分。', y, round(p.score::numeric, 2),
                   p.grade, p.grade_label, next_text, round(p.next_grade_score::numeric, 2),
                   parcel_gov.plan_amount(p.score_gap)),
            format('Score %s in %s, grade %s; grade %s needs %s: %s points short.', round(p.score::numeric, 2), y,
                   p.grade, p.next_grade, round(p.next_grade_score::numeric, 2), parcel_gov.plan_amount(p.score_gap));
        IF e.veto_reason IS NOT NULL THEN
            RETURN QUERY SELECT 'standing', 'veto', NULL::float8, NULL::float8, NULL::text,
                format('一票否决（%s）：最终等级为 D 类，须先消除否决事项。', e.veto_reason),
                format('Vetoed (%s): the final grade is D until the veto is lifted.', e.veto_reason);
        END IF;
        -- each lever alone, then the three in one sentence
        RETURN QUERY SELECT 'lever', 'tax', p.tax_needed, NULL::float8, '万元',
            CASE WHEN p.tax_needed IS NULL THEN format('仅增加税收无法升至 %s。', next_text)
                 ELSE format('再缴税 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.tax_needed), next_text) END,
            CASE WHEN p.tax_needed IS NULL THEN format('No amount of tax alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more tax alone lifts it to grade %s.', parcel_gov.plan_amount(p.tax_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'value_added', p.va_needed, NULL::float8, '万元',
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN '本分组不考核工业增加值。'
                 WHEN p.va_needed IS NULL THEN format('仅增加工业增加值无法升至 %s。', next_text)
                 ELSE format('工业增加值再增 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.va_needed), next_text) END,
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN 'Value added is not scored in this pool.'
                 WHEN p.va_needed IS NULL THEN format('No amount of value added alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more value added alone lifts it to grade %s.', parcel_gov.plan_amount(p.va_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'land', p.land_to_release_mu, p.area_mu, '亩',
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('退出用地无法升至 %s（须保留参评下限 %s 亩）。', next_text, p.land_floor_mu)
                 ELSE format('退出（出租或交回）用地 %s 亩，可升至 %s。', parcel_gov.plan_amount(p.land_to_release_mu),
                             next_text) END,
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('No land given back lifts it to grade %s (it keeps at least %s mu).', p.next_grade,
                             p.land_floor_mu)
                 ELSE format('Giving back %s mu (leased out or returned) alone lifts it to grade %s.',
                             parcel_gov.plan_amount(p.land_to_release_mu), p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'any', NULL::float8, NULL::float8, NULL::text,
            concat_ws('，或', '再缴税 ' || parcel_gov.plan_amount(p.tax_needed) || ' 万元',
                      '工业增加值再增 ' || parcel_gov.plan_amount(p.va_needed) || ' 万元',
                      '退出 ' || parcel_gov.plan_amount(p.land_to_release_mu) || ' 亩')
              || format('，可升至 %s。', next_text),
            concat_ws(', or ', parcel_gov.plan_amount(p.tax_needed) || ' 万元 more tax',
                      parcel_gov.plan_amount(p.va_needed) || ' 万元 more value added',
                      parcel_gov.plan_amount(p.land_to_release_mu) || ' mu given back')
              || format(' lifts it to grade %s.', p.next_grade)
        WHERE num_nonnulls(p.tax_needed, p.va_needed, p.land_to_release_mu) > 0;
    END IF;

    -- the tax tiers still above it
    RETURN QUERY
    SELECT 'tier', t.bound::text, l.tax, l.land, '万元 / 亩',
           format('亩均税收%s %s 万元/亩：再缴税 %s 万元', CASE WHEN rs.tax_tier_includes_bound THEN '超过' ELSE '达到' END,
                  t.bound, parcel_gov.plan_amount(l.tax))
             || coalesce(format('，或退出 %s 亩', parcel_gov.plan_amount(l.land)), '') || '。',
           format('To %s %s 万元/亩: %s 万元 more tax', CASE WHEN rs.tax_tier_includes_bound THEN 'rise above' ELSE 'reach' END,
                  t.bound, parcel_gov.plan_amount(l.tax))
             || coalesce(format(', or %s mu given back', parcel_gov.plan_amount(l.land)), '') || '.'
    FROM parcel_gov.rule_set rs
    -- the rule set's tiers still above it (a figure on a bound that 以下 includes is still under it)
    CROSS JOIN unnest(rs.tax_tier_bounds) AS t (bound)
    CROSS JOIN LATERAL (SELECT parcel_gov.tier_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound,
                                                     rs.tax_tier_includes_bound) AS tax,
                               parcel_gov.tier_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound,
                                                     rs.tax_tier_includes_bound) AS land) AS l
    WHERE rs.id = e.rule_set_id AND e.area_mu > 0
      AND (coalesce(e.tax_per_mu, 0) < t.bound OR (rs.tax_tier_includes_bound AND e.tax_per_mu = t.bound))
    ORDER BY t.bound;

    -- the indicators against the pool's benchmarks
    RETURN QUERY
    SELECT 'indicator', ri.indicator::text, (to_jsonb(e) ->> ri.indicator::text)::float8, b.benchmark, u.unit,
           format('%s %s，基准 %s，得 %s / %s 分', parcel_gov.label(ri.indicator),
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), '无数据'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight),
           format('%s %s against a benchmark of %s: %s of %s points', ri.indicator,
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), 'no figure'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight)
    FROM parcel_gov.rule_indicator ri
    LEFT JOIN parcel_gov.evaluation_benchmark b
           ON b.year = y AND b.region_code = e.region_code AND b.pool::text = e.pool
          AND b.rule_set_id = e.rule_set_id AND b.indicator = ri.indicator
    CROSS JOIN LATERAL (SELECT CASE WHEN ri.indicator::text LIKE '%per_mu' THEN '万元/亩'
                                    WHEN ri.indicator = 'labour_productivity' THEN '万元/人'
                                    WHEN ri.indicator = 'va_per_energy' THEN '万元/吨标煤'
                                    WHEN ri.indicator = 'va_per_emission' THEN '万元/吨'
                                    WHEN ri.indicator IN ('tax_per_kwh', 'revenue_per_kwh') THEN '万元/千瓦时'
                                    WHEN ri.indicator IN ('va_per_water', 'va_per_cod') THEN '万元/吨'
                                    ELSE '' END AS unit) AS u
    WHERE ri.rule_set_id = e.rule_set_id AND ri.pool::text = e.pool
    ORDER BY ri.indicator;

    -- the years evaluated
    RETURN QUERY
    SELECT 'trend', v.year::text, v.score, v.tax_per_mu, '分 / 万元每亩',
           format('%s 年：%s，得分 %s，亩均税收 %s 万元/亩', v.year,
                  coalesce(v.grade || ' 类', '未参评'), coalesce(round(v.score::numeric, 2)::text, '—'),
                  coalesce(round(v.tax_per_mu::numeric, 2)::text, '—')),
           format('%s: %s, score %s, tax per mu %s 万元', v.year, coalesce('grade ' || v.grade, 'not graded'),
                  coalesce(round(v.score::numeric, 2)::text, '—'), coalesce(round(v.tax_per_mu::numeric, 2)::text, '—'))
    FROM parcel_gov.v_enterprise_evaluation v
    WHERE v.uscc = firm
    ORDER BY v.year;
END $$;
COMMENT ON FUNCTION parcel_gov.firm_plan(text, integer) IS
  '一企一策 one firm''s page for a year (latest evaluated by default): where it stands against the next grade, each lever (tax, value added, land) in a sentence in Chinese and English with amounts rounded up, the tax tiers above it, its indicators against the pool''s benchmarks and its grades over the years; sections standing, lever, tier, indicator, trend';
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
SELECT p.fid * 10000 + ys.year AS fid, p.code::text AS code, ys.year, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool::text AS pool, parcel_gov.pool_label(h.pool, h.rule_set_id) AS pool_label,
       h.grade::text AS grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(u.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound))
         AS tax_tier_label,
       k.kinds::text[] AS kinds, array_to_string(k.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(k.kinds) AS kind_labels, array_to_string(parcel_gov.label(k.kinds), '、') AS kind_labels_text,
       k.batch::text AS batch, parcel_gov.label(k.batch) AS batch_label,
       r.state::text AS register_state, parcel_gov.label(r.state) AS register_state_label,
       p.geom, p.lon, p.lat, r.route::text AS route, parcel_gov.label(r.route) AS route_label
FROM parcel_gov.parcel p
JOIN parcel_gov.evaluation_summary ys ON ys.region_code = p.region_code
-- one row each, looked up by key (LIMIT 1 keeps the planner from hashing whole tables)
LEFT JOIN LATERAL (SELECT e.uscc, e.pool, e.grade, e.area_mu, e.tax_per_mu, e.va_per_mu, e.rule_set_id
                   FROM parcel_gov.evaluation e WHERE e.year = ys.year AND e.uscc = p.holder_uscc LIMIT 1) AS h ON true
LEFT JOIN LATERAL (SELECT fy.backward_capacity, fy.prohibited_industry, fy.scattered_polluting
                   FROM parcel_gov.enterprise_year fy WHERE fy.year = ys.year AND fy.uscc = p.holder_uscc LIMIT 1) AS fy ON true
LEFT JOIN LATERAL (SELECT e.name FROM parcel_gov.enterprise e WHERE e.uscc = p.holder_uscc LIMIT 1) AS f ON true
LEFT JOIN LATERAL (SELECT r.state, r.route FROM parcel_gov.register r WHERE r.parcel_code = p.code LIMIT 1) AS r ON true
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
-- view out of parallel plans): the parcel's own (persistent_low_land
-- 'parcel', the plan's 地块) or its holder's on its net land ('net')
CROSS JOIN LATERAL (
    SELECT CASE WHEN rs.persistent_low_land = 'parcel'
                THEN p.area_mu >= rs.persistent_low_min_mu AND u.tax_per_mu < rs.persistent_low_tax_per_mu
                ELSE h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu END
             AS this_year
) AS cand
LEFT JOIN LATERAL (
    SELECT max(e.tax_per_mu) AS worst
    FROM parcel_gov.evaluation e
    WHERE rs.persistent_low_land = 'net' AND cand.this_year
      AND e.year IN (ys.year - 1, ys.year - 2) AND e.uscc = p.holder_uscc
    HAVING count(e.tax_per_mu) = 2
    UNION ALL
    SELECT greatest(t.prev, t.prev2)
    FROM (SELECT parcel_gov.parcel_tax_per_mu(p.code, ys.year - 1) AS prev,
                 parcel_gov.parcel_tax_per_mu(p.code, ys.year - 2) AS prev2
          WHERE rs.persistent_low_land = 'parcel' AND cand.this_year) AS t
    WHERE t.prev IS NOT NULL AND t.prev2 IS NOT NULL
) AS before ON true
-- 问题清单: an open issue past its deadline, of a department whose overdue
-- issues the rule set sends to 关停退出 (looked up as the engine does)
LEFT JOIN LATERAL (
    SELECT true AS overdue
    FROM parcel_gov.issue i
    JOIN parcel_gov.rule_issue ri ON ri.rule_set_id = rs.id AND ri.department = i.department AND ri.shutdown_when_overdue
    WHERE i.parcel_code = p.code AND i.closed IS NULL AND i.deadline < current_date
    LIMIT 1
) AS iss ON true
CROSS JOIN LATERAL (
    SELECT kk.kinds,
           parcel_gov.four_batch(kk.kinds, fy.backward_capacity, p.fails_acceptance OR iss.overdue, p.plan_conforming,
                                 p.planned_industrial, p.building_condition,
                                 rs.scattered_polluting_batch, rs.collective_industrial_batch) AS batch
    FROM (SELECT parcel_gov.low_efficiency_kinds(
                   u.tax_per_mu, rp.low_tax_per_mu,
                   cand.this_year AND before.worst < rs.persistent_low_tax_per_mu,
                   h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
                   fy.prohibited_industry, fy.scattered_polluting, p.code, p.land_procedures_legal) AS kinds
          OFFSET 0) AS kk    -- computed once, for the kinds and the batch
) AS k;
COMMENT ON VIEW parcel_gov.v_parcel_efficiency IS
  '宗地亩均效益: each parcel in each evaluated year: 亩均税收 and 亩均增加值 of the firms using it (holder and lessees, by area used), the holder''s grade, tax tier (the rule set''s tiers), 低效类型 (kinds), 四个一批 (batch), register state and disposal route (处置路径), geometry and lon/lat; the kinds and batch the register''s sync records';
-- Contiguous low-efficiency blocks (连片整治): the parcels still in the register
-- merged where they lie within a distance of each other.

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
-- Region boundaries (行政区划界线) for the printed map: a county loads its
-- own outline (from 天地图 or its 国土空间规划 data, README: Maps), map_svg
-- draws it as a thin grey line and fits the overview to it.  Optional: a
-- region without a row is mapped by its parcels alone.  User data, dumped
-- with the rows; row-level security and grants as for park (96_roles.sql).
CREATE TABLE parcel_gov.region_boundary (
    region_code text PRIMARY KEY REFERENCES parcel_gov.region,
    geom        geometry(MultiPolygon, 4490) NOT NULL,
    source      text,
    loaded_at   timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE parcel_gov.region_boundary IS
  '行政区划界线 (region boundaries): one outline per region in CGCS2000, drawn by map_svg; optional';
COMMENT ON COLUMN parcel_gov.region_boundary.geom IS '界线: the region''s outline (MultiPolygon, EPSG:4490)';
COMMENT ON COLUMN parcel_gov.region_boundary.source IS '来源: where the outline comes from (e.g. 天地图 2024, 县国土空间规划)';
COMMENT ON COLUMN parcel_gov.region_boundary.loaded_at IS '入库时间: when the outline was loaded';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region_boundary', '');
-- Maps: vector tiles for tile servers, GeoJSON for web maps
-- and Superset, a printed SVG map for reports (93_maps_page.sql).  All three read
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
        -- NULL outside the zoom's tiles (tile_request then says why): the
        -- planner may compute the bounds while estimating the index search,
        -- before tile_request runs, and PostGIS would fail with XX000
        SELECT CASE WHEN t.ok THEN ST_TileEnvelope(z, x, y) END AS tile,
               CASE WHEN t.ok THEN ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 4490) END AS search
        FROM (SELECT z BETWEEN 0 AND 24 AND x BETWEEN 0 AND (1 << z) - 1 AND y BETWEEN 0 AND (1 << z) - 1 AS ok) AS t
    ), tile_parcels AS MATERIALIZED (
        SELECT v.*, ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.tile, 4096, 64, true) AS tile_geom
        FROM parcel_gov.v_parcel_efficiency v, bounds b, request q
        WHERE v.geom && b.search AND v.year = q.year AND starts_with(v.region_code, q.prefix)
    )
    -- FROM request: the arguments are checked whatever the plan (with no
    -- parcel near a bad tile, a plan starting from the NULL bounds would
    -- never reach tile_request and return an empty tile)
    SELECT coalesce((
        -- features in fid order: the same tile is the same bytes whatever the
        -- plan (tile caches and ETags compare bytes)
        SELECT ST_AsMVT(f, 'parcels', 4096, 'geom', 'fid' ORDER BY f.fid)
        FROM (
            -- plain strings: the kinds joined (a tile has no arrays); the
            -- holder's plan (一企一策) computed for the tile's holders only,
            -- their counties and the year reaching firm_plan_inputs as parameters
            SELECT t.fid, t.code, t.year, t.region_code, t.holder_uscc,
                   t.holder_name, t.area_mu, t.tax_per_mu, t.va_per_mu, t.grade, t.grade_label,
                   t.tax_tier, t.kinds_text AS kinds, t.kind_labels_text AS kind_labels, t.batch,
                   t.batch_label, t.register_state, t.register_state_label,
                   i.next_grade::text AS next_grade, parcel_gov.label(i.next_grade) AS next_grade_label,
                   parcel_gov.score_lever('tax', i.next_grade_score, i.figures, i.area_mu, i.land_floor_mu, i.scoring,
                                          i.scores, i.bonus, i.deduction, i.rental_deduction) AS tax_needed,
                   t.tile_geom AS geom
            FROM tile_parcels t
            LEFT JOIN parcel_gov.firm_plan_inputs() i
                   ON i.uscc = t.holder_uscc AND i.year = (SELECT r.year FROM request r)
                  AND i.region_code = ANY (ARRAY(SELECT DISTINCT e.region_code FROM tile_parcels h
                                                 JOIN parcel_gov.enterprise e ON e.uscc = h.holder_uscc))
            WHERE t.tile_geom IS NOT NULL
        ) AS f), '\x'::bytea)
    FROM request;
END;
COMMENT ON FUNCTION parcel_gov.parcel_tile(integer, integer, integer, json) IS
  '矢量瓦片 Mapbox Vector Tile z/x/y (EPSG:3857), layer "parcels": each parcel''s code, holder, grade, tier, per-mu tax, kinds, batch and register state, and the holder''s plan (一企一策: next_grade, tax_needed); query_params {"region": "330604", "year": 2024} (latest evaluated year by default); for pg_tileserv and martin';

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
                     'kind_labels', v.kind_labels, 'batch', v.batch, 'batch_label', v.batch_label,
                     'register_state', v.register_state, 'register_state_label', v.register_state_label))
                 ORDER BY v.code), '[]'::json))
    FROM parcel_gov.v_parcel_efficiency v
    WHERE v.year = parcel_gov.map_year(parcel_gov.region_prefix(parcels_geojson.region), parcels_geojson.year)
      AND starts_with(v.region_code, parcel_gov.region_prefix(parcels_geojson.region));
END;
COMMENT ON FUNCTION parcel_gov.parcels_geojson(text, integer) IS
  'GeoJSON FeatureCollection (RFC 7946, WGS 84) of a region''s parcels in a year (latest evaluated by default): id = fid, properties as in v_parcel_efficiency; NULL region = every region';

-- The keys of the map's colours: fill by grade, outline by register state.
CREATE FUNCTION parcel_gov.map_grade_key()
    RETURNS TABLE (n integer, grade text, label text, colour text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT k.n, k.grade, k.label, k.colour
    FROM (VALUES (0, 'A', 'A 优先发展', '#1a9850'), (1, 'B', 'B 鼓励提升', '#a6d96a'), (2, 'C', 'C 监管调控', '#fdae61'),
                 (3, 'D', 'D 落后整治', '#d73027'), (4, NULL, '未评价 not graded', '#d9d9d9')) AS k (n, grade, label, colour);
END;
COMMENT ON FUNCTION parcel_gov.map_grade_key() IS
  'map_svg''s fill colour per grade (未评价 for none), in legend order';

CREATE FUNCTION parcel_gov.map_state_key()
    RETURNS TABLE (n integer, state parcel_gov.register_state, colour text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT k.n, k.state::parcel_gov.register_state, k.colour
    FROM (VALUES (0, 'candidate', '#984ea3'), (1, 'confirmed', '#377eb8'), (2, 'registered', '#e41a1c'),
                 (3, 'in_treatment', '#ff7f00'), (4, 'assessing', '#a65628'), (5, 'exited', '#4daf4a')) AS k (n, state, colour);
END;
COMMENT ON FUNCTION parcel_gov.map_state_key() IS
  'map_svg''s outline colour per register state, in legend order';

-- The printed map (专题图): map_svg draws a region's parcels on a landscape
-- page of 1189 × 841 (the A-series ratio, A0 in millimetres): a title block,
-- the map area on the left, a key column on the right that no panel
-- touches.  The map area holds one panel of the whole region, or, when the
-- region's parks lie far apart, an overview beside one inset per park
-- (map_inset_count).  Each helper below draws one thing; all are built with
-- PostgreSQL's XML functions, which escape every name.

-- A label's width in em, to size the boxes around it (SQL has no font
-- metrics): CJK and other wide characters one em, the rest about 0.6 em.
CREATE FUNCTION parcel_gov.map_text_em(label text)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(sum(CASE WHEN ascii(c) >= 4352 THEN 1.0 ELSE 0.6 END), 0)
        FROM regexp_split_to_table(label, '') AS c);
COMMENT ON FUNCTION parcel_gov.map_text_em(text) IS
  'internal: a map label''s width in em (CJK and wide characters 1, others 0.6), to size the boxes around labels';

-- A scale bar's length: 1, 2 or 5 × 10^k metres, the longest that is at most
-- a fifth of span_m (the width of the panel's map, in metres).
CREATE FUNCTION parcel_gov.map_scale_metres(span_m double precision)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN coalesce((SELECT max(m * 10 ^ k) FROM unnest('{1,2,5}'::float8[]) AS m, generate_series(0, 7) AS k
                 WHERE m * 10 ^ k <= span_m / 5), 1);
COMMENT ON FUNCTION parcel_gov.map_scale_metres(double precision) IS
  'internal: a scale bar''s metres: 1, 2 or 5 × 10^k, the longest at most a fifth of span_m';

-- A scale bar from (x, y), 18 pixels high: "0", the bar in two halves, its
-- length.  data-x … data-height give its box (the tests check that it
-- stays in its panel's bottom strip, off the parcels).
CREATE FUNCTION parcel_gov.map_scale_bar(x double precision, y double precision, px_per_m double precision,
                                         span_m double precision)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('scale-bar' AS class, b.m AS "data-metres", x AS "data-x", y AS "data-y",
                                            round((17 + b.len + parcel_gov.map_text_em(b.label) * 12)::numeric, 1) AS "data-width",
                                            18 AS "data-height", 12 AS "font-size"),
        xmlelement(name text, xmlattributes(x AS x, y + 14 AS y), '0'),
        xmlelement(name rect, xmlattributes(x + 12 AS x, y + 7 AS y, b.len / 2 AS width, 5 AS height, '#000000' AS fill)),
        xmlelement(name rect, xmlattributes(x + 12 + b.len / 2 AS x, y + 7 AS y, b.len / 2 AS width, 5 AS height,
                                            '#ffffff' AS fill, '#000000' AS stroke, 0.8 AS "stroke-width")),
        xmlelement(name text, xmlattributes(x + 17 + b.len AS x, y + 14 AS y), b.label))
    FROM (SELECT s.m, round((s.m * px_per_m)::numeric, 1) AS len,
                 CASE WHEN s.m >= 1000 THEN (s.m / 1000)::text || ' km' ELSE s.m::text || ' m' END AS label
          FROM (SELECT parcel_gov.map_scale_metres(span_m) AS m) AS s) AS b;
END;
COMMENT ON FUNCTION parcel_gov.map_scale_bar(double precision, double precision, double precision, double precision) IS
  'internal: map_svg''s scale bar at (x, y) for a panel span_m metres wide drawn at px_per_m pixels a metre';

-- A north arrow (北 N) in a 40 × 64 box from (x, y): the maps are drawn
-- north up (Gauss-Krüger grid north; within a 3-degree zone it is off true
-- north by at most 1.5°).
CREATE FUNCTION parcel_gov.map_north_arrow(x double precision, y double precision)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('north-arrow' AS class, x AS "data-x", y AS "data-y", 40 AS "data-width",
                                            64 AS "data-height"),
        xmlelement(name text, xmlattributes(x + 20 AS x, y + 14 AS y, 'middle' AS "text-anchor", 14 AS "font-size",
                                            'bold' AS "font-weight"), '北 N'),
        xmlelement(name polygon, xmlattributes(format('%s,%s %s,%s %s,%s', x + 20, y + 20, x + 20, y + 52, x + 8, y + 62) AS points,
                                               '#000000' AS fill, '#000000' AS stroke)),
        xmlelement(name polygon, xmlattributes(format('%s,%s %s,%s %s,%s', x + 20, y + 20, x + 32, y + 62, x + 20, y + 52) AS points,
                                               '#ffffff' AS fill, '#000000' AS stroke)));
END;
COMMENT ON FUNCTION parcel_gov.map_north_arrow(double precision, double precision) IS
  'internal: map_svg''s north arrow (北 N) in a 40 × 64 box at (x, y)';

-- A park's label on the overview: its name in a white box centred on cx,
-- 20 pixels high from y, 13-pixel type.
CREATE FUNCTION parcel_gov.map_badge(cx double precision, y double precision, label text)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('badge' AS class, round((cx - b.w / 2)::numeric, 1) AS "data-x", y AS "data-y",
                                            round(b.w::numeric, 1) AS "data-width", 20 AS "data-height"),
        xmlelement(name rect, xmlattributes(round((cx - b.w / 2)::numeric, 1) AS x, y AS y, round(b.w::numeric, 1) AS width,
                                            20 AS height, 3 AS rx, '#ffffff' AS fill, 0.92 AS "fill-opacity",
                                            '#333333' AS stroke, 0.8 AS "stroke-width")),
        xmlelement(name text, xmlattributes(cx AS x, y + 15 AS y, 'middle' AS "text-anchor", 13 AS "font-size"), label))
    FROM (SELECT parcel_gov.map_text_em(label) * 13 + 12 AS w) AS b;
END;
COMMENT ON FUNCTION parcel_gov.map_badge(double precision, double precision, text) IS
  'internal: map_svg''s label of a park: its name in a white box centred on cx, 20 pixels high from y';

-- One parcel's shape (d, in page pixels): filled by grade, outlined by its
-- register state, a <title> for the tooltip ending with the holder's plan
-- (一企一策: the next grade and the tax that alone reaches it).  cls is "parcel" for the one
-- shape each parcel has in the overview and "parcel-inset" for its copy in
-- an inset; weight thins the outlines where parcels are drawn small.
CREATE FUNCTION parcel_gov.map_parcel(cls text, code text, grade text, grade_label text, state text,
                                      holder text, tax_per_mu double precision, d text, weight double precision,
                                      plan text)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name path, xmlattributes(
               cls AS class, code AS "data-code", coalesce(grade, 'none') AS "data-grade", state AS "data-state", d AS d,
               (SELECT k.colour FROM parcel_gov.map_grade_key() k WHERE k.grade IS NOT DISTINCT FROM map_parcel.grade) AS fill,
               coalesce((SELECT k.colour FROM parcel_gov.map_state_key() k WHERE k.state::text = map_parcel.state), '#ffffff') AS stroke,
               round((weight * CASE WHEN state IN ('exited', 'rejected') OR state IS NULL THEN 0.6 ELSE 2.2 END)::numeric, 2)
                 AS "stroke-width"),
        xmlelement(name title, concat_ws(' · ', code, holder, coalesce(grade_label, '未评价'),
                                         format('亩均税收 %s 万元/亩', round(tax_per_mu::numeric, 2)),
                                         parcel_gov.label(state::parcel_gov.register_state), plan)));
END;
COMMENT ON FUNCTION parcel_gov.map_parcel(text, text, text, text, text, text, double precision, text, double precision, text) IS
  'internal: map_svg''s shape of one parcel (class cls, SVG path d): fill by grade, outline by register state, a tooltip ending with the holder''s plan';

-- The panels' rectangles on the page: panel 0 (the whole region) fills the
-- map area (20, 80)–(925, 821) alone, or takes its left 385 pixels with up
-- to four insets beside it, in one column or two, whichever draws a park
-- box of the given aspect (width / height) larger; an odd last inset of two
-- columns spans both.
CREATE FUNCTION parcel_gov.map_layout(insets integer, aspect double precision)
    RETURNS TABLE (n integer, x double precision, y double precision, w double precision, h double precision)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH k AS (
        SELECT least(insets, 4) AS k
    ), grid AS (
        -- a panel's content is 16 pixels narrower and 72 lower than its cell
        SELECT CASE WHEN k.k >= 2 AND least(234 / aspect, (741 - (r2 - 1) * 10.0) / r2 - 72)
                                    > least(494 / aspect, (741 - (k.k - 1) * 10.0) / k.k - 72) THEN 2 ELSE 1 END AS cols, k.k
        FROM k, LATERAL (SELECT (k.k + 1) / 2 AS r2) AS r
    ), cell AS (
        SELECT g.cols, g.k, (g.k + g.cols - 1) / g.cols AS rows_ FROM grid g
    )
    SELECT 0, 20::float8, 80::float8, CASE WHEN insets = 0 THEN 905 ELSE 385 END::float8, 741::float8
    UNION ALL
    SELECT i, (415 + ((i - 1) % c.cols) * 260)::float8,
           (80 + ((i - 1) / c.cols) * ((741 - (c.rows_ - 1) * 10.0) / c.rows_ + 10))::float8,
           CASE WHEN c.cols = 1 OR (i = c.k AND c.k % 2 = 1) THEN 510 ELSE 250 END::float8,
           ((741 - (c.rows_ - 1) * 10.0) / c.rows_)::float8
    FROM cell c, generate_series(1, c.k) AS i;
END;
COMMENT ON FUNCTION parcel_gov.map_layout(integer, double precision) IS
  'internal: map_svg''s panel rectangles for 0 to 4 insets of parks of the given aspect: panel 0 the whole region, 1 … 4 the insets';

-- One panel: a frame, its title in a grey strip on top, what it shows
-- (body, clipped to the panel) and a scale bar in a 30-pixel strip at the
-- bottom that the body leaves free.  data-x … data-height give the frame,
-- data-content-y and data-content-height the band the body is fitted to.
CREATE FUNCTION parcel_gov.map_panel(n integer, title text, x double precision, y double precision,
                                     w double precision, h double precision, px_per_m double precision, body xml)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('panel' AS class, 'panel-' || n AS id, x AS "data-x", y AS "data-y",
                                            w AS "data-width", h AS "data-height", y + 26 AS "data-content-y",
                                            h - 56 AS "data-content-height"),
        xmlelement(name "clipPath", xmlattributes('clip-' || n AS id),
            xmlelement(name rect, xmlattributes(x AS x, y + 26 AS y, w AS width, h - 56 AS height))),
        xmlelement(name rect, xmlattributes(x AS x, y AS y, w AS width, h AS height, '#ffffff' AS fill,
                                            '#444444' AS stroke, 1 AS "stroke-width")),
        xmlelement(name rect, xmlattributes(x AS x, y AS y, w AS width, 26 AS height, '#eeeeee' AS fill,
                                            '#444444' AS stroke, 1 AS "stroke-width")),
        xmlelement(name text, xmlattributes(x + 8 AS x, y + 18 AS y, 14 AS "font-size", 'bold' AS "font-weight"), title),
        xmlelement(name g, xmlattributes('url(#clip-' || n || ')' AS "clip-path"), body),
        xmlelement(name line, xmlattributes(x AS x1, y + h - 30 AS y1, x + w AS x2, y + h - 30 AS y2,
                                            '#cccccc' AS stroke, 0.8 AS "stroke-width")),
        parcel_gov.map_scale_bar(x + 10, y + h - 25, px_per_m, (w - 16) / px_per_m));
END;
COMMENT ON FUNCTION parcel_gov.map_panel(integer, text, double precision, double precision, double precision,
                                         double precision, double precision, xml) IS
  'internal: one panel of map_svg: frame, title strip, body (clipped) and a scale bar in the bottom strip';

-- The key column from (x, y), 224 pixels wide: grade fills, register
-- outlines, the block hatch, the park box, the region boundary when one is
-- drawn, the north arrow and the projection.
CREATE FUNCTION parcel_gov.map_key(x double precision, y double precision, srid integer, boundary boolean)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('key' AS id, x AS "data-x", y AS "data-y", 224 AS "data-width",
                                            560 AS "data-height", 13 AS "font-size"),
        xmlelement(name text, xmlattributes(x AS x, y + 16 AS y, 16 AS "font-size", 'bold' AS "font-weight"), '图例 Key'),
        xmlelement(name text, xmlattributes(x AS x, y + 42 AS y, 12 AS "font-size", '#555555' AS fill),
                   '亩均效益等级 grade (fill)'),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 50 + k.n * 22 AS y, 22 AS width,
                                                        16 AS height, k.colour AS fill, '#888888' AS stroke)),
                    xmlelement(name text, xmlattributes(x + 30 AS x, y + 63 + k.n * 22 AS y), k.label))
                ORDER BY k.n) FROM parcel_gov.map_grade_key() k),
        xmlelement(name text, xmlattributes(x AS x, y + 172 AS y, 12 AS "font-size", '#555555' AS fill),
                   '低效在库 register state (outline)'),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 180 + k.n * 22 AS y, 22 AS width,
                                                        16 AS height, '#f0f0f0' AS fill, k.colour AS stroke, 2.5 AS "stroke-width")),
                    xmlelement(name text, xmlattributes(x + 30 AS x, y + 193 + k.n * 22 AS y),
                               parcel_gov.label(k.state) || ' ' || k.state::text))
                ORDER BY k.n) FROM parcel_gov.map_state_key() k),
        xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 320 AS y, 22 AS width, 16 AS height,
                                            'url(#hatch)' AS fill, '#5a0000' AS stroke)),
        xmlelement(name text, xmlattributes(x + 30 AS x, y + 333 AS y), '连片整治 block (≥ 2 parcels)'),
        xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 344 AS y, 22 AS width, 16 AS height,
                                            'none' AS fill, '#333333' AS stroke, '4 2' AS "stroke-dasharray")),
        xmlelement(name text, xmlattributes(x + 30 AS x, y + 357 AS y), '园区 park (① inset)'),
        CASE WHEN boundary THEN xmlconcat(
            xmlelement(name line, xmlattributes(x AS x1, y + 376 AS y1, x + 22 AS x2, y + 376 AS y2,
                                                '#8c8c8c' AS stroke, 1.2 AS "stroke-width")),
            xmlelement(name text, xmlattributes(x + 30 AS x, y + 381 AS y), '行政区划界线 boundary')) END,
        parcel_gov.map_north_arrow(x, y + 400),
        xmlelement(name text, xmlattributes(x + 50 AS x, y + 430 AS y, 12 AS "font-size", '#555555' AS fill), 'north up'),
        (SELECT xmlagg(xmlelement(name text, xmlattributes(x AS x, y + 490 + l.n * 16 AS y, 12 AS "font-size",
                                                           '#666666' AS fill), l.line) ORDER BY l.n)
         FROM unnest(CASE WHEN srid = 3857 THEN ARRAY['Web Mercator (EPSG:3857)', 'scale bars true at the centre']
                          ELSE ARRAY['CGCS2000 3° Gauss-Krüger',
                                     format('CM %s°E (EPSG:%s)', (srid - 4534 + 25) * 3, srid)] END
                     || ARRAY['scale bar in each panel', 'parcel_gov']) WITH ORDINALITY AS l (line, n)));
END;
COMMENT ON FUNCTION parcel_gov.map_key(double precision, double precision, integer, boolean) IS
  'internal: map_svg''s key column at (x, y): grade fills, register outlines, block hatch, park box, boundary, north arrow, projection';

-- How many insets a map gets: one per park (the largest four by parcel
-- count) when the region has parks and their boxes together cover less
-- than a quarter of the overview's box (parks far apart: the overview alone
-- would be mostly empty); else none, one panel fills the map area.
CREATE FUNCTION parcel_gov.map_inset_count(parks integer, parks_area double precision, overview_area double precision)
    RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN parks > 0 AND parks_area < overview_area / 4 THEN least(parks, 4) ELSE 0 END;
COMMENT ON FUNCTION parcel_gov.map_inset_count(integer, double precision, double precision) IS
  'internal: map_svg''s insets: one per park (at most 4) when the parks'' boxes cover less than a quarter of the overview';

-- The printed map of a region in a year (latest evaluated by default).
-- Drawn in the CGCS2000 3-degree Gauss-Krüger zone of the region's centre
-- (EPSG:4534 for 75°E … 4554 for 135°E; Web Mercator outside them), so
-- shapes and scale bars are true.  Steps: the request, the region's
-- parcels and boundary, the zone, both projected once, the parks, the
-- panels and the fit of each, then the page.
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
        -- with the holder's plan: the year and region reach firm_plan_inputs as parameters
        SELECT v.*, k.park_id,
               CASE WHEN i.next_grade IS NOT NULL
                    THEN format('一企一策: 升至 %s 类需再缴税 %s', i.next_grade,
                                coalesce(parcel_gov.plan_amount(parcel_gov.score_lever('tax', i.next_grade_score, i.figures,
                                             i.area_mu, i.land_floor_mu, i.scoring, i.scores, i.bonus, i.deduction,
                                             i.rental_deduction)) || ' 万元', '—')) END AS plan
        FROM parcel_gov.v_parcel_efficiency v
        JOIN parcel_gov.parcel k ON k.code::text = v.code
        CROSS JOIN request q
        LEFT JOIN parcel_gov.firm_plan_inputs() i
               ON i.uscc = v.holder_uscc AND i.year = (SELECT r.year FROM request r)
              AND starts_with(i.region_code, (SELECT r.prefix FROM request r))
        WHERE v.year = q.year AND starts_with(v.region_code, q.prefix)
    ), boundary AS (
        SELECT b.geom FROM parcel_gov.region_boundary b, request q WHERE starts_with(b.region_code, q.prefix)
    ), zone AS (
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(g.geom) AS box
                    FROM (SELECT p.geom FROM parcels p UNION ALL SELECT b.geom FROM boundary b) AS g) AS e) AS z
    ), projected AS MATERIALIZED (
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state, p.park_id, p.plan,
               ST_Transform(p.geom, zone.srid) AS geom
        FROM parcels p, zone
    ), outline AS MATERIALIZED (
        SELECT ST_Transform(b.geom, zone.srid) AS geom FROM boundary b, zone
    ), blocks AS MATERIALIZED (
        SELECT c.parcels, c.area_mu, ST_Transform(c.geom, zone.srid) AS geom
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    ), parks AS (
        -- numbered by parcel count, largest first: the insets are the first four
        SELECT row_number() OVER (ORDER BY count(*) DESC, k.name)::integer AS n, k.id, k.name, count(*) AS parcels,
               ST_Extent(p.geom)::geometry AS box
        FROM projected p JOIN parcel_gov.park k ON k.id = p.park_id
        GROUP BY k.id, k.name
    ), overview AS (
        SELECT ST_Extent(g.geom)::geometry AS box
        FROM (SELECT p.geom FROM projected p UNION ALL SELECT o.geom FROM outline o) AS g
    ), plan AS (
        SELECT parcel_gov.map_inset_count((SELECT count(*) FROM parks)::integer, (SELECT sum(ST_Area(k.box)) FROM parks k),
                                          ST_Area(o.box)) AS insets,
               (SELECT count(*) FROM parks) AS parks,
               -- the insets' typical shape (geometric mean of width / height) picks their grid
               coalesce((SELECT exp(avg(ln(greatest(ST_XMax(k.box) - ST_XMin(k.box), 1) / greatest(ST_YMax(k.box) - ST_YMin(k.box), 1))))
                         FROM parks k WHERE k.n <= 4), 1) AS aspect
        FROM overview o
    ), panel AS (
        -- each panel's rectangle and the box it fits: the whole region in
        -- panel 0 (24 pixels kept free on top for the parks' labels), a
        -- park's parcels in an inset
        SELECT l.n, l.x, l.y, l.w, l.h, k.id AS park_id, coalesce(k.box, o.box) AS box,
               CASE WHEN l.n > 0 AND parcel_gov.map_text_em(format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)) * 14
                                      <= l.w - 16 THEN format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)
                    WHEN l.n > 0 THEN format('%s %s · %s 宗', chr(9311 + l.n), k.name, k.parcels)
                    WHEN plan.insets > 0 THEN format('%s 全域 overview', q.title)
                    WHEN plan.parks = 1 THEN format('%s · %s', q.title, (SELECT k1.name FROM parks k1))
                    ELSE q.title END AS title,
               l.x + 8 AS cx, l.y + 34 + CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS cy, l.w - 16 AS cw,
               l.h - 72 - CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS ch
        FROM plan CROSS JOIN overview o CROSS JOIN request q
        CROSS JOIN parcel_gov.map_layout(plan.insets, plan.aspect) AS l
        LEFT JOIN parks k ON k.n = l.n AND l.n > 0
    ), fit AS (
        -- s pixels a metre, the box centred in the content band; a page
        -- pixel is (X·s + ox, oy − Y·s) (ST_AsSVG negates y)
        SELECT f.*, f.cx + (f.cw - f.bw * f.s) / 2 - f.x0 * f.s AS ox, f.cy + (f.ch - f.bh * f.s) / 2 + f.y1 * f.s AS oy,
               least(1, greatest(0.25, 10 * f.s)) AS weight
        FROM (SELECT p.*, ST_XMin(p.box) AS x0, ST_YMax(p.box) AS y1,
                     greatest(ST_XMax(p.box) - ST_XMin(p.box), 1) AS bw, greatest(ST_YMax(p.box) - ST_YMin(p.box), 1) AS bh,
                     CASE WHEN p.box IS NOT NULL THEN least(p.cw / greatest(ST_XMax(p.box) - ST_XMin(p.box), 1),
                                                            p.ch / greatest(ST_YMax(p.box) - ST_YMin(p.box), 1)) END AS s
              FROM panel p) AS f
    ), body AS (
        SELECT f.n, xmlconcat(
            (SELECT xmlagg(xmlelement(name path, xmlattributes('boundary' AS class,
                        ST_AsSVG(ST_Affine(o.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, '#f7f7f4' AS fill,
                        '#8c8c8c' AS stroke, 1.2 AS "stroke-width")))
             FROM outline o WHERE f.n = 0),
            (SELECT xmlagg(parcel_gov.map_parcel(CASE WHEN f.n = 0 THEN 'parcel' ELSE 'parcel-inset' END, p.code, p.grade,
                        p.grade_label, p.register_state, p.holder_name, p.tax_per_mu,
                        ST_AsSVG(ST_Affine(p.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1), f.weight, p.plan) ORDER BY p.code)
             FROM projected p WHERE f.n = 0 OR p.park_id = f.park_id),
            (SELECT xmlagg(xmlelement(name path, xmlattributes(CASE WHEN f.n = 0 THEN 'block' ELSE 'block-inset' END AS class,
                        ST_AsSVG(ST_Affine(b.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, 'url(#hatch)' AS fill,
                        '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.parcels DESC, b.area_mu DESC)
             FROM blocks b WHERE f.n = 0 OR b.geom && ST_SetSRID(f.box, ST_SRID(b.geom))),
            -- the overview: each park's box, then its label above it (kept inside the panel)
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes('park-box' AS class, round(r.px0::numeric, 1) AS x,
                                   round(r.py0::numeric, 1) AS y, round((r.px1 - r.px0)::numeric, 1) AS width,
                                   round((r.py1 - r.py0)::numeric, 1) AS height, 'none' AS fill, '#333333' AS stroke,
                                   1 AS "stroke-width", '4 2' AS "stroke-dasharray")),
                        parcel_gov.map_badge(
                            least(greatest((r.px0 + r.px1) / 2, f.x + 8 + r.bw / 2), f.x + f.w - 8 - r.bw / 2),
                            greatest(r.py0 - 24, f.cy - 24), r.label)) ORDER BY r.n)
             FROM (SELECT k.n, ST_XMin(k.box) * f.s + f.ox - 3 AS px0, ST_XMax(k.box) * f.s + f.ox + 3 AS px1,
                          f.oy - ST_YMax(k.box) * f.s - 3 AS py0, f.oy - ST_YMin(k.box) * f.s + 3 AS py1,
                          l.label, parcel_gov.map_text_em(l.label) * 13 + 12 AS bw
                   FROM parks k, plan,
                        LATERAL (SELECT CASE WHEN k.n <= plan.insets THEN chr(9311 + k.n) || ' ' ELSE '' END || k.name AS label) AS l
                   WHERE f.n = 0) AS r)) AS svg
        FROM fit f
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1189 AS width, 841 AS height, '0 0 1189 841' AS "viewBox",
                      'Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif' AS "font-family"),
        xmlelement(name defs,
            xmlelement(name pattern, xmlattributes('hatch' AS id, 8 AS width, 8 AS height, 'userSpaceOnUse' AS "patternUnits",
                                                   'rotate(45)' AS "patternTransform"),
                xmlelement(name line, xmlattributes(0 AS x1, 0 AS y1, 0 AS x2, 8 AS y2, '#5a0000' AS stroke, 2 AS "stroke-width")))),
        xmlelement(name rect, xmlattributes('100%' AS width, '100%' AS height, '#ffffff' AS fill)),
        xmlelement(name g, xmlattributes('title-block' AS id),
            xmlelement(name text, xmlattributes(20 AS x, 36 AS y, 24 AS "font-size", 'bold' AS "font-weight"),
                       format('%s %s 年亩均效益评价 per-mu efficiency by grade', q.title, coalesce(q.year::text, '—'))),
            xmlelement(name text, xmlattributes(20 AS x, 60 AS y, 13 AS "font-size", '#555555' AS fill),
                       format('%s 宗地 parcels · %s 园区 parks%s · 低效在库 outlined by register state · 连片整治 hatched',
                              (SELECT count(*) FROM projected), plan.parks,
                              CASE WHEN plan.insets > 0 THEN ' · 园区相距较远，分幅放大 insets ①–' || chr(9311 + plan.insets::integer) ELSE '' END)),
            xmlelement(name line, xmlattributes(20 AS x1, 70 AS y1, 1169 AS x2, 70 AS y2, '#444444' AS stroke, 1 AS "stroke-width"))),
        xmlelement(name g, xmlattributes('panels' AS id, 'evenodd' AS "fill-rule", 'round' AS "stroke-linejoin"),
            (SELECT xmlagg(parcel_gov.map_panel(f.n, f.title, f.x, f.y, f.w, f.h, f.s, b.svg) ORDER BY f.n)
             FROM fit f JOIN body b ON b.n = f.n)),
        parcel_gov.map_key(945, 80, zone.srid, EXISTS (SELECT FROM outline)))::text
    FROM request q, zone, plan;
END;
COMMENT ON FUNCTION parcel_gov.map_svg(text, integer) IS
  '专题图 printed SVG map (1189 × 841) of a region''s parcels in a year (latest evaluated by default): filled by grade, register parcels outlined by state, 连片整治 blocks hatched, the region boundary when loaded, one inset per park when parks lie far apart, a key column, north arrow and scale bars';
-- The staging table an import reads.  Reading a table runs its owner's
-- code (row-level security policies, casts of their types) with the
-- reader's rights: an import reads only the caller's own plain tables.
CREATE FUNCTION parcel_gov.staging_table_check(staging regclass, loaded_by text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = staging AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION '% is not a table', staging USING ERRCODE = '42809',
            HINT = format('Load the file into a table (%s); a view''s rows can go in with CREATE TABLE … AS SELECT.', loaded_by);
    END IF;
    IF (SELECT c.relowner FROM pg_class c WHERE c.oid = staging) <> parcel_gov.invoker() THEN
        RAISE EXCEPTION '% belongs to %, not to %', staging,
              (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = staging), parcel_gov.invoker()::regrole
            USING ERRCODE = '42501',
            HINT = 'Import a staging table of your own: load the file yourself, or CREATE TABLE staging.mine AS TABLE theirs.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.staging_table_check(regclass, text) IS
  'internal: 42809 unless the staging table is a plain (or foreign) table, 42501 unless the caller owns it: reading another role''s table runs its owner''s policies with the importer''s rights';
-- GIS import: parcels from the files counties hold (Shapefile or GeoJSON from
-- the natural-resources bureau, CGCS2000 geographic or Gauss-Krüger, GBK or
-- UTF-8 attributes), loaded by ogr2ogr into a staging table, then checked
-- and inserted as one set into parcel.  README "Importing parcels" has the
-- ogr2ogr line and what each outcome means.

-- One staging row as import_parcels() reads it: the row's place in the file,
-- its cells as text, its geometry as loaded.
CREATE TYPE parcel_gov.staged_parcel AS (
    n          bigint,
    code       text,
    holder     text,
    land_use   text,
    actual_use text,
    area       text,
    geom       geometry
);
COMMENT ON TYPE parcel_gov.staged_parcel IS
  '待导入宗地 (a staged parcel): internal, one row of a staging table as import_parcels() reads it';

-- The staged geometries made fit for parcel.geom, as one set (one query:
-- PROJ's transformation is set up once, not once a row; each step
-- materialized, so that its expressions are not copied into the next
-- step's, and computed again, at every reference): each one's SRID
-- (source_srid when given, which overrides a wrong .prj; else the one
-- ogr2ogr read from the .prj), reprojected to CGCS2000, 2-D, multi; an
-- invalid polygon repaired by ST_MakeValid when the repair keeps an area.
-- problem says why a geometry cannot be used; rows in skip are left out
-- (NULL geometry: the import gives their reason).
CREATE FUNCTION parcel_gov.import_geometries(staged parcel_gov.staged_parcel[], source_srid integer,
                                             skip bigint[] DEFAULT '{}')
    RETURNS TABLE (n bigint, fit geometry, problem text, repaired text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH given AS MATERIALIZED (
        SELECT s.n, CASE WHEN k.n IS NOT NULL THEN NULL
                         WHEN import_geometries.source_srid IS NOT NULL
                         THEN ST_SetSRID(s.geom, import_geometries.source_srid)
                         ELSE s.geom END AS g
        FROM unnest(import_geometries.staged) AS s
        LEFT JOIN unnest(import_geometries.skip) AS k(n) ON k.n = s.n
    ), usable AS MATERIALIZED (
        SELECT g.n, g.g, CASE
            WHEN g.g IS NULL THEN 'no geometry'
            WHEN ST_IsEmpty(g.g) THEN 'empty geometry'
            WHEN ST_SRID(g.g) = 0 THEN 'no SRID (the file had no .prj): give source_srid, e.g. 4490 for CGCS2000 longitude/latitude or 4549 for Gauss-Krüger CM 120E'
            WHEN NOT EXISTS (SELECT FROM spatial_ref_sys s WHERE s.srid = ST_SRID(g.g)) THEN format('unknown SRID %s', ST_SRID(g.g))
            WHEN GeometryType(g.g) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN format('not a polygon but a %s', lower(GeometryType(g.g)))
            END AS problem
        FROM given g
    ), moved AS MATERIALIZED (
        SELECT u.n, u.problem, CASE WHEN u.problem IS NULL THEN ST_Transform(ST_Force2D(u.g), 4490) END AS g FROM usable u
    ), placed AS MATERIALIZED (
        SELECT m.n, m.g, coalesce(m.problem, CASE WHEN ST_XMin(m.g) < 73 OR ST_XMax(m.g) > 136 OR ST_YMin(m.g) < 3 OR ST_YMax(m.g) > 54
            THEN format('outside China after reprojection (%s … %s °E, %s … %s °N): the SRID does not match the coordinates',
                        round(ST_XMin(m.g)::numeric, 3), round(ST_XMax(m.g)::numeric, 3),
                        round(ST_YMin(m.g)::numeric, 3), round(ST_YMax(m.g)::numeric, 3)) END) AS problem
        FROM moved m
    ), checked AS MATERIALIZED (
        SELECT p.n, p.g, p.problem, CASE WHEN p.problem IS NULL AND NOT (ST_IsValidDetail(p.g)).valid THEN ST_IsValidReason(p.g) END AS invalid
        FROM placed p
    ), fixed AS MATERIALIZED (
        SELECT c.n, c.problem, c.invalid,
               CASE WHEN c.problem IS NULL THEN ST_Multi(CASE WHEN c.invalid IS NULL THEN c.g
                                                             ELSE ST_CollectionExtract(ST_MakeValid(c.g), 3) END) END AS g
        FROM checked c
    )
    SELECT f.n,
           CASE WHEN f.problem IS NULL AND NOT ST_IsEmpty(f.g) AND ST_Area(f.g) > 0 THEN f.g END,
           coalesce(f.problem, CASE WHEN ST_IsEmpty(f.g) OR ST_Area(f.g) = 0
                                    THEN format('invalid polygon (%s) with no area left after repair', f.invalid) END),
           CASE WHEN f.problem IS NULL AND f.invalid IS NOT NULL THEN f.invalid END
    FROM fixed f;
END;
COMMENT ON FUNCTION parcel_gov.import_geometries(parcel_gov.staged_parcel[], integer, bigint[]) IS
  'internal: staged geometries (their SRID, or source_srid when given) reprojected to CGCS2000 (EPSG:4490), 2-D and multi, repaired when invalid; or why each cannot be used';

-- One geometry made fit, or why it cannot be: import_geometries() for a
-- single row (a clerk's check of one shape; the import works in sets).
CREATE FUNCTION parcel_gov.import_geometry(geom geometry, source_srid integer,
                                           OUT fit geometry, OUT problem text, OUT repaired text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT g.fit, g.problem, g.repaired
    FROM parcel_gov.import_geometries(
             ARRAY[ROW(1, NULL, NULL, NULL, NULL, NULL, import_geometry.geom)::parcel_gov.staged_parcel],
             import_geometry.source_srid) AS g;
END;
COMMENT ON FUNCTION parcel_gov.import_geometry(geometry, integer) IS
  'internal: one geometry (its SRID, or source_srid when given) reprojected to CGCS2000 (EPSG:4490), 2-D and multi, repaired when invalid; or why it cannot be used (import_geometries for one row)';

-- A firm's name or a land-use entry as compared: full-width letters, digits
-- and brackets （）as their ASCII forms, no whitespace, upper case; so that
-- 上虞精工（集团）有限公司 and 上虞精工 (集团) 有限公司 are one name.  No SET
-- clause: it runs once per staged row and per firm, and is inlined.
CREATE FUNCTION parcel_gov.name_key(name text)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.upper(pg_catalog.regexp_replace(
    -- translate() walks its 94 characters for every character of the name:
    -- only for names that have a full-width one
    CASE WHEN name ~ '[\uff01-\uff5e]'
         THEN pg_catalog.translate(name,
                 '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
                 '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~')
         ELSE name END,
    '[\s\u3000\u00a0]+', '', 'g'));
COMMENT ON FUNCTION parcel_gov.name_key(text) IS
  'A name as compared (名称比对): full-width letters, digits and brackets as ASCII, whitespace removed, upper case';

-- The land-use codes the import reads (土地用途), as data: the industrial
-- family of each scheme, the codes other schemes give another meaning
-- (1001 is 铁路用地 in GB/T 21010-2017 but 工业用地 in 用地用海), and the
-- common non-industrial classes.  industrial: 工矿仓储 — industrial,
-- mining, salt-pan and storage land (GB/T 21010's 06 工矿仓储用地, 三调's
-- 06 工矿用地 and 0508 物流仓储用地, 用地用海's 10 工矿用地 and 11 仓储用地),
-- the land whose holders the evaluation grades.
CREATE FUNCTION parcel_gov.land_uses()
    RETURNS TABLE (scheme text, code text, name text, industrial boolean)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT u.scheme, u.code, u.name, u.industrial FROM (VALUES
        -- 土地利用现状分类 GB/T 21010-2017 (不动产登记, 地籍: the 批准用途 of a 宗地)
        ('GB/T 21010-2017', '05', '商服用地', false),
        ('GB/T 21010-2017', '0501', '零售商业用地', false), ('GB/T 21010-2017', '0502', '批发市场用地', false),
        ('GB/T 21010-2017', '0503', '餐饮用地', false), ('GB/T 21010-2017', '0504', '旅馆用地', false),
        ('GB/T 21010-2017', '0505', '商务金融用地', false), ('GB/T 21010-2017', '0506', '娱乐用地', false),
        ('GB/T 21010-2017', '0507', '其他商服用地', false),
        ('GB/T 21010-2017', '06', '工矿仓储用地', true),
        ('GB/T 21010-2017', '0601', '工业用地', true), ('GB/T 21010-2017', '0602', '采矿用地', true),
        ('GB/T 21010-2017', '0603', '盐田', true), ('GB/T 21010-2017', '0604', '仓储用地', true),
        ('GB/T 21010-2017', '07', '住宅用地', false),
        ('GB/T 21010-2017', '0701', '城镇住宅用地', false), ('GB/T 21010-2017', '0702', '农村宅基地', false),
        ('GB/T 21010-2017', '10', '交通运输用地', false),
        ('GB/T 21010-2017', '1001', '铁路用地', false), ('GB/T 21010-2017', '1002', '轨道交通用地', false),
        ('GB/T 21010-2017', '1003', '公路用地', false),
        ('GB/T 21010-2017', '11', '水域及水利设施用地', false),
        ('GB/T 21010-2017', '1101', '河流水面', false), ('GB/T 21010-2017', '1102', '湖泊水面', false),
        -- GB/T 21010-2007 (older certificates: three digits)
        ('GB/T 21010-2007', '05', '商服用地', false),
        ('GB/T 21010-2007', '051', '批发零售用地', false), ('GB/T 21010-2007', '052', '住宿餐饮用地', false),
        ('GB/T 21010-2007', '053', '商务金融用地', false), ('GB/T 21010-2007', '054', '其他商服用地', false),
        ('GB/T 21010-2007', '06', '工矿仓储用地', true),
        ('GB/T 21010-2007', '061', '工业用地', true), ('GB/T 21010-2007', '062', '采矿用地', true),
        ('GB/T 21010-2007', '063', '仓储用地', true),
        ('GB/T 21010-2007', '07', '住宅用地', false),
        ('GB/T 21010-2007', '071', '城镇住宅用地', false), ('GB/T 21010-2007', '072', '农村宅基地', false),
        ('GB/T 21010-2007', '10', '交通运输用地', false), ('GB/T 21010-2007', '11', '水域及水利设施用地', false),
        -- 第三次全国国土调查工作分类 (三调: the land as surveyed, 现状)
        ('三调', '05', '商业服务业用地', false),
        ('三调', '05H1', '商业服务业设施用地', false), ('三调', '0508', '物流仓储用地', true),
        ('三调', '06', '工矿用地', true),
        ('三调', '0601', '工业用地', true), ('三调', '0602', '采矿用地', true), ('三调', '0603', '盐田', true),
        ('三调', '07', '住宅用地', false),
        ('三调', '0701', '城镇住宅用地', false), ('三调', '0702', '农村宅基地', false),
        ('三调', '10', '交通运输用地', false),
        ('三调', '1001', '铁路用地', false), ('三调', '1002', '轨道交通用地', false), ('三调', '1003', '公路用地', false),
        ('三调', '11', '水域及水利设施用地', false),
        ('三调', '1101', '河流水面', false), ('三调', '1102', '湖泊水面', false),
        -- 国土空间调查、规划、用途管制用地用海分类 (用地用海: planning)
        ('用地用海', '06', '农业设施建设用地', false),
        ('用地用海', '0601', '种植设施建设用地', false), ('用地用海', '0602', '畜禽养殖设施建设用地', false),
        ('用地用海', '0603', '水产养殖设施建设用地', false),
        ('用地用海', '07', '居住用地', false),
        ('用地用海', '0701', '城镇住宅用地', false), ('用地用海', '0702', '城镇社区服务设施用地', false),
        ('用地用海', '0703', '农村宅基地', false),
        ('用地用海', '09', '商业服务业用地', false),
        ('用地用海', '0901', '商业用地', false), ('用地用海', '0902', '商务金融用地', false),
        ('用地用海', '0903', '娱乐康体用地', false), ('用地用海', '0904', '其他商业服务业用地', false),
        ('用地用海', '10', '工矿用地', true),
        ('用地用海', '1001', '工业用地', true), ('用地用海', '100101', '一类工业用地', true),
        ('用地用海', '100102', '二类工业用地', true), ('用地用海', '100103', '三类工业用地', true),
        ('用地用海', '1002', '采矿用地', true), ('用地用海', '1003', '盐田', true),
        ('用地用海', '11', '仓储用地', true),
        ('用地用海', '1101', '物流仓储用地', true), ('用地用海', '110101', '一类物流仓储用地', true),
        ('用地用海', '110102', '二类物流仓储用地', true), ('用地用海', '110103', '三类物流仓储用地', true),
        ('用地用海', '1102', '储备库用地', true)) AS u(scheme, code, name, industrial);
END;
COMMENT ON FUNCTION parcel_gov.land_uses() IS
  '土地用途 the import reads: scheme (GB/T 21010-2017, GB/T 21010-2007, 三调, 用地用海), code, name, and whether it is industrial (工矿仓储: industrial, mining, salt-pan and storage land)';

-- One 土地用途 cell read: a code (0601), a name (工业用地) or both
-- (0601工业用地, 工业用地(0601)), full-width or not, against the schemes
-- given (NULL: all).  land_use is the code, or the name when the schemes
-- give it several codes; found_in the schemes that read it so.  A cell
-- nothing matches, or one the schemes read differently, is a problem: its
-- text comes back as land_use and industrial stays NULL, never guessed.
CREATE FUNCTION parcel_gov.land_use_read(value text, schemes text[] DEFAULT NULL,
                                         OUT land_use text, OUT industrial boolean,
                                         OUT found_in text[], OUT problem text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH cell AS (
        SELECT nullif(btrim(land_use_read.value), '') AS given, nullif(parcel_gov.name_key(land_use_read.value), '') AS k
    ), parts AS (
        SELECT c.given, c.k, substring(c.k FROM '[0-9][0-9A-Z]*') AS code,
               nullif(regexp_replace(c.k, '[^\u4e00-\u9fa5]', '', 'g'), '') AS name
        FROM cell c
    ), known AS (
        SELECT u.* FROM parcel_gov.land_uses() u
        WHERE land_use_read.schemes IS NULL OR u.scheme = ANY (land_use_read.schemes)
    ), hits AS (
        SELECT count(*) AS n,
               count(DISTINCT u.name || u.industrial::text) AS meanings,
               min(u.code) AS code, count(DISTINCT u.code) AS codes, bool_and(u.industrial) AS industrial,
               array_agg(DISTINCT u.scheme COLLATE "C" ORDER BY u.scheme COLLATE "C") AS schemes,
               string_agg(format('%s %s (%s)', u.code, u.name, u.scheme), '; ' ORDER BY u.scheme COLLATE "C", u.code) AS list
        FROM parts p JOIN known u ON (p.code IS NULL OR u.code = p.code) AND (p.name IS NULL OR u.name = p.name)
        WHERE p.code IS NOT NULL OR p.name IS NOT NULL
    ), code_alone AS (
        SELECT string_agg(DISTINCT u.name, '/' ORDER BY u.name) AS names
        FROM parts p JOIN known u ON u.code = p.code
    )
    SELECT CASE WHEN p.k IS NULL THEN NULL
                WHEN h.meanings = 1 AND h.codes = 1 THEN h.code
                WHEN h.meanings = 1 THEN p.name
                ELSE p.given END,
           CASE WHEN h.meanings = 1 THEN h.industrial END,
           CASE WHEN h.meanings = 1 AND h.codes = 1 THEN h.schemes END,
           CASE WHEN p.k IS NULL THEN NULL
                WHEN h.meanings = 1 THEN NULL
                WHEN h.meanings > 1 THEN format('%s is ambiguous (%s): name the file''s scheme', p.given, h.list)
                WHEN p.code IS NOT NULL AND p.name IS NOT NULL AND a.names IS NOT NULL
                  THEN format('%s: code %s is %s, not %s', p.given, p.code, a.names, p.name)
                ELSE format('%s is not a land use known%s', p.given,
                            ' in ' || array_to_string(land_use_read.schemes, ', ')) END
    FROM parts p, hits h, code_alone a;
END;
COMMENT ON FUNCTION parcel_gov.land_use_read(text, text[]) IS
  'A 土地用途 cell (a code, a name or both) read against land_uses() in the schemes given (NULL: all): the code (or the name when the schemes give it several codes), whether it is industrial, the schemes that read it; or the problem (unknown, or read differently by the schemes)';

-- Staged rows into parcel, checked and inserted as one set: the geometry
-- (import_geometries), the 宗地代码 (well-formed, of the region or a code it
-- superseded, once in the file, not yet stored), the holder (a USCC or a
-- name of one of the region's firms), the land use (land_use_read) and the
-- area in the file against the geometry's.  A geometry PostGIS cannot
-- reproject fails the set; the rows that do so are then found by halving
-- the file (one subtransaction per half tried, not per row) and rejected,
-- and the set runs again without them.  Returns one line per staged row:
-- imported, repaired, flagged (imported, something to check) or rejected.
CREATE FUNCTION parcel_gov.import_parcels(staging regclass, region text, code_column text DEFAULT 'zddm',
                                          holder_column text DEFAULT NULL, source_srid integer DEFAULT NULL,
                                          land_use_column text DEFAULT NULL, actual_use_column text DEFAULT NULL,
                                          land_use_schemes text[] DEFAULT NULL,
                                          area_column text DEFAULT NULL, area_unit text DEFAULT NULL,
                                          area_tolerance double precision DEFAULT 0.05)
    RETURNS TABLE (source_row bigint, code text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    -- its statement's estimates over arrays are wild: JIT would compile for
    -- seconds what runs in less
    SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    geom_column name;
    missing text;
    unit text;                  -- the file's area unit, as the reasons name it
    mu_per_unit double precision;
    own_regions text[];         -- the region and the codes it superseded
    visible text[];             -- the caller's region prefixes
    staged parcel_gov.staged_parcel[];
    bad_n bigint[] := '{}';     -- rows whose geometry PostGIS cannot reproject
    bad_reason text[] := '{}';
    todo int8range[];
    span int8range;
    half bigint;
    tried boolean := false;
    r_n bigint[];
    r_code text[];
    r_outcome text[];
    r_reason text[];
BEGIN
    -- It runs as its caller, not as the extension's owner: the staging table
    -- is the caller's (a view of theirs could run anything with the owner's
    -- rights), and the parcels it writes are theirs to write, under the
    -- same row-level security and triggers as their own INSERT.
    PERFORM parcel_gov.require_caller('import_parcels', 'parcel_gov_operator', coalesce(region, ''));
    -- the caller's own table, and the columns read of built-in types
    PERFORM parcel_gov.staging_table_check(staging, 'ogr2ogr -f PostgreSQL');
    SELECT string_agg(format('"%s" is of type %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ') INTO missing
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname IN (code_column, holder_column, land_use_column, actual_use_column, area_column)
      AND t.typnamespace <> 'pg_catalog'::regnamespace;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % cannot be read: %', staging, missing USING ERRCODE = '42804',
            HINT = 'Load the file as ogr2ogr does: codes, names and areas as text or numbers.';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region) THEN
        RAISE EXCEPTION 'unknown region "%"', region USING ERRCODE = '23503',
            HINT = 'Add the county to parcel_gov.region first; parcels are imported one county at a time.';
    END IF;
    SELECT a.attname INTO geom_column FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped AND t.typname = 'geometry'
      AND t.typnamespace = (SELECT x.extnamespace FROM pg_extension x WHERE x.extname = 'postgis')
    ORDER BY a.attnum LIMIT 1;
    IF geom_column IS NULL THEN
        RAISE EXCEPTION 'staging table % has no geometry column', staging USING ERRCODE = '42703',
            HINT = 'Load it with ogr2ogr -f PostgreSQL, which creates one (wkb_geometry, or the name given by -lco GEOMETRY_NAME).';
    END IF;
    SELECT string_agg(format('"%s" (%s)', c.col, c.param), ', ') INTO missing
    FROM (VALUES ('code_column', code_column), ('holder_column', holder_column), ('land_use_column', land_use_column),
                 ('actual_use_column', actual_use_column), ('area_column', area_column)) AS c(param, col)
    WHERE c.col IS NOT NULL
      AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = staging AND a.attname = c.col AND a.attnum > 0 AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'staging table % has no column %', staging, missing USING ERRCODE = '42703',
            HINT = format('Its columns: %s.  ogr2ogr lower-cases Latin names (ZDDM becomes zddm) and keeps Chinese ones (宗地代码).',
                          (SELECT string_agg(a.attname, ', ' ORDER BY a.attnum) FROM pg_attribute a
                           WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped));
    END IF;
    SELECT string_agg(s, ', ') INTO missing FROM unnest(land_use_schemes) AS s
    WHERE s IS NULL OR s NOT IN (SELECT u.scheme FROM parcel_gov.land_uses() u);
    IF missing IS NOT NULL OR cardinality(land_use_schemes) = 0 THEN
        RAISE EXCEPTION 'unknown land-use scheme %', coalesce(missing, '(none given)') USING ERRCODE = '22023',
            HINT = 'land_use_schemes names one or more of GB/T 21010-2017, GB/T 21010-2007, 三调, 用地用海; NULL reads every code in all of them.';
    END IF;
    -- the file's area unit: the parameter, else the header's (面积(平方米))
    IF area_column IS NOT NULL THEN
        unit := CASE WHEN area_unit IS NOT NULL THEN CASE lower(btrim(area_unit))
                         WHEN '平方米' THEN '平方米' WHEN 'm2' THEN '平方米' WHEN '㎡' THEN '平方米' WHEN 'sqm' THEN '平方米'
                         WHEN '亩' THEN '亩' WHEN 'mu' THEN '亩' WHEN '公顷' THEN '公顷' WHEN 'ha' THEN '公顷' END
                     WHEN area_column ~ '公顷' THEN '公顷'
                     WHEN area_column ~ '亩' THEN '亩'
                     WHEN area_column ~ '(平方米|㎡)' THEN '平方米' END;
        IF unit IS NULL THEN
            RAISE EXCEPTION '%', CASE WHEN area_unit IS NULL THEN format('the unit of area column "%s" is not known', area_column)
                                      ELSE format('unknown area unit "%s"', area_unit) END
                USING ERRCODE = '22023',
                      HINT = 'Give area_unit => ''平方米'' (m2), ''亩'' (mu) or ''公顷'' (ha); a header such as 面积(平方米) names it.';
        END IF;
        mu_per_unit := CASE unit WHEN '平方米' THEN 0.0015 WHEN '亩' THEN 1 ELSE 15 END;
        IF area_tolerance IS NULL OR NOT (area_tolerance >= 0 AND area_tolerance < 'Infinity') THEN
            RAISE EXCEPTION 'area_tolerance % is not a share', area_tolerance USING ERRCODE = '22023',
                HINT = 'Give the largest difference accepted between the file''s area and the geometry''s, as a share of the geometry''s: 0.05 for 5 %.';
        END IF;
    ELSIF area_unit IS NOT NULL THEN
        RAISE EXCEPTION 'area_unit without area_column' USING ERRCODE = '22023',
            HINT = 'Name the file''s area column (area_column => ''面积''), or leave area_unit out.';
    END IF;
    own_regions := ARRAY[region] || ARRAY(SELECT r.code FROM parcel_gov.region r WHERE r.superseded_by = region ORDER BY r.code);
    visible := parcel_gov.visible_prefixes_of(parcel_gov.invoker());

    -- the staging table, read once, as its caller may read it; rows in the
    -- file's order: ogr2ogr's feature number, else as stored
    EXECUTE format(
        'SELECT array_agg(ROW(s.n, s.code, s.holder, s.land_use, s.actual_use, s.area, s.geom)::parcel_gov.staged_parcel ORDER BY s.n)
         FROM (SELECT row_number() OVER (ORDER BY %s) AS n, %s AS code, %s AS holder, %s AS land_use,
                      %s AS actual_use, %s AS area, %I AS geom FROM %s) AS s',
        CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = staging AND a.attname = 'ogc_fid'
                                                      AND a.attnum > 0 AND NOT a.attisdropped)
             THEN 'ogc_fid' ELSE 'ctid' END,
        format('%I::text', code_column),
        CASE WHEN holder_column IS NULL THEN 'NULL::text' ELSE format('%I::text', holder_column) END,
        CASE WHEN land_use_column IS NULL THEN 'NULL::text' ELSE format('%I::text', land_use_column) END,
        CASE WHEN actual_use_column IS NULL THEN 'NULL::text' ELSE format('%I::text', actual_use_column) END,
        CASE WHEN area_column IS NULL THEN 'NULL::text' ELSE format('%I::text', area_column) END,
        geom_column, staging)
    INTO staged;
    IF staged IS NULL THEN
        RETURN;
    END IF;

    LOOP
        BEGIN
            WITH s AS (
                SELECT * FROM unnest(staged)
            ), geo AS (
                SELECT g.n, g.fit, coalesce(b.reason, g.problem) AS geom_problem, g.repaired
                FROM parcel_gov.import_geometries(staged, source_srid, bad_n) AS g
                LEFT JOIN unnest(bad_n, bad_reason) AS b(n, reason) ON b.n = g.n
            ), keyed AS MATERIALIZED (
                -- each cell's reading computed once, not again at every reference
                SELECT s.n, nullif(upper(btrim(s.code)), '') AS pcode,
                       nullif(btrim(s.holder), '') AS holder_given, nullif(parcel_gov.name_key(s.holder), '') AS holder_key,
                       s.land_use, s.actual_use, s.area,
                       -- full-width digits as ASCII, no spaces, no thousands separators
                       nullif(replace(parcel_gov.name_key(s.area), ',', ''), '') AS area_given
                FROM s
            ), cells AS MATERIALIZED (
                -- Latin letters and digits only, one word: a USCC; anything else a name
                SELECT k.*, k.holder_given !~ '[\s\u3000]' AND k.holder_key ~ '^[0-9A-Z]+$' AND k.holder_key ~ '[0-9]'
                            AS holder_is_code,
                       CASE WHEN k.area_given ~ '^([0-9]{1,15}(\.[0-9]*)?|\.[0-9]+)$' THEN k.area_given::double precision
                            WHEN k.area_given IS NOT NULL THEN 'NaN' END * mu_per_unit AS file_mu
                FROM keyed k
            ), firm AS (
                -- the region's firms the caller may see, by name
                SELECT parcel_gov.name_key(e.name) AS name_key, count(*) AS firms, min(e.uscc) AS uscc,
                       string_agg(e.uscc, ', ' ORDER BY e.uscc) AS usccs
                FROM parcel_gov.enterprise e
                WHERE e.region_code = ANY (own_regions) AND e.region_code ^@ ANY (visible)
                GROUP BY 1
            ), use AS (
                SELECT d.v, r.land_use, r.industrial, r.found_in, r.problem
                FROM (SELECT s.land_use FROM s UNION SELECT s.actual_use FROM s) AS d(v)
                CROSS JOIN LATERAL parcel_gov.land_use_read(d.v, land_use_schemes) AS r
                WHERE d.v IS NOT NULL
            ), checked AS (
                SELECT c.n, c.pcode, geo.fit, geo.repaired, c.file_mu, c.area,
                       CASE WHEN c.pcode IS NULL THEN 'no 宗地代码'
                            WHEN parcel_gov.parcel_code_problem(c.pcode) IS NOT NULL THEN parcel_gov.parcel_code_problem(c.pcode)
                            WHEN left(c.pcode, 6) <> ALL (own_regions)
                              THEN format('宗地代码 of another county (%s), not %s', left(c.pcode, 6), region)
                            WHEN min(c.n) OVER (PARTITION BY c.pcode) < c.n
                              THEN format('the same 宗地代码 earlier in the file (row %s)', min(c.n) OVER (PARTITION BY c.pcode))
                            WHEN geo.geom_problem IS NOT NULL THEN geo.geom_problem
                            WHEN c.holder_is_code AND parcel_gov.uscc_problem(c.holder_key) IS NOT NULL
                                 AND NOT parcel_gov.uscc_early(c.holder_key)
                              THEN 'holder: ' || parcel_gov.uscc_problem(c.holder_key) END AS rejected,
                       CASE WHEN c.holder_is_code THEN e.uscc WHEN f.firms = 1 THEN f.uscc END AS holder_uscc,
                       CASE WHEN c.holder_key IS NULL THEN NULL
                            WHEN c.holder_is_code AND e.uscc IS NULL
                              THEN format('holder %s not found or not permitted: left empty', c.holder_key)
                            WHEN c.holder_is_code AND parcel_gov.uscc_early(c.holder_key)
                              THEN format('holder %s: %s, an early code: check it against the business licence',
                                          c.holder_key, parcel_gov.uscc_problem(c.holder_key))
                            WHEN c.holder_is_code THEN NULL
                            WHEN f.firms IS NULL
                              THEN format('holder %s: no firm of %s by that name: left empty', c.holder_given, region)
                            WHEN f.firms > 1
                              THEN format('holder %s: %s firms of %s by that name (%s): left empty',
                                          c.holder_given, f.firms, region, f.usccs)
                            WHEN parcel_gov.uscc_early(f.uscc)
                              THEN format('holder %s is %s: %s, an early code: check it against the business licence',
                                          c.holder_given, f.uscc, parcel_gov.uscc_problem(f.uscc)) END AS holder_note,
                       pu.land_use AS planned_use, pu.industrial AS planned_industrial, '土地用途 ' || pu.problem AS planned_note,
                       au.land_use AS actual_use, au.industrial AS actual_industrial, '实际用途 ' || au.problem AS actual_note,
                       nullif(array_to_string(ARRAY(SELECT DISTINCT x COLLATE "C" FROM unnest(pu.found_in || au.found_in) AS x
                                                    ORDER BY 1), ', '), '') AS land_use_scheme,
                       CASE WHEN c.file_mu = 'NaN' OR c.file_mu <= 0 THEN format('面积 %s is not an area', c.area) END AS area_note
                FROM cells c
                JOIN geo USING (n)
                LEFT JOIN parcel_gov.enterprise e
                       ON c.holder_is_code AND e.uscc = c.holder_key AND e.region_code ^@ ANY (visible)
                LEFT JOIN firm f ON NOT c.holder_is_code AND f.name_key = c.holder_key
                LEFT JOIN use pu ON pu.v = c.land_use
                LEFT JOIN use au ON au.v = c.actual_use
            ), inserted AS (
                -- a code stored meanwhile, also by a concurrent import, is that row's alone
                INSERT INTO parcel_gov.parcel AS p (code, region_code, holder_uscc, geom, land_use_scheme,
                                                    planned_use, actual_use, planned_industrial, actual_industrial)
                SELECT k.pcode, region, k.holder_uscc, k.fit, k.land_use_scheme,
                       k.planned_use, k.actual_use, k.planned_industrial, k.actual_industrial
                FROM checked k WHERE k.rejected IS NULL ORDER BY k.n
                ON CONFLICT DO NOTHING
                RETURNING p.code, p.area_mu
            ), told AS (
                SELECT k.n, k.pcode, k.rejected, k.repaired, i.code IS NOT NULL AS stored,
                       nullif(concat_ws('; ', k.holder_note, k.planned_note, k.actual_note, k.area_note,
                           CASE WHEN k.file_mu > 0 AND k.file_mu < 'Infinity'
                                     AND abs(k.file_mu - i.area_mu) > area_tolerance * i.area_mu
                                THEN format('面积 %s %s in the file is %s %% %s the geometry''s %s %s%s',
                                            round((k.file_mu / mu_per_unit)::numeric, CASE unit WHEN '平方米' THEN 2 ELSE 4 END),
                                            unit, round(abs(100 * (k.file_mu / i.area_mu - 1))::numeric, 1),
                                            CASE WHEN k.file_mu > i.area_mu THEN 'above' ELSE 'below' END,
                                            round((i.area_mu / mu_per_unit)::numeric, CASE unit WHEN '平方米' THEN 2 ELSE 4 END),
                                            unit, CASE WHEN unit <> '亩' THEN format(' (%s 亩)', round(i.area_mu::numeric, 4)) END)
                                END), '') AS flags
                FROM checked k
                LEFT JOIN inserted i ON k.rejected IS NULL AND i.code = k.pcode
            )
            SELECT array_agg(t.n ORDER BY t.n), array_agg(t.pcode ORDER BY t.n),
                   array_agg(CASE WHEN t.rejected IS NOT NULL OR NOT t.stored THEN 'rejected'
                                  WHEN t.flags IS NOT NULL THEN 'flagged'
                                  WHEN t.repaired IS NOT NULL THEN 'repaired'
                                  ELSE 'imported' END ORDER BY t.n),
                   array_agg(CASE WHEN t.rejected IS NOT NULL THEN t.rejected
                                  WHEN NOT t.stored THEN 'already in parcel'
                                  ELSE nullif(concat_ws('; ', 'repaired: ' || t.repaired, t.flags), '') END ORDER BY t.n)
            INTO r_n, r_code, r_outcome, r_reason
            FROM told t;
            EXIT;
        EXCEPTION WHEN OTHERS THEN
            -- failing again without the rows found: the error stands
            IF tried THEN
                RAISE;
            END IF;
            tried := true;
            -- the rows whose geometry fails, by halves
            todo := ARRAY[int8range(1, cardinality(staged) + 1)];
            WHILE cardinality(todo) > 0 LOOP
                span := todo[cardinality(todo)];
                todo := todo[1:cardinality(todo) - 1];
                BEGIN
                    PERFORM count(g.fit) + count(g.problem) + count(g.repaired)
                    FROM parcel_gov.import_geometries(staged[lower(span):upper(span) - 1], source_srid) AS g;
                EXCEPTION WHEN OTHERS THEN
                    IF upper(span) - lower(span) = 1 THEN
                        bad_n := bad_n || lower(span);
                        bad_reason := bad_reason || ('geometry cannot be reprojected: ' || SQLERRM);
                    ELSE
                        half := (lower(span) + upper(span)) / 2;
                        todo := todo || int8range(half, upper(span)) || int8range(lower(span), half);
                    END IF;
                END;
            END LOOP;
            -- no geometry fails: the error was another, and stands
            IF cardinality(bad_n) = 0 THEN
                RAISE;
            END IF;
        END;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(r_n, r_code, r_outcome, r_reason);
END $$;
COMMENT ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision) IS
  '导入宗地 GIS import: a staging table loaded by ogr2ogr into parcel as one set: reprojected to CGCS2000, invalid polygons repaired or rejected, codes checked, holders by USCC or name, 土地用途 read, 面积 compared with the geometry; returns each row''s outcome (imported, repaired, flagged, rejected) and why';
-- Firms' year-to-date figures per month (月监测, 季评价) from the bureaus'
-- spreadsheets: the template of import_enterprise_years() — headers with
-- their units read by bureau_header(), cells by bureau_number() — plus a
-- 月份 column (3, 03, 3月, 2025-03, 2025年3月; a quarter's 一季度 … 四季度
-- or Q1 … Q4 stands for its last month).  The firms must be on file already
-- (the yearly import or enterprise creates them).  Every row comes back
-- imported or rejected with its reason; columns not used come back ignored;
-- an empty cell keeps the figure stored for that firm and month.

CREATE FUNCTION parcel_gov.import_enterprise_periods(source regclass, year integer, region text)
    RETURNS TABLE (source_row bigint, uscc text, month integer, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    figures constant text[] := ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                     'emission_t', 'electricity_kwh', 'bonus', 'deduction'];
    month_headers constant text[] := ARRAY['月份', '期间', '统计期', '截至月份'];
    cols jsonb;
    month_col name;
    problems text;
    pick text;
    row_number_sql text;
BEGIN
    -- As its caller, like import_enterprise_years(): the figures are the
    -- caller's to write, under their row-level security.
    PERFORM parcel_gov.require_caller('import_enterprise_periods', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region AND r.level = 'county' AND r.valid_to IS NULL) THEN
        RAISE EXCEPTION 'region "%" is not a current county', region USING ERRCODE = '22023',
            HINT = 'Firms are filed under their county''s 6-digit code, e.g. 330604 (SELECT code, name FROM parcel_gov.region WHERE level = ''county'').';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 1949 AND 2200 THEN
        RAISE EXCEPTION 'year % is not a year of figures', year USING ERRCODE = '22023',
            HINT = 'Give the year the figures are for, e.g. 2024.';
    END IF;
    PERFORM parcel_gov.staging_table_check(source, '\copy or ogr2ogr');

    SELECT a.attname INTO month_col
    FROM pg_attribute a
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND regexp_replace(a.attname, '[\s\u3000]', '', 'g') = ANY (month_headers)
    ORDER BY a.attnum LIMIT 1;
    SELECT jsonb_agg(jsonb_build_object('header', a.attname, 'target', h.target, 'factor', h.factor,
                                        'problem', coalesce(h.problem,
                                            CASE WHEN t.typnamespace <> 'pg_catalog'::regnamespace
                                                 THEN format('"%s" is of type %s: load the sheet as text or numbers',
                                                             a.attname, format_type(a.atttypid, a.atttypmod)) END))
                     ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL parcel_gov.bureau_header(a.attname) h
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'ogc_fid' AND a.attname IS DISTINCT FROM month_col;
    cols := coalesce(cols, '[]');
    SELECT string_agg(c ->> 'problem', '; ') INTO problems
    FROM jsonb_array_elements(cols) c WHERE c ->> 'problem' IS NOT NULL;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'headers of % cannot be read: %', source, problems USING ERRCODE = '22023',
            HINT = 'Name each figure''s unit in its header, e.g. 税收(万元), 用电量(万千瓦时); README "Load this year''s data" lists the headers and units.';
    END IF;
    SELECT string_agg(DISTINCT c ->> 'target', ', ') INTO problems
    FROM jsonb_array_elements(cols) c
    WHERE c ->> 'target' IS NOT NULL
      AND (SELECT count(*) FROM jsonb_array_elements(cols) d WHERE d ->> 'target' = c ->> 'target') > 1;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % name the same figure twice: %', source, problems USING ERRCODE = '22023',
            HINT = 'Keep one column per figure in the staging table.';
    END IF;
    IF month_col IS NULL OR NOT cols @> '[{"target": "uscc"}]' OR NOT cols @> '[{"target": "size_class"}]' THEN
        RAISE EXCEPTION '% has no % column', source,
              CASE WHEN month_col IS NULL THEN '月份' WHEN NOT cols @> '[{"target": "uscc"}]' THEN '统一社会信用代码'
                   ELSE '规模' END
            USING ERRCODE = '42703',
            HINT = 'The file is the yearly template (统一社会信用代码, 规模, the figures with their units) plus 月份: the last month the year-to-date figures cover (3, 2025-03, 一季度).';
    END IF;

    -- 1. The cells: codes as text, figures parsed and converted (NaN: no number).
    SELECT string_agg(CASE WHEN c.header IS NOT NULL AND t = ANY (figures)
                             THEN format(', parcel_gov.bureau_number(%I::text) * %s AS %I', c.header, c.factor, t)
                           WHEN t = ANY (figures) THEN format(', NULL::double precision AS %I', t)
                           WHEN c.header IS NOT NULL THEN format(', %I::text AS %I', c.header, t)
                           ELSE format(', NULL::text AS %I', t) END, '' ORDER BY o)
    INTO pick
    FROM unnest(ARRAY['uscc', 'size_class', 'year', 'exempt_reason', 'veto_reason'] || figures) WITH ORDINALITY AS x(t, o)
    LEFT JOIN LATERAL (SELECT e ->> 'header' AS header, e ->> 'factor' AS factor
                       FROM jsonb_array_elements(cols) e WHERE e ->> 'target' = x.t) AS c ON true;
    row_number_sql := CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = source AND a.attname = 'ogc_fid'
                                                                     AND NOT a.attisdropped)
                           THEN 'ogc_fid::bigint' ELSE 'row_number() OVER (ORDER BY ctid)' END;
    IF to_regclass('pg_temp.parcel_gov_period_cells') IS NOT NULL THEN
        DROP TABLE pg_temp.parcel_gov_period_cells, pg_temp.parcel_gov_period_rows;
    END IF;
    EXECUTE format('CREATE TEMP TABLE parcel_gov_period_cells AS SELECT %s AS n, %I::text AS month_given%s FROM %s',
                   row_number_sql, month_col, pick, source);

    -- 2. Each row: its month, its firm (as the caller sees it), what stops it.
    CREATE TEMP TABLE parcel_gov_period_rows AS
    WITH read AS (
        SELECT c.*,
               nullif(upper(regexp_replace(c.uscc, '[\s\u3000-]', '', 'g')), '') AS code,
               nullif(regexp_replace(c.month_given, '[\s\u3000]', '', 'g'), '') AS m_text,
               CASE btrim(c.size_class) WHEN '规上' THEN 'above' WHEN '规模以上' THEN 'above'
                                        WHEN '规下' THEN 'below' WHEN '规模以下' THEN 'below' END::parcel_gov.size_class AS size
        FROM pg_temp.parcel_gov_period_cells c
    ), dated AS (
        SELECT r.*,
               -- a quarter (一季度, 1季度, Q1) stands for its last month
               CASE WHEN r.m_text ~* '^([一二三四1-4]季度|Q[1-4])$'
                      THEN 3 * strpos('一二三四', left(r.m_text, 1)) + 3 * coalesce(nullif(substring(r.m_text FROM '[1-4]'), '')::integer, 0)
                    WHEN r.m_text ~ '^([0-9]{4}[-年./])?[0-9]{1,2}(\.0+)?月?$'
                      THEN substring(r.m_text FROM '([0-9]{1,2})(\.0+)?月?$')::integer END AS m,
               substring(r.m_text FROM '^([0-9]{4})[-年./]')::integer AS m_year
        FROM read r
    ), counted AS (
        -- the same firm and month twice: none goes in
        SELECT d.*, count(*) OVER same AS copies, string_agg(d.n::text, ', ') OVER same AS copy_rows
        FROM dated d
        WINDOW same AS (PARTITION BY d.code, coalesce(d.m::text, d.m_text) ORDER BY d.n
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )
    SELECT d.*, e.uscc IS NOT NULL AS firm_seen,
           array_remove(ARRAY[
             CASE WHEN d.code IS NULL THEN 'no 统一社会信用代码'
                  WHEN e.uscc IS NULL
                    THEN format('firm %s not found or not permitted: a firm of %s is filed first (import_enterprise_years() or enterprise)',
                                d.code, import_enterprise_periods.region) END,
             CASE WHEN d.m_text IS NULL THEN 'no 月份'
                  WHEN d.m IS NULL OR d.m NOT BETWEEN 1 AND 12
                    THEN format('月份 "%s" is no month (3, 2025-03, 2025年3月, 一季度)', d.month_given)
                  WHEN d.m_year IS DISTINCT FROM NULL AND d.m_year <> import_enterprise_periods.year
                    THEN format('月份 "%s" is not in %s', d.month_given, import_enterprise_periods.year) END,
             CASE WHEN d.year IS NOT NULL AND parcel_gov.bureau_number(d.year) IS DISTINCT FROM import_enterprise_periods.year
                    THEN format('年度 "%s" is not %s', d.year, import_enterprise_periods.year) END,
             CASE WHEN d.size_class IS NULL OR btrim(d.size_class) = '' THEN 'no 规模 (规上 or 规下)'
                  WHEN d.size IS NULL THEN format('规模 "%s" is not 规上, 规下, 规模以上 or 规模以下', d.size_class) END,
             CASE WHEN d.copies > 1 AND d.code IS NOT NULL
                    THEN format('rows %s give the same firm and month: none imported', d.copy_rows) END,
             (SELECT string_agg(format('%s is not a number', v.target), '; ') FROM unnest(figures, ARRAY[d.tax, d.value_added,
                     d.revenue, d.rd_expense, d.staff, d.energy_tce, d.emission_t, d.electricity_kwh, d.bonus, d.deduction])
                     AS v(target, value) WHERE v.value = 'NaN'),
             (SELECT string_agg(format('%s %s is negative', v.target, v.value), '; ') FROM unnest(figures, ARRAY[d.tax,
                     d.value_added, d.revenue, d.rd_expense, d.staff, d.energy_tce, d.emission_t, d.electricity_kwh, d.bonus,
                     d.deduction]) AS v(target, value)
                     WHERE v.value < 0 AND v.target NOT IN ('tax', 'value_added', 'rd_expense')),
             (SELECT string_agg(format('%s %s is beyond any firm (a unit or typing mistake)', v.target, v.value), '; ')
                     FROM unnest(figures, ARRAY[d.tax, d.value_added, d.revenue, d.rd_expense, d.staff, d.energy_tce,
                     d.emission_t, d.electricity_kwh, d.bonus, d.deduction]) AS v(target, value)
                     WHERE v.value <> 'NaN' AND abs(v.value) >= CASE v.target WHEN 'staff' THEN 1e7
                                                                 WHEN 'electricity_kwh' THEN 1e12 ELSE 1e9 END)
           ], NULL) AS rejects
    FROM counted d
    LEFT JOIN LATERAL (SELECT e.uscc FROM parcel_gov.enterprise e
                       WHERE e.uscc = d.code AND d.code ~ '^[0-9A-Z]{18}$'
                         AND starts_with(e.region_code, import_enterprise_periods.region)) AS e ON true;

    -- 3. The figures, an empty cell keeping the stored one.
    INSERT INTO parcel_gov.enterprise_period AS p
        (uscc, year, month, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t,
         electricity_kwh, exempt_reason, veto_reason, bonus, deduction)
    SELECT r.code, import_enterprise_periods.year, r.m, r.size, r.tax, r.value_added, r.revenue, r.rd_expense, r.staff,
           r.energy_tce, r.emission_t, r.electricity_kwh, nullif(btrim(r.exempt_reason), ''),
           nullif(btrim(r.veto_reason), ''), coalesce(r.bonus, 0), coalesce(r.deduction, 0)
    FROM pg_temp.parcel_gov_period_rows r
    WHERE cardinality(r.rejects) = 0
    ON CONFLICT ON CONSTRAINT enterprise_period_pkey DO UPDATE
    SET size_class = EXCLUDED.size_class, tax = coalesce(EXCLUDED.tax, p.tax),
        value_added = coalesce(EXCLUDED.value_added, p.value_added), revenue = coalesce(EXCLUDED.revenue, p.revenue),
        rd_expense = coalesce(EXCLUDED.rd_expense, p.rd_expense), staff = coalesce(EXCLUDED.staff, p.staff),
        energy_tce = coalesce(EXCLUDED.energy_tce, p.energy_tce), emission_t = coalesce(EXCLUDED.emission_t, p.emission_t),
        electricity_kwh = coalesce(EXCLUDED.electricity_kwh, p.electricity_kwh),
        exempt_reason = coalesce(EXCLUDED.exempt_reason, p.exempt_reason),
        veto_reason = coalesce(EXCLUDED.veto_reason, p.veto_reason),
        bonus = EXCLUDED.bonus, deduction = EXCLUDED.deduction;

    RETURN QUERY
    SELECT o.source_row, o.uscc, o.month, o.outcome, o.reason
    FROM (SELECT NULL::bigint AS source_row, NULL::text AS uscc, NULL::integer AS month, 'ignored' AS outcome,
                 format('column "%s" is not a header this import knows: ignored', c ->> 'header') AS reason, o.i AS column_order
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS o(c, i) WHERE c ->> 'target' IS NULL
          UNION ALL
          SELECT r.n, r.code, r.m, CASE WHEN cardinality(r.rejects) > 0 THEN 'rejected' ELSE 'imported' END,
                 nullif(array_to_string(r.rejects, '; '), ''), 0
          FROM pg_temp.parcel_gov_period_rows r) AS o
    ORDER BY o.source_row NULLS FIRST, o.column_order;
    DROP TABLE pg_temp.parcel_gov_period_cells, pg_temp.parcel_gov_period_rows;
END $$;
COMMENT ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) IS
  '导入企业月度累计数据 (月监测): a staging table of the caller''s in the yearly template (统一社会信用代码, 规模, figures with their units: 税收(元), 用电量(万千瓦时)) plus 月份 (3, 2025-03, 2025年3月, 一季度 … 四季度) into enterprise_period for one county and year; firms must be on file; every row imported or rejected with its reason, unknown headers ignored and named';
-- Firms' yearly figures from the bureaus' spreadsheets (README "Load this
-- year's data"): a staging table as \copy or ogr2ogr leaves it, columns
-- named by the bureau's headers (bureau_header), read in three set-based
-- steps: the cells parsed into the stored units, each row checked against
-- what is stored, then firms created and the year's figures upserted.
-- Nothing is dropped or accepted without a word: every row comes back
-- imported, flagged (imported, with something to check) or rejected, and
-- every column not used comes back as ignored.

CREATE FUNCTION parcel_gov.import_enterprise_years(source regclass, year integer, region text,
                                                   accept_implausible boolean DEFAULT false)
    RETURNS TABLE (source_row bigint, uscc text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    figures constant text[] := ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                     'emission_t', 'electricity_kwh', 'water_t', 'cod_t', 'main_revenue',
                                     'bonus', 'deduction'];
    -- the staging table's columns: header, what it names, unit factor, number type
    cols jsonb;
    -- target → the sheet's header, for the figures it has
    headers jsonb;
    problems text;
    pick text;
    row_number_sql text;
    limits record;
BEGIN
    -- As its caller, like import_parcels(): the firms and figures are the
    -- caller's to write, under their row-level security and the triggers.
    PERFORM parcel_gov.require_caller('import_enterprise_years', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region AND r.level = 'county' AND r.valid_to IS NULL) THEN
        RAISE EXCEPTION 'region "%" is not a current county', region USING ERRCODE = '22023',
            HINT = 'Firms are filed under their county''s 6-digit code, e.g. 330604 (SELECT code, name FROM parcel_gov.region WHERE level = ''county'').';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 1949 AND 2200 THEN
        RAISE EXCEPTION 'year % is not a year of figures', year USING ERRCODE = '22023',
            HINT = 'Give the year the figures are for, e.g. 2024.';
    END IF;
    -- the caller's own table, of plain columns (checked with the headers)
    PERFORM parcel_gov.staging_table_check(source, '\copy or ogr2ogr');

    SELECT jsonb_agg(jsonb_build_object('header', a.attname, 'target', h.target, 'factor', h.factor,
                                        'problem', coalesce(h.problem,
                                            CASE WHEN t.typnamespace <> 'pg_catalog'::regnamespace
                                                 THEN format('"%s" is of type %s: load the sheet as text or numbers',
                                                             a.attname, format_type(a.atttypid, a.atttypmod)) END),
                                        'number', t.typcategory = 'N') ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL parcel_gov.bureau_header(a.attname) h
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'ogc_fid';   -- ogr2ogr's feature number: the row number below
    cols := coalesce(cols, '[]');
    SELECT string_agg(c ->> 'problem', '; ') INTO problems
    FROM jsonb_array_elements(cols) c WHERE c ->> 'problem' IS NOT NULL;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'headers of % cannot be read: %', source, problems USING ERRCODE = '22023',
            HINT = 'Name each figure''s unit in its header, e.g. 税收(万元), 用电量(万千瓦时); README "Load this year''s data" lists the headers and units.';
    END IF;
    SELECT string_agg(format('"%s" and "%s"', x ->> 'header', y ->> 'header'), ', ') INTO problems
    FROM jsonb_array_elements(cols) WITH ORDINALITY AS i(x, n)
    JOIN jsonb_array_elements(cols) WITH ORDINALITY AS j(y, m) ON m > n AND x ->> 'target' = y ->> 'target';
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % name the same figure twice: %', source, problems USING ERRCODE = '22023',
            HINT = 'Keep one column per figure in the staging table.';
    END IF;
    IF NOT cols @> '[{"target": "uscc"}]' OR NOT cols @> '[{"target": "size_class"}]' THEN
        RAISE EXCEPTION '% has no % column', source,
              CASE WHEN NOT cols @> '[{"target": "uscc"}]' THEN '统一社会信用代码' ELSE '规模' END
            USING ERRCODE = '42703',
            HINT = 'The file needs 统一社会信用代码 and 规模 (规上/规下) besides its figures; README "Load this year''s data" has the template.';
    END IF;
    SELECT jsonb_object_agg(c ->> 'target', c ->> 'header') INTO headers
    FROM jsonb_array_elements(cols) c WHERE c ->> 'target' IS NOT NULL;

    -- 1. The cells: codes and names as text, figures parsed and converted
    -- (NaN: no number), each figure's cell kept for the report.
    SELECT string_agg(CASE WHEN t = ANY (figures) AND headers ? t
                             THEN format(', %I::text AS %I, parcel_gov.bureau_number(%I::text) * %s AS %I',
                                         headers ->> t, t || '_cell', headers ->> t,
                                         (SELECT c ->> 'factor' FROM jsonb_array_elements(cols) c WHERE c ->> 'target' = t), t)
                           WHEN t = ANY (figures)
                             THEN format(', NULL::text AS %I, NULL::double precision AS %I', t || '_cell', t)
                           WHEN headers ? t THEN format(', %I::text AS %I', headers ->> t, t)
                           ELSE format(', NULL::text AS %I', t) END, '')
    INTO pick
    FROM unnest(ARRAY['uscc', 'name', 'industry_code', 'size_class', 'year', 'exempt_reason', 'veto_reason']
                || figures) AS t;
    row_number_sql := CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = source AND a.attname = 'ogc_fid'
                                                                     AND NOT a.attisdropped)
                           THEN 'ogc_fid::bigint' ELSE 'row_number() OVER (ORDER BY ctid)' END;
    IF to_regclass('pg_temp.parcel_gov_import_cells') IS NOT NULL THEN
        DROP TABLE pg_temp.parcel_gov_import_cells, pg_temp.parcel_gov_import_rows;
    END IF;
    EXECUTE format('CREATE TEMP TABLE parcel_gov_import_cells AS SELECT %s AS n%s FROM %s',
                   row_number_sql, pick, source);

    SELECT r.id, r.max_tax_per_mu, r.max_va_per_mu, r.max_tax_per_kwh INTO limits
    FROM parcel_gov.rule_set r WHERE r.id = parcel_gov.rule_set_for(region, year);

    -- 2. Each row against what is stored: the firm (as the caller sees it),
    -- the year's stored figures, the figures merged (an empty cell keeps the
    -- stored figure), what stops the row and what the clerk should check.
    CREATE TEMP TABLE parcel_gov_import_rows AS
    WITH read AS (
        SELECT c.*,
               nullif(upper(regexp_replace(c.uscc, '[\s\u3000-]', '', 'g')), '') AS code,
               nullif(btrim(regexp_replace(c.name, '[\s\u3000]+', ' ', 'g')), '') AS firm_name,
               nullif(regexp_replace(btrim(c.industry_code), '\.0+$', ''), '') AS industry_given,
               nullif(btrim(c.size_class), '') AS size_given,
               nullif(btrim(c.year), '') AS year_given,
               nullif(btrim(c.exempt_reason), '') AS exempt_given, nullif(btrim(c.veto_reason), '') AS veto_given
        FROM pg_temp.parcel_gov_import_cells c
    ), coded AS (
        SELECT r.*,
               CASE r.size_given WHEN '规上' THEN 'above' WHEN '规模以上' THEN 'above'
                                 WHEN '规下' THEN 'below' WHEN '规模以下' THEN 'below' END::parcel_gov.size_class AS size,
               -- a number column drops leading zeros: 0610 → 610, 061 → 61; a
               -- code of fewer than four digits from one cannot be trusted
               CASE WHEN r.industry_given IS NULL THEN NULL
                    WHEN (cols @> '[{"target": "industry_code", "number": true}]') AND length(r.industry_given) < 4 THEN NULL
                    ELSE parcel_gov.industry_code_normal(r.industry_given) END AS industry,
               -- the same firm twice: once when the rows agree, never when they differ
               min(r.n) OVER same AS first_row,
               count(*) OVER same AS copies,
               min(row(r.name, r.industry_code, r.size_class, r.year, r.tax, r.value_added, r.revenue, r.rd_expense,
                       r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.water_t, r.cod_t, r.main_revenue,
                       r.bonus, r.deduction, r.exempt_reason,
                       r.veto_reason)::text) OVER same
                 = max(row(r.name, r.industry_code, r.size_class, r.year, r.tax, r.value_added, r.revenue, r.rd_expense,
                           r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.water_t, r.cod_t, r.main_revenue,
                       r.bonus, r.deduction, r.exempt_reason,
                           r.veto_reason)::text) OVER same AS copies_agree,
               string_agg(r.n::text, ', ') OVER (PARTITION BY r.code ORDER BY r.n
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS copy_rows
        FROM read r
        WINDOW same AS (PARTITION BY r.code)
    ), known AS (
        -- looked up by key (the staging table has no statistics)
        SELECT c.*, e.uscc IS NOT NULL AS firm_seen, e.region_code AS firm_region, e.name AS stored_name,
               e.industry_code AS stored_industry, s.uscc IS NOT NULL AS year_stored,
               s.tax AS s_tax, s.value_added AS s_value_added, s.revenue AS s_revenue, s.rd_expense AS s_rd_expense,
               s.staff AS s_staff, s.energy_tce AS s_energy_tce, s.emission_t AS s_emission_t,
               s.electricity_kwh AS s_electricity_kwh, s.water_t AS s_water_t, s.cod_t AS s_cod_t,
               s.main_revenue AS s_main_revenue, s.bonus AS s_bonus, s.deduction AS s_deduction,
               s.exempt_reason AS s_exempt_reason, s.veto_reason AS s_veto_reason,
               coalesce(s.figures_confirmed, false) AS s_confirmed, twin.uscc AS twin, twin.name AS twin_name
        FROM coded c
        LEFT JOIN LATERAL (SELECT e.* FROM parcel_gov.enterprise e
                           WHERE e.uscc = c.code AND c.code ~ '^[0-9A-Z]{18}$') AS e ON true
        LEFT JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y
                           WHERE y.uscc = e.uscc AND y.year = import_enterprise_years.year) AS s ON true
        -- an early code one character off a stored firm's: a typing mistake
        LEFT JOIN LATERAL (SELECT t.uscc, t.name FROM parcel_gov.enterprise t
                           WHERE e.uscc IS NULL AND c.code ~ '^[0-9A-Z]{18}$' AND parcel_gov.uscc_early(c.code)
                             AND t.uscc ^@ left(c.code, 17) AND t.uscc <> c.code
                           LIMIT 1) AS twin ON true
    ), merged AS (
        SELECT k.*,
               coalesce(k.tax, k.s_tax) AS m_tax, coalesce(k.value_added, k.s_value_added) AS m_value_added,
               coalesce(k.revenue, k.s_revenue) AS m_revenue, coalesce(k.rd_expense, k.s_rd_expense) AS m_rd_expense,
               coalesce(k.staff, k.s_staff) AS m_staff, coalesce(k.energy_tce, k.s_energy_tce) AS m_energy_tce,
               coalesce(k.emission_t, k.s_emission_t) AS m_emission_t,
               coalesce(k.electricity_kwh, k.s_electricity_kwh) AS m_electricity_kwh,
               coalesce(k.water_t, k.s_water_t) AS m_water_t, coalesce(k.cod_t, k.s_cod_t) AS m_cod_t,
               coalesce(k.main_revenue, k.s_main_revenue) AS m_main_revenue,
               coalesce(k.bonus, k.s_bonus, 0) AS m_bonus, coalesce(k.deduction, k.s_deduction, 0) AS m_deduction,
               coalesce(k.exempt_given, k.s_exempt_reason) AS m_exempt_reason,
               coalesce(k.veto_given, k.s_veto_reason) AS m_veto_reason,
               l.net_mu AS land
        FROM known k
        -- the land of the stored firms, in one call
        LEFT JOIN (SELECT n.* FROM (SELECT coalesce(array_agg(DISTINCT k2.code), '{}') AS codes
                                    FROM known k2 WHERE k2.firm_seen) AS f
                   CROSS JOIN LATERAL parcel_gov.net_land_mu(
                       f.codes, array_fill(import_enterprise_years.year, ARRAY[cardinality(f.codes)])) AS n) AS l
          ON l.uscc = k.code
    ), cells AS (
        -- each figure of the row: the sheet's header, its cell, the value read, the stored one
        SELECT m.*, f.*
        FROM merged m
        CROSS JOIN LATERAL (
            SELECT array_agg(format('%s "%s" is not a number', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value = 'NaN') AS not_numbers,
                   array_agg(format('%s %s is negative', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value < 0 AND v.target NOT IN ('tax', 'value_added', 'rd_expense')) AS negatives,
                   array_agg(format('%s %s is beyond any firm (a unit or typing mistake)', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value <> 'NaN' AND abs(v.value) >= CASE v.target WHEN 'staff' THEN 1e7
                                                                    WHEN 'electricity_kwh' THEN 1e12
                                                                    WHEN 'water_t' THEN 1e10 ELSE 1e9 END) AS too_large,
                   array_agg(format('%s is empty: the stored %s is kept', v.header, v.stored) ORDER BY v.i)
                     FILTER (WHERE v.header IS NOT NULL AND v.value IS NULL AND v.stored IS NOT NULL
                                    -- points default to 0: nothing to keep
                                    AND NOT (v.target IN ('bonus', 'deduction') AND v.stored = 0)) AS kept
            FROM (VALUES (1, 'tax', m.tax_cell, m.tax, m.s_tax), (2, 'value_added', m.value_added_cell, m.value_added, m.s_value_added),
                         (3, 'revenue', m.revenue_cell, m.revenue, m.s_revenue),
                         (4, 'rd_expense', m.rd_expense_cell, m.rd_expense, m.s_rd_expense),
                         (5, 'staff', m.staff_cell, m.staff, m.s_staff), (6, 'energy_tce', m.energy_tce_cell, m.energy_tce, m.s_energy_tce),
                         (7, 'emission_t', m.emission_t_cell, m.emission_t, m.s_emission_t),
                         (8, 'electricity_kwh', m.electricity_kwh_cell, m.electricity_kwh, m.s_electricity_kwh),
                         (9, 'water_t', m.water_t_cell, m.water_t, m.s_water_t),
                         (10, 'cod_t', m.cod_t_cell, m.cod_t, m.s_cod_t),
                         (11, 'main_revenue', m.main_revenue_cell, m.main_revenue, m.s_main_revenue),
                         (12, 'bonus', m.bonus_cell, m.bonus, m.s_bonus), (13, 'deduction', m.deduction_cell, m.deduction, m.s_deduction))
                 AS x(i, target, cell, value, stored)
            CROSS JOIN LATERAL (SELECT x.i, x.target, headers ->> x.target AS header, x.cell, x.value, x.stored) AS v
        ) AS f
    )
    SELECT c.n, c.code, c.firm_name, c.size, c.industry, c.firm_seen, c.stored_industry, c.year_stored, c.s_confirmed,
           c.m_tax, c.m_value_added, c.m_revenue, c.m_rd_expense, c.m_staff, c.m_energy_tce, c.m_emission_t,
           c.m_electricity_kwh, c.m_water_t, c.m_cod_t, c.m_main_revenue, c.m_bonus, c.m_deduction, c.m_exempt_reason,
           c.m_veto_reason,
           -- the limits read tax, value added and electricity: unchanged, a confirmation stands
           c.year_stored AND c.m_tax IS NOT DISTINCT FROM c.s_tax AND c.m_value_added IS NOT DISTINCT FROM c.s_value_added
             AND c.m_electricity_kwh IS NOT DISTINCT FROM c.s_electricity_kwh AS limit_figures_kept,
           array_remove(ARRAY[
             CASE WHEN c.code IS NULL THEN 'no 统一社会信用代码'
                  WHEN c.code ~ '^[0-9]{15}$'
                    THEN format('%s is a 15-digit 工商注册号 (business registration number), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', c.code)
                  WHEN c.code ~ '^[0-9A-Z]{8}[0-9X]$'
                    THEN format('%s is a 9-character 组织机构代码 (organisation code), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', c.code)
                  WHEN NOT parcel_gov.uscc_early(c.code) AND parcel_gov.uscc_problem(c.code) IS NOT NULL
                    THEN format('统一社会信用代码 %s %s', c.code, parcel_gov.uscc_problem(c.code))
                  WHEN c.twin IS NOT NULL
                    THEN format('统一社会信用代码 %s fails its check character and differs from %s (%s) only in it: a typing mistake? give the code as stored',
                                c.code, c.twin, c.twin_name) END,
             CASE WHEN c.code IS NULL OR c.copies = 1 THEN NULL
                  WHEN NOT c.copies_agree THEN format('rows %s give different figures for the same firm: none imported', c.copy_rows)
                  WHEN c.n <> c.first_row THEN format('the same firm and figures as row %s: imported once', c.first_row) END,
             CASE WHEN c.year_given IS NOT NULL AND parcel_gov.bureau_number(c.year_given) IS DISTINCT FROM import_enterprise_years.year
                    THEN format('年度 "%s" is not %s', c.year_given, import_enterprise_years.year) END,
             CASE WHEN c.size_given IS NULL THEN 'no 规模 (规上 or 规下)'
                  WHEN c.size IS NULL THEN format('规模 "%s" is not 规上, 规下, 规模以上 or 规模以下', c.size_given) END,
             CASE WHEN NOT c.firm_seen AND c.firm_name IS NULL THEN 'a new firm needs its 企业名称' END,
             CASE WHEN c.firm_seen AND NOT starts_with(c.firm_region, import_enterprise_years.region)
                    THEN format('a firm of %s, not of %s: its county imports its figures', c.firm_region,
                                import_enterprise_years.region) END,
             array_to_string(c.not_numbers, '; '), array_to_string(c.negatives, '; '),
             array_to_string(c.too_large, '; ')], NULL) AS rejects,
           array_remove(ARRAY[
             CASE WHEN parcel_gov.uscc_early(c.code)
                    THEN format('统一社会信用代码 %s: %s (an early code?): stored; confirm it against the business licence (v_uscc_early)',
                                c.code, parcel_gov.uscc_problem(c.code)) END,
             CASE WHEN c.industry_given IS NOT NULL AND c.industry IS NULL
                       AND (cols @> '[{"target": "industry_code", "number": true}]') AND length(c.industry_given) < 4
                    THEN format('行业代码 %s came from a number column and may have lost a leading zero (0%s?): left empty; load the column as text',
                                c.industry_given, c.industry_given)
                  WHEN c.industry_given IS NOT NULL AND c.industry IS NULL
                    THEN format('行业代码 "%s" %s: left empty', c.industry_given,
                                coalesce(parcel_gov.industry_code_problem(upper(c.industry_given)), 'is no GB/T 4754 code'))
                  WHEN c.firm_seen AND c.stored_industry IS NOT NULL AND c.industry <> c.stored_industry
                    THEN format('行业代码 %s differs from the stored %s: the stored code is kept', c.industry, c.stored_industry) END,
             CASE WHEN c.firm_seen AND c.firm_name IS NOT NULL AND c.firm_name <> c.stored_name
                    THEN format('企业名称 "%s" differs from the stored "%s": the stored name is kept', c.firm_name, c.stored_name) END,
             array_to_string(c.kept, '; ')], NULL) AS flags,
           -- the merged figures beyond the rule set's limits: the figure, the
           -- unit read and the value it gives (a confirmation of unchanged ones stands)
           CASE WHEN c.s_confirmed AND c.year_stored AND c.m_tax IS NOT DISTINCT FROM c.s_tax
                     AND c.m_value_added IS NOT DISTINCT FROM c.s_value_added
                     AND c.m_electricity_kwh IS NOT DISTINCT FROM c.s_electricity_kwh THEN '{}'::text[]
                ELSE array_remove(ARRAY[
             CASE WHEN c.land > 0 AND c.m_tax / c.land > limits.max_tax_per_mu
                    THEN format('%s read as %s 万元 gives 亩均税收 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'tax', '税收 (stored)'), trim_scale(round(c.m_tax::numeric, 4)),
                                round((c.m_tax / c.land)::numeric, 2), round(c.land::numeric, 2), limits.max_tax_per_mu, limits.id) END,
             CASE WHEN c.land > 0 AND c.m_value_added / c.land > limits.max_va_per_mu
                    THEN format('%s read as %s 万元 gives 亩均增加值 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'value_added', '工业增加值 (stored)'), trim_scale(round(c.m_value_added::numeric, 4)),
                                round((c.m_value_added / c.land)::numeric, 2), round(c.land::numeric, 2),
                                limits.max_va_per_mu, limits.id) END,
             CASE WHEN c.m_electricity_kwh > 0 AND c.m_tax * 1e4 / c.m_electricity_kwh > limits.max_tax_per_kwh
                    THEN format('%s read as %s 万元 on %s read as %s kWh gives %s 元 of tax per kWh, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'tax', '税收 (stored)'), trim_scale(round(c.m_tax::numeric, 4)),
                                coalesce(headers ->> 'electricity_kwh', '用电量 (stored)'),
                                trim_scale(round(c.m_electricity_kwh::numeric, 2)),
                                round((c.m_tax * 1e4 / c.m_electricity_kwh)::numeric, 2), limits.max_tax_per_kwh, limits.id) END
           ], NULL) END AS implausible
    FROM cells c;

    -- 3. New firms for the rows that go in (a firm that exists but the caller
    -- cannot see is another county's: "not found or not permitted"), an
    -- empty industry code filled, then the year's figures as merged.
    INSERT INTO parcel_gov.enterprise (uscc, name, region_code, industry_code)
    SELECT DISTINCT ON (r.code) r.code, r.firm_name, import_enterprise_years.region, r.industry
    FROM pg_temp.parcel_gov_import_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible) AND NOT r.firm_seen
    ORDER BY r.code, r.n
    ON CONFLICT DO NOTHING;
    UPDATE pg_temp.parcel_gov_import_rows r
    SET rejects = r.rejects || format('firm %s not found or not permitted: a firm of another county, whose county imports its figures', r.code)
    WHERE cardinality(r.rejects) = 0 AND NOT r.firm_seen
      AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc = r.code);
    UPDATE parcel_gov.enterprise e SET industry_code = r.industry
    FROM pg_temp.parcel_gov_import_rows r
    WHERE e.uscc = r.code AND r.firm_seen AND r.stored_industry IS NULL AND r.industry IS NOT NULL
      AND cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible);
    INSERT INTO parcel_gov.enterprise_year AS y
        (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t, electricity_kwh,
         water_t, cod_t, main_revenue, exempt_reason, veto_reason, bonus, deduction, figures_confirmed)
    SELECT r.code, import_enterprise_years.year, r.size, r.m_tax, r.m_value_added, r.m_revenue, r.m_rd_expense,
           r.m_staff, r.m_energy_tce, r.m_emission_t, r.m_electricity_kwh, r.m_water_t, r.m_cod_t, r.m_main_revenue,
           r.m_exempt_reason, r.m_veto_reason,
           r.m_bonus, r.m_deduction,
           CASE WHEN cardinality(r.implausible) > 0 THEN true WHEN r.limit_figures_kept THEN r.s_confirmed ELSE false END
    FROM pg_temp.parcel_gov_import_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible)
    ON CONFLICT ON CONSTRAINT enterprise_year_pkey DO UPDATE
    SET size_class = EXCLUDED.size_class, tax = EXCLUDED.tax, value_added = EXCLUDED.value_added,
        revenue = EXCLUDED.revenue, rd_expense = EXCLUDED.rd_expense, staff = EXCLUDED.staff,
        energy_tce = EXCLUDED.energy_tce, emission_t = EXCLUDED.emission_t, electricity_kwh = EXCLUDED.electricity_kwh,
        water_t = EXCLUDED.water_t, cod_t = EXCLUDED.cod_t, main_revenue = EXCLUDED.main_revenue,
        exempt_reason = EXCLUDED.exempt_reason, veto_reason = EXCLUDED.veto_reason, bonus = EXCLUDED.bonus,
        deduction = EXCLUDED.deduction, figures_confirmed = EXCLUDED.figures_confirmed;

    RETURN QUERY
    SELECT o.source_row, o.uscc, o.outcome, o.reason
    FROM (SELECT NULL::bigint AS source_row, NULL::text AS uscc, 'ignored' AS outcome,
                 format('column "%s" is not a header this import knows: ignored', c ->> 'header') AS reason,
                 o.i AS column_order
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS o(c, i) WHERE c ->> 'target' IS NULL
          UNION ALL
          SELECT r.n, r.code,
                 CASE WHEN cardinality(r.rejects) > 0 OR (cardinality(r.implausible) > 0 AND NOT accept_implausible)
                        THEN 'rejected'
                      WHEN cardinality(r.flags) > 0 OR cardinality(r.implausible) > 0 THEN 'flagged'
                      ELSE 'imported' END,
                 nullif(array_to_string(
                   CASE WHEN cardinality(r.rejects) > 0 THEN r.rejects
                        WHEN cardinality(r.implausible) > 0 AND NOT accept_implausible
                          THEN r.implausible || 'if the figures are right as they are, import again with accept_implausible => true'::text
                        ELSE r.flags || r.implausible END, '; '), ''),
                 0
          FROM pg_temp.parcel_gov_import_rows r) AS o
    ORDER BY o.source_row NULLS FIRST, o.column_order;
    DROP TABLE pg_temp.parcel_gov_import_cells, pg_temp.parcel_gov_import_rows;
END $$;
COMMENT ON FUNCTION parcel_gov.import_enterprise_years(regclass, integer, text, boolean) IS
  '导入企业年度数据: a staging table of the caller''s with the bureau''s headers and units (税收(元), 用电量(万千瓦时), 行业代码 3311, 规上/规下) into enterprise and enterprise_year for one county and year; every row imported, flagged or rejected with its reason, unknown headers ignored and named';

-- The firms whose code is early (only its check character fails), with
-- whether the clerk has confirmed it against the business licence.
-- (the join also keeps the view read-only: a GIS or BI client offers no
-- editing, and a code is confirmed in enterprise itself)
CREATE VIEW parcel_gov.v_uscc_early WITH (security_invoker = true) AS
SELECT e.uscc::text AS uscc, e.name, e.region_code,
       parcel_gov.uscc_problem(e.uscc) AS problem, e.uscc_confirmed, rg.name AS region_name
FROM parcel_gov.enterprise e
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
WHERE parcel_gov.uscc_early(e.uscc);
COMMENT ON VIEW parcel_gov.v_uscc_early IS
  '待核实代码 (early codes): firms whose 统一社会信用代码 fails only its check character, stored as given; confirm each against the business licence (UPDATE enterprise SET uscc_confirmed = true)';
COMMENT ON COLUMN parcel_gov.v_uscc_early.problem IS
  '代码问题: what fails in the code (its check character)';
COMMENT ON COLUMN parcel_gov.v_uscc_early.uscc_confirmed IS
  '代码已核实: confirmed against the business licence';
-- Many counties, one province (README: Many counties, one province;
-- docs/scale-out.md).  Each county server keeps its own data and publishes
-- its region's inputs and results with PostgreSQL's logical replication;
-- the provincial server subscribes to every county, sees everything and
-- evaluates no subscribed county again.
--   use_id_block(county)          a county server numbers its rows in a block
--                                 of its own, so rows of many counties meet at
--                                 the province without colliding
--   county_publication(county)    the county's publication: the tables of
--                                 county_published_tables(), filtered to its
--                                 region where they have a region column
--   subscribe_county(county, …)   the province's record of which subscription
--                                 brings which county
-- and the province's checks, as triggers on the published tables:
--   an applied row (ENABLE REPLICA, in the replication workers only) is the
--   subscription's county's, or it is not applied and is logged in
--   replication_refused; a replicated TRUNCATE is refused;
--   a local write to a subscribed county's rows is refused (42501), as are
--   evaluate() and evaluation_discard() of a county whose results arrive by
--   subscription (55000, in install/85_evaluate.sql and 86_evaluation_summary.sql).

-- What a county publishes, and how each row names its county: its region
-- code, a township's code, its parcel's code, or its firm.  Inputs are the
-- county's to change; results (and the register) are evaluate()'s and the
-- clerks', written where the county evaluates.
CREATE FUNCTION parcel_gov.county_published_tables()
    RETURNS TABLE (table_name name, county_from text, kind text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT t.table_name::name, t.county_from, t.kind
    FROM (VALUES (1, 'region', 'code', 'inputs'), (2, 'park', 'region_code', 'inputs'),
                 (3, 'region_boundary', 'region_code', 'inputs'), (4, 'enterprise', 'region_code', 'inputs'),
                 (5, 'parcel', 'region_code', 'inputs'), (6, 'lease', 'parcel_code', 'inputs'),
                 (7, 'enterprise_year', 'uscc', 'inputs'), (8, 'evaluation', 'region_code', 'results'),
                 (9, 'evaluation_benchmark', 'region_code', 'results'),
                 (10, 'evaluation_summary', 'region_code', 'results'), (11, 'register', 'parcel_code', 'results'),
                 (12, 'register_event', 'parcel_code', 'results')) AS t (n, table_name, county_from, kind)
    ORDER BY t.n;
END;
COMMENT ON FUNCTION parcel_gov.county_published_tables() IS
  'The tables a county server publishes to the province (county_publication()), how a row names its county (county_from: region_code, a township''s code, its parcel_code, or its firm''s uscc) and whether it is an input or a result (evaluate()''s, and the register)';

-- ---- The province's record of its subscriptions.
CREATE TABLE parcel_gov.county_subscription (
    subscription  name PRIMARY KEY,
    county        text NOT NULL UNIQUE REFERENCES parcel_gov.region
                  CONSTRAINT county_subscription_county_6_digits CHECK (county ~ '^[0-9]{6}$'),
    -- true: the county's results (evaluation, summaries, register) arrive too,
    -- and this server evaluates the county no more; false: only its inputs,
    -- and this server evaluates it
    results       boolean NOT NULL DEFAULT true,
    registered_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    registered_by name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker())
);
COMMENT ON TABLE parcel_gov.county_subscription IS
  '县区订阅 (the province''s subscriptions): which logical replication subscription brings which county''s rows, and whether its results come too (then evaluate() here refuses the county); written by subscribe_county() and unsubscribe_county()';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.county_subscription', '');

CREATE TABLE parcel_gov.replication_refused (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    refused_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    subscription name NOT NULL,
    county       text,              -- the subscription's county (NULL: none registered)
    table_name   name NOT NULL,
    operation    text NOT NULL,
    row_county   text,              -- the county the row belongs to (NULL: not known here)
    row_data     jsonb NOT NULL
);
COMMENT ON TABLE parcel_gov.replication_refused IS
  '拒收记录 (rows a county''s subscription sent that were not applied): a row of another county (or of a firm not known here), or a result where only inputs are subscribed; written by the province''s check of applied rows';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.replication_refused', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.replication_refused', 'id'), '');

-- A county-level code in use, or 22023.
CREATE FUNCTION parcel_gov.require_county(what text, county text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r parcel_gov.region;
BEGIN
    SELECT * INTO r FROM parcel_gov.region g WHERE g.code = require_county.county;
    IF r.code IS NULL OR r.level <> 'county' THEN
        RAISE EXCEPTION '%: % is not a county', what, coalesce(county, 'NULL') USING ERRCODE = '22023',
            HINT = 'Give a county''s 6-digit code (330604 上虞区, parcel_gov.region with level county): a county server publishes one county; a city''s or the province''s server subscribes and keeps the default numbering.';
    END IF;
    IF r.valid_to IS NOT NULL THEN
        RAISE EXCEPTION '%: county % % was superseded by % on %', what, r.code, r.name, r.superseded_by, r.valid_to
            USING ERRCODE = '22023', HINT = 'Give the code in use today.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_county(text, text) IS
  'internal: raises 22023 unless the code is a county''s in use (parcel_gov.region, level county, not superseded)';

-- ---- Id blocks.  Identity columns (parcel.fid, lease.id, evaluation.id,
-- register.fid, register_event.id, …) count from 1 on every server: rows of
-- two counties would collide at the province.  A county's server takes ids
-- from county code × 10⁹ + 1 to county code × 10⁹ + 999,999,999 (330604 →
-- 330604000000001 …), one block per county, readable by eye and below 2⁵³,
-- so JavaScript clients read them exactly.
CREATE FUNCTION parcel_gov.id_block(county text)
    RETURNS int8range
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF county !~ '^[1-9][0-9]{5}$' THEN
        RAISE EXCEPTION 'id_block: % is not a 6-digit region code', county USING ERRCODE = '22023',
            HINT = 'Give a county''s code, e.g. 330604.';
    END IF;
    RETURN int8range(county::bigint * 1000000000 + 1, (county::bigint + 1) * 1000000000);
END $$;
COMMENT ON FUNCTION parcel_gov.id_block(text) IS
  'The ids a county''s server gives its rows (use_id_block()): [county × 10⁹ + 1, (county + 1) × 10⁹), e.g. 330604 → [330604000000001,330605000000000)';

-- The identity columns of the extension's tables, with their sequences.
CREATE FUNCTION parcel_gov.identity_columns()
    RETURNS TABLE (tbl regclass, column_name name, identity "char", seq regclass)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.oid::regclass, a.attname, a.attidentity,
           pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'r' AND a.attidentity <> ''
    ORDER BY c.relname, a.attname;
END;
COMMENT ON FUNCTION parcel_gov.identity_columns() IS
  'internal: the identity columns of parcel_gov''s tables and their sequences (what use_id_block() sets)';

CREATE FUNCTION parcel_gov.use_id_block(county text, renumber boolean DEFAULT false)
    RETURNS TABLE (table_name name, column_name name, first_id bigint, last_id bigint, next_id bigint, renumbered bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    base bigint;
    first_ bigint;
    last_ bigint;
    c record;
    fk record;
    outside bigint;
    foreign_ids bigint;
    top bigint;
    seq_last bigint;
    moved bigint;
    saved_role constant text := current_setting('session_replication_role');
BEGIN
    PERFORM parcel_gov.require_county('use_id_block', county);
    base := county::bigint * 1000000000;
    first_ := lower(parcel_gov.id_block(county));
    last_ := upper(parcel_gov.id_block(county)) - 1;
    -- every column first: a refusal leaves everything as it was
    FOR c IN SELECT * FROM parcel_gov.identity_columns() LOOP
        EXECUTE format('SELECT count(*) FILTER (WHERE t.%1$I NOT BETWEEN $1 AND $2), '
                       'count(*) FILTER (WHERE t.%1$I NOT BETWEEN $1 AND $2 AND (t.%1$I < 1 OR t.%1$I >= 1000000000)) '
                       'FROM %2$s t', c.column_name, c.tbl)
        INTO outside, foreign_ids USING first_, last_;
        IF foreign_ids > 0 THEN
            RAISE EXCEPTION 'use_id_block: % rows of % have %.% values of another block', foreign_ids, c.tbl, c.tbl, c.column_name
                USING ERRCODE = '55000',
                      HINT = 'This database was numbered for another county (its ids are that county''s code × 10⁹ + n): a county''s rows are numbered once, for their county.';
        END IF;
        IF outside > 0 AND NOT renumber THEN
            RAISE EXCEPTION 'use_id_block: % rows of % have ids outside county %''s block', outside, c.tbl, county
                USING ERRCODE = '55000',
                      HINT = format('Call it before loading data, or let it move them: SELECT * FROM parcel_gov.use_id_block(%L, renumber => true) adds %s to each id (and to the columns that reference it); do it before the county publishes, while no one else writes.', county, base);
        END IF;
    END LOOP;
    FOR c IN SELECT * FROM parcel_gov.identity_columns() LOOP
        moved := 0;
        IF renumber THEN
            -- the old ids (1 … 999,999,999) move by base into the block, and
            -- so do the columns that reference them; replica mode keeps the
            -- guards, the history and the key checks out of a move that
            -- changes no fact
            PERFORM set_config('session_replication_role', 'replica', true);
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED BY DEFAULT', c.tbl, c.column_name);
            EXECUTE format('UPDATE %1$s t SET %2$I = t.%2$I + $1 WHERE t.%2$I < 1000000000', c.tbl, c.column_name)
            USING base;
            GET DIAGNOSTICS moved = ROW_COUNT;
            FOR fk IN SELECT k.conrelid::regclass AS tbl, a.attname
                      FROM pg_catalog.pg_constraint k
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                      JOIN pg_catalog.pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
                      WHERE k.contype = 'f' AND k.confrelid = c.tbl AND cardinality(k.confkey) = 1
                        AND r.attname = c.column_name LOOP
                EXECUTE format('UPDATE %1$s t SET %2$I = t.%2$I + $1 WHERE t.%2$I < 1000000000', fk.tbl, fk.attname)
                USING base;
            END LOOP;
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED %s', c.tbl, c.column_name,
                           CASE c.identity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END);
            PERFORM set_config('session_replication_role', saved_role, true);
        END IF;
        -- next: after every id the block has given, used or not
        EXECUTE format('SELECT max(t.%1$I) FROM %2$s t WHERE t.%1$I BETWEEN $1 AND $2', c.column_name, c.tbl)
        INTO top USING first_, last_;
        SELECT s.last_value INTO seq_last FROM pg_catalog.pg_sequences s
        WHERE format('%I.%I', s.schemaname, s.sequencename)::regclass = c.seq AND s.last_value BETWEEN first_ AND last_;
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET START WITH %s SET MINVALUE %s SET MAXVALUE %s RESTART WITH %s',
                       c.tbl, c.column_name, first_, first_, last_, greatest(first_, top + 1, seq_last + 1));
        table_name := (SELECT k.relname FROM pg_catalog.pg_class k WHERE k.oid = c.tbl);
        column_name := c.column_name;
        first_id := first_;
        last_id := last_;
        next_id := greatest(first_, top + 1, seq_last + 1);
        renumbered := moved;
        RETURN NEXT;
    END LOOP;
END $$;
COMMENT ON FUNCTION parcel_gov.use_id_block(text, boolean) IS
  '一县一号段: a county server''s identity columns (parcel.fid, lease.id, evaluation.id, register.fid, register_event.id and every other) take ids from the county''s block id_block(county) only, so the counties'' rows meet at the province without colliding; idempotent (the next id follows every id given); rows already numbered outside the block are refused (55000) unless renumber moves them in (ids + county × 10⁹, with the columns that reference them); a non-county code is refused (22023). A superuser''s, before the county publishes; again after a restore (a dump keeps the ids, not the bounds)';

-- ---- The county's publication.
CREATE FUNCTION parcel_gov.county_publication(county text)
    RETURNS name
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pub constant name := 'parcel_gov_' || county;
    tables text;
    unbounded text;
BEGIN
    PERFORM parcel_gov.require_county('county_publication', county);
    -- the county's rows must not collide with another county's at the province
    SELECT string_agg(format('%s.%s', i.tbl, i.column_name), ', ') INTO unbounded
    FROM parcel_gov.identity_columns() i
    JOIN pg_catalog.pg_sequence s ON s.seqrelid = i.seq
    WHERE (s.seqmin, s.seqmax) IS DISTINCT FROM (lower(parcel_gov.id_block(county)), upper(parcel_gov.id_block(county)) - 1);
    IF unbounded IS NOT NULL THEN
        RAISE EXCEPTION 'county_publication: the ids of % are not in county %''s block', unbounded, county
            USING ERRCODE = '55000',
                  HINT = format('SELECT * FROM parcel_gov.use_id_block(%L) first (renumber => true for rows already numbered).', county);
    END IF;
    -- row filters on the region column (its county's rows, a township's
    -- code for the county's own regions); lease, figures, the register and
    -- its history have none (their county is their parcel's or firm's):
    -- a county server holds its own, and the province checks each row
    SELECT string_agg(format('parcel_gov.%I', t.table_name)
                      || CASE t.county_from
                           WHEN 'region_code' THEN format(' WHERE (left(region_code, 6) = %L)', county)
                           WHEN 'code' THEN format(' WHERE (NOT shipped AND left(code, 6) = %L)', county)
                           ELSE '' END, ', ' ORDER BY t.table_name)
    INTO tables FROM parcel_gov.county_published_tables() t;
    -- no TRUNCATE: one county's would empty every county's rows at the province
    IF EXISTS (SELECT FROM pg_catalog.pg_publication p WHERE p.pubname = pub) THEN
        EXECUTE format('ALTER PUBLICATION %I SET TABLE %s', pub, tables);
        EXECUTE format('ALTER PUBLICATION %I SET (publish = %L)', pub, 'insert, update, delete');
    ELSE
        EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s WITH (publish = %L)', pub, tables, 'insert, update, delete');
    END IF;
    IF current_setting('wal_level') <> 'logical' THEN
        RAISE WARNING 'county_publication: wal_level is %, so nothing is published yet', current_setting('wal_level')
            USING HINT = 'Set wal_level = logical in postgresql.conf and restart the server.';
    END IF;
    RETURN pub;
END $$;
COMMENT ON FUNCTION parcel_gov.county_publication(text) IS
  '县区发布: creates (or brings in line) the publication parcel_gov_<county> of a county server: the tables of county_published_tables(), those with a region column filtered to the county, inserts, updates and deletes (no TRUNCATE); refused (55000) while the ids are not in the county''s block (use_id_block()); returns its name. A superuser''s';

-- ---- The province's subscriptions.
CREATE FUNCTION parcel_gov.subscribe_county(county text, subscription name DEFAULT NULL, results boolean DEFAULT true)
    RETURNS name
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    sub constant name := coalesce(subscribe_county.subscription, ('parcel_gov_' || subscribe_county.county)::name);
    other text;
BEGIN
    PERFORM parcel_gov.require_county('subscribe_county', subscribe_county.county);
    IF subscribe_county.results IS NULL THEN
        RAISE EXCEPTION 'subscribe_county: results must be true or false' USING ERRCODE = '22004',
            HINT = 'true: the county''s results arrive and this server evaluates it no more; false: only its inputs, evaluated here.';
    END IF;
    SELECT s.county INTO other FROM parcel_gov.county_subscription s
    WHERE s.subscription = sub AND s.county <> subscribe_county.county;
    IF other IS NOT NULL THEN
        RAISE EXCEPTION 'subscribe_county: subscription % brings county % already', sub, other USING ERRCODE = '23505',
            HINT = 'One subscription per county: give each county''s its own name (parcel_gov_<county>).';
    END IF;
    INSERT INTO parcel_gov.county_subscription AS s (subscription, county, results)
    VALUES (sub, subscribe_county.county, subscribe_county.results)
    ON CONFLICT (county) DO UPDATE
    SET subscription = EXCLUDED.subscription, results = EXCLUDED.results,
        registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_subscription p
                   WHERE p.subname = sub AND p.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d
                                                          WHERE d.datname = current_database())) THEN
        RAISE NOTICE 'subscribe_county: no subscription % in this database yet', sub
            USING HINT = format('CREATE SUBSCRIPTION %I CONNECTION ''host=… dbname=…'' PUBLICATION parcel_gov_%s', sub, subscribe_county.county);
    END IF;
    RETURN sub;
END $$;
COMMENT ON FUNCTION parcel_gov.subscribe_county(text, name, boolean) IS
  '县区订阅登记: records that a subscription (parcel_gov_<county> by default) brings a county''s rows to this server; results (true) says its evaluation, summaries and register come too, so evaluate() here refuses the county; false: only its inputs, evaluated here. Rows the subscription sends of any other county are not applied (replication_refused). A superuser''s, before or after CREATE SUBSCRIPTION';

CREATE FUNCTION parcel_gov.unsubscribe_county(county text)
    RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM parcel_gov.county_subscription s WHERE s.county = unsubscribe_county.county;
    RETURN FOUND;
END $$;
COMMENT ON FUNCTION parcel_gov.unsubscribe_county(text) IS
  'undo subscribe_county() (after DROP SUBSCRIPTION): the county''s rows stay, and this server may evaluate and change them again; true when it was registered';

-- The county a parcel code belongs to: its parcel's region here, else the
-- county its first six digits name (or the code that superseded them).
CREATE FUNCTION parcel_gov.county_of_parcel(parcel_code text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce((SELECT p.region_code FROM parcel_gov.parcel p WHERE p.code = county_of_parcel.parcel_code),
                    (SELECT coalesce(r.superseded_by, r.code) FROM parcel_gov.region r
                     WHERE r.code = left(county_of_parcel.parcel_code, 6)),
                    left(county_of_parcel.parcel_code, 6));
END;
COMMENT ON FUNCTION parcel_gov.county_of_parcel(text) IS
  'the county of a 宗地代码: its parcel''s region_code, else the county its first six digits name (the successor of a superseded code)';

-- evaluate() and evaluation_discard(): not for a county whose results arrive.
CREATE FUNCTION parcel_gov.require_evaluated_here(what text, prefix text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    counties text;
    sub name;
BEGIN
    SELECT string_agg(s.county, ', ' ORDER BY s.county), min(s.subscription) INTO counties, sub
    FROM parcel_gov.county_subscription s
    WHERE s.results AND starts_with(s.county, coalesce(prefix, ''));
    IF counties IS NOT NULL THEN
        RAISE EXCEPTION '%: the results of % arrive from the county''s server (subscription %)', what, counties, sub
            USING ERRCODE = '55000',
                  HINT = 'Evaluate on the county''s server: its results reach this server within seconds. For a one-off province-wide what-if, read the counties through postgres_fdw (README: Many counties, one province); to evaluate a county here, drop its subscription and unsubscribe_county() it.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_evaluated_here(text, text) IS
  'internal, for evaluate() and evaluation_discard(): raises 55000 when a county of the region prefix has its results subscribed (county_subscription.results)';

-- ---- The check of applied rows (ENABLE REPLICA, in replication workers
-- only: the WHEN clause).  A row of another county than the
-- subscription's, of a firm this server does not know once the firms are
-- copied, or a result where only inputs are subscribed, is not applied: the
-- worker goes on, the row goes to replication_refused and the server log
-- (WARNING).  An update or delete is judged by the row here as well.  A
-- subscription nobody registered stops (55000) until it is registered.
CREATE FUNCTION parcel_gov.replicated_row_check()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sub constant name := parcel_gov.applying_subscription();
    county_from constant text := TG_ARGV[0];
    kind constant text := TG_ARGV[1];
    reg parcel_gov.county_subscription;
    r record;
    theirs text;
BEGIN
    SELECT * INTO reg FROM parcel_gov.county_subscription s WHERE s.subscription = sub;
    IF reg.subscription IS NULL THEN
        RAISE EXCEPTION 'subscription % sends rows of % but is not registered as a county''s', sub, TG_TABLE_NAME
            USING ERRCODE = '55000',
                  HINT = format('SELECT parcel_gov.subscribe_county(''<county>'', %L) on this server; the worker retries.', sub);
    END IF;
    FOR pass IN 1 .. 2 LOOP
        CONTINUE WHEN (pass = 1 AND TG_OP = 'DELETE') OR (pass = 2 AND TG_OP = 'INSERT');
        IF pass = 1 THEN
            r := NEW;
        ELSE
            r := OLD;
        END IF;
        IF county_from = 'region_code' THEN
            theirs := left(r.region_code, 6);
        ELSIF county_from = 'code' THEN
            theirs := CASE WHEN NOT r.shipped AND length(r.code) = 9 THEN left(r.code, 6) END;
        ELSIF county_from = 'parcel_code' THEN
            theirs := parcel_gov.county_of_parcel(r.parcel_code);
        ELSE
            theirs := (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = r.uscc);
            -- the firm's row may not be copied yet (each table is copied on
            -- its own): until it is, stop and retry; afterwards an unknown
            -- firm is none of the county's
            IF theirs IS NULL AND NOT EXISTS (
                   SELECT FROM pg_catalog.pg_subscription_rel sr
                   JOIN pg_catalog.pg_subscription su ON su.oid = sr.srsubid
                   WHERE su.subname = sub AND sr.srrelid = 'parcel_gov.enterprise'::regclass
                     AND sr.srsubstate IN ('s', 'r')) THEN
                RAISE EXCEPTION 'subscription %: firm % of % has not arrived yet', sub, r.uscc, TG_TABLE_NAME
                    USING ERRCODE = '55000', HINT = 'The worker retries once the county''s firms are copied.';
            END IF;
        END IF;
        IF theirs IS DISTINCT FROM reg.county OR (kind = 'results' AND NOT reg.results) THEN
            INSERT INTO parcel_gov.replication_refused (subscription, county, table_name, operation, row_county, row_data)
            VALUES (sub, reg.county, TG_TABLE_NAME, TG_OP, theirs, to_jsonb(r));
            RAISE WARNING 'subscription % (county %) sent % of a row of % of %: not applied', sub, reg.county, TG_OP,
                          TG_TABLE_NAME, coalesce(theirs, 'no known county')
                USING HINT = CASE WHEN theirs IS DISTINCT FROM reg.county
                                  THEN 'A county publishes its own rows only (parcel_gov.replication_refused keeps the row).'
                                  ELSE 'Only the county''s inputs are subscribed (county_subscription.results): this server evaluates it.' END;
            RETURN NULL;
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.replicated_row_check() IS
  'Trigger (ENABLE REPLICA, in logical replication workers only): a row a subscription applies must be its registered county''s (a result only where results are subscribed); else it is not applied and is logged in replication_refused (WARNING); an unregistered subscription stops with 55000';

CREATE FUNCTION parcel_gov.replicated_truncate_refused()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF parcel_gov.applying_subscription() IS NOT NULL THEN
        RAISE EXCEPTION 'subscription %: a TRUNCATE of % would empty every county''s rows here',
                        parcel_gov.applying_subscription(), TG_TABLE_NAME
            USING ERRCODE = '42501',
                  HINT = 'Publish inserts, updates and deletes only (county_publication() does): a county removes its own rows with DELETE.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.replicated_truncate_refused() IS
  'Trigger (ENABLE REPLICA): a TRUNCATE a subscription applies is refused (42501): it would empty every county''s rows';

-- ---- Local writes to a subscribed county's rows (ordinary triggers: they
-- do not fire for applied rows).  Its inputs, and where its results come
-- too, its register, are changed on the county's server; the results and
-- the history are guarded already (evaluation_guard, history_guard), and
-- evaluate() refuses the county.  A superuser's restore passes (row_security
-- off, as pg_restore sets it), as the guards let it.
CREATE FUNCTION parcel_gov.subscribed_county_read_only()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rows_src constant text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                                         ELSE '(SELECT * FROM new_rows n UNION ALL SELECT * FROM old_rows o)' END;
    county_of constant text := CASE TG_ARGV[0]
        WHEN 'region_code' THEN 'left(t.region_code, 6)'
        WHEN 'code' THEN 'CASE WHEN length(t.code) = 9 THEN left(t.code, 6) END'
        WHEN 'parcel_code' THEN 'parcel_gov.county_of_parcel(t.parcel_code)'
        ELSE '(SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = t.uscc)' END;
    hit parcel_gov.county_subscription;
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.county_subscription s WHERE s.results OR TG_ARGV[1] = 'inputs') THEN
        RETURN NULL;            -- a county's server, or no such county here
    END IF;
    IF NOT current_setting('row_security')::boolean
       AND (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = parcel_gov.invoker()) THEN
        RETURN NULL;            -- a superuser's restore
    END IF;
    EXECUTE format('SELECT s.* FROM (SELECT DISTINCT %s AS county FROM %s t) AS x '
                   'JOIN parcel_gov.county_subscription s ON s.county = x.county '
                   'WHERE s.results OR $1 = ''inputs'' ORDER BY s.county LIMIT 1', county_of, rows_src)
    INTO hit USING TG_ARGV[1];
    IF hit.county IS NOT NULL THEN
        RAISE EXCEPTION '%: rows of % come from the county''s server (subscription %): % refused here',
                        TG_TABLE_NAME, hit.county, hit.subscription, TG_OP
            USING ERRCODE = '42501',
                  HINT = 'Change them on the county''s server: the change reaches this server within seconds.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.subscribed_county_read_only() IS
  'Trigger (per statement, on the published tables): a local write to the rows of a county whose rows arrive by subscription (its inputs; its register where its results come too) is refused (42501); applied rows do not fire it';

-- The triggers of a published table.
CREATE FUNCTION parcel_gov.county_row_triggers(tbl regclass, county_from text, kind text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER replicated_row_check BEFORE INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW WHEN (parcel_gov.applying_subscription() IS NOT NULL) '
                   'EXECUTE FUNCTION parcel_gov.replicated_row_check(%L, %L)', tbl, county_from, kind);
    EXECUTE format('CREATE TRIGGER replicated_truncate_refused BEFORE TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.replicated_truncate_refused()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE REPLICA TRIGGER replicated_row_check, '
                   'ENABLE REPLICA TRIGGER replicated_truncate_refused', tbl);
    -- the results and the history have their guards; the register is the clerks'
    IF kind = 'inputs' OR tbl = 'parcel_gov.register'::regclass THEN
        EXECUTE format('CREATE TRIGGER subscribed_county_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
        EXECUTE format('CREATE TRIGGER subscribed_county_update AFTER UPDATE ON %s '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
    END IF;
    IF kind = 'inputs' THEN
        EXECUTE format('CREATE TRIGGER subscribed_county_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.subscribed_county_read_only(%L, %L)',
                       tbl, county_from, kind);
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.county_row_triggers(regclass, text, text) IS
  'internal, for the install and update scripts: the province''s triggers on a published table (the check of applied rows, the refused TRUNCATE, the refusal of local writes to subscribed counties'' rows)';

SELECT parcel_gov.county_row_triggers(format('parcel_gov.%I', t.table_name)::regclass, t.county_from, t.kind)
FROM parcel_gov.county_published_tables() t;
-- Every column BI tools and analysts see carries a comment, Chinese term
-- first: Superset, Metabase and FineBI show them as column
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
      ('pool_label', '分组: 规上 or 规下, or the land pool (≥ / < the rule set''s pool_land_mu 亩)'),
      ('pool_size', '分组企业数: firms graded in the pool'),
      ('rule_set_id', '评价规则: rule set applied'),
      ('held_mu', '使用权面积 (亩): land the firm holds'),
      ('leased_out_mu', '出租面积 (亩): land leased out'),
      ('leased_in_mu', '承租面积 (亩): land leased in'),
      ('area_mu', '用地面积 (亩): area in mu'),
      ('area_mu_change', '用地面积增减 (亩): change against the year before'),
      ('park_firms', '入园企业数: evaluated firms whose land lies in a park'),
      ('park_entry_rate', '入园率: share of evaluated firms whose land lies in a park'),
      ('above_firms', '规上企业数: evaluated 规上 firms'),
      ('above_park_firms', '规上入园企业数: 规上 firms whose land lies in a park'),
      ('above_park_entry_rate', '规上入园率: share of 规上 firms whose land lies in a park'),
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
      ('revenue_per_kwh', '单位电耗营业收入 (万元/千瓦时): revenue per kWh of electricity'),
      ('va_per_water', '单位水耗增加值 (万元/吨): value added per tonne of water used'),
      ('va_per_cod', '单位COD排放增加值 (万元/吨): value added per tonne of COD emitted'),
      ('rd_intensity_main', 'R&D经费支出占主营业务收入比重: R&D spending as a share of main business revenue'),
      ('score_tax_per_mu', '亩均税收得分: indicator score'),
      ('score_va_per_mu', '亩均增加值得分: indicator score'),
      ('score_revenue_per_mu', '亩均营业收入得分: indicator score'),
      ('score_labour_productivity', '全员劳动生产率得分: indicator score'),
      ('score_va_per_energy', '单位能耗增加值得分: indicator score'),
      ('score_va_per_emission', '单位排放增加值得分: indicator score'),
      ('score_rd_intensity', 'R&D经费支出占比得分: indicator score'),
      ('score_tax_per_kwh', '单位电耗税收得分: indicator score'),
      ('score_revenue_per_kwh', '单位电耗营业收入得分: indicator score'),
      ('score_va_per_water', '单位水耗增加值得分: indicator score'),
      ('score_va_per_cod', '单位COD排放增加值得分: indicator score'),
      ('score_rd_intensity_main', 'R&D经费支出占主营业务收入比重得分: indicator score'),
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
      ('tax_tier', '亩均税收分档: 1 重点排查, 2 重点检查, 3 重点指导, 0 达标, by the rule set''s tax_tier_bounds (5/10/15 万元/亩 by default) and its reading of a figure on a bound'),
      ('tax_tier_label', '分档名称: tax-per-mu tier label'),
      ('tier_0', '达标企业数: firms at or above the rule set''s last tax tier bound (≥ 15 万元/亩 by default)'),
      ('tier_1', '重点排查企业数: firms below the rule set''s first tax tier bound (< 5 万元/亩 by default)'),
      ('tier_2', '重点检查企业数: firms in the rule set''s second tax tier (5–10 万元/亩 by default)'),
      ('tier_3', '重点指导企业数: firms in the rule set''s third tax tier (10–15 万元/亩 by default)'),
      ('persistent_low_tax', '连续三年亩均税收低 (桐庐): under the line three years running'),
      ('still_below_3y', '三年仍规下 (金东): still 规下 after three years'),
      ('capacity_doubling_candidate', '亩产倍增候选 (金东): capacity-doubling candidate'),
      ('holder_uscc', '土地使用权人代码: holder''s unified social credit code'),
      ('holder_name', '土地使用权人: holder''s name'),
      ('holder_evaluated', '使用权人已评价: the holder has an evaluation this year'),
      ('role', '用地方式: holder (自有) or lessee (承租)'),
      ('park_id', '园区编号: park id'),
      ('kinds', '低效类型: low-efficiency kinds (codes; none = empty)'),
      ('kinds_text', '低效类型: the kinds'' codes joined with commas, for clients that read no arrays'),
      ('kind_labels', '低效类型名称: low-efficiency kinds in Chinese'),
      ('kind_labels_text', '低效类型名称: the kinds in Chinese joined with 、, for clients that read no arrays'),
      ('batch', '四个一批: batch (拆除重建, 整治提升, 功能转型, 关停退出)'),
      ('batch_label', '四个一批名称: batch in Chinese'),
      ('department', '部门: the department of the issue list (environment 环保, safety 安全, fire 消防, illegal_building 违建)'),
      ('department_label', '部门名称: the department in Chinese'),
      ('open_issues', '未销号问题数: open issues (问题清单) not yet struck off'),
      ('overdue', '逾期问题数: open issues past their deadline'),
      ('oldest_found', '最早发现日期: when the oldest open issue was found'),
      ('route', '处置路径: disposal route set by the operator (purchase_storage, secondary_to_primary, upgrade_secondary, add_tertiary, take_back, redevelop, transfer)'),
      ('route_label', '处置路径名称: disposal route in Chinese (收购收储, 退二还一, 优二, 补三, 收回, 改造, 转让)'),
      ('state', '入库状态: register state (调查核实 … 出库)'),
      ('state_label', '入库状态名称: register state in Chinese'),
      ('register_state', '低效用地库状态: register state, empty when not in the register'),
      ('register_state_label', '低效用地库状态名称: register state in Chinese'),
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
-- Roles and row-level security (README: Roles).  Four group roles, created
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
    -- by OID: a grant dies with its role and never passes to a later role of the same name
    grantee       regrole NOT NULL,
    region_prefix text NOT NULL CONSTRAINT role_region_prefix_digits CHECK (region_prefix ~ '^([0-9]{2}){1,3}$'),
    granted_by    name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    granted_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (grantee, region_prefix)
);
COMMENT ON TABLE parcel_gov.role_region IS
  '区域授权 (region grants): the regions a role may see and change, by code prefix (33 province, 3306 city, 330604 county); written by region_grant() and region_revoke(); a grant whose role was dropped counts for nothing';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.role_region', '');

-- The code prefixes a role may see: '' (everything) for members of
-- parcel_gov_admin, else the prefixes granted to any existing role it is a
-- member of.  C (src/visible_prefixes.c): every policy reads it, and the
-- county triggers once a row; the answer is kept while the same role reads
-- with the same snapshot (same transaction and command, same transactions
-- running), so a clerk's import of 30,000 parcels reads the grants once,
-- not twice a row (as PL/pgSQL, 0.15 ms a row).
CREATE FUNCTION parcel_gov.visible_prefixes_of(who regrole)
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'visible_prefixes_of'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.visible_prefixes_of(regrole) IS
  'the region code prefixes a role may see and change ('''' = every region, for parcel_gov_admin)';

-- The current user's: what the row-level security policies read.
CREATE FUNCTION parcel_gov.visible_prefixes()
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'visible_prefixes'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.visible_prefixes() IS
  'the region code prefixes the current user may see and change ('''' = every region, for parcel_gov_admin); what the row-level security policies read';

-- The door of every function that writes results, history or grants: they
-- run as the extension's owner, so they check their caller here.  42501
-- unless the calling role is a member of role_needed and, when a region is
-- named, that region lies within the caller's grants.
CREATE FUNCTION parcel_gov.require_caller(what text, role_needed name, prefix text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who constant regrole := parcel_gov.invoker();
BEGIN
    IF NOT pg_has_role(who, role_needed, 'MEMBER') THEN
        RAISE EXCEPTION '%: permission denied for role %', what, who USING ERRCODE = '42501',
            HINT = pg_catalog.format('%s is for members of %s.', what, role_needed);
    END IF;
    IF prefix IS NOT NULL AND NOT prefix ^@ ANY (parcel_gov.visible_prefixes_of(who)) THEN
        RAISE EXCEPTION '%: region % is not granted to %', what, coalesce(nullif(prefix, ''), 'all regions'), who
            USING ERRCODE = '42501',
            HINT = 'Name a region you were granted (parcel_gov.visible_prefixes()); parcel_gov_admin grants regions with region_grant().';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.require_caller(text, name, text) IS
  'Raises 42501 unless the calling role (invoker()) is a member of role_needed and, when prefix is given, was granted that region; what the writing functions check first';

CREATE FUNCTION parcel_gov.region_grant(role_name name, region_prefix text)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prefix text;
BEGIN
    PERFORM parcel_gov.require_caller('region_grant', 'parcel_gov_admin');
    -- grants of dropped roles count for nothing; their rows go here
    DELETE FROM parcel_gov.role_region g WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.oid = g.grantee);
    IF role_name IS NULL OR NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = region_grant.role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = '42704',
            HINT = 'Create the role first (CREATE ROLE … IN ROLE parcel_gov_reader), then grant it regions.';
    END IF;
    IF region_prefix IS NULL THEN
        RAISE EXCEPTION 'region_grant needs a region' USING ERRCODE = '22004',
            HINT = 'For every region, make the role a member of parcel_gov_admin instead.';
    END IF;
    prefix := parcel_gov.region_prefix(region_prefix);
    INSERT INTO parcel_gov.role_region (grantee, region_prefix)
    SELECT r.oid, prefix FROM pg_roles r WHERE r.rolname = region_grant.role_name
    ON CONFLICT DO NOTHING;
    RETURN prefix;
END $$;
COMMENT ON FUNCTION parcel_gov.region_grant(name, text) IS
  '区域授权: let a role see and change the rows of a region (330604 county, 330600 or 3306 city, 330000 or 33 province); returns the prefix stored; for parcel_gov_admin members';

CREATE FUNCTION parcel_gov.region_revoke(role_name name, region_prefix text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM parcel_gov.require_caller('region_revoke', 'parcel_gov_admin');
    -- grants of dropped roles count for nothing; their rows go here
    DELETE FROM parcel_gov.role_region g WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.oid = g.grantee);
    DELETE FROM parcel_gov.role_region g
    USING pg_roles r
    WHERE r.rolname = region_revoke.role_name AND g.grantee = r.oid
      AND g.region_prefix = parcel_gov.region_prefix(region_revoke.region_prefix);
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
        ('park', 'region_code'), ('region_boundary', 'region_code'), ('parcel', 'region_code'), ('enterprise', 'region_code'),
        ('lease', 'parcel_code'), ('evaluation', 'region_code'), ('evaluation_benchmark', 'region_code'),
        ('evaluation_summary', 'region_code'), ('evaluation_run', 'region_prefix'),
        ('register', 'parcel_code'), ('register_event', 'parcel_code'), ('issue', 'parcel_code')) AS x(tab, col)
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE parcel_gov.%I ENABLE ROW LEVEL SECURITY', t.tab);
        EXECUTE pg_catalog.format(
            'CREATE POLICY region_rows ON parcel_gov.%I USING (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))) '
            'WITH CHECK (%I OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))',
            t.tab, t.col, t.col);
    END LOOP;
END $$;
-- A refused replicated row (install/95_province.sql): seen where either its
-- own county or the subscription's county is the role's.
ALTER TABLE parcel_gov.replication_refused ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.replication_refused
    USING (row_county OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))
           OR county OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
-- A firm's yearly figures follow the firm: visible when the firm is.
ALTER TABLE parcel_gov.enterprise_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.enterprise_year
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_year.uscc));

-- Land a county's firm holds or leases in another county (linked by the
-- province): the firm's county sees the parcel and the lease, read only.
-- ANY (SELECT …), not ANY (ARRAY(…)): the role's firms are hashed once per
-- query and each row probes the hash, instead of scanning an array.
CREATE POLICY firm_land ON parcel_gov.parcel FOR SELECT
    USING (holder_uscc OPERATOR(pg_catalog.=) ANY (SELECT e.uscc FROM parcel_gov.enterprise e));
CREATE POLICY firm_land ON parcel_gov.lease FOR SELECT
    USING (lessee_uscc OPERATOR(pg_catalog.=) ANY (SELECT e.uscc FROM parcel_gov.enterprise e));

-- role_region: a role sees its own grants, an admin all of them.
ALTER TABLE parcel_gov.role_region ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_grants ON parcel_gov.role_region FOR SELECT
    USING (pg_catalog.pg_has_role(grantee, 'MEMBER') OR pg_catalog.pg_has_role('parcel_gov_admin', 'MEMBER'));

-- Privileges.  The functions are the only door to results and history:
-- county roles read every table (row-level security picks the rows) and
-- write only their county's inputs; evaluate(), transition(), the imports
-- and the grant functions write the rest, as the extension's owner, after
-- checking their caller (require_caller).  Tables hold no PUBLIC rights;
-- functions that write are taken from PUBLIC and given to the role that
-- needs them; the engine's internals are given to no one.
GRANT USAGE ON SCHEMA parcel_gov TO parcel_gov_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA parcel_gov TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.parcel, parcel_gov.enterprise, parcel_gov.enterprise_year,
                                parcel_gov.lease, parcel_gov.issue TO parcel_gov_operator;
-- the register's procedure, checked step by step by its trigger; the
-- fields the engine and the clock write (kinds, clears_thresholds,
-- evaluated_year, the timestamps) are not the operator's
GRANT UPDATE (state, batch, plan, deadline, reason, evidence, exit_reason, route) ON parcel_gov.register TO parcel_gov_operator;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region, parcel_gov.park, parcel_gov.region_boundary, parcel_gov.rule_set,
                                parcel_gov.rule_pool, parcel_gov.rule_indicator, parcel_gov.rule_industry_group,
                                parcel_gov.rule_issue, parcel_gov.rule_measure, parcel_gov.rule_new_land
    TO parcel_gov_admin;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluate(integer, text, boolean),
                           parcel_gov.evaluation_discard(integer, text),
                           parcel_gov.evaluate_run(integer, text, timestamptz, double precision[]),
                           parcel_gov.evaluation_discard_rows(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate(integer, text), parcel_gov.evaluate(integer, text, boolean),
                          parcel_gov.evaluation_discard(integer, text)
    TO parcel_gov_analyst;
REVOKE EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                           parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision),
                           parcel_gov.import_enterprise_years(regclass, integer, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb),
                          parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision),
                          parcel_gov.import_enterprise_years(regclass, integer, text, boolean) TO parcel_gov_operator;
-- The extension's trigger functions fire on its own tables only: no one may
-- attach them to a table of theirs (two run as the owner, on the rows they
-- are given).  EXECUTE is checked when a trigger is created, not when it fires.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'parcel_gov'::regnamespace AND p.prorettype = 'trigger'::regtype LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                           parcel_gov.rule_set_adopt(text, text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.region_grant(name, text), parcel_gov.region_revoke(name, text),
                          parcel_gov.rule_set_adopt(text, text, text, integer, integer) TO parcel_gov_admin;
-- Many counties, one province (install/95_province.sql): numbering,
-- publishing and subscribing are a superuser's, as CREATE PUBLICATION and
-- CREATE SUBSCRIPTION are; the check of evaluate() is an internal.
REVOKE EXECUTE ON FUNCTION parcel_gov.use_id_block(text, boolean), parcel_gov.county_publication(text),
                           parcel_gov.subscribe_county(text, name, boolean), parcel_gov.unsubscribe_county(text),
                           parcel_gov.require_evaluated_here(text, text),
                           parcel_gov.county_row_triggers(regclass, text, text) FROM PUBLIC;
-- Roles of the quarterly evaluation (install/88_quarterly_evaluation.sql), as
-- install/96_roles.sql has them for the year: a firm's year-to-date figures
-- follow the firm; the quarter's results and benchmarks their region; the
-- operator writes figures, evaluate_quarter() alone the results.
ALTER TABLE parcel_gov.enterprise_period ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.enterprise_period
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_period.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_period.uscc));
ALTER TABLE parcel_gov.evaluation_quarter ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.evaluation_quarter
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
ALTER TABLE parcel_gov.evaluation_quarter_benchmark ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.evaluation_quarter_benchmark
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));

GRANT SELECT ON parcel_gov.enterprise_period, parcel_gov.evaluation_quarter, parcel_gov.evaluation_quarter_benchmark
    TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.enterprise_period TO parcel_gov_operator;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text),
                           parcel_gov.evaluate_quarter_run(integer, integer, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text) TO parcel_gov_analyst;
REVOKE EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) TO parcel_gov_operator;
-- Contract compliance (履约监管, 标准地): what a parcel's land contract
-- promised against what its holder achieved, year by year (docs/rules.md:
-- investment intensity, floor-area ratio, per-mu tax, energy and emissions
-- per unit of value added, completion).  The parcel already carries the
-- promises (its contract_* columns).

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

-- 违约金 The contract's penalty clauses, one per parcel and promise: the
-- amount due for a year in breach is rate × shortfall (rate in 万元 per unit
-- of shortfall: per 万元/亩 of investment intensity, per 1.0 of floor-area
-- ratio, per 万元/亩 of tax, per tce or t per 万元 of value added, per day
-- late) or a fixed sum, at most the cap when there is one.
CREATE TABLE parcel_gov.contract_penalty (
    parcel_code parcel_gov.parcel_code NOT NULL REFERENCES parcel_gov.parcel ON UPDATE CASCADE ON DELETE CASCADE,
    promise     text NOT NULL CONSTRAINT contract_penalty_promise_known CHECK (promise IN
                  ('investment_intensity', 'floor_area_ratio', 'tax_per_mu', 'energy_per_va', 'emission_per_va',
                   'completion')),
    method      text NOT NULL CONSTRAINT contract_penalty_method_known CHECK (method IN ('rate', 'fixed')),
    rate        double precision CONSTRAINT contract_penalty_rate_possible CHECK (rate > 0 AND rate < 1e9),
    fixed_sum   double precision CONSTRAINT contract_penalty_fixed_sum_possible CHECK (fixed_sum > 0 AND fixed_sum < 1e9),
    cap         double precision CONSTRAINT contract_penalty_cap_possible CHECK (cap > 0 AND cap < 1e9),
    clause      text,
    PRIMARY KEY (parcel_code, promise),
    CONSTRAINT contract_penalty_method_has_its_figure CHECK (
        (method = 'rate' AND rate IS NOT NULL AND fixed_sum IS NULL)
        OR (method = 'fixed' AND fixed_sum IS NOT NULL AND rate IS NULL))
);
COMMENT ON TABLE parcel_gov.contract_penalty IS
  '违约金条款 penalty clauses of a parcel''s land contract, one per promise: method rate (rate 万元 × shortfall) or fixed (fixed_sum 万元), at most cap 万元 per year in breach; v_contract_breach shows the amount due';
COMMENT ON COLUMN parcel_gov.contract_penalty.promise IS
  '承诺事项: investment_intensity, floor_area_ratio, tax_per_mu, energy_per_va, emission_per_va or completion (as v_contract_breach.promise)';
COMMENT ON COLUMN parcel_gov.contract_penalty.method IS
  '违约金计算方式: rate (按差额: rate × shortfall) or fixed (固定金额: fixed_sum)';
COMMENT ON COLUMN parcel_gov.contract_penalty.rate IS
  '违约金费率 (万元 per unit of shortfall: per 万元/亩, per 1.0 of floor-area ratio, per tce or t per 万元, per day late)';
COMMENT ON COLUMN parcel_gov.contract_penalty.fixed_sum IS '固定违约金 (万元) per year in breach';
COMMENT ON COLUMN parcel_gov.contract_penalty.cap IS '违约金上限 (万元): at most this per year in breach; NULL: no cap';
COMMENT ON COLUMN parcel_gov.contract_penalty.clause IS '合同条款: the contract''s article, e.g. 出让合同第十八条';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.contract_penalty', '');
ALTER TABLE parcel_gov.contract_penalty ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.contract_penalty
    USING (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.contract_penalty TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.contract_penalty TO parcel_gov_operator;

-- 违约 Each broken promise, per parcel and year with progress recorded:
-- the promise, what was committed and achieved, the shortfall (how far short
-- of an "at least" promise, or over an "at most" one; days late for
-- completion), how many years running it has been broken, and the parcel's
-- register state; then the penalty clause's method and the amount due
-- (违约金) for that year.
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
SELECT b.parcel_code::text AS parcel_code, b.year, b.region_code, b.holder_uscc::text AS holder_uscc, b.promise,
       CASE b.promise WHEN 'investment_intensity' THEN '投资强度' WHEN 'floor_area_ratio' THEN '容积率'
                      WHEN 'tax_per_mu' THEN '亩均税收' WHEN 'energy_per_va' THEN '单位增加值能耗'
                      WHEN 'emission_per_va' THEN '单位增加值排放' WHEN 'completion' THEN '竣工时间' END AS promise_label,
       b.committed, b.achieved, b.shortfall,
       count(*) OVER (PARTITION BY b.parcel_code, b.promise, b.run ORDER BY b.year) AS years_in_breach,
       r.state::text AS register_state, parcel_gov.label(r.state) AS register_state_label,
       cp.method AS penalty_method,
       CASE cp.method WHEN 'rate' THEN '按差额计' WHEN 'fixed' THEN '固定金额' END AS penalty_method_label,
       least(CASE cp.method WHEN 'rate' THEN cp.rate * b.shortfall WHEN 'fixed' THEN cp.fixed_sum END,
             cp.cap) AS amount_due
FROM broken b
LEFT JOIN parcel_gov.register r ON r.parcel_code = b.parcel_code
LEFT JOIN parcel_gov.contract_penalty cp ON cp.parcel_code = b.parcel_code AND cp.promise = b.promise;
GRANT SELECT ON parcel_gov.v_contract_breach TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_contract_breach IS
  '违约清单 contract breaches: each promise of a parcel''s land contract broken in a year (investment intensity, floor-area ratio, per-mu tax: at least; energy and emissions per 万元 of value added: at most; completion: days late), the shortfall, the years running, the register state, the penalty (违约金) due under contract_penalty';
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
COMMENT ON COLUMN parcel_gov.v_contract_breach.register_state_label IS '低效用地库状态名称: register state in Chinese';
COMMENT ON COLUMN parcel_gov.v_contract_breach.penalty_method IS
  '违约金计算方式: rate (rate × shortfall) or fixed, from contract_penalty; empty when the contract has no clause for the promise';
COMMENT ON COLUMN parcel_gov.v_contract_breach.penalty_method_label IS '违约金计算方式 (中文): 按差额计 or 固定金额';
COMMENT ON COLUMN parcel_gov.v_contract_breach.amount_due IS
  '应付违约金 (万元) for this year''s breach: rate × shortfall or the fixed sum, at most the cap; empty without a clause';

-- When the rule says so (rule_set.breach_years_below_target), a parcel whose
-- contract has been broken that many years running is 投而未达标: its
-- land_status becomes below_target, which evaluate() turns into the
-- low-efficiency kind below_target.  Returns the parcels marked.
CREATE FUNCTION parcel_gov.contract_mark_below_target(year integer, region text DEFAULT NULL)
    RETURNS TABLE (parcel_code text, promises text[], years_in_breach bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM parcel_gov.require_caller('contract_mark_below_target', 'parcel_gov_operator',
                                      parcel_gov.region_prefix(contract_mark_below_target.region));
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
-- 履约监管协议 (桐庐): a firm that promises to improve itself signs an
-- agreement with the county: what it promises, when it signed, the deadline,
-- and the result the county records (open until then; kept or broken).
-- v_performance_agreement shows each agreement and whether it is overdue:
-- still open after its deadline.
CREATE TABLE parcel_gov.performance_agreement (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uscc      parcel_gov.uscc NOT NULL REFERENCES parcel_gov.enterprise ON UPDATE CASCADE,
    promise   text NOT NULL CONSTRAINT performance_agreement_promise_given CHECK (btrim(promise) <> ''),
    signed_on date NOT NULL,
    deadline  date NOT NULL,
    result    text NOT NULL DEFAULT 'open'
              CONSTRAINT performance_agreement_result_known CHECK (result IN ('open', 'kept', 'broken')),
    result_on date,
    CONSTRAINT performance_agreement_deadline_after_signing CHECK (deadline >= signed_on),
    CONSTRAINT performance_agreement_result_dated CHECK ((result = 'open') = (result_on IS NULL)),
    CONSTRAINT performance_agreement_result_after_signing CHECK (result_on >= signed_on)
);
COMMENT ON TABLE parcel_gov.performance_agreement IS
  '履约监管协议 (桐庐) a firm''s signed promise to improve itself: the promise, signed_on, deadline, result open/kept/broken with the date it was established (result_on)';
COMMENT ON COLUMN parcel_gov.performance_agreement.promise IS '承诺内容: what the firm promises, e.g. 2025 年亩均税收达到 10 万元';
COMMENT ON COLUMN parcel_gov.performance_agreement.signed_on IS '签订日期: when the agreement was signed';
COMMENT ON COLUMN parcel_gov.performance_agreement.deadline IS '履约期限: the date by which the promise is to be kept';
COMMENT ON COLUMN parcel_gov.performance_agreement.result IS
  '履约结果: open (未到期或未核查), kept (已履约) or broken (未履约)';
COMMENT ON COLUMN parcel_gov.performance_agreement.result_on IS '核查日期: when the result was established; empty while open';
CREATE INDEX performance_agreement_uscc ON parcel_gov.performance_agreement (uscc);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.performance_agreement', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.performance_agreement', 'id'), '');
-- An agreement follows its firm: visible and writable when the firm is.
ALTER TABLE parcel_gov.performance_agreement ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.performance_agreement
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) performance_agreement.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) performance_agreement.uscc));
GRANT SELECT ON parcel_gov.performance_agreement TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.performance_agreement TO parcel_gov_operator;

-- Each agreement with its firm and whether it is overdue today: open after
-- its deadline.
CREATE VIEW parcel_gov.v_performance_agreement WITH (security_invoker = true) AS
SELECT a.id, a.uscc::text AS uscc, f.name, f.region_code, a.promise, a.signed_on, a.deadline,
       a.result, CASE a.result WHEN 'open' THEN '未到期或未核查' WHEN 'kept' THEN '已履约' WHEN 'broken' THEN '未履约' END
                 AS result_label,
       a.result_on,
       a.result = 'open' AND a.deadline < CURRENT_DATE AS overdue,
       CASE WHEN a.result = 'open' AND a.deadline < CURRENT_DATE THEN CURRENT_DATE - a.deadline END AS days_overdue
FROM parcel_gov.performance_agreement a
JOIN parcel_gov.enterprise f ON f.uscc = a.uscc;
GRANT SELECT ON parcel_gov.v_performance_agreement TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_performance_agreement IS
  '履约监管协议 firms'' agreements to improve themselves (桐庐): the promise, signing date, deadline, result, and whether it is overdue (still open after the deadline) and by how many days';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.id IS '协议编号: the agreement''s key';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.uscc IS '统一社会信用代码: unified social credit code of the firm';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.name IS '名称: name';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.promise IS '承诺内容: what the firm promises';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.signed_on IS '签订日期: when the agreement was signed';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.deadline IS '履约期限: the date by which the promise is to be kept';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.result IS '履约结果: open, kept or broken';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.result_label IS '履约结果 (中文): 未到期或未核查, 已履约 or 未履约';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.result_on IS '核查日期: when the result was established';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.overdue IS '逾期: still open after its deadline (today)';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.days_overdue IS '逾期天数: days since the deadline of an overdue agreement';
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
            WHERE c.parcel_code = l.parcel_code AND c.step <= l.step AND c.from_state IS DISTINCT FROM c.to_state),
           l.at, l.id
    FROM (SELECT DISTINCT ON (e.parcel_code) e.*
          FROM parcel_gov.register_event e WHERE e.at <= as_of
          ORDER BY e.parcel_code, e.step DESC) AS l
    ORDER BY l.parcel_code;
END $$;
COMMENT ON FUNCTION parcel_gov.register_as_of(timestamptz) IS
  '登记册历史状态: every parcel''s register state, kinds and batch as they stood at a moment, rebuilt from register_event (an audit''s "what did the register say on 30 June"); no rows before the first change; NULL → 22004';

-- 预警 Early warning: firms to act on before they become D, one row per firm
-- and evaluated year with every reason that holds:
--   tax_falling     亩均税收连续两年下降: per-mu tax fell two years running
--   near_tier_line  距5万元/亩线一档: per-mu tax in the tier just above the
--                   first tier line (tax_tier 2, 重点检查: 5 to 10 by default)
--   grade_dropped   等级下降: a worse grade than the year before
--   quarter_falling 季度连续下降: in the year's latest evaluated quarter and
--                   the one before, a worse grade than the quarter before, or
--                   the same grade on a lower score (季评价, 上虞) — warned
--                   before the year closes: a year without its yearly
--                   evaluation yet has a row from its quarters alone (fid
--                   −evaluation_quarter.id, the yearly columns NULL)
CREATE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name,
       w.pool::text AS pool, w.pool_label,
       w.grade::text AS grade, parcel_gov.label(w.grade) AS grade_label,
       w.grade_prev::text AS grade_prev, parcel_gov.label(w.grade_prev) AS grade_prev_label,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END,
                          CASE WHEN w.quarter_falling THEN 'quarter_falling' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END, CASE WHEN w.quarter_falling THEN '季度连续下降' END) AS reason_labels,
       w.quarter, w.quarter_grade::text AS quarter_grade, parcel_gov.label(w.quarter_grade) AS quarter_grade_label,
       w.quarter_score, w.quarter_grade_prev::text AS quarter_grade_prev,
       parcel_gov.label(w.quarter_grade_prev) AS quarter_grade_prev_label, w.quarter_score_prev, w.quarter_falling
FROM (
    SELECT coalesce(e.id, -q.id) AS fid, coalesce(e.year, q.year) AS year, coalesce(e.uscc, q.uscc)::text AS uscc,
           f.name, coalesce(e.region_code, q.region_code) AS region_code, rg.name AS region_name,
           coalesce(e.pool, q.pool) AS pool,
           parcel_gov.pool_label(coalesce(e.pool, q.pool), coalesce(e.rule_set_id, q.rule_set_id)) AS pool_label,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu, rs.tax_tier_bounds, rs.tax_tier_includes_bound) = 2, false)
             AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped,
           q.quarter, q.grade AS quarter_grade, q.score AS quarter_score, q.grade_prev AS quarter_grade_prev,
           q.score_prev AS quarter_score_prev, coalesce(q.fell AND q.fell_before, false) AS quarter_falling
    FROM parcel_gov.evaluation e
    FULL JOIN (
        -- each firm's latest quarter of a year, beside the two before it
        SELECT DISTINCT ON (q0.uscc, q0.year) q0.id, q0.year, q0.uscc, q0.region_code, q0.pool, q0.rule_set_id, q0.quarter,
               q0.grade, q0.score, q1.grade AS grade_prev, q1.score AS score_prev,
               q0.grade > q1.grade OR (q0.grade = q1.grade AND q0.score < q1.score) AS fell,
               q1.grade > q2.grade OR (q1.grade = q2.grade AND q1.score < q2.score) AS fell_before
        FROM parcel_gov.evaluation_quarter q0
        LEFT JOIN parcel_gov.evaluation_quarter q1 ON q1.year = q0.year AND q1.quarter = q0.quarter - 1 AND q1.uscc = q0.uscc
        LEFT JOIN parcel_gov.evaluation_quarter q2 ON q2.year = q0.year AND q2.quarter = q0.quarter - 2 AND q2.uscc = q0.uscc
        ORDER BY q0.uscc, q0.year, q0.quarter DESC
    ) AS q ON q.year = e.year AND q.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = coalesce(e.uscc, q.uscc)
    LEFT JOIN parcel_gov.region rg ON rg.code = coalesce(e.region_code, q.region_code)
) AS w
WHERE w.falling OR w.near_line OR w.dropped OR w.quarter_falling;
GRANT SELECT ON parcel_gov.v_early_warning TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, whose grade dropped, or whose quarterly grade or score fell two quarters running (季评价, before the year closes); one row per firm and year with the reasons';

-- 目标 Region targets as the plans write them:
--   level        from a base value in a base year to a value by a target year
--                (Shangyu: 规上 tax per mu 22.25 → 31 万元 from 2020; Shaoxing:
--                规上 tax per mu ≥ 30 万元);
--   annual_rate  a rise of target_value % a year from the base (Shaoxing,
--                Shengzhou: 规上 value added per mu +8 %, labour productivity
--                +6 %; Jindong: tax per mu +2 %);
-- a NULL base_value takes the base from the region's own evaluated base year.
-- Counts since the base year (base 0): revived_mu, mu brought out of the
-- register (出库), optionally of one low-efficiency kind (Tonglu: 用而未尽
-- 1,000 亩); revived_blocks and revived_block_mu, the blocks (连片, two or
-- more parcels within parcel_gov.cluster_distance_m of each other, as
-- v_low_efficiency_clusters joins them) brought out and their mu (Tonglu:
-- 2,500 亩 in 2 / 3 / 2 blocks); a year's quota is a row whose base year is
-- the year before.  firms counts the firms evaluated (规上 or all), and
-- park_entry_rate is 入园率, the share of them whose land lies in a park
-- (Jindong: 70 %, 规上 80 %).
CREATE TABLE parcel_gov.region_target (
    -- a county, a city or the province, as v_target_progress reads it
    -- (region_prefix); or a township, whose mu brought out v_township_progress ranks
    region_code  text NOT NULL REFERENCES parcel_gov.region
                 CONSTRAINT region_target_region_code_form CHECK (region_code ~ '^[0-9]{6}([0-9]{3})?$'),
    indicator    text NOT NULL CONSTRAINT region_target_indicator_known
                 CHECK (indicator IN ('tax_per_mu', 'va_per_mu', 'labour_productivity', 'revived_mu',
                                      'revived_blocks', 'revived_block_mu', 'firms', 'park_entry_rate')),
    base_year    integer NOT NULL,
    -- NULL: the region's own value in base_year (v_target_progress measures it)
    base_value   double precision,
    target_year  integer NOT NULL,
    -- level: the value to reach; annual_rate: the rise in % a year
    target_value double precision NOT NULL,
    target_kind  text NOT NULL DEFAULT 'level'
                 CONSTRAINT region_target_kind_known CHECK (target_kind IN ('level', 'annual_rate')),
    -- revived_*: only parcels of this kind (用而未尽 …); NULL: every kind
    low_efficiency_kind parcel_gov.low_efficiency_kind,
    -- whose figures: 规上 firms (above) or every evaluated firm (all)
    firm_scope   text NOT NULL DEFAULT 'above'
                 CONSTRAINT region_target_scope_known CHECK (firm_scope IN ('above', 'all')),
    -- the plan and article the target comes from
    source       text,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    CONSTRAINT region_target_pkey PRIMARY KEY (id),
    CONSTRAINT region_target_one_per_year
        UNIQUE NULLS NOT DISTINCT (region_code, indicator, firm_scope, low_efficiency_kind, target_kind,
                                  base_year, target_year),
    CONSTRAINT region_target_years_ordered CHECK (base_year < target_year),
    CONSTRAINT region_target_values_finite CHECK (base_value > '-Infinity' AND base_value < 'Infinity'
                                                  AND target_value > '-Infinity' AND target_value < 'Infinity'),
    CONSTRAINT region_target_moves CHECK (target_value <> base_value AND (target_kind = 'level' OR target_value <> 0)),
    CONSTRAINT region_target_revived_from_zero
        CHECK (indicator NOT LIKE 'revived%' OR (coalesce(base_value, 0) = 0 AND target_value > 0 AND target_kind = 'level')),
    CONSTRAINT region_target_kind_only_revived CHECK (low_efficiency_kind IS NULL OR indicator LIKE 'revived%'),
    CONSTRAINT region_target_rate_a_share
        CHECK (indicator <> 'park_entry_rate' OR target_kind <> 'level' OR target_value BETWEEN 0 AND 1),
    -- a township answers for the mu it brings out of the register (every kind)
    CONSTRAINT region_target_township_revived
        CHECK (length(region_code) = 6 OR (indicator = 'revived_mu' AND low_efficiency_kind IS NULL))
);
COMMENT ON TABLE parcel_gov.region_target IS
  '目标 region targets: an indicator (tax_per_mu 亩均税收, va_per_mu 亩均增加值, labour_productivity 全员劳动生产率; firms 企业数; park_entry_rate 入园率; revived_mu 盘活低效用地亩数, revived_blocks 连片整治块数, revived_block_mu 连片整治亩数) of 规上 or all firms, as a level to reach by target_year or a rise of target_value % a year (annual_rate), from base_value or, when NULL, the region''s own value in base_year';
COMMENT ON COLUMN parcel_gov.region_target.base_value IS
  '基期值: the value in base_year; NULL takes the region''s own evaluated value of that year (revived_*: 0)';
COMMENT ON COLUMN parcel_gov.region_target.target_value IS
  '目标值: level: the value to reach by target_year (park_entry_rate a share, 0.7 = 70 %); annual_rate: the rise in % a year (8 = +8 %)';
COMMENT ON COLUMN parcel_gov.region_target.target_kind IS
  '目标类型: level (达到值) or annual_rate (年均增长率, %)';
COMMENT ON COLUMN parcel_gov.region_target.low_efficiency_kind IS
  '低效类型: revived_* targets count only parcels of this kind (e.g. underused 用而未尽); NULL every kind';
COMMENT ON COLUMN parcel_gov.region_target.firm_scope IS
  '企业范围: above (规上 firms) or all (every evaluated firm; graded firms for the per-mu figures)';
COMMENT ON COLUMN parcel_gov.region_target.source IS
  '出处: the plan and article the target comes from';
COMMENT ON COLUMN parcel_gov.region_target.id IS
  '目标编号: identity of the target (v_target_progress.target_id)';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region_target', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.region_target', 'id'), '');
ALTER TABLE parcel_gov.region_target ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.region_target
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.region_target TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region_target TO parcel_gov_admin;

-- Progress: for each target and each evaluated year from the base year to
-- the target year, the actual value (ratios of sums over the region's graded
-- firms in scope; firms and park_entry_rate over its evaluated firms; the
-- revived_* counts over parcels that left the register after the base year,
-- up to the end of that year), the base (measured in the base year when the
-- target gives none), the value to reach by the target year (annual_rate:
-- base × (1 + rate/100)^years), the year's milestone and the share of the
-- way from base to target (1 = reached).
CREATE VIEW parcel_gov.v_target_progress WITH (security_invoker = true) AS
SELECT t.region_code, rg.name AS region_name, t.indicator, t.base_year, m.base AS base_value, t.target_year,
       f.final AS target_value, m.year, m.actual,
       CASE WHEN f.final > m.base THEN (m.actual - m.base) / (f.final - m.base) END AS share_done,
       t.id AS target_id, t.target_kind,
       CASE WHEN t.target_kind = 'annual_rate' THEN t.target_value END AS annual_rate,
       t.firm_scope, t.low_efficiency_kind::text AS low_efficiency_kind,
       parcel_gov.label(t.low_efficiency_kind) AS low_efficiency_kind_label,
       f.year_target,
       m.actual >= f.year_target AS reached,
       t.source
FROM (SELECT * FROM parcel_gov.region_target WHERE length(region_code) = 6) AS t
LEFT JOIN parcel_gov.region rg ON rg.code = t.region_code
CROSS JOIN LATERAL (
    SELECT y.year, a.actual,
           coalesce(t.base_value, CASE WHEN t.indicator LIKE 'revived%' THEN 0 END,
                    max(a.actual) FILTER (WHERE y.year = t.base_year) OVER ()) AS base
    FROM (SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s
          WHERE starts_with(s.region_code, parcel_gov.region_prefix(t.region_code))
            AND s.year BETWEEN t.base_year AND t.target_year) AS y
    CROSS JOIN LATERAL (
        SELECT CASE t.indicator
                 WHEN 'tax_per_mu' THEN sum(e.tax) FILTER (WHERE e.graded AND e.tax IS NOT NULL)
                                        / nullif(sum(e.area_mu) FILTER (WHERE e.graded AND e.tax IS NOT NULL), 0)
                 WHEN 'va_per_mu' THEN sum(e.value_added) FILTER (WHERE e.graded AND e.value_added IS NOT NULL)
                                       / nullif(sum(e.area_mu) FILTER (WHERE e.graded AND e.value_added IS NOT NULL), 0)
                 WHEN 'labour_productivity' THEN sum(e.value_added) FILTER (WHERE e.graded AND e.staff > 0 AND e.value_added IS NOT NULL)
                                       / nullif(sum(e.staff) FILTER (WHERE e.graded AND e.staff > 0 AND e.value_added IS NOT NULL), 0)
                 WHEN 'firms' THEN count(*)::double precision
                 WHEN 'park_entry_rate' THEN count(*) FILTER (WHERE e.in_park)::double precision / nullif(count(*), 0)
                 WHEN 'revived_mu' THEN (SELECT coalesce(sum(p.area_mu), 0) FROM parcel_gov.register r
                                         JOIN parcel_gov.parcel p ON p.code = r.parcel_code
                                         WHERE starts_with(r.parcel_code, parcel_gov.region_prefix(t.region_code))
                                           AND r.state = 'exited'
                                           AND (t.low_efficiency_kind IS NULL OR t.low_efficiency_kind = ANY (r.kinds))
                                           AND r.exited_at >= make_timestamptz(t.base_year + 1, 1, 1, 0, 0, 0)
                                           AND r.exited_at < make_timestamptz(y.year + 1, 1, 1, 0, 0, 0))
                 ELSE (SELECT CASE t.indicator WHEN 'revived_blocks' THEN count(*)::double precision
                                               ELSE coalesce(sum(b.area_mu), 0) END
                       FROM (SELECT sum(x.area_mu) AS area_mu FROM (
                                 -- the parcels brought out, joined into blocks as v_low_efficiency_clusters joins them
                                 SELECT p.area_mu,
                                        ST_ClusterDBSCAN(ST_Transform(p.geom, 3857),
                                            greatest(parcel_gov.cluster_distance(coalesce(nullif(
                                                current_setting('parcel_gov.cluster_distance_m', true), '')::double precision, 50)),
                                                0.001) / cos(radians(ST_Y(ST_Centroid(p.geom)))), 1)
                                          OVER (PARTITION BY p.region_code) AS cluster, p.region_code
                                 FROM parcel_gov.register r JOIN parcel_gov.parcel p ON p.code = r.parcel_code
                                 WHERE starts_with(r.parcel_code, parcel_gov.region_prefix(t.region_code))
                                   AND r.state = 'exited'
                                   AND (t.low_efficiency_kind IS NULL OR t.low_efficiency_kind = ANY (r.kinds))
                                   AND r.exited_at >= make_timestamptz(t.base_year + 1, 1, 1, 0, 0, 0)
                                   AND r.exited_at < make_timestamptz(y.year + 1, 1, 1, 0, 0, 0)) AS x
                             GROUP BY x.region_code, x.cluster HAVING count(*) >= 2) AS b)
               END AS actual
        FROM (SELECT ev.tax, ev.value_added, ev.area_mu, fy.staff,
                     ev.grade IS NOT NULL AND ev.area_mu > 0 AS graded,
                     CASE WHEN t.indicator = 'park_entry_rate' THEN parcel_gov.firm_in_park(ev.uscc, ev.year) END AS in_park
              FROM parcel_gov.evaluation ev
              LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = ev.uscc AND fy.year = ev.year
              WHERE ev.year = y.year AND starts_with(ev.region_code, parcel_gov.region_prefix(t.region_code))
                AND (t.firm_scope = 'all' OR ev.pool = 'above')) AS e
    ) AS a
) AS m
CROSS JOIN LATERAL (
    SELECT CASE WHEN t.target_kind = 'level' THEN t.target_value
                ELSE m.base * power(1 + t.target_value / 100, t.target_year - t.base_year) END AS final,
           CASE WHEN t.target_kind = 'level' THEN t.target_value
                ELSE m.base * power(1 + t.target_value / 100, m.year - t.base_year) END AS year_target
) AS f;
GRANT SELECT ON parcel_gov.v_target_progress TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_target_progress IS
  '目标进度 target progress: per region target and evaluated year, the actual value (ratios of sums over 规上 or all graded firms; firms 企业数 and park_entry_rate 入园率 over evaluated firms; revived_*: mu or 连片 blocks that left the register 出库 since the base year), the base (measured in the base year when the target gives none), the year''s milestone and the share of the way from base to target';

-- 乡镇街道 Townships answer for progress (桐庐: ranked monthly, the last two
-- places three months running are summoned; 上虞: monitored monthly): per
-- township with parcels (parcel.township_code) and month, from the month of
-- the register's first change to this month, the mu its parcels brought out
-- of the register (出库) that month, the mu in treatment (整治提升 or 评估)
-- at the month's end, and against the township's revived_mu target covering
-- the month's year (region_target, a 9-digit region), the mu brought out since
-- the target's base year and the share of the target done; townships with a
-- target ranked in their county each month by that share (ties share a
-- place), the last places flagged (rule_set.township_last_places, 2) and
-- the months running they have been (to summon after
-- rule_set.township_summon_months, 3).
CREATE VIEW parcel_gov.v_township_progress WITH (security_invoker = true) AS
WITH land AS (
    SELECT p.code, p.township_code, p.area_mu FROM parcel_gov.parcel p WHERE p.township_code IS NOT NULL
), months AS (
    SELECT m AS month_start
    FROM generate_series((SELECT date_trunc('month', min(e.at)) FROM parcel_gov.register_event e),
                         date_trunc('month', now()), interval '1 month') AS m
), progress AS (
    SELECT tw.township_code, m.month_start,
           (SELECT coalesce(sum(l.area_mu), 0) FROM land l JOIN parcel_gov.register_event e ON e.parcel_code = l.code
            WHERE l.township_code = tw.township_code AND e.to_state = 'exited'
              AND e.at >= m.month_start AND e.at < m.month_start + interval '1 month') AS exited_mu,
           (SELECT coalesce(sum(l.area_mu), 0) FROM land l
            CROSS JOIN LATERAL (SELECT e.to_state FROM parcel_gov.register_event e
                                WHERE e.parcel_code = l.code AND e.at < m.month_start + interval '1 month'
                                ORDER BY e.step DESC LIMIT 1) AS s
            WHERE l.township_code = tw.township_code AND s.to_state IN ('in_treatment', 'assessing')) AS in_treatment_mu,
           t.target_value AS target_mu, t.base_year AS target_base_year, t.target_year,
           (SELECT coalesce(sum(l.area_mu), 0) FROM land l JOIN parcel_gov.register_event e ON e.parcel_code = l.code
            WHERE l.township_code = tw.township_code AND e.to_state = 'exited'
              AND e.at >= make_timestamptz(t.base_year + 1, 1, 1, 0, 0, 0)
              AND e.at < m.month_start + interval '1 month') AS exited_mu_to_date
    FROM (SELECT DISTINCT l.township_code FROM land l) AS tw
    CROSS JOIN months m
    LEFT JOIN LATERAL (
        SELECT rt.target_value, rt.base_year, rt.target_year FROM parcel_gov.region_target rt
        WHERE rt.region_code = tw.township_code AND rt.indicator = 'revived_mu'
          AND extract(year FROM m.month_start) BETWEEN rt.base_year + 1 AND rt.target_year
        ORDER BY rt.target_year, rt.base_year DESC, rt.id LIMIT 1
    ) AS t ON true
), ranked AS (
    SELECT g.*, g.exited_mu_to_date / g.target_mu AS share_done,
           CASE WHEN g.target_mu IS NOT NULL THEN rank() OVER w END AS township_rank,
           CASE WHEN g.target_mu IS NOT NULL THEN count(*) OVER (PARTITION BY left(g.township_code, 6), g.month_start,
                                                                 g.target_mu IS NOT NULL) END AS townships_ranked
    FROM progress g
    WINDOW w AS (PARTITION BY left(g.township_code, 6), g.month_start, g.target_mu IS NOT NULL
                 ORDER BY g.exited_mu_to_date / g.target_mu DESC)
), flagged AS (
    -- the county's rules of the month's year: how many last places, how many months running
    SELECT r.*, rs.township_last_places, rs.township_summon_months,
           coalesce(r.townships_ranked > rs.township_last_places
                    AND r.township_rank > r.townships_ranked - rs.township_last_places, false) AS in_last_places
    FROM ranked r
    LEFT JOIN parcel_gov.rule_set rs
           ON rs.id = parcel_gov.rule_set_for(left(r.township_code, 6), extract(year FROM r.month_start)::integer)
), runs AS (
    -- months running in the last places: consecutive months share an island
    SELECT f.*, CASE WHEN f.in_last_places THEN row_number() OVER (PARTITION BY f.township_code, f.in_last_places, f.island
                                                                   ORDER BY f.month_start) ELSE 0 END AS last_places_months
    FROM (SELECT f0.*, row_number() OVER (PARTITION BY f0.township_code ORDER BY f0.month_start)
                       - row_number() OVER (PARTITION BY f0.township_code, f0.in_last_places ORDER BY f0.month_start) AS island
          FROM flagged f0) AS f
)
SELECT left(f.township_code, 6) AS county_code, c.name AS county_name, f.township_code, tn.name AS township_name,
       f.month_start::date AS month, f.exited_mu, f.in_treatment_mu, f.target_mu, f.target_base_year, f.target_year,
       f.exited_mu_to_date, f.share_done, f.township_rank, f.townships_ranked, f.in_last_places,
       f.last_places_months, f.last_places_months >= f.township_summon_months AS to_summon
FROM runs f
LEFT JOIN parcel_gov.region c ON c.code = left(f.township_code, 6)
LEFT JOIN parcel_gov.region tn ON tn.code = f.township_code;
GRANT SELECT ON parcel_gov.v_township_progress TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_township_progress IS
  '乡镇街道月度进度 township progress by month: mu brought out of the register (出库) in the month, mu in treatment at its end, mu brought out since the township''s revived_mu target''s base year and the share of the target done; rank among its county''s townships with a target, whether in the last places and for how many months running, and whether to summon (桐庐: last two places three months running → 约谈; rule_set.township_last_places, township_summon_months)';

-- The new views' column comments: a column named as one in another view
-- takes its words (install/95_view_comments.sql); the new names get theirs
-- here; a column left without fails the install.
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev IS '上年等级: grade the year before';
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev_label IS '上年等级名称: the grade the year before in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.reasons IS '预警原因: tax_falling, near_tier_line, grade_dropped, quarter_falling';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter IS '最近评价季度: the year''s latest quarter evaluated by evaluate_quarter() (1–4), NULL none';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade IS '季度等级: the grade of that quarter (year to date)';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_label IS '季度等级名称: that grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_score IS '季度得分: the composite score of that quarter';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_prev IS '上季度等级: the grade of the quarter before';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_prev_label IS '上季度等级名称: the grade of the quarter before in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_score_prev IS '上季度得分: the score of the quarter before';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_falling IS '季度连续下降: the latest quarter and the one before each fell on the quarter before (a worse grade, or the same grade on a lower score)';
COMMENT ON COLUMN parcel_gov.v_early_warning.reason_labels IS '预警原因 (中文): the reasons in Chinese';
COMMENT ON COLUMN parcel_gov.v_target_progress.indicator IS '目标指标: tax_per_mu, va_per_mu, labour_productivity, firms, park_entry_rate, revived_mu, revived_blocks or revived_block_mu';
COMMENT ON COLUMN parcel_gov.v_target_progress.base_year IS '基期年份: base year';
COMMENT ON COLUMN parcel_gov.v_target_progress.base_value IS '基期值: value in the base year (given, or measured in the region''s evaluation of that year; revived_*: 0)';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_year IS '目标年份: target year';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_value IS '目标值: value to reach by the target year (annual_rate: the base raised by the rate each year; revived_mu: 亩 to bring out of the register)';
COMMENT ON COLUMN parcel_gov.v_target_progress.actual IS '实际值: the year''s actual value';
COMMENT ON COLUMN parcel_gov.v_target_progress.share_done IS '完成进度: share of the way from base to target (1 = reached); NULL when the base already reaches the target';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_id IS '目标编号: region_target.id';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_kind IS '目标类型: level (达到值) or annual_rate (年均增长率)';
COMMENT ON COLUMN parcel_gov.v_target_progress.annual_rate IS '年均增长率 (%): the rise a year an annual_rate target asks; NULL for a level';
COMMENT ON COLUMN parcel_gov.v_target_progress.firm_scope IS '企业范围: above (规上 firms) or all';
COMMENT ON COLUMN parcel_gov.v_target_progress.low_efficiency_kind IS '低效类型: the kind a revived_* target counts; NULL every kind';
COMMENT ON COLUMN parcel_gov.v_target_progress.low_efficiency_kind_label IS '低效类型名称: the kind in Chinese';
COMMENT ON COLUMN parcel_gov.v_target_progress.year_target IS '年度目标: the value due by this year (annual_rate: base × (1 + rate)^years; level: the target value)';
COMMENT ON COLUMN parcel_gov.v_target_progress.reached IS '是否达标: the actual is at or above the year''s milestone (every target indicator counts up)';
COMMENT ON COLUMN parcel_gov.v_target_progress.source IS '出处: the plan and article of the target';
COMMENT ON COLUMN parcel_gov.v_township_progress.county_code IS '县级区划代码: the township''s county';
COMMENT ON COLUMN parcel_gov.v_township_progress.county_name IS '县级区划名称: the county''s name';
COMMENT ON COLUMN parcel_gov.v_township_progress.township_code IS '乡镇街道代码: 9-digit township or street code';
COMMENT ON COLUMN parcel_gov.v_township_progress.township_name IS '乡镇街道名称: township or street name';
COMMENT ON COLUMN parcel_gov.v_township_progress.month IS '月份: the month''s first day';
COMMENT ON COLUMN parcel_gov.v_township_progress.exited_mu IS '当月出库亩数: mu of the township''s parcels that left the register in the month';
COMMENT ON COLUMN parcel_gov.v_township_progress.in_treatment_mu IS '整治中亩数: mu of its parcels in treatment (整治提升 or 评估) at the month''s end';
COMMENT ON COLUMN parcel_gov.v_township_progress.target_mu IS '目标亩数: the township''s revived_mu target covering the month''s year';
COMMENT ON COLUMN parcel_gov.v_township_progress.target_base_year IS '目标基期年份: the target''s base year (exits count from the year after)';
COMMENT ON COLUMN parcel_gov.v_township_progress.target_year IS '目标年份: target year';
COMMENT ON COLUMN parcel_gov.v_township_progress.exited_mu_to_date IS '累计出库亩数: mu brought out since the target''s base year, to the month''s end';
COMMENT ON COLUMN parcel_gov.v_township_progress.share_done IS '完成进度: exited_mu_to_date ÷ target_mu';
COMMENT ON COLUMN parcel_gov.v_township_progress.township_rank IS '月度排名: place among the county''s townships with a target that month (1 = furthest; ties share a place)';
COMMENT ON COLUMN parcel_gov.v_township_progress.townships_ranked IS '参与排名数: townships of the county with a target that month';
COMMENT ON COLUMN parcel_gov.v_township_progress.in_last_places IS '末位: in the last places that month (rule_set.township_last_places, 2: 末两位), when more townships are ranked';
COMMENT ON COLUMN parcel_gov.v_township_progress.last_places_months IS '连续末位月数: months running in the last places, this one included (0 when not)';
COMMENT ON COLUMN parcel_gov.v_township_progress.to_summon IS '约谈: in the last places rule_set.township_summon_months (3) months running';
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
        WHERE c.oid IN ('parcel_gov.v_early_warning'::pg_catalog.regclass, 'parcel_gov.v_target_progress'::pg_catalog.regclass,
                        'parcel_gov.v_township_progress'::pg_catalog.regclass)
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
    run_by         name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
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

CREATE FUNCTION parcel_gov.simulate(year integer, rule_set text, region text DEFAULT NULL)
    RETURNS TABLE (simulation_id bigint, uscc text, name text, current_score double precision,
                   current_grade parcel_gov.grade, simulated_score double precision, simulated_grade parcel_gov.grade)
    LANGUAGE plpgsql SECURITY DEFINER
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
    PERFORM parcel_gov.require_caller('simulate', 'parcel_gov_analyst', prefix);
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
        -- (for the counties with firms: most shipped ones have none here)
        DELETE FROM parcel_gov.rule_set r
        WHERE length(r.region_prefix) = 6 AND starts_with(r.region_prefix, prefix) AND r.year_from = y;
        PERFORM parcel_gov.rule_set_adopt(proposal, 'simulation_' || g.code, g.code, y, y)
        FROM parcel_gov.region g
        WHERE g.level = 'county' AND starts_with(g.code, prefix)
          AND EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.region_code = g.code);
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
       f.current_grade::text AS current_grade, parcel_gov.label(f.current_grade) AS current_grade_label,
       f.simulated_grade::text AS simulated_grade, parcel_gov.label(f.simulated_grade) AS simulated_grade_label,
       count(*) AS firms, s.parcels_entering, s.parcels_clearing
FROM parcel_gov.simulation s JOIN parcel_gov.simulation_firm f ON f.simulation_id = s.id
GROUP BY s.id, f.current_grade, f.simulated_grade;
GRANT SELECT ON parcel_gov.v_simulation_moves TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_simulation_moves IS
  '规则模拟汇总: per simulation, how many firms move from each grade to each other (A→B, C→D, …), and how many parcels would enter the register or clear its thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulation_id IS '模拟编号: simulation id';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.move IS '等级变化: current → simulated grade (— none)';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade IS '现行等级: grade in the stored evaluation';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade IS '模拟等级: grade under the proposed rules';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade_label IS '现行等级名称: the stored grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade_label IS '模拟等级名称: the simulated grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_entering IS '新进低效库宗数: parcels the run would enter in the register';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_clearing IS '可出库宗数: assessed parcels that would clear the thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.region_prefix IS '区域: region code prefix simulated';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.rule_set_id IS '模拟规则: the proposed rule set';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.firms IS '企业数: firms making the move';
-- Every view is read-only, also for its owner: the write privileges a new
-- view gives its owner are taken back, so clients that ask PostgreSQL what
-- a login may do (QGIS asks has_table_privilege, DBeaver and BI tools read
-- information_schema) offer no editing on a view.  Edits go to the tables.
DO $$
DECLARE
    v regclass;
BEGIN
    FOR v IN SELECT c.oid FROM pg_catalog.pg_class c
             WHERE c.relnamespace = 'parcel_gov'::pg_catalog.regnamespace AND c.relkind = 'v' LOOP
        EXECUTE pg_catalog.format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM CURRENT_USER', v);
    END LOOP;
END $$;
