#!/usr/bin/env bash
# Garbage in, no crash (tools/garbage.sql): every SQL-callable function fed
# NULLs, NaN, ±Infinity, extreme numbers, empty, invalid and odd geometries,
# unknown SRIDs, malformed arrays, long and non-ASCII strings, over the sample
# county's data.  Passes when every call returned or failed with a proper
# SQLSTATE (none of class XX or 58), the session survived, and the server log
# shows no backend killed by a signal; as the superuser and as a county
# account.  Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/checkdb.sh
checkdb garbage_check
q -f demo/sample_county.sql -f demo/register_flow.sql >/dev/null
log="$PGHOST/server.log"
# Once as the superuser, once as a county account (analyst and operator of
# one county), whose calls go through the SECURITY DEFINER doors' checks.
q -c "CREATE ROLE garbage_county IN ROLE parcel_gov_analyst, parcel_gov_operator" \
  -c "SELECT parcel_gov.region_grant('garbage_county', '330604')" >/dev/null
for who in "" garbage_county; do
  echo "as ${who:-the superuser}:"
  crashes_before=$(grep -c 'terminated by signal' "$log" 2>/dev/null || true)
  report=$(psql -X -d $db ${who:+-v role=$who} -f tools/garbage.sql 2>&1) || { echo "$report" >&2; fail "the session did not survive"; }
  crashes=$(( $(grep -c 'terminated by signal' "$log" 2>/dev/null || true) - crashes_before ))
  sed -n '/trigger_functions_skipped/,/^ROLLBACK/p' <<<"$report" | grep -v '^ROLLBACK'
  echo "server crashes: $crashes"
  internal=$(sed -n '/trigger_functions_skipped/{n;n;p;}' <<<"$report" | awk -F'|' '{gsub(/ /, "", $NF); print $NF}')
  [ "$internal" = 0 ] && [ "$crashes" = 0 ] || fail "$internal internal errors, $crashes crashes"
done
q -c "SELECT parcel_gov.region_revoke('garbage_county', '330604')" -c "DROP ROLE garbage_county" >/dev/null
