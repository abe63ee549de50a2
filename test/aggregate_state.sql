-- What Citus and parallel query rely on: an aggregate's partial state survives
-- its text form, and partial states combined in any order give the same answer.
BEGIN;
SELECT plan(9);

-- The aggregates' state without their final functions, to look at partial states.
CREATE AGGREGATE pg_temp.indicators_state(float8, float8, float8, float8, float8, float8, float8, float8, float8, float8,
                                          float8, float8) (
    SFUNC = parcel_gov.indicators_agg_accum, STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
CREATE AGGREGATE pg_temp.per_mu_state(float8, float8) (
    SFUNC = parcel_gov.per_mu_agg_accum, STYPE = float8[], INITCOND = '{0,0,0,0}');

-- Awkward decimals on purpose: their float sums depend on the order of adding.
CREATE TEMP TABLE rows_ AS
SELECT i, i % 3 AS part, 0.1 * i + 1e-7 AS tax, i / 7.0 AS va, i * 1.1 AS revenue, i / 13.0 AS rd,
       (i % 9) + 1 AS staff, i / 3.0 AS energy, (i % 4) * 0.7 AS emission, i * 31.7 AS kwh, 0.1 + (i % 5) / 3.0 AS area
FROM generate_series(1, 3000) AS i;

CREATE TEMP TABLE partial AS
SELECT part,
       pg_temp.indicators_state(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area) AS ind,
       pg_temp.per_mu_state(tax, area) AS pmu
FROM rows_ GROUP BY part;

SELECT is_empty($$SELECT part FROM partial WHERE ind::text::float8[] IS DISTINCT FROM ind
                                             OR pmu::text::float8[] IS DISTINCT FROM pmu$$,
                'partial states round-trip through text exactly');

SELECT is((SELECT parcel_gov.indicators_agg_final(ind::text::float8[]) FROM partial WHERE part = 0),
          (SELECT parcel_gov.indicators_agg_final(ind) FROM partial WHERE part = 0),
          'the final value of a state read back from text is the same');

-- Every order of combining the three partial states, and the whole in one go.
CREATE TEMP TABLE combined AS
SELECT o.ord,
       parcel_gov.indicators_agg_final(parcel_gov.dd_state_combine(parcel_gov.dd_state_combine(a.ind, b.ind), c.ind)) AS ind,
       parcel_gov.per_mu_agg_final(parcel_gov.dd_state_combine(parcel_gov.dd_state_combine(a.pmu, b.pmu), c.pmu)) AS pmu
FROM (VALUES ('012', 0, 1, 2), ('021', 0, 2, 1), ('102', 1, 0, 2),
             ('120', 1, 2, 0), ('201', 2, 0, 1), ('210', 2, 1, 0)) AS o(ord, x, y, z)
JOIN partial a ON a.part = o.x JOIN partial b ON b.part = o.y JOIN partial c ON c.part = o.z;

SELECT is((SELECT count(DISTINCT ind::text) FROM combined), 1::bigint,
          'indicators_agg: all six orders of combining give the same indicators');
SELECT is((SELECT count(DISTINCT pmu) FROM combined), 1::bigint,
          'per_mu_agg: all six orders of combining give the same value');
SELECT is((SELECT min(ind::text) FROM combined),
          (SELECT parcel_gov.indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area)::text FROM rows_),
          'and the same as aggregating all rows at once');
SELECT is((SELECT min(pmu) FROM combined),
          (SELECT parcel_gov.per_mu_agg(tax, area) FROM rows_ ORDER BY 1),
          'per_mu_agg likewise');

-- partial_sum() adds stored partial states (as evaluation_summary keeps them)
-- exactly, whatever order the rows reach it in.
CREATE TEMP TABLE summed AS
SELECT o.ord, parcel_gov.per_mu_agg_final(parcel_gov.partial_sum(p.pmu ORDER BY array_position(o.parts, p.part))) AS pmu,
       parcel_gov.indicators_agg_final(parcel_gov.partial_sum(p.ind ORDER BY array_position(o.parts, p.part)))::text AS ind
FROM (VALUES ('012', '{0,1,2}'::int[]), ('021', '{0,2,1}'), ('102', '{1,0,2}'),
             ('120', '{1,2,0}'), ('201', '{2,0,1}'), ('210', '{2,1,0}')) AS o(ord, parts)
CROSS JOIN partial p GROUP BY o.ord;
SELECT is((SELECT count(DISTINCT pmu) FROM summed), 1::bigint,
          'partial_sum: all six orders give the same per_mu_agg');
SELECT is((SELECT min(pmu) FROM summed), (SELECT parcel_gov.per_mu_agg(tax, area) FROM rows_),
          'and the same as per_mu_agg over all rows');
SELECT is((SELECT min(ind) FROM summed) || (SELECT count(DISTINCT ind) FROM summed)::text,
          (SELECT parcel_gov.indicators_agg(tax, va, revenue, rd, staff, energy, emission, kwh, NULL, NULL, NULL, area)::text FROM rows_) || '1',
          'partial_sum of indicators_agg states: one answer, the all-rows one');

SELECT * FROM finish();
ROLLBACK;
