/*
 * industry_code.c — 国民经济行业代码 (GB/T 4754-2017) for SQL: the section of
 * a division, what is wrong with a code, a bureau's code as stored, and the
 * check of enterprise.industry_code.  C because the check runs on every firm
 * written and the import reads every firm's code.  The rules are in
 * core/industry_codes.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "core/industry_codes.h"
#include "error.h"

PG_FUNCTION_INFO_V1(gbt4754_section);
PG_FUNCTION_INFO_V1(industry_code_problem);
PG_FUNCTION_INFO_V1(industry_code_normal);
PG_FUNCTION_INFO_V1(industry_code_check);

static char *
industry_fault(const char *s, int len)
{
	IndustryProblem p = industry_code_inspect(s, len);

	switch (p.fault)
	{
		case INDUSTRY_OK:
			return NULL;
		case INDUSTRY_NO_LETTER:
			return psprintf("has no section letter (%c%.*s)", p.section ? p.section : '?', len, s);
		case INDUSTRY_MALFORMED:
			return pstrdup("is not a section letter A–T with 2, 3 or 4 digits");
		case INDUSTRY_NO_DIVISION:
			return psprintf("names no division %02d", p.division);
		case INDUSTRY_WRONG_SECTION:
			return psprintf("division %02d is in section %c, not %c", p.division, p.section, s[0]);
	}
	return NULL;
}

/* the section letter of a 2-digit division, NULL when there is none */
Datum
gbt4754_section(PG_FUNCTION_ARGS)
{
	char		section = gbt4754_section_of(PG_GETARG_INT32(0));

	if (section == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(&section, 1));
}

/* what is wrong with a code as stored, NULL when it is right */
Datum
industry_code_problem(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	char	   *why = industry_fault(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));

	if (why == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(why));
}

/* a file's code as stored (3311 → C3311), NULL when it is no code */
Datum
industry_code_normal(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	char		out[INDUSTRY_CODE_MAX + 1];

	if (!industry_code_normalise(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code), out))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

/* the check of enterprise.industry_code: true, or 23514 saying what is wrong */
Datum
industry_code_check(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	int			len = VARSIZE_ANY_EXHDR(code);
	char	   *why = industry_fault(VARDATA_ANY(code), len);

	if (why != NULL)
		raise_error(ERRCODE_CHECK_VIOLATION,
					"A GB/T 4754 code is its section letter and the 2-digit division, 3-digit group or 4-digit class, e.g. C3311; parcel_gov.industry_code_normal('3311') gives C3311.",
					"industry code \"%.*s\": %s", len, VARDATA_ANY(code), why);
	PG_RETURN_BOOL(true);
}
