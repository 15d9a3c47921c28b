/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/strmatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 4096

struct hit {
	size_t needle;
	uint64_t end;
};

struct hits {
	size_t n;
	struct hit h[MAX_HITS];
	size_t stop_after; /* 0: never stop */
};

static int record(void *ctx, size_t needle, uint64_t end)
{
	struct hits *r = ctx;

	if (r->n < MAX_HITS) {
		r->h[r->n].needle = needle;
		r->h[r->n].end = end;
	}
	r->n++;
	return r->stop_after && r->n == r->stop_after ? 42 : 0;
}

static int by_end_then_needle(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->needle < y->needle ? -1 : x->needle > y->needle;
}

/* Every occurrence of every needle, by brute force. */
static void naive(const char *const *needles, const size_t *lens, size_t n,
		  const unsigned char *text, size_t len, struct hits *r)
{
	size_t i, at;

	r->n = 0;
	for (i = 0; i < n; i++) {
		for (at = 0; lens[i] && at + lens[i] <= len; at++) {
			if (!memcmp(text + at, needles[i], lens[i]))
				record(r, i, at + lens[i]);
		}
	}
	qsort(r->h, r->n < MAX_HITS ? r->n : MAX_HITS, sizeof(r->h[0]),
	      by_end_then_needle);
}

/* The automaton's hits, the text fed in chunks of chunk bytes. */
static void fed(const struct bd_strmatch *m, const unsigned char *text,
		size_t len, size_t chunk, struct hits *r)
{
	struct bd_strmatch_cursor c;
	size_t at;

	r->n = 0;
	bd_strmatch_start(&c);
	for (at = 0; at < len; at += chunk)
		bd_strmatch_feed(m, &c, text + at,
				 len - at < chunk ? len - at : chunk, record,
				 r);
	CU_ASSERT_EQUAL(c.offset, len);
	qsort(r->h, r->n < MAX_HITS ? r->n : MAX_HITS, sizeof(r->h[0]),
	      by_end_then_needle);
}

static bool same_hits(const struct hits *a, const struct hits *b)
{
	return a->n == b->n &&
	       !memcmp(a->h, b->h,
		       (a->n < MAX_HITS ? a->n : MAX_HITS) * sizeof(a->h[0]));
}

/* The textbook example, overlapping needles, found at every chunk size. */
static void test_classic(void)
{
	static const char *const needles[] = { "he", "she", "his", "hers" };
	static const size_t lens[] = { 2, 3, 3, 4 };
	static struct hits want, got;
	const char *text = "ushers and his sheep: hershey";
	struct bd_strmatch *m;
	struct bd_error err;
	size_t chunk;

	CU_ASSERT_EQUAL_FATAL(bd_strmatch_build(&m, needles, lens, 4, &err), 0);
	CU_ASSERT_EQUAL(bd_strmatch_needles(m), 4);
	naive(needles, lens, 4, (const unsigned char *)text, strlen(text),
	      &want);
	CU_ASSERT_EQUAL(want.n, 10); /* he 4, she 3, his 1, hers 2 */
	for (chunk = 1; chunk <= strlen(text); chunk++) {
		fed(m, (const unsigned char *)text, strlen(text), chunk, &got);
		CU_ASSERT(same_hits(&want, &got));
	}
	bd_strmatch_free(m);
}

/* At one offset the longest needle comes first; a nonzero return from the
 * callback stops the feed and is returned. */
static void test_order_and_stop(void)
{
	static const char *const needles[] = { "s", "ers", "rs" };
	static const size_t lens[] = { 1, 3, 2 };
	static struct hits got;
	struct bd_strmatch_cursor c;
	struct bd_strmatch *m;
	struct bd_error err;

	CU_ASSERT_EQUAL_FATAL(bd_strmatch_build(&m, needles, lens, 3, &err), 0);
	bd_strmatch_start(&c);
	got.n = 0;
	got.stop_after = 0;
	CU_ASSERT_EQUAL(bd_strmatch_feed(m, &c, "hers", 4, record, &got), 0);
	CU_ASSERT_EQUAL_FATAL(got.n, 3);
	CU_ASSERT_EQUAL(got.h[0].needle, 1);
	CU_ASSERT_EQUAL(got.h[1].needle, 2);
	CU_ASSERT_EQUAL(got.h[2].needle, 0);
	CU_ASSERT_EQUAL(got.h[2].end, 4);
	got.n = 0;
	got.stop_after = 2;
	bd_strmatch_start(&c);
	CU_ASSERT_EQUAL(bd_strmatch_feed(m, &c, "hers hers", 9, record, &got),
			42);
	CU_ASSERT_EQUAL(got.n, 2);
	bd_strmatch_free(m);
}

/* Binary needles (NUL, 0xff), an empty needle (never found), the same
 * needle twice (both found), against random text over a small alphabet,
 * at random chunk sizes. */
static void random_against_naive(void)
{
	static struct hits want, got;
	unsigned char text[2000];
	char store[16][8];
	const char *needles[16];
	size_t lens[16], round, i, k;
	struct bd_strmatch *m;
	struct bd_error err;
	unsigned seed = 12345;

	for (round = 0; round < 200; round++) {
		for (i = 0; i < 16; i++) {
			lens[i] = (size_t)(rand_r(&seed) % 6);
			for (k = 0; k < lens[i]; k++)
				store[i][k] = "ab\0\xff"[rand_r(&seed) % 4];
			needles[i] = store[i];
		}
		lens[15] = lens[14];
		memcpy(store[15], store[14], sizeof(store[14]));
		for (i = 0; i < sizeof(text); i++)
			text[i] = (unsigned char)"ab\0\xffz"[rand_r(&seed) % 5];
		CU_ASSERT_EQUAL_FATAL(
			bd_strmatch_build(&m, needles, lens, 16, &err), 0);
		naive(needles, lens, 16, text, sizeof(text), &want);
		fed(m, text, sizeof(text), 1 + (size_t)(rand_r(&seed) % 300),
		    &got);
		CU_ASSERT(want.n < MAX_HITS);
		CU_ASSERT(same_hits(&want, &got));
		bd_strmatch_free(m);
	}
}

/* Needles of two bytes and more (none of one: the check of a place's
 * first bytes after the prefilter is on), planted in random text, some
 * across the ends of the chunks it is fed in: every hit found. */
static void heads_against_naive(void)
{
	static struct hits want, got;
	unsigned char text[4000];
	char store[24][10];
	const char *needles[24];
	size_t lens[24], round, i, k, at;
	struct bd_strmatch *m;
	struct bd_error err;
	unsigned seed = 2026;

	for (round = 0; round < 300; round++) {
		for (i = 0; i < 24; i++) {
			lens[i] = 2 + (size_t)(rand_r(&seed) % 8);
			for (k = 0; k < lens[i]; k++)
				store[i][k] = "ab.1\0\xff"[rand_r(&seed) % 6];
			needles[i] = store[i];
		}
		for (i = 0; i < sizeof(text); i++)
			text[i] = (unsigned char)rand_r(&seed);
		for (i = 0; i < 60; i++) {
			k = (size_t)rand_r(&seed) % 24;
			at = (size_t)rand_r(&seed) % (sizeof(text) - lens[k]);
			memcpy(text + at, needles[k], lens[k]);
		}
		CU_ASSERT_EQUAL_FATAL(
			bd_strmatch_build(&m, needles, lens, 24, &err), 0);
		naive(needles, lens, 24, text, sizeof(text), &want);
		fed(m, text, sizeof(text), 1 + (size_t)(rand_r(&seed) % 100),
		    &got);
		CU_ASSERT(want.n >= 30 && want.n < MAX_HITS);
		CU_ASSERT(same_hits(&want, &got));
		bd_strmatch_free(m);
	}
}

/* Each with every look of the prefilter this CPU has (a wider one than
 * it has is the widest it has): the same hits as the naive search. */
static void each_look(void (*check)(void))
{
	int look;

	for (look = BD_STRMATCH_LOOK_32; look <= BD_STRMATCH_LOOK_BYTES;
	     look++) {
		bd_strmatch_limit_look((enum bd_strmatch_look)look);
		check();
	}
	bd_strmatch_limit_look(BD_STRMATCH_LOOK_BYTES);
}

static void test_random_against_naive(void)
{
	each_look(random_against_naive);
}

/* Needles past ASCII, in text where their bytes come with the top bit
 * cleared too (the byte tables fold x + 128 onto x): the needles found,
 * and their look-alikes not. */
static void bytes_past_ascii(void)
{
	/* "\xe1" "b": a hex escape takes every hex digit after it. */
	static const char *const needles[] = { "\xff\xe1"
					       "b",
					       "zz\x80\x81" };
	static const size_t lens[] = { 3, 4 };
	static struct hits want, got;
	unsigned char text[3000];
	struct bd_strmatch *m;
	struct bd_error err;
	size_t i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (unsigned char)"\x7f\x61"
					 "bz\x00\x01"[i % 6];
	memcpy(text + 100, needles[0], 3);
	memcpy(text + 1000, needles[1], 4);
	memcpy(text + sizeof(text) - 80, needles[0], 3);
	CU_ASSERT_EQUAL_FATAL(bd_strmatch_build(&m, needles, lens, 2, &err), 0);
	naive(needles, lens, 2, text, sizeof(text), &want);
	fed(m, text, sizeof(text), sizeof(text), &got);
	CU_ASSERT_EQUAL(want.n, 3);
	CU_ASSERT(same_hits(&want, &got));
	bd_strmatch_free(m);
}

static void test_bytes_past_ascii(void)
{
	each_look(bytes_past_ascii);
}

static void test_heads_against_naive(void)
{
	each_look(heads_against_naive);
}

/* No needles: nothing found, nothing allocated beyond the root. Too many
 * bytes: refused, saying the cap. */
static void test_limits(void)
{
	static struct hits got;
	struct bd_strmatch_cursor c;
	struct bd_strmatch *m;
	struct bd_error err;
	const char *one[1];
	size_t len[1] = { BD_STRMATCH_MAX_BYTES + 1 };
	char *big = calloc(1, BD_STRMATCH_MAX_BYTES + 1);

	CU_ASSERT_EQUAL_FATAL(bd_strmatch_build(&m, NULL, NULL, 0, &err), 0);
	CU_ASSERT_EQUAL(bd_strmatch_states(m), 1);
	bd_strmatch_start(&c);
	got.n = 0;
	CU_ASSERT_EQUAL(bd_strmatch_feed(m, &c, "abc", 3, record, &got), 0);
	CU_ASSERT_EQUAL(got.n, 0);
	bd_strmatch_free(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	one[0] = big;
	CU_ASSERT_EQUAL(bd_strmatch_build(&m, one, len, 1, &err), BD_ELIMIT);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bytes to search for"));
	free(big);
}

void bd_test_register_strmatch(void)
{
	BD_SUITE("strmatch", BD_TEST(test_classic),
		 BD_TEST(test_order_and_stop),
		 BD_TEST(test_random_against_naive),
		 BD_TEST(test_bytes_past_ascii),
		 BD_TEST(test_heads_against_naive), BD_TEST(test_limits));
}
