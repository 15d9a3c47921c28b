/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/buf.h"
#include "bindep/ldconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A cache image: header, entries (flags, key, value), strings. */
static size_t make_cache(unsigned char *buf, bool msb, const char *const *kv,
			 size_t n, const uint32_t *flags)
{
	size_t strings = 48 + n * 24, off = strings, i;

	memset(buf, 0, 4096);
	memcpy(buf, "glibc-ld.so.cache1.1", 20);
	buf[28] = msb ? 3 : 2;
	for (i = 0; i < 2 * n; i++) {
		size_t len = strlen(kv[i]) + 1;
		unsigned char *e = buf + 48 + (i / 2) * 24 + 4 + (i % 2) * 4;

		e[msb ? 3 : 0] = (unsigned char)(off & 0xff);
		e[msb ? 2 : 1] = (unsigned char)(off >> 8);
		memcpy(buf + off, kv[i], len);
		off += len;
	}
	for (i = 0; i < n; i++) {
		unsigned char *e = buf + 48 + i * 24;

		e[msb ? 3 : 0] = (unsigned char)(flags[i] & 0xff);
		e[msb ? 2 : 1] = (unsigned char)(flags[i] >> 8);
	}
	buf[msb ? 23 : 20] = (unsigned char)n;
	return off;
}

static void test_cache_synthetic(void)
{
	static const char *const kv[] = { "libz.so.1", "/lib/32/libz.so.1",
					  "libz.so.1", "/lib/64/libz.so.1",
					  "libc.so.6", "/lib/libc.so.6" };
	static const uint32_t flags[] = { 0x0003, 0x0303, 0x0303 };
	unsigned char buf[4096], compat[4096 + 32];
	struct bd_ldcache c;
	struct bd_error e;
	size_t len, i;
	int msb;

	for (msb = 0; msb < 2; msb++) {
		len = make_cache(buf, msb, kv, 3, flags);
		bd_ldcache_init(&c);
		CU_ASSERT_EQUAL_FATAL(bd_ldcache_parse(&c, buf, len, &e), 0);
		i = bd_ldcache_find(&c, "libz.so.1");
		CU_ASSERT_EQUAL_FATAL(i, 0);
		CU_ASSERT_STRING_EQUAL(c.entries[i].value, "/lib/32/libz.so.1");
		CU_ASSERT_EQUAL(c.entries[i].flags, 0x0003);
		i = c.next_same[i];
		CU_ASSERT_EQUAL_FATAL(i, 1);
		CU_ASSERT_STRING_EQUAL(c.entries[i].value, "/lib/64/libz.so.1");
		CU_ASSERT_EQUAL(c.entries[i].flags, 0x0303);
		CU_ASSERT_EQUAL(c.next_same[i], SIZE_MAX);
		CU_ASSERT_EQUAL(bd_ldcache_find(&c, "libnone.so"), SIZE_MAX);
		bd_ldcache_release(&c);
	}
	/* The compat format: an empty old part, then the new one. */
	len = make_cache(buf, false, kv, 3, flags);
	memset(compat, 0, sizeof(compat));
	memcpy(compat, "ld.so-1.7.0", 11);
	memcpy(compat + 16, buf, len);
	bd_ldcache_init(&c);
	CU_ASSERT_EQUAL(bd_ldcache_parse(&c, compat, len + 16, &e), 0);
	CU_ASSERT_EQUAL(c.n, 3);
	bd_ldcache_release(&c);
	/* Truncated, bad magic, a string offset past the end. */
	bd_ldcache_init(&c);
	CU_ASSERT_EQUAL(bd_ldcache_parse(&c, buf, 100, &e), BD_EFORMAT);
	bd_ldcache_release(&c);
	buf[0] = 'X';
	bd_ldcache_init(&c);
	CU_ASSERT_EQUAL(bd_ldcache_parse(&c, buf, len, &e), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "not a glibc-ld.so.cache1.1 file");
	bd_ldcache_release(&c);
	len = make_cache(buf, false, kv, 3, flags);
	buf[48 + 8] = 0xff;
	buf[48 + 9] = 0xff;
	bd_ldcache_init(&c);
	CU_ASSERT_EQUAL(bd_ldcache_parse(&c, buf, len, &e), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "out of range"));
	bd_ldcache_release(&c);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* A little-endian cache of n entries, entry i pointing at the key and
 * value strings at keyoff[i % nkeys] and valoff, then strings of the given
 * lengths ('k' and 'v' bytes): returns its size; *buf to free. */
static size_t wide_cache(unsigned char **buf, size_t n, size_t nkeys,
			 size_t keylen, size_t vallen)
{
	size_t strings = 48 + n * 24, size, i;
	unsigned char *b;

	size = strings + nkeys * (keylen + 1) + vallen + 1;
	b = calloc(1, size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	memcpy(b, "glibc-ld.so.cache1.1", 20);
	put32(b + 20, (uint32_t)n);
	b[28] = 2;
	for (i = 0; i < nkeys; i++) {
		unsigned char *k = b + strings + i * (keylen + 1);

		memset(k, 'k', keylen);
		/* distinct keys: the index in base 255, digits 1 to 255 */
		if (keylen >= 3) {
			k[0] = (unsigned char)(1 + i % 255);
			k[1] = (unsigned char)(1 + i / 255 % 255);
			k[2] = (unsigned char)(1 + i / 65025 % 255);
		}
	}
	memset(b + strings + nkeys * (keylen + 1), 'v', vallen);
	for (i = 0; i < n; i++) {
		unsigned char *e = b + 48 + i * 24;

		put32(e, 0x0303);
		put32(e + 4, (uint32_t)(strings + (i % nkeys) * (keylen + 1)));
		put32(e + 8, (uint32_t)(strings + nkeys * (keylen + 1)));
	}
	*buf = b;
	return size;
}

static int parse_wide(size_t n, size_t nkeys, size_t keylen, size_t vallen,
		      struct bd_error *e)
{
	struct bd_ldcache c;
	unsigned char *buf;
	size_t size = wide_cache(&buf, n, nkeys, keylen, vallen);
	int rc;

	bd_ldcache_init(&c);
	rc = bd_ldcache_parse(&c, buf, size, e);
	bd_ldcache_release(&c);
	free(buf);
	return rc;
}

/*
 * Issue 11: a 3 MB cache whose strings run to the end of the file took
 * minutes, each entry's strings being scanned (and its key hashed) to the
 * end. Strings longer than a file name (key) or a path (value) are now
 * refused, and so are more entries, or more entries per soname, than
 * ldconfig would ever write: the work per entry is bounded.
 */
static void test_cache_limits(void)
{
	struct bd_error e;

	CU_ASSERT_EQUAL(parse_wide(4, 4, 255, 4095, &e), 0);
	CU_ASSERT_EQUAL(parse_wide(4, 4, 256, 10, &e), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "too long"));
	CU_ASSERT_EQUAL(parse_wide(4, 4, 10, 4096, &e), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "too long"));
	/* a string that runs to the end of a big file */
	CU_ASSERT_EQUAL(parse_wide(1000, 1, 1u << 20, 10, &e), BD_EFORMAT);
	CU_ASSERT_EQUAL(parse_wide(65536, 65536, 8, 10, &e), 0);
	CU_ASSERT_EQUAL(parse_wide(65537, 65537, 8, 10, &e), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "65537 entries, more than"));
	CU_ASSERT_EQUAL(parse_wide(64, 1, 8, 10, &e), 0);
	CU_ASSERT_EQUAL(parse_wide(65, 1, 8, 10, &e), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "entries for one soname"));
	/* The old format's magic, cut before its header's count. */
	for (size_t n = 11; n < 16; n++) {
		struct bd_ldcache c;

		bd_ldcache_init(&c);
		CU_ASSERT_EQUAL(
			bd_ldcache_parse(&c, "ld.so-1.7.0\0\0\0\0", n, &e),
			BD_EFORMAT);
		bd_ldcache_release(&c);
	}
}

static void test_cache_of_this_machine(void)
{
	struct bd_ldcache c;
	struct bd_error e;
	size_t i;

	bd_ldcache_init(&c);
	CU_ASSERT_EQUAL_FATAL(bd_ldcache_load(&c, NULL, "/etc/ld.so.cache", &e),
			      0);
	CU_ASSERT(c.n > 10);
	i = bd_ldcache_find(&c, "libc.so.6");
	CU_ASSERT_NOT_EQUAL_FATAL(i, SIZE_MAX);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.entries[i].value, "/libc.so.6"));
	CU_ASSERT_EQUAL(c.entries[i].flags & 0xff, 0x03); /* FLAG_ELF_LIBC6 */
	bd_ldcache_release(&c);
	bd_ldcache_init(&c);
	CU_ASSERT_EQUAL(
		bd_ldcache_load(&c, NULL, "/nonexistent/ld.so.cache", &e),
		BD_ENOENT);
	bd_ldcache_release(&c);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Parses buf (len bytes) as a cache: it must be taken (its entries are
 * good), each glibc-hwcaps entry named by want or by nothing (NULL). */
static void hwcaps_named(const unsigned char *buf, size_t len, const char *want)
{
	struct bd_ldcache c;
	struct bd_error e;
	size_t i, named = 0;

	bd_ldcache_init(&c);
	CU_ASSERT_EQUAL_FATAL(bd_ldcache_parse(&c, buf, len, &e), 0);
	for (i = 0; i < c.n; i++) {
		if (!c.entries[i].named_hwcaps)
			continue;
		named++;
		if (want) {
			CU_ASSERT(c.entries[i].hwcaps &&
				  !strcmp(c.entries[i].hwcaps, want));
		} else {
			CU_ASSERT_PTR_NULL(c.entries[i].hwcaps);
		}
	}
	CU_ASSERT_EQUAL(named, 1);
	bd_ldcache_release(&c);
}

/* The index of the (one) glibc-hwcaps entry of a cache. */
static size_t hw_entry(const unsigned char *buf)
{
	size_t i;

	for (i = 0; i < le32(buf + 20); i++)
		if ((le32(buf + 48 + 24 * i + 20) & ~0x3ffu) == 1u << 30)
			return i;
	return 0;
}

/*
 * A cache made by this machine's ldconfig with one glibc-hwcaps entry,
 * then made hostile where the loader reads its extension (glibc 2.33+):
 * each bad field leaves the entry unnamed (no loader uses it), never
 * read out of bounds, and the cache still taken. The fields: the
 * extension's offset past the end and misaligned, its count huge, its
 * section past the end or its size huge, the entry's index past the
 * names, a name's offset past the end, a name without its NUL (the
 * file cut in it); a name of invalid UTF-8 is read as its bytes.
 */
static void test_cache_hwcaps_hostile(void)
{
	char dir[] = "/tmp/bd-ldcache-XXXXXX", path[96];
	unsigned char *buf, *bad;
	uint32_t ext, count, off = 0, size = 0, k;
	size_t len = 0, i;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p %1$s/etc %1$s/opt/h/glibc-hwcaps/x86-64-v3 && "
		   "echo /opt/h > %1$s/etc/ld.so.conf && "
		   "cp /lib/x86_64-linux-gnu/libz.so.1 "
		   "%1$s/opt/h/glibc-hwcaps/x86-64-v3/ && "
		   "ldconfig -r %1$s",
		   dir);
	snprintf(path, sizeof(path), "%s/etc/ld.so.cache", dir);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	buf = malloc(1 << 20);
	bad = malloc(1 << 20);
	CU_ASSERT_FATAL(buf && bad);
	len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	CU_ASSERT_FATAL(len > 48 && len < (1 << 20));
	hwcaps_named(buf, len, "x86-64-v3");
	ext = le32(buf + 32);
	CU_ASSERT_FATAL(ext && ext + 8 <= len);
	count = le32(buf + ext + 4);
	for (k = 0; k < count && ext + 8 + 16 * (k + 1) <= len; k++)
		if (le32(buf + ext + 8 + 16 * k) == 1) {
			off = le32(buf + ext + 8 + 16 * k + 8);
			size = le32(buf + ext + 8 + 16 * k + 12);
			break;
		}
	CU_ASSERT_FATAL(k < count && size >= 4 && off + size <= len);
#define HOSTILE(at, value)                                                     \
	do {                                                                   \
		memcpy(bad, buf, len);                                         \
		put_le32(bad + (at), (value));                                 \
		hwcaps_named(bad, len, NULL);                                  \
	} while (0)
	HOSTILE(32, (uint32_t)len + 4); /* extension past the end */
	HOSTILE(32, ext + 2);		/* misaligned */
	HOSTILE(32, 0xfffffffcu);	/* wraps */
	HOSTILE(ext + 4, 0xffffffffu);	/* a huge count */
	HOSTILE(ext + 8 + 16 * k + 8, (uint32_t)len); /* section at the end */
	HOSTILE(ext + 8 + 16 * k + 12, 0xfffffff0u);  /* its size huge */
	HOSTILE(off, (uint32_t)len + 100);	      /* a name past the end */
	/* The entry's index (the low half of its hwcap) past the names. */
	for (i = 0; i < le32(buf + 20); i++) {
		unsigned char *hw = buf + 48 + 24 * i + 16;

		if ((le32(hw + 4) & ~0x3ffu) == 1u << 30)
			HOSTILE(48 + 24 * i + 16, size / 4);
	}
#undef HOSTILE
	/* A section of 256 names is read, one of 257 is not (the file long
	 * enough for either). */
	memset(bad, 0, len + 2048);
	memcpy(bad, buf, len);
	put_le32(bad + ext + 8 + 16 * k + 12, 256 * 4);
	hwcaps_named(bad, len + 2048, "x86-64-v3");
	put_le32(bad + ext + 8 + 16 * k + 12, 257 * 4);
	hwcaps_named(bad, len + 2048, NULL);
	/* A name at the end of the file, without its NUL (the file cut
	 * in it): none. */
	memcpy(bad, buf, len);
	memcpy(bad + len, "x86-64-v3", 9);
	put_le32(bad + off, (uint32_t)len);
	hwcaps_named(bad, len + 9, NULL);
	/* A new extension directory at the end: the hwcaps section, then a
	 * second section past the end of the file. glibc's
	 * cache_extension_load checks every section and fails the whole
	 * extension: no entry is named. */
	{
		size_t at = (len + 3) & ~(size_t)3, names;

		memcpy(bad, buf, len);
		memset(bad + len, 0, at - len + 64);
		put_le32(bad + 32, (uint32_t)at);
		put_le32(bad + at, 0xeaa42174u);
		put_le32(bad + at + 4, 2);
		put_le32(bad + at + 8, 1);
		put_le32(bad + at + 16, off);
		put_le32(bad + at + 20, size);
		put_le32(bad + at + 24, 0);
		put_le32(bad + at + 32, (uint32_t)at + 1000);
		put_le32(bad + at + 36, 4);
		hwcaps_named(bad, at + 40, NULL);
		/* Two hwcaps sections: the last is glibc's. Its names are
		 * the first's, but for the name at index 0. */
		names = at + 40;
		memcpy(bad + names, buf + off, size);
		memcpy(bad + names + size, "x86-64-v2", 10);
		put_le32(bad + names, (uint32_t)(names + size));
		put_le32(bad + at + 24, 1);
		put_le32(bad + at + 32, (uint32_t)names);
		put_le32(bad + at + 36, size);
		hwcaps_named(bad, names + size + 10,
			     le32(buf + 48 + 24 * hw_entry(buf) + 16) == 0
				     ? "x86-64-v2"
				     : "x86-64-v3");
	}
	/* A header flagged endian-invalid (flags 1) is a cache the loader
	 * ignores (cache_file_new_matches_endian). */
	{
		struct bd_ldcache c;
		struct bd_error e;

		memcpy(bad, buf, len);
		bad[28] = 1;
		bd_ldcache_init(&c);
		CU_ASSERT_EQUAL(bd_ldcache_parse(&c, bad, len, &e), BD_EFORMAT);
		bd_ldcache_release(&c);
	}
	/* Invalid UTF-8 in the name: read as its bytes (a name no target
	 * has: the search skips the entry). */
	memcpy(bad, buf, len);
	bad[le32(buf + off)] = 0xff;
	hwcaps_named(bad, len,
		     "\xff"
		     "86-64-v3");
	free(buf);
	free(bad);
	bd_test_sh("rm -rf '%s'", dir);
}

static int collect_include(void *ctx, const char *pattern)
{
	snprintf(ctx, 64, "%s", pattern);
	return 0;
}

static int append_include(void *ctx, const char *pattern)
{
	bd_buf_printf(ctx, "[%s]", pattern);
	return 0;
}

/* The len bytes of text parsed: d its directories, got its include
 * patterns, each in brackets. */
static void parse_lines(const char *text, size_t len, struct bd_dirlist *d,
			struct bd_buf *got)
{
	bd_dirlist_init(d);
	CU_ASSERT_EQUAL(bd_ldconf_parse(text, len, d, append_include, got), 0);
}

/* Each line is one directory, whole, as glibc 2.36's ldconfig takes it
 * (parse_conf hands the line to add_dir_1): a blank, ',' or ':' inside it
 * is part of the name, "dir=type" keeps dir, trailing blanks and slashes
 * go, "/" alone is dropped, and "hwcap" in any case is ignored. */
static void test_conf_parse(void)
{
	const char text[] =
		"# comment\n/usr/local/lib\n  /opt/a/lib/  \n"
		"/opt/b=libc6 # trailing\nhwcap 1 tls\nHWCAP 2 x\n"
		"relative/ignored\ninclude /etc/ld.so.conf.d/*.conf\n"
		"/usr/local/lib\n/\n";
	struct bd_dirlist d;
	char include[64] = "";

	bd_dirlist_init(&d);
	CU_ASSERT_EQUAL(bd_ldconf_parse(text, sizeof(text) - 1, &d,
					collect_include, include),
			0);
	CU_ASSERT_EQUAL_FATAL(d.n, 3);
	CU_ASSERT_STRING_EQUAL(d.dirs[0], "/usr/local/lib");
	CU_ASSERT_STRING_EQUAL(d.dirs[1], "/opt/a/lib");
	CU_ASSERT_STRING_EQUAL(d.dirs[2], "/opt/b");
	CU_ASSERT_STRING_EQUAL(include, "/etc/ld.so.conf.d/*.conf");
	bd_dirlist_release(&d);
}

/* What this machine's ldconfig (glibc 2.36) made of these lines: a line
 * "/opt/a /opt/b" or "/opt/a:/opt/c" names one directory (none here),
 * never /opt/b or /opt/c; "/opt/my libs" is the directory with a blank in
 * its name, not "/opt/my"; a NUL ends the line; an include's patterns are
 * split at blanks and tabs only, so a CR before the newline is part of
 * the pattern (which matches no file). */
static void test_conf_lines_as_ldconfig(void)
{
	const char text[] = "/opt/a /opt/b\n/opt/a:/opt/c\n/opt/my libs\n"
			    "  /opt/d/ , \n/opt/e\0/opt/f\n"
			    "include /etc/d/*.conf\r\n"
			    "include\ta.conf\vb.conf\n";
	struct bd_buf got = BD_BUF_INIT;
	struct bd_dirlist d;

	parse_lines(text, sizeof(text) - 1, &d, &got);
	CU_ASSERT_EQUAL_FATAL(d.n, 5);
	CU_ASSERT_STRING_EQUAL(d.dirs[0], "/opt/a /opt/b");
	CU_ASSERT_STRING_EQUAL(d.dirs[1], "/opt/a:/opt/c");
	CU_ASSERT_STRING_EQUAL(d.dirs[2], "/opt/my libs");
	CU_ASSERT_STRING_EQUAL(d.dirs[3], "/opt/d/ ,");
	CU_ASSERT_STRING_EQUAL(d.dirs[4], "/opt/e");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got),
			       "[/etc/d/*.conf\r][a.conf\vb.conf]");
	bd_dirlist_release(&d);
	bd_buf_release(&got);
}

/* ldconfig reads each word after "include" as a pattern (glibc 2.36's
 * parse_conf splits the line at blanks): "include a b" was taken for one
 * file named "a b", and neither was read. */
static void test_conf_include_words(void)
{
	const char text[] = "include a.conf\tb.conf   /c/*.conf  \n"
			    "include   d.conf # e.conf\n";
	struct bd_buf got = BD_BUF_INIT;
	struct bd_dirlist d;

	parse_lines(text, sizeof(text) - 1, &d, &got);
	CU_ASSERT_EQUAL(d.n, 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got),
			       "[a.conf][b.conf][/c/*.conf][d.conf]");
	bd_dirlist_release(&d);
	bd_buf_release(&got);
}

static int warnings;

static void count(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	(void)msg;
	warnings += level == BD_DIAG_WARNING;
}

static void test_conf_includes_under_root(void)
{
	char dir[] = "/tmp/bd-conf-XXXXXX", path[128];
	struct bd_diag diag = { count, NULL };
	struct bd_root r;
	struct bd_dirlist d;
	struct bd_error e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/ld.so.conf.d", dir);
	mkdir(path, 0755);
	bd_test_write(dir, "/etc/ld.so.conf",
		      "/first\ninclude ld.so.conf.d/*.conf\n"
		      "/last\n");
	bd_test_write(dir, "/etc/ld.so.conf.d/b.conf", "/from-b\n");
	bd_test_write(dir, "/etc/ld.so.conf.d/a.conf", "/from-a\n");
	bd_test_write(dir, "/etc/ld.so.conf.d/loop.conf",
		      "include /etc/ld.so.conf.d/loop.conf\n");
	bd_test_write(dir, "/etc/ld.so.conf.d/skip.txt", "/not-included\n");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, dir, NULL), 0);
	bd_dirlist_init(&d);
	warnings = 0;
	CU_ASSERT_EQUAL(bd_ldconf_load(&r, "/etc/ld.so.conf", &d, &diag, &e),
			0);
	CU_ASSERT_EQUAL_FATAL(d.n, 4);
	CU_ASSERT_STRING_EQUAL(d.dirs[0], "/first");
	CU_ASSERT_STRING_EQUAL(d.dirs[1], "/from-a"); /* sorted, as glob */
	CU_ASSERT_STRING_EQUAL(d.dirs[2], "/from-b");
	CU_ASSERT_STRING_EQUAL(d.dirs[3], "/last");
	CU_ASSERT_EQUAL(warnings, 1); /* the loop, cut at the depth limit */
	bd_dirlist_release(&d);
	CU_ASSERT_EQUAL(bd_ldconf_load(&r, "/etc/none.conf", &d, &diag, &e),
			BD_ENOENT);
	bd_root_release(&r);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* Issue 11: 120,000 directories deduplicated by a linear scan took 51 s.
 * Repeats are found by a map, and the list stops at its limit. */
static void test_conf_many_directories(void)
{
	struct bd_buf text = BD_BUF_INIT;
	struct bd_dirlist d;
	unsigned i;

	for (i = 0; i < 3000; i++)
		bd_buf_printf(&text, "/d%u\n/d%u\n", i % 1000, i % 7);
	bd_dirlist_init(&d);
	CU_ASSERT_EQUAL(bd_ldconf_parse(text.data, text.len, &d, NULL, NULL),
			0);
	CU_ASSERT_EQUAL_FATAL(d.n, 1000);
	CU_ASSERT_STRING_EQUAL(d.dirs[0], "/d0");
	CU_ASSERT_STRING_EQUAL(d.dirs[2], "/d2");
	CU_ASSERT_STRING_EQUAL(d.dirs[999], "/d999");
	bd_dirlist_release(&d);
	bd_buf_reset(&text);
	for (i = 0; i < 20000; i++)
		bd_buf_printf(&text, "/dir/%u\n", i);
	bd_dirlist_init(&d);
	CU_ASSERT_EQUAL(bd_ldconf_parse(text.data, text.len, &d, NULL, NULL),
			BD_ELIMIT);
	CU_ASSERT_EQUAL(d.n, BD_LDCONF_MAX_DIRS);
	bd_dirlist_release(&d);
	bd_buf_release(&text);
}

/* musl's path file: ':' and newlines separate, empty and relative entries
 * are skipped, a NUL ends the text, and the text need not end in one (a
 * read of the first bytes of a long file). */
static void test_musl_path_parse(void)
{
	static const char text[] = "/lib:/usr/local/lib\n\n::lib/rel:/opt/x/"
				   "\n/lib\0/after/nul";
	struct bd_dirlist d;

	bd_dirlist_init(&d);
	CU_ASSERT_EQUAL(bd_musl_path_parse(text, sizeof(text) - 1, &d), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 3);
	CU_ASSERT_STRING_EQUAL(d.dirs[0], "/lib");
	CU_ASSERT_STRING_EQUAL(d.dirs[1], "/usr/local/lib");
	CU_ASSERT_STRING_EQUAL(d.dirs[2], "/opt/x");
	bd_dirlist_release(&d);
	/* Cut inside a name: what is there is a directory. */
	bd_dirlist_init(&d);
	CU_ASSERT_EQUAL(bd_musl_path_parse("/a:/usr/li", 10, &d), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 2);
	CU_ASSERT_STRING_EQUAL(d.dirs[1], "/usr/li");
	bd_dirlist_release(&d);
	bd_dirlist_init(&d);
	d.max = 1;
	CU_ASSERT_EQUAL(bd_musl_path_parse("/a:/b", 5, &d), BD_ELIMIT);
	CU_ASSERT_EQUAL(d.n, 1);
	bd_dirlist_release(&d);
}

static char last_warning[512];

static void keep(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	warnings += level == BD_DIAG_WARNING;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

/* n files in etc/d of the root in dir, their names their index in width
 * digits, say body. */
static void include_files(const char *dir, unsigned n, int width,
			  const char *body)
{
	char path[128];
	unsigned i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/etc/d/%0*u.conf", width, i);
		bd_test_write(dir, path, body);
	}
}

/* A root made in dir whose ld.so.conf names /first and includes the
 * .conf files of etc/d, n of them (include_files). */
static void include_root(char *dir, unsigned n, int width, const char *body)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("mkdir -p '%s/etc/d'", dir);
	bd_test_write(dir, "/etc/ld.so.conf", "/first\ninclude d/*.conf\n");
	include_files(dir, n, width, body);
}

/* The root's ld.so.conf loaded: it lists ndirs directories, the first
 * first, with nwarnings warnings (last_warning the last). */
static void load_included(const char *dir, size_t ndirs, const char *first,
			  unsigned nwarnings)
{
	struct bd_diag diag = { keep, NULL };
	struct bd_root r;
	struct bd_dirlist d;
	struct bd_error e;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, dir, NULL), 0);
	bd_dirlist_init(&d);
	warnings = 0;
	CU_ASSERT_EQUAL(bd_ldconf_load(&r, "/etc/ld.so.conf", &d, &diag, &e),
			0);
	CU_ASSERT_EQUAL(d.n, ndirs);
	CU_ASSERT_STRING_EQUAL(d.n ? d.dirs[0] : "", first);
	CU_ASSERT_EQUAL(warnings, nwarnings);
	bd_dirlist_release(&d);
	bd_root_release(&r);
}

/* Issue 11: an include glob of 30,000 files gave 29,000 "nested too deep"
 * warnings. Each limit now gives one warning per run. */
static void test_conf_include_limits(void)
{
	char dir[] = "/tmp/bd-conf-XXXXXX";

	include_root(dir, 1100, 4, "/from-d\n");
	load_included(dir, 2, "/first", 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_warning,
				      "'/etc/ld.so.conf': more "
				      "than 1024 included files"));
	/* Every file includes every file: the depth limit, then the count. */
	include_files(dir, 1100, 4, "include /etc/d/*.conf\n");
	load_included(dir, 1, "/first", 2);
	bd_test_sh("rm -rf '%s'", dir);
}

/* README's limit: an include pattern matching more than 16,384 names
 * reads none of them, with one warning; at 16,384 the files are read (up
 * to the 1,024 included files). */
static void test_conf_glob_limit(void)
{
	char dir[] = "/tmp/bd-conf-XXXXXX";

	include_root(dir, 16384, 5, "/from-d\n");
	load_included(dir, 2, "/first", 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_warning, "more than 1024 included "
						    "files"));
	bd_test_write(dir, "/etc/d/16384.conf", "/from-d\n");
	load_included(dir, 1, "/first", 1);
	CU_ASSERT_STRING_EQUAL(last_warning,
			       "'/etc/ld.so.conf': include pattern 'd/*.conf' "
			       "matches more than 16384 files, not read");
	bd_test_sh("rm -rf '%s'", dir);
}

/* An included file that is a symlink loop is one warning and not read,
 * as ldconfig's parse_conf ignores a file it cannot open ("Warning:
 * ignoring configuration file that cannot be opened"): the files after
 * it and the lines after the include are read. It had ended the whole
 * read, with a warning of too many directories. A FIFO is said and
 * passed over, unopened. */
static void test_conf_include_loop_and_fifo(void)
{
	char dir[] = "/tmp/bd-conf-XXXXXX", path[160];

	include_root(dir, 0, 1, "");
	bd_test_write(dir, "/etc/ld.so.conf",
		      "/first\ninclude d/*.conf\n/last\n");
	bd_test_sh("ln -s a.conf '%s/etc/d/a.conf'", dir);
	bd_test_write(dir, "/etc/d/b.conf", "/from-b\n");
	snprintf(path, sizeof(path), "%s/etc/d/c.conf", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0644), 0);
	bd_test_write(dir, "/etc/d/d.conf", "/from-d\n");
	load_included(dir, 4, "/first", 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_warning, "c.conf"));
	bd_test_sh("rm -rf '%s'", dir);
}

void bd_test_register_ldconf(void)
{
	BD_SUITE("ldconf", BD_TEST(test_cache_synthetic),
		 BD_TEST(test_cache_limits),
		 BD_TEST(test_cache_of_this_machine), BD_TEST(test_conf_parse),
		 BD_TEST(test_conf_includes_under_root),
		 BD_TEST(test_cache_hwcaps_hostile),
		 BD_TEST(test_conf_include_words),
		 BD_TEST(test_conf_lines_as_ldconfig),
		 BD_TEST(test_conf_many_directories),
		 BD_TEST(test_conf_include_limits),
		 BD_TEST(test_conf_glob_limit),
		 BD_TEST(test_conf_include_loop_and_fifo),
		 BD_TEST(test_musl_path_parse));
}
