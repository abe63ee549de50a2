/*
 * low_efficiency.c — why a parcel is low-efficiency land, and which of the
 * four batches (四个一批) it goes to.  The thresholds are arguments:
 * evaluate() passes each county's rule data.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"

#include "enum_oids.h"
#include "error.h"
#include "low_efficiency.h"

PG_FUNCTION_INFO_V1(low_efficiency_kinds);
PG_FUNCTION_INFO_V1(four_batch);

const char *const low_efficiency_kind_labels[N_KINDS] = {
	"low_per_mu", "grade_d", "approved_unsupplied", "supplied_unused", "underused",
	"built_not_operating", "below_target", "idle", "non_industrial", "prohibited_industry",
	"scattered_polluting", "collective_industrial"
};

const char *const batch_labels[N_BATCHES] = {
	"demolish_rebuild", "rectify_upgrade", "function_transform", "shutdown_exit"
};

/* whether a text is exactly the C string s */
static bool
text_is(const text *t, const char *s)
{
	size_t		len = VARSIZE_ANY_EXHDR(t);

	return len == strlen(s) && memcmp(VARDATA_ANY(t), s, len) == 0;
}

int
land_status_kind(const text *status)
{
	if (text_is(status, "normal"))
		return -1;
	for (int k = APPROVED_UNSUPPLIED; k <= IDLE; k++)
		if (text_is(status, low_efficiency_kind_labels[k]))
			return k;
	raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
				"Land statuses are normal or one of the 五未 statuses or idle, as in parcel.land_status.",
				"low_efficiency_kinds: unknown land status \"%s\"", text_to_cstring(status));
}

uint32
low_efficiency_kind_mask(const KindFacts *f)
{
	uint32		kinds = 0;

	if (f->has_tax_per_mu)
		require_finite("low_efficiency_kinds", "tax_per_mu", f->tax_per_mu);
	if ((f->has_tax_per_mu && f->has_low_tax_per_mu && f->tax_per_mu < f->low_tax_per_mu) ||
		f->persistent_low)
		kinds |= 1 << LOW_PER_MU;
	if (f->grade_d)
		kinds |= 1 << GRADE_D;
	if (f->land_status >= 0)
		kinds |= 1 << f->land_status;
	/* 占工非工: supplied on or after the cut-off and no longer used for industry */
	if (f->has_supply_date && f->has_actual_industrial && f->has_non_industrial_since &&
		!f->actual_industrial && f->supply_date >= f->non_industrial_since)
		kinds |= 1 << NON_INDUSTRIAL;
	if (f->prohibited_industry)
		kinds |= 1 << PROHIBITED_INDUSTRY;
	if (f->scattered_polluting)
		kinds |= 1 << SCATTERED_POLLUTING;
	if (f->collective_unlicensed)
		kinds |= 1 << COLLECTIVE_INDUSTRIAL;
	return kinds;
}

bool
building_condition_poor(const text *condition)
{
	return text_is(condition, "poor") || text_is(condition, "dilapidated");
}

bool
parcel_code_collective(const text *code)
{
	return VARSIZE_ANY_EXHDR(code) >= 13 && VARDATA_ANY(code)[12] == 'J';
}

/* the batches in the order the first match is taken: 关停退出 first */
static const int batch_order[N_BATCHES] = {SHUTDOWN_EXIT, FUNCTION_TRANSFORM, DEMOLISH_REBUILD, RECTIFY_UPGRADE};

static int
batch_rank(int batch)
{
	for (int i = 0; i < N_BATCHES; i++)
		if (batch_order[i] == batch)
			return i;
	return N_BATCHES;
}

/* the earlier of two batches in the order (-1: none) */
static int
batch_earlier(int a, int b)
{
	return b >= 0 && batch_rank(b) < batch_rank(a) ? b : a;
}

int
four_batch_of(uint32 kinds, const BatchFacts *f)
{
	int			batch;

	if (kinds == 0)
		return -1;
	if ((kinds & (1 << PROHIBITED_INDUSTRY)) || f->backward_capacity || f->fails_acceptance)
		batch = SHUTDOWN_EXIT;
	else if (!f->plan_conforming || !f->planned_industrial)
		batch = FUNCTION_TRANSFORM;
	else if (f->buildings_poor)
		batch = DEMOLISH_REBUILD;
	else
		batch = RECTIFY_UPGRADE;
	/* 绍兴: the rule's batch for 低散乱污 and 集体工业用地 land, when it comes earlier */
	if (kinds & (1 << SCATTERED_POLLUTING))
		batch = batch_earlier(batch, f->scattered_polluting_batch);
	if (kinds & (1 << COLLECTIVE_INDUSTRIAL))
		batch = batch_earlier(batch, f->collective_industrial_batch);
	return batch;
}

ArrayType *
kind_array(uint32 kinds, const Oid *kind_oids, Oid kind_type)
{
	Datum		found[N_KINDS];
	int			n = 0;

	for (int k = 0; k < N_KINDS; k++)
		if (kinds & (1 << k))
			found[n++] = ObjectIdGetDatum(kind_oids[k]);
	return construct_array(found, n, kind_type, sizeof(Oid), true, TYPALIGN_INT);
}

uint32
kind_mask_of_array(ArrayType *kinds)
{
	Datum	   *kind;
	bool	   *isnull;
	int			n;
	uint32		mask = 0;

	deconstruct_array(kinds, ARR_ELEMTYPE(kinds), sizeof(Oid), true, TYPALIGN_INT, &kind, &isnull, &n);
	for (int i = 0; i < n; i++)
	{
		int			k = isnull[i] ? -1 : enum_label_index(DatumGetObjectId(kind[i]), low_efficiency_kind_labels, N_KINDS);

		if (k >= 0)
			mask |= 1 << k;
	}
	return mask;
}

#define ARG_OR(n, getter, otherwise) (PG_ARGISNULL(n) ? (otherwise) : getter(n))

/*
 * low_efficiency_kinds(tax_per_mu, low_tax_per_mu, persistent_low, grade, land_status,
 *                      supply_date, actual_industrial, non_industrial_since, prohibited_industry
 *                      [, scattered_polluting, parcel_code, land_procedures_legal])
 *   → low_efficiency_kind[]  (empty when none; a NULL input triggers nothing).
 * 集体工业用地: the code's ownership is J and land_procedures_legal is false.
 */
Datum
low_efficiency_kinds(PG_FUNCTION_ARGS)
{
	Oid			array_type = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			kind_type = get_element_type(array_type);
	KindFacts	f = {0};

	if (!kind_type)
		raise_error(ERRCODE_DATATYPE_MISMATCH, NULL, "low_efficiency_kinds must return low_efficiency_kind[]");
	f.has_tax_per_mu = !PG_ARGISNULL(0);
	f.tax_per_mu = ARG_OR(0, PG_GETARG_FLOAT8, 0);
	f.has_low_tax_per_mu = !PG_ARGISNULL(1);
	f.low_tax_per_mu = ARG_OR(1, PG_GETARG_FLOAT8, 0);
	f.persistent_low = ARG_OR(2, PG_GETARG_BOOL, false);
	f.grade_d = !PG_ARGISNULL(3) &&
		strcmp(DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(3))), "D") == 0;
	f.land_status = PG_ARGISNULL(4) ? -1 : land_status_kind(PG_GETARG_TEXT_PP(4));
	f.has_supply_date = !PG_ARGISNULL(5);
	f.supply_date = ARG_OR(5, PG_GETARG_DATEADT, 0);
	f.has_actual_industrial = !PG_ARGISNULL(6);
	f.actual_industrial = ARG_OR(6, PG_GETARG_BOOL, false);
	f.has_non_industrial_since = !PG_ARGISNULL(7);
	f.non_industrial_since = ARG_OR(7, PG_GETARG_DATEADT, 0);
	f.prohibited_industry = ARG_OR(8, PG_GETARG_BOOL, false);
	if (PG_NARGS() >= 12)
	{
		f.scattered_polluting = ARG_OR(9, PG_GETARG_BOOL, false);
		f.collective_unlicensed = !PG_ARGISNULL(10) && !PG_ARGISNULL(11) && !PG_GETARG_BOOL(11) &&
			parcel_code_collective(PG_GETARG_TEXT_PP(10));
	}

	PG_RETURN_ARRAYTYPE_P(kind_array(low_efficiency_kind_mask(&f),
									 enum_oids(fcinfo->flinfo, kind_type, low_efficiency_kind_labels, N_KINDS),
									 kind_type));
}

/*
 * four_batch(kinds, backward_capacity, fails_acceptance, plan_conforming,
 *            planned_industrial, building_condition
 *            [, scattered_polluting_batch, collective_industrial_batch]) → batch,
 * first match wins:
 *   关停退出 backward capacity, prohibited/eliminated industry, or fails acceptance;
 *   功能转型 not conforming to the plan, or no longer planned as industrial;
 *   拆除重建 conforming and industrial, but buildings poor or dilapidated;
 *   整治提升 everything else.  No kind → NULL.
 * A 低散乱污 or 集体工业用地 parcel goes at least as far up as its rule's batch.
 */
Datum
four_batch(PG_FUNCTION_ARGS)
{
	Oid			batch_type = get_fn_expr_rettype(fcinfo->flinfo);
	const Oid  *batch_oid = enum_oids(fcinfo->flinfo, batch_type, batch_labels, N_BATCHES);
	BatchFacts	f;
	int			batch;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	f.backward_capacity = ARG_OR(1, PG_GETARG_BOOL, false);
	f.fails_acceptance = ARG_OR(2, PG_GETARG_BOOL, false);
	f.plan_conforming = ARG_OR(3, PG_GETARG_BOOL, true);
	f.planned_industrial = ARG_OR(4, PG_GETARG_BOOL, true);
	f.buildings_poor = !PG_ARGISNULL(5) && building_condition_poor(PG_GETARG_TEXT_PP(5));
	f.scattered_polluting_batch = f.collective_industrial_batch = -1;
	if (PG_NARGS() >= 8)
	{
		if (!PG_ARGISNULL(6))
			f.scattered_polluting_batch = enum_label_index(PG_GETARG_OID(6), batch_labels, N_BATCHES);
		if (!PG_ARGISNULL(7))
			f.collective_industrial_batch = enum_label_index(PG_GETARG_OID(7), batch_labels, N_BATCHES);
	}
	batch = four_batch_of(kind_mask_of_array(PG_GETARG_ARRAYTYPE_P(0)), &f);
	if (batch < 0)
		PG_RETURN_NULL();
	PG_RETURN_OID(batch_oid[batch]);
}
