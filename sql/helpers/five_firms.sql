-- Test fixture of firm_plan and differential_measures: 越城区 (330602), five
-- 规下 firms on parcels of 5 equal cells each (5a mu, a ≈ 2.005; the table
-- cell holds a), 100 000 kWh each, taxes 100, 80, 60, 40, 20 万元, and S, an
-- exempt firm without land of its own; figures for 2024.  Not yet evaluated.

-- n cells of 0.0005° × 0.00025° at 30°N, one every 0.001° of longitude: a
-- parcel of n cells has exactly n times a cell's area A (about 2.005 mu).
CREATE FUNCTION pg_temp.cells(first int, n int) RETURNS geometry LANGUAGE sql IMMUTABLE
RETURN (SELECT ST_Collect(ST_MakeEnvelope(120.8 + 0.001 * k, 30.0, 120.8005 + 0.001 * k, 30.00025, 4490))
        FROM generate_series(first, first + n - 1) AS k);

-- 越城区 (330602): five 规下 firms of 5 cells each, 100 000 kWh each, taxes
-- 100, 80, 60, 40, 20 万元; and S, an exempt firm that takes land leased out.
CREATE TEMP TABLE firm_name (uscc uscc PRIMARY KEY, firm text, tax float8);
INSERT INTO firm_name VALUES
  ('91330602MA2D000014', 'F1', 100), ('91330602MA2D000027', 'F2', 80), ('91330602MA2D00003A', 'F3', 60),
  ('91330602MA2D00004D', 'F4', 40), ('91330602MA2D00005G', 'F5', 20), ('91330602MA2D00006K', 'S', NULL);
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, '企业' || firm, '330602', 'C3311' FROM firm_name;
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT '330602001001GB0000' || right(firm, 1), '330602', uscc, pg_temp.cells(5 * right(firm, 1)::int, 5), '2010-06-01'
FROM firm_name WHERE firm <> 'S';
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh, exempt_reason)
SELECT uscc, 2024, 'below', tax, 100000, CASE WHEN firm = 'S' THEN '公用工程 (utility)' END FROM firm_name;
CREATE TEMP TABLE cell AS SELECT area_mu / 5 AS a FROM parcel WHERE code = '330602001001GB00001';
