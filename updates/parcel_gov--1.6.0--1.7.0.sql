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
    AS 'MODULE_PATHNAME', 'gbt4754_section'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.gbt4754_section(integer) IS
  'GB/T 4754-2017 门类 (section letter) of a 2-digit 大类 (division): 13–43 → C 制造业; NULL when there is no such division';

CREATE FUNCTION parcel_gov.industry_code_problem(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'industry_code_problem'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_problem(text) IS
  'What is wrong with a GB/T 4754 industry code (no section letter, a letter the division is not in, no such division), or NULL when it is right';

CREATE FUNCTION parcel_gov.industry_code_normal(code text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'industry_code_normal'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.industry_code_normal(text) IS
  '行业代码 as stored: the section letter added to a bare division, group or class (3311 → C3311), upper case, no spaces; NULL when the code is no GB/T 4754 code';

CREATE FUNCTION parcel_gov.industry_code_check(code text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'industry_code_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
          -- a code's or a name's brackets qualify it (企业名称(全称)): no unit
          ON u.kind = n.kind AND (u.unit IS NOT DISTINCT FROM n.unit OR n.kind IN ('code', 'text'))
    )
    SELECT u.target, u.unit, u.factor,
           CASE WHEN u.target IS NULL THEN NULL
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

-- A cell as a number (src/bureau_number.c): NULL when empty (or only -, —,
-- /, which the bureaus write for "none"), NaN when it is not a number.
-- Thousands separators and full-width digits are read.
CREATE FUNCTION parcel_gov.bureau_number(cell text)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'bureau_number'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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

-- The land firms use in a year as the evaluation counts it: held, less what
-- they lease out, plus what they lease in, for leases in force that year;
-- as the caller sees it (the limits' trigger sees every county).  For a set
-- of firm-years at once: one call per statement, each looked up by key.
CREATE FUNCTION parcel_gov.net_land_mu(firms text[], years integer[])
    RETURNS TABLE (uscc text, year integer, net_mu double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT k.uscc, k.year,
           coalesce((SELECT sum(p.area_mu) FROM parcel_gov.parcel p WHERE p.holder_uscc = k.uscc), 0)
         - coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l JOIN parcel_gov.parcel p ON p.code = l.parcel_code
                     WHERE p.holder_uscc = k.uscc AND l.during && y.during), 0)
         + coalesce((SELECT sum(l.area_mu) FROM parcel_gov.lease l
                     WHERE l.lessee_uscc = k.uscc AND l.during && y.during), 0)
    FROM unnest(net_land_mu.firms, net_land_mu.years) AS k(uscc, year)
    CROSS JOIN LATERAL (SELECT daterange(make_date(k.year, 1, 1), make_date(k.year + 1, 1, 1)) AS during) AS y;
END;
COMMENT ON FUNCTION parcel_gov.net_land_mu(text[], integer[]) IS
  '净用地 (亩): firms'' land in years as the evaluation counts it: held − leased out + leased in, leases in force that year; one row per firm-year given';

CREATE FUNCTION parcel_gov.figures_beyond_limits(firms text[], years integer[])
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
    CROSS JOIN LATERAL (SELECT r.* FROM parcel_gov.rule_set r WHERE r.id = parcel_gov.rule_set_for(e.region_code, f.year)) AS r
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

CREATE OR REPLACE FUNCTION parcel_gov.figures_plausible() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    firms text[];
    years integer[];
    changed text[] := '{}';
    bad record;
BEGIN
    -- as the owner, over the rows it is given: the tables it guards only,
    -- never those of a table someone attached it to
    IF TG_RELID NOT IN ('parcel_gov.enterprise_year'::regclass, 'parcel_gov.parcel'::regclass,
                        'parcel_gov.lease'::regclass)
       OR TG_LEVEL <> 'STATEMENT' OR TG_WHEN <> 'AFTER' THEN
        RAISE EXCEPTION 'figures_plausible checks parcel_gov.enterprise_year, parcel and lease only, not %',
                        TG_RELID::regclass
            USING ERRCODE = '39P01';
    END IF;
    IF TG_RELID = 'parcel_gov.enterprise_year'::regclass THEN
        SELECT array_agg(n.uscc), array_agg(n.year) INTO firms, years FROM new_rows n;
    ELSE
        -- the firms whose land changed: holders and lessees, before and after
        IF TG_OP IN ('INSERT', 'UPDATE') AND TG_RELID = 'parcel_gov.parcel'::regclass THEN
            changed := changed || ARRAY(SELECT n.holder_uscc FROM new_rows n WHERE n.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND TG_RELID = 'parcel_gov.parcel'::regclass THEN
            changed := changed || ARRAY(SELECT o.holder_uscc FROM old_rows o WHERE o.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND TG_RELID = 'parcel_gov.lease'::regclass THEN
            changed := changed || ARRAY(SELECT n.lessee_uscc FROM new_rows n)
                               || ARRAY(SELECT p.holder_uscc FROM new_rows n JOIN parcel_gov.parcel p ON p.code = n.parcel_code
                                        WHERE p.holder_uscc IS NOT NULL);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND TG_RELID = 'parcel_gov.lease'::regclass THEN
            changed := changed || ARRAY(SELECT o.lessee_uscc FROM old_rows o)
                               || ARRAY(SELECT p.holder_uscc FROM old_rows o JOIN parcel_gov.parcel p ON p.code = o.parcel_code
                                        WHERE p.holder_uscc IS NOT NULL);
        END IF;
        -- every year of their figures
        SELECT array_agg(y.uscc), array_agg(y.year) INTO firms, years
        FROM parcel_gov.enterprise_year y
        WHERE y.uscc IN (SELECT DISTINCT c FROM unnest(changed) AS c);
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
  'Trigger: a firm''s yearly tax or value added per mu of the land it uses, or tax per kWh, beyond its rule set''s max_tax_per_mu / max_va_per_mu / max_tax_per_kwh is refused (23514), the firm and the figure named, unless figures_confirmed; on parcel and lease, for every year of the firms whose land changed';
CREATE TRIGGER parcel_figures_plausible_insert AFTER INSERT ON parcel_gov.parcel
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_update AFTER UPDATE ON parcel_gov.parcel
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER parcel_figures_plausible_delete AFTER DELETE ON parcel_gov.parcel
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_insert AFTER INSERT ON parcel_gov.lease
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_update AFTER UPDATE ON parcel_gov.lease
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();
CREATE TRIGGER lease_figures_plausible_delete AFTER DELETE ON parcel_gov.lease
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.figures_plausible();

-- A confirmation holds for the figures it was given to (src/figures_confirmation.c).
CREATE FUNCTION parcel_gov.figures_confirmation_lapses() RETURNS trigger
    AS 'MODULE_PATHNAME', 'figures_confirmation_lapses'
    LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.figures_confirmation_lapses() IS
  'Trigger: figures_confirmed turns false when tax, value added or electricity changes in an UPDATE that does not set figures_confirmed itself';
REVOKE EXECUTE ON FUNCTION parcel_gov.figures_confirmation_lapses() FROM PUBLIC;
CREATE TRIGGER enterprise_year_confirmation_lapses BEFORE UPDATE ON parcel_gov.enterprise_year
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.figures_confirmation_lapses();

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


-- The staging table an import reads.  Reading a table runs its owner's
-- code (row-level security policies, casts of their types) with the
-- reader's rights: an import reads only the caller's own plain tables.
CREATE FUNCTION parcel_gov.staging_table_check(staging regclass, loaded_by text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = staging AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION '% is not a table', staging USING ERRCODE = '42809',
            HINT = format('Load the file into a table (%s); a view''s rows can go in with CREATE TABLE … AS SELECT.', loaded_by);
    END IF;
    IF (SELECT c.relowner FROM pg_class c WHERE c.oid = staging) <> parcel_gov.invoker() THEN
        RAISE EXCEPTION '% belongs to %, not to %', staging,
              (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = staging), parcel_gov.invoker()::regrole
            USING ERRCODE = '42501',
            HINT = 'Import a staging table of your own: load the file yourself, or CREATE TABLE staging.mine AS TABLE theirs.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.staging_table_check(regclass, text) IS
  'internal: 42809 unless the staging table is a plain (or foreign) table, 42501 unless the caller owns it: reading another role''s table runs its owner''s policies with the importer''s rights';

-- Firms' yearly figures from the bureaus' spreadsheets.
CREATE FUNCTION parcel_gov.import_enterprise_years(source regclass, year integer, region text,
                                                   accept_implausible boolean DEFAULT false)
    RETURNS TABLE (source_row bigint, uscc text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    figures constant text[] := ARRAY['tax', 'value_added', 'revenue', 'rd_expense', 'staff', 'energy_tce',
                                     'emission_t', 'electricity_kwh', 'bonus', 'deduction'];
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
                       r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.bonus, r.deduction, r.exempt_reason,
                       r.veto_reason)::text) OVER same
                 = max(row(r.name, r.industry_code, r.size_class, r.year, r.tax, r.value_added, r.revenue, r.rd_expense,
                           r.staff, r.energy_tce, r.emission_t, r.electricity_kwh, r.bonus, r.deduction, r.exempt_reason,
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
               s.electricity_kwh AS s_electricity_kwh, s.bonus AS s_bonus, s.deduction AS s_deduction,
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
                                                                    WHEN 'electricity_kwh' THEN 1e12 ELSE 1e9 END) AS too_large,
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
                         (9, 'bonus', m.bonus_cell, m.bonus, m.s_bonus), (10, 'deduction', m.deduction_cell, m.deduction, m.s_deduction))
                 AS x(i, target, cell, value, stored)
            CROSS JOIN LATERAL (SELECT x.i, x.target, headers ->> x.target AS header, x.cell, x.value, x.stored) AS v
        ) AS f
    )
    SELECT c.n, c.code, c.firm_name, c.size, c.industry, c.firm_seen, c.stored_industry, c.year_stored, c.s_confirmed,
           c.m_tax, c.m_value_added, c.m_revenue, c.m_rd_expense, c.m_staff, c.m_energy_tce, c.m_emission_t,
           c.m_electricity_kwh, c.m_bonus, c.m_deduction, c.m_exempt_reason, c.m_veto_reason,
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
         exempt_reason, veto_reason, bonus, deduction, figures_confirmed)
    SELECT r.code, import_enterprise_years.year, r.size, r.m_tax, r.m_value_added, r.m_revenue, r.m_rd_expense,
           r.m_staff, r.m_energy_tce, r.m_emission_t, r.m_electricity_kwh, r.m_exempt_reason, r.m_veto_reason,
           r.m_bonus, r.m_deduction,
           CASE WHEN cardinality(r.implausible) > 0 THEN true WHEN r.limit_figures_kept THEN r.s_confirmed ELSE false END
    FROM pg_temp.parcel_gov_import_rows r
    WHERE cardinality(r.rejects) = 0 AND (cardinality(r.implausible) = 0 OR accept_implausible)
    ON CONFLICT ON CONSTRAINT enterprise_year_pkey DO UPDATE
    SET size_class = EXCLUDED.size_class, tax = EXCLUDED.tax, value_added = EXCLUDED.value_added,
        revenue = EXCLUDED.revenue, rd_expense = EXCLUDED.rd_expense, staff = EXCLUDED.staff,
        energy_tce = EXCLUDED.energy_tce, emission_t = EXCLUDED.emission_t, electricity_kwh = EXCLUDED.electricity_kwh,
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
-- Zhejiang's divisions: the province, its cities and counties ship as rows
-- of region (shipped, read-only, not dumped); counties add their townships
-- (9-digit codes, level township); firms and parcels stay under 6-digit codes.
ALTER TABLE parcel_gov.region ADD COLUMN shipped boolean NOT NULL DEFAULT false;
-- level becomes a plain column set by a trigger (a generated column's
-- expression cannot change in PostgreSQL 15); its place and grants stay
ALTER TABLE parcel_gov.region ALTER COLUMN level DROP EXPRESSION;
ALTER TABLE parcel_gov.region
    DROP CONSTRAINT region_code_6_digits,
    ADD CONSTRAINT region_code_6_or_9_digits CHECK (code ~ '^[0-9]{6}([0-9]{3})?$'),
    ADD CONSTRAINT region_level_of_code CHECK (level = CASE WHEN length(code) = 9 THEN 'township'
                                                            WHEN code LIKE '%0000' THEN 'province'
                                                            WHEN code LIKE '%00' THEN 'city' ELSE 'county' END),
    ADD CONSTRAINT region_township_in_its_county
        CHECK (length(code) = 6 OR (parent_code = left(code, 6) AND parent_code !~ '00$'));
COMMENT ON TABLE parcel_gov.region IS
  '行政区划 (administrative divisions): GB/T 2260 codes, 330000 province, 330600 city, 330604 county, and 乡镇街道 townships by the statistics bureau''s 9-digit codes (330604100); Zhejiang''s province, cities and counties ship with parcel_gov (shipped, read-only), superseded codes with their validity to the month (上虞市 330682 → 上虞区 330604 from 2013-10-01); counties add their townships';
COMMENT ON COLUMN parcel_gov.region.level IS
  '层级: province, city, county or township, from the code (set by the trigger region_level)';
COMMENT ON COLUMN parcel_gov.region.valid_to IS
  '停用日期: the first day of the month the code was superseded (validity is known to the month); NULL while in use';
COMMENT ON COLUMN parcel_gov.region.superseded_by IS
  '继承代码: the code that took over most of a superseded one';
COMMENT ON COLUMN parcel_gov.region.shipped IS
  '内置区划: a row parcel_gov ships (the national list, read-only, not dumped: CREATE EXTENSION brings it back); false for the rows a county adds (乡镇街道 townships, a new code)';
-- A region's level follows its code: whatever a writer gives is replaced.
CREATE FUNCTION parcel_gov.region_level() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- as the check region_level_of_code has it
    NEW.level := CASE WHEN length(NEW.code) = 9 THEN 'township'
                      WHEN NEW.code LIKE '%0000' THEN 'province'
                      WHEN NEW.code LIKE '%00' THEN 'city' ELSE 'county' END;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.region_level() IS
  'Trigger: sets a region''s level from its code (9 digits township, xx0000 province, xxxx00 city, else county)';
CREATE TRIGGER region_level BEFORE INSERT OR UPDATE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_level();

-- The shipped regions are the national list: pg_dump leaves them out and
-- CREATE EXTENSION brings them back, so a county's change to them would be
-- lost, and a county's own row marked shipped would vanish from its dumps.
-- The extension's scripts and a restore run as a superuser, who passes.
-- A dump taken before 1.7.0 holds the regions the county entered itself:
-- restored by a superuser (row_security off, as pg_restore and pg_dump's
-- scripts set it, src/restore_mode.c), a row of a shipped code gives way
-- to the shipped row, as the update to 1.7.0 makes it.
CREATE FUNCTION parcel_gov.region_shipped_read_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the calling role, as in every guard of the extension
    IF (SELECT r.rolsuper FROM pg_roles r WHERE r.oid = parcel_gov.invoker()) THEN
        IF TG_OP = 'INSERT' AND NOT NEW.shipped AND NOT current_setting('row_security')::boolean
           AND EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = NEW.code AND r.shipped) THEN
            RETURN NULL;
        END IF;
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'region % % ships with parcel_gov and is read-only', OLD.code, OLD.name
            USING ERRCODE = '42501',
                  HINT = 'The shipped regions are the national list (GB/T 2260). Add your townships (9-digit codes under your county) or a new code as rows of your own.';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.shipped THEN
        RAISE EXCEPTION 'region % cannot be marked shipped', NEW.code
            USING ERRCODE = '42501',
                  HINT = 'Only the regions parcel_gov ships have shipped = true; add yours with shipped = false (the default).';
    END IF;
    RETURN coalesce(NEW, OLD);
END $$;
COMMENT ON FUNCTION parcel_gov.region_shipped_read_only() IS
  'Trigger: the shipped regions cannot be changed or deleted, nor a row marked shipped (42501), but by a superuser (the extension''s scripts, a restore); a superuser''s restore of a region of a shipped code (a dump taken before 1.7.0) keeps the shipped row';
CREATE TRIGGER region_shipped_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_shipped_read_only();
-- The shipped rows are left out of logical replication by a row filter on
-- shipped (README: backups); a filter on a column outside the key needs
-- the whole row as the replica identity for updates and deletes.
ALTER TABLE parcel_gov.region REPLICA IDENTITY FULL;

REVOKE EXECUTE ON FUNCTION parcel_gov.region_level(), parcel_gov.region_shipped_read_only() FROM PUBLIC;

-- The shipped rows.  A county's own row of a shipped code becomes the
-- shipped row (official name, parent, validity), or its next dump would
-- collide on restore with the row CREATE EXTENSION brings.  Parents and
-- the codes superseded rows point at come first.
-- the province and its 11 cities
INSERT INTO parcel_gov.region (code, name, parent_code, shipped) VALUES
  ('330000', '浙江省', NULL, true),
  ('330100', '杭州市', '330000', true),
  ('330200', '宁波市', '330000', true),
  ('330300', '温州市', '330000', true),
  ('330400', '嘉兴市', '330000', true),
  ('330500', '湖州市', '330000', true),
  ('330600', '绍兴市', '330000', true),
  ('330700', '金华市', '330000', true),
  ('330800', '衢州市', '330000', true),
  ('330900', '舟山市', '330000', true),
  ('331000', '台州市', '330000', true),
  ('331100', '丽水市', '330000', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;

-- the 90 county-level divisions (县级), under their city
INSERT INTO parcel_gov.region (code, name, parent_code, shipped) VALUES
  ('330102', '上城区', '330100', true),
  ('330105', '拱墅区', '330100', true),
  ('330106', '西湖区', '330100', true),
  ('330108', '滨江区', '330100', true),
  ('330109', '萧山区', '330100', true),
  ('330110', '余杭区', '330100', true),
  ('330111', '富阳区', '330100', true),
  ('330112', '临安区', '330100', true),
  ('330113', '临平区', '330100', true),
  ('330114', '钱塘区', '330100', true),
  ('330122', '桐庐县', '330100', true),
  ('330127', '淳安县', '330100', true),
  ('330182', '建德市', '330100', true),
  ('330203', '海曙区', '330200', true),
  ('330205', '江北区', '330200', true),
  ('330206', '北仑区', '330200', true),
  ('330211', '镇海区', '330200', true),
  ('330212', '鄞州区', '330200', true),
  ('330213', '奉化区', '330200', true),
  ('330225', '象山县', '330200', true),
  ('330226', '宁海县', '330200', true),
  ('330281', '余姚市', '330200', true),
  ('330282', '慈溪市', '330200', true),
  ('330302', '鹿城区', '330300', true),
  ('330303', '龙湾区', '330300', true),
  ('330304', '瓯海区', '330300', true),
  ('330305', '洞头区', '330300', true),
  ('330324', '永嘉县', '330300', true),
  ('330326', '平阳县', '330300', true),
  ('330327', '苍南县', '330300', true),
  ('330328', '文成县', '330300', true),
  ('330329', '泰顺县', '330300', true),
  ('330381', '瑞安市', '330300', true),
  ('330382', '乐清市', '330300', true),
  ('330383', '龙港市', '330300', true),
  ('330402', '南湖区', '330400', true),
  ('330411', '秀洲区', '330400', true),
  ('330421', '嘉善县', '330400', true),
  ('330424', '海盐县', '330400', true),
  ('330481', '海宁市', '330400', true),
  ('330482', '平湖市', '330400', true),
  ('330483', '桐乡市', '330400', true),
  ('330502', '吴兴区', '330500', true),
  ('330503', '南浔区', '330500', true),
  ('330521', '德清县', '330500', true),
  ('330522', '长兴县', '330500', true),
  ('330523', '安吉县', '330500', true),
  ('330602', '越城区', '330600', true),
  ('330603', '柯桥区', '330600', true),
  ('330604', '上虞区', '330600', true),
  ('330624', '新昌县', '330600', true),
  ('330681', '诸暨市', '330600', true),
  ('330683', '嵊州市', '330600', true),
  ('330702', '婺城区', '330700', true),
  ('330703', '金东区', '330700', true),
  ('330723', '武义县', '330700', true),
  ('330726', '浦江县', '330700', true),
  ('330727', '磐安县', '330700', true),
  ('330781', '兰溪市', '330700', true),
  ('330782', '义乌市', '330700', true),
  ('330783', '东阳市', '330700', true),
  ('330784', '永康市', '330700', true),
  ('330802', '柯城区', '330800', true),
  ('330803', '衢江区', '330800', true),
  ('330822', '常山县', '330800', true),
  ('330824', '开化县', '330800', true),
  ('330825', '龙游县', '330800', true),
  ('330881', '江山市', '330800', true),
  ('330902', '定海区', '330900', true),
  ('330903', '普陀区', '330900', true),
  ('330921', '岱山县', '330900', true),
  ('330922', '嵊泗县', '330900', true),
  ('331002', '椒江区', '331000', true),
  ('331003', '黄岩区', '331000', true),
  ('331004', '路桥区', '331000', true),
  ('331022', '三门县', '331000', true),
  ('331023', '天台县', '331000', true),
  ('331024', '仙居县', '331000', true),
  ('331081', '温岭市', '331000', true),
  ('331082', '临海市', '331000', true),
  ('331083', '玉环市', '331000', true),
  ('331102', '莲都区', '331100', true),
  ('331121', '青田县', '331100', true),
  ('331122', '缙云县', '331100', true),
  ('331123', '遂昌县', '331100', true),
  ('331124', '松阳县', '331100', true),
  ('331125', '云和县', '331100', true),
  ('331126', '庆元县', '331100', true),
  ('331127', '景宁畲族自治县', '331100', true),
  ('331181', '龙泉市', '331100', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;

-- 丽水地区 and its counties until it became the city 丽水市 (2000-05)
INSERT INTO parcel_gov.region (code, name, parent_code, valid_to, superseded_by, shipped) VALUES
  ('332500', '丽水地区', '330000', '2000-05-01', '331100', true),
  ('332501', '丽水市', '332500', '2000-05-01', '331102', true),
  ('332502', '龙泉市', '332500', '2000-05-01', '331181', true),
  ('332522', '青田县', '332500', '2000-05-01', '331121', true),
  ('332523', '云和县', '332500', '2000-05-01', '331125', true),
  ('332525', '庆元县', '332500', '2000-05-01', '331126', true),
  ('332526', '缙云县', '332500', '2000-05-01', '331122', true),
  ('332527', '遂昌县', '332500', '2000-05-01', '331123', true),
  ('332528', '松阳县', '332500', '2000-05-01', '331124', true),
  ('332529', '景宁畲族自治县', '332500', '2000-05-01', '331127', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;

-- county-level codes superseded since 2000 (撤县设区, 撤市设区, mergers)
INSERT INTO parcel_gov.region (code, name, parent_code, valid_to, superseded_by, shipped) VALUES
  ('330721', '金华县', '330700', '2000-12-01', '330703', true),
  ('330181', '萧山市', '330100', '2001-02-01', '330109', true),
  ('330184', '余杭市', '330100', '2001-02-01', '330110', true),
  ('330821', '衢县', '330800', '2001-09-01', '330803', true),
  ('330227', '鄞县', '330200', '2002-02-01', '330212', true),
  ('330621', '绍兴县', '330600', '2013-10-01', '330603', true),
  ('330682', '上虞市', '330600', '2013-10-01', '330604', true),
  ('330183', '富阳市', '330100', '2014-12-01', '330111', true),
  ('330322', '洞头县', '330300', '2015-07-01', '330305', true),
  ('330204', '江东区', '330200', '2016-09-01', '330212', true),
  ('330283', '奉化市', '330200', '2016-09-01', '330213', true),
  ('331021', '玉环县', '331000', '2017-04-01', '331083', true),
  ('330185', '临安市', '330100', '2017-08-01', '330112', true),
  ('330103', '下城区', '330100', '2021-03-01', '330105', true),
  ('330104', '江干区', '330100', '2021-03-01', '330102', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region', 'WHERE NOT shipped');

-- Firms and parcels stay filed under counties (6-digit codes), not townships.
ALTER TABLE parcel_gov.enterprise
    ADD CONSTRAINT enterprise_region_6_digits CHECK (region_code ~ '^[0-9]{6}$');
ALTER TABLE parcel_gov.parcel
    ADD CONSTRAINT parcel_region_6_digits CHECK (region_code ~ '^[0-9]{6}$');
-- Targets too: v_target_progress reads a county, a city or the province.
ALTER TABLE parcel_gov.region_target
    ADD CONSTRAINT region_target_region_6_digits CHECK (region_code ~ '^[0-9]{6}$');

-- simulate() copies the proposal for the counties with firms only, not for
-- every shipped county of the region.
CREATE OR REPLACE FUNCTION parcel_gov.simulate(year integer, rule_set text, region text DEFAULT NULL)
    RETURNS TABLE (simulation_id bigint, uscc text, name text, current_score double precision,
                   current_grade parcel_gov.grade, simulated_score double precision, simulated_grade parcel_gov.grade)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := simulate.year;
    prefix constant text := parcel_gov.region_prefix(simulate.region);
    proposal constant text := simulate.rule_set;
    simulated jsonb;
    entering integer;
    clearing integer;
    sim_id bigint;
BEGIN
    PERFORM parcel_gov.require_caller('simulate', 'parcel_gov_analyst', prefix);
    IF y IS NULL OR proposal IS NULL THEN
        RAISE EXCEPTION 'simulate needs a year and a rule set' USING ERRCODE = '22004',
            HINT = 'e.g. simulate(2024, ''wenling'', ''330604'').';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set r WHERE r.id = proposal) THEN
        RAISE EXCEPTION 'no rule set %', proposal USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_pool p WHERE p.rule_set_id = proposal) THEN
        RAISE EXCEPTION 'rule set % has no pools', proposal USING ERRCODE = '22023',
            HINT = 'A rule set needs its pools and indicators (rule_pool, rule_indicator) to grade.';
    END IF;
    BEGIN
        -- the proposal applies to every county of the region this year: a
        -- county-level copy starting this year is the most specific rule
        -- (for the counties with firms: most shipped ones have none here)
        DELETE FROM parcel_gov.rule_set r
        WHERE length(r.region_prefix) = 6 AND starts_with(r.region_prefix, prefix) AND r.year_from = y;
        PERFORM parcel_gov.rule_set_adopt(proposal, 'simulation_' || g.code, g.code, y, y)
        FROM parcel_gov.region g
        WHERE g.level = 'county' AND starts_with(g.code, prefix)
          AND EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.region_code = g.code);
        PERFORM parcel_gov.evaluate(y, simulate.region);
        SELECT coalesce(jsonb_agg(jsonb_build_object('uscc', e.uscc, 'region', e.region_code,
                                                     'score', e.score, 'grade', e.grade)), '[]')
        INTO simulated FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix);
        SELECT count(*) FILTER (WHERE r.entered_at IS NULL AND r.state = 'candidate'
                                  AND r.state_since >= pg_catalog.now()),
               count(*) FILTER (WHERE r.state = 'assessing' AND r.clears_thresholds)
        INTO entering, clearing
        FROM parcel_gov.register r WHERE starts_with(r.parcel_code, prefix);
        RAISE EXCEPTION 'simulation rolled back' USING ERRCODE = 'PGSIM';
    EXCEPTION WHEN SQLSTATE 'PGSIM' THEN
        NULL;   -- the evaluation, the register and the rules are as they were
    END;
    INSERT INTO parcel_gov.simulation (year, rule_set_id, region_prefix, firms, parcels_entering, parcels_clearing)
    VALUES (y, proposal, prefix, jsonb_array_length(simulated), entering, clearing)
    RETURNING id INTO sim_id;
    INSERT INTO parcel_gov.simulation_firm
    SELECT sim_id, coalesce(s.uscc, e.uscc), coalesce(s.region, e.region_code), e.score, e.grade, s.score, s.grade
    FROM (SELECT * FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix)) AS e
    FULL JOIN jsonb_to_recordset(simulated) AS s(uscc text, region text, score double precision, grade parcel_gov.grade)
      ON s.uscc = e.uscc;
    RETURN QUERY
    SELECT f.simulation_id, f.uscc, n.name, f.current_score, f.current_grade, f.simulated_score, f.simulated_grade
    FROM parcel_gov.simulation_firm f LEFT JOIN parcel_gov.enterprise n ON n.uscc = f.uscc
    WHERE f.simulation_id = sim_id ORDER BY f.uscc;
END $$;
-- (end of Zhejiang's divisions)

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
    -- the caller's own table, and the columns read of built-in types
    PERFORM parcel_gov.staging_table_check(staging, 'ogr2ogr -f PostgreSQL');
    SELECT string_agg(format('"%s" is of type %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ') INTO missing
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname IN (code_column, holder_column, land_use_column, actual_use_column, area_column)
      AND t.typnamespace <> 'pg_catalog'::regnamespace;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'columns of % cannot be read: %', staging, missing USING ERRCODE = '42804',
            HINT = 'Load the file as ogr2ogr does: codes, names and areas as text or numbers.';
    END IF;
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

    -- the staging table, read once, as its caller may read it; rows in the
    -- file's order: ogr2ogr's feature number, else as stored
    EXECUTE format(
        'SELECT array_agg(ROW(s.n, s.code, s.holder, s.land_use, s.actual_use, s.area, s.geom)::parcel_gov.staged_parcel ORDER BY s.n)
         FROM (SELECT row_number() OVER (ORDER BY %s) AS n, %s AS code, %s AS holder, %s AS land_use,
                      %s AS actual_use, %s AS area, %I AS geom FROM %s) AS s',
        CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = staging AND a.attname = 'ogc_fid'
                                                      AND a.attnum > 0 AND NOT a.attisdropped)
             THEN 'ogc_fid' ELSE 'ctid' END,
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
            -- failing again without the rows found: the error stands
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
            -- no geometry fails: the error was another, and stands
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

-- county_writes_own: the columns by name, not through to_jsonb(NEW) (a
-- parcel's geometry as GeoJSON, per row); the triggers without arguments.
CREATE OR REPLACE FUNCTION parcel_gov.county_writes_own() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old_firm text;
    old_code text;
    new_firm text;
    new_code text;
BEGIN
    -- the calling role, also when it writes through import_parcels()
    IF pg_has_role(parcel_gov.invoker(), 'parcel_gov_admin', 'MEMBER') THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    -- the columns by name, table by table (not through to_jsonb(NEW), which
    -- writes a parcel's geometry out as GeoJSON: most of an import's time)
    IF TG_TABLE_NAME = 'parcel' THEN
        IF TG_OP <> 'INSERT' THEN old_firm := OLD.holder_uscc; old_code := OLD.code; END IF;
        IF TG_OP <> 'DELETE' THEN new_firm := NEW.holder_uscc; new_code := NEW.code; END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN old_firm := OLD.lessee_uscc; old_code := OLD.parcel_code; END IF;
        IF TG_OP <> 'DELETE' THEN new_firm := NEW.lessee_uscc; new_code := NEW.parcel_code; END IF;
    END IF;
    -- a row linked to another county's firm is the province's to change:
    -- its land is that firm's, and so are its grades
    IF old_firm IS NOT NULL
       AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e
                       WHERE e.uscc = old_firm
                         AND e.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
        RAISE EXCEPTION '% % is linked to a firm of another county', TG_TABLE_NAME, old_code
            USING ERRCODE = '42501',
                  HINT = 'Land a firm of another county holds or leases is changed by the province (parcel_gov_admin).';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'parcel' THEN
        IF left(new_code, 6) <> NEW.region_code
           AND NOT EXISTS (SELECT FROM parcel_gov.region r
                           WHERE r.code = left(new_code, 6) AND r.superseded_by = NEW.region_code) THEN
            RAISE EXCEPTION 'parcel code % does not name region %', new_code, NEW.region_code USING ERRCODE = '23514',
                HINT = 'The first six digits of a 宗地代码 are its county''s code (GB/T 37346); file the parcel under that county.';
        END IF;
    END IF;
    IF new_firm IS NOT NULL AND new_firm IS DISTINCT FROM old_firm
       AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e
                       WHERE e.uscc = new_firm
                         AND e.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
        RAISE EXCEPTION 'firm % not found or not permitted', new_firm USING ERRCODE = '23503',
            HINT = 'Add the firm to your county first; a firm of another county holds or leases land here only when the province (parcel_gov_admin) links it.';
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.county_writes_own() IS
  'Trigger: for county roles, a parcel''s code names its region (23514), a holder or lessee is one of the writer''s firms (23503, "not found or not permitted"), and a parcel or lease linked to another county''s firm is not theirs to change (42501); parcel_gov_admin links across counties';
CREATE OR REPLACE TRIGGER parcel_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.parcel
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own();
CREATE OR REPLACE TRIGGER lease_county_writes_own BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.lease
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.county_writes_own();


-- The code prefixes a role may see: '' (everything) for members of
-- parcel_gov_admin, else the prefixes granted to any existing role it is a
-- member of.  PL/pgSQL, not SQL: a SQL function with a SET clause is planned
-- again in every statement that calls it (0.3 ms), and the county triggers
-- call it once a row.
CREATE OR REPLACE FUNCTION parcel_gov.visible_prefixes_of(who regrole)
    RETURNS text[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_has_role(who, 'parcel_gov_admin', 'MEMBER') THEN
        RETURN ARRAY[''];
    END IF;
    RETURN coalesce((SELECT array_agg(g.region_prefix)
                     FROM parcel_gov.role_region g JOIN pg_roles r ON r.oid = g.grantee
                     WHERE pg_has_role(who, r.oid, 'MEMBER')), '{}');
END $$;
COMMENT ON FUNCTION parcel_gov.visible_prefixes_of(regrole) IS
  'the region code prefixes a role may see and change ('''' = every region, for parcel_gov_admin)';

-- The current user's: what the row-level security policies read.
CREATE OR REPLACE FUNCTION parcel_gov.visible_prefixes()
    RETURNS text[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (SELECT parcel_gov.visible_prefixes_of(r.oid::regrole) FROM pg_roles r WHERE r.rolname = current_user);
END $$;
