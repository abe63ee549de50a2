-- Grades by rank quotas within a pool (src/quota_grade.c).

CREATE FUNCTION parcel_gov.quota_grade(score double precision, a_share double precision,
                                       b_share double precision, c_share double precision)
    RETURNS parcel_gov.grade
    AS 'MODULE_PATHNAME', 'quota_grade'
    LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.quota_grade(double precision, double precision, double precision, double precision) IS
  'Window function: A/B/C/D by rank quotas within the partition (cumulative shares, e.g. 0.20/0.80/0.95); rank as rank() over score descending, cut-offs round-half-up(n × share), ties share the better grade, NULL scores get NULL and are not counted; shares outside [0,1], descending, NULL or varying within the partition → 22023';
