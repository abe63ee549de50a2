/*
 * eval_write.c — the year's evaluation rows of the region, rewritten by
 * difference: the stored rows are read once and compared in C; rows that did
 * not change are left alone (same id, same evaluated_at, no new tuple), the
 * others go to three set-based statements through ephemeral named relations
 * (as a trigger's transition tables do): inserts, updates, deletes.  New rows
 * go in code order, which keeps the primary key's inserts on its right edge.
 * The year's benchmarks are rewritten likewise.
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

#include "eval_engine.h"
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
	{"score_tax_per_mu", FLOAT_COL}, {"score_va_per_mu", FLOAT_COL}, {"score_revenue_per_mu", FLOAT_COL},
	{"score_labour_productivity", FLOAT_COL}, {"score_va_per_energy", FLOAT_COL},
	{"score_va_per_emission", FLOAT_COL}, {"score_rd_intensity", FLOAT_COL}, {"score_tax_per_kwh", FLOAT_COL},
	{"bonus", FLOAT_COL}, {"deduction", FLOAT_COL}, {"rental_deduction", FLOAT_COL},
	{"score", FLOAT_COL}, {"rank", INT_COL}, {"pool_size", INT_COL},
	{"grade_initial", ENUM_COL}, {"grade", ENUM_COL}, {"not_graded", TEXT_COL},
	{"veto_reason", TEXT_COL}, {"evaluated_at", TIME_COL},
};

enum
{
	C_YEAR, C_USCC, C_REGION_CODE, C_RULE_SET_ID, C_POOL, C_INDUSTRY_GROUP, C_HELD_MU,
	C_LEASED_OUT_MU, C_LEASED_IN_MU, C_AREA_MU, C_TAX, C_VALUE_ADDED, C_REVENUE,
	C_INDICATOR,				/* 8 indicators */
	C_INDICATOR_SCORE = C_INDICATOR + N_INDICATORS,	/* 8 scores */
	C_BONUS = C_INDICATOR_SCORE + N_INDICATORS, C_DEDUCTION, C_RENTAL_DEDUCTION,
	C_SCORE, C_RANK, C_POOL_SIZE, C_GRADE_INITIAL, C_GRADE, C_NOT_GRADED, C_VETO_REASON,
	C_EVALUATED_AT, N_COLUMNS
};

StaticAssertDecl(lengthof(columns) == N_COLUMNS, "one name per column");

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
	int32		rsi = run->region_rule_set[firm->region];

	memset(row->isnull, true, sizeof(row->isnull));
	set(row, C_YEAR, Int32GetDatum(run->year));
	set(row, C_USCC, code_key_text(&firm->uscc));
	set_text(row, C_REGION_CODE, eval_region_text(run, firm->region));
	set_text(row, C_RULE_SET_ID, rsi >= 0 ? run->rule_sets[rsi].id : NULL);
	set(row, C_POOL, ObjectIdGetDatum(run->size_class_oid[firm->size_class]));
	if (firm->group != NO_GROUP)
		set_text(row, C_INDUSTRY_GROUP, firm->group == OTHER_GROUP ? OTHER_GROUP_NAME
				 : run->rule_sets[rsi].groups[firm->group].name);
	set(row, C_HELD_MU, Float8GetDatum(firm->held[0] + firm->held[1]));
	set(row, C_LEASED_OUT_MU, Float8GetDatum(firm->leased_out[0] + firm->leased_out[1]));
	set(row, C_LEASED_IN_MU, Float8GetDatum(firm->leased_in[0] + firm->leased_in[1]));
	set(row, C_AREA_MU, Float8GetDatum(firm->area));
	for (int k = TAX; k <= REVENUE; k++)
		if (firm->present & (1 << k))
			set(row, C_TAX + k, Float8GetDatum(firm->figure[k]));
	for (int k = 0; k < N_INDICATORS; k++)
	{
		float8		value;

		if (eval_firm_indicator(firm, k, &value))
			set(row, C_INDICATOR + k, Float8GetDatum(value));
		if (firm->score_present & (1 << k))
			set(row, C_INDICATOR_SCORE + k, Float8GetDatum(firm->indicator_score[k]));
	}
	set(row, C_BONUS, Float8GetDatum(firm->bonus));
	set(row, C_DEDUCTION, Float8GetDatum(firm->deduction));
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
	set_text(row, C_VETO_REASON, firm->veto_reason);
	set(row, C_EVALUATED_AT, started);
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
	}
	else if (strncmp(TextDatumGetCString(v[C_REGION_CODE]), run->prefix, run->prefix_len) == 0)
	{
		/* a firm of the region no longer evaluated: its row goes */
		diff->removed = eval_grow(run, diff->removed, diff->n_removed, &diff->max_removed, sizeof(CodeKey));
		diff->removed[diff->n_removed++] = uscc;
	}
}

static char *
column_list(const char *qualifier, bool keys)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int c = 0; c < N_COLUMNS; c++)
		if (keys || (c != C_YEAR && c != C_USCC))
			appendStringInfo(&buf, "%s%s%s", buf.len ? ", " : "", qualifier, columns[c].name);
	return buf.data;
}

/* The stored rows of the year: of the region, or of its firms wherever they were. */
static void
read_stored(Diff *diff)
{
	EvalRun    *run = diff->run;
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};

	spi_each_row(psprintf("SELECT %s FROM parcel_gov.evaluation e WHERE e.year = $1 "
						  "AND (starts_with(e.region_code, $2) OR e.uscc IN "
						  "(SELECT f.uscc FROM parcel_gov.enterprise f WHERE starts_with(f.region_code, $2)))",
						  column_list("e.", true)),
				 2, types, values, NULL, compare_stored, diff);
}

/* An ephemeral relation shaped as a table, for one statement to read. */
typedef struct Delta
{
	const char *name;
	Relation	rel;
	Tuplestorestate *store;
	int			natts;
	int		   *attnum;			/* per column */
	Datum	   *value;
	bool	   *isnull;
	double		rows;
}			Delta;

static void
delta_begin(Delta *d, const char *name, Relation rel, const char *const *names, int n)
{
	TupleDesc	desc = RelationGetDescr(rel);

	d->name = name;
	d->rel = rel;
	d->store = tuplestore_begin_heap(false, false, work_mem);
	d->natts = desc->natts;
	d->attnum = palloc(sizeof(int) * n);
	d->value = palloc(sizeof(Datum) * desc->natts);
	d->isnull = palloc(sizeof(bool) * desc->natts);
	d->rows = 0;
	for (int c = 0; c < n; c++)
	{
		d->attnum[c] = SPI_fnumber(desc, names[c]);
		if (d->attnum[c] <= 0)
			elog(ERROR, "parcel_gov: %s has no column \"%s\"", RelationGetRelationName(rel), names[c]);
	}
}

static void
delta_put(Delta *d, const Datum *value, const bool *isnull, int n)
{
	memset(d->isnull, true, sizeof(bool) * d->natts);
	for (int c = 0; c < n; c++)
	{
		d->value[d->attnum[c] - 1] = value[c];
		d->isnull[d->attnum[c] - 1] = isnull[c];
	}
	tuplestore_putvalues(d->store, RelationGetDescr(d->rel), d->value, d->isnull);
	d->rows++;
}

static void
delta_register(Delta *d)
{
	EphemeralNamedRelation enr = palloc0(sizeof(EphemeralNamedRelationData));

	enr->md.name = (char *) d->name;
	enr->md.reliddesc = RelationGetRelid(d->rel);
	enr->md.enrtype = ENR_NAMED_TUPLESTORE;
	enr->md.enrtuples = d->rows;
	enr->reldata = d->store;
	if (SPI_register_relation(enr) != SPI_OK_REL_REGISTER)
		elog(ERROR, "parcel_gov: could not register %s", d->name);
}

static Relation
open_table(const char *name)
{
	Oid			relid = get_relname_relid(name, get_namespace_oid("parcel_gov", false));

	if (!OidIsValid(relid))
		elog(ERROR, "parcel_gov: no table parcel_gov.%s", name);
	return table_open(relid, AccessShareLock);
}

static int
by_uscc(const void *a, const void *b, void *arg)
{
	const EvalFirm *firms = arg;

	return code_key_cmp(&firms[*(const int32 *) a].uscc, &firms[*(const int32 *) b].uscc);
}

static void
write_rows(Diff *diff)
{
	EvalRun    *run = diff->run;
	const char *names[N_COLUMNS];
	Relation	rel = open_table("evaluation");
	Delta		inserted,
				updated,
				deleted;
	int32	   *fresh = palloc(sizeof(int32) * Max(run->firms_evaluated, 1));
	int32		n_fresh = 0;
	Oid			types[1] = {INT4OID};
	Datum		year[1] = {Int32GetDatum(run->year)};
	Row			row;
	char	   *assignments;

	for (int c = 0; c < N_COLUMNS; c++)
		names[c] = columns[c].name;
	delta_begin(&inserted, "parcel_gov_inserted", rel, names, N_COLUMNS);
	delta_begin(&updated, "parcel_gov_updated", rel, names, N_COLUMNS);
	delta_begin(&deleted, "parcel_gov_deleted", rel, names, N_COLUMNS);

	for (int32 i = 0; i < run->n_firms; i++)
		if (run->firms[i].evaluated && !diff->stored[i])
			fresh[n_fresh++] = i;
	qsort_arg(fresh, n_fresh, sizeof(int32), by_uscc, run->firms);
	for (int32 j = 0; j < n_fresh + diff->n_changed; j++)
	{
		MemoryContext old = MemoryContextSwitchTo(diff->row_cxt);

		firm_row(run, &run->firms[j < n_fresh ? fresh[j] : diff->changed[j - n_fresh]], diff->started, &row);
		delta_put(j < n_fresh ? &inserted : &updated, row.value, row.isnull, N_COLUMNS);
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
	if (inserted.rows > 0)
		run->rows_changed += spi_run(psprintf("INSERT INTO parcel_gov.evaluation (%s) SELECT %s FROM parcel_gov_inserted",
											  column_list("", true), column_list("", true)), 0, NULL, NULL);
	if (updated.rows > 0)
	{
		StringInfoData buf;

		initStringInfo(&buf);
		for (int c = 0; c < N_COLUMNS; c++)
			if (c != C_YEAR && c != C_USCC)
				appendStringInfo(&buf, "%s%s = u.%s", buf.len ? ", " : "", columns[c].name, columns[c].name);
		assignments = buf.data;
		run->rows_changed += spi_run(psprintf("UPDATE parcel_gov.evaluation e SET %s FROM parcel_gov_updated u "
											  "WHERE e.year = $1 AND e.uscc = u.uscc", assignments),
									 1, types, year);
	}
	if (deleted.rows > 0)
		run->rows_changed += spi_run("DELETE FROM parcel_gov.evaluation e USING parcel_gov_deleted d "
									 "WHERE e.year = $1 AND e.uscc = d.uscc", 1, types, year);
	table_close(rel, AccessShareLock);
}

/* parcel_gov.evaluation_benchmark: what each pool was scored against */
static void
write_benchmarks(EvalRun *run)
{
	static const char *const names[] = {
		"year", "region_code", "pool", "indicator", "rule_set_id", "benchmark", "pool_value", "lo", "hi", "firms"
	};
	Relation	rel = open_table("evaluation_benchmark");
	Delta		bench;
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};

	delta_begin(&bench, "parcel_gov_benchmarks", rel, names, lengthof(names));
	for (int32 p = 0; p < run->n_pools; p++)
	{
		EvalPool   *pool = &run->pools[p];

		for (int j = 0; j < pool->rule->n_indicators; j++)
		{
			Datum		v[lengthof(names)];
			bool		n[lengthof(names)] = {false};

			v[0] = Int32GetDatum(run->year);
			v[1] = CStringGetTextDatum(eval_region_text(run, pool->region));
			v[2] = ObjectIdGetDatum(run->size_class_oid[pool->size_class]);
			v[3] = ObjectIdGetDatum(run->indicator_oid[pool->rule->indicator[j].indicator]);
			v[4] = CStringGetTextDatum(pool->rule_set->id);
			v[5] = Float8GetDatum(pool->benchmark[j]);
			n[5] = !pool->has_benchmark[j];
			v[6] = Float8GetDatum(pool->pool_value[j]);
			n[6] = !pool->has_pool_value[j];
			v[7] = Float8GetDatum(pool->lo[j]);
			v[8] = Float8GetDatum(pool->hi[j]);
			n[7] = n[8] = !pool->has_range[j];
			v[9] = Int32GetDatum(pool->graded);
			delta_put(&bench, v, n, lengthof(names));
		}
	}
	delta_register(&bench);
	spi_run("DELETE FROM parcel_gov.evaluation_benchmark b WHERE b.year = $1 AND starts_with(b.region_code, $2)",
			2, types, values);
	spi_run("INSERT INTO parcel_gov.evaluation_benchmark "
			"(year, region_code, pool, indicator, rule_set_id, benchmark, pool_value, lo, hi, firms) "
			"SELECT year, region_code, pool, indicator, rule_set_id, benchmark, pool_value, lo, hi, firms "
			"FROM parcel_gov_benchmarks", 0, NULL, NULL);
	table_close(rel, AccessShareLock);
}

void
eval_write(EvalRun *run, Datum started)
{
	Diff		diff = {0};

	diff.run = run;
	diff.started = started;
	diff.row_cxt = AllocSetContextCreate(CurrentMemoryContext, "parcel_gov row", ALLOCSET_SMALL_SIZES);
	diff.stored = palloc0(sizeof(bool) * Max(run->n_firms, 1));
	diff.changed = palloc(sizeof(int32) * Max(run->n_firms, 1));
	read_stored(&diff);
	write_rows(&diff);
	write_benchmarks(run);
	MemoryContextDelete(diff.row_cxt);
}
