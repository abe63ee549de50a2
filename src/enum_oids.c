/*
 * enum_oids.c — enum labels to OIDs and back.
 */
#include "postgres.h"

#include "catalog/pg_enum.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/syscache.h"

#include "enum_oids.h"

Oid *
enum_label_oids(Oid enum_type, const char *const *labels, int n, MemoryContext cxt)
{
	Oid		   *oids = MemoryContextAlloc(cxt, sizeof(Oid) * n);

	/* a label the schema lacks (a version added it, and ALTER EXTENSION …
	 * UPDATE is still to run) is InvalidOid: the facts behind it are missing
	 * too, so nothing produces it */
	for (int i = 0; i < n; i++)
		oids[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid, ObjectIdGetDatum(enum_type),
								  CStringGetDatum(labels[i]));
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
