/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_TEST_UNIT_H
#define BINDEP_TEST_UNIT_H

#include "bindep/common.h"

#include <CUnit/CUnit.h>

/* Each tests/unit/test_<module>.c registers its suite. */
void bd_test_register_arena(void);
void bd_test_register_buf(void);
void bd_test_register_map(void);
void bd_test_register_inodes(void);
void bd_test_register_hash(void);
void bd_test_register_notes(void);
void bd_test_register_gobuildinfo(void);
void bd_test_register_cargoaudit(void);
void bd_test_register_scan(void);
void bd_test_register_purl(void);
void bd_test_register_purl_spec(void);
void bd_test_register_ident(void);
void bd_test_register_graph(void);
void bd_test_register_resolve(void);
void bd_test_register_walk(void);
void bd_test_register_emit(void);
void bd_test_register_json(void);
void bd_test_register_output(void);
void bd_test_register_cli(void);
void bd_test_register_root(void);
void bd_test_register_ldconf(void);
void bd_test_register_target(void);
void bd_test_register_pkgdb(void);
void bd_test_register_pkgdb_divert(void);
void bd_test_register_mapping(void);
void bd_test_register_bundle(void);
void bd_test_register_carried(void);
void bd_test_register_cache(void);
void bd_test_register_artifact(void);
void bd_test_register_archive(void);
void bd_test_register_image(void);
void bd_test_register_input_image(void);
void bd_test_register_input(void);
void bd_test_register_strmatch(void);
void bd_test_register_views(void);
void bd_test_register_strrules(void);
void bd_test_register_attach(void);
void bd_test_register_license(void);
void bd_test_register_dirnames(void);
void bd_test_register_exclude(void);

/* Makes base/rel: a symlink to link_to when given, else a directory when
 * rel ends in '/', else an empty file. */
void bd_test_mk(const char *base, const char *rel, const char *link_to);

/* Writes text to base/rel (rel may start with '/'). */
void bd_test_write(const char *base, const char *rel, const char *text);

/* Runs a shell command made with printf's format (fixtures); asserts
 * that it succeeds. */
void bd_test_sh(const char *fmt, ...) BD_PRINTF(1, 2);
/* The directories (dirs), else the files and links, under dir, dir
 * itself counted with the directories; symlinks not followed. */
size_t bd_test_tree_count(const char *dir, bool dirs);

/* Appends a zlib stream (RFC 1950) of stored blocks (RFC 1951 section
 * 3.2.4) holding text[0..n): cargo-auditable's section of any size, its
 * Adler-32 zero, which the reader does not check (cargoaudit.c). */
struct bd_buf;
void bd_test_zlib_stored(struct bd_buf *b, const char *text, size_t n);

/* A tree of links in base: deep, a directory `depth` names of one byte
 * deep ("/d/d/..."), holds n1..n<chain - 1>, each a link to the next by its
 * absolute path, the last to deep/f, a file; /c/s links to deep/n1 (a
 * chain of `chain` links to f); /l/<i>/x, `fan` of them, link to /c/s
 * (one link more). Returns deep (static). */
const char *bd_test_link_chain(const char *base, int depth, int chain, int fan);

/* Whether this run is instrumented (ASan, TSan, valgrind): the tests of a cost
 * (a hostile input that was quadratic) then run small and untimed, their
 * results still checked; plain runs time them. */
bool bd_test_instrumented(void);

/* Adds a suite with the given tests (NULL-terminated pairs). */
#define BD_SUITE(name, ...)                                                    \
	do {                                                                   \
		CU_pSuite s_ = CU_add_suite(name, NULL, NULL);                 \
		struct {                                                       \
			const char *n;                                         \
			CU_TestFunc f;                                         \
		} t_[] = { __VA_ARGS__ };                                      \
		for (size_t i_ = 0; i_ < sizeof(t_) / sizeof(t_[0]); i_++)     \
			CU_add_test(s_, t_[i_].n, t_[i_].f);                   \
	} while (0)

#define BD_TEST(fn)                                                            \
	{                                                                      \
#fn, fn                                                        \
	}

#endif
