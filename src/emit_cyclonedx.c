/* SPDX-License-Identifier: MIT */
/*
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/). Every scanned
 * file is a component with its hash, occurrences and bindep: properties;
 * every edge is in "dependencies"; what could not be read or resolved is
 * listed in an "incomplete" composition.
 */
#include "bindep/emit.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_REF "target"

/* Building state: cJSON calls return NULL when out of memory, and one
 * flag remembers it so that each call site need not. */
struct cdx {
	const struct bd_graph *g;
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	cJSON *props;	      /* the properties array being filled */
	bool failed;
};

static cJSON *check(struct cdx *x, cJSON *item)
{
	if (!item)
		x->failed = true;
	return item;
}

static cJSON *add_object(struct cdx *x, cJSON *parent, const char *key)
{
	return check(x, cJSON_AddObjectToObject(parent, key));
}

static cJSON *push_object(struct cdx *x, cJSON *array)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddItemToArray(array, o)) {
		cJSON_Delete(o);
		x->failed = true;
		return NULL;
	}
	return o;
}

static cJSON *add_array(struct cdx *x, cJSON *parent, const char *key)
{
	return check(x, cJSON_AddArrayToObject(parent, key));
}

static void add_string(struct cdx *x, cJSON *obj, const char *key,
		       const char *value)
{
	if (value)
		check(x, cJSON_AddStringToObject(obj, key, value));
}

static void push_string(struct cdx *x, cJSON *array, const char *value)
{
	cJSON *s = check(x, cJSON_CreateString(value));

	if (s && !cJSON_AddItemToArray(array, s)) {
		cJSON_Delete(s);
		x->failed = true;
	}
}

static const char *component_type(const struct bd_component *c)
{
	switch (c->kind) {
	case BD_COMP_EXECUTABLE: return "application";
	case BD_COMP_LIBRARY: return "library";
	case BD_COMP_UNRESOLVED: return "library";
	default: return "file";
	}
}

/* ---- properties ------------------------------------------------------- */

static void add_property(void *ctx, const char *name, const char *value)
{
	struct cdx *x = ctx;
	cJSON *p = push_object(x, x->props);

	if (!p)
		return;
	add_string(x, p, "name", name);
	add_string(x, p, "value", value);
}

static void properties(struct cdx *x, cJSON *comp, uint32_t id)
{
	x->props = add_array(x, comp, "properties");
	if (!x->props)
		return;
	bd_emit_properties(x->g, x->flags, id, add_property, x);
	if (!cJSON_GetArraySize(x->props))
		cJSON_DeleteItemFromObject(comp, "properties");
	x->props = NULL;
}

/* ---- components ------------------------------------------------------- */

/* evidence.identity (CycloneDX 1.6): how each field was concluded. */
static void identity(struct cdx *x, cJSON *ev, const struct bd_component *c)
{
	cJSON *list = add_array(x, ev, "identity");
	size_t i;

	for (i = 0; list && i < c->nids; i++) {
		const struct bd_identity *f = &c->ids[i];
		cJSON *id = push_object(x, list);
		cJSON *methods, *m;

		if (!id)
			return;
		add_string(x, id, "field", f->field);
		check(x,
		      cJSON_AddNumberToObject(id, "confidence", f->confidence));
		add_string(x, id, "concludedValue", f->value);
		methods = add_array(x, id, "methods");
		m = methods ? push_object(x, methods) : NULL;
		if (!m)
			return;
		add_string(x, m, "technique", f->technique);
		check(x,
		      cJSON_AddNumberToObject(m, "confidence", f->confidence));
		add_string(x, m, "value", f->method);
	}
}

static void hashes(struct cdx *x, cJSON *comp, const struct bd_component *c)
{
	cJSON *arr, *h;

	if (!c->sha256[0])
		return;
	arr = add_array(x, comp, "hashes");
	h = arr ? push_object(x, arr) : NULL;
	if (h) {
		add_string(x, h, "alg", "SHA-256");
		add_string(x, h, "content", c->sha256);
	}
}

static void licenses(struct cdx *x, cJSON *comp, const struct bd_component *c)
{
	cJSON *arr, *l;

	if (!c->license)
		return;
	arr = add_array(x, comp, "licenses");
	l = arr ? push_object(x, arr) : NULL;
	if (l) {
		add_string(x, l, "expression", c->license);
		/* The upstream project's, as the registry records it. */
		add_string(x, l, "acknowledgement", "declared");
	}
}

static void reference(struct cdx *x, cJSON **arr, cJSON *comp, const char *type,
		      const char *url)
{
	cJSON *r;

	if (!url)
		return;
	if (!*arr)
		*arr = add_array(x, comp, "externalReferences");
	r = *arr ? push_object(x, *arr) : NULL;
	if (r) {
		add_string(x, r, "type", type);
		add_string(x, r, "url", url);
	}
}

static void evidence(struct cdx *x, cJSON *comp, const struct bd_component *c)
{
	cJSON *ev, *arr;
	size_t i;

	if (!c->paths.n && !c->nids)
		return;
	ev = add_object(x, comp, "evidence");
	if (ev && c->nids)
		identity(x, ev, c);
	arr = ev && c->paths.n ? add_array(x, ev, "occurrences") : NULL;
	for (i = 0; arr && i < c->paths.n; i++) {
		cJSON *o = push_object(x, arr);

		if (o)
			add_string(x, o, "location", c->paths.items[i]);
	}
}

static void component(struct cdx *x, cJSON *arr, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	cJSON *comp = push_object(x, arr);
	cJSON *refs = NULL;

	if (!comp)
		return;
	add_string(x, comp, "type", component_type(c));
	add_string(x, comp, "bom-ref", c->key);
	add_string(x, comp, "name", c->name);
	add_string(x, comp, "version", c->version);
	/* Reached only through .note.dlopen entries: optional. */
	if ((x->flags[id] & BD_EMIT_DLOPENED) &&
	    !(x->flags[id] & BD_EMIT_NEEDED))
		add_string(x, comp, "scope", "optional");
	hashes(x, comp, c);
	licenses(x, comp, c);
	add_string(x, comp, "cpe", c->cpe);
	add_string(x, comp, "purl", c->purl);
	reference(x, &refs, comp, "vcs", c->repository);
	reference(x, &refs, comp, "website", c->homepage);
	properties(x, comp, id);
	evidence(x, comp, c);
}

/* ---- dependencies and compositions ------------------------------------ */

static void depends_on(struct cdx *x, cJSON *deps, const char *ref,
		       const uint32_t *targets, size_t n)
{
	cJSON *d = push_object(x, deps);
	cJSON *on;
	size_t i;

	if (!d)
		return;
	add_string(x, d, "ref", ref);
	on = add_array(x, d, "dependsOn");
	for (i = 0; on && i < n; i++) {
		/* Targets are sorted: skip repeats (needed and dlopen). */
		if (i && targets[i] == targets[i - 1])
			continue;
		push_string(x, on, x->g->comps[targets[i]].key);
	}
}

static void dependencies(struct cdx *x, cJSON *root, uint32_t *scratch)
{
	const struct bd_graph *g = x->g;
	cJSON *deps = add_array(x, root, "dependencies");
	size_t i, e = 0, n = 0;

	if (!deps)
		return;
	/* The target contains the files scanned from the inputs; what they
	 * load hangs off them. */
	for (i = 0; i < g->ncomps; i++) {
		if (g->comps[i].is_input)
			scratch[n++] = (uint32_t)i;
	}
	depends_on(x, deps, TARGET_REF, scratch, n);
	/* Edges are sorted by source, then target. Unresolved components
	 * get no entry: their dependencies are unknown, not none. */
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
			comp = push_object(x, list);
			if (!comp)
				return;
			add_string(x, comp, "aggregate", "incomplete");
		}
		if (bad && !assemblies)
			assemblies = add_array(x, comp, "assemblies");
		if (bad && assemblies)
			push_string(x, assemblies, c->key);
		if (needs && !deps)
			deps = add_array(x, comp, "dependencies");
		if (needs && deps)
			push_string(x, deps, c->key);
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
			comp = push_object(x, list);
			if (!comp)
				return;
			add_string(x, comp, "aggregate", "unknown");
			assemblies = add_array(x, comp, "assemblies");
		}
		if (assemblies)
			push_string(x, assemblies, g->comps[i].key);
	}
}

static void compositions(struct cdx *x, cJSON *root)
{
	cJSON *list = add_array(x, root, "compositions");

	if (!list)
		return;
	incomplete(x, list);
	unidentified(x, list);
	if (!cJSON_GetArraySize(list))
		cJSON_DeleteItemFromObject(root, "compositions");
}

/* ---- document --------------------------------------------------------- */

static void metadata(struct cdx *x, cJSON *root,
		     const struct bd_emit_options *o)
{
	cJSON *md = add_object(x, root, "metadata");
	cJSON *tools, *list, *tool, *target;
	char ts[32];

	if (!md)
		return;
	bd_emit_timestamp(o->timestamp, ts);
	add_string(x, md, "timestamp", ts);
	tools = add_object(x, md, "tools");
	list = tools ? add_array(x, tools, "components") : NULL;
	tool = list ? push_object(x, list) : NULL;
	if (tool) {
		add_string(x, tool, "type", "application");
		add_string(x, tool, "name", BD_PROGRAM);
		add_string(x, tool, "version", BD_VERSION);
	}
	target = add_object(x, md, "component");
	if (target) {
		add_string(x, target, "type", "application");
		add_string(x, target, "bom-ref", TARGET_REF);
		add_string(x, target, "name", o->source_name);
		add_string(x, target, "version", o->source_version);
	}
}

static cJSON *document(struct cdx *x, const struct bd_emit_options *o,
		       uint32_t *scratch)
{
	cJSON *root = check(x, cJSON_CreateObject());
	cJSON *comps;
	size_t i;

	if (!root)
		return NULL;
	add_string(x, root, "bomFormat", "CycloneDX");
	add_string(x, root, "specVersion", "1.6");
	/* A placeholder, replaced once the rest is known (see below). */
	add_string(x, root, "serialNumber", "");
	check(x, cJSON_AddNumberToObject(root, "version", 1));
	metadata(x, root, o);
	comps = add_array(x, root, "components");
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
	char *text;
	int rc;

	if (o->serial) {
		snprintf(urn, sizeof(urn), "%s", o->serial);
	} else {
		text = cJSON_PrintUnformatted(root);
		if (!text)
			return BD_ENOMEM;
		rc = bd_emit_uuid5(text, strlen(text), uuid);
		cJSON_free(text);
		if (rc)
			return rc;
		snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
	}
	if (!cJSON_SetValuestring(
		    cJSON_GetObjectItemCaseSensitive(root, "serialNumber"),
		    urn))
		x->failed = true;
	return 0;
}

int bd_emit_cyclonedx(const struct bd_graph *g,
		      const struct bd_emit_options *opts, struct bd_buf *out,
		      struct bd_error *err)
{
	struct cdx x = { g, calloc(g->ncomps + 1, 1), NULL, false };
	uint32_t *scratch = calloc(g->ncomps + 1, sizeof(*scratch));
	cJSON *root = NULL;
	char *text = NULL;
	int rc = BD_ENOMEM;

	if (scratch && x.flags) {
		bd_emit_edge_flags(g, x.flags);
		root = document(&x, opts, scratch);
	}
	if (root && !x.failed && !set_serial(&x, root, opts) && !x.failed)
		text = cJSON_Print(root);
	if (text) {
		bd_buf_adds(out, text);
		bd_buf_addc(out, '\n');
		rc = bd_buf_ok(out) ? 0 : BD_ENOMEM;
	}
	cJSON_free(text);
	cJSON_Delete(root);
	free(scratch);
	free(x.flags);
	return rc ? bd_error_set(err, rc, "out of memory writing CycloneDX")
		  : 0;
}
