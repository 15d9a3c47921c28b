/* SPDX-License-Identifier: MIT */
/*
 * Aho-Corasick over bytes (bindep/strmatch.h). The trie of the needles
 * becomes a full automaton: every state has a transition for every byte
 * class, so a byte costs one table load whatever the needles. Bytes that
 * occur in no needle share class 0, which keeps the rows short (the
 * registry's needles use a few dozen distinct bytes).
 *
 * A transition holds the next state's row offset (state * classes), with
 * the top bit set when that state ends a needle or has a suffix that does:
 * the common case, no match, tests one bit.
 */
#include "bindep/strmatch.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NONE   UINT32_MAX
#define REPORT 0x80000000u
/* Rows times classes: 64 MiB of transitions at most. */
#define MAX_TABLE (1u << 24)

struct bd_strmatch {
	uint16_t cls[256]; /* byte -> class */
	uint32_t nclasses;
	uint32_t nstates;
	uint32_t *delta; /* nstates * nclasses row offsets | REPORT */
	uint32_t *out;	 /* state -> a needle ending here, or NONE */
	uint32_t *dict;	 /* state -> nearest proper suffix with output */
	uint32_t *same;	 /* needle -> the next needle equal to it */
	size_t nneedles;
};

static int set_classes(struct bd_strmatch *m, const char *const *needles,
		       const size_t *lens, size_t n, size_t *total)
{
	bool used[256] = { false };
	size_t i, k;

	*total = 0;
	for (i = 0; i < n; i++) {
		for (k = 0; k < lens[i]; k++)
			used[(unsigned char)needles[i][k]] = true;
		*total += lens[i];
		if (*total > BD_STRMATCH_MAX_BYTES)
			return BD_ELIMIT;
	}
	m->nclasses = 1;
	for (i = 0; i < 256; i++)
		m->cls[i] = used[i] ? (uint16_t)m->nclasses++ : 0;
	return 0;
}

static int alloc_tables(struct bd_strmatch *m, size_t states, size_t n)
{
	if (states * m->nclasses > MAX_TABLE)
		return BD_ELIMIT;
	m->delta = malloc(states * m->nclasses * sizeof(*m->delta));
	m->out = malloc(states * sizeof(*m->out));
	m->dict = malloc(states * sizeof(*m->dict));
	m->same = malloc((n ? n : 1) * sizeof(*m->same));
	if (!m->delta || !m->out || !m->dict || !m->same)
		return BD_ENOMEM;
	memset(m->delta, 0xff, states * m->nclasses * sizeof(*m->delta));
	memset(m->out, 0xff, states * sizeof(*m->out));
	memset(m->same, 0xff, (n ? n : 1) * sizeof(*m->same));
	m->nstates = 1;
	return 0;
}

/* The trie: delta holds state numbers here, NONE where there is no edge. */
static void add_needle(struct bd_strmatch *m, const char *s, size_t len,
		       uint32_t index)
{
	uint32_t state = 0;
	size_t k;

	if (!len)
		return;
	for (k = 0; k < len; k++) {
		uint32_t *edge = &m->delta[state * m->nclasses +
					   m->cls[(unsigned char)s[k]]];

		if (*edge == NONE)
			*edge = m->nstates++;
		state = *edge;
	}
	m->same[index] = m->out[state];
	m->out[state] = index;
}

/*
 * Breadth first, each state's failure is known before its children's: a
 * missing edge takes the failure state's, and the dictionary link is the
 * failure state if it ends a needle, else its own dictionary link.
 */
static int complete(struct bd_strmatch *m)
{
	uint32_t *queue = malloc(m->nstates * sizeof(*queue));
	uint32_t *fail = malloc(m->nstates * sizeof(*fail));
	size_t head = 0, tail = 0;
	uint32_t c;

	if (!queue || !fail) {
		free(queue);
		free(fail);
		return BD_ENOMEM;
	}
	fail[0] = 0;
	m->dict[0] = NONE;
	for (c = 0; c < m->nclasses; c++) {
		uint32_t *e = &m->delta[c];

		if (*e == NONE) {
			*e = 0;
		} else {
			fail[*e] = 0;
			m->dict[*e] = NONE;
			queue[tail++] = *e;
		}
	}
	while (head < tail) {
		uint32_t s = queue[head++];

		for (c = 0; c < m->nclasses; c++) {
			uint32_t *e = &m->delta[s * m->nclasses + c];
			uint32_t f = m->delta[fail[s] * m->nclasses + c];

			if (*e == NONE) {
				*e = f;
				continue;
			}
			fail[*e] = f;
			m->dict[*e] = m->out[f] != NONE ? f : m->dict[f];
			queue[tail++] = *e;
		}
	}
	free(queue);
	free(fail);
	return 0;
}

/* State numbers become row offsets, flagged where a match is reported. */
static void encode(struct bd_strmatch *m)
{
	size_t i, n = (size_t)m->nstates * m->nclasses;

	for (i = 0; i < n; i++) {
		uint32_t s = m->delta[i];
		bool report = m->out[s] != NONE || m->dict[s] != NONE;

		m->delta[i] = s * m->nclasses | (report ? REPORT : 0);
	}
}

int bd_strmatch_build(struct bd_strmatch **out, const char *const *needles,
		      const size_t *lens, size_t n, struct bd_error *err)
{
	struct bd_strmatch *m = calloc(1, sizeof(*m));
	size_t total = 0, i;
	int rc;

	*out = NULL;
	if (!m)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	rc = n > BD_STRMATCH_MAX_NEEDLES
		     ? BD_ELIMIT
		     : set_classes(m, needles, lens, n, &total);
	if (!rc)
		rc = alloc_tables(m, total + 1, n);
	for (i = 0; !rc && i < n; i++)
		add_needle(m, needles[i], lens[i], (uint32_t)i);
	if (!rc)
		rc = complete(m);
	if (rc) {
		bd_strmatch_free(m);
		return rc == BD_ELIMIT
			       ? bd_error_set(
					 err, rc,
					 "more than %u strings or %u bytes "
					 "to search for",
					 BD_STRMATCH_MAX_NEEDLES,
					 BD_STRMATCH_MAX_BYTES)
			       : bd_error_set(err, rc, "out of memory");
	}
	encode(m);
	m->nneedles = n;
	*out = m;
	return 0;
}

void bd_strmatch_free(struct bd_strmatch *m)
{
	if (!m)
		return;
	free(m->delta);
	free(m->out);
	free(m->dict);
	free(m->same);
	free(m);
}

size_t bd_strmatch_needles(const struct bd_strmatch *m)
{
	return m->nneedles;
}

size_t bd_strmatch_states(const struct bd_strmatch *m)
{
	return m->nstates;
}

/* Every needle that ends at state s: its own, then its suffixes'. */
static int report(const struct bd_strmatch *m, uint32_t s, uint64_t end,
		  bd_strmatch_hit_fn hit, void *ctx)
{
	uint32_t t = m->out[s] != NONE ? s : m->dict[s];
	int rc;

	for (; t != NONE; t = m->dict[t]) {
		uint32_t i;

		for (i = m->out[t]; i != NONE; i = m->same[i]) {
			rc = hit(ctx, i, end);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int bd_strmatch_feed(const struct bd_strmatch *m, struct bd_strmatch_cursor *c,
		     const void *data, size_t len, bd_strmatch_hit_fn hit,
		     void *ctx)
{
	const unsigned char *p = data;
	uint32_t row = c->state * m->nclasses;
	size_t k;
	int rc = 0;

	for (k = 0; k < len && !rc; k++) {
		uint32_t v = m->delta[row + m->cls[p[k]]];

		row = v & ~REPORT;
		if (v & REPORT)
			rc = report(m, row / m->nclasses, c->offset + k + 1,
				    hit, ctx);
	}
	c->state = row / m->nclasses;
	c->offset += k;
	return rc;
}
