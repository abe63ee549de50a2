/*
 * spi_rows.h — a query's rows handed to C one by one, through SPI with a
 * DestReceiver of our own: nothing is materialised, and a read-only query
 * may still run in parallel.
 */
#ifndef PARCEL_GOV_SPI_ROWS_H
#define PARCEL_GOV_SPI_ROWS_H

#include "postgres.h"

/* Called once per row; values and nulls are valid only during the call, and
 * what it pallocs in the current context is freed after it. */
typedef void (*SpiRowFn) (void *arg, Datum *values, bool *nulls);

/* Called once after the last row (may be NULL): for callers that batch rows. */
typedef void (*SpiDoneFn) (void *arg);

/*
 * Runs sql (inside SPI_connect) with nparams parameters of the given types
 * ($1 …; a NULL nulls array means none is NULL), calling fn per row, then done.
 * fn reads the row by position, so the query must return ncolumns columns
 * (checked once, before the first row: an internal error otherwise).
 * Returns the number of rows.
 */
extern uint64 spi_each_row(const char *sql, int ncolumns, int nparams, const Oid *types, const Datum *values,
						   const bool *nulls, SpiRowFn fn, SpiDoneFn done, void *arg);

/*
 * A SELECT whose rows a SpiRowFn reads by position: its select list, one
 * expression per column, indexed by the reader's enum of columns (declared
 * beside it, and the count checked, by SPI_SELECT), and the rest of the
 * query from FROM on (NULL for none).
 */
typedef struct SpiSelect
{
	const char *const *columns;
	int			ncolumns;
	const char *rest;
}			SpiSelect;

/*
 * Declares query, a SpiSelect over columns (an array of the select list's
 * expressions) and rest, with the compile-time check that the array has the
 * n columns of the reader's enum.
 */
#define SPI_SELECT(query, columns, n, rest) \
	StaticAssertDecl(lengthof(columns) == (n), "one expression per column of " #query); \
	static const SpiSelect query = {columns, n, rest}

/*
 * expr when the table parcel_gov.rel has the column, else fallback: the
 * library also serves a schema whose ALTER EXTENSION … UPDATE is still to run
 * (a column a later version added reads as its default until then).
 */
extern const char *spi_column_or(const char *rel, const char *column, const char *expr, const char *fallback);

/* "a, b, c": the names of n columns, for a select list or an INSERT's columns. */
extern char *spi_column_list(const char *const *columns, int n);

/* spi_each_row over "SELECT columns rest". */
extern uint64 spi_each_select(const SpiSelect *query, int nparams, const Oid *types, const Datum *values,
							  const bool *nulls, SpiRowFn fn, SpiDoneFn done, void *arg);

/* Runs a statement that returns no rows, with parameters as above; returns the rows it processed. */
extern uint64 spi_run(const char *sql, int nparams, const Oid *types, const Datum *values);

#endif
