/*
 * bench/memory_probe.c — what fresh memory costs on this machine, the
 * physical cost behind two of the engine's choices (bench/README.md):
 *
 *   private memory, 4 kB pages   what palloc'd arrays cost before big_alloc.c
 *   private memory, 2 MB pages   big_alloc.c (madvise before the first touch)
 *   shared memory, written       what a parallel worker pays to hand its rows
 *                                to the leader (a DSM segment: POSIX shm,
 *                                posix_fallocate'd as PostgreSQL does)
 *   shared memory, read          and what the leader pays to read them
 *
 * Each figure is the time to touch every page of SIZE_MB once, the median
 * of 5.  Build and run: cc -O2 -o memory_probe memory_probe.c && ./memory_probe [SIZE_MB]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 5

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double
touch(volatile char *p, size_t size, int write)
{
	double		start = now_ms();
	long		sum = 0;

	for (size_t i = 0; i < size; i += 4096)
	{
		if (write)
			p[i] = 1;
		else
			sum += p[i];
	}
	if (sum < 0)
		abort();				/* keeps the reads */
	return now_ms() - start;
}

/* private anonymous memory, with or without 2 MB pages advised first */
static double
private_memory(size_t size, int huge)
{
	size_t		align = 2u << 20;
	char	   *raw = mmap(NULL, size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char	   *p;
	double		ms;

	if (raw == MAP_FAILED)
		abort();
	p = (char *) (((unsigned long) raw + align - 1) & ~(unsigned long) (align - 1));
	madvise(p, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	ms = touch(p, size, 1);
	munmap(raw, size + align);
	return ms;
}

/* a shared segment written by one mapping and read through a second */
static void
shared_memory(size_t size, double *written, double *read)
{
	char		name[64];
	int			fd;
	char	   *w,
			   *r;

	snprintf(name, sizeof(name), "/parcel_gov_probe.%d", (int) getpid());
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0 || ftruncate(fd, size) != 0 || posix_fallocate(fd, 0, size) != 0)
		abort();
	w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	r = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED || r == MAP_FAILED)
		abort();
	*written = touch(w, size, 1);
	*read = touch(r, size, 0);
	munmap(w, size);
	munmap(r, size);
	close(fd);
	shm_unlink(name);
}

static int
by_value(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

static double
median(double *v)
{
	qsort(v, ROUNDS, sizeof(double), by_value);
	return v[ROUNDS / 2];
}

int
main(int argc, char **argv)
{
	size_t		mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
	size_t		size = mb << 20;
	double		small[ROUNDS],
				huge[ROUNDS],
				shw[ROUNDS],
				shr[ROUNDS];

	for (int i = 0; i < ROUNDS; i++)
	{
		small[i] = private_memory(size, 0);
		huge[i] = private_memory(size, 1);
		shared_memory(size, &shw[i], &shr[i]);
	}
	printf("fresh memory, %zu MB touched once (median of %d):\n", mb, ROUNDS);
	printf("  private, 4 kB pages   %8.1f ms\n", median(small));
	printf("  private, 2 MB pages   %8.1f ms\n", median(huge));
	printf("  shared, written       %8.1f ms\n", median(shw));
	printf("  shared, read          %8.1f ms\n", median(shr));
	return 0;
}
