#!/usr/bin/env bash
# The maps as their consumers read them (README: Maps), on the sample county:
# a vector tile decoded by GDAL's MVT driver has the parcels of its tile with
# their attributes and their holders' plans, and the first parcel's corner
# where the hand computation puts it; the GeoJSON read by GDAL has one feature per parcel with the
# parcels' own shapes; the printed map of three counties (parks far apart,
# one park, six parks) parses as XML (xmllint) with one path per parcel, its
# panels and a key beside them, and renders to a PNG (rsvg-convert).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/checkdb.sh
checkdb maps_check
q -f demo/sample_county.sql -f demo/register_flow.sql >/dev/null
pg="PG:dbname=$db host=$PGHOST user=$PGUSER"

# Tile 14/13689/6754 holds the first parcel (120.8001 °E, 30.1001 °N).
q -c "SELECT encode(parcel_gov.parcel_tile(14, 13689, 6754, '{\"region\": \"330604\", \"year\": 2024}'), 'base64')" \
  | base64 -d > "$work/tile.pbf"
ogr2ogr -f PostgreSQL "$pg" "$work/tile.pbf" -oo X=13689 -oo Y=6754 -oo Z=14 -nln decoded_tile -lco GEOMETRY_NAME=geom
# Web Mercator of 120.8001 °E, 30.1001 °N: x = R·λ, y = R·ln tan(π/4 + φ/2), R = 6378137 m
result=$(q -c "
  WITH tile AS (SELECT ST_TileEnvelope(14, 13689, 6754) AS box),
  expected AS (SELECT v.code, v.grade::text AS grade, v.register_state::text AS state
               FROM parcel_gov.v_parcel_efficiency v, tile
               WHERE v.year = 2024 AND ST_Intersects(ST_Transform(v.geom, 3857), tile.box))
  SELECT (SELECT count(*) FROM expected) > 0,
         (SELECT count(*) FROM expected e WHERE NOT EXISTS (
            SELECT FROM decoded_tile d WHERE d.code = e.code AND d.grade IS NOT DISTINCT FROM e.grade
                                          AND d.register_state IS NOT DISTINCT FROM e.state)) = 0,
         (SELECT abs(ST_XMin(geom) - 6378137 * radians(120.8001)) < 1
                 AND abs(ST_YMin(geom) - 6378137 * ln(tan(pi() / 4 + radians(30.1001) / 2))) < 1
          FROM decoded_tile WHERE code = '330604001001GB00001')")
[ "$result" = "t|t|t" ] || fail "tile: parcels present, attributes as the view, first corner within 1 m: $result"

# The holder's plan in the tile (一企一策): next_grade and tax_needed as
# v_firm_plan has them; none for a holder at the top grade.
result=$(q -c "
  SELECT count(*) FILTER (WHERE fp.uscc IS NOT NULL) > 0,
         count(*) FILTER (WHERE d.next_grade IS NOT DISTINCT FROM fp.next_grade
                            AND (d.tax_needed = fp.tax_needed OR d.tax_needed IS NULL AND fp.tax_needed IS NULL)) = count(*)
  FROM decoded_tile d JOIN parcel_gov.parcel p ON p.code = d.code
  LEFT JOIN parcel_gov.v_firm_plan fp ON fp.uscc = p.holder_uscc AND fp.year = 2024")
[ "$result" = "t|t" ] || fail "tile: the holders' next grade and tax needed as v_firm_plan has them: $result"

# GeoJSON read back by GDAL: 300 features, each the parcel's shape.
q -c "SELECT parcel_gov.parcels_geojson('330604', 2024)" > "$work/parcels.geojson"
ogr2ogr -f PostgreSQL "$pg" "$work/parcels.geojson" -nln decoded_geojson -lco GEOMETRY_NAME=geom
result=$(q -c "
  SELECT count(*) = 300, count(*) FILTER (WHERE ST_SRID(d.geom) = 4326) = 300,
         count(*) FILTER (WHERE ST_HausdorffDistance(ST_SetSRID(d.geom, 4490), p.geom) < 1e-6) = 300
  FROM decoded_geojson d JOIN parcel_gov.parcel p ON p.code = d.code")
[ "$result" = "t|t|t" ] || fail "GeoJSON: 300 features in WGS 84 with the parcels' shapes: $result"

# The printed map of three counties, each rendered to /tmp/map-<region>.png
# by rsvg-convert (look at them): 上虞 with its three parks far apart and an
# (illustrative) boundary, 越城 with one park, 柯桥 with six parks and a
# boundary.  The other two are the sample county moved: its script with the
# codes, names and park plan changed, in databases of their own.
# map_check REGION DB PANELS: well-formed, 1189 × 841, 300 parcel shapes,
# PANELS panels, the key beside them, a PNG of the page's size.
map_check() {
  local region=$1 mdb=$2 panels=$3 svg="$work/map-$1.svg" x
  psql -X -At -v ON_ERROR_STOP=1 -d "$mdb" -c "SELECT parcel_gov.map_svg('$region', 2024)" > "$svg"
  xmllint --noout "$svg" || fail "$region: SVG does not parse"
  x() { xmllint --xpath "$1" "$svg"; }
  [ "$(x "string(/*/@width)") $(x "string(/*/@height)")" = "1189 841" ] || fail "$region: page is not 1189 × 841"
  [ "$(x "count(//*[local-name()='path'][@class='parcel'])")" = 300 ] || fail "$region: want 300 parcel paths"
  [ "$(x "count(//*[local-name()='g'][@class='panel'])")" = "$panels" ] || fail "$region: want $panels panels"
  [ "$(x "count(//*[local-name()='g'][@id='key']/*[local-name()='rect'][@class='swatch'])")" = 13 ] \
    || fail "$region: want 13 key swatches (5 grades, 6 states, hatch, park)"
  # the key's column starts right of every panel
  [ "$(x "count(//*[local-name()='g'][@class='panel'][@data-x + @data-width >= //*[local-name()='g'][@id='key']/@data-x])")" = 0 ] \
    || fail "$region: a panel reaches the key"
  rsvg-convert -o "/tmp/map-$region.png" "$svg"
  [ "$(file -b "/tmp/map-$region.png" | grep -o '1189 x 841')" = "1189 x 841" ] || fail "$region: PNG is not 1189 x 841"
}
# sample_as CODE NAME PLAN: the sample county's script for another county
sample_as() {
  sed -e "s/330604/$1/g" -e "s/上虞/$2/g" demo/sample_county.sql \
    | awk -v plan="$3" '/^INSERT INTO park_plan VALUES/ {print; print plan; skip = 1; next}
                        skip && /;$/ {skip = 0; next} !skip {print}'
}
other_db() {
  psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
}
trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS ${db}_one" \
      -c "DROP DATABASE IF EXISTS ${db}_many" 2>/dev/null || true' EXIT

q -f demo/sample_boundary.sql
map_check 330604 "$db" 4

# 越城 (330602): the three park plans side by side, then made one park.
other_db "${db}_one"
{ sample_as 330602 越城 "  (1, '越城经济开发区', 120.800, 30.100, 15, 10), (2, '越城经济开发区二期', 120.830, 30.100, 10, 9),
  (3, '越城经济开发区三期', 120.800, 30.085, 10, 6);"
  sed "s/330604/330602/g" demo/register_flow.sql
  echo "UPDATE parcel_gov.parcel SET park_id = 1; DELETE FROM parcel_gov.park WHERE id > 1;"
} | psql -X -q -v ON_ERROR_STOP=1 -d "${db}_one" >/dev/null
map_check 330602 "${db}_one" 1

# 柯桥 (330603): six parks over a county of about 30 × 25 km, its boundary
# loaded; the four largest get insets.
other_db "${db}_many"
{ sample_as 330603 柯桥 "  (1, '柯桥经济技术开发区', 120.45, 30.10, 10, 6), (2, '滨海工业区', 120.62, 30.14, 10, 5),
  (3, '钱清工业园', 120.40, 30.02, 8, 6), (4, '兰亭工业园', 120.55, 29.93, 8, 6),
  (5, '平水工业园', 120.67, 29.97, 7, 6), (6, '齐贤工业功能区', 120.53, 30.05, 13, 4);"
  sed "s/330604/330603/g" demo/register_flow.sql
  echo "INSERT INTO parcel_gov.region_boundary (region_code, geom, source) VALUES ('330603',
          ST_Multi(ST_GeomFromText('POLYGON((120.36 30.05, 120.42 30.17, 120.60 30.20, 120.72 30.15, 120.73 29.98,
                                             120.62 29.90, 120.50 29.89, 120.38 29.96, 120.36 30.05))', 4490)), 'check-maps');"
} | psql -X -q -v ON_ERROR_STOP=1 -d "${db}_many" >/dev/null
map_check 330603 "${db}_many" 5
