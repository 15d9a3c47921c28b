/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/carried.h"
#include "bindep/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WHEEL "dist/w.whl"
#define WHERE WHEEL "!/w-1.0.dist-info/sboms/a.cdx.json"

static void test_which_entries(void)
{
	size_t base;

	CU_ASSERT_TRUE(bd_carried_is_sbom(
		"w-1.0.dist-info/sboms/auditwheel.cdx.json", &base));
	CU_ASSERT_EQUAL(base, 0);
	CU_ASSERT_TRUE(
		bd_carried_is_sbom("w-1.0.dist-info/sboms/x.json", &base));
	/* Ours, a deeper file, no .json, a hidden file: not read. */
	CU_ASSERT_FALSE(bd_carried_is_sbom(
		"w-1.0.dist-info/sboms/bindep-sbom.cdx.json", &base));
	CU_ASSERT_FALSE(
		bd_carried_is_sbom("w-1.0.dist-info/sboms/a/b.json", &base));
	CU_ASSERT_FALSE(
		bd_carried_is_sbom("w-1.0.dist-info/sboms/x.txt", &base));
	CU_ASSERT_FALSE(bd_carried_is_sbom(".cdx.json", &base));
	CU_ASSERT_TRUE(bd_carried_is_sbom("package/sbom.cdx.json", &base));
	CU_ASSERT_EQUAL(base, strlen("package/"));
	CU_ASSERT_TRUE(bd_carried_is_sbom("bom.json", &base));
	CU_ASSERT_EQUAL(base, 0);
	CU_ASSERT_TRUE(bd_carried_is_sbom("rel-1.0/x.spdx.json", &base));
	CU_ASSERT_FALSE(bd_carried_is_sbom("rel-1.0/doc/sbom.json", &base));
	CU_ASSERT_FALSE(bd_carried_is_sbom("package/package.json", &base));
}

static int parse(struct bd_arena *a, const char *text,
		 struct bd_carried_sbom *s, struct bd_error *e)
{
	memset(s, 0, sizeof(*s));
	s->location = WHERE;
	s->base = "";
	return bd_carried_parse(a, text, strlen(text), s, e);
}

/* The size of a test of a cost: n, a hundredth when instrumented (ASan,
 * valgrind), where it is not timed either. */
static unsigned sized(unsigned n)
{
	return bd_test_instrumented() ? n / 100 : n;
}

/* What was quadratic runs in well under 5 s of CPU (it took minutes). */
static void expect_fast(clock_t t0)
{
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - t0 < 5 * CLOCKS_PER_SEC);
}

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UPPER64                                                                \
	"ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"

static void test_parse_cyclonedx(void)
{
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\","
		      "\"metadata\":{\"component\":{\"bom-ref\":\"w\","
		      "\"name\":\"w\"}},\"components\":[{\"bom-ref\":\"w\","
		      "\"name\":\"w\",\"version\":\"1.0\"},{\"bom-ref\":"
		      "\"pkg:rpm/a/z@1#" HEX64 "\",\"name\":\"z\","
		      "\"supplier\":{\"name\":\"Z Inc\"},\"licenses\":[{"
		      "\"license\":{\"id\":\"Zlib\"}},{\"license\":{\"name\":"
		      "\"Custom\"}}],\"hashes\":[{\"alg\":\"SHA-256\","
		      "\"content\":\"" UPPER64 "\"}],\"evidence\":{"
		      "\"occurrences\":[{\"location\":\"./lib/z.so\"}]},"
		      "\"components\":[{\"name\":\"inner\"}]}]}",
		      &s, &e),
		0);
	CU_ASSERT_STRING_EQUAL(s.format, "CycloneDX 1.4");
	/* The described one is listed once, the nested one followed. */
	CU_ASSERT_EQUAL_FATAL(s.ncomps, 3);
	CU_ASSERT_TRUE(s.comps[0].described);
	CU_ASSERT_STRING_EQUAL(s.comps[0].version, "1.0");
	CU_ASSERT_FALSE(s.comps[1].described);
	CU_ASSERT_STRING_EQUAL(s.comps[1].host_path_hash, HEX64);
	CU_ASSERT_STRING_EQUAL(s.comps[1].supplier, "Z Inc");
	CU_ASSERT_STRING_EQUAL(s.comps[1].license, "Zlib");
	CU_ASSERT_STRING_EQUAL(s.comps[1].license_other, "Custom");
	CU_ASSERT_STRING_EQUAL(
		s.comps[1].sha256,
		"abcdef0123456789abcdef0123456789abcdef0123456789"
		"abcdef0123456789");
	CU_ASSERT_EQUAL_FATAL(s.comps[1].npaths, 1);
	CU_ASSERT_STRING_EQUAL(s.comps[1].paths[0], "lib/z.so");
	CU_ASSERT_STRING_EQUAL(s.comps[2].name, "inner");
	bd_arena_release(&a);
}

static void test_parse_spdx(void)
{
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"spdxVersion\":\"SPDX-2.3\",\"relationships\":[{"
		      "\"spdxElementId\":\"SPDXRef-DOCUMENT\","
		      "\"relationshipType\":\"DESCRIBES\","
		      "\"relatedSpdxElement\":\"SPDXRef-p\"}],\"packages\":[{"
		      "\"SPDXID\":\"SPDXRef-p\",\"name\":\"p\",\"versionInfo\":"
		      "\"2\",\"supplier\":\"Organization: P\","
		      "\"licenseDeclared\":\"MIT OR Apache-2.0\","
		      "\"externalRefs\":[{\"referenceType\":\"purl\","
		      "\"referenceLocator\":\"pkg:generic/p@2\"}]},{\"SPDXID\":"
		      "\"SPDXRef-q\",\"name\":\"q\",\"licenseConcluded\":"
		      "\"LicenseRef-q\"}],\"files\":[{\"SPDXID\":\"SPDXRef-f\","
		      "\"fileName\":\"./bin/f\",\"checksums\":[{\"algorithm\":"
		      "\"SHA256\",\"checksumValue\":\"" HEX64 "\"}]}]}",
		      &s, &e),
		0);
	CU_ASSERT_STRING_EQUAL(s.format, "SPDX-2.3");
	CU_ASSERT_EQUAL_FATAL(s.ncomps, 3);
	CU_ASSERT_TRUE(s.comps[0].described);
	CU_ASSERT_STRING_EQUAL(s.comps[0].supplier, "P");
	CU_ASSERT_STRING_EQUAL(s.comps[0].purl, "pkg:generic/p@2");
	CU_ASSERT_STRING_EQUAL(s.comps[0].license, "MIT OR Apache-2.0");
	/* A LicenseRef is the other document's: kept apart. */
	CU_ASSERT_PTR_NULL(s.comps[1].license);
	CU_ASSERT_STRING_EQUAL(s.comps[1].license_other, "LicenseRef-q");
	CU_ASSERT_TRUE(s.comps[2].is_file);
	CU_ASSERT_STRING_EQUAL(s.comps[2].name, "f");
	CU_ASSERT_STRING_EQUAL(s.comps[2].paths[0], "bin/f");
	CU_ASSERT_STRING_EQUAL(s.comps[2].sha256, HEX64);
	bd_arena_release(&a);
}

/* SPDX 2.3, 11.1: "A DESCRIBED_BY SPDXRef-DOCUMENT" says what
 * "SPDXRef-DOCUMENT DESCRIBES A" says. */
static void test_parse_spdx_described_by(void)
{
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"spdxVersion\":\"SPDX-2.3\",\"relationships\":[{"
		      "\"spdxElementId\":\"SPDXRef-w\",\"relationshipType\":"
		      "\"DESCRIBED_BY\",\"relatedSpdxElement\":"
		      "\"SPDXRef-DOCUMENT\"},{\"spdxElementId\":\"SPDXRef-z\","
		      "\"relationshipType\":\"DESCRIBED_BY\","
		      "\"relatedSpdxElement\":\"SPDXRef-w\"}],\"packages\":[{"
		      "\"SPDXID\":\"SPDXRef-w\",\"name\":\"w\"},{\"SPDXID\":"
		      "\"SPDXRef-z\",\"name\":\"z\"}]}",
		      &s, &e),
		0);
	CU_ASSERT_EQUAL_FATAL(s.ncomps, 2);
	CU_ASSERT_TRUE(s.comps[0].described);
	/* Described by another element, not by the document. */
	CU_ASSERT_FALSE(s.comps[1].described);
	bd_arena_release(&a);
}

static void expect_string(const char *got, const char *want)
{
	if (!want) {
		CU_ASSERT_PTR_NULL(got);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, want);
}

/* A CycloneDX document of one component with these licences and purl,
 * parsed into s (a's). */
static void parse_component(struct bd_arena *a, const char *licenses,
			    const char *purl, struct bd_carried_sbom *s)
{
	struct bd_error e;
	char doc[1024];

	snprintf(doc, sizeof(doc),
		 "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
		 "\"components\":[{\"name\":\"c\",\"licenses\":%s,"
		 "\"purl\":\"%s\"}]}",
		 licenses, purl);
	bd_arena_init(a);
	CU_ASSERT_EQUAL_FATAL(parse(a, doc, s, &e), 0);
	CU_ASSERT_EQUAL_FATAL(s->ncomps, 1);
}

/* One component's licences and purl as the reader keeps them. */
static void expect_component(const char *licenses, const char *purl,
			     const char *license, const char *other,
			     const char *want_purl)
{
	struct bd_carried_sbom s;
	struct bd_arena a;

	parse_component(&a, licenses, purl, &s);
	expect_string(s.comps[0].license, license);
	expect_string(s.comps[0].license_other, other);
	expect_string(s.comps[0].purl, want_purl);
	bd_arena_release(&a);
}

/* SPDX 2.3, 7.21 and Annex F: a package may have several externalRefs of
 * type purl; one that does not parse does not hide the next. */
static void test_parse_spdx_purls(void)
{
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{\"SPDXID\":"
		      "\"SPDXRef-p\",\"name\":\"p\",\"externalRefs\":[{"
		      "\"referenceCategory\":\"PACKAGE-MANAGER\","
		      "\"referenceType\":\"purl\",\"referenceLocator\":"
		      "\"p@2\"},{\"referenceCategory\":\"PACKAGE-MANAGER\","
		      "\"referenceType\":\"purl\",\"referenceLocator\":"
		      "\"pkg:generic/p@2\"}]}]}",
		      &s, &e),
		0);
	CU_ASSERT_EQUAL_FATAL(s.ncomps, 1);
	expect_string(s.comps[0].purl, "pkg:generic/p@2");
	bd_arena_release(&a);
}

/* NOASSERTION and NONE are SPDX's words for no value (SPDX 2.3, 3.x and
 * 7.x): a versionInfo so written is no version (a component of version
 * "NOASSERTION", or a conflict with ours). */
static void test_parse_spdx_no_version(void)
{
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"spdxVersion\":\"SPDX-2.2\",\"packages\":[{\"SPDXID\":"
		      "\"SPDXRef-p\",\"name\":\"p\",\"versionInfo\":"
		      "\"NOASSERTION\"},{\"SPDXID\":\"SPDXRef-q\",\"name\":"
		      "\"q\",\"versionInfo\":\"NONE\"},{\"SPDXID\":"
		      "\"SPDXRef-r\",\"name\":\"r\",\"versionInfo\":\"1\"}]}",
		      &s, &e),
		0);
	CU_ASSERT_EQUAL_FATAL(s.ncomps, 3);
	CU_ASSERT_PTR_NULL(s.comps[0].version);
	CU_ASSERT_PTR_NULL(s.comps[1].version);
	expect_string(s.comps[2].version, "1");
	bd_arena_release(&a);
}

#define EXPR(x) "[{\"expression\":\"" x "\"}]"

/* One CycloneDX component's licences: the expression kept, and whether it
 * is a conclusion. */
static void expect_acknowledged(const char *licenses, const char *license,
				bool concluded)
{
	struct bd_carried_sbom s;
	struct bd_arena a;

	parse_component(&a, licenses, "pkg:generic/c@1", &s);
	expect_string(s.comps[0].license, license);
	CU_ASSERT_EQUAL(s.comps[0].license_concluded, concluded);
	bd_arena_release(&a);
}

/* CycloneDX 1.6 acknowledgement and SPDX 2.3 licenseConcluded (7.13): a
 * licence someone concluded is said to be concluded, not declared; a
 * declared and a concluded licence are two statements, never joined. */
static void test_concluded_licences(void)
{
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;

	expect_acknowledged("[{\"expression\":\"MIT\",\"acknowledgement\":"
			    "\"concluded\"}]",
			    "MIT", true);
	expect_acknowledged("[{\"license\":{\"id\":\"Zlib\","
			    "\"acknowledgement\":\"concluded\"}}]",
			    "Zlib", true);
	expect_acknowledged("[{\"license\":{\"id\":\"Zlib\"}}]", "Zlib", false);
	expect_acknowledged("[{\"expression\":\"MIT OR ISC\","
			    "\"acknowledgement\":\"declared\"}]",
			    "MIT OR ISC", false);
	/* Declared first, whatever the order; the only declared one alone
	 * is not parenthesised as one of several. */
	expect_acknowledged("[{\"expression\":\"Apache-2.0\","
			    "\"acknowledgement\":\"concluded\"},{"
			    "\"expression\":\"MIT OR ISC\","
			    "\"acknowledgement\":\"declared\"}]",
			    "MIT OR ISC", false);
	expect_acknowledged("[{\"license\":{\"id\":\"MIT\","
			    "\"acknowledgement\":\"concluded\"}},{\"license\":"
			    "{\"id\":\"ISC\",\"acknowledgement\":"
			    "\"concluded\"}}]",
			    "MIT AND ISC", true);

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{\"SPDXID\":"
		      "\"SPDXRef-p\",\"name\":\"p\",\"licenseDeclared\":"
		      "\"NOASSERTION\",\"licenseConcluded\":\"Apache-2.0\"},{"
		      "\"SPDXID\":\"SPDXRef-q\",\"name\":\"q\","
		      "\"licenseDeclared\":\"MIT\",\"licenseConcluded\":"
		      "\"Apache-2.0\"}]}",
		      &s, &e),
		0);
	CU_ASSERT_EQUAL_FATAL(s.ncomps, 2);
	expect_string(s.comps[0].license, "Apache-2.0");
	CU_ASSERT_TRUE(s.comps[0].license_concluded);
	expect_string(s.comps[1].license, "MIT");
	CU_ASSERT_FALSE(s.comps[1].license_concluded);
	bd_arena_release(&a);
}

static void test_licences_and_purls(void)
{
	const char *p = "pkg:generic/c@1";

	expect_component(EXPR("(MIT OR Apache-2.0) AND BSD-3-Clause"), p,
			 "(MIT OR Apache-2.0) AND BSD-3-Clause", NULL, p);
	expect_component(EXPR("GPL-2.0-or-later WITH Classpath-exception-2.0"),
			 p, "GPL-2.0-or-later WITH Classpath-exception-2.0",
			 NULL, p);
	expect_component(EXPR("GPL-2.0+"), p, "GPL-2.0+", NULL, p);
	/* Not an expression: kept apart, never as SPDX's licenseDeclared. */
	expect_component(EXPR("MIT OR"), p, NULL, "MIT OR", p);
	expect_component(EXPR("MIT AND AND BSD"), p, NULL, "MIT AND AND BSD",
			 p);
	expect_component(EXPR("(MIT"), p, NULL, "(MIT", p);
	expect_component(EXPR("mit or apache"), p, NULL, "mit or apache", p);
	expect_component(EXPR("WITH"), p, NULL, "WITH", p);
	expect_component(EXPR("MIT WITH"), p, NULL, "MIT WITH", p);
	expect_component(EXPR("LicenseRef-x"), p, NULL, "LicenseRef-x", p);
	expect_component(EXPR("((((((((((((((((((MIT))))))))))))))))))"), p,
			 NULL, "((((((((((((((((((MIT))))))))))))))))))", p);
	/* Several: one expression, each expression in parentheses. */
	expect_component("[{\"license\":{\"id\":\"MIT\"}},{\"expression\":"
			 "\"Zlib OR BSD-2-Clause\"}]",
			 p, "MIT AND (Zlib OR BSD-2-Clause)", NULL, p);
	/* An id that holds an expression (their tools write one there) is
	 * parenthesised too: "MIT OR Apache-2.0 AND GPL-2.0-only" would
	 * read as MIT OR (Apache-2.0 AND GPL-2.0-only) (SPDX 2.3, D.4.1:
	 * AND binds tighter than OR). */
	expect_component("[{\"license\":{\"id\":\"MIT OR Apache-2.0\"}},"
			 "{\"license\":{\"id\":\"GPL-2.0-only\"}}]",
			 p, "(MIT OR Apache-2.0) AND GPL-2.0-only", NULL, p);
	/* Parentheses stand for the white space round AND and OR (SPDX
	 * 2.3, D.3): compound with no space, it is parenthesised all the
	 * same, else Zlib AND (MIT)OR(Apache-2.0) would be (Zlib AND MIT)
	 * OR Apache-2.0. */
	expect_component("[{\"license\":{\"id\":\"Zlib\"}},{\"expression\":"
			 "\"(MIT)OR(Apache-2.0)\"}]",
			 p, "Zlib AND ((MIT)OR(Apache-2.0))", NULL, p);
	expect_component("[{\"license\":{\"id\":\"(MIT)OR(Zlib)\"}},"
			 "{\"license\":{\"id\":\"GPL-2.0-only\"}}]",
			 p, "((MIT)OR(Zlib)) AND GPL-2.0-only", NULL, p);
	/* Their purls in canonical form; one that does not parse, dropped. */
	expect_component("[]", "pkg:PyPI/Foo_Bar@1.0", NULL, NULL,
			 "pkg:pypi/foo-bar@1.0");
	expect_component("[]", "pkg:deb/debian/x@1.0+b1?distro=d&arch=amd64",
			 NULL, NULL,
			 "pkg:deb/debian/x@1.0%2Bb1?arch=amd64&distro=d");
	expect_component("[]", "pkg:", NULL, NULL, NULL);
	expect_component("[]", "not a purl", NULL, NULL, NULL);
}

static void expect_refused(const char *text, size_t len, int code,
			   const char *msg)
{
	struct bd_carried_sbom s = { 0 };
	struct bd_arena a;
	struct bd_error e;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL(bd_carried_parse(&a, text, len, &s, &e), code);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, msg));
	CU_ASSERT_EQUAL(s.ncomps, 0);
	bd_arena_release(&a);
}

static void test_parse_hostile(void)
{
	size_t n = 3 * 300000 + 2, i;
	char *wide = malloc(n + 1);

	expect_refused("nope", 4, BD_EFORMAT, "not JSON");
	expect_refused("{\"a\":1}", 7, BD_EFORMAT, "not a CycloneDX");
	expect_refused("{\"bomFormat\":\"CycloneDX\"}", 25, BD_EFORMAT,
		       "not a CycloneDX");
	expect_refused("{\"spdxVersion\":\"SPDX-3.0\"}", 26, BD_EFORMAT,
		       "not a CycloneDX");
	expect_refused("{\"x\":\"\xc3\x28\"}", 10, BD_EFORMAT, "UTF-8");
	expect_refused("{\"x\":1}\0", 8, BD_EFORMAT, "UTF-8");
	CU_ASSERT_PTR_NOT_NULL_FATAL(wide);
	wide[0] = '[';
	for (i = 0; i < 300000; i++)
		memcpy(wide + 1 + 3 * i, "[],", 3);
	wide[n - 2] = ']';
	wide[n - 1] = '\0';
	expect_refused(wide, n - 1, BD_ELIMIT, "more than");
	expect_refused(wide, BD_CARRIED_MAX_BYTES + 1, BD_ELIMIT,
		       "larger than");
	free(wide);
}

/* SPDX: whether each package is described was a search of the whole
 * documentDescribes and relationships for each package: 20000 packages
 * and 700000 short strings there (3 MiB) took 64 s of CPU. */
static void test_parse_spdx_many_described(void)
{
	struct bd_buf doc = BD_BUF_INIT;
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;
	clock_t t0;
	unsigned i;

	bd_buf_adds(&doc, "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[");
	for (i = 0; i < sized(BD_CARRIED_MAX_COMPONENTS); i++)
		bd_buf_printf(&doc, "%s{\"SPDXID\":\"p%u\"}", i ? "," : "", i);
	bd_buf_adds(&doc, "],\"relationships\":[{\"spdxElementId\":"
			  "\"SPDXRef-DOCUMENT\",\"relationshipType\":"
			  "\"DESCRIBES\",\"relatedSpdxElement\":\"p7\"}],"
			  "\"documentDescribes\":[");
	for (i = 0; i < sized(700000); i++)
		bd_buf_adds(&doc, "\"x\",");
	bd_buf_adds(&doc, "\"p3\"]}");
	CU_ASSERT_TRUE_FATAL(bd_buf_ok(&doc));
	bd_arena_init(&a);
	memset(&s, 0, sizeof(s));
	t0 = clock();
	CU_ASSERT_EQUAL_FATAL(bd_carried_parse(&a, doc.data, doc.len, &s, &e),
			      0);
	expect_fast(t0);
	CU_ASSERT_EQUAL_FATAL(s.ncomps, sized(BD_CARRIED_MAX_COMPONENTS));
	for (i = 0; i < s.ncomps; i++)
		CU_ASSERT_EQUAL(s.comps[i].described, i == 3 || i == 7);
	bd_arena_release(&a);
	bd_buf_release(&doc);
}

/* CycloneDX: 180000 licences on one component (3.6 MiB): the array's size
 * was counted again for each (93 s of CPU). Joined they are longer than a
 * field may be: none is taken. */
static void test_parse_many_licences(void)
{
	struct bd_buf doc = BD_BUF_INIT;
	struct bd_carried_sbom s;
	struct bd_arena a;
	struct bd_error e;
	clock_t t0;
	unsigned i;

	bd_buf_adds(&doc, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":"
			  "\"1.6\",\"components\":[{\"name\":\"x\","
			  "\"licenses\":[");
	for (i = 0; i < sized(180000); i++)
		bd_buf_adds(&doc, "{\"expression\":\"MIT\"},");
	bd_buf_adds(&doc, "{\"license\":{\"id\":\"ISC\"}}]}]}");
	CU_ASSERT_TRUE_FATAL(bd_buf_ok(&doc));
	bd_arena_init(&a);
	memset(&s, 0, sizeof(s));
	t0 = clock();
	CU_ASSERT_EQUAL_FATAL(bd_carried_parse(&a, doc.data, doc.len, &s, &e),
			      0);
	expect_fast(t0);
	CU_ASSERT_EQUAL_FATAL(s.ncomps, 1);
	CU_ASSERT_PTR_NULL(s.comps[0].license);
	bd_arena_release(&a);
	bd_buf_release(&doc);
}

/* A graph with a wheel holding an extension and a grafted library. */
static void wheel_graph(struct bd_graph *g, uint32_t *wheel, uint32_t *ext,
			uint32_t *lib)
{
	bd_graph_init(g);
	CU_ASSERT_EQUAL_FATAL(
		bd_graph_add(g, "artifact", BD_COMP_ARTIFACT, wheel), 0);
	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, "ext", BD_COMP_LIBRARY, ext), 0);
	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, "lib", BD_COMP_LIBRARY, lib), 0);
	bd_graph_comp(g, *wheel)->name = "w";
	bd_graph_comp(g, *wheel)->version = "1.0";
	bd_graph_comp(g, *wheel)->purl = "pkg:pypi/w@1.0";
	bd_graph_comp(g, *wheel)->nids = 1;
	bd_graph_comp(g, *wheel)->ids[0] = (struct bd_identity){
		"purl", "pkg:pypi/w@1.0", "manifest-analysis", "METADATA", 1.0,
		NULL
	};
	bd_graph_add_path(g, *wheel, WHEEL);
	bd_graph_comp(g, *ext)->name = "_x.so";
	bd_graph_comp(g, *ext)->version = "1.0";
	strcpy(bd_graph_comp(g, *ext)->sha256, HEX64);
	bd_graph_add_path(g, *ext, WHEEL "!/w/_x.so");
	bd_graph_comp(g, *lib)->name = "libz-0a1b2c3d.so.1";
	bd_graph_add_path(g, *lib, WHEEL "!/w.libs/libz-0a1b2c3d.so.1");
}

/* The wheel_graph with doc, parsed into a (initialised here), merged
 * into it: the ids of its wheel, extension and grafted library. */
static void merged_into_wheel(struct bd_arena *a, const char *doc,
			      struct bd_graph *g, uint32_t *wheel,
			      uint32_t *ext, uint32_t *lib)
{
	struct bd_carried_sbom s;
	struct bd_error e;

	bd_arena_init(a);
	CU_ASSERT_EQUAL_FATAL(parse(a, doc, &s, &e), 0);
	wheel_graph(g, wheel, ext, lib);
	CU_ASSERT_EQUAL_FATAL(bd_carried_merge(g, *wheel, WHEEL "!/", &s), 0);
}

static const char *property(const struct bd_component *c, const char *name)
{
	size_t i;

	for (i = 0; c->carried && i < c->carried->nprops; i++)
		if (!strcmp(c->carried->props[i].key, name))
			return c->carried->props[i].value;
	return NULL;
}

static void test_merge(void)
{
	char host[65], doc[2048];
	struct bd_graph g;
	struct bd_arena a;
	uint32_t wheel, ext, lib, id;
	const struct bd_component *c;

	CU_ASSERT_EQUAL_FATAL(bd_sha256_hex("/usr/lib64/libz.so.1", 20, host),
			      0);
	snprintf(doc, sizeof(doc),
		 "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\","
		 "\"metadata\":{\"component\":{\"name\":\"w\",\"version\":"
		 "\"1.0\",\"purl\":\"pkg:pypi/w@1.0?file_name=w.whl\"}},"
		 "\"components\":[{\"bom-ref\":\"pkg:rpm/alma/zlib@1.2#%s\","
		 "\"name\":\"zlib\",\"version\":\"1.2\",\"purl\":"
		 "\"pkg:rpm/alma/zlib@1.2\"},{\"name\":\"x\",\"version\":"
		 "\"2.0\",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"" HEX64
		 "\"}]},{\"name\":\"only\",\"purl\":\"pkg:npm/only@3\"},"
		 "{\"name\":\"only again\",\"purl\":\"pkg:npm/only@3\"}]}",
		 host);
	merged_into_wheel(&a, doc, &g, &wheel, &ext, &lib);

	/* The grafted library, by its host path's hash. */
	c = bd_graph_comp_const(&g, lib);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:rpm/alma/zlib@1.2");
	CU_ASSERT_STRING_EQUAL(c->version, "1.2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->carried);
	CU_ASSERT_EQUAL_FATAL(c->carried->in.n, 1);
	CU_ASSERT_STRING_EQUAL(c->carried->in.items[0], WHERE);
	CU_ASSERT_STRING_EQUAL(property(c, "bindep:embedded:name"), "zlib");
	CU_ASSERT_EQUAL_FATAL(c->nids, 2);
	CU_ASSERT_STRING_EQUAL(c->ids[0].technique, "attestation");

	/* The extension, by hash: our version stays, theirs is a conflict. */
	c = bd_graph_comp_const(&g, ext);
	CU_ASSERT_STRING_EQUAL(c->version, "1.0");
	CU_ASSERT_STRING_EQUAL(property(c, "bindep:conflict:version"), "2.0");

	/* The wheel: corroborated, their purl kept beside ours. */
	c = bd_graph_comp_const(&g, wheel);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:pypi/w@1.0");
	CU_ASSERT_STRING_EQUAL(c->ids[0].attested, WHERE);
	CU_ASSERT_STRING_EQUAL(property(c, "bindep:embedded:purl"),
			       "pkg:pypi/w@1.0?file_name=w.whl");
	CU_ASSERT_PTR_NULL(property(c, "bindep:conflict:version"));

	/* Only theirs, once for its two entries, held by the wheel. */
	CU_ASSERT_EQUAL(g.ncomps, 4);
	CU_ASSERT_TRUE_FATAL(bd_graph_find(&g, "declared:pkg:npm/only@3", &id));
	c = bd_graph_comp_const(&g, id);
	CU_ASSERT_EQUAL(c->kind, BD_COMP_DECLARED);
	CU_ASSERT_STRING_EQUAL(c->name, "only");
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:npm/only@3");
	CU_ASSERT_EQUAL_FATAL(g.nedges, 1);
	CU_ASSERT_EQUAL(g.edges[0].from, wheel);
	CU_ASSERT_EQUAL(g.edges[0].to, id);
	CU_ASSERT_EQUAL(g.edges[0].kind, BD_EDGE_CONTAINS);
	bd_graph_release(&g);
	bd_arena_release(&a);
}

/* An SBOM that lists the wheel among its components, without saying it
 * describes it (no metadata.component, as an environment's SBOM): that
 * entry is the wheel, not a second component of it that it holds. */
static void test_merge_carrier_listed(void)
{
	struct bd_graph g;
	struct bd_arena a;
	uint32_t wheel, ext, lib, id;
	const struct bd_component *c;

	merged_into_wheel(
		&a,
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
		"\"components\":[{\"name\":\"W\",\"version\":\"1.0\","
		"\"purl\":\"pkg:pypi/W@1.0?file_name=w.whl\","
		"\"licenses\":[{\"license\":{\"id\":\"MIT\"}}]}]}",
		&g, &wheel, &ext, &lib);
	CU_ASSERT_FALSE(bd_graph_find(
		&g, "declared:pkg:pypi/w@1.0?file_name=w.whl", &id));
	CU_ASSERT_EQUAL(g.ncomps, 3);
	CU_ASSERT_EQUAL(g.nedges, 0);
	c = bd_graph_comp_const(&g, wheel);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->carried);
	expect_string(c->license, "MIT");
	bd_graph_release(&g);
	bd_arena_release(&a);
}

/* By path: relative to the SBOM's base, or to the artifact's top. */
static void test_merge_by_path(void)
{
	struct bd_carried_sbom s;
	struct bd_graph g;
	struct bd_arena a;
	struct bd_error e;
	uint32_t wheel, ext, lib;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"spdxVersion\":\"SPDX-2.3\",\"files\":[{\"fileName\":"
		      "\"./_x.so\",\"licenseConcluded\":\"MIT\"},{\"fileName\":"
		      "\"w.libs/libz-0a1b2c3d.so.1\"},{\"fileName\":\"README\"}"
		      "]}",
		      &s, &e),
		0);
	s.base = "w/";
	wheel_graph(&g, &wheel, &ext, &lib);
	CU_ASSERT_EQUAL_FATAL(bd_carried_merge(&g, wheel, WHEEL "!/", &s), 0);
	CU_ASSERT_STRING_EQUAL(bd_graph_comp_const(&g, ext)->license, "MIT");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bd_graph_comp_const(&g, lib)->carried);
	CU_ASSERT_EQUAL(bd_graph_comp_const(&g, lib)->carried->in.n, 1);
	/* An SPDX file that is none of ours is not added. */
	CU_ASSERT_EQUAL(g.ncomps, 3);
	CU_ASSERT_PTR_NULL(bd_graph_comp_const(&g, wheel)->carried);
	bd_graph_release(&g);
	bd_arena_release(&a);
}

/* The extension of wheel_graph, with our licence ours (and its stated
 * conflicts), once an SPDX document whose one file, _x.so, is concluded
 * theirs is merged into the wheel. Released by the caller: g and a. */
static struct bd_component *
merged_with_license(struct bd_graph *g, struct bd_arena *a, const char *theirs,
		    const char *ours, const char **conflicts, size_t nconflicts)
{
	char doc[512];
	struct bd_carried_sbom s;
	struct bd_error e;
	struct bd_component *c;
	uint32_t wheel, ext, lib;

	snprintf(doc, sizeof(doc),
		 "{\"spdxVersion\":\"SPDX-2.3\",\"files\":[{"
		 "\"fileName\":\"./_x.so\",\"licenseConcluded\":"
		 "\"%s\"}]}",
		 theirs);
	bd_arena_init(a);
	CU_ASSERT_EQUAL_FATAL(parse(a, doc, &s, &e), 0);
	s.base = "w/";
	wheel_graph(g, &wheel, &ext, &lib);
	c = bd_graph_comp(g, ext);
	c->license = ours;
	c->license_conflicts = conflicts;
	c->nlicense_conflicts = nconflicts;
	CU_ASSERT_EQUAL_FATAL(bd_carried_merge(g, wheel, WHEEL "!/", &s), 0);
	return bd_graph_comp(g, ext);
}

/* The licences of ours its own licence strings said, disagreeing (their
 * AND is ours, each a bindep:conflict:license, ident.c): an SBOM that
 * says one of them is no new conflict, said once; another licence is. */
static void test_merge_stated_conflicts(void)
{
	static const char *each[] = { "LGPL-2.1-or-later", "GPL-2.0-or-later" };
	static const char *const theirs[] = { "GPL-2.0-or-later", "MIT" };
	struct bd_graph g;
	struct bd_arena a;
	struct bd_component *c;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(theirs); i++) {
		c = merged_with_license(
			&g, &a, theirs[i],
			"LGPL-2.1-or-later AND GPL-2.0-or-later", each, 2);
		CU_ASSERT_STRING_EQUAL(
			c->license, "LGPL-2.1-or-later AND GPL-2.0-or-later");
		expect_string(property(c, "bindep:conflict:license"),
			      i ? "MIT" : NULL);
		bd_graph_release(&g);
		bd_arena_release(&a);
	}
}

/* Their licence the same as ours in another order of AND's or OR's
 * operands, or another case of the list's identifiers, is no conflict
 * (SPDX 2.3 D.4: both operators commute); another expression is, the
 * same words under another operator included. */
static void test_merge_license_reordered(void)
{
	static const struct {
		const char *theirs, *conflict;
	} cases[] = {
		{ "BSD-3-Clause AND MIT", NULL },
		{ "bsd-3-clause AND (Zlib OR mit)", NULL },
		{ "BSD-3-Clause OR MIT OR Zlib",
		  "BSD-3-Clause OR MIT OR Zlib" },
		{ "MIT AND Zlib", "MIT AND Zlib" },
	};
	struct bd_graph g;
	struct bd_arena a;
	struct bd_component *c;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(cases); i++) {
		c = merged_with_license(
			&g, &a, cases[i].theirs,
			i == 1 ? "(MIT OR Zlib) AND BSD-3-Clause"
			       : "MIT AND BSD-3-Clause",
			NULL, 0);
		/* Ours stays as it was written. */
		CU_ASSERT_STRING_EQUAL(c->license,
				       i == 1 ? "(MIT OR Zlib) AND BSD-3-Clause"
					      : "MIT AND BSD-3-Clause");
		expect_string(property(c, "bindep:conflict:license"),
			      cases[i].conflict);
		bd_graph_release(&g);
		bd_arena_release(&a);
	}
}

/* A hostile SBOM whose 20000 entries all name one file, each with its own
 * version, purl and licence: the file keeps at most BD_CARRIED_MAX_PROPS
 * of their statements, the last saying that more were dropped (each was
 * checked against all kept before: 8 s for this one 4 MiB SBOM, hours
 * for the run's 64 MiB of them). */
static void test_merge_many_on_one_file(void)
{
	struct bd_carried_sbom s;
	struct bd_graph g;
	struct bd_arena a;
	struct bd_error e;
	struct bd_buf doc = BD_BUF_INIT;
	uint32_t wheel, ext, lib;
	const struct bd_component *c;
	unsigned i;

	bd_buf_adds(&doc, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":"
			  "\"1.6\",\"components\":[");
	for (i = 0; i < sized(BD_CARRIED_MAX_COMPONENTS); i++)
		bd_buf_printf(&doc,
			      "%s{\"name\":\"n%u\",\"version\":\"%u\","
			      "\"purl\":\"pkg:generic/p%u@%u\",\"licenses\":[{"
			      "\"license\":{\"id\":\"L%u\"}}],\"evidence\":{"
			      "\"occurrences\":[{\"location\":\"w/_x.so\"}]}}",
			      i ? "," : "", i, i, i, i, i);
	bd_buf_adds(&doc, "]}");
	CU_ASSERT_TRUE_FATAL(bd_buf_ok(&doc));
	bd_arena_init(&a);
	memset(&s, 0, sizeof(s));
	s.location = WHERE;
	s.base = "";
	CU_ASSERT_EQUAL_FATAL(bd_carried_parse(&a, doc.data, doc.len, &s, &e),
			      0);
	CU_ASSERT_EQUAL_FATAL(s.ncomps, sized(BD_CARRIED_MAX_COMPONENTS));
	wheel_graph(&g, &wheel, &ext, &lib);
	CU_ASSERT_EQUAL_FATAL(bd_carried_merge(&g, wheel, WHEEL "!/", &s), 0);
	c = bd_graph_comp_const(&g, ext);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->carried);
	CU_ASSERT_EQUAL_FATAL(c->carried->nprops, BD_CARRIED_MAX_PROPS);
	/* The first ones, in document order; the last says the rest. */
	CU_ASSERT_STRING_EQUAL(property(c, "bindep:conflict:version"), "0");
	CU_ASSERT_STRING_EQUAL(c->carried->props[BD_CARRIED_MAX_PROPS - 1].key,
			       "bindep:embedded:truncated");
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:generic/p0@0");
	CU_ASSERT_EQUAL(c->carried->in.n, 1);
	CU_ASSERT_EQUAL(g.ncomps, 3);
	bd_graph_release(&g);
	bd_arena_release(&a);
	bd_buf_release(&doc);
}

/* 16 SBOMs in one artifact, 20000 components each that only they list:
 * each edge from the artifact was checked against all its edges before
 * (16 s of CPU for an 800 KB tarball). Merged twice, each once. */
static void test_merge_many_declared(void)
{
	struct bd_carried_sbom s;
	struct bd_graph g;
	struct bd_arena a;
	struct bd_error e;
	uint32_t wheel, ext, lib;
	clock_t t0;
	unsigned k, i;

	bd_arena_init(&a);
	wheel_graph(&g, &wheel, &ext, &lib);
	t0 = clock();
	for (k = 0; k < 16; k++) {
		struct bd_buf doc = BD_BUF_INIT;

		bd_buf_adds(&doc, "{\"bomFormat\":\"CycloneDX\","
				  "\"specVersion\":\"1.6\",\"components\":[");
		for (i = 0; i < sized(BD_CARRIED_MAX_COMPONENTS); i++)
			bd_buf_printf(&doc,
				      "%s{\"name\":\"c\",\"purl\":"
				      "\"pkg:generic/s%uc%u@1\"}",
				      i ? "," : "", k, i);
		bd_buf_adds(&doc, "]}");
		CU_ASSERT_TRUE_FATAL(bd_buf_ok(&doc));
		memset(&s, 0, sizeof(s));
		s.location = bd_arena_printf(&a, WHEEL "!/s%u.cdx.json", k);
		s.base = "";
		CU_ASSERT_EQUAL_FATAL(
			bd_carried_parse(&a, doc.data, doc.len, &s, &e), 0);
		CU_ASSERT_EQUAL_FATAL(
			bd_carried_merge(&g, wheel, WHEEL "!/", &s), 0);
		if (k == 15)
			CU_ASSERT_EQUAL_FATAL(
				bd_carried_merge(&g, wheel, WHEEL "!/", &s), 0);
		bd_buf_release(&doc);
	}
	expect_fast(t0);
	CU_ASSERT_EQUAL(g.ncomps, 3 + 16 * sized(BD_CARRIED_MAX_COMPONENTS));
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
	CU_ASSERT_EQUAL(g.nedges, 16 * sized(BD_CARRIED_MAX_COMPONENTS));
	bd_graph_release(&g);
	bd_arena_release(&a);
}

/* 200 SBOMs in a wheel of 5000 files, each naming a library by
 * auditwheel's host-path hash: the carrier's files were indexed again for
 * each SBOM (5000 files x 18 directories hashed: 18 s for the run), now
 * once per artifact (bd_carried_index). The last one matches its file. */
static void test_merge_many_sboms_one_index(void)
{
	struct bd_carried_index *x = bd_carried_index_new();
	char host[65], doc[512], path[64], last[64];
	unsigned nfiles = sized(5000), nsboms = sized(200);
	struct bd_carried_sbom s;
	struct bd_graph g;
	struct bd_arena a;
	struct bd_error e;
	uint32_t wheel, id;
	clock_t t0;
	unsigned i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	bd_arena_init(&a);
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(
		bd_graph_add(&g, "artifact", BD_COMP_ARTIFACT, &wheel), 0);
	bd_graph_add_path(&g, wheel, WHEEL);
	for (i = 0; i < nfiles; i++) {
		char key[32];

		snprintf(key, sizeof(key), "f%u", i);
		snprintf(path, sizeof(path), WHEEL "!/w.libs/l%u-0a1b2c3d.so.1",
			 i);
		CU_ASSERT_EQUAL_FATAL(
			bd_graph_add(&g, key, BD_COMP_LIBRARY, &id), 0);
		bd_graph_add_path(&g, id, path);
	}
	snprintf(last, sizeof(last), "/usr/lib/l%u.so.1", nfiles - 1);
	CU_ASSERT_EQUAL_FATAL(bd_sha256_hex(last, strlen(last), host), 0);
	t0 = clock();
	for (i = 0; i < nsboms; i++) {
		snprintf(doc, sizeof(doc),
			 "{\"bomFormat\":\"CycloneDX\",\"specVersion\":"
			 "\"1.4\",\"components\":[{\"name\":\"q\",\"bom-ref\":"
			 "\"pkg:generic/q@1#%s\",\"purl\":\"pkg:generic/"
			 "q@1\"}]}",
			 i == nsboms - 1 ? host : HEX64);
		CU_ASSERT_EQUAL_FATAL(parse(&a, doc, &s, &e), 0);
		CU_ASSERT_EQUAL_FATAL(
			bd_carried_merge_indexed(&g, wheel, WHEEL "!/", &s, x),
			0);
	}
	expect_fast(t0);
	snprintf(last, sizeof(last), "f%u", nfiles - 1);
	CU_ASSERT_TRUE_FATAL(bd_graph_find(&g, last, &id));
	CU_ASSERT_STRING_EQUAL(bd_graph_comp_const(&g, id)->purl,
			       "pkg:generic/q@1");
	bd_carried_index_free(x);
	bd_graph_release(&g);
	bd_arena_release(&a);
}

/* A directory's SBOM: no carrier; the described component is left, what
 * only it lists is held by the target (is_input), no edge. */
static void test_merge_without_carrier(void)
{
	struct bd_carried_sbom s;
	struct bd_graph g;
	struct bd_arena a;
	struct bd_error e;
	uint32_t file, id;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		parse(&a,
		      "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
		      "\"metadata\":{\"component\":{\"name\":\"rel\","
		      "\"purl\":\"pkg:generic/rel@2\"}},\"components\":[{"
		      "\"name\":\"x\",\"evidence\":{\"occurrences\":[{"
		      "\"location\":\"bin/x\"}]}},{\"name\":\"y\","
		      "\"purl\":\"pkg:generic/y@1\"}]}",
		      &s, &e),
		0);
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_graph_add(&g, "f", BD_COMP_EXECUTABLE, &file),
			      0);
	bd_graph_comp(&g, file)->name = "x";
	bd_graph_add_path(&g, file, "rel/bin/x");
	CU_ASSERT_EQUAL_FATAL(bd_carried_merge(&g, UINT32_MAX, "rel/", &s), 0);
	CU_ASSERT_PTR_NOT_NULL(bd_graph_comp_const(&g, file)->carried);
	CU_ASSERT_TRUE_FATAL(
		bd_graph_find(&g, "declared:pkg:generic/y@1", &id));
	CU_ASSERT_TRUE(bd_graph_comp_const(&g, id)->is_input);
	CU_ASSERT_FALSE(bd_graph_find(&g, "declared:pkg:generic/rel@2", &id));
	CU_ASSERT_EQUAL(g.ncomps, 2);
	CU_ASSERT_EQUAL(g.nedges, 0);
	bd_graph_release(&g);
	bd_arena_release(&a);
}

/* Whether the graph has the declared component of purl. */
static bool declared(const struct bd_graph *g, const char *purl)
{
	char key[128];
	uint32_t id;

	snprintf(key, sizeof(key), "declared:%s", purl);
	return bd_graph_find(g, key, &id);
}

/* What the SBOM says is no part of the artifact when it runs is not added
 * as something it holds: CycloneDX's scope "excluded" (a build or test
 * tool), and what sits under such a component. A file it matches still
 * takes its facts. */
static void test_merge_excluded_scope(void)
{
	struct bd_graph g;
	struct bd_arena a;
	uint32_t wheel, ext, lib;

	merged_into_wheel(
		&a,
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
		"\"components\":[{\"name\":\"setuptools\",\"purl\":"
		"\"pkg:pypi/setuptools@75\",\"scope\":\"excluded\"},"
		"{\"name\":\"kept\",\"purl\":\"pkg:npm/kept@1\","
		"\"scope\":\"required\"},{\"name\":\"opt\",\"purl\":"
		"\"pkg:npm/opt@1\",\"scope\":\"optional\"},{\"name\":"
		"\"tool\",\"scope\":\"excluded\",\"components\":[{"
		"\"name\":\"inner\",\"purl\":\"pkg:npm/inner@1\"}]},"
		"{\"name\":\"x\",\"version\":\"2.0\",\"scope\":"
		"\"excluded\",\"hashes\":[{\"alg\":\"SHA-256\","
		"\"content\":\"" HEX64 "\"}]}]}",
		&g, &wheel, &ext, &lib);
	CU_ASSERT_TRUE(declared(&g, "pkg:npm/kept@1"));
	CU_ASSERT_TRUE(declared(&g, "pkg:npm/opt@1"));
	CU_ASSERT_FALSE(declared(&g, "pkg:pypi/setuptools@75"));
	CU_ASSERT_FALSE(declared(&g, "pkg:npm/inner@1"));
	CU_ASSERT_EQUAL(g.ncomps, 5);
	CU_ASSERT_EQUAL(g.nedges, 2);
	CU_ASSERT_STRING_EQUAL(property(bd_graph_comp_const(&g, ext),
					"bindep:conflict:version"),
			       "2.0");
	bd_graph_release(&g);
	bd_arena_release(&a);
}

/* SPDX: a package that is only a tool, a development, test or provided
 * dependency of an element (SPDX 2.3, 11.1) is not added; one the
 * document also says is contained, or that is depended on, is. */
static void test_merge_spdx_tools(void)
{
	struct bd_graph g;
	struct bd_arena a;
	uint32_t wheel, ext, lib;
	static const char *const doc =
		"{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
		"\"documentDescribes\":[\"SPDXRef-w\"],\"packages\":["
		"{\"SPDXID\":\"SPDXRef-w\",\"name\":\"w\"},"
		"{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"externalRefs\":[{"
		"\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":"
		"\"purl\",\"referenceLocator\":\"pkg:pypi/a@1\"}]},"
		"{\"SPDXID\":\"SPDXRef-b\",\"name\":\"b\",\"externalRefs\":[{"
		"\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":"
		"\"purl\",\"referenceLocator\":\"pkg:pypi/b@1\"}]},"
		"{\"SPDXID\":\"SPDXRef-c\",\"name\":\"c\",\"externalRefs\":[{"
		"\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":"
		"\"purl\",\"referenceLocator\":\"pkg:pypi/c@1\"}]},"
		"{\"SPDXID\":\"SPDXRef-d\",\"name\":\"d\",\"externalRefs\":[{"
		"\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":"
		"\"purl\",\"referenceLocator\":\"pkg:pypi/d@1\"}]},"
		"{\"SPDXID\":\"SPDXRef-p\",\"name\":\"p\",\"externalRefs\":[{"
		"\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":"
		"\"purl\",\"referenceLocator\":\"pkg:pypi/p@1\"}]}],"
		"\"relationships\":["
		"{\"spdxElementId\":\"SPDXRef-a\",\"relationshipType\":"
		"\"BUILD_TOOL_OF\",\"relatedSpdxElement\":\"SPDXRef-w\"},"
		"{\"spdxElementId\":\"SPDXRef-b\",\"relationshipType\":"
		"\"DEV_DEPENDENCY_OF\",\"relatedSpdxElement\":\"SPDXRef-w\"},"
		"{\"spdxElementId\":\"SPDXRef-c\",\"relationshipType\":"
		"\"TEST_TOOL_OF\",\"relatedSpdxElement\":\"SPDXRef-w\"},"
		"{\"spdxElementId\":\"SPDXRef-w\",\"relationshipType\":"
		"\"CONTAINS\",\"relatedSpdxElement\":\"SPDXRef-c\"},"
		"{\"spdxElementId\":\"SPDXRef-w\",\"relationshipType\":"
		"\"DEPENDS_ON\",\"relatedSpdxElement\":\"SPDXRef-d\"},"
		"{\"spdxElementId\":\"SPDXRef-p\",\"relationshipType\":"
		"\"PROVIDED_DEPENDENCY_OF\",\"relatedSpdxElement\":"
		"\"SPDXRef-w\"}]}";

	merged_into_wheel(&a, doc, &g, &wheel, &ext, &lib);
	CU_ASSERT_FALSE(declared(&g, "pkg:pypi/a@1"));
	CU_ASSERT_FALSE(declared(&g, "pkg:pypi/b@1"));
	CU_ASSERT_TRUE(declared(&g, "pkg:pypi/c@1"));
	CU_ASSERT_TRUE(declared(&g, "pkg:pypi/d@1"));
	CU_ASSERT_FALSE(declared(&g, "pkg:pypi/p@1"));
	CU_ASSERT_EQUAL(g.ncomps, 5);
	bd_graph_release(&g);
	bd_arena_release(&a);
}

void bd_test_register_carried(void)
{
	BD_SUITE("carried", BD_TEST(test_which_entries),
		 BD_TEST(test_parse_cyclonedx), BD_TEST(test_parse_spdx),
		 BD_TEST(test_parse_spdx_described_by),
		 BD_TEST(test_parse_spdx_purls),
		 BD_TEST(test_parse_spdx_no_version),
		 BD_TEST(test_licences_and_purls),
		 BD_TEST(test_concluded_licences), BD_TEST(test_parse_hostile),
		 BD_TEST(test_merge_many_on_one_file),
		 BD_TEST(test_parse_spdx_many_described),
		 BD_TEST(test_parse_many_licences),
		 BD_TEST(test_merge_many_declared),
		 BD_TEST(test_merge_many_sboms_one_index), BD_TEST(test_merge),
		 BD_TEST(test_merge_by_path),
		 BD_TEST(test_merge_stated_conflicts),
		 BD_TEST(test_merge_license_reordered),
		 BD_TEST(test_merge_carrier_listed),
		 BD_TEST(test_merge_without_carrier),
		 BD_TEST(test_merge_excluded_scope),
		 BD_TEST(test_merge_spdx_tools));
}
