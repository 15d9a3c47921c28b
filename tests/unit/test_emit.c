/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/emit.h"

#include <cjson/cJSON.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

/* app needs libz (scanned) and libc (unresolved), and dlopens libz and
 * libfido2 (missing) through notes. */
static void make_graph(struct bd_graph *g, struct bd_dlopen_entry *fido,
		       struct bd_dlopen_entry *z)
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
	bd_graph_add_edge(g, app, libz, BD_EDGE_DLOPEN_NOTE, z);
	bd_graph_add_edge(g, app, f, BD_EDGE_DLOPEN_NOTE, fido);
	bd_graph_sort(g);
}

static cJSON *emit(const struct bd_graph *g, const char *serial, char **text)
{
	struct bd_emit_options o = { "demo", "1.0", 1700000000, serial };
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
	const char *alts[] = { "libfido2.so.1", "libfido2.so.0" };
	const char *zs[] = { "libz.so.1" };
	struct bd_dlopen_entry fido = { "fido2", "FIDO2 tokens", "required",
					alts, 2 };
	struct bd_dlopen_entry z = { "zlib", NULL, "suggested", zs, 1 };
	struct bd_graph g;
	cJSON *doc, *app, *deps, *d, *comp;
	char *text, *again, *props;

	make_graph(&g, &fido, &z);
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
	BD_SUITE("emit", BD_TEST(test_document), BD_TEST(test_timestamp));
}
