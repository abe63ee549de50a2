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
SELECT r.fid, r.parcel_code::text AS parcel_code, p.region_code, rg.name AS region_name,
       p.holder_uscc::text AS holder_uscc, f.name AS holder_name,
       r.state::text AS state, parcel_gov.label(r.state) AS state_label,
       r.kinds::text[] AS kinds, array_to_string(r.kinds::text[], ',') AS kinds_text,
       parcel_gov.label(r.kinds) AS kind_labels, array_to_string(parcel_gov.label(r.kinds), '、') AS kind_labels_text,
       r.batch::text AS batch, parcel_gov.label(r.batch) AS batch_label, r.plan, r.deadline,
       r.state_since, current_date - r.state_since::date AS days_in_state,
       r.entered_at, r.exited_at, r.exit_reason, r.clears_thresholds, r.evaluated_year,
       p.area_mu, p.geom, p.lon, p.lat, r.route::text AS route, parcel_gov.label(r.route) AS route_label
FROM parcel_gov.register r
JOIN parcel_gov.parcel p ON p.code = r.parcel_code
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code;
COMMENT ON VIEW parcel_gov.v_register IS
  '低效工业用地数据库: each registered parcel''s state (调查核实 … 出库), kinds (低效类型), batch (四个一批) and disposal route (处置路径), days in its state, entry (入库) and exit (出库), area and geometry';
