/* SPDX-License-Identifier: MIT */
/*
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/). The same graph as
 * the CycloneDX output, fact for fact:
 *
 *   the described target       a package the document DESCRIBES, which
 *                              CONTAINS every scanned file and artifact
 *                              given as input (an image: CONTAINER)
 *   each component             a package (filesAnalyzed false) with its
 *                              SHA-256, purl and CPE references, licence
 *   a release artifact         a package (INSTALL, ARCHIVE or LIBRARY)
 *                              that CONTAINS the files read from it
 *   DT_NEEDED                  A DYNAMIC_LINK B
 *   a library compiled into A  A STATIC_LINK B
 *   PT_INTERP                  A DEPENDS_ON B
 *   .note.dlopen               B OPTIONAL_DEPENDENCY_OF A
 *   no needs / unknown needs   A DEPENDS_ON NONE / NOASSERTION
 *   bindep: properties, paths  annotations "name=value"
 *   evidence.identity          sourceInfo
 *
 * Every component is a package, files included, so that each CycloneDX
 * component has exactly one SPDX element, with the same hash.
 */
#include "bindep/emit.h"
#include "bindep/json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_ID     "SPDXRef-Target"
#define NOASSERTION   "NOASSERTION"
#define NAMESPACE_URL "https://spdx.org/spdxdocs/bindep-sbom/"
#define LICENSE_REF   "LicenseRef-"

struct spdx {
	const struct bd_graph *g;
	const struct bd_emit_options *o;
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	struct bd_emit_holders holders;
	const char **ids; /* per component: its SPDXID */
	/* The LicenseRef- ids the packages' licences name, sorted, each
	 * once. */
	const char **license_refs;
	size_t nlicense_refs;
	struct bd_arena arena;
	char created[32];
	char annotator[64];
	struct bd_buf scratch; /* a text made for one value, then written */
	struct bd_json j;
};

/* The text made in x->scratch, or NULL (failed) when out of memory. */
static const char *scratch_text(struct spdx *x)
{
	if (bd_buf_ok(&x->scratch))
		return x->scratch.data;
	x->j.failed = true;
	return NULL;
}

/* ---- annotations ------------------------------------------------------ */

/* One annotation per fact SPDX has no field for, as "name=value". */
static void annotate(void *ctx, const char *name, const char *value)
{
	struct spdx *x = ctx;

	/* A replaced value keeps its raw bytes under the annotation's name. */
	value = bd_json_text(&x->j, name, value);
	bd_buf_reset(&x->scratch);
	bd_buf_adds(&x->scratch, name);
	bd_buf_addc(&x->scratch, '=');
	bd_buf_adds(&x->scratch, value ? value : "");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "annotationDate", x->created);
	bd_json_add_string(&x->j, "annotationType", "OTHER");
	bd_json_add_string(&x->j, "annotator", x->annotator);
	bd_json_add_string(&x->j, "comment", value ? scratch_text(x) : NULL);
	bd_json_end_object(&x->j);
	if (!value)
		x->j.failed = true;
}

static void annotations(struct spdx *x, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	size_t i;

	bd_json_begin_array_lazy(&x->j, "annotations");
	for (i = 0; i < c->paths.n; i++)
		annotate(x, "bindep:path", c->paths.items[i]);
	bd_emit_properties(x->g, x->flags, id, annotate, x);
	/* Last: the raw bytes of what the UTF-8 policy replaced
	 * (bindep/json.h) in this package. */
	bd_json_raw_end(&x->j, annotate, x);
	bd_json_end_array(&x->j);
}

/* ---- packages --------------------------------------------------------- */

static void external_ref(struct spdx *x, const char *category, const char *type,
			 const char *locator)
{
	if (!locator)
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "referenceCategory", category);
	bd_json_add_string(&x->j, "referenceType", type);
	bd_json_add_string(&x->j, "referenceLocator", locator);
	bd_json_end_object(&x->j);
}

static void external_refs(struct spdx *x, const struct bd_component *c)
{
	bd_json_begin_array_lazy(&x->j, "externalRefs");
	external_ref(x, "PACKAGE-MANAGER", "purl", c->purl);
	external_ref(x, "SECURITY", "cpe23Type", c->cpe);
	/* SPDX 2.3 has no repository field; OTHER takes any type. */
	external_ref(x, "OTHER", "vcs", c->repository);
	for (size_t i = 0; i < c->funding.n; i++)
		external_ref(x, "OTHER", "funding", c->funding.items[i]);
	bd_json_end_array(&x->j);
}

/* NTIA's supplier name: a value or NOASSERTION, never absent (issue 15). */
static const char *supplier(struct spdx *x, const struct bd_component *c)
{
	char buf[128];
	const char *name = bd_emit_supplier(c, buf, sizeof(buf));

	if (!name)
		return NOASSERTION;
	bd_buf_reset(&x->scratch);
	bd_buf_adds(&x->scratch, "Organization: ");
	bd_buf_adds(&x->scratch, name);
	return scratch_text(x);
}

static void checksums(struct spdx *x, const struct bd_component *c)
{
	if (!c->sha256[0])
		return;
	bd_json_begin_array(&x->j, "checksums");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "algorithm", "SHA256");
	bd_json_add_string(&x->j, "checksumValue", c->sha256);
	bd_json_end_object(&x->j);
	bd_json_end_array(&x->j);
}

/* evidence.identity as text (bd_emit_source_info), or NULL. */
static const char *source_info(struct spdx *x, const struct bd_component *c)
{
	return bd_emit_source_info(&x->scratch, c) ? scratch_text(x) : NULL;
}

static void package(struct spdx *x, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	const char *where = bd_emit_download_location(c);

	bd_json_begin_object(&x->j, NULL);
	bd_json_raw_begin(&x->j);
	bd_json_add_string(&x->j, "SPDXID", x->ids[id]);
	bd_json_add_string(&x->j, "name", c->name);
	bd_json_add_string(&x->j, "versionInfo",
			   c->version ? c->version : NOASSERTION);
	bd_json_add_string(&x->j, "packageFileName",
			   c->paths.n ? c->paths.items[0] : NULL);
	bd_json_add_string(&x->j, "supplier", supplier(x, c));
	bd_json_add_string(&x->j, "downloadLocation",
			   where ? where : NOASSERTION);
	bd_json_add_bool(&x->j, "filesAnalyzed", false);
	checksums(x, c);
	bd_json_add_string(&x->j, "homepage", c->homepage);
	bd_json_add_string(&x->j, "sourceInfo", source_info(x, c));
	/* The upstream project's, as the registry or the package records
	 * it; or what a carried SBOM concluded (SPDX 2.3, 7.13, 7.15). */
	bd_json_add_string(&x->j, "licenseConcluded",
			   c->license && c->license_concluded ? c->license
							      : NOASSERTION);
	bd_json_add_string(&x->j, "licenseDeclared",
			   c->license && !c->license_concluded ? c->license
							       : NOASSERTION);
	bd_json_add_string(&x->j, "copyrightText", NOASSERTION);
	external_refs(x, c);
	bd_json_add_string(&x->j, "primaryPackagePurpose",
			   bd_emit_spdx_purpose(c));
	annotations(x, id);
	bd_json_end_object(&x->j);
}

static const char *target_supplier(struct spdx *x)
{
	if (!x->o->supplier)
		return NOASSERTION;
	bd_buf_reset(&x->scratch);
	bd_buf_printf(&x->scratch, "Organization: %s", x->o->supplier);
	return scratch_text(x);
}

static void target_package(struct spdx *x)
{
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "SPDXID", TARGET_ID);
	bd_json_add_string(&x->j, "name", x->o->source_name);
	bd_json_add_string(&x->j, "versionInfo",
			   x->o->source_version ? x->o->source_version
						: NOASSERTION);
	bd_json_add_string(&x->j, "supplier", target_supplier(x));
	bd_json_add_string(&x->j, "downloadLocation", NOASSERTION);
	bd_json_add_bool(&x->j, "filesAnalyzed", false);
	bd_json_add_string(&x->j, "licenseConcluded", NOASSERTION);
	bd_json_add_string(&x->j, "licenseDeclared", NOASSERTION);
	bd_json_add_string(&x->j, "copyrightText", NOASSERTION);
	/* An image (issue 12, point 5): its pkg:oci purl. */
	bd_json_begin_array_lazy(&x->j, "externalRefs");
	external_ref(x, "PACKAGE-MANAGER", "purl", x->o->source_purl);
	bd_json_end_array(&x->j);
	bd_json_add_string(&x->j, "primaryPackagePurpose",
			   bd_emit_target_is_image(x->o) ? "CONTAINER"
							 : "APPLICATION");
	bd_json_begin_array_lazy(&x->j, "annotations");
	bd_emit_target_properties(x->o, annotate, x);
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
}

/* ---- licences off the SPDX License List ------------------------------- */

/* The length of the LicenseRef- id at p in the licence expression that
 * starts at expr, or 0: one of another document's ("DocumentRef-x:"
 * before it) is no word of its own. */
static size_t license_ref_len(const char *expr, const char *p)
{
	size_t n = strlen(LICENSE_REF);

	if (p > expr && p[-1] != ' ' && p[-1] != '(')
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '.' || p[n] == '-')
		n++;
	return n > strlen(LICENSE_REF) ? n : 0;
}

/* How many times "LicenseRef-" is in the components' licences. */
static size_t license_ref_count(const struct bd_graph *g)
{
	const char *p;
	size_t i, n = 0;

	for (i = 0; i < g->ncomps; i++) {
		for (p = g->comps[i].license; p && (p = strstr(p, LICENSE_REF));
		     p++)
			n++;
	}
	return n;
}

/* Each LicenseRef- the components' licences name (the registry's, for
 * a licence off the list), into x->license_refs: sorted, each once. */
static int collect_license_refs(struct spdx *x)
{
	const char *lic, *p, **refs;
	size_t i, n = 0, len;

	refs = calloc(license_ref_count(x->g) + 1, sizeof(*refs));
	x->license_refs = refs;
	for (i = 0; refs && i < x->g->ncomps; i++) {
		lic = x->g->comps[i].license;
		for (p = lic; p && (p = strstr(p, LICENSE_REF)); p++) {
			len = license_ref_len(lic, p);
			if (len &&
			    !(refs[n++] = bd_arena_strndup(&x->arena, p, len)))
				return BD_ENOMEM;
		}
	}
	x->nlicense_refs = bd_emit_sort_unique(refs, n);
	return refs ? 0 : BD_ENOMEM;
}

/*
 * SPDX 2.3, 5.2.5 and 10.1: every licence a package names that is not on
 * the SPDX License List is defined once in the document, with its text
 * (10.2) and name (10.3). Neither was read: the registry records only the
 * identifier.
 */
static void extracted_licensing_infos(struct spdx *x)
{
	size_t i;

	bd_json_begin_array_lazy(&x->j, "hasExtractedLicensingInfos");
	for (i = 0; i < x->nlicense_refs; i++) {
		bd_json_begin_object(&x->j, NULL);
		bd_json_add_string(&x->j, "licenseId", x->license_refs[i]);
		bd_json_add_string(&x->j, "extractedText", NOASSERTION);
		bd_json_add_string(&x->j, "name", NOASSERTION);
		bd_json_add_string(&x->j, "comment",
				   "a licence off the SPDX License List, as "
				   "bindep-sbom's registry names it; its text "
				   "was not read");
		bd_json_end_object(&x->j);
	}
	bd_json_end_array(&x->j);
}

/* ---- relationships ---------------------------------------------------- */

static void relate(struct spdx *x, const char *a, const char *type,
		   const char *b, const char *comment)
{
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "spdxElementId", a);
	bd_json_add_string(&x->j, "relationshipType", type);
	bd_json_add_string(&x->j, "relatedSpdxElement", b);
	bd_json_add_string(&x->j, "comment", comment);
	bd_json_end_object(&x->j);
}

static const char *dlopen_comment(struct spdx *x, const struct bd_edge *e)
{
	const struct bd_dlopen_entry *d = e->dlopen;

	bd_buf_reset(&x->scratch);
	bd_buf_printf(&x->scratch, ".note.dlopen: priority %s%s%s", d->priority,
		      d->feature ? ", feature " : "",
		      d->feature ? d->feature : "");
	return scratch_text(x);
}

static void edge(struct spdx *x, const struct bd_edge *e)
{
	const char *from = x->ids[e->from], *to = x->ids[e->to];

	switch (e->kind) {
	case BD_EDGE_NEEDED:
		relate(x, from, "DYNAMIC_LINK", to,
		       e->preloaded ? "preloaded: " BD_EMIT_PRELOADED_SAID
				    : NULL);
		break;
	case BD_EDGE_INTERP:
		relate(x, from, "DEPENDS_ON", to,
		       "PT_INTERP: the program's dynamic loader");
		break;
	case BD_EDGE_DLOPEN_NOTE:
		relate(x, to, "OPTIONAL_DEPENDENCY_OF", from,
		       dlopen_comment(x, e));
		break;
	case BD_EDGE_CONTAINS: relate(x, from, "CONTAINS", to, NULL); break;
	case BD_EDGE_STATIC: relate(x, from, "STATIC_LINK", to, NULL); break;
	case BD_EDGE_BUILD:
		relate(x, to, "BUILD_DEPENDENCY_OF", from, BD_EMIT_BUILD_SAID);
		break;
	case BD_EDGE_DEPENDS:
		if (bd_emit_build_edge(x->flags, e))
			relate(x, to, "BUILD_DEPENDENCY_OF", from,
			       BD_EMIT_BUILD_SAID);
		else
			relate(x, from, "DEPENDS_ON", to, NULL);
		break;
	}
}

/* Whether edge i says again what an earlier one said (the same ends and
 * kind, from another dlopen entry). */
static bool repeated(const struct bd_graph *g, size_t i)
{
	const struct bd_edge *a = &g->edges[i], *b = i ? a - 1 : NULL;

	return b && a->from == b->from && a->to == b->to && a->kind == b->kind;
}

static void relationships(struct spdx *x)
{
	const struct bd_graph *g = x->g;
	size_t i, e = 0;

	bd_json_begin_array(&x->j, "relationships");
	relate(x, "SPDXRef-DOCUMENT", "DESCRIBES", TARGET_ID, NULL);
	/* A file inside an artifact is the artifact's to contain. */
	for (i = 0; i < g->ncomps; i++) {
		if (bd_emit_top_level(g, x->flags, &x->holders, (uint32_t)i))
			relate(x, TARGET_ID, "CONTAINS", x->ids[i], NULL);
	}
	/* The walk could not see into some path (the target's annotations
	 * name them): more may be there. */
	if (bd_emit_target_incomplete(x->o))
		relate(x, TARGET_ID, "CONTAINS", NOASSERTION,
		       "what the paths not read hold is not known");
	/* Edges are sorted by source. Dependencies that were not read, or
	 * not all (bd_emit_needs_unknown, bd_emit_needs_in_part), are unknown
	 * (NOASSERTION, beside those read), as CycloneDX's
	 * missing entry says; a file that needs nothing says so (NONE), as
	 * CycloneDX's empty dependsOn does. An artifact's own dependencies
	 * were not read: it says nothing. */
	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];
		size_t first = e;

		while (e < g->nedges && g->edges[e].from == i) {
			if (!repeated(g, e))
				edge(x, &g->edges[e]);
			e++;
		}
		if (bd_emit_needs_unknown(c) || bd_emit_needs_in_part(c))
			relate(x, x->ids[i], "DEPENDS_ON", NOASSERTION, NULL);
		else if (e == first && c->kind != BD_COMP_ARTIFACT)
			relate(x, x->ids[i], "DEPENDS_ON", "NONE", NULL);
	}
	bd_json_end_array(&x->j);
}

/* ---- document --------------------------------------------------------- */

/* --author and --supplier, after the tool (SPDX 2.3, 6.8: "Person:
 * person name (email)", "Organization: name"). */
static void creators(struct spdx *x)
{
	struct bd_buf name = BD_BUF_INIT, email = BD_BUF_INIT;
	size_t i;

	for (i = 0; i < x->o->nauthors; i++) {
		if (!bd_emit_person(x->o->authors[i], &name, &email))
			continue; /* checked by the command line */
		bd_buf_reset(&x->scratch);
		bd_buf_printf(&x->scratch, "Person: %s", name.data);
		if (email.len)
			bd_buf_printf(&x->scratch, " (%s)", email.data);
		bd_json_add_string(&x->j, NULL, scratch_text(x));
	}
	if (x->o->supplier) {
		bd_buf_reset(&x->scratch);
		bd_buf_printf(&x->scratch, "Organization: %s", x->o->supplier);
		bd_json_add_string(&x->j, NULL, scratch_text(x));
	}
	bd_buf_release(&name);
	bd_buf_release(&email);
}

static void creation_info(struct spdx *x)
{
	bd_json_begin_object(&x->j, "creationInfo");
	/* cJSON kept the members in the order added: creators first. */
	bd_json_begin_array(&x->j, "creators");
	bd_json_add_string(&x->j, NULL, x->annotator);
	creators(x);
	bd_json_end_array(&x->j);
	bd_json_add_string(&x->j, "created", x->created);
	bd_json_end_object(&x->j);
}

/*
 * The namespace must be unique to this document (SPDX 2.3, 6.5): the
 * document's name and a UUID of its content, or the --serial one, so that
 * the same input gives the same bytes. Without --serial it is a hole, of
 * the namespace's length, filled once the rest is written.
 */
static void namespace_prefix(struct spdx *x, struct bd_buf *ns)
{
	bd_buf_adds(ns, NAMESPACE_URL);
	bd_emit_id_chars(ns, x->o->source_name, 128);
	bd_buf_addc(ns, '-');
}

static void document(struct spdx *x)
{
	struct bd_buf ns = BD_BUF_INIT;
	size_t i;

	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "spdxVersion", "SPDX-2.3");
	bd_json_add_string(&x->j, "dataLicense", "CC0-1.0");
	bd_json_add_string(&x->j, "SPDXID", "SPDXRef-DOCUMENT");
	bd_json_add_string(&x->j, "name", x->o->source_name);
	namespace_prefix(x, &ns);
	if (x->o->serial)
		bd_buf_adds(&ns, x->o->serial + 9);
	if (!bd_buf_ok(&ns))
		x->j.failed = true;
	else if (x->o->serial)
		bd_json_add_string(&x->j, "documentNamespace", ns.data);
	else
		bd_json_add_hole(&x->j, "documentNamespace", ns.len + 36);
	bd_buf_release(&ns);
	creation_info(x);
	bd_json_begin_array(&x->j, "packages");
	target_package(x);
	for (i = 0; i < x->g->ncomps; i++)
		package(x, (uint32_t)i);
	bd_json_end_array(&x->j);
	extracted_licensing_infos(x);
	relationships(x);
	bd_json_end_object(&x->j);
}

static int set_namespace(struct spdx *x)
{
	struct bd_buf ns = BD_BUF_INIT;
	char uuid[37];
	int rc;

	if (x->o->serial)
		return 0;
	rc = bd_json_content_uuid(&x->j, uuid);
	if (rc)
		return rc;
	namespace_prefix(x, &ns);
	bd_buf_adds(&ns, uuid);
	if (bd_buf_ok(&ns))
		bd_json_fill_hole(&x->j, ns.data);
	else
		rc = BD_ENOMEM;
	bd_buf_release(&ns);
	return rc;
}

/* The namespace's UUID derived from the content by a pass that writes
 * nothing (for a sink that cannot be rewritten), as a serial number
 * ("urn:uuid:..."): urn, 64 bytes. */
static int derive_serial(struct spdx *x, char *urn)
{
	char uuid[37];
	int rc;

	bd_json_init(&x->j, &bd_emit_null_sink, true);
	document(x);
	rc = bd_json_content_uuid(&x->j, uuid);
	if (!rc && x->j.failed)
		rc = BD_ENOMEM;
	bd_json_release(&x->j);
	if (!rc)
		snprintf(urn, 64, "urn:uuid:%s", uuid);
	return rc;
}

static int write_document(struct spdx *x, const struct bd_emit_sink *sink)
{
	const struct bd_emit_options *given = x->o;
	struct bd_emit_options o = *given;
	char urn[64];
	int rc = 0;

	if (!o.serial && !sink->patch) {
		rc = derive_serial(x, urn);
		o.serial = urn;
	}
	if (rc)
		return rc;
	x->o = &o;
	bd_json_init(&x->j, sink, !o.serial);
	document(x);
	rc = set_namespace(x);
	if (!rc)
		rc = bd_json_finish(&x->j);
	bd_json_release(&x->j);
	x->o = given;
	return rc;
}

int bd_emit_spdx_to(const struct bd_graph *g,
		    const struct bd_emit_options *opts,
		    const struct bd_emit_sink *sink, struct bd_error *err)
{
	struct spdx x = { .g = g, .o = opts };
	int rc = BD_ENOMEM;

	bd_arena_init(&x.arena);
	bd_emit_timestamp(opts->timestamp, x.created);
	snprintf(x.annotator, sizeof(x.annotator), "Tool: %s-%s", BD_PROGRAM,
		 BD_VERSION);
	x.flags = calloc(g->ncomps + 1, 1);
	x.ids = calloc(g->ncomps + 1, sizeof(*x.ids));
	if (x.flags && x.ids && !bd_emit_spdx_ids(g, &x.arena, x.ids) &&
	    !collect_license_refs(&x) &&
	    !bd_emit_holders_build(&x.holders, g)) {
		bd_emit_edge_flags(g, x.flags);
		rc = write_document(&x, sink);
	}
	free(x.ids);
	free(x.flags);
	free(x.license_refs);
	bd_emit_holders_release(&x.holders);
	bd_arena_release(&x.arena);
	bd_buf_release(&x.scratch);
	return bd_emit_result(rc, "SPDX", err);
}

int bd_emit_spdx(const struct bd_graph *g, const struct bd_emit_options *opts,
		 struct bd_buf *out, struct bd_error *err)
{
	struct bd_emit_buf_sink s;

	bd_emit_buf_sink_init(&s, out);
	return bd_emit_spdx_to(g, opts, &s.sink, err);
}
