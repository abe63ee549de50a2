/*
 * dd_state.h — aggregate states made of double-double sums.
 *
 * The state is a float8[] (so parallel query and Citus can move it through
 * its text form, which round-trips exactly), read as pairs (hi, lo): hi is the
 * running sum, lo the rounding error it has shed.  Sums are then exact to
 * about 106 bits, so serial, parallel and any order of combining give the
 * same float8 answer.
 */
#ifndef PARCEL_GOV_DD_STATE_H
#define PARCEL_GOV_DD_STATE_H

#include "postgres.h"

#include "fmgr.h"

/* adds x to the pair sum[0..1] without losing its rounding error (TwoSum) */
static inline void
dd_add(float8 *sum, float8 x)
{
	float8		s = sum[0] + x;
	float8		back = s - sum[0];

	sum[1] += (sum[0] - (s - back)) + (x - back);
	sum[0] = s;
}

static inline float8
dd_value(const float8 *sum)
{
	return sum[0] + sum[1];
}

/*
 * The state in argument 0, checked to hold nelems float8s, ready to update:
 * in place inside an aggregate, a copy when called directly.
 */
extern float8 *dd_state_for_update(FunctionCallInfo fcinfo, const char *aggname,
								   int nelems, Datum *result);

/* the state in argument argno, checked, read-only */
extern const float8 *dd_state_read(FunctionCallInfo fcinfo, int argno,
								   const char *aggname, int nelems);

#endif
