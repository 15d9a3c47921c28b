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
#include "bindep/hash.h"
#include "bindep/json.h"
#include "bindep/map.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_ID     "SPDXRef-Target"
#define NOASSERTION   "NOASSERTION"
#define NAMESPACE_URL "https://spdx.org/spdxdocs/bindep-sbom/"

struct spdx {
	const struct bd_graph *g;
	const struct bd_emit_options *o;
	unsigned char *flags; /* per component: BD_EMIT_* edge flags */
	struct bd_emit_holders holders;
	const char **ids; /* per component: its SPDXID */
	struct bd_arena arena;
	struct bd_map used; /* SPDXIDs given so far */
	char created[32];
	char annotator[64];
	cJSON *annotations; /* the array being filled by annotate() */
	struct bd_json j;
};

/* ---- identifiers ------------------------------------------------------ */

/* SPDXIDs are "SPDXRef-" and [A-Za-z0-9.-]+: anything else becomes '-'. */
static void id_chars(struct bd_buf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];

		bd_buf_addc(b, isalnum(ch) || ch == '.' || ch == '-' ? (char)ch
								     : '-');
	}
}

/*
 * "SPDXRef-Package-libz.so.1-<16 hex of SHA-256(key)>": readable, stable,
 * and unique; a collision of the cut hash gets a counter.
 */
static int make_id(struct spdx *x, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	struct bd_buf b = BD_BUF_INIT;
	char hex[BD_SHA256_HEX_LEN + 1];
	size_t base;
	uint32_t n = 0, dummy;
	int rc = bd_sha256_hex(c->key, strlen(c->key), hex);

	if (rc)
		return rc;
	bd_buf_adds(&b, "SPDXRef-Package-");
	id_chars(&b, c->name, 64);
	bd_buf_printf(&b, "-%.16s", hex);
	base = b.len;
	while (bd_buf_ok(&b) && bd_map_get(&x->used, bd_buf_str(&b), &dummy)) {
		b.len = base;
		bd_buf_printf(&b, "-%u", ++n);
	}
	x->ids[id] = bd_buf_ok(&b) ? bd_arena_strdup(&x->arena, bd_buf_str(&b))
				   : NULL;
	bd_buf_release(&b);
	if (!x->ids[id])
		return BD_ENOMEM;
	return bd_map_put(&x->used, x->ids[id], id);
}

/* ---- annotations ------------------------------------------------------ */

/* One annotation per fact SPDX has no field for, as "name=value". */
static void annotate(void *ctx, const char *name, const char *value)
{
	struct spdx *x = ctx;
	cJSON *a = bd_json_push_object(&x->j, x->annotations);
	char *text = NULL;

	if (!a)
		return;
	/* A replaced value keeps its raw bytes under the annotation's name. */
	value = bd_json_text(&x->j, name, value);
	if (value)
		text = bd_arena_printf(&x->arena, "%s=%s", name, value);
	if (!text)
		x->j.failed = true;
	bd_json_add_string(&x->j, a, "annotationDate", x->created);
	bd_json_add_string(&x->j, a, "annotationType", "OTHER");
	bd_json_add_string(&x->j, a, "annotator", x->annotator);
	bd_json_add_string(&x->j, a, "comment", text);
}

static void annotations(struct spdx *x, cJSON *pkg, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	size_t i;

	x->annotations = bd_json_add_array(&x->j, pkg, "annotations");
	if (!x->annotations)
		return;
	for (i = 0; i < c->paths.n; i++)
		annotate(x, "bindep:path", c->paths.items[i]);
	bd_emit_properties(x->g, x->flags, id, annotate, x);
	/* Last: the raw bytes of what the UTF-8 policy replaced
	 * (bindep/json.h) in this package. */
	bd_json_raw_end(&x->j, annotate, x);
	if (!cJSON_GetArraySize(x->annotations))
		cJSON_DeleteItemFromObject(pkg, "annotations");
	x->annotations = NULL;
}

/* ---- packages --------------------------------------------------------- */

static void external_ref(struct spdx *x, cJSON **refs, cJSON *pkg,
			 const char *category, const char *type,
			 const char *locator)
{
	cJSON *r;

	if (!locator)
		return;
	if (!*refs)
		*refs = bd_json_add_array(&x->j, pkg, "externalRefs");
	r = *refs ? bd_json_push_object(&x->j, *refs) : NULL;
	if (r) {
		bd_json_add_string(&x->j, r, "referenceCategory", category);
		bd_json_add_string(&x->j, r, "referenceType", type);
		bd_json_add_string(&x->j, r, "referenceLocator", locator);
	}
}

static void external_refs(struct spdx *x, cJSON *pkg,
			  const struct bd_component *c)
{
	cJSON *refs = NULL;

	external_ref(x, &refs, pkg, "PACKAGE-MANAGER", "purl", c->purl);
	external_ref(x, &refs, pkg, "SECURITY", "cpe23Type", c->cpe);
	/* SPDX 2.3 has no repository field; OTHER takes any type. */
	external_ref(x, &refs, pkg, "OTHER", "vcs", c->repository);
	for (size_t i = 0; i < c->funding.n; i++)
		external_ref(x, &refs, pkg, "OTHER", "funding",
			     c->funding.items[i]);
}

/* A distribution's package is supplied by the distribution: the purl's
 * namespace ("pkg:deb/debian/..."), by its usual name where we know it. */
static const char *distribution_name(const char *ns, size_t len)
{
	static const char *const names[][2] = {
		{ "alma", "AlmaLinux" },
		{ "almalinux", "AlmaLinux" },
		{ "alpine", "Alpine Linux" },
		{ "amzn", "Amazon Linux" },
		{ "centos", "CentOS" },
		{ "debian", "Debian" },
		{ "fedora", "Fedora Project" },
		{ "opensuse", "openSUSE" },
		{ "redhat", "Red Hat" },
		{ "rocky", "Rocky Linux" },
		{ "suse", "SUSE" },
		{ "ubuntu", "Ubuntu" },
		{ "wolfi", "Wolfi" },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(names); i++) {
		if (strlen(names[i][0]) == len &&
		    !strncmp(ns, names[i][0], len))
			return names[i][1];
	}
	return NULL;
}

static const char *supplier(struct spdx *x, const struct bd_component *c)
{
	static const char *const distro_types[] = { "pkg:deb/", "pkg:rpm/",
						    "pkg:apk/" };
	size_t i, len;
	const char *ns, *end, *name;

	if (!c->purl)
		return NULL;
	for (i = 0; i < BD_ARRAY_SIZE(distro_types); i++) {
		len = strlen(distro_types[i]);
		if (strncmp(c->purl, distro_types[i], len))
			continue;
		ns = c->purl + len;
		end = strchr(ns, '/');
		if (!end || end == ns)
			return NULL;
		name = distribution_name(ns, (size_t)(end - ns));
		return name ? bd_arena_printf(&x->arena, "Organization: %s",
					      name)
			    : bd_arena_printf(&x->arena, "Organization: %.*s",
					      (int)(end - ns), ns);
	}
	return NULL;
}

/* A copy of an upstream project (its purl is the project's) comes from
 * the project's repository; anything else, we cannot say. */
static const char *download_location(const struct bd_component *c)
{
	if (c->purl && c->upstream_purl && !strcmp(c->purl, c->upstream_purl) &&
	    c->repository)
		return c->repository;
	return NOASSERTION;
}

/* evidence.identity as one line per field. */
static const char *source_info(struct spdx *x, const struct bd_component *c)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *s;
	size_t i;

	if (!c->nids)
		return NULL;
	bd_buf_adds(&b, "identified by bindep-sbom:");
	for (i = 0; i < c->nids; i++) {
		const struct bd_identity *f = &c->ids[i];

		bd_buf_printf(&b, "\n%s %s: %s, confidence %g, from %s",
			      f->field, f->value, f->technique, f->confidence,
			      f->method);
	}
	s = bd_buf_ok(&b) ? bd_arena_strdup(&x->arena, bd_buf_str(&b)) : NULL;
	bd_buf_release(&b);
	if (!s)
		x->j.failed = true;
	return s;
}

/* SPDX 2.3, 7.24: a distribution's package is installed ("INSTALL"), a
 * plain archive is an "ARCHIVE", a language package a "LIBRARY". */
static const char *artifact_purpose(const struct bd_component *c)
{
	static const char *const kinds[][2] = {
		{ "deb", "INSTALL" }, { "rpm", "INSTALL" },
		{ "apk", "INSTALL" }, { "tarball", "ARCHIVE" },
		{ "zip", "ARCHIVE" },
	};
	size_t i;

	for (i = 0; c->artifact_type && i < BD_ARRAY_SIZE(kinds); i++) {
		if (!strcmp(c->artifact_type, kinds[i][0]))
			return kinds[i][1];
	}
	return "LIBRARY";
}

static const char *purpose(const struct bd_component *c)
{
	switch (c->kind) {
	case BD_COMP_EXECUTABLE: return "APPLICATION";
	case BD_COMP_LIBRARY: return "LIBRARY";
	case BD_COMP_UNRESOLVED: return "LIBRARY";
	case BD_COMP_ARTIFACT: return artifact_purpose(c);
	default: return "FILE";
	}
}

static void checksums(struct spdx *x, cJSON *pkg, const struct bd_component *c)
{
	cJSON *arr, *h;

	if (!c->sha256[0])
		return;
	arr = bd_json_add_array(&x->j, pkg, "checksums");
	h = arr ? bd_json_push_object(&x->j, arr) : NULL;
	if (h) {
		bd_json_add_string(&x->j, h, "algorithm", "SHA256");
		bd_json_add_string(&x->j, h, "checksumValue", c->sha256);
	}
}

static void package(struct spdx *x, cJSON *arr, uint32_t id)
{
	const struct bd_component *c = &x->g->comps[id];
	cJSON *pkg = bd_json_push_object(&x->j, arr);

	if (!pkg)
		return;
	bd_json_raw_begin(&x->j);
	bd_json_add_string(&x->j, pkg, "SPDXID", x->ids[id]);
	bd_json_add_string(&x->j, pkg, "name", c->name);
	bd_json_add_string(&x->j, pkg, "versionInfo", c->version);
	bd_json_add_string(&x->j, pkg, "packageFileName",
			   c->paths.n ? c->paths.items[0] : NULL);
	bd_json_add_string(&x->j, pkg, "supplier", supplier(x, c));
	bd_json_add_string(&x->j, pkg, "downloadLocation",
			   download_location(c));
	bd_json_add_bool(&x->j, pkg, "filesAnalyzed", false);
	checksums(x, pkg, c);
	bd_json_add_string(&x->j, pkg, "homepage", c->homepage);
	bd_json_add_string(&x->j, pkg, "sourceInfo", source_info(x, c));
	bd_json_add_string(&x->j, pkg, "licenseConcluded", NOASSERTION);
	/* The upstream project's, as the registry records it. */
	bd_json_add_string(&x->j, pkg, "licenseDeclared",
			   c->license ? c->license : NOASSERTION);
	bd_json_add_string(&x->j, pkg, "copyrightText", NOASSERTION);
	external_refs(x, pkg, c);
	bd_json_add_string(&x->j, pkg, "primaryPackagePurpose", purpose(c));
	annotations(x, pkg, id);
}

static void target_package(struct spdx *x, cJSON *arr)
{
	cJSON *pkg = bd_json_push_object(&x->j, arr);
	cJSON *refs = NULL;

	if (!pkg)
		return;
	bd_json_add_string(&x->j, pkg, "SPDXID", TARGET_ID);
	bd_json_add_string(&x->j, pkg, "name", x->o->source_name);
	bd_json_add_string(&x->j, pkg, "versionInfo", x->o->source_version);
	bd_json_add_string(&x->j, pkg, "downloadLocation", NOASSERTION);
	bd_json_add_bool(&x->j, pkg, "filesAnalyzed", false);
	bd_json_add_string(&x->j, pkg, "licenseConcluded", NOASSERTION);
	bd_json_add_string(&x->j, pkg, "licenseDeclared", NOASSERTION);
	bd_json_add_string(&x->j, pkg, "copyrightText", NOASSERTION);
	/* An image (issue 12, point 5): its pkg:oci purl. */
	external_ref(x, &refs, pkg, "PACKAGE-MANAGER", "purl",
		     x->o->source_purl);
	bd_json_add_string(&x->j, pkg, "primaryPackagePurpose",
			   x->o->source_purl ? "CONTAINER" : "APPLICATION");
}

/* ---- relationships ---------------------------------------------------- */

static void relate(struct spdx *x, cJSON *arr, const char *a, const char *type,
		   const char *b, const char *comment)
{
	cJSON *r = bd_json_push_object(&x->j, arr);

	if (!r)
		return;
	bd_json_add_string(&x->j, r, "spdxElementId", a);
	bd_json_add_string(&x->j, r, "relationshipType", type);
	bd_json_add_string(&x->j, r, "relatedSpdxElement", b);
	bd_json_add_string(&x->j, r, "comment", comment);
}

static const char *dlopen_comment(struct spdx *x, const struct bd_edge *e)
{
	const struct bd_dlopen_entry *d = e->dlopen;
	const char *s = bd_arena_printf(
		&x->arena, ".note.dlopen: priority %s%s%s", d->priority,
		d->feature ? ", feature " : "", d->feature ? d->feature : "");

	if (!s)
		x->j.failed = true;
	return s;
}

static void edge(struct spdx *x, cJSON *arr, const struct bd_edge *e)
{
	const char *from = x->ids[e->from], *to = x->ids[e->to];

	switch (e->kind) {
	case BD_EDGE_NEEDED:
		relate(x, arr, from, "DYNAMIC_LINK", to, NULL);
		break;
	case BD_EDGE_INTERP:
		relate(x, arr, from, "DEPENDS_ON", to,
		       "PT_INTERP: the program's dynamic loader");
		break;
	case BD_EDGE_DLOPEN_NOTE:
		relate(x, arr, to, "OPTIONAL_DEPENDENCY_OF", from,
		       dlopen_comment(x, e));
		break;
	case BD_EDGE_CONTAINS:
		relate(x, arr, from, "CONTAINS", to, NULL);
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

static void relationships(struct spdx *x, cJSON *root)
{
	const struct bd_graph *g = x->g;
	cJSON *arr = bd_json_add_array(&x->j, root, "relationships");
	size_t i, e = 0;

	if (!arr)
		return;
	relate(x, arr, "SPDXRef-DOCUMENT", "DESCRIBES", TARGET_ID, NULL);
	/* A file inside an artifact is the artifact's to contain. */
	for (i = 0; i < g->ncomps; i++) {
		if (bd_emit_top_level(g, x->flags, &x->holders, (uint32_t)i))
			relate(x, arr, TARGET_ID, "CONTAINS", x->ids[i], NULL);
	}
	/* Edges are sorted by source. Dependencies of an unresolved or
	 * unreadable component are unknown (NOASSERTION); a file that needs
	 * nothing says so (NONE), as CycloneDX's empty dependsOn does. An
	 * artifact's own dependencies were not read: it says nothing. */
	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];
		size_t first = e;

		while (e < g->nedges && g->edges[e].from == i) {
			if (!repeated(g, e))
				edge(x, arr, &g->edges[e]);
			e++;
		}
		if (c->kind == BD_COMP_UNRESOLVED || c->error)
			relate(x, arr, x->ids[i], "DEPENDS_ON", NOASSERTION,
			       NULL);
		else if (e == first && c->kind != BD_COMP_ARTIFACT)
			relate(x, arr, x->ids[i], "DEPENDS_ON", "NONE", NULL);
	}
}

/* ---- document --------------------------------------------------------- */

static void creation_info(struct spdx *x, cJSON *root)
{
	cJSON *ci = bd_json_add_object(&x->j, root, "creationInfo");
	cJSON *creators = ci ? bd_json_add_array(&x->j, ci, "creators") : NULL;

	if (!creators)
		return;
	bd_json_add_string(&x->j, ci, "created", x->created);
	bd_json_push_string(&x->j, creators, x->annotator);
}

static cJSON *document(struct spdx *x)
{
	cJSON *root = bd_json_check(&x->j, cJSON_CreateObject());
	cJSON *pkgs;
	size_t i;

	if (!root)
		return NULL;
	bd_json_add_string(&x->j, root, "spdxVersion", "SPDX-2.3");
	bd_json_add_string(&x->j, root, "dataLicense", "CC0-1.0");
	bd_json_add_string(&x->j, root, "SPDXID", "SPDXRef-DOCUMENT");
	bd_json_add_string(&x->j, root, "name", x->o->source_name);
	/* A placeholder, replaced once the rest is known (see below). */
	bd_json_add_string(&x->j, root, "documentNamespace", "");
	creation_info(x, root);
	pkgs = bd_json_add_array(&x->j, root, "packages");
	if (pkgs)
		target_package(x, pkgs);
	for (i = 0; pkgs && i < x->g->ncomps; i++)
		package(x, pkgs, (uint32_t)i);
	relationships(x, root);
	return root;
}

/*
 * The namespace must be unique to this document (SPDX 2.3, 6.5): the
 * document's name and a UUID of its content, or the --serial one, so that
 * the same input gives the same bytes.
 */
static int set_namespace(struct spdx *x, cJSON *root)
{
	struct bd_buf ns = BD_BUF_INIT;
	char uuid[37];
	int rc = 0;

	if (x->o->serial)
		snprintf(uuid, sizeof(uuid), "%s", x->o->serial + 9);
	else
		rc = bd_json_content_uuid(root, uuid);
	if (rc)
		return rc;
	bd_buf_adds(&ns, NAMESPACE_URL);
	id_chars(&ns, x->o->source_name, 128);
	bd_buf_printf(&ns, "-%s", uuid);
	if (!bd_buf_ok(&ns))
		rc = BD_ENOMEM;
	else
		bd_json_set_string(&x->j, root, "documentNamespace",
				   bd_buf_str(&ns));
	bd_buf_release(&ns);
	return rc;
}

static int make_ids(struct spdx *x)
{
	uint32_t i;
	int rc = 0;

	for (i = 0; !rc && i < x->g->ncomps; i++)
		rc = make_id(x, i);
	return rc;
}

int bd_emit_spdx(const struct bd_graph *g, const struct bd_emit_options *opts,
		 struct bd_buf *out, struct bd_error *err)
{
	struct spdx x = { .g = g, .o = opts };
	cJSON *root = NULL;
	int rc = BD_ENOMEM;

	bd_arena_init(&x.arena);
	bd_map_init(&x.used);
	bd_emit_timestamp(opts->timestamp, x.created);
	snprintf(x.annotator, sizeof(x.annotator), "Tool: %s-%s", BD_PROGRAM,
		 BD_VERSION);
	x.flags = calloc(g->ncomps + 1, 1);
	x.ids = calloc(g->ncomps + 1, sizeof(*x.ids));
	if (x.flags && x.ids && !make_ids(&x) &&
	    !bd_emit_holders_build(&x.holders, g)) {
		bd_emit_edge_flags(g, x.flags);
		root = document(&x);
	}
	if (root && !x.j.failed && !set_namespace(&x, root))
		rc = bd_json_print(&x.j, root, out);
	cJSON_Delete(root);
	free(x.ids);
	free(x.flags);
	bd_emit_holders_release(&x.holders);
	bd_map_release(&x.used);
	bd_arena_release(&x.arena);
	bd_json_release(&x.j);
	return rc ? bd_error_set(err, rc, "out of memory writing SPDX") : 0;
}
