-- Contract compliance (履约监管, 标准地): what a parcel's land contract
-- promised against what its holder achieved, year by year (docs/rules.md:
-- investment intensity, floor-area ratio, per-mu tax, energy and emissions
-- per unit of value added, completion).  The parcel already carries the
-- promises (its contract_* columns).

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
GRANT SELECT ON parcel_gov.v_contract_breach TO parcel_gov_reader;
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

-- When the rule says so (rule_set.breach_years_below_target), a parcel whose
-- contract has been broken that many years running is 投而未达标: its
-- land_status becomes below_target, which evaluate() turns into the
-- low-efficiency kind below_target.  Returns the parcels marked.
CREATE FUNCTION parcel_gov.contract_mark_below_target(year integer, region text DEFAULT NULL)
    RETURNS TABLE (parcel_code text, promises text[], years_in_breach bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM parcel_gov.require_caller('contract_mark_below_target', 'parcel_gov_operator',
                                      parcel_gov.region_prefix(contract_mark_below_target.region));
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
