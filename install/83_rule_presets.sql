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

