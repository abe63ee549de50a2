/*
 * uscc.c — 统一社会信用代码 (unified social credit code), GB 32100-2015,
 * and the organisation code it embeds (组织机构代码, GB 11714).
 * The checks themselves are pure C in core/code_checks.c; here the SQL
 * functions and the sentences that say what is wrong.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "core/code_checks.h"
#include "error.h"

PG_FUNCTION_INFO_V1(uscc_valid);
PG_FUNCTION_INFO_V1(uscc_problem);
PG_FUNCTION_INFO_V1(uscc_check);
PG_FUNCTION_INFO_V1(uscc_early);
PG_FUNCTION_INFO_V1(org_code_valid);

/* A sentence for the fault, or NULL when the code is valid. */
static char *
uscc_describe(const char *s, UsccProblem p)
{
	switch (p.fault)
	{
		case USCC_OK:
			return NULL;
		case USCC_NOT_ASCII:
			return psprintf("byte %d is not an ASCII character", p.position);
		case USCC_LENGTH_WRONG:
			return psprintf("has %d characters, not 18", p.position);
		case USCC_LOWER_CASE:
			return psprintf("character %d ('%c') is lower case", p.position, s[p.position - 1]);
		case USCC_BAD_CHARACTER:
			return psprintf("character %d ('%c') is not in the GB 32100 character set 0-9 A-H J-N P-R T-U W-Y",
							p.position, s[p.position - 1]);
		case USCC_BAD_AUTHORITY:
			return psprintf("registration-authority code '%c' is not one of 1-9, A, N, Y", s[0]);
		case USCC_BAD_TYPE:
			return psprintf("organisation-type code '%c' is not defined for registration authority '%c' (allowed: %s)",
							s[1], s[0], p.types);
		case USCC_BAD_REGION:
			return psprintf("character %d ('%c') is not a digit of the 6-digit division code in positions 3-8",
							p.position, s[p.position - 1]);
		case USCC_BAD_CHECK:
			return psprintf("check character is '%c', expected '%c'", s[USCC_LENGTH - 1], p.expected);
	}
	return NULL;
}

/* true when the code satisfies GB 32100-2015 */
Datum
uscc_valid(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(uscc_inspect(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code)).fault == USCC_OK);
}

/* what is wrong with a code, or NULL when it is valid (for import reports) */
Datum
uscc_problem(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(code);
	char	   *why = uscc_describe(s, uscc_inspect(s, VARSIZE_ANY_EXHDR(code)));

	if (why == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(why));
}

/*
 * An early code: well formed, only its check character fails.  Some codes
 * issued in the first years of GB 32100 are such; the firms are real, so
 * their codes are stored (and listed in v_uscc_early for the clerk to
 * confirm against the business licence) rather than refused.
 */
Datum
uscc_early(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(uscc_inspect(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code)).fault == USCC_BAD_CHECK);
}

/*
 * The check of the domain parcel_gov.uscc: true for a valid or an early
 * code, or an error saying what is wrong.
 */
Datum
uscc_check(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	int			len = VARSIZE_ANY_EXHDR(code);
	const char *s = VARDATA_ANY(code);
	UsccProblem p = uscc_inspect(s, len);

	if (p.fault == USCC_OK || p.fault == USCC_BAD_CHECK)
		PG_RETURN_BOOL(true);
	raise_invalid_code("unified social credit code", code, uscc_describe(s, p),
					   p.fault == USCC_LOWER_CASE
					   ? "Codes are upper case: store upper(code)."
					   : "Check the code against the business licence; uscc_problem(code) reports faults without raising.");
}

/*
 * GB 11714 organisation code: 8 characters 0-9/A-Z (valued 0..35) and a
 * check character 11 - (sum of value x 3,7,9,10,5,8,4,2 mod 11), 10 -> X,
 * 11 -> 0.  Positions 9-17 of a USCC hold one.
 */
Datum
org_code_valid(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(org_code_ok(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code)));
}
