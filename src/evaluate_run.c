/*
 * evaluate_run.c — evaluate_run(year, prefix, started, tier_bounds): the
 * engine of evaluate() (eval_engine.h), called once per evaluation after its
 * checks and lock; returns (firms, graded, changed, entered).  Each firm's
 * tax tier is counted under its rule set's tiers; tier_bounds serve a firm
 * whose region has none.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/regproc.h"

#include "enum_oids.h"
#include "error.h"
#include "eval_engine.h"
#include "low_efficiency.h"
#include "quota.h"
#include "tax_tier.h"

PG_FUNCTION_INFO_V1(evaluate_run);

/* the columns of evaluate_run's row */
enum
{
	RESULT_FIRMS, RESULT_GRADED, RESULT_CHANGED, RESULT_ENTERED, N_RESULT_COLS
};

/* DEBUG1 (SET client_min_messages = debug1): how long each phase took. */
static void
phase_done(const char *phase, instr_time *since)
{
	instr_time	now;

	INSTR_TIME_SET_CURRENT(now);
	INSTR_TIME_SUBTRACT(now, *since);
	ereport(DEBUG1, (errmsg_internal("evaluate: %s in %.1f ms", phase, INSTR_TIME_GET_MILLISEC(now))));
	INSTR_TIME_SET_CURRENT(*since);
}

static Oid
type_named(const char *name)
{
	return DatumGetObjectId(DirectFunctionCall1(regtypein, CStringGetDatum(name)));
}

static void
find_enum_labels(EvalRun *run)
{
	static const char *const size_classes[N_SIZE_CLASSES] = {"above", "below"};
	Oid		   *size_class = enum_label_oids(type_named("parcel_gov.size_class"), size_classes,
											 N_SIZE_CLASSES, run->cxt);

	memcpy(run->size_class_oid, size_class, sizeof(run->size_class_oid));
	run->grade_type = type_named("parcel_gov.grade");
	run->grade_oid = enum_label_oids(run->grade_type, grade_labels, N_GRADES, run->cxt);
	run->indicator_oid = enum_label_oids(type_named("parcel_gov.indicator"), indicator_names,
										 N_INDICATORS, run->cxt);
	run->kind_type = type_named("parcel_gov.low_efficiency_kind");
	run->kind_oid = enum_label_oids(run->kind_type, low_efficiency_kind_labels, N_KINDS, run->cxt);
	run->batch_type = type_named("parcel_gov.batch");
	run->batch_oid = enum_label_oids(run->batch_type, batch_labels, N_BATCHES, run->cxt);
}

Datum
evaluate_run(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "parcel_gov evaluate",
											  ALLOCSET_DEFAULT_SIZES);
	EvalRun    *run = MemoryContextAllocZero(cxt, sizeof(EvalRun));
	TupleDesc	desc;
	Datum		result[N_RESULT_COLS];
	bool		nulls[N_RESULT_COLS] = {false};
	instr_time	clock;
	const float8 *tier_bounds;
	int			n_bounds;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE || desc->natts != N_RESULT_COLS)
		elog(ERROR, "parcel_gov: evaluate_run must return a row");
	run->cxt = cxt;
	run->year = PG_GETARG_INT32(0);
	run->prefix = MemoryContextStrdup(cxt, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	run->prefix_len = strlen(run->prefix);
	tier_bounds = tax_tier_bounds(PG_GETARG_ARRAYTYPE_P(3), &n_bounds);
	if (n_bounds != 3)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE, "evaluation_summary counts four tiers: pass three bounds.",
					"evaluate_run: tier bounds must be three, got %d", n_bounds);

	INSTR_TIME_SET_CURRENT(clock);
	SPI_connect();
	find_enum_labels(run);
	eval_load_rules(run);
	phase_done("rules", &clock);
	eval_load_inputs(run);
	phase_done("inputs", &clock);
	eval_score_pools(run);
	phase_done("scores and grades", &clock);
	eval_summarise(run, tier_bounds, n_bounds);
	eval_write(run, PG_GETARG_DATUM(2));
	eval_notice_not_graded(run);
	phase_done("evaluation rows", &clock);
	eval_sync_register(run);
	phase_done("register", &clock);
	SPI_finish();

	ereport(DEBUG1, (errmsg_internal("evaluate: the run held %.1f MB", MemoryContextMemAllocated(cxt, true) / 1048576.0)));
	result[RESULT_FIRMS] = Int32GetDatum(run->firms_evaluated);
	result[RESULT_GRADED] = Int32GetDatum(run->firms_graded);
	result[RESULT_CHANGED] = Int64GetDatum(run->rows_changed);
	result[RESULT_ENTERED] = Int64GetDatum(run->register_entered);
	MemoryContextDelete(cxt);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), result, nulls)));
}
