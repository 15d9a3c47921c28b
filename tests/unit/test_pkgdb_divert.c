/* SPDX-License-Identifier: MIT */
/* dpkg's diversions file: its records, and what a hostile one leaves. */
#include "unit.h"
#include "bindep/pkgdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char DIV_FILE[] = "/var/lib/dpkg/diversions";

/* The diversions of text (len bytes; strlen when 0), parsed with max. */
static void parse(struct bd_dpkg_diversions *d, const char *text, size_t len,
		  size_t max)
{
	bd_dpkg_diversions_init(d);
	CU_ASSERT_EQUAL_FATAL(bd_dpkg_parse_diversions(
				      d, text, len ? len : strlen(text), max),
			      0);
}

/* Its warning, "" for none (a static buffer). */
static const char *said(const struct bd_dpkg_diversions *d)
{
	static char line[512];
	struct bd_buf msg = BD_BUF_INIT;

	line[0] = '\0';
	if (bd_dpkg_diversions_problem(d, DIV_FILE, &msg))
		snprintf(line, sizeof(line), "%s", bd_buf_str(&msg));
	bd_buf_release(&msg);
	return line;
}

/* The records as dpkg-divert writes them: a package's, a local one. A
 * diversion is found by its diverted path only, whole. */
static void test_divert_records(void)
{
	static const char text[] =
		"/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\n"
		"postgresql-common\n"
		"/usr/bin/local\n/usr/bin/local.orig\n:\n";
	const struct bd_dpkg_diversion *v;
	struct bd_dpkg_diversions d;

	parse(&d, text, 0, BD_DPKG_MAX_DIVERSIONS);
	CU_ASSERT_EQUAL(d.n, 2);
	CU_ASSERT_EQUAL(d.problems, 0);
	CU_ASSERT_STRING_EQUAL(said(&d), "");
	v = bd_dpkg_diverted(&d, "/usr/bin/pg_config", 18);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->to, "/usr/bin/pg_config.libpq-dev");
	CU_ASSERT_STRING_EQUAL(v->by, "postgresql-common");
	/* a path given by its length, inside a longer one */
	v = bd_dpkg_diverted(&d, "/usr/bin/local.orig", 14);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NULL(v->by);
	CU_ASSERT_STRING_EQUAL(v->to, "/usr/bin/local.orig");
	CU_ASSERT_PTR_NULL(
		bd_dpkg_diverted(&d, "/usr/bin/pg_config.libpq-dev", 28));
	CU_ASSERT_PTR_NULL(bd_dpkg_diverted(&d, "/usr/bin/pg_confi", 17));
	CU_ASSERT_PTR_NULL(bd_dpkg_diverted(&d, "/usr/bin/local.orig", 19));
	bd_dpkg_diversions_release(&d);
	parse(&d, "", 0, BD_DPKG_MAX_DIVERSIONS);
	CU_ASSERT_EQUAL(d.n, 0);
	CU_ASSERT_PTR_NULL(bd_dpkg_diverted(&d, "/x", 2));
	bd_dpkg_diversions_release(&d);
}

/* Paths as dpkg's file name table keys them: leading '/' and "./" skipped,
 * one '/' put back. One not absolute, which dpkg-divert never writes, is
 * read so (said once, taken). */
static void test_divert_paths_as_dpkg_keys_them(void)
{
	static const char text[] = "//usr/bin/a\n/./usr/bin/a.x\np\n"
				   "usr/bin/b\n./usr/bin/b.x\np\n"
				   "/.\n/./x\nq\n";
	const struct bd_dpkg_diversion *v;
	struct bd_dpkg_diversions d;

	parse(&d, text, 0, BD_DPKG_MAX_DIVERSIONS);
	CU_ASSERT_EQUAL_FATAL(d.n, 3);
	CU_ASSERT_STRING_EQUAL(d.v[0].from, "/usr/bin/a");
	CU_ASSERT_STRING_EQUAL(d.v[0].to, "/usr/bin/a.x");
	CU_ASSERT_STRING_EQUAL(d.v[1].from, "/usr/bin/b");
	CU_ASSERT_STRING_EQUAL(d.v[1].to, "/usr/bin/b.x");
	CU_ASSERT_STRING_EQUAL(d.v[2].from, "/.");
	CU_ASSERT_STRING_EQUAL(d.v[2].to, "/x");
	v = bd_dpkg_diverted(&d, "/usr/bin/b", 10);
	CU_ASSERT(v == &d.v[1]);
	CU_ASSERT_STRING_EQUAL(
		said(&d), "'/var/lib/dpkg/diversions': diversion 2 (line 4): "
			  "a path not absolute, read from '/' as dpkg reads "
			  "it");
	bd_dpkg_diversions_release(&d);
}

/* A line of 1022 bytes, the longest dpkg reads, then one of 1023. */
static void test_divert_line_lengths(void)
{
	char text[2 * 1024 + 64], path[1024];
	struct bd_dpkg_diversions d;

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	snprintf(text, sizeof(text), "%.1022s\n/b\np\n%.1023s\n/c\nq\n", path,
		 path);
	parse(&d, text, 0, BD_DPKG_MAX_DIVERSIONS);
	CU_ASSERT_EQUAL(d.n, 1);
	CU_ASSERT_EQUAL(strlen(d.v[0].from), 1022);
	CU_ASSERT_STRING_EQUAL(said(&d),
			       "'/var/lib/dpkg/diversions': diversion 2 (line "
			       "4): a line longer than 1022 bytes, which dpkg "
			       "refuses, not taken");
	bd_dpkg_diversions_release(&d);
}

/*
 * One hostile record after a good one, and a good one after it (when the
 * text goes on): the hostile one is not taken, the others are, and the
 * one warning names the file, the record, its first line and the problem.
 */
#define WITH_NUL(text) text, sizeof(text) - 1

static const struct {
	const char *text;
	size_t len; /* 0: strlen */
	size_t taken;
	const char *why;
} HOSTILE[] = {
	{ "/a\n/b\np\n/c\n/d\n", 0, 1,
	  "diversion 2 (line 4): the file ends after its second line" },
	{ "/a\n/b\np\n/c\n", 0, 1,
	  "diversion 2 (line 4): the file ends after its first line" },
	{ "/a\n/b\np\n\n", 0, 1,
	  "diversion 2 (line 4): the file ends after its first line" },
	{ "/a\n/b\np\n/c\n/d\nq", 0, 1,
	  "diversion 2 (line 4): its last line has no newline" },
	{ "/a\n/b\np\n\n/d\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): its diverted path is empty or '/'" },
	{ "/a\n/b\np\n/\n/d\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): its diverted path is empty or '/'" },
	{ "/a\n/b\np\n/c\n./\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): the path it diverts to is empty or '/'" },
	{ "/a\n/b\np\n/c\n/d\n\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): no diverting package" },
	{ WITH_NUL("/a\n/b\np\n/c\0x\n/d\nq\n/e\n/f\nr\n"), 2,
	  "diversion 2 (line 4): a NUL byte in a line" },
	{ WITH_NUL("/a\n/b\np\n/c\n/d\nq\0\n/e\n/f\nr\n"), 2,
	  "diversion 2 (line 4): a NUL byte in a line" },
	{ "/a\n/b\np\n/c\xff\n/d\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a line that is not UTF-8 text" },
	{ "/a\n/b\np\n/c\n/d\nq\xc3\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a line that is not UTF-8 text" },
	{ "/a\n/b\np\n/c\n/c\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a path diverted to itself" },
	{ "/a\n/b\np\n/c\nc\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a path diverted to itself" },
	/* conflicting: a path diverted twice, or to twice, or both */
	{ "/a\n/b\np\n/a\n/d\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a path of an earlier diversion too" },
	{ "/a\n/b\np\n/c\n/b\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a path of an earlier diversion too" },
	{ "/a\n/b\np\n/b\n/d\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a path of an earlier diversion too" },
	{ "/a\n/b\np\n/c\n/a\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a path of an earlier diversion too" },
	{ "/a\n/b\np\n/c\na\nq\n/e\n/f\nr\n", 0, 2,
	  "diversion 2 (line 4): a path of an earlier diversion too" },
};

static void test_divert_hostile_records(void)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(HOSTILE); i++) {
		const char *text = HOSTILE[i].text, *line;
		struct bd_dpkg_diversions d;

		parse(&d, text, HOSTILE[i].len, BD_DPKG_MAX_DIVERSIONS);
		line = said(&d);
		CU_ASSERT_EQUAL(d.n, HOSTILE[i].taken);
		CU_ASSERT_EQUAL(d.problems, 1);
		CU_ASSERT(!strncmp(line, "'/var/lib/dpkg/diversions': ", 28));
		CU_ASSERT_PTR_NOT_NULL(strstr(line, HOSTILE[i].why));
		CU_ASSERT_PTR_NOT_NULL(strstr(line, "not taken"));
		if (!strstr(line, HOSTILE[i].why) || d.n != HOSTILE[i].taken)
			fprintf(stderr, "\ncase %zu: %zu taken: %s\n", i, d.n,
				line);
		/* the first record stands: its paths are not the hostile
		 * one's */
		CU_ASSERT(d.n && !strcmp(d.v[0].from, "/a") &&
			  !strcmp(d.v[0].to, "/b"));
		CU_ASSERT(d.n < 2 || !strcmp(d.v[1].from, "/e"));
		bd_dpkg_diversions_release(&d);
	}
}

/* Problems after the first are counted in its warning; past max records
 * the rest is not read (itself a problem). */
static void test_divert_problems_counted_and_capped(void)
{
	struct bd_dpkg_diversions d;
	struct bd_buf text = BD_BUF_INIT;
	size_t i;

	parse(&d, "/a\n/a\np\n/b\n\np\n/c\n/d\n\n/e\n/f\n:\n", 0,
	      BD_DPKG_MAX_DIVERSIONS);
	CU_ASSERT_EQUAL(d.n, 1);
	CU_ASSERT_STRING_EQUAL(said(&d),
			       "'/var/lib/dpkg/diversions': diversion 1 (line "
			       "1): a path diverted to itself, not taken (and "
			       "2 more problems)");
	bd_dpkg_diversions_release(&d);

	for (i = 0; i <= BD_DPKG_MAX_DIVERSIONS + 5; i++)
		bd_buf_printf(&text, "/f%zu\n/t%zu\np\n", i, i);
	CU_ASSERT_FATAL(bd_buf_ok(&text));
	parse(&d, text.data, text.len, BD_DPKG_MAX_DIVERSIONS);
	CU_ASSERT_EQUAL(d.n, BD_DPKG_MAX_DIVERSIONS);
	CU_ASSERT_STRING_EQUAL(said(&d),
			       "'/var/lib/dpkg/diversions': diversion 10001 "
			       "(line 30001): more than 10000 diversions, the "
			       "rest not read");
	CU_ASSERT_PTR_NOT_NULL(bd_dpkg_diverted(&d, "/f9999", 6));
	CU_ASSERT_PTR_NULL(bd_dpkg_diverted(&d, "/f10000", 7));
	bd_dpkg_diversions_release(&d);
	bd_buf_release(&text);
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

static void keep_line(void *ctx, enum bd_diag_level level, const char *msg)
{
	bd_buf_printf(ctx, "%d %s\n", (int)level, msg);
}

/* dir's root loaded, whole or deferred (PG_PATHS asked about): the
 * warnings into msgs, the owners of PG_PATHS into owners. */
static void pg_owners(const char *dir, bool deferred, struct bd_buf *msgs,
		      struct bd_buf *owners)
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
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, &root, &diag, &err), 0);
	if (deferred) {
		CU_ASSERT_EQUAL(bd_pkgdb_load_files(&db, &root, PG_PATHS,
						    BD_ARRAY_SIZE(PG_PATHS),
						    &diag, &err),
				0);
		CU_ASSERT_EQUAL(bd_pkgdb_files_done(&db, &root, &diag, &err),
				0);
	}
	for (i = 0; i < BD_ARRAY_SIZE(PG_PATHS); i++) {
		p = bd_pkgdb_owner(&db, PG_PATHS[i]);
		bd_buf_printf(owners, "%s ", p ? p->name : "-");
	}
	bd_pkgdb_release(&db);
	bd_root_release(&root);
}

/* The owners and warnings of dir's root, the same whole and deferred. */
static void check_owners(const char *dir, const char *owners,
			 const char *warning)
{
	struct bd_buf msgs[2] = { BD_BUF_INIT, BD_BUF_INIT };
	struct bd_buf got[2] = { BD_BUF_INIT, BD_BUF_INIT };
	size_t i, lines;

	for (i = 0; i < 2; i++) {
		pg_owners(dir, i == 1, &msgs[i], &got[i]);
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

/* What a package lists at a diverted path is where dpkg installed it: the
 * diverting package's own file stays, the others' are at the path it
 * diverts to (every package's, for a local diversion), as dpkg -S says. */
static void test_divert_owners(void)
{
	char dir[] = "/tmp/bd-divert-XXXXXX";

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	pg_root(dir);
	check_owners(dir, UNDIVERTED, NULL);
	bd_test_write(dir, "/var/lib/dpkg/diversions", PG_DIVERSIONS);
	check_owners(dir, DIVERTED, NULL);
	/* the package named in any case, as dpkg finds it */
	bd_test_write(dir, "/var/lib/dpkg/diversions",
		      "/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\n"
		      "PostgreSQL-Common\n"
		      "/usr/lib/libpq.so.5\n/usr/lib/libpq.so.5.local\n:\n");
	check_owners(dir, DIVERTED, NULL);
	/* written without their leading '/': dpkg reads them so too */
	bd_test_write(dir, "/var/lib/dpkg/diversions",
		      "usr/bin/pg_config\n./usr/bin/pg_config.libpq-dev\n"
		      "postgresql-common\n"
		      "//usr/lib/libpq.so.5\n/usr/lib/libpq.so.5.local\n:\n");
	check_owners(dir, DIVERTED,
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
	check_owners(dir, DIVERTED,
		     "'/var/lib/dpkg/diversions': diversion 1 (line 1): a "
		     "path diverted to itself, not taken (and 3 more "
		     "problems)\n");
	bd_test_sh("rm '%s%s' && mkfifo '%s%s'", dir, div, dir, div);
	check_owners(dir, UNDIVERTED, "'/var/lib/dpkg/diversions': ");
	bd_test_sh("rm '%s%s' && truncate -s 65M '%s%s'", dir, div, dir, div);
	check_owners(dir, UNDIVERTED,
		     "'/var/lib/dpkg/diversions': larger than 64 MiB, "
		     "skipping\n");
	bd_test_write(out, "/diversions", PG_DIVERSIONS);
	bd_test_sh("rm '%s%s' && ln -s '%s/diversions' '%s%s'", dir, div, out,
		   dir, div);
	check_owners(dir, UNDIVERTED, NULL);
	bd_test_sh("rm '%s%s' && ln -s ../../../../../../../..%s/diversions "
		   "'%s%s'",
		   dir, div, out, dir, div);
	check_owners(dir, UNDIVERTED, NULL);
	bd_buf_release(&text);
	bd_test_sh("rm -rf '%s' '%s'", dir, out);
}

void bd_test_register_pkgdb_divert(void)
{
	BD_SUITE("pkgdb_divert", BD_TEST(test_divert_records),
		 BD_TEST(test_divert_paths_as_dpkg_keys_them),
		 BD_TEST(test_divert_line_lengths),
		 BD_TEST(test_divert_hostile_records),
		 BD_TEST(test_divert_problems_counted_and_capped),
		 BD_TEST(test_divert_owners),
		 BD_TEST(test_divert_hostile_file));
}
