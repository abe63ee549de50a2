/*
 * table_rows.h — a table's rows handed to C straight from a sequential
 * scan, without the executor: for the engine's reads of a whole province,
 * where a query's per-row overhead (expression evaluation, projection, the
 * DestReceiver) cost as much as the scan itself.
 *
 * Columns are found by name in the relation's descriptor, never by
 * position, so a column an older version's schema lacks (its update still
 * to run) reads as NULL and the caller supplies its default, as
 * spi_column_or() does for a query.  The scan runs under a snapshot taken as
 * SPI takes one for a query, with AccessShareLock and the caller's SELECT
 * privilege checked; where row-level security would filter the caller's
 * rows the table is not read directly (table_rows_open returns NULL and the
 * caller reads through SPI, under the policies).
 */
#ifndef PARCEL_GOV_TABLE_ROWS_H
#define PARCEL_GOV_TABLE_ROWS_H

#include "postgres.h"

#include "spi_rows.h"

typedef struct TableRows TableRows;

/*
 * Opens parcel_gov.relname and finds columns[0..n) by name (a NULL name: a
 * column the caller computes, always NULL here); NULL when the table is
 * absent or row-level security applies to the current user.
 */
extern TableRows *table_rows_open(const char *relname, const char *const *columns, int ncolumns);

/* Whether the table has column c (of the columns given to table_rows_open). */
extern bool table_rows_has(const TableRows *t, int c);

/*
 * Only the rows whose column c is value (an int4 column; NULL never is): the
 * others are skipped before the rest of the row is deformed.
 */
extern void table_rows_where_int4(TableRows *t, int c, int32 value);

/*
 * Scans every row (sequentially, in the table's physical order) and calls fn
 * with its columns in the order given (NULL for a column the table lacks),
 * then done; values are valid only during the call, and what fn pallocs in
 * the current context is freed after it.  Closes the table; returns the
 * number of rows.
 */
extern uint64 table_rows_scan(TableRows *t, SpiRowFn fn, SpiDoneFn done, void *arg);

#endif
