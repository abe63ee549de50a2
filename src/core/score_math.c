/*
 * score_math.c — score and quota arithmetic as pure C (score_math.h).
 */
#include <math.h>

#include "score_math.h"

double
ratio_score_math(double value, double benchmark, double weight)
{
	return weight * fmax(0, value / benchmark);
}

double
minmax_score_math(double value, double lo, double hi, double weight)
{
	double		share;

	/* A pool where every firm has the same value: at or above it is the best. */
	if (hi == lo)
		share = value >= hi ? 1 : 0;
	else
		share = fmin(1, fmax(0, (value / 2 - lo / 2) / (hi / 2 - lo / 2)));	/* halves: no overflow */
	return weight * (20 + 80 * share) / 100;
}

int64_t
quota_limit(int64_t n, double share)
{
	double		x = (double) n * share;

	return (int64_t) floor(x * (1 + 1e-12) + 0.5);
}
