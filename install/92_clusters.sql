-- Contiguous low-efficiency blocks (连片整治): the parcels still in the register
-- merged where they lie within a distance of each other.

-- The distance checked: PostGIS would stop on a non-positive one with an
-- internal error (XX000); say what is wrong instead.
CREATE FUNCTION parcel_gov.cluster_distance(distance_m double precision)
    RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF distance_m IS NULL OR distance_m < 0 OR distance_m = 'NaN' OR distance_m > 100000 THEN
        RAISE EXCEPTION 'cluster distance must be 0 to 100000 metres, got %', coalesce(distance_m::text, 'NULL')
            USING ERRCODE = '22023',
            HINT = 'Give the distance in metres within which parcels join one block (50 by default; 0 = touching).';
    END IF;
    RETURN distance_m;
END $$;
COMMENT ON FUNCTION parcel_gov.cluster_distance(double precision) IS
  'internal: a 连片整治 distance checked (0 to 100000 metres), else 22023';

-- Low-efficiency parcels still in the register, merged into blocks where they
-- touch or lie within distance_m of each other.
CREATE FUNCTION parcel_gov.low_efficiency_clusters(distance_m double precision DEFAULT 50)
    RETURNS TABLE (fid bigint, region_code text, parcels integer, area_mu double precision,
                   parcel_codes text[], geom geometry(MultiPolygon, 4490), lon double precision, lat double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- ST_Transform looks the SRID up in spatial_ref_sys with an unqualified
    -- "=": under the caller's search_path a shadowing operator would run
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH active AS (
        SELECT p.code, p.region_code, p.area_mu, p.geom,
               -- metres on Web Mercator, scaled by the latitude: close enough to join neighbours
               -- (ST_ClusterDBSCAN wants a positive distance: 0, touching, as a millimetre)
               ST_ClusterDBSCAN(ST_Transform(p.geom, 3857),
                                greatest(parcel_gov.cluster_distance(low_efficiency_clusters.distance_m), 0.001)
                                  / cos(radians(ST_Y(ST_Centroid(p.geom)))), 1)
                 OVER (PARTITION BY p.region_code) AS cluster
        FROM parcel_gov.register r JOIN parcel_gov.parcel p ON p.code = r.parcel_code
        WHERE r.state NOT IN ('exited', 'rejected')
    ), blocks AS (
        SELECT a.region_code, a.cluster, count(*)::integer AS parcels, sum(a.area_mu) AS area_mu,
               array_agg(a.code::text ORDER BY a.code) AS parcel_codes,
               ST_Multi(ST_CollectionExtract(ST_Union(a.geom), 3))::geometry(MultiPolygon, 4490) AS geom
        FROM active a GROUP BY a.region_code, a.cluster
    )
    SELECT row_number() OVER (ORDER BY b.region_code, b.parcel_codes[1]), b.region_code, b.parcels, b.area_mu,
           b.parcel_codes, b.geom,
           ST_X(ST_Transform(ST_PointOnSurface(b.geom), 4326)), ST_Y(ST_Transform(ST_PointOnSurface(b.geom), 4326))
    FROM blocks b;
END;
COMMENT ON FUNCTION parcel_gov.low_efficiency_clusters(double precision) IS
  '连片整治: parcels in the register (not exited or rejected) merged into blocks where they lie within distance_m metres of each other, with their total area in mu';

-- (a function's result drops the geometry typmod: cast it back for geometry_columns)
CREATE VIEW parcel_gov.v_low_efficiency_clusters WITH (security_invoker = true) AS
SELECT c.fid, c.region_code, c.parcels, c.area_mu, c.parcel_codes,
       c.geom::geometry(MultiPolygon, 4490) AS geom, c.lon, c.lat
FROM parcel_gov.low_efficiency_clusters(
    coalesce(nullif(pg_catalog.current_setting('parcel_gov.cluster_distance_m', true), '')::double precision, 50)) AS c;
COMMENT ON VIEW parcel_gov.v_low_efficiency_clusters IS
  '连片整治 blocks of low-efficiency parcels in the register; parcels within parcel_gov.cluster_distance_m metres (default 50) join one block';
