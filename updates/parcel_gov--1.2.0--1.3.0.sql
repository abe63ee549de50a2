-- parcel_gov 1.2.0 → 1.3.0: decision support (the register as of a date,
-- early warning, region targets).
-- Built by the Makefile: this head, then the install/ files that 1.3.0 added
-- or changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.3.0'" to load this file. \quit
-- Contract compliance (履约监管, 标准地): what a parcel's land contract
-- promised against what its holder achieved, year by year (docs/rules.md:
-- investment intensity, floor-area ratio, per-mu tax, energy and emissions
-- per unit of value added, completion).  The parcel already carries the
-- first promises (contract_*); energy and emissions join them here.

ALTER TABLE parcel_gov.parcel
    ADD COLUMN contract_energy_per_va double precision
        CONSTRAINT parcel_contract_energy_possible CHECK (contract_energy_per_va > 0 AND contract_energy_per_va < 100),
    ADD COLUMN contract_emission_per_va double precision
        CONSTRAINT parcel_contract_emission_possible CHECK (contract_emission_per_va > 0 AND contract_emission_per_va < 100),
    ADD CONSTRAINT parcel_contract_investment_possible
        CHECK (contract_investment_intensity > 0 AND contract_investment_intensity < 1000000),
    ADD CONSTRAINT parcel_contract_far_possible CHECK (contract_floor_area_ratio > 0 AND contract_floor_area_ratio <= 20),
    ADD CONSTRAINT parcel_contract_tax_possible CHECK (contract_tax_per_mu > 0 AND contract_tax_per_mu < 100000);
COMMENT ON COLUMN parcel_gov.parcel.contract_energy_per_va IS
  '承诺单位增加值能耗 (吨标煤/万元): at most this much energy per 万元 of value added';
COMMENT ON COLUMN parcel_gov.parcel.contract_emission_per_va IS
  '承诺单位增加值排放 (吨/万元): at most this much emission per 万元 of value added';

-- What the project achieved on the parcel by the end of a year, as the
-- county's inspection finds it; per-mu tax, energy and emissions come from
-- the holder's figures (enterprise_year, evaluation).
CREATE TABLE parcel_gov.parcel_progress (
    parcel_code      parcel_gov.parcel_code NOT NULL REFERENCES parcel_gov.parcel ON UPDATE CASCADE,
    year             integer NOT NULL,
    investment       double precision CONSTRAINT parcel_progress_investment_possible
                     CHECK (investment >= 0 AND investment < 1e9),
    floor_area_ratio double precision CONSTRAINT parcel_progress_far_possible
                     CHECK (floor_area_ratio >= 0 AND floor_area_ratio <= 20),
    completed_on     date,
    PRIMARY KEY (parcel_code, year)
);
COMMENT ON TABLE parcel_gov.parcel_progress IS
  '履约核查 what a parcel''s project achieved by the end of a year: investment made so far (万元), floor-area ratio built, the date it was completed';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.parcel_progress', '');
ALTER TABLE parcel_gov.parcel_progress ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.parcel_progress
    USING (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (parcel_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.parcel_progress TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.parcel_progress TO parcel_gov_operator;

-- 违约 Each broken promise, per parcel and year with progress recorded:
-- the promise, what was committed and achieved, the shortfall (how far short
-- of an "at least" promise, or over an "at most" one; days late for
-- completion), how many years running it has been broken, and the parcel's
-- register state.
CREATE VIEW parcel_gov.v_contract_breach WITH (security_invoker = true) AS
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
SELECT b.parcel_code, b.year, b.region_code, b.holder_uscc, b.promise,
       CASE b.promise WHEN 'investment_intensity' THEN '投资强度' WHEN 'floor_area_ratio' THEN '容积率'
                      WHEN 'tax_per_mu' THEN '亩均税收' WHEN 'energy_per_va' THEN '单位增加值能耗'
                      WHEN 'emission_per_va' THEN '单位增加值排放' WHEN 'completion' THEN '竣工时间' END AS promise_label,
       b.committed, b.achieved, b.shortfall,
       count(*) OVER (PARTITION BY b.parcel_code, b.promise, b.run ORDER BY b.year) AS years_in_breach,
       r.state AS register_state
FROM broken b
LEFT JOIN parcel_gov.register r ON r.parcel_code = b.parcel_code;
COMMENT ON VIEW parcel_gov.v_contract_breach IS
  '违约清单 contract breaches: each promise of a parcel''s land contract broken in a year (investment intensity, floor-area ratio, per-mu tax: at least; energy and emissions per 万元 of value added: at most; completion: days late), the shortfall, the years running, the register state';
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

-- When the rule says so (rule_set.breach_years_below_target), a parcel whose
-- contract has been broken that many years running is 投而未达标: its
-- land_status becomes below_target, which evaluate() turns into the
-- low-efficiency kind below_target.  Returns the parcels marked.
ALTER TABLE parcel_gov.rule_set ADD COLUMN breach_years_below_target integer
    CONSTRAINT rule_set_breach_years_positive CHECK (breach_years_below_target > 0);
COMMENT ON COLUMN parcel_gov.rule_set.breach_years_below_target IS
  '履约: a parcel whose land contract has been broken this many years running becomes 投而未达标 (below_target) under contract_mark_below_target(); NULL: never';
CREATE FUNCTION parcel_gov.contract_mark_below_target(year integer, region text DEFAULT NULL)
    RETURNS TABLE (parcel_code text, promises text[], years_in_breach bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF contract_mark_below_target.year IS NULL THEN
        RAISE EXCEPTION 'contract_mark_below_target needs a year' USING ERRCODE = '22004',
            HINT = 'e.g. contract_mark_below_target(2024, ''330604'').';
    END IF;
    RETURN QUERY
    WITH due AS (
        SELECT b.parcel_code, array_agg(b.promise ORDER BY b.promise) AS promises, max(b.years_in_breach) AS years
        FROM parcel_gov.v_contract_breach b
        JOIN parcel_gov.rule_set rs ON rs.id = parcel_gov.rule_set_for(b.region_code, b.year)
        WHERE b.year = contract_mark_below_target.year
          AND starts_with(b.region_code, parcel_gov.region_prefix(contract_mark_below_target.region))
          AND b.years_in_breach >= rs.breach_years_below_target
        GROUP BY b.parcel_code
    ), marked AS (
        UPDATE parcel_gov.parcel p SET land_status = 'below_target'
        FROM due d WHERE p.code = d.parcel_code AND p.land_status = 'normal'
        RETURNING p.code
    )
    SELECT d.parcel_code::text, d.promises, d.years FROM due d JOIN marked m ON m.code = d.parcel_code
    ORDER BY d.parcel_code;
END $$;
COMMENT ON FUNCTION parcel_gov.contract_mark_below_target(integer, text) IS
  '履约 → 低效: parcels (land_status normal) whose contract has been broken for the rule''s breach_years_below_target years running become below_target (投而未达标); returns them and the promises broken';
REVOKE EXECUTE ON FUNCTION parcel_gov.contract_mark_below_target(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.contract_mark_below_target(integer, text) TO parcel_gov_operator;
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
            WHERE c.parcel_code = l.parcel_code AND c.id <= l.id AND c.from_state IS DISTINCT FROM c.to_state),
           l.at, l.id
    FROM (SELECT DISTINCT ON (e.parcel_code) e.*
          FROM parcel_gov.register_event e WHERE e.at <= as_of
          ORDER BY e.parcel_code, e.id DESC) AS l
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
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name, w.pool, w.grade, w.grade_prev,
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
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, or whose grade dropped; one row per firm and year with the reasons';

-- 目标 Region targets: an indicator's base value in a base year and the
-- value to reach by a target year (Shangyu: 规上 tax per mu 22.25 → 31 万元,
-- value added per mu 96.59 → 135 万元 from 2020), or mu of low-efficiency
-- land to bring out of the register (出库) by then (revived_mu; base 0).
CREATE TABLE parcel_gov.region_target (
    region_code  text NOT NULL REFERENCES parcel_gov.region,
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
COMMENT ON VIEW parcel_gov.v_target_progress IS
  '目标进度 target progress: per region target and evaluated year, the actual value (规上 ratios of sums; revived_mu: mu that left the register 出库 since the base year) and the share of the way from base to target';

-- The new views' column comments: a column named as one in another view
-- takes its words (install/97_view_comments.sql); the new names get theirs
-- here; a column left without fails the install.
COMMENT ON COLUMN parcel_gov.v_early_warning.grade_prev IS '上年等级: grade the year before';
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
-- Rule what-if (规则模拟): evaluate a year under a proposed rule set without
-- touching the evaluation or the register.  simulate() runs the real engine
-- inside a subtransaction that it then rolls back, after reading what the
-- run would have written: the same arithmetic as evaluate(), and nothing of
-- it stays but the comparison, kept in simulation and simulation_firm.

CREATE TABLE parcel_gov.simulation (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year           integer NOT NULL,
    rule_set_id    text NOT NULL,
    region_prefix  text NOT NULL,
    run_by         name NOT NULL DEFAULT current_user,
    run_at         timestamptz NOT NULL DEFAULT pg_catalog.now(),
    firms          integer NOT NULL,
    parcels_entering integer NOT NULL,
    parcels_clearing integer NOT NULL
);
COMMENT ON TABLE parcel_gov.simulation IS
  '规则模拟 rule what-ifs: a year evaluated under a proposed rule set for a region, with how many parcels would enter the register (进入低效库) and how many assessed parcels would clear its thresholds (可出库)';
CREATE TABLE parcel_gov.simulation_firm (
    simulation_id   bigint NOT NULL REFERENCES parcel_gov.simulation ON DELETE CASCADE,
    uscc            text NOT NULL,
    region_code     text NOT NULL,
    current_score   double precision,
    current_grade   parcel_gov.grade,
    simulated_score double precision,
    simulated_grade parcel_gov.grade,
    PRIMARY KEY (simulation_id, uscc)
);
COMMENT ON TABLE parcel_gov.simulation_firm IS
  '规则模拟结果: per firm, the score and grade of the stored evaluation and under the proposed rule set';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.simulation', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.simulation', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.simulation_firm', '');
ALTER TABLE parcel_gov.simulation ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.simulation
    USING (region_prefix OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_prefix OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
ALTER TABLE parcel_gov.simulation_firm ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.simulation_firm
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.simulation, parcel_gov.simulation_firm TO parcel_gov_reader;
GRANT INSERT, DELETE ON parcel_gov.simulation, parcel_gov.simulation_firm TO parcel_gov_analyst;

CREATE FUNCTION parcel_gov.simulate(year integer, rule_set text, region text DEFAULT NULL)
    RETURNS TABLE (simulation_id bigint, uscc text, name text, current_score double precision,
                   current_grade parcel_gov.grade, simulated_score double precision, simulated_grade parcel_gov.grade)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := simulate.year;
    prefix constant text := parcel_gov.region_prefix(simulate.region);
    proposal constant text := simulate.rule_set;
    simulated jsonb;
    entering integer;
    clearing integer;
    sim_id bigint;
BEGIN
    IF y IS NULL OR proposal IS NULL THEN
        RAISE EXCEPTION 'simulate needs a year and a rule set' USING ERRCODE = '22004',
            HINT = 'e.g. simulate(2024, ''wenling'', ''330604'').';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set r WHERE r.id = proposal) THEN
        RAISE EXCEPTION 'no rule set %', proposal USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_pool p WHERE p.rule_set_id = proposal) THEN
        RAISE EXCEPTION 'rule set % has no pools', proposal USING ERRCODE = '22023',
            HINT = 'A rule set needs its pools and indicators (rule_pool, rule_indicator) to grade.';
    END IF;
    BEGIN
        -- the proposal applies to every county of the region this year: a
        -- county-level copy starting this year is the most specific rule
        DELETE FROM parcel_gov.rule_set r
        WHERE length(r.region_prefix) = 6 AND starts_with(r.region_prefix, prefix) AND r.year_from = y;
        PERFORM parcel_gov.rule_set_adopt(proposal, 'simulation_' || g.code, g.code, y, y)
        FROM parcel_gov.region g WHERE g.level = 'county' AND starts_with(g.code, prefix);
        PERFORM parcel_gov.evaluate(y, simulate.region);
        SELECT coalesce(jsonb_agg(jsonb_build_object('uscc', e.uscc, 'region', e.region_code,
                                                     'score', e.score, 'grade', e.grade)), '[]')
        INTO simulated FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix);
        SELECT count(*) FILTER (WHERE r.entered_at IS NULL AND r.state = 'candidate'
                                  AND r.state_since >= pg_catalog.now()),
               count(*) FILTER (WHERE r.state = 'assessing' AND r.clears_thresholds)
        INTO entering, clearing
        FROM parcel_gov.register r WHERE starts_with(r.parcel_code, prefix);
        RAISE EXCEPTION 'simulation rolled back' USING ERRCODE = 'PGSIM';
    EXCEPTION WHEN SQLSTATE 'PGSIM' THEN
        NULL;   -- the evaluation, the register and the rules are as they were
    END;
    INSERT INTO parcel_gov.simulation (year, rule_set_id, region_prefix, firms, parcels_entering, parcels_clearing)
    VALUES (y, proposal, prefix, jsonb_array_length(simulated), entering, clearing)
    RETURNING id INTO sim_id;
    INSERT INTO parcel_gov.simulation_firm
    SELECT sim_id, coalesce(s.uscc, e.uscc), coalesce(s.region, e.region_code), e.score, e.grade, s.score, s.grade
    FROM (SELECT * FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix)) AS e
    FULL JOIN jsonb_to_recordset(simulated) AS s(uscc text, region text, score double precision, grade parcel_gov.grade)
      ON s.uscc = e.uscc;
    RETURN QUERY
    SELECT f.simulation_id, f.uscc, n.name, f.current_score, f.current_grade, f.simulated_score, f.simulated_grade
    FROM parcel_gov.simulation_firm f LEFT JOIN parcel_gov.enterprise n ON n.uscc = f.uscc
    WHERE f.simulation_id = sim_id ORDER BY f.uscc;
END $$;
COMMENT ON FUNCTION parcel_gov.simulate(integer, text, text) IS
  '规则模拟 what-if: evaluates a year for a region under a proposed rule set without changing the evaluation, the register or the rules; returns each firm''s current and simulated score and grade, and keeps them in simulation_firm';
REVOKE EXECUTE ON FUNCTION parcel_gov.simulate(integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.simulate(integer, text, text) TO parcel_gov_analyst;

-- Grade moves of each simulation (A→B, C→D, …) and its register effects.
CREATE VIEW parcel_gov.v_simulation_moves WITH (security_invoker = true) AS
SELECT s.id AS simulation_id, s.year, s.rule_set_id, s.region_prefix,
       coalesce(f.current_grade::text, '—') || '→' || coalesce(f.simulated_grade::text, '—') AS move,
       f.current_grade, f.simulated_grade, count(*) AS firms, s.parcels_entering, s.parcels_clearing
FROM parcel_gov.simulation s JOIN parcel_gov.simulation_firm f ON f.simulation_id = s.id
GROUP BY s.id, f.current_grade, f.simulated_grade;
COMMENT ON VIEW parcel_gov.v_simulation_moves IS
  '规则模拟汇总: per simulation, how many firms move from each grade to each other (A→B, C→D, …), and how many parcels would enter the register or clear its thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulation_id IS '模拟编号: simulation id';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.move IS '等级变化: current → simulated grade (— none)';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade IS '现行等级: grade in the stored evaluation';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade IS '模拟等级: grade under the proposed rules';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_entering IS '新进低效库宗数: parcels the run would enter in the register';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_clearing IS '可出库宗数: assessed parcels that would clear the thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.region_prefix IS '区域: region code prefix simulated';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.rule_set_id IS '模拟规则: the proposed rule set';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.firms IS '企业数: firms making the move';
