/*
 * evaluate_run.c — evaluate_run(year, prefix, started, tier_bounds): the
 * engine of evaluate() (eval_engine.h), called once per evaluation after its
 * checks and lock; returns (firms, graded, changed, entered,
 * multi_year_candidates, leasing_holders: notice_candidates.c).  Each firm's
 * tax tier is counted under its rule set's tiers; tier_bounds serve a firm
 * whose region has none.
 * evaluate_quarter_run(year, month, prefix, started): the same engine on the
 * year-to-date figures of a quarter, for evaluate_quarter(); it writes
 * evaluation_quarter alone (no summary, no register); returns (firms,
 * graded, changed).
 */
#include "postgres.h"

#include <sys/resource.h>

#include "access/htup_details.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/regproc.h"

#include "big_alloc.h"
#include "enum_oids.h"
#include "error.h"
#include "eval_engine.h"
#include "evaluation_guard.h"
#include "freed_memory.h"
#include "low_efficiency.h"
#include "quota.h"
#include "tax_tier.h"

PG_FUNCTION_INFO_V1(evaluate_run);
PG_FUNCTION_INFO_V1(evaluate_quarter_run);

/* the columns of evaluate_run's row */
enum
{
	RESULT_FIRMS, RESULT_GRADED, RESULT_CHANGED, RESULT_ENTERED, RESULT_MULTI_YEAR_CANDIDATES,
	RESULT_LEASING_HOLDERS, N_RESULT_COLS
};

/* the page faults of the backend so far (on a virtual machine, 10–20 µs each) */
static long
page_faults(void)
{
	struct rusage usage;

	return getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_minflt + usage.ru_majflt : 0;
}

/* where the current phase began */
typedef struct PhaseClock
{
	instr_time	at;
	long		faults;
}			PhaseClock;

static void
phase_start(PhaseClock *clock)
{
	INSTR_TIME_SET_CURRENT(clock->at);
	clock->faults = page_faults();
}

/*
 * DEBUG1 (SET client_min_messages = debug1): how long each phase took, and
 * the pages it faulted in (fresh memory, or shared buffers the backend had
 * not mapped yet).
 */
static void
phase_done(const char *phase, PhaseClock *clock)
{
	instr_time	now;

	INSTR_TIME_SET_CURRENT(now);
	INSTR_TIME_SUBTRACT(now, clock->at);
	ereport(DEBUG1, (errmsg_internal("evaluate: %s in %.1f ms, %ld page faults", phase, INSTR_TIME_GET_MILLISEC(now),
									 page_faults() - clock->faults)));
	phase_start(clock);
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

/*
 * A run's memory context and the run in it (the backend keeps what runs
 * free: freed_memory.c), its result row checked to have
 * n columns, or at least min_cols: a schema whose ALTER EXTENSION … UPDATE is
 * still to run declares the columns of its version (evaluate_run's two
 * last came with 1.13.0), and gets those.
 */
static EvalRun *
run_begin(FunctionCallInfo fcinfo, int min_cols, int n_cols, TupleDesc *desc)
{
	MemoryContext cxt;
	EvalRun    *run;

	keep_freed_memory();
	cxt = AllocSetContextCreate(CurrentMemoryContext, "parcel_gov evaluate", ALLOCSET_DEFAULT_SIZES);
	run = MemoryContextAllocZero(cxt, sizeof(EvalRun));

	if (get_call_result_type(fcinfo, NULL, desc) != TYPEFUNC_COMPOSITE ||
		(*desc)->natts < min_cols || (*desc)->natts > n_cols)
		elog(ERROR, "parcel_gov: the engine must return a row of %d columns", n_cols);
	run->cxt = cxt;
	return run;
}

static void
run_prefix(EvalRun *run, text *prefix)
{
	run->prefix = MemoryContextStrdup(run->cxt, text_to_cstring(prefix));
	run->prefix_len = strlen(run->prefix);
}

/* The phases both runs share: rules, inputs, scores and grades. */
static void
run_score(EvalRun *run, PhaseClock *clock)
{
	find_enum_labels(run);
	eval_load_rules(run);
	phase_done("rules", clock);
	eval_load_inputs(run);
	phase_done("inputs", clock);
	eval_score_pools(run);
	phase_done("scores and grades", clock);
}

static Datum
run_end(EvalRun *run, TupleDesc desc, Datum *result, bool *nulls)
{
	/* its context, and the big arrays mapped on their own (big_alloc.h) */
	ereport(DEBUG1, (errmsg_internal("evaluate: the run held %.1f MB",
									 (MemoryContextMemAllocated(run->cxt, true) + big_alloc_in_use()) / 1048576.0)));
	result[RESULT_FIRMS] = Int32GetDatum(run->firms_evaluated);
	result[RESULT_GRADED] = Int32GetDatum(run->firms_graded);
	result[RESULT_CHANGED] = Int64GetDatum(run->rows_changed);
	result[RESULT_ENTERED] = Int64GetDatum(run->register_entered);
	MemoryContextDelete(run->cxt);
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), result, nulls));
}

static void
sync_register(void *run)
{
	eval_sync_register(run);
}

Datum
evaluate_run(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	EvalRun    *run = run_begin(fcinfo, RESULT_MULTI_YEAR_CANDIDATES, N_RESULT_COLS, &desc);
	Datum		result[N_RESULT_COLS];
	bool		nulls[N_RESULT_COLS] = {false};
	PhaseClock	clock;
	const float8 *tier_bounds;
	int			n_bounds;

	run->year = PG_GETARG_INT32(0);
	run_prefix(run, PG_GETARG_TEXT_PP(1));
	tier_bounds = tax_tier_bounds(PG_GETARG_ARRAYTYPE_P(3), &n_bounds);
	if (n_bounds != 3)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE, "evaluation_summary counts four tiers: pass three bounds.",
					"evaluate_run: tier bounds must be three, got %d", n_bounds);

	phase_start(&clock);
	SPI_connect();
	run_score(run, &clock);
	eval_summarise(run, tier_bounds, n_bounds);
	eval_write(run, PG_GETARG_DATUM(2));
	eval_notice_not_graded(run);
	phase_done("evaluation rows", &clock);
	register_sync_guarded(sync_register, run);
	phase_done("register", &clock);
	/* NULL when not known: evaluate() then lets the notice find them */
	nulls[RESULT_MULTI_YEAR_CANDIDATES] = nulls[RESULT_LEASING_HOLDERS] =
		desc->natts < N_RESULT_COLS ||
		!eval_multi_year_candidates(run, &result[RESULT_MULTI_YEAR_CANDIDATES], &result[RESULT_LEASING_HOLDERS]);
	if (!nulls[RESULT_MULTI_YEAR_CANDIDATES])
	{
		/* out of SPI's memory, which SPI_finish frees */
		result[RESULT_MULTI_YEAR_CANDIDATES] = SPI_datumTransfer(result[RESULT_MULTI_YEAR_CANDIDATES], false, -1);
		result[RESULT_LEASING_HOLDERS] = SPI_datumTransfer(result[RESULT_LEASING_HOLDERS], false, -1);
	}
	phase_done("multi-year candidates", &clock);
	SPI_finish();
	PG_RETURN_DATUM(run_end(run, desc, result, nulls));
}

/* (firms, graded, changed): the same row without the register's column */
Datum
evaluate_quarter_run(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	EvalRun    *run = run_begin(fcinfo, RESULT_ENTERED, RESULT_ENTERED, &desc);
	Datum		result[N_RESULT_COLS];
	bool		nulls[N_RESULT_COLS] = {false};
	PhaseClock	clock;

	run->year = PG_GETARG_INT32(0);
	run->month = PG_GETARG_INT32(1);
	if (run->month < 3 || run->month > 12 || run->month % 3 != 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE, "A quarter is evaluated on the figures to its last month: 3, 6, 9 or 12.",
					"evaluate_quarter_run: month %d does not end a quarter", run->month);
	run_prefix(run, PG_GETARG_TEXT_PP(2));

	phase_start(&clock);
	SPI_connect();
	run_score(run, &clock);
	eval_write_quarter(run, PG_GETARG_DATUM(3));
	eval_notice_not_graded(run);
	phase_done("quarter rows", &clock);
	SPI_finish();
	PG_RETURN_DATUM(run_end(run, desc, result, nulls));
}
