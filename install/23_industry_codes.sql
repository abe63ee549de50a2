-- 国民经济行业代码 (GB/T 4754-2017): a section letter A–T, alone or with the 2-digit
-- division (大类), 3-digit group (中类) or 4-digit class (小类), e.g. C3311.
-- The bureaus' files mostly drop the letter (3311); the division names it.
-- In C (src/industry_code.c): the check runs on every firm written.

CREATE FUNCTION parcel_gov.gbt4754_section(division integer)
    RETURNS text
    AS 'MODULE_PATHNAME', 'gbt4754_section'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.gbt4754_section(integer) IS
  'GB/T 4754-2017 门类 (section letter) of a 2-digit 大类 (division): 13–43 → C 制造业; NULL when there is no such division';

CREATE FUNCTION parcel_gov.industry_code_problem(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'industry_code_problem'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_problem(text) IS
  'What is wrong with a GB/T 4754 industry code (no section letter, a letter the division is not in, no such division), or NULL when it is right';

CREATE FUNCTION parcel_gov.industry_code_normal(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'industry_code_normal'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_normal(text) IS
  '行业代码 as stored: the section letter added to a bare division, group or class (3311 → C3311), upper case, no spaces; NULL when the code is no GB/T 4754 code';

CREATE FUNCTION parcel_gov.industry_code_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'industry_code_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_check(text) IS
  'Check of enterprise.industry_code: true, or error 23514 saying what is wrong with the GB/T 4754 code';
