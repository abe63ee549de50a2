-- import_enterprise_years() as the county roles use it: who may call it for
-- which region, what each row's outcome is, what is stored (converted into
-- the stored units, columns the sheet lacks kept), and the plausibility
-- limits on the figures, when written and when land is linked to a firm.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(29);

-- The sheet: a table of the bureau's headers, the operator's own.
SET LOCAL ROLE t_operator_shangyu;
CREATE TEMP TABLE sheet (序号 text, 统一社会信用代码 text, 企业名称 text, 规模 text, 年度 text,
                         "税收(万元)" text, "从业人员(人)" text, 加分 text) ON COMMIT DROP;
INSERT INTO sheet VALUES
  ('1', '91330604MA2B00078Q', '330604 测试有限公司(改名)', '规下', '2024', '200', '12', NULL),  -- stored firm: name kept, flagged
  ('2', '91330602MA2B00844R', '越城的企业', '规上', '2024', '10', '5', NULL),                   -- another county's firm
  ('3', '91330604MA2B0014XC', '新企业甲', '规上', '2024年', '10', '5', NULL),                  -- the year given is not 2024
  ('4', '91330604MA2B00151N', '新企业乙', '规上', '2024', '10', '-3', NULL),                   -- negative staff
  ('5', '91330604MA2B00160L', '新企业丙', '规上', '2024', '10', '5', NULL),                    -- twice, differing
  ('6', '91330604MA2B00160L', '新企业丙', '规上', '2024', '11', '5', NULL),
  ('7', '91330604MA2B00179H', '新企业丁', '规上', '2024', '5000', '5', NULL),                  -- no land yet: stored
  ('8', '91330604MA2B00187C', '新企业戊', '规下', '2024', '1', '2', ''),                       -- empty 加分: 0
  ('9', NULL, '无代码甲', '规下', '2024', '1', '1', NULL),                                      -- no code, twice: not "the same firm"
  ('10', '', '无代码乙', '规下', '2024', '1', '1', NULL),
  ('11', '91330604MA2B00078X', '330604 测试有限公司', '规下', '2024', '1', '1', NULL);          -- the stored firm's code mistyped
RESET ROLE;

-- Who may import where.
SET LOCAL ROLE t_reader_shangyu;
SELECT throws_ok($$SELECT * FROM parcel_gov.import_enterprise_years('sheet', 2024, '330604')$$, '42501',
                 'permission denied for function import_enterprise_years', 'a reader cannot import');
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$SELECT * FROM parcel_gov.import_enterprise_years('sheet', 2024, '330602')$$, '42501',
                 'import_enterprise_years: region 330602 is not granted to t_operator_shangyu',
                 'an operator cannot import into another county');
SELECT throws_ok($$SELECT * FROM parcel_gov.import_enterprise_years('sheet', 2024, '33')$$, '42501', NULL,
                 'nor into the province');
RESET ROLE;
SET LOCAL ROLE t_admin;
SELECT throws_ok($$SELECT * FROM parcel_gov.import_enterprise_years('sheet', 2024, '330600')$$, '22023',
                 'region "330600" is not a current county', 'firms are filed under a county, not a city');
SELECT throws_ok($$SELECT * FROM parcel_gov.import_enterprise_years('sheet', 2024, '330682')$$, '22023',
                 'region "330682" is not a current county', 'nor under a superseded code');
RESET ROLE;

-- Each row's outcome, as the county's operator.
SET LOCAL ROLE t_operator_shangyu;
CREATE TEMP TABLE report ON COMMIT DROP AS
SELECT * FROM parcel_gov.import_enterprise_years('sheet', 2024, '330604');
SELECT is((SELECT reason FROM report WHERE source_row IS NULL), 'column "序号" is not a header this import knows: ignored',
          'an unknown header is named and ignored');
SELECT is((SELECT outcome || ': ' || reason FROM report WHERE source_row = 1),
          'flagged: 企业名称 "330604 测试有限公司(改名)" differs from the stored "330604 测试有限公司": the stored name is kept',
          'a stored firm keeps its name, and the sheet''s is reported');
SELECT is((SELECT outcome || ': ' || reason FROM report WHERE source_row = 2),
          'rejected: firm 91330602MA2B00844R not found or not permitted: a firm of another county, whose county imports its figures',
          'another county''s firm is not found or not permitted');
SELECT is((SELECT outcome || ': ' || reason FROM report WHERE source_row = 3), 'rejected: 年度 "2024年" is not 2024',
          'a row whose year is not the year given is refused, its cell shown');
SELECT is((SELECT outcome || ': ' || reason FROM report WHERE source_row = 4), 'rejected: 从业人员(人) -3 is negative',
          'a negative count is refused');
SELECT is((SELECT string_agg(outcome || ': ' || reason, ' | ' ORDER BY source_row) FROM report WHERE source_row IN (5, 6)),
          'rejected: rows 5, 6 give different figures for the same firm: none imported | rejected: rows 5, 6 give different figures for the same firm: none imported',
          'a firm given twice with different figures goes in neither time');
SELECT is((SELECT string_agg(source_row || ' ' || outcome, ', ' ORDER BY source_row) FROM report WHERE source_row IN (7, 8)),
          '7 imported, 8 imported', 'new firms are imported');
SELECT is((SELECT string_agg(source_row || ' ' || outcome || ': ' || reason, ' | ' ORDER BY source_row) FROM report WHERE source_row IN (9, 10)),
          '9 rejected: no 统一社会信用代码 | 10 rejected: no 统一社会信用代码', 'rows without a code are each refused, not taken for copies');
SELECT is((SELECT outcome || ': ' || reason FROM report WHERE source_row = 11),
          'rejected: 统一社会信用代码 91330604MA2B00078X fails its check character and differs from 91330604MA2B00078Q (330604 测试有限公司) only in it: a typing mistake? give the code as stored',
          'an early code one character off a stored firm''s is taken for a typing mistake, not a new firm');
RESET ROLE;
-- What is stored: the stored firm's tax and staff from the sheet, its revenue
-- (not in the sheet) kept; new firms under the county; 加分 empty → 0.
SELECT is((SELECT format('%s %s %s %s', tax, staff, revenue, size_class) FROM parcel_gov.enterprise_year
           WHERE uscc = '91330604MA2B00078Q' AND year = 2024), '200 12 2000 below',
          'the sheet''s columns are written, the others kept');
SELECT is((SELECT string_agg(format('%s %s %s', e.name, e.region_code, y.bonus), ' | ' ORDER BY e.uscc)
           FROM parcel_gov.enterprise e JOIN parcel_gov.enterprise_year y USING (uscc)
           WHERE e.uscc IN ('91330604MA2B00179H', '91330604MA2B00187C')),
          '新企业丁 330604 0 | 新企业戊 330604 0', 'new firms are filed under the county');
SELECT is((SELECT count(*)::int FROM parcel_gov.enterprise
           WHERE uscc IN ('91330604MA2B0014XC', '91330604MA2B00151N', '91330604MA2B00160L')), 0,
          'a rejected row creates no firm');
SELECT is((SELECT name FROM parcel_gov.enterprise WHERE uscc = '91330602MA2B00844R'), '330602 测试有限公司',
          'another county''s firm is untouched');

-- The limits.  新企业丁 pays 5000 万元 with no land yet; linking a parcel of
-- about 1 mu would give about 5000 万元/亩: refused, the firm named.
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_like($$INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
                     VALUES ('330604001001GB00099', '330604', '91330604MA2B00179H',
                             ST_Multi(ST_MakeEnvelope(120.9, 29.9, 120.90027, 29.90024, 4490)))$$,
                   'firm 91330604MA2B00179H in 2024: 亩均税收 (tax per mu) is %万元/亩 (5000 万元 on 1.0% mu), beyond the limit of 1000 万元/亩 of rule set default',
                   'land linked to a firm checks its figures');
-- The stored firm holds about 100 mu: 1,000,000 "万元" (tax in 元) is about
-- 10,000 万元/亩: rejected, then confirmed as it is when the caller says so.
CREATE TEMP TABLE wrong (统一社会信用代码 text, 规模 text, "税收(万元)" text) ON COMMIT DROP;  -- the operator's
INSERT INTO wrong VALUES ('91330604MA2B00078Q', '规下', '1,000,000');
SELECT matches((SELECT outcome || ': ' || reason FROM parcel_gov.import_enterprise_years('wrong', 2024, '330604')),
               '^rejected: 税收\(万元\) read as 1000000 万元 gives 亩均税收 99[0-9]{2}\.[0-9]{2} 万元/亩 on 10[0-9]\.[0-9]{2} mu, beyond the limit of 1000 \(rule set default\); if the figures are right as they are, import again with accept_implausible => true$',
               'a tax in 元 under a 万元 header is rejected, naming the figure, the unit and the per-mu value');
SELECT is((SELECT tax FROM parcel_gov.enterprise_year WHERE uscc = '91330604MA2B00078Q' AND year = 2024), 200::float8,
          'and not stored');
SELECT is((SELECT outcome FROM parcel_gov.import_enterprise_years('wrong', 2024, '330604', accept_implausible => true)),
          'flagged', 'accepted as it is on request, flagged');
SELECT is((SELECT format('%s %s', tax, figures_confirmed) FROM parcel_gov.enterprise_year
           WHERE uscc = '91330604MA2B00078Q' AND year = 2024), '1000000 t', 'stored as confirmed');
SELECT lives_ok($$UPDATE parcel_gov.enterprise_year SET staff = 13 WHERE uscc = '91330604MA2B00078Q' AND year = 2024$$,
                'confirmed figures are not checked again');
SELECT throws_ok($$UPDATE parcel_gov.enterprise_year SET figures_confirmed = false
                   WHERE uscc = '91330604MA2B00078Q' AND year = 2024$$, '23514', NULL,
                 'taking the confirmation back checks them');

-- A second bureau's sheet of the same year: its columns go in, the others
-- stay, and the confirmed tax (unchanged) keeps its confirmation.  An empty
-- cell never clears a stored figure; it is reported.
CREATE TEMP TABLE stats (ogc_fid integer, 统一社会信用代码 text, 规模 text, "营业收入(万元)" text, "从业人员(人)" text, fid text) ON COMMIT DROP;
INSERT INTO stats VALUES (7, '91330604MA2B00078Q', '规下', '2500', '', 'x');
SELECT is((SELECT string_agg(coalesce(source_row::text, '-') || ' ' || outcome || ': ' || reason, ' | ' ORDER BY source_row NULLS FIRST)
           FROM parcel_gov.import_enterprise_years('stats', 2024, '330604')),
          '- ignored: column "fid" is not a header this import knows: ignored | 7 flagged: 从业人员(人) is empty: the stored 13 is kept',
          'the row is ogr2ogr''s feature number; an empty cell keeps the stored figure, and says so');
SELECT is((SELECT format('%s %s %s %s', tax, revenue, staff, figures_confirmed) FROM parcel_gov.enterprise_year
           WHERE uscc = '91330604MA2B00078Q' AND year = 2024), '1000000 2500 13 t',
          'a second sheet adds its figures to the confirmed ones');

-- Only a plain table of the caller's own: reading another role's table runs
-- its owner's code (policies, casts) with the reader's rights.
RESET ROLE;
CREATE TABLE public.their_sheet (统一社会信用代码 text, 规模 text);
GRANT SELECT ON public.their_sheet TO PUBLIC;
CREATE VIEW public.their_view AS SELECT * FROM public.their_sheet;
GRANT SELECT ON public.their_view TO PUBLIC;
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$SELECT * FROM parcel_gov.import_enterprise_years('public.their_sheet', 2024, '330604')$$, '42501', NULL,
                 'another role''s table is refused');
SELECT throws_ok($$SELECT * FROM parcel_gov.import_enterprise_years('public.their_view', 2024, '330604')$$, '42809', NULL,
                 'so is a view');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
