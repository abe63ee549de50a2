-- The printed map (专题图): map_svg draws a region's parcels on a landscape
-- page of 1189 × 841 (the A-series ratio, A0 in millimetres): a title block,
-- the map area on the left, a key column on the right that no panel
-- touches.  The map area holds one panel of the whole region, or, when the
-- region's parks lie far apart, an overview beside one inset per park
-- (map_inset_count).  Each helper below draws one thing; all are built with
-- PostgreSQL's XML functions, which escape every name.

-- A label's width in em, to size the boxes around it (SQL has no font
-- metrics): CJK and other wide characters one em, the rest about 0.6 em.
CREATE FUNCTION parcel_gov.map_text_em(label text)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(sum(CASE WHEN ascii(c) >= 4352 THEN 1.0 ELSE 0.6 END), 0)
        FROM regexp_split_to_table(label, '') AS c);
COMMENT ON FUNCTION parcel_gov.map_text_em(text) IS
  'internal: a map label''s width in em (CJK and wide characters 1, others 0.6), to size the boxes around labels';

-- A scale bar's length: 1, 2 or 5 × 10^k metres, the longest that is at most
-- a fifth of span_m (the width of the panel's map, in metres).
CREATE FUNCTION parcel_gov.map_scale_metres(span_m double precision)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN coalesce((SELECT max(m * 10 ^ k) FROM unnest('{1,2,5}'::float8[]) AS m, generate_series(0, 7) AS k
                 WHERE m * 10 ^ k <= span_m / 5), 1);
COMMENT ON FUNCTION parcel_gov.map_scale_metres(double precision) IS
  'internal: a scale bar''s metres: 1, 2 or 5 × 10^k, the longest at most a fifth of span_m';

-- A scale bar from (x, y), 18 pixels high: "0", the bar in two halves, its
-- length.  data-x … data-height give its box (the tests check that it
-- stays in its panel's bottom strip, off the parcels).
CREATE FUNCTION parcel_gov.map_scale_bar(x double precision, y double precision, px_per_m double precision,
                                         span_m double precision)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('scale-bar' AS class, b.m AS "data-metres", x AS "data-x", y AS "data-y",
                                            round((17 + b.len + parcel_gov.map_text_em(b.label) * 12)::numeric, 1) AS "data-width",
                                            18 AS "data-height", 12 AS "font-size"),
        xmlelement(name text, xmlattributes(x AS x, y + 14 AS y), '0'),
        xmlelement(name rect, xmlattributes(x + 12 AS x, y + 7 AS y, b.len / 2 AS width, 5 AS height, '#000000' AS fill)),
        xmlelement(name rect, xmlattributes(x + 12 + b.len / 2 AS x, y + 7 AS y, b.len / 2 AS width, 5 AS height,
                                            '#ffffff' AS fill, '#000000' AS stroke, 0.8 AS "stroke-width")),
        xmlelement(name text, xmlattributes(x + 17 + b.len AS x, y + 14 AS y), b.label))
    FROM (SELECT s.m, round((s.m * px_per_m)::numeric, 1) AS len,
                 CASE WHEN s.m >= 1000 THEN (s.m / 1000)::text || ' km' ELSE s.m::text || ' m' END AS label
          FROM (SELECT parcel_gov.map_scale_metres(span_m) AS m) AS s) AS b;
END;
COMMENT ON FUNCTION parcel_gov.map_scale_bar(double precision, double precision, double precision, double precision) IS
  'internal: map_svg''s scale bar at (x, y) for a panel span_m metres wide drawn at px_per_m pixels a metre';

-- A north arrow (北 N) in a 40 × 64 box from (x, y): the maps are drawn
-- north up (Gauss-Krüger grid north; within a 3-degree zone it is off true
-- north by at most 1.5°).
CREATE FUNCTION parcel_gov.map_north_arrow(x double precision, y double precision)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('north-arrow' AS class, x AS "data-x", y AS "data-y", 40 AS "data-width",
                                            64 AS "data-height"),
        xmlelement(name text, xmlattributes(x + 20 AS x, y + 14 AS y, 'middle' AS "text-anchor", 14 AS "font-size",
                                            'bold' AS "font-weight"), '北 N'),
        xmlelement(name polygon, xmlattributes(format('%s,%s %s,%s %s,%s', x + 20, y + 20, x + 20, y + 52, x + 8, y + 62) AS points,
                                               '#000000' AS fill, '#000000' AS stroke)),
        xmlelement(name polygon, xmlattributes(format('%s,%s %s,%s %s,%s', x + 20, y + 20, x + 32, y + 62, x + 20, y + 52) AS points,
                                               '#ffffff' AS fill, '#000000' AS stroke)));
END;
COMMENT ON FUNCTION parcel_gov.map_north_arrow(double precision, double precision) IS
  'internal: map_svg''s north arrow (北 N) in a 40 × 64 box at (x, y)';

-- A park's label on the overview: its name in a white box centred on cx,
-- 20 pixels high from y, 13-pixel type.
CREATE FUNCTION parcel_gov.map_badge(cx double precision, y double precision, label text)
    RETURNS xml
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('badge' AS class, round((cx - b.w / 2)::numeric, 1) AS "data-x", y AS "data-y",
                                            round(b.w::numeric, 1) AS "data-width", 20 AS "data-height"),
        xmlelement(name rect, xmlattributes(round((cx - b.w / 2)::numeric, 1) AS x, y AS y, round(b.w::numeric, 1) AS width,
                                            20 AS height, 3 AS rx, '#ffffff' AS fill, 0.92 AS "fill-opacity",
                                            '#333333' AS stroke, 0.8 AS "stroke-width")),
        xmlelement(name text, xmlattributes(cx AS x, y + 15 AS y, 'middle' AS "text-anchor", 13 AS "font-size"), label))
    FROM (SELECT parcel_gov.map_text_em(label) * 13 + 12 AS w) AS b;
END;
COMMENT ON FUNCTION parcel_gov.map_badge(double precision, double precision, text) IS
  'internal: map_svg''s label of a park: its name in a white box centred on cx, 20 pixels high from y';

-- One parcel's shape (d, in page pixels): filled by grade, outlined by its
-- register state, a <title> for the tooltip ending with the holder's plan
-- (一企一策: the next grade and the tax that alone reaches it).  cls is "parcel" for the one
-- shape each parcel has in the overview and "parcel-inset" for its copy in
-- an inset; weight thins the outlines where parcels are drawn small.
CREATE FUNCTION parcel_gov.map_parcel(cls text, code text, grade text, grade_label text, state text,
                                      holder text, tax_per_mu double precision, d text, weight double precision,
                                      plan text)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name path, xmlattributes(
               cls AS class, code AS "data-code", coalesce(grade, 'none') AS "data-grade", state AS "data-state", d AS d,
               (SELECT k.colour FROM parcel_gov.map_grade_key() k WHERE k.grade IS NOT DISTINCT FROM map_parcel.grade) AS fill,
               coalesce((SELECT k.colour FROM parcel_gov.map_state_key() k WHERE k.state::text = map_parcel.state), '#ffffff') AS stroke,
               round((weight * CASE WHEN state IN ('exited', 'rejected') OR state IS NULL THEN 0.6 ELSE 2.2 END)::numeric, 2)
                 AS "stroke-width"),
        xmlelement(name title, concat_ws(' · ', code, holder, coalesce(grade_label, '未评价'),
                                         format('亩均税收 %s 万元/亩', round(tax_per_mu::numeric, 2)),
                                         parcel_gov.label(state::parcel_gov.register_state), plan)));
END;
COMMENT ON FUNCTION parcel_gov.map_parcel(text, text, text, text, text, text, double precision, text, double precision, text) IS
  'internal: map_svg''s shape of one parcel (class cls, SVG path d): fill by grade, outline by register state, a tooltip ending with the holder''s plan';

-- The panels' rectangles on the page: panel 0 (the whole region) fills the
-- map area (20, 80)–(925, 821) alone, or takes its left 385 pixels with up
-- to four insets beside it, in one column or two, whichever draws a park
-- box of the given aspect (width / height) larger; an odd last inset of two
-- columns spans both.
CREATE FUNCTION parcel_gov.map_layout(insets integer, aspect double precision)
    RETURNS TABLE (n integer, x double precision, y double precision, w double precision, h double precision)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH k AS (
        SELECT least(insets, 4) AS k
    ), grid AS (
        -- a panel's content is 16 pixels narrower and 72 lower than its cell
        SELECT CASE WHEN k.k >= 2 AND least(234 / aspect, (741 - (r2 - 1) * 10.0) / r2 - 72)
                                    > least(494 / aspect, (741 - (k.k - 1) * 10.0) / k.k - 72) THEN 2 ELSE 1 END AS cols, k.k
        FROM k, LATERAL (SELECT (k.k + 1) / 2 AS r2) AS r
    ), cell AS (
        SELECT g.cols, g.k, (g.k + g.cols - 1) / g.cols AS rows_ FROM grid g
    )
    SELECT 0, 20::float8, 80::float8, CASE WHEN insets = 0 THEN 905 ELSE 385 END::float8, 741::float8
    UNION ALL
    SELECT i, (415 + ((i - 1) % c.cols) * 260)::float8,
           (80 + ((i - 1) / c.cols) * ((741 - (c.rows_ - 1) * 10.0) / c.rows_ + 10))::float8,
           CASE WHEN c.cols = 1 OR (i = c.k AND c.k % 2 = 1) THEN 510 ELSE 250 END::float8,
           ((741 - (c.rows_ - 1) * 10.0) / c.rows_)::float8
    FROM cell c, generate_series(1, c.k) AS i;
END;
COMMENT ON FUNCTION parcel_gov.map_layout(integer, double precision) IS
  'internal: map_svg''s panel rectangles for 0 to 4 insets of parks of the given aspect: panel 0 the whole region, 1 … 4 the insets';

-- One panel: a frame, its title in a grey strip on top, what it shows
-- (body, clipped to the panel) and a scale bar in a 30-pixel strip at the
-- bottom that the body leaves free.  data-x … data-height give the frame,
-- data-content-y and data-content-height the band the body is fitted to.
CREATE FUNCTION parcel_gov.map_panel(n integer, title text, x double precision, y double precision,
                                     w double precision, h double precision, px_per_m double precision, body xml)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('panel' AS class, 'panel-' || n AS id, x AS "data-x", y AS "data-y",
                                            w AS "data-width", h AS "data-height", y + 26 AS "data-content-y",
                                            h - 56 AS "data-content-height"),
        xmlelement(name "clipPath", xmlattributes('clip-' || n AS id),
            xmlelement(name rect, xmlattributes(x AS x, y + 26 AS y, w AS width, h - 56 AS height))),
        xmlelement(name rect, xmlattributes(x AS x, y AS y, w AS width, h AS height, '#ffffff' AS fill,
                                            '#444444' AS stroke, 1 AS "stroke-width")),
        xmlelement(name rect, xmlattributes(x AS x, y AS y, w AS width, 26 AS height, '#eeeeee' AS fill,
                                            '#444444' AS stroke, 1 AS "stroke-width")),
        xmlelement(name text, xmlattributes(x + 8 AS x, y + 18 AS y, 14 AS "font-size", 'bold' AS "font-weight"), title),
        xmlelement(name g, xmlattributes('url(#clip-' || n || ')' AS "clip-path"), body),
        xmlelement(name line, xmlattributes(x AS x1, y + h - 30 AS y1, x + w AS x2, y + h - 30 AS y2,
                                            '#cccccc' AS stroke, 0.8 AS "stroke-width")),
        parcel_gov.map_scale_bar(x + 10, y + h - 25, px_per_m, (w - 16) / px_per_m));
END;
COMMENT ON FUNCTION parcel_gov.map_panel(integer, text, double precision, double precision, double precision,
                                         double precision, double precision, xml) IS
  'internal: one panel of map_svg: frame, title strip, body (clipped) and a scale bar in the bottom strip';

-- The key column from (x, y), 224 pixels wide: grade fills, register
-- outlines, the block hatch, the park box, the region boundary when one is
-- drawn, the north arrow and the projection.
CREATE FUNCTION parcel_gov.map_key(x double precision, y double precision, srid integer, boundary boolean)
    RETURNS xml
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT xmlelement(name g, xmlattributes('key' AS id, x AS "data-x", y AS "data-y", 224 AS "data-width",
                                            560 AS "data-height", 13 AS "font-size"),
        xmlelement(name text, xmlattributes(x AS x, y + 16 AS y, 16 AS "font-size", 'bold' AS "font-weight"), '图例 Key'),
        xmlelement(name text, xmlattributes(x AS x, y + 42 AS y, 12 AS "font-size", '#555555' AS fill),
                   '亩均效益等级 grade (fill)'),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 50 + k.n * 22 AS y, 22 AS width,
                                                        16 AS height, k.colour AS fill, '#888888' AS stroke)),
                    xmlelement(name text, xmlattributes(x + 30 AS x, y + 63 + k.n * 22 AS y), k.label))
                ORDER BY k.n) FROM parcel_gov.map_grade_key() k),
        xmlelement(name text, xmlattributes(x AS x, y + 172 AS y, 12 AS "font-size", '#555555' AS fill),
                   '低效在库 register state (outline)'),
        (SELECT xmlagg(xmlconcat(
                    xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 180 + k.n * 22 AS y, 22 AS width,
                                                        16 AS height, '#f0f0f0' AS fill, k.colour AS stroke, 2.5 AS "stroke-width")),
                    xmlelement(name text, xmlattributes(x + 30 AS x, y + 193 + k.n * 22 AS y),
                               parcel_gov.label(k.state) || ' ' || k.state::text))
                ORDER BY k.n) FROM parcel_gov.map_state_key() k),
        xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 320 AS y, 22 AS width, 16 AS height,
                                            'url(#hatch)' AS fill, '#5a0000' AS stroke)),
        xmlelement(name text, xmlattributes(x + 30 AS x, y + 333 AS y), '连片整治 block (≥ 2 parcels)'),
        xmlelement(name rect, xmlattributes('swatch' AS class, x AS x, y + 344 AS y, 22 AS width, 16 AS height,
                                            'none' AS fill, '#333333' AS stroke, '4 2' AS "stroke-dasharray")),
        xmlelement(name text, xmlattributes(x + 30 AS x, y + 357 AS y), '园区 park (① inset)'),
        CASE WHEN boundary THEN xmlconcat(
            xmlelement(name line, xmlattributes(x AS x1, y + 376 AS y1, x + 22 AS x2, y + 376 AS y2,
                                                '#8c8c8c' AS stroke, 1.2 AS "stroke-width")),
            xmlelement(name text, xmlattributes(x + 30 AS x, y + 381 AS y), '行政区划界线 boundary')) END,
        parcel_gov.map_north_arrow(x, y + 400),
        xmlelement(name text, xmlattributes(x + 50 AS x, y + 430 AS y, 12 AS "font-size", '#555555' AS fill), 'north up'),
        (SELECT xmlagg(xmlelement(name text, xmlattributes(x AS x, y + 490 + l.n * 16 AS y, 12 AS "font-size",
                                                           '#666666' AS fill), l.line) ORDER BY l.n)
         FROM unnest(CASE WHEN srid = 3857 THEN ARRAY['Web Mercator (EPSG:3857)', 'scale bars true at the centre']
                          ELSE ARRAY['CGCS2000 3° Gauss-Krüger',
                                     format('CM %s°E (EPSG:%s)', (srid - 4534 + 25) * 3, srid)] END
                     || ARRAY['scale bar in each panel', 'parcel_gov']) WITH ORDINALITY AS l (line, n)));
END;
COMMENT ON FUNCTION parcel_gov.map_key(double precision, double precision, integer, boolean) IS
  'internal: map_svg''s key column at (x, y): grade fills, register outlines, block hatch, park box, boundary, north arrow, projection';

-- How many insets a map gets: one per park (the largest four by parcel
-- count) when the region has parks and their boxes together cover less
-- than a quarter of the overview's box (parks far apart: the overview alone
-- would be mostly empty); else none, one panel fills the map area.
CREATE FUNCTION parcel_gov.map_inset_count(parks integer, parks_area double precision, overview_area double precision)
    RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN parks > 0 AND parks_area < overview_area / 4 THEN least(parks, 4) ELSE 0 END;
COMMENT ON FUNCTION parcel_gov.map_inset_count(integer, double precision, double precision) IS
  'internal: map_svg''s insets: one per park (at most 4) when the parks'' boxes cover less than a quarter of the overview';

-- The printed map of a region in a year (latest evaluated by default).
-- Drawn in the CGCS2000 3-degree Gauss-Krüger zone of the region's centre
-- (EPSG:4534 for 75°E … 4554 for 135°E; Web Mercator outside them), so
-- shapes and scale bars are true.  Steps: the request, the region's
-- parcels and boundary, the zone, both projected once, the parks, the
-- panels and the fit of each, then the page.
CREATE FUNCTION parcel_gov.map_svg(region text, year integer DEFAULT NULL)
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
        -- with the holder's plan: the year and region reach firm_plan_inputs as parameters
        SELECT v.*, k.park_id,
               CASE WHEN i.next_grade IS NOT NULL
                    THEN format('一企一策: 升至 %s 类需再缴税 %s', i.next_grade,
                                coalesce(parcel_gov.plan_amount(parcel_gov.score_lever('tax', i.next_grade_score, i.figures,
                                             i.area_mu, i.land_floor_mu, i.scoring, i.scores, i.bonus, i.deduction,
                                             i.rental_deduction)) || ' 万元', '—')) END AS plan
        FROM parcel_gov.v_parcel_efficiency v
        JOIN parcel_gov.parcel k ON k.code::text = v.code
        CROSS JOIN request q
        LEFT JOIN parcel_gov.firm_plan_inputs() i
               ON i.uscc = v.holder_uscc AND i.year = (SELECT r.year FROM request r)
              AND starts_with(i.region_code, (SELECT r.prefix FROM request r))
        WHERE v.year = q.year AND starts_with(v.region_code, q.prefix)
    ), boundary AS (
        SELECT b.geom FROM parcel_gov.region_boundary b, request q WHERE starts_with(b.region_code, q.prefix)
    ), zone AS (
        SELECT CASE WHEN z.cm BETWEEN 25 AND 45 THEN 4534 + z.cm - 25 ELSE 3857 END AS srid
        FROM (SELECT round((ST_XMin(e.box) + ST_XMax(e.box)) / 6)::integer AS cm
              FROM (SELECT ST_Extent(g.geom) AS box
                    FROM (SELECT p.geom FROM parcels p UNION ALL SELECT b.geom FROM boundary b) AS g) AS e) AS z
    ), projected AS MATERIALIZED (
        SELECT p.code, p.holder_name, p.grade, p.grade_label, p.tax_per_mu, p.register_state, p.park_id, p.plan,
               ST_Transform(p.geom, zone.srid) AS geom
        FROM parcels p, zone
    ), outline AS MATERIALIZED (
        SELECT ST_Transform(b.geom, zone.srid) AS geom FROM boundary b, zone
    ), blocks AS MATERIALIZED (
        SELECT c.parcels, c.area_mu, ST_Transform(c.geom, zone.srid) AS geom
        FROM parcel_gov.v_low_efficiency_clusters c, request q, zone
        WHERE c.parcels >= 2 AND starts_with(c.region_code, q.prefix)
          AND EXISTS (SELECT FROM parcels p WHERE p.code = ANY (c.parcel_codes))
    ), parks AS (
        -- numbered by parcel count, largest first: the insets are the first four
        SELECT row_number() OVER (ORDER BY count(*) DESC, k.name)::integer AS n, k.id, k.name, count(*) AS parcels,
               ST_Extent(p.geom)::geometry AS box
        FROM projected p JOIN parcel_gov.park k ON k.id = p.park_id
        GROUP BY k.id, k.name
    ), overview AS (
        SELECT ST_Extent(g.geom)::geometry AS box
        FROM (SELECT p.geom FROM projected p UNION ALL SELECT o.geom FROM outline o) AS g
    ), plan AS (
        SELECT parcel_gov.map_inset_count((SELECT count(*) FROM parks)::integer, (SELECT sum(ST_Area(k.box)) FROM parks k),
                                          ST_Area(o.box)) AS insets,
               (SELECT count(*) FROM parks) AS parks,
               -- the insets' typical shape (geometric mean of width / height) picks their grid
               coalesce((SELECT exp(avg(ln(greatest(ST_XMax(k.box) - ST_XMin(k.box), 1) / greatest(ST_YMax(k.box) - ST_YMin(k.box), 1))))
                         FROM parks k WHERE k.n <= 4), 1) AS aspect
        FROM overview o
    ), panel AS (
        -- each panel's rectangle and the box it fits: the whole region in
        -- panel 0 (24 pixels kept free on top for the parks' labels), a
        -- park's parcels in an inset
        SELECT l.n, l.x, l.y, l.w, l.h, k.id AS park_id, coalesce(k.box, o.box) AS box,
               CASE WHEN l.n > 0 AND parcel_gov.map_text_em(format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)) * 14
                                      <= l.w - 16 THEN format('%s %s · %s 宗 parcels', chr(9311 + l.n), k.name, k.parcels)
                    WHEN l.n > 0 THEN format('%s %s · %s 宗', chr(9311 + l.n), k.name, k.parcels)
                    WHEN plan.insets > 0 THEN format('%s 全域 overview', q.title)
                    WHEN plan.parks = 1 THEN format('%s · %s', q.title, (SELECT k1.name FROM parks k1))
                    ELSE q.title END AS title,
               l.x + 8 AS cx, l.y + 34 + CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS cy, l.w - 16 AS cw,
               l.h - 72 - CASE WHEN l.n = 0 THEN 24 ELSE 0 END AS ch
        FROM plan CROSS JOIN overview o CROSS JOIN request q
        CROSS JOIN parcel_gov.map_layout(plan.insets, plan.aspect) AS l
        LEFT JOIN parks k ON k.n = l.n AND l.n > 0
    ), fit AS (
        -- s pixels a metre, the box centred in the content band; a page
        -- pixel is (X·s + ox, oy − Y·s) (ST_AsSVG negates y)
        SELECT f.*, f.cx + (f.cw - f.bw * f.s) / 2 - f.x0 * f.s AS ox, f.cy + (f.ch - f.bh * f.s) / 2 + f.y1 * f.s AS oy,
               least(1, greatest(0.25, 10 * f.s)) AS weight
        FROM (SELECT p.*, ST_XMin(p.box) AS x0, ST_YMax(p.box) AS y1,
                     greatest(ST_XMax(p.box) - ST_XMin(p.box), 1) AS bw, greatest(ST_YMax(p.box) - ST_YMin(p.box), 1) AS bh,
                     CASE WHEN p.box IS NOT NULL THEN least(p.cw / greatest(ST_XMax(p.box) - ST_XMin(p.box), 1),
                                                            p.ch / greatest(ST_YMax(p.box) - ST_YMin(p.box), 1)) END AS s
              FROM panel p) AS f
    ), body AS (
        SELECT f.n, xmlconcat(
            (SELECT xmlagg(xmlelement(name path, xmlattributes('boundary' AS class,
                        ST_AsSVG(ST_Affine(o.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, '#f7f7f4' AS fill,
                        '#8c8c8c' AS stroke, 1.2 AS "stroke-width")))
             FROM outline o WHERE f.n = 0),
            (SELECT xmlagg(parcel_gov.map_parcel(CASE WHEN f.n = 0 THEN 'parcel' ELSE 'parcel-inset' END, p.code, p.grade,
                        p.grade_label, p.register_state, p.holder_name, p.tax_per_mu,
                        ST_AsSVG(ST_Affine(p.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1), f.weight, p.plan) ORDER BY p.code)
             FROM projected p WHERE f.n = 0 OR p.park_id = f.park_id),
            (SELECT xmlagg(xmlelement(name path, xmlattributes(CASE WHEN f.n = 0 THEN 'block' ELSE 'block-inset' END AS class,
                        ST_AsSVG(ST_Affine(b.geom, f.s, 0, 0, f.s, f.ox, -f.oy), 0, 1) AS d, 'url(#hatch)' AS fill,
                        '#5a0000' AS stroke, 1 AS "stroke-width", '4 3' AS "stroke-dasharray"),
                        xmlelement(name title, format('连片整治 %s 宗 %s 亩', b.parcels, round(b.area_mu::numeric, 1))))
                    ORDER BY b.parcels DESC, b.area_mu DESC)
             FROM blocks b WHERE f.n = 0 OR b.geom && ST_SetSRID(f.box, ST_SRID(b.geom))),
            -- the overview: each park's box, then its label above it (kept inside the panel)
            (SELECT xmlagg(xmlconcat(
                        xmlelement(name rect, xmlattributes('park-box' AS class, round(r.px0::numeric, 1) AS x,
                                   round(r.py0::numeric, 1) AS y, round((r.px1 - r.px0)::numeric, 1) AS width,
                                   round((r.py1 - r.py0)::numeric, 1) AS height, 'none' AS fill, '#333333' AS stroke,
                                   1 AS "stroke-width", '4 2' AS "stroke-dasharray")),
                        parcel_gov.map_badge(
                            least(greatest((r.px0 + r.px1) / 2, f.x + 8 + r.bw / 2), f.x + f.w - 8 - r.bw / 2),
                            greatest(r.py0 - 24, f.cy - 24), r.label)) ORDER BY r.n)
             FROM (SELECT k.n, ST_XMin(k.box) * f.s + f.ox - 3 AS px0, ST_XMax(k.box) * f.s + f.ox + 3 AS px1,
                          f.oy - ST_YMax(k.box) * f.s - 3 AS py0, f.oy - ST_YMin(k.box) * f.s + 3 AS py1,
                          l.label, parcel_gov.map_text_em(l.label) * 13 + 12 AS bw
                   FROM parks k, plan,
                        LATERAL (SELECT CASE WHEN k.n <= plan.insets THEN chr(9311 + k.n) || ' ' ELSE '' END || k.name AS label) AS l
                   WHERE f.n = 0) AS r)) AS svg
        FROM fit f
    )
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || chr(10) || xmlelement(name svg,
        xmlattributes('http://www.w3.org/2000/svg' AS xmlns, 1189 AS width, 841 AS height, '0 0 1189 841' AS "viewBox",
                      'Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif' AS "font-family"),
        xmlelement(name defs,
            xmlelement(name pattern, xmlattributes('hatch' AS id, 8 AS width, 8 AS height, 'userSpaceOnUse' AS "patternUnits",
                                                   'rotate(45)' AS "patternTransform"),
                xmlelement(name line, xmlattributes(0 AS x1, 0 AS y1, 0 AS x2, 8 AS y2, '#5a0000' AS stroke, 2 AS "stroke-width")))),
        xmlelement(name rect, xmlattributes('100%' AS width, '100%' AS height, '#ffffff' AS fill)),
        xmlelement(name g, xmlattributes('title-block' AS id),
            xmlelement(name text, xmlattributes(20 AS x, 36 AS y, 24 AS "font-size", 'bold' AS "font-weight"),
                       format('%s %s 年亩均效益评价 per-mu efficiency by grade', q.title, coalesce(q.year::text, '—'))),
            xmlelement(name text, xmlattributes(20 AS x, 60 AS y, 13 AS "font-size", '#555555' AS fill),
                       format('%s 宗地 parcels · %s 园区 parks%s · 低效在库 outlined by register state · 连片整治 hatched',
                              (SELECT count(*) FROM projected), plan.parks,
                              CASE WHEN plan.insets > 0 THEN ' · 园区相距较远，分幅放大 insets ①–' || chr(9311 + plan.insets::integer) ELSE '' END)),
            xmlelement(name line, xmlattributes(20 AS x1, 70 AS y1, 1169 AS x2, 70 AS y2, '#444444' AS stroke, 1 AS "stroke-width"))),
        xmlelement(name g, xmlattributes('panels' AS id, 'evenodd' AS "fill-rule", 'round' AS "stroke-linejoin"),
            (SELECT xmlagg(parcel_gov.map_panel(f.n, f.title, f.x, f.y, f.w, f.h, f.s, b.svg) ORDER BY f.n)
             FROM fit f JOIN body b ON b.n = f.n)),
        parcel_gov.map_key(945, 80, zone.srid, EXISTS (SELECT FROM outline)))::text
    FROM request q, zone, plan;
END;
COMMENT ON FUNCTION parcel_gov.map_svg(text, integer) IS
  '专题图 printed SVG map (1189 × 841) of a region''s parcels in a year (latest evaluated by default): filled by grade, register parcels outlined by state, 连片整治 blocks hatched, the region boundary when loaded, one inset per park when parks lie far apart, a key column, north arrow and scale bars';
