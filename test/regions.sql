-- The regions parcel_gov ships: Zhejiang's province, 11 cities and 90
-- county-level divisions (GB/T 2260, 2024), and the county-level codes
-- superseded since 2000 with the month they ended.  They are the national
-- list: read-only for county roles, left out of pg_dump.  A county adds its
-- townships (乡镇街道, 9 digits) under its own county; firms and parcels stay
-- filed under counties.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(38);

-- The list.
SELECT is((SELECT count(*)::int FROM parcel_gov.region WHERE shipped AND level = 'province'), 1, 'one province');
SELECT is((SELECT count(*)::int FROM parcel_gov.region WHERE shipped AND level = 'city' AND valid_to IS NULL), 11,
          '11 cities');
SELECT is((SELECT count(*)::int FROM parcel_gov.region WHERE shipped AND level = 'county' AND valid_to IS NULL), 90,
          '90 current county-level divisions');
SELECT set_eq($$SELECT c.name, count(*)::int FROM parcel_gov.region k JOIN parcel_gov.region c ON c.code = k.parent_code
                WHERE k.shipped AND k.level = 'county' AND k.valid_to IS NULL GROUP BY c.name$$,
              $$VALUES ('杭州市', 13), ('宁波市', 10), ('温州市', 12), ('嘉兴市', 7), ('湖州市', 5), ('绍兴市', 6),
                       ('金华市', 9), ('衢州市', 6), ('舟山市', 4), ('台州市', 9), ('丽水市', 9)$$,
              'each city with its number of counties');
SELECT is_empty($$SELECT code FROM parcel_gov.region
                  WHERE shipped AND valid_to IS NULL AND code <> '330000'
                    AND parent_code IS DISTINCT FROM (CASE WHEN level = 'city' THEN '330000' ELSE left(code, 4) || '00' END)$$,
                'every current city is under the province, every current county under the city its code names');
SELECT results_eq($$SELECT code, name, parent_code, level FROM parcel_gov.region
                    WHERE code IN ('330604', '330122', '330683', '330703', '330383', '331127') ORDER BY code$$,
                  $$VALUES ('330122', '桐庐县', '330100', 'county'), ('330383', '龙港市', '330300', 'county'),
                           ('330604', '上虞区', '330600', 'county'), ('330683', '嵊州市', '330600', 'county'),
                           ('330703', '金东区', '330700', 'county'), ('331127', '景宁畲族自治县', '331100', 'county')$$,
                  'names, parents and levels of a sample of counties');
SELECT results_eq($$SELECT name, parent_code, valid_from, valid_to, superseded_by FROM parcel_gov.region WHERE code = '330682'$$,
                  $$VALUES ('上虞市', '330600', NULL::date, date '2013-10-01', '330604')$$,
                  '上虞市 330682 ended in October 2013, taken over by 上虞区 330604');

-- The superseded codes: each ended on the first of a month, taken over by a current code.
SELECT set_eq($$SELECT code, name, parent_code, valid_to, superseded_by FROM parcel_gov.region WHERE valid_to IS NOT NULL$$,
              $$VALUES ('330181', '萧山市', '330100', date '2001-02-01', '330109'),
                       ('330184', '余杭市', '330100', date '2001-02-01', '330110'),
                       ('330227', '鄞县', '330200', date '2002-02-01', '330212'),
                       ('330721', '金华县', '330700', date '2000-12-01', '330703'),
                       ('330821', '衢县', '330800', date '2001-09-01', '330803'),
                       ('330621', '绍兴县', '330600', date '2013-10-01', '330603'),
                       ('330682', '上虞市', '330600', date '2013-10-01', '330604'),
                       ('330183', '富阳市', '330100', date '2014-12-01', '330111'),
                       ('330322', '洞头县', '330300', date '2015-07-01', '330305'),
                       ('330204', '江东区', '330200', date '2016-09-01', '330212'),
                       ('330283', '奉化市', '330200', date '2016-09-01', '330213'),
                       ('331021', '玉环县', '331000', date '2017-04-01', '331083'),
                       ('330185', '临安市', '330100', date '2017-08-01', '330112'),
                       ('330103', '下城区', '330100', date '2021-03-01', '330105'),
                       ('330104', '江干区', '330100', date '2021-03-01', '330102'),
                       ('332500', '丽水地区', '330000', date '2000-05-01', '331100'),
                       ('332501', '丽水市', '332500', date '2000-05-01', '331102'),
                       ('332502', '龙泉市', '332500', date '2000-05-01', '331181'),
                       ('332522', '青田县', '332500', date '2000-05-01', '331121'),
                       ('332523', '云和县', '332500', date '2000-05-01', '331125'),
                       ('332525', '庆元县', '332500', date '2000-05-01', '331126'),
                       ('332526', '缙云县', '332500', date '2000-05-01', '331122'),
                       ('332527', '遂昌县', '332500', date '2000-05-01', '331123'),
                       ('332528', '松阳县', '332500', date '2000-05-01', '331124'),
                       ('332529', '景宁畲族自治县', '332500', date '2000-05-01', '331127')$$,
              'the 25 codes superseded since 2000, with their parent, end month and successor');
SELECT is_empty($$SELECT r.code, r.superseded_by FROM parcel_gov.region r
                  WHERE r.superseded_by IS NOT NULL
                    AND NOT EXISTS (SELECT FROM parcel_gov.region s WHERE s.code = r.superseded_by AND s.valid_to IS NULL)$$,
                'every superseded_by is a current code');
SELECT is_empty($$SELECT code FROM parcel_gov.region
                  WHERE (valid_to IS NULL) <> (superseded_by IS NULL) OR extract(day FROM valid_to) <> 1$$,
                'a code ends with a successor, on the first day of a month');
SELECT is((SELECT count(*)::int FROM parcel_gov.region WHERE NOT shipped), 0, 'every region there is ships');
SELECT is((SELECT extcondition[array_position(extconfig, 'parcel_gov.region'::regclass)]
           FROM pg_extension WHERE extname = 'parcel_gov'),
          'WHERE NOT shipped', 'pg_dump leaves the shipped regions out (CREATE EXTENSION brings them back)');

-- The error and hint a statement raises, as text.
CREATE FUNCTION pg_temp.refusal(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    hint text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
    RETURN SQLSTATE || ' ' || SQLERRM || ' / ' || hint;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.refusal(text) TO PUBLIC;

-- A county's admin account (a member of parcel_gov_admin granted its
-- county) adds a township of its county, never one under another county,
-- and cannot touch the shipped rows.
CREATE ROLE t_county_admin IN ROLE parcel_gov_admin;
SELECT is(parcel_gov.region_grant('t_county_admin', '330604'), '330604', 'a county admin granted its county');
SET LOCAL ROLE t_county_admin;
SELECT lives_ok($$INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604100', '甲镇', '330604')$$,
                'a county admin adds a township of its county');
SELECT results_eq($$SELECT level, shipped FROM parcel_gov.region WHERE code = '330604100'$$,
                  $$VALUES ('township', false)$$, 'a township, of its own');
SELECT lives_ok($$UPDATE parcel_gov.region SET name = '甲街道', level = 'county' WHERE code = '330604100'$$,
                'and renames it');
SELECT results_eq($$SELECT name, level FROM parcel_gov.region WHERE code = '330604100'$$,
                  $$VALUES ('甲街道', 'township')$$, 'the level stays what the code says');
SELECT throws_ok($$INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604101', '乙镇', '330602')$$,
                 '23514', 'new row for relation "region" violates check constraint "region_township_in_its_county"',
                 'a township under another county than its code names is refused');
SELECT throws_ok($$INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330600101', '丙镇', '330600')$$,
                 '23514', 'new row for relation "region" violates check constraint "region_township_in_its_county"',
                 'and one under a city');
SELECT is(pg_temp.refusal($$UPDATE parcel_gov.region SET name = '上虞市' WHERE code = '330604'$$),
          '42501 region 330604 上虞区 ships with parcel_gov and is read-only / The shipped regions are the national list (GB/T 2260). '
          'Add your townships (9-digit codes under your county) or a new code as rows of your own.',
          'a shipped row cannot be changed, and the hint says what a county may do');
SELECT throws_ok($$DELETE FROM parcel_gov.region WHERE code = '330682'$$, '42501', NULL,
                 'nor deleted (a superseded code either)');
SELECT throws_ok($$INSERT INTO parcel_gov.region (code, name, parent_code, shipped) VALUES ('330604102', '丁镇', '330604', true)$$,
                 '42501', 'region 330604102 cannot be marked shipped', 'a row of its own cannot be marked shipped');
SELECT throws_ok($$UPDATE parcel_gov.region SET shipped = true WHERE code = '330604100'$$,
                 '42501', 'region 330604100 cannot be marked shipped', 'not afterwards either');
SELECT lives_ok($$DELETE FROM parcel_gov.region WHERE code = '330604100'$$, 'its own township it may delete');
RESET ROLE;

-- Operators write no regions; their firms and parcels stay under counties.
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604103', '戊镇', '330604')$$,
                 '42501', 'permission denied for table region', 'an operator adds no region');
RESET ROLE;
INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604100', '甲镇', '330604');
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$INSERT INTO parcel_gov.enterprise (uscc, name, region_code) VALUES ('91330604MA2B00273L', '乡镇企业', '330604100')$$,
                 '23514', 'new row for relation "enterprise" violates check constraint "enterprise_region_6_digits"',
                 'a firm is filed under its county, not a township');
SELECT throws_ok($$INSERT INTO parcel_gov.parcel (code, region_code, geom)
                   VALUES ('330604100001GB00001', '330604100', ST_Multi(ST_MakeEnvelope(120.9, 29.9, 120.901, 29.901, 4490)))$$,
                 '23514', 'parcel code 330604100001GB00001 does not name region 330604100',
                 'and so is a parcel (the first six digits of its code are its region)');
-- A 宗地代码 of the county's old code (上虞市 330682) is the county's: its
-- code took over; one of 绍兴县 (330621, now 柯桥区) is not.
SELECT lives_ok($$INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
                  VALUES ('330682001001GB00007', '330604', '91330604MA2B00078Q',
                          ST_Multi(ST_MakeEnvelope(120.9, 29.9, 120.901, 29.901, 4490)))$$,
                'a parcel whose 宗地代码 starts with 330682 is filed under 330604');
SELECT throws_ok($$INSERT INTO parcel_gov.parcel (code, region_code, geom)
                   VALUES ('330621001001GB00007', '330604', ST_Multi(ST_MakeEnvelope(120.91, 29.9, 120.911, 29.901, 4490)))$$,
                 '23514', 'parcel code 330621001001GB00007 does not name region 330604', 'one of 绍兴县 330621 is not');
RESET ROLE;

-- The level is the code's even where triggers do not fire (replication,
-- replica mode): a wrong one is refused by the check.
SET LOCAL session_replication_role = replica;
SELECT throws_ok($$INSERT INTO parcel_gov.region (code, name, parent_code, level) VALUES ('330604104', '己镇', '330604', 'county')$$,
                 '23514', 'new row for relation "region" violates check constraint "region_level_of_code"',
                 'a township given another level is refused where the trigger does not fire');
RESET session_replication_role;

-- The superuser (the extension's scripts, a restore) may change a shipped row.
SELECT lives_ok($$UPDATE parcel_gov.region SET name = '上虞区' WHERE code = '330604'$$,
                'the superuser may write a shipped row');
SELECT is((SELECT count(*)::int FROM parcel_gov.region WHERE NOT shipped), 1, 'one township of the county''s own');

-- A superuser's restore (row_security off) of a dump taken before 1.7.0,
-- holding the regions the county entered itself: a row of a shipped code
-- gives way to the shipped row.  Anywhere else it is a duplicate.
SET LOCAL row_security = off;
SELECT lives_ok($$INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604', '上虞', NULL)$$,
                'a restored region of a shipped code is passed over');
SELECT results_eq($$SELECT name, parent_code, shipped FROM parcel_gov.region WHERE code = '330604'$$,
                  $$VALUES ('上虞区', '330600', true)$$, 'the shipped row stays');
SET LOCAL ROLE t_county_admin;
SELECT throws_ok($$INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604', '上虞', NULL)$$,
                 '23505', NULL, 'not for a county role, row_security off or not');
RESET ROLE;
RESET row_security;
SELECT throws_ok($$INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604', '上虞', NULL)$$,
                 '23505', NULL, 'nor for the superuser outside a restore');

-- Grants of regions and evaluate() take 6-digit codes and prefixes only.
SELECT throws_ok($$SELECT parcel_gov.region_grant('t_reader_shangyu', '330604100')$$, '22023', NULL,
                 'a township cannot be granted: grants are by county, city or province');
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024, '330604100')$$, '22023', NULL,
                 'nor evaluated: firms are evaluated by county');

SELECT * FROM finish();
ROLLBACK;
