/* SPDX-License-Identifier: MIT */
/*
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/), or 1.7
 * (https://cyclonedx.org/docs/1.7/json/) with the same content: nothing
 * this emitter writes was renamed, removed or made required by 1.7 (its
 * additions are patents, citations, distribution constraints, version
 * ranges and isExternal), so the documents differ only in specVersion and
 * the serial number derived from the content. Every scanned
 * file is a component with its hash, occurrences and bindep: properties;
 * every edge is in "dependencies"; what could not be read or resolved is
 * listed in an "incomplete" composition. A release artifact (issue 12) is a
 * component too, whose dependencies are what it holds; the target depends
 * on the inputs it holds itself, not on the files inside its artifacts.
 */
#include "bindep/emit.h"

#include "bindep/json.h"
#include "bindep/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_REF  "target"
#define FROM_ONLINE "from ecosyste.ms"

/* Writing state: the writer remembers the first failure, so that each
 * call site need not. */
struct cdx {
	const struct bd_graph *g;
	const struct bd_emit_options *o;
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	struct bd_emit_holders holders;
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
	case BD_COMP_STATIC: return "library";
	case BD_COMP_DECLARED: return "library";
	case BD_COMP_ARTIFACT: return artifact_type(c);
	default: return "file";
	}
}

/* ---- properties ------------------------------------------------------- */

static void add_property(void *ctx, const char *name, const char *value)
{
	struct cdx *x = ctx;

	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "name", name);
	/* A replaced value keeps its raw bytes under the property's name. */
	x->j.raw_label = name;
	bd_json_add_string(&x->j, "value", value);
	x->j.raw_label = NULL;
	bd_json_end_object(&x->j);
}

/* ---- components ------------------------------------------------------- */

/* evidence.identity (CycloneDX 1.6): how each field was concluded. */
static void identity(struct cdx *x, const struct bd_component *c)
{
	size_t i;

	bd_json_begin_array(&x->j, "identity");
	for (i = 0; i < c->nids; i++) {
		const struct bd_identity *f = &c->ids[i];

		bd_json_begin_object(&x->j, NULL);
		bd_json_add_string(&x->j, "field", f->field);
		bd_json_add_number(&x->j, "confidence", f->confidence);
		bd_json_add_string(&x->j, "concludedValue", f->value);
		bd_json_begin_array(&x->j, "methods");
		bd_json_begin_object(&x->j, NULL);
		bd_json_add_string(&x->j, "technique", f->technique);
		bd_json_add_number(&x->j, "confidence", f->confidence);
		bd_json_add_string(&x->j, "value", f->method);
		bd_json_end_object(&x->j);
		/* An SBOM shipped in the artifact says the same. */
		if (f->attested) {
			bd_json_begin_object(&x->j, NULL);
			bd_json_add_string(&x->j, "technique", "attestation");
			bd_json_add_number(&x->j, "confidence", 0.9);
			bd_json_add_string(&x->j, "value", f->attested);
			bd_json_end_object(&x->j);
		}
		bd_json_end_array(&x->j);
		bd_json_end_object(&x->j);
	}
	bd_json_end_array(&x->j);
}

static void hashes(struct cdx *x, const struct bd_component *c)
{
	if (!c->sha256[0])
		return;
	bd_json_begin_array(&x->j, "hashes");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "alg", "SHA-256");
	bd_json_add_string(&x->j, "content", c->sha256);
	bd_json_end_object(&x->j);
	bd_json_end_array(&x->j);
}

static void licenses(struct cdx *x, const struct bd_component *c)
{
	if (!c->license)
		return;
	bd_json_begin_array(&x->j, "licenses");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "expression", c->license);
	/* The upstream project's, as the registry or the package records
	 * it; or what a carried SBOM concluded. */
	bd_json_add_string(&x->j, "acknowledgement",
			   c->license_concluded ? "concluded" : "declared");
	bd_json_end_object(&x->j);
	bd_json_end_array(&x->j);
}

static void reference(struct cdx *x, const char *type, const char *url,
		      const char *comment)
{
	if (!url)
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", type);
	bd_json_add_string(&x->j, "url", url);
	bd_json_add_string(&x->j, "comment", comment);
	bd_json_end_object(&x->j);
}

static void references(struct cdx *x, const struct bd_component *c)
{
	bd_json_begin_array_lazy(&x->j, "externalReferences");
	reference(x, "vcs", c->repository,
		  c->repository_online ? FROM_ONLINE : NULL);
	reference(x, "website", c->homepage,
		  c->homepage_online ? FROM_ONLINE : NULL);
	/* CycloneDX 1.6 has no funding type: "other", said in the comment. */
	for (size_t i = 0; i < c->funding.n; i++)
		reference(x, "other", c->funding.items[i],
			  "funding (from ecosyste.ms)");
	bd_json_end_array(&x->j);
}

/* A licence the file's own string states (ident.c, license_from_string):
 * what the component's evidence shows of its licence, as
 * bindep:license-source says which string. Strings that disagree are
 * their AND: CycloneDX's licenseChoice holds one expression, or licences
 * that are each one identifier or name; each one stated is a
 * bindep:conflict:license. */
static void license_evidence(struct cdx *x, const struct bd_component *c)
{
	if (!c->license || !c->license_stated)
		return;
	bd_json_begin_array(&x->j, "licenses");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "expression", c->license);
	bd_json_end_object(&x->j);
	bd_json_end_array(&x->j);
}

static void evidence(struct cdx *x, const struct bd_component *c)
{
	size_t i;

	if (!c->paths.n && !c->nids && !(c->license && c->license_stated))
		return;
	bd_json_begin_object(&x->j, "evidence");
	if (c->nids)
		identity(x, c);
	if (c->paths.n)
		bd_json_begin_array(&x->j, "occurrences");
	for (i = 0; i < c->paths.n; i++) {
		bd_json_begin_object(&x->j, NULL);
		bd_json_add_string(&x->j, "location", c->paths.items[i]);
		bd_json_end_object(&x->j);
	}
	if (c->paths.n)
		bd_json_end_array(&x->j);
	license_evidence(x, c);
	bd_json_end_object(&x->j);
}

/* Whether s, if any, is valid UTF-8: the UTF-8 policy keeps no raw of it. */
static bool valid_text(const char *s)
{
	return !s || bd_utf8_valid(s, strlen(s));
}

/* Whether every string evidence() writes is valid UTF-8, so that a dry
 * run of it would keep no raw bytes. */
static bool evidence_valid(const struct bd_component *c)
{
	size_t i;

	for (i = 0; i < c->nids; i++) {
		const struct bd_identity *f = &c->ids[i];

		if (!valid_text(f->field) || !valid_text(f->value) ||
		    !valid_text(f->technique) || !valid_text(f->method) ||
		    !valid_text(f->attested))
			return false;
	}
	for (i = 0; i < c->paths.n; i++) {
		if (!valid_text(c->paths.items[i]))
			return false;
	}
	return !c->license_stated || valid_text(c->license);
}

/*
 * The properties, then the raw bytes of what the UTF-8 policy replaced
 * (bindep/json.h) in the whole component, evidence included, in the order
 * met: the properties keep theirs as they are written, and the evidence,
 * which comes after them, is first run dry for its own. Only where some
 * string of it is not UTF-8: the dry run was 7% of the CycloneDX output
 * of a Debian root (issue 13), the check a third of that.
 */
static void properties(struct cdx *x, const struct bd_component *c, uint32_t id)
{
	/* An artifact's locations are its occurrences, as a file's. */
	bd_json_begin_array_lazy(&x->j, "properties");
	bd_emit_properties(x->g, x->flags, id, add_property, x);
	if (!evidence_valid(c)) {
		bd_json_dry(&x->j, true);
		evidence(x, c);
		bd_json_dry(&x->j, false);
	}
	bd_json_raw_end(&x->j, add_property, x);
	bd_json_end_array(&x->j);
}

/* NTIA's supplier name, where it is known (a distribution's package);
 * the rest are listed in a composition (ntia_unknown). */
static void supplier(struct cdx *x, const struct bd_component *c)
{
	char buf[128];
	const char *name = bd_emit_supplier(c, buf, sizeof(buf));

	if (!name)
		return;
	bd_json_begin_object(&x->j, "supplier");
	bd_json_add_string(&x->j, "name", name);
	bd_json_end_object(&x->j);
}

static void component(struct cdx *x, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];

	bd_json_begin_object(&x->j, NULL);
	bd_json_raw_begin(&x->j);
	bd_json_add_string(&x->j, "type", component_type(c));
	bd_json_add_ref(&x->j, "bom-ref", c->key);
	supplier(x, c);
	bd_json_add_string(&x->j, "name", c->name);
	bd_json_add_string(&x->j, "version", c->version);
	/* Reached only through .note.dlopen entries: optional. Used by the
	 * build only: "not reachable within a call graph at runtime"
	 * (CycloneDX 1.6, scope "excluded"). */
	if (bd_emit_optional(x->flags, id))
		bd_json_add_string(&x->j, "scope", "optional");
	else if (bd_emit_build_only(x->flags, id))
		bd_json_add_string(&x->j, "scope", "excluded");
	hashes(x, c);
	licenses(x, c);
	bd_json_add_string(&x->j, "cpe", c->cpe);
	bd_json_add_string(&x->j, "purl", c->purl);
	references(x, c);
	properties(x, c, id);
	evidence(x, c);
	bd_json_end_object(&x->j);
}

/* ---- dependencies and compositions ------------------------------------ */

static void depends_on(struct cdx *x, const char *ref, const uint32_t *targets,
		       size_t n)
{
	size_t i;

	bd_json_begin_object(&x->j, NULL);
	bd_json_add_ref(&x->j, "ref", ref);
	bd_json_begin_array(&x->j, "dependsOn");
	for (i = 0; i < n; i++) {
		/* Targets are sorted: skip repeats (needed and dlopen). */
		if (i && targets[i] == targets[i - 1])
			continue;
		bd_json_add_ref(&x->j, NULL, x->g->comps[targets[i]].key);
	}
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
}

/*
 * Whether the component's own needs were read, so that it has an entry,
 * empty when it needs nothing. CycloneDX 1.6, dependency: "Components or
 * services that do not have their own dependencies must be declared as
 * empty elements within the graph. Components or services that are not
 * represented in the dependency graph may have unknown dependencies."
 * Unknown: bd_emit_needs_unknown's; those known in part
 * (bd_emit_needs_in_part: a file not read whole, a crate whose list
 * dropped some), but for what was read (n, the edges from it: the
 * incomplete composition says the rest); and an artifact's own (a wheel's
 * Requires-Dist, a .deb's Depends): its entry lists what it holds, so one that
 * holds nothing has none.
 */
static bool needs_known(const struct bd_component *c, size_t n)
{
	return !bd_emit_needs_unknown(c) &&
	       (n ||
		(!bd_emit_needs_in_part(c) && c->kind != BD_COMP_ARTIFACT));
}

static void dependencies(struct cdx *x, uint32_t *scratch)
{
	const struct bd_graph *g = x->g;
	size_t i, e = 0, n = 0;

	bd_json_begin_array(&x->j, "dependencies");
	/* The target contains the files scanned from the inputs and the
	 * artifacts; what they load, or hold, hangs off them. */
	for (i = 0; i < g->ncomps; i++) {
		if (bd_emit_top_level(g, x->flags, &x->holders, (uint32_t)i))
			scratch[n++] = (uint32_t)i;
	}
	depends_on(x, TARGET_REF, scratch, n);
	/* Edges are sorted by source, then target. A component whose needs
	 * are unknown gets no entry (needs_known). An artifact's are what it
	 * holds (BD_EDGE_CONTAINS), a file's the libraries compiled into it
	 * too (BD_EDGE_STATIC), and what its build used (BD_EDGE_BUILD). */
	for (i = 0; i < g->ncomps; i++) {
		n = 0;
		while (e < g->nedges && g->edges[e].from < i)
			e++;
		while (e < g->nedges && g->edges[e].from == i)
			scratch[n++] = g->edges[e++].to;
		if (needs_known(&g->comps[i], n))
			depends_on(x, g->comps[i].key, scratch, n);
	}
	bd_json_end_array(&x->j);
}

/* Unresolved sonames and unreadable files are incomplete assemblies; the
 * files that need them have incomplete dependencies. */
static bool bad(const struct cdx *x, size_t i)
{
	const struct bd_component *c = &x->g->comps[i];

	return c->kind == BD_COMP_UNRESOLVED || c->error;
}

static bool needs(const struct cdx *x, size_t i)
{
	return bd_emit_needs_in_part(&x->g->comps[i]) ||
	       (x->flags[i] & BD_EMIT_NEEDS_UNRESOLVED);
}

static void refs_of(struct cdx *x, const char *key,
		    bool (*which)(const struct cdx *, size_t))
{
	size_t i;

	bd_json_begin_array(&x->j, key);
	for (i = 0; i < x->g->ncomps; i++) {
		if (which(x, i))
			bd_json_add_ref(&x->j, NULL, x->g->comps[i].key);
	}
	bd_json_end_array(&x->j);
}

/* Each list comes in the order its first member does. */
static void incomplete(struct cdx *x)
{
	size_t i, first_bad = SIZE_MAX, first_needs = SIZE_MAX;

	for (i = 0; i < x->g->ncomps; i++) {
		if (first_bad == SIZE_MAX && bad(x, i))
			first_bad = i;
		if (first_needs == SIZE_MAX && needs(x, i))
			first_needs = i;
	}
	if (first_bad == SIZE_MAX && first_needs == SIZE_MAX)
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "aggregate", "incomplete");
	if (first_bad <= first_needs) {
		refs_of(x, "assemblies", bad);
		if (first_needs != SIZE_MAX)
			refs_of(x, "dependencies", needs);
	} else {
		refs_of(x, "dependencies", needs);
		if (first_bad != SIZE_MAX)
			refs_of(x, "assemblies", bad);
	}
	bd_json_end_object(&x->j);
}

static bool unnamed(const struct cdx *x, size_t i)
{
	return !x->g->comps[i].purl;
}

static bool online_failed(const struct cdx *x, size_t i)
{
	return x->g->comps[i].online_incomplete;
}

static bool any(const struct cdx *x, bool (*which)(const struct cdx *, size_t))
{
	size_t i;

	for (i = 0; i < x->g->ncomps; i++) {
		if (which(x, i))
			return true;
	}
	return false;
}

/* Components nothing identified: what they are is unknown. */
static void unidentified(struct cdx *x)
{
	if (!any(x, unnamed))
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "aggregate", "unknown");
	refs_of(x, "assemblies", unnamed);
	bd_json_end_object(&x->j);
}

/* --online: the components whose lookups failed, in a composition of
 * their own, so that what is missing is the enrichment, not the graph. */
static void online_incomplete(struct cdx *x)
{
	if (!any(x, online_failed))
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "bom-ref", "online-enrichment");
	bd_json_add_string(&x->j, "aggregate", "incomplete");
	refs_of(x, "assemblies", online_failed);
	bd_json_end_object(&x->j);
}

static bool no_version(const struct cdx *x, size_t i)
{
	return !x->g->comps[i].version;
}

static bool no_supplier(const struct cdx *x, size_t i)
{
	char buf[128];

	return !bd_emit_supplier(&x->g->comps[i], buf, sizeof(buf));
}

/*
 * NTIA's minimum elements that a component lacks (issue 15): CycloneDX
 * has no NOASSERTION, so the components without a version, or without a
 * supplier, are named in a composition of their own, whose bom-ref says
 * which element is unknown. The described target is one of them unless
 * --source-version or --supplier gave it.
 */
static void ntia_unknown(struct cdx *x, const char *ref, bool target,
			 bool (*which)(const struct cdx *, size_t))
{
	size_t i;

	if (!target && !any(x, which))
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "bom-ref", ref);
	bd_json_add_string(&x->j, "aggregate", "unknown");
	bd_json_begin_array(&x->j, "assemblies");
	if (target)
		bd_json_add_ref(&x->j, NULL, TARGET_REF);
	for (i = 0; i < x->g->ncomps; i++) {
		if (which(x, i))
			bd_json_add_ref(&x->j, NULL, x->g->comps[i].key);
	}
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
}

/* The walk could not see into some path (their list is the target's
 * properties): what the target holds is not all known, nor so its
 * dependencies entry, which lists what it holds (as SPDX's CONTAINS
 * NOASSERTION says both). */
static void target_incomplete(struct cdx *x)
{
	static const char *const kinds[] = { "assemblies", "dependencies" };
	size_t k;

	if (!bd_emit_target_incomplete(x->o))
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "bom-ref", "unread-paths");
	bd_json_add_string(&x->j, "aggregate", "incomplete");
	for (k = 0; k < BD_ARRAY_SIZE(kinds); k++) {
		bd_json_begin_array(&x->j, kinds[k]);
		bd_json_add_ref(&x->j, NULL, TARGET_REF);
		bd_json_end_array(&x->j);
	}
	bd_json_end_object(&x->j);
}

static void compositions(struct cdx *x)
{
	bd_json_begin_array_lazy(&x->j, "compositions");
	incomplete(x);
	target_incomplete(x);
	unidentified(x);
	online_incomplete(x);
	ntia_unknown(x, "ntia-version-unknown", !x->o->source_version,
		     no_version);
	ntia_unknown(x, "ntia-supplier-unknown", !x->o->supplier, no_supplier);
	bd_json_end_array(&x->j);
}

/* ---- document --------------------------------------------------------- */

/* --author: metadata.authors, organizationalContact objects. */
static void authors(struct cdx *x, const struct bd_emit_options *o)
{
	struct bd_buf name = BD_BUF_INIT, email = BD_BUF_INIT;
	size_t i;

	bd_json_begin_array_lazy(&x->j, "authors");
	for (i = 0; i < o->nauthors; i++) {
		if (!bd_emit_person(o->authors[i], &name, &email))
			continue; /* checked by the command line */
		bd_json_begin_object(&x->j, NULL);
		bd_json_add_string(&x->j, "name", name.data);
		bd_json_add_string(&x->j, "email",
				   email.len ? email.data : NULL);
		bd_json_end_object(&x->j);
	}
	bd_json_end_array(&x->j);
	bd_buf_release(&name);
	bd_buf_release(&email);
}

/* --supplier: of the described target, metadata.supplier. */
static void organization(struct cdx *x, const char *name)
{
	if (!name)
		return;
	bd_json_begin_object(&x->j, "supplier");
	bd_json_add_string(&x->j, "name", name);
	bd_json_end_object(&x->j);
}

static void metadata(struct cdx *x, const struct bd_emit_options *o)
{
	char ts[32];

	bd_json_begin_object(&x->j, "metadata");
	bd_emit_timestamp(o->timestamp, ts);
	bd_json_add_string(&x->j, "timestamp", ts);
	bd_json_begin_object(&x->j, "tools");
	bd_json_begin_array(&x->j, "components");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", "application");
	bd_json_add_string(&x->j, "name", BD_PROGRAM);
	bd_json_add_string(&x->j, "version", BD_VERSION);
	bd_json_end_object(&x->j);
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
	authors(x, o);
	bd_json_begin_object(&x->j, "component");
	/* An image (issue 12, point 5): a "container" with its pkg:oci purl;
	 * its version is the manifest digest. */
	bd_json_add_string(&x->j, "type",
			   o->source_type ? o->source_type : "application");
	bd_json_add_string(&x->j, "bom-ref", TARGET_REF);
	bd_json_add_string(&x->j, "name", o->source_name);
	bd_json_add_string(&x->j, "version", o->source_version);
	bd_json_add_string(&x->j, "purl", o->source_purl);
	organization(x, o->supplier);
	bd_json_begin_array_lazy(&x->j, "properties");
	bd_emit_target_properties(o, add_property, x);
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
	organization(x, o->supplier);
	bd_json_end_object(&x->j);
}

/* "urn:uuid:" and 36 characters. */
#define SERIAL_LEN 45

/*
 * Unless one is given, the serial number is derived from the document
 * itself, so that the same input gives the same bytes: a hole now, the
 * UUID of the rest once it is written.
 */
static void document(struct cdx *x, const struct bd_emit_options *o,
		     uint32_t *scratch)
{
	size_t i;

	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "bomFormat", "CycloneDX");
	bd_json_add_string(&x->j, "specVersion",
			   o->cdx_version == BD_CDX_1_7 ? "1.7" : "1.6");
	if (o->serial)
		bd_json_add_string(&x->j, "serialNumber", o->serial);
	else
		bd_json_add_hole(&x->j, "serialNumber", SERIAL_LEN);
	bd_json_add_number(&x->j, "version", 1);
	metadata(x, o);
	bd_json_begin_array(&x->j, "components");
	for (i = 0; i < x->g->ncomps; i++)
		component(x, (uint32_t)i);
	bd_json_end_array(&x->j);
	dependencies(x, scratch);
	compositions(x);
	bd_json_end_object(&x->j);
}

static int set_serial(struct cdx *x, const struct bd_emit_options *o)
{
	char urn[64], uuid[37];
	int rc;

	if (o->serial)
		return 0;
	rc = bd_json_content_uuid(&x->j, uuid);
	if (rc)
		return rc;
	snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
	bd_json_fill_hole(&x->j, urn);
	return 0;
}

/* The serial number derived from the content by a pass that writes
 * nothing (for a sink that cannot be rewritten): urn, 64 bytes. */
static int derive_serial(struct cdx *x, const struct bd_emit_options *o,
			 uint32_t *scratch, char *urn)
{
	char uuid[37];
	int rc;

	bd_json_init(&x->j, &bd_emit_null_sink, true);
	document(x, o, scratch);
	rc = bd_json_content_uuid(&x->j, uuid);
	if (!rc && x->j.failed)
		rc = BD_ENOMEM;
	bd_json_release(&x->j);
	if (!rc)
		snprintf(urn, 64, "urn:uuid:%s", uuid);
	return rc;
}

static int write_document(struct cdx *x, const struct bd_emit_options *opts,
			  const struct bd_emit_sink *sink, uint32_t *scratch)
{
	struct bd_emit_options o = *opts;
	char urn[64];
	int rc = 0;

	if (!o.serial && !sink->patch) {
		rc = derive_serial(x, opts, scratch, urn);
		o.serial = urn;
	}
	if (rc)
		return rc;
	bd_json_init(&x->j, sink, !o.serial);
	document(x, &o, scratch);
	rc = set_serial(x, &o);
	if (!rc)
		rc = bd_json_finish(&x->j);
	bd_json_release(&x->j);
	return rc;
}

int bd_emit_cyclonedx_to(const struct bd_graph *g,
			 const struct bd_emit_options *opts,
			 const struct bd_emit_sink *sink, struct bd_error *err)
{
	struct cdx x = { g, opts, calloc(g->ncomps + 1, 1), { 0 }, { 0 } };
	uint32_t *scratch = calloc(g->ncomps + 1, sizeof(*scratch));
	int rc = BD_ENOMEM;

	if (scratch && x.flags && !bd_emit_holders_build(&x.holders, g)) {
		bd_emit_edge_flags(g, x.flags);
		rc = write_document(&x, opts, sink, scratch);
	}
	free(scratch);
	free(x.flags);
	bd_emit_holders_release(&x.holders);
	return bd_emit_result(rc, "CycloneDX", err);
}

int bd_emit_cyclonedx(const struct bd_graph *g,
		      const struct bd_emit_options *opts, struct bd_buf *out,
		      struct bd_error *err)
{
	struct bd_emit_buf_sink s;

	bd_emit_buf_sink_init(&s, out);
	return bd_emit_cyclonedx_to(g, opts, &s.sink, err);
}
