/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/exclude.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One pattern against a file (F) or a directory (D). */
#define F(p, s) bd_exclude_glob(p, s, false)
#define D(p, s) bd_exclude_glob(p, s, true)

/* "**" first: any number of components before, none included, in a
 * relative path and an absolute one (the only pattern start that matches
 * both); the directory itself matches "tests", "**" too, so that it
 * is pruned whole. */
static void test_globstar_at_start(void)
{
	CU_ASSERT_TRUE(F("**/tests/**", "tests/x.so"));
	CU_ASSERT_TRUE(F("**/tests/**", "dist/pkg/tests/x.so"));
	CU_ASSERT_TRUE(F("**/tests/**", "dist/x.whl!/x/tests/a/b.so"));
	CU_ASSERT_TRUE(F("**/tests/**", "/usr/lib/python3/tests/x.so"));
	CU_ASSERT_TRUE(D("**/tests/**", "dist/pkg/tests"));
	CU_ASSERT_TRUE(F("**/*.so", "a.so"));
	CU_ASSERT_TRUE(F("**/*.so", "/a/b/c.so"));
	CU_ASSERT_FALSE(F("**/tests/**", "dist/testsuite/x.so"));
	CU_ASSERT_FALSE(F("**/tests/**", "dist/pkg/x.so"));
	CU_ASSERT_FALSE(F("**/*.so", "a.so.1"));
}

/* "**" last: the directory itself, and everything below it. */
static void test_globstar_at_end(void)
{
	CU_ASSERT_TRUE(D("/usr/share/doc/**", "/usr/share/doc"));
	CU_ASSERT_TRUE(F("/usr/share/doc/**", "/usr/share/doc/x/copyright"));
	CU_ASSERT_TRUE(F("dist/**", "dist/a"));
	CU_ASSERT_FALSE(F("dist/**", "distx/a"));
	CU_ASSERT_FALSE(F("dist/**", "other/dist/a"));
	CU_ASSERT_FALSE(D("/usr/share/doc/**", "/usr/share"));
}

/* "**" between components: none of them, one, or many. */
static void test_globstar_in_the_middle(void)
{
	CU_ASSERT_TRUE(F("a/**/z.so", "a/z.so"));
	CU_ASSERT_TRUE(F("a/**/z.so", "a/b/z.so"));
	CU_ASSERT_TRUE(F("a/**/z.so", "a/b/c/d/z.so"));
	CU_ASSERT_TRUE(F("a/**/b/**/c", "a/x/b/y/b/c"));
	CU_ASSERT_FALSE(F("a/**/z.so", "a/b/zz.so"));
	CU_ASSERT_FALSE(F("a/**/z.so", "b/a/z.so"));
	CU_ASSERT_FALSE(F("a/**/z.so", "a/z.so/x"));
}

/* Several "**" in a row are one; a pattern that is only "**" matches any
 * path, relative or absolute, dotfiles too. */
static void test_globstar_consecutive_and_alone(void)
{
	CU_ASSERT_TRUE(F("a/**/**/z", "a/z"));
	CU_ASSERT_TRUE(F("a/**/**/z", "a/b/c/z"));
	CU_ASSERT_TRUE(F("**/**", "x"));
	CU_ASSERT_TRUE(F("**", "x"));
	CU_ASSERT_TRUE(F("**", "/usr/lib/x.so"));
	CU_ASSERT_TRUE(D("**", "a/b/c"));
	CU_ASSERT_TRUE(F("**", ".hidden/.x"));
	CU_ASSERT_FALSE(F("**/", "a"));
	CU_ASSERT_TRUE(D("**/", "a"));
}

/* A trailing '/': only a directory; without it, either. */
static void test_trailing_slash_means_a_directory(void)
{
	CU_ASSERT_TRUE(D("build/", "build"));
	CU_ASSERT_FALSE(F("build/", "build"));
	CU_ASSERT_TRUE(D("**/cache/", "a/b/cache"));
	CU_ASSERT_FALSE(F("**/cache/", "a/b/cache"));
	CU_ASSERT_TRUE(F("build", "build"));
	CU_ASSERT_TRUE(D("build", "build"));
	/* Several: still one. */
	CU_ASSERT_TRUE(D("build//", "build"));
}

/* *, ? and [...] stay within a component; \ quotes; "**" inside a
 * component is "*". */
static void test_one_component_wildcards(void)
{
	CU_ASSERT_TRUE(F("dist/*.so", "dist/a.so"));
	CU_ASSERT_FALSE(F("dist/*.so", "dist/a/b.so"));
	CU_ASSERT_FALSE(F("dist/?", "dist/a/b"));
	CU_ASSERT_TRUE(F("dist/?.so", "dist/a.so"));
	CU_ASSERT_TRUE(F("lib[0-9].so", "lib7.so"));
	CU_ASSERT_FALSE(F("lib[0-9].so", "libx.so"));
	CU_ASSERT_TRUE(F("lib[!0-9].so", "libx.so"));
	CU_ASSERT_TRUE(F("lib[[:alpha:]].so", "libq.so"));
	CU_ASSERT_TRUE(F("a[]]b", "a]b"));
	CU_ASSERT_TRUE(F("a\\*", "a*"));
	CU_ASSERT_FALSE(F("a\\*", "ab"));
	CU_ASSERT_TRUE(F("a\\[b", "a[b"));
	CU_ASSERT_TRUE(F("a**b", "axyzb"));
	CU_ASSERT_FALSE(F("a**b", "ax/yb"));
	/* '!' of a location is a character like another. */
	CU_ASSERT_TRUE(F("dist/*.whl!/x/tests/*", "dist/x.whl!/x/tests/t.so"));
	CU_ASSERT_FALSE(F("dist/*.whl/x/tests/*", "dist/x.whl!/x/tests/t.so"));
}

/* Names starting with '.' are matched as any other (no FNM_PERIOD), as
 * syft's and trivy's globs match them. */
static void test_dotfiles_matched(void)
{
	CU_ASSERT_TRUE(F("*", ".git"));
	CU_ASSERT_TRUE(F("**/*.so", ".venv/lib/x.so"));
	CU_ASSERT_TRUE(F("dist/?x", "dist/.x"));
	CU_ASSERT_TRUE(F("**/.cache/**", "a/.cache/b"));
}

/* '/' at the start decides: absolute patterns match absolute paths, and
 * relative ones (but "**...") relative ones. A leading "./", "//" and
 * "." components are no components, on either side. */
static void test_absolute_relative_and_dots(void)
{
	CU_ASSERT_FALSE(F("usr/lib/x.so", "/usr/lib/x.so"));
	CU_ASSERT_FALSE(F("/usr/lib/x.so", "usr/lib/x.so"));
	CU_ASSERT_TRUE(F("/usr/lib/x.so", "/usr/lib/x.so"));
	CU_ASSERT_TRUE(F("dist/tests/**", "./dist/tests/x"));
	CU_ASSERT_TRUE(F("./dist/tests/**", "dist/tests/x"));
	CU_ASSERT_TRUE(F("dist/tests/**", "dist//tests/./x"));
	CU_ASSERT_TRUE(F("//usr//lib/x.so", "/usr/lib/x.so"));
	/* ".." is a name, as the path shows it. */
	CU_ASSERT_TRUE(F("d/../a", "d/../a"));
	CU_ASSERT_FALSE(F("a", "d/../a"));
}

/* What --exclude refuses: an empty pattern, one longer than PATH_MAX, a
 * '[' not closed within its component, a lone '\' at the end. */
static void test_check_refuses(void)
{
	struct bd_error e;
	char *longer = malloc(PATH_MAX + 2);

	CU_ASSERT_EQUAL(bd_exclude_check("", &e), BD_EUSAGE);
	CU_ASSERT_EQUAL(bd_exclude_check("a[b", &e), BD_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "'['"));
	CU_ASSERT_EQUAL(bd_exclude_check("a[]b", &e), BD_EUSAGE);
	CU_ASSERT_EQUAL(bd_exclude_check("a[!]", &e), BD_EUSAGE);
	CU_ASSERT_EQUAL(bd_exclude_check("a/[b/c]", &e), BD_EUSAGE);
	CU_ASSERT_EQUAL(bd_exclude_check("[[:alpha:]", &e), BD_EUSAGE);
	CU_ASSERT_EQUAL(bd_exclude_check("a\\", &e), BD_EUSAGE);
	CU_ASSERT_EQUAL(bd_exclude_check("a[]]b", &e), 0);
	CU_ASSERT_EQUAL(bd_exclude_check("a[!]]b", &e), 0);
	CU_ASSERT_EQUAL(bd_exclude_check("a[[:alpha:]]b", &e), 0);
	CU_ASSERT_EQUAL(bd_exclude_check("a\\[b", &e), 0);
	CU_ASSERT_EQUAL(bd_exclude_check("a\\\\", &e), 0);
	CU_ASSERT_EQUAL(bd_exclude_check("**", &e), 0);
	CU_ASSERT_EQUAL(bd_exclude_check("/", &e), 0);
	/* A refused pattern matches nothing. */
	CU_ASSERT_FALSE(F("a[b", "a[b"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(longer);
	memset(longer, 'a', PATH_MAX + 1);
	longer[PATH_MAX + 1] = '\0';
	CU_ASSERT_EQUAL(bd_exclude_check(longer, &e), BD_EUSAGE);
	longer[PATH_MAX] = '\0';
	CU_ASSERT_EQUAL(bd_exclude_check(longer, &e), 0);
	CU_ASSERT_TRUE(F(longer, longer));
	free(longer);
}

/* A set: a path or (past `from`) one of its directories; the counts: one
 * path left out each time, each pattern that matched one marked. */
static void test_set_directories_and_counts(void)
{
	const char *pats[] = { "dist/tests", "**/*.txt", "nothing/**",
			       "**/tests/" };
	struct bd_exclude x;
	struct bd_error e;

	CU_ASSERT_EQUAL_FATAL(bd_exclude_init(&x, pats, 4, &e), 0);
	CU_ASSERT_TRUE(bd_exclude_active(&x));
	/* The directory matches, not the file below it by itself. */
	CU_ASSERT_FALSE(
		bd_exclude_path(&x, "dist/tests/a.so", BD_EXCLUDE_SELF, false));
	CU_ASSERT_TRUE(bd_exclude_path(&x, "dist/tests/a.so", 0, false));
	/* Only the directories whose '/' is at or past `from`: none of
	 * "dist/tests/" (its '/' are at 4 and 10). */
	CU_ASSERT_FALSE(bd_exclude_path(&x, "dist/tests/a.so", 11, false));
	CU_ASSERT_TRUE(bd_exclude_entry(&x, "a.tgz", "p/tests/b.so", false));
	CU_ASSERT_FALSE(bd_exclude_entry(&x, "a.tgz", "p/testsx/b.so", false));
	CU_ASSERT_TRUE(bd_exclude_path(&x, "x/notes.txt", 0, false));
	CU_ASSERT_EQUAL(x.nexcluded, 3);
	CU_ASSERT_TRUE(x.pattern[0].matched);
	CU_ASSERT_TRUE(x.pattern[1].matched);
	CU_ASSERT_FALSE(x.pattern[2].matched);
	CU_ASSERT_TRUE(x.pattern[3].matched);
	bd_exclude_release(&x);
	CU_ASSERT_FALSE(bd_exclude_active(&x));
	CU_ASSERT_FALSE(bd_exclude_active(NULL));
	CU_ASSERT_FALSE(bd_exclude_path(NULL, "a", 0, false));
	CU_ASSERT_FALSE(bd_exclude_path(&x, "a", 0, false));
	/* A refused pattern refuses the set. */
	pats[1] = "";
	CU_ASSERT_EQUAL(bd_exclude_init(&x, pats, 2, &e), BD_EUSAGE);
	CU_ASSERT_FALSE(bd_exclude_active(&x));
}

/* Fills path with 2,000 directories "a" then "b" (4,001 bytes) and pat
 * with 40 globstar-then-"a" steps then "c"; returns where pat's "c" is. */
static size_t deep_path_and_globstars(char *path, char *pat)
{
	size_t i, at = 0;

	for (i = 0; i < 2000; i++) {
		memcpy(path + at, "a/", 2);
		at += 2;
	}
	memcpy(path + at, "b", 2);
	at = 0;
	for (i = 0; i < 40; i++) {
		memcpy(pat + at, "**/a/", 5);
		at += 5;
	}
	memcpy(pat + at, "c", 2);
	return at;
}

/* Many "**" against a deep path: the match backtracks to the last "**"
 * only, a cost of components times pattern components, not exponential
 * (a recursive matcher took minutes here). */
static void test_globstar_cost_is_bounded(void)
{
	char path[8192], pat[1024];
	clock_t start = clock();
	size_t at = deep_path_and_globstars(path, pat);

	CU_ASSERT_FALSE(F(pat, path));
	pat[at] = 'b';
	CU_ASSERT_TRUE(F(pat, path));
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - start < 2 * CLOCKS_PER_SEC);
}

/* The same, and every directory of the path asked too (from 0, as an
 * archive's entries and a PATH are): each prefix matched on its own cost
 * components squared times pattern components (12 s, not 1, for a
 * wheel of 20,000 entries 120 deep), where one pass over the components
 * tells every prefix. */
static void test_directories_cost_is_linear(void)
{
	char path[8192], pat[1024];
	const char *pats[] = { "**/tests/**", pat, "a/**/a/*/a/**/d/" };
	struct bd_exclude x;
	struct bd_error e;
	size_t i;
	clock_t start = clock();

	deep_path_and_globstars(path, pat);
	CU_ASSERT_EQUAL_FATAL(bd_exclude_init(&x, pats, 3, &e), 0);
	for (i = 0; i < 50; i++)
		CU_ASSERT_FALSE(bd_exclude_path(&x, path, 0, false));
	/* A directory deep in it matches, the path too. */
	memcpy(path + 3000, "c/", 2);
	CU_ASSERT_TRUE(bd_exclude_path(&x, path, 0, false));
	CU_ASSERT_FALSE(x.pattern[0].matched);
	CU_ASSERT_TRUE(x.pattern[1].matched);
	memcpy(path + 3000, "d/", 2);
	CU_ASSERT_TRUE(bd_exclude_path(&x, path, 0, false));
	CU_ASSERT_TRUE(x.pattern[2].matched);
	/* Not at or past from, nor a file for a directory's pattern. */
	CU_ASSERT_FALSE(bd_exclude_path(&x, path, 3002, false));
	CU_ASSERT_FALSE(bd_exclude_path(&x, "a/a/d", 0, false));
	CU_ASSERT_TRUE(bd_exclude_path(&x, "a/a/x/a/d", 0, true));
	CU_ASSERT_FALSE(
		bd_exclude_path(&x, "a/a/x/a/d", BD_EXCLUDE_SELF, false));
	memcpy(path + 3000, "tests/", 6);
	CU_ASSERT_TRUE(bd_exclude_entry(&x, "x.whl", path, false));
	CU_ASSERT_TRUE(x.pattern[0].matched);
	CU_ASSERT_EQUAL(x.nexcluded, 4);
	bd_exclude_release(&x);
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - start < 2 * CLOCKS_PER_SEC);
}

void bd_test_register_exclude(void)
{
	BD_SUITE("exclude", BD_TEST(test_globstar_at_start),
		 BD_TEST(test_globstar_at_end),
		 BD_TEST(test_globstar_in_the_middle),
		 BD_TEST(test_globstar_consecutive_and_alone),
		 BD_TEST(test_trailing_slash_means_a_directory),
		 BD_TEST(test_one_component_wildcards),
		 BD_TEST(test_dotfiles_matched),
		 BD_TEST(test_absolute_relative_and_dots),
		 BD_TEST(test_check_refuses),
		 BD_TEST(test_set_directories_and_counts),
		 BD_TEST(test_globstar_cost_is_bounded),
		 BD_TEST(test_directories_cost_is_linear));
}
