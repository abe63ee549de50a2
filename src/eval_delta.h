/*
 * eval_delta.h — rows the engine writes, gathered in an ephemeral named
 * relation shaped as the table they go to (as a trigger's transition
 * tables are), for one set-based statement to read.
 */
#ifndef PARCEL_GOV_EVAL_DELTA_H
#define PARCEL_GOV_EVAL_DELTA_H

#include "postgres.h"

#include "utils/relcache.h"
#include "utils/tuplestore.h"

/* An ephemeral relation shaped as a table, for one statement to read. */
typedef struct Delta
{
	const char *name;
	Relation	rel;
	Tuplestorestate *store;
	int			natts;
	int		   *attnum;			/* per column */
	Datum	   *value;
	bool	   *isnull;
	double		rows;
	bool		registered;
}			Delta;

/* begin with the columns (names, n) its rows will give, of which those
 * marked absent (NULL: none) may be missing from an older schema; put a row;
 * register it under its name before the statements that read it; end once
 * they ran */
extern void delta_begin(Delta *d, const char *name, Relation rel, const char *const *names, int n,
						const bool *absent);
extern void delta_put(Delta *d, const Datum *value, const bool *isnull, int n);
extern void delta_register(Delta *d);
extern void delta_end(Delta *d);

/* parcel_gov.name, opened with AccessShareLock */
extern Relation eval_open_table(const char *name);

#endif
