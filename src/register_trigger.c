/*
 * register_trigger.c — the low-efficiency register's state machine (the
 * county procedure below) and its append-only history.
 *
 *   register_guard   BEFORE INSERT OR UPDATE, per row: legal transitions only,
 *                    required fields, timestamps of the state.
 *   register_record  AFTER INSERT OR UPDATE, per statement: one register_event
 *                    per changed row, written in one INSERT from the transition
 *                    tables (set-based, so a bulk move stays cheap).
 *   history_guard    BEFORE on register_event (and DELETE/TRUNCATE on register):
 *                    history is never rewritten, and only register_record adds to it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "nodes/bitmapset.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "bulk_insert.h"
#include "error.h"
#include "restore_mode.h"

PG_FUNCTION_INFO_V1(register_guard);
PG_FUNCTION_INFO_V1(register_record);
PG_FUNCTION_INFO_V1(history_guard);

/* States in the order of the enum register_state. */
typedef enum RegisterState
{
	CANDIDATE, CONFIRMED, REGISTERED, IN_TREATMENT, ASSESSING, EXITED, REJECTED, N_STATES
}			RegisterState;

static const char *const state_names[N_STATES] = {
	"candidate", "confirmed", "registered", "in_treatment", "assessing", "exited", "rejected"
};

/* The county procedure: 调查核实 → 审核认定 → 建档入库 → 整治提升 → 评估出库; exited or
 * rejected parcels identified again start over as candidates. */
static const bool allowed[N_STATES][N_STATES] = {
	/* candidate */ [CANDIDATE] = {[CONFIRMED] = true, [REJECTED] = true},
	/* confirmed */ [CONFIRMED] = {[REGISTERED] = true, [REJECTED] = true},
	/* registered */ [REGISTERED] = {[IN_TREATMENT] = true},
	/* in_treatment */ [IN_TREATMENT] = {[ASSESSING] = true},
	/* assessing */ [ASSESSING] = {[EXITED] = true, [IN_TREATMENT] = true},
	/* exited */ [EXITED] = {[CANDIDATE] = true},
	/* rejected */ [REJECTED] = {[CANDIDATE] = true},
};

/* true while register_record writes history: the only writer register_event accepts */
static bool recording = false;

static char *
allowed_targets(RegisterState from)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int s = 0; s < N_STATES; s++)
		if (allowed[from][s])
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", state_names[s]);
	return buf.len ? buf.data : pstrdup("none");
}

/*
 * What the guard needs of the register's row type, found once per query:
 * the columns it reads or sets (by name, so the table may gain columns) and
 * the OIDs of the states.
 */
typedef enum Col
{
	C_PARCEL_CODE, C_STATE, C_PREVIOUS_STATE, C_REASON, C_BATCH, C_EXIT_REASON, C_CLEARS,
	C_STATE_SINCE, C_ENTERED_AT, C_EXITED_AT, C_STEP, C_EVIDENCE, N_COLS
}			Col;

static const char *const col_names[N_COLS] = {
	"parcel_code", "state", "previous_state", "reason", "batch", "exit_reason", "clears_thresholds",
	"state_since", "entered_at", "exited_at", "step", "evidence"
};

typedef struct RegisterShape
{
	Oid			relid;
	int			attnum[N_COLS];
	Oid			state_oid[N_STATES];
}			RegisterShape;

static RegisterShape *
register_shape(FunctionCallInfo fcinfo, Relation rel)
{
	RegisterShape *shape = (RegisterShape *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);

	if (shape != NULL && shape->relid == RelationGetRelid(rel))
		return shape;
	shape = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(RegisterShape));
	shape->relid = RelationGetRelid(rel);
	for (int c = 0; c < N_COLS; c++)
	{
		shape->attnum[c] = SPI_fnumber(desc, col_names[c]);
		/* step arrived in 1.6.0: a register not yet updated has none */
		if (shape->attnum[c] <= 0 && c == C_STEP)
			shape->attnum[c] = 0;
		else if (shape->attnum[c] <= 0)
			raise_error(ERRCODE_UNDEFINED_COLUMN, NULL, "register has no column \"%s\"", col_names[c]);
	}
	for (int st = 0; st < N_STATES; st++)
		shape->state_oid[st] = DatumGetObjectId(DirectFunctionCall2(enum_in, CStringGetDatum(state_names[st]),
											   ObjectIdGetDatum(TupleDescAttr(desc, shape->attnum[C_STATE] - 1)->atttypid)));
	fcinfo->flinfo->fn_extra = shape;
	return shape;
}

static Datum
get(HeapTuple tuple, Relation rel, RegisterShape *shape, Col c, bool *isnull)
{
	return heap_getattr(tuple, shape->attnum[c], RelationGetDescr(rel), isnull);
}

static RegisterState
state_in(HeapTuple tuple, Relation rel, RegisterShape *shape)
{
	bool		isnull;
	Oid			oid = DatumGetObjectId(get(tuple, rel, shape, C_STATE, &isnull));

	for (int st = 0; st < N_STATES; st++)
		if (!isnull && shape->state_oid[st] == oid)
			return (RegisterState) st;
	raise_error(ERRCODE_NOT_NULL_VIOLATION, NULL, "a register row needs a state");
}

/* a text column as a C string, or NULL */
static char *
text_of(HeapTuple tuple, Relation rel, RegisterShape *shape, Col c)
{
	bool		isnull;
	Datum		d = get(tuple, rel, shape, c, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* whether a column holds the same value (same bytes) in both versions of a row */
static bool
same_value(HeapTuple oldtup, HeapTuple newtup, Relation rel, int attnum)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
	bool		oldnull,
				newnull;
	Datum		oldval = heap_getattr(oldtup, attnum, desc, &oldnull);
	Datum		newval = heap_getattr(newtup, attnum, desc, &newnull);

	return oldnull == newnull &&
		(oldnull || datumIsEqual(oldval, newval, att->attbyval, att->attlen));
}

/*
 * Whether an update changes any column but the timestamps the guard keeps.
 * An update that changes nothing is skipped, so it records no event.
 */
static bool
changes_anything(HeapTuple oldtup, HeapTuple newtup, Relation rel, RegisterShape *shape)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int attnum = 1; attnum <= desc->natts; attnum++)
	{
		if (TupleDescAttr(desc, attnum - 1)->attisdropped || attnum == shape->attnum[C_STATE_SINCE] ||
			attnum == shape->attnum[C_ENTERED_AT] || attnum == shape->attnum[C_EXITED_AT] ||
			attnum == shape->attnum[C_PREVIOUS_STATE])
			continue;
		if (!same_value(oldtup, newtup, rel, attnum))
			return true;
	}
	return false;
}

/* The row a register_guard call checks; its parcel's code is read only where a message needs it. */
typedef struct GuardedRow
{
	Relation	rel;
	RegisterShape *shape;
	HeapTuple	oldtup;			/* NULL on INSERT */
	HeapTuple	newtup;
	const Bitmapset *updatedcols;	/* the UPDATE's SET list (tg_updatedcols) */
	char	   *code;
}			GuardedRow;

/* The statement set the column itself, whatever value it gave. */
static bool
given(GuardedRow *row, Col c)
{
	return bms_is_member(row->shape->attnum[c] - FirstLowInvalidHeapAttributeNumber, row->updatedcols);
}

static const char *
parcel_code(GuardedRow *row)
{
	if (row->code == NULL)
		row->code = text_of(row->newtup, row->rel, row->shape, C_PARCEL_CODE);
	return row->code;
}

/* What a new pass through the register (identified again) starts without. */
static const Col cleared_on_reentry[] = {C_ENTERED_AT, C_EXITED_AT, C_EXIT_REASON, C_CLEARS};

/* The columns the guard sets on the new row: previous_state, state_since and at most four more. */
typedef struct Stamps
{
	int			n;
	int			attnum[5 + lengthof(cleared_on_reentry)];
	Datum		value[5 + lengthof(cleared_on_reentry)];
	bool		isnull[5 + lengthof(cleared_on_reentry)];
}			Stamps;

static void
stamp(Stamps *st, int attnum, Datum value, bool isnull)
{
	Assert(st->n < (int) lengthof(st->attnum));
	st->attnum[st->n] = attnum;
	st->value[st->n] = value;
	st->isnull[st->n++] = isnull;
}

static Datum
stamped(GuardedRow *row, Stamps *st)
{
	return PointerGetDatum(heap_modify_tuple_by_cols(row->newtup, RelationGetDescr(row->rel), st->n,
													 st->attnum, st->value, st->isnull));
}

/* A parcel enters the register as a candidate, and only so. */
static void
check_entry(GuardedRow *row, RegisterState to)
{
	if (to != CANDIDATE)
		raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
					"A parcel enters the register as a candidate (调查核实) and moves on by transition().",
					"parcel %s cannot enter the register as %s", parcel_code(row), state_names[to]);
}

static void
check_same_parcel(GuardedRow *row)
{
	if (!same_value(row->oldtup, row->newtup, row->rel, row->shape->attnum[C_PARCEL_CODE]))
		raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
					"A register row belongs to its parcel for good.",
					"the register row of parcel %s cannot be moved to parcel %s",
					text_of(row->oldtup, row->rel, row->shape, C_PARCEL_CODE), parcel_code(row));
}

/* A change of state: a legal step, with a reason of its own (given, not the one the previous change left). */
static void
check_step(GuardedRow *row, RegisterState from, RegisterState to)
{
	if (!allowed[from][to])
		raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
					psprintf("From %s a parcel may go to: %s.", state_names[from], allowed_targets(from)),
					"parcel %s cannot go from %s to %s", parcel_code(row), state_names[from], state_names[to]);
	/* a reason SET in the statement is the step's, even the same words as before */
	if (heap_attisnull(row->newtup, row->shape->attnum[C_REASON], RelationGetDescr(row->rel)) ||
		(!given(row, C_REASON) && same_value(row->oldtup, row->newtup, row->rel, row->shape->attnum[C_REASON])))
		raise_error(ERRCODE_NOT_NULL_VIOLATION,
					"Give the reason of this step: transition(parcel, state, reason, evidence), or SET reason in the UPDATE.",
					"parcel %s: moving from %s to %s needs a reason of its own", parcel_code(row),
					state_names[from], state_names[to]);
}

/*
 * 项目化验收: a parcel leaves as accepted only when the issues its rule set
 * says block that (rule_issue.blocks_exit) are struck off (issue.closed);
 * blocking_issues() names the open ones.  A schema from before 1.10.0 has
 * no issue lists.
 */
static void
check_issues_closed(GuardedRow *row)
{
	Oid			schema = get_namespace_oid("parcel_gov", false);
	Oid			types[1] = {TEXTOID};
	Datum		code[1];
	char	   *open = NULL;

	if (!OidIsValid(get_relname_relid("issue", schema)))
		return;
	code[0] = CStringGetTextDatum(parcel_code(row));
	SPI_connect();
	if (SPI_execute_with_args("SELECT parcel_gov.blocking_issues($1)", 1, types, code, NULL, true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		char	   *found = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (found != NULL)
			open = MemoryContextStrdup(TopTransactionContext, found);
	}
	SPI_finish();
	if (open != NULL)
		raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
					psprintf("Close them first (销号: issue.closed with its evidence): %s", open),
					"parcel %s cannot exit as accepted while issues of the departments its rules name are open",
					parcel_code(row));
}

/* What the new state requires of the row: a batch when registered, an exit reason (that holds) on exit. */
static void
check_state_fields(GuardedRow *row, RegisterState to)
{
	bool		isnull;

	if (to == REGISTERED)
	{
		get(row->newtup, row->rel, row->shape, C_BATCH, &isnull);
		if (isnull)
			raise_error(ERRCODE_NOT_NULL_VIOLATION,
						"Assign one of the four batches (四个一批) when the parcel is registered (建档入库).",
						"parcel %s cannot be registered without a batch", parcel_code(row));
	}
	if (to == EXITED)
	{
		char	   *exit_reason = text_of(row->newtup, row->rel, row->shape, C_EXIT_REASON);
		Datum		clears = get(row->newtup, row->rel, row->shape, C_CLEARS, &isnull);

		if (exit_reason == NULL)
			raise_error(ERRCODE_NOT_NULL_VIOLATION,
						"Say why it leaves: re_evaluated, accepted, recovered, idle_disposed …",
						"parcel %s cannot exit the register without an exit_reason", parcel_code(row));
		if (strcmp(exit_reason, "re_evaluated") == 0 && isnull)
			raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						"evaluate() records, for parcels being assessed, whether the holder's latest evaluation clears the entry thresholds; evaluate the year first.",
						"parcel %s cannot exit as re_evaluated: its holder has no evaluation since it is being assessed", parcel_code(row));
		if (strcmp(exit_reason, "re_evaluated") == 0 && !DatumGetBool(clears))
			raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						"Keep treating it (back to in_treatment), or exit it for another reason such as accepted.",
						"parcel %s cannot exit as re_evaluated: its latest evaluation does not clear the thresholds", parcel_code(row));
		if (strcmp(exit_reason, "accepted") == 0)
			check_issues_closed(row);
	}
}

/*
 * The row's step: 1 when it enters, one more at every change.  Every change
 * writes one event, which copies the step: the parcel's history is ordered
 * exactly, by construction, under the lock of the row (event ids are taken
 * from each backend's cache and order nothing).
 */
static void
stamp_step(Stamps *st, GuardedRow *row)
{
	int32		step = 1;

	if (row->shape->attnum[C_STEP] == 0)
		return;
	if (row->oldtup != NULL)
	{
		bool		isnull;
		Datum		old = get(row->oldtup, row->rel, row->shape, C_STEP, &isnull);

		step = (isnull ? 0 : DatumGetInt32(old)) + 1;
	}
	stamp(st, row->shape->attnum[C_STEP], Int32GetDatum(step), false);
}

/*
 * The row as written: where this change came from (what the event records),
 * when the state began, and the register's own entry and exit.
 */
static Datum
stamp_state(GuardedRow *row, RegisterState from, RegisterState to)
{
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	bool		inserting = row->oldtup == NULL;
	Stamps		st = {0};

	stamp_step(&st, row);
	stamp(&st, row->shape->attnum[C_PREVIOUS_STATE], ObjectIdGetDatum(row->shape->state_oid[from]), inserting);
	/* a step's evidence is what its statement gave, never the step before's */
	if (!inserting && !given(row, C_EVIDENCE))
		stamp(&st, row->shape->attnum[C_EVIDENCE], (Datum) 0, true);
	stamp(&st, row->shape->attnum[C_STATE_SINCE], now, false);
	if (to == REGISTERED)
		stamp(&st, row->shape->attnum[C_ENTERED_AT], now, false);
	if (to == EXITED)
		stamp(&st, row->shape->attnum[C_EXITED_AT], now, false);
	if (to == CANDIDATE && !inserting)
		for (int i = 0; i < (int) lengthof(cleared_on_reentry); i++)
			stamp(&st, row->shape->attnum[cleared_on_reentry[i]], (Datum) 0, true);
	return stamped(row, &st);
}

/*
 * What a change that keeps the state changed, as its event's reason: the
 * columns whose value differs ("batch, plan"), the state unchanged.
 */
static Datum
what_changed(GuardedRow *row)
{
	TupleDesc	desc = RelationGetDescr(row->rel);
	StringInfoData what;

	initStringInfo(&what);
	for (int attnum = 1; attnum <= desc->natts; attnum++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);

		if (!att->attisdropped && attnum != row->shape->attnum[C_REASON] &&
			attnum != row->shape->attnum[C_EVIDENCE] && attnum != row->shape->attnum[C_STEP] &&
			!same_value(row->oldtup, row->newtup, row->rel, attnum))
			appendStringInfo(&what, "%s%s", what.len ? ", " : "", NameStr(att->attname));
	}
	return CStringGetTextDatum(psprintf("变更 changed: %s (state unchanged)", what.len ? what.data : "evidence"));
}

/*
 * Plan, batch or kinds only: the state and its timestamps stay,
 * previous_state says so.  Its event says what changed: its own reason
 * when the statement gave none, and no evidence it did not give (never the
 * previous step's, which would read as that step again).
 */
static Datum
keep_state(GuardedRow *row, RegisterState state)
{
	Stamps		st = {0};

	stamp_step(&st, row);
	stamp(&st, row->shape->attnum[C_PREVIOUS_STATE], ObjectIdGetDatum(row->shape->state_oid[state]), false);
	if (!given(row, C_REASON))
		stamp(&st, row->shape->attnum[C_REASON], what_changed(row), false);
	if (!given(row, C_EVIDENCE))
		stamp(&st, row->shape->attnum[C_EVIDENCE], (Datum) 0, true);
	return stamped(row, &st);
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on register.
 */
Datum
register_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	GuardedRow	row = {0};
	RegisterState from = CANDIDATE;
	RegisterState to;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trig->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trig->tg_event))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL,
					"register_guard must be a BEFORE ROW trigger");
	row.rel = trig->tg_relation;
	row.oldtup = TRIGGER_FIRED_BY_INSERT(trig->tg_event) ? NULL : trig->tg_trigtuple;
	row.newtup = row.oldtup ? trig->tg_newtuple : trig->tg_trigtuple;
	row.updatedcols = trig->tg_updatedcols;
	if (restoring())
		return PointerGetDatum(row.newtup);		/* a restored row comes back as it was */
	row.shape = register_shape(fcinfo, row.rel);
	to = state_in(row.newtup, row.rel, row.shape);

	if (row.oldtup == NULL)
		check_entry(&row, to);
	else
	{
		check_same_parcel(&row);
		if (!changes_anything(row.oldtup, row.newtup, row.rel, row.shape))
			return PointerGetDatum(NULL);	/* nothing to write, nothing to record */
		from = state_in(row.oldtup, row.rel, row.shape);
		if (from == to)
		{
			/* what the state requires holds after any change of the row */
			check_state_fields(&row, to);
			return keep_state(&row, from);
		}
		check_step(&row, from, to);
	}
	check_state_fields(&row, to);
	return stamp_state(&row, from, to);
}

/* true for parcel_gov.register itself */
static bool
is_register(Relation rel)
{
	Oid			schema = get_namespace_oid("parcel_gov", false);

	return RelationGetRelid(rel) == get_relname_relid("register", schema);
}

/*
 * AFTER INSERT OR UPDATE FOR EACH STATEMENT on register, with the transition
 * table new_rows: one event per changed row (the guard skips updates that
 * change nothing, and keeps previous_state for the event's from_state), in
 * one INSERT whose plan is made once per backend and kept.  Every name in it
 * is schema-qualified, so neither the plan nor its meaning depends on the
 * caller's search_path (and the function needs no SET clause).
 */
static SPIPlanPtr record_plan[2][2][2];	/* [stepped][routed][update] */

/* The event insert for a register with or without step (before 1.6.0) and
 * route (before 1.10.0), for an INSERT or an UPDATE. */
static char *
record_sql(int stepped, int routed, int which)
{
	return psprintf("INSERT INTO parcel_gov.register_event "
					"(parcel_code, %sfrom_state, to_state, kinds, batch, %sreason, evidence) "
					"SELECT n.parcel_code, %s%s, n.state, n.kinds, n.batch, %sn.reason, n.evidence FROM new_rows n",
					stepped ? "step, " : "", routed ? "route, " : "",
					stepped ? "n.step, " : "", which ? "n.previous_state" : "NULL", routed ? "n.route, " : "");
}

/*
 * The events as COPY would write them (bulk_insert.c), straight from the
 * transition table: an evaluation that moves every register row to its
 * year writes as many events.  Each event column comes from the register
 * row's column of the same place; from_state is NULL on entry.  Returns
 * false, having written nothing, when register_event needs the INSERT
 * (a row trigger someone added, row security).
 */
static const char *const event_columns[] = {
	"parcel_code", "step", "from_state", "to_state", "kinds", "batch", "route", "reason", "evidence"
};
static const char *const row_columns[lengthof(event_columns)] = {
	"parcel_code", "step", "previous_state", "state", "kinds", "batch", "route", "reason", "evidence"
};

static bool
record_in_bulk(TriggerData *trig, bool update)
{
	Oid			relid = get_relname_relid("register_event", get_namespace_oid("parcel_gov", false));
	TupleDesc	desc = RelationGetDescr(trig->tg_relation);
	Tuplestorestate *rows = trig->tg_newtable;
	Relation	events;
	int			attnum[lengthof(event_columns)];
	bool		absent[lengthof(event_columns)];
	Datum		value[lengthof(event_columns)];
	bool		isnull[lengthof(event_columns)];

	if (!OidIsValid(relid) || rows == NULL)
		return false;
	events = table_open(relid, RowExclusiveLock);
	if (!bulk_insert_possible(events))
	{
		table_close(events, NoLock);
		return false;
	}
	for (int c = 0; c < (int) lengthof(event_columns); c++)
	{
		attnum[c] = SPI_fnumber(desc, row_columns[c]);
		/* step (1.6.0) and route (1.10.0): not in a register not yet updated */
		absent[c] = attnum[c] <= 0;
		if (c == 2 && !update)
			attnum[c] = 0;		/* an entry comes from no state */
	}
	recording = true;
	PG_TRY();
	{
		BulkInsert *bulk = bulk_insert_begin(events, event_columns, lengthof(event_columns), absent);
		TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
		int			reader = tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND);

		/* a reader of its own, as a scan of the transition table has */
		tuplestore_select_read_pointer(rows, reader);
		tuplestore_rescan(rows);
		while (tuplestore_gettupleslot(rows, true, false, slot))
		{
			slot_getallattrs(slot);
			for (int c = 0; c < (int) lengthof(event_columns); c++)
			{
				isnull[c] = attnum[c] <= 0 || slot->tts_isnull[attnum[c] - 1];
				value[c] = isnull[c] ? (Datum) 0 : slot->tts_values[attnum[c] - 1];
			}
			bulk_insert_put(bulk, value, isnull);
		}
		tuplestore_select_read_pointer(rows, 0);
		ExecDropSingleTupleTableSlot(slot);
		bulk_insert_end(bulk);
	}
	PG_FINALLY();
	{
		recording = false;
	}
	PG_END_TRY();
	table_close(events, NoLock);
	return true;
}

Datum
register_record(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	int			which;
	int			stepped;
	int			routed;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trig->tg_event) ||
		TRIGGER_FIRED_FOR_ROW(trig->tg_event))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL,
					"register_record must be an AFTER STATEMENT trigger");

	/*
	 * It runs as the extension's owner and writes history from the rows it
	 * is given: only parcel_gov.register's rows, never those of a table
	 * someone attached it to.
	 */
	if (!is_register(trig->tg_relation))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL,
					"register_record records parcel_gov.register only, not %s",
					RelationGetRelationName(trig->tg_relation));
	which = TRIGGER_FIRED_BY_INSERT(trig->tg_event) ? 0 : 1;
	stepped = SPI_fnumber(RelationGetDescr(trig->tg_relation), "step") > 0 ? 1 : 0;
	routed = SPI_fnumber(RelationGetDescr(trig->tg_relation), "route") > 0 ? 1 : 0;
	if (restoring())
		return PointerGetDatum(NULL);	/* its history is restored with it */
	if (record_in_bulk(trig, which == 1))
		return PointerGetDatum(NULL);

	SPI_connect();
	SPI_register_trigger_data(trig);
	if (record_plan[stepped][routed][which] == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(record_sql(stepped, routed, which), 0, NULL);

		if (plan == NULL)
			elog(ERROR, "register_record: could not plan the event insert");
		SPI_keepplan(plan);
		record_plan[stepped][routed][which] = plan;
	}
	recording = true;
	PG_TRY();
	{
		SPI_execute_plan(record_plan[stepped][routed][which], NULL, NULL, false, 0);
	}
	PG_FINALLY();
	{
		recording = false;
	}
	PG_END_TRY();
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT on
 * register_event, and BEFORE DELETE OR TRUNCATE on register: history is
 * append-only, and only the register's own trigger appends.
 */
Datum
history_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	const char *table;

	if (!CALLED_AS_TRIGGER(fcinfo))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL, "history_guard must be a trigger");
	table = RelationGetRelationName(trig->tg_relation);
	if (TRIGGER_FIRED_BY_INSERT(trig->tg_event))
	{
		/* a statement trigger: checked once per INSERT, not once per event */
		if (recording || restoring())
			return PointerGetDatum(NULL);
		raise_error(ERRCODE_INSUFFICIENT_PRIVILEGE,
					"Events are written by the register itself: change the register row (transition()) instead.",
					"register_event is written only by the register's trigger");
	}
	raise_error(ERRCODE_INSUFFICIENT_PRIVILEGE,
				strcmp(table, "register") == 0
				? "Register rows are never deleted: they end exited (出库) or rejected (认定不通过)."
				: "The register's history is append-only.",
				"%s %s is not allowed",
				TRIGGER_FIRED_BY_TRUNCATE(trig->tg_event) ? "TRUNCATE of" :
				TRIGGER_FIRED_BY_DELETE(trig->tg_event) ? "DELETE from" : "UPDATE of",
				table);
}
