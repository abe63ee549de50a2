-- Firms' yearly figures from the bureaus' spreadsheets (README "Load this
-- year's data"): a staging table as \copy or ogr2ogr leaves it, columns
-- named by the bureau's headers (bureau_header), checked row by row in
-- sets, then firms created and the year's figures upserted in two
-- statements.  Nothing is dropped or accepted without a word: every row
-- comes back imported, flagged (imported, with something to check) or
-- rejected, and every header not used comes back as ignored.

-- One source row read: its cells parsed, its firm looked up, what stops it
-- (rejects) and what the clerk should check (flags).
CREATE FUNCTION parcel_gov.import_enterprise_years(source regclass, year integer, region text,
                                                   accept_implausible boolean DEFAULT false)
    RETURNS TABLE (source_row bigint, uscc text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- the staging table's columns: header, what it names, unit factor, numeric type
    cols jsonb;
    problems text;
    pick text := '';
    col record;
    figure text;
    limits record;
    upsert_cols text;
    upsert_vals text;
    upsert_set text;
    -- the sheet's own words for the figures the limits name
    tax_header text;
    va_header text;
    kwh_header text;
BEGIN
    -- As its caller, like import_parcels(): the staging table is the
    -- caller's, and the firms and figures are theirs to write, under their
    -- row-level security and the tables' triggers.
    PERFORM parcel_gov.require_caller('import_enterprise_years', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region AND r.level = 'county' AND r.valid_to IS NULL) THEN
        RAISE EXCEPTION 'region "%" is not a current county', region USING ERRCODE = '22023',
            HINT = 'Firms are filed under their county''s 6-digit code, e.g. 330604 (SELECT code, name FROM parcel_gov.region WHERE level = ''county'').';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 1949 AND 2200 THEN
        RAISE EXCEPTION 'year % is not a year of figures', year USING ERRCODE = '22023',
            HINT = 'Give the year the figures are for, e.g. 2024.';
    END IF;

    SELECT jsonb_agg(jsonb_build_object('header', a.attname, 'target', h.target, 'unit', h.unit,
                                        'factor', h.factor, 'problem', h.problem,
                                        'numeric', t.typcategory = 'N') ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL parcel_gov.bureau_header(a.attname) h
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname NOT IN ('ogc_fid', 'fid');   -- ogr2ogr's row number
    cols := coalesce(cols, '[]');
    SELECT string_agg(c ->> 'problem', '; ') INTO problems
    FROM jsonb_array_elements(cols) c WHERE c ->> 'problem' IS NOT NULL;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'headers of % cannot be read: %', source, problems USING ERRCODE = '22023',
            HINT = 'Name each figure''s unit in its header, e.g. 税收(万元), 用电量(万千瓦时); README "Load this year''s data" lists the headers and units.';
    END IF;
    SELECT string_agg(format('"%s" and "%s"', c.a, c.b), ', ') INTO problems
    FROM (SELECT x ->> 'header' AS a, y ->> 'header' AS b
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS i(x, n)
          JOIN jsonb_array_elements(cols) WITH ORDINALITY AS j(y, m) ON m > n AND x ->> 'target' = y ->> 'target') AS c;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % name the same figure twice: %', source, problems USING ERRCODE = '22023',
            HINT = 'Keep one column per figure in the staging table.';
    END IF;
    IF NOT cols @> '[{"target": "uscc"}]' OR NOT cols @> '[{"target": "size_class"}]' THEN
        RAISE EXCEPTION '% has no % column', source,
              CASE WHEN NOT cols @> '[{"target": "uscc"}]' THEN '统一社会信用代码' ELSE '规模' END
            USING ERRCODE = '42703',
            HINT = 'The file needs 统一社会信用代码 and 规模 (规上/规下) besides its figures; README "Load this year''s data" has the template.';
    END IF;

    -- every cell as text, under its target's name
    FOR col IN SELECT c ->> 'header' AS header, c ->> 'target' AS target
               FROM jsonb_array_elements(cols) c WHERE c ->> 'target' IS NOT NULL LOOP
        pick := pick || format(', %I::text AS %I', col.header, col.target);
    END LOOP;
    IF to_regclass('pg_temp.import_firm_cells') IS NOT NULL THEN
        DROP TABLE pg_temp.import_firm_cells, pg_temp.import_firm_rows;
    END IF;
    EXECUTE format('CREATE TEMP TABLE import_firm_cells AS SELECT row_number() OVER (ORDER BY ctid) AS n%s FROM %s',
                   pick, source);
    -- the columns the file did not have, as empty cells
    FOR figure IN SELECT t FROM unnest(ARRAY['uscc', 'name', 'industry_code', 'size_class', 'year', 'tax',
                                             'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                             'emission_t', 'electricity_kwh', 'exempt_reason', 'veto_reason',
                                             'bonus', 'deduction']) AS t
                  WHERE NOT cols @> jsonb_build_array(jsonb_build_object('target', t)) LOOP
        EXECUTE format('ALTER TABLE pg_temp.import_firm_cells ADD COLUMN %I text', figure);
    END LOOP;

    SELECT max(c ->> 'header') FILTER (WHERE c ->> 'target' = 'tax'),
           max(c ->> 'header') FILTER (WHERE c ->> 'target' = 'value_added'),
           max(c ->> 'header') FILTER (WHERE c ->> 'target' = 'electricity_kwh')
    INTO tax_header, va_header, kwh_header
    FROM jsonb_array_elements(cols) c;
    SELECT r.id, r.max_tax_per_mu, r.max_va_per_mu, r.max_tax_per_kwh INTO limits
    FROM parcel_gov.rule_set r WHERE r.id = parcel_gov.rule_set_for(region, year);

    CREATE TEMP TABLE import_firm_rows AS
    WITH factor AS (
        SELECT c ->> 'target' AS target, (c ->> 'factor')::double precision AS f, c ->> 'header' AS header,
               (c ->> 'numeric')::boolean AS is_number
        FROM jsonb_array_elements(cols) c WHERE c ->> 'target' IS NOT NULL
    ), f AS (
        SELECT jsonb_object_agg(target, f) AS f, jsonb_object_agg(target, header) AS h,
               jsonb_object_agg(target, is_number) AS num
        FROM factor
    ), read AS (
        SELECT c.n,
               upper(regexp_replace(c.uscc, '[\s\u3000-]', '', 'g')) AS uscc,
               nullif(btrim(regexp_replace(c.name, '[\s\u3000]+', ' ', 'g')), '') AS name,
               nullif(regexp_replace(c.industry_code, '(\.0+)?\s*$', ''), '') AS industry_given,
               nullif(btrim(c.size_class), '') AS size_given,
               parcel_gov.bureau_number(c.year) AS year_given,
               nullif(btrim(c.exempt_reason), '') AS exempt_reason, nullif(btrim(c.veto_reason), '') AS veto_reason,
               x.target, x.cell, parcel_gov.bureau_number(x.cell) * (f.f ->> x.target)::double precision AS amount,
               f.h ->> x.target AS header, (f.num ->> 'industry_code')::boolean AS industry_was_number
        FROM pg_temp.import_firm_cells c
        CROSS JOIN f
        CROSS JOIN LATERAL (VALUES ('tax', c.tax), ('value_added', c.value_added), ('revenue', c.revenue),
                                   ('rd_expense', c.rd_expense), ('staff', c.staff), ('energy_tce', c.energy_tce),
                                   ('emission_t', c.emission_t), ('electricity_kwh', c.electricity_kwh),
                                   ('bonus', c.bonus), ('deduction', c.deduction)) AS x(target, cell)
    ), figures AS (
        -- one row per source row, its figures side by side, and what is wrong with them
        SELECT r.n, r.uscc, r.name, r.industry_given, r.size_given, r.year_given, r.exempt_reason, r.veto_reason,
               r.industry_was_number,
               max(r.amount) FILTER (WHERE r.target = 'tax') AS tax,
               max(r.amount) FILTER (WHERE r.target = 'value_added') AS value_added,
               max(r.amount) FILTER (WHERE r.target = 'revenue') AS revenue,
               max(r.amount) FILTER (WHERE r.target = 'rd_expense') AS rd_expense,
               max(r.amount) FILTER (WHERE r.target = 'staff') AS staff,
               max(r.amount) FILTER (WHERE r.target = 'energy_tce') AS energy_tce,
               max(r.amount) FILTER (WHERE r.target = 'emission_t') AS emission_t,
               max(r.amount) FILTER (WHERE r.target = 'electricity_kwh') AS electricity_kwh,
               max(r.amount) FILTER (WHERE r.target = 'bonus') AS bonus,
               max(r.amount) FILTER (WHERE r.target = 'deduction') AS deduction,
               array_agg(format('%s "%s" is not a number', r.header, r.cell) ORDER BY r.header)
                 FILTER (WHERE r.amount = 'NaN') AS not_numbers,
               array_agg(format('%s %s is negative', r.header, r.cell) ORDER BY r.header)
                 FILTER (WHERE r.amount < 0 AND r.target NOT IN ('tax', 'value_added', 'rd_expense')) AS negatives,
               array_agg(format('%s %s is beyond any firm (a unit or typing mistake)', r.header, r.cell) ORDER BY r.header)
                 FILTER (WHERE r.amount <> 'NaN' AND abs(r.amount) >= CASE r.target WHEN 'staff' THEN 1e7
                                                                         WHEN 'electricity_kwh' THEN 1e12 ELSE 1e9 END)
                 AS too_large
        FROM read r
        GROUP BY r.n, r.uscc, r.name, r.industry_given, r.size_given, r.year_given, r.exempt_reason, r.veto_reason,
                 r.industry_was_number
    ), coded AS (
        SELECT g.*,
               CASE g.size_given WHEN '规上' THEN 'above' WHEN '规模以上' THEN 'above'
                                 WHEN '规下' THEN 'below' WHEN '规模以下' THEN 'below' END::parcel_gov.size_class AS size_class,
               CASE WHEN g.industry_given IS NULL THEN NULL
                    -- a code read from a number column may have lost its leading zero (0610 → 610)
                    WHEN g.industry_was_number AND length(g.industry_given) IN (1, 3) THEN NULL
                    ELSE parcel_gov.industry_code_normal(g.industry_given) END AS industry_code,
               -- the same firm twice: once when the rows agree, never when they differ
               min(g.n) OVER same AS first_row,
               count(*) OVER same AS copies,
               min(row(g.name, g.industry_given, g.size_given, g.tax, g.value_added, g.revenue, g.rd_expense, g.staff,
                       g.energy_tce, g.emission_t, g.electricity_kwh, g.bonus, g.deduction, g.exempt_reason,
                       g.veto_reason)::text) OVER same
                 = max(row(g.name, g.industry_given, g.size_given, g.tax, g.value_added, g.revenue, g.rd_expense,
                           g.staff, g.energy_tce, g.emission_t, g.electricity_kwh, g.bonus, g.deduction,
                           g.exempt_reason, g.veto_reason)::text) OVER same AS copies_agree,
               string_agg(g.n::text, ', ') OVER (PARTITION BY g.uscc ORDER BY g.n
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS copy_rows
        FROM figures g
        WINDOW same AS (PARTITION BY g.uscc)
    ), known AS (
        -- the firm as the caller sees it (row-level security), and the land it holds
        SELECT c.*, e.uscc IS NOT NULL AS firm_seen, e.region_code AS firm_region, e.name AS stored_name,
               e.industry_code AS stored_industry,
               (SELECT sum(p.area_mu) FROM parcel_gov.parcel p WHERE p.holder_uscc = e.uscc) AS held
        FROM coded c
        -- looked up by key: the staging table has no statistics
        LEFT JOIN LATERAL (SELECT e.* FROM parcel_gov.enterprise e
                           WHERE e.uscc = c.uscc AND c.uscc ~ '^[0-9A-Z]{18}$') AS e ON true
    )
    SELECT k.*,
           array_remove(ARRAY[
             CASE WHEN k.uscc IS NULL OR k.uscc = '' THEN 'no 统一社会信用代码'
                  WHEN k.uscc ~ '^[0-9]{15}$'
                    THEN format('%s is a 15-digit 工商注册号 (business registration number), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', k.uscc)
                  WHEN k.uscc ~ '^[0-9A-Z]{8}[0-9X]$'
                    THEN format('%s is a 9-character 组织机构代码 (organisation code), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', k.uscc)
                  WHEN NOT parcel_gov.uscc_early(k.uscc) AND parcel_gov.uscc_problem(k.uscc) IS NOT NULL
                    THEN format('统一社会信用代码 %s %s', k.uscc, parcel_gov.uscc_problem(k.uscc)) END,
             CASE WHEN k.copies > 1 AND NOT k.copies_agree
                    THEN format('rows %s give different figures for the same firm: none imported', k.copy_rows)
                  WHEN k.copies > 1 AND k.n <> k.first_row
                    THEN format('the same firm and figures as row %s: imported once', k.first_row) END,
             CASE WHEN k.year_given IS NOT NULL AND k.year_given IS DISTINCT FROM import_enterprise_years.year
                    THEN format('年度 %s, not %s', k.year_given, import_enterprise_years.year) END,
             CASE WHEN k.size_given IS NULL THEN 'no 规模 (规上 or 规下)'
                  WHEN k.size_class IS NULL THEN format('规模 "%s" is not 规上, 规下, 规模以上 or 规模以下', k.size_given) END,
             CASE WHEN NOT k.firm_seen AND k.name IS NULL THEN 'a new firm needs its 企业名称' END,
             CASE WHEN k.firm_seen AND NOT starts_with(k.firm_region, import_enterprise_years.region)
                    THEN format('a firm of %s, not of %s: its county imports its figures', k.firm_region,
                                import_enterprise_years.region) END,
             array_to_string(k.not_numbers, '; '), array_to_string(k.negatives, '; '),
             array_to_string(k.too_large, '; ')], NULL) AS rejects,
           array_remove(ARRAY[
             CASE WHEN parcel_gov.uscc_early(k.uscc)
                    THEN format('统一社会信用代码 %s: %s (an early code?): stored; confirm it against the business licence (v_uscc_early)',
                                k.uscc, parcel_gov.uscc_problem(k.uscc)) END,
             CASE WHEN k.industry_given IS NOT NULL AND k.industry_code IS NULL AND k.industry_was_number
                       AND length(k.industry_given) IN (1, 3)
                    THEN format('行业代码 %s came from a number column and may have lost a leading zero (0%s?): left empty; load the column as text',
                                k.industry_given, k.industry_given)
                  WHEN k.industry_given IS NOT NULL AND k.industry_code IS NULL
                    THEN format('行业代码 "%s" %s: left empty', k.industry_given,
                                coalesce(parcel_gov.industry_code_problem(upper(k.industry_given)), 'is no GB/T 4754 code'))
                  WHEN k.firm_seen AND k.industry_code IS DISTINCT FROM k.stored_industry AND k.industry_code IS NOT NULL
                    THEN format('行业代码 %s differs from the stored %s: the stored code is kept', k.industry_code,
                                coalesce(k.stored_industry, 'none')) END,
             CASE WHEN k.firm_seen AND k.name IS NOT NULL AND k.name <> k.stored_name
                    THEN format('企业名称 "%s" differs from the stored "%s": the stored name is kept', k.name, k.stored_name) END
           ], NULL) AS flags,
           -- beyond the rule set's limits: the figure, the unit read and the value it gives
           array_remove(ARRAY[
             CASE WHEN k.held > 0 AND k.tax / k.held > limits.max_tax_per_mu
                    THEN format('%s read as %s 万元 gives 亩均税收 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                tax_header,
                                trim_scale(round(k.tax::numeric, 4)), round((k.tax / k.held)::numeric, 2), round(k.held::numeric, 2),
                                limits.max_tax_per_mu, limits.id) END,
             CASE WHEN k.held > 0 AND k.value_added / k.held > limits.max_va_per_mu
                    THEN format('%s read as %s 万元 gives 亩均增加值 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                va_header,
                                trim_scale(round(k.value_added::numeric, 4)), round((k.value_added / k.held)::numeric, 2),
                                round(k.held::numeric, 2), limits.max_va_per_mu, limits.id) END,
             CASE WHEN k.electricity_kwh > 0 AND k.tax * 1e4 / k.electricity_kwh > limits.max_tax_per_kwh
                    THEN format('%s read as %s 万元 on %s read as %s kWh gives %s 元 of tax per kWh, beyond the limit of %s (rule set %s)',
                                tax_header,
                                trim_scale(round(k.tax::numeric, 4)),
                                kwh_header,
                                trim_scale(round(k.electricity_kwh::numeric, 2)), round((k.tax * 1e4 / k.electricity_kwh)::numeric, 2),
                                limits.max_tax_per_kwh, limits.id) END
           ], NULL) AS implausible
    FROM known k;

    -- new firms, for the rows that go in; a firm that exists but the caller
    -- cannot see is another county's ("not found or not permitted")
    INSERT INTO parcel_gov.enterprise (uscc, name, region_code, industry_code)
    SELECT DISTINCT ON (r.uscc) r.uscc, r.name, import_enterprise_years.region, r.industry_code
    FROM pg_temp.import_firm_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible) AND NOT r.firm_seen
    ORDER BY r.uscc, r.n
    ON CONFLICT DO NOTHING;
    UPDATE pg_temp.import_firm_rows r
    SET rejects = r.rejects || format('firm %s not found or not permitted: a firm of another county, whose county imports its figures', r.uscc)
    WHERE cardinality(r.rejects) = 0 AND NOT r.firm_seen
      AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc = r.uscc);

    -- the year's figures: the columns the file has, as given (converted into
    -- the stored units); the columns it lacks keep what is stored
    SELECT string_agg(format('%I', t), ', '),
           string_agg(CASE WHEN t IN ('bonus', 'deduction') THEN format('coalesce(r.%I, 0)', t)
                           ELSE format('r.%I', t) END, ', '),
           string_agg(format('%I = EXCLUDED.%I', t, t), ', ')
    INTO upsert_cols, upsert_vals, upsert_set
    FROM unnest(ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce', 'emission_t',
                      'electricity_kwh', 'exempt_reason', 'veto_reason', 'bonus', 'deduction']) AS t
    WHERE cols @> jsonb_build_array(jsonb_build_object('target', t));
    EXECUTE format(
        'INSERT INTO parcel_gov.enterprise_year (uscc, year, size_class, figures_confirmed%s)
         SELECT r.uscc, $1, r.size_class, cardinality(r.implausible) > 0%s
         FROM pg_temp.import_firm_rows r
         WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR $2)
         ON CONFLICT (uscc, year) DO UPDATE SET size_class = EXCLUDED.size_class,
                                                figures_confirmed = EXCLUDED.figures_confirmed%s',
        coalesce(', ' || upsert_cols, ''), coalesce(', ' || upsert_vals, ''), coalesce(', ' || upsert_set, ''))
    USING import_enterprise_years.year, accept_implausible;

    RETURN QUERY
    SELECT o.source_row, o.uscc, o.outcome, o.reason
    FROM (SELECT NULL::bigint AS source_row, NULL::text AS uscc, 'ignored' AS outcome,
                 format('column "%s" is not a header this import knows: ignored', c ->> 'header') AS reason,
                 o.n AS column_order
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS o(c, n) WHERE c ->> 'target' IS NULL
          UNION ALL
          SELECT r.n, nullif(r.uscc, ''),
                 CASE WHEN cardinality(r.rejects) > 0 OR (cardinality(r.implausible) > 0 AND NOT accept_implausible)
                        THEN 'rejected'
                      WHEN cardinality(r.flags) > 0 OR cardinality(r.implausible) > 0 THEN 'flagged'
                      ELSE 'imported' END,
                 nullif(array_to_string(
                   CASE WHEN cardinality(r.rejects) > 0 THEN r.rejects
                        WHEN cardinality(r.implausible) > 0 AND NOT accept_implausible
                          THEN r.implausible || 'if the figures are right as they are, import again with accept_implausible => true'::text
                        ELSE r.flags || r.implausible END, '; '), ''),
                 0
          FROM pg_temp.import_firm_rows r) AS o
    ORDER BY o.source_row NULLS FIRST, o.column_order;
    DROP TABLE pg_temp.import_firm_cells, pg_temp.import_firm_rows;
END $$;
COMMENT ON FUNCTION parcel_gov.import_enterprise_years(regclass, integer, text, boolean) IS
  '导入企业年度数据: a staging table with the bureau''s headers and units (税收(元), 用电量(万千瓦时), 行业代码 3311, 规上/规下) into enterprise and enterprise_year for one county and year; every row imported, flagged or rejected with its reason, unknown headers ignored and named';

-- The firms whose code is early (only its check character fails) and not
-- yet confirmed against the business licence: for the clerk.
CREATE VIEW parcel_gov.v_uscc_early WITH (security_invoker = true) AS
SELECT e.uscc::text AS uscc, e.name, e.region_code,
       parcel_gov.uscc_problem(e.uscc) AS problem, e.uscc_confirmed
FROM parcel_gov.enterprise e
WHERE parcel_gov.uscc_early(e.uscc);
COMMENT ON VIEW parcel_gov.v_uscc_early IS
  '待核实代码 (early codes): firms whose 统一社会信用代码 fails only its check character, stored as given; confirm each against the business licence (UPDATE enterprise SET uscc_confirmed = true)';
COMMENT ON COLUMN parcel_gov.v_uscc_early.problem IS
  '代码问题: what fails in the code (its check character)';
COMMENT ON COLUMN parcel_gov.v_uscc_early.uscc_confirmed IS
  '代码已核实: confirmed against the business licence';
