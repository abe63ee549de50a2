#!/usr/bin/env bash
# make check-clients: the views as real clients read them (README: Maps, GIS
# and BI tools).  A throwaway cluster listening on TCP localhost with
# password (scram-sha-256) logins, the demo county loaded, a county analyst
# login (and an operator's, for editing); then each client check in
# clients/, as that login.  The checks print "ok - …" / "not ok - …"; the
# script ends with "N passed, N failed".
#   CLIENTS_PORT   the TCP port (5439)
#   UPDATE_DOCS=1  also write docs/img/qgis-demo.png from the QGIS render
# Arguments name the checks to run (jdbc qgis mapserver gdal); none: all.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh

ensure_packages
build_install
ensure_client_packages

export CLIENTS_PORT=${CLIENTS_PORT:-5439}
CLUSTER_TEMPLATE=/tmp/clients-XXXXXX PG_SERVER_OPTS="-c listen_addresses=localhost -p $CLIENTS_PORT" cluster_start
export PGPORT=$CLIENTS_PORT
# TCP logins by password, as a GIS or BI desktop connects; the socket stays
# trusted for this script's superuser.
cat > "$CLUSTER_DIR/data/pg_hba.conf" <<EOF
local all all trust
host  all all 127.0.0.1/32 scram-sha-256
host  all all ::1/128      scram-sha-256
EOF
run_server_cmd $PG_BIN/pg_ctl -D "$CLUSTER_DIR/data" reload >/dev/null

say "demo county and the analyst login"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE parcel_gov_demo'
export PGDATABASE=parcel_gov_demo
psql -q -X -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 -f demo/sample_county.sql -f demo/sample_boundary.sql >/dev/null
PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 -f demo/register_flow.sql >/dev/null
# a target, so v_target_progress has a row to filter too
psql -q -X -v ON_ERROR_STOP=1 -c "INSERT INTO parcel_gov.region_target VALUES ('330604', 'tax_per_mu', 2023, 20, 2025, 30)"
# the README's county analyst (Roles and regions), for 上虞区, as the clients log in
export CLIENT_DB=parcel_gov_demo CLIENT_USER=shangyu_analyst CLIENT_PASSWORD=clients-check-1
export CLIENT_HOST=localhost CLIENT_REGION=330604 SUPER_SOCKET=$CLUSTER_DIR SUPER_USER=$PGUSER
psql -q -X -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE $CLIENT_USER LOGIN PASSWORD '$CLIENT_PASSWORD' IN ROLE parcel_gov_analyst" \
  -c "SELECT parcel_gov.region_grant('$CLIENT_USER', '$CLIENT_REGION')" >/dev/null
# and a GIS editor of its parcels: an operator (README: Editing in a GIS)
export EDITOR_USER=shangyu_editor EDITOR_PASSWORD=clients-check-2
psql -q -X -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE $EDITOR_USER LOGIN PASSWORD '$EDITOR_PASSWORD' IN ROLE parcel_gov_operator" \
  -c "SELECT parcel_gov.region_grant('$EDITOR_USER', '$CLIENT_REGION')" >/dev/null
export CLIENT_WORK=$CLUSTER_DIR/work
mkdir -p "$CLIENT_WORK"

# Each check prints "ok - ..." / "not ok - ..." lines, counted here; one
# that exits non-zero without a "not ok" line, or checks nothing, fails once.
passed=0
failed=0
ONLY=("$@")
client_check() {
  local name=$1 log=$CLIENT_WORK/$1.log status ok bad
  shift
  [ ${#ONLY[@]} -eq 0 ] || [[ " ${ONLY[*]} " == *" $name "* ]] || return 0
  say "$name"
  set +e
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  ok=$(grep -c '^ok - ' "$log" || true)
  bad=$(grep -c '^not ok - ' "$log" || true)
  if [ "$bad" -eq 0 ] && { [ "$status" -ne 0 ] || [ "$ok" -eq 0 ]; }; then
    echo "not ok - $name: exited $status after $ok checks"
    bad=1
  fi
  passed=$((passed + ok))
  failed=$((failed + bad))
}

export PYTHON=/usr/bin/python3   # Debian's, where python3-qgis and python3-gdal live
jdbc() {
  javac -encoding UTF-8 -cp /usr/share/java/postgresql.jar -d "$CLIENT_WORK" clients/ViewsThroughJdbc.java &&
    java -cp "/usr/share/java/postgresql.jar:$CLIENT_WORK" ViewsThroughJdbc
}
client_check jdbc jdbc
client_check qgis env QT_QPA_PLATFORM=offscreen $PYTHON clients/qgis_layers.py
client_check mapserver bash clients/mapserver.sh
client_check gdal bash clients/gdal.sh

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
