-- Land units and per-mu figures (src/units.c, src/tax_tier.c).
-- Plain C scalars: they look no names up, so they carry no SET search_path
-- (it would cost ~10x per call).

CREATE FUNCTION parcel_gov.sqm_to_mu(area_sqm double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'sqm_to_mu'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.sqm_to_mu(double precision) IS
  'Square metres to mu (亩): m2 × 3 / 2000, exact; NaN/Infinity → 22023';

CREATE FUNCTION parcel_gov.mu_to_sqm(area_mu double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'mu_to_sqm'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.mu_to_sqm(double precision) IS
  'Mu (亩) to square metres: mu × 2000 / 3, exact; NaN/Infinity → 22023';

CREATE FUNCTION parcel_gov.per_mu(amount double precision, area_mu double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'per_mu'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.per_mu(double precision, double precision) IS
  'Amount per mu (亩均), e.g. 亩均税收 in 万元/亩; area ≤ 0 or not finite → 22023';

CREATE FUNCTION parcel_gov.tax_tier(tax_per_mu double precision,
                                    bounds double precision[] DEFAULT '{5,10,15}')
    RETURNS integer
    AS 'MODULE_PATHNAME', 'tax_tier'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.tax_tier(double precision, double precision[]) IS
  'Per-mu tax tier: 1 below the first bound (重点排查), 2 (重点检查), 3 (重点指导), 0 at or above all; bounds ascend, default 5/10/15 万元/亩';

-- A rule set's tiers (rule_set.tax_tier_bounds) with their reading of a
-- figure on a bound (rule_set.tax_tier_includes_bound).
CREATE FUNCTION parcel_gov.tax_tier(tax_per_mu double precision, bounds double precision[],
                                    includes_bound boolean)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'tax_tier_read'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.tax_tier(double precision, double precision[], boolean) IS
  'Per-mu tax tier under a rule set''s bounds: 1 below the first bound (重点排查), 2 (重点检查), 3 (重点指导), 0 above all; a figure on a bound is in the lower tier when includes_bound (以下 includes the bound), else in the higher one';

CREATE FUNCTION parcel_gov.tier_label(tier integer)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE tier
    WHEN 1 THEN '重点排查'
    WHEN 2 THEN '重点检查'
    WHEN 3 THEN '重点指导'
    WHEN 0 THEN '达标'
END;
COMMENT ON FUNCTION parcel_gov.tier_label(integer) IS
  'Chinese label of a tax_tier: 1 重点排查 (examine first), 2 重点检查 (inspect), 3 重点指导 (guide), 0 达标 (at or above all bounds)';
