/* SPDX-License-Identifier: MIT */
/*
 * A Debian package's licences, from its machine-readable copyright file
 * (/usr/share/doc/<package>/copyright in the copyright-format 1.0, "DEP-5":
 * https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/).
 * dpkg's database keeps no licence; this file is where Debian puts it.
 */
#include "bindep/pkgdb.h"
#include "bindep/license.h"
#include "bindep/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A License line longer than this is a text, not a name (the longest of
 * the spec's combinations is some tens of bytes). */
#define SYNOPSIS_MAX 256
/* The declared licence kept as written, as bd_license_declared keeps a
 * manifest's (1 KiB). */
#define TEXT_MAX 1024

/* The spec's "License specification" short names whose SPDX id is spelt
 * otherwise (the GNU family is made by gnu_name; the others, Apache-2.0,
 * MPL-2.0, Zlib, ISC, ..., are the SPDX ids already). */
static const struct {
	const char *debian, *spdx;
} short_names[] = {
	{ "Artistic", "Artistic-1.0" },
	{ "BSD-2-clause", "BSD-2-Clause" },
	{ "BSD-3-clause", "BSD-3-Clause" },
	{ "BSD-4-clause", "BSD-4-Clause" },
	{ "Expat", "MIT" },
	/* "Perl: Same terms as Perl itself", the spec's own example */
	{ "Perl", "Artistic-1.0-Perl OR GPL-1.0-or-later" },
	{ "Zope-1.1", "ZPL-1.1" },
	{ "Zope-2.0", "ZPL-2.0" },
	{ "Zope-2.1", "ZPL-2.1" },
};

/* "with <name> exception" (the spec's exceptions) whose SPDX exception is
 * one licence's; OpenSSL's, Debian's most common, has no SPDX id (each
 * project words its own): kept as written. */
static const struct {
	const char *debian, *spdx;
} exceptions[] = {
	{ "Classpath", "Classpath-exception-2.0" },
	{ "Font", "Font-exception-2.0" },
};

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !strncasecmp(w, s, n);
}

/* GPL-2 / GPL-2+ / LGPL-2.1+ / GFDL-1.3 / AGPL-3: the version made
 * "X.Y", then -only or -or-later (SPDX 3.0 of the list). */
static bool gnu_name(const char *w, size_t n, struct bd_buf *out)
{
	static const char *const family[] = { "GPL-", "LGPL-", "AGPL-",
					      "GFDL-" };
	bool later = n && w[n - 1] == '+';
	size_t i, f, v;

	if (later)
		n--;
	for (f = 0; f < BD_ARRAY_SIZE(family); f++)
		if (n > strlen(family[f]) &&
		    !strncasecmp(w, family[f], strlen(family[f])))
			break;
	if (f == BD_ARRAY_SIZE(family))
		return false;
	v = strlen(family[f]);
	for (i = v; i < n; i++)
		if (!(w[i] >= '0' && w[i] <= '9') && w[i] != '.')
			return false;
	bd_buf_adds(out, family[f]);
	bd_buf_add(out, w + v, n - v);
	if (!memchr(w + v, '.', n - v))
		bd_buf_adds(out, ".0");
	bd_buf_adds(out, later ? "-or-later" : "-only");
	return true;
}

/* One short name into out as SPDX; false when it has no SPDX id
 * (public-domain, a name of the package's own). alone: the synopsis is
 * this name only (Perl's OR then needs no parentheses). */
static bool one_name(const char *w, size_t n, bool alone, struct bd_buf *out)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(short_names); i++)
		if (word_is(w, n, short_names[i].debian)) {
			bool paren = !alone && strchr(short_names[i].spdx, ' ');

			bd_buf_adds(out, paren ? "(" : "");
			bd_buf_adds(out, short_names[i].spdx);
			bd_buf_adds(out, paren ? ")" : "");
			return true;
		}
	if (gnu_name(w, n, out))
		return true;
	/* Apache-2.0, MPL-1.1, Zlib, ISC, CC0-1.0, X11, Python-2.0: the
	 * expression check (bd_license_add) decides whether it is an id. */
	for (i = 0; i < n; i++)
		if (w[i] == '(' || w[i] == ')')
			return false;
	bd_buf_add(out, w, n);
	return true;
}

/* The words of s (len bytes), one at a time: *w and *n, false at the end. */
static bool next_word(const char **s, const char *end, const char **w,
		      size_t *n)
{
	const char *p = *s;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*w = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	*n = (size_t)(p - *w);
	*s = p;
	return *n > 0;
}

/* "with <words> exception": the exception's SPDX id into out. */
static bool exception(const char **s, const char *end, struct bd_buf *out)
{
	const char *w, *name = NULL;
	size_t n, i, len = 0;

	while (next_word(s, end, &w, &n) && !word_is(w, n, "exception")) {
		if (name) /* one word: the spec's exceptions are */
			return false;
		name = w;
		len = n;
	}
	if (!name || !n)
		return false;
	for (i = 0; i < BD_ARRAY_SIZE(exceptions); i++)
		if (word_is(name, len, exceptions[i].debian)) {
			bd_buf_adds(out, " WITH ");
			bd_buf_adds(out, exceptions[i].spdx);
			return true;
		}
	return false;
}

/* What out holds, in parentheses. */
static void wrap(struct bd_buf *out)
{
	bd_buf_add(out, "()", 2);
	if (!bd_buf_ok(out))
		return;
	memmove(out->data + 1, out->data, out->len - 2);
	out->data[0] = '(';
	out->data[out->len - 1] = ')';
}

/* The synopsis words (copyright-format 1.0, "License specification"):
 * names joined by "or" and "and", "with X exception"; a comma closes what
 * precedes it ("A or B, and C" is "(A or B) and C"). */
static bool synopsis_words(const char *s, const char *end, bool alone,
			   struct bd_buf *out)
{
	const char *w;
	size_t n;
	bool comma;

	while (next_word(&s, end, &w, &n)) {
		comma = w[n - 1] == ',';
		n -= comma;
		if (word_is(w, n, "or"))
			bd_buf_adds(out, " OR ");
		else if (word_is(w, n, "and"))
			bd_buf_adds(out, " AND ");
		else if (word_is(w, n, "with")) {
			if (!exception(&s, end, out))
				return false;
		} else if (!n || !one_name(w, n, alone, out))
			return false;
		if (comma)
			wrap(out);
	}
	return true;
}

bool bd_dpkg_license_spdx(const char *synopsis, size_t len, struct bd_buf *out)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *p = synopsis, *w;
	size_t n, words = 0;
	bool ok;

	if (len > SYNOPSIS_MAX || memchr(synopsis, '\0', len))
		return false;
	while (next_word(&p, synopsis + len, &w, &n))
		words++;
	ok = words &&
	     synopsis_words(synopsis, synopsis + len, words == 1, &b) &&
	     bd_buf_ok(&b) && bd_license_add(out, b.data, false);
	bd_buf_release(&b);
	return ok;
}

/* ---- the file ------------------------------------------------------------ */

struct span {
	const char *p;
	size_t n;
};

struct paragraph {
	bool files, format;
	struct span license; /* the License field's first line */
};

/* Whether v is the format's URI (http or https, a trailing '/' or not:
 * both are in use). */
static bool format_uri(const char *v, size_t n)
{
	static const char uri[] =
		"://www.debian.org/doc/packaging-manuals/copyright-format/1.0";
	size_t u = sizeof(uri) - 1;

	if (n && v[n - 1] == '/')
		n--;
	if (n > 5 && !strncmp(v, "https", 5)) {
		v += 5;
		n -= 5;
	} else if (n > 4 && !strncmp(v, "http", 4)) {
		v += 4;
		n -= 4;
	} else {
		return false;
	}
	return n == u && !memcmp(v, uri, u);
}

static struct span trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return (struct span){ p, n };
}

/* One "Field: value" line into the paragraph (continuation lines, which
 * start with a blank, are the fields' texts: never looked at). */
static void field(struct paragraph *para, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n);
	size_t k;
	struct span v;

	if (!colon || line[0] == ' ' || line[0] == '\t')
		return;
	k = (size_t)(colon - line);
	v = trim(colon + 1, n - k - 1);
	if (word_is(line, k, "Files"))
		para->files = true;
	else if (word_is(line, k, "Format"))
		para->format = format_uri(v.p, v.n);
	else if (word_is(line, k, "License"))
		para->license = v;
}

static bool blank(const char *line, size_t n)
{
	return !trim(line, n).n;
}

/* Keeps a paragraph's licence: a Files paragraph's, or the header's;
 * a standalone License paragraph defines a text (spec, "Stand-alone
 * License Paragraph"). Returns 0 or BD_ENOMEM. */
static int keep(const struct paragraph *para, bool header, struct span **v,
		size_t *n, size_t *alloc)
{
	if (!para->license.n || (!para->files && !header))
		return 0;
	if (BD_GROW(*v, *alloc, *n + 1))
		return BD_ENOMEM;
	(*v)[(*n)++] = para->license;
	return 0;
}

/* The licences of a DEP-5 text, in *v (*n of them, into text); none when
 * it is not one. Returns 0 or BD_ENOMEM. */
static int paragraphs(const char *text, size_t len, struct span **v, size_t *n)
{
	struct paragraph para = { 0 };
	size_t pos = 0, alloc = 0, count = 0;
	bool in = false;
	int rc = 0;

	while (pos <= len && !rc) {
		const char *line = text + pos;
		const char *nl =
			pos < len ? memchr(line, '\n', len - pos) : NULL;
		size_t ln = nl ? (size_t)(nl - line) : len - pos;

		/* the end of the text ends a paragraph as a blank line does */
		bool end = pos + ln >= len;

		if (!blank(line, ln)) {
			field(&para, line, ln);
			in = true;
		}
		if (in && (blank(line, ln) || end)) {
			/* The first paragraph says the format, or it is
			 * not this format: nothing of it is read. */
			if (!count++ && !para.format)
				return 0;
			rc = keep(&para, count == 1, v, n, &alloc);
			para = (struct paragraph){ 0 };
			in = false;
		}
		pos += ln + 1;
	}
	return rc;
}

static int by_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends s with no terminal escape and no ill-formed UTF-8: a control
 * byte is '?', an ill-formed part U+FFFD. */
static void add_clean(struct bd_buf *out, const char *s, size_t n)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t i;

	bd_buf_add(&b, s, n);
	for (i = 0; bd_buf_ok(&b) && i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
			b.data[i] = '?';
	if (bd_buf_ok(&b))
		bd_utf8_sanitize(out, b.data, b.len);
	bd_buf_release(&b);
}

/* The licences kept as written: sorted, ANDed, compound ones in
 * parentheses, up to TEXT_MAX bytes. */
static void as_written(const struct span *v, size_t n, struct bd_buf *text)
{
	size_t i;

	for (i = 0; i < n; i++) {
		bool wrap = n > 1 && memchr(v[i].p, ' ', v[i].n);

		if (text->len + v[i].n + 7 > TEXT_MAX)
			break;
		bd_buf_adds(text, i ? " AND " : "");
		bd_buf_adds(text, wrap ? "(" : "");
		add_clean(text, v[i].p, v[i].n);
		bd_buf_adds(text, wrap ? ")" : "");
	}
}

/* Each distinct licence made SPDX, sorted and ANDed into license; false
 * (license as it was) when one has no SPDX expression. */
static bool as_spdx(const struct span *v, size_t n, struct bd_buf *license)
{
	struct bd_buf *one = calloc(n ? n : 1, sizeof(*one));
	const char **s = calloc(n ? n : 1, sizeof(*s));
	size_t i, k = 0;
	bool ok = one && s;

	for (i = 0; ok && i < n; i++) {
		ok = bd_dpkg_license_spdx(v[i].p, v[i].n, &one[i]) &&
		     bd_buf_ok(&one[i]);
		s[i] = one[i].data;
	}
	if (ok)
		qsort(s, n, sizeof(*s), by_string);
	for (i = 0; ok && i < n; i++)
		if (!k || strcmp(s[i], s[k - 1]))
			s[k++] = s[i];
	for (i = 0; ok && i < k; i++)
		bd_license_add(license, s[i], k > 1);
	for (i = 0; one && i < n; i++)
		bd_buf_release(&one[i]);
	free(one);
	free(s);
	return ok;
}

int bd_dpkg_copyright_parse(const char *text, size_t len,
			    struct bd_buf *license, struct bd_buf *astext)
{
	struct span *v = NULL;
	size_t n = 0, i, k = 0;
	int rc = paragraphs(text, len, &v, &n);

	if (!rc && n) {
		qsort(v, n, sizeof(*v), by_span);
		for (i = 0; i < n; i++)
			if (!k || by_span(&v[i], &v[k - 1]))
				v[k++] = v[i];
		if (!as_spdx(v, k, license))
			as_written(v, k, astext);
	}
	free(v);
	if (!bd_buf_ok(license) || !bd_buf_ok(astext))
		rc = BD_ENOMEM;
	return rc;
}

void bd_dpkg_copyrights_init(struct bd_dpkg_copyrights *m)
{
	memset(m, 0, sizeof(*m));
	bd_arena_init(&m->arena);
	bd_map_init(&m->seen);
}

void bd_dpkg_copyrights_release(struct bd_dpkg_copyrights *m)
{
	free(m->v);
	bd_map_release(&m->seen);
	bd_arena_release(&m->arena);
	bd_dpkg_copyrights_init(m);
}

/* The file at host (inside, as the package names it, for the warnings)
 * read and parsed. Returns 0 or BD_ENOMEM. */
static int read_one(const struct bd_root *root, const char *host,
		    const char *inside, const struct bd_diag *diag,
		    struct bd_buf *license, struct bd_buf *astext)
{
	struct bd_error e;
	char *text = NULL;
	size_t len = 0;
	int rc = bd_root_read(root, host, 0, BD_DPKG_MAX_COPYRIGHT, &text, &len,
			      &e);

	if (!rc)
		rc = bd_dpkg_copyright_parse(text, len, license, astext);
	else if (rc == BD_ELIMIT)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': larger than %u MiB, its licences not "
			       "read",
			       inside, BD_DPKG_MAX_COPYRIGHT >> 20);
	else if (rc != BD_ENOMEM)
		bd_diag_failure(diag, &e, "its licences not read");
	free(text);
	return rc == BD_ENOMEM ? rc : 0;
}

/* What the file real (a resolved inside path) gave, remembered. */
static int remember(struct bd_dpkg_copyrights *m, const char *real,
		    const struct bd_buf *license, const struct bd_buf *astext)
{
	struct bd_dpkg_copyright_read *r;
	const char *key = bd_arena_strdup(&m->arena, real);

	if (!key || m->n >= UINT32_MAX || BD_GROW(m->v, m->alloc, m->n + 1))
		return BD_ENOMEM;
	r = &m->v[m->n];
	if (bd_arena_keep(&m->arena, license->data, license->len,
			  &r->license) ||
	    bd_arena_keep(&m->arena, astext->data, astext->len, &r->text))
		return BD_ENOMEM;
	return bd_map_put(&m->seen, key, (uint32_t)m->n++);
}

int bd_dpkg_copyright(const struct bd_root *root,
		      struct bd_dpkg_copyrights *memo, const char *package,
		      const struct bd_diag *diag, struct bd_buf *license,
		      struct bd_buf *astext)
{
	struct bd_buf inside = BD_BUF_INIT, real = BD_BUF_INIT,
		      host = BD_BUF_INIT;
	uint32_t i;
	int rc;

	/* The doc directory is often a symlink to another package's (a
	 * -dev's to its library's): followed, inside the root, and the file
	 * it leads to read once. */
	bd_buf_printf(&inside, "/usr/share/doc/%s/copyright", package);
	rc = bd_buf_ok(&inside) ? bd_root_host_of(root, "/", inside.data, &real,
						  &host, NULL)
				: BD_ENOMEM;
	if (!rc && bd_map_get(&memo->seen, real.data, &i)) {
		bd_buf_adds(license,
			    memo->v[i].license ? memo->v[i].license : "");
		bd_buf_adds(astext, memo->v[i].text ? memo->v[i].text : "");
	} else if (!rc) {
		rc = read_one(root, host.data, inside.data, diag, license,
			      astext);
		if (!rc)
			rc = remember(memo, real.data, license, astext);
	}
	bd_buf_release(&inside);
	bd_buf_release(&real);
	bd_buf_release(&host);
	/* gone (most often: no doc directory) or out of the root: none */
	return rc == BD_ENOMEM ? rc : 0;
}
