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
