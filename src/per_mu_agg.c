/*
 * per_mu_agg.c — per_mu_agg(amount, area_mu) = Σamount / Σarea, a ratio of
 * sums over the rows where both are non-NULL and the area is not zero.
 *
 * State: float8[4] = (Σamount hi, lo, Σarea hi, lo); see dd_state.h.
 */
#include "postgres.h"

#include "fmgr.h"

#include "dd_state.h"
#include "error.h"

PG_FUNCTION_INFO_V1(per_mu_agg_accum);
PG_FUNCTION_INFO_V1(per_mu_agg_final);

#define PER_MU_STATE 4

Datum
per_mu_agg_accum(PG_FUNCTION_ARGS)
{
	Datum		result;
	float8	   *sum = dd_state_for_update(fcinfo, "per_mu_agg", PER_MU_STATE, &result);
	float8		amount = PG_ARGISNULL(1) ? 0 : PG_GETARG_FLOAT8(1);
	float8		area = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);

	require_finite("per_mu_agg", "amount", amount);
	require_finite("per_mu_agg", "area_mu", area);
	require_non_negative("per_mu_agg", "area_mu", area);
	if (!PG_ARGISNULL(1) && area != 0)
	{
		dd_add(sum, amount);
		dd_add(sum + 2, area);
	}
	PG_RETURN_DATUM(result);
}

Datum
per_mu_agg_final(PG_FUNCTION_ARGS)
{
	const float8 *sum = dd_state_read(fcinfo, 0, "per_mu_agg", PER_MU_STATE);

	if (dd_value(sum + 2) == 0)
		PG_RETURN_NULL();		/* no row with both figures */
	require_finite_result("per_mu_agg", sum[0]);
	require_finite_result("per_mu_agg", sum[2]);
	PG_RETURN_FLOAT8(require_finite_result("per_mu_agg", dd_value(sum) / dd_value(sum + 2)));
}
