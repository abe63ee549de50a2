/*
 * eval_engine.h — the evaluation engine behind evaluate().
 *
 * One run evaluates a year for a region prefix in C: it streams the rules,
 * firms, yearly figures, leases, register rows and parcels through SPI once
 * each (eval_rules.c, eval_input.c), joins them on packed codes
 * (code_key.h), scores and grades every pool (eval_score.c), writes only the
 * evaluation rows that changed (eval_write.c) and brings the register in line
 * (register_sync.c).  A quarter's run (evaluate_quarter(), eval_quarter.c)
 * goes through the same phases on year-to-date figures and writes its own
 * tables; it neither summarises nor touches the register.
 *
 * What the run keeps from phase to phase (rules, firms, parcels, leases,
 * register rows, pools, summaries and their code maps; about 400 bytes a
 * firm and 80 a parcel) is allocated in its memory context, EvalRun.cxt,
 * deleted when the run ends.  A phase's scratch (batches of rows waiting for
 * a lookup, sort orders, the diff against the stored rows, the register's
 * facts) is palloc'd in the current context, which between SPI_connect and
 * SPI_finish is SPI's procedure context: it lasts until SPI_finish.  What a
 * row callback pallocs lasts for that row only (spi_rows.h).
 */
#ifndef PARCEL_GOV_EVAL_ENGINE_H
#define PARCEL_GOV_EVAL_ENGINE_H

#include "postgres.h"

#include "utils/date.h"

#include "code_key.h"
#include "indicators.h"

/*
 * Adding a rule parameter (a column of rule_set or rule_pool) touches:
 *   - the table: install/82_rules.sql (rule_set or rule_pool), with its
 *     CHECK, default and COMMENT;
 *   - the presets: install/83_rule_presets.sql;
 *   - rule_set_adopt(), which copies a preset: install/82_rules.sql;
 *   - the loader: its column in rule_set_cols or pool_cols and the enum
 *     beside it (eval_rules.c), and where add_rule_set or add_pool stores it;
 *   - the struct: RuleSet or RulePool below;
 *   - what applies it: the scorer (eval_score.c) or the register sync
 *     (register_sync.c, low_efficiency.c), and the SQL that mirrors the
 *     register's rules (install/91_parcel_efficiency.sql, and
 *     install/87_evaluation_views.sql for the multi-year facts);
 *   - the update script of the version under development,
 *     updates/parcel_gov--OLD--NEW.sql: ALTER TABLE … ADD COLUMN (also
 *     last in the table's install file), UPDATE of the presets' rows,
 *     CREATE OR REPLACE of rule_set_adopt and of the SQL above;
 *   - the tests: sql/rules.sql, sql/engine.sql and sql/evaluate.sql with
 *     their expected outputs, and test/hand/evaluate_county.py (the hand
 *     computation of sql/evaluate.sql) where the evaluation changes.
 */

#define INDUSTRY_CODE_MAX 5		/* C3311: a section letter and up to four digits */
#define N_FIGURES 11			/* tax … main_revenue: the inputs before area_mu */
#define N_SIZE_CLASSES 2		/* above 规上, below 规下 */

/* What a firm without an indicator's figure scores (rule_indicator.missing). */
typedef struct RuleIndicator
{
	int			indicator;		/* TAX_PER_MU … RD_INTENSITY_MAIN */
	float8		weight;
	bool		minmax;			/* method minmax, else ratio */
	bool		has_fixed;
	float8		fixed;			/* benchmark_fixed */
	float8		multiplier;		/* benchmark_multiplier */
	bool		has_cap;
	float8		cap;
	bool		pool_mean;		/* missing = pool_mean, else zero */
}			RuleIndicator;

typedef struct RulePool
{
	float8		shares[3];		/* cumulative a, b, c quota shares */
	float8		land_floor;
	bool		group_by_industry;
	float8		rental_first;
	float8		rental_further;
	bool		rental_below_only;	/* rental_lessees 'below': only 规下 lessees count */
	uint32		floor_sections;	/* bit s: the land floor holds for GB/T 4754 section 'A' + s; 0: for all */
	bool		has_low_tax;
	float8		low_tax;		/* register entry: low per-mu tax under this */
	int			n_indicators;	/* in indicator order; 0: the pool grades nobody */
	RuleIndicator indicator[N_INDICATORS];
}			RulePool;

typedef struct IndustryGroup
{
	char	   *name;
	int			n_prefixes;
	char	  **prefixes;
}			IndustryGroup;

typedef struct RuleSet
{
	char	   *id;
	bool		has_new_land_years;
	int32		new_land_years;
	float8		persistent_min_mu;
	float8		persistent_line;
	bool		persistent_on_parcel;	/* 桐庐: the parcel's area and 亩均税收, not the holder's */
	DateADT		non_industrial_since;
	int8		scattered_polluting_batch;	/* a Batch, -1 NULL */
	int8		collective_industrial_batch;	/* a Batch, -1 NULL */
	int32		shutdown_departments;	/* bit d: an overdue open issue of department d means 关停退出 */
	bool		pool_by_land;	/* pool_by land_mu: pool 0 from pool_land_mu of net land, else pool 1 */
	float8		pool_land_mu;
	float8		tier_bounds[3]; /* tax tiers (rule_set.tax_tier_bounds), ascending */
	bool		tier_includes_bound;	/* a figure on a bound is in the lower tier */
	RulePool   *pool[N_SIZE_CLASSES];	/* NULL: no rule for that pool */
	int			n_groups;		/* in the order of their names */
	IndustryGroup *groups;
}			RuleSet;

/* A firm's industry group when its pool does not group, or none matched. */
#define NO_GROUP (-2)
#define OTHER_GROUP (-1)
#define OTHER_GROUP_NAME "其他"

/* A firm's figures of the year (its enterprise_year row). */
typedef struct FirmFigures
{
	uint8		size_class;
	uint16		present;		/* bit i: figure i is not NULL */
	bool		backward_capacity;
	bool		prohibited_industry;
	bool		scattered_polluting;
	float8		figure[N_FIGURES];
	float8		bonus;
	float8		deduction;
	char	   *exempt_reason;
	char	   *veto_reason;
}			FirmFigures;

typedef struct EvalFirm
{
	/* what the parcel scan looks up and adds to: one cache line */
	CodeKey		uscc;
	float8		held[2];		/* double-double sums (dd_state.h), so any scan order gives the same bits */
	float8		leased_out[2];
	DateADT		first_supply;	/* earliest supply date of the parcels it holds */
	bool		has_first_supply;
	bool		evaluated;		/* has figures for the year */

	int32		region;			/* index into EvalRun.region_code */
	int32		lessees;		/* distinct lessees of its land this year */
	int32		lessees_below;	/* of them, those whose figures of the year are 规下 */
	bool		in_park;		/* 入园: land it holds, or leases this year, lies in a park */
	bool		leasing_holder;	/* holds land 桐庐's parcel rule reads, leased out in the year or the two before */
	bool		leased_out_whole;	/* of it, a parcel leased out whole in one of the two years before */
	int32		rule_set;		/* index into EvalRun.rule_sets: its region's for firms in parks or not; -1 none */
	char		industry_code[INDUSTRY_CODE_MAX + 1];	/* GB/T 4754, "" for none */
	FirmFigures fig;
	float8		leased_in[2];
	uint8		pool_class;		/* its pool's class: the size class, or by land (RuleSet.pool_by_land) */

	/* results */
	uint16		indicator_present;	/* bit k: indicator k is not NULL */
	float8		indicator[N_INDICATORS];	/* of its own figures over its net land */
	int32		pool;			/* index into EvalRun.pools, -1 when not graded */
	int32		group;			/* industry group, OTHER_GROUP or NO_GROUP */
	float8		area;			/* net land */
	float8		rental_deduction;
	char	   *not_graded;		/* NULL when graded */
	uint16		score_present;	/* bit k: score of indicator k is not NULL */
	float8		indicator_score[N_INDICATORS];
	float8		score;
	int32		rank;
	int32		pool_size;
	int8		grade_initial;	/* 0..3 for A..D, -1 NULL */
	int8		grade;
}			EvalFirm;

/* A pool: a region's firms of one size class, graded together. */
typedef struct EvalPool
{
	int32		region;
	uint8		size_class;
	const RuleSet *rule_set;
	const RulePool *rule;
	int32		graded;			/* firms graded in it */
	float8		sums[INDICATORS_STATE];	/* indicators_agg over its graded firms */
	/* per rule indicator, in the order of rule->indicator */
	float8		benchmark[N_INDICATORS];
	bool		has_benchmark[N_INDICATORS];
	float8		pool_value[N_INDICATORS];
	bool		has_pool_value[N_INDICATORS];
	float8		lo[N_INDICATORS];
	float8		hi[N_INDICATORS];
	bool		has_range[N_INDICATORS];
	float8		mean_score[N_INDICATORS];	/* what a firm without the figure scores under pool_mean */
}			EvalPool;

/* A lease in force during the year. */
typedef struct EvalLease
{
	CodeKey		parcel;
	CodeKey		lessee;
	int32		lessee_firm;	/* index into firms, -1 when the lessee is not among them */
	int32		next;			/* the next lease of the same parcel, -1 */
	float8		area;
	bool		lessee_below;	/* the lessee's figures of the year are 规下 */
	bool		in_park;		/* the parcel lies in a park */
	bool		park_known;		/* in_park is known (else learnt when its parcel is read) */
}			EvalLease;

/* A register row as the run found it. */
typedef struct RegisterRow
{
	CodeKey		code;
	bool		active;			/* not exited or rejected */
	bool		assessing;
	bool		in_treatment;
	bool		has_evaluated_year;
	bool		canonical_kinds;	/* kinds held in kind order, no duplicates: comparable as a mask */
	int8		clears;			/* -1 NULL, 0 false, 1 true */
	uint32		kinds;
	int32		evaluated_year;
}			RegisterRow;

/* Parcel flags */
#define PARCEL_HAS_SUPPLY 0x01
#define PARCEL_HAS_ACTUAL 0x02
#define PARCEL_ACTUAL_INDUSTRIAL 0x04
#define PARCEL_PLAN_CONFORMING 0x08	/* or unknown */
#define PARCEL_PLANNED_INDUSTRIAL 0x10	/* or unknown */
#define PARCEL_FAILS_ACCEPTANCE 0x20
#define PARCEL_BUILDINGS_POOR 0x40
#define PARCEL_HAS_HOLDER 0x80
#define PARCEL_COLLECTIVE_UNLICENSED 0x100	/* 宗地代码 ownership J, land_procedures_legal false */
#define PARCEL_IN_PARK 0x200			/* park_id set */

/* A parcel in the region prefix, for the register. */
typedef struct EvalParcel
{
	CodeKey		code;
	float8		area;
	int32		region;
	int32		holder;			/* index into firms, or -1 (none or not among them) */
	int32		outside_holder;	/* index into EvalRun.outside, or -1 */
	int32		register_row;	/* index into EvalRun.register_rows, or -1 */
	int32		first_lease;	/* index into leases, or -1 */
	DateADT		supply_date;
	int8		land_status;	/* a low_efficiency_kind, or -1 for normal */
	uint8		overdue_departments;	/* bit d: an open issue of department d is past its deadline */
	uint16		flags;
}			EvalParcel;

/* What the register needs of a firm's year: its evaluation and figures. */
typedef struct YearFacts
{
	bool		evaluated;
	bool		has_tax_per_mu;
	float8		tax_per_mu;
	float8		area;
	int8		grade;			/* 0..3 for A..D, -1 NULL */
	uint8		size_class;
	bool		backward_capacity;
	bool		prohibited_industry;
	bool		scattered_polluting;
}			YearFacts;

/* A firm outside the prefix that holds or leases land in it, with its
 * stored evaluation of the year. */
typedef struct OutsideFirm
{
	CodeKey		uscc;
	YearFacts	year;
	char	   *rule_set_id;
}			OutsideFirm;

/* What the run writes to evaluation_summary for a region (eval_summary.c). */
typedef struct RegionSummary
{
	int32		firms;
	int32		graded;
	int32		grade[4];		/* A..D */
	int32		tier[4];		/* tax_tier 0..3 */
	float8		area[2];		/* Σ net land of graded firms */
	float8		tax[4];			/* per_mu_agg state of (tax, area) over graded firms */
	float8		va[4];
	uint64		digest[2];		/* Σ of 128-bit hashes of the rows */
}			RegionSummary;

/* A parcel leased out in the year or the two before (notice_candidates.c). */
typedef struct WindowParcel
{
	CodeKey		code;
	float8		leased[2];		/* its leases' areas in force in the year before, and in the one before that */
}			WindowParcel;

typedef struct EvalRun
{
	MemoryContext cxt;
	int32		year;
	int32		month;			/* 0: the year; 3, 6, 9, 12: a quarter on year-to-date figures (eval_quarter.c) */
	char	   *prefix;
	int			prefix_len;

	/* the OIDs of the enum labels the engine reads and writes */
	Oid			size_class_oid[N_SIZE_CLASSES];
	Oid			grade_type;
	Oid		   *grade_oid;		/* A..D */
	Oid		   *indicator_oid;	/* in indicator order */
	Oid			kind_type;
	Oid		   *kind_oid;		/* low_efficiency_kind, in kind order */
	Oid			batch_type;
	Oid		   *batch_oid;

	/* rules */
	int32		n_rule_sets;
	int32		max_rule_sets;
	RuleSet    *rule_sets;
	int32		n_regions;
	int32		max_regions;
	int32		max_region_rule_sets;
	CodeKey    *region_code;
	int32	   *region_rule_set;	/* index into rule_sets, -1 none: for firms outside parks */
	int32		max_region_park_rule_sets;
	int32	   *region_park_rule_set;	/* the same for firms in parks */
	CodeMap    *regions;

	/* inputs */
	int32		n_firms;
	int32		max_firms;
	EvalFirm   *firms;
	CodeMap    *firm_by_uscc;
	int32		n_leases;
	int32		max_leases;
	EvalLease  *leases;
	CodeMap    *lease_by_parcel;	/* first lease of each parcel */
	int32		n_register_rows;
	int32		max_register_rows;
	RegisterRow *register_rows;
	CodeMap    *register_by_parcel;
	int32		n_parcels;
	int32		max_parcels;
	EvalParcel *parcels;
	int64		parcels_without_holder;
	int32		n_outside;
	int32		max_outside;
	OutsideFirm *outside;
	CodeMap    *outside_by_uscc;
	/* a prefix's run of a year: the multi-year notice's candidates (notice_candidates.c) */
	bool		multi_year_known;
	float8		least_parcel_mu;	/* the least land 桐庐's parcel rule reads (rule sets reading parcels) */
	int32		n_window_parcels;
	int32		max_window_parcels;
	WindowParcel *window_parcels;	/* parcels leased out in the year or the two before */
	CodeMap    *window_parcel_map;

	/* results */
	RegionSummary *summaries;	/* per region */
	int32		n_pools;
	EvalPool   *pools;
	int32		firms_evaluated;
	int32		firms_graded;
	int64		rows_changed;	/* evaluation rows inserted, updated or deleted */
	int64		register_entered;
}			EvalRun;

/*
 * The array, grown in the run's context to hold one element more than n
 * (doubling, so filling it costs amortised O(1) per element).
 */
extern void *eval_grow(EvalRun *run, void *array, int32 n, int32 *max, Size elem);

/* eval_rules.c: the rule sets, and each region's under the prefix. */
extern void eval_load_rules(EvalRun *run);
extern int	eval_rule_set_index(const EvalRun *run, const char *id);

/* eval_input.c: firms, figures, leases, register rows and parcels. */
extern void eval_load_inputs(EvalRun *run);
/* a text Datum as a string of the run (NULL when isnull) */
extern char *eval_text_or_null(EvalRun *run, Datum d, bool isnull);

/* The whole province's run (the empty prefix): every row of the big tables, read by a scan. */
static inline bool
eval_whole_province(const EvalRun *run)
{
	return run->prefix_len == 0;
}

/* The rule set of a parcel's region for firms in parks or not. */
static inline int32
eval_region_rule_set(const EvalRun *run, int32 region, bool in_park)
{
	return in_park ? run->region_park_rule_set[region] : run->region_rule_set[region];
}

/* eval_score.c: net land, exemptions, indicators, benchmarks, scores, grades. */
extern void eval_score_pools(EvalRun *run);

/* notices: how many firms were not graded, and why; parcels without a holder */
extern void eval_notice_not_graded(EvalRun *run);

/* an indicator of a firm's own figures over its net land (indicators()), once scored */
static inline bool
eval_firm_indicator(const EvalFirm *firm, int indicator, float8 *value)
{
	*value = firm->indicator[indicator];
	return (firm->indicator_present & (1 << indicator)) != 0;
}

/* eval_summary.c: each region's counts, sums and digest of its rows. */
extern void eval_summarise(EvalRun *run, const float8 *fallback_bounds, int n_bounds);

/* eval_write.c: the year's evaluation rows and benchmarks, only what changed. */
extern void eval_write(EvalRun *run, Datum started);

/* eval_write.c: the rows it writes, column by column, for a quarter's run to write the same */
extern int	eval_row_width(void);
extern const char *eval_row_column(int c);
extern void eval_firm_row_values(EvalRun *run, EvalFirm *firm, Datum started, Datum *value, bool *isnull);
extern int	eval_benchmark_width(void);
extern const char *eval_benchmark_column(int c);
extern void eval_benchmark_values(EvalRun *run, EvalPool *pool, int j, Datum *value, bool *isnull);

/* eval_quarter.c: a quarter's run reads enterprise_period and writes evaluation_quarter. */
extern bool eval_indicator_accrues(int indicator);
extern void eval_write_quarter(EvalRun *run, Datum started);

/* register_sync.c: the register in line with the evaluation. */
extern void eval_sync_register(EvalRun *run);

/*
 * notice_candidates.c: a prefix's run of a year names the firms whose
 * multi-year rules may be undecided (those without both earlier years'
 * results in the prefix, and the holders of land leased out whole in one of
 * the two years before) and of them those holding land leased out in the
 * window, as text[] (false: not known, a run of the whole province or of a
 * quarter).  eval_note_window_lease() records a lease of the window as the
 * run reads it (its area, and whether it was in force in each of the two
 * years before); eval_window_leased_whole() tells whether the leases of a
 * parcel of the given area covered it in one of them.
 */
extern bool eval_multi_year_candidates(EvalRun *run, Datum *candidates, Datum *leasing);
extern void eval_note_window_lease(EvalRun *run, const CodeKey *parcel, float8 area, bool in_prev, bool in_prev2);
extern bool eval_window_leased_whole(const EvalRun *run, int32 window_parcel, float8 area);

/* The region code of index i as a C string (6 digits or a prefix). */
extern const char *eval_region_text(const EvalRun *run, int32 region);

#endif
