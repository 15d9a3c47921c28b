/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/emit.h"

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

static cJSON *emit(const struct bd_graph *g, const char *serial, char **text)
{
	struct bd_emit_options o = { .source_name = "demo",
				     .source_version = "1.0",
				     .timestamp = 1700000000,
				     .serial = serial };
	struct bd_buf b = BD_BUF_INIT;
	cJSON *doc;

	CU_ASSERT_EQUAL(bd_emit_cyclonedx(g, &o, &b, NULL), 0);
	doc = cJSON_Parse(bd_buf_str(&b));
	*text = bd_buf_detach(&b, NULL);
	return doc;
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
	CU_ASSERT_STRING_EQUAL(str(app, "supplier"), "");
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

static char *emit_text(const struct bd_graph *g, bool color)
{
	struct bd_emit_options o = { .source_name = "x", .color = color };
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_emit_text(g, &o, &b, NULL), 0);
	return bd_buf_detach(&b, NULL);
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
	text = emit_text(&g, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n        000 => (no path)  "
					    "(see above)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "(deeper levels not shown)\n"));
	CU_ASSERT_PTR_NULL(strstr(text, "199 =>"));
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

void bd_test_register_emit(void)
{
	BD_SUITE("emit", BD_TEST(test_document), BD_TEST(test_spdx_document),
		 BD_TEST(test_text_view), BD_TEST(test_text_cycle_and_depth),
		 BD_TEST(test_timestamp));
}
