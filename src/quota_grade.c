/*
 * quota_grade.c — quota_grade(score, a_share, b_share, c_share) OVER (PARTITION BY pool ...)
 *
 * Grades by rank quotas within a partition: with n the number of non-NULL
 * scores and rank as rank() over score descending, a row is A when
 * rank ≤ round-half-up(n × a_share), else B within n × b_share, else C
 * within n × c_share, else D.  Equal scores share a rank and so the better
 * grade; NULL scores get NULL and are not counted, whatever the window's
 * ORDER BY says.  The grades of a partition are computed on its first row
 * and kept in partition-local memory; the scores are sorted only when the
 * window did not already deliver them in order.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/float.h"
#include "windowapi.h"

#include "enum_oids.h"
#include "error.h"
#include "quota.h"

PG_FUNCTION_INFO_V1(quota_grade);

const char *const grade_labels[N_GRADES] = {"A", "B", "C", "D"};

typedef struct QuotaPartition
{
	bool		graded;
	float8		shares[3];		/* the partition's a, b, c shares */
	uint8		grade[FLEXIBLE_ARRAY_MEMBER];	/* per row: 0 NULL, 1..4 A..D */
}			QuotaPartition;

typedef struct ScoredRow
{
	float8		score;
	int64		position;
}			ScoredRow;

static void
check_shares(const float8 *shares)
{
	static const char *const names[3] = {"a_share", "b_share", "c_share"};

	for (int i = 0; i < 3; i++)
	{
		require_finite("quota_grade", names[i], shares[i]);
		if (shares[i] < 0 || shares[i] > 1)
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"Shares are cumulative fractions of the pool, e.g. 0.20, 0.80, 0.95.",
						"quota_grade: %s must be between 0 and 1, got %s",
						names[i], float8out_internal(shares[i]));
		if (i > 0 && shares[i] < shares[i - 1])
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"Shares are cumulative: a_share ≤ b_share ≤ c_share, e.g. 0.20, 0.80, 0.95.",
						"quota_grade: %s (%s) is below %s (%s)",
						names[i], float8out_internal(shares[i]),
						names[i - 1], float8out_internal(shares[i - 1]));
	}
}

static int
by_score_descending(const void *a, const void *b)
{
	float8		x = ((const ScoredRow *) a)->score;
	float8		y = ((const ScoredRow *) b)->score;

	return (x < y) - (x > y);
}

/* Reads the partition's scores, ranks them and stores every row's grade. */
static void
grade_partition(WindowObject winobj, QuotaPartition *part, int64 nrows)
{
	ScoredRow  *rows = palloc(sizeof(ScoredRow) * Max(nrows, 1));
	int64		n = 0;
	int64		limit[3];
	bool		descending = true;
	bool		ascending = true;

	for (int64 pos = 0; pos < nrows; pos++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, pos, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

		if (isnull)
			continue;
		rows[n].score = DatumGetFloat8(d);
		rows[n].position = pos;
		require_finite("quota_grade", "score", rows[n].score);
		if (n > 0)
		{
			descending &= rows[n].score <= rows[n - 1].score;
			ascending &= rows[n].score >= rows[n - 1].score;
		}
		n++;
	}

	/* ORDER BY score DESC delivers them ranked already; ASC, reversed; else sort. */
	if (!descending && ascending)
		for (int64 i = 0; i < n / 2; i++)
		{
			ScoredRow	t = rows[i];

			rows[i] = rows[n - 1 - i];
			rows[n - 1 - i] = t;
		}
	else if (!descending)
		qsort(rows, n, sizeof(ScoredRow), by_score_descending);

	for (int i = 0; i < 3; i++)
		limit[i] = quota_limit(n, part->shares[i]);

	for (int64 i = 0, rank = 1; i < n; i++)
	{
		int			g = 0;

		if (i > 0 && rows[i].score != rows[i - 1].score)
			rank = i + 1;		/* ties keep the rank of their first row */
		while (g < 3 && rank > limit[g])
			g++;
		part->grade[rows[i].position] = (uint8) (g + 1);
	}
	pfree(rows);
	part->graded = true;
}

Datum
quota_grade(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows = WinGetPartitionRowCount(winobj);
	QuotaPartition *part = WinGetPartitionLocalMemory(winobj,
													  offsetof(QuotaPartition, grade) + nrows);
	float8		shares[3];
	uint8		grade;

	for (int i = 0; i < 3; i++)
	{
		bool		isnull;
		Datum		d = WinGetFuncArgCurrent(winobj, i + 1, &isnull);

		if (isnull)
			raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
						"Pass the pool's quota shares, e.g. 0.20, 0.80, 0.95.",
						"quota_grade: shares must not be NULL");
		shares[i] = DatumGetFloat8(d);
	}
	if (!part->graded)
	{
		check_shares(shares);
		memcpy(part->shares, shares, sizeof(shares));
		grade_partition(winobj, part, nrows);
	}
	else if (memcmp(part->shares, shares, sizeof(shares)) != 0)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Partition the window by the pool whose quota the shares are.",
					"quota_grade: shares must be the same for every row of a partition");

	grade = part->grade[WinGetCurrentPosition(winobj)];
	if (grade == 0)
		PG_RETURN_NULL();
	PG_RETURN_OID(enum_oids(fcinfo->flinfo, get_fn_expr_rettype(fcinfo->flinfo), grade_labels, N_GRADES)[grade - 1]);
}
