#!/usr/bin/env bash
# MapServer 8 serving clients/mapserver/parcels.map as WMS, run as a CGI the
# way a web server runs it: GetCapabilities, a GetMap of the county (a PNG of
# the size asked, in the grade colours) and a GetFeatureInfo at the first
# parcel (its code and grade label, Chinese intact).
set -uo pipefail
cd "$(dirname "$0")/.."
. clients/lib.sh

# MapServer 8 serves only the maps its config file allows
conf=$CLIENT_WORK/mapserver.conf
cat > "$conf" <<CONF
CONFIG
  ENV
    MS_MAP_PATTERN "^$PWD/clients/mapserver/"
  END
END
CONF
map=$PWD/clients/mapserver/parcels.map

# mapserv QUERY_STRING > body; the CGI headers go to "$CLIENT_WORK/headers"
wms() {
  MAPSERVER_CONFIG_FILE=$conf REQUEST_METHOD=GET QUERY_STRING="map=$map&SERVICE=WMS&VERSION=1.1.1&$1" \
    PGPASSWORD=$CLIENT_PASSWORD mapserv | $PYTHON -c '
import sys
raw = sys.stdin.buffer.read()
head, _, body = raw.partition(b"\r\n\r\n")
open(sys.argv[1], "wb").write(head)
sys.stdout.buffer.write(body)' "$CLIENT_WORK/headers"
}

wms "REQUEST=GetCapabilities" > "$CLIENT_WORK/capabilities.xml"
is "$(xmllint --xpath 'string(//Layer/Layer/Name)' "$CLIENT_WORK/capabilities.xml" 2>&1)" parcels \
   "GetCapabilities names the layer"

# the county's 2024 parcels, their extent as SQL has it
bbox=$(as_analyst "SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))
                   FROM (SELECT ST_Extent(geom) AS e FROM parcel_gov.v_parcel_efficiency WHERE year = 2024) x")
wms "REQUEST=GetMap&LAYERS=parcels&STYLES=&SRS=EPSG:4490&BBOX=$bbox&WIDTH=800&HEIGHT=600&FORMAT=image/png" \
  > "$CLIENT_WORK/getmap.png"
is "$(grep -a -o 'Content-Type: [a-z/]*' "$CLIENT_WORK/headers")" "Content-Type: image/png" "GetMap answers a PNG"
# the colours map_svg uses, as the mapfile's classes should
key=$(as_analyst "SELECT string_agg(coalesce(grade, 'none') || '=' || colour, ' ' ORDER BY n) FROM parcel_gov.map_grade_key()")
is "$($PYTHON - "$CLIENT_WORK/getmap.png" $key <<'PY'
import sys
from PIL import Image, ImageColor
image = Image.open(sys.argv[1])
rgb = image.convert('RGB')
colours = {c for n, c in rgb.getcolors(rgb.width * rgb.height) if n >= 20}
grades = [g for g, c in (k.split('=') for k in sys.argv[2:]) if ImageColor.getrgb(c) in colours]
print(image.format, image.size, 'blank' if len(colours) < 2 else 'drawn', *grades)
PY
)" "PNG (800, 600) drawn A B C D none" "GetMap: a PNG of the size asked, in map_svg's colour of every grade"

# GetFeatureInfo at a point inside the first parcel, in a small box around it
read -r code label lon lat < <(as_analyst "SELECT code, grade_label, ST_X(p), ST_Y(p) FROM (
    SELECT code, grade_label, ST_PointOnSurface(geom) AS p FROM parcel_gov.v_parcel_efficiency
    WHERE year = 2024 AND grade IS NOT NULL ORDER BY code LIMIT 1) x" | tr '|' ' ')
box=$($PYTHON -c "print(f'{$lon - 0.0005},{$lat - 0.0005},{$lon + 0.0005},{$lat + 0.0005}')")
info="REQUEST=GetFeatureInfo&LAYERS=parcels&QUERY_LAYERS=parcels&STYLES=&SRS=EPSG:4490&BBOX=$box"
info="$info&WIDTH=101&HEIGHT=101&X=50&Y=50&FEATURE_COUNT=5"
wms "$info&INFO_FORMAT=application/vnd.ogc.gml" > "$CLIENT_WORK/info.gml"
is "$(xmllint --xpath 'concat(//parcels_feature/code, " ", //parcels_feature/grade_label)' "$CLIENT_WORK/info.gml" 2>&1)" \
   "$code $label" "GetFeatureInfo (GML) at the first parcel: its code and grade label"
wms "$info&INFO_FORMAT=text/plain" > "$CLIENT_WORK/info.txt"
is "$(grep -c -e "code = '$code'" -e "grade_label = '$label'" "$CLIENT_WORK/info.txt")" 2 \
   "GetFeatureInfo (text/plain) names $code and $label"

[ "$failures" -eq 0 ]
