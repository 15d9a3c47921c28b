/* SPDX-License-Identifier: MIT */
/*
 * The graph for people to look at (--format dot): Graphviz's DOT language
 * (https://graphviz.org/doc/info/lang.html), drawn by `dot -Tsvg`.
 *
 * A node per component, as CycloneDX has one in "components": the scanned
 * files, the libraries they load, what is not found, the artifacts. An
 * edge per pair of components that edges join, as CycloneDX has one
 * dependsOn entry per pair (the target's own entry aside, which is no
 * node): a library both needed and dlopen'd is one edge, drawn as the
 * stronger. So the counts in the first comment line are those of the
 * CycloneDX document of the same run.
 *
 * Nodes are clustered by what holds them: the artifact a file was read
 * from, else the package (deb, wheel, npm, ...) that owns or bundles it,
 * else its upstream project. Every name and path is escaped: IDs are
 * "n<index>", labels quoted strings whose quotes, backslashes and '&' are
 * escaped and whose control bytes and invalid UTF-8 are "\xNN" text, so
 * that a hostile file name is text in the picture, never DOT.
 */
#include "bindep/emit.h"
#include "bindep/map.h"
#include "bindep/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How an edge is drawn, strongest last: a pair joined by several edges
 * is drawn as the strongest. */
enum style {
	STYLE_CONTAINS,
	STYLE_DEPENDS,
	STYLE_BUILD,
	STYLE_SUGGESTED,
	STYLE_RECOMMENDED,
	STYLE_REQUIRED,
	STYLE_STATIC,
	STYLE_INTERP,
	STYLE_NEEDED,
};

static const char *const edge_attrs[] = {
	[STYLE_CONTAINS] = "style=dotted, color=gray50, dir=back, "
			   "arrowtail=odiamond, tooltip=\"contains\"",
	[STYLE_DEPENDS] = "color=darkgreen, arrowsize=0.5, "
			  "tooltip=\"crate dependency\"",
	[STYLE_BUILD] = "style=dotted, color=darkgreen, "
			"tooltip=\"build dependency\"",
	[STYLE_SUGGESTED] = "style=dashed, color=gray60, "
			    "tooltip=\"dlopen: suggested\"",
	[STYLE_RECOMMENDED] = "style=dashed, color=blue, "
			      "tooltip=\"dlopen: recommended\"",
	[STYLE_REQUIRED] = "style=dashed, color=blue, penwidth=2, "
			   "tooltip=\"dlopen: required\"",
	[STYLE_STATIC] = "style=bold, color=darkgreen, tooltip=\"static\"",
	[STYLE_INTERP] = "color=gray40, tooltip=\"interpreter\"",
	[STYLE_NEEDED] = "tooltip=\"needed\"",
};

struct cluster {
	const char *label; /* escaped for DOT already */
	uint32_t *members;
	size_t n, alloc;
};

struct dot {
	const struct bd_graph *g;
	const struct bd_emit_options *o;
	struct bd_buf *out;
	unsigned char *flags; /* per component: BD_EMIT_* */
	struct bd_emit_holders holders;
	struct bd_emit_machines machines; /* to label a miss's machine */
	struct bd_map by_key;		  /* cluster key -> index */
	struct bd_buf keys;		  /* scratch */
	char **owned;			  /* cluster keys and labels, to free */
	size_t nowned, aowned;
	uint32_t *cluster_of; /* per component: index + 1, 0 for none */
	struct cluster *cs;
	size_t n, alloc;
	bool oom;
};

/* ---- DOT strings -------------------------------------------------------- */

/*
 * Hostile text as the inside of a DOT quoted string: control bytes and
 * invalid UTF-8 become "\xNN" text (bindep/utf8.h), then '"' and '\\' are
 * escaped (the only escapes of a quoted string; a backslash left alone
 * would start one of Graphviz's label escapes, \N or \l), and '&' becomes
 * "&amp;", as Graphviz reads entities in labels.
 */
static void dot_text(struct bd_buf *out, const char *s)
{
	struct bd_buf esc = BD_BUF_INIT;
	size_t i;

	bd_utf8_escape(&esc, s, strlen(s));
	for (i = 0; bd_buf_ok(&esc) && i < esc.len; i++) {
		char c = esc.data[i];

		if (c == '"' || c == '\\')
			bd_buf_addc(out, '\\');
		if (c == '&')
			bd_buf_adds(out, "&amp;");
		else
			bd_buf_addc(out, c);
	}
	if (!bd_buf_ok(&esc))
		bd_buf_adds(out, "?"); /* out of memory: the output fails */
	bd_buf_release(&esc);
}

static char *keep(struct dot *d, struct bd_buf *b)
{
	char *s = bd_buf_ok(b) ? bd_buf_detach(b, NULL) : NULL;

	if (s && BD_GROW(d->owned, d->aowned, d->nowned + 1)) {
		free(s);
		s = NULL;
	}
	if (!s) {
		d->oom = true;
		return NULL;
	}
	d->owned[d->nowned++] = s;
	return s;
}

/* ---- clusters ----------------------------------------------------------- */

/* The first "\n"-separated part of a label: a package, a project. */
static void package_part(struct bd_buf *label, const char *purl, bool version)
{
	const char *at = purl + bd_emit_purl_base(purl);
	struct bd_buf b = BD_BUF_INIT;

	if (!bd_emit_package_label(&b, purl))
		bd_emit_purl_name(&b, purl);
	if (version && *at == '@') {
		bd_buf_addc(&b, ' ');
		bd_emit_percent_decode(&b, at + 1, strcspn(at + 1, "?#"));
	}
	if (bd_buf_ok(&b))
		dot_text(label, bd_buf_str(&b));
	bd_buf_release(&b);
}

/* The cluster a component goes in: key (in d->keys) and label, or false
 * for none. */
static bool cluster_key(struct dot *d, uint32_t id, struct bd_buf *label)
{
	const struct bd_component *c = &d->g->comps[id];
	const struct bd_emit_holders *h = &d->holders;
	uint32_t a = id;
	const char *purl = NULL;

	bd_buf_reset(&d->keys);
	if (c->kind != BD_COMP_ARTIFACT && h->first[id] < h->first[id + 1])
		a = h->from[h->first[id]];
	if (d->g->comps[a].kind == BD_COMP_ARTIFACT) {
		const struct bd_component *art = &d->g->comps[a];

		bd_buf_printf(&d->keys, "artifact %u", a);
		dot_text(label, art->paths.n ? art->paths.items[0] : art->name);
		if (art->purl) {
			bd_buf_adds(label, "\\n");
			dot_text(label, art->purl);
		}
		return true;
	}
	if (c->bundled_in) {
		/* "npm @img/sharp-libvips-linux-x64 1.3.4" */
		purl = c->bundled_in;
		package_part(label, purl, true);
	} else if (c->purl && bd_emit_package_label(&d->keys, c->purl)) {
		/* "deb zlib1g", and the project when it is known */
		purl = c->purl;
		package_part(label, purl, false);
		if (c->upstream_purl) {
			bd_buf_adds(label, "\\n");
			package_part(label, c->upstream_purl, true);
		}
	} else if (c->upstream_purl) {
		/* "brotli 1.1.0": a copy no package owns */
		purl = c->upstream_purl;
		package_part(label, purl, true);
	}
	if (!purl)
		return false;
	bd_buf_reset(&d->keys);
	bd_buf_add(&d->keys, purl, bd_emit_purl_base(purl));
	return true;
}

static int add_member(struct dot *d, uint32_t id)
{
	struct bd_buf label = BD_BUF_INIT;
	uint32_t k;
	struct cluster *c;
	char *key;

	if (!cluster_key(d, id, &label)) {
		bd_buf_release(&label);
		return 0;
	}
	if (!bd_buf_ok(&d->keys))
		d->oom = true;
	if (!d->oom && !bd_map_get(&d->by_key, bd_buf_str(&d->keys), &k)) {
		key = keep(d, &d->keys);
		k = (uint32_t)d->n;
		if (!key || BD_GROW(d->cs, d->alloc, d->n + 1) ||
		    bd_map_put(&d->by_key, key, k)) {
			bd_buf_release(&label);
			return BD_ENOMEM;
		}
		memset(&d->cs[k], 0, sizeof(d->cs[k]));
		d->cs[k].label = keep(d, &label);
		d->n++;
	}
	bd_buf_release(&label);
	if (d->oom)
		return BD_ENOMEM;
	c = &d->cs[k];
	if (BD_GROW(c->members, c->alloc, c->n + 1))
		return BD_ENOMEM;
	c->members[c->n++] = id;
	d->cluster_of[id] = k + 1;
	return 0;
}

/* ---- nodes ----------------------------------------------------------------
 */

static const char *shape(const struct bd_component *c)
{
	switch (c->kind) {
	case BD_COMP_ARTIFACT: return "folder";
	case BD_COMP_ELF_OTHER: return "note";
	default: return "box";
	}
}

/* The name, the path it was found at, and what is not known of it; a
 * name missing, in a run of several machines, with the machine it is
 * missing for: "libc.so.6 (aarch64)" and "libc.so.6 (x86_64)" are two
 * nodes, as the summary and the text view tell them apart. */
static void node_label(struct dot *d, const struct bd_component *c)
{
	const char *name = c->name ? c->name : c->key;
	const char *path = bd_emit_shown_path(c);
	char label[BD_EMIT_MACHINE_LABEL];
	const char *machine =
		c->kind == BD_COMP_UNRESOLVED
			? bd_emit_machine_label(&d->machines, c, label)
			: NULL;

	dot_text(d->out, name);
	if (machine) {
		bd_buf_adds(d->out, " (");
		dot_text(d->out, machine);
		bd_buf_addc(d->out, ')');
	}
	if (path && strcmp(path, name)) {
		bd_buf_adds(d->out, "\\n");
		dot_text(d->out, path);
	}
	if (c->kind == BD_COMP_UNRESOLVED)
		bd_buf_adds(d->out, "\\nnot found");
	else if (!c->purl && !c->bundled_in && c->kind != BD_COMP_ARTIFACT)
		bd_buf_adds(d->out, "\\nunidentified");
}

static void node(struct dot *d, uint32_t id, const char *indent)
{
	const struct bd_component *c = &d->g->comps[id];
	bool scanned = bd_emit_scanned(d->g, d->flags, id);

	bd_buf_printf(d->out, "%s\"n%u\" [label=\"", indent, id);
	node_label(d, c);
	bd_buf_printf(d->out, "\", shape=%s", shape(c));
	if (c->kind == BD_COMP_UNRESOLVED)
		bd_buf_adds(d->out, ", style=\"dashed\", color=red, "
				    "fontcolor=red");
	else if (c->error)
		bd_buf_adds(d->out, ", style=\"filled\", fillcolor=mistyrose");
	else if (bd_emit_optional(d->flags, id))
		bd_buf_adds(d->out, ", style=\"dashed\"");
	else if (scanned)
		bd_buf_adds(d->out, ", style=\"bold\"");
	bd_buf_adds(d->out, ", tooltip=\"");
	dot_text(d->out, c->purl ? c->purl : c->key);
	bd_buf_adds(d->out, "\"];\n");
}

static void clusters(struct dot *d)
{
	size_t i, k;

	for (i = 0; i < d->n; i++) {
		const struct cluster *c = &d->cs[i];

		bd_buf_printf(d->out,
			      "\tsubgraph \"cluster_%zu\" {\n"
			      "\t\tlabel=\"%s\";\n"
			      "\t\tstyle=\"rounded\";\n"
			      "\t\tcolor=gray60;\n",
			      i, c->label ? c->label : "");
		for (k = 0; k < c->n; k++)
			node(d, c->members[k], "\t\t");
		bd_buf_adds(d->out, "\t}\n");
	}
}

/* ---- edges -------------------------------------------------------------- */

static enum style edge_style(const struct dot *d, const struct bd_edge *e)
{
	switch (e->kind) {
	case BD_EDGE_NEEDED:
		return bd_emit_static(d->g, d->flags, e->to) ? STYLE_STATIC
							     : STYLE_NEEDED;
	case BD_EDGE_INTERP: return STYLE_INTERP;
	case BD_EDGE_CONTAINS: return STYLE_CONTAINS;
	case BD_EDGE_BUILD: return STYLE_BUILD;
	case BD_EDGE_DEPENDS: return STYLE_DEPENDS;
	case BD_EDGE_DLOPEN_NOTE:
		return (enum style)(STYLE_SUGGESTED - 1 +
				    bd_emit_dlopen_rank(e->dlopen));
	default: return STYLE_STATIC; /* a kind of compiled-in code */
	}
}

/* Edges are sorted by source, then target (bd_graph_sort): the edges of a
 * pair are next to each other. */
static void edges(struct dot *d)
{
	const struct bd_graph *g = d->g;
	size_t i = 0, j;

	while (i < g->nedges) {
		enum style best = edge_style(d, &g->edges[i]);

		for (j = i + 1;
		     j < g->nedges && g->edges[j].from == g->edges[i].from &&
		     g->edges[j].to == g->edges[i].to;
		     j++) {
			enum style s = edge_style(d, &g->edges[j]);

			if (s > best)
				best = s;
		}
		bd_buf_printf(d->out, "\t\"n%u\" -> \"n%u\" [%s];\n",
			      g->edges[i].from, g->edges[i].to,
			      edge_attrs[best]);
		i = j;
	}
}

/* ---- the graph ------------------------------------------------------------
 */

/* The edges drawn: one per pair of components joined. */
static size_t pairs(const struct bd_graph *g)
{
	size_t i, n = 0;

	for (i = 0; i < g->nedges; i++)
		n += !i || g->edges[i].from != g->edges[i - 1].from ||
		     g->edges[i].to != g->edges[i - 1].to;
	return n;
}

static bool has_kind(const struct bd_graph *g, enum bd_edge_kind kind)
{
	size_t i;

	for (i = 0; i < g->nedges; i++) {
		if (g->edges[i].kind == kind)
			return true;
	}
	return false;
}

static int write_dot(struct dot *d)
{
	const struct bd_graph *g = d->g;
	size_t i;

	for (i = 0; i < g->ncomps; i++) {
		if (add_member(d, (uint32_t)i))
			return BD_ENOMEM;
	}
	bd_buf_printf(d->out,
		      "// bindep-sbom: %zu nodes (CycloneDX's components), %zu "
		      "edges (its dependsOn entries,\n"
		      "// the target's aside);\n",
		      g->ncomps, pairs(g));
	bd_buf_adds(d->out,
		    "// edges: needed solid, interpreter grey, static bold "
		    "green, dlopen dashed (required thick\n"
		    "// blue, recommended blue, suggested grey), contains "
		    "dotted with a diamond at the artifact,\n"
		    "// build dependency dotted green;\n");
	/* Said only where drawn: a graph without crates reads as it did. */
	if (has_kind(g, BD_EDGE_DEPENDS))
		bd_buf_adds(d->out, "// a crate's dependency thin green with "
				    "a small arrow;\n");
	bd_buf_adds(d->out,
		    "// nodes: scanned files bold, not found red and dashed, "
		    "only dlopen'd dashed.\n"
		    "digraph \"bindep-sbom\" {\n"
		    "\tgraph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", "
		    "label=\"");
	dot_text(d->out, d->o->source_name ? d->o->source_name : "");
	if (d->o->source_version) {
		bd_buf_addc(d->out, ' ');
		dot_text(d->out, d->o->source_version);
	}
	bd_buf_adds(d->out, "\"];\n"
			    "\tnode [fontname=\"Helvetica\", fontsize=10];\n"
			    "\tedge [fontname=\"Helvetica\", fontsize=8];\n");
	clusters(d);
	for (i = 0; i < g->ncomps; i++) {
		if (!d->cluster_of[i])
			node(d, (uint32_t)i, "\t");
	}
	edges(d);
	bd_buf_adds(d->out, "}\n");
	if (d->oom || !bd_buf_ok(d->out))
		return BD_ENOMEM;
	return 0;
}

int bd_emit_dot(const struct bd_graph *g, const struct bd_emit_options *opts,
		struct bd_buf *out, struct bd_error *err)
{
	struct dot d = { .g = g, .o = opts, .out = out };
	size_t i;
	int rc = BD_ENOMEM;

	bd_map_init(&d.by_key);
	bd_buf_init(&d.keys);
	d.flags = calloc(g->ncomps + 1, 1);
	d.cluster_of = calloc(g->ncomps + 1, sizeof(*d.cluster_of));
	if (d.flags && d.cluster_of && !bd_emit_holders_build(&d.holders, g) &&
	    !bd_emit_machines_build(&d.machines, g)) {
		bd_emit_edge_flags(g, d.flags);
		rc = write_dot(&d);
	}
	for (i = 0; i < d.n; i++)
		free(d.cs[i].members);
	for (i = 0; i < d.nowned; i++)
		free(d.owned[i]);
	free(d.owned);
	free(d.cs);
	free(d.flags);
	free(d.cluster_of);
	bd_buf_release(&d.keys);
	bd_map_release(&d.by_key);
	bd_emit_holders_release(&d.holders);
	bd_emit_machines_release(&d.machines);
	return rc ? bd_error_set(err, rc, "out of memory writing the graph")
		  : 0;
}
