#!/usr/bin/env bash
# make test: set-up on a fresh Debian machine, then pg_regress, pgTAP and the
# script checks (among them the garbage test and the fuzz harnesses); then
# the same suite again on a database updated in place from 1.0.0 with user
# objects depending on the extension, and once more under UBSan.  Ends with
# "N passed, N failed" and exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh

prepare
# the runners' logs, counted below: a folder of this run's own (two suites
# on one machine wrote the same files and miscounted each other)
logs=$(mktemp -d /tmp/parcel_gov.logs.XXXXXX)

passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

# pg_regress (make installcheck) with extra options; counts its tests.
run_regress() {
  local log=$1; shift
  set +e
  make -s installcheck PG_CONFIG=$PG_CONFIG "$@" 2>&1 | tee "$log"
  set -e
  local ok bad
  ok=$(grep -cE '\.\.\. ok|^ok ' "$log" || true)
  bad=$(grep -cE '\.\.\. FAILED|^not ok ' "$log" || true)
  if ! grep -qE 'All [0-9]+ tests passed' "$log" && [ "$bad" -eq 0 ]; then
    bad=1   # pg_regress itself failed before running tests
  fi
  count "$ok" "$bad"
  for diffs in regression.diffs output_iso/regression.diffs; do
    [ -s "$diffs" ] && { say "$diffs"; cat "$diffs"; }
  done
  return 0
}

# pgTAP on a database; counts its tests.
run_tap() {
  local db=$1 log=$2 status ok bad
  set +e
  pg_prove -v -d "$db" test/*.sql > "$log" 2>&1
  status=$?
  set -e
  grep -vE '^ok ' "$log" || true
  ok=$(grep -cE '^ok ' "$log" || true)
  bad=$(grep -cE '^not ok ' "$log" || true)
  [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
  count "$ok" "$bad"
}

check() {
  if bash "$@"; then echo "ok      $*"; count 1 0
  else echo "FAILED  $*"; count 0 1
  fi
}

say "script checks"
for script in tools/check-*.sh; do
  # its own clusters and target (make check-province, CI after make test)
  [ "$script" = tools/check-province.sh ] && continue
  check "$script"
done

say "pg_regress and isolation specs (make installcheck)"
run_regress "$logs/regress.log"

say "pgTAP (pg_prove)"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE parcel_gov_tap'
psql -q -X -v ON_ERROR_STOP=1 -d parcel_gov_tap \
  -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION parcel_gov CASCADE'
run_tap parcel_gov_tap "$logs/tap.log"

say "updated in place from 1.0.0 with user objects in place, then the suite again"
check tools/upgrade-in-place.sh parcel_gov_upgraded
# the suite starts from empty tables; the user's objects stay through pg_regress
psql -q -X -v ON_ERROR_STOP=1 -d parcel_gov_upgraded -f sql/helpers/reset_data.sql
run_regress "$logs/regress-upgraded.log" REGRESS_OPTS="--use-existing --dbname=parcel_gov_upgraded" ISOLATION=
# pgTAP drops and recreates the extension inside its transactions: no dependents
# then, and the empty tables its set-ups expect
psql -q -X -v ON_ERROR_STOP=1 -d parcel_gov_upgraded -c 'DROP SCHEMA county CASCADE' -f sql/helpers/reset_data.sql
run_tap parcel_gov_upgraded "$logs/tap-upgraded.log"

cluster_stop

say "the suite again with the extension built with UBSan (tools/ubsan-suite.sh)"
check tools/ubsan-suite.sh

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
