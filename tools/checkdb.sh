# checkdb.sh — sourced by the tools/check-*.sh scripts that need a database of
# their own in make test's throwaway cluster:
#   checkdb NAME   a new database NAME with the extension, a work folder in
#                  $work (both removed on exit), q = psql on it, fail = stop
: "${PGHOST:?run inside make test (needs the throwaway cluster)}"
checkdb() {
  db=$1
  work=$(mktemp -d "/tmp/parcel_gov_$db.XXXXXX")
  trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true' EXIT
  psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "$(basename "$0"): $*" >&2; exit 1; }
