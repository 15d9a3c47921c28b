/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/emit.h"
#include "bindep/json.h"
#include "bindep/utf8.h"

#include <cjson/cJSON.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fido_alts[] = { "libfido2.so.1", "libfido2.so.0" };
static const char *z_sonames[] = { "libz.so.1" };
static struct bd_dlopen_entry fido_entry = { "fido2", "FIDO2 tokens",
					     "required", fido_alts, 2 };
static struct bd_dlopen_entry z_entry = { "zlib", NULL, "suggested", z_sonames,
					  1 };

/* app needs libz (scanned) and libc (unresolved), and dlopens libz and
 * libfido2 (missing) through notes. */
static void make_graph(struct bd_graph *g)
{
	struct bd_component *c;
	uint32_t app, libz, libc, f;

	bd_graph_init(g);
	bd_graph_add(g, "sha256:aa", BD_COMP_EXECUTABLE, &app);
	bd_graph_add(g, "sha256:bb", BD_COMP_LIBRARY, &libz);
	bd_graph_add(g, "soname:libc.so.6", BD_COMP_UNRESOLVED, &libc);
	bd_graph_add(g, "soname:libfido2.so.1", BD_COMP_UNRESOLVED, &f);
	c = bd_graph_comp(g, app);
	c->name = "app";
	c->has_elf_header = true;
	c->ei_class = ELFCLASS64;
	c->ei_data = ELFDATA2MSB;
	c->e_machine = EM_S390;
	c->imports_dlopen = true;
	strcpy(c->sha256, "aa");
	bd_graph_add_path(g, app, "dist/app");
	c = bd_graph_comp(g, libz);
	c->name = c->soname = "libz.so.1";
	c->purl = "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64";
	c->version = "1:1.2.13.dfsg-1";
	bd_graph_add_path(g, libz, "dist/libz.so.1");
	bd_graph_comp(g, libc)->name = bd_graph_comp(g, libc)->soname =
		"libc.so.6";
	bd_graph_comp(g, f)->name = bd_graph_comp(g, f)->soname =
		"libfido2.so.1";
	bd_graph_add_edge(g, app, libz, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, app, libc, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, app, libz, BD_EDGE_DLOPEN_NOTE, &z_entry);
	bd_graph_add_edge(g, app, f, BD_EDGE_DLOPEN_NOTE, &fido_entry);
	bd_graph_sort(g);
}

static cJSON *emit_version(const struct bd_graph *g, const char *serial,
			   enum bd_cdx_version version, char **text)
{
	struct bd_emit_options o = { .source_name = "demo",
				     .source_version = "1.0",
				     .timestamp = 1700000000,
				     .serial = serial,
				     .cdx_version = version };
	struct bd_buf b = BD_BUF_INIT;
	cJSON *doc;

	CU_ASSERT_EQUAL(bd_emit_cyclonedx(g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	*text = bd_buf_detach(&b, NULL);
	return doc;
}

static cJSON *emit(const struct bd_graph *g, const char *serial, char **text)
{
	return emit_version(g, serial, BD_CDX_1_6, text);
}

static cJSON *component(cJSON *doc, const char *name)
{
	cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "components"))
	{
		if (!strcmp(cJSON_GetObjectItem(c, "name")->valuestring, name))
			return c;
	}
	return NULL;
}

static const char *str(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(obj, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static void test_document(void)
{
	struct bd_graph g;
	cJSON *doc, *app, *deps, *d, *comp;
	char *text, *again, *props;

	make_graph(&g);
	doc = emit(&g, NULL, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_STRING_EQUAL(str(doc, "specVersion"), "1.6");
	CU_ASSERT_EQUAL(strncmp(str(doc, "serialNumber"), "urn:uuid:", 9), 0);
	CU_ASSERT_TRUE(bd_emit_valid_uuid(str(doc, "serialNumber"), true));
	CU_ASSERT_STRING_EQUAL(
		str(cJSON_GetObjectItem(doc, "metadata"), "timestamp"),
		"2023-11-14T22:13:20Z");
	app = component(doc, "app");
	CU_ASSERT_STRING_EQUAL(str(app, "type"), "application");
	props = cJSON_PrintUnformatted(cJSON_GetObjectItem(app, "properties"));
	CU_ASSERT_PTR_NOT_NULL(strstr(props, "\"big-endian\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(props, "\"s390\""));
	cJSON_free(props);
	/* libz is needed too, so it is not optional; libfido2 is. */
	CU_ASSERT_PTR_NULL(
		cJSON_GetObjectItem(component(doc, "libz.so.1"), "scope"));
	comp = component(doc, "libfido2.so.1");
	CU_ASSERT_STRING_EQUAL(str(comp, "scope"), "optional");
	CU_ASSERT_STRING_EQUAL(
		str(component(doc, "libz.so.1"), "purl"),
		"pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64");
	/* One dependsOn entry per target, even with two edges to it. */
	deps = cJSON_GetObjectItem(doc, "dependencies");
	cJSON_ArrayForEach(d, deps)
	{
		if (!strcmp(str(d, "ref"), "sha256:aa"))
			CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(
						d, "dependsOn")),
					3);
		CU_ASSERT_NOT_EQUAL(strncmp(str(d, "ref"), "soname:", 7), 0);
	}
	CU_ASSERT_EQUAL(cJSON_GetArraySize(deps), 3); /* target, app, libz */
	CU_ASSERT_STRING_EQUAL(
		str(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "compositions"),
				       0),
		    "aggregate"),
		"incomplete");
	/* Same graph, same bytes; a given serial is used as it is. */
	cJSON_Delete(emit(&g, NULL, &again));
	CU_ASSERT_STRING_EQUAL(text, again);
	free(again);
	free(text);
	cJSON_Delete(doc);
	doc = emit(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", &text);
	CU_ASSERT_STRING_EQUAL(str(doc, "serialNumber"),
			       "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&g);
}

/* CycloneDX 1.7: the same document but its specVersion (and so the serial
 * number derived from it). */
static void test_cyclonedx_1_7(void)
{
	const char *serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79";
	struct bd_graph g;
	char *v16, *v17, *at;
	cJSON *doc;

	make_graph(&g);
	cJSON_Delete(emit_version(&g, serial, BD_CDX_1_6, &v16));
	doc = emit_version(&g, serial, BD_CDX_1_7, &v17);
	CU_ASSERT_STRING_EQUAL(str(doc, "specVersion"), "1.7");
	at = strstr(v16, "\"1.6\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	memcpy(at, "\"1.7\"", 5);
	CU_ASSERT_STRING_EQUAL(v16, v17);
	cJSON_Delete(doc);
	free(v16);
	free(v17);
	doc = emit_version(&g, NULL, BD_CDX_1_7, &v17);
	cJSON_Delete(emit_version(&g, NULL, BD_CDX_1_6, &v16));
	CU_ASSERT_TRUE(bd_emit_valid_uuid(str(doc, "serialNumber"), true));
	CU_ASSERT_NOT_EQUAL(strcmp(v16, v17), 0);
	cJSON_Delete(doc);
	free(v16);
	free(v17);
	bd_graph_release(&g);
}

/* The "dependencies" entry of ref, or NULL when it has none. */
static cJSON *dependency(cJSON *doc, const char *ref)
{
	cJSON *d;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(doc, "dependencies"))
	{
		if (!strcmp(str(d, "ref"), ref))
			return d;
	}
	return NULL;
}

/* A scanned program that needs a library of the key, kind and name given,
 * which needs nothing the graph knows. */
static void graph_needing(struct bd_graph *g, const char *key,
			  enum bd_comp_kind kind, const char *name,
			  uint32_t *lib)
{
	uint32_t app;

	bd_graph_init(g);
	bd_graph_add(g, "sha256:aa", BD_COMP_EXECUTABLE, &app);
	bd_graph_add(g, key, kind, lib);
	bd_graph_comp(g, app)->name = "app";
	bd_graph_comp(g, app)->is_input = true;
	bd_graph_add_path(g, app, "app");
	bd_graph_comp(g, *lib)->name = name;
	bd_graph_add_edge(g, app, *lib, BD_EDGE_NEEDED, NULL);
	bd_graph_sort(g);
}

/* --attach: the library a wheel needs from the installing system
 * (bindep:external) was not read for the wheel's SBOM, nor what it needs:
 * no "dependencies" entry (its needs unknown, CycloneDX 1.6 dependency),
 * never an empty one (it needs nothing). */
static void test_cyclonedx_external_needs_unknown(void)
{
	struct bd_graph g;
	uint32_t libc;
	cJSON *doc;
	char *text;

	graph_needing(&g, "external:libc.so.6", BD_COMP_LIBRARY, "libc.so.6",
		      &libc);
	bd_graph_comp(&g, libc)->soname = "libc.so.6";
	bd_graph_comp(&g, libc)->external = true;
	doc = emit(&g, NULL, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NOT_NULL(dependency(doc, "sha256:aa"));
	CU_ASSERT_PTR_NULL(dependency(doc, "external:libc.so.6"));
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&g);
}

/* Whether the component has the property name = value. */
static bool has_property(cJSON *c, const char *name, const char *value)
{
	cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(c, "properties"))
	{
		if (!strcmp(str(p, "name"), name) &&
		    !strcmp(str(p, "value"), value))
			return true;
	}
	return false;
}

/* A package note's keys in property names: ':' and '%' encoded (the
 * CycloneDX property taxonomy: no ':' inside a name's segment), a long
 * key whole, never cut to another key's name. */
static void test_package_note_keys(void)
{
	char longkey[301], name[400];
	struct bd_kv kv[3] = { { "a:b", "1" },
			       { "x%y", "2" },
			       { longkey, "3" } };
	struct bd_graph g;
	uint32_t lib;
	cJSON *doc, *c;
	char *text;

	memset(longkey, 'k', 300);
	longkey[300] = '\0';
	graph_needing(&g, "sha256:bb", BD_COMP_LIBRARY, "libn.so.1", &lib);
	bd_graph_comp(&g, lib)->package_note = kv;
	bd_graph_comp(&g, lib)->npackage_note = 3;
	doc = emit(&g, NULL, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	c = component(doc, "libn.so.1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_TRUE(has_property(c, "bindep:package-note:a%3Ab", "1"));
	CU_ASSERT_TRUE(has_property(c, "bindep:package-note:x%25y", "2"));
	snprintf(name, sizeof(name), "bindep:package-note:%s", longkey);
	CU_ASSERT_TRUE(has_property(c, name, "3"));
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&g);
}

/* A wheel (dist/x-1.0-py3-none-any.whl) holding bar, a component only
 * its SBOM lists (pkg:pypi/bar@1.0); the graph is not sorted. */
static void declared_wheel(struct bd_graph *g, uint32_t *wheel, uint32_t *bar)
{
	bd_graph_init(g);
	bd_graph_add(g, "artifact:sha256:aa", BD_COMP_ARTIFACT, wheel);
	bd_graph_add(g, "declared:pkg:pypi/bar@1.0", BD_COMP_DECLARED, bar);
	bd_graph_comp(g, *wheel)->name = "x";
	bd_graph_comp(g, *wheel)->artifact_type = "wheel";
	bd_graph_comp(g, *wheel)->is_input = true;
	bd_graph_add_path(g, *wheel, "dist/x-1.0-py3-none-any.whl");
	bd_graph_comp(g, *bar)->name = "bar";
	bd_graph_comp(g, *bar)->purl = "pkg:pypi/bar@1.0";
	bd_graph_add_edge(g, *wheel, *bar, BD_EDGE_CONTAINS, NULL);
}

/* A component only an SBOM shipped in a wheel lists: that SBOM's
 * dependencies are not merged (README, "Their dependencies are not
 * merged"), so its needs are unknown: no entry, never an empty one. */
static void test_cyclonedx_declared_needs_unknown(void)
{
	struct bd_graph g;
	uint32_t wheel, bar;
	cJSON *doc, *held;
	char *text;

	declared_wheel(&g, &wheel, &bar);
	bd_graph_sort(&g);
	doc = emit(&g, NULL, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	held = cJSON_GetObjectItem(dependency(doc, "artifact:sha256:aa"),
				   "dependsOn");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(held), 1);
	CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(held, 0)->valuestring,
			       "declared:pkg:pypi/bar@1.0");
	CU_ASSERT_PTR_NULL(dependency(doc, "declared:pkg:pypi/bar@1.0"));
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&g);
}

/* A release artifact holding no ELF file (a pure-Python wheel): its own
 * needs (Requires-Dist) are not read, and it holds nothing for its entry
 * to list: no entry, never an empty one, which says it needs nothing.
 * One that holds files lists them. */
static void test_cyclonedx_empty_artifact_needs_unknown(void)
{
	struct bd_graph g;
	uint32_t wheel;
	cJSON *doc, *target;
	char *text;

	bd_graph_init(&g);
	bd_graph_add(&g, "artifact:sha256:aa", BD_COMP_ARTIFACT, &wheel);
	bd_graph_comp(&g, wheel)->name = "pure";
	bd_graph_comp(&g, wheel)->purl = "pkg:pypi/pure@2.0";
	bd_graph_comp(&g, wheel)->artifact_type = "wheel";
	bd_graph_comp(&g, wheel)->is_input = true;
	bd_graph_add_path(&g, wheel, "dist/pure-2.0-py3-none-any.whl");
	bd_graph_sort(&g);
	doc = emit(&g, NULL, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	target = cJSON_GetObjectItem(dependency(doc, "target"), "dependsOn");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(target), 1);
	CU_ASSERT_PTR_NULL(dependency(doc, "artifact:sha256:aa"));
	free(text);
	cJSON_Delete(doc);
	bd_graph_release(&g);
}

static cJSON *emit_spdx(const struct bd_graph *g, const char *serial)
{
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000,
				     .serial = serial };
	struct bd_buf b = BD_BUF_INIT;
	cJSON *doc;

	CU_ASSERT_EQUAL(bd_emit_spdx(g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	bd_buf_release(&b);
	return doc;
}

static cJSON *package(cJSON *doc, const char *name)
{
	cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "packages"))
	{
		if (!strcmp(str(p, "name"), name))
			return p;
	}
	return NULL;
}

/* Whether "a TYPE b" is among the relationships, with comment when given. */
static bool related(cJSON *doc, const char *a, const char *type, const char *b,
		    const char *comment)
{
	cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "relationships"))
	{
		if (!strcmp(str(r, "spdxElementId"), a) &&
		    !strcmp(str(r, "relationshipType"), type) &&
		    !strcmp(str(r, "relatedSpdxElement"), b) &&
		    (!comment || !strcmp(str(r, "comment"), comment)))
			return true;
	}
	return false;
}

static void test_spdx_document(void)
{
	struct bd_graph g;
	cJSON *doc, *app, *libz, *libc, *fido2, *ref;
	const char *app_id, *z_id;

	make_graph(&g);
	doc = emit_spdx(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_STRING_EQUAL(str(doc, "spdxVersion"), "SPDX-2.3");
	CU_ASSERT_STRING_EQUAL(str(doc, "documentNamespace"),
			       "https://spdx.org/spdxdocs/bindep-sbom/"
			       "my-app-3e671687-395b-41f5-a30f-a58921a69b79");
	CU_ASSERT_STRING_EQUAL(
		str(cJSON_GetObjectItem(doc, "creationInfo"), "created"),
		"2023-11-14T22:13:20Z");
	app = package(doc, "app");
	libz = package(doc, "libz.so.1");
	libc = package(doc, "libc.so.6");
	fido2 = package(doc, "libfido2.so.1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(app && libz && libc && fido2);
	app_id = str(app, "SPDXID");
	z_id = str(libz, "SPDXID");
	CU_ASSERT_EQUAL(strncmp(z_id, "SPDXRef-Package-libz.so.1-", 26), 0);
	CU_ASSERT_EQUAL(strlen(z_id), 26 + 16);
	CU_ASSERT_STRING_EQUAL(str(libz, "supplier"), "Organization: Debian");
	CU_ASSERT_STRING_EQUAL(str(libz, "versionInfo"), "1:1.2.13.dfsg-1");
	ref = cJSON_GetArrayItem(cJSON_GetObjectItem(libz, "externalRefs"), 0);
	CU_ASSERT_STRING_EQUAL(str(ref, "referenceCategory"),
			       "PACKAGE-MANAGER");
	CU_ASSERT_STRING_EQUAL(
		str(ref, "referenceLocator"),
		"pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64");
	/* NTIA: a value or NOASSERTION, never absent (issue 15). */
	CU_ASSERT_STRING_EQUAL(str(app, "supplier"), "NOASSERTION");
	CU_ASSERT_STRING_EQUAL(str(app, "downloadLocation"), "NOASSERTION");
	CU_ASSERT_STRING_EQUAL(str(app, "primaryPackagePurpose"),
			       "APPLICATION");
	CU_ASSERT_TRUE(related(doc, "SPDXRef-DOCUMENT", "DESCRIBES",
			       "SPDXRef-Target", NULL));
	CU_ASSERT_TRUE(related(doc, app_id, "DYNAMIC_LINK", z_id, NULL));
	CU_ASSERT_TRUE(related(doc, app_id, "DYNAMIC_LINK", str(libc, "SPDXID"),
			       NULL));
	/* dlopen: the library is an optional dependency of the file. */
	CU_ASSERT_TRUE(related(
		doc, str(fido2, "SPDXID"), "OPTIONAL_DEPENDENCY_OF", app_id,
		".note.dlopen: priority required, feature fido2"));
	CU_ASSERT_TRUE(
		related(doc, z_id, "OPTIONAL_DEPENDENCY_OF", app_id, NULL));
	/* Unresolved: unknown needs; libz: none. */
	CU_ASSERT_TRUE(related(doc, str(libc, "SPDXID"), "DEPENDS_ON",
			       "NOASSERTION", NULL));
	CU_ASSERT_TRUE(related(doc, z_id, "DEPENDS_ON", "NONE", NULL));
	CU_ASSERT_FALSE(related(doc, app_id, "DEPENDS_ON", "NONE", NULL));
	cJSON_Delete(doc);
	bd_graph_release(&g);
}

/* A licence off the SPDX License List (the registry's LicenseRef-) is
 * defined in the document, once however many packages name it. */
static void test_spdx_license_refs(void)
{
	struct bd_graph g;
	cJSON *doc, *infos, *info;

	make_graph(&g);
	bd_graph_comp(&g, 0)->license = "(LicenseRef-Bar AND Zlib) OR "
					"LicenseRef-Foo";
	bd_graph_comp(&g, 1)->license = "LicenseRef-Foo OR MIT";
	doc = emit_spdx(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	infos = cJSON_GetObjectItem(doc, "hasExtractedLicensingInfos");
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(infos), 2);
	info = cJSON_GetArrayItem(infos, 0);
	CU_ASSERT_STRING_EQUAL(str(info, "licenseId"), "LicenseRef-Bar");
	CU_ASSERT_STRING_EQUAL(str(info, "name"), "NOASSERTION");
	CU_ASSERT_NOT_EQUAL(strlen(str(info, "extractedText")), 0);
	info = cJSON_GetArrayItem(infos, 1);
	CU_ASSERT_STRING_EQUAL(str(info, "licenseId"), "LicenseRef-Foo");
	cJSON_Delete(doc);
	/* None named: none defined. */
	bd_graph_comp(&g, 0)->license = "MIT";
	bd_graph_comp(&g, 1)->license = NULL;
	doc = emit_spdx(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
	CU_ASSERT_PTR_NULL(
		cJSON_GetObjectItem(doc, "hasExtractedLicensingInfos"));
	cJSON_Delete(doc);
	bd_graph_release(&g);
}

static void collect_property(void *ctx, const char *name, const char *value)
{
	bd_buf_printf(ctx, "%s=%s\n", name, value);
}

/* The one licence expression of the CycloneDX evidence of libz, the
 * component id of g, and its properties in props ("name=value\n"). */
static char *evidence_and_properties(const struct bd_graph *g, uint32_t id,
				     struct bd_buf *props)
{
	unsigned char flags[4] = { 0 };
	cJSON *doc, *lic;
	char *text, *expression = NULL;

	bd_buf_reset(props);
	bd_emit_properties(g, flags, id, collect_property, props);
	doc = emit(g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", &text);
	lic = cJSON_GetObjectItem(
		cJSON_GetObjectItem(component(doc, "libz.so.1"), "evidence"),
		"licenses");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(lic), 1);
	if (cJSON_GetArraySize(lic) == 1)
		expression =
			strdup(str(cJSON_GetArrayItem(lic, 0), "expression"));
	cJSON_Delete(doc);
	free(text);
	return expression;
}

/* bindep: properties of component `key` of g ("name=value\n"). */
static void properties_of(const struct bd_graph *g, const char *key,
			  struct bd_buf *props)
{
	unsigned char flags[4] = { 0 };
	uint32_t id;

	bd_buf_reset(props);
	CU_ASSERT_FATAL(bd_graph_find(g, key, &id));
	bd_emit_properties(g, flags, id, collect_property, props);
}

/*
 * A name missing says why (bindep:unresolved:reason), and the class,
 * machine and byte order of what would meet it, its requesters' (no
 * header of its own: nothing else of one, the interpreter, the build
 * ID). One of a machine the root holds nothing for is
 * no-libraries-for-machine, any other not-found.
 */
static void test_unresolved_properties(void)
{
	struct bd_buf props = BD_BUF_INIT;
	struct bd_component *c;
	struct bd_graph g;
	uint32_t id;

	make_graph(&g);
	CU_ASSERT_FATAL(bd_graph_find(&g, "soname:libc.so.6", &id));
	c = bd_graph_comp(&g, id);
	c->wants_elf_kind = true;
	c->machine_absent = true;
	c->ei_class = ELFCLASS32;
	c->ei_data = ELFDATA2LSB;
	c->e_machine = EM_X86_64;
	c->interp = "/never/said";
	properties_of(&g, "soname:libc.so.6", &props);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&props),
			       "bindep:soname=libc.so.6\n"
			       "bindep:resolved=false\n"
			       "bindep:unresolved:reason=no-libraries-for-"
			       "machine\n"
			       "bindep:elf:class=ELF32\n"
			       "bindep:elf:machine=x86_64\n"
			       "bindep:elf:byte-order=little-endian\n");
	c->machine_absent = false;
	c->e_machine = 0xbeef;
	properties_of(&g, "soname:libc.so.6", &props);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&props),
				      "bindep:unresolved:reason=not-found\n"
				      "bindep:elf:class=ELF32\n"
				      "bindep:elf:machine=EM_48879\n"));
	/* The program's header, as before. */
	properties_of(&g, "sha256:aa", &props);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&props),
				      "bindep:elf:class=ELF64\n"
				      "bindep:elf:machine=s390\n"
				      "bindep:elf:byte-order=big-endian\n"));
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&props), "unresolved"));
	bd_buf_release(&props);
	bd_graph_release(&g);
}

/*
 * A library whose licence strings disagree (ident.c): its licence is their
 * AND, each is said as bindep:conflict:license after the strings that
 * said them (the properties every format writes); CycloneDX's evidence
 * holds the AND, as its licenseChoice holds one expression.
 */
static void test_license_conflicts(void)
{
	static const char *each[] = { "LGPL-2.1-or-later", "GPL-2.0-or-later" };
	struct bd_buf props = BD_BUF_INIT;
	struct bd_component *c;
	struct bd_graph g;
	uint32_t id;
	char *expression;

	make_graph(&g);
	CU_ASSERT_FATAL(bd_graph_find(&g, "sha256:bb", &id));
	c = bd_graph_comp(&g, id);
	c->license = "LGPL-2.1-or-later AND GPL-2.0-or-later";
	c->license_source = "a; b";
	c->license_stated = true;
	c->license_conflicts = each;
	c->nlicense_conflicts = 2;
	expression = evidence_and_properties(&g, id, &props);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(bd_buf_str(&props),
		       "bindep:license-source=a; b\n"
		       "bindep:conflict:license=LGPL-2.1-or-later\n"
		       "bindep:conflict:license=GPL-2.0-or-later\n"));
	CU_ASSERT_STRING_EQUAL(expression,
			       "LGPL-2.1-or-later AND GPL-2.0-or-later");
	free(expression);
	/* One string, no conflict: its licence alone, no property. */
	c->license = "GPL-2.0-or-later";
	c->nlicense_conflicts = 0;
	c->license_conflicts = NULL;
	expression = evidence_and_properties(&g, id, &props);
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&props), "bindep:conflict"));
	CU_ASSERT_STRING_EQUAL(expression, "GPL-2.0-or-later");
	free(expression);
	bd_buf_release(&props);
	bd_graph_release(&g);
}

/* ---- SPDX 3 ----------------------------------------------------------- */

#define NS3   "https://spdx.org/spdxdocs/bindep-sbom/my-app-"
#define CORE3 "https://spdx.org/rdf/3.0.1/terms/Core/"

static char *emit_spdx3(const struct bd_graph *g,
			const struct bd_emit_options *o)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_emit_spdx3(g, o, &b, NULL), 0);
	return bd_buf_detach(&b, NULL);
}

/* The SPDX 3 document of g with the tests' usual options, parsed (its text
 * in *text, for the caller to free). */
static cJSON *spdx3_doc(const struct bd_graph *g, char **text)
{
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000,
				     .serial = "urn:uuid:3e671687-395b-41f5-"
					       "a30f-a58921a69b79" };

	*text = emit_spdx3(g, &o);
	return cJSON_Parse(*text);
}

static cJSON *node3(cJSON *doc, const char *key, const char *value)
{
	cJSON *n;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(doc, "@graph"))
	{
		if (!strcmp(str(n, key), value))
			return n;
	}
	return NULL;
}

/* The package of that name (the document has the target's too). */
static cJSON *package3(cJSON *doc, const char *name)
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

/* The relationship from a of type, its "to" list joined by spaces, with
 * its scope and completeness, else "". */
static char *related3(cJSON *doc, const char *from, const char *type)
{
	struct bd_buf b = BD_BUF_INIT;
	cJSON *r, *to;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "@graph"))
	{
		if (strcmp(str(r, "from"), from) ||
		    strcmp(str(r, "relationshipType"), type))
			continue;
		bd_buf_printf(&b, "%s%s %s %s:", b.len ? "; " : "",
			      str(r, "type"), str(r, "scope"),
			      str(r, "completeness"));
		cJSON_ArrayForEach(to, cJSON_GetObjectItem(r, "to"))
			bd_buf_printf(&b, " %s", to->valuestring);
	}
	return bd_buf_detach(&b, NULL);
}

static void expect3(cJSON *doc, const char *from, const char *type,
		    const char *want)
{
	char *got = related3(doc, from, type);

	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", got, want);
	free(got);
}

/* The SPDX 3 package named name dependsOn NoAssertionElement: its needs
 * are unknown. */
static void expect3_needs_unknown(cJSON *doc, const char *name)
{
	char id[512];

	snprintf(id, sizeof(id), "%s", str(package3(doc, name), "spdxId"));
	expect3(doc, id, "dependsOn",
		"LifecycleScopedRelationship runtime : " CORE3
		"NoAssertionElement");
}

static void test_spdx3_document(void)
{
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000,
				     .serial = "urn:uuid:3e671687-395b-41f5-"
					       "a30f-a58921a69b79" };
	struct bd_graph g;
	cJSON *doc, *app, *libz, *ci, *sbom, *d;
	char *text, want[2048], app_id[512], z_id[512], libc_id[512], f_id[512];

	make_graph(&g);
	text = emit_spdx3(&g, &o);
	doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_STRING_EQUAL(
		str(doc, "@context"),
		"https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
	ci = node3(doc, "type", "CreationInfo");
	CU_ASSERT_STRING_EQUAL(str(ci, "@id"), "_:creationinfo");
	CU_ASSERT_STRING_EQUAL(str(ci, "specVersion"), "3.0.1");
	CU_ASSERT_STRING_EQUAL(str(ci, "created"), "2023-11-14T22:13:20Z");
	/* Nobody named: the program made it, using itself. */
	CU_ASSERT_STRING_EQUAL(
		cJSON_GetArrayItem(cJSON_GetObjectItem(ci, "createdBy"), 0)
			->valuestring,
		NS3 "3e671687-395b-41f5-a30f-a58921a69b79"
		    "#SPDXRef-SoftwareAgent-bindep-sbom");
	d = node3(doc, "type", "SpdxDocument");
	CU_ASSERT_STRING_EQUAL(str(d, "spdxId"),
			       NS3 "3e671687-395b-41f5-a30f-a58921a69b79"
				   "#SPDXRef-DOCUMENT");
	CU_ASSERT_STRING_EQUAL(str(node3(doc, "spdxId", str(d, "dataLicense")),
				   "simplelicensing_licenseExpression"),
			       "CC0-1.0");
	sbom = node3(doc, "type", "software_Sbom");
	CU_ASSERT_STRING_EQUAL(
		cJSON_GetArrayItem(cJSON_GetObjectItem(d, "rootElement"), 0)
			->valuestring,
		str(sbom, "spdxId"));
	CU_ASSERT_STRING_EQUAL(
		str(node3(doc, "spdxId",
			  cJSON_GetArrayItem(
				  cJSON_GetObjectItem(sbom, "rootElement"), 0)
				  ->valuestring),
		    "name"),
		"my app");
	/* The packages are SPDX 2.3's, their identifiers too. */
	app = package3(doc, "app");
	libz = package3(doc, "libz.so.1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(app && libz);
	snprintf(z_id, sizeof(z_id), "%s", str(libz, "spdxId"));
	snprintf(app_id, sizeof(app_id), "%s", str(app, "spdxId"));
	snprintf(libc_id, sizeof(libc_id), "%s",
		 str(package3(doc, "libc.so.6"), "spdxId"));
	snprintf(f_id, sizeof(f_id), "%s",
		 str(package3(doc, "libfido2.so.1"), "spdxId"));
	CU_ASSERT_EQUAL(strncmp(z_id,
				NS3 "3e671687-395b-41f5-a30f-a58921a69b79"
				    "#SPDXRef-Package-libz.so.1-",
				strlen(NS3) + 36 + 27),
			0);
	CU_ASSERT_STRING_EQUAL(str(libz, "software_packageVersion"),
			       "1:1.2.13.dfsg-1");
	CU_ASSERT_STRING_EQUAL(
		str(node3(doc, "spdxId", str(libz, "suppliedBy")), "name"),
		"Debian");
	/* Unknown: left out, SPDX 3 has no NOASSERTION string. */
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(app, "suppliedBy"));
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(app, "software_packageVersion"));
	CU_ASSERT_STRING_EQUAL(str(app, "software_primaryPurpose"),
			       "application");
	snprintf(want, sizeof(want),
		 "LifecycleScopedRelationship runtime complete: %s %s", libc_id,
		 z_id);
	expect3(doc, app_id, "hasDynamicLink", want);
	/* dlopen: one relationship per note entry, which it names; in
	 * graph order, as the rest. */
	snprintf(want, sizeof(want),
		 "LifecycleScopedRelationship runtime : %s; "
		 "LifecycleScopedRelationship runtime : %s",
		 f_id, z_id);
	expect3(doc, app_id, "hasOptionalDependency", want);
	CU_ASSERT_PTR_NOT_NULL(
		node3(doc, "comment",
		      ".note.dlopen: priority required, feature fido2"));
	/* Unresolved: unknown needs; libz: none; app: what it has. */
	expect3(doc, libc_id, "dependsOn",
		"LifecycleScopedRelationship runtime : " CORE3
		"NoAssertionElement");
	expect3(doc, z_id, "dependsOn",
		"LifecycleScopedRelationship runtime : " CORE3 "NoneElement");
	expect3(doc, app_id, "dependsOn", "");
	cJSON_Delete(doc);
	free(text);
	bd_graph_release(&g);
}

/* app has zlib compiled in (a BD_COMP_STATIC and a BD_EDGE_STATIC to
 * it), and needs nothing else. */
static void make_static_graph(struct bd_graph *g)
{
	struct bd_component *c;
	uint32_t app, zlib;

	bd_graph_init(g);
	bd_graph_add(g, "sha256:aa", BD_COMP_EXECUTABLE, &app);
	bd_graph_add(g, "static:zlib@1.3.1", BD_COMP_STATIC, &zlib);
	c = bd_graph_comp(g, app);
	c->name = "app";
	strcpy(c->sha256, "aa");
	bd_graph_add_path(g, app, "dist/app");
	c = bd_graph_comp(g, zlib);
	c->name = "zlib";
	c->version = "1.3.1";
	c->purl = "pkg:github/madler/zlib@1.3.1";
	bd_graph_add_edge(g, app, zlib, BD_EDGE_STATIC, NULL);
	bd_graph_sort(g);
}

/* What a library compiled into a file was built with is not read: its
 * needs are unknown (SPDX 2.3 DEPENDS_ON NOASSERTION, CycloneDX no
 * entry), not none. */
static void test_spdx3_static_needs_unknown(void)
{
	struct bd_graph g;
	cJSON *doc;
	char *text;

	make_static_graph(&g);
	doc = spdx3_doc(&g, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	expect3_needs_unknown(doc, "zlib");
	cJSON_Delete(doc);
	free(text);
	bd_graph_release(&g);
}

/* A component only an SBOM shipped in an artifact lists: its needs were
 * not read (that SBOM's dependencies are not merged), so SPDX 2.3 says
 * DEPENDS_ON NOASSERTION and SPDX 3 NoAssertionElement, as CycloneDX
 * gives it no entry; never NONE, that it needs nothing. So is a file that
 * could not be read. */
static void test_spdx_declared_needs_unknown(void)
{
	const char *serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79";
	struct bd_graph g;
	uint32_t wheel, bar, bad;
	cJSON *doc;
	char *text;

	declared_wheel(&g, &wheel, &bar);
	bd_graph_add(&g, "file:bad", BD_COMP_LIBRARY, &bad);
	bd_graph_comp(&g, bad)->name = "libbad.so";
	bd_graph_comp(&g, bad)->error = "cannot read";
	bd_graph_comp(&g, bad)->is_input = true;
	bd_graph_add_path(&g, bad, "lib/libbad.so");
	bd_graph_sort(&g);
	doc = emit_spdx(&g, serial);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(related(doc, str(package(doc, "bar"), "SPDXID"),
			       "DEPENDS_ON", "NOASSERTION", NULL));
	CU_ASSERT_FALSE(related(doc, str(package(doc, "bar"), "SPDXID"),
				"DEPENDS_ON", "NONE", NULL));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "libbad.so"), "SPDXID"),
			       "DEPENDS_ON", "NOASSERTION", NULL));
	cJSON_Delete(doc);
	doc = spdx3_doc(&g, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	expect3_needs_unknown(doc, "bar");
	cJSON_Delete(doc);
	free(text);
	/* CycloneDX: no entry for either. */
	doc = emit(&g, NULL, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NULL(dependency(doc, "declared:pkg:pypi/bar@1.0"));
	CU_ASSERT_PTR_NULL(dependency(doc, "file:bad"));
	cJSON_Delete(doc);
	free(text);
	bd_graph_release(&g);
}

/* A library compiled into a file: SPDX 2.3's STATIC_LINK, SPDX 3's
 * hasStaticLink, not a dependsOn. */
static void test_spdx3_static_link(void)
{
	struct bd_graph g;
	cJSON *doc;
	char *text, want[1024], app_id[512];

	make_static_graph(&g);
	doc = spdx3_doc(&g, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	snprintf(app_id, sizeof(app_id), "%s",
		 str(package3(doc, "app"), "spdxId"));
	snprintf(want, sizeof(want), "Relationship  : %s",
		 str(package3(doc, "zlib"), "spdxId"));
	expect3(doc, app_id, "hasStaticLink", want);
	expect3(doc, app_id, "dependsOn", "");
	cJSON_Delete(doc);
	free(text);
	bd_graph_release(&g);
}

/* --author and --supplier: Person and Organization agents that made it;
 * the supplier supplies the target too, one element however named. */
static void test_spdx3_agents(void)
{
	const char *authors[] = { "Jane Doe <jane@example.org>", "Build Bot" };
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000,
				     .authors = authors,
				     .nauthors = 2,
				     .supplier = "Debian" };
	struct bd_graph g;
	cJSON *doc, *by, *jane, *bot, *org, *target, *id;
	char *text;

	make_graph(&g);
	text = emit_spdx3(&g, &o);
	doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	by = cJSON_GetObjectItem(node3(doc, "type", "CreationInfo"),
				 "createdBy");
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(by), 3);
	jane = node3(doc, "spdxId", cJSON_GetArrayItem(by, 0)->valuestring);
	bot = node3(doc, "spdxId", cJSON_GetArrayItem(by, 1)->valuestring);
	org = node3(doc, "spdxId", cJSON_GetArrayItem(by, 2)->valuestring);
	CU_ASSERT_STRING_EQUAL(str(jane, "type"), "Person");
	CU_ASSERT_STRING_EQUAL(str(jane, "name"), "Jane Doe");
	id = cJSON_GetArrayItem(cJSON_GetObjectItem(jane, "externalIdentifier"),
				0);
	CU_ASSERT_STRING_EQUAL(str(id, "externalIdentifierType"), "email");
	CU_ASSERT_STRING_EQUAL(str(id, "identifier"), "jane@example.org");
	CU_ASSERT_STRING_EQUAL(str(bot, "name"), "Build Bot");
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(bot, "externalIdentifier"));
	CU_ASSERT_STRING_EQUAL(str(org, "type"), "Organization");
	CU_ASSERT_STRING_EQUAL(str(org, "name"), "Debian");
	/* No program agent when people are named; the Tool still. */
	CU_ASSERT_PTR_NULL(node3(doc, "type", "SoftwareAgent"));
	CU_ASSERT_STRING_EQUAL(str(node3(doc, "type", "Tool"), "name"),
			       BD_PROGRAM "-" BD_VERSION);
	target = package3(doc, "my app");
	CU_ASSERT_STRING_EQUAL(str(target, "suppliedBy"), str(org, "spdxId"));
	CU_ASSERT_STRING_EQUAL(str(package3(doc, "libz.so.1"), "suppliedBy"),
			       str(org, "spdxId"));
	cJSON_Delete(doc);
	free(text);
	bd_graph_release(&g);
}

/* Without --serial the namespace's UUID is derived from the content: the
 * same graph, the same bytes; another graph, another UUID in every IRI. */
static void test_spdx3_uuid(void)
{
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000 };
	struct bd_graph g;
	char *a, *b, *c, uuid[37];
	const char *at;

	make_graph(&g);
	a = emit_spdx3(&g, &o);
	b = emit_spdx3(&g, &o);
	CU_ASSERT_STRING_EQUAL(a, b);
	at = strstr(a, NS3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	snprintf(uuid, sizeof(uuid), "%s", at + strlen(NS3));
	CU_ASSERT_TRUE(bd_emit_valid_uuid(uuid, false));
	CU_ASSERT_EQUAL(uuid[14], '5');
	o.timestamp++;
	c = emit_spdx3(&g, &o);
	CU_ASSERT_PTR_NULL(strstr(c, uuid));
	free(a);
	free(b);
	free(c);
	bd_graph_release(&g);
}

static char *emit_text(const struct bd_graph *g, bool color)
{
	struct bd_emit_options o = { .source_name = "x", .color = color };
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_emit_text(g, &o, &b, NULL), 0);
	return bd_buf_detach(&b, NULL);
}

/* Paths the walk could not see into (bd_emit_options.unread): the target
 * is incomplete in every format, each path kept named (one not UTF-8 is
 * replaced, in valid JSON), and those not kept counted. Without any, none
 * of it is written. */
static void test_unread_paths(void)
{
	static const char *const unread[] = { "dist/private", "dist/\xff" };
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000,
				     .serial = "urn:uuid:3e671687-395b-41f5-"
					       "a30f-a58921a69b79",
				     .unread = unread,
				     .nunread = 2,
				     .unread_total = 5 };
	struct bd_emit_options none = o;
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	cJSON *doc;
	char *props, *text;

	make_graph(&g);
	CU_ASSERT_EQUAL(bd_emit_cyclonedx(&g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	props = cJSON_PrintUnformatted(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "metadata"),
				    "component"),
		"properties"));
	CU_ASSERT_STRING_EQUAL(
		props, "[{\"name\":\"bindep:unread-path\",\"value\":"
		       "\"dist/private\"},{\"name\":\"bindep:unread-path\","
		       "\"value\":\"dist/\xef\xbf\xbd\"},{\"name\":"
		       "\"bindep:unread-omitted\",\"value\":\"3\"}]");
	cJSON_free(props);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b),
				      "\"bom-ref\":\t\"unread-paths\",\n"
				      "\t\t\t\"aggregate\":\t\"incomplete\",\n"
				      "\t\t\t\"assemblies\":\t[\"target\"],\n"
				      "\t\t\t\"dependencies\":\t[\"target\"]"));
	cJSON_Delete(doc);
	bd_buf_reset(&b);

	CU_ASSERT_EQUAL(bd_emit_spdx(&g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(related(doc, "SPDXRef-Target", "CONTAINS", "NOASSERTION",
			       "what the paths not read hold is not known"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		bd_buf_str(&b), "\"comment\":\t\"bindep:unread-omitted=3\""));
	cJSON_Delete(doc);
	bd_buf_reset(&b);

	text = emit_spdx3(&g, &o);
	doc = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "\"completeness\":\t\"incomplete\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"extension_cdxPropValue\":\t"
					    "\"dist/private\""));
	cJSON_Delete(doc);
	free(text);

	CU_ASSERT_EQUAL(bd_emit_text(&g, &o, &b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b),
				      "not read: dist/private\n"
				      "not read: dist/\\xff\n"
				      "not read: 3 more paths\n"));
	bd_buf_reset(&b);

	/* Nothing unread: none of it. */
	none.unread = NULL;
	none.nunread = none.unread_total = 0;
	CU_ASSERT_EQUAL(bd_emit_cyclonedx(&g, &none, &b, NULL), 0);
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&b), "unread"));
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_emit_spdx(&g, &none, &b, NULL), 0);
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&b), "unread"));
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&b), "paths not read"));
	bd_buf_reset(&b);
	text = emit_spdx3(&g, &none);
	CU_ASSERT_PTR_NULL(strstr(text, "unread"));
	CU_ASSERT_PTR_NULL(strstr(text, "\"incomplete\""));
	free(text);
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* The --exclude patterns (bd_emit_options.excludes): the target's scope,
 * named in every format, first among its properties, in the order given;
 * a scope chosen, not an inventory incomplete (no composition, no
 * NOASSERTION, no "incomplete"). */
static void test_excludes(void)
{
	static const char *const pats[] = { "**/tests/**", "/usr/share/doc/" };
	static const char *const unread[] = { "dist/private" };
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000,
				     .serial = "urn:uuid:3e671687-395b-41f5-"
					       "a30f-a58921a69b79",
				     .excludes = pats,
				     .nexcludes = 2 };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	cJSON *doc;
	char *props, *text;

	make_graph(&g);
	CU_ASSERT_EQUAL(bd_emit_cyclonedx(&g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	props = cJSON_PrintUnformatted(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "metadata"),
				    "component"),
		"properties"));
	CU_ASSERT_STRING_EQUAL(props,
			       "[{\"name\":\"bindep:exclude\",\"value\":"
			       "\"**/tests/**\"},{\"name\":\"bindep:exclude\","
			       "\"value\":\"/usr/share/doc/\"}]");
	cJSON_free(props);
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&b), "unread-paths"));
	cJSON_Delete(doc);
	bd_buf_reset(&b);

	CU_ASSERT_EQUAL(bd_emit_spdx(&g, &o, &b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(bd_buf_str(&b),
		       "\"comment\":\t\"bindep:exclude=**/tests/**\""));
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&b), "paths not read"));
	bd_buf_reset(&b);

	text = emit_spdx3(&g, &o);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"extension_cdxPropValue\":\t"
					    "\"/usr/share/doc/\""));
	CU_ASSERT_PTR_NULL(strstr(text, "\"incomplete\""));
	free(text);

	/* Beside paths not read: the patterns first. */
	o.unread = unread;
	o.nunread = o.unread_total = 1;
	CU_ASSERT_EQUAL(bd_emit_cyclonedx(&g, &o, &b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b),
				      "\"/usr/share/doc/\"\n"
				      "\t\t\t\t}, {\n"
				      "\t\t\t\t\t\"name\":\t"
				      "\"bindep:unread-path\""));
	bd_buf_release(&b);
	bd_graph_release(&g);
}

static void test_text_view(void)
{
	struct bd_graph g;
	char *text;

	make_graph(&g);
	bd_graph_comp(&g, 0)->is_input = true;
	text = emit_text(&g, false);
	CU_ASSERT_STRING_EQUAL(
		text,
		"dist/app  unidentified\n"
		"    libc.so.6 => not found  [needed]\n"
		"    libz.so.1 => dist/libz.so.1  [needed]  "
		"pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64\n"
		"    libfido2.so.1 => not found  [dlopen, optional: required, "
		"feature fido2]\n"
		"    libz.so.1 => dist/libz.so.1  [dlopen, optional: "
		"suggested, "
		"feature zlib]  (see above)\n"
		"\n"
		"1 file scanned, 4 components, 2 not found, 1 unidentified\n");
	free(text);
	text = emit_text(&g, true);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\033[1;31mnot found\033[0m"));
	free(text);
	bd_graph_release(&g);
}

/* A cycle is drawn once; a crafted chain deeper than any real one stops. */
static char *emit_text_depth(const struct bd_graph *g, unsigned depth)
{
	struct bd_emit_options o = { .source_name = "x", .depth = depth };
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_emit_text(g, &o, &b, NULL), 0);
	return bd_buf_detach(&b, NULL);
}

static void test_text_cycle_and_depth(void)
{
	struct bd_graph g;
	char key[32], *text;
	uint32_t ids[200], i;

	bd_graph_init(&g);
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "path:%03u", i);
		bd_graph_add(&g, key, BD_COMP_LIBRARY, &ids[i]);
		bd_graph_comp(&g, ids[i])->name = bd_graph_strdup(&g, key + 5);
	}
	for (i = 0; i + 1 < 200; i++)
		bd_graph_add_edge(&g, ids[i], ids[i + 1], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, ids[1], ids[0], BD_EDGE_NEEDED, NULL);
	bd_graph_comp(&g, ids[0])->is_input = true;
	bd_graph_sort(&g);
	/* The whole closure stops at 48 levels, and says so; the way back
	 * to the root is not drawn again. */
	text = emit_text_depth(&g, BD_EMIT_DEPTH_ALL);
	CU_ASSERT_PTR_NULL(strstr(text, "000 => "));
	CU_ASSERT_PTR_NULL(strstr(text, "(see above)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "    048 => "));
	CU_ASSERT_PTR_NULL(strstr(text, "049 =>"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "\n" /* 49 levels of 4 spaces */
			     "                                                "
			     "                                                "
			     "                                                "
			     "                                                "
			     "    (deeper levels not shown)\n"));
	free(text);
	/* A depth asked for is drawn, and no note says more exists. */
	text = emit_text_depth(&g, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n            003 => "));
	CU_ASSERT_PTR_NULL(strstr(text, "004 =>"));
	CU_ASSERT_PTR_NULL(strstr(text, "deeper"));
	free(text);
	/* The default: the direct needs. */
	text = emit_text_depth(&g, 0);
	CU_ASSERT_STRING_EQUAL(text, "000  unidentified\n"
				     "    001 => (no path)  [needed]  "
				     "unidentified\n"
				     "\n"
				     "0 files scanned, 200 components, 0 not "
				     "found, 200 unidentified\n");
	free(text);
	bd_graph_release(&g);
}

/* app needs libfoo, libbar and libc; both libraries need libc, libbar
 * needs libfoo: with every level drawn, each library is drawn once, at
 * the shallowest level it is needed from. */
static void test_text_each_library_once(void)
{
	static const char *const names[] = { "app", "libfoo", "libbar", "libc",
					     "libdeep" };
	struct bd_graph g;
	uint32_t id[5], i;
	char *text;

	bd_graph_init(&g);
	for (i = 0; i < 5; i++) {
		bd_graph_add(&g, names[i], BD_COMP_LIBRARY, &id[i]);
		bd_graph_comp(&g, id[i])->name = names[i];
		bd_graph_add_path(&g, id[i], names[i]);
	}
	bd_graph_comp(&g, id[0])->is_input = true;
	bd_graph_add_edge(&g, id[0], id[1], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, id[0], id[2], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, id[0], id[3], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, id[1], id[3], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, id[2], id[3], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, id[2], id[1], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, id[3], id[4], BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, id[1], id[4], BD_EDGE_NEEDED, NULL);
	bd_graph_sort(&g);
	text = emit_text_depth(&g, BD_EMIT_DEPTH_ALL);
	/* Needs in graph order (no DT_NEEDED list to follow): libbar,
	 * libc, libfoo; libdeep under the first of them drawn. */
	CU_ASSERT_STRING_EQUAL(text,
			       "app  unidentified\n"
			       "    libbar => libbar  [needed]  unidentified\n"
			       "    libc => libc  [needed]  unidentified\n"
			       "        libdeep => libdeep  [needed]  "
			       "unidentified\n"
			       "    libfoo => libfoo  [needed]  unidentified\n"
			       "\n"
			       "1 file scanned, 5 components, 0 not found, "
			       "5 unidentified\n");
	free(text);
	bd_graph_release(&g);
}

static void test_timestamp(void)
{
	char ts[32];

	bd_emit_timestamp(0, ts);
	CU_ASSERT_STRING_EQUAL(ts, "1970-01-01T00:00:00Z");
	bd_emit_timestamp(1700000000, ts);
	CU_ASSERT_STRING_EQUAL(ts, "2023-11-14T22:13:20Z");
}

/* ---- the UTF-8 policy (bindep/utf8.h, bindep/json.h) ------------------ */

static void expect_utf8(const char *in, size_t len, const char *replaced,
			const char *escaped)
{
	struct bd_buf b = BD_BUF_INIT;
	bool changed = bd_utf8_sanitize(&b, in, len);

	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), replaced);
	CU_ASSERT_EQUAL(changed, strcmp(in, replaced) != 0);
	CU_ASSERT_EQUAL(bd_utf8_valid(in, len), !changed);
	if (strcmp(bd_buf_str(&b), replaced))
		fprintf(stderr, "\n  sanitize: got '%s'\n", bd_buf_str(&b));
	bd_buf_reset(&b);
	bd_utf8_escape(&b, in, len);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), escaped);
	if (strcmp(bd_buf_str(&b), escaped))
		fprintf(stderr, "\n  escape: got '%s'\n", bd_buf_str(&b));
	bd_buf_release(&b);
}

#define U(s, r, e) expect_utf8(s, sizeof(s) - 1, r, e)
#define FFFD	   "\xEF\xBF\xBD"

static void test_utf8_policy(void)
{
	/* Well-formed: ASCII, 2, 3 and 4 bytes, the edges of each range. */
	U("libz.so.1", "libz.so.1", "libz.so.1");
	U("caf\xC3\xA9", "caf\xC3\xA9", "caf\xC3\xA9");
	U("\xC2\xA0\xDF\xBF", "\xC2\xA0\xDF\xBF", "\xC2\xA0\xDF\xBF");
	U("\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF",
	  "\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF",
	  "\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF");
	U("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF",
	  "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF",
	  "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
	/* Stray bytes: continuation, C0/C1 leads, F5..FF. */
	U("a\x80z", "a" FFFD "z", "a\\x80z");
	U("\xBF", FFFD, "\\xbf");
	U("\xC0\xAF", FFFD FFFD, "\\xc0\\xaf"); /* overlong '/' */
	U("\xC1\xBF", FFFD FFFD, "\\xc1\\xbf");
	U("\xE0\x80\xAF", FFFD FFFD FFFD, "\\xe0\\x80\\xaf"); /* overlong */
	U("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, "\\xf0\\x80\\x80\\xaf");
	U("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, "\\xf5\\x80\\x80\\x80");
	U("\xFE\xFF", FFFD FFFD, "\\xfe\\xff");
	/* Surrogates, and above U+10FFFF. */
	U("\xED\xA0\x80", FFFD FFFD FFFD, "\\xed\\xa0\\x80");
	U("\xED\xBF\xBF", FFFD FFFD FFFD, "\\xed\\xbf\\xbf");
	U("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, "\\xf4\\x90\\x80\\x80");
	/* Truncated: one U+FFFD per maximal subpart, the next byte kept. */
	U("\xE2\x82", FFFD, "\\xe2\\x82");
	U("\xE2\x82z", FFFD "z", "\\xe2\\x82z");
	U("\xF0\x9F\x98", FFFD, "\\xf0\\x9f\\x98");
	U("\xF0\x9F\x98\xC3\xA9", FFFD "\xC3\xA9", "\\xf0\\x9f\\x98\xC3\xA9");
	U("\xC3", FFFD, "\\xc3");
	/* Controls: valid UTF-8, escaped for the terminal only. */
	U("\x1B[31mred\x07", "\x1B[31mred\x07", "\\x1b[31mred\\x07");
	U("a\tb\nc\rd\x7F", "a\tb\nc\rd\x7F", "a\\x09b\\x0ac\\x0dd\\x7f");
	U("\xC2\x9B"
	  "1m\xC2\x80\xC2\x9F\xC2\xA0",
	  "\xC2\x9B"
	  "1m\xC2\x80\xC2\x9F\xC2\xA0",
	  "\\xc2\\x9b"
	  "1m\\xc2\\x80\\xc2\\x9f\xC2\xA0");
	/* A backslash doubled for the terminal: the text "\x0a" is not
	 * taken for a newline's escape. */
	U("a\\x0a\nb", "a\\x0a\nb", "a\\\\x0a\\x0ab");
	/* Bidirectional controls (Trojan Source: U+202E shows a name
	 * reversed), the marks, and invisible format characters: valid,
	 * kept in JSON, escaped for the terminal. Their neighbours are
	 * not. */
	U("evil-\xE2\x80\xAEtxt.exe", "evil-\xE2\x80\xAEtxt.exe",
	  "evil-\\xe2\\x80\\xaetxt.exe");
	U("\xE2\x80\xAA\xE2\x81\xA6\xE2\x81\xA9\xE2\x80\x8E\xD8\x9C",
	  "\xE2\x80\xAA\xE2\x81\xA6\xE2\x81\xA9\xE2\x80\x8E\xD8\x9C",
	  "\\xe2\\x80\\xaa\\xe2\\x81\\xa6\\xe2\\x81\\xa9"
	  "\\xe2\\x80\\x8e\\xd8\\x9c");
	U("a\xE2\x80\x8B"
	  "b\xEF\xBB\xBF"
	  "c\xE2\x81\xA0\xF3\xA0\x81\x81",
	  "a\xE2\x80\x8B"
	  "b\xEF\xBB\xBF"
	  "c\xE2\x81\xA0\xF3\xA0\x81\x81",
	  "a\\xe2\\x80\\x8bb\\xef\\xbb\\xbfc\\xe2\\x81\\xa0"
	  "\\xf3\\xa0\\x81\\x81");
	U("\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xAA",
	  "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xAA",
	  "\\xe2\\x80\\xa9\xE2\x80\xAF\\xe2\\x81\\xaa");
	/* The rest of Cf, the variation selectors and the fillers: a soft
	 * hyphen, U+0600, U+1D173, U+FE0F, U+E0101, U+3164. Not a letter
	 * next to them (U+00AC, U+FE10). */
	U("a\xC2\xAD"
	  "b\xD8\x80\xF0\x9D\x85\xB3\xEF\xB8\x8F\xF3\xA0\x84\x81"
	  "\xE3\x85\xA4\xC2\xAC\xEF\xB8\x90",
	  "a\xC2\xAD"
	  "b\xD8\x80\xF0\x9D\x85\xB3\xEF\xB8\x8F\xF3\xA0\x84\x81"
	  "\xE3\x85\xA4\xC2\xAC\xEF\xB8\x90",
	  "a\\xc2\\xadb\\xd8\\x80\\xf0\\x9d\\x85\\xb3\\xef\\xb8\\x8f"
	  "\\xf3\\xa0\\x84\\x81\\xe3\\x85\\xa4\xC2\xAC\xEF\xB8\x90");
	U("", "", "");
}

/* URLs an SBOM may carry from another's answer: http(s), a host, and only
 * RFC 3986's characters (no blank, control, quote, bracket, backslash or
 * byte past ASCII; a '%' before two hex digits). javascript: or a space
 * fail CycloneDX's iri-reference and SPDX's locators; '[' and ']' make a
 * Markdown link whose text is not its target. */
static void test_url_ok(void)
{
	static const char *const good[] = {
		"https://zlib.net/",
		"http://example.org",
		"https://github.com/sponsors/madler",
		"https://en.wikipedia.org/wiki/Zlib_(library)",
		"https://x.example/a?b=c&d=e#f",
		"https://x.example/%7Euser",
		"HTTPS://X.EXAMPLE/",
	};
	static const char *const bad[] = {
		"javascript:alert(1)",
		"data:text/html,x",
		"https://zlib.net/donate now",
		"https://zlib.net/\x1b[2J",
		"=cmd|' /c calc'!A1",
		"https://a|b",
		"https://zlib.net/[",
		"https://zlib.net/donate](https://evil.example/phish)",
		"https://x/\"q\"",
		"https://x/<a>",
		"https://x/caf\xc3\xa9",
		"https://x/%zz",
		"https://x/%4",
		"https://",
		"https:///path",
		"http:/x",
		"ftp://x.example/",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!bd_url_ok(good[i]))
			CU_FAIL(good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (bd_url_ok(bad[i]))
			CU_FAIL(bad[i]);
	CU_ASSERT_FALSE(bd_url_ok(NULL));
}

static void test_utf8_next(void)
{
	uint32_t cp;

	CU_ASSERT_EQUAL(bd_utf8_next((const unsigned char *)"\xC3\xA9", 2, &cp),
			2);
	CU_ASSERT_EQUAL(cp, 0xE9);
	CU_ASSERT_EQUAL(
		bd_utf8_next((const unsigned char *)"\xF4\x8F\xBF\xBF", 4, &cp),
		4);
	CU_ASSERT_EQUAL(cp, 0x10FFFF);
	CU_ASSERT_EQUAL(
		bd_utf8_next((const unsigned char *)"\xEF\xBF\xBD", 3, &cp), 3);
	CU_ASSERT_EQUAL(cp, 0xFFFD);
	/* A sequence cut by the length given, not by a NUL. */
	CU_ASSERT_EQUAL(
		bd_utf8_next((const unsigned char *)"\xE2\x82\xAC", 2, &cp), 2);
	CU_ASSERT_EQUAL(cp, BD_UTF8_INVALID);
}

static void test_percent(void)
{
	struct bd_buf b = BD_BUF_INIT;
	const char raw[] = "a b%/\xFF\x1B\xC3\xA9~";

	bd_utf8_percent(&b, raw, sizeof(raw) - 1);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "a%20b%25/%FF%1B%C3%A9~");
	bd_buf_release(&b);
}

/* A writer into out, laid out (and hashed when uuid). */
static void writer(struct bd_json *j, struct bd_emit_buf_sink *s,
		   struct bd_buf *out, bool uuid)
{
	bd_emit_buf_sink_init(s, out);
	bd_json_init(j, &s->sink, uuid);
}

/* Identifiers: injective, so that two names stay two components. */
static void test_refs(void)
{
	struct bd_buf b = BD_BUF_INIT, out = BD_BUF_INIT;
	struct bd_emit_buf_sink s;
	struct bd_json j;

	CU_ASSERT_FALSE(bd_utf8_percent_invalid(&b, "sha256:ab", 9));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "sha256:ab");
	bd_buf_reset(&b);
	CU_ASSERT_TRUE(
		bd_utf8_percent_invalid(&b, "a%\xFF\xC3\xA9\xED\xA0", 7));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "a%25%FF\xC3\xA9%ED%A0");
	bd_buf_release(&b);
	writer(&j, &s, &out, false);
	bd_json_begin_object(&j, NULL);
	bd_json_add_ref(&j, "bom-ref", "soname:lib\xFF.so");
	bd_json_begin_array(&j, "dependsOn");
	bd_json_add_ref(&j, NULL, "soname:lib\xFE.so");
	bd_json_add_ref(&j, NULL, "soname:lib%FF.so");
	bd_json_add_ref(&j, NULL, "sha256:aa");
	bd_json_end_array(&j);
	bd_json_end_object(&j);
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&out),
			       "{\n\t\"bom-ref\":\t\"soname:lib%FF.so\",\n"
			       "\t\"dependsOn\":\t[\"soname:lib%FE.so\", "
			       "\"soname:lib%25FF.so\", \"sha256:aa\"]\n}\n");
	bd_json_release(&j);
	bd_buf_release(&out);
}

static void collect_raw(void *ctx, const char *name, const char *value)
{
	bd_buf_printf(ctx, "%s=%s;", name, value);
}

/* One boundary: every string helper replaces, and keeps the raw while
 * collecting; valid text is untouched and costs no property; a dry run
 * writes nothing and keeps its raws. */
static void test_json_policy(void)
{
	struct bd_buf raws = BD_BUF_INIT, out = BD_BUF_INIT;
	struct bd_emit_buf_sink s;
	struct bd_json j;

	writer(&j, &s, &out, false);
	bd_json_begin_object(&j, NULL);
	bd_json_add_string(&j, "outside", "x\xFF");
	bd_json_raw_begin(&j);
	bd_json_add_string(&j, "name", "lib\xFF.so");
	bd_json_add_string(&j, "fine", "caf\xC3\xA9");
	bd_json_begin_array(&j, "location");
	bd_json_add_string(&j, NULL, "/a/\xC0\xAF");
	bd_json_end_array(&j);
	j.raw_label = "bindep:runpath";
	bd_json_add_string(&j, "value", "$ORIGIN/\xED\xA0\x80");
	j.raw_label = NULL;
	bd_json_dry(&j, true);
	bd_json_begin_array(&j, "dry");
	bd_json_add_string(&j, NULL, "\xC3");
	bd_json_dry(&j, false);
	CU_ASSERT_STRING_EQUAL(bd_json_text(&j, "x", "ok"), "ok");
	CU_ASSERT_PTR_NULL(bd_json_text(&j, "x", NULL));
	bd_json_raw_end(&j, collect_raw, &raws);
	bd_json_add_string(&j, "after", "\xFF");
	bd_json_raw_end(&j, collect_raw, &raws);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&raws),
			       "bindep:raw-name=lib%FF.so;"
			       "bindep:raw-location=/a/%C0%AF;"
			       "bindep:raw-runpath=$ORIGIN/%ED%A0%80;"
			       "bindep:raw-dry=%C3;");
	bd_json_end_object(&j);
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&out),
			       "{\n\t\"outside\":\t\"x" FFFD "\",\n"
			       "\t\"name\":\t\"lib" FFFD ".so\",\n"
			       "\t\"fine\":\t\"caf\xC3\xA9\",\n"
			       "\t\"location\":\t[\"/a/" FFFD FFFD "\"],\n"
			       "\t\"value\":\t\"$ORIGIN/" FFFD FFFD FFFD "\",\n"
			       "\t\"after\":\t\"" FFFD "\"\n}\n");
	bd_buf_release(&raws);
	bd_buf_release(&out);
	bd_json_release(&j);
}

/* The same document made by cJSON and by the writer: a string of every
 * kind of byte, numbers of every kind cJSON prints, empty and nested
 * containers, lazy arrays with and without values, n filler items. */
static cJSON *layout_doc(struct bd_json *j, size_t n)
{
	static const double nums[] = {
		1,	0,	   -3,		 0.9,		0.5,
		1e300,	0.1 + 0.2, 2147483648.0, -2147483649.0, 123456789012.0,
		1.0 / 3
	};
	static const char text[] = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f caf\xC3\xA9";
	cJSON *root = cJSON_CreateObject(), *arr, *o, *inner;
	size_t i;

	bd_json_begin_object(j, NULL);
	cJSON_AddStringToObject(root, "text", text);
	bd_json_add_string(j, "text", text);
	cJSON_AddStringToObject(root, "hole", "");
	bd_json_add_hole(j, "hole", 12);
	arr = cJSON_AddArrayToObject(root, "nums");
	bd_json_begin_array(j, "nums");
	for (i = 0; i < BD_ARRAY_SIZE(nums); i++) {
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(nums[i]));
		bd_json_add_number(j, NULL, nums[i]);
	}
	bd_json_end_array(j);
	cJSON_AddObjectToObject(root, "empty");
	bd_json_begin_object(j, "empty");
	bd_json_end_object(j);
	cJSON_AddArrayToObject(root, "none");
	bd_json_begin_array(j, "none");
	bd_json_end_array(j);
	bd_json_begin_array_lazy(j, "absent");
	bd_json_end_array(j);
	/* cJSON has no lazy array: none when there are no items. */
	arr = n ? cJSON_AddArrayToObject(root, "items") : NULL;
	bd_json_begin_array_lazy(j, "items");
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		bd_json_begin_object(j, NULL);
		cJSON_AddBoolToObject(o, "odd", i % 2);
		bd_json_add_bool(j, "odd", i % 2);
		inner = cJSON_AddArrayToObject(o, "deep");
		bd_json_begin_array(j, "deep");
		cJSON_AddItemToArray(inner, cJSON_CreateObject());
		bd_json_begin_object(j, NULL);
		bd_json_end_object(j);
		cJSON_AddItemToArray(inner, cJSON_CreateArray());
		bd_json_begin_array(j, NULL);
		bd_json_end_array(j);
		bd_json_end_array(j);
		bd_json_end_object(j);
	}
	bd_json_end_array(j);
	bd_json_end_object(j);
	return root;
}

static void expect_layout(size_t n)
{
	struct bd_buf out = BD_BUF_INIT;
	struct bd_emit_buf_sink s;
	struct bd_json j;
	char mine[37], theirs[37];
	cJSON *root;
	char *text, *hole;

	writer(&j, &s, &out, true);
	root = layout_doc(&j, n);
	CU_ASSERT_EQUAL(bd_json_content_uuid(&j, mine), 0);
	text = cJSON_PrintUnformatted(root);
	CU_ASSERT_EQUAL(bd_emit_uuid5(text, strlen(text), theirs), 0);
	CU_ASSERT_STRING_EQUAL(mine, theirs);
	cJSON_free(text);
	bd_json_fill_hole(&j, "filled-late!");
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	cJSON_SetValuestring(cJSON_GetObjectItem(root, "hole"), "filled-late!");
	text = cJSON_Print(root);
	hole = text ? strstr(bd_buf_str(&out), "filled-late!") : NULL;
	CU_ASSERT_PTR_NOT_NULL(hole);
	CU_ASSERT_EQUAL(strlen(text) + 1, out.len);
	CU_ASSERT_EQUAL(strncmp(text, bd_buf_str(&out), strlen(text)), 0);
	CU_ASSERT_EQUAL(out.data[out.len - 1], '\n');
	cJSON_free(text);
	cJSON_Delete(root);
	bd_json_release(&j);
	bd_buf_release(&out);
}

/* A sink that cannot rewrite (a pipe): given everything at the end. */
struct pipe_sink {
	struct bd_buf got;
	unsigned writes;
};

static int pipe_write(void *ctx, const char *data, size_t len)
{
	struct pipe_sink *p = ctx;

	p->writes++;
	bd_buf_add(&p->got, data, len);
	return 0;
}

/* A buffer sink whose writes are counted (they are made on the writer's
 * thread: the count is read once the document is finished). */
struct counting_sink {
	struct bd_emit_buf_sink s;
	int (*write)(void *ctx, const char *data, size_t len);
	size_t writes;
};

static int counting_write(void *ctx, const char *data, size_t len)
{
	struct counting_sink *c = ctx;

	c->writes++;
	return c->write(&c->s, data, len);
}

static int counting_patch(void *ctx, uint64_t offset, const char *data,
			  size_t len)
{
	struct counting_sink *c = ctx;

	return c->s.sink.patch(&c->s, offset, data, len);
}

/* cJSON_Print's layout and the UUID of cJSON_PrintUnformatted's text,
 * byte for byte; a document past the writer's 64 KiB pieces goes out in
 * several, its hole rewritten in place by the sink, or whole at the end
 * to a sink that cannot rewrite. */
static void test_json_layout(void)
{
	struct pipe_sink p = { BD_BUF_INIT, 0 };
	struct bd_emit_sink ps = { pipe_write, NULL, &p };
	struct bd_buf out = BD_BUF_INIT;
	struct counting_sink c = { .writes = 0 };
	struct bd_emit_sink cs = { counting_write, counting_patch, &c };
	struct bd_json j;
	char uuid[37];
	cJSON *root;

	expect_layout(0);
	expect_layout(3);
	expect_layout(5000);
	bd_json_init(&j, &ps, true);
	root = layout_doc(&j, 5000);
	CU_ASSERT_EQUAL(bd_json_content_uuid(&j, uuid), 0);
	bd_json_fill_hole(&j, "filled-late!");
	CU_ASSERT_EQUAL(p.writes, 0);
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	CU_ASSERT_EQUAL(p.writes, 1);
	CU_ASSERT_TRUE(p.got.len > 200000);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&p.got), "filled-late!"));
	bd_json_release(&j);
	/* Patched where the sink holds it, after several writes. */
	bd_emit_buf_sink_init(&c.s, &out);
	c.write = c.s.sink.write;
	bd_json_init(&j, &cs, true);
	cJSON_Delete(layout_doc(&j, 5000));
	CU_ASSERT_EQUAL(bd_json_content_uuid(&j, uuid), 0);
	bd_json_fill_hole(&j, "filled-late!");
	CU_ASSERT_EQUAL(bd_json_finish(&j), 0);
	CU_ASSERT_TRUE(c.writes > 2);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&out), bd_buf_str(&p.got));
	bd_json_release(&j);
	cJSON_Delete(root);
	bd_buf_release(&out);
	bd_buf_release(&p.got);
}

/* A graph of n libraries, each needing the next. */
static void make_chain(struct bd_graph *g, size_t n)
{
	char key[80], name[64];
	uint32_t id, prev = 0;
	size_t i;

	bd_graph_init(g);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "sha256:%060zx", i);
		snprintf(name, sizeof(name), "lib%zu.so.1", i);
		bd_graph_add(g, key, BD_COMP_LIBRARY, &id);
		bd_graph_comp(g, id)->name = bd_graph_strdup(g, name);
		bd_graph_comp(g, id)->soname = bd_graph_comp(g, id)->name;
		bd_graph_add_path(g, id, name);
		if (i)
			bd_graph_add_edge(g, prev, id, BD_EDGE_NEEDED, NULL);
		prev = id;
	}
	bd_graph_sort(g);
}

/* To a sink that cannot be rewritten (a pipe), a document past the
 * writer's 64 KiB pieces comes in several writes, never held whole, and
 * is the same bytes, its serial number or namespace included. */
static void test_emit_to_a_pipe(void)
{
	struct bd_emit_options o = { .source_name = "demo",
				     .timestamp = 1700000000 };
	struct pipe_sink p = { BD_BUF_INIT, 0 };
	struct bd_emit_sink ps = { pipe_write, NULL, &p };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;

	make_chain(&g, 2000);
	CU_ASSERT_EQUAL(bd_emit_cyclonedx(&g, &o, &b, NULL), 0);
	CU_ASSERT_EQUAL(bd_emit_cyclonedx_to(&g, &o, &ps, NULL), 0);
	CU_ASSERT_TRUE(b.len > 4 * 65536);
	CU_ASSERT_TRUE(p.writes > 3);
	CU_ASSERT_EQUAL(p.got.len, b.len);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&p.got), bd_buf_str(&b));
	bd_buf_reset(&b);
	bd_buf_reset(&p.got);
	p.writes = 0;
	CU_ASSERT_EQUAL(bd_emit_spdx(&g, &o, &b, NULL), 0);
	CU_ASSERT_EQUAL(bd_emit_spdx_to(&g, &o, &ps, NULL), 0);
	CU_ASSERT_TRUE(p.writes > 3);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&p.got), bd_buf_str(&b));
	bd_buf_reset(&b);
	bd_buf_reset(&p.got);
	p.writes = 0;
	CU_ASSERT_EQUAL(bd_emit_spdx3(&g, &o, &b, NULL), 0);
	CU_ASSERT_EQUAL(bd_emit_spdx3_to(&g, &o, &ps, NULL), 0);
	CU_ASSERT_TRUE(p.writes > 3);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&p.got), bd_buf_str(&b));
	bd_buf_release(&b);
	bd_buf_release(&p.got);
	bd_graph_release(&g);
}

/* The properties of a component, compact. */
static char *properties_text(cJSON *doc, const char *name)
{
	cJSON *c = component(doc, name);

	return c ? cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "properties"))
		 : NULL;
}

/*
 * CycloneDX: the raw bytes of an evidence string not UTF-8 (its identity
 * and its licence, not only its locations) are kept in the component's
 * properties, where its evidence is run dry for them; a component whose
 * evidence is all UTF-8 keeps none.
 */
static void test_cyclonedx_evidence_raws(void)
{
	struct bd_graph g;
	struct bd_emit_options o = { .source_name = "demo" };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_component *c;
	uint32_t id;
	cJSON *doc;
	char *text;

	bd_graph_init(&g);
	bd_graph_add(&g, "sha256:aa", BD_COMP_LIBRARY, &id);
	c = bd_graph_comp(&g, id);
	c->name = "liba.so";
	c->ids[0] =
		(struct bd_identity){ "version", "1.\xFF", "manifest-analysis",
				      "db\xE9",	 1.0,	   NULL };
	c->nids = 1;
	c->license = "MIT\xFF";
	c->license_stated = true;
	bd_graph_add_path(&g, id, "/lib/liba.so");
	bd_graph_add(&g, "sha256:bb", BD_COMP_LIBRARY, &id);
	c = bd_graph_comp(&g, id);
	c->name = "libb.so";
	c->ids[0] = (struct bd_identity){ "version", "2.0", "manifest-analysis",
					  "db",	     1.0,   "sbom.json" };
	c->nids = 1;
	bd_graph_add_path(&g, id, "/lib/libb.so");
	bd_graph_sort(&g);
	CU_ASSERT_EQUAL_FATAL(bd_emit_cyclonedx(&g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	text = properties_text(doc, "liba.so");
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
				      "{\"name\":\"bindep:raw-concludedValue\","
				      "\"value\":\"1.%FF\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"name\":\"bindep:raw-value\","
					    "\"value\":\"db%E9\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
				      "{\"name\":\"bindep:raw-expression\","
				      "\"value\":\"MIT%FF\"}"));
	cJSON_free(text);
	text = properties_text(doc, "libb.so");
	CU_ASSERT_TRUE(!text || !strstr(text, "bindep:raw-"));
	cJSON_free(text);
	cJSON_Delete(doc);
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* The emitters: a component named with invalid bytes keeps them. */
static void test_emit_invalid_utf8(void)
{
	struct bd_graph g;
	struct bd_emit_options o = { .source_name = "demo\xFF" };
	struct bd_buf b = BD_BUF_INIT;
	uint32_t id;
	cJSON *doc, *c;
	char *text;

	bd_graph_init(&g);
	bd_graph_add(&g, "sha256:cc", BD_COMP_LIBRARY, &id);
	bd_graph_comp(&g, id)->name = "lib\xE9.so";
	bd_graph_comp(&g, id)->has_elf_header = true;
	bd_graph_comp(&g, id)->ei_class = ELFCLASS64;
	bd_graph_comp(&g, id)->runpath = "/opt/\xFF";
	bd_graph_add_path(&g, id, "dist/lib\xE9.so");
	bd_graph_sort(&g);
	CU_ASSERT_EQUAL(bd_emit_cyclonedx(&g, &o, &b, NULL), 0);
	CU_ASSERT_TRUE(bd_utf8_valid(b.data, b.len));
	doc = cJSON_Parse(bd_buf_str(&b));
	c = component(doc, "lib" FFFD ".so");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "properties"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"name\":\"bindep:raw-name\","
					    "\"value\":\"lib%E9.so\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"name\":\"bindep:raw-runpath\","
					    "\"value\":\"/opt/%FF\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"name\":\"bindep:raw-location\","
					    "\"value\":\"dist/lib%E9.so\"}"));
	cJSON_free(text);
	cJSON_Delete(doc);
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_emit_spdx(&g, &o, &b, NULL), 0);
	CU_ASSERT_TRUE(bd_utf8_valid(b.data, b.len));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "bindep:raw-name=lib%E9.so"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(b.data, "bindep:raw-path=dist/lib%E9.so"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "bindep:raw-runpath=/opt/%FF"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(b.data, "bindep:raw-packageFileName=dist/lib%E9.so"));
	/* SPDX 3: as CycloneDX properties of the package's extension. */
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_emit_spdx3(&g, &o, &b, NULL), 0);
	CU_ASSERT_TRUE(bd_utf8_valid(b.data, b.len));
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	text = cJSON_PrintUnformatted(doc);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"name\":\"lib" FFFD ".so\""));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "{\"type\":\"extension_CdxPropertyEntry\","
			     "\"extension_cdxPropName\":\"bindep:raw-name\","
			     "\"extension_cdxPropValue\":\"lib%E9.so\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"bindep:raw-path\","
					    "\"extension_cdxPropValue\":"
					    "\"dist/lib%E9.so\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"bindep:raw-runpath\","
					    "\"extension_cdxPropValue\":"
					    "\"/opt/%FF\"}"));
	/* The namespace is made of ASCII: the name's other bytes are '-'. */
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "https://spdx.org/spdxdocs/bindep-sbom/demo--"));
	cJSON_free(text);
	cJSON_Delete(doc);
	/* The text view shows the bytes, escaped. */
	bd_graph_comp(&g, id)->is_input = true;
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_emit_text(&g, &o, &b, NULL), 0);
	CU_ASSERT_EQUAL(strncmp(bd_buf_str(&b), "dist/lib\\xe9.so  ", 17), 0);
	bd_buf_release(&b);
	bd_graph_release(&g);
}

static void expect_csv(const char *cell, bool last, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_emit_csv_field(&b, cell, last);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	bd_buf_release(&b);
}

/* RFC 4180 quoting, and OWASP's defence against formula injection. */
static void test_csv_field(void)
{
	expect_csv("zlib", false, "zlib,");
	expect_csv("zlib", true, "zlib\r\n");
	expect_csv(NULL, false, ",");
	expect_csv("", false, ",");
	expect_csv("a,b", false, "\"a,b\",");
	expect_csv("say \"hi\"", false, "\"say \"\"hi\"\"\",");
	expect_csv("two\nlines", false, "\"two\nlines\",");
	expect_csv("=HYPERLINK(\"http://x\")", false,
		   "\"'=HYPERLINK(\"\"http://x\"\")\",");
	expect_csv("+1", false, "\"'+1\",");
	expect_csv("-2+3", false, "\"'-2+3\",");
	expect_csv("@SUM(A1)", false, "\"'@SUM(A1)\",");
	expect_csv("\t=1", false, "\"'\t=1\",");
	expect_csv("\r=1", true, "\"'\r=1\"\r\n");
	/* Only the first character counts. */
	expect_csv("https://x.org/?a=1", false, "https://x.org/?a=1,");
}

/* Online answers with control bytes and a javascript: URL: the CSV and
 * the markdown hold them escaped, and only an http(s) URL is a link. */
static char *funding_table(enum bd_funding_format fmt)
{
	struct bd_emit_options o = { .source_name = "demo\033[2J",
				     .timestamp = 1700000000,
				     .funding_format = fmt };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	struct bd_component *c = NULL;
	uint32_t i;

	make_graph(&g);
	for (i = 0; i < g.ncomps; i++) {
		if (g.comps[i].purl)
			c = &g.comps[i]; /* libz: the one with a project */
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	bd_graph_list_add(&g, &c->funding, "x\033[2J");
	bd_graph_list_add(&g, &c->funding, "javascript:alert(2)");
	bd_graph_list_add(&g, &c->funding, "https://zlib.net/donate");
	bd_graph_list_add(&g, &c->maintainers,
			  "m\033]0;t\007 <javascript:alert(1)>");
	bd_graph_list_add(&g, &c->maintainers, "c1\xc2\x9b <https://x.org/c1>");
	bd_graph_list_add(&g, &c->maintainers, "bad\xff");
	CU_ASSERT_EQUAL(bd_emit_funding(&g, &o, &b, NULL), 0);
	bd_graph_release(&g);
	return bd_buf_detach(&b, NULL);
}

static void test_funding_hostile_text(void)
{
	char *csv = funding_table(BD_FUNDING_CSV);
	char *md = funding_table(BD_FUNDING_MARKDOWN);
	const char *p;

	for (p = csv; *p; p++)
		CU_ASSERT(*p == '\r' || *p == '\n' ||
			  ((unsigned char)*p >= 0x20 && *p != 0x7f &&
			   (unsigned char)*p != 0xc2));
	for (p = md; *p; p++)
		CU_ASSERT(*p == '\n' ||
			  ((unsigned char)*p >= 0x20 && *p != 0x7f &&
			   (unsigned char)*p != 0xc2));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "x\\x1b[2J javascript:alert(2) "
					   "https://zlib.net/donate"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv,
				      "m\\x1b]0;t\\x07 "
				      "<javascript:alert(1)>; c1\\xc2\\x9b "
				      "<https://x.org/c1>; bad\\xff"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "# Upstream projects demo\\\\x1b\\[2J "
				      "depends on"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "| x\\\\x1b\\[2J<br>javascript:alert(2)"
				      "<br>https://zlib.net/donate |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "| m\\\\x1b\\]0;t\\\\x07 "
				      "\\<javascript:alert(1)\\>, "
				      "c1\\\\xc2\\\\x9b <https://x.org/c1>, "
				      "bad\\\\xff |"));
	free(csv);
	free(md);
}

/* The funding report's name of a project without an upstream name is its
 * purl's name as people write it: percent-decoded (libsigc++, not
 * libsigc%2B%2B) and an npm package with its scope (@babel/core, not
 * core), as the summary names them. */
/* A purl's name for people: a Go module is its whole path. */
static void test_purl_names(void)
{
	static const char *const v[][2] = {
		{ "pkg:deb/debian/libssl3@3.0.11-1", "libssl3" },
		{ "pkg:npm/%40img/sharp-linux-x64@0.35.5",
		  "@img/sharp-linux-x64" },
		{ "pkg:github/gcc-mirror/gcc@12.2.0", "gcc" },
		{ "pkg:golang/golang.org/x/sys@v0.20.0", "golang.org/x/sys" },
		{ "pkg:golang/github.com/BurntSushi/toml@v1.3.2%2Bincompatible",
		  "github.com/BurntSushi/toml" },
		{ "pkg:golang/stdlib@1.21.5", "stdlib" },
	};
	struct bd_buf b = BD_BUF_INIT;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(v); i++) {
		bd_buf_reset(&b);
		bd_emit_purl_name(&b, v[i][0]);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), v[i][1]);
	}
	bd_buf_release(&b);
}

static void test_funding_purl_names(void)
{
	struct bd_emit_options o = { .source_name = "my app",
				     .timestamp = 1700000000,
				     .funding_format = BD_FUNDING_JSON };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	struct bd_error err;
	uint32_t app, npm, deb;
	cJSON *doc, *p;
	int found = 0;

	bd_graph_init(&g);
	bd_graph_add(&g, "file:app", BD_COMP_EXECUTABLE, &app);
	bd_graph_add(&g, "file:core", BD_COMP_LIBRARY, &npm);
	bd_graph_add(&g, "file:sigc", BD_COMP_LIBRARY, &deb);
	bd_graph_comp(&g, app)->name = "app";
	bd_graph_comp(&g, app)->is_input = true;
	bd_graph_add_path(&g, app, "bin/app");
	bd_graph_comp(&g, npm)->name = "core.node";
	bd_graph_comp(&g, npm)->purl = "pkg:npm/%40babel/core@7.0.0";
	bd_graph_comp(&g, deb)->name = "libsigc++-2.0.so.0";
	bd_graph_comp(&g, deb)->purl =
		"pkg:deb/debian/libsigc%2B%2B-2.0-0v5@2.12.0-1?arch=amd64";
	bd_graph_add_edge(&g, app, npm, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, app, deb, BD_EDGE_NEEDED, NULL);
	bd_graph_sort(&g);
	CU_ASSERT_EQUAL_FATAL(bd_emit_funding(&g, &o, &b, &err), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "projects"))
	{
		const char *purl = str(p, "purl");

		if (!strcmp(purl, "pkg:npm/%40babel/core"))
			found += !strcmp(str(p, "name"), "@babel/core");
		if (!strcmp(purl, "pkg:deb/debian/libsigc%2B%2B-2.0-0v5"))
			found += !strcmp(str(p, "name"), "libsigc++-2.0-0v5");
	}
	CU_ASSERT_EQUAL(found, 2);
	if (found != 2)
		fprintf(stderr, "\n%s\n", bd_buf_str(&b));
	cJSON_Delete(doc);
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* app compiles serde in (BD_EDGE_STATIC) and was built with serde_derive
 * (BD_EDGE_BUILD), both crates of its cargo-auditable data. */
static void make_build_graph(struct bd_graph *g)
{
	struct bd_component *c;
	uint32_t app, serde, derive;

	bd_graph_init(g);
	bd_graph_add(g, "sha256:aa", BD_COMP_EXECUTABLE, &app);
	bd_graph_add(g, "cargo:serde@1.0.197#crates.io", BD_COMP_STATIC,
		     &serde);
	bd_graph_add(g, "cargo:serde_derive@1.0.197#crates.io", BD_COMP_STATIC,
		     &derive);
	c = bd_graph_comp(g, app);
	c->name = "app";
	c->is_input = true;
	strcpy(c->sha256, "aa");
	bd_graph_add_path(g, app, "dist/app");
	c = bd_graph_comp(g, serde);
	c->name = "serde";
	c->version = "1.0.197";
	c->purl = "pkg:cargo/serde@1.0.197";
	c = bd_graph_comp(g, derive);
	c->name = "serde_derive";
	c->version = "1.0.197";
	c->purl = "pkg:cargo/serde_derive@1.0.197";
	bd_graph_add_edge(g, app, serde, BD_EDGE_STATIC, NULL);
	bd_graph_add_edge(g, app, derive, BD_EDGE_BUILD, NULL);
	bd_graph_sort(g);
}

/* A package only the build used is no library linked in: CycloneDX's
 * scope "excluded" and no bindep:linkage, SPDX 2.3's BUILD_DEPENDENCY_OF,
 * SPDX 3's dependsOn in the scope "build", the text view's "(built
 * with)", the funding report's "build"; the crate compiled in beside it
 * stays static everywhere. */
static void test_build_dependency_every_format(void)
{
	struct bd_emit_options fo = { .source_name = "my app",
				      .timestamp = 1700000000,
				      .funding_format = BD_FUNDING_JSON };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	cJSON *doc, *serde, *derive, *deps, *p;
	char *text, app_id[512], want[1024];
	const char *how = NULL;

	make_build_graph(&g);
	doc = emit(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	serde = component(doc, "serde");
	derive = component(doc, "serde_derive");
	CU_ASSERT_STRING_EQUAL(str(derive, "scope"), "excluded");
	CU_ASSERT_FALSE(has_property(derive, "bindep:linkage", "static"));
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(serde, "scope"));
	CU_ASSERT_TRUE(has_property(serde, "bindep:linkage", "static"));
	deps = cJSON_GetObjectItem(dependency(doc, "sha256:aa"), "dependsOn");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(deps), 2);
	cJSON_Delete(doc);
	free(text);

	doc = emit_spdx(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(related(doc, str(package(doc, "serde_derive"), "SPDXID"),
			       "BUILD_DEPENDENCY_OF",
			       str(package(doc, "app"), "SPDXID"),
			       "used by the build, not in the file"));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "app"), "SPDXID"),
			       "STATIC_LINK",
			       str(package(doc, "serde"), "SPDXID"), NULL));
	cJSON_Delete(doc);

	doc = spdx3_doc(&g, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	snprintf(app_id, sizeof(app_id), "%s",
		 str(package3(doc, "app"), "spdxId"));
	snprintf(want, sizeof(want), "LifecycleScopedRelationship build : %s",
		 str(package3(doc, "serde_derive"), "spdxId"));
	expect3(doc, app_id, "dependsOn", want);
	snprintf(want, sizeof(want), "Relationship  : %s",
		 str(package3(doc, "serde"), "spdxId"));
	expect3(doc, app_id, "hasStaticLink", want);
	cJSON_Delete(doc);
	free(text);

	text = emit_text(&g, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "    serde => (compiled in)  [statically linked]  "
		      "pkg:cargo/serde@1.0.197\n"
		      "    serde_derive => (built with)  [build dependency: "
		      "used by the build, not in the file]  "
		      "pkg:cargo/serde_derive@1.0.197\n"));
	free(text);

	CU_ASSERT_EQUAL_FATAL(bd_emit_funding(&g, &fo, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "projects"))
	{
		if (!strcmp(str(p, "purl"), "pkg:cargo/serde_derive"))
			how = cJSON_PrintUnformatted(
				cJSON_GetObjectItem(p, "how"));
	}
	CU_ASSERT_STRING_EQUAL(how ? how : "", "[\"build\"]");
	cJSON_free((void *)how);
	cJSON_Delete(doc);
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* A crate of app's cargo-auditable data (runtime unless build), key
 * "cargo:<name>". */
static uint32_t add_crate(struct bd_graph *g, const char *name, bool build)
{
	struct bd_component *c;
	char key[64], purl[96];
	uint32_t id;

	snprintf(key, sizeof(key), "cargo:%s", name);
	snprintf(purl, sizeof(purl), "pkg:cargo/%s@1.0.0", name);
	bd_graph_add(g, key, BD_COMP_STATIC, &id);
	c = bd_graph_comp(g, id);
	c->name = bd_graph_strdup(g, name);
	c->version = "1.0.0";
	c->purl = bd_graph_strdup(g, purl);
	c->cargo_source = "crates.io";
	c->cargo_kind = build ? "build" : "runtime";
	return id;
}

/* app compiles serde and fork in and was built with serde_derive; serde
 * depends on fork and serde_derive, fork on serde (a cycle); another
 * program, tool, compiles in stranger, on which its list says serde
 * depends. */
static void make_crate_graph(struct bd_graph *g)
{
	uint32_t app, tool, serde, fork, derive, stranger;

	bd_graph_init(g);
	bd_graph_add(g, "sha256:aa", BD_COMP_EXECUTABLE, &app);
	bd_graph_add(g, "sha256:bb", BD_COMP_EXECUTABLE, &tool);
	bd_graph_comp(g, app)->name = "app";
	bd_graph_comp(g, app)->is_input = true;
	bd_graph_add_path(g, app, "dist/app");
	bd_graph_comp(g, tool)->name = "tool";
	bd_graph_comp(g, tool)->is_input = true;
	bd_graph_add_path(g, tool, "dist/tool");
	serde = add_crate(g, "serde", false);
	fork = add_crate(g, "fork", false);
	derive = add_crate(g, "serde_derive", true);
	stranger = add_crate(g, "stranger", false);
	bd_graph_add_edge(g, app, serde, BD_EDGE_STATIC, NULL);
	bd_graph_add_edge(g, app, fork, BD_EDGE_STATIC, NULL);
	bd_graph_add_edge(g, app, derive, BD_EDGE_BUILD, NULL);
	bd_graph_add_edge(g, tool, stranger, BD_EDGE_STATIC, NULL);
	bd_graph_add_edge(g, tool, serde, BD_EDGE_STATIC, NULL);
	bd_graph_add_edge(g, serde, derive, BD_EDGE_DEPENDS, NULL);
	bd_graph_add_edge(g, serde, fork, BD_EDGE_DEPENDS, NULL);
	bd_graph_add_edge(g, serde, stranger, BD_EDGE_DEPENDS, NULL);
	bd_graph_add_edge(g, fork, serde, BD_EDGE_DEPENDS, NULL);
	bd_graph_sort(g);
}

/* The refs of a CycloneDX component's dependsOn, space-joined. */
static const char *depends_on(cJSON *doc, const char *ref, struct bd_buf *b)
{
	cJSON *to;

	bd_buf_reset(b);
	cJSON_ArrayForEach(
		to, cJSON_GetObjectItem(dependency(doc, ref), "dependsOn"))
		bd_buf_printf(b, "%s%s", b->len ? " " : "", to->valuestring);
	return bd_buf_str(b);
}

/* Whether ref is among the dependencies of an "incomplete" composition. */
static bool in_incomplete_dependencies(cJSON *doc, const char *ref)
{
	cJSON *c, *r;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "compositions"))
	{
		if (strcmp(str(c, "aggregate"), "incomplete"))
			continue;
		cJSON_ArrayForEach(
			r,
			cJSON_GetObjectItem(
				c,
				"dependencies")) if (!strcmp(r->valuestring,
							     ref)) return true;
	}
	return false;
}

/* A crate whose list's dependencies were cut (an index out of range, its
 * own, past the cap) is not said to have all of them: CycloneDX keeps the
 * ones read and lists it in the incomplete composition's dependencies
 * (one with none read gets no entry, not an empty one); SPDX 2.3 adds
 * DEPENDS_ON NOASSERTION, not NONE; SPDX 3 dependsOn NoAssertionElement.
 * A crate whose list was whole still says none. */
static void test_crate_dependencies_cut_every_format(void)
{
	struct bd_emit_options so = { .source_name = "my app",
				      .timestamp = 1700000000,
				      .columns = 200 };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	uint32_t serde, stranger;
	char *text, *got, id[512];
	cJSON *doc;

	make_crate_graph(&g);
	CU_ASSERT_FATAL(bd_graph_find(&g, "cargo:serde", &serde) &&
			bd_graph_find(&g, "cargo:stranger", &stranger));
	bd_graph_comp(&g, serde)->cargo_deps_cut = true;
	bd_graph_comp(&g, stranger)->cargo_deps_cut = true;
	doc = emit(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_STRING_EQUAL(depends_on(doc, "cargo:serde", &b),
			       "cargo:fork cargo:serde_derive cargo:stranger");
	CU_ASSERT_PTR_NULL(dependency(doc, "cargo:stranger"));
	CU_ASSERT_TRUE(in_incomplete_dependencies(doc, "cargo:serde"));
	CU_ASSERT_TRUE(in_incomplete_dependencies(doc, "cargo:stranger"));
	CU_ASSERT_FALSE(in_incomplete_dependencies(doc, "cargo:fork"));
	CU_ASSERT_STRING_EQUAL(depends_on(doc, "cargo:serde_derive", &b), "");
	cJSON_Delete(doc);
	free(text);

	doc = emit_spdx(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(related(doc, str(package(doc, "serde"), "SPDXID"),
			       "DEPENDS_ON", "NOASSERTION", NULL));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "serde"), "SPDXID"),
			       "DEPENDS_ON",
			       str(package(doc, "stranger"), "SPDXID"), NULL));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "stranger"), "SPDXID"),
			       "DEPENDS_ON", "NOASSERTION", NULL));
	CU_ASSERT_FALSE(related(doc, str(package(doc, "stranger"), "SPDXID"),
				"DEPENDS_ON", "NONE", NULL));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "serde_derive"), "SPDXID"),
			       "DEPENDS_ON", "NONE", NULL));
	cJSON_Delete(doc);

	doc = spdx3_doc(&g, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	expect3_needs_unknown(doc, "stranger");
	snprintf(id, sizeof(id), "%s", str(package3(doc, "serde"), "spdxId"));
	got = related3(doc, id, "dependsOn");
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "NoAssertionElement"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(got, str(package3(doc, "stranger"), "spdxId")));
	free(got);
	cJSON_Delete(doc);
	free(text);

	bd_buf_reset(&b);
	CU_ASSERT_EQUAL_FATAL(bd_emit_summary(&g, &so, &b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(bd_buf_str(&b), "crate dependencies cut"));
	if (!strstr(bd_buf_str(&b), "crate dependencies cut"))
		fprintf(stderr, "\n%s\n", bd_buf_str(&b));
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* A crate's dependencies on crates: CycloneDX dependsOn (a crate of none
 * an empty entry: its list says so), SPDX 2.3 DEPENDS_ON (NONE for
 * none), BUILD_DEPENDENCY_OF for a build-only crate, SPDX 3 dependsOn at
 * run time and at build time, the text view's "(crate dependency)"
 * lines from --depth 2, of the tree's own crates only, dot's thin green
 * edge; a file still holds only what its own edges say (the summary's
 * and the funding report's counts), and the cycle ends. */
static void test_crate_dependencies_every_format(void)
{
	struct bd_emit_options fo = { .source_name = "my app",
				      .timestamp = 1700000000,
				      .funding_format = BD_FUNDING_JSON };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	cJSON *doc, *p;
	char *text, serde_id[512], want[2048];
	const char *stranger_how = NULL;

	make_crate_graph(&g);
	doc = emit(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_STRING_EQUAL(depends_on(doc, "cargo:serde", &b),
			       "cargo:fork cargo:serde_derive cargo:stranger");
	CU_ASSERT_STRING_EQUAL(depends_on(doc, "cargo:fork", &b),
			       "cargo:serde");
	CU_ASSERT_PTR_NOT_NULL(dependency(doc, "cargo:serde_derive"));
	CU_ASSERT_STRING_EQUAL(depends_on(doc, "cargo:serde_derive", &b), "");
	CU_ASSERT_STRING_EQUAL(depends_on(doc, "sha256:aa", &b),
			       "cargo:fork cargo:serde cargo:serde_derive");
	CU_ASSERT_STRING_EQUAL(str(component(doc, "serde_derive"), "scope"),
			       "excluded");
	cJSON_Delete(doc);
	free(text);

	doc = emit_spdx(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(related(doc, str(package(doc, "serde"), "SPDXID"),
			       "DEPENDS_ON",
			       str(package(doc, "stranger"), "SPDXID"), NULL));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "serde_derive"), "SPDXID"),
			       "BUILD_DEPENDENCY_OF",
			       str(package(doc, "serde"), "SPDXID"),
			       "used by the build, not in the file"));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "fork"), "SPDXID"),
			       "DEPENDS_ON",
			       str(package(doc, "serde"), "SPDXID"), NULL));
	CU_ASSERT_TRUE(related(doc, str(package(doc, "serde_derive"), "SPDXID"),
			       "DEPENDS_ON", "NONE", NULL));
	cJSON_Delete(doc);

	doc = spdx3_doc(&g, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	snprintf(serde_id, sizeof(serde_id), "%s",
		 str(package3(doc, "serde"), "spdxId"));
	snprintf(want, sizeof(want),
		 "LifecycleScopedRelationship build : %s; "
		 "LifecycleScopedRelationship runtime : %s %s",
		 str(package3(doc, "serde_derive"), "spdxId"),
		 str(package3(doc, "fork"), "spdxId"),
		 str(package3(doc, "stranger"), "spdxId"));
	expect3(doc, serde_id, "dependsOn", want);
	cJSON_Delete(doc);
	free(text);

	text = emit_text(&g, false);
	CU_ASSERT_PTR_NULL(strstr(text, "crate dependency"));
	free(text);
	text = emit_text_depth(&g, BD_EMIT_DEPTH_ALL);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "dist/app  unidentified\n"
			     "    fork => (compiled in)  [statically linked]  "
			     "pkg:cargo/fork@1.0.0\n"
			     "        serde => (crate dependency)  "
			     "pkg:cargo/serde@1.0.0\n"
			     "    serde => (compiled in)  [statically linked]  "
			     "pkg:cargo/serde@1.0.0\n"
			     "        fork => (crate dependency)  "
			     "pkg:cargo/fork@1.0.0\n"
			     "        serde_derive => (crate dependency)  "
			     "pkg:cargo/serde_derive@1.0.0\n"
			     "    serde_derive => (built with)"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "    serde => (compiled in)  [statically linked]  "
			     "pkg:cargo/serde@1.0.0\n"
			     "        stranger => (crate dependency)  "
			     "pkg:cargo/stranger@1.0.0\n"
			     "    stranger => (compiled in)"));
	if (!strstr(text, "dist/app  unidentified\n    fork"))
		fprintf(stderr, "\n%s\n", text);
	free(text);

	bd_buf_reset(&b);
	CU_ASSERT_EQUAL_FATAL(bd_emit_dot(&g, &fo, &b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b), "crate dependency"));

	bd_buf_reset(&b);
	CU_ASSERT_EQUAL_FATAL(bd_emit_funding(&g, &fo, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "projects"))
	{
		if (!strcmp(str(p, "purl"), "pkg:cargo/stranger")) {
			stranger_how = cJSON_PrintUnformatted(
				cJSON_GetObjectItem(p, "how"));
			CU_ASSERT_EQUAL(
				cJSON_GetObjectItem(p, "artifacts")->valueint,
				1);
		}
	}
	CU_ASSERT_STRING_EQUAL(stranger_how ? stranger_how : "",
			       "[\"direct\"]");
	cJSON_free((void *)stranger_how);
	cJSON_Delete(doc);
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* A Rust binary says its own crates (root) and its list's format; a crate
 * where it came from and its kind. */
static void test_cargo_properties(void)
{
	static const struct bd_cargo_package pkgs[] = {
		{ "app", "0.1.0", "local", false, true, NULL, 0, false },
		{ "serde", "1.0.197", "crates.io", false, false, NULL, 0,
		  false },
		{ "cli", "0.2.0", "local", false, true, NULL, 0, false },
	};
	static const struct bd_cargo_info info = { pkgs, 3, 8 };
	struct bd_graph g;
	cJSON *doc, *app, *derive;
	char *text;

	make_build_graph(&g);
	bd_graph_comp(&g, 0)->cargo = &info;
	CU_ASSERT_STRING_EQUAL(bd_graph_comp(&g, 0)->name, "app");
	bd_graph_comp(&g, 2)->cargo_source = "crates.io";
	bd_graph_comp(&g, 2)->cargo_kind = "build";
	CU_ASSERT_STRING_EQUAL(bd_graph_comp(&g, 2)->name, "serde_derive");
	doc = emit(&g, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	app = component(doc, "app");
	CU_ASSERT_TRUE(has_property(app, "bindep:cargo-root", "app@0.1.0"));
	CU_ASSERT_TRUE(has_property(app, "bindep:cargo-root", "cli@0.2.0"));
	CU_ASSERT_TRUE(has_property(app, "bindep:cargo-format", "8"));
	derive = component(doc, "serde_derive");
	CU_ASSERT_TRUE(
		has_property(derive, "bindep:cargo-source", "crates.io"));
	CU_ASSERT_TRUE(has_property(derive, "bindep:cargo-kind", "build"));
	CU_ASSERT_FALSE(has_property(app, "bindep:cargo-kind", "runtime"));
	cJSON_Delete(doc);
	free(text);
	bd_graph_release(&g);
}

/* tests/unit/test_emit_artifact.c: the emitters on release artifacts. */
void bd_test_register_emit_artifact(void);

void bd_test_register_emit(void)
{
	BD_SUITE("emit", BD_TEST(test_document), BD_TEST(test_cyclonedx_1_7),
		 BD_TEST(test_cyclonedx_external_needs_unknown),
		 BD_TEST(test_cyclonedx_declared_needs_unknown),
		 BD_TEST(test_cyclonedx_empty_artifact_needs_unknown),
		 BD_TEST(test_spdx_document), BD_TEST(test_spdx_license_refs),
		 BD_TEST(test_license_conflicts), BD_TEST(test_spdx3_document),
		 BD_TEST(test_unresolved_properties),
		 BD_TEST(test_spdx3_static_needs_unknown),
		 BD_TEST(test_spdx3_static_link),
		 BD_TEST(test_spdx_declared_needs_unknown),
		 BD_TEST(test_purl_names), BD_TEST(test_funding_purl_names),
		 BD_TEST(test_build_dependency_every_format),
		 BD_TEST(test_cargo_properties),
		 BD_TEST(test_crate_dependencies_every_format),
		 BD_TEST(test_crate_dependencies_cut_every_format),
		 BD_TEST(test_package_note_keys), BD_TEST(test_spdx3_agents),
		 BD_TEST(test_spdx3_uuid), BD_TEST(test_unread_paths),
		 BD_TEST(test_excludes), BD_TEST(test_text_view),
		 BD_TEST(test_text_cycle_and_depth),
		 BD_TEST(test_text_each_library_once), BD_TEST(test_timestamp),
		 BD_TEST(test_utf8_policy), BD_TEST(test_utf8_next),
		 BD_TEST(test_url_ok), BD_TEST(test_percent),
		 BD_TEST(test_refs), BD_TEST(test_json_policy),
		 BD_TEST(test_json_layout), BD_TEST(test_emit_to_a_pipe),
		 BD_TEST(test_emit_invalid_utf8),
		 BD_TEST(test_cyclonedx_evidence_raws), BD_TEST(test_csv_field),
		 BD_TEST(test_funding_hostile_text));
	bd_test_register_emit_artifact();
}
