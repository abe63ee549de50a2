-- area_mu(geometry): geodesic for geographic SRIDs, planar for metre projections.
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

-- Planar, CGCS2000 / 3-degree Gauss-Kruger CM 120E (4549):
-- 200 m × 100 m = 20000 m2 = 30 mu.
SELECT area_mu(ST_GeomFromText('POLYGON((540000 3330000, 540200 3330000, 540200 3330100, 540000 3330100, 540000 3330000))', 4549)) AS "30";
-- Two 100 m squares = 2 × 10000 m2 = 2 × 15 mu.
SELECT area_mu(ST_GeomFromText('MULTIPOLYGON(((0 0,100 0,100 100,0 100,0 0)),((200 0,300 0,300 100,200 100,200 0)))', 4549)) AS "30";
-- A 200 m square with a 100 m courtyard: 40000 - 10000 m2 = 45 mu.
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,200 0,200 200,0 200,0 0),(50 50,150 50,150 150,50 150,50 50))', 4549)) AS "45";
-- Z coordinates do not change a footprint: 30 mu.
SELECT area_mu(ST_GeomFromText('POLYGON Z((0 0 5,200 0 5,200 100 9,0 100 9,0 0 5))', 4549)) AS "30";
-- Another metre projection (WGS 84 / UTM 51N): 3000 m2 = 4.5 mu.
SELECT area_mu(ST_GeomFromText('POLYGON((300000 3300000,300060 3300000,300060 3300050,300000 3300050,300000 3300000))', 32651)) AS "4.5";

-- Geodesic, on the SRID's spheroid. Hand computation for a 0.001° × 0.001° cell
-- whose centre is at latitude φ = 30°: area ≈ M·N·cos φ·Δφ·Δλ with
-- M = a(1-e²)/(1-e² sin²φ)^1.5 and N = a/(1-e² sin²φ)^0.5 (radii of curvature),
-- GRS80 (CGCS2000): a = 6378137, f = 1/298.257222101 → 10695.7 m2 = 16.0436 mu.
-- The approximation's relative error is ~1e-11 for so small a cell.
WITH cell AS (
  SELECT ST_GeomFromText('POLYGON((120.5 29.9995,120.501 29.9995,120.501 30.0005,120.5 30.0005,120.5 29.9995))', 4490) AS g
), hand AS (
  SELECT a * (1 - e2) / power(1 - e2 * sin(phi)^2, 1.5)      -- M
       * a / sqrt(1 - e2 * sin(phi)^2)                        -- N
       * cos(phi) * radians(0.001) * radians(0.001) * 3 / 2000 AS mu
  FROM (SELECT 6378137.0::float8 AS a,
               (1 / 298.257222101) * (2 - 1 / 298.257222101) AS e2,
               radians(30.0) AS phi) AS k
)
SELECT round(area_mu(g)::numeric, 4) AS cgcs2000_mu,
       round(hand.mu::numeric, 4) AS hand_mu,
       abs(area_mu(g) / hand.mu - 1) < 1e-6 AS agrees
FROM cell, hand;
-- WGS 84 (4326) differs from CGCS2000 by far less than a square metre here.
SELECT abs(area_mu(ST_GeomFromText('POLYGON((120.5 29.9995,120.501 29.9995,120.501 30.0005,120.5 30.0005,120.5 29.9995))', 4326))
         - area_mu(ST_GeomFromText('POLYGON((120.5 29.9995,120.501 29.9995,120.501 30.0005,120.5 30.0005,120.5 29.9995))', 4490)))
       < sqm_to_mu(0.001) AS same_to_a_thousandth_m2;

SELECT area_mu(NULL) IS NULL AS null_in_null_out;

-- It works under an empty search_path: the PostGIS names were bound at install.
SET search_path = '';
SELECT parcel_gov.area_mu(public.ST_GeomFromText('POLYGON((0 0,200 0,200 100,0 100,0 0))', 4549)) AS "30";
SET search_path = parcel_gov, public;

-- Bad input: 22023 with a hint.
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,200 0,200 100,0 100,0 0))'));          -- SRID 0
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,200 0,200 100,0 100,0 0))', 990000));  -- unknown SRID
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,200 0,200 100,0 100,0 0))', 2227));    -- US survey feet
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,200 0,200 100,0 100,0 0))', 4978));    -- geocentric
SELECT area_mu(ST_GeomFromText('LINESTRING(0 0,200 0)', 4549));
SELECT area_mu(ST_GeomFromText('POINT(0 0)', 4549));
SELECT area_mu(ST_GeomFromText('GEOMETRYCOLLECTION(POLYGON((0 0,1 0,1 1,0 0)))', 4549));
SELECT area_mu(ST_GeomFromText('POLYGON EMPTY', 4549));
SELECT area_mu(ST_GeomFromText('MULTIPOLYGON EMPTY', 4490));
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,200 100,200 0,0 100,0 0))', 4549));    -- bow-tie
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,100 0,100 0,0 0))', 4549));            -- zero area
SELECT area_mu(ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(20 20,30 20,30 30,20 30,20 20))', 4549));
-- Gauss-Kruger metres labelled as CGCS2000 geographic: caught, not measured.
SELECT area_mu(ST_GeomFromText('POLYGON((540000 3330000,540200 3330000,540200 3330100,540000 3330000))', 4490));
