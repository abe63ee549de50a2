/*
 * area_method.c — decides how area_mu() measures a geometry: on the
 * spheroid for geographic SRIDs, in the plane for projected metre SRIDs,
 * or not at all, with an error that says why.
 *
 * area_mu() itself is SQL over PostGIS; it hands this function the facts
 * (SRID, its PROJ definition, type, emptiness, validity, bounding box) so the
 * C layer never touches PostGIS internals.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "error.h"

PG_FUNCTION_INFO_V1(area_method);

#define HINT_SRID "Use a CGCS2000 SRID: 4490 (geographic) or a Gauss-Krüger zone such as 4549 (3° zone, 120°E)."

/* true when the PROJ definition contains the +key=value term */
static bool
proj_has(const char *proj4, const char *term)
{
	size_t		len = strlen(term);

	for (const char *p = strstr(proj4, term); p; p = strstr(p + 1, term))
		if ((p == proj4 || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

static bool
proj_has_key(const char *proj4, const char *key)
{
	for (const char *p = strstr(proj4, key); p; p = strstr(p + 1, key))
		if (p == proj4 || p[-1] == ' ')
			return true;
	return false;
}

static void
check_srid(int32 srid, const char *proj4, bool *geographic)
{
	if (srid == 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Set the SRID the coordinates are in with ST_SetSRID(geom, srid). " HINT_SRID,
					"area_mu: geometry has no SRID (SRID 0)");
	if (proj4 == NULL || proj4[0] == '\0')
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Add its definition to spatial_ref_sys, or transform the geometry. " HINT_SRID,
					"area_mu: SRID %d has no definition in spatial_ref_sys", srid);
	*geographic = proj_has(proj4, "+proj=longlat") || proj_has(proj4, "+proj=latlong");
	if (*geographic)
		return;
	if (proj_has(proj4, "+proj=geocent"))
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Transform to a geographic or projected SRID first. " HINT_SRID,
					"area_mu: SRID %d is geocentric, not a map projection", srid);
	/* PROJ's unit defaults to the metre when neither +units nor +to_meter is given */
	if (proj_has(proj4, "+units=m") ||
		(!proj_has_key(proj4, "+units=") && !proj_has_key(proj4, "+to_meter=")))
		return;
	raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
				"Transform to a metre-based SRID, e.g. ST_Transform(geom, 4549). " HINT_SRID,
				"area_mu: SRID %d is not in metres (%s)", srid, proj4);
}

/*
 * area_method(srid, proj4text, st_geometrytype, is_empty, validity_reason,
 *             xmin, ymin, xmax, ymax) -> 'geodesic' | 'planar'
 */
Datum
area_method(PG_FUNCTION_ARGS)
{
	int32		srid;
	char	   *proj4 = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *type;
	char	   *validity;
	bool		geographic;

	for (int i = 0; i <= 4; i++)
		if (i != 1 && PG_ARGISNULL(i))
			PG_RETURN_NULL();
	srid = PG_GETARG_INT32(0);
	type = text_to_cstring(PG_GETARG_TEXT_PP(2));
	validity = text_to_cstring(PG_GETARG_TEXT_PP(4));

	if (strcmp(type, "ST_Polygon") != 0 && strcmp(type, "ST_MultiPolygon") != 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Parcels are Polygons or MultiPolygons; keep only the polygons with ST_CollectionExtract(geom, 3).",
					"area_mu: expected a Polygon or MultiPolygon, got %s", type + 3);
	if (PG_GETARG_BOOL(3))
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"An empty geometry has no boundary to measure; load the parcel's polygon.",
					"area_mu: geometry is empty");
	check_srid(srid, proj4, &geographic);
	if (strcmp(validity, "Valid Geometry") != 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Repair it with ST_MakeValid(geom) and check the result, or fix the boundary at its source.",
					"area_mu: invalid geometry: %s", validity);
	if (geographic)
	{
		float8		xmin = PG_GETARG_FLOAT8(5);
		float8		ymin = PG_GETARG_FLOAT8(6);
		float8		xmax = PG_GETARG_FLOAT8(7);
		float8		ymax = PG_GETARG_FLOAT8(8);

		if (xmin < -180 || xmax > 180 || ymin < -90 || ymax > 90)
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"The coordinates look projected: set the SRID they are in, e.g. ST_SetSRID(geom, 4549) for Gauss-Krüger zone 40.",
						"area_mu: coordinates (%s %s, %s %s) are outside the longitude/latitude range of geographic SRID %d",
						float8out_internal(xmin), float8out_internal(ymin),
						float8out_internal(xmax), float8out_internal(ymax), srid);
	}
	PG_RETURN_TEXT_P(cstring_to_text(geographic ? "geodesic" : "planar"));
}
