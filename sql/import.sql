-- import_parcels(): a staging table as ogr2ogr leaves it (ogc_fid, laundered
-- lower-case columns, wkb_geometry) into parcel, row by row, with a report.
-- Hand figures: the Gauss-Krüger bow-tie (0,0)-(100,100)-(100,0)-(0,100)
-- repairs into two triangles of 2,500 m² each: 5,000 m², 7.5 mu on the plane
-- (a little less on the spheroid, 83 km east of the zone's meridian).
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\i sql/helpers/reset_data.sql
SET search_path = parcel_gov, public;
-- 上虞区 (330604) ships with parcel_gov.
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
-- Refused outright: an unknown county, a table without geometry.
SELECT * FROM import_parcels('zd', '330699');
CREATE TEMP TABLE plain (zddm text);
SELECT * FROM import_parcels('plain', '330604');
