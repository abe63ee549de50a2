-- parcel_gov 1.6.0 → 1.7.0: onboarding (a county's own data in one
-- afternoon).  A delta written by hand.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.7.0'" to load this file. \quit

-- Early codes: a 统一社会信用代码 whose check character alone fails is a
-- real firm's code; the domain (its check is in the library) stores it.
CREATE FUNCTION parcel_gov.uscc_early(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_early'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.uscc_early(text) IS
  'true for an early 统一社会信用代码: well formed, only its check character fails; stored, and listed in v_uscc_early to be confirmed';
COMMENT ON FUNCTION parcel_gov.uscc_check(text) IS
  'Check of the domain parcel_gov.uscc: true for a valid or an early code, or error 23514 saying what is wrong';
COMMENT ON DOMAIN parcel_gov.uscc IS
  '统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters of its alphabet, authority, type and division checked; a code whose check character alone fails (an early code) is stored and listed in v_uscc_early';

-- Industry codes as the bureaus write them (3311 for C3311), and a check
-- that says what is wrong with one.
CREATE FUNCTION parcel_gov.gbt4754_section(division integer)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN division BETWEEN 1 AND 5 THEN 'A'   WHEN division BETWEEN 6 AND 12 THEN 'B'
    WHEN division BETWEEN 13 AND 43 THEN 'C' WHEN division BETWEEN 44 AND 46 THEN 'D'
    WHEN division BETWEEN 47 AND 50 THEN 'E' WHEN division BETWEEN 51 AND 52 THEN 'F'
    WHEN division BETWEEN 53 AND 60 THEN 'G' WHEN division BETWEEN 61 AND 62 THEN 'H'
    WHEN division BETWEEN 63 AND 65 THEN 'I' WHEN division BETWEEN 66 AND 69 THEN 'J'
    WHEN division = 70 THEN 'K'              WHEN division BETWEEN 71 AND 72 THEN 'L'
    WHEN division BETWEEN 73 AND 75 THEN 'M' WHEN division BETWEEN 76 AND 79 THEN 'N'
    WHEN division BETWEEN 80 AND 82 THEN 'O' WHEN division = 83 THEN 'P'
    WHEN division BETWEEN 84 AND 85 THEN 'Q' WHEN division BETWEEN 86 AND 90 THEN 'R'
    WHEN division BETWEEN 91 AND 96 THEN 'S' WHEN division = 97 THEN 'T' END;
COMMENT ON FUNCTION parcel_gov.gbt4754_section(integer) IS
  'GB/T 4754-2017 门类 (section letter) of a 2-digit 大类 (division): 13–43 → C 制造业; NULL when there is no such division';

-- What is wrong with an industry code as stored, or NULL when it is right.
CREATE FUNCTION parcel_gov.industry_code_problem(code text)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN code ~ '^[0-9]{2}([0-9]{1,2})?$'
      THEN pg_catalog.format('has no section letter (%s%s)',
                             coalesce(parcel_gov.gbt4754_section(left(code, 2)::integer), '?'), code)
    WHEN code !~ '^[A-T]([0-9]{2}([0-9]{1,2})?)?$'
      THEN 'is not a section letter A–T with 2, 3 or 4 digits'
    WHEN length(code) = 1 THEN NULL
    WHEN parcel_gov.gbt4754_section(substr(code, 2, 2)::integer) IS NULL
      THEN pg_catalog.format('names no division %s', substr(code, 2, 2))
    WHEN parcel_gov.gbt4754_section(substr(code, 2, 2)::integer) <> left(code, 1)
      THEN pg_catalog.format('division %s is in section %s, not %s', substr(code, 2, 2),
                             parcel_gov.gbt4754_section(substr(code, 2, 2)::integer), left(code, 1))
    END;
COMMENT ON FUNCTION parcel_gov.industry_code_problem(text) IS
  'What is wrong with a GB/T 4754 industry code (no section letter, a letter the division is not in, no such division), or NULL when it is right';

-- The code as stored from what a file gives: C3311, 3311, 331, 33, with
-- spaces or a lower-case letter; NULL when it cannot be read as one.
CREATE FUNCTION parcel_gov.industry_code_normal(code text)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT CASE WHEN c.c ~ '^[0-9]{2}([0-9]{1,2})?$'
                     AND parcel_gov.gbt4754_section(left(c.c, 2)::integer) IS NOT NULL
                    THEN parcel_gov.gbt4754_section(left(c.c, 2)::integer) || c.c
                    WHEN parcel_gov.industry_code_problem(c.c) IS NULL THEN c.c END
        FROM (SELECT upper(regexp_replace(code, '\s', '', 'g')) AS c) AS c);
COMMENT ON FUNCTION parcel_gov.industry_code_normal(text) IS
  '行业代码 as stored: the section letter added to a bare division, group or class (3311 → C3311), upper case, no spaces; NULL when the code is no GB/T 4754 code';

-- The check of enterprise.industry_code: true, or an error saying what is
-- wrong and how to mend it.
CREATE FUNCTION parcel_gov.industry_code_check(code text)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    problem constant text := parcel_gov.industry_code_problem(code);
BEGIN
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'industry code "%": %', code, problem USING ERRCODE = '23514',
            HINT = 'A GB/T 4754 code is its section letter and the 2-digit division, 3-digit group or 4-digit class, e.g. C3311; parcel_gov.industry_code_normal(''3311'') gives C3311.';
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION parcel_gov.industry_code_check(text) IS
  'Check of enterprise.industry_code: true, or error 23514 saying what is wrong with the GB/T 4754 code';
ALTER TABLE parcel_gov.enterprise
    DROP CONSTRAINT enterprise_industry_gbt4754,
    ADD CONSTRAINT enterprise_industry_gbt4754 CHECK (parcel_gov.industry_code_check(industry_code));

-- Early codes are confirmed by the clerk.
ALTER TABLE parcel_gov.enterprise ADD COLUMN uscc_confirmed boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN parcel_gov.enterprise.uscc_confirmed IS
  '代码已核实: an early code (its check character fails) was confirmed against the business licence; v_uscc_early lists the rest';

-- The bureaus' headers and cells.
-- What a header names: the enterprise_year / enterprise column, the unit
-- read from its brackets and the factor into the unit stored (money 万元,
-- energy tce, emissions t, electricity kWh); or why it cannot be used.  A
-- figure whose header names no unit, or one not listed, is a problem: the
-- import never assumes one.  target is NULL for a header it does not know.
CREATE FUNCTION parcel_gov.bureau_header(header text, OUT target text, OUT unit text,
                                         OUT factor double precision, OUT problem text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH cleaned AS (
        SELECT translate(regexp_replace(bureau_header.header, '[\s\u3000]', '', 'g'),
                         '（）【】［］', '()[]()') AS h
    ), split AS (
        SELECT coalesce(substring(c.h FROM '^(.*?)[\(\[][^\(\)\[\]]*[\)\]]$'), c.h) AS name,
               substring(c.h FROM '[\(\[]([^\(\)\[\]]*)[\)\]]$') AS unit
        FROM cleaned c
    ), named AS (
        SELECT s.name, s.unit, n.target, n.kind
        FROM split s
        LEFT JOIN (VALUES
            ('统一社会信用代码', 'uscc', 'code'), ('社会信用代码', 'uscc', 'code'), ('信用代码', 'uscc', 'code'),
            ('企业名称', 'name', 'text'), ('单位名称', 'name', 'text'),
            ('行业代码', 'industry_code', 'code'), ('国民经济行业代码', 'industry_code', 'code'),
            ('规模', 'size_class', 'code'), ('企业规模', 'size_class', 'code'),
            ('年度', 'year', 'code'), ('年份', 'year', 'code'),
            ('税收', 'tax', 'money'), ('税收实际贡献', 'tax', 'money'), ('实缴税金', 'tax', 'money'),
            ('工业增加值', 'value_added', 'money'), ('增加值', 'value_added', 'money'),
            ('营业收入', 'revenue', 'money'), ('主营业务收入', 'revenue', 'money'),
            ('研发经费', 'rd_expense', 'money'), ('研发经费支出', 'rd_expense', 'money'),
            ('从业人员', 'staff', 'people'), ('从业人员数', 'staff', 'people'), ('年平均职工人数', 'staff', 'people'),
            ('综合能耗', 'energy_tce', 'energy'), ('排放量', 'emission_t', 'mass'),
            ('主要污染物排放量', 'emission_t', 'mass'),
            ('用电量', 'electricity_kwh', 'electricity'), ('总用电量', 'electricity_kwh', 'electricity'),
            ('不参评原因', 'exempt_reason', 'text'), ('否决原因', 'veto_reason', 'text'),
            ('加分', 'bonus', 'points'), ('减分', 'deduction', 'points')) AS n(header, target, kind)
          ON n.header = s.name
    ), units AS (
        SELECT n.*, u.factor
        FROM named n
        LEFT JOIN (VALUES
            ('money', '元', 1e-4::double precision), ('money', '千元', 0.1), ('money', '万元', 1), ('money', '亿元', 1e4),
            ('people', '人', 1), ('people', NULL, 1),
            ('energy', '吨标煤', 1), ('energy', '吨标准煤', 1), ('energy', 'tce', 1), ('energy', '万吨标煤', 1e4),
            ('mass', '吨', 1), ('mass', 't', 1), ('mass', '千克', 1e-3), ('mass', 'kg', 1e-3),
            ('electricity', '千瓦时', 1), ('electricity', 'kWh', 1), ('electricity', '度', 1),
            ('electricity', '万千瓦时', 1e4), ('electricity', '万kWh', 1e4), ('electricity', '万度', 1e4),
            ('points', '分', 1), ('points', NULL, 1),
            ('code', NULL, NULL), ('text', NULL, NULL)) AS u(kind, unit, factor)
          ON u.kind = n.kind AND u.unit IS NOT DISTINCT FROM n.unit
    )
    SELECT u.target, u.unit, u.factor,
           CASE WHEN u.target IS NULL THEN NULL
                WHEN u.kind IN ('code', 'text') AND u.unit IS NOT NULL
                  THEN format('"%s" names %s, which takes no unit (%s)', bureau_header.header, u.target, u.unit)
                WHEN u.unit IS NULL AND u.factor IS NULL AND u.kind NOT IN ('code', 'text')
                  THEN format('"%s" states no unit: name it in brackets, e.g. %s', bureau_header.header,
                              CASE u.kind WHEN 'money' THEN u.name || '(万元) or ' || u.name || '(元)'
                                          WHEN 'energy' THEN u.name || '(吨标煤)'
                                          WHEN 'mass' THEN u.name || '(吨)'
                                          ELSE u.name || '(万千瓦时) or ' || u.name || '(千瓦时)' END)
                WHEN u.factor IS NULL AND u.kind NOT IN ('code', 'text')
                  THEN format('"%s": unit %s is not one this import knows for %s (%s)', bureau_header.header,
                              u.unit, u.target,
                              CASE u.kind WHEN 'money' THEN '元, 千元, 万元, 亿元'
                                          WHEN 'people' THEN '人'
                                          WHEN 'energy' THEN '吨标煤, 万吨标煤'
                                          WHEN 'mass' THEN '吨, 千克'
                                          WHEN 'points' THEN '分'
                                          ELSE '千瓦时, 万千瓦时' END) END
    FROM units u;
END;
COMMENT ON FUNCTION parcel_gov.bureau_header(text) IS
  '表头 (a spreadsheet header such as 税收(万元)): the column it names, its unit and the factor into the stored unit, or the problem (a figure with no unit, or a unit not known); target NULL for a header not known';

-- A cell as a number: NULL when empty (or only -, —, /, which the bureaus
-- write for "none"), NaN when it is not a number.  Thousands separators and
-- full-width digits are read.
CREATE FUNCTION parcel_gov.bureau_number(cell text)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN c.c IN ('', '-', '—', '/') THEN NULL
                WHEN c.c ~ '^[+-]?([0-9]{1,30}(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$' THEN c.c::double precision
                ELSE 'NaN' END
    FROM (SELECT translate(regexp_replace(bureau_number.cell, '[\s\u3000,，]', '', 'g'),
                           '０１２３４５６７８９．－＋', '0123456789.-+') AS c) AS c;
END;
COMMENT ON FUNCTION parcel_gov.bureau_number(text) IS
  'A spreadsheet cell as a number: thousands separators and full-width digits read; NULL when empty or -, —, /; NaN when not a number';

-- Tax per kWh is a plausibility limit too; figures confirmed as they are
-- skip the limits; land linked to a firm checks its latest figures.
ALTER TABLE parcel_gov.rule_set ADD COLUMN max_tax_per_kwh          double precision NOT NULL DEFAULT 1000 CONSTRAINT rule_set_max_tax_per_kwh_positive CHECK (max_tax_per_kwh > 0);
COMMENT ON COLUMN parcel_gov.rule_set.max_tax_per_kwh IS
  '单位电耗税收 above this (元/千瓦时) is refused when a firm''s figures are written: tax in 元 read as 万元, or electricity in 万千瓦时 read as 千瓦时, gives 10⁴ times too much';

ALTER TABLE parcel_gov.enterprise_year ADD COLUMN figures_confirmed boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN parcel_gov.enterprise_year.figures_confirmed IS
  '数据已核实: the figures were confirmed as they are although beyond the rule set''s plausibility limits (import_enterprise_years(…, accept_implausible => true)); false: they were checked against the limits';

CREATE FUNCTION parcel_gov.figures_beyond_limits(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, figure text, amount double precision, base double precision,
                   line double precision, unit text, basis text, rule_set text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT f.uscc, f.year, x.figure, x.amount, x.base, x.line, x.unit, x.basis, r.id
    FROM unnest(figures_beyond_limits.firms, figures_beyond_limits.years) AS k(uscc, year)
    JOIN parcel_gov.enterprise_year f ON f.uscc = k.uscc AND f.year = k.year
    JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
    JOIN parcel_gov.rule_set r ON r.id = parcel_gov.rule_set_for(e.region_code, f.year)
    CROSS JOIN LATERAL (SELECT sum(p.area_mu) AS held FROM parcel_gov.parcel p WHERE p.holder_uscc = f.uscc) AS h
    CROSS JOIN LATERAL (VALUES ('亩均税收 (tax per mu)', f.tax, h.held, r.max_tax_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.tax, round(h.held::numeric, 2))),
                               ('亩均增加值 (value added per mu)', f.value_added, h.held, r.max_va_per_mu, '万元/亩',
                                format('%s 万元 on %s mu', f.value_added, round(h.held::numeric, 2))),
                               -- 万元 per kWh as 元 per kWh
                               ('单位电耗税收 (tax per kWh)', f.tax * 1e4, f.electricity_kwh, r.max_tax_per_kwh, '元/千瓦时',
                                format('%s 万元 on %s kWh', f.tax, f.electricity_kwh)))
                        AS x(figure, amount, base, line, unit, basis)
    WHERE NOT f.figures_confirmed AND x.base > 0 AND x.amount / x.base > x.line;
END;
COMMENT ON FUNCTION parcel_gov.figures_beyond_limits(text[], integer[]) IS
  'internal: of the given firm-years, the figures beyond their rule set''s max_tax_per_mu / max_va_per_mu / max_tax_per_kwh (not figures_confirmed), with the value, the basis and the limit';

CREATE OR REPLACE FUNCTION parcel_gov.figures_plausible() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firms text[];
    years integer[];
    bad record;
BEGIN
    -- as the owner, over the rows it is given: enterprise_year's or parcel's
    -- only, never those of a table someone attached it to
    IF TG_RELID NOT IN ('parcel_gov.enterprise_year'::regclass, 'parcel_gov.parcel'::regclass)
       OR TG_LEVEL <> 'STATEMENT' OR TG_WHEN <> 'AFTER' THEN
        RAISE EXCEPTION 'figures_plausible checks parcel_gov.enterprise_year and parcel_gov.parcel only, not %',
                        TG_RELID::regclass
            USING ERRCODE = '39P01';
    END IF;
    IF TG_RELID = 'parcel_gov.enterprise_year'::regclass THEN
        SELECT array_agg(n.uscc), array_agg(n.year) INTO firms, years FROM new_rows n;
    ELSE
        -- land linked to a firm: its latest figures
        SELECT array_agg(f.uscc), array_agg(f.year) INTO firms, years
        FROM (SELECT y.uscc, max(y.year) AS year
              FROM parcel_gov.enterprise_year y
              WHERE y.uscc IN (SELECT n.holder_uscc FROM new_rows n)
              GROUP BY y.uscc) AS f;
    END IF;
    SELECT * INTO bad FROM parcel_gov.figures_beyond_limits(firms, years) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'firm % in %: % is % % (%), beyond the limit of % % of rule set %',
                bad.uscc, bad.year, bad.figure, round((bad.amount / bad.base)::numeric, 2), bad.unit,
                bad.basis, bad.line, bad.unit, bad.rule_set
            USING ERRCODE = '23514',
                  HINT = 'Money is in 万元 (10⁴ 元) and electricity in kWh: a tax in 元 or electricity in 万千瓦时 is 10⁴ times off. Figures right as they are are confirmed with figures_confirmed = true; a county whose firms really exceed the limit raises it in its rule set.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION parcel_gov.figures_plausible() IS
  'Trigger: a firm''s yearly tax or value added per mu of the land it holds, or tax per kWh, beyond its rule set''s max_tax_per_mu / max_va_per_mu / max_tax_per_kwh is refused (23514), the firm and the figure named, unless figures_confirmed; on parcel, for the holders'' latest year';
CREATE TRIGGER parcel_figures_plausible_insert AFTER INSERT ON parcel_gov.parcel
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_update AFTER UPDATE ON parcel_gov.parcel
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();

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
                                     max_tax_per_kwh)
    SELECT new_id, r.name, rule_set_adopt.region_prefix, rule_set_adopt.year_from, rule_set_adopt.year_to,
           false, coalesce(r.source || '; ', '') || 'adopted from ' || r.id,
           r.new_land_exempt_years, r.persistent_low_min_mu, r.persistent_low_tax_per_mu,
           r.still_below_min_mu, r.doubling_min_revenue, r.doubling_min_tax,
           r.non_industrial_since, r.breach_years_below_target, r.max_tax_per_mu, r.max_va_per_mu,
           r.max_tax_per_kwh
    FROM parcel_gov.rule_set r WHERE r.id = template;
    INSERT INTO parcel_gov.rule_pool
    SELECT new_id, p.pool, p.a_share, p.b_share, p.c_share, p.land_floor_mu, p.group_by_industry,
           p.rental_first_deduction, p.rental_further_deduction, p.low_tax_per_mu
    FROM parcel_gov.rule_pool p WHERE p.rule_set_id = template;
    INSERT INTO parcel_gov.rule_indicator
    SELECT new_id, i.pool, i.indicator, i.weight, i.method, i.benchmark_fixed, i.benchmark_multiplier,
           i.cap, i.missing
    FROM parcel_gov.rule_indicator i WHERE i.rule_set_id = template;
    INSERT INTO parcel_gov.rule_industry_group
    SELECT new_id, g.industry_group, g.industry_prefixes
    FROM parcel_gov.rule_industry_group g WHERE g.rule_set_id = template;
    RETURN new_id;
END $$;
COMMENT ON FUNCTION parcel_gov.rule_set_adopt(text, text, text, integer, integer) IS
  'Copies a rule set (e.g. a preset) as new_id for a region prefix and years; returns new_id';


-- Firms' yearly figures from the bureaus' spreadsheets.
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
        LEFT JOIN parcel_gov.enterprise e ON e.uscc = c.uscc AND c.uscc ~ '^[0-9A-Z]{18}$'
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
                                (SELECT c ->> 'header' FROM jsonb_array_elements(cols) c WHERE c ->> 'target' = 'tax'),
                                trim_scale(round(k.tax::numeric, 4)), round((k.tax / k.held)::numeric, 2), round(k.held::numeric, 2),
                                limits.max_tax_per_mu, limits.id) END,
             CASE WHEN k.held > 0 AND k.value_added / k.held > limits.max_va_per_mu
                    THEN format('%s read as %s 万元 gives 亩均增加值 %s 万元/亩 on %s mu, beyond the limit of %s (rule set %s)',
                                (SELECT c ->> 'header' FROM jsonb_array_elements(cols) c WHERE c ->> 'target' = 'value_added'),
                                trim_scale(round(k.value_added::numeric, 4)), round((k.value_added / k.held)::numeric, 2),
                                round(k.held::numeric, 2), limits.max_va_per_mu, limits.id) END,
             CASE WHEN k.electricity_kwh > 0 AND k.tax * 1e4 / k.electricity_kwh > limits.max_tax_per_kwh
                    THEN format('%s read as %s 万元 on %s read as %s kWh gives %s 元 of tax per kWh, beyond the limit of %s (rule set %s)',
                                (SELECT c ->> 'header' FROM jsonb_array_elements(cols) c WHERE c ->> 'target' = 'tax'),
                                trim_scale(round(k.tax::numeric, 4)),
                                (SELECT c ->> 'header' FROM jsonb_array_elements(cols) c WHERE c ->> 'target' = 'electricity_kwh'),
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
COMMENT ON COLUMN parcel_gov.v_uscc_early.uscc IS '统一社会信用代码: unified social credit code of the firm';
COMMENT ON COLUMN parcel_gov.v_uscc_early.name IS '名称: name';
COMMENT ON COLUMN parcel_gov.v_uscc_early.region_code IS '行政区划代码: region code (GB/T 2260)';
GRANT SELECT ON parcel_gov.v_uscc_early TO parcel_gov_reader;
REVOKE EXECUTE ON FUNCTION parcel_gov.import_enterprise_years(regclass, integer, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.import_enterprise_years(regclass, integer, text, boolean) TO parcel_gov_operator;

-- import_parcels: checked and inserted in sets (a county in seconds); source_srid
-- overrides a wrong .prj; holders by USCC or name; 土地用途 read (land_uses,
-- land_use_read); 面积 compared with the geometry; outcome flagged; codes a
-- region superseded accepted.

-- One staging row as import_parcels() reads it: the row's place in the file,
-- its cells as text, its geometry as loaded.
CREATE TYPE parcel_gov.staged_parcel AS (
    n          bigint,
    code       text,
    holder     text,
    land_use   text,
    actual_use text,
    area       text,
    geom       geometry
);
COMMENT ON TYPE parcel_gov.staged_parcel IS
  '待导入宗地 (a staged parcel): internal, one row of a staging table as import_parcels() reads it';

-- The staged geometries made fit for parcel.geom, as one set (one query:
-- PROJ's transformation is set up once, not once a row; each step
-- materialized, so that its expressions are not copied into the next
-- step's, and computed again, at every reference): each one's SRID
-- (source_srid when given, which overrides a wrong .prj; else the one
-- ogr2ogr read from the .prj), reprojected to CGCS2000, 2-D, multi; an
-- invalid polygon repaired by ST_MakeValid when the repair keeps an area.
-- problem says why a geometry cannot be used; rows in skip are left out
-- (NULL geometry: the import gives their reason).
CREATE FUNCTION parcel_gov.import_geometries(staged parcel_gov.staged_parcel[], source_srid integer,
                                             skip bigint[] DEFAULT '{}')
    RETURNS TABLE (n bigint, fit geometry, problem text, repaired text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH given AS MATERIALIZED (
        SELECT s.n, CASE WHEN k.n IS NOT NULL THEN NULL
                         WHEN import_geometries.source_srid IS NOT NULL
                         THEN ST_SetSRID(s.geom, import_geometries.source_srid)
                         ELSE s.geom END AS g
        FROM unnest(import_geometries.staged) AS s
        LEFT JOIN unnest(import_geometries.skip) AS k(n) ON k.n = s.n
    ), usable AS MATERIALIZED (
        SELECT g.n, g.g, CASE
            WHEN g.g IS NULL THEN 'no geometry'
            WHEN ST_IsEmpty(g.g) THEN 'empty geometry'
            WHEN ST_SRID(g.g) = 0 THEN 'no SRID (the file had no .prj): give source_srid, e.g. 4490 for CGCS2000 longitude/latitude or 4549 for Gauss-Krüger CM 120E'
            WHEN NOT EXISTS (SELECT FROM spatial_ref_sys s WHERE s.srid = ST_SRID(g.g)) THEN format('unknown SRID %s', ST_SRID(g.g))
            WHEN GeometryType(g.g) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN format('not a polygon but a %s', lower(GeometryType(g.g)))
            END AS problem
        FROM given g
    ), moved AS MATERIALIZED (
        SELECT u.n, u.problem, CASE WHEN u.problem IS NULL THEN ST_Transform(ST_Force2D(u.g), 4490) END AS g FROM usable u
    ), placed AS MATERIALIZED (
        SELECT m.n, m.g, coalesce(m.problem, CASE WHEN ST_XMin(m.g) < 73 OR ST_XMax(m.g) > 136 OR ST_YMin(m.g) < 3 OR ST_YMax(m.g) > 54
            THEN format('outside China after reprojection (%s … %s °E, %s … %s °N): the SRID does not match the coordinates',
                        round(ST_XMin(m.g)::numeric, 3), round(ST_XMax(m.g)::numeric, 3),
                        round(ST_YMin(m.g)::numeric, 3), round(ST_YMax(m.g)::numeric, 3)) END) AS problem
        FROM moved m
    ), checked AS MATERIALIZED (
        SELECT p.n, p.g, p.problem, CASE WHEN p.problem IS NULL AND NOT (ST_IsValidDetail(p.g)).valid THEN ST_IsValidReason(p.g) END AS invalid
        FROM placed p
    ), fixed AS MATERIALIZED (
        SELECT c.n, c.problem, c.invalid,
               CASE WHEN c.problem IS NULL THEN ST_Multi(CASE WHEN c.invalid IS NULL THEN c.g
                                                             ELSE ST_CollectionExtract(ST_MakeValid(c.g), 3) END) END AS g
        FROM checked c
    )
    SELECT f.n,
           CASE WHEN f.problem IS NULL AND NOT ST_IsEmpty(f.g) AND ST_Area(f.g) > 0 THEN f.g END,
           coalesce(f.problem, CASE WHEN ST_IsEmpty(f.g) OR ST_Area(f.g) = 0
                                    THEN format('invalid polygon (%s) with no area left after repair', f.invalid) END),
           CASE WHEN f.problem IS NULL AND f.invalid IS NOT NULL THEN f.invalid END
    FROM fixed f;
END;
COMMENT ON FUNCTION parcel_gov.import_geometries(parcel_gov.staged_parcel[], integer, bigint[]) IS
  'internal: staged geometries (their SRID, or source_srid when given) reprojected to CGCS2000 (EPSG:4490), 2-D and multi, repaired when invalid; or why each cannot be used';

-- One geometry made fit, or why it cannot be: import_geometries() for a
-- single row (a clerk's check of one shape; the import works in sets).
CREATE OR REPLACE FUNCTION parcel_gov.import_geometry(geom geometry, source_srid integer,
                                           OUT fit geometry, OUT problem text, OUT repaired text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT g.fit, g.problem, g.repaired
    FROM parcel_gov.import_geometries(
             ARRAY[ROW(1, NULL, NULL, NULL, NULL, NULL, import_geometry.geom)::parcel_gov.staged_parcel],
             import_geometry.source_srid) AS g;
END;
COMMENT ON FUNCTION parcel_gov.import_geometry(geometry, integer) IS
  'internal: one geometry (its SRID, or source_srid when given) reprojected to CGCS2000 (EPSG:4490), 2-D and multi, repaired when invalid; or why it cannot be used (import_geometries for one row)';

-- A firm's name or a land-use entry as compared: full-width letters, digits
-- and brackets （）as their ASCII forms, no whitespace, upper case; so that
-- 上虞精工（集团）有限公司 and 上虞精工 (集团) 有限公司 are one name.  No SET
-- clause: it runs once per staged row and per firm, and is inlined.
CREATE FUNCTION parcel_gov.name_key(name text)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.upper(pg_catalog.regexp_replace(
    -- translate() walks its 94 characters for every character of the name:
    -- only for names that have a full-width one
    CASE WHEN name ~ '[\uff01-\uff5e]'
         THEN pg_catalog.translate(name,
                 '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
                 '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~')
         ELSE name END,
    '[\s\u3000\u00a0]+', '', 'g'));
COMMENT ON FUNCTION parcel_gov.name_key(text) IS
  'A name as compared (名称比对): full-width letters, digits and brackets as ASCII, whitespace removed, upper case';

-- The land-use codes the import reads (土地用途), as data: the industrial
-- family of each scheme, the codes other schemes give another meaning
-- (1001 is 铁路用地 in GB/T 21010-2017 but 工业用地 in 用地用海), and the
-- common non-industrial classes.  industrial: 工矿仓储 — industrial,
-- mining, salt-pan and storage land (GB/T 21010's 06 工矿仓储用地, 三调's
-- 06 工矿用地 and 0508 物流仓储用地, 用地用海's 10 工矿用地 and 11 仓储用地),
-- the land whose holders the evaluation grades.
CREATE FUNCTION parcel_gov.land_uses()
    RETURNS TABLE (scheme text, code text, name text, industrial boolean)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT u.scheme, u.code, u.name, u.industrial FROM (VALUES
        -- 土地利用现状分类 GB/T 21010-2017 (不动产登记, 地籍: the 批准用途 of a 宗地)
        ('GB/T 21010-2017', '05', '商服用地', false),
        ('GB/T 21010-2017', '0501', '零售商业用地', false), ('GB/T 21010-2017', '0502', '批发市场用地', false),
        ('GB/T 21010-2017', '0503', '餐饮用地', false), ('GB/T 21010-2017', '0504', '旅馆用地', false),
        ('GB/T 21010-2017', '0505', '商务金融用地', false), ('GB/T 21010-2017', '0506', '娱乐用地', false),
        ('GB/T 21010-2017', '0507', '其他商服用地', false),
        ('GB/T 21010-2017', '06', '工矿仓储用地', true),
        ('GB/T 21010-2017', '0601', '工业用地', true), ('GB/T 21010-2017', '0602', '采矿用地', true),
        ('GB/T 21010-2017', '0603', '盐田', true), ('GB/T 21010-2017', '0604', '仓储用地', true),
        ('GB/T 21010-2017', '07', '住宅用地', false),
        ('GB/T 21010-2017', '0701', '城镇住宅用地', false), ('GB/T 21010-2017', '0702', '农村宅基地', false),
        ('GB/T 21010-2017', '10', '交通运输用地', false),
        ('GB/T 21010-2017', '1001', '铁路用地', false), ('GB/T 21010-2017', '1002', '轨道交通用地', false),
        ('GB/T 21010-2017', '1003', '公路用地', false),
        ('GB/T 21010-2017', '11', '水域及水利设施用地', false),
        ('GB/T 21010-2017', '1101', '河流水面', false), ('GB/T 21010-2017', '1102', '湖泊水面', false),
        -- GB/T 21010-2007 (older certificates: three digits)
        ('GB/T 21010-2007', '05', '商服用地', false),
        ('GB/T 21010-2007', '051', '批发零售用地', false), ('GB/T 21010-2007', '052', '住宿餐饮用地', false),
        ('GB/T 21010-2007', '053', '商务金融用地', false), ('GB/T 21010-2007', '054', '其他商服用地', false),
        ('GB/T 21010-2007', '06', '工矿仓储用地', true),
        ('GB/T 21010-2007', '061', '工业用地', true), ('GB/T 21010-2007', '062', '采矿用地', true),
        ('GB/T 21010-2007', '063', '仓储用地', true),
        ('GB/T 21010-2007', '07', '住宅用地', false),
        ('GB/T 21010-2007', '071', '城镇住宅用地', false), ('GB/T 21010-2007', '072', '农村宅基地', false),
        ('GB/T 21010-2007', '10', '交通运输用地', false), ('GB/T 21010-2007', '11', '水域及水利设施用地', false),
        -- 第三次全国国土调查工作分类 (三调: the land as surveyed, 现状)
        ('三调', '05', '商业服务业用地', false),
        ('三调', '05H1', '商业服务业设施用地', false), ('三调', '0508', '物流仓储用地', true),
        ('三调', '06', '工矿用地', true),
        ('三调', '0601', '工业用地', true), ('三调', '0602', '采矿用地', true), ('三调', '0603', '盐田', true),
        ('三调', '07', '住宅用地', false),
        ('三调', '0701', '城镇住宅用地', false), ('三调', '0702', '农村宅基地', false),
        ('三调', '10', '交通运输用地', false),
        ('三调', '1001', '铁路用地', false), ('三调', '1002', '轨道交通用地', false), ('三调', '1003', '公路用地', false),
        ('三调', '11', '水域及水利设施用地', false),
        ('三调', '1101', '河流水面', false), ('三调', '1102', '湖泊水面', false),
        -- 国土空间调查、规划、用途管制用地用海分类 (用地用海: planning)
        ('用地用海', '06', '农业设施建设用地', false),
        ('用地用海', '0601', '种植设施建设用地', false), ('用地用海', '0602', '畜禽养殖设施建设用地', false),
        ('用地用海', '0603', '水产养殖设施建设用地', false),
        ('用地用海', '07', '居住用地', false),
        ('用地用海', '0701', '城镇住宅用地', false), ('用地用海', '0702', '城镇社区服务设施用地', false),
        ('用地用海', '0703', '农村宅基地', false),
        ('用地用海', '09', '商业服务业用地', false),
        ('用地用海', '0901', '商业用地', false), ('用地用海', '0902', '商务金融用地', false),
        ('用地用海', '0903', '娱乐康体用地', false), ('用地用海', '0904', '其他商业服务业用地', false),
        ('用地用海', '10', '工矿用地', true),
        ('用地用海', '1001', '工业用地', true), ('用地用海', '100101', '一类工业用地', true),
        ('用地用海', '100102', '二类工业用地', true), ('用地用海', '100103', '三类工业用地', true),
        ('用地用海', '1002', '采矿用地', true), ('用地用海', '1003', '盐田', true),
        ('用地用海', '11', '仓储用地', true),
        ('用地用海', '1101', '物流仓储用地', true), ('用地用海', '110101', '一类物流仓储用地', true),
        ('用地用海', '110102', '二类物流仓储用地', true), ('用地用海', '110103', '三类物流仓储用地', true),
        ('用地用海', '1102', '储备库用地', true)) AS u(scheme, code, name, industrial);
END;
COMMENT ON FUNCTION parcel_gov.land_uses() IS
  '土地用途 the import reads: scheme (GB/T 21010-2017, GB/T 21010-2007, 三调, 用地用海), code, name, and whether it is industrial (工矿仓储: industrial, mining, salt-pan and storage land)';

-- One 土地用途 cell read: a code (0601), a name (工业用地) or both
-- (0601工业用地, 工业用地(0601)), full-width or not, against the schemes
-- given (NULL: all).  land_use is the code, or the name when the schemes
-- give it several codes; found_in the schemes that read it so.  A cell
-- nothing matches, or one the schemes read differently, is a problem: its
-- text comes back as land_use and industrial stays NULL, never guessed.
CREATE FUNCTION parcel_gov.land_use_read(value text, schemes text[] DEFAULT NULL,
                                         OUT land_use text, OUT industrial boolean,
                                         OUT found_in text[], OUT problem text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH cell AS (
        SELECT nullif(btrim(land_use_read.value), '') AS given, nullif(parcel_gov.name_key(land_use_read.value), '') AS k
    ), parts AS (
        SELECT c.given, c.k, substring(c.k FROM '[0-9][0-9A-Z]*') AS code,
               nullif(regexp_replace(c.k, '[^\u4e00-\u9fa5]', '', 'g'), '') AS name
        FROM cell c
    ), known AS (
        SELECT u.* FROM parcel_gov.land_uses() u
        WHERE land_use_read.schemes IS NULL OR u.scheme = ANY (land_use_read.schemes)
    ), hits AS (
        SELECT count(*) AS n,
               count(DISTINCT u.name || u.industrial::text) AS meanings,
               min(u.code) AS code, count(DISTINCT u.code) AS codes, bool_and(u.industrial) AS industrial,
               array_agg(DISTINCT u.scheme COLLATE "C" ORDER BY u.scheme COLLATE "C") AS schemes,
               string_agg(format('%s %s (%s)', u.code, u.name, u.scheme), '; ' ORDER BY u.scheme COLLATE "C", u.code) AS list
        FROM parts p JOIN known u ON (p.code IS NULL OR u.code = p.code) AND (p.name IS NULL OR u.name = p.name)
        WHERE p.code IS NOT NULL OR p.name IS NOT NULL
    ), code_alone AS (
        SELECT string_agg(DISTINCT u.name, '/' ORDER BY u.name) AS names
        FROM parts p JOIN known u ON u.code = p.code
    )
    SELECT CASE WHEN p.k IS NULL THEN NULL
                WHEN h.meanings = 1 AND h.codes = 1 THEN h.code
                WHEN h.meanings = 1 THEN p.name
                ELSE p.given END,
           CASE WHEN h.meanings = 1 THEN h.industrial END,
           CASE WHEN h.meanings = 1 AND h.codes = 1 THEN h.schemes END,
           CASE WHEN p.k IS NULL THEN NULL
                WHEN h.meanings = 1 THEN NULL
                WHEN h.meanings > 1 THEN format('%s is ambiguous (%s): name the file''s scheme', p.given, h.list)
                WHEN p.code IS NOT NULL AND p.name IS NOT NULL AND a.names IS NOT NULL
                  THEN format('%s: code %s is %s, not %s', p.given, p.code, a.names, p.name)
                ELSE format('%s is not a land use known%s', p.given,
                            ' in ' || array_to_string(land_use_read.schemes, ', ')) END
    FROM parts p, hits h, code_alone a;
END;
COMMENT ON FUNCTION parcel_gov.land_use_read(text, text[]) IS
  'A 土地用途 cell (a code, a name or both) read against land_uses() in the schemes given (NULL: all): the code (or the name when the schemes give it several codes), whether it is industrial, the schemes that read it; or the problem (unknown, or read differently by the schemes)';

-- A new argument list is a new function: the old one goes; its comment,
-- the roles' grants and any grant a DBA gave on it come back below.
SELECT pg_catalog.set_config('parcel_gov.import_parcels_acl', coalesce(p.proacl, '{}')::text, true)
FROM pg_catalog.pg_proc p
WHERE p.oid = 'parcel_gov.import_parcels(regclass, text, text, text, integer)'::pg_catalog.regprocedure;
DROP FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer);

-- Staged rows into parcel, checked and inserted as one set: the geometry
-- (import_geometries), the 宗地代码 (well-formed, of the region or a code it
-- superseded, once in the file, not yet stored), the holder (a USCC or a
-- name of one of the region's firms), the land use (land_use_read) and the
-- area in the file against the geometry's.  A geometry PostGIS cannot
-- reproject fails the set; the rows that do so are then found by halving
-- the file (one subtransaction per half tried, not per row) and rejected,
-- and the set runs again without them.  Returns one line per staged row:
-- imported, repaired, flagged (imported, something to check) or rejected.
CREATE FUNCTION parcel_gov.import_parcels(staging regclass, region text, code_column text DEFAULT 'zddm',
                                          holder_column text DEFAULT NULL, source_srid integer DEFAULT NULL,
                                          land_use_column text DEFAULT NULL, actual_use_column text DEFAULT NULL,
                                          land_use_schemes text[] DEFAULT NULL,
                                          area_column text DEFAULT NULL, area_unit text DEFAULT NULL,
                                          area_tolerance double precision DEFAULT 0.05)
    RETURNS TABLE (source_row bigint, code text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    -- its statement's estimates over arrays are wild: JIT would compile for
    -- seconds what runs in less
    SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    geom_column name;
    missing text;
    unit text;                  -- the file's area unit, as the reasons name it
    mu_per_unit double precision;
    own_regions text[];         -- the region and the codes it superseded
    visible text[];             -- the caller's region prefixes
    staged parcel_gov.staged_parcel[];
    bad_n bigint[] := '{}';     -- rows whose geometry PostGIS cannot reproject
    bad_reason text[] := '{}';
    todo int8range[];
    span int8range;
    half bigint;
    tried boolean := false;
    r_n bigint[];
    r_code text[];
    r_outcome text[];
    r_reason text[];
BEGIN
    -- It runs as its caller, not as the extension's owner: the staging table
    -- is the caller's (a view of theirs could run anything with the owner's
    -- rights), and the parcels it writes are theirs to write, under the
    -- same row-level security and triggers as their own INSERT.
    PERFORM parcel_gov.require_caller('import_parcels', 'parcel_gov_operator', coalesce(region, ''));
    IF NOT EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = region) THEN
        RAISE EXCEPTION 'unknown region "%"', region USING ERRCODE = '23503',
            HINT = 'Add the county to parcel_gov.region first; parcels are imported one county at a time.';
    END IF;
    SELECT a.attname INTO geom_column FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped AND t.typname = 'geometry'
      AND t.typnamespace = (SELECT x.extnamespace FROM pg_extension x WHERE x.extname = 'postgis')
    ORDER BY a.attnum LIMIT 1;
    IF geom_column IS NULL THEN
        RAISE EXCEPTION 'staging table % has no geometry column', staging USING ERRCODE = '42703',
            HINT = 'Load it with ogr2ogr -f PostgreSQL, which creates one (wkb_geometry, or the name given by -lco GEOMETRY_NAME).';
    END IF;
    SELECT string_agg(format('"%s" (%s)', c.col, c.param), ', ') INTO missing
    FROM (VALUES ('code_column', code_column), ('holder_column', holder_column), ('land_use_column', land_use_column),
                 ('actual_use_column', actual_use_column), ('area_column', area_column)) AS c(param, col)
    WHERE c.col IS NOT NULL
      AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = staging AND a.attname = c.col AND a.attnum > 0 AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'staging table % has no column %', staging, missing USING ERRCODE = '42703',
            HINT = format('Its columns: %s.  ogr2ogr lower-cases Latin names (ZDDM becomes zddm) and keeps Chinese ones (宗地代码).',
                          (SELECT string_agg(a.attname, ', ' ORDER BY a.attnum) FROM pg_attribute a
                           WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped));
    END IF;
    SELECT string_agg(s, ', ') INTO missing FROM unnest(land_use_schemes) AS s
    WHERE s IS NULL OR s NOT IN (SELECT u.scheme FROM parcel_gov.land_uses() u);
    IF missing IS NOT NULL OR cardinality(land_use_schemes) = 0 THEN
        RAISE EXCEPTION 'unknown land-use scheme %', coalesce(missing, '(none given)') USING ERRCODE = '22023',
            HINT = 'land_use_schemes names one or more of GB/T 21010-2017, GB/T 21010-2007, 三调, 用地用海; NULL reads every code in all of them.';
    END IF;
    -- the file's area unit: the parameter, else the header's (面积(平方米))
    IF area_column IS NOT NULL THEN
        unit := CASE WHEN area_unit IS NOT NULL THEN CASE lower(btrim(area_unit))
                         WHEN '平方米' THEN '平方米' WHEN 'm2' THEN '平方米' WHEN '㎡' THEN '平方米' WHEN 'sqm' THEN '平方米'
                         WHEN '亩' THEN '亩' WHEN 'mu' THEN '亩' WHEN '公顷' THEN '公顷' WHEN 'ha' THEN '公顷' END
                     WHEN area_column ~ '公顷' THEN '公顷'
                     WHEN area_column ~ '亩' THEN '亩'
                     WHEN area_column ~ '(平方米|㎡)' THEN '平方米' END;
        IF unit IS NULL THEN
            RAISE EXCEPTION '%', CASE WHEN area_unit IS NULL THEN format('the unit of area column "%s" is not known', area_column)
                                      ELSE format('unknown area unit "%s"', area_unit) END
                USING ERRCODE = '22023',
                      HINT = 'Give area_unit => ''平方米'' (m2), ''亩'' (mu) or ''公顷'' (ha); a header such as 面积(平方米) names it.';
        END IF;
        mu_per_unit := CASE unit WHEN '平方米' THEN 0.0015 WHEN '亩' THEN 1 ELSE 15 END;
        IF area_tolerance IS NULL OR NOT (area_tolerance >= 0 AND area_tolerance < 'Infinity') THEN
            RAISE EXCEPTION 'area_tolerance % is not a share', area_tolerance USING ERRCODE = '22023',
                HINT = 'Give the largest difference accepted between the file''s area and the geometry''s, as a share of the geometry''s: 0.05 for 5 %.';
        END IF;
    ELSIF area_unit IS NOT NULL THEN
        RAISE EXCEPTION 'area_unit without area_column' USING ERRCODE = '22023',
            HINT = 'Name the file''s area column (area_column => ''面积''), or leave area_unit out.';
    END IF;
    own_regions := ARRAY[region] || ARRAY(SELECT r.code FROM parcel_gov.region r WHERE r.superseded_by = region ORDER BY r.code);
    visible := parcel_gov.visible_prefixes_of(parcel_gov.invoker());

    -- the staging table, read once, as its caller may read it
    EXECUTE format(
        'SELECT array_agg(ROW(s.n, s.code, s.holder, s.land_use, s.actual_use, s.area, s.geom)::parcel_gov.staged_parcel ORDER BY s.n)
         FROM (SELECT row_number() OVER (ORDER BY ctid) AS n, %s AS code, %s AS holder, %s AS land_use,
                      %s AS actual_use, %s AS area, %I AS geom FROM %s) AS s',
        format('%I::text', code_column),
        CASE WHEN holder_column IS NULL THEN 'NULL::text' ELSE format('%I::text', holder_column) END,
        CASE WHEN land_use_column IS NULL THEN 'NULL::text' ELSE format('%I::text', land_use_column) END,
        CASE WHEN actual_use_column IS NULL THEN 'NULL::text' ELSE format('%I::text', actual_use_column) END,
        CASE WHEN area_column IS NULL THEN 'NULL::text' ELSE format('%I::text', area_column) END,
        geom_column, staging)
    INTO staged;
    IF staged IS NULL THEN
        RETURN;
    END IF;

    LOOP
        BEGIN
            WITH s AS (
                SELECT * FROM unnest(staged)
            ), geo AS (
                SELECT g.n, g.fit, coalesce(b.reason, g.problem) AS geom_problem, g.repaired
                FROM parcel_gov.import_geometries(staged, source_srid, bad_n) AS g
                LEFT JOIN unnest(bad_n, bad_reason) AS b(n, reason) ON b.n = g.n
            ), keyed AS MATERIALIZED (
                -- each cell's reading computed once, not again at every reference
                SELECT s.n, nullif(upper(btrim(s.code)), '') AS pcode,
                       nullif(btrim(s.holder), '') AS holder_given, nullif(parcel_gov.name_key(s.holder), '') AS holder_key,
                       s.land_use, s.actual_use, s.area,
                       -- full-width digits as ASCII, no spaces, no thousands separators
                       nullif(replace(parcel_gov.name_key(s.area), ',', ''), '') AS area_given
                FROM s
            ), cells AS MATERIALIZED (
                -- Latin letters and digits only, one word: a USCC; anything else a name
                SELECT k.*, k.holder_given !~ '[\s\u3000]' AND k.holder_key ~ '^[0-9A-Z]+$' AND k.holder_key ~ '[0-9]'
                            AS holder_is_code,
                       CASE WHEN k.area_given ~ '^([0-9]{1,15}(\.[0-9]*)?|\.[0-9]+)$' THEN k.area_given::double precision
                            WHEN k.area_given IS NOT NULL THEN 'NaN' END * mu_per_unit AS file_mu
                FROM keyed k
            ), firm AS (
                -- the region's firms the caller may see, by name
                SELECT parcel_gov.name_key(e.name) AS name_key, count(*) AS firms, min(e.uscc) AS uscc,
                       string_agg(e.uscc, ', ' ORDER BY e.uscc) AS usccs
                FROM parcel_gov.enterprise e
                WHERE e.region_code = ANY (own_regions) AND e.region_code ^@ ANY (visible)
                GROUP BY 1
            ), use AS (
                SELECT d.v, r.land_use, r.industrial, r.found_in, r.problem
                FROM (SELECT s.land_use FROM s UNION SELECT s.actual_use FROM s) AS d(v)
                CROSS JOIN LATERAL parcel_gov.land_use_read(d.v, land_use_schemes) AS r
                WHERE d.v IS NOT NULL
            ), checked AS (
                SELECT c.n, c.pcode, geo.fit, geo.repaired, c.file_mu, c.area,
                       CASE WHEN c.pcode IS NULL THEN 'no 宗地代码'
                            WHEN parcel_gov.parcel_code_problem(c.pcode) IS NOT NULL THEN parcel_gov.parcel_code_problem(c.pcode)
                            WHEN left(c.pcode, 6) <> ALL (own_regions)
                              THEN format('宗地代码 of another county (%s), not %s', left(c.pcode, 6), region)
                            WHEN min(c.n) OVER (PARTITION BY c.pcode) < c.n
                              THEN format('the same 宗地代码 earlier in the file (row %s)', min(c.n) OVER (PARTITION BY c.pcode))
                            WHEN geo.geom_problem IS NOT NULL THEN geo.geom_problem
                            WHEN c.holder_is_code AND parcel_gov.uscc_problem(c.holder_key) IS NOT NULL
                                 AND NOT parcel_gov.uscc_early(c.holder_key)
                              THEN 'holder: ' || parcel_gov.uscc_problem(c.holder_key) END AS rejected,
                       CASE WHEN c.holder_is_code THEN e.uscc WHEN f.firms = 1 THEN f.uscc END AS holder_uscc,
                       CASE WHEN c.holder_key IS NULL THEN NULL
                            WHEN c.holder_is_code AND e.uscc IS NULL
                              THEN format('holder %s not found or not permitted: left empty', c.holder_key)
                            WHEN c.holder_is_code AND parcel_gov.uscc_early(c.holder_key)
                              THEN format('holder %s: %s, an early code: check it against the business licence',
                                          c.holder_key, parcel_gov.uscc_problem(c.holder_key))
                            WHEN c.holder_is_code THEN NULL
                            WHEN f.firms IS NULL
                              THEN format('holder %s: no firm of %s by that name: left empty', c.holder_given, region)
                            WHEN f.firms > 1
                              THEN format('holder %s: %s firms of %s by that name (%s): left empty',
                                          c.holder_given, f.firms, region, f.usccs)
                            WHEN parcel_gov.uscc_early(f.uscc)
                              THEN format('holder %s is %s: %s, an early code: check it against the business licence',
                                          c.holder_given, f.uscc, parcel_gov.uscc_problem(f.uscc)) END AS holder_note,
                       pu.land_use AS planned_use, pu.industrial AS planned_industrial, '土地用途 ' || pu.problem AS planned_note,
                       au.land_use AS actual_use, au.industrial AS actual_industrial, '实际用途 ' || au.problem AS actual_note,
                       nullif(array_to_string(ARRAY(SELECT DISTINCT x COLLATE "C" FROM unnest(pu.found_in || au.found_in) AS x
                                                    ORDER BY 1), ', '), '') AS land_use_scheme,
                       CASE WHEN c.file_mu = 'NaN' OR c.file_mu <= 0 THEN format('面积 %s is not an area', c.area) END AS area_note
                FROM cells c
                JOIN geo USING (n)
                LEFT JOIN parcel_gov.enterprise e
                       ON c.holder_is_code AND e.uscc = c.holder_key AND e.region_code ^@ ANY (visible)
                LEFT JOIN firm f ON NOT c.holder_is_code AND f.name_key = c.holder_key
                LEFT JOIN use pu ON pu.v = c.land_use
                LEFT JOIN use au ON au.v = c.actual_use
            ), inserted AS (
                -- a code stored meanwhile, also by a concurrent import, is that row's alone
                INSERT INTO parcel_gov.parcel AS p (code, region_code, holder_uscc, geom, land_use_scheme,
                                                    planned_use, actual_use, planned_industrial, actual_industrial)
                SELECT k.pcode, region, k.holder_uscc, k.fit, k.land_use_scheme,
                       k.planned_use, k.actual_use, k.planned_industrial, k.actual_industrial
                FROM checked k WHERE k.rejected IS NULL ORDER BY k.n
                ON CONFLICT DO NOTHING
                RETURNING p.code, p.area_mu
            ), told AS (
                SELECT k.n, k.pcode, k.rejected, k.repaired, i.code IS NOT NULL AS stored,
                       nullif(concat_ws('; ', k.holder_note, k.planned_note, k.actual_note, k.area_note,
                           CASE WHEN k.file_mu > 0 AND k.file_mu < 'Infinity'
                                     AND abs(k.file_mu - i.area_mu) > area_tolerance * i.area_mu
                                THEN format('面积 %s %s in the file is %s %% %s the geometry''s %s %s%s',
                                            round((k.file_mu / mu_per_unit)::numeric, CASE unit WHEN '平方米' THEN 2 ELSE 4 END),
                                            unit, round(abs(100 * (k.file_mu / i.area_mu - 1))::numeric, 1),
                                            CASE WHEN k.file_mu > i.area_mu THEN 'above' ELSE 'below' END,
                                            round((i.area_mu / mu_per_unit)::numeric, CASE unit WHEN '平方米' THEN 2 ELSE 4 END),
                                            unit, CASE WHEN unit <> '亩' THEN format(' (%s 亩)', round(i.area_mu::numeric, 4)) END)
                                END), '') AS flags
                FROM checked k
                LEFT JOIN inserted i ON k.rejected IS NULL AND i.code = k.pcode
            )
            SELECT array_agg(t.n ORDER BY t.n), array_agg(t.pcode ORDER BY t.n),
                   array_agg(CASE WHEN t.rejected IS NOT NULL OR NOT t.stored THEN 'rejected'
                                  WHEN t.flags IS NOT NULL THEN 'flagged'
                                  WHEN t.repaired IS NOT NULL THEN 'repaired'
                                  ELSE 'imported' END ORDER BY t.n),
                   array_agg(CASE WHEN t.rejected IS NOT NULL THEN t.rejected
                                  WHEN NOT t.stored THEN 'already in parcel'
                                  ELSE nullif(concat_ws('; ', 'repaired: ' || t.repaired, t.flags), '') END ORDER BY t.n)
            INTO r_n, r_code, r_outcome, r_reason
            FROM told t;
            EXIT;
        EXCEPTION WHEN OTHERS THEN
            -- not a geometry PostGIS could not handle, or it still fails
            -- without them: the error stands
            IF tried THEN
                RAISE;
            END IF;
            tried := true;
            -- the rows whose geometry fails, by halves
            todo := ARRAY[int8range(1, cardinality(staged) + 1)];
            WHILE cardinality(todo) > 0 LOOP
                span := todo[cardinality(todo)];
                todo := todo[1:cardinality(todo) - 1];
                BEGIN
                    PERFORM count(g.fit) + count(g.problem) + count(g.repaired)
                    FROM parcel_gov.import_geometries(staged[lower(span):upper(span) - 1], source_srid) AS g;
                EXCEPTION WHEN OTHERS THEN
                    IF upper(span) - lower(span) = 1 THEN
                        bad_n := bad_n || lower(span);
                        bad_reason := bad_reason || ('geometry cannot be reprojected: ' || SQLERRM);
                    ELSE
                        half := (lower(span) + upper(span)) / 2;
                        todo := todo || int8range(half, upper(span)) || int8range(lower(span), half);
                    END IF;
                END;
            END LOOP;
            IF cardinality(bad_n) = 0 THEN
                RAISE;
            END IF;
        END;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(r_n, r_code, r_outcome, r_reason);
END $$;
COMMENT ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision) IS
  '导入宗地 GIS import: a staging table loaded by ogr2ogr into parcel as one set: reprojected to CGCS2000, invalid polygons repaired or rejected, codes checked, holders by USCC or name, 土地用途 read, 面积 compared with the geometry; returns each row''s outcome (imported, repaired, flagged, rejected) and why';
REVOKE EXECUTE ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision) TO parcel_gov_operator;
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT DISTINCT a.grantee
             FROM pg_catalog.aclexplode(pg_catalog.current_setting('parcel_gov.import_parcels_acl')::pg_catalog.aclitem[]) AS a
             WHERE a.privilege_type = 'EXECUTE'
               AND a.grantee <> (SELECT e.extowner FROM pg_catalog.pg_extension e WHERE e.extname = 'parcel_gov') LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer, text, text, text[], text, text, double precision) TO %s',
                                  CASE g.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END);
    END LOOP;
END $$;
-- end import_parcels
