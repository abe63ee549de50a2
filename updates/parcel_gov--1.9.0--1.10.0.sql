-- parcel_gov 1.9.0 → 1.10.0 (policies: what the county plans ask beyond
-- grades).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only
-- where nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
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
                                     max_tax_per_kwh, township_last_places, township_summon_months)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.township_last_places, r.township_summon_months
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
    RETURN new_id;
END $$;
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
