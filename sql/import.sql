-- import_parcels(): a staging table as ogr2ogr leaves it (ogc_fid, laundered
-- lower-case columns, wkb_geometry) into parcel, as one set, with a report.
-- Hand figures: the Gauss-Krüger bow-tie (0,0)-(100,100)-(100,0)-(0,100)
-- repairs into two triangles of 2,500 m² each: 5,000 m², 7.5 mu on the plane
-- (a little less on the spheroid, 83 km east of the zone's meridian).  A
-- 0.0025° square at 30.2 °N is 0.0025 × 110,850 m north by 0.0025 × 96,350 m
-- east: about 66,720 m², 100.07 mu (100.0727 on the spheroid, 66,715.13 m²).
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql
SET search_path = parcel_gov, public;
-- 上虞区 (330604) ships with parcel_gov, and so does 上虞市 (330682), which
-- became 上虞区 in 2013: codes of the old county are the new one's.
INSERT INTO enterprise (uscc, name, region_code) VALUES ('91330604MA2B00078Q', '上虞精工有限公司', '330604');

CREATE TEMP TABLE zd (ogc_fid serial PRIMARY KEY, zddm varchar, qlr varchar, wkb_geometry geometry);
-- a 0.0025° square at 30.2 °N, sent in Gauss-Krüger CM 120E (EPSG:4549)
CREATE TEMP VIEW square AS
SELECT n, ST_SetSRID(ST_MakeEnvelope(120.90 + 0.01 * n, 30.20, 120.9025 + 0.01 * n, 30.2025), 4490) AS g
FROM generate_series(0, 9) AS n;
INSERT INTO zd (zddm, qlr, wkb_geometry) VALUES
  ('330604009001GB00001', '91330604MA2B00078Q', (SELECT ST_Transform(g, 4549) FROM square WHERE n = 0)),
  (' 330604009001gb00002 ', NULL,
   ST_SetSRID('POLYGON((583000 3340000, 583100 3340100, 583100 3340000, 583000 3340100, 583000 3340000))'::geometry, 4549)),
  ('330604009001GB00003', NULL, NULL),
  ('330604009001GB00004', NULL, 'SRID=4490;POLYGON EMPTY'),
  ('33060400900GB00005', NULL, (SELECT g FROM square WHERE n = 1)),
  ('330604009001GB00001', NULL, (SELECT g FROM square WHERE n = 2)),
  ('330604009001GB00006', NULL, ST_SetSRID(ST_MakeEnvelope(120.93, 30.20, 120.9325, 30.2025), 4549)),
  ('330604009001GB00007', '91330604MA2B0014XC', (SELECT g FROM square WHERE n = 4)),
  ('330604009001GB00008', NULL, 'SRID=4490;POINT(120.9 30.2)'),
  ('330604009001GB00009', NULL, (SELECT ST_SetSRID(g, 0) FROM square WHERE n = 5)),
  ('330602009001GB00010', NULL, (SELECT g FROM square WHERE n = 6)),
  ('330604009001GB00011', '91330604MA2B0007', (SELECT g FROM square WHERE n = 7)),
  ('330604009001GB00012', NULL, 'SRID=4490;POLYGON((120.97 30.2, 120.98 30.2, 120.97 30.2, 120.97 30.2))'),
  ('330604009001GB00013', NULL, 'SRID=99999;POLYGON((0 0, 1 0, 1 1, 0 0))');
-- a row corrected in the staging table (an UPDATE moves it to the end)
-- keeps its number: rows go by ogr2ogr's feature number, ogc_fid
UPDATE zd SET qlr = qlr WHERE ogc_fid = 1;
SELECT * FROM import_parcels('zd', '330604', holder_column => 'qlr');
-- What came in: the square keeps its spheroid area through GK and back; the
-- bow-tie is 7.5 mu less 0.02 % (GK scale 1.000085 squared); codes upper-cased.
SELECT p.code, p.holder_uscc, round(p.area_mu::numeric, 4) AS mu,
       round(ST_Area(ST_Transform(p.geom, 4549))::numeric, 2) AS gk_m2, ST_GeometryType(p.geom) AS type, ST_SRID(p.geom) AS srid
FROM parcel p ORDER BY p.code;
SELECT abs(p.area_mu / area_mu(ST_Multi(s.g)) - 1) < 1e-9 AS square_area_kept
FROM parcel p, square s WHERE p.code = '330604009001GB00001' AND s.n = 0;
-- A file with no .prj: the SRID given.
CREATE TEMP TABLE zd2 (ogc_fid serial, zddm varchar, wkb_geometry geometry);
INSERT INTO zd2 (zddm, wkb_geometry) SELECT '330604009001GB00020', ST_SetSRID(ST_Transform(g, 4549), 0) FROM square WHERE n = 9;
SELECT * FROM import_parcels('zd2', '330604', source_srid => 4549);
SELECT round(area_mu::numeric, 4) AS mu FROM parcel WHERE code = '330604009001GB00020';
-- A wrong .prj (it says CGCS2000 longitude/latitude; the coordinates are
-- Gauss-Krüger metres): rejected as it is, imported with the SRID given,
-- which overrides the file's.
CREATE TEMP TABLE zd_prj (ogc_fid serial, zddm varchar, wkb_geometry geometry);
INSERT INTO zd_prj (zddm, wkb_geometry) SELECT '330604009001GB00021', ST_SetSRID(ST_Transform(g, 4549), 4490) FROM square WHERE n = 8;
SELECT * FROM import_parcels('zd_prj', '330604');
SELECT * FROM import_parcels('zd_prj', '330604', source_srid => 4549);
SELECT round(area_mu::numeric, 4) AS mu FROM parcel WHERE code = '330604009001GB00021';

-- The bureau's file as it comes: holders by name, 土地用途, 面积 in m².
-- Firms of 上虞: one stored with full-width brackets, one entered twice
-- (names that differ only in bracket width), one whose code fails only its
-- check character (an early code: F is right, X stored).
INSERT INTO enterprise (uscc, name, region_code) VALUES
  ('91330604MA2B00086K', '浙江曹娥（集团）纺织有限公司', '330604'),
  ('91330604MA2B00094E', '百官包装（上虞）有限公司', '330604'),
  ('91330604MA2B00102L', '百官包装(上虞)有限公司', '330604'),
  ('91330604MA2B00110X', '章镇五金有限公司', '330604');
CREATE TEMP TABLE zd3 (ogc_fid serial, zddm varchar, qlr varchar, tdyt varchar, sjyt varchar,
                       "面积(平方米)" numeric(24, 6), wkb_geometry geometry);
INSERT INTO zd3 (zddm, qlr, tdyt, sjyt, "面积(平方米)", wkb_geometry) VALUES
  -- the square's 66,715.13 m²: imported as it is
  ('330604009002GB00001', '上虞精工有限公司', '0601工业用地', NULL, 66715.13, (SELECT g FROM square WHERE n = 0)),
  -- half-width brackets and a space for the full-width name; 53,372.10 m²
  -- is 0.8 × 66,715.13: 20.0 % below the geometry, beyond 5 %
  ('330604009002GB00002', '浙江曹娥 (集团) 纺织有限公司', '工业用地', '0508', 53372.10, (SELECT g FROM square WHERE n = 1)),
  -- two firms by that name: neither is picked
  ('330604009002GB00003', '百官包装（上虞）有限公司', '０６０４', '05H1', NULL, (SELECT g FROM square WHERE n = 2)),
  -- no such firm, no such land use
  ('330604009002GB00004', '丰惠机械厂', '9999', NULL, NULL, (SELECT g FROM square WHERE n = 3)),
  -- a code of 上虞市 (330682), which 上虞区 superseded
  ('330682009002GB00005', '91330604MA2B00078Q', '1001工业用地', NULL, NULL, (SELECT g FROM square WHERE n = 4)),
  -- already stored by the first import
  ('330604009001GB00001', '上虞精工有限公司', '0601工业用地', NULL, NULL, (SELECT g FROM square WHERE n = 5)),
  -- the early code, given as the holder
  ('330604009002GB00007', '91330604MA2B00110X', '0601', NULL, NULL, (SELECT g FROM square WHERE n = 6)),
  -- 1001: 铁路用地 in GB/T 21010 and 三调, 工业用地 in 用地用海
  ('330604009002GB00008', NULL, '1001', NULL, 66715, (SELECT g FROM square WHERE n = 7));
SELECT * FROM import_parcels('zd3', '330604', holder_column => 'qlr', land_use_column => 'tdyt',
                             actual_use_column => 'sjyt', area_column => '面积(平方米)');
SELECT code, region_code, holder_uscc, planned_use, planned_industrial, actual_use, actual_industrial,
       land_use_scheme, round(area_mu::numeric, 4) AS mu
FROM parcel WHERE code LIKE '33%009002GB%' ORDER BY code;

-- One scheme named: 0601 and 1001 read in it alone.  The area in 亩, as
-- text (full-width digits read): 120.09 mu is 20.0 % above 100.0727.
CREATE TEMP TABLE zd4 (ogc_fid serial, zddm varchar, tdyt varchar, mj varchar, wkb_geometry geometry);
INSERT INTO zd4 (zddm, tdyt, mj, wkb_geometry) VALUES
  ('330604009004GB00001', '0601', '100.07', (SELECT g FROM square WHERE n = 0)),
  ('330604009004GB00002', '1001', '１２０．０９', (SELECT g FROM square WHERE n = 1)),
  ('330604009004GB00003', '工业用地', '五十', (SELECT g FROM square WHERE n = 2));
SELECT * FROM import_parcels('zd4', '330604', land_use_column => 'tdyt', land_use_schemes => '{GB/T 21010-2017}',
                             area_column => 'mj', area_unit => '亩');
SELECT code, planned_use, planned_industrial, land_use_scheme FROM parcel WHERE code LIKE '330604009004GB%' ORDER BY code;

-- 土地用途 cells read against the schemes: codes, names, both, full-width;
-- the same code in two schemes is ambiguous unless one scheme is named.
SELECT c.v, x.s AS schemes, r.*
FROM (VALUES ('0601'), ('0601工业用地'), ('工业用地'), ('工业用地（0601）'), ('061'), ('0508'), ('1001'), ('1001工业用地'),
             ('100102'), ('仓储用地'), ('1001 仓储用地'), ('')) AS c(v)
CROSS JOIN (VALUES (NULL::text[]), ('{用地用海}')) AS x(s)
CROSS JOIN LATERAL land_use_read(c.v, x.s) AS r;
SELECT scheme, count(*) AS codes, count(*) FILTER (WHERE industrial) AS industrial FROM land_uses() GROUP BY scheme ORDER BY scheme;

-- In a new connection, the first row's geometry cannot be reprojected (an
-- easting with a zone number, 20 583 000, read as CM 120E without one):
-- that row is rejected and the others come in.
\c
SET client_min_messages = warning;
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
CREATE TEMP TABLE zd5 (ogc_fid serial, zddm varchar, wkb_geometry geometry);
INSERT INTO zd5 (zddm, wkb_geometry) VALUES
  ('330604009005GB00001', ST_SetSRID(ST_MakeEnvelope(20583000, 3340000, 20583100, 3340100), 4549)),
  ('330604009005GB00002', ST_SetSRID(ST_MakeEnvelope(583000, 3340000, 583100, 3340100), 4549)),
  ('330604009005GB00003', ST_SetSRID(ST_MakeEnvelope(1e8, 3340000, 1e8 + 100, 3340100), 4549)),
  ('330604009005GB00004', ST_SetSRID(ST_MakeEnvelope(583200, 3340000, 583300, 3340100), 4549));
SELECT * FROM import_parcels('zd5', '330604');
SELECT code, round(ST_Area(ST_Transform(geom, 4549))::numeric) AS gk_m2 FROM parcel WHERE code LIKE '330604009005GB%' ORDER BY code;

-- Refused outright: an unknown county, a table without geometry, a column
-- it does not have, an unknown scheme, an area without its unit.
SELECT * FROM import_parcels('zd5', '330699');
CREATE TEMP TABLE plain (zddm text);
SELECT * FROM import_parcels('plain', '330604');
SELECT * FROM import_parcels('zd5', '330604', holder_column => 'qlr');
SELECT * FROM import_parcels('zd5', '330604', land_use_schemes => '{GB/T 21010}');
ALTER TABLE zd5 ADD COLUMN mj numeric;
SELECT * FROM import_parcels('zd5', '330604', area_column => 'mj');
SELECT * FROM import_parcels('zd5', '330604', area_column => 'mj', area_unit => 'acre');
SELECT * FROM import_parcels('zd5', '330604', area_column => 'mj', area_unit => 'm2', area_tolerance => -0.05);
