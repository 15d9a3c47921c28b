/* SPDX-License-Identifier: MIT */
/* Fuzz the purl-registry package reader: each input is a package.yml (and
 * the same bytes as its purls.yml) in a private checkout. */
#include "fuzz.h"
#include "bindep/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/bd-fuzz-registry-XXXXXX";

static int put(const char *name, const uint8_t *data, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/registry/purl/ns/pkg/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(data, 1, size, f);
	return fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct bd_registry_package *p = NULL;
	char path[128];

	if (!ready) {
		if (!mkdtemp(dir))
			return 0;
		snprintf(path, sizeof(path), "mkdir -p %s/registry/purl/ns/pkg",
			 dir);
		if (system(path))
			return 0;
		ready = true;
	}
	if (put("package.yml", data, size) || put("purls.yml", data, size))
		return 0;
	if (!bd_registry_package_load(dir, "ns/pkg", &p, NULL)) {
		bd_registry_knows_version(p, "1.0");
		bd_registry_package_free(p);
	}
	return 0;
}
