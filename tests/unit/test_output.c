/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/output.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	while (d && (de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_atomic_replace(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", path[64], buf[64] = "";
	struct bd_error e;
	struct stat st;
	mode_t old = umask(022);
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sbom.json", dir);
	f = fopen(path, "w");
	fputs("old and longer contents", f);
	fclose(f);
	CU_ASSERT_EQUAL(bd_output_write(path, "{}\n", 3, &e), 0);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "{}\n");
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);
	CU_ASSERT_EQUAL(count_entries(dir), 1); /* no temporary left */
	snprintf(path, sizeof(path), "%s/no/such/dir.json", dir);
	CU_ASSERT_EQUAL(bd_output_write(path, "{}", 2, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot create a temporary file"));
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(path), 0);
	umask(old);
}

/* A symlink stays a symlink: the file it names gets the document. */
static void test_through_symlink(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", link[64], file[64], buf[16] = "";
	struct bd_error e;
	struct stat st;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/real.json", dir);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	f = fopen(file, "w");
	fclose(f);
	CU_ASSERT_EQUAL(symlink("real.json", link), 0);
	CU_ASSERT_EQUAL(bd_output_write(link, "{}", 2, &e), 0);
	CU_ASSERT_EQUAL(lstat(link, &st), 0);
	CU_ASSERT_TRUE(S_ISLNK(st.st_mode));
	f = fopen(file, "r");
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "{}");
	CU_ASSERT_EQUAL(count_entries(dir), 2);
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(file), 0);
}

void bd_test_register_output(void)
{
	BD_SUITE("output", BD_TEST(test_atomic_replace),
		 BD_TEST(test_through_symlink));
}
