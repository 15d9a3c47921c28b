/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/dirnames.h"
#include "bindep/pkgdb.h"

#include <dirent.h>
#include <stdio.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct seen {
	int n;
	char names[4][32];
	char source[4][32];
};

static int remember(void *ctx, const struct bd_dpkg_fields *f)
{
	struct seen *s = ctx;

	if (!f->installed)
		return 0;
	if (s->n < 4) {
		snprintf(s->names[s->n], 32, "%.*s", (int)f->package_len,
			 f->package);
		snprintf(s->source[s->n], 32, "%.*s", (int)f->source_len,
			 f->source ? f->source : "");
	}
	s->n++;
	return 0;
}

static void test_status_paragraphs(void)
{
	const char text[] =
		"Package: a\nStatus: install ok installed\nVersion: 1\n"
		"Description: x\n Package: fake\n\n"
		"Package: b\nStatus: deinstall ok config-files\n\n\n"
		"Package: c\r\nStatus: hold ok installed\r\nSource: csrc "
		"(2)\r\n"
		"\r\nPackage: d\nVersion: 4";
	struct seen s = { 0 };

	CU_ASSERT_EQUAL(
		bd_dpkg_parse_status(text, sizeof(text) - 1, remember, &s), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 3); /* b is not installed */
	CU_ASSERT_STRING_EQUAL(s.names[0], "a");
	CU_ASSERT_STRING_EQUAL(s.names[1], "c");
	CU_ASSERT_STRING_EQUAL(s.source[1], "csrc (2)");
	CU_ASSERT_STRING_EQUAL(s.names[2], "d"); /* status.d: no Status */
}

/* text parsed as a status: the packages want gives, each a name and its
 * source (NULL: not checked), in order. */
static void expect_status(const char *text, size_t len,
			  const char *const want[][2], size_t n)
{
	struct seen s = { 0 };
	size_t i;

	CU_ASSERT_EQUAL(bd_dpkg_parse_status(text, len, remember, &s), 0);
	CU_ASSERT_EQUAL_FATAL((size_t)s.n, n);
	for (i = 0; i < n; i++) {
		CU_ASSERT_STRING_EQUAL(s.names[i], want[i][0]);
		if (want[i][1])
			CU_ASSERT_STRING_EQUAL(s.source[i], want[i][1]);
	}
}

/* deb822 as dpkg's parse_stanza (lib/dpkg/parse.c) reads a field: spaces
 * before its ':' are skipped, and its value is trimmed of all white space
 * (a tab too). A line of only spaces and tabs ends a paragraph, as Debian
 * Policy 5.1 lets a parser take it (dpkg makes it part of the value, then
 * refuses the second Package of the stanza): it was read as a
 * continuation, and b's fields then replaced a's, a lost. */
static void test_status_deb822(void)
{
	static const char text[] =
		"Package: a\nStatus: install ok installed\n \t\n"
		"Package: b\nStatus: install ok installed\t\nSource: bsrc\n"
		"\t\n"
		"Package : c\nStatus\t: install ok installed \r\n\r\n";
	static const char *const want[][2] = { { "a", "" },
					       { "b", "bsrc" },
					       { "c", NULL } };

	expect_status(text, sizeof(text) - 1, want, BD_ARRAY_SIZE(want));
}

/* A field is ours by its whole name, in any case, white space before its
 * ':' (one_field picks the names of its length): a longer or shorter name
 * that begins or ends as one of ours is another field. */
static void test_status_field_names(void)
{
	static const char text[] =
		"Packages: no\nPackage-Type: no\nX-Package: no\npackage: a\n"
		"Sources: no\nSource-Version: no\nSOURCE \t: asrc\n"
		"Status: install ok installed\n\n"
		"Package: b\nStatus: install ok installed\nStatus2: x\n"
		"Sourc: no\nSource\n\n"
		"Package\t: c\nstatus: install ok installed\nsource: csrc\n";
	static const char *const want[][2] = { { "a", "asrc" },
					       { "b", "" },
					       { "c", "csrc" } };

	expect_status(text, sizeof(text) - 1, want, BD_ARRAY_SIZE(want));
}

/* Every state whose files are unpacked owns them, as dpkg -S says (a
 * sysroot of multistrap or debootstrap --foreign is "unpacked", dpkg
 * --no-triggers leaves "triggers-pending"); not-installed and
 * config-files do not. Field names are case-insensitive (deb822). */
static void test_status_states(void)
{
	static const char *const owning[] = {
		"install ok installed",
		"install ok unpacked",
		"install ok half-configured",
		"install ok triggers-awaited",
		"install ok triggers-pending",
		"install reinstreq half-installed",
		"hold ok installed",
		/* dpkg's f_status: its words in any case (parse_nv), apart by
		 * any white space */
		"install ok Installed",
		"Install OK UNPACKED",
		"install\tok\tinstalled",
		"install ok \thalf-configured",
	};
	static const char *const not_owning[] = {
		"deinstall ok config-files",
		"purge ok not-installed",
		"install ok installed-but-not",
		"install ok",
		"installed",
		"install ok Config-Files",
	};
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(owning) / sizeof(owning[0]); i++) {
		struct seen s = { 0 };
		int n = snprintf(text, sizeof(text),
				 "Package: a\nStatus: %s\n\n", owning[i]);

		CU_ASSERT_EQUAL(
			bd_dpkg_parse_status(text, (size_t)n, remember, &s), 0);
		if (s.n != 1)
			CU_FAIL(owning[i]);
	}
	for (i = 0; i < sizeof(not_owning) / sizeof(not_owning[0]); i++) {
		struct seen s = { 0 };
		int n = snprintf(text, sizeof(text),
				 "Package: a\nStatus: %s\n\n", not_owning[i]);

		CU_ASSERT_EQUAL(
			bd_dpkg_parse_status(text, (size_t)n, remember, &s), 0);
		if (s.n != 0)
			CU_FAIL(not_owning[i]);
	}
	{
		static const char lower[] =
			"package: low\nstatus: install ok installed\n"
			"VERSION: 1\nsource: lsrc\n\n";
		struct seen s = { 0 };

		CU_ASSERT_EQUAL(bd_dpkg_parse_status(lower, sizeof(lower) - 1,
						     remember, &s),
				0);
		CU_ASSERT_EQUAL_FATAL(s.n, 1);
		CU_ASSERT_STRING_EQUAL(s.names[0], "low");
		CU_ASSERT_STRING_EQUAL(s.source[0], "lsrc");
	}
}

/* A name's summary reads its len bytes, each of them, and none past them
 * (its last word overlaps those before): any one byte changed, or the
 * length, changes it, for every length a name's tail is read at. */
static void test_name_summary(void)
{
	char name[40], other[40];
	size_t len, i;

	memset(name, 'a', sizeof(name));
	for (len = 0; len <= 24; len++) {
		uint32_t h = bd_pkgdb_hash_bytes(name, len);

		memcpy(other, name, sizeof(other));
		other[len] = 'b'; /* past the name: the same */
		CU_ASSERT_EQUAL(bd_pkgdb_hash_bytes(other, len), h);
		CU_ASSERT_EQUAL(bd_pkgdb_name_hash(name, len), h);
		if (len)
			CU_ASSERT_NOT_EQUAL(bd_pkgdb_hash_bytes(name, len - 1),
					    h);
		for (i = 0; i < len; i++) {
			memcpy(other, name, sizeof(other));
			other[i] = 'b';
			CU_ASSERT_NOT_EQUAL(bd_pkgdb_hash_bytes(other, len), h);
		}
	}
}

static void test_own_and_owner(void)
{
	struct bd_package p = { .type = "deb",
				.name = "libz",
				.version = "1:1.2",
				.arch = "amd64",
				.source = "zlib",
				.db = "/var/lib/dpkg/status" };
	struct bd_pkgdb db;
	struct bd_root root;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, NULL), 0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(bd_pkgdb_add(&db, &p, &i), 0);
	/* /bin is /usr/bin on this machine (merged /usr). */
	CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &root, "/bin/not-a-real-file", i), 0);
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/usr/bin/not-a-real-file"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/bin/other"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, NULL));
	CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &root, "relative", i), 0);
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "relative"));
	CU_ASSERT_STRING_EQUAL(
		bd_pkgdb_owner(&db, "/usr/bin/not-a-real-file")->source,
		"zlib");
	bd_pkgdb_release(&db);
	bd_root_release(&root);
}

/* A header as headerExport() writes it, built field by field. */
static size_t rpm_blob(unsigned char *out)
{
	static const char data[] = "zlib\0"
				   "1.2.13\0"
				   "3.fc40\0"
				   "x86_64\0"
				   "zlib-1.2.13-3.fc40.src.rpm\0"
				   "libz.so.1\0"
				   "libz.so.1.2.13\0"
				   "/usr/lib64/\0";
	/* tag, type, offset, count; the epoch and dir indexes follow the
	 * strings, 4-aligned. */
	static const unsigned entries[][4] = {
		{ 1000, 6, 0, 1 },  { 1001, 6, 5, 1 },	{ 1002, 6, 12, 1 },
		{ 1022, 6, 19, 1 }, { 1044, 6, 26, 1 }, { 1117, 8, 53, 2 },
		{ 1118, 8, 78, 1 }, { 1003, 4, 92, 1 }, { 1116, 4, 96, 2 },
	};
	size_t n = BD_ARRAY_SIZE(entries), dl = 104, i, off = 8 + 16 * n;

	memset(out, 0, off + dl);
	for (i = 0; i < 4; i++) {
		out[i] = (unsigned char)(n >> (24 - 8 * i));
		out[4 + i] = (unsigned char)(dl >> (24 - 8 * i));
	}
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < 16; k++)
			out[8 + 16 * i + k] =
				(unsigned char)(entries[i][k / 4] >>
						(24 - 8 * (k % 4)));
	}
	memcpy(out + off, data, sizeof(data));
	out[off + 92 + 3] = 7; /* epoch 7 */
	out[off + 96 + 3] = 0; /* both files in dirnames[0] */
	out[off + 100 + 3] = 0;
	return off + dl;
}

static void test_rpm_header(void)
{
	unsigned char blob[512];
	size_t len = rpm_blob(blob);
	struct bd_rpm_header h;

	CU_ASSERT_EQUAL_FATAL(bd_rpm_parse_header(blob, len, &h), 0);
	CU_ASSERT_STRING_EQUAL(h.name, "zlib");
	CU_ASSERT_STRING_EQUAL(h.version, "1.2.13");
	CU_ASSERT_STRING_EQUAL(h.release, "3.fc40");
	CU_ASSERT_STRING_EQUAL(h.arch, "x86_64");
	CU_ASSERT_STRING_EQUAL(h.sourcerpm, "zlib-1.2.13-3.fc40.src.rpm");
	CU_ASSERT(h.has_epoch && h.epoch == 7);
	CU_ASSERT_EQUAL_FATAL(h.nfiles, 2);
	CU_ASSERT_STRING_EQUAL(h.dirnames[h.dirindexes[1]], "/usr/lib64/");
	CU_ASSERT_STRING_EQUAL(h.basenames[1], "libz.so.1.2.13");
	bd_rpm_header_release(&h);
	/* Truncated anywhere: refused, never read past the end. */
	for (size_t cut = 0; cut < len; cut += 7)
		CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, cut, &h), BD_EFORMAT);
	/* A directory index out of range. */
	blob[8 + 16 * 9 + 100 + 3] = 5;
	CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, len, &h), BD_EFORMAT);
}

static void count_warning(void *ctx, enum bd_diag_level level, const char *msg)
{
	int *n = ctx;

	(void)msg;
	if (level == BD_DIAG_WARNING)
		(*n)++;
}

/* A header of n entries (tag, type, offset, count) over dl bytes of data,
 * malloc'd; its length in *len. */
static unsigned char *rpm_build(const unsigned (*e)[4], size_t n,
				const unsigned char *data, size_t dl,
				size_t *len)
{
	unsigned char *out = malloc(8 + 16 * n + dl);
	size_t i, k;

	if (!out)
		return NULL;
	for (i = 0; i < 4; i++) {
		out[i] = (unsigned char)(n >> (24 - 8 * i));
		out[4 + i] = (unsigned char)(dl >> (24 - 8 * i));
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < 16; k++)
			out[8 + 16 * i + k] =
				(unsigned char)(e[i][k / 4] >>
						(24 - 8 * (k % 4)));
	memcpy(out + 8 + 16 * n, data, dl);
	*len = 8 + 16 * n + dl;
	return out;
}

/* Sets field (0 tag, 1 type, 2 offset, 3 count) of index entry i. */
static void rpm_set(unsigned char *blob, size_t i, size_t field, uint32_t v)
{
	for (size_t k = 0; k < 4; k++)
		blob[8 + 16 * i + 4 * field + k] =
			(unsigned char)(v >> (24 - 8 * k));
}

/* rpm_blob() with entry i's field set to v: refused. */
static void rpm_refused(size_t i, size_t field, uint32_t v)
{
	unsigned char blob[512];
	size_t len = rpm_blob(blob);
	struct bd_rpm_header h;

	rpm_set(blob, i, field, v);
	CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, len, &h), BD_EFORMAT);
}

/* Each malformation of an rpm header is refused (a corrupt or crafted
 * database skips the package, counted in one warning), each where the
 * rest of the header would let it pass or read out of bounds. rpm_blob()'s
 * entries are 0 name, 4 sourcerpm, 5 basenames (2 at 53), 6 dirnames, 7
 * epoch (at 92, its value's byte at 95), 8 dirindexes (2 zeros at 96);
 * its data store is 104 bytes. */
static void test_rpm_header_malformed(void)
{
	unsigned char blob[512];
	size_t len = rpm_blob(blob);
	struct bd_rpm_header h;

	rpm_refused(0, 2, 200);	       /* a string past the data store */
	rpm_refused(0, 1, 4);	       /* the name an int32 */
	rpm_refused(0, 0, 1014);       /* no name (a second license) */
	rpm_refused(5, 3, 0xffffffff); /* more strings than bytes */
	rpm_refused(5, 2, 103);	       /* strings that run off the end */
	rpm_refused(6, 0, 5000);       /* files without directory names */
	rpm_refused(7, 1, 6);	       /* the epoch a string */
	rpm_refused(7, 3, 2);	       /* two epochs */
	rpm_refused(7, 0, 1116);       /* directory indexes twice */
	rpm_refused(8, 3, 1);	       /* fewer indexes than base names */
	/* The same base names twice (the first in place of sourcerpm). */
	rpm_set(blob, 4, 0, 1117);
	rpm_set(blob, 4, 1, 8);
	rpm_set(blob, 4, 2, 53);
	rpm_set(blob, 4, 3, 2);
	CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, len, &h), BD_EFORMAT);
	/* Directory indexes misaligned, over zeros (the epoch's cleared). */
	len = rpm_blob(blob);
	rpm_set(blob, 7, 0, 5001);
	blob[8 + 16 * 9 + 95] = 0;
	CU_ASSERT_EQUAL_FATAL(bd_rpm_parse_header(blob, len, &h), 0);
	bd_rpm_header_release(&h);
	rpm_set(blob, 8, 2, 93);
	CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, len, &h), BD_EFORMAT);
}

/* README's limit on an rpm header's file paths: four times its data store
 * plus 1 MiB, and 64 MiB whatever the store. A 16 MiB store whose files
 * are 64 names on one directory of 1 MiB (64 MiB of paths and 64 bytes)
 * is refused; 63 files are read. */
static void test_rpm_header_paths_cap(void)
{
	enum { DIRLEN = 1 << 20, DL = 16 << 20 };
	unsigned entries[][4] = { { 1000, 6, 0, 1 },
				  { 1116, 4, 4, 0 },
				  { 1117, 8, 260, 0 },
				  { 1118, 8, 400, 1 } };
	unsigned char *data = calloc(1, DL), *blob;
	struct bd_rpm_header h;
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	data[0] = 'p'; /* the indexes that follow are 0 */
	for (size_t i = 0; i < 64; i++)
		data[260 + 2 * i] = 'a';
	data[400] = '/';
	memset(data + 401, 'd', DIRLEN - 2);
	data[400 + DIRLEN - 1] = '/';
	for (unsigned files = 63; files <= 64; files++) {
		entries[1][3] = entries[2][3] = files;
		blob = rpm_build((const unsigned(*)[4])entries, 4, data, DL,
				 &len);
		CU_ASSERT_FATAL(blob != NULL);
		CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, len, &h),
				files == 64 ? BD_EFORMAT : 0);
		if (files == 63) {
			CU_ASSERT_EQUAL(h.nfiles, 63);
			bd_rpm_header_release(&h);
		}
		free(blob);
	}
	free(data);
}

/* Headers cheap to store and dear to read (an adversarial review): a tag
 * given twice (each would scan its string again), and file paths many
 * times the header (a million base names on a directory of a megabyte).
 * The same files on a short directory are read. */
static void test_rpm_header_costly(void)
{
	enum { FILES = 2000, DIR = 3000 };
	static const unsigned twice[][4] = { { 1000, 6, 0, 1 },
					     { 1000, 6, 0, 1 } };
	unsigned entries[][4] = { { 1000, 6, 0, 1 },
				  { 1116, 4, 4, FILES },
				  { 1117, 8, 4 + 4 * FILES, FILES },
				  { 1118, 8, 4 + 6 * FILES, 1 } };
	size_t dl = 4 + 6 * FILES + DIR + 2, len, dir;
	unsigned char *data = calloc(1, dl), *blob;
	struct bd_rpm_header h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	blob = rpm_build(twice, 2, (const unsigned char *)"p", 2, &len);
	CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, len, &h), BD_EFORMAT);
	free(blob);
	memcpy(data, "p", 2); /* FILES indexes of 0 follow */
	for (size_t i = 0; i < FILES; i++)
		data[4 + 4 * FILES + 2 * i] = 'a';
	for (dir = 0; dir < 2; dir++) {
		size_t n = dir ? 10 : DIR; /* the directory's length */

		memset(data + 4 + 6 * FILES, 0, DIR + 2);
		data[4 + 6 * FILES] = '/';
		memset(data + 4 + 6 * FILES + 1, 'd', n - 2);
		data[4 + 6 * FILES + n - 1] = '/';
		blob = rpm_build((const unsigned(*)[4])entries, 4, data, dl,
				 &len);
		CU_ASSERT_EQUAL(bd_rpm_parse_header(blob, len, &h),
				dir ? 0 : BD_EFORMAT);
		if (dir) {
			CU_ASSERT_EQUAL(h.nfiles, FILES);
			bd_rpm_header_release(&h);
		}
		free(blob);
	}
	free(data);
}

/* apk's installed: a path past PATH_MAX (no file apk can install) is
 * skipped, and the paths a file makes stop, with a warning, at eight
 * times its size (a 64 KiB F line and 20,000 one-letter R lines made 1.3
 * GB); the packages are still added. */
static void test_apk_path_caps(void)
{
	struct bd_diag diag;
	struct bd_pkgdb db;
	struct bd_root root;
	struct bd_buf text = BD_BUF_INIT;
	int warned = 0, rc;
	size_t i;

	diag.report = count_warning;
	diag.ctx = &warned;
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, NULL), 0);
	bd_buf_printf(&text, "P:long\nV:1\nF:usr/");
	for (i = 0; i < PATH_MAX; i++)
		bd_buf_addc(&text, 'd');
	bd_buf_printf(&text, "\nR:a\nR:b\n\nP:many\nV:1\nF:usr/");
	for (i = 0; i < 4000; i++)
		bd_buf_addc(&text, 'e');
	for (i = 0; i < 20000; i++)
		bd_buf_printf(&text, "\nR:%zx", i);
	bd_buf_printf(&text, "\n\nP:last\nV:1\nF:usr/lib\nR:libz.so\n");
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	bd_pkgdb_init(&db);
	rc = bd_apk_parse_installed(&db, &root, &diag, text.data, text.len);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(warned, 2);
	CU_ASSERT_EQUAL(db.n, 3);
	/* Read up to the cap: the first of "many", not the last. */
	bd_buf_reset(&text);
	bd_buf_printf(&text, "/usr/");
	for (i = 0; i < 4000; i++)
		bd_buf_addc(&text, 'e');
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	bd_buf_printf(&text, "/0");
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, text.data));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/lib/libz.so"));
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_buf_release(&text);
}

/* apk's installed as apk_db_fdb_read (apk-tools src/database.c) reads it:
 * a line shorter than two bytes ends a record; an R line before the
 * record's first F is a format error there (skipped here, one warning);
 * of two packages listing one path the first owns it (apk_db_file_get
 * keeps the file it has); a key given twice is its last value. CRLF,
 * which apk never writes, is read as LF. */
static void test_apk_spec(void)
{
	static const char text[] =
		"P:zlib\r\nV:1.3-r0\r\nA:x86_64\r\nF:usr/lib\r\n"
		"R:libz.so.1\r\nZ:Q1abc=\r\n\r\n"
		"P:b\r\nV:1\r\nV:2\r\nF:usr/bin\r\nR:b\r\n\r\n"
		"P:early\nV:1\nR:libearly.so\nF:usr/lib\nR:libok.so\n\n"
		"P:second\nV:1\nF:usr/lib\nR:libz.so.1\nR:libs.so\nx\n"
		"R:libafter.so\n";
	struct bd_diag diag;
	struct bd_pkgdb db;
	struct bd_root root;
	const struct bd_package *p;
	int warned = 0;

	diag.report = count_warning;
	diag.ctx = &warned;
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, NULL), 0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(bd_apk_parse_installed(&db, &root, &diag, text,
					       sizeof(text) - 1),
			0);
	CU_ASSERT_EQUAL(db.n, 4);
	p = bd_pkgdb_owner(&db, "/usr/lib/libz.so.1");
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT(p->name && !strcmp(p->name, "zlib"));
	CU_ASSERT(p->version && !strcmp(p->version, "1.3-r0"));
	CU_ASSERT(p->arch && !strcmp(p->arch, "x86_64"));
	p = bd_pkgdb_owner(&db, "/usr/bin/b");
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT(p->version && !strcmp(p->version, "2"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/libearly.so"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/lib/libearly.so"));
	p = bd_pkgdb_owner(&db, "/usr/lib/libok.so");
	CU_ASSERT(p && !strcmp(p->name, "early"));
	p = bd_pkgdb_owner(&db, "/usr/lib/libs.so");
	CU_ASSERT(p && !strcmp(p->name, "second"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/lib/libafter.so"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/libafter.so"));
	CU_ASSERT_EQUAL(warned, 1); /* the R lines before an F, once */
	bd_pkgdb_release(&db);
	bd_root_release(&root);
}

/* Distinct deep paths in a list (apk's here; dpkg's and rpm's keep their
 * directories the same way): the package's directories stop at its share
 * of max_dir_bytes, a sixteenth, said once naming it, and the package
 * after it still has its own. It was 65 times the list's size. */
static void test_dir_text_capped(void)
{
	struct bd_diag diag;
	struct bd_pkgdb db;
	struct bd_root root;
	struct bd_buf text = BD_BUF_INIT;
	int warned = 0;
	size_t i, k;

	diag.report = count_warning;
	diag.ctx = &warned;
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, NULL), 0);
	bd_buf_printf(&text, "P:first\nV:1\nF:usr/lib\nR:libz.so\n\n"
			     "P:deep\nV:1\n");
	for (i = 0; i < 200; i++) {
		bd_buf_printf(&text, "F:d%zu", i);
		for (k = 0; k < 60; k++)
			bd_buf_printf(&text, "/aaaaaaaaaaaaaaaa");
		bd_buf_printf(&text, "\nR:libz.so\n");
	}
	bd_buf_printf(&text, "\nP:last\nV:1\nF:opt/lib\nR:libz.so\n");
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	bd_pkgdb_init(&db);
	db.max_dir_bytes = 64 * 1024;
	CU_ASSERT_EQUAL(
		bd_apk_parse_installed(&db, &root, &diag, text.data, text.len),
		0);
	CU_ASSERT_FALSE(db.dirs_capped);
	CU_ASSERT(db.dir_bytes <= db.max_dir_bytes / 8);
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/usr/lib/libz.so"));
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/opt/lib/libz.so"));
	CU_ASSERT_EQUAL(warned, 1);
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_buf_release(&text);
}

/* Owned outside any text (no share: bd_pkgdb_lookups not called), the
 * directories stop at max_dir_bytes itself, the files of directories
 * past it are owned by none, and bd_pkgdb_say_capped warns once. */
static void test_dir_cap_outside_texts(void)
{
	struct bd_package pkg = { .type = "deb", .name = "p", .version = "1" };
	struct bd_buf path = BD_BUF_INIT;
	struct bd_diag diag;
	struct bd_pkgdb db;
	struct bd_root root;
	int warned = 0;
	size_t i, k, index;

	diag.report = count_warning;
	diag.ctx = &warned;
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, NULL), 0);
	bd_pkgdb_init(&db);
	db.max_dir_bytes = 64 * 1024;
	CU_ASSERT_EQUAL(bd_pkgdb_add(&db, &pkg, &index), 0);
	CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &root, "/usr/lib/libz.so", index), 0);
	for (i = 0; i < 200; i++) {
		bd_buf_reset(&path);
		bd_buf_printf(&path, "/d%zu", i);
		for (k = 0; k < 60; k++)
			bd_buf_adds(&path, "/aaaaaaaaaaaaaaaa");
		bd_buf_adds(&path, "/libz.so");
		CU_ASSERT_FATAL(bd_buf_ok(&path));
		CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &root, path.data, index), 0);
	}
	CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &root, "/opt/lib/libz.so", index), 0);
	CU_ASSERT(db.dirs_capped);
	CU_ASSERT(db.dir_bytes <= db.max_dir_bytes);
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/usr/lib/libz.so"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/opt/lib/libz.so"));
	CU_ASSERT_EQUAL(warned, 0);
	bd_pkgdb_say_capped(&db, &diag);
	bd_pkgdb_say_capped(&db, &diag);
	CU_ASSERT_EQUAL(warned, 1);
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_buf_release(&path);
}

/* A root of one file (rel, with its directories), its package databases
 * loaded into *db with the warnings counted in *warned; the root's
 * directory in dir (a mkdtemp template), removed by unload_one. */
static void load_one(char *dir, const char *rel, const char *text,
		     struct bd_root *root, struct bd_pkgdb *db, int *warned)
{
	struct bd_diag diag = { count_warning, warned };
	struct bd_error e;
	char sub[256];
	const char *slash;

	*warned = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (slash = strchr(rel + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		snprintf(sub, sizeof(sub), "%.*s/", (int)(slash - rel), rel);
		bd_test_mk(dir, sub, NULL);
	}
	bd_test_write(dir, rel, text);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(root, dir, NULL), 0);
	bd_pkgdb_init(db);
	CU_ASSERT_EQUAL(bd_pkgdb_load(db, root, &diag, &e), 0);
}

static void unload_one(const char *dir, struct bd_root *root,
		       struct bd_pkgdb *db)
{
	char cmd[64];

	bd_pkgdb_release(db);
	bd_root_release(root);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* os-release(5) as systemd reads it: CRLF and trailing blanks are not
 * part of a value, quotes are taken off and backslash escapes undone, a
 * comment is no assignment, an upper-case ID is folded, and an ID or
 * VERSION_ID outside [a-z0-9._-] is ignored with one warning (it was a
 * purl namespace "debian%0D" or two segments, "ubu/ntu"). */
static void test_os_release(void)
{
	static const struct {
		const char *text, *id, *version;
		int warnings;
	} cases[] = {
		{ "ID=debian\nVERSION_ID=\"12\"\n", "debian", "12", 0 },
		{ "ID=ubuntu\r\nVERSION_ID=\"22.04\"\r\n", "ubuntu", "22.04",
		  0 },
		{ "ID=debian \t\nVERSION_ID='12' \n", "debian", "12", 0 },
		{ "ID=\"deb\\\"ian\"\n", NULL, NULL, 1 },
		{ "ID=\"fed\\ora\"\n", NULL, NULL, 1 },
		{ "ID=fed\\ora\n", "fedora", NULL, 0 },
		{ "ID=Debian\nVERSION_ID=12\n", "debian", "12", 0 },
		{ "ID=ubu/ntu\nVERSION_ID=1 2\n", NULL, NULL, 2 },
		{ "# ID=gentoo\nID=arch\n", "arch", NULL, 0 },
		{ "ID=\"\"\nVERSION_ID=\n", NULL, NULL, 0 },
		{ "ID=\"opensuse-leap\nVERSION_ID=15.5\n", NULL, "15.5", 1 },
		/* Invalid UTF-8: no identifier. */
		{ "ID=deb\xff\xfeian\nVERSION_ID=12\n", NULL, "12", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[] = "/tmp/bd-osrel-XXXXXX";
		struct bd_root root;
		struct bd_pkgdb db;
		int warned;

		load_one(dir, "/etc/os-release", cases[i].text, &root, &db,
			 &warned);
		if (cases[i].id ? !db.os_id || strcmp(db.os_id, cases[i].id)
				: db.os_id != NULL)
			CU_FAIL(cases[i].text);
		if (cases[i].version
			    ? !db.os_version_id ||
				      strcmp(db.os_version_id, cases[i].version)
			    : db.os_version_id != NULL)
			CU_FAIL(cases[i].text);
		if (warned != cases[i].warnings)
			CU_FAIL(cases[i].text);
		unload_one(dir, &root, &db);
	}
	{
		/* A value of 100,000 bytes: kept whole, an identifier. */
		char dir[] = "/tmp/bd-osrel-XXXXXX";
		struct bd_buf text = BD_BUF_INIT;
		struct bd_root root;
		struct bd_pkgdb db;
		size_t k;
		int warned;

		bd_buf_adds(&text, "ID=debian\nVERSION_ID=");
		for (k = 0; k < 100000; k++)
			bd_buf_addc(&text, '7');
		bd_buf_adds(&text, "\n");
		CU_ASSERT_FATAL(bd_buf_ok(&text));
		load_one(dir, "/etc/os-release", text.data, &root, &db,
			 &warned);
		CU_ASSERT(db.os_version_id &&
			  strlen(db.os_version_id) == 100000);
		CU_ASSERT_EQUAL(warned, 0);
		unload_one(dir, &root, &db);
		bd_buf_release(&text);
	}
	{
		/* A FIFO, and a symlink out of the root: no hang, no host's
		 * os-release read, one warning for the FIFO. */
		char dir[] = "/tmp/bd-osrel-XXXXXX", path[128];
		struct bd_diag diag = { count_warning, NULL };
		struct bd_root root;
		struct bd_pkgdb db;
		struct bd_error e;
		int warned = 0, k;

		diag.ctx = &warned;
		for (k = 0; k < 2; k++) {
			CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
			bd_test_mk(dir, "/etc/", NULL);
			snprintf(path, sizeof(path), "%s/etc/os-release", dir);
			CU_ASSERT_EQUAL(
				k == 0 ? mkfifo(path, 0644)
				       : symlink("/etc/os-release", path),
				0);
			CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL),
					      0);
			bd_pkgdb_init(&db);
			warned = 0;
			CU_ASSERT_EQUAL(bd_pkgdb_load(&db, &root, &diag, &e),
					0);
			CU_ASSERT_PTR_NULL(db.os_id);
			CU_ASSERT_EQUAL(warned, k == 0 ? 1 : 0);
			unload_one(dir, &root, &db);
			memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
		}
	}
}

/* A package given twice in dpkg's status: the last stanza is the one, as
 * dpkg reads it (the first hid the version installed), one warning, one
 * package. */
static void test_dpkg_stanza_twice(void)
{
	char dir[] = "/tmp/bd-twice-XXXXXX";
	struct bd_root root;
	struct bd_pkgdb db;
	int warned;

	load_one(dir, "/var/lib/dpkg/status",
		 "Package: libfoo1\nStatus: install ok installed\n"
		 "Architecture: amd64\nVersion: 1.0-1\n\n"
		 "Package: libfoo1\nStatus: install ok installed\n"
		 "Architecture: amd64\nVersion: 2.0-1\n\n"
		 "Package: libfoo1\nStatus: install ok installed\n"
		 "Architecture: i386\nVersion: 1.5-1\n\n"
		 "Package: libgone1\nStatus: install ok installed\n"
		 "Version: 1\n\n"
		 "Package: libgone1\nStatus: purge ok not-installed\n\n",
		 &root, &db, &warned);
	CU_ASSERT_EQUAL_FATAL(db.n, 3); /* another architecture is another */
	CU_ASSERT_STRING_EQUAL(db.pkgs[0].version, "2.0-1");
	/* installed, then not: gone, as dpkg-query says "un" */
	CU_ASSERT_STRING_EQUAL(db.pkgs[2].name, "libgone1");
	CU_ASSERT_TRUE(db.pkgs[2].gone);
	CU_ASSERT_FALSE(db.pkgs[0].gone);
	CU_ASSERT_EQUAL(warned, 2);
	unload_one(dir, &root, &db);
}

/* Versions as dpkg-query says them (parseversion, then varbufversion's
 * vdew_nonambig, lib/dpkg/parsehelp.c): an epoch of 0 is dropped unless
 * the rest has a ':', an epoch's leading zeros too; what dpkg would refuse
 * is kept as written. Source's "(version)" alike, blanks in the parentheses
 * trimmed; an empty Source is none (f_charfield), the binary package's
 * name then. A distroless status.d paragraph is a control file as built. */
static void test_dpkg_versions_as_dpkg_query(void)
{
	static const char *const want[][3] = {
		{ "a", "01.0-1", NULL },
		{ "b", "1.0", NULL },
		{ "c", "7:1.0-1", NULL },
		{ "d", "0:1:2-3", NULL },
		{ "e", "1:1.0-1+b1", "2.0-1" },
		{ "f", "x:1", NULL },
		{ "g", "1", NULL },
	};
	char dir[] = "/tmp/bd-dpkg-versions-XXXXXX";
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i;
	int warned;

	load_one(dir, "/var/lib/dpkg/status",
		 "Package: a\nStatus: install ok installed\n"
		 "Version: 0:01.0-1\n\n"
		 "Package: b\nStatus: install ok installed\nVersion: 00:1.0\n\n"
		 "Package: c\nStatus: install ok installed\n"
		 "Version: 007:1.0-1\n\n"
		 "Package: d\nStatus: install ok installed\n"
		 "Version: 0:1:2-3\n\n"
		 "Package: e\nStatus: install ok installed\n"
		 "Version: 1:1.0-1+b1\nSource: esrc ( 0:2.0-1 )\n\n"
		 "Package: f\nStatus: install ok installed\nVersion: x:1\n"
		 "Source:\n\n"
		 "Package: g\nStatus: install ok installed\nVersion: 1\n"
		 "Source: \t\n",
		 &root, &db, &warned);
	CU_ASSERT_EQUAL_FATAL(db.n, BD_ARRAY_SIZE(want));
	for (i = 0; i < BD_ARRAY_SIZE(want); i++) {
		const struct bd_package *p = &db.pkgs[i];

		CU_ASSERT_STRING_EQUAL(p->name, want[i][0]);
		CU_ASSERT_STRING_EQUAL(p->version, want[i][1]);
		if (want[i][2]) {
			CU_ASSERT_STRING_EQUAL(p->source_version, want[i][2]);
		} else {
			CU_ASSERT_PTR_NULL(p->source_version);
		}
		if (strcmp(p->name, "e")) {
			CU_ASSERT_PTR_NULL(p->source);
		}
	}
	CU_ASSERT_STRING_EQUAL(db.pkgs[4].source, "esrc");
	CU_ASSERT_EQUAL(warned, 0);
	unload_one(dir, &root, &db);
}

/* A name past 1 KiB twice is one package too: the look-up's key was cut
 * at 1 KiB, so the second was added beside the first. */
static void test_long_name_twice(void)
{
	struct bd_package p = { .type = "deb",
				.version = "1",
				.arch = "amd64" };
	char name[2048];
	struct bd_pkgdb db;
	size_t first, again;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	p.name = name;
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_add(&db, &p, &first), 0);
	CU_ASSERT_TRUE(bd_pkgdb_find(&db, name, "amd64", &again));
	CU_ASSERT_EQUAL(again, first);
	CU_ASSERT_FALSE(bd_pkgdb_find(&db, name, "i386", &again));
	bd_pkgdb_release(&db);
}

/* The run's byte budget and package cap: each gives one warning, and
 * nothing more is taken or added past it (issue 11). */
static void test_budget_and_package_cap(void)
{
	struct bd_package p = { .type = "apk", .name = "p", .version = "1" };
	int warnings = 0;
	struct bd_diag diag = { count_warning, &warnings };
	struct bd_pkgdb db;
	size_t i, index;

	bd_pkgdb_init(&db);
	CU_ASSERT_TRUE(bd_pkgdb_take(&db, "/a", BD_PKGDB_MAX_TOTAL - 1, &diag));
	CU_ASSERT_TRUE(bd_pkgdb_take(&db, "/b", 1, &diag));
	CU_ASSERT_FALSE(bd_pkgdb_take(&db, "/c", 1, &diag));
	CU_ASSERT_FALSE(bd_pkgdb_take(&db, "/d", 0, &diag));
	CU_ASSERT_TRUE(db.budget_spent);
	CU_ASSERT_EQUAL(warnings, 1);
	CU_ASSERT_EQUAL(db.bytes_read, BD_PKGDB_MAX_TOTAL);
	for (i = 0; i < BD_PKGDB_MAX_PACKAGES; i++) {
		if (bd_pkgdb_full(&db, "/x", &diag) ||
		    bd_pkgdb_add(&db, &p, &index))
			break;
	}
	CU_ASSERT_EQUAL(db.n, BD_PKGDB_MAX_PACKAGES);
	CU_ASSERT_TRUE(bd_pkgdb_full(&db, "/x", &diag));
	CU_ASSERT_TRUE(bd_pkgdb_full(&db, "/x", &diag));
	CU_ASSERT_EQUAL(warnings, 2);
	bd_pkgdb_release(&db);
}

/* What bd_pkgdb_own keys a path by, the long way: its directory walked
 * from "/" by bd_root_resolve (when that fails, its parent's form the
 * same way and its name), and its name. */
static void long_way(const struct bd_root *root, const char *path,
		     struct bd_buf *out)
{
	const char *slash = strrchr(path, '/');
	char *dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	struct bd_buf canon = BD_BUF_INIT;

	bd_buf_reset(out);
	if (!bd_root_resolve(root, "/", dir, true, &canon))
		bd_buf_adds(out, canon.data);
	else if (strcmp(dir, "/"))
		long_way(root, dir, out);
	bd_buf_printf(out, "%s%s", strcmp(bd_buf_str(out), "/") ? "/" : "",
		      slash + 1);
	bd_buf_release(&canon);
	free(dir);
}

/* Directories are resolved from their parents' canonical forms, one
 * lstat each, and come out as the walk from "/" would have them: through
 * symlinks in the middle and at the end, absolute and relative, "..",
 * a file used as a directory, a loop, a directory that is gone. */
static void test_dirs_from_parents(void)
{
	static const char *const paths[] = {
		"/usr/lib/x/f1",
		"/lib/x/f2",
		"/usr/lib/y/f3",
		"/usr/lib/z/f4",
		"/lib/y/f5",
		"/usr/lib/file/f6",
		"/gone/a/f7",
		"/usr/lib/x/../x/f8",
		"/usr/lib/loop1/f9",
		"/usr//lib/x/f10",
		"/usr/lib/x/sub/f11",
		"/lib/y/sub/f12",
		"/f13",
		"/usr/lib/up/x/f14",
		"/usr/lib/file/../f15",
	};
	struct bd_package p = { .type = "deb", .name = "p", .version = "1" };
	struct bd_buf key = BD_BUF_INIT;
	char dir[] = "/tmp/bd-pkgdb-XXXXXX", cmd[64];
	char upper[] = "/tmp/bd-pkgdb-up-XXXXXX";
	struct bd_root root, over;
	struct bd_pkgdb db;
	size_t i, index;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "/usr/", NULL);
	bd_test_mk(dir, "/usr/lib/", NULL);
	bd_test_mk(dir, "/usr/lib/x/", NULL);
	bd_test_mk(dir, "/usr/lib/x/sub/", NULL);
	bd_test_mk(dir, "/usr/lib/file", NULL);
	bd_test_mk(dir, "/lib", "usr/lib");
	bd_test_mk(dir, "/usr/lib/y", "x");
	bd_test_mk(dir, "/usr/lib/z", "/usr/lib/x");
	bd_test_mk(dir, "/usr/lib/up", "../../..");
	bd_test_mk(dir, "/usr/lib/loop1", "loop2");
	bd_test_mk(dir, "/usr/lib/loop2", "loop1");
	bd_test_mk(dir, "/usr/lib/flink", "file");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(bd_pkgdb_add(&db, &p, &index), 0);
	for (i = 0; i < BD_ARRAY_SIZE(paths); i++) {
		CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &root, paths[i], index), 0);
		long_way(&root, paths[i], &key);
		CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, bd_buf_str(&key)));
		if (!bd_pkgdb_owner(&db, bd_buf_str(&key)))
			fprintf(stderr, "\n%s: not as %s\n", paths[i],
				bd_buf_str(&key));
	}
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/usr/lib/x/f2"));
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/usr/lib/x/sub/f12"));
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/gone/a/f7"));
	/* ".." of a file, or of a link to one, is the kernel's ENOTDIR */
	CU_ASSERT_EQUAL(
		bd_pkgdb_own(&db, &root, "/usr/lib/flink/../f16", index), 0);
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/lib/f15"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/lib/f16"));
	bd_pkgdb_release(&db);
	/* the same over an overlay (each path resolved whole) */
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(upper));
	CU_ASSERT_EQUAL_FATAL(bd_root_init_overlay(&over, upper, &root, NULL),
			      0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(bd_pkgdb_add(&db, &p, &index), 0);
	CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &over, "/usr/lib/file/../f15", index),
			0);
	CU_ASSERT_EQUAL(
		bd_pkgdb_own(&db, &over, "/usr/lib/flink/../f16", index), 0);
	CU_ASSERT_EQUAL(bd_pkgdb_own(&db, &over, "/lib/x/../x/f17", index), 0);
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/lib/f15"));
	CU_ASSERT_PTR_NULL(bd_pkgdb_owner(&db, "/usr/lib/f16"));
	CU_ASSERT_PTR_NOT_NULL(bd_pkgdb_owner(&db, "/usr/lib/x/f17"));
	bd_root_release(&over);
	rmdir(upper);
	/* The parents were resolved on the way, once each: a name each. */
	CU_ASSERT_TRUE(bd_pathmap_get(&db.dirs, 0, "usr", 3, NULL));
	CU_ASSERT_TRUE(bd_pathmap_get(&db.canon, 0, "usr", 3, NULL));
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_buf_release(&key);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A warning's text kept (ctx: a struct bd_buf), a line each. */
static void keep_warning(void *ctx, enum bd_diag_level level, const char *msg)
{
	if (level == BD_DIAG_WARNING)
		bd_buf_printf(ctx, "%s\n", msg);
}

/* db loaded from root whole, or deferred and asked for the files of
 * name alone (the scan's way: bd_pkgdb_load_files, then files_done). */
static void load_whole_or_for(struct bd_pkgdb *db, const struct bd_root *root,
			      const char *name, const struct bd_diag *diag)
{
	struct bd_error err;

	bd_pkgdb_init(db);
	db->defer_files = name != NULL;
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(db, root, diag, &err), 0);
	if (!name)
		return;
	CU_ASSERT_EQUAL(bd_pkgdb_load_files(db, root, &name, 1, diag, &err), 0);
	CU_ASSERT_EQUAL(bd_pkgdb_files_done(db, root, diag, &err), 0);
}

/*
 * Pass 0 loads root's database whole, pass 1 deferred for the file name
 * (load_whole_or_for), its warnings into said (emptied first); either way
 * name is owned by owner. db is the caller's to look at and release.
 */
static void load_owned(struct bd_pkgdb *db, const struct bd_root *root,
		       int pass, const char *name, const char *owner,
		       struct bd_buf *said)
{
	struct bd_diag diag = { keep_warning, said };
	const struct bd_package *p;

	bd_buf_reset(said);
	load_whole_or_for(db, root, pass == 1 ? name : NULL, &diag);
	p = bd_pkgdb_owner(db, name);
	CU_ASSERT(p && !strcmp(p->name, owner));
}

/*
 * A hostile list read before the package that owns libz.so.1: lines 100
 * levels deep below a new top each (their directories were kept whole,
 * 64 levels resolved a line, and spent the 16 MiB of directories), and
 * lines below a link to a directory 1,000 deep (each new directory an
 * lstat the kernel walks 1,000 names for; a list of 40 KiB cost seconds).
 * The directories are a name each, within twice the list's size; the
 * linked lines' lookups stop at the list's budget, said once naming it;
 * the real owner is found, whole and deferred.
 */
static void test_dpkg_hostile_list_linear(void)
{
	static const char *const name = "/usr/lib/libz.so.1";
	char dir[] = "/tmp/bd-dpkg-deep-XXXXXX";
	struct bd_buf list = BD_BUF_INIT, deep = BD_BUF_INIT;
	struct bd_buf said = BD_BUF_INIT;
	struct bd_error err;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i, k;
	int pass;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh(
		"mkdir -p '%s/usr/lib' '%s/usr/share' '%s/var/lib/dpkg/info'",
		dir, dir, dir);
	bd_buf_printf(&deep, "%s/usr/share", dir);
	for (i = 0; i < 1000; i++) {
		bd_buf_adds(&deep, "/x");
		CU_ASSERT_EQUAL_FATAL(mkdir(deep.data, 0755), 0);
	}
	bd_buf_printf(&list, "%s/deep", dir);
	CU_ASSERT_EQUAL_FATAL(symlink(deep.data + strlen(dir) + 1, list.data),
			      0);
	bd_buf_reset(&list);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: aaa\nStatus: install ok installed\n"
		      "Version: 1\n\nPackage: zlib1g\nStatus: install ok "
		      "installed\nVersion: 1\n");
	bd_test_write(dir, "/var/lib/dpkg/info/zlib1g.list",
		      "/usr/lib/libz.so.1\n");
	for (i = 0; i < 200; i++) {
		bd_buf_printf(&list, "/d%zu", i);
		for (k = 0; k < 100; k++)
			bd_buf_adds(&list, "/x");
		bd_buf_adds(&list, "/libz.so.1\n");
	}
	for (i = 0; i < 2000; i++)
		bd_buf_printf(&list, "/deep/y%zu/libz.so.1\n", i);
	CU_ASSERT_FATAL(bd_buf_ok(&list));
	bd_test_write(dir, "/var/lib/dpkg/info/aaa.list", list.data);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, &root, pass, name, "zlib1g", &said);
		CU_ASSERT_FALSE(db.dirs_capped);
		/* A directory costs its name, listed and canonical, and a
		 * node of each: the cap bounds the memory, not the text. */
		CU_ASSERT(db.dir_bytes >= BD_PKGDB_DIR_NODE * db.ndirs);
		CU_ASSERT(db.dir_bytes <=
			  2 * (list.len + BD_PKGDB_DIR_NODE * db.ndirs));
		bd_buf_reset(&deep);
		bd_buf_printf(&deep,
			      "'/var/lib/dpkg/info/aaa.list': its directories "
			      "cost more path lookups than a list of %zu bytes "
			      "may (16 bytes a byte of it, 8 KiB and what the "
			      "lists before left of 1 MiB), the rest "
			      "taken as listed: a file it lists through a "
			      "symlink there is owned by none\n",
			      list.len);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&said), bd_buf_str(&deep));
		if (strcmp(bd_buf_str(&said), bd_buf_str(&deep)))
			fprintf(stderr, "\nwarned: %s\n", bd_buf_str(&said));
		bd_pkgdb_release(&db);
	}
	bd_root_release(&root);
	bd_buf_release(&list);
	bd_buf_release(&deep);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * A list that spends its lookups, then names /lib/x (/lib a link to
 * usr/lib) as it stops, read before the package that owns /lib/x/libz.so.1:
 * its cut directory is not the next list's. Each of 40 links to "/" walked
 * 38 deep costs PATH_MAX a link, far past the list's budget.
 */
static void test_dpkg_lookups_cut_not_kept(void)
{
	static const char *const name = "/usr/lib/x/libz.so.1";
	char dir[] = "/tmp/bd-dpkg-cut-XXXXXX";
	struct bd_buf list = BD_BUF_INIT, said = BD_BUF_INIT;
	struct bd_error err;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i, k;
	int pass;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib/x' '%s/var/lib/dpkg/info' && "
		   "ln -s usr/lib '%s/lib'",
		   dir, dir, dir);
	for (i = 0; i < 40; i++) {
		bd_test_sh("ln -s / '%s/l%zu'", dir, i);
		for (k = 0; k < 39; k++)
			bd_buf_printf(&list, "/l%zu", i);
		bd_buf_adds(&list, "/libz.so.1\n");
	}
	bd_buf_adds(&list, "/lib/x/y/libz.so.1\n");
	CU_ASSERT_FATAL(bd_buf_ok(&list));
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: aaa\nStatus: install ok installed\n"
		      "Version: 1\n\nPackage: zlib1g\nStatus: install ok "
		      "installed\nVersion: 1\n");
	bd_test_write(dir, "/var/lib/dpkg/info/aaa.list", list.data);
	bd_test_write(dir, "/var/lib/dpkg/info/zlib1g.list",
		      "/lib/x/libz.so.1\n");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, &root, pass, name, "zlib1g", &said);
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&said), "aaa.list"));
		bd_pkgdb_release(&db);
	}
	bd_root_release(&root);
	bd_buf_release(&list);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * An apk package's directories cost lookups as its dpkg list's would:
 * 40 links to "/" walked 39 deep each (PATH_MAX a link) spend its budget,
 * said once naming it; a later package's /lib/x (/lib -> usr/lib) is
 * still looked up. Without a budget, lines below a link to a directory
 * 1,000 deep cost 2.3 s a MB.
 */
static void test_apk_lookups_bounded(void)
{
	char dir[] = "/tmp/bd-apk-cut-XXXXXX";
	struct bd_buf text = BD_BUF_INIT, said = BD_BUF_INIT;
	struct bd_diag diag = { keep_warning, &said };
	const struct bd_package *p;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i, k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib/x' && ln -s usr/lib '%s/lib'", dir,
		   dir);
	bd_buf_adds(&text, "P:aaa\nV:1\n");
	for (i = 0; i < 40; i++) {
		bd_test_sh("ln -s / '%s/l%zu'", dir, i);
		bd_buf_adds(&text, "F:");
		for (k = 0; k < 39; k++)
			bd_buf_printf(&text, "%sl%zu", k ? "/" : "", i);
		bd_buf_adds(&text, "\nR:libz.so.1\n");
	}
	bd_buf_adds(&text, "\nP:zlib\nV:1\nF:lib/x\nR:libz.so.1\n");
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(
		bd_apk_parse_installed(&db, &root, &diag, text.data, text.len),
		0);
	p = bd_pkgdb_owner(&db, "/usr/lib/x/libz.so.1");
	CU_ASSERT(p && !strcmp(p->name, "zlib"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		bd_buf_str(&said), "'/lib/apk/db/installed': package aaa: its "
				   "directories cost more path lookups"));
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_buf_release(&text);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * The lookups' base is one a load, not one a list: a list that spends
 * its own share and the base leaves the next its share alone (200
 * hostile lists of 12 KB, each spending a base of its own below a link
 * to a directory 1,000 deep, cost 6 s; 1.3 s now).
 */
static void test_lookups_base_shared(void)
{
	struct bd_package p = { .type = "deb", .name = "p", .version = "1" };
	char dir[] = "/tmp/bd-lookups-XXXXXX";
	struct bd_buf path = BD_BUF_INIT;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i, k, index;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (i = 0; i < 40; i++)
		bd_test_sh("ln -s / '%s/l%zu'", dir, i);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(bd_pkgdb_add(&db, &p, &index), 0);
	bd_pkgdb_lookups(&db, 10);
	CU_ASSERT_EQUAL(db.text.left,
			BD_PKGDB_LOOKUPS_BASE + 160 + BD_PKGDB_LOOKUPS_FLOOR);
	for (i = 0; i < 40; i++) {
		bd_buf_reset(&path);
		for (k = 0; k < 39; k++)
			bd_buf_printf(&path, "/l%zu", i);
		bd_buf_adds(&path, "/f");
		CU_ASSERT_EQUAL(
			bd_pkgdb_own(&db, &root, bd_buf_str(&path), index), 0);
	}
	CU_ASSERT_TRUE(db.text.spent);
	bd_pkgdb_lookups(&db, SIZE_MAX);
	CU_ASSERT_FALSE(db.text.spent);
	bd_pkgdb_lookups(&db, 10);
	CU_ASSERT_EQUAL(db.text.left, 160 + BD_PKGDB_LOOKUPS_FLOOR);
	bd_pkgdb_lookups(&db, SIZE_MAX);
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_buf_release(&path);
	bd_test_sh("rm -rf '%s'", dir);
}

/* An rpm header named name whose files are base on each of the n
 * directories dirs (their strings one after another), malloc'd; its
 * length in *len. */
static unsigned char *rpm_files_blob(const char *name,
				     const struct bd_buf *dirs, uint32_t n,
				     size_t *len)
{
	struct bd_buf data = BD_BUF_INIT;
	unsigned entries[4][4] = { { 1000, 6, 0, 1 },
				   { 1116, 4, 0, n },
				   { 1117, 8, 0, n },
				   { 1118, 8, 0, n } };
	unsigned char *blob;
	uint32_t i;

	bd_buf_add(&data, name, strlen(name) + 1);
	while (data.len % 4)
		bd_buf_addc(&data, '\0');
	entries[1][2] = (unsigned)data.len;
	for (i = 0; i < n; i++) {
		unsigned char be[4] = { (unsigned char)(i >> 24),
					(unsigned char)(i >> 16),
					(unsigned char)(i >> 8),
					(unsigned char)i };

		bd_buf_add(&data, (const char *)be, 4);
	}
	entries[2][2] = (unsigned)data.len;
	for (i = 0; i < n; i++)
		bd_buf_add(&data, "libz.so.1", 10);
	entries[3][2] = (unsigned)data.len;
	bd_buf_add(&data, dirs->data, dirs->len);
	blob = bd_buf_ok(&data) ? rpm_build((const unsigned(*)[4])entries, 4,
					    (const unsigned char *)data.data,
					    data.len, len)
				: NULL;
	bd_buf_release(&data);
	return blob;
}

/* Writes root dir's /var/lib/rpm/rpmdb.sqlite of rpm's schema, the n
 * blobs its packages 1 to n. */
static void write_rpmdb(const char *dir, unsigned char *const *blobs,
			const size_t *lens, size_t n)
{
	struct bd_buf path = BD_BUF_INIT;
	sqlite3_stmt *st = NULL;
	sqlite3 *s = NULL;

	bd_test_sh("mkdir -p '%s/var/lib/rpm'", dir);
	bd_buf_printf(&path, "%s/var/lib/rpm/rpmdb.sqlite", dir);
	CU_ASSERT_FATAL(bd_buf_ok(&path) &&
			sqlite3_open(path.data, &s) == SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(s,
				     "CREATE TABLE Packages (hnum INTEGER "
				     "PRIMARY KEY AUTOINCREMENT, blob BLOB "
				     "NOT NULL)",
				     NULL, NULL, NULL),
			SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_prepare_v2(s,
					   "INSERT INTO Packages VALUES (?, ?)",
					   -1, &st, NULL),
			SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_blob(st, 2, blobs[i], (int)lens[i], SQLITE_STATIC);
		CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	bd_buf_release(&path);
}

/* Hostile lists for the floors' cap: HOSTILE lists, each naming one
 * directory of its own, "/dI/../a/", "a" 20 links each to a directory 300
 * deep (/x/x/...: each link walked costs 90,000 bytes of lstat'd path). */
#define HOSTILE 1000u

/* How many times needle is in s. */
static size_t times_in(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)))
		n++, s++;
	return n;
}

/* A link to a chain of 40, each to a directory 1,000 deep: a lookup walks
 * more than BD_PKGDB_LOOKUPS_BASE (its names looked up from their
 * directory past the first 128, ~3 MB of path), never paid. */
static void make_chain_root(const char *dir)
{
	bd_test_sh("cd '%s' && mkdir -p usr/lib/x && d=x && i=1 && "
		   "while [ $i -lt 1000 ]; do d=$d/x; i=$((i+1)); done && "
		   "mkdir -p $d && ln -s /$d/l1 a && i=1 && "
		   "while [ $i -lt 39 ]; do ln -s /$d/l$((i+1)) $d/l$i; "
		   "i=$((i+1)); done && ln -s /$d $d/l39 && i=0 && "
		   "while [ $i -lt %u ]; do mkdir d$i; i=$((i+1)); done",
		   dir, HOSTILE);
}

/* Lookups spent past the lists' shares of their bytes (text bytes in
 * all) are at most a base and the floors' cap a load: 1,000 hostile lists
 * each spending their 8 KiB floor spend 4 MiB of floors, not 8; the
 * floors are spent, said once, and the real owner after them found. */
static void assert_floors_capped(const struct bd_pkgdb *db, size_t text)
{
	CU_ASSERT_EQUAL(db->lookups_floors, 0);
	CU_ASSERT(db->lookups_walked <=
		  BD_PKGDB_LOOKUPS_BASE + BD_PKGDB_LOOKUPS_FLOORS +
			  (uint64_t)text * BD_PKGDB_LOOKUPS_PER_BYTE);
	if (db->lookups_walked >
	    BD_PKGDB_LOOKUPS_BASE + BD_PKGDB_LOOKUPS_FLOORS +
		    (uint64_t)text * BD_PKGDB_LOOKUPS_PER_BYTE)
		fprintf(stderr, "\nwalked %llu\n",
			(unsigned long long)db->lookups_walked);
}

static void test_rpm_lookups_floors_capped(void)
{
	static const char *const name = "/usr/lib/x/libz.so.1";
	char dir[] = "/tmp/bd-rpm-floors-XXXXXX";
	struct bd_buf dirs = BD_BUF_INIT, said = BD_BUF_INIT;
	unsigned char *blobs[HOSTILE + 1];
	size_t lens[HOSTILE + 1], i, text = 0;
	struct bd_root root;
	struct bd_pkgdb db;
	char pkg[16];
	int pass;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_chain_root(dir);
	for (i = 0; i <= HOSTILE; i++) {
		bd_buf_reset(&dirs);
		if (i < HOSTILE)
			bd_buf_printf(&dirs, "/d%zu/../a/", i);
		else
			bd_buf_adds(&dirs, "/usr/lib/x/");
		bd_buf_addc(&dirs, '\0');
		text += dirs.len + 10; /* and "libz.so.1" */
		if (i < HOSTILE)
			snprintf(pkg, sizeof(pkg), "p%zu", i);
		else
			snprintf(pkg, sizeof(pkg), "zlib");
		blobs[i] = rpm_files_blob(pkg, &dirs, 1, &lens[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(blobs[i]);
	}
	write_rpmdb(dir, blobs, lens, HOSTILE + 1);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, &root, pass, name, "zlib", &said);
		assert_floors_capped(&db, text);
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&said),
					      "package p0: its directories "
					      "cost more path lookups"));
		CU_ASSERT_EQUAL(times_in(bd_buf_str(&said), "lookups"), 1);
		bd_pkgdb_release(&db);
	}
	for (i = 0; i <= HOSTILE; i++)
		free(blobs[i]);
	bd_root_release(&root);
	bd_buf_release(&dirs);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

static void test_dpkg_lookups_floors_capped(void)
{
	static const char *const name = "/usr/lib/x/libz.so.1";
	char dir[] = "/tmp/bd-dpkg-floors-XXXXXX";
	struct bd_buf status = BD_BUF_INIT, line = BD_BUF_INIT;
	struct bd_buf said = BD_BUF_INIT;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i, text = 0;
	char list[48], pkg[16];
	int pass;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_chain_root(dir);
	bd_test_sh("mkdir -p '%s/var/lib/dpkg/info'", dir);
	for (i = 0; i <= HOSTILE; i++) {
		bd_buf_reset(&line);
		if (i < HOSTILE)
			bd_buf_printf(&line, "/d%zu/../a/libz.so.1\n", i);
		else
			bd_buf_adds(&line, "/usr/lib/x/libz.so.1\n");
		text += line.len;
		if (i < HOSTILE)
			snprintf(pkg, sizeof(pkg), "p%04zu", i);
		else
			snprintf(pkg, sizeof(pkg), "zlib1g");
		snprintf(list, sizeof(list), "/var/lib/dpkg/info/%s.list", pkg);
		bd_test_write(dir, list, bd_buf_str(&line));
		bd_buf_printf(&status,
			      "Package: %s\nStatus: install ok installed\n"
			      "Version: 1\n\n",
			      pkg);
	}
	CU_ASSERT_FATAL(bd_buf_ok(&status));
	bd_test_write(dir, "/var/lib/dpkg/status", status.data);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, &root, pass, name, "zlib1g", &said);
		assert_floors_capped(&db, text);
		CU_ASSERT_PTR_NOT_NULL(strstr(
			bd_buf_str(&said), "'/var/lib/dpkg/info/p0000.list': "
					   "its directories cost more path "
					   "lookups"));
		CU_ASSERT_EQUAL(times_in(bd_buf_str(&said), "lookups"), 1);
		bd_pkgdb_release(&db);
	}
	bd_root_release(&root);
	bd_buf_release(&status);
	bd_buf_release(&line);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

/* Diversions to paths below a link to a deep chain (make_chain_root):
 * each diverted-to path is looked up once the lists are read, outside any
 * list's budget, and each lookup walked the whole chain unmetered (1.8 MB
 * of path here; 40 links to a directory 2,000 deep: 7 s a diversion, and
 * a root may have 10,000). The diversions file is metered as a list of
 * its size; the real diversion (tool, to /usr/lib/x/tool.real) still
 * owned, whole and deferred. */
#define DIVERSIONS_DEEP 20u
static void test_dpkg_diversions_metered(void)
{
	static const char *const name = "/usr/lib/x/tool.real";
	char dir[] = "/tmp/bd-dpkg-divmeter-XXXXXX";
	struct bd_buf divs = BD_BUF_INIT, list = BD_BUF_INIT;
	struct bd_buf said = BD_BUF_INIT;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i;
	int pass;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_chain_root(dir);
	bd_test_sh("mkdir -p '%s/var/lib/dpkg/info'", dir);
	for (i = 0; i < DIVERSIONS_DEEP; i++) {
		bd_buf_printf(&divs, "/usr/lib/x/f%zu\n/d%zu/../a/f%zu\nq\n", i,
			      i, i);
		bd_buf_printf(&list, "/usr/lib/x/f%zu\n", i);
	}
	bd_buf_adds(&divs, "/usr/lib/x/tool\n/usr/lib/x/tool.real\nq\n");
	bd_buf_adds(&list, "/usr/lib/x/tool\n");
	CU_ASSERT_FATAL(bd_buf_ok(&divs) && bd_buf_ok(&list));
	bd_test_write(dir, "/var/lib/dpkg/diversions", divs.data);
	bd_test_write(dir, "/var/lib/dpkg/info/p.list", list.data);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: p\nStatus: install ok installed\n"
		      "Version: 1\n\n");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, &root, pass, name, "p", &said);
		CU_ASSERT(db.lookups_walked <=
			  BD_PKGDB_LOOKUPS_BASE + BD_PKGDB_LOOKUPS_FLOOR +
				  (uint64_t)(divs.len + list.len) *
					  BD_PKGDB_LOOKUPS_PER_BYTE);
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&said),
					      "'/var/lib/dpkg/diversions': "
					      "its directories cost more "
					      "path lookups"));
		bd_pkgdb_release(&db);
	}
	bd_root_release(&root);
	bd_buf_release(&divs);
	bd_buf_release(&list);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

/* dpkg's lists read while apk's database is (deferred, the first apk
 * file owned reads them all): their warnings are said as a load's, where
 * they were lost (no diag there): a list whose lookups ran out, and the
 * diversions file's. */
static void test_dpkg_warnings_inside_apk(void)
{
	static const char *const name = "/usr/lib/x/libz.so.1";
	char dir[] = "/tmp/bd-dpkg-in-apk-XXXXXX";
	static const char apk[] = "P:musl\nV:1\nF:usr/lib/x\nR:ld.so\n";
	struct bd_buf said = BD_BUF_INIT;
	struct bd_root root;
	struct bd_pkgdb db;
	int pass;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_chain_root(dir);
	bd_test_sh("mkdir -p '%s/var/lib/dpkg/info' '%s/lib/apk/db'", dir, dir);
	bd_test_write(dir, "/lib/apk/db/installed", apk);
	bd_test_write(dir, "/var/lib/dpkg/info/hostile.list",
		      "/d0/../a/libz.so.1\n");
	bd_test_write(dir, "/var/lib/dpkg/info/zlib1g.list",
		      "/usr/lib/x/libz.so.1\n");
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: hostile\nStatus: install ok installed\n"
		      "Version: 1\n\nPackage: zlib1g\n"
		      "Status: install ok installed\nVersion: 1\n\n");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, &root, pass, name, "zlib1g", &said);
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&said),
					      "'/var/lib/dpkg/info/hostile."
					      "list': its directories cost "
					      "more path lookups"));
		bd_pkgdb_release(&db);
	}
	bd_root_release(&root);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

static void test_apk_lookups_floors_capped(void)
{
	char dir[] = "/tmp/bd-apk-floors-XXXXXX";
	struct bd_buf text = BD_BUF_INIT, said = BD_BUF_INIT;
	struct bd_diag diag = { keep_warning, &said };
	const struct bd_package *p;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_chain_root(dir);
	for (i = 0; i < HOSTILE; i++)
		bd_buf_printf(&text,
			      "P:p%zu\nV:1\nF:d%zu/../a\nR:libz.so.1\n\n", i,
			      i);
	bd_buf_adds(&text, "P:zlib\nV:1\nF:usr/lib/x\nR:libz.so.1\n");
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(
		bd_apk_parse_installed(&db, &root, &diag, text.data, text.len),
		0);
	p = bd_pkgdb_owner(&db, "/usr/lib/x/libz.so.1");
	CU_ASSERT(p && !strcmp(p->name, "zlib"));
	assert_floors_capped(&db, text.len);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		bd_buf_str(&said), "'/lib/apk/db/installed': package p0: its "
				   "directories cost more path lookups"));
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_buf_release(&text);
	bd_buf_release(&said);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * An rpm header's directories cost lookups as a dpkg list's would, by the
 * bytes of its DIRNAMES and BASENAMES (not the paths they make: four times
 * the header and 1 MiB), its overspending out of the load's base: 40
 * links to "/" walked 39 deep each (PATH_MAX a link) in each of two
 * hostile packages, said once naming the database and the first; the
 * base spent by it, not lent again to the second; zlib's /lib/x (/lib ->
 * usr/lib) is still looked up, whole and deferred. Without a budget,
 * a header naming a directory 1,000 deep below a new link to "/" cost 30 ms.
 */
static void test_rpm_lookups_bounded(void)
{
	static const char *const name = "/usr/lib/x/libz.so.1";
	char dir[] = "/tmp/bd-rpm-cut-XXXXXX";
	struct bd_buf dirs = BD_BUF_INIT, said = BD_BUF_INIT;
	struct bd_buf want = BD_BUF_INIT;
	unsigned char *blobs[3];
	size_t lens[3], i, k, text;
	struct bd_root root;
	struct bd_pkgdb db;
	int pass;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib/x' && ln -s usr/lib '%s/lib'", dir,
		   dir);
	for (i = 0; i < 40; i++) {
		bd_test_sh("ln -s / '%s/l%zu'", dir, i);
		for (k = 0; k < 39; k++)
			bd_buf_printf(&dirs, "/l%zu", i);
		bd_buf_add(&dirs, "/", 2);
	}
	CU_ASSERT_FATAL(bd_buf_ok(&dirs));
	text = dirs.len + 40 * 10; /* and 40 "libz.so.1" */
	blobs[0] = rpm_files_blob("aaa", &dirs, 40, &lens[0]);
	blobs[1] = rpm_files_blob("bbb", &dirs, 40, &lens[1]);
	bd_buf_reset(&dirs);
	bd_buf_add(&dirs, "/lib/x/", 8);
	blobs[2] = rpm_files_blob("zlib", &dirs, 1, &lens[2]);
	CU_ASSERT_FATAL(blobs[0] && blobs[1] && blobs[2]);
	write_rpmdb(dir, blobs, lens, 3);
	bd_buf_printf(&want,
		      "'/var/lib/rpm/rpmdb.sqlite': package aaa: its "
		      "directories cost more path lookups than %zu bytes of "
		      "paths may (16 bytes a byte of them, 8 KiB and what "
		      "the lists before left of 1 MiB), the rest taken as "
		      "listed: a file it lists through a symlink there is "
		      "owned by none\n",
		      text);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, &root, pass, name, "zlib", &said);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&said), bd_buf_str(&want));
		CU_ASSERT_EQUAL(db.lookups_pool, 0);
		CU_ASSERT_EQUAL(db.text.left, UINT64_MAX);
		bd_pkgdb_release(&db);
	}
	for (i = 0; i < 3; i++)
		free(blobs[i]);
	bd_root_release(&root);
	bd_buf_release(&dirs);
	bd_buf_release(&said);
	bd_buf_release(&want);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * Lines naming ndirs new directories, 100 deep below a new top each (four
 * letters, from *top on), each line prefix, the path without its leading
 * '/' and suffix (slen bytes): what a hostile list, installed database
 * or header names to spend the directory cap.
 */
static void hostile_dirs(struct bd_buf *out, size_t *top, size_t ndirs,
			 const char *prefix, const char *suffix, size_t slen)
{
	size_t k;

	for (; ndirs; (*top)++) {
		bd_buf_printf(out, "%s%c%c%c%c", prefix,
			      (int)('a' + *top / (26 * 26 * 26) % 26),
			      (int)('a' + *top / (26 * 26) % 26),
			      (int)('a' + *top / 26 % 26),
			      (int)('a' + *top % 26));
		for (k = 1; k < 100 && k < ndirs; k++)
			bd_buf_adds(out, "/wxyz");
		ndirs -= k;
		bd_buf_add(out, suffix, slen);
	}
}

/* A dpkg root of the n lists <names[i]>.list, each naming ndirs new
 * directories, read before zlib1g's (lists are read in name order),
 * which owns /usr/lib/libz.so.1. */
static void dpkg_hostile_root(const char *dir, const char *const *names,
			      size_t n, size_t ndirs)
{
	struct bd_buf status = BD_BUF_INIT, list = BD_BUF_INIT;
	struct bd_buf path = BD_BUF_INIT;
	size_t i, top = 0;

	bd_test_sh("mkdir -p '%s/usr/lib' '%s/var/lib/dpkg/info'", dir, dir);
	for (i = 0; i < n; i++) {
		bd_buf_printf(&status,
			      "Package: %s\nStatus: install ok installed\n"
			      "Version: 1\n\n",
			      names[i]);
		bd_buf_reset(&list);
		hostile_dirs(&list, &top, ndirs, "/", "/libz.so.1\n", 11);
		bd_buf_reset(&path);
		bd_buf_printf(&path, "/var/lib/dpkg/info/%s.list", names[i]);
		CU_ASSERT_FATAL(bd_buf_ok(&list) && bd_buf_ok(&path));
		bd_test_write(dir, path.data, list.data);
	}
	bd_buf_adds(&status, "Package: zlib1g\nStatus: install ok installed\n"
			     "Version: 1\n");
	CU_ASSERT_FATAL(bd_buf_ok(&status));
	bd_test_write(dir, "/var/lib/dpkg/status", status.data);
	bd_test_write(dir, "/var/lib/dpkg/info/zlib1g.list",
		      "/usr/lib/libz.so.1\n");
	bd_buf_release(&status);
	bd_buf_release(&list);
	bd_buf_release(&path);
}

/* The warning for a text (what, "'<file>': " and for apk and rpm
 * "package <name>: ") past its share of the directory cap, share KiB. */
static void share_warning(struct bd_buf *out, const char *what,
			  unsigned long long share)
{
	bd_buf_printf(out,
		      "%sits new directories come to more than its share of "
		      "the directory cap (%llu KiB, 1/16 of what the "
		      "lists before left of 32 MiB), the rest not kept: a "
		      "file it lists in one is owned by none\n",
		      what, share);
}

/* Whether db, loaded from root whole and deferred for the file name,
 * has zlib1g (or zlib) own name, the directories within their cap and
 * never past it, and said one warning, want. */
static void owner_despite(const struct bd_root *root, const char *name,
			  const char *owner, const char *want)
{
	struct bd_buf said = BD_BUF_INIT;
	struct bd_pkgdb db;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		load_owned(&db, root, pass, name, owner, &said);
		CU_ASSERT_FALSE(db.dirs_capped);
		CU_ASSERT(db.dir_bytes <= db.max_dir_bytes);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&said), want);
		if (strcmp(bd_buf_str(&said), want))
			fprintf(stderr, "\nwarned: %s\n", bd_buf_str(&said));
		bd_pkgdb_release(&db);
	}
	bd_buf_release(&said);
}

/* zlib1g's /usr/lib/libz.so.1 in the hostile root dir is still owned,
 * with the one warning naming the first list past its share (first, as
 * "aaa" for aaa.list); dir is removed. */
static void zlib_owned_past_share(const char *dir, const char *first)
{
	struct bd_buf want = BD_BUF_INIT, list = BD_BUF_INIT;
	struct bd_root root;

	bd_buf_printf(&list, "'/var/lib/dpkg/info/%s.list': ", first);
	share_warning(&want, bd_buf_str(&list), 2048);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	owner_despite(&root, "/usr/lib/libz.so.1", "zlib1g", bd_buf_str(&want));
	bd_root_release(&root);
	bd_buf_release(&want);
	bd_buf_release(&list);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * A hostile list of 900,000 new four-letter directories (4.6 MB) read
 * before zlib1g's: it spent the whole directory cap (32 MiB), and
 * zlib1g's /usr/lib/libz.so.1 was owned by none. A list adds at most a
 * sixteenth of what is left (2 MiB here), said once, naming it.
 */
static void test_dpkg_hostile_list_share(void)
{
	static const char *const names[] = { "aaa" };
	char dir[] = "/tmp/bd-dpkg-share-XXXXXX";

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	dpkg_hostile_root(dir, names, 1, 900000);
	zlib_owned_past_share(dir, "aaa");
}

/* Forty hostile lists of 1 MB (200,000 new directories each) before
 * zlib1g's: each takes a sixteenth of what the ones before left, never
 * all of it; said once, naming the first. */
static void test_dpkg_hostile_lists_share(void)
{
	char dir[] = "/tmp/bd-dpkg-shares-XXXXXX";
	struct bd_buf names = BD_BUF_INIT;
	const char *name[40];
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (i = 0; i < 40; i++)
		bd_buf_printf(&names, "a%02zu%c", i, '\0');
	CU_ASSERT_FATAL(bd_buf_ok(&names));
	for (i = 0; i < 40; i++)
		name[i] = names.data + 4 * i;
	dpkg_hostile_root(dir, name, 40, 200000);
	zlib_owned_past_share(dir, "a00");
	bd_buf_release(&names);
}

/* The same for apk: forty packages of 200,000 new directories each in
 * /lib/apk/db/installed before zlib's. */
static void test_apk_hostile_packages_share(void)
{
	char dir[] = "/tmp/bd-apk-shares-XXXXXX";
	struct bd_buf text = BD_BUF_INIT, want = BD_BUF_INIT;
	struct bd_root root;
	size_t i, top = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/lib/apk/db'", dir, dir);
	for (i = 0; i < 40; i++) {
		bd_buf_printf(&text, "P:a%02zu\nV:1\n", i);
		hostile_dirs(&text, &top, 200000, "F:", "\nR:libz.so.1\n", 13);
		bd_buf_addc(&text, '\n');
	}
	bd_buf_adds(&text, "P:zlib\nV:1\nF:usr/lib\nR:libz.so.1\n");
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	bd_test_write(dir, "/lib/apk/db/installed", text.data);
	share_warning(&want, "'/lib/apk/db/installed': package a00: ", 2048);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	owner_despite(&root, "/usr/lib/libz.so.1", "zlib", bd_buf_str(&want));
	bd_root_release(&root);
	bd_buf_release(&text);
	bd_buf_release(&want);
	bd_test_sh("rm -rf '%s'", dir);
}

/* The same for rpm: forty headers of 200,000 new directories each (2,000
 * DIRNAMES 100 deep) in rpmdb.sqlite before zlib's. */
static void test_rpm_hostile_headers_share(void)
{
	char dir[] = "/tmp/bd-rpm-shares-XXXXXX";
	struct bd_buf dirs = BD_BUF_INIT, want = BD_BUF_INIT;
	struct bd_buf name = BD_BUF_INIT;
	unsigned char *blobs[41];
	size_t lens[41], i, top = 0;
	struct bd_root root;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib'", dir);
	for (i = 0; i < 40; i++) {
		bd_buf_reset(&dirs);
		hostile_dirs(&dirs, &top, 200000, "/", "/", 2);
		bd_buf_reset(&name);
		bd_buf_printf(&name, "a%02zu", i);
		CU_ASSERT_FATAL(bd_buf_ok(&dirs) && bd_buf_ok(&name));
		blobs[i] = rpm_files_blob(name.data, &dirs, 2000, &lens[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(blobs[i]);
	}
	bd_buf_reset(&dirs);
	bd_buf_add(&dirs, "/usr/lib/", 10);
	blobs[40] = rpm_files_blob("zlib", &dirs, 1, &lens[40]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(blobs[40]);
	write_rpmdb(dir, blobs, lens, 41);
	share_warning(&want,
		      "'/var/lib/rpm/rpmdb.sqlite': package a00: ", 2048);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	owner_despite(&root, "/usr/lib/libz.so.1", "zlib", bd_buf_str(&want));
	for (i = 0; i < 41; i++)
		free(blobs[i]);
	bd_root_release(&root);
	bd_buf_release(&dirs);
	bd_buf_release(&want);
	bd_buf_release(&name);
	bd_test_sh("rm -rf '%s'", dir);
}
static const char DPKG_STATUS[] =
	"Package: libfoo1\nStatus: install ok installed\nArchitecture: amd64\n"
	"Multi-Arch: same\nVersion: 1\n\n"
	"Package: origpkg\nStatus: install ok installed\nVersion: 1\n\n"
	"Package: divpkg\nStatus: install ok installed\nVersion: 1\n\n"
	"Package: twice\nStatus: install ok installed\nVersion: 1\n";

/* Who owns what in a dpkg root (merged /usr: /lib and /bin are links),
 * NULL for nobody. */
static const struct {
	const char *path, *owner;
} DPKG_OWNERS[] = {
	/* listed as /lib/x86_64-linux-gnu/..., between /usr/lib ones */
	{ "/usr/lib/x86_64-linux-gnu/libfoo.so.1", "libfoo1" },
	{ "/usr/lib/x86_64-linux-gnu/libfoo.so.1.0", "libfoo1" },
	{ "/usr/lib/x86_64-linux-gnu/libfoo2.so", "libfoo1" },
	{ "/usr/lib/x86_64-linux-gnu", "libfoo1" },
	{ "/lib/x86_64-linux-gnu/libfoo.so.1", NULL }, /* not canonical */
	/* a link itself is a name in its directory, not resolved */
	{ "/lib", "libfoo1" },
	{ "/usr/lib", NULL },
	/* diverted by divpkg: the original package owns the moved file */
	{ "/usr/lib/x86_64-linux-gnu/libdiv.so.1", "divpkg" },
	{ "/usr/lib/x86_64-linux-gnu/libdiv.so.1.distrib", "origpkg" },
	/* a local diversion: the path is nobody's */
	{ "/usr/bin/local", NULL },
	{ "/usr/bin/local.orig", "origpkg" },
	{ "/usr/bin/tool", "origpkg" },
	{ "/usr/bin/tool2", "twice" }, /* listed as /bin/tool2 */
	{ "//usr/bin/tool", NULL },
	{ "/usr/bin/", NULL },
	{ "usr/bin/tool", NULL },
};

static void dpkg_root(const char *dir)
{
	static const char *const dirs[] = {
		"/usr/",
		"/usr/lib/",
		"/usr/lib/x86_64-linux-gnu/",
		"/usr/bin/",
		"/var/",
		"/var/lib/",
		"/var/lib/dpkg/",
		"/var/lib/dpkg/info/",
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(dirs); i++)
		bd_test_mk(dir, dirs[i], NULL);
	bd_test_mk(dir, "/lib", "usr/lib");
	bd_test_mk(dir, "/bin", "usr/bin");
	bd_test_write(dir, "/var/lib/dpkg/status", DPKG_STATUS);
	bd_test_write(dir, "/var/lib/dpkg/info/libfoo1:amd64.list",
		      "/.\n/lib\n/lib/x86_64-linux-gnu\n"
		      "/lib/x86_64-linux-gnu/libfoo.so.1\n"
		      "/usr/lib/x86_64-linux-gnu/libfoo.so.1.0\n"
		      "/lib/x86_64-linux-gnu/libfoo2.so\n");
	bd_test_write(dir, "/var/lib/dpkg/info/origpkg.list",
		      "/usr/bin/tool\n/usr/lib/x86_64-linux-gnu/libdiv.so.1\n"
		      "/usr/bin/local\n");
	bd_test_write(dir, "/var/lib/dpkg/info/divpkg.list",
		      "/usr/lib/x86_64-linux-gnu/libdiv.so.1\n");
	bd_test_write(dir, "/var/lib/dpkg/info/twice.list",
		      "/usr/lib/x86_64-linux-gnu/libfoo.so.1\n/bin/tool2\n");
	bd_test_write(dir, "/var/lib/dpkg/diversions",
		      "/usr/lib/x86_64-linux-gnu/libdiv.so.1\n"
		      "/usr/lib/x86_64-linux-gnu/libdiv.so.1.distrib\ndivpkg\n"
		      "/usr/bin/local\n/usr/bin/local.orig\n:\n");
}

/* A dpkg root read whole: merged /usr, a multi-arch list, diversions by
 * a package and local, a path listed twice (the first owner stays). Every
 * file owned is listed back by bd_pkgdb_file with the owner it has. */
static void test_dpkg_root_owners(void)
{
	char dir[] = "/tmp/bd-dpkg-XXXXXX", cmd[64];
	struct bd_buf path = BD_BUF_INIT;
	struct bd_error err;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i, index;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	dpkg_root(dir);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, &root, NULL, &err), 0);
	CU_ASSERT_EQUAL(db.n, 4);
	for (i = 0; i < BD_ARRAY_SIZE(DPKG_OWNERS); i++) {
		const struct bd_package *p =
			bd_pkgdb_owner(&db, DPKG_OWNERS[i].path);
		const char *want = DPKG_OWNERS[i].owner;

		CU_ASSERT(want ? p && !strcmp(p->name, want) : !p);
		if (want ? !p || strcmp(p->name, want) : p != NULL)
			fprintf(stderr, "\n%s: %s, not %s\n",
				DPKG_OWNERS[i].path, p ? p->name : "nobody",
				want ? want : "nobody");
	}
	/* 11 distinct paths: "/.", "/lib", 4 in /usr/lib/x86_64-linux-gnu
	 * and itself, 2 of the diversions, tool, tool2. */
	CU_ASSERT_EQUAL(db.files.count, 11);
	for (i = 0; i < db.files.count; i++) {
		CU_ASSERT_EQUAL_FATAL(bd_pkgdb_file(&db, i, &path, &index), 0);
		CU_ASSERT_PTR_EQUAL(bd_pkgdb_owner(&db, path.data),
				    &db.pkgs[index]);
	}
	bd_buf_release(&path);
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A deferred load of the same root, asked about one path at a time: each
 * has the owner a whole load gives it (a diverted file's original owner
 * too, though the path it was diverted from is not asked about), and
 * only the names asked about, and the diverted ones, are kept. */
static void deferred_owner(const struct bd_root *root, size_t i)
{
	const char *names[] = { DPKG_OWNERS[i].path };
	const char *want = DPKG_OWNERS[i].owner;
	const struct bd_package *p;
	struct bd_error err;
	struct bd_pkgdb db;

	bd_pkgdb_init(&db);
	db.defer_files = true;
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, root, NULL, &err), 0);
	CU_ASSERT_EQUAL(db.files.count, 0); /* nothing until asked */
	CU_ASSERT_EQUAL_FATAL(
		bd_pkgdb_load_files(&db, root, names, 1, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_files_done(&db, root, NULL, &err), 0);
	p = bd_pkgdb_owner(&db, DPKG_OWNERS[i].path);
	CU_ASSERT(want ? p && !strcmp(p->name, want) : !p);
	if (want ? !p || strcmp(p->name, want) : p != NULL)
		fprintf(stderr, "\ndeferred %s: %s, not %s\n",
			DPKG_OWNERS[i].path, p ? p->name : "nobody",
			want ? want : "nobody");
	/* at most the name asked about, libdiv.so.1 and local (diverted) */
	CU_ASSERT(db.files.count <= 3);
	bd_pkgdb_release(&db);
}

static size_t deferred_count(const struct bd_root *root,
			     const char *const *names, size_t n)
{
	struct bd_error err;
	struct bd_pkgdb db;
	size_t count;

	bd_pkgdb_init(&db);
	db.defer_files = true;
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, root, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(
		bd_pkgdb_load_files(&db, root, names, n, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_files_done(&db, root, NULL, &err), 0);
	count = db.files.count;
	bd_pkgdb_release(&db);
	return count;
}

static void test_dpkg_deferred_owners(void)
{
	const char *libfoo[] = { "/usr/lib/x86_64-linux-gnu/libfoo.so.1" };
	char dir[] = "/tmp/bd-dpkg-XXXXXX", cmd[64];
	struct bd_error err;
	struct bd_root root;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	dpkg_root(dir);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	for (i = 0; i < BD_ARRAY_SIZE(DPKG_OWNERS); i++)
		deferred_owner(&root, i);
	/* no names: every file, as a whole load; none asked: nothing */
	CU_ASSERT_EQUAL(deferred_count(&root, NULL, 0), 11);
	CU_ASSERT_EQUAL(deferred_count(&root, libfoo, 0), 0);
	/* libfoo.so.1 (listed twice, one directory) and libdiv.so.1 */
	CU_ASSERT_EQUAL(deferred_count(&root, libfoo, 1), 2);
	bd_root_release(&root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Every warning, its level and text, a line each. */
static void keep_line(void *ctx, enum bd_diag_level level, const char *msg)
{
	bd_buf_printf(ctx, "%d %s\n", (int)level, msg);
}

/* A file list: its lines, then zeros up to size (sparse). */
static void sparse_list(const char *dir, const char *rel, const char *lines,
			off_t size)
{
	char path[256];

	bd_test_write(dir, rel, lines);
	snprintf(path, sizeof(path), "%s%s", dir, rel);
	CU_ASSERT_EQUAL(truncate(path, size), 0);
}

static void fifo(const char *dir, const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	CU_ASSERT_EQUAL(mkfifo(path, 0644), 0);
}

/*
 * A root whose lists come to more than a deferred load holds (5 of 15
 * MiB: 75 MiB), with a FIFO for a list after them, a list over its cap,
 * and distroless status.d/ entries whose .md5sums are a FIFO, a list and
 * over the cap.
 */
static const char *const HELD_PATHS[] = {
	"/usr/lib/libshared.so", "/usr/lib/libp0.so", "/usr/lib/libp4.so",
	"/usr/lib/libp5.so",	 "/usr/lib/libb.so",  "/usr/lib/libnone.so",
};

static void held_root(const char *dir)
{
	char rel[64], lines[128];
	size_t i;

	bd_test_mk(dir, "/usr/", NULL);
	bd_test_mk(dir, "/usr/lib/", NULL);
	bd_test_mk(dir, "/var/", NULL);
	bd_test_mk(dir, "/var/lib/", NULL);
	bd_test_mk(dir, "/var/lib/dpkg/", NULL);
	bd_test_mk(dir, "/var/lib/dpkg/info/", NULL);
	bd_test_mk(dir, "/var/lib/dpkg/status.d/", NULL);
	bd_test_write(
		dir, "/var/lib/dpkg/status",
		"Package: p0\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: p1\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: p2\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: p3\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: p4\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: p5\nStatus: install ok installed\nVersion: 1\n"
		"Architecture: amd64\nMulti-Arch: same\n\n"
		"Package: p6\nStatus: install ok installed\nVersion: 1\n");
	for (i = 0; i < 5; i++) {
		snprintf(rel, sizeof(rel), "/var/lib/dpkg/info/p%zu.list", i);
		snprintf(lines, sizeof(lines),
			 "/usr/lib/libshared.so\n/usr/lib/libp%zu.so\n", i);
		sparse_list(dir, rel, lines, 15 << 20);
	}
	fifo(dir, "/var/lib/dpkg/info/p5:amd64.list");
	bd_test_write(dir, "/var/lib/dpkg/info/p5.list",
		      "/usr/lib/libshared.so\n/usr/lib/libp5.so\n");
	sparse_list(dir, "/var/lib/dpkg/info/p6.list", "/usr/lib/libp6.so\n",
		    17 << 20);
	bd_test_write(dir, "/var/lib/dpkg/status.d/a",
		      "Package: a\nVersion: 1\n");
	fifo(dir, "/var/lib/dpkg/status.d/a.md5sums");
	bd_test_write(dir, "/var/lib/dpkg/status.d/b",
		      "Package: b\nVersion: 1\n");
	bd_test_write(dir, "/var/lib/dpkg/status.d/b.md5sums",
		      "00  usr/lib/libp5.so\n00  usr/lib/libb.so\n");
	bd_test_write(dir, "/var/lib/dpkg/status.d/c",
		      "Package: c\nVersion: 1\n");
	sparse_list(dir, "/var/lib/dpkg/status.d/c.md5sums", "", 17 << 20);
}

/* Paths asked about, and the passes that ask (each about the first n). */
struct asked {
	const char *const *paths;
	size_t npaths;
	const size_t *passes;
	size_t npasses;
	size_t max_status_d; /* 0: the default */
};

/* A load of dir's root, whole or deferred with a's passes: its warnings
 * into msgs, the owners of a's paths into owners (package names, '-' for
 * none). */
static void load_owners(const char *dir, bool deferred, const struct asked *a,
			struct bd_buf *msgs, struct bd_buf *owners)
{
	struct bd_diag diag = { keep_line, msgs };
	const struct bd_package *p;
	struct bd_error err;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	bd_pkgdb_init(&db);
	db.defer_files = deferred;
	if (a->max_status_d)
		db.max_status_d = a->max_status_d;
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, &root, &diag, &err), 0);
	for (i = 0; deferred && i < a->npasses; i++)
		CU_ASSERT_EQUAL(bd_pkgdb_load_files(&db, &root, a->paths,
						    a->passes[i], &diag, &err),
				0);
	if (deferred)
		CU_ASSERT_EQUAL(bd_pkgdb_files_done(&db, &root, &diag, &err),
				0);
	for (i = 0; i < a->npaths; i++) {
		p = bd_pkgdb_owner(&db, a->paths[i]);
		bd_buf_printf(owners, "%s ", p ? p->name : "-");
	}
	bd_pkgdb_release(&db);
	bd_root_release(&root);
}

static void held_load(const char *dir, bool deferred, const size_t *passes,
		      size_t npasses, struct bd_buf *msgs,
		      struct bd_buf *owners)
{
	struct asked a = { HELD_PATHS, BD_ARRAY_SIZE(HELD_PATHS), passes,
			   npasses, 0 };

	load_owners(dir, deferred, &a, msgs, owners);
}

/*
 * Deferred, the lists are read as a whole load reads them: the same
 * warnings, once each, in the same order, whatever is asked later and in
 * how many passes (nothing, one, two), and the same owners for the names
 * asked about; past the lists it holds too (issue 13).
 */
static void test_dpkg_deferred_warnings(void)
{
	static const size_t one[] = { BD_ARRAY_SIZE(HELD_PATHS) },
			    two[] = { 2, BD_ARRAY_SIZE(HELD_PATHS) },
			    none[] = { 0 };
	struct bd_buf wmsgs = BD_BUF_INIT, wowners = BD_BUF_INIT;
	struct bd_buf msgs = BD_BUF_INIT, owners = BD_BUF_INIT;
	char dir[] = "/tmp/bd-dpkg-held-XXXXXX", cmd[64];
	const size_t *runs[] = { one, two, none };
	const size_t nruns[] = { 1, 2, 1 };
	size_t i, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	held_root(dir);
	held_load(dir, false, NULL, 0, &wmsgs, &wowners);
	CU_ASSERT_STRING_EQUAL(wowners.data, "p0 p0 p4 p5 b - ");
	/* the FIFOs, the first list over its cap, the count of the rest */
	for (i = 0, n = 0; i < wmsgs.len; i++)
		n += wmsgs.data[i] == '\n';
	CU_ASSERT_EQUAL(n, 4);
	for (i = 0; i < BD_ARRAY_SIZE(runs); i++) {
		bd_buf_reset(&msgs);
		bd_buf_reset(&owners);
		held_load(dir, true, runs[i], nruns[i], &msgs, &owners);
		CU_ASSERT_STRING_EQUAL(msgs.data, wmsgs.data);
		if (strcmp(msgs.data, wmsgs.data))
			fprintf(stderr, "\nwhole:\n%sdeferred (%zu):\n%s",
				wmsgs.data, i, msgs.data);
		if (runs[i] != none)
			CU_ASSERT_STRING_EQUAL(owners.data, wowners.data);
	}
	bd_buf_release(&wmsgs);
	bd_buf_release(&wowners);
	bd_buf_release(&msgs);
	bd_buf_release(&owners);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The lists' odd entries, each read as before their directory was
 * listed (issue 13): a link to a list elsewhere in the root, an absolute
 * one (resolved in the root), one that climbs out (stays in the root,
 * where there is nothing: not the host's file it names), a directory, and both
 * names of a package, one not Multi-Arch: same (its <pkg>.list read, as dpkg's
 * pkg_infodb_get_file names it; the qualified one was read first) and one
 * that is ("Same": any case, as dpkg's parse_nv). Whole and deferred loads
 * agree, and say the same warnings. */
static const char *const ODD_PATHS[] = {
	"/usr/lib/liba.so", "/usr/lib/libb.so", "/usr/lib/libc.so",
	"/usr/lib/libd.so", "/usr/lib/libe.so", "/usr/lib/libe2.so",
	"/usr/lib/libf.so", "/usr/lib/libf2.so"
};

static void odd_load(const char *dir, bool deferred, struct bd_buf *msgs,
		     struct bd_buf *owners)
{
	static const size_t passes[] = { 3, BD_ARRAY_SIZE(ODD_PATHS) };
	struct asked a = { ODD_PATHS, BD_ARRAY_SIZE(ODD_PATHS), passes,
			   BD_ARRAY_SIZE(passes), 0 };

	load_owners(dir, deferred, &a, msgs, owners);
}

static void test_dpkg_odd_lists(void)
{
	struct bd_buf wmsgs = BD_BUF_INIT, wowners = BD_BUF_INIT;
	struct bd_buf msgs = BD_BUF_INIT, owners = BD_BUF_INIT;
	char dir[] = "/tmp/bd-dpkg-odd-XXXXXX";
	const char *info = "/var/lib/dpkg/info";

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/etc' '%s/lists' '%s%s'", dir, dir,
		   dir, dir, info);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: b\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: c\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: d\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: e\nStatus: install ok installed\nVersion: 1\n"
		      "Architecture: amd64\n\n"
		      "Package: f\nStatus: install ok installed\nVersion: 1\n"
		      "Multi-Arch: Same\nArchitecture: amd64\n");
	bd_test_write(dir, "/lists/a", "/usr/lib/liba.so\n");
	bd_test_write(dir, "/etc/b", "/usr/lib/libb.so\n");
	/* c.list: from info, five ".." reach /tmp on the host, the root's
	 * "/" in the root. */
	bd_test_sh(
		"cd '%s%s' && ln -s ../../../../lists/a a.list && "
		"ln -s /etc/b b.list && ln -s '../../../../../%s-out' c.list "
		"&& mkdir d.list && echo /usr/lib/libc.so > '%s-out'",
		dir, info, dir + 5, dir);
	bd_test_write(dir, "/var/lib/dpkg/info/e:amd64.list",
		      "/usr/lib/libe.so\n");
	bd_test_write(dir, "/var/lib/dpkg/info/e.list", "/usr/lib/libe2.so\n");
	bd_test_write(dir, "/var/lib/dpkg/info/f:amd64.list",
		      "/usr/lib/libf.so\n");
	bd_test_write(dir, "/var/lib/dpkg/info/f.list", "/usr/lib/libf2.so\n");
	odd_load(dir, false, &wmsgs, &wowners);
	CU_ASSERT_STRING_EQUAL(wowners.data, "a b - - - e f - ");
	fprintf(stderr, "[%s] [%s]\n", wowners.data, wmsgs.data);
	CU_ASSERT_PTR_NOT_NULL(strstr(wmsgs.data, "d.list"));
	odd_load(dir, true, &msgs, &owners);
	CU_ASSERT_STRING_EQUAL(owners.data, wowners.data);
	CU_ASSERT_STRING_EQUAL(msgs.data, wmsgs.data);
	bd_buf_release(&wmsgs);
	bd_buf_release(&wowners);
	bd_buf_release(&msgs);
	bd_buf_release(&owners);
	bd_test_sh("rm -rf '%s' '%s-out'", dir, dir);
}

static const char *const NUL_PATHS[] = { "/usr/lib/libn.so",
					 "/usr/lib/libn2.so",
					 "/usr/lib/libp.so", "/usr/lib/libx" };

/* A list with a NUL in a line: the NUL ends its path, as in a C string
 * (the rest of the line is no path), and the lines after it are read; a
 * list with none beside it is read as always. Whole and deferred alike. */
static void test_dpkg_nul_in_lines(void)
{
	static const size_t passes[] = { BD_ARRAY_SIZE(NUL_PATHS) };
	struct asked a = { NUL_PATHS, BD_ARRAY_SIZE(NUL_PATHS), passes, 1, 0 };
	struct bd_buf msgs = BD_BUF_INIT, owners = BD_BUF_INIT;
	char dir[] = "/tmp/bd-dpkg-nul-XXXXXX";
	int deferred;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/var/lib/dpkg/info'", dir);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: n\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: p\nStatus: install ok installed\nVersion: 1\n");
	bd_test_sh("printf '/usr/lib/libn.so\\000/usr/lib/libx\\n"
		   "/usr/lib/libn2.so\\n' > '%s/var/lib/dpkg/info/n.list'",
		   dir);
	bd_test_write(dir, "/var/lib/dpkg/info/p.list", "/usr/lib/libp.so\n");
	for (deferred = 0; deferred < 2; deferred++) {
		load_owners(dir, deferred, &a, &msgs, &owners);
		CU_ASSERT_STRING_EQUAL(owners.data, "n n p - ");
		bd_buf_reset(&owners);
	}
	bd_buf_release(&msgs);
	bd_buf_release(&owners);
	bd_test_sh("rm -rf '%s'", dir);
}

/* Owned by dpkg's and apk's databases both: a file both list, a diverted
 * one (by a package that does not list it) and where it was diverted to;
 * a file diverted by a package dpkg does not have (apk's). */
static const char *const BOTH_PATHS[] = {
	"/usr/lib/libboth.so",	      "/usr/lib/libdiv.so",
	"/usr/lib/libdiv.so.distrib", "/usr/lib/libapk.so",
	"/usr/lib/libnone.so",
};

/*
 * A root with dpkg's and apk's databases: a whole load reads dpkg's
 * first, so its packages own what both list (and its diversions are
 * applied before apk's files, by dpkg's packages only); deferred, dpkg's
 * lines are looked at after apk's are owned, and must still come first.
 */
static void test_dpkg_deferred_before_apk(void)
{
	static const char *const dirs[] = {
		"/usr/",     "/usr/lib/",      "/var/",
		"/var/lib/", "/var/lib/dpkg/", "/var/lib/dpkg/info/",
		"/lib/",     "/lib/apk/",      "/lib/apk/db/",
	};
	char dir[] = "/tmp/bd-dpkg-apk-XXXXXX", cmd[64];
	const struct bd_package *p;
	struct bd_buf whole = BD_BUF_INIT, deferred = BD_BUF_INIT;
	struct bd_error err;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i, k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (i = 0; i < BD_ARRAY_SIZE(dirs); i++)
		bd_test_mk(dir, dirs[i], NULL);
	bd_test_write(
		dir, "/var/lib/dpkg/status",
		"Package: deb1\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: divdeb\nStatus: install ok installed\nVersion: 1\n");
	bd_test_write(dir, "/var/lib/dpkg/info/deb1.list",
		      "/usr/lib/libboth.so\n/usr/lib/libdiv.so\n");
	bd_test_write(dir, "/var/lib/dpkg/info/divdeb.list", "/usr/lib\n");
	bd_test_write(dir, "/var/lib/dpkg/diversions",
		      "/usr/lib/libdiv.so\n/usr/lib/libdiv.so.distrib\n"
		      "divdeb\n"
		      "/usr/lib/libnone.so\n/usr/lib/libnone.so.x\napk1\n");
	bd_test_write(dir, "/lib/apk/db/installed",
		      "P:apk1\nV:1\nF:usr/lib\nR:libboth.so\nR:libdiv.so\n"
		      "R:libdiv.so.distrib\nR:libapk.so\n");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	for (k = 0; k < 2; k++) {
		struct bd_buf *out = k ? &deferred : &whole;

		bd_pkgdb_init(&db);
		db.defer_files = k;
		CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, &root, NULL, &err), 0);
		CU_ASSERT_EQUAL(bd_pkgdb_load_files(&db, &root, BOTH_PATHS,
						    BD_ARRAY_SIZE(BOTH_PATHS),
						    NULL, &err),
				0);
		CU_ASSERT_EQUAL(bd_pkgdb_files_done(&db, &root, NULL, &err), 0);
		for (i = 0; i < BD_ARRAY_SIZE(BOTH_PATHS); i++) {
			p = bd_pkgdb_owner(&db, BOTH_PATHS[i]);
			bd_buf_printf(out, "%s ", p ? p->name : "-");
		}
		bd_pkgdb_release(&db);
	}
	/* libdiv.so: deb1's was moved aside, and divdeb does not list the
	 * path (dpkg -S names no package of dpkg's for it): apk1's. */
	CU_ASSERT_STRING_EQUAL(whole.data, "deb1 apk1 deb1 apk1 - ");
	CU_ASSERT_STRING_EQUAL(deferred.data, whole.data);
	bd_buf_release(&whole);
	bd_buf_release(&deferred);
	bd_root_release(&root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A list (origpkg's, or `name`) swapped by `swap` between a deferred
 * load's first pass (libfoo.so.1) and the second (tool, which origpkg
 * lists): who owns /usr/bin/tool after the second pass, which reads
 * origpkg's list again. */
static const struct bd_package *swap_between(const char *dir, const char *name,
					     void (*swap)(const char *list),
					     struct bd_pkgdb *db)
{
	const char *first[] = { "/usr/lib/x86_64-linux-gnu/libfoo.so.1" };
	const char *second[] = { "/usr/bin/tool" };
	char list[128];
	struct bd_error err;
	struct bd_root root;
	const struct bd_package *p;

	dpkg_root(dir);
	snprintf(list, sizeof(list), "%s/var/lib/dpkg/info/%s", dir, name);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	bd_pkgdb_init(db);
	db->defer_files = true;
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(db, &root, NULL, &err), 0);
	CU_ASSERT_EQUAL(bd_pkgdb_load_files(db, &root, first, 1, NULL, &err),
			0);
	unlink(list);
	swap(list);
	CU_ASSERT_EQUAL(bd_pkgdb_load_files(db, &root, second, 1, NULL, &err),
			0);
	CU_ASSERT_EQUAL(bd_pkgdb_files_done(db, &root, NULL, &err), 0);
	p = bd_pkgdb_owner(db, "/usr/bin/tool");
	bd_root_release(&root);
	return p;
}

static const struct bd_package *
after_swap(const char *dir, void (*swap)(const char *list), struct bd_pkgdb *db)
{
	return swap_between(dir, "origpkg.list", swap, db);
}

static void to_fifo(const char *list)
{
	CU_ASSERT_EQUAL(mkfifo(list, 0600), 0);
}

/* A link to a host file that lists the path: inside the root, an
 * absolute link means the root's own path, where nothing is. */
static const char OUTSIDE[] = "/tmp/bd-dpkg-again-outside.list";

static void to_link_out(const char *list)
{
	FILE *f = fopen(OUTSIDE, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("/usr/bin/tool\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(symlink(OUTSIDE, list), 0);
}

static void to_truncated(const char *list)
{
	FILE *f = fopen(list, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("/usr/bin/to", f);
	fclose(f);
}

/* 100,000 lines of invalid UTF-8 before the one that counts. */
static void to_long_invalid(const char *list)
{
	FILE *f = fopen(list, "w");
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (i = 0; i < 100000; i++)
		fputs("/usr/bin/\xff\xfe\xc0\n", f);
	fputs("/usr/bin/tool\n", f);
	fclose(f);
}

/* The second pass reads a dropped list again, confined and bounded as the
 * first read: a FIFO is not waited on, a link out of the root is not
 * followed, a list cut short or full of bytes that are no UTF-8 is read
 * for what it says. */
static void test_dpkg_deferred_read_again_hostile(void)
{
	static void (*const swaps[])(const char *) = { to_fifo, to_link_out,
						       to_truncated,
						       to_long_invalid };
	static const char *const owners[] = { NULL, NULL, NULL, "origpkg" };
	char dir[64], cmd[96];
	struct bd_pkgdb db;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(swaps); i++) {
		const struct bd_package *p;

		snprintf(dir, sizeof(dir), "/tmp/bd-dpkg-again-XXXXXX");
		CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
		p = after_swap(dir, swaps[i], &db);
		CU_ASSERT(owners[i] ? p && !strcmp(p->name, owners[i]) : !p);
		/* the first pass's answer stands */
		p = bd_pkgdb_owner(&db,
				   "/usr/lib/x86_64-linux-gnu/libfoo.so.1");
		CU_ASSERT(p && !strcmp(p->name, "libfoo1"));
		bd_pkgdb_release(&db);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CU_ASSERT_EQUAL(system(cmd), 0);
	}
	unlink(OUTSIDE);
}

static void to_listing_tool(const char *list)
{
	FILE *f = fopen(list, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("/usr/bin/tool\n", f);
	fclose(f);
}

/* A later pass reads again only the lists whose names, as the first pass
 * saw them, include one it asks about (issue 13: on `--root / /usr/bin`
 * two passes read all 983 lists again). libfoo1's, first in order and
 * changed after the first pass to list /usr/bin/tool, is not read again
 * for it: origpkg, whose list named tool, owns it. Reading every list
 * again, libfoo1 would. */
static void test_dpkg_read_again_only_named(void)
{
	char dir[] = "/tmp/bd-dpkg-named-XXXXXX", cmd[64];
	const struct bd_package *p;
	struct bd_pkgdb db;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	p = swap_between(dir, "libfoo1:amd64.list", to_listing_tool, &db);
	CU_ASSERT(p && !strcmp(p->name, "origpkg"));
	bd_pkgdb_release(&db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* dpkg's journal, var/lib/dpkg/updates/NNNN, read after status in name
 * order as dpkg's cleanupdates does (lib/dpkg/dbmodify.c): a stanza there
 * replaces the package's (a new version; not installed any more), or adds
 * one status has not; several in one file; not tmp.i (being written) nor
 * a name not all digits. A FIFO is one warning and the next is read; a
 * link out of the root is read inside it (nothing there). */
static const char *const JOURNAL_PATHS[] = {
	"/usr/lib/liba.so", "/usr/lib/libb.so", "/usr/lib/libc.so",
	"/usr/lib/libd.so", "/usr/lib/libe.so",
};

static void journal_owners(const char *dir, bool deferred, struct bd_buf *msgs,
			   struct bd_buf *owners)
{
	static const size_t passes[] = { BD_ARRAY_SIZE(JOURNAL_PATHS) };
	struct bd_diag diag = { keep_line, msgs };
	const struct bd_package *p;
	struct bd_error err;
	struct bd_root root;
	struct bd_pkgdb db;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, &err), 0);
	bd_pkgdb_init(&db);
	db.defer_files = deferred;
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, &root, &diag, &err), 0);
	if (deferred) {
		CU_ASSERT_EQUAL(bd_pkgdb_load_files(&db, &root, JOURNAL_PATHS,
						    passes[0], &diag, &err),
				0);
		CU_ASSERT_EQUAL(bd_pkgdb_files_done(&db, &root, &diag, &err),
				0);
	}
	for (i = 0; i < BD_ARRAY_SIZE(JOURNAL_PATHS); i++) {
		p = bd_pkgdb_owner(&db, JOURNAL_PATHS[i]);
		if (p)
			bd_buf_printf(owners, "%s@%s:%s ", p->name,
				      p->version ? p->version : "none",
				      strrchr(p->db, '/') + 1);
		else
			bd_buf_printf(owners, "- ");
	}
	bd_pkgdb_release(&db);
	bd_root_release(&root);
}

static size_t lines_in(const struct bd_buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

static void test_dpkg_updates_journal(void)
{
	static const char *const lists[] = { "a", "b", "c", "d", "e" };
	char dir[] = "/tmp/bd-dpkg-journal-XXXXXX", rel[64], line[64];
	const char *up = "/var/lib/dpkg/updates";
	struct bd_buf msgs = BD_BUF_INIT, owners = BD_BUF_INIT;
	size_t i;
	int deferred;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/var/lib/dpkg/info' '%s%s'", dir,
		   dir, dir, up);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: b\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: e\nStatus: install ok installed\nVersion: 1\n");
	for (i = 0; i < BD_ARRAY_SIZE(lists); i++) {
		snprintf(rel, sizeof(rel), "/var/lib/dpkg/info/%s.list",
			 lists[i]);
		snprintf(line, sizeof(line), "/usr/lib/lib%s.so\n", lists[i]);
		bd_test_write(dir, rel, line);
	}
	fifo(dir, "/var/lib/dpkg/updates/0001");
	bd_test_write(dir, "/var/lib/dpkg/updates/0002",
		      "Package: a\nStatus: install reinstreq half-installed\n"
		      "Version: 2\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/0003",
		      "Package: c\nStatus: install ok unpacked\nVersion: 3\n");
	bd_test_write(dir, "/outside",
		      "Package: b\nStatus: purge ok not-installed\n");
	bd_test_sh("ln -s '%s/outside' '%s%s/0004'", dir, dir, up);
	bd_test_write(dir, "/var/lib/dpkg/updates/0005",
		      "Package: d\nStatus: install ok half-configured\n"
		      "Version: 4\n\n"
		      "Package: e\nStatus: deinstall ok config-files\n"
		      "Version: 1\n\n"
		      "Package: b\nStatus: install ok installed\nVersion: 5\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/tmp.i",
		      "Package: a\nStatus: install ok installed\nVersion: 9\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/0006x",
		      "Package: a\nStatus: install ok installed\nVersion: 9\n");
	for (deferred = 0; deferred < 2; deferred++) {
		journal_owners(dir, deferred, &msgs, &owners);
		CU_ASSERT_STRING_EQUAL(
			bd_buf_str(&owners),
			"a@2:0002 b@5:0005 c@3:0003 d@4:0005 - ");
		CU_ASSERT_PTR_NOT_NULL(
			strstr(bd_buf_str(&msgs), "updates/0001'"));
		CU_ASSERT_EQUAL(lines_in(&msgs), 1);
		bd_buf_reset(&owners);
		bd_buf_reset(&msgs);
	}
	/* Names dpkg would refuse the database for: of two lengths, read in
	 * name order still, one warning; past 10 digits, not read. */
	bd_test_sh("rm -f '%s%s'/*", dir, up);
	bd_test_write(dir, "/var/lib/dpkg/updates/1",
		      "Package: a\nStatus: install ok installed\nVersion: 8\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/02",
		      "Package: a\nStatus: install ok installed\nVersion: 7\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/99999999999",
		      "Package: a\nStatus: install ok installed\nVersion: 6\n");
	journal_owners(dir, false, &msgs, &owners);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&owners),
			       "a@8:1 b@1:status - - e@1:status ");
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&msgs),
				      "'/var/lib/dpkg/updates': "
				      "journal file names"));
	CU_ASSERT_EQUAL(lines_in(&msgs), 1);
	/* A flooded journal: test_dpkg_updates_journal_bounded. */
	/* Hostile bytes: a version of invalid UTF-8, and a file cut short in
	 * its last stanza (no final newline, a field cut in its name). The
	 * bytes are kept as they are, for the purl builder to refuse with
	 * its warning (from_database); the stanza before the cut is read,
	 * and the cut one as far as it goes: installed with no Version,
	 * which dpkg refuses (pkg_parse_verify), so not taken, e's status
	 * stanza standing, one warning. So is an empty Version (c, new);
	 * a half-installed package may have none (d). */
	bd_test_sh("rm -f '%s%s'/*", dir, up);
	bd_test_write(dir, "/var/lib/dpkg/updates/0001",
		      "Package: a\nStatus: install ok installed\n"
		      "Version: 2\xff\xfe\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/0002",
		      "Package: b\nStatus: install ok installed\nVersion: 6\n"
		      "\nPackage: e\nStatus: install ok installed\nVers");
	bd_test_write(dir, "/var/lib/dpkg/updates/0003",
		      "Package: c\nStatus: install ok unpacked\nVersion: \n\n"
		      "Package: d\nStatus: install reinstreq half-installed\n");
	bd_buf_reset(&msgs);
	bd_buf_reset(&owners);
	journal_owners(dir, false, &msgs, &owners);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&owners),
			       "a@2\xff\xfe:0001 b@6:0002 - d@none:0003 "
			       "e@1:status ");
	CU_ASSERT_EQUAL(lines_in(&msgs), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&msgs),
				      "'/var/lib/dpkg/updates/0002': package "
				      "'e' is installed with no Version"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&msgs),
				      "'/var/lib/dpkg/updates/0003': package "
				      "'c' is installed with no Version"));
	bd_buf_release(&msgs);
	bd_buf_release(&owners);
	bd_test_sh("rm -rf '%s'", dir);
}

static bool digit_name(void *ctx, const struct dirent *de)
{
	size_t n = strspn(de->d_name, "0123456789");

	(void)ctx;
	return n && !de->d_name[n];
}

/* An installed stanza with no Version, which dpkg refuses (its whole
 * database: pkg_parse_verify's parse_must_have_field), is not taken, with
 * one warning naming the file and the package; the rest of the database
 * is read, and a package's stanza before it stands (e's, with no "given
 * twice"). A half-installed one may have none (c), a config-files one is
 * not installed anyway (f, no warning); a status.d paragraph (d) is
 * installed, and is refused likewise. */
static void test_dpkg_versionless_stanza(void)
{
	char dir[] = "/tmp/bd-dpkg-noversion-XXXXXX", rel[64], line[64];
	struct bd_buf msgs = BD_BUF_INIT, owners = BD_BUF_INIT;
	static const char *const lists[] = { "a", "b", "c", "e", "f" };
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/var/lib/dpkg/info' "
		   "'%s/var/lib/dpkg/status.d'",
		   dir, dir, dir);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: b\nStatus: install ok installed\n"
		      "Architecture: amd64\n\n"
		      "Package: c\nStatus: install reinstreq half-installed\n\n"
		      "Package: e\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: f\nStatus: deinstall ok config-files\n\n"
		      "Package: e\nStatus: install ok installed\n");
	for (i = 0; i < BD_ARRAY_SIZE(lists); i++) {
		snprintf(rel, sizeof(rel), "/var/lib/dpkg/info/%s.list",
			 lists[i]);
		snprintf(line, sizeof(line), "/usr/lib/lib%s.so\n", lists[i]);
		bd_test_write(dir, rel, line);
	}
	bd_test_write(dir, "/var/lib/dpkg/status.d/d", "Package: d\n");
	bd_test_write(dir, "/var/lib/dpkg/status.d/d.md5sums",
		      "00  usr/lib/libd.so\n");
	journal_owners(dir, false, &msgs, &owners);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&owners),
			       "a@1:status - c@none:status - e@1:status ");
	CU_ASSERT_EQUAL(lines_in(&msgs), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		bd_buf_str(&msgs),
		"0 '/var/lib/dpkg/status': package 'b:amd64' is installed "
		"with no Version, which dpkg refuses: not taken\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&msgs),
				      "'/var/lib/dpkg/status': package 'e' "
				      "is installed with no Version"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&msgs),
				      "'/var/lib/dpkg/status.d/d': package "
				      "'d' is installed with no Version"));
	bd_buf_release(&msgs);
	bd_buf_release(&owners);
	bd_test_sh("rm -rf '%s'", dir);
}

/* A journal flooded with 1,000 names that are not all digits (read by
 * no one: x00001's stanza not taken, no warning of names of two lengths)
 * and 20,000 that are: the first 10,000 in name order are read,
 * as when the whole listing was held and sorted (00001 to 10000; 10001's
 * later stanza is not), with one warning. Its listing, made as
 * load_updates makes it, holds at most 10,000 names at once, and one more
 * for a moment, where all 20,000 were held before the cut. */
static void test_dpkg_updates_journal_bounded(void)
{
	char dir[] = "/tmp/bd-dpkg-journal-XXXXXX", path[128], want[24];
	const char *up = "/var/lib/dpkg/updates";
	struct bd_buf msgs = BD_BUF_INIT, owners = BD_BUF_INIT;
	struct bd_dirnames names;
	bool same = true;
	size_t i;
	DIR *d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/var/lib/dpkg/info' '%s%s'", dir,
		   dir, dir, up);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		      "Package: e\nStatus: install ok installed\nVersion: 1\n");
	bd_test_write(dir, "/var/lib/dpkg/info/a.list", "/usr/lib/liba.so\n");
	bd_test_write(dir, "/var/lib/dpkg/info/b.list", "/usr/lib/libb.so\n");
	bd_test_write(dir, "/var/lib/dpkg/info/e.list", "/usr/lib/libe.so\n");
	bd_test_sh("cd '%s%s' && seq -f 'x%%05g' 1 1000 | xargs touch && "
		   "seq -f '%%05g' 20000 -1 1 | xargs touch",
		   dir, up);
	bd_test_write(dir, "/var/lib/dpkg/updates/00002",
		      "Package: b\nStatus: install ok unpacked\nVersion: 6\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/10000",
		      "Package: a\nStatus: install ok installed\nVersion: 5\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/10001",
		      "Package: a\nStatus: install ok installed\nVersion: 4\n");
	bd_test_write(dir, "/var/lib/dpkg/updates/x00001",
		      "Package: e\nStatus: install ok installed\nVersion: 9\n");
	journal_owners(dir, false, &msgs, &owners);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&owners),
			       "a@5:10000 b@6:00002 - - e@1:status ");
	CU_ASSERT_PTR_NOT_NULL(
		strstr(bd_buf_str(&msgs), "more than 10000 journal files"));
	CU_ASSERT_EQUAL(lines_in(&msgs), 1);
	snprintf(path, sizeof(path), "%s%s", dir, up);
	d = opendir(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	bd_dirnames_init(&names);
	CU_ASSERT_EQUAL(bd_dirnames_read(d, digit_name, NULL, 10000, &names),
			0);
	closedir(d);
	CU_ASSERT_EQUAL(names.kept, 20000);
	CU_ASSERT_EQUAL(names.n, 10000);
	CU_ASSERT(names.peak <= 10000 + 1);
	for (i = 0; i < names.n; i++) {
		snprintf(want, sizeof(want), "%05zu", i + 1);
		same = same && !strcmp(names.v[i], want);
	}
	CU_ASSERT_TRUE(same); /* 00001 to 10000, as sorting them all gave */
	bd_dirnames_release(&names);
	bd_buf_release(&msgs);
	bd_buf_release(&owners);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * A root laid out as postgresql-common and libpq-dev leave it: both list
 * /usr/bin/pg_config (libpq-dev first), postgresql-common diverts it to
 * /usr/bin/pg_config.libpq-dev; and libpq.so.5 diverted locally.
 */
static const char *const PG_PATHS[] = {
	"/usr/bin/pg_config",
	"/usr/bin/pg_config.libpq-dev",
	"/usr/lib/libpq.so.5",
	"/usr/lib/libpq.so.5.local",
};
static const char PG_DIVERSIONS[] =
	"/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\n"
	"postgresql-common\n"
	"/usr/lib/libpq.so.5\n/usr/lib/libpq.so.5.local\n:\n";
static const size_t PG_PASSES[] = { BD_ARRAY_SIZE(PG_PATHS) };
static const struct asked PG_ASKED = { PG_PATHS, BD_ARRAY_SIZE(PG_PATHS),
				       PG_PASSES, 1, 0 };
/* The owners of PG_PATHS with the diversions, and without them. */
static const char DIVERTED[] = "postgresql-common libpq-dev - libpq-dev ";
static const char UNDIVERTED[] = "libpq-dev - libpq-dev - ";

static void pg_root(const char *dir)
{
	bd_test_sh("mkdir -p '%s/usr/bin' '%s/usr/lib' '%s/var/lib/dpkg/info'",
		   dir, dir, dir);
	bd_test_write(dir, "/var/lib/dpkg/status",
		      "Package: libpq-dev\nStatus: install ok installed\n"
		      "Version: 15.14-0+deb12u1\nArchitecture: amd64\n\n"
		      "Package: postgresql-common\nStatus: install ok "
		      "installed\nVersion: 248\nArchitecture: all\n");
	bd_test_write(dir, "/var/lib/dpkg/info/libpq-dev.list",
		      "/usr/bin/pg_config\n/usr/lib/libpq.so.5\n");
	bd_test_write(dir, "/var/lib/dpkg/info/postgresql-common.list",
		      "/usr/bin/pg_config\n");
}

/* The owners of a's paths and the warnings of dir's root (warning: the
 * one, or NULL for none), the same whole and deferred. */
static void check_owners(const char *dir, const struct asked *a,
			 const char *owners, const char *warning)
{
	struct bd_buf msgs[2] = { BD_BUF_INIT, BD_BUF_INIT };
	struct bd_buf got[2] = { BD_BUF_INIT, BD_BUF_INIT };
	size_t i, lines;

	for (i = 0; i < 2; i++) {
		load_owners(dir, i == 1, a, &msgs[i], &got[i]);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&got[i]), owners);
		if (strcmp(bd_buf_str(&got[i]), owners))
			fprintf(stderr, "\n%s: %s\n", i ? "deferred" : "whole",
				bd_buf_str(&got[i]));
	}
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&msgs[0]), bd_buf_str(&msgs[1]));
	for (i = lines = 0; i < msgs[0].len; i++)
		lines += msgs[0].data[i] == '\n';
	CU_ASSERT_EQUAL(lines, warning ? 1 : 0);
	CU_ASSERT(!warning || strstr(bd_buf_str(&msgs[0]), warning));
	if (warning && !strstr(bd_buf_str(&msgs[0]), warning))
		fprintf(stderr, "\nwarned: %s\n", bd_buf_str(&msgs[0]));
	for (i = 0; i < 2; i++) {
		bd_buf_release(&msgs[i]);
		bd_buf_release(&got[i]);
	}
}

static void check_pg_owners(const char *dir, const char *owners,
			    const char *warning)
{
	check_owners(dir, &PG_ASKED, owners, warning);
}

/* What a package lists at a diverted path is where dpkg installed it: the
 * diverting package's own file stays, the others' are at the path it
 * diverts to (every package's, for a local diversion), as dpkg -S says. */
static void test_divert_owners(void)
{
	char dir[] = "/tmp/bd-divert-XXXXXX";

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	pg_root(dir);
	check_pg_owners(dir, UNDIVERTED, NULL);
	bd_test_write(dir, "/var/lib/dpkg/diversions", PG_DIVERSIONS);
	check_pg_owners(dir, DIVERTED, NULL);
	/* the package named in any case, as dpkg finds it */
	bd_test_write(dir, "/var/lib/dpkg/diversions",
		      "/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\n"
		      "PostgreSQL-Common\n"
		      "/usr/lib/libpq.so.5\n/usr/lib/libpq.so.5.local\n:\n");
	check_pg_owners(dir, DIVERTED, NULL);
	/* written without their leading '/': dpkg reads them so too */
	bd_test_write(dir, "/var/lib/dpkg/diversions",
		      "usr/bin/pg_config\n./usr/bin/pg_config.libpq-dev\n"
		      "postgresql-common\n"
		      "//usr/lib/libpq.so.5\n/usr/lib/libpq.so.5.local\n:\n");
	check_pg_owners(dir, DIVERTED,
			"'/var/lib/dpkg/diversions': diversion 1 (line 1): a "
			"path not absolute, read from '/' as dpkg reads it\n");
	bd_test_sh("rm -rf '%s'", dir);
}

/* A hostile diversions file: one warning naming it, and the rest of the
 * database used, whole or deferred. Bad records among good ones leave the
 * good ones; a file that cannot be read (a FIFO, over its cap), or a
 * link out of the root (read inside it, where there is none), leave the
 * lists as they are. */
static void test_divert_hostile_file(void)
{
	char dir[] = "/tmp/bd-divert-XXXXXX",
	     out[] = "/tmp/bd-divert-out-XXXXXX";
	const char *div = "/var/lib/dpkg/diversions";
	struct bd_buf text = BD_BUF_INIT;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(out));
	pg_root(dir);
	bd_buf_printf(&text,
		      "/usr/bin/pg_config\n/usr/bin/pg_config\nx\n"
		      "/usr/bin/a\n\xff\nx\n%s"
		      "/usr/bin/pg_config\n/usr/bin/b\nx\n/usr/bin/c\n",
		      PG_DIVERSIONS);
	bd_test_write(dir, div, bd_buf_str(&text));
	check_pg_owners(dir, DIVERTED,
			"'/var/lib/dpkg/diversions': diversion 1 (line 1): a "
			"path diverted to itself, not taken (and 3 more "
			"problems)\n");
	bd_test_sh("rm '%s%s' && mkfifo '%s%s'", dir, div, dir, div);
	check_pg_owners(dir, UNDIVERTED, "'/var/lib/dpkg/diversions': ");
	bd_test_sh("rm '%s%s' && truncate -s 65M '%s%s'", dir, div, dir, div);
	check_pg_owners(dir, UNDIVERTED,
			"'/var/lib/dpkg/diversions': larger than 64 MiB, "
			"skipping\n");
	bd_test_write(out, "/diversions", PG_DIVERSIONS);
	bd_test_sh("rm '%s%s' && ln -s '%s/diversions' '%s%s'", dir, div, out,
		   dir, div);
	check_pg_owners(dir, UNDIVERTED, NULL);
	bd_test_sh("rm '%s%s' && ln -s ../../../../../../../..%s/diversions "
		   "'%s%s'",
		   dir, div, out, dir, div);
	check_pg_owners(dir, UNDIVERTED, NULL);
	bd_buf_release(&text);
	bd_test_sh("rm -rf '%s' '%s'", dir, out);
}

/*
 * Diversions of paths no list names cost nothing of the lists' budget:
 * 400 records of 1,000-byte paths in directories of their own, which a
 * load resolving each diverted path's directory spent 16 MiB of
 * directories on (every package's file then owned by none), and, through
 * links, seconds of lstat. The records still count: pg_config's stays.
 */
static void test_divert_unlisted_paths_cost_nothing(void)
{
	char dir[] = "/tmp/bd-divert-XXXXXX";
	struct bd_buf text = BD_BUF_INIT;
	size_t i, k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	pg_root(dir);
	for (i = 0; i < 400; i++) {
		bd_buf_printf(&text, "/d%03zu", i);
		for (k = 0; k < 124; k++)
			bd_buf_adds(&text, "/xxxxxxx");
		bd_buf_printf(&text, "/f\n/g%03zu\np\n", i);
	}
	bd_buf_adds(&text, PG_DIVERSIONS);
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	bd_test_write(dir, "/var/lib/dpkg/diversions", bd_buf_str(&text));
	check_pg_owners(dir, DIVERTED, NULL);
	bd_buf_release(&text);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * A distroless status.d/'s packages were unpacked by an image builder,
 * not by dpkg: no diversion moved their files, which are where their
 * .md5sums list them. A diversions file beside them (three lines a
 * crafted image adds) leaves pg_config libpq-dev's, the first to list it,
 * and pg_config.libpq-dev nobody's, whole and deferred.
 */
static void test_divert_not_status_d(void)
{
	char dir[] = "/tmp/bd-divert-XXXXXX";

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/bin' '%s/usr/lib' "
		   "'%s/var/lib/dpkg/status.d'",
		   dir, dir, dir);
	bd_test_write(dir, "/var/lib/dpkg/status.d/libpq-dev",
		      "Package: libpq-dev\nVersion: 15.14-0+deb12u1\n"
		      "Architecture: amd64\n");
	bd_test_write(dir, "/var/lib/dpkg/status.d/libpq-dev.md5sums",
		      "00  usr/bin/pg_config\n00  usr/lib/libpq.so.5\n");
	bd_test_write(dir, "/var/lib/dpkg/status.d/postgresql-common",
		      "Package: postgresql-common\nVersion: 248\n"
		      "Architecture: all\n");
	bd_test_write(dir, "/var/lib/dpkg/status.d/postgresql-common.md5sums",
		      "00  usr/bin/pg_config\n");
	check_pg_owners(dir, UNDIVERTED, NULL);
	bd_test_write(dir, "/var/lib/dpkg/diversions", PG_DIVERSIONS);
	check_pg_owners(dir, UNDIVERTED, NULL);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * A list's lines are the paths dpkg keys them by (dpkg-query --search
 * says each of these so): one trailing '/' dropped, leading '/' and "./"
 * skipped and one '/' put back. "//usr/lib/libb.so", "usr/lib/libc.so"
 * and "./usr/lib/libf.so" are files of their packages, "/./usr/lib/libd.so"
 * is diverted; "/usr/lib/libe.so//" is "/usr/lib/libe.so/", no file.
 */
static const char *const KEYED_PATHS[] = {
	"/usr/lib/liba.so", "/usr/lib/libb.so",	      "/usr/lib/libc.so",
	"/usr/lib/libd.so", "/usr/lib/libd.so.moved", "/usr/lib/libe.so",
	"/usr/lib/libf.so",
};

static void test_dpkg_list_lines_keyed_as_dpkg(void)
{
	static const size_t passes[] = { BD_ARRAY_SIZE(KEYED_PATHS) };
	static const char *const lines[][2] = {
		{ "a", "/usr/lib/liba.so/\n" },
		{ "b", "//usr/lib/libb.so\n" },
		{ "c", "usr/lib/libc.so\n" },
		{ "d", "/./usr/lib/libd.so\n" },
		{ "e", "/usr/lib/libe.so//\n" },
		{ "f", "./usr/lib/libf.so\n" },
	};
	const struct asked a = { KEYED_PATHS, BD_ARRAY_SIZE(KEYED_PATHS),
				 passes, 1, 0 };
	char dir[] = "/tmp/bd-dpkg-keyed-XXXXXX", rel[64];
	struct bd_buf status = BD_BUF_INIT;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/var/lib/dpkg/info'", dir, dir);
	for (i = 0; i < BD_ARRAY_SIZE(lines); i++) {
		bd_buf_printf(&status,
			      "Package: %s\nStatus: install ok installed\n"
			      "Version: 1\n\n",
			      lines[i][0]);
		snprintf(rel, sizeof(rel), "/var/lib/dpkg/info/%s.list",
			 lines[i][0]);
		bd_test_write(dir, rel, lines[i][1]);
	}
	bd_test_write(dir, "/var/lib/dpkg/status", bd_buf_str(&status));
	bd_test_write(dir, "/var/lib/dpkg/diversions",
		      "/usr/lib/libd.so\n/usr/lib/libd.so.moved\n:\n");
	check_owners(dir, &a, "a b c - d - f ", NULL);
	bd_buf_release(&status);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * A distroless status.d/'s .md5sums lines name their files as dpkg keys
 * an md5sums file's (parse_filehash_buffer: one trailing '/' dropped, then
 * fsys_hash_find_node), which dpkg --verify checks alike: "/usr/lib/liba.so"
 * (absolute, as syft takes it too), "usr/lib/libb.so", "./usr/lib/libc.so"
 * and "usr/lib/libd.so/" are /usr/lib/lib?.so, whole and deferred.
 */
static const char *const MD5_PATHS[] = {
	"/usr/lib/liba.so",
	"/usr/lib/libb.so",
	"/usr/lib/libc.so",
	"/usr/lib/libd.so",
};

static void test_dpkg_md5sums_keyed_as_dpkg(void)
{
	static const size_t passes[] = { BD_ARRAY_SIZE(MD5_PATHS) };
	const struct asked a = { MD5_PATHS, BD_ARRAY_SIZE(MD5_PATHS), passes, 1,
				 0 };
	char dir[] = "/tmp/bd-dpkg-md5-XXXXXX";

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/var/lib/dpkg/status.d'", dir,
		   dir);
	bd_test_write(dir, "/var/lib/dpkg/status.d/s",
		      "Package: s\nVersion: 1\n");
	bd_test_write(dir, "/var/lib/dpkg/status.d/s.md5sums",
		      "00  /usr/lib/liba.so\n00  usr/lib/libb.so\n"
		      "00  ./usr/lib/libc.so\n00  usr/lib/libd.so/\n");
	check_owners(dir, &a, "s s s s ", NULL);
	bd_test_sh("rm -rf '%s'", dir);
}

/* A distroless status.d/ of more entries than db->max_status_d: the
 * first in name order are read (a paragraph's .md5sums with it), with
 * one warning; whole and deferred loads agree. */
static const char *const STATUS_D_PATHS[] = {
	"/usr/lib/liba.so",
	"/usr/lib/libb.so",
	"/usr/lib/libc.so",
	"/usr/lib/libd.so",
};

static void status_d_owners(const char *dir, bool deferred, size_t max,
			    struct bd_buf *msgs, struct bd_buf *owners)
{
	static const size_t passes[] = { BD_ARRAY_SIZE(STATUS_D_PATHS) };
	const struct asked a = { STATUS_D_PATHS, BD_ARRAY_SIZE(STATUS_D_PATHS),
				 passes, 1, max };

	load_owners(dir, deferred, &a, msgs, owners);
}

static void test_dpkg_status_d_bounded(void)
{
	char dir[] = "/tmp/bd-dpkg-status-d-XXXXXX", rel[64], text[64];
	struct bd_buf msgs = BD_BUF_INIT, owners = BD_BUF_INIT;
	struct bd_buf dmsgs = BD_BUF_INIT, downers = BD_BUF_INIT;
	struct bd_pkgdb db;
	const char *c;

	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL(db.max_status_d, 2 * BD_PKGDB_MAX_PACKAGES);
	bd_pkgdb_release(&db);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/usr/lib' '%s/var/lib/dpkg/status.d'", dir,
		   dir);
	for (c = "dcba"; *c; c++) {
		snprintf(rel, sizeof(rel), "/var/lib/dpkg/status.d/%c", *c);
		snprintf(text, sizeof(text), "Package: %c\nVersion: 1\n", *c);
		bd_test_write(dir, rel, text);
		snprintf(rel, sizeof(rel), "/var/lib/dpkg/status.d/%c.md5sums",
			 *c);
		snprintf(text, sizeof(text), "0  usr/lib/lib%c.so\n", *c);
		bd_test_write(dir, rel, text);
	}
	/* hidden: no entry */
	bd_test_write(dir, "/var/lib/dpkg/status.d/.0", "Package: z\n");
	status_d_owners(dir, false, 8, &msgs, &owners);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&owners), "a b c d ");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&msgs), "");
	bd_buf_reset(&owners);
	status_d_owners(dir, false, 5, &msgs, &owners);
	/* a, a.md5sums, b, b.md5sums, c: c's paragraph read, and its
	 * .md5sums with it */
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&owners), "a b c - ");
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&msgs),
		"0 '/var/lib/dpkg/status.d': more than 5 entries (one "
		"package's paragraph and its .md5sums are two), the rest not "
		"read\n");
	status_d_owners(dir, true, 5, &dmsgs, &downers);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&downers), bd_buf_str(&owners));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&dmsgs), bd_buf_str(&msgs));
	bd_buf_release(&msgs);
	bd_buf_release(&owners);
	bd_buf_release(&dmsgs);
	bd_buf_release(&downers);
	bd_test_sh("rm -rf '%s'", dir);
}

/* Debian's short names (copyright-format 1.0, "License specification")
 * and their combinations as SPDX expressions; those with none refused. */
static void test_dpkg_license_short_names(void)
{
	static const char *const map[][2] = {
		{ "GPL-2", "GPL-2.0-only" },
		{ "GPL-2+", "GPL-2.0-or-later" },
		{ "GPL-1+", "GPL-1.0-or-later" },
		{ "GPL-3", "GPL-3.0-only" },
		{ "LGPL-2", "LGPL-2.0-only" },
		{ "LGPL-2.1+", "LGPL-2.1-or-later" },
		{ "LGPL-3", "LGPL-3.0-only" },
		{ "AGPL-3+", "AGPL-3.0-or-later" },
		{ "GFDL-1.3+", "GFDL-1.3-or-later" },
		{ "Expat", "MIT" },
		{ "expat", "MIT" },
		{ "BSD-2-clause", "BSD-2-Clause" },
		{ "BSD-3-clause", "BSD-3-Clause" },
		{ "BSD-4-clause", "BSD-4-Clause" },
		{ "Artistic", "Artistic-1.0" },
		{ "Artistic-2.0", "Artistic-2.0" },
		{ "Apache-2.0", "Apache-2.0" },
		{ "CC0-1.0", "CC0-1.0" },
		{ "MPL-1.1", "MPL-1.1" },
		{ "MPL-2.0", "MPL-2.0" },
		{ "zlib", "Zlib" },
		{ "ISC", "ISC" },
		{ "X11", "X11" },
		{ "Python-2.0", "Python-2.0" },
		{ "OpenSSL", "OpenSSL" },
		{ "Zope-2.1", "ZPL-2.1" },
		{ "Perl", "Artistic-1.0-Perl OR GPL-1.0-or-later" },
		{ "  GPL-2+  ", "GPL-2.0-or-later" },
		{ "LGPL-2.1+ or MPL-1.1", "LGPL-2.1-or-later OR MPL-1.1" },
		{ "GPL-2+ and BSD-3-clause",
		  "GPL-2.0-or-later AND BSD-3-Clause" },
		{ "Perl or Expat",
		  "(Artistic-1.0-Perl OR GPL-1.0-or-later) OR MIT" },
		{ "GPL-2 or GPL-3, and Expat",
		  "(GPL-2.0-only OR GPL-3.0-only) AND MIT" },
		{ "GPL-2+ with Font exception",
		  "GPL-2.0-or-later WITH Font-exception-2.0" },
		{ "GPL-2 with Classpath exception",
		  "GPL-2.0-only WITH Classpath-exception-2.0" },
	};
	static const char *const bad[] = {
		"public-domain",
		"GPL-2+ with OpenSSL exception", /* no SPDX exception */
		"GPL-2+ with exception",
		"GPL-2+ with Font",
		"GPL",
		"GPL-2.x",
		"BSD",
		"permissive",
		"MIT or",
		"(MIT)",
		"",
		"MIT\x1b[31m",
		"LicenseRef-x",
		"GPL-2+ or public-domain",
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(map); i++) {
		struct bd_buf b = BD_BUF_INIT;

		CU_ASSERT_TRUE(
			bd_dpkg_license_spdx(map[i][0], strlen(map[i][0]), &b));
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), map[i][1]);
		bd_buf_release(&b);
	}
	for (i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		struct bd_buf b = BD_BUF_INIT;

		CU_ASSERT_FALSE(
			bd_dpkg_license_spdx(bad[i], strlen(bad[i]), &b));
		CU_ASSERT_EQUAL(b.len, 0);
		bd_buf_release(&b);
	}
}

/* The copyright file: the format's first paragraph or nothing; Files
 * and header paragraphs' licences, sorted, distinct, ANDed. */
static void test_dpkg_copyright_parse(void)
{
	static const char *const cases[][3] = {
		{ "Format: https://www.debian.org/doc/packaging-manuals/"
		  "copyright-format/1.0/\n\nFiles: *\nLicense: MIT\n"
		  "\nFiles: a\nLicense: GPL-2+\n\nFiles: b\nLicense: Expat\n",
		  "GPL-2.0-or-later AND MIT", "" },
		/* no newline at the end; CRLF lines */
		{ "Format: http://www.debian.org/doc/packaging-manuals/"
		  "copyright-format/1.0\r\n\r\nFiles: *\r\nLicense: Zlib\r\n"
		  "Copyright: x",
		  "Zlib", "" },
		/* a standalone License paragraph defines a text */
		{ "Format: https://www.debian.org/doc/packaging-manuals/"
		  "copyright-format/1.0/\n\nFiles: *\nLicense: ISC\n  text\n"
		  "\nLicense: GPL-3\n text\n",
		  "ISC", "" },
		{ "Format: https://www.debian.org/doc/packaging-manuals/"
		  "copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2+ with "
		  "OpenSSL exception\n\nFiles: x\nLicense: public-domain\n",
		  "", "(GPL-2+ with OpenSSL exception) AND public-domain" },
		/* not the format: nothing */
		{ "Format: https://example.org/copyright-format/1.0/\n\n"
		  "Files: *\nLicense: MIT\n",
		  "", "" },
		{ "Files: *\nLicense: MIT\n", "", "" },
		{ "Copyright (c) someone\n\nLicense: MIT\n", "", "" },
		{ "", "", "" },
		{ "\n\n\n", "", "" },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(cases); i++) {
		struct bd_buf l = BD_BUF_INIT, t = BD_BUF_INIT;

		CU_ASSERT_EQUAL(bd_dpkg_copyright_parse(cases[i][0],
							strlen(cases[i][0]), &l,
							&t),
				0);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&l), cases[i][1]);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&t), cases[i][2]);
		bd_buf_release(&l);
		bd_buf_release(&t);
	}
}

void bd_test_register_pkgdb(void)
{
	BD_SUITE("pkgdb", BD_TEST(test_status_paragraphs),
		 BD_TEST(test_status_states), BD_TEST(test_status_deb822),
		 BD_TEST(test_status_field_names), BD_TEST(test_name_summary),
		 BD_TEST(test_own_and_owner), BD_TEST(test_rpm_header),
		 BD_TEST(test_rpm_header_costly),
		 BD_TEST(test_rpm_header_malformed),
		 BD_TEST(test_rpm_header_paths_cap),
		 BD_TEST(test_apk_path_caps), BD_TEST(test_apk_spec),
		 BD_TEST(test_dir_text_capped),
		 BD_TEST(test_dir_cap_outside_texts), BD_TEST(test_os_release),
		 BD_TEST(test_dpkg_stanza_twice), BD_TEST(test_long_name_twice),
		 BD_TEST(test_dpkg_versions_as_dpkg_query),
		 BD_TEST(test_budget_and_package_cap),
		 BD_TEST(test_dirs_from_parents),
		 BD_TEST(test_dpkg_hostile_list_linear),
		 BD_TEST(test_dpkg_lookups_cut_not_kept),
		 BD_TEST(test_apk_lookups_bounded),
		 BD_TEST(test_lookups_base_shared),
		 BD_TEST(test_rpm_lookups_bounded),
		 BD_TEST(test_dpkg_hostile_list_share),
		 BD_TEST(test_dpkg_hostile_lists_share),
		 BD_TEST(test_apk_hostile_packages_share),
		 BD_TEST(test_rpm_hostile_headers_share),
		 BD_TEST(test_rpm_lookups_floors_capped),
		 BD_TEST(test_dpkg_lookups_floors_capped),
		 BD_TEST(test_apk_lookups_floors_capped),
		 BD_TEST(test_dpkg_diversions_metered),
		 BD_TEST(test_dpkg_warnings_inside_apk),
		 BD_TEST(test_dpkg_root_owners),
		 BD_TEST(test_dpkg_deferred_owners),
		 BD_TEST(test_dpkg_deferred_warnings),
		 BD_TEST(test_dpkg_odd_lists), BD_TEST(test_dpkg_nul_in_lines),
		 BD_TEST(test_dpkg_updates_journal),
		 BD_TEST(test_dpkg_updates_journal_bounded),
		 BD_TEST(test_dpkg_status_d_bounded),
		 BD_TEST(test_divert_owners), BD_TEST(test_divert_hostile_file),
		 BD_TEST(test_divert_unlisted_paths_cost_nothing),
		 BD_TEST(test_dpkg_list_lines_keyed_as_dpkg),
		 BD_TEST(test_divert_not_status_d),
		 BD_TEST(test_dpkg_md5sums_keyed_as_dpkg),
		 BD_TEST(test_dpkg_versionless_stanza),
		 BD_TEST(test_dpkg_deferred_before_apk),
		 BD_TEST(test_dpkg_deferred_read_again_hostile),
		 BD_TEST(test_dpkg_read_again_only_named),
		 BD_TEST(test_dpkg_license_short_names),
		 BD_TEST(test_dpkg_copyright_parse));
}
