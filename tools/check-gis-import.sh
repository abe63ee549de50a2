#!/usr/bin/env bash
# GIS import as a county does it (README "Importing parcels"): a Shapefile in
# Gauss-Krüger CM 120E (EPSG:4549) with GBK attributes, made here with
# ogr2ogr, loaded by ogr2ogr into a staging table, then import_parcels().
# The attributes come back as UTF-8, the squares keep their area through the
# reprojection, the bow-tie is repaired, the bad rows are reported.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/checkdb.sh
checkdb import_check
q -c "INSERT INTO parcel_gov.enterprise (uscc, name, region_code) VALUES ('91330604MA2B00078Q', '上虞精工有限公司', '330604')"

# The bureau's file: 宗地代码 ZDDM, 权利人 QLRMC and its USCC QLRDM; in GK metres.
q -c "
  SELECT json_build_object('type', 'FeatureCollection',
           'crs', json_build_object('type', 'name', 'properties', json_build_object('name', 'urn:ogc:def:crs:EPSG::4549')),
           'features', json_agg(json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(g, 3)::json,
                                                  'properties', json_build_object('ZDDM', code, 'QLRMC', holder, 'QLRDM', uscc))
                                ORDER BY n))
  FROM (VALUES
    (1, '330604009001GB00001', '上虞精工有限公司', '91330604MA2B00078Q',
        ST_Transform(ST_MakeEnvelope(120.90, 30.20, 120.9025, 30.2025, 4490), 4549)),
    (2, '330604009001GB00002', '曹娥纺织有限公司', NULL,
        'SRID=4549;POLYGON((583000 3340000, 583100 3340100, 583100 3340000, 583000 3340100, 583000 3340000))'::geometry),
    (3, '330604009001GB0003', '章镇五金厂', NULL,
        ST_Transform(ST_MakeEnvelope(120.91, 30.20, 120.9125, 30.2025, 4490), 4549)),
    (4, '330604009001GB00004', '百官包装有限公司', NULL, NULL)) AS f(n, code, holder, uscc, g)" > "$work/zd.geojson"
ogr2ogr -f 'ESRI Shapefile' "$work/zd.shp" "$work/zd.geojson" -nlt POLYGON -lco ENCODING=CP936
grep -q 936 "$work/zd.cpg" || fail "the Shapefile was not written in GBK"
grep -q -F "$(printf '上虞精工' | iconv -f UTF-8 -t GBK)" "$work/zd.dbf" || fail "the .dbf does not hold GBK text"

ogr2ogr -f PostgreSQL "PG:dbname=$db host=$PGHOST user=$PGUSER" "$work/zd.shp" -nln staging_zd -nlt PROMOTE_TO_MULTI
report=$(q -c "SELECT string_agg(source_row || ':' || outcome, ' ' ORDER BY source_row)
               FROM parcel_gov.import_parcels('staging_zd', '330604', 'zddm', 'qlrdm')")
[ "$report" = "1:imported 2:repaired 3:rejected 4:rejected" ] || fail "report: $report"
result=$(q -c "
  SELECT (SELECT ST_SRID(wkb_geometry) FROM staging_zd LIMIT 1) = 4549,
         (SELECT qlrmc FROM staging_zd WHERE zddm = '330604009001GB00001') = '上虞精工有限公司',
         (SELECT abs(area_mu / parcel_gov.area_mu(ST_Multi(ST_MakeEnvelope(120.90, 30.20, 120.9025, 30.2025, 4490))) - 1) < 1e-5  -- (the file keeps millimetres)
                 AND holder_uscc = '91330604MA2B00078Q'
            FROM parcel_gov.parcel WHERE code = '330604009001GB00001'),
         (SELECT round(ST_Area(ST_Transform(geom, 4549))) = 5000 FROM parcel_gov.parcel WHERE code = '330604009001GB00002')")
[ "$result" = "t|t|t|t" ] || fail "SRID 4549 read from the .prj, GBK name as UTF-8, square's area, bow-tie's 5000 m²: $result"
