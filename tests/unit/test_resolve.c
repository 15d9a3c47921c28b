/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/resolve.h"

#include <elf.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	struct bd_resolve_options o = { .root = NULL };
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

/* A root whose /l38 is a chain of 38 symlinks to the directory /r. */
static char *chain_root(void)
{
	char *dir = strdup("/tmp/bd-resolve-XXXXXX");
	char path[512], target[16];
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r", dir);
	CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
	for (i = 1; i <= 38; i++) {
		snprintf(path, sizeof(path), "%s/l%d", dir, i);
		snprintf(target, sizeof(target), i == 1 ? "r" : "l%d", i - 1);
		CU_ASSERT_EQUAL(symlink(target, path), 0);
	}
	return dir;
}

static void remove_chain_root(char *dir)
{
	char path[512];
	int i;

	for (i = 1; i <= 38; i++) {
		snprintf(path, sizeof(path), "%s/l%d", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/r", dir);
	rmdir(path);
	rmdir(dir);
	free(dir);
}

/* The work of linking one library with 100 missing needs and RUNPATH
 * `runpath` under root: candidates tried, directories resolved. */
static void search_work(const char *dir, const char *runpath, size_t *probes,
			size_t *dirs)
{
	static char names[100][16];
	static const char *needed[100];
	struct bd_resolve_options o = { .root = NULL };
	struct bd_elf_info lib;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	struct bd_error err;
	uint32_t id;
	size_t i;

	for (i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "libm%zu.so", i);
		needed[i] = names[i];
	}
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	bd_elf_info_init(&lib);
	lib.ei_class = ELFCLASS64;
	lib.ei_data = ELFDATA2LSB;
	lib.e_machine = EM_X86_64;
	lib.e_type = ET_DYN;
	lib.has_dynamic = true;
	lib.soname = "libapp.so";
	lib.runpath = runpath;
	lib.needed = needed;
	lib.nneeded = 100;
	id = add_file(&r, "/libapp.so", 10, "app", &lib);
	g.comps[id].is_input = true;
	g.comps[id].has_elf_header = true;
	CU_ASSERT_EQUAL(bd_resolver_link(&r, &err), 0);
	*probes = r.probes_tried;
	*dirs = r.dirs_resolved;
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
}

/* Issue 11: RUNPATH '/l38' sixteen times, a 38-link chain, walked again
 * for every candidate in every copy. A directory is resolved once a run,
 * and listed twice it is searched once (glibc's fillin_rpath). */
static void test_search_directories_resolved_once(void)
{
	char *dir = chain_root();
	const char *runpath = "/l38:/l38:/l38:/l38:/l38:/l38:/l38:/l38:"
			      "/l38:/l38:/l38:/l38:/l38:/l38:/l38:/l38";
	size_t once_probes, once_dirs, many_probes, many_dirs;

	search_work(dir, "/l38", &once_probes, &once_dirs);
	search_work(dir, runpath, &many_probes, &many_dirs);
	CU_ASSERT_EQUAL(many_probes, once_probes);
	CU_ASSERT_EQUAL(many_dirs, once_dirs);
	/* every directory (with its glibc-hwcaps ones) resolved once, not
	 * once per need: 100 needs, a handful of directories */
	CU_ASSERT_TRUE(once_dirs > 0 && once_dirs < 32);
	CU_ASSERT_TRUE(once_probes >= 100 && once_probes % 100 == 0);
	remove_chain_root(dir);
}

void bd_test_register_resolve(void)
{
	BD_SUITE("resolve", BD_TEST(test_tokens), BD_TEST(test_kind),
		 BD_TEST(test_same_content_and_inode_merge),
		 BD_TEST(test_search_directories_resolved_once));
}
