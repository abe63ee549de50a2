/*
 * hash128.h — a 128-bit hash of a byte string (MurmurHash3 x64-128), for
 * the digests of a region's rows: one pass where two 64-bit hashes with
 * different seeds took two.
 */
#ifndef PARCEL_GOV_HASH128_H
#define PARCEL_GOV_HASH128_H

#include "postgres.h"

extern void hash128(const void *data, int len, uint64 out[2]);

#endif
