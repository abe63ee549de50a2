-- The data model (docs/data-model.md): regions, parks, parcels, firms, leases and
-- yearly firm data.  User data: registered with pg_extension_config_dump so
-- pg_dump keeps it.  Parcels are stored in CGCS2000 (EPSG:4490).

CREATE TABLE parcel_gov.region (
    code          text PRIMARY KEY
                  CONSTRAINT region_code_6_or_9_digits CHECK (code ~ '^[0-9]{6}([0-9]{3})?$'),
    name          text NOT NULL,
    parent_code   text REFERENCES parcel_gov.region,
    -- set from the code by the trigger region_level; the check holds it
    -- there also where triggers do not fire (replication, replica mode)
    level         text NOT NULL,
    valid_from    date,
    valid_to      date,
    superseded_by text REFERENCES parcel_gov.region,
    shipped       boolean NOT NULL DEFAULT false,
    CONSTRAINT region_validity_ordered CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from < valid_to),
    CONSTRAINT region_level_of_code CHECK (level = CASE WHEN length(code) = 9 THEN 'township'
                                                        WHEN code LIKE '%0000' THEN 'province'
                                                        WHEN code LIKE '%00' THEN 'city' ELSE 'county' END),
    -- a township (9 digits) lies in the county its first six digits name
    CONSTRAINT region_township_in_its_county
        CHECK (length(code) = 6 OR (parent_code = left(code, 6) AND parent_code !~ '00$'))
);
COMMENT ON TABLE parcel_gov.region IS
  '行政区划 (administrative divisions): GB/T 2260 codes, 330000 province, 330600 city, 330604 county, and 乡镇街道 townships by the statistics bureau''s 9-digit codes (330604100); Zhejiang''s province, cities and counties ship with parcel_gov (shipped, read-only), superseded codes with their validity to the month (上虞市 330682 → 上虞区 330604 from 2013-10-01); counties add their townships';
COMMENT ON COLUMN parcel_gov.region.level IS
  '层级: province, city, county or township, from the code (set by the trigger region_level)';
COMMENT ON COLUMN parcel_gov.region.valid_to IS
  '停用日期: the first day of the month the code was superseded (validity is known to the month); NULL while in use';
COMMENT ON COLUMN parcel_gov.region.superseded_by IS
  '继承代码: the code that took over most of a superseded one';
COMMENT ON COLUMN parcel_gov.region.shipped IS
  '内置区划: a row parcel_gov ships (the national list, read-only, not dumped: CREATE EXTENSION brings it back); false for the rows a county adds (乡镇街道 townships, a new code)';

-- A region's level follows its code: whatever a writer gives is replaced.
CREATE FUNCTION parcel_gov.region_level() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- as the check region_level_of_code has it
    NEW.level := CASE WHEN length(NEW.code) = 9 THEN 'township'
                      WHEN NEW.code LIKE '%0000' THEN 'province'
                      WHEN NEW.code LIKE '%00' THEN 'city' ELSE 'county' END;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.region_level() IS
  'Trigger: sets a region''s level from its code (9 digits township, xx0000 province, xxxx00 city, else county)';
CREATE TRIGGER region_level BEFORE INSERT OR UPDATE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_level();

-- The shipped regions are the national list: pg_dump leaves them out and
-- CREATE EXTENSION brings them back, so a county's change to them would be
-- lost, and a county's own row marked shipped would vanish from its dumps.
-- The extension's scripts and a restore run as a superuser, who passes.
-- A dump taken before 1.7.0 holds the regions the county entered itself:
-- restored by a superuser (row_security off, as pg_restore and pg_dump's
-- scripts set it, src/restore_mode.c), a row of a shipped code gives way
-- to the shipped row, as the update to 1.7.0 makes it.
CREATE FUNCTION parcel_gov.region_shipped_read_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the calling role, as in every guard of the extension
    IF (SELECT r.rolsuper FROM pg_roles r WHERE r.oid = parcel_gov.invoker()) THEN
        IF TG_OP = 'INSERT' AND NOT NEW.shipped AND NOT current_setting('row_security')::boolean
           AND EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = NEW.code AND r.shipped) THEN
            RETURN NULL;
        END IF;
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'region % % ships with parcel_gov and is read-only', OLD.code, OLD.name
            USING ERRCODE = '42501',
                  HINT = 'The shipped regions are the national list (GB/T 2260). Add your townships (9-digit codes under your county) or a new code as rows of your own.';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.shipped THEN
        RAISE EXCEPTION 'region % cannot be marked shipped', NEW.code
            USING ERRCODE = '42501',
                  HINT = 'Only the regions parcel_gov ships have shipped = true; add yours with shipped = false (the default).';
    END IF;
    RETURN coalesce(NEW, OLD);
END $$;
COMMENT ON FUNCTION parcel_gov.region_shipped_read_only() IS
  'Trigger: the shipped regions cannot be changed or deleted, nor a row marked shipped (42501), but by a superuser (the extension''s scripts, a restore); a superuser''s restore of a region of a shipped code (a dump taken before 1.7.0) keeps the shipped row';
CREATE TRIGGER region_shipped_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_shipped_read_only();
-- The shipped rows are left out of logical replication by a row filter on
-- shipped (README: backups); a filter on a column outside the key needs
-- the whole row as the replica identity for updates and deletes.
ALTER TABLE parcel_gov.region REPLICA IDENTITY FULL;

CREATE TABLE parcel_gov.park (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    region_code text NOT NULL REFERENCES parcel_gov.region,
    geom        geometry(MultiPolygon, 4490),
    UNIQUE (region_code, name)
);
COMMENT ON TABLE parcel_gov.park IS '开发区/园区 (development zones and industrial parks)';
-- A county server publishes its rows by region_code (README: Many counties,
-- one province); a row filter on updates and deletes may read only the
-- replica identity, so it is the whole row here, as for enterprise, parcel
-- and evaluation.  The old row is written to the WAL only where wal_level
-- is logical: a server that publishes nothing pays nothing.
ALTER TABLE parcel_gov.park REPLICA IDENTITY FULL;

CREATE TABLE parcel_gov.enterprise (
    uscc          parcel_gov.uscc PRIMARY KEY,
    name          text NOT NULL,
    region_code   text NOT NULL REFERENCES parcel_gov.region
                  CONSTRAINT enterprise_region_6_digits CHECK (region_code ~ '^[0-9]{6}$'),
    industry_code text CONSTRAINT enterprise_industry_gbt4754
                  CHECK (parcel_gov.industry_code_check(industry_code)),
    uscc_confirmed boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE parcel_gov.enterprise IS
  '企业 (firms): 统一社会信用代码, the county that evaluates them (never derived from the USCC), 国民经济行业代码 (GB/T 4754, e.g. C3311)';
COMMENT ON COLUMN parcel_gov.enterprise.uscc_confirmed IS
  '代码已核实: an early code (its check character fails) was confirmed against the business licence; v_uscc_early lists the rest';
-- published by region_code (as park)
ALTER TABLE parcel_gov.enterprise REPLICA IDENTITY FULL;

CREATE TABLE parcel_gov.parcel (
    code                   parcel_gov.parcel_code PRIMARY KEY,
    fid                    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    region_code            text NOT NULL REFERENCES parcel_gov.region
                           CONSTRAINT parcel_region_6_digits CHECK (region_code ~ '^[0-9]{6}$'),
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
    contract_completion_date      date,
    -- a point on the parcel's surface in WGS 84 for BI tools that cannot
    -- draw PostGIS geometry, kept with the row instead of transformed on
    -- every read of a view
    lon double precision GENERATED ALWAYS AS (ST_X(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED,
    lat double precision GENERATED ALWAYS AS (ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED,
    fails_acceptance       boolean NOT NULL DEFAULT false,
    contract_energy_per_va double precision
        CONSTRAINT parcel_contract_energy_possible CHECK (contract_energy_per_va > 0 AND contract_energy_per_va < 100),
    contract_emission_per_va double precision
        CONSTRAINT parcel_contract_emission_possible CHECK (contract_emission_per_va > 0 AND contract_emission_per_va < 100),
    land_procedures_legal  boolean,
    standard_land          boolean,
    -- 乡镇街道: the township or street (a 9-digit region of the county's own) the parcel lies in
    township_code text REFERENCES parcel_gov.region
        CONSTRAINT parcel_township_in_county CHECK (township_code ~ '^[0-9]{9}$' AND left(township_code, 6) = region_code),
    CONSTRAINT parcel_contract_investment_possible
        CHECK (contract_investment_intensity > 0 AND contract_investment_intensity < 1000000),
    CONSTRAINT parcel_contract_far_possible CHECK (contract_floor_area_ratio > 0 AND contract_floor_area_ratio <= 20),
    CONSTRAINT parcel_contract_tax_possible CHECK (contract_tax_per_mu > 0 AND contract_tax_per_mu < 100000)
);
COMMENT ON TABLE parcel_gov.parcel IS
  '工业用地宗地 (industrial parcels), one 宗地代码 each (一码管地); geom in CGCS2000 (EPSG:4490), area_mu computed from it on the spheroid; holder = 土地使用权人';
COMMENT ON COLUMN parcel_gov.parcel.land_status IS
  '五未 status or idle: normal, approved_unsupplied 批而未供, supplied_unused 供而未用, underused 用而未尽, built_not_operating 建而未投, below_target 投而未达标, idle 闲置土地';
COMMENT ON COLUMN parcel_gov.parcel.land_use_scheme IS
  'the scheme planned_use/actual_use codes come from (GB/T 21010, 三调, 用地用海, planning)';
COMMENT ON COLUMN parcel_gov.parcel.lon IS
  '经度 (WGS 84, EPSG:4326) of a point on the parcel''s surface, for maps in BI tools; GCJ-02 (高德/腾讯) and BD-09 (百度) basemaps are offset from it, 天地图 is not';
COMMENT ON COLUMN parcel_gov.parcel.lat IS
  '纬度 (WGS 84, EPSG:4326) of a point on the parcel''s surface';
COMMENT ON COLUMN parcel_gov.parcel.standard_land IS
  '标准地: supplied as standard land, with the contract''s commitments (investment intensity, floor-area ratio, per-mu tax, energy, emissions) set before supply; NULL: not recorded';
COMMENT ON COLUMN parcel_gov.parcel.fails_acceptance IS
  'cannot pass environment, fire or safety acceptance even after rectification (关停退出)';
COMMENT ON COLUMN parcel_gov.parcel.land_procedures_legal IS
  '合法用地手续: the land has its legal land procedures; false on collective land (宗地代码 character 13 J 集体) makes it 集体工业用地 (collective_industrial); NULL unknown';
COMMENT ON COLUMN parcel_gov.parcel.contract_energy_per_va IS
  '承诺单位增加值能耗 (吨标煤/万元): at most this much energy per 万元 of value added';
COMMENT ON COLUMN parcel_gov.parcel.township_code IS
  '乡镇街道代码: the township or street the parcel lies in, a 9-digit region under the parcel''s county (v_township_progress ranks them)';
COMMENT ON COLUMN parcel_gov.parcel.contract_emission_per_va IS
  '承诺单位增加值排放 (吨/万元): at most this much emission per 万元 of value added';
-- region_code and code included: a county's run probes its firms' parcels
-- for those outside the county index-only (src/eval_input.c)
CREATE INDEX parcel_holder_idx ON parcel_gov.parcel (holder_uscc) INCLUDE (region_code, code);
CREATE INDEX parcel_region_idx ON parcel_gov.parcel (region_code);
CREATE INDEX parcel_park_idx ON parcel_gov.parcel (park_id);
CREATE INDEX parcel_township_idx ON parcel_gov.parcel (township_code);
CREATE INDEX parcel_geom_idx ON parcel_gov.parcel USING gist (geom);
-- published by region_code (as park)
ALTER TABLE parcel_gov.parcel REPLICA IDENTITY FULL;

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
    figures_confirmed   boolean NOT NULL DEFAULT false,
    scattered_polluting boolean NOT NULL DEFAULT false,
    water_t         double precision CONSTRAINT enterprise_year_water_t_check CHECK (water_t >= 0 AND water_t < 1e10),
    cod_t           double precision CONSTRAINT enterprise_year_cod_t_check CHECK (cod_t >= 0 AND cod_t < 1e9),
    main_revenue    double precision CONSTRAINT enterprise_year_main_revenue_check CHECK (main_revenue >= 0 AND main_revenue < 1e9),
    land_use_rate   double precision CONSTRAINT enterprise_year_land_use_rate_share CHECK (land_use_rate BETWEEN 0 AND 1),
    PRIMARY KEY (uscc, year),
    -- beyond any firm there is (10¹³ 元, 10⁷ staff, 10¹² kWh): a unit or a
    -- typing mistake, refused here so that one county's typo cannot stop
    -- another county's evaluation
    CONSTRAINT enterprise_year_within_bounds CHECK (
        abs(tax) < 1e9 AND abs(value_added) < 1e9 AND revenue < 1e9 AND abs(rd_expense) < 1e9
        AND staff < 1e7 AND energy_tce < 1e9 AND emission_t < 1e9 AND electricity_kwh < 1e12
        AND bonus < 1e9 AND deduction < 1e9)
);
COMMENT ON TABLE parcel_gov.enterprise_year IS
  '企业年度数据 (yearly inputs per firm): money in 万元 (tax = 税收实际贡献), energy in tce, emissions in t, electricity in kWh, staff = yearly average; exempt_reason: not graded (T); veto_reason: 一票否决, final grade D';
COMMENT ON COLUMN parcel_gov.enterprise_year.figures_confirmed IS
  '数据已核实: the figures were confirmed as they are although beyond the rule set''s plausibility limits (import_enterprise_years(…, accept_implausible => true)); false: they were checked against the limits';
COMMENT ON COLUMN parcel_gov.enterprise_year.water_t IS
  '用水量 (吨): water used in the year, tonnes (a cubic metre is a tonne); for 单位水耗增加值 va_per_water (临海)';
COMMENT ON COLUMN parcel_gov.enterprise_year.cod_t IS
  '化学需氧量排放量 (吨): COD emitted in the year, tonnes; for 单位COD排放增加值 va_per_cod (临海)';
COMMENT ON COLUMN parcel_gov.enterprise_year.main_revenue IS
  '主营业务收入 (万元): revenue from the main business, part of 营业收入 (revenue); for R&D经费支出占主营业务收入比重 rd_intensity_main (黄岩 2022)';
COMMENT ON COLUMN parcel_gov.enterprise_year.scattered_polluting IS
  '低散乱污: the firm is listed this year by the environment, safety, fire or planning departments (major environment, safety, fire or illegal-building problems); its land becomes scattered_polluting';
COMMENT ON COLUMN parcel_gov.enterprise_year.land_use_rate IS
  '土地利用率 (a share, 0.8 = 80 %): how much of its land the firm uses, as the county measures it; 金东 亩产倍增 needs doubling_min_land_use_rate; NULL: not measured';
CREATE INDEX enterprise_year_year_idx ON parcel_gov.enterprise_year (year);

-- What a county role may write of a parcel or a lease: a parcel's code names
-- its county (its first six digits are the parcel's region, or a code that
-- region superseded), and a holder or lessee is a firm the writer can see.
-- A firm holding or leasing land in another county is linked by the
-- province (parcel_gov_admin), and a parcel or lease so linked is changed
-- or deleted by the province alone: one county can never change another's
-- firms' land, and so their grades.  Another county's firm is "not found or
-- not permitted", never confirmed to exist.
-- In C (src/county_writes_own.c): it runs once a row, and an import writes
-- tens of thousands of parcels at once.
CREATE FUNCTION parcel_gov.county_writes_own() RETURNS trigger
    AS 'MODULE_PATHNAME', 'county_writes_own'
    LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.county_writes_own() IS
  'Trigger: for county roles, a parcel''s code names its region (23514), a holder or lessee is one of the writer''s firms (23503, "not found or not permitted"), and a parcel or lease linked to another county''s firm is not theirs to change (42501); parcel_gov_admin links across counties';
CREATE TRIGGER parcel_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.parcel
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own();
CREATE TRIGGER lease_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.lease
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own();

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

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.park', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.park', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.parcel', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.parcel', 'fid'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.lease', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.lease', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise_year', '');
