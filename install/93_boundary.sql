-- Region boundaries (行政区划界线) for the printed map: a county loads its
-- own outline (from 天地图 or its 国土空间规划 data, README: Maps), map_svg
-- draws it as a thin grey line and fits the overview to it.  Optional: a
-- region without a row is mapped by its parcels alone.  User data, dumped
-- with the rows; row-level security and grants as for park (96_roles.sql).
CREATE TABLE parcel_gov.region_boundary (
    region_code text PRIMARY KEY REFERENCES parcel_gov.region,
    geom        geometry(MultiPolygon, 4490) NOT NULL,
    source      text,
    loaded_at   timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE parcel_gov.region_boundary IS
  '行政区划界线 (region boundaries): one outline per region in CGCS2000, drawn by map_svg; optional';
COMMENT ON COLUMN parcel_gov.region_boundary.geom IS '界线: the region''s outline (MultiPolygon, EPSG:4490)';
COMMENT ON COLUMN parcel_gov.region_boundary.source IS '来源: where the outline comes from (e.g. 天地图 2024, 县国土空间规划)';
COMMENT ON COLUMN parcel_gov.region_boundary.loaded_at IS '入库时间: when the outline was loaded';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region_boundary', '');
