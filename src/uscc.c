/*
 * uscc.c — 统一社会信用代码 (unified social credit code), GB 32100-2015,
 * and the organisation code it embeds (组织机构代码, GB 11714).
 *
 * Layout: 1 registration authority, 2 organisation type, 3-8 the registering
 * office's 6-digit division code (not where the land is), 9-17 the
 * organisation code, 18 the check character over positions 1-17.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "error.h"

PG_FUNCTION_INFO_V1(uscc_valid);
PG_FUNCTION_INFO_V1(uscc_problem);
PG_FUNCTION_INFO_V1(uscc_check);
PG_FUNCTION_INFO_V1(org_code_valid);

#define USCC_LENGTH 18
#define ORG_CODE_LENGTH 9

/* The 31 characters of GB 32100 (no I, O, S, V, Z), valued 0..30 in this order */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/*
 * GB 32100-2015 table 1: registration authority and the organisation types
 * it may issue (1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
 * 7 宗教, 8 工会, 9 工商/市场监管, A 中央军委改革和编制办公室, N 农业, Y 其他).
 */
static const struct
{
	char		authority;
	const char *types;
}			uscc_authorities[] =
{
	{'1', "1239"}, {'2', "19"}, {'3', "123459"}, {'4', "19"},
	{'5', "1239"}, {'6', "129"}, {'7', "129"}, {'8', "19"},
	{'9', "123"}, {'A', "19"}, {'N', "1239"}, {'Y', "1"},
};

typedef enum UsccFault
{
	USCC_OK,
	USCC_NOT_ASCII,
	USCC_LENGTH_WRONG,
	USCC_LOWER_CASE,
	USCC_BAD_CHARACTER,
	USCC_BAD_AUTHORITY,
	USCC_BAD_TYPE,
	USCC_BAD_REGION,
	USCC_BAD_CHECK,
}			UsccFault;

typedef struct UsccProblem
{
	UsccFault	fault;
	int			position;		/* 1-based, where it applies */
	char		expected;		/* the right check character */
	const char *types;			/* allowed types for the authority */
}			UsccProblem;

static int
uscc_value(char c)
{
	const char *p = (c == '\0') ? NULL : strchr(uscc_alphabet, c);

	return p ? (int) (p - uscc_alphabet) : -1;
}

static const char *
authority_types(char authority)
{
	for (size_t i = 0; i < lengthof(uscc_authorities); i++)
		if (uscc_authorities[i].authority == authority)
			return uscc_authorities[i].types;
	return NULL;
}

/* Finds the first fault of a code; cheap on the valid path (no allocation). */
static UsccProblem
uscc_inspect(const char *s, int len)
{
	UsccProblem p = {USCC_OK, 0, 0, NULL};
	int			sum = 0;
	int			weight = 1;

	for (int i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80)
			return (UsccProblem) {USCC_NOT_ASCII, i + 1, 0, NULL};
	if (len != USCC_LENGTH)
		return (UsccProblem) {USCC_LENGTH_WRONG, len, 0, NULL};
	for (int i = 0; i < USCC_LENGTH; i++)
	{
		if (s[i] >= 'a' && s[i] <= 'z')
			return (UsccProblem) {USCC_LOWER_CASE, i + 1, 0, NULL};
		if (uscc_value(s[i]) < 0)
			return (UsccProblem) {USCC_BAD_CHARACTER, i + 1, 0, NULL};
	}
	p.types = authority_types(s[0]);
	if (p.types == NULL)
		return (UsccProblem) {USCC_BAD_AUTHORITY, 1, 0, NULL};
	if (strchr(p.types, s[1]) == NULL)
		return (UsccProblem) {USCC_BAD_TYPE, 2, 0, p.types};
	for (int i = 2; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return (UsccProblem) {USCC_BAD_REGION, i + 1, 0, NULL};

	/* weights 3^(i-1) mod 31; check = (31 - sum mod 31) mod 31 */
	for (int i = 0; i < USCC_LENGTH - 1; i++)
	{
		sum += uscc_value(s[i]) * weight;
		weight = weight * 3 % 31;
	}
	p.expected = uscc_alphabet[(31 - sum % 31) % 31];
	if (s[USCC_LENGTH - 1] != p.expected)
		return (UsccProblem) {USCC_BAD_CHECK, USCC_LENGTH, p.expected, NULL};
	return p;
}

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

/* the check of the domain parcel_gov.uscc: true, or an error saying what is wrong */
Datum
uscc_check(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	int			len = VARSIZE_ANY_EXHDR(code);
	const char *s = VARDATA_ANY(code);
	UsccProblem p = uscc_inspect(s, len);

	if (p.fault == USCC_OK)
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
	static const int weights[ORG_CODE_LENGTH - 1] = {3, 7, 9, 10, 5, 8, 4, 2};
	text	   *code = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(code);
	int			sum = 0;
	int			check;

	if (VARSIZE_ANY_EXHDR(code) != ORG_CODE_LENGTH)
		PG_RETURN_BOOL(false);
	for (int i = 0; i < ORG_CODE_LENGTH - 1; i++)
	{
		int			v;

		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'Z')
			v = s[i] - 'A' + 10;
		else
			PG_RETURN_BOOL(false);
		sum += v * weights[i];
	}
	check = 11 - sum % 11;
	PG_RETURN_BOOL(s[ORG_CODE_LENGTH - 1] ==
				   (check == 10 ? 'X' : check == 11 ? '0' : '0' + check));
}
