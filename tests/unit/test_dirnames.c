/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/dirnames.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names of digits only, counted as the filter sees them. */
struct seen {
	size_t calls;
};

static bool digits(void *ctx, const struct dirent *de)
{
	struct seen *s = ctx;
	size_t n = strspn(de->d_name, "0123456789");

	s->calls++;
	return n && !de->d_name[n];
}

static bool not_dot(void *ctx, const struct dirent *de)
{
	(void)ctx;
	return de->d_name[0] != '.';
}

static bool dirs_only(void *ctx, const struct dirent *de)
{
	(void)ctx;
	return de->d_type == DT_DIR && de->d_name[0] != '.';
}

static int list(const char *dir, bd_dirnames_keep_fn keep, void *ctx,
		size_t max, struct bd_dirnames *names)
{
	DIR *d = opendir(dir);
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	bd_dirnames_init(names);
	rc = bd_dirnames_read(d, keep, ctx, max, names);
	closedir(d);
	return rc;
}

/*
 * Of 500 names the filter refuses and 300 it takes, the first 100 in name
 * order, found as the listing is read with never more than 100 names
 * held, and one more for a moment: the filter sees every entry once, and
 * the count of all it took is kept for the caller's warning. (dpkg's
 * journal flooded, 70,000 names, is test_dpkg_updates_journal_bounded.)
 */
static void test_dirnames_smallest_bounded(void)
{
	char dir[] = "/tmp/bd-dirnames-XXXXXX", want[24];
	struct bd_dirnames names;
	struct seen s = { 0 };
	size_t i;
	bool same = true;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("cd '%s' && seq -f 'x%%03g' 0 499 | xargs touch && "
		   "seq -f '%%03g' 299 -1 0 | xargs touch",
		   dir);
	CU_ASSERT_EQUAL(list(dir, digits, &s, 100, &names), 0);
	CU_ASSERT_EQUAL(s.calls, 800 + 2); /* and "." and ".." */
	CU_ASSERT_EQUAL(names.kept, 300);
	CU_ASSERT_EQUAL_FATAL(names.n, 100);
	CU_ASSERT(names.peak <= 100 + 1);
	for (i = 0; i < names.n; i++) {
		snprintf(want, sizeof(want), "%03zu", i);
		same = same && !strcmp(names.v[i], want);
	}
	CU_ASSERT_TRUE(same);
	bd_dirnames_release(&names);
	CU_ASSERT_EQUAL(names.n, 0);
	/* No cap: all of them, sorted; a cap of 0: none, all counted. */
	CU_ASSERT_EQUAL(list(dir, digits, &s, SIZE_MAX, &names), 0);
	CU_ASSERT_EQUAL_FATAL(names.n, 300);
	CU_ASSERT_STRING_EQUAL(names.v[0], "000");
	CU_ASSERT_STRING_EQUAL(names.v[299], "299");
	bd_dirnames_release(&names);
	CU_ASSERT_EQUAL(list(dir, digits, &s, 0, &names), 0);
	CU_ASSERT_EQUAL(names.n, 0);
	CU_ASSERT_EQUAL(names.kept, 300);
	CU_ASSERT_EQUAL(names.peak, 0);
	bd_dirnames_release(&names);
	bd_test_sh("rm -rf '%s'", dir);
}

/* strcmp's order, whatever the order of the listing and of the lengths
 * ("02" before "1"); a filter on the entry's type. */
static void test_dirnames_order_and_type(void)
{
	char dir[] = "/tmp/bd-dirnames-XXXXXX";
	struct bd_dirnames names;
	static const char *const all[] = { "02", "1", "10", "9", "b", "c" };
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("cd '%s' && touch c 9 && mkdir 10 b && touch 1 02 .hidden",
		   dir);
	for (i = 1; i <= BD_ARRAY_SIZE(all); i++) {
		size_t k;

		CU_ASSERT_EQUAL(list(dir, not_dot, NULL, i, &names), 0);
		CU_ASSERT_EQUAL(names.kept, BD_ARRAY_SIZE(all));
		CU_ASSERT_EQUAL_FATAL(names.n, i);
		for (k = 0; k < i; k++)
			CU_ASSERT_STRING_EQUAL(names.v[k], all[k]);
		bd_dirnames_release(&names);
	}
	CU_ASSERT_EQUAL(list(dir, dirs_only, NULL, SIZE_MAX, &names), 0);
	CU_ASSERT_EQUAL_FATAL(names.n, 2);
	CU_ASSERT_STRING_EQUAL(names.v[0], "10");
	CU_ASSERT_STRING_EQUAL(names.v[1], "b");
	bd_dirnames_release(&names);
	bd_test_sh("rm -rf '%s'", dir);
}

void bd_test_register_dirnames(void)
{
	BD_SUITE("dirnames", BD_TEST(test_dirnames_smallest_bounded),
		 BD_TEST(test_dirnames_order_and_type));
}
