/*
 * spi_rows.c — streaming a query's rows into C.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "nodes/params.h"
#include "portability/instr_time.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "spi_rows.h"

typedef struct RowReceiver
{
	DestReceiver pub;
	SpiRowFn	fn;
	void	   *arg;
	int			ncolumns;		/* what fn reads */
	const char *sql;
	uint64		rows;
	MemoryContext row_cxt;		/* what fn allocates lives for one row */
}			RowReceiver;

static bool
receive_row(TupleTableSlot *slot, DestReceiver *self)
{
	RowReceiver *receiver = (RowReceiver *) self;

	MemoryContext old = MemoryContextSwitchTo(receiver->row_cxt);

	slot_getallattrs(slot);
	receiver->fn(receiver->arg, slot->tts_values, slot->tts_isnull);
	MemoryContextSwitchTo(old);
	MemoryContextReset(receiver->row_cxt);
	receiver->rows++;
	return true;
}

static void
receiver_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	RowReceiver *receiver = (RowReceiver *) self;

	if (typeinfo->natts != receiver->ncolumns)
		elog(ERROR, "parcel_gov: query returns %d columns, its reader expects %d: %s",
			 typeinfo->natts, receiver->ncolumns, receiver->sql);
}

static void
receiver_shutdown(DestReceiver *self)
{
}

static void
receiver_destroy(DestReceiver *self)
{
}

static ParamListInfo
params_of(int nparams, const Oid *types, const Datum *values, const bool *nulls)
{
	ParamListInfo params = makeParamList(nparams);

	for (int i = 0; i < nparams; i++)
	{
		params->params[i].value = values[i];
		params->params[i].isnull = nulls ? nulls[i] : false;
		params->params[i].pflags = PARAM_FLAG_CONST;
		params->params[i].ptype = types[i];
	}
	return params;
}

static int
execute(const char *sql, int nparams, const Oid *types, const Datum *values, const bool *nulls,
		DestReceiver *dest)
{
	SPIExecuteOptions options = {0};
	int			rc;

	options.params = nparams > 0 ? params_of(nparams, types, values, nulls) : NULL;
	options.dest = dest;
	rc = SPI_execute_extended(sql, &options);
	if (rc < 0)
		elog(ERROR, "parcel_gov: SPI failed (%s) on: %s", SPI_result_code_string(rc), sql);
	return rc;
}

uint64
spi_each_row(const char *sql, int ncolumns, int nparams, const Oid *types, const Datum *values,
			 const bool *nulls, SpiRowFn fn, SpiDoneFn done, void *arg)
{
	RowReceiver receiver = {
		{receive_row, receiver_startup, receiver_shutdown, receiver_destroy, DestNone},
		fn, arg, ncolumns, sql, 0,
		AllocSetContextCreate(CurrentMemoryContext, "parcel_gov row", ALLOCSET_SMALL_SIZES)
	};

	instr_time	start,
				took;

	INSTR_TIME_SET_CURRENT(start);
	execute(sql, nparams, types, values, nulls, (DestReceiver *) &receiver);
	if (done)
		done(arg);
	MemoryContextDelete(receiver.row_cxt);
	INSTR_TIME_SET_CURRENT(took);
	INSTR_TIME_SUBTRACT(took, start);
	ereport(DEBUG2, (errmsg_internal("parcel_gov: " UINT64_FORMAT " rows in %.1f ms from %.60s",
									 receiver.rows, INSTR_TIME_GET_MILLISEC(took), sql)));
	return receiver.rows;
}

char *
spi_column_list(const char *const *columns, int n)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int c = 0; c < n; c++)
	{
		/* a designated initializer that skipped a column */
		if (columns[c] == NULL)
			elog(ERROR, "parcel_gov: column %d of a column list has no name", c);
		appendStringInfo(&buf, "%s%s", c > 0 ? ", " : "", columns[c]);
	}
	return buf.data;
}

uint64
spi_each_select(const SpiSelect *query, int nparams, const Oid *types, const Datum *values,
				const bool *nulls, SpiRowFn fn, SpiDoneFn done, void *arg)
{
	const char *columns = spi_column_list(query->columns, query->ncolumns);
	const char *sql = query->rest ? psprintf("SELECT %s %s", columns, query->rest) : psprintf("SELECT %s", columns);

	return spi_each_row(sql, query->ncolumns, nparams, types, values, nulls, fn, done, arg);
}

uint64
spi_run(const char *sql, int nparams, const Oid *types, const Datum *values)
{
	instr_time	start,
				took;

	INSTR_TIME_SET_CURRENT(start);
	execute(sql, nparams, types, values, NULL, NULL);
	INSTR_TIME_SET_CURRENT(took);
	INSTR_TIME_SUBTRACT(took, start);
	ereport(DEBUG2, (errmsg_internal("parcel_gov: " UINT64_FORMAT " rows written in %.1f ms by %.60s",
									 SPI_processed, INSTR_TIME_GET_MILLISEC(took), sql)));
	return SPI_processed;
}

const char *
spi_column_or(const char *rel, const char *column, const char *expr, const char *fallback)
{
	Oid			schema = get_namespace_oid("parcel_gov", true);
	Oid			relid = OidIsValid(schema) ? get_relname_relid(rel, schema) : InvalidOid;

	return OidIsValid(relid) && get_attnum(relid, column) != InvalidAttrNumber ? expr : fallback;
}
