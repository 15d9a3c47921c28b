/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/root.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void expect(const struct bd_root *r, const char *base, const char *p,
		   int rc, const char *want)
{
	struct bd_buf out = BD_BUF_INIT;
	int got = bd_root_resolve(r, base, p, true, &out);

	CU_ASSERT_EQUAL(got, rc);
	if (!rc)
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&out), want);
	if (got != rc || (!rc && strcmp(bd_buf_str(&out), want)))
		fprintf(stderr, "\n  %s: got %d '%s'\n", p, got,
			bd_buf_str(&out));
	bd_buf_release(&out);
}

static void test_confined_resolution(void)
{
	struct bd_root r;
	struct bd_buf b = BD_BUF_INIT;
	char cmd[128];

	snprintf(dir, sizeof(dir), "/tmp/bd-root-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "/usr/", NULL);
	bd_test_mk(dir, "/usr/lib/", NULL);
	bd_test_mk(dir, "/usr/lib/libx.so.1", NULL);
	bd_test_mk(dir, "/lib", "usr/lib");		  /* merged /usr */
	bd_test_mk(dir, "/usr/lib/libx.so", "libx.so.1"); /* relative */
	bd_test_mk(dir, "/usr/lib/abs.so",
		   "/lib/libx.so.1"); /* absolute: in the root */
	bd_test_mk(dir, "/usr/lib/up.so", "../../../../../usr/lib/libx.so.1");
	bd_test_mk(dir, "/usr/lib/loop1", "loop2");
	bd_test_mk(dir, "/usr/lib/loop2", "loop1");
	bd_test_mk(dir, "/usr/lib/dangling", "nowhere");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, dir, NULL), 0);
	CU_ASSERT_FALSE(bd_root_is_host(&r));
	expect(&r, NULL, "/lib/libx.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/usr/lib/abs.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/usr/lib/up.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/../../lib/./libx.so.1", 0, "/usr/lib/libx.so.1");
	expect(&r, "/usr", "lib/libx.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/lib", 0, "/usr/lib");
	expect(&r, NULL, "/usr/lib/loop1", BD_ELIMIT, NULL);
	expect(&r, NULL, "/usr/lib/dangling", BD_ENOENT, NULL);
	expect(&r, NULL, "/usr/lib/libx.so.1/x", BD_ENOENT, NULL);
	/* The link itself, not followed. */
	CU_ASSERT_EQUAL(bd_root_resolve(&r, NULL, "/lib/libx.so", false, &b),
			0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/lib/libx.so");
	bd_root_host(&r, "/usr/lib", &b);
	CU_ASSERT_EQUAL(strncmp(bd_buf_str(&b), dir, strlen(dir)), 0);
	/* Host paths to inside paths. */
	snprintf(cmd, sizeof(cmd), "%s/usr/./lib/../lib/libx.so", dir);
	CU_ASSERT_EQUAL(bd_root_inside(&r, cmd, &b), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/lib/libx.so");
	CU_ASSERT_EQUAL(bd_root_inside(&r, dir, &b), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/");
	CU_ASSERT_EQUAL(bd_root_inside(&r, "/etc/passwd", &b), BD_ENOENT);
	snprintf(cmd, sizeof(cmd), "%sx/usr", dir); /* a sibling, not inside */
	CU_ASSERT_EQUAL(bd_root_inside(&r, cmd, &b), BD_ENOENT);
	bd_root_release(&r);
	bd_buf_release(&b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_host_root(void)
{
	struct bd_root r;
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, NULL, NULL), 0);
	CU_ASSERT_TRUE(bd_root_is_host(&r));
	/* /bin is a link to usr/bin on merged-/usr Debian. */
	CU_ASSERT_EQUAL(bd_root_resolve(&r, NULL, "/usr/./lib/../bin/..//bin",
					true, &b),
			0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/bin");
	CU_ASSERT_EQUAL(bd_root_inside(&r, "/a/b/../c", &b), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/a/c");
	bd_root_release(&r);
	bd_buf_release(&b);
	CU_ASSERT_EQUAL(bd_root_init(&r, "/nonexistent-root", NULL), BD_ENOENT);
}

void bd_test_register_root(void)
{
	BD_SUITE("root", BD_TEST(test_confined_resolution),
		 BD_TEST(test_host_root));
}
