/*
 * tax_tier.h — per-mu tax tiers, for tax_tier() and the evaluation summary.
 */
#ifndef PARCEL_GOV_TAX_TIER_H
#define PARCEL_GOV_TAX_TIER_H

#include "postgres.h"

#include "utils/array.h"

/* The bounds of a float8[], checked (one dimension, no NULL, finite, strictly ascending; 22023 otherwise). */
extern const float8 *tax_tier_bounds(ArrayType *bounds, int *count);

/* 1 below bounds[0], 2 below bounds[1], …, 0 at or above all (a figure on a
 * bound in the lower tier when includes_bound); 22023 for a non-finite figure. */
extern int	tax_tier_of(float8 tax_per_mu, const float8 *bounds, int n, bool includes_bound);

#endif
