-- 一企一策 as each county role sees it: v_firm_plan and firm_plan() show a
-- county's own firms only (a city grant its counties'); another county's
-- firm is as absent as one that does not exist; no role writes the view.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(9);

-- Two more firms in each county on parcels of the same size, paying 50 and
-- 25 against the first one's 100: a pool of three, A ≤ 1, B ≤ 2, C ≤ 3.
\o /dev/null
CREATE TEMP TABLE more_firms (code text, uscc text, k int, tax float8);
INSERT INTO more_firms VALUES ('330604', '91330604MA2B00099X', 2, 50), ('330602', '91330602MA2B000991', 2, 50),
                              ('331003', '91331003MA2B00099W', 2, 50), ('330604', '91330604MA2B00098T', 3, 25),
                              ('330602', '91330602MA2B00098X', 3, 25), ('331003', '91331003MA2B00098R', 3, 25);
INSERT INTO parcel_gov.enterprise (uscc, name, region_code) SELECT uscc, code || ' 企业' || k, code FROM more_firms;
INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
SELECT m.code || '001001GB0000' || m.k, m.code, m.uscc,
       ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * c.n + 0.1 * m.k, 29.8, 120.8025 + 0.01 * c.n + 0.1 * m.k, 29.8025, 4490))
FROM more_firms m JOIN county c USING (code);
INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue)
SELECT uscc, 2024, 'below', tax, 5 * tax, 20 * tax FROM more_firms;
SELECT parcel_gov.evaluate(2024);
\o
SELECT is((SELECT string_agg(region_code || ':' || grade || '→' || next_grade, ' ' ORDER BY region_code, grade)
           FROM parcel_gov.v_firm_plan), '330602:B→A 330602:C→B 330604:B→A 330604:C→B 331003:B→A 331003:C→B',
          'the owner sees two plans in each county: B can reach A, C can reach B');

SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT string_agg(DISTINCT region_code, ',') FROM parcel_gov.v_firm_plan), '330604',
          'a county reader sees its own county''s plans only');
SELECT is((SELECT count(*)::int FROM parcel_gov.firm_plan('91330604MA2B00099X', 2024) WHERE section = 'lever'), 4,
          'and its firm''s page: three levers and the sentence joining them');
SELECT throws_ok($$SELECT * FROM parcel_gov.firm_plan('91330602MA2B000991', 2024)$$, '22023',
                 'no evaluation of firm 91330602MA2B000991 in 2024',
                 'another county''s firm is not found');
SELECT throws_ok($$SELECT * FROM parcel_gov.firm_plan('91330602MA2B00099X', 2024)$$, '22023',
                 'no evaluation of firm 91330602MA2B00099X in 2024',
                 'as a firm that does not exist is not');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM (VALUES ('t_reader_shangyu'), ('t_analyst_shangyu'), ('t_operator_shangyu'), ('t_admin')) AS r (role)
           CROSS JOIN unnest('{INSERT,UPDATE,DELETE}'::text[]) AS p (privilege)
           WHERE has_table_privilege(r.role, 'parcel_gov.v_firm_plan', p.privilege)), 0,
          'no county role, nor the admin, may write the view');

SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.v_firm_plan), '330602,330604',
          'a city grant covers its two counties and nothing of 台州');
RESET ROLE;

SET LOCAL ROLE t_analyst_shangyu;
SELECT is((SELECT abs(value - 50) < 1e-4 AND sentence = format('再缴税 %s 万元，可升至 A 类（优先发展）。', parcel_gov.plan_amount(value))
           FROM parcel_gov.firm_plan('91330604MA2B00099X', 2024) WHERE item = 'tax'), true,
          'the analyst reads the tax lever: about 50 万元 more puts it level with the A firm (parcels of one size)');
RESET ROLE;

SET LOCAL ROLE t_admin;
SELECT is((SELECT count(DISTINCT region_code)::int FROM parcel_gov.v_firm_plan), 3, 'the province''s admin sees all three counties');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
