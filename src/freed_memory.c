/*
 * freed_memory.c — a backend that runs the engine keeps the memory a run
 * frees, for its next run (freed_memory.h).
 *
 * A county's run allocates and frees some megabytes each time: its arrays
 * and maps, the rows SPI hands over, the tuplestores of its writes.  glibc's
 * malloc maps blocks from 128 kB up afresh and gives back to the kernel the
 * top of its heap beyond 128 kB, until its sliding thresholds have grown
 * with the blocks a process frees: until then each run faults its pages in
 * again, at 10–20 µs a 4 kB page on a virtual machine (about 1,000 faults a
 * county's run, a fifth of a county's correction: bench/README.md).  Here
 * the thresholds are fixed where glibc's sliding ones stop (32 MB for a
 * block to be mapped, 64 MB of free heap kept), from the first run on.  A
 * run's arrays of 2 MB and more are mappings of their own, kept for the
 * next run by big_alloc.c.
 */
#include "postgres.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "freed_memory.h"

#define MAPPED_FROM ((int) 32 * 1024 * 1024)
#define KEPT_UP_TO ((int) 64 * 1024 * 1024)

void
keep_freed_memory(void)
{
#ifdef __GLIBC__
	static bool set = false;

	/* a hint: where malloc refuses it, runs cost what they did */
	if (!set)
		(void) (mallopt(M_MMAP_THRESHOLD, MAPPED_FROM) && mallopt(M_TRIM_THRESHOLD, KEPT_UP_TO));
	set = true;
#endif
}
