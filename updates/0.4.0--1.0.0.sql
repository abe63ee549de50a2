-- parcel_gov 0.4.0 → 1.0.0: the evaluation engine in C, evaluation summaries.
-- Built by the Makefile: this head, then the install/ files that 1.0.0 added
-- or changed, then updates/0.4.0--1.0.0.tail.sql.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.0.0'" to load this file. \quit

-- evaluate() now calls the C engine, which also syncs the register:
-- install/85_evaluate.sql follows and creates evaluate() again.
DROP FUNCTION parcel_gov.evaluate(integer, text);
DROP FUNCTION parcel_gov.register_sync(integer, text);
-- v_region_summary now reads evaluation_summary: install/86 creates both.
DROP VIEW parcel_gov.v_region_summary;
-- Parcels keep lon/lat (install/88); the views that showed them computed
-- are created again from it (install/92, install/93).
DROP VIEW parcel_gov.v_parcel_efficiency;
DROP VIEW parcel_gov.v_low_efficiency_clusters;
DROP FUNCTION parcel_gov.low_efficiency_clusters(double precision);
DROP VIEW parcel_gov.v_register;
-- The views of install/87 are created again (v_parcel_use reads its years
-- from evaluation_summary, and looks its leases up in a join, so it can run
-- in parallel plans); v_region_summary moved to install/86 with its table.
DROP VIEW parcel_gov.v_park_ranking;
DROP VIEW parcel_gov.v_parcel_use;
DROP VIEW parcel_gov.v_enterprise_evaluation;
