/*
 * parcel_gov.c — the module's magic block; each concept lives in its own file.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
