/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the string rules (bindep/strrules.h): the input's first byte sets
 * the largest piece; then rules, one a line ("v pattern" a strings rule,
 * "b pattern" a bare one, "m text" a marker, "l text" a licence string)
 * up to a blank line; the rest
 * is a region of read-only data. Fed whole and fed in pieces, the region
 * must give the same hits in the same order, and every hit's text must be
 * in the region, its version in its text.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/strrules.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RULES 16

static void describe(const struct bd_string_hits *h, struct bd_buf *out)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		bd_buf_printf(out, "%u|%s|%s|%d\n", h->items[i].rule,
			      h->items[i].version ? h->items[i].version : "-",
			      h->items[i].text, h->items[i].more);
	bd_buf_printf(out, "%d %zu", h->capped, h->read);
}

/* Whether the hit's rule writes its version in a format of its own
 * ("20914" as "2.9.14"): then the version is not in the text as such. */
static bool formatted(const struct bd_strrules *r, uint32_t rule)
{
	const struct bd_strrule *x = bd_strrules_get(r, rule);
	struct bd_version_pattern vp;

	return x && x->kind != BD_STRRULE_MARKER &&
	       x->kind != BD_STRRULE_LICENSE &&
	       bd_version_pattern_parse(x->pattern, &vp) && vp.format;
}

static void check_hits(const struct bd_strrules *r,
		       const struct bd_string_hits *h, const uint8_t *data,
		       size_t len)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		const char *t = h->items[i].text;

		if (!memmem(data, len, t, strlen(t)) ||
		    (h->items[i].version && !formatted(r, h->items[i].rule) &&
		     !strstr(t, h->items[i].version)))
			abort();
	}
}

static void feed(const struct bd_strrules *r, const uint8_t *data, size_t len,
		 size_t max, struct bd_buf *out)
{
	struct bd_strrules_stream *st = malloc(sizeof(*st));
	struct bd_string_hits h = { 0 };
	struct bd_arena a;
	size_t at = 0, n, k = 0;

	if (!st)
		return;
	bd_arena_init(&a);
	if (!max) {
		bd_strrules_feed(r, data, len, &a, &h);
	} else {
		bd_strrules_stream_start(st, len);
		/* Piece sizes cycle from 1 to max. */
		while (at < len) {
			n = 1 + k++ % max;
			n = n < len - at ? n : len - at;
			if (bd_strrules_stream_feed(r, st, data + at, n, &a,
						    &h))
				break;
			at += n;
		}
		if (at == len)
			bd_strrules_stream_end(r, st, &a, &h);
	}
	check_hits(r, &h, data, len);
	describe(&h, out);
	bd_string_hits_release(&h);
	bd_arena_release(&a);
	free(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char store[MAX_RULES][BD_STRRULE_MAX_NEEDLE + 80];
	struct bd_strrule rules[MAX_RULES];
	struct bd_buf whole = BD_BUF_INIT, pieces = BD_BUF_INIT;
	struct bd_strrules *r;
	struct bd_error err;
	size_t n = 0, pos = 1, max;

	if (!size)
		return 0;
	max = 1 + data[0] % 200;
	while (pos < size && n < MAX_RULES) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;

		if (!len) {
			pos++;
			break; /* a blank line ends the rules */
		}
		if (len > 2 && len - 2 < sizeof(store[0]) &&
		    strchr("vbml", data[pos]) && data[pos + 1] == ' ') {
			memcpy(store[n], data + pos + 2, len - 2);
			store[n][len - 2] = '\0';
			rules[n].kind = data[pos] == 'v'   ? BD_STRRULE_VERSION
					: data[pos] == 'b' ? BD_STRRULE_BARE
					: data[pos] == 'm' ? BD_STRRULE_MARKER
							   : BD_STRRULE_LICENSE;
			rules[n].pattern = store[n];
			rules[n].owner = (uint32_t)n;
			/* Embedded NULs end the pattern: checked as given. */
			if (strlen(store[n]) == len - 2 &&
			    !bd_strrule_problem(&rules[n]))
				n++;
		}
		pos += len + (nl != NULL);
	}
	if (bd_strrules_build(&r, rules, n, &err))
		return 0;
	feed(r, data + pos, size - pos, 0, &whole);
	feed(r, data + pos, size - pos, max, &pieces);
	if (!bd_buf_ok(&whole) || !bd_buf_ok(&pieces) ||
	    strcmp(bd_buf_str(&whole), bd_buf_str(&pieces)))
		abort();
	bd_buf_release(&whole);
	bd_buf_release(&pieces);
	bd_strrules_free(r);
	return 0;
}
