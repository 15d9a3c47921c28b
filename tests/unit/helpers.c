/* SPDX-License-Identifier: MIT */
/* Helpers shared by the unit tests. */
#include "unit.h"
#include "bindep/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* valgrind's client request (the valgrind package, a test dependency). */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define BD_HAVE_VALGRIND_H 1
#endif
#endif

bool bd_test_instrumented(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return true;
#elif defined(BD_HAVE_VALGRIND_H)
	return RUNNING_ON_VALGRIND != 0;
#else
	return false;
#endif
}

void bd_test_mk(const char *base, const char *rel, const char *link_to)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", base, rel + (rel[0] == '/'));
	if (link_to) {
		CU_ASSERT_EQUAL(symlink(link_to, path), 0);
	} else if (rel[strlen(rel) - 1] == '/') {
		CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
	} else {
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		CU_ASSERT(fd >= 0);
		close(fd);
	}
}

void bd_test_write(const char *base, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, rel + (rel[0] == '/'));
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* A command cut short by its buffer would run as another one (a Python
 * script cut mid-line fails, a shell line cut may not): one that does not
 * fit fails the test instead of running. */
void bd_test_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	CU_ASSERT_FATAL(n >= 0 && (size_t)n < sizeof(cmd));
	CU_ASSERT_EQUAL(system(cmd), 0);
}

void bd_test_zlib_stored(struct bd_buf *b, const char *text, size_t n)
{
	bd_buf_add(b, "\x78\x01", 2);
	do {
		size_t k = n < 65535 ? n : 65535;
		unsigned char h[5] = { k == n, (unsigned char)k,
				       (unsigned char)(k >> 8),
				       (unsigned char)~k,
				       (unsigned char)(~k >> 8) };

		bd_buf_add(b, h, sizeof(h));
		bd_buf_add(b, text, k);
		text += k;
		n -= k;
	} while (n);
	bd_buf_add(b, "\0\0\0\0", 4);
}

/* base + deep, its directories made one by one, and a file f there. */
static void make_deep(const char *base, const char *deep)
{
	char path[4400];
	size_t n = strlen(base), i;

	snprintf(path, sizeof(path), "%s%s/f", base, deep);
	for (i = n + 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		CU_ASSERT(mkdir(path, 0755) == 0 || errno == EEXIST);
		path[i] = '/';
	}
	CU_ASSERT(close(open(path, O_CREAT | O_WRONLY, 0644)) == 0);
	bd_test_mk(base, "c/", NULL);
}

/* base + in + "/n<i>", a link to target (paths too long for bd_test_mk). */
static void link_at(const char *base, const char *in, int i, const char *target)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s%s/n%d", base, in, i);
	CU_ASSERT_EQUAL(symlink(target, path), 0);
}

const char *bd_test_link_chain(const char *base, int depth, int chain, int fan)
{
	static char deep[4096];
	char target[4200];
	size_t at = 0;
	int i;

	for (i = 0; i < depth && at + 2 < sizeof(deep); i++) {
		deep[at++] = '/';
		deep[at++] = 'd';
	}
	deep[at] = '\0';
	make_deep(base, deep);
	for (i = 1; i < chain; i++) {
		if (i + 1 < chain)
			snprintf(target, sizeof(target), "%s/n%d", deep, i + 1);
		else
			snprintf(target, sizeof(target), "%s/f", deep);
		link_at(base, deep, i, target);
	}
	snprintf(target, sizeof(target), "%s/n1", deep);
	bd_test_mk(base, "c/s", chain > 1 ? target : "/d/f");
	for (i = 0; i < fan; i++) {
		snprintf(target, sizeof(target), "l/%d/", i);
		bd_test_sh("mkdir -p '%s/%s'", base, target);
		snprintf(target, sizeof(target), "l/%d/x", i);
		bd_test_mk(base, target, "/c/s");
	}
	return deep;
}

static size_t tree_dirs, tree_others;

static int count_entry(const char *path, const struct stat *st, int type,
		       struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)ftw;
	if (type == FTW_D)
		tree_dirs++;
	else
		tree_others++;
	return 0;
}

size_t bd_test_tree_count(const char *dir, bool dirs)
{
	tree_dirs = tree_others = 0;
	CU_ASSERT_EQUAL(nftw(dir, count_entry, 16, FTW_PHYS), 0);
	return dirs ? tree_dirs : tree_others;
}
