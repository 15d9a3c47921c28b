/* SPDX-License-Identifier: MIT */
/*
 * dpkg's diversions file (var/lib/dpkg/diversions), checked record by
 * record as dpkg's ensure_diversions (lib/dpkg/db-fsys-divert.c) reads it,
 * a bad record left out where dpkg refuses the whole database.
 */
#include "bindep/pkgdb.h"
#include "bindep/utf8.h"

#include <stdlib.h>
#include <string.h>

/* The longest line dpkg reads: fgets into MAXDIVERTFILENAME (1024) bytes
 * holds 1023, the newline one of them; a longer line is "too-long line
 * or missing newline" (lib/dpkg/utils.c, fgets_checked). */
#define DIVERT_LINE_MAX 1022

/* A record's three lines: from, to, the diverting package. */
struct record {
	const char *line[3];
	size_t len[3];
	size_t have;   /* lines found before the text ended */
	bool cut;      /* its last line has no newline */
	size_t number; /* from 1 */
	size_t at;     /* its first line's number */
};

void bd_dpkg_diversions_init(struct bd_dpkg_diversions *d)
{
	memset(d, 0, sizeof(*d));
	bd_map_init(&d->from);
	bd_map_init(&d->to);
	bd_arena_init(&d->arena);
}

void bd_dpkg_diversions_release(struct bd_dpkg_diversions *d)
{
	free(d->v);
	bd_map_release(&d->from);
	bd_map_release(&d->to);
	bd_arena_release(&d->arena);
	bd_dpkg_diversions_init(d);
}

/* One problem of record r: the first is kept to be said. */
static void problem(struct bd_dpkg_diversions *d, const struct record *r,
		    const char *why)
{
	if (!d->problems++) {
		d->why = why;
		d->why_record = r->number;
		d->why_line = r->at;
	}
}

size_t bd_dpkg_path_skip(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n &&
	       (s[i] == '/' || (s[i] == '.' && i + 1 < n && s[i + 1] == '/')))
		i++;
	return i;
}

/* Why a record cannot be read at all, or NULL. */
static const char *malformed(const struct record *r)
{
	size_t i;

	if (r->have < 3)
		return r->have == 1 ? "the file ends after its first line, "
				      "not taken"
				    : "the file ends after its second line, "
				      "not taken";
	if (r->cut)
		return "its last line has no newline (a file cut short?), "
		       "not taken";
	for (i = 0; i < 3; i++) {
		if (r->len[i] > DIVERT_LINE_MAX)
			return "a line longer than 1022 bytes, which dpkg "
			       "refuses, not taken";
		if (memchr(r->line[i], '\0', r->len[i]))
			return "a NUL byte in a line, which dpkg refuses, not "
			       "taken";
		if (!bd_utf8_valid(r->line[i], r->len[i]))
			return "a line that is not UTF-8 text, not taken";
	}
	if (!r->len[2])
		return "no diverting package (':' for a local diversion), "
		       "not taken";
	return NULL;
}

/* A path as dpkg keys it ("/" and the rest), in the arena; *relative
 * when written without its leading '/'. NULL for an empty one. */
static const char *dpkg_path(struct bd_dpkg_diversions *d, const char *s,
			     size_t n, bool *relative, bool *nomem)
{
	size_t skip = bd_dpkg_path_skip(s, n), rest = n - skip;
	char *p;

	if (n && s[0] != '/')
		*relative = true;
	if (!rest)
		return NULL;
	p = bd_arena_alloc(&d->arena, rest + 2);
	if (!p) {
		*nomem = true;
		return NULL;
	}
	p[0] = '/';
	memcpy(p + 1, s + skip, rest);
	p[rest + 1] = '\0';
	return p;
}

/* Whether path is in an earlier diversion, from or to. */
static bool taken_path(const struct bd_dpkg_diversions *d, const char *path)
{
	return bd_map_get(&d->from, path, NULL) ||
	       bd_map_get(&d->to, path, NULL);
}

static int add(struct bd_dpkg_diversions *d, const struct bd_dpkg_diversion *v)
{
	uint32_t i = (uint32_t)d->n;

	if (BD_GROW(d->v, d->alloc, d->n + 1))
		return BD_ENOMEM;
	d->v[d->n++] = *v;
	return bd_map_put(&d->from, v->from, i) || bd_map_put(&d->to, v->to, i)
		       ? BD_ENOMEM
		       : 0;
}

/* Why record r, well formed, is not taken, or NULL; v filled. */
static const char *unfit(struct bd_dpkg_diversions *d, const struct record *r,
			 struct bd_dpkg_diversion *v, bool *relative,
			 bool *nomem)
{
	bool local = r->len[2] == 1 && r->line[2][0] == ':';

	v->from = dpkg_path(d, r->line[0], r->len[0], relative, nomem);
	v->to = dpkg_path(d, r->line[1], r->len[1], relative, nomem);
	v->by = local ? NULL
		      : bd_arena_strndup(&d->arena, r->line[2], r->len[2]);
	*nomem = *nomem || (!local && !v->by);
	if (*nomem)
		return NULL;
	if (!v->from)
		return "its diverted path is empty or '/', not taken";
	if (!v->to)
		return "the path it diverts to is empty or '/', not taken";
	/* dpkg then installs every package's file at the path itself */
	if (!strcmp(v->from, v->to))
		return "a path diverted to itself, not taken";
	if (taken_path(d, v->from) || taken_path(d, v->to))
		return "a path of an earlier diversion too (dpkg refuses "
		       "such conflicting diversions), not taken";
	return NULL;
}

static int take(struct bd_dpkg_diversions *d, const struct record *r)
{
	struct bd_dpkg_diversion v;
	const char *why = malformed(r);
	bool relative = false, nomem = false;

	if (!why)
		why = unfit(d, r, &v, &relative, &nomem);
	if (nomem)
		return BD_ENOMEM;
	if (why) {
		problem(d, r, why);
		return 0;
	}
	/* dpkg-divert writes none (it refuses a path not absolute); dpkg
	 * reads one from '/', as it is taken here. */
	if (relative)
		problem(d, r,
			"a path not absolute, read from '/' as dpkg reads it");
	return add(d, &v);
}

/* Record r's lines from text[*pos]: as many as the text has, up to 3. */
static void read_record(const char *text, size_t len, size_t *pos,
			struct record *r)
{
	r->have = 0;
	r->cut = false;
	while (r->have < 3 && *pos < len) {
		const char *line = text + *pos;
		const char *nl = memchr(line, '\n', len - *pos);
		size_t n = nl ? (size_t)(nl - line) : len - *pos;

		r->line[r->have] = line;
		r->len[r->have++] = n;
		r->cut = !nl;
		*pos += n + 1;
	}
}

int bd_dpkg_parse_diversions(struct bd_dpkg_diversions *d, const char *text,
			     size_t len, size_t max)
{
	struct record r = { .number = 0, .at = 1 };
	size_t pos = 0;
	int rc = 0;

	while (!rc && pos < len) {
		r.number++;
		if (r.number > max) {
			const char *why = bd_arena_printf(
				&d->arena,
				"more than %zu diversions, the rest not read",
				max);

			if (!why)
				return BD_ENOMEM;
			problem(d, &r, why);
			break;
		}
		read_record(text, len, &pos, &r);
		rc = take(d, &r);
		r.at += 3;
	}
	return rc;
}

const struct bd_dpkg_diversion *
bd_dpkg_diverted(const struct bd_dpkg_diversions *d, const char *path,
		 size_t len)
{
	uint32_t i;

	return d->n && bd_map_getn(&d->from, path, len, &i) ? &d->v[i] : NULL;
}

bool bd_dpkg_diversions_problem(const struct bd_dpkg_diversions *d,
				const char *file, struct bd_buf *msg)
{
	if (!d->problems)
		return false;
	bd_buf_printf(msg, "'%s': diversion %zu (line %zu): %s", file,
		      d->why_record, d->why_line, d->why);
	if (d->problems > 1)
		bd_buf_printf(msg, " (and %zu more problem%s)", d->problems - 1,
			      d->problems == 2 ? "" : "s");
	return true;
}
