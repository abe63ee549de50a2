#!/usr/bin/env bash
# The extension scripts follow PostgreSQL's rules for extension scripts
# (what pgspot checks): every object created under an explicit schema; no
# CREATE OR REPLACE of anything a user could have pre-created (a trigger on
# one of the extension's tables, which only their owner can add, may be).  An install
# script (the built one, the base in updates/) has no CREATE OR REPLACE at
# all; an update script may replace only what an earlier script of the chain
# created (PostgreSQL 15 refuses to replace an object the extension does
# not own).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
shopt -s nullglob
built=(parcel_gov--*.sql)
[ ${#built[@]} -gt 0 ] || { echo "no built install script: build first" >&2; exit 1; }
created() { { grep -hoiE '^\s*CREATE\s+(FUNCTION|VIEW)\s+parcel_gov\.[a-z_0-9]+' "$@" || true; } | awk '{print toupper($2), $3}' | sort -u; }
earlier=()
# the base first, then the updates in the order they apply
chain=$(ls updates/parcel_gov--*.sql | grep -vE -- '--[0-9.]+--' ; ls updates/parcel_gov--*--*.sql | sort -V)
for f in "${built[@]}" $chain; do
  if grep -niE '^\s*CREATE\s+(FUNCTION|TABLE|TYPE|DOMAIN|VIEW|MATERIALIZED VIEW|AGGREGATE|SEQUENCE|OPERATOR|PROCEDURE)\s+' "$f" \
       | grep -viE 'CREATE\s+[A-Z ]+\s+parcel_gov\.'; then
    echo "$f: object created without the parcel_gov schema" >&2; status=1
  fi
  replaced=$({ grep -hoiE '^\s*CREATE\s+OR\s+REPLACE\s+(FUNCTION|VIEW)\s+parcel_gov\.[a-z_0-9]+' "$f" || true; } | awk '{print toupper($4), $5}' | sort -u)
  if [[ "$f" != *--*--*.sql ]]; then
    if grep -niE '^\s*CREATE\s+OR\s+REPLACE' "$f"; then
      echo "$f: CREATE OR REPLACE in an install script" >&2; status=1
    fi
  else
    # a trigger on one of the extension's tables: only their owner adds one
    if grep -niE '^\s*CREATE\s+OR\s+REPLACE' "$f" | grep -viE 'OR\s+REPLACE\s+(FUNCTION|VIEW)\s+parcel_gov\.' \
         | grep -viE 'OR\s+REPLACE\s+TRIGGER\s+[a-z_0-9]+\s.*\sON\s+parcel_gov\.'; then
      echo "$f: CREATE OR REPLACE of something other than a function or view of parcel_gov, or a trigger on its table" >&2; status=1
    fi
    unknown=$(comm -23 <(echo "$replaced" | sed '/^$/d') <(created "${earlier[@]}"))
    if [ -n "$unknown" ]; then
      echo "$f: replaces what no earlier script created: $unknown" >&2; status=1
    fi
  fi
  [[ "$f" == updates/* ]] && earlier+=("$f")
done
exit $status
