#!/usr/bin/env bash
# make bench: set-up as for make test, then each case of bench/*_cases.sql
# against its plain-SQL reference on the same generated data, in one run.
#   ROWS=1000000 SEED=0.42 make bench
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh

ROWS=${ROWS:-1000000}
PARCELS=${PARCELS:-1000000}
SEED=${SEED:-0.42}
PG_SERVER_OPTS="-c shared_buffers=2GB -c work_mem=256MB -c max_parallel_workers_per_gather=2"
prepare

say "data: $ROWS rows, seed $SEED"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE parcel_gov_bench'
export PGDATABASE=parcel_gov_bench
psql -q -X -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
psql -q -X -v ON_ERROR_STOP=1 -v rows="$ROWS" -v seed="$SEED" -f bench/generate.sql
psql -q -X -v ON_ERROR_STOP=1 -f bench/harness.sql
say "province: $PARCELS parcels, $((PARCELS / 2)) firms, 3 years, seed $SEED"
psql -q -X -v ON_ERROR_STOP=1 -v parcels="$PARCELS" -v seed="$SEED" -f bench/generate_province.sql

for cases in bench/*_cases.sql; do
  say "running $cases"
  psql -q -X -v ON_ERROR_STOP=1 -f "$cases"
done
say "running bench/register_bench.sh"
PG_BIN=$PG_BIN bash bench/register_bench.sh

say "results ($(nproc) cores, $(psql -X -At -c 'SHOW server_version'), $ROWS rows, $PARCELS parcels, seed $SEED; median of 5 runs, 3 for per-firm and evaluate)"
psql -X -v ON_ERROR_STOP=1 -f bench/report.sql
