/*
 * eval_figures.c — a run's firms' figures, by query or by scan
 * (eval_figures.h).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "eval_figures.h"
#include "spi_rows.h"
#include "table_rows.h"

struct Figures
{
	EvalRun    *run;
	/* rows waiting for their firms, looked up a batch at a time */
	int			n;
	CodeKey		key[CODE_BATCH];
	FirmFigures row[CODE_BATCH];
};

static void
attach_figures(void *arg)
{
	Figures    *batch = arg;
	EvalRun    *run = batch->run;
	int32		found[CODE_BATCH];

	code_map_get_batch(run->firm_by_uscc, batch->key, batch->n, found);
	for (int j = 0; j < batch->n; j++)
		if (found[j] >= 0)		/* else a firm outside the prefix */
		{
			run->firms[found[j]].evaluated = true;
			run->firms[found[j]].fig = batch->row[j];
		}
	batch->n = 0;
}

/* enterprise_year: every firm's figures of the year ($1) */
enum
{
	FIG_COL_USCC, FIG_COL_BELOW,
	FIG_COL_FIGURE,				/* N_FIGURES figures, in the order of indicators.h */
	FIG_COL_EXEMPT_REASON = FIG_COL_FIGURE + N_FIGURES, FIG_COL_VETO_REASON, FIG_COL_BONUS, FIG_COL_DEDUCTION,
	FIG_COL_BACKWARD_CAPACITY, FIG_COL_PROHIBITED_INDUSTRY, FIG_COL_SCATTERED_POLLUTING, N_FIG_COLS
};

static const char *figure_cols[] = {	/* scattered_polluting: 1.10.0 */
	[FIG_COL_USCC] = "f.uscc",
	[FIG_COL_BELOW] = "f.size_class = 'below'",
	[FIG_COL_FIGURE + TAX] = "f.tax",
	[FIG_COL_FIGURE + VALUE_ADDED] = "f.value_added",
	[FIG_COL_FIGURE + REVENUE] = "f.revenue",
	[FIG_COL_FIGURE + RD_EXPENSE] = "f.rd_expense",
	[FIG_COL_FIGURE + STAFF] = "f.staff",
	[FIG_COL_FIGURE + ENERGY_TCE] = "f.energy_tce",
	[FIG_COL_FIGURE + EMISSION_T] = "f.emission_t",
	[FIG_COL_FIGURE + ELECTRICITY_KWH] = "f.electricity_kwh",
	[FIG_COL_FIGURE + WATER_T] = "f.water_t",	/* water_t, cod_t, main_revenue: 1.11.0 */
	[FIG_COL_FIGURE + COD_T] = "f.cod_t",
	[FIG_COL_FIGURE + MAIN_REVENUE] = "f.main_revenue",
	[FIG_COL_EXEMPT_REASON] = "f.exempt_reason",
	[FIG_COL_VETO_REASON] = "f.veto_reason",
	[FIG_COL_BONUS] = "f.bonus",
	[FIG_COL_DEDUCTION] = "f.deduction",
	[FIG_COL_BACKWARD_CAPACITY] = "f.backward_capacity",
	[FIG_COL_PROHIBITED_INDUSTRY] = "f.prohibited_industry",
	[FIG_COL_SCATTERED_POLLUTING] = "f.scattered_polluting",
};

StaticAssertDecl(AREA_MU == N_FIGURES, "the figures are the inputs before area_mu");

/* the firms of the prefix ($2) only: a county's run reads its county's rows
 * (enterprise_region_idx, then the key of enterprise_year) */
SPI_SELECT(figure_query, figure_cols, N_FIG_COLS,
		   "FROM parcel_gov.enterprise e JOIN parcel_gov.enterprise_year f ON f.uscc = e.uscc AND f.year = $1 "
		   "WHERE starts_with(e.region_code, $2)");

/*
 * A county's run: the figures of the firms it read ($2, their USCCs), through
 * enterprise_year's key (a join from enterprise hashed every figure of the
 * year).  The keys are joined from unnest(), not matched by = ANY: the
 * planner estimates = ANY element by element, 17 ms for a county's 5,555.
 */
SPI_SELECT(figure_county_query, figure_cols, N_FIG_COLS,
		   "FROM unnest($2) AS k(uscc) JOIN parcel_gov.enterprise_year f ON f.year = $1 AND f.uscc = k.uscc");

/* enterprise_period: the same columns, year to date through the month ($2) */
SPI_SELECT(figure_period_query, figure_cols, N_FIG_COLS,
		   "FROM parcel_gov.enterprise_period f WHERE f.year = $1 AND f.month = $2");

/* the same columns from a scan of the whole table: size_class as stored, then the year */
#define FIG_TABLE_YEAR N_FIG_COLS
static const char *const figure_table_cols[] = {
	[FIG_COL_USCC] = "uscc",
	[FIG_COL_BELOW] = "size_class",
	[FIG_COL_FIGURE + TAX] = "tax",
	[FIG_COL_FIGURE + VALUE_ADDED] = "value_added",
	[FIG_COL_FIGURE + REVENUE] = "revenue",
	[FIG_COL_FIGURE + RD_EXPENSE] = "rd_expense",
	[FIG_COL_FIGURE + STAFF] = "staff",
	[FIG_COL_FIGURE + ENERGY_TCE] = "energy_tce",
	[FIG_COL_FIGURE + EMISSION_T] = "emission_t",
	[FIG_COL_FIGURE + ELECTRICITY_KWH] = "electricity_kwh",
	[FIG_COL_FIGURE + WATER_T] = "water_t",
	[FIG_COL_FIGURE + COD_T] = "cod_t",
	[FIG_COL_FIGURE + MAIN_REVENUE] = "main_revenue",
	[FIG_COL_EXEMPT_REASON] = "exempt_reason",
	[FIG_COL_VETO_REASON] = "veto_reason",
	[FIG_COL_BONUS] = "bonus",
	[FIG_COL_DEDUCTION] = "deduction",
	[FIG_COL_BACKWARD_CAPACITY] = "backward_capacity",
	[FIG_COL_PROHIBITED_INDUSTRY] = "prohibited_industry",
	[FIG_COL_SCATTERED_POLLUTING] = "scattered_polluting",
	[FIG_TABLE_YEAR] = "year",
};

StaticAssertDecl(lengthof(figure_table_cols) == N_FIG_COLS + 1, "figure_query's columns and the year");

/* A row's figures and key (its reasons apart: where they go differs). */
static void
figures_of(const Datum *v, const bool *isnull, CodeKey *key, FirmFigures *f)
{
	*key = code_key_of(v[FIG_COL_USCC], "USCC");
	f->size_class = DatumGetBool(v[FIG_COL_BELOW]) ? 1 : 0;
	f->present = 0;
	for (int k = 0; k < N_FIGURES; k++)
	{
		f->present |= isnull[FIG_COL_FIGURE + k] ? 0 : 1 << k;
		f->figure[k] = isnull[FIG_COL_FIGURE + k] ? 0 : DatumGetFloat8(v[FIG_COL_FIGURE + k]);
	}
	f->bonus = DatumGetFloat8(v[FIG_COL_BONUS]);
	f->deduction = DatumGetFloat8(v[FIG_COL_DEDUCTION]);
	f->backward_capacity = DatumGetBool(v[FIG_COL_BACKWARD_CAPACITY]);
	f->prohibited_industry = DatumGetBool(v[FIG_COL_PROHIBITED_INDUSTRY]);
	f->scattered_polluting = DatumGetBool(v[FIG_COL_SCATTERED_POLLUTING]);
	f->exempt_reason = f->veto_reason = NULL;
}

/* a row as figure_query returns it */
static void
add_figures(void *arg, Datum *v, bool *isnull)
{
	Figures    *batch = arg;
	EvalRun    *run = batch->run;
	FirmFigures *f = &batch->row[batch->n];

	figures_of(v, isnull, &batch->key[batch->n], f);
	f->exempt_reason = eval_text_or_null(run, v[FIG_COL_EXEMPT_REASON], isnull[FIG_COL_EXEMPT_REASON]);
	f->veto_reason = eval_text_or_null(run, v[FIG_COL_VETO_REASON], isnull[FIG_COL_VETO_REASON]);
	if (++batch->n == CODE_BATCH)
		attach_figures(batch);
}

/*
 * A scanned enterprise_year row as figure_query returns it (v, isnull):
 * false for a row of another year.
 */
static bool
scanned_row(const Datum *raw, const bool *rawnull, int32 year, Oid below, Datum *v, bool *isnull)
{
	if (rawnull[FIG_TABLE_YEAR] || DatumGetInt32(raw[FIG_TABLE_YEAR]) != year)
		return false;
	memcpy(v, raw, sizeof(Datum) * N_FIG_COLS);
	memcpy(isnull, rawnull, sizeof(bool) * N_FIG_COLS);
	v[FIG_COL_BELOW] = BoolGetDatum(DatumGetObjectId(raw[FIG_COL_BELOW]) == below);
	if (isnull[FIG_COL_SCATTERED_POLLUTING])	/* before 1.10.0 */
		v[FIG_COL_SCATTERED_POLLUTING] = BoolGetDatum(false);
	return true;
}

static void
add_figures_row(void *arg, Datum *raw, bool *rawnull)
{
	Figures    *batch = arg;
	Datum		v[N_FIG_COLS];
	bool		isnull[N_FIG_COLS];

	if (scanned_row(raw, rawnull, batch->run->year, batch->run->size_class_oid[1], v, isnull))
		add_figures(batch, v, isnull);
}

Figures *
eval_figures(EvalRun *run)
{
	Figures    *f = palloc0(sizeof(Figures));

	f->run = run;
	figure_cols[FIG_COL_SCATTERED_POLLUTING] =
		spi_column_or("enterprise_year", "scattered_polluting", "f.scattered_polluting", "false");
	/* the figures 1.11.0 added, absent until the extension is updated */
	figure_cols[FIG_COL_FIGURE + WATER_T] = spi_column_or("enterprise_year", "water_t", "f.water_t", "NULL::float8");
	figure_cols[FIG_COL_FIGURE + COD_T] = spi_column_or("enterprise_year", "cod_t", "f.cod_t", "NULL::float8");
	figure_cols[FIG_COL_FIGURE + MAIN_REVENUE] =
		spi_column_or("enterprise_year", "main_revenue", "f.main_revenue", "NULL::float8");
	return f;
}

void
eval_figures_of_period(Figures *f)
{
	Oid			types[2] = {INT4OID, INT4OID};
	Datum		values[2] = {Int32GetDatum(f->run->year), Int32GetDatum(f->run->month)};

	spi_each_select(&figure_period_query, 2, types, values, NULL, add_figures, attach_figures, f);
}

void
eval_figures_of_prefix(Figures *f, Datum prefix)
{
	TableRows  *table = table_rows_open("enterprise_year", figure_table_cols, N_FIG_COLS + 1);

	if (table)
	{
		table_rows_where_int4(table, FIG_TABLE_YEAR, f->run->year);
		table_rows_scan(table, add_figures_row, attach_figures, f);
	}
	else
	{
		Oid			types[2] = {INT4OID, TEXTOID};
		Datum		values[2] = {Int32GetDatum(f->run->year), prefix};

		spi_each_select(&figure_query, 2, types, values, NULL, add_figures, attach_figures, f);
	}
}

void
eval_figures_of_firms(Figures *f, Datum usccs)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2] = {Int32GetDatum(f->run->year), usccs};

	spi_each_select(&figure_county_query, 2, types, values, NULL, add_figures, attach_figures, f);
}
