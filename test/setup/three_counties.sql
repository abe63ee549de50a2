-- Shared set-up of the role tests (run inside their transaction, as the
-- superuser): two counties of one city (上虞 330604, 越城 330602) and one of
-- another (黄岩 331003), regions that ship with parcel_gov; a firm, a
-- parcel, a year's figures, an evaluation and a register row in each; and
-- login-less roles standing for county accounts:
--   t_reader_shangyu    parcel_gov_reader,   granted 330604
--   t_reader_shaoxing   parcel_gov_reader,   granted the city 330600
--   t_analyst_shangyu   parcel_gov_analyst,  granted 330604
--   t_operator_shangyu  parcel_gov_operator, granted 330604
--   t_admin             parcel_gov_admin
SET LOCAL client_min_messages = warning;
\o /dev/null
CREATE TEMP TABLE county (n int, code text, uscc text);
INSERT INTO county VALUES (1, '330604', '91330604MA2B00078Q'), (2, '330602', '91330602MA2B00844R'),
                          (3, '331003', '91331003MA2B00078P');
INSERT INTO parcel_gov.enterprise (uscc, name, region_code) SELECT uscc, code || ' 测试有限公司', code FROM county;
INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
SELECT code || '001001GB00001', code, uscc,
       ST_Multi(ST_MakeEnvelope(120.8 + 0.01 * n, 29.8, 120.8025 + 0.01 * n, 29.8025, 4490))
FROM county;
INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, tax, value_added, revenue)
SELECT uscc, 2024, 'below', 100, 500, 2000 FROM county;
SELECT parcel_gov.evaluate(2024);
SELECT parcel_gov.transition(code || '001001GB00001', 'candidate', 'survey') FROM county;
CREATE ROLE t_reader_shangyu IN ROLE parcel_gov_reader;
CREATE ROLE t_reader_shaoxing IN ROLE parcel_gov_reader;
CREATE ROLE t_analyst_shangyu IN ROLE parcel_gov_analyst;
CREATE ROLE t_operator_shangyu IN ROLE parcel_gov_operator;
CREATE ROLE t_admin IN ROLE parcel_gov_admin;
SELECT parcel_gov.region_grant('t_reader_shangyu', '330604'), parcel_gov.region_grant('t_reader_shaoxing', '330600'),
       parcel_gov.region_grant('t_analyst_shangyu', '330604'), parcel_gov.region_grant('t_operator_shangyu', '330604');
-- What a role sees, table by table and view by view: the counties of its rows.
CREATE FUNCTION pg_temp.counties_seen() RETURNS text LANGUAGE sql AS $$
SELECT concat_ws(' ',
  'parcel:' || (SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.parcel),
  'enterprise:' || (SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.enterprise),
  'figures:' || (SELECT string_agg(DISTINCT left(uscc, 8), ',' ORDER BY left(uscc, 8)) FROM parcel_gov.enterprise_year),
  'evaluation:' || (SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.evaluation),
  'summary:' || (SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.evaluation_summary),
  'register:' || (SELECT string_agg(DISTINCT left(parcel_code, 6), ',' ORDER BY left(parcel_code, 6)) FROM parcel_gov.register),
  'history:' || (SELECT string_agg(DISTINCT left(parcel_code, 6), ',' ORDER BY left(parcel_code, 6)) FROM parcel_gov.register_event),
  'v_parcel_efficiency:' || (SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.v_parcel_efficiency),
  'v_enterprise_evaluation:' || (SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.v_enterprise_evaluation),
  'v_register:' || (SELECT string_agg(DISTINCT region_code, ',' ORDER BY region_code) FROM parcel_gov.v_register),
  'geojson:' || (SELECT json_array_length(parcel_gov.parcels_geojson(NULL, 2024) -> 'features')))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.counties_seen() TO PUBLIC;
\o
