/*
 * tax_tier.c — per-mu tax tiers (Shaoxing/Shengzhou: under 5 万元/亩 重点排查,
 * under 10 重点检查, under 15 重点指导).  The bounds are an argument, so a county
 * with other tiers passes its own, and so is the reading of a figure exactly
 * on a bound: 以下 read as including it (民法典 art. 1259: 以下 includes the
 * number) puts it in the lower tier; read as "under", in the higher one.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/array.h"
#include "utils/float.h"

#include "error.h"
#include "tax_tier.h"

PG_FUNCTION_INFO_V1(tax_tier);
PG_FUNCTION_INFO_V1(tax_tier_read);

/*
 * Checks the bounds in place (no copy: this runs once per row) and returns
 * a pointer to them.
 */
static const float8 *
checked_bounds(ArrayType *bounds, int *count)
{
	const float8 *b;
	int			n;

	if (ARR_NDIM(bounds) > 1)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Pass a one-dimensional array such as '{5,10,15}'.",
					"tax_tier: bounds must be a one-dimensional array, got %d dimensions",
					ARR_NDIM(bounds));
	n = ArrayGetNItems(ARR_NDIM(bounds), ARR_DIMS(bounds));
	if (n == 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Pass at least one bound, e.g. '{5,10,15}' (万元/亩).",
					"tax_tier: bounds must not be empty");
	if (ARR_HASNULL(bounds))
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Every tier needs a bound; remove the NULL.",
					"tax_tier: bounds must not contain NULL");
	b = (const float8 *) ARR_DATA_PTR(bounds);
	for (int i = 0; i < n; i++)
	{
		if (!isfinite(b[i]))
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"Bounds are per-mu tax figures in 万元/亩.",
						"tax_tier: bound %d must be finite, got %s",
						i + 1, float8out_internal(b[i]));
		if (i > 0 && !(b[i - 1] < b[i]))
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"List the bounds from the lowest to the highest, e.g. '{5,10,15}'.",
						"tax_tier: bounds must ascend strictly, but bound %d (%s) is not above bound %d (%s)",
						i + 1, float8out_internal(b[i]), i, float8out_internal(b[i - 1]));
	}
	*count = n;
	return b;
}

const float8 *
tax_tier_bounds(ArrayType *bounds, int *count)
{
	return checked_bounds(bounds, count);
}

int
tax_tier_of(float8 tax_per_mu, const float8 *bounds, int n, bool includes_bound)
{
	require_finite("tax_tier", "tax_per_mu", tax_per_mu);
	for (int i = 0; i < n; i++)
		if (tax_per_mu < bounds[i] || (includes_bound && tax_per_mu == bounds[i]))
			return i + 1;
	return 0;
}

/* 1 below the first bound, 2 below the second, ..., 0 at or above all of them */
Datum
tax_tier(PG_FUNCTION_ARGS)
{
	int			n;
	const float8 *b = checked_bounds(PG_GETARG_ARRAYTYPE_P(1), &n);

	PG_RETURN_INT32(tax_tier_of(PG_GETARG_FLOAT8(0), b, n, false));
}

/* the same, a figure on a bound in the lower tier when includes_bound */
Datum
tax_tier_read(PG_FUNCTION_ARGS)
{
	int			n;
	const float8 *b = checked_bounds(PG_GETARG_ARRAYTYPE_P(1), &n);

	PG_RETURN_INT32(tax_tier_of(PG_GETARG_FLOAT8(0), b, n, PG_GETARG_BOOL(2)));
}
