/*
 * visible_prefixes.c — the region code prefixes a role may see and change,
 * remembered while nothing that could change them can have happened.
 *
 * Every row-level security policy reads visible_prefixes(), and the county
 * triggers (county_writes_own) read visible_prefixes_of() once a row: as
 * PL/pgSQL with a query each, they were most of a county clerk's import
 * (two calls, ~0.15 ms, for each of 30,000 parcels).  The answer is kept
 * for the same role, reader (current_user: role_region's own policy picks
 * what it reads) and snapshot: the same transaction and command, and the
 * same transactions in progress (xmin, xmax and the xids in between still
 * running).  A grant or a membership changed by this transaction moves its
 * command id; one committed by another leaves the running set or moves
 * xmax: either way the grants are read again.  (An active snapshot is a
 * copy, whose snapXactCompletionCount PostgreSQL sets to 0: no help here.)
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(visible_prefixes_of);
PG_FUNCTION_INFO_V1(visible_prefixes);

/* the query the PL/pgSQL version ran, fully qualified (no SET clause) */
static const char *prefixes_sql =
	"SELECT CASE WHEN pg_catalog.pg_has_role($1, 'parcel_gov_admin', 'MEMBER') "
	"            THEN ARRAY['']::pg_catalog.text[] "
	"            ELSE coalesce((SELECT pg_catalog.array_agg(g.region_prefix) "
	"                           FROM parcel_gov.role_region g "
	"                           JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) g.grantee "
	"                           WHERE pg_catalog.pg_has_role($1, r.oid, 'MEMBER')), "
	"                          '{}'::pg_catalog.text[]) END";

/* a snapshot with more running xids than this is not kept: read each time */
#define KEPT_XIDS 64

typedef struct PrefixCache
{
	bool		valid;
	LocalTransactionId lxid;
	CommandId	curcid;
	TransactionId xmin;
	TransactionId xmax;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	TransactionId xip[KEPT_XIDS];
	TransactionId subxip[KEPT_XIDS];
	Oid			who;
	Oid			reader;
	ArrayType  *prefixes;		/* in TopMemoryContext */
} PrefixCache;

static PrefixCache cache;
static SPIPlanPtr prefixes_plan;

/*
 * whether snap can be kept at all, and whether it sees what the kept one saw.
 * An active snapshot is a copy: its xip (subxip) is NULL when it has no
 * running xids (subxids), and subxip is not copied when the subxids
 * overflowed (they are then found through pg_subtrans, and the top-level
 * xids in xip decide).  A standby's snapshot keeps its xids in subxip: not kept.
 */
static bool
snapshot_keepable(Snapshot snap)
{
	return snap != NULL && !snap->takenDuringRecovery && snap->xcnt <= KEPT_XIDS &&
		(snap->suboverflowed || (snap->subxcnt >= 0 && snap->subxcnt <= KEPT_XIDS));
}

static bool
snapshot_same(Snapshot snap)
{
	return cache.lxid == MyProc->lxid && cache.curcid == snap->curcid &&
		cache.xmin == snap->xmin && cache.xmax == snap->xmax &&
		cache.xcnt == snap->xcnt && cache.suboverflowed == snap->suboverflowed &&
		(snap->xcnt == 0 || memcmp(cache.xip, snap->xip, sizeof(TransactionId) * snap->xcnt) == 0) &&
		(snap->suboverflowed ||
		 (cache.subxcnt == snap->subxcnt &&
		  (snap->subxcnt == 0 || memcmp(cache.subxip, snap->subxip, sizeof(TransactionId) * snap->subxcnt) == 0)));
}

static ArrayType *
prefixes_of(Oid who)
{
	Snapshot	snap = ActiveSnapshotSet() ? GetActiveSnapshot() : NULL;
	Oid			reader = GetUserId();
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(who)};
	bool		isnull;
	Datum		d;
	struct varlena *v;
	ArrayType  *fresh;

	if (cache.valid && snapshot_keepable(snap) && cache.who == who && cache.reader == reader &&
		snapshot_same(snap))
		return (ArrayType *) PG_DETOAST_DATUM_COPY(PointerGetDatum(cache.prefixes));

	cache.valid = false;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "visible_prefixes_of: SPI_connect failed");
	if (prefixes_plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(prefixes_sql, 1, argtypes);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "visible_prefixes_of: the grants' query could not be prepared");
		prefixes_plan = plan;
	}
	if (SPI_execute_plan(prefixes_plan, args, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "visible_prefixes_of: the region grants could not be read");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "visible_prefixes_of: no prefixes");
	v = PG_DETOAST_DATUM(d);
	/* one copy kept, one for the caller (SPI's memory goes at finish) */
	if (cache.prefixes != NULL)
		pfree(cache.prefixes);
	cache.prefixes = (ArrayType *) MemoryContextAlloc(TopMemoryContext, VARSIZE_ANY(v));
	memcpy(cache.prefixes, v, VARSIZE_ANY(v));
	SPI_finish();
	fresh = (ArrayType *) PG_DETOAST_DATUM_COPY(PointerGetDatum(cache.prefixes));

	if (snapshot_keepable(snap))
	{
		cache.lxid = MyProc->lxid;
		cache.curcid = snap->curcid;
		cache.xmin = snap->xmin;
		cache.xmax = snap->xmax;
		cache.xcnt = snap->xcnt;
		cache.suboverflowed = snap->suboverflowed;
		cache.subxcnt = snap->suboverflowed ? 0 : snap->subxcnt;
		if (snap->xcnt > 0)
			memcpy(cache.xip, snap->xip, sizeof(TransactionId) * snap->xcnt);
		if (cache.subxcnt > 0)
			memcpy(cache.subxip, snap->subxip, sizeof(TransactionId) * cache.subxcnt);
		cache.who = who;
		cache.reader = reader;
		cache.valid = true;
	}
	return fresh;
}

/* visible_prefixes_of(regrole): '' for parcel_gov_admin, else the prefixes granted to its roles */
Datum
visible_prefixes_of(PG_FUNCTION_ARGS)
{
	/* NULL: no role, no region (as pg_has_role(NULL, …) read nothing) */
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TEXTOID));
	PG_RETURN_ARRAYTYPE_P(prefixes_of(PG_GETARG_OID(0)));
}

/* visible_prefixes(): the current user's, what the row-level security policies read */
Datum
visible_prefixes(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(prefixes_of(GetUserId()));
}
