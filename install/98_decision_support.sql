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
