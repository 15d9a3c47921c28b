/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/resolve.h"

#include <elf.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void expect_expand(const char *in, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_TRUE(bd_resolve_expand(in, strlen(in), "/opt/app/bin",
					 "lib/x86_64-linux-gnu", "x86_64", &b));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	if (strcmp(bd_buf_str(&b), want))
		fprintf(stderr, "\n  %s -> %s\n", in, bd_buf_str(&b));
	bd_buf_release(&b);
}

static void test_tokens(void)
{
	expect_expand("$ORIGIN", "/opt/app/bin");
	expect_expand("$ORIGIN/../lib", "/opt/app/bin/../lib");
	expect_expand("${ORIGIN}/x", "/opt/app/bin/x");
	expect_expand("/usr/$LIB/plugins", "/usr/lib/x86_64-linux-gnu/plugins");
	expect_expand("/p/${PLATFORM}", "/p/x86_64");
	expect_expand("/$ORIGIN_X/$ORIGINX",
		      "/$ORIGIN_X/$ORIGINX"); /* no DST */
	expect_expand("/a/$", "/a/$");
	expect_expand("$ORIGIN$ORIGIN", "/opt/app/bin/opt/app/bin");
	expect_expand("${ORIGIN", "${ORIGIN"); /* unclosed */
}

static void test_kind(void)
{
	struct bd_elf_info i;

	bd_elf_info_init(&i);
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_ELF_OTHER);
	i.ei_class = ELFCLASS64;
	i.e_type = ET_EXEC;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_EXECUTABLE);
	i.e_type = ET_DYN;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_LIBRARY);
	i.interp = "/lib64/ld-linux-x86-64.so.2";
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_EXECUTABLE);
	i.soname = "libc.so.6"; /* libc has PT_INTERP too */
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_LIBRARY);
	i.has_flags_1 = true;
	i.flags_1 = DF_1_PIE;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_EXECUTABLE);
	i.e_type = ET_REL;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_ELF_OTHER);
	CU_ASSERT_EQUAL(bd_resolve_kind(NULL), BD_COMP_ELF_OTHER);
}

static uint32_t add_file(struct bd_resolver *r, const char *path, ino_t ino,
			 const char *sha, const struct bd_elf_info *info)
{
	struct bd_scanned_file f = { path, path, 1,    ino, 0,
				     sha,  info, NULL, NULL };
	uint32_t id = UINT32_MAX;

	CU_ASSERT_EQUAL(bd_resolver_add_file(r, &f, &id), 0);
	return id;
}

static void test_same_content_and_inode_merge(void)
{
	struct bd_resolve_options o = { NULL, NULL };
	struct bd_elf_info lib;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	uint32_t a, b, known = 0;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	bd_elf_info_init(&lib);
	lib.ei_class = ELFCLASS64;
	lib.e_type = ET_DYN;
	lib.soname = "libx.so.1";
	a = add_file(&r, "/a/libx.so.1", 10, "same", &lib);
	b = add_file(&r, "/b/libx.so.1", 11, "same", &lib);
	CU_ASSERT_EQUAL(a, b);
	CU_ASSERT_EQUAL(g.comps[a].paths.n, 2);
	CU_ASSERT_STRING_EQUAL(g.comps[a].name, "libx.so.1");
	CU_ASSERT_STRING_EQUAL(g.comps[a].inside, "/a/libx.so.1");
	CU_ASSERT_TRUE(bd_resolver_known(&r, 1, 11, &known));
	CU_ASSERT_EQUAL(known, a);
	CU_ASSERT_EQUAL(bd_resolver_add_path(&r, a, 1, 10, "/a/libx.so"), 0);
	CU_ASSERT_EQUAL(g.comps[a].paths.n, 3);
	/* Unhashed files are told apart by path. */
	CU_ASSERT_NOT_EQUAL(add_file(&r, "/c/unreadable", 12, "", NULL),
			    add_file(&r, "/d/unreadable", 13, "", NULL));
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
}

void bd_test_register_resolve(void)
{
	BD_SUITE("resolve", BD_TEST(test_tokens), BD_TEST(test_kind),
		 BD_TEST(test_same_content_and_inode_merge));
}
