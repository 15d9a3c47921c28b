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

/* The checkout's levels below dir, each in the one before. */
static const char *const levels[] = { "registry", "registry/purl",
				      "registry/purl/ns",
				      "registry/purl/ns/pkg" };

/* The checkout, removed at exit: a replay in `make check` left one in
 * /tmp for each of its three passes. */
static void remove_checkout(void)
{
	bd_fuzz_remove_tree(dir);
}

/* dir and the checkout's levels; false when one cannot be made. */
static bool make_checkout(void)
{
	char path[128];
	size_t i;

	if (!mkdtemp(dir))
		return false;
	atexit(remove_checkout);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, levels[i]);
		if (mkdir(path, 0700))
			return false;
	}
	return true;
}

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

	if (!ready && !(ready = make_checkout()))
		return 0;
	if (put("package.yml", data, size) || put("purls.yml", data, size))
		return 0;
	if (!bd_registry_package_load(dir, "ns/pkg", &p, NULL, NULL)) {
		bd_registry_knows_version(p, "1.0");
		bd_registry_package_free(p);
	}
	return 0;
}
