#!/usr/bin/env bash
# make bench: set-up as for make test, then each case against its plain-SQL
# reference on the same generated data, in one run.  The parts, in order
# (CASES names those to run, all by default; GROWTH=0 drops growth):
#   scoring     scoring_cases.sql: the aggregates and quota_grade (ROWS rows)
#   evaluation  evaluation_cases.sql: evaluate() for the province (PARCELS parcels,
#               3 years) against bench.plain_evaluate (all of evaluate's work)
#   memory      memory.sql: evaluate()'s peak memory
#   views       view_cases.sql: the views BI tools read
#   first_run   first_run_cases.sql: the first run of a new year
#   speed       speed_cases.sql: evaluate() against the lean query for the grades
#               alone (lean_grades.sql); with SPEED_FSYNC_OFF=1 once more on the
#               cluster restarted with fsync off (the cases named "(fsync off)")
#   register    register_bench.sh: the register's C triggers
#   import      import_bench.sh, on a cluster of its own: import_enterprise_years()
#               of 15,000 firm rows, import_cases.sql's import_parcels() of 3,000
#               and 30,000 parcels
#   growth      growth.sh: evaluate() and the lean query at 10^4 … 3×10^6 parcels
#   locale      locale_bench.sh: one county's correction in a C.UTF-8 database
#               (LOCALE_PARCELS parcels), with and without the region indexes
#               in collation "C"
#   memory_probe  memory_probe.c: what fresh private and shared memory cost here
#               (the cost that bounds handing rows between processes)
# The parts that need the evaluated province (evaluation, memory, views,
# first_run, speed) set it up when evaluation is skipped.  The cluster runs
# with fsync on, as shipped (FSYNC=off for the old setting).
#   ROWS=1000000 PARCELS=1000000 SEED=0.42 make bench
#   CASES="speed growth" GROWTH_SIZES="10000 100000" make bench
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh

ROWS=${ROWS:-1000000}
PARCELS=${PARCELS:-1000000}
SEED=${SEED:-0.42}
FSYNC=${FSYNC:-on}
CASES=${CASES:-scoring evaluation memory views first_run speed register import locale growth memory_probe}
[ "${GROWTH:-1}" != 0 ] || CASES=${CASES//growth/}
PG_SERVER_OPTS="-c fsync=$FSYNC -c shared_buffers=2GB -c work_mem=256MB -c max_parallel_workers_per_gather=2 -c max_wal_size=8GB -c checkpoint_timeout=30min"
wants() { [[ " $CASES " == *" $1 "* ]]; }
# each part's wall time, printed at the end (to size a run before starting it)
parts=()
started_part=
begin() { started_part=$SECONDS; say "$*"; }
done_part() { parts+=("$1 $((SECONDS - started_part))"); }
# cluster_start's options (listen_addresses, socket, fsync off,
# max_locks_per_transaction), then ours: a later -c wins
restart_with() {   # restart_with fsync=on|off
  run_server_cmd $PG_BIN/pg_ctl -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -m fast -w \
    -o "-c listen_addresses='' -k $CLUSTER_DIR -c max_locks_per_transaction=256 $PG_SERVER_OPTS -c $1" \
    restart >/dev/null
}
prepare
run_all=$SECONDS

begin "set-up: data ($ROWS rows, seed $SEED) and province ($PARCELS parcels, $((PARCELS / 2)) firms, 3 years)"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE parcel_gov_bench'
export PGDATABASE=parcel_gov_bench
psql -q -X -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
if wants scoring; then
  psql -q -X -v ON_ERROR_STOP=1 -v rows="$ROWS" -v seed="$SEED" -f bench/generate.sql
else
  psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA bench'
fi
psql -q -X -v ON_ERROR_STOP=1 -f bench/harness.sql
psql -q -X -v ON_ERROR_STOP=1 -v parcels="$PARCELS" -v seed="$SEED" -f bench/generate_province.sql
say "fsync = $(psql -X -At -c 'SHOW fsync')"
done_part set-up

run_sql() {   # part, file, psql options…
  local part=$1 file=$2; shift 2
  begin "running $file"
  psql -q -X -v ON_ERROR_STOP=1 "$@" -f "$file"
  done_part "$part"
}
wants scoring && run_sql scoring bench/scoring_cases.sql
if wants evaluation; then
  run_sql evaluation bench/evaluation_cases.sql
elif wants memory || wants views || wants first_run || wants speed; then
  begin "set-up: 2022 to 2024 evaluated (no evaluation cases)"
  psql -q -X -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' -c 'SELECT parcel_gov.evaluate(2022)' \
    -c 'SELECT parcel_gov.evaluate(2023)' -c 'SELECT parcel_gov.evaluate(2024)' >/dev/null
  done_part set-up
fi
if wants memory; then
  begin "evaluate(2024)'s peak memory, in a backend of its own"
  psql -X -v ON_ERROR_STOP=1 -f bench/memory.sql 2>&1 | grep -E 'run held|peak|^ *[0-9]'
  done_part memory
fi
# the views as dashboards read them, before the first-run case churns the
# register with a year of updates per round
wants views && run_sql views bench/view_cases.sql
# first_run_cases.sql needs the reference's tables (evaluation_cases.sql)
wants first_run && wants evaluation && run_sql first_run bench/first_run_cases.sql
# after the cases comparing the register with the reference's (the speed
# cases move the register on evaluate()'s side only), before register_bench
# adds a county of 100,000 parcels without holders
if wants speed; then
  run_sql speed bench/speed_cases.sql
  if [ "${SPEED_FSYNC_OFF:-0}" != 0 ] && [ "$FSYNC" != off ]; then
    restart_with fsync=off
    run_sql "speed (fsync off)" bench/speed_cases.sql -v label=' (fsync off)'
    restart_with fsync="$FSYNC"
  fi
fi
if wants register; then
  begin "running bench/register_bench.sh"
  PG_BIN=$PG_BIN bash bench/register_bench.sh
  done_part register
fi
if wants import; then
  begin "running bench/import_bench.sh"
  PG_BIN=$PG_BIN bash bench/import_bench.sh
  done_part import
fi

if wants locale; then
  begin "running bench/locale_bench.sh (collation C.UTF-8)"
  bash bench/locale_bench.sh
  done_part locale
fi

say "results ($(nproc) cores, $(psql -X -At -c 'SHOW server_version'), fsync $FSYNC, $ROWS rows, $PARCELS parcels, seed $SEED; median of 5 runs, 3 for per-firm; speed cases: plain SQL = the lean query, speed-up = lean ÷ evaluate)"
psql -X -v ON_ERROR_STOP=1 -f bench/report.sql

if wants growth; then
  begin "growth: evaluate(2024) at ${GROWTH_SIZES:-10000 100000 1000000 3000000} parcels"
  bash bench/growth.sh
  done_part growth
fi

if wants memory_probe; then
  begin "bench/memory_probe.c: fresh memory, 100 MB (about a province's parcel facts)"
  probe=$(mktemp -d)
  cc -O2 -o "$probe/memory_probe" bench/memory_probe.c
  "$probe/memory_probe" 100
  rm -rf "$probe"
  done_part memory_probe
fi

say "time per part (s; $PARCELS parcels)"
for p in "${parts[@]}"; do printf '  %-20s %6s\n' "${p% *}" "${p##* }"; done
printf '  %-20s %6s\n' total $((SECONDS - run_all))
