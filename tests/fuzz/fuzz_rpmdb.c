/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the rpm database readers: an input that starts as an SQLite file
 * does is written as a scratch root's /var/lib/rpm/rpmdb.sqlite (read
 * through libsqlite3, schema checks, limits and headers included), one
 * that starts as NDB's does ("RpmP") as /var/lib/rpm/Packages.db
 * (pkgdb_rpm_ndb.c: slots, blobs, checksums), any other as
 * /var/lib/rpm/Packages, rpm's older Berkeley DB hash database
 * (pkgdb_rpm_bdb.c: pages, items, overflow chains); each read by
 * bd_pkgdb_load_rpm, which takes the first of them there is.
 */
#include "fuzz.h"
#include "bindep/pkgdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root_dir[] = "/tmp/bd-fuzz-rpmdb-XXXXXX";
static char paths[3][128]; /* rpmdb.sqlite, Packages.db, Packages */

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
			snprintf(path, sizeof(path), "%s/var", root_dir);
			mkdir(path, 0755);
			snprintf(path, sizeof(path), "%s/var/lib", root_dir);
			mkdir(path, 0755);
			snprintf(path, sizeof(path), "%s/var/lib/rpm",
				 root_dir);
			mkdir(path, 0755);
			snprintf(paths[0], sizeof(paths[0]),
				 "%s/var/lib/rpm/rpmdb.sqlite", root_dir);
			snprintf(paths[1], sizeof(paths[1]),
				 "%s/var/lib/rpm/Packages.db", root_dir);
			snprintf(paths[2], sizeof(paths[2]),
				 "%s/var/lib/rpm/Packages", root_dir);
			atexit(remove_root);
			made = 1;
		}
	}
	return made == 1;
}

static void ignore(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

/* The index in paths of the database the input is written as. */
static size_t which_file(const uint8_t *data, size_t size)
{
	if (size >= 16 && !memcmp(data, "SQLite format 3", 16))
		return 0;
	if (size >= 4 && !memcmp(data, "RpmP", 4))
		return 1;
	return 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_diag diag = { ignore, NULL };
	struct bd_pkgdb db;
	struct bd_error err;
	struct bd_root r;
	size_t which = which_file(data, size);
	FILE *f;

	if (!make_root() || bd_root_init(&r, root_dir, &err))
		return 0;
	/* The loader reads the first there is: one at a time. */
	unlink(paths[(which + 1) % 3]);
	unlink(paths[(which + 2) % 3]);
	f = fopen(paths[which], "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
		bd_pkgdb_init(&db);
		bd_pkgdb_load_rpm(&db, &r, &diag);
		bd_pkgdb_release(&db);
	}
	bd_root_release(&r);
	return 0;
}
