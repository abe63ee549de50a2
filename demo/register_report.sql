-- The register's flow in the sample county.
\set ON_ERROR_STOP on
\pset footer off
SET search_path = parcel_gov, public;

\echo
\echo '低效工业用地数据库 Register flow: entered 2023, assessed against 2024'
SELECT count(*) AS "entered 入库候选",
       count(*) FILTER (WHERE state = 'rejected') AS "rejected 认定不通过",
       count(*) FILTER (WHERE entered_at IS NOT NULL OR state = 'exited') AS "registered 建档入库",
       count(*) FILTER (WHERE state = 'in_treatment') AS "in treatment 整治提升",
       count(*) FILTER (WHERE state = 'exited') AS "exited 出库",
       round(sum(area_mu) FILTER (WHERE state = 'exited')::numeric, 1) AS "exited 亩",
       round(sum(area_mu) FILTER (WHERE state = 'in_treatment')::numeric, 1) AS "in treatment 亩"
FROM v_register;

\echo
\echo '四个一批 By batch'
SELECT batch_label AS "batch 批次", count(*) AS "parcels",
       count(*) FILTER (WHERE state = 'exited') AS "exited 出库",
       round(sum(area_mu)::numeric, 1) AS "亩"
FROM v_register WHERE state <> 'rejected' GROUP BY batch, batch_label ORDER BY batch;

\echo
\echo '低效类型 By the kinds it entered with (a parcel may have several)'
SELECT label(k) AS "kind 类型", count(*) AS "parcels", count(*) FILTER (WHERE r.state = 'exited') AS "exited 出库",
       round(sum(r.area_mu)::numeric, 1) AS "亩"
FROM v_register r
CROSS JOIN LATERAL (SELECT e.kinds FROM register_event e WHERE e.parcel_code = r.parcel_code
                    ORDER BY e.id LIMIT 1) AS first_event,
     unnest(first_event.kinds) AS k
WHERE r.state <> 'rejected' GROUP BY k ORDER BY k;

\echo
\echo '连片整治 Largest contiguous blocks still in the register (within 50 m)'
SELECT parcels AS "parcels 宗", round(area_mu::numeric, 1) AS "亩", parcel_codes[1] || CASE WHEN parcels > 1 THEN ' …' ELSE '' END AS "first parcel"
FROM v_low_efficiency_clusters ORDER BY area_mu DESC, fid LIMIT 5;
