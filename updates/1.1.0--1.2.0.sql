-- parcel_gov 1.1.0 → 1.2.0: roles, region grants and row-level security.
-- Built by the Makefile: this head, then the install/ files that 1.2.0 added
-- or changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.2.0'" to load this file. \quit

-- evaluate() checks the caller's regions: dropped here, created again by
-- install/85_evaluate.sql (with the engine's entry point beside it).
DROP FUNCTION parcel_gov.evaluate(integer, text);
DROP FUNCTION parcel_gov.evaluate_run(integer, text, timestamp with time zone, double precision[]);

-- ST_Transform's spatial_ref_sys lookup resolves "=" by the search_path in
-- force: the clusters now run under a fixed one (as install/92 has it).
ALTER FUNCTION parcel_gov.low_efficiency_clusters(double precision) SET search_path = pg_catalog, pg_temp;
