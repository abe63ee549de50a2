/*
 * register_sync.c — the register follows the evaluation: each parcel of the
 * prefix, in a region evaluated this year, gets its kinds and batch from the
 * firms using it (low_efficiency.h, the rules of v_parcel_efficiency);
 * parcels newly low-efficiency enter as candidates
 * (never twice while in the register), exited or rejected ones identified
 * again re-enter, and active ones learn their new kinds and, when assessed,
 * whether they now clear the thresholds.
 *
 * The comparison with the register is made in C, on the rows the run read;
 * only parcels where something may change go to the three statements, which
 * re-check every condition on the row they lock (a concurrent transition
 * wins or waits, as with any UPDATE), so the register's C triggers see each
 * change once.  Parcels under treatment or assessment always go: their
 * state decides what an evaluation records.
 */
#include "postgres.h"

#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "big_alloc.h"
#include "dd_state.h"
#include "eval_engine.h"
#include "low_efficiency.h"
#include "spi_rows.h"

/* The holder's year as the register reads it, and the rule set that applies. */
typedef struct HolderEval
{
	YearFacts	year;
	int32		rule_set;		/* the holder's rule set, else its parcel region's; -1 none */
}			HolderEval;

/* A firm's per-mu tax of the year (NULL when not evaluated or without one). */
static bool
user_tax_per_mu(EvalRun *run, int32 firm, const CodeKey *outside_uscc, float8 *tax)
{
	if (firm >= 0)
		return run->firms[firm].evaluated && eval_firm_indicator(&run->firms[firm], TAX_PER_MU, tax);
	else
	{
		YearFacts  *o = &run->outside[code_map_get(run->outside_by_uscc, outside_uscc)].year;

		*tax = o->tax_per_mu;
		return o->evaluated && o->has_tax_per_mu;
	}
}

static HolderEval
holder_eval(EvalRun *run, const EvalParcel *p)
{
	HolderEval	h = {0};

	h.rule_set = -1;
	h.year.grade = -1;
	if (p->holder >= 0)
	{
		EvalFirm   *firm = &run->firms[p->holder];

		if (!firm->evaluated)
			return h;
		h.year.evaluated = true;
		h.year.has_tax_per_mu = eval_firm_indicator(firm, TAX_PER_MU, &h.year.tax_per_mu);
		h.year.area = firm->area;
		h.year.grade = firm->grade;
		h.year.size_class = firm->pool_class;	/* the pool whose rule it was graded by */
		h.year.backward_capacity = firm->fig.backward_capacity;
		h.year.prohibited_industry = firm->fig.prohibited_industry;
		h.year.scattered_polluting = firm->fig.scattered_polluting;
		h.rule_set = firm->rule_set;
	}
	else if (p->outside_holder >= 0)
	{
		OutsideFirm *o = &run->outside[p->outside_holder];

		/* (its figures of the year count whether or not it was evaluated) */
		h.year = o->year;
		h.rule_set = o->rule_set_id ? eval_rule_set_index(run, o->rule_set_id) : -1;
	}
	return h;
}

/* 亩均税收 of the parcel: the per-mu tax of the firms using it, weighted by
 * the area each uses (the holder what is not leased out); exact sums. */
static bool
parcel_tax_per_mu(EvalRun *run, const EvalParcel *p, float8 *tax_per_mu)
{
	float8		sums[4] = {0};
	float8		leased[2] = {0};
	float8		t;

	for (int32 l = p->first_lease; l >= 0; l = run->leases[l].next)
	{
		EvalLease  *lease = &run->leases[l];

		dd_add(leased, lease->area);
		if (user_tax_per_mu(run, lease->lessee_firm, &lease->lessee, &t))
		{
			dd_add(sums, lease->area * t);
			dd_add(sums + 2, lease->area);
		}
	}
	if (p->flags & PARCEL_HAS_HOLDER)
	{
		float8		own = Max(p->area - dd_value(leased), 0);
		bool		known = p->holder >= 0
			? user_tax_per_mu(run, p->holder, NULL, &t)
			: user_tax_per_mu(run, -1, &run->outside[p->outside_holder].uscc, &t);

		if (known && own != 0)
		{
			dd_add(sums, own * t);
			dd_add(sums + 2, own);
		}
	}
	if (dd_value(sums + 2) == 0)
		return false;
	*tax_per_mu = dd_value(sums) / dd_value(sums + 2);
	return true;
}

/* Previous years' per-mu tax of holders that may be 桐庐-persistent. */
typedef struct History
{
	CodeMap    *by_uscc;
	int32		n;
	int32		max;
	CodeKey    *uscc;
	int8	   *known;			/* bit 0: year − 1, bit 1: year − 2 */
	float8	   *tax;			/* [2 * i + 0]: year − 1, [2 * i + 1]: year − 2 */
}			History;

static bool
may_be_persistent(const EvalRun *run, const HolderEval *h)
{
	const RuleSet *rs = h->rule_set >= 0 ? &run->rule_sets[h->rule_set] : NULL;

	return rs && h->year.evaluated && h->year.has_tax_per_mu && h->year.area >= rs->persistent_min_mu &&
		h->year.tax_per_mu < rs->persistent_line;
}

/*
 * evaluation: the holders' ($2) rows of the two years before $1.  The codes
 * go as text[]: a cast to the uscc domain would check every code once per
 * row scanned.
 */
enum
{
	HIST_COL_USCC, HIST_COL_YEARS_BACK, HIST_COL_TAX_PER_MU, N_HIST_COLS
};

static const char *const history_cols[] = {
	[HIST_COL_USCC] = "e.uscc",
	[HIST_COL_YEARS_BACK] = "$1 - e.year",
	[HIST_COL_TAX_PER_MU] = "e.tax_per_mu",
};

SPI_SELECT(history_query, history_cols, N_HIST_COLS,
		   "FROM parcel_gov.evaluation e WHERE e.year IN ($1 - 1, $1 - 2) AND e.uscc = ANY ($2)");

static void
add_history(void *arg, Datum *v, bool *isnull)
{
	History    *hist = arg;
	CodeKey		uscc = code_key_of(v[HIST_COL_USCC], "USCC");
	int32		i = code_map_get(hist->by_uscc, &uscc);
	int			back = DatumGetInt32(v[HIST_COL_YEARS_BACK]);	/* 1 or 2 */

	if (i < 0 || isnull[HIST_COL_TAX_PER_MU])
		return;
	hist->known[i] |= 1 << (back - 1);
	hist->tax[2 * i + back - 1] = DatumGetFloat8(v[HIST_COL_TAX_PER_MU]);
}

static void
load_history(EvalRun *run, History *hist)
{
	Datum	   *codes;
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2];

	if (hist->n == 0)
		return;
	hist->known = palloc0(sizeof(int8) * hist->n);
	hist->tax = palloc0(sizeof(float8) * 2 * hist->n);
	codes = palloc(sizeof(Datum) * hist->n);
	for (int32 i = 0; i < hist->n; i++)
		codes[i] = code_key_text(&hist->uscc[i]);
	values[0] = Int32GetDatum(run->year);
	values[1] = PointerGetDatum(construct_array(codes, hist->n, TEXTOID, -1, false, TYPALIGN_INT));
	spi_each_select(&history_query, 2, types, values, NULL, add_history, NULL, hist);
}

static const CodeKey *
holder_uscc(EvalRun *run, const EvalParcel *p)
{
	return p->holder >= 0 ? &run->firms[p->holder].uscc : &run->outside[p->outside_holder].uscc;
}

/* What changes in the register row of a parcel: 'i' enter, 'r' re-enter, 'u' update, or 0. */
static char
register_action(const EvalRun *run, const RegisterRow *row, uint32 kinds, int8 clears)
{
	if (row == NULL)
		return kinds ? 'i' : 0;
	if (!row->active)
		return kinds && (!row->has_evaluated_year || run->year > row->evaluated_year) ? 'r' : 0;
	if (row->assessing || row->in_treatment)
		return 'u';
	if (!row->canonical_kinds || row->kinds != kinds || !row->has_evaluated_year ||
		row->evaluated_year != run->year)
		return 'u';
	(void) clears;				/* only assessed parcels record it */
	return 0;
}

/* parcel_gov_register_facts: one row per parcel whose register row may change */
enum
{
	FACT_COL_CODE, FACT_COL_KINDS, FACT_COL_BATCH, FACT_COL_CLEARS, FACT_COL_TAX_PER_MU, FACT_COL_GRADE,
	FACT_COL_ACTION, N_FACT_COLS
};

typedef struct Facts
{
	TupleDesc	desc;
	Tuplestorestate *store;
	double		rows;
}			Facts;

static void
facts_begin(EvalRun *run, Facts *f)
{
	f->desc = CreateTemplateTupleDesc(N_FACT_COLS);
	TupleDescInitEntry(f->desc, FACT_COL_CODE + 1, "code", TEXTOID, -1, 0);
	TupleDescInitEntry(f->desc, FACT_COL_KINDS + 1, "kinds", get_array_type(run->kind_type), -1, 0);
	TupleDescInitEntry(f->desc, FACT_COL_BATCH + 1, "batch", run->batch_type, -1, 0);
	TupleDescInitEntry(f->desc, FACT_COL_CLEARS + 1, "clears", BOOLOID, -1, 0);
	TupleDescInitEntry(f->desc, FACT_COL_TAX_PER_MU + 1, "tax_per_mu", FLOAT8OID, -1, 0);
	TupleDescInitEntry(f->desc, FACT_COL_GRADE + 1, "grade", run->grade_type, -1, 0);
	TupleDescInitEntry(f->desc, FACT_COL_ACTION + 1, "action", TEXTOID, -1, 0);
	f->store = tuplestore_begin_heap(false, false, work_mem);
	f->rows = 0;
}

static void
facts_put(EvalRun *run, Facts *f, const EvalParcel *p, uint32 kinds, int batch, int8 clears,
		  bool has_tax, float8 tax, int8 grade, char action)
{
	Datum		v[N_FACT_COLS];
	bool		n[N_FACT_COLS] = {false};
	char		a[2] = {action, '\0'};

	v[FACT_COL_CODE] = code_key_text(&p->code);
	v[FACT_COL_KINDS] = PointerGetDatum(kind_array(kinds, run->kind_oid, run->kind_type));
	v[FACT_COL_BATCH] = batch >= 0 ? ObjectIdGetDatum(run->batch_oid[batch]) : (Datum) 0;
	n[FACT_COL_BATCH] = batch < 0;
	v[FACT_COL_CLEARS] = BoolGetDatum(clears == 1);
	n[FACT_COL_CLEARS] = clears < 0;
	v[FACT_COL_TAX_PER_MU] = Float8GetDatum(tax);
	n[FACT_COL_TAX_PER_MU] = !has_tax;
	v[FACT_COL_GRADE] = grade >= 0 ? ObjectIdGetDatum(run->grade_oid[grade]) : (Datum) 0;
	n[FACT_COL_GRADE] = grade < 0;
	v[FACT_COL_ACTION] = CStringGetTextDatum(a);
	tuplestore_putvalues(f->store, f->desc, v, n);
	f->rows++;
}

static void write_register(EvalRun *run);

static void
write_facts(EvalRun *run, Facts *f)
{
	EphemeralNamedRelation enr = palloc0(sizeof(EphemeralNamedRelationData));

	enr->md.name = "parcel_gov_register_facts";
	enr->md.tupdesc = f->desc;
	enr->md.enrtype = ENR_NAMED_TUPLESTORE;
	enr->md.enrtuples = f->rows;
	enr->reldata = f->store;
	if (SPI_register_relation(enr) != SPI_OK_REL_REGISTER)
		elog(ERROR, "parcel_gov: could not register the register's facts");
	if (f->rows > 0)
		write_register(run);
	/* the relation goes, and so do the temporary files its rows spilled to */
	SPI_unregister_relation(enr->md.name);
	tuplestore_end(f->store);
}

/*
 * A parcel's evidence: the year, its kinds and its own per-mu tax; the
 * holder's grade only when the holder is a firm of the parcel's county,
 * since a firm of another county (linked by the province) is that county's
 * to show.
 */
#define EVIDENCE \
	"jsonb_build_object('year', $1, 'kinds', f.kinds, 'tax_per_mu', f.tax_per_mu) " \
	"|| CASE WHEN h.region_code = p.region_code THEN jsonb_build_object('grade', f.grade) ELSE '{}' END "
#define EVIDENCE_JOIN \
	"JOIN parcel_gov.parcel p ON p.code = f.code " \
	"LEFT JOIN parcel_gov.enterprise h ON h.uscc = p.holder_uscc "

/* The three statements of the sync, reading parcel_gov_register_facts. */
static void
write_register(EvalRun *run)
{
	Oid			types[1] = {INT4OID};
	Datum		year[1] = {Int32GetDatum(run->year)};

	run->register_entered += spi_run(
		"INSERT INTO parcel_gov.register AS r (parcel_code, kinds, batch, evaluated_year, reason, evidence) "
		"SELECT f.code, f.kinds, f.batch, $1, format('evaluate(%s)', $1), " EVIDENCE
		"FROM parcel_gov_register_facts f " EVIDENCE_JOIN "WHERE f.action = 'i' "
		"ON CONFLICT (parcel_code) DO NOTHING", 1, types, year);
	run->register_entered += spi_run(
		"UPDATE parcel_gov.register r "
		"SET state = 'candidate', kinds = f.kinds, batch = f.batch, evaluated_year = $1, "
		"reason = format('evaluate(%s): identified again', $1), "
		"evidence = " EVIDENCE
		"FROM parcel_gov_register_facts f " EVIDENCE_JOIN
		"WHERE r.parcel_code = f.code AND f.action = 'r' AND r.state IN ('exited', 'rejected') "
		"AND cardinality(f.kinds) > 0 AND $1 > coalesce(r.evaluated_year, 0)", 1, types, year);
	spi_run("UPDATE parcel_gov.register r "
			"SET kinds = f.kinds, evaluated_year = $1, "
			"clears_thresholds = CASE WHEN r.state = 'assessing' THEN f.clears ELSE r.clears_thresholds END, "
			"reason = format('evaluate(%s)', $1) "
			"FROM parcel_gov_register_facts f "
			"WHERE r.parcel_code = f.code AND f.action = 'u' AND r.state NOT IN ('exited', 'rejected') "
			"AND (r.kinds, r.evaluated_year, r.clears_thresholds) IS DISTINCT FROM "
			"(f.kinds, $1, CASE WHEN r.state = 'assessing' THEN f.clears ELSE r.clears_thresholds END)",
			1, types, year);
}

/* The holder's evaluation, its rule set (else the parcel region's for all
 * firms, as v_parcel_efficiency takes it) and pool rule. */
static HolderEval
parcel_holder(EvalRun *run, const EvalParcel *p, const RuleSet **rs, const RulePool **rp)
{
	HolderEval	h = holder_eval(run, p);

	if (h.rule_set < 0)
		h.rule_set = run->region_rule_set[p->region];
	*rs = h.rule_set >= 0 ? &run->rule_sets[h.rule_set] : NULL;
	*rp = *rs && h.year.evaluated ? (*rs)->pool[h.year.size_class] : NULL;
	return h;
}

/* A parcel's per-mu tax and, where the 桐庐 rule may decide, its holder's history. */
typedef struct ParcelTax
{
	float8		tax_per_mu;
	bool		has_tax_per_mu;
	int32		history;		/* index into History, -1 */
	/* 桐庐 on the parcel (persistent_on_parcel): its own two years before */
	bool		parcel_candidate;
	int8		parcel_known;	/* bit 0: year − 1, bit 1: year − 2 */
	float8		parcel_tax[2];
}			ParcelTax;

/*
 * The parcels' ($2, in order) 亩均税收 of the two years before $1, as
 * parcel_tax_per_mu() counts it (v_parcel_efficiency's arithmetic).
 */
enum
{
	PHIST_COL_NTH, PHIST_COL_YEARS_BACK, PHIST_COL_TAX_PER_MU, N_PHIST_COLS
};

static const char *const parcel_history_cols[] = {
	[PHIST_COL_NTH] = "c.nth::int4",
	[PHIST_COL_YEARS_BACK] = "$1 - y.year",
	[PHIST_COL_TAX_PER_MU] = "parcel_gov.parcel_tax_per_mu(c.code, y.year)",
};

SPI_SELECT(parcel_history_query, parcel_history_cols, N_PHIST_COLS,
		   "FROM unnest($2) WITH ORDINALITY AS c (code, nth) CROSS JOIN (VALUES ($1 - 1), ($1 - 2)) AS y (year)");

typedef struct ParcelHistory
{
	ParcelTax  *pt;
	int32	   *parcel;			/* the nth candidate's index into parcels */
}			ParcelHistory;

static void
add_parcel_history(void *arg, Datum *v, bool *isnull)
{
	ParcelHistory *ph = arg;
	ParcelTax  *t = &ph->pt[ph->parcel[DatumGetInt32(v[PHIST_COL_NTH]) - 1]];
	int			back = DatumGetInt32(v[PHIST_COL_YEARS_BACK]);	/* 1 or 2 */

	if (isnull[PHIST_COL_TAX_PER_MU])
		return;
	t->parcel_known |= 1 << (back - 1);
	t->parcel_tax[back - 1] = DatumGetFloat8(v[PHIST_COL_TAX_PER_MU]);
}

/* The candidates' per-mu tax of the two years before, one query for all. */
static void
load_parcel_history(EvalRun *run, ParcelTax *pt)
{
	ParcelHistory ph = {pt, big_alloc(CurrentMemoryContext, sizeof(int32) * Max(run->n_parcels, 1), false)};
	Datum	   *codes = big_alloc(CurrentMemoryContext, sizeof(Datum) * Max(run->n_parcels, 1), false);
	int32		n = 0;
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2];

	for (int32 i = 0; i < run->n_parcels; i++)
		if (pt[i].parcel_candidate)
		{
			ph.parcel[n] = i;
			codes[n++] = code_key_text(&run->parcels[i].code);
		}
	if (n == 0)
		return;
	values[0] = Int32GetDatum(run->year);
	values[1] = PointerGetDatum(construct_array(codes, n, TEXTOID, -1, false, TYPALIGN_INT));
	spi_each_select(&parcel_history_query, 2, types, values, NULL, add_parcel_history, NULL, &ph);
}

/*
 * The register follows each county's latest evaluated year: a county with
 * results of a later year keeps its register as that year left it when an
 * earlier year is evaluated again (a corrected figure of 2023 after 2024).
 */
static void
skip_regions_evaluated_later(EvalRun *run, bool *evaluated_region)
{
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};
	int			region_col;

	if (SPI_execute_with_args("SELECT DISTINCT s.region_code FROM parcel_gov.evaluation_summary s "
							  "WHERE s.year > $1 AND starts_with(s.region_code, $2)",
							  2, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "parcel_gov: could not read the later years' summaries");
	region_col = SPI_fnumber(SPI_tuptable->tupdesc, "region_code");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		code = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, region_col, &isnull);
		CodeKey		key = code_key_of(code, "region code");
		int32		region = code_map_get(run->regions, &key);

		if (region >= 0)
			evaluated_region[region] = false;
	}
	SPI_freetuptable(SPI_tuptable);
}

/* Regions with a firm evaluated this year: only their parcels follow the evaluation. */
static bool *
evaluated_regions(EvalRun *run)
{
	bool	   *evaluated_region = palloc0(sizeof(bool) * Max(run->n_regions, 1));

	for (int32 i = 0; i < run->n_firms; i++)
		if (run->firms[i].evaluated)
			evaluated_region[run->firms[i].region] = true;
	skip_regions_evaluated_later(run, evaluated_region);
	return evaluated_region;
}

/* The holder's index in the history to load, added the first time it is asked for. */
static int32
history_of(EvalRun *run, History *hist, const CodeKey *uscc)
{
	int32		i = code_map_get(hist->by_uscc, uscc);

	if (i >= 0)
		return i;
	hist->uscc = eval_grow(run, hist->uscc, hist->n, &hist->max, sizeof(CodeKey));
	hist->uscc[hist->n] = *uscc;
	i = code_map_put(hist->by_uscc, &hist->uscc[hist->n], hist->n);
	hist->n++;
	return i;
}

/*
 * Each parcel's per-mu tax, and which holders need their two previous
 * years: only where three years under the 桐庐 line could make a parcel
 * low_per_mu that its pool's line has not made so already.
 */
static void
tax_parcels(EvalRun *run, const bool *evaluated_region, ParcelTax *pt, History *hist)
{
	for (int32 i = 0; i < run->n_parcels; i++)
	{
		EvalParcel *p = &run->parcels[i];
		const RuleSet *rs;
		const RulePool *rp;
		HolderEval	h;

		if (!evaluated_region[p->region])
			continue;
		h = parcel_holder(run, p, &rs, &rp);
		pt[i].has_tax_per_mu = parcel_tax_per_mu(run, p, &pt[i].tax_per_mu);
		pt[i].history = -1;
		pt[i].parcel_candidate = false;
		pt[i].parcel_known = 0;
		if (pt[i].has_tax_per_mu && rp && rp->has_low_tax && pt[i].tax_per_mu < rp->low_tax)
			continue;			/* low already by its pool's line */
		if (rs && rs->persistent_on_parcel)
			/* 桐庐 on the parcel: its area and its 亩均税收 under the line this year */
			pt[i].parcel_candidate = pt[i].has_tax_per_mu && p->area >= rs->persistent_min_mu &&
				pt[i].tax_per_mu < rs->persistent_line;
		else if (may_be_persistent(run, &h))
			pt[i].history = history_of(run, hist, holder_uscc(run, p));
	}
}

/* The low-efficiency kinds of a parcel (low_efficiency.h) from its facts and its holder's year. */
static uint32
parcel_kinds(const EvalParcel *p, const HolderEval *h, const RuleSet *rs, const RulePool *rp,
			 const ParcelTax *pt, const History *hist)
{
	KindFacts	kf = {0};

	kf.has_tax_per_mu = pt->has_tax_per_mu;
	kf.tax_per_mu = pt->tax_per_mu;
	kf.has_low_tax_per_mu = rp && rp->has_low_tax;
	kf.low_tax_per_mu = rp ? rp->low_tax : 0;
	/* 桐庐: under the line this year (the candidates) and both years before; undecided is not met */
	if (pt->parcel_candidate)
		kf.persistent_low = pt->parcel_known == 3 &&
			pt->parcel_tax[0] < rs->persistent_line && pt->parcel_tax[1] < rs->persistent_line;
	else
		kf.persistent_low = pt->history >= 0 && hist->known[pt->history] == 3 &&
			hist->tax[2 * pt->history] < rs->persistent_line &&
			hist->tax[2 * pt->history + 1] < rs->persistent_line;
	kf.grade_d = h->year.grade == 3;
	kf.land_status = p->land_status;
	kf.has_supply_date = (p->flags & PARCEL_HAS_SUPPLY) != 0;
	kf.supply_date = p->supply_date;
	kf.has_actual_industrial = (p->flags & PARCEL_HAS_ACTUAL) != 0;
	kf.actual_industrial = (p->flags & PARCEL_ACTUAL_INDUSTRIAL) != 0;
	kf.has_non_industrial_since = rs != NULL;
	kf.non_industrial_since = rs ? rs->non_industrial_since : 0;
	kf.prohibited_industry = h->year.prohibited_industry;
	kf.scattered_polluting = h->year.scattered_polluting;
	kf.collective_unlicensed = (p->flags & PARCEL_COLLECTIVE_UNLICENSED) != 0;
	return low_efficiency_kind_mask(&kf);
}

/* What decides the batch (四个一批) of a low-efficiency parcel. */
static BatchFacts
parcel_batch_facts(const EvalParcel *p, const HolderEval *h, const RuleSet *rs)
{
	BatchFacts	bf;

	bf.backward_capacity = h->year.backward_capacity;
	/* 问题清单: an overdue open issue of a department the rule set names */
	bf.fails_acceptance = (p->flags & PARCEL_FAILS_ACCEPTANCE) != 0 ||
		(rs && (p->overdue_departments & rs->shutdown_departments) != 0);
	bf.plan_conforming = (p->flags & PARCEL_PLAN_CONFORMING) != 0;
	bf.planned_industrial = (p->flags & PARCEL_PLANNED_INDUSTRIAL) != 0;
	bf.buildings_poor = (p->flags & PARCEL_BUILDINGS_POOR) != 0;
	bf.scattered_polluting_batch = rs ? rs->scattered_polluting_batch : -1;
	bf.collective_industrial_batch = rs ? rs->collective_industrial_batch : -1;
	return bf;
}

/* The facts of every parcel whose register row may change, for the three statements. */
static void
collect_facts(EvalRun *run, const bool *evaluated_region, const ParcelTax *pt, const History *hist, Facts *facts)
{
	for (int32 i = 0; i < run->n_parcels; i++)
	{
		EvalParcel *p = &run->parcels[i];
		const RuleSet *rs;
		const RulePool *rp;
		HolderEval	h;
		BatchFacts	bf;
		uint32		kinds;
		int8		clears;
		char		action;

		if (!evaluated_region[p->region])
			continue;
		h = parcel_holder(run, p, &rs, &rp);
		kinds = parcel_kinds(p, &h, rs, rp, &pt[i], hist);
		bf = parcel_batch_facts(p, &h, rs);
		/* thresholds cleared: known only where the holder was evaluated */
		clears = !h.year.evaluated ? -1 : (kinds & ((1 << LOW_PER_MU) | (1 << GRADE_D))) == 0;
		action = register_action(run, p->register_row >= 0 ? &run->register_rows[p->register_row] : NULL,
								 kinds, clears);
		if (action)
			facts_put(run, facts, p, kinds, four_batch_of(kinds, &bf), clears,
					  pt[i].has_tax_per_mu, pt[i].tax_per_mu, h.year.grade, action);
	}
}

void
eval_sync_register(EvalRun *run)
{
	bool	   *evaluated_region = evaluated_regions(run);
	/* zeroed: parcels of regions the run does not follow are no 桐庐 candidates */
	ParcelTax  *pt = big_alloc(CurrentMemoryContext, sizeof(ParcelTax) * Max(run->n_parcels, 1), true);
	History		hist = {0};
	Facts		facts;

	hist.by_uscc = code_map_create(CurrentMemoryContext, 1024, (void *const *) &hist.uscc, sizeof(CodeKey), 0);
	tax_parcels(run, evaluated_region, pt, &hist);
	load_history(run, &hist);
	load_parcel_history(run, pt);

	facts_begin(run, &facts);
	collect_facts(run, evaluated_region, pt, &hist, &facts);
	write_facts(run, &facts);
	if (run->register_entered > 0)
		ereport(NOTICE,
				(errmsg("evaluate: " INT64_FORMAT " parcel(s) entered the register as candidates",
						run->register_entered)));
}
