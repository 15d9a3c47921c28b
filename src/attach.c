/* SPDX-License-Identifier: MIT */
/*
 * --attach (issue 16, item 1): a wheel's own SBOM put into it (PEP 770).
 * The wheel is read and written again with libarchive, entry by entry;
 * nothing here knows the zip format.
 */
#include "bindep/archive.h"
#include "bindep/attach.h"
#include "bindep/buf.h"
#include "bindep/hash.h"
#include "bindep/map.h"
#include "bindep/output.h"
#include "bindep/purl.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the SBOM of one artifact: a view of the graph --------------------- */

/*
 * Each wheel's view is made from an index of the graph made once: its
 * edges by their start, the locations inside each artifact, the
 * components each path names. A view then costs what the wheel holds and
 * reaches, not the graph: a scan of every component and location for
 * each wheel grew with the square of the wheels (a tenth of the run's
 * CPU at 2,000, 65 us a wheel; 1.6 us with the index).
 */

/* Which of a component's lists a location is in: its paths, or where
 * the SBOMs shipped inside artifacts that describe it are (carried). */
enum loc_list { LOC_PATHS, LOC_CARRIED };

/* A location inside an artifact: item of component comp's list. */
struct located {
	uint32_t comp;
	uint32_t item;
	enum loc_list list;
};

/* Strings each with an id, and each id's members: members[first[id]
 * .. first[id + 1]) of an array the owner keeps. Made in two passes: each
 * member counted (groups_count), places laid out (groups_lay_out), each
 * member put (groups_place), in the same order. */
struct groups {
	struct bd_map ids;
	size_t n, alloc; /* ids given; first's room */
	size_t *first;	 /* n + 1 */
	size_t *next;	 /* where each id's next member goes, while put */
};

struct bd_attach_index {
	const struct bd_graph *g;
	/* The edges by their start: g->edges[edge[k]] for k in
	 * [edge_first[id], edge_first[id + 1]), in g's order. */
	size_t *edge_first;
	uint32_t *edge;
	/* Each artifact's prefix ("dist/x.whl!/") to the locations inside
	 * it, ordered by component, list, item (keys in prefixes). */
	struct groups inside;
	struct located *located;
	struct bd_arena prefixes;
	/* Each path to the components it names, in id order. */
	struct groups named;
	uint32_t *namer;
	/* One view's scratch, all false and 0 between views: what it reached
	 * (reached[0..nreached)), whether each component is reached and
	 * external, its id in the view, the search's stack. */
	bool *seen, *external;
	uint32_t *map, *stack, *reached;
	size_t nreached;
};

/* One more member of key s[0..len), given an id when new: s itself is
 * the key (NUL-ended at len) unless keys, where it is copied. */
static int groups_count(struct groups *gr, struct bd_arena *keys, const char *s,
			size_t len)
{
	const char *key;
	uint32_t id;

	if (!bd_map_getn(&gr->ids, s, len, &id)) {
		key = keys ? bd_arena_strndup(keys, s, len) : s;
		if (!key || BD_GROW(gr->first, gr->alloc, gr->n + 2))
			return BD_ENOMEM;
		id = (uint32_t)gr->n++;
		gr->first[0] = 0; /* before the first id's members */
		gr->first[id + 1] = 0;
		if (bd_map_put(&gr->ids, key, id))
			return BD_ENOMEM;
	}
	gr->first[id + 1]++;
	return 0;
}

/* Each id's members from first[id], once counted; the total is
 * first[n]. */
static int groups_lay_out(struct groups *gr)
{
	size_t i;

	if (!gr->n)
		return 0;
	for (i = 0; i < gr->n; i++)
		gr->first[i + 1] += gr->first[i];
	gr->next = malloc(gr->n * sizeof(*gr->next));
	if (!gr->next)
		return BD_ENOMEM;
	memcpy(gr->next, gr->first, gr->n * sizeof(*gr->next));
	return 0;
}

/* All the members of all the ids, once laid out. */
static size_t groups_total(const struct groups *gr)
{
	return gr->n ? gr->first[gr->n] : 0;
}

/* The place of key s[0..len)'s next member (counted before). */
static size_t groups_place(struct groups *gr, const char *s, size_t len)
{
	uint32_t id = 0;

	(void)bd_map_getn(&gr->ids, s, len, &id);
	return gr->next[id]++;
}

/* The members of key s[0..len): [*from, *to), false when it has none. */
static bool groups_find(const struct groups *gr, const char *s, size_t len,
			size_t *from, size_t *to)
{
	uint32_t id;

	if (!bd_map_getn(&gr->ids, s, len, &id))
		return false;
	*from = gr->first[id];
	*to = gr->first[id + 1];
	return true;
}

static void groups_release(struct groups *gr)
{
	bd_map_release(&gr->ids);
	free(gr->first);
	free(gr->next);
}

/* The edges, each under its start (in g's order). */
static void index_edges(struct bd_attach_index *ix)
{
	const struct bd_graph *g = ix->g;
	size_t i;

	for (i = 0; i < g->nedges; i++)
		ix->edge_first[g->edges[i].from + 1]++;
	for (i = 0; i < g->ncomps; i++)
		ix->edge_first[i + 1] += ix->edge_first[i];
	for (i = 0; i < g->nedges; i++)
		ix->edge[ix->edge_first[g->edges[i].from]++] = (uint32_t)i;
	/* edge_first[i] is now the end of i's edges: shift back. */
	for (i = g->ncomps; i > 0; i--)
		ix->edge_first[i] = ix->edge_first[i - 1];
	ix->edge_first[0] = 0;
}

/*
 * The locations of a list inside an artifact, once for each artifact they
 * are inside ("x.tar!/y.whl!/z" is inside "x.tar!/" and "x.tar!/y.whl!/"):
 * a prefix ending in "!/" with something after it, as inside() says.
 * Counted when at is NULL, else put in at.
 */
static int index_list(struct bd_attach_index *ix, uint32_t comp,
		      enum loc_list list, const struct bd_strlist *l,
		      struct located *at)
{
	size_t k;

	for (k = 0; k < l->n; k++) {
		const char *s = l->items[k], *p;

		for (p = strstr(s, "!/"); p; p = strstr(p + 1, "!/")) {
			size_t end = (size_t)(p - s) + 2;

			if (!s[end])
				continue;
			if (!at &&
			    groups_count(&ix->inside, &ix->prefixes, s, end))
				return BD_ENOMEM;
			if (at)
				at[groups_place(&ix->inside, s, end)] =
					(struct located){ comp, (uint32_t)k,
							  list };
		}
	}
	return 0;
}

/* Every component's locations (at NULL: counted). In the order of
 * components, then lists, then items: each artifact's are sorted so. */
static int index_locations(struct bd_attach_index *ix, struct located *at)
{
	const struct bd_graph *g = ix->g;
	uint32_t i;

	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];

		if (index_list(ix, i, LOC_PATHS, &c->paths, at) ||
		    (c->carried &&
		     index_list(ix, i, LOC_CARRIED, &c->carried->in, at)))
			return BD_ENOMEM;
	}
	return 0;
}

/* Every component under each path it has (at NULL: counted). */
static int index_names(struct bd_attach_index *ix, uint32_t *at)
{
	const struct bd_graph *g = ix->g;
	uint32_t i;
	size_t k;

	for (i = 0; i < g->ncomps; i++) {
		const struct bd_strlist *p = &g->comps[i].paths;

		for (k = 0; k < p->n; k++) {
			const char *s = p->items[k];

			if (!at && groups_count(&ix->named, NULL, s, strlen(s)))
				return BD_ENOMEM;
			if (at)
				at[groups_place(&ix->named, s, strlen(s))] = i;
		}
	}
	return 0;
}

/* Counted, laid out, put. */
static int index_groups(struct bd_attach_index *ix)
{
	if (index_locations(ix, NULL) || groups_lay_out(&ix->inside) ||
	    index_names(ix, NULL) || groups_lay_out(&ix->named))
		return BD_ENOMEM;
	/* One more: malloc(0) may be NULL. */
	ix->located =
		malloc((groups_total(&ix->inside) + 1) * sizeof(*ix->located));
	ix->namer = malloc((groups_total(&ix->named) + 1) * sizeof(*ix->namer));
	if (!ix->located || !ix->namer)
		return BD_ENOMEM;
	(void)index_locations(ix, ix->located);
	(void)index_names(ix, ix->namer);
	return 0;
}

void bd_attach_index_free(struct bd_attach_index *ix)
{
	if (!ix)
		return;
	free(ix->edge_first);
	free(ix->edge);
	groups_release(&ix->inside);
	free(ix->located);
	bd_arena_release(&ix->prefixes);
	groups_release(&ix->named);
	free(ix->namer);
	free(ix->seen);
	free(ix->external);
	free(ix->map);
	free(ix->stack);
	free(ix->reached);
	free(ix);
}

int bd_attach_index_new(const struct bd_graph *g, struct bd_attach_index **out)
{
	struct bd_attach_index *ix = calloc(1, sizeof(*ix));
	size_t n = g->ncomps + 1;

	*out = NULL;
	if (!ix)
		return BD_ENOMEM;
	ix->g = g;
	bd_map_init(&ix->inside.ids);
	bd_map_init(&ix->named.ids);
	bd_arena_init(&ix->prefixes);
	ix->edge_first = calloc(n, sizeof(*ix->edge_first));
	ix->edge = malloc((g->nedges + 1) * sizeof(*ix->edge));
	ix->seen = calloc(n, sizeof(*ix->seen));
	ix->external = calloc(n, sizeof(*ix->external));
	ix->map = calloc(n, sizeof(*ix->map));
	ix->stack = malloc(n * sizeof(*ix->stack));
	ix->reached = malloc(n * sizeof(*ix->reached));
	if (!ix->edge_first || !ix->edge || !ix->seen || !ix->external ||
	    !ix->map || !ix->stack || !ix->reached || index_groups(ix)) {
		bd_attach_index_free(ix);
		return BD_ENOMEM;
	}
	index_edges(ix);
	*out = ix;
	return 0;
}

/* One artifact's view being made. */
struct view {
	struct bd_attach_index *ix;
	const struct bd_graph *g;
	uint32_t art;
	const char *prefix; /* "" when every location stays */
	size_t plen;
	/* The locations inside the artifact, ordered by component, list,
	 * item. */
	const struct located *own;
	size_t nown;
};

static bool located_before(const struct located *a, uint32_t comp,
			   enum loc_list list)
{
	return a->comp != comp ? a->comp < comp : a->list < list;
}

/* Component comp's locations of one list inside the artifact: *at[0..n),
 * n returned. */
static size_t own_in(const struct view *v, uint32_t comp, enum loc_list list,
		     const struct located **at)
{
	size_t lo = 0, hi = v->nown, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (located_before(&v->own[mid], comp, list))
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = v->own + lo;
	while (lo + n < v->nown && v->own[lo + n].comp == comp &&
	       v->own[lo + n].list == list)
		n++;
	return n;
}

/* l's strings in an array of its own; the original's index stays the
 * original's (the copy makes its own when it is added to). */
static int copy_list(struct bd_strlist *l)
{
	const char **items;

	l->index = NULL;
	if (!l->n) {
		*l = (struct bd_strlist){ 0 };
		return 0;
	}
	items = malloc(l->n * sizeof(*items));
	if (!items) {
		*l = (struct bd_strlist){ 0 };
		return BD_ENOMEM;
	}
	memcpy(items, l->items, l->n * sizeof(*items));
	l->items = items;
	l->alloc = l->n;
	return 0;
}

/* Whether a location is inside the artifact (prefix "dist/x.whl!/"). */
static bool inside(const char *loc, const char *prefix)
{
	size_t n = strlen(prefix);

	return n && !strncmp(loc, prefix, n) && loc[n];
}

/* A location inside the artifact, "dist/x.whl!/p/_x.so", as the wheel's
 * own SBOM says it: "p/_x.so", wherever the wheel was when it was read.
 * Others stay. NULL when out of memory. */
static const char *relocate(struct bd_graph *out, const char *loc,
			    const char *prefix)
{
	if (!loc || !inside(loc, prefix))
		return loc;
	return bd_graph_strdup(out, loc + strlen(prefix));
}

/*
 * The locations inside the artifact, as its own SBOM says them; the others
 * are not its to say. Where the scan found what a wheel needs (the host's
 * libc, a library of the build's venv) is a path of the build machine: in
 * a published wheel it said where it was built, and another machine wrote
 * another wheel. Nor another artifact's (a library two wheels bundle).
 * Without a prefix, all stay. l, a copy of component id's list, becomes
 * the view's own (empty when out of memory).
 */
static int own_locations(struct bd_graph *out, const struct view *v,
			 uint32_t id, enum loc_list list, struct bd_strlist *l)
{
	const struct located *at;
	const char **items;
	size_t i, n;

	if (!v->prefix[0])
		return copy_list(l);
	n = own_in(v, id, list, &at);
	items = n ? malloc(n * sizeof(*items)) : NULL;
	for (i = 0; items && i < n; i++) {
		items[i] = bd_graph_strdup(out, l->items[at[i].item] + v->plen);
		if (!items[i]) {
			free(items);
			items = NULL;
		}
	}
	*l = (struct bd_strlist){ .items = items,
				  .n = items ? n : 0,
				  .alloc = items ? n : 0 };
	return n && !items ? BD_ENOMEM : 0;
}

/* What embedded SBOMs say of it (graph.h), owned by the view too; of
 * the SBOMs that said it, this artifact's own (own_locations). */
static int copy_carried(struct bd_graph *out, const struct view *v, uint32_t id,
			struct bd_component *d)
{
	const struct bd_carried_facts *from = d->carried;
	struct bd_carried_facts *f;

	if (!from)
		return 0;
	d->carried = f = malloc(sizeof(*f));
	if (!f)
		return BD_ENOMEM;
	*f = *from;
	f->aprops = f->nprops;
	f->props = NULL;
	if (own_locations(out, v, id, LOC_CARRIED, &f->in)) {
		f->nprops = f->aprops = 0;
		return BD_ENOMEM;
	}
	if (from->nprops) {
		f->props = malloc(from->nprops * sizeof(*f->props));
		if (!f->props) {
			f->nprops = f->aprops = 0;
			return BD_ENOMEM;
		}
		memcpy(f->props, from->props, from->nprops * sizeof(*f->props));
	}
	return 0;
}

/*
 * Where an SBOM attested a field: inside the artifact, relocated. Another
 * artifact's SBOM, or a loose one in dist/, is not this one's to cite (it
 * may have named the library first, and this wheel's SBOM otherwise): the
 * statement goes (*loc NULL), the value it gave stays.
 */
static int own_attestation(struct bd_graph *out, const char **loc,
			   const char *prefix)
{
	if (!*loc || !prefix[0])
		return 0;
	if (!inside(*loc, prefix)) {
		*loc = NULL;
		return 0;
	}
	*loc = relocate(out, *loc, prefix);
	return *loc ? 0 : BD_ENOMEM;
}

/* Whether a purl holds this version: SBOMs that name one library by it
 * say that version too. */
static bool purl_has_version(const char *purl, const char *version)
{
	struct bd_purl_parsed p;
	bool same = false;

	if (!purl || !version)
		return false;
	if (!bd_purl_parse(purl, BD_PURL_LENIENT, &p, NULL))
		same = p.parts.version && !strcmp(p.parts.version, version);
	bd_purl_parsed_release(&p); /* whatever the parse returned */
	return same;
}

/*
 * Where an identity field another artifact's SBOM attested is attested
 * in this one's: a component only SBOMs describe is one purl, and when
 * that purl holds the version, its purl and version are what every SBOM
 * listing it said, whichever was read first (two wheels, or the same
 * wheel twice); its own SBOM (carried->in, already its own) said them
 * too. NULL otherwise: a purl without the version ("pkg:generic/libbar")
 * may be listed at 1.0 by one and 2.0 by another.
 */
static const char *also_attested(const struct bd_component *d,
				 const struct bd_identity *id)
{
	if (d->kind != BD_COMP_DECLARED || !d->carried || !d->carried->in.n ||
	    (strcmp(id->field, "purl") && strcmp(id->field, "version")) ||
	    !purl_has_version(d->purl, d->version))
		return NULL;
	return d->carried->in.items[0];
}

/* The identity fields, each with where it came from relocated; one only
 * another artifact's SBOM attested is this one's (also_attested) or is
 * dropped (own_attestation). */
static int relocate_ids(struct bd_graph *out, struct bd_component *d,
			const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < d->nids; i++) {
		struct bd_identity id = d->ids[i];
		bool by_sbom = !strcmp(id.technique, "attestation");

		if (by_sbom ? own_attestation(out, &id.method, prefix)
			    : !(id.method = relocate(out, id.method, prefix)))
			return BD_ENOMEM;
		if (by_sbom && !id.method)
			id.method = also_attested(d, &id);
		if (own_attestation(out, &id.attested, prefix))
			return BD_ENOMEM;
		if (id.attested && id.method && !strcmp(id.attested, id.method))
			id.attested = NULL; /* said once */
		if (id.method)
			d->ids[n++] = id;
	}
	d->nids = n;
	return 0;
}

/* The loading program's path in the artifact: path[0..len) names one
 * of its files (resolve.c took its first), perhaps in another artifact
 * with the same bytes (two wheels alike): then its location in this
 * one, of the first component so named that has one. NULL when it has
 * none here. */
static const char *loader_inside(const struct view *v, const char *path,
				 size_t len)
{
	const struct bd_attach_index *ix = v->ix;
	size_t from, to;

	if (!groups_find(&ix->named, path, len, &from, &to))
		return NULL;
	for (; from < to; from++) {
		const struct located *at;
		uint32_t id = ix->namer[from];

		if (own_in(v, id, LOC_PATHS, &at))
			return v->g->comps[id].paths.items[at->item];
	}
	return NULL;
}

/*
 * How the loader found it, when that names the program that loaded it
 * ("loaded-by:<path> (runpath)", resolve.c): that program's path as the
 * artifact's SBOM says it, or nothing when it is not the artifact's.
 */
static int relocate_via(const struct view *v, struct bd_graph *out,
			struct bd_component *d)
{
	const char *via = d->resolved_via, *path, *end, *here;

	if (!via || strncmp(via, "loaded-by:", 10) || !v->prefix[0])
		return 0;
	path = via + 10;
	end = strstr(path, " (");
	end = end ? end : path + strlen(path);
	here = loader_inside(v, path, (size_t)(end - path));
	if (!here) {
		d->resolved_via = NULL;
		return 0;
	}
	d->resolved_via = bd_arena_printf(&out->arena, "loaded-by:%s%s",
					  here + v->plen, end);
	return d->resolved_via ? 0 : BD_ENOMEM;
}

/* Its paths and the SBOMs that declared it are this artifact's own
 * already (copy_lists): another wheel's, or a loose one in dist/,
 * declared the same purl. */
static int relocate_all(const struct view *v, struct bd_graph *out,
			struct bd_component *d)
{
	if (relocate_ids(out, d, v->prefix) || relocate_via(v, out, d))
		return BD_ENOMEM;
	if (d->bundle_file) {
		d->bundle_file = relocate(out, d->bundle_file, v->prefix);
		if (!d->bundle_file)
			return BD_ENOMEM;
	}
	return 0;
}

/* The purl an identity's method names as the bundle it came from
 * (ident.c's from_bundle: BD_BUNDLE_METHOD "<purl>..."), or NULL. */
static const char *bundle_of(const struct bd_identity *id)
{
	size_t n = strlen(BD_BUNDLE_METHOD);

	return strncmp(id->method, BD_BUNDLE_METHOD, n) ? NULL : id->method + n;
}

/* Whether an identity was concluded from this bundle's manifest. */
static bool by_bundle(const struct bd_identity *id, const char *bundle)
{
	const char *named = bundle_of(id);
	size_t n = strlen(bundle);

	return named && !strncmp(named, bundle, n) &&
	       (!named[n] || named[n] == ':');
}

/* Whether an identity field was concluded from another artifact: the
 * bundle read first, or the control file of a package given beside
 * (input.c's package_identity: "x.deb!/control"). */
static bool from_other(const struct bd_identity *id, const char *other,
		       bool package)
{
	if (strcmp(id->field, "purl") && strcmp(id->field, "version"))
		return false;
	return (other && by_bundle(id, other)) ||
	       (package && !strcmp(id->technique, "manifest-analysis"));
}

/* Whether the purl is a package's given beside (input.c's
 * package_identity, from "x.deb!/control"), not the registry's. */
static bool named_by_package(const struct bd_component *d)
{
	size_t i;

	for (i = 0; i < d->nids; i++)
		if (!strcmp(d->ids[i].field, "purl") &&
		    !strcmp(d->ids[i].technique, "manifest-analysis") &&
		    !bundle_of(&d->ids[i]))
			return true;
	return false;
}

/*
 * A file this artifact holds, and another artifact held first: two
 * wheels vendor one library byte for byte, or a .deb given beside ships
 * it. The scan named it by the other ("a file of pkg:pypi/alpha@1.0",
 * the .deb's package). In this artifact's own SBOM it is a file of this
 * one, as the scan names a file of one wheel.
 */
static int rebundle(struct bd_graph *out, struct bd_component *d,
		    const struct bd_component *art)
{
	const char *other = d->bundled_in, *method;
	bool package = d->package_file;
	size_t i, n = 0;

	if (!art->purl || ((!other || !strcmp(other, art->purl)) && !package))
		return 0;
	d->bundled_in = art->purl;
	d->bundle_file = NULL;
	if (package) { /* the package's facts are not the wheel's */
		d->package_file = false;
		d->source_package = d->source_version = NULL;
	}
	/* Named otherwise (the registry: libz.so.1 is zlib): that stays. */
	if (!d->purl || (package ? !named_by_package(d) : d->purl != other))
		return 0;
	method = bd_arena_printf(&out->arena, BD_BUNDLE_METHOD "%s", art->purl);
	if (!method)
		return BD_ENOMEM;
	d->purl = art->purl;
	d->version = art->version;
	for (i = 0; i < d->nids; i++) {
		struct bd_identity id = d->ids[i];

		if (from_other(&id, other, package)) {
			if (!strcmp(id.field, "version") && !d->version)
				continue;
			id.value = !strcmp(id.field, "purl") ? d->purl
							     : d->version;
			id.method = method;
		}
		d->ids[n++] = id;
	}
	d->nids = n;
	return 0;
}

/* The lists of d, a copy of component id, its own: the locations inside
 * the artifact, relocated (own_locations), and the others whole. Each is
 * the view's even when out of memory. */
static int copy_lists(struct bd_graph *out, const struct view *v, uint32_t id,
		      struct bd_component *d)
{
	int rc = own_locations(out, v, id, LOC_PATHS, &d->paths);

	rc |= copy_list(&d->funding);
	rc |= copy_list(&d->maintainers);
	rc |= copy_list(&d->online_from);
	rc |= copy_carried(out, v, id, d);
	return rc;
}

/* Component id of g into out: its facts (g's strings), its lists owned,
 * its locations in the artifact relocated, its bundle this artifact. */
static int copy_component(const struct view *v, uint32_t id,
			  struct bd_graph *out, uint32_t *nid)
{
	const struct bd_component *c = &v->g->comps[id];
	struct bd_component *d;
	const char *key;
	int rc = bd_graph_add(out, c->key, c->kind, nid);

	if (rc)
		return rc;
	d = &out->comps[*nid];
	key = d->key;
	*d = *c;
	d->key = key;
	rc = copy_lists(out, v, id, d);
	if (!rc && v->prefix[0])
		rc = rebundle(out, d, &v->g->comps[v->art]);
	return rc ? BD_ENOMEM : relocate_all(v, out, d);
}

/*
 * Whether a component is external to the artifact: a file with no
 * location inside it (the host's libc the scan found for its extension,
 * a library of the build's venv). Without a prefix, none is.
 */
static bool is_external(const struct view *v, uint32_t id)
{
	const struct bd_component *c = &v->g->comps[id];
	const struct located *at;

	if (!v->prefix[0] ||
	    (c->kind != BD_COMP_EXECUTABLE && c->kind != BD_COMP_LIBRARY &&
	     c->kind != BD_COMP_ELF_OTHER))
		return false;
	return !own_in(v, id, LOC_PATHS, &at);
}

/*
 * An external component as the artifact's own SBOM says it: the name it
 * is needed by, and its upstream project where the registry knows it by
 * that name. The version, purl, hash and supplier were the build
 * machine's package's; the installing system provides its own. Two found
 * for one soname are one.
 */
static int copy_external(const struct bd_graph *g, uint32_t id,
			 struct bd_graph *out, uint32_t *nid)
{
	const struct bd_component *c = &g->comps[id];
	const char *name = c->soname ? c->soname : c->name;
	struct bd_buf key = BD_BUF_INIT;
	struct bd_component *d;
	int rc;

	bd_buf_printf(&key, "external:%s", name ? name : "");
	if (!bd_buf_ok(&key)) {
		bd_buf_release(&key);
		return BD_ENOMEM;
	}
	if (bd_graph_find(out, bd_buf_str(&key), nid)) {
		bd_buf_release(&key);
		return 0;
	}
	rc = bd_graph_add(out, bd_buf_str(&key), BD_COMP_LIBRARY, nid);
	bd_buf_release(&key);
	if (rc)
		return rc;
	d = &out->comps[*nid];
	d->name = name;
	d->soname = c->soname;
	d->upstream = c->upstream;
	d->repository = c->repository;
	d->homepage = c->homepage;
	d->external = true;
	return 0;
}

/* Whether a search for what an artifact holds follows the edge: not a
 * crate's dependency, which another file's list may have given it (the
 * artifact's files name each crate they hold: BD_EDGE_DEPENDS). */
static bool followed(const struct bd_edge *e)
{
	return e->kind != BD_EDGE_DEPENDS;
}

/* id reached: seen, and whether it is external (the artifact is not). */
static void mark(struct view *v, uint32_t id)
{
	struct bd_attach_index *ix = v->ix;

	ix->seen[id] = true;
	ix->external[id] = id != v->art && is_external(v, id);
	ix->reached[ix->nreached++] = id;
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Marks what is reachable from the artifact by any edge followed (an
 * iterative search); what is external is reached but not gone through.
 * What was reached, in id order, in ix->reached. */
static void reach(struct view *v)
{
	struct bd_attach_index *ix = v->ix;
	size_t k, n = 0;

	mark(v, v->art);
	ix->stack[n++] = v->art;
	while (n) {
		uint32_t id = ix->stack[--n];

		if (ix->external[id])
			continue;
		for (k = ix->edge_first[id]; k < ix->edge_first[id + 1]; k++) {
			const struct bd_edge *e = &v->g->edges[ix->edge[k]];

			if (followed(e) && !ix->seen[e->to]) {
				mark(v, e->to);
				ix->stack[n++] = e->to;
			}
		}
	}
	qsort(ix->reached, ix->nreached, sizeof(*ix->reached), cmp_id);
}

/* The scratch clean again for the next view. */
static void forget(struct bd_attach_index *ix)
{
	size_t i;

	for (i = 0; i < ix->nreached; i++) {
		uint32_t id = ix->reached[i];

		ix->seen[id] = ix->external[id] = false;
		ix->map[id] = 0;
	}
	ix->nreached = 0;
}

/* What the reached components need, each edge as it was: in g's order,
 * out of the edges of what was reached. */
static int copy_edges(const struct view *v, struct bd_graph *out)
{
	const struct bd_attach_index *ix = v->ix;
	const uint32_t *map = ix->map;
	uint32_t *edges;
	size_t i, k, n = 0;
	int rc = 0;

	for (i = 0; i < ix->nreached; i++)
		n += ix->edge_first[ix->reached[i] + 1] -
		     ix->edge_first[ix->reached[i]];
	edges = malloc((n + 1) * sizeof(*edges));
	if (!edges)
		return BD_ENOMEM;
	for (i = 0, n = 0; i < ix->nreached; i++)
		for (k = ix->edge_first[ix->reached[i]];
		     k < ix->edge_first[ix->reached[i] + 1]; k++)
			edges[n++] = ix->edge[k];
	qsort(edges, n, sizeof(*edges), cmp_id);
	for (i = 0; i < n && !rc; i++) {
		const struct bd_edge *e = &v->g->edges[edges[i]];

		if (e->from == v->art) {
			/* What the artifact holds is the target's own; an
			 * edge not followed reached nothing, and has no
			 * place in the view (map[] is 0 there). */
			if (ix->seen[e->to] && e->to != v->art)
				out->comps[map[e->to]].is_input = true;
			continue;
		}
		/* What an external library needs is its system's. */
		if (ix->seen[e->to] && e->to != v->art &&
		    !ix->external[e->from])
			rc = e->preloaded
				     ? bd_graph_add_preloaded(out, map[e->from],
							      map[e->to])
				     : bd_graph_add_edge(out, map[e->from],
							 map[e->to], e->kind,
							 e->dlopen);
	}
	free(edges);
	return rc;
}

static int copy_view(const struct view *v, struct bd_graph *out)
{
	struct bd_attach_index *ix = v->ix;
	size_t i;
	int rc = 0;

	for (i = 0; i < ix->nreached && !rc; i++) {
		uint32_t id = ix->reached[i];

		if (id == v->art)
			continue;
		rc = ix->external[id]
			     ? copy_external(v->g, id, out, &ix->map[id])
			     : copy_component(v, id, out, &ix->map[id]);
	}
	if (!rc)
		rc = copy_edges(v, out);
	return rc ? rc : bd_graph_sort(out);
}

int bd_attach_index_view(struct bd_attach_index *ix, const char *artifact_key,
			 const char *within, struct bd_graph *out)
{
	struct view v = { .ix = ix,
			  .g = ix->g,
			  .prefix = within ? within : "" };
	size_t from, to;
	int rc;

	if (!bd_graph_find(ix->g, artifact_key, &v.art))
		return BD_ENOENT;
	v.plen = strlen(v.prefix);
	if (v.plen && (v.plen < 2 || strcmp(v.prefix + v.plen - 2, "!/")))
		return BD_EUSAGE;
	if (v.plen && groups_find(&ix->inside, v.prefix, v.plen, &from, &to)) {
		v.own = ix->located + from;
		v.nown = to - from;
	}
	reach(&v);
	rc = copy_view(&v, out);
	forget(ix);
	return rc;
}

int bd_attach_view(const struct bd_graph *g, const char *artifact_key,
		   const char *within, struct bd_graph *out)
{
	struct bd_attach_index *ix;
	int rc = bd_attach_index_new(g, &ix);

	if (!rc)
		rc = bd_attach_index_view(ix, artifact_key, within, out);
	bd_attach_index_free(ix);
	return rc;
}

/* ---- RECORD ------------------------------------------------------------ */

int bd_attach_record_hash(const void *data, size_t len, char out[64])
{
	unsigned char md[32], b64[48];
	unsigned int mdlen = 0;
	int n, i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen != sizeof(md))
		return BD_ENOMEM;
	n = EVP_EncodeBlock(b64, md, (int)mdlen);
	/* urlsafe, without the padding (PEP 427, RECORD's hashes) */
	while (n > 0 && b64[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		if (b64[i] == '+')
			b64[i] = '-';
		else if (b64[i] == '/')
			b64[i] = '_';
	}
	snprintf(out, 64, "sha256=%.*s", n, (const char *)b64);
	return 0;
}

/* The wheel's state: what the first pass learnt. */
struct wheel {
	const char *shown;
	char distinfo[PATH_MAX - 64]; /* "pkg-1.0.dist-info" */
	char record[PATH_MAX];	      /* distinfo + "/RECORD" */
	char ours[PATH_MAX];	      /* distinfo + "/" BD_ATTACH_NAME */
	char jws[PATH_MAX], p7s[PATH_MAX];
	bool signed_jws, signed_p7s;
	/* A .dist-info's "sboms" that is no directory, or an entry below our
	 * SBOM's name: the SBOM added would make the wheel uninstallable. */
	bool sboms_blocked;
	/* Per entry, in the central directory's order: whether the zip
	 * marks its name, not ASCII, as UTF-8 (general purpose flag bit 11,
	 * APPNOTE.TXT 4.4.4). The copy keeps the mark where it was, and only
	 * there: an installer reads an unmarked name as CP437, a marked one
	 * as UTF-8. */
	bool *utf8_names;
	size_t nentries, aentries;
	/* RECORD's text, read by the survey; and the paths it lists, cut out
	 * of a copy of it and sorted. */
	struct bd_buf record_text;
	char *paths_text;
	const char **paths;
	size_t npaths, apaths;
	/* The paths RECORD lists with a '\\', with '/' for it, sorted:
	 * libarchive reads an entry so named that way (any zip's, not only
	 * an MS-DOS one's). */
	char **slashed;
	size_t nslashed, aslashed;
};

static bool dropped(const struct wheel *w, const char *name, bool force)
{
	return !strcmp(name, w->ours) ||
	       (force && (!strcmp(name, w->jws) || !strcmp(name, w->p7s)));
}

/*
 * RECORD is CSV (PEP 376), read as Python's csv module reads it (pip,
 * installer and wheel do, the file opened with newline=""), so that the
 * path a record names is the one an installer reads:
 *
 * - a field that begins with '"' is quoted: it runs over commas and line
 *   ends (a file name may hold either), "" in it is a quote; text after
 *   its closing quote is the field's too ("a"b is ab), a '"' there is a
 *   character (strict=False);
 * - a '"' in a field that does not begin with one is a character;
 * - outside quotes a record ends at "\n", "\r\n" or a lone "\r" (the
 *   file's lines end there): a RECORD with CR line ends is as many
 *   records as lines, not one; an empty line is a record without fields;
 * - a record without a comma is one field: the path, no hash;
 * - a NUL byte is a character (Python 3.11; before, csv raised "line
 *   contains NUL"): kept, and said in r->nul, since no zip entry's name
 *   as libarchive gives it holds one.
 *
 * Python reads a text that ends inside a quoted field as the field so
 * far; r->unended says so, and the survey refuses it: our line appended
 * after it would be read as part of that field.
 */
size_t bd_attach_record_read(const char *text, size_t len, struct bd_buf *first,
			     struct bd_attach_record *r)
{
	/* The state of the field being read, as csv's reader names it:
	 * START_FIELD, IN_FIELD, IN_QUOTED_FIELD, QUOTE_IN_QUOTED_FIELD. */
	enum { START, PLAIN, QUOTED, QUOTE_SEEN } state = START;
	bool in_first = true;
	size_t i;

	memset(r, 0, sizeof(*r));
	bd_buf_reset(first);
	for (i = 0; i < len; i++) {
		char ch = text[i];

		if (state == QUOTED && ch == '"') {
			if (i + 1 < len && text[i + 1] == '"')
				i++; /* "" in a quoted field: a quote */
			else {
				state = QUOTE_SEEN;
				continue;
			}
		} else if (state != QUOTED) {
			if (ch == '\n' || ch == '\r') {
				r->len = i + 1 +
					 (ch == '\r' && i + 1 < len &&
					  text[i + 1] == '\n');
				r->empty = i == 0;
				return r->len;
			}
			if (ch == ',') {
				in_first = false;
				state = START;
				continue;
			}
			if (state == START && ch == '"') {
				state = QUOTED;
				continue;
			}
			state = PLAIN; /* after a closing quote too */
		}
		if (in_first) {
			bd_buf_addc(first, ch);
			r->nul |= ch == '\0';
		}
	}
	r->len = len;
	r->unended = state == QUOTED;
	r->empty = len == 0;
	return len;
}

/* Whether the record read (r, its first field first) names path. */
static bool names(const struct bd_attach_record *r, const struct bd_buf *first,
		  const char *path)
{
	size_t n = strlen(path);

	return !r->empty && first->len == n &&
	       (!n || !memcmp(first->data, path, n));
}

/* RECORD again: our line and the signatures' (when dropped) out, ours
 * appended. 0 or BD_ENOMEM. */
static int new_record(const struct wheel *w, const char *old, size_t len,
		      const char *hash, size_t sbom_len, bool force,
		      struct bd_buf *out)
{
	struct bd_buf first = BD_BUF_INIT;
	size_t i = 0;
	bool ok;

	while (i < len) {
		const char *line = old + i;
		struct bd_attach_record r;
		size_t n = bd_attach_record_read(line, len - i, &first, &r);

		if (!names(&r, &first, w->ours) &&
		    !(force &&
		      (names(&r, &first, w->jws) || names(&r, &first, w->p7s))))
			bd_buf_add(out, line, n);
		i += n;
	}
	ok = bd_buf_ok(&first);
	bd_buf_release(&first);
	if (out->len && out->data[out->len - 1] != '\n')
		bd_buf_addc(out, '\n');
	/* Quoted when it needs it: a .dist-info named "a,b-1.0.dist-info"
	 * is a wheel `wheel` and pip take. */
	bd_buf_add_csv_field(out, w->ours, NULL);
	bd_buf_printf(out, ",%s,%zu\n", hash, sbom_len);
	return ok && bd_buf_ok(out) ? 0 : BD_ENOMEM;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* path, with '/' for each '\\', into w->slashed; false when out of
 * memory. */
static bool add_slashed(struct wheel *w, const char *path)
{
	char *copy, *p;

	if (BD_GROW(w->slashed, w->aslashed, w->nslashed + 1) ||
	    !(copy = strdup(path)))
		return false;
	for (p = copy; (p = strchr(p, '\\')); p++)
		*p = '/';
	w->slashed[w->nslashed++] = copy;
	return true;
}

/* w->paths, from a copy of RECORD's text, each record's path written over
 * it (never longer), NUL-ended; false when out of memory. A path with a
 * NUL byte names no entry libarchive gives: not indexed. */
static bool index_record(struct wheel *w)
{
	struct bd_buf first = BD_BUF_INIT;
	size_t len = w->record_text.len, i = 0;
	char *t = malloc(len + 1);
	bool ok = t != NULL;

	w->paths_text = t;
	if (t && len)
		memcpy(t, w->record_text.data, len);
	if (t)
		t[len] = '\0';
	while (ok && i < len) {
		struct bd_attach_record r;
		size_t n = bd_attach_record_read(t + i, len - i, &first, &r);
		char *path = t + i;

		i += n;
		if (!bd_buf_ok(&first)) {
			ok = false;
			break;
		}
		if (r.empty || r.nul)
			continue;
		/* Decoded, it is at most as long as the record; as long
		 * only for the text's last record, whose end is t[len]. */
		if (first.len)
			memcpy(path, first.data, first.len);
		path[first.len] = '\0';
		if (BD_GROW(w->paths, w->apaths, w->npaths + 1))
			ok = false;
		else
			w->paths[w->npaths++] = path;
		if (ok && strchr(path, '\\') && !add_slashed(w, path))
			ok = false;
	}
	bd_buf_release(&first);
	if (!ok)
		return false;
	if (w->npaths > 1)
		qsort(w->paths, w->npaths, sizeof(*w->paths), cmp_path);
	if (w->nslashed > 1)
		qsort(w->slashed, w->nslashed, sizeof(*w->slashed), cmp_path);
	return true;
}

/* Whether name is one RECORD lists with a '\\' where it has a '/'. */
static bool listed_slashed(const struct wheel *w, const char *name)
{
	const char *key = name;

	return w->nslashed && bsearch(&key, w->slashed, w->nslashed,
				      sizeof(*w->slashed), cmp_path);
}

/* Whether RECORD lists name, or, for a directory ("x/"), a path in it. */
static bool listed(const struct wheel *w, const char *name)
{
	size_t lo = 0, hi = w->npaths, len = strlen(name);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(w->paths[mid], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == w->npaths)
		return false;
	return len && name[len - 1] == '/' ? !strncmp(w->paths[lo], name, len)
					   : !strcmp(w->paths[lo], name);
}

/* ---- reading and writing the zip ---------------------------------------- */

/* libarchive's reason, which may be missing. Its messages are its own
 * (capitalised): ours come first, its reason follows in parentheses, as
 * the archive reader's warnings have it. */
static const char *la_reason(struct archive *a)
{
	const char *why = archive_error_string(a);

	return why ? why : "no reason given";
}

/* The wheel's one descriptor (src), read from its start: the survey and
 * the copy read the very bytes that were scanned and checked, whatever is
 * put at its name meanwhile. */
static int open_reader(struct archive **ar, int src, const char *shown,
		       struct bd_error *err)
{
	*ar = archive_read_new();
	if (!*ar)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (lseek(src, 0, SEEK_SET) != 0)
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot read",
				      shown);
	/* The seekable reader goes by the central directory, as pip and
	 * Python's zipfile do. */
	if (archive_read_support_format_zip_seekable(*ar) != ARCHIVE_OK ||
	    archive_read_open_fd(*ar, src, 64 * 1024) != ARCHIVE_OK)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': cannot read the wheel (%s)", shown,
				    la_reason(*ar));
	return 0;
}

static int read_failed(struct archive *ar, const char *shown,
		       struct bd_error *err)
{
	return bd_error_set(err, BD_EFORMAT, "'%s': cannot read the wheel (%s)",
			    shown, la_reason(ar));
}

/* A top-level "x.dist-info/" entry name: the directory's length, else 0. */
static size_t distinfo_len(const char *name)
{
	const char *slash = strchr(name, '/');
	size_t n = slash ? (size_t)(slash - name) : 0;

	return n > 10 && !memcmp(slash - 10, ".dist-info", 10) ? n : 0;
}

static void set_distinfo(struct wheel *w, const char *name, size_t dlen)
{
	snprintf(w->distinfo, sizeof(w->distinfo), "%.*s", (int)dlen, name);
	snprintf(w->record, sizeof(w->record), "%s/RECORD", w->distinfo);
	snprintf(w->ours, sizeof(w->ours), "%s/" BD_ATTACH_NAME, w->distinfo);
	snprintf(w->jws, sizeof(w->jws), "%s/RECORD.jws", w->distinfo);
	snprintf(w->p7s, sizeof(w->p7s), "%s/RECORD.p7s", w->distinfo);
}

/* The .dist-info directory (the one with a RECORD) and its signatures.
 * RECORD is written again with our line: one that is no regular file (a
 * symlink in the zip's Unix mode) would be written as a symlink to its
 * lines. */
static int note_name(struct wheel *w, struct archive_entry *e, const char *name,
		     struct bd_error *err)
{
	size_t dlen = distinfo_len(name), i;
	const char *file = name + dlen + 1;

	if (!dlen)
		return 0;
	w->signed_jws |= !strcmp(file, "RECORD.jws");
	w->signed_p7s |= !strcmp(file, "RECORD.p7s");
	w->sboms_blocked |=
		(!strcmp(file, "sboms") &&
		 archive_entry_filetype(e) != AE_IFDIR) ||
		!strncmp(file, BD_ATTACH_NAME "/", sizeof(BD_ATTACH_NAME));
	if (strcmp(file, "RECORD"))
		return 0;
	if (archive_entry_filetype(e) != AE_IFREG)
		return bd_error_set(
			err, BD_EFORMAT, "'%s!/%s': %s, not a regular file",
			w->shown, name,
			archive_entry_filetype(e) == AE_IFLNK ? "a symlink"
			: archive_entry_filetype(e) == AE_IFDIR
				? "a directory"
				: "a special entry");
	if (w->distinfo[0])
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': more than one .dist-info/RECORD",
				    w->shown);
	if (dlen >= sizeof(w->distinfo))
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': .dist-info name too long", w->shown);
	/* Its name is a normalised project name and version (PEP 427): our
	 * RECORD line names it, and RECORD is UTF-8. */
	for (i = 0; i < dlen; i++)
		if ((unsigned char)name[i] >= 0x80)
			return bd_error_set(err, BD_EFORMAT,
					    "'%s': a .dist-info name that is "
					    "not ASCII",
					    w->shown);
	set_distinfo(w, name, dlen);
	return 0;
}

/* Entry w->nentries's name marked UTF-8 or not; false when out of
 * memory. */
static bool note_mark(struct wheel *w, bool utf8)
{
	if (BD_GROW(w->utf8_names, w->aentries, w->nentries + 1))
		return false;
	w->utf8_names[w->nentries++] = utf8;
	return true;
}

static bool marked_utf8(const struct wheel *w, size_t i)
{
	return i < w->nentries && w->utf8_names[i];
}

/* RECORD's data read whole (a wheel's RECORD is a few KiB). */
#define RECORD_MAX (64u << 20)

/* RECORD's text, into w->record_text. */
static int read_record(struct wheel *w, struct archive *ar,
		       struct bd_error *err)
{
	char buf[64 * 1024];
	la_ssize_t n;

	while ((n = archive_read_data(ar, buf, sizeof(buf))) > 0) {
		bd_buf_add(&w->record_text, buf, (size_t)n);
		if (w->record_text.len > RECORD_MAX)
			return bd_error_set(err, BD_ELIMIT,
					    "'%s!/%s': larger than 64 MiB",
					    w->shown, w->record);
	}
	if (n < 0)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s!/%s': cannot read (%s)", w->shown,
				    w->record, la_reason(ar));
	return bd_buf_ok(&w->record_text)
		       ? 0
		       : bd_error_set(err, BD_ENOMEM, "out of memory");
}

/* One entry of the survey: r is what reading its header said. */
static int survey_entry(struct wheel *w, struct archive *ar,
			struct archive_entry *e, int r, struct bd_error *err)
{
	const char *name = archive_entry_pathname(e);
	bool had_record = w->distinfo[0] != '\0';
	int rc;

	if (!note_mark(w, r == ARCHIVE_WARN && !name))
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (r == ARCHIVE_WARN && name)
		return read_failed(ar, w->shown, err); /* another warning */
	/* No name and no warning: libarchive took it from an Info-ZIP
	 * Unicode Path field (0x7075), which it applies only where it can
	 * convert it, and which the writer would not keep: the name an
	 * installer reads could change. */
	if (r == ARCHIVE_OK && !name)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': an entry named by a Unicode Path "
				    "field, whose name could change",
				    w->shown);
	rc = name ? note_name(w, e, name, err) : 0;
	if (!rc && !had_record && w->distinfo[0])
		rc = read_record(w, ar, err);
	return rc;
}

/*
 * The first pass: the headers (the central directory) and RECORD, the
 * names as raw bytes (the "C" locale). A name marked UTF-8 that is not
 * ASCII cannot be converted to it: libarchive says ARCHIVE_WARN and gives
 * no name, which is how the mark is seen (libarchive shows no zip flags).
 * Such a name is never the RECORD's.
 */
static int survey_entries(struct wheel *w, struct archive *ar,
			  struct bd_error *err)
{
	struct archive_entry *e;
	int r, rc = 0;

	while (!rc && ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK ||
		       r == ARCHIVE_WARN))
		rc = survey_entry(w, ar, e, r, err);
	if (rc)
		return rc;
	return r != ARCHIVE_EOF ? read_failed(ar, w->shown, err) : 0;
}

/* Whether RECORD's last record is a quoted field without its end. */
static bool record_open(const struct wheel *w)
{
	const char *t = w->record_text.data;
	size_t len = w->record_text.len, i = 0;
	struct bd_attach_record r = { 0 };
	struct bd_buf first = BD_BUF_INIT;

	while (i < len)
		i += bd_attach_record_read(t + i, len - i, &first, &r);
	bd_buf_release(&first);
	return r.unended;
}

static int survey(struct wheel *w, int src, struct bd_error *err)
{
	struct bd_archive_names raw;
	struct archive *ar;
	int rc;

	if (!bd_archive_names_in(&raw, "C"))
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	rc = open_reader(&ar, src, w->shown, err);
	if (!rc)
		rc = survey_entries(w, ar, err);
	archive_read_free(ar);
	bd_archive_names_restore(&raw);
	if (!rc && !w->distinfo[0])
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': no .dist-info/RECORD: not a wheel",
				    w->shown);
	if (!rc && !index_record(w))
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	if (!rc && record_open(w))
		rc = bd_error_set(err, BD_EFORMAT,
				  "'%s!/%s': ends inside a quoted field: our "
				  "line would be read as part of it",
				  w->shown, w->record);
	return rc;
}

/* The writer's compression for the entry just read: the reader names
 * each entry's format "ZIP 1.0 (uncompressed)" or "ZIP 2.0 (deflation)". */
static int keep_compression(struct archive *ar, struct archive *aw,
			    const char *shown, const char *name,
			    struct bd_error *err)
{
	const char *f = archive_format_name(ar);
	int r;

	/* The writer's own calls, which may come between entries (its
	 * "compression" option is for a new writer only). */
	if (f && strstr(f, "uncompressed"))
		r = archive_write_zip_set_compression_store(aw);
	else if (f && strstr(f, "deflat"))
		r = archive_write_zip_set_compression_deflate(aw);
	else
		return bd_error_set(err, BD_EFORMAT,
				    "'%s!/%s': compressed as %s, which "
				    "cannot be written again",
				    shown, name, f ? f : "unknown");
	if (r != ARCHIVE_OK)
		return bd_error_set(err, BD_EIO, "'%s': cannot write (%s)",
				    shown, la_reason(aw));
	return 0;
}

struct copy {
	struct archive *ar, *aw;
	const struct wheel *w;
	const struct bd_attach_options *o;
	const char *sbom;
	size_t sbom_len;
	uint64_t copied;
	struct bd_error *err;
	/* The names written, as libarchive read them: two entries that read
	 * alike (a decomposed and a composed spelling, "a\\b" and "a/b" in
	 * MS-DOS entries, a Unicode Path field naming another entry) would
	 * be unpacked to one path. */
	struct bd_map written;
	struct bd_arena written_names;
	const struct bd_diag *diag;
	size_t unlisted; /* files RECORD does not list */
	int fd;		 /* the new wheel */
	int write_errno; /* its first write(2) that failed; 0: none */
};

static int write_failed(struct copy *c)
{
	if (c->write_errno)
		return bd_error_errno(c->err, BD_EIO, c->write_errno,
				      "'%s': cannot write", c->w->shown);
	return bd_error_set(c->err, BD_EIO, "'%s': cannot write (%s)",
			    c->w->shown, la_reason(c->aw));
}

/*
 * The writer's output, to the new wheel. A failed write(2) (a full disk,
 * RLIMIT_FSIZE) is kept and said by the copy (write_failed), never
 * returned to libarchive: a zip writer it leaves fatal in a deflated
 * entry leaks its deflate stream when freed (libarchive 3.6), and its
 * "Write error" gives no reason. What follows is dropped.
 */
static la_ssize_t sink(struct archive *aw, void *data, const void *buf,
		       size_t n)
{
	struct copy *c = data;
	const char *p = buf;
	size_t left = n;

	(void)aw;
	while (!c->write_errno && left) {
		ssize_t w = write(c->fd, p, left);

		if (w < 0 && errno != EINTR)
			c->write_errno = errno ? errno : EIO;
		else if (w == 0) /* no progress: never loop on it */
			c->write_errno = EIO;
		if (w > 0) {
			p += w;
			left -= (size_t)w;
		}
	}
	return (la_ssize_t)n;
}

static bool stopped(const struct copy *c)
{
	return c->o->stop && *c->o->stop;
}

/* The entry's data, as it is, after its header. */
static int copy_data(struct copy *c, const char *name)
{
	char buf[64 * 1024];
	la_ssize_t n;

	while ((n = archive_read_data(c->ar, buf, sizeof(buf))) > 0) {
		if (stopped(c))
			return BD_EINTR;
		c->copied += (uint64_t)n;
		if (c->copied > c->o->max_size)
			return bd_error_set(c->err, BD_ELIMIT,
					    "'%s': more than %llu bytes "
					    "unpacked (--max-unpacked)",
					    c->w->shown,
					    (unsigned long long)c->o->max_size);
		if (archive_write_data(c->aw, buf, (size_t)n) != n ||
		    c->write_errno)
			return write_failed(c);
	}
	if (n < 0)
		return bd_error_set(c->err, BD_EFORMAT,
				    "'%s!/%s': cannot read (%s)", c->w->shown,
				    name, la_reason(c->ar));
	return 0;
}

/*
 * The data of a file, as long as its headers say: libarchive's writer
 * puts that length in the new local header, so a wheel whose central
 * directory and local header disagree (a length its local header or its
 * data does not have) would come out with a local header that no reader
 * going by it can follow, libarchive's own included.
 */
static int copy_file(struct copy *c, struct archive_entry *e, const char *name)
{
	uint64_t before = c->copied;
	int rc = copy_data(c, name);

	if (!rc && archive_entry_size_is_set(e) &&
	    c->copied - before != (uint64_t)archive_entry_size(e))
		rc = bd_error_set(c->err, BD_EFORMAT,
				  "'%s!/%s': %llu bytes of data where its "
				  "header says %lld",
				  c->w->shown, name,
				  (unsigned long long)(c->copied - before),
				  (long long)archive_entry_size(e));
	return rc;
}

static int write_entry(struct copy *c, struct archive_entry *e,
		       const char *data, size_t len)
{
	if (archive_write_header(c->aw, e) != ARCHIVE_OK)
		return write_failed(c);
	if (len && archive_write_data(c->aw, data, len) != (la_ssize_t)len)
		return write_failed(c);
	return archive_write_finish_entry(c->aw) == ARCHIVE_OK &&
			       !c->write_errno
		       ? 0
		       : write_failed(c);
}

/* 1980-01-02: the first date a zip's DOS time can hold, in any zone. */
#define ZIP_EPOCH 315619200

/* Our SBOM, deflated, just before RECORD. */
static int write_ours(struct copy *c)
{
	struct archive_entry *e = archive_entry_new();
	int rc;

	if (!e)
		return bd_error_set(c->err, BD_ENOMEM, "out of memory");
	archive_entry_set_pathname(e, c->w->ours);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)c->sbom_len);
	archive_entry_set_mtime(
		e, c->o->mtime < ZIP_EPOCH ? ZIP_EPOCH : c->o->mtime, 0);
	rc = archive_write_zip_set_compression_deflate(c->aw) == ARCHIVE_OK
		     ? write_entry(c, e, c->sbom, c->sbom_len)
		     : write_failed(c);
	archive_entry_free(e);
	return rc;
}

static int copy_record(struct copy *c, struct archive_entry *e)
{
	const struct bd_buf *old = &c->w->record_text;
	struct bd_buf rec = BD_BUF_INIT;
	char hash[64];
	int rc = 0;

	/* Its text was read by the survey. */
	if (bd_attach_record_hash(c->sbom, c->sbom_len, hash))
		rc = bd_error_set(c->err, BD_ENOMEM, "out of memory");
	if (!rc) {
		if (new_record(c->w, old->data ? old->data : "", old->len, hash,
			       c->sbom_len, c->o->force, &rec))
			rc = bd_error_set(c->err, BD_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = write_ours(c);
	if (!rc)
		rc = keep_compression(c->ar, c->aw, c->w->shown, c->w->record,
				      c->err);
	if (!rc) {
		archive_entry_set_size(e, (la_int64_t)rec.len);
		rc = write_entry(c, e, rec.data, rec.len);
	}
	bd_buf_release(&rec);
	return rc;
}

/* Our SBOM, dropped to be written again, is one RECORD lists: another
 * entry read under its name (an MS-DOS "x.dist-info\\sboms\\...", a
 * Unicode Path field) is not dropped unseen. Signatures are never
 * listed. */
static int dropped_listed(struct copy *c, const char *name)
{
	if (strcmp(name, c->w->ours) || listed(c->w, name))
		return 0;
	return bd_error_set(c->err, BD_EFORMAT,
			    "'%s!/%s': our SBOM's name, but not listed in "
			    "RECORD: another entry read under it",
			    c->w->shown, name);
}

/*
 * A file of the wheel (not a directory) is one RECORD lists, as
 * libarchive read its name (PEP 376: every file but the signatures, and
 * RECORD itself without a hash). One it does not list is copied, with a
 * warning: published wheels leave files out of RECORD (pip does not
 * check), and a name changed on the way in (a Unicode Path field, an
 * MS-DOS name) is one RECORD would not list. The first few are named.
 */
#define UNLISTED_SHOWN 8

static int listed_file(struct copy *c, struct archive_entry *e,
		       const char *name)
{
	if (archive_entry_filetype(e) == AE_IFDIR || listed(c->w, name) ||
	    !strcmp(name, c->w->jws) || !strcmp(name, c->w->p7s))
		return 0;
	/* RECORD lists it by a '\\' libarchive read as '/': copied, it
	 * would be renamed, and RECORD no longer list it. */
	if (listed_slashed(c->w, name))
		return bd_error_set(c->err, BD_EFORMAT,
				    "'%s!/%s': read with '/' where RECORD "
				    "lists its name with a backslash: it "
				    "would be renamed",
				    c->w->shown, name);
	if (c->unlisted++ < UNLISTED_SHOWN)
		bd_diag_report(c->diag, BD_DIAG_WARNING,
			       "'%s!/%s': a file RECORD does not list (as "
			       "read), copied as read",
			       c->w->shown, name);
	return 0;
}

/* The first entry written under name, or an error. */
static int written_once(struct copy *c, const char *name)
{
	uint32_t unused;
	char *key;

	if (bd_map_get(&c->written, name, &unused))
		return bd_error_set(c->err, BD_EFORMAT,
				    "'%s!/%s': two entries read under this "
				    "name would be unpacked to one path",
				    c->w->shown, name);
	key = bd_arena_strdup(&c->written_names, name);
	if (!key || bd_map_put(&c->written, key, 0))
		return bd_error_set(c->err, BD_ENOMEM, "out of memory");
	return 0;
}

static int copy_entry(struct copy *c, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	int rc;

	/* An empty name too: libarchive 3.6's zip writer fails on one with
	 * no reason, and the writer it leaves fatal leaks its buffers when
	 * freed (fixed in libarchive 3.8, PR #2729). */
	if (!name || !*name)
		return bd_error_set(c->err, BD_EFORMAT,
				    "'%s': an entry without a name",
				    c->w->shown);
	/* Dropped entries too: a second one read under our SBOM's name (a
	 * Unicode Path field, an MS-DOS name) is no copy of ours. */
	rc = written_once(c, name);
	if (rc)
		return rc;
	if (dropped(c->w, name, c->o->force))
		return dropped_listed(c, name);
	if (!strcmp(name, c->w->record))
		return copy_record(c, e);
	rc = keep_compression(c->ar, c->aw, c->w->shown, name, c->err);
	if (!rc)
		rc = listed_file(c, e, name);
	if (!rc && archive_write_header(c->aw, e) != ARCHIVE_OK)
		rc = write_failed(c);
	if (!rc && archive_entry_filetype(e) == AE_IFREG)
		rc = copy_file(c, e, name);
	if (!rc &&
	    (archive_write_finish_entry(c->aw) != ARCHIVE_OK || c->write_errno))
		rc = write_failed(c);
	return rc;
}

/*
 * Entry i, written under the "C" locale unless its name was marked UTF-8:
 * libarchive's writer marks a name that is not ASCII by the locale alone.
 * A marked name is read composed to Unicode NFC (libarchive does so
 * whatever the locale): it is copied only where RECORD lists it so, the
 * bytes it was written with (a decomposed name, as macOS's HFS+ made
 * them, would change).
 */
static int copy_marked(struct copy *c, struct archive_entry *e, size_t i)
{
	/* Read as UTF-8 first: a name libarchive holds only as wide
	 * characters (an MS-DOS entry's) is kept so for the "C" locale. */
	const char *name = archive_entry_pathname(e);
	struct bd_archive_names raw;
	int rc;

	if (marked_utf8(c->w, i)) {
		if (name && !listed(c->w, name))
			return bd_error_set(
				c->err, BD_EFORMAT,
				"'%s!/%s': a name marked UTF-8 that RECORD "
				"does not list as read (composed to Unicode "
				"NFC): its bytes could change",
				c->w->shown, name);
		return copy_entry(c, e);
	}
	if (!bd_archive_names_in(&raw, "C"))
		return bd_error_set(c->err, BD_ENOMEM, "out of memory");
	rc = copy_entry(c, e);
	bd_archive_names_restore(&raw);
	return rc;
}

/* Every entry of the wheel at path into the zip written to fd, its name
 * read as UTF-8 where marked so, and as raw bytes where not. */
static int copy_wheel(struct copy *c, int src, int fd)
{
	struct archive_entry *e;
	size_t i = 0;
	int r = ARCHIVE_OK, rc = open_reader(&c->ar, src, c->w->shown, c->err);

	c->aw = archive_write_new();
	if (!rc && !c->aw)
		rc = bd_error_set(c->err, BD_ENOMEM, "out of memory");
	c->fd = fd;
	/* No padding after the zip (the writer's blocks are for tapes). */
	if (!rc &&
	    (archive_write_set_format_zip(c->aw) != ARCHIVE_OK ||
	     archive_write_set_bytes_in_last_block(c->aw, 1) != ARCHIVE_OK ||
	     archive_write_open(c->aw, c, NULL, sink, NULL) != ARCHIVE_OK))
		rc = write_failed(c);
	while (!rc && (r = archive_read_next_header(c->ar, &e)) == ARCHIVE_OK)
		rc = stopped(c) ? BD_EINTR : copy_marked(c, e, i++);
	if (!rc && r == ARCHIVE_WARN && !archive_entry_pathname(e))
		rc = bd_error_set(c->err, BD_EFORMAT,
				  "'%s': an entry's name is marked UTF-8 but "
				  "is not",
				  c->w->shown);
	if (!rc && r != ARCHIVE_EOF)
		rc = read_failed(c->ar, c->w->shown, c->err);
	if (!rc && (archive_write_close(c->aw) != ARCHIVE_OK || c->write_errno))
		rc = write_failed(c);
	archive_read_free(c->ar);
	if (c->aw)
		archive_write_free(c->aw);
	return rc;
}

/* ---- the temporary and the rename ---------------------------------------- */

struct dest {
	char path[PATH_MAX]; /* the wheel to write */
	char dir[PATH_MAX];  /* its directory, as errors name it */
	const char *name;    /* its base name, in path */
	int dirfd;	     /* its directory, where the new wheel is made */
	/* The new wheel's name while it is written: "" as long as it has
	 * none (bd_output_temp_open). */
	char tmp[BD_OUTPUT_TMP_MAX];
	mode_t mode; /* its permission bits: no setuid, setgid, sticky */
	uid_t uid;   /* the owner of the wheel replaced (in place) */
	gid_t gid;
	bool keep_owner;
};

static int find_dest(struct dest *d, const char *path, const char *shown,
		     const struct stat *read, const struct bd_attach_options *o,
		     struct bd_error *err)
{
	const char *base = strrchr(path, '/');
	const char *slash;
	struct stat st;
	int n;

	base = base ? base + 1 : path;
	if (o->dest_dir) {
		n = snprintf(d->path, sizeof(d->path), "%s/%s", o->dest_dir,
			     base);
		/* The file read's mode and identity (read: fstat of its
		 * descriptor), never its name's: the name may lead to
		 * another file since it was opened, whose mode the new
		 * wheel took, and which the check below compared. */
		d->mode = read->st_mode & 0777;
		/* --attach-dir leaves the inputs as they are: not one that
		 * is the wheel to write (its own directory given, or another
		 * name of the file read there). */
		if (n > 0 && (size_t)n < sizeof(d->path) &&
		    !stat(d->path, &st) && st.st_dev == read->st_dev &&
		    st.st_ino == read->st_ino)
			return bd_error_set(err, BD_EIO,
					    "'%s': --attach-dir is where it "
					    "is: it would be replaced, not "
					    "left as it is",
					    shown);
	} else {
		/* The file a symlink names is replaced; the link stays.
		 * Which file that is now is checked once its directory is
		 * open (same_as_read): the name may lead elsewhere since. */
		if (!realpath(path, d->path))
			return bd_error_errno(err, BD_EIO, errno, "'%s'",
					      shown);
		/* The wheel replaced stays whose it was, and a wheel is
		 * never setuid, setgid or sticky: run as root, the new file
		 * was root's, with the input's 6777. The file read's: the
		 * one the name leads to now may be another. */
		d->mode = read->st_mode & 0777;
		d->uid = read->st_uid;
		d->gid = read->st_gid;
		d->keep_owner = true;
		n = (int)strlen(d->path);
	}
	if (n < 0 || (size_t)n >= sizeof(d->path))
		return bd_error_set(err, BD_EIO, "'%s': path too long", shown);
	slash = strrchr(d->path, '/');
	d->name = slash ? slash + 1 : d->path;
	snprintf(d->dir, sizeof(d->dir), "%.*s",
		 !slash		    ? 1
		 : slash == d->path ? 1
				    : (int)(slash - d->path),
		 slash ? d->path : ".");
	return 0;
}

/*
 * Whether the name replaced in place is the file read (src's, read), a
 * regular file, not a symlink, in the directory open (d->dirfd): anyone
 * who can write to dist/ could have put a symlink at the wheel's name once
 * it was open, and realpath() followed it to a file of theirs choosing,
 * which was replaced by the wheel read, with its owner and mode. The
 * rename replaces the name in that directory, never what a link there
 * names. With --attach-dir, the file is another.
 */
static int same_as_read(const struct dest *d, const struct stat *read,
			const struct bd_attach_options *o, const char *shown,
			struct bd_error *err)
{
	struct stat now;

	if (o->dest_dir)
		return 0;
	if (!fstatat(d->dirfd, d->name, &now, AT_SYMLINK_NOFOLLOW) &&
	    S_ISREG(now.st_mode) && now.st_dev == read->st_dev &&
	    now.st_ino == read->st_ino)
		return 0;
	return bd_error_set(err, BD_EIO,
			    "'%s': changed since it was scanned (its name "
			    "leads to another file now): not attached",
			    shown);
}

/* Given the wheel's owner and mode, flushed, named and renamed over the
 * destination; fd closed. */
static int commit(struct dest *d, int fd, struct bd_error *err)
{
	if (d->keep_owner && geteuid() == 0 && fchown(fd, d->uid, d->gid)) {
		int e = errno;

		bd_output_temp_drop(d->dirfd, fd, d->tmp);
		return bd_error_errno(err, BD_EIO, e, "'%s': cannot write",
				      d->path);
	}
	return bd_output_temp_commit(d->dirfd, fd, d->path, d->name, d->tmp,
				     d->mode, err);
}

static int refuse_signed(const struct wheel *w, bool force,
			 const struct bd_diag *diag, struct bd_error *err)
{
	const char *sig = w->signed_jws ? "RECORD.jws" : "RECORD.p7s";

	if (!w->signed_jws && !w->signed_p7s)
		return 0;
	if (!force)
		return bd_error_set(err, BD_EUSAGE,
				    "'%s': a signed wheel (%s): adding the "
				    "SBOM would break its signature; --force "
				    "drops the signature",
				    w->shown, sig);
	bd_diag_report(diag, BD_DIAG_WARNING,
		       "'%s': --force: its signature (%s%s) dropped: sign "
		       "the wheel again",
		       w->shown, sig,
		       w->signed_jws && w->signed_p7s ? ", RECORD.p7s" : "");
	return 0;
}

/* The wheel opened once, a regular file, and the same bytes as were
 * scanned when sha256 is given: swapped since (renamed over, rewritten),
 * its SBOM would be another's, or its RECORD another's entries. */
static int open_scanned(const char *path, const char *shown, const char *sha256,
			int *src, struct stat *st, struct bd_error *err)
{
	char now[BD_SHA256_HEX_LEN + 1];

	*src = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (*src < 0)
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot open",
				      shown);
	if (fstat(*src, st) || !S_ISREG(st->st_mode))
		return bd_error_set(err, BD_EIO, "'%s': not a regular file",
				    shown);
	if (!sha256)
		return 0;
	if (bd_sha256_fd(*src, now))
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot read",
				      shown);
	return strcmp(now, sha256)
		       ? bd_error_set(err, BD_EIO,
				      "'%s': changed since it was scanned: "
				      "not attached",
				      shown)
		       : 0;
}

static int attach_wheel(const char *path, const char *shown, const char *sbom,
			size_t len, const struct bd_attach_options *o,
			const struct bd_diag *diag, struct bd_error *err)
{
	struct wheel *w = calloc(1, sizeof(*w));
	struct dest *d = calloc(1, sizeof(*d));
	struct copy c = { 0 };
	struct stat read;
	int fd = -1, src = -1, rc = BD_ENOMEM;

	if (!w || !d) {
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
		goto out;
	}
	d->dirfd = -1;
	w->shown = shown;
	rc = open_scanned(path, shown, o->sha256, &src, &read, err);
	if (!rc)
		rc = survey(w, src, err);
	if (!rc)
		rc = refuse_signed(w, o->force, diag, err);
	if (!rc && w->sboms_blocked)
		rc = bd_error_set(err, BD_EFORMAT,
				  "'%s': its .dist-info has an 'sboms' that is "
				  "not a directory, or entries below '%s': "
				  "with the SBOM it would not install",
				  shown, BD_ATTACH_NAME);
	if (!rc)
		rc = find_dest(d, path, shown, &read, o, err);
	if (rc)
		goto out;
	/* Unnamed until it is whole: a run killed meanwhile leaves nothing
	 * beside the wheel. */
	d->dirfd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->dirfd >= 0) {
		rc = same_as_read(d, &read, o, shown, err);
		if (rc)
			goto out;
	}
	if (d->dirfd < 0 ||
	    bd_output_temp_open(d->dirfd, d->name, d->tmp, &fd)) {
		/* The wheel named: with several, each has its line. */
		rc = bd_error_errno(err, BD_EIO, errno,
				    "'%s': cannot create the new wheel in '%s'",
				    shown, o->dest_dir ? o->dest_dir : d->dir);
		goto out;
	}
	c = (struct copy){ .w = w,
			   .o = o,
			   .sbom = sbom,
			   .sbom_len = len,
			   .err = err,
			   .diag = diag };
	bd_map_init(&c.written);
	bd_arena_init(&c.written_names);
	rc = copy_wheel(&c, src, fd);
	if (c.unlisted > UNLISTED_SHOWN)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': %zu more files RECORD does not list",
			       shown, c.unlisted - UNLISTED_SHOWN);
	bd_map_release(&c.written);
	bd_arena_release(&c.written_names);
	if (rc == BD_EINTR)
		bd_error_set(err, BD_EINTR, "'%s': interrupted: left as it was",
			     shown);
	/* Again just before the rename: it may have been swapped since. */
	if (!rc)
		rc = same_as_read(d, &read, o, shown, err);
	if (!rc) {
		rc = commit(d, fd, err);
		fd = -1;
	}
out:
	if (fd >= 0)
		bd_output_temp_drop(d->dirfd, fd, d->tmp);
	if (d && d->dirfd >= 0)
		close(d->dirfd);
	if (src >= 0)
		close(src);
	if (w) {
		free(w->utf8_names);
		bd_buf_release(&w->record_text);
		free(w->paths_text);
		free(w->paths);
		while (w->nslashed)
			free(w->slashed[--w->nslashed]);
		free(w->slashed);
	}
	free(w);
	free(d);
	return rc;
}

/* A wheel's names marked UTF-8 are read and written as UTF-8 whatever
 * the program's locale (the survey's and the copy's unmarked names as
 * raw bytes). */
int bd_attach_wheel(const char *path, const char *shown, const char *sbom,
		    size_t len, const struct bd_attach_options *o,
		    const struct bd_diag *diag, struct bd_error *err)
{
	struct bd_archive_names names;
	int rc;

	bd_archive_names_in(&names, "C.UTF-8");
	rc = attach_wheel(path, shown, sbom, len, o, diag, err);
	bd_archive_names_restore(&names);
	return rc;
}
