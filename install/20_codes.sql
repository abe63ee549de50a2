-- Unified social credit codes (统一社会信用代码, GB 32100-2015) and
-- organisation codes (组织机构代码, GB 11714): src/uscc.c.

CREATE FUNCTION parcel_gov.uscc_valid(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_valid'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_valid(text) IS
  'true when code is a valid 统一社会信用代码 (GB 32100-2015: 18 characters, registration authority and type, 6-digit division code, check character)';

CREATE FUNCTION parcel_gov.uscc_problem(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_problem'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_problem(text) IS
  'What is wrong with a 统一社会信用代码, or NULL when it is valid; for import reports';

CREATE FUNCTION parcel_gov.uscc_early(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_early'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_early(text) IS
  'true for an early 统一社会信用代码: well formed, only its check character fails; stored, and listed in v_uscc_early to be confirmed';

CREATE FUNCTION parcel_gov.uscc_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_check(text) IS
  'Check of the domain parcel_gov.uscc: true for a valid or an early code, or error 23514 saying what is wrong';

CREATE FUNCTION parcel_gov.org_code_valid(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'org_code_valid'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.org_code_valid(text) IS
  'true when code is a valid 9-character 组织机构代码 (GB 11714), as in positions 9–17 of a USCC';

CREATE DOMAIN parcel_gov.uscc AS text
    CONSTRAINT uscc_check CHECK (parcel_gov.uscc_check(VALUE));
COMMENT ON DOMAIN parcel_gov.uscc IS
  '统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters of its alphabet, authority, type and division checked; a code whose check character alone fails (an early code) is stored and listed in v_uscc_early';
