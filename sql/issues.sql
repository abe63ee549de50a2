-- 问题清单 (README, "The register"; 绍兴 2021 清单化管理、销号式整改、项目化验收):
-- the environment, safety, fire and illegal-building departments' issues on a
-- parcel, struck off (closed) with evidence; the rule set's departments
-- whose open issues block an exit as accepted (rule_issue.blocks_exit: 55000
-- naming them) or, past their deadline, send the parcel to 关停退出
-- (rule_issue.shutdown_when_overdue); v_open_issues per county and department.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\set ECHO none
\i sql/helpers/reset_data.sql
\set ECHO all

SELECT d::text AS department, label(d) FROM unnest(enum_range(NULL::issue_department)) AS d;
-- The default and every preset: all four departments block the exit, none shuts down.
SELECT department::text, count(*) AS rule_sets, bool_and(blocks_exit) AS block, bool_or(shutdown_when_overdue) AS shut
FROM rule_issue GROUP BY department ORDER BY department;

-- 上虞 (330604) parcels 1–4 and 越城 (330602) parcel 9.
CREATE FUNCTION pg_temp.p(county text, n int) RETURNS text LANGUAGE sql IMMUTABLE
RETURN county || '009001GB' || lpad(n::text, 5, '0');
INSERT INTO parcel (code, region_code, geom)
SELECT pg_temp.p(c, n), c, ST_Multi(ST_MakeEnvelope(120.8 + 0.001 * n, 30.0, 120.8005 + 0.001 * n, 30.00025, 4490))
FROM (VALUES ('330604', 1), ('330604', 2), ('330604', 3), ('330604', 4), ('330602', 9)) AS x(c, n);

-- Parcel 1: environment (open, overdue), fire (closed), illegal building
-- (open, due 2999).  Parcel 9 (越城): safety, open, no deadline.
INSERT INTO issue (parcel_code, department, description, found, deadline, closed, evidence) VALUES
  (pg_temp.p('330604', 1), 'environment', '废水直排', '2024-01-10', '2024-06-30', NULL, NULL),
  (pg_temp.p('330604', 1), 'fire', '消防通道堵塞', '2024-01-10', '2024-03-31', '2024-03-20', '{"doc": "消防验收 2024-12"}'),
  (pg_temp.p('330604', 1), 'illegal_building', '违章搭建 300 m²', '2024-02-01', '2999-12-31', NULL, NULL),
  (pg_temp.p('330602', 9), 'safety', '危化品存放', '2024-05-01', NULL, NULL, NULL);
-- Bad rows (23514 each): struck off without evidence, before it was found,
-- due before it was found, evidence not an object.
INSERT INTO issue (parcel_code, department, description, found, closed) VALUES (pg_temp.p('330604', 2), 'fire', 'x', '2024-01-01', '2024-02-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO issue (parcel_code, department, description, found, closed, evidence) VALUES (pg_temp.p('330604', 2), 'fire', 'x', '2024-01-01', '2023-12-31', '{}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO issue (parcel_code, department, description, found, deadline) VALUES (pg_temp.p('330604', 2), 'fire', 'x', '2024-01-01', '2023-12-31');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO issue (parcel_code, department, description, found, closed, evidence) VALUES (pg_temp.p('330604', 2), 'fire', 'x', '2024-01-01', '2024-02-01', '"done"');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Open issues per county and department: 上虞 environment (overdue) and
-- illegal building (not yet due), 越城 safety (no deadline: not overdue).
SELECT region_code, region_name, department, department_label, open_issues, parcels, overdue, oldest_found
FROM v_open_issues ORDER BY region_code, department;

-- Parcel 1 through the register to 评估.
SELECT (transition(pg_temp.p('330604', 1), s, s::text)).state::text
FROM unnest('{candidate,confirmed}'::register_state[]) AS s;
UPDATE register SET state = 'registered', batch = 'rectify_upgrade', reason = '建档入库';
UPDATE register SET state = 'in_treatment', reason = '整治提升';
UPDATE register SET state = 'assessing', reason = '申请验收';
-- Under the default rule both open issues block (the closed fire one does not).
SELECT blocking_issues(pg_temp.p('330604', 1));
SELECT blocking_issues(pg_temp.p('330604', 2)) IS NULL AS none_on_parcel_2;
-- 项目化验收: no exit as accepted while they are open (55000, the hint names them).
UPDATE register SET state = 'exited', exit_reason = 'accepted', reason = '验收通过' WHERE parcel_code = pg_temp.p('330604', 1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- 上虞's own rules: an illegal building does not hold up acceptance, and an
-- environment issue past its deadline means 关停退出.
SELECT rule_set_adopt('default', 'shangyu', '330604');
UPDATE rule_issue SET blocks_exit = false WHERE rule_set_id = 'shangyu' AND department = 'illegal_building';
UPDATE rule_issue SET shutdown_when_overdue = true WHERE rule_set_id = 'shangyu' AND department = 'environment';
SELECT blocking_issues(pg_temp.p('330604', 1));
-- 销号: the environment issue closed with its evidence; now it may exit.
UPDATE issue SET closed = '2025-03-01', evidence = '{"doc": "环保验收 2025-03"}'
WHERE parcel_code = pg_temp.p('330604', 1) AND department = 'environment';
SELECT blocking_issues(pg_temp.p('330604', 1)) IS NULL AS none_left;
UPDATE register SET state = 'exited', exit_reason = 'accepted', reason = '验收通过' WHERE parcel_code = pg_temp.p('330604', 1);
SELECT state::text, exit_reason FROM register WHERE parcel_code = pg_temp.p('330604', 1);
-- The illegal-building issue is still open: under 上虞's rules it does not
-- hold up acceptance.
SELECT count(*) AS open_left FROM issue WHERE closed IS NULL AND parcel_code LIKE '330604%';
-- Other exit reasons are not held up: parcel 2, with an open safety issue,
-- leaves as recovered (收回).
INSERT INTO issue (parcel_code, department, description, found) VALUES (pg_temp.p('330604', 2), 'safety', '安全隐患', '2024-03-01');
SELECT (transition(pg_temp.p('330604', 2), s, s::text)).state::text
FROM unnest('{candidate,confirmed}'::register_state[]) AS s;
UPDATE register SET state = 'registered', batch = 'shutdown_exit', reason = '建档入库' WHERE parcel_code = pg_temp.p('330604', 2);
UPDATE register SET state = 'in_treatment', reason = '关停' WHERE parcel_code = pg_temp.p('330604', 2);
UPDATE register SET state = 'assessing', reason = '收回' WHERE parcel_code = pg_temp.p('330604', 2);
UPDATE register SET state = 'exited', exit_reason = 'recovered', reason = '土地收回' WHERE parcel_code = pg_temp.p('330604', 2);
SELECT state::text, exit_reason, blocking_issues(parcel_code) AS still_open FROM register WHERE parcel_code = pg_temp.p('330604', 2);

-- 关停退出 for an overdue environment issue (上虞's rule): two firms with
-- 1 万元 of tax on about 2.005 mu (under the line of 6: low_per_mu) on
-- parcels 3 and 4; parcel 3 has an environment issue due 2024-06-30, open.
--   parcel 3 → shutdown_exit; parcel 4 → rectify_upgrade.
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES
  ('91330604MA2B00078Q', '企业3', '330604', 'C3311'), ('91330604MA2B0014XC', '企业4', '330604', 'C3311');
UPDATE parcel SET holder_uscc = CASE right(code, 1) WHEN '3' THEN '91330604MA2B00078Q' ELSE '91330604MA2B0014XC' END,
                  supply_date = '2010-06-01'
WHERE code IN (pg_temp.p('330604', 3), pg_temp.p('330604', 4));
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t, electricity_kwh)
SELECT u, 2024, 'above', 1, 40, 200, 6, 10, 10, 1, 100000 FROM unnest('{91330604MA2B00078Q,91330604MA2B0014XC}'::text[]) AS u;
INSERT INTO issue (parcel_code, department, description, found, deadline) VALUES
  (pg_temp.p('330604', 3), 'environment', '废气超标', '2024-01-10', '2024-06-30');
-- (the whole province: its run reads the open issues once, beside its scan of the parcels)
SELECT evaluate(2024) AS graded;
SELECT parcel_code::text, kinds::text[], batch::text FROM register WHERE parcel_code IN (pg_temp.p('330604', 3), pg_temp.p('330604', 4)) ORDER BY 1;
SELECT code, batch FROM v_parcel_efficiency WHERE year = 2024 AND code IN (pg_temp.p('330604', 3), pg_temp.p('330604', 4)) ORDER BY code;
-- Not overdue (deadline moved to 2999): the view follows at once.
UPDATE issue SET deadline = '2999-12-31' WHERE parcel_code = pg_temp.p('330604', 3);
SELECT code, batch FROM v_parcel_efficiency WHERE year = 2024 AND code = pg_temp.p('330604', 3);

-- A county's run reads its parcels' open issues after the parcels: by the
-- range of codes starting with the county's, and one by one for a parcel of
-- the county coded elsewhere.  Three parcels new in 上虞, entering the
-- register in 2025's first run (low_per_mu), each with an issue past its
-- deadline: 5 (企业3) environment and 6 (企业4, a 柯桥 code) environment go
-- to 关停退出 (上虞's rule); 7 (企业4) fire goes to 提升改造 (only
-- environment shuts down here).
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT pg_temp.p(c, n), '330604', h, ST_Multi(ST_MakeEnvelope(120.8 + 0.001 * n, 30.0, 120.8005 + 0.001 * n, 30.00025, 4490)),
       '2010-06-01'
FROM (VALUES ('330604', 5, '91330604MA2B00078Q'), ('330603', 6, '91330604MA2B0014XC'),
             ('330604', 7, '91330604MA2B0014XC')) AS x(c, n, h);
INSERT INTO issue (parcel_code, department, description, found, deadline) VALUES
  (pg_temp.p('330604', 5), 'environment', '废气超标', '2025-01-10', '2025-02-28'),
  (pg_temp.p('330603', 6), 'environment', '废水直排', '2025-01-10', '2025-02-28'),
  (pg_temp.p('330604', 7), 'fire', '消防通道堵塞', '2025-01-10', '2025-02-28');
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t, electricity_kwh)
SELECT uscc, 2025, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t, electricity_kwh
FROM enterprise_year WHERE year = 2024 AND uscc IN ('91330604MA2B00078Q', '91330604MA2B0014XC');
SELECT evaluate(2025, '330604') AS graded_in_county;
SELECT parcel_code::text, kinds::text[], batch::text, evaluated_year FROM register
WHERE parcel_code IN (pg_temp.p('330604', 5), pg_temp.p('330603', 6), pg_temp.p('330604', 7)) ORDER BY 1;
