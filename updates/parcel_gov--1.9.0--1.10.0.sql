-- parcel_gov 1.9.0 → 1.10.0 (policies: what the county plans ask beyond
-- grades).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only
-- where nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Item 1 (issue 20): three kinds of land, not one — 低散乱污 land and
-- 集体工业用地 as low-efficiency kinds (绍兴/嵊州 2021 全域治理), their facts
-- (enterprise_year.scattered_polluting, parcel.land_procedures_legal with the
-- 宗地代码's ownership) and their batches as rule data
-- (rule_set.scattered_polluting_batch, collective_industrial_batch).
-- The new enum values are not used by any SQL body created here (they cannot
-- be in the transaction that adds them): label() compares text, and the C
-- functions look the labels up when they run.
ALTER TYPE parcel_gov.low_efficiency_kind ADD VALUE 'scattered_polluting';
ALTER TYPE parcel_gov.low_efficiency_kind ADD VALUE 'collective_industrial';
COMMENT ON TYPE parcel_gov.low_efficiency_kind IS
  '低效工业用地类型: low_per_mu 亩均税收低, grade_d 评价D类, 五未 (approved_unsupplied 批而未供, supplied_unused 供而未用, underused 用而未尽, built_not_operating 建而未投, below_target 投而未达标), idle 闲置土地, non_industrial 占工非工, prohibited_industry 禁止/淘汰类产业, scattered_polluting 低散乱污, collective_industrial 集体工业用地';

CREATE OR REPLACE FUNCTION parcel_gov.label(value parcel_gov.low_efficiency_kind)
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

ALTER TABLE parcel_gov.parcel ADD COLUMN land_procedures_legal boolean;
COMMENT ON COLUMN parcel_gov.parcel.land_procedures_legal IS
  '合法用地手续: the land has its legal land procedures; false on collective land (宗地代码 character 13 J 集体) makes it 集体工业用地 (collective_industrial); NULL unknown';

ALTER TABLE parcel_gov.enterprise_year ADD COLUMN scattered_polluting boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN parcel_gov.enterprise_year.scattered_polluting IS
  '低散乱污: the firm is listed this year by the environment, safety, fire or planning departments (major environment, safety, fire or illegal-building problems); its land becomes scattered_polluting';

ALTER TABLE parcel_gov.rule_set
    ADD COLUMN scattered_polluting_batch parcel_gov.batch,
    ADD COLUMN collective_industrial_batch parcel_gov.batch DEFAULT 'function_transform';
COMMENT ON COLUMN parcel_gov.rule_set.scattered_polluting_batch IS
  '低散乱污 (绍兴 2021 全域治理): the batch a scattered_polluting parcel goes to at least (关停退出 first, 整治提升 last); NULL: as the four batches decide (关停退出 when it fails acceptance)';
COMMENT ON COLUMN parcel_gov.rule_set.collective_industrial_batch IS
  '集体工业用地 without legal procedures (绍兴 2021 全域治理): the batch a collective_industrial parcel goes to at least; default function_transform (功能转型: 复垦/退二); NULL: as the four batches decide';

-- rule_set_adopt() copies these columns: it is replaced once, with the issue
-- lists' rules (item 3) too, below.

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

-- v_parcel_efficiency applies the new kinds and batches: it is recreated
-- once, at the end of this script, with every 1.10.0 change to it.

-- ---------------------------------------------------------------------------
-- Item 2 (issue 20, item 8): disposal routes (处置路径) — 桐庐's 收购收储 and
-- 连片 routes 退二还一 / 优二 / 补三, 金东's 收回 / 改造 / 转让: the operator's
-- register.route beside the batch, recorded in register_event, shown with
-- its label in v_register and v_parcel_efficiency (new columns at the end).
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

ALTER TABLE parcel_gov.register ADD COLUMN route parcel_gov.disposal_route;
ALTER TABLE parcel_gov.register_event ADD COLUMN route parcel_gov.disposal_route;
COMMENT ON COLUMN parcel_gov.register.route IS
  '处置路径 (disposal route), set by the operator beside the batch: 收购收储, 退二还一, 优二, 补三 (桐庐), 收回, 改造, 转让 (金东); NULL not yet chosen';
COMMENT ON COLUMN parcel_gov.register_event.route IS
  '处置路径: the register row''s route after the change';
GRANT UPDATE (route) ON parcel_gov.register TO parcel_gov_operator;

CREATE OR REPLACE VIEW parcel_gov.v_register WITH (security_invoker = true) AS
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

-- (v_parcel_efficiency gets route and route_label at the end of this script.)
COMMENT ON COLUMN parcel_gov.v_register.route IS '处置路径: disposal route set by the operator (purchase_storage, secondary_to_primary, upgrade_secondary, add_tertiary, take_back, redevelop, transfer)';
COMMENT ON COLUMN parcel_gov.v_register.route_label IS '处置路径名称: disposal route in Chinese (收购收储, 退二还一, 优二, 补三, 收回, 改造, 转让)';

-- ---------------------------------------------------------------------------
-- Item 3 (issue 20, item 2): department issue lists (问题清单, 绍兴 2021
-- 清单化管理、销号式整改、项目化验收) — parcel_gov.issue, the rule data
-- rule_issue (which departments' open issues block an exit as accepted),
-- blocking_issues() that the register's trigger asks, and v_open_issues.
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
ALTER TABLE parcel_gov.issue ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.issue USING (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes())))) WITH CHECK (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.issue TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.issue TO parcel_gov_operator;

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
-- The built-in rule sets as a fresh install has them; a county's own rule
-- sets (adopted from them before 1.10.0) get the same rows, as adopting now
-- would give them.
INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, source)
SELECT r.id, d, true,
       CASE WHEN r.builtin THEN '绍兴 2021 开发区(园区)工业全域治理: 清单化管理、销号式整改、项目化验收 (环保、安全、消防 acceptance; 违建)'
            ELSE 'as the built-in rule sets (parcel_gov 1.10.0 update); 绍兴 2021 清单化管理、销号式整改、项目化验收' END
FROM parcel_gov.rule_set r CROSS JOIN unnest(enum_range(NULL::parcel_gov.issue_department)) AS d;
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_issue',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
GRANT SELECT ON parcel_gov.rule_issue TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.rule_issue TO parcel_gov_admin;

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
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON parcel_gov.v_open_issues FROM CURRENT_USER;
GRANT SELECT ON parcel_gov.v_open_issues TO parcel_gov_reader;
COMMENT ON COLUMN parcel_gov.v_open_issues.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_open_issues.region_name IS '行政区划名称: region name';
COMMENT ON COLUMN parcel_gov.v_open_issues.department IS '部门: the department of the issue list (environment 环保, safety 安全, fire 消防, illegal_building 违建)';
COMMENT ON COLUMN parcel_gov.v_open_issues.department_label IS '部门名称: the department in Chinese';
COMMENT ON COLUMN parcel_gov.v_open_issues.open_issues IS '未销号问题数: open issues (问题清单) not yet struck off';
COMMENT ON COLUMN parcel_gov.v_open_issues.parcels IS '宗地数: number of parcels';
COMMENT ON COLUMN parcel_gov.v_open_issues.overdue IS '逾期问题数: open issues past their deadline';
COMMENT ON COLUMN parcel_gov.v_open_issues.oldest_found IS '最早发现日期: when the oldest open issue was found';

CREATE OR REPLACE FUNCTION parcel_gov.rule_set_adopt(template text, new_id text, region_prefix text,
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
                                     max_tax_per_kwh, scattered_polluting_batch, collective_industrial_batch)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch
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
    INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
    SELECT new_id, i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
    FROM parcel_gov.rule_issue i WHERE i.rule_set_id = template;
    RETURN new_id;
END $$;


-- ---------------------------------------------------------------------------
-- v_parcel_efficiency with every 1.10.0 change (items 1–3): the new kinds and
-- their batches (low_efficiency_kinds and four_batch with their rule data),
-- the register's route and route_label (new columns, at the end), and
-- 关停退出 for an overdue issue of a department the rule set names.
CREATE OR REPLACE VIEW parcel_gov.v_parcel_efficiency WITH (security_invoker = true) AS
SELECT p.fid * 10000 + ys.year AS fid, p.code::text AS code, ys.year, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool::text AS pool, parcel_gov.label(h.pool) AS pool_label,
       h.grade::text AS grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu) AS tax_tier, parcel_gov.tier_label(parcel_gov.tax_tier(u.tax_per_mu)) AS tax_tier_label,
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
-- view out of parallel plans)
LEFT JOIN LATERAL (
    SELECT max(e.tax_per_mu) AS worst
    FROM parcel_gov.evaluation e
    WHERE h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu
      AND e.year IN (ys.year - 1, ys.year - 2) AND e.uscc = p.holder_uscc
    HAVING count(e.tax_per_mu) = 2
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
                   h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu
                     AND before.worst < rs.persistent_low_tax_per_mu,
                   h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
                   fy.prohibited_industry, fy.scattered_polluting, p.code, p.land_procedures_legal) AS kinds
          OFFSET 0) AS kk    -- computed once, for the kinds and the batch
) AS k;
COMMENT ON VIEW parcel_gov.v_parcel_efficiency IS
  '宗地亩均效益: each parcel in each evaluated year: 亩均税收 and 亩均增加值 of the firms using it (holder and lessees, by area used), the holder''s grade, tax tier, 低效类型 (kinds), 四个一批 (batch), register state and disposal route (处置路径), geometry and lon/lat; the kinds and batch the register''s sync records';
COMMENT ON COLUMN parcel_gov.v_parcel_efficiency.route IS '处置路径: disposal route set by the operator (purchase_storage, secondary_to_primary, upgrade_secondary, add_tertiary, take_back, redevelop, transfer)';
COMMENT ON COLUMN parcel_gov.v_parcel_efficiency.route_label IS '处置路径名称: disposal route in Chinese (收购收储, 退二还一, 优二, 补三, 收回, 改造, 转让)';
