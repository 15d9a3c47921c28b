/* SPDX-License-Identifier: MIT */
/*
 * The JSON writer's text, byte for byte, against cJSON's (the layout the
 * documents have always had): every escape, the UTF-8 policy's
 * replacement and percent-encoding, strings far longer than the writer's
 * 64 KiB pieces, numbers of every kind; the laid out text and the UUID of
 * the compact one, as each of the writer's modes makes them.
 */
#include "unit.h"
#include "bindep/emit.h"
#include "bindep/json.h"
#include "bindep/json_read.h"
#include "bindep/utf8.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strings of every kind the escaping meets; long ones made at run time. */
struct cases {
	char **items;
	size_t n;
};

static void add_case(struct cases *cs, const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	cs->items = realloc(cs->items, (cs->n + 1) * sizeof(*cs->items));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cs->items);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	memcpy(copy, s, len);
	copy[len] = '\0';
	cs->items[cs->n++] = copy;
}

/* One byte (or character) that is not plain, or that is at the edge of
 * what is, at every place of strings of every length up to 3 words: the
 * writer reads them a word at a time, the last word again. */
static void add_placed(struct cases *cs)
{
	static const char *const marks[] = {
		"\x01", "\x1f", " ", "!",    "\"",	 "#",
		"[",	"\\",	"]", "\x7f", "\xC3\xA9", "\xFF"
	};
	char s[32];
	size_t len, at, m, k;

	for (len = 1; len <= 24; len++) {
		for (at = 0; at < len; at++) {
			for (m = 0; m < BD_ARRAY_SIZE(marks); m++) {
				k = strlen(marks[m]);
				memset(s, 'p', len);
				memcpy(s + at, marks[m],
				       at + k <= len ? k : len - at);
				add_case(cs, s, len);
			}
		}
	}
}

#define CASE(cs, lit) add_case(cs, lit, sizeof(lit) - 1)

/* A reproducible byte stream (an LCG): the same cases every run. */
static unsigned next_rand(unsigned long long *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(*x >> 33);
}

/* len bytes mixing plain runs of any length with quotes, backslashes,
 * every control, DEL, U+2028, 2- and 4-byte characters and, when
 * invalid, stray, overlong, surrogate and cut sequences. */
static void add_mixed(struct cases *cs, size_t len, bool invalid,
		      unsigned long long seed)
{
	static const char *const pieces[] = {
		"\"",		"\\",
		"\b",		"\f",
		"\n",		"\r",
		"\t",		"\x01",
		"\x1f",		"\x7f",
		"\xE2\x80\xA8", "\xE2\x80\xA9",
		"\xC3\xA9",	"\xF0\x9F\x98\x80",
		"\xEF\xBB\xBF", "/",
	};
	static const char *const bad[] = { "\xFF",	   "\xC0\xAF",
					   "\xED\xA0\x80", "\xE2\x82",
					   "\x80",	   "\xF4\x90\x80" };
	char *s = malloc(len + 8);
	size_t at = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	while (at < len) {
		unsigned r = next_rand(&seed), run = r % 97;
		const char *p;

		while (run-- && at < len)
			s[at++] = (char)('a' + next_rand(&seed) % 26);
		if (invalid && r % 7 == 0)
			p = bad[next_rand(&seed) % BD_ARRAY_SIZE(bad)];
		else
			p = pieces[next_rand(&seed) % BD_ARRAY_SIZE(pieces)];
		memcpy(s + at, p, strlen(p));
		at += strlen(p);
	}
	add_case(cs, s, at);
	free(s);
}

static void add_repeated(struct cases *cs, char c, size_t len)
{
	char *s = malloc(len + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	memset(s, c, len);
	add_case(cs, s, len);
	free(s);
}

static void make_cases(struct cases *cs)
{
	char all[128];
	size_t i;

	for (i = 1; i < sizeof(all); i++)
		all[i - 1] = (char)i; /* every ASCII byte but NUL */
	add_case(cs, all, sizeof(all) - 1);
	CASE(cs, "");
	CASE(cs, "\"");
	CASE(cs, "\\");
	CASE(cs, "a\\");
	CASE(cs, "\"\\\"\\\\\"q\"");
	CASE(cs, "line\nbreak\r\n\ttab\b\f");
	CASE(cs, "\x01\x02\x1e\x1f\x7f");
	CASE(cs, "a\xE2\x80\xA8"
		 "b\xE2\x80\xA9"
		 "c"); /* U+2028, U+2029: valid, unchanged */
	CASE(cs, "\xEF\xBB\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF\xC2\x80\xC2\x9F");
	CASE(cs, "caf\xC3\xA9 50%");
	CASE(cs, "%41%");
	CASE(cs, "\xFF");
	CASE(cs, "a\xC0\xAF"
		 "b\"");
	CASE(cs, "x\xE2\x82");
	CASE(cs, "\xED\xA0\x80\n\xF5\x80");
	CASE(cs, "\xC3");
	add_mixed(cs, 300, false, 1);
	add_mixed(cs, 300, true, 2);
	add_mixed(cs, 200000, false, 3); /* several of the writer's pieces */
	add_mixed(cs, 150000, true, 4);
	add_repeated(cs, 'a', 150000);
	add_repeated(cs, '\x01', 70000); /* six times longer escaped */
	add_repeated(cs, '"', 70000);
	/* Around a 64 KiB piece, however the text before is laid out. */
	for (i = 65530; i < 65540; i += 3)
		add_repeated(cs, 'b', i);
	add_placed(cs);
}

static void free_cases(struct cases *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->items[i]);
	free(cs->items);
}

/* What the writer must write for s: valid text as it is, else its
 * replaced text (bd_utf8_sanitize); a ref percent-encodes instead. */
static char *expected(const char *s, bool ref)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t len = strlen(s);

	if (ref)
		bd_utf8_percent_invalid(&b, s, len);
	else
		bd_utf8_sanitize(&b, s, len);
	bd_buf_addc(&b, '\0');
	return bd_buf_detach(&b, NULL);
}

static void expect_added(cJSON *to, const char *key, const char *s, bool ref)
{
	char *text = expected(s, ref);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	if (key)
		cJSON_AddStringToObject(to, key, text);
	else
		cJSON_AddItemToArray(to, cJSON_CreateString(text));
	free(text);
}

/* Numbers cJSON prints as integers, with 15 or with 17 digits, and
 * those JSON has no words for. */
static void numbers(struct bd_json *j, cJSON *root)
{
	static const double fixed[] = {
		0,
		1,
		-1,
		0.9,
		0.85,
		0.5,
		0.1 + 0.2,
		1.0 / 3,
		2.0 / 3,
		1e-7,
		123.456,
		1e21,
		1e300,
		-1e-300,
		DBL_MAX,
		DBL_MIN,
		4.9e-324,
		2147483647.0,
		-2147483648.0,
		2147483648.0,
		-2147483649.0,
		123456789012.0,
		9007199254740993.0,
		0.30000000000000004,
	};
	unsigned long long seed = 42;
	cJSON *arr = cJSON_AddArrayToObject(root, "numbers");
	size_t i;

	bd_json_begin_array(j, "numbers");
	for (i = 0; i < BD_ARRAY_SIZE(fixed); i++) {
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(fixed[i]));
		bd_json_add_number(j, NULL, fixed[i]);
	}
	for (i = 0; i < 2000; i++) {
		/* Random mantissas over the exponents, and small ratios
		 * (confidences are such). */
		double d =
			i % 2 ? ldexp((double)next_rand(&seed) / 4294967296.0,
				      (int)(next_rand(&seed) % 200) - 100)
			      : (double)(next_rand(&seed) % 1000) / 100;

		cJSON_AddItemToArray(arr, cJSON_CreateNumber(d));
		bd_json_add_number(j, NULL, d);
	}
	bd_json_end_array(j);
	/* cJSON writes null for these. */
	bd_json_begin_array(j, "words");
	bd_json_add_number(j, NULL, NAN);
	bd_json_add_number(j, NULL, INFINITY);
	bd_json_add_number(j, NULL, -INFINITY);
	bd_json_end_array(j);
	arr = cJSON_AddArrayToObject(root, "words");
	for (i = 0; i < 3; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNull());
}

/* Each case as a member, as an item and as a ref, keys escaped too. */
static cJSON *escape_doc(struct bd_json *j, const struct cases *cs)
{
	static const char key[] = "k\"\\\n\x01\xC3\xA9\xE2\x80\xA8";
	cJSON *root = cJSON_CreateObject(), *arr, *refs;
	char name[32];
	size_t i;

	bd_json_begin_object(j, NULL);
	cJSON_AddStringToObject(root, key, "v");
	bd_json_add_string(j, key, "v");
	cJSON_AddStringToObject(root, "hole", "");
	bd_json_add_hole(j, "hole", 12);
	for (i = 0; i < cs->n; i++) {
		snprintf(name, sizeof(name), "s%zu", i);
		expect_added(root, name, cs->items[i], false);
		bd_json_add_string(j, name, cs->items[i]);
	}
	arr = cJSON_AddArrayToObject(root, "items");
	bd_json_begin_array(j, "items");
	refs = cJSON_AddArrayToObject(root, "refs");
	for (i = 0; i < cs->n; i++) {
		expect_added(arr, NULL, cs->items[i], false);
		bd_json_add_string(j, NULL, cs->items[i]);
		expect_added(refs, NULL, cs->items[i], true);
	}
	bd_json_end_array(j);
	bd_json_begin_array(j, "refs");
	for (i = 0; i < cs->n; i++)
		bd_json_add_ref(j, NULL, cs->items[i]);
	bd_json_end_array(j);
	numbers(j, root);
	bd_json_end_object(j);
	return root;
}

/* The characters that change how a terminal shows a line without being
 * seen: the bidi controls (U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) and C1 (U+0080..U+009F, U+009B a CSI). */
static bool shown_raw(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* cJSON's text with those written as \uXXXX, as the writer writes them:
 * they are only ever inside strings. */
static char *escaped_like_writer(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i = 0, n;
	struct bd_buf b = BD_BUF_INIT;
	uint32_t cp;

	while (i < len) {
		n = bd_utf8_next(s + i, len - i, &cp);
		if (cp != BD_UTF8_INVALID && shown_raw(cp))
			bd_buf_printf(&b, "\\u%04x", (unsigned)cp);
		else
			bd_buf_add(&b, text + i, n);
		i += n;
	}
	bd_buf_addc(&b, '\0');
	return bd_buf_detach(&b, NULL);
}

/* The writer to a buffer, hashing or not, against cJSON_Print and the
 * UUID of cJSON_PrintUnformatted (the hole empty in both), their bidi
 * controls and C1 escaped as the writer escapes them. */
static void expect_escapes(bool uuid)
{
	struct bd_buf out = BD_BUF_INIT;
	struct bd_emit_buf_sink s;
	struct cases cs = { NULL, 0 };
	struct bd_json j;
	char mine[37], theirs[37];
	char *text, *raw;
	cJSON *root;

	make_cases(&cs);
	bd_emit_buf_sink_init(&s, &out);
	bd_json_init(&j, &s.sink, uuid);
	root = escape_doc(&j, &cs);
	if (uuid) {
		CU_ASSERT_EQUAL(bd_json_content_uuid(&j, mine), 0);
		raw = cJSON_PrintUnformatted(root);
		text = escaped_like_writer(raw);
		CU_ASSERT_EQUAL(bd_emit_uuid5(text, strlen(text), theirs), 0);
		CU_ASSERT_STRING_EQUAL(mine, theirs);
		cJSON_free(raw);
		free(text);
	}
	bd_json_fill_hole(&j, "filled-late!");
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	cJSON_SetValuestring(cJSON_GetObjectItem(root, "hole"), "filled-late!");
	raw = cJSON_Print(root);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	text = escaped_like_writer(raw);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(strlen(text) + 1, out.len);
	CU_ASSERT_EQUAL(memcmp(text, out.data, strlen(text)), 0);
	CU_ASSERT_EQUAL(out.data[out.len - 1], '\n');
	CU_ASSERT_TRUE(bd_utf8_valid(out.data, out.len));
	cJSON_free(raw);
	free(text);
	cJSON_Delete(root);
	bd_json_release(&j);
	bd_buf_release(&out);
	free_cases(&cs);
}

static void test_json_escapes(void)
{
	expect_escapes(false);
	expect_escapes(true);
}

/* The UUID alone (a sink that discards, as the passes that derive a
 * serial number use): the same as when the text is also written, the
 * compact text hashed on its own thread in either case. */
static void test_json_uuid_only(void)
{
	struct bd_buf out = BD_BUF_INIT;
	struct bd_emit_buf_sink s;
	struct cases cs = { NULL, 0 };
	struct bd_json j;
	char written[37], discarded[37];

	make_cases(&cs);
	bd_emit_buf_sink_init(&s, &out);
	bd_json_init(&j, &s.sink, true);
	cJSON_Delete(escape_doc(&j, &cs));
	CU_ASSERT_EQUAL(bd_json_content_uuid(&j, written), 0);
	bd_json_release(&j);
	bd_json_init(&j, &bd_emit_null_sink, true);
	cJSON_Delete(escape_doc(&j, &cs));
	CU_ASSERT_EQUAL(bd_json_content_uuid(&j, discarded), 0);
	CU_ASSERT_FALSE(j.failed);
	CU_ASSERT_STRING_EQUAL(written, discarded);
	bd_json_release(&j);
	/* Given up half way (a failure elsewhere): the hashing thread is
	 * ended and everything freed, nothing asked. */
	bd_json_init(&j, &bd_emit_null_sink, true);
	cJSON_Delete(escape_doc(&j, &cs));
	bd_json_release(&j);
	CU_ASSERT_PTR_NULL(j.uuid);
	bd_buf_release(&out);
	free_cases(&cs);
}

/* Where the writer and this cJSON part: -0 is an integer, 0, as the
 * writer always wrote it (cJSON 1.7.15 writes -0). */
static void test_json_negative_zero(void)
{
	struct bd_buf out = BD_BUF_INIT;
	struct bd_emit_buf_sink s;
	struct bd_json j;

	bd_emit_buf_sink_init(&s, &out);
	bd_json_init(&j, &s.sink, false);
	bd_json_begin_array(&j, NULL);
	bd_json_add_number(&j, NULL, -0.0);
	bd_json_add_number(&j, NULL, -0.5);
	bd_json_end_array(&j);
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&out), "[0, -0.5]\n");
	bd_json_release(&j);
	bd_buf_release(&out);
}

/* Bidi controls and C1 are written as \uXXXX in every string, keys and
 * refs included, wherever they fall (across the writer's 4 KiB slices
 * too): valid JSON, the same data read back, no raw byte of them left. */
static void test_json_bidi_c1_escaped(void)
{
	static const char *const marks[] = {
		"\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA",
		"\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA9",
		"\xC2\x80",	"\xC2\x9B",	"\xC2\x9F",
	};
	static const char *const words[] = {
		"\\u200e", "\\u200f", "\\u202a", "\\u202e", "\\u2066",
		"\\u2069", "\\u0080", "\\u009b", "\\u009f",
	};
	struct bd_buf out = BD_BUF_INIT;
	struct bd_emit_buf_sink s;
	struct bd_json j;
	char *big = malloc(3 * 4096 + 16), key[16];
	size_t m, at, k;
	cJSON *doc, *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	for (m = 0; m < BD_ARRAY_SIZE(marks); m++) {
		k = strlen(marks[m]);
		bd_buf_reset(&out);
		bd_emit_buf_sink_init(&s, &out);
		bd_json_init(&j, &s.sink, false);
		bd_json_begin_object(&j, NULL);
		snprintf(key, sizeof(key), "k%s", marks[m]);
		bd_json_add_string(&j, key, marks[m]);
		bd_json_add_ref(&j, "ref", marks[m]);
		/* Across a slice's end, at each of the character's bytes. */
		for (at = 4093; at <= 4096; at++) {
			memset(big, 'a', 2 * 4096);
			memcpy(big + at, marks[m], k);
			big[2 * 4096] = '\0';
			snprintf(key, sizeof(key), "big%zu", at);
			bd_json_add_string(&j, key, big);
		}
		bd_json_end_object(&j);
		CU_ASSERT_EQUAL_FATAL(bd_json_finish(&j), 0);
		bd_json_release(&j);
		CU_ASSERT_PTR_NULL(memmem(out.data, out.len, marks[m], k));
		CU_ASSERT_PTR_NOT_NULL(strstr(out.data, words[m]));
		doc = cJSON_ParseWithLength(out.data, out.len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
		snprintf(key, sizeof(key), "k%s", marks[m]);
		v = cJSON_GetObjectItemCaseSensitive(doc, key);
		CU_ASSERT_TRUE(cJSON_IsString(v) &&
			       !strcmp(v->valuestring, marks[m]));
		v = cJSON_GetObjectItemCaseSensitive(doc, "ref");
		CU_ASSERT_TRUE(cJSON_IsString(v) &&
			       !strcmp(v->valuestring, marks[m]));
		for (at = 4093; at <= 4096; at++) {
			memset(big, 'a', 2 * 4096);
			memcpy(big + at, marks[m], k);
			big[2 * 4096] = '\0';
			snprintf(key, sizeof(key), "big%zu", at);
			v = cJSON_GetObjectItemCaseSensitive(doc, key);
			CU_ASSERT_TRUE(cJSON_IsString(v) &&
				       !strcmp(v->valuestring, big));
		}
		cJSON_Delete(doc);
	}
	free(big);
	bd_buf_release(&out);
}

/* A sink that takes up to limit bytes into buf and then fails, counting
 * the calls after its failure (there should be none). */
struct failing_sink {
	struct bd_emit_sink sink;
	struct bd_buf buf;
	size_t limit, calls_after;
	bool failed;
};

static int failing_write(void *ctx, const char *data, size_t len)
{
	struct failing_sink *f = ctx;

	if (f->failed) {
		f->calls_after++;
		return BD_EIO;
	}
	if (f->buf.len + len > f->limit) {
		f->failed = true;
		return BD_EIO;
	}
	bd_buf_add(&f->buf, data, len);
	return 0;
}

static bool starts_with(const struct bd_buf *b, const char *s)
{
	size_t n = strlen(s);

	return b->len >= n && !memcmp(b->data, s, n);
}

static bool ends_with(const struct bd_buf *b, const char *s)
{
	size_t n = strlen(s);

	return b->len >= n && !memcmp(b->data + b->len - n, s, n);
}

/* A document of many pieces (the sink written on a thread of its own). */
static void big_doc(struct bd_json *j)
{
	char value[32];
	int i;

	bd_json_begin_array(j, NULL);
	for (i = 0; i < 40000; i++) {
		snprintf(value, sizeof(value), "value-%d", i);
		bd_json_add_string(j, NULL, value);
	}
	bd_json_end_array(j);
}

/* The sink's writes, made on a thread, in order and whole; the first
 * failure is the one said, after it the sink is not called again, and
 * what it took is the start of the text. */
static void test_json_sink_on_thread(void)
{
	struct bd_buf whole = BD_BUF_INIT;
	struct bd_emit_buf_sink good;
	struct failing_sink bad = {
		{ failing_write, NULL, NULL }, BD_BUF_INIT, 200000, 0, false
	};
	struct bd_json j;

	bd_emit_buf_sink_init(&good, &whole);
	bd_json_init(&j, &good.sink, true);
	big_doc(&j);
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	bd_json_release(&j);
	CU_ASSERT(whole.len > 500000);
	CU_ASSERT_TRUE(starts_with(&whole, "[\"value-0\", \"value-1\", "));
	CU_ASSERT_TRUE(ends_with(&whole, ", \"value-39999\"]\n"));

	bad.sink.ctx = &bad;
	bd_json_init(&j, &bad.sink, false);
	big_doc(&j);
	CU_ASSERT_EQUAL(bd_json_finish(&j), BD_EIO);
	bd_json_release(&j);
	CU_ASSERT_TRUE(bad.failed);
	CU_ASSERT_EQUAL(bad.calls_after, 0);
	CU_ASSERT(bad.buf.len > 0 && bad.buf.len <= bad.limit);
	CU_ASSERT_EQUAL(memcmp(bad.buf.data, whole.data, bad.buf.len), 0);
	bd_buf_release(&bad.buf);
	bd_buf_release(&whole);
}

/* A cut moved back to the start of the character it falls in. */
static void test_utf8_boundary(void)
{
	static const char s[] = "a\xc3\xa9"
				"b\xf0\x9f\x98\x80"
				"c";
	static const char run[] = "x\x80\x80\x80\x80\x80y";

	CU_ASSERT_EQUAL(bd_utf8_boundary(s, 0), 0);
	CU_ASSERT_EQUAL(bd_utf8_boundary(s, 1), 1);
	CU_ASSERT_EQUAL(bd_utf8_boundary(s, 2), 1); /* inside the e-acute */
	CU_ASSERT_EQUAL(bd_utf8_boundary(s, 3), 3);
	CU_ASSERT_EQUAL(bd_utf8_boundary(s, 6), 4); /* inside the emoji */
	CU_ASSERT_EQUAL(bd_utf8_boundary(s, 7), 4);
	CU_ASSERT_EQUAL(bd_utf8_boundary(s, 8), 8);
	/* An ill-formed run: three bytes back at most. */
	CU_ASSERT_EQUAL(bd_utf8_boundary(run, 5), 2);
}

/* One value read strictly (json_read.c): nothing after it but whitespace,
 * no raw control character or "\u0000" in a string; values counted
 * before cJSON allocates them, those in strings not. */
static void test_read_one(void)
{
	static const struct {
		const char *text;
		size_t max;
		int rc;
		const char *msg;
	} v[] = {
		{ " [1, {\"a\": [2, 3]}] \n", 0, 0, NULL },
		/* The array and its three numbers; an empty array counts
		 * as one more (an upper bound). */
		{ "[1,2,3]", 4, 0, NULL },
		{ "[1,2,3]", 3, BD_ELIMIT,
		  "x holds more than 3 JSON values, not read" },
		{ "{\"a\":[]}", 3, 0, NULL },
		{ "{\"a\":[]}", 2, BD_ELIMIT,
		  "x holds more than 2 JSON values, not read" },
		/* Commas, brackets and escaped quotes in a string are text. */
		{ "[\"a,[{\\\",\",1]", 3, 0, NULL },
		{ "\"a,[{\\\",\"", 1, 0, NULL },
		{ "[1] [2]", 0, BD_EFORMAT, "x is not valid JSON (at byte 4)" },
		{ "[\"a\\u0000b\"]", 0, BD_EFORMAT,
		  "x has a NUL (U+0000) in a string (at byte 3)" },
		{ "[\"a\tb\"]", 0, BD_EFORMAT,
		  "x is not valid JSON (at byte 3)" },
		{ "", 0, BD_EFORMAT, "x is not valid JSON (at byte 0)" },
	};
	struct bd_error err;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(v); i++) {
		cJSON *root = NULL;
		int rc;

		bd_error_clear(&err);
		rc = bd_json_read_one(v[i].text, strlen(v[i].text), "x",
				      v[i].max, &root, &err);
		CU_ASSERT_EQUAL(rc, v[i].rc);
		CU_ASSERT((root != NULL) == (rc == 0));
		if (v[i].msg)
			CU_ASSERT_STRING_EQUAL(err.msg, v[i].msg);
		cJSON_Delete(root);
	}
}

void bd_test_register_json(void)
{
	BD_SUITE("json", BD_TEST(test_json_escapes),
		 BD_TEST(test_json_uuid_only), BD_TEST(test_json_negative_zero),
		 BD_TEST(test_json_sink_on_thread),
		 BD_TEST(test_json_bidi_c1_escaped),
		 BD_TEST(test_utf8_boundary), BD_TEST(test_read_one));
}
