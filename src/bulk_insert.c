/*
 * bulk_insert.c — rows into a table as COPY FROM puts them (bulk_insert.h).
 * An INSERT … SELECT writes one heap tuple, and one WAL record, at a time;
 * table_multi_insert fills a page per call.  The rest follows the
 * executor: the range table entry checks the privilege, the result
 * relation opens the indexes and fires the statement triggers, each row
 * is checked (ExecConstraints) and indexed (ExecInsertIndexTuples, which
 * raises unique violations as an INSERT does), and statement triggers
 * with a NEW TABLE get the rows in it, as COPY gives them (the change marks
 * on evaluation read theirs).  Logical decoding sees heap_multi_insert's
 * records as single inserts.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lmgr.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "bulk_insert.h"

/* as COPY FROM buffers: at most this many rows or bytes before a flush */
#define BATCH_ROWS 1000
#define BATCH_BYTES 65535

struct BulkInsert
{
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	BulkInsertState bistate;
	TransitionCaptureState *transition; /* NEW TABLE of statement triggers, or NULL */
	CommandId	cid;
	int			natts;
	int			n;				/* columns given */
	int		   *attnum;			/* per column given: its attnum, 0 when left out */
	ExprState **defaults;		/* per attribute not given: its default, or NULL */
	MemoryContext batch_cxt;	/* the buffered rows' values */
	TupleTableSlot *slots[BATCH_ROWS];
	int			used;
	Size		bytes;
	uint64		rows;
};

/*
 * Whether a trigger fires in this session: by its ENABLE mode against
 * session_replication_role, as the executor decides.  A row trigger that
 * fires only for changes applied as a replica (ENABLE REPLICA: the checks
 * of a province's subscriptions, install/95_province.sql) does not fire
 * for the engine's writes, so it does not keep them off this path.
 */
static bool
fires_in_this_session(const Trigger *t)
{
	if (t->tgenabled == TRIGGER_DISABLED)
		return false;
	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
		return t->tgenabled == TRIGGER_FIRES_ON_REPLICA || t->tgenabled == TRIGGER_FIRES_ALWAYS;
	return t->tgenabled == TRIGGER_FIRES_ON_ORIGIN || t->tgenabled == TRIGGER_FIRES_ALWAYS;
}

bool
bulk_insert_possible(Relation rel)
{
	TriggerDesc *trig = rel->trigdesc;
	TupleConstr *constr = RelationGetDescr(rel)->constr;

	if (rel->rd_rel->relkind != RELKIND_RELATION)
		return false;
	for (int i = 0; trig && i < trig->numtriggers; i++)
		if (TRIGGER_FOR_ROW(trig->triggers[i].tgtype) && TRIGGER_FOR_INSERT(trig->triggers[i].tgtype) &&
			fires_in_this_session(&trig->triggers[i]))
			return false;
	if (constr && constr->has_generated_stored)
		return false;
	return check_enable_rls(RelationGetRelid(rel), InvalidOid, true) != RLS_ENABLED;
}

/* The range table entry of an INSERT of the given columns, privileges checked. */
static RangeTblEntry *
insert_rte(BulkInsert *b)
{
	RangeTblEntry *rte = makeNode(RangeTblEntry);

	rte->rtekind = RTE_RELATION;
	rte->relid = RelationGetRelid(b->rel);
	rte->relkind = b->rel->rd_rel->relkind;
	rte->rellockmode = RowExclusiveLock;
	rte->requiredPerms = ACL_INSERT;
	for (int c = 0; c < b->n; c++)
		if (b->attnum[c] > 0)
			rte->insertedCols = bms_add_member(rte->insertedCols,
											   b->attnum[c] - FirstLowInvalidHeapAttributeNumber);
	ExecCheckRTPerms(list_make1(rte), true);
	return rte;
}

/* The defaults of the attributes no column gives (the identity: nextval). */
static void
prepare_defaults(BulkInsert *b)
{
	TupleDesc	desc = RelationGetDescr(b->rel);
	bool	   *given = palloc0(sizeof(bool) * b->natts);

	for (int c = 0; c < b->n; c++)
		if (b->attnum[c] > 0)
			given[b->attnum[c] - 1] = true;
	b->defaults = palloc0(sizeof(ExprState *) * b->natts);
	for (int a = 0; a < b->natts; a++)
	{
		Node	   *expr;

		if (given[a] || TupleDescAttr(desc, a)->attisdropped)
			continue;
		expr = build_column_default(b->rel, a + 1);
		if (expr != NULL)
			b->defaults[a] = ExecPrepareExpr(expression_planner((Expr *) expr), b->estate);
	}
}

BulkInsert *
bulk_insert_begin(Relation rel, const char *const *names, int n, const bool *absent)
{
	BulkInsert *b = palloc0(sizeof(BulkInsert));

	LockRelationOid(RelationGetRelid(rel), RowExclusiveLock);
	b->rel = rel;
	b->natts = RelationGetDescr(rel)->natts;
	b->n = n;
	b->attnum = palloc(sizeof(int) * n);
	for (int c = 0; c < n; c++)
	{
		b->attnum[c] = SPI_fnumber(RelationGetDescr(rel), names[c]);
		if (b->attnum[c] <= 0 && absent != NULL && absent[c])
			b->attnum[c] = 0;	/* not written */
		else if (b->attnum[c] <= 0)
			elog(ERROR, "parcel_gov: %s has no column \"%s\"", RelationGetRelationName(rel), names[c]);
	}

	b->estate = CreateExecutorState();
	b->estate->es_snapshot = GetActiveSnapshot();
	ExecInitRangeTable(b->estate, list_make1(insert_rte(b)));
	b->rri = makeNode(ResultRelInfo);
	ExecInitResultRelation(b->estate, b->rri, 1);
	CheckValidResultRel(b->rri, CMD_INSERT);
	ExecOpenIndices(b->rri, false);
	b->cid = GetCurrentCommandId(true);
	b->estate->es_output_cid = b->cid;
	prepare_defaults(b);
	b->bistate = GetBulkInsertState();
	b->batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "parcel_gov bulk insert", ALLOCSET_DEFAULT_SIZES);
	for (int i = 0; i < BATCH_ROWS; i++)
		b->slots[i] = table_slot_create(rel, &b->estate->es_tupleTable);

	AfterTriggerBeginQuery();
	b->transition = MakeTransitionCaptureState(rel->trigdesc, RelationGetRelid(rel), CMD_INSERT);
	ExecBSInsertTriggers(b->estate, b->rri);
	return b;
}

/* The buffered rows: a page of heap tuples at a time, then their index entries. */
static void
flush(BulkInsert *b)
{
	if (b->used == 0)
		return;
	table_multi_insert(b->rel, b->slots, b->used, b->cid, 0, b->bistate);
	for (int i = 0; i < b->used; i++)
	{
		if (b->rri->ri_NumIndices > 0)
			list_free(ExecInsertIndexTuples(b->rri, b->slots[i], b->estate, false, false, NULL, NIL));
		/* no row trigger fires here (bulk_insert_possible): this only fills the NEW TABLE */
		if (b->transition)
			ExecARInsertTriggers(b->estate, b->rri, b->slots[i], NIL, b->transition);
		ExecClearTuple(b->slots[i]);
		ResetPerTupleExprContext(b->estate);
	}
	b->rows += b->used;
	b->used = 0;
	b->bytes = 0;
	MemoryContextReset(b->batch_cxt);
}

void
bulk_insert_put(BulkInsert *b, const Datum *value, const bool *isnull)
{
	TupleTableSlot *slot = b->slots[b->used];
	TupleDesc	desc = RelationGetDescr(b->rel);
	ExprContext *econtext = GetPerTupleExprContext(b->estate);
	MemoryContext old = MemoryContextSwitchTo(b->batch_cxt);

	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * b->natts);
	for (int c = 0; c < b->n; c++)
	{
		int			a = b->attnum[c] - 1;
		Form_pg_attribute att;

		if (a < 0 || isnull[c])
			continue;
		att = TupleDescAttr(desc, a);
		slot->tts_values[a] = datumCopy(value[c], att->attbyval, att->attlen);
		slot->tts_isnull[a] = false;
		if (!att->attbyval)
			b->bytes += datumGetSize(slot->tts_values[a], false, att->attlen);
	}
	for (int a = 0; a < b->natts; a++)
		if (b->defaults[a] != NULL)
		{
			Form_pg_attribute att = TupleDescAttr(desc, a);
			Datum		d = ExecEvalExpr(b->defaults[a], econtext, &slot->tts_isnull[a]);

			slot->tts_values[a] = slot->tts_isnull[a] ? (Datum) 0 : datumCopy(d, att->attbyval, att->attlen);
		}
	MemoryContextSwitchTo(old);
	ExecStoreVirtualTuple(slot);
	if (desc->constr)
		ExecConstraints(b->rri, slot, b->estate);
	ResetPerTupleExprContext(b->estate);
	b->bytes += sizeof(Datum) * b->natts;
	if (++b->used == BATCH_ROWS || b->bytes >= BATCH_BYTES)
		flush(b);
}

uint64
bulk_insert_end(BulkInsert *b)
{
	uint64		rows;

	flush(b);
	ExecASInsertTriggers(b->estate, b->rri, b->transition);
	AfterTriggerEndQuery(b->estate);
	ExecResetTupleTable(b->estate->es_tupleTable, false);
	FreeBulkInsertState(b->bistate);
	table_finish_bulk_insert(b->rel, 0);
	ExecCloseResultRelations(b->estate);
	ExecCloseRangeTableRelations(b->estate);
	FreeExecutorState(b->estate);
	MemoryContextDelete(b->batch_cxt);
	rows = b->rows;
	pfree(b);
	/* the statements after see the rows */
	CommandCounterIncrement();
	return rows;
}
