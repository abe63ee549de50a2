#!/usr/bin/env bash
# bench/growth.sh: evaluate(2024) at growing sizes, each in a database of its
# own made by generate_province.sql (2022 to 2024 evaluated first, untimed):
# the median of 3 reruns of 2024 on unchanged data, of the lean query for the
# same grades (lean_grades.sql, alternating with the reruns; "same" checks
# every firm's grade), of 3 first runs of a new year (next_year.sql), and the
# peak memory of a rerun in a backend of its own (memory.sql).  Prints a table.
# On the cluster it is given (run.sh's: shared_buffers 2GB, work_mem 256MB);
# 3×10⁶ parcels need about 8 GB of disk for the database and its WAL.
#   GROWTH_SIZES="10000 100000 1000000 3000000" bash bench/growth.sh
set -euo pipefail
SIZES=${GROWTH_SIZES:-10000 100000 1000000 3000000}
SEED=${SEED:-0.42}
q() { PGOPTIONS='-c client_min_messages=warning' psql -q -X -At -v ON_ERROR_STOP=1 "$@"; }
rows=()
for n in $SIZES; do
  db=parcel_gov_growth_$n
  q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  q -d $db -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE' -c 'CREATE SCHEMA bench'
  q -d $db -v parcels="$n" -v seed="$SEED" -f bench/generate_province.sql >/dev/null
  q -d $db -c 'SET client_min_messages = warning' -c 'SELECT parcel_gov.evaluate(2022)' \
    -c 'SELECT parcel_gov.evaluate(2023)' -c 'SELECT parcel_gov.evaluate(2024)' >/dev/null
  q -d $db -f bench/harness.sql -f bench/next_year.sql -f bench/lean_grades.sql
  # (each CALL a statement of its own: the procedure commits between runs)
  # the rerun forced (1.12.0): every county read and scored, as before
  forced=$(q -d $db -c "SELECT CASE WHEN EXISTS (SELECT FROM pg_proc WHERE proname = 'evaluate' AND 'force' = ANY (proargnames))
                             THEN 'SELECT parcel_gov.evaluate(2024, NULL, true)' ELSE 'SELECT parcel_gov.evaluate(2024)' END")
  q -d $db -c "CALL bench.compare('rerun', 2, '$forced', 'SELECT bench.lean_grades(2024)',
                                  'SELECT bench.lean_differs(2024) = 0', 3)"
  memory=$(psql -X -At -d $db -f bench/memory.sql 2>&1)
  q -d $db -c "CALL bench.compare('first run of a new year', 2,
                                  'SELECT parcel_gov.evaluate(current_setting(''bench.year'')::int)', 'SELECT 1',
                                  'SELECT true', 3, 'SELECT bench.next_year()')"
  times=$(q -d $db -c "SELECT string_agg(round(ours_ms::numeric)::text, ' ' ORDER BY n) FROM bench.result")
  lean=$(q -d $db -c "SELECT round(plain_ms::numeric) || CASE WHEN same THEN '' ELSE ' (grades differ)' END
                      FROM bench.result WHERE name = 'rerun'")
  run_mb=$(sed -n 's/.*the run held \([0-9.]*\) MB.*/\1/p' <<<"$memory")
  private_mb=$(tail -1 <<<"$memory" | cut -d'|' -f3)
  firms=$(q -d $db -c "SELECT count(*) FROM parcel_gov.evaluation WHERE year = 2024")
  rows+=("$n $firms $times $run_mb $private_mb ${lean// /_}")
  q -d postgres -c "DROP DATABASE $db"
done
printf '\n| parcels | firms | forced rerun ms | first run ms | rerun µs per parcel | engine MB | backend private MB (peak) | lean query ms |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for r in "${rows[@]}"; do
  set -- $r
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$(awk -v t="$3" -v n="$1" 'BEGIN { printf "%.2f", t * 1000 / n }')" "$5" "$6" "${7//_/ }"
done
