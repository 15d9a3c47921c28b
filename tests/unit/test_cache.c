/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/cache.h"
#include "bindep/fetch.h"
#include "bindep/hash.h"

#include <limits.h>
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
	struct bd_cache c = { NULL, 1700000000, 3600, NULL };
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

/* An entry's stored time is the run's clock when it was written: never
 * negative. -2^63 (or less, which sscanf saturates to it) made
 * now - stored overflow, and the entry fresh for ever: a planted answer
 * past any ttl. */
static void test_cache_stored_time(void)
{
	/* The stored time, then numbers past their types: sscanf's
	 * conversion of them was undefined (glibc clamps: 2^63 - 1, a stored
	 * time in the far future). */
	static const char *const heads[] = {
		"-9223372036854775808 200 2",
		"-99999999999999999999 200 2",
		"-1 200 2",
		"+5 200 2",
		" 5 200 2",
		"99999999999999999999 200 2",
		"5 99999999999999999999 2",
		"5 200 99999999999999999999",
		"5 200 -2",
	};
	struct bd_buf entry = BD_BUF_INIT, body = BD_BUF_INIT;
	char sha[65];
	long long stored;
	long status;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(bd_sha256_hex("[]", 2, sha), 0);
	for (i = 0; i < BD_ARRAY_SIZE(heads); i++) {
		bd_buf_reset(&entry);
		bd_buf_printf(&entry, "bindep-sbom cache 1\n%s %s\n[]",
			      heads[i], sha);
		if (bd_cache_parse_entry(entry.data, entry.len, &stored,
					 &status, &body))
			CU_FAIL(heads[i]);
	}
	bd_buf_reset(&entry);
	bd_buf_printf(&entry, "bindep-sbom cache 1\n0 200 2 %s\n[]", sha);
	CU_ASSERT_TRUE(bd_cache_parse_entry(entry.data, entry.len, &stored,
					    &status, &body));
	CU_ASSERT_EQUAL(stored, 0);
	bd_buf_release(&entry);
	bd_buf_release(&body);
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

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	CU_ASSERT_EQUAL(chmod(path, mode), 0);
}

static void read_text(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
}

/* An entry that is a symlink is replaced by the writer; the file it names
 * keeps its contents and its mode. */
static void test_cache_symlinked_entry(void)
{
	char tmpl[] = "/tmp/bd-cache-XXXXXX", dir[128], key[65], path[256],
	     victim[128], buf[64];
	struct bd_cache c = { NULL, 1700000000, 3600, NULL };
	struct bd_buf body = BD_BUF_INIT;
	struct bd_error err;
	struct stat st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/cache", tmpl);
	snprintf(victim, sizeof(victim), "%s/victim", tmpl);
	CU_ASSERT_EQUAL(mkdir(dir, 0700), 0);
	write_text(victim, "precious\n", 0600);
	c.dir = dir;
	CU_ASSERT_EQUAL(bd_cache_key("http://x/api", NULL, key), 0);
	snprintf(path, sizeof(path), "%s/%s.json", dir, key);
	CU_ASSERT_EQUAL(symlink(victim, path), 0);
	bd_buf_adds(&body, "[]");
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), 0);
	read_text(victim, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "precious\n");
	CU_ASSERT_TRUE(stat(victim, &st) == 0 && (st.st_mode & 0777) == 0600);
	CU_ASSERT_TRUE(lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		       (st.st_mode & 0777) == 0600);
	bd_buf_release(&body);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* A cache directory that is a symlink, no directory, or writable by
 * others is neither read nor written, and the error names it. */
static void test_cache_refused_dir(void)
{
	char tmpl[] = "/tmp/bd-cache-XXXXXX", real[128], link[160], key[65],
	     path[256];
	struct bd_cache c = { NULL, 1700000000, 3600, NULL };
	struct bd_buf body = BD_BUF_INIT, got = BD_BUF_INIT;
	struct bd_error err;
	long status = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(real, sizeof(real), "%s/real", tmpl);
	snprintf(link, sizeof(link), "%s/link", tmpl);
	CU_ASSERT_EQUAL(symlink(real, link), 0);
	CU_ASSERT_EQUAL(bd_cache_key("http://x/api", NULL, key), 0);
	bd_buf_adds(&body, "[]");
	c.dir = real; /* a good entry, made where the link points */
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), 0);
	CU_ASSERT_EQUAL(bd_cache_check(&c, &err), 0);
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_FRESH);
	/* Through the link (with a trailing slash too): refused. */
	snprintf(path, sizeof(path), "%s/", link);
	c.dir = path;
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_MISS);
	CU_ASSERT_EQUAL(bd_cache_check(&c, &err), BD_EIO);
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "symbolic link"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, link));
	/* Writable by the group. */
	CU_ASSERT_EQUAL(chmod(real, 0770), 0);
	c.dir = real;
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_MISS);
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "writable by group or others"));
	/* A file. */
	snprintf(path, sizeof(path), "%s/file", tmpl);
	write_text(path, "x", 0600);
	c.dir = path;
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a directory"));
	/* "" names no directory: none made, nothing read past its end
	 * (make_dirs started at its second byte). */
	c.dir = "";
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &body, &err), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot create"));
	/* Not there yet: fine, made by the first put. */
	snprintf(path, sizeof(path), "%s/new", tmpl);
	CU_ASSERT_EQUAL(bd_cache_check(&c, &err), 0);
	bd_buf_release(&body);
	bd_buf_release(&got);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* The directory test_cache_swapped_dir's hook swaps the cache directory
 * with: a link to it stands where the checked directory was. */
static char swap_dir[128], swap_to[128], swap_aside[160];

static void swap_hook(const char *dir)
{
	CU_ASSERT_STRING_EQUAL(dir, swap_dir);
	CU_ASSERT_EQUAL(rename(swap_dir, swap_aside), 0);
	CU_ASSERT_EQUAL(symlink(swap_to, swap_dir), 0);
}

static void swap_back(void)
{
	CU_ASSERT_EQUAL(unlink(swap_dir), 0);
	CU_ASSERT_EQUAL(rename(swap_aside, swap_dir), 0);
}

/* The cache directory swapped for a symlink to another (someone else's
 * planted answers) between its check and the entry's open: the entry
 * read and the one written are the checked directory's, never the other
 * one's (it was read by path, through the link). */
static void test_cache_swapped_dir(void)
{
	char tmpl[] = "/tmp/bd-cache-XXXXXX", key[65], path[256], buf[64];
	struct bd_cache c = { NULL, 1700000000, 3600, NULL };
	struct bd_buf good = BD_BUF_INIT, lie = BD_BUF_INIT, got = BD_BUF_INIT;
	struct bd_error err;
	long status = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(swap_dir, sizeof(swap_dir), "%s/cache", tmpl);
	snprintf(swap_to, sizeof(swap_to), "%s/planted", tmpl);
	snprintf(swap_aside, sizeof(swap_aside), "%s/aside", tmpl);
	CU_ASSERT_EQUAL(bd_cache_key("http://x/api", NULL, key), 0);
	bd_buf_adds(&good, "[\"madler\"]");
	bd_buf_adds(&lie, "[\"mallory\"]");
	c.dir = swap_to; /* a valid, fresh entry that lies */
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &lie, &err), 0);
	c.dir = swap_dir;
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &good, &err), 0);

	c.checked = swap_hook;
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_FRESH);
	c.checked = NULL;
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got), "[\"madler\"]");
	swap_back();

	/* Written: into the checked directory, not through the link. */
	bd_buf_reset(&good);
	bd_buf_adds(&good, "[\"madler\",2]");
	c.checked = swap_hook;
	CU_ASSERT_EQUAL(bd_cache_put(&c, key, 200, &good, &err), 0);
	c.checked = NULL;
	swap_back();
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_FRESH);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got), "[\"madler\",2]");
	c.dir = swap_to;
	CU_ASSERT_EQUAL(bd_cache_get(&c, key, &status, &got), BD_CACHE_FRESH);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got), "[\"mallory\"]");
	snprintf(path, sizeof(path), "%s/%s.json", swap_to, key);
	read_text(path, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "bindep-sbom cache 1\n");
	bd_buf_release(&good);
	bd_buf_release(&lie);
	bd_buf_release(&got);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* The online fetcher's policies, beside its cache (tests/unit/main.c is
 * not this module's to extend). */
static void test_fetch_redirect_policy(void)
{
	static const char *const api = "http://127.0.0.1:8080/api/v1/x";
	static const char *const tls = "https://packages.example/api/v1/x";
	static const char *const plain = "http://packages.example/api/v1/x";

	CU_ASSERT_PTR_NULL(bd_fetch_redirect_refused(
		api, api, "http://127.0.0.1:8080/moved/x"));
	CU_ASSERT_PTR_NULL(bd_fetch_redirect_refused(
		api, api, "https://127.0.0.1:8080/x")); /* upgrade */
	CU_ASSERT_PTR_NULL(bd_fetch_redirect_refused(
		tls, tls, "https://PACKAGES.example:443/y"));
	/* http on port 80 may become https on 443. */
	CU_ASSERT_PTR_NULL(bd_fetch_redirect_refused(
		plain, plain, "https://packages.example/y"));
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(api, api, "http://localhost:8080/x"),
		"another host");
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(api, api, "http://127.0.0.2:8080/x"),
		"another host");
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(
			tls, tls, "https://packages.example.evil.org/x"),
		"another host");
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(api, api, "http://127.0.0.1:8081/x"),
		"another port");
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(tls, tls,
					  "https://packages.example:8443/"),
		"another port");
	/* No downgrade, not even after an upgrade on the way. */
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(tls, tls, "http://packages.example/"),
		"another scheme");
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(plain, "https://packages.example/a",
					  "http://packages.example/b"),
		"another scheme");
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(api, api, "ftp://127.0.0.1:8080/x"),
		"another scheme");
	CU_ASSERT_STRING_EQUAL(
		bd_fetch_redirect_refused(api, api, "file:///etc/passwd"),
		"another scheme");
	CU_ASSERT_PTR_NOT_NULL(bd_fetch_redirect_refused(api, api, "::"));
}

static void test_fetch_retry_after(void)
{
#define RA(s) bd_fetch_parse_retry_after(s, strlen(s))
	CU_ASSERT_EQUAL(RA("120"), 120);
	CU_ASSERT_EQUAL(RA(" 7\r\n"), 7);
	CU_ASSERT_EQUAL(RA("\t0\r\n"), 0);
	CU_ASSERT_EQUAL(RA("18446744073709551615"), ULLONG_MAX);
	CU_ASSERT_EQUAL(RA("99999999999999999999"), ULLONG_MAX);
	CU_ASSERT_EQUAL(RA("99999999999999999999999999999999999999"),
			ULLONG_MAX);
	CU_ASSERT_EQUAL(RA("-1"), 0);
	CU_ASSERT_EQUAL(RA("+5"), 0);
	CU_ASSERT_EQUAL(RA("1.5"), 0);
	CU_ASSERT_EQUAL(RA("12abc"), 0);
	CU_ASSERT_EQUAL(RA("1 2"), 0);
	CU_ASSERT_EQUAL(RA(""), 0);
	CU_ASSERT_EQUAL(RA(" \r\n"), 0);
	CU_ASSERT_EQUAL(RA("Wed, 21 Oct 2015 07:28:00 GMT"), 0);
	CU_ASSERT_EQUAL(bd_fetch_parse_retry_after("42", 1), 4); /* length */
#undef RA
}

void bd_test_register_cache(void)
{
	BD_SUITE("fetch", BD_TEST(test_fetch_redirect_policy),
		 BD_TEST(test_fetch_retry_after));
	BD_SUITE("cache", BD_TEST(test_cache_round_trip),
		 BD_TEST(test_cache_keys), BD_TEST(test_cache_symlinked_entry),
		 BD_TEST(test_cache_refused_dir),
		 BD_TEST(test_cache_stored_time),
		 BD_TEST(test_cache_swapped_dir));
}
