/*
 * table_rows.c — a table's rows straight from a sequential scan (table_rows.h).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "table_rows.h"

struct TableRows
{
	Relation	rel;
	int			ncolumns;
	AttrNumber *attnum;			/* per column, InvalidAttrNumber when the table lacks it */
	AttrNumber	last;			/* the highest attnum read: the row is deformed that far */
	AttrNumber	where_attnum;	/* table_rows_where_int4's column, or InvalidAttrNumber */
	int32		where_value;
	Datum	   *values;
	bool	   *isnull;
};

TableRows *
table_rows_open(const char *relname, const char *const *columns, int ncolumns)
{
	Oid			schema = get_namespace_oid("parcel_gov", true);
	Oid			relid = OidIsValid(schema) ? get_relname_relid(relname, schema) : InvalidOid;
	AclResult	acl;
	TableRows  *t;
	TupleDesc	desc;

	if (!OidIsValid(relid))
		return NULL;
	/* policies filter the rows: only a query applies them */
	if (check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED)
		return NULL;
	t = palloc0(sizeof(TableRows));
	t->rel = table_open(relid, AccessShareLock);
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, get_relkind_objtype(t->rel->rd_rel->relkind), RelationGetRelationName(t->rel));
	desc = RelationGetDescr(t->rel);
	t->ncolumns = ncolumns;
	t->attnum = palloc(sizeof(AttrNumber) * ncolumns);
	t->values = palloc0(sizeof(Datum) * ncolumns);
	t->isnull = palloc(sizeof(bool) * ncolumns);
	for (int c = 0; c < ncolumns; c++)
	{
		t->attnum[c] = InvalidAttrNumber;
		for (int a = 0; columns[c] != NULL && a < desc->natts; a++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, a);

			if (!att->attisdropped && strcmp(NameStr(att->attname), columns[c]) == 0)
				t->attnum[c] = att->attnum;
		}
		t->last = Max(t->last, t->attnum[c]);
		t->isnull[c] = true;
	}
	return t;
}

bool
table_rows_has(const TableRows *t, int c)
{
	return t->attnum[c] != InvalidAttrNumber;
}

void
table_rows_where_int4(TableRows *t, int c, int32 value)
{
	if (t->attnum[c] == InvalidAttrNumber ||
		TupleDescAttr(RelationGetDescr(t->rel), t->attnum[c] - 1)->atttypid != INT4OID)
		elog(ERROR, "parcel_gov: %s has no int4 column to select rows by", RelationGetRelationName(t->rel));
	t->where_attnum = t->attnum[c];
	t->where_value = value;
}

/*
 * A heap page's tuples asked into the cache as the scan enters the page: a
 * scan of all-visible pages touches a tuple first when it deforms it, and
 * waited there for memory, tuple by tuple (a sixth of a province's rerun).
 * Asked for all at once, the lines arrive together.
 */
static void
prefetch_page(TableScanDesc scan, BlockNumber *current)
{
#ifdef __GNUC__
	HeapScanDesc heap = (HeapScanDesc) scan;
	Page		page;

	if (heap->rs_cblock == *current || !BufferIsValid(heap->rs_cbuf))
		return;
	*current = heap->rs_cblock;
	page = BufferGetPage(heap->rs_cbuf);
	for (Size offset = ((PageHeader) page)->pd_upper; offset < BLCKSZ; offset += 64)
		__builtin_prefetch((char *) page + offset);
#endif
}

uint64
table_rows_scan(TableRows *t, SpiRowFn fn, SpiDoneFn done, void *arg)
{
	MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "parcel_gov row", ALLOCSET_SMALL_SIZES);
	TupleTableSlot *slot = table_slot_create(t->rel, NULL);
	TableScanDesc scan;
	bool		heap = t->rel->rd_tableam == GetHeapamTableAmRoutine();
	BlockNumber current = InvalidBlockNumber;
	uint64		rows = 0;
	instr_time	start,
				took;

	INSTR_TIME_SET_CURRENT(start);
	/* a snapshot as SPI takes one for each query of a read-write caller */
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	/* no synchronised scan: the same rows in the same order as last time */
	scan = table_beginscan_strat(t->rel, GetActiveSnapshot(), 0, NULL, true, false);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (heap)
			prefetch_page(scan, &current);
		if (t->where_attnum != InvalidAttrNumber)
		{
			slot_getsomeattrs(slot, t->where_attnum);
			if (slot->tts_isnull[t->where_attnum - 1] ||
				DatumGetInt32(slot->tts_values[t->where_attnum - 1]) != t->where_value)
				continue;
		}
		slot_getsomeattrs(slot, t->last);
		for (int c = 0; c < t->ncolumns; c++)
			if (t->attnum[c] != InvalidAttrNumber)
			{
				t->values[c] = slot->tts_values[t->attnum[c] - 1];
				t->isnull[c] = slot->tts_isnull[t->attnum[c] - 1];
			}
		old = MemoryContextSwitchTo(row_cxt);
		fn(arg, t->values, t->isnull);
		MemoryContextSwitchTo(old);
		MemoryContextReset(row_cxt);
		rows++;
	}
	table_endscan(scan);
	PopActiveSnapshot();
	ExecDropSingleTupleTableSlot(slot);
	if (done)
		done(arg);
	MemoryContextDelete(row_cxt);
	INSTR_TIME_SET_CURRENT(took);
	INSTR_TIME_SUBTRACT(took, start);
	ereport(DEBUG2, (errmsg_internal("parcel_gov: " UINT64_FORMAT " rows in %.1f ms from a scan of %s",
									 rows, INSTR_TIME_GET_MILLISEC(took), RelationGetRelationName(t->rel))));
	/* the lock is kept to the end of the transaction, as a query keeps it */
	table_close(t->rel, NoLock);
	return rows;
}
