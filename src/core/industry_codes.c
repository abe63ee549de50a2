/*
 * industry_codes.c — GB/T 4754-2017 industry codes: which section each
 * division is in, what is wrong with a code, and a file's code as stored.
 */
#include <stdbool.h>

#include "industry_codes.h"

/* the first division of each section A..T; T's last is 97 */
static const int section_first_division[] = {
	1, 6, 13, 44, 47, 51, 53, 61, 63, 66, 70, 71, 73, 76, 80, 83, 84, 86, 91, 97
};

char
gbt4754_section_of(int division)
{
	int			n = (int) (sizeof(section_first_division) / sizeof(section_first_division[0]));

	if (division < 1 || division > 97)
		return 0;
	for (int i = n - 1; i >= 0; i--)
		if (division >= section_first_division[i])
			return (char) ('A' + i);
	return 0;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

IndustryProblem
industry_code_inspect(const char *s, int len)
{
	IndustryProblem p = {INDUSTRY_OK, 0, 0};
	int			digits_from = (len > 0 && s[0] >= 'A' && s[0] <= 'T') ? 1 : 0;
	int			digits = len - digits_from;

	for (int i = digits_from; i < len; i++)
		if (!is_digit(s[i]))
			return (IndustryProblem) {INDUSTRY_MALFORMED, 0, 0};
	if (len == 0 || digits == 1 || digits > 4 || (digits_from == 0 && digits < 2))
		return (IndustryProblem) {INDUSTRY_MALFORMED, 0, 0};
	if (digits == 0)
		return p;				/* a section alone */
	p.division = (s[digits_from] - '0') * 10 + (s[digits_from + 1] - '0');
	p.section = gbt4754_section_of(p.division);
	if (digits_from == 0)
		p.fault = INDUSTRY_NO_LETTER;
	else if (p.section == 0)
		p.fault = INDUSTRY_NO_DIVISION;
	else if (p.section != s[0])
		p.fault = INDUSTRY_WRONG_SECTION;
	return p;
}

bool
industry_code_normalise(const char *s, int len, char out[INDUSTRY_CODE_MAX + 1])
{
	char		code[INDUSTRY_CODE_MAX + 1];
	int			n = 0;
	IndustryProblem p;

	for (int i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (n == INDUSTRY_CODE_MAX)
			return false;
		code[n++] = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
	}
	p = industry_code_inspect(code, n);
	if (p.fault == INDUSTRY_NO_LETTER && p.section != 0)
	{
		out[0] = p.section;
		for (int i = 0; i < n; i++)
			out[i + 1] = code[i];
		out[n + 1] = '\0';
		return true;
	}
	if (p.fault != INDUSTRY_OK)
		return false;
	for (int i = 0; i < n; i++)
		out[i] = code[i];
	out[n] = '\0';
	return true;
}
