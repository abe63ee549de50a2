/*
 * code_checks.h — the code checks as pure C (no PostgreSQL headers), so the
 * fuzz harnesses in fuzz/ build them on their own: 统一社会信用代码
 * (GB 32100-2015), 组织机构代码 (GB 11714) and 宗地代码 (GB/T 37346-2019).
 * Each reads exactly len bytes of s, which need not be NUL-terminated.
 */
#ifndef PARCEL_GOV_CODE_CHECKS_H
#define PARCEL_GOV_CODE_CHECKS_H

#include <stdbool.h>

#define USCC_LENGTH 18
#define ORG_CODE_LENGTH 9
#define PARCEL_CODE_LENGTH 19

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
} UsccFault;

typedef struct UsccProblem
{
	UsccFault	fault;
	int			position;		/* 1-based, where it applies (the length for USCC_LENGTH_WRONG) */
	char		expected;		/* the right check character */
	const char *types;			/* allowed types for the authority */
} UsccProblem;

/* The first fault of a code; no allocation. */
extern UsccProblem uscc_inspect(const char *s, int len);

/* GB 11714: 8 characters 0-9/A-Z and the check character. */
extern bool org_code_ok(const char *s, int len);

typedef enum ParcelCodeFault
{
	PARCEL_CODE_OK,
	PARCEL_CODE_NOT_ASCII,		/* position: the byte */
	PARCEL_CODE_LENGTH_WRONG,	/* position: the length */
	PARCEL_CODE_BAD_COUNTY,
	PARCEL_CODE_BAD_CADASTRE,
	PARCEL_CODE_BAD_OWNERSHIP,
	PARCEL_CODE_BAD_RIGHT_TYPE,
	PARCEL_CODE_BAD_NUMBER,
} ParcelCodeFault;

extern ParcelCodeFault parcel_code_inspect(const char *s, int len, int *position);

#endif
