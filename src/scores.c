/*
 * scores.c — one indicator's score against its benchmark.
 *
 * ratio_score:  weight × max(0, value / benchmark), capped at cap × weight
 *               (黄岩, 临海: score = value ÷ benchmark × weight).
 * minmax_score: weight × (20 + 80 × (value − lo) / (hi − lo)) / 100, clamped
 *               to [0.2 × weight, weight] (the efficacy-coefficient method).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/float.h"

#include "core/score_math.h"
#include "error.h"
#include "scores.h"

PG_FUNCTION_INFO_V1(ratio_score);
PG_FUNCTION_INFO_V1(minmax_score);

/* weights and caps are points (or multiples of them): finite and at least 0 */
static void
require_points(const char *func, const char *arg, float8 value)
{
	require_finite(func, arg, value);
	if (value < 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Weights are the points an indicator is worth, and a cap a multiple of them; neither can be negative.",
					"%s: %s must not be negative, got %s", func, arg, float8out_internal(value));
}

float8
ratio_score_of(float8 value, float8 benchmark, float8 weight, const float8 *cap)
{
	float8		score;

	require_finite("ratio_score", "value", value);
	require_finite("ratio_score", "benchmark", benchmark);
	if (benchmark <= 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"A benchmark is the pool's level of the indicator and must be above 0; check the rule or the pool's data.",
					"ratio_score: benchmark must be positive, got %s", float8out_internal(benchmark));
	require_points("ratio_score", "weight", weight);

	score = require_finite_result("ratio_score", ratio_score_math(value, benchmark, weight));
	if (cap != NULL)
	{
		require_points("ratio_score", "cap", *cap);
		score = fmin(score, *cap * weight);
	}
	return score;
}

/* value, benchmark and weight NULL → NULL; cap NULL → no cap */
Datum
ratio_score(PG_FUNCTION_ARGS)
{
	float8		cap = PG_ARGISNULL(3) ? 0 : PG_GETARG_FLOAT8(3);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ratio_score_of(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
									PG_ARGISNULL(3) ? NULL : &cap));
}

float8
minmax_score_of(float8 value, float8 lo, float8 hi, float8 weight)
{
	require_finite("minmax_score", "value", value);
	require_finite("minmax_score", "lo", lo);
	require_finite("minmax_score", "hi", hi);
	require_points("minmax_score", "weight", weight);
	if (hi < lo)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Pass the pool's lowest value as lo and its highest as hi.",
					"minmax_score: hi (%s) is below lo (%s)",
					float8out_internal(hi), float8out_internal(lo));
	return require_finite_result("minmax_score", minmax_score_math(value, lo, hi, weight));
}

Datum
minmax_score(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(minmax_score_of(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
									 PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)));
}
