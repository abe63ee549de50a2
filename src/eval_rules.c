/*
 * eval_rules.c — the rules a run applies (rule_set, rule_pool,
 * rule_indicator, rule_industry_group), and which rule set each region of
 * the prefix gets for the year (rule_set_for: the most specific prefix wins).
 * The rule tables are small, so every rule set is loaded: an outside firm's
 * stored evaluation may name any of them.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "enum_oids.h"
#include "eval_engine.h"
#include "low_efficiency.h"
#include "spi_rows.h"

static char *
text_in_run(EvalRun *run, Datum d)
{
	return MemoryContextStrdup(run->cxt, TextDatumGetCString(d));
}

/* rule_set: one row per rule set */
enum
{
	RULE_SET_COL_ID, RULE_SET_COL_NEW_LAND_YEARS, RULE_SET_COL_PERSISTENT_MIN_MU, RULE_SET_COL_PERSISTENT_LINE,
	RULE_SET_COL_NON_INDUSTRIAL_SINCE, RULE_SET_COL_SCATTERED_POLLUTING_BATCH, RULE_SET_COL_COLLECTIVE_INDUSTRIAL_BATCH,
	RULE_SET_COL_SHUTDOWN_DEPARTMENTS, RULE_SET_COL_POOL_LAND_MU, RULE_SET_COL_TIER_1, RULE_SET_COL_TIER_2,
	RULE_SET_COL_TIER_3, RULE_SET_COL_TIER_INCLUDES_BOUND, RULE_SET_COL_PERSISTENT_ON_PARCEL, N_RULE_SET_COLS
};

static const char *rule_set_cols[] = {	/* the two batches, rule_issue: 1.10.0 */
	[RULE_SET_COL_ID] = "id",
	[RULE_SET_COL_NEW_LAND_YEARS] = "new_land_exempt_years",
	[RULE_SET_COL_PERSISTENT_MIN_MU] = "persistent_low_min_mu",
	[RULE_SET_COL_PERSISTENT_LINE] = "persistent_low_tax_per_mu",
	[RULE_SET_COL_NON_INDUSTRIAL_SINCE] = "non_industrial_since",
	[RULE_SET_COL_SCATTERED_POLLUTING_BATCH] = "scattered_polluting_batch",
	[RULE_SET_COL_COLLECTIVE_INDUSTRIAL_BATCH] = "collective_industrial_batch",
	[RULE_SET_COL_SHUTDOWN_DEPARTMENTS] = "0",
	[RULE_SET_COL_POOL_LAND_MU] = "CASE WHEN pool_by = 'land_mu' THEN pool_land_mu END",	/* 1.11.0 */
	/* three bounds, ascending and finite (rule_set_tax_tier_bounds) */
	[RULE_SET_COL_TIER_1] = "tax_tier_bounds[1]",
	[RULE_SET_COL_TIER_2] = "tax_tier_bounds[2]",
	[RULE_SET_COL_TIER_3] = "tax_tier_bounds[3]",
	[RULE_SET_COL_TIER_INCLUDES_BOUND] = "tax_tier_includes_bound",
	[RULE_SET_COL_PERSISTENT_ON_PARCEL] = "persistent_low_land = 'parcel'",
};

SPI_SELECT(rule_set_query, rule_set_cols, N_RULE_SET_COLS, "FROM parcel_gov.rule_set ORDER BY id");

static void
add_rule_set(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs;

	run->rule_sets = eval_grow(run, run->rule_sets, run->n_rule_sets, &run->max_rule_sets, sizeof(RuleSet));
	rs = &run->rule_sets[run->n_rule_sets++];
	memset(rs, 0, sizeof(RuleSet));
	rs->id = text_in_run(run, v[RULE_SET_COL_ID]);
	rs->has_new_land_years = !isnull[RULE_SET_COL_NEW_LAND_YEARS];
	rs->new_land_years = isnull[RULE_SET_COL_NEW_LAND_YEARS] ? 0 : DatumGetInt32(v[RULE_SET_COL_NEW_LAND_YEARS]);
	rs->persistent_min_mu = DatumGetFloat8(v[RULE_SET_COL_PERSISTENT_MIN_MU]);
	rs->persistent_line = DatumGetFloat8(v[RULE_SET_COL_PERSISTENT_LINE]);
	rs->non_industrial_since = DatumGetDateADT(v[RULE_SET_COL_NON_INDUSTRIAL_SINCE]);
	rs->scattered_polluting_batch = isnull[RULE_SET_COL_SCATTERED_POLLUTING_BATCH] ? -1 :
		enum_label_index(DatumGetObjectId(v[RULE_SET_COL_SCATTERED_POLLUTING_BATCH]), batch_labels, N_BATCHES);
	rs->collective_industrial_batch = isnull[RULE_SET_COL_COLLECTIVE_INDUSTRIAL_BATCH] ? -1 :
		enum_label_index(DatumGetObjectId(v[RULE_SET_COL_COLLECTIVE_INDUSTRIAL_BATCH]), batch_labels, N_BATCHES);
	rs->shutdown_departments = DatumGetInt32(v[RULE_SET_COL_SHUTDOWN_DEPARTMENTS]);
	rs->pool_by_land = !isnull[RULE_SET_COL_POOL_LAND_MU];
	rs->pool_land_mu = isnull[RULE_SET_COL_POOL_LAND_MU] ? 0 : DatumGetFloat8(v[RULE_SET_COL_POOL_LAND_MU]);
	for (int i = 0; i < 3; i++)
		rs->tier_bounds[i] = DatumGetFloat8(v[RULE_SET_COL_TIER_1 + i]);
	rs->tier_includes_bound = DatumGetBool(v[RULE_SET_COL_TIER_INCLUDES_BOUND]);
	rs->persistent_on_parcel = DatumGetBool(v[RULE_SET_COL_PERSISTENT_ON_PARCEL]);
}

int
eval_rule_set_index(const EvalRun *run, const char *id)
{
	for (int i = 0; i < run->n_rule_sets; i++)
		if (strcmp(run->rule_sets[i].id, id) == 0)
			return i;
	return -1;
}

static RuleSet *
rule_set_named(EvalRun *run, Datum id)
{
	int			i = eval_rule_set_index(run, TextDatumGetCString(id));

	return i < 0 ? NULL : &run->rule_sets[i];
}

/* rule_pool: one row per rule set and pool (size class) */
enum
{
	POOL_COL_RULE_SET_ID, POOL_COL_BELOW,
	POOL_COL_A_SHARE, POOL_COL_B_SHARE, POOL_COL_C_SHARE,	/* in a row: shares[0..2] */
	POOL_COL_LAND_FLOOR, POOL_COL_GROUP_BY_INDUSTRY, POOL_COL_RENTAL_FIRST, POOL_COL_RENTAL_FURTHER,
	POOL_COL_LOW_TAX, POOL_COL_RENTAL_BELOW, POOL_COL_FLOOR_SECTIONS, N_POOL_COLS
};

static const char *pool_cols[] = {	/* rental_lessees, land_floor_sections: 1.11.0 */
	[POOL_COL_RULE_SET_ID] = "rule_set_id",
	[POOL_COL_BELOW] = "pool = 'below'",
	[POOL_COL_A_SHARE] = "a_share",
	[POOL_COL_B_SHARE] = "b_share",
	[POOL_COL_C_SHARE] = "c_share",
	[POOL_COL_LAND_FLOOR] = "land_floor_mu",
	[POOL_COL_GROUP_BY_INDUSTRY] = "group_by_industry",
	[POOL_COL_RENTAL_FIRST] = "rental_first_deduction",
	[POOL_COL_RENTAL_FURTHER] = "rental_further_deduction",
	[POOL_COL_LOW_TAX] = "low_tax_per_mu",
	[POOL_COL_RENTAL_BELOW] = "false",
	[POOL_COL_FLOOR_SECTIONS] = "0",
};

SPI_SELECT(pool_query, pool_cols, N_POOL_COLS, "FROM parcel_gov.rule_pool");

static void
add_pool(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs = rule_set_named(run, v[POOL_COL_RULE_SET_ID]);
	RulePool   *pool;

	if (rs == NULL)
		return;
	pool = MemoryContextAllocZero(run->cxt, sizeof(RulePool));
	for (int i = 0; i < 3; i++)
		pool->shares[i] = DatumGetFloat8(v[POOL_COL_A_SHARE + i]);
	pool->land_floor = DatumGetFloat8(v[POOL_COL_LAND_FLOOR]);
	pool->group_by_industry = DatumGetBool(v[POOL_COL_GROUP_BY_INDUSTRY]);
	pool->rental_first = DatumGetFloat8(v[POOL_COL_RENTAL_FIRST]);
	pool->rental_further = DatumGetFloat8(v[POOL_COL_RENTAL_FURTHER]);
	pool->has_low_tax = !isnull[POOL_COL_LOW_TAX];
	pool->low_tax = isnull[POOL_COL_LOW_TAX] ? 0 : DatumGetFloat8(v[POOL_COL_LOW_TAX]);
	pool->rental_below_only = DatumGetBool(v[POOL_COL_RENTAL_BELOW]);
	pool->floor_sections = (uint32) DatumGetInt32(v[POOL_COL_FLOOR_SECTIONS]);
	rs->pool[DatumGetBool(v[POOL_COL_BELOW]) ? 1 : 0] = pool;
}

/* rule_indicator: one row per rule set, pool and indicator, in indicator order */
enum
{
	IND_COL_RULE_SET_ID, IND_COL_BELOW, IND_COL_INDICATOR, IND_COL_WEIGHT, IND_COL_MINMAX, IND_COL_FIXED,
	IND_COL_MULTIPLIER, IND_COL_CAP, IND_COL_POOL_MEAN, N_IND_COLS
};

static const char *const indicator_cols[] = {
	[IND_COL_RULE_SET_ID] = "rule_set_id",
	[IND_COL_BELOW] = "pool = 'below'",
	[IND_COL_INDICATOR] = "array_position(enum_range(NULL::parcel_gov.indicator), indicator) - 1",
	[IND_COL_WEIGHT] = "weight",
	[IND_COL_MINMAX] = "method = 'minmax'",
	[IND_COL_FIXED] = "benchmark_fixed",
	[IND_COL_MULTIPLIER] = "benchmark_multiplier",
	[IND_COL_CAP] = "cap",
	[IND_COL_POOL_MEAN] = "missing = 'pool_mean'",
};

SPI_SELECT(indicator_query, indicator_cols, N_IND_COLS,
		   "FROM parcel_gov.rule_indicator ORDER BY rule_set_id, pool, indicator");

static void
add_indicator(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs = rule_set_named(run, v[IND_COL_RULE_SET_ID]);
	RulePool   *pool = rs ? rs->pool[DatumGetBool(v[IND_COL_BELOW]) ? 1 : 0] : NULL;
	RuleIndicator *ri;

	if (pool == NULL)
		return;
	ri = &pool->indicator[pool->n_indicators++];
	ri->indicator = DatumGetInt32(v[IND_COL_INDICATOR]);
	ri->weight = DatumGetFloat8(v[IND_COL_WEIGHT]);
	ri->minmax = DatumGetBool(v[IND_COL_MINMAX]);
	ri->has_fixed = !isnull[IND_COL_FIXED];
	ri->fixed = isnull[IND_COL_FIXED] ? 0 : DatumGetFloat8(v[IND_COL_FIXED]);
	/* a fixed benchmark is a year's: a quarter's year to date is measured against its share */
	if (run->month > 0 && eval_indicator_accrues(ri->indicator))
		ri->fixed *= run->month / 12.0;
	ri->multiplier = DatumGetFloat8(v[IND_COL_MULTIPLIER]);
	ri->has_cap = !isnull[IND_COL_CAP];
	ri->cap = isnull[IND_COL_CAP] ? 0 : DatumGetFloat8(v[IND_COL_CAP]);
	ri->pool_mean = DatumGetBool(v[IND_COL_POOL_MEAN]);
}

/* rule_industry_group: groups in the order of their names, as a rule lists them */
enum
{
	GROUP_COL_RULE_SET_ID, GROUP_COL_NAME, GROUP_COL_PREFIXES, N_GROUP_COLS
};

static const char *const group_cols[] = {
	[GROUP_COL_RULE_SET_ID] = "rule_set_id",
	[GROUP_COL_NAME] = "industry_group",
	[GROUP_COL_PREFIXES] = "industry_prefixes",
};

SPI_SELECT(group_query, group_cols, N_GROUP_COLS,
		   "FROM parcel_gov.rule_industry_group ORDER BY rule_set_id, industry_group");

static void
add_group(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs = rule_set_named(run, v[GROUP_COL_RULE_SET_ID]);
	IndustryGroup *g;
	Datum	   *prefix;
	bool	   *prefix_null;
	int			n;
	MemoryContext old;

	if (rs == NULL)
		return;
	old = MemoryContextSwitchTo(run->cxt);
	rs->groups = rs->n_groups == 0 ? palloc(sizeof(IndustryGroup))
		: repalloc(rs->groups, sizeof(IndustryGroup) * (rs->n_groups + 1));
	g = &rs->groups[rs->n_groups++];
	g->name = TextDatumGetCString(v[GROUP_COL_NAME]);
	deconstruct_array(DatumGetArrayTypeP(v[GROUP_COL_PREFIXES]), TEXTOID, -1, false, TYPALIGN_INT, &prefix, &prefix_null, &n);
	g->prefixes = palloc(sizeof(char *) * Max(n, 1));
	g->n_prefixes = 0;
	for (int i = 0; i < n; i++)
		if (!prefix_null[i])	/* starts_with(code, NULL) matches nothing */
			g->prefixes[g->n_prefixes++] = TextDatumGetCString(prefix[i]);
	MemoryContextSwitchTo(old);
}

/* region of the prefix ($2), and its rule set for the year ($1) */
enum
{
	REGION_COL_CODE, REGION_COL_RULE_SET_ID, REGION_COL_PARK_RULE_SET_ID, N_REGION_COLS
};

static const char *region_cols[] = {	/* the rule set for park firms: 1.11.0 */
	[REGION_COL_CODE] = "r.code",
	[REGION_COL_RULE_SET_ID] = "parcel_gov.rule_set_for(r.code, $1)",
	[REGION_COL_PARK_RULE_SET_ID] = "parcel_gov.rule_set_for(r.code, $1)",
};

SPI_SELECT(region_query, region_cols, N_REGION_COLS,
		   "FROM parcel_gov.region r WHERE starts_with(r.code, $2)");

static void
add_region(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	int32		i = run->n_regions;

	run->region_code = eval_grow(run, run->region_code, i, &run->max_regions, sizeof(CodeKey));
	run->region_rule_set = eval_grow(run, run->region_rule_set, i, &run->max_region_rule_sets, sizeof(int32));
	run->region_park_rule_set = eval_grow(run, run->region_park_rule_set, i, &run->max_region_park_rule_sets,
										  sizeof(int32));
	run->n_regions++;
	run->region_code[i] = code_key_of(v[REGION_COL_CODE], "region code");
	run->region_rule_set[i] = isnull[REGION_COL_RULE_SET_ID] ? -1
		: eval_rule_set_index(run, TextDatumGetCString(v[REGION_COL_RULE_SET_ID]));
	run->region_park_rule_set[i] = isnull[REGION_COL_PARK_RULE_SET_ID] ? -1
		: eval_rule_set_index(run, TextDatumGetCString(v[REGION_COL_PARK_RULE_SET_ID]));
	code_map_put(run->regions, &run->region_code[i], i);
}

void
eval_load_rules(EvalRun *run)
{
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};

	rule_set_cols[RULE_SET_COL_SCATTERED_POLLUTING_BATCH] =
		spi_column_or("rule_set", "scattered_polluting_batch", "scattered_polluting_batch", "NULL::parcel_gov.batch");
	rule_set_cols[RULE_SET_COL_COLLECTIVE_INDUSTRIAL_BATCH] =
		spi_column_or("rule_set", "collective_industrial_batch", "collective_industrial_batch", "NULL::parcel_gov.batch");
	/* the tax tiers, as rule data from 1.11.0; before, 5/10/15 under (below the bound) */
	for (int i = 0; i < 3; i++)
		rule_set_cols[RULE_SET_COL_TIER_1 + i] =
			spi_column_or("rule_set", "tax_tier_bounds", psprintf("tax_tier_bounds[%d]", i + 1),
						  psprintf("%d::float8", 5 * (i + 1)));
	rule_set_cols[RULE_SET_COL_TIER_INCLUDES_BOUND] =
		spi_column_or("rule_set", "tax_tier_includes_bound", "tax_tier_includes_bound", "false");
	/* 桐庐's rule on the parcel from 1.11.0; before, on the holder's net land */
	rule_set_cols[RULE_SET_COL_PERSISTENT_ON_PARCEL] =
		spi_column_or("rule_set", "persistent_low_land", "persistent_low_land = 'parcel'", "false");
	/* 问题清单: the departments whose overdue open issues mean 关停退出 */
	rule_set_cols[RULE_SET_COL_SHUTDOWN_DEPARTMENTS] =
		spi_column_or("rule_issue", "shutdown_when_overdue",
					  "(SELECT coalesce(bit_or(1 << (array_position(enum_range(NULL::parcel_gov.issue_department), ri.department) - 1)), 0) "
					  "FROM parcel_gov.rule_issue ri WHERE ri.rule_set_id = rule_set.id AND ri.shutdown_when_overdue)",
					  "0");
	/* 温岭: the lessees a rental deduction counts; 上虞: the sections a land floor holds for */
	pool_cols[POOL_COL_RENTAL_BELOW] =
		spi_column_or("rule_pool", "rental_lessees", "rental_lessees = 'below'", "false");
	pool_cols[POOL_COL_FLOOR_SECTIONS] =
		spi_column_or("rule_pool", "land_floor_sections",
					  "(SELECT coalesce(bit_or(1 << (ascii(s) - ascii('A'))), 0) FROM unnest(land_floor_sections) AS s)",
					  "0");
	rule_set_cols[RULE_SET_COL_POOL_LAND_MU] =
		spi_column_or("rule_set", "pool_by", "CASE WHEN pool_by = 'land_mu' THEN pool_land_mu END", "NULL::float8");
	spi_each_select(&rule_set_query, 0, NULL, NULL, NULL, add_rule_set, NULL, run);
	spi_each_select(&pool_query, 0, NULL, NULL, NULL, add_pool, NULL, run);
	spi_each_select(&indicator_query, 0, NULL, NULL, NULL, add_indicator, NULL, run);
	spi_each_select(&group_query, 0, NULL, NULL, NULL, add_group, NULL, run);

	/* 温岭: a rule set may hold for the region's firms in parks only */
	region_cols[REGION_COL_PARK_RULE_SET_ID] =
		spi_column_or("rule_set", "firm_scope", "parcel_gov.rule_set_for(r.code, $1, true)",
					  "parcel_gov.rule_set_for(r.code, $1)");
	run->regions = code_map_create(run->cxt, 128, (void *const *) &run->region_code, sizeof(CodeKey), 0);
	spi_each_select(&region_query, 2, types, values, NULL, add_region, NULL, run);
}
