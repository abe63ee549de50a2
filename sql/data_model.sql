-- The data model rejects bad rows at write time, each with its SQLSTATE.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;

-- The province, its cities and its counties ship with parcel_gov.
SELECT code, name, parent_code, level, shipped FROM region WHERE code IN ('330000', '331000', '331003') ORDER BY code;
INSERT INTO enterprise (uscc, name, region_code, industry_code)
VALUES ('91331003MA2B00078P', '台州甲机械有限公司', '331003', 'C3441'),
       ('91331003MA2B0014XB', '台州乙塑料有限公司', '331003', 'C2929');
SELECT uscc_problem('91331003MA2B00078P') IS NULL AS valid_1, uscc_problem('91331003MA2B0014XB') IS NULL AS valid_2;
INSERT INTO parcel (code, region_code, holder_uscc, geom)
VALUES ('331003001002GB00001', '331003', '91331003MA2B00078P',
        ST_Multi(ST_MakeEnvelope(121.26, 28.64, 121.2610, 28.6410, 4490)));
-- area_mu follows geom: computed at insert, recomputed on update.
SELECT round(area_mu::numeric, 4) AS mu FROM parcel;
UPDATE parcel SET geom = ST_Multi(ST_MakeEnvelope(121.26, 28.64, 121.2605, 28.6410, 4490));
SELECT round(area_mu::numeric, 4) AS half_the_mu FROM parcel;

-- Codes.
INSERT INTO region (code, name) VALUES ('33100', '五位');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A county's townships (乡镇街道, 9 digits; names here are made up): level
-- township whatever the writer says, under the county their code names.
INSERT INTO region (code, name, parent_code, level) VALUES ('331003100', '甲镇', '331003', 'county');
UPDATE region SET level = 'city' WHERE code = '331003100';
SELECT code, name, parent_code, level, shipped FROM region WHERE NOT shipped;
INSERT INTO region (code, name, parent_code) VALUES ('331003101', '乙镇', '331000');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO region (code, name, parent_code) VALUES ('331000101', '丙镇', '331000');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO region (code, name) VALUES ('3310031011', '十位');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Firms and parcels are filed under their county, not a township.  (Terse:
-- the failing row's columns come in another order in a database updated
-- from an older version.)
\set VERBOSITY terse
INSERT INTO enterprise (uscc, name, region_code) VALUES ('91331003MA2B00273K', '乡镇企业', '331003100');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO parcel (code, region_code, geom)
VALUES ('331003100002GB00001', '331003100', ST_Multi(ST_MakeEnvelope(121.27, 28.64, 121.271, 28.641, 4490)));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\set VERBOSITY verbose
-- a character outside the GB 32100 alphabet (O) is refused; a code whose check
-- character alone fails (an early code) is stored and listed for the clerk
INSERT INTO enterprise (uscc, name, region_code) VALUES ('91331003MA2B0007OP', '坏代码', '331003');
INSERT INTO enterprise (uscc, name, region_code) VALUES ('91331003MA2B00078X', '早期代码', '331003');
SELECT uscc, name, problem, uscc_confirmed FROM v_uscc_early;
UPDATE enterprise SET uscc_confirmed = true WHERE uscc = '91331003MA2B00078X';
SELECT uscc_confirmed FROM v_uscc_early;
DELETE FROM enterprise WHERE uscc = '91331003MA2B00078X';
INSERT INTO parcel (code, region_code, geom)
VALUES ('33100300100GB00001', '331003', ST_Multi(ST_MakeEnvelope(121.27, 28.64, 121.271, 28.641, 4490)));
INSERT INTO parcel (code, region_code, geom)
VALUES ('331003001002XB00001', '331003', ST_Multi(ST_MakeEnvelope(121.27, 28.64, 121.271, 28.641, 4490)));
SELECT parcel_code_problem('331003001002GB00001') IS NULL AS well_formed,
       parcel_code_problem('331003001002gb00001') AS lower_case,
       parcel_code_problem('331003-01002GB00001') AS hyphen;
-- Geometry: invalid, empty (area_mu says why, 22023).
INSERT INTO parcel (code, region_code, geom)
VALUES ('331003001002GB00002', '331003',
        ST_GeomFromText('MULTIPOLYGON(((121.27 28.64,121.28 28.65,121.28 28.64,121.27 28.65,121.27 28.64)))', 4490));
INSERT INTO parcel (code, region_code, geom)
VALUES ('331003001002GB00002', '331003', ST_GeomFromText('MULTIPOLYGON EMPTY', 4490));
\set VERBOSITY default
-- Another SRID than the column's (PostGIS refuses it, 22023): transform first.
INSERT INTO parcel (code, region_code, geom)
VALUES ('331003001002GB00002', '331003', ST_Multi(ST_MakeEnvelope(500000, 3170000, 500100, 3170100, 4549)));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Not a number where a figure goes (23514), a negative quantity (23514).
INSERT INTO enterprise_year (uscc, year, size_class, tax) VALUES ('91331003MA2B00078P', 2024, 'above', 'NaN');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO enterprise_year (uscc, year, size_class, staff) VALUES ('91331003MA2B00078P', 2024, 'above', -3);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO enterprise_year (uscc, year, size_class, electricity_kwh) VALUES ('91331003MA2B00078P', 2024, 'above', 'Infinity');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES ('91331003MA2B002117', '行业码', '331003', '3311');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES ('91331003MA2B002117', '行业码', '331003', 'C4411');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- the bureaus' codes without their letter: the division names the section
-- (33 → C 制造业, 06 → B 采矿业, 61 → H 住宿和餐饮业, 44 → D)
SELECT industry_code_normal('3311') AS "C3311", industry_code_normal(' c3311 ') AS "C3311",
       industry_code_normal('0610') AS "B0610", industry_code_normal('610') AS "H610",
       industry_code_normal('98') IS NULL AS no_division_98, industry_code_normal('C4411') IS NULL AS wrong_letter,
       industry_code_problem('C4411') AS problem, gbt4754_section(44) AS "D", industry_code_problem('C') IS NULL AS section_alone;

-- Leases: larger than the parcel, overlapping beyond it, to its own holder (23514).
SELECT round(area_mu::numeric, 4) AS parcel_mu FROM parcel WHERE code = '331003001002GB00001';
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('331003001002GB00001', '91331003MA2B0014XB', 100, '[2024-01-01,2025-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('331003001002GB00001', '91331003MA2B0014XB', 5, '[2024-01-01,2025-01-01)');
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('331003001002GB00001', '91331003MA2B0014XB', 5, '[2024-06-01,2026-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The same area after the first lease ends fits.
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('331003001002GB00001', '91331003MA2B0014XB', 5, '[2025-01-01,2026-01-01)');
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('331003001002GB00001', '91331003MA2B00078P', 1, '[2024-01-01,2025-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('331003001002GB00001', '91331003MA2B0014XB', 0, '[2024-01-01,2025-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('331003001002GB00001', '91331003MA2B0014XB', 1, 'empty');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT parcel_code, area_mu, during FROM lease ORDER BY during;

-- Leave the database as the next test expects it.
\i sql/helpers/reset_data.sql
