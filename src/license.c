/* SPDX-License-Identifier: MIT */
/* Licence expressions from others (SBOMs artifacts carry, online
 * answers, the manifests of language packages): SPDX 2.3 annex D, in
 * small, over the identifiers of the SPDX License List (spdx_ids.c). */
#include "bindep/license.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PARENS 16

/* An expression being read: where it starts, where the reading is, and
 * its copy whose identifiers are written as the list spells them (NULL:
 * not asked for). */
struct reading {
	const char *start, *p;
	char *canon;
	bool compound; /* an operator read: AND, OR or WITH */
	bool refs;     /* a LicenseRef- of its own is a licence too */
};

static void spaces(struct reading *r)
{
	while (*r->p == ' ')
		r->p++;
}

/* The length of the idstring at p ([A-Za-z0-9.-]+). */
static size_t word(const char *p)
{
	size_t n = 0;

	while (isalnum((unsigned char)p[n]) || p[n] == '.' || p[n] == '-')
		n++;
	return n;
}

static bool is_word(const char *p, size_t n, const char *w)
{
	return n == strlen(w) && !strncmp(p, w, n);
}

static bool operator(const char *p, size_t n)
{
	return is_word(p, n, "AND") || is_word(p, n, "OR") ||
	       is_word(p, n, "WITH");
}

struct id_key {
	const char *p;
	size_t n;
};

/* As strcasecmp orders the list (contrib/spdx/mkspdxids.py). */
static int by_id(const void *key, const void *elem)
{
	const struct id_key *k = key;
	const char *id = *(const char *const *)elem;
	int c = strncasecmp(k->p, id, k->n);

	return c ? c : id[k->n] ? -1 : 0;
}

/* Whether the n bytes at r->p are an identifier of the SPDX License List
 * (a licence's, or an exception's), matched without regard to case as
 * SPDX 2.3 annex D says; the copy gets the list's spelling. */
static bool listed(struct reading *r, size_t n, bool exception)
{
	struct id_key k = { r->p, n };
	const char *const *hit =
		exception
			? bsearch(&k, bd_spdx_exceptions,
				  bd_spdx_exceptions_count,
				  sizeof(*bd_spdx_exceptions), by_id)
			: bsearch(&k, bd_spdx_licenses, bd_spdx_licenses_count,
				  sizeof(*bd_spdx_licenses), by_id);

	if (!hit)
		return false;
	if (r->canon)
		memcpy(r->canon + (r->p - r->start), *hit, n);
	r->p += n;
	return true;
}

#define LICENSE_REF "LicenseRef-"

/* A LicenseRef- of the document's own (SPDX 2.3 D.2: "LicenseRef-"
 * idstring), where r takes them: the registry's, which emit_spdx.c defines
 * in the document. Never "+" after one: the grammar gives it none. */
static bool own_ref(struct reading *r, size_t n)
{
	size_t len = strlen(LICENSE_REF);

	if (!r->refs || n <= len || strncmp(r->p, LICENSE_REF, len) ||
	    r->p[n] == '+')
		return false;
	r->p += n;
	return true;
}

static bool expression(struct reading *r, int depth);

/* An id ["+"] [WITH exception-id], or a parenthesised expression. */
static bool operand(struct reading *r, int depth)
{
	size_t n;

	spaces(r);
	if (*r->p == '(') {
		r->p++;
		if (depth >= MAX_PARENS || !expression(r, depth + 1))
			return false;
		spaces(r);
		return *r->p++ == ')';
	}
	n = word(r->p);
	if (!n || operator(r->p, n) || !(listed(r, n, false) || own_ref(r, n)))
		return false;
	/* A word right after the "+" ("GPL-2.0+WITH x", "MIT+AND y"): WITH
	 * needs white space on both sides, AND and OR white space or
	 * parentheses (SPDX 2.3, D.3). */
	if (*r->p == '+' && word(++r->p))
		return false;
	spaces(r);
	n = word(r->p);
	if (!is_word(r->p, n, "WITH"))
		return true;
	r->p += n;
	r->compound = true;
	spaces(r);
	n = word(r->p);
	return n && !operator(r->p, n) && listed(r, n, true);
}

static bool expression(struct reading *r, int depth)
{
	size_t n;

	if (!operand(r, depth))
		return false;
	for (;;) {
		spaces(r);
		n = word(r->p);
		if (!is_word(r->p, n, "AND") && !is_word(r->p, n, "OR"))
			return true;
		r->p += n;
		r->compound = true;
		if (!operand(r, depth))
			return false;
	}
}

static bool read_expression(struct reading *r)
{
	if (!expression(r, 0))
		return false;
	spaces(r);
	return !*r->p;
}

bool bd_license_expression_ok(const char *s)
{
	struct reading r = { s, s, NULL, false, false };

	return s && read_expression(&r);
}

bool bd_license_registry_ok(const char *s)
{
	struct reading r = { s, s, NULL, false, true };

	return s && read_expression(&r);
}

void bd_license_declared(const char *v, size_t len, size_t max,
			 struct bd_buf *license, struct bd_buf *text)
{
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	len = strnlen(v, len);
	if (!len || len > max)
		return;
	bd_buf_add(text, v, len);
	if (bd_buf_ok(text) && bd_license_add(license, text->data, false))
		bd_buf_reset(text);
}

/* one appended to b with AND (for bd_license_add). */
static void license_and(struct bd_buf *b, const char *one, bool wrap)
{
	bd_buf_printf(b, "%s%s%s%s", b->len ? " AND " : "", wrap ? "(" : "",
		      one, wrap ? ")" : "");
}

/* refs: a LicenseRef- of its own is a licence (the registry's). */
static bool add(struct bd_buf *b, const char *one, bool several, bool refs)
{
	struct reading r = { one, one, NULL, false, refs };

	if (!one || !(r.canon = strdup(one)))
		return false;
	if (!read_expression(&r)) {
		free(r.canon);
		return false;
	}
	/* By what was read, not by its spaces: "(MIT)OR(Zlib)" has none. */
	license_and(b, r.canon, several && r.compound);
	free(r.canon);
	return true;
}

bool bd_license_add(struct bd_buf *b, const char *one, bool several)
{
	return add(b, one, several, false);
}

bool bd_license_add_registry(struct bd_buf *b, const char *one, bool several)
{
	return add(b, one, several, true);
}
