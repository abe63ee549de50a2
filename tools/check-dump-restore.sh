#!/usr/bin/env bash
# pg_dump keeps user data (design.md §3, §8): a database with an evaluated
# county survives pg_dump and pg_restore into an empty database with the same
# rows, including generated areas, identity values and the adopted rule set.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PGHOST:?run inside make test (needs the throwaway cluster)}"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
dump=$(mktemp /tmp/parcel_gov_dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

q -d postgres -c 'DROP DATABASE IF EXISTS dump_from' -c 'DROP DATABASE IF EXISTS dump_to' \
  -c 'CREATE DATABASE dump_from' -c 'CREATE DATABASE dump_to'
q -d dump_from -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
q -d dump_from -f demo/sample_county.sql >/dev/null
q -d dump_from -c "SET client_min_messages = warning" \
  -c "SELECT parcel_gov.rule_set_adopt('tax_only_below', 'shangyu', '330604', 2024)" \
  -f demo/register_flow.sql >/dev/null

# (pg_dump warns that region refers to itself; COPY checks those keys at its end)
"$PG_BIN/pg_dump" -Fc -d dump_from -f "$dump" 2> >(grep -v -e 'circular foreign-key' -e 'detail: region' -e 'hint: ' >&2)
# The register's guards refuse rows that did not come through its procedure,
# so data is restored as replication applies it: session_replication_role =
# replica (a superuser setting) keeps ordinary triggers from firing.
PGOPTIONS="${PGOPTIONS:-} -c session_replication_role=replica" \
  "$PG_BIN/pg_restore" --exit-on-error -d dump_to "$dump"

fingerprint() {
  psql -X -At -d "$1" -c "
    SELECT string_agg(t || ':' || n, ' ' ORDER BY t) FROM (
      SELECT 'parcel' AS t, count(*) || '/' || round(sum(area_mu)::numeric, 6) || '/' || max(fid) AS n FROM parcel_gov.parcel
      UNION ALL SELECT 'lease', count(*) || '/' || max(id) FROM parcel_gov.lease
      UNION ALL SELECT 'enterprise_year', count(*)::text FROM parcel_gov.enterprise_year
      UNION ALL SELECT 'evaluation', count(*) || '/' || md5(string_agg(e::text, '' ORDER BY year, uscc)) FROM parcel_gov.evaluation e
      UNION ALL SELECT 'register', count(*) || '/' || md5(string_agg(r::text, '' ORDER BY parcel_code)) FROM parcel_gov.register r
      UNION ALL SELECT 'register_event', count(*) || '/' || md5(string_agg(e::text, '' ORDER BY id)) FROM parcel_gov.register_event e
      UNION ALL SELECT 'rule_set', string_agg(id, ',' ORDER BY id) FROM parcel_gov.rule_set
      UNION ALL SELECT 'rule_indicator', count(*)::text FROM parcel_gov.rule_indicator
      UNION ALL SELECT 'next park id', nextval(pg_get_serial_sequence('parcel_gov.park', 'id'))::text) AS f"
}
before=$(fingerprint dump_from)
after=$(fingerprint dump_to)
q -d postgres -c 'DROP DATABASE dump_from' -c 'DROP DATABASE dump_to'
if [ "$before" != "$after" ]; then
  echo "dump/restore changed the data:" >&2
  echo "  before: $before" >&2
  echo "  after:  $after" >&2
  exit 1
fi
