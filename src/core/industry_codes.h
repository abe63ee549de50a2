/*
 * industry_codes.h — 国民经济行业代码 (GB/T 4754-2017) as pure C: a section
 * letter A–T, alone or with the 2-digit division (大类), 3-digit group or
 * 4-digit class.  Each reads exactly len bytes of s.
 */
#ifndef PARCEL_GOV_INDUSTRY_CODES_H
#define PARCEL_GOV_INDUSTRY_CODES_H

#include <stdbool.h>

/* longest code: letter and 4 digits */
#define INDUSTRY_CODE_MAX 5

typedef enum IndustryFault
{
	INDUSTRY_OK,
	INDUSTRY_NO_LETTER,			/* 2-4 digits without their section letter */
	INDUSTRY_MALFORMED,			/* not a letter A-T with 0, 2, 3 or 4 digits */
	INDUSTRY_NO_DIVISION,		/* digits naming no division (00, 98, 99) */
	INDUSTRY_WRONG_SECTION,		/* a letter the division is not in */
} IndustryFault;

typedef struct IndustryProblem
{
	IndustryFault fault;
	int			division;		/* 1-99 where digits were read, else 0 */
	char		section;		/* the division's section, 0 when none */
} IndustryProblem;

/* The section letter of a 2-digit division (13-43 → 'C'), 0 when none. */
extern char gbt4754_section_of(int division);

/* The fault of a code as stored; no allocation. */
extern IndustryProblem industry_code_inspect(const char *s, int len);

/*
 * The code as stored from what a file gives (3311, c3311, " C3311 "): the
 * section letter added, upper case, blanks dropped; writes at most
 * INDUSTRY_CODE_MAX characters and a NUL to out.  false when the result
 * would not be a right code.
 */
extern bool industry_code_normalise(const char *s, int len, char out[INDUSTRY_CODE_MAX + 1]);

#endif
