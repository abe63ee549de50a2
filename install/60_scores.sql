-- Indicator scores against a benchmark (src/scores.c).

-- Not STRICT: a NULL cap means "no cap".
CREATE FUNCTION parcel_gov.ratio_score(value double precision, benchmark double precision,
                                       weight double precision, cap double precision DEFAULT NULL)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'ratio_score'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.ratio_score(double precision, double precision, double precision, double precision) IS
  'weight × max(0, value / benchmark), at most cap × weight (黄岩/临海 ratio-to-benchmark score); NULL value, benchmark or weight → NULL; benchmark ≤ 0, negative weight or cap, NaN/Infinity → 22023';

CREATE FUNCTION parcel_gov.minmax_score(value double precision, lo double precision,
                                        hi double precision, weight double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'minmax_score'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.minmax_score(double precision, double precision, double precision, double precision) IS
  'weight × (20 + 80 × (value − lo)/(hi − lo)) / 100 clamped to [0.2, 1] × weight (功效系数法); hi = lo gives weight at or above it, 0.2 × weight below; hi < lo, negative weight, NaN/Infinity → 22023';
