/* SPDX-License-Identifier: MIT */
/* Fuzz the ld.so.conf parser (includes are reported, not read). */
#include "fuzz.h"
#include "bindep/ldconf.h"

static int ignore_include(void *ctx, const char *pattern)
{
	(void)ctx;
	(void)pattern;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_dirlist d;

	bd_dirlist_init(&d);
	bd_ldconf_parse((const char *)data, size, &d, ignore_include, NULL);
	bd_dirlist_release(&d);
	return 0;
}
