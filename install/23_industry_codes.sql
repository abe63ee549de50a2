-- 国民经济行业代码 (GB/T 4754-2017): a section letter A–T, alone or with the 2-digit
-- division (大类), 3-digit group (中类) or 4-digit class (小类), e.g. C3311.
-- The bureaus' files mostly drop the letter (3311); the division names it.

CREATE FUNCTION parcel_gov.gbt4754_section(division integer)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN division BETWEEN 1 AND 5 THEN 'A'   WHEN division BETWEEN 6 AND 12 THEN 'B'
    WHEN division BETWEEN 13 AND 43 THEN 'C' WHEN division BETWEEN 44 AND 46 THEN 'D'
    WHEN division BETWEEN 47 AND 50 THEN 'E' WHEN division BETWEEN 51 AND 52 THEN 'F'
    WHEN division BETWEEN 53 AND 60 THEN 'G' WHEN division BETWEEN 61 AND 62 THEN 'H'
    WHEN division BETWEEN 63 AND 65 THEN 'I' WHEN division BETWEEN 66 AND 69 THEN 'J'
    WHEN division = 70 THEN 'K'              WHEN division BETWEEN 71 AND 72 THEN 'L'
    WHEN division BETWEEN 73 AND 75 THEN 'M' WHEN division BETWEEN 76 AND 79 THEN 'N'
    WHEN division BETWEEN 80 AND 82 THEN 'O' WHEN division = 83 THEN 'P'
    WHEN division BETWEEN 84 AND 85 THEN 'Q' WHEN division BETWEEN 86 AND 90 THEN 'R'
    WHEN division BETWEEN 91 AND 96 THEN 'S' WHEN division = 97 THEN 'T' END;
COMMENT ON FUNCTION parcel_gov.gbt4754_section(integer) IS
  'GB/T 4754-2017 门类 (section letter) of a 2-digit 大类 (division): 13–43 → C 制造业; NULL when there is no such division';

-- What is wrong with an industry code as stored, or NULL when it is right.
CREATE FUNCTION parcel_gov.industry_code_problem(code text)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN code ~ '^[0-9]{2}([0-9]{1,2})?$'
      THEN pg_catalog.format('has no section letter (%s%s)',
                             coalesce(parcel_gov.gbt4754_section(left(code, 2)::integer), '?'), code)
    WHEN code !~ '^[A-T]([0-9]{2}([0-9]{1,2})?)?$'
      THEN 'is not a section letter A–T with 2, 3 or 4 digits'
    WHEN length(code) = 1 THEN NULL
    WHEN parcel_gov.gbt4754_section(substr(code, 2, 2)::integer) IS NULL
      THEN pg_catalog.format('names no division %s', substr(code, 2, 2))
    WHEN parcel_gov.gbt4754_section(substr(code, 2, 2)::integer) <> left(code, 1)
      THEN pg_catalog.format('division %s is in section %s, not %s', substr(code, 2, 2),
                             parcel_gov.gbt4754_section(substr(code, 2, 2)::integer), left(code, 1))
    END;
COMMENT ON FUNCTION parcel_gov.industry_code_problem(text) IS
  'What is wrong with a GB/T 4754 industry code (no section letter, a letter the division is not in, no such division), or NULL when it is right';

-- The code as stored from what a file gives: C3311, 3311, 331, 33, with
-- spaces or a lower-case letter; NULL when it cannot be read as one.
CREATE FUNCTION parcel_gov.industry_code_normal(code text)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT CASE WHEN c.c ~ '^[0-9]{2}([0-9]{1,2})?$'
                     AND parcel_gov.gbt4754_section(left(c.c, 2)::integer) IS NOT NULL
                    THEN parcel_gov.gbt4754_section(left(c.c, 2)::integer) || c.c
                    WHEN parcel_gov.industry_code_problem(c.c) IS NULL THEN c.c END
        FROM (SELECT upper(regexp_replace(code, '\s', '', 'g')) AS c) AS c);
COMMENT ON FUNCTION parcel_gov.industry_code_normal(text) IS
  '行业代码 as stored: the section letter added to a bare division, group or class (3311 → C3311), upper case, no spaces; NULL when the code is no GB/T 4754 code';

-- The check of enterprise.industry_code: true, or an error saying what is
-- wrong and how to mend it.
CREATE FUNCTION parcel_gov.industry_code_check(code text)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    problem constant text := parcel_gov.industry_code_problem(code);
BEGIN
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'industry code "%": %', code, problem USING ERRCODE = '23514',
            HINT = 'A GB/T 4754 code is its section letter and the 2-digit division, 3-digit group or 4-digit class, e.g. C3311; parcel_gov.industry_code_normal(''3311'') gives C3311.';
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION parcel_gov.industry_code_check(text) IS
  'Check of enterprise.industry_code: true, or error 23514 saying what is wrong with the GB/T 4754 code';
