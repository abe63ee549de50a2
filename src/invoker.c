/*
 * invoker.c — who called: the role a session acts as, even inside a
 * SECURITY DEFINER function.
 *
 * The functions that write results and history (evaluate, transition, ...)
 * run as the extension's owner, so that they read every row they need
 * whatever row-level security shows the caller.  current_user is then the
 * owner; the caller's role (the session user, or the role it SET ROLE to) is
 * PostgreSQL's "outer" user id, which SECURITY DEFINER does not change.
 * Their role and region checks, and the actor of every history row, use it.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

PG_FUNCTION_INFO_V1(invoker);

/* the calling role's OID, as regrole */
Datum
invoker(PG_FUNCTION_ARGS)
{
	PG_RETURN_OID(GetOuterUserId());
}
