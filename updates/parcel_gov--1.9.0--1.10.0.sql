-- parcel_gov 1.9.0 → 1.10.0 (policies: what the county plans ask beyond
-- grades).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only
-- where nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
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
GRANT INSERT, UPDATE, DELETE ON parcel_gov.rule_new_land TO parcel_gov_admin;
GRANT SELECT ON parcel_gov.rule_new_land TO parcel_gov_reader;

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

-- Copies a rule set (typically a preset) under a new id for a region and years.
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
                                     max_tax_per_kwh)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh
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
    INSERT INTO parcel_gov.rule_new_land
    SELECT new_id, n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
           n.standard_land_since, n.source
    FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years; returns new_id';

