/* SPDX-License-Identifier: MIT */
/*
 * The registry's manifest format (bindep/manifest.h): a JSON object of
 * names and versions, read with cJSON and checked member by member.
 */
#include "bindep/manifest.h"
#include "bindep/strrules.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void bd_manifest_release(struct bd_manifest *m)
{
	size_t i;

	for (i = 0; m->items && i < m->n; i++) {
		free(m->items[i].name);
		free(m->items[i].version);
	}
	free(m->items);
	m->items = NULL;
	m->n = 0;
}

/* A name as a registry entry's could be: "zlib-ng", "png", "proxy-libintl". */
static bool name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > BD_MANIFEST_MAX_NAME)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

/* A version as a rule reads one: it starts with a letter or digit
 * ("3.15.1", "0826579", "v2.0") and runs over [0-9A-Za-z.+~_-]. */
static bool version_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > BD_VERSION_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(".+~_-", s[i]))
			return false;
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct bd_manifest_item *)a)->name,
		      ((const struct bd_manifest_item *)b)->name);
}

/* The members, checked; then sorted, and a name twice refused. */
static int take_members(const cJSON *doc, struct bd_manifest *out,
			struct bd_error *err)
{
	struct bd_manifest_item *it;
	const cJSON *m;
	size_t n = 0, i;

	cJSON_ArrayForEach(m, doc)
	{
		if (++n > BD_MANIFEST_MAX_NAMES)
			return bd_error_set(err, BD_EFORMAT,
					    "more than %u libraries",
					    BD_MANIFEST_MAX_NAMES);
	}
	out->items = calloc(n ? n : 1, sizeof(*out->items));
	if (!out->items)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(m, doc)
	{
		if (!m->string || !name_ok(m->string))
			return bd_error_set(err, BD_EFORMAT,
					    "a library's name is not a name");
		if (!cJSON_IsString(m) || !version_ok(m->valuestring))
			return bd_error_set(
				err, BD_EFORMAT,
				"'%s': the version is not a version",
				m->string);
		/* Counted first: a release frees both, whichever failed. */
		it = &out->items[out->n++];
		it->name = strdup(m->string);
		it->version = strdup(m->valuestring);
		if (!it->name || !it->version)
			return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	qsort(out->items, out->n, sizeof(*out->items), by_name);
	for (i = 1; i < out->n; i++)
		if (!strcmp(out->items[i - 1].name, out->items[i].name))
			return bd_error_set(err, BD_EFORMAT,
					    "'%s' listed twice",
					    out->items[i].name);
	return 0;
}

int bd_manifest_parse(const char *text, size_t len, struct bd_manifest *out,
		      struct bd_error *err)
{
	cJSON *doc;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > BD_MANIFEST_MAX_BYTES)
		return bd_error_set(err, BD_ELIMIT, "larger than %u bytes",
				    BD_MANIFEST_MAX_BYTES);
	/* A NUL inside is no JSON text: cJSON would stop there. */
	if (memchr(text, '\0', len))
		return bd_error_set(err, BD_EFORMAT, "not a JSON object");
	/* Out of memory and malformed are one NULL to cJSON: both refuse. */
	doc = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return bd_error_set(err, BD_EFORMAT, "not a JSON object");
	}
	rc = take_members(doc, out, err);
	cJSON_Delete(doc);
	if (rc)
		bd_manifest_release(out);
	return rc;
}
