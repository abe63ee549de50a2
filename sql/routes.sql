-- 处置路径 (README, "The register"): the disposal route an operator sets on a
-- register row beside its batch — 桐庐's 收购收储 and 连片 routes 退二还一 /
-- 优二 / 补三, 金东's 收回 / 改造 / 转让 — recorded in the history and shown
-- with its label in v_register and v_parcel_efficiency.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\set ECHO none
\i sql/helpers/reset_data.sql
\set ECHO all

-- The routes in order, with their labels.
SELECT r::text AS route, label(r) FROM unnest(enum_range(NULL::disposal_route)) AS r;

-- Two parcels of 上虞 (330604) in the register, no firm: no evaluation.
INSERT INTO parcel (code, region_code, geom)
SELECT '330604009001GB' || lpad(n::text, 5, '0'), '330604',
       ST_Multi(ST_MakeEnvelope(120.8 + 0.001 * n, 30.0, 120.8005 + 0.001 * n, 30.00025, 4490))
FROM generate_series(1, 2) AS n;
SELECT (transition('330604009001GB0000' || n, 'candidate', '调查核实')).state::text FROM generate_series(1, 2) AS n;
SELECT (transition('330604009001GB0000' || n, 'confirmed', '审核认定')).state::text FROM generate_series(1, 2) AS n;
UPDATE register SET state = 'registered', batch = 'demolish_rebuild', reason = '建档入库';
UPDATE register SET state = 'in_treatment', reason = '整治提升';

-- The route alone: the state stays, one event says what changed and carries it.
UPDATE register SET route = 'redevelop' WHERE parcel_code = '330604009001GB00001';
-- The same route again changes nothing: no event.
UPDATE register SET route = 'redevelop' WHERE parcel_code = '330604009001GB00001';
-- With a step: 评估 not passed, back to treatment, and 收购收储 (桐庐: when
-- improvement fails) in the same statement: one event.
UPDATE register SET state = 'assessing', reason = '申请评估' WHERE parcel_code = '330604009001GB00001';
UPDATE register SET state = 'in_treatment', route = 'purchase_storage', reason = '评估未达标, 收购收储'
WHERE parcel_code = '330604009001GB00001';
SELECT step, from_state::text, to_state::text, batch::text, route::text, reason
FROM register_event WHERE parcel_code = '330604009001GB00001' ORDER BY step;

-- An unknown route is refused by its type (22P02).
UPDATE register SET route = 'sell' WHERE parcel_code = '330604009001GB00002';
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The views: code and label; a parcel without a route shows NULL.
SELECT parcel_code, state, batch, batch_label, route, route_label FROM v_register ORDER BY parcel_code;
