/*
 * bulk_insert.h — new rows written into a table as COPY FROM writes them:
 * a page of heap tuples per WAL record (heap_multi_insert), then their
 * index entries; the table's statement triggers fire, its NOT NULL and
 * CHECK constraints and unique keys hold, columns not given get their
 * defaults (an identity its next value).  Only for tables the executor's
 * row path does not need: bulk_insert_possible() says so.
 */
#ifndef PARCEL_GOV_BULK_INSERT_H
#define PARCEL_GOV_BULK_INSERT_H

#include "postgres.h"

#include "utils/relcache.h"

typedef struct BulkInsert BulkInsert;

/* No row trigger that fires in this session (which includes foreign keys
 * and deferred unique checks; one enabled for replicas only does not fire
 * outside replica mode), no row security for the current user, a plain
 * table, no stored generated column (statement triggers, with or without a
 * NEW TABLE, are fine): else write the rows with INSERT. */
extern bool bulk_insert_possible(Relation rel);

/* Begins (INSERT privilege checked, BEFORE STATEMENT triggers fired) with
 * the columns (names, n) each row gives, of which those marked absent
 * (NULL: none) are left out. */
extern BulkInsert *bulk_insert_begin(Relation rel, const char *const *names, int n, const bool *absent);

/* A row, its values in the order of the names (copied). */
extern void bulk_insert_put(BulkInsert *b, const Datum *value, const bool *isnull);

/* The rows still buffered written, AFTER STATEMENT triggers fired; the number of rows. */
extern uint64 bulk_insert_end(BulkInsert *b);

#endif
