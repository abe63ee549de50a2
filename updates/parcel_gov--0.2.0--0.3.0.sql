-- parcel_gov 0.2.0 → 0.3.0: the per-mu evaluation (data model, rules as data,
-- evaluate(), views).  Built by the Makefile: this head, then the install/
-- files that 0.3.0 added.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '0.3.0'" to load this file. \quit
-- Types of the data model: codes, size classes, indicators, scoring methods.

CREATE FUNCTION parcel_gov.parcel_code_problem(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'parcel_code_problem'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.parcel_code_problem(text) IS
  'What is wrong with a 宗地代码 (GB/T 37346-2019, 19 characters), or NULL when it is well-formed';

CREATE FUNCTION parcel_gov.parcel_code_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'parcel_code_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.parcel_code_check(text) IS
  'Check of the domain parcel_gov.parcel_code: true, or error 23514 saying what is wrong';

CREATE DOMAIN parcel_gov.parcel_code AS text
    CONSTRAINT parcel_code_check CHECK (parcel_gov.parcel_code_check(VALUE));
COMMENT ON DOMAIN parcel_gov.parcel_code IS
  '宗地代码 (parcel code, GB/T 37346-2019): the one code of a parcel (一码管地)';

CREATE TYPE parcel_gov.size_class AS ENUM ('above', 'below');
COMMENT ON TYPE parcel_gov.size_class IS
  '规模 (size class): above 规上 (above designated size), below 规下';

CREATE FUNCTION parcel_gov.label(value parcel_gov.size_class)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value WHEN 'above' THEN '规上' WHEN 'below' THEN '规下' END;
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.size_class) IS 'Chinese name of a size class (规上/规下)';

CREATE TYPE parcel_gov.indicator AS ENUM
    ('tax_per_mu', 'va_per_mu', 'revenue_per_mu', 'labour_productivity',
     'va_per_energy', 'va_per_emission', 'rd_intensity', 'tax_per_kwh');
COMMENT ON TYPE parcel_gov.indicator IS
  '评价指标 (indicator), a field of parcel_gov.indicators: tax_per_mu 亩均税收, va_per_mu 亩均增加值, revenue_per_mu 亩均营业收入, labour_productivity 全员劳动生产率, va_per_energy 单位能耗增加值, va_per_emission 单位排放增加值, rd_intensity R&D经费支出占比, tax_per_kwh 单位电耗税收';

CREATE FUNCTION parcel_gov.label(value parcel_gov.indicator)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE value
    WHEN 'tax_per_mu' THEN '亩均税收'
    WHEN 'va_per_mu' THEN '亩均增加值'
    WHEN 'revenue_per_mu' THEN '亩均营业收入'
    WHEN 'labour_productivity' THEN '全员劳动生产率'
    WHEN 'va_per_energy' THEN '单位能耗增加值'
    WHEN 'va_per_emission' THEN '单位排放增加值'
    WHEN 'rd_intensity' THEN 'R&D经费支出占比'
    WHEN 'tax_per_kwh' THEN '单位电耗税收'
END;
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.indicator) IS 'Chinese name of an indicator (指标名称)';

-- The value of one indicator in an indicators row.
CREATE FUNCTION parcel_gov.indicator_value(i parcel_gov.indicators, which parcel_gov.indicator)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE which
    WHEN 'tax_per_mu' THEN i.tax_per_mu
    WHEN 'va_per_mu' THEN i.va_per_mu
    WHEN 'revenue_per_mu' THEN i.revenue_per_mu
    WHEN 'labour_productivity' THEN i.labour_productivity
    WHEN 'va_per_energy' THEN i.va_per_energy
    WHEN 'va_per_emission' THEN i.va_per_emission
    WHEN 'rd_intensity' THEN i.rd_intensity
    WHEN 'tax_per_kwh' THEN i.tax_per_kwh
END;
COMMENT ON FUNCTION parcel_gov.indicator_value(parcel_gov.indicators, parcel_gov.indicator) IS
  'One indicator of an indicators row, by name';

CREATE FUNCTION parcel_gov.indicators(tax double precision, value_added double precision,
        revenue double precision, rd_expense double precision, staff double precision,
        energy_tce double precision, emission_t double precision, electricity_kwh double precision,
        area_mu double precision)
    RETURNS parcel_gov.indicators
    AS 'MODULE_PATHNAME', 'indicators_of_row'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.indicators(double precision, double precision, double precision,
        double precision, double precision, double precision, double precision, double precision,
        double precision) IS
  'The indicators of one row (one firm-year): indicators_agg over that row alone, same rules, no grouping';

CREATE TYPE parcel_gov.score_method AS ENUM ('ratio', 'minmax');
COMMENT ON TYPE parcel_gov.score_method IS
  '计分方法: ratio (value ÷ benchmark × weight, 黄岩/临海), minmax (功效系数法 between the pool''s lowest and highest)';

CREATE TYPE parcel_gov.missing_score AS ENUM ('zero', 'pool_mean');
COMMENT ON TYPE parcel_gov.missing_score IS
  '缺项计分: what a firm without the indicator scores: zero, or pool_mean (the pool''s mean score of that indicator over firms that have it, 黄岩 for emissions)';
-- The data model (docs/data-model.md): regions, parks, parcels, firms, leases and
-- yearly firm data.  User data: registered with pg_extension_config_dump so
-- pg_dump keeps it.  Parcels are stored in CGCS2000 (EPSG:4490).

CREATE TABLE parcel_gov.region (
    code          text PRIMARY KEY
                  CONSTRAINT region_code_6_digits CHECK (code ~ '^[0-9]{6}$'),
    name          text NOT NULL,
    parent_code   text REFERENCES parcel_gov.region,
    level         text NOT NULL GENERATED ALWAYS AS
                  (CASE WHEN code LIKE '%0000' THEN 'province'
                        WHEN code LIKE '%00' THEN 'city' ELSE 'county' END) STORED,
    valid_from    date,
    valid_to      date,
    superseded_by text REFERENCES parcel_gov.region,
    CONSTRAINT region_validity_ordered CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from < valid_to)
);
COMMENT ON TABLE parcel_gov.region IS
  '行政区划 (administrative divisions, GB/T 2260 codes): 330000 province, 330600 city, 330604 county; superseded codes stay with their validity (上虞 330682 → 330604)';

CREATE TABLE parcel_gov.park (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    region_code text NOT NULL REFERENCES parcel_gov.region,
    geom        geometry(MultiPolygon, 4490),
    UNIQUE (region_code, name)
);
COMMENT ON TABLE parcel_gov.park IS '开发区/园区 (development zones and industrial parks)';

CREATE TABLE parcel_gov.enterprise (
    uscc          parcel_gov.uscc PRIMARY KEY,
    name          text NOT NULL,
    region_code   text NOT NULL REFERENCES parcel_gov.region,
    industry_code text CONSTRAINT enterprise_industry_gbt4754
                  CHECK (industry_code ~ '^[A-T]([0-9]{2}([0-9]{1,2})?)?$')
);
COMMENT ON TABLE parcel_gov.enterprise IS
  '企业 (firms): 统一社会信用代码, the county that evaluates them (never derived from the USCC), 国民经济行业代码 (GB/T 4754, e.g. C3311)';

CREATE TABLE parcel_gov.parcel (
    code                   parcel_gov.parcel_code PRIMARY KEY,
    fid                    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    region_code            text NOT NULL REFERENCES parcel_gov.region,
    park_id                bigint REFERENCES parcel_gov.park,
    geom                   geometry(MultiPolygon, 4490) NOT NULL,
    area_mu                double precision NOT NULL GENERATED ALWAYS AS (parcel_gov.area_mu(geom)) STORED,
    holder_uscc            parcel_gov.uscc REFERENCES parcel_gov.enterprise,
    supply_date            date,
    land_use_scheme        text,
    planned_use            text,
    actual_use             text,
    planned_industrial     boolean,
    actual_industrial      boolean,
    land_status            text NOT NULL DEFAULT 'normal'
                           CONSTRAINT parcel_land_status_known CHECK (land_status IN
                             ('normal', 'approved_unsupplied', 'supplied_unused', 'underused',
                              'built_not_operating', 'below_target', 'idle')),
    plan_conforming        boolean,
    building_condition     text CONSTRAINT parcel_building_condition_known
                           CHECK (building_condition IN ('good', 'fair', 'poor', 'dilapidated')),
    floor_area_ratio       double precision CONSTRAINT parcel_far_finite_non_negative
                           CHECK (floor_area_ratio >= 0 AND floor_area_ratio < 'Infinity'),
    contract_investment_intensity double precision,
    contract_floor_area_ratio     double precision,
    contract_tax_per_mu           double precision,
    contract_completion_date      date
);
COMMENT ON TABLE parcel_gov.parcel IS
  '工业用地宗地 (industrial parcels), one 宗地代码 each (一码管地); geom in CGCS2000 (EPSG:4490), area_mu computed from it on the spheroid; holder = 土地使用权人';
COMMENT ON COLUMN parcel_gov.parcel.land_status IS
  '五未 status or idle: normal, approved_unsupplied 批而未供, supplied_unused 供而未用, underused 用而未尽, built_not_operating 建而未投, below_target 投而未达标, idle 闲置土地';
COMMENT ON COLUMN parcel_gov.parcel.land_use_scheme IS
  'the scheme planned_use/actual_use codes come from (GB/T 21010, 三调, 用地用海, planning)';
CREATE INDEX parcel_holder_idx ON parcel_gov.parcel (holder_uscc);
CREATE INDEX parcel_region_idx ON parcel_gov.parcel (region_code);
CREATE INDEX parcel_park_idx ON parcel_gov.parcel (park_id);
CREATE INDEX parcel_geom_idx ON parcel_gov.parcel USING gist (geom);

CREATE TABLE parcel_gov.lease (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_code parcel_gov.parcel_code NOT NULL REFERENCES parcel_gov.parcel,
    lessee_uscc parcel_gov.uscc NOT NULL REFERENCES parcel_gov.enterprise,
    area_mu     double precision NOT NULL
                CONSTRAINT lease_area_positive CHECK (area_mu > 0 AND area_mu < 'Infinity'),
    during      daterange NOT NULL CONSTRAINT lease_during_bounded CHECK (NOT isempty(during))
);
COMMENT ON TABLE parcel_gov.lease IS
  '租赁用地 (land leased from its holder to a lessee): net land of a firm = held − leased out + leased in, for leases whose term overlaps the year';
CREATE INDEX lease_parcel_idx ON parcel_gov.lease (parcel_code);
CREATE INDEX lease_lessee_idx ON parcel_gov.lease (lessee_uscc);

CREATE TABLE parcel_gov.enterprise_year (
    uscc            parcel_gov.uscc NOT NULL REFERENCES parcel_gov.enterprise,
    year            integer NOT NULL CONSTRAINT enterprise_year_plausible CHECK (year BETWEEN 1949 AND 2200),
    size_class      parcel_gov.size_class NOT NULL,
    tax             double precision CHECK (tax > '-Infinity' AND tax < 'Infinity'),
    value_added     double precision CHECK (value_added > '-Infinity' AND value_added < 'Infinity'),
    revenue         double precision CHECK (revenue >= 0 AND revenue < 'Infinity'),
    rd_expense      double precision CHECK (rd_expense > '-Infinity' AND rd_expense < 'Infinity'),
    staff           double precision CHECK (staff >= 0 AND staff < 'Infinity'),
    energy_tce      double precision CHECK (energy_tce >= 0 AND energy_tce < 'Infinity'),
    emission_t      double precision CHECK (emission_t >= 0 AND emission_t < 'Infinity'),
    electricity_kwh double precision CHECK (electricity_kwh >= 0 AND electricity_kwh < 'Infinity'),
    exempt_reason   text,
    veto_reason     text,
    bonus           double precision NOT NULL DEFAULT 0 CHECK (bonus >= 0 AND bonus < 'Infinity'),
    deduction       double precision NOT NULL DEFAULT 0 CHECK (deduction >= 0 AND deduction < 'Infinity'),
    backward_capacity   boolean NOT NULL DEFAULT false,
    prohibited_industry boolean NOT NULL DEFAULT false,
    PRIMARY KEY (uscc, year)
);
COMMENT ON TABLE parcel_gov.enterprise_year IS
  '企业年度数据 (yearly inputs per firm): money in 万元 (tax = 税收实际贡献), energy in tce, emissions in t, electricity in kWh, staff = yearly average; exempt_reason: not graded (T); veto_reason: 一票否决, final grade D';
CREATE INDEX enterprise_year_year_idx ON parcel_gov.enterprise_year (year);

-- Leases: a lease fits its parcel, all leases of a parcel in force at once fit
-- it together, and nobody leases their own land.  The parcel row is locked so
-- concurrent leases of one parcel are checked one after the other.
CREATE FUNCTION parcel_gov.lease_fits_parcel() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    leased double precision;
BEGIN
    SELECT code, area_mu, holder_uscc INTO p
    FROM parcel_gov.parcel WHERE code = NEW.parcel_code FOR UPDATE;
    IF NEW.lessee_uscc = p.holder_uscc THEN
        RAISE EXCEPTION 'lease of parcel % to its own holder %', NEW.parcel_code, NEW.lessee_uscc
            USING ERRCODE = '23514', HINT = 'A lease moves land from the holder to another firm.';
    END IF;
    SELECT coalesce(sum(l.area_mu), 0) INTO leased
    FROM parcel_gov.lease l
    WHERE l.parcel_code = NEW.parcel_code AND l.during && NEW.during AND l.id IS DISTINCT FROM NEW.id;
    IF leased + NEW.area_mu > p.area_mu * (1 + 1e-9) THEN
        RAISE EXCEPTION 'leases of parcel % would cover % mu of its % mu during %',
                        NEW.parcel_code, round((leased + NEW.area_mu)::numeric, 4),
                        round(p.area_mu::numeric, 4), NEW.during
            USING ERRCODE = '23514',
                  HINT = 'A lease cannot be larger than its parcel, nor overlap other leases of it beyond the parcel''s area.';
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.lease_fits_parcel() IS
  'Trigger: a lease fits its parcel together with the other leases in force at the same time (23514 otherwise)';
CREATE TRIGGER lease_fits_parcel BEFORE INSERT OR UPDATE ON parcel_gov.lease
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.lease_fits_parcel();

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.park', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.park', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.parcel', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.parcel', 'fid'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.lease', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.lease', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise_year', '');
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
    CONSTRAINT rule_set_years_ordered CHECK (year_to IS NULL OR year_from IS NULL OR year_from <= year_to)
);
COMMENT ON TABLE parcel_gov.rule_set IS
  '评价规则 (a county''s rules for some years): region_prefix ''33'' province, ''3306'' city, ''330604'' county, '''' everywhere (the default), NULL a preset not applied anywhere; the most specific prefix wins';
COMMENT ON COLUMN parcel_gov.rule_set.persistent_low_min_mu IS
  '桐庐: firms on at least this many mu whose 亩均税收 stayed under persistent_low_tax_per_mu three years running';
COMMENT ON COLUMN parcel_gov.rule_set.still_below_min_mu IS
  '金东: firms on at least this many mu still 规下 after three years';
COMMENT ON COLUMN parcel_gov.rule_set.doubling_min_revenue IS
  '金东 capacity doubling (亩产倍增): grade B or better with revenue ≥ this (万元) or tax ≥ doubling_min_tax';
CREATE UNIQUE INDEX rule_set_applies_once
    ON parcel_gov.rule_set (region_prefix, coalesce(year_from, -1)) WHERE region_prefix IS NOT NULL;

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
    PRIMARY KEY (rule_set_id, pool),
    CONSTRAINT rule_pool_quota_shares_ascend_within_0_1
        CHECK (0 <= a_share AND a_share <= b_share AND b_share <= c_share AND c_share <= 1)
);
COMMENT ON TABLE parcel_gov.rule_pool IS
  '评价分组 (a pool of a rule set: 规上 or 规下): cumulative grade quotas (A top a_share, B to b_share, C to c_share, D the rest), land floor (firms under it are not graded), ranking within industry groups, rental deductions (温岭), low per-mu tax threshold for the register';

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
-- then the latest start.
CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer) IS
  'The rule set applying to a region code in a year: the most specific region prefix, then the latest year_from';

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
                                     still_below_min_mu, doubling_min_revenue, doubling_min_tax)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax
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
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years; returns new_id';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_set', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_pool',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_indicator',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_industry_group',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
-- The shipped rule sets (docs/rules.md): the pinned default, applied everywhere
-- unless a region has its own, and presets a county adopts with
-- rule_set_adopt().  Money in 万元, so a 元/kWh benchmark is divided by 10⁴.

INSERT INTO parcel_gov.rule_set (id, name, region_prefix, builtin, source) VALUES
  ('default', '默认规则 (黄岩 weights, pool benchmarks, 温岭 quotas)', '', true,
   'weights 黄岩 2021/2022; benchmark = pool ratio of sums; quotas 20/80/95 (温岭 2022); 规下 under 3 mu not graded'),
  ('huangyan_2022', '黄岩区 2022 亩均效益评价', NULL, true,
   '黄岩 2022 published formula with fixed benchmarks; 规下 单位用电税收 0.2352 元/kWh = 0.00002352 万元/kWh'),
  ('linhai_2014', '临海市 2014–2016 亩均效益评价', NULL, true,
   '临海 2014–16 fixed benchmarks; its 单位用水量工业增加值 (5 points) has no figure in parcel_gov, so those points go to 亩均税收 (40 → 45); 2 元/kWh = 0.0002 万元/kWh'),
  ('wenling_2022_parks', '温岭市 2022 工业园区亩均效益评价', NULL, true,
   '温岭 2022 parks: five industry groups, 规下 quotas 5/75/95, rental deductions (规上 0 then 5 per lessee, 规下 10 then 5); indicator weights not published: 黄岩 weights for 规上, 50/50 tax and revenue per mu for 规下'),
  ('tax_only_below', '规下仅亩均税收 (景宁/杭州)', NULL, true,
   '景宁 2022, 杭州 2018: 规下 firms are scored on 亩均税收 alone; 规上 as the default');

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
  ('tax_only_below',     'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3);

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
  ('huangyan_2022', 'above', 'rd_intensity',        10, 0.0302,  'zero'),
  ('huangyan_2022', 'below', 'tax_per_mu',          50, 11.5932, 'zero'),
  ('huangyan_2022', 'below', 'tax_per_kwh',         50, 0.00002352, 'zero'),
  ('linhai_2014', 'above', 'tax_per_mu',          45, 15,     'zero'),
  ('linhai_2014', 'above', 'revenue_per_mu',      10, 300,    'zero'),
  ('linhai_2014', 'above', 'va_per_energy',       20, 3,      'zero'),
  ('linhai_2014', 'above', 'va_per_emission',     15, 500,    'zero'),
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
  ('wenling_2022_parks', 'below', 'tax_per_mu',          50, NULL, 'zero'),
  ('wenling_2022_parks', 'below', 'revenue_per_mu',      50, NULL, 'zero'),
  ('tax_only_below', 'above', 'tax_per_mu',          30, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_mu',           20, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_energy',       20, NULL, 'zero'),
  ('tax_only_below', 'above', 'va_per_emission',     10, NULL, 'pool_mean'),
  ('tax_only_below', 'above', 'labour_productivity', 10, NULL, 'zero'),
  ('tax_only_below', 'above', 'rd_intensity',        10, NULL, 'zero'),
  ('tax_only_below', 'below', 'tax_per_mu',         100, NULL, 'zero');

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

-- Results of the yearly per-mu evaluation (亩均效益综合评价), written by evaluate().

CREATE TABLE parcel_gov.evaluation (
    id            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    year          integer NOT NULL,
    -- No foreign key: evaluate() writes only firms it read from enterprise, and
    -- a per-row key check would cost more than the rest of a province's run.
    uscc          parcel_gov.uscc NOT NULL,
    region_code   text NOT NULL,
    rule_set_id   text,
    pool          parcel_gov.size_class NOT NULL,
    industry_group text,
    held_mu       double precision NOT NULL,
    leased_out_mu double precision NOT NULL,
    leased_in_mu  double precision NOT NULL,
    area_mu       double precision NOT NULL,
    tax           double precision,
    value_added   double precision,
    revenue       double precision,
    tax_per_mu          double precision,
    va_per_mu           double precision,
    revenue_per_mu      double precision,
    labour_productivity double precision,
    va_per_energy       double precision,
    va_per_emission     double precision,
    rd_intensity        double precision,
    tax_per_kwh         double precision,
    score_tax_per_mu          double precision,
    score_va_per_mu           double precision,
    score_revenue_per_mu      double precision,
    score_labour_productivity double precision,
    score_va_per_energy       double precision,
    score_va_per_emission     double precision,
    score_rd_intensity        double precision,
    score_tax_per_kwh         double precision,
    bonus            double precision NOT NULL DEFAULT 0,
    deduction        double precision NOT NULL DEFAULT 0,
    rental_deduction double precision NOT NULL DEFAULT 0,
    score         double precision,
    rank          integer,
    pool_size     integer,
    grade_initial parcel_gov.grade,
    grade         parcel_gov.grade,
    not_graded    text,
    veto_reason   text,
    evaluated_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (year, uscc),
    CONSTRAINT evaluation_graded_or_why CHECK ((grade IS NULL) = (not_graded IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.evaluation IS
  '亩均效益评价结果: one row per firm and year; area_mu is the net land (held − leased out + leased in); score = Σ indicator scores + bonus − deduction − rental_deduction; grade_initial by quota (初评等级), grade after a veto (调档后等级); not_graded says why a firm has no grade (exempt: T, land floor, no land)';
CREATE INDEX evaluation_region_year_idx ON parcel_gov.evaluation (region_code, year);

CREATE TABLE parcel_gov.evaluation_benchmark (
    year        integer NOT NULL,
    region_code text NOT NULL,
    pool        parcel_gov.size_class NOT NULL,
    indicator   parcel_gov.indicator NOT NULL,
    rule_set_id text NOT NULL,
    benchmark   double precision,
    pool_value  double precision,
    lo          double precision,
    hi          double precision,
    firms       integer NOT NULL,
    PRIMARY KEY (year, region_code, pool, indicator)
);
COMMENT ON TABLE parcel_gov.evaluation_benchmark IS
  '基准值: the benchmark each pool was scored against (fixed by the rule, or the pool''s ratio of sums × multiplier), the pool''s own value, and its range (for minmax)';

CREATE TABLE parcel_gov.evaluation_run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year         integer NOT NULL,
    region_prefix text NOT NULL,
    run_by       name NOT NULL DEFAULT current_user,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    firms        integer NOT NULL,
    graded       integer NOT NULL,
    changed      integer NOT NULL
);
COMMENT ON TABLE parcel_gov.evaluation_run IS '评价运行记录: each evaluate() run: who, when, what region and year, how many firms evaluated, graded and changed';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_benchmark', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_run', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation_run', 'id'), '');

-- '330604' → '330604', '330600' → '3306', '330000' → '33', '3306' → '3306', NULL → '' (everywhere).
CREATE FUNCTION parcel_gov.region_prefix(region text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF region IS NULL THEN
        RETURN '';
    END IF;
    IF region !~ '^([0-9]{2}){1,3}$' THEN
        RAISE EXCEPTION 'invalid region "%"', region USING ERRCODE = '22023',
            HINT = 'Give a 6-digit division code (330604 county, 330600 city, 330000 province) or its prefix (3306, 33), or NULL for every region.';
    END IF;
    IF length(region) = 6 THEN
        RETURN regexp_replace(regexp_replace(region, '0000$', ''), '00$', '');
    END IF;
    RETURN region;
END $$;
COMMENT ON FUNCTION parcel_gov.region_prefix(text) IS
  'The code prefix a region stands for: 330604 → 330604, 330600 → 3306, 330000 → 33; NULL → '''' (everywhere); 22023 for anything else';
-- evaluate(year, region): the yearly per-mu evaluation, set-based SQL over the
-- C pieces (indicators, indicators_agg, ratio_score/minmax_score, quota_grade).

CREATE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- compiling these large plans costs more than running them
    SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    span daterange;
    started constant timestamptz := clock_timestamp();
    n_firms integer;
    n_graded integer;
    n_changed integer;
    n_removed integer;
    msg record;
BEGIN
    IF y IS NULL THEN
        RAISE EXCEPTION 'evaluate: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate(2024) or parcel_gov.evaluate(2024, ''330604'').';
    END IF;
    span := daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1));
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM pg_advisory_xact_lock(hashtext('parcel_gov.evaluate'), y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    -- A second run in the same transaction starts afresh.
    IF to_regclass('pg_temp.eval_firm') IS NOT NULL THEN
        DROP TABLE pg_temp.eval_firm, pg_temp.eval_pool, pg_temp.eval_score, pg_temp.eval_result;
    END IF;

    -- Each firm: its figures, net land, rule pool, industry group and why it is not graded.
    CREATE TEMP TABLE eval_firm ON COMMIT DROP AS
    WITH firm AS (
        SELECT e.uscc, e.region_code, e.industry_code, f.size_class AS pool,
               f.tax, f.value_added, f.revenue, f.rd_expense, f.staff, f.energy_tce, f.emission_t,
               f.electricity_kwh, f.exempt_reason, f.veto_reason, f.bonus, f.deduction
        FROM parcel_gov.enterprise_year f
        JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
        WHERE f.year = y AND starts_with(e.region_code, prefix)
    ), held AS (
        SELECT p.holder_uscc AS uscc, sum(p.area_mu) AS mu, min(p.supply_date) AS first_supply
        FROM parcel_gov.parcel p JOIN firm ON firm.uscc = p.holder_uscc
        GROUP BY p.holder_uscc
    ), leased_out AS (
        SELECT p.holder_uscc AS uscc, sum(l.area_mu) AS mu, count(DISTINCT l.lessee_uscc) AS lessees
        FROM parcel_gov.lease l
        JOIN parcel_gov.parcel p ON p.code = l.parcel_code
        JOIN firm ON firm.uscc = p.holder_uscc
        WHERE l.during && span
        GROUP BY p.holder_uscc
    ), leased_in AS (
        SELECT l.lessee_uscc AS uscc, sum(l.area_mu) AS mu
        FROM parcel_gov.lease l JOIN firm ON firm.uscc = l.lessee_uscc
        WHERE l.during && span
        GROUP BY l.lessee_uscc
    ), rules AS MATERIALIZED (
        -- once per region: an inlined CTE would call rule_set_for for every firm
        SELECT r.region_code, parcel_gov.rule_set_for(r.region_code, y) AS rule_set_id
        FROM (SELECT DISTINCT firm.region_code FROM firm) AS r
    ), netted AS (
        SELECT firm.*, rules.rule_set_id,
               coalesce(held.mu, 0) AS held_mu, coalesce(leased_out.mu, 0) AS leased_out_mu,
               coalesce(leased_in.mu, 0) AS leased_in_mu,
               coalesce(held.mu, 0) - coalesce(leased_out.mu, 0) + coalesce(leased_in.mu, 0) AS area_mu,
               coalesce(leased_out.lessees, 0) AS lessees, held.first_supply
        FROM firm
        JOIN rules ON rules.region_code = firm.region_code
        LEFT JOIN held ON held.uscc = firm.uscc
        LEFT JOIN leased_out ON leased_out.uscc = firm.uscc
        LEFT JOIN leased_in ON leased_in.uscc = firm.uscc
    )
    SELECT n.*,
           rp.a_share, rp.b_share, rp.c_share,
           CASE WHEN rp.group_by_industry THEN
             coalesce((SELECT g.industry_group FROM parcel_gov.rule_industry_group g
                       WHERE g.rule_set_id = n.rule_set_id
                         AND EXISTS (SELECT FROM unnest(g.industry_prefixes) AS pre WHERE starts_with(n.industry_code, pre))
                       ORDER BY g.industry_group LIMIT 1), '其他')
           END AS industry_group,
           CASE WHEN n.lessees = 0 THEN 0
                ELSE rp.rental_first_deduction + (n.lessees - 1) * rp.rental_further_deduction END AS rental_deduction,
           CASE
             WHEN rp.pool IS NULL OR ri.pool IS NULL THEN 'no rule for this pool'
             WHEN n.area_mu <= 0 THEN 'no land'
             WHEN n.exempt_reason IS NOT NULL THEN 'exempt (T): ' || n.exempt_reason
             WHEN rs.new_land_exempt_years IS NOT NULL
                  AND n.first_supply > make_date(y - rs.new_land_exempt_years, 12, 31)
               THEN format('new land: supplied %s', n.first_supply)
             WHEN n.area_mu < rp.land_floor_mu
               THEN format('under the land floor: %s < %s mu', round(n.area_mu::numeric, 2), rp.land_floor_mu)
           END AS not_graded,
           parcel_gov.indicators(n.tax, n.value_added, n.revenue, n.rd_expense, n.staff, n.energy_tce,
                                 n.emission_t, n.electricity_kwh,
                                 CASE WHEN n.area_mu > 0 THEN n.area_mu END) AS ind
    FROM netted n
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = n.rule_set_id
    LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = n.rule_set_id AND rp.pool = n.pool
    LEFT JOIN (SELECT DISTINCT rule_set_id, pool FROM parcel_gov.rule_indicator) AS ri
           ON ri.rule_set_id = n.rule_set_id AND ri.pool = n.pool;
    ANALYZE pg_temp.eval_firm (uscc, region_code, pool, rule_set_id, not_graded);   -- temp tables have no statistics until analysed

    -- Each pool's own indicators: ratios of sums over the firms it grades.
    CREATE TEMP TABLE eval_pool ON COMMIT DROP AS
    SELECT region_code, pool, rule_set_id, count(*)::integer AS firms,
           parcel_gov.indicators_agg(tax, value_added, revenue, rd_expense, staff, energy_tce,
                                     emission_t, electricity_kwh, area_mu) AS ind
    FROM eval_firm WHERE not_graded IS NULL
    GROUP BY region_code, pool, rule_set_id;
    ANALYZE pg_temp.eval_pool (region_code, pool);

    -- Each graded firm's score on each indicator of its rule.
    CREATE TEMP TABLE eval_score ON COMMIT DROP AS
    WITH v AS (
        SELECT f.uscc, f.region_code, f.pool, f.rule_set_id, ri.indicator, ri.weight, ri.method, ri.cap, ri.missing,
               parcel_gov.indicator_value(f.ind, ri.indicator) AS value,
               parcel_gov.indicator_value(p.ind, ri.indicator) AS pool_value,
               coalesce(ri.benchmark_fixed,
                        parcel_gov.indicator_value(p.ind, ri.indicator) * ri.benchmark_multiplier) AS benchmark,
               p.firms
        FROM eval_firm f
        JOIN eval_pool p ON p.region_code = f.region_code AND p.pool = f.pool
        JOIN parcel_gov.rule_indicator ri ON ri.rule_set_id = f.rule_set_id AND ri.pool = f.pool
        WHERE f.not_graded IS NULL
    ), ranged AS (
        SELECT v.*, min(v.value) OVER w AS lo, max(v.value) OVER w AS hi
        FROM v WINDOW w AS (PARTITION BY v.region_code, v.pool, v.indicator)
    ), scored AS (
        SELECT ranged.*,
               CASE WHEN ranged.value IS NULL THEN NULL
                    WHEN ranged.method = 'minmax' THEN parcel_gov.minmax_score(ranged.value, ranged.lo, ranged.hi, ranged.weight)
                    WHEN ranged.benchmark > 0 THEN parcel_gov.ratio_score(ranged.value, ranged.benchmark, ranged.weight, ranged.cap)
               END AS own_score
        FROM ranged
    )
    SELECT scored.*,
           -- the pool mean is an exact ratio of sums, so reruns give the same bits
           CASE WHEN scored.own_score IS NOT NULL THEN scored.own_score
                WHEN scored.missing = 'pool_mean' THEN
                  coalesce(parcel_gov.per_mu_agg(scored.own_score, 1)
                             OVER (PARTITION BY scored.region_code, scored.pool, scored.indicator), 0)
                ELSE 0 END AS score
    FROM scored;
    ANALYZE pg_temp.eval_score (uscc, region_code, pool, indicator);

    FOR msg IN SELECT DISTINCT region_code, pool, indicator, benchmark FROM eval_score
             WHERE method = 'ratio' AND NOT benchmark > 0 ORDER BY 1, 2, 3 LOOP
        RAISE NOTICE 'evaluate: region % pool %: benchmark of % is %, so no firm scores on it',
                     msg.region_code, msg.pool, msg.indicator, coalesce(msg.benchmark::text, 'missing');
    END LOOP;

    -- Totals, then grades by quota within each pool (and industry group).
    CREATE TEMP TABLE eval_result ON COMMIT DROP AS
    WITH pivot AS (
        SELECT uscc,
               max(score) FILTER (WHERE indicator = 'tax_per_mu') AS score_tax_per_mu,
               max(score) FILTER (WHERE indicator = 'va_per_mu') AS score_va_per_mu,
               max(score) FILTER (WHERE indicator = 'revenue_per_mu') AS score_revenue_per_mu,
               max(score) FILTER (WHERE indicator = 'labour_productivity') AS score_labour_productivity,
               max(score) FILTER (WHERE indicator = 'va_per_energy') AS score_va_per_energy,
               max(score) FILTER (WHERE indicator = 'va_per_emission') AS score_va_per_emission,
               max(score) FILTER (WHERE indicator = 'rd_intensity') AS score_rd_intensity,
               max(score) FILTER (WHERE indicator = 'tax_per_kwh') AS score_tax_per_kwh
        FROM eval_score GROUP BY uscc
    ), totalled AS (
        SELECT f.*, s.score_tax_per_mu, s.score_va_per_mu, s.score_revenue_per_mu, s.score_labour_productivity,
               s.score_va_per_energy, s.score_va_per_emission, s.score_rd_intensity, s.score_tax_per_kwh,
               CASE WHEN f.not_graded IS NULL THEN
                 -- a fixed order of additions, so equal firms get equal bits
                 coalesce(s.score_tax_per_mu, 0) + coalesce(s.score_va_per_mu, 0) + coalesce(s.score_revenue_per_mu, 0)
                 + coalesce(s.score_labour_productivity, 0) + coalesce(s.score_va_per_energy, 0)
                 + coalesce(s.score_va_per_emission, 0) + coalesce(s.score_rd_intensity, 0)
                 + coalesce(s.score_tax_per_kwh, 0) + f.bonus - f.deduction - f.rental_deduction
               END AS score
        FROM eval_firm f LEFT JOIN pivot s ON s.uscc = f.uscc
    ), graded AS (
        SELECT t.uscc, rank() OVER w AS rank, count(*) OVER (PARTITION BY t.region_code, t.pool, t.industry_group) AS pool_size,
               parcel_gov.quota_grade(t.score, t.a_share, t.b_share, t.c_share) OVER w AS grade_initial
        FROM totalled t WHERE t.not_graded IS NULL
        WINDOW w AS (PARTITION BY t.region_code, t.pool, t.industry_group ORDER BY t.score DESC)
    )
    SELECT t.*, g.rank::integer AS rank, g.pool_size::integer AS pool_size, g.grade_initial,
           -- a veto turns a grade into D; a firm not graded stays without one
           CASE WHEN g.grade_initial IS NOT NULL AND t.veto_reason IS NOT NULL THEN 'D'::parcel_gov.grade
                ELSE g.grade_initial END AS grade
    FROM totalled t LEFT JOIN graded g ON g.uscc = t.uscc;
    ANALYZE pg_temp.eval_result (uscc);

    -- Write: unchanged rows are left alone, changed ones updated, new ones added,
    -- rows of firms no longer evaluated in the region removed.
    INSERT INTO parcel_gov.evaluation AS e (
        year, uscc, region_code, rule_set_id, pool, industry_group, held_mu, leased_out_mu, leased_in_mu,
        area_mu, tax, value_added, revenue, tax_per_mu, va_per_mu, revenue_per_mu, labour_productivity,
        va_per_energy, va_per_emission, rd_intensity, tax_per_kwh, score_tax_per_mu, score_va_per_mu,
        score_revenue_per_mu, score_labour_productivity, score_va_per_energy, score_va_per_emission,
        score_rd_intensity, score_tax_per_kwh, bonus, deduction, rental_deduction, score, rank, pool_size,
        grade_initial, grade, not_graded, veto_reason, evaluated_at)
    SELECT y, r.uscc, r.region_code, r.rule_set_id, r.pool, r.industry_group, r.held_mu, r.leased_out_mu,
           r.leased_in_mu, r.area_mu, r.tax, r.value_added, r.revenue, (r.ind).tax_per_mu, (r.ind).va_per_mu,
           (r.ind).revenue_per_mu, (r.ind).labour_productivity, (r.ind).va_per_energy, (r.ind).va_per_emission,
           (r.ind).rd_intensity, (r.ind).tax_per_kwh, r.score_tax_per_mu, r.score_va_per_mu, r.score_revenue_per_mu,
           r.score_labour_productivity, r.score_va_per_energy, r.score_va_per_emission, r.score_rd_intensity,
           r.score_tax_per_kwh, r.bonus, r.deduction, r.rental_deduction, r.score, r.rank, r.pool_size,
           r.grade_initial, r.grade, r.not_graded, r.veto_reason, started
    FROM eval_result r
    ON CONFLICT ON CONSTRAINT evaluation_pkey DO UPDATE SET
        region_code = excluded.region_code, rule_set_id = excluded.rule_set_id, pool = excluded.pool,
        industry_group = excluded.industry_group, held_mu = excluded.held_mu,
        leased_out_mu = excluded.leased_out_mu, leased_in_mu = excluded.leased_in_mu, area_mu = excluded.area_mu,
        tax = excluded.tax, value_added = excluded.value_added, revenue = excluded.revenue,
        tax_per_mu = excluded.tax_per_mu, va_per_mu = excluded.va_per_mu, revenue_per_mu = excluded.revenue_per_mu,
        labour_productivity = excluded.labour_productivity, va_per_energy = excluded.va_per_energy,
        va_per_emission = excluded.va_per_emission, rd_intensity = excluded.rd_intensity,
        tax_per_kwh = excluded.tax_per_kwh, score_tax_per_mu = excluded.score_tax_per_mu,
        score_va_per_mu = excluded.score_va_per_mu, score_revenue_per_mu = excluded.score_revenue_per_mu,
        score_labour_productivity = excluded.score_labour_productivity,
        score_va_per_energy = excluded.score_va_per_energy, score_va_per_emission = excluded.score_va_per_emission,
        score_rd_intensity = excluded.score_rd_intensity, score_tax_per_kwh = excluded.score_tax_per_kwh,
        bonus = excluded.bonus, deduction = excluded.deduction, rental_deduction = excluded.rental_deduction,
        score = excluded.score, rank = excluded.rank, pool_size = excluded.pool_size,
        grade_initial = excluded.grade_initial, grade = excluded.grade, not_graded = excluded.not_graded,
        veto_reason = excluded.veto_reason, evaluated_at = excluded.evaluated_at
    WHERE (e.region_code, e.rule_set_id, e.pool, e.industry_group, e.held_mu, e.leased_out_mu, e.leased_in_mu,
           e.area_mu, e.tax, e.value_added, e.revenue, e.tax_per_mu, e.va_per_mu, e.revenue_per_mu,
           e.labour_productivity, e.va_per_energy, e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
           e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
           e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
           e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size, e.grade_initial, e.grade,
           e.not_graded, e.veto_reason)
          IS DISTINCT FROM
          (excluded.region_code, excluded.rule_set_id, excluded.pool, excluded.industry_group, excluded.held_mu,
           excluded.leased_out_mu, excluded.leased_in_mu, excluded.area_mu, excluded.tax, excluded.value_added,
           excluded.revenue, excluded.tax_per_mu, excluded.va_per_mu, excluded.revenue_per_mu,
           excluded.labour_productivity, excluded.va_per_energy, excluded.va_per_emission, excluded.rd_intensity,
           excluded.tax_per_kwh, excluded.score_tax_per_mu, excluded.score_va_per_mu, excluded.score_revenue_per_mu,
           excluded.score_labour_productivity, excluded.score_va_per_energy, excluded.score_va_per_emission,
           excluded.score_rd_intensity, excluded.score_tax_per_kwh, excluded.bonus, excluded.deduction,
           excluded.rental_deduction, excluded.score, excluded.rank, excluded.pool_size, excluded.grade_initial,
           excluded.grade, excluded.not_graded, excluded.veto_reason);
    GET DIAGNOSTICS n_changed = ROW_COUNT;

    -- NOT IN over a hashed subplan: the right plan even when the table's
    -- statistics are stale (as right after a bulk load)
    DELETE FROM parcel_gov.evaluation e
    WHERE e.year = y AND starts_with(e.region_code, prefix)
      AND e.uscc NOT IN (SELECT r.uscc FROM eval_result r);
    GET DIAGNOSTICS n_removed = ROW_COUNT;

    DELETE FROM parcel_gov.evaluation_benchmark b WHERE b.year = y AND starts_with(b.region_code, prefix);
    INSERT INTO parcel_gov.evaluation_benchmark
    SELECT y, region_code, pool, indicator, min(rule_set_id), min(benchmark), min(pool_value), min(lo), min(hi), min(firms)
    FROM eval_score GROUP BY region_code, pool, indicator;

    SELECT count(*), count(*) FILTER (WHERE not_graded IS NULL) INTO n_firms, n_graded FROM eval_result;
    FOR msg IN SELECT split_part(not_graded, ':', 1) AS why, count(*) AS n FROM eval_result
             WHERE not_graded IS NOT NULL GROUP BY 1 ORDER BY 1 LOOP
        RAISE NOTICE 'evaluate: % firm(s) not graded: %', msg.n, msg.why;
    END LOOP;
    SELECT count(*) AS n INTO msg FROM parcel_gov.parcel p
    WHERE p.holder_uscc IS NULL AND starts_with(p.region_code, prefix);
    IF msg.n > 0 THEN
        RAISE NOTICE 'evaluate: % parcel(s) in the region have no holder and are not evaluated', msg.n;
    END IF;

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, n_firms, n_graded, n_changed + n_removed);
    RETURN n_graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded';
-- The views analysts and BI tools read.  security_invoker:
-- they show what the reader may see of the tables, nothing more.

-- Who uses which part of a parcel in a year: its holder what is not leased
-- out, each lessee its lease (leases whose term overlaps the year).
CREATE VIEW parcel_gov.v_parcel_use WITH (security_invoker = true) AS
WITH years AS (
    SELECT DISTINCT e.year, daterange(make_date(e.year, 1, 1), make_date(e.year + 1, 1, 1)) AS span
    FROM parcel_gov.evaluation e
)
SELECT y.year, p.code AS parcel_code, p.holder_uscc AS uscc, 'holder'::text AS role,
       p.area_mu - coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l
                             WHERE l.parcel_code = p.code AND l.during && y.span), 0) AS area_mu
FROM parcel_gov.parcel p CROSS JOIN years y
WHERE p.holder_uscc IS NOT NULL
UNION ALL
SELECT y.year, l.parcel_code, l.lessee_uscc, 'lessee', l.area_mu
FROM parcel_gov.lease l JOIN years y ON l.during && y.span;
COMMENT ON VIEW parcel_gov.v_parcel_use IS
  'Who uses which part of each parcel in each evaluated year: the holder (土地使用权人) what it has not leased out, each lessee (承租企业) its lease';

CREATE VIEW parcel_gov.v_enterprise_evaluation WITH (security_invoker = true) AS
SELECT e.id AS fid, e.year, e.uscc, f.name, e.region_code, rg.name AS region_name, f.industry_code,
       e.pool, parcel_gov.label(e.pool) AS pool_label, e.industry_group, e.rule_set_id,
       e.area_mu, e.held_mu, e.leased_out_mu, e.leased_in_mu, e.tax, e.value_added, e.revenue,
       e.tax_per_mu, e.va_per_mu, e.revenue_per_mu, e.labour_productivity, e.va_per_energy,
       e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
       e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
       e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
       e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size,
       e.grade_initial, e.grade, parcel_gov.label(e.grade) AS grade_label,
       coalesce(e.grade::text, CASE WHEN e.not_graded LIKE 'exempt%' THEN 'T' END) AS grade_or_t,
       e.not_graded, e.veto_reason,
       parcel_gov.tax_tier(e.tax_per_mu) AS tax_tier,
       parcel_gov.tier_label(parcel_gov.tax_tier(e.tax_per_mu)) AS tax_tier_label,
       p1.tax_per_mu AS tax_per_mu_prev, p2.tax_per_mu AS tax_per_mu_prev2,
       coalesce(e.area_mu >= rs.persistent_low_min_mu
                AND e.tax_per_mu < rs.persistent_low_tax_per_mu
                AND p1.tax_per_mu < rs.persistent_low_tax_per_mu
                AND p2.tax_per_mu < rs.persistent_low_tax_per_mu, false) AS persistent_low_tax,
       coalesce(e.area_mu >= rs.still_below_min_mu
                AND e.pool = 'below' AND p1.pool = 'below' AND p2.pool = 'below', false) AS still_below_3y,
       coalesce(e.grade <= 'B' AND (e.revenue >= rs.doubling_min_revenue OR e.tax >= rs.doubling_min_tax), false)
         AS capacity_doubling_candidate,
       e.evaluated_at
FROM parcel_gov.evaluation e
JOIN parcel_gov.enterprise f ON f.uscc = e.uscc
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
LEFT JOIN parcel_gov.rule_set rs ON rs.id = e.rule_set_id
LEFT JOIN parcel_gov.evaluation p1 ON p1.uscc = e.uscc AND p1.year = e.year - 1
LEFT JOIN parcel_gov.evaluation p2 ON p2.uscc = e.uscc AND p2.year = e.year - 2;
COMMENT ON VIEW parcel_gov.v_enterprise_evaluation IS
  '企业亩均效益评价结果: each firm''s evaluation with names and labels, its tax tier, the per-mu tax of the two years before, and the multi-year facts: persistent_low_tax (桐庐: ≥ 20 mu, under 3 万元/亩 three years running), still_below_3y (金东: ≥ 20 mu, still 规下 three years), capacity_doubling_candidate (金东 亩产倍增: grade B or better, revenue ≥ 1 亿元 or tax ≥ 300 万元)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.area_mu IS '用地面积(亩): net land = held − leased out + leased in';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.tax_per_mu IS '亩均税收 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.va_per_mu IS '亩均增加值 (万元/亩)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.score IS '综合得分';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_initial IS '初评等级 (by quota)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade IS '评价等级 (after a veto, 一票否决 → D)';
COMMENT ON COLUMN parcel_gov.v_enterprise_evaluation.grade_or_t IS 'grade, or T for firms exempt from grading (不参评)';

CREATE VIEW parcel_gov.v_region_summary WITH (security_invoker = true) AS
WITH up AS (
    -- each evaluation counted in its county, its city and its province
    SELECT DISTINCT ON (e.year, e.uscc, r.code) e.*, r.code AS summary_code
    FROM parcel_gov.evaluation e
    CROSS JOIN LATERAL (VALUES (e.region_code), (left(e.region_code, 4) || '00'),
                               (left(e.region_code, 2) || '0000')) AS r(code)
), summary AS (
    SELECT year, summary_code AS region_code,
           count(*) AS firms,
           count(grade) AS graded,
           sum(area_mu) FILTER (WHERE grade IS NOT NULL) AS area_mu,
           parcel_gov.per_mu_agg(tax, area_mu) FILTER (WHERE grade IS NOT NULL) AS tax_per_mu,
           parcel_gov.per_mu_agg(value_added, area_mu) FILTER (WHERE grade IS NOT NULL) AS va_per_mu,
           count(*) FILTER (WHERE grade = 'A') AS grade_a,
           count(*) FILTER (WHERE grade = 'B') AS grade_b,
           count(*) FILTER (WHERE grade = 'C') AS grade_c,
           count(*) FILTER (WHERE grade = 'D') AS grade_d,
           count(*) FILTER (WHERE not_graded IS NOT NULL) AS not_graded,
           count(*) FILTER (WHERE parcel_gov.tax_tier(tax_per_mu) = 1) AS tier_1,
           count(*) FILTER (WHERE parcel_gov.tax_tier(tax_per_mu) = 2) AS tier_2,
           count(*) FILTER (WHERE parcel_gov.tax_tier(tax_per_mu) = 3) AS tier_3,
           count(*) FILTER (WHERE parcel_gov.tax_tier(tax_per_mu) = 0) AS tier_0
    FROM up GROUP BY year, summary_code
)
SELECT s.year::bigint * 1000000 + s.region_code::bigint AS fid, s.year, s.region_code, rg.name AS region_name,
       CASE WHEN s.region_code LIKE '%0000' THEN 'province' WHEN s.region_code LIKE '%00' THEN 'city'
            ELSE 'county' END AS level,
       s.firms, s.graded, s.area_mu, s.tax_per_mu, s.va_per_mu,
       s.grade_a, s.grade_b, s.grade_c, s.grade_d, s.not_graded, s.tier_1, s.tier_2, s.tier_3, s.tier_0,
       s.tax_per_mu - prev.tax_per_mu AS tax_per_mu_change,
       s.va_per_mu - prev.va_per_mu AS va_per_mu_change,
       s.area_mu - prev.area_mu AS area_mu_change
FROM summary s
LEFT JOIN summary prev ON prev.region_code = s.region_code AND prev.year = s.year - 1
LEFT JOIN parcel_gov.region rg ON rg.code = s.region_code;
COMMENT ON VIEW parcel_gov.v_region_summary IS
  '区域亩均效益汇总: per region (county, city, province) and year: graded firms'' area (亩), 亩均税收 and 亩均增加值 (ratios of sums), firms by grade and by tax tier (1 重点排查 < 5, 2 重点检查 < 10, 3 重点指导 < 15, 0 ≥ 15 万元/亩), and the change against the year before';

CREATE VIEW parcel_gov.v_park_ranking WITH (security_invoker = true) AS
WITH park_year AS (
    SELECT pk.id AS park_id, u.year,
           sum(u.area_mu) AS area_mu,
           count(DISTINCT u.uscc) AS firms,
           sum(u.area_mu * e.tax_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.tax_per_mu IS NOT NULL), 0) AS tax_per_mu,
           sum(u.area_mu * e.va_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.va_per_mu IS NOT NULL), 0) AS va_per_mu
    FROM parcel_gov.park pk
    JOIN parcel_gov.parcel p ON p.park_id = pk.id
    JOIN parcel_gov.v_parcel_use u ON u.parcel_code = p.code
    LEFT JOIN parcel_gov.evaluation e ON e.uscc = u.uscc AND e.year = u.year
    GROUP BY pk.id, u.year
)
SELECT pk.id * 10000 + py.year AS fid, pk.id AS park_id, pk.name, pk.region_code, rg.name AS region_name, py.year,
       py.area_mu, py.firms, py.tax_per_mu, py.va_per_mu,
       rank() OVER (PARTITION BY py.year, pk.region_code ORDER BY py.tax_per_mu DESC NULLS LAST) AS rank_in_region,
       rank() OVER (PARTITION BY py.year ORDER BY py.tax_per_mu DESC NULLS LAST) AS rank_overall,
       pk.geom,
       ST_X(ST_Transform(ST_PointOnSurface(pk.geom), 4326)) AS lon,
       ST_Y(ST_Transform(ST_PointOnSurface(pk.geom), 4326)) AS lat
FROM park_year py
JOIN parcel_gov.park pk ON pk.id = py.park_id
LEFT JOIN parcel_gov.region rg ON rg.code = pk.region_code;
COMMENT ON VIEW parcel_gov.v_park_ranking IS
  '领跑园区: parks ranked by 亩均税收 each year (within their region and overall); a park''s per-mu tax spreads each firm''s per-mu tax over the land it uses in the park (held or leased)';
