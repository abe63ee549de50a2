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
