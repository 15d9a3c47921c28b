/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the manifest reader (bindep/manifest.h): any bytes give a list or a
 * refusal with a message; a list holds no more than the cap, its names
 * sorted and unique, each name and version of the allowed shape.
 */
#include "fuzz.h"
#include "bindep/manifest.h"
#include "bindep/strrules.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_manifest m;
	struct bd_error err;
	size_t i;

	if (bd_manifest_parse((const char *)data, size, &m, &err)) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	if (m.n > BD_MANIFEST_MAX_NAMES)
		abort();
	for (i = 0; i < m.n; i++) {
		if (!m.items[i].name[0] ||
		    strlen(m.items[i].name) > BD_MANIFEST_MAX_NAME ||
		    !m.items[i].version[0] ||
		    strlen(m.items[i].version) > BD_VERSION_MAX ||
		    (i && strcmp(m.items[i - 1].name, m.items[i].name) >= 0))
			abort();
	}
	bd_manifest_release(&m);
	return 0;
}
