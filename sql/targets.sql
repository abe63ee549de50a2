-- Targets as the plans write them (region_target, v_target_progress) and
-- 入园率 in v_region_summary.  A county small enough for paper: four firms on
-- equal parcels (0.0025° squares at 29.8 °N, spaced apart), every figure
-- proportional to the parcel, so every ratio of sums is the mean of the
-- firms' per-mu figures.  Years are last year (offset 0, the base) and this
-- year (offset 1): exits from the register are stamped now, and the revived
-- counts take exits after the base year.  Tax per mu (万元/亩):
--           pool    park          last  this
--   F1     规上     甲园            20    24
--   F2     规上     –               10    11
--   F3     规下     甲园             8     8
--   F4     规下     leases 1 mu of F3's this year   2     2   (< 3: 亩均低效)
-- Three parcels without a firm are 用而未尽 (underused): U1 and U2 touch, U3
-- lies apart.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql
SELECT extract(year FROM now())::int - 1 AS y0 \gset
INSERT INTO park (name, region_code) VALUES ('甲园', '330604');
CREATE TEMP TABLE firm (n int, uscc text, name text, size text, in_park boolean, per_mu0 float8, per_mu1 float8);
INSERT INTO firm VALUES (1, '91330604MA2B00078Q', 'F1', 'above', true, 20, 24),
                        (2, '91330604MA2B0014XC', 'F2', 'above', false, 10, 11),
                        (3, '91330604MA2B002118', 'F3', 'below', true, 8, 8),
                        (4, '91330604MA2B00086K', 'F4', 'below', false, 2, 2);
INSERT INTO enterprise (uscc, name, region_code) SELECT uscc, name, '330604' FROM firm;
INSERT INTO parcel (code, region_code, holder_uscc, park_id, geom)
SELECT '330604001001GB0000' || n, '330604', uscc, CASE WHEN in_park THEN (SELECT id FROM park) END,
       ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * n, 29.8, 120.8025 + 0.01 * n, 29.8025, 4490))
FROM firm;
INSERT INTO parcel (code, region_code, land_status, geom)
VALUES ('330604001001GB00005', '330604', 'underused', ST_Multi(ST_MakeEnvelope(120.9, 29.8, 120.9025, 29.8025, 4490))),
       ('330604001001GB00006', '330604', 'underused', ST_Multi(ST_MakeEnvelope(120.9025, 29.8, 120.905, 29.8025, 4490))),
       ('330604001001GB00007', '330604', 'underused', ST_Multi(ST_MakeEnvelope(120.95, 29.8, 120.9525, 29.8025, 4490)));
SELECT count(DISTINCT round(area_mu::numeric, 6)) AS distinct_areas, round(min(area_mu)::numeric, 4) AS mu FROM parcel;
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('330604001001GB00003', '91330604MA2B00086K', 1, daterange(make_date(:y0 + 1, 1, 1), make_date(:y0 + 2, 1, 1)));
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce,
                             emission_t, electricity_kwh)
SELECT f.uscc, y.year, f.size::size_class, y.per_mu * p.area_mu, 5 * y.per_mu * p.area_mu, 20 * y.per_mu * p.area_mu,
       y.per_mu * p.area_mu, 100, 10, 1, 1000000
FROM firm f JOIN parcel p ON p.holder_uscc = f.uscc
CROSS JOIN LATERAL (VALUES (:y0, f.per_mu0), (:y0 + 1, f.per_mu1)) AS y(year, per_mu);
-- F4's lease makes its net land 1 mu larger and F3's 1 mu smaller this
-- year: their own per-mu figures move, the 规上 ones and the sums over all
-- four firms (the same 4 parcels' mu) do not.
SELECT evaluate(:y0) AS g0, evaluate(:y0 + 1) AS g1;
SELECT f.name, e.year - :y0 AS yr, e.pool, round(e.area_mu::numeric, 4) AS area_mu, round(e.tax_per_mu::numeric, 4) AS tax_per_mu
FROM evaluation e JOIN firm f USING (uscc) ORDER BY f.name, e.year;
SELECT parcel_code, state, kinds FROM register ORDER BY parcel_code;

-- The county works every candidate through to 出库 this year.
UPDATE register SET state = 'confirmed', reason = '审核认定';
UPDATE register SET state = 'registered', reason = '建档入库';
UPDATE register SET state = 'in_treatment', reason = '整治提升';
UPDATE register SET state = 'assessing', reason = '申请评估';
UPDATE register SET state = 'exited', exit_reason = 'accepted', reason = '验收出库';
SELECT state, count(*) FROM register GROUP BY state;

-- 入园率 in v_region_summary: last year F1 and F3 of the four firms hold
-- land in 甲园 (2 of 4 = 0.5; 规上 F1 of F1, F2 = 0.5); this year F4 leases
-- land there too (3 of 4 = 0.75; 规上 still 0.5).  The city and the province
-- count the same firms.
SELECT region_code, year - :y0 AS yr, firms, park_firms, park_entry_rate, above_firms, above_park_firms,
       above_park_entry_rate
FROM v_region_summary ORDER BY region_code, year;

-- Targets, by hand (A = 100.468737 mu, every parcel):
--  1 规上 tax per mu +10 %/year to two years on, base measured last year:
--    (20 + 10)/2 = 15; to reach 15 × 1.1² = 18.15; this year's milestone
--    15 × 1.1 = 16.5, actual (24 + 11)/2 = 17.5 (reached); share done
--    (17.5 − 15)/(18.15 − 15) = 0.793651.
--  2 tax per mu of all firms +2 % by this year (Jindong): base (20+10+8+2)/4
--    = 10, target 10.2, actual 45/4 = 11.25, share 1.25/0.2 = 6.25.
--  3 规上 tax per mu ≥ 30 (Shaoxing): base 15, share 2.5/15 = 0.166667, not reached.
--  4 规上 firms +10 %: base 2, target 2.2, actual 2: share 0, not reached.
--  5 入园率 70 % (Jindong): base 0.5, actual 0.75, share 0.25/0.2 = 1.25.
--  6 规上入园率 80 %: 0.5 both years, share 0.
--  7 mu brought out, every kind, 300: 4 parcels = 4A = 401.8749, share 1.339583.
--  8 用而未尽 mu brought out, 300 (Tonglu): U1–U3 = 3A = 301.4062, share 1.004687.
--  9 连片 blocks brought out, 2: U1 + U2 touch, 1 block (U3 and F4's parcel
--    stand alone): share 0.5.
-- 10 连片 mu, 250: the block's 2A = 200.9375, share 0.803750.
-- 11 规上 VA per mu +8 %/year: base 5 × 15 = 75, target 81, actual 87.5,
--    share 12.5/6 = 2.083333.
-- 12 规上 labour productivity +6 %/year: VA / staff (100 each): base
--    5 × 30A / 200 = 0.75A = 75.3516, actual 0.875A = 87.9101, target
--    0.75A × 1.06: share 0.125/0.045 = 2.777778.
-- 13 a rate from a year nobody evaluated (the year before last): no base,
--    so no value to reach and no share (NULL), the actuals still shown.
-- 14 入园率 40 % in two years: the base (0.5) already reaches it, so no share (NULL);
--    reached both years (every target indicator counts up).
-- Last year's revived counts are 0 (nothing left the register before this year).
INSERT INTO region_target (region_code, indicator, base_year, base_value, target_year, target_value, target_kind,
                           low_efficiency_kind, firm_scope, source)
VALUES ('330604', 'tax_per_mu', :y0, NULL, :y0 + 2, 10, 'annual_rate', NULL, 'above', 'test 1'),
       ('330604', 'tax_per_mu', :y0, NULL, :y0 + 1, 2, 'annual_rate', NULL, 'all', 'test 2'),
       ('330604', 'tax_per_mu', :y0, NULL, :y0 + 1, 30, 'level', NULL, 'above', 'test 3'),
       ('330604', 'firms', :y0, NULL, :y0 + 1, 10, 'annual_rate', NULL, 'above', 'test 4'),
       ('330604', 'park_entry_rate', :y0, NULL, :y0 + 1, 0.7, 'level', NULL, 'all', 'test 5'),
       ('330604', 'park_entry_rate', :y0, NULL, :y0 + 1, 0.8, 'level', NULL, 'above', 'test 6'),
       ('330604', 'revived_mu', :y0, 0, :y0 + 1, 300, 'level', NULL, 'all', 'test 7'),
       ('330604', 'revived_mu', :y0, NULL, :y0 + 1, 300, 'level', 'underused', 'all', 'test 8'),
       ('330604', 'revived_blocks', :y0, NULL, :y0 + 1, 2, 'level', NULL, 'all', 'test 9'),
       ('330604', 'revived_block_mu', :y0, NULL, :y0 + 1, 250, 'level', NULL, 'all', 'test 10'),
       ('330604', 'va_per_mu', :y0, NULL, :y0 + 1, 8, 'annual_rate', NULL, 'above', 'test 11'),
       ('330604', 'labour_productivity', :y0, NULL, :y0 + 1, 6, 'annual_rate', NULL, 'above', 'test 12'),
       ('330604', 'va_per_mu', :y0 - 1, NULL, :y0 + 1, 8, 'annual_rate', NULL, 'all', 'test 13'),
       ('330604', 'park_entry_rate', :y0, NULL, :y0 + 2, 0.4, 'level', NULL, 'all', 'test 14');
SELECT source, year - :y0 AS yr, indicator, target_kind, firm_scope, low_efficiency_kind_label AS kind,
       round(base_value::numeric, 4) AS base, round(target_value::numeric, 4) AS target, annual_rate,
       round(year_target::numeric, 4) AS year_target, round(actual::numeric, 4) AS actual,
       round(share_done::numeric, 6) AS share_done, reached
FROM v_target_progress ORDER BY target_id, year;

-- Targets the table cannot read are refused: a rate of 0, a rate or a base on a revived count, a
-- low-efficiency kind on a per-mu figure, 入园率 given in percent, an unknown
-- kind or scope, and the same target twice (a NULL kind is one value).
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value, target_kind)
VALUES ('330604', 'va_per_mu', 2022, 2025, 0, 'annual_rate');
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value, target_kind)
VALUES ('330604', 'revived_mu', 2022, 2025, 10, 'annual_rate');
INSERT INTO region_target (region_code, indicator, base_year, base_value, target_year, target_value)
VALUES ('330604', 'revived_blocks', 2022, 1, 2025, 3);
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value, low_efficiency_kind)
VALUES ('330604', 'tax_per_mu', 2022, 2025, 30, 'underused');
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value)
VALUES ('330604', 'park_entry_rate', 2022, 2025, 70);
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value, target_kind)
VALUES ('330604', 'tax_per_mu', 2022, 2025, 8, 'percent');
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value, firm_scope)
VALUES ('330604', 'tax_per_mu', 2022, 2025, 30, 'below');
INSERT INTO region_target (region_code, indicator, base_year, target_year, target_value, low_efficiency_kind, firm_scope)
VALUES ('330604', 'revived_mu', :y0, :y0 + 1, 100, 'underused', 'all');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
