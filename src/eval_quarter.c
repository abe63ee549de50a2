/*
 * eval_quarter.c — what differs when the engine evaluates a quarter (季评价,
 * 上虞: 月监测、季评价、年考核): figures are year to date, so a fixed
 * benchmark, which is a year's, counts for the months elapsed; and the
 * results go to evaluation_quarter and evaluation_quarter_benchmark, kept
 * apart from the year's.  The quarter's rows under the prefix are replaced
 * as a whole: no summary, no digest, no register.
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "eval_delta.h"
#include "eval_engine.h"
#include "evaluation_guard.h"
#include "spi_rows.h"

/*
 * Indicators whose numerator accrues through the year over a denominator
 * that does not (land, staff on average): a year-to-date value is a share
 * of the year's.  Ratios of two accruing figures (per kWh, per tce, per t,
 * R&D over revenue) need no proration.
 */
bool
eval_indicator_accrues(int indicator)
{
	switch (indicator)
	{
		case TAX_PER_MU:
		case VA_PER_MU:
		case REVENUE_PER_MU:
		case LABOUR_PRODUCTIVITY:
			return true;
		default:
			return false;
	}
}

/* The names of a table's engine columns (width of them) and "quarter" after them. */
static const char **
names_and_quarter(int width, const char *(*column) (int))
{
	const char **names = palloc(sizeof(char *) * (width + 1));

	for (int c = 0; c < width; c++)
		names[c] = column(c);
	names[width] = "quarter";
	return names;
}

/* Runs a statement over the quarter's rows of the prefix: $1 year, $2 quarter, $3 prefix. */
static uint64
quarter_write(EvalRun *run, const char *sql)
{
	Oid			types[3] = {INT4OID, INT4OID, TEXTOID};
	Datum		values[3] = {Int32GetDatum(run->year), Int32GetDatum(run->month / 3),
	CStringGetTextDatum(run->prefix)};

	return results_write(sql, 3, types, values);
}

static void
write_firm_rows(EvalRun *run, Datum started)
{
	int			width = eval_row_width();
	const char **names = names_and_quarter(width, eval_row_column);
	Relation	rel = eval_open_table("evaluation_quarter");
	MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "parcel_gov row", ALLOCSET_SMALL_SIZES);
	Datum	   *value = palloc(sizeof(Datum) * (width + 1));
	bool	   *isnull = palloc(sizeof(bool) * (width + 1));
	char	   *columns = spi_column_list(names, width + 1);
	Delta		rows;

	delta_begin(&rows, "parcel_gov_quarter_rows", rel, names, width + 1, NULL);
	for (int32 i = 0; i < run->n_firms; i++)
	{
		MemoryContext old;

		if (!run->firms[i].evaluated)
			continue;
		old = MemoryContextSwitchTo(row_cxt);
		eval_firm_row_values(run, &run->firms[i], started, value, isnull);
		value[width] = Int32GetDatum(run->month / 3);
		isnull[width] = false;
		delta_put(&rows, value, isnull, width + 1);
		MemoryContextSwitchTo(old);
		MemoryContextReset(row_cxt);
	}
	delta_register(&rows);
	/* the quarter's rows of the prefix's firms, and of firms that left it */
	quarter_write(run, "DELETE FROM parcel_gov.evaluation_quarter q WHERE q.year = $1 AND q.quarter = $2 "
				  "AND (starts_with(q.region_code, $3) OR q.uscc IN "
				  "(SELECT e.uscc FROM parcel_gov.enterprise e WHERE starts_with(e.region_code, $3)))");
	run->rows_changed += results_write(psprintf("INSERT INTO parcel_gov.evaluation_quarter (%s) "
												"SELECT %s FROM parcel_gov_quarter_rows", columns, columns),
									   0, NULL, NULL);
	delta_end(&rows);
	table_close(rel, AccessShareLock);
	MemoryContextDelete(row_cxt);
}

static void
write_benchmarks(EvalRun *run)
{
	int			width = eval_benchmark_width();
	const char **names = names_and_quarter(width, eval_benchmark_column);
	Relation	rel = eval_open_table("evaluation_quarter_benchmark");
	Datum	   *value = palloc(sizeof(Datum) * (width + 1));
	bool	   *isnull = palloc(sizeof(bool) * (width + 1));
	char	   *columns = spi_column_list(names, width + 1);
	Delta		rows;

	delta_begin(&rows, "parcel_gov_quarter_benchmarks", rel, names, width + 1, NULL);
	for (int32 p = 0; p < run->n_pools; p++)
		for (int j = 0; j < run->pools[p].rule->n_indicators; j++)
		{
			eval_benchmark_values(run, &run->pools[p], j, value, isnull);
			value[width] = Int32GetDatum(run->month / 3);
			isnull[width] = false;
			delta_put(&rows, value, isnull, width + 1);
		}
	delta_register(&rows);
	quarter_write(run, "DELETE FROM parcel_gov.evaluation_quarter_benchmark b "
				  "WHERE b.year = $1 AND b.quarter = $2 AND starts_with(b.region_code, $3)");
	results_write(psprintf("INSERT INTO parcel_gov.evaluation_quarter_benchmark (%s) "
						   "SELECT %s FROM parcel_gov_quarter_benchmarks", columns, columns), 0, NULL, NULL);
	delta_end(&rows);
	table_close(rel, AccessShareLock);
}

void
eval_write_quarter(EvalRun *run, Datum started)
{
	write_firm_rows(run, started);
	write_benchmarks(run);
}
