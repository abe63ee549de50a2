/*
 * indicators_agg.c — the per-mu evaluation's indicators of a firm (over its
 * years or parcels) or of a pool (over its firms), each a ratio of sums.
 *
 * An indicator takes the rows where its numerator is non-NULL and its
 * denominator is non-NULL and non-zero; such a row adds to both of that
 * indicator's sums and to no others.  An indicator with no such row is NULL.
 *
 * State: float8[54] of (hi, lo) pairs (dd_state.h): rows, rows with an
 * area, Σarea, then (Σnumerator, Σdenominator) for each indicator.
 * indicators(...) applies the same rules to a single row.
 */
#include "postgres.h"

#include "fmgr.h"
#include "access/htup_details.h"
#include "funcapi.h"

#include "dd_state.h"
#include "error.h"
#include "indicators.h"

PG_FUNCTION_INFO_V1(indicators_agg_accum);
PG_FUNCTION_INFO_V1(indicators_agg_final);
PG_FUNCTION_INFO_V1(indicators_of_row);

const char *const indicator_names[N_INDICATORS] = {
	"tax_per_mu", "va_per_mu", "revenue_per_mu", "labour_productivity",
	"va_per_energy", "va_per_emission", "rd_intensity", "tax_per_kwh",
	"revenue_per_kwh", "va_per_water", "va_per_cod", "rd_intensity_main"
};

static const char *const input_names[N_INPUTS] = {
	"tax", "value_added", "revenue", "rd_expense", "staff", "energy_tce",
	"emission_t", "electricity_kwh", "water_t", "cod_t", "main_revenue", "area_mu"
};

/* Figures that are quantities and so may not be negative; tax, value added
 * and R&D may (refunds, losses, corrections). */
static const bool input_is_quantity[N_INPUTS] = {
	false, false, true, false, true, true, true, true, true, true, true, true
};

/* The composite parcel_gov.indicators after area_mu, in its column order. */
static const struct
{
	int			numerator;
	int			denominator;
}			indicator_defs[N_INDICATORS] =
{
	{TAX, AREA_MU},				/* tax_per_mu 亩均税收 */
	{VALUE_ADDED, AREA_MU},		/* va_per_mu 亩均增加值 */
	{REVENUE, AREA_MU},			/* revenue_per_mu 亩均营业收入 */
	{VALUE_ADDED, STAFF},		/* labour_productivity 全员劳动生产率 */
	{VALUE_ADDED, ENERGY_TCE},	/* va_per_energy 单位能耗增加值 */
	{VALUE_ADDED, EMISSION_T},	/* va_per_emission 单位排放增加值 */
	{RD_EXPENSE, REVENUE},		/* rd_intensity R&D经费支出占比 */
	{TAX, ELECTRICITY_KWH},		/* tax_per_kwh 单位电耗税收 */
	{REVENUE, ELECTRICITY_KWH},	/* revenue_per_kwh 单位电耗营业收入 (温岭) */
	{VALUE_ADDED, WATER_T},		/* va_per_water 单位水耗增加值 (临海) */
	{VALUE_ADDED, COD_T},		/* va_per_cod 单位COD排放增加值 (临海) */
	{RD_EXPENSE, MAIN_REVENUE},	/* rd_intensity_main R&D经费支出占主营业务收入比重 (黄岩) */
};

#define S_ROWS 0
#define S_AREA_ROWS 2
#define S_AREA 4
#define S_INDICATOR(k) (6 + 4 * (k))

void
indicator_sums_add(float8 *sum, const float8 *value, const bool *present, const char *func)
{
	for (int i = 0; i < N_INPUTS; i++)
	{
		require_finite(func, input_names[i], value[i]);
		if (input_is_quantity[i])
			require_non_negative(func, input_names[i], value[i]);
	}

	sum[S_ROWS] += 1;
	if (present[AREA_MU])
	{
		sum[S_AREA_ROWS] += 1;
		dd_add(sum + S_AREA, value[AREA_MU]);
	}
	for (int k = 0; k < N_INDICATORS; k++)
	{
		int			num = indicator_defs[k].numerator;
		int			den = indicator_defs[k].denominator;

		if (present[num] && present[den] && value[den] != 0)
		{
			dd_add(sum + S_INDICATOR(k), value[num]);
			dd_add(sum + S_INDICATOR(k) + 2, value[den]);
		}
	}
}

bool
indicator_of_sums(const float8 *sum, int k, const char *func, float8 *ratio)
{
	const float8 *numerator = sum + S_INDICATOR(k);
	const float8 *denominator = numerator + 2;
	float8		den = dd_value(denominator);

	if (den == 0)
		return false;
	require_finite_result(func, numerator[0]);
	require_finite_result(func, denominator[0]);
	*ratio = require_finite_result(func, dd_value(numerator) / den);
	return true;
}

bool
indicator_of_row(const float8 *value, const bool *present, int k, const char *func, float8 *ratio)
{
	int			num = indicator_defs[k].numerator;
	int			den = indicator_defs[k].denominator;

	if (!present[num] || !present[den] || value[den] == 0)
		return false;
	/* as indicator_of_sums over this row alone: the same division, the same bits */
	*ratio = require_finite_result(func, value[num] / value[den]);
	return true;
}

bool
indicator_area_of_sums(const float8 *sum, const char *func, float8 *area)
{
	*area = require_finite_result(func, dd_value(sum + S_AREA));
	return sum[S_AREA_ROWS] != 0;
}

/* Adds one row, read from the arguments starting at first_arg, to the sums. */
static void
accumulate_row(float8 *sum, FunctionCallInfo fcinfo, int first_arg, const char *func)
{
	float8		value[N_INPUTS];
	bool		present[N_INPUTS];

	for (int i = 0; i < N_INPUTS; i++)
	{
		present[i] = !PG_ARGISNULL(first_arg + i);
		value[i] = present[i] ? PG_GETARG_FLOAT8(first_arg + i) : 0;
	}
	indicator_sums_add(sum, value, present, func);
}

Datum
indicators_agg_accum(PG_FUNCTION_ARGS)
{
	Datum		result;
	float8	   *sum = dd_state_for_update(fcinfo, "indicators_agg", INDICATORS_STATE, &result);

	accumulate_row(sum, fcinfo, 1, "indicators_agg");
	PG_RETURN_DATUM(result);
}

/* The blessed row type of parcel_gov.indicators, looked up once per query. */
static TupleDesc
indicators_tupdesc(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;

	if (tupdesc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			raise_error(ERRCODE_FEATURE_NOT_SUPPORTED, NULL,
						"indicators_agg must return the composite type parcel_gov.indicators");
		tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = tupdesc;
	}
	return tupdesc;
}

/* The indicators row of the sums. */
static Datum
indicators_of_sums(FunctionCallInfo fcinfo, const float8 *sum)
{
	Datum		values[1 + N_INDICATORS];
	bool		nulls[1 + N_INDICATORS];
	float8		area = 0;

	nulls[0] = !indicator_area_of_sums(sum, "indicators_agg", &area);
	values[0] = Float8GetDatum(area);
	for (int k = 0; k < N_INDICATORS; k++)
	{
		float8		ratio = 0;

		nulls[k + 1] = !indicator_of_sums(sum, k, "indicators_agg", &ratio);
		values[k + 1] = Float8GetDatum(ratio);
	}
	return HeapTupleGetDatum(heap_form_tuple(indicators_tupdesc(fcinfo), values, nulls));
}

Datum
indicators_agg_final(PG_FUNCTION_ARGS)
{
	const float8 *sum = dd_state_read(fcinfo, 0, "indicators_agg", INDICATORS_STATE);

	if (sum[S_ROWS] == 0)
		PG_RETURN_NULL();		/* no rows at all, like sum() */
	PG_RETURN_DATUM(indicators_of_sums(fcinfo, sum));
}

/* indicators(...) of one row: indicators_agg over that row alone, without a group */
Datum
indicators_of_row(PG_FUNCTION_ARGS)
{
	float8		sum[INDICATORS_STATE] = {0};

	accumulate_row(sum, fcinfo, 0, "indicators");
	PG_RETURN_DATUM(indicators_of_sums(fcinfo, sum));
}
