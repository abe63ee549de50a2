-- evaluate() reads nothing when no county's inputs changed since its last
-- run of the year (install/89_mark_changes.sql); a few changed counties (a
-- third of the region's at most) are run one by one, then those their
-- writes changed; more are run at once over the region (its digests leave
-- the unchanged counties' rows alone); evaluate(y, r, true) forces the run.  Three counties of 绍兴: 越城 (330602), 柯桥 (330603),
-- 上虞 (330604), two 规下 firms each on parcels of 5 equal cells (a mu each;
-- the table cell holds a), taxes 100 and 50 万元 (越城's second 2 万元: its
-- parcel is low-efficiency, in the register), 100 000 kWh, 2022 to 2024.
\set SHOW_CONTEXT never
SET search_path = parcel_gov, public;
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.cells(first int, n int) RETURNS geometry LANGUAGE sql IMMUTABLE
RETURN (SELECT ST_Collect(ST_MakeEnvelope(120.8 + 0.001 * k, 30.0, 120.8005 + 0.001 * k, 30.00025, 4490))
        FROM generate_series(first, first + n - 1) AS k);

CREATE TEMP TABLE firm_name (uscc uscc PRIMARY KEY, firm text, county text, nth int, tax float8);
INSERT INTO firm_name VALUES
  ('91330604MA2B00350Y', 'Y1', '330602', 1, 100), ('91330604MA2B00422P', 'Y2', '330602', 2, 2),
  ('91330604MA2B002118', 'K1', '330603', 3, 100), ('91330604MA2B002898', 'K2', '330603', 4, 50),
  ('91330604MA2B00078Q', 'S1', '330604', 5, 100), ('91330604MA2B0014XC', 'S2', '330604', 6, 50);
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, '企业' || firm, county, 'C3311' FROM firm_name;
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date)
SELECT county || '001001GB0000' || nth, county, uscc, pg_temp.cells(5 * nth, 5), '2010-06-01' FROM firm_name;
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT uscc, y, 'below', tax, 100000 FROM firm_name CROSS JOIN generate_series(2022, 2024) AS y;
CREATE TEMP TABLE cell AS SELECT area_mu / 5 AS a FROM parcel WHERE code = '330602001001GB00001';

-- What the run log says of the latest run.
CREATE FUNCTION pg_temp.last_run() RETURNS TABLE (year int, region_prefix text, graded int, changed int,
                                                  counties_evaluated int, counties_skipped int, forced boolean)
LANGUAGE sql RETURN (SELECT ROW(r.year, r.region_prefix, r.graded, r.changed, r.counties_evaluated,
                                r.counties_skipped, r.forced)
                     FROM evaluation_run r ORDER BY r.id DESC LIMIT 1);
-- Which counties a run of the year would evaluate now.
CREATE FUNCTION pg_temp.dirty(y int) RETURNS text LANGUAGE sql
RETURN (SELECT coalesce(string_agg(c.county, ',' ORDER BY c.county) FILTER (WHERE c.dirty), '-')
        FROM evaluation_counties(y, '') AS c);

-- First runs: every county evaluated (3 counties, 6 firms graded, 6 rows written).
SELECT evaluate(2022) AS g2022, evaluate(2023) AS g2023, evaluate(2024) AS g2024;
SELECT * FROM pg_temp.last_run();
SELECT pg_temp.dirty(2022) AS d2022, pg_temp.dirty(2023) AS d2023, pg_temp.dirty(2024) AS d2024;

-- Nothing changed: the rerun evaluates no county, and every row and summary
-- is as it was, to the bit (ids and evaluated_at too).
CREATE TEMP TABLE rows_before AS SELECT * FROM evaluation;
CREATE TEMP TABLE summaries_before AS SELECT * FROM evaluation_summary;
SELECT evaluate(2024) AS graded_again;
SELECT * FROM pg_temp.last_run();
SELECT (SELECT count(*) FROM (SELECT * FROM evaluation EXCEPT SELECT * FROM rows_before) d) AS rows_new,
       (SELECT count(*) FROM (SELECT * FROM rows_before EXCEPT SELECT * FROM evaluation) d) AS rows_gone,
       (SELECT count(*) FROM (SELECT * FROM evaluation_summary EXCEPT SELECT * FROM summaries_before) d) AS summaries_new;

-- Y1's 2024 tax 100 → 150 万元: only 越城 is dirty, and run alone (1
-- county evaluated, 2 skipped).  Y1's
-- 亩均税收 was 100 / 5a, 20 a cell; now 150 / 5a, 30 a cell.  The other
-- counties' digests do not move.
UPDATE enterprise_year SET tax = 150 WHERE uscc = '91330604MA2B00350Y' AND year = 2024;
SELECT pg_temp.dirty(2022) AS d2022, pg_temp.dirty(2023) AS d2023, pg_temp.dirty(2024) AS d2024;
SELECT evaluate(2024) AS graded;
SELECT * FROM pg_temp.last_run();
SELECT n.firm, round((b.tax_per_mu * c.a)::numeric, 6) AS before_per_cell, round((e.tax_per_mu * c.a)::numeric, 6) AS after_per_cell
FROM evaluation e JOIN rows_before b USING (uscc, year) JOIN firm_name n USING (uscc) CROSS JOIN cell c
WHERE e.year = 2024 ORDER BY n.nth;
SELECT s.region_code, s.rows_digest = b.rows_digest AS digest_kept
FROM evaluation_summary s JOIN summaries_before b USING (year, region_code) WHERE s.year = 2024 ORDER BY 1;
SELECT pg_temp.dirty(2024) AS d2024;

-- A 2023 figure changes 2023 and the years after it (multi-year rules look
-- back two years), not 2022.
UPDATE enterprise_year SET staff = 10 WHERE uscc = '91330604MA2B002898' AND year = 2023;
SELECT pg_temp.dirty(2022) AS d2022, pg_temp.dirty(2023) AS d2023, pg_temp.dirty(2024) AS d2024;
-- 2023 first, then 2024; 2022 has nothing to do.
SELECT evaluate(2023) AS g2023;
SELECT * FROM pg_temp.last_run();
SELECT evaluate(2024) AS g2024;
SELECT * FROM pg_temp.last_run();
SELECT evaluate(2022) AS g2022;
SELECT * FROM pg_temp.last_run();

-- A rule change touches every county, of every year: 柯桥 adopts the
-- default rules as its own (the same rules, so no row changes).
SELECT rule_set_adopt('default', 'keqiao', '330603') AS adopted;
SELECT pg_temp.dirty(2022) AS d2022, pg_temp.dirty(2024) AS d2024;
SELECT evaluate(2024) AS g2024;
SELECT * FROM pg_temp.last_run();

-- An open issue past its deadline (问题清单) may send a parcel to 关停退出: a
-- run of yesterday did not see an issue due yesterday as overdue, today's
-- does.  Its insert marks 柯桥; after a run, moving the run's date back a
-- day leaves the deadline alone to make the county dirty.
SELECT evaluate(2022) IS NOT NULL AS ran, evaluate(2023) IS NOT NULL AS ran;
INSERT INTO issue (parcel_code, department, description, found, deadline)
VALUES ('330603001001GB00003', 'safety', '消防通道堵塞', current_date - 30, current_date - 1);
SELECT pg_temp.dirty(2024) AS d2024;
SELECT evaluate(2024) AS g2024;
SELECT pg_temp.dirty(2024) AS d2024;
UPDATE evaluation_state SET run_date = current_date - 1 WHERE year = 2024 AND county = '330603';
SELECT pg_temp.dirty(2024) AS d2024;
-- and a run of today: the deadline is behind it
UPDATE evaluation_state SET run_date = current_date WHERE year = 2024 AND county = '330603';
SELECT pg_temp.dirty(2024) AS d2024;

-- The engine's own register writes leave no mark.  Y2's parcel (2 / 5a, 0.4
-- a cell, about 0.2 万元/亩) is in the register; its row loses its kinds by
-- hand (a mark of 越城); the run puts them back (an UPDATE by the engine,
-- one more history event) and marks nothing.
SELECT state, kinds, evaluated_year FROM register WHERE parcel_code = '330602001001GB00002';
UPDATE register SET kinds = '{}' WHERE parcel_code = '330602001001GB00002';
SELECT pg_temp.dirty(2024) AS d2024;
CREATE TEMP TABLE events_before AS SELECT count(*) AS n FROM register_event WHERE parcel_code = '330602001001GB00002';
BEGIN;
SELECT evaluate(2024) AS g2024;
SELECT count(*) AS marks_of_the_run FROM evaluation_mark WHERE xid = pg_current_xact_id();
COMMIT;
SELECT state, kinds, evaluated_year FROM register WHERE parcel_code = '330602001001GB00002';
SELECT count(*) - (SELECT n FROM events_before) AS new_events FROM register_event WHERE parcel_code = '330602001001GB00002';
SELECT pg_temp.dirty(2024) AS d2024;

-- In a transaction that evaluated a county, a later change of it is not
-- hidden by the run: its mark comes after the run.
BEGIN;
SELECT evaluate(2024) AS nothing_to_do;
UPDATE enterprise_year SET tax = 150 WHERE uscc = '91330604MA2B00078Q' AND year = 2024;
SELECT pg_temp.dirty(2024) AS d2024;
ROLLBACK;
SELECT pg_temp.dirty(2024) AS d2024;

-- Skipped counties are really unchanged: the incremental results against a
-- forced run of every county, row by row (evaluated_at included: the forced
-- run rewrites no row) and summary by summary.
UPDATE enterprise_year SET tax = 70 WHERE uscc = '91330604MA2B0014XC' AND year = 2024;
SELECT evaluate(2024) AS incremental;
SELECT * FROM pg_temp.last_run();
CREATE TEMP TABLE incremental_rows AS SELECT * FROM evaluation;
CREATE TEMP TABLE incremental_summaries AS SELECT * FROM evaluation_summary;
SELECT evaluate(2024, NULL, true) AS forced;
SELECT * FROM pg_temp.last_run();
SELECT (SELECT count(*) FROM (SELECT * FROM evaluation EXCEPT SELECT * FROM incremental_rows) d) AS rows_new,
       (SELECT count(*) FROM (SELECT * FROM incremental_rows EXCEPT SELECT * FROM evaluation) d) AS rows_gone,
       (SELECT count(*) FROM (SELECT * FROM evaluation_summary EXCEPT SELECT * FROM incremental_summaries) d) AS summaries_new,
       (SELECT count(*) FROM (SELECT * FROM incremental_summaries EXCEPT SELECT * FROM evaluation_summary) d) AS summaries_gone;
-- S2: 70 / 5a, 14 a cell
SELECT round((e.tax_per_mu * c.a)::numeric, 6) AS s2_per_cell FROM evaluation e CROSS JOIN cell c
WHERE e.uscc = '91330604MA2B0014XC' AND e.year = 2024;

-- evaluation_discard() forgets the counties' states: the next run evaluates them.
SELECT evaluation_discard(2024, '330604') AS discarded;
SELECT pg_temp.dirty(2024) AS d2024;
SELECT evaluate(2024) AS g2024;
SELECT * FROM pg_temp.last_run();

-- A county's run may change another county: Y1 (越城) leases a cell of K1's
-- parcel in 柯桥, so 柯桥's register reads Y1's 亩均税收.  The lease marks
-- both (2 of 3 counties: one run over the region).
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT '330603001001GB00003', '91330604MA2B00350Y', a, daterange('2024-01-01', '2025-01-01') FROM cell;
SELECT pg_temp.dirty(2024) AS d2024;
SELECT evaluate(2024) AS g2024;
SELECT * FROM pg_temp.last_run();
-- Y1's own parcel shrinks to 3 cells: only 越城 is dirty.  Its run rewrites
-- Y1's row (150 / 4a, 37.5 a cell), which marks 柯桥, where Y1 leases: the
-- same call runs 柯桥 after it, and leaves no county dirty.
UPDATE parcel SET geom = pg_temp.cells(5, 3) WHERE code = '330602001001GB00001';
SELECT pg_temp.dirty(2024) AS d2024;
BEGIN;
SELECT evaluate(2024) AS g2024;
SELECT county FROM evaluation_state WHERE year = 2024 AND xid = pg_current_xact_id() ORDER BY seq;
COMMIT;
SELECT * FROM pg_temp.last_run();
SELECT pg_temp.dirty(2024) AS d2024;
SELECT round((e.tax_per_mu * c.a)::numeric, 6) AS y1_per_cell FROM evaluation e CROSS JOIN cell c
WHERE e.uscc = '91330604MA2B00350Y' AND e.year = 2024;
-- and a forced run of every county changes nothing the two runs wrote
CREATE TEMP TABLE chained_rows AS SELECT * FROM evaluation;
CREATE TEMP TABLE chained_register AS SELECT parcel_code, state, kinds, evaluated_year, clears_thresholds FROM register;
SELECT evaluate(2024, NULL, true) AS forced;
SELECT * FROM pg_temp.last_run();
SELECT (SELECT count(*) FROM (SELECT * FROM evaluation EXCEPT SELECT * FROM chained_rows) d) AS rows_new,
       (SELECT count(*) FROM (SELECT * FROM chained_rows EXCEPT SELECT * FROM evaluation) d) AS rows_gone,
       (SELECT count(*) FROM (SELECT parcel_code, state, kinds, evaluated_year, clears_thresholds FROM register
                              EXCEPT SELECT * FROM chained_register) d) AS register_new;

-- A 宗地代码 starts with the code of the county that issued it.  A county's
-- run reads its register rows and leases by that range of codes, and by a
-- probe each the parcels whose codes start otherwise (a parcel whose county
-- changed).  Y3 (越城) holds a parcel coded by 柯桥 (330603…), K3 (柯桥) one
-- coded by 越城 (330602…), 2 万元 each on 5 cells: both low-efficiency, in
-- the register.  Y3 leases a cell each to Y2 (越城) and K2 (柯桥), K3 one to
-- K1 (柯桥).
INSERT INTO firm_name VALUES ('91330604MA2B005280', 'Y3', '330602', 8, 2), ('91330604MA2B005570', 'K3', '330603', 9, 2);
INSERT INTO enterprise (uscc, name, region_code, industry_code)
SELECT uscc, '企业' || firm, county, 'C3311' FROM firm_name WHERE nth >= 8;
INSERT INTO parcel (code, region_code, holder_uscc, geom, supply_date) VALUES
  ('330603001001GB00008', '330602', '91330604MA2B005280', pg_temp.cells(40, 5), '2010-06-01'),
  ('330602001001GB00009', '330603', '91330604MA2B005570', pg_temp.cells(45, 5), '2010-06-01');
INSERT INTO enterprise_year (uscc, year, size_class, tax, electricity_kwh)
SELECT uscc, y, 'below', tax, 100000 FROM firm_name CROSS JOIN generate_series(2022, 2024) AS y WHERE nth >= 8;
INSERT INTO lease (parcel_code, lessee_uscc, area_mu, during)
SELECT l.parcel_code, l.lessee_uscc, c.a, daterange('2024-01-01', '2025-01-01')
FROM (VALUES ('330603001001GB00008', '91330604MA2B00422P'), ('330603001001GB00008', '91330604MA2B002898'),
             ('330602001001GB00009', '91330604MA2B002118')) AS l (parcel_code, lessee_uscc) CROSS JOIN cell c;
SELECT evaluate(2024) AS g2024;
SELECT r.parcel_code, p.region_code, r.state, r.kinds FROM register r JOIN parcel p ON p.code = r.parcel_code
WHERE r.parcel_code IN ('330603001001GB00008', '330602001001GB00009') ORDER BY 1;
-- Y3's tax 2 → 3 万元, and its parcel's register row loses its kinds by
-- hand: 越城 alone is dirty, and run alone.  Its run reads that row (the
-- kinds come back) and K2's lease of the parcel (Y3: 3 on 5 − 2 cells, 1 a
-- cell; Y2: 2 on 5 + 1 cells, 0.333333 a cell).
UPDATE enterprise_year SET tax = 3 WHERE uscc = '91330604MA2B005280' AND year = 2024;
UPDATE register SET kinds = '{}' WHERE parcel_code = '330603001001GB00008';
SELECT pg_temp.dirty(2024) AS d2024;
SELECT evaluate(2024) AS g2024;
SELECT * FROM pg_temp.last_run();
SELECT n.firm, round((e.tax_per_mu * c.a)::numeric, 6) AS per_cell FROM evaluation e JOIN firm_name n USING (uscc)
CROSS JOIN cell c WHERE e.year = 2024 AND n.firm IN ('Y2', 'Y3') ORDER BY n.firm;
SELECT state, kinds FROM register WHERE parcel_code = '330603001001GB00008';
-- and a forced run, which reads every table whole, changes nothing 越城's run wrote
CREATE TEMP TABLE coded_rows AS SELECT * FROM evaluation;
CREATE TEMP TABLE coded_register AS SELECT parcel_code, state, kinds, evaluated_year, clears_thresholds FROM register;
SELECT evaluate(2024, NULL, true) AS forced;
SELECT * FROM pg_temp.last_run();
SELECT (SELECT count(*) FROM (SELECT * FROM evaluation EXCEPT SELECT * FROM coded_rows) d) AS rows_new,
       (SELECT count(*) FROM (SELECT parcel_code, state, kinds, evaluated_year, clears_thresholds FROM register
                              EXCEPT SELECT * FROM coded_register) d) AS register_new,
       (SELECT count(*) FROM (SELECT * FROM coded_register EXCEPT
                              SELECT parcel_code, state, kinds, evaluated_year, clears_thresholds FROM register) d) AS register_gone;

-- Marks every state saw are pruned by evaluate(): none is left once every
-- county of every year was evaluated after them.
SELECT evaluate(2022) IS NOT NULL AS ran, evaluate(2023) IS NOT NULL AS ran, evaluate(2024) IS NOT NULL AS ran;
SELECT count(*) AS marks_left FROM evaluation_mark;

-- Leave the database as the next test expects it.
\i sql/helpers/reset_data.sql
