/* SPDX-License-Identifier: MIT */
/* Fuzz the multi-string matcher (bindep/strmatch.h): the input's first
 * lines are needles (up to a blank line), the rest is the text, fed in
 * chunks whose sizes the input also picks (1 to 64 bytes, or multiples of
 * 67 up to 8,510: the prefilter looks at 32 or 64 bytes at a time only
 * where as many are left). Every hit must be a real occurrence, and the
 * number of hits must equal a brute-force count, with each look of the
 * prefilter the CPU has (bindep/strmatch.h). */
#include "fuzz.h"
#include "bindep/strmatch.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NEEDLES 32

struct check {
	const unsigned char *text;
	const char *const *needles;
	const size_t *lens;
	uint64_t hits;
};

static int verify(void *ctx, size_t needle, uint64_t end)
{
	struct check *c = ctx;
	size_t len = c->lens[needle];

	if (end < len || memcmp(c->text + end - len, c->needles[needle], len))
		abort();
	c->hits++;
	return 0;
}

static uint64_t brute(const char *const *needles, const size_t *lens, size_t n,
		      const unsigned char *text, size_t len)
{
	uint64_t count = 0;
	size_t i, at;

	for (i = 0; i < n; i++)
		for (at = 0; lens[i] && at + lens[i] <= len; at++)
			count += !memcmp(text + at, needles[i], lens[i]);
	return count;
}

/* The hits of the text fed in chunks to a matcher of the needles, each
 * checked against the text. */
static uint64_t matched(const char *const *needles, const size_t *lens,
			size_t n, const unsigned char *text, size_t len,
			size_t chunk)
{
	struct bd_strmatch_cursor cur;
	struct check c = { text, needles, lens, 0 };
	struct bd_strmatch *m;
	struct bd_error err;
	size_t at;

	if (bd_strmatch_build(&m, needles, lens, n, &err))
		return UINT64_MAX;
	bd_strmatch_start(&cur);
	for (at = 0; at < len; at += chunk)
		bd_strmatch_feed(m, &cur, text + at,
				 len - at < chunk ? len - at : chunk, verify,
				 &c);
	bd_strmatch_free(m);
	return c.hits;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *needles[MAX_NEEDLES] = { NULL };
	size_t lens[MAX_NEEDLES] = { 0 }, n = 0, pos = 0, chunk;
	uint64_t want = 0, got;
	int look;

	if (!size)
		return 0;
	chunk = data[0] < 128 ? 1 + (size_t)data[0] % 64
			      : (size_t)(data[0] - 127) * 67;
	pos = 1;
	while (pos < size && n < MAX_NEEDLES) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;

		if (!len) {
			pos++;
			break; /* a blank line ends the needles */
		}
		needles[n] = (const char *)data + pos;
		lens[n++] = len > 16 ? 16 : len;
		pos += len + (nl != NULL);
	}
	for (look = BD_STRMATCH_LOOK_32; look <= BD_STRMATCH_LOOK_BYTES;
	     look++) {
		bd_strmatch_limit_look((enum bd_strmatch_look)look);
		got = matched(needles, lens, n, data + pos, size - pos, chunk);
		if (look == BD_STRMATCH_LOOK_32)
			want = got == UINT64_MAX
				       ? got
				       : brute(needles, lens, n, data + pos,
					       size - pos);
		if (got != want)
			abort();
	}
	bd_strmatch_limit_look(BD_STRMATCH_LOOK_BYTES);
	return 0;
}
