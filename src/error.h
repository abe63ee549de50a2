/*
 * error.h — how parcel_gov raises errors.
 *
 * An error a user can cause (bad input, a step the rules refuse) is raised
 * with raise_error or one of the helpers below: its SQLSTATE, its message and,
 * where it helps, a hint, so that messages of a kind stay alike.  Each
 * expands at its call site, or reports its caller's, so the LOCATION that
 * verbose psql shows is the function, file and line that found the fault.
 *
 * An error that only a fault of parcel_gov itself can cause ("can't
 * happen") is an elog(ERROR, ...), and takes no other form.
 */
#ifndef PARCEL_GOV_ERROR_H
#define PARCEL_GOV_ERROR_H

#include "postgres.h"

#include <math.h>

#include "utils/float.h"

/* errhint, where there is a hint. */
static inline int
errhint_if(const char *hint)
{
	return hint ? errhint("%s", hint) : 0;
}

/*
 * Raises an error with the SQLSTATE, a hint (may be NULL), and a message:
 * errmsg's format and arguments.  A statement that does not return.
 */
#define raise_error(sqlstate, hint, ...) \
	ereport(ERROR, (errcode(sqlstate), errmsg(__VA_ARGS__), errhint_if(hint)))

/* Where an error is reported: the helpers below take their caller's. */
typedef struct ErrorSite
{
	const char *file;
	int			line;
	const char *func;
}			ErrorSite;

#define ERROR_SITE ((ErrorSite) {__FILE__, __LINE__, PG_FUNCNAME_MACRO})

/* raise_error reported at site: ereport's expansion, with the site's location for its own. */
#define raise_error_at(site, sqlstate, hint, ...) \
	do { \
		if (errstart_cold(ERROR, TEXTDOMAIN)) \
		{ \
			errcode(sqlstate); \
			errmsg(__VA_ARGS__); \
			errhint_if(hint); \
			errfinish((site).file, (site).line, (site).func); \
		} \
		pg_unreachable(); \
	} while (0)

/* 22023: an argument is NaN or infinite */
#define require_finite(func, arg, value) require_finite_at(ERROR_SITE, func, arg, value)

static inline void
require_finite_at(ErrorSite site, const char *func, const char *arg, float8 value)
{
	if (isfinite(value))
		return;
	raise_error_at(site, ERRCODE_INVALID_PARAMETER_VALUE,
				   "NaN and infinities are not figures; use NULL for \"no data\".",
				   "%s: %s must be a finite number, got %s",
				   func, arg, float8out_internal(value));
}

/* 22023: an area is not finite or not > 0 */
#define require_positive_area(func, arg, value) require_positive_area_at(ERROR_SITE, func, arg, value)

static inline void
require_positive_area_at(ErrorSite site, const char *func, const char *arg, float8 value)
{
	if (isfinite(value) && value > 0)
		return;
	raise_error_at(site, ERRCODE_INVALID_PARAMETER_VALUE,
				   "A per-mu figure needs a positive land area; check the parcel or leave the row out.",
				   "%s: %s must be a positive finite area, got %s",
				   func, arg, float8out_internal(value));
}

/* 22023: a quantity (area, staff, energy, ...) is negative */
#define require_non_negative(func, arg, value) require_non_negative_at(ERROR_SITE, func, arg, value)

static inline void
require_non_negative_at(ErrorSite site, const char *func, const char *arg, float8 value)
{
	if (value >= 0)
		return;
	raise_error_at(site, ERRCODE_INVALID_PARAMETER_VALUE,
				   "Land, staff, energy, emission, revenue, electricity, water and COD are quantities of at least 0; fix the source row.",
				   "%s: %s must not be negative, got %s",
				   func, arg, float8out_internal(value));
}

/* 22003: a finite computation overflowed; returns the value when it is finite */
#define require_finite_result(func, value) require_finite_result_at(ERROR_SITE, func, value)

static inline float8
require_finite_result_at(ErrorSite site, const char *func, float8 value)
{
	if (isfinite(value))
		return value;
	raise_error_at(site, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
				   "The inputs are too large for double precision; check their units.",
				   "%s: result is out of range", func);
}

/* 23514: a code (USCC, parcel code) that its domain refuses, and why */
#define raise_invalid_code(kind, code, why, hint) raise_invalid_code_at(ERROR_SITE, kind, code, why, hint)

static inline void raise_invalid_code_at(ErrorSite site, const char *kind, text *code, const char *why,
										 const char *hint) pg_attribute_noreturn();

static inline void
raise_invalid_code_at(ErrorSite site, const char *kind, text *code, const char *why, const char *hint)
{
	int			len = VARSIZE_ANY_EXHDR(code);

	/* a pasted paragraph is not worth echoing back */
	if (len > 40)
		raise_error_at(site, ERRCODE_CHECK_VIOLATION, hint, "invalid %s \"(too long to show)\": %s", kind, why);
	raise_error_at(site, ERRCODE_CHECK_VIOLATION, hint, "invalid %s \"%.*s\": %s", kind, len, VARDATA_ANY(code), why);
}

#endif
