/*
 * error.c — the only place parcel_gov calls ereport.
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "utils/float.h"

#include "error.h"

void
raise_error(int sqlstate, const char *hint, const char *fmt,...)
{
	StringInfoData msg;

	initStringInfo(&msg);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&msg, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&msg, needed);
	}
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg_internal("%s", msg.data),
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

void
require_finite(const char *func, const char *arg, float8 value)
{
	if (isfinite(value))
		return;
	raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
				"NaN and infinities are not figures; use NULL for \"no data\".",
				"%s: %s must be a finite number, got %s",
				func, arg, float8out_internal(value));
}

void
require_positive_area(const char *func, const char *arg, float8 value)
{
	if (isfinite(value) && value > 0)
		return;
	raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
				"A per-mu figure needs a positive land area; check the parcel or leave the row out.",
				"%s: %s must be a positive finite area, got %s",
				func, arg, float8out_internal(value));
}

void
require_non_negative(const char *func, const char *arg, float8 value)
{
	if (value >= 0)
		return;
	raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
				"Land, staff, energy, emission, revenue and electricity are quantities of at least 0; fix the source row.",
				"%s: %s must not be negative, got %s",
				func, arg, float8out_internal(value));
}

float8
require_finite_result(const char *func, float8 value)
{
	if (isfinite(value))
		return value;
	raise_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
				"The inputs are too large for double precision; check their units.",
				"%s: result is out of range", func);
}

void
raise_invalid_code(const char *kind, text *code, const char *why, const char *hint)
{
	int			len = VARSIZE_ANY_EXHDR(code);

	/* a pasted paragraph is not worth echoing back */
	if (len > 40)
		raise_error(ERRCODE_CHECK_VIOLATION, hint, "invalid %s \"(too long to show)\": %s", kind, why);
	raise_error(ERRCODE_CHECK_VIOLATION, hint, "invalid %s \"%.*s\": %s", kind, len, VARDATA_ANY(code), why);
}
