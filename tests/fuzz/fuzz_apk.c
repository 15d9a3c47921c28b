/* SPDX-License-Identifier: MIT */
/* Fuzz apk's installed-database parser (paths are looked up on the
 * host, read-only). */
#include "fuzz.h"
#include "bindep/pkgdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_pkgdb db;
	struct bd_root root;

	if (bd_root_init(&root, NULL, NULL))
		return 0;
	bd_pkgdb_init(&db);
	bd_apk_parse_installed(&db, &root, NULL, (const char *)data, size);
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	return 0;
}
