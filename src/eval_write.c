/*
 * eval_write.c — the year's evaluation results of the region, rewritten by
 * difference.  A region whose stored summary has the run's row count and
 * digest (eval_summary.c) would get its rows back unchanged: they are not
 * even read.  The other regions' stored rows are read once and compared in
 * C; rows that did not change are left alone (same id, same evaluated_at, no
 * new tuple), the others go to three set-based statements through ephemeral
 * named relations (as a trigger's transition tables do): inserts, updates,
 * deletes.  New rows go in code order, which keeps the primary key's inserts
 * on its right edge.  Benchmarks and summaries follow only where they differ.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "big_alloc.h"
#include "bulk_insert.h"
#include "dd_state.h"
#include "eval_engine.h"
#include "eval_delta.h"
#include "evaluation_guard.h"
#include "spi_rows.h"

/* The columns of parcel_gov.evaluation the engine writes, and how to compare them. */
typedef enum ColumnKind
{
	INT_COL, TEXT_COL, FLOAT_COL, ENUM_COL, TIME_COL
}			ColumnKind;

static const struct
{
	const char *name;
	ColumnKind	kind;
}			columns[] =
{
	{"year", INT_COL}, {"uscc", TEXT_COL}, {"region_code", TEXT_COL}, {"rule_set_id", TEXT_COL},
	{"pool", ENUM_COL}, {"industry_group", TEXT_COL}, {"held_mu", FLOAT_COL},
	{"leased_out_mu", FLOAT_COL}, {"leased_in_mu", FLOAT_COL}, {"area_mu", FLOAT_COL},
	{"tax", FLOAT_COL}, {"value_added", FLOAT_COL}, {"revenue", FLOAT_COL},
	{"tax_per_mu", FLOAT_COL}, {"va_per_mu", FLOAT_COL}, {"revenue_per_mu", FLOAT_COL},
	{"labour_productivity", FLOAT_COL}, {"va_per_energy", FLOAT_COL}, {"va_per_emission", FLOAT_COL},
	{"rd_intensity", FLOAT_COL}, {"tax_per_kwh", FLOAT_COL},
	{"revenue_per_kwh", FLOAT_COL}, {"va_per_water", FLOAT_COL}, {"va_per_cod", FLOAT_COL},
	{"rd_intensity_main", FLOAT_COL},
	{"score_tax_per_mu", FLOAT_COL}, {"score_va_per_mu", FLOAT_COL}, {"score_revenue_per_mu", FLOAT_COL},
	{"score_labour_productivity", FLOAT_COL}, {"score_va_per_energy", FLOAT_COL},
	{"score_va_per_emission", FLOAT_COL}, {"score_rd_intensity", FLOAT_COL}, {"score_tax_per_kwh", FLOAT_COL},
	{"score_revenue_per_kwh", FLOAT_COL}, {"score_va_per_water", FLOAT_COL}, {"score_va_per_cod", FLOAT_COL},
	{"score_rd_intensity_main", FLOAT_COL},
	{"bonus", FLOAT_COL}, {"deduction", FLOAT_COL}, {"rental_deduction", FLOAT_COL},
	{"score", FLOAT_COL}, {"rank", INT_COL}, {"pool_size", INT_COL},
	{"grade_initial", ENUM_COL}, {"grade", ENUM_COL}, {"not_graded", TEXT_COL},
	{"veto_reason", TEXT_COL}, {"evaluated_at", TIME_COL},
};

enum
{
	C_YEAR, C_USCC, C_REGION_CODE, C_RULE_SET_ID, C_POOL, C_INDUSTRY_GROUP, C_HELD_MU,
	C_LEASED_OUT_MU, C_LEASED_IN_MU, C_AREA_MU, C_TAX, C_VALUE_ADDED, C_REVENUE,
	C_INDICATOR,				/* N_INDICATORS indicators */
	C_INDICATOR_SCORE = C_INDICATOR + N_INDICATORS,	/* N_INDICATORS scores */
	C_BONUS = C_INDICATOR_SCORE + N_INDICATORS, C_DEDUCTION, C_RENTAL_DEDUCTION,
	C_SCORE, C_RANK, C_POOL_SIZE, C_GRADE_INITIAL, C_GRADE, C_NOT_GRADED, C_VETO_REASON,
	C_EVALUATED_AT, N_COLUMNS
};

StaticAssertDecl(lengthof(columns) == N_COLUMNS, "one name per column");

/* Columns the table lacks: a schema not yet updated to the library's version
 * (1.11.0's indicators).  Written nowhere, read as NULL, compared as NULL. */
static bool column_absent[N_COLUMNS];

static void
find_absent_columns(void)
{
	Oid			relid = get_relname_relid("evaluation", get_namespace_oid("parcel_gov", false));

	for (int c = 0; c < N_COLUMNS; c++)
		column_absent[c] = get_attnum(relid, columns[c].name) == InvalidAttrNumber;
}

typedef struct Row
{
	Datum		value[N_COLUMNS];
	bool		isnull[N_COLUMNS];
}			Row;

static void
set(Row *row, int c, Datum value)
{
	row->value[c] = value;
	row->isnull[c] = false;
}

static void
set_text(Row *row, int c, const char *s)
{
	row->isnull[c] = s == NULL;
	row->value[c] = s ? CStringGetTextDatum(s) : (Datum) 0;
}

/* A firm's evaluation row (allocated in the current context). */
static void
firm_row(EvalRun *run, EvalFirm *firm, Datum started, Row *row)
{
	int32		rsi = firm->rule_set;

	memset(row->isnull, true, sizeof(row->isnull));
	set(row, C_YEAR, Int32GetDatum(run->year));
	set(row, C_USCC, code_key_text(&firm->uscc));
	set_text(row, C_REGION_CODE, eval_region_text(run, firm->region));
	set_text(row, C_RULE_SET_ID, rsi >= 0 ? run->rule_sets[rsi].id : NULL);
	set(row, C_POOL, ObjectIdGetDatum(run->size_class_oid[firm->pool_class]));
	if (firm->group != NO_GROUP)
		set_text(row, C_INDUSTRY_GROUP, firm->group == OTHER_GROUP ? OTHER_GROUP_NAME
				 : run->rule_sets[rsi].groups[firm->group].name);
	set(row, C_HELD_MU, Float8GetDatum(firm->held[0] + firm->held[1]));
	set(row, C_LEASED_OUT_MU, Float8GetDatum(firm->leased_out[0] + firm->leased_out[1]));
	set(row, C_LEASED_IN_MU, Float8GetDatum(firm->leased_in[0] + firm->leased_in[1]));
	set(row, C_AREA_MU, Float8GetDatum(firm->area));
	for (int k = TAX; k <= REVENUE; k++)
		if (firm->fig.present & (1 << k))
			set(row, C_TAX + k, Float8GetDatum(firm->fig.figure[k]));
	for (int k = 0; k < N_INDICATORS; k++)
	{
		float8		value;

		if (eval_firm_indicator(firm, k, &value))
			set(row, C_INDICATOR + k, Float8GetDatum(value));
		if (firm->score_present & (1 << k))
			set(row, C_INDICATOR_SCORE + k, Float8GetDatum(firm->indicator_score[k]));
	}
	set(row, C_BONUS, Float8GetDatum(firm->fig.bonus));
	set(row, C_DEDUCTION, Float8GetDatum(firm->fig.deduction));
	set(row, C_RENTAL_DEDUCTION, Float8GetDatum(firm->rental_deduction));
	if (firm->pool >= 0)
	{
		set(row, C_SCORE, Float8GetDatum(firm->score));
		set(row, C_RANK, Int32GetDatum(firm->rank));
		set(row, C_POOL_SIZE, Int32GetDatum(firm->pool_size));
		set(row, C_GRADE_INITIAL, ObjectIdGetDatum(run->grade_oid[firm->grade_initial]));
		set(row, C_GRADE, ObjectIdGetDatum(run->grade_oid[firm->grade]));
	}
	set_text(row, C_NOT_GRADED, firm->not_graded);
	set_text(row, C_VETO_REASON, firm->fig.veto_reason);
	set(row, C_EVALUATED_AT, started);
	for (int c = 0; c < N_COLUMNS; c++)
		row->isnull[c] |= column_absent[c];
}

/* IS NOT DISTINCT FROM, column by column, evaluated_at aside */
static bool
same_row(const Row *a, Datum *stored, bool *stored_null)
{
	for (int c = 0; c < N_COLUMNS; c++)
	{
		if (columns[c].kind == TIME_COL)
			continue;
		if (a->isnull[c] != stored_null[c])
			return false;
		if (a->isnull[c])
			continue;
		switch (columns[c].kind)
		{
			case FLOAT_COL:
				{
					float8		x = DatumGetFloat8(a->value[c]);
					float8		y = DatumGetFloat8(stored[c]);

					if (!(x == y || (isnan(x) && isnan(y))))
						return false;
					break;
				}
			case TEXT_COL:
				{
					text	   *x = DatumGetTextPP(a->value[c]);
					text	   *y = DatumGetTextPP(stored[c]);

					if (VARSIZE_ANY_EXHDR(x) != VARSIZE_ANY_EXHDR(y) ||
						memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) != 0)
						return false;
					break;
				}
			default:			/* int4 and enum OIDs */
				if (a->value[c] != stored[c])
					return false;
		}
	}
	return true;
}

typedef struct Diff
{
	EvalRun    *run;
	Datum		started;
	MemoryContext row_cxt;
	int32	   *stored_firms;	/* per region: rows its stored summary counts, -1 none */
	uint64	   *stored_digest;	/* per region: two halves */
	bool	   *region_changed;	/* per region: rows, summary or both to write */
	int32		n_changed_regions;
	int32		n_stale_codes;
	int32		max_stale_codes;
	CodeKey    *stale_codes;	/* stored summaries of regions no longer in the region table */
	int32		n_left_codes;
	int32		max_left_codes;
	CodeKey    *left_codes;		/* regions beyond the prefix that a firm moved out of */
	bool	   *stored;			/* per firm: has a stored row of the year */
	int32		n_changed;
	int32	   *changed;		/* firms whose stored row differs */
	int32		n_removed;
	int32		max_removed;
	CodeKey    *removed;		/* stored rows of the region with no firm evaluated */
}			Diff;

static void
compare_stored(void *arg, Datum *v, bool *isnull)
{
	Diff	   *diff = arg;
	EvalRun    *run = diff->run;
	CodeKey		uscc = code_key_of(v[C_USCC], "USCC");
	int32		i = code_map_get(run->firm_by_uscc, &uscc);

	if (i >= 0 && run->firms[i].evaluated)
	{
		Row			row;

		firm_row(run, &run->firms[i], diff->started, &row);
		diff->stored[i] = true;
		if (!same_row(&row, v, isnull))
			diff->changed[diff->n_changed++] = i;
		if (strncmp(TextDatumGetCString(v[C_REGION_CODE]), run->prefix, run->prefix_len) != 0)
		{
			/* its old region, beyond the run, loses a row: its summary is redone from its rows */
			diff->left_codes = eval_grow(run, diff->left_codes, diff->n_left_codes, &diff->max_left_codes,
										 sizeof(CodeKey));
			diff->left_codes[diff->n_left_codes++] = code_key_of(v[C_REGION_CODE], "region code");
		}
	}
	else if (strncmp(TextDatumGetCString(v[C_REGION_CODE]), run->prefix, run->prefix_len) == 0)
	{
		/* a firm of the region no longer evaluated: its row goes */
		diff->removed = eval_grow(run, diff->removed, diff->n_removed, &diff->max_removed, sizeof(CodeKey));
		diff->removed[diff->n_removed++] = uscc;
	}
}

/* The columns to read (an absent one as NULL, so each keeps its place) or to write (absent ones left out). */
static char *
column_list(const char *qualifier, bool keys, bool reading)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int c = 0; c < N_COLUMNS; c++)
		if ((keys || (c != C_YEAR && c != C_USCC)) && (reading || !column_absent[c]))
			appendStringInfo(&buf, "%s%s%s", buf.len ? ", " : "", column_absent[c] ? "" : qualifier,
							 column_absent[c] ? "NULL" : columns[c].name);
	return buf.data;
}

/* evaluation_summary: the stored summaries of the year ($1) under the prefix ($2) */
enum
{
	STORED_COL_REGION_CODE, STORED_COL_FIRMS, STORED_COL_ROWS_DIGEST, N_STORED_COLS
};

static const char *const stored_summary_cols[] = {
	[STORED_COL_REGION_CODE] = "s.region_code",
	[STORED_COL_FIRMS] = "s.firms",
	[STORED_COL_ROWS_DIGEST] = "s.rows_digest",
};

SPI_SELECT(stored_summary_query, stored_summary_cols, N_STORED_COLS,
		   "FROM parcel_gov.evaluation_summary s WHERE s.year = $1 AND starts_with(s.region_code, $2)");

static void
read_summary(void *arg, Datum *v, bool *isnull)
{
	Diff	   *diff = arg;
	CodeKey		code = code_key_of(v[STORED_COL_REGION_CODE], "region code");
	int32		r = code_map_get(diff->run->regions, &code);
	bytea	   *digest = DatumGetByteaPP(v[STORED_COL_ROWS_DIGEST]);

	if (r < 0)
	{
		diff->stale_codes = eval_grow(diff->run, diff->stale_codes, diff->n_stale_codes, &diff->max_stale_codes,
									  sizeof(CodeKey));
		diff->stale_codes[diff->n_stale_codes++] = code;
		return;
	}
	diff->stored_firms[r] = DatumGetInt32(v[STORED_COL_FIRMS]);
	if (VARSIZE_ANY_EXHDR(digest) == 2 * sizeof(uint64))
		memcpy(&diff->stored_digest[2 * r], VARDATA_ANY(digest), 2 * sizeof(uint64));
}

/* Which regions would their rows, as computed, change: digest or count differs. */
static void
find_changed_regions(Diff *diff)
{
	EvalRun    *run = diff->run;
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};

	memset(diff->stored_firms, -1, sizeof(int32) * Max(run->n_regions, 1));
	spi_each_select(&stored_summary_query, 2, types, values, NULL, read_summary, NULL, diff);
	for (int32 r = 0; r < run->n_regions; r++)
	{
		RegionSummary *s = &run->summaries[r];

		if (s->firms == 0 && diff->stored_firms[r] < 0)
			continue;
		diff->region_changed[r] = s->firms != diff->stored_firms[r] ||
			memcmp(s->digest, &diff->stored_digest[2 * r], 2 * sizeof(uint64)) != 0;
		diff->n_changed_regions += diff->region_changed[r];
	}
}

static Datum
region_codes(EvalRun *run, const bool *which)
{
	Datum	   *codes = palloc(sizeof(Datum) * Max(run->n_regions, 1));
	int			n = 0;

	for (int32 r = 0; r < run->n_regions; r++)
		if (which[r])
			codes[n++] = code_key_text(&run->region_code[r]);
	return PointerGetDatum(construct_array(codes, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * The stored rows to compare: those of the changed regions, and, for a
 * region below the whole country, rows its firms have elsewhere (a firm
 * that moved in).  Firms of unchanged regions keep their rows.
 */
static void
read_stored(Diff *diff)
{
	EvalRun    *run = diff->run;
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2] = {Int32GetDatum(run->year), region_codes(run, diff->region_changed)};
	bool		fresh = false;

	if (diff->n_changed_regions > 0)
		spi_each_row(psprintf("SELECT %s FROM parcel_gov.evaluation e WHERE e.year = $1 AND e.region_code = ANY ($2)",
							  column_list("e.", true, true)),
					 N_COLUMNS, 2, types, values, NULL, compare_stored, NULL, diff);
	for (int32 i = 0; i < run->n_firms; i++)
	{
		EvalFirm   *firm = &run->firms[i];

		if (!firm->evaluated)
			continue;
		if (!diff->region_changed[firm->region])
			diff->stored[i] = true;
		fresh |= !diff->stored[i];
	}
	if (fresh && !eval_whole_province(run))
	{
		types[1] = TEXTOID;
		values[1] = CStringGetTextDatum(run->prefix);
		spi_each_row(psprintf("SELECT %s FROM parcel_gov.evaluation e WHERE e.year = $1 "
							  "AND NOT starts_with(e.region_code, $2) AND e.uscc IN "
							  "(SELECT f.uscc FROM parcel_gov.enterprise f WHERE starts_with(f.region_code, $2))",
							  column_list("e.", true, true)),
					 N_COLUMNS, 2, types, values, NULL, compare_stored, NULL, diff);
	}
}

static int
by_uscc(const void *a, const void *b, void *arg)
{
	const EvalFirm *firms = arg;

	return code_key_cmp(&firms[*(const int32 *) a].uscc, &firms[*(const int32 *) b].uscc);
}

/* The new rows of the year, in code order: which keeps the primary key's inserts on its right edge. */
typedef struct Fresh
{
	Diff	   *diff;
	Relation	rel;
	int32	   *firms;
	int32		n;
}			Fresh;

static Fresh
fresh_rows(Diff *diff, Relation rel)
{
	EvalRun    *run = diff->run;
	Fresh		f = {diff, rel, palloc(sizeof(int32) * Max(run->firms_evaluated, 1)), 0};

	for (int32 i = 0; i < run->n_firms; i++)
		if (run->firms[i].evaluated && !diff->stored[i])
			f.firms[f.n++] = i;
	qsort_arg(f.firms, f.n, sizeof(int32), by_uscc, run->firms);
	return f;
}

static const char *column_names[N_COLUMNS];

/*
 * The new rows straight into the table, a page per WAL record
 * (bulk_insert.c), with no tuplestore in between: a first run of a year
 * writes every firm's row.
 */
static uint64
insert_fresh(void *arg)
{
	Fresh	   *f = arg;
	Diff	   *diff = f->diff;
	BulkInsert *bulk = bulk_insert_begin(f->rel, column_names, N_COLUMNS, column_absent);
	Row			row;

	for (int32 j = 0; j < f->n; j++)
	{
		MemoryContext old = MemoryContextSwitchTo(diff->row_cxt);

		firm_row(diff->run, &diff->run->firms[f->firms[j]], diff->started, &row);
		bulk_insert_put(bulk, row.value, row.isnull);
		MemoryContextSwitchTo(old);
		MemoryContextReset(diff->row_cxt);
	}
	return bulk_insert_end(bulk);
}

static void
write_rows(Diff *diff)
{
	EvalRun    *run = diff->run;
	Relation	rel = eval_open_table("evaluation");
	Fresh		fresh = fresh_rows(diff, rel);
	bool		bulk = fresh.n > 0 && bulk_insert_possible(rel);
	Delta		inserted,
				updated,
				deleted;
	Oid			types[1] = {INT4OID};
	Datum		year[1] = {Int32GetDatum(run->year)};
	Row			row;
	char	   *assignments;

	for (int c = 0; c < N_COLUMNS; c++)
		column_names[c] = columns[c].name;
	delta_begin(&inserted, "parcel_gov_inserted", rel, column_names, N_COLUMNS, column_absent);
	delta_begin(&updated, "parcel_gov_updated", rel, column_names, N_COLUMNS, column_absent);
	delta_begin(&deleted, "parcel_gov_deleted", rel, column_names, N_COLUMNS, column_absent);

	for (int32 j = bulk ? fresh.n : 0; j < fresh.n + diff->n_changed; j++)
	{
		MemoryContext old = MemoryContextSwitchTo(diff->row_cxt);

		firm_row(run, &run->firms[j < fresh.n ? fresh.firms[j] : diff->changed[j - fresh.n]], diff->started, &row);
		delta_put(j < fresh.n ? &inserted : &updated, row.value, row.isnull, N_COLUMNS);
		MemoryContextSwitchTo(old);
		MemoryContextReset(diff->row_cxt);
	}
	memset(row.isnull, true, sizeof(row.isnull));
	for (int32 j = 0; j < diff->n_removed; j++)
	{
		set(&row, C_YEAR, Int32GetDatum(run->year));
		set(&row, C_USCC, code_key_text(&diff->removed[j]));
		delta_put(&deleted, row.value, row.isnull, N_COLUMNS);
	}

	delta_register(&inserted);
	delta_register(&updated);
	delta_register(&deleted);
	if (bulk)
		run->rows_changed += results_write_by(insert_fresh, &fresh);
	else if (inserted.rows > 0)
		run->rows_changed += results_write(psprintf("INSERT INTO parcel_gov.evaluation (%s) SELECT %s FROM parcel_gov_inserted",
													column_list("", true, false), column_list("", true, false)), 0, NULL, NULL);
	if (updated.rows > 0)
	{
		StringInfoData buf;

		initStringInfo(&buf);
		for (int c = 0; c < N_COLUMNS; c++)
			if (c != C_YEAR && c != C_USCC && !column_absent[c])
				appendStringInfo(&buf, "%s%s = u.%s", buf.len ? ", " : "", columns[c].name, columns[c].name);
		assignments = buf.data;
		run->rows_changed += results_write(psprintf("UPDATE parcel_gov.evaluation e SET %s FROM parcel_gov_updated u "
													"WHERE e.year = $1 AND e.uscc = u.uscc", assignments),
										   1, types, year);
	}
	if (deleted.rows > 0)
		run->rows_changed += results_write("DELETE FROM parcel_gov.evaluation e USING parcel_gov_deleted d "
										   "WHERE e.year = $1 AND e.uscc = d.uscc", 1, types, year);
	delta_end(&inserted);
	delta_end(&updated);
	delta_end(&deleted);
	table_close(rel, AccessShareLock);
}

/* parcel_gov.evaluation_benchmark: what each pool was scored against */
enum
{
	BENCH_COL_YEAR, BENCH_COL_REGION_CODE, BENCH_COL_POOL, BENCH_COL_INDICATOR, BENCH_COL_RULE_SET_ID,
	BENCH_COL_BENCHMARK, BENCH_COL_POOL_VALUE, BENCH_COL_LO, BENCH_COL_HI,	/* the figures */
	BENCH_COL_FIRMS, N_BENCHMARK_COLUMNS
};

static const char *const benchmark_columns[] = {
	[BENCH_COL_YEAR] = "year",
	[BENCH_COL_REGION_CODE] = "region_code",
	[BENCH_COL_POOL] = "pool",
	[BENCH_COL_INDICATOR] = "indicator",
	[BENCH_COL_RULE_SET_ID] = "rule_set_id",
	[BENCH_COL_BENCHMARK] = "benchmark",
	[BENCH_COL_POOL_VALUE] = "pool_value",
	[BENCH_COL_LO] = "lo",
	[BENCH_COL_HI] = "hi",
	[BENCH_COL_FIRMS] = "firms",
};

/* the stored benchmarks of the year ($1) under the prefix ($2), in the order the run writes them */
SPI_SELECT(stored_benchmark_query, benchmark_columns, N_BENCHMARK_COLUMNS,
		   "FROM parcel_gov.evaluation_benchmark b WHERE b.year = $1 AND starts_with(b.region_code, $2) "
		   "ORDER BY b.region_code COLLATE \"C\", b.pool, b.rule_set_id COLLATE \"C\", b.indicator");

typedef struct BenchmarkRow
{
	Datum		value[N_BENCHMARK_COLUMNS];
	bool		isnull[N_BENCHMARK_COLUMNS];
}			BenchmarkRow;

static void
benchmark_row(EvalRun *run, EvalPool *pool, int j, BenchmarkRow *row)
{
	memset(row->isnull, false, sizeof(row->isnull));
	row->value[BENCH_COL_YEAR] = Int32GetDatum(run->year);
	row->value[BENCH_COL_REGION_CODE] = CStringGetTextDatum(eval_region_text(run, pool->region));
	row->value[BENCH_COL_POOL] = ObjectIdGetDatum(run->size_class_oid[pool->size_class]);
	row->value[BENCH_COL_INDICATOR] = ObjectIdGetDatum(run->indicator_oid[pool->rule->indicator[j].indicator]);
	row->value[BENCH_COL_RULE_SET_ID] = CStringGetTextDatum(pool->rule_set->id);
	row->value[BENCH_COL_BENCHMARK] = Float8GetDatum(pool->benchmark[j]);
	row->isnull[BENCH_COL_BENCHMARK] = !pool->has_benchmark[j];
	row->value[BENCH_COL_POOL_VALUE] = Float8GetDatum(pool->pool_value[j]);
	row->isnull[BENCH_COL_POOL_VALUE] = !pool->has_pool_value[j];
	row->value[BENCH_COL_LO] = Float8GetDatum(pool->lo[j]);
	row->value[BENCH_COL_HI] = Float8GetDatum(pool->hi[j]);
	row->isnull[BENCH_COL_LO] = row->isnull[BENCH_COL_HI] = !pool->has_range[j];
	row->value[BENCH_COL_FIRMS] = Int32GetDatum(pool->graded);
}

/* The stored benchmarks, as text, to compare with the run's. */
typedef struct StoredBenchmarks
{
	int64		rows;
	StringInfoData text;
}			StoredBenchmarks;

static void
benchmark_text(StringInfo buf, const Datum *value, const bool *isnull)
{
	for (int c = 0; c < N_BENCHMARK_COLUMNS; c++)
		if (isnull[c])
			appendStringInfoString(buf, "|null");
		else if (c == BENCH_COL_REGION_CODE || c == BENCH_COL_RULE_SET_ID)
			appendStringInfo(buf, "|%s", TextDatumGetCString(value[c]));
		else if (c >= BENCH_COL_BENCHMARK && c <= BENCH_COL_HI)
		{
			float8		x = DatumGetFloat8(value[c]);
			uint64		bits;

			memcpy(&bits, &x, sizeof(bits));	/* every bit: equal text, equal figure */
			appendStringInfo(buf, "|" UINT64_FORMAT, bits);
		}
		else
			appendStringInfo(buf, "|%u", DatumGetUInt32(value[c]));
	appendStringInfoChar(buf, '\n');
}

static void
read_benchmark(void *arg, Datum *v, bool *isnull)
{
	StoredBenchmarks *stored = arg;

	stored->rows++;
	benchmark_text(&stored->text, v, isnull);
}

/* pools in the order of their region codes (as under COLLATE "C"), size classes and rule sets */
static int
by_region_and_size_class(const void *a, const void *b, void *arg)
{
	const EvalRun *run = arg;
	const EvalPool *x = &run->pools[*(const int32 *) a];
	const EvalPool *y = &run->pools[*(const int32 *) b];
	int			c = code_key_cmp(&run->region_code[x->region], &run->region_code[y->region]);

	if (c != 0)
		return c;
	if (x->size_class != y->size_class)
		return (int) x->size_class - (int) y->size_class;
	return strcmp(x->rule_set->id, y->rule_set->id);
}

/* Rewrites the prefix's benchmarks when they differ from the stored ones. */
static void
write_benchmarks(EvalRun *run)
{
	Relation	rel;
	Delta		bench;
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};
	StoredBenchmarks stored = {0};
	StringInfoData computed;
	int64		rows = 0;
	int32	   *order = palloc(sizeof(int32) * Max(run->n_pools, 1));

	/* both in the same order, so equal sets give equal texts */
	initStringInfo(&stored.text);
	spi_each_select(&stored_benchmark_query, 2, types, values, NULL, read_benchmark, NULL, &stored);
	rel = eval_open_table("evaluation_benchmark");
	delta_begin(&bench, "parcel_gov_benchmarks", rel, benchmark_columns, N_BENCHMARK_COLUMNS, NULL);
	initStringInfo(&computed);
	for (int32 p = 0; p < run->n_pools; p++)
		order[p] = p;
	qsort_arg(order, run->n_pools, sizeof(int32), by_region_and_size_class, run);
	for (int32 p = 0; p < run->n_pools; p++)
	{
		EvalPool   *pool = &run->pools[order[p]];

		for (int j = 0; j < pool->rule->n_indicators; j++)
		{
			BenchmarkRow row;

			benchmark_row(run, pool, j, &row);
			benchmark_text(&computed, row.value, row.isnull);
			delta_put(&bench, row.value, row.isnull, N_BENCHMARK_COLUMNS);
			rows++;
		}
	}
	if (rows != stored.rows || strcmp(computed.data, stored.text.data) != 0)
	{
		delta_register(&bench);
		results_write("DELETE FROM parcel_gov.evaluation_benchmark b WHERE b.year = $1 AND starts_with(b.region_code, $2)",
					  2, types, values);
		results_write(psprintf("INSERT INTO parcel_gov.evaluation_benchmark (%s) SELECT %s FROM parcel_gov_benchmarks",
							   spi_column_list(benchmark_columns, N_BENCHMARK_COLUMNS),
							   spi_column_list(benchmark_columns, N_BENCHMARK_COLUMNS)), 0, NULL, NULL);
	}
	delta_end(&bench);
	table_close(rel, AccessShareLock);
}

static Datum
float8_array(const float8 *values, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(values[i]);
	return PointerGetDatum(construct_array(d, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* parcel_gov.evaluation_summary: what the engine writes of a region */
enum
{
	SUM_COL_YEAR, SUM_COL_REGION_CODE, SUM_COL_FIRMS, SUM_COL_GRADED,
	SUM_COL_GRADE,				/* 4: grade_a … grade_d */
	SUM_COL_TIER_1 = SUM_COL_GRADE + 4, SUM_COL_TIER_2, SUM_COL_TIER_3, SUM_COL_TIER_0,
	SUM_COL_AREA_SUMS, SUM_COL_TAX_SUMS, SUM_COL_VA_SUMS, SUM_COL_ROWS_DIGEST, SUM_COL_EVALUATED_AT,
	N_SUMMARY_COLUMNS
};

static const char *const summary_columns[] = {
	[SUM_COL_YEAR] = "year",
	[SUM_COL_REGION_CODE] = "region_code",
	[SUM_COL_FIRMS] = "firms",
	[SUM_COL_GRADED] = "graded",
	[SUM_COL_GRADE + 0] = "grade_a",
	[SUM_COL_GRADE + 1] = "grade_b",
	[SUM_COL_GRADE + 2] = "grade_c",
	[SUM_COL_GRADE + 3] = "grade_d",
	[SUM_COL_TIER_1] = "tier_1",
	[SUM_COL_TIER_2] = "tier_2",
	[SUM_COL_TIER_3] = "tier_3",
	[SUM_COL_TIER_0] = "tier_0",
	[SUM_COL_AREA_SUMS] = "area_sums",
	[SUM_COL_TAX_SUMS] = "tax_sums",
	[SUM_COL_VA_SUMS] = "va_sums",
	[SUM_COL_ROWS_DIGEST] = "rows_digest",
	[SUM_COL_EVALUATED_AT] = "evaluated_at",
};

StaticAssertDecl(lengthof(summary_columns) == N_SUMMARY_COLUMNS, "one name per summary column");

/* A region's summary row, as RegionSummary holds it. */
static void
summary_row(Diff *diff, int32 r, Datum *v)
{
	EvalRun    *run = diff->run;
	RegionSummary *s = &run->summaries[r];
	bytea	   *digest = palloc(VARHDRSZ + sizeof(s->digest));

	SET_VARSIZE(digest, VARHDRSZ + sizeof(s->digest));
	memcpy(VARDATA(digest), s->digest, sizeof(s->digest));
	v[SUM_COL_YEAR] = Int32GetDatum(run->year);
	v[SUM_COL_REGION_CODE] = code_key_text(&run->region_code[r]);
	v[SUM_COL_FIRMS] = Int32GetDatum(s->firms);
	v[SUM_COL_GRADED] = Int32GetDatum(s->graded);
	for (int g = 0; g < 4; g++)
		v[SUM_COL_GRADE + g] = Int32GetDatum(s->grade[g]);
	v[SUM_COL_TIER_1] = Int32GetDatum(s->tier[1]);
	v[SUM_COL_TIER_2] = Int32GetDatum(s->tier[2]);
	v[SUM_COL_TIER_3] = Int32GetDatum(s->tier[3]);
	v[SUM_COL_TIER_0] = Int32GetDatum(s->tier[0]);
	v[SUM_COL_AREA_SUMS] = float8_array(s->area, 2);
	v[SUM_COL_TAX_SUMS] = float8_array(s->tax, 4);
	v[SUM_COL_VA_SUMS] = float8_array(s->va, 4);
	v[SUM_COL_ROWS_DIGEST] = PointerGetDatum(digest);
	v[SUM_COL_EVALUATED_AT] = diff->started;
}

/*
 * The new summaries of the regions whose rows changed, into the delta; into
 * codes, the regions whose stored summaries go: those, and regions no longer
 * in the region table.  Returns the number of codes.
 */
static int
put_changed_summaries(Diff *diff, Delta *summaries, Datum *codes)
{
	EvalRun    *run = diff->run;
	int			n_codes = 0;

	for (int32 r = 0; r < run->n_regions; r++)
	{
		Datum		v[N_SUMMARY_COLUMNS];
		bool		n[N_SUMMARY_COLUMNS] = {false};

		if (!diff->region_changed[r])
			continue;
		codes[n_codes++] = code_key_text(&run->region_code[r]);
		if (run->summaries[r].firms == 0)
			continue;			/* no firm evaluated any more: the summary goes */
		summary_row(diff, r, v);
		delta_put(summaries, v, n, N_SUMMARY_COLUMNS);
	}
	for (int32 i = 0; i < diff->n_stale_codes; i++)
		codes[n_codes++] = code_key_text(&diff->stale_codes[i]);
	return n_codes;
}

/* Regions beyond the prefix that a firm moved out of: their summaries redone from their rows. */
static void
redo_left_summaries(Diff *diff)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2];
	Datum	   *left;

	if (diff->n_left_codes == 0)
		return;
	left = palloc(sizeof(Datum) * diff->n_left_codes);
	for (int32 i = 0; i < diff->n_left_codes; i++)
		left[i] = code_key_text(&diff->left_codes[i]);
	values[0] = Int32GetDatum(diff->run->year);
	values[1] = PointerGetDatum(construct_array(left, diff->n_left_codes, TEXTOID, -1, false, TYPALIGN_INT));
	results_write("DELETE FROM parcel_gov.evaluation_summary s WHERE s.year = $1 AND s.region_code = ANY ($2)",
				  2, types, values);
	results_write("INSERT INTO parcel_gov.evaluation_summary SELECT * FROM parcel_gov.summaries_of_rows($1, $2)",
				  2, types, values);
}

/* The summaries of the regions (codes) replaced by those in the delta. */
static void
replace_summaries(Diff *diff, Delta *summaries, Datum *codes, int n_codes)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2];
	char	   *columns = spi_column_list(summary_columns, N_SUMMARY_COLUMNS);

	delta_register(summaries);
	values[0] = Int32GetDatum(diff->run->year);
	values[1] = PointerGetDatum(construct_array(codes, n_codes, TEXTOID, -1, false, TYPALIGN_INT));
	results_write("DELETE FROM parcel_gov.evaluation_summary s WHERE s.year = $1 AND s.region_code = ANY ($2)",
				  2, types, values);
	results_write(psprintf("INSERT INTO parcel_gov.evaluation_summary (%s) SELECT %s FROM parcel_gov_summaries",
						   columns, columns),
				  0, NULL, NULL);
}

/* The summaries of the regions whose rows changed. */
static void
write_summaries(Diff *diff)
{
	EvalRun    *run = diff->run;
	Relation	rel = eval_open_table("evaluation_summary");
	Delta		summaries;
	Datum	   *codes = palloc(sizeof(Datum) * (run->n_regions + diff->n_stale_codes + 1));
	int			n_codes;

	delta_begin(&summaries, "parcel_gov_summaries", rel, summary_columns, N_SUMMARY_COLUMNS, NULL);
	n_codes = put_changed_summaries(diff, &summaries, codes);
	redo_left_summaries(diff);
	if (n_codes > 0)
		replace_summaries(diff, &summaries, codes, n_codes);
	delta_end(&summaries);
	table_close(rel, AccessShareLock);
}

/* A firm's evaluation row as eval_write writes it, in the order of eval_row_column(). */
int
eval_row_width(void)
{
	return N_COLUMNS;
}

const char *
eval_row_column(int c)
{
	return columns[c].name;
}

void
eval_firm_row_values(EvalRun *run, EvalFirm *firm, Datum started, Datum *value, bool *isnull)
{
	Row			row;

	firm_row(run, firm, started, &row);
	memcpy(value, row.value, sizeof(row.value));
	memcpy(isnull, row.isnull, sizeof(row.isnull));
}

/* A pool's benchmark row j, in the order of eval_benchmark_column(). */
int
eval_benchmark_width(void)
{
	return N_BENCHMARK_COLUMNS;
}

const char *
eval_benchmark_column(int c)
{
	return benchmark_columns[c];
}

void
eval_benchmark_values(EvalRun *run, EvalPool *pool, int j, Datum *value, bool *isnull)
{
	BenchmarkRow row;

	benchmark_row(run, pool, j, &row);
	memcpy(value, row.value, sizeof(row.value));
	memcpy(isnull, row.isnull, sizeof(row.isnull));
}

void
eval_write(EvalRun *run, Datum started)
{
	Diff		diff = {0};

	diff.run = run;
	diff.started = started;
	diff.row_cxt = AllocSetContextCreate(CurrentMemoryContext, "parcel_gov row", ALLOCSET_SMALL_SIZES);
	diff.stored_firms = palloc(sizeof(int32) * Max(run->n_regions, 1));
	diff.stored_digest = palloc0(sizeof(uint64) * 2 * Max(run->n_regions, 1));
	diff.region_changed = palloc0(sizeof(bool) * Max(run->n_regions, 1));
	diff.stored = big_alloc(CurrentMemoryContext, sizeof(bool) * Max(run->n_firms, 1), true);
	diff.changed = big_alloc(CurrentMemoryContext, sizeof(int32) * Max(run->n_firms, 1), false);
	find_absent_columns();
	find_changed_regions(&diff);
	read_stored(&diff);
	write_rows(&diff);
	write_summaries(&diff);
	write_benchmarks(run);
	MemoryContextDelete(diff.row_cxt);
}
