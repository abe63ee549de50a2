/*
 * county_writes_own.c — what a county role may write of a parcel or a lease
 * (install/81_tables.sql has the rule): a parcel's code names its region
 * (or a code that region superseded), a holder or lessee is a firm the
 * writer can see, and a row linked to another county's firm is the
 * province's to change or delete.  parcel_gov_admin links across counties.
 *
 * In C, not PL/pgSQL: it runs once a row, and a clerk's import writes
 * 30,000 parcels; the PL/pgSQL version (a SET clause, then a query for the
 * firm) cost about 70 µs a row.  Here the common case costs a membership
 * test, a comparison and one saved plan run for the firm.  Its queries run
 * as the writer, read-write like PL/pgSQL's (they see the firms the same
 * statement wrote before), through plans kept for the session.
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/rel.h"

#include "error.h"

PG_FUNCTION_INFO_V1(county_writes_own);

static SPIPlanPtr firm_plan;
static SPIPlanPtr superseded_plan;

/* a firm the calling role may see (the writer's rights, the caller's regions) */
static const char *firm_sql =
	"SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) $1 "
	"AND e.region_code OPERATOR(pg_catalog.^@) ANY (parcel_gov.visible_prefixes_of(parcel_gov.invoker()))";
/* a code of a region that the parcel's region superseded */
static const char *superseded_sql =
	"SELECT FROM parcel_gov.region r WHERE r.code OPERATOR(pg_catalog.=) $1 "
	"AND r.superseded_by OPERATOR(pg_catalog.=) $2";

static SPIPlanPtr
kept_plan(SPIPlanPtr *plan, const char *sql, int nargs)
{
	if (*plan == NULL)
	{
		Oid			types[2] = {TEXTOID, TEXTOID};
		SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "county_writes_own: could not prepare \"%s\"", sql);
		*plan = p;
	}
	return *plan;
}

/* whether the query finds a row (SPI connected) */
static bool
found(SPIPlanPtr plan, Datum *args)
{
	if (SPI_execute_plan(plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "county_writes_own: check failed");
	return SPI_processed > 0;
}

/* the named text column of a row, or NULL */
static text *
column_text(Relation rel, HeapTuple tuple, const char *name)
{
	int			attno = SPI_fnumber(RelationGetDescr(rel), name);
	bool		isnull;
	Datum		d;

	if (attno <= 0)
		elog(ERROR, "county_writes_own: %s has no column %s", RelationGetRelationName(rel), name);
	d = heap_getattr(tuple, attno, RelationGetDescr(rel), &isnull);
	return isnull ? NULL : DatumGetTextPP(d);
}

Datum
county_writes_own(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	Relation	rel;
	bool		is_parcel;
	bool		inserting;
	bool		deleting;
	HeapTuple	oldtuple = NULL;
	HeapTuple	newtuple = NULL;
	text	   *old_firm = NULL;
	text	   *old_code = NULL;
	text	   *new_firm = NULL;
	text	   *new_code = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trig->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trig->tg_event))
		elog(ERROR, "county_writes_own must be a BEFORE ROW trigger");
	rel = trig->tg_relation;
	inserting = TRIGGER_FIRED_BY_INSERT(trig->tg_event);
	deleting = TRIGGER_FIRED_BY_DELETE(trig->tg_event);
	if (inserting)
		newtuple = trig->tg_trigtuple;
	else if (deleting)
		oldtuple = trig->tg_trigtuple;
	else
	{
		oldtuple = trig->tg_trigtuple;
		newtuple = trig->tg_newtuple;
	}

	/* the calling role, also when it writes through import_parcels() */
	if (is_member_of_role(GetOuterUserId(), get_role_oid("parcel_gov_admin", false)))
		return PointerGetDatum(newtuple ? newtuple : oldtuple);

	/* the columns by name, table by table */
	is_parcel = strcmp(RelationGetRelationName(rel), "parcel") == 0;
	if (oldtuple)
	{
		old_firm = column_text(rel, oldtuple, is_parcel ? "holder_uscc" : "lessee_uscc");
		old_code = column_text(rel, oldtuple, is_parcel ? "code" : "parcel_code");
	}
	if (newtuple)
	{
		new_firm = column_text(rel, newtuple, is_parcel ? "holder_uscc" : "lessee_uscc");
		new_code = column_text(rel, newtuple, is_parcel ? "code" : "parcel_code");
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "county_writes_own: SPI_connect failed");

	/*
	 * a row linked to another county's firm is the province's to change: its
	 * land is that firm's, and so are its grades
	 */
	if (old_firm != NULL)
	{
		Datum		args[1] = {PointerGetDatum(old_firm)};

		if (!found(kept_plan(&firm_plan, firm_sql, 1), args))
			raise_error(ERRCODE_INSUFFICIENT_PRIVILEGE,
						"Land a firm of another county holds or leases is changed by the province (parcel_gov_admin).",
						"%s %s is linked to a firm of another county", RelationGetRelationName(rel),
						old_code ? text_to_cstring(old_code) : "<NULL>");
	}
	if (deleting)
	{
		SPI_finish();
		return PointerGetDatum(oldtuple);
	}
	if (is_parcel && new_code != NULL)
	{
		text	   *region = column_text(rel, newtuple, "region_code");

		if (region != NULL)
		{
			Datum		prefix = DirectFunctionCall2(text_left, PointerGetDatum(new_code), Int32GetDatum(6));

			if (!DatumGetBool(DirectFunctionCall2Coll(texteq, DEFAULT_COLLATION_OID, prefix, PointerGetDatum(region))))
			{
				Datum		args[2] = {prefix, PointerGetDatum(region)};

				if (!found(kept_plan(&superseded_plan, superseded_sql, 2), args))
					raise_error(ERRCODE_CHECK_VIOLATION,
								"The first six digits of a 宗地代码 are its county's code (GB/T 37346); file the parcel under that county.",
								"parcel code %s does not name region %s", text_to_cstring(new_code), text_to_cstring(region));
			}
		}
	}
	if (new_firm != NULL &&
		(old_firm == NULL ||
		 !DatumGetBool(DirectFunctionCall2Coll(texteq, DEFAULT_COLLATION_OID,
											   PointerGetDatum(new_firm), PointerGetDatum(old_firm)))))
	{
		Datum		args[1] = {PointerGetDatum(new_firm)};

		if (!found(kept_plan(&firm_plan, firm_sql, 1), args))
			raise_error(ERRCODE_FOREIGN_KEY_VIOLATION,
						"Add the firm to your county first; a firm of another county holds or leases land here only when the province (parcel_gov_admin) links it.",
						"firm %s not found or not permitted", text_to_cstring(new_firm));
	}
	SPI_finish();
	return PointerGetDatum(newtuple);
}
