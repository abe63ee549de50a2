-- Low-efficiency kinds and the four batches (docs/rules.md, src/low_efficiency.c);
-- the engine's register sync (src/register_sync.c) and v_parcel_efficiency
-- (install/91_parcel_efficiency.sql) apply them.

-- Their rule data (rule_set.non_industrial_since) and parcel facts
-- (parcel.fails_acceptance, land_status, ...) are defined with their tables.

CREATE FUNCTION parcel_gov.low_efficiency_kinds(tax_per_mu double precision, low_tax_per_mu double precision,
        persistent_low boolean, grade parcel_gov.grade, land_status text, supply_date date,
        actual_industrial boolean, non_industrial_since date, prohibited_industry boolean)
    RETURNS parcel_gov.low_efficiency_kind[]
    AS 'MODULE_PATHNAME', 'low_efficiency_kinds'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.low_efficiency_kinds(double precision, double precision, boolean, parcel_gov.grade,
        text, date, boolean, date, boolean) IS
  '低效类型 of a parcel: low_per_mu (per-mu tax under the pool''s line, or under the 桐庐 line three years running), grade_d, the 五未 statuses and idle from land_status, non_industrial (占工非工: supplied on or after the cut-off, now not industrial), prohibited_industry; empty when none';

CREATE FUNCTION parcel_gov.four_batch(kinds parcel_gov.low_efficiency_kind[], backward_capacity boolean,
        fails_acceptance boolean, plan_conforming boolean, planned_industrial boolean, building_condition text)
    RETURNS parcel_gov.batch
    AS 'MODULE_PATHNAME', 'four_batch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.four_batch(parcel_gov.low_efficiency_kind[], boolean, boolean, boolean, boolean, text) IS
  '四个一批, first match wins: 关停退出 (backward capacity, prohibited industry, fails acceptance), 功能转型 (not conforming to the plan or no longer industrial), 拆除重建 (buildings poor or dilapidated), 整治提升 (the rest); NULL without a kind';

-- 绍兴 2021 全域治理's two further objects: 低散乱污 land (its firm listed
-- this year) and 集体工业用地 without legal procedures (the 宗地代码's
-- ownership, character 13, is J 集体); the 9-argument form knows neither.
CREATE FUNCTION parcel_gov.low_efficiency_kinds(tax_per_mu double precision, low_tax_per_mu double precision,
        persistent_low boolean, grade parcel_gov.grade, land_status text, supply_date date,
        actual_industrial boolean, non_industrial_since date, prohibited_industry boolean,
        scattered_polluting boolean, parcel_code text, land_procedures_legal boolean)
    RETURNS parcel_gov.low_efficiency_kind[]
    AS 'MODULE_PATHNAME', 'low_efficiency_kinds'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.low_efficiency_kinds(double precision, double precision, boolean, parcel_gov.grade,
        text, date, boolean, date, boolean, boolean, text, boolean) IS
  '低效类型 of a parcel, as the 9-argument form, and also scattered_polluting (低散乱污: the firm is listed) and collective_industrial (集体工业用地: 宗地代码 ownership J and land_procedures_legal false); empty when none';

CREATE FUNCTION parcel_gov.four_batch(kinds parcel_gov.low_efficiency_kind[], backward_capacity boolean,
        fails_acceptance boolean, plan_conforming boolean, planned_industrial boolean, building_condition text,
        scattered_polluting_batch parcel_gov.batch, collective_industrial_batch parcel_gov.batch)
    RETURNS parcel_gov.batch
    AS 'MODULE_PATHNAME', 'four_batch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.four_batch(parcel_gov.low_efficiency_kind[], boolean, boolean, boolean, boolean, text,
        parcel_gov.batch, parcel_gov.batch) IS
  '四个一批 as the 6-argument form, then a 低散乱污 or 集体工业用地 parcel goes at least as far up the order (关停退出, 功能转型, 拆除重建, 整治提升) as its rule set''s scattered_polluting_batch or collective_industrial_batch; NULL without a kind';
