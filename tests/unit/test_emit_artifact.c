/* SPDX-License-Identifier: MIT */
/*
 * The emitters on release artifacts and images (issue 12): a graph built
 * by hand with a wheel holding three files, a release tarball holding a
 * wheel holding a program, a .deb holding a library, a file of an image
 * layer, and an image as the target. Each document is checked field by
 * field and against the official schemas (tests/validate.py).
 */
#include "unit.h"
#include "bindep/emit.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Registered by test_emit.c's suite (tests/unit/unit.h lists one
 * function per module). */
void bd_test_register_emit_artifact(void);

#define WHEEL	"dist/x-1.0-cp311-cp311-linux_x86_64.whl"
#define TARBALL "dist/rel-2.0.tar.gz"
#define NESTED	TARBALL "!/wheels/y-3.0-py3-none-any.whl"
#define DEB	"dist/z_1.0_amd64.deb"
#define LAYER                                                                  \
	"sha256:"                                                              \
	"1111111111111111111111111111111111111111111111111111111111111111"
#define DIFF_ID                                                                \
	"sha256:"                                                              \
	"2222222222222222222222222222222222222222222222222222222222222222"
#define IMAGE_PURL                                                             \
	"pkg:oci/alpine@sha256:"                                               \
	"3333333333333333333333333333333333333333333333333333333333333333"     \
	"?repository_url=docker.io%2Flibrary%2Falpine&tag=3.20"
#define MANIFEST                                                               \
	"sha256:"                                                              \
	"3333333333333333333333333333333333333333333333333333333333333333"

static const char *plug_sonames[] = { "libplug.so" };
static struct bd_dlopen_entry plug_entry = { "plugins", NULL, "suggested",
					     plug_sonames, 1 };

/* What one component is made of; graph order does not depend on it. */
struct spec {
	const char *key;
	enum bd_comp_kind kind;
	const char *name, *version, *purl, *type, *path, *path2;
	char hash; /* its SHA-256 is 64 of these, or none */
	bool input;
};

static const struct spec specs[] = {
	{ "artifact:" WHEEL, BD_COMP_ARTIFACT, "x", "1.0", "pkg:pypi/x@1.0",
	  "wheel", WHEEL, NULL, 'a', true },
	{ "sha256:f1", BD_COMP_LIBRARY, "_x.cpython-311-x86_64-linux-gnu.so",
	  NULL, NULL, NULL, WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so",
	  NULL, 'b', true },
	/* The same library also given as a plain file: held by both. */
	{ "sha256:f2", BD_COMP_LIBRARY, "libfoo-1a2b3c4d.so.1", "1.2",
	  "pkg:generic/foo@1.2", NULL, WHEEL "!/x.libs/libfoo-1a2b3c4d.so.1",
	  "vendor/libfoo-1a2b3c4d.so.1", 'c', true },
	{ "sha256:f3", BD_COMP_LIBRARY, "libplug.so", NULL, NULL, NULL,
	  WHEEL "!/x/libplug.so", NULL, 'd', true },
	{ "artifact:" TARBALL, BD_COMP_ARTIFACT, "rel", "2.0",
	  "pkg:generic/rel@2.0", "tarball", TARBALL, NULL, 'e', true },
	{ "artifact:" NESTED, BD_COMP_ARTIFACT, "y", "3.0", "pkg:pypi/y@3.0",
	  "wheel", NESTED, NULL, 'f', true },
	{ "sha256:f4", BD_COMP_EXECUTABLE, "ytool", NULL, NULL, NULL,
	  NESTED "!/y/bin/ytool", NULL, '0', true },
	{ "artifact:" DEB, BD_COMP_ARTIFACT, "z", "1.0",
	  "pkg:deb/debian/z@1.0?arch=amd64", "deb", DEB, NULL, '1', true },
	{ "sha256:f5", BD_COMP_LIBRARY, "libzt.so.1", "1.0",
	  "pkg:deb/debian/z@1.0?arch=amd64", NULL,
	  DEB "!/usr/lib/x86_64-linux-gnu/libzt.so.1", NULL, '2', true },
	{ "sha256:f6", BD_COMP_EXECUTABLE, "app", NULL, NULL, NULL,
	  "usr/bin/app", NULL, '3', true },
	{ "soname:libc.so.6", BD_COMP_UNRESOLVED, "libc.so.6", NULL, NULL, NULL,
	  NULL, NULL, 0, false },
};

#define NSPECS BD_ARRAY_SIZE(specs)

static uint32_t id_of(struct bd_graph *g, const char *key)
{
	uint32_t id = UINT32_MAX;

	CU_ASSERT_TRUE(bd_graph_find(g, key, &id));
	return id;
}

static void add_spec(struct bd_graph *g, const struct spec *s)
{
	struct bd_component *c;
	uint32_t id;

	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, s->key, s->kind, &id), 0);
	c = bd_graph_comp(g, id);
	c->name = s->name;
	c->version = s->version;
	c->purl = s->purl;
	c->artifact_type = s->type;
	c->is_input = s->input;
	if (s->hash)
		memset(c->sha256, s->hash, 64);
	if (s->kind == BD_COMP_LIBRARY)
		c->soname = s->name;
	if (s->path)
		bd_graph_add_path(g, id, s->path);
	if (s->path2)
		bd_graph_add_path(g, id, s->path2);
}

/* Files read from an artifact: in_artifact, bundled-in its purl. */
static void hold(struct bd_graph *g, const char *artifact, const char *file)
{
	uint32_t a = id_of(g, artifact), f = id_of(g, file);
	struct bd_component *c = bd_graph_comp(g, f);

	if (bd_graph_comp(g, f)->kind != BD_COMP_ARTIFACT) {
		c->in_artifact = true;
		c->bundled_in = bd_graph_comp(g, a)->purl;
	}
	CU_ASSERT_EQUAL(bd_graph_add_edge(g, a, f, BD_EDGE_CONTAINS, NULL), 0);
}

static void edges(struct bd_graph *g)
{
	uint32_t f1 = id_of(g, "sha256:f1"),
		 libc = id_of(g, "soname:libc.so.6");
	struct bd_component *app;

	hold(g, "artifact:" WHEEL, "sha256:f1");
	hold(g, "artifact:" WHEEL, "sha256:f2");
	hold(g, "artifact:" WHEEL, "sha256:f3");
	hold(g, "artifact:" TARBALL, "artifact:" NESTED);
	hold(g, "artifact:" NESTED, "sha256:f4");
	hold(g, "artifact:" DEB, "sha256:f5");
	bd_graph_add_edge(g, f1, id_of(g, "sha256:f2"), BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, f1, libc, BD_EDGE_NEEDED, NULL);
	/* libplug.so is reached only through a note: optional, though an
	 * artifact holds it. */
	bd_graph_add_edge(g, f1, id_of(g, "sha256:f3"), BD_EDGE_DLOPEN_NOTE,
			  &plug_entry);
	bd_graph_add_edge(g, id_of(g, "sha256:f4"), libc, BD_EDGE_NEEDED, NULL);
	app = bd_graph_comp(g, id_of(g, "sha256:f6"));
	app->layer_digest = LAYER;
	app->layer_diff_id = DIFF_ID;
	bd_graph_add_edge(g, id_of(g, "sha256:f6"), id_of(g, "sha256:f5"),
			  BD_EDGE_NEEDED, NULL);
}

/* Built in the listed order, or backwards: the output must not tell. */
static void make_graph(struct bd_graph *g, bool backwards)
{
	size_t i;

	bd_graph_init(g);
	for (i = 0; i < NSPECS; i++)
		add_spec(g, &specs[backwards ? NSPECS - 1 - i : i]);
	edges(g);
	CU_ASSERT_EQUAL(bd_graph_sort(g), 0);
}

static const struct bd_emit_options image_opts = {
	.source_name = "alpine:3.20",
	.source_version = MANIFEST,
	.source_purl = IMAGE_PURL,
	.source_type = "container",
	.timestamp = 1700000000,
};

enum format { CDX, SPDX, SPDX3, TEXT, FUNDING };

static char *emit(const struct bd_graph *g, enum format f)
{
	struct bd_emit_options o = image_opts;
	struct bd_buf b = BD_BUF_INIT;
	int rc;

	switch (f) {
	case CDX: rc = bd_emit_cyclonedx(g, &o, &b, NULL); break;
	case SPDX: rc = bd_emit_spdx(g, &o, &b, NULL); break;
	case SPDX3: rc = bd_emit_spdx3(g, &o, &b, NULL); break;
	case TEXT: rc = bd_emit_text(g, &o, &b, NULL); break;
	default: rc = bd_emit_funding(g, &o, &b, NULL); break;
	}
	CU_ASSERT_EQUAL(rc, 0);
	return bd_buf_detach(&b, NULL);
}

/* tests/validate.py (the e2e suite's check, with the vendored official
 * schemas): 0 when the document is valid. */
static int validate(const char *kind, const char *doc)
{
	char dir[] = "/tmp/bd-emit-XXXXXX", path[64], cmd[256];
	FILE *f;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/doc.json", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(doc, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/validate.py %s %s",
		 kind, path);
	rc = system(cmd);
	unlink(path);
	rmdir(dir);
	return rc;
}

/* ---- helpers over the parsed documents ------------------------------- */

static const char *str(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(obj, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static cJSON *find(cJSON *arr, const char *key, const char *value)
{
	cJSON *c;

	cJSON_ArrayForEach(c, arr)
	{
		if (!strcmp(str(c, key), value))
			return c;
	}
	return NULL;
}

/* The values of key in an array of objects, or of strings, joined by
 * spaces: "a b c". */
static char *joined(cJSON *arr, const char *key)
{
	struct bd_buf b = BD_BUF_INIT;
	cJSON *c;

	cJSON_ArrayForEach(c, arr)
	{
		if (b.len)
			bd_buf_addc(&b, ' ');
		bd_buf_adds(&b, key ? str(c, key) : c->valuestring);
	}
	return bd_buf_detach(&b, NULL);
}

static void expect_joined(cJSON *arr, const char *key, const char *want)
{
	char *got = joined(arr, key);

	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", got, want);
	free(got);
}

/* The value of property name, "" when absent, all of them joined. */
static char *props_named(cJSON *comp, const char *name)
{
	struct bd_buf b = BD_BUF_INIT;
	cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(comp, "properties"))
	{
		if (strcmp(str(p, "name"), name))
			continue;
		if (b.len)
			bd_buf_addc(&b, ' ');
		bd_buf_adds(&b, str(p, "value"));
	}
	return bd_buf_detach(&b, NULL);
}

static void expect_prop(cJSON *comp, const char *name, const char *want)
{
	char *got = props_named(comp, name);

	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

/* ---- CycloneDX -------------------------------------------------------- */

static cJSON *dep_of(cJSON *doc, const char *ref)
{
	return cJSON_GetObjectItem(
		find(cJSON_GetObjectItem(doc, "dependencies"), "ref", ref),
		"dependsOn");
}

static void check_cdx_artifacts(cJSON *doc)
{
	cJSON *comps = cJSON_GetObjectItem(doc, "components");
	cJSON *wheel = find(comps, "bom-ref", "artifact:" WHEEL), *h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(wheel);
	CU_ASSERT_STRING_EQUAL(str(wheel, "type"), "library");
	CU_ASSERT_STRING_EQUAL(str(wheel, "name"), "x");
	CU_ASSERT_STRING_EQUAL(str(wheel, "version"), "1.0");
	CU_ASSERT_STRING_EQUAL(str(wheel, "purl"), "pkg:pypi/x@1.0");
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(wheel, "hashes"), 0);
	CU_ASSERT_STRING_EQUAL(str(h, "alg"), "SHA-256");
	CU_ASSERT_EQUAL(strspn(str(h, "content"), "a"), 64);
	expect_prop(wheel, "bindep:artifact-type", "wheel");
	/* Its location is in occurrences, as a file's. */
	expect_prop(wheel, "bindep:path", "");
	expect_joined(
		cJSON_GetObjectItem(cJSON_GetObjectItem(wheel, "evidence"),
				    "occurrences"),
		"location", WHEEL);
	/* A tarball is a file; a .deb and a nested wheel are libraries. */
	CU_ASSERT_STRING_EQUAL(
		str(find(comps, "bom-ref", "artifact:" TARBALL), "type"),
		"file");
	CU_ASSERT_STRING_EQUAL(
		str(find(comps, "bom-ref", "artifact:" DEB), "type"),
		"library");
	CU_ASSERT_STRING_EQUAL(
		str(find(comps, "bom-ref", "artifact:" NESTED), "type"),
		"library");
	/* Files keep their occurrences only; the layer of an image file. */
	expect_prop(find(comps, "bom-ref", "sha256:f1"), "bindep:path", "");
	expect_prop(find(comps, "bom-ref", "sha256:f1"), "bindep:bundled-in",
		    "pkg:pypi/x@1.0");
	expect_prop(find(comps, "bom-ref", "sha256:f6"), "bindep:layer-digest",
		    LAYER);
	expect_prop(find(comps, "bom-ref", "sha256:f6"), "bindep:layer-diff-id",
		    DIFF_ID);
	expect_prop(find(comps, "bom-ref", "sha256:f1"), "bindep:layer-digest",
		    "");
}

/* Containment is a dependency, but no load: it changes no scope and no
 * composition. */
static void check_cdx_edges(cJSON *doc)
{
	cJSON *comps = cJSON_GetObjectItem(doc, "components");
	cJSON *comp = cJSON_GetObjectItem(doc, "compositions"), *c;

	expect_joined(dep_of(doc, "target"), NULL,
		      "sha256:f6 sha256:f2 artifact:" TARBALL " artifact:" WHEEL
		      " artifact:" DEB);
	expect_joined(dep_of(doc, "artifact:" WHEEL), NULL,
		      "sha256:f1 sha256:f2 sha256:f3");
	expect_joined(dep_of(doc, "artifact:" TARBALL), NULL,
		      "artifact:" NESTED);
	expect_joined(dep_of(doc, "artifact:" NESTED), NULL, "sha256:f4");
	expect_joined(dep_of(doc, "artifact:" DEB), NULL, "sha256:f5");
	expect_joined(dep_of(doc, "sha256:f1"), NULL,
		      "soname:libc.so.6 sha256:f2 sha256:f3");
	CU_ASSERT_STRING_EQUAL(
		str(find(comps, "bom-ref", "sha256:f3"), "scope"), "optional");
	CU_ASSERT_STRING_EQUAL(
		str(find(comps, "bom-ref", "sha256:f2"), "scope"), "");
	CU_ASSERT_STRING_EQUAL(
		str(find(comps, "bom-ref", "sha256:f5"), "scope"), "");
	c = find(comp, "aggregate", "incomplete");
	expect_joined(cJSON_GetObjectItem(c, "assemblies"), NULL,
		      "soname:libc.so.6");
	expect_joined(cJSON_GetObjectItem(c, "dependencies"), NULL,
		      "sha256:f1 sha256:f4");
	c = find(comp, "aggregate", "unknown");
	expect_joined(cJSON_GetObjectItem(c, "assemblies"), NULL,
		      "sha256:f1 sha256:f6 soname:libc.so.6 sha256:f3 "
		      "sha256:f4");
}

static void test_cyclonedx_artifacts(void)
{
	struct bd_graph g, back;
	char *text, *again;
	cJSON *doc, *md;

	make_graph(&g, false);
	text = emit(&g, CDX);
	doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	md = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "metadata"),
				 "component");
	CU_ASSERT_STRING_EQUAL(str(md, "type"), "container");
	CU_ASSERT_STRING_EQUAL(str(md, "bom-ref"), "target");
	CU_ASSERT_STRING_EQUAL(str(md, "name"), "alpine:3.20");
	CU_ASSERT_STRING_EQUAL(str(md, "version"), MANIFEST);
	CU_ASSERT_STRING_EQUAL(str(md, "purl"), IMAGE_PURL);
	check_cdx_artifacts(doc);
	check_cdx_edges(doc);
	CU_ASSERT_EQUAL(validate("cyclonedx", text), 0);
	/* The same facts added in another order: the same bytes. */
	make_graph(&back, true);
	again = emit(&back, CDX);
	CU_ASSERT_STRING_EQUAL(text, again);
	free(again);
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&back);
	bd_graph_release(&g);
}

/* ---- SPDX ------------------------------------------------------------- */

static const char *spdx_id(cJSON *doc, const char *path)
{
	cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "packages"))
	{
		if (!strcmp(str(p, "packageFileName"), path))
			return str(p, "SPDXID");
	}
	CU_FAIL("no package of that path");
	return "";
}

static cJSON *spdx_pkg(cJSON *doc, const char *path)
{
	return find(cJSON_GetObjectItem(doc, "packages"), "SPDXID",
		    spdx_id(doc, path));
}

/* What a relates to by type, by packageFileName (else name, else
 * SPDXID: NONE, NOASSERTION). */
static char *related(cJSON *doc, const char *a, const char *type)
{
	struct bd_buf b = BD_BUF_INIT;
	cJSON *r, *p;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "relationships"))
	{
		if (strcmp(str(r, "spdxElementId"), a) ||
		    strcmp(str(r, "relationshipType"), type))
			continue;
		p = find(cJSON_GetObjectItem(doc, "packages"), "SPDXID",
			 str(r, "relatedSpdxElement"));
		if (b.len)
			bd_buf_addc(&b, ' ');
		if (!p)
			bd_buf_adds(&b, str(r, "relatedSpdxElement"));
		else if (*str(p, "packageFileName"))
			bd_buf_adds(&b, str(p, "packageFileName"));
		else
			bd_buf_adds(&b, str(p, "name"));
	}
	return bd_buf_detach(&b, NULL);
}

static void expect_related(cJSON *doc, const char *a, const char *type,
			   const char *want)
{
	char *got = related(doc, a, type);

	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "\n  %s %s\n  got:  %s\n  want: %s\n", a, type,
			got, want);
	free(got);
}

static void check_spdx_packages(cJSON *doc)
{
	cJSON *wheel = spdx_pkg(doc, WHEEL), *t, *ref;
	char *annotations;

	CU_ASSERT_STRING_EQUAL(str(wheel, "primaryPackagePurpose"), "LIBRARY");
	CU_ASSERT_STRING_EQUAL(
		str(spdx_pkg(doc, TARBALL), "primaryPackagePurpose"),
		"ARCHIVE");
	CU_ASSERT_STRING_EQUAL(str(spdx_pkg(doc, DEB), "primaryPackagePurpose"),
			       "INSTALL");
	CU_ASSERT_STRING_EQUAL(str(spdx_pkg(doc, DEB), "supplier"),
			       "Organization: Debian");
	ref = cJSON_GetArrayItem(cJSON_GetObjectItem(wheel, "externalRefs"), 0);
	CU_ASSERT_STRING_EQUAL(str(ref, "referenceType"), "purl");
	CU_ASSERT_STRING_EQUAL(str(ref, "referenceLocator"), "pkg:pypi/x@1.0");
	ref = cJSON_GetArrayItem(cJSON_GetObjectItem(wheel, "checksums"), 0);
	CU_ASSERT_STRING_EQUAL(str(ref, "algorithm"), "SHA256");
	CU_ASSERT_EQUAL(strspn(str(ref, "checksumValue"), "a"), 64);
	annotations =
		joined(cJSON_GetObjectItem(wheel, "annotations"), "comment");
	CU_ASSERT_STRING_EQUAL(annotations, "bindep:path=" WHEEL
					    " bindep:artifact-type=wheel");
	free(annotations);
	annotations = joined(cJSON_GetObjectItem(spdx_pkg(doc, "usr/bin/app"),
						 "annotations"),
			     "comment");
	CU_ASSERT_PTR_NOT_NULL(strstr(annotations,
				      "bindep:layer-digest=" LAYER
				      " bindep:layer-diff-id=" DIFF_ID));
	free(annotations);
	/* The image: a container with its purl. */
	t = find(cJSON_GetObjectItem(doc, "packages"), "SPDXID",
		 "SPDXRef-Target");
	CU_ASSERT_STRING_EQUAL(str(t, "primaryPackagePurpose"), "CONTAINER");
	CU_ASSERT_STRING_EQUAL(str(t, "versionInfo"), MANIFEST);
	ref = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "externalRefs"), 0);
	CU_ASSERT_STRING_EQUAL(str(ref, "referenceLocator"), IMAGE_PURL);
}

static void check_spdx_relationships(cJSON *doc)
{
	expect_related(doc, "SPDXRef-Target", "CONTAINS",
		       "usr/bin/app " WHEEL
		       "!/x.libs/libfoo-1a2b3c4d.so.1 " TARBALL " " WHEEL
		       " " DEB);
	expect_related(doc, spdx_id(doc, WHEEL), "CONTAINS",
		       WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so " WHEEL
			     "!/x.libs/libfoo-1a2b3c4d.so.1 " WHEEL
			     "!/x/libplug.so");
	expect_related(doc, spdx_id(doc, TARBALL), "CONTAINS", NESTED);
	expect_related(doc, spdx_id(doc, NESTED), "CONTAINS",
		       NESTED "!/y/bin/ytool");
	/* An artifact's own needs were not read: no claim either way. */
	expect_related(doc, spdx_id(doc, WHEEL), "DEPENDS_ON", "");
	expect_related(doc, spdx_id(doc, NESTED), "DEPENDS_ON", "");
	/* Files say what they say in a directory. */
	expect_related(doc, spdx_id(doc, WHEEL "!/x.libs/libfoo-1a2b3c4d.so.1"),
		       "DEPENDS_ON", "NONE");
	expect_related(
		doc,
		spdx_id(doc, WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so"),
		"DYNAMIC_LINK",
		"libc.so.6 " WHEEL "!/x.libs/libfoo-1a2b3c4d.so.1");
	expect_related(doc, spdx_id(doc, WHEEL "!/x/libplug.so"),
		       "OPTIONAL_DEPENDENCY_OF",
		       WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so");
}

static void test_spdx_artifacts(void)
{
	struct bd_graph g, back;
	char *text, *again;
	cJSON *doc;

	make_graph(&g, false);
	text = emit(&g, SPDX);
	doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	check_spdx_packages(doc);
	check_spdx_relationships(doc);
	CU_ASSERT_EQUAL(validate("spdx", text), 0);
	make_graph(&back, true);
	again = emit(&back, SPDX);
	CU_ASSERT_STRING_EQUAL(text, again);
	free(again);
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&back);
	bd_graph_release(&g);
}

/* ---- SPDX 3 ----------------------------------------------------------- */

/* The value of a package's CycloneDX property name (its extension), all
 * of them joined. */
static char *spdx3_props(cJSON *pkg, const char *name)
{
	struct bd_buf b = BD_BUF_INIT;
	cJSON *ext, *p;

	cJSON_ArrayForEach(ext, cJSON_GetObjectItem(pkg, "extension"))
	{
		cJSON_ArrayForEach(
			p, cJSON_GetObjectItem(ext, "extension_cdxProperty"))
		{
			if (strcmp(str(p, "extension_cdxPropName"), name))
				continue;
			if (b.len)
				bd_buf_addc(&b, ' ');
			bd_buf_adds(&b, str(p, "extension_cdxPropValue"));
		}
	}
	return bd_buf_detach(&b, NULL);
}

/* The package of that name. */
static cJSON *spdx3_named(cJSON *doc, const char *name)
{
	cJSON *n;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(doc, "@graph"))
	{
		if (!strcmp(str(n, "type"), "software_Package") &&
		    !strcmp(str(n, "name"), name))
			return n;
	}
	return NULL;
}

/* The element of that IRI. */
static cJSON *spdx3_node(cJSON *doc, const char *iri)
{
	return find(cJSON_GetObjectItem(doc, "@graph"), "spdxId", iri);
}

/* The IRI of the package whose first path is path. */
static const char *spdx3_id(cJSON *doc, const char *path)
{
	cJSON *n;
	char *first;
	bool found;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(doc, "@graph"))
	{
		if (strcmp(str(n, "type"), "software_Package"))
			continue;
		first = spdx3_props(n, "bindep:path");
		found = !strncmp(first, path, strlen(path)) &&
			(!first[strlen(path)] || first[strlen(path)] == ' ');
		free(first);
		if (found)
			return str(n, "spdxId");
	}
	CU_FAIL("no package of that path");
	return "";
}

/* What from relates to by type, each "to" by its first path, else its
 * name, else what follows the last '/' of its IRI (an individual); with
 * the relationship's scope and completeness when with_scope. */
static char *spdx3_related(cJSON *doc, const char *from, const char *type,
			   bool with_scope)
{
	struct bd_buf b = BD_BUF_INIT;
	cJSON *r, *to, *p;
	char *path;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "@graph"))
	{
		if (strcmp(str(r, "from"), from) ||
		    strcmp(str(r, "relationshipType"), type))
			continue;
		if (with_scope)
			bd_buf_printf(&b, "%s[%s,%s]", b.len ? " " : "",
				      str(r, "scope"), str(r, "completeness"));
		cJSON_ArrayForEach(to, cJSON_GetObjectItem(r, "to"))
		{
			if (b.len)
				bd_buf_addc(&b, ' ');
			p = spdx3_node(doc, to->valuestring);
			path = p ? spdx3_props(p, "bindep:path") : NULL;
			if (path && *path)
				bd_buf_add(&b, path, strcspn(path, " "));
			else if (p)
				bd_buf_adds(&b, str(p, "name"));
			else
				bd_buf_adds(&b,
					    strrchr(to->valuestring, '/') + 1);
			free(path);
		}
	}
	return bd_buf_detach(&b, NULL);
}

static void expect_related3(cJSON *doc, const char *from, const char *type,
			    bool with_scope, const char *want)
{
	char *got = spdx3_related(doc, from, type, with_scope);

	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "\n  %s %s\n  got:  %s\n  want: %s\n", from,
			type, got, want);
	free(got);
}

static void check_spdx3_packages(cJSON *doc)
{
	cJSON *wheel = spdx3_node(doc, spdx3_id(doc, WHEEL)), *t, *h, *org;
	char *props;

	CU_ASSERT_STRING_EQUAL(str(wheel, "software_primaryPurpose"),
			       "library");
	CU_ASSERT_STRING_EQUAL(str(spdx3_node(doc, spdx3_id(doc, TARBALL)),
				   "software_primaryPurpose"),
			       "archive");
	CU_ASSERT_STRING_EQUAL(str(spdx3_node(doc, spdx3_id(doc, DEB)),
				   "software_primaryPurpose"),
			       "install");
	CU_ASSERT_STRING_EQUAL(str(wheel, "software_packageUrl"),
			       "pkg:pypi/x@1.0");
	CU_ASSERT_STRING_EQUAL(str(wheel, "software_packageVersion"), "1.0");
	/* No supplier known: none said (SPDX 3 has no NOASSERTION). */
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(wheel, "suppliedBy"));
	org = spdx3_node(
		doc, str(spdx3_node(doc, spdx3_id(doc, DEB)), "suppliedBy"));
	CU_ASSERT_STRING_EQUAL(str(org, "type"), "Organization");
	CU_ASSERT_STRING_EQUAL(str(org, "name"), "Debian");
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(wheel, "verifiedUsing"), 0);
	CU_ASSERT_STRING_EQUAL(str(h, "type"), "Hash");
	CU_ASSERT_STRING_EQUAL(str(h, "algorithm"), "sha256");
	CU_ASSERT_EQUAL(strspn(str(h, "hashValue"), "a"), 64);
	props = spdx3_props(wheel, "bindep:artifact-type");
	CU_ASSERT_STRING_EQUAL(props, "wheel");
	free(props);
	props = spdx3_props(spdx3_node(doc, spdx3_id(doc, "usr/bin/app")),
			    "bindep:layer-digest");
	CU_ASSERT_STRING_EQUAL(props, LAYER);
	free(props);
	/* The image: a container with its purl and digest. */
	t = spdx3_named(doc, "alpine:3.20");
	CU_ASSERT_STRING_EQUAL(str(t, "type"), "software_Package");
	CU_ASSERT_STRING_EQUAL(str(t, "software_primaryPurpose"), "container");
	CU_ASSERT_STRING_EQUAL(str(t, "software_packageVersion"), MANIFEST);
	CU_ASSERT_STRING_EQUAL(str(t, "software_packageUrl"), IMAGE_PURL);
}

static void check_spdx3_relationships(cJSON *doc)
{
	const char *target = str(spdx3_named(doc, "alpine:3.20"), "spdxId");
	const char *ext =
		spdx3_id(doc, WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so");

	expect_related3(doc, target, "contains", true,
			"[,] usr/bin/app " WHEEL
			"!/x.libs/libfoo-1a2b3c4d.so.1 " TARBALL " " WHEEL
			" " DEB);
	expect_related3(doc, spdx3_id(doc, WHEEL), "contains", false,
			WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so " WHEEL
			      "!/x.libs/libfoo-1a2b3c4d.so.1 " WHEEL
			      "!/x/libplug.so");
	expect_related3(doc, spdx3_id(doc, TARBALL), "contains", false, NESTED);
	expect_related3(doc, spdx3_id(doc, NESTED), "contains", false,
			NESTED "!/y/bin/ytool");
	/* An artifact's own needs were not read: no claim either way. */
	expect_related3(doc, spdx3_id(doc, WHEEL), "dependsOn", false, "");
	/* Files say what they say in a directory: DT_NEEDED is all a
	 * file links, the dlopen note is not all it may load. */
	expect_related3(doc,
			spdx3_id(doc, WHEEL "!/x.libs/libfoo-1a2b3c4d.so.1"),
			"dependsOn", true, "[runtime,] NoneElement");
	expect_related3(doc, ext, "hasDynamicLink", true,
			"[runtime,complete] libc.so.6 " WHEEL
			"!/x.libs/libfoo-1a2b3c4d.so.1");
	expect_related3(doc, ext, "hasOptionalDependency", true,
			"[runtime,] " WHEEL "!/x/libplug.so");
	expect_related3(doc, ext, "dependsOn", false, "");
	/* The unresolved library: its needs are unknown. */
	expect_related3(doc, str(spdx3_named(doc, "libc.so.6"), "spdxId"),
			"dependsOn", true, "[runtime,] NoAssertionElement");
}

static void test_spdx3_artifacts(void)
{
	struct bd_graph g, back;
	char *text, *again;
	cJSON *doc;

	make_graph(&g, false);
	text = emit(&g, SPDX3);
	doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	check_spdx3_packages(doc);
	check_spdx3_relationships(doc);
	CU_ASSERT_EQUAL(validate("spdx3", text), 0);
	make_graph(&back, true);
	again = emit(&back, SPDX3);
	CU_ASSERT_STRING_EQUAL(text, again);
	free(again);
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&back);
	bd_graph_release(&g);
}

/* A plain target stays an application, without a purl. */
static void test_plain_target(void)
{
	struct bd_emit_options o = { .source_name = "dist",
				     .timestamp = 1700000000 };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	cJSON *doc, *md;

	make_graph(&g, false);
	CU_ASSERT_EQUAL(bd_emit_cyclonedx(&g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	md = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "metadata"),
				 "component");
	CU_ASSERT_STRING_EQUAL(str(md, "type"), "application");
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(md, "purl"));
	cJSON_Delete(doc);
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_emit_spdx(&g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	md = find(cJSON_GetObjectItem(doc, "packages"), "SPDXID",
		  "SPDXRef-Target");
	CU_ASSERT_STRING_EQUAL(str(md, "primaryPackagePurpose"), "APPLICATION");
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(md, "externalRefs"));
	cJSON_Delete(doc);
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_emit_spdx3(&g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	md = spdx3_named(doc, "dist");
	CU_ASSERT_STRING_EQUAL(str(md, "software_primaryPurpose"),
			       "application");
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(md, "software_packageUrl"));
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(md, "software_packageVersion"));
	cJSON_Delete(doc);
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* ---- text and funding ------------------------------------------------- */

static void test_text_artifacts(void)
{
	struct bd_graph g;
	char *text;

	make_graph(&g, false);
	text = emit(&g, TEXT);
	CU_ASSERT_STRING_EQUAL(
		text,
		WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so  unidentified\n"
		      "    in " WHEEL " (pkg:pypi/x@1.0)\n"
		      "    libc.so.6 => not found  [needed]\n"
		      "    libfoo-1a2b3c4d.so.1 => " WHEEL
		      "!/x.libs/libfoo-1a2b3c4d.so.1  [needed]  "
		      "pkg:generic/foo@1.2\n"
		      "    libplug.so => " WHEEL "!/x/libplug.so  [dlopen, "
		      "optional: suggested, feature plugins]  unidentified\n"
		      "\n"
		      "usr/bin/app  unidentified\n"
		      "    libzt.so.1 => " DEB
		      "!/usr/lib/x86_64-linux-gnu/libzt.so.1  [needed]  "
		      "pkg:deb/debian/z@1.0?arch=amd64\n"
		      "\n" WHEEL "!/x.libs/libfoo-1a2b3c4d.so.1 (also "
		      "vendor/libfoo-1a2b3c4d.so.1)  pkg:generic/foo@1.2\n"
		      "    in " WHEEL " (pkg:pypi/x@1.0)\n"
		      "    (needs nothing)\n"
		      "\n" WHEEL "!/x/libplug.so  unidentified\n"
		      "    in " WHEEL " (pkg:pypi/x@1.0)\n"
		      "    (needs nothing)\n"
		      "\n" DEB "!/usr/lib/x86_64-linux-gnu/libzt.so.1  "
		      "pkg:deb/debian/z@1.0?arch=amd64\n"
		      "    in " DEB " (pkg:deb/debian/z@1.0?arch=amd64)\n"
		      "    (needs nothing)\n"
		      "\n" NESTED "!/y/bin/ytool  unidentified\n"
		      "    in " NESTED " (pkg:pypi/y@3.0)\n"
		      "    libc.so.6 => not found  [needed]\n"
		      "\n"
		      "7 files scanned, 4 artifacts, 11 components, 1 not "
		      "found, 4 unidentified\n");
	if (getenv("BD_SHOW"))
		fprintf(stderr, "\n%s", text);
	free(text);
	bd_graph_release(&g);
}

/* Artifacts are no upstream projects, and holding a file is no use. */
static void test_funding_artifacts(void)
{
	struct bd_graph g;
	cJSON *doc, *projects, *foo, *z;
	char *text;

	make_graph(&g, false);
	text = emit(&g, FUNDING);
	doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	projects = cJSON_GetObjectItem(doc, "projects");
	expect_joined(projects, "purl", "pkg:deb/debian/z pkg:generic/foo");
	foo = find(projects, "purl", "pkg:generic/foo");
	z = find(projects, "purl", "pkg:deb/debian/z");
	/* One load edge into each; the CONTAINS edges are not counted. */
	CU_ASSERT_EQUAL(cJSON_GetObjectItem(foo, "edges")->valueint, 1);
	CU_ASSERT_EQUAL(cJSON_GetObjectItem(z, "edges")->valueint, 1);
	/* Used by the extension (direct) and by itself (bundled); the
	 * wheel that holds it uses nothing. */
	expect_joined(cJSON_GetObjectItem(foo, "used_by"), "artifact",
		      WHEEL "!/x/_x.cpython-311-x86_64-linux-gnu.so " WHEEL
			    "!/x.libs/libfoo-1a2b3c4d.so.1");
	expect_joined(cJSON_GetObjectItem(foo, "how"), NULL, "bundled direct");
	expect_joined(cJSON_GetObjectItem(z, "used_by"), "artifact",
		      "usr/bin/app " DEB
		      "!/usr/lib/x86_64-linux-gnu/libzt.so.1");
	CU_ASSERT_EQUAL(
		cJSON_GetObjectItem(doc, "unidentifiedComponents")->valueint,
		5);
	cJSON_Delete(doc);
	free(text);
	bd_graph_release(&g);
}

/* ---- the holders index ------------------------------------------------ */

static void test_holders(void)
{
	struct bd_emit_holders h;
	struct bd_graph g;
	unsigned char *flags;
	uint32_t f2, nested, app, libc;

	make_graph(&g, false);
	flags = calloc(g.ncomps, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(flags);
	bd_emit_edge_flags(&g, flags);
	CU_ASSERT_EQUAL_FATAL(bd_emit_holders_build(&h, &g), 0);
	f2 = id_of(&g, "sha256:f2");
	nested = id_of(&g, "artifact:" NESTED);
	app = id_of(&g, "sha256:f6");
	libc = id_of(&g, "soname:libc.so.6");
	CU_ASSERT_EQUAL(h.first[f2 + 1] - h.first[f2], 1);
	CU_ASSERT_EQUAL(h.from[h.first[f2]], id_of(&g, "artifact:" WHEEL));
	CU_ASSERT_EQUAL(h.from[h.first[nested]],
			id_of(&g, "artifact:" TARBALL));
	CU_ASSERT_EQUAL(h.first[app + 1], h.first[app]);
	CU_ASSERT_EQUAL(h.first[g.ncomps], 6);
	/* Containment sets no flag of a load edge, at either end. */
	CU_ASSERT_EQUAL(flags[nested], BD_EMIT_CONTAINED);
	CU_ASSERT_EQUAL(flags[id_of(&g, "artifact:" WHEEL)], 0);
	CU_ASSERT_EQUAL(flags[id_of(&g, "sha256:f3")],
			BD_EMIT_CONTAINED | BD_EMIT_DLOPENED);
	CU_ASSERT_EQUAL(flags[f2], BD_EMIT_CONTAINED | BD_EMIT_NEEDED);
	CU_ASSERT_TRUE(bd_emit_top_level(&g, flags, &h, f2));
	CU_ASSERT_FALSE(bd_emit_top_level(&g, flags, &h, nested));
	CU_ASSERT_TRUE(bd_emit_top_level(&g, flags, &h, app));
	CU_ASSERT_FALSE(bd_emit_top_level(&g, flags, &h, libc));
	CU_ASSERT_FALSE(bd_emit_scanned(&g, flags, nested));
	CU_ASSERT_TRUE(bd_emit_scanned(&g, flags, id_of(&g, "sha256:f4")));
	/* A path that only starts like the artifact's is not inside it. */
	bd_graph_comp(&g, f2)->paths.items[1] = WHEEL "x/lib.so";
	CU_ASSERT_TRUE(bd_emit_top_level(&g, flags, &h, f2));
	bd_graph_comp(&g, f2)->paths.items[1] = WHEEL "!/y/lib.so";
	CU_ASSERT_FALSE(bd_emit_top_level(&g, flags, &h, f2));
	bd_emit_holders_release(&h);
	bd_emit_holders_release(&h); /* twice: a released one is empty */
	free(flags);
	bd_graph_release(&g);
}

/* A component of kind at each of n paths head<i>tail; its id. */
static uint32_t add_many(struct bd_graph *g, const char *key,
			 enum bd_comp_kind kind, const char *head,
			 const char *tail, size_t n)
{
	char path[96];
	uint32_t id;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, key, kind, &id), 0);
	bd_graph_comp(g, id)->is_input = true;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%zu%s", head, i, tail);
		CU_ASSERT_EQUAL_FATAL(bd_graph_add_path(g, id, path), 0);
	}
	return id;
}

/* A component of kind at path, held by holder (UINT32_MAX: none). */
static uint32_t add_held(struct bd_graph *g, const char *key,
			 enum bd_comp_kind kind, const char *path,
			 uint32_t holder)
{
	uint32_t id;

	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, key, kind, &id), 0);
	bd_graph_comp(g, id)->is_input = true;
	CU_ASSERT_EQUAL_FATAL(bd_graph_add_path(g, id, path), 0);
	if (holder != UINT32_MAX)
		CU_ASSERT_EQUAL(bd_graph_add_edge(g, holder, id,
						  BD_EDGE_CONTAINS, NULL),
				0);
	return id;
}

/*
 * One library in 3,000 wheels, and 3,000 copies of one wheel holding
 * another: a path is inside a holder when what precedes one of its "!/"
 * is that holder's path (looked up, not scanned), and only its own
 * holders count, however many components name paths.
 */
static void test_holders_many(void)
{
	enum { N = 3000 };
	struct bd_emit_holders h;
	struct bd_graph g;
	unsigned char *flags;
	uint32_t lib, same, inner, w;
	char key[32], path[32];
	size_t i;

	bd_graph_init(&g);
	lib = add_many(&g, "sha256:lib", BD_COMP_LIBRARY, "dist/w",
		       ".whl!/w/lib.so", N);
	for (i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "artifact:w%zu", i);
		snprintf(path, sizeof(path), "dist/w%zu.whl", i);
		w = add_held(&g, key, BD_COMP_ARTIFACT, path, UINT32_MAX);
		CU_ASSERT_EQUAL(
			bd_graph_add_edge(&g, w, lib, BD_EDGE_CONTAINS, NULL),
			0);
	}
	same = add_many(&g, "artifact:same", BD_COMP_ARTIFACT, "dist/s",
			"/same.whl", N);
	inner = add_many(&g, "sha256:inner", BD_COMP_LIBRARY, "dist/s",
			 "/same.whl!/inner.so", N);
	CU_ASSERT_EQUAL(
		bd_graph_add_edge(&g, same, inner, BD_EDGE_CONTAINS, NULL), 0);
	/* Two "!/": the holder is the nested wheel, not the tarball. */
	w = add_held(&g, "artifact:nested", BD_COMP_ARTIFACT,
		     "dist/rel.tar!/x.whl", UINT32_MAX);
	add_held(&g, "sha256:deep", BD_COMP_LIBRARY,
		 "dist/rel.tar!/x.whl!/deep.so", w);
	/* One path named by two artifacts: the second's holding counts. */
	add_held(&g, "artifact:dup1", BD_COMP_ARTIFACT, "dist/dup.whl",
		 UINT32_MAX);
	w = add_held(&g, "artifact:dup2", BD_COMP_ARTIFACT, "dist/dup.whl",
		     UINT32_MAX);
	add_held(&g, "sha256:twice", BD_COMP_LIBRARY, "dist/dup.whl!/twice.so",
		 w);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
	lib = id_of(&g, "sha256:lib");
	inner = id_of(&g, "sha256:inner");
	flags = calloc(g.ncomps, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(flags);
	bd_emit_edge_flags(&g, flags);
	CU_ASSERT_EQUAL_FATAL(bd_emit_holders_build(&h, &g), 0);
	CU_ASSERT_EQUAL(h.first[lib + 1] - h.first[lib], N);
	CU_ASSERT_FALSE(bd_emit_top_level(&g, flags, &h, lib));
	CU_ASSERT_FALSE(bd_emit_top_level(&g, flags, &h, inner));
	CU_ASSERT_FALSE(
		bd_emit_top_level(&g, flags, &h, id_of(&g, "sha256:deep")));
	CU_ASSERT_FALSE(
		bd_emit_top_level(&g, flags, &h, id_of(&g, "sha256:twice")));
	CU_ASSERT_TRUE(
		bd_emit_top_level(&g, flags, &h, id_of(&g, "artifact:same")));
	CU_ASSERT_TRUE(
		bd_emit_top_level(&g, flags, &h, id_of(&g, "artifact:dup1")));
	/* A path inside an artifact that is not the file's holder, or
	 * inside none, makes it top-level: one path of thousands. */
	bd_graph_comp(&g, inner)->paths.items[N / 2] = "dist/w7.whl!/inner.so";
	CU_ASSERT_TRUE(bd_emit_top_level(&g, flags, &h, inner));
	CU_ASSERT_FALSE(bd_emit_top_level(&g, flags, &h, lib));
	bd_graph_comp(&g, lib)->paths.items[N - 1] = "dist/loose/lib.so";
	CU_ASSERT_TRUE(bd_emit_top_level(&g, flags, &h, lib));
	bd_graph_comp(&g, lib)->paths.items[N - 1] = "dist/w1.whl!/w/x.so";
	CU_ASSERT_FALSE(bd_emit_top_level(&g, flags, &h, lib));
	bd_emit_holders_release(&h);
	free(flags);
	bd_graph_release(&g);
}

void bd_test_register_emit_artifact(void)
{
	BD_SUITE("emit-artifact", BD_TEST(test_holders),
		 BD_TEST(test_holders_many), BD_TEST(test_cyclonedx_artifacts),
		 BD_TEST(test_spdx_artifacts), BD_TEST(test_spdx3_artifacts),
		 BD_TEST(test_plain_target), BD_TEST(test_text_artifacts),
		 BD_TEST(test_funding_artifacts));
}
