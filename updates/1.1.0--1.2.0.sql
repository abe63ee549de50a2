-- parcel_gov 1.1.0 → 1.2.0: roles, region grants and row-level security.
-- Built by the Makefile: this head, then the install/ files that 1.2.0 added
-- or changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.2.0'" to load this file. \quit

-- evaluate() checks the caller's regions: dropped here, created again by
-- install/85_evaluate.sql (with the engine's entry point beside it).
DROP FUNCTION parcel_gov.evaluate(integer, text);
DROP FUNCTION parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[]);

-- The clusters check their distance and run under a fixed search_path
-- (ST_Transform's spatial_ref_sys lookup resolves "=" by the one in force):
-- they move to install/94_clusters.sql, and the maps built on them are
-- created again after them by install/95_maps.sql; install/97 puts back the
-- view's column comments.
DROP FUNCTION parcel_gov.map_svg(text, integer);
DROP FUNCTION parcel_gov.parcels_geojson(text, integer);
DROP FUNCTION parcel_gov.parcel_tile(integer, integer, integer, json);
DROP FUNCTION parcel_gov.tile_request(integer, integer, integer, json);
DROP FUNCTION parcel_gov.map_year(text, integer);
DROP VIEW parcel_gov.v_low_efficiency_clusters;
DROP FUNCTION parcel_gov.low_efficiency_clusters(double precision);
