/*
 * fuzz_scores.c — libFuzzer harness for the score and quota arithmetic
 * (src/core/score_math.c): any doubles the SQL functions' checks let through
 * (finite, weight ≥ 0, benchmark > 0, lo ≤ hi, shares 0 ≤ a ≤ b ≤ c ≤ 1),
 * and the results keep their promises: a ratio score is never negative and a
 * cap bounds it, a min-max score lies in [0.2, 1] × weight, quota limits
 * never decrease with the share and never pass the pool.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "score_math.h"

static double
take(const uint8_t **data, size_t *size)
{
	double		d = 0;

	if (*size >= sizeof d)
	{
		memcpy(&d, *data, sizeof d);
		*data += sizeof d;
		*size -= sizeof d;
	}
	return d;
}

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double		value = take(&data, &size),
				benchmark = fabs(take(&data, &size)),
				weight = fabs(take(&data, &size)),
				cap = fabs(take(&data, &size)),
				lo = take(&data, &size),
				hi = take(&data, &size);
	double		shares[3];
	double		raw_n = fabs(take(&data, &size));
	int64_t		n = isfinite(raw_n) ? (int64_t) fmod(raw_n, 1e9) : 0;

	for (int i = 0; i < 3; i++)
		shares[i] = fmod(fabs(take(&data, &size)), 1.0000001);
	if (!isfinite(value) || !isfinite(benchmark) || !isfinite(weight) || !isfinite(cap))
		return 0;

	if (benchmark > 0)
	{
		double		score = ratio_score_math(value, benchmark, weight);

		if (isfinite(score) && (score < 0 || fmin(score, cap * weight) > cap * weight))
			abort();
		if (value <= 0 && score != 0)
			abort();
	}
	if (isfinite(lo) && isfinite(hi))
	{
		double		score;

		if (hi < lo)
		{
			double		t = lo;

			lo = hi;
			hi = t;
		}
		score = minmax_score_math(value, lo, hi, weight);
		if (isfinite(score) && (score < 0.2 * weight * (1 - 1e-12) || score > weight * (1 + 1e-12)))
			abort();
	}
	if (n >= 0 && n <= 1000000000 && isfinite(shares[0]) && isfinite(shares[1]) && isfinite(shares[2]))
	{
		int64_t		last = 0;

		qsort(shares, 3, sizeof(double), cmp);
		for (int i = 0; i < 3; i++)
		{
			int64_t		limit = quota_limit(n, fmin(shares[i], 1));

			if (limit < last || limit > n)
				abort();
			last = limit;
		}
	}
	return 0;
}
