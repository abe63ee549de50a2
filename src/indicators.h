/*
 * indicators.h — the rules of indicators_agg on double-double sums, for the
 * aggregate and for the evaluation engine alike.
 *
 * An indicator takes the rows where its numerator is non-NULL and its
 * denominator is non-NULL and non-zero; an indicator with no such row is NULL.
 * The sums: float8[INDICATORS_STATE] of (hi, lo) pairs (dd_state.h).
 */
#ifndef PARCEL_GOV_INDICATORS_H
#define PARCEL_GOV_INDICATORS_H

#include "postgres.h"

/* A row's figures, in the order of indicators_agg's arguments. */
enum
{
	TAX, VALUE_ADDED, REVENUE, RD_EXPENSE, STAFF, ENERGY_TCE, EMISSION_T,
	ELECTRICITY_KWH, WATER_T, COD_T, MAIN_REVENUE, AREA_MU, N_INPUTS
};

/* The indicators, in the order of the composite parcel_gov.indicators after area_mu. */
enum
{
	TAX_PER_MU, VA_PER_MU, REVENUE_PER_MU, LABOUR_PRODUCTIVITY, VA_PER_ENERGY,
	VA_PER_EMISSION, RD_INTENSITY, TAX_PER_KWH, REVENUE_PER_KWH, VA_PER_WATER,
	VA_PER_COD, RD_INTENSITY_MAIN, N_INDICATORS
};

/* The labels of the enum parcel_gov.indicator, in that order. */
extern const char *const indicator_names[N_INDICATORS];

/* rows, rows with an area, Σarea, then (Σnumerator, Σdenominator) per indicator */
#define INDICATORS_STATE (6 + 4 * N_INDICATORS)

/* Adds one row (value[N_INPUTS], present[N_INPUTS]) to the sums; 22023 for
 * NaN, infinities and negative quantities, naming func. */
extern void indicator_sums_add(float8 *sum, const float8 *value, const bool *present, const char *func);

/* Indicator k of the sums; false when no row contributed (NULL). */
extern bool indicator_of_sums(const float8 *sum, int k, const char *func, float8 *ratio);

/* Indicator k of one row, as indicators() computes it; false when NULL. */
extern bool indicator_of_row(const float8 *value, const bool *present, int k, const char *func, float8 *ratio);

/* Σarea of the sums; false when no row had an area (NULL). */
extern bool indicator_area_of_sums(const float8 *sum, const char *func, float8 *area);

#endif
