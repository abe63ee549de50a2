#!/usr/bin/env bash
# The extension scripts follow PostgreSQL's rules for extension scripts
# (what pgspot checks): no CREATE OR REPLACE of anything a user could have
# pre-created, and every object created under an explicit schema.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
shopt -s nullglob
scripts=(parcel_gov--*.sql releases/*.sql)
[ ${#scripts[@]} -gt 0 ] || { echo "no extension scripts found: build first" >&2; exit 1; }
for f in "${scripts[@]}"; do
  if grep -niE '^\s*CREATE\s+OR\s+REPLACE' "$f"; then
    echo "$f: CREATE OR REPLACE in an extension script" >&2; status=1
  fi
  if grep -niE '^\s*CREATE\s+(FUNCTION|TABLE|TYPE|DOMAIN|VIEW|MATERIALIZED VIEW|AGGREGATE|SEQUENCE|OPERATOR|PROCEDURE)\s+' "$f" \
       | grep -viE 'CREATE\s+[A-Z ]+\s+parcel_gov\.'; then
    echo "$f: object created without the parcel_gov schema" >&2; status=1
  fi
done
exit $status
