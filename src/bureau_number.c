/*
 * bureau_number.c — a spreadsheet cell as the bureaus write numbers:
 * thousands separators (, ， or a blank, between groups of three digits),
 * full-width digits, point and signs.  An empty cell, or one holding only
 * -, —, —— or /, is a missing figure (NULL); anything else that is no
 * number is NaN, which the import reports.  In C: the import reads ten
 * cells a row.
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

/*
 * The cell in ASCII: full-width forms mapped, the ideographic space a space,
 * an em dash '~' (a "none" mark when alone); blanks at either end dropped.
 */
static char *
ascii_cell(const unsigned char *s, int len)
{
	char	   *out = palloc(len + 1);
	int			n = 0;
	int			start = 0;

	for (int i = 0; i < len; i++)
	{
		char		ascii = full_width_ascii(s + i, len - i);

		if (ascii != 0)
		{
			out[n++] = ascii;
			i += 2;
		}
		else if (len - i >= 3 && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
		{
			out[n++] = ' ';
			i += 2;
		}
		else if (len - i >= 3 && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x94)
		{
			out[n++] = '~';
			i += 2;
		}
		else
			out[n++] = (char) s[i];
	}
	while (n > 0 && strchr(" \t\r\n", out[n - 1]) != NULL)
		n--;
	out[n] = '\0';
	while (out[start] != '\0' && strchr(" \t\r\n", out[start]) != NULL)
		start++;
	return out + start;
}

/* a "none" mark: -, --, —, ——, / */
static bool
none_mark(const char *s)
{
	return strcmp(s, "") == 0 || strspn(s, "-") == strlen(s) || strspn(s, "~") == strlen(s) ||
		strcmp(s, "/") == 0;
}

/*
 * [+-] integer [. digits] [eE [+-] 1-2 digits], where the integer part is
 * 1-30 digits, or groups of three after a first group of one to three,
 * separated by commas or blanks (1,234,567; 1 234 567); copied to out
 * without its separators.  false when the cell is no such number.
 */
static bool
plain_number(const char *s, char *out)
{
	int			digits = 0,
				group = 0,
				fraction = 0,
				exponent = 0;
	bool		grouped = false;

	if (*s == '+' || *s == '-')
		*out++ = *s++;
	for (; (*s >= '0' && *s <= '9') || *s == ',' || *s == ' '; s++)
	{
		if (*s == ',' || *s == ' ')
		{
			/* a separator follows a group of 1-3 digits (3 after the first) */
			if (group == 0 || group > 3 || (grouped && group != 3))
				return false;
			grouped = true;
			group = 0;
			continue;
		}
		*out++ = *s;
		digits++;
		group++;
	}
	if (grouped && group != 3)
		return false;
	if (*s == '.')
		for (*out++ = *s++; *s >= '0' && *s <= '9'; s++)
			*out++ = *s, fraction++;
	if (digits > 30 || (digits == 0 && fraction == 0))
		return false;
	if (*s == 'e' || *s == 'E')
	{
		*out++ = *s++;
		if (*s == '+' || *s == '-')
			*out++ = *s++;
		for (; *s >= '0' && *s <= '9'; s++)
			*out++ = *s, exponent++;
		if (exponent == 0 || exponent > 2)
			return false;
	}
	*out = '\0';
	return *s == '\0';
}

Datum
bureau_number(PG_FUNCTION_ARGS)
{
	text	   *cell = PG_GETARG_TEXT_PP(0);
	char	   *s = ascii_cell((const unsigned char *) VARDATA_ANY(cell), VARSIZE_ANY_EXHDR(cell));
	char	   *number = palloc(strlen(s) + 1);
	double		value;

	if (none_mark(s))
		PG_RETURN_NULL();
	if (!plain_number(s, number))
		PG_RETURN_FLOAT8(get_float8_nan());
	value = strtod(number, NULL);
	/* -0 is 0 */
	PG_RETURN_FLOAT8(value == 0 ? 0.0 : value);
}
