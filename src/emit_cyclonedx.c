/* SPDX-License-Identifier: MIT */
/*
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/). Every scanned
 * file is a component with its hash, occurrences and bindep: properties;
 * every edge is in "dependencies"; what could not be read or resolved is
 * listed in an "incomplete" composition. A release artifact (issue 12) is a
 * component too, whose dependencies are what it holds; the target depends
 * on the inputs it holds itself, not on the files inside its artifacts.
 */
#include "bindep/emit.h"

#include "bindep/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_REF  "target"
#define FROM_ONLINE "from ecosyste.ms"

/* Building state: cJSON calls return NULL when out of memory, and one
 * flag remembers it so that each call site need not. */
struct cdx {
	const struct bd_graph *g;
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	struct bd_emit_holders holders;
	cJSON *props; /* the properties array being filled */
	struct bd_json j;
};

/* A package format is a "library" (CycloneDX 1.6: "a software library",
 * what syft calls a wheel, an npm tarball, a .deb); an archive of no
 * ecosystem, or of one we do not know, is a "file". */
static const char *artifact_type(const struct bd_component *c)
{
	static const char *const packages[] = { "wheel", "npm", "jar", "conda",
						"deb",	 "rpm", "apk" };
	size_t i;

	for (i = 0; c->artifact_type && i < BD_ARRAY_SIZE(packages); i++) {
		if (!strcmp(c->artifact_type, packages[i]))
			return "library";
	}
	return "file";
}

static const char *component_type(const struct bd_component *c)
{
	switch (c->kind) {
	case BD_COMP_EXECUTABLE: return "application";
	case BD_COMP_LIBRARY: return "library";
	case BD_COMP_UNRESOLVED: return "library";
	case BD_COMP_ARTIFACT: return artifact_type(c);
	default: return "file";
	}
}

/* ---- properties ------------------------------------------------------- */

static void add_property(void *ctx, const char *name, const char *value)
{
	struct cdx *x = ctx;
	cJSON *p = bd_json_push_object(&x->j, x->props);

	if (!p)
		return;
	bd_json_add_string(&x->j, p, "name", name);
	/* A replaced value keeps its raw bytes under the property's name. */
	x->j.raw_label = name;
	bd_json_add_string(&x->j, p, "value", value);
	x->j.raw_label = NULL;
}

static void properties(struct cdx *x, cJSON *comp, uint32_t id)
{
	/* An artifact's locations are its occurrences, as a file's. */
	x->props = bd_json_add_array(&x->j, comp, "properties");
	if (!x->props)
		return;
	bd_emit_properties(x->g, x->flags, id, add_property, x);
}

/* Last: the raw bytes of what the UTF-8 policy replaced (bindep/json.h),
 * evidence included, join the properties. */
static void raw_properties(struct cdx *x, cJSON *comp)
{
	if (x->props)
		bd_json_raw_end(&x->j, add_property, x);
	if (x->props && !cJSON_GetArraySize(x->props))
		cJSON_DeleteItemFromObject(comp, "properties");
	x->props = NULL;
}

/* ---- components ------------------------------------------------------- */

/* evidence.identity (CycloneDX 1.6): how each field was concluded. */
static void identity(struct cdx *x, cJSON *ev, const struct bd_component *c)
{
	cJSON *list = bd_json_add_array(&x->j, ev, "identity");
	size_t i;

	for (i = 0; list && i < c->nids; i++) {
		const struct bd_identity *f = &c->ids[i];
		cJSON *id = bd_json_push_object(&x->j, list);
		cJSON *methods, *m;

		if (!id)
			return;
		bd_json_add_string(&x->j, id, "field", f->field);
		bd_json_add_number(&x->j, id, "confidence", f->confidence);
		bd_json_add_string(&x->j, id, "concludedValue", f->value);
		methods = bd_json_add_array(&x->j, id, "methods");
		m = methods ? bd_json_push_object(&x->j, methods) : NULL;
		if (!m)
			return;
		bd_json_add_string(&x->j, m, "technique", f->technique);
		bd_json_add_number(&x->j, m, "confidence", f->confidence);
		bd_json_add_string(&x->j, m, "value", f->method);
	}
}

static void hashes(struct cdx *x, cJSON *comp, const struct bd_component *c)
{
	cJSON *arr, *h;

	if (!c->sha256[0])
		return;
	arr = bd_json_add_array(&x->j, comp, "hashes");
	h = arr ? bd_json_push_object(&x->j, arr) : NULL;
	if (h) {
		bd_json_add_string(&x->j, h, "alg", "SHA-256");
		bd_json_add_string(&x->j, h, "content", c->sha256);
	}
}

static void licenses(struct cdx *x, cJSON *comp, const struct bd_component *c)
{
	cJSON *arr, *l;

	if (!c->license)
		return;
	arr = bd_json_add_array(&x->j, comp, "licenses");
	l = arr ? bd_json_push_object(&x->j, arr) : NULL;
	if (l) {
		bd_json_add_string(&x->j, l, "expression", c->license);
		/* The upstream project's, as the registry records it. */
		bd_json_add_string(&x->j, l, "acknowledgement", "declared");
	}
}

static void reference(struct cdx *x, cJSON **arr, cJSON *comp, const char *type,
		      const char *url, const char *comment)
{
	cJSON *r;

	if (!url)
		return;
	if (!*arr)
		*arr = bd_json_add_array(&x->j, comp, "externalReferences");
	r = *arr ? bd_json_push_object(&x->j, *arr) : NULL;
	if (r) {
		bd_json_add_string(&x->j, r, "type", type);
		bd_json_add_string(&x->j, r, "url", url);
		bd_json_add_string(&x->j, r, "comment", comment);
	}
}

static void evidence(struct cdx *x, cJSON *comp, const struct bd_component *c)
{
	cJSON *ev, *arr;
	size_t i;

	if (!c->paths.n && !c->nids)
		return;
	ev = bd_json_add_object(&x->j, comp, "evidence");
	if (ev && c->nids)
		identity(x, ev, c);
	arr = ev && c->paths.n ? bd_json_add_array(&x->j, ev, "occurrences")
			       : NULL;
	for (i = 0; arr && i < c->paths.n; i++) {
		cJSON *o = bd_json_push_object(&x->j, arr);

		if (o)
			bd_json_add_string(&x->j, o, "location",
					   c->paths.items[i]);
	}
}

static void component(struct cdx *x, cJSON *arr, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	cJSON *comp = bd_json_push_object(&x->j, arr);
	cJSON *refs = NULL;

	if (!comp)
		return;
	bd_json_raw_begin(&x->j);
	bd_json_add_string(&x->j, comp, "type", component_type(c));
	bd_json_add_ref(&x->j, comp, "bom-ref", c->key);
	bd_json_add_string(&x->j, comp, "name", c->name);
	bd_json_add_string(&x->j, comp, "version", c->version);
	/* Reached only through .note.dlopen entries: optional. */
	if (bd_emit_optional(x->flags, id))
		bd_json_add_string(&x->j, comp, "scope", "optional");
	hashes(x, comp, c);
	licenses(x, comp, c);
	bd_json_add_string(&x->j, comp, "cpe", c->cpe);
	bd_json_add_string(&x->j, comp, "purl", c->purl);
	reference(x, &refs, comp, "vcs", c->repository,
		  c->repository_online ? FROM_ONLINE : NULL);
	reference(x, &refs, comp, "website", c->homepage,
		  c->homepage_online ? FROM_ONLINE : NULL);
	/* CycloneDX 1.6 has no funding type: "other", said in the comment. */
	for (size_t i = 0; i < c->funding.n; i++)
		reference(x, &refs, comp, "other", c->funding.items[i],
			  "funding (from ecosyste.ms)");
	properties(x, comp, id);
	evidence(x, comp, c);
	raw_properties(x, comp);
}

/* ---- dependencies and compositions ------------------------------------ */

static void depends_on(struct cdx *x, cJSON *deps, const char *ref,
		       const uint32_t *targets, size_t n)
{
	cJSON *d = bd_json_push_object(&x->j, deps);
	cJSON *on;
	size_t i;

	if (!d)
		return;
	bd_json_add_ref(&x->j, d, "ref", ref);
	on = bd_json_add_array(&x->j, d, "dependsOn");
	for (i = 0; on && i < n; i++) {
		/* Targets are sorted: skip repeats (needed and dlopen). */
		if (i && targets[i] == targets[i - 1])
			continue;
		bd_json_push_ref(&x->j, on, x->g->comps[targets[i]].key);
	}
}

static void dependencies(struct cdx *x, cJSON *root, uint32_t *scratch)
{
	const struct bd_graph *g = x->g;
	cJSON *deps = bd_json_add_array(&x->j, root, "dependencies");
	size_t i, e = 0, n = 0;

	if (!deps)
		return;
	/* The target contains the files scanned from the inputs and the
	 * artifacts; what they load, or hold, hangs off them. */
	for (i = 0; i < g->ncomps; i++) {
		if (bd_emit_top_level(g, x->flags, &x->holders, (uint32_t)i))
			scratch[n++] = (uint32_t)i;
	}
	depends_on(x, deps, TARGET_REF, scratch, n);
	/* Edges are sorted by source, then target. Unresolved components
	 * get no entry: their dependencies are unknown, not none. An
	 * artifact's are what it holds (BD_EDGE_CONTAINS). */
	for (i = 0; i < g->ncomps; i++) {
		n = 0;
		while (e < g->nedges && g->edges[e].from < i)
			e++;
		while (e < g->nedges && g->edges[e].from == i)
			scratch[n++] = g->edges[e++].to;
		if (g->comps[i].kind != BD_COMP_UNRESOLVED)
			depends_on(x, deps, g->comps[i].key, scratch, n);
	}
}

/* Unresolved sonames and unreadable files are incomplete assemblies; the
 * files that need them have incomplete dependencies. */
static void incomplete(struct cdx *x, cJSON *list)
{
	const struct bd_graph *g = x->g;
	cJSON *comp = NULL, *assemblies = NULL, *deps = NULL;
	size_t i;

	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];
		bool bad = c->kind == BD_COMP_UNRESOLVED || c->error;
		bool needs =
			c->error || (x->flags[i] & BD_EMIT_NEEDS_UNRESOLVED);

		if ((bad || needs) && !comp) {
			comp = bd_json_push_object(&x->j, list);
			if (!comp)
				return;
			bd_json_add_string(&x->j, comp, "aggregate",
					   "incomplete");
		}
		if (bad && !assemblies)
			assemblies =
				bd_json_add_array(&x->j, comp, "assemblies");
		if (bad && assemblies)
			bd_json_push_ref(&x->j, assemblies, c->key);
		if (needs && !deps)
			deps = bd_json_add_array(&x->j, comp, "dependencies");
		if (needs && deps)
			bd_json_push_ref(&x->j, deps, c->key);
	}
}

/* Components nothing identified: what they are is unknown. */
static void unidentified(struct cdx *x, cJSON *list)
{
	const struct bd_graph *g = x->g;
	cJSON *comp = NULL, *assemblies = NULL;
	size_t i;

	for (i = 0; i < g->ncomps; i++) {
		if (g->comps[i].purl)
			continue;
		if (!comp) {
			comp = bd_json_push_object(&x->j, list);
			if (!comp)
				return;
			bd_json_add_string(&x->j, comp, "aggregate", "unknown");
			assemblies =
				bd_json_add_array(&x->j, comp, "assemblies");
		}
		if (assemblies)
			bd_json_push_ref(&x->j, assemblies, g->comps[i].key);
	}
}

/* --online: the components whose lookups failed, in a composition of
 * their own, so that what is missing is the enrichment, not the graph. */
static void online_incomplete(struct cdx *x, cJSON *list)
{
	const struct bd_graph *g = x->g;
	cJSON *comp = NULL, *assemblies = NULL;
	size_t i;

	for (i = 0; i < g->ncomps; i++) {
		if (!g->comps[i].online_incomplete)
			continue;
		if (!comp) {
			comp = bd_json_push_object(&x->j, list);
			if (!comp)
				return;
			bd_json_add_string(&x->j, comp, "bom-ref",
					   "online-enrichment");
			bd_json_add_string(&x->j, comp, "aggregate",
					   "incomplete");
			assemblies =
				bd_json_add_array(&x->j, comp, "assemblies");
		}
		if (assemblies)
			bd_json_push_ref(&x->j, assemblies, g->comps[i].key);
	}
}

static void compositions(struct cdx *x, cJSON *root)
{
	cJSON *list = bd_json_add_array(&x->j, root, "compositions");

	if (!list)
		return;
	incomplete(x, list);
	unidentified(x, list);
	online_incomplete(x, list);
	if (!cJSON_GetArraySize(list))
		cJSON_DeleteItemFromObject(root, "compositions");
}

/* ---- document --------------------------------------------------------- */

static void metadata(struct cdx *x, cJSON *root,
		     const struct bd_emit_options *o)
{
	cJSON *md = bd_json_add_object(&x->j, root, "metadata");
	cJSON *tools, *list, *tool, *target;
	char ts[32];

	if (!md)
		return;
	bd_emit_timestamp(o->timestamp, ts);
	bd_json_add_string(&x->j, md, "timestamp", ts);
	tools = bd_json_add_object(&x->j, md, "tools");
	list = tools ? bd_json_add_array(&x->j, tools, "components") : NULL;
	tool = list ? bd_json_push_object(&x->j, list) : NULL;
	if (tool) {
		bd_json_add_string(&x->j, tool, "type", "application");
		bd_json_add_string(&x->j, tool, "name", BD_PROGRAM);
		bd_json_add_string(&x->j, tool, "version", BD_VERSION);
	}
	target = bd_json_add_object(&x->j, md, "component");
	if (target) {
		/* An image (issue 12, point 5): a "container" with its
		 * pkg:oci purl; its version is the manifest digest. */
		bd_json_add_string(&x->j, target, "type",
				   o->source_purl ? "container"
						  : "application");
		bd_json_add_string(&x->j, target, "bom-ref", TARGET_REF);
		bd_json_add_string(&x->j, target, "name", o->source_name);
		bd_json_add_string(&x->j, target, "version", o->source_version);
		bd_json_add_string(&x->j, target, "purl", o->source_purl);
	}
}

static cJSON *document(struct cdx *x, const struct bd_emit_options *o,
		       uint32_t *scratch)
{
	cJSON *root = bd_json_check(&x->j, cJSON_CreateObject());
	cJSON *comps;
	size_t i;

	if (!root)
		return NULL;
	bd_json_add_string(&x->j, root, "bomFormat", "CycloneDX");
	bd_json_add_string(&x->j, root, "specVersion", "1.6");
	/* A placeholder, replaced once the rest is known (see below). */
	bd_json_add_string(&x->j, root, "serialNumber", "");
	bd_json_add_number(&x->j, root, "version", 1);
	metadata(x, root, o);
	comps = bd_json_add_array(&x->j, root, "components");
	for (i = 0; comps && i < x->g->ncomps; i++)
		component(x, comps, (uint32_t)i);
	dependencies(x, root, scratch);
	compositions(x, root);
	return root;
}

/* Unless one is given, the serial number is derived from the document
 * itself, so that the same input gives the same bytes. */
static int set_serial(struct cdx *x, cJSON *root,
		      const struct bd_emit_options *o)
{
	char urn[64], uuid[37];
	int rc;

	if (o->serial) {
		snprintf(urn, sizeof(urn), "%s", o->serial);
	} else {
		rc = bd_json_content_uuid(root, uuid);
		if (rc)
			return rc;
		snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
	}
	bd_json_set_string(&x->j, root, "serialNumber", urn);
	return 0;
}

int bd_emit_cyclonedx(const struct bd_graph *g,
		      const struct bd_emit_options *opts, struct bd_buf *out,
		      struct bd_error *err)
{
	struct cdx x = {
		g, calloc(g->ncomps + 1, 1), { NULL, NULL }, NULL, { false }
	};
	uint32_t *scratch = calloc(g->ncomps + 1, sizeof(*scratch));
	cJSON *root = NULL;
	int rc = BD_ENOMEM;

	if (scratch && x.flags && !bd_emit_holders_build(&x.holders, g)) {
		bd_emit_edge_flags(g, x.flags);
		root = document(&x, opts, scratch);
	}
	if (root && !x.j.failed && !set_serial(&x, root, opts))
		rc = bd_json_print(&x.j, root, out);
	cJSON_Delete(root);
	free(scratch);
	free(x.flags);
	bd_emit_holders_release(&x.holders);
	bd_json_release(&x.j);
	return rc ? bd_error_set(err, rc, "out of memory writing CycloneDX")
		  : 0;
}
