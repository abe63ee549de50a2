/*
 * enum_oids.h — the OIDs of an enum type's labels, which C compares and
 * returns instead of the labels' text.
 */
#ifndef PARCEL_GOV_ENUM_OIDS_H
#define PARCEL_GOV_ENUM_OIDS_H

#include "postgres.h"

#include "fmgr.h"

/* The OIDs of labels[0..n) of enum_type, allocated in cxt; InvalidOid for a
 * label the installed schema lacks (its update still to run). */
extern Oid *enum_label_oids(Oid enum_type, const char *const *labels, int n, MemoryContext cxt);

/* The same, looked up once per query and kept in flinfo->fn_extra. */
extern const Oid *enum_oids(FmgrInfo *flinfo, Oid enum_type, const char *const *labels, int n);

/* The position in labels[0..n) of an enum value, -1 when it is none of them. */
extern int	enum_label_index(Oid value, const char *const *labels, int n);

#endif
