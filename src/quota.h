/*
 * quota.h — the rank cut-off of a grade quota, shared by quota_grade() and
 * the evaluation engine so both grade alike.
 */
#ifndef PARCEL_GOV_QUOTA_H
#define PARCEL_GOV_QUOTA_H

#include "postgres.h"

#include "core/score_math.h"	/* quota_limit(n, share) */

/* The labels of the grade enum, A to D. */
#define N_GRADES 4
extern const char *const grade_labels[N_GRADES];

#endif
