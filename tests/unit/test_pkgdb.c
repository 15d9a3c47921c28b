/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/pkgdb.h"

#include <stdio.h>
#include <string.h>

struct seen {
	int n;
	char names[4][32];
	char source[4][32];
};

static int remember(void *ctx, const struct bd_dpkg_fields *f)
{
	struct seen *s = ctx;

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

static void test_own_and_owner(void)
{
	struct bd_package p = { "deb",
				"libz",
				"1:1.2",
				"amd64",
				"zlib",
				NULL,
				"/var/lib/dpkg/status" };
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

void bd_test_register_pkgdb(void)
{
	BD_SUITE("pkgdb", BD_TEST(test_status_paragraphs),
		 BD_TEST(test_own_and_owner));
}
