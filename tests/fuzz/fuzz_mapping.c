/* SPDX-License-Identifier: MIT */
/* Fuzz the mapping registry's loader (libcyaml and our checks), then the
 * matching and version rules over what loaded; the indexes must answer
 * what a walk over every entry answers, for every pattern and source the
 * input names (as file names: bytes of any kind). */
#include "fuzz.h"
#include "bindep/mapping.h"

#include <fnmatch.h>
#include <stdlib.h>

/* The first entry, later files first, with a pattern matching name. */
static const struct bd_mapping *walk_files(const struct bd_mappings *m,
					   const char *name)
{
	size_t i;
	unsigned j, k;

	for (i = m->n; i-- > 0;)
		for (j = 0; j < m->files[i]->libraries_count; j++)
			for (k = 0; k < m->files[i]->libraries[j].files_count;
			     k++)
				if (!fnmatch(m->files[i]->libraries[j].files[k],
					     name, 0))
					return &m->files[i]->libraries[j];
	return NULL;
}

static const struct bd_mapping *walk_sources(const struct bd_mappings *m,
					     const char *os, const char *src)
{
	size_t i;
	unsigned j;

	for (i = m->n; i-- > 0;)
		for (j = 0; j < m->files[i]->libraries_count; j++)
			if (bd_mapping_lists_source(&m->files[i]->libraries[j],
						    os, src))
				return &m->files[i]->libraries[j];
	return NULL;
}

/* Each pattern taken as a name (a literal one names itself; hash-free
 * names are matched as given), each source asked of each family. */
static void check_indexes(const struct bd_mappings *m)
{
	static const char *const os[] = { "debian", "alpine", "rocky" };
	size_t i, o;

	for (i = 0; i < m->nkeys; i++) {
		struct bd_buf s = BD_BUF_INIT;

		bd_mapping_strip_hash(m->keys[i].pattern, &s);
		if (bd_buf_ok(&s) &&
		    bd_mappings_by_file(m, m->keys[i].pattern, NULL) !=
			    walk_files(m, s.data))
			abort();
		bd_buf_release(&s);
	}
	for (i = 0; i < m->nsources; i++)
		for (o = 0; o < 3; o++)
			if (bd_mappings_by_source(m, os[o],
						  m->sources[i].source) !=
			    walk_sources(m, os[o], m->sources[i].source))
				abort();
}

/* What loaded compiles for the scan (or is refused past the matcher's
 * caps), every rule of it one the loader let through, and a text fed. */
static void compiled(struct bd_mappings *m)
{
	static const char text[] =
		"\0deflate 1.2.13 Copyright\0\0003.40.1\0OpenSSL 3.0.2 1\0";
	struct bd_string_hits h = { 0 };
	struct bd_arena a;
	struct bd_error err;
	size_t k;

	if (bd_mappings_compile(m, &err))
		return;
	for (k = 0; k < bd_strrules_count(m->strings); k++)
		if (bd_strrule_problem(bd_strrules_get(m->strings, k)) ||
		    !bd_mappings_string(m, (uint32_t)k))
			abort();
	bd_arena_init(&a);
	bd_strrules_feed(m->strings, text, sizeof(text) - 1, &a, &h);
	for (k = 0; k < h.n; k++)
		if (!bd_mappings_string(m, h.items[k].rule))
			abort();
	bd_string_hits_release(&h);
	bd_arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_mappings m;
	struct bd_error err;
	struct bd_buf v = BD_BUF_INIT;
	const struct bd_mapping *e;
	unsigned rule;

	bd_mappings_init(&m);
	if (!bd_mappings_load_data(&m, "fuzz.yml", data, size, &err)) {
		e = bd_mappings_by_file(&m, "libz-7e2a72b4.so.1.2.13",
					"libz.so.1");
		if (e)
			bd_mapping_read_version(e, "libz.so.1.2.13",
						"libz.so.1", NULL, NULL, &v,
						&rule);
		bd_mappings_identify(&m, "debian", "zlib", "libz.so.1", NULL);
		check_indexes(&m);
		compiled(&m);
	}
	bd_buf_release(&v);
	bd_mappings_release(&m);
	return 0;
}
