#!/usr/bin/env bash
# pg_dump keeps user data (docs/data-model.md), restored the way every DBA
# does it, with nothing special: a database with an evaluated county and its
# register survives pg_dump -Fc and pg_restore into a new database, and again
# into one whose search_path is empty, a plain pg_dump replayed by psql, and
# the cluster's pg_dumpall replayed by psql into a new cluster,
# with every row of every table of the extension (generated areas, identity
# values, the county's boundary, the adopted rule set, the results, the
# register and its history, the county's own township beside the shipped
# regions, which the dump leaves out and CREATE EXTENSION brings back
# once), and the restored copies
# evaluate as the original does; and a dump of 1.6.0, whose regions the
# county entered itself, restores into the current version.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PGHOST:?run inside make test (needs the throwaway cluster)}"
. tools/pgenv.sh
dump=$(mktemp /tmp/parcel_gov_dump.XXXXXX)
trap 'rm -f "$dump" "$dump.old"' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

q -d postgres -c 'DROP DATABASE IF EXISTS dump_from' -c 'DROP DATABASE IF EXISTS dump_to' \
  -c 'DROP DATABASE IF EXISTS dump_to_empty_path' -c 'DROP DATABASE IF EXISTS dump_to_plain' \
  -c 'CREATE DATABASE dump_from' -c 'CREATE DATABASE dump_to' -c 'CREATE DATABASE dump_to_empty_path' \
  -c 'CREATE DATABASE dump_to_plain' \
  -c "ALTER DATABASE dump_to_empty_path SET search_path = ''"
q -d dump_from -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
q -d dump_from -f demo/sample_county.sql -f demo/sample_boundary.sql >/dev/null
# a township of the county's own beside the regions parcel_gov ships
q -d dump_from -c "INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330604100', '甲镇', '330604')"
q -d dump_from -c "SET client_min_messages = warning" \
  -c "SELECT parcel_gov.rule_set_adopt('tax_only_below', 'shangyu', '330604', 2024)" \
  -c "INSERT INTO parcel_gov.rule_measure VALUES ('shangyu', 'electricity_surcharge', 'D', '差别化电价', 'electricity_kwh', 0.00001, NULL, 'check-dump-restore')" \
  -f demo/register_flow.sql >/dev/null
# a contract's penalty clause and a firm's 履约监管协议 (1.10.0)
q -d dump_from -c "INSERT INTO parcel_gov.contract_penalty (parcel_code, promise, method, rate, cap)
                   SELECT code, 'floor_area_ratio', 'rate', 100, 25 FROM parcel_gov.parcel ORDER BY code LIMIT 1" \
  -c "INSERT INTO parcel_gov.performance_agreement (uscc, promise, signed_on, deadline)
      SELECT uscc, '亩均税收达到 10 万元', '2024-01-01', '2025-12-31' FROM parcel_gov.enterprise ORDER BY uscc LIMIT 1" >/dev/null
# targets as the plans write them (an identity key, a NULL or a given base, a kind)
q -d dump_from -c "INSERT INTO parcel_gov.region_target (region_code, indicator, base_year, base_value, target_year,
                                                          target_value, target_kind, firm_scope, low_efficiency_kind, source)
  VALUES ('330604', 'va_per_mu', 2023, NULL, 2025, 8, 'annual_rate', 'above', NULL, '绍兴 2021'),
         ('330604', 'revived_mu', 2023, 0, 2024, 300, 'level', 'all', 'underused', '桐庐 2022–2024'),
         ('330604', 'park_entry_rate', 2023, NULL, 2025, 0.7, 'level', 'all', NULL, '金东')"

# (pg_dump warns that region refers to itself; COPY checks those keys at its end)
"$PG_BIN/pg_dump" -Fc -d dump_from -f "$dump" 2> >(grep -v -e 'circular foreign-key' -e 'detail: region' -e 'hint: ' >&2)
# As a DBA restores: no option.  (The guards take the rows of a superuser's
# session with row_security off, which pg_restore and pg_dump's scripts set,
# as a restore.)
for target in dump_to dump_to_empty_path; do
  "$PG_BIN/pg_restore" --exit-on-error -d $target "$dump"
done
# The dump holds the county's own regions only: CREATE EXTENSION brings the
# shipped ones back, once.
own=$("$PG_BIN/pg_restore" --data-only --table=region -f - "$dump" | sed -n '/^COPY parcel_gov.region /,/^\\\.$/p' | grep -c '^[0-9]' || true)
[ "$own" = 1 ] || { echo "the dump holds $own rows of region, not the county's one township" >&2; exit 1; }
"$PG_BIN/pg_dump" -Fp -d dump_from 2>/dev/null | q -d dump_to_plain >/dev/null

# Every table of the extension, row by row (sorted as text), and the next
# value of every identity; then evaluate() again, which must change nothing.
# evaluate()'s change marks and states are not dumped (a snapshot or
# transaction id means nothing in another cluster): a restored database has
# none, so its first run evaluates every county.
fingerprint() {
  psql -X -At -d "$1" -c "
    CREATE FUNCTION pg_temp.table_digest(t regclass) RETURNS text LANGUAGE plpgsql AS \$f\$
    DECLARE d text;
    BEGIN
      EXECUTE format('SELECT concat(count(*), chr(47), md5(string_agg(r::text, chr(10) ORDER BY r::text))) FROM %s r', t) INTO d;
      RETURN d;
    END \$f\$;
    SELECT string_agg(c.relname || ':' || pg_temp.table_digest(c.oid), ' ' ORDER BY c.relname)
    FROM pg_catalog.pg_class c WHERE c.relnamespace = 'parcel_gov'::pg_catalog.regnamespace AND c.relkind = 'r'
      AND c.relname NOT IN ('evaluation_mark', 'evaluation_state');
    SELECT string_agg(s.relname || ':' || pg_catalog.nextval(s.oid), ' ' ORDER BY s.relname)
    FROM pg_catalog.pg_class s WHERE s.relnamespace = 'parcel_gov'::pg_catalog.regnamespace AND s.relkind = 'S'
      AND s.relname <> 'evaluation_mark_seq';
    SET client_min_messages = warning;
    SELECT parcel_gov.evaluate(2024, '330604');
    SELECT count(*) FROM parcel_gov.register_event;"
}
# pg_dumpall of the whole cluster replayed by psql into a new cluster (as
# moving to a new server is done): the county's database comes back whole.
# SIDE_PORT, SIDE_TMP: the second cluster's port and where its folder goes
port=${SIDE_PORT:-5434}
other=$(mktemp -d "${SIDE_TMP:-/tmp}/parcel_gov_other.XXXXXX")
trap 'rm -f "$dump" "$dump.old"; side_cluster_stop "$other"' EXIT
side_cluster "$other" "$port"
# (the new cluster's own superuser role exists already: psql says so and goes on)
"$PG_BIN/pg_dumpall" 2>/dev/null | psql -X -q -h "$other" -p "$port" -d postgres >/dev/null 2>"$other/replay.log" || true
grep -v -e 'role "[^"]*" already exists' "$other/replay.log" | grep -i 'error' && { echo "pg_dumpall replay failed" >&2; exit 1; }

# A county role cannot restore history or results with COPY, row_security
# off or not: it holds no write privilege on them (a superuser's restore is
# what the guards let through).
for table in register_event evaluation; do
  out=$(printf '330604001001GB00001\tcandidate\t{}\t1\n\\.\n' | psql -X -q -d dump_to \
          -c 'CREATE ROLE t_copy_clerk IN ROLE parcel_gov_operator' -c 'SET ROLE t_copy_clerk' -c 'SET row_security = off' \
          -c "COPY parcel_gov.$table FROM STDIN" 2>&1 || true)
  psql -X -q -d dump_to -c 'DROP ROLE IF EXISTS t_copy_clerk' >/dev/null
  grep -q "permission denied for table $table" <<<"$out" || { echo "a county role's COPY into $table: $out" >&2; exit 1; }
done

# A dump taken before 1.7.0 holds the regions the county entered itself
# (here 上虞 by a name of its own, and a code of its own), restored as it is
# into the current version: a region of a shipped code gives way to the
# shipped row (as the update makes it), the county's own code comes back.
q -d postgres -c 'DROP DATABASE IF EXISTS dump_old' -c 'DROP DATABASE IF EXISTS dump_old_to' \
  -c 'CREATE DATABASE dump_old' -c 'CREATE DATABASE dump_old_to'
q -d dump_old -c 'SET client_min_messages = warning' -c "CREATE EXTENSION parcel_gov VERSION '1.6.0' CASCADE" \
  -c "INSERT INTO parcel_gov.region (code, name, parent_code) VALUES ('330000', '浙江省', NULL),
        ('330600', '绍兴市', '330000'), ('330604', '上虞', '330600'), ('339901', '自设代码', '330600')" \
  -f demo/sample_county.sql >/dev/null
"$PG_BIN/pg_dump" -Fc -d dump_old -f "$dump.old" 2> >(grep -v -e 'circular foreign-key' -e 'detail: region' -e 'hint: ' >&2)
"$PG_BIN/pg_restore" --exit-on-error -d dump_old_to "$dump.old"
got=$(psql -X -At -d dump_old_to -c "SELECT string_agg(concat_ws(' ', code, name, shipped::text), ', ' ORDER BY code)
                                     FROM parcel_gov.region WHERE NOT shipped OR code = '330604'" \
                                  -c "SELECT count(*) FROM parcel_gov.parcel")
rm -f "$dump.old"
q -d postgres -c 'DROP DATABASE dump_old' -c 'DROP DATABASE dump_old_to'
[ "$got" = $'330604 上虞区 true, 339901 自设代码 false\n300' ] \
  || { echo "a dump of 1.6.0 restored into the current version: $got" >&2; exit 1; }

# the shipped regions once each, and the county's township back
regions="SELECT count(*) FILTER (WHERE shipped), string_agg(code || ' ' || level, ',') FILTER (WHERE NOT shipped) FROM parcel_gov.region"
for target in dump_to dump_to_empty_path dump_to_plain; do
  got=$(psql -X -At -d $target -c "$regions")
  [ "$got" = "127|330604100 township" ] || { echo "regions restored into $target: $got" >&2; exit 1; }
done
got=$(psql -X -At -h "$other" -p "$port" -d dump_from -c "$regions")
[ "$got" = "127|330604100 township" ] || { echo "regions in the pg_dumpall replay: $got" >&2; exit 1; }

before=$(fingerprint dump_from)
after=$(fingerprint dump_to)
after_empty_path=$(fingerprint dump_to_empty_path)
after_plain=$(fingerprint dump_to_plain)
after_dumpall=$(PGHOST=$other PGPORT=$port fingerprint dump_from)
q -d postgres -c 'DROP DATABASE dump_from' -c 'DROP DATABASE dump_to' -c 'DROP DATABASE dump_to_empty_path' \
  -c 'DROP DATABASE dump_to_plain'
for restored in "$after" "$after_empty_path" "$after_plain" "$after_dumpall"; do
  if [ "$before" != "$restored" ]; then
    echo "dump/restore changed the data:" >&2
    echo "  before: $before" >&2
    echo "  after:  $restored" >&2
    exit 1
  fi
done
