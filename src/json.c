/* SPDX-License-Identifier: MIT */
#include "bindep/json.h"
#include "bindep/utf8.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Laid out text is given to the sink, and compact text hashed, in pieces
 * of this size: a few system calls per megabyte, and a document never
 * held whole (unless the sink cannot be rewritten). */
#define JSON_CHUNK (64u * 1024u)

/* ---- relays: the content hash and the sink's writes --------------------- */

/*
 * Two consumers of full pieces run on threads of their own: the SHA-1 of
 * the compact text (bd_emit_uuid5) and the sink's writes of the laid out
 * text. The output stage runs after the scan, when the other cores are
 * idle; hashing is a fifth of making the text, and writing to a page
 * cache as much (on /usr/lib, 4.8 MB into a tmpfs). Full pieces go to
 * each through a ring of buffers, copied (relay_add says why): the writer
 * waits only when it runs that far ahead. The thread starts with the first
 * piece (a small document, one piece, needs none); without one, pieces
 * are consumed by the writer itself. Each keeps ahead of the text as it
 * is made (SHA-1 four times as fast, a write to the page cache about
 * three times on /usr/lib): two pieces in waiting are room enough (each
 * 64 KiB and a slice).
 */
#define RELAY_PIECES 2

/* A consumer of pieces: 0, else its error (the first is kept, and no
 * piece is consumed after it). */
typedef int (*relay_fn)(void *ctx, const void *data, size_t len);

struct relay {
	relay_fn consume;
	void *ctx;	/* consume's; the thread's while it runs */
	bool started;	/* the thread was started, or tried */
	bool threaded;	/* the thread runs */
	bool closing;	/* no more pieces: the thread ends when done */
	int rc;		/* consume's first error */
	size_t head, n; /* the pieces waiting: ring[head], n of them */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed; /* a piece came, or went, or closing */
	struct bd_buf ring[RELAY_PIECES];
};

/* Consumes the piece here, unless an error came first, and empties it. */
static void consume_piece(struct relay *r, struct bd_buf *piece, int *rc)
{
	if (!*rc && piece->len)
		*rc = r->consume(r->ctx, piece->data, piece->len);
	bd_buf_reset(piece);
}

static void *relay_thread(void *arg)
{
	struct relay *r = arg;
	int rc;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (!r->n && !r->closing)
			pthread_cond_wait(&r->changed, &r->lock);
		if (!r->n)
			break;
		/* Consumed unlocked: the writer fills other slots meanwhile. */
		rc = r->rc;
		pthread_mutex_unlock(&r->lock);
		consume_piece(r, &r->ring[r->head], &rc);
		pthread_mutex_lock(&r->lock);
		/* The writer may have failed meanwhile (relay_add's copy):
		 * the first error is kept. */
		if (!r->rc)
			r->rc = rc;
		r->head = (r->head + 1) % RELAY_PIECES;
		r->n--;
		pthread_cond_signal(&r->changed);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static struct relay *relay_new(relay_fn consume, void *ctx)
{
	struct relay *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->consume = consume;
	r->ctx = ctx;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->changed, NULL);
	return r;
}

/*
 * Hands a full piece over, a copy in the ring (piece is emptied); returns
 * the first error so far. Copied, not swapped: a buffer swapped in comes
 * from the thread that consumed it, on the other core, and the writer's
 * many small writes went into its cache lines. In spells on a 2-core VM
 * (the cores sharing no cache then, it seems), that made the output stage
 * 19 ms instead of 8 on the hand-built Debian root (issue 13); runs with
 * the copy, interleaved with 61 of those, took 8.9 ms on average. One
 * copy a piece, in one go, costs nothing measurable otherwise.
 */
static int relay_add(struct relay *r, struct bd_buf *piece)
{
	struct bd_buf *slot;
	int rc;

	if (!r->started) {
		r->started = true;
		r->threaded =
			!pthread_create(&r->thread, NULL, relay_thread, r);
	}
	if (!r->threaded) {
		consume_piece(r, piece, &r->rc);
		return r->rc;
	}
	pthread_mutex_lock(&r->lock);
	while (r->n == RELAY_PIECES)
		pthread_cond_wait(&r->changed, &r->lock);
	/* The slot after the pieces waiting: the thread does not touch it
	 * until it is counted among them. */
	slot = &r->ring[(r->head + r->n) % RELAY_PIECES];
	pthread_mutex_unlock(&r->lock);
	bd_buf_reset(slot);
	bd_buf_add(slot, piece->data, piece->len);
	bd_buf_reset(piece);
	pthread_mutex_lock(&r->lock);
	if (!bd_buf_ok(slot) && !r->rc)
		r->rc = BD_ENOMEM;
	r->n++;
	rc = r->rc;
	pthread_cond_signal(&r->changed);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

/* Waits for the thread to consume what it was given, and ends it: later
 * pieces are consumed here. Returns the first error. */
static int relay_join(struct relay *r)
{
	if (!r->threaded)
		return r->rc;
	pthread_mutex_lock(&r->lock);
	r->closing = true;
	pthread_cond_signal(&r->changed);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	r->threaded = false;
	return r->rc;
}

/* Joins the thread and frees r; returns the first error. */
static int relay_free(struct relay *r)
{
	int rc = relay_join(r);
	size_t i;

	for (i = 0; i < RELAY_PIECES; i++)
		bd_buf_release(&r->ring[i]);
	pthread_cond_destroy(&r->changed);
	pthread_mutex_destroy(&r->lock);
	free(r);
	return rc;
}

/* The content hash: a relay to bd_emit_uuid5_add. */
static struct relay *digest_new(void)
{
	void *sha1 = bd_emit_uuid5_begin();
	struct relay *r = sha1 ? relay_new(bd_emit_uuid5_add, sha1) : NULL;

	if (!r && sha1) {
		char unused[37];

		bd_emit_uuid5_end(sha1, unused);
	}
	return r;
}

/* The UUID of all that was added and of rest, the last piece, which is
 * hashed here once the thread is done (out NULL: none wanted, rest
 * dropped); d is freed. */
static int digest_end(struct relay *d, struct bd_buf *rest, char out[37])
{
	char unused[37];
	void *sha1 = d->ctx;
	int rc = relay_join(d), end;

	if (out)
		consume_piece(d, rest, &rc);
	relay_free(d);
	end = bd_emit_uuid5_end(sha1, out ? out : unused);
	return rc ? BD_ENOMEM : end;
}

/* The sink's writes: a relay to it. */
static int sink_write(void *ctx, const void *data, size_t len)
{
	const struct bd_emit_sink *sink = ctx;

	return sink->write(sink->ctx, data, len);
}

/* Waits for the sink's writes of what was given; keeps their error. */
static void writes_done(struct bd_json *j)
{
	int rc = j->writer ? relay_join(j->writer) : 0;

	if (rc && !j->sink_rc)
		j->sink_rc = rc;
}

void bd_json_init(struct bd_json *j, const struct bd_emit_sink *sink,
		  bool content_uuid)
{
	memset(j, 0, sizeof(*j));
	j->sink = sink;
	/* What the null sink is given nobody reads: a pass that only hashes
	 * makes the compact text alone. */
	j->laying_out = sink != &bd_emit_null_sink;
	if (content_uuid) {
		j->uuid = digest_new();
		j->failed = !j->uuid;
	}
	/* Without a thread of its own, the sink is written here. */
	if (j->laying_out)
		j->writer = relay_new(sink_write, (void *)sink);
}

void bd_json_release(struct bd_json *j)
{
	if (j->uuid) {
		digest_end(j->uuid, NULL, NULL);
		j->uuid = NULL;
	}
	if (j->writer) {
		relay_free(j->writer);
		j->writer = NULL;
	}
	bd_buf_release(&j->raws);
	bd_buf_release(&j->text);
	bd_buf_release(&j->out);
	bd_buf_release(&j->compact);
}

/* ---- output ----------------------------------------------------------- */

/* A hole that the sink could not have rewritten: keep it all till then. */
static bool holding(const struct bd_json *j)
{
	return j->hole_len && !j->sink->patch;
}

/* Hands the text made so far to the sink; after a failure of the sink
 * it is dropped (the sink's error is the one said). */
static void give(struct bd_json *j)
{
	size_t len = j->out.len;
	int rc;

	if (!len)
		return;
	if (!j->sink_rc) {
		rc = j->writer ? relay_add(j->writer, &j->out)
			       : j->sink->write(j->sink->ctx, j->out.data, len);
		if (rc)
			j->sink_rc = rc;
	}
	j->given += len;
	bd_buf_reset(&j->out);
}

static void hash_compact(struct bd_json *j)
{
	if (j->uuid && j->compact.len && relay_add(j->uuid, &j->compact))
		j->failed = true;
	bd_buf_reset(&j->compact);
}

static void hand_on(struct bd_json *j)
{
	if (j->out.len >= JSON_CHUNK && !holding(j))
		give(j);
	if (j->compact.len >= JSON_CHUNK)
		hash_compact(j);
}

/* A full piece goes to the sink, or to the hash: before each value, at
 * the end of each container and after each slice of a string, so that
 * a piece is never much more than JSON_CHUNK. Inline: a call for its
 * test was 370,000 calls on a Debian root's CycloneDX (issue 13). */
static inline void pace(struct bd_json *j)
{
	if (j->out.len >= JSON_CHUNK || j->compact.len >= JSON_CHUNK)
		hand_on(j);
}

/* Room for n more bytes at the end of b: the writer's hot path checks
 * the room it has and calls out only to grow. This and the writes below
 * are inline: their callers' lengths are mostly constants, a token's one
 * or two bytes stored without a call to memcpy (7% of the CycloneDX
 * output of a Debian root, issue 13). */
static inline bool room(struct bd_json *j, struct bd_buf *b, size_t n)
{
	if (n < b->alloc - b->len || bd_buf_reserve(b, n))
		return true;
	j->failed = true;
	return false;
}

/* n bytes, whose room is made, at the end of b. */
static inline void add(struct bd_buf *b, const char *s, size_t n)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* b ends at end, written in its room. */
static void commit(struct bd_buf *b, char *end)
{
	b->len = (size_t)(end - b->data);
	*end = '\0';
}

/* Bytes of the laid out text (pretty) and of the compact text, each
 * made only when wanted. */
static inline void put(struct bd_json *j, const char *pretty, size_t plen,
		       const char *compact, size_t clen)
{
	if (j->dry)
		return;
	if (j->laying_out && room(j, &j->out, plen))
		add(&j->out, pretty, plen);
	if (j->uuid && clen && room(j, &j->compact, clen))
		add(&j->compact, compact, clen);
}

/* The same bytes in both texts. */
static inline void put_both(struct bd_json *j, const char *s, size_t len)
{
	put(j, s, len, s, len);
}

/* ---- strings ------------------------------------------------------------ */

/* What escape() does with each byte: copy it, escape it ('"', '\\' and
 * the C0 controls, as cJSON's print_string_ptr), or, a byte of a
 * multibyte sequence, look at its character (C1 and the bidi controls
 * are escaped too: shown_raw()) and, when asked, check it. */
enum { COPY, ESCAPE, CHECK };

#define ROW(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v

/* COPY (0) but for these. */
static const unsigned char BYTE_CLASS[256] = {
	/* 00..1F: the C0 controls */
	ROW(ESCAPE),
	ROW(ESCAPE),
	/* and these two */
	['"'] = ESCAPE,
	['\\'] = ESCAPE,
	/* 80..FF: in a multibyte sequence, if UTF-8 at all */
	[0x80] = ROW(CHECK),
	ROW(CHECK),
	ROW(CHECK),
	ROW(CHECK),
	ROW(CHECK),
	ROW(CHECK),
	ROW(CHECK),
	ROW(CHECK),
};

#undef ROW

/* One escaped byte, as cJSON writes it: a short escape, else \u00XX. */
static char *escape_byte(char *to, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	*to++ = '\\';
	switch (c) {
	case '"': *to++ = '"'; break;
	case '\\': *to++ = '\\'; break;
	case '\b': *to++ = 'b'; break;
	case '\f': *to++ = 'f'; break;
	case '\n': *to++ = 'n'; break;
	case '\r': *to++ = 'r'; break;
	case '\t': *to++ = 't'; break;
	default:
		memcpy(to, "u00", 3);
		to[3] = hex[c >> 4];
		to[4] = hex[c & 15];
		to += 5;
		break;
	}
	return to;
}

/*
 * The characters that a terminal acts on, or that reorder a line, without
 * being seen, when the JSON is printed: C1 (U+0080..U+009F, U+009B is a
 * CSI) and the bidi controls (U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069; U+202E shows a name reversed). Written as \uXXXX: the
 * same string to a JSON reader, nothing raw on a terminal.
 */
static bool shown_raw(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* \uXXXX of a character below U+10000, lowercase as cJSON's \u00XX. */
static char *escape_char(char *to, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";

	memcpy(to, "\\u", 2);
	to[2] = hex[(cp >> 12) & 15];
	to[3] = hex[(cp >> 8) & 15];
	to[4] = hex[(cp >> 4) & 15];
	to[5] = hex[cp & 15];
	return to + 6;
}

/* Whether the 8 bytes of w are all plain (COPY): none below 0x20, '"',
 * '\\' or above 0x7F. Exact, by the carries of the haszero/hasless bit
 * tricks ("Bit Twiddling Hacks", Sean Eron Anderson): a word at a time
 * over the long plain runs of paths, purls and hashes. */
static bool plain_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
	uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');

	return !((((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
		  ((backslash - ones) & ~backslash) | w) &
		 highs);
}

/*
 * Copies the run of plain bytes from s (up to end) to *to, a word at a
 * time as each is checked, without a memcpy call per run; when fewer than
 * 8 bytes are left after a run of words, they go as the word that ends at
 * end (read and written again in part, nothing past either end). Returns
 * where the run ends, and *to where its copy does.
 */
static const unsigned char *copy_plain(char **to, const unsigned char *s,
				       const unsigned char *end)
{
	const unsigned char *start = s;
	char *t = *to;
	uint64_t w;

	for (; end - s >= 8; s += 8, t += 8) {
		memcpy(&w, s, sizeof(w));
		if (!plain_word(w))
			break;
		memcpy(t, &w, sizeof(w));
	}
	if (s < end && end - s < 8 && s - start >= 8) {
		memcpy(&w, end - 8, sizeof(w));
		if (plain_word(w)) {
			t += end - s;
			memcpy(t - 8, &w, sizeof(w));
			*to = t;
			return end;
		}
	}
	while (s < end && BYTE_CLASS[*s] == COPY)
		*t++ = (char)*s++;
	*to = t;
	return s;
}

/*
 * s[0..n) escaped at to, which has room for 6 * n bytes (every byte a
 * \u00XX, a C1 or bidi control a \uXXXX): runs of plain bytes are copied
 * a word at a time. A multibyte sequence is decoded on the way
 * (bindep/utf8.h); with check, NULL is returned at the first ill-formed
 * one: validation and escaping are one pass over the bytes. Returns the
 * end of what was written.
 */
static char *escape(char *to, const unsigned char *s, size_t n, bool check)
{
	const unsigned char *end = s + n;
	uint32_t cp;
	size_t len;

	while (s < end) {
		s = copy_plain(&to, s, end);
		if (s == end)
			break;
		if (BYTE_CLASS[*s] == ESCAPE) {
			to = escape_byte(to, *s++);
			continue;
		}
		len = bd_utf8_next(s, (size_t)(end - s), &cp);
		if (cp == BD_UTF8_INVALID && check)
			return NULL;
		if (cp != BD_UTF8_INVALID && shown_raw(cp)) {
			to = escape_char(to, cp);
			s += len;
			continue;
		}
		memcpy(to, s, len);
		to += len;
		s += len;
	}
	return to;
}

/* Strings are escaped in slices of this many bytes, room made for each:
 * a huge string never needs six times its size at once. */
#define JSON_SLICE 4096u

/* A slice of a string, escaped, after the opening quote (first) and
 * before the closing one (last), into the texts wanted: made once, in the
 * laid out text when it is wanted, and copied to the compact one. False,
 * with nothing kept, when check finds ill-formed UTF-8. */
static bool put_slice(struct bd_json *j, const unsigned char *s, size_t n,
		      bool first, bool last, bool check)
{
	struct bd_buf *b = j->laying_out ? &j->out : &j->compact;
	char *start, *end;

	if (!room(j, b, 6 * n + 2))
		return true; /* failed: the document is lost anyway */
	start = b->data + b->len;
	end = start;
	if (first)
		*end++ = '"';
	end = escape(end, s, n, check);
	if (!end)
		return false;
	if (last)
		*end++ = '"';
	b->len += (size_t)(end - start);
	b->data[b->len] = '\0';
	if (b == &j->out && j->uuid &&
	    room(j, &j->compact, (size_t)(end - start)))
		add(&j->compact, start, (size_t)(end - start));
	pace(j);
	return true;
}

/*
 * A string as cJSON prints it (print_string_ptr): '"', '\' and the C0
 * controls escaped, C1 and the bidi controls too (shown_raw()), every
 * other byte as it is. With check, false when s
 * is not valid UTF-8, and nothing written: a string of one slice is
 * checked as it is escaped, a longer one first.
 */
static bool put_string(struct bd_json *j, const char *s, size_t n, bool check)
{
	const unsigned char *p = (const unsigned char *)s;
	bool first = true;
	size_t take;

	if (j->dry || (!j->laying_out && !j->uuid))
		return !check || bd_utf8_valid(s, n);
	if (check && n > JSON_SLICE) {
		if (!bd_utf8_valid(s, n))
			return false;
		check = false;
	}
	do {
		take = n < JSON_SLICE ? n : JSON_SLICE;
		/* A slice ends between characters: a C1 or bidi control cut
		 * in two would not be seen to need its escape. */
		if (take < n)
			take = bd_utf8_boundary((const char *)p, take);
		if (!put_slice(j, p, take, first, take == n, check))
			return false;
		first = false;
		p += take;
		n -= take;
	} while (n);
	return true;
}

/* ---- lines -------------------------------------------------------------- */

/* The tabs of depth d (no container opens deeper than the stack). */
static size_t indent(unsigned d)
{
	return d < BD_JSON_MAX_DEPTH ? d : BD_JSON_MAX_DEPTH;
}

/* "key": at p, escaped as a string is. Keys are short plain words: they
 * are copied a byte at a time while plain, and only the rest, if any, is
 * escaped (escape() was ~85 instructions a key, 10% of the CycloneDX
 * output of a Debian root, issue 13). */
static char *key_text(char *p, const char *key, size_t len)
{
	size_t i;

	*p++ = '"';
	for (i = 0; i < len && BYTE_CLASS[(unsigned char)key[i]] == COPY; i++)
		p[i] = key[i];
	p += i;
	if (i < len)
		p = escape(p, (const unsigned char *)key + i, len - i, false);
	*p++ = '"';
	*p++ = ':';
	return p;
}

/*
 * A member's key in an object at depth d, as cJSON lays it out: a comma
 * unless first, a line of its own, d tabs, the key and ":\t"; compact,
 * the comma, the key and ":". Keys are the emitters' own words (short):
 * each text in one piece, the key escaped once.
 */
static void put_key(struct bd_json *j, unsigned d, const char *key, bool first)
{
	size_t len = strlen(key), tabs = indent(d);
	char *p, *quoted = NULL;

	if (j->dry)
		return;
	if (j->laying_out && room(j, &j->out, 6 * len + tabs + 6)) {
		p = j->out.data + j->out.len;
		if (!first)
			*p++ = ',';
		*p++ = '\n';
		memset(p, '\t', tabs);
		quoted = p + tabs;
		p = key_text(quoted, key, len);
		*p++ = '\t';
		commit(&j->out, p);
	}
	if (j->uuid && room(j, &j->compact, 6 * len + 4)) {
		p = j->compact.data + j->compact.len;
		if (!first)
			*p++ = ',';
		if (quoted) { /* "key": as laid out, without the tab */
			len = (size_t)(j->out.data + j->out.len - 1 - quoted);
			memcpy(p, quoted, len);
			p += len;
		} else {
			p = key_text(p, key, len);
		}
		commit(&j->compact, p);
	}
}

/* The end of an object at depth d: cJSON puts "}" on a line of its own,
 * indented as the object's own key, even when the object is empty. */
static void put_close(struct bd_json *j, unsigned d)
{
	size_t tabs = indent(d);
	char *p;

	if (j->dry)
		return;
	if (j->laying_out && room(j, &j->out, tabs + 2)) {
		p = j->out.data + j->out.len;
		*p++ = '\n';
		memset(p, '\t', tabs);
		p += tabs;
		*p++ = '}';
		commit(&j->out, p);
	}
	if (j->uuid && room(j, &j->compact, 1))
		add(&j->compact, "}", 1);
}

/* ---- structure -------------------------------------------------------- */

static struct bd_json_frame *top(struct bd_json *j)
{
	return j->depth ? &j->stack[j->depth - 1] : NULL;
}

/* What goes before a value in the container at depth d (1-based): in an
 * object a line of its own and the key, in an array ", ". */
static void prefix_at(struct bd_json *j, unsigned d, const char *key)
{
	struct bd_json_frame *f = &j->stack[d - 1];

	if (f->array) {
		if (f->n)
			put(j, ", ", 2, ",", 1);
	} else {
		put_key(j, d, key ? key : "", !f->n);
	}
	f->n++;
}

/* Writes the lazy containers from depth d up, now that they get a value. */
static void open_pending(struct bd_json *j, unsigned d)
{
	struct bd_json_frame *f = &j->stack[d - 1];

	if (d > 1 && j->stack[d - 2].pending)
		open_pending(j, d - 1);
	if (d > 1)
		prefix_at(j, d - 1, f->key);
	put_both(j, f->array ? "[" : "{", 1);
	f->pending = false;
}

/* Before a value: the containers it is in written, its key or comma. */
static bool prefix(struct bd_json *j, const char *key)
{
	struct bd_json_frame *f = top(j);

	/* A dry run writes nothing, and the stack it leaves is put back:
	 * nothing to do here but for the raws' labels, which begin() keeps. */
	if (j->dry)
		return true;
	pace(j);
	if (!f)
		return true;
	if (!f->array && !key) {
		j->failed = true; /* an object member needs its key */
		return false;
	}
	if (f->pending)
		open_pending(j, j->depth);
	prefix_at(j, j->depth, key);
	return true;
}

static void begin(struct bd_json *j, const char *key, bool array, bool lazy)
{
	struct bd_json_frame *f;

	if (j->depth == BD_JSON_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	if (!lazy && !prefix(j, key))
		return;
	f = &j->stack[j->depth++];
	*f = (struct bd_json_frame){ key, 0, array, lazy };
	if (!lazy)
		put_both(j, array ? "[" : "{", 1);
}

static void end(struct bd_json *j, bool array)
{
	struct bd_json_frame *f = top(j);

	if (!f || f->array != array) {
		j->failed = true;
		return;
	}
	j->depth--;
	if (f->pending || j->dry)
		return; /* lazy and empty, or dry: nothing to write */
	pace(j);
	if (array)
		put_both(j, "]", 1);
	else
		put_close(j, j->depth);
}

void bd_json_begin_object(struct bd_json *j, const char *key)
{
	begin(j, key, false, false);
}

void bd_json_end_object(struct bd_json *j)
{
	end(j, false);
}

void bd_json_begin_array(struct bd_json *j, const char *key)
{
	begin(j, key, true, false);
}

void bd_json_begin_array_lazy(struct bd_json *j, const char *key)
{
	begin(j, key, true, true);
}

void bd_json_end_array(struct bd_json *j)
{
	end(j, true);
}

/* ---- values ----------------------------------------------------------- */

/* The label of a string's raw: the one set, else its key, else (an item)
 * its array's key. */
static const char *label_of(struct bd_json *j, const char *key)
{
	const struct bd_json_frame *f = top(j);

	return j->raw_label ? j->raw_label : key ? key : f ? f->key : NULL;
}

void bd_json_add_string(struct bd_json *j, const char *key, const char *value)
{
	if (!value)
		return;
	/* A dry run keeps the raws, and writes nothing. */
	if (j->dry) {
		if (bd_json_text(j, label_of(j, key), value))
			prefix(j, key);
		return;
	}
	if (!prefix(j, key) || put_string(j, value, strlen(value), true))
		return;
	/* Not UTF-8: the policy (bindep/json.h) applies. */
	value = bd_json_text(j, label_of(j, key), value);
	if (value)
		put_string(j, value, strlen(value), false);
}

/* cJSON's compare_double: equal within the precision of the larger. */
static bool close_enough(double a, double b)
{
	double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return fabs(a - b) <= max * DBL_EPSILON;
}

/* An int as "%d" writes it. */
static size_t int_text(int i, char out[32])
{
	unsigned u = i < 0 ? 0u - (unsigned)i : (unsigned)i;
	char digits[12];
	size_t n = 0, len = 0;

	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		out[len++] = '-';
	while (n)
		out[len++] = digits[--n];
	return len;
}

/* 15 significant digits when they read back as the value, else 17. */
static size_t fraction_text(double d, char out[32])
{
	snprintf(out, 32, "%1.15g", d);
	if (!close_enough(strtod(out, NULL), d))
		snprintf(out, 32, "%1.17g", d);
	return strlen(out);
}

/*
 * A number as cJSON prints it (print_number): an integer that fits an int
 * as one, else 15 or 17 significant digits; no NaN or infinity in JSON.
 * Integers are written by hand; the fractions of a document are a handful
 * of confidences, each formatted and read back once, then remembered.
 */
static size_t number_text(struct bd_json *j, double d, char out[32])
{
	struct bd_json_number *m;
	uint64_t bits;
	int i;

	if (isnan(d) || isinf(d)) {
		memcpy(out, "null", 4);
		return 4;
	}
	i = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
	if (d == (double)i)
		return int_text(i, out);
	memcpy(&bits, &d, sizeof(bits));
	m = &j->numbers[(bits * 0x9E3779B97F4A7C15u) >>
			(64 - BD_JSON_NUMBERS_LOG2)];
	if (!m->len || memcmp(&m->value, &d, sizeof(d))) {
		m->value = d;
		m->len = (unsigned char)fraction_text(d, m->text);
	}
	memcpy(out, m->text, m->len);
	return m->len;
}

void bd_json_add_number(struct bd_json *j, const char *key, double value)
{
	char text[32];

	if (prefix(j, key) && !j->dry)
		put_both(j, text, number_text(j, value, text));
}

void bd_json_add_bool(struct bd_json *j, const char *key, bool value)
{
	if (prefix(j, key))
		put_both(j, value ? "true" : "false", value ? 4 : 5);
}

void bd_json_add_ref(struct bd_json *j, const char *key, const char *ref)
{
	size_t len;

	if (!ref || !prefix(j, key))
		return;
	len = strlen(ref);
	/* Valid, without '%': as it is (checked while escaped). */
	if (!memchr(ref, '%', len) && put_string(j, ref, len, true))
		return;
	bd_buf_reset(&j->text);
	bd_utf8_percent_invalid(&j->text, ref, len);
	if (bd_buf_ok(&j->text))
		put_string(j, j->text.data, j->text.len, false);
	else
		j->failed = true;
}

void bd_json_add_hole(struct bd_json *j, const char *key, size_t width)
{
	if (j->dry)
		return;
	/* A sink that cannot rewrite must not have been given any. */
	if (j->hole_len || !width || (!j->sink->patch && j->given) ||
	    !prefix(j, key)) {
		j->failed = true;
		return;
	}
	put_both(j, "\"", 1);
	j->hole = j->given + j->out.len;
	j->hole_len = width;
	if (j->laying_out && room(j, &j->out, width)) {
		memset(j->out.data + j->out.len, ' ', width);
		j->out.len += width;
		j->out.data[j->out.len] = '\0';
	}
	put_both(j, "\"", 1);
}

void bd_json_fill_hole(struct bd_json *j, const char *value)
{
	size_t len = strlen(value);
	int rc;

	if (!j->hole_len || len != j->hole_len) {
		j->failed = true;
		return;
	}
	if (j->hole >= j->given) { /* still ours, or no text made */
		if (j->laying_out)
			memcpy(j->out.data + (j->hole - j->given), value, len);
		return;
	}
	if (!j->sink->patch) {
		j->failed = true;
		return;
	}
	/* The hole's bytes are written before they are patched. */
	writes_done(j);
	rc = j->sink->patch(j->sink->ctx, j->hole, value, len);
	if (rc && !j->sink_rc)
		j->sink_rc = rc;
}

int bd_json_content_uuid(struct bd_json *j, char out[37])
{
	int rc;

	if (!j->uuid || j->depth)
		return BD_ENOMEM;
	rc = digest_end(j->uuid, &j->compact, out);
	j->uuid = NULL;
	return rc;
}

int bd_json_finish(struct bd_json *j)
{
	if (j->depth)
		j->failed = true;
	put(j, "\n", 1, NULL, 0);
	if (!j->failed)
		give(j);
	writes_done(j);
	return j->failed ? BD_ENOMEM : j->sink_rc;
}

/* ---- the UTF-8 policy --------------------------------------------------- */

/* "bindep:runpath" keeps its raw as "bindep:raw-runpath", "name" as
 * "bindep:raw-name". */
static void keep_raw(struct bd_json *j, const char *label, const char *value)
{
	static const char prefix_[] = "bindep:";

	if (!strncmp(label, prefix_, sizeof(prefix_) - 1))
		label += sizeof(prefix_) - 1;
	bd_buf_adds(&j->raws, prefix_);
	bd_buf_adds(&j->raws, "raw-");
	bd_buf_add(&j->raws, label, strlen(label) + 1);
	bd_utf8_percent(&j->raws, value, strlen(value));
	bd_buf_addc(&j->raws, '\0');
}

const char *bd_json_text(struct bd_json *j, const char *label,
			 const char *value)
{
	size_t len = value ? strlen(value) : 0;

	if (!value || bd_utf8_valid(value, len))
		return value;
	bd_buf_reset(&j->text);
	bd_utf8_sanitize(&j->text, value, len);
	if (j->collecting && label)
		keep_raw(j, label, value);
	if (!bd_buf_ok(&j->text) || !bd_buf_ok(&j->raws)) {
		j->failed = true;
		return NULL;
	}
	return j->text.data;
}

void bd_json_dry(struct bd_json *j, bool on)
{
	if (on && !j->dry) {
		memcpy(j->saved, j->stack, sizeof(j->stack));
		j->saved_depth = j->depth;
	} else if (!on && j->dry) {
		memcpy(j->stack, j->saved, sizeof(j->stack));
		j->depth = j->saved_depth;
	}
	j->dry = on;
}

void bd_json_raw_begin(struct bd_json *j)
{
	bd_buf_reset(&j->raws);
	j->collecting = true;
}

void bd_json_raw_end(struct bd_json *j,
		     void (*fn)(void *ctx, const char *name, const char *value),
		     void *ctx)
{
	size_t at = 0;

	j->collecting = false;
	while (bd_buf_ok(&j->raws) && at < j->raws.len) {
		const char *name = j->raws.data + at;
		const char *value = name + strlen(name) + 1;

		at = (size_t)(value - j->raws.data) + strlen(value) + 1;
		fn(ctx, name, value);
	}
	bd_buf_reset(&j->raws);
}
