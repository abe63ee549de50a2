#!/usr/bin/env bash
# ALTER EXTENSION parcel_gov UPDATE as a DBA meets it: a
# database created at 1.0.0 with the sample county evaluated and its register
# worked, and user objects depending on the extension (a view over its view,
# a materialized view, a table typed with its domain and enum, an expression
# index calling its function), is updated in place to the current version.
# The user objects must survive and say what they said; the database is left
# for make test to run the whole suite on it again.
#   tools/upgrade-in-place.sh DBNAME
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PGHOST:?run inside make test (needs the throwaway cluster)}"
db=${1:?database name}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -c 'SET client_min_messages = warning' -c "CREATE EXTENSION parcel_gov VERSION '1.0.0' CASCADE" -c 'CREATE EXTENSION pgtap'
# Before 1.7.0 a county typed its own regions (here 上虞 by a name of its
# own, and a code of its own); the update turns a shipped code into the
# shipped row and leaves the county's own code its own.
q -c "INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330000', '浙江省', NULL),
        ('330600', '绍兴市', '330000'), ('330604', '上虞', '330600'), ('339901', '自设代码', '330600')"
q -f demo/sample_county.sql -f demo/register_flow.sql >/dev/null
q <<'SQL'
CREATE SCHEMA county;
CREATE VIEW county.low_parcels AS
SELECT code, year, grade, tax_per_mu, register_state FROM parcel_gov.v_parcel_efficiency WHERE grade = 'D';
CREATE MATERIALIZED VIEW county.summary AS SELECT * FROM parcel_gov.v_region_summary;
CREATE TABLE county.inspection (uscc parcel_gov.uscc, grade parcel_gov.grade, tax_per_mu float8);
INSERT INTO county.inspection SELECT uscc, grade, tax_per_mu FROM parcel_gov.evaluation WHERE year = 2024;
CREATE INDEX inspection_tier ON county.inspection (parcel_gov.tax_tier(tax_per_mu));
CREATE TABLE county.before AS
SELECT (SELECT md5(string_agg(l::text, ',' ORDER BY l::text)) FROM county.low_parcels l) AS low,
       (SELECT md5(string_agg(s::text, ',' ORDER BY s::text)) FROM county.summary s) AS summary;
SQL
# In one statement the update stops before 1.11.0, whose script uses the
# indicator values 1.10.0's added (unusable in the transaction that added
# them): 55000, naming the two steps; nothing is changed.
if one_step=$(q -v VERBOSITY=verbose -c 'SET client_min_messages = warning' -c 'ALTER EXTENSION parcel_gov UPDATE' 2>&1); then
  echo "upgrade in place: the update from 1.0.0 in one step should stop at 1.11.0" >&2
  exit 1
fi
case $one_step in
  *"ERROR:  55000:"*"UPDATE TO ''1.10.0''"*) ;;
  *"ERROR:  55000:"*"UPDATE TO '1.10.0'"*) ;;
  *) echo "upgrade in place: one step gave another error: $one_step" >&2; exit 1 ;;
esac
[ "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'parcel_gov'")" = 1.0.0 ] || {
  echo "upgrade in place: the failed one-step update changed the version" >&2; exit 1; }
# README "Upgrading": to 1.10.0 first, then to the current version.
q -c 'SET client_min_messages = warning' -c "ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'"
q -c 'SET client_min_messages = warning' -c 'ALTER EXTENSION parcel_gov UPDATE'
result=$(q -c "SET enable_seqscan = off" -c "
  SELECT (SELECT extversion FROM pg_extension WHERE extname = 'parcel_gov')
           = (SELECT default_version FROM pg_available_extensions WHERE name = 'parcel_gov'),
         (SELECT md5(string_agg(l::text, ',' ORDER BY l::text)) FROM county.low_parcels l) = b.low,
         (SELECT md5(string_agg(s::text, ',' ORDER BY s::text)) FROM county.summary s) = b.summary,
         (SELECT count(*) FROM county.inspection WHERE parcel_gov.tax_tier(tax_per_mu) = 1)
           = (SELECT count(*) FROM parcel_gov.evaluation WHERE year = 2024 AND parcel_gov.tax_tier(tax_per_mu) = 1),
         xml_is_well_formed_document(parcel_gov.map_svg('330604', 2024)),
         (SELECT string_agg(concat_ws(' ', code, name, parent_code, shipped::text), ', ' ORDER BY code)
          FROM parcel_gov.region WHERE code IN ('330604', '339901'))
           = '330604 上虞区 330600 true, 339901 自设代码 330600 false',
         (SELECT count(*) FROM parcel_gov.region WHERE shipped) = 127
  FROM county.before b")
q -c 'REFRESH MATERIALIZED VIEW county.summary'
if [ "$result" != "t|t|t|t|t|t|t" ]; then
  echo "upgrade in place: version, user view, materialized view, expression index, new maps, own regions, shipped regions: $result" >&2
  exit 1
fi
