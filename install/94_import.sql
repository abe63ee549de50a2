-- GIS import: parcels from the files counties hold (Shapefile or GeoJSON from
-- the natural-resources bureau, CGCS2000 geographic or Gauss-Krüger, GBK or
-- UTF-8 attributes), loaded by ogr2ogr into a staging table, then checked
-- and inserted as one set into parcel.  README "Importing parcels" has the
-- ogr2ogr line and what each outcome means.

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
CREATE FUNCTION parcel_gov.import_geometry(geom geometry, source_srid integer,
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
