/* SPDX-License-Identifier: MIT */
/*
 * Fuzz cargo-auditable's dependency list (cargoaudit.c). The first byte
 * chooses: even, the rest is the JSON, parsed; odd, the rest is a
 * .dep-v0 section's bytes, decompressed and what they give parsed.
 * Whatever the bytes: no more than 8 MiB decompressed, every package kept
 * named by text of 1 to 256 bytes, no more packages than the cap, each
 * dependency another package kept, named once; no more bytes said to
 * follow the stream than the section has.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/scan.h"
#include "bindep/utf8.h"

#include <stdlib.h>
#include <string.h>

static void check_field(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (!len || len > BD_CARGO_MAX_FIELD || !bd_utf8_text(s, len))
		abort();
}

/* Each dependency of package i: another package kept, named once
 * (seen: npackages bytes, zeroed). */
static void check_deps(const struct bd_cargo_info *info, size_t i,
		       unsigned char *seen)
{
	const struct bd_cargo_package *p = &info->packages[i];
	size_t k;

	for (k = 0; k < p->ndeps; k++) {
		if (p->deps[k] >= info->npackages || p->deps[k] == i ||
		    seen[p->deps[k]]++)
			abort();
	}
	for (k = 0; k < p->ndeps; k++)
		seen[p->deps[k]] = 0;
}

static void parse(const char *json, size_t len)
{
	static unsigned char seen[BD_CARGO_MAX_PACKAGES];
	const struct bd_cargo_info *info = NULL;
	struct bd_arena a;
	struct bd_error err;
	size_t i;
	int rc;

	bd_arena_init(&a);
	rc = bd_cargoaudit_parse(json, len, &a, &info, &err);
	if ((rc == 0 || rc == BD_EFORMAT) && info) {
		if (info->npackages > BD_CARGO_MAX_PACKAGES)
			abort();
		for (i = 0; i < info->npackages; i++) {
			check_field(info->packages[i].name);
			check_field(info->packages[i].version);
			check_field(info->packages[i].source);
			check_deps(info, i, seen);
		}
	} else if (info) {
		abort(); /* a list refused whole gives nothing */
	}
	bd_arena_release(&a);
}

static void inflate(const unsigned char *d, size_t n)
{
	struct bd_buf out = BD_BUF_INIT;
	struct bd_error err;
	size_t after = 0;
	int rc = bd_cargoaudit_inflate(d, n, &out, &after, &err);

	if (out.len > BD_CARGO_MAX_JSON + 1 || after > n || (rc && after))
		abort();
	if (!rc)
		parse(bd_buf_str(&out), out.len);
	bd_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (!(data[0] & 1))
		parse((const char *)data + 1, size - 1);
	else
		inflate(data + 1, size - 1);
	return 0;
}
