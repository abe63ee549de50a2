#!/usr/bin/env bash
# bench/register_bench.sh: the register's C triggers against the same moves
#   bare      the UPDATE on a copy without triggers (no checks, no history);
#   by hand   the UPDATE and its history INSERT in one statement, no triggers;
#   PL/pgSQL  a copy guarded by an equivalent PL/pgSQL trigger pair.
# Bulk: 100,000 parcels one step (in_treatment ⇄ assessing) in one statement,
# each variant on a freshly vacuumed table, 5 rounds, median of EXPLAIN
# ANALYZE execution times.  pgbench: 8 clients moving single random parcels.
# Results go into bench.result (for pgbench, ms = 8000 / tps, so the report's
# speed-up is the throughput ratio).
set -euo pipefail
ROUNDS=${REGISTER_ROUNDS:-5}
SECONDS_EACH=${PGBENCH_SECONDS:-20}
q() { psql -q -X -At -v ON_ERROR_STOP=1 "$@"; }
psql -q -X -v ON_ERROR_STOP=1 -f bench/register_setup.sql

# One step for the rows a WHERE picks, on each variant.
step() {   # variant, where → one SQL statement
  local set="state = CASE state WHEN 'in_treatment' THEN 'assessing' ELSE 'in_treatment' END::parcel_gov.register_state,
             reason = 'step ' || clock_timestamp()"
  case $1 in
    c) echo "UPDATE parcel_gov.register SET $set WHERE $2" ;;
    bare) echo "UPDATE bench.register_bare SET $set WHERE $2" ;;
    plpgsql) echo "UPDATE bench.register_plpgsql SET $set WHERE $2" ;;
    hand) echo "WITH old AS (SELECT parcel_code, state AS from_state FROM bench.register_hand WHERE $2 FOR UPDATE),
                moved AS (UPDATE bench.register_hand r SET $set, state_since = now() FROM old
                          WHERE r.parcel_code = old.parcel_code
                          RETURNING r.parcel_code, old.from_state, r.state, r.kinds, r.batch, r.reason, r.evidence)
           INSERT INTO bench.register_event_hand (parcel_code, from_state, to_state, kinds, batch, reason, evidence)
           SELECT parcel_code, from_state, state, kinds, batch, reason, evidence FROM moved" ;;
  esac
}
table() { case $1 in c) echo parcel_gov.register ;; *) echo "bench.register_$1" ;; esac; }

declare -A ms
for round in $(seq "$ROUNDS"); do
  for v in c bare hand plpgsql; do
    q -c "VACUUM $(table "$v")"
    t=$(q -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $(step "$v" "parcel_code LIKE '339901%'")" \
        | sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p')
    ms[$v]="${ms[$v]:-} $t"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
for v in bare hand plpgsql; do
  q -c "INSERT INTO bench.result (name, workers, ours_ms, plain_ms, same)
        VALUES ('100,000 parcels one step in one statement: C triggers vs $v', 0, $(median "${ms[c]}"), $(median "${ms[$v]}"), true)"
done

script=$(mktemp /tmp/parcel_gov_pgbench.XXXXXX)
trap 'rm -f "$script"' EXIT
tps() {   # variant → transactions per second, 8 clients moving one random parcel each
  { echo '\set n random(1, 100000)'
    step "$1" "parcel_code = '339901' || lpad((:n / 100000)::text, 3, '0') || '001GB' || lpad((:n % 100000)::text, 5, '0')"
    echo ';'; } > "$script"
  q -c "VACUUM $(table "$1")"
  "$PG_BIN/pgbench" -n -c 8 -j 2 -T "$SECONDS_EACH" -f "$script" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}
declare -A rate
for v in bare c hand plpgsql; do rate[$v]=$(tps "$v"); done
echo "pgbench, 8 clients, ${SECONDS_EACH} s each: bare ${rate[bare]}, C ${rate[c]}, by hand ${rate[hand]}, PL/pgSQL ${rate[plpgsql]} tps"
for v in bare hand plpgsql; do
  q -c "INSERT INTO bench.result (name, workers, ours_ms, plain_ms, same)
        VALUES ('pgbench 8 clients, single-parcel steps: C triggers vs $v', 0, 8000 / ${rate[c]}, 8000 / ${rate[$v]}, true)"
done
# the history each variant wrote must match the moves it made
q -c "SELECT 'events: C ' || (SELECT count(*) FROM parcel_gov.register_event WHERE parcel_code LIKE '339901%')
          || ', by hand ' || (SELECT count(*) FROM bench.register_event_hand)
          || ', PL/pgSQL ' || (SELECT count(*) FROM bench.register_event_plpgsql)"
