/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Overwrites the byte before the last one: inside the body. */
static void rewrite_byte(const char *path, int byte)
{
	FILE *f = fopen(path, "r+");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, -2, SEEK_END);
	fputc(byte, f);
	fclose(f);
}

static void test_cache_round_trip(void)
{
	char tmpl[] = "/tmp/bd-cache-XXXXXX", dir[128], key[65], path[256];
	struct bd_cache c = { NULL, 1700000000, 3600 };
	struct bd_buf body = BD_BUF_INIT, got = BD_BUF_INIT;
	struct bd_error err;
	struct stat st;
	long status = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/a/b", tmpl);
	c.dir = dir;
	CU_ASSERT_EQUAL(bd_cache_key("http://x/api", NULL, key), 0);
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_MISS);
	bd_buf_adds(&body, "[{\"name\":\"zlib\"}]");
	/* The directories are made, private to the user. */
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), 0);
	CU_ASSERT_EQUAL(stat(dir, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0700);
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_FRESH);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got), bd_buf_str(&body));
	/* Older than the ttl: expired, still readable. */
	c.now += 3600;
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_EXPIRED);
	c.now -= 7200; /* stored in the future: not fresh for ever */
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_EXPIRED);
	c.now += 3600;
	/* One byte of the body changed: corrupt, a miss. */
	snprintf(path, sizeof(path), "%s/%s.json", dir, key);
	rewrite_byte(path, 'X');
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_MISS);
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), 0);
	CU_ASSERT_EQUAL(truncate(path, 40), 0);
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_MISS);
	bd_buf_release(&body);
	bd_buf_release(&got);
	unlink(path);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/a", tmpl);
	rmdir(dir);
	rmdir(tmpl);
}

static void test_cache_keys(void)
{
	char a[65], b[65], c[65];

	CU_ASSERT_EQUAL(bd_cache_key("http://x/p", NULL, a), 0);
	CU_ASSERT_EQUAL(bd_cache_key("http://x/p", "", b), 0);
	CU_ASSERT_EQUAL(bd_cache_key("http://x/p", "{\"purls\":[]}", c), 0);
	CU_ASSERT_STRING_NOT_EQUAL(a, b); /* GET and POST differ */
	CU_ASSERT_STRING_NOT_EQUAL(b, c);
	CU_ASSERT_EQUAL(strlen(a), 64);
}

void bd_test_register_cache(void)
{
	BD_SUITE("cache", BD_TEST(test_cache_round_trip),
		 BD_TEST(test_cache_keys));
}
