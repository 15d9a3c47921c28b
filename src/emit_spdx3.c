/* SPDX-License-Identifier: MIT */
/*
 * SPDX 3.0.1 JSON-LD (https://spdx.github.io/spdx-spec/v3.0.1/): the same
 * graph as the SPDX 2.3 output, fact for fact, in SPDX 3's model. Every
 * element is an object of "@graph" named by an IRI; the IRIs share the
 * document's namespace, which holds a UUID of the content.
 *
 *   the document               a SpdxDocument, whose root is a
 *                              software_Sbom of type "analyzed", whose
 *                              root is the described target
 *   who made it                CreationInfo: createdBy --author (Person)
 *                              and --supplier (Organization), else the
 *                              program itself (SoftwareAgent); createdUsing
 *                              the Tool
 *   the described target       a software_Package that contains every
 *                              scanned file and artifact given as input
 *   each component             a software_Package, as in 2.3 (each
 *                              CycloneDX component one element, with the
 *                              same hash): packageVersion, packageUrl,
 *                              verifiedUsing, suppliedBy an Organization,
 *                              externalIdentifier cpe23, externalRef vcs
 *                              and funding, primaryPurpose
 *   its upstream licence       A hasDeclaredLicense a LicenseExpression
 *   one a carried SBOM         A hasConcludedLicense a LicenseExpression
 *   concluded
 *   DT_NEEDED                  A hasDynamicLink B     (scope runtime)
 *   PT_INTERP                  A dependsOn B          (scope runtime)
 *   .note.dlopen               A hasOptionalDependency B (scope runtime)
 *   an artifact's files        A contains B
 *   a library compiled into A  A hasStaticLink B
 *   an edge of another kind    A dependsOn B
 *   no needs / unknown needs   A dependsOn NoneElement / NoAssertionElement
 *   bindep: properties, paths  an extension_CdxPropertiesExtension (the
 *                              Extension profile's CycloneDX properties)
 *   evidence.identity          software_sourceInfo
 *
 * SPDX 3 has no NOASSERTION string: a property that is not known is left
 * out (a version, a supplier), and only where an element is expected do
 * its individuals NoAssertionElement and NoneElement say it.
 */
#include "bindep/emit.h"
#include "bindep/hash.h"
#include "bindep/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT	      "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
#define NAMESPACE_URL "https://spdx.org/spdxdocs/bindep-sbom/"
#define CORE	      "https://spdx.org/rdf/3.0.1/terms/Core/"
#define CREATION_INFO "_:creationinfo"
#define DATA_LICENSE  "CC0-1.0"

/* Local parts of the IRIs that are not a component's. */
#define DOCUMENT_ID "SPDXRef-DOCUMENT"
#define SBOM_ID	    "SPDXRef-SBOM"
#define TARGET_ID   "SPDXRef-Target"
#define TOOL_ID	    "SPDXRef-Tool-bindep-sbom"
#define AGENT_ID    "SPDXRef-SoftwareAgent-bindep-sbom"

/* Sorted distinct names: the suppliers, the licence expressions; and
 * the local part of each one's IRI (named_id), made once. */
struct names {
	const char **items;
	const char **ids;
	size_t n;
};

struct spdx3 {
	const struct bd_graph *g;
	const struct bd_emit_options *o;
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	struct bd_emit_holders holders;
	const char **ids; /* per component: the local part of its IRI */
	struct bd_arena arena;
	struct names organizations, licenses;
	struct bd_buf base;    /* the namespace: every IRI starts so */
	struct bd_buf iri;     /* the IRI being written */
	struct bd_buf local;   /* a local part being made */
	struct bd_buf scratch; /* a text made for one value, then written */
	unsigned long nrel;    /* relationships so far: their numbers */
	char created[32];
	struct bd_json j;
};

/* ---- names and identifiers -------------------------------------------- */

/* Sorts ns and drops its repeats. */
static void names_finish(struct names *ns)
{
	ns->n = bd_emit_sort_unique(ns->items, ns->n);
}

static int names_add(struct spdx3 *x, struct names *ns, const char *s)
{
	ns->items[ns->n] = bd_arena_strdup(&x->arena, s);
	return ns->items[ns->n++] ? 0 : BD_ENOMEM;
}

/* The local part "SPDXRef-<kind>-<name's first 40 bytes>-<16 hex of its
 * SHA-256>": one per distinct name, readable and stable. */
static const char *named_id(struct spdx3 *x, const char *kind, const char *name)
{
	char hex[BD_SHA256_HEX_LEN + 1];

	bd_buf_reset(&x->local);
	if (bd_sha256_hex(name, strlen(name), hex)) {
		x->j.failed = true;
		return NULL;
	}
	bd_buf_printf(&x->local, "SPDXRef-%s-", kind);
	bd_emit_id_chars(&x->local, name, 40);
	bd_buf_printf(&x->local, "-%.16s", hex);
	if (bd_buf_ok(&x->local))
		return x->local.data;
	x->j.failed = true;
	return NULL;
}

/* Each name's IRI, made once: an element is named by every component
 * it supplies or licenses, and each name is a SHA-256. */
static int name_ids(struct spdx3 *x, struct names *ns, const char *kind)
{
	size_t i;

	ns->ids = calloc(ns->n + 1, sizeof(*ns->ids));
	for (i = 0; ns->ids && i < ns->n; i++) {
		const char *id = named_id(x, kind, ns->items[i]);

		ns->ids[i] = id ? bd_arena_strdup(&x->arena, id) : NULL;
		if (!ns->ids[i])
			return BD_ENOMEM;
	}
	return ns->ids ? 0 : BD_ENOMEM;
}

/* The organisations that supply something (bd_emit_supplier, --supplier)
 * and the licence expressions, the data licence's included: each one
 * element, however many refer to it. */
static int collect_names(struct spdx3 *x)
{
	size_t i, max = x->g->ncomps + 1;
	char buf[128];
	const char *s;
	int rc = 0;

	x->organizations.items = calloc(max, sizeof(char *));
	x->licenses.items = calloc(max, sizeof(char *));
	if (!x->organizations.items || !x->licenses.items)
		return BD_ENOMEM;
	if (x->o->supplier)
		rc = names_add(x, &x->organizations, x->o->supplier);
	if (!rc)
		rc = names_add(x, &x->licenses, DATA_LICENSE);
	for (i = 0; !rc && i < x->g->ncomps; i++) {
		s = bd_emit_supplier(&x->g->comps[i], buf, sizeof(buf));
		if (s)
			rc = names_add(x, &x->organizations, s);
		if (!rc && x->g->comps[i].license)
			rc = names_add(x, &x->licenses, x->g->comps[i].license);
	}
	names_finish(&x->organizations);
	names_finish(&x->licenses);
	if (!rc)
		rc = name_ids(x, &x->organizations, "Organization");
	return rc ? rc : name_ids(x, &x->licenses, "License");
}

/* The local part of the IRI of a name collected (named_id), or NULL
 * (failed) when out of memory. */
static const char *id_of(struct spdx3 *x, const struct names *ns,
			 const char *kind, const char *name)
{
	const char **at = bsearch(&name, ns->items, ns->n, sizeof(*ns->items),
				  bd_cmp_str);

	return at ? ns->ids[at - ns->items] : named_id(x, kind, name);
}

/* The namespace (as SPDX 2.3's documentNamespace, and "#"), with uuid:
 * "" for the pass that derives it. */
static void set_base(struct spdx3 *x, const char *uuid)
{
	bd_buf_reset(&x->base);
	bd_buf_adds(&x->base, NAMESPACE_URL);
	bd_emit_id_chars(&x->base, x->o->source_name, 128);
	bd_buf_printf(&x->base, "-%s#", uuid);
	if (!bd_buf_ok(&x->base))
		x->j.failed = true;
}

/* A member (key) or item (NULL) naming the element local in this
 * document. */
static void add_iri(struct spdx3 *x, const char *key, const char *local)
{
	if (!local)
		return; /* failed already */
	bd_buf_reset(&x->iri);
	bd_buf_add(&x->iri, x->base.data, x->base.len);
	bd_buf_adds(&x->iri, local);
	if (!bd_buf_ok(&x->iri)) {
		x->j.failed = true;
		return;
	}
	bd_json_add_string(&x->j, key, x->iri.data);
}

static void add_organization(struct spdx3 *x, const char *key, const char *name)
{
	add_iri(x, key, id_of(x, &x->organizations, "Organization", name));
}

static void add_license(struct spdx3 *x, const char *key, const char *name)
{
	add_iri(x, key, id_of(x, &x->licenses, "License", name));
}

/* The text made in x->scratch, or NULL (failed) when out of memory. */
static const char *scratch_text(struct spdx3 *x)
{
	if (bd_buf_ok(&x->scratch))
		return x->scratch.data;
	x->j.failed = true;
	return NULL;
}

/* An element's first members: its class, IRI and creation info. */
static void element_begin(struct spdx3 *x, const char *type, const char *local)
{
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", type);
	add_iri(x, "spdxId", local);
	bd_json_add_string(&x->j, "creationInfo", CREATION_INFO);
}

/* ---- who made the document -------------------------------------------- */

/* CreationInfo's agents: --author and --supplier, as SPDX 2.3's creators;
 * without either, nobody but the program made it. */
static bool has_people(const struct spdx3 *x)
{
	return x->o->nauthors || x->o->supplier;
}

/* --author's, in the order given (the same may be given twice). */
static const char *person_id(size_t i, char local[64])
{
	snprintf(local, 64, "SPDXRef-Person-%zu", i + 1);
	return local;
}

static void creation_info(struct spdx3 *x)
{
	char local[64];
	size_t i;

	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", "CreationInfo");
	bd_json_add_string(&x->j, "@id", CREATION_INFO);
	bd_json_add_string(&x->j, "specVersion", "3.0.1");
	bd_json_add_string(&x->j, "created", x->created);
	bd_json_begin_array(&x->j, "createdBy");
	for (i = 0; i < x->o->nauthors; i++)
		add_iri(x, NULL, person_id(i, local));
	if (x->o->supplier)
		add_organization(x, NULL, x->o->supplier);
	if (!has_people(x))
		add_iri(x, NULL, AGENT_ID);
	bd_json_end_array(&x->j);
	bd_json_begin_array(&x->j, "createdUsing");
	add_iri(x, NULL, TOOL_ID);
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
}

/* --author "Name <email>": a Person, the address as its email
 * identifier. */
static void person(struct spdx3 *x, size_t i, struct bd_buf *name,
		   struct bd_buf *email)
{
	char local[64];

	if (!bd_emit_person(x->o->authors[i], name, email))
		return; /* checked by the command line */
	element_begin(x, "Person", person_id(i, local));
	bd_json_add_string(&x->j, "name", name->data);
	if (email->len) {
		bd_json_begin_array(&x->j, "externalIdentifier");
		bd_json_begin_object(&x->j, NULL);
		bd_json_add_string(&x->j, "type", "ExternalIdentifier");
		bd_json_add_string(&x->j, "externalIdentifierType", "email");
		bd_json_add_string(&x->j, "identifier", email->data);
		bd_json_end_object(&x->j);
		bd_json_end_array(&x->j);
	}
	bd_json_end_object(&x->j);
}

static void agents(struct spdx3 *x)
{
	struct bd_buf name = BD_BUF_INIT, email = BD_BUF_INIT;
	size_t i;

	bd_buf_reset(&x->scratch);
	bd_buf_printf(&x->scratch, "%s-%s", BD_PROGRAM, BD_VERSION);
	element_begin(x, "Tool", TOOL_ID);
	bd_json_add_string(&x->j, "name", scratch_text(x));
	bd_json_end_object(&x->j);
	if (!has_people(x)) {
		element_begin(x, "SoftwareAgent", AGENT_ID);
		bd_json_add_string(&x->j, "name", BD_PROGRAM);
		bd_json_end_object(&x->j);
	}
	for (i = 0; i < x->o->nauthors; i++)
		person(x, i, &name, &email);
	for (i = 0; i < x->organizations.n; i++) {
		element_begin(x, "Organization", x->organizations.ids[i]);
		bd_json_add_string(&x->j, "name", x->organizations.items[i]);
		bd_json_end_object(&x->j);
	}
	bd_buf_release(&name);
	bd_buf_release(&email);
}

/* ---- the document and the SBOM ---------------------------------------- */

/* In JSON-LD the document's elements are "@graph" (SPDX 3.0.1, JSON-LD
 * serialization, "element"): they are not listed again. */
static void spdx_document(struct spdx3 *x)
{
	static const char *const profiles[] = { "core", "software",
						"simpleLicensing",
						"extension" };
	size_t i;

	element_begin(x, "SpdxDocument", DOCUMENT_ID);
	bd_json_add_string(&x->j, "name", x->o->source_name);
	add_license(x, "dataLicense", DATA_LICENSE);
	bd_json_begin_array(&x->j, "profileConformance");
	for (i = 0; i < BD_ARRAY_SIZE(profiles); i++)
		bd_json_add_string(&x->j, NULL, profiles[i]);
	bd_json_end_array(&x->j);
	bd_json_begin_array(&x->j, "rootElement");
	add_iri(x, NULL, SBOM_ID);
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
}

/* "analyzed": made by analysing the artifacts, not from a build. */
static void sbom(struct spdx3 *x)
{
	element_begin(x, "software_Sbom", SBOM_ID);
	bd_json_begin_array(&x->j, "rootElement");
	add_iri(x, NULL, TARGET_ID);
	bd_json_end_array(&x->j);
	bd_json_begin_array(&x->j, "software_sbomType");
	bd_json_add_string(&x->j, NULL, "analyzed");
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
}

static void licenses(struct spdx3 *x)
{
	size_t i;

	for (i = 0; i < x->licenses.n; i++) {
		element_begin(x, "simplelicensing_LicenseExpression",
			      x->licenses.ids[i]);
		bd_json_add_string(&x->j, "simplelicensing_licenseExpression",
				   x->licenses.items[i]);
		bd_json_end_object(&x->j);
	}
}

/* ---- packages --------------------------------------------------------- */

static void add_property(void *ctx, const char *name, const char *value)
{
	struct spdx3 *x = ctx;

	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", "extension_CdxPropertyEntry");
	bd_json_add_string(&x->j, "extension_cdxPropName", name);
	/* A replaced value keeps its raw bytes under the property's name. */
	x->j.raw_label = name;
	bd_json_add_string(&x->j, "extension_cdxPropValue", value);
	x->j.raw_label = NULL;
	bd_json_end_object(&x->j);
}

static void count_property(void *ctx, const char *name, const char *value)
{
	(void)name;
	(void)value;
	(*(size_t *)ctx)++;
}

/*
 * What SPDX has no property for, as CycloneDX properties (the Extension
 * profile's CdxPropertiesExtension, made for them): "bindep:path" for each
 * path, every bindep: property, and last the raw bytes of what the UTF-8
 * policy replaced (bindep/json.h) in this package. Written last, so that
 * every raw of the package is known; left out when there is nothing (the
 * list may not be empty).
 */
static void extension_begin(struct spdx3 *x)
{
	bd_json_begin_array(&x->j, "extension");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", "extension_CdxPropertiesExtension");
	bd_json_begin_array(&x->j, "extension_cdxProperty");
}

static void extension_end(struct spdx3 *x)
{
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
	bd_json_end_array(&x->j);
}

static void extension(struct spdx3 *x, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	size_t i, n = c->paths.n;

	/* Counted only when there is no path (most files have one). */
	if (!n)
		bd_emit_properties(x->g, x->flags, id, count_property, &n);
	if (!n && !x->j.raws.len) {
		bd_json_raw_end(&x->j, add_property, x);
		return;
	}
	extension_begin(x);
	for (i = 0; i < c->paths.n; i++)
		add_property(x, "bindep:path", c->paths.items[i]);
	bd_emit_properties(x->g, x->flags, id, add_property, x);
	bd_json_raw_end(&x->j, add_property, x);
	extension_end(x);
}

static void hash(struct spdx3 *x, const char *algorithm, const char *value,
		 const char *comment)
{
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", "Hash");
	bd_json_add_string(&x->j, "algorithm", algorithm);
	bd_json_add_string(&x->j, "hashValue", value);
	if (comment)
		bd_json_add_string(&x->j, "comment", comment);
	bd_json_end_object(&x->j);
}

/* The file's SHA-256; a Go module's go.sum hash, which SPDX 3 can carry
 * as an "other" algorithm saying which (SPDX 2.3's checksums and
 * CycloneDX's hashes name a fixed list: bindep:go-sum there). */
static void hashes(struct spdx3 *x, const struct bd_component *c)
{
	if (!c->sha256[0] && !c->go_sum)
		return;
	bd_json_begin_array(&x->j, "verifiedUsing");
	if (c->sha256[0])
		hash(x, "sha256", c->sha256, NULL);
	if (c->go_sum)
		hash(x, "other", c->go_sum,
		     "go.sum hash of the Go module: h1 is the SHA-256 of its "
		     "files' SHA-256 list, base64 (golang.org/x/mod/sumdb/"
		     "dirhash Hash1)");
	bd_json_end_array(&x->j);
}

static void cpe(struct spdx3 *x, const struct bd_component *c)
{
	if (!c->cpe)
		return;
	bd_json_begin_array(&x->j, "externalIdentifier");
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", "ExternalIdentifier");
	bd_json_add_string(&x->j, "externalIdentifierType", "cpe23");
	bd_json_add_string(&x->j, "identifier", c->cpe);
	bd_json_end_object(&x->j);
	bd_json_end_array(&x->j);
}

static void reference(struct spdx3 *x, const char *type, const char *url,
		      const char *comment)
{
	if (!url)
		return;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "type", "ExternalRef");
	bd_json_add_string(&x->j, "externalRefType", type);
	bd_json_begin_array(&x->j, "locator");
	bd_json_add_string(&x->j, NULL, url);
	bd_json_end_array(&x->j);
	bd_json_add_string(&x->j, "comment", comment);
	bd_json_end_object(&x->j);
}

/* The repository and funding links; SPDX 3 has a type for each. */
static void references(struct spdx3 *x, const struct bd_component *c)
{
	size_t i;

	bd_json_begin_array_lazy(&x->j, "externalRef");
	reference(x, "vcs", c->repository,
		  c->repository_online ? "from ecosyste.ms" : NULL);
	for (i = 0; i < c->funding.n; i++)
		reference(x, "funding", c->funding.items[i],
			  "from ecosyste.ms");
	bd_json_end_array(&x->j);
}

static void supplier(struct spdx3 *x, const struct bd_component *c)
{
	char buf[128];
	const char *name = bd_emit_supplier(c, buf, sizeof(buf));

	if (name)
		add_organization(x, "suppliedBy", name);
}

/* SPDX 2.3's primaryPackagePurpose in SPDX 3's spelling: the same words,
 * lowercase ("INSTALL": "install"). */
static const char *purpose(const struct bd_component *c)
{
	static const char *const words[][2] = {
		{ "APPLICATION", "application" },
		{ "LIBRARY", "library" },
		{ "INSTALL", "install" },
		{ "ARCHIVE", "archive" },
		{ "FILE", "file" },
	};
	const char *upper = bd_emit_spdx_purpose(c);
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(words); i++) {
		if (!strcmp(upper, words[i][0]))
			return words[i][1];
	}
	return "other";
}

/* evidence.identity as text (bd_emit_source_info), or NULL. */
static const char *source_info(struct spdx3 *x, const struct bd_component *c)
{
	return bd_emit_source_info(&x->scratch, c) ? scratch_text(x) : NULL;
}

static void package(struct spdx3 *x, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];

	element_begin(x, "software_Package", x->ids[id]);
	bd_json_raw_begin(&x->j);
	bd_json_add_string(&x->j, "name", c->name);
	bd_json_add_string(&x->j, "software_packageVersion", c->version);
	supplier(x, c);
	hashes(x, c);
	cpe(x, c);
	references(x, c);
	bd_json_add_string(&x->j, "software_primaryPurpose", purpose(c));
	bd_json_add_string(&x->j, "software_downloadLocation",
			   bd_emit_download_location(c));
	bd_json_add_string(&x->j, "software_homePage", c->homepage);
	bd_json_add_string(&x->j, "software_packageUrl", c->purl);
	bd_json_add_string(&x->j, "software_sourceInfo", source_info(x, c));
	extension(x, id);
	bd_json_end_object(&x->j);
}

/* The described target: an image (issue 12, point 5) is a container with
 * its pkg:oci purl. */
static void target_package(struct spdx3 *x)
{
	element_begin(x, "software_Package", TARGET_ID);
	bd_json_add_string(&x->j, "name", x->o->source_name);
	bd_json_add_string(&x->j, "software_packageVersion",
			   x->o->source_version);
	if (x->o->supplier)
		add_organization(x, "suppliedBy", x->o->supplier);
	bd_json_add_string(&x->j, "software_primaryPurpose",
			   bd_emit_target_is_image(x->o) ? "container"
							 : "application");
	bd_json_add_string(&x->j, "software_packageUrl", x->o->source_purl);
	/* What was left out (bindep:exclude), what the walk could not see
	 * into (bindep:unread-path). */
	if (bd_emit_target_has_properties(x->o)) {
		extension_begin(x);
		bd_emit_target_properties(x->o, add_property, x);
		extension_end(x);
	}
	bd_json_end_object(&x->j);
}

/* ---- relationships ---------------------------------------------------- */

/* What a relationship says besides its ends. */
struct rel {
	const char *type;	  /* relationshipType */
	const char *scope;	  /* LifecycleScopeType, or NULL: none */
	const char *completeness; /* RelationshipCompleteness, or NULL */
	const char *comment;
};

/* "SPDXRef-Relationship-<n>", as "%lu" writes n: one per relationship,
 * without a printf each. */
static void relationship_id(unsigned long n, char local[64])
{
	static const char prefix[] = "SPDXRef-Relationship-";
	char digits[24];
	size_t len = 0, at = sizeof(prefix) - 1;

	do {
		digits[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	memcpy(local, prefix, at);
	while (len)
		local[at++] = digits[--len];
	local[at] = '\0';
}

/* A relationship up to its "to" list, which the caller fills. */
static void relation_begin(struct spdx3 *x, const struct rel *r,
			   const char *from)
{
	char local[64];

	relationship_id(++x->nrel, local);
	element_begin(x,
		      r->scope ? "LifecycleScopedRelationship" : "Relationship",
		      local);
	add_iri(x, "from", from);
	bd_json_add_string(&x->j, "relationshipType", r->type);
	bd_json_begin_array(&x->j, "to");
}

static void relation_end(struct spdx3 *x, const struct rel *r)
{
	bd_json_end_array(&x->j);
	bd_json_add_string(&x->j, "scope", r->scope);
	bd_json_add_string(&x->j, "completeness", r->completeness);
	bd_json_add_string(&x->j, "comment", r->comment);
	bd_json_end_object(&x->j);
}

/* "from TYPE <an individual of SPDX's Core>". */
static void relate_individual(struct spdx3 *x, const struct rel *r,
			      const char *from, const char *individual)
{
	relation_begin(x, r, from);
	bd_json_add_string(&x->j, NULL, individual);
	relation_end(x, r);
}

/* The kinds of edge, as SPDX 3 says them. A kind this emitter does not
 * know yet is a dependency all the same. */
enum group {
	GROUP_LINK,	/* BD_EDGE_NEEDED: hasDynamicLink */
	GROUP_INTERP,	/* BD_EDGE_INTERP: dependsOn, the loader */
	GROUP_DLOPEN,	/* BD_EDGE_DLOPEN_NOTE: hasOptionalDependency */
	GROUP_CONTAINS, /* BD_EDGE_CONTAINS: contains */
	GROUP_STATIC,	/* BD_EDGE_STATIC: hasStaticLink */
	/* BD_EDGE_BUILD, BD_EDGE_DEPENDS to a build-only crate
	 * (bd_emit_build_edge): dependsOn, at build time */
	GROUP_BUILD,
	GROUP_DEPENDS, /* BD_EDGE_DEPENDS: dependsOn, at run time */
	GROUP_OTHER,   /* any other: dependsOn */
};

static enum group group_of(const struct spdx3 *x, const struct bd_edge *e)
{
	if (bd_emit_build_edge(x->flags, e))
		return GROUP_BUILD;
	switch (e->kind) {
	case BD_EDGE_NEEDED: return GROUP_LINK;
	case BD_EDGE_INTERP: return GROUP_INTERP;
	case BD_EDGE_DLOPEN_NOTE: return GROUP_DLOPEN;
	case BD_EDGE_CONTAINS: return GROUP_CONTAINS;
	case BD_EDGE_STATIC: return GROUP_STATIC;
	case BD_EDGE_DEPENDS: return GROUP_DEPENDS;
	default: return GROUP_OTHER;
	}
}

/* Whether edge i says again what an earlier one said (the same ends and
 * kind, from another dlopen entry). */
static bool repeated(const struct bd_graph *g, size_t i)
{
	const struct bd_edge *a = &g->edges[i], *b = i ? a - 1 : NULL;

	return b && a->from == b->from && a->to == b->to && a->kind == b->kind;
}

/* The comment of a component's link relationship: the libraries of the
 * edges [first, end) met by soname only, NULL when there are none. */
static const char *preloaded_comment(struct spdx3 *x, size_t first, size_t end)
{
	const struct bd_graph *g = x->g;
	bool any = false;
	size_t i;

	bd_buf_reset(&x->scratch);
	for (i = first; i < end; i++) {
		const struct bd_edge *e = &g->edges[i];

		if (e->kind != BD_EDGE_NEEDED || !e->preloaded ||
		    repeated(g, i))
			continue;
		bd_buf_adds(&x->scratch,
			    any ? ", "
				: "preloaded: " BD_EMIT_PRELOADED_SAID ": ");
		bd_buf_adds(&x->scratch, g->comps[e->to].name);
		any = true;
	}
	return any ? scratch_text(x) : NULL;
}

/*
 * One relationship for the edges [first, end) of a group, all to its "to"
 * list. DT_NEEDED lists every library a file links (complete), unless the
 * file could not be read whole (incomplete).
 */
static void group_relation(struct spdx3 *x, uint32_t from, size_t first,
			   size_t end, enum group grp)
{
	static const struct rel rels[] = {
		[GROUP_LINK] = { "hasDynamicLink", "runtime", NULL, NULL },
		[GROUP_INTERP] = { "dependsOn", "runtime", NULL,
				   "PT_INTERP: the program's dynamic loader" },
		[GROUP_CONTAINS] = { "contains", NULL, NULL, NULL },
		/* SPDX 3.0.1 RelationshipType: "statically links in", as
		 * 2.3's STATIC_LINK. Unscoped: the library is in the file
		 * at run time too, where a "build" scope would say
		 * otherwise. */
		[GROUP_STATIC] = { "hasStaticLink", NULL, NULL, NULL },
		/* 2.3's BUILD_DEPENDENCY_OF, as SPDX 3's migration guide
		 * writes it: dependsOn, in the scope "build". */
		[GROUP_BUILD] = { "dependsOn", "build", NULL,
				  BD_EMIT_BUILD_SAID },
		/* A crate's on a crate compiled in: the code of both is in
		 * the file, the one calls the other. */
		[GROUP_DEPENDS] = { "dependsOn", "runtime", NULL, NULL },
		[GROUP_OTHER] = { "dependsOn", NULL, NULL, NULL },
	};
	struct rel r = rels[grp];
	const struct bd_graph *g = x->g;
	size_t i;

	for (i = first; i < end && group_of(x, &g->edges[i]) != grp; i++)
		;
	if (i == end)
		return;
	if (grp == GROUP_LINK) {
		r.completeness =
			g->comps[from].error ? "incomplete" : "complete";
		r.comment = preloaded_comment(x, first, end);
	}
	relation_begin(x, &r, x->ids[from]);
	for (; i < end; i++) {
		if (group_of(x, &g->edges[i]) == grp && !repeated(g, i))
			add_iri(x, NULL, x->ids[g->edges[i].to]);
	}
	relation_end(x, &r);
}

/* .note.dlopen: one relationship per entry, which it names, as SPDX 2.3's
 * OPTIONAL_DEPENDENCY_OF does in its comment. */
static void dlopen_relations(struct spdx3 *x, size_t first, size_t end)
{
	struct rel r = { "hasOptionalDependency", "runtime", NULL, NULL };
	const struct bd_dlopen_entry *d;
	size_t i;

	for (i = first; i < end; i++) {
		const struct bd_edge *e = &x->g->edges[i];

		if (e->kind != BD_EDGE_DLOPEN_NOTE || repeated(x->g, i))
			continue;
		d = e->dlopen;
		bd_buf_reset(&x->scratch);
		bd_buf_printf(&x->scratch, ".note.dlopen: priority %s%s%s",
			      d->priority, d->feature ? ", feature " : "",
			      d->feature ? d->feature : "");
		r.comment = scratch_text(x);
		if (!r.comment)
			return;
		relation_begin(x, &r, x->ids[e->from]);
		add_iri(x, NULL, x->ids[e->to]);
		relation_end(x, &r);
	}
}

/*
 * A component's relationships: its edges [first, end), by kind; what is
 * known of the rest (SPDX 3.0.1, Relationship: NoneElement for none,
 * NoAssertionElement for unknown, as 2.3's NONE and NOASSERTION); its
 * licence.
 */
static void component_relations(struct spdx3 *x, uint32_t i, size_t first,
				size_t end)
{
	static const struct rel depends = { "dependsOn", "runtime", NULL,
					    NULL };
	static const struct rel declared = { "hasDeclaredLicense", NULL, NULL,
					     NULL };
	static const struct rel concluded = { "hasConcludedLicense", NULL, NULL,
					      NULL };
	const struct bd_component *c = &x->g->comps[i];

	group_relation(x, i, first, end, GROUP_LINK);
	group_relation(x, i, first, end, GROUP_INTERP);
	dlopen_relations(x, first, end);
	group_relation(x, i, first, end, GROUP_CONTAINS);
	group_relation(x, i, first, end, GROUP_STATIC);
	group_relation(x, i, first, end, GROUP_BUILD);
	group_relation(x, i, first, end, GROUP_DEPENDS);
	group_relation(x, i, first, end, GROUP_OTHER);
	/* Needs not read, or not all (bd_emit_needs_unknown,
	 * bd_emit_needs_in_part, as SPDX 2.3's NOASSERTION says) are
	 * unknown. A file that needs nothing says so; an
	 * artifact's own needs were not read. */
	if (bd_emit_needs_unknown(c) || bd_emit_needs_in_part(c))
		relate_individual(x, &depends, x->ids[i],
				  CORE "NoAssertionElement");
	else if (end == first && c->kind != BD_COMP_ARTIFACT)
		relate_individual(x, &depends, x->ids[i], CORE "NoneElement");
	if (c->license) {
		const struct rel *r =
			c->license_concluded ? &concluded : &declared;

		relation_begin(x, r, x->ids[i]);
		add_license(x, NULL, c->license);
		relation_end(x, r);
	}
}

static void relationships(struct spdx3 *x)
{
	struct rel contains = { "contains", NULL, NULL, NULL };
	const struct bd_graph *g = x->g;
	size_t i, e = 0, first;
	bool any = false;

	/* The target holds what was given; a file inside an artifact is the
	 * artifact's to contain. Not all of it when the walk could not see
	 * into some path (its extension names them). */
	if (bd_emit_target_incomplete(x->o))
		contains.completeness = "incomplete";
	for (i = 0; i < g->ncomps; i++) {
		if (!bd_emit_top_level(g, x->flags, &x->holders, (uint32_t)i))
			continue;
		if (!any)
			relation_begin(x, &contains, TARGET_ID);
		any = true;
		add_iri(x, NULL, x->ids[i]);
	}
	if (any)
		relation_end(x, &contains);
	else if (contains.completeness)
		relate_individual(x, &contains, TARGET_ID,
				  CORE "NoAssertionElement");
	/* Edges are sorted by source, then target. */
	for (i = 0; i < g->ncomps; i++) {
		first = e;
		while (e < g->nedges && g->edges[e].from == i)
			e++;
		component_relations(x, (uint32_t)i, first, e);
	}
}

/* ---- document --------------------------------------------------------- */

static void document(struct spdx3 *x)
{
	size_t i;

	x->nrel = 0;
	bd_json_begin_object(&x->j, NULL);
	bd_json_add_string(&x->j, "@context", CONTEXT);
	bd_json_begin_array(&x->j, "@graph");
	creation_info(x);
	spdx_document(x);
	sbom(x);
	agents(x);
	licenses(x);
	target_package(x);
	for (i = 0; i < x->g->ncomps; i++)
		package(x, (uint32_t)i);
	relationships(x);
	bd_json_end_array(&x->j);
	bd_json_end_object(&x->j);
}

/*
 * The namespace must be unique to the document, and the same input must
 * give the same bytes: its UUID is --serial's, or that of the document's
 * own compact text with the UUID left empty, made by a first pass that
 * writes nothing (it is in every IRI: a hole to fill at the end, as the
 * other formats have, would be one per reference).
 */
static int derive_uuid(struct spdx3 *x, char uuid[37])
{
	int rc;

	set_base(x, "");
	bd_json_init(&x->j, &bd_emit_null_sink, true);
	document(x);
	rc = bd_json_content_uuid(&x->j, uuid);
	if (!rc && x->j.failed)
		rc = BD_ENOMEM;
	bd_json_release(&x->j);
	return rc;
}

static int write_document(struct spdx3 *x, const struct bd_emit_sink *sink)
{
	char uuid[37];
	int rc = 0;

	if (x->o->serial)
		snprintf(uuid, sizeof(uuid), "%s", x->o->serial + 9);
	else
		rc = derive_uuid(x, uuid);
	if (rc)
		return rc;
	bd_json_init(&x->j, sink, false);
	set_base(x, uuid);
	document(x);
	rc = bd_json_finish(&x->j);
	bd_json_release(&x->j);
	return rc;
}

int bd_emit_spdx3_to(const struct bd_graph *g,
		     const struct bd_emit_options *opts,
		     const struct bd_emit_sink *sink, struct bd_error *err)
{
	struct spdx3 x = { .g = g, .o = opts };
	int rc = BD_ENOMEM;

	bd_arena_init(&x.arena);
	bd_emit_timestamp(opts->timestamp, x.created);
	x.flags = calloc(g->ncomps + 1, 1);
	x.ids = calloc(g->ncomps + 1, sizeof(*x.ids));
	if (x.flags && x.ids && !bd_emit_spdx_ids(g, &x.arena, x.ids) &&
	    !collect_names(&x) && !bd_emit_holders_build(&x.holders, g)) {
		bd_emit_edge_flags(g, x.flags);
		rc = write_document(&x, sink);
	}
	free(x.ids);
	free(x.flags);
	free(x.organizations.items);
	free(x.organizations.ids);
	free(x.licenses.items);
	free(x.licenses.ids);
	bd_emit_holders_release(&x.holders);
	bd_arena_release(&x.arena);
	bd_buf_release(&x.base);
	bd_buf_release(&x.iri);
	bd_buf_release(&x.local);
	bd_buf_release(&x.scratch);
	return bd_emit_result(rc, "SPDX 3", err);
}

int bd_emit_spdx3(const struct bd_graph *g, const struct bd_emit_options *opts,
		  struct bd_buf *out, struct bd_error *err)
{
	struct bd_emit_buf_sink s;

	bd_emit_buf_sink_init(&s, out);
	return bd_emit_spdx3_to(g, opts, &s.sink, err);
}
