-- The plausibility limits on a firm's figures follow its land as the
-- evaluation counts it (held − leased out + leased in, leases in force that
-- year): checked when figures are written and, for every year of the firms
-- concerned, when a parcel or a lease is written, moved or deleted; a
-- confirmation holds for the figures it was given to.  The default limit is
-- 1000 万元/亩.  上虞's firm 91330604MA2B00078Q holds one parcel of about
-- 100 mu (three_counties).
BEGIN;
\ir setup/three_counties.sql
SELECT plan(13);
SET LOCAL client_min_messages = warning;
INSERT INTO parcel_gov.enterprise (uscc, name, region_code) VALUES
  ('91330604MA2B0014XC', '承租企业', '330604'), ('91330604MA2B00151N', '新企业', '330604');
SELECT is((SELECT round(area_mu) FROM parcel_gov.parcel WHERE code = '330604001001GB00001'), 100::float8,
          'the parcel is about 100 mu');

-- Leased in: a firm with no land pays 500,000 万元; leasing it 55 mu would
-- give about 9,091 万元/亩.
INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax) VALUES ('91330604MA2B0014XC', 2024, 'below', 500000);
SELECT throws_like($$INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
                     VALUES ('330604001001GB00001', '91330604MA2B0014XC', 55, '[2024-01-01,2025-01-01)')$$,
                   'firm 91330604MA2B0014XC in 2024: 亩均税收 (tax per mu) is 9090.91 万元/亩 (500000 万元 on 55.00 mu)%',
                   'land leased in counts: the lessee''s figures are checked');
UPDATE parcel_gov.enterprise_year SET tax = 5 WHERE uscc = '91330604MA2B0014XC';
-- Leased out: the holder pays 90,000 万元 on 100 mu (about 900); leasing out
-- 55 mu leaves about 45 mu, about 1,980 万元/亩.
UPDATE parcel_gov.enterprise_year SET tax = 90000 WHERE uscc = '91330604MA2B00078Q' AND year = 2024;
SELECT throws_like($$INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
                     VALUES ('330604001001GB00001', '91330604MA2B0014XC', 55, '[2024-01-01,2025-01-01)')$$,
                   'firm 91330604MA2B00078Q in 2024: 亩均税收 (tax per mu) is 19%.% 万元/亩 (90000 万元 on 45.% mu)%',
                   'land leased out counts: the holder''s figures are checked');
SELECT lives_ok($$INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
                  VALUES ('330604001001GB00001', '91330604MA2B0014XC', 55, '[2022-01-01,2023-01-01)')$$,
                'a lease of another year leaves 2024 alone');

-- Land taken away: a second parcel of about 100 mu, 150,000 万元 on about
-- 200 mu (about 750); deleting one parcel, or taking it from the firm, would
-- leave about 1,500.
INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
VALUES ('330604001001GB00002', '330604', '91330604MA2B00078Q',
        ST_Multi(ST_MakeEnvelope(120.8, 29.81, 120.8025, 29.8125, 4490)));
UPDATE parcel_gov.enterprise_year SET tax = 150000 WHERE uscc = '91330604MA2B00078Q' AND year = 2024;
SELECT throws_ok($$DELETE FROM parcel_gov.parcel WHERE code = '330604001001GB00002'$$, '23514', NULL,
                 'deleting a parcel checks its holder');
SELECT throws_ok($$UPDATE parcel_gov.parcel SET holder_uscc = NULL WHERE code = '330604001001GB00002'$$, '23514', NULL,
                 'so does taking it from its holder');
SELECT throws_ok($$UPDATE parcel_gov.parcel SET holder_uscc = '91330604MA2B00151N' WHERE code = '330604001001GB00002'$$,
                 '23514', NULL, 'or giving it to another firm');

-- A confirmation holds for the figures it was given to.
SELECT lives_ok($$UPDATE parcel_gov.enterprise_year SET tax = 1000000, figures_confirmed = true
                  WHERE uscc = '91330604MA2B00078Q' AND year = 2024$$,
                'figures beyond the limit stand when confirmed in the same statement');
SELECT lives_ok($$UPDATE parcel_gov.enterprise_year SET staff = 12 WHERE uscc = '91330604MA2B00078Q' AND year = 2024$$,
                'a figure the limits do not read leaves the confirmation');
SELECT is((SELECT figures_confirmed FROM parcel_gov.enterprise_year WHERE uscc = '91330604MA2B00078Q' AND year = 2024),
          true, 'still confirmed');
SELECT throws_ok($$UPDATE parcel_gov.enterprise_year SET tax = 9.9e8 WHERE uscc = '91330604MA2B00078Q' AND year = 2024$$,
                 '23514', NULL, 'a new tax without a new confirmation is checked');
UPDATE parcel_gov.enterprise_year SET tax = 100, value_added = 100 WHERE uscc = '91330604MA2B00078Q' AND year = 2024;
SELECT is((SELECT figures_confirmed FROM parcel_gov.enterprise_year WHERE uscc = '91330604MA2B00078Q' AND year = 2024),
          false, 'and the confirmation lapses with the figures it held for');

-- Every year of the firm: 2023's 5,000,000 万元 (tax in 元) went in while the
-- firm had no land; linking land checks 2023 too, not only the latest year.
INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax) VALUES
  ('91330604MA2B00151N', 2023, 'below', 5000000), ('91330604MA2B00151N', 2024, 'below', 500);
SELECT throws_like($$INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
                     VALUES ('330604001001GB00003', '330604', '91330604MA2B00151N',
                             ST_Multi(ST_MakeEnvelope(120.81, 29.81, 120.8125, 29.8125, 4490)))$$,
                   'firm 91330604MA2B00151N in 2023: %',
                   'land linked to a firm checks every year of its figures');

SELECT * FROM finish();
ROLLBACK;
