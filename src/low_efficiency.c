/*
 * low_efficiency.c — why a parcel is low-efficiency land, and which of the
 * four batches (四个一批) it goes to (design.md §6).  The thresholds are
 * arguments: evaluate() passes each county's rule data.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"

#include "error.h"

PG_FUNCTION_INFO_V1(low_efficiency_kinds);
PG_FUNCTION_INFO_V1(four_batch);

/* The labels of low_efficiency_kind, in enum order. */
enum
{
	LOW_PER_MU, GRADE_D, APPROVED_UNSUPPLIED, SUPPLIED_UNUSED, UNDERUSED, BUILT_NOT_OPERATING,
	BELOW_TARGET, IDLE, NON_INDUSTRIAL, PROHIBITED_INDUSTRY, N_KINDS
};
static const char *const kind_labels[N_KINDS] = {
	"low_per_mu", "grade_d", "approved_unsupplied", "supplied_unused", "underused",
	"built_not_operating", "below_target", "idle", "non_industrial", "prohibited_industry"
};

/* Each label's OID, looked up once per query from the enum type. */
static Oid *
enum_oids(FmgrInfo *flinfo, Oid enum_type, const char *const *labels, int n)
{
	Oid		   *oids = (Oid *) flinfo->fn_extra;

	if (oids == NULL)
	{
		oids = MemoryContextAlloc(flinfo->fn_mcxt, sizeof(Oid) * n);
		for (int i = 0; i < n; i++)
			oids[i] = DatumGetObjectId(DirectFunctionCall2(enum_in, CStringGetDatum(labels[i]),
														   ObjectIdGetDatum(enum_type)));
		flinfo->fn_extra = oids;
	}
	return oids;
}

#define ARG_OR(n, getter, otherwise) (PG_ARGISNULL(n) ? (otherwise) : getter(n))

/*
 * low_efficiency_kinds(tax_per_mu, low_tax_per_mu, persistent_low, grade, land_status,
 *                      supply_date, actual_industrial, non_industrial_since, prohibited_industry)
 *   → low_efficiency_kind[]  (empty when none; a NULL input triggers nothing)
 */
Datum
low_efficiency_kinds(PG_FUNCTION_ARGS)
{
	Oid			array_type = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			kind_type = get_element_type(array_type);
	Oid		   *kind_oid = enum_oids(fcinfo->flinfo, kind_type, kind_labels, N_KINDS);
	Datum		found[N_KINDS];
	int			n = 0;
	bool		low_tax = !PG_ARGISNULL(0) && !PG_ARGISNULL(1) && PG_GETARG_FLOAT8(0) < PG_GETARG_FLOAT8(1);
	bool		persistent = ARG_OR(2, PG_GETARG_BOOL, false);
	char	   *grade = PG_ARGISNULL(3) ? NULL
		: DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(3)));
	char	   *status = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	bool		non_industrial = !PG_ARGISNULL(5) && !PG_ARGISNULL(6) && !PG_ARGISNULL(7)
		&& !PG_GETARG_BOOL(6) && PG_GETARG_DATEADT(5) >= PG_GETARG_DATEADT(7);
	bool		prohibited = ARG_OR(8, PG_GETARG_BOOL, false);

	if (!kind_type)
		raise_error(ERRCODE_DATATYPE_MISMATCH, NULL, "low_efficiency_kinds must return low_efficiency_kind[]");
	if (!PG_ARGISNULL(0))
		require_finite("low_efficiency_kinds", "tax_per_mu", PG_GETARG_FLOAT8(0));

	if (low_tax || persistent)
		found[n++] = ObjectIdGetDatum(kind_oid[LOW_PER_MU]);
	if (grade && strcmp(grade, "D") == 0)
		found[n++] = ObjectIdGetDatum(kind_oid[GRADE_D]);
	if (status && strcmp(status, "normal") != 0)
	{
		int			k;

		for (k = APPROVED_UNSUPPLIED; k <= IDLE; k++)
			if (strcmp(status, kind_labels[k]) == 0)
				break;
		if (k > IDLE)
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"Land statuses are normal or one of the 五未 statuses or idle, as in parcel.land_status.",
						"low_efficiency_kinds: unknown land status \"%s\"", status);
		found[n++] = ObjectIdGetDatum(kind_oid[k]);
	}
	if (non_industrial)
		found[n++] = ObjectIdGetDatum(kind_oid[NON_INDUSTRIAL]);
	if (prohibited)
		found[n++] = ObjectIdGetDatum(kind_oid[PROHIBITED_INDUSTRY]);

	PG_RETURN_ARRAYTYPE_P(construct_array(found, n, kind_type, sizeof(Oid), true, TYPALIGN_INT));
}

static const char *const batch_labels[] = {
	"demolish_rebuild", "rectify_upgrade", "function_transform", "shutdown_exit"
};
enum
{
	DEMOLISH_REBUILD, RECTIFY_UPGRADE, FUNCTION_TRANSFORM, SHUTDOWN_EXIT, N_BATCHES
};

/*
 * four_batch(kinds, backward_capacity, fails_acceptance, plan_conforming,
 *            planned_industrial, building_condition) → batch, first match wins:
 *   关停退出 backward capacity, prohibited/eliminated industry, or fails acceptance;
 *   功能转型 not conforming to the plan, or no longer planned as industrial;
 *   拆除重建 conforming and industrial, but buildings poor or dilapidated;
 *   整治提升 everything else.  No kind → NULL.
 */
Datum
four_batch(PG_FUNCTION_ARGS)
{
	Oid			batch_type = get_fn_expr_rettype(fcinfo->flinfo);
	Oid		   *batch_oid = enum_oids(fcinfo->flinfo, batch_type, batch_labels, N_BATCHES);
	ArrayType  *kinds;
	Oid			kind_type;
	Datum	   *kind;
	int			n;
	bool		prohibited = false;
	char	   *condition;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	kinds = PG_GETARG_ARRAYTYPE_P(0);
	kind_type = ARR_ELEMTYPE(kinds);
	deconstruct_array(kinds, kind_type, sizeof(Oid), true, TYPALIGN_INT, &kind, NULL, &n);
	if (n == 0)
		PG_RETURN_NULL();
	for (int i = 0; i < n; i++)
		if (strcmp(DatumGetCString(DirectFunctionCall1(enum_out, kind[i])), "prohibited_industry") == 0)
			prohibited = true;

	if (prohibited || ARG_OR(1, PG_GETARG_BOOL, false) || ARG_OR(2, PG_GETARG_BOOL, false))
		PG_RETURN_OID(batch_oid[SHUTDOWN_EXIT]);
	if (!ARG_OR(3, PG_GETARG_BOOL, true) || !ARG_OR(4, PG_GETARG_BOOL, true))
		PG_RETURN_OID(batch_oid[FUNCTION_TRANSFORM]);
	condition = PG_ARGISNULL(5) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(5));
	if (condition && (strcmp(condition, "poor") == 0 || strcmp(condition, "dilapidated") == 0))
		PG_RETURN_OID(batch_oid[DEMOLISH_REBUILD]);
	PG_RETURN_OID(batch_oid[RECTIFY_UPGRADE]);
}
