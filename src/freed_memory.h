/*
 * freed_memory.h — a backend that runs the engine keeps the memory a run
 * frees, for its next run.
 */
#ifndef PARCEL_GOV_FREED_MEMORY_H
#define PARCEL_GOV_FREED_MEMORY_H

/* From the first call on (once per backend): blocks under 32 MB come from
 * malloc's heap, and up to 64 MB of it stay with the backend when freed. */
extern void keep_freed_memory(void);

#endif
