-- Roles of the quarterly evaluation (install/88_quarterly_evaluation.sql), as
-- install/96_roles.sql has them for the year: a firm's year-to-date figures
-- follow the firm; the quarter's results and benchmarks their region; the
-- operator writes figures, evaluate_quarter() alone the results.
ALTER TABLE parcel_gov.enterprise_period ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.enterprise_period
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_period.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) enterprise_period.uscc));
ALTER TABLE parcel_gov.evaluation_quarter ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.evaluation_quarter
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
ALTER TABLE parcel_gov.evaluation_quarter_benchmark ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.evaluation_quarter_benchmark
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));

GRANT SELECT ON parcel_gov.enterprise_period, parcel_gov.evaluation_quarter, parcel_gov.evaluation_quarter_benchmark
    TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.enterprise_period TO parcel_gov_operator;
REVOKE EXECUTE ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text),
                           parcel_gov.evaluate_quarter_run(integer, integer, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text) TO parcel_gov_analyst;
REVOKE EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) TO parcel_gov_operator;
