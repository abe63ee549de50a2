/*
 * code_key.c — packed code keys and the index of rows by them.
 */
#include "postgres.h"

#include "port/pg_bitutils.h"
#include "utils/builtins.h"

#include "big_alloc.h"
#include "code_key.h"
#include "error.h"

CodeKey
code_key_of(Datum text_datum, const char *what)
{
	text	   *t = DatumGetTextPP(text_datum);
	int			len = VARSIZE_ANY_EXHDR(t);
	CodeKey		key = {{0}};

	if (len > CODE_KEY_MAX)
		raise_error(ERRCODE_INVALID_PARAMETER_VALUE,
					"Codes are at most 24 characters: USCC 18, 宗地代码 19, region 6.",
					"%s \"%.*s\" is longer than %d characters", what, Min(len, 40), VARDATA_ANY(t),
					CODE_KEY_MAX);
	memcpy(&key, VARDATA_ANY(t), len);
	return key;
}

Datum
code_key_text(const CodeKey *key)
{
	const char *bytes = (const char *) key;

	return PointerGetDatum(cstring_to_text_with_len(bytes, strnlen(bytes, CODE_KEY_MAX)));
}

/* splitmix64's finaliser: every input bit reaches every output bit */
static inline uint64
mix64(uint64 x)
{
	x ^= x >> 30;
	x *= UINT64CONST(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64CONST(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* Codes of one county share their first bytes, so all three words are mixed. */
static inline uint32
code_key_hash(const CodeKey *key)
{
	return (uint32) mix64(key->w[0] ^ mix64(key->w[1] ^ mix64(key->w[2])));
}

static inline bool
code_key_equal(const CodeKey *a, const CodeKey *b)
{
	return a->w[0] == b->w[0] && a->w[1] == b->w[1] && a->w[2] == b->w[2];
}

/*
 * Open addressing with linear probing, at most half full: most lookups miss
 * (a parcel without leases or register row), and a miss ends at the next
 * empty slot, two or three slots on.  A slot is (hash << 32 | position + 1),
 * 0 when empty; the key is compared only when the hash matches.
 */
struct CodeMap
{
	MemoryContext cxt;
	uint64	   *slot;
	uint32		mask;
	uint32		count;
	void	   *const *base;
	Size		stride;
	Size		key_offset;
};

static inline const CodeKey *
key_at(const CodeMap *map, int32 position)
{
	return (const CodeKey *) ((const char *) *map->base + position * map->stride + map->key_offset);
}

static void
allocate_slots(CodeMap *map, uint32 nslots)
{
	map->slot = big_alloc(map->cxt, sizeof(uint64) * nslots, true);
	map->mask = nslots - 1;
}

CodeMap *
code_map_create(MemoryContext cxt, uint32 expected, void *const *base, Size stride, Size key_offset)
{
	CodeMap    *map = MemoryContextAlloc(cxt, sizeof(CodeMap));

	map->cxt = cxt;
	map->count = 0;
	map->base = base;
	map->stride = stride;
	map->key_offset = key_offset;
	allocate_slots(map, pg_nextpower2_32(Max(expected, 8) * 2));
	return map;
}

static inline int32
get_hashed(const CodeMap *map, const CodeKey *key, uint32 hash)
{
	for (uint32 i = hash & map->mask;; i = (i + 1) & map->mask)
	{
		uint64		s = map->slot[i];

		if (s == 0)
			return -1;
		if ((uint32) (s >> 32) == hash && code_key_equal(key_at(map, (int32) (uint32) s - 1), key))
			return (int32) (uint32) s - 1;
	}
}

#ifdef __GNUC__
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void) 0)
#endif

int32
code_map_get(const CodeMap *map, const CodeKey *key)
{
	return get_hashed(map, key, code_key_hash(key));
}

void
code_map_get_batch(const CodeMap *map, const CodeKey *keys, int n, int32 *positions)
{
	uint32		hash[CODE_BATCH];

	Assert(n <= CODE_BATCH);
	for (int i = 0; i < n; i++)
	{
		hash[i] = code_key_hash(&keys[i]);
		PREFETCH(&map->slot[hash[i] & map->mask]);
	}
	for (int i = 0; i < n; i++)
	{
		uint64		s = map->slot[hash[i] & map->mask];

		if (s != 0)
			PREFETCH(key_at(map, (int32) (uint32) s - 1));
	}
	for (int i = 0; i < n; i++)
		positions[i] = get_hashed(map, &keys[i], hash[i]);
}

static void
place(CodeMap *map, uint64 s)
{
	uint32		i = (uint32) (s >> 32) & map->mask;

	while (map->slot[i] != 0)
		i = (i + 1) & map->mask;
	map->slot[i] = s;
}

void
code_map_put_batch(CodeMap *map, const CodeKey *keys, int n, int32 first_position)
{
	Assert(n <= CODE_BATCH);
	for (int i = 0; i < n; i++)
		PREFETCH(&map->slot[code_key_hash(&keys[i]) & map->mask]);
	for (int i = 0; i < n; i++)
		code_map_put(map, &keys[i], first_position + i);
}

int32
code_map_put(CodeMap *map, const CodeKey *key, int32 position)
{
	int32		found = code_map_get(map, key);

	if (found >= 0)
		return found;
	if (map->count + 1 > (map->mask + 1) / 2)
	{
		uint64	   *old = map->slot;
		uint32		n = map->mask + 1;

		allocate_slots(map, n * 2);
		for (uint32 i = 0; i < n; i++)
			if (old[i] != 0)
				place(map, old[i]);
		big_free(old);
	}
	place(map, (uint64) code_key_hash(key) << 32 | (uint32) (position + 1));
	map->count++;
	return position;
}
