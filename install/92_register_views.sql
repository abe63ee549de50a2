-- The register for analysts, GIS and BI tools.

-- The Chinese names of kinds, in kind order (a function, so the views that
-- show them can run whole in parallel workers).
CREATE FUNCTION parcel_gov.label(kinds parcel_gov.low_efficiency_kind[])
    RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT parcel_gov.label(k) FROM unnest(kinds) AS k ORDER BY k);
COMMENT ON FUNCTION parcel_gov.label(parcel_gov.low_efficiency_kind[]) IS
  'Chinese names of low-efficiency kinds (低效类型), in kind order';

CREATE VIEW parcel_gov.v_register WITH (security_invoker = true) AS
SELECT r.fid, r.parcel_code, p.region_code, rg.name AS region_name, p.holder_uscc, f.name AS holder_name,
       r.state, parcel_gov.label(r.state) AS state_label,
       r.kinds, parcel_gov.label(r.kinds) AS kind_labels,
       r.batch, parcel_gov.label(r.batch) AS batch_label, r.plan, r.deadline,
       r.state_since, current_date - r.state_since::date AS days_in_state,
       r.entered_at, r.exited_at, r.exit_reason, r.clears_thresholds, r.evaluated_year,
       p.area_mu, p.geom, p.lon, p.lat
FROM parcel_gov.register r
JOIN parcel_gov.parcel p ON p.code = r.parcel_code
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code;
COMMENT ON VIEW parcel_gov.v_register IS
  '低效工业用地数据库: each registered parcel''s state (调查核实 … 出库), kinds (低效类型), batch (四个一批), days in its state, entry (入库) and exit (出库), area and geometry';

-- Low-efficiency parcels still in the register, merged into blocks where they
-- touch or lie within distance_m of each other (连片整治).
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
               ST_ClusterDBSCAN(ST_Transform(p.geom, 3857),
                                low_efficiency_clusters.distance_m / cos(radians(ST_Y(ST_Centroid(p.geom)))), 1)
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
