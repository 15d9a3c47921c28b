/* SPDX-License-Identifier: MIT */
/*
 * The funding report (--format funding): one row per upstream project the
 * scanned files use, with what a funding programme needs (repository,
 * licences, funding links, maintainers) and how much the release relies on
 * it: which scanned files use it, and how (bundled: the file is a copy of
 * it; direct: DT_NEEDED; transitive; dlopen: only through .note.dlopen;
 * build: the build of a file used it, which the file does not hold).
 * Projects are sorted by how many scanned files use them. A release
 * artifact (a wheel, a .deb) is neither a project nor a user of one: its
 * files are, and holding a file is no use of it.
 */
#include "bindep/emit.h"
#include "bindep/json.h"
#include "bindep/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	HOW_BUNDLED = 1,
	HOW_DIRECT = 2,
	HOW_TRANSITIVE = 4,
	HOW_DLOPEN = 8,
	HOW_BUILD = 16
};

static const char *const how_names[] = { "bundled", "direct", "transitive",
					 "dlopen", "build" };

struct project {
	char *key;	  /* versionless purl */
	const char *name; /* upstream name, else the purl's name */
	char *own_name;	  /* the purl's name, when name is it */
	uint32_t *comps;  /* its components */
	size_t ncomps, acomps;
	unsigned char *how; /* per artifact (graph order): HOW_* */
	size_t artifacts, edges;
	unsigned all_how;
};

struct report {
	const struct bd_graph *g;
	struct project *ps;
	size_t n, alloc;
	uint32_t *project_of; /* per component: index + 1, 0 for none */
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	unsigned char *reach; /* scratch per component */
	uint32_t *queue;
	size_t *first_out; /* per component: its first edge (sorted by source)
			    */
};

/* ---- projects ------------------------------------------------------------ */

static char *project_key(const struct bd_component *c)
{
	const char *purl = c->upstream_purl ? c->upstream_purl : c->purl;
	size_t len;
	char *s;

	if (!purl)
		return NULL;
	len = strcspn(purl, "@?#");
	s = malloc(len + 1);
	if (s) {
		memcpy(s, purl, len);
		s[len] = '\0';
	}
	return s;
}

/* The purl's name as people write it, as the summary names a package:
 * percent-decoded ("libsigc++"), an npm package with its scope
 * ("@babel/core"). NULL when out of memory. */
static char *purl_name(const char *key)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_emit_purl_name(&b, key);
	if (!bd_buf_ok(&b)) {
		bd_buf_release(&b);
		return NULL;
	}
	return bd_buf_detach(&b, NULL);
}

/* Names project p after c, the first of its components. */
static int name_project(struct project *p, const struct bd_component *c)
{
	if (c->upstream) {
		p->name = c->upstream;
		return 0;
	}
	p->own_name = purl_name(p->key);
	p->name = p->own_name;
	return p->own_name ? 0 : BD_ENOMEM;
}

static int group(struct report *r)
{
	size_t i, k;

	for (i = 0; i < r->g->ncomps; i++) {
		const struct bd_component *c = &r->g->comps[i];
		char *key = c->kind == BD_COMP_ARTIFACT ? NULL : project_key(c);
		struct project *p;

		if (!key)
			continue;
		for (k = 0; k < r->n && strcmp(r->ps[k].key, key); k++)
			;
		if (k == r->n) {
			if (BD_GROW(r->ps, r->alloc, r->n + 1)) {
				free(key);
				return BD_ENOMEM;
			}
			memset(&r->ps[k], 0, sizeof(r->ps[k]));
			r->ps[k].key = key;
			r->n++;
			if (name_project(&r->ps[k], c))
				return BD_ENOMEM;
		} else {
			free(key);
		}
		p = &r->ps[k];
		if (BD_GROW(p->comps, p->acomps, p->ncomps + 1))
			return BD_ENOMEM;
		p->comps[p->ncomps++] = (uint32_t)i;
		r->project_of[i] = (uint32_t)k + 1;
	}
	return 0;
}

/* ---- how each scanned file reaches each project --------------------- */

enum { REQUIRED = 1, ANY = 2 };

/* Marks with bit what start reaches, through needed edges only or all. */
static void walk(struct report *r, uint32_t start, bool with_dlopen,
		 unsigned char bit)
{
	const struct bd_graph *g = r->g;
	size_t head = 0, tail = 0, e;

	r->queue[tail++] = start;
	r->reach[start] |= bit;
	while (head < tail) {
		uint32_t at = r->queue[head++];

		for (e = r->first_out[at];
		     e < g->nedges && g->edges[e].from == at; e++) {
			const struct bd_edge *x = &g->edges[e];

			/* A crate's dependency is no use by the file:
			 * the file's own edges name each crate it was
			 * built with (emit_summary.c, weight). */
			if ((r->reach[x->to] & bit) ||
			    x->kind == BD_EDGE_CONTAINS ||
			    x->kind == BD_EDGE_DEPENDS ||
			    (!with_dlopen && x->kind == BD_EDGE_DLOPEN_NOTE))
				continue;
			r->reach[x->to] |= bit;
			r->queue[tail++] = x->to;
		}
	}
}

static void uses_of(struct report *r, uint32_t a, size_t ai)
{
	const struct bd_graph *g = r->g;
	size_t i, e;

	memset(r->reach, 0, g->ncomps);
	walk(r, a, false, REQUIRED);
	walk(r, a, true, ANY);
	for (i = 0; i < g->ncomps; i++) {
		uint32_t p = r->project_of[i];
		unsigned how = 0;

		if (!p || !r->reach[i])
			continue;
		if (i == a)
			how = HOW_BUNDLED;
		else if (!(r->reach[i] & REQUIRED))
			how = HOW_DLOPEN;
		else
			how = HOW_TRANSITIVE;
		for (e = r->first_out[a];
		     how == HOW_TRANSITIVE && e < g->nedges &&
		     g->edges[e].from == a;
		     e++) {
			/* Compiled in is as direct as it gets; the file's
			 * build using it is no use of it by the file. */
			if (g->edges[e].to == i &&
			    (g->edges[e].kind == BD_EDGE_NEEDED ||
			     g->edges[e].kind == BD_EDGE_INTERP ||
			     g->edges[e].kind == BD_EDGE_STATIC))
				how = HOW_DIRECT;
			else if (g->edges[e].to == i &&
				 g->edges[e].kind == BD_EDGE_BUILD)
				how = HOW_BUILD;
		}
		r->ps[p - 1].how[ai] |= (unsigned char)how;
	}
}

static int usage(struct report *r)
{
	const struct bd_graph *g = r->g;
	size_t i, k, ai = 0, e = 0;

	for (i = 0; i < g->ncomps; i++) {
		ai += bd_emit_scanned(g, r->flags, (uint32_t)i);
		while (e < g->nedges && g->edges[e].from < i)
			e++;
		r->first_out[i] = e;
	}
	for (k = 0; k < r->n; k++) {
		r->ps[k].how = calloc(ai + 1, 1);
		if (!r->ps[k].how)
			return BD_ENOMEM;
	}
	for (i = 0, ai = 0; i < g->ncomps; i++) {
		if (bd_emit_scanned(g, r->flags, (uint32_t)i))
			uses_of(r, (uint32_t)i, ai++);
	}
	for (i = 0; i < g->nedges; i++) {
		if (r->project_of[g->edges[i].to] &&
		    g->edges[i].kind != BD_EDGE_CONTAINS)
			r->ps[r->project_of[g->edges[i].to] - 1].edges++;
	}
	for (k = 0; k < r->n; k++) {
		for (i = 0; i < ai; i++) {
			r->ps[k].artifacts += r->ps[k].how[i] != 0;
			r->ps[k].all_how |= r->ps[k].how[i];
		}
	}
	return 0;
}

static int cmp_project(const void *pa, const void *pb)
{
	const struct project *a = pa, *b = pb;

	if (a->artifacts != b->artifacts)
		return a->artifacts > b->artifacts ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* ---- what a project's components say ----------------------------------- */

struct strset {
	const char **items;
	size_t n, alloc;
};

static void add_unique(struct strset *s, const char *v, bool *oom)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->items[i], v))
			return;
	}
	if (BD_GROW(s->items, s->alloc, s->n + 1))
		*oom = true;
	else
		s->items[s->n++] = v;
}

struct facts {
	const char *repository, *homepage;
	struct strset licenses, funding, maintainers, components;
};

static void gather(const struct report *r, const struct project *p,
		   struct facts *f, bool *oom)
{
	size_t i, k;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < p->ncomps; i++) {
		const struct bd_component *c = &r->g->comps[p->comps[i]];

		if (!f->repository)
			f->repository = c->repository;
		if (!f->homepage)
			f->homepage = c->homepage;
		add_unique(&f->licenses, c->license, oom);
		add_unique(&f->components, c->name, oom);
		for (k = 0; k < c->funding.n; k++)
			add_unique(&f->funding, c->funding.items[k], oom);
		for (k = 0; k < c->maintainers.n; k++)
			add_unique(&f->maintainers, c->maintainers.items[k],
				   oom);
	}
}

static void release_facts(struct facts *f)
{
	free(f->licenses.items);
	free(f->funding.items);
	free(f->maintainers.items);
	free(f->components.items);
}

/* ---- JSON -----------------------------------------------------------------
 */

static void json_list(struct bd_json *j, const char *key,
		      const struct strset *s)
{
	size_t i;

	bd_json_begin_array(j, key);
	for (i = 0; i < s->n; i++)
		bd_json_add_string(j, NULL, s->items[i]);
	bd_json_end_array(j);
}

static void json_how(struct bd_json *j, unsigned how)
{
	size_t b;

	bd_json_begin_array(j, "how");
	for (b = 0; b < BD_ARRAY_SIZE(how_names); b++) {
		if (how & (1u << b))
			bd_json_add_string(j, NULL, how_names[b]);
	}
	bd_json_end_array(j);
}

static void json_project(struct bd_json *j, const struct report *r,
			 const struct project *p, const uint32_t *arts,
			 bool *oom)
{
	struct facts f;
	size_t i;

	gather(r, p, &f, oom);
	bd_json_begin_object(j, NULL);
	bd_json_add_string(j, "name", p->name);
	bd_json_add_string(j, "purl", p->key);
	bd_json_add_string(j, "repository", f.repository);
	bd_json_add_string(j, "homepage", f.homepage);
	json_list(j, "licenses", &f.licenses);
	json_list(j, "funding", &f.funding);
	json_list(j, "maintainers", &f.maintainers);
	json_list(j, "components", &f.components);
	bd_json_add_number(j, "artifacts", (double)p->artifacts);
	bd_json_add_number(j, "edges", (double)p->edges);
	json_how(j, p->all_how);
	bd_json_begin_array(j, "used_by");
	for (i = 0; p->how && arts[i] != UINT32_MAX; i++) {
		const struct bd_component *a = &r->g->comps[arts[i]];

		if (!p->how[i])
			continue;
		bd_json_begin_object(j, NULL);
		bd_json_add_string(j, "artifact",
				   a->paths.n ? a->paths.items[0] : a->name);
		json_how(j, p->how[i]);
		bd_json_end_object(j);
	}
	bd_json_end_array(j);
	bd_json_end_object(j);
	release_facts(&f);
}

static int write_json(const struct report *r, const uint32_t *arts,
		      const struct bd_emit_options *o, struct bd_buf *out)
{
	struct bd_emit_buf_sink sink;
	struct bd_json j;
	char ts[32];
	bool oom = false;
	size_t i, unknown = 0;
	int rc;

	bd_emit_buf_sink_init(&sink, out);
	bd_json_init(&j, &sink.sink, false);
	bd_emit_timestamp(o->timestamp, ts);
	bd_json_begin_object(&j, NULL);
	bd_json_add_string(&j, "generator", BD_PROGRAM " " BD_VERSION);
	bd_json_add_string(&j, "timestamp", ts);
	bd_json_add_string(&j, "target", o->source_name);
	bd_json_add_string(&j, "targetVersion", o->source_version);
	bd_json_begin_array(&j, "projects");
	for (i = 0; i < r->n; i++)
		json_project(&j, r, &r->ps[i], arts, &oom);
	bd_json_end_array(&j);
	for (i = 0; i < r->g->ncomps; i++)
		unknown += !r->project_of[i] &&
			   r->g->comps[i].kind != BD_COMP_ARTIFACT;
	bd_json_add_number(&j, "unidentifiedComponents", (double)unknown);
	bd_json_end_object(&j);
	rc = bd_json_finish(&j);
	bd_json_release(&j);
	return oom ? BD_ENOMEM : rc;
}

/* ---- CSV (RFC 4180) and Markdown ---------------------------------------- */

/* What a spreadsheet takes for the start of a formula (OWASP). */
static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

void bd_emit_csv_field(struct bd_buf *b, const char *s, bool last)
{
	if (s)
		bd_buf_add_csv_field(b, s, formula_start(s[0]) ? "'" : NULL);
	bd_buf_adds(b, last ? "\r\n" : ",");
}

/* Several values in one cell, space-separated (URLs have no spaces). */
static const char *joined(struct bd_buf *tmp, const struct strset *s,
			  const char *sep)
{
	size_t i;

	bd_buf_reset(tmp);
	for (i = 0; i < s->n; i++)
		bd_buf_printf(tmp, "%s%s", i ? sep : "", s->items[i]);
	return bd_buf_ok(tmp) ? bd_buf_str(tmp) : "";
}

static const char *how_text(struct bd_buf *tmp, unsigned how)
{
	size_t b;

	bd_buf_reset(tmp);
	for (b = 0; b < BD_ARRAY_SIZE(how_names); b++) {
		if (how & (1u << b))
			bd_buf_printf(tmp, "%s%s", tmp->len ? " " : "",
				      how_names[b]);
	}
	return bd_buf_ok(tmp) ? bd_buf_str(tmp) : "";
}

/*
 * A CSV cell of hostile text (online answers, file names): C0, DEL, C1 and
 * invalid UTF-8 become "\xNN" as in the text view (utf8.h), so that a
 * spreadsheet or a terminal showing the file gets no control bytes.
 */
static void csv_text(struct bd_buf *out, struct bd_buf *esc, const char *s,
		     bool last)
{
	bd_buf_reset(esc);
	if (s)
		bd_utf8_escape(esc, s, strlen(s));
	bd_emit_csv_field(out, s && bd_buf_ok(esc) ? bd_buf_str(esc) : NULL,
			  last);
}

static void csv_row(const struct report *r, const struct project *p,
		    struct bd_buf *out, struct bd_buf *tmp, bool *oom)
{
	struct bd_buf esc = BD_BUF_INIT;
	struct facts f;
	char num[64];

	gather(r, p, &f, oom);
	csv_text(out, &esc, p->name, false);
	csv_text(out, &esc, p->key, false);
	csv_text(out, &esc, f.repository, false);
	csv_text(out, &esc, joined(tmp, &f.licenses, " "), false);
	csv_text(out, &esc, joined(tmp, &f.funding, " "), false);
	csv_text(out, &esc, joined(tmp, &f.maintainers, "; "), false);
	snprintf(num, sizeof(num), "%zu", p->artifacts);
	bd_emit_csv_field(out, num, false);
	snprintf(num, sizeof(num), "%zu", p->edges);
	bd_emit_csv_field(out, num, false);
	bd_emit_csv_field(out, how_text(tmp, p->all_how), false);
	csv_text(out, &esc, joined(tmp, &f.components, " "), true);
	if (!bd_buf_ok(&esc))
		*oom = true;
	bd_buf_release(&esc);
	release_facts(&f);
}

/*
 * Markdown text from hostile input: controls and invalid UTF-8 as "\xNN"
 * (utf8.h), then every ASCII punctuation character that could start
 * markup (a link, an autolink, raw HTML, an entity, emphasis, a table
 * cell) backslash-escaped (CommonMark 0.30 section 2.4), so that the text
 * shows as it is and never becomes a link.
 */
static void md_text(struct bd_buf *b, const char *s)
{
	struct bd_buf esc = BD_BUF_INIT;
	size_t i;

	if (!s)
		return;
	bd_utf8_escape(&esc, s, strlen(s));
	for (i = 0; bd_buf_ok(&esc) && i < esc.len; i++) {
		if (strchr("\\`*_[]<>|&!#~", esc.data[i]))
			bd_buf_addc(b, '\\');
		bd_buf_addc(b, esc.data[i]);
	}
	if (!bd_buf_ok(&esc))
		bd_buf_adds(b, "?"); /* out of memory: the output fails too */
	bd_buf_release(&esc);
}

/*
 * Whether s may be shown as a link: http or https only (a javascript: or
 * data: URL must never become one), and nothing that would end an
 * autolink or a table cell early, or need escaping, nor '[' and ']',
 * which would make "https://x/[t](https://y)" a link whose text is not
 * its target (CommonMark 6.3, 6.5): bd_url_ok.
 */
static bool md_link_ok(const char *s)
{
	return bd_url_ok(s);
}

/* A URL: as it is when md_link_ok() (GitHub links it), else as text. */
static void md_url(struct bd_buf *b, const char *s)
{
	if (s && md_link_ok(s))
		bd_buf_adds(b, s);
	else
		md_text(b, s);
}

/* A maintainer is "login <html_url>" (enrich.c): the <url> an autolink
 * only when it is a safe http(s) link; all the rest text. */
static void md_person(struct bd_buf *b, const char *s)
{
	const char *open = strstr(s, " <");
	size_t len = strlen(s);

	if (open && s[len - 1] == '>') {
		struct bd_buf url = BD_BUF_INIT;

		bd_buf_add(&url, open + 2, (size_t)(s + len - 1 - (open + 2)));
		if (bd_buf_ok(&url) && md_link_ok(url.data)) {
			struct bd_buf id = BD_BUF_INIT;

			bd_buf_add(&id, s, (size_t)(open - s));
			md_text(b, bd_buf_ok(&id) ? id.data : "?");
			bd_buf_printf(b, " <%s>", url.data);
			bd_buf_release(&id);
			bd_buf_release(&url);
			return;
		}
		bd_buf_release(&url);
	}
	md_text(b, s);
}

enum md_kind { MD_TEXT, MD_URL, MD_PERSON };

/* A cell of several values: each shown by its kind, sep between. */
static void md_list(struct bd_buf *b, const struct strset *s, const char *sep,
		    enum md_kind kind)
{
	size_t i;

	bd_buf_adds(b, " ");
	for (i = 0; i < s->n; i++) {
		if (i)
			bd_buf_adds(b, sep);
		if (kind == MD_URL)
			md_url(b, s->items[i]);
		else if (kind == MD_PERSON)
			md_person(b, s->items[i]);
		else
			md_text(b, s->items[i]);
	}
	bd_buf_adds(b, " |");
}

/* A cell of one value. */
static void md_cell(struct bd_buf *b, const char *s, enum md_kind kind)
{
	const char *one[1] = { s };
	struct strset set = { one, s ? 1 : 0, 1 };

	md_list(b, &set, "", kind);
}

static void md_row(const struct report *r, const struct project *p,
		   struct bd_buf *out, struct bd_buf *tmp, bool *oom)
{
	struct facts f;
	char num[64];

	gather(r, p, &f, oom);
	bd_buf_adds(out, "|");
	md_cell(out, p->name, MD_TEXT);
	md_cell(out, f.repository ? f.repository : p->key,
		f.repository ? MD_URL : MD_TEXT);
	snprintf(num, sizeof(num), "%zu", p->artifacts);
	md_cell(out, num, MD_TEXT);
	md_cell(out, how_text(tmp, p->all_how), MD_TEXT);
	md_list(out, &f.licenses, ", ", MD_TEXT);
	md_list(out, &f.funding, "<br>", MD_URL);
	md_list(out, &f.maintainers, ", ", MD_PERSON);
	bd_buf_addc(out, '\n');
	release_facts(&f);
}

static int write_table(const struct report *r, bool markdown,
		       const struct bd_emit_options *o, struct bd_buf *out)
{
	struct bd_buf tmp = BD_BUF_INIT;
	bool oom = false;
	size_t i;

	if (markdown) {
		bd_buf_adds(out, "# Upstream projects ");
		md_text(out, o->source_name);
		bd_buf_adds(out, " depends on\n\n"
				 "| Project | Repository | Used by | How | "
				 "Licences | Funding | Maintainers |\n"
				 "|---|---|---|---|---|---|---|\n");
	} else
		bd_buf_adds(out, "project,purl,repository,licenses,funding,"
				 "maintainers,artifacts,edges,how,"
				 "components\r\n");
	for (i = 0; i < r->n; i++) {
		if (markdown)
			md_row(r, &r->ps[i], out, &tmp, &oom);
		else
			csv_row(r, &r->ps[i], out, &tmp, &oom);
	}
	bd_buf_release(&tmp);
	return oom || !bd_buf_ok(out) ? BD_ENOMEM : 0;
}

/* ---- the report ------------------------------------------------------------
 */

static void release(struct report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->ps[i].key);
		free(r->ps[i].own_name);
		free(r->ps[i].comps);
		free(r->ps[i].how);
	}
	free(r->ps);
	free(r->project_of);
	free(r->flags);
	free(r->reach);
	free(r->queue);
	free(r->first_out);
}

int bd_emit_funding(const struct bd_graph *g,
		    const struct bd_emit_options *opts, struct bd_buf *out,
		    struct bd_error *err)
{
	struct report r = { .g = g };
	uint32_t *arts = calloc(g->ncomps + 1, sizeof(*arts));
	size_t i, k = 0;
	int rc = BD_ENOMEM;

	r.project_of = calloc(g->ncomps + 1, sizeof(*r.project_of));
	r.flags = calloc(g->ncomps + 1, 1);
	r.reach = calloc(g->ncomps + 1, 1);
	r.queue = calloc(g->ncomps + 1, sizeof(*r.queue));
	r.first_out = calloc(g->ncomps + 1, sizeof(*r.first_out));
	if (r.flags)
		bd_emit_edge_flags(g, r.flags);
	if (arts && r.project_of && r.flags && r.reach && r.queue &&
	    r.first_out && !group(&r) && !usage(&r)) {
		for (i = 0; i < g->ncomps; i++) {
			if (bd_emit_scanned(g, r.flags, (uint32_t)i))
				arts[k++] = (uint32_t)i;
		}
		arts[k] = UINT32_MAX;
		/* No project: r.ps is NULL, which qsort may not get. */
		if (r.n)
			qsort(r.ps, r.n, sizeof(*r.ps), cmp_project);
		if (opts->funding_format == BD_FUNDING_JSON)
			rc = write_json(&r, arts, opts, out);
		else
			rc = write_table(
				&r, opts->funding_format == BD_FUNDING_MARKDOWN,
				opts, out);
	}
	free(arts);
	release(&r);
	return rc ? bd_error_set(err, rc, "out of memory writing the report")
		  : 0;
}
