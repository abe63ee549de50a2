/*
 * code_checks.c — the code checks as pure C (code_checks.h).
 *
 * USCC layout: 1 registration authority, 2 organisation type, 3-8 the
 * registering office's 6-digit division code (not where the land is), 9-17
 * the organisation code, 18 the check character over positions 1-17.
 */
#include <string.h>

#include "code_checks.h"

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
} uscc_authorities[] =
{
	{'1', "1239"}, {'2', "19"}, {'3', "123459"}, {'4', "19"},
	{'5', "1239"}, {'6', "129"}, {'7', "129"}, {'8', "19"},
	{'9', "123"}, {'A', "19"}, {'N', "1239"}, {'Y', "1"},
};

static int
uscc_value(char c)
{
	const char *p = (c == '\0') ? NULL : strchr(uscc_alphabet, c);

	return p ? (int) (p - uscc_alphabet) : -1;
}

static const char *
authority_types(char authority)
{
	for (size_t i = 0; i < sizeof(uscc_authorities) / sizeof(uscc_authorities[0]); i++)
		if (uscc_authorities[i].authority == authority)
			return uscc_authorities[i].types;
	return NULL;
}

UsccProblem
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

/* check character 11 - (Σ value × 3,7,9,10,5,8,4,2 mod 11); 10 → X, 11 → 0 */
bool
org_code_ok(const char *s, int len)
{
	static const int weights[ORG_CODE_LENGTH - 1] = {3, 7, 9, 10, 5, 8, 4, 2};
	int			sum = 0;
	int			check;

	if (len != ORG_CODE_LENGTH)
		return false;
	for (int i = 0; i < ORG_CODE_LENGTH - 1; i++)
	{
		int			v;

		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'Z')
			v = s[i] - 'A' + 10;
		else
			return false;
		sum += v * weights[i];
	}
	check = 11 - sum % 11;
	return s[ORG_CODE_LENGTH - 1] == (check == 10 ? 'X' : check == 11 ? '0' : '0' + check);
}

static bool
all_digits(const char *s, int from, int to)
{
	for (int i = from; i < to; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

ParcelCodeFault
parcel_code_inspect(const char *s, int len, int *position)
{
	for (int i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80)
		{
			*position = i + 1;
			return PARCEL_CODE_NOT_ASCII;
		}
	*position = len;
	if (len != PARCEL_CODE_LENGTH)
		return PARCEL_CODE_LENGTH_WRONG;
	if (!all_digits(s, 0, 6))
		return PARCEL_CODE_BAD_COUNTY;
	if (!all_digits(s, 6, 12))
		return PARCEL_CODE_BAD_CADASTRE;
	if (s[12] != 'G' && s[12] != 'J' && s[12] != 'Z')
		return PARCEL_CODE_BAD_OWNERSHIP;
	if (s[13] < 'A' || s[13] > 'Z')
		return PARCEL_CODE_BAD_RIGHT_TYPE;
	if (!all_digits(s, 14, 19))
		return PARCEL_CODE_BAD_NUMBER;
	return PARCEL_CODE_OK;
}
