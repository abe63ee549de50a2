/*
 * parcel_code.c — 宗地代码 (parcel code), GB/T 37346-2019: 19 characters,
 * the 6-digit county code, 3-digit 地籍区, 3-digit 地籍子区, the 2-letter
 * 宗地特征码 (ownership G 国家 / J 集体 / Z 争议, then the right type) and a
 * 5-digit sequence number.  一码管地: this code is the parcel's key.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "core/code_checks.h"
#include "error.h"

PG_FUNCTION_INFO_V1(parcel_code_problem);
PG_FUNCTION_INFO_V1(parcel_code_check);

/* a sentence saying what is wrong, or NULL when the code is well-formed */
static char *
parcel_code_fault(const char *s, int len)
{
	int			position;

	switch (parcel_code_inspect(s, len, &position))
	{
		case PARCEL_CODE_OK:
			return NULL;
		case PARCEL_CODE_NOT_ASCII:
			return psprintf("byte %d is not an ASCII character", position);
		case PARCEL_CODE_LENGTH_WRONG:
			return psprintf("has %d characters, not 19", position);
		case PARCEL_CODE_BAD_COUNTY:
			return pstrdup("characters 1-6 must be the county's 6-digit division code");
		case PARCEL_CODE_BAD_CADASTRE:
			return pstrdup("characters 7-12 must be the 3-digit 地籍区 and 3-digit 地籍子区");
		case PARCEL_CODE_BAD_OWNERSHIP:
			return psprintf("character 13 ('%c') must be the ownership code G, J or Z", s[12]);
		case PARCEL_CODE_BAD_RIGHT_TYPE:
			return psprintf("character 14 ('%c') must be an upper-case right-type letter", s[13]);
		case PARCEL_CODE_BAD_NUMBER:
			return pstrdup("characters 15-19 must be the 5-digit parcel number");
	}
	return NULL;
}

/* what is wrong with a parcel code, or NULL when it is well-formed */
Datum
parcel_code_problem(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	char	   *why = parcel_code_fault(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));

	if (why == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(why));
}

/* the check of the domain parcel_gov.parcel_code */
Datum
parcel_code_check(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	int			len = VARSIZE_ANY_EXHDR(code);
	char	   *why = parcel_code_fault(VARDATA_ANY(code), len);

	if (why == NULL)
		PG_RETURN_BOOL(true);
	raise_invalid_code("parcel code", code, why,
					   "A 宗地代码 (GB/T 37346) is 6-digit county + 3-digit 地籍区 + 3-digit 地籍子区 + 2 letters + 5 digits, e.g. 330604001003GB00017.");
}
