-- The sample county's register over two years (docs/rules.md, The register): the 2023
-- evaluation finds the low-efficiency parcels, the county works them through
-- 调查核实 → 审核认定 → 建档入库 → 整治提升 → 评估, and the 2024 evaluation
-- decides which leave the register (出库).  (Every step is limited to the
-- county's parcels, 330604…, so the script also runs beside other data.)
\set ON_ERROR_STOP on
SET search_path = parcel_gov, public;
\o /dev/null

-- Year one: the 2023 evaluation enters parcels as candidates.
SELECT evaluate(2023, '330604');
-- 审核认定: confirmed, except a few whose survey found the data wrong.
SELECT transition(parcel_code, 'rejected', '复核: 数据有误, 不属于低效用地', '{"survey": "2024-03"}')
FROM register WHERE state = 'candidate' AND parcel_code LIKE '330604%' AND right(parcel_code, 1) = '7';
SELECT transition(parcel_code, 'confirmed', '审核认定', '{"doc": "上虞经信〔2024〕3号"}')
FROM register WHERE state = 'candidate' AND parcel_code LIKE '330604%';
-- 建档入库 with the batch the rules suggest, then 整治提升 for a year.
UPDATE register SET state = 'registered', reason = '建档入库', plan = '一地一策', deadline = '2024-12-31'
WHERE state = 'confirmed' AND parcel_code LIKE '330604%';
UPDATE register SET state = 'in_treatment', reason = '整治提升开始'
WHERE state = 'registered' AND parcel_code LIKE '330604%';
UPDATE register SET state = 'assessing', reason = '整治完成, 申请评估'
WHERE state = 'in_treatment' AND parcel_code LIKE '330604%';

-- Year two: the 2024 evaluation tells the assessed parcels whether they now
-- clear the thresholds; those that do leave, the others go back to treatment.
SELECT evaluate(2024, '330604');
UPDATE register SET state = 'exited', exit_reason = 're_evaluated', reason = '2024 年度评价达标, 出库'
WHERE state = 'assessing' AND clears_thresholds AND parcel_code LIKE '330604%';
UPDATE register SET state = 'in_treatment', reason = '2024 年度评价未达标, 继续整治'
WHERE state = 'assessing' AND parcel_code LIKE '330604%';
-- From 1.10.0 (the demo also loads into older versions, which skip this):
SELECT to_regtype('parcel_gov.disposal_route') IS NOT NULL AS has_1_10 \gset
\if :has_1_10
-- 处置路径 for the parcels back in treatment (the operator's choice beside
-- the batch): 桐庐 buys and stores land whose improvement failed (收购收储)
-- and turns land leaving industry to services (补三); 金东 takes back (收回)
-- what is to be shut down and has the rest rebuilt (改造).
UPDATE register SET route = CASE batch WHEN 'demolish_rebuild' THEN 'purchase_storage'
                                       WHEN 'shutdown_exit' THEN 'take_back'
                                       WHEN 'function_transform' THEN 'add_tertiary'
                                       ELSE 'redevelop' END::disposal_route,
                    reason = '确定处置路径'
WHERE state = 'in_treatment' AND parcel_code LIKE '330604%';
-- 问题清单: the environment bureau lists a problem on two of the parcels to
-- be rebuilt; until it is struck off (销号) they cannot leave as accepted.
INSERT INTO issue (parcel_code, department, description, found, deadline)
SELECT parcel_code, 'environment', '废水排放超标', '2024-09-01', '2025-06-30'
FROM register WHERE state = 'in_treatment' AND batch = 'demolish_rebuild' AND parcel_code LIKE '330604%'
ORDER BY parcel_code LIMIT 2;
\endif
\o
