/*
 * hash128.c — MurmurHash3 x64-128 (Austin Appleby's public-domain
 * algorithm), seed 0, little-endian reads as on every platform we build.
 */
#include "postgres.h"

#include "hash128.h"

static inline uint64
rotl64(uint64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64
fmix64(uint64 k)
{
	k ^= k >> 33;
	k *= UINT64CONST(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64CONST(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return k;
}

void
hash128(const void *data, int len, uint64 out[2])
{
	const unsigned char *bytes = data;
	const uint64 c1 = UINT64CONST(0x87c37b91114253d5);
	const uint64 c2 = UINT64CONST(0x4cf5ad432745937f);
	int			nblocks = len / 16;
	uint64		h1 = 0,
				h2 = 0,
				k1 = 0,
				k2 = 0;
	const unsigned char *tail = bytes + nblocks * 16;

	for (int i = 0; i < nblocks; i++)
	{
		memcpy(&k1, bytes + i * 16, 8);
		memcpy(&k2, bytes + i * 16 + 8, 8);
		k1 *= c1;
		k1 = rotl64(k1, 31);
		k1 *= c2;
		h1 ^= k1;
		h1 = rotl64(h1, 27);
		h1 += h2;
		h1 = h1 * 5 + 0x52dce729;
		k2 *= c2;
		k2 = rotl64(k2, 33);
		k2 *= c1;
		h2 ^= k2;
		h2 = rotl64(h2, 31);
		h2 += h1;
		h2 = h2 * 5 + 0x38495ab5;
	}

	/* the last 0–15 bytes, as the reference reads them */
	k1 = k2 = 0;
	for (int i = (len & 15) - 1; i >= 8; i--)
		k2 = (k2 << 8) | tail[i];
	for (int i = Min(len & 15, 8) - 1; i >= 0; i--)
		k1 = (k1 << 8) | tail[i];
	if ((len & 15) > 8)
	{
		k2 *= c2;
		k2 = rotl64(k2, 33);
		k2 *= c1;
		h2 ^= k2;
	}
	if ((len & 15) > 0)
	{
		k1 *= c1;
		k1 = rotl64(k1, 31);
		k1 *= c2;
		h1 ^= k1;
	}

	h1 ^= (uint64) len;
	h2 ^= (uint64) len;
	h1 += h2;
	h2 += h1;
	h1 = fmix64(h1);
	h2 = fmix64(h2);
	h1 += h2;
	h2 += h1;
	out[0] = h1;
	out[1] = h2;
}
