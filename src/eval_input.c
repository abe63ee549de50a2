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

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "dd_state.h"
#include "eval_engine.h"
#include "low_efficiency.h"
#include "spi_rows.h"

void *
eval_grow(EvalRun *run, void *array, int32 n, int32 *max, Size elem)
{
	if (n < *max && array != NULL)
		return array;
	*max = Max(Max(64, *max), n * 2);
	if (array == NULL)
		return MemoryContextAllocHuge(run->cxt, elem * *max);
	return repalloc_huge(array, elem * *max);
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
				 0, NULL, NULL, NULL, read_hints, &hints);
	return hints;
}

static char *
text_or_null(EvalRun *run, Datum d, bool isnull)
{
	return isnull ? NULL : MemoryContextStrdup(run->cxt, TextDatumGetCString(d));
}

/* enterprise: uscc, region_code, industry_code */
static void
add_firm(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	EvalFirm   *firm;
	int32		i = run->n_firms;

	run->firms = eval_grow(run, run->firms, i, &run->max_firms, sizeof(EvalFirm));
	firm = &run->firms[i];
	memset(firm, 0, sizeof(EvalFirm));
	firm->uscc = code_key_of(v[0], "USCC");
	{
		CodeKey		region = code_key_of(v[1], "region code");

		firm->region = code_map_get(run->regions, &region);
	}
	firm->industry_code = text_or_null(run, v[2], isnull[2]);
	firm->pool = -1;
	firm->group = NO_GROUP;
	firm->grade_initial = firm->grade = -1;
	code_map_put(run->firm_by_uscc, &firm->uscc, i);
	run->n_firms++;
}

/* enterprise_year: uscc, below, eight figures, exempt, veto, bonus, deduction, backward, prohibited */
static void
add_figures(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	CodeKey		uscc = code_key_of(v[0], "USCC");
	int32		i = code_map_get(run->firm_by_uscc, &uscc);
	EvalFirm   *firm;

	if (i < 0)
		return;					/* a firm outside the prefix */
	firm = &run->firms[i];
	firm->evaluated = true;
	firm->size_class = DatumGetBool(v[1]) ? 1 : 0;
	for (int k = 0; k < N_FIGURES; k++)
		if (!isnull[2 + k])
		{
			firm->present |= 1 << k;
			firm->figure[k] = DatumGetFloat8(v[2 + k]);
		}
	firm->exempt_reason = text_or_null(run, v[10], isnull[10]);
	firm->veto_reason = text_or_null(run, v[11], isnull[11]);
	firm->bonus = DatumGetFloat8(v[12]);
	firm->deduction = DatumGetFloat8(v[13]);
	firm->backward_capacity = DatumGetBool(v[14]);
	firm->prohibited_industry = DatumGetBool(v[15]);
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

typedef struct ParcelScan
{
	EvalRun    *run;
	int32		n_pairs;
	int32		max_pairs;
	HolderLessee *pairs;
}			ParcelScan;

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
		run->outside[i].grade = -1;
		code_map_put(run->outside_by_uscc, uscc, i);
	}
	return i;
}

/* The parcel's facts the register needs. */
static void
keep_parcel(EvalRun *run, const CodeKey *code, int32 holder, const CodeKey *holder_uscc,
			int32 first_lease, Datum *v, bool *isnull)
{
	int32		i = run->n_parcels;
	EvalParcel *p;
	CodeKey		region = code_key_of(v[1], "region code");

	run->parcels = eval_grow(run, run->parcels, i, &run->max_parcels, sizeof(EvalParcel));
	p = &run->parcels[i];
	p->code = *code;
	p->area = DatumGetFloat8(v[3]);
	p->region = code_map_get(run->regions, &region);
	p->holder = holder;
	p->outside_holder = (!isnull[2] && holder < 0) ? outside_firm(run, holder_uscc) : -1;
	p->register_row = code_map_get(run->register_by_parcel, code);
	p->first_lease = first_lease;
	p->supply_date = isnull[4] ? 0 : DatumGetDateADT(v[4]);
	p->land_status = land_status_kind(DatumGetTextPP(v[5]));
	p->flags = (isnull[2] ? 0 : PARCEL_HAS_HOLDER)
		| (isnull[4] ? 0 : PARCEL_HAS_SUPPLY)
		| (isnull[6] ? 0 : PARCEL_HAS_ACTUAL)
		| (!isnull[6] && DatumGetBool(v[6]) ? PARCEL_ACTUAL_INDUSTRIAL : 0)
		| (isnull[7] || DatumGetBool(v[7]) ? PARCEL_PLAN_CONFORMING : 0)
		| (isnull[8] || DatumGetBool(v[8]) ? PARCEL_PLANNED_INDUSTRIAL : 0)
		| (DatumGetBool(v[10]) ? PARCEL_FAILS_ACCEPTANCE : 0)
		| (!isnull[9] && building_condition_poor(DatumGetTextPP(v[9])) ? PARCEL_BUILDINGS_POOR : 0);
	for (int32 l = first_lease; l >= 0; l = run->leases[l].next)
		if (run->leases[l].lessee_firm < 0)
			outside_firm(run, &run->leases[l].lessee);
	if (isnull[2])
		run->parcels_without_holder++;
	run->n_parcels++;
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
	EvalRun    *run = scan->run;
	CodeKey		code = code_key_of(v[0], "parcel code");
	CodeKey		holder_uscc = {{0}};
	int32		holder = -1;
	int32		first_lease = run->n_leases ? code_map_get(run->lease_by_parcel, &code) : -1;

	if (!isnull[2])
	{
		holder_uscc = code_key_of(v[2], "USCC");
		holder = code_map_get(run->firm_by_uscc, &holder_uscc);
	}
	if (holder >= 0)
	{
		EvalFirm   *firm = &run->firms[holder];
		DateADT		supplied = isnull[4] ? 0 : DatumGetDateADT(v[4]);

		dd_add(firm->held, DatumGetFloat8(v[3]));
		if (!isnull[4] && (!firm->has_first_supply || supplied < firm->first_supply))
		{
			firm->has_first_supply = true;
			firm->first_supply = supplied;
		}
		for (int32 l = first_lease; l >= 0; l = run->leases[l].next)
		{
			dd_add(firm->leased_out, run->leases[l].area);
			scan->pairs = eval_grow(run, scan->pairs, scan->n_pairs, &scan->max_pairs, sizeof(HolderLessee));
			scan->pairs[scan->n_pairs].holder = holder;
			scan->pairs[scan->n_pairs++].lessee = run->leases[l].lessee;
		}
	}
	if (DatumGetBool(v[11]))
		keep_parcel(run, &code, holder, &holder_uscc, first_lease, v, isnull);
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
	OutsideFirm *f = &run->outside[code_map_get(run->outside_by_uscc, &uscc)];

	f->evaluated = DatumGetBool(v[1]);
	f->has_tax_per_mu = !isnull[2];
	f->tax_per_mu = isnull[2] ? 0 : DatumGetFloat8(v[2]);
	f->area = isnull[3] ? 0 : DatumGetFloat8(v[3]);
	for (int g = 0; !isnull[4] && g < 4; g++)
		if (run->grade_oid[g] == DatumGetObjectId(v[4]))
			f->grade = g;
	f->size_class = !isnull[5] && DatumGetBool(v[5]) ? 1 : 0;
	f->rule_set_id = text_or_null(run, v[6], isnull[6]);
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
				 2, types, values, NULL, add_outside, run);
}

void
eval_load_inputs(EvalRun *run)
{
	Oid			types[1] = {INT4OID};
	Datum		year[1] = {Int32GetDatum(run->year)};
	Oid			prefix_type[1] = {TEXTOID};
	Datum		prefix[1] = {CStringGetTextDatum(run->prefix)};
	ParcelScan	scan = {run, 0, 0, NULL};
	SizeHints	hints = size_hints();

	run->firms = eval_grow(run, NULL, hints.firms / 2, &run->max_firms, sizeof(EvalFirm));
	run->firm_by_uscc = code_map_create(run->cxt, hints.firms, (void *const *) &run->firms, sizeof(EvalFirm),
										offsetof(EvalFirm, uscc));
	spi_each_row("SELECT e.uscc, e.region_code, e.industry_code FROM parcel_gov.enterprise e "
				 "WHERE starts_with(e.region_code, $1)", 1, prefix_type, prefix, NULL, add_firm, run);
	spi_each_row("SELECT f.uscc, f.size_class = 'below', f.tax, f.value_added, f.revenue, f.rd_expense, "
				 "f.staff, f.energy_tce, f.emission_t, f.electricity_kwh, f.exempt_reason, f.veto_reason, "
				 "f.bonus, f.deduction, f.backward_capacity, f.prohibited_industry "
				 "FROM parcel_gov.enterprise_year f WHERE f.year = $1", 1, types, year, NULL, add_figures, run);

	run->lease_by_parcel = code_map_create(run->cxt, 1024, (void *const *) &run->leases, sizeof(EvalLease),
										   offsetof(EvalLease, parcel));
	spi_each_row("SELECT l.parcel_code, l.lessee_uscc, l.area_mu FROM parcel_gov.lease l "
				 "WHERE l.during && daterange(make_date($1, 1, 1), make_date($1 + 1, 1, 1))",
				 1, types, year, NULL, add_lease, run);

	run->register_by_parcel = code_map_create(run->cxt, hints.register_rows, (void *const *) &run->register_rows,
											  sizeof(RegisterRow), offsetof(RegisterRow, code));
	spi_each_row("SELECT r.parcel_code, r.state IN ('exited', 'rejected'), r.state = 'assessing', "
				 "r.state = 'in_treatment', r.kinds, r.evaluated_year, r.clears_thresholds "
				 "FROM parcel_gov.register r", 0, NULL, NULL, NULL, add_register_row, run);

	run->outside_by_uscc = code_map_create(run->cxt, 64, (void *const *) &run->outside, sizeof(OutsideFirm),
										   offsetof(OutsideFirm, uscc));
	run->parcels = eval_grow(run, NULL, hints.parcels / 2, &run->max_parcels, sizeof(EvalParcel));
	spi_each_row("SELECT p.code, p.region_code, p.holder_uscc, p.area_mu, p.supply_date, p.land_status, "
				 "p.actual_industrial, p.plan_conforming, p.planned_industrial, p.building_condition, "
				 "p.fails_acceptance, starts_with(p.region_code, $1) "
				 "FROM parcel_gov.parcel p WHERE starts_with(p.region_code, $1) "
				 "OR p.holder_uscc IN (SELECT e.uscc FROM parcel_gov.enterprise e WHERE starts_with(e.region_code, $1))",
				 1, prefix_type, prefix, NULL, add_parcel, &scan);
	count_lessees(run, &scan);
	load_outside_firms(run);
}
