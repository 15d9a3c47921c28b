/* SPDX-License-Identifier: MIT */
/* Helpers shared by the unit tests. */
#include "unit.h"
#include "bindep/buf.h"

#include <fcntl.h>
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

void bd_test_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
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
