#!/usr/bin/env bash
# make bench: set-up as for make test, then each case against its plain-SQL
# reference on the same generated data, in one run:
#   scoring_cases.sql     the aggregates and quota_grade (ROWS rows)
#   evaluation_cases.sql  evaluate() for the province (PARCELS parcels, 3 years)
#   memory.sql            evaluate()'s peak memory
#   view_cases.sql        the views BI tools read
#   first_run_cases.sql   the first run of a new year
#   register_bench.sh     the register's C triggers
#   import_bench.sh       on a cluster of its own with fsync on: import_enterprise_years()
#                         of 15,000 firm rows, import_cases.sql's import_parcels() of
#                         3,000 and 30,000 parcels
#   growth.sh             evaluate() at 10^4 … 3×10^6 parcels (GROWTH=0 skips it)
#   ROWS=1000000 PARCELS=1000000 SEED=0.42 make bench
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh

ROWS=${ROWS:-1000000}
PARCELS=${PARCELS:-1000000}
SEED=${SEED:-0.42}
PG_SERVER_OPTS="-c shared_buffers=2GB -c work_mem=256MB -c max_parallel_workers_per_gather=2 -c max_wal_size=8GB -c checkpoint_timeout=30min"
prepare

say "data: $ROWS rows, seed $SEED"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE parcel_gov_bench'
export PGDATABASE=parcel_gov_bench
psql -q -X -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
psql -q -X -v ON_ERROR_STOP=1 -v rows="$ROWS" -v seed="$SEED" -f bench/generate.sql
psql -q -X -v ON_ERROR_STOP=1 -f bench/harness.sql
say "province: $PARCELS parcels, $((PARCELS / 2)) firms, 3 years, seed $SEED"
psql -q -X -v ON_ERROR_STOP=1 -v parcels="$PARCELS" -v seed="$SEED" -f bench/generate_province.sql

for cases in bench/scoring_cases.sql bench/evaluation_cases.sql; do
  say "running $cases"
  psql -q -X -v ON_ERROR_STOP=1 -f "$cases"
done
say "evaluate(2024)'s peak memory, in a backend of its own"
psql -X -v ON_ERROR_STOP=1 -f bench/memory.sql 2>&1 | grep -E 'run held|peak|^ *[0-9]'
# the views as dashboards read them, before the first-run case churns the
# register with a year of updates per round
for cases in bench/view_cases.sql bench/first_run_cases.sql; do
  say "running $cases"
  psql -q -X -v ON_ERROR_STOP=1 -f "$cases"
done
say "running bench/register_bench.sh"
PG_BIN=$PG_BIN bash bench/register_bench.sh
say "running bench/import_bench.sh"
PG_BIN=$PG_BIN bash bench/import_bench.sh

say "results ($(nproc) cores, $(psql -X -At -c 'SHOW server_version'), $ROWS rows, $PARCELS parcels, seed $SEED; median of 5 runs, 3 for per-firm)"
psql -X -v ON_ERROR_STOP=1 -f bench/report.sql

if [ "${GROWTH:-1}" != 0 ]; then
  say "growth: evaluate(2024) at ${GROWTH_SIZES:-10000 100000 1000000 3000000} parcels"
  bash bench/growth.sh
fi
