/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/buf.h"
#include "bindep/strrules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one version by a pattern, anywhere in text (as a strings rule). */
static const char *read_one(const char *pattern, const char *text, size_t len)
{
	static char out[BD_VERSION_MAX + 1];
	struct bd_version_pattern vp;
	size_t i, n;

	CU_ASSERT_FATAL(bd_version_pattern_parse(pattern, &vp));
	for (i = 0; i + vp.prefix_len <= len; i++) {
		if (memcmp(text + i, vp.prefix, vp.prefix_len))
			continue;
		n = bd_version_read(text + i + vp.prefix_len,
				    len - i - vp.prefix_len, &vp, false);
		if (n) {
			snprintf(out, sizeof(out), "%.*s", (int)n,
				 text + i + vp.prefix_len);
			return out;
		}
	}
	return NULL;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The grammar: a lead the version starts with, "{digit}" in a suffix, at
 * most BD_VERSION_MAX bytes, one placeholder. */
static void test_grammar(void)
{
	static const char node[] = "enable OpenSSL 3.0 legacy provider";
	static const char real[] = "x\0OpenSSL 3.0.19 27 Jan 2026";
	static const char old[] = "OpenSSL 1.1.1w  11 Sep 2023";
	struct bd_version_pattern vp;
	const char *v;
	char big[200];

	CU_ASSERT(same(
		read_one("OpenSSL {version} {digit}", node, sizeof(node) - 1),
		NULL));
	CU_ASSERT(same(
		read_one("OpenSSL {version} {digit}", real, sizeof(real) - 1),
		"3.0.19"));
	CU_ASSERT(same(
		read_one("OpenSSL {version}  {digit}", old, sizeof(old) - 1),
		"1.1.1w"));
	CU_ASSERT(
		same(read_one("v{version:3.}", "v1.2 v3.40.1", 12), "3.40.1"));
	CU_ASSERT(same(read_one("v{version:3.}", "v3.", 3), NULL));
	/* A word after the first dot is no version: protobuf's type names
	 * ("\x0e23.privacy.context...") gave SQLite the version
	 * "3.privacy.context.PrivacyContextTraceInfo.UserActionH". */
	CU_ASSERT(same(read_one("v{version:3.}", "v3.privacy.context", 18),
		       NULL));
	CU_ASSERT(same(read_one("x {version}", "x 3.rc.config", 13), NULL));
	CU_ASSERT(same(read_one("x {version}", "x 9e", 4), "9e"));
	CU_ASSERT(same(read_one("x {version}", "x 8.rc1", 7), "8.rc1"));
	CU_ASSERT(same(read_one("x {version}", "x 2.post1", 9), "2.post1"));
	CU_ASSERT(same(read_one("x {version}", "x 0.dev20230101", 15),
		       "0.dev20230101"));
	CU_ASSERT(same(read_one("x {version}", "x 3.rcx", 7), NULL));
	CU_ASSERT(
		same(read_one("x {version}", "x 2.0-rc1.2", 11), "2.0-rc1.2"));
	CU_ASSERT(bd_version_pattern_parse("a{version:10.} {digit}x", &vp));
	CU_ASSERT_EQUAL(vp.lead_len, 3);
	CU_ASSERT_EQUAL(vp.suffix_len, 3);
	CU_ASSERT(!bd_version_pattern_parse("a{version:}", &vp));
	CU_ASSERT(!bd_version_pattern_parse("a{version:x}", &vp));
	CU_ASSERT(!bd_version_pattern_parse("a{version:1 }", &vp));
	CU_ASSERT(!bd_version_pattern_parse("a{version} {version}", &vp));
	CU_ASSERT(!bd_version_pattern_parse("a{version", &vp));
	/* A run longer than a version can be is none. */
	memset(big, '1', sizeof(big));
	memcpy(big, "ver ", 4);
	CU_ASSERT(
		same(read_one("ver {version}", big, 5 + BD_VERSION_MAX), NULL));
	v = read_one("ver {version}", big, 4 + BD_VERSION_MAX);
	CU_ASSERT(v && strlen(v) == BD_VERSION_MAX);
}

/* What a rule may not be: a needle too short or too long for the scan. */
static void test_problems(void)
{
	static const struct {
		enum bd_strrule_kind kind;
		const char *pattern;
		bool ok;
	} cases[] = {
		{ BD_STRRULE_VERSION, "deflate {version} Copyright", true },
		{ BD_STRRULE_VERSION, "v{version}", false },
		{ BD_STRRULE_VERSION, "{version}", false },
		{ BD_STRRULE_VERSION, "abcd", false },
		{ BD_STRRULE_BARE, "{version:3.}", true },
		{ BD_STRRULE_BARE, "{version:10.} {digit}", true },
		{ BD_STRRULE_BARE, "{version:3}", false },
		{ BD_STRRULE_BARE, "{version}", false },
		/* A prefix starts the string ("GDAL 3.6.2"). */
		{ BD_STRRULE_BARE, "x{version:3.}", true },
		{ BD_STRRULE_BARE, "x{version:3}", false },
		{ BD_STRRULE_MARKER, "LibsodiumDRG", true },
		{ BD_STRRULE_MARKER, "short", false },
		{ BD_STRRULE_LICENSE,
		  "libavcodec license: GPL version 2 or later", true },
		{ BD_STRRULE_LICENSE, "GPL v2", false },
		{ BD_STRRULE_LICENSE, "", false },
	};
	char long_needle[200];
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(cases); i++) {
		struct bd_strrule r = { cases[i].kind, cases[i].pattern, 0 };

		CU_ASSERT_EQUAL(bd_strrule_problem(&r) == NULL, cases[i].ok);
		if ((bd_strrule_problem(&r) == NULL) != cases[i].ok)
			fprintf(stderr, "\n  %s", cases[i].pattern);
	}
	memset(long_needle, 'a', sizeof(long_needle));
	snprintf(long_needle + 140, sizeof(long_needle) - 140, "{version}");
	CU_ASSERT_PTR_NOT_NULL(bd_strrule_problem(
		&(struct bd_strrule){ BD_STRRULE_VERSION, long_needle, 0 }));
	long_needle[BD_STRRULE_MAX_NEEDLE + 1] = '\0';
	CU_ASSERT_PTR_NOT_NULL(bd_strrule_problem(
		&(struct bd_strrule){ BD_STRRULE_LICENSE, long_needle, 0 }));
	long_needle[BD_STRRULE_MAX_NEEDLE] = '\0';
	CU_ASSERT_PTR_NULL(bd_strrule_problem(
		&(struct bd_strrule){ BD_STRRULE_LICENSE, long_needle, 0 }));
}

static const struct bd_strrule RULES[] = {
	{ BD_STRRULE_VERSION, "deflate {version} Copyright", 0 },
	{ BD_STRRULE_VERSION, "OpenSSL {version} {digit}", 1 },
	{ BD_STRRULE_BARE, "{version:3.}", 2 },
	{ BD_STRRULE_BARE, "{version:10.} {digit}", 3 },
	{ BD_STRRULE_MARKER, "database disk image is malformed", 4 },
	/* Equal needles: both rules read. */
	{ BD_STRRULE_VERSION, "deflate {version} Copy", 5 },
};

static struct bd_strrules *rules(void)
{
	struct bd_strrules *r;
	struct bd_error err;

	CU_ASSERT_EQUAL_FATAL(
		bd_strrules_build(&r, RULES, BD_ARRAY_SIZE(RULES), &err), 0);
	return r;
}

/* The hits as one line each: rule, version, text, more. */
static void describe(const struct bd_string_hits *h, struct bd_buf *out)
{
	size_t i;

	bd_buf_reset(out);
	for (i = 0; i < h->n; i++)
		bd_buf_printf(out, "%u|%s|%s|%d\n", h->items[i].rule,
			      h->items[i].version ? h->items[i].version : "-",
			      h->items[i].text, h->items[i].more);
	bd_buf_printf(out, "capped %d", h->capped);
}

static void feed_whole(const struct bd_strrules *r, const void *data,
		       size_t len, struct bd_buf *out)
{
	struct bd_string_hits h = { 0 };
	struct bd_arena a;

	bd_arena_init(&a);
	bd_strrules_feed(r, data, len, &a, &h);
	describe(&h, out);
	bd_string_hits_release(&h);
	bd_arena_release(&a);
}

/* The region in pieces of the sizes seed draws (1 to max bytes). */
static void feed_pieces(const struct bd_strrules *r, const unsigned char *data,
			size_t len, unsigned *seed, size_t max,
			struct bd_buf *out)
{
	struct bd_strrules_stream *st = malloc(sizeof(*st));
	struct bd_string_hits h = { 0 };
	struct bd_arena a;
	size_t at = 0, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	bd_arena_init(&a);
	bd_strrules_stream_start(st, len);
	while (at < len) {
		n = 1 + (size_t)rand_r(seed) % max;
		n = n < len - at ? n : len - at;
		if (bd_strrules_stream_feed(r, st, data + at, n, &a, &h))
			break;
		at += n;
	}
	bd_strrules_stream_end(r, st, &a, &h);
	describe(&h, out);
	bd_string_hits_release(&h);
	bd_arena_release(&a);
	free(st);
}

/* The region in two pieces, the first of k bytes. */
static void feed_two(const struct bd_strrules *r, const unsigned char *data,
		     size_t len, size_t k, struct bd_buf *out)
{
	struct bd_strrules_stream *st = malloc(sizeof(*st));
	struct bd_string_hits h = { 0 };
	struct bd_arena a;

	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	bd_arena_init(&a);
	bd_strrules_stream_start(st, len);
	if (!bd_strrules_stream_feed(r, st, data, k, &a, &h))
		bd_strrules_stream_feed(r, st, data + k, len - k, &a, &h);
	bd_strrules_stream_end(r, st, &a, &h);
	describe(&h, out);
	bd_string_hits_release(&h);
	bd_arena_release(&a);
	free(st);
}

/* Each rule kind finds what it should, and only that. */
static void test_kinds(void)
{
	static const char text[] =
		" deflate 1.2.13 Copyright 1995\0"
		"enable OpenSSL 3.0 legacy provider\0"
		"OpenSSL 3.0.19 27 Jan 2026\0"
		"\0003.40.1\0"	   /* bare: a string of its own */
		"x3.99.9\0"	   /* not: runs on from "x" */
		"\0003.41.0 abc\0" /* not: the version does not end it */
		"\x85"
		"3.5.4\0" /* after a table's byte: its own */
		"\xff"
		"w3.7.7\0" /* after a table's tail: its own */
		"\00010.42 2022-12-11\0"
		"SQL database disk image is malformed\0" /* quoted */
		"\0database disk image is malformed\0";
	struct bd_strrules *r = rules();
	struct bd_buf got = BD_BUF_INIT;

	feed_whole(r, text, sizeof(text) - 1, &got);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got),
			       "5|1.2.13|deflate 1.2.13 Copy|0\n"
			       "0|1.2.13|deflate 1.2.13 Copyright|0\n"
			       "1|3.0.19|OpenSSL 3.0.19 2|0\n"
			       "2|3.40.1|3.40.1|0\n"
			       "2|3.5.4|3.5.4|0\n"
			       "2|3.7.7|3.7.7|0\n"
			       "3|10.42|10.42 2|0\n"
			       "4|-|database disk image is malformed|0\n"
			       "capped 0");
	bd_buf_release(&got);
	bd_strrules_free(r);
}

/*
 * A bare rule's prefix starts the string with it ("GDAL 3.6.2", not "in
 * GDAL 3.5.0"), and "{nul}" in a suffix is the end of the version's string
 * ("v1.5.6" followed by the string "Development Version", not a storage
 * version "v1.5.5" followed by another); whole and in pieces alike.
 */
static void test_bare_prefix_and_nul(void)
{
	static const char text[] = "\0GDAL 1.9dev\0"
				   "handled in GDAL 3.5.0\0"
				   "\0GDAL 3.7.0 beta\0"
				   "\0GDAL 3.6.2\0"
				   "\0v1.5.5\0Histrionicus\0"
				   "xv1.5.7\0Development Version\0"
				   "\0v1.5.6\0Development Version\0";
	static const struct bd_strrule two[] = {
		{ BD_STRRULE_BARE, "GDAL {version:3.}", 0 },
		{ BD_STRRULE_BARE, "v{version:1.}{nul}Development Version", 1 },
	};
	struct bd_buf got = BD_BUF_INIT, piece = BD_BUF_INIT;
	struct bd_strrules *r;
	struct bd_error err;
	unsigned seed;

	CU_ASSERT_EQUAL_FATAL(bd_strrules_build(&r, two, 2, &err), 0);
	feed_whole(r, text, sizeof(text) - 1, &got);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got), "0|3.6.2|GDAL 3.6.2|0\n"
						 "1|1.5.6|v1.5.6|0\n"
						 "capped 0");
	for (seed = 1; seed < 40; seed++) {
		unsigned s = seed;

		feed_pieces(r, (const unsigned char *)text, sizeof(text) - 1,
			    &s, 1 + seed % 9, &piece);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&piece), bd_buf_str(&got));
	}
	bd_buf_release(&got);
	bd_buf_release(&piece);
	bd_strrules_free(r);
}

/*
 * A licence string is a whole string: after a byte that is no printable
 * ASCII and ended by its NUL (FFmpeg's avcodec_license() returns the tail
 * of "libavcodec license: " FFMPEG_LICENSE). Not one a longer text starts
 * with, nor one quoted inside another, nor one the region cuts before its
 * NUL; whole and in pieces of every size alike, the NUL in the next piece
 * included.
 */
static void test_licence_strings(void)
{
	static const char text[] =
		"\0\0\0\0libavcodec license: GPL version 2 or later\0"
		"\0\0FFmpeg version 5.1.9-0+deb12u1\0"
		"xlibavcodec license: LGPL version 2.1 or later\0"
		"\0libavcodec license: GPL version 3 or later, say\0"
		"\0libavcodec license: LGPL version 2.1 or later\0"
		"\0libavcodec license: GPL version 2 or later\0" /* again */
		"\0libavcodec license: GPL version 3 or later";
	static const struct bd_strrule four[] = {
		{ BD_STRRULE_LICENSE,
		  "libavcodec license: LGPL version 2.1 or later", 0 },
		{ BD_STRRULE_LICENSE,
		  "libavcodec license: GPL version 2 or later", 1 },
		{ BD_STRRULE_LICENSE,
		  "libavcodec license: GPL version 3 or later", 2 },
		{ BD_STRRULE_VERSION, "FFmpeg version {version}-", 3 },
	};
	struct bd_buf got = BD_BUF_INIT, piece = BD_BUF_INIT;
	struct bd_strrules *r;
	struct bd_error err;
	unsigned seed;
	size_t k;

	CU_ASSERT_EQUAL_FATAL(bd_strrules_build(&r, four, 4, &err), 0);
	feed_whole(r, text, sizeof(text) - 1, &got);
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&got),
		"1|-|libavcodec license: GPL version 2 or later|0\n"
		"3|5.1.9|FFmpeg version 5.1.9-|0\n"
		"0|-|libavcodec license: LGPL version 2.1 or later|0\n"
		"capped 0");
	for (seed = 1; seed < 80; seed++) {
		unsigned s = seed;

		feed_pieces(r, (const unsigned char *)text, sizeof(text) - 1,
			    &s, 1 + seed % 50, &piece);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&piece), bd_buf_str(&got));
	}
	/* Two pieces, cut at each byte: a chunk of the planned read ends
	 * inside the string, or right before its NUL. */
	for (k = 0; k <= sizeof(text) - 1; k++) {
		feed_two(r, (const unsigned char *)text, sizeof(text) - 1, k,
			 &piece);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&piece), bd_buf_str(&got));
	}
	bd_buf_release(&got);
	bd_buf_release(&piece);
	bd_strrules_free(r);
}

/* "{version:LEAD|FORMAT}": a number's digits as parts, from the right. */
static void test_format(void)
{
	static const struct {
		const char *pattern, *read, *want;
	} cases[] = {
		{ "{version:20|M.mm.pp}", "20914", "2.9.14" },
		{ "{version:21|M.mm.pp}", "21504", "2.15.4" },
		{ "{version:3|M.mmm.ppp}", "3040001", "3.40.1" },
		{ "{version:1|MM.mm.pp}", "100000", "10.0.0" },
		{ "{version:1|MM.mm.pp}", "10000", "1.0.0" },
		/* Not of the shape: no digit left for the first part, or
		 * not a number. */
		{ "{version:20|M.mm.pp}", "2091", NULL },
		{ "{version:20|M.mm.pp}", "2022-12-11", NULL },
		{ "{version:20|M.mm.pp}", "20221211", NULL },
	};
	static const char *const bad[] = {
		"{version:20|}",     "{version:20|M}",	  "{version:20|.M.m}",
		"{version:20|M..m}", "{version:20|M.m.}", "{version:2.|M.m}",
		"{version:|M.m}",    "{version:20|M,m}"
	};
	struct bd_version_pattern vp;
	char out[64];
	size_t i, n;

	for (i = 0; i < BD_ARRAY_SIZE(cases); i++) {
		CU_ASSERT_FATAL(
			bd_version_pattern_parse(cases[i].pattern, &vp));
		CU_ASSERT_EQUAL(vp.lead_len, strspn(vp.lead, "0123456789"));
		n = bd_version_format(&vp, cases[i].read, strlen(cases[i].read),
				      out, sizeof(out));
		if (!cases[i].want) {
			CU_ASSERT_EQUAL(n, 0);
		} else {
			CU_ASSERT_STRING_EQUAL(n ? out : "", cases[i].want);
		}
	}
	for (i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		CU_ASSERT(!bd_version_pattern_parse(bad[i], &vp));
		if (bd_version_pattern_parse(bad[i], &vp))
			fprintf(stderr, "\n  %s", bad[i]);
	}
	/* Too small an out: none, not a cut version. */
	CU_ASSERT_FATAL(bd_version_pattern_parse("{version:20|M.mm.pp}", &vp));
	CU_ASSERT_EQUAL(bd_version_format(&vp, "20914", 5, out, 6), 0);
}

/* In the string pass: the hit's version is the format's, its text what
 * matched; "20914" and "2022-12-11" (pcre2's date) beside it. */
static void test_format_hits(void)
{
	static const char text[] = "\xff::20914\0\0002022-12-11\0"
				   "\00020221211\0x20915\0v=21003\0";
	static const struct bd_strrule one[] = {
		{ BD_STRRULE_BARE, "{version:20|M.mm.pp}", 0 },
		{ BD_STRRULE_BARE, "{version:21|M.mm.pp}", 1 },
	};
	struct bd_buf got = BD_BUF_INIT;
	struct bd_strrules *r;
	struct bd_error err;

	CU_ASSERT_EQUAL_FATAL(bd_strrules_build(&r, one, 2, &err), 0);
	feed_whole(r, text, sizeof(text) - 1, &got);
	/* "::" before it: a constant's bytes, no letter or digit; "x20915"
	 * runs on from a letter; "=" is no letter: 2.10.3. */
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&got), "0|2.9.14|20914|0\n"
						 "1|2.10.3|21003|0\n"
						 "capped 0");
	bd_buf_release(&got);
	bd_strrules_free(r);
}

/*
 * A region fed in pieces of any size finds what it finds fed whole, in
 * the same order: matches across piece boundaries, versions that run past
 * a piece, a marker whose string starts in the piece before.
 */
static void test_pieces_equal_whole(void)
{
	static const char *const planted[] = {
		" deflate 1.2.13 Copyright ",
		"OpenSSL 3.0.19 27 Jan",
		"\0003.40.1\0",
		"\00010.42 2022-12-11\0",
		"\0database disk image is malformed\0",
		"deflate 9.9 Copy",
		"OpenSSL 3.0 legacy",
		"\0003.4\0",
		"x3.1.1\0",
	};
	struct bd_strrules *r = rules();
	struct bd_buf whole = BD_BUF_INIT, pieces = BD_BUF_INIT;
	unsigned char *text = malloc(20000);
	unsigned seed = 7;
	size_t round, at, k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	for (round = 0; round < 300; round++) {
		size_t len = 200 + (size_t)rand_r(&seed) % 19000;

		for (at = 0; at < len; at++)
			text[at] = (unsigned char)"ab.13 \0\x85"[rand_r(&seed) %
								 8];
		for (k = 0; k < 40; k++) {
			const char *p =
				planted[rand_r(&seed) % BD_ARRAY_SIZE(planted)];
			size_t n = strlen(p + 1) + 1;

			at = (size_t)rand_r(&seed) % len;
			if (at + n <= len)
				memcpy(text + at, p, n);
		}
		feed_whole(r, text, len, &whole);
		feed_pieces(r, text, len, &seed,
			    1 + (size_t)rand_r(&seed) % (round % 3 ? 300 : 5),
			    &pieces);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&whole), bd_buf_str(&pieces));
		if (strcmp(bd_buf_str(&whole), bd_buf_str(&pieces))) {
			fprintf(stderr, "\n  round %zu:\n%s\n--\n%s\n", round,
				bd_buf_str(&whole), bd_buf_str(&pieces));
			break;
		}
	}
	free(text);
	bd_buf_release(&whole);
	bd_buf_release(&pieces);
	bd_strrules_free(r);
}

/*
 * A hostile region: a million matches, each of another version. Memory
 * stays bounded (BD_STRHITS_MAX hits kept, BD_STRHITS_MAX_PER_RULE a
 * rule, "more" said), and the feed stops at BD_STRHITS_MAX_READ.
 */
static void test_million_hits_capped(void)
{
	struct bd_strrules *r = rules();
	struct bd_string_hits h = { 0 };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_arena a;
	size_t i;
	int rc;

	bd_arena_init(&a);
	for (i = 0; i < 1000000 && bd_buf_ok(&b); i++)
		bd_buf_printf(&b, "deflate 1.%zu Copyright\n", i);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	rc = bd_strrules_feed(r, b.data, b.len, &a, &h);
	CU_ASSERT_EQUAL(rc, BD_ELIMIT);
	CU_ASSERT(h.capped);
	CU_ASSERT_EQUAL(h.read, BD_STRHITS_MAX_READ + 1);
	/* Two rules read "deflate ": each kept its first versions. */
	CU_ASSERT_EQUAL(h.n, 2 * BD_STRHITS_MAX_PER_RULE);
	CU_ASSERT(h.items[0].more);
	CU_ASSERT_STRING_EQUAL(h.items[0].version, "1.0");
	/* Fed again once capped: nothing more is read. */
	CU_ASSERT_EQUAL(bd_strrules_feed(r, b.data, 100, &a, &h), BD_ELIMIT);
	bd_string_hits_release(&h);
	bd_arena_release(&a);
	bd_buf_release(&b);
	bd_strrules_free(r);
}

/* n copies of each of the strings, one after another in turn, each
 * after a NUL, into b. */
static void repeat_strings(struct bd_buf *b, const char *const *strings,
			   size_t nstrings, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < nstrings; k++)
			bd_buf_printf(b, "%c%s", 0, strings[k]);
}

/*
 * A string said again and again (a file of one licence string 70,000
 * times, then another) is read once for its run: the run does not use up
 * BD_STRHITS_MAX_READ, and the licence after it is kept, whole or in
 * pieces. Strings that take turns are each read, and still capped.
 */
static void test_run_of_one_string_read_once(void)
{
	static const struct bd_strrule two[] = {
		{ BD_STRRULE_LICENSE,
		  "libavcodec license: GPL version 2 or later", 0 },
		{ BD_STRRULE_LICENSE,
		  "libavcodec license: GPL version 3 or later", 1 },
	};
	static const char *const gpl2[] = { two[0].pattern };
	struct bd_buf b = BD_BUF_INIT, got = BD_BUF_INIT, piece = BD_BUF_INIT;
	struct bd_string_hits h = { 0 };
	struct bd_strrules *r;
	struct bd_error err;
	struct bd_arena a;
	unsigned seed = 7;

	CU_ASSERT_EQUAL_FATAL(bd_strrules_build(&r, two, 2, &err), 0);
	repeat_strings(&b, gpl2, 1, BD_STRHITS_MAX_READ + 4464);
	bd_buf_printf(&b, "%c%s%c", 0, two[1].pattern, 0);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	bd_arena_init(&a);
	CU_ASSERT_EQUAL(bd_strrules_feed(r, b.data, b.len, &a, &h), 0);
	CU_ASSERT_EQUAL(h.read, 2);
	describe(&h, &got);
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&got),
		"0|-|libavcodec license: GPL version 2 or later|0\n"
		"1|-|libavcodec license: GPL version 3 or later|0\n"
		"capped 0");
	feed_pieces(r, (const unsigned char *)b.data, b.len, &seed, 70000,
		    &piece);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&piece), bd_buf_str(&got));
	bd_string_hits_release(&h);
	/* Taking turns, each match is read: the cap holds. */
	memset(&h, 0, sizeof(h));
	bd_buf_reset(&b);
	repeat_strings(&b,
		       (const char *const[]){ two[0].pattern, two[1].pattern },
		       2, BD_STRHITS_MAX_READ / 2 + 1);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	CU_ASSERT_EQUAL(bd_strrules_feed(r, b.data, b.len, &a, &h), BD_ELIMIT);
	CU_ASSERT(h.capped);
	bd_string_hits_release(&h);
	bd_arena_release(&a);
	bd_buf_release(&b);
	bd_buf_release(&got);
	bd_buf_release(&piece);
	bd_strrules_free(r);
}

/* Markers and bare rules of many libraries: no more than BD_STRHITS_MAX
 * distinct hits are kept. */
static void test_kept_capped(void)
{
	struct bd_strrule many[300];
	char names[300][24];
	struct bd_strrules *r;
	struct bd_string_hits h = { 0 };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_error err;
	struct bd_arena a;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(many); i++) {
		snprintf(names[i], sizeof(names[i]), "marker-%03zu", i);
		many[i] = (struct bd_strrule){ BD_STRRULE_MARKER, names[i],
					       (uint32_t)i };
		bd_buf_printf(&b, "%c%s", 0, names[i]);
	}
	CU_ASSERT_EQUAL_FATAL(
		bd_strrules_build(&r, many, BD_ARRAY_SIZE(many), &err), 0);
	bd_arena_init(&a);
	CU_ASSERT_EQUAL(bd_strrules_feed(r, b.data, b.len, &a, &h), BD_ELIMIT);
	CU_ASSERT_EQUAL(h.n, BD_STRHITS_MAX);
	CU_ASSERT(h.capped);
	bd_string_hits_release(&h);
	bd_arena_release(&a);
	bd_buf_release(&b);
	bd_strrules_free(r);
}

void bd_test_register_strrules(void)
{
	BD_SUITE("strrules", BD_TEST(test_grammar), BD_TEST(test_problems),
		 BD_TEST(test_kinds), BD_TEST(test_bare_prefix_and_nul),
		 BD_TEST(test_licence_strings), BD_TEST(test_format),
		 BD_TEST(test_format_hits), BD_TEST(test_pieces_equal_whole),
		 BD_TEST(test_million_hits_capped), BD_TEST(test_kept_capped),
		 BD_TEST(test_run_of_one_string_read_once));
}
