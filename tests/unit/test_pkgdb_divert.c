/* SPDX-License-Identifier: MIT */
/* dpkg's diversions file: its records, and what a hostile one leaves. */
#include "unit.h"
#include "bindep/pkgdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void bd_test_register_pkgdb_divert(void)
{
	BD_SUITE("pkgdb_divert", BD_TEST(test_divert_records),
		 BD_TEST(test_divert_paths_as_dpkg_keys_them),
		 BD_TEST(test_divert_line_lengths),
		 BD_TEST(test_divert_hostile_records),
		 BD_TEST(test_divert_problems_counted_and_capped));
}
