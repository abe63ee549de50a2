/*
 * quota.h — the rank cut-off of a grade quota, shared by quota_grade() and
 * the evaluation engine so both grade alike.
 */
#ifndef PARCEL_GOV_QUOTA_H
#define PARCEL_GOV_QUOTA_H

#include "postgres.h"

/*
 * round half up of n × share: the last rank within a cumulative share; the
 * tolerance lets decimal shares round as written (0.20 × 5 = 1, not 0.99…)
 */
extern int64 quota_limit(int64 n, float8 share);

/* The labels of the grade enum, A to D. */
#define N_GRADES 4
extern const char *const grade_labels[N_GRADES];

#endif
