-- parcel_gov 1.6.0 → 1.7.0: onboarding (a county's own data in one
-- afternoon).  A delta written by hand.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.7.0'" to load this file. \quit

-- Early codes: a 统一社会信用代码 whose check character alone fails is a
-- real firm's code; the domain (its check is in the library) stores it.
CREATE FUNCTION parcel_gov.uscc_early(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_early'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_early(text) IS
  'true for an early 统一社会信用代码: well formed, only its check character fails; stored, and listed in v_uscc_early to be confirmed';
COMMENT ON FUNCTION parcel_gov.uscc_check(text) IS
  'Check of the domain parcel_gov.uscc: true for a valid or an early code, or error 23514 saying what is wrong';
COMMENT ON DOMAIN parcel_gov.uscc IS
  '统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters of its alphabet, authority, type and division checked; a code whose check character alone fails (an early code) is stored and listed in v_uscc_early';
