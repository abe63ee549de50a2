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

const float8 *
dd_state_read(FunctionCallInfo fcinfo, int argno, const char *aggname, int nelems)
{
	return (const float8 *) ARR_DATA_PTR(checked_state(PG_GETARG_ARRAYTYPE_P(argno), aggname, nelems));
}

float8 *
dd_state_for_update(FunctionCallInfo fcinfo, const char *aggname, int nelems, Datum *result)
{
	/* Inside an aggregate the state is ours to change (as core's float8_accum) */
	ArrayType  *state = AggCheckCallContext(fcinfo, NULL)
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
	ArrayType  *first = PG_GETARG_ARRAYTYPE_P(0);
	int			nelems = ARR_NDIM(first) == 1 ? ARR_DIMS(first)[0] : 0;
	Datum		result;
	float8	   *sum;
	const float8 *other;

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
