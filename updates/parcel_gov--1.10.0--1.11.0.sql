-- parcel_gov 1.10.0 → 1.11.0 (fidelity: evaluation as the counties publish
-- it).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only where
-- nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.11.0'" to load this file. \quit

-- ---- issue 21 item 8: quarterly evaluation (季评价, 上虞: 月监测、季评价、年考核) ----
-- Year-to-date figures per month (enterprise_period), evaluate_quarter() on
-- the yearly engine, its results apart (evaluation_quarter and its
-- benchmarks), their roles, and the quarters' trend in v_early_warning
-- (columns appended).  As install/88_quarterly_evaluation.sql,
-- install/96_roles_quarterly.sql and install/98_decision_support.sql.

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

-- 预警 Early warning: firms to act on before they become D, one row per firm
-- and evaluated year with every reason that holds:
--   tax_falling     亩均税收连续两年下降: per-mu tax fell two years running
--   near_tier_line  距5万元/亩线一档: per-mu tax in the tier just above the
--                   5 万元/亩 line (5 to 10, tax_tier 2, 重点检查)
--   grade_dropped   等级下降: a worse grade than the year before
--   quarter_falling 季度连续下降: in the year's latest evaluated quarter and
--                   the one before, a worse grade than the quarter before, or
--                   the same grade on a lower score (季评价, 上虞) — warned
--                   before the year closes: a year without its yearly
--                   evaluation yet has a row from its quarters alone (fid
--                   −evaluation_quarter.id, the yearly columns NULL)
CREATE OR REPLACE VIEW parcel_gov.v_early_warning WITH (security_invoker = true) AS
SELECT w.fid, w.year, w.uscc, w.name, w.region_code, w.region_name,
       w.pool::text AS pool, parcel_gov.label(w.pool) AS pool_label,
       w.grade::text AS grade, parcel_gov.label(w.grade) AS grade_label,
       w.grade_prev::text AS grade_prev, parcel_gov.label(w.grade_prev) AS grade_prev_label,
       w.tax_per_mu, w.tax_per_mu_prev, w.tax_per_mu_prev2,
       array_remove(ARRAY[CASE WHEN w.falling THEN 'tax_falling' END, CASE WHEN w.near_line THEN 'near_tier_line' END,
                          CASE WHEN w.dropped THEN 'grade_dropped' END,
                          CASE WHEN w.quarter_falling THEN 'quarter_falling' END], NULL) AS reasons,
       concat_ws('、', CASE WHEN w.falling THEN '亩均税收连续两年下降' END, CASE WHEN w.near_line THEN '距5万元/亩线一档' END,
                 CASE WHEN w.dropped THEN '等级下降' END, CASE WHEN w.quarter_falling THEN '季度连续下降' END) AS reason_labels,
       w.quarter, w.quarter_grade::text AS quarter_grade, parcel_gov.label(w.quarter_grade) AS quarter_grade_label,
       w.quarter_score, w.quarter_grade_prev::text AS quarter_grade_prev,
       parcel_gov.label(w.quarter_grade_prev) AS quarter_grade_prev_label, w.quarter_score_prev, w.quarter_falling
FROM (
    SELECT coalesce(e.id, -q.id) AS fid, coalesce(e.year, q.year) AS year, coalesce(e.uscc, q.uscc)::text AS uscc,
           f.name, coalesce(e.region_code, q.region_code) AS region_code, rg.name AS region_name,
           coalesce(e.pool, q.pool) AS pool,
           e.grade, p1.grade AS grade_prev, e.tax_per_mu, p1.tax_per_mu AS tax_per_mu_prev,
           p2.tax_per_mu AS tax_per_mu_prev2,
           coalesce(e.tax_per_mu < p1.tax_per_mu AND p1.tax_per_mu < p2.tax_per_mu, false) AS falling,
           coalesce(parcel_gov.tax_tier(e.tax_per_mu) = 2, false) AS near_line,
           coalesce(e.grade > p1.grade, false) AS dropped,
           q.quarter, q.grade AS quarter_grade, q.score AS quarter_score, q.grade_prev AS quarter_grade_prev,
           q.score_prev AS quarter_score_prev, coalesce(q.fell AND q.fell_before, false) AS quarter_falling
    FROM parcel_gov.evaluation e
    FULL JOIN (
        -- each firm's latest quarter of a year, beside the two before it
        SELECT DISTINCT ON (q0.uscc, q0.year) q0.id, q0.year, q0.uscc, q0.region_code, q0.pool, q0.quarter,
               q0.grade, q0.score, q1.grade AS grade_prev, q1.score AS score_prev,
               q0.grade > q1.grade OR (q0.grade = q1.grade AND q0.score < q1.score) AS fell,
               q1.grade > q2.grade OR (q1.grade = q2.grade AND q1.score < q2.score) AS fell_before
        FROM parcel_gov.evaluation_quarter q0
        LEFT JOIN parcel_gov.evaluation_quarter q1 ON q1.year = q0.year AND q1.quarter = q0.quarter - 1 AND q1.uscc = q0.uscc
        LEFT JOIN parcel_gov.evaluation_quarter q2 ON q2.year = q0.year AND q2.quarter = q0.quarter - 2 AND q2.uscc = q0.uscc
        ORDER BY q0.uscc, q0.year, q0.quarter DESC
    ) AS q ON q.year = e.year AND q.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p1 ON p1.year = e.year - 1 AND p1.uscc = e.uscc
    LEFT JOIN parcel_gov.evaluation p2 ON p2.year = e.year - 2 AND p2.uscc = e.uscc
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = coalesce(e.uscc, q.uscc)
    LEFT JOIN parcel_gov.region rg ON rg.code = coalesce(e.region_code, q.region_code)
) AS w
WHERE w.falling OR w.near_line OR w.dropped OR w.quarter_falling;
GRANT SELECT ON parcel_gov.v_early_warning TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_early_warning IS
  '预警 early warning: firms whose per-mu tax fell two years running, whose per-mu tax is one tier above the 5 万元/亩 line, whose grade dropped, or whose quarterly grade or score fell two quarters running (季评价, before the year closes); one row per firm and year with the reasons';

COMMENT ON COLUMN parcel_gov.v_early_warning.reasons IS '预警原因: tax_falling, near_tier_line, grade_dropped, quarter_falling';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter IS '最近评价季度: the year''s latest quarter evaluated by evaluate_quarter() (1–4), NULL none';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade IS '季度等级: the grade of that quarter (year to date)';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_label IS '季度等级名称: that grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_score IS '季度得分: the composite score of that quarter';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_prev IS '上季度等级: the grade of the quarter before';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_grade_prev_label IS '上季度等级名称: the grade of the quarter before in Chinese';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_score_prev IS '上季度得分: the score of the quarter before';
COMMENT ON COLUMN parcel_gov.v_early_warning.quarter_falling IS '季度连续下降: the latest quarter and the one before each fell on the quarter before (a worse grade, or the same grade on a lower score)';

-- Firms' year-to-date figures per month (月监测, 季评价) from the bureaus'
-- spreadsheets: the template of import_enterprise_years() — headers with
-- their units read by bureau_header(), cells by bureau_number() — plus a
-- 月份 column (3, 03, 3月, 2025-03, 2025年3月; a quarter's 一季度 … 四季度
-- or Q1 … Q4 stands for its last month).  The firms must be on file already
-- (the yearly import or enterprise creates them).  Every row comes back
-- imported or rejected with its reason; columns not used come back ignored;
-- an empty cell keeps the figure stored for that firm and month.

CREATE FUNCTION parcel_gov.import_enterprise_periods(source regclass, year integer, region text)
    RETURNS TABLE (source_row bigint, uscc text, month integer, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    figures constant text[] := ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                     'emission_t', 'electricity_kwh', 'bonus', 'deduction'];
    month_headers constant text[] := ARRAY['月份', '期间', '统计期', '截至月份'];
    cols jsonb;
    month_col name;
    problems text;
    pick text;
    row_number_sql text;
BEGIN
    -- As its caller, like import_enterprise_years(): the figures are the
    -- caller's to write, under their row-level security.
    PERFORM parcel_gov.require_caller('import_enterprise_periods', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region AND r.level = 'county' AND r.valid_to IS NULL) THEN
        RAISE EXCEPTION 'region "%" is not a current county', region USING ERRCODE = '22023',
            HINT = 'Firms are filed under their county''s 6-digit code, e.g. 330604 (SELECT code, name FROM parcel_gov.region WHERE level = ''county'').';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 1949 AND 2200 THEN
        RAISE EXCEPTION 'year % is not a year of figures', year USING ERRCODE = '22023',
            HINT = 'Give the year the figures are for, e.g. 2024.';
    END IF;
    PERFORM parcel_gov.staging_table_check(source, '\copy or ogr2ogr');

    SELECT a.attname INTO month_col
    FROM pg_attribute a
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND regexp_replace(a.attname, '[\s\u3000]', '', 'g') = ANY (month_headers)
    ORDER BY a.attnum LIMIT 1;
    SELECT jsonb_agg(jsonb_build_object('header', a.attname, 'target', h.target, 'factor', h.factor,
                                        'problem', coalesce(h.problem,
                                            CASE WHEN t.typnamespace <> 'pg_catalog'::regnamespace
                                                 THEN format('"%s" is of type %s: load the sheet as text or numbers',
                                                             a.attname, format_type(a.atttypid, a.atttypmod)) END))
                     ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL parcel_gov.bureau_header(a.attname) h
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'ogc_fid' AND a.attname IS DISTINCT FROM month_col;
    cols := coalesce(cols, '[]');
    SELECT string_agg(c ->> 'problem', '; ') INTO problems
    FROM jsonb_array_elements(cols) c WHERE c ->> 'problem' IS NOT NULL;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'headers of % cannot be read: %', source, problems USING ERRCODE = '22023',
            HINT = 'Name each figure''s unit in its header, e.g. 税收(万元), 用电量(万千瓦时); README "Load this year''s data" lists the headers and units.';
    END IF;
    SELECT string_agg(DISTINCT c ->> 'target', ', ') INTO problems
    FROM jsonb_array_elements(cols) c
    WHERE c ->> 'target' IS NOT NULL
      AND (SELECT count(*) FROM jsonb_array_elements(cols) d WHERE d ->> 'target' = c ->> 'target') > 1;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % name the same figure twice: %', source, problems USING ERRCODE = '22023',
            HINT = 'Keep one column per figure in the staging table.';
    END IF;
    IF month_col IS NULL OR NOT cols @> '[{"target": "uscc"}]' OR NOT cols @> '[{"target": "size_class"}]' THEN
        RAISE EXCEPTION '% has no % column', source,
              CASE WHEN month_col IS NULL THEN '月份' WHEN NOT cols @> '[{"target": "uscc"}]' THEN '统一社会信用代码'
                   ELSE '规模' END
            USING ERRCODE = '42703',
            HINT = 'The file is the yearly template (统一社会信用代码, 规模, the figures with their units) plus 月份: the last month the year-to-date figures cover (3, 2025-03, 一季度).';
    END IF;

    -- 1. The cells: codes as text, figures parsed and converted (NaN: no number).
    SELECT string_agg(CASE WHEN c.header IS NOT NULL AND t = ANY (figures)
                             THEN format(', parcel_gov.bureau_number(%I::text) * %s AS %I', c.header, c.factor, t)
                           WHEN t = ANY (figures) THEN format(', NULL::double precision AS %I', t)
                           WHEN c.header IS NOT NULL THEN format(', %I::text AS %I', c.header, t)
                           ELSE format(', NULL::text AS %I', t) END, '' ORDER BY o)
    INTO pick
    FROM unnest(ARRAY['uscc', 'size_class', 'year', 'exempt_reason', 'veto_reason'] || figures) WITH ORDINALITY AS x(t, o)
    LEFT JOIN LATERAL (SELECT e ->> 'header' AS header, e ->> 'factor' AS factor
                       FROM jsonb_array_elements(cols) e WHERE e ->> 'target' = x.t) AS c ON true;
    row_number_sql := CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = source AND a.attname = 'ogc_fid'
                                                                     AND NOT a.attisdropped)
                           THEN 'ogc_fid::bigint' ELSE 'row_number() OVER (ORDER BY ctid)' END;
    IF to_regclass('pg_temp.parcel_gov_period_cells') IS NOT NULL THEN
        DROP TABLE pg_temp.parcel_gov_period_cells, pg_temp.parcel_gov_period_rows;
    END IF;
    EXECUTE format('CREATE TEMP TABLE parcel_gov_period_cells AS SELECT %s AS n, %I::text AS month_given%s FROM %s',
                   row_number_sql, month_col, pick, source);

    -- 2. Each row: its month, its firm (as the caller sees it), what stops it.
    CREATE TEMP TABLE parcel_gov_period_rows AS
    WITH read AS (
        SELECT c.*,
               nullif(upper(regexp_replace(c.uscc, '[\s\u3000-]', '', 'g')), '') AS code,
               nullif(regexp_replace(c.month_given, '[\s\u3000]', '', 'g'), '') AS m_text,
               CASE btrim(c.size_class) WHEN '规上' THEN 'above' WHEN '规模以上' THEN 'above'
                                        WHEN '规下' THEN 'below' WHEN '规模以下' THEN 'below' END::parcel_gov.size_class AS size
        FROM pg_temp.parcel_gov_period_cells c
    ), dated AS (
        SELECT r.*,
               -- a quarter (一季度, 1季度, Q1) stands for its last month
               CASE WHEN r.m_text ~* '^([一二三四1-4]季度|Q[1-4])$'
                      THEN 3 * strpos('一二三四', left(r.m_text, 1)) + 3 * coalesce(nullif(substring(r.m_text FROM '[1-4]'), '')::integer, 0)
                    WHEN r.m_text ~ '^([0-9]{4}[-年./])?[0-9]{1,2}(\.0+)?月?$'
                      THEN substring(r.m_text FROM '([0-9]{1,2})(\.0+)?月?$')::integer END AS m,
               substring(r.m_text FROM '^([0-9]{4})[-年./]')::integer AS m_year
        FROM read r
    ), counted AS (
        -- the same firm and month twice: none goes in
        SELECT d.*, count(*) OVER same AS copies, string_agg(d.n::text, ', ') OVER same AS copy_rows
        FROM dated d
        WINDOW same AS (PARTITION BY d.code, coalesce(d.m::text, d.m_text) ORDER BY d.n
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )
    SELECT d.*, e.uscc IS NOT NULL AS firm_seen,
           array_remove(ARRAY[
             CASE WHEN d.code IS NULL THEN 'no 统一社会信用代码'
                  WHEN e.uscc IS NULL
                    THEN format('firm %s not found or not permitted: a firm of %s is filed first (import_enterprise_years() or enterprise)',
                                d.code, import_enterprise_periods.region) END,
             CASE WHEN d.m_text IS NULL THEN 'no 月份'
                  WHEN d.m IS NULL OR d.m NOT BETWEEN 1 AND 12
                    THEN format('月份 "%s" is no month (3, 2025-03, 2025年3月, 一季度)', d.month_given)
                  WHEN d.m_year IS DISTINCT FROM NULL AND d.m_year <> import_enterprise_periods.year
                    THEN format('月份 "%s" is not in %s', d.month_given, import_enterprise_periods.year) END,
             CASE WHEN d.year IS NOT NULL AND parcel_gov.bureau_number(d.year) IS DISTINCT FROM import_enterprise_periods.year
                    THEN format('年度 "%s" is not %s', d.year, import_enterprise_periods.year) END,
             CASE WHEN d.size_class IS NULL OR btrim(d.size_class) = '' THEN 'no 规模 (规上 or 规下)'
                  WHEN d.size IS NULL THEN format('规模 "%s" is not 规上, 规下, 规模以上 or 规模以下', d.size_class) END,
             CASE WHEN d.copies > 1 AND d.code IS NOT NULL
                    THEN format('rows %s give the same firm and month: none imported', d.copy_rows) END,
             (SELECT string_agg(format('%s is not a number', v.target), '; ') FROM unnest(figures, ARRAY[d.tax, d.value_added,
                     d.revenue, d.rd_expense, d.staff, d.energy_tce, d.emission_t, d.electricity_kwh, d.bonus, d.deduction])
                     AS v(target, value) WHERE v.value = 'NaN'),
             (SELECT string_agg(format('%s %s is negative', v.target, v.value), '; ') FROM unnest(figures, ARRAY[d.tax,
                     d.value_added, d.revenue, d.rd_expense, d.staff, d.energy_tce, d.emission_t, d.electricity_kwh, d.bonus,
                     d.deduction]) AS v(target, value)
                     WHERE v.value < 0 AND v.target NOT IN ('tax', 'value_added', 'rd_expense')),
             (SELECT string_agg(format('%s %s is beyond any firm (a unit or typing mistake)', v.target, v.value), '; ')
                     FROM unnest(figures, ARRAY[d.tax, d.value_added, d.revenue, d.rd_expense, d.staff, d.energy_tce,
                     d.emission_t, d.electricity_kwh, d.bonus, d.deduction]) AS v(target, value)
                     WHERE v.value <> 'NaN' AND abs(v.value) >= CASE v.target WHEN 'staff' THEN 1e7
                                                                 WHEN 'electricity_kwh' THEN 1e12 ELSE 1e9 END)
           ], NULL) AS rejects
    FROM counted d
    LEFT JOIN LATERAL (SELECT e.uscc FROM parcel_gov.enterprise e
                       WHERE e.uscc = d.code AND d.code ~ '^[0-9A-Z]{18}$'
                         AND starts_with(e.region_code, import_enterprise_periods.region)) AS e ON true;

    -- 3. The figures, an empty cell keeping the stored one.
    INSERT INTO parcel_gov.enterprise_period AS p
        (uscc, year, month, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t,
         electricity_kwh, exempt_reason, veto_reason, bonus, deduction)
    SELECT r.code, import_enterprise_periods.year, r.m, r.size, r.tax, r.value_added, r.revenue, r.rd_expense, r.staff,
           r.energy_tce, r.emission_t, r.electricity_kwh, nullif(btrim(r.exempt_reason), ''),
           nullif(btrim(r.veto_reason), ''), coalesce(r.bonus, 0), coalesce(r.deduction, 0)
    FROM pg_temp.parcel_gov_period_rows r
    WHERE cardinality(r.rejects) = 0
    ON CONFLICT ON CONSTRAINT enterprise_period_pkey DO UPDATE
    SET size_class = EXCLUDED.size_class, tax = coalesce(EXCLUDED.tax, p.tax),
        value_added = coalesce(EXCLUDED.value_added, p.value_added), revenue = coalesce(EXCLUDED.revenue, p.revenue),
        rd_expense = coalesce(EXCLUDED.rd_expense, p.rd_expense), staff = coalesce(EXCLUDED.staff, p.staff),
        energy_tce = coalesce(EXCLUDED.energy_tce, p.energy_tce), emission_t = coalesce(EXCLUDED.emission_t, p.emission_t),
        electricity_kwh = coalesce(EXCLUDED.electricity_kwh, p.electricity_kwh),
        exempt_reason = coalesce(EXCLUDED.exempt_reason, p.exempt_reason),
        veto_reason = coalesce(EXCLUDED.veto_reason, p.veto_reason),
        bonus = EXCLUDED.bonus, deduction = EXCLUDED.deduction;

    RETURN QUERY
    SELECT o.source_row, o.uscc, o.month, o.outcome, o.reason
    FROM (SELECT NULL::bigint AS source_row, NULL::text AS uscc, NULL::integer AS month, 'ignored' AS outcome,
                 format('column "%s" is not a header this import knows: ignored', c ->> 'header') AS reason, o.i AS column_order
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS o(c, i) WHERE c ->> 'target' IS NULL
          UNION ALL
          SELECT r.n, r.code, r.m, CASE WHEN cardinality(r.rejects) > 0 THEN 'rejected' ELSE 'imported' END,
                 nullif(array_to_string(r.rejects, '; '), ''), 0
          FROM pg_temp.parcel_gov_period_rows r) AS o
    ORDER BY o.source_row NULLS FIRST, o.column_order;
    DROP TABLE pg_temp.parcel_gov_period_cells, pg_temp.parcel_gov_period_rows;
END $$;
COMMENT ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) IS
  '导入企业月度累计数据 (月监测): a staging table of the caller''s in the yearly template (统一社会信用代码, 规模, figures with their units: 税收(元), 用电量(万千瓦时)) plus 月份 (3, 2025-03, 2025年3月, 一季度 … 四季度) into enterprise_period for one county and year; firms must be on file; every row imported or rejected with its reason, unknown headers ignored and named';
REVOKE EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.import_enterprise_periods(regclass, integer, text) TO parcel_gov_operator;
-- ---- issue 21 items 5 and 7: whom a rule holds for.  温岭 2022: a rental
-- deduction counting 规下 lessees only, a rule set for park firms only (its
-- own pools and benchmarks); 上虞 2022: a land floor for named GB/T 4754
-- sections, the shangyu_2022 preset.
ALTER TABLE parcel_gov.rule_pool
    ADD COLUMN rental_lessees text NOT NULL DEFAULT 'all'
        CONSTRAINT rule_pool_rental_lessees_all_or_below CHECK (rental_lessees IN ('all', 'below')),
    ADD COLUMN land_floor_sections text[]
        CONSTRAINT rule_pool_land_floor_sections_gbt4754
        CHECK (cardinality(land_floor_sections) > 0
               AND land_floor_sections <@ '{A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T}'::text[]);
COMMENT ON COLUMN parcel_gov.rule_pool.rental_lessees IS
  '出租扣分 counts which lessees of a firm''s land that year: ''all'' every distinct lessee, ''below'' only lessees whose figures of the year are 规下 (温岭 2022: a 规下 lessor loses points per 规下 lessee); a lessee without figures that year is not counted under ''below''';
COMMENT ON COLUMN parcel_gov.rule_pool.land_floor_sections IS
  '参评用地下限的行业门类: the GB/T 4754 section letters (门类, C = 制造业) whose firms land_floor_mu applies to, firms of other sections being graded on any land; NULL: every firm (a firm without an industry code is held to the floor either way); 上虞: 规下 制造业 firms on 实际用地 3 亩以上';
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN firm_scope text NOT NULL DEFAULT 'all'
        CONSTRAINT rule_set_firm_scope_all_or_in_park CHECK (firm_scope IN ('all', 'in_park'));
COMMENT ON COLUMN parcel_gov.rule_set.firm_scope IS
  '适用企业: ''all'' the region''s firms; ''in_park'' only its firms whose land lies in a park (入园: a parcel they hold, or lease that year, has a park_id), the others being graded by the region''s rule set for all firms (温岭 2022: 工业园区和经济开发区范围内工业企业); park firms rank in pools of their own';
DROP INDEX parcel_gov.rule_set_applies_once;
CREATE UNIQUE INDEX rule_set_applies_once
    ON parcel_gov.rule_set (region_prefix, coalesce(year_from, -1), firm_scope) WHERE region_prefix IS NOT NULL;
-- a region's park firms may have a rule set, and pools, of their own
ALTER TABLE parcel_gov.evaluation_benchmark DROP CONSTRAINT evaluation_benchmark_pkey,
    ADD CONSTRAINT evaluation_benchmark_pkey PRIMARY KEY (year, region_code, pool, rule_set_id, indicator);

CREATE OR REPLACE FUNCTION parcel_gov.rule_set_for(region_code text, year integer)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL AND r.firm_scope = 'all'
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer) IS
  'The rule set applying to a region code in a year for firms outside parks (firm_scope all): the most specific region prefix, then the latest year_from';

CREATE FUNCTION parcel_gov.rule_set_for(region_code text, year integer, in_park boolean)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.id FROM parcel_gov.rule_set r
    WHERE r.region_prefix IS NOT NULL
      AND (r.firm_scope = 'all' OR (r.firm_scope = 'in_park' AND rule_set_for.in_park))
      AND starts_with(rule_set_for.region_code, r.region_prefix)
      AND (r.year_from IS NULL OR r.year_from <= rule_set_for.year)
      AND (r.year_to IS NULL OR rule_set_for.year <= r.year_to)
    ORDER BY length(r.region_prefix) DESC, r.firm_scope = 'in_park' DESC, r.year_from DESC NULLS LAST
    LIMIT 1;
END;
COMMENT ON FUNCTION parcel_gov.rule_set_for(text, integer, boolean) IS
  'The rule set applying to a firm of a region code in a year, in a park (入园, firm_in_park) or not: the most specific region prefix, at the same prefix one for park firms (firm_scope in_park) before one for all, then the latest year_from';

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
                                     non_industrial_since, breach_years_below_target, max_tax_per_mu, max_va_per_mu,
                                     max_tax_per_kwh, scattered_polluting_batch, collective_industrial_batch,
                                     township_last_places, township_summon_months, firm_scope)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh, r.scattered_polluting_batch, r.collective_industrial_batch,
           r.township_last_places, r.township_summon_months, r.firm_scope
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu, group_by_industry,
                                      rental_first_deduction, rental_further_deduction, low_tax_per_mu,
                                      rental_lessees, land_floor_sections)
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu,
           p.rental_lessees, p.land_floor_sections
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
    SELECT new_id, i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
    FROM parcel_gov.rule_issue i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_new_land
    SELECT new_id, n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
           n.standard_land_since, n.source
    FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = template;
    INSERT INTO parcel_gov.rule_measure (rule_set_id, measure, grade, measure_label, basis, rate, cap, source)
    SELECT new_id, m.measure, m.grade, m.measure_label, m.basis, m.rate, m.cap, m.source
    FROM parcel_gov.rule_measure m WHERE m.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years, with its pools, indicators, industry groups and grade-linked measures; returns new_id';

CREATE OR REPLACE FUNCTION parcel_gov.firm_plan_inputs()
    RETURNS TABLE (id bigint, year integer, uscc text, region_code text, pool parcel_gov.size_class,
                   industry_group text, grade parcel_gov.grade, next_grade parcel_gov.grade,
                   score double precision, next_grade_score double precision, area_mu double precision,
                   tax double precision, tax_per_mu double precision, veto_reason text,
                   land_floor_mu double precision, va_scored boolean, figures double precision[],
                   scoring double precision[], scores double precision[], bonus double precision,
                   deduction double precision, rental_deduction double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH ranked AS (
        -- the lowest score holding each grade in the firm's ranking group: ties
        -- share the better grade, so reaching it is enough
        SELECT e.*,
               min(e.score) FILTER (WHERE e.grade_initial = 'A') OVER ranking AS a_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'B') OVER ranking AS b_score,
               min(e.score) FILTER (WHERE e.grade_initial = 'C') OVER ranking AS c_score
        FROM parcel_gov.evaluation e
        WHERE e.grade_initial IS NOT NULL
        WINDOW ranking AS (PARTITION BY e.year, e.region_code, e.pool, e.rule_set_id, e.industry_group)
    ), below_top AS (
        SELECT r.*, n.next_grade, n.next_grade_score
        FROM ranked r
        -- the nearest better grade some firm holds (a grade no firm holds, its quota rounding to none, is skipped)
        LEFT JOIN LATERAL (
            SELECT g.grade AS next_grade, g.score AS next_grade_score
            FROM (VALUES ('A'::parcel_gov.grade, r.a_score), ('B', r.b_score), ('C', r.c_score)) AS g (grade, score)
            WHERE g.grade < r.grade_initial AND g.score IS NOT NULL
            ORDER BY g.grade DESC LIMIT 1) AS n ON true
        WHERE r.grade_initial > 'A'
    ), scoring AS (
        -- each pool's scoring, per indicator in parcel_gov.indicator's order:
        -- weight (NULL: not scored), minmax, benchmark, lo, hi, cap.  Read from
        -- the benchmarks, not from the rows above: every subquery here is read
        -- once, so a filter on year or region reaches the tables
        SELECT p.year, p.region_code, p.pool, p.rule_set_id,
               array_agg(ARRAY[ri.weight, CASE WHEN ri.method = 'minmax' THEN 1 ELSE 0 END, b.benchmark, b.lo, b.hi, ri.cap]
                         ORDER BY k.n) AS scoring,
               min(rp.land_floor_mu) AS land_floor_mu, min(rp.land_floor_sections) AS land_floor_sections,
               coalesce(bool_or(ri.indicator IN ('va_per_mu', 'labour_productivity', 'va_per_energy', 'va_per_emission')),
                        false) AS va_scored
        FROM (SELECT DISTINCT eb.year, eb.region_code, eb.pool, eb.rule_set_id FROM parcel_gov.evaluation_benchmark eb) AS p
        CROSS JOIN unnest(enum_range(NULL, 'tax_per_kwh'::parcel_gov.indicator)) WITH ORDINALITY AS k (indicator, n)
        LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = p.rule_set_id AND rp.pool = p.pool
        LEFT JOIN parcel_gov.rule_indicator ri
               ON ri.rule_set_id = p.rule_set_id AND ri.pool = p.pool AND ri.indicator = k.indicator
        LEFT JOIN parcel_gov.evaluation_benchmark b
               ON b.year = p.year AND b.region_code = p.region_code AND b.pool = p.pool
              AND b.rule_set_id = p.rule_set_id AND b.indicator = k.indicator
        GROUP BY p.year, p.region_code, p.pool, p.rule_set_id
    )
    SELECT t.id, t.year, t.uscc::text, t.region_code, t.pool, t.industry_group, t.grade_initial, t.next_grade,
           t.score, t.next_grade_score, t.area_mu, t.tax, t.tax_per_mu, t.veto_reason,
           -- the floor holds for the firm's GB/T 4754 section (上虞: 制造业), or for every firm
           CASE WHEN s.land_floor_sections IS NULL OR f.industry_code IS NULL
                     OR left(f.industry_code, 1) = ANY (s.land_floor_sections)
                THEN s.land_floor_mu ELSE 0 END, s.va_scored,
           ARRAY[fy.tax, fy.value_added, fy.revenue, fy.rd_expense, fy.staff, fy.energy_tce, fy.emission_t,
                 fy.electricity_kwh],
           s.scoring,
           ARRAY[t.score_tax_per_mu, t.score_va_per_mu, t.score_revenue_per_mu, t.score_labour_productivity,
                 t.score_va_per_energy, t.score_va_per_emission, t.score_rd_intensity, t.score_tax_per_kwh],
           t.bonus, t.deduction, t.rental_deduction
    FROM below_top t
    JOIN scoring s ON s.year = t.year AND s.region_code = t.region_code AND s.pool = t.pool
                  AND s.rule_set_id = t.rule_set_id
    LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = t.uscc AND fy.year = t.year
    LEFT JOIN parcel_gov.enterprise f ON f.uscc = t.uscc;
END;
COMMENT ON FUNCTION parcel_gov.firm_plan_inputs() IS
  '一企一策 internal: per graded firm and year below the top grade, the next grade''s line and what score_lever needs (figures, the pool''s scoring, the stored scores); inlined into v_firm_plan and parcel_tile';

CREATE OR REPLACE FUNCTION parcel_gov.firm_plan(uscc text, year integer DEFAULT NULL)
    RETURNS TABLE (section text, item text, value double precision, reference double precision, unit text,
                   sentence text, sentence_en text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firm constant text := firm_plan.uscc;
    y integer := firm_plan.year;
    e record;
    p record;
    next_text text;
BEGIN
    IF firm IS NULL THEN
        RAISE EXCEPTION 'firm_plan needs a firm''s code' USING ERRCODE = '22004',
            HINT = 'e.g. firm_plan(''91330604MA2C00089F'', 2024).';
    END IF;
    IF y IS NULL THEN
        SELECT max(v.year) INTO y FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm;
    END IF;
    SELECT * INTO e FROM parcel_gov.v_enterprise_evaluation v WHERE v.uscc = firm AND v.year = y;
    IF NOT FOUND THEN
        -- another county's firm is as absent as one that does not exist
        RAISE EXCEPTION 'no evaluation of firm % in %', firm, coalesce(y::text, 'any year') USING ERRCODE = '22023',
            HINT = 'SELECT uscc, year FROM parcel_gov.v_enterprise_evaluation lists the firms and years you may see.';
    END IF;
    SELECT * INTO p FROM parcel_gov.v_firm_plan v WHERE v.uscc = firm AND v.year = y AND v.region_code = e.region_code;

    -- where it stands
    IF e.grade_initial IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', NULL::float8, NULL::float8, NULL::text,
            format('%s 年未参评：%s', y, e.not_graded), format('Not graded in %s: %s', y, e.not_graded);
    ELSIF p IS NULL OR p.next_grade IS NULL THEN
        RETURN QUERY SELECT 'standing', 'grade', e.score, NULL::float8, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s），分组内无更高等级可升。', y, round(e.score::numeric, 2),
                   e.grade_initial, e.grade_initial_label),
            format('Score %s in %s, grade %s: no better grade to reach in its pool.', round(e.score::numeric, 2), y,
                   e.grade_initial);
    ELSE
        next_text := format('%s 类（%s）', p.next_grade, p.next_grade_label);
        RETURN QUERY SELECT 'standing', 'grade', p.score, p.next_grade_score, '分',
            format('%s 年综合得分 %s，初评 %s 类（%s）；升至 %s需 %s 分，差 %s 分。', y, round(p.score::numeric, 2),
                   p.grade, p.grade_label, next_text, round(p.next_grade_score::numeric, 2),
                   parcel_gov.plan_amount(p.score_gap)),
            format('Score %s in %s, grade %s; grade %s needs %s: %s points short.', round(p.score::numeric, 2), y,
                   p.grade, p.next_grade, round(p.next_grade_score::numeric, 2), parcel_gov.plan_amount(p.score_gap));
        IF e.veto_reason IS NOT NULL THEN
            RETURN QUERY SELECT 'standing', 'veto', NULL::float8, NULL::float8, NULL::text,
                format('一票否决（%s）：最终等级为 D 类，须先消除否决事项。', e.veto_reason),
                format('Vetoed (%s): the final grade is D until the veto is lifted.', e.veto_reason);
        END IF;
        -- each lever alone, then the three in one sentence
        RETURN QUERY SELECT 'lever', 'tax', p.tax_needed, NULL::float8, '万元',
            CASE WHEN p.tax_needed IS NULL THEN format('仅增加税收无法升至 %s。', next_text)
                 ELSE format('再缴税 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.tax_needed), next_text) END,
            CASE WHEN p.tax_needed IS NULL THEN format('No amount of tax alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more tax alone lifts it to grade %s.', parcel_gov.plan_amount(p.tax_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'value_added', p.va_needed, NULL::float8, '万元',
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN '本分组不考核工业增加值。'
                 WHEN p.va_needed IS NULL THEN format('仅增加工业增加值无法升至 %s。', next_text)
                 ELSE format('工业增加值再增 %s 万元，可升至 %s。', parcel_gov.plan_amount(p.va_needed), next_text) END,
            CASE WHEN p.va_needed IS NULL AND NOT p.va_scored THEN 'Value added is not scored in this pool.'
                 WHEN p.va_needed IS NULL THEN format('No amount of value added alone lifts it to grade %s.', p.next_grade)
                 ELSE format('%s 万元 more value added alone lifts it to grade %s.', parcel_gov.plan_amount(p.va_needed),
                             p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'land', p.land_to_release_mu, p.area_mu, '亩',
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('退出用地无法升至 %s（须保留参评下限 %s 亩）。', next_text, p.land_floor_mu)
                 ELSE format('退出（出租或交回）用地 %s 亩，可升至 %s。', parcel_gov.plan_amount(p.land_to_release_mu),
                             next_text) END,
            CASE WHEN p.land_to_release_mu IS NULL
                 THEN format('No land given back lifts it to grade %s (it keeps at least %s mu).', p.next_grade,
                             p.land_floor_mu)
                 ELSE format('Giving back %s mu (leased out or returned) alone lifts it to grade %s.',
                             parcel_gov.plan_amount(p.land_to_release_mu), p.next_grade) END;
        RETURN QUERY SELECT 'lever', 'any', NULL::float8, NULL::float8, NULL::text,
            concat_ws('，或', '再缴税 ' || parcel_gov.plan_amount(p.tax_needed) || ' 万元',
                      '工业增加值再增 ' || parcel_gov.plan_amount(p.va_needed) || ' 万元',
                      '退出 ' || parcel_gov.plan_amount(p.land_to_release_mu) || ' 亩')
              || format('，可升至 %s。', next_text),
            concat_ws(', or ', parcel_gov.plan_amount(p.tax_needed) || ' 万元 more tax',
                      parcel_gov.plan_amount(p.va_needed) || ' 万元 more value added',
                      parcel_gov.plan_amount(p.land_to_release_mu) || ' mu given back')
              || format(' lifts it to grade %s.', p.next_grade)
        WHERE num_nonnulls(p.tax_needed, p.va_needed, p.land_to_release_mu) > 0;
    END IF;

    -- the tax tiers still above it
    RETURN QUERY
    SELECT 'tier', t.bound::text, parcel_gov.per_mu_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound),
           parcel_gov.per_mu_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound), '万元 / 亩',
           format('亩均税收达到 %s 万元/亩：再缴税 %s 万元', t.bound,
                  parcel_gov.plan_amount(parcel_gov.per_mu_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound)))
             || coalesce(format('，或退出 %s 亩', parcel_gov.plan_amount(
                    parcel_gov.per_mu_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound))), '') || '。',
           format('To reach %s 万元/亩: %s 万元 more tax', t.bound,
                  parcel_gov.plan_amount(parcel_gov.per_mu_lever('tax', coalesce(e.tax, 0), e.area_mu, t.bound)))
             || coalesce(format(', or %s mu given back', parcel_gov.plan_amount(
                    parcel_gov.per_mu_lever('land', coalesce(e.tax, 0), e.area_mu, t.bound))), '') || '.'
    FROM unnest('{5,10,15}'::float8[]) AS t (bound)
    WHERE e.area_mu > 0 AND coalesce(e.tax_per_mu, 0) < t.bound
    ORDER BY t.bound;

    -- the indicators against the pool's benchmarks
    RETURN QUERY
    SELECT 'indicator', ri.indicator::text, (to_jsonb(e) ->> ri.indicator::text)::float8, b.benchmark, u.unit,
           format('%s %s，基准 %s，得 %s / %s 分', parcel_gov.label(ri.indicator),
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), '无数据'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight),
           format('%s %s against a benchmark of %s: %s of %s points', ri.indicator,
                  coalesce(parcel_gov.plan_figure((to_jsonb(e) ->> ri.indicator::text)::float8), 'no figure'),
                  coalesce(parcel_gov.plan_figure(b.benchmark), '—'),
                  round((to_jsonb(e) ->> ('score_' || ri.indicator::text))::numeric, 2), ri.weight)
    FROM parcel_gov.rule_indicator ri
    LEFT JOIN parcel_gov.evaluation_benchmark b
           ON b.year = y AND b.region_code = e.region_code AND b.pool::text = e.pool
          AND b.rule_set_id = e.rule_set_id AND b.indicator = ri.indicator
    CROSS JOIN LATERAL (SELECT CASE WHEN ri.indicator::text LIKE '%per_mu' THEN '万元/亩'
                                    WHEN ri.indicator = 'labour_productivity' THEN '万元/人'
                                    WHEN ri.indicator = 'va_per_energy' THEN '万元/吨标煤'
                                    WHEN ri.indicator = 'va_per_emission' THEN '万元/吨'
                                    WHEN ri.indicator = 'tax_per_kwh' THEN '万元/千瓦时'
                                    ELSE '' END AS unit) AS u
    WHERE ri.rule_set_id = e.rule_set_id AND ri.pool::text = e.pool
    ORDER BY ri.indicator;

    -- the years evaluated
    RETURN QUERY
    SELECT 'trend', v.year::text, v.score, v.tax_per_mu, '分 / 万元每亩',
           format('%s 年：%s，得分 %s，亩均税收 %s 万元/亩', v.year,
                  coalesce(v.grade || ' 类', '未参评'), coalesce(round(v.score::numeric, 2)::text, '—'),
                  coalesce(round(v.tax_per_mu::numeric, 2)::text, '—')),
           format('%s: %s, score %s, tax per mu %s 万元', v.year, coalesce('grade ' || v.grade, 'not graded'),
                  coalesce(round(v.score::numeric, 2)::text, '—'), coalesce(round(v.tax_per_mu::numeric, 2)::text, '—'))
    FROM parcel_gov.v_enterprise_evaluation v
    WHERE v.uscc = firm
    ORDER BY v.year;
END $$;
COMMENT ON FUNCTION parcel_gov.firm_plan(text, integer) IS
  '一企一策 one firm''s page for a year (latest evaluated by default): where it stands against the next grade, each lever (tax, value added, land) in a sentence in Chinese and English with amounts rounded up, the tax tiers above it, its indicators against the pool''s benchmarks and its grades over the years; sections standing, lever, tier, indicator, trend';

-- A firm in a park is held to the limits, and the 两高 lines, of its rule set.
CREATE OR REPLACE FUNCTION parcel_gov.figures_beyond_limits(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, figure text, amount double precision, base double precision,
                   line double precision, unit text, basis text, rule_set text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- each firm-year looked up by its keys (LATERAL): the plan never depends
    -- on statistics the rows just written have not reached
    SELECT f.uscc, f.year, x.figure, x.amount, x.base, x.line, x.unit, x.basis, r.id
    FROM parcel_gov.net_land_mu(figures_beyond_limits.firms, figures_beyond_limits.years) AS h
    CROSS JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y WHERE y.uscc = h.uscc AND y.year = h.year) AS f
    CROSS JOIN LATERAL (SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = h.uscc) AS e
    CROSS JOIN LATERAL (SELECT r.* FROM parcel_gov.rule_set r
                        WHERE r.id = parcel_gov.rule_set_for(e.region_code, f.year,
                                                             parcel_gov.firm_in_park(f.uscc, f.year))) AS r
    CROSS JOIN LATERAL (VALUES ('亩均税收 (tax per mu)', f.tax, h.net_mu, r.max_tax_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.tax, round(h.net_mu::numeric, 2))),
                               ('亩均增加值 (value added per mu)', f.value_added, h.net_mu, r.max_va_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.value_added, round(h.net_mu::numeric, 2))),
                               -- 万元 per kWh as 元 per kWh
                               ('单位电耗税收 (tax per kWh)', f.tax * 1e4, f.electricity_kwh, r.max_tax_per_kwh, '元/千瓦时',
                                format('%s 万元 on %s kWh', f.tax, f.electricity_kwh)))
                        AS x(figure, amount, base, line, unit, basis)
    WHERE NOT f.figures_confirmed AND x.base > 0 AND x.amount / x.base > x.line;
END;
COMMENT ON FUNCTION parcel_gov.figures_beyond_limits(text[], integer[]) IS
  'internal: of the given firm-years, the figures beyond their rule set''s max_tax_per_mu / max_va_per_mu (on the year''s net land) / max_tax_per_kwh (not figures_confirmed), with the value, the basis and the limit';

CREATE OR REPLACE VIEW parcel_gov.v_two_high WITH (security_invoker = true) AS
WITH start AS (
    SELECT p.holder_uscc AS uscc, min(p.supply_date) AS project_start
    FROM parcel_gov.parcel p WHERE p.holder_uscc IS NOT NULL GROUP BY p.holder_uscc
), firm AS (
    SELECT fy.year, fy.uscc, f.name, f.region_code, fy.energy_tce, s.project_start,
           parcel_gov.rule_set_for(f.region_code, fy.year, parcel_gov.firm_in_park(fy.uscc, fy.year)) AS rule_set_id
    FROM parcel_gov.enterprise_year fy
    JOIN parcel_gov.enterprise f ON f.uscc = fy.uscc
    LEFT JOIN start s ON s.uscc = fy.uscc
    WHERE fy.energy_tce IS NOT NULL
), judged AS (
    SELECT x.*, coalesce(x.project_start >= n.two_high_since, false) AS new_project,
           CASE WHEN x.project_start >= n.two_high_since THEN n.two_high_tce_since ELSE n.two_high_tce_before END
             AS two_high_line_tce
    FROM firm x
    JOIN parcel_gov.rule_new_land n ON n.rule_set_id = x.rule_set_id
    WHERE n.two_high_since IS NOT NULL
)
SELECT j.year, j.uscc::text AS uscc, j.name, j.region_code, j.rule_set_id, j.energy_tce, j.project_start,
       j.new_project, j.two_high_line_tce
FROM judged j
WHERE j.energy_tce >= j.two_high_line_tce;
-- The presets as a fresh install ships them.  Built-in rows are read-only to
-- everyone, so the guards of rule_set and rule_pool step aside for these
-- rows; the new preset's rows are written while it is not yet built in (an
-- ALTER of rule_indicator would meet the pending check of its weights).
ALTER TABLE parcel_gov.rule_set DISABLE TRIGGER rule_set_builtin_read_only;
ALTER TABLE parcel_gov.rule_pool DISABLE TRIGGER rule_pool_builtin_read_only;
UPDATE parcel_gov.rule_set SET firm_scope = 'in_park',
    source = '温岭 2022 parks: firms of the industrial park and development zone only (article 一: firm_scope in_park), five industry groups, 规下 quotas 5/75/95, rental deductions (article 二: 规上 0 then 5 per lessee, 规下 10 then 5 per 规下 lessee); its rule for 规上 park firms graded C or D (article 四) is not reproduced: the reachable text breaks off before its condition and effect; indicator weights not published: 黄岩 weights for 规上, 50/50 tax and revenue per mu for 规下'
WHERE id = 'wenling_2022_parks' AND builtin;
UPDATE parcel_gov.rule_pool SET rental_lessees = 'below'
WHERE rule_set_id = 'wenling_2022_parks' AND pool = 'below'
  AND rule_set_id IN (SELECT id FROM parcel_gov.rule_set WHERE builtin);
ALTER TABLE parcel_gov.rule_pool ENABLE TRIGGER rule_pool_builtin_read_only;
INSERT INTO parcel_gov.rule_set (id, name, region_prefix, builtin, source) VALUES
  ('shangyu_2022', '上虞区 2022 (规下制造业 3 亩以上)', NULL, false,
   '上虞区 2022 "腾笼换鸟、凤凰涅槃" plan: 规下 制造业 (GB/T 4754 section C) firms are evaluated on 实际用地 3 亩以上, so the 3-mu floor holds for section C only; weights, benchmarks and quotas as the default (上虞 publishes none)');
INSERT INTO parcel_gov.rule_pool (rule_set_id, pool, a_share, b_share, c_share, land_floor_mu,
                                  group_by_industry, rental_first_deduction, rental_further_deduction,
                                  low_tax_per_mu, land_floor_sections) VALUES
  ('shangyu_2022', 'above', 0.20, 0.80, 0.95, 0, false, 0, 0, 6, NULL),
  ('shangyu_2022', 'below', 0.20, 0.80, 0.95, 3, false, 0, 0, 3, '{C}');
INSERT INTO parcel_gov.rule_indicator (rule_set_id, pool, indicator, weight, benchmark_fixed, missing)
SELECT 'shangyu_2022', i.pool, i.indicator, i.weight, i.benchmark_fixed, i.missing
FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = 'default';
-- its weights are checked now, not at commit: the transaction the update runs
-- in may go on to drop the extension (pending events would forbid it)
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 IMMEDIATE;
SET CONSTRAINTS parcel_gov.rule_indicator_weights_sum_to_100 DEFERRED;
INSERT INTO parcel_gov.rule_new_land
SELECT 'shangyu_2022', n.two_high_since, n.two_high_tce_since, n.two_high_tce_before, n.min_far_since, n.min_far,
       n.standard_land_since, n.source
FROM parcel_gov.rule_new_land n WHERE n.rule_set_id = 'default';
INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, shutdown_when_overdue, source)
SELECT 'shangyu_2022', i.department, i.blocks_exit, i.shutdown_when_overdue, i.source
FROM parcel_gov.rule_issue i WHERE i.rule_set_id = 'default';
UPDATE parcel_gov.rule_set SET builtin = true WHERE id = 'shangyu_2022';
ALTER TABLE parcel_gov.rule_set ENABLE TRIGGER rule_set_builtin_read_only;
