/*
 * restore_mode.c — a superuser's restore passes the guards.
 *
 * pg_restore and the scripts of pg_dump and pg_dumpall set row_security =
 * off, and the results, the register and its history come back as rows, not
 * through evaluate() or transition().  A session whose calling role is a
 * superuser and whose row_security is off is taken to be restoring: the
 * guards let its rows in as they are, and the register writes no history
 * for them (their history is restored too).  The calling role counts, not
 * the functions' owner, so no county role gets here through a SECURITY
 * DEFINER function; county roles hold no write privilege on those tables
 * anyway, and a superuser could disable the triggers in any case.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/rls.h"

#include "restore_mode.h"

bool
restoring(void)
{
	return !row_security && superuser_arg(GetOuterUserId());
}
