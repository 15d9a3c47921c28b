/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the ld.so.conf parser and musl's path file parser, then the loader
 * of a root's ld.so.conf with its includes: the input, split at NUL bytes,
 * becomes /etc/ld.so.conf and /etc/ld.so.conf.d/1.conf to 3.conf of a
 * scratch root, so includes, globs, loops and the depth and count limits
 * are all reachable.
 */
#include "fuzz.h"
#include "bindep/ldconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PARTS 4

static char root_dir[] = "/tmp/bd-fuzz-ldconf-XXXXXX";

static const char *const part_path[PARTS] = {
	"/etc/ld.so.conf",
	"/etc/ld.so.conf.d/1.conf",
	"/etc/ld.so.conf.d/2.conf",
	"/etc/ld.so.conf.d/3.conf",
};

static void remove_root(void)
{
	bd_fuzz_remove_tree(root_dir);
}

static bool make_root(void)
{
	static int made; /* 1 made, -1 failed */
	char path[128];

	if (!made) {
		made = -1;
		if (mkdtemp(root_dir)) {
			snprintf(path, sizeof(path), "%s/etc", root_dir);
			mkdir(path, 0755);
			snprintf(path, sizeof(path), "%s/etc/ld.so.conf.d",
				 root_dir);
			mkdir(path, 0755);
			atexit(remove_root);
			made = 1;
		}
	}
	return made == 1;
}

/* Part i of the input (NUL-separated) to its file; absent parts empty. */
static void write_parts(const uint8_t *data, size_t size)
{
	size_t i, start = 0;

	for (i = 0; i < PARTS; i++) {
		const uint8_t *nul =
			start < size ? memchr(data + start, '\0', size - start)
				     : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;
		char path[128];
		FILE *f;

		snprintf(path, sizeof(path), "%s%s", root_dir, part_path[i]);
		f = fopen(path, "wb");
		if (f) {
			if (start < end)
				fwrite(data + start, 1, end - start, f);
			fclose(f);
		}
		start = end < size ? end + 1 : size;
	}
}

static void ignore(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static int ignore_include(void *ctx, const char *pattern)
{
	(void)ctx;
	(void)pattern;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_diag diag = { ignore, NULL };
	struct bd_dirlist d;
	struct bd_error err;
	struct bd_root r;

	bd_dirlist_init(&d);
	bd_ldconf_parse((const char *)data, size, &d, ignore_include, NULL);
	bd_dirlist_release(&d);
	bd_dirlist_init(&d);
	bd_musl_path_parse((const char *)data, size, &d);
	bd_dirlist_release(&d);
	if (!make_root() || bd_root_init(&r, root_dir, &err))
		return 0;
	write_parts(data, size);
	bd_dirlist_init(&d);
	bd_ldconf_load(&r, "/etc/ld.so.conf", &d, &diag, &err);
	bd_dirlist_release(&d);
	bd_root_release(&r);
	return 0;
}
