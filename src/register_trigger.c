/*
 * register_trigger.c — the low-efficiency register's state machine (design.md §5)
 * and its append-only history.
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
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "error.h"

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

/* The procedure 调查核实 → 审核认定 → 建档入库 → 整治提升 → 评估出库 (design.md §5). */
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

static RegisterState
state_of(const char *label)
{
	for (int s = 0; s < N_STATES; s++)
		if (strcmp(label, state_names[s]) == 0)
			return (RegisterState) s;
	raise_error(ERRCODE_INVALID_PARAMETER_VALUE, NULL, "unknown register state \"%s\"", label);
}

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

/* column helpers: by name, so the table may gain columns */
static int
column(Relation rel, const char *name)
{
	int			attno = SPI_fnumber(RelationGetDescr(rel), name);

	if (attno <= 0)
		raise_error(ERRCODE_UNDEFINED_COLUMN, NULL, "register has no column \"%s\"", name);
	return attno;
}

static char *
text_column(HeapTuple tuple, Relation rel, const char *name)
{
	return SPI_getvalue(tuple, RelationGetDescr(rel), column(rel, name));
}

static bool
is_null(HeapTuple tuple, Relation rel, const char *name)
{
	bool		isnull;

	SPI_getbinval(tuple, RelationGetDescr(rel), column(rel, name), &isnull);
	return isnull;
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on register.
 */
Datum
register_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	Relation	rel;
	HeapTuple	newtup;
	char	   *code;
	RegisterState to;
	RegisterState from = CANDIDATE;
	bool		inserting;
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	int			attnums[6];
	Datum		values[6];
	bool		nulls[6] = {false};
	int			nset = 0;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trig->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trig->tg_event))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL,
					"register_guard must be a BEFORE ROW trigger");
	rel = trig->tg_relation;
	inserting = TRIGGER_FIRED_BY_INSERT(trig->tg_event);
	newtup = inserting ? trig->tg_trigtuple : trig->tg_newtuple;
	code = text_column(newtup, rel, "parcel_code");
	to = state_of(text_column(newtup, rel, "state"));

	if (inserting)
	{
		if (to != CANDIDATE)
			raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						"A parcel enters the register as a candidate (调查核实) and moves on by transition().",
						"parcel %s cannot enter the register as %s", code, state_names[to]);
	}
	else
	{
		char	   *oldcode = text_column(trig->tg_trigtuple, rel, "parcel_code");
		char	   *reason = text_column(newtup, rel, "reason");
		char	   *oldreason = text_column(trig->tg_trigtuple, rel, "reason");

		if (strcmp(code, oldcode) != 0)
			raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						"A register row belongs to its parcel for good.",
						"the register row of parcel %s cannot be moved to parcel %s", oldcode, code);
		from = state_of(text_column(trig->tg_trigtuple, rel, "state"));
		if (from == to)
			return PointerGetDatum(newtup);		/* plan, batch or kinds only */
		if (!allowed[from][to])
			raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						psprintf("From %s a parcel may go to: %s.", state_names[from], allowed_targets(from)),
						"parcel %s cannot go from %s to %s", code, state_names[from], state_names[to]);
		if (reason == NULL || (oldreason != NULL && strcmp(reason, oldreason) == 0))
			raise_error(ERRCODE_NOT_NULL_VIOLATION,
						"Give the reason of this step: transition(parcel, state, reason, evidence), or SET reason in the UPDATE.",
						"parcel %s: moving from %s to %s needs a reason of its own", code,
						state_names[from], state_names[to]);
	}

	if (to == REGISTERED && is_null(newtup, rel, "batch"))
		raise_error(ERRCODE_NOT_NULL_VIOLATION,
					"Assign one of the four batches (四个一批) when the parcel is registered (建档入库).",
					"parcel %s cannot be registered without a batch", code);
	if (to == EXITED)
	{
		char	   *exit_reason = text_column(newtup, rel, "exit_reason");
		char	   *clears = text_column(newtup, rel, "clears_thresholds");

		if (exit_reason == NULL)
			raise_error(ERRCODE_NOT_NULL_VIOLATION,
						"Say why it leaves: re_evaluated, accepted, recovered, idle_disposed …",
						"parcel %s cannot exit the register without an exit_reason", code);
		if (strcmp(exit_reason, "re_evaluated") == 0 && clears == NULL)
			raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						"evaluate() records, for parcels being assessed, whether the holder's latest evaluation clears the entry thresholds; evaluate the year first.",
						"parcel %s cannot exit as re_evaluated: its holder has no evaluation since it is being assessed", code);
		if (strcmp(exit_reason, "re_evaluated") == 0 && strcmp(clears, "t") != 0)
			raise_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						"Keep treating it (back to in_treatment), or exit it for another reason such as accepted.",
						"parcel %s cannot exit as re_evaluated: its latest evaluation does not clear the thresholds", code);
	}

	/* when the state began, and the register's own entry and exit */
	attnums[nset] = column(rel, "state_since");
	values[nset++] = now;
	if (to == REGISTERED)
	{
		attnums[nset] = column(rel, "entered_at");
		values[nset++] = now;
	}
	if (to == EXITED)
	{
		attnums[nset] = column(rel, "exited_at");
		values[nset++] = now;
	}
	if (to == CANDIDATE && !inserting)
	{
		/* identified again: a new pass through the register */
		static const char *const cleared[] = {"entered_at", "exited_at", "exit_reason", "clears_thresholds"};

		for (int i = 0; i < (int) lengthof(cleared); i++)
		{
			attnums[nset] = column(rel, cleared[i]);
			values[nset] = (Datum) 0;
			nulls[nset++] = true;
		}
	}
	return PointerGetDatum(heap_modify_tuple_by_cols(newtup, RelationGetDescr(rel), nset, attnums, values, nulls));
}

/*
 * AFTER INSERT OR UPDATE FOR EACH STATEMENT on register, with transition
 * tables new_rows (and old_rows for UPDATE): one event per changed row.
 */
Datum
register_record(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	const char *sql;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trig->tg_event) ||
		TRIGGER_FIRED_FOR_ROW(trig->tg_event))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL,
					"register_record must be an AFTER STATEMENT trigger");
	if (TRIGGER_FIRED_BY_INSERT(trig->tg_event))
		sql = "INSERT INTO parcel_gov.register_event "
			"(parcel_code, from_state, to_state, kinds, batch, reason, evidence) "
			"SELECT n.parcel_code, NULL, n.state, n.kinds, n.batch, n.reason, n.evidence "
			"FROM new_rows n";
	else
		sql = "INSERT INTO parcel_gov.register_event "
			"(parcel_code, from_state, to_state, kinds, batch, reason, evidence) "
			"SELECT n.parcel_code, o.state, n.state, n.kinds, n.batch, n.reason, n.evidence "
			"FROM new_rows n JOIN old_rows o ON o.parcel_code = n.parcel_code "
			"WHERE (n.state, n.kinds, n.batch, n.plan, n.deadline, n.exit_reason, n.clears_thresholds, n.reason, n.evidence) "
			"IS DISTINCT FROM (o.state, o.kinds, o.batch, o.plan, o.deadline, o.exit_reason, o.clears_thresholds, o.reason, o.evidence)";

	SPI_connect();
	SPI_register_trigger_data(trig);
	recording = true;
	PG_TRY();
	{
		SPI_execute(sql, false, 0);
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
 * BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE on register_event, and
 * BEFORE DELETE OR TRUNCATE on register: history is append-only, and only
 * the register's own trigger appends.
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
		if (recording)
			return PointerGetDatum(trig->tg_trigtuple);
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
