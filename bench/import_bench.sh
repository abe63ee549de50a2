#!/usr/bin/env bash
# bench/import_bench.sh: a county's yearly load, on a cluster of its own with
# fsync on, as shipped (an import is mostly writes, so fsync matters):
#   firms   import_enterprise_years() of a bureau's sheet of FIRMS rows (tax in
#           元 with separators, electricity in 万千瓦时, 4-digit industry codes)
#           into an empty county, against the plain SQL a clerk would write to
#           store the same rows (unit conversions and codes by hand, no checks);
#   parcels import_parcels() of 3,000 and 30,000 parcels (bench/import_cases.sql)
#           against a bare INSERT of the rows it stored (IMPORT_PARCELS=0 skips it);
#   staging each import against ogr2ogr loading the same file (the goal: an
#           import within 10× of it): the firms' sheet as a UTF-8 CSV (the
#           import then reads the table ogr2ogr made), the parcels as
#           Shapefiles (README "Importing parcels": -nlt PROMOTE_TO_MULTI).
# Each round starts from the empty county; median of ROUNDS rounds.
# IMPORT_PORT: the bench cluster's port (5435); IMPORT_CASE_RUNS: rounds of
# each parcel case (bench/import_cases.sql's 5, 3 for the clerk's 30,000).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pgenv.sh
FIRMS=${IMPORT_FIRMS:-15000}
ROUNDS=${IMPORT_ROUNDS:-5}
PORT=${IMPORT_PORT:-5435}
dir=$(mktemp -d /tmp/parcel_gov_import_bench.XXXXXX)
side_cluster "$dir" "$PORT" -c fsync=on -c shared_buffers=1GB
trap 'side_cluster_stop "$dir"' EXIT
q() { psql -q -X -At -v ON_ERROR_STOP=1 -h "$dir" -p "$PORT" -U postgres -d postgres "$@"; }
pg="PG:host=$dir port=$PORT user=postgres dbname=postgres"
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# ogr2ogr loading a file into a staging table (replaced each round), as a
# county does: the median wall time of ROUNDS loads, in ms
ogr_ms() {
  local file=$1 table=$2 t0 t1 times=(); shift 2
  for _ in $(seq "$ROUNDS"); do
    t0=$(date +%s%N)
    ogr2ogr -f PostgreSQL "$pg" "$file" -nln "$table" -overwrite "$@"
    t1=$(date +%s%N)
    times+=("$(( (t1 - t0) / 1000000 ))")
  done
  median "${times[@]}"
}
q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION parcel_gov CASCADE'
q -v firms="$FIRMS" <<'SQL'
INSERT INTO parcel_gov.region (code, name) VALUES ('330604', '上虞区') ON CONFLICT DO NOTHING;
CREATE SCHEMA bench;
-- GB 32100's check character: weights 3^(i-1) mod 31 over the alphabet
CREATE FUNCTION bench.uscc(first17 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT first17 || substr(a, (31 - sum((strpos(a, substr(first17, i, 1)) - 1) * (3 ^ (i - 1))::numeric % 31)::int % 31) % 31 + 1, 1)
    FROM (SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY' AS a) AS x, generate_series(1, 17) AS i GROUP BY a
$$;
-- The sheet as \copy leaves it: every cell text, as the bureau wrote it.
CREATE TABLE bench.sheet AS
SELECT bench.uscc('91330604MA' || lpad(upper(to_hex(n)), 7, '0')) AS "统一社会信用代码", '上虞企业' || n || '有限公司' AS "企业名称",
       (13 + n % 30)::text || lpad((n % 100)::text, 2, '0') AS "行业代码",
       CASE WHEN n % 3 = 0 THEN '规下' ELSE '规上' END AS "规模",
       to_char(100000 + n * 37 % 9000000, 'FM9,999,999,999') AS "税收（元）",
       (50 + n % 900)::text AS "工业增加值(万元)", (300 + n % 5000)::text AS "营业收入(万元)",
       (n % 60)::text AS "研发经费(万元)", (10 + n % 300)::text AS "从业人员(人)",
       (20 + n % 700)::text AS "综合能耗(吨标煤)", (1 + n % 30)::text AS "排放量(吨)",
       (30 + n % 500)::text AS "用电量（万千瓦时）"
FROM generate_series(1, :firms) AS n;
CREATE PROCEDURE bench.empty_county() LANGUAGE sql AS $$
    DELETE FROM parcel_gov.enterprise_year WHERE uscc LIKE '91330604MA%';
    DELETE FROM parcel_gov.enterprise WHERE uscc LIKE '91330604MA%';
$$;
SQL
[ "$(q -c "SELECT count(*) FROM bench.sheet WHERE parcel_gov.uscc_valid(\"统一社会信用代码\")")" = "$FIRMS" ] \
  || { echo "bench sheet: invalid codes" >&2; exit 1; }
# the sheet as the bureau sends it (a UTF-8 CSV), staged by ogr2ogr: the
# table both the import and the plain SQL read
q -c "\\copy bench.sheet TO '$dir/firms.csv' (FORMAT csv, HEADER)"
ogr_firms=$(ogr_ms "$dir/firms.csv" bench.firms)
[ "$(q -c "SELECT count(*) FROM bench.firms")" = "$FIRMS" ] || { echo "bench: ogr2ogr staged too few firms" >&2; exit 1; }

ours="SELECT count(*) FILTER (WHERE outcome = 'imported') FROM parcel_gov.import_enterprise_years('bench.firms', 2024, '330604')"
plain="WITH f AS (INSERT INTO parcel_gov.enterprise (uscc, name, region_code, industry_code)
                 SELECT \"统一社会信用代码\", \"企业名称\", '330604', 'C' || \"行业代码\" FROM bench.firms RETURNING 1),
            y AS (INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense,
                                                          staff, energy_tce, emission_t, electricity_kwh)
                  SELECT \"统一社会信用代码\", 2024, CASE \"规模\" WHEN '规上' THEN 'above' ELSE 'below' END::parcel_gov.size_class,
                         replace(\"税收（元）\", ',', '')::float8 / 1e4, \"工业增加值(万元)\"::float8, \"营业收入(万元)\"::float8,
                         \"研发经费(万元)\"::float8, \"从业人员(人)\"::float8, \"综合能耗(吨标煤)\"::float8, \"排放量(吨)\"::float8,
                         \"用电量（万千瓦时）\"::float8 * 1e4
                  FROM bench.firms RETURNING 1)
       SELECT count(*) FROM y"
timed() {  # one statement in a transaction of its own, its wall time in ms
  q -c "CALL bench.empty_county()"
  local t0 t1 n
  t0=$(date +%s%N)
  n=$(q -c "$1")
  t1=$(date +%s%N)
  [ "$n" = "$FIRMS" ] || { echo "bench: $n rows stored, not $FIRMS" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}
timed "$ours" >/dev/null; timed "$plain" >/dev/null   # warm
o=(); p=()
for _ in $(seq "$ROUNDS"); do
  o+=("$(timed "$ours")"); p+=("$(timed "$plain")")
done
mo=$(median "${o[@]}"); mp=$(median "${p[@]}")
printf 'import_enterprise_years, %s firm rows (fsync on): %s ms; plain INSERTs of the same rows, no checks: %s ms; checks cost %s×\n' \
  "$FIRMS" "$mo" "$mp" "$(awk -v a="$mo" -v b="$mp" 'BEGIN { printf "%.1f", a / b }')"

rows=("import_enterprise_years: $FIRMS firm rows (CSV)|$ogr_firms|$mo")
if [ "${IMPORT_PARCELS:-1}" != 0 ]; then
  q ${IMPORT_CASE_RUNS:+-v runs="$IMPORT_CASE_RUNS"} -f bench/harness.sql -f bench/import_cases.sql
  q -c "SELECT format('%s: %s ms; bare INSERT: %s ms; %s×', name, round(ours_ms), round(plain_ms), round((ours_ms / plain_ms)::numeric, 2))
        FROM bench.result ORDER BY n"
  # the files the parcel cases import, as Shapefiles, staged as README says
  for n in 3000 30000; do
    ogr2ogr -f "ESRI Shapefile" "$dir/zd_$n.shp" "$pg" -nln "zd_$n" -lco ENCODING=UTF-8 \
            -sql "SELECT zddm, qlr, tdyt, mj, wkb_geometry FROM bench.zd_$n ORDER BY ogc_fid"
    ogr=$(ogr_ms "$dir/zd_$n.shp" "bench.zd_${n}_ogr" -nlt PROMOTE_TO_MULTI)
    [ "$(q -c "SELECT count(*) FROM bench.zd_${n}_ogr")" = "$n" ] || { echo "bench: ogr2ogr staged too few parcels" >&2; exit 1; }
    while IFS='|' read -r name ms; do
      rows+=("$name|$ogr|$ms")
    done < <(q -F '|' -c "SELECT format('import_parcels: %s parcels, %s', to_char(parcels, 'FM99,999'),
                                        CASE WHEN name LIKE '%clerk%' THEN 'a county clerk' ELSE 'the province' END),
                                 round(ms)
                          FROM bench.import_outcome WHERE parcels = $n AND name NOT LIKE '%reprojected%' ORDER BY name")
  done
fi
# side by side: ogr2ogr staging the file, the import of what it staged, the ratio (goal: within 10×)
printf '\n%-52s %14s %10s %7s\n' "fsync on, medians" "ogr2ogr ms" "import ms" "ratio"
for r in "${rows[@]}"; do
  IFS='|' read -r name ogr ms <<<"$r"
  printf '%-52s %14s %10s %6s×\n' "$name" "$ogr" "$ms" "$(awk -v a="$ms" -v b="$ogr" 'BEGIN { printf "%.1f", a / b }')"
done
