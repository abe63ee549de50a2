/*
 * fuzz_codes.c — libFuzzer harness for the code checks (src/core/code_checks.c):
 * any bytes, never a crash, and what a check accepts is what the standard
 * says: a valid USCC is 18 characters of its alphabet, and changing its check
 * character to any other makes it invalid; a well-formed parcel code is 19
 * characters with digits where digits belong.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "code_checks.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	int			len = size > 64 ? 64 : (int) size;
	UsccProblem p = uscc_inspect(s, len);
	int			position;

	if (p.fault == USCC_OK)
	{
		char		copy[USCC_LENGTH];

		if (len != USCC_LENGTH)
			abort();
		for (int i = 0; i < USCC_LENGTH; i++)
			if (s[i] == '\0' || strchr(alphabet, s[i]) == NULL)
				abort();
		memcpy(copy, s, USCC_LENGTH);
		for (const char *c = alphabet; *c; c++)
			if (*c != s[USCC_LENGTH - 1])
			{
				copy[USCC_LENGTH - 1] = *c;
				if (uscc_inspect(copy, USCC_LENGTH).fault != USCC_BAD_CHECK)
					abort();
			}
	}
	else if (p.position < 0
			 || p.position > (p.fault == USCC_LENGTH_WRONG || p.fault == USCC_NOT_ASCII ? len : USCC_LENGTH))
		abort();
	if (len >= USCC_LENGTH - 1)
		(void) org_code_ok(s + 8, ORG_CODE_LENGTH);
	(void) org_code_ok(s, len);

	if (parcel_code_inspect(s, len, &position) == PARCEL_CODE_OK)
	{
		if (len != PARCEL_CODE_LENGTH)
			abort();
		for (int i = 0; i < 12; i++)
			if (s[i] < '0' || s[i] > '9')
				abort();
	}
	return 0;
}
