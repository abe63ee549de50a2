/*
 * eval_delta.c — ephemeral named relations of the rows the engine writes
 * (eval_delta.h).
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "eval_delta.h"

void
delta_begin(Delta *d, const char *name, Relation rel, const char *const *names, int n,
			const bool *absent)
{
	TupleDesc	desc = RelationGetDescr(rel);

	d->name = name;
	d->rel = rel;
	d->store = tuplestore_begin_heap(false, false, work_mem);
	d->natts = desc->natts;
	d->attnum = palloc(sizeof(int) * n);
	d->value = palloc(sizeof(Datum) * desc->natts);
	d->isnull = palloc(sizeof(bool) * desc->natts);
	d->rows = 0;
	d->registered = false;
	for (int c = 0; c < n; c++)
	{
		d->attnum[c] = SPI_fnumber(desc, names[c]);
		if (d->attnum[c] <= 0 && absent != NULL && absent[c])
			continue;			/* not written */
		if (d->attnum[c] <= 0)
			elog(ERROR, "parcel_gov: %s has no column \"%s\"", RelationGetRelationName(rel), names[c]);
	}
}

void
delta_put(Delta *d, const Datum *value, const bool *isnull, int n)
{
	memset(d->isnull, true, sizeof(bool) * d->natts);
	for (int c = 0; c < n; c++)
	{
		d->value[d->attnum[c] - 1] = value[c];
		d->isnull[d->attnum[c] - 1] = isnull[c];
	}
	tuplestore_putvalues(d->store, RelationGetDescr(d->rel), d->value, d->isnull);
	d->rows++;
}

void
delta_register(Delta *d)
{
	EphemeralNamedRelation enr = palloc0(sizeof(EphemeralNamedRelationData));

	enr->md.name = (char *) d->name;
	enr->md.reliddesc = RelationGetRelid(d->rel);
	enr->md.enrtype = ENR_NAMED_TUPLESTORE;
	enr->md.enrtuples = d->rows;
	enr->reldata = d->store;
	if (SPI_register_relation(enr) != SPI_OK_REL_REGISTER)
		elog(ERROR, "parcel_gov: could not register %s", d->name);
	d->registered = true;
}

/* The statements that read it have run: the relation goes, and so do the
 * temporary files its rows spilled to beyond work_mem. */
void
delta_end(Delta *d)
{
	if (d->registered && SPI_unregister_relation(d->name) != SPI_OK_REL_UNREGISTER)
		elog(ERROR, "parcel_gov: could not unregister %s", d->name);
	tuplestore_end(d->store);
}

Relation
eval_open_table(const char *name)
{
	Oid			relid = get_relname_relid(name, get_namespace_oid("parcel_gov", false));

	if (!OidIsValid(relid))
		elog(ERROR, "parcel_gov: no table parcel_gov.%s", name);
	return table_open(relid, AccessShareLock);
}

