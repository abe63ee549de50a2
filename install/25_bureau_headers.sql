-- The bureaus' spreadsheets as they come: columns named by Chinese headers
-- with the unit in brackets (税收(万元), 用电量（万千瓦时）), numbers written
-- with thousands separators or full-width digits.  import_enterprise_years()
-- reads a staging table through these two functions.

-- What a header names: the enterprise_year / enterprise column, the unit
-- read from its brackets and the factor into the unit stored (money 万元,
-- energy tce, emissions and COD t, electricity kWh, water t); or why it cannot be used.  A
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
            ('营业收入', 'revenue', 'money'), ('主营业务收入', 'main_revenue', 'money'),
            ('研发经费', 'rd_expense', 'money'), ('研发经费支出', 'rd_expense', 'money'),
            ('从业人员', 'staff', 'people'), ('从业人员数', 'staff', 'people'), ('年平均职工人数', 'staff', 'people'),
            ('综合能耗', 'energy_tce', 'energy'), ('排放量', 'emission_t', 'mass'),
            ('主要污染物排放量', 'emission_t', 'mass'),
            ('用电量', 'electricity_kwh', 'electricity'), ('总用电量', 'electricity_kwh', 'electricity'),
            ('用水量', 'water_t', 'water'), ('总用水量', 'water_t', 'water'),
            ('化学需氧量排放量', 'cod_t', 'mass'), ('COD排放量', 'cod_t', 'mass'),
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
            -- a cubic metre of water is a tonne
            ('water', '吨', 1), ('water', 't', 1), ('water', '立方米', 1), ('water', 'm3', 1), ('water', 'm³', 1),
            ('water', '万吨', 1e4), ('water', '万立方米', 1e4),
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
                                          WHEN 'water' THEN u.name || '(吨) or ' || u.name || '(立方米)'
                                          ELSE u.name || '(万千瓦时) or ' || u.name || '(千瓦时)' END)
                WHEN u.factor IS NULL AND u.kind NOT IN ('code', 'text')
                  THEN format('"%s": unit %s is not one this import knows for %s (%s)', bureau_header.header,
                              u.unit, u.target,
                              CASE u.kind WHEN 'money' THEN '元, 千元, 万元, 亿元'
                                          WHEN 'people' THEN '人'
                                          WHEN 'energy' THEN '吨标煤, 万吨标煤'
                                          WHEN 'mass' THEN '吨, 千克'
                                          WHEN 'water' THEN '吨, 立方米, 万吨, 万立方米'
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
