/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/resolve.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

/* A scan result made by hand. */
static void info_make(struct bd_elf_info *info, unsigned cls, unsigned machine,
		      const char *soname, const char **needed, size_t nneeded)
{
	bd_elf_info_init(info);
	info->ei_class = cls;
	info->ei_data = ELFDATA2LSB;
	info->e_type = ET_DYN;
	info->e_machine = machine;
	info->soname = soname;
	info->needed = calloc(nneeded + 1, sizeof(char *));
	if (nneeded)
		memcpy(info->needed, needed, nneeded * sizeof(char *));
	info->nneeded = nneeded;
}

static uint32_t add_file(struct bd_resolver *r, const char *path, ino_t ino,
			 const char *sha, struct bd_elf_info *info)
{
	struct bd_scanned_file f = { path, 1, ino, 0, sha, info, NULL };
	uint32_t id = UINT32_MAX;

	CU_ASSERT_EQUAL(bd_resolver_add_file(r, &f, &id), 0);
	return id;
}

static const char *target_name(struct bd_graph *g, uint32_t from, size_t nth)
{
	size_t i, seen = 0;

	for (i = 0; i < g->nedges; i++) {
		if (g->edges[i].from == from && seen++ == nth)
			return g->comps[g->edges[i].to].name;
	}
	return "";
}

static void test_needed_matches_same_class_only(void)
{
	const char *app_needs[] = { "libz.so.1", "libc.so.6" };
	struct bd_elf_info app, z64, z32;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_error e;
	uint32_t a, z;

	bd_graph_init(&g);
	bd_resolver_init(&r, &g);
	info_make(&z32, ELFCLASS32, EM_386, "libz.so.1", NULL, 0);
	info_make(&z64, ELFCLASS64, EM_X86_64, "libz.so.1", NULL, 0);
	info_make(&app, ELFCLASS64, EM_X86_64, NULL, app_needs, 2);
	add_file(&r, "lib32/libz.so.1", 1, "aa", &z32);
	z = add_file(&r, "lib/libz.so.1", 2, "bb", &z64);
	a = add_file(&r, "bin/app", 3, "cc", &app);
	CU_ASSERT_EQUAL(bd_resolver_link(&r, &e), 0);
	CU_ASSERT_EQUAL_FATAL(g.nedges, 2);
	CU_ASSERT_EQUAL(g.edges[0].from, a);
	CU_ASSERT_EQUAL(g.edges[0].to, z);
	CU_ASSERT_STRING_EQUAL(target_name(&g, a, 1), "libc.so.6");
	CU_ASSERT_EQUAL(g.comps[g.edges[1].to].kind, BD_COMP_UNRESOLVED);
	CU_ASSERT_EQUAL(g.comps[a].kind, BD_COMP_LIBRARY);
	bd_elf_info_release(&app);
	bd_elf_info_release(&z32);
	bd_elf_info_release(&z64);
	bd_resolver_release(&r);
	bd_graph_release(&g);
}

static void test_same_content_and_inode_merge(void)
{
	struct bd_elf_info lib;
	struct bd_graph g;
	struct bd_resolver r;
	uint32_t a, b, known = 0;

	bd_graph_init(&g);
	bd_resolver_init(&r, &g);
	info_make(&lib, ELFCLASS64, EM_X86_64, "libx.so.1", NULL, 0);
	a = add_file(&r, "a/libx.so.1", 10, "same", &lib);
	b = add_file(&r, "b/libx.so.1", 11, "same", &lib);
	CU_ASSERT_EQUAL(a, b);
	CU_ASSERT_EQUAL(g.comps[a].paths.n, 2);
	CU_ASSERT_TRUE(bd_resolver_known(&r, 1, 11, &known));
	CU_ASSERT_EQUAL(known, a);
	CU_ASSERT_EQUAL(bd_resolver_add_path(&r, a, 1, 10, "a/libx.so"), 0);
	CU_ASSERT_EQUAL(g.comps[a].paths.n, 3);
	/* Unhashed files are told apart by path. */
	CU_ASSERT_NOT_EQUAL(add_file(&r, "c/unreadable", 12, "", NULL),
			    add_file(&r, "d/unreadable", 13, "", NULL));
	bd_elf_info_release(&lib);
	bd_resolver_release(&r);
	bd_graph_release(&g);
}

static void test_dlopen_prefers_first_present_alternative(void)
{
	const char *alts[] = { "libpcre2-8.so.0", "libpcre2-8.so.1" };
	struct bd_dlopen_entry entry = { "pcre2", NULL, "suggested",
					 (const char **)alts, 2 };
	struct bd_elf_info loader, pcre;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_error e;
	uint32_t l, p;

	bd_graph_init(&g);
	bd_resolver_init(&r, &g);
	info_make(&pcre, ELFCLASS64, EM_X86_64, "libpcre2-8.so.1", NULL, 0);
	info_make(&loader, ELFCLASS64, EM_X86_64, "libloader.so", NULL, 0);
	loader.dlopen = malloc(sizeof(entry));
	loader.dlopen[0] = entry;
	loader.ndlopen = 1;
	p = add_file(&r, "libpcre2-8.so.1", 1, "p", &pcre);
	l = add_file(&r, "libloader.so", 2, "l", &loader);
	CU_ASSERT_EQUAL(bd_resolver_link(&r, &e), 0);
	CU_ASSERT_EQUAL_FATAL(g.nedges, 1);
	CU_ASSERT_EQUAL(g.edges[0].from, l);
	CU_ASSERT_EQUAL(g.edges[0].to, p);
	CU_ASSERT_EQUAL(g.edges[0].kind, BD_EDGE_DLOPEN_NOTE);
	CU_ASSERT_STRING_EQUAL(g.edges[0].dlopen->feature, "pcre2");
	bd_elf_info_release(&loader);
	bd_elf_info_release(&pcre);
	bd_resolver_release(&r);
	bd_graph_release(&g);
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

void bd_test_register_resolve(void)
{
	BD_SUITE("resolve", BD_TEST(test_needed_matches_same_class_only),
		 BD_TEST(test_same_content_and_inode_merge),
		 BD_TEST(test_dlopen_prefers_first_present_alternative),
		 BD_TEST(test_kind));
}
