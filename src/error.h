/*
 * error.h — one helper per kind of bad input, each with its SQLSTATE and a hint.
 *
 * Every user-facing error of parcel_gov is raised here, so messages stay
 * consistent and the LOCATION line that verbose psql shows is stable.
 */
#ifndef PARCEL_GOV_ERROR_H
#define PARCEL_GOV_ERROR_H

#include "postgres.h"

/* 22023: an argument is NaN or infinite */
extern void require_finite(const char *func, const char *arg, float8 value);

/* 22023: an area is not finite or not > 0 */
extern void require_positive_area(const char *func, const char *arg, float8 value);

/* 22023: a quantity (area, staff, energy, ...) is negative */
extern void require_non_negative(const char *func, const char *arg, float8 value);

/* 22003: a finite computation overflowed; returns the value when it is finite */
extern float8 require_finite_result(const char *func, float8 value);

/* 23514: a code (USCC, parcel code) that its domain refuses, and why */
extern void raise_invalid_code(const char *kind, text *code, const char *why, const char *hint)
			pg_attribute_noreturn();

/* Any other invalid argument: SQLSTATE, a hint (may be NULL) and a message */
extern void raise_error(int sqlstate, const char *hint, const char *fmt,...)
			pg_attribute_printf(3, 4) pg_attribute_noreturn();

#endif
