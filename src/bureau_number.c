/*
 * bureau_number.c — a spreadsheet cell as the bureaus write numbers:
 * thousands separators (, and ，), blanks (also the ideographic space),
 * full-width digits, point and signs.  An empty cell, or one holding only
 * -, — or /, is a missing figure (NULL); anything else that is no number is
 * NaN, which the import reports.  In C: the import reads ten cells a row.
 */
#include "postgres.h"

#include <stdlib.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(bureau_number);

/* the ASCII character a full-width form (U+FF0B..U+FF19) stands for, or 0 */
static char
full_width_ascii(const unsigned char *s, int left)
{
	if (left >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x8B && s[2] <= 0x99)
		return "+,-./0123456789"[s[2] - 0x8B];
	return 0;
}

/* [+-] digits{1,30} [. digits*] | [+-] . digits+, then [eE][+-]digits{1,2} */
static bool
plain_number(const char *s)
{
	int			digits = 0,
				fraction = 0,
				exponent = 0;

	if (*s == '+' || *s == '-')
		s++;
	while (*s >= '0' && *s <= '9')
		s++, digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			fraction++;
	if (digits > 30 || (digits == 0 && fraction == 0))
		return false;
	if (*s == 'e' || *s == 'E')
	{
		s++;
		if (*s == '+' || *s == '-')
			s++;
		while (*s >= '0' && *s <= '9')
			s++, exponent++;
		if (exponent == 0 || exponent > 2)
			return false;
	}
	return *s == '\0';
}

Datum
bureau_number(PG_FUNCTION_ARGS)
{
	text	   *cell = PG_GETARG_TEXT_PP(0);
	const unsigned char *s = (const unsigned char *) VARDATA_ANY(cell);
	int			len = VARSIZE_ANY_EXHDR(cell);
	char	   *out = palloc(len + 1);
	int			n = 0;

	for (int i = 0; i < len; i++)
	{
		char		ascii = full_width_ascii(s + i, len - i);

		if (ascii != 0)
		{
			i += 2;
			if (ascii != ',')
				out[n++] = ascii;
		}
		else if (len - i >= 3 && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
			i += 2;				/* U+3000 ideographic space */
		else if (len - i >= 3 && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x94)
		{
			out[n++] = '-';		/* U+2014 em dash, "none" alone */
			i += 2;
		}
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != ',')
			out[n++] = (char) s[i];
	}
	out[n] = '\0';
	if (n == 0 || strcmp(out, "-") == 0 || strcmp(out, "/") == 0)
		PG_RETURN_NULL();
	if (!plain_number(out))
		PG_RETURN_FLOAT8(get_float8_nan());
	PG_RETURN_FLOAT8(strtod(out, NULL));
}
