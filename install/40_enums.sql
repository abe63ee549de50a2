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
