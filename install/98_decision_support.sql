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
--                   5 万元/亩 line (5 to 10, tax_tier 2, 重点检查)
--   grade_dropped   等级下降: a worse grade than the year before
CREATE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name,
       w.pool::text AS pool, parcel_gov.label(w.pool) AS pool_label,
       w.grade::text AS grade, parcel_gov.label(w.grade) AS grade_label,
       w.grade_prev::text AS grade_prev, parcel_gov.label(w.grade_prev) AS grade_prev_label,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END) AS reason_labels
FROM (
    SELECT e.id AS fid, e.year, e.uscc::text AS uscc, f.name, e.region_code, rg.name AS region_name, e.pool,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu) = 2, false) AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped
    FROM parcel_gov.evaluation e
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
    LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
) AS w
WHERE w.falling OR w.near_line OR w.dropped;
GRANT SELECT ON parcel_gov.v_early_warning TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, or whose grade dropped; one row per firm and year with the reasons';

-- 目标 Region targets: an indicator's base value in a base year and the
-- value to reach by a target year (Shangyu: 规上 tax per mu 22.25 → 31 万元,
-- value added per mu 96.59 → 135 万元 from 2020), or mu of low-efficiency
-- land to bring out of the register (出库) by then (revived_mu; base 0).
CREATE TABLE parcel_gov.region_target (
    -- a county, a city or the province, as v_target_progress reads it (region_prefix)
    region_code  text NOT NULL REFERENCES parcel_gov.region
                 CONSTRAINT region_target_region_6_digits CHECK (region_code ~ '^[0-9]{6}$'),
    indicator    text NOT NULL CONSTRAINT region_target_indicator_known
                 CHECK (indicator IN ('tax_per_mu', 'va_per_mu', 'labour_productivity', 'revived_mu')),
    base_year    integer NOT NULL,
    base_value   double precision NOT NULL,
    target_year  integer NOT NULL,
    target_value double precision NOT NULL,
    PRIMARY KEY (region_code, indicator, target_year),
    CONSTRAINT region_target_years_ordered CHECK (base_year < target_year),
    CONSTRAINT region_target_values_finite CHECK (base_value > '-Infinity' AND base_value < 'Infinity'
                                                  AND target_value > '-Infinity' AND target_value < 'Infinity'),
    CONSTRAINT region_target_moves CHECK (target_value <> base_value),
    CONSTRAINT region_target_revived_from_zero CHECK (indicator <> 'revived_mu' OR (base_value = 0 AND target_value > 0))
);
COMMENT ON TABLE parcel_gov.region_target IS
  '目标 region targets: an indicator (tax_per_mu 亩均税收, va_per_mu 亩均增加值, labour_productivity 全员劳动生产率 of 规上 firms; revived_mu 盘活低效用地亩数) from its base value in base_year to target_value by target_year';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region_target', '');
ALTER TABLE parcel_gov.region_target ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.region_target
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.region_target TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.region_target TO parcel_gov_admin;

-- Progress: for each target and each evaluated year from the base year to
-- the target year, the actual value (ratios of sums over the region's graded
-- 规上 firms; for revived_mu the mu of parcels that left the register after
-- the base year, up to the end of that year) and the share of the way from
-- base to target (1 = reached).
CREATE VIEW parcel_gov.v_target_progress WITH (security_invoker = true) AS
SELECT t.region_code, rg.name AS region_name, t.indicator, t.base_year, t.base_value, t.target_year,
       t.target_value, y.year, a.actual,
       (a.actual - t.base_value) / (t.target_value - t.base_value) AS share_done
FROM parcel_gov.region_target t
LEFT JOIN parcel_gov.region rg ON rg.code = t.region_code
CROSS JOIN LATERAL (
    SELECT DISTINCT s.year FROM parcel_gov.evaluation_summary s
    WHERE starts_with(s.region_code, parcel_gov.region_prefix(t.region_code))
      AND s.year BETWEEN t.base_year AND t.target_year
) AS y
CROSS JOIN LATERAL (
    SELECT CASE t.indicator
             WHEN 'tax_per_mu' THEN sum(e.tax) FILTER (WHERE e.tax IS NOT NULL) / nullif(sum(e.area_mu) FILTER (WHERE e.tax IS NOT NULL), 0)
             WHEN 'va_per_mu' THEN sum(e.value_added) FILTER (WHERE e.value_added IS NOT NULL)
                                   / nullif(sum(e.area_mu) FILTER (WHERE e.value_added IS NOT NULL), 0)
             WHEN 'labour_productivity' THEN sum(e.value_added) FILTER (WHERE fy.staff > 0 AND e.value_added IS NOT NULL)
                                   / nullif(sum(fy.staff) FILTER (WHERE fy.staff > 0 AND e.value_added IS NOT NULL), 0)
             WHEN 'revived_mu' THEN (SELECT coalesce(sum(p.area_mu), 0) FROM parcel_gov.register r
                                     JOIN parcel_gov.parcel p ON p.code = r.parcel_code
                                     WHERE starts_with(r.parcel_code, parcel_gov.region_prefix(t.region_code))
                                       AND r.state = 'exited'
                                       AND r.exited_at >= make_timestamptz(t.base_year + 1, 1, 1, 0, 0, 0)
                                       AND r.exited_at < make_timestamptz(y.year + 1, 1, 1, 0, 0, 0))
           END AS actual
    FROM parcel_gov.evaluation e
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = e.uscc AND fy.year = e.year
    WHERE e.year = y.year AND starts_with(e.region_code, parcel_gov.region_prefix(t.region_code))
      AND e.pool = 'above' AND e.grade IS NOT NULL AND e.area_mu > 0
) AS a;
GRANT SELECT ON parcel_gov.v_target_progress TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_target_progress IS
  '目标进度 target progress: per region target and evaluated year, the actual value (规上 ratios of sums; revived_mu: mu that left the register 出库 since the base year) and the share of the way from base to target';

-- The new views' column comments: a column named as one in another view
-- takes its words (install/95_view_comments.sql); the new names get theirs
-- here; a column left without fails the install.
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev IS '上年等级: grade the year before';
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev_label IS '上年等级名称: the grade the year before in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.reasons IS '预警原因: tax_falling, near_tier_line, grade_dropped';
COMMENT ON COLUMN parcel_gov.v_early_warning.reason_labels IS '预警原因 (中文): the reasons in Chinese';
COMMENT ON COLUMN parcel_gov.v_target_progress.indicator IS '目标指标: tax_per_mu, va_per_mu, labour_productivity or revived_mu';
COMMENT ON COLUMN parcel_gov.v_target_progress.base_year IS '基期年份: base year';
COMMENT ON COLUMN parcel_gov.v_target_progress.base_value IS '基期值: value in the base year';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_year IS '目标年份: target year';
COMMENT ON COLUMN parcel_gov.v_target_progress.target_value IS '目标值: value to reach (revived_mu: 亩 to bring out of the register)';
COMMENT ON COLUMN parcel_gov.v_target_progress.actual IS '实际值: the year''s actual value';
COMMENT ON COLUMN parcel_gov.v_target_progress.share_done IS '完成进度: share of the way from base to target (1 = reached)';
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
        WHERE c.oid IN ('parcel_gov.v_early_warning'::pg_catalog.regclass, 'parcel_gov.v_target_progress'::pg_catalog.regclass)
          AND pg_catalog.col_description(c.oid, a.attnum) IS NULL
    LOOP
        IF missing IS NULL THEN
            RAISE EXCEPTION 'a new view column has no comment';
        END IF;
        EXECUTE missing;
    END LOOP;
END $$;
