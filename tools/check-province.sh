#!/usr/bin/env bash
# make check-province: many counties, one province (README: Many counties,
# one province), on PostgreSQL's own logical replication and postgres_fdw.
#
# Three county servers — 上城区 330102 (杭州), 越城区 330602 and 上虞区 330604
# (both 绍兴) — and a provincial server, each a throwaway cluster on a Unix
# socket.  Each county server numbers its rows in its own id block, loads
# the demo county under its own code and seed (demo/sample_county.sql: parks,
# 300 parcels, 240 firms, leases, two years; the demo's data is one county's
# own, with no firm or lease reaching another county, so a county server
# holds everything its evaluation reads — the bench's generator spreads
# leases over every county, which a split would cut), evaluates 2023, works
# its register, evaluates 2024, and publishes; the province subscribes to
# the three.  A fifth cluster holds all three counties at once and
# evaluates them there: "one server holding all the data".
# Then: rows equal county by county; v_region_summary to the bit for
# counties, cities and the province; a county's run at the province within
# seconds; the province evaluating nothing; local writes refused; the
# province down, a county down, and a county publishing what is not its
# own; the fdw what-if with its aggregate pushed down.
#   PROVINCE_PORT   first of the five ports (5450)
#   KEEP=1          leave the clusters running (to look into a failure)
# Prints "ok - …" / "not ok - …", a table (county, rows published, lag,
# summaries equal) and "N passed, N failed".  The clusters are stopped and
# removed on exit, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh
export PGTZ=UTC PGUSER=postgres PGOPTIONS='-c client_min_messages=warning'

ensure_packages
build_install >/dev/null

base=${PROVINCE_PORT:-5450}
counties=(330102 330602 330604)
declare -A name=([330102]=上城 [330602]=越城 [330604]=上虞)
declare -A seed=([330102]=0.2101 [330602]=0.2102 [330604]=0.2024)
declare -A port dir
work=$(mktemp -d /tmp/province.XXXXXX)
chmod 755 "$work"
i=0
for c in "${counties[@]}"; do
  port[$c]=$((base + i)); dir[$c]=$work/c$c; i=$((i + 1))
done
port[p]=$((base + 3)); dir[p]=$work/province
port[all]=$((base + 4)); dir[all]=$work/all

cleanup() {
  trap - ERR
  if [ -n "${KEEP:-}" ]; then echo "# kept: $work (ports $base-$((base + 4)))"; return; fi
  for k in "${counties[@]}" p all; do
    [ -d "${dir[$k]}" ] && side_cluster_stop "${dir[$k]}"
  done
  rm -rf "$work"
}
trap cleanup EXIT
# a step that fails outright ends the run with a summary CI counts
trap 'echo "not ok - stopped by an error at line $LINENO (above)"; echo; echo "$passed passed, $((failed + 1)) failed"' ERR

passed=0
failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
# check DESCRIPTION GOT WANT
check() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi; }

# q KEY DB SQL…: psql on a county's (KEY = its code), the province's (p) or the all-in-one (all) server
q() {
  local k=$1 db=$2; shift 2
  psql -X -q -At -v ON_ERROR_STOP=1 -h "${dir[$k]}" -p "${port[$k]}" -d "$db" "$@"
}
cq() { local c=$1; shift; q "$c" county "$@"; }        # a county's database
pq() { q p province "$@"; }                              # the province's
aq() { q all allinone "$@"; }                            # all the data on one server
# the counties keep commit timestamps: a run's lag is from its commit there
# to the moment the province shows it (one clock: one machine)
county_opts="-c wal_level=logical -c max_wal_senders=10 -c max_replication_slots=10 -c track_commit_timestamp=on"
province_opts="-c max_logical_replication_workers=10 -c max_worker_processes=16 -c wal_retrieve_retry_interval=300ms"
start_server() {  # start_server KEY: again, after stop_server
  local k=$1 opts=$county_opts
  [ "$k" = p ] && opts=$province_opts
  run_server_cmd $PG_BIN/pg_ctl -D "${dir[$k]}/data" -l "${dir[$k]}/server.log" -w \
    -o "-c listen_addresses='' -k ${dir[$k]} -p ${port[$k]} -c fsync=off $opts" start >/dev/null
}
stop_server() { run_server_cmd $PG_BIN/pg_ctl -D "${dir[$1]}/data" -m fast -w stop >/dev/null; }
ms() { date +%s%3N; }
# wait_equal DESCRIPTION SECONDS CMD_A CMD_B: polls until both print the same
wait_equal() {
  local what=$1 limit=$2 a b t0
  t0=$(ms)
  while :; do
    a=$(eval "$3" 2>/dev/null || echo "(error)")
    b=$(eval "$4" 2>/dev/null || echo "(error)")
    [ "$a" = "$b" ] && return 0
    if [ $(( $(ms) - t0 )) -gt $((limit * 1000)) ]; then
      echo "# $what: still different after ${limit} s" >&2
      diff <(echo "$a") <(echo "$b") | head -20 >&2 || true
      return 1
    fi
    sleep 0.1
  done
}
fp() { echo "SELECT table_name, n, digest FROM check_province.fingerprint('$1') ORDER BY 1"; }
county_equal() { wait_equal "county $1's rows at the province" "${2:-60}" "cq $1 -c \"$(fp "$1")\"" "pq -c \"$(fp "$1")\""; }

# The demo county under another code, name and seed.
sample_as() {
  sed -e "s/330604/$1/g" -e "s/上虞/${name[$1]}/g" -e "s/setseed(0.2024)/setseed(${seed[$1]})/" demo/sample_county.sql
  [ "$1" = 330604 ] && cat demo/sample_boundary.sql
  sed -e "s/330604/$1/g" demo/register_flow.sql
  # monthly figures to June (月监测), which counties keep and do not publish:
  # the fdw what-if reads them where they are
  echo "INSERT INTO parcel_gov.enterprise_period (uscc, year, month, size_class, tax, value_added, revenue)
        SELECT f.uscc, 2024, 6, f.size_class, round((f.tax * 0.45)::numeric, 2), round((f.value_added * 0.5)::numeric, 2),
               round((f.revenue * 0.5)::numeric, 2)
        FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
        WHERE f.year = 2024 AND e.region_code = '$1';"
}

say "five clusters: the counties ${counties[*]}, the province, all in one (ports $base-$((base + 4)))"
for k in "${counties[@]}" p all; do
  mkdir -p "${dir[$k]}"
  case $k in
    p) side_cluster "${dir[$k]}" "${port[$k]}" $province_opts ;;
    all) side_cluster "${dir[$k]}" "${port[$k]}" ;;
    *) side_cluster "${dir[$k]}" "${port[$k]}" $county_opts ;;
  esac
done

say "county servers: id block, demo data, evaluations, register, publication"
t_setup=$(ms)
for c in "${counties[@]}"; do
  q "$c" postgres -c 'CREATE DATABASE county'
  cq "$c" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
  cq "$c" -c "SELECT count(*) FROM parcel_gov.use_id_block('$c')" >/dev/null
  sample_as "$c" | PGOPTIONS='-c client_min_messages=warning' cq "$c" >/dev/null
  cq "$c" -f tools/province_checks.sql
  cq "$c" -c "SELECT parcel_gov.county_publication('$c')" >/dev/null
done
say "one server holding all the data"
q all postgres -c 'CREATE DATABASE allinone'
aq -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
for c in "${counties[@]}"; do
  sample_as "$c" | PGOPTIONS='-c client_min_messages=warning' aq >/dev/null
done
aq -f tools/province_checks.sql

say "the province subscribes"
q p postgres -c 'CREATE DATABASE province'
pq -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
pq -f tools/province_checks.sql
subscribe() {
  pq -c "CREATE SUBSCRIPTION parcel_gov_$1 CONNECTION 'host=${dir[$1]} port=${port[$1]} dbname=county user=postgres'
         PUBLICATION parcel_gov_$1" 2>/dev/null
}
for c in 330102 330602; do
  pq -c "SET client_min_messages = warning" -c "SELECT parcel_gov.subscribe_county('$c')" >/dev/null
  subscribe "$c"
done
# 上虞's subscription before its registration: its rows wait (55000), then come
subscribe 330604
for n in $(seq 1 50); do grep -q 'parcel_gov_330604 sends rows of .* but is not registered' "${dir[p]}/server.log" && break; sleep 0.1; done
check "an unregistered subscription's rows are refused (55000 in the log) until it is registered" \
  "$(grep -c 'parcel_gov_330604 sends rows of .* but is not registered' "${dir[p]}/server.log" | sed 's/^[1-9][0-9]*$/refused/') $(pq -c "SELECT count(*) FROM parcel_gov.parcel WHERE region_code = '330604'")" \
  "refused 0"
pq -c "SELECT parcel_gov.subscribe_county('330604')" >/dev/null
declare -A synced_rows
for c in "${counties[@]}"; do
  if county_equal "$c" 90; then
    synced_rows[$c]=$(pq -c "SELECT sum(n) FROM check_province.fingerprint('$c')")
    ok "county $c: every published row at the province, none twice (${synced_rows[$c]} rows in 12 tables)"
  else not_ok "county $c: its rows at the province"; fi
done
echo "# set-up and initial copy: $(( ($(ms) - t_setup) / 1000 )) s"

say "rows of three counties side by side"
check "the ids of each county's rows lie in its block (parcel, lease, park, evaluation, register, history)" \
  "$(pq -c "SELECT (SELECT count(*) FROM parcel_gov.parcel WHERE NOT fid <@ parcel_gov.id_block(region_code))
              + (SELECT count(*) FROM parcel_gov.lease WHERE NOT id <@ parcel_gov.id_block(parcel_gov.county_of_parcel(parcel_code)))
              + (SELECT count(*) FROM parcel_gov.park WHERE NOT id <@ parcel_gov.id_block(region_code))
              + (SELECT count(*) FROM parcel_gov.evaluation WHERE NOT id <@ parcel_gov.id_block(region_code))
              + (SELECT count(*) FROM parcel_gov.register WHERE NOT fid <@ parcel_gov.id_block(left(parcel_code, 6)))
              + (SELECT count(*) FROM parcel_gov.register_event WHERE NOT id <@ parcel_gov.id_block(left(parcel_code, 6)))")" 0
leases=0
for c in "${counties[@]}"; do leases=$((leases + $(cq "$c" -c 'SELECT count(*) FROM parcel_gov.lease'))); done
check "the three counties' leases coexist at the province ($leases, each county's ids from 1 of its block)" \
  "$(pq -c "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || count(DISTINCT id % 1000000000) FROM parcel_gov.lease")" \
  "$leases $leases $(cq 330604 -c 'SELECT count(*) FROM parcel_gov.lease')"
check "the parks the parcels name are their county's (keys kept across servers)" \
  "$(pq -c "SELECT count(*) FROM parcel_gov.parcel p JOIN parcel_gov.park k ON k.id = p.park_id WHERE k.region_code <> p.region_code")" 0

say "v_region_summary: the province against one server holding all the data"
for level in county city province; do
  got=$(pq -c "SELECT check_province.summary('$level')")
  want=$(aq -c "SELECT check_province.summary('$level')")
  rows=${want%% *}
  check "the $level rows ($rows) are equal to the last bit" "$got" "$want"
done
check "the province evaluated nothing (evaluation_run, evaluation_state)" \
  "$(pq -c 'SELECT (SELECT count(*) FROM parcel_gov.evaluation_run) + (SELECT count(*) FROM parcel_gov.evaluation_state)')" 0

say "a county's run reaches the province"
declare -A lag
for c in "${counties[@]}"; do
  change="UPDATE parcel_gov.enterprise_year SET tax = tax + 7
          WHERE year = 2024 AND uscc = (SELECT min(f.uscc) FROM parcel_gov.enterprise_year f
                                        JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                                        WHERE f.year = 2024 AND e.region_code = '$c' AND f.exempt_reason IS NULL);
          SELECT parcel_gov.evaluate(2024, '$c');"
  summary_row="FROM parcel_gov.evaluation_summary WHERE year = 2024 AND region_code = '$c'"
  was=$(pq -c "SELECT evaluated_at $summary_row")
  pq -c "SELECT check_province.summary_changed_at('$c', 2024, '$was', 30)" > "$work/seen" &
  watcher=$!
  sleep 0.3   # the watcher polls before the county commits
  cq "$c" -c "$change" >/dev/null
  wait "$watcher" || true
  committed=$(cq "$c" -c "SELECT round(extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000) $summary_row")
  seen=$(cat "$work/seen")
  lag[$c]=$(( ${seen:-99999999999999} - committed ))
  aq -c "$change" >/dev/null
  if [ "${lag[$c]}" -ge 0 ] && [ "${lag[$c]}" -lt 5000 ]; then
    ok "county $c's 2024 run shown at the province ${lag[$c]} ms after its commit on the county's server"
  else not_ok "county $c's run reached the province after ${lag[$c]} ms"; fi
done
for c in "${counties[@]}"; do county_equal "$c" 30 || true; done
check "after the runs the county rows are equal to the last bit" \
  "$(pq -c "SELECT check_province.summary('county')")" "$(aq -c "SELECT check_province.summary('county')")"

say "the province refuses local writes and runs (as the extension's roles)"
pq -c "CREATE ROLE prov_analyst IN ROLE parcel_gov_analyst" -c "CREATE ROLE prov_operator IN ROLE parcel_gov_operator" \
   -c "SELECT parcel_gov.region_grant('prov_analyst', '3306'), parcel_gov.region_grant('prov_operator', '330604')" >/dev/null
refused() {  # refused DESCRIPTION SQLSTATE ROLE SQL
  check "$1" "$(pq -c "SELECT check_province.sqlstate($3, \$q\$$4\$q\$)")" "$2"
}
refused "an analyst's evaluate() of a subscribed county: 55000" 55000 "'prov_analyst'" "SELECT parcel_gov.evaluate(2024, '330604')"
refused "and of its city" 55000 "'prov_analyst'" "SELECT parcel_gov.evaluate(2024, '330600')"
refused "an analyst's evaluation_discard(): 55000" 55000 "'prov_analyst'" "SELECT parcel_gov.evaluation_discard(2024, '330604')"
refused "a clerk's change of figures: 42501" 42501 "'prov_operator'" "UPDATE parcel_gov.enterprise_year SET tax = tax + 1"
refused "a clerk's new parcel: 42501" 42501 "'prov_operator'" \
  "INSERT INTO parcel_gov.parcel (code, region_code, geom) VALUES ('330604009001GB00001', '330604', 'SRID=4490;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')"
refused "a clerk's step of the register: 42501" 42501 "'prov_operator'" \
  "SELECT parcel_gov.transition(parcel_code, 'candidate', '复查') FROM parcel_gov.register WHERE state = 'rejected' LIMIT 1"
refused "a superuser's write to the results (the guard): 42501" 42501 NULL \
  "UPDATE parcel_gov.evaluation SET score = 0 WHERE region_code = '330102'"
refused "a superuser's delete of the history (the guard): 42501" 42501 NULL "DELETE FROM parcel_gov.register_event"

say "the province down for a while"
t_before=$(cq 330602 -c 'SELECT now()')
events_before=$(cq 330602 -c 'SELECT count(*) FROM parcel_gov.register_event')
rows_2023=$(cq 330602 -c "SELECT count(*) FROM parcel_gov.evaluation WHERE year = 2023")
stop_server p
# 越城 corrects a 2023 figure, withdraws a firm's 2023 figures and evaluates
# 2023 again; its clerks move parcels on; 上城 gains a firm and evaluates 2024
correct="UPDATE parcel_gov.enterprise_year SET tax = tax * 1.5
           WHERE year = 2023 AND uscc = (SELECT min(uscc) FROM parcel_gov.enterprise_year WHERE year = 2023 AND uscc LIKE '91330602%');
         DELETE FROM parcel_gov.enterprise_year
           WHERE year = 2023 AND uscc = (SELECT max(uscc) FROM parcel_gov.enterprise_year WHERE year = 2023 AND uscc LIKE '91330602%');
         SELECT parcel_gov.evaluate(2023, '330602');"
cq 330602 -c "$correct" >/dev/null
aq -c "$correct" >/dev/null
cq 330602 -c "UPDATE parcel_gov.register SET state = 'assessing', reason = '整治完成, 申请评估'
              WHERE state = 'in_treatment' AND parcel_code LIKE '330602%'" >/dev/null
new_firm=$(cq 330102 -c 'SELECT demo.uscc(241)')
grow="INSERT INTO parcel_gov.enterprise (uscc, name, region_code, industry_code) VALUES ('$new_firm', '上城新材料有限公司', '330102', 'C2659');
      INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom, supply_date)
      VALUES ('330102004001GB00301', '330102', '$new_firm', ST_Multi(ST_MakeEnvelope(120.95, 29.90, 120.952, 29.9015, 4490)), '2020-05-01');
      INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue)
      VALUES ('$new_firm', 2024, 'below', 150, 600, 3000);
      SELECT parcel_gov.evaluate(2024, '330102');"
cq 330102 -c "$grow" >/dev/null
aq -c "$grow" >/dev/null
t_after=$(cq 330602 -c 'SELECT now()')
sleep 1
start_server p
for c in "${counties[@]}"; do
  if county_equal "$c" 60; then ok "county $c caught up after the province's downtime: no row lost or twice"
  else not_ok "county $c after the province's downtime"; fi
done
check "越城's history replayed: the events written meanwhile, once each" \
  "$(pq -c "SELECT count(*) FROM parcel_gov.register_event WHERE parcel_code LIKE '330602%'")" \
  "$(cq 330602 -c 'SELECT count(*) FROM parcel_gov.register_event')"
cmp_as_of() {
  echo "SELECT md5(string_agg(concat_ws('|', parcel_code, state, kinds, batch, state_since, last_change, event_id), ',' ORDER BY parcel_code))
        FROM parcel_gov.register_as_of('$1') WHERE parcel_code LIKE '330602%'"
}
check "and the register as of before and after the downtime is the county's" \
  "$(pq -c "$(cmp_as_of "$t_before")") $(pq -c "$(cmp_as_of "$t_after")")" \
  "$(cq 330602 -c "$(cmp_as_of "$t_before")") $(cq 330602 -c "$(cmp_as_of "$t_after")")"
check "the re-evaluated 2023 replaced the province's copy (one firm fewer, not added)" \
  "$(pq -c "SELECT count(*) || ' ' || count(DISTINCT uscc) FROM parcel_gov.evaluation WHERE year = 2023 AND region_code = '330602'")" \
  "$((rows_2023 - 1)) $((rows_2023 - 1))"
[ "$(cq 330602 -c 'SELECT count(*) FROM parcel_gov.register_event')" -gt "$events_before" ] \
  && ok "the clerks' steps during the downtime were history to replay" || not_ok "no register steps during the downtime"
for level in county city province; do
  check "after catching up, the $level rows are equal to the last bit" \
    "$(pq -c "SELECT check_province.summary('$level')")" "$(aq -c "SELECT check_province.summary('$level')")"
done

say "a county down for a while"
stop_server 330604
moved=$(cq 330102 -c "WITH u AS (UPDATE parcel_gov.register SET state = 'candidate', reason = '复查: 再次认定'
                                    WHERE state = 'exited' AND parcel_code LIKE '330102%' RETURNING 1)
                       SELECT count(*) FROM u")
[ "$moved" -gt 0 ] && county_equal 330102 30 && ok "上城's changes ($moved parcels re-surveyed) arrive while 上虞's server is down" \
  || not_ok "上城 while 上虞 is down ($moved parcels moved)"
start_server 330604
figure="UPDATE parcel_gov.enterprise_year SET value_added = value_added * 1.2
          WHERE year = 2024 AND uscc = (SELECT min(uscc) FROM parcel_gov.enterprise_year WHERE year = 2024 AND uscc LIKE '91330604%' AND exempt_reason IS NULL);
        SELECT parcel_gov.evaluate(2024, '330604');"
cq 330604 -c "$figure" >/dev/null
aq -c "$figure" >/dev/null
county_equal 330604 60 && ok "上虞 caught up after its own downtime: no row lost or twice" || not_ok "上虞 after its downtime"
check "and its summaries are the one server's to the last bit" \
  "$(pq -c "SELECT check_province.summary('county', '330604') || check_province.summary('city', '330600')")" \
  "$(aq -c "SELECT check_province.summary('county', '330604') || check_province.summary('city', '330600')")"

say "a county cannot publish another county's rows"
other=$(cq 330604 -c "SELECT min(uscc) FROM parcel_gov.enterprise")
own=$(cq 330602 -c "SELECT min(uscc) FROM parcel_gov.enterprise")
# 越城's server holds 上虞's firm and a parcel of 上虞 (a copy, or a mistake)
cq 330602 -c "INSERT INTO parcel_gov.enterprise (uscc, name, region_code) VALUES ('$other', '上虞的企业', '330604');
              INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
              VALUES ('330604009001GB00001', '330604', '$other', ST_Multi(ST_MakeEnvelope(120.9, 29.8, 120.902, 29.8015, 4490)));
              INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
              VALUES ('330604009001GB00001', '$own', 0.5, '[2024-01-01,2025-01-01)');
              INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue)
              VALUES ('$other', 2025, 'below', 1, 1, 1)"
# … and its DBA drops the parcels' row filter
cq 330602 -c "ALTER PUBLICATION parcel_gov_330602 DROP TABLE parcel_gov.parcel" \
          -c "ALTER PUBLICATION parcel_gov_330602 ADD TABLE parcel_gov.parcel" \
          -c "INSERT INTO parcel_gov.parcel (code, region_code, geom)
              VALUES ('330604009001GB00002', '330604', ST_Multi(ST_MakeEnvelope(120.91, 29.8, 120.912, 29.8015, 4490)))"
cq 330602 -c "SELECT parcel_gov.county_publication('330602')" >/dev/null
moved=$(cq 330602 -c "WITH u AS (UPDATE parcel_gov.register SET state = 'in_treatment', reason = '评估未通过'
                                    WHERE state = 'assessing' AND parcel_code LIKE '330602%' RETURNING 1)
                       SELECT count(*) FROM u")
[ "$moved" -gt 0 ] && county_equal 330602 30 && ok "越城's own changes ($moved parcels) still arrive" || not_ok "越城's own changes ($moved)"
check "the firm and the parcel its filters hold back never left (row filters)" \
  "$(pq -c "SELECT count(*) FROM parcel_gov.parcel WHERE code = '330604009001GB00001'")" 0
check "what its filters let through was refused at the province (the check of applied rows)" \
  "$(pq -c "SELECT string_agg(table_name || ' ' || operation || ' ' || coalesce(row_county, '?'), ', ' ORDER BY table_name)
            FROM parcel_gov.replication_refused WHERE subscription = 'parcel_gov_330602'")" \
  "enterprise_year INSERT 330604, lease INSERT 330604, parcel INSERT 330604"
check "上虞's rows at the province are untouched (its 2025 has no figures, the parcels are not there)" \
  "$(pq -c "SELECT (SELECT count(*) FROM parcel_gov.enterprise_year WHERE year = 2025)
              + (SELECT count(*) FROM parcel_gov.parcel WHERE code LIKE '330604009%')")" 0
county_equal 330604 10 && ok "上虞's fingerprint is its server's" || not_ok "上虞's rows changed"

say "a county's TRUNCATE"
cq 330102 -c "ALTER PUBLICATION parcel_gov_330102 SET (publish = 'insert, update, delete, truncate')" \
          -c "TRUNCATE parcel_gov.region_boundary"
for n in $(seq 1 100); do grep -q 'would empty every county' "${dir[p]}/server.log" && break; sleep 0.1; done
lsn=$(grep -o 'during message type "TRUNCATE".*finished at [0-9A-F]*/[0-9A-F]*' "${dir[p]}/server.log" | tail -1 | sed 's/.*finished at //')
check "a replicated TRUNCATE is refused (42501 in the log): 上虞's boundary stays at the province" \
  "${lsn:+refused} $(pq -c "SELECT count(*) FROM parcel_gov.region_boundary WHERE region_code = '330604'")" "refused 1"
cq 330102 -c "SELECT parcel_gov.county_publication('330102')" >/dev/null
pq -c "ALTER SUBSCRIPTION parcel_gov_330102 SKIP (lsn = '$lsn')"
moved=$(cq 330102 -c "WITH u AS (UPDATE parcel_gov.register SET state = 'confirmed', reason = '复查完成'
                                    WHERE state = 'candidate' AND parcel_code LIKE '330102%' RETURNING 1)
                       SELECT count(*) FROM u")
[ "$moved" -gt 0 ] && county_equal 330102 30 && ok "skipped (ALTER SUBSCRIPTION … SKIP at $lsn), 上城 publishes on ($moved parcels confirmed)" \
  || not_ok "上城 after the TRUNCATE ($moved)"

say "a province-wide what-if through postgres_fdw"
pq -c 'CREATE EXTENSION postgres_fdw' >/dev/null
for c in "${counties[@]}"; do
  pq -c "CREATE SERVER county_$c FOREIGN DATA WRAPPER postgres_fdw
           OPTIONS (host '${dir[$c]}', port '${port[$c]}', dbname 'county', extensions 'parcel_gov')" \
     -c "CREATE USER MAPPING FOR postgres SERVER county_$c OPTIONS (user 'postgres')" \
     -c "CREATE SCHEMA fdw_$c" \
     -c "IMPORT FOREIGN SCHEMA parcel_gov LIMIT TO (enterprise_period, evaluation) FROM SERVER county_$c INTO fdw_$c"
done
# the first half-year's 亩均税收, annualised: the counties' monthly figures
# (not copied) on their graded firms' land, summed where they are
part() {
  echo "SELECT parcel_gov.per_mu_agg_partial(p.tax * 2, e.area_mu) AS s
        FROM $1enterprise_period p JOIN $1evaluation e ON e.uscc = p.uscc AND e.year = p.year
        WHERE p.year = 2024 AND p.month = 6 AND e.grade IS NOT NULL"
}
whatif="SELECT float8send(parcel_gov.per_mu_agg_final(parcel_gov.partial_sum(s))) FROM ($(part fdw_330102.) UNION ALL $(part fdw_330602.) UNION ALL $(part fdw_330604.)) AS x"
check "the what-if over three counties is the one server's per_mu_agg to the last bit" \
  "$(pq -c "$whatif")" \
  "$(aq -c "SELECT float8send(parcel_gov.per_mu_agg(p.tax * 2, e.area_mu)) FROM parcel_gov.enterprise_period p
            JOIN parcel_gov.evaluation e ON e.uscc = p.uscc AND e.year = p.year
            WHERE p.year = 2024 AND p.month = 6 AND e.grade IS NOT NULL")"
plan=$(pq -c "EXPLAIN (VERBOSE, COSTS OFF) $(part fdw_330604.)")
echo "$plan" | sed 's/^/#   /'
remote=$(echo "$plan" | grep 'Remote SQL' || true)
[[ $remote == *"parcel_gov.per_mu_agg_partial("*"JOIN parcel_gov.evaluation"* ]] \
  && ok "the aggregate and the join are pushed down to the county (EXPLAIN VERBOSE: Remote SQL)" \
  || not_ok "the Remote SQL does not carry the aggregate: $remote"
pq -c "ALTER SERVER county_330604 OPTIONS (DROP extensions)"
remote=$(pq -c "EXPLAIN (VERBOSE, COSTS OFF) $(part fdw_330604.)" | grep 'Remote SQL' || true)
[[ $remote == *"Remote SQL: SELECT"* && $remote != *"per_mu_agg_partial"* ]] && ok "without extensions 'parcel_gov' the rows come over instead" \
  || not_ok "pushed down without the extensions option: $remote"
pq -c "ALTER SERVER county_330604 OPTIONS (ADD extensions 'parcel_gov')"
check "the province still evaluated nothing" \
  "$(pq -c 'SELECT count(*) FROM parcel_gov.evaluation_run')" 0

say "many counties, one province"
printf '%-8s %-6s %15s %12s %10s %16s\n' county name "rows published" "at province" "lag (ms)" "summaries equal"
for c in "${counties[@]}"; do
  at_county=$(cq "$c" -c "SELECT sum(n) FROM check_province.fingerprint('$c')")
  at_province=$(pq -c "SELECT sum(n) FROM check_province.fingerprint('$c')")
  same=no
  [ "$(pq -c "SELECT check_province.summary('county', '$c')")" = "$(aq -c "SELECT check_province.summary('county', '$c')")" ] && same=yes
  printf '%-8s %-6s %15s %12s %10s %16s\n' "$c" "${name[$c]}" "$at_county" "$at_province" "${lag[$c]}" "$same"
done
for r in 330100 330600 330000; do
  same=no
  level=city; [ "$r" = 330000 ] && level=province
  [ "$(pq -c "SELECT check_province.summary('$level', '$r')")" = "$(aq -c "SELECT check_province.summary('$level', '$r')")" ] && same=yes
  printf '%-8s %-6s %15s %12s %10s %16s\n' "$r" "$(pq -c "SELECT left(name, 2) FROM parcel_gov.region WHERE code = '$r'")" - - - "$same"
done
trap - ERR
echo
echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then exit 1; fi
