-- An outline for the sample county 上虞区 (330604), for the printed map:
-- illustrative only, a polygon drawn around the sample's three parks, not
-- the real boundary (a county loads its own: README, Maps).  Needs 1.8.0
-- (region_boundary); load it after demo/sample_county.sql.
\set ON_ERROR_STOP on
INSERT INTO parcel_gov.region_boundary (region_code, geom, source)
VALUES ('330604',
        ST_Multi(ST_GeomFromText('POLYGON((120.755 30.045, 120.765 30.140, 120.830 30.165, 120.905 30.150, 120.975 30.085,
                                           121.000 29.990, 120.985 29.905, 120.920 29.875, 120.850 29.905, 120.815 29.975,
                                           120.755 30.045))', 4490)),
        'illustrative: drawn around the sample parks')
ON CONFLICT (region_code) DO UPDATE SET geom = EXCLUDED.geom, source = EXCLUDED.source;
