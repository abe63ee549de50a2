-- Firms' yearly figures from the bureaus' spreadsheets (README "Load this
-- year's data"): a staging table as \copy or ogr2ogr leaves it, columns
-- named by the bureau's headers (bureau_header), read in three set-based
-- steps: the cells parsed into the stored units, each row checked against
-- what is stored, then firms created and the year's figures upserted.
-- Nothing is dropped or accepted without a word: every row comes back
-- imported, flagged (imported, with something to check) or rejected, and
-- every column not used comes back as ignored.

CREATE FUNCTION parcel_gov.import_enterprise_years(source regclass, year integer, region text,
                                                   accept_implausible boolean DEFAULT false)
    RETURNS TABLE (source_row bigint, uscc text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    figures constant text[] := ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                     'emission_t', 'electricity_kwh', 'water_t', 'cod_t', 'main_revenue',
                                     'bonus', 'deduction'];
    -- the staging table's columns: header, what it names, unit factor, number type
    cols jsonb;
    -- target → the sheet's header, for the figures it has
    headers jsonb;
    problems text;
    pick text;
    row_number_sql text;
    limits record;
BEGIN
    -- As its caller, like import_parcels(): the firms and figures are the
    -- caller's to write, under their row-level security and the triggers.
    PERFORM parcel_gov.require_caller('import_enterprise_years', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region AND r.level = 'county' AND r.valid_to IS NULL) THEN
        RAISE EXCEPTION 'region "%" is not a current county', region USING ERRCODE = '22023',
            HINT = 'Firms are filed under their county''s 6-digit code, e.g. 330604 (SELECT code, name FROM parcel_gov.region WHERE level = ''county'').';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 1949 AND 2200 THEN
        RAISE EXCEPTION 'year % is not a year of figures', year USING ERRCODE = '22023',
            HINT = 'Give the year the figures are for, e.g. 2024.';
    END IF;
    -- the caller's own table, of plain columns (checked with the headers)
    PERFORM parcel_gov.staging_table_check(source, '\copy or ogr2ogr');

    SELECT jsonb_agg(jsonb_build_object('header', a.attname, 'target', h.target, 'factor', h.factor,
                                        'problem', coalesce(h.problem,
                                            CASE WHEN t.typnamespace <> 'pg_catalog'::regnamespace
                                                 THEN format('"%s" is of type %s: load the sheet as text or numbers',
                                                             a.attname, format_type(a.atttypid, a.atttypmod)) END),
                                        'number', t.typcategory = 'N') ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL parcel_gov.bureau_header(a.attname) h
    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'ogc_fid';   -- ogr2ogr's feature number: the row number below
    cols := coalesce(cols, '[]');
    SELECT string_agg(c ->> 'problem', '; ') INTO problems
    FROM jsonb_array_elements(cols) c WHERE c ->> 'problem' IS NOT NULL;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'headers of % cannot be read: %', source, problems USING ERRCODE = '22023',
            HINT = 'Name each figure''s unit in its header, e.g. 税收(万元), 用电量(万千瓦时); README "Load this year''s data" lists the headers and units.';
    END IF;
    SELECT string_agg(format('"%s" and "%s"', x ->> 'header', y ->> 'header'), ', ') INTO problems
    FROM jsonb_array_elements(cols) WITH ORDINALITY AS i(x, n)
    JOIN jsonb_array_elements(cols) WITH ORDINALITY AS j(y, m) ON m > n AND x ->> 'target' = y ->> 'target';
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
    SELECT jsonb_object_agg(c ->> 'target', c ->> 'header') INTO headers
    FROM jsonb_array_elements(cols) c WHERE c ->> 'target' IS NOT NULL;

    -- 1. The cells: codes and names as text, figures parsed and converted
    -- (NaN: no number), each figure's cell kept for the report.
    SELECT string_agg(CASE WHEN t = ANY (figures) AND headers ? t
                             THEN format(', %I::text AS %I, parcel_gov.bureau_number(%I::text) * %s AS %I',
                                         headers ->> t, t || '_cell', headers ->> t,
                                         (SELECT c ->> 'factor' FROM jsonb_array_elements(cols) c WHERE c ->> 'target' = t), t)
                           WHEN t = ANY (figures)
                             THEN format(', NULL::text AS %I, NULL::double precision AS %I', t || '_cell', t)
                           WHEN headers ? t THEN format(', %I::text AS %I', headers ->> t, t)
                           ELSE format(', NULL::text AS %I', t) END, '')
    INTO pick
    FROM unnest(ARRAY['uscc', 'name', 'industry_code', 'size_class', 'year', 'exempt_reason', 'veto_reason']
                || figures) AS t;
    row_number_sql := CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = source AND a.attname = 'ogc_fid'
                                                                     AND NOT a.attisdropped)
                           THEN 'ogc_fid::bigint' ELSE 'row_number() OVER (ORDER BY ctid)' END;
    IF to_regclass('pg_temp.parcel_gov_import_cells') IS NOT NULL THEN
        DROP TABLE pg_temp.parcel_gov_import_cells, pg_temp.parcel_gov_import_rows;
    END IF;
    EXECUTE format('CREATE TEMP TABLE parcel_gov_import_cells AS SELECT %s AS n%s FROM %s',
                   row_number_sql, pick, source);

    SELECT r.id, r.max_tax_per_mu, r.max_va_per_mu, r.max_tax_per_kwh INTO limits
    FROM parcel_gov.rule_set r WHERE r.id = parcel_gov.rule_set_for(region, year);

    -- 2. Each row against what is stored: the firm (as the caller sees it),
    -- the year's stored figures, the figures merged (an empty cell keeps the
    -- stored figure), what stops the row and what the clerk should check.
    CREATE TEMP TABLE parcel_gov_import_rows AS
    WITH read AS (
        SELECT c.*,
               nullif(upper(regexp_replace(c.uscc, '[\s\u3000-]', '', 'g')), '') AS code,
               nullif(btrim(regexp_replace(c.name, '[\s\u3000]+', ' ', 'g')), '') AS firm_name,
               nullif(regexp_replace(btrim(c.industry_code), '\.0+$', ''), '') AS industry_given,
               nullif(btrim(c.size_class), '') AS size_given,
               nullif(btrim(c.year), '') AS year_given,
               nullif(btrim(c.exempt_reason), '') AS exempt_given, nullif(btrim(c.veto_reason), '') AS veto_given
        FROM pg_temp.parcel_gov_import_cells c
    ), coded AS (
        SELECT r.*,
               CASE r.size_given WHEN '规上' THEN 'above' WHEN '规模以上' THEN 'above'
                                 WHEN '规下' THEN 'below' WHEN '规模以下' THEN 'below' END::parcel_gov.size_class AS size,
               -- a number column drops leading zeros: 0610 → 610, 061 → 61; a
               -- code of fewer than four digits from one cannot be trusted
               CASE WHEN r.industry_given IS NULL THEN NULL
                    WHEN (cols @> '[{"target": "industry_code", "number": true}]') AND length(r.industry_given) < 4 THEN NULL
                    ELSE parcel_gov.industry_code_normal(r.industry_given) END AS industry,
               -- the same firm twice: once when the rows agree, never when they differ
               min(r.n) OVER same AS first_row,
               count(*) OVER same AS copies,
               min(row(r.name, r.industry_code, r.size_class, r.year, r.tax, r.value_added, r.revenue, r.rd_expense,
                       r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.water_t, r.cod_t, r.main_revenue,
                       r.bonus, r.deduction, r.exempt_reason,
                       r.veto_reason)::text) OVER same
                 = max(row(r.name, r.industry_code, r.size_class, r.year, r.tax, r.value_added, r.revenue, r.rd_expense,
                           r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.water_t, r.cod_t, r.main_revenue,
                       r.bonus, r.deduction, r.exempt_reason,
                           r.veto_reason)::text) OVER same AS copies_agree,
               string_agg(r.n::text, ', ') OVER (PARTITION BY r.code ORDER BY r.n
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS copy_rows
        FROM read r
        WINDOW same AS (PARTITION BY r.code)
    ), known AS (
        -- looked up by key (the staging table has no statistics)
        SELECT c.*, e.uscc IS NOT NULL AS firm_seen, e.region_code AS firm_region, e.name AS stored_name,
               e.industry_code AS stored_industry, s.uscc IS NOT NULL AS year_stored,
               s.tax AS s_tax, s.value_added AS s_value_added, s.revenue AS s_revenue, s.rd_expense AS s_rd_expense,
               s.staff AS s_staff, s.energy_tce AS s_energy_tce, s.emission_t AS s_emission_t,
               s.electricity_kwh AS s_electricity_kwh, s.water_t AS s_water_t, s.cod_t AS s_cod_t,
               s.main_revenue AS s_main_revenue, s.bonus AS s_bonus, s.deduction AS s_deduction,
               s.exempt_reason AS s_exempt_reason, s.veto_reason AS s_veto_reason,
               coalesce(s.figures_confirmed, false) AS s_confirmed, twin.uscc AS twin, twin.name AS twin_name
        FROM coded c
        LEFT JOIN LATERAL (SELECT e.* FROM parcel_gov.enterprise e
                           WHERE e.uscc = c.code AND c.code ~ '^[0-9A-Z]{18}$') AS e ON true
        LEFT JOIN LATERAL (SELECT y.* FROM parcel_gov.enterprise_year y
                           WHERE y.uscc = e.uscc AND y.year = import_enterprise_years.year) AS s ON true
        -- an early code one character off a stored firm's: a typing mistake
        LEFT JOIN LATERAL (SELECT t.uscc, t.name FROM parcel_gov.enterprise t
                           WHERE e.uscc IS NULL AND c.code ~ '^[0-9A-Z]{18}$' AND parcel_gov.uscc_early(c.code)
                             AND t.uscc ^@ left(c.code, 17) AND t.uscc <> c.code
                           LIMIT 1) AS twin ON true
    ), merged AS (
        SELECT k.*,
               coalesce(k.tax, k.s_tax) AS m_tax, coalesce(k.value_added, k.s_value_added) AS m_value_added,
               coalesce(k.revenue, k.s_revenue) AS m_revenue, coalesce(k.rd_expense, k.s_rd_expense) AS m_rd_expense,
               coalesce(k.staff, k.s_staff) AS m_staff, coalesce(k.energy_tce, k.s_energy_tce) AS m_energy_tce,
               coalesce(k.emission_t, k.s_emission_t) AS m_emission_t,
               coalesce(k.electricity_kwh, k.s_electricity_kwh) AS m_electricity_kwh,
               coalesce(k.water_t, k.s_water_t) AS m_water_t, coalesce(k.cod_t, k.s_cod_t) AS m_cod_t,
               coalesce(k.main_revenue, k.s_main_revenue) AS m_main_revenue,
               coalesce(k.bonus, k.s_bonus, 0) AS m_bonus, coalesce(k.deduction, k.s_deduction, 0) AS m_deduction,
               coalesce(k.exempt_given, k.s_exempt_reason) AS m_exempt_reason,
               coalesce(k.veto_given, k.s_veto_reason) AS m_veto_reason,
               l.net_mu AS land
        FROM known k
        -- the land of the stored firms, in one call
        LEFT JOIN (SELECT n.* FROM (SELECT coalesce(array_agg(DISTINCT k2.code), '{}') AS codes
                                    FROM known k2 WHERE k2.firm_seen) AS f
                   CROSS JOIN LATERAL parcel_gov.net_land_mu(
                       f.codes, array_fill(import_enterprise_years.year, ARRAY[cardinality(f.codes)])) AS n) AS l
          ON l.uscc = k.code
    ), cells AS (
        -- each figure of the row: the sheet's header, its cell, the value read, the stored one
        SELECT m.*, f.*
        FROM merged m
        CROSS JOIN LATERAL (
            SELECT array_agg(format('%s "%s" is not a number', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value = 'NaN') AS not_numbers,
                   array_agg(format('%s %s is negative', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value < 0 AND v.target NOT IN ('tax', 'value_added', 'rd_expense')) AS negatives,
                   array_agg(format('%s %s is beyond any firm (a unit or typing mistake)', v.header, v.cell) ORDER BY v.i)
                     FILTER (WHERE v.value <> 'NaN' AND abs(v.value) >= CASE v.target WHEN 'staff' THEN 1e7
                                                                    WHEN 'electricity_kwh' THEN 1e12
                                                                    WHEN 'water_t' THEN 1e10 ELSE 1e9 END) AS too_large,
                   array_agg(format('%s is empty: the stored %s is kept', v.header, v.stored) ORDER BY v.i)
                     FILTER (WHERE v.header IS NOT NULL AND v.value IS NULL AND v.stored IS NOT NULL
                                    -- points default to 0: nothing to keep
                                    AND NOT (v.target IN ('bonus', 'deduction') AND v.stored = 0)) AS kept
            FROM (VALUES (1, 'tax', m.tax_cell, m.tax, m.s_tax), (2, 'value_added', m.value_added_cell, m.value_added, m.s_value_added),
                         (3, 'revenue', m.revenue_cell, m.revenue, m.s_revenue),
                         (4, 'rd_expense', m.rd_expense_cell, m.rd_expense, m.s_rd_expense),
                         (5, 'staff', m.staff_cell, m.staff, m.s_staff), (6, 'energy_tce', m.energy_tce_cell, m.energy_tce, m.s_energy_tce),
                         (7, 'emission_t', m.emission_t_cell, m.emission_t, m.s_emission_t),
                         (8, 'electricity_kwh', m.electricity_kwh_cell, m.electricity_kwh, m.s_electricity_kwh),
                         (9, 'water_t', m.water_t_cell, m.water_t, m.s_water_t),
                         (10, 'cod_t', m.cod_t_cell, m.cod_t, m.s_cod_t),
                         (11, 'main_revenue', m.main_revenue_cell, m.main_revenue, m.s_main_revenue),
                         (12, 'bonus', m.bonus_cell, m.bonus, m.s_bonus), (13, 'deduction', m.deduction_cell, m.deduction, m.s_deduction))
                 AS x(i, target, cell, value, stored)
            CROSS JOIN LATERAL (SELECT x.i, x.target, headers ->> x.target AS header, x.cell, x.value, x.stored) AS v
        ) AS f
    )
    SELECT c.n, c.code, c.firm_name, c.size, c.industry, c.firm_seen, c.stored_industry, c.year_stored, c.s_confirmed,
           c.m_tax, c.m_value_added, c.m_revenue, c.m_rd_expense, c.m_staff, c.m_energy_tce, c.m_emission_t,
           c.m_electricity_kwh, c.m_water_t, c.m_cod_t, c.m_main_revenue, c.m_bonus, c.m_deduction, c.m_exempt_reason,
           c.m_veto_reason,
           -- the limits read tax, value added and electricity: unchanged, a confirmation stands
           c.year_stored AND c.m_tax IS NOT DISTINCT FROM c.s_tax AND c.m_value_added IS NOT DISTINCT FROM c.s_value_added
             AND c.m_electricity_kwh IS NOT DISTINCT FROM c.s_electricity_kwh AS limit_figures_kept,
           array_remove(ARRAY[
             CASE WHEN c.code IS NULL THEN 'no 统一社会信用代码'
                  WHEN c.code ~ '^[0-9]{15}$'
                    THEN format('%s is a 15-digit 工商注册号 (business registration number), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', c.code)
                  WHEN c.code ~ '^[0-9A-Z]{8}[0-9X]$'
                    THEN format('%s is a 9-character 组织机构代码 (organisation code), not a 统一社会信用代码: give the firm''s 18-character code from its business licence', c.code)
                  WHEN NOT parcel_gov.uscc_early(c.code) AND parcel_gov.uscc_problem(c.code) IS NOT NULL
                    THEN format('统一社会信用代码 %s %s', c.code, parcel_gov.uscc_problem(c.code))
                  WHEN c.twin IS NOT NULL
                    THEN format('统一社会信用代码 %s fails its check character and differs from %s (%s) only in it: a typing mistake? give the code as stored',
                                c.code, c.twin, c.twin_name) END,
             CASE WHEN c.code IS NULL OR c.copies = 1 THEN NULL
                  WHEN NOT c.copies_agree THEN format('rows %s give different figures for the same firm: none imported', c.copy_rows)
                  WHEN c.n <> c.first_row THEN format('the same firm and figures as row %s: imported once', c.first_row) END,
             CASE WHEN c.year_given IS NOT NULL AND parcel_gov.bureau_number(c.year_given) IS DISTINCT FROM import_enterprise_years.year
                    THEN format('年度 "%s" is not %s', c.year_given, import_enterprise_years.year) END,
             CASE WHEN c.size_given IS NULL THEN 'no 规模 (规上 or 规下)'
                  WHEN c.size IS NULL THEN format('规模 "%s" is not 规上, 规下, 规模以上 or 规模以下', c.size_given) END,
             CASE WHEN NOT c.firm_seen AND c.firm_name IS NULL THEN 'a new firm needs its 企业名称' END,
             CASE WHEN c.firm_seen AND NOT starts_with(c.firm_region, import_enterprise_years.region)
                    THEN format('a firm of %s, not of %s: its county imports its figures', c.firm_region,
                                import_enterprise_years.region) END,
             array_to_string(c.not_numbers, '; '), array_to_string(c.negatives, '; '),
             array_to_string(c.too_large, '; ')], NULL) AS rejects,
           array_remove(ARRAY[
             CASE WHEN parcel_gov.uscc_early(c.code)
                    THEN format('统一社会信用代码 %s: %s (an early code?): stored; confirm it against the business licence (v_uscc_early)',
                                c.code, parcel_gov.uscc_problem(c.code)) END,
             CASE WHEN c.industry_given IS NOT NULL AND c.industry IS NULL
                       AND (cols @> '[{"target": "industry_code", "number": true}]') AND length(c.industry_given) < 4
                    THEN format('行业代码 %s came from a number column and may have lost a leading zero (0%s?): left empty; load the column as text',
                                c.industry_given, c.industry_given)
                  WHEN c.industry_given IS NOT NULL AND c.industry IS NULL
                    THEN format('行业代码 "%s" %s: left empty', c.industry_given,
                                coalesce(parcel_gov.industry_code_problem(upper(c.industry_given)), 'is no GB/T 4754 code'))
                  WHEN c.firm_seen AND c.stored_industry IS NOT NULL AND c.industry <> c.stored_industry
                    THEN format('行业代码 %s differs from the stored %s: the stored code is kept', c.industry, c.stored_industry) END,
             CASE WHEN c.firm_seen AND c.firm_name IS NOT NULL AND c.firm_name <> c.stored_name
                    THEN format('企业名称 "%s" differs from the stored "%s": the stored name is kept', c.firm_name, c.stored_name) END,
             array_to_string(c.kept, '; ')], NULL) AS flags,
           -- the merged figures beyond the rule set's limits: the figure, the
           -- unit read and the value it gives (a confirmation of unchanged ones stands)
           CASE WHEN c.s_confirmed AND c.year_stored AND c.m_tax IS NOT DISTINCT FROM c.s_tax
                     AND c.m_value_added IS NOT DISTINCT FROM c.s_value_added
                     AND c.m_electricity_kwh IS NOT DISTINCT FROM c.s_electricity_kwh THEN '{}'::text[]
                ELSE array_remove(ARRAY[
             CASE WHEN c.land > 0 AND c.m_tax / c.land > limits.max_tax_per_mu
                    THEN format('%s read as %s 万元 gives 亩均税收 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'tax', '税收 (stored)'), trim_scale(round(c.m_tax::numeric, 4)),
                                round((c.m_tax / c.land)::numeric, 2), round(c.land::numeric, 2), limits.max_tax_per_mu, limits.id) END,
             CASE WHEN c.land > 0 AND c.m_value_added / c.land > limits.max_va_per_mu
                    THEN format('%s read as %s 万元 gives 亩均增加值 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'value_added', '工业增加值 (stored)'), trim_scale(round(c.m_value_added::numeric, 4)),
                                round((c.m_value_added / c.land)::numeric, 2), round(c.land::numeric, 2),
                                limits.max_va_per_mu, limits.id) END,
             CASE WHEN c.m_electricity_kwh > 0 AND c.m_tax * 1e4 / c.m_electricity_kwh > limits.max_tax_per_kwh
                    THEN format('%s read as %s 万元 on %s read as %s kWh gives %s 元 of tax per kWh, beyond the limit of %s (rule set %s)',
                                coalesce(headers ->> 'tax', '税收 (stored)'), trim_scale(round(c.m_tax::numeric, 4)),
                                coalesce(headers ->> 'electricity_kwh', '用电量 (stored)'),
                                trim_scale(round(c.m_electricity_kwh::numeric, 2)),
                                round((c.m_tax * 1e4 / c.m_electricity_kwh)::numeric, 2), limits.max_tax_per_kwh, limits.id) END
           ], NULL) END AS implausible
    FROM cells c;

    -- 3. New firms for the rows that go in (a firm that exists but the caller
    -- cannot see is another county's: "not found or not permitted"), an
    -- empty industry code filled, then the year's figures as merged.
    INSERT INTO parcel_gov.enterprise (uscc, name, region_code, industry_code)
    SELECT DISTINCT ON (r.code) r.code, r.firm_name, import_enterprise_years.region, r.industry
    FROM pg_temp.parcel_gov_import_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible) AND NOT r.firm_seen
    ORDER BY r.code, r.n
    ON CONFLICT DO NOTHING;
    UPDATE pg_temp.parcel_gov_import_rows r
    SET rejects = r.rejects || format('firm %s not found or not permitted: a firm of another county, whose county imports its figures', r.code)
    WHERE cardinality(r.rejects) = 0 AND NOT r.firm_seen
      AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc = r.code);
    UPDATE parcel_gov.enterprise e SET industry_code = r.industry
    FROM pg_temp.parcel_gov_import_rows r
    WHERE e.uscc = r.code AND r.firm_seen AND r.stored_industry IS NULL AND r.industry IS NOT NULL
      AND cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible);
    INSERT INTO parcel_gov.enterprise_year AS y
        (uscc, year, size_class, tax, value_added, revenue, rd_expense, staff, energy_tce, emission_t, electricity_kwh,
         water_t, cod_t, main_revenue, exempt_reason, veto_reason, bonus, deduction, figures_confirmed)
    SELECT r.code, import_enterprise_years.year, r.size, r.m_tax, r.m_value_added, r.m_revenue, r.m_rd_expense,
           r.m_staff, r.m_energy_tce, r.m_emission_t, r.m_electricity_kwh, r.m_water_t, r.m_cod_t, r.m_main_revenue,
           r.m_exempt_reason, r.m_veto_reason,
           r.m_bonus, r.m_deduction,
           CASE WHEN cardinality(r.implausible) > 0 THEN true WHEN r.limit_figures_kept THEN r.s_confirmed ELSE false END
    FROM pg_temp.parcel_gov_import_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible)
    ON CONFLICT ON CONSTRAINT enterprise_year_pkey DO UPDATE
    SET size_class = EXCLUDED.size_class, tax = EXCLUDED.tax, value_added = EXCLUDED.value_added,
        revenue = EXCLUDED.revenue, rd_expense = EXCLUDED.rd_expense, staff = EXCLUDED.staff,
        energy_tce = EXCLUDED.energy_tce, emission_t = EXCLUDED.emission_t, electricity_kwh = EXCLUDED.electricity_kwh,
        water_t = EXCLUDED.water_t, cod_t = EXCLUDED.cod_t, main_revenue = EXCLUDED.main_revenue,
        exempt_reason = EXCLUDED.exempt_reason, veto_reason = EXCLUDED.veto_reason, bonus = EXCLUDED.bonus,
        deduction = EXCLUDED.deduction, figures_confirmed = EXCLUDED.figures_confirmed;

    RETURN QUERY
    SELECT o.source_row, o.uscc, o.outcome, o.reason
    FROM (SELECT NULL::bigint AS source_row, NULL::text AS uscc, 'ignored' AS outcome,
                 format('column "%s" is not a header this import knows: ignored', c ->> 'header') AS reason,
                 o.i AS column_order
          FROM jsonb_array_elements(cols) WITH ORDINALITY AS o(c, i) WHERE c ->> 'target' IS NULL
          UNION ALL
          SELECT r.n, r.code,
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
          FROM pg_temp.parcel_gov_import_rows r) AS o
    ORDER BY o.source_row NULLS FIRST, o.column_order;
    DROP TABLE pg_temp.parcel_gov_import_cells, pg_temp.parcel_gov_import_rows;
END $$;
COMMENT ON FUNCTION parcel_gov.import_enterprise_years(regclass, integer, text, boolean) IS
  '导入企业年度数据: a staging table of the caller''s with the bureau''s headers and units (税收(元), 用电量(万千瓦时), 行业代码 3311, 规上/规下) into enterprise and enterprise_year for one county and year; every row imported, flagged or rejected with its reason, unknown headers ignored and named';

-- The firms whose code is early (only its check character fails), with
-- whether the clerk has confirmed it against the business licence.
-- (the join also keeps the view read-only: a GIS or BI client offers no
-- editing, and a code is confirmed in enterprise itself)
CREATE VIEW parcel_gov.v_uscc_early WITH (security_invoker = true) AS
SELECT e.uscc::text AS uscc, e.name, e.region_code,
       parcel_gov.uscc_problem(e.uscc) AS problem, e.uscc_confirmed, rg.name AS region_name
FROM parcel_gov.enterprise e
LEFT JOIN parcel_gov.region rg ON rg.code = e.region_code
WHERE parcel_gov.uscc_early(e.uscc);
COMMENT ON VIEW parcel_gov.v_uscc_early IS
  '待核实代码 (early codes): firms whose 统一社会信用代码 fails only its check character, stored as given; confirm each against the business licence (UPDATE enterprise SET uscc_confirmed = true)';
COMMENT ON COLUMN parcel_gov.v_uscc_early.problem IS
  '代码问题: what fails in the code (its check character)';
COMMENT ON COLUMN parcel_gov.v_uscc_early.uscc_confirmed IS
  '代码已核实: confirmed against the business licence';
