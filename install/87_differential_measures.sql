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
