#!/usr/bin/env bash
# make test: set-up on a fresh Debian machine, then pg_regress, pgTAP and the
# script checks; ends with "N passed, N failed" and exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh

prepare

passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

say "script checks"
for check in tools/check-*.sh; do
  if bash "$check"; then echo "ok      $check"; count 1 0
  else echo "FAILED  $check"; count 0 1
  fi
done

say "pg_regress and isolation specs (make installcheck)"
set +e
make -s installcheck PG_CONFIG=$PG_CONFIG 2>&1 | tee /tmp/parcel_gov.regress.log
set -e
r_ok=$(grep -cE '\.\.\. ok|^ok ' /tmp/parcel_gov.regress.log || true)
r_bad=$(grep -cE '\.\.\. FAILED|^not ok ' /tmp/parcel_gov.regress.log || true)
if ! grep -qE 'All [0-9]+ tests passed' /tmp/parcel_gov.regress.log && [ "$r_bad" -eq 0 ]; then
  r_bad=1   # pg_regress itself failed before running tests
fi
count "$r_ok" "$r_bad"
for diffs in regression.diffs output_iso/regression.diffs; do
  [ -s "$diffs" ] && { say "$diffs"; cat "$diffs"; }
done

say "pgTAP (pg_prove)"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE parcel_gov_tap'
psql -q -X -v ON_ERROR_STOP=1 -d parcel_gov_tap \
  -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION parcel_gov CASCADE'
set +e
pg_prove -v -d parcel_gov_tap test/*.sql > /tmp/parcel_gov.tap.log 2>&1
prove_status=$?
set -e
grep -vE '^ok ' /tmp/parcel_gov.tap.log || true
t_ok=$(grep -cE '^ok ' /tmp/parcel_gov.tap.log || true)
t_bad=$(grep -cE '^not ok ' /tmp/parcel_gov.tap.log || true)
[ "$prove_status" -ne 0 ] && [ "$t_bad" -eq 0 ] && t_bad=1
count "$t_ok" "$t_bad"

cluster_stop
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
