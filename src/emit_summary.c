/* SPDX-License-Identifier: MIT */
/*
 * The summary (--format summary, the default on a terminal): what the
 * scanned files depend on, one row per upstream project (per package where
 * no project is known), most used first.
 *
 *   golden 2.0: 3 files scanned, 9 components, 5 projects
 *
 *   PROJECT  VERSION         HOW                  THROUGH     LICENCE  FILES
 *   libc6    2.36-9+deb12u4  linked               deb libc6   unknown      3
 *   brotli   1.1.0           linked, vendored     -           MIT          3
 *   ...
 *
 *   missing       2: libmissing.so.3, libfido2.so.1 (dlopen: suggested)
 *   unidentified  1: /usr/lib/app/libfoo.so.1
 *   incomplete    none
 *   excluded      1: /usr/share/doc/   (only with --exclude)
 *
 * A component's project is its upstream's purl (bindep:upstream-purl), else
 * its own purl, else the purl of the language package holding it
 * (bindep:bundled-in), each without version: the rows are exactly the
 * projects the CycloneDX document names. HOW says how the scanned files
 * reach it: linked (DT_NEEDED, PT_INTERP, at any depth), static (compiled
 * in), dlopen: <priority> (only through .note.dlopen entries, the path's
 * weakest one), vendored (a copy in the release no package owns), scanned
 * (one of the scanned files is of it), declared (an SBOM an artifact
 * carries lists it, issue 16). FILES counts the scanned files that
 * use it (a file with several names once), the file itself included.
 *
 * The table fits opts->columns: the widest columns wrap first; when even
 * narrow ones do not fit, each row becomes a block of lines.
 */
#include "bindep/arena.h"
#include "bindep/emit.h"
#include "bindep/utf8.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* How the scanned files reach a project; in the order shown. */
enum {
	HOW_LINKED = 1,
	HOW_STATIC = 2,
	HOW_DLOPEN_REQUIRED = 4,
	HOW_DLOPEN_RECOMMENDED = 8,
	HOW_DLOPEN_SUGGESTED = 16,
	HOW_VENDORED = 32,
	HOW_SCANNED = 64,
	HOW_DECLARED = 128, /* an SBOM an artifact carries lists it */
	HOW_BUILD = 256,    /* only the build used it (BD_EDGE_BUILD) */
};

/* The weight of a path, its weakest edge: a load edge is 4, a dlopen
 * entry its rank (bd_emit_dlopen_rank: 3 to 1), containment and a
 * crate's dependency 0 (not followed). */
#define LINKED 4

/* At most this many values in a cell, then "+N more". */
#define MAX_VALUES 6
/* At most this many names in a closing line, then "and N more". */
#define MAX_NAMES 12

enum { COL_PROJECT, COL_VERSION, COL_HOW, COL_THROUGH, COL_LICENCE, NCOLS };

static const char *const headers[NCOLS + 1] = { "PROJECT", "VERSION", "HOW",
						"THROUGH", "LICENCE", "FILES" };

struct project {
	const char *key;  /* the versionless purl */
	const char *name; /* shown: the purl's name, decoded */
	unsigned how;
	size_t files;
	uint32_t last; /* the scanned file that counted it last, + 1 */
	const char *cells[NCOLS];
};

/* A value of a project's cell: sorted by project, then text. */
struct value {
	uint32_t project;
	const char *text;
};

struct summary {
	const struct bd_graph *g;
	const struct bd_emit_options *o;
	struct bd_buf *out;
	struct bd_arena arena;
	unsigned char *flags; /* per component: BD_EMIT_* */
	struct bd_emit_holders holders;
	size_t *first_out;    /* per component: its first edge */
	uint32_t *project_of; /* per component: index + 1, 0 for none */
	struct project *ps;
	size_t n, alloc;
	struct bd_map by_key;
	struct value *values[NCOLS]; /* VERSION, THROUGH, LICENCE */
	size_t nvalues[NCOLS], avalues[NCOLS];
	/* A search from one scanned file: each component's best weight. */
	unsigned char *best;
	unsigned char *dlopen_rank; /* per component: of its dlopen entries */
	uint32_t *reached, *queue;
	size_t nreached;
	size_t scanned;
	bool oom;
};

/* ---- text for the terminal ------------------------------------------- */

/* Hostile bytes escaped (bindep/utf8.h), in the arena; "" when out of
 * memory (the run fails then). */
static const char *shown(struct summary *s, const char *text, size_t len)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *copy;

	bd_utf8_escape(&b, text, len);
	copy = bd_buf_ok(&b) ? bd_arena_strdup(&s->arena, bd_buf_str(&b))
			     : NULL;
	bd_buf_release(&b);
	if (!copy)
		s->oom = true;
	return copy ? copy : "";
}

static const char *shown_buf(struct summary *s, struct bd_buf *b)
{
	if (!bd_buf_ok(b)) {
		s->oom = true;
		return "";
	}
	return shown(s, b->data ? b->data : "", b->len);
}

/*
 * Columns a code point takes on a terminal: wcwidth(3) in C.UTF-8, which
 * bd_emit_summary sets on its thread (uselocale): 2 for a wide character
 * (CJK, most emoji), 0 for a combining mark, and 1 for what it does not
 * know (or without that locale: one per code point). Control characters
 * never come here: shown text is escaped (bindep/utf8.h).
 */
static size_t cp_columns(uint32_t cp)
{
	int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);

	return w < 0 ? 1 : (size_t)w;
}

/* Columns taken on a terminal by len bytes of s. */
static size_t width(const char *s, size_t len)
{
	size_t i = 0, w = 0;
	uint32_t cp;

	while (i < len) {
		i += bd_utf8_next((const unsigned char *)s + i, len - i, &cp);
		w += cp_columns(cp);
	}
	return w;
}

/* Bytes of the first n columns of s: a wide character that would pass the
 * n-th is left for the next line, unless it is the first (a column too
 * narrow for it); the zero-width ones after the last kept stay with it. */
static size_t prefix_bytes(const char *s, size_t len, size_t n)
{
	size_t i = 0, w = 0, k, c;
	uint32_t cp;

	while (i < len) {
		k = bd_utf8_next((const unsigned char *)s + i, len - i, &cp);
		c = cp_columns(cp);
		if (i && w + c > n)
			break;
		w += c;
		i += k;
	}
	return i;
}

static void paint_on(struct summary *s, const char *sgr)
{
	if (s->o->color && sgr)
		bd_buf_printf(s->out, "\033[%sm", sgr);
}

static void paint_off(struct summary *s, const char *sgr)
{
	if (s->o->color && sgr)
		bd_buf_adds(s->out, "\033[0m");
}

static void spaces(struct summary *s, size_t n)
{
	while (n--)
		bd_buf_addc(s->out, ' ');
}

/* ---- projects ------------------------------------------------------------ */

/* The purl a component is counted under, or NULL. */
static const char *project_purl(const struct bd_component *c)
{
	if (c->kind == BD_COMP_ARTIFACT || c->kind == BD_COMP_UNRESOLVED)
		return NULL;
	if (c->upstream_purl)
		return c->upstream_purl;
	return c->purl ? c->purl : c->bundled_in;
}

static int add_project(struct summary *s, const char *purl, uint32_t *index)
{
	size_t len = bd_emit_purl_base(purl);
	struct bd_buf name = BD_BUF_INIT;
	struct project *p;
	const char *key;

	if (bd_map_getn(&s->by_key, purl, len, index))
		return 0;
	key = bd_arena_strndup(&s->arena, purl, len);
	if (!key || BD_GROW(s->ps, s->alloc, s->n + 1))
		return BD_ENOMEM;
	p = &s->ps[s->n];
	memset(p, 0, sizeof(*p));
	p->key = key;
	bd_emit_purl_name(&name, purl);
	p->name = shown_buf(s, &name);
	bd_buf_release(&name);
	*index = (uint32_t)s->n;
	s->n++;
	return bd_map_put(&s->by_key, key, *index);
}

static void add_value(struct summary *s, int col, uint32_t project,
		      const char *text)
{
	if (!text || !*text)
		return;
	if (BD_GROW(s->values[col], s->avalues[col], s->nvalues[col] + 1)) {
		s->oom = true;
		return;
	}
	s->values[col][s->nvalues[col]].project = project;
	s->values[col][s->nvalues[col]++].text = text;
}

/* The version of a purl, decoded: "1.3.4" of "pkg:npm/x@1.3.4". */
static const char *purl_version(struct summary *s, const char *purl)
{
	const char *at = purl + bd_emit_purl_base(purl);
	struct bd_buf b = BD_BUF_INIT;
	const char *v;

	if (*at != '@')
		return NULL;
	at++;
	bd_emit_percent_decode(&b, at, strcspn(at, "?#"));
	v = shown_buf(s, &b);
	bd_buf_release(&b);
	return v;
}

/* "deb libssl3", or NULL for no package. */
static const char *package(struct summary *s, const char *purl)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *label = NULL;

	if (bd_emit_package_label(&b, purl))
		label = shown_buf(s, &b);
	bd_buf_release(&b);
	return label;
}

/* The packages and artifacts a component comes through. */
static void through(struct summary *s, uint32_t id, uint32_t p)
{
	const struct bd_component *c = &s->g->comps[id];
	const struct bd_emit_holders *h = &s->holders;
	size_t k;

	add_value(s, COL_THROUGH, p, package(s, c->bundled_in));
	add_value(s, COL_THROUGH, p, package(s, c->purl));
	for (k = h->first[id]; k < h->first[id + 1]; k++) {
		const struct bd_component *a = &s->g->comps[h->from[k]];
		const char *label = package(s, a->purl);
		const char *name = a->paths.n ? a->paths.items[0] : a->name;
		const char *base = strrchr(name, '/');

		if (!label) /* an archive of no package format */
			label = shown(s, base ? base + 1 : name,
				      strlen(base ? base + 1 : name));
		add_value(s, COL_THROUGH, p, label);
	}
}

/* The version a component says its project has, escaped. */
static const char *version_of(struct summary *s, const struct bd_component *c)
{
	const char *v = c->upstream_purl ? c->upstream_version
			: c->purl	 ? c->version
					 : NULL;

	if (v)
		return shown(s, v, strlen(v));
	return purl_version(s, project_purl(c));
}

/* A licence declared in words that are no SPDX expression
 * (bindep:license-text: npm's "UNLICENSED", a Debian copyright file's
 * "GPL-2+ with OpenSSL exception"), quoted as written: a person reads it,
 * and the quotes tell it from an expression. */
static const char *quoted(struct summary *s, const char *text)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *q;

	bd_buf_printf(&b, "\"%s\"", text);
	q = shown_buf(s, &b);
	bd_buf_release(&b);
	return q;
}

/* What a component says of its project's version and licence. */
static void facts(struct summary *s, uint32_t id, uint32_t p)
{
	const struct bd_component *c = &s->g->comps[id];

	add_value(s, COL_VERSION, p, version_of(s, c));
	if (c->license)
		add_value(s, COL_LICENCE, p,
			  shown(s, c->license, strlen(c->license)));
	else if (c->license_text)
		add_value(s, COL_LICENCE, p, quoted(s, c->license_text));
	through(s, id, p);
}

static int group(struct summary *s)
{
	size_t i;
	uint32_t p;

	for (i = 0; i < s->g->ncomps && !s->oom; i++) {
		const char *purl = project_purl(&s->g->comps[i]);

		if (!purl)
			continue;
		if (add_project(s, purl, &p))
			return BD_ENOMEM;
		s->project_of[i] = p + 1;
		facts(s, (uint32_t)i, p);
	}
	return s->oom ? BD_ENOMEM : 0;
}

/* ---- how each scanned file reaches each project ----------------------- */

static unsigned weight(const struct bd_edge *e)
{
	switch (e->kind) {
	/* Holding a file is no use of it; a crate's dependency is no way a
	 * file reaches a crate (its own edges are: every list names every
	 * crate it was built with, and another file's list may give a crate
	 * of both a dependency this file was built without). */
	case BD_EDGE_CONTAINS:
	case BD_EDGE_DEPENDS: return 0;
	case BD_EDGE_DLOPEN_NOTE: return bd_emit_dlopen_rank(e->dlopen);
	default: return LINKED; /* needed, interpreter, compiled in */
	}
}

/*
 * The best weight of a path from the scanned file to each component (the
 * widest path: a pass per weight, from LINKED down, over the edges of at
 * least that weight, from everything reached so far).
 */
static void reach(struct summary *s, uint32_t from)
{
	const struct bd_graph *g = s->g;
	unsigned t;
	size_t i, e, head, tail;

	s->best[from] = LINKED;
	s->reached[0] = from;
	s->nreached = 1;
	for (t = LINKED; t >= 1; t--) {
		for (i = 0, tail = 0; i < s->nreached; i++) {
			if (s->best[s->reached[i]] >= t)
				s->queue[tail++] = s->reached[i];
		}
		for (head = 0; head < tail; head++) {
			uint32_t at = s->queue[head];

			for (e = s->first_out[at];
			     e < g->nedges && g->edges[e].from == at; e++) {
				uint32_t to = g->edges[e].to;

				if (weight(&g->edges[e]) < t ||
				    s->best[to] >= t)
					continue;
				if (!s->best[to])
					s->reached[s->nreached++] = to;
				s->best[to] = (unsigned char)t;
				s->queue[tail++] = to;
			}
		}
	}
}

static unsigned how_reached(struct summary *s, uint32_t from, uint32_t id)
{
	const struct bd_component *c = &s->g->comps[id];
	unsigned how = c->vendored ? HOW_VENDORED : 0;

	if (id == from)
		return how ? how : HOW_SCANNED;
	switch (s->best[id]) {
	case LINKED:
		if (bd_emit_build_only(s->flags, id))
			return how | HOW_BUILD;
		return how | (s->flags[id] & BD_EMIT_STATIC ? HOW_STATIC
							    : HOW_LINKED);
	case 3: return how | HOW_DLOPEN_REQUIRED;
	case 2: return how | HOW_DLOPEN_RECOMMENDED;
	default: return how | HOW_DLOPEN_SUGGESTED;
	}
}

static void uses_of(struct summary *s, uint32_t from)
{
	size_t i;

	reach(s, from);
	for (i = 0; i < s->nreached; i++) {
		uint32_t id = s->reached[i], p = s->project_of[id];

		if (p) {
			s->ps[p - 1].how |= how_reached(s, from, id);
			if (s->ps[p - 1].last != from + 1) {
				s->ps[p - 1].last = from + 1;
				s->ps[p - 1].files++;
			}
		}
		s->best[id] = 0;
	}
}

static void usage(struct summary *s)
{
	const struct bd_graph *g = s->g;
	size_t i, e = 0;

	for (i = 0; i < g->ncomps; i++) {
		while (e < g->nedges && g->edges[e].from < i)
			e++;
		s->first_out[i] = e;
	}
	/* The strongest priority of the entries into each component. */
	for (e = 0; e < g->nedges; e++) {
		const struct bd_edge *x = &g->edges[e];
		unsigned r = bd_emit_dlopen_rank(x->dlopen);

		if (x->kind == BD_EDGE_DLOPEN_NOTE && r > s->dlopen_rank[x->to])
			s->dlopen_rank[x->to] = (unsigned char)r;
	}
	/* Whatever says it is compiled in, once: the flag says it then. */
	for (i = 0; i < g->ncomps; i++) {
		if (bd_emit_static(g, s->flags, (uint32_t)i))
			s->flags[i] |= BD_EMIT_STATIC;
	}
	for (i = 0; i < g->ncomps; i++) {
		if (bd_emit_scanned(g, s->flags, (uint32_t)i)) {
			s->scanned++;
			uses_of(s, (uint32_t)i);
		}
		/* No file of ours: only an embedded SBOM says it is there. */
		if (g->comps[i].kind == BD_COMP_DECLARED && s->project_of[i])
			s->ps[s->project_of[i] - 1].how |= HOW_DECLARED;
	}
}

/* ---- the cells ------------------------------------------------------------
 */

static int cmp_value(const void *pa, const void *pb)
{
	const struct value *a = pa, *b = pb;

	if (a->project != b->project)
		return a->project < b->project ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* Each project's values of a column, sorted, each once, joined. */
static void join_values(struct summary *s, int col)
{
	struct value *v = s->values[col];
	size_t i = 0, n = s->nvalues[col];

	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_value);
	while (i < n) {
		struct bd_buf b = BD_BUF_INIT;
		uint32_t p = v[i].project;
		size_t kept = 0, more = 0;

		for (; i < n && v[i].project == p; i++) {
			if (kept && !strcmp(v[i].text, v[i - 1].text))
				continue;
			if (kept == MAX_VALUES) {
				more++;
				continue;
			}
			bd_buf_printf(&b, "%s%s", kept ? ", " : "", v[i].text);
			kept++;
		}
		if (more)
			bd_buf_printf(&b, " +%zu more", more);
		s->ps[p].cells[col] =
			bd_buf_ok(&b) ? bd_arena_strdup(&s->arena, b.data)
				      : NULL;
		if (!s->ps[p].cells[col])
			s->oom = true;
		bd_buf_release(&b);
	}
}

static const char *how_text(struct summary *s, unsigned how)
{
	static const char *const dlopen[] = { "required", "recommended",
					      "suggested" };
	struct bd_buf b = BD_BUF_INIT;
	const char *text;
	size_t i;

	if (how & HOW_LINKED)
		bd_buf_adds(&b, "linked");
	if (how & HOW_STATIC)
		bd_buf_printf(&b, "%sstatic", b.len ? ", " : "");
	if (how & HOW_BUILD)
		bd_buf_printf(&b, "%sbuild", b.len ? ", " : "");
	/* The strongest priority a dlopen entry asks for it. */
	for (i = 0; i < BD_ARRAY_SIZE(dlopen); i++) {
		if (how & (HOW_DLOPEN_REQUIRED << i)) {
			bd_buf_printf(&b, "%sdlopen: %s", b.len ? ", " : "",
				      dlopen[i]);
			break;
		}
	}
	if (how & HOW_VENDORED)
		bd_buf_printf(&b, "%svendored", b.len ? ", " : "");
	if (how & HOW_SCANNED)
		bd_buf_printf(&b, "%sscanned", b.len ? ", " : "");
	if (how & HOW_DECLARED)
		bd_buf_printf(&b, "%sdeclared", b.len ? ", " : "");
	text = bd_buf_ok(&b) ? bd_arena_strdup(&s->arena, b.len ? b.data : "-")
			     : NULL;
	bd_buf_release(&b);
	if (!text)
		s->oom = true;
	return text ? text : "";
}

static void fill_cells(struct summary *s)
{
	size_t i;

	join_values(s, COL_VERSION);
	join_values(s, COL_THROUGH);
	join_values(s, COL_LICENCE);
	for (i = 0; i < s->n; i++) {
		struct project *p = &s->ps[i];

		p->cells[COL_PROJECT] = p->name;
		p->cells[COL_HOW] = how_text(s, p->how);
		if (!p->cells[COL_VERSION])
			p->cells[COL_VERSION] = "-";
		if (!p->cells[COL_THROUGH])
			p->cells[COL_THROUGH] = "-";
		if (!p->cells[COL_LICENCE])
			p->cells[COL_LICENCE] = "unknown";
	}
}

/* Most used first; then by name, then by purl: the same bytes each run. */
static int cmp_project(const void *pa, const void *pb)
{
	const struct project *a = pa, *b = pb;
	int c;

	if (a->files != b->files)
		return a->files > b->files ? -1 : 1;
	c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->key, b->key);
}

/* ---- wrapping ---------------------------------------------------------- */

/* The last place at or before byte cut to end a line of text: at a
 * ", " (kind 0: between two values), at a space (1), or after a '/' or
 * '-' (2), that leaves at least min columns on the line; 0 for none. */
static size_t last_break(const char *text, size_t cut, int kind, size_t min)
{
	size_t i;

	for (i = cut; i > 0; i--) {
		bool ok = kind == 0   ? text[i] == ' ' && text[i - 1] == ','
			  : kind == 1 ? text[i] == ' '
				      : i < cut && (text[i - 1] == '/' ||
						    text[i - 1] == '-');

		if (ok && width(text, i) >= min)
			return i;
	}
	return 0;
}

/* Where a line of text that must end by byte cut ends best: between two
 * values, else between words, else after a '/' or '-', where that keeps a
 * third of the line or more; else at the last of them; else at cut. */
static size_t break_at(const char *text, size_t cut, size_t w)
{
	size_t at;
	int kind;

	for (kind = 0; kind < 3; kind++) {
		at = last_break(text, cut, kind, (w + 2) / 3);
		if (at)
			return at;
	}
	for (kind = 1; kind < 3; kind++) {
		at = last_break(text, cut, kind, 1);
		if (at)
			return at;
	}
	return cut;
}

/* The bytes of the zero-width characters at s (combining marks): they go
 * with the character before them, on its line. */
static size_t marks_at(const char *s)
{
	size_t n = 0, k;
	uint32_t cp;

	while (s[n]) {
		k = bd_utf8_next((const unsigned char *)s + n,
				 strnlen(s + n, 4), &cp);
		if (cp < 0x80 || cp_columns(cp))
			break;
		n += k;
	}
	return n;
}

/*
 * The next line of at most w columns of text (see break_at). *len is its
 * bytes; returns where the rest starts, its spaces skipped.
 */
static const char *next_line(const char *text, size_t w, size_t *len)
{
	/* A long cell's rest is not measured again at each of its lines:
	 * w columns are at most 4 * w bytes (escaped text is valid UTF-8),
	 * but for zero-width marks (a line then ends sooner), and never cut
	 * inside a character. */
	size_t most = w < (SIZE_MAX - 8) / 4 ? 4 * w + 8 : SIZE_MAX;
	size_t all = strnlen(text, most), cut;

	if (text[all])
		all = bd_utf8_boundary(text, all);
	all += marks_at(text + all);
	cut = prefix_bytes(text, all, w ? w : 1);

	if (!text[cut]) {
		*len = cut;
		return text + cut;
	}
	cut = break_at(text, cut, w);
	*len = cut;
	text += cut;
	while (*text == ' ')
		text++;
	return text;
}

/* ---- the table ---------------------------------------------------------- */

struct layout {
	size_t w[NCOLS + 1]; /* column widths; FILES last */
};

static size_t total(const struct layout *l)
{
	size_t i, t = 2 * NCOLS;

	for (i = 0; i <= NCOLS; i++)
		t += l->w[i];
	return t;
}

/* The natural widths, then the widest columns narrowed until the table
 * fits; false when it cannot (narrower than each column's least). */
static bool fit(struct summary *s, struct layout *l)
{
	size_t least[NCOLS] = { 20, 8, 10, 10, 8 };
	char num[32];
	size_t i, c;

	for (c = 0; c <= NCOLS; c++)
		l->w[c] = strlen(headers[c]);
	for (i = 0; i < s->n; i++) {
		for (c = 0; c < NCOLS; c++) {
			const char *t = s->ps[i].cells[c];
			size_t w = width(t, strlen(t));

			if (w > l->w[c])
				l->w[c] = w;
		}
		snprintf(num, sizeof(num), "%zu", s->ps[i].files);
		if (strlen(num) > l->w[NCOLS])
			l->w[NCOLS] = strlen(num);
	}
	while (s->o->columns && total(l) > s->o->columns) {
		size_t widest = NCOLS;

		/* The widest first; of as wide, a name last. */
		for (c = COL_PROJECT + 1; c < NCOLS; c++) {
			if (l->w[c] > least[c] &&
			    (widest == NCOLS || l->w[c] > l->w[widest]))
				widest = c;
		}
		if (l->w[COL_PROJECT] > least[COL_PROJECT] &&
		    (widest == NCOLS || l->w[COL_PROJECT] > l->w[widest]))
			widest = COL_PROJECT;
		if (widest == NCOLS)
			return false;
		l->w[widest]--;
	}
	return true;
}

/* A project's name that wraps goes on indented, so that a row starts
 * where a line does not. */
static size_t indent_of(int col)
{
	return col == COL_PROJECT ? 2 : 0;
}

/* Line k of a row: the next line of each cell (rest[c]: what is left
 * of it, moved past the line; the lines after the first indent columns
 * in), padded; nothing after the last cell that has text (no trailing
 * blanks). files: the count, on the first line only. Each cell is wrapped
 * once, line by line: a cell of 240 KB took minutes when each line
 * wrapped it again from its start. */
static void table_line(struct summary *s, const struct layout *l,
		       const char **rest, const char *const *sgr,
		       const char *files, const char *files_sgr, size_t k)
{
	const char *piece[NCOLS];
	size_t len[NCOLS], c, last = 0, pad = 0;

	for (c = 0; c < NCOLS; c++) {
		size_t w = l->w[c] - (k ? indent_of((int)c) : 0);

		piece[c] = rest[c];
		len[c] = 0;
		if (*rest[c])
			rest[c] = next_line(rest[c], w, &len[c]);
		if (len[c] || files)
			last = c;
	}
	for (c = 0; c <= last; c++) {
		size_t in = k && len[c] ? indent_of((int)c) : 0;

		spaces(s, pad + in);
		if (len[c]) {
			paint_on(s, sgr[c]);
			bd_buf_add(s->out, piece[c], len[c]);
			paint_off(s, sgr[c]);
		}
		pad = l->w[c] + 2 - in - width(piece[c], len[c]);
	}
	if (files) {
		spaces(s, pad + l->w[NCOLS] - strlen(files));
		paint_on(s, files_sgr);
		bd_buf_adds(s->out, files);
		paint_off(s, files_sgr);
	}
	bd_buf_addc(s->out, '\n');
}

/* Whether any cell has text left. */
static bool rows_left(const char *const *rest)
{
	size_t c;

	for (c = 0; c < NCOLS; c++)
		if (*rest[c])
			return true;
	return false;
}

static void table_row(struct summary *s, const struct layout *l,
		      const char *const *cells, const char *const *sgr,
		      const char *files)
{
	const char *rest[NCOLS];
	size_t k;

	memcpy(rest, cells, sizeof(rest));
	for (k = 0; !k || rows_left(rest); k++)
		table_line(s, l, rest, sgr, k ? NULL : files, NULL, k);
}

static void row_colours(const struct project *p, const char **sgr)
{
	sgr[COL_PROJECT] = "1";
	sgr[COL_VERSION] = NULL;
	/* Cyan for what is only dlopen'd, as the text view draws it. */
	sgr[COL_HOW] = p->how & (HOW_LINKED | HOW_STATIC | HOW_BUILD |
				 HOW_VENDORED | HOW_SCANNED | HOW_DECLARED)
			       ? NULL
			       : "36";
	sgr[COL_THROUGH] = NULL;
	sgr[COL_LICENCE] =
		strcmp(p->cells[COL_LICENCE], "unknown") ? NULL : "33";
}

static void table(struct summary *s, const struct layout *l)
{
	static const char *const bold[NCOLS] = { "1", "1", "1", "1", "1" };
	const char *sgr[NCOLS];
	char files[32];
	size_t i;

	const char *rest[NCOLS];

	/* Every header fits its column's least width: one line. */
	memcpy(rest, headers, sizeof(rest));
	table_line(s, l, rest, bold, headers[NCOLS], "1", 0);
	for (i = 0; i < s->n; i++) {
		snprintf(files, sizeof(files), "%zu", s->ps[i].files);
		row_colours(&s->ps[i], sgr);
		table_row(s, l, s->ps[i].cells, sgr, files);
	}
}

/* ---- lines with a hanging indent --------------------------------------- */

/*
 * label, padded to indent columns, then text wrapped to the width (none:
 * one line), each further line indented as far. A width too narrow for
 * the indent gets 20 columns of text anyway.
 */
static void hanging(struct summary *s, const char *label, const char *sgr,
		    size_t indent, const char *text)
{
	size_t w = s->o->columns, len;
	bool first = true;

	w = !w ? (size_t)-1 / 2 : w > indent + 20 ? w - indent : 20;
	paint_on(s, sgr);
	bd_buf_adds(s->out, label);
	paint_off(s, sgr);
	spaces(s, indent - width(label, strlen(label)));
	do {
		const char *line = text;

		text = next_line(text, w, &len);
		if (!first)
			spaces(s, indent);
		bd_buf_add(s->out, line, len);
		bd_buf_addc(s->out, '\n');
		first = false;
	} while (*text);
}

/* Each project as a block of lines, for a terminal too narrow for the
 * table. */
static void blocks(struct summary *s)
{
	static const char *const labels[NCOLS] = { NULL, "  version", "  how",
						   "  through", "  licence" };
	char head[64];
	size_t i, c;

	for (i = 0; i < s->n; i++) {
		const struct project *p = &s->ps[i];

		snprintf(head, sizeof(head), "  (%zu file%s)", p->files,
			 p->files == 1 ? "" : "s");
		paint_on(s, "1");
		bd_buf_adds(s->out, p->name);
		paint_off(s, "1");
		bd_buf_adds(s->out, head);
		bd_buf_addc(s->out, '\n');
		for (c = COL_VERSION; c < NCOLS; c++)
			hanging(s, labels[c], NULL, 12, p->cells[c]);
	}
}

/* ---- what is missing, unidentified, incomplete -------------------------- */

struct names {
	const char **items; /* "name (note)", escaped, in the arena */
	size_t n, alloc;
	size_t unnamed;	   /* more, counted but not named */
	const char *after; /* said once after them, or NULL */
	bool as_given;	   /* in the order added, not sorted */
};

static void name_add(struct summary *s, struct names *l, const char *name,
		     const char *note)
{
	const char *text = shown(s, name, strlen(name));

	if (note)
		text = bd_arena_printf(&s->arena, "%s (%s)", text, note);
	if (!text || BD_GROW(l->items, l->alloc, l->n + 1)) {
		s->oom = true;
		return;
	}
	l->items[l->n++] = text;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "2: a, b" in order, at most MAX_NAMES of them, or "none"; the line's
 * colour when there are some. */
static void names_line(struct summary *s, const char *label, const char *sgr,
		       struct names *l)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t i, all = l->n + l->unnamed;

	if (l->n > 1 && !l->as_given)
		qsort(l->items, l->n, sizeof(*l->items), cmp_name);
	if (!all)
		bd_buf_adds(&b, "none");
	else
		bd_buf_printf(&b, "%zu:", all);
	for (i = 0; i < l->n && i < MAX_NAMES; i++)
		bd_buf_printf(&b, "%s %s", i ? "," : "", l->items[i]);
	if (all > i)
		bd_buf_printf(&b, " and %zu more", all - i);
	if (all && l->after)
		bd_buf_printf(&b, " (%s)", l->after);
	if (!bd_buf_ok(&b))
		s->oom = true;
	else
		hanging(s, label, all ? sgr : NULL, 14, b.data);
	bd_buf_release(&b);
	free(l->items);
}

static const char *where(const struct bd_component *c)
{
	return c->paths.n ? c->paths.items[0] : c->name;
}

/* A name missing in a run of several machines, for one of them. */
struct missing_for {
	const char *name, *priority, *machine; /* priority: optional only */
};

struct missing_list {
	struct missing_for *items;
	size_t n, alloc;
};

static int cmp_missing_for(const void *pa, const void *pb)
{
	const struct missing_for *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);

	if (!r && a->priority != b->priority)
		r = strcmp(a->priority ? a->priority : "",
			   b->priority ? b->priority : "");
	return r ? r : strcmp(a->machine, b->machine);
}

/* A missing name, its dlopen priority when only optional, and in a run
 * of several machines which it is missing for (kept in per, merged by
 * missing_per_machine). */
static void missing_add(struct summary *s, struct names *l,
			struct missing_list *per,
			const struct bd_emit_machines *m, uint32_t id)
{
	const struct bd_component *c = &s->g->comps[id];
	const char *priority =
		bd_emit_optional(s->flags, id)
			? bd_emit_dlopen_priority(s->dlopen_rank[id])
			: NULL;
	char label[BD_EMIT_MACHINE_LABEL], note[64];
	const char *machine = bd_emit_machine_label(m, c, label);

	if (!machine) {
		if (priority)
			snprintf(note, sizeof(note), "dlopen: %s", priority);
		name_add(s, l, c->name, priority ? note : NULL);
		return;
	}
	machine = bd_arena_strdup(&s->arena, machine);
	if (!machine || BD_GROW(per->items, per->alloc, per->n + 1)) {
		s->oom = true;
		return;
	}
	per->items[per->n++] =
		(struct missing_for){ c->name, priority, machine };
}

/* Each name and priority once, with the machines it is missing for, at
 * most MAX_VALUES of them (a hostile tree has thousands): "libfoo.so.1
 * (aarch64, x86_64)", "libfido2.so.1 (aarch64; dlopen: suggested)". */
static void missing_per_machine(struct summary *s, struct names *l,
				struct missing_list *per)
{
	struct missing_for *m = per->items;
	struct bd_buf note = BD_BUF_INIT;
	size_t i, j;

	if (per->n > 1)
		qsort(m, per->n, sizeof(*m), cmp_missing_for);
	for (i = 0; i < per->n; i = j) {
		bd_buf_reset(&note);
		for (j = i; j < per->n && !strcmp(m[j].name, m[i].name) &&
			    m[j].priority == m[i].priority;
		     j++)
			if (j - i < MAX_VALUES)
				bd_buf_printf(&note, "%s%s", j > i ? ", " : "",
					      m[j].machine);
		if (j - i > MAX_VALUES)
			bd_buf_printf(&note, " and %zu more",
				      j - i - MAX_VALUES);
		if (m[i].priority)
			bd_buf_printf(&note, "; dlopen: %s", m[i].priority);
		if (!bd_buf_ok(&note))
			s->oom = true;
		else
			name_add(s, l, m[i].name, note.data);
	}
	bd_buf_release(&note);
	free(per->items);
}

static void closing_lines(struct summary *s)
{
	struct names missing = { NULL, 0, 0, 0, NULL, false },
		     unknown = missing, incomplete = missing,
		     preloaded = missing, excluded = missing;
	struct missing_list per = { NULL, 0, 0 };
	struct bd_emit_machines machines;
	size_t i;

	if (bd_emit_machines_build(&machines, s->g))
		s->oom = true;
	for (i = 0; i < s->g->ncomps; i++) {
		const struct bd_component *c = &s->g->comps[i];

		if (c->kind == BD_COMP_UNRESOLVED) {
			missing_add(s, &missing, &per, &machines, (uint32_t)i);
		} else if (c->kind != BD_COMP_ARTIFACT && !s->project_of[i]) {
			name_add(s, &unknown, where(c), NULL);
		}
		/* Met by soname only: not missing, but said. */
		if (s->flags[i] & BD_EMIT_PRELOADED)
			name_add(s, &preloaded, c->name, NULL);
		if (c->error)
			name_add(s, &incomplete, where(c), "not read whole");
		else if (c->cargo_deps_cut)
			name_add(s, &incomplete, where(c),
				 "crate dependencies cut");
		else if (c->online_incomplete)
			name_add(s, &incomplete, where(c),
				 "online lookup failed");
	}
	/* What the walk could not see into. */
	for (i = 0; i < s->o->nunread; i++)
		name_add(s, &incomplete, s->o->unread[i], "not read");
	incomplete.unnamed = s->o->unread_total - s->o->nunread;
	missing_per_machine(s, &missing, &per);
	bd_emit_machines_release(&machines);
	names_line(s, "missing", "1;31", &missing);
	/* Only when there are some: a summary without reads as before. */
	preloaded.after = BD_EMIT_PRELOADED_SAID;
	if (preloaded.n)
		names_line(s, "preloaded", "36", &preloaded);
	else
		free(preloaded.items);
	names_line(s, "unidentified", "33", &unknown);
	names_line(s, "incomplete", "1;31", &incomplete);
	/* What the run left out on purpose, each --exclude pattern in the
	 * order given, as the other formats record it (bindep:exclude); only
	 * when there are some. No inventory incomplete: a scope chosen. */
	excluded.as_given = true;
	for (i = 0; i < s->o->nexcludes; i++)
		name_add(s, &excluded, s->o->excludes[i], NULL);
	if (excluded.n)
		names_line(s, "excluded", "33", &excluded);
	else
		free(excluded.items);
}

/* ---- the summary -------------------------------------------------------- */

/* "demo 1.0: 3 files scanned, 9 components, 5 projects"; the counts on
 * a line of their own when both do not fit. */
static void heading(struct summary *s)
{
	const char *name = s->o->source_name ? s->o->source_name : "";
	const char *version = s->o->source_version;
	struct bd_buf title = BD_BUF_INIT, counts = BD_BUF_INIT;
	size_t w;

	bd_buf_adds(&title, shown(s, name, strlen(name)));
	if (version)
		bd_buf_printf(&title, " %s",
			      shown(s, version, strlen(version)));
	bd_buf_printf(&counts,
		      "%zu file%s scanned, %zu component%s, %zu "
		      "project%s",
		      s->scanned, s->scanned == 1 ? "" : "s", s->g->ncomps,
		      s->g->ncomps == 1 ? "" : "s", s->n, s->n == 1 ? "" : "s");
	if (!bd_buf_ok(&title) || !bd_buf_ok(&counts)) {
		s->oom = true;
	} else {
		w = width(title.data, title.len) + 2 +
		    width(counts.data, counts.len);
		bd_buf_addc(&title, ':');
		if (!s->o->columns || w <= s->o->columns) {
			paint_on(s, "1");
			bd_buf_add(s->out, title.data, title.len - 1);
			paint_off(s, "1");
			bd_buf_printf(s->out, ": %s\n", counts.data);
		} else {
			hanging(s, "", NULL, 0, title.data);
			hanging(s, "", NULL, 0, counts.data);
		}
	}
	bd_buf_addc(s->out, '\n');
	bd_buf_release(&title);
	bd_buf_release(&counts);
}

static int write_summary(struct summary *s)
{
	struct layout l;
	int rc = group(s);

	if (rc)
		return rc;
	usage(s);
	fill_cells(s);
	if (s->n > 1)
		qsort(s->ps, s->n, sizeof(*s->ps), cmp_project);
	heading(s);
	if (!s->n)
		bd_buf_adds(s->out, "no project identified\n");
	else if (fit(s, &l))
		table(s, &l);
	else
		blocks(s);
	bd_buf_addc(s->out, '\n');
	closing_lines(s);
	return s->oom || !bd_buf_ok(s->out) ? BD_ENOMEM : 0;
}

int bd_emit_summary(const struct bd_graph *g,
		    const struct bd_emit_options *opts, struct bd_buf *out,
		    struct bd_error *err)
{
	struct summary s = { .g = g, .o = opts, .out = out };
	size_t n = g->ncomps + 1, c;
	int rc = BD_ENOMEM;
	/* Columns as a terminal counts them (cp_columns). */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;

	bd_arena_init(&s.arena);
	bd_map_init(&s.by_key);
	s.flags = calloc(n, 1);
	s.first_out = calloc(n, sizeof(*s.first_out));
	s.project_of = calloc(n, sizeof(*s.project_of));
	s.best = calloc(n, 1);
	s.dlopen_rank = calloc(n, 1);
	s.reached = calloc(n, sizeof(*s.reached));
	/* Each pass queues a component at most once. */
	s.queue = calloc(n, sizeof(*s.queue));
	if (s.flags && s.first_out && s.project_of && s.best && s.dlopen_rank &&
	    s.reached && s.queue && !bd_emit_holders_build(&s.holders, g)) {
		bd_emit_edge_flags(g, s.flags);
		rc = write_summary(&s);
	}
	for (c = 0; c < NCOLS; c++)
		free(s.values[c]);
	free(s.ps);
	free(s.flags);
	free(s.first_out);
	free(s.project_of);
	free(s.best);
	free(s.dlopen_rank);
	free(s.reached);
	free(s.queue);
	bd_emit_holders_release(&s.holders);
	bd_map_release(&s.by_key);
	bd_arena_release(&s.arena);
	if (utf8) {
		uselocale(old);
		freelocale(utf8);
	}
	return rc ? bd_error_set(err, rc, "out of memory writing the summary")
		  : 0;
}
