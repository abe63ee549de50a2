-- parcel_gov_reader (README: Roles): reads the tables and views of its granted
-- regions only, a city grant covering its counties; writes nothing.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(11);

SET LOCAL ROLE t_reader_shangyu;
SELECT is(pg_temp.counties_seen(),
          'parcel:330604 enterprise:330604 figures:91330604 evaluation:330604 summary:330604 register:330604 history:330604 v_parcel_efficiency:330604 v_enterprise_evaluation:330604 v_register:330604 geojson:1',
          'a county reader sees its county in every table and view, and in the maps');
SELECT is((SELECT count(*)::int FROM parcel_gov.parcel WHERE region_code = '331003'), 0,
          'not another county''s parcels, even by asking for them');
SELECT throws_ok($$INSERT INTO parcel_gov.parcel (code, region_code, geom)
                   VALUES ('330604001001GB00009', '330604', 'SRID=4490;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')$$,
                 '42501', NULL, 'a reader cannot add parcels');
SELECT throws_ok($$UPDATE parcel_gov.enterprise_year SET tax = 0$$, '42501', NULL, 'nor change figures');
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024, '330604')$$, '42501', NULL, 'nor evaluate');
SELECT throws_ok($$SELECT parcel_gov.transition('330604001001GB00001', 'confirmed', 'x')$$, '42501', NULL,
                 'nor move the register');
SELECT throws_ok($$UPDATE parcel_gov.register SET route = 'transfer'$$, '42501', NULL,
                 'nor set a disposal route (处置路径)');
SELECT throws_ok($$INSERT INTO parcel_gov.issue (parcel_code, department, description, found)
                   VALUES ('330604001001GB00001', 'fire', 'x', '2024-01-10')$$, '42501', NULL,
                 'nor list an issue (问题清单)');
SELECT throws_ok($$SELECT parcel_gov.region_grant('t_reader_shangyu', '33')$$, '42501', NULL,
                 'nor grant itself more regions');
RESET ROLE;

SET LOCAL ROLE t_reader_shaoxing;
SELECT is(pg_temp.counties_seen(),
          'parcel:330602,330604 enterprise:330602,330604 figures:91330602,91330604 evaluation:330602,330604 summary:330602,330604 register:330602,330604 history:330602,330604 v_parcel_efficiency:330602,330604 v_enterprise_evaluation:330602,330604 v_register:330602,330604 geojson:2',
          'a city grant (330600) covers both its counties and nothing of 台州');
RESET ROLE;

SELECT is(pg_temp.counties_seen(),
          'parcel:330602,330604,331003 enterprise:330602,330604,331003 figures:91330602,91330604,91331003 evaluation:330602,330604,331003 summary:330602,330604,331003 register:330602,330604,331003 history:330602,330604,331003 v_parcel_efficiency:330602,330604,331003 v_enterprise_evaluation:330602,330604,331003 v_register:330602,330604,331003 geojson:3',
          'the owner sees all three counties');

SELECT * FROM finish();
ROLLBACK;
