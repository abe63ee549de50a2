/*
 * evaluation_guard.c — evaluation, evaluation_benchmark and evaluation_summary
 * (and the quarter's evaluation_quarter, evaluation_quarter_benchmark) take
 * writes from the engine only.  A statement trigger (one check per
 * statement, whatever it writes) refuses the rest with 42501, as the
 * register's history does; the engine's own statements pass while a flag
 * of this backend says they are its.
 *
 *   evaluation_guard()               BEFORE … FOR EACH STATEMENT on the three tables
 *   evaluation_discard_rows(y, p)    the year's results under a prefix, removed
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"

#include "error.h"
#include "evaluation_guard.h"
#include "restore_mode.h"
#include "spi_rows.h"

PG_FUNCTION_INFO_V1(evaluation_guard);
PG_FUNCTION_INFO_V1(evaluation_discard_rows);
PG_FUNCTION_INFO_V1(evaluation_engine_writing);

static bool writing_results = false;

/* true while the engine brings the register in line: its writes mark no change */
static bool engine_writing_register = false;

void
register_sync_guarded(void (*sync) (void *), void *arg)
{
	engine_writing_register = true;
	PG_TRY();
	{
		sync(arg);
	}
	PG_FINALLY();
	{
		engine_writing_register = false;
	}
	PG_END_TRY();
}

/* evaluation_engine_writing(): for the change-mark trigger on the register */
Datum
evaluation_engine_writing(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(engine_writing_register);
}

uint64
results_write(const char *sql, int nparams, const Oid *types, const Datum *values)
{
	uint64		rows = 0;

	writing_results = true;
	PG_TRY();
	{
		rows = spi_run(sql, nparams, types, values);
	}
	PG_FINALLY();
	{
		writing_results = false;
	}
	PG_END_TRY();
	return rows;
}

uint64
results_write_by(uint64 (*write) (void *arg), void *arg)
{
	uint64		rows = 0;

	writing_results = true;
	PG_TRY();
	{
		rows = write(arg);
	}
	PG_FINALLY();
	{
		writing_results = false;
	}
	PG_END_TRY();
	return rows;
}

Datum
evaluation_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL, "evaluation_guard must be a trigger");
	if (writing_results || restoring())
		return PointerGetDatum(NULL);
	if (strncmp(RelationGetRelationName(trig->tg_relation), "evaluation_quarter", 18) == 0)
		raise_error(ERRCODE_INSUFFICIENT_PRIVILEGE,
					"Quarterly results come from evaluate_quarter(year, quarter, region), which replaces them.",
					"%s is written only by evaluate_quarter()", RelationGetRelationName(trig->tg_relation));
	raise_error(ERRCODE_INSUFFICIENT_PRIVILEGE,
				"Results come from evaluate(year, region); evaluation_discard(year, region) removes them.",
				"%s is written only by evaluate()", RelationGetRelationName(trig->tg_relation));
}

/* evaluation_discard_rows(year, prefix) → evaluation rows removed */
Datum
evaluation_discard_rows(PG_FUNCTION_ARGS)
{
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)};
	uint64		removed;

	SPI_connect();
	removed = results_write("DELETE FROM parcel_gov.evaluation e WHERE e.year = $1 AND starts_with(e.region_code, $2)",
							2, types, values);
	results_write("DELETE FROM parcel_gov.evaluation_benchmark b WHERE b.year = $1 AND starts_with(b.region_code, $2)",
				  2, types, values);
	results_write("DELETE FROM parcel_gov.evaluation_summary s WHERE s.year = $1 AND starts_with(s.region_code, $2)",
				  2, types, values);
	SPI_finish();
	PG_RETURN_INT64((int64) removed);
}
