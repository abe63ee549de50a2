/*
 * applying_subscription.c — which subscription, if any, is writing through
 * this backend.
 *
 * A province subscribes to its counties' publications (README: Many
 * counties, one province).  Their rows are written by PostgreSQL's logical
 * replication workers (the apply worker and, for the initial copy, a table
 * synchronisation worker), which run with session_replication_role =
 * replica: the extension's ordinary triggers do not fire, triggers enabled
 * ENABLE REPLICA do.  Those triggers need to know which county's
 * subscription delivers the row, and to stay out of the way of every other
 * session that sets replica mode (a DBA's repair, a bench's bulk load):
 * both read the worker's subscription, which PostgreSQL keeps in
 * MySubscription for the life of the worker and leaves NULL elsewhere.
 * As a trigger's WHEN clause it costs a function call per row, not a
 * PL/pgSQL call.
 */
#include "postgres.h"

#include "fmgr.h"
#include "replication/worker_internal.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(applying_subscription);

/* applying_subscription() → the subscription's name, or NULL outside a replication worker */
Datum
applying_subscription(PG_FUNCTION_ARGS)
{
	Name		result;

	if (MySubscription == NULL || MySubscription->name == NULL)
		PG_RETURN_NULL();
	result = (Name) palloc0(NAMEDATALEN);
	namestrcpy(result, MySubscription->name);
	PG_RETURN_NAME(result);
}
