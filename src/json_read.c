/* SPDX-License-Identifier: MIT */
/*
 * One JSON value read strictly (bindep/json_read.h).
 */
#include "bindep/json_read.h"

#include <stdbool.h>
#include <string.h>

/* RFC 8259's whitespace, the only bytes allowed around the value. */
static bool json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Where a string of a parsed JSON text holds what is refused: a raw
 * control character or a "\u0000"; *nul says which. The text parsed, so a
 * quote outside a string does not occur.
 */
static bool bad_string_byte(const char *json, size_t len, size_t *at, bool *nul)
{
	bool in_string = false;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)json[i];

		if (!in_string) {
			in_string = c == '"';
		} else if (c == '"') {
			in_string = false;
		} else if (c < 0x20 || c == '\\') {
			*nul = c == '\\' && i + 5 < len &&
			       !memcmp(json + i + 1, "u0000", 5);
			if (c < 0x20 || *nul)
				return (*at = i), true;
			i++; /* what the backslash escapes */
		}
	}
	return false;
}

/*
 * Whether the text holds more than max values: each value but the first
 * follows a ',' or opens an array or object ('[' or '{', whose first
 * member is one more), outside strings; an empty array or object counts
 * one more than it holds, an upper bound. A text that is not JSON is
 * counted all the same: the parse refuses it after.
 */
static bool too_many_values(const char *json, size_t len, size_t max)
{
	bool in_string = false;
	size_t i, n = 1;

	for (i = 0; i < len && n <= max; i++) {
		char c = json[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == ',' || c == '[' || c == '{') {
			n++;
		}
	}
	return n > max;
}

int bd_json_read_one(const char *json, size_t len, const char *what,
		     size_t max_values, cJSON **out, struct bd_error *err)
{
	const char *end = NULL;
	cJSON *root;
	size_t at;
	bool bad, nul = false;

	if (max_values && too_many_values(json, len, max_values))
		return bd_error_set(err, BD_ELIMIT,
				    "%s holds more than %zu JSON values, not "
				    "read",
				    what, max_values);
	root = cJSON_ParseWithLengthOpts(json, len, &end, false);
	at = end && end >= json ? (size_t)(end - json) : 0;
	bad = !root;
	while (!bad && at < len && json_space(json[at]))
		at++;
	bad = bad || at < len || bad_string_byte(json, len, &at, &nul);
	if (bad)
		cJSON_Delete(root);
	if (bad && nul)
		return bd_error_set(err, BD_EFORMAT,
				    "%s has a NUL (U+0000) in a string (at "
				    "byte %zu)",
				    what, at);
	if (bad)
		return bd_error_set(err, BD_EFORMAT,
				    "%s is not valid JSON (at byte %zu)", what,
				    at);
	*out = root;
	return 0;
}
