/*
 * units.c — land units and per-mu figures.
 *
 * 1 mu = 2000/3 m2 exactly (1/15 ha).  We multiply and divide by the exact
 * integers instead of using a rounded 666.67, so whole mu stay whole.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "error.h"

PG_FUNCTION_INFO_V1(sqm_to_mu);
PG_FUNCTION_INFO_V1(mu_to_sqm);
PG_FUNCTION_INFO_V1(per_mu);

/*
 * x * mul / div with one rounding when x * mul is finite (so integral square
 * metres convert correctly rounded); huge x divides first rather than overflow.
 */
static float8
scale(float8 x, float8 mul, float8 div)
{
	float8		product = x * mul;

	return isfinite(product) ? product / div : x / div * mul;
}

/* square metres -> mu; sign-preserving so differences convert too */
Datum
sqm_to_mu(PG_FUNCTION_ARGS)
{
	float8		m2 = PG_GETARG_FLOAT8(0);

	require_finite("sqm_to_mu", "area", m2);
	PG_RETURN_FLOAT8(require_finite_result("sqm_to_mu", scale(m2, 3.0, 2000.0)));
}

/* mu -> square metres */
Datum
mu_to_sqm(PG_FUNCTION_ARGS)
{
	float8		mu = PG_GETARG_FLOAT8(0);

	require_finite("mu_to_sqm", "area", mu);
	PG_RETURN_FLOAT8(require_finite_result("mu_to_sqm", scale(mu, 2000.0, 3.0)));
}

/* amount per mu of land; the amount may be negative (tax refunds), the area may not */
Datum
per_mu(PG_FUNCTION_ARGS)
{
	float8		amount = PG_GETARG_FLOAT8(0);
	float8		area_mu = PG_GETARG_FLOAT8(1);

	require_finite("per_mu", "amount", amount);
	require_positive_area("per_mu", "area_mu", area_mu);
	PG_RETURN_FLOAT8(require_finite_result("per_mu", amount / area_mu));
}
