/*
 * evaluation_guard.h — the evaluation results are written by the engine
 * alone (evaluate(), evaluation_discard()), which keeps the rows, their
 * benchmarks and their summaries in step.
 */
#ifndef PARCEL_GOV_EVALUATION_GUARD_H
#define PARCEL_GOV_EVALUATION_GUARD_H

#include "postgres.h"

/* Runs a statement that writes the results (through spi_run), the guard letting it pass. */
extern uint64 results_write(const char *sql, int nparams, const Oid *types, const Datum *values);

/* Runs sync(arg), the engine's writes to the register, which leave no change mark
 * (evaluation_engine_writing(), install/89_mark_changes.sql). */
extern void register_sync_guarded(void (*sync) (void *), void *arg);

/* Runs write(arg), which writes the results without SQL (bulk_insert.h), the guard letting its statements pass. */
extern uint64 results_write_by(uint64 (*write) (void *arg), void *arg);

#endif
