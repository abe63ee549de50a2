#!/usr/bin/env bash
# Extension-script and function safety (PostgreSQL's "Security Considerations
# for Extension Scripts"; CVE-2022-2625, CVE-2023-39417): under a hostile
# search_path, a schema ahead of pg_catalog shadowing the functions and
# operators parcel_gov uses (tools/hostile_schema.sql), and under an empty
# one, the extension installs, updates from 1.0.0, runs (evaluate, register,
# views, maps, import, grants, the aggregates), survives pg_dump/pg_restore and
# drops; and not one hostile function was ever called.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/checkdb.sh
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
dump="$(mktemp /tmp/parcel_gov_sp_dump.XXXXXX)"

use_it() {   # the extension at work, under the database's search_path
  q -c "SET client_min_messages = warning" -c "
    SELECT pg_catalog.set_config('search_path', pg_catalog.current_setting('search_path'), false);
    SELECT parcel_gov.evaluate(2024, '330604');
    SELECT parcel_gov.transition(p.code, 'candidate', 'check') FROM parcel_gov.parcel p
    WHERE NOT EXISTS (SELECT FROM parcel_gov.register r WHERE r.parcel_code OPERATOR(pg_catalog.=) p.code) LIMIT 1;
    SELECT pg_catalog.count(*) FROM parcel_gov.v_parcel_efficiency;
    SELECT pg_catalog.count(*) FROM parcel_gov.v_register;
    SELECT pg_catalog.count(*) FROM parcel_gov.v_region_summary;
    SELECT pg_catalog.count(*) FROM parcel_gov.v_enterprise_evaluation;
    SELECT pg_catalog.count(*) FROM parcel_gov.v_park_ranking;
    SELECT pg_catalog.count(*) FROM parcel_gov.v_low_efficiency_clusters;
    SELECT pg_catalog.length(parcel_gov.map_svg('330604', 2024));
    SELECT pg_catalog.length(parcel_gov.parcel_tile(14, 13689, 6754, '{\"region\": \"330604\"}'));
    SELECT pg_catalog.json_typeof(parcel_gov.parcels_geojson('330604'));
    SELECT parcel_gov.region_grant('parcel_gov_reader', '330604');
    SELECT parcel_gov.per_mu_agg(tax, 1.0::float8) FROM parcel_gov.enterprise_year;
    SELECT parcel_gov.indicators_agg(tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t, electricity_kwh, NULL, NULL, NULL, 1.0::float8)
    FROM parcel_gov.enterprise_year;
    SELECT parcel_gov.tax_tier(7.5::float8), parcel_gov.uscc_valid('91330604MA2B00078Q'), parcel_gov.sqm_to_mu(2000::float8);
    SELECT parcel_gov.evaluation_discard(2023, '330604');" >/dev/null
}

for path in "hostile, pg_catalog, public" "''"; do
  checkdb search_path_check
  q -c "SET client_min_messages = warning" -c "DROP EXTENSION parcel_gov" \
    -f tools/hostile_schema.sql >/dev/null
  q -c "ALTER DATABASE $db SET search_path = $path"
  # install, load, use, update from 1.0.0, dump and restore, drop
  q -c "CREATE EXTENSION parcel_gov"
  q -f demo/sample_county.sql -f demo/register_flow.sql >/dev/null
  use_it
  "$PG_BIN/pg_dump" -Fc -d $db -f "$dump" 2>/dev/null
  q -c "SET client_min_messages = warning" -c "DROP EXTENSION parcel_gov CASCADE"
  q -c "CREATE EXTENSION parcel_gov VERSION '1.0.0'" -c "ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'" \
    -c "ALTER EXTENSION parcel_gov UPDATE"
  q -c "SET client_min_messages = warning" -c "DROP EXTENSION parcel_gov CASCADE"
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS search_path_restored" -c "CREATE DATABASE search_path_restored" \
    -c "ALTER DATABASE search_path_restored SET search_path = $path"
  "$PG_BIN/pg_restore" --exit-on-error -d search_path_restored "$dump"
  restored=$(psql -X -At -d search_path_restored -c "SELECT pg_catalog.count(*) FROM parcel_gov.register_event" \
             -c "SELECT pg_catalog.count(*) FROM hostile.calls")
  db_saved=$db; db=search_path_restored; use_it; db=$db_saved
  calls=$(q -c "SELECT pg_catalog.string_agg(DISTINCT fn, ', ') FROM hostile.calls")
  calls_restored=$(psql -X -At -d search_path_restored -c "SELECT pg_catalog.string_agg(DISTINCT fn, ', ') FROM hostile.calls")
  psql -X -q -d postgres -c "DROP DATABASE search_path_restored"
  [ -z "$calls$calls_restored" ] || q -c "SELECT DISTINCT fn, left(query, 300) FROM hostile.calls" >&2; [ -z "$calls$calls_restored" ] || fail "search_path $path: hostile functions called: $calls / after restore: $calls_restored"
  [ "$(head -1 <<<"$restored")" -gt 0 ] || fail "search_path $path: the register's history did not come back"
  echo "search_path $path: install, use, update, pg_dump/pg_restore, drop: no hostile call"
  trap - EXIT; rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE $db"
done
rm -f "$dump"
