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
