/*
 * enum_oids.c — enum labels to OIDs and back.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "enum_oids.h"

Oid *
enum_label_oids(Oid enum_type, const char *const *labels, int n, MemoryContext cxt)
{
	Oid		   *oids = MemoryContextAlloc(cxt, sizeof(Oid) * n);

	for (int i = 0; i < n; i++)
		oids[i] = DatumGetObjectId(DirectFunctionCall2(enum_in, CStringGetDatum(labels[i]),
													   ObjectIdGetDatum(enum_type)));
	return oids;
}

const Oid *
enum_oids(FmgrInfo *flinfo, Oid enum_type, const char *const *labels, int n)
{
	if (flinfo->fn_extra == NULL)
		flinfo->fn_extra = enum_label_oids(enum_type, labels, n, flinfo->fn_mcxt);
	return (const Oid *) flinfo->fn_extra;
}

int
enum_label_index(Oid value, const char *const *labels, int n)
{
	char	   *label = DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(value)));

	for (int i = 0; i < n; i++)
		if (strcmp(label, labels[i]) == 0)
			return i;
	return -1;
}
