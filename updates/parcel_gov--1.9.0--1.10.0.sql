-- parcel_gov 1.9.0 → 1.10.0 (policies: what the county plans ask beyond
-- grades).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only
-- where nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Indicators the published county formulas use whose figures a later release
-- records (温岭 单位用电营业收入, 临海 单位用水量工业增加值 and its COD-only
-- emission indicator, 黄岩 R&D over 主营业务收入).  Named now so that the
-- release scoring them can ship preset rows using them: an enum value added
-- by ALTER TYPE cannot be used in the transaction that adds it.  No rule row
-- may use them yet (rule_indicator_figures_recorded), and the 一企一策 inputs
-- keep to the indicators the engine scores.
ALTER TYPE parcel_gov.indicator ADD VALUE 'revenue_per_kwh';
ALTER TYPE parcel_gov.indicator ADD VALUE 'va_per_water';
ALTER TYPE parcel_gov.indicator ADD VALUE 'va_per_cod';
ALTER TYPE parcel_gov.indicator ADD VALUE 'rd_intensity_main';
COMMENT ON TYPE parcel_gov.indicator IS
  '评价指标 (indicator), a field of parcel_gov.indicators: tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占比, tax_per_kwh 单位电耗税收; named for the county formulas whose figures the next release records (no rule row may use them yet): revenue_per_kwh 单位电耗营业收入, va_per_water 单位水耗增加值, va_per_cod 单位COD排放增加值, rd_intensity_main R&D经费支出占主营业务收入比重';

CREATE OR REPLACE FUNCTION parcel_gov.label(value parcel_gov.indicator)
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
ALTER TABLE parcel_gov.rule_indicator ADD
CONSTRAINT rule_indicator_figures_recorded CHECK (indicator <= 'tax_per_kwh');

CREATE OR REPLACE FUNCTION parcel_gov.firm_plan_inputs()
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
        WINDOW ranking AS (PARTITION BY e.year, e.region_code, e.pool, e.industry_group)
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
               min(rp.land_floor_mu) AS land_floor_mu,
               coalesce(bool_or(ri.indicator IN ('va_per_mu', 'labour_productivity', 'va_per_energy', 'va_per_emission')),
                        false) AS va_scored
        FROM (SELECT DISTINCT eb.year, eb.region_code, eb.pool, eb.rule_set_id FROM parcel_gov.evaluation_benchmark eb) AS p
        CROSS JOIN unnest(enum_range(NULL, 'tax_per_kwh'::parcel_gov.indicator)) WITH ORDINALITY AS k (indicator, n)
        LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = p.rule_set_id AND rp.pool = p.pool
        LEFT JOIN parcel_gov.rule_indicator ri
               ON ri.rule_set_id = p.rule_set_id AND ri.pool = p.pool AND ri.indicator = k.indicator
        LEFT JOIN parcel_gov.evaluation_benchmark b
               ON b.year = p.year AND b.region_code = p.region_code AND b.pool = p.pool AND b.indicator = k.indicator
        GROUP BY p.year, p.region_code, p.pool, p.rule_set_id
    )
    SELECT t.id, t.year, t.uscc::text, t.region_code, t.pool, t.industry_group, t.grade_initial, t.next_grade,
           t.score, t.next_grade_score, t.area_mu, t.tax, t.tax_per_mu, t.veto_reason, s.land_floor_mu, s.va_scored,
           ARRAY[fy.tax, fy.value_added, fy.revenue, fy.rd_expense, fy.staff, fy.energy_tce, fy.emission_t,
                 fy.electricity_kwh],
           s.scoring,
           ARRAY[t.score_tax_per_mu, t.score_va_per_mu, t.score_revenue_per_mu, t.score_labour_productivity,
                 t.score_va_per_energy, t.score_va_per_emission, t.score_rd_intensity, t.score_tax_per_kwh],
           t.bonus, t.deduction, t.rental_deduction
    FROM below_top t
    JOIN scoring s ON s.year = t.year AND s.region_code = t.region_code AND s.pool = t.pool
                  AND s.rule_set_id = t.rule_set_id
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = t.uscc AND fy.year = t.year;
END;

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

-- Item 7 (issue 20): contracts with their price.  违约金 clauses per parcel
-- and promise (contract_penalty), the amount due appended to
-- v_contract_breach (CREATE OR REPLACE: new columns at the end), and 桐庐's
-- 履约监管协议 (performance_agreement, v_performance_agreement).
-- ---------------------------------------------------------------------------
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
CREATE OR REPLACE VIEW parcel_gov.v_contract_breach WITH (security_invoker = true) AS
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
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON parcel_gov.v_performance_agreement FROM CURRENT_USER;
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

-- ---------------------------------------------------------------------------
-- Item 6 (issue 20): 两高 and new land.  Rule data rule_new_land (上虞 2022:
-- 两高 ≥ 1000 tce since 2018, ≥ 5000 before, 100 % 标准地; 金东 2021–2023:
-- 容积率 ≥ 1.5), the parcel fact standard_land, rule_set_adopt() copying the
-- new rule rows, the views v_two_high and v_new_land_failure.
-- ---------------------------------------------------------------------------
ALTER TABLE parcel_gov.parcel ADD COLUMN standard_land boolean;
COMMENT ON COLUMN parcel_gov.parcel.standard_land IS
  '标准地: supplied as standard land, with the contract''s commitments (investment intensity, floor-area ratio, per-mu tax, energy, emissions) set before supply; NULL: not recorded';

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
GRANT SELECT ON parcel_gov.rule_new_land TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.rule_new_land TO parcel_gov_admin;

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
           parcel_gov.rule_set_for(f.region_code, fy.year) AS rule_set_id
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
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON parcel_gov.v_two_high FROM CURRENT_USER;
GRANT SELECT ON parcel_gov.v_two_high TO parcel_gov_reader;
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
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON parcel_gov.v_new_land_failure FROM CURRENT_USER;
GRANT SELECT ON parcel_gov.v_new_land_failure TO parcel_gov_reader;
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

-- 1.10.0: grade-linked measures (差别化措施: 差别化电价, 城镇土地使用税减免,
-- 用能, 排污 …) — the rule table rule_measure, rule_set_adopt() copying it,
-- and the views v_differential_measures and v_differential_measure_totals
-- (install/87_differential_measures.sql).
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
       e.pool::text AS pool, parcel_gov.label(e.pool) AS pool_label,
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
COMMENT ON COLUMN parcel_gov.v_differential_measures.pool_label IS '分组: 规上 or 规下';
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
GRANT SELECT ON parcel_gov.rule_measure TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.rule_measure TO parcel_gov_admin;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON parcel_gov.v_differential_measures,
       parcel_gov.v_differential_measure_totals FROM CURRENT_USER;
GRANT SELECT ON parcel_gov.v_differential_measures, parcel_gov.v_differential_measure_totals TO parcel_gov_reader;

-- Copies a rule set (typically a preset) under a new id for a region and years.

-- Targets as the plans write them (issue 20 item 5): region_target takes
-- targets by rate a year (base measured in the region's own evaluated year
-- when none is given), by low-efficiency kind, by 连片 blocks, by count of
-- firms and 入园率, for 规上 or all firms, with their source;
-- v_target_progress shows each with its measured value; v_region_summary
-- gains 入园率 (columns appended at the end).
ALTER TABLE parcel_gov.region_target DROP CONSTRAINT region_target_pkey;
ALTER TABLE parcel_gov.region_target ALTER COLUMN base_value DROP NOT NULL;
ALTER TABLE parcel_gov.region_target
    ADD COLUMN target_kind text NOT NULL DEFAULT 'level'
        CONSTRAINT region_target_kind_known CHECK (target_kind IN ('level', 'annual_rate')),
    ADD COLUMN low_efficiency_kind parcel_gov.low_efficiency_kind,
    ADD COLUMN firm_scope text NOT NULL DEFAULT 'above'
        CONSTRAINT region_target_scope_known CHECK (firm_scope IN ('above', 'all')),
    ADD COLUMN source text,
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE parcel_gov.region_target
    ADD CONSTRAINT region_target_pkey PRIMARY KEY (id),
    ADD CONSTRAINT region_target_one_per_year
        UNIQUE NULLS NOT DISTINCT (region_code, indicator, firm_scope, low_efficiency_kind, target_kind,
                                  base_year, target_year),
    DROP CONSTRAINT region_target_indicator_known,
    ADD CONSTRAINT region_target_indicator_known
        CHECK (indicator IN ('tax_per_mu', 'va_per_mu', 'labour_productivity', 'revived_mu',
                             'revived_blocks', 'revived_block_mu', 'firms', 'park_entry_rate')),
    DROP CONSTRAINT region_target_moves,
    ADD CONSTRAINT region_target_moves CHECK (target_value <> base_value AND (target_kind = 'level' OR target_value <> 0)),
    DROP CONSTRAINT region_target_revived_from_zero,
    ADD CONSTRAINT region_target_revived_from_zero
        CHECK (indicator NOT LIKE 'revived%' OR (coalesce(base_value, 0) = 0 AND target_value > 0 AND target_kind = 'level')),
    ADD CONSTRAINT region_target_kind_only_revived CHECK (low_efficiency_kind IS NULL OR indicator LIKE 'revived%'),
    ADD CONSTRAINT region_target_rate_a_share
        CHECK (indicator <> 'park_entry_rate' OR target_kind <> 'level' OR target_value BETWEEN 0 AND 1);
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
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.region_target', 'id'), '');

-- 入园: a firm's land lies in a park (开发区/园区) in a year: a parcel it
-- holds, or one it leases that year, has a park_id.  入园率 is the share of
-- firms for which this holds (v_region_summary, v_target_progress).
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

CREATE OR REPLACE VIEW parcel_gov.v_region_summary WITH (security_invoker = true) AS
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
  '区域亩均效益汇总: per region (county, city, province) and year: graded firms'' area (亩), 亩均税收 and 亩均增加值 (ratios of sums), firms by grade and by tax tier (1 重点排查 < 5, 2 重点检查 < 10, 3 重点指导 < 15, 0 ≥ 15 万元/亩), and the change against the year before, and 入园率 (the share of evaluated firms, and of 规上 firms, whose land lies in a park); counties'' figures are combined from evaluation_summary, so the view reads one row per county and year';

COMMENT ON COLUMN parcel_gov.v_region_summary.park_firms IS '入园企业数: evaluated firms whose land lies in a park';
COMMENT ON COLUMN parcel_gov.v_region_summary.park_entry_rate IS '入园率: share of evaluated firms whose land lies in a park';
COMMENT ON COLUMN parcel_gov.v_region_summary.above_firms IS '规上企业数: evaluated 规上 firms';
COMMENT ON COLUMN parcel_gov.v_region_summary.above_park_firms IS '规上入园企业数: 规上 firms whose land lies in a park';
COMMENT ON COLUMN parcel_gov.v_region_summary.above_park_entry_rate IS '规上入园率: share of 规上 firms whose land lies in a park';

CREATE OR REPLACE VIEW parcel_gov.v_target_progress WITH (security_invoker = true) AS
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
COMMENT ON VIEW parcel_gov.v_target_progress IS
  '目标进度 target progress: per region target and evaluated year, the actual value (ratios of sums over 规上 or all graded firms; firms 企业数 and park_entry_rate 入园率 over evaluated firms; revived_*: mu or 连片 blocks that left the register 出库 since the base year), the base (measured in the base year when the target gives none), the year''s milestone and the share of the way from base to target';
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

-- ---------------------------------------------------------------------------
-- Townships and zones answer for progress (issue 20 item 4): a parcel
-- carries its township (乡镇街道, a 9-digit region under its county); a
-- township may hold a revived_mu target (v_target_progress, above, reads
-- county, city and province targets only); v_township_progress ranks a
-- county's townships month by month and flags the last places and those to
-- summon, as rule_set.township_last_places / township_summon_months say.
ALTER TABLE parcel_gov.parcel
    ADD COLUMN township_code text REFERENCES parcel_gov.region
        CONSTRAINT parcel_township_in_county CHECK (township_code ~ '^[0-9]{9}$' AND left(township_code, 6) = region_code);
COMMENT ON COLUMN parcel_gov.parcel.township_code IS
  '乡镇街道代码: the township or street the parcel lies in, a 9-digit region under the parcel''s county (v_township_progress ranks them)';
CREATE INDEX parcel_township_idx ON parcel_gov.parcel (township_code);
ALTER TABLE parcel_gov.region_target
    DROP CONSTRAINT region_target_region_6_digits,
    ADD CONSTRAINT region_target_region_code_form CHECK (region_code ~ '^[0-9]{6}([0-9]{3})?$'),
    ADD CONSTRAINT region_target_township_revived
        CHECK (length(region_code) = 6 OR (indicator = 'revived_mu' AND low_efficiency_kind IS NULL));
-- The rules of the ranking (桐庐: the last two places, three months running)
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN township_last_places     integer NOT NULL DEFAULT 2
                             CONSTRAINT rule_set_township_last_places_positive CHECK (township_last_places > 0),
    ADD COLUMN township_summon_months   integer NOT NULL DEFAULT 3
                             CONSTRAINT rule_set_township_summon_months_positive CHECK (township_summon_months > 0);
COMMENT ON COLUMN parcel_gov.rule_set.township_last_places IS
  '桐庐 乡镇街道月度排名: the last this many places among a county''s ranked townships are flagged (v_township_progress.in_last_places), when more townships than this are ranked';
COMMENT ON COLUMN parcel_gov.rule_set.township_summon_months IS
  '桐庐 约谈: a township in the last places this many months running is to be summoned (v_township_progress.to_summon)';
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
                                     max_tax_per_kwh, scattered_polluting_batch, collective_industrial_batch,
                                     township_last_places, township_summon_months)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch,
           r.township_last_places, r.township_summon_months
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
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON parcel_gov.v_township_progress FROM CURRENT_USER;
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
