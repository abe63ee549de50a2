-- Parcel area in mu over PostGIS (src/area_method.c decides how to measure).
-- A SQL-standard body binds the PostGIS names now, at CREATE EXTENSION, so the
-- function works under any search_path later.
-- IMMUTABLE like PostGIS's own ST_Transform: it reads spatial_ref_sys, which
-- holds reference definitions that PostGIS treats as fixed.

CREATE FUNCTION parcel_gov.area_method(srid integer, proj4text text, geometry_type text,
                                       is_empty boolean, validity text,
                                       xmin double precision, ymin double precision,
                                       xmax double precision, ymax double precision)
    RETURNS text
    AS 'MODULE_PATHNAME', 'area_method'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.area_method(integer, text, text, boolean, text,
                                           double precision, double precision,
                                           double precision, double precision) IS
  'Internal to area_mu: ''geodesic'' or ''planar'', or error 22023 saying why the geometry cannot be measured';

CREATE FUNCTION parcel_gov.area_mu(geom geometry)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN parcel_gov.sqm_to_mu(
    CASE parcel_gov.area_method(
            ST_SRID(geom),
            (SELECT s.proj4text FROM spatial_ref_sys s WHERE s.srid = ST_SRID(geom)),
            ST_GeometryType(geom), ST_IsEmpty(geom), ST_IsValidReason(geom),
            ST_XMin(geom::box3d), ST_YMin(geom::box3d), ST_XMax(geom::box3d), ST_YMax(geom::box3d))
        WHEN 'geodesic' THEN ST_Area(geom::geography, true)
        WHEN 'planar' THEN ST_Area(geom)
    END);
COMMENT ON FUNCTION parcel_gov.area_mu(geometry) IS
  'Area in mu (亩) of a valid Polygon/MultiPolygon: on the spheroid for geographic SRIDs (4490, 4326), planar for projected metre SRIDs (e.g. 4549); 22023 otherwise';
