/*
 * eval_input.c — what a run reads: each table once, in one streamed query,
 * joined in C on packed codes.
 *
 *   firms      enterprise rows of the prefix
 *   figures    their enterprise_year row of the year (a firm without one is not evaluated);
 *              for a quarter, their enterprise_period row of its last month (year to date)
 *   leases     leases in force during the year (for a quarter: the year to date): leased in, and per parcel
 *   register   every register row, to compare with
 *   parcels    parcels of the prefix (for the register) and parcels its firms
 *              hold anywhere (for net land); leased out and lessees per holder
 *   outside    firms beyond the prefix that hold or lease its parcels: their
 *              stored evaluation and figures of the year
 * A quarter's run leaves the register alone: it reads neither the register
 * nor the outside firms.
 *
 * The whole province's run (an empty prefix) reads enterprise, the year's
 * enterprise_year rows, register and parcel straight from sequential scans
 * (table_rows.h): each scan hands its row to the same function as the
 * query would, its computed columns (size class, state, park, overdue
 * issues) worked out in C.  A prefix's run, and any run where row-level
 * security applies, reads through the queries.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/regproc.h"

#include "big_alloc.h"
#include "dd_state.h"
#include "error.h"
#include "enum_oids.h"
#include "eval_engine.h"
#include "eval_figures.h"
#include "low_efficiency.h"
#include "spi_rows.h"
#include "table_rows.h"

void *
eval_grow(EvalRun *run, void *array, int32 n, int32 *max, Size elem)
{
	if (n < *max && array != NULL)
		return array;
	*max = Max(Max(64, *max), n * 2);
	return array == NULL ? big_alloc(run->cxt, elem * *max, false) : big_realloc(array, elem * *max);
}

/*
 * The planner's row counts of the big tables, to size arrays and maps once:
 * growing them by doubling would copy and rehash everything several times.
 * A prefix's run scales them by its share of the counties (maps are zeroed
 * when made: sized for the province, a county's run touched 60 MB); an
 * uneven county grows its arrays on demand.
 */
typedef struct SizeHints
{
	int32		firms;
	int32		parcels;
	int32		register_rows;
}			SizeHints;

/* pg_class.reltuples of each table, in one row */
enum
{
	HINT_COL_FIRMS, HINT_COL_PARCELS, HINT_COL_REGISTER_ROWS, HINT_COL_SHARE, N_HINT_COLS
};

static const char *const hint_cols[] = {
	[HINT_COL_FIRMS] = "(SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid = 'parcel_gov.enterprise'::pg_catalog.regclass)",
	[HINT_COL_PARCELS] = "(SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid = 'parcel_gov.parcel'::pg_catalog.regclass)",
	[HINT_COL_REGISTER_ROWS] = "(SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid = 'parcel_gov.register'::pg_catalog.regclass)",
	/* the prefix's ($1) share of the counties: 1 for the whole province */
	[HINT_COL_SHARE] = "(SELECT count(*) FILTER (WHERE starts_with(r.code, $1))::float8 / greatest(count(*), 1) "
	"FROM parcel_gov.region r WHERE length(r.code) = 6)",
};

SPI_SELECT(hint_query, hint_cols, N_HINT_COLS, NULL);

static void
read_hints(void *arg, Datum *v, bool *isnull)
{
	SizeHints  *hints = arg;
	int32	   *field[N_HINT_COLS] = {
		[HINT_COL_FIRMS] = &hints->firms,
		[HINT_COL_PARCELS] = &hints->parcels,
		[HINT_COL_REGISTER_ROWS] = &hints->register_rows,
	};

	float8		share = isnull[HINT_COL_SHARE] ? 1 : Min(DatumGetFloat8(v[HINT_COL_SHARE]), 1);

	for (int i = 0; i < HINT_COL_SHARE; i++)
		*field[i] = isnull[i] ? 1024 : (int32) Min(Max(DatumGetFloat4(v[i]) * share, 1024), 1e8);
}

static SizeHints
size_hints(Datum *prefix)
{
	SizeHints	hints = {1024, 1024, 1024};
	Oid			types[1] = {TEXTOID};

	spi_each_select(&hint_query, 1, types, prefix, NULL, read_hints, NULL, &hints);
	return hints;
}

static Oid
type_named(const char *name)
{
	return DatumGetObjectId(DirectFunctionCall1(regtypein, CStringGetDatum(name)));
}

char *
eval_text_or_null(EvalRun *run, Datum d, bool isnull)
{
	return isnull ? NULL : MemoryContextStrdup(run->cxt, TextDatumGetCString(d));
}

/* The region last looked up: rows come county by county, mostly. */
typedef struct RegionMemo
{
	bool		set;
	CodeKey		key;
	int32		index;
}			RegionMemo;

static int32
region_index(const EvalRun *run, RegionMemo *memo, const CodeKey *key)
{
	if (!memo->set || code_key_cmp(&memo->key, key) != 0)
	{
		memo->key = *key;
		memo->index = code_map_get(run->regions, key);
		memo->set = true;
	}
	return memo->index;
}

/* Rows kept for a batched lookup (code_key.h), with the keys in a row. */
typedef struct FirmBatch
{
	EvalRun    *run;
	RegionMemo	region;
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

/* enterprise: the firms of the prefix ($1) */
enum
{
	FIRM_COL_USCC, FIRM_COL_REGION, FIRM_COL_INDUSTRY, N_FIRM_COLS
};

static const char *const firm_cols[] = {
	[FIRM_COL_USCC] = "e.uscc",
	[FIRM_COL_REGION] = "e.region_code",
	[FIRM_COL_INDUSTRY] = "e.industry_code",
};

SPI_SELECT(firm_query, firm_cols, N_FIRM_COLS,
		   "FROM parcel_gov.enterprise e WHERE starts_with(e.region_code, $1)");

/* the same columns from a scan of the whole table */
static const char *const firm_table_cols[] = {
	[FIRM_COL_USCC] = "uscc",
	[FIRM_COL_REGION] = "region_code",
	[FIRM_COL_INDUSTRY] = "industry_code",
};

StaticAssertDecl(lengthof(firm_table_cols) == N_FIRM_COLS, "one column per column of firm_query");

static void
add_firm(void *arg, Datum *v, bool *isnull)
{
	FirmBatch  *batch = arg;
	EvalRun    *run = batch->run;
	EvalFirm   *firm;
	CodeKey		region = code_key_of(v[FIRM_COL_REGION], "region code");

	run->firms = eval_grow(run, run->firms, run->n_firms, &run->max_firms, sizeof(EvalFirm));
	firm = &run->firms[run->n_firms++];
	memset(firm, 0, sizeof(EvalFirm));
	firm->uscc = code_key_of(v[FIRM_COL_USCC], "USCC");
	firm->region = region_index(run, &batch->region, &region);
	if (!isnull[FIRM_COL_INDUSTRY])
	{
		text	   *code = DatumGetTextPP(v[FIRM_COL_INDUSTRY]);
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

/* lease: the leases in force during the year ($1) */
enum
{
	LEASE_COL_PARCEL, LEASE_COL_LESSEE, LEASE_COL_AREA, LEASE_COL_LESSEE_BELOW, LEASE_COL_IN_PARK,
	LEASE_COL_IN_YEAR, LEASE_COL_IN_PREV, LEASE_COL_IN_PREV2, N_LEASE_COLS
};

/*
 * In force in the year (through the month $2), in the year before, and in
 * the one before that: a yearly run reads the two years before too, for the
 * multi-year notice's candidates (a parcel leased out whole).
 */
#define LEASE_IN_YEAR "l.during && daterange(make_date($1, 1, 1), (make_date($1, $2, 1) + interval '1 month')::date)"
#define LEASE_IN_PREV "l.during && daterange(make_date($1 - 1, 1, 1), make_date($1, 1, 1))"
#define LEASE_IN_PREV2 "l.during && daterange(make_date($1 - 2, 1, 1), make_date($1 - 1, 1, 1))"

static const char *const lease_cols[] = {
	[LEASE_COL_PARCEL] = "l.parcel_code",
	[LEASE_COL_LESSEE] = "l.lessee_uscc",
	[LEASE_COL_AREA] = "l.area_mu",
	/* 温岭's rental deduction may count 规下 lessees only; no figures: not 规下 */
	[LEASE_COL_LESSEE_BELOW] = "coalesce((SELECT y.size_class = 'below' FROM parcel_gov.enterprise_year y "
	"WHERE y.uscc = l.lessee_uscc AND y.year = $1), false)",
	[LEASE_COL_IN_PARK] = "EXISTS (SELECT FROM parcel_gov.parcel p WHERE p.code = l.parcel_code AND p.park_id IS NOT NULL)",
	[LEASE_COL_IN_YEAR] = LEASE_IN_YEAR,
	[LEASE_COL_IN_PREV] = LEASE_IN_PREV,
	[LEASE_COL_IN_PREV2] = LEASE_IN_PREV2,
};

/*
 * The whole province's yearly run: the leases of the year and the two
 * before (those only for the multi-year notice's candidates, as a county's
 * run reads them), their lessees' size and parcels' parks worked out in C
 * (add_lease, place_parcel_rows) from the figures and parcels it reads
 * anyway: the subqueries cost two index probes a lease.  (A quarter's
 * figures are year to date: its lessees' size stays the year's, by the
 * subquery.)
 */
static const char *const lease_province_cols[] = {
	[LEASE_COL_PARCEL] = "l.parcel_code",
	[LEASE_COL_LESSEE] = "l.lessee_uscc",
	[LEASE_COL_AREA] = "l.area_mu",
	[LEASE_COL_LESSEE_BELOW] = "NULL::boolean",
	[LEASE_COL_IN_PARK] = "NULL::boolean",
	[LEASE_COL_IN_YEAR] = LEASE_IN_YEAR,
	[LEASE_COL_IN_PREV] = LEASE_IN_PREV,
	[LEASE_COL_IN_PREV2] = LEASE_IN_PREV2,
};

/* from January of year $3 (the year, or two before) through the month $2 of $1 (12: the whole year) */
#define LEASES_IN_FORCE "FROM parcel_gov.lease l WHERE l.during && daterange(make_date($3, 1, 1), " \
	"(make_date($1, $2, 1) + interval '1 month')::date)"
SPI_SELECT(lease_query, lease_province_cols, N_LEASE_COLS, LEASES_IN_FORCE);
SPI_SELECT(lease_quarter_query, lease_cols, N_LEASE_COLS, LEASES_IN_FORCE);

/*
 * A prefix's run: only the leases it uses, those whose lessee is one of its
 * firms ($3) and those of the parcels it read, each through an index (every
 * lease of the year cost two subqueries each), the keys joined from
 * unnest() as above.  The parcels by their codes as the register's rows
 * (register_county_query): the range of codes starting with the prefix ($6;
 * lease_code_prefix_idx where the database's collation is not "C"), which
 * also yields leases add_nearby_lease drops, and a probe for each parcel
 * read whose code does not start so ($4).  Fetched by their row ids in the
 * order of a scan, as before, so each parcel's leases sum in the same
 * order.  From January of year $5: the year, or (a yearly run) the two
 * years before as well, whose leases only name the multi-year notice's
 * leasing holders.
 */
SPI_SELECT(lease_county_query, lease_cols, N_LEASE_COLS,
		   "FROM parcel_gov.lease l WHERE l.during && daterange(make_date($5, 1, 1), "
		   "(make_date($1, $2, 1) + interval '1 month')::date) "
		   "AND l.ctid = ANY (ARRAY(SELECT b.ctid FROM unnest($3) AS k(uscc) JOIN parcel_gov.lease b ON b.lessee_uscc = k.uscc "
		   "UNION SELECT b.ctid FROM parcel_gov.lease b WHERE starts_with(b.parcel_code, $6) "
		   "UNION SELECT b.ctid FROM unnest($4) AS k(code) JOIN parcel_gov.lease b ON b.parcel_code = k.code)) "
		   "ORDER BY l.ctid");

/* The first year whose leases a run reads: two before the year for a yearly run's notice. */
static Datum
lease_window_start(const EvalRun *run)
{
	return Int32GetDatum(run->multi_year_known ? run->year - 2 : run->year);
}

static void
add_lease(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	int32		i = run->n_leases;
	EvalLease  *lease;
	int32		first;
	CodeKey		parcel = code_key_of(v[LEASE_COL_PARCEL], "parcel code");

	if (run->window_parcel_map)
		eval_note_window_lease(run, &parcel, DatumGetFloat8(v[LEASE_COL_AREA]), DatumGetBool(v[LEASE_COL_IN_PREV]),
							   DatumGetBool(v[LEASE_COL_IN_PREV2]));
	if (!DatumGetBool(v[LEASE_COL_IN_YEAR]))
		return;					/* of the two years before: the notice's alone */
	run->leases = eval_grow(run, run->leases, i, &run->max_leases, sizeof(EvalLease));
	lease = &run->leases[i];
	lease->parcel = parcel;
	lease->lessee = code_key_of(v[LEASE_COL_LESSEE], "USCC");
	lease->area = DatumGetFloat8(v[LEASE_COL_AREA]);
	lease->lessee_firm = code_map_get(run->firm_by_uscc, &lease->lessee);
	/* the province's run has every firm, with its figures of the year */
	if (isnull[LEASE_COL_LESSEE_BELOW])
		lease->lessee_below = lease->lessee_firm >= 0 && run->firms[lease->lessee_firm].evaluated &&
			run->firms[lease->lessee_firm].fig.size_class == 1;
	else
		lease->lessee_below = DatumGetBool(v[LEASE_COL_LESSEE_BELOW]);
	/* unknown until its parcel is read (place_parcel_rows) */
	lease->park_known = !isnull[LEASE_COL_IN_PARK];
	lease->in_park = lease->park_known && DatumGetBool(v[LEASE_COL_IN_PARK]);
	if (lease->lessee_firm >= 0)
	{
		dd_add(run->firms[lease->lessee_firm].leased_in, lease->area);
		run->firms[lease->lessee_firm].in_park |= lease->in_park;
	}
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

/* register: the rows of the prefix's parcels ($1), a semi-join the planner can drive from either side */
enum
{
	REG_COL_PARCEL, REG_COL_INACTIVE, REG_COL_ASSESSING, REG_COL_IN_TREATMENT, REG_COL_KINDS,
	REG_COL_EVALUATED_YEAR, REG_COL_CLEARS, N_REG_COLS
};

static const char *const register_cols[] = {
	[REG_COL_PARCEL] = "r.parcel_code",
	[REG_COL_INACTIVE] = "r.state IN ('exited', 'rejected')",
	[REG_COL_ASSESSING] = "r.state = 'assessing'",
	[REG_COL_IN_TREATMENT] = "r.state = 'in_treatment'",
	[REG_COL_KINDS] = "r.kinds",
	[REG_COL_EVALUATED_YEAR] = "r.evaluated_year",
	[REG_COL_CLEARS] = "r.clears_thresholds",
};

SPI_SELECT(register_query, register_cols, N_REG_COLS,
		   "FROM parcel_gov.register r WHERE r.parcel_code IN "
		   "(SELECT p.code FROM parcel_gov.parcel p WHERE starts_with(p.region_code, $1))");

/*
 * A prefix's run: the rows of the parcels of the prefix it read.  A 宗地代码
 * starts with the code of the county that issued it, most often the
 * parcel's county: one range of the key ($1, the prefix;
 * register_code_prefix_idx where the database's collation is not "C") rather
 * than a probe per parcel (11,110 probes, 11 ms of a county's 110 ms run),
 * and a probe for each of its parcels whose code does not start with the
 * prefix ($2).  The range also yields rows of other counties' parcels whose
 * codes start so: add_own_register_row drops them.
 */
SPI_SELECT(register_county_query, register_cols, N_REG_COLS,
		   "FROM (SELECT q.* FROM parcel_gov.register q WHERE starts_with(q.parcel_code, $1) "
		   "UNION ALL SELECT q.* FROM unnest($2) AS k(code) JOIN parcel_gov.register q ON q.parcel_code = k.code) AS r");

/*
 * Whether the register follows this run in some county: one whose firms
 * have figures of the year and no later year evaluated (register_sync.c,
 * skip_regions_evaluated_later).  When none does (a past year evaluated
 * again), the register rows and the outside firms go unread.
 */
static bool
register_followed(EvalRun *run)
{
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};
	bool		followed;
	bool		isnull;

	if (SPI_execute_with_args("SELECT EXISTS (SELECT FROM parcel_gov.enterprise e "
							  "JOIN parcel_gov.enterprise_year f ON f.uscc = e.uscc AND f.year = $1 "
							  "WHERE starts_with(e.region_code, $2) AND NOT EXISTS "
							  "(SELECT FROM parcel_gov.evaluation_summary l WHERE l.year > $1 AND l.region_code = e.region_code))",
							  2, types, values, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "parcel_gov: could not tell whether the register follows the run");
	followed = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return followed && !isnull;
}

static void add_register_row(void *arg, Datum *v, bool *isnull);

/* the register's columns as stored, for a scan of the whole table */
enum
{
	REG_TABLE_PARCEL, REG_TABLE_STATE, REG_TABLE_KINDS, REG_TABLE_EVALUATED_YEAR, REG_TABLE_CLEARS,
	N_REG_TABLE_COLS
};

static const char *const register_table_cols[] = {
	[REG_TABLE_PARCEL] = "parcel_code",
	[REG_TABLE_STATE] = "state",
	[REG_TABLE_KINDS] = "kinds",
	[REG_TABLE_EVALUATED_YEAR] = "evaluated_year",
	[REG_TABLE_CLEARS] = "clears_thresholds",
};

StaticAssertDecl(lengthof(register_table_cols) == N_REG_TABLE_COLS, "one name per column");

/* the register_state labels register_query compares with */
enum
{
	STATE_EXITED, STATE_REJECTED, STATE_ASSESSING, STATE_IN_TREATMENT, N_STATES_READ
};

static const char *const states_read[] = {
	[STATE_EXITED] = "exited",
	[STATE_REJECTED] = "rejected",
	[STATE_ASSESSING] = "assessing",
	[STATE_IN_TREATMENT] = "in_treatment",
};

typedef struct RegisterScan
{
	EvalRun    *run;
	Oid		   *state;			/* states_read's OIDs */
}			RegisterScan;

/* A scanned register row, as register_query returns it. */
static void
add_register_table_row(void *arg, Datum *raw, bool *rawnull)
{
	RegisterScan *scan = arg;
	Oid			state = DatumGetObjectId(raw[REG_TABLE_STATE]);
	Datum		v[N_REG_COLS];
	bool		isnull[N_REG_COLS] = {false};

	v[REG_COL_PARCEL] = raw[REG_TABLE_PARCEL];
	v[REG_COL_INACTIVE] = BoolGetDatum(state == scan->state[STATE_EXITED] || state == scan->state[STATE_REJECTED]);
	v[REG_COL_ASSESSING] = BoolGetDatum(state == scan->state[STATE_ASSESSING]);
	v[REG_COL_IN_TREATMENT] = BoolGetDatum(state == scan->state[STATE_IN_TREATMENT]);
	v[REG_COL_KINDS] = raw[REG_TABLE_KINDS];
	v[REG_COL_EVALUATED_YEAR] = raw[REG_TABLE_EVALUATED_YEAR];
	isnull[REG_COL_EVALUATED_YEAR] = rawnull[REG_TABLE_EVALUATED_YEAR];
	v[REG_COL_CLEARS] = raw[REG_TABLE_CLEARS];
	isnull[REG_COL_CLEARS] = rawnull[REG_TABLE_CLEARS];
	add_register_row(scan->run, v, isnull);
}

static void
add_register_row(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	int32		i = run->n_register_rows;
	RegisterRow *row;

	run->register_rows = eval_grow(run, run->register_rows, i, &run->max_register_rows, sizeof(RegisterRow));
	row = &run->register_rows[i];
	row->code = code_key_of(v[REG_COL_PARCEL], "parcel code");
	row->active = !DatumGetBool(v[REG_COL_INACTIVE]);
	row->assessing = DatumGetBool(v[REG_COL_ASSESSING]);
	row->in_treatment = DatumGetBool(v[REG_COL_IN_TREATMENT]);
	row->kinds = stored_kinds(run, v[REG_COL_KINDS], &row->canonical_kinds);
	row->has_evaluated_year = !isnull[REG_COL_EVALUATED_YEAR];
	row->evaluated_year = isnull[REG_COL_EVALUATED_YEAR] ? 0 : DatumGetInt32(v[REG_COL_EVALUATED_YEAR]);
	row->clears = isnull[REG_COL_CLEARS] ? -1 : DatumGetBool(v[REG_COL_CLEARS]);
	code_map_put(run->register_by_parcel, &row->code, i);
	run->n_register_rows++;
}

/* A lessee of one holder's land, to count each holder's distinct lessees. */
typedef struct HolderLessee
{
	int32		holder;
	CodeKey		lessee;
	bool		lessee_below;
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
	uint8		overdue_departments;
	uint16		flags;
}			ParcelRow;

/* The parcels with an open issue past its deadline, and of which departments. */
typedef struct OverdueParcel
{
	CodeKey		code;
	int32		departments;	/* bit d: department d (issue_department's order) */
}			OverdueParcel;

typedef struct OverdueIssues
{
	EvalRun    *run;
	int32		n;
	int32		max;
	OverdueParcel *parcels;
	CodeMap    *by_code;
}			OverdueIssues;

typedef struct ParcelScan
{
	EvalRun    *run;
	RegionMemo	region;
	void		(*flush) (void *scan);	/* a full batch: place_parcels, or hold_parcels */
	OverdueIssues *overdue;		/* a province's run: the overdue issues of every parcel */
	int32		n_pairs;
	int32		max_pairs;
	HolderLessee *pairs;
	int			n;
	CodeKey		code[CODE_BATCH];
	CodeKey		holder[CODE_BATCH];
	ParcelRow	row[CODE_BATCH];
	/* a prefix's run reads its parcels before the leases and register rows
	 * of those parcels: held here until placed */
	int32		n_held;
	int32		max_held;
	CodeKey    *held_code;
	CodeKey    *held_holder;
	ParcelRow  *held_row;
}			ParcelScan;

/* The parcel's facts the register needs. */
static void
keep_parcel(EvalRun *run, RegionMemo *region, const CodeKey *code, const ParcelRow *r, int32 holder,
			const CodeKey *holder_uscc, int32 first_lease, int32 register_row)
{
	int32		i = run->n_parcels;
	EvalParcel *p;

	run->parcels = eval_grow(run, run->parcels, i, &run->max_parcels, sizeof(EvalParcel));
	p = &run->parcels[i];
	p->code = *code;
	p->area = r->area;
	p->region = region_index(run, region, &r->region);
	p->holder = holder;
	p->outside_holder = (r->has_holder && holder < 0) ? outside_firm(run, holder_uscc) : -1;
	p->register_row = register_row;
	p->first_lease = first_lease;
	p->supply_date = r->supply_date;
	p->land_status = r->land_status;
	p->overdue_departments = r->overdue_departments;
	p->flags = r->flags;
	for (int32 l = first_lease; l >= 0; l = run->leases[l].next)
		if (run->leases[l].lessee_firm < 0)
			outside_firm(run, &run->leases[l].lessee);
	if (!r->has_holder)
		run->parcels_without_holder++;
	run->n_parcels++;
}

/* A lease's park, learnt from its parcel: its lessee is then in a park too. */
static void
lease_in_park(EvalRun *run, EvalLease *lease, bool in_park)
{
	lease->in_park = in_park;
	lease->park_known = true;
	if (lease->lessee_firm >= 0)
		run->firms[lease->lessee_firm].in_park |= in_park;
}

/* Net land of the holders, and the parcels of the prefix kept: n ≤ CODE_BATCH rows. */
static void
place_parcel_rows(ParcelScan *scan, const CodeKey *code, const CodeKey *holder_uscc, const ParcelRow *row, int n)
{
	EvalRun    *run = scan->run;
	int32		holder[CODE_BATCH];
	int32		register_row[CODE_BATCH];

	code_map_get_batch(run->firm_by_uscc, holder_uscc, n, holder);
	code_map_get_batch(run->register_by_parcel, code, n, register_row);
	for (int j = 0; j < n; j++)
	{
		const ParcelRow *r = &row[j];
		int32		first_lease = run->n_leases ? code_map_get(run->lease_by_parcel, &code[j]) : -1;

		if (!r->has_holder)
			holder[j] = -1;
		for (int32 l = first_lease; l >= 0; l = run->leases[l].next)
			if (!run->leases[l].park_known)
				lease_in_park(run, &run->leases[l], (r->flags & PARCEL_IN_PARK) != 0);
		if (holder[j] >= 0)
		{
			EvalFirm   *firm = &run->firms[holder[j]];

			if (run->window_parcel_map && r->area >= run->least_parcel_mu)
			{
				int32		w = code_map_get(run->window_parcel_map, &code[j]);

				firm->leasing_holder |= w >= 0;
				firm->leased_out_whole |= w >= 0 && eval_window_leased_whole(run, w, r->area);
			}

			dd_add(firm->held, r->area);
			firm->in_park |= (r->flags & PARCEL_IN_PARK) != 0;
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
				scan->pairs[scan->n_pairs].lessee_below = run->leases[l].lessee_below;
				scan->pairs[scan->n_pairs++].lessee = run->leases[l].lessee;
			}
		}
		if (r->in_prefix)
			keep_parcel(run, &scan->region, &code[j], r, holder[j], &holder_uscc[j], first_lease, register_row[j]);
	}
}

static void
place_parcels(void *arg)
{
	ParcelScan *scan = arg;

	place_parcel_rows(scan, scan->code, scan->holder, scan->row, scan->n);
	scan->n = 0;
}

/* A batch of a prefix's parcels, held until their leases and register rows are read. */
static void
hold_parcels(void *arg)
{
	ParcelScan *scan = arg;
	EvalRun    *run = scan->run;
	int32		need = scan->n_held + scan->n;

	if (need >= scan->max_held)
	{
		int32		max = scan->max_held;	/* the three arrays grow alike */

		scan->held_code = eval_grow(run, scan->held_code, need, &max, sizeof(CodeKey));
		max = scan->max_held;
		scan->held_holder = eval_grow(run, scan->held_holder, need, &max, sizeof(CodeKey));
		max = scan->max_held;
		scan->held_row = eval_grow(run, scan->held_row, need, &max, sizeof(ParcelRow));
		scan->max_held = max;
	}
	memcpy(&scan->held_code[scan->n_held], scan->code, sizeof(CodeKey) * scan->n);
	memcpy(&scan->held_holder[scan->n_held], scan->holder, sizeof(CodeKey) * scan->n);
	memcpy(&scan->held_row[scan->n_held], scan->row, sizeof(ParcelRow) * scan->n);
	scan->n_held += scan->n;
	scan->n = 0;
}

/* The held parcels placed, in the order read. */
static void
place_held_parcels(ParcelScan *scan)
{
	for (int32 i = 0; i < scan->n_held; i += CODE_BATCH)
		place_parcel_rows(scan, &scan->held_code[i], &scan->held_holder[i], &scan->held_row[i],
						  Min(CODE_BATCH, scan->n_held - i));
}

/* text[] of n codes: the query parameters of a prefix's run */
static Datum
codes_array(const CodeKey *key, Size stride, int32 n)
{
	Datum	   *codes = palloc(sizeof(Datum) * Max(n, 1));

	for (int32 i = 0; i < n; i++)
		codes[i] = code_key_text((const CodeKey *) ((const char *) key + stride * i));
	return PointerGetDatum(construct_array(codes, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* parcel: the parcels of the prefix ($1) and those its firms hold anywhere */
enum
{
	PARCEL_COL_CODE, PARCEL_COL_REGION, PARCEL_COL_HOLDER, PARCEL_COL_AREA, PARCEL_COL_SUPPLY_DATE,
	PARCEL_COL_LAND_STATUS, PARCEL_COL_ACTUAL_INDUSTRIAL, PARCEL_COL_PLAN_CONFORMING,
	PARCEL_COL_PLANNED_INDUSTRIAL, PARCEL_COL_BUILDING_CONDITION, PARCEL_COL_FAILS_ACCEPTANCE,
	PARCEL_COL_COLLECTIVE_UNLICENSED, PARCEL_COL_IN_PREFIX, PARCEL_COL_IN_PARK,
	N_PARCEL_COLS
};

static const char *parcel_cols[] = {	/* land_procedures_legal: 1.10.0 */
	[PARCEL_COL_CODE] = "p.code",
	[PARCEL_COL_REGION] = "p.region_code",
	[PARCEL_COL_HOLDER] = "p.holder_uscc",
	[PARCEL_COL_AREA] = "p.area_mu",
	[PARCEL_COL_SUPPLY_DATE] = "p.supply_date",
	[PARCEL_COL_LAND_STATUS] = "p.land_status",
	[PARCEL_COL_ACTUAL_INDUSTRIAL] = "p.actual_industrial",
	[PARCEL_COL_PLAN_CONFORMING] = "p.plan_conforming",
	[PARCEL_COL_PLANNED_INDUSTRIAL] = "p.planned_industrial",
	[PARCEL_COL_BUILDING_CONDITION] = "p.building_condition",
	[PARCEL_COL_FAILS_ACCEPTANCE] = "p.fails_acceptance",
	[PARCEL_COL_COLLECTIVE_UNLICENSED] = "p.land_procedures_legal",
	[PARCEL_COL_IN_PREFIX] = "starts_with(p.region_code, $1)",
	[PARCEL_COL_IN_PARK] = "p.park_id IS NOT NULL",
};

/* two branches, each on an index (parcel_region_idx; enterprise_region_idx
 * then parcel_holder_idx), where an OR of both would scan every parcel */
SPI_SELECT(parcel_query, parcel_cols, N_PARCEL_COLS,
		   "FROM (SELECT q.* FROM parcel_gov.parcel q WHERE starts_with(q.region_code, $1) "
		   "UNION ALL SELECT q.* FROM parcel_gov.enterprise e JOIN parcel_gov.parcel q ON q.holder_uscc = e.uscc "
		   "WHERE starts_with(e.region_code, $1) AND NOT starts_with(q.region_code, $1)) AS p");

/*
 * a prefix's run: the second branch from its firms' USCCs ($2) on
 * parcel_holder_idx (a join from enterprise was hashed against every
 * parcel), index-only: the index holds each parcel's region and code, so a
 * firm's parcels in the prefix (nearly all) are passed over without a visit
 * to the table, and only those outside it are fetched by their codes
 */
SPI_SELECT(parcel_county_query, parcel_cols, N_PARCEL_COLS,
		   "FROM (SELECT q.* FROM parcel_gov.parcel q WHERE starts_with(q.region_code, $1) "
		   "UNION ALL SELECT q.* FROM parcel_gov.parcel q WHERE q.code IN "
		   "(SELECT h.code FROM unnest($2) AS k(uscc) JOIN parcel_gov.parcel h ON h.holder_uscc = k.uscc "
		   "WHERE NOT starts_with(h.region_code, $1))) AS p");

/* the same columns from a scan of the whole table: the computed ones NULL, park_id for in_park */
static const char *const parcel_table_cols[] = {
	[PARCEL_COL_CODE] = "code",
	[PARCEL_COL_REGION] = "region_code",
	[PARCEL_COL_HOLDER] = "holder_uscc",
	[PARCEL_COL_AREA] = "area_mu",
	[PARCEL_COL_SUPPLY_DATE] = "supply_date",
	[PARCEL_COL_LAND_STATUS] = "land_status",
	[PARCEL_COL_ACTUAL_INDUSTRIAL] = "actual_industrial",
	[PARCEL_COL_PLAN_CONFORMING] = "plan_conforming",
	[PARCEL_COL_PLANNED_INDUSTRIAL] = "planned_industrial",
	[PARCEL_COL_BUILDING_CONDITION] = "building_condition",
	[PARCEL_COL_FAILS_ACCEPTANCE] = "fails_acceptance",
	[PARCEL_COL_COLLECTIVE_UNLICENSED] = "land_procedures_legal",
	[PARCEL_COL_IN_PREFIX] = NULL,
	[PARCEL_COL_IN_PARK] = "park_id",
};

StaticAssertDecl(lengthof(parcel_table_cols) == N_PARCEL_COLS, "one name per column of parcel_query");

/*
 * issue (问题清单, 1.10.0): per parcel, the departments with an open issue
 * past its deadline.  A province's run reads them all before its parcels
 * (overdue_issues), a prefix's run those of its parcels after them.
 */
enum
{
	OVERDUE_COL_PARCEL, OVERDUE_COL_DEPARTMENTS, N_OVERDUE_COLS
};

static const char *const overdue_cols[] = {
	[OVERDUE_COL_PARCEL] = "i.parcel_code",
	[OVERDUE_COL_DEPARTMENTS] = "bit_or(1 << (array_position(enum_range(NULL::parcel_gov.issue_department), i.department) - 1))",
};

SPI_SELECT(overdue_query, overdue_cols, N_OVERDUE_COLS,
		   "FROM parcel_gov.issue i WHERE i.closed IS NULL AND i.deadline < current_date GROUP BY i.parcel_code");

/* Whether the schema has the issue list (before its ALTER EXTENSION … UPDATE to 1.10.0, not). */
static bool
issues_listed(void)
{
	return strcmp(spi_column_or("issue", "closed", "y", "n"), "y") == 0;
}

/*
 * A prefix's run: those of its parcels, read after them by the range of
 * codes starting with the prefix ($1; issue_open_code_prefix_idx where the
 * database's collation is not "C") and a probe for each parcel read whose
 * code does not start so ($2).  A subquery per parcel row, as 1.12.0 read
 * them, cost a county's run a quarter of its time with no issue open.
 */
SPI_SELECT(overdue_county_query, overdue_cols, N_OVERDUE_COLS,
		   "FROM (SELECT j.parcel_code, j.department, j.deadline FROM parcel_gov.issue j "
		   "WHERE starts_with(j.parcel_code, $1) AND j.closed IS NULL "
		   "UNION ALL SELECT j.parcel_code, j.department, j.deadline FROM unnest($2) AS k(code) "
		   "JOIN parcel_gov.issue j ON j.parcel_code = k.code AND j.closed IS NULL) AS i "
		   "WHERE i.deadline < current_date GROUP BY i.parcel_code");

static void
add_overdue(void *arg, Datum *v, bool *isnull)
{
	OverdueIssues *o = arg;

	o->parcels = eval_grow(o->run, o->parcels, o->n, &o->max, sizeof(OverdueParcel));
	o->parcels[o->n].code = code_key_of(v[OVERDUE_COL_PARCEL], "parcel code");
	o->parcels[o->n].departments = DatumGetInt32(v[OVERDUE_COL_DEPARTMENTS]);
	code_map_put(o->by_code, &o->parcels[o->n].code, o->n);
	o->n++;
}

/* The overdue issues of the province, read once before its parcels. */
static OverdueIssues *
overdue_issues(EvalRun *run)
{
	OverdueIssues *o = palloc0(sizeof(OverdueIssues));

	o->run = run;
	o->by_code = code_map_create(CurrentMemoryContext, 64, (void *const *) &o->parcels, sizeof(OverdueParcel),
								 offsetof(OverdueParcel, code));
	if (issues_listed())
		spi_each_select(&overdue_query, 0, NULL, NULL, NULL, add_overdue, NULL, o);
	return o;
}

static void add_parcel(void *arg, Datum *v, bool *isnull);

/* A scanned parcel row, as parcel_query returns it for the whole province. */
static void
add_parcel_row(void *arg, Datum *raw, bool *rawnull)
{
	ParcelScan *scan = arg;
	Datum		v[N_PARCEL_COLS];
	bool		isnull[N_PARCEL_COLS];

	memcpy(v, raw, sizeof(v));
	memcpy(isnull, rawnull, sizeof(isnull));
	v[PARCEL_COL_IN_PREFIX] = BoolGetDatum(true);
	isnull[PARCEL_COL_IN_PREFIX] = false;
	v[PARCEL_COL_IN_PARK] = BoolGetDatum(!rawnull[PARCEL_COL_IN_PARK]);
	isnull[PARCEL_COL_IN_PARK] = false;
	add_parcel(scan, v, isnull);
}

static void
add_parcel(void *arg, Datum *v, bool *isnull)
{
	ParcelScan *scan = arg;
	ParcelRow  *r = &scan->row[scan->n];
	bool		has_actual = !isnull[PARCEL_COL_ACTUAL_INDUSTRIAL];

	scan->code[scan->n] = code_key_of(v[PARCEL_COL_CODE], "parcel code");
	r->region = code_key_of(v[PARCEL_COL_REGION], "region code");
	r->has_holder = !isnull[PARCEL_COL_HOLDER];
	if (r->has_holder)
		scan->holder[scan->n] = code_key_of(v[PARCEL_COL_HOLDER], "USCC");
	else
		memset(&scan->holder[scan->n], 0, sizeof(CodeKey));
	r->area = DatumGetFloat8(v[PARCEL_COL_AREA]);
	r->supply_date = isnull[PARCEL_COL_SUPPLY_DATE] ? 0 : DatumGetDateADT(v[PARCEL_COL_SUPPLY_DATE]);
	r->land_status = land_status_kind(DatumGetTextPP(v[PARCEL_COL_LAND_STATUS]));
	/* an unknown plan counts as conforming and industrial */
	r->flags = (r->has_holder ? PARCEL_HAS_HOLDER : 0)
		| (isnull[PARCEL_COL_SUPPLY_DATE] ? 0 : PARCEL_HAS_SUPPLY)
		| (has_actual ? PARCEL_HAS_ACTUAL : 0)
		| (has_actual && DatumGetBool(v[PARCEL_COL_ACTUAL_INDUSTRIAL]) ? PARCEL_ACTUAL_INDUSTRIAL : 0)
		| (isnull[PARCEL_COL_PLAN_CONFORMING] || DatumGetBool(v[PARCEL_COL_PLAN_CONFORMING])
		   ? PARCEL_PLAN_CONFORMING : 0)
		| (isnull[PARCEL_COL_PLANNED_INDUSTRIAL] || DatumGetBool(v[PARCEL_COL_PLANNED_INDUSTRIAL])
		   ? PARCEL_PLANNED_INDUSTRIAL : 0)
		| (DatumGetBool(v[PARCEL_COL_FAILS_ACCEPTANCE]) ? PARCEL_FAILS_ACCEPTANCE : 0)
		| (!isnull[PARCEL_COL_BUILDING_CONDITION]
		   && building_condition_poor(DatumGetTextPP(v[PARCEL_COL_BUILDING_CONDITION])) ? PARCEL_BUILDINGS_POOR : 0)
		| (!isnull[PARCEL_COL_COLLECTIVE_UNLICENSED] && !DatumGetBool(v[PARCEL_COL_COLLECTIVE_UNLICENSED])
		   && parcel_code_collective(DatumGetTextPP(v[PARCEL_COL_CODE])) ? PARCEL_COLLECTIVE_UNLICENSED : 0)
		| (DatumGetBool(v[PARCEL_COL_IN_PARK]) ? PARCEL_IN_PARK : 0);
	/* a prefix's run learns them after its parcels (add_held_overdue) */
	r->overdue_departments = 0;
	if (scan->overdue && scan->overdue->n > 0)
	{
		int32		i = code_map_get(scan->overdue->by_code, &scan->code[scan->n]);

		r->overdue_departments = i < 0 ? 0 : (uint8) scan->overdue->parcels[i].departments;
	}
	r->in_prefix = DatumGetBool(v[PARCEL_COL_IN_PREFIX]);
	if (++scan->n == CODE_BATCH)
		scan->flush(scan);
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

/* count(DISTINCT lessee) per holder, and of them the 规下 ones */
static void
count_lessees(EvalRun *run, ParcelScan *scan)
{
	qsort(scan->pairs, scan->n_pairs, sizeof(HolderLessee), by_holder_and_lessee);
	for (int32 i = 0; i < scan->n_pairs; i++)
		if (i == 0 || by_holder_and_lessee(&scan->pairs[i - 1], &scan->pairs[i]) != 0)
		{
			run->firms[scan->pairs[i].holder].lessees++;
			if (scan->pairs[i].lessee_below)
				run->firms[scan->pairs[i].holder].lessees_below++;
		}
}

/* evaluation ⟕ enterprise_year of the year ($1) for the outside firms ($2) */
enum
{
	OUT_COL_USCC, OUT_COL_EVALUATED, OUT_COL_TAX_PER_MU, OUT_COL_AREA, OUT_COL_GRADE, OUT_COL_BELOW,
	OUT_COL_RULE_SET_ID, OUT_COL_BACKWARD_CAPACITY, OUT_COL_PROHIBITED_INDUSTRY, OUT_COL_SCATTERED_POLLUTING,
	N_OUT_COLS
};

static const char *outside_cols[] = {	/* scattered_polluting: 1.10.0 */
	[OUT_COL_USCC] = "u.uscc",
	[OUT_COL_EVALUATED] = "e.uscc IS NOT NULL",
	[OUT_COL_TAX_PER_MU] = "e.tax_per_mu",
	[OUT_COL_AREA] = "e.area_mu",
	[OUT_COL_GRADE] = "e.grade",
	[OUT_COL_BELOW] = "e.pool = 'below'",
	[OUT_COL_RULE_SET_ID] = "e.rule_set_id",
	[OUT_COL_BACKWARD_CAPACITY] = "f.backward_capacity",
	[OUT_COL_PROHIBITED_INDUSTRY] = "f.prohibited_industry",
	[OUT_COL_SCATTERED_POLLUTING] = "f.scattered_polluting",
};

SPI_SELECT(outside_query, outside_cols, N_OUT_COLS,
		   "FROM unnest($2) AS u(uscc) "
		   "LEFT JOIN parcel_gov.evaluation e ON e.year = $1 AND e.uscc = u.uscc "
		   "LEFT JOIN parcel_gov.enterprise_year f ON f.year = $1 AND f.uscc = u.uscc");

static void
add_outside(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	CodeKey		uscc = code_key_of(v[OUT_COL_USCC], "USCC");
	OutsideFirm *o = &run->outside[code_map_get(run->outside_by_uscc, &uscc)];
	YearFacts  *f = &o->year;

	f->evaluated = DatumGetBool(v[OUT_COL_EVALUATED]);
	f->has_tax_per_mu = !isnull[OUT_COL_TAX_PER_MU];
	f->tax_per_mu = isnull[OUT_COL_TAX_PER_MU] ? 0 : DatumGetFloat8(v[OUT_COL_TAX_PER_MU]);
	f->area = isnull[OUT_COL_AREA] ? 0 : DatumGetFloat8(v[OUT_COL_AREA]);
	for (int g = 0; !isnull[OUT_COL_GRADE] && g < 4; g++)
		if (run->grade_oid[g] == DatumGetObjectId(v[OUT_COL_GRADE]))
			f->grade = g;
	f->size_class = !isnull[OUT_COL_BELOW] && DatumGetBool(v[OUT_COL_BELOW]) ? 1 : 0;
	o->rule_set_id = eval_text_or_null(run, v[OUT_COL_RULE_SET_ID], isnull[OUT_COL_RULE_SET_ID]);
	f->backward_capacity = !isnull[OUT_COL_BACKWARD_CAPACITY] && DatumGetBool(v[OUT_COL_BACKWARD_CAPACITY]);
	f->prohibited_industry = !isnull[OUT_COL_PROHIBITED_INDUSTRY] && DatumGetBool(v[OUT_COL_PROHIBITED_INDUSTRY]);
	f->scattered_polluting = !isnull[OUT_COL_SCATTERED_POLLUTING] && DatumGetBool(v[OUT_COL_SCATTERED_POLLUTING]);
}

static void
load_outside_firms(EvalRun *run)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		values[2];

	if (run->n_outside == 0)
		return;
	values[0] = Int32GetDatum(run->year);
	values[1] = codes_array(&run->outside[0].uscc, sizeof(OutsideFirm), run->n_outside);
	spi_each_select(&outside_query, 2, types, values, NULL, add_outside, NULL, run);
}

/* The inputs parametrised alike by both kinds of run. */
typedef struct InputParams
{
	Oid			types[2];		/* year, month */
	Datum		year[2];
	Oid			prefix_type[1];
	Datum		prefix[1];
}			InputParams;

/*
 * The whole province, or a run under row-level security: figures, leases,
 * register and parcels each by a scan of the table (by the queries over
 * every row where security applies).  Returns whether the register follows.
 */
static bool
load_province_rest(EvalRun *run, InputParams *in, ParcelScan *scan, Figures *figures)
{
	TableRows  *table;
	bool		follows_register;

	if (run->month > 0)
		eval_figures_of_period(figures);
	else
		eval_figures_of_prefix(figures, in->prefix[0]);

	{
		Oid			types[3] = {INT4OID, INT4OID, INT4OID};
		Datum		values[3] = {in->year[0], in->year[1], lease_window_start(run)};

		spi_each_select(run->month > 0 ? &lease_quarter_query : &lease_query, 3, types, values, NULL, add_lease,
						NULL, run);
	}

	/* a past year evaluated again leaves the register as it is: not read */
	follows_register = run->month == 0 && register_followed(run);
	if (follows_register && (table = table_rows_open("register", register_table_cols, N_REG_TABLE_COLS)))
	{
		RegisterScan reg = {run, enum_label_oids(type_named("parcel_gov.register_state"), states_read, N_STATES_READ,
												 CurrentMemoryContext)};

		table_rows_scan(table, add_register_table_row, NULL, &reg);
	}
	else if (follows_register)
		spi_each_select(&register_query, 1, in->prefix_type, in->prefix, NULL, add_register_row, NULL, run);

	scan->overdue = overdue_issues(run);
	if ((table = table_rows_open("parcel", parcel_table_cols, N_PARCEL_COLS)))
		table_rows_scan(table, add_parcel_row, place_parcels, scan);
	else
		spi_each_select(&parcel_query, 1, in->prefix_type, in->prefix, NULL, add_parcel, place_parcels, scan);
	return follows_register;
}

/*
 * The planner told that a prefix's reads are a small part of each table:
 * given a county's thousands of keys it would hash them against a scan of
 * every register row (or lease), and gather workers for the parcels.
 * Returns the level AtEOXact_GUC restores.
 */
static int
read_through_indexes(void)
{
	int			level = NewGUCNestLevel();

	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("max_parallel_workers_per_gather", "0", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);
	return level;
}

/*
 * What a prefix's run read of its parcels (held until placed), for the rows
 * of leases and register that a range of codes by the prefix yields beyond
 * those it reads.
 */
typedef struct NearbyRows
{
	EvalRun    *run;
	ParcelScan *scan;
	CodeMap    *held;			/* the parcels read, by code */
}			NearbyRows;

/* The codes of the parcels read (own_only: of the prefix) that do not start with the prefix, as text[]. */
static Datum
codes_not_starting_with(ParcelScan *scan, const char *prefix, bool own_only)
{
	Datum	   *codes = palloc(sizeof(Datum) * Max(scan->n_held, 1));
	int32		n = 0;
	int			prefix_len = strlen(prefix);

	for (int32 i = 0; i < scan->n_held; i++)
		if ((scan->held_row[i].in_prefix || !own_only)
			&& !code_key_starts_with(&scan->held_code[i], prefix, prefix_len))
			codes[n++] = code_key_text(&scan->held_code[i]);
	return PointerGetDatum(construct_array(codes, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* A lease of a parcel read or leased by a firm of the prefix; not another county's. */
static void
add_nearby_lease(void *arg, Datum *v, bool *isnull)
{
	NearbyRows *nearby = arg;
	CodeKey		parcel = code_key_of(v[LEASE_COL_PARCEL], "parcel code");
	CodeKey		lessee = code_key_of(v[LEASE_COL_LESSEE], "USCC");

	if (code_map_get(nearby->held, &parcel) >= 0 || code_map_get(nearby->run->firm_by_uscc, &lessee) >= 0)
		add_lease(nearby->run, v, isnull);
}

/* The departments with an open issue past its deadline on a parcel read; not on another's. */
static void
add_held_overdue(void *arg, Datum *v, bool *isnull)
{
	NearbyRows *nearby = arg;
	CodeKey		parcel = code_key_of(v[OVERDUE_COL_PARCEL], "parcel code");
	int32		i = code_map_get(nearby->held, &parcel);

	if (i >= 0)
		nearby->scan->held_row[i].overdue_departments = (uint8) DatumGetInt32(v[OVERDUE_COL_DEPARTMENTS]);
}

/* A register row of a parcel of the prefix; not of another county's parcel. */
static void
add_own_register_row(void *arg, Datum *v, bool *isnull)
{
	NearbyRows *nearby = arg;
	CodeKey		parcel = code_key_of(v[REG_COL_PARCEL], "parcel code");
	int32		i = code_map_get(nearby->held, &parcel);

	if (i >= 0 && nearby->scan->held_row[i].in_prefix)
		add_register_row(nearby->run, v, isnull);
}

/*
 * A prefix's run reads what is of or around its counties through indexes,
 * each query from the keys the one before found: its firms' figures by
 * their USCCs, then the parcels (held until placed), then the leases of its
 * firms and of those parcels, the parcels' open issues, then the register
 * rows of its own parcels.
 * Returns whether the register follows.
 */
static bool
load_prefix_rest(EvalRun *run, InputParams *in, ParcelScan *scan, Figures *figures)
{
	Datum		firm_codes = codes_array(&run->firms[0].uscc, sizeof(EvalFirm), run->n_firms);
	NearbyRows	nearby;
	Datum		elsewhere;		/* the codes of the parcels read that do not start with the prefix */
	bool		follows_register;

	if (run->month > 0)
		eval_figures_of_period(figures);
	else
		eval_figures_of_firms(figures, firm_codes);

	{
		Oid			types[2] = {TEXTOID, TEXTARRAYOID};
		Datum		values[2] = {in->prefix[0], firm_codes};

		spi_each_select(&parcel_county_query, 2, types, values, NULL, add_parcel, hold_parcels, scan);
	}

	nearby.run = run;
	nearby.scan = scan;
	nearby.held = code_map_create(CurrentMemoryContext, scan->n_held, (void *const *) &scan->held_code,
								  sizeof(CodeKey), 0);
	for (int32 i = 0; i < scan->n_held; i += CODE_BATCH)
		code_map_put_batch(nearby.held, &scan->held_code[i], Min(CODE_BATCH, scan->n_held - i), i);
	elsewhere = codes_not_starting_with(scan, run->prefix, false);
	{
		Oid			types[6] = {INT4OID, INT4OID, TEXTARRAYOID, TEXTARRAYOID, INT4OID, TEXTOID};
		Datum		values[6] = {in->year[0], in->year[1], firm_codes, elsewhere, lease_window_start(run),
		in->prefix[0]};

		spi_each_select(&lease_county_query, 6, types, values, NULL, add_nearby_lease, NULL, &nearby);
	}
	if (issues_listed())
	{
		Oid			types[2] = {TEXTOID, TEXTARRAYOID};
		Datum		values[2] = {in->prefix[0], elsewhere};

		spi_each_select(&overdue_county_query, 2, types, values, NULL, add_held_overdue, NULL, &nearby);
	}

	/* a past year evaluated again leaves the register as it is: not read */
	follows_register = run->month == 0 && register_followed(run);
	if (follows_register)
	{
		Oid			types[2] = {TEXTOID, TEXTARRAYOID};
		Datum		values[2] = {in->prefix[0], codes_not_starting_with(scan, run->prefix, true)};

		spi_each_select(&register_county_query, 2, types, values, NULL, add_own_register_row, NULL, &nearby);
	}

	place_held_parcels(scan);
	return follows_register;
}

/*
 * The leases of the notice's window are noted for the parcels of at least
 * the least land 桐庐's parcel rule reads (the least of the rule sets that
 * read parcels, as the notice takes it): none when no rule set does.
 */
static void
watch_window_leases(EvalRun *run)
{
	run->least_parcel_mu = get_float8_infinity();
	for (int32 i = 0; i < run->n_rule_sets; i++)
		if (run->rule_sets[i].persistent_on_parcel)
			run->least_parcel_mu = Min(run->least_parcel_mu, run->rule_sets[i].persistent_min_mu);
	run->window_parcel_map = code_map_create(run->cxt, 256, (void *const *) &run->window_parcels,
											 sizeof(WindowParcel), offsetof(WindowParcel, code));
}

void
eval_load_inputs(EvalRun *run)
{
	InputParams in = {
		{INT4OID, INT4OID}, {Int32GetDatum(run->year), Int32GetDatum(run->month > 0 ? run->month : 12)},
		{TEXTOID}, {CStringGetTextDatum(run->prefix)},
	};
	ParcelScan *scan = palloc0(sizeof(ParcelScan));
	FirmBatch  *firms = palloc0(sizeof(FirmBatch));
	SizeHints	hints = size_hints(in.prefix);
	TableRows  *table;
	bool		follows_register;

	Figures    *figures;

	firms->run = scan->run = run;
	scan->flush = eval_whole_province(run) ? place_parcels : hold_parcels;

	run->firms = eval_grow(run, NULL, hints.firms / 2, &run->max_firms, sizeof(EvalFirm));
	run->firm_by_uscc = code_map_create(run->cxt, hints.firms, (void *const *) &run->firms, sizeof(EvalFirm),
										offsetof(EvalFirm, uscc));
	if ((table = eval_whole_province(run) ? table_rows_open("enterprise", firm_table_cols, N_FIRM_COLS) : NULL))
		table_rows_scan(table, add_firm, index_firms, firms);
	else
		spi_each_select(&firm_query, 1, in.prefix_type, in.prefix, NULL, add_firm, index_firms, firms);
	figures = eval_figures(run);
	outside_cols[OUT_COL_SCATTERED_POLLUTING] =
		spi_column_or("enterprise_year", "scattered_polluting", "f.scattered_polluting", "false");
	parcel_cols[PARCEL_COL_COLLECTIVE_UNLICENSED] =
		spi_column_or("parcel", "land_procedures_legal", "p.land_procedures_legal", "NULL::boolean");
	/* the maps and arrays the rest fills, the same for both kinds of run */
	run->lease_by_parcel = code_map_create(run->cxt, 1024, (void *const *) &run->leases, sizeof(EvalLease),
										   offsetof(EvalLease, parcel));
	run->register_by_parcel = code_map_create(run->cxt, hints.register_rows, (void *const *) &run->register_rows,
											  sizeof(RegisterRow), offsetof(RegisterRow, code));
	run->outside_by_uscc = code_map_create(run->cxt, 64, (void *const *) &run->outside, sizeof(OutsideFirm),
										   offsetof(OutsideFirm, uscc));
	run->parcels = eval_grow(run, NULL, hints.parcels / 2, &run->max_parcels, sizeof(EvalParcel));
	/* a yearly run names the multi-year notice's candidates (notice_candidates.c) */
	run->multi_year_known = run->month == 0;
	if (run->multi_year_known)
		watch_window_leases(run);
	if (eval_whole_province(run))
		follows_register = load_province_rest(run, &in, scan, figures);
	else
	{
		int			guc_level = read_through_indexes();

		follows_register = load_prefix_rest(run, &in, scan, figures);
		AtEOXact_GUC(true, guc_level);
	}
	count_lessees(run, scan);
	if (follows_register)
		load_outside_firms(run);
	/* each firm's rule set, now that its land tells whether it is in a park */
	for (int32 i = 0; i < run->n_firms; i++)
		run->firms[i].rule_set = eval_region_rule_set(run, run->firms[i].region, run->firms[i].in_park);
}
