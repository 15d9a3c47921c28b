/* SPDX-License-Identifier: MIT */
/* Fuzz the mapping registry's loader (libcyaml and our checks), then the
 * matching and version rules over what loaded. */
#include "fuzz.h"
#include "bindep/mapping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_mappings m;
	struct bd_error err;
	struct bd_buf v = BD_BUF_INIT;
	const struct bd_mapping *e;
	unsigned rule;

	bd_mappings_init(&m);
	if (!bd_mappings_load_data(&m, "fuzz.yml", data, size, &err)) {
		e = bd_mappings_by_file(&m, "libz-7e2a72b4.so.1.2.13",
					"libz.so.1");
		if (e)
			bd_mapping_read_version(e, "libz.so.1.2.13",
						"libz.so.1", NULL, NULL, &v,
						&rule);
		bd_mappings_identify(&m, "debian", "zlib", "libz.so.1", NULL);
	}
	bd_buf_release(&v);
	bd_mappings_release(&m);
	return 0;
}
