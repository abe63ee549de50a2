/*
 * notice_candidates.c — the firms a prefix's run of a year hands to the
 * multi-year notice (notice_multi_year_candidates in install/85_evaluate.sql),
 * which reads each through v_enterprise_evaluation.  A multi-year rule can be
 * undecided only for a firm without both earlier years' results, or (桐庐's
 * rule on parcels) for the holder of a parcel leased out whole in one of the
 * two years before: a parcel's 亩均税收 of a year is its users' (the holder
 * on the land it keeps, the lessees on theirs), so with the holder's results
 * of both years and some land kept each year it has one; leased out whole,
 * only its lessees' results give it one.  The run has read its firms' land
 * and, over the window, their leases (eval_input.c); it reads here its
 * prefix's results of the two years before, where the notice's own query
 * read the three years and probed every firm's parcels again.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "eval_engine.h"
#include "spi_rows.h"

void
eval_note_window_lease(EvalRun *run, const CodeKey *parcel, float8 area, bool in_prev, bool in_prev2)
{
	int32		i = code_map_get(run->window_parcel_map, parcel);

	if (i < 0)
	{
		i = run->n_window_parcels++;
		run->window_parcels = eval_grow(run, run->window_parcels, i, &run->max_window_parcels, sizeof(WindowParcel));
		memset(&run->window_parcels[i], 0, sizeof(WindowParcel));
		run->window_parcels[i].code = *parcel;
		code_map_put(run->window_parcel_map, parcel, i);
	}
	run->window_parcels[i].leased[0] += in_prev ? area : 0;
	run->window_parcels[i].leased[1] += in_prev2 ? area : 0;
}

/*
 * Whether the parcel kept no land of its own in one of the two years before:
 * its leases then covered its area (parcel_tax_per_mu: greatest(area −
 * leased, 0) = 0).  Those sums are exact there and plain here: a billionth
 * of the area to spare, so that a parcel the view finds leased whole is
 * never missed (one it does not goes to the notice, which decides it).
 */
bool
eval_window_leased_whole(const EvalRun *run, int32 window_parcel, float8 area)
{
	const WindowParcel *w = &run->window_parcels[window_parcel];
	float8		almost = area * (1 - 1e-9);

	return w->leased[0] >= almost || w->leased[1] >= almost;
}

/* evaluation: the prefix's ($2) complete results of the two years before $1 */
enum
{
	EARLIER_COL_USCC, N_EARLIER_COLS
};

static const char *const earlier_cols[] = {
	[EARLIER_COL_USCC] = "e.uscc",
};

SPI_SELECT(earlier_query, earlier_cols, N_EARLIER_COLS,
		   "FROM parcel_gov.evaluation e WHERE e.year IN ($1 - 1, $1 - 2) AND starts_with(e.region_code, $2) "
		   "AND e.tax_per_mu IS NOT NULL AND e.pool IS NOT NULL");

typedef struct EarlierYears
{
	EvalRun    *run;
	int8	   *years;			/* per firm: its complete results of the two years before */
}			EarlierYears;

static void
count_earlier(void *arg, Datum *v, bool *isnull)
{
	EarlierYears *e = arg;
	CodeKey		uscc = code_key_of(v[EARLIER_COL_USCC], "USCC");
	int32		firm = code_map_get(e->run->firm_by_uscc, &uscc);

	if (firm >= 0)
		e->years[firm]++;
}

static Datum
text_array(Datum *codes, int32 n)
{
	return PointerGetDatum(construct_array(codes, n, TEXTOID, -1, false, TYPALIGN_INT));
}

bool
eval_multi_year_candidates(EvalRun *run, Datum *candidates, Datum *leasing)
{
	EarlierYears e = {run, palloc0(sizeof(int8) * Max(run->n_firms, 1))};
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};
	Datum	   *cand = palloc(sizeof(Datum) * Max(run->n_firms, 1));
	Datum	   *lease = palloc(sizeof(Datum) * Max(run->n_firms, 1));
	int32		n_cand = 0,
				n_lease = 0;

	/*
	 * The province's run that changed no row (a forced rerun) reads no
	 * results of the years before: a million rows, twice the rerun.  Its
	 * evaluate() names no firm for unchanged inputs, and finds them itself
	 * for inputs touched but unchanged.
	 */
	if (!run->multi_year_known || (eval_whole_province(run) && run->rows_changed == 0))
		return false;
	spi_each_select(&earlier_query, 2, types, values, NULL, count_earlier, NULL, &e);
	/* the firms with results of the year, those the notice reads */
	for (int32 i = 0; i < run->n_firms; i++)
	{
		EvalFirm   *firm = &run->firms[i];

		if (!firm->evaluated || (e.years[i] >= 2 && !firm->leased_out_whole))
			continue;
		cand[n_cand++] = code_key_text(&firm->uscc);
		if (firm->leasing_holder)
			lease[n_lease++] = cand[n_cand - 1];
	}
	*candidates = text_array(cand, n_cand);
	*leasing = text_array(lease, n_lease);
	return true;
}
