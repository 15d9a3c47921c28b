/* SPDX-License-Identifier: MIT */
/*
 * Fuzz dpkg's file lists and diversions, read whole against read for the
 * names asked about (bd_pkgdb_load_files, issue 13): for every path the
 * lists name, and for it under /usr (a merged /usr), both loads must name
 * the same owner, asked about in two passes (half the names, then all).
 * The diversions' paths are asked about too. The input is split at NUL
 * bytes into the diversions file, the lists of the three packages the
 * status names, a distroless status.d/s.md5sums ("<md5>  usr/lib/x",
 * package s), apk's installed ("F:usr/lib", "R:x": owned after dpkg's
 * files in a whole load) and dpkg's journal, updates/0001 (stanzas that
 * replace the status ones, another architecture's the one installed); in
 * each, a byte 0x01 is written as a NUL (a NUL in a line). The root is one
 * temporary directory, rewritten each run, with /lib -> usr/lib.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/pkgdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* diversions, p0.list, p1.list, p2.list, s.md5sums, apk's installed,
 * updates/0001 */
#define NPARTS	7
#define MAXPATH 64

static const char STATUS[] =
	"Package: p0\nStatus: install ok installed\nVersion: 1\n\n"
	"Package: p1\nStatus: install ok installed\nVersion: 1\n\n"
	"Package: p2\nStatus: install ok installed\nVersion: 1\n";
static const char *const FILES[NPARTS] = {
	"var/lib/dpkg/diversions",	   "var/lib/dpkg/info/p0.list",
	"var/lib/dpkg/info/p1.list",	   "var/lib/dpkg/info/p2.list",
	"var/lib/dpkg/status.d/s.md5sums", "usr/lib/apk/db/installed",
	"var/lib/dpkg/updates/0001"
};
enum part_kind { LIST, MD5SUMS, APK, JOURNAL };
/* What each part's lines name: paths asked about, or none (JOURNAL). */
static const enum part_kind KINDS[NPARTS] = { LIST,    LIST, LIST,   LIST,
					      MD5SUMS, APK,  JOURNAL };

static char dir[] = "/tmp/bd-fuzz-dpkg-XXXXXX";
static bool made;
static const char *const DIRS[] = { "usr",
				    "usr/lib",
				    "usr/bin",
				    "var",
				    "var/lib",
				    "var/lib/dpkg",
				    "var/lib/dpkg/info",
				    "var/lib/dpkg/status.d",
				    "var/lib/dpkg/updates",
				    "usr/lib/apk",
				    "usr/lib/apk/db" };

static void at(char *path, size_t size, const char *rel)
{
	snprintf(path, size, "%s/%s", dir, rel);
}

static void put(const char *rel, const void *data, size_t len)
{
	char path[128];
	FILE *f;

	at(path, sizeof(path), rel);
	f = fopen(path, "w");
	if (!f)
		abort();
	if (len)
		fwrite(data, 1, len, f);
	fclose(f);
}

/* The root, removed at exit (a replay runs thousands of inputs). */
static void remove_root(void)
{
	bd_fuzz_remove_tree(dir);
}

static void make_root(void)
{
	char path[128];
	size_t i;

	if (!mkdtemp(dir))
		abort();
	atexit(remove_root);
	for (i = 0; i < sizeof(DIRS) / sizeof(DIRS[0]); i++) {
		at(path, sizeof(path), DIRS[i]);
		mkdir(path, 0755);
	}
	at(path, sizeof(path), "lib");
	if (symlink("usr/lib", path))
		abort();
	put("var/lib/dpkg/status", STATUS, sizeof(STATUS) - 1);
	put("var/lib/dpkg/status.d/s", "Package: s\n", 11);
}

/* Each path a line of the lists names, at most MAXPATH of them, NUL-
 * terminated copies in names[]; of an .md5sums file, what follows the
 * spaces after the first, with a '/' before it; of apk's, "/F/R". */
static size_t listed(const uint8_t *data, size_t size, enum part_kind kind,
		     char **names)
{
	const uint8_t *apk_dir = NULL;
	size_t n = 0, pos = 0, dlen = 0;

	while (pos < size && n < MAXPATH) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - data) - pos : size - pos;
		const uint8_t *p = data + pos, *sp = memchr(p, ' ', len);
		int k = -1;

		pos += len + 1;
		if (kind == APK && len >= 2 && !memcmp(p, "F:", 2)) {
			apk_dir = p + 2;
			dlen = len - 2;
		} else if (kind == APK && len >= 2 && !memcmp(p, "R:", 2)) {
			k = asprintf(&names[n], "/%.*s%s%.*s", (int)dlen,
				     apk_dir ? (const char *)apk_dir : "",
				     dlen ? "/" : "", (int)(len - 2),
				     (const char *)p + 2);
		} else if (kind == MD5SUMS && sp) {
			while (sp < p + len && *sp == ' ')
				sp++;
			k = asprintf(&names[n], "/%.*s", (int)(p + len - sp),
				     (const char *)sp);
		} else if (kind == LIST && len && p[0] == '/') {
			k = asprintf(&names[n], "%.*s", (int)len,
				     (const char *)p);
		}
		n += k >= 0;
	}
	return n;
}

static struct bd_pkgdb *load(const struct bd_root *root, bool deferred,
			     char **names, size_t n)
{
	struct bd_pkgdb *db = malloc(sizeof(*db));
	struct bd_error e;

	if (!db)
		abort();
	bd_pkgdb_init(db);
	db->defer_files = deferred;
	if (bd_pkgdb_load(db, root, NULL, &e) ||
	    (deferred && (bd_pkgdb_load_files(db, root, (const char **)names,
					      n / 2, NULL, &e) ||
			  bd_pkgdb_load_files(db, root, (const char **)names, n,
					      NULL, &e) ||
			  bd_pkgdb_files_done(db, root, NULL, &e))))
		abort(); /* only out of memory */
	return db;
}

static void same_owner(const struct bd_pkgdb *a, const struct bd_pkgdb *b,
		       const char *path)
{
	const struct bd_package *pa = bd_pkgdb_owner(a, path),
				*pb = bd_pkgdb_owner(b, path);

	if ((pa ? pa - a->pkgs : -1) != (pb ? pb - b->pkgs : -1)) {
		fprintf(stderr, "'%s': owner %s whole, %s deferred\n", path,
			pa ? pa->name : "none", pb ? pb->name : "none");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *names[MAXPATH * NPARTS];
	struct bd_buf usr = BD_BUF_INIT;
	struct bd_pkgdb *whole, *deferred;
	struct bd_root root;
	size_t i, n = 0, pos = 0;

	if (!made)
		make_root();
	made = true;
	for (i = 0; i < NPARTS; i++) {
		const uint8_t *end =
			pos < size ? memchr(data + pos, 0, size - pos) : NULL;
		size_t len = pos >= size ? 0
			     : end	 ? (size_t)(end - data) - pos
					 : size - pos;

		uint8_t *text = malloc(len + 1);
		size_t k;

		if (!text)
			abort();
		for (k = 0; k < len; k++)
			text[k] = data[pos + k] == 1 ? 0 : data[pos + k];
		put(FILES[i], text, len);
		n += listed(text, len, KINDS[i], names + n);
		free(text);
		pos += len + 1;
	}
	if (bd_root_init(&root, dir, NULL))
		abort();
	whole = load(&root, false, NULL, 0);
	deferred = load(&root, true, names, n);
	for (i = 0; i < n; i++) {
		same_owner(whole, deferred, names[i]);
		bd_buf_reset(&usr);
		bd_buf_printf(&usr, "/usr%s", names[i]);
		if (bd_buf_ok(&usr))
			same_owner(whole, deferred, usr.data);
		free(names[i]);
	}
	bd_buf_release(&usr);
	bd_pkgdb_release(whole);
	bd_pkgdb_release(deferred);
	free(whole);
	free(deferred);
	bd_root_release(&root);
	return 0;
}
