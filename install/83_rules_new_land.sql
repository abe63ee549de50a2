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
