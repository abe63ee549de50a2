#!/usr/bin/env bash
# GIS import as a county does it (README "Importing parcels"): the bureau's
# Shapefile in Gauss-Krüger CM 120E (EPSG:4549), GBK attributes and no .cpg,
# a .prj that wrongly says CGCS2000 longitude/latitude; made here with
# ogr2ogr, loaded by ogr2ogr (with the encoding given) into the staging
# schema, then import_parcels() with the holders by name, 土地用途, 面积 in
# m² and source_srid overriding the .prj.  Every row's outcome and reason
# and every stored row are checked against figures worked out by hand:
# a 100 m × 100 m square 83 km east of the meridian is 10,000 m² on the
# plane and 10,000 / 1.00017 = 9,998.3 m² = 14.997 mu on the spheroid (the
# Gauss-Krüger scale there is 1 + 83² / (2 × 6371²) = 1.000085; PostGIS
# gives 9,998.28 m²).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/checkdb.sh
checkdb import_check
# 上虞区 330604, 越城区 330602 and 上虞市 330682 (superseded by 上虞区) ship with parcel_gov.
q -c "INSERT INTO parcel_gov.enterprise (uscc, name, region_code) VALUES
        ('91330604MA2B00078Q', '上虞精工有限公司', '330604'),
        ('91330604MA2B00086K', '浙江曹娥(集团)纺织有限公司', '330604'),
        ('91330604MA2B00094E', '百官包装有限公司', '330604'),
        ('91330604MA2B00102L', '百官包装 有限公司', '330604')"

# The bureau's file: 宗地代码, 权利人 (names, one a USCC), 土地用途 (codes and
# names, GB/T 21010-2017), 面积 in m²; squares of 100 m in GK metres.
q -c "
  SELECT json_build_object('type', 'FeatureCollection',
           'crs', json_build_object('type', 'name', 'properties', json_build_object('name', 'urn:ogc:def:crs:EPSG::4549')),
           'features', json_agg(json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(g, 3)::json,
                                                  'properties', json_build_object('宗地代码', code, '权利人', holder,
                                                                                  '土地用途', use, '面积', area))
                                ORDER BY n))
  FROM (SELECT n, code, holder, use, area,
               CASE WHEN bowtie THEN ST_SetSRID(format('POLYGON((%s 3340000, %s 3340100, %s 3340000, %s 3340100, %s 3340000))',
                                                       x, x + 100, x + 100, x, x)::geometry, 4549)
                    ELSE ST_MakeEnvelope(x, 3340000, x + 100, 3340100, 4549) END AS g
        FROM (VALUES
          -- an easting with a 6° zone number (20 583 000) in a CM 120E file: PostGIS cannot reproject it
          (1, '330604009001GB00001', '上虞精工有限公司', '0601', 10000, 20583000, false),
          (2, '330604009001GB00002', '浙江曹娥（集团）纺织有限公司', '工业用地', 10000, 583000, false),
          (3, '330604009001GB00003', '丰惠机械厂', '0604', 10000, 583200, false),
          -- two firms of that name; 12,000 m² is 20.0 % above 9,998.3
          (4, '330604009001GB00004', '百官包装有限公司', '仓储用地', 12000, 583400, false),
          (5, '330604009001GB00002', '上虞精工有限公司', '0601', 10000, 583600, false),
          (6, '330602009001GB00006', '上虞精工有限公司', '0601', 10000, 583800, false),
          -- 上虞市's code, superseded by 上虞区
          (7, '330682009001GB00007', '上虞精工有限公司', '0601工业用地', 10000, 584000, false),
          (8, '330604009001GB00008', '91330604MA2B00078Q', '9999', 10000, 584200, false),
          -- a bow-tie: two triangles of 2,500 m² once repaired
          (9, '330604009001GB00009', '上虞精工有限公司', '0602', 5000, 584400, true))
          AS f(n, code, holder, use, area, x, bowtie)) AS f" > "$work/zd.geojson"
ogr2ogr -f 'ESRI Shapefile' "$work/zd.shp" "$work/zd.geojson" -nlt POLYGON -lco ENCODING=CP936
# as the bureau sends it: no .cpg, and a .prj saying CGCS2000 longitude/latitude
rm "$work/zd.cpg"
gdalsrsinfo --single-line -o wkt_esri EPSG:4490 > "$work/zd.prj"
grep -q -F "$(printf '上虞精工' | iconv -f UTF-8 -t GBK)" "$work/zd.dbf" || fail "the .dbf does not hold GBK text"
as_is=$(ogrinfo -q -al "$work/zd.shp" 2>/dev/null || true)
as_gbk=$(ogrinfo -q -al --config SHAPE_ENCODING CP936 "$work/zd.shp")
! grep -q '上虞精工' <<<"$as_is" || fail "read without the encoding, the names should not come out right"
grep -q '上虞精工' <<<"$as_gbk" || fail "read as CP936, the names should come out right"

q -c "CREATE SCHEMA staging"
ogr2ogr -f PostgreSQL "PG:dbname=$db host=$PGHOST user=$PGUSER" "$work/zd.shp" -nln staging.zd -nlt PROMOTE_TO_MULTI \
        --config SHAPE_ENCODING CP936
staged=$(q -c "SELECT (SELECT ST_SRID(wkb_geometry) FROM staging.zd LIMIT 1) || ' ' || (SELECT 权利人 FROM staging.zd WHERE ogc_fid = 2)")
[ "$staged" = "4490 浙江曹娥（集团）纺织有限公司" ] || fail "staged: the .prj's SRID and the GBK name as UTF-8: $staged"

# As the .prj says, every geometry lands outside China (but for the rows
# refused for their codes first: the repeated one and another county's).
wrong=$(q -c "SELECT count(*) FILTER (WHERE reason LIKE 'outside China after reprojection%') || '/' || count(*)
              FROM parcel_gov.import_parcels('staging.zd', '330604', '宗地代码')
              WHERE source_row NOT IN (5, 6)")
[ "$wrong" = "7/7" ] || fail "with the wrong .prj: $wrong rows outside China"

# With the SRID given (a new connection, whose first row fails to reproject).
report=$(q -F '|' -c "
  SELECT source_row, code, outcome, coalesce(reason, '')
  FROM parcel_gov.import_parcels('staging.zd', '330604', code_column => '宗地代码', holder_column => '权利人',
                                 source_srid => 4549, land_use_column => '土地用途',
                                 land_use_schemes => '{GB/T 21010-2017}', area_column => '面积', area_unit => '平方米')
  ORDER BY source_row")
expected="1|330604009001GB00001|rejected|geometry cannot be reprojected: transform: Point outside of projection domain (2050)
2|330604009001GB00002|imported|
3|330604009001GB00003|flagged|holder 丰惠机械厂: no firm of 330604 by that name: left empty
4|330604009001GB00004|flagged|holder 百官包装有限公司: 2 firms of 330604 by that name (91330604MA2B00094E, 91330604MA2B00102L): left empty; 面积 12000.00 平方米 in the file is 20.0 % above the geometry's 9998.28 平方米 (14.9974 亩)
5|330604009001GB00002|rejected|the same 宗地代码 earlier in the file (row 2)
6|330602009001GB00006|rejected|宗地代码 of another county (330602), not 330604
7|330682009001GB00007|imported|
8|330604009001GB00008|flagged|土地用途 9999 is not a land use known in GB/T 21010-2017"
[ "$(head -8 <<<"$report")" = "$expected" ] || fail "report:
$report"
[[ "$(sed -n 9p <<<"$report")" == "9|330604009001GB00009|repaired|repaired: Self-intersection[120.8"* ]] \
  || fail "the bow-tie: $(sed -n 9p <<<"$report")"

stored=$(q -F '|' -c "
  SELECT code, region_code, coalesce(holder_uscc, '-'), planned_use, coalesce(planned_industrial::text, '-'),
         coalesce(land_use_scheme, '-'), round(area_mu::numeric, 3)
  FROM parcel_gov.parcel ORDER BY code")
expected="330604009001GB00002|330604|91330604MA2B00086K|0601|true|GB/T 21010-2017|14.997
330604009001GB00003|330604|-|0604|true|GB/T 21010-2017|14.997
330604009001GB00004|330604|-|0604|true|GB/T 21010-2017|14.997
330604009001GB00008|330604|91330604MA2B00078Q|9999|-|-|14.997
330604009001GB00009|330604|91330604MA2B00078Q|0602|true|GB/T 21010-2017|7.499
330682009001GB00007|330604|91330604MA2B00078Q|0601|true|GB/T 21010-2017|14.997"
[ "$stored" = "$expected" ] || fail "stored parcels (code, region, holder, planned use, industrial, scheme, mu):
$stored"
