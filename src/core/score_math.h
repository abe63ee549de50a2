/*
 * score_math.h — the arithmetic of scores and grade quotas as pure C (no
 * PostgreSQL headers), for scores.c, quota_grade.c and the engine, and for
 * the fuzz harnesses.  Inputs are checked by the callers (finite, weights not
 * negative, benchmark positive, hi ≥ lo, shares in [0, 1]).
 */
#ifndef PARCEL_GOV_SCORE_MATH_H
#define PARCEL_GOV_SCORE_MATH_H

#include <stdint.h>

/* weight × max(0, value / benchmark), before any cap */
extern double ratio_score_math(double value, double benchmark, double weight);

/* weight × (20 + 80 × (value − lo) / (hi − lo)) / 100, the share clamped to [0, 1] */
extern double minmax_score_math(double value, double lo, double hi, double weight);

/*
 * round half up of n × share: the last rank within a cumulative share; the
 * tolerance lets decimal shares round as written (0.20 × 5 = 1, not 0.99…)
 */
extern int64_t quota_limit(int64_t n, double share);

#endif
