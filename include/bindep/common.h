/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_COMMON_H
#define BINDEP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef BD_VERSION
#define BD_VERSION "0.1.0"
#endif

#define BD_PROGRAM "bindep-sbom"

#define BD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* This machine's byte order (GCC and Clang say it). */
#define BD_HOST_LITTLE_ENDIAN (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)

#if defined(__GNUC__)
#define BD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define BD_PRINTF(fmt, args)
#endif

/*
 * Grows *ptr (an array of elem_size elements, *alloc allocated) so that it
 * holds at least `need` elements. Returns 0 or BD_ENOMEM; *ptr is untouched on
 * failure. Overflow-checked.
 */
int bd_grow(void **ptr, size_t *alloc, size_t need, size_t elem_size);

/* qsort(3) and bsearch(3)'s order of uint32_t values. */
int bd_cmp_u32(const void *a, const void *b);

/* Sorts v[0..n) and keeps each value once; returns how many are kept. */
size_t bd_sort_unique_u32(uint32_t *v, size_t n);

/* The first of the sorted v[0..n) not below x (n when none): a binary
 * search inline, where bsearch(3) calls its comparison at each step. */
static inline size_t bd_lower_bound_u32(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* qsort(3) and bsearch(3)'s order of C strings (an array of pointers to
 * them), by strcmp(3). */
int bd_cmp_str(const void *a, const void *b);

/* The value of a hexadecimal digit, either case; -1 for another byte. */
int bd_hex_digit(char c);

/* An unsigned integer of n bytes (at most 8) in the given byte order.
 * Inline: the ELF readers load every field of every section header with
 * it (a call and a loop a field cost 1% of the CPU of a scan of
 * /usr/lib). The widths ELF uses (2, 4, 8) are one load and at most a
 * byte swap even when n is not constant (is64 ? 8 : 4), where a loop a
 * byte cost another 0.7%. */
static inline uint64_t bd_load_uint(const unsigned char *p, size_t n, bool msb)
{
	uint64_t v = 0;
	uint32_t w;
	uint16_t h;
	size_t i;

	switch (n) {
	case 8: memcpy(&v, p, 8); break;
	case 4:
		memcpy(&w, p, 4);
		v = w;
		break;
	case 2:
		memcpy(&h, p, 2);
		v = h;
		break;
	default:
		if (msb)
			for (i = 0; i < n; i++)
				v = v << 8 | p[i];
		else
			for (i = n; i-- > 0;)
				v = v << 8 | p[i];
		return v;
	}
	if (msb == BD_HOST_LITTLE_ENDIAN)
		v = __builtin_bswap64(v) >> (64 - 8 * n);
	return v;
}

/* bd_grow on an array and its count, the call made only when the array
 * must grow: most appends have room, and the hot loops that append (a
 * summary a dpkg list line, a file a walked entry) paid a call each.
 * alloc and need are read twice: no side effects in them. */
#define BD_GROW(arr, alloc, need)                                              \
	((size_t)(need) <= (alloc)                                             \
		 ? 0                                                           \
		 : bd_grow((void **)&(arr), &(alloc), (need), sizeof(*(arr))))

#endif
