/*
 * code_key.h — codes (USCC 18 characters, 宗地代码 19, region 6) as fixed
 * 24-byte keys, and a hash map from such keys to array positions.
 *
 * The evaluation engine joins firms, parcels, leases and register rows on
 * their codes in C: a packed key compares and hashes in a few instructions,
 * where the executor's hash join on text costs a microsecond a probe.
 */
#ifndef PARCEL_GOV_CODE_KEY_H
#define PARCEL_GOV_CODE_KEY_H

#include "postgres.h"

#define CODE_KEY_MAX 24

typedef struct CodeKey
{
	uint64		w[CODE_KEY_MAX / 8];	/* the code's bytes, zero-padded */
}			CodeKey;

/* The key of a text Datum; 22023 when the code is longer than CODE_KEY_MAX. */
extern CodeKey code_key_of(Datum text_datum, const char *what);

/* The code as a text Datum (palloc'd in the current context). */
extern Datum code_key_text(const CodeKey *key);

/* Byte order of two keys (the codes' order under the C collation). */
static inline int
code_key_cmp(const CodeKey *a, const CodeKey *b)
{
	return memcmp(a, b, sizeof(CodeKey));
}

/* Whether the code starts with prefix (prefix_len bytes). */
static inline bool
code_key_starts_with(const CodeKey *key, const char *prefix, int prefix_len)
{
	return memcmp(key, prefix, prefix_len) == 0;
}

/*
 * An index of an array of rows by a code key held in each row: slots of 8
 * bytes (the key's hash and the row's position), so half a million firms
 * index in 8 MB, within the CPU's cache, where a map holding the keys
 * would take four times that.  base points to the array's pointer, which
 * may move as the array grows.
 */
typedef struct CodeMap CodeMap;

extern CodeMap *code_map_create(MemoryContext cxt, uint32 expected, void *const *base, Size stride,
								Size key_offset);

/* The position of the row with key, or -1. */
extern int32 code_map_get(const CodeMap *map, const CodeKey *key);

/* Indexes row position under key unless a row has it already; returns the position the key now has. */
extern int32 code_map_put(CodeMap *map, const CodeKey *key, int32 position);

/*
 * The positions of n keys (-1 where absent).  Each lookup waits for memory
 * twice, for its slot and for the row holding its key; a batch fetches all
 * its slots, then all its rows, ahead of reading them, so it waits about
 * twice in all rather than twice per key.
 */
#define CODE_BATCH 64
extern void code_map_get_batch(const CodeMap *map, const CodeKey *keys, int n, int32 *positions);

/* code_map_put of keys[i] at first_position + i, their slots fetched ahead. */
extern void code_map_put_batch(CodeMap *map, const CodeKey *keys, int n, int32 first_position);

#endif
