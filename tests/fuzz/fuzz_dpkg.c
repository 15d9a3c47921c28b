/* SPDX-License-Identifier: MIT */
/* Fuzz dpkg's status parser. */
#include "fuzz.h"
#include "bindep/pkgdb.h"

static int count(void *ctx, const struct bd_dpkg_fields *f)
{
	size_t *n = ctx;

	*n += f->package_len + f->version_len + f->source_len + f->arch_len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;

	bd_dpkg_parse_status((const char *)data, size, count, &n);
	return 0;
}
