-- Rules as data (docs/rules.md): a rule set per region prefix
-- and years, its pools (quotas, land floor, industry groups, rental
-- deductions) and its indicators (weight, benchmark, cap, method, missing).
-- The most specific region prefix wins.  Built-in rule sets (the default and
-- the presets) are read-only; adopt a preset with rule_set_adopt().

CREATE TABLE parcel_gov.rule_set (
    id            text PRIMARY KEY CONSTRAINT rule_set_id_word CHECK (id ~ '^[a-z][a-z0-9_]*$'),
    name          text NOT NULL,
    region_prefix text CONSTRAINT rule_set_region_prefix CHECK (region_prefix ~ '^([0-9]{2}){0,3}$'),
    year_from     integer,
    year_to       integer,
    builtin       boolean NOT NULL DEFAULT false,
    source        text,
    new_land_exempt_years     integer CHECK (new_land_exempt_years > 0),
    persistent_low_min_mu     double precision NOT NULL DEFAULT 20 CHECK (persistent_low_min_mu >= 0),
    persistent_low_tax_per_mu double precision NOT NULL DEFAULT 3,
    still_below_min_mu        double precision NOT NULL DEFAULT 20 CHECK (still_below_min_mu >= 0),
    doubling_min_revenue      double precision NOT NULL DEFAULT 10000,
    doubling_min_tax          double precision NOT NULL DEFAULT 300,
    non_industrial_since      date NOT NULL DEFAULT '1999-01-01',
    breach_years_below_target integer CONSTRAINT rule_set_breach_years_positive CHECK (breach_years_below_target > 0),
    max_tax_per_mu           double precision NOT NULL DEFAULT 1000 CONSTRAINT rule_set_max_tax_per_mu_positive CHECK (max_tax_per_mu > 0),
    max_va_per_mu            double precision NOT NULL DEFAULT 10000 CONSTRAINT rule_set_max_va_per_mu_positive CHECK (max_va_per_mu > 0),
    max_tax_per_kwh          double precision NOT NULL DEFAULT 1000 CONSTRAINT rule_set_max_tax_per_kwh_positive CHECK (max_tax_per_kwh > 0),
    scattered_polluting_batch   parcel_gov.batch,
    collective_industrial_batch parcel_gov.batch DEFAULT 'function_transform',
    township_last_places     integer NOT NULL DEFAULT 2
                             CONSTRAINT rule_set_township_last_places_positive CHECK (township_last_places > 0),
    township_summon_months   integer NOT NULL DEFAULT 3
                             CONSTRAINT rule_set_township_summon_months_positive CHECK (township_summon_months > 0),
    pool_by                  text NOT NULL DEFAULT 'size_class'
                             CONSTRAINT rule_set_pool_by_known CHECK (pool_by IN ('size_class', 'land_mu')),
    pool_land_mu             double precision
                             CONSTRAINT rule_set_pool_land_mu_positive CHECK (pool_land_mu > 0 AND pool_land_mu < 'Infinity'),
    firm_scope               text NOT NULL DEFAULT 'all'
                             CONSTRAINT rule_set_firm_scope_all_or_in_park CHECK (firm_scope IN ('all', 'in_park')),
    -- the tax tiers (1.11.0): three bounds, and where a figure on a bound goes
    tax_tier_bounds          double precision[] NOT NULL DEFAULT '{5,10,15}'
                             CONSTRAINT rule_set_tax_tier_bounds CHECK (
                               array_ndims(tax_tier_bounds) = 1 AND cardinality(tax_tier_bounds) = 3
                               AND array_position(tax_tier_bounds, NULL) IS NULL
                               AND 0 < tax_tier_bounds[1] AND tax_tier_bounds[1] < tax_tier_bounds[2]
                               AND tax_tier_bounds[2] < tax_tier_bounds[3] AND tax_tier_bounds[3] < 'Infinity'),
    tax_tier_includes_bound  boolean NOT NULL DEFAULT false,
    tax_tier_source          text,
    -- 金东 亩产倍增 (1.11.0): the land use rate it needs besides grade and size
    doubling_min_land_use_rate double precision NOT NULL DEFAULT 0.8
                             CONSTRAINT rule_set_doubling_min_land_use_rate_share
                               CHECK (doubling_min_land_use_rate BETWEEN 0 AND 1),
    -- what 桐庐's and 金东's multi-year rules test (1.11.0)
    persistent_low_land      text NOT NULL DEFAULT 'parcel'
                             CONSTRAINT rule_set_persistent_low_land CHECK (persistent_low_land IN ('parcel', 'net')),
    still_below_land         text NOT NULL DEFAULT 'own'
                             CONSTRAINT rule_set_still_below_land CHECK (still_below_land IN ('own', 'net')),
    CONSTRAINT rule_set_years_ordered CHECK (year_to IS NULL OR year_from IS NULL OR year_from <= year_to),
    CONSTRAINT rule_set_pool_land_mu_given CHECK ((pool_by = 'land_mu') = (pool_land_mu IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.rule_set IS
  '评价规则 (a county''s rules for some years): region_prefix ''33'' province, ''3306'' city, ''330604'' county, '''' everywhere (the default), NULL a preset not applied anywhere; the most specific prefix wins';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_min_mu IS
  '桐庐: land of at least this many mu (a parcel or a firm''s net land, persistent_low_land) whose 亩均税收 stayed under persistent_low_tax_per_mu three years running';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_min_mu IS
  '金东: firms on at least this many mu (own or net land, still_below_land) still 规下 after three years';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_land IS
  '桐庐 20 亩以上、连续三年亩均税收低于 3 万元的地块: what the rule tests: parcel (the plan''s 地块: a parcel''s area and its 亩均税收, the firms using it by area, 桐庐 [S3]) or net (the holder''s net land and 亩均税收)';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_land IS
  '金东 自有用地 20 亩以上三年未上规: what the rule tests: own (the plan''s 自有用地: the land the firm holds, leased out or not, 金东 [S4]) or net (held − leased out + leased in)';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_revenue IS
  '金东 capacity doubling (亩产倍增): grade B or better with revenue ≥ this (万元) or tax ≥ doubling_min_tax, and 土地利用率 ≥ doubling_min_land_use_rate';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_land_use_rate IS
  '金东 capacity doubling (亩产倍增): 土地利用率 (enterprise_year.land_use_rate, a share) at least this (0.8 = 80 % 以上) besides the grade and revenue or tax';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_bounds IS
  '亩均税收分档 (万元/亩): three ascending bounds; tier 1 重点排查 below the first, 2 重点检查 below the second, 3 重点指导 below the third, 0 达标 above all (绍兴 2021: 5/10/15)';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_includes_bound IS
  '以下 includes the bound: true puts a 亩均税收 exactly on a bound in the lower tier (5 万元以下 includes 5, as 民法典 art. 1259 reads 以下); false (under) in the higher one';
COMMENT ON COLUMN parcel_gov.rule_set.tax_tier_source IS
  'Where the tax tiers and their reading come from (document, article)';
COMMENT ON COLUMN parcel_gov.rule_set.non_industrial_since IS
  '占工非工: industrial land supplied on or after this date and used for non-industrial business is low-efficiency';
COMMENT ON COLUMN parcel_gov.rule_set.breach_years_below_target IS
  '履约: a parcel whose land contract has been broken this many years running becomes 投而未达标 (below_target) under contract_mark_below_target(); NULL: never';
COMMENT ON COLUMN parcel_gov.rule_set.max_tax_per_mu IS
  '亩均税收 above this (万元/亩) on the land a firm holds is refused when its figures are written: a tax given in 元 is 10⁴ times too large';
COMMENT ON COLUMN parcel_gov.rule_set.max_va_per_mu IS
  '亩均增加值 above this (万元/亩) on the land a firm holds is refused when its figures are written';
COMMENT ON COLUMN parcel_gov.rule_set.max_tax_per_kwh IS
  '单位电耗税收 above this (元/千瓦时) is refused when a firm''s figures are written: tax in 元 read as 万元, or electricity in 万千瓦时 read as 千瓦时, gives 10⁴ times too much';
COMMENT ON COLUMN parcel_gov.rule_set.scattered_polluting_batch IS
  '低散乱污 (绍兴 2021 全域治理): the batch a scattered_polluting parcel goes to at least (关停退出 first, 整治提升 last); NULL: as the four batches decide (关停退出 when it fails acceptance)';
COMMENT ON COLUMN parcel_gov.rule_set.collective_industrial_batch IS
  '集体工业用地 without legal procedures (绍兴 2021 全域治理): the batch a collective_industrial parcel goes to at least; default function_transform (功能转型: 复垦/退二); NULL: as the four batches decide';
COMMENT ON COLUMN parcel_gov.rule_set.township_last_places IS
  '桐庐 乡镇街道月度排名: the last this many places among a county''s ranked townships are flagged (v_township_progress.in_last_places), when more townships than this are ranked';
COMMENT ON COLUMN parcel_gov.rule_set.pool_by IS
  '评价分组依据: size_class, a firm''s pool is its 规模 (above 规上, below 规下); land_mu, its net land (临海 2014–16): pool above holds firms on at least pool_land_mu 亩, pool below the others';
COMMENT ON COLUMN parcel_gov.rule_set.pool_land_mu IS
  '分组用地面积 (亩): under pool_by land_mu, the net land from which a firm is in pool above (临海: 3 亩); NULL otherwise';
COMMENT ON COLUMN parcel_gov.rule_set.township_summon_months IS
  '桐庐 约谈: a township in the last places this many months running is to be summoned (v_township_progress.to_summon)';
COMMENT ON COLUMN parcel_gov.rule_set.firm_scope IS
  '适用企业: ''all'' the region''s firms; ''in_park'' only its firms whose land lies in a park (入园: a parcel they hold, or lease that year, has a park_id), the others being graded by the region''s rule set for all firms (温岭 2022: 工业园区和经济开发区范围内工业企业); park firms rank in pools of their own';
CREATE UNIQUE INDEX rule_set_applies_once
    ON parcel_gov.rule_set (region_prefix, coalesce(year_from, -1), firm_scope) WHERE region_prefix IS NOT NULL;

CREATE TABLE parcel_gov.rule_pool (
    rule_set_id       text NOT NULL REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    pool              parcel_gov.size_class NOT NULL,
    a_share           double precision NOT NULL DEFAULT 0.20,
    b_share           double precision NOT NULL DEFAULT 0.80,
    c_share           double precision NOT NULL DEFAULT 0.95,
    land_floor_mu     double precision NOT NULL DEFAULT 0 CHECK (land_floor_mu >= 0 AND land_floor_mu < 'Infinity'),
    group_by_industry boolean NOT NULL DEFAULT false,
    rental_first_deduction   double precision NOT NULL DEFAULT 0 CHECK (rental_first_deduction >= 0),
    rental_further_deduction double precision NOT NULL DEFAULT 0 CHECK (rental_further_deduction >= 0),
    low_tax_per_mu    double precision,
    rental_lessees    text NOT NULL DEFAULT 'all'
                      CONSTRAINT rule_pool_rental_lessees_all_or_below CHECK (rental_lessees IN ('all', 'below')),
    land_floor_sections text[]
                      CONSTRAINT rule_pool_land_floor_sections_gbt4754
                      CHECK (cardinality(land_floor_sections) > 0
                             AND land_floor_sections <@ '{A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T}'::text[]),
    PRIMARY KEY (rule_set_id, pool),
    CONSTRAINT rule_pool_quota_shares_ascend_within_0_1
        CHECK (0 <= a_share AND a_share <= b_share AND b_share <= c_share AND c_share <= 1)
);
COMMENT ON TABLE parcel_gov.rule_pool IS
  '评价分组 (a pool of a rule set: 规上 or 规下): cumulative grade quotas (A top a_share, B to b_share, C to c_share, D the rest), land floor (firms under it are not graded), ranking within industry groups, rental deductions (温岭), low per-mu tax threshold for the register';
COMMENT ON COLUMN parcel_gov.rule_pool.rental_lessees IS
  '出租扣分 counts which lessees of a firm''s land that year: ''all'' every distinct lessee, ''below'' only lessees whose figures of the year are 规下 (温岭 2022: a 规下 lessor loses points per 规下 lessee); a lessee without figures that year is not counted under ''below''';
COMMENT ON COLUMN parcel_gov.rule_pool.land_floor_sections IS
  '参评用地下限的行业门类: the GB/T 4754 section letters (门类, C = 制造业) whose firms land_floor_mu applies to, firms of other sections being graded on any land; NULL: every firm (a firm without an industry code is held to the floor either way); 上虞: 规下 制造业 firms on 实际用地 3 亩以上';

CREATE TABLE parcel_gov.rule_indicator (
    rule_set_id          text NOT NULL,
    pool                 parcel_gov.size_class NOT NULL,
    indicator            parcel_gov.indicator NOT NULL,
    weight               double precision NOT NULL CHECK (weight > 0 AND weight <= 100),
    method               parcel_gov.score_method NOT NULL DEFAULT 'ratio',
    benchmark_fixed      double precision CHECK (benchmark_fixed > 0 AND benchmark_fixed < 'Infinity'),
    benchmark_multiplier double precision NOT NULL DEFAULT 1
                         CHECK (benchmark_multiplier > 0 AND benchmark_multiplier < 'Infinity'),
    cap                  double precision CHECK (cap > 0 AND cap < 'Infinity'),
    missing              parcel_gov.missing_score NOT NULL DEFAULT 'zero',
    PRIMARY KEY (rule_set_id, pool, indicator),
    FOREIGN KEY (rule_set_id, pool) REFERENCES parcel_gov.rule_pool ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE parcel_gov.rule_indicator IS
  '评价指标及权重: weight (points; a pool''s weights sum to 100), benchmark fixed (基准值) or, when NULL, the pool''s ratio of sums × benchmark_multiplier, optional cap (× weight), method ratio/minmax, what a firm without the figure scores';

CREATE TABLE parcel_gov.rule_industry_group (
    rule_set_id       text NOT NULL REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    industry_group    text NOT NULL,
    industry_prefixes text[] NOT NULL,
    PRIMARY KEY (rule_set_id, industry_group)
);
COMMENT ON TABLE parcel_gov.rule_industry_group IS
  '行业分组 (温岭): firms whose GB/T 4754 code starts with one of the prefixes rank within that group; others in ''其他''';

-- A pool's weights must sum to 100: checked at commit of a change to its
-- indicators, so a rule set can be written row by row in one transaction.
CREATE FUNCTION parcel_gov.rule_weights_sum_to_100() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    SELECT p.rule_set_id, p.pool, coalesce(sum(i.weight), 0) AS total INTO bad
    FROM parcel_gov.rule_pool p
    LEFT JOIN parcel_gov.rule_indicator i USING (rule_set_id, pool)
    WHERE p.rule_set_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.rule_set_id ELSE NEW.rule_set_id END)
    GROUP BY p.rule_set_id, p.pool
    HAVING abs(coalesce(sum(i.weight), 0) - 100) > 1e-9
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rule set %, pool %: weights sum to %, not 100', bad.rule_set_id, bad.pool, bad.total
            USING ERRCODE = '23514',
                  HINT = 'Give the pool''s indicators weights that add up to 100 points within the transaction.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_weights_sum_to_100() IS
  'Constraint trigger: at commit, every pool of a changed rule set has indicator weights summing to 100 (23514 otherwise)';
-- The rule set that applies to a region in a year: the most specific prefix,
-- then the latest start.  Rule sets for park firms only are left out.
CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL AND r.firm_scope = 'all'
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer) IS
  'The rule set applying to a region code in a year for firms outside parks (firm_scope all): the most specific region prefix, then the latest year_from';

-- The rule set of a firm of a region in a year, in a park or not: the most
-- specific prefix; at the same prefix a rule set for park firms before one
-- for all firms (it names them more closely); then the latest start.
CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer, in_park boolean)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL
      AND (r.firm_scope = 'all' OR (r.firm_scope = 'in_park' AND rule_set_for.in_park))
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.firm_scope = 'in_park' DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer, boolean) IS
  'The rule set applying to a firm of a region code in a year, in a park (入园, firm_in_park) or not: the most specific region prefix, at the same prefix one for park firms (firm_scope in_park) before one for all, then the latest year_from';

-- 入园: a firm's land lies in a park (开发区/园区) in a year: a parcel it
-- holds, or one it leases that year, has a park_id.  入园率 is the share of
-- firms for which this holds (v_region_summary, v_target_progress); a rule
-- set for park firms holds for these (rule_set_for(region, year, in_park)).
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

-- What an evaluation's pool is called: 规上/规下, or the land it stands for
-- when its rule set pools by land (临海: ≥ 3 亩, < 3 亩).
CREATE FUNCTION parcel_gov.pool_label(pool parcel_gov.size_class, rule_set_id text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce((SELECT CASE pool_label.pool WHEN 'above' THEN '≥ ' ELSE '< ' END || r.pool_land_mu || ' 亩'
                 FROM parcel_gov.rule_set r
                 WHERE r.id = pool_label.rule_set_id AND r.pool_by = 'land_mu'),
                parcel_gov.label(pool_label.pool));
COMMENT ON FUNCTION parcel_gov.pool_label(parcel_gov.size_class, text) IS
  '分组名称 of an evaluation''s pool under its rule set: 规上 or 规下, or ≥ / < pool_land_mu 亩 when the rule set pools by land';

-- A firm's yearly figures are refused when its per-mu tax or value added on
-- the land it uses that year, or its tax per kWh, goes beyond its rule
-- set's limits: a figure in the wrong unit (元 for 万元, kWh for 万kWh) would
-- otherwise pass, put every firm in the top tax tier and keep low-efficiency
-- land out of the register.  The land is the evaluation's: held, less what
-- it leases out, plus what it leases in, for leases in force that year, in
-- any county (the triggers run as the extension's owner to count it); a
-- firm without land is checked on tax per kWh only.  Checked when figures
-- are written, and for every year of a firm whose land changes (a parcel
-- or a lease written, moved or deleted): figures loaded before the land
-- cannot slip through.  Figures confirmed as they are (figures_confirmed)
-- are not checked; the confirmation lapses when a figure changes
-- (figures_confirmation_lapses).  Once per statement, over all its rows.
-- The land firms use in a year as the evaluation counts it: held, less what
-- they lease out, plus what they lease in, for leases in force that year;
-- as the caller sees it (the limits' trigger sees every county).  For a set
-- of firm-years at once: one call per statement, each looked up by key.
CREATE FUNCTION parcel_gov.net_land_mu(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, net_mu double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT k.uscc, k.year,
           coalesce((SELECT sum(p.area_mu) FROM parcel_gov.parcel p WHERE p.holder_uscc = k.uscc), 0)
         - coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
                     WHERE p.holder_uscc = k.uscc AND l.during && y.during), 0)
         + coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l
                     WHERE l.lessee_uscc = k.uscc AND l.during && y.during), 0)
    FROM unnest(net_land_mu.firms, net_land_mu.years) AS k(uscc, year)
    CROSS JOIN LATERAL (SELECT daterange(make_date(k.year, 1, 1), make_date(k.year + 1, 1, 1)) AS during) AS y;
END;
COMMENT ON FUNCTION parcel_gov.net_land_mu(text[], integer[]) IS
  '净用地 (亩): firms'' land in years as the evaluation counts it: held − leased out + leased in, leases in force that year; one row per firm-year given';

CREATE FUNCTION parcel_gov.figures_beyond_limits(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, figure text, amount double precision, base double precision,
                   line double precision, unit text, basis text, rule_set text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- each firm-year looked up by its keys (LATERAL): the plan never depends
    -- on statistics the rows just written have not reached
    SELECT f.uscc, f.year, x.figure, x.amount, x.base, x.line, x.unit, x.basis, r.id
    FROM parcel_gov.net_land_mu(figures_beyond_limits.firms, figures_beyond_limits.years) AS h
    CROSS JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y WHERE y.uscc = h.uscc AND y.year = h.year) AS f
    CROSS JOIN LATERAL (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = h.uscc) AS e
    CROSS JOIN LATERAL (SELECT r.* FROM parcel_gov.rule_set r
                        WHERE r.id = parcel_gov.rule_set_for(e.region_code, f.year,
                                                             parcel_gov.firm_in_park(f.uscc, f.year))) AS r
    CROSS JOIN LATERAL (VALUES ('亩均税收 (tax per mu)', f.tax, h.net_mu, r.max_tax_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.tax, round(h.net_mu::numeric, 2))),
                               ('亩均增加值 (value added per mu)', f.value_added, h.net_mu, r.max_va_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.value_added, round(h.net_mu::numeric, 2))),
                               -- 万元 per kWh as 元 per kWh
                               ('单位电耗税收 (tax per kWh)', f.tax * 1e4, f.electricity_kwh, r.max_tax_per_kwh, '元/千瓦时',
                                format('%s 万元 on %s kWh', f.tax, f.electricity_kwh)))
                        AS x(figure, amount, base, line, unit, basis)
    WHERE NOT f.figures_confirmed AND x.base > 0 AND x.amount / x.base > x.line;
END;
COMMENT ON FUNCTION parcel_gov.figures_beyond_limits(text[], integer[]) IS
  'internal: of the given firm-years, the figures beyond their rule set''s max_tax_per_mu / max_va_per_mu (on the year''s net land) / max_tax_per_kwh (not figures_confirmed), with the value, the basis and the limit';

CREATE FUNCTION parcel_gov.figures_plausible() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firms text[];
    years integer[];
    changed text[] := '{}';
    bad record;
BEGIN
    -- as the owner, over the rows it is given: the tables it guards only,
    -- never those of a table someone attached it to
    IF TG_RELID NOT IN ('parcel_gov.enterprise_year'::regclass, 'parcel_gov.parcel'::regclass,
                        'parcel_gov.lease'::regclass)
       OR TG_LEVEL <> 'STATEMENT' OR TG_WHEN <> 'AFTER' THEN
        RAISE EXCEPTION 'figures_plausible checks parcel_gov.enterprise_year, parcel and lease only, not %',
                        TG_RELID::regclass
            USING ERRCODE = '39P01';
    END IF;
    IF TG_RELID = 'parcel_gov.enterprise_year'::regclass THEN
        SELECT array_agg(n.uscc), array_agg(n.year) INTO firms, years FROM new_rows n;
    ELSE
        -- the firms whose land changed: holders and lessees, before and after
        IF TG_OP IN ('INSERT', 'UPDATE') AND TG_RELID = 'parcel_gov.parcel'::regclass THEN
            changed := changed || ARRAY(SELECT n.holder_uscc FROM new_rows n WHERE n.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND TG_RELID = 'parcel_gov.parcel'::regclass THEN
            changed := changed || ARRAY(SELECT o.holder_uscc FROM old_rows o WHERE o.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND TG_RELID = 'parcel_gov.lease'::regclass THEN
            changed := changed || ARRAY(SELECT n.lessee_uscc FROM new_rows n)
                               || ARRAY(SELECT p.holder_uscc FROM new_rows n JOIN parcel_gov.parcel p ON p.code = n.parcel_code
                                        WHERE p.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND TG_RELID = 'parcel_gov.lease'::regclass THEN
            changed := changed || ARRAY(SELECT o.lessee_uscc FROM old_rows o)
                               || ARRAY(SELECT p.holder_uscc FROM old_rows o JOIN parcel_gov.parcel p ON p.code = o.parcel_code
                                        WHERE p.holder_uscc IS NOT NULL);
        END IF;
        -- every year of their figures
        SELECT array_agg(y.uscc), array_agg(y.year) INTO firms, years
        FROM parcel_gov.enterprise_year y
        WHERE y.uscc IN (SELECT DISTINCT c FROM unnest(changed) AS c);
    END IF;
    SELECT * INTO bad FROM parcel_gov.figures_beyond_limits(firms, years) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'firm % in %: % is % % (%), beyond the limit of % % of rule set %',
                bad.uscc, bad.year, bad.figure, round((bad.amount / bad.base)::numeric, 2), bad.unit,
                bad.basis, bad.line, bad.unit, bad.rule_set
            USING ERRCODE = '23514',
                  HINT = 'Money is in 万元 (10⁴ 元) and electricity in kWh: a tax in 元 or electricity in 万千瓦时 is 10⁴ times off. Figures right as they are are confirmed with figures_confirmed = true; a county whose firms really exceed the limit raises it in its rule set.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.figures_plausible() IS
  'Trigger: a firm''s yearly tax or value added per mu of the land it uses, or tax per kWh, beyond its rule set''s max_tax_per_mu / max_va_per_mu / max_tax_per_kwh is refused (23514), the firm and the figure named, unless figures_confirmed; on parcel and lease, for every year of the firms whose land changed';
CREATE TRIGGER enterprise_year_figures_plausible_insert AFTER INSERT ON parcel_gov.enterprise_year
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER enterprise_year_figures_plausible_update AFTER UPDATE ON parcel_gov.enterprise_year
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_insert AFTER INSERT ON parcel_gov.parcel
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_update AFTER UPDATE ON parcel_gov.parcel
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_delete AFTER DELETE ON parcel_gov.parcel
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_insert AFTER INSERT ON parcel_gov.lease
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_update AFTER UPDATE ON parcel_gov.lease
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_delete AFTER DELETE ON parcel_gov.lease
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();

-- A confirmation holds for the figures it was given to (src/figures_confirmation.c).
CREATE FUNCTION parcel_gov.figures_confirmation_lapses() RETURNS trigger
    AS 'MODULE_PATHNAME', 'figures_confirmation_lapses'
    LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.figures_confirmation_lapses() IS
  'Trigger: figures_confirmed turns false when tax, value added or electricity changes in an UPDATE that does not set figures_confirmed itself';
CREATE TRIGGER enterprise_year_confirmation_lapses BEFORE UPDATE ON parcel_gov.enterprise_year
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.figures_confirmation_lapses();

-- Copies a rule set (typically a preset) under a new id for a region and years.
CREATE FUNCTION parcel_gov.rule_set_adopt(template text, new_id text, region_prefix text,
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
                                     max_tax_per_kwh, scattered_polluting_batch, collective_industrial_batch,
                                     township_last_places, township_summon_months, pool_by, pool_land_mu, firm_scope,
                                     tax_tier_bounds, tax_tier_includes_bound, tax_tier_source, doubling_min_land_use_rate,
                                     persistent_low_land, still_below_land)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch,
           r.township_last_places, r.township_summon_months, r.pool_by, r.pool_land_mu, r.firm_scope,
           r.tax_tier_bounds, r.tax_tier_includes_bound, r.tax_tier_source, r.doubling_min_land_use_rate,
           r.persistent_low_land, r.still_below_land
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu, group_by_industry,
                                      rental_first_deduction, rental_further_deduction, low_tax_per_mu,
                                      rental_lessees, land_floor_sections)
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu,
           p.rental_lessees, p.land_floor_sections
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
    SELECT new_id, i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
    FROM parcel_gov.rule_issue i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_new_land
    SELECT new_id, n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
           n.standard_land_since, n.source
    FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = template;
    INSERT INTO parcel_gov.rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source)
    SELECT new_id, m.measure, m.grade, m.measure_label, m.basis, m.rate, m.cap, m.source
    FROM parcel_gov.rule_measure m WHERE m.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years, with its pools, indicators, industry groups and grade-linked measures; returns new_id';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_set', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_pool',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_indicator',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_industry_group',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
