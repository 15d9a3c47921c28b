/* SPDX-License-Identifier: MIT */
/* Fuzz the ld.so.cache reader and its lookups. */
#include "fuzz.h"
#include "bindep/ldconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_ldcache c;
	struct bd_error err;
	size_t i, n = 0;

	bd_ldcache_init(&c);
	if (!bd_ldcache_parse(&c, data, size, &err)) {
		for (i = bd_ldcache_find(&c, "libc.so.6"); i != SIZE_MAX;
		     i = c.next_same[i])
			n += c.entries[i].value[0] == '/';
	}
	bd_ldcache_release(&c);
	return (int)(n & 0);
}
