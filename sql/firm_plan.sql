-- 一企一策: v_firm_plan's gaps and levers by hand on a small county, then
-- checked by the engine itself on the sample county: each lever applied to
-- its firm through simulate() (benchmarks held) reaches the next grade, and
-- one cent or one hundredth of a mu less does not.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET search_path = parcel_gov, public;
\set ECHO none
\i sql/helpers/reset_data.sql
\set ECHO all

-- 越城区 (330602), sql/helpers/five_firms.sql: five 规下 firms of 5 cells each
-- (a cell is A ≈ 2.005 mu: pg_temp.cells(first, n)), 100 000 kWh each,
-- taxes 100, 80, 60, 40, 20 万元; and S, an exempt firm that takes land leased out.
\set ECHO none
\i sql/helpers/five_firms.sql
\set ECHO all
SELECT evaluate(2024, '330602') AS graded;

-- By hand (default rules, 规下: 亩均税收 50 + 单位电耗税收 50 points, pool
-- benchmarks).  Σtax 300 on 25A mu and 500 000 kWh: benchmarks 12/A and
-- 0.0006, so a firm paying t scores 50·(t/5A)/(12/A) + 50·(t/10⁵)/0.0006 = 5t/3.
-- Scores 166.67, 133.33, 100, 66.67, 33.33.  Quotas of 5 firms: A ≤ 1,
-- B ≤ 4, C ≤ 5: F1 A; F2, F3, F4 B; F5 C.
--   F5 → B needs F4's 66.67: 20 万元 more tax (5·40/3).  Land: 50·(20/a)·A/12
--        + 16.67 ≥ 66.67 ⇔ a ≤ 5A/3: give back 10A/3 mu (keeps 3.34 ≥ 3).
--   F4 → A needs 166.67: 60 万元.  Land: a ≤ 1.25A ≈ 2.51 mu, under the
--        3-mu floor of 规下: no land can (NULL).
--   F3 → A: 40 万元; land a ≤ 15A/7: give back 20A/7.
--   F2 → A: 20 万元; land a ≤ 10A/3: give back 5A/3.
-- Value added is not scored in 规下: va_needed NULL.
-- Tiers of F5 (4/A ≈ 1.995 万元/亩 on 5A mu): to 5 万元/亩 25A − 20 万元 more
-- tax or 5A − 4 mu given back; to 10: 50A − 20 or 5A − 2; to 15: 75A − 20 or 5A − 4/3.
SELECT n.firm, p.grade, p.next_grade, round(p.score::numeric, 4) AS score,
       round(p.next_grade_score::numeric, 4) AS next_grade_score, round(p.score_gap::numeric, 4) AS score_gap,
       p.tax_needed, p.va_needed, p.va_scored,
       p.land_to_release_mu = ceil(h.land * c.a * 100) / 100 AS land_as_hand, p.land_to_release_mu
FROM v_firm_plan p JOIN firm_name n USING (uscc) CROSS JOIN cell c
LEFT JOIN (VALUES ('F5', 10 / 3.0), ('F3', 20 / 7.0), ('F2', 5 / 3.0)) AS h (firm, land) ON h.firm = n.firm
WHERE p.year = 2024 ORDER BY p.score;
SELECT n.firm, p.tax_needed_5 = ceil((25 * c.a - 20) * 1e6) / 1e6 AS tax_5,
       p.tax_needed_10 = ceil((50 * c.a - 20) * 1e6) / 1e6 AS tax_10,
       p.tax_needed_15 = ceil((75 * c.a - 20) * 1e6) / 1e6 AS tax_15,
       p.land_to_release_5 = ceil((5 * c.a - 4) * 100) / 100 AS land_5,
       p.land_to_release_10 = ceil((5 * c.a - 2) * 100) / 100 AS land_10,
       p.land_to_release_15 = ceil((5 * c.a - 4 / 3.0) * 100) / 100 AS land_15
FROM v_firm_plan p JOIN firm_name n USING (uscc) CROSS JOIN cell c WHERE n.firm = 'F5';
-- The top firm has no row; F1 is A.
SELECT count(*) AS rows_for_a FROM v_firm_plan p JOIN firm_name n USING (uscc) WHERE n.firm = 'F1';

-- A cap of 1.2 × weight on 亩均税收: F2's per-mu tax now scores at most 60
-- points however little land it keeps; with 单位电耗税收's 66.67 its best
-- is 126.67 < F1's 60 + 83.33 = 143.33: no land can lift it to A; tax
-- still can (单位电耗税收 has no cap): 50·(t/10⁵)/0.0006 ≥ 83.33 ⇔ t ≥ 100,
-- so 20 万元 more.
SELECT rule_set_adopt('default', 'capped', '330602', 2024, 2024);
UPDATE rule_indicator SET cap = 1.2 WHERE rule_set_id = 'capped' AND pool = 'below' AND indicator = 'tax_per_mu';
SELECT evaluate(2024, '330602') AS graded;
SELECT n.firm, p.grade, p.next_grade, round(p.score::numeric, 4) AS score,
       round(p.next_grade_score::numeric, 4) AS next_grade_score, p.tax_needed, p.land_to_release_mu
FROM v_firm_plan p JOIN firm_name n USING (uscc) WHERE p.year = 2024 AND n.firm = 'F2';

-- A preset with fixed benchmarks and 单位电耗税收 (huangyan_2022, 规下:
-- 11.5932 万元/亩 and 0.00002352 万元/kWh): 单位电耗税收 scores
-- 50·(t/10⁵)/0.00002352 = 21.2585·t and dominates; to reach F4 (t = 40) it needs 20 万元;
-- giving back land raises only 亩均税收's 50·(20/a)/11.5932, which would
-- have to make up 425.17 points: a ≤ 0.195 mu, far under the floor.
DELETE FROM rule_set WHERE id = 'capped';
SELECT rule_set_adopt('huangyan_2022', 'huangyan_here', '330602', 2024, 2024);
SELECT evaluate(2024, '330602') AS graded;
SELECT n.firm, p.grade, p.next_grade, round(p.score::numeric, 4) AS score,
       round(p.next_grade_score::numeric, 4) AS next_grade_score, p.tax_needed, p.land_to_release_mu
FROM v_firm_plan p JOIN firm_name n USING (uscc) WHERE p.year = 2024 ORDER BY p.score;
DELETE FROM rule_set WHERE id = 'huangyan_here';
SELECT evaluate(2024, '330602') AS graded;

-- A tie on the cut-off: F4 paying 60 like F3.  Σtax 320: a firm paying t
-- scores 500t/320 = 1.5625t: F1 156.25, F2 125, F3 and F4 93.75 (both rank
-- 3, both B), F5 31.25.  F5 needs 93.75, the tie: 40 万元 more (t = 60).
UPDATE enterprise_year SET tax = 60 WHERE uscc = '91330602MA2D00004D' AND year = 2024;
SELECT evaluate(2024, '330602') AS graded;
SELECT n.firm, e.grade_initial, round(e.score::numeric, 4) AS score, e.rank
FROM evaluation e JOIN firm_name n USING (uscc) WHERE e.year = 2024 AND e.grade IS NOT NULL ORDER BY e.score DESC, n.firm;
SELECT n.firm, p.next_grade, round(p.next_grade_score::numeric, 4) AS next_grade_score, p.tax_needed
FROM v_firm_plan p JOIN firm_name n USING (uscc) WHERE p.year = 2024 AND n.firm = 'F5';

-- The engine's check: apply a lever, evaluate through simulate() under a
-- rule set holding the year's benchmarks, read the firm's grade; roll back.
-- lever 'tax' and 'value_added' add to the firm's figure; 'land' leases
-- that much of its largest parcel to S (exempt, so no pool changes).
CREATE FUNCTION pg_temp.held_benchmarks(year int, region text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM parcel_gov.rule_set WHERE id = 'held';
    INSERT INTO parcel_gov.rule_set (id, name) VALUES ('held', 'benchmarks held');
    INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu, low_tax_per_mu)
    SELECT 'held', p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.low_tax_per_mu
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = 'default';
    INSERT INTO parcel_gov.rule_indicator (rule_set_id, pool, indicator, weight, method, benchmark_fixed, cap, missing)
    SELECT 'held', i.pool, i.indicator, i.weight, i.method, coalesce(b.benchmark, i.benchmark_fixed), i.cap, i.missing
    FROM parcel_gov.rule_indicator i
    LEFT JOIN parcel_gov.evaluation_benchmark b
      ON b.pool = i.pool AND b.indicator = i.indicator AND b.year = held_benchmarks.year AND b.region_code = region
    WHERE i.rule_set_id = 'default';
    RETURN 'held';
END $$;
-- What the engine gives the firm: its grade and score; its margin over the
-- line of the target grade among the other firms of its pool (size class)
-- as they are scored then, above (+) or below (−) it; and how far the
-- other firms' scores moved.  NULL when the land cannot be leased (more
-- than its parcels' free area).
CREATE FUNCTION pg_temp.try_lever(firm text, year int, lever text, amount float8, sink text, target text,
                                  rules text DEFAULT 'held', OUT grade text, OUT score float8, OUT margin float8,
                                  OUT others_moved float8) LANGUAGE plpgsql AS $$
DECLARE
    region text := (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = firm);
    lease_term daterange := daterange(make_date(try_lever.year, 1, 1), make_date(try_lever.year + 1, 1, 1));
BEGIN
    BEGIN
        IF lever = 'tax' THEN
            UPDATE parcel_gov.enterprise_year y SET tax = coalesce(y.tax, 0) + amount
            WHERE y.uscc = firm AND y.year = try_lever.year;
        ELSIF lever = 'value_added' THEN
            UPDATE parcel_gov.enterprise_year y SET value_added = coalesce(y.value_added, 0) + amount
            WHERE y.uscc = firm AND y.year = try_lever.year;
        ELSIF lever = 'land' AND amount > 0 THEN
            -- spread over the firm's parcels in proportion to what is not leased out yet
            CREATE TEMP TABLE free_land ON COMMIT DROP AS
            SELECT p.code, p.area_mu - coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l
                                                  WHERE l.parcel_code = p.code AND l.during && lease_term), 0) AS free
            FROM parcel_gov.parcel p WHERE p.holder_uscc = firm;
            IF (SELECT sum(f.free) FROM free_land f) < amount THEN
                RAISE EXCEPTION 'roll back' USING ERRCODE = 'PGTRY';
            END IF;
            INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
            SELECT f.code, sink, amount * f.free / (SELECT sum(g.free) FROM free_land g), lease_term
            FROM free_land f WHERE f.free > 0;
        END IF;
        CREATE TEMP TABLE simulated ON COMMIT DROP AS
        SELECT s.uscc, s.simulated_grade::text AS grade, s.simulated_score AS score, s.current_score, y.size_class
        FROM parcel_gov.simulate(try_lever.year, rules, region) s
        JOIN parcel_gov.enterprise_year y ON y.uscc = s.uscc AND y.year = try_lever.year;
        -- the line: the L-th best score of the others, L the target grade's quota of the pool
        SELECT s.grade, s.score,
               s.score - (SELECT o.score FROM simulated o
                          WHERE o.size_class = s.size_class AND o.grade IS NOT NULL AND o.uscc <> firm
                          ORDER BY o.score DESC
                          OFFSET (SELECT floor(count(*) * CASE target WHEN 'A' THEN q.a_share WHEN 'B' THEN q.b_share
                                                                      ELSE q.c_share END * (1 + 1e-12) + 0.5) - 1
                                  FROM simulated g, parcel_gov.rule_pool q
                                  WHERE g.size_class = s.size_class AND g.grade IS NOT NULL
                                    AND q.rule_set_id = 'default' AND q.pool = s.size_class
                                  GROUP BY q.a_share, q.b_share, q.c_share)
                          LIMIT 1),
               (SELECT max(abs(o.score - o.current_score)) FROM simulated o WHERE o.uscc <> firm)
        INTO grade, score, margin, others_moved
        FROM simulated s WHERE s.uscc = firm;
        RAISE EXCEPTION 'roll back' USING ERRCODE = 'PGTRY';
    EXCEPTION WHEN SQLSTATE 'PGTRY' THEN
        RETURN;
    END;
END $$;

-- Nothing applied, benchmarks held: every grade stays.  (F4 back at 40:
-- the hand values above hold again.)
UPDATE enterprise_year SET tax = 40 WHERE uscc = '91330602MA2D00004D' AND year = 2024;
SELECT evaluate(2024, '330602') AS graded;
SELECT pg_temp.held_benchmarks(2024, '330602');
SELECT count(*) AS firms, count(*) FILTER (WHERE current_grade IS NOT DISTINCT FROM simulated_grade) AS same_grade
FROM simulate(2024, 'held', '330602');
-- Each lever, and a step less: the grade the engine gives.
SELECT n.firm, p.grade, p.next_grade, l.lever, l.amount,
       (pg_temp.try_lever(p.uscc, 2024, l.lever, l.amount, '91330602MA2D00006K', p.next_grade)).grade AS with_lever,
       (pg_temp.try_lever(p.uscc, 2024, l.lever, l.amount - l.step, '91330602MA2D00006K', p.next_grade)).grade
         AS a_step_less
FROM v_firm_plan p JOIN firm_name n USING (uscc)
CROSS JOIN LATERAL (VALUES ('tax', p.tax_needed, 1e-6), ('land', p.land_to_release_mu, 0.01)) AS l (lever, amount, step)
WHERE p.year = 2024 AND l.amount IS NOT NULL ORDER BY n.firm, l.lever;

-- The sample county: a firm of each pool and grade below A, and the 规上
-- firms without emission data (they score the pool's mean emission score,
-- which value added does not move).
\set ECHO none
\i demo/sample_county.sql
\i demo/register_flow.sql
\set ECHO all
\set ON_ERROR_STOP off
SET search_path = parcel_gov, public;
INSERT INTO enterprise (uscc, name, region_code, industry_code) VALUES ('91330604MA2D00007K', '出租承接', '330604', 'C3311');
INSERT INTO enterprise_year (uscc, year, size_class, exempt_reason) VALUES ('91330604MA2D00007K', 2024, 'below', '公用工程');
SELECT evaluate(2024, '330604') AS graded;
SELECT pg_temp.held_benchmarks(2024, '330604');
SELECT count(*) AS firms, count(*) FILTER (WHERE current_grade IS NOT DISTINCT FROM simulated_grade) AS same_grade
FROM simulate(2024, 'held', '330604');
CREATE TEMP TABLE tried AS
SELECT p.*, fy.emission_t IS NULL AS no_emission
FROM v_firm_plan p JOIN enterprise_year fy ON fy.uscc = p.uscc AND fy.year = p.year
WHERE p.year = 2024 AND p.region_code = '330604'
  AND (p.uscc IN (SELECT DISTINCT ON (q.pool, q.grade) q.uscc FROM v_firm_plan q
                  WHERE q.year = 2024 AND q.region_code = '330604' ORDER BY q.pool, q.grade, q.uscc)
       OR (p.pool = 'above' AND fy.emission_t IS NULL));
SELECT pool, grade, no_emission, count(*) AS firms FROM tried GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
CREATE TEMP TABLE checked AS
SELECT t.uscc, t.pool, t.grade, t.next_grade, t.next_grade_score, t.no_emission, l.lever, l.amount,
       w.grade AS reached, w.score, w.margin, w.others_moved, f.score AS a_step_less_score, f.grade AS a_step_less_grade
FROM tried t
CROSS JOIN LATERAL (VALUES ('tax', t.tax_needed, 1e-6), ('value_added', t.va_needed, 1e-6),
                           ('land', t.land_to_release_mu, 0.01)) AS l (lever, amount, step)
CROSS JOIN LATERAL pg_temp.try_lever(t.uscc, 2024, l.lever, l.amount, '91330604MA2D00007K', t.next_grade) AS w
CROSS JOIN LATERAL pg_temp.try_lever(t.uscc, 2024, l.lever, l.amount - l.step, '91330604MA2D00007K', t.next_grade) AS f
WHERE l.amount > 0;
-- The firm's own score with the lever reaches the line v_firm_plan names,
-- a step less does not; with the others held, that is the next grade.
-- v_firm_plan holds the pool's mean scores given for missing figures, as
-- it holds the benchmarks; the engine does not: a firm with emission
-- figures raises, with its value added, its 单位排放增加值 score and so the
-- mean score that firms without emission figures get (others_moved).  Where
-- the line's holder is such a firm, the line rises by as much and the
-- firm falls short by exactly that (margin = −others_moved).
SELECT lever, count(*) AS tried, count(*) FILTER (WHERE score >= next_grade_score) AS reach_the_line,
       count(*) FILTER (WHERE a_step_less_score < next_grade_score) AS a_step_less_short,
       count(*) FILTER (WHERE reached = next_grade AND a_step_less_grade > next_grade) AS engine_grades_agree,
       count(*) FILTER (WHERE others_moved > 0) AS others_moved
FROM checked GROUP BY lever ORDER BY lever;
SELECT pool, grade, next_grade, lever, no_emission, reached, round(margin::numeric, 6) AS margin,
       round(others_moved::numeric, 6) AS others_moved
FROM checked WHERE others_moved > 0 OR reached <> next_grade ORDER BY uscc, lever;

-- With the benchmarks recomputed (the default rules), a lever moves the
-- pool's benchmarks too (they are ratios of the pool's sums, the firm's
-- figures among them): how far above (+) or below (−) the next grade's
-- line each firm lands.
CREATE TEMP TABLE recomputed AS
SELECT t.uscc, t.pool, t.grade, t.next_grade, l.lever, r.grade AS reached, r.margin
FROM tried t
CROSS JOIN LATERAL (VALUES ('tax', t.tax_needed), ('value_added', t.va_needed), ('land', t.land_to_release_mu))
     AS l (lever, amount)
CROSS JOIN LATERAL pg_temp.try_lever(t.uscc, 2024, l.lever, l.amount, '91330604MA2D00007K', t.next_grade, 'default') AS r
WHERE l.amount > 0;
SELECT lever, count(*) AS tried, count(*) FILTER (WHERE reached <= next_grade) AS reach,
       round(min(margin)::numeric, 3) AS least_margin, round(max(margin)::numeric, 3) AS most_margin
FROM recomputed GROUP BY lever ORDER BY lever;

-- On the map: each parcel's tooltip ends with its holder's plan, the next
-- grade and the tax that alone reaches it (tools/check-maps.sh reads the
-- same from a decoded tile).
CREATE TEMP TABLE map_doc AS SELECT xmlparse(DOCUMENT map_svg('330604', 2024)) AS doc;
SELECT count(*) AS parcels_with_a_plan,
       count(*) FILTER (WHERE t.title LIKE format('%%一企一策: 升至 %s 类需再缴税 %s 万元', fp.next_grade,
                                                   plan_amount(fp.tax_needed))) AS tooltip_says_it
FROM parcel p
JOIN v_firm_plan fp ON fp.uscc = p.holder_uscc AND fp.year = 2024
CROSS JOIN map_doc m
CROSS JOIN LATERAL (SELECT (xpath(format('//s:path[@class="parcel"][@data-code="%s"]/s:title/text()', p.code), m.doc,
                                  ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text AS title) AS t
WHERE p.region_code = '330604';

-- firm_plan(): one firm's page: F5 of 越城区 (the hand values above).
SELECT section, item, sentence, sentence_en FROM firm_plan('91330602MA2D00005G', 2024);
SELECT section, item, sentence FROM firm_plan('91330602MA2D000014');
-- Errors: no firm, another county's or unknown firm (alike), a NULL code.
SELECT * FROM firm_plan('91330602MA2D00007N', 2024);
SELECT * FROM firm_plan('91330602MA2D00005G', 1999);
SELECT * FROM firm_plan(NULL);
-- The levers' arguments: an unknown lever, an area of 0.
SELECT score_lever('labour', 1, NULL, 1, 0, array_fill(NULL::float8, '{8,6}'), NULL, 0, 0, 0);
SELECT per_mu_lever('tax', 1, 0, 5);
SELECT per_mu_lever('land', 0, 10, 5) AS no_tax_no_land, per_mu_lever('tax', 60, 10, 5) AS there_already;

\i sql/helpers/reset_data.sql
