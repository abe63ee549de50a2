-- 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714).
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

-- Hand computation for 913702816143139252: values 9,1,3,7,0,2,8,1,6,1,4,3,1,3,9,2,5
-- × weights 3^(i-1) mod 31 = 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
-- sum 1083; 1083 mod 31 = 29; 31 - 29 = 2 → check '2'.
SELECT uscc_valid('913702816143139252') AS valid, uscc_problem('913702816143139252') AS problem;
-- Check letter 'R' (value 24): 91370200797522673R.
SELECT uscc_valid('91370200797522673R') AS valid;
-- Zhejiang (Shangyu, 330604) codes: an enterprise (91) and an individual business (92).
SELECT uscc_valid('9133060452601815X5') AS firm, uscc_valid('92330604MA2BXQ4L9T') AS individual;
-- Each fault, reported without raising.
SELECT code, uscc_valid(code) AS valid, uscc_problem(code) AS problem
FROM (VALUES
  ('913702816143139253'),   -- wrong check character
  ('91350100M0001TGQXM'),   -- a real Fujian pilot code that fails the check
  ('91370281614313925'),    -- 17 characters
  ('9137028161431392520'),  -- 19 characters
  (''),
  ('913702816143139z52'),   -- lower case
  ('91370281614313I252'),   -- I is not in the character set
  ('B13702816143139252'),   -- no such registration authority
  ('943702816143139252'),   -- type 4 is not defined under authority 9
  ('Y23702816143139252'),   -- authority Y has only type 1
  ('9137A2816143139252'),   -- division code must be digits
  ('91370281614313925２')    -- full-width digit
) AS t(code);
-- Over-long input is simply invalid.
SELECT uscc_valid(repeat('9', 100000)) AS valid, uscc_problem(repeat('9', 100000)) AS problem;
SELECT uscc_valid(NULL) IS NULL AS null_valid, uscc_problem(NULL) IS NULL AS null_problem;

-- The domain accepts valid codes, early codes (only the check character
-- fails: real firms' codes from the first years of GB 32100) and NULL, and
-- says what is wrong otherwise (23514).
SELECT uscc_early('913702816143139253') AS early, uscc_early('913702816143139252') AS valid_is_not_early,
       uscc_early('913702816143139z52') AS lower_case_is_not_early, uscc_early('91370281614313925') AS short_is_not_early;
SELECT '913702816143139252'::uscc AS code, NULL::uscc IS NULL AS null_ok;
SELECT '913702816143139253'::uscc;
SELECT '913702816143139z52'::uscc;
SELECT repeat('9', 50)::uscc;
CREATE TEMP TABLE firm (uscc parcel_gov.uscc PRIMARY KEY);
INSERT INTO firm VALUES ('91370200797522673R');
INSERT INTO firm VALUES ('91370200797522673X');
SELECT * FROM firm;

-- GB 11714 organisation code, positions 9-17 of a USCC.
-- 61431392 × 3,7,9,10,5,8,4,2 = 18+7+36+30+5+24+36+4 = 160; 160 mod 11 = 6; 11 - 6 = 5 → '5'.
SELECT org_code_valid('614313925') AS "true", org_code_valid('797522673') AS "true",
       org_code_valid('M0001TGQX') AS "true", org_code_valid('614313926') AS "false",
       org_code_valid('61431392') AS "false", org_code_valid('6143139_5') AS "false";
