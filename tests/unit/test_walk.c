/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/walk.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct seen {
	int warnings, infos;
	char text[4096];
};

static void remember(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	if (level == BD_DIAG_WARNING)
		s->warnings++;
	else
		s->infos++;
	snprintf(s->text + len, sizeof(s->text) - len, "%s\n", msg);
}

static char tree[64];

static void test_sorted_walk_and_links(void)
{
	struct bd_walk w;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	char path[128];
	const char *args[2];
	size_t i;

	snprintf(tree, sizeof(tree), "/tmp/bd-walk-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tree));
	bd_test_mk(tree, "b/", NULL);
	bd_test_mk(tree, "a/", NULL);
	bd_test_mk(tree, "b/z", NULL);
	bd_test_mk(tree, "b/B", NULL);
	bd_test_mk(tree, "a/file", NULL);
	bd_test_mk(tree, "a/link", "file");
	bd_test_mk(tree, "a/dirlink", "../b");
	bd_test_mk(tree, "a/dangling", "nowhere");
	bd_test_mk(tree, "a/loop", "loop");
	args[0] = tree;
	snprintf(path, sizeof(path), "%s/missing", tree);
	args[1] = path;
	bd_walk_init(&w);
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 2, &d, &e), 0);
	CU_ASSERT_EQUAL_FATAL(w.nfiles, 4);
	/* Byte order of names: "B" before "z"; the link is its own entry. */
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[0].path, "/a/file"));
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[1].path, "/a/link"));
	CU_ASSERT_TRUE(w.files[1].via_symlink);
	CU_ASSERT_EQUAL(w.files[0].ino, w.files[1].ino);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[2].path, "/b/B"));
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[3].path, "/b/z"));
	CU_ASSERT_EQUAL(s.warnings, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "a/dangling': dangling symlink"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "a/loop': symlink loop"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "missing': no such file"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "a/dirlink': symlink to a "
					      "directory, skipped"));
	CU_ASSERT_EQUAL(w.nargs_found, 1);
	for (i = 0; i < w.nfiles; i++)
		CU_ASSERT_PTR_NULL(strstr(w.files[i].path, "//"));
	bd_walk_release(&w);

	/* None of the paths exists: an error. */
	bd_walk_init(&w);
	args[0] = path;
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, NULL, &e), BD_ENOENT);
	CU_ASSERT_STRING_EQUAL(e.msg, "none of the paths given exists");
	bd_walk_release(&w);
	snprintf(path, sizeof(path), "rm -rf '%s'", tree);
	CU_ASSERT_EQUAL(system(path), 0);
}

void bd_test_register_walk(void)
{
	BD_SUITE("walk", BD_TEST(test_sorted_walk_and_links));
}
