/* SPDX-License-Identifier: MIT */
/* Licence expressions from others (SBOMs artifacts carry, online
 * answers): SPDX 2.3 annex D, in small. */
#include "bindep/license.h"

#include <ctype.h>
#include <string.h>

#define MAX_PARENS 16

static void spaces(const char **p)
{
	while (**p == ' ')
		(*p)++;
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

static bool expression(const char **p, int depth);

/* An id ["+"] [WITH exception-id], or a parenthesised expression. */
static bool operand(const char **p, int depth)
{
	size_t n;

	spaces(p);
	if (**p == '(') {
		(*p)++;
		if (depth >= MAX_PARENS || !expression(p, depth + 1))
			return false;
		spaces(p);
		return *(*p)++ == ')';
	}
	n = word(*p);
	if (!n || operator(*p, n))
		return false;
	*p += n;
	if (**p == '+')
		(*p)++;
	spaces(p);
	n = word(*p);
	if (!is_word(*p, n, "WITH"))
		return true;
	*p += n;
	spaces(p);
	n = word(*p);
	*p += n;
	return n && !operator(*p - n, n);
}

static bool expression(const char **p, int depth)
{
	size_t n;

	if (!operand(p, depth))
		return false;
	for (;;) {
		spaces(p);
		n = word(*p);
		if (!is_word(*p, n, "AND") && !is_word(*p, n, "OR"))
			return true;
		*p += n;
		if (!operand(p, depth))
			return false;
	}
}

bool bd_license_expression_ok(const char *s)
{
	const char *p = s;

	if (!s || strstr(s, "LicenseRef-") || strstr(s, "DocumentRef-") ||
	    !strcmp(s, "NOASSERTION") || !strcmp(s, "NONE"))
		return false;
	if (!expression(&p, 0))
		return false;
	spaces(&p);
	return !*p;
}

void bd_license_and(struct bd_buf *b, const char *one, bool wrap)
{
	bd_buf_printf(b, "%s%s%s%s", b->len ? " AND " : "", wrap ? "(" : "",
		      one, wrap ? ")" : "");
}
