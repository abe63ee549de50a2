#!/usr/bin/env bash
# The register's history replays under concurrent clerks: pgbench, 8 clients
# for a few seconds, each moving random parcels of 200 one step (forward or
# back: candidate → confirmed or rejected, confirmed → rejected, rejected →
# candidate).  Then every parcel's events, read in step order, start where
# the previous one ended, run 1, 2, 3 … without a gap and end in the
# register row's state.  Prints how many events the id order would misplace.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/checkdb.sh
checkdb history_replay
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
q <<'SQL' >/dev/null
INSERT INTO parcel_gov.parcel (code, region_code, geom)
SELECT '330604001001GB' || lpad(i::text, 5, '0'), '330604',
       ST_Multi(ST_MakeEnvelope(120.8 + i * 0.001, 30.0, 120.8005 + i * 0.001, 30.0005, 4490))
FROM generate_series(1, 200) AS i;
SELECT parcel_gov.transition(code, 'candidate', '调查') FROM parcel_gov.parcel;
SQL
cat > "$work/step.sql" <<'SQL'
\set p random(1, 200)
\set r random(1, 1000000)
UPDATE parcel_gov.register
SET state = CASE state WHEN 'candidate' THEN (CASE WHEN :r % 2 = 0 THEN 'confirmed' ELSE 'rejected' END)::parcel_gov.register_state
                       WHEN 'confirmed' THEN 'rejected' ELSE 'candidate' END,
    reason = 'pgbench ' || :r || ' ' || clock_timestamp()
WHERE parcel_code = '330604001001GB' || lpad(:p::text, 5, '0');
SQL
"$PG_BIN/pgbench" -n -c 8 -j 2 -T 4 -f "$work/step.sql" "$db" > "$work/pgbench.log" 2>&1 || { cat "$work/pgbench.log" >&2; fail "pgbench failed"; }
result=$(q -c "
  WITH e AS (
    SELECT e.*, lag(e.to_state) OVER w AS previous_to, lag(e.step) OVER w AS previous_step
    FROM parcel_gov.register_event e WINDOW w AS (PARTITION BY e.parcel_code ORDER BY e.step))
  SELECT count(*),
         count(*) FILTER (WHERE e.step > 1 AND (e.from_state IS DISTINCT FROM e.previous_to OR e.previous_step <> e.step - 1)),
         (SELECT count(*) FROM parcel_gov.register r
          WHERE r.step <> (SELECT count(*) FROM parcel_gov.register_event x WHERE x.parcel_code = r.parcel_code)
             OR r.state <> (SELECT x.to_state FROM parcel_gov.register_event x WHERE x.parcel_code = r.parcel_code
                            ORDER BY x.step DESC LIMIT 1)),
         (SELECT count(*) FROM (SELECT x.from_state, lag(x.to_state) OVER (PARTITION BY x.parcel_code ORDER BY x.id) AS prev
                                FROM parcel_gov.register_event x) y WHERE y.prev IS NOT NULL AND y.from_state <> y.prev)
  FROM e")
IFS='|' read -r events broken rows_off by_id <<<"$result"
echo "history replay: $events events by 8 clients; in step order $broken broken, $rows_off rows off; in id order $by_id misplaced"
[ "$events" -gt 400 ] || fail "too few events ($events) to tell"
[ "$broken" = 0 ] && [ "$rows_off" = 0 ] || fail "the history does not replay in step order"
