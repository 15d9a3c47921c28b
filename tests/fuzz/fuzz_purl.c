/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the purl parser and builder (bindep/purl.h). The input is read two
 * ways:
 *  - as a purl string (up to its first NUL), parsed strictly and
 *    leniently: what parses has a canonical form that parses again,
 *    strictly, to the same parts and the same string, and that the builder
 *    writes from those parts byte for byte; what parses strictly parses
 *    leniently to the same;
 *  - as parts, one per line (type, namespace, name, version, qualifiers
 *    as key=value lines up to a blank line, subpath): whatever the builder
 *    writes from them parses strictly back to itself, and the parsed parts
 *    build it again (the round trip of every purl the tool writes).
 * Any broken promise aborts.
 */
#include "fuzz.h"
#include "bindep/purl.h"

#include <stdlib.h>
#include <string.h>

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_parts(const struct bd_purl *a, const struct bd_purl *b)
{
	size_t i;

	if (!same(a->type, b->type) || !same(a->namespace, b->namespace) ||
	    !same(a->name, b->name) || !same(a->version, b->version) ||
	    !same(a->subpath, b->subpath) || a->nqualifiers != b->nqualifiers)
		return false;
	for (i = 0; i < a->nqualifiers; i++)
		if (!same(a->qualifiers[i].key, b->qualifiers[i].key) ||
		    !same(a->qualifiers[i].value, b->qualifiers[i].value))
			return false;
	return true;
}

/* A canonical purl: parses strictly to itself, and its parts build it. */
static void check_canonical(const char *canonical, const struct bd_purl *parts)
{
	struct bd_purl_parsed again;
	struct bd_buf b = BD_BUF_INIT;
	struct bd_error err;

	if (bd_purl_parse(canonical, 0, &again, &err))
		abort();
	if (strcmp(again.canonical.data, canonical))
		abort();
	if (parts && !same_parts(parts, &again.parts))
		abort();
	if (bd_purl_format(&again.parts, &b, &err) || strcmp(b.data, canonical))
		abort();
	bd_buf_release(&b);
	bd_purl_parsed_release(&again);
}

static void as_string(const char *s)
{
	struct bd_purl_parsed strict, lenient;
	struct bd_error err;
	int rs = bd_purl_parse(s, 0, &strict, &err);
	int rl = bd_purl_parse(s, BD_PURL_LENIENT, &lenient, &err);

	if (rs == BD_ENOMEM || rl == BD_ENOMEM)
		abort();
	if (!rs)
		check_canonical(strict.canonical.data, &strict.parts);
	if (!rl)
		check_canonical(lenient.canonical.data, &lenient.parts);
	/* Lenient accepts more, and reads what strict reads the same. */
	if (!rs &&
	    (rl || strcmp(strict.canonical.data, lenient.canonical.data)))
		abort();
	bd_purl_parsed_release(&strict);
	bd_purl_parsed_release(&lenient);
}

/* The next line of *s (cut at '\n', which is overwritten), or NULL. */
static char *next_line(char **s)
{
	char *line = *s, *nl;

	if (!line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = NULL;
	}
	return line;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static void as_parts(char *s)
{
	struct bd_kv q[BD_PURL_MAX_QUALIFIERS + 2];
	struct bd_purl p = { 0 };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_error err;
	char *line;
	int rc;

	p.type = next_line(&s);
	p.namespace = or_null(next_line(&s));
	p.name = next_line(&s);
	p.version = or_null(next_line(&s));
	p.qualifiers = q;
	while ((line = next_line(&s)) && *line &&
	       p.nqualifiers < BD_ARRAY_SIZE(q)) {
		char *eq = strchr(line, '=');

		if (eq)
			*eq = '\0';
		q[p.nqualifiers++] = (struct bd_kv){ line, eq ? eq + 1 : "" };
	}
	p.subpath = or_null(next_line(&s));
	rc = bd_purl_format(&p, &b, &err);
	if (rc == BD_ENOMEM)
		abort();
	if (!rc)
		check_canonical(b.data, NULL);
	else if (b.len)
		abort(); /* a failure leaves out unchanged */
	bd_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	as_string(s);
	as_parts(s); /* cuts s into lines */
	free(s);
	return 0;
}
