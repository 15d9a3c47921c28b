/* SPDX-License-Identifier: MIT */
#include "bindep/json.h"
#include "bindep/utf8.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Laid out text is given to the sink, and compact text hashed, in pieces
 * of this size: a few system calls per megabyte, and a document never
 * held whole (unless the sink cannot be rewritten). */
#define JSON_CHUNK (64u * 1024u)

void bd_json_init(struct bd_json *j, const struct bd_emit_sink *sink,
		  bool content_uuid)
{
	memset(j, 0, sizeof(*j));
	j->sink = sink;
	if (content_uuid) {
		j->uuid = bd_emit_uuid5_begin();
		j->failed = !j->uuid;
	}
}

void bd_json_release(struct bd_json *j)
{
	if (j->uuid) {
		char unused[37];

		bd_emit_uuid5_end(j->uuid, unused);
		j->uuid = NULL;
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
	int rc;

	if (!j->out.len)
		return;
	if (!j->sink_rc) {
		rc = j->sink->write(j->sink->ctx, j->out.data, j->out.len);
		if (rc)
			j->sink_rc = rc;
	}
	j->given += j->out.len;
	bd_buf_reset(&j->out);
}

static void hash_compact(struct bd_json *j)
{
	if (j->uuid && j->compact.len &&
	    bd_emit_uuid5_add(j->uuid, j->compact.data, j->compact.len))
		j->failed = true;
	bd_buf_reset(&j->compact);
}

/* bd_buf_add, without the call when the bytes fit: the writer's hot
 * path, a few bytes at a time. */
static void append(struct bd_buf *b, const char *s, size_t n)
{
	if (n < b->alloc - b->len) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		bd_buf_add(b, s, n);
	}
}

/* Bytes of the laid out text (pretty) and of the compact text. */
static void put(struct bd_json *j, const char *pretty, size_t plen,
		const char *compact, size_t clen)
{
	if (j->dry)
		return;
	append(&j->out, pretty, plen);
	if (j->uuid && clen)
		append(&j->compact, compact, clen);
	if (!bd_buf_ok(&j->out) || !bd_buf_ok(&j->compact))
		j->failed = true;
	if (j->out.len >= JSON_CHUNK && !holding(j))
		give(j);
	if (j->compact.len >= JSON_CHUNK)
		hash_compact(j);
}

/* The same bytes in both texts. */
static void put_both(struct bd_json *j, const char *s, size_t len)
{
	put(j, s, len, s, len);
}

static void put_tabs(struct bd_json *j, unsigned n)
{
	static const char tabs[BD_JSON_MAX_DEPTH + 1] = "\t\t\t\t\t\t\t\t"
							"\t\t\t\t\t\t\t\t";

	put(j, tabs, n < BD_JSON_MAX_DEPTH ? n : BD_JSON_MAX_DEPTH, NULL, 0);
}

/* The bytes put_string stops at: the C0 controls (NUL ends the string),
 * '"' and '\\'. */
static const bool STOP[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
	[0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1,
	[0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1,
	[0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1,
	[0x1e] = 1, [0x1f] = 1, ['"'] = 1,  ['\\'] = 1,
};

/* A string as cJSON prints it (print_string_ptr): '"', '\' and the C0
 * controls escaped, every other byte as it is. */
static void put_string(struct bd_json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char esc[8];

	put_both(j, "\"", 1);
	for (;; p++) {
		while (!STOP[*p])
			p++;
		if (!*p)
			break;
		put_both(j, (const char *)run, (size_t)(p - run));
		switch (*p) {
		case '"': memcpy(esc, "\\\"", 3); break;
		case '\\': memcpy(esc, "\\\\", 3); break;
		case '\b': memcpy(esc, "\\b", 3); break;
		case '\f': memcpy(esc, "\\f", 3); break;
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case '\t': memcpy(esc, "\\t", 3); break;
		default: snprintf(esc, sizeof(esc), "\\u%04x", *p); break;
		}
		put_both(j, esc, strlen(esc));
		run = p + 1;
	}
	put_both(j, (const char *)run, (size_t)(p - run));
	put_both(j, "\"", 1);
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
		put(j, f->n ? ",\n" : "\n", f->n ? 2 : 1, ",", f->n ? 1 : 0);
		put_tabs(j, d);
		put_string(j, key ? key : "");
		put(j, ":\t", 2, ":", 1);
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
	if (f->pending)
		return; /* lazy and empty: never written */
	if (!array) {
		/* cJSON: "\n", the parent's indent, "}", even when empty. */
		put(j, "\n", 1, NULL, 0);
		put_tabs(j, j->depth);
	}
	put_both(j, array ? "]" : "}", 1);
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
	value = bd_json_text(j, label_of(j, key), value);
	if (value && prefix(j, key))
		put_string(j, value);
}

/* cJSON's compare_double: equal within the precision of the larger. */
static bool close_enough(double a, double b)
{
	double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return fabs(a - b) <= max * DBL_EPSILON;
}

/* A number as cJSON prints it (print_number): an integer that fits an int
 * as one, else 15 significant digits when they read back as the value,
 * else 17; no NaN or infinity in JSON. */
static void format_number(double d, char out[32])
{
	int i = d >= INT_MAX	       ? INT_MAX
		: d <= (double)INT_MIN ? INT_MIN
				       : (int)d;
	double back;

	if (isnan(d) || isinf(d)) {
		snprintf(out, 32, "null");
	} else if (d == (double)i) {
		snprintf(out, 32, "%d", i);
	} else {
		snprintf(out, 32, "%1.15g", d);
		back = strtod(out, NULL);
		if (!close_enough(back, d))
			snprintf(out, 32, "%1.17g", d);
	}
}

void bd_json_add_number(struct bd_json *j, const char *key, double value)
{
	char text[32];

	format_number(value, text);
	if (prefix(j, key))
		put_both(j, text, strlen(text));
}

void bd_json_add_bool(struct bd_json *j, const char *key, bool value)
{
	if (prefix(j, key))
		put_both(j, value ? "true" : "false", value ? 4 : 5);
}

/* ref, valid UTF-8 and injective, or NULL when out of memory. */
static const char *ref_text(struct bd_json *j, const char *ref)
{
	size_t len = strlen(ref);

	/* Nothing to encode: as bd_utf8_percent_invalid would leave it. */
	if (!memchr(ref, '%', len) && bd_utf8_valid(ref, len))
		return ref;
	bd_buf_reset(&j->text);
	if (!bd_utf8_percent_invalid(&j->text, ref, strlen(ref)))
		return ref;
	if (!bd_buf_ok(&j->text)) {
		j->failed = true;
		return NULL;
	}
	return j->text.data;
}

void bd_json_add_ref(struct bd_json *j, const char *key, const char *ref)
{
	if (ref)
		ref = ref_text(j, ref);
	if (ref && prefix(j, key))
		put_string(j, ref);
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
	while (width--)
		put(j, " ", 1, NULL, 0);
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
	if (j->hole >= j->given) { /* still ours */
		memcpy(j->out.data + (j->hole - j->given), value, len);
		return;
	}
	if (!j->sink->patch) {
		j->failed = true;
		return;
	}
	rc = j->sink->patch(j->sink->ctx, j->hole, value, len);
	if (rc && !j->sink_rc)
		j->sink_rc = rc;
}

int bd_json_content_uuid(struct bd_json *j, char out[37])
{
	int rc;

	if (!j->uuid || j->depth)
		return BD_ENOMEM;
	hash_compact(j);
	rc = bd_emit_uuid5_end(j->uuid, out);
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

void bd_json_raw_pause(struct bd_json *j)
{
	j->collecting = false;
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
