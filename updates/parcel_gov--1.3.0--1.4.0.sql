-- parcel_gov 1.3.0 → 1.4.0: upkeep.  A delta written by hand: functions
-- are replaced in place (CREATE OR REPLACE keeps their grants, comments and
-- the views and user objects that depend on them), new ones created, rows
-- changed; nothing is dropped.  The install script of 1.4.0 itself is built
-- from install/*.sql; test/upgrade.sql checks that this update gives the same
-- catalog, privileges included.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.4.0'" to load this file. \quit

-- The default rule set's name says what it is.  Built-in rule sets are
-- read-only to everyone, so the guard steps aside for this one row.
ALTER TABLE parcel_gov.rule_set DISABLE TRIGGER rule_set_builtin_read_only;
UPDATE parcel_gov.rule_set SET name = '默认规则 (黄岩 weights, pool benchmarks, 温岭 quotas)'
WHERE id = 'default' AND builtin;
ALTER TABLE parcel_gov.rule_set ENABLE TRIGGER rule_set_builtin_read_only;

-- rule_set_adopt copies every rule parameter, non_industrial_since and
-- breach_years_below_target included.
CREATE OR REPLACE FUNCTION parcel_gov.rule_set_adopt(template text, new_id text, region_prefix text,
                                          year_from integer DEFAULT NULL, year_to integer DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set WHERE id = template) THEN
        RAISE EXCEPTION 'no rule set %', template USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    INSERT INTO parcel_gov.rule_set (id, name, region_prefix, year_from, year_to, builtin, source,
                                     new_land_exempt_years, persistent_low_min_mu, persistent_low_tax_per_mu,
                                     still_below_min_mu, doubling_min_revenue, doubling_min_tax,
                                     non_industrial_since, breach_years_below_target)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    RETURN new_id;
END $$;

-- map_svg in named steps (its keys and legend), each parcel projected once.
-- The keys of the map's colours: fill by grade, outline by register state.
CREATE FUNCTION parcel_gov.map_grade_key()
    RETURNS TABLE (n integer, grade text, label text, colour text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT k.n, k.grade, k.label, k.colour
    FROM (VALUES (0, 'A', 'A 优先发展', '#1a9850'), (1, 'B', 'B 鼓励提升', '#a6d96a'), (2, 'C', 'C 监管调控', '#fdae61'),
                 (3, 'D', 'D 落后整治', '#d73027'), (4, NULL, '未评价 not graded', '#d9d9d9')) AS k (n, grade, label, colour);
END;
COMMENT ON FUNCTION parcel_gov.map_grade_key() IS
  'map_svg''s fill colour per grade (未评价 for none), in legend order';

CREATE FUNCTION parcel_gov.map_state_key()
    RETURNS TABLE (n integer, state parcel_gov.register_state, colour text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT k.n, k.state::parcel_gov.register_state, k.colour
    FROM (VALUES (0, 'candidate', '#984ea3'), (1, 'confirmed', '#377eb8'), (2, 'registered', '#e41a1c'),
                 (3, 'in_treatment', '#ff7f00'), (4, 'assessing', '#a65628'), (5, 'exited', '#4daf4a')) AS k (n, state, colour);
END;
COMMENT ON FUNCTION parcel_gov.map_state_key() IS
  'map_svg''s outline colour per register state, in legend order';

-- The legend below the map at height y: the grade and state keys, the
-- hatch of the blocks, a scale bar of bar_m metres at px_per_m pixels a
-- metre, and the projection.
CREATE FUNCTION parcel_gov.map_legend(y double precision, bar_m double precision, px_per_m double precision,
                                      srid integer)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('legend' AS id, 13 AS "font-size"),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes(20 + k.n * 190 AS x, map_legend.y AS y, 18 AS width, 18 AS height,
                                                        k.colour AS fill, '#888888' AS stroke)),
                    xmlelement(name text, xmlattributes(44 + k.n * 190 AS x, map_legend.y + 14 AS y), k.label))
                ORDER BY k.n) FROM parcel_gov.map_grade_key() k),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes(20 + k.n * 165 AS x, map_legend.y + 30 AS y, 18 AS width, 18 AS height,
                                                        '#f0f0f0' AS fill, k.colour AS stroke, 2.5 AS "stroke-width")),
                    xmlelement(name text, xmlattributes(44 + k.n * 165 AS x, map_legend.y + 44 AS y),
                               parcel_gov.label(k.state) || ' ' || k.state::text))
                ORDER BY k.n) FROM parcel_gov.map_state_key() k),
        xmlelement(name rect, xmlattributes(20 AS x, map_legend.y + 60 AS y, 18 AS width, 18 AS height,
                                            'url(#hatch)' AS fill, '#5a0000' AS stroke)),
        xmlelement(name text, xmlattributes(44 AS x, map_legend.y + 74 AS y),
                   '连片整治 contiguous low-efficiency block (≥ 2 parcels in the register)'),
        xmlelement(name line, xmlattributes(600 AS x1, map_legend.y + 72 AS y1, 600 + bar_m * px_per_m AS x2,
                                            map_legend.y + 72 AS y2, '#000000' AS stroke, 3 AS "stroke-width")),
        xmlelement(name text, xmlattributes(600 AS x, map_legend.y + 64 AS y), '0'),
        xmlelement(name text, xmlattributes(600 + bar_m * px_per_m AS x, map_legend.y + 64 AS y, 'middle' AS "text-anchor"),
                   CASE WHEN bar_m >= 1000 THEN (bar_m / 1000)::text || ' km' ELSE bar_m::text || ' m' END),
        xmlelement(name text, xmlattributes(20 AS x, map_legend.y + 100 AS y, 11 AS "font-size", '#777777' AS fill),
                   CASE WHEN srid = 3857 THEN 'Web Mercator (EPSG:3857)'
                        ELSE format('CGCS2000 / 3-degree Gauss-Kruger CM %sE (EPSG:%s)', (srid - 4534 + 25) * 3, srid) END
                   || ' · 北 north up · parcel_gov'));
END;
COMMENT ON FUNCTION parcel_gov.map_legend(double precision, double precision, double precision, integer) IS
  'map_svg''s legend at height y: grade fills, register outlines, the block hatch, a scale bar of bar_m metres and the projection';

CREATE OR REPLACE FUNCTION parcel_gov.map_svg(region text, year integer DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH request AS (
        SELECT q.prefix, parcel_gov.map_year(q.prefix, map_svg.year) AS year,
               coalesce((SELECT r.name FROM parcel_gov.region r WHERE r.code = map_svg.region),
                        map_svg.region, '全部 all regions') AS title
        FROM (SELECT parcel_gov.region_prefix(map_svg.region) AS prefix) AS q
    ), parcels AS (
        SELECT v.* FROM parcel_gov.v_parcel_efficiency v, request q
        WHERE v.year = q.year AND starts_with(v.region_code, q.prefix)
    ), zone AS (
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(p.geom) AS box FROM parcels p) AS e) AS z
    ), projected AS MATERIALIZED (
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state,
               ST_Transform(p.geom, zone.srid) AS geom
        FROM parcels p, zone
    ), frame AS (
        -- metres of the zone; s = pixels per metre: the map fits 960 × 800 pixels;
        -- the legend starts below the map; the scale bar is 1, 2 or 5 × 10^k metres, at most a fifth of the map
        SELECT f.x0, f.y1, f.s, 70 + f.h * f.s + 24 AS legend_y,
               coalesce((SELECT max(m * 10 ^ k) FROM unnest('{1,2,5}'::float8[]) AS m, generate_series(0, 7) AS k
                         WHERE m * 10 ^ k <= f.w / 5), 1) AS bar_m
        FROM (SELECT b.x0, b.y1, b.w, b.h, least(960 / b.w, 800 / b.h) AS s
              FROM (SELECT coalesce(ST_XMin(e.box), 0) AS x0, coalesce(ST_YMax(e.box), 0) AS y1,
                           greatest(ST_XMax(e.box) - ST_XMin(e.box), 1) AS w, greatest(ST_YMax(e.box) - ST_YMin(e.box), 1) AS h
                    FROM (SELECT ST_Extent(p.geom) AS box FROM projected p) AS e) AS b) AS f
    ), drawn AS (
        -- to pixels: x right from the map's west edge, y down from its north edge (ST_AsSVG negates y)
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state,
               ST_AsSVG(ST_Affine(p.geom, f.s, 0, 0, f.s, 20 - f.x0 * f.s, -(70 + f.y1 * f.s)), 0, 1) AS d
        FROM projected p, frame f
    ), blocks AS (
        SELECT c.parcels, c.area_mu,
               ST_AsSVG(ST_Affine(ST_Transform(c.geom, zone.srid), f.s, 0, 0, f.s, 20 - f.x0 * f.s, -(70 + f.y1 * f.s)), 0, 1) AS d
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone, frame f
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1000 AS width, ceil(f.legend_y + 110) AS height,
                      format('0 0 1000 %s', ceil(f.legend_y + 110)) AS "viewBox",
                      'Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif' AS "font-family"),
        xmlelement(name defs,
            xmlelement(name pattern, xmlattributes('hatch' AS id, 8 AS width, 8 AS height, 'userSpaceOnUse' AS "patternUnits",
                                                   'rotate(45)' AS "patternTransform"),
                xmlelement(name line, xmlattributes(0 AS x1, 0 AS y1, 0 AS x2, 8 AS y2, '#5a0000' AS stroke, 2 AS "stroke-width")))),
        xmlelement(name rect, xmlattributes('100%' AS width, '100%' AS height, '#ffffff' AS fill)),
        xmlelement(name text, xmlattributes(20 AS x, 34 AS y, 22 AS "font-size", 'bold' AS "font-weight"),
                   format('%s %s 年亩均效益评价 per-mu efficiency by grade', q.title, coalesce(q.year::text, '—'))),
        xmlelement(name text, xmlattributes(20 AS x, 56 AS y, 13 AS "font-size", '#555555' AS fill),
                   format('%s 宗地 parcels · 低效在库 outlined by register state · 连片整治 hatched',
                          (SELECT count(*) FROM drawn))),
        xmlelement(name g, xmlattributes('parcels' AS id, 'evenodd' AS "fill-rule", 'round' AS "stroke-linejoin"),
            (SELECT xmlagg(xmlelement(name path, xmlattributes(
                        'parcel' AS class, d.code AS "data-code", coalesce(d.grade::text, 'none') AS "data-grade",
                        d.register_state AS "data-state", d.d AS d,
                        (SELECT k.colour FROM parcel_gov.map_grade_key() k WHERE k.grade IS NOT DISTINCT FROM d.grade::text) AS fill,
                        coalesce((SELECT k.colour FROM parcel_gov.map_state_key() k WHERE k.state = d.register_state), '#ffffff') AS stroke,
                        CASE WHEN d.register_state IN ('exited', 'rejected') OR d.register_state IS NULL THEN 0.6 ELSE 2.2 END
                          AS "stroke-width"),
                    xmlelement(name title, concat_ws(' · ', d.code, d.holder_name, coalesce(d.grade_label, '未评价'),
                                                     format('亩均税收 %s 万元/亩', round(d.tax_per_mu::numeric, 2)),
                                                     parcel_gov.label(d.register_state))))
                    ORDER BY d.code) FROM drawn d)),
        xmlelement(name g, xmlattributes('blocks' AS id, 'evenodd' AS "fill-rule"),
            (SELECT xmlagg(xmlelement(name path, xmlattributes('block' AS class, b.d AS d, 'url(#hatch)' AS fill,
                                                              '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.d) FROM blocks b)),
        parcel_gov.map_legend(f.legend_y, f.bar_m, f.s, zone.srid))::text
    FROM request q, zone, frame f;
END;
