/*
 * scores.h — one indicator's score, for SQL (scores.c) and for the
 * evaluation engine alike; errors as the SQL functions raise them.
 */
#ifndef PARCEL_GOV_SCORES_H
#define PARCEL_GOV_SCORES_H

#include "postgres.h"

/* weight × max(0, value / benchmark), at most *cap × weight when cap is given */
extern float8 ratio_score_of(float8 value, float8 benchmark, float8 weight, const float8 *cap);

/* weight × (20 + 80 × (value − lo) / (hi − lo)) / 100, clamped to [0.2, 1] × weight */
extern float8 minmax_score_of(float8 value, float8 lo, float8 hi, float8 weight);

#endif
