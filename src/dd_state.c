/*
 * dd_state.c — checking, updating and combining double-double float8[] states.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "dd_state.h"
#include "error.h"

PG_FUNCTION_INFO_V1(dd_state_combine);

static ArrayType *
checked_state(ArrayType *state, const char *aggname, int nelems)
{
	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != nelems ||
		ARR_HASNULL(state) || ARR_ELEMTYPE(state) != FLOAT8OID)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"A partial state must come from the same aggregate of the same parcel_gov version.",
					"%s: state must be a float8[] of %d elements without NULLs", aggname, nelems);
	return state;
}

/* A NULL state comes only from a direct call (an aggregate starts from its initcond). */
static void
require_state(FunctionCallInfo fcinfo, int argno, const char *aggname)
{
	if (PG_ARGISNULL(argno))
		raise_error(ERRCODE_NULL_VALUE_NOT_ALLOWED,
					"Call the aggregate itself; a transition or final function needs the state it built.",
					"%s: the partial state must not be NULL", aggname);
}

const float8 *
dd_state_read(FunctionCallInfo fcinfo, int argno, const char *aggname, int nelems)
{
	require_state(fcinfo, argno, aggname);
	return (const float8 *) ARR_DATA_PTR(checked_state(PG_GETARG_ARRAYTYPE_P(argno), aggname, nelems));
}

float8 *
dd_state_for_update(FunctionCallInfo fcinfo, const char *aggname, int nelems, Datum *result)
{
	ArrayType  *state;

	require_state(fcinfo, 0, aggname);
	/* Inside an aggregate the state is ours to change (as core's float8_accum) */
	state = AggCheckCallContext(fcinfo, NULL)
		? PG_GETARG_ARRAYTYPE_P(0)
		: PG_GETARG_ARRAYTYPE_P_COPY(0);

	checked_state(state, aggname, nelems);
	*result = PointerGetDatum(state);
	return (float8 *) ARR_DATA_PTR(state);
}

/*
 * Combine function of every parcel_gov aggregate: adds two states pair by
 * pair.  Both states have the same length, which the first one fixes.
 */
Datum
dd_state_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *first;
	int			nelems;
	Datum		result;
	float8	   *sum;
	const float8 *other;

	require_state(fcinfo, 0, "dd_state_combine");
	first = PG_GETARG_ARRAYTYPE_P(0);
	nelems = ARR_NDIM(first) == 1 ? ARR_DIMS(first)[0] : 0;
	if (nelems == 0 || nelems % 2 != 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"A partial state must come from a parcel_gov aggregate.",
					"dd_state_combine: state must be a non-empty float8[] of (sum, error) pairs");
	sum = dd_state_for_update(fcinfo, "dd_state_combine", nelems, &result);
	other = dd_state_read(fcinfo, 1, "dd_state_combine", nelems);
	for (int i = 0; i < nelems; i += 2)
	{
		dd_add(sum + i, other[i]);
		sum[i + 1] += other[i + 1];
	}
	PG_RETURN_DATUM(result);
}
