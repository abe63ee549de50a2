#!/usr/bin/env bash
# The maps as their consumers read them (README: Maps), on the sample county:
# a vector tile decoded by GDAL's MVT driver has the parcels of its tile with
# their attributes, and the first parcel's corner where the hand computation
# puts it; the GeoJSON read by GDAL has one feature per parcel with the
# parcels' own shapes; the SVG parses as XML (xmllint) with one path per parcel.
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

# GeoJSON read back by GDAL: 300 features, each the parcel's shape.
q -c "SELECT parcel_gov.parcels_geojson('330604', 2024)" > "$work/parcels.geojson"
ogr2ogr -f PostgreSQL "$pg" "$work/parcels.geojson" -nln decoded_geojson -lco GEOMETRY_NAME=geom
result=$(q -c "
  SELECT count(*) = 300, count(*) FILTER (WHERE ST_SRID(d.geom) = 4326) = 300,
         count(*) FILTER (WHERE ST_HausdorffDistance(ST_SetSRID(d.geom, 4490), p.geom) < 1e-6) = 300
  FROM decoded_geojson d JOIN parcel_gov.parcel p ON p.code = d.code")
[ "$result" = "t|t|t" ] || fail "GeoJSON: 300 features in WGS 84 with the parcels' shapes: $result"

# SVG: well-formed, one path per parcel, a legend.
q -c "SELECT parcel_gov.map_svg('330604', 2024)" > "$work/map.svg"
xmllint --noout "$work/map.svg" || fail "SVG does not parse"
paths=$(xmllint --xpath "count(//*[local-name()='path'][@class='parcel'])" "$work/map.svg")
legend=$(xmllint --xpath "count(//*[local-name()='g'][@id='legend']/*[local-name()='rect'])" "$work/map.svg")
[ "$paths" = 300 ] && [ "$legend" = 12 ] || fail "SVG: $paths parcel paths (want 300), $legend legend swatches (want 12)"
