-- 绍兴/嵊州 2021 全域治理's three objects (README, "Low-efficiency kinds"):
-- besides low per-mu land, 低散乱污 land (its firm listed this year,
-- enterprise_year.scattered_polluting) and 集体工业用地 (the 宗地代码's
-- character 13 is J 集体 and parcel.land_procedures_legal is false), and
-- the batches the rule set gives them (rule_set.scattered_polluting_batch,
-- collective_industrial_batch; the default: NULL and function_transform).
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\set ECHO none
\i sql/helpers/reset_data.sql
\set ECHO all

-- The labels.
SELECT k::text AS kind, label(k) FROM unnest(ARRAY['scattered_polluting', 'collective_industrial']::low_efficiency_kind[]) AS k;

-- The kinds by hand.  Codes: 330604 009 001, then GB (国有, 建设用地使用权)
-- or JB (集体), then the number.  Only J with legal procedures known missing
-- (false) is 集体工业用地; unknown (NULL) or present (true) triggers nothing.
SELECT c.code, c.legal, c.listed,
       low_efficiency_kinds(50, 6, false, 'A', 'normal', '2010-06-01', true, '1999-01-01', false,
                            c.listed, c.code, c.legal)::text[] AS kinds
FROM (VALUES ('330604009001GB00001', false, false), ('330604009001JB00002', false, false),
             ('330604009001JB00003', NULL, false), ('330604009001JB00004', true, false),
             ('330604009001GB00005', NULL, true), ('330604009001JB00006', false, true)) AS c(code, legal, listed);
-- The 9-argument form knows neither: empty.
SELECT low_efficiency_kinds(50, 6, false, 'A', 'normal', '2010-06-01', true, '1999-01-01', false)::text[] AS kinds;

-- The batch: first match wins (关停退出, 功能转型, 拆除重建, 整治提升), and a
-- kind the rule gives a batch goes at least that far up the order.
SELECT t.note, four_batch(t.kinds::low_efficiency_kind[], false, t.fails, true, true, t.building,
                          t.sp::batch, t.ci::batch)::text AS batch
FROM (VALUES
  ('低散乱污, no rule: 整治提升',                        '{scattered_polluting}', false, 'good', NULL, NULL),
  ('低散乱污, fails acceptance: 关停退出',                '{scattered_polluting}', true, 'good', NULL, NULL),
  ('低散乱污, rule 关停退出: 关停退出',                   '{scattered_polluting}', false, 'good', 'shutdown_exit', NULL),
  ('集体, rule 功能转型: 功能转型',                       '{collective_industrial}', false, 'good', NULL, 'function_transform'),
  ('集体, fails acceptance, rule 功能转型: 关停退出 first', '{collective_industrial}', true, 'good', NULL, 'function_transform'),
  ('集体, poor buildings, rule 整治提升: 拆除重建 stays',   '{collective_industrial}', false, 'poor', NULL, 'rectify_upgrade'),
  ('low per mu only, rules for the others: 整治提升',     '{low_per_mu}', false, 'good', 'shutdown_exit', 'function_transform'),
  ('no kind: NULL',                                      '{}', false, 'good', 'shutdown_exit', 'function_transform')
) AS t(note, kinds, fails, building, sp, ci);
-- The 6-argument form applies no kind's rule: 集体 alone is 整治提升.
SELECT four_batch('{collective_industrial}', false, false, true, true, 'good')::text AS batch;

-- evaluate() on 上虞 (330604): four 规上 firms with the same figures on one
-- cell each (about 2.005 mu), so all score alike and are all A; 100 万元 of
-- tax is about 49.9 万元/亩, above the default line of 6.  No parcel is low
-- per mu or D: what enters the register enters for the new kinds alone.
--   F1 (GB, listed)                   → scattered_polluting, 整治提升 (default rule NULL)
--   F2 (GB, listed, fails acceptance) → scattered_polluting, 关停退出
--   F3 (JB, procedures false)         → collective_industrial, 功能转型 (default rule)
--   F4 (JB, procedures unknown)       → no kind, not registered
CREATE TEMP TABLE firm_name (uscc uscc PRIMARY KEY, firm text);
INSERT INTO firm_name VALUES ('91330604MA2B00078Q', 'F1'), ('91330604MA2B0014XC', 'F2'),
                             ('91330604MA2B002118', 'F3'), ('91330604MA2B002898', 'F4');
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, '企业' || firm, '330604', 'C3311' FROM firm_name;
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date, fails_acceptance, land_procedures_legal)
SELECT '330604009001' || CASE WHEN n >= 3 THEN 'JB' ELSE 'GB' END || lpad(n::text, 5, '0'), '330604', f.uscc,
       ST_Multi(ST_MakeEnvelope(120.8 + 0.001 * n, 30.0, 120.8005 + 0.001 * n, 30.00025, 4490)), '2010-06-01',
       n = 2, CASE n WHEN 3 THEN false END
FROM firm_name f CROSS JOIN LATERAL (SELECT substr(f.firm, 2)::int AS n) AS k;
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce,
                             emission_t, electricity_kwh, scattered_polluting)
SELECT uscc, 2024, 'above', 100, 400, 2000, 60, 50, 100, 10, 1000000, firm IN ('F1', 'F2') FROM firm_name;
-- (the whole province: its run reads parcel and enterprise_year by scans, the later runs of 上虞 by queries)
SELECT evaluate(2024) AS graded;
SELECT f.firm, e.grade::text, round(e.tax_per_mu::numeric, 1) AS tax_per_mu
FROM evaluation e JOIN firm_name f USING (uscc) WHERE e.year = 2024 ORDER BY f.firm;
SELECT r.parcel_code::text, r.state::text, r.kinds::text[], label(r.kinds) AS kind_labels, r.batch::text,
       label(r.batch) AS batch_label
FROM register r ORDER BY r.parcel_code;
-- v_parcel_efficiency says what the sync recorded.
SELECT code, kinds, kind_labels_text, batch, batch_label FROM v_parcel_efficiency WHERE year = 2024 ORDER BY code;
SELECT count(*) AS differing
FROM v_parcel_efficiency v JOIN register r ON r.parcel_code = v.code
WHERE v.year = 2024 AND (v.kinds IS DISTINCT FROM r.kinds::text[] OR v.batch IS DISTINCT FROM r.batch::text);

-- A county's own rules: 上虞 sends 低散乱污 land to 关停退出 and leaves 集体
-- land to the four batches.  Evaluated again, the view and a parcel entering
-- anew (F4's procedures found missing) follow the county's rule; parcels
-- already in the register keep the batch they were given.
SELECT rule_set_adopt('default', 'shangyu_2024', '330604');
UPDATE rule_set SET scattered_polluting_batch = 'shutdown_exit', collective_industrial_batch = NULL
WHERE id = 'shangyu_2024';
UPDATE parcel SET land_procedures_legal = false WHERE code = '330604009001JB00004';
SELECT evaluate(2024, '330604') AS graded;
SELECT code, kinds, batch FROM v_parcel_efficiency WHERE year = 2024 ORDER BY code;
SELECT r.parcel_code::text, r.kinds::text[], r.batch::text FROM register r ORDER BY r.parcel_code;
-- Idempotent: once more, no new event.
SELECT count(*) AS events_before FROM register_event \gset
SELECT evaluate(2024, '330604') AS graded;
SELECT count(*) - :events_before AS new_events FROM register_event;

-- The rule data: the default and every preset carry it; the adopted copy keeps it.
SELECT id, scattered_polluting_batch::text, collective_industrial_batch::text FROM rule_set ORDER BY id;
