/* SPDX-License-Identifier: MIT */
/* Package URL formatting per ECMA-427 (purl-spec "Character encoding"). */
#include "bindep/purl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUALIFIERS 32

/* Unreserved characters and ':' stay as they are; the spec forbids
 * encoding ':' (a Debian epoch stays "1:2.4.47-2"). */
static bool keep_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
	       c == ':';
}

static void add_encoded(struct bd_buf *b, const char *s, bool lower, bool pypi,
			bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (lower && c < 0x80)
			c = (unsigned char)tolower(c);
		if (pypi && c == '_')
			c = '-';
		if (c < 0x80 && (keep_char(c) || (keep_slash && c == '/'))) {
			bd_buf_addc(b, (char)c);
		} else {
			bd_buf_addc(b, '%');
			bd_buf_addc(b, hex[c >> 4]);
			bd_buf_addc(b, hex[c & 0xf]);
		}
	}
}

/* Types whose namespace / name are case-insensitive (purl-spec types). */
static bool type_in(const char *type, const char *const *list)
{
	for (; *list; list++) {
		if (!strcmp(type, *list))
			return true;
	}
	return false;
}

static const char *const lower_namespace[] = { "alpm",	 "apk",	   "bitbucket",
					       "deb",	 "github", "rpm",
					       "golang", NULL };
static const char *const lower_name[] = { "alpm", "apk",      "bitbucket",
					  "deb",  "github",   "pypi",
					  "npm",  "composer", NULL };

/* purl-spec: a type is ASCII letters, digits, '.', '+' or '-', and does
 * not start with a digit. */
static bool valid_type(const char *t)
{
	if (!*t || isdigit((unsigned char)*t))
		return false;
	for (; *t; t++) {
		unsigned char c = (unsigned char)*t;

		if (!(c < 0x80 &&
		      (isalnum(c) || c == '.' || c == '+' || c == '-')))
			return false;
	}
	return true;
}

/* Appends the '/'-separated segments of s, each encoded on its own;
 * empty segments vanish, and so do "." and ".." in a subpath. Returns how
 * many were written. */
static size_t add_segments(struct bd_buf *b, const char *s, bool lower,
			   bool subpath)
{
	size_t written = 0;

	while (*s) {
		const char *end = strchr(s, '/');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		bool dots = len && len <= 2 && !strncmp(s, "..", len);

		if (len && !(subpath && dots)) {
			char *copy = strndup(s, len);

			if (!copy) {
				b->oom = true;
				return written;
			}
			if (written++)
				bd_buf_addc(b, '/');
			add_encoded(b, copy, lower, false, false);
			free(copy);
		}
		s += len + (end != NULL);
	}
	return written;
}

static int cmp_kv_key(const void *a, const void *b)
{
	return strcmp(((const struct bd_kv *)a)->key,
		      ((const struct bd_kv *)b)->key);
}

static void add_qualifiers(struct bd_buf *b, const struct bd_kv *q, size_t n)
{
	struct bd_kv sorted[MAX_QUALIFIERS];
	char keys[MAX_QUALIFIERS][64];
	size_t i, m = 0;

	for (i = 0; i < n && m < MAX_QUALIFIERS; i++) {
		size_t k;

		if (!q[i].value || !*q[i].value || !q[i].key)
			continue;
		for (k = 0; q[i].key[k] && k < sizeof(keys[m]) - 1; k++)
			keys[m][k] = (char)tolower((unsigned char)q[i].key[k]);
		keys[m][k] = '\0';
		sorted[m].key = keys[m];
		sorted[m].value = q[i].value;
		m++;
	}
	qsort(sorted, m, sizeof(*sorted), cmp_kv_key);
	for (i = 0; i < m; i++) {
		bd_buf_addc(b, i ? '&' : '?');
		bd_buf_adds(b, sorted[i].key);
		bd_buf_addc(b, '=');
		add_encoded(b, sorted[i].value, false, false, true);
	}
}

int bd_purl_format(const struct bd_purl *p, struct bd_buf *out,
		   struct bd_error *err)
{
	char type[32];
	size_t i;

	if (!p->type || !p->name || !*p->name)
		return bd_error_set(err, BD_EFORMAT,
				    "purl needs a type and a name");
	for (i = 0; p->type[i] && i < sizeof(type) - 1; i++)
		type[i] = (char)tolower((unsigned char)p->type[i]);
	type[i] = '\0';
	if (p->type[i] || !valid_type(type))
		return bd_error_set(err, BD_EFORMAT,
				    "'%s' is not a valid purl type", p->type);
	bd_buf_adds(out, "pkg:");
	bd_buf_adds(out, type);
	bd_buf_addc(out, '/');
	if (p->namespace && add_segments(out, p->namespace,
					 type_in(type, lower_namespace), false))
		bd_buf_addc(out, '/');
	add_encoded(out, p->name, type_in(type, lower_name),
		    !strcmp(type, "pypi"), false);
	if (p->version && *p->version) {
		bd_buf_addc(out, '@');
		add_encoded(out, p->version, false, false, false);
	}
	add_qualifiers(out, p->qualifiers, p->nqualifiers);
	if (p->subpath && *p->subpath) {
		size_t mark = out->len;

		bd_buf_addc(out, '#');
		if (!add_segments(out, p->subpath, false, true) &&
		    bd_buf_ok(out)) {
			out->len = mark; /* nothing left: no '#' either */
			out->data[mark] = '\0';
		}
	}
	return bd_buf_ok(out) ? 0
			      : bd_error_set(err, BD_ENOMEM, "out of memory");
}

void bd_purl_add_version(struct bd_buf *purl, const char *version)
{
	if (!version || !*version)
		return;
	bd_buf_addc(purl, '@');
	add_encoded(purl, version, false, false, false);
}
