-- Where a parcel is, for BI tools that cannot draw PostGIS geometry (design.md
-- §9): a point on its surface in WGS 84, kept with the row instead of
-- transformed on every read of a view.
ALTER TABLE parcel_gov.parcel
    ADD COLUMN lon double precision GENERATED ALWAYS AS (ST_X(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED,
    ADD COLUMN lat double precision GENERATED ALWAYS AS (ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326))) STORED;
COMMENT ON COLUMN parcel_gov.parcel.lon IS
  '经度 (WGS 84, EPSG:4326) of a point on the parcel''s surface, for maps in BI tools; GCJ-02 (高德/腾讯) and BD-09 (百度) basemaps are offset from it, 天地图 is not';
COMMENT ON COLUMN parcel_gov.parcel.lat IS
  '纬度 (WGS 84, EPSG:4326) of a point on the parcel''s surface';
