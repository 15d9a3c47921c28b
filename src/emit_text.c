/* SPDX-License-Identifier: MIT */
/*
 * The human-readable view: one tree per scanned file, the way lddtree draws
 * it, with what each library is. By default only the direct needs are
 * drawn (--depth 1); deeper, each library is drawn once per tree, at the
 * shallowest level it is needed from, as lddtree does: libc is not repeated
 * under every library that needs it.
 *
 *   dist/bin/app  pkg:deb/debian/fixture@1.2-3?arch=amd64
 *       ld-linux-x86-64.so.2 => /lib64/ld-linux-x86-64.so.2  [interpreter]  ...
 *       libfoo.so.1 => dist/lib/libfoo.so.1  [rpath]  unidentified
 *           libdep.so.1 => dist/lib/libdep.so.1  [runpath]  unidentified
 *       libzstd.so.1 => not found  [dlopen: recommended, feature zstd]
 *
 * A file read from a release artifact says which holds it; the artifacts
 * themselves load nothing and get no tree:
 *
 *   dist/x.whl!/x/_x.so  pkg:pypi/x@1.0
 *       in dist/x.whl (pkg:pypi/x@1.0)
 *       libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6  [ld.so.cache]  ...
 *
 * A crate compiled in names the crates it depends on below it, from
 * --depth 2, each a line of its own that is not drawn further (it has
 * its own line where the file holds it), those of this tree only:
 *
 *   target/release/tool  unidentified
 *       serde => (compiled in)  [statically linked]  pkg:cargo/serde@1.0.197
 *           serde_derive => (crate dependency)  pkg:cargo/serde_derive@1.0.197
 *
 * Then what only an SBOM an artifact carries lists:
 *
 *   libbar  pkg:deb/debian/libbar@9?arch=amd64
 *       declared in dist/x.whl!/x-1.0.dist-info/sboms/auditwheel.cdx.json
 */
#include "bindep/emit.h"
#include "bindep/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Deeper than any real tree; a crafted chain stops here, with a line that
 * says so. */
#define MAX_DEPTH 48

/* ANSI SGR sequences (ECMA-48). */
#define SGR_BOLD   "1"
#define SGR_DIM	   "2"
#define SGR_RED	   "1;31"
#define SGR_GREEN  "32"
#define SGR_YELLOW "33"
#define SGR_CYAN   "36"

/* An edge to draw, with its sort keys. */
struct child {
	struct bd_edge e;
	size_t rank[2]; /* edge kind; position in DT_NEEDED */
	size_t order;	/* in the graph */
};

struct view {
	const struct bd_graph *g;
	const struct bd_emit_options *o;
	bool color;
	struct bd_buf *out;
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	struct bd_emit_holders holders;
	uint32_t *drawn;   /* per component: the tree it was expanded in */
	size_t *first_out; /* per component: its first edge, edges by source */
	uint32_t tree;	   /* the current tree, from 1 */
	unsigned depth;	   /* the levels to draw, at most MAX_DEPTH */
	bool capped;	   /* --depth all, or more than MAX_DEPTH */
	/* The level each component is first needed at in the current tree
	 * (a breadth-first search from its root): valid where seen[id] is
	 * the tree. */
	unsigned *level;
	uint32_t *seen;
	uint32_t *queue;
	struct child *kids;
	size_t nkids, akids; /* a stack of child lists, one per level */
	/* Its ELF kinds: a name not found says its machine in a run of
	 * several. */
	struct bd_emit_machines machines;
};

/* Names come from the files: their control bytes are shown as "\x1b",
 * never sent to the terminal (bindep/utf8.h). */
static void put(struct view *v, const char *text)
{
	bd_utf8_escape(v->out, text, strlen(text));
}

static void paint(struct view *v, const char *sgr, const char *text)
{
	if (v->color)
		bd_buf_printf(v->out, "\033[%sm", sgr);
	put(v, text);
	if (v->color)
		bd_buf_adds(v->out, "\033[0m");
}

static void indent(struct view *v, unsigned depth)
{
	bd_buf_printf(v->out, "%*s", (int)(4 * depth), "");
}

/* The package, or "unidentified". */
static void identity(struct view *v, const struct bd_component *c)
{
	bd_buf_adds(v->out, "  ");
	if (c->purl)
		paint(v, SGR_GREEN, c->purl);
	else
		paint(v, SGR_YELLOW, "unidentified");
}

/* ---- one edge ---------------------------------------------------------- */

/* How the target was reached: "[rpath]", "[interpreter]", "[dlopen: ...]". */
static void how(struct view *v, const struct bd_edge *e,
		const struct bd_component *to)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *via = to->resolved_via;

	bd_buf_addc(&b, '[');
	if (e->kind == BD_EDGE_INTERP)
		bd_buf_adds(&b, "interpreter");
	else if (e->kind == BD_EDGE_STATIC)
		bd_buf_adds(&b, "statically linked");
	else if (e->kind == BD_EDGE_BUILD)
		bd_buf_adds(&b, "build dependency: " BD_EMIT_BUILD_SAID);
	else if (e->kind == BD_EDGE_DLOPEN_NOTE)
		bd_buf_printf(&b, "dlopen, optional: %s%s%s%s%s",
			      e->dlopen->priority,
			      e->dlopen->feature ? ", feature " : "",
			      e->dlopen->feature ? e->dlopen->feature : "",
			      via ? ", " : "", via ? via : "");
	/* The edge's own: its library may be found by a search elsewhere. */
	else if (e->preloaded)
		bd_buf_adds(&b, "preloaded: " BD_EMIT_PRELOADED_SAID);
	else if (bd_emit_static(v->g, v->flags, e->to))
		bd_buf_adds(&b, "static");
	else
		bd_buf_adds(&b, via ? via : "needed");
	bd_buf_addc(&b, ']');
	bd_buf_adds(v->out, "  ");
	if (bd_buf_ok(&b))
		paint(v, e->kind == BD_EDGE_DLOPEN_NOTE ? SGR_CYAN : SGR_DIM,
		      bd_buf_str(&b));
	bd_buf_release(&b);
}

static bool has_edges(const struct view *v, uint32_t id)
{
	size_t e = v->first_out[id];

	return e < v->g->nedges && v->g->edges[e].from == id;
}

/* "not found", and in a run of several machines which one it is not
 * found for: "not found (aarch64)". */
static void not_found(struct view *v, const struct bd_component *to)
{
	char label[BD_EMIT_MACHINE_LABEL];
	const char *machine = bd_emit_machine_label(&v->machines, to, label);

	paint(v, SGR_RED, "not found");
	if (machine)
		bd_buf_printf(v->out, " (%s)", machine);
}

/* A library already drawn in this tree is named again, with what this
 * edge says (an optional dlopen), but not what it is. */
static void edge_line(struct view *v, const struct bd_edge *e, unsigned depth,
		      bool again)
{
	const struct bd_component *to = &v->g->comps[e->to];

	indent(v, depth);
	put(v, to->name);
	bd_buf_adds(v->out, " => ");
	if (to->kind == BD_COMP_UNRESOLVED)
		not_found(v, to);
	else if (e->kind == BD_EDGE_BUILD)
		bd_buf_adds(v->out, "(built with)");
	else if (to->kind == BD_COMP_STATIC ||
		 (!to->paths.n && bd_emit_static(v->g, v->flags, e->to)))
		bd_buf_adds(v->out, "(compiled in)");
	else
		put(v, to->paths.n ? bd_emit_shown_path(to) : "(no path)");
	if (!again || e->kind != BD_EDGE_NEEDED)
		how(v, e, to);
	if (again)
		bd_buf_adds(v->out, "  (see above)");
	else if (to->kind != BD_COMP_UNRESOLVED)
		identity(v, to);
	bd_buf_addc(v->out, '\n');
}

/* A crate's dependency: named, with what it is, never drawn further
 * (draw_children). */
static void dependency_line(struct view *v, const struct bd_edge *e,
			    unsigned depth)
{
	const struct bd_component *to = &v->g->comps[e->to];

	indent(v, depth);
	put(v, to->name);
	bd_buf_adds(v->out, " => ");
	paint(v, SGR_DIM, "(crate dependency)");
	identity(v, to);
	bd_buf_addc(v->out, '\n');
}

/* ---- children, in the order the loader sees them --------------------- */

/* The position of a target in its parent's DT_NEEDED list, else after. */
static size_t needed_rank(const struct bd_component *from,
			  const struct bd_component *to)
{
	size_t i;

	for (i = 0; i < from->nneeded; i++) {
		if ((to->soname && !strcmp(from->needed[i], to->soname)) ||
		    !strcmp(from->needed[i], to->name))
			return i;
	}
	return from->nneeded;
}

/* The interpreter first, then DT_NEEDED in the file's order, then the
 * dlopen entries; ties keep the graph's order. */
static int cmp_child(const void *pa, const void *pb)
{
	const struct child *a = pa, *b = pb;

	if (a->rank[0] != b->rank[0])
		return a->rank[0] < b->rank[0] ? -1 : 1;
	if (a->rank[1] != b->rank[1])
		return a->rank[1] < b->rank[1] ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void make_child(struct view *v, struct child *k, size_t e)
{
	const struct bd_edge *edge = &v->g->edges[e];

	k->e = *edge;
	k->order = e;
	k->rank[0] = edge->kind == BD_EDGE_INTERP    ? 0
		     : edge->kind == BD_EDGE_NEEDED  ? 1
		     : edge->kind == BD_EDGE_STATIC  ? 3
		     : edge->kind == BD_EDGE_BUILD   ? 4
		     : edge->kind == BD_EDGE_DEPENDS ? 5
						     : 2;
	k->rank[1] =
		needed_rank(&v->g->comps[edge->from], &v->g->comps[edge->to]);
}

/* Pushes the edges out of id onto the child stack, sorted; returns where
 * they start, or SIZE_MAX when out of memory. */
static size_t push_children(struct view *v, uint32_t id, size_t *n)
{
	const struct bd_edge *edges = v->g->edges;
	size_t e, first = v->first_out[id], start = v->nkids;

	for (e = first; e < v->g->nedges && edges[e].from == id; e++) {
		/* One line per target and kind: several dlopen entries into
		 * one library are drawn once. Containment is no load edge. */
		if ((e > first && edges[e - 1].to == edges[e].to &&
		     edges[e - 1].kind == edges[e].kind) ||
		    edges[e].kind == BD_EDGE_CONTAINS)
			continue;
		if (BD_GROW(v->kids, v->akids, v->nkids + 1))
			return SIZE_MAX;
		make_child(v, &v->kids[v->nkids++], e);
	}
	*n = v->nkids - start;
	if (*n > 1) /* kids is NULL while nothing was pushed */
		qsort(v->kids + start, *n, sizeof(*v->kids), cmp_child);
	return start;
}

/* Each component's level in the tree of root: the fewest load edges from
 * it, down to the levels drawn. */
static void find_levels(struct view *v, uint32_t root)
{
	const struct bd_edge *edges = v->g->edges;
	size_t head = 0, tail = 0, e;

	v->seen[root] = v->tree;
	v->level[root] = 0;
	v->queue[tail++] = root;
	while (head < tail) {
		uint32_t at = v->queue[head++];

		if (v->level[at] >= v->depth)
			continue;
		for (e = v->first_out[at];
		     e < v->g->nedges && edges[e].from == at; e++) {
			uint32_t to = edges[e].to;

			/* A crate's dependency is not how the file
			 * holds it (BD_EDGE_DEPENDS): every list names
			 * each crate the file holds. */
			if (v->seen[to] == v->tree ||
			    edges[e].kind == BD_EDGE_CONTAINS ||
			    edges[e].kind == BD_EDGE_DEPENDS)
				continue;
			v->seen[to] = v->tree;
			v->level[to] = v->level[at] + 1;
			v->queue[tail++] = to;
		}
	}
}

/* Whether the line of an edge to a component is drawn here, at depth: a
 * library is drawn where it is first needed, once; a dlopen entry into
 * one drawn already is named again, as it says something of its own. */
static bool shown_here(const struct view *v, const struct bd_edge *e,
		       unsigned depth)
{
	/* A crate's dependency is named where this tree holds it: another
	 * file's list may give the crate one this file was built
	 * without. */
	if (e->kind == BD_EDGE_DEPENDS)
		return v->seen[e->to] == v->tree;
	if (v->drawn[e->to] == v->tree)
		return e->kind == BD_EDGE_DLOPEN_NOTE;
	return v->seen[e->to] == v->tree && v->level[e->to] == depth;
}

/* Whether id needs something not drawn in this tree yet. */
static bool needs_more(const struct view *v, uint32_t id)
{
	const struct bd_edge *edges = v->g->edges;
	size_t e;

	for (e = v->first_out[id]; e < v->g->nedges && edges[e].from == id;
	     e++) {
		if (edges[e].kind != BD_EDGE_CONTAINS &&
		    edges[e].kind != BD_EDGE_DEPENDS &&
		    v->drawn[edges[e].to] != v->tree)
			return true;
	}
	return false;
}

static int draw_children(struct view *v, uint32_t id, unsigned depth)
{
	size_t i, n, start;

	if (depth > v->depth) {
		if (v->capped && needs_more(v, id)) {
			indent(v, depth);
			bd_buf_adds(v->out, "(deeper levels not shown)\n");
		}
		return 0;
	}
	start = push_children(v, id, &n);
	if (start == SIZE_MAX)
		return BD_ENOMEM;
	for (i = 0; i < n; i++) {
		/* Copied: deeper levels may move the stack. */
		struct bd_edge e = v->kids[start + i].e;
		bool again = v->drawn[e.to] == v->tree;
		int rc;

		if (!shown_here(v, &e, depth))
			continue;
		if (e.kind == BD_EDGE_DEPENDS) {
			dependency_line(v, &e, depth);
			continue;
		}
		edge_line(v, &e, depth, again);
		if (!again) {
			v->drawn[e.to] = v->tree;
			rc = draw_children(v, e.to, depth + 1);
			if (rc)
				return rc;
		}
	}
	v->nkids = start;
	return 0;
}

/* ---- one tree per scanned file ---------------------------------------- */

/* "in dist/x.whl (pkg:pypi/x@1.0)": the artifacts that hold the file. */
static void holder_lines(struct view *v, uint32_t id)
{
	const struct bd_emit_holders *h = &v->holders;
	size_t k;

	for (k = h->first[id]; k < h->first[id + 1]; k++) {
		const struct bd_component *a = &v->g->comps[h->from[k]];

		indent(v, 1);
		bd_buf_adds(v->out, "in ");
		put(v, a->paths.n ? a->paths.items[0] : a->name);
		if (a->purl) {
			bd_buf_adds(v->out, " (");
			paint(v, SGR_GREEN, a->purl);
			bd_buf_addc(v->out, ')');
		}
		bd_buf_addc(v->out, '\n');
	}
}

static void root_line(struct view *v, const struct bd_component *c)
{
	uint32_t id = (uint32_t)(c - v->g->comps);
	const char *shown = c->paths.n ? bd_emit_shown_path(c) : c->name;
	size_t i, also = 0;

	/* Where the loader finds it first, then the other paths in order. */
	paint(v, SGR_BOLD, shown);
	for (i = 0; i < c->paths.n && also < 3; i++) {
		if (c->paths.items[i] == shown)
			continue;
		bd_buf_adds(v->out, also++ ? ", " : " (also ");
		put(v, c->paths.items[i]);
	}
	if (c->paths.n > 4)
		bd_buf_printf(v->out, " and %zu more", c->paths.n - 4);
	if (c->paths.n > 1)
		bd_buf_addc(v->out, ')');
	identity(v, c);
	bd_buf_addc(v->out, '\n');
	holder_lines(v, id);
	if (c->error) {
		indent(v, 1);
		paint(v, SGR_RED, "error:");
		bd_buf_addc(v->out, ' ');
		put(v, c->error);
		bd_buf_addc(v->out, '\n');
	} else if (!has_edges(v, id)) {
		indent(v, 1);
		bd_buf_adds(v->out,
			    c->has_elf_header && !c->interp &&
					    c->kind == BD_COMP_EXECUTABLE
				    ? "(statically linked)\n"
				    : "(needs nothing)\n");
	}
}

/* What only an SBOM an artifact carries lists (issue 16): no file of
 * ours, no tree; its name and identity, where it is declared, and what
 * holds it. */
static void declared(struct view *v)
{
	const struct bd_graph *g = v->g;
	size_t i, j;

	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];

		if (c->kind != BD_COMP_DECLARED)
			continue;
		paint(v, SGR_BOLD, c->name);
		identity(v, c);
		bd_buf_addc(v->out, '\n');
		for (j = 0; c->carried && j < c->carried->in.n; j++) {
			indent(v, 1);
			bd_buf_adds(v->out, "declared in ");
			put(v, c->carried->in.items[j]);
			bd_buf_addc(v->out, '\n');
		}
		bd_buf_addc(v->out, '\n');
	}
}

/* "label: item", a line each, in the order given. */
static void labelled(struct view *v, const char *sgr, const char *label,
		     const char *const *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		paint(v, sgr, label);
		bd_buf_addc(v->out, ' ');
		put(v, items[i]);
		bd_buf_addc(v->out, '\n');
	}
}

/* What the walk could not see into: what is there is not drawn. */
static void unread(struct view *v)
{
	labelled(v, SGR_RED, "not read:", v->o->unread, v->o->nunread);
	if (v->o->unread_total > v->o->nunread)
		bd_buf_printf(v->out, "not read: %zu more paths\n",
			      v->o->unread_total - v->o->nunread);
	if (v->o->unread_total)
		bd_buf_addc(v->out, '\n');
}

/* What the run left out on purpose: each --exclude pattern, in the order
 * given, as the other formats record it (bindep:exclude). */
static void excluded(struct view *v)
{
	labelled(v, SGR_YELLOW, "excluded:", v->o->excludes, v->o->nexcludes);
	if (v->o->nexcludes)
		bd_buf_addc(v->out, '\n');
}

static void summary(struct view *v)
{
	const struct bd_graph *g = v->g;
	size_t i, files = 0, artifacts = 0, missing = 0, unknown = 0;
	size_t preloaded = 0;

	for (i = 0; i < g->ncomps; i++) {
		if (bd_emit_scanned(g, v->flags, (uint32_t)i))
			files += g->comps[i].paths.n;
		if (g->comps[i].kind == BD_COMP_ARTIFACT)
			artifacts++;
		if (v->flags[i] & BD_EMIT_PRELOADED)
			preloaded++;
		if (g->comps[i].kind == BD_COMP_UNRESOLVED)
			missing++;
		else if (!g->comps[i].purl)
			unknown++;
	}
	bd_buf_printf(v->out, "%zu file%s scanned, ", files,
		      files == 1 ? "" : "s");
	/* Said only when there are some: directory inputs read as before. */
	if (artifacts)
		bd_buf_printf(v->out, "%zu artifact%s, ", artifacts,
			      artifacts == 1 ? "" : "s");
	bd_buf_printf(v->out, "%zu component%s, %zu not found, ", g->ncomps,
		      g->ncomps == 1 ? "" : "s", missing);
	if (preloaded)
		bd_buf_printf(v->out, "%zu " BD_EMIT_PRELOADED_SAID ", ",
			      preloaded);
	bd_buf_printf(v->out, "%zu unidentified\n", unknown);
}

static int draw(struct view *v)
{
	const struct bd_graph *g = v->g;
	size_t i, e = 0;
	int rc;

	for (i = 0; i < g->ncomps; i++) {
		while (e < g->nedges && g->edges[e].from < i)
			e++;
		v->first_out[i] = e;
	}
	for (i = 0; i < g->ncomps; i++) {
		if (!bd_emit_scanned(g, v->flags, (uint32_t)i))
			continue;
		v->tree++;
		root_line(v, &g->comps[i]);
		find_levels(v, (uint32_t)i);
		v->drawn[i] = v->tree;
		rc = draw_children(v, (uint32_t)i, 1);
		if (rc)
			return rc;
		bd_buf_addc(v->out, '\n');
	}
	declared(v);
	unread(v);
	excluded(v);
	summary(v);
	return 0;
}

int bd_emit_text(const struct bd_graph *g, const struct bd_emit_options *opts,
		 struct bd_buf *out, struct bd_error *err)
{
	struct view v = { .g = g, .o = opts, .color = opts->color, .out = out };
	int rc = BD_ENOMEM;

	v.depth = opts->depth ? opts->depth : 1;
	v.capped = v.depth > MAX_DEPTH;
	if (v.capped)
		v.depth = MAX_DEPTH;
	v.drawn = calloc(g->ncomps + 1, sizeof(*v.drawn));
	v.first_out = calloc(g->ncomps + 1, sizeof(*v.first_out));
	v.flags = calloc(g->ncomps + 1, 1);
	v.level = calloc(g->ncomps + 1, sizeof(*v.level));
	v.seen = calloc(g->ncomps + 1, sizeof(*v.seen));
	v.queue = calloc(g->ncomps + 1, sizeof(*v.queue));
	if (v.drawn && v.first_out && v.flags && v.level && v.seen && v.queue &&
	    !bd_emit_holders_build(&v.holders, g) &&
	    !bd_emit_machines_build(&v.machines, g)) {
		bd_emit_edge_flags(g, v.flags);
		rc = draw(&v);
	}
	if (!rc && !bd_buf_ok(out))
		rc = BD_ENOMEM;
	free(v.kids);
	free(v.level);
	free(v.seen);
	free(v.queue);
	free(v.first_out);
	free(v.drawn);
	free(v.flags);
	bd_emit_holders_release(&v.holders);
	bd_emit_machines_release(&v.machines);
	return rc ? bd_error_set(err, rc, "out of memory writing the text view")
		  : 0;
}
