/*
 * figures_confirmation.c — a confirmation holds for the figures it was
 * given to.  enterprise_year.figures_confirmed lets figures beyond the rule
 * set's plausibility limits stand; when a figure the limits read (tax,
 * value added, electricity) changes in an UPDATE that does not set
 * figures_confirmed itself, the confirmation lapses, and the limits check
 * the new figures.  In C: only a trigger written in C sees the UPDATE's SET
 * list (tg_updatedcols), which tells "confirmed again" from "left as it was".
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "nodes/bitmapset.h"
#include "utils/datum.h"
#include "utils/rel.h"

#include "error.h"

PG_FUNCTION_INFO_V1(figures_confirmation_lapses);

/* the figures the plausibility limits read */
static const char *const limit_figures[] = {"tax", "value_added", "electricity_kwh"};

static bool
same_value(HeapTuple oldtup, HeapTuple newtup, TupleDesc desc, int attnum)
{
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
	bool		oldnull,
				newnull;
	Datum		oldval = heap_getattr(oldtup, attnum, desc, &oldnull);
	Datum		newval = heap_getattr(newtup, attnum, desc, &newnull);

	if (oldnull || newnull)
		return oldnull == newnull;
	return datumIsEqual(oldval, newval, att->attbyval, att->attlen);
}

Datum
figures_confirmation_lapses(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	int			confirmed;
	bool		changed = false;
	bool		isnull;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL,
					"figures_confirmation_lapses runs BEFORE UPDATE FOR EACH ROW");
	desc = RelationGetDescr(td->tg_relation);
	confirmed = SPI_fnumber(desc, "figures_confirmed");
	if (confirmed <= 0)
		raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, NULL,
					"figures_confirmation_lapses fires on a table with figures_confirmed, not %s",
					RelationGetRelationName(td->tg_relation));
	/* confirmed (or unconfirmed) by this very statement, or not confirmed at all */
	if (bms_is_member(confirmed - FirstLowInvalidHeapAttributeNumber, td->tg_updatedcols) ||
		!DatumGetBool(heap_getattr(td->tg_newtuple, confirmed, desc, &isnull)) || isnull)
		return PointerGetDatum(td->tg_newtuple);
	for (int i = 0; i < (int) lengthof(limit_figures) && !changed; i++)
	{
		int			attnum = SPI_fnumber(desc, limit_figures[i]);

		if (attnum <= 0)
			elog(ERROR, "figures_confirmation_lapses: no column %s", limit_figures[i]);
		changed = !same_value(td->tg_trigtuple, td->tg_newtuple, desc, attnum);
	}
	if (changed)
	{
		Datum		value = BoolGetDatum(false);
		bool		null = false;

		return PointerGetDatum(heap_modify_tuple_by_cols(td->tg_newtuple, desc, 1, &confirmed, &value, &null));
	}
	return PointerGetDatum(td->tg_newtuple);
}
