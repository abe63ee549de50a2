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

#include "eval_engine.h"
#include "spi_rows.h"

static char *
text_in_run(EvalRun *run, Datum d)
{
	return MemoryContextStrdup(run->cxt, TextDatumGetCString(d));
}

static void
add_rule_set(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs;

	run->rule_sets = eval_grow(run, run->rule_sets, run->n_rule_sets, &run->max_rule_sets, sizeof(RuleSet));
	rs = &run->rule_sets[run->n_rule_sets++];
	memset(rs, 0, sizeof(RuleSet));
	rs->id = text_in_run(run, v[0]);
	rs->has_new_land_years = !isnull[1];
	rs->new_land_years = isnull[1] ? 0 : DatumGetInt32(v[1]);
	rs->persistent_min_mu = DatumGetFloat8(v[2]);
	rs->persistent_line = DatumGetFloat8(v[3]);
	rs->non_industrial_since = DatumGetDateADT(v[4]);
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

static void
add_pool(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs = rule_set_named(run, v[0]);
	RulePool   *pool;

	if (rs == NULL)
		return;
	pool = MemoryContextAllocZero(run->cxt, sizeof(RulePool));
	for (int i = 0; i < 3; i++)
		pool->shares[i] = DatumGetFloat8(v[2 + i]);
	pool->land_floor = DatumGetFloat8(v[5]);
	pool->group_by_industry = DatumGetBool(v[6]);
	pool->rental_first = DatumGetFloat8(v[7]);
	pool->rental_further = DatumGetFloat8(v[8]);
	pool->has_low_tax = !isnull[9];
	pool->low_tax = isnull[9] ? 0 : DatumGetFloat8(v[9]);
	rs->pool[DatumGetBool(v[1]) ? 1 : 0] = pool;
}

static void
add_indicator(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs = rule_set_named(run, v[0]);
	RulePool   *pool = rs ? rs->pool[DatumGetBool(v[1]) ? 1 : 0] : NULL;
	RuleIndicator *ri;

	if (pool == NULL)
		return;
	ri = &pool->indicator[pool->n_indicators++];
	ri->indicator = DatumGetInt32(v[2]);
	ri->weight = DatumGetFloat8(v[3]);
	ri->minmax = DatumGetBool(v[4]);
	ri->has_fixed = !isnull[5];
	ri->fixed = isnull[5] ? 0 : DatumGetFloat8(v[5]);
	ri->multiplier = DatumGetFloat8(v[6]);
	ri->has_cap = !isnull[7];
	ri->cap = isnull[7] ? 0 : DatumGetFloat8(v[7]);
	ri->pool_mean = DatumGetBool(v[8]);
}

static void
add_group(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	RuleSet    *rs = rule_set_named(run, v[0]);
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
	g->name = TextDatumGetCString(v[1]);
	deconstruct_array(DatumGetArrayTypeP(v[2]), TEXTOID, -1, false, TYPALIGN_INT, &prefix, &prefix_null, &n);
	g->prefixes = palloc(sizeof(char *) * Max(n, 1));
	g->n_prefixes = 0;
	for (int i = 0; i < n; i++)
		if (!prefix_null[i])	/* starts_with(code, NULL) matches nothing */
			g->prefixes[g->n_prefixes++] = TextDatumGetCString(prefix[i]);
	MemoryContextSwitchTo(old);
}

static void
add_region(void *arg, Datum *v, bool *isnull)
{
	EvalRun    *run = arg;
	int32		i = run->n_regions;

	run->region_code = eval_grow(run, run->region_code, i, &run->max_regions, sizeof(CodeKey));
	run->region_rule_set = eval_grow(run, run->region_rule_set, i, &run->max_region_rule_sets, sizeof(int32));
	run->n_regions++;
	run->region_code[i] = code_key_of(v[0], "region code");
	run->region_rule_set[i] = isnull[1] ? -1 : eval_rule_set_index(run, TextDatumGetCString(v[1]));
	code_map_put(run->regions, &run->region_code[i], i);
}

void
eval_load_rules(EvalRun *run)
{
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(run->year), CStringGetTextDatum(run->prefix)};

	spi_each_row("SELECT id, new_land_exempt_years, persistent_low_min_mu, persistent_low_tax_per_mu, "
				 "non_industrial_since FROM parcel_gov.rule_set ORDER BY id", 0, NULL, NULL, NULL, add_rule_set, NULL, run);
	spi_each_row("SELECT rule_set_id, pool = 'below', a_share, b_share, c_share, land_floor_mu, "
				 "group_by_industry, rental_first_deduction, rental_further_deduction, low_tax_per_mu "
				 "FROM parcel_gov.rule_pool", 0, NULL, NULL, NULL, add_pool, NULL, run);
	spi_each_row("SELECT rule_set_id, pool = 'below', "
				 "array_position(enum_range(NULL::parcel_gov.indicator), indicator) - 1, weight, "
				 "method = 'minmax', benchmark_fixed, benchmark_multiplier, cap, missing = 'pool_mean' "
				 "FROM parcel_gov.rule_indicator ORDER BY rule_set_id, pool, indicator",
				 0, NULL, NULL, NULL, add_indicator, NULL, run);
	/* groups in the order of their names, as a rule lists them */
	spi_each_row("SELECT rule_set_id, industry_group, industry_prefixes FROM parcel_gov.rule_industry_group "
				 "ORDER BY rule_set_id, industry_group", 0, NULL, NULL, NULL, add_group, NULL, run);

	run->regions = code_map_create(run->cxt, 128, (void *const *) &run->region_code, sizeof(CodeKey), 0);
	spi_each_row("SELECT r.code, parcel_gov.rule_set_for(r.code, $1) FROM parcel_gov.region r "
				 "WHERE starts_with(r.code, $2)", 2, types, values, NULL, add_region, NULL, run);
}
