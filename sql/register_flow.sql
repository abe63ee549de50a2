-- The sample county's register over two years (demo/register_flow.sql), with
-- exact counts: the 2023 evaluation enters the low-efficiency parcels, the
-- county works them through, the 2024 evaluation decides who leaves.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\i demo/sample_county.sql
\i demo/register_flow.sql
SET search_path = parcel_gov, public;

SELECT state, count(*) AS parcels, round(sum(area_mu)::numeric, 1) AS mu,
       count(*) FILTER (WHERE entered_at IS NOT NULL) AS entered, count(*) FILTER (WHERE exited_at IS NOT NULL) AS exited
FROM v_register WHERE region_code = '330604' GROUP BY state ORDER BY state::register_state;  -- the procedure's order, not the alphabet's
SELECT batch, count(*) AS parcels, count(*) FILTER (WHERE state = 'exited') AS exited
FROM v_register WHERE region_code = '330604' GROUP BY batch ORDER BY batch::batch;
-- 处置路径: the demo routes the parcels sent back to treatment by their batch
-- (拆除重建 → 收购收储, 关停退出 → 收回, 功能转型 → 补三, 整治提升 → 改造), and no other.
SELECT batch, route, route_label, count(*) AS parcels
FROM v_register WHERE region_code = '330604' AND route IS NOT NULL GROUP BY 1, 2, 3 ORDER BY batch::batch;
SELECT count(*) FILTER (WHERE state = 'in_treatment') AS in_treatment, count(*) FILTER (WHERE route IS NOT NULL) AS routed,
       count(*) FILTER (WHERE (state = 'in_treatment') <> (route IS NOT NULL)) AS mismatched
FROM v_register WHERE region_code = '330604';
-- v_parcel_efficiency shows the register's route.
SELECT count(*) FILTER (WHERE v.route IS NOT NULL) AS routed,
       count(*) FILTER (WHERE v.route IS DISTINCT FROM r.route::text OR v.route_label IS DISTINCT FROM label(r.route)) AS differing
FROM v_parcel_efficiency v JOIN register r ON r.parcel_code = v.code WHERE v.year = 2024 AND v.region_code = '330604';
-- 问题清单: the demo's two environment issues, and they block an exit as accepted.
SELECT department, department_label, open_issues, parcels FROM v_open_issues WHERE region_code = '330604';
SELECT count(*) AS blocked FROM register WHERE parcel_code LIKE '330604%' AND blocking_issues(parcel_code) IS NOT NULL;
-- Who exited did so on a 2024 evaluation that clears the thresholds.
SELECT exit_reason, clears_thresholds, evaluated_year, count(*) FROM register
WHERE state = 'exited' AND parcel_code LIKE '330604%' GROUP BY 1, 2, 3;
-- Events: one per change; every parcel's history replays to its state.
SELECT count(*) AS events,
       count(*) FILTER (WHERE from_state IS DISTINCT FROM to_state) AS state_changes,
       count(*) FILTER (WHERE reason LIKE 'evaluate(%') AS by_evaluate
FROM register_event WHERE parcel_code LIKE '330604%';
SELECT count(*) AS parcels, count(*) FILTER (WHERE r.state = last.to_state) AS replayed
FROM register r
CROSS JOIN LATERAL (SELECT e.to_state FROM register_event e WHERE e.parcel_code = r.parcel_code
                    ORDER BY e.id DESC LIMIT 1) AS last
WHERE r.parcel_code LIKE '330604%';
-- evaluate() again changes nothing in the register.
SELECT count(*) AS events_before FROM register_event \gset
SELECT evaluate(2024, '330604') > 0 AS evaluated;
SELECT count(*) - :events_before AS new_events FROM register_event;
-- With work_mem at its floor the rows to write spill to temporary files, which
-- the engine closes: no "temporary file leak" warning, the same results.
CREATE TEMP TABLE evaluation_before AS SELECT uscc, score, grade FROM evaluation WHERE year = 2024;
SET work_mem = '64kB';
SELECT evaluation_discard(2024, '330604') > 200 AS many_rows_removed;
SELECT evaluate(2024, '330604') > 0 AS evaluated_again;
RESET work_mem;
SELECT count(*) AS differing FROM evaluation_before b FULL JOIN (SELECT * FROM evaluation WHERE year = 2024) AS e USING (uscc)
WHERE e.score IS DISTINCT FROM b.score OR e.grade IS DISTINCT FROM b.grade;
-- The parcel-level view and the blocks.
SELECT count(*) AS parcels, count(*) FILTER (WHERE cardinality(kinds) > 0) AS low_efficiency,
       count(*) FILTER (WHERE register_state IS NOT NULL) AS in_register
FROM v_parcel_efficiency WHERE year = 2024 AND region_code = '330604';
SELECT count(*) AS blocks, sum(parcels) AS parcels, max(parcels) AS largest FROM v_low_efficiency_clusters WHERE region_code = '330604';
SET parcel_gov.cluster_distance_m = 500;
SELECT count(*) AS blocks_within_500m, max(parcels) AS largest FROM v_low_efficiency_clusters WHERE region_code = '330604';
RESET parcel_gov.cluster_distance_m;
