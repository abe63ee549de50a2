/*
 * big_alloc.h — the engine's big arrays and maps (a row per firm or parcel
 * of a province), on 2 MB pages where the kernel grants them, their pages
 * kept mapped for the backend's next run.
 */
#ifndef PARCEL_GOV_BIG_ALLOC_H
#define PARCEL_GOV_BIG_ALLOC_H

#include "postgres.h"

/* size bytes in cxt (over 1 GB allowed; freed with cxt or by big_free), zeroed when asked */
extern void *big_alloc(MemoryContext cxt, Size size, bool zero);

/* array resized to size bytes, its contents kept */
extern void *big_realloc(void *array, Size size);

/* array freed before its context goes */
extern void big_free(void *array);

/* bytes of the arrays mapped on their own and in use now (not kept) */
extern Size big_alloc_in_use(void);

#endif
