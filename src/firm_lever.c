/*
 * firm_lever.c — 一企一策: how much more tax, how much more value added, or
 * how much land given back would alone lift a firm's score to a target
 * (the lowest score holding the next better grade), with the pool's
 * benchmarks and the other firms' scores held where the evaluation left
 * them.  The score is recomputed with the engine's own pieces
 * (indicator_of_row, ratio_score_of, minmax_score_of, the same order of
 * additions), so a lever changes every indicator it feeds and meets caps,
 * weights and the fallback for a missing figure exactly as evaluate() does.
 *
 * Answers are whole steps, the smallest that reach the target: a cent of
 * tax or value added (10⁻⁶ 万元), a hundredth of a mu of land; one step less
 * does not reach it.  The score never falls as a lever grows (ratios and
 * clamped ranges of growing figures), so a binary search over the steps
 * finds the smallest.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "error.h"
#include "indicators.h"
#include "scores.h"

PG_FUNCTION_INFO_V1(score_lever);
PG_FUNCTION_INFO_V1(per_mu_lever);

/* steps as divisions, so that an answer prints as its decimal (9.700001, not 9.700001000000001) */
#define CENTS_PER_WANYUAN 1e6
#define HUNDREDTHS_PER_MU 1e2
#define MAX_CENTS INT64CONST(2000000000000000)	/* 2 × 10⁹ 万元: beyond any firm's figures */

/* a row of the scoring array: how one indicator is scored in the firm's pool */
enum
{
	S_WEIGHT, S_MINMAX, S_BENCHMARK, S_LO, S_HI, S_CAP, N_SCORING
};

typedef struct FirmInputs
{
	float8		figure[N_INPUTS];
	bool		present[N_INPUTS];
	float8		scoring[N_INDICATORS][N_SCORING];
	bool		scoring_present[N_INDICATORS][N_SCORING];
	float8		stored_score[N_INDICATORS];
	bool		stored_present[N_INDICATORS];
	float8		bonus;
	float8		deduction;
	float8		rental_deduction;
}			FirmInputs;

typedef enum Lever
{
	LEVER_TAX, LEVER_VALUE_ADDED, LEVER_LAND
}			Lever;

static Lever
lever_of(text *name, const char *func)
{
	char	   *s = text_to_cstring(name);

	if (strcmp(s, "tax") == 0)
		return LEVER_TAX;
	if (strcmp(s, "value_added") == 0)
		return LEVER_VALUE_ADDED;
	if (strcmp(s, "land") == 0)
		return LEVER_LAND;
	raise_error(ERRCODE_INVALID_PARAMETER_VALUE, "The levers are 'tax', 'value_added' and 'land'.",
				"%s: unknown lever \"%s\"", func, s);
}

/* A float8 array of exactly n elements (NULLs allowed) into values/present. */
static void
read_array(ArrayType *a, int n, const char *arg, float8 *values, bool *present)
{
	Datum	   *d;
	bool	   *nulls;
	int			count;

	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "score_lever: %s is not a float8 array", arg);
	deconstruct_array(a, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &d, &nulls, &count);
	if (count != n)
		raise_error(ERRCODE_ARRAY_SUBSCRIPT_ERROR, "firm_plan builds these arrays; call it or read v_firm_plan.",
					"score_lever: %s must have %d elements, got %d", arg, n, count);
	for (int i = 0; i < n; i++)
	{
		present[i] = !nulls[i];
		values[i] = present[i] ? DatumGetFloat8(d[i]) : 0;
		if (present[i])
			require_finite("score_lever", arg, values[i]);
	}
}

/*
 * The firm's score with its figures as given: each indicator of the pool
 * scored as evaluate() scores it; an indicator the firm has no figure for
 * (or no benchmark to score against) keeps its stored score, which is the
 * fallback evaluate() gave it (0 or the pool's mean score).
 */
static float8
score_of(const FirmInputs *in, const float8 *figure, const bool *present)
{
	float8		total = 0;
	bool		first = true;

	for (int k = 0; k < N_INDICATORS; k++)
	{
		const float8 *s = in->scoring[k];
		const bool *sp = in->scoring_present[k];
		float8		value;
		float8		score;

		if (!sp[S_WEIGHT])
			continue;			/* not an indicator of this pool */
		if (indicator_of_row(figure, present, k, "score_lever", &value) &&
			(s[S_MINMAX] != 0 ? sp[S_LO] && sp[S_HI] : sp[S_BENCHMARK] && s[S_BENCHMARK] > 0))
			score = s[S_MINMAX] != 0
				? minmax_score_of(value, s[S_LO], s[S_HI], s[S_WEIGHT])
				: ratio_score_of(value, s[S_BENCHMARK], s[S_WEIGHT], sp[S_CAP] ? &s[S_CAP] : NULL);
		else
			score = in->stored_present[k] ? in->stored_score[k] : 0;
		/* the engine's order: the first indicator, then each further one added */
		total = first ? score : total + score;
		first = false;
	}
	return total + in->bonus - in->deduction - in->rental_deduction;
}

/* The score after `steps` steps of the lever. */
static float8
score_after(const FirmInputs *in, Lever lever, int64 steps)
{
	float8		figure[N_INPUTS];
	bool		present[N_INPUTS];

	memcpy(figure, in->figure, sizeof(figure));
	memcpy(present, in->present, sizeof(present));
	switch (lever)
	{
		case LEVER_TAX:
		case LEVER_VALUE_ADDED:
			{
				int			i = lever == LEVER_TAX ? TAX : VALUE_ADDED;

				/* as SQL adds it: the figure plus the amount the view shows */
				figure[i] = (present[i] ? figure[i] : 0) + (float8) steps / CENTS_PER_WANYUAN;
				present[i] = true;
				break;
			}
		case LEVER_LAND:
			figure[AREA_MU] -= (float8) steps / HUNDREDTHS_PER_MU;
			break;
	}
	return score_of(in, figure, present);
}

/* The most land that can go, in hundredths of a mu: the firm keeps some land and stays at or above the floor. */
static int64
land_steps_max(float8 area, float8 floor_mu)
{
	int64		k = (int64) floor((area - floor_mu) * HUNDREDTHS_PER_MU);

	while (k >= 0 && !(area - (float8) k / HUNDREDTHS_PER_MU > 0 && area - (float8) k / HUNDREDTHS_PER_MU >= floor_mu))
		k--;
	while (area - (float8) (k + 1) / HUNDREDTHS_PER_MU > 0 && area - (float8) (k + 1) / HUNDREDTHS_PER_MU >= floor_mu)
		k++;
	return k;
}

/* Whether a lever of that many steps reaches what is asked; it never turns false as the steps grow. */
typedef bool (*StepsReach) (const void *ask, int64 steps);

/* Smallest k in [0, max] that reaches, or -1: the binary search all the levers share. */
static int64
least_steps(StepsReach reaches, const void *ask, int64 max)
{
	int64		lo = 0;
	int64		hi = max;

	if (max < 0 || !reaches(ask, max))
		return -1;
	if (reaches(ask, 0))
		return 0;
	/* lo does not reach, hi does */
	while (hi - lo > 1)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (reaches(ask, mid))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* score_lever's question: does the score after the steps reach the target? */
typedef struct ScoreAsk
{
	const FirmInputs *in;
	Lever		lever;
	float8		target;
}			ScoreAsk;

static bool
score_reaches(const void *ask, int64 steps)
{
	const ScoreAsk *a = ask;

	return score_after(a->in, a->lever, steps) >= a->target;
}

/* per_mu_lever's question: does amount ÷ area after the steps reach the bound? */
typedef struct PerMuAsk
{
	Lever		lever;
	float8		amount;
	float8		area;
	float8		bound;
}			PerMuAsk;

static bool
per_mu_reaches(const void *ask, int64 steps)
{
	const PerMuAsk *a = ask;

	if (a->lever == LEVER_LAND)
		return a->amount / (a->area - (float8) steps / HUNDREDTHS_PER_MU) >= a->bound;
	return (a->amount + (float8) steps / CENTS_PER_WANYUAN) / a->area >= a->bound;
}

/*
 * score_lever(lever, target, figures, area_mu, land_floor_mu, scoring,
 *             scores, bonus, deduction, rental_deduction)
 *   figures   tax … main_revenue as in enterprise_year (NULL: no figure)
 *   scoring   [12][6]: per indicator in parcel_gov.indicator's order, weight
 *             (NULL: not in the pool), minmax (0/1), benchmark, lo, hi, cap
 *   scores    the indicator scores the evaluation stored
 * → 万元 of tax or value added, or mu of land, or NULL when no amount can.
 */
Datum
score_lever(PG_FUNCTION_ARGS)
{
	FirmInputs	in;
	Lever		lever;
	float8		target;
	float8		area;
	float8		floor_mu;
	float8		flat[N_INDICATORS * N_SCORING];
	bool		flat_present[N_INDICATORS * N_SCORING];
	int64		max;
	int64		steps;

	for (int i = 0; i < 10; i++)
		if (i != 2 && i != 6 && PG_ARGISNULL(i))
			PG_RETURN_NULL();
	lever = lever_of(PG_GETARG_TEXT_PP(0), "score_lever");
	target = PG_GETARG_FLOAT8(1);
	area = PG_GETARG_FLOAT8(3);
	floor_mu = PG_GETARG_FLOAT8(4);
	require_finite("score_lever", "target", target);
	require_positive_area("score_lever", "area_mu", area);
	require_finite("score_lever", "land_floor_mu", floor_mu);

	memset(&in, 0, sizeof(in));
	if (!PG_ARGISNULL(2))
		read_array(PG_GETARG_ARRAYTYPE_P(2), AREA_MU /* the inputs before area_mu */, "figures", in.figure, in.present);
	in.figure[AREA_MU] = area;
	in.present[AREA_MU] = true;
	read_array(PG_GETARG_ARRAYTYPE_P(5), N_INDICATORS * N_SCORING, "scoring", flat, flat_present);
	for (int k = 0; k < N_INDICATORS; k++)
		for (int j = 0; j < N_SCORING; j++)
		{
			in.scoring[k][j] = flat[k * N_SCORING + j];
			in.scoring_present[k][j] = flat_present[k * N_SCORING + j];
		}
	if (!PG_ARGISNULL(6))
		read_array(PG_GETARG_ARRAYTYPE_P(6), N_INDICATORS, "scores", in.stored_score, in.stored_present);
	in.bonus = PG_GETARG_FLOAT8(7);
	in.deduction = PG_GETARG_FLOAT8(8);
	in.rental_deduction = PG_GETARG_FLOAT8(9);

	max = lever == LEVER_LAND ? land_steps_max(area, floor_mu) : MAX_CENTS;
	{
		ScoreAsk	ask = {&in, lever, target};

		steps = least_steps(score_reaches, &ask, max);
	}
	if (steps < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((float8) steps / (lever == LEVER_LAND ? HUNDREDTHS_PER_MU : CENTS_PER_WANYUAN));
}

/*
 * per_mu_lever(lever, amount, area_mu, bound): the smallest extra amount
 * (lever 'tax', in cents) or land to give back (lever 'land', in hundredths
 * of a mu, keeping some land) that brings amount ÷ area to the bound; 0 when
 * it is there already; NULL when no land can (an amount of 0 or less).
 */
Datum
per_mu_lever(PG_FUNCTION_ARGS)
{
	PerMuAsk	ask = {lever_of(PG_GETARG_TEXT_PP(0), "per_mu_lever"), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
					   PG_GETARG_FLOAT8(3)};
	int64		max;
	int64		steps;

	require_finite("per_mu_lever", "amount", ask.amount);
	require_positive_area("per_mu_lever", "area_mu", ask.area);
	require_finite("per_mu_lever", "bound", ask.bound);
	if (ask.amount / ask.area >= ask.bound)
		PG_RETURN_FLOAT8(0);
	if (ask.lever == LEVER_LAND)
	{
		if (ask.amount <= 0)
			PG_RETURN_NULL();
		steps = least_steps(per_mu_reaches, &ask, land_steps_max(ask.area, 0));
		if (steps < 0)
			PG_RETURN_NULL();
		PG_RETURN_FLOAT8((float8) steps / HUNDREDTHS_PER_MU);
	}
	if (ask.lever != LEVER_TAX)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE, "per_mu_lever moves 'tax' or 'land'.",
					"per_mu_lever: lever must be 'tax' or 'land'");
	/* an upper bound of whole cents that reaches, then the smallest that does */
	max = (int64) ceil((ask.bound * ask.area - ask.amount) * CENTS_PER_WANYUAN) + 1;
	while (!per_mu_reaches(&ask, max))
		max *= 2;
	PG_RETURN_FLOAT8((float8) least_steps(per_mu_reaches, &ask, max) / CENTS_PER_WANYUAN);
}
