#!/usr/bin/env bash
# bench/locale_bench.sh: one county's correction in a database whose
# collation is not "C" (C.UTF-8, Debian's default), on the cluster it is
# given: generate_province.sql at LOCALE_PARCELS parcels (200,000 by
# default), 2022 to 2024 evaluated first (untimed), then locale_cases.sql
# (evaluate() against the lean query, with the region indexes in collation
# "C" and without them, as 1.12.0 had it) and its report.
#   LOCALE_PARCELS=200000 bash bench/locale_bench.sh
set -euo pipefail
PARCELS=${LOCALE_PARCELS:-200000}
SEED=${SEED:-0.42}
db=parcel_gov_locale
q() { PGOPTIONS='-c client_min_messages=warning' psql -q -X -At -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "DROP DATABASE IF EXISTS $db" \
  -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
q -d $db -c 'CREATE EXTENSION parcel_gov CASCADE' -c 'CREATE SCHEMA bench'
q -d $db -v parcels="$PARCELS" -v seed="$SEED" -f bench/generate_province.sql >/dev/null
q -d $db -c 'SELECT parcel_gov.evaluate(2022)' -c 'SELECT parcel_gov.evaluate(2023)' \
  -c 'SELECT parcel_gov.evaluate(2024)' -c 'VACUUM ANALYZE' >/dev/null
q -d $db -f bench/harness.sql -f bench/lean_grades.sql -f bench/locale_cases.sql
echo "collation C.UTF-8, $PARCELS parcels:"
psql -X -v ON_ERROR_STOP=1 -d $db -f bench/report.sql
q -d postgres -c "DROP DATABASE $db"
