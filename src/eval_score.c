/*
 * eval_score.c — from each firm's figures and net land to its grade, by the
 * rules the README's "The evaluation in five steps" describes, with the SQL
 * functions' own arithmetic (indicators.h, scores.h, quota.h), so every
 * number has the bits the SQL pieces would give:
 *
 *   net land     held − leased out + leased in;
 *   not graded   no rule for the pool, no land, exempt (T), new land, under the land floor;
 *   pools        a region's firms of one size class; benchmarks are the pool's
 *                ratios of sums over the firms it grades (× multiplier) or fixed;
 *   scores       ratio or minmax per indicator, a missing figure scoring 0 or
 *                the pool's mean score; + bonus − deduction − rental deduction;
 *   grades       rank quotas within pool and industry group; a veto gives D.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"

#include "big_alloc.h"
#include "dd_state.h"
#include "error.h"
#include "eval_engine.h"
#include "quota.h"
#include "scores.h"

static const char *const size_class_names[N_SIZE_CLASSES] = {"above", "below"};

const char *
eval_region_text(const EvalRun *run, int32 region)
{
	const char *bytes = (const char *) &run->region_code[region];

	return pnstrdup(bytes, strnlen(bytes, CODE_KEY_MAX));
}

/* indicators() of the firm's figures; it gets the net land only where that is positive */
static void
firm_indicators(EvalFirm *firm)
{
	float8		figure[N_INPUTS];
	bool		present[N_INPUTS];

	for (int i = 0; i < N_FIGURES; i++)
	{
		present[i] = (firm->fig.present & (1 << i)) != 0;
		figure[i] = firm->fig.figure[i];
	}
	present[AREA_MU] = firm->area > 0;
	figure[AREA_MU] = firm->area;
	firm->indicator_present = 0;
	for (int k = 0; k < N_INDICATORS; k++)
		if (indicator_of_row(figure, present, k, "evaluate", &firm->indicator[k]))
			firm->indicator_present |= 1 << k;
}

static char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/* round(x::numeric, 2) as text, as format('%s') shows it */
static char *
rounded_text(float8 x)
{
	Datum		n = DirectFunctionCall1(float8_numeric, Float8GetDatum(x));

	return DatumGetCString(DirectFunctionCall1(numeric_out,
											   DirectFunctionCall2(numeric_round, n, Int32GetDatum(2))));
}

/* The pool's land floor holds for the firm's GB/T 4754 section (all when the
 * rule names none; a firm without an industry code is held to it). */
static bool
floor_holds_for(const EvalFirm *firm, const RulePool *rp)
{
	char		section = firm->industry_code[0];

	if (rp->floor_sections == 0 || section < 'A' || section > 'T')
		return true;
	return (rp->floor_sections & ((uint32) 1 << (section - 'A'))) != 0;
}

/* Why a firm is not graded, or NULL; the first reason that applies, in this order. */
static char *
not_graded_reason(const EvalRun *run, const EvalFirm *firm, const RuleSet *rs, const RulePool *rp)
{
	if (rp == NULL || rp->n_indicators == 0)
		return "no rule for this pool";
	if (firm->area <= 0)
		return "no land";
	if (firm->fig.exempt_reason != NULL)
		return psprintf("exempt (T): %s", firm->fig.exempt_reason);
	if (rs->has_new_land_years && firm->has_first_supply &&
		firm->first_supply > date2j(run->year - rs->new_land_years, 12, 31) - POSTGRES_EPOCH_JDATE)
		return psprintf("new land: supplied %s", date_text(firm->first_supply));
	if (firm->area < rp->land_floor && floor_holds_for(firm, rp))
		return psprintf("under the land floor: %s < %s mu", rounded_text(firm->area),
						float8out_internal(rp->land_floor));
	return NULL;
}

static int32
industry_group(const EvalFirm *firm, const RuleSet *rs, const RulePool *rp)
{
	if (rp == NULL || !rp->group_by_industry)
		return NO_GROUP;
	for (int g = 0; firm->industry_code[0] != '\0' && g < rs->n_groups; g++)
		for (int i = 0; i < rs->groups[g].n_prefixes; i++)
			if (strncmp(firm->industry_code, rs->groups[g].prefixes[i], strlen(rs->groups[g].prefixes[i])) == 0)
				return g;
	return OTHER_GROUP;
}

/*
 * A region's pools: per size class, one for the firms under its rule set for
 * all firms and one for those under its rule set for park firms (温岭's park
 * firms rank apart from the rest).
 */
#define POOLS_PER_REGION (2 * N_SIZE_CLASSES)

static int32
pool_slot(const EvalRun *run, const EvalFirm *firm)
{
	bool		park_rules = firm->rule_set != run->region_rule_set[firm->region];

	return firm->region * POOLS_PER_REGION + (park_rules ? N_SIZE_CLASSES : 0) + firm->pool_class;
}

/* The range of each of the pool's indicators over its firms, widened by a graded firm's. */
static void
widen_ranges(EvalPool *pool, const EvalFirm *firm)
{
	for (int j = 0; j < pool->rule->n_indicators; j++)
	{
		float8		value;

		if (!eval_firm_indicator(firm, pool->rule->indicator[j].indicator, &value))
			continue;
		if (!pool->has_range[j] || value < pool->lo[j])
			pool->lo[j] = value;
		if (!pool->has_range[j] || value > pool->hi[j])
			pool->hi[j] = value;
		pool->has_range[j] = true;
	}
}

/* Net land, exemptions, groups, rental deductions; pools, their sums and ranges. */
static void
assign_pools(EvalRun *run)
{
	int32	   *pool_of = palloc(sizeof(int32) * Max(run->n_regions, 1) * POOLS_PER_REGION);

	memset(pool_of, -1, sizeof(int32) * Max(run->n_regions, 1) * POOLS_PER_REGION);
	run->pools = MemoryContextAllocHuge(run->cxt, sizeof(EvalPool) * Max(run->n_regions, 1) * POOLS_PER_REGION);
	for (int32 i = 0; i < run->n_firms; i++)
	{
		EvalFirm   *firm = &run->firms[i];
		int32		rsi = firm->rule_set;
		const RuleSet *rs = rsi >= 0 ? &run->rule_sets[rsi] : NULL;
		const RulePool *rp;
		int32		lessees;

		if (!firm->evaluated)
			continue;
		run->firms_evaluated++;
		firm->area = dd_value(firm->held) - dd_value(firm->leased_out) + dd_value(firm->leased_in);
		/* 临海: pools by net land, not by size class */
		firm->pool_class = rs && rs->pool_by_land ? (firm->area >= rs->pool_land_mu ? 0 : 1) : firm->fig.size_class;
		rp = rs ? rs->pool[firm->pool_class] : NULL;
		firm_indicators(firm);
		firm->not_graded = not_graded_reason(run, firm, rs, rp);
		firm->group = industry_group(firm, rs, rp);
		lessees = rp == NULL ? 0 : rp->rental_below_only ? firm->lessees_below : firm->lessees;
		firm->rental_deduction = lessees == 0 ? 0 : rp->rental_first + (lessees - 1) * rp->rental_further;
		if (firm->not_graded != NULL)
			continue;

		/* a graded firm: into its pool's sums */
		{
			int32	   *slot = &pool_of[pool_slot(run, firm)];
			EvalPool   *pool;
			float8		figure[N_INPUTS];
			bool		present[N_INPUTS];

			if (*slot < 0)
			{
				*slot = run->n_pools++;
				pool = &run->pools[*slot];
				memset(pool, 0, sizeof(EvalPool));
				pool->region = firm->region;
				pool->size_class = firm->pool_class;
				pool->rule_set = rs;
				pool->rule = rp;
			}
			pool = &run->pools[*slot];
			firm->pool = *slot;
			pool->graded++;
			run->firms_graded++;
			for (int k = 0; k < N_FIGURES; k++)
			{
				present[k] = (firm->fig.present & (1 << k)) != 0;
				figure[k] = firm->fig.figure[k];
			}
			present[AREA_MU] = true;
			figure[AREA_MU] = firm->area;
			indicator_sums_add(pool->sums, figure, present, "evaluate");
			widen_ranges(pool, firm);
		}
	}
	pfree(pool_of);
}

/* Each pool's benchmarks. */
static void
benchmark_pools(EvalRun *run)
{
	for (int32 p = 0; p < run->n_pools; p++)
	{
		EvalPool   *pool = &run->pools[p];

		for (int j = 0; j < pool->rule->n_indicators; j++)
		{
			const RuleIndicator *ri = &pool->rule->indicator[j];

			pool->has_pool_value[j] = indicator_of_sums(pool->sums, ri->indicator, "evaluate",
														&pool->pool_value[j]);
			pool->has_benchmark[j] = ri->has_fixed || pool->has_pool_value[j];
			pool->benchmark[j] = ri->has_fixed ? ri->fixed : pool->pool_value[j] * ri->multiplier;
		}
	}
}

/* A graded firm's place in the grading order, kept small so the sort stays in cache. */
typedef struct Ranked
{
	int32		pool;
	int32		group;
	float8		score;
	int32		firm;
}			Ranked;

/* by pool, industry group, then score descending: a sort of its own, compared inline */
#define ST_SORT sort_ranked
#define ST_ELEMENT_TYPE Ranked
#define ST_COMPARE(x, y) \
	((x)->pool != (y)->pool ? ((x)->pool < (y)->pool ? -1 : 1) \
	 : (x)->group != (y)->group ? ((x)->group < (y)->group ? -1 : 1) \
	 : ((x)->score < (y)->score) - ((x)->score > (y)->score))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * The graded firms in grading order, placed pool by pool as their scores
 * are summed (each pool's count known), then each pool sorted on its own:
 * a few thousand rows that stay in the cache, where one sort of all the
 * province's firms took a third of the scores' time.
 */
typedef struct GradingOrder
{
	Ranked	   *order;
	int32	   *next;			/* each pool's next place in order */
}			GradingOrder;

static GradingOrder
grading_order(const EvalRun *run)
{
	GradingOrder g = {big_alloc(CurrentMemoryContext, sizeof(Ranked) * Max(run->firms_graded, 1), false),
	palloc(sizeof(int32) * Max(run->n_pools, 1))};

	for (int32 p = 0, at = 0; p < run->n_pools; at += run->pools[p++].graded)
		g.next[p] = at;
	return g;
}

static void
place_in_order(GradingOrder *g, const EvalFirm *firm, int32 i)
{
	Ranked	   *r = &g->order[g->next[firm->pool]++];

	r->pool = firm->pool;
	r->group = firm->group;
	r->score = firm->score;
	r->firm = i;
}

/* The indicator scores of every graded firm, then the pools' mean scores for
 * firms without the figure, then the totals. */
static void
score_firms(EvalRun *run, GradingOrder *g)
{
	float8	   *mean_sums = palloc0(sizeof(float8) * 4 * N_INDICATORS * Max(run->n_pools, 1));

	for (int32 i = 0; i < run->n_firms; i++)
	{
		EvalFirm   *firm = &run->firms[i];
		EvalPool   *pool;

		if (firm->pool < 0)
			continue;
		pool = &run->pools[firm->pool];
		for (int j = 0; j < pool->rule->n_indicators; j++)
		{
			const RuleIndicator *ri = &pool->rule->indicator[j];
			float8		value;
			float8		score;
			float8	   *mean = &mean_sums[(firm->pool * N_INDICATORS + j) * 4];

			if (!eval_firm_indicator(firm, ri->indicator, &value))
				continue;
			if (ri->minmax)
				score = minmax_score_of(value, pool->lo[j], pool->hi[j], ri->weight);
			else if (pool->has_benchmark[j] && pool->benchmark[j] > 0)
				score = ratio_score_of(value, pool->benchmark[j], ri->weight, ri->has_cap ? &ri->cap : NULL);
			else
				continue;		/* no benchmark: no score of its own (evaluate says so) */
			firm->indicator_score[ri->indicator] = score;
			firm->score_present |= 1 << ri->indicator;
			/* per_mu_agg(score, 1): an exact mean, whatever the order */
			dd_add(mean, score);
			dd_add(mean + 2, 1);
		}
	}
	for (int32 p = 0; p < run->n_pools; p++)
		for (int j = 0; j < run->pools[p].rule->n_indicators; j++)
		{
			float8	   *mean = &mean_sums[(p * N_INDICATORS + j) * 4];

			run->pools[p].mean_score[j] = dd_value(mean + 2) == 0 ? 0 : dd_value(mean) / dd_value(mean + 2);
		}
	pfree(mean_sums);

	for (int32 i = 0; i < run->n_firms; i++)
	{
		EvalFirm   *firm = &run->firms[i];
		EvalPool   *pool;
		float8		total;

		if (firm->pool < 0)
			continue;
		pool = &run->pools[firm->pool];
		for (int j = 0; j < pool->rule->n_indicators; j++)
		{
			const RuleIndicator *ri = &pool->rule->indicator[j];

			if (firm->score_present & (1 << ri->indicator))
				continue;
			firm->indicator_score[ri->indicator] = ri->pool_mean ? pool->mean_score[j] : 0;
			firm->score_present |= 1 << ri->indicator;
		}
		/* a fixed order of additions, so equal firms get equal bits */
		total = (firm->score_present & 1) ? firm->indicator_score[0] : 0;
		for (int k = 1; k < N_INDICATORS; k++)
			total += (firm->score_present & (1 << k)) ? firm->indicator_score[k] : 0;
		firm->score = require_finite_result("evaluate", total + firm->fig.bonus - firm->fig.deduction - firm->rental_deduction);
		place_in_order(g, firm, i);
	}
}

/* rank() and quota_grade() within each pool and industry group */
static void
grade_firms(EvalRun *run, GradingOrder *g)
{
	Ranked	   *order = g->order;
	int32		n = run->firms_graded;

	for (int32 p = 0, at = 0; p < run->n_pools; at += run->pools[p++].graded)
		sort_ranked(&order[at], run->pools[p].graded);

	for (int32 start = 0, end; start < n; start = end)
	{
		const RulePool *rp = run->pools[order[start].pool].rule;
		int64		limit[3];

		for (end = start; end < n && order[end].pool == order[start].pool &&
			 order[end].group == order[start].group; end++)
			;
		for (int i = 0; i < 3; i++)
			limit[i] = quota_limit(end - start, rp->shares[i]);
		for (int32 i = start, rank = 1; i < end; i++)
		{
			EvalFirm   *firm = &run->firms[order[i].firm];
			int			grade = 0;

			if (i > start && order[i].score != order[i - 1].score)
				rank = i - start + 1;	/* ties keep the rank of their first firm */
			while (grade < 3 && rank > limit[grade])
				grade++;
			firm->rank = rank;
			firm->pool_size = end - start;
			firm->grade_initial = grade;
			firm->grade = firm->fig.veto_reason != NULL ? 3 : grade;	/* 一票否决: D */
		}
	}
	big_free(order);
	pfree(g->next);
}

/* A notice per pool and ratio indicator without a positive benchmark. */
typedef struct BenchmarkNotice
{
	const char *region;
	int			size_class;
	int			indicator;
	char	   *benchmark;
}			BenchmarkNotice;

static int
by_region_pool_indicator(const void *a, const void *b)
{
	const BenchmarkNotice *x = a;
	const BenchmarkNotice *y = b;
	int			c = strcmp(x->region, y->region);

	if (c != 0)
		return c;
	if (x->size_class != y->size_class)
		return x->size_class - y->size_class;
	return x->indicator - y->indicator;
}

static void
notice_missing_benchmarks(EvalRun *run)
{
	BenchmarkNotice *notice = palloc(sizeof(BenchmarkNotice) * Max(run->n_pools, 1) * N_INDICATORS);
	int			n = 0;

	for (int32 p = 0; p < run->n_pools; p++)
	{
		EvalPool   *pool = &run->pools[p];

		for (int j = 0; j < pool->rule->n_indicators; j++)
			if (!pool->rule->indicator[j].minmax && !(pool->has_benchmark[j] && pool->benchmark[j] > 0))
			{
				notice[n].region = eval_region_text(run, pool->region);
				notice[n].size_class = pool->size_class;
				notice[n].indicator = pool->rule->indicator[j].indicator;
				notice[n++].benchmark = pool->has_benchmark[j] ? float8out_internal(pool->benchmark[j]) : "missing";
			}
	}
	qsort(notice, n, sizeof(BenchmarkNotice), by_region_pool_indicator);
	for (int i = 0; i < n; i++)
		ereport(NOTICE,
				(errmsg("evaluate: region %s pool %s: benchmark of %s is %s, so no firm scores on it",
						notice[i].region, size_class_names[notice[i].size_class],
						indicator_names[notice[i].indicator], notice[i].benchmark)));
	pfree(notice);
}

/* One notice per reason firms were not graded, with how many. */
typedef struct ReasonCount
{
	char	   *reason;
	int64		firms;
}			ReasonCount;

static int
by_reason(const void *a, const void *b)
{
	return strcmp(((const ReasonCount *) a)->reason, ((const ReasonCount *) b)->reason);
}

void
eval_notice_not_graded(EvalRun *run)
{
	ReasonCount reasons[8];
	int			n = 0;

	for (int32 i = 0; i < run->n_firms; i++)
	{
		EvalFirm   *firm = &run->firms[i];
		const char *colon;
		int			len;
		int			r;

		if (!firm->evaluated || firm->not_graded == NULL)
			continue;
		colon = strchr(firm->not_graded, ':');
		len = colon ? (int) (colon - firm->not_graded) : (int) strlen(firm->not_graded);
		for (r = 0; r < n; r++)
			if (strncmp(reasons[r].reason, firm->not_graded, len) == 0 && reasons[r].reason[len] == '\0')
				break;
		if (r == n)
		{
			if (n == lengthof(reasons))
				continue;		/* the reasons are the five of not_graded_reason() */
			reasons[n].reason = pnstrdup(firm->not_graded, len);
			reasons[n++].firms = 0;
		}
		reasons[r].firms++;
	}
	qsort(reasons, n, sizeof(ReasonCount), by_reason);
	for (int r = 0; r < n; r++)
		ereport(NOTICE, (errmsg("evaluate: " INT64_FORMAT " firm(s) not graded: %s",
								reasons[r].firms, reasons[r].reason)));
	if (run->parcels_without_holder > 0)
		ereport(NOTICE, (errmsg("evaluate: " INT64_FORMAT " parcel(s) in the region have no holder and are not evaluated",
								run->parcels_without_holder)));
}

void
eval_score_pools(EvalRun *run)
{
	GradingOrder g;

	assign_pools(run);
	benchmark_pools(run);
	g = grading_order(run);
	score_firms(run, &g);
	notice_missing_benchmarks(run);
	grade_firms(run, &g);
}
