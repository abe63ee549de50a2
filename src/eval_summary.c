/*
 * eval_summary.c — what the engine writes to evaluation_summary for each
 * region: counts by grade and tax tier, double-double sums that are partial
 * states of per_mu_agg (so v_region_summary combines counties into cities
 * and the province exactly), and a digest of the region's rows.
 *
 * The digest is the sum, modulo 2^64 in each of two halves, of a 128-bit hash
 * of every row's content (all it stores but evaluated_at): it does not
 * depend on the order of rows, and a rerun whose digest and row count match
 * the stored ones would write the region's rows unchanged.
 */
#include "postgres.h"

#include "common/hashfn.h"

#include "dd_state.h"
#include "eval_engine.h"
#include "hash128.h"
#include "tax_tier.h"

/* A row's content, laid out field after field for hashing: fixed-size
 * fields, and texts (of any length) as their length and hash. */
typedef struct RowBytes
{
	char		data[512];
	int			len;
}			RowBytes;

static void
put(RowBytes *buf, const void *bytes, int len)
{
	Assert(buf->len + len <= (int) sizeof(buf->data));
	memcpy(buf->data + buf->len, bytes, len);
	buf->len += len;
}

static void
put_float(RowBytes *buf, float8 x)
{
	if (x == 0)
		x = 0;					/* -0 and 0 are the same figure */
	put(buf, &x, sizeof(x));
}

static void
put_int(RowBytes *buf, int32 x)
{
	put(buf, &x, sizeof(x));
}

/* a text as its length and 64-bit hash; NULL as length -1 */
static void
put_string(RowBytes *buf, const char *s)
{
	int32		len = s ? (int32) strlen(s) : -1;
	uint64		hash = s ? hash_bytes_extended((const unsigned char *) s, len, 0) : 0;

	put(buf, &len, sizeof(len));
	put(buf, &hash, sizeof(hash));
}

/* Everything firm_row() writes but the year and evaluated_at. */
static void
row_content(const EvalRun *run, const EvalFirm *firm, RowBytes *buf)
{
	int32		rsi = firm->rule_set;
	const RuleSet *rs = rsi >= 0 ? &run->rule_sets[rsi] : NULL;

	buf->len = 0;
	put(buf, &firm->uscc, sizeof(CodeKey));
	put(buf, &run->region_code[firm->region], sizeof(CodeKey));
	put_string(buf, rs ? rs->id : NULL);
	put_int(buf, firm->pool_class);
	put_string(buf, firm->group == NO_GROUP ? NULL
			   : firm->group == OTHER_GROUP ? OTHER_GROUP_NAME : rs->groups[firm->group].name);
	put_float(buf, dd_value(firm->held));
	put_float(buf, dd_value(firm->leased_out));
	put_float(buf, dd_value(firm->leased_in));
	put_float(buf, firm->area);
	/* the figures decide the indicators; absent ones count as 0 under the mask */
	put_int(buf, firm->fig.present);
	for (int k = 0; k < N_FIGURES; k++)
		put_float(buf, (firm->fig.present & (1 << k)) ? firm->fig.figure[k] : 0);
	put_float(buf, firm->fig.bonus);
	put_float(buf, firm->fig.deduction);
	put_float(buf, firm->rental_deduction);
	put_int(buf, firm->score_present);
	for (int k = 0; k < N_INDICATORS; k++)
		put_float(buf, (firm->score_present & (1 << k)) ? firm->indicator_score[k] : 0);
	put_int(buf, firm->pool >= 0);
	if (firm->pool >= 0)
	{
		put_float(buf, firm->score);
		put_int(buf, firm->rank);
		put_int(buf, firm->pool_size);
		put_int(buf, firm->grade_initial);
		put_int(buf, firm->grade);
	}
	put_string(buf, firm->not_graded);
	put_string(buf, firm->fig.veto_reason);
	/* the tiers count the row under its rule set's bounds: new bounds rewrite the summary */
	if (rs)
	{
		for (int i = 0; i < 3; i++)
			put_float(buf, rs->tier_bounds[i]);
		put_int(buf, rs->tier_includes_bound);
	}
}

/*
 * fallback_bounds: the tiers of a firm whose region has no rule set (the
 * default applies everywhere, so none in practice); the others are counted
 * under their rule set's tiers.
 */
void
eval_summarise(EvalRun *run, const float8 *fallback_bounds, int n_bounds)
{
	RowBytes	buf;
	uint64		row_hash[2];

	run->summaries = MemoryContextAllocZero(run->cxt, sizeof(RegionSummary) * Max(run->n_regions, 1));
	for (int32 i = 0; i < run->n_firms; i++)
	{
		EvalFirm   *firm = &run->firms[i];
		RegionSummary *s = &run->summaries[firm->region];
		float8		tax_per_mu;

		if (!firm->evaluated)
			continue;
		s->firms++;
		if (eval_firm_indicator(firm, TAX_PER_MU, &tax_per_mu))
		{
			/* the firm's own rule set (a park firm's may differ from its region's) */
			int32		rsi = firm->rule_set;
			const RuleSet *rs = rsi >= 0 ? &run->rule_sets[rsi] : NULL;

			s->tier[rs ? tax_tier_of(tax_per_mu, rs->tier_bounds, 3, rs->tier_includes_bound)
					: tax_tier_of(tax_per_mu, fallback_bounds, n_bounds, false)]++;
		}
		if (firm->pool >= 0)
		{
			s->graded++;
			s->grade[firm->grade]++;
			dd_add(s->area, firm->area);
			/* per_mu_agg's rule: a figure and a non-zero area */
			if ((firm->fig.present & (1 << TAX)) && firm->area != 0)
			{
				dd_add(s->tax, firm->fig.figure[TAX]);
				dd_add(s->tax + 2, firm->area);
			}
			if ((firm->fig.present & (1 << VALUE_ADDED)) && firm->area != 0)
			{
				dd_add(s->va, firm->fig.figure[VALUE_ADDED]);
				dd_add(s->va + 2, firm->area);
			}
		}
		row_content(run, firm, &buf);
		hash128(buf.data, buf.len, row_hash);
		s->digest[0] += row_hash[0];
		s->digest[1] += row_hash[1];
	}
}
