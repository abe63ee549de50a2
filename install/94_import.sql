-- GIS import: parcels from the files counties hold (Shapefile or GeoJSON from
-- the natural-resources bureau, CGCS2000 geographic or Gauss-Krüger, GBK or
-- UTF-8 attributes), loaded by ogr2ogr into a staging table, then checked
-- row by row into parcel.  README "Importing parcels" has the ogr2ogr line.

-- One staged geometry made fit for parcel.geom: its SRID (the one ogr2ogr
-- read from the .prj, or source_srid when the file had none), reprojected to
-- CGCS2000, 2-D, multi; an invalid polygon repaired by ST_MakeValid when the
-- repair keeps an area.  problem says why a geometry cannot be used.
CREATE FUNCTION parcel_gov.import_geometry(geom geometry, source_srid integer,
                                           OUT fit geometry, OUT problem text, OUT repaired text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH given AS (
        SELECT CASE WHEN ST_SRID(import_geometry.geom) = 0 AND import_geometry.source_srid IS NOT NULL
                    THEN ST_SetSRID(import_geometry.geom, import_geometry.source_srid)
                    ELSE import_geometry.geom END AS g
    ), usable AS (
        SELECT g.g, CASE
            WHEN g.g IS NULL THEN 'no geometry'
            WHEN ST_IsEmpty(g.g) THEN 'empty geometry'
            WHEN ST_SRID(g.g) = 0 THEN 'no SRID (the file had no .prj): give source_srid, e.g. 4490 for CGCS2000 longitude/latitude or 4549 for Gauss-Krüger CM 120E'
            WHEN NOT EXISTS (SELECT FROM spatial_ref_sys s WHERE s.srid = ST_SRID(g.g)) THEN format('unknown SRID %s', ST_SRID(g.g))
            WHEN GeometryType(g.g) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN format('not a polygon but a %s', lower(GeometryType(g.g)))
            END AS problem
        FROM given g
    ), moved AS (
        SELECT u.problem, CASE WHEN u.problem IS NULL THEN ST_Transform(ST_Force2D(u.g), 4490) END AS g FROM usable u
    ), placed AS (
        SELECT m.g, coalesce(m.problem, CASE WHEN ST_XMin(m.g) < 73 OR ST_XMax(m.g) > 136 OR ST_YMin(m.g) < 3 OR ST_YMax(m.g) > 54
            THEN format('outside China after reprojection (%s … %s °E, %s … %s °N): the SRID does not match the coordinates',
                        round(ST_XMin(m.g)::numeric, 3), round(ST_XMax(m.g)::numeric, 3),
                        round(ST_YMin(m.g)::numeric, 3), round(ST_YMax(m.g)::numeric, 3)) END) AS problem
        FROM moved m
    ), checked AS (
        SELECT p.g, p.problem, CASE WHEN p.problem IS NULL AND NOT (ST_IsValidDetail(p.g)).valid THEN ST_IsValidReason(p.g) END AS invalid
        FROM placed p
    ), fixed AS (
        SELECT c.problem, c.invalid,
               CASE WHEN c.problem IS NULL THEN ST_Multi(CASE WHEN c.invalid IS NULL THEN c.g
                                                             ELSE ST_CollectionExtract(ST_MakeValid(c.g), 3) END) END AS g
        FROM checked c
    )
    SELECT CASE WHEN f.problem IS NULL AND NOT ST_IsEmpty(f.g) AND ST_Area(f.g) > 0 THEN f.g END,
           coalesce(f.problem, CASE WHEN ST_IsEmpty(f.g) OR ST_Area(f.g) = 0
                                    THEN format('invalid polygon (%s) with no area left after repair', f.invalid) END),
           CASE WHEN f.problem IS NULL AND f.invalid IS NOT NULL THEN f.invalid END
    FROM fixed f;
END;
COMMENT ON FUNCTION parcel_gov.import_geometry(geometry, integer) IS
  'internal: a staged geometry reprojected to CGCS2000 (EPSG:4490), 2-D and multi, repaired when invalid; or why it cannot be used';

-- Staged rows into parcel, each checked: the geometry (import_geometry), the
-- 宗地代码 (well-formed, in the region, not twice in the file, not already
-- stored), the holder's USCC (valid; a holder not yet in enterprise is left
-- empty and said so).  Returns one line per staged row: imported, repaired
-- (imported with a repaired geometry) or rejected, and why.
CREATE FUNCTION parcel_gov.import_parcels(staging regclass, region text, code_column text DEFAULT 'zddm',
                                          holder_column text DEFAULT NULL, source_srid integer DEFAULT NULL)
    RETURNS TABLE (source_row bigint, code text, outcome text, reason text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    geom_column name;
    staged record;
    checked record;
    holder text;
    note text;
    seen text[] := '{}';
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
    FOR staged IN EXECUTE format(
        'SELECT row_number() OVER (ORDER BY ctid) AS n, %I::text AS code, %s AS holder, %I AS geom FROM %s',
        code_column, CASE WHEN holder_column IS NULL THEN 'NULL::text' ELSE format('%I::text', holder_column) END,
        geom_column, staging)
    LOOP
        source_row := staged.n;
        code := upper(btrim(staged.code));
        holder := nullif(upper(btrim(staged.holder)), '');
        outcome := 'rejected';
        reason := NULL;
        note := NULL;
        BEGIN
            SELECT * INTO checked FROM parcel_gov.import_geometry(staged.geom, source_srid);
        EXCEPTION WHEN OTHERS THEN
            checked := NULL;
            reason := 'geometry cannot be reprojected: ' || SQLERRM;
        END;
        reason := coalesce(reason, CASE
            WHEN code IS NULL OR code = '' THEN 'no 宗地代码'
            WHEN parcel_gov.parcel_code_problem(code) IS NOT NULL THEN parcel_gov.parcel_code_problem(code)
            WHEN NOT starts_with(code, region) THEN format('宗地代码 of another county (%s), not %s', left(code, 6), region)
            WHEN code = ANY (seen) THEN 'the same 宗地代码 earlier in the file'
            WHEN EXISTS (SELECT FROM parcel_gov.parcel p WHERE p.code = import_parcels.code) THEN 'already in parcel'
            WHEN checked.problem IS NOT NULL THEN checked.problem
            WHEN holder IS NOT NULL AND parcel_gov.uscc_problem(holder) IS NOT NULL
              THEN 'holder: ' || parcel_gov.uscc_problem(holder) END);
        IF reason IS NULL THEN
            -- the caller's firms only
            IF holder IS NOT NULL AND NOT EXISTS (SELECT FROM parcel_gov.enterprise e
                                                  WHERE e.uscc = holder
                                                    AND e.region_code ^@ ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))) THEN
                note := format('holder %s not found or not permitted: left empty', holder);
                holder := NULL;
            END IF;
            INSERT INTO parcel_gov.parcel (code, region_code, holder_uscc, geom)
            VALUES (code, region, holder, checked.fit);
            outcome := CASE WHEN checked.repaired IS NULL THEN 'imported' ELSE 'repaired' END;
            reason := concat_ws('; ', 'repaired: ' || checked.repaired, note);
        END IF;
        IF code IS NOT NULL THEN
            seen := seen || code;
        END IF;
        RETURN NEXT;
    END LOOP;
END $$;
COMMENT ON FUNCTION parcel_gov.import_parcels(regclass, text, text, text, integer) IS
  '导入宗地 GIS import: a staging table loaded by ogr2ogr into parcel, row by row: reprojected to CGCS2000, invalid polygons repaired or rejected, codes and holders checked; returns each row''s outcome (imported, repaired, rejected) and why';
