#!/usr/bin/env bash
# Logical replication of the inputs: a county server publishes its own
# regions (a row filter leaves out the shipped ones, which the subscriber
# has), parcels, firms, leases and yearly figures (native publication); a second
# server with parcel_gov subscribes (registered as bringing the county's
# inputs only, so it evaluates the county itself), and its evaluate() gives
# the same results as the county's, also after a change that arrived while
# the subscription streamed (the replication worker fires row triggers only:
# the change marks' row trigger tells evaluate() the county changed).  The
# county here is a throwaway cluster of its own (wal_level = logical), the
# subscriber a database of make test's.  The province over many counties,
# results and all, is tools/check-province.sh's (make check-province).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PGHOST:?run inside make test (needs the throwaway cluster)}"
. tools/pgenv.sh
# SIDE_PORT, SIDE_TMP: the county cluster's port and where its folder goes
port=${SIDE_PORT:-5433}
county=$(mktemp -d "${SIDE_TMP:-/tmp}/parcel_gov_county.XXXXXX")
stop() {
  psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS replica_sub' 2>/dev/null || true
  side_cluster_stop "$county"
}
trap stop EXIT
side_cluster "$county" "$port" -c wal_level=logical
pub() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$county" -p "$port" -d county "$@"; }
sub() { psql -X -q -At -v ON_ERROR_STOP=1 -d replica_sub "$@"; }
fail() { echo "check-replication: $*" >&2; exit 1; }

psql -X -q -h "$county" -p "$port" -d postgres -c 'CREATE DATABASE county'
pub -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
pub -f demo/sample_county.sql -f demo/sample_boundary.sql >/dev/null
pub -c "INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604100', '甲镇', '330604')"
# the county's own regions: the subscriber has the shipped ones already
pub -c 'CREATE PUBLICATION county_inputs FOR TABLE parcel_gov.region WHERE (NOT shipped), parcel_gov.park,
          parcel_gov.region_boundary, parcel_gov.enterprise, parcel_gov.parcel, parcel_gov.lease, parcel_gov.enterprise_year'
psql -X -q -d postgres -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS replica_sub' -c 'CREATE DATABASE replica_sub'
sub -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
sub -c 'SET client_min_messages = warning' -c "SELECT parcel_gov.subscribe_county('330604', 'county_inputs', results => false)" >/dev/null
sub -c 'SET client_min_messages = warning' -c "CREATE SUBSCRIPTION county_inputs CONNECTION 'host=$county port=$port dbname=county' PUBLICATION county_inputs"

# the initial copy, then a change made after it
for i in $(seq 1 60); do
  [ "$(sub -c "SELECT count(*) FILTER (WHERE srsubstate <> 'r') FROM pg_subscription_rel")" = 0 ] && break
  sleep 0.5
done
pub -c "UPDATE parcel_gov.region SET name = '甲街道' WHERE code = '330604100'" \
    -c "UPDATE parcel_gov.enterprise_year SET tax = tax + 1 WHERE year = 2024 AND uscc = (SELECT min(uscc) FROM parcel_gov.enterprise_year)"
target=$(pub -c "SELECT md5(string_agg(f::text, ',' ORDER BY f.uscc, f.year)) FROM parcel_gov.enterprise_year f")
for i in $(seq 1 60); do
  [ "$(sub -c "SELECT md5(string_agg(f::text, ',' ORDER BY f.uscc, f.year)) FROM parcel_gov.enterprise_year f")" = "$target" ] && break
  sleep 0.5
done
regions=$(sub -c "SELECT count(*) FILTER (WHERE shipped), string_agg(code || ' ' || name || ' ' || level, ',') FILTER (WHERE NOT shipped) FROM parcel_gov.region")
[ "$regions" = "127|330604100 甲街道 township" ] || fail "the subscriber's regions: $regions (shipped, the county's own)"

inputs_pub=$(pub -c "SELECT concat_ws(' ', (SELECT count(*) FROM parcel_gov.parcel), (SELECT round(sum(area_mu)::numeric, 6) FROM parcel_gov.parcel), (SELECT count(*) FROM parcel_gov.enterprise_year), (SELECT count(*) FROM parcel_gov.lease), (SELECT md5(string_agg(b::text, ',')) FROM parcel_gov.region_boundary b))")
inputs_sub=$(sub -c "SELECT concat_ws(' ', (SELECT count(*) FROM parcel_gov.parcel), (SELECT round(sum(area_mu)::numeric, 6) FROM parcel_gov.parcel), (SELECT count(*) FROM parcel_gov.enterprise_year), (SELECT count(*) FROM parcel_gov.lease), (SELECT md5(string_agg(b::text, ',')) FROM parcel_gov.region_boundary b))")
[ "$inputs_pub" = "$inputs_sub" ] || fail "inputs differ: county $inputs_pub, subscriber $inputs_sub"

results="SET client_min_messages = warning; SELECT parcel_gov.evaluate(2024);
  SELECT md5(string_agg(concat_ws('|', uscc, pool, area_mu, score, rank, grade, tax_per_mu), ',' ORDER BY uscc))
  FROM parcel_gov.evaluation WHERE year = 2024;"
graded_pub=$(pub -c "$results" | tail -1)
graded_sub=$(sub -c "$results" | tail -1)
[ -n "$graded_pub" ] || fail "the county evaluated nothing"
[ "$graded_pub" = "$graded_sub" ] || fail "the subscriber's evaluation differs from the county's"

# a firm's figure changed after both evaluated: streamed to the subscriber,
# whose next evaluate() must see that the county changed
pub -c "UPDATE parcel_gov.enterprise_year SET tax = tax * 3 WHERE year = 2024 AND uscc = (SELECT min(uscc) FROM parcel_gov.enterprise_year WHERE year = 2024 AND exempt_reason IS NULL)"
target=$(pub -c "SELECT md5(string_agg(f::text, ',' ORDER BY f.uscc, f.year)) FROM parcel_gov.enterprise_year f")
for i in $(seq 1 60); do
  [ "$(sub -c "SELECT md5(string_agg(f::text, ',' ORDER BY f.uscc, f.year)) FROM parcel_gov.enterprise_year f")" = "$target" ] && break
  sleep 0.5
done
regraded_pub=$(pub -c "$results" | tail -1)
regraded_sub=$(sub -c "$results" | tail -1)
runs=$(sub -c "SELECT counties_evaluated FROM parcel_gov.evaluation_run ORDER BY id DESC LIMIT 1")
sub -c 'ALTER SUBSCRIPTION county_inputs DISABLE' -c 'ALTER SUBSCRIPTION county_inputs SET (slot_name = NONE)' \
    -c 'DROP SUBSCRIPTION county_inputs' >/dev/null
[ "$regraded_pub" != "$graded_pub" ] || fail "the county's figure change changed nothing"
[ "$runs" = 1 ] || fail "the subscriber's evaluate() skipped the county whose figures arrived by replication (counties evaluated: $runs)"
[ "$regraded_pub" = "$regraded_sub" ] || fail "after a streamed change, the subscriber's evaluation differs from the county's"
echo "replication: inputs $inputs_sub (parcels, mu, firm-years, leases) equal; the subscriber's 2024 evaluation equals the county's, also after a streamed change"
