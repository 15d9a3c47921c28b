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
 *
 * That is about 500 MB/s, which is too slow to run over the read-only data
 * of every file scanned (200 MB in /usr/lib/x86_64-linux-gnu, whose SBOM
 * costs less than a second of CPU). Where the CPU has AVX2, the automaton
 * sleeps at its start state while a prefilter skips 32 bytes at a time to
 * the next place a needle could start: Teddy (Langdale's, as in Hyperscan
 * and Rust's aho-corasick crate), which looks up both nibbles of the next
 * five bytes in tables of eight buckets of needles with one byte shuffle
 * each. A needle starts only where its first five bytes pass, so the
 * automaton, woken there and run until it is back at its start, reports
 * exactly what it would have reported over every byte. With AVX-512BW the
 * same tables are looked up 64 bytes at a time. With AVX-512 VBMI, each
 * place of the window looks up its whole byte instead, in a table of 128
 * (vpermi2b: one instruction where the nibbles took six), which is also
 * the stricter test.
 */
#include "bindep/strmatch.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_TEDDY 1
#endif

#define NONE   UINT32_MAX
#define REPORT 0x80000000u
/* Rows times classes: 64 MiB of transitions at most. */
#define MAX_TABLE (1u << 24)
/*
 * The prefilter's window: the first bytes of each needle it looks at.
 * Each byte more costs two shuffles a block, and wakes the automaton at
 * fewer places where no needle starts: on a Debian root's read-only data
 * the string rules took 33 ms of CPU with three bytes, 28 with four, 25
 * with five, and 31 with six (a needle shorter than the window passes any
 * byte past its end, and the registry has bare versions of two bytes).
 */
#define WINDOW	5
#define BUCKETS 8
/* Where the prefilter lets a needle start, the next bytes are then looked
 * up among the needles' first bytes: the nibble tables pass far more than
 * the needles, English words of the read-only data mostly ("not", "sta",
 * "ead"). On the 150 MB of /usr/lib/x86_64-linux-gnu's, a window of three
 * bytes passed 846,000 places and this look kept 115,661; one of five
 * passes 152,896 and keeps 132,512 (its buckets are merged differently).
 * The first four bytes of the needles that have them, by a hash, and the
 * first two of the shorter ones (bare versions: "2.", "72."), exactly; 8
 * KiB each, in the first-level cache. Unused when a needle has one byte. */
#define HEAD	  4
#define HEAD_BITS (1u << 16)

struct bd_strmatch {
	uint16_t cls[256]; /* byte -> class */
	uint32_t nclasses;
	uint32_t nstates;
	uint32_t *delta; /* nstates * nclasses row offsets | REPORT */
	uint32_t *out;	 /* state -> a needle ending here, or NONE */
	uint32_t *dict;	 /* state -> nearest proper suffix with output */
	uint32_t *same;	 /* needle -> the next needle equal to it */
	size_t nneedles;
	/* The prefilter: per window byte, per nibble (low, high), the
	 * buckets of needles that have it there. */
	bool prefilter;
	enum bd_strmatch_look look; /* the widest this matcher takes */
	unsigned char nibbles[WINDOW][2][16];
	/* The same buckets per whole byte, for BD_STRMATCH_LOOK_BYTES: entry
	 * x for the bytes x and x + 128 (vpermi2b ignores the top bit of its
	 * index, so a byte past ASCII passes where either would). */
	unsigned char bytes[WINDOW][128];
	bool heads; /* head_bits and pair_bits are used */
	uint64_t head_bits[HEAD_BITS / 64]; /* by head_bit() */
	uint64_t pair_bits[65536 / 64];	    /* by the first two bytes */
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

/* A new state of the trie: no edge, no needle ending. */
static uint32_t new_state(struct bd_strmatch *m)
{
	uint32_t s = m->nstates++;

	memset(&m->delta[(size_t)s * m->nclasses], 0xff,
	       m->nclasses * sizeof(*m->delta));
	m->out[s] = NONE;
	return s;
}

/* Room for states (the needles' bytes and the start: at most), each set
 * as it is made (new_state): the needles share their prefixes, and the
 * rows never used are never written (the registry's: 400,000
 * instructions of memset, and their pages). */
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
	memset(m->same, 0xff, (n ? n : 1) * sizeof(*m->same));
	m->nstates = 0;
	new_state(m);
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
			*edge = new_state(m);
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

/* ---- the prefilter ------------------------------------------------------ */

/* Needles in order of their first bytes, so that those alike share a
 * bucket and its nibble sets stay small. */
struct by_start {
	const char *const *needles;
	const size_t *lens;
};

static int compare_start(const struct by_start *c, uint32_t a, uint32_t b)
{
	size_t la = c->lens[a] < WINDOW ? c->lens[a] : WINDOW;
	size_t lb = c->lens[b] < WINDOW ? c->lens[b] : WINDOW;
	int r = memcmp(c->needles[a], c->needles[b], la < lb ? la : lb);

	return r ? r : la < lb ? -1 : la > lb;
}

/* An insertion sort: needles are a few hundred at most in practice, and
 * this runs once per registry. */
static void sort_by_start(const struct by_start *c, uint32_t *order, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint32_t x = order[i];

		for (j = i; j > 0 && compare_start(c, x, order[j - 1]) < 0; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
}

/* A needle shorter than the window passes any byte past its end. Each
 * byte it has is set where it is looked up, not found among all 256 (a
 * tenth of the registry's build was that search). */
static void add_to_bucket(struct bd_strmatch *m, const char *needle, size_t len,
			  unsigned bucket)
{
	unsigned char bit = (unsigned char)(1u << bucket);
	size_t k, x;

	for (k = 0; k < WINDOW && k < len; k++) {
		unsigned char b = (unsigned char)needle[k];

		m->nibbles[k][0][b & 15u] |= bit;
		m->nibbles[k][1][b >> 4] |= bit;
		m->bytes[k][b & 127u] |= bit;
	}
	for (; k < WINDOW; k++) {
		for (x = 0; x < 16; x++) {
			m->nibbles[k][0][x] |= bit;
			m->nibbles[k][1][x] |= bit;
		}
		for (x = 0; x < 128; x++)
			m->bytes[k][x] |= bit;
	}
}

static bool have_avx2(void)
{
#ifdef HAVE_TEDDY
	return __builtin_cpu_supports("avx2");
#else
	return false;
#endif
}

static enum bd_strmatch_look widest_allowed = BD_STRMATCH_LOOK_BYTES;

void bd_strmatch_limit_look(enum bd_strmatch_look widest)
{
	widest_allowed = widest;
}

/* The widest look both this CPU and the limit allow. */
static enum bd_strmatch_look widest_look(void)
{
	enum bd_strmatch_look look = BD_STRMATCH_LOOK_32;

#ifdef HAVE_TEDDY
	if (__builtin_cpu_supports("avx512bw"))
		look = __builtin_cpu_supports("avx512vbmi")
			       ? BD_STRMATCH_LOOK_BYTES
			       : BD_STRMATCH_LOOK_64;
#endif
	return look < widest_allowed ? look : widest_allowed;
}

/*
 * The buckets. Each needle's window allows, at each of its bytes, one
 * nibble of each half (any, past a short needle's end); a bucket allows
 * every combination of what its needles allow, so a bucket of unlike
 * needles wakes the automaton where none starts ("1 " and "30" for "3."
 * and "10."). Groups of needles are merged, the pair whose union allows
 * the fewest more bytes first, until there are BUCKETS: on the registry's
 * 44 needles and the read-only data of /usr/lib/x86_64-linux-gnu, the
 * five-byte window passes 152,896 places instead of 1.93 million with
 * buckets of needles in the order of their starts (with three bytes,
 * 464,000 instead of 1.47 million, and 6.5 GB/s instead of 4.6). Beyond
 * GREEDY_MAX distinct windows (2 ms to merge), that order is kept.
 */
#define GREEDY_MAX 128

struct group {
	uint16_t set[WINDOW][2]; /* nibbles allowed: low, high half */
	uint32_t bucket;	 /* the group it was merged into, or its own */
	double share; /* accepts(set), kept: the costs ask it often */
};

/* The bits set in x, inline: __builtin_popcount without -mpopcnt is a
 * call to libgcc's, 62,000 of them a build of the registry's. */
static unsigned ones16(uint16_t x)
{
	unsigned v = x;

	v = v - ((v >> 1) & 0x5555u);
	v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
	v = (v + (v >> 4)) & 0x0f0fu;
	return (v + (v >> 8)) & 0x1fu;
}

/* The share of random windows a group lets through. */
static double accepts(const uint16_t set[WINDOW][2])
{
	double p = 1;
	size_t w;

	for (w = 0; w < WINDOW; w++)
		p *= ones16(set[w][0]) * ones16(set[w][1]) / 256.0;
	return p;
}

static void window_sets(const char *needle, size_t len, uint16_t set[WINDOW][2])
{
	size_t w;

	for (w = 0; w < WINDOW; w++) {
		unsigned char b = w < len ? (unsigned char)needle[w] : 0;

		set[w][0] = w < len ? (uint16_t)(1u << (b & 15u)) : 0xffff;
		set[w][1] = w < len ? (uint16_t)(1u << (b >> 4)) : 0xffff;
	}
}

/* What merging groups a and b costs: the share it lets through more. */
static double merge_cost(const struct group *a, const struct group *b)
{
	uint16_t u[WINDOW][2];
	size_t w;

	for (w = 0; w < WINDOW; w++) {
		u[w][0] = a->set[w][0] | b->set[w][0];
		u[w][1] = a->set[w][1] | b->set[w][1];
	}
	return accepts(u) - a->share - b->share;
}

/* The cheapest pair of live groups in the cost matrix (i < j). */
static void cheapest(const struct group *g, size_t n, const double *cost,
		     size_t *bi, size_t *bj)
{
	double best = 1e300;
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = i + 1; g[i].bucket == i && j < n; j++) {
			if (g[j].bucket == j && cost[i * n + j] < best) {
				best = cost[i * n + j];
				*bi = i;
				*bj = j;
			}
		}
	}
}

/* Merges groups (greedily, the cheapest pair first) down to BUCKETS, the
 * costs of the pairs kept in a matrix and only the merged group's
 * renewed. */
static int merge_groups(struct group *g, size_t n)
{
	double *cost = malloc(n * n * sizeof(*cost));
	size_t live = n, i, j, bi = 0, bj = 0, w;

	if (!cost)
		return BD_ENOMEM;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			cost[i * n + j] = merge_cost(&g[i], &g[j]);
	for (; live > BUCKETS; live--) {
		cheapest(g, n, cost, &bi, &bj);
		for (w = 0; w < WINDOW; w++) {
			g[bi].set[w][0] |= g[bj].set[w][0];
			g[bi].set[w][1] |= g[bj].set[w][1];
		}
		g[bi].share = accepts(g[bi].set);
		g[bj].bucket = (uint32_t)bi;
		for (i = 0; i < n; i++) {
			if (i == bi || g[i].bucket != i)
				continue;
			if (i < bi)
				cost[i * n + bi] = merge_cost(&g[i], &g[bi]);
			else
				cost[bi * n + i] = merge_cost(&g[bi], &g[i]);
		}
	}
	free(cost);
	return 0;
}

/* The bucket of each group (at most GREEDY_MAX): its root's rank among
 * the roots, the groups merged into it following their links. */
static void number_buckets(struct group *g, size_t n)
{
	uint32_t root[GREEDY_MAX], rank[GREEDY_MAX], next = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t r = (uint32_t)i;

		while (g[r].bucket != r)
			r = g[r].bucket;
		root[i] = r;
		if (r == i)
			rank[i] = next++;
	}
	for (i = 0; i < n; i++)
		g[i].bucket = rank[root[i]];
}

/* One group per distinct window, in the order of the needles' starts;
 * group_of[k] is the k-th sorted needle's. */
static size_t make_groups(const struct by_start *c, const uint32_t *order,
			  size_t live, struct group *g, size_t *group_of)
{
	size_t i, n = 0;

	for (i = 0; i < live; i++) {
		if (!i || compare_start(c, order[i - 1], order[i])) {
			window_sets(c->needles[order[i]], c->lens[order[i]],
				    g[n].set);
			g[n].bucket = (uint32_t)n;
			g[n].share = accepts(g[n].set);
			n++;
		}
		group_of[i] = n - 1;
	}
	return n;
}

static size_t head_bit(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return (v * 0x9e3779b1u) >> 16;
}

static size_t pair_bit(const unsigned char *p)
{
	return (size_t)p[0] << 8 | p[1];
}

static void set_bit(uint64_t *bits, size_t bit)
{
	bits[bit / 64] |= (uint64_t)1 << (bit % 64);
}

static bool bit_set(const uint64_t *bits, size_t bit)
{
	return bits[bit / 64] >> (bit % 64) & 1;
}

/* Whether a needle may start at p, with left bytes to the end: at least
 * the prefilter's WINDOW (a needle cut by the end may always start). */
static bool head_seen(const struct bd_strmatch *m, const unsigned char *p,
		      size_t left)
{
	return bit_set(m->pair_bits, pair_bit(p)) ||
	       (left < HEAD || bit_set(m->head_bits, head_bit(p)));
}

/* The filters of the needles' first bytes, unless one has one byte. */
static void build_heads(struct bd_strmatch *m, const char *const *needles,
			const size_t *lens, size_t n)
{
	const unsigned char *s;
	size_t i, live = 0;

	for (i = 0; i < n; i++) {
		s = (const unsigned char *)needles[i];
		if (!lens[i])
			continue; /* matches nothing */
		if (lens[i] < 2)
			return;
		if (lens[i] < HEAD)
			set_bit(m->pair_bits, pair_bit(s));
		else
			set_bit(m->head_bits, head_bit(s));
		live++;
	}
	m->heads = live > 0;
}

static int build_prefilter(struct bd_strmatch *m, const char *const *needles,
			   const size_t *lens, size_t n)
{
	struct by_start c = { needles, lens };
	uint32_t *order;
	struct group *g;
	size_t *group_of, i, live = 0, ngroups;

	if (!have_avx2())
		return 0;
	order = malloc((n ? n : 1) * sizeof(*order));
	g = malloc((n ? n : 1) * sizeof(*g));
	group_of = malloc((n ? n : 1) * sizeof(*group_of));
	if (!order || !g || !group_of) {
		free(order);
		free(g);
		free(group_of);
		return BD_ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (lens[i])
			order[live++] = (uint32_t)i;
	sort_by_start(&c, order, live);
	ngroups = make_groups(&c, order, live, g, group_of);
	if (ngroups <= GREEDY_MAX) {
		if (merge_groups(g, ngroups)) {
			free(order);
			free(g);
			free(group_of);
			return BD_ENOMEM;
		}
		number_buckets(g, ngroups);
	} else {
		for (i = 0; i < ngroups; i++)
			g[i].bucket = (uint32_t)(i * BUCKETS / ngroups);
	}
	for (i = 0; i < live; i++)
		add_to_bucket(m, needles[order[i]], lens[order[i]],
			      g[group_of[i]].bucket);
	free(order);
	free(g);
	free(group_of);
	m->prefilter = live > 0;
	m->look = widest_look();
	build_heads(m, needles, lens, n);
	return 0;
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
	if (!rc)
		rc = build_prefilter(m, needles, lens, n);
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

#ifdef HAVE_TEDDY
/*
 * The first place at or after k where a needle may start, with AVX2: each
 * of the 32 positions of a block looks up its next five bytes' nibbles
 * (vpshufb looks up 16-byte tables in each 128-bit lane: the tables are
 * in both); a position that keeps a bucket's bit in all ten may start one
 * of its needles. Stops where fewer than 36 bytes are left. The window's
 * five looks are spelled out, so that the ten tables stay in registers
 * (as a loop they were reloaded from the stack: 5.5 GB/s instead of 6.2
 * on the read-only data of 396 libraries of /usr/lib/x86_64-linux-gnu,
 * with three looks).
 */
_Static_assert(WINDOW == 5, "next_block looks at five bytes");

/* For each of the 32 bytes at p, the buckets it allows at one place of
 * the window (tables tlo, thi): the AND of its two nibbles' lookups. */
__attribute__((target("avx2"))) static inline __m256i
window_pass(const unsigned char *p, __m256i tlo, __m256i thi)
{
	const __m256i low = _mm256_set1_epi8(0x0f);
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);

	return _mm256_and_si256(
		_mm256_shuffle_epi8(tlo, _mm256_and_si256(v, low)),
		_mm256_shuffle_epi8(thi, hi));
}

__attribute__((target("avx2"))) static size_t
next_block(const struct bd_strmatch *m, const unsigned char *p, size_t k,
	   size_t len, uint32_t *bits)
{
#define TABLE(w, h)                                                            \
	_mm256_broadcastsi128_si256(                                           \
		_mm_loadu_si128((const __m128i *)m->nibbles[w][h]))
	const __m256i zero = _mm256_setzero_si256();
	const __m256i t0l = TABLE(0, 0), t0h = TABLE(0, 1);
	const __m256i t1l = TABLE(1, 0), t1h = TABLE(1, 1);
	const __m256i t2l = TABLE(2, 0), t2h = TABLE(2, 1);
	const __m256i t3l = TABLE(3, 0), t3h = TABLE(3, 1);
	const __m256i t4l = TABLE(4, 0), t4h = TABLE(4, 1);
#undef TABLE

	for (; k + 32 + WINDOW - 1 <= len; k += 32) {
		__m256i a = _mm256_and_si256(window_pass(p + k, t0l, t0h),
					     window_pass(p + k + 1, t1l, t1h));
		__m256i b = _mm256_and_si256(window_pass(p + k + 2, t2l, t2h),
					     window_pass(p + k + 3, t3l, t3h));
		__m256i r = _mm256_and_si256(_mm256_and_si256(a, b),
					     window_pass(p + k + 4, t4l, t4h));

		*bits = ~(uint32_t)_mm256_movemask_epi8(
			_mm256_cmpeq_epi8(r, zero));
		if (*bits)
			return k;
	}
	*bits = 0;
	return k;
}

/* window_pass for 64 bytes, with AVX-512BW (whose vpshufb looks up in
 * each of four 128-bit lanes). */
__attribute__((target("avx512bw"))) static inline __m512i
window_pass64(const unsigned char *p, __m512i tlo, __m512i thi)
{
	const __m512i low = _mm512_set1_epi8(0x0f);
	__m512i v = _mm512_loadu_si512((const void *)p);
	__m512i hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), low);

	return _mm512_and_si512(
		_mm512_shuffle_epi8(tlo, _mm512_and_si512(v, low)),
		_mm512_shuffle_epi8(thi, hi));
}

/* The ten tables of a 64-place look, each place's two (TABLE(place,
 * half)), for FIND_BLOCK64. */
#define WINDOW_TABLES64(TABLE)                                                 \
	const __m512i t0l = TABLE(0, 0), t0h = TABLE(0, 1);                    \
	const __m512i t1l = TABLE(1, 0), t1h = TABLE(1, 1);                    \
	const __m512i t2l = TABLE(2, 0), t2h = TABLE(2, 1);                    \
	const __m512i t3l = TABLE(3, 0), t3h = TABLE(3, 1);                    \
	const __m512i t4l = TABLE(4, 0), t4h = TABLE(4, 1)

/* From k, the first block of 64 places of which some pass the five places
 * of the window (PASS(bytes, table, table) looks one up): its start,
 * *bits its places; or, where fewer than 68 bytes are left, *bits 0. */
#define FIND_BLOCK64(PASS)                                                     \
	for (; k + 64 + WINDOW - 1 <= len; k += 64) {                          \
		__m512i a = _mm512_and_si512(PASS(p + k, t0l, t0h),            \
					     PASS(p + k + 1, t1l, t1h));       \
		__m512i b = _mm512_and_si512(PASS(p + k + 2, t2l, t2h),        \
					     PASS(p + k + 3, t3l, t3h));       \
		__m512i r = _mm512_and_si512(_mm512_and_si512(a, b),           \
					     PASS(p + k + 4, t4l, t4h));       \
                                                                               \
		*bits = _mm512_test_epi8_mask(r, r);                           \
		if (*bits)                                                     \
			return k;                                              \
	}                                                                      \
	*bits = 0;                                                             \
	return k

/* next_block over 64 places a look, where the CPU has AVX-512BW: the
 * same tables and the same answers, with half the loads and shuffles a
 * byte (the prefilter was a third of the string rules' time on a Debian
 * root). */
__attribute__((target("avx512bw"))) static size_t
next_block64(const struct bd_strmatch *m, const unsigned char *p, size_t k,
	     size_t len, uint64_t *bits)
{
#define TABLE(w, h)                                                            \
	_mm512_broadcast_i32x4(                                                \
		_mm_loadu_si128((const __m128i *)m->nibbles[w][h]))
	WINDOW_TABLES64(TABLE);
#undef TABLE
	FIND_BLOCK64(window_pass64);
}

/* The buckets that the 64 bytes at p allow at one place of the window:
 * each byte's entry in that place's table of 128 (lo: entries 0-63). */
__attribute__((target("avx512bw,avx512vbmi"))) static inline __m512i
window_bytes64(const unsigned char *p, __m512i lo, __m512i hi)
{
	return _mm512_permutex2var_epi8(lo, _mm512_loadu_si512((const void *)p),
					hi);
}

/* next_block64 with the byte tables, where the CPU has AVX-512 VBMI: a
 * place of the window costs a load, a vpermi2b and an AND, where the
 * nibbles took six instructions. On the 232 MB of a Debian root's
 * read-only data, 20 ms of CPU instead of 31: it stops at 96,000 blocks
 * instead of 168,000, 166,000 places instead of 260,000 (the check of
 * their heads then keeps the same 116,000). */
__attribute__((target("avx512bw,avx512vbmi"))) static size_t
next_exact64(const struct bd_strmatch *m, const unsigned char *p, size_t k,
	     size_t len, uint64_t *bits)
{
#define TABLE(w, h) _mm512_loadu_si512((const void *)(m->bytes[w] + 64 * (h)))
	WINDOW_TABLES64(TABLE);
#undef TABLE
	FIND_BLOCK64(window_bytes64);
}
#endif

/* Whether a needle may start at p, len bytes before the end: the
 * prefilter's window passes, then its head (a needle cut by the end of
 * the data may always). */
static bool may_start(const struct bd_strmatch *m, const unsigned char *p,
		      size_t len)
{
	unsigned bits = 0xff;
	size_t w;

	for (w = 0; w < WINDOW; w++)
		bits &= m->nibbles[w][0][p[w] & 15u] &
			m->nibbles[w][1][p[w] >> 4];
	return bits && (!m->heads || head_seen(m, p, len));
}

/* The last block of 32 or 64 bytes (width) the prefilter looked at
 * (full: it did), and the places in it where a needle may start: one look
 * per block, however many of its places wake the automaton. */
struct block {
	size_t at;
	uint64_t bits;
	unsigned width;
	bool full;
};

#ifdef HAVE_TEDDY
/* The places of a block (bits, from at) whose head a needle has. */
static uint64_t heads_pass(const struct bd_strmatch *m, const unsigned char *p,
			   size_t at, size_t len, uint64_t bits)
{
	uint64_t keep = 0;

	while (bits) {
		unsigned i = (unsigned)__builtin_ctzll(bits);

		bits &= bits - 1;
		if (head_seen(m, p + at + i, len - at - i))
			keep |= (uint64_t)1 << i;
	}
	return keep;
}

/* The next block with a place where a needle may start (b->bits, from
 * b->at, b->width places): 64 places a look where the matcher looks that
 * wide, then 32; none (b->bits 0, b->at where too few bytes are left). */
static void next_any(const struct bd_strmatch *m, const unsigned char *p,
		     size_t k, size_t len, struct block *b)
{
	uint32_t bits;

	if (m->look != BD_STRMATCH_LOOK_32) {
		b->at = m->look == BD_STRMATCH_LOOK_BYTES
				? next_exact64(m, p, k, len, &b->bits)
				: next_block64(m, p, k, len, &b->bits);
		b->width = 64;
		if (b->bits)
			return;
		k = b->at;
	}
	b->at = next_block(m, p, k, len, &bits);
	b->bits = bits;
	b->width = 32;
}
#endif

/* The first place at or after k where a needle may start; the last
 * WINDOW - 1 bytes always may (their window is cut short). */
static size_t next_start(const struct bd_strmatch *m, const unsigned char *p,
			 size_t k, size_t len, struct block *b)
{
#ifdef HAVE_TEDDY
	uint64_t bits;

	if (b->full && k >= b->at && k - b->at < b->width) {
		bits = b->bits & (~(uint64_t)0 << (k - b->at));
		if (bits)
			return b->at + (size_t)__builtin_ctzll(bits);
		k = b->at + b->width;
	}
	for (;;) {
		next_any(m, p, k, len, b);
		b->full = b->bits != 0;
		if (!b->full)
			break; /* the end is near: byte by byte */
		if (m->heads)
			b->bits = heads_pass(m, p, b->at, len, b->bits);
		if (b->bits)
			return b->at + (size_t)__builtin_ctzll(b->bits);
		k = b->at + b->width;
	}
	k = b->at;
#else
	(void)b;
#endif
	for (; k + WINDOW <= len; k++)
		if (may_start(m, p + k, len - k))
			return k;
	return k;
}

int bd_strmatch_feed(const struct bd_strmatch *m, struct bd_strmatch_cursor *c,
		     const void *data, size_t len, bd_strmatch_hit_fn hit,
		     void *ctx)
{
	const unsigned char *p = data;
	uint32_t row = c->state * m->nclasses;
	struct block b = { 0, 0, 32, false };
	size_t k = 0;
	int rc = 0;

	while (k < len && !rc) {
		uint32_t v;

		/* At the start state, nothing is under way: skip to where a
		 * needle may start. */
		if (!row && m->prefilter) {
			k = next_start(m, p, k, len, &b);
			if (k == len)
				break;
		}
		v = m->delta[row + m->cls[p[k]]];
		row = v & ~REPORT;
		k++;
		if (v & REPORT)
			rc = report(m, row / m->nclasses, c->offset + k, hit,
				    ctx);
	}
	c->state = row / m->nclasses;
	c->offset += k;
	return rc;
}
