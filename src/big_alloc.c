/*
 * big_alloc.c — big arrays on 2 MB pages, kept between runs (big_alloc.h).
 *
 * A run's arrays are fresh memory when malloc maps them anew: every page
 * costs a fault on first touch and the kernel zeroes it, and on a virtual
 * machine that costs a province's rerun a quarter of its time (260 ms of
 * 1.4 s here, bench/README.md).  So an array of 2 MB or more is a mapping
 * of its own, 2 MB aligned (transparent huge pages in madvise mode), and
 * when its memory context goes the mapping is kept for the backend's next
 * run instead of unmapped: the next run's arrays of about the same sizes
 * land on pages already mapped.  Kept mappings are marked MADV_FREE: the
 * kernel may take their pages back under memory pressure (a page taken
 * back reads as zeroes, costs a fault again, and nothing is lost, as a
 * kept array's contents are never read).  At most KEPT_MAX bytes are kept.
 *
 * Every array starts BIG_HEADER bytes into its allocation, after a header
 * that says how it was allocated: a smaller one is palloc'd, as before.
 */
#include "postgres.h"

#include <sys/mman.h>

#include "utils/memutils.h"

#include "big_alloc.h"

#define HUGE_PAGE_SIZE ((Size) 2 * 1024 * 1024)
/* from this size on, an array is a mapping of its own */
#define MAPPED_FROM HUGE_PAGE_SIZE
#define KEPT_MAX ((Size) 1024 * 1024 * 1024)
#define MAX_KEPT 64
#define BIG_MAGIC 0x42494741

typedef struct BigOwner BigOwner;

/* before each array; 64 bytes, so the array keeps a cache line's alignment */
typedef struct BigHeader
{
	uint32		magic;
	bool		mapped;			/* a mapping of its own (else palloc'd) */
	Size		capacity;		/* bytes after the header */
	BigOwner   *owner;			/* a mapping's record in its context */
	char		pad[64 - 2 * sizeof(uint32) - sizeof(Size) - sizeof(BigOwner *)];
} BigHeader;

#define BIG_HEADER sizeof(BigHeader)
StaticAssertDecl(sizeof(BigHeader) == 64, "a cache line before the array");

/* a mapping's record in the context that owns it: the mapping goes when the context does */
struct BigOwner
{
	MemoryContextCallback callback;
	BigHeader  *mapping;		/* NULL once released */
};

/* the mappings kept for the next run (their sizes here: a page taken back
 * reads as zeroes, the header with it), and their bytes */
typedef struct KeptMapping
{
	BigHeader  *start;
	Size		size;
} KeptMapping;

static KeptMapping kept[MAX_KEPT];
static int	n_kept;
static Size kept_bytes;
/* bytes in mappings owned by a context now */
static Size in_use;

static Size
mapping_size(const BigHeader *h)
{
	return h->capacity + BIG_HEADER;
}

static void
advise_huge_pages(void *start, Size size)
{
#ifdef MADV_HUGEPAGE
	(void) madvise(start, size, MADV_HUGEPAGE);	/* a hint: where refused, nothing is lost */
#endif
}

static void
out_of_memory(Size size)
{
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory"),
			 errdetail("Failed on request of size %zu.", size)));
}

/* size bytes of address space at a 2 MB boundary (size a multiple of 2 MB): the rest of a bigger mapping unmapped */
static void *
map_aligned(Size size)
{
	char	   *raw = mmap(NULL, size + HUGE_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char	   *start;

	if (raw == MAP_FAILED)
		out_of_memory(size);
	start = (char *) TYPEALIGN(HUGE_PAGE_SIZE, raw);
	if (start > raw)
		(void) munmap(raw, start - raw);
	(void) munmap(start + size, raw + HUGE_PAGE_SIZE - start);
	advise_huge_pages(start, size);
	return start;
}

static void
release(BigHeader *h)
{
	Size		size = mapping_size(h);

	in_use -= size;
	h->owner = NULL;
	if (n_kept < MAX_KEPT && kept_bytes + size <= KEPT_MAX)
	{
#ifdef MADV_FREE
		(void) madvise(h, size, MADV_FREE);
#endif
		kept[n_kept].start = h;
		kept[n_kept++].size = size;
		kept_bytes += size;
	}
	else
		(void) munmap(h, size);
}

static void
release_on_reset(void *arg)
{
	BigOwner   *owner = arg;

	if (owner->mapping != NULL)
		release(owner->mapping);
	owner->mapping = NULL;
}

/* the kept mapping that fits size bytes best, taken from the kept ones; else NULL */
static BigHeader *
take_kept(Size size)
{
	int			best = -1;
	BigHeader  *h;

	for (int i = 0; i < n_kept; i++)
		if (kept[i].size >= size && (best < 0 || kept[i].size < kept[best].size))
			best = i;
	if (best < 0)
		return NULL;
	h = kept[best].start;
	h->capacity = kept[best].size - BIG_HEADER;
	kept_bytes -= kept[best].size;
	kept[best] = kept[--n_kept];
	return h;
}

/* a mapping moved to a fresh aligned range of size bytes, its pages with it (not copied) */
static BigHeader *
grow_mapping(BigHeader *h, Size size)
{
	void	   *to = map_aligned(size);
	void	   *moved = mremap(h, mapping_size(h), size, MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (moved == MAP_FAILED)
	{
		(void) munmap(to, size);
		out_of_memory(size);
	}
	h = moved;
	h->capacity = size - BIG_HEADER;
	return h;
}

void *
big_alloc(MemoryContext cxt, Size size, bool zero)
{
	BigHeader  *h;

	if (size + BIG_HEADER < MAPPED_FROM)
	{
		h = MemoryContextAllocHuge(cxt, size + BIG_HEADER);
		h->mapped = false;
		h->capacity = size;
		h->owner = NULL;
	}
	else
	{
		Size		need = TYPEALIGN(HUGE_PAGE_SIZE, size + BIG_HEADER);
		BigOwner   *owner = MemoryContextAllocZero(cxt, sizeof(BigOwner));

		h = take_kept(need);
		if (h == NULL)
		{
			h = map_aligned(need);
			h->capacity = need - BIG_HEADER;
		}
		h->mapped = true;
		h->owner = owner;
		owner->mapping = h;
		owner->callback.func = release_on_reset;
		owner->callback.arg = owner;
		MemoryContextRegisterResetCallback(cxt, &owner->callback);
		in_use += mapping_size(h);
	}
	h->magic = BIG_MAGIC;
	if (zero)
		memset((char *) h + BIG_HEADER, 0, size);
	return (char *) h + BIG_HEADER;
}

static BigHeader *
header_of(void *array)
{
	BigHeader  *h = (BigHeader *) ((char *) array - BIG_HEADER);

	if (h->magic != BIG_MAGIC)
		elog(ERROR, "parcel_gov: an array not from big_alloc");
	return h;
}

void *
big_realloc(void *array, Size size)
{
	BigHeader  *h = header_of(array);
	Size		need;

	if (size <= h->capacity)
		return array;
	if (!h->mapped)
	{
		char	   *grown;

		if (size + BIG_HEADER < MAPPED_FROM)
		{
			h = repalloc_huge(h, size + BIG_HEADER);
			h->capacity = size;
			return (char *) h + BIG_HEADER;
		}
		grown = big_alloc(GetMemoryChunkContext(h), size, false);
		memcpy(grown, array, h->capacity);
		pfree(h);
		return grown;
	}
	need = TYPEALIGN(HUGE_PAGE_SIZE, size + BIG_HEADER);
	in_use -= mapping_size(h);
	h = grow_mapping(h, need);
	h->owner->mapping = h;
	in_use += mapping_size(h);
	return (char *) h + BIG_HEADER;
}

void
big_free(void *array)
{
	BigHeader  *h = header_of(array);

	h->magic = 0;
	if (!h->mapped)
		pfree(h);
	else
	{
		BigOwner   *owner = h->owner;

		release(h);
		owner->mapping = NULL;	/* its callback has nothing left to do */
	}
}

Size
big_alloc_in_use(void)
{
	return in_use;
}
