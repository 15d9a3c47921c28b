/* SPDX-License-Identifier: MIT */
/* Fuzz the cache entry parser: entries are files anyone may have edited. */
#include "fuzz.h"
#include "bindep/cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_buf body = BD_BUF_INIT;
	long long stored;
	long status;

	bd_cache_parse_entry((const char *)data, size, &stored, &status, &body);
	bd_buf_release(&body);
	return 0;
}
