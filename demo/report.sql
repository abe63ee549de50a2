-- The sample county's report: what parcel_gov computes so far.
\set ON_ERROR_STOP on
\pset footer off
SET search_path = parcel_gov, public;

\echo
\echo '上虞区 (330604) sample county — parcels, area in mu, per-mu tax (亩均税收) and tier'
\echo 'Tiers (Shaoxing): 1 重点排查 < 5 万元/亩, 2 重点检查 < 10, 3 重点指导 < 15, 0 达标 ≥ 15'
\echo
SELECT p.code                                   AS "宗地代码 parcel",
       f.name                                   AS "土地使用权人 holder",
       round(area_mu(p.geom)::numeric, 2)       AS "面积(亩) mu",
       f.tax                                    AS "税收(万元) tax",
       round(per_mu(f.tax, area_mu(p.geom))::numeric, 2) AS "亩均税收 per mu",
       tax_tier(per_mu(f.tax, area_mu(p.geom))) AS "tier",
       tier_label(tax_tier(per_mu(f.tax, area_mu(p.geom)))) AS "档次"
FROM demo.parcel p JOIN demo.firm f ON f.uscc = p.holder
ORDER BY per_mu(f.tax, area_mu(p.geom)), p.code;

\echo
\echo 'By tier'
WITH measured AS (
  SELECT f.tax, area_mu(p.geom) AS mu FROM demo.parcel p JOIN demo.firm f ON f.uscc = p.holder
)
SELECT tax_tier(per_mu(tax, mu))                         AS "tier",
       tier_label(tax_tier(per_mu(tax, mu)))             AS "档次",
       count(*)                                          AS "parcels",
       round(sum(mu)::numeric, 2)                        AS "面积(亩) mu",
       round((sum(tax) / sum(mu))::numeric, 2)           AS "亩均税收 (Σtax/Σmu)"
FROM measured
GROUP BY 1, 2
ORDER BY CASE tax_tier(per_mu(tax, mu)) WHEN 0 THEN 9 ELSE tax_tier(per_mu(tax, mu)) END;

\echo
\echo 'County total'
SELECT count(*) AS "parcels",
       round(sum(area_mu(p.geom))::numeric, 2) AS "面积(亩) mu",
       sum(f.tax) AS "税收(万元) tax",
       round(per_mu(sum(f.tax), sum(area_mu(p.geom)))::numeric, 2) AS "亩均税收 per mu",
       count(*) FILTER (WHERE uscc_valid(f.uscc)) AS "valid USCCs"
FROM demo.parcel p JOIN demo.firm f ON f.uscc = p.holder;
