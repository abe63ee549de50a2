#!/usr/bin/env bash
# make demo: set-up on a fresh Debian machine, a throwaway cluster, the sample
# county loaded and its report printed.  KEEP=1 leaves the cluster running.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh

prepare

say "sample county"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE parcel_gov_demo'
export PGDATABASE=parcel_gov_demo
psql -q -X -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
psql -q -X -v ON_ERROR_STOP=1 -f demo/sample_county.sql -f demo/sample_boundary.sql
say "evaluate 2023, work the register, evaluate 2024"
psql -q -X -v ON_ERROR_STOP=1 -f demo/register_flow.sql
psql -q -X -v ON_ERROR_STOP=1 -f demo/report.sql
psql -q -X -v ON_ERROR_STOP=1 -f demo/register_report.sql

say "map of 2024: demo-output/shangyu-2024.svg and .png"
mkdir -p demo-output
psql -X -At -v ON_ERROR_STOP=1 -c "SELECT parcel_gov.map_svg('330604', 2024)" > demo-output/shangyu-2024.svg
rsvg-convert -o demo-output/shangyu-2024.png demo-output/shangyu-2024.svg
ls -l demo-output/shangyu-2024.svg demo-output/shangyu-2024.png

if [ "${KEEP:-0}" = 1 ]; then
  trap - EXIT
  say "cluster left running: psql -h $PGHOST -U $PGUSER parcel_gov_demo"
  echo "stop it with: $(cluster_stop_command)"
fi
