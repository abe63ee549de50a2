-- What 1.11.0 adds, tried by each role beyond its reach: the new preset
-- shangyu_2022 is read-only in every table of its rules (rule_issue too, which
-- no trigger guarded: pg_dump leaves built-in rows out, so a change would be
-- lost); the new functions read under the caller's row-level security (none
-- runs as the owner); and an operator's quarterly import cannot reach another
-- county's firm.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(18);

SET LOCAL ROLE t_admin;
SELECT throws_ok($$UPDATE parcel_gov.rule_issue SET blocks_exit = false WHERE rule_set_id = 'shangyu_2022'$$,
                 '42501', NULL, 'the admin cannot change the 上虞 2022 preset''s issue rules');
SELECT throws_ok($$DELETE FROM parcel_gov.rule_issue WHERE rule_set_id = 'shangyu_2022'$$,
                 '42501', NULL, 'nor delete them');
SELECT throws_ok($$INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit)
                   VALUES ('shangyu_2022', 'environment', false) ON CONFLICT DO NOTHING$$,
                 '42501', NULL, 'nor add to them');
SELECT throws_ok($$UPDATE parcel_gov.rule_pool SET land_floor_sections = '{A}'
                   WHERE rule_set_id = 'shangyu_2022'$$,
                 '42501', NULL, 'nor the preset''s new pool columns');
SELECT throws_ok($$UPDATE parcel_gov.rule_set SET tax_tier_bounds = '{1,2,3}', firm_scope = 'in_park'
                   WHERE id = 'shangyu_2022'$$,
                 '42501', NULL, 'nor its new rule set columns');
SELECT lives_ok($$SELECT parcel_gov.rule_set_adopt('shangyu_2022', 'shangyu_own', '330604', 2024)$$,
                'but adopts it');
SELECT lives_ok($$UPDATE parcel_gov.rule_issue SET blocks_exit = false WHERE rule_set_id = 'shangyu_own'$$,
                'and changes its copy''s issue rules');
RESET ROLE;
SELECT is((SELECT string_agg(department::text || ':' || blocks_exit, ',' ORDER BY department)
           FROM parcel_gov.rule_issue WHERE rule_set_id = 'shangyu_2022'),
          (SELECT string_agg(department::text || ':' || blocks_exit, ',' ORDER BY department)
           FROM parcel_gov.rule_issue WHERE rule_set_id = 'default'),
          'the preset''s issue rules are still the default''s');

-- The new read functions run as their caller: another county's parcel has
-- no 亩均税收 for 上虞's reader, though it has one for the superuser.
SELECT isnt(parcel_gov.parcel_tax_per_mu('330602001001GB00001', 2024), NULL,
            '越城''s parcel has a 亩均税收 (the superuser)');
SELECT is(parcel_gov.holder_persistent_low('91330602MA2B00844R', 2024, 0, 1e9), NULL,
          'and 越城''s firm, on a line no one reaches, is undecided for lack of 2022 and 2023 (the superuser)');
SET LOCAL ROLE t_reader_shangyu;
SELECT is(parcel_gov.parcel_tax_per_mu('330602001001GB00001', 2024), NULL,
          'parcel_tax_per_mu does not show 上虞''s reader 越城''s parcel');
SELECT is(parcel_gov.holder_persistent_low('91330602MA2B00844R', 2024, 0, 1e9), false,
          'holder_persistent_low finds no land of 越城''s firm for 上虞''s reader');
SELECT is(parcel_gov.notice_multi_year_undecided(2024, ''), 1,
          'notice_multi_year_undecided counts (and names) the reader''s own firm only');
RESET ROLE;

-- The operator's quarterly import, with a row naming another county's firm.
SET LOCAL ROLE t_operator_shangyu;
CREATE TEMP TABLE periods (统一社会信用代码 text, 规模 text, "税收(元)" text, 月份 text);
INSERT INTO periods VALUES ('91330602MA2B00844R', '规下', '100', '6'), ('91330604MA2B00078Q', '规下', '100', '6');
SELECT is((SELECT string_agg(uscc || ':' || outcome, ',' ORDER BY source_row)
           FROM parcel_gov.import_enterprise_periods('periods', 2024, '330604') WHERE source_row IS NOT NULL),
          '91330602MA2B00844R:rejected,91330604MA2B00078Q:imported',
          'the operator''s import rejects the row of 越城''s firm');
RESET ROLE;
SELECT is((SELECT string_agg(uscc, ',' ORDER BY uscc) FROM parcel_gov.enterprise_period WHERE month = 6),
          '91330604MA2B00078Q', 'and only 上虞''s firm has figures to June');

-- Nor can the operator move its figures onto, or delete, another county's.
INSERT INTO parcel_gov.enterprise_period (uscc, year, month, size_class, tax)
SELECT uscc, 2024, 3, 'below', 20 FROM county;
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$UPDATE parcel_gov.enterprise_period SET uscc = '91330602MA2B00844R' WHERE month = 6$$,
                 '42501', NULL, 'the operator cannot pass its firm''s figures off as 越城''s firm''s');
WITH gone AS (DELETE FROM parcel_gov.enterprise_period WHERE month = 3 RETURNING uscc)
SELECT is(string_agg(uscc, ','), '91330604MA2B00078Q', 'its DELETE of every March figure removes its own firm''s only')
FROM gone;
RESET ROLE;
SELECT is((SELECT string_agg(left(uscc, 8), ',' ORDER BY uscc) FROM parcel_gov.enterprise_period WHERE month = 3),
          '91330602,91331003', 'the other counties'' March figures are still there');

SELECT * FROM finish();
ROLLBACK;
