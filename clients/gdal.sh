#!/usr/bin/env bash
# GDAL 3.6 reading the views as the county analyst: every view's feature
# count; the spatial views' feature ids, which are fid only with
# --config PGSQL_OGR_FID fid (a view has no primary key GDAL could find);
# kinds as a list, and as GeoPackage stores it; and a vector tile of
# parcel_tile() through the MVT driver, kinds a plain comma-joined string.
set -uo pipefail
cd "$(dirname "$0")/.."
. clients/lib.sh

pg="PG:host=$CLIENT_HOST port=$CLIENTS_PORT dbname=$CLIENT_DB user=$CLIENT_USER password=$CLIENT_PASSWORD sslmode=disable"
work=$CLIENT_WORK/gdal
mkdir -p "$work"

# the feature ids ogrinfo prints, one a line, in order
fids() { ogrinfo -ro -q "$@" | sed -n 's/^OGRFeature([^)]*):\([0-9-]*\)$/\1/p'; }

for view in $(as_analyst "SELECT relname FROM pg_class WHERE relnamespace = 'parcel_gov'::regnamespace
                          AND relkind = 'v' ORDER BY 1"); do
  is "$(ogrinfo -ro -so "$pg" "parcel_gov.$view" | sed -n 's/^Feature Count: //p')" \
     "$(as_analyst "SELECT count(*) FROM parcel_gov.$view")" "$view: feature count as SQL's"
done

for view in $(as_analyst "SELECT f_table_name FROM geometry_columns WHERE f_table_schema = 'parcel_gov'
                          AND f_table_name LIKE 'v\\_%' ORDER BY 1"); do
  want=$(as_analyst "SELECT string_agg(fid::text, ' ' ORDER BY fid) FROM parcel_gov.$view")
  is "$(fids --config PGSQL_OGR_FID fid "$pg" "parcel_gov.$view" | sort -n | paste -sd' ')" "$want" \
     "$view: with PGSQL_OGR_FID fid the feature ids are fid"
  # without it GDAL numbers the rows 0, 1, …: not the key QGIS and the tiles use
  is "$(fids "$pg" "parcel_gov.$view" | paste -sd' ')" "$(seq -s' ' 0 $(($(wc -w <<< "$want") - 1)))" \
     "$view: without it GDAL numbers the rows itself"
done

# a parcel of two kinds: a list in GDAL, "(2:…)" in a GeoPackage, kinds_text beside it
IFS='|' read -r fid code year kinds kinds_text < <(as_analyst "SELECT fid, code, year, array_to_string(kinds, ' '), kinds_text
    FROM parcel_gov.v_parcel_efficiency WHERE cardinality(kinds) = 2 ORDER BY fid LIMIT 1")
set -- $kinds
list="(2:$1,$2)"
is "$(ogrinfo -ro -q --config PGSQL_OGR_FID fid "$pg" parcel_gov.v_parcel_efficiency -fid "$fid" |
      sed -n 's/^ *kinds (StringList) = //p')" "$list" "v_parcel_efficiency.kinds of $code: a StringList"
ogr2ogr -f GPKG "$work/parcels.gpkg" "$pg" parcel_gov.v_parcel_efficiency -nln parcels --config PGSQL_OGR_FID fid \
  2> "$work/ogr2ogr.log"   # its warning: GeoPackage has no list type
is "$(ogrinfo -ro -q "$work/parcels.gpkg" parcels -fid "$fid" |
      sed -n -e 's/^ *code (String) = //p' -e 's/^ *kinds\(_text\)\{0,1\} ([A-Za-z]*) = //p' | paste -sd' ')" \
   "$code $list $kinds_text" "GeoPackage: fid kept as the feature id, kinds $list, kinds_text beside"
is "$($PYTHON -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute(
        "SELECT fid, kinds FROM parcels WHERE fid = ?", (sys.argv[2],)).fetchone())' \
        "$work/parcels.gpkg" "$fid")" "$fid $list" "GeoPackage's table holds fid and kinds as $list"

# the tile at zoom 14 around that parcel, decoded by GDAL's MVT driver
read -r z x y < <(as_analyst "SELECT 14, floor((lon + 180) / 360 * 2 ^ 14)::int,
    floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * 2 ^ 14)::int
    FROM parcel_gov.v_parcel_efficiency WHERE fid = $fid" | tr '|' ' ')
mkdir -p "$work/tiles/$z/$x"
as_analyst "SELECT encode(parcel_gov.parcel_tile($z, $x, $y, '{\"region\": \"330604\", \"year\": $year}'), 'hex')" |
  $PYTHON -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' > "$work/tiles/$z/$x/$y.pbf"
is "$(ogrinfo -ro -so "$work/tiles/$z/$x/$y.pbf" parcels | sed -n 's/^Feature Count: //p')" \
   "$(as_analyst "SELECT count(*) FROM parcel_gov.v_parcel_efficiency WHERE year = $year
                  AND ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope($z, $x, $y, margin => 64.0 / 4096))")" \
   "tile $z/$x/$y of $year: every parcel that reaches it"
is "$(ogrinfo -ro -q "$work/tiles/$z/$x/$y.pbf" parcels -where "code = '$code'" |
      sed -n -e 's/^ *mvt_id (Integer64) = //p' -e 's/^ *kinds (String) = //p' | paste -sd' ')" \
   "$fid $kinds_text" "tile $z/$x/$y: $code's feature id (mvt_id) is its fid, kinds a plain string"
is "$(ogrinfo -ro -q "$work/tiles/$z/$x/$y.pbf" parcels -where "code = '$code'" | sed -n 's/^ *kind_labels (String) = //p')" \
   "$(as_analyst "SELECT kind_labels_text FROM parcel_gov.v_parcel_efficiency WHERE fid = $fid")" \
   "tile $z/$x/$y: kind_labels joined with 、"

[ "$failures" -eq 0 ]
