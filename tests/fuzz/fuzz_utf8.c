/* SPDX-License-Identifier: MIT */
/* Fuzz the UTF-8 policy (bindep/utf8.h, bindep/json.h): whatever the bytes,
 * the replaced text is valid UTF-8, the percent-encoding decodes back to
 * the input, the terminal escape holds no control byte, and a JSON string
 * built from them parses. */
#include "fuzz.h"
#include "bindep/json.h"
#include "bindep/utf8.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

static int hex(char c)
{
	return c >= 'A' ? c - 'A' + 10 : c - '0';
}

/* Decoding the encoded text gives back the bytes of s. */
static void check_percent(const char *s, size_t len, bool only_invalid)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t i, n = 0;

	if (only_invalid)
		bd_utf8_percent_invalid(&b, s, len);
	else
		bd_utf8_percent(&b, s, len);
	if (bd_buf_ok(&b) && !bd_utf8_valid(b.data, b.len))
		abort();
	for (i = 0; bd_buf_ok(&b) && i < b.len; n++) {
		char c = b.data[i];

		if (c == '%') {
			c = (char)(hex(b.data[i + 1]) * 16 +
				   hex(b.data[i + 2]));
			i += 3;
		} else {
			i++;
		}
		if (n >= len || c != s[n])
			abort();
	}
	if (bd_buf_ok(&b) && n != len)
		abort();
	bd_buf_release(&b);
}

static void check_escape(const char *s, size_t len)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t i;

	bd_utf8_escape(&b, s, len);
	for (i = 0; bd_buf_ok(&b) && i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];

		if (c < 0x20 || c == 0x7F)
			abort();
		if (c == 0xC2 && i + 1 < b.len &&
		    (unsigned char)b.data[i + 1] < 0xA0)
			abort();
	}
	if (bd_buf_ok(&b) && !bd_utf8_valid(b.data, b.len))
		abort();
	bd_buf_release(&b);
}

/* A kept raw is ASCII, printable, and names its field. */
static void check_raw(void *ctx, const char *name, const char *value)
{
	(void)ctx;
	if (strcmp(name, "bindep:raw-name"))
		abort();
	for (; *value; value++) {
		if (*value <= 0x20 || *value >= 0x7F)
			abort();
	}
}

/* The writer's text is valid UTF-8 and parses back to the string (the
 * replaced one), as a member and as an array item. */
static void check_json(const char *s)
{
	struct bd_buf out = BD_BUF_INIT;
	struct bd_emit_buf_sink sink;
	struct bd_json j;
	cJSON *back, *name, *item;

	bd_emit_buf_sink_init(&sink, &out);
	bd_json_init(&j, &sink.sink, true);
	bd_json_begin_object(&j, NULL);
	bd_json_raw_begin(&j);
	bd_json_add_string(&j, "name", s);
	bd_json_raw_end(&j, check_raw, NULL);
	bd_json_begin_array(&j, "list");
	bd_json_add_string(&j, NULL, s);
	bd_json_end_array(&j);
	bd_json_end_object(&j);
	if (!bd_json_finish(&j)) {
		if (!bd_utf8_valid(out.data, out.len))
			abort();
		back = cJSON_Parse(out.data);
		name = cJSON_GetObjectItemCaseSensitive(back, "name");
		item = cJSON_GetArrayItem(
			cJSON_GetObjectItemCaseSensitive(back, "list"), 0);
		if (!cJSON_IsString(name) || !cJSON_IsString(item) ||
		    strcmp(name->valuestring, item->valuestring))
			abort();
		cJSON_Delete(back);
	}
	bd_json_release(&j);
	bd_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_buf b = BD_BUF_INIT;
	char *s = malloc(size + 1);
	bool changed;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	changed = bd_utf8_sanitize(&b, s, size);
	if (bd_buf_ok(&b) &&
	    (!bd_utf8_valid(b.data, b.len) ||
	     changed == bd_utf8_valid(s, size) ||
	     (!changed &&
	      (b.len != size || (size && memcmp(b.data, s, size))))))
		abort();
	bd_buf_release(&b);
	check_percent(s, size, false);
	check_percent(s, size, true);
	check_escape(s, size);
	/* JSON strings are C strings: up to the first NUL. */
	check_json(s);
	free(s);
	return 0;
}
