/*
 * eval_input.c — what a run reads: each table once, in one streamed query,
 * joined in C on packed codes.
 *
 *   firms      enterprise rows of the prefix
 *   figures    their enterprise_year row of the year (a firm without one is not evaluated)
 *   leases     leases in force during the year: leased in, and per parcel
 *   register   every register row, to compare with
 *   parcels    parcels of the prefix (for the register) and parcels its firms
 *              hold anywhere (for net land); leased out and lessees per holder
 *   outside    firms beyond the prefix that hold or lease its parcels: their
 *              stored evaluation and figures of the year
 */
#include "postgres.h"

#include <sys/mman.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "dd_state.h"
#include "error.h"
#include "eval_engine.h"
#include "low_efficiency.h"
#include "spi_rows.h"

#define HUGE_PAGE_SIZE ((Size) 2 * 1024 * 1024)

/*
 * Asks for 2 MB pages over a big array where the kernel grants them on
 * request (transparent huge pages in madvise mode): far fewer page faults
 * while it fills, and a TLB that covers it when lookups jump around it.
 */
static void
advise_huge_pages(void *array, Size size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t	start = TYPEALIGN(HUGE_PAGE_SIZE, (uintptr_t) array);
	uintptr_t	end = TYPEALIGN_DOWN(HUGE_PAGE_SIZE, (uintptr_t) array + size);

	if (end > start)
		(void) madvise((void *) start, end - start, MADV_HUGEPAGE);	/* a hint: refused, nothing lost */
#endif
}

void *
eval_grow(EvalRun *run, void *array, int32 n, int32 *max, Size elem)
{
	if (n < *max && array != NULL)
		return array;
	*max = Max(Max(64, *max), n * 2);
	array = array == NULL ? MemoryContextAllocHuge(run->cxt, elem * *max) : repalloc_huge(array, elem * *max);
	advise_huge_pages(array, elem * *max);
	return array;
}

/*
 * The planner's row counts of the big tables, to size arrays and maps once:
 * growing them by doubling would copy and rehash everything several times.
 * (Pages of an array a small region does not fill are never touched.)
 */
typedef struct SizeHints
{
	int32		firms;
	int32		parcels;
	int32		register_rows;
}			SizeHints;

static void
read_hints(void *arg, Datum *v, bool *isnull)
{
	SizeHints  *hints = arg;
	int32	   *field[3] = {&hints->firms, &hints->parcels, &hints->register_rows};

	for (int i = 0; i < 3; i++)
		*field[i] = isnull[i] ? 1024 : (int32) Min(Max(DatumGetFloat4(v[i]), 1024), 1e8);
}

static SizeHints
size_hints(void)
{
	SizeHints	hints = {1024, 1024, 1024};

	spi_each_row("SELECT (SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid = 'parcel_gov.enterprise'::pg_catalog.regclass), "
				 "(SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid = 'parcel_gov.parcel'::pg_catalog.regclass), "
				 "(SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid = 'parcel_gov.register'::pg_catalog.regclass)",
				 0, NULL, NULL, NULL, read_hints, NULL, &hints);
	return hints;
}

static char *
text_or_null(EvalRun *run, Datum d, bool isnull)
{
	return isnull ? NULL : MemoryContextStrdup(run->cxt, TextDatumGetCString(d));
}

/* Rows kept for a batched lookup (code_key.h), with the keys in a row. */
typedef struct FirmBatch
{
	EvalRun    *run;
	int			n;
	CodeKey		key[CODE_BATCH];
}			FirmBatch;

static void
index_firms(void *arg)
{
	FirmBatch  *batch = arg;

	code_map_put_batch(batch->run->firm_by_uscc, batch->key, batch->n, batch->run->n_firms - batch->n);
	batch->n = 0;
}

/* enterprise: uscc, region_code, industry_code */
static void
add_firm(void *arg, Datum *v, bool *isnull)
{
	FirmBatch  *batch = arg;
	EvalRun    *run = batch->run;
	EvalFirm   *firm;
	CodeKey		region = code_key_of(v[1], "region code");

	run->firms = eval_grow(run, run->firms, run->n_firms, &run->max_firms, sizeof(EvalFirm));
	firm = &run->firms[run->n_firms++];
	memset(firm, 0, sizeof(EvalFirm));
	firm->uscc = code_key_of(v[0], "USCC");
	firm->region = code_map_get(run->regions, &region);
	if (!isnull[2])
	{
		text	   *code = DatumGetTextPP(v[2]);
		int			len = VARSIZE_ANY_EXHDR(code);

		if (len > INDUSTRY_CODE_MAX)
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"An industry code is a GB/T 4754 section letter and up to four digits, as enterprise's check requires.",
						"evaluate: industry code \"%.*s\" is longer than %d characters", Min(len, 40),
						VARDATA_ANY(code), INDUSTRY_CODE_MAX);
		memcpy(firm->industry_code, VARDATA_ANY(code), len);
	}
	firm->pool = -1;
	firm->group = NO_GROUP;
	firm->grade_initial = firm->grade = -1;
	batch->key[batch->n++] = firm->uscc;
	if (batch->n == CODE_BATCH)
		index_firms(batch);
}

/* enterprise_year rows waiting for their firms */
typedef struct FiguresBatch
{
	EvalRun    *run;
	int			n;
	CodeKey		key[CODE_BATCH];
	FirmFigures row[CODE_BATCH];
}			FiguresBatch;

static void
attach_figures(void *arg)
{
	FiguresBatch *batch = arg;
	EvalRun    *run = batch->run;
	int32		found[CODE_BATCH];

	code_map_get_batch(run->firm_by_uscc, batch->key, batch->n, found);
	for (int j = 0; j < batch->n; j++)
		if (found[j] >= 0)		/* else a firm outside the prefix */
		{
			run->firms[found[j]].evaluated = true;
			run->firms[found[j]].fig = batch->row[j];
		}
	batch->n = 0;
}

/* enterprise_year: uscc, below, eight figures, exempt, veto, bonus, deduction, backward, prohibited */
static void
add_figures(void *arg, Datum *v, bool *isnull)
{
	FiguresBatch *batch = arg;
	EvalRun    *run = batch->run;
	FirmFigures *f = &batch->row[batch->n];

	batch->key[batch->n] = code_key_of(v[0], "USCC");
	f->size_class = DatumGetBool(v[1]) ? 1 : 0;
	f->present = 0;
	for (int k = 0; k < N_FIGURES; k++)
	{
		f->present |= isnull[2 + k] ? 0 : 1 << k;
		f->figure[k] = isnull[2 + k] ? 0 : DatumGetFloat8(v[2 + k]);
	}
	f->exempt_reason = text_or_null(run, v[10], isnull[10]);
	f->veto_reason = text_or_null(run, v[11], isnull[11]);
	f->bonus = DatumGetFloat8(v[12]);
	f->deduction = DatumGetFloat8(v[13]);
	f->backward_capacity = DatumGetBool(v[14]);
	f->prohibited_industry = DatumGetBool(v[15]);
	if (++batch->n == CODE_BATCH)
		attach_figures(batch);
}

/* lease: parcel_code, lessee_uscc, area_mu */
static void
add_lease(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	int32		i = run->n_leases;
	EvalLease  *lease;
	int32		first;

	run->leases = eval_grow(run, run->leases, i, &run->max_leases, sizeof(EvalLease));
	lease = &run->leases[i];
	lease->parcel = code_key_of(v[0], "parcel code");
	lease->lessee = code_key_of(v[1], "USCC");
	lease->area = DatumGetFloat8(v[2]);
	lease->lessee_firm = code_map_get(run->firm_by_uscc, &lease->lessee);
	if (lease->lessee_firm >= 0)
		dd_add(run->firms[lease->lessee_firm].leased_in, lease->area);
	/* chain the parcel's leases: the map keeps the first, each lease the next */
	first = code_map_put(run->lease_by_parcel, &lease->parcel, i);
	lease->next = -1;
	if (first != i)
	{
		int32		last = first;

		while (run->leases[last].next >= 0)
			last = run->leases[last].next;
		run->leases[last].next = i;
	}
	run->n_leases++;
}

/* The kinds of a stored register row as a mask, and whether the array is in
 * the canonical form (kind order, no duplicates, no NULLs) the engine writes. */
static uint32
stored_kinds(EvalRun *run, Datum array, bool *canonical)
{
	ArrayType  *a = DatumGetArrayTypeP(array);
	Datum	   *kind;
	bool	   *isnull;
	int			n;
	uint32		mask = 0;
	int			last = -1;

	deconstruct_array(a, run->kind_type, sizeof(Oid), true, TYPALIGN_INT, &kind, &isnull, &n);
	*canonical = ARR_NDIM(a) <= 1;
	for (int i = 0; i < n; i++)
	{
		int			k = -1;

		for (int j = 0; !isnull[i] && j < N_KINDS; j++)
			if (run->kind_oid[j] == DatumGetObjectId(kind[i]))
				k = j;
		if (k <= last)
			*canonical = false;
		if (k >= 0)
			mask |= 1 << k;
		last = Max(last, k);
	}
	return mask;
}

/* register: parcel_code, inactive, assessing, in_treatment, kinds, evaluated_year, clears */
static void
add_register_row(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	int32		i = run->n_register_rows;
	RegisterRow *row;

	run->register_rows = eval_grow(run, run->register_rows, i, &run->max_register_rows, sizeof(RegisterRow));
	row = &run->register_rows[i];
	row->code = code_key_of(v[0], "parcel code");
	row->active = !DatumGetBool(v[1]);
	row->assessing = DatumGetBool(v[2]);
	row->in_treatment = DatumGetBool(v[3]);
	row->kinds = stored_kinds(run, v[4], &row->canonical_kinds);
	row->has_evaluated_year = !isnull[5];
	row->evaluated_year = isnull[5] ? 0 : DatumGetInt32(v[5]);
	row->clears = isnull[6] ? -1 : DatumGetBool(v[6]);
	code_map_put(run->register_by_parcel, &row->code, i);
	run->n_register_rows++;
}

/* A lessee of one holder's land, to count each holder's distinct lessees. */
typedef struct HolderLessee
{
	int32		holder;
	CodeKey		lessee;
}			HolderLessee;

static int32
outside_firm(EvalRun *run, const CodeKey *uscc)
{
	int32		i = code_map_get(run->outside_by_uscc, uscc);

	if (i < 0)
	{
		i = run->n_outside++;
		run->outside = eval_grow(run, run->outside, i, &run->max_outside, sizeof(OutsideFirm));
		memset(&run->outside[i], 0, sizeof(OutsideFirm));
		run->outside[i].uscc = *uscc;
		run->outside[i].year.grade = -1;
		code_map_put(run->outside_by_uscc, uscc, i);
	}
	return i;
}

/* A parcel row waiting for its holder and register row. */
typedef struct ParcelRow
{
	CodeKey		region;
	float8		area;
	DateADT		supply_date;
	bool		has_holder;
	bool		in_prefix;
	int8		land_status;
	uint8		flags;
}			ParcelRow;

typedef struct ParcelScan
{
	EvalRun    *run;
	int32		n_pairs;
	int32		max_pairs;
	HolderLessee *pairs;
	int			n;
	CodeKey		code[CODE_BATCH];
	CodeKey		holder[CODE_BATCH];
	ParcelRow	row[CODE_BATCH];
}			ParcelScan;

/* The parcel's facts the register needs. */
static void
keep_parcel(EvalRun *run, const CodeKey *code, const ParcelRow *r, int32 holder, const CodeKey *holder_uscc,
			int32 first_lease, int32 register_row)
{
	int32		i = run->n_parcels;
	EvalParcel *p;

	run->parcels = eval_grow(run, run->parcels, i, &run->max_parcels, sizeof(EvalParcel));
	p = &run->parcels[i];
	p->code = *code;
	p->area = r->area;
	p->region = code_map_get(run->regions, &r->region);
	p->holder = holder;
	p->outside_holder = (r->has_holder && holder < 0) ? outside_firm(run, holder_uscc) : -1;
	p->register_row = register_row;
	p->first_lease = first_lease;
	p->supply_date = r->supply_date;
	p->land_status = r->land_status;
	p->flags = r->flags;
	for (int32 l = first_lease; l >= 0; l = run->leases[l].next)
		if (run->leases[l].lessee_firm < 0)
			outside_firm(run, &run->leases[l].lessee);
	if (!r->has_holder)
		run->parcels_without_holder++;
	run->n_parcels++;
}

/* Net land of the holders, and the parcels of the prefix kept. */
static void
place_parcels(void *arg)
{
	ParcelScan *scan = arg;
	EvalRun    *run = scan->run;
	int32		holder[CODE_BATCH];
	int32		register_row[CODE_BATCH];

	code_map_get_batch(run->firm_by_uscc, scan->holder, scan->n, holder);
	code_map_get_batch(run->register_by_parcel, scan->code, scan->n, register_row);
	for (int j = 0; j < scan->n; j++)
	{
		ParcelRow  *r = &scan->row[j];
		int32		first_lease = run->n_leases ? code_map_get(run->lease_by_parcel, &scan->code[j]) : -1;

		if (!r->has_holder)
			holder[j] = -1;
		if (holder[j] >= 0)
		{
			EvalFirm   *firm = &run->firms[holder[j]];

			dd_add(firm->held, r->area);
			if ((r->flags & PARCEL_HAS_SUPPLY) && (!firm->has_first_supply || r->supply_date < firm->first_supply))
			{
				firm->has_first_supply = true;
				firm->first_supply = r->supply_date;
			}
			for (int32 l = first_lease; l >= 0; l = run->leases[l].next)
			{
				dd_add(firm->leased_out, run->leases[l].area);
				scan->pairs = eval_grow(run, scan->pairs, scan->n_pairs, &scan->max_pairs, sizeof(HolderLessee));
				scan->pairs[scan->n_pairs].holder = holder[j];
				scan->pairs[scan->n_pairs++].lessee = run->leases[l].lessee;
			}
		}
		if (r->in_prefix)
			keep_parcel(run, &scan->code[j], r, holder[j], &scan->holder[j], first_lease, register_row[j]);
	}
	scan->n = 0;
}

/*
 * parcel: code, region_code, holder_uscc, area_mu, supply_date, land_status,
 * actual_industrial, plan_conforming, planned_industrial, building_condition,
 * fails_acceptance, in_prefix
 */
static void
add_parcel(void *arg, Datum *v, bool *isnull)
{
	ParcelScan *scan = arg;
	ParcelRow  *r = &scan->row[scan->n];

	scan->code[scan->n] = code_key_of(v[0], "parcel code");
	r->region = code_key_of(v[1], "region code");
	r->has_holder = !isnull[2];
	if (r->has_holder)
		scan->holder[scan->n] = code_key_of(v[2], "USCC");
	else
		memset(&scan->holder[scan->n], 0, sizeof(CodeKey));
	r->area = DatumGetFloat8(v[3]);
	r->supply_date = isnull[4] ? 0 : DatumGetDateADT(v[4]);
	r->land_status = land_status_kind(DatumGetTextPP(v[5]));
	r->flags = (isnull[2] ? 0 : PARCEL_HAS_HOLDER)
		| (isnull[4] ? 0 : PARCEL_HAS_SUPPLY)
		| (isnull[6] ? 0 : PARCEL_HAS_ACTUAL)
		| (!isnull[6] && DatumGetBool(v[6]) ? PARCEL_ACTUAL_INDUSTRIAL : 0)
		| (isnull[7] || DatumGetBool(v[7]) ? PARCEL_PLAN_CONFORMING : 0)
		| (isnull[8] || DatumGetBool(v[8]) ? PARCEL_PLANNED_INDUSTRIAL : 0)
		| (DatumGetBool(v[10]) ? PARCEL_FAILS_ACCEPTANCE : 0)
		| (!isnull[9] && building_condition_poor(DatumGetTextPP(v[9])) ? PARCEL_BUILDINGS_POOR : 0);
	r->in_prefix = DatumGetBool(v[11]);
	if (++scan->n == CODE_BATCH)
		place_parcels(scan);
}

static int
by_holder_and_lessee(const void *a, const void *b)
{
	const HolderLessee *x = a;
	const HolderLessee *y = b;

	if (x->holder != y->holder)
		return x->holder < y->holder ? -1 : 1;
	return code_key_cmp(&x->lessee, &y->lessee);
}

/* count(DISTINCT lessee) per holder */
static void
count_lessees(EvalRun *run, ParcelScan *scan)
{
	qsort(scan->pairs, scan->n_pairs, sizeof(HolderLessee), by_holder_and_lessee);
	for (int32 i = 0; i < scan->n_pairs; i++)
		if (i == 0 || by_holder_and_lessee(&scan->pairs[i - 1], &scan->pairs[i]) != 0)
			run->firms[scan->pairs[i].holder].lessees++;
}

/* evaluation ⟕ enterprise_year of the year for the outside firms:
 * uscc, evaluated, tax_per_mu, area_mu, grade, below, rule_set_id, backward, prohibited */
static void
add_outside(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	CodeKey		uscc = code_key_of(v[0], "USCC");
	OutsideFirm *o = &run->outside[code_map_get(run->outside_by_uscc, &uscc)];
	YearFacts  *f = &o->year;

	f->evaluated = DatumGetBool(v[1]);
	f->has_tax_per_mu = !isnull[2];
	f->tax_per_mu = isnull[2] ? 0 : DatumGetFloat8(v[2]);
	f->area = isnull[3] ? 0 : DatumGetFloat8(v[3]);
	for (int g = 0; !isnull[4] && g < 4; g++)
		if (run->grade_oid[g] == DatumGetObjectId(v[4]))
			f->grade = g;
	f->size_class = !isnull[5] && DatumGetBool(v[5]) ? 1 : 0;
	o->rule_set_id = text_or_null(run, v[6], isnull[6]);
	f->backward_capacity = !isnull[7] && DatumGetBool(v[7]);
	f->prohibited_industry = !isnull[8] && DatumGetBool(v[8]);
}

static void
load_outside_firms(EvalRun *run)
{
	Datum	   *codes;
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2];

	if (run->n_outside == 0)
		return;
	codes = palloc(sizeof(Datum) * run->n_outside);
	for (int32 i = 0; i < run->n_outside; i++)
		codes[i] = code_key_text(&run->outside[i].uscc);
	values[0] = Int32GetDatum(run->year);
	values[1] = PointerGetDatum(construct_array(codes, run->n_outside, TEXTOID, -1, false, TYPALIGN_INT));
	spi_each_row("SELECT u.uscc, e.uscc IS NOT NULL, e.tax_per_mu, e.area_mu, e.grade, e.pool = 'below', "
				 "e.rule_set_id, f.backward_capacity, f.prohibited_industry "
				 "FROM unnest($2) AS u(uscc) "
				 "LEFT JOIN parcel_gov.evaluation e ON e.year = $1 AND e.uscc = u.uscc "
				 "LEFT JOIN parcel_gov.enterprise_year f ON f.year = $1 AND f.uscc = u.uscc",
				 2, types, values, NULL, add_outside, NULL, run);
}

void
eval_load_inputs(EvalRun *run)
{
	Oid			types[1] = {INT4OID};
	Datum		year[1] = {Int32GetDatum(run->year)};
	Oid			prefix_type[1] = {TEXTOID};
	Datum		prefix[1] = {CStringGetTextDatum(run->prefix)};
	ParcelScan *scan = palloc0(sizeof(ParcelScan));
	FirmBatch  *firms = palloc0(sizeof(FirmBatch));
	FiguresBatch *figures = palloc0(sizeof(FiguresBatch));
	SizeHints	hints = size_hints();

	firms->run = figures->run = scan->run = run;

	run->firms = eval_grow(run, NULL, hints.firms / 2, &run->max_firms, sizeof(EvalFirm));
	run->firm_by_uscc = code_map_create(run->cxt, hints.firms, (void *const *) &run->firms, sizeof(EvalFirm),
										offsetof(EvalFirm, uscc));
	spi_each_row("SELECT e.uscc, e.region_code, e.industry_code FROM parcel_gov.enterprise e "
				 "WHERE starts_with(e.region_code, $1)", 1, prefix_type, prefix, NULL, add_firm, index_firms, firms);
	spi_each_row("SELECT f.uscc, f.size_class = 'below', f.tax, f.value_added, f.revenue, f.rd_expense, "
				 "f.staff, f.energy_tce, f.emission_t, f.electricity_kwh, f.exempt_reason, f.veto_reason, "
				 "f.bonus, f.deduction, f.backward_capacity, f.prohibited_industry "
				 "FROM parcel_gov.enterprise_year f WHERE f.year = $1", 1, types, year, NULL, add_figures,
				 attach_figures, figures);

	run->lease_by_parcel = code_map_create(run->cxt, 1024, (void *const *) &run->leases, sizeof(EvalLease),
										   offsetof(EvalLease, parcel));
	spi_each_row("SELECT l.parcel_code, l.lessee_uscc, l.area_mu FROM parcel_gov.lease l "
				 "WHERE l.during && daterange(make_date($1, 1, 1), make_date($1 + 1, 1, 1))",
				 1, types, year, NULL, add_lease, NULL, run);

	run->register_by_parcel = code_map_create(run->cxt, hints.register_rows, (void *const *) &run->register_rows,
											  sizeof(RegisterRow), offsetof(RegisterRow, code));
	spi_each_row("SELECT r.parcel_code, r.state IN ('exited', 'rejected'), r.state = 'assessing', "
				 "r.state = 'in_treatment', r.kinds, r.evaluated_year, r.clears_thresholds "
				 "FROM parcel_gov.register r", 0, NULL, NULL, NULL, add_register_row, NULL, run);

	run->outside_by_uscc = code_map_create(run->cxt, 64, (void *const *) &run->outside, sizeof(OutsideFirm),
										   offsetof(OutsideFirm, uscc));
	run->parcels = eval_grow(run, NULL, hints.parcels / 2, &run->max_parcels, sizeof(EvalParcel));
	spi_each_row("SELECT p.code, p.region_code, p.holder_uscc, p.area_mu, p.supply_date, p.land_status, "
				 "p.actual_industrial, p.plan_conforming, p.planned_industrial, p.building_condition, "
				 "p.fails_acceptance, starts_with(p.region_code, $1) "
				 "FROM parcel_gov.parcel p WHERE starts_with(p.region_code, $1) "
				 "OR p.holder_uscc IN (SELECT e.uscc FROM parcel_gov.enterprise e WHERE starts_with(e.region_code, $1))",
				 1, prefix_type, prefix, NULL, add_parcel, place_parcels, scan);
	count_lessees(run, scan);
	load_outside_firms(run);
}
