-- 季评价 Quarterly evaluation (上虞 [S4]: 月监测、季评价、年考核 — monitor
-- monthly, evaluate quarterly, assess yearly).  Year-to-date figures per
-- month beside the yearly ones; evaluate_quarter() runs the yearly engine
-- (src/eval_engine.h) on the figures to a quarter's last month and writes
-- evaluation_quarter and its benchmarks, apart from the year's results: the
-- register, evaluation and its summaries are never touched.

CREATE TABLE parcel_gov.enterprise_period (
    -- No foreign key: the row-level policy (install/96_roles_quarterly.sql)
    -- already refuses a firm the writer cannot see, a missing one included,
    -- and the engine reads the figures of the firms it found in enterprise
    -- only; a key would make every TRUNCATE … CASCADE of enterprise reach
    -- here.
    uscc            parcel_gov.uscc NOT NULL,
    year            integer NOT NULL CONSTRAINT enterprise_period_plausible CHECK (year BETWEEN 1949 AND 2200),
    month           integer NOT NULL CONSTRAINT enterprise_period_month CHECK (month BETWEEN 1 AND 12),
    size_class      parcel_gov.size_class NOT NULL,
    tax             double precision CHECK (tax > '-Infinity' AND tax < 'Infinity'),
    value_added     double precision CHECK (value_added > '-Infinity' AND value_added < 'Infinity'),
    revenue         double precision CHECK (revenue >= 0 AND revenue < 'Infinity'),
    rd_expense      double precision CHECK (rd_expense > '-Infinity' AND rd_expense < 'Infinity'),
    staff           double precision CHECK (staff >= 0 AND staff < 'Infinity'),
    energy_tce      double precision CHECK (energy_tce >= 0 AND energy_tce < 'Infinity'),
    emission_t      double precision CHECK (emission_t >= 0 AND emission_t < 'Infinity'),
    electricity_kwh double precision CHECK (electricity_kwh >= 0 AND electricity_kwh < 'Infinity'),
    exempt_reason   text,
    veto_reason     text,
    bonus           double precision NOT NULL DEFAULT 0 CHECK (bonus >= 0 AND bonus < 'Infinity'),
    deduction       double precision NOT NULL DEFAULT 0 CHECK (deduction >= 0 AND deduction < 'Infinity'),
    backward_capacity   boolean NOT NULL DEFAULT false,
    prohibited_industry boolean NOT NULL DEFAULT false,
    scattered_polluting boolean NOT NULL DEFAULT false,
    water_t         double precision CONSTRAINT enterprise_period_water_t_check CHECK (water_t >= 0 AND water_t < 1e10),
    cod_t           double precision CONSTRAINT enterprise_period_cod_t_check CHECK (cod_t >= 0 AND cod_t < 1e9),
    main_revenue    double precision CONSTRAINT enterprise_period_main_revenue_check CHECK (main_revenue >= 0 AND main_revenue < 1e9),
    PRIMARY KEY (uscc, year, month),
    -- the bounds of enterprise_year: beyond any firm there is
    CONSTRAINT enterprise_period_within_bounds CHECK (
        abs(tax) < 1e9 AND abs(value_added) < 1e9 AND revenue < 1e9 AND abs(rd_expense) < 1e9
        AND staff < 1e7 AND energy_tce < 1e9 AND emission_t < 1e9 AND electricity_kwh < 1e12
        AND bonus < 1e9 AND deduction < 1e9)
);
COMMENT ON TABLE parcel_gov.enterprise_period IS
  '企业月度累计数据 (year-to-date inputs per firm, 月监测): the figures of enterprise_year from 1 January to the end of month, in its units (money 万元, energy tce, emissions t, electricity kWh; staff = average to date); months 3, 6, 9 and 12 are what evaluate_quarter() evaluates (季评价)';
COMMENT ON COLUMN parcel_gov.enterprise_period.month IS
  '月份: the last month the figures cover (1–12), year to date (1–3 for month 3: the first quarter)';
CREATE INDEX enterprise_period_year_month_idx ON parcel_gov.enterprise_period (year, month);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.enterprise_period', '');

CREATE TABLE parcel_gov.evaluation_quarter (
    id            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    year          integer NOT NULL,
    quarter       integer NOT NULL CONSTRAINT evaluation_quarter_quarter CHECK (quarter BETWEEN 1 AND 4),
    uscc          parcel_gov.uscc NOT NULL,
    region_code   text NOT NULL,
    rule_set_id   text,
    pool          parcel_gov.size_class NOT NULL,
    industry_group text,
    held_mu       double precision NOT NULL,
    leased_out_mu double precision NOT NULL,
    leased_in_mu  double precision NOT NULL,
    area_mu       double precision NOT NULL,
    tax           double precision,
    value_added   double precision,
    revenue       double precision,
    tax_per_mu          double precision,
    va_per_mu           double precision,
    revenue_per_mu      double precision,
    labour_productivity double precision,
    va_per_energy       double precision,
    va_per_emission     double precision,
    rd_intensity        double precision,
    tax_per_kwh         double precision,
    score_tax_per_mu          double precision,
    score_va_per_mu           double precision,
    score_revenue_per_mu      double precision,
    score_labour_productivity double precision,
    score_va_per_energy       double precision,
    score_va_per_emission     double precision,
    score_rd_intensity        double precision,
    score_tax_per_kwh         double precision,
    bonus            double precision NOT NULL DEFAULT 0,
    deduction        double precision NOT NULL DEFAULT 0,
    rental_deduction double precision NOT NULL DEFAULT 0,
    score         double precision,
    rank          integer,
    pool_size     integer,
    grade_initial parcel_gov.grade,
    grade         parcel_gov.grade,
    not_graded    text,
    veto_reason   text,
    evaluated_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    revenue_per_kwh           double precision,
    va_per_water              double precision,
    va_per_cod                double precision,
    rd_intensity_main         double precision,
    score_revenue_per_kwh     double precision,
    score_va_per_water        double precision,
    score_va_per_cod          double precision,
    score_rd_intensity_main   double precision,
    PRIMARY KEY (year, quarter, uscc),
    CONSTRAINT evaluation_quarter_graded_or_why CHECK ((grade IS NULL) = (not_graded IS NOT NULL))
);
COMMENT ON TABLE parcel_gov.evaluation_quarter IS
  '季度评价结果 (季评价): one row per firm, year and quarter, as evaluation has it but on the year-to-date figures to the quarter''s last month (enterprise_period) and the land of the year to date; benchmarks of that period (evaluation_quarter_benchmark); written by evaluate_quarter() only, apart from the yearly evaluation';
COMMENT ON COLUMN parcel_gov.evaluation_quarter.quarter IS '季度: 1–4, on the figures from 1 January to month 3, 6, 9 or 12';
CREATE INDEX evaluation_quarter_region_year_idx ON parcel_gov.evaluation_quarter (region_code, year, quarter);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_quarter', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation_quarter', 'id'), '');

CREATE TABLE parcel_gov.evaluation_quarter_benchmark (
    year        integer NOT NULL,
    quarter     integer NOT NULL CONSTRAINT evaluation_quarter_benchmark_quarter CHECK (quarter BETWEEN 1 AND 4),
    region_code text NOT NULL,
    pool        parcel_gov.size_class NOT NULL,
    indicator   parcel_gov.indicator NOT NULL,
    rule_set_id text NOT NULL,
    benchmark   double precision,
    pool_value  double precision,
    lo          double precision,
    hi          double precision,
    firms       integer NOT NULL,
    PRIMARY KEY (year, quarter, region_code, pool, indicator)
);
COMMENT ON TABLE parcel_gov.evaluation_quarter_benchmark IS
  '季度基准值: the benchmark each pool was scored against in a quarter: the pool''s ratio of sums of the year-to-date figures × multiplier, or the rule''s fixed benchmark — a year''s, so prorated by months ÷ 12 for tax, value added and revenue per mu and labour productivity (a ratio of two year-to-date figures, per kWh, tce or t or R&D over revenue, is not)';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_quarter_benchmark', '');

CREATE TRIGGER evaluation_quarter_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_quarter
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();
CREATE TRIGGER evaluation_quarter_benchmark_written_by_evaluate
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel_gov.evaluation_quarter_benchmark
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.evaluation_guard();

CREATE FUNCTION parcel_gov.evaluate_quarter_run(year integer, month integer, prefix text,
        started timestamp with time zone, OUT firms integer, OUT graded integer, OUT changed bigint)
    AS 'MODULE_PATHNAME', 'evaluate_quarter_run'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET jit = off;
COMMENT ON FUNCTION parcel_gov.evaluate_quarter_run(integer, integer, text, timestamp with time zone) IS
  'The engine of evaluate_quarter(), called by it after its checks and under its lock: evaluates the year-to-date figures to month (3, 6, 9, 12) for a region prefix and replaces that quarter''s evaluation_quarter rows and benchmarks; returns how many firms were evaluated and graded and rows written';

CREATE FUNCTION parcel_gov.evaluate_quarter(year integer, quarter integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate_quarter.year;
    q constant integer := evaluate_quarter.quarter;
    prefix constant text := parcel_gov.region_prefix(evaluate_quarter.region);
    run record;
BEGIN
    IF y IS NULL OR q IS NULL OR q NOT BETWEEN 1 AND 4 THEN
        RAISE EXCEPTION 'evaluate_quarter: quarter must be 1, 2, 3 or 4 of a year, got % of %',
                        coalesce(q::text, 'NULL'), coalesce(y::text, 'NULL') USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate_quarter(2024, 2) or parcel_gov.evaluate_quarter(2024, 2, ''330604''): the second quarter, on the figures to June.';
    END IF;
    -- as evaluate(): the owner's rights for the engine, the caller an analyst granted the region
    PERFORM parcel_gov.require_caller('evaluate_quarter', 'parcel_gov_analyst', prefix);
    PERFORM parcel_gov.lock_evaluation_year(y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_period f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND f.month = 3 * q AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate_quarter: no year-to-date figures to month % of % in region %: nothing evaluated, earlier results kept',
                     3 * q, y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    SELECT * INTO run FROM parcel_gov.evaluate_quarter_run(y, 3 * q, prefix, clock_timestamp());
    RETURN run.graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate_quarter(integer, integer, text) IS
  '季评价: evaluates every firm of a region (as evaluate()) for a quarter on its year-to-date figures (enterprise_period, month 3 × quarter) under the year''s rule set: pool benchmarks are ratios of sums of those figures, fixed benchmarks prorated by months ÷ 12 where the indicator accrues (per mu, per person); replaces the quarter''s evaluation_quarter rows and benchmarks of the region and returns the number of firms graded; never touches evaluation, its summaries or the register';
