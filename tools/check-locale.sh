#!/usr/bin/env bash
# A database whose collation is not "C" (Debian's clusters default to
# C.UTF-8): region searches still read through indexes, the update gives the
# indexes a fresh install has, and the engine's results are those of a "C"
# database.  make test's own databases are "C" (initdb --no-locale), where a
# btree index serves starts_with() whatever this script checks.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PGHOST:?run inside make test (needs the throwaway cluster)}"
dbs=(locale_check locale_updated locale_c)
cleanup() { for d in "${dbs[@]}"; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" 2>/dev/null || true; done; }
trap cleanup EXIT
fail() { echo "$(basename "$0"): $*" >&2; exit 1; }
on() { local d=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@"; }
make_db() {   # NAME COLLATION
  psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" \
    -c "CREATE DATABASE $1 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '$2' LC_CTYPE '$2'"
}

make_db locale_check C.UTF-8
make_db locale_updated C.UTF-8
make_db locale_c C
on locale_check -c "SET client_min_messages = warning" -c "CREATE EXTENSION parcel_gov CASCADE"
on locale_c -c "SET client_min_messages = warning" -c "CREATE EXTENSION parcel_gov CASCADE"
on locale_updated -c "SET client_min_messages = warning" -c "CREATE EXTENSION postgis" \
  -c "CREATE EXTENSION parcel_gov VERSION '1.12.0'" -c "ALTER EXTENSION parcel_gov UPDATE"

# 1. Each region search, as the engine and the views make it, on an index
#    range (sequential scans off: the sample's tables are small enough for
#    the planner to prefer them otherwise, as a county's run never does).
searches=(
  "parcel_gov.parcel p WHERE starts_with(p.region_code, '330604')"
  "parcel_gov.enterprise e WHERE starts_with(e.region_code, '330604')"
  "parcel_gov.evaluation e WHERE starts_with(e.region_code, '330604')"
  "parcel_gov.evaluation_quarter e WHERE starts_with(e.region_code, '330604')"
  "parcel_gov.register r WHERE starts_with(r.parcel_code, '330604')"
  "parcel_gov.lease l WHERE starts_with(l.parcel_code, '330604')"
  "parcel_gov.issue i WHERE starts_with(i.parcel_code, '330604') AND i.closed IS NULL"
)
for d in locale_check locale_updated locale_c; do
  for s in "${searches[@]}"; do
    plan=$(on $d -c "SET enable_seqscan = off" -c "EXPLAIN (COSTS OFF) SELECT FROM $s")
    grep -Eq "Index Cond: .*_code\)?(::text)? >= '330604'" <<<"$plan" ||
      fail "$d: not read through an index range: SELECT FROM $s
$plan"
  done
done
echo "the region and parcel-code prefix searches read index ranges under collations C.UTF-8 (installed and updated) and C"

# 2. The update gives the indexes of a fresh install.
indexes="SELECT string_agg(indexdef, E'\n' ORDER BY indexdef) FROM pg_indexes WHERE schemaname = 'parcel_gov'"
[ "$(on locale_check -c "$indexes")" = "$(on locale_updated -c "$indexes")" ] ||
  fail "updated from 1.12.0 under C.UTF-8, the indexes differ from a fresh install's:
$(diff <(on locale_check -c "$indexes") <(on locale_updated -c "$indexes"))"
twins=$(on locale_check -c "SELECT count(*) FROM pg_indexes WHERE schemaname = 'parcel_gov' AND indexdef LIKE '%COLLATE \"C\"%'")
[ "$twins" = 7 ] || fail "C.UTF-8: $twins region and code indexes in collation \"C\", expected 7"
c_twins=$(on locale_c -c "SELECT count(*) FROM pg_indexes WHERE schemaname = 'parcel_gov' AND indexdef LIKE '%COLLATE \"C\"%'")
[ "$c_twins" = 0 ] || fail "a \"C\" database got $c_twins twin indexes: its own serve prefixes"
echo "updated from 1.12.0, the C.UTF-8 database has the fresh install's indexes ($twins in collation \"C\"; none in a \"C\" database)"

# 3. The engine's results do not depend on the collation.
digest="SELECT md5(string_agg(concat_ws('|', uscc, pool, score, rank, grade, not_graded), ',' ORDER BY uscc COLLATE \"C\"))
        FROM parcel_gov.evaluation WHERE year = 2024"
for d in locale_check locale_c; do
  on $d -f demo/sample_county.sql >/dev/null
  on $d -c "SET client_min_messages = warning" -c "SELECT parcel_gov.evaluate(2024, '330604')" >/dev/null
done
rows=$(on locale_c -c "SELECT count(*) FROM parcel_gov.evaluation WHERE year = 2024 AND grade IS NOT NULL")
[ "$rows" -gt 0 ] || fail "the sample county graded no firm"
[ "$(on locale_check -c "$digest")" = "$(on locale_c -c "$digest")" ] ||
  fail "evaluate(2024, '330604') differs between collations C.UTF-8 and C"
echo "evaluate(2024, '330604'): the same $rows graded rows under C.UTF-8 and C"
