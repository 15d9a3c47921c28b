/* SPDX-License-Identifier: MIT */
/* Fuzz the multi-string matcher (bindep/strmatch.h): the input's first
 * lines are needles (up to a blank line), the rest is the text, fed in
 * chunks whose sizes the input also picks. Every hit must be a real
 * occurrence, and the number of hits must equal a brute-force count. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *needles[MAX_NEEDLES] = { NULL };
	size_t lens[MAX_NEEDLES] = { 0 }, n = 0, pos = 0, chunk, at;
	struct bd_strmatch_cursor cur;
	struct bd_strmatch *m;
	struct bd_error err;
	struct check c;

	if (!size)
		return 0;
	chunk = 1 + data[0] % 64;
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
	if (bd_strmatch_build(&m, needles, lens, n, &err))
		return 0;
	c = (struct check){ data + pos, needles, lens, 0 };
	bd_strmatch_start(&cur);
	for (at = 0; pos + at < size; at += chunk)
		bd_strmatch_feed(m, &cur, data + pos + at,
				 size - pos - at < chunk ? size - pos - at
							 : chunk,
				 verify, &c);
	if (c.hits != brute(needles, lens, n, data + pos, size - pos))
		abort();
	bd_strmatch_free(m);
	return 0;
}
