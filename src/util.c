/* SPDX-License-Identifier: MIT */
#include "bindep/buf.h"
#include "bindep/common.h"
#include "bindep/error.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

int bd_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t bd_sort_unique_u32(uint32_t *v, size_t n)
{
	size_t i, kept = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), bd_cmp_u32);
	for (i = 0; i < n; i++)
		if (!kept || v[kept - 1] != v[i])
			v[kept++] = v[i];
	return kept;
}

int bd_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int bd_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int bd_grow(void **ptr, size_t *alloc, size_t need, size_t elem_size)
{
	size_t n;
	void *p;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return BD_ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / elem_size)
		return BD_ENOMEM;
	p = realloc(*ptr, n * elem_size);
	if (!p)
		return BD_ENOMEM;
	*ptr = p;
	*alloc = n;
	return 0;
}
