-- A deterministic sample county: 上虞区 (330604), three industrial parks,
-- 300 parcels (CGCS2000), 240 firms, two years of firm data (2023, 2024),
-- leases, exempt and vetoed firms, and land not yet supplied.  Names are
-- invented; every code is well-formed (USCCs pass GB 32100, parcel codes
-- follow GB/T 37346).  Loaded into the extension's own tables.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
SELECT setseed(0.2024) \gset

CREATE SCHEMA IF NOT EXISTS demo;
-- A GB 32100 code for firm number n (registration office 330604).
CREATE OR REPLACE FUNCTION demo.uscc(n integer) RETURNS text LANGUAGE sql IMMUTABLE
RETURN (SELECT body || substr(a, (31 - sum((strpos(a, substr(body, k, 1)) - 1) * (power(3, k - 1)::bigint % 31)) % 31)::int % 31 + 1, 1)
        FROM (SELECT '91330604MA2C' || lpad(n::text, 5, '0') AS body, '0123456789ABCDEFGHJKLMNPQRTUWXY' AS a) AS c,
             generate_series(1, 17) AS k
        GROUP BY body, a);

-- 上虞区 (330604), under 绍兴市 and 浙江省, ships with parcel_gov.

-- Parks: name, south-west corner, columns × rows of parcel slots (0.002° × 0.0015°).
CREATE TEMP TABLE park_plan (n int, name text, x0 float8, y0 float8, cols int, rows_ int);
INSERT INTO park_plan VALUES
  (1, '杭州湾上虞经济技术开发区', 120.800, 30.100, 15, 10),
  (2, '上虞曹娥江工业园',         120.860, 30.020, 10, 9),
  (3, '章镇工业功能区',           120.930, 29.940, 10, 6);
INSERT INTO park (name, region_code, geom)
SELECT name, '330604', ST_Multi(ST_MakeEnvelope(x0, y0, x0 + cols * 0.002, y0 + rows_ * 0.0015, 4490))
FROM park_plan ORDER BY n;

-- Firms 1..240: name from a place and a trade; about a third 规上.
CREATE TEMP TABLE firm_plan AS
SELECT n, demo.uscc(n) AS uscc,
       (ARRAY['虞舜','曹娥','龙山','百官','东关','丰惠','章镇','盖北','崧厦','永和','沥海','驿亭',
              '小越','梁湖','汤浦','下管','岭南','陈溪','道墟','谢塘'])[1 + n % 20] AS place,
       t.trade, t.industry,
       CASE WHEN random() < 0.35 THEN 'above' ELSE 'below' END::size_class AS size_class,
       random() AS strength
FROM generate_series(1, 240) AS n
JOIN (VALUES (0, '精密机械', 'C3484'), (1, '化纤', 'C2822'), (2, '电子科技', 'C3971'), (3, '新材料', 'C2659'),
             (4, '五金制品', 'C3389'), (5, '纺织印染', 'C1713'), (6, '轴承', 'C3451'), (7, '包装', 'C2231'),
             (8, '医药化工', 'C2710'), (9, '伞业', 'C2439'), (10, '塑料制品', 'C2929'), (11, '新能源', 'C3825'),
             (12, '食品', 'C1499'), (13, '建材', 'C3021'), (14, '铸造', 'C3391'), (15, '泵阀', 'C3441'))
     AS t(k, trade, industry) ON t.k = (n / 20) % 16;
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, '上虞' || place || trade || CASE WHEN size_class = 'above' THEN '股份有限公司' ELSE '有限公司' END,
       '330604', industry
FROM firm_plan ORDER BY n;

-- Parcels: one per slot, a random part of it; slots 1..225 held by firms 1..225,
-- 226..285 second parcels of earlier firms, 286..300 not yet supplied (批而未供).
CREATE TEMP TABLE slot AS
SELECT row_number() OVER (ORDER BY p.n, j, i) AS s, p.n AS park, p.x0 + i * 0.002 AS x, p.y0 + j * 0.0015 AS y
FROM park_plan p, generate_series(0, 14) AS i, generate_series(0, 9) AS j
WHERE i < p.cols AND j < p.rows_;
INSERT INTO parcel (code, region_code, park_id, geom, holder_uscc, supply_date, land_status,
                    planned_industrial, actual_industrial, plan_conforming, building_condition, floor_area_ratio)
SELECT '330604' || lpad(park::text, 3, '0') || '001GB' || lpad(s::text, 5, '0'), '330604',
       -- the park's id as the server gave it (a county server numbers in its own block)
       (SELECT pk.id FROM park pk JOIN park_plan pp ON pp.name = pk.name WHERE pk.region_code = '330604' AND pp.n = slot.park),
       ST_Multi(ST_MakeEnvelope(x + 0.0001, y + 0.0001,
                                x + 0.0001 + 0.0018 * (0.35 + 0.65 * random()),
                                y + 0.0001 + 0.0013 * (0.35 + 0.65 * random()), 4490)),
       CASE WHEN s <= 225 THEN demo.uscc(s::int)
            WHEN s <= 285 THEN demo.uscc(1 + floor(random() * 225)::int) END,
       CASE WHEN s <= 285 THEN date '2003-01-01' + floor(random() * 7000)::int END,
       CASE WHEN s > 285 THEN 'approved_unsupplied' ELSE 'normal' END,
       true, random() > 0.03, random() > 0.08,
       (ARRAY['good','fair','poor','dilapidated'])[1 + floor(random() * random() * 4)::int],
       round((0.4 + random() * 1.8)::numeric, 2)
FROM slot ORDER BY s;

-- Firms 226..240 hold no land: twelve lease from a holder, three have none.
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT p.code, demo.uscc(225 + k), round((p.area_mu * (0.15 + 0.25 * random()))::numeric, 2), '[2022-01-01,2027-01-01)'
FROM generate_series(1, 12) AS k
JOIN LATERAL (SELECT code, area_mu FROM parcel WHERE holder_uscc IS NOT NULL AND region_code = '330604'
              ORDER BY area_mu DESC, code OFFSET k * 7 LIMIT 1) AS p ON true;

-- Two years of figures.  Per-mu tax depends on the firm's strength; the other
-- figures follow from it with some spread; 2024 moves from 2023 by −15..+25 %.
CREATE TEMP TABLE land AS
SELECT f.uscc, coalesce((SELECT sum(area_mu) FROM parcel WHERE holder_uscc = f.uscc), 0)
             + coalesce((SELECT sum(area_mu) FROM lease WHERE lessee_uscc = f.uscc), 0) AS mu
FROM firm_plan f;
INSERT INTO enterprise_year (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff,
                             energy_tce, emission_t, electricity_kwh, exempt_reason, veto_reason, bonus, deduction)
SELECT f.uscc, y.year, f.size_class,
       round(t.tax::numeric, 2), round(t.va::numeric, 2), round(t.revenue::numeric, 2),
       CASE WHEN f.size_class = 'above' THEN round((t.revenue * 0.05 * random())::numeric, 2) END,
       CASE WHEN f.size_class = 'above' THEN greatest(5, round(t.va / (8 + 22 * random()))) END,
       CASE WHEN f.size_class = 'above' THEN round((t.va / (0.5 + 4.5 * random()))::numeric, 2) END,
       CASE WHEN f.size_class = 'above' AND random() > 0.1 THEN round((t.va / (30 + 170 * random()))::numeric, 3) END,
       round(t.revenue * (150 + 150 * random())),
       CASE WHEN f.n IN (17, 58, 133, 201) THEN '投产不满两年 (producing for under two years)' END,
       CASE WHEN f.n IN (44, 160) AND y.year = 2024 THEN '环境违法 (environmental violation)' END,
       CASE WHEN f.n % 37 = 0 THEN 3 ELSE 0 END,
       CASE WHEN f.n % 53 = 0 THEN 2 ELSE 0 END
FROM firm_plan f JOIN land l USING (uscc)
CROSS JOIN (VALUES (2023, 1.0), (2024, 0.85 + 0.4 * random())) AS y(year, growth)
CROSS JOIN LATERAL (
    SELECT tax, tax * (2.5 + 2.5 * random()) AS va, tax * (2.5 + 2.5 * random()) * (3 + 3 * random()) AS revenue
    FROM (SELECT greatest(l.mu, 1) * y.growth
                 * CASE WHEN f.size_class = 'above' THEN 2 + 55 * f.strength ^ 1.5 ELSE 0.3 + 22 * f.strength ^ 1.5 END
                 AS tax) AS base
) AS t
ORDER BY f.n, y.year;
