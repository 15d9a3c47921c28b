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

/* ---- the same licence ---------------------------------------------------
 *
 * An expression in a normal form: the operands of each AND and OR in
 * order, nested ones of the same operator taken into it (both commute and
 * associate, SPDX 2.3 D.4), identifiers as the list spells them, one
 * space round each operator, and parentheses only round an OR inside an
 * AND (AND binds tighter, D.4.1). Read from the list-spelt copy of an
 * expression read_expression took, so it trusts the grammar.
 */

/* The operands one operator joins, each in normal form (malloc'd); op
 * NULL for one operand alone. */
struct terms {
	char **v;
	size_t n, alloc;
	const char *op;
};

/* Told apart by address: terms.op is one of these. */
static const char and_op[] = " AND ", or_op[] = " OR ";

static void terms_free(struct terms *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	*t = (struct terms){ NULL, 0, 0, NULL };
}

/* Takes s (NULL: out of memory). */
static bool terms_add(struct terms *t, char *s)
{
	if (!s || BD_GROW(t->v, t->alloc, t->n + 1)) {
		free(s);
		return false;
	}
	t->v[t->n++] = s;
	return true;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* t's operands sorted and joined by its operator, in parentheses when
 * wrap; NULL: out of memory. */
static char *terms_join(struct terms *t, bool wrap)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t i;

	qsort(t->v, t->n, sizeof(*t->v), by_text);
	bd_buf_adds(&b, wrap ? "(" : "");
	for (i = 0; i < t->n; i++)
		bd_buf_printf(&b, "%s%s", i ? t->op : "", t->v[i]);
	bd_buf_adds(&b, wrap ? ")" : "");
	return bd_buf_detach(&b, NULL); /* NULL after a failed append */
}

/* Moves x's operands into into, joined by op: x's own where x is one
 * operand or joins them by op too, else x as one operand of into. */
static bool terms_absorb(struct terms *into, struct terms *x, const char *op)
{
	size_t i;
	bool ok = true;

	if (x->n == 1 || x->op == op) {
		for (i = 0; i < x->n && ok; i++) {
			ok = terms_add(into, x->v[i]);
			x->v[i] = NULL;
		}
		return ok;
	}
	return terms_add(into, terms_join(x, op == and_op));
}

static bool normal_list(struct reading *r, const char *op, struct terms *out);

/* An id ["+"] [WITH exception] as one operand, or what a parenthesised
 * expression joins, with its operator. */
static bool normal_operand(struct reading *r, struct terms *out)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t n;
	bool ok;

	spaces(r);
	if (*r->p == '(') {
		r->p++;
		ok = normal_list(r, or_op, out);
		spaces(r);
		r->p++; /* ')' */
		return ok;
	}
	n = word(r->p);
	n += r->p[n] == '+';
	bd_buf_add(&b, r->p, n);
	r->p += n;
	spaces(r);
	n = word(r->p);
	if (is_word(r->p, n, "WITH")) {
		r->p += n;
		spaces(r);
		n = word(r->p);
		bd_buf_printf(&b, " WITH %.*s", (int)n, r->p);
		r->p += n;
	}
	return terms_add(out, bd_buf_detach(&b, NULL));
}

/* Whether the next word is op's ("AND" of " AND "). */
static bool next_is(struct reading *r, const char *op)
{
	size_t n;

	spaces(r);
	n = word(r->p);
	return n && n == strlen(op) - 2 && !strncmp(r->p, op + 1, n);
}

/* What op joins: AND's operands, or OR's, each an AND of operands. One
 * alone is given as it is, with its own operator. */
static bool normal_list(struct reading *r, const char *op, struct terms *out)
{
	struct terms part = { NULL, 0, 0, NULL };
	bool ok;

	*out = part;
	for (;;) {
		ok = op == and_op ? normal_operand(r, &part)
				  : normal_list(r, and_op, &part);
		if (ok && !out->n && !next_is(r, op)) {
			*out = part;
			return true;
		}
		out->op = op;
		ok = ok && terms_absorb(out, &part, op);
		terms_free(&part);
		if (!ok || !next_is(r, op))
			break;
		r->p += strlen(op) - 2;
	}
	if (!ok)
		terms_free(out);
	return ok;
}

/* s in normal form, malloc'd; NULL for no expression or out of memory. */
static char *normal_form(const char *s)
{
	char *canon = strdup(s);
	struct reading r = { s, s, canon, false, true };
	struct terms t = { NULL, 0, 0, NULL };
	char *normal = NULL;

	if (canon && read_expression(&r)) {
		r = (struct reading){ canon, canon, NULL, false, true };
		if (normal_list(&r, or_op, &t))
			normal = terms_join(&t, false);
		terms_free(&t);
	}
	free(canon);
	return normal;
}

bool bd_license_same(const char *a, const char *b)
{
	char *na, *nb;
	bool same;

	if (!a || !b)
		return false;
	if (!strcmp(a, b))
		return true;
	na = normal_form(a);
	nb = normal_form(b);
	same = na && nb && !strcmp(na, nb);
	free(na);
	free(nb);
	return same;
}
