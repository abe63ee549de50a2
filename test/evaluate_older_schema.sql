-- The C library serves an older version's schema until ALTER EXTENSION …
-- UPDATE runs.  The whole province's evaluate() reads enterprise,
-- enterprise_year, register and parcel by scans (src/table_rows.c) that find
-- each column by name: under 1.9.0, whose tables lack scattered_polluting,
-- water_t, cod_t, main_revenue and land_procedures_legal and which has no
-- issue table, those read as their defaults, as the queries of a region's
-- run read them (spi_column_or).  Both runs give the same rows.
-- (One transaction, rolled back: the current version is back at the end.)
SET client_min_messages = warning;
BEGIN;
SELECT plan(9);
DROP EXTENSION parcel_gov;
CREATE EXTENSION parcel_gov VERSION '1.9.0';
SET LOCAL search_path = parcel_gov, public;

SELECT is((SELECT array_agg(c ORDER BY c) FROM unnest('{enterprise_year.scattered_polluting,enterprise_year.water_t,enterprise_year.main_revenue,parcel.land_procedures_legal}'::text[]) AS c
           WHERE NOT EXISTS (SELECT FROM pg_attribute a
                             WHERE a.attrelid = ('parcel_gov.' || split_part(c, '.', 1))::regclass
                               AND a.attname = split_part(c, '.', 2) AND NOT a.attisdropped))
          || CASE WHEN to_regclass('parcel_gov.issue') IS NULL THEN '{issue}'::text[] END,
          '{enterprise_year.main_revenue,enterprise_year.scattered_polluting,enterprise_year.water_t,parcel.land_procedures_legal,issue}',
          '1.9.0 lacks the columns and the table later versions added');

-- 上虞 (330604): four 规上 firms on parcels of about 100 mu (0.0025° squares
-- near 29.8°N); F4 pays 0.5 万元 a mu, under the default low line of 6.
CREATE TEMP TABLE firm (uscc text, n int) ON COMMIT DROP;
INSERT INTO firm VALUES ('91330604MA2B00078Q', 1), ('91330604MA2B0014XC', 2), ('91330604MA2B002118', 3),
                        ('91330604MA2B002898', 4);
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, 'F' || n, '330604', 'C3311' FROM firm;
INSERT INTO parcel (code, region_code, holder_uscc, geom)
SELECT '330604001001GB0000' || n, '330604', uscc,
       ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * n, 29.8, 120.8025 + 0.01 * n, 29.8025, 4490))
FROM firm;
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce,
                             emission_t, electricity_kwh)
SELECT f.uscc, 2024, 'above', CASE f.n WHEN 4 THEN 0.5 ELSE 10 * f.n END * p.area_mu,
       1000 * f.n, 5000, 100, 50, 100, 1, 100000
FROM firm f JOIN parcel p ON p.holder_uscc = f.uscc;

SELECT is(evaluate(2024), 4, 'the whole province (scans): four firms graded');
-- tax ÷ net land: 10, 20, 30 and 0.5 万元 a mu
SELECT results_eq($$SELECT f.n, round(e.tax_per_mu::numeric, 9) FROM evaluation e JOIN firm f USING (uscc)
                    WHERE e.year = 2024 ORDER BY f.n$$,
                  $$VALUES (1, 10.000000000), (2, 20.000000000), (3, 30.000000000), (4, 0.500000000)$$,
                  'each firm''s per-mu tax is its tax over the area of its parcel');
SELECT results_eq($$SELECT r.parcel_code::text, r.kinds::text[] FROM register r ORDER BY 1$$,
                  $$VALUES ('330604001001GB00004', '{low_per_mu}'::text[])$$,
                  'F4''s parcel enters the register as low per mu, and nothing a 1.9.0 table lacks adds a kind');

CREATE TEMP TABLE by_scan ON COMMIT DROP AS
SELECT uscc, score, grade, rank, tax_per_mu, area_mu FROM evaluation WHERE year = 2024;
SELECT is(evaluation_discard(2024, '330604'), 4::bigint, 'the rows discarded');
SELECT is(evaluate(2024, '33'), 4, 'the province''s prefix (queries): four firms graded');
SELECT is_empty($$SELECT * FROM (SELECT uscc, score, grade, rank, tax_per_mu, area_mu FROM evaluation WHERE year = 2024
                                 EXCEPT SELECT * FROM by_scan) AS d
                  UNION ALL SELECT * FROM (SELECT * FROM by_scan
                                 EXCEPT SELECT uscc, score, grade, rank, tax_per_mu, area_mu FROM evaluation WHERE year = 2024) AS d$$,
                'the province''s prefix (queries) writes the rows the scans gave');
SELECT is(evaluate(2024), 4, 'the whole province (scans) again: four firms graded');
SELECT is((SELECT changed FROM evaluation_run ORDER BY id DESC LIMIT 1), 0,
          'the scans again: no row changed');

SELECT * FROM finish();
ROLLBACK;
