/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_STRMATCH_H
#define BINDEP_STRMATCH_H

#include "bindep/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Many literal strings found in one pass over a byte stream (Aho and
 * Corasick, "Efficient string matching", CACM 18(6), 1975): the registry's
 * version strings ("deflate ", "SQLite version ") searched for in every
 * file's read-only data, at a cost that does not grow with their number.
 *
 * The automaton is built once and is read-only after: any number of
 * threads may feed streams through it, each with its own cursor. The
 * stream may come in chunks of any size; a match across a chunk boundary
 * is found.
 */

/* Needles and their total bytes are capped: the automaton has a state per
 * byte, each with a row of transitions. "needles: more than N" */
#define BD_STRMATCH_MAX_NEEDLES 65536u
#define BD_STRMATCH_MAX_BYTES	(1u << 20)

struct bd_strmatch;

/* Where one stream is: its state and how many bytes it has seen. */
struct bd_strmatch_cursor {
	uint32_t state;
	uint64_t offset;
};

/*
 * Builds the automaton of n needles (needle i of lens[i] bytes; an empty
 * needle never matches). BD_ELIMIT past the caps, BD_ENOMEM.
 */
int bd_strmatch_build(struct bd_strmatch **out, const char *const *needles,
		      const size_t *lens, size_t n, struct bd_error *err);
void bd_strmatch_free(struct bd_strmatch *m);

/* How the prefilter looks for where a needle may start, narrowest
 * first: 32 places at a time by nibbles (AVX2), 64 by nibbles (AVX-512BW),
 * 64 by whole bytes (AVX-512 VBMI). Each finds the same matches. */
enum bd_strmatch_look {
	BD_STRMATCH_LOOK_32,
	BD_STRMATCH_LOOK_64,
	BD_STRMATCH_LOOK_BYTES,
};

/* The widest look the matchers built from now on may take, where the CPU
 * has it (by default, the widest there is): so that tests run each look
 * this CPU has, as on CPUs without the wider ones. */
void bd_strmatch_limit_look(enum bd_strmatch_look widest);

/* Number of needles and of states (for tests and limits). */
size_t bd_strmatch_needles(const struct bd_strmatch *m);
size_t bd_strmatch_states(const struct bd_strmatch *m);

/*
 * Called for each match: needle i ends just before stream offset end.
 * Nonzero stops the feed and is returned by it. Matches at one offset come
 * longest needle first.
 */
typedef int (*bd_strmatch_hit_fn)(void *ctx, size_t needle, uint64_t end);

static inline void bd_strmatch_start(struct bd_strmatch_cursor *c)
{
	c->state = 0;
	c->offset = 0;
}

/* Feeds len bytes of the stream; returns 0 or what hit returned. */
int bd_strmatch_feed(const struct bd_strmatch *m, struct bd_strmatch_cursor *c,
		     const void *data, size_t len, bd_strmatch_hit_fn hit,
		     void *ctx);

#endif
