/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/license.h"
#include "bindep/manifest.h"
#include "bindep/mapping.h"
#include "bindep/probe.h"
#include "bindep/pkgdb.h"
#include "bindep/registry.h"
#include "bindep/yaml.h"

#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void expect_strip(const char *in, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_mapping_strip_hash(in, &b);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	bd_buf_release(&b);
}

static void test_strip_hash(void)
{
	expect_strip("libgfortran-040039e1.so.5.0.0", "libgfortran.so.5.0.0");
	expect_strip("libz-7e2a72b4.so.1.2.13", "libz.so.1.2.13");
	expect_strip("libopenblas64_p-r0-0cf96a72.3.23.dev.so",
		     "libopenblas64_p-r0.3.23.dev.so");
	/* Not a hash: too short, upper case, or no dot after it. */
	expect_strip("libfoo-1234567.so", "libfoo-1234567.so");
	expect_strip("libfoo-ABCDEF12.so", "libfoo-ABCDEF12.so");
	expect_strip("libfoo-0123456789.so", "libfoo-0123456789.so");
	expect_strip("libvips-cpp.so.42", "libvips-cpp.so.42");
}

static void expect_match(const char *pattern, const char *text,
			 const char *want)
{
	struct bd_buf b = BD_BUF_INIT;
	bool ok = bd_version_match(pattern, text, &b);

	CU_ASSERT_EQUAL(ok, want != NULL);
	if (want && ok)
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	bd_buf_release(&b);
}

static void test_version_match(void)
{
	expect_match("libz.so.{version}", "libz.so.1.2.13", "1.2.13");
	expect_match("libopenblas64_p-r{version}.so",
		     "libopenblas64_p-r0.3.23.dev.so", "0.3.23.dev");
	expect_match("ZLIB_{version}", "ZLIB_1.2.12", "1.2.12");
	expect_match("libvips-cpp.so.{version}", "libvips-cpp.so.42.17.1",
		     "42.17.1");
	expect_match("libonnxruntime.so.{version}", "libonnxruntime.so.1.20.1",
		     "1.20.1");
	/* A version starts with a digit; the text must match whole. */
	expect_match("libz.so.{version}", "libz.so.x", NULL);
	expect_match("libz.so.{version}", "libz.so.", NULL);
	expect_match("libz.so.{version}", "libzz.so.1", NULL);
	expect_match("lib{version}.so", "lib1.so.2", NULL);
	expect_match("no placeholder", "no placeholder", NULL);
}

/* The data rules of the refinement test: "1.5.4" from strings, whatever
 * was found before. */
static bool fake_data(void *ctx, const struct bd_mapping *e, unsigned rule,
		      const char *found, struct bd_buf *out)
{
	(void)e;
	(void)rule;
	snprintf(ctx, 16, "%s", found ? found : "-");
	bd_buf_reset(out);
	bd_buf_adds(out, "1.5.4");
	return true;
}

/*
 * A version read from a name gives way to a later rule that says more of
 * it (issue 14, point 4: libzstd-<hash>.so.1 is zstd 1.5.4, not 1), never
 * to one that says another; a bare rule's candidates are told apart by
 * what was found before, or are none.
 */
static void test_version_refined(void)
{
	char filename[] = "libzstd.so.{version}", bare[] = "{version:1.}",
	     name[] = "zstd";
	struct bd_version_rule rules[2] = {
		{ .filename = filename },
		{ .bare = bare },
	};
	struct bd_mapping e = { .name = name,
				.version = rules,
				.version_count = 2 };
	const struct bd_string_hit hits[] = {
		{ 0, "1.5.4", "1.5.4", false },
		{ 0, "1.9.4", "1.9.4", false },
		{ 1, "3.0", "3.0", false },
	};
	struct bd_buf v = BD_BUF_INIT;
	char found[16] = "";
	unsigned rule = 9;

	CU_ASSERT(bd_mapping_read_version_with(&e, "libzstd.so.1", NULL,
					       fake_data, found, &v, &rule));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1.5.4");
	CU_ASSERT_EQUAL(rule, 1);
	CU_ASSERT_STRING_EQUAL(found, "1");
	/* "1.5.4" is no more of "2": the name's stands. */
	CU_ASSERT(bd_mapping_read_version_with(&e, "libzstd.so.2", NULL,
					       fake_data, found, &v, &rule));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "2");
	CU_ASSERT_EQUAL(rule, 0);
	/* Without data rules, the name's. */
	CU_ASSERT(bd_mapping_read_version_with(&e, "libzstd.so.1", NULL, NULL,
					       NULL, &v, &rule));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1");
	/* Bare candidates: two, none found before: none; found "1.9": its. */
	CU_ASSERT(!bd_mapping_pick_bare(hits, 3, 0, NULL, &v));
	CU_ASSERT(bd_mapping_pick_bare(hits, 3, 0, "1.9", &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1.9.4");
	CU_ASSERT(bd_mapping_pick_bare(hits, 3, 1, NULL, &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "3.0");
	/* Of several, the one with the most parts, if alone in that. */
	CU_ASSERT(bd_mapping_pick_bare(
		(const struct bd_string_hit[]){
			{ 1, "3.0", "3.0", false },
			{ 1, "3.53.2", "3.53.2", false } },
		2, 1, NULL, &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "3.53.2");
	CU_ASSERT(!bd_mapping_pick_bare(
		(const struct bd_string_hit[]){ { 0, "1.5.4", "1.5.4", true } },
		1, 0, NULL, &v));
	/* A release and its build's label: the release ("0.18.1.MZLA..." is
	 * RNP 0.18.1 as Thunderbird built it); "1.2.13" is no label of
	 * "1.2", but a version of its own. */
	CU_ASSERT(bd_mapping_pick_bare(
		(const struct bd_string_hit[]){
			{ 0, "0.18.1", "0.18.1", false },
			{ 0, "0.18.1.MZLA.153.8.0esr.botan.3.11.1", "x",
			  false },
			{ 0, "0.18.1+git20240101", "x", false } },
		3, 0, NULL, &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "0.18.1");
	CU_ASSERT(bd_mapping_pick_bare(
		(const struct bd_string_hit[]){
			{ 0, "1.2", "1.2", false },
			{ 0, "1.2.13", "1.2.13", false } },
		2, 0, NULL, &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1.2.13");
	bd_buf_release(&v);
}

static void expect_search(const char *pattern, const char *data, size_t len,
			  const char *want)
{
	struct bd_buf b = BD_BUF_INIT;
	bool ok = bd_version_search(pattern, data, len, &b);

	CU_ASSERT_EQUAL(ok, want != NULL);
	if (want && ok)
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	bd_buf_release(&b);
}

static void test_version_search(void)
{
	static const char rodata[] =
		"\0deflate (x)\0 deflate 1.2.13 Copyright 1995-2022 Jean-loup"
		"\0OpenSSL 3.0.11 19 Sep 2023\0libpng version 1.6.39.\0";

	expect_search("deflate {version} Copyright", rodata, sizeof(rodata),
		      "1.2.13");
	expect_search("OpenSSL {version} ", rodata, sizeof(rodata), "3.0.11");
	/* A version does not end in a separator: "1.6.39." is 1.6.39. */
	expect_search("libpng version {version}", rodata, sizeof(rodata),
		      "1.6.39");
	expect_search("inflate {version} Copyright", rodata, sizeof(rodata),
		      NULL);
	/* The data may end in the middle of a match. */
	expect_search("deflate {version} Copyright", rodata, 20, NULL);
}

static char dir[] = "/tmp/bd-mapping-XXXXXX";

static const char good[] =
	"libraries:\n"
	"  - name: zlib\n"
	"    purl: pkg:github/madler/zlib\n"
	"    repository: https://github.com/madler/zlib\n"
	"    license: Zlib\n"
	"    cpe: cpe:2.3:a:zlib:zlib\n"
	"    files: [\"libz.so*\"]\n"
	"    version:\n"
	"      - strings: \"deflate {version} Copyright\"\n"
	"      - filename: \"libz.so.{version}\"\n"
	"    sources: {debian: [zlib], alpine: [zlib], fedora: [zlib-ng]}\n"
	"  - name: libpng\n"
	"    purl: pkg:github/pnggroup/libpng\n"
	"    files: [\"libpng16.so*\"]\n"
	"    sources: {debian: [libpng1.6]}\n";

static const char user[] = "libraries:\n"
			   "  - name: my-zlib\n"
			   "    purl: pkg:generic/my-zlib\n"
			   "    files: [\"libz.so.1*\"]\n";

static void test_load_and_lookup(void)
{
	struct bd_mappings m;
	struct bd_error err;
	const struct bd_mapping *e;
	char path[300];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_write(dir, "a.yml", good);
	bd_test_write(dir, "user.yml", user);
	bd_mappings_init(&m);
	snprintf(path, sizeof(path), "%s/a.yml", dir);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_file(&m, path, &err), 0);
	e = bd_mappings_by_file(&m, "libz-7e2a72b4.so.1.2.13", NULL);
	CU_ASSERT_FATAL(e != NULL);
	CU_ASSERT_STRING_EQUAL(e->name, "zlib");
	CU_ASSERT_STRING_EQUAL(e->file, path);
	/* Evidence names it as given, at the line of its "- " (issue 15). */
	CU_ASSERT_STRING_EQUAL(e->shown, path);
	CU_ASSERT_EQUAL(e->line, 2);
	CU_ASSERT_EQUAL(e->version_count, 2);
	/* Found by soname when the file name says nothing. */
	e = bd_mappings_by_file(&m, "renamed", "libpng16.so.16");
	CU_ASSERT(e && !strcmp(e->name, "libpng"));
	CU_ASSERT(e && e->line == 12);
	CU_ASSERT_PTR_NULL(bd_mappings_by_file(&m, "libfoo.so.1", NULL));
	e = bd_mappings_by_source(&m, "ubuntu", "libpng1.6");
	CU_ASSERT(e && !strcmp(e->name, "libpng"));
	e = bd_mappings_by_source(&m, "rocky", "zlib-ng");
	CU_ASSERT(e && !strcmp(e->name, "zlib"));
	CU_ASSERT_PTR_NULL(bd_mappings_by_source(&m, "alpine", "libpng1.6"));
	CU_ASSERT_PTR_NULL(bd_mappings_by_source(&m, "plan9", "zlib"));
	/* A later file wins. */
	snprintf(path, sizeof(path), "%s/user.yml", dir);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_file(&m, path, &err), 0);
	e = bd_mappings_by_file(&m, "libz.so.1.2.13", NULL);
	CU_ASSERT(e && !strcmp(e->name, "my-zlib"));
	e = bd_mappings_by_file(&m, "libz.so", NULL);
	CU_ASSERT(e && !strcmp(e->name, "zlib"));
	bd_mappings_release(&m);
}

/* Each broken file fails with its own position and problem. */
static void expect_error(const char *text, unsigned line, unsigned col,
			 const char *problem)
{
	struct bd_mappings m;
	struct bd_error err;
	char path[300], where[320];

	snprintf(path, sizeof(path), "%s/bad.yml", dir);
	bd_test_write(dir, "bad.yml", text);
	bd_mappings_init(&m);
	CU_ASSERT_EQUAL(bd_mappings_load_file(&m, path, &err), BD_EFORMAT);
	if (line) {
		snprintf(where, sizeof(where), "'%s:%u:%u': ", path, line, col);
		CU_ASSERT_EQUAL(err.line, line);
		CU_ASSERT_EQUAL(err.col, col);
		CU_ASSERT(!strncmp(err.msg, where, strlen(where)));
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, problem));
	if (!strstr(err.msg, problem) ||
	    (line && (err.line != line || err.col != col)))
		fprintf(stderr, "\n  got %s (%u:%u)\n", err.msg, err.line,
			err.col);
	CU_ASSERT_EQUAL(m.n, 0);
	bd_mappings_release(&m);
}

/* A text that loads. */
static void expect_ok(const char *text)
{
	struct bd_mappings m;
	struct bd_error err;
	char path[300];

	snprintf(path, sizeof(path), "%s/ok.yml", dir);
	bd_test_write(dir, "ok.yml", text);
	bd_mappings_init(&m);
	CU_ASSERT_EQUAL(bd_mappings_load_file(&m, path, &err), 0);
	CU_ASSERT_EQUAL(m.n, 1);
	bd_mappings_release(&m);
}

/* A manifest: a known format at a path below the file's package; the
 * names it gives are the entries': listed, their name, "lib" and it. */
static void test_manifest_hook(void)
{
	static const char yml[] =
		"libraries:\n"
		"  - name: libvips\n    purl: pkg:github/libvips/libvips\n"
		"    files: [libvips-cpp.so*]\n"
		"    manifest: {path: ../versions.json, "
		"format: json-object-name-version}\n"
		"  - name: libpng\n    purl: pkg:generic/libpng\n"
		"    files: [libpng16.so*]\n"
		"  - name: lcms2\n    purl: pkg:generic/lcms2\n"
		"    files: [liblcms2.so*]\n    manifest-names: [lcms]\n"
		"  - name: png\n    purl: pkg:generic/png-other\n"
		"    files: [libpngother.so*]\n";
	static const char *const bad[] = { "/etc/versions.json", "../",
					   "a/../../b.json", "..", "." };
	struct bd_mappings m;
	struct bd_error err;
	char text[512];
	size_t i;

	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(
		bd_mappings_load_data(&m, "t.yml", yml, strlen(yml), &err), 0);
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[0].manifest->path,
			       "../versions.json");
	CU_ASSERT_STRING_EQUAL(bd_mappings_by_manifest_name(&m, "lcms")->name,
			       "lcms2");
	/* Its name before "lib" and it: "png" is the entry named png. */
	CU_ASSERT_STRING_EQUAL(bd_mappings_by_manifest_name(&m, "png")->name,
			       "png");
	CU_ASSERT_STRING_EQUAL(bd_mappings_by_manifest_name(&m, "vips")->name,
			       "libvips");
	CU_ASSERT_PTR_NULL(bd_mappings_by_manifest_name(&m, "mozjpeg"));
	CU_ASSERT_PTR_NULL(bd_mappings_by_manifest_name(&m, "ib"));
	bd_mappings_release(&m);

	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n    manifest: {path: v.json, format: "
		     "toml}\n",
		     0, 0, "manifest format must be");
	for (i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text),
			 "libraries:\n  - name: x\n    purl: pkg:generic/x\n"
			 "    files: [a]\n    manifest: {path: \"%s\", "
			 "format: json-object-name-version}\n",
			 bad[i]);
		expect_error(text, 0, 0, "manifest path must be relative");
	}
}

/* The manifest format: names sorted, every refusal said. */
static void test_manifest_parse(void)
{
	static const struct {
		const char *text;
		int rc;
		const char *msg;
	} bad[] = {
		{ "", BD_EFORMAT, "not a JSON object" },
		{ "[]", BD_EFORMAT, "not a JSON object" },
		{ "{\"png\": \"1.6\"", BD_EFORMAT, "not a JSON object" },
		{ "{\"png\": null}", BD_EFORMAT,
		  "'png': the version is not a version" },
		{ "{\"png\": \"\"}", BD_EFORMAT,
		  "'png': the version is not a version" },
		{ "{\"png\": \"-1\"}", BD_EFORMAT,
		  "'png': the version is not a version" },
		{ "{\"\": \"1.0\"}", BD_EFORMAT,
		  "a library's name is not a name" },
		{ "{\"a\\nb\": \"1.0\"}", BD_EFORMAT,
		  "a library's name is not a name" },
		{ "{\"b\": \"1\", \"a\": \"1\", \"b\": \"2\"}", BD_EFORMAT,
		  "'b' listed twice" },
	};
	static const char listed[] = "{\"zlib-ng\": \"2.3.3\", \"aom\": "
				     "\"3.15.1\", \"mozjpeg\": \"0826579\"}";
	struct bd_manifest m;
	struct bd_error err;
	char *big;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		CU_ASSERT_EQUAL(bd_manifest_parse(bad[i].text,
						  strlen(bad[i].text), &m,
						  &err),
				bad[i].rc);
		CU_ASSERT_STRING_EQUAL(err.msg, bad[i].msg);
		CU_ASSERT_PTR_NULL(m.items);
	}
	CU_ASSERT_EQUAL_FATAL(
		bd_manifest_parse(listed, strlen(listed), &m, &err), 0);
	CU_ASSERT_EQUAL_FATAL(m.n, 3);
	CU_ASSERT_STRING_EQUAL(m.items[0].name, "aom");
	CU_ASSERT_STRING_EQUAL(m.items[1].version, "0826579");
	CU_ASSERT_STRING_EQUAL(m.items[2].name, "zlib-ng");
	bd_manifest_release(&m);
	/* Past the size cap: refused before parsing. */
	big = malloc(BD_MANIFEST_MAX_BYTES + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, ' ', BD_MANIFEST_MAX_BYTES + 1);
	big[0] = '{';
	big[BD_MANIFEST_MAX_BYTES] = '}';
	CU_ASSERT_EQUAL(
		bd_manifest_parse(big, BD_MANIFEST_MAX_BYTES + 1, &m, &err),
		BD_ELIMIT);
	CU_ASSERT_EQUAL(
		bd_manifest_parse(big, BD_MANIFEST_MAX_BYTES + 1 - 1, &m, &err),
		BD_EFORMAT);
	free(big);
}

/* A placeholder a build writes is read as no version. */
static void test_placeholders(void)
{
	static const char yml[] =
		"libraries:\n"
		"  - name: aom\n    purl: pkg:generic/aom\n"
		"    files: [libaom.so*]\n"
		"    version: [{filename: \"libaom.so.{version}\"}]\n"
		"    placeholders: [\"0.1.0\"]\n";
	struct bd_buf v = BD_BUF_INIT;
	struct bd_mappings m;
	struct bd_error err;
	const struct bd_mapping *e;
	unsigned rule;

	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(
		bd_mappings_load_data(&m, "t.yml", yml, strlen(yml), &err), 0);
	e = &m.files[0]->libraries[0];
	CU_ASSERT(bd_mapping_placeholder(e, "0.1.0"));
	CU_ASSERT(!bd_mapping_placeholder(e, "0.1.0.1"));
	CU_ASSERT(!bd_mapping_placeholder(e, NULL));
	CU_ASSERT(!bd_mapping_read_version(e, "libaom.so.0.1.0", NULL, NULL,
					   NULL, &v, &rule));
	CU_ASSERT(bd_mapping_read_version(e, "libaom.so.3.6.0", NULL, NULL,
					  NULL, &v, &rule));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "3.6.0");
	bd_buf_release(&v);
	bd_mappings_release(&m);
}

static void test_invalid_files(void)
{
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a, b\n",
		     4, 16, "did not find expected ',' or ']'");
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n    homepages: y\n",
		     5, 5, "unexpected key: homepages");
	expect_error("libraries:\n  - name: [x]\n", 2, 11, "expecting STRING");
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n    version:\n      - filename: a\n"
		     "        soname: b\n",
		     0, 0, "exactly one of filename, soname");
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n    version: [{strings: abc}]\n",
		     0, 0, "{version} placeholder");
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x@1\n"
		     "    files: [a]\n",
		     0, 0, "purl must not have a version");
	/* A purl that does not parse, or breaks its type's rules. */
	expect_error("libraries:\n  - name: x\n    purl: zlib/zlib\n"
		     "    files: [a]\n",
		     0, 0, "library 'x': not a purl: no 'pkg:' scheme");
	expect_error("libraries:\n  - name: x\n    purl: pkg:github/zlib\n"
		     "    files: [a]\n",
		     0, 0, "a 'github' purl needs a namespace");
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x%zz\n"
		     "    files: [a]\n",
		     0, 0, "'%' is not followed by two hex digits");

	/* A "function" rule: both keys, a C identifier, a format. */
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n    version: [{function: f}]\n",
		     0, 0, "needs both function and returns");
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n"
		     "    version: [{function: \"f()\", returns: M.mm.pp}]\n",
		     0, 0, "is a C identifier");
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n"
		     "    version: [{function: f, returns: \"%d\"}]\n",
		     0, 0, "returns is");
	expect_error(
		"libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		"    files: [a]\n"
		"    version: [{strings: \"x {version}\", returns: M.m}]\n",
		0, 0, "needs both function and returns");

	/* libcyaml's "STRING length < 1: " reads as a sentence of ours. */
	expect_error("libraries:\n  - name: \"\"\n    purl: pkg:generic/x\n"
		     "    files: [a]\n",
		     2, 11, "': string length < 1");
}

/* An entry of libavcodec with these license-strings lines (each line of
 * the list's, indented below its key). */
static char *with_license_strings(const char *lines)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_buf_printf(&b,
		      "libraries:\n"
		      "  - name: zlib\n    purl: pkg:generic/zlib\n"
		      "    files: [libz.so*]\n"
		      "  - name: libavcodec\n"
		      "    purl: pkg:github/ffmpeg/ffmpeg\n"
		      "    license: LGPL-2.1-or-later\n"
		      "    license-strings:\n%s"
		      "    files: [libavcodec.so*]\n",
		      lines);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	return b.data;
}

static void expect_license_strings_error(const char *lines, unsigned line,
					 unsigned col, const char *problem)
{
	char *text = with_license_strings(lines);

	expect_error(text, line, col, problem);
	free(text);
}

/*
 * license-strings: each item a whole string the scan can search for (8
 * to 128 bytes), listed once, with an SPDX expression (or the registry's
 * own LicenseRef-); refused otherwise, at the item's field, and compiled
 * into the one string set as licence strings of their entry, in order.
 */
static void test_license_strings(void)
{
	static const char gpl[] =
		"      - strings: \"libavcodec license: GPL version 2 or "
		"later\"\n"
		"        license: GPL-2.0-or-later\n";
	static const char nonfree[] =
		"      - {strings: \"libavcodec license: nonfree and "
		"unredistributable\", license: "
		"LicenseRef-FFmpeg-nonfree-unredistributable}\n";
	struct bd_mappings m;
	struct bd_error err;
	const struct bd_mapping *e;
	const struct bd_mapping_string *ms;
	struct bd_buf b = BD_BUF_INIT;
	char *text;
	size_t k, licences = 0;

	bd_buf_printf(&b, "%s%s", gpl, nonfree);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	text = with_license_strings(b.data);
	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(
		bd_mappings_load_data(&m, "t.yml", text, strlen(text), &err),
		0);
	e = &m.files[0]->libraries[1];
	CU_ASSERT_EQUAL_FATAL(e->license_strings_count, 2);
	CU_ASSERT_STRING_EQUAL(e->license_strings[0].license,
			       "GPL-2.0-or-later");
	CU_ASSERT_STRING_EQUAL(e->license_strings[1].strings,
			       "libavcodec license: nonfree and "
			       "unredistributable");
	CU_ASSERT_PTR_NULL(m.files[0]->libraries[0].license_strings);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_compile(&m, &err), 0);
	for (k = 0; (ms = bd_mappings_string(&m, (uint32_t)k)); k++) {
		if (ms->license < 0)
			continue;
		CU_ASSERT_PTR_EQUAL(ms->entry, e);
		CU_ASSERT_EQUAL(ms->rule, -1);
		CU_ASSERT_EQUAL(ms->license, (int)licences);
		CU_ASSERT_EQUAL(bd_strrules_get(m.strings, k)->kind,
				BD_STRRULE_LICENSE);
		licences++;
	}
	CU_ASSERT_EQUAL(licences, 2);
	bd_mappings_release(&m);
	free(text);
	bd_buf_release(&b);
	/* None, and an empty list, are fine. */
	text = with_license_strings("      []\n");
	expect_ok(text);
	free(text);

	/* A licence that is no SPDX expression: at its item's license. */
	expect_license_strings_error(
		"      - strings: \"libavcodec license: GPL version 2 or "
		"later\"\n"
		"        license: GPL-2.0-or-later\n"
		"      - strings: \"libavcodec license: GPL version 3 or "
		"later\"\n"
		"        license: GPL version 3 or later\n",
		12, 9,
		"library 'libavcodec': license-strings: 'GPL version 3 or "
		"later' is no SPDX licence expression");
	expect_license_strings_error("      - strings: \"libx license: GPL\"\n"
				     "        license: \"\"\n",
				     10, 9, "'' is no SPDX licence expression");
	/* An empty string, or one too short to search for: at its
	 * strings. */
	expect_license_strings_error("      - license: MIT\n"
				     "        strings: \"\"\n",
				     10, 9,
				     "license-strings: '' is no licence "
				     "string: it needs 8 to 128 bytes");
	expect_license_strings_error(
		"      - {strings: \"GPL v2\", license: MIT}\n", 9, 7,
		"'GPL v2' is no licence string");
	/* The same string twice: at the second. */
	expect_license_strings_error(
		"      - strings: \"libavcodec license: GPL version 2 or "
		"later\"\n"
		"        license: GPL-2.0-or-later\n"
		"      # the same again\n"
		"      - strings: \"libavcodec license: GPL version 2 or "
		"later\"\n"
		"        license: GPL-3.0-or-later\n",
		12, 9, "license: GPL version 2 or later' is listed twice");
	/* A flow sequence: at its key. */
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [a]\n"
		     "    license-strings: [{strings: \"x license: LGPL\", "
		     "license: LGPL}]\n",
		     5, 5, "'LGPL' is no SPDX licence expression");
	/* The shape: each item needs both keys, and no others. */
	expect_license_strings_error("      - strings: \"libx license: "
				     "GPL\"\n",
				     9, 18, "missing required mapping field");
	expect_license_strings_error("      - strings: \"libx license: "
				     "GPL\"\n        license: MIT\n"
				     "        licence: MIT\n",
				     11, 9, "unexpected key: licence");
	expect_license_strings_error("      libavcodec license: GPL\n", 9, 7,
				     "expecting");
}

/*
 * An entry's license: an SPDX expression of the List's identifiers, or the
 * registry's own LicenseRef-, as a license-strings item's (the outputs
 * write it as a licence expression); else the file is refused, at the
 * entry's own key, never at a license-strings item's "license:" before
 * it. An entry in flow style is placed at its "- ".
 */
static void test_entry_license(void)
{
	static const char head[] = "libraries:\n"
				   "  - name: zlib\n"
				   "    purl: pkg:generic/zlib\n"
				   "    files: [libz.so*]\n"
				   "  - name: libx\n"
				   "    purl: pkg:generic/libx\n";
	static const char *const ok[] = {
		"MIT",
		"mit",
		"GPL-2.0-only WITH Linux-syscall-note",
		"(BSD-3-Clause OR GPL-2.0-only) AND Zlib",
		"LicenseRef-libx-custom",
		"LGPL-2.1-or-later AND LicenseRef-FFmpeg-nonfree-"
		"unredistributable",
	};
	static const char *const bad[] = {
		"GPL v2",	 "GPL-2.0-only WITH Linux-syscall-notes",
		"NOASSERTION",	 "MIT AND",
		"LicenseRef-x+", "DocumentRef-a:LicenseRef-b",
	};
	struct bd_buf b = BD_BUF_INIT;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(ok); i++) {
		bd_buf_reset(&b);
		bd_buf_printf(&b,
			      "%s    license: \"%s\"\n    files: [libx.so*]\n",
			      head, ok[i]);
		CU_ASSERT_FATAL(bd_buf_ok(&b));
		expect_ok(b.data);
	}
	for (i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		char want[200];

		bd_buf_reset(&b);
		bd_buf_printf(&b,
			      "%s    license: \"%s\"\n    files: [libx.so*]\n",
			      head, bad[i]);
		snprintf(want, sizeof(want),
			 "library 'libx': license: '%s' is no SPDX licence "
			 "expression (the SPDX License List's identifiers, or "
			 "LicenseRef-)",
			 bad[i]);
		CU_ASSERT_FATAL(bd_buf_ok(&b));
		expect_error(b.data, 7, 5, want);
	}
	/* After its license-strings, whose items' licences are fine: at the
	 * entry's key, two lines below the items'. */
	bd_buf_reset(&b);
	bd_buf_printf(&b,
		      "%s    license-strings:\n"
		      "      - strings: \"libx license: GPL version 2\"\n"
		      "        license: GPL-2.0-only\n"
		      "    # the default build's\n"
		      "    license:   GPL-2\n"
		      "    files: [libx.so*]\n",
		      head);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	expect_error(b.data, 11, 5,
		     "library 'libx': license: 'GPL-2' is no SPDX licence "
		     "expression");
	bd_buf_release(&b);
	/* The first entry's, the second's fine; in flow style, at its "- ". */
	expect_error("libraries:\n  - name: a\n    purl: pkg:generic/a\n"
		     "    license: Apache 2\n    files: [a]\n"
		     "  - name: b\n    purl: pkg:generic/b\n    license: MIT\n"
		     "    files: [b]\n",
		     4, 5, "library 'a': license: 'Apache 2' is no SPDX");
	expect_error("libraries:\n"
		     "  - {name: a, purl: pkg:generic/a, license: BSD,"
		     " files: [a]}\n",
		     2, 3, "library 'a': license: 'BSD' is no SPDX");
	/* No licence at all is fine. */
	expect_ok("libraries:\n  - name: a\n    purl: pkg:generic/a\n"
		  "    files: [a]\n");
}

/* Invalid UTF-8 and control characters, found by libyaml's reader, are
 * placed at the byte itself (libcyaml gives no position for them). */
static void test_reader_errors_placed(void)
{
	expect_error("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		     "    files: [ab\xff]\n",
		     4, 15, "': invalid leading UTF-8 octet");
	expect_error("libraries:\n  - name: \xc3\xa9t\x01\n", 2, 13,
		     "': control characters are not allowed");
}

/* A text of n libraries, each with rules version rules. */
static char *many(unsigned n, unsigned rules)
{
	struct bd_buf b = BD_BUF_INIT;
	unsigned i, j;

	bd_buf_adds(&b, "libraries:\n");
	for (i = 0; i < n; i++) {
		bd_buf_printf(&b,
			      "  - name: x%u\n    purl: pkg:generic/x\n"
			      "    files: [a]\n",
			      i);
		if (rules)
			bd_buf_adds(&b, "    version:\n");
		for (j = 0; j < rules; j++)
			bd_buf_printf(&b,
				      "      - strings: \"ver%u {version}\"\n",
				      j);
	}
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	return b.data;
}

/* Version rules per library and libraries per file are capped: a file
 * over either cap is refused, at the first entry too many. */
static void test_counts_capped(void)
{
	char *text = many(1, BD_MAPPING_MAX_RULES + 1);

	expect_error(text, 6 + BD_MAPPING_MAX_RULES, 9,
		     "': more than 48 version rules in one library");
	free(text);
	text = many(BD_MAPPING_MAX_ENTRIES + 1, 0);
	expect_error(text, 2 + 3 * BD_MAPPING_MAX_ENTRIES, 5,
		     "': more than 10000 libraries in one file");
	free(text);
	text = many(3, BD_MAPPING_MAX_RULES);
	expect_ok(text);
	free(text);
}

/* The other lists of the same cap are named by their key, not as
 * version rules: 49 license-strings, 49 markers, in block and flow
 * style, a key with a '-' whole. */
static void test_other_lists_capped_by_name(void)
{
	struct bd_buf b = BD_BUF_INIT;
	unsigned j;

	bd_buf_adds(&b, "libraries:\n  - name: x\n    purl: pkg:generic/x\n"
			"    files: [a]\n    license-strings:\n");
	for (j = 0; j <= BD_MAPPING_MAX_RULES; j++)
		bd_buf_printf(&b,
			      "      - strings: \"x license: %06u\"\n"
			      "        license: MIT\n",
			      j);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	expect_error(b.data, 6 + 2 * BD_MAPPING_MAX_RULES, 9,
		     "': more than 48 license-strings in one library");
	bd_buf_reset(&b);
	bd_buf_adds(&b,
		    "libraries:\n  - name: x\n    purl: pkg:generic/x\n"
		    "    files: [a]\n    markers:\n    - \"marker 0000\"\n");
	for (j = 1; j <= BD_MAPPING_MAX_RULES; j++)
		bd_buf_printf(&b, "    - \"marker %04u\"\n", j);
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	expect_error(b.data, 0, 0, "': more than 48 markers in one library");
	bd_buf_reset(&b);
	bd_buf_adds(&b, "libraries:\n  - name: x\n    purl: pkg:generic/x\n"
			"    files: [a]\n    markers: [");
	for (j = 0; j <= BD_MAPPING_MAX_RULES; j++)
		bd_buf_printf(&b, "%s\"marker %04u\"", j ? ", " : "", j);
	bd_buf_adds(&b, "]\n");
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	expect_error(b.data, 0, 0, "': more than 48 markers in one library");
	bd_buf_reset(&b);
	bd_buf_adds(&b, "libraries:\n  - {name: x, purl: pkg:generic/x, "
			"files: [a], license-strings: [");
	for (j = 0; j <= BD_MAPPING_MAX_RULES; j++)
		bd_buf_printf(&b,
			      "%s{strings: \"x license: %06u\", license: MIT}",
			      j ? ", " : "", j);
	bd_buf_adds(&b, "]}\n");
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	expect_error(b.data, 0, 0,
		     "': more than 48 license-strings in one library");
	bd_buf_release(&b);
}

/* Aliases are refused, at the alias: libcyaml would expand each one. */
static void test_aliases_refused(void)
{
	expect_error("libraries:\n  - &a\n    name: x\n"
		     "    purl: pkg:generic/x\n    files: [a]\n  - *a\n",
		     6, 5, "': YAML aliases are not allowed");
	expect_error("libraries:\n  - name: &n x\n    purl: pkg:generic/x\n"
		     "    files: [*n]\n",
		     4, 13, "': YAML aliases are not allowed");
}

/* libcyaml's messages, first word lowercased only where it reads well. */
static void expect_tidy(const char *in, const char *want)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "%s", in);
	bd_yaml_tidy_message(msg);
	CU_ASSERT_STRING_EQUAL(msg, want);
}

static void test_messages(void)
{
	expect_tidy("STRING length < 1", "string length < 1");
	expect_tidy("STRING length > 8: abc", "string length > 8: abc");
	expect_tidy("Invalid INT value: 'x'", "invalid INT value: 'x'");
	expect_tidy("Unexpected key: Foo", "unexpected key: Foo");
	expect_tidy("Expecting STRING, got event: 3",
		    "expecting STRING, got event: 3");
	expect_tidy("ALIAS", "alias");
	/* An acronym, a name, one letter, nothing: left alone. */
	expect_tidy("YAML alias unsupported", "YAML alias unsupported");
	expect_tidy("McName: x", "McName: x");
	expect_tidy("X", "X");
	expect_tidy("did not find expected key", "did not find expected key");
	expect_tidy("", "");
}

/* A file larger than the cap is refused without being parsed; one that
 * cannot be read says why. */
static void test_size_and_read_errors(void)
{
	struct bd_mappings m;
	struct bd_error err;
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/huge.yml", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("libraries: []\n", f);
	CU_ASSERT_EQUAL(fseek(f, BD_YAML_MAX_SIZE, SEEK_SET), 0);
	fputs("# end\n", f);
	fclose(f);
	bd_mappings_init(&m);
	CU_ASSERT_EQUAL(bd_mappings_load_file(&m, path, &err), BD_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "huge.yml': larger than 4 MiB"));
	snprintf(path, sizeof(path), "%s/absent.yml", dir);
	CU_ASSERT_EQUAL(bd_mappings_load_file(&m, path, &err), BD_ENOENT);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(err.msg, "absent.yml': cannot open: No such file"));
	/* A FIFO is refused at once: opening it would block. */
	snprintf(path, sizeof(path), "%s/fifo.yml", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	CU_ASSERT_EQUAL(bd_mappings_load_file(&m, path, &err), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fifo.yml': a FIFO"));
	CU_ASSERT_EQUAL(m.n, 0);
	bd_mappings_release(&m);
}

static int warnings;

static void count(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	(void)msg;
	warnings += level == BD_DIAG_WARNING;
}

static char last_warning[1024];

static void keep_last(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	warnings += level == BD_DIAG_WARNING;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

/* A purl-registry checkout <dir>/<name> of one package, x/y, its
 * package.yml text; its path in where (size bytes). */
static void registry_checkout(const char *name, const char *package,
			      char *where, size_t size)
{
	static const char *const levels[] = { "", "registry/", "registry/purl/",
					      "registry/purl/x/",
					      "registry/purl/x/y/" };
	char path[200];
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(levels); i++) {
		snprintf(path, sizeof(path), "%s/%s", name, levels[i]);
		bd_test_mk(dir, path, NULL);
	}
	snprintf(path, sizeof(path), "%s/registry/purl/x/y/package.yml", name);
	bd_test_write(dir, path, package);
	snprintf(where, size, "%s/%s", dir, name);
}

/* The purl registry's loader refuses aliases the same way. */
static void test_registry_aliases(void)
{
	struct bd_registry_package *p = (void *)1;
	struct bd_error err;
	char where[320];

	registry_checkout("reg", "namespace: x\nname: &n y\nvcs_url: *n\n",
			  where, sizeof(where));
	CU_ASSERT_EQUAL(bd_registry_package_load(where, "x/y", &p, NULL, &err),
			BD_EFORMAT);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg,
				      "package.yml:3:10': YAML aliases are not "
				      "allowed"));
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.col, 10);
	bd_test_write(dir, "reg/registry/purl/x/y/package.yml",
		      "namespace: x\nname: y\nvcs_url: https://x.org/y\n");
	CU_ASSERT_EQUAL(bd_registry_package_load(where, "x/y", &p, NULL, &err),
			0);
	CU_ASSERT_STRING_EQUAL(p->vcs_url, "https://x.org/y");
	bd_registry_package_free(p);
}

/* A registry package's licence is an expression the outputs take, as a
 * mapping entry's (bd_license_registry_ok): else the licence alone is
 * left out, one warning placed at its "license:", and the package kept
 * with its links and purls (package-url/purl-registry's linux/kernel
 * misspells Linux-syscall-note). */
static void test_registry_license(void)
{
	static const char bad[] =
		"namespace: x\nname: y\n# the kernel's\n"
		"license: GPL-2.0-only WITH Linux-syscall-notes\n"
		"homepage_url: https://www.kernel.org/\n"
		"alternative_purls: [pkg:github/torvalds/linux]\n";
	struct bd_diag diag = { keep_last, NULL };
	struct bd_registry_package *p = NULL;
	struct bd_error err;
	char where[320];

	registry_checkout("reg3", bad, where, sizeof(where));
	warnings = 0;
	CU_ASSERT_EQUAL_FATAL(
		bd_registry_package_load(where, "x/y", &p, &diag, &err), 0);
	CU_ASSERT_PTR_NULL(p->license);
	CU_ASSERT_STRING_EQUAL(p->homepage_url, "https://www.kernel.org/");
	CU_ASSERT_EQUAL(p->alternative_purls_count, 1);
	CU_ASSERT_EQUAL(warnings, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		last_warning, "x/y/package.yml:4:1': license: 'GPL-2.0-only "
			      "WITH Linux-syscall-notes' is no SPDX licence "
			      "expression (the SPDX License List's "
			      "identifiers, or LicenseRef-), leaving it out"));
	bd_registry_package_free(p);
	/* In flow style: the file, no place. */
	bd_test_write(dir, "reg3/registry/purl/x/y/package.yml",
		      "{namespace: x, name: y, license: BSD}\n");
	warnings = 0;
	CU_ASSERT_EQUAL_FATAL(
		bd_registry_package_load(where, "x/y", &p, &diag, &err), 0);
	CU_ASSERT_PTR_NULL(p->license);
	CU_ASSERT_STRING_EQUAL(p->name, "y");
	CU_ASSERT_EQUAL(warnings, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_warning,
				      "package.yml': license: 'BSD' "
				      "is no SPDX"));
	bd_registry_package_free(p);
	bd_test_write(dir, "reg3/registry/purl/x/y/package.yml",
		      "namespace: x\nname: y\n"
		      "license: GPL-2.0-only WITH Linux-syscall-note OR "
		      "LicenseRef-y\n");
	warnings = 0;
	CU_ASSERT_EQUAL_FATAL(
		bd_registry_package_load(where, "x/y", &p, &diag, &err), 0);
	CU_ASSERT_STRING_EQUAL(p->license,
			       "GPL-2.0-only WITH "
			       "Linux-syscall-note OR LicenseRef-y");
	CU_ASSERT_EQUAL(warnings, 0);
	bd_registry_package_free(p);
}

/* A purls.yml that is there but no regular file (a FIFO) is said, once,
 * as the package's error; it is never opened to block. */
static void test_registry_purls_not_a_file(void)
{
	struct bd_registry_package *p = (void *)1;
	struct bd_error err;
	char where[320], fifo[400];

	registry_checkout("reg2", "namespace: x\nname: y\n", where,
			  sizeof(where));
	snprintf(fifo, sizeof(fifo), "%s/registry/purl/x/y/purls.yml", where);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	CU_ASSERT_EQUAL(bd_registry_package_load(where, "x/y", &p, NULL, &err),
			BD_EIO);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "purls.yml': a FIFO"));
	unlink(fifo);
}

/*
 * A purl not in canonical form (purl-spec's github type is lowercase) is
 * mended with a warning per entry, through m.diag for a file and the
 * directory's diag for a directory; a canonical one says nothing.
 */
static void test_purl_mended(void)
{
	static const char text[] =
		"libraries:\n"
		"  - name: ffmpeg\n    purl: \"pkg:github/FFmpeg/FFmpeg\"\n"
		"    files: [libavcodec.so.*]\n"
		"  - name: pillow\n    purl: \"PKG:PyPI/Pillow_SIMD\"\n"
		"    files: [libimaging.so]\n"
		"  - name: zlib\n    purl: \"pkg:github/madler/zlib\"\n"
		"    files: [libz.so.*]\n";
	struct bd_diag diag = { keep_last, NULL };
	struct bd_mappings m;
	struct bd_error err;
	char path[300], want[600];

	snprintf(path, sizeof(path), "%s/mixed.yml", dir);
	bd_test_write(dir, "mixed.yml", text);
	bd_mappings_init(&m);
	m.diag = &diag;
	warnings = 0;
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_file(&m, path, &err), 0);
	CU_ASSERT_EQUAL(warnings, 2);
	snprintf(want, sizeof(want),
		 "'%s': library 'pillow': purl 'PKG:PyPI/Pillow_SIMD' is not "
		 "canonical, using 'pkg:pypi/pillow-simd'",
		 path);
	CU_ASSERT_STRING_EQUAL(last_warning, want);
	CU_ASSERT_EQUAL_FATAL(m.n, 1);
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[0].purl,
			       "pkg:github/ffmpeg/ffmpeg");
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[1].purl,
			       "pkg:pypi/pillow-simd");
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[2].purl,
			       "pkg:github/madler/zlib");
	bd_mappings_release(&m);
	/* A file refused for another entry says nothing of its purls. */
	bd_test_write(dir, "mixed-bad.yml",
		      "libraries:\n"
		      "  - name: ffmpeg\n    purl: pkg:github/FFmpeg/FFmpeg\n"
		      "    files: [libavcodec.so.*]\n"
		      "  - name: x\n    purl: pkg:generic/x\n    files: [x]\n"
		      "    cpe: x\n");
	snprintf(path, sizeof(path), "%s/mixed-bad.yml", dir);
	m.diag = &diag;
	warnings = 0;
	CU_ASSERT_EQUAL(bd_mappings_load_file(&m, path, &err), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cpe must start with"));
	CU_ASSERT_EQUAL(warnings, 0);
	CU_ASSERT_EQUAL(m.n, 0);
	bd_mappings_release(&m);
	snprintf(path, sizeof(path), "%s/mixed.yml", dir);
	/* Without a diag: mended all the same. */
	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_file(&m, path, &err), 0);
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[0].purl,
			       "pkg:github/ffmpeg/ffmpeg");
	bd_mappings_release(&m);
	/* A directory warns through its own diag, and leaves m's alone. */
	bd_test_mk(dir, "mixed/", NULL);
	snprintf(path, sizeof(path), "%s/mixed", dir);
	bd_test_write(path, "a.yml", text);
	bd_mappings_init(&m);
	warnings = 0;
	CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, path, &diag, &err), 0);
	CU_ASSERT_EQUAL(warnings, 2);
	CU_ASSERT_PTR_NULL(m.diag);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_warning, "/mixed/a.yml': library "
						    "'pillow'"));
	bd_mappings_release(&m);
}

/* A directory: every "*.yml" in name order; a broken one is skipped with
 * a warning, the others load. */
static void test_load_dir(void)
{
	struct bd_diag diag = { count, NULL };
	struct bd_mappings m;
	struct bd_error err;
	char sub[300];

	snprintf(sub, sizeof(sub), "%s/dir", dir);
	bd_test_mk(dir, "dir/", NULL);
	bd_test_write(sub, "b.yml", user);
	bd_test_write(sub, "a.yml", good);
	bd_test_write(sub, "c.yml", "libraries: [1, 2\n");
	bd_test_write(sub, "notes.txt", "ignored\n");
	bd_mappings_init(&m);
	warnings = 0;
	CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, sub, &diag, &err), 0);
	CU_ASSERT_EQUAL(warnings, 1);
	CU_ASSERT_EQUAL_FATAL(m.n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.paths[0], "/a.yml"));
	CU_ASSERT_PTR_NOT_NULL(strstr(m.paths[1], "/b.yml"));
	/* The indexes, built once after the last file, hold every file
	 * loaded: b.yml's libz.so.1 wins over a.yml's, a.yml's libpng and
	 * its sources are found. */
	CU_ASSERT_STRING_EQUAL(
		bd_mappings_by_file(&m, "libz.so.1.2.13", NULL)->name,
		"my-zlib");
	CU_ASSERT_STRING_EQUAL(
		bd_mappings_by_file(&m, "libpng16.so.16", NULL)->name,
		"libpng");
	CU_ASSERT_STRING_EQUAL(
		bd_mappings_by_source(&m, "debian", "libpng1.6")->name,
		"libpng");
	CU_ASSERT_FALSE(m.indexing_deferred);
	bd_mappings_release(&m);
	/* A broken file between two: both others are in the indexes. */
	bd_test_write(sub, "c.yml", good);
	bd_test_write(sub, "b.yml", "libraries: [1, 2\n");
	bd_test_write(sub, "a.yml", user);
	bd_mappings_init(&m);
	warnings = 0;
	CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, sub, &diag, &err), 0);
	CU_ASSERT_EQUAL(warnings, 1);
	CU_ASSERT_EQUAL_FATAL(m.n, 2);
	CU_ASSERT_STRING_EQUAL(
		bd_mappings_by_file(&m, "libz.so.1.2.13", NULL)->name, "zlib");
	CU_ASSERT_STRING_EQUAL(
		bd_mappings_by_source(&m, "fedora", "zlib-ng")->name, "zlib");
	bd_mappings_release(&m);
	bd_test_write(sub, "b.yml", user);
	bd_test_write(sub, "a.yml", good);
	bd_test_write(sub, "c.yml", "libraries: [1, 2\n");
	bd_mappings_init(&m);
	CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, sub, &diag, &err), 0);
	CU_ASSERT_EQUAL_FATAL(m.n, 2);
	/* Shown inside the registry, wherever it is installed (issue 15). */
	CU_ASSERT_STRING_EQUAL(m.shown[0], "dir/a.yml");
	CU_ASSERT_STRING_EQUAL(m.files[1]->libraries[0].shown, "dir/b.yml");
	CU_ASSERT_EQUAL(m.files[1]->libraries[0].line, 2);
	bd_mappings_release(&m);
	/* A flow sequence shows no entry a line: its lines stay unknown. */
	bd_test_write(sub, "flow.yml",
		      "libraries: [{name: x, purl: \"pkg:generic/x\", "
		      "files: [\"libx.so\"]}]\n");
	bd_test_write(sub, "a.yml", "");
	bd_test_write(sub, "b.yml", "");
	bd_test_write(sub, "c.yml", "");
	CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, sub, &diag, &err), 0);
	CU_ASSERT_EQUAL_FATAL(m.n, 1);
	CU_ASSERT_EQUAL(m.files[0]->libraries[0].line, 0);
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[0].shown, "dir/flow.yml");
	bd_mappings_release(&m);
	CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, "/nonexistent", &diag, &err),
			BD_ENOENT);
	CU_ASSERT_EQUAL(
		system(strcat(strcpy((char[320]){ 0 }, "rm -rf "), dir)), 0);
}

/*
 * The shipped registry: it loads without a warning, covers at least 150
 * libraries, every licence it writes is an SPDX expression (or its own
 * LicenseRef-), and every entry's examples (real file names) are matched by
 * that entry; the first one gives example-version by its name.
 */
static void test_shipped_registry(void)
{
	struct bd_diag diag = { count, NULL };
	struct bd_mappings m;
	struct bd_error err;
	size_t i, entries = 0;
	unsigned j, k;

	bd_mappings_init(&m);
	warnings = 0;
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&m, "mappings", &diag, &err),
			      0);
	CU_ASSERT_EQUAL(warnings, 0);
	for (i = 0; i < m.n; i++) {
		for (j = 0; j < m.files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &m.files[i]->libraries[j];

			entries++;
			CU_ASSERT(e->examples_count > 0);
			/* Every licence is an expression the outputs take
			 * (the loader refuses others: this says which). */
			CU_ASSERT(!e->license ||
				  bd_license_registry_ok(e->license));
			for (k = 0; k < e->license_strings_count; k++)
				CU_ASSERT(bd_license_registry_ok(
					e->license_strings[k].license));
			for (k = 0; k < e->examples_count; k++) {
				const struct bd_mapping *got =
					bd_mappings_by_file(&m, e->examples[k],
							    NULL);
				struct bd_buf v = BD_BUF_INIT, s = BD_BUF_INIT;
				unsigned rule;

				CU_ASSERT_PTR_EQUAL(got, e);
				if (got != e)
					fprintf(stderr,
						"\n  %s: example %s -> %s\n",
						e->name, e->examples[k],
						got ? got->name : "nothing");
				/* The first example carries the version. */
				bd_mapping_strip_hash(e->examples[k], &s);
				if (k == 0 && e->example_version) {
					CU_ASSERT(bd_mapping_read_version(
						e, s.data, NULL, NULL, NULL, &v,
						&rule));
					CU_ASSERT_STRING_EQUAL(
						bd_buf_str(&v),
						e->example_version);
				}
				bd_buf_release(&v);
				bd_buf_release(&s);
			}
		}
	}
	/* CPython's stable-ABI shim, libpython3.so, names no release: no
	 * version "3" (a CPE of every Python 3); libpython3.12.so does. */
	{
		const struct bd_mapping *py =
			bd_mappings_by_file(&m, "libpython3.so", NULL);
		struct bd_buf v = BD_BUF_INIT;
		unsigned rule;

		CU_ASSERT_PTR_NOT_NULL_FATAL(py);
		CU_ASSERT_FALSE(bd_mapping_read_version(
			py, "libpython3.so", NULL, NULL, NULL, &v, &rule));
		bd_buf_reset(&v);
		CU_ASSERT(bd_mapping_read_version(py, "libpython3.12.so", NULL,
						  NULL, NULL, &v, &rule));
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "3.12");
		bd_buf_release(&v);
	}
	/* Issue 14's real vendored code: 300 entries, NSS to llama.cpp. */
	CU_ASSERT(entries >= 300);
	bd_mappings_release(&m);
}

/* A strings rule's text before {version}: at least four bytes, a letter
 * among them, and not a digit last, so that the version it reads is the
 * one that text names ("libopus 1.3.1"), not any number in the file. */
static bool anchored(const char *pattern)
{
	const char *v = strstr(pattern, "{version}");
	bool letter = false;
	const char *p;

	if (!v || v - pattern < 4 || isdigit((unsigned char)v[-1]))
		return false;
	for (p = pattern; p < v; p++)
		letter |= isalpha((unsigned char)*p) != 0;
	return letter;
}

/*
 * Every strings rule of the shipped registry is anchored by the text
 * before its version; a bare "{version}" or "v{version}" would take the
 * first number in the read-only data (in libduckdb.so, the storage
 * version "v1.5.0" and not the release "v1.5.6").
 */
static void test_strings_rules_anchored(void)
{
	struct bd_mappings m;
	struct bd_error err;
	unsigned j, k, rules = 0, bad = 0;
	size_t i;

	CU_ASSERT(!anchored("{version}"));
	CU_ASSERT(!anchored("v{version}"));
	CU_ASSERT(!anchored("GDAL 1{version}"));
	CU_ASSERT(anchored("LAME{version} "));
	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&m, "mappings", NULL, &err),
			      0);
	for (i = 0; i < m.n; i++) {
		for (j = 0; j < m.files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &m.files[i]->libraries[j];

			for (k = 0; k < e->version_count; k++) {
				const char *sp = e->version[k].strings;

				if (!sp)
					continue;
				rules++;
				if (!anchored(sp)) {
					fprintf(stderr, "\n  %s: \"%s\"",
						e->name, sp);
					bad++;
				}
			}
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(rules >= 25);
	bd_mappings_release(&m);
}

/* The version the shipped entry's strings rules read from data, the first
 * rule that reads one winning, as bd_mapping_read_version tries them. */
static void expect_entry_reads(const struct bd_mappings *m, const char *name,
			       const char *data, size_t len, const char *want)
{
	const struct bd_mapping *e = NULL;
	struct bd_buf b = BD_BUF_INIT;
	bool ok = false;
	size_t i;
	unsigned j;

	for (i = 0; i < m->n && !e; i++)
		for (j = 0; j < m->files[i]->libraries_count && !e; j++)
			if (!strcmp(m->files[i]->libraries[j].name, name))
				e = &m->files[i]->libraries[j];
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	for (j = 0; j < e->version_count && !ok; j++)
		if (e->version[j].strings)
			ok = bd_version_search(e->version[j].strings, data, len,
					       &b);
	CU_ASSERT_EQUAL(ok, want != NULL);
	if (ok != (want != NULL) || (ok && strcmp(bd_buf_str(&b), want)))
		fprintf(stderr, "\n  %s: read %s, want %s", name,
			ok ? bd_buf_str(&b) : "nothing",
			want ? want : "nothing");
	bd_buf_release(&b);
}

#define EXPECT_READS(m, name, data, want)                                      \
	expect_entry_reads(m, name, data, sizeof(data), want)

/*
 * The shipped strings rules on texts from real files: a version a program
 * merely names or claims is not taken for the library's (Node.js's help
 * text comes before its OpenSSL version; BoringSSL's version text claims
 * OpenSSL 1.1.1), nor is a snapshot's name or a vendor string's date.
 */
static void test_registry_strings_real_texts(void)
{
	static const char node[] = "\0enable OpenSSL 3.0 legacy provider\0"
				   "OpenSSL 3.5.9 29 Sep 2026\0";
	static const char boring[] =
		"\0OpenSSL 1.1.1 (compatible; BoringSSL)\0BoringSSL\0";
	static const char old_openssl[] = "\0OpenSSL 1.1.1w  11 Sep 2023\0";
	static const char debian_ffmpeg[] =
		"\0FFmpeg version 5.1.9-0+deb12u1\0";
	static const char ffmpeg[] = "\0FFmpeg version 6.1.1\0";
	static const char mozilla_ffmpeg[] =
		"\0Update your FFmpeg version to the newest one from Git.\0"
		"FFmpeg version N-118248-g252fc2e047\0";
	static const char skia[] = "\0Skia/PDF m157\0Google/Skia/\0";
	static const char vorbis[] =
		"\0Xiph.Org libVorbis I 20200704 (Reducing Environment)\0"
		"Xiph.Org libVorbis 1.3.7\0";
	struct bd_mappings m;
	struct bd_error err;

	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&m, "mappings", NULL, &err),
			      0);
	EXPECT_READS(&m, "openssl", node, "3.5.9");
	EXPECT_READS(&m, "openssl", boring, NULL);
	EXPECT_READS(&m, "openssl", old_openssl, "1.1.1w");
	EXPECT_READS(&m, "libavcodec", debian_ffmpeg, "5.1.9");
	EXPECT_READS(&m, "libavutil", ffmpeg, "6.1.1");
	EXPECT_READS(&m, "libavcodec", mozilla_ffmpeg, NULL);
	EXPECT_READS(&m, "skia", skia, "157");
	EXPECT_READS(&m, "libvorbis", vorbis, "1.3.7");
	bd_mappings_release(&m);
}

/*
 * A source package several entries list names, by itself, the project of
 * its programs (the first entry that lists it): util-linux's lsblk and
 * mount are util-linux's, LGPL, not libuuid's (BSD-3-Clause, listed
 * after it), whose library is still named by its file.
 */
static void test_registry_shared_source(void)
{
	struct bd_mappings m;
	struct bd_error err;
	const struct bd_mapping *e;

	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&m, "mappings", NULL, &err),
			      0);
	e = bd_mappings_by_source(&m, "debian", "util-linux");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->name, "util-linux");
	e = bd_mappings_by_file(&m, "libuuid.so.1.3.0", "libuuid.so.1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->name, "libuuid");
	CU_ASSERT_STRING_EQUAL(e->license, "BSD-3-Clause");
	bd_mappings_release(&m);
}

/*
 * Names that look like a known library's and are not, next to the names
 * of the library they look like: LibreOffice's libldapbe2lo.so is not
 * OpenLDAP, NSS's libssl3.so is not OpenSSL, glibc's NSS modules are not
 * Mozilla's NSS.
 */
static void test_registry_lookalikes(void)
{
	static const char *const pairs[][2] = {
		{ "libldapbe2lo.so", NULL },
		{ "libldap-2.5.so.0", "openldap" },
		{ "libssl3.so", "nss" },
		{ "libssl.so.3", "openssl" },
		{ "libnss_files.so.2", "glibc" },
		{ "libnss3.so", "nss" },
		{ "libmozsqlite3.so", "sqlite" },
		{ "libvpx.so.7", "libvpx" },
		/* Debian's Android BoringSSL keeps OpenSSL's names, with a .0
		 * soname no OpenSSL has had. */
		{ "libcrypto.so.0", "boringssl" },
		{ "libssl.so.0", "boringssl" },
		{ "libcrypto.so.3", "openssl" },
		{ "libcrypto.so.1.0.2", "openssl" },
		/* zlib-ng's zlib-compatible build: libz's name, then its own.
		 */
		{ "libz.so.1.3.1.zlib-ng", "zlib-ng" },
		{ "libz.so.1.3.1", "zlib" },
		{ "libpdfiumlo.so", "pdfium" },
		{ "libskialo.so", "skia" },
		{ "libggml.cuda.v0.5.0.so", "ggml" },
		{ "libllama.cuda.v0.5.0.so", "llama.cpp" },
		/* VLC's plugins (vlc-plugin-base 3.0.24) are named after what
		 * they link: its curses interface and Theora codec link
		 * libncursesw.so.6 and libtheoradec.so.1, they are neither. */
		{ "libncurses_plugin.so", NULL },
		{ "libtheora_plugin.so", NULL },
		{ "libncursesw.so.6.4", "ncurses" },
		{ "libncurses++w.so.6.4", "ncurses" },
		{ "libtinfo.so.6", "ncurses" },
		{ "libtheoradec.so.1.1.4", "libtheora" },
		{ "libtheoraenc.so.1.1.2", "libtheora" },
		{ "libtheora.so.0.3.10", "libtheora" },
		/* The XCB utilities are not libxcb: xcb-util-image 0.4.0 was
		 * named libxcb 0.4.0, a release libxcb never had. */
		{ "libxcb-image.so.0.0.0", "xcb-util-image" },
		{ "libxcb-render-util.so.0", "xcb-util-renderutil" },
		{ "libxcb-icccm.so.4", "xcb-util-wm" },
		{ "libxcb-util.so.1", "xcb-util" },
		{ "libxcb-shm.so.0.0.0", "libxcb" },
		{ "libxcb-render.so.0", "libxcb" },
		/* X.Org's libraries every GTK and Qt program links. */
		{ "libXcomposite.so.1", "libxcomposite" },
		{ "libXdamage.so.1", "libxdamage" },
		{ "libXfixes.so.3", "libxfixes" },
		{ "libXrandr.so.2", "libxrandr" },
		{ "libXcursor.so.1", "libxcursor" },
		/* Mesa's Vulkan drivers link it. */
		{ "libxshmfence.so.1", "libxshmfence" },
	};
	struct bd_mappings m;
	struct bd_error err;
	size_t i;

	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&m, "mappings", NULL, &err),
			      0);
	for (i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		const struct bd_mapping *e =
			bd_mappings_by_file(&m, pairs[i][0], NULL);
		const char *got = e ? e->name : NULL;

		if (!pairs[i][1] ? got != NULL
				 : !got || strcmp(got, pairs[i][1])) {
			fprintf(stderr, "\n  %s: %s", pairs[i][0],
				got ? got : "nothing");
			CU_FAIL("a look-alike name");
		}
	}
	bd_mappings_release(&m);
}

/* What bd_mappings_by_file answered before it had an index: a walk over
 * every pattern, later files first, first entry of a file first. */
static const struct bd_mapping *walk_registry(const struct bd_mappings *m,
					      const char *name)
{
	struct bd_buf s = BD_BUF_INIT;
	const struct bd_mapping *found = NULL;
	size_t i;
	unsigned j, k;

	bd_mapping_strip_hash(name, &s);
	for (i = m->n; !found && i-- > 0;) {
		for (j = 0; !found && j < m->files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &m->files[i]->libraries[j];

			for (k = 0; !found && k < e->files_count; k++)
				if (!fnmatch(e->files[k], s.data, 0))
					found = e;
		}
	}
	bd_buf_release(&s);
	return found;
}

static const char wild[] =
	"libraries:\n"
	"  - name: any-crypto\n"
	"    purl: pkg:generic/any-crypto\n"
	"    files: [\"*crypto*.so*\"]\n"
	"  - name: bracket\n"
	"    purl: pkg:generic/bracket\n"
	"    files: [\"lib[xy]z.so*\", \"?ibq.so\"]\n"
	"  - name: escaped\n"
	"    purl: pkg:generic/escaped\n"
	"    files: [\"lib\\\\z.so.9\", \"libzz.so\"]\n"
	"  - name: shadow\n"
	"    purl: pkg:generic/shadow\n"
	"    files: [\"libz.so.1\", \"libssl.so.3\"]\n"
	"    sources: {debian: [zlib, mine], fedora: [openssl]}\n"
	"  - name: shadow-too\n"
	"    purl: pkg:generic/shadow-too\n"
	"    files: [\"libnothing.so\"]\n"
	"    sources: {debian: [mine], alpine: [zlib]}\n"
	/* Bytes above 0x7f, which the index orders as memcmp does. */
	"  - name: high-bytes\n"
	"    purl: pkg:generic/high-bytes\n"
	"    files: [\"lib\xc3\xa9.so*\", \"lib\xc3\xbf*\"]\n"
	"    examples: [\"lib\xc3\xa9.so.1\", \"lib\xc3\xbf\xc3\xbe.so\"]\n";

/* What bd_mappings_by_source answered before it had an index. */
static const struct bd_mapping *
walk_sources(const struct bd_mappings *m, const char *os_id, const char *source)
{
	size_t i;
	unsigned j;

	for (i = m->n; i-- > 0;)
		for (j = 0; j < m->files[i]->libraries_count; j++)
			if (bd_mapping_lists_source(&m->files[i]->libraries[j],
						    os_id, source))
				return &m->files[i]->libraries[j];
	return NULL;
}

/* Every source package the registry lists, asked of every family, and
 * some it does not: the index answers as the walk does. */
static unsigned sources_as_walk(const struct bd_mappings *m)
{
	static const char *const ids[] = { "debian", "ubuntu", "alpine",
					   "wolfi",  "rocky",  "plan9" };
	static const char *const extra[] = { "", "zz-none", "zlib", "mine" };
	unsigned bad = 0;
	size_t i, o;

	for (o = 0; o < BD_ARRAY_SIZE(ids); o++) {
		for (i = 0; i < m->nsources + BD_ARRAY_SIZE(extra); i++) {
			const char *src = i < m->nsources
						  ? m->sources[i].source
						  : extra[i - m->nsources];
			const struct bd_mapping *want =
				walk_sources(m, ids[o], src);

			if (bd_mappings_by_source(m, ids[o], src) != want) {
				fprintf(stderr, "\n  %s %s: index differs",
					ids[o], src);
				bad++;
			}
		}
	}
	return bad;
}

/* The name of what a lookup found, "(none)" for nothing. */
static const char *found(const struct bd_mapping *e)
{
	return e ? e->name : "(none)";
}

static unsigned expect_as_walk(const struct bd_mappings *m, const char *name)
{
	const struct bd_mapping *want = walk_registry(m, name);
	const struct bd_mapping *got = bd_mappings_by_file(m, name, NULL);

	if (got != want)
		fprintf(stderr, "\n  %s: index %s, walk %s", name,
			got ? got->name : "nothing",
			want ? want->name : "nothing");
	return got != want;
}

/* One example cut short at each length, and, when high, with a byte above
 * 0x7f in each place. Returns the names checked. */
static unsigned cut_example(const struct bd_mappings *m, const char *ex,
			    bool high, unsigned *bad)
{
	size_t n, len = strlen(ex);
	unsigned checked = 0;
	char name[256];

	if (len >= sizeof(name))
		return 0;
	for (n = 0; n < len; n++, checked++) {
		memcpy(name, ex, n);
		name[n] = '\0';
		*bad += expect_as_walk(m, name);
	}
	for (n = 0; high && n < len; n++, checked++) {
		memcpy(name, ex, len + 1);
		name[n] = (char)(n % 2 ? 0xff : 0x80);
		*bad += expect_as_walk(m, name);
	}
	return checked;
}

static bool has_high_byte(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s > 0x7f)
			return true;
	return false;
}

/* Every fourth example so, every tenth with high bytes, and every one that
 * has one: where the index stops narrowing, and how it orders bytes (as
 * memcmp: unsigned). The walk each name is checked against costs a
 * thousand fnmatch calls: all of them took a fifth of the unit tests. */
static unsigned cut_examples(const struct bd_mappings *m, unsigned *bad)
{
	unsigned checked = 0, j, k, nth = 0;
	size_t i;

	for (i = 0; i < m->n; i++) {
		for (j = 0; j < m->files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &m->files[i]->libraries[j];

			for (k = 0; k < e->examples_count; k++, nth++) {
				bool high = has_high_byte(e->examples[k]);

				if (high || nth % 4 == 0)
					checked += cut_example(
						m, e->examples[k],
						high || nth % 20 == 0, bad);
			}
		}
	}
	return checked;
}

/*
 * The indexes answer what a walk over the registry answers. By file name:
 * for
 * every library name on this machine, every example, and names made for
 * patterns that start with a wildcard, a bracket or an escape, with a
 * user file loaded over the shipped registry.
 */
static void test_index_agrees_with_walk(void)
{
	static const char *const names[] = {
		"libz.so.9",
		"libz.so.1",
		"libxz.so.5",
		"libyz.so",
		"libq.so",
		"xibq.so",
		"libcrypto.so.3",
		"mycrypto.so",
		"libzz.so",
		"libz.so",
		"",
		"libssl.so.3",
		"libgfortran-040039e1.so.5.0.0",
	};
	struct bd_mappings m;
	struct bd_error err;
	unsigned bad = 0, checked = 0, j, k;
	char tmp[] = "/tmp/bd-mapping-index-XXXXXX", path[300];
	struct dirent *de;
	DIR *d;
	size_t i;

	bd_mappings_init(&m);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&m, "mappings", NULL, &err),
			      0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	bd_test_write(tmp, "wild.yml", wild);
	snprintf(path, sizeof(path), "%s/wild.yml", tmp);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_file(&m, path, &err), 0);
	for (i = 0; i < sizeof(names) / sizeof(*names); i++, checked++)
		bad += expect_as_walk(&m, names[i]);
	for (i = 0; i < m.n; i++)
		for (j = 0; j < m.files[i]->libraries_count; j++)
			for (k = 0; k < m.files[i]->libraries[j].examples_count;
			     k++, checked++)
				bad += expect_as_walk(
					&m,
					m.files[i]->libraries[j].examples[k]);
	checked += cut_examples(&m, &bad);
	d = opendir("/usr/lib/x86_64-linux-gnu");
	while (d && (de = readdir(d))) {
		checked++;
		bad += expect_as_walk(&m, de->d_name);
	}
	if (d)
		closedir(d);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(checked > 500);
	CU_ASSERT(m.nsources > 100);
	CU_ASSERT_EQUAL(sources_as_walk(&m), 0);
	CU_ASSERT_STRING_EQUAL(
		found(bd_mappings_by_source(&m, "debian", "mine")), "shadow");
	CU_ASSERT_STRING_EQUAL(
		found(bd_mappings_by_source(&m, "ubuntu", "zlib")), "shadow");
	CU_ASSERT_STRING_EQUAL(
		found(bd_mappings_by_source(&m, "wolfi", "zlib")),
		"shadow-too");
	CU_ASSERT_STRING_EQUAL(
		found(bd_mappings_by_file(&m, "libz.so.1", NULL)), "shadow");
	CU_ASSERT_STRING_EQUAL(
		found(bd_mappings_by_file(&m, "libxz.so.5", NULL)), "bracket");
	CU_ASSERT_STRING_EQUAL(
		found(bd_mappings_by_file(&m, "libz.so.9", NULL)), "escaped");
	CU_ASSERT_STRING_EQUAL(
		found(bd_mappings_by_file(&m, "lib\xc3\xa9.so.2", NULL)),
		"high-bytes");
	bd_test_sh("rm -rf '%s'", tmp);
	bd_mappings_release(&m);
}

static void expect_upstream(const char *in, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_upstream_version(in, &b);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	bd_buf_release(&b);
}

static void test_upstream_version(void)
{
	expect_upstream("1:2.12.1+dfsg-5", "2.12.1");
	expect_upstream("7.88.1-10+deb12u15", "7.88.1");
	expect_upstream("1.3.1-r2", "1.3.1");
	expect_upstream("1.5.4+dfsg2-5", "1.5.4");
	expect_upstream("2.9.14+dfsg-1.3~deb12u1", "2.9.14");
	/* A tilde sorts before: a pre-release is kept as one, a snapshot
	 * has no upstream version (it was the release's: "0", "2.0"). */
	expect_upstream("0~20171227-0.3", "");
	expect_upstream("2.0~rc1-1", "2.0-rc1");
	expect_upstream("1:2.0~beta3+dfsg-2", "2.0-beta3");
	expect_upstream("3.1~a2-1", "3.1-a2");
	expect_upstream("2.9.14~git20230101-1", "");
	expect_upstream("1.2.3~dfsg-1", "1.2.3");
	expect_upstream("1.2.3~repack1-1", "1.2.3");
	expect_upstream("1.2.3~ds1", "1.2.3");
	expect_upstream("1.0~rcfoo-1", "1.0");
	expect_upstream("1.0~", "1.0");
	expect_upstream("0.1~+svn49-1", "");
	expect_upstream("0.0~git20230101.abc-1", "");
	/* The distribution's own build of a release: cut. */
	expect_upstream("20250419~deb12u2", "20250419");
	expect_upstream("0.55.7~deb12u1", "0.55.7");
	expect_upstream("37~deb12u1", "37");
	expect_upstream("1.2.13~bpo11+1", "1.2.13");
	expect_upstream("31.2~22.04", "31.2");
	expect_upstream("1:0.9.6.2~0.22.04.6", "0.9.6.2");
	expect_upstream("1.0~ubuntu1", "1.0");
	expect_upstream("252.39", "252.39");
	expect_upstream("1.0.0", "1.0.0");
}

/* A library in a directory of the loader's, not a copy some package
 * keeps for itself (google-cloud-cli bundles a Python with its libffi). */
static bool is_library_path(const char *path)
{
	static const char *const dirs[] = { "/usr/lib/", "/lib/",
					    "/usr/lib/x86_64-linux-gnu/",
					    "/lib/x86_64-linux-gnu/", NULL };
	const char *base = strrchr(path, '/') + 1;
	size_t i;

	for (i = 0; dirs[i]; i++) {
		if (strlen(dirs[i]) == (size_t)(base - path) &&
		    !strncmp(path, dirs[i], strlen(dirs[i])))
			return strstr(base, ".so") != NULL;
	}
	return false;
}

struct host_check {
	struct bd_mappings m;
	const struct bd_pkgdb *db;
	unsigned files, by_name, versions, failures;
};

/* One installed library: a name the registry knows comes from a source
 * package it lists (or that another entry claims: names collide), and
 * each version rule reads the package's upstream version. */
static void check_host_library(struct host_check *h, const char *path,
			       const struct bd_package *p)
{
	const char *src = p->source ? p->source : p->name;
	const char *base = strrchr(path, '/') + 1;
	const struct bd_mapping *by_file =
		bd_mappings_by_file(&h->m, base, NULL);
	const struct bd_mapping *e;
	struct bd_buf v = BD_BUF_INIT, up = BD_BUF_INIT;
	struct stat st;
	unsigned rule;

	if (!by_file || lstat(path, &st) || !S_ISREG(st.st_mode))
		return;
	h->files++;
	e = bd_mappings_identify(&h->m, h->db->os_id, src, base, NULL);
	if (e == by_file && !bd_mapping_lists_source(e, h->db->os_id, src)) {
		fprintf(stderr, "\n  %s: %s does not list source %s", path,
			e->name, src);
		h->failures++;
	}
	h->by_name += e == by_file;
	bd_upstream_version(p->source_version ? p->source_version : p->version,
			    &up);
	if (bd_mapping_read_version(e, base, NULL, NULL, path, &v, &rule)) {
		h->versions++;
		if (strncmp(v.data, up.data, v.len) &&
		    strncmp(v.data, up.data, up.len)) {
			fprintf(stderr, "\n  %s: read %s, package %s", path,
				v.data, up.data);
			h->failures++;
		}
	}
	bd_buf_release(&v);
	bd_buf_release(&up);
}

/*
 * The registry against the libraries installed on this machine (Debian's
 * own files, read through its dpkg database): for every library the
 * registry names, file patterns and source packages agree, and each
 * version rule reads what the package's upstream version says.
 */
static void test_registry_against_host(void)
{
	struct host_check h = { .failures = 0 };
	struct bd_pkgdb db;
	struct bd_root root;
	struct bd_buf path = BD_BUF_INIT;
	struct bd_error err;
	size_t i, index;

	bd_mappings_init(&h.m);
	bd_pkgdb_init(&db);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(
		bd_mappings_load_dir(&h.m, "mappings", NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(bd_pkgdb_load(&db, &root, NULL, &err), 0);
	h.db = &db;
	for (i = 0; db.os_id && i < db.files.count; i++) {
		CU_ASSERT_EQUAL_FATAL(bd_pkgdb_file(&db, i, &path, &index), 0);
		if (is_library_path(path.data))
			check_host_library(&h, path.data, &db.pkgs[index]);
	}
	bd_buf_release(&path);
	CU_ASSERT_EQUAL(h.failures, 0);
	/* Debian 12 with the test dependencies has dozens. */
	CU_ASSERT(!db.os_id || h.files >= 30);
	fprintf(stderr,
		"\n  registry vs host: %u libraries named, %u whose entry"
		" lists it, %u versions read ",
		h.files, h.by_name, h.versions);
	bd_pkgdb_release(&db);
	bd_root_release(&root);
	bd_mappings_release(&h.m);
}

/* A "function" rule: the constant a function only returns, decoded from
 * the first bytes of its code, hand-assembled here for each machine. */
static void test_function_constants(void)
{
	static const unsigned char x86[] = {
		0xb8, 0x04, 0x02, 0x01, 0x00, 0xc3
	};
	static const unsigned char endbr[] = { 0xf3, 0x0f, 0x1e, 0xfa,
					       0xb8, 0x98, 0x2a, 0x00,
					       0x00, 0xf3, 0xc3 };
	static const unsigned char x86_call[] = { 0xb8, 0x04, 0x02, 0x01, 0x00,
						  0xe8, 0,    0,    0,	  0 };
	/* bti c; movz w0, #0x0204; movk w0, #1, lsl 16; ret */
	static const unsigned char arm[] = { 0x5f, 0x24, 0x03, 0xd5, 0x80, 0x40,
					     0x80, 0x52, 0x20, 0x00, 0xa0, 0x72,
					     0xc0, 0x03, 0x5f, 0xd6 };
	/* movz x0 (64-bit), ret: not the 32-bit w0 a version is returned in */
	static const unsigned char arm64x[] = { 0x80, 0x40, 0x80, 0xd2,
						0xc0, 0x03, 0x5f, 0xd6 };
	struct bd_buf v = BD_BUF_INIT;
	uint32_t got = 0;

	CU_ASSERT(bd_probe_decode_constant(EM_X86_64, x86, sizeof(x86), &got));
	CU_ASSERT_EQUAL(got, 0x010204);
	CU_ASSERT(bd_probe_decode_constant(EM_X86_64, endbr, sizeof(endbr),
					   &got));
	CU_ASSERT_EQUAL(got, 10904);
	CU_ASSERT_FALSE(bd_probe_decode_constant(EM_X86_64, x86_call,
						 sizeof(x86_call), &got));
	CU_ASSERT_FALSE(bd_probe_decode_constant(EM_X86_64, x86, 5, &got));
	CU_ASSERT_FALSE(
		bd_probe_decode_constant(EM_PPC64, x86, sizeof(x86), &got));
	CU_ASSERT(bd_probe_decode_constant(EM_AARCH64, arm, sizeof(arm), &got));
	CU_ASSERT_EQUAL(got, 0x010204);
	CU_ASSERT_FALSE(bd_probe_decode_constant(EM_AARCH64, arm64x,
						 sizeof(arm64x), &got));
	CU_ASSERT_FALSE(bd_probe_decode_constant(EM_AARCH64, arm, 12, &got));

	CU_ASSERT(bd_probe_constant_version("bytes:M.m.p", 0x010204, &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1.2.4");
	CU_ASSERT_FALSE(
		bd_probe_constant_version("bytes:M.m.p", 0x01010204, &v));
	CU_ASSERT(bd_probe_constant_version("M.mm.pp", 10904, &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1.9.4");
	CU_ASSERT(bd_probe_constant_version("M.mmm.ppp", 3040001, &v));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "3.40.1");
	CU_ASSERT_FALSE(bd_probe_constant_version("M.mm.pp", 904, &v));
	CU_ASSERT_FALSE(bd_probe_constant_version("bytes:", 1, &v));
	bd_buf_release(&v);
}

/* The same, from a real function the compiler built, found by its symbol
 * (exported, or in the symbol table), and not once the file is stripped
 * of a symbol it did not export. */
static void test_function_rule_real(void)
{
	char tmp[] = "/tmp/bd-fn-XXXXXX", path[128];
	static const char *const flags[] = { "", "-fcf-protection=full" };
	struct bd_buf v = BD_BUF_INIT;
	struct bd_probe p;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	bd_test_write(tmp, "/v.c",
		      "int lib_version(void) { return 0x010907; }\n"
		      "__attribute__((visibility(\"hidden\")))\n"
		      "int hidden_version(void) { return 10203; }\n"
		      "int use(void) { return hidden_version(); }\n");
	for (i = 0; i < BD_ARRAY_SIZE(flags); i++) {
		bd_test_sh("cd '%s' && cc -O2 %s -shared -fPIC -o v.so v.c && "
			   "cp v.so s.so && strip s.so",
			   tmp, flags[i]);
		snprintf(path, sizeof(path), "%s/v.so", tmp);
		CU_ASSERT_EQUAL_FATAL(bd_probe_open(&p, NULL, path), 0);
		CU_ASSERT(bd_probe_function(&p, "lib_version", "bytes:M.m.p",
					    &v));
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1.9.7");
		CU_ASSERT(
			bd_probe_function(&p, "hidden_version", "M.mm.pp", &v));
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&v), "1.2.3");
		CU_ASSERT_FALSE(bd_probe_function(&p, "use", "M.mm.pp", &v) &&
				strcmp(bd_buf_str(&v), "1.2.3"));
		CU_ASSERT_FALSE(bd_probe_function(&p, "absent", "M.mm.pp", &v));
		bd_probe_close(&p);
		snprintf(path, sizeof(path), "%s/s.so", tmp);
		CU_ASSERT_EQUAL_FATAL(bd_probe_open(&p, NULL, path), 0);
		CU_ASSERT(bd_probe_function(&p, "lib_version", "bytes:M.m.p",
					    &v));
		CU_ASSERT_FALSE(
			bd_probe_function(&p, "hidden_version", "M.mm.pp", &v));
		bd_probe_close(&p);
	}
	/* Hostile files: cut short (the tables past its end), a FIFO (not
	 * opened for reading, never waited on), a symlink out of a root. */
	bd_test_sh("cd '%s' && head -c 3000 v.so > cut.so && mkfifo fifo.so && "
		   "mkdir root && ln -s ../v.so root/out.so",
		   tmp);
	snprintf(path, sizeof(path), "%s/cut.so", tmp);
	if (!bd_probe_open(&p, NULL, path)) {
		CU_ASSERT_FALSE(bd_probe_function(&p, "lib_version",
						  "bytes:M.m.p", &v));
		bd_probe_close(&p);
	}
	snprintf(path, sizeof(path), "%s/fifo.so", tmp);
	CU_ASSERT_NOT_EQUAL(bd_probe_open(&p, NULL, path), 0);
	{
		struct bd_root r;
		char rootdir[160];

		snprintf(rootdir, sizeof(rootdir), "%s/root", tmp);
		snprintf(path, sizeof(path), "%s/root/out.so", tmp);
		CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, rootdir, NULL), 0);
		CU_ASSERT_NOT_EQUAL(bd_probe_open(&p, &r, path), 0);
		bd_root_release(&r);
	}
	bd_buf_release(&v);
	bd_test_sh("rm -rf '%s'", tmp);
}

/* ---- the registry compiled in ------------------------------------------ */

static unsigned field_differs(const struct bd_mapping *e, const char *field)
{
	fprintf(stderr, "\n  %s:%u %s: %s differs", e->shown, e->line, e->name,
		field);
	return 1;
}

static bool same_string(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* The same list: both there or both not (the loader keeps an empty one
 * apart from none), the same strings. */
static bool same_list(char *const *a, unsigned na, char *const *b, unsigned nb)
{
	unsigned i;

	if (na != nb || !a != !b)
		return false;
	for (i = 0; i < na; i++)
		if (!same_string(a[i], b[i]))
			return false;
	return true;
}

static bool same_rule(const struct bd_version_rule *a,
		      const struct bd_version_rule *b)
{
	return same_string(a->filename, b->filename) &&
	       same_string(a->soname, b->soname) &&
	       same_string(a->verdef, b->verdef) &&
	       same_string(a->strings, b->strings) &&
	       same_string(a->bare, b->bare) &&
	       same_string(a->function, b->function) &&
	       same_string(a->returns, b->returns);
}

static bool same_rules(const struct bd_mapping *a, const struct bd_mapping *b)
{
	unsigned i;

	if (a->version_count != b->version_count || !a->version != !b->version)
		return false;
	for (i = 0; i < a->version_count; i++)
		if (!same_rule(&a->version[i], &b->version[i]))
			return false;
	return true;
}

static bool same_license_strings(const struct bd_mapping *a,
				 const struct bd_mapping *b)
{
	unsigned i;

	if (a->license_strings_count != b->license_strings_count ||
	    !a->license_strings != !b->license_strings)
		return false;
	for (i = 0; i < a->license_strings_count; i++)
		if (!same_string(a->license_strings[i].strings,
				 b->license_strings[i].strings) ||
		    !same_string(a->license_strings[i].license,
				 b->license_strings[i].license))
			return false;
	return true;
}

static bool same_sources(const struct bd_mapping_sources *a,
			 const struct bd_mapping_sources *b)
{
	if (!a || !b)
		return a == b;
	return same_list(a->debian, a->debian_count, b->debian,
			 b->debian_count) &&
	       same_list(a->alpine, a->alpine_count, b->alpine,
			 b->alpine_count) &&
	       same_list(a->fedora, a->fedora_count, b->fedora,
			 b->fedora_count);
}

static bool same_manifest(const struct bd_mapping_manifest *a,
			  const struct bd_mapping_manifest *b)
{
	if (!a || !b)
		return a == b;
	return same_string(a->path, b->path) &&
	       same_string(a->format, b->format);
}

#define SAME_LIST(a, b, f) same_list(a->f, a->f##_count, b->f, b->f##_count)

/* How many fields of two entries differ (each said on stderr), all but
 * file and shown, which name where each was read. */
static unsigned entry_differences(const struct bd_mapping *a,
				  const struct bd_mapping *b)
{
	static const char *const names[] = { "name",	   "purl",
					     "repository", "homepage",
					     "license",	   "cpe",
					     "registry",   "example_version" };
	const char *sa[] = { a->name,	  a->purl,	     a->repository,
			     a->homepage, a->license,	     a->cpe,
			     a->registry, a->example_version };
	const char *sb[] = { b->name,	  b->purl,	     b->repository,
			     b->homepage, b->license,	     b->cpe,
			     b->registry, b->example_version };
	unsigned n = 0;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!same_string(sa[i], sb[i]))
			n += field_differs(a, names[i]);
	if (!SAME_LIST(a, b, files))
		n += field_differs(a, "files");
	if (!same_rules(a, b))
		n += field_differs(a, "version");
	if (!same_license_strings(a, b))
		n += field_differs(a, "license_strings");
	if (!SAME_LIST(a, b, markers))
		n += field_differs(a, "markers");
	if (!same_sources(a->sources, b->sources))
		n += field_differs(a, "sources");
	if (!SAME_LIST(a, b, placeholders))
		n += field_differs(a, "placeholders");
	if (!same_manifest(a->manifest, b->manifest))
		n += field_differs(a, "manifest");
	if (!SAME_LIST(a, b, manifest_names))
		n += field_differs(a, "manifest_names");
	if (!SAME_LIST(a, b, examples))
		n += field_differs(a, "examples");
	if (a->line != b->line)
		n += field_differs(a, "line");
	return n;
}

/* Every entry of file i of a and file j of b the same. */
static void expect_same_file(const struct bd_mappings *a, size_t i,
			     const struct bd_mappings *b, size_t j)
{
	const struct bd_mapping_file *fa = a->files[i], *fb = b->files[j];
	unsigned k;

	CU_ASSERT_EQUAL_FATAL(fa->libraries_count, fb->libraries_count);
	for (k = 0; k < fa->libraries_count; k++)
		CU_ASSERT_EQUAL(
			entry_differences(&fa->libraries[k], &fb->libraries[k]),
			0);
}

/* Where an entry is in m: file * 100000 + index; -1 for none. */
static long entry_at(const struct bd_mappings *m, const struct bd_mapping *e)
{
	size_t i;

	for (i = 0; e && i < m->n; i++) {
		const struct bd_mapping_file *f = m->files[i];

		if (e >= f->libraries && e < f->libraries + f->libraries_count)
			return (long)i * 100000 + (e - f->libraries);
	}
	return -1;
}

/* The same answers from both, by name, source package and manifest name,
 * for every name the entries give. */
static void expect_same_lookups(const struct bd_mappings *a,
				const struct bd_mappings *b)
{
	static const char *const os[] = { "debian", "alpine", "fedora" };
	size_t i;
	unsigned j, k, f;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < a->files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &a->files[i]->libraries[j];
			char *const *list[3] = { NULL, NULL, NULL };
			unsigned count[3] = { 0, 0, 0 };

			for (k = 0; k < e->examples_count; k++)
				CU_ASSERT_EQUAL(
					entry_at(a, bd_mappings_by_file(
							    a, e->examples[k],
							    e->examples[k])),
					entry_at(b, bd_mappings_by_file(
							    b, e->examples[k],
							    e->examples[k])));
			for (k = 0; k < e->manifest_names_count; k++)
				CU_ASSERT_EQUAL(
					entry_at(a,
						 bd_mappings_by_manifest_name(
							 a,
							 e->manifest_names[k])),
					entry_at(
						b,
						bd_mappings_by_manifest_name(
							b,
							e->manifest_names[k])));
			CU_ASSERT_EQUAL(
				entry_at(a, bd_mappings_by_manifest_name(
						    a, e->name)),
				entry_at(b, bd_mappings_by_manifest_name(
						    b, e->name)));
			if (e->sources) {
				list[0] = e->sources->debian;
				count[0] = e->sources->debian_count;
				list[1] = e->sources->alpine;
				count[1] = e->sources->alpine_count;
				list[2] = e->sources->fedora;
				count[2] = e->sources->fedora_count;
			}
			for (f = 0; f < 3; f++)
				for (k = 0; k < count[f]; k++)
					CU_ASSERT_EQUAL(
						entry_at(a,
							 bd_mappings_by_source(
								 a, os[f],
								 list[f][k])),
						entry_at(b,
							 bd_mappings_by_source(
								 b, os[f],
								 list[f][k])));
		}
	}
}

/* The same indexes, and the same string rules compiled. */
static void expect_same_indexes(struct bd_mappings *a, struct bd_mappings *b)
{
	struct bd_error err;
	size_t i, n;

	CU_ASSERT_EQUAL_FATAL(a->nkeys, b->nkeys);
	for (i = 0; i < a->nkeys; i++) {
		CU_ASSERT_STRING_EQUAL(a->keys[i].pattern, b->keys[i].pattern);
		CU_ASSERT_EQUAL(a->keys[i].len, b->keys[i].len);
		CU_ASSERT_EQUAL(a->keys[i].file, b->keys[i].file);
		CU_ASSERT_EQUAL(a->keys[i].entry, b->keys[i].entry);
	}
	CU_ASSERT_EQUAL_FATAL(a->nsources, b->nsources);
	for (i = 0; i < a->nsources; i++) {
		CU_ASSERT_EQUAL(a->sources[i].family, b->sources[i].family);
		CU_ASSERT_STRING_EQUAL(a->sources[i].source,
				       b->sources[i].source);
		CU_ASSERT_EQUAL(a->sources[i].file, b->sources[i].file);
		CU_ASSERT_EQUAL(a->sources[i].entry, b->sources[i].entry);
	}
	CU_ASSERT_EQUAL_FATAL(bd_mappings_compile(a, &err), 0);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_compile(b, &err), 0);
	n = bd_strrules_count(a->strings);
	CU_ASSERT_EQUAL_FATAL(n, bd_strrules_count(b->strings));
	for (i = 0; i < n; i++) {
		const struct bd_strrule *ra = bd_strrules_get(a->strings, i),
					*rb = bd_strrules_get(b->strings, i);

		CU_ASSERT_EQUAL(ra->kind, rb->kind);
		CU_ASSERT_STRING_EQUAL(ra->pattern, rb->pattern);
		CU_ASSERT_EQUAL(a->string_of[i].file, b->string_of[i].file);
		CU_ASSERT_EQUAL(a->string_of[i].index, b->string_of[i].index);
		CU_ASSERT_EQUAL(a->string_of[i].rule, b->string_of[i].rule);
	}
}

static void use_builtin(struct bd_mappings *m)
{
	m->builtin = bd_mapping_builtins(&m->nbuiltin);
}

/*
 * The shipped registry compiled in (build/registry_data.c, mkregistry):
 * every file of mappings/ is one, and taken from there gives what parsing
 * it gives, field by field, entry by entry, index by index, and the same
 * answers to every name its entries give.
 */
static void test_registry_compiled_in(void)
{
	struct bd_diag diag = { count, NULL };
	struct bd_mappings p, c;
	struct bd_error err;
	size_t i;

	bd_mappings_init(&p);
	bd_mappings_init(&c);
	use_builtin(&c);
	warnings = 0;
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&p, "mappings", &diag, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_dir(&c, "mappings", &diag, &err),
			      0);
	CU_ASSERT_EQUAL(warnings, 0);
	CU_ASSERT(p.n >= 13);
	CU_ASSERT_EQUAL_FATAL(c.n, p.n);
	CU_ASSERT_EQUAL(c.nbuiltin, p.n);
	for (i = 0; i < p.n; i++) {
		CU_ASSERT_FALSE(p.compiled[i]);
		CU_ASSERT_TRUE(c.compiled[i]);
		CU_ASSERT_STRING_EQUAL(c.paths[i], p.paths[i]);
		CU_ASSERT_STRING_EQUAL(c.shown[i], p.shown[i]);
		CU_ASSERT_EQUAL_FATAL(c.files[i]->libraries_count,
				      p.files[i]->libraries_count);
		/* Set by the load, from the path read. */
		if (c.files[i]->libraries_count) {
			CU_ASSERT_PTR_EQUAL(c.files[i]->libraries[0].file,
					    c.paths[i]);
			CU_ASSERT_PTR_EQUAL(c.files[i]->libraries[0].shown,
					    c.shown[i]);
		}
		expect_same_file(&p, i, &c, i);
	}
	expect_same_indexes(&p, &c);
	expect_same_lookups(&p, &c);
	expect_same_lookups(&c, &p);
	bd_mappings_release(&c);
	/* Released, the table is no longer set. */
	CU_ASSERT_PTR_NULL(c.builtin);
	bd_mappings_release(&p);
}

/* Loads path into a fresh m, with the compiled-in files when builtin. */
static void load_one(struct bd_mappings *m, const char *path, bool builtin)
{
	struct bd_error err;

	bd_mappings_init(m);
	if (builtin)
		use_builtin(m);
	CU_ASSERT_EQUAL_FATAL(bd_mappings_load_file(m, path, &err), 0);
	CU_ASSERT_EQUAL_FATAL(m->n, 1);
}

/*
 * Only a file of the same bytes is taken from the compiled-in copy: one
 * byte changed (the same length), it is parsed and the change is read; a
 * comment added at its end, it is parsed and gives the same entries, lines
 * and all; cut short, at an entry's start or within one, it is parsed: the
 * entries before the cut, or the parser's error; the same bytes under
 * another name are the copy, named as read; data given in memory is
 * parsed.
 */
static void test_registry_compiled_in_differs(void)
{
	char tmp[] = "/tmp/bd-compiled-XXXXXX", path[300];
	struct bd_mappings shipped, m;
	struct bd_error err;
	char *text, *at;
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	CU_ASSERT_EQUAL_FATAL(
		bd_yaml_read("mappings/compression.yml", &text, &len, &err), 0);
	load_one(&shipped, "mappings/compression.yml", true);
	CU_ASSERT_TRUE(shipped.compiled[0]);

	/* The same bytes elsewhere: the copy, named as read. */
	bd_test_write(tmp, "renamed.yml", text);
	snprintf(path, sizeof(path), "%s/renamed.yml", tmp);
	load_one(&m, path, true);
	CU_ASSERT_TRUE(m.compiled[0]);
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[0].shown, path);
	expect_same_file(&shipped, 0, &m, 0);
	bd_mappings_release(&m);

	/* One byte changed: the first entry's name ("zlib-ng": "Zlib-ng"). */
	at = strstr(text, "- name: \"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at += strlen("- name: \"");
	CU_ASSERT_FATAL(islower((unsigned char)*at));
	*at = (char)toupper((unsigned char)*at);
	bd_test_write(tmp, "changed.yml", text);
	snprintf(path, sizeof(path), "%s/changed.yml", tmp);
	load_one(&m, path, true);
	CU_ASSERT_FALSE(m.compiled[0]);
	CU_ASSERT_EQUAL(m.files[0]->libraries[0].name[0], *at);
	CU_ASSERT_STRING_EQUAL(m.files[0]->libraries[0].name + 1,
			       shipped.files[0]->libraries[0].name + 1);
	CU_ASSERT_NOT_EQUAL(m.files[0]->libraries[0].name[0],
			    shipped.files[0]->libraries[0].name[0]);
	bd_mappings_release(&m);
	*at = (char)tolower((unsigned char)*at);

	/* A comment at the end: parsed, the same entries. */
	bd_test_write(tmp, "appended.yml", text);
	snprintf(path, sizeof(path), "%s/appended.yml", tmp);
	bd_test_sh("printf '# appended\\n' >> '%s'", path);
	load_one(&m, path, true);
	CU_ASSERT_FALSE(m.compiled[0]);
	expect_same_file(&shipped, 0, &m, 0);
	bd_mappings_release(&m);

	/* Cut at the second entry's start: parsed, the first entry only. */
	at = strstr(text, "\n  - name: ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at = strstr(at + 1, "\n  - name: ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	bd_test_sh("head -c %zu '%s/renamed.yml' > '%s/cut.yml'",
		   (size_t)(at - text + 1), tmp, tmp);
	snprintf(path, sizeof(path), "%s/cut.yml", tmp);
	load_one(&m, path, true);
	CU_ASSERT_FALSE(m.compiled[0]);
	CU_ASSERT_EQUAL_FATAL(m.files[0]->libraries_count, 1);
	CU_ASSERT_EQUAL(entry_differences(&shipped.files[0]->libraries[0],
					  &m.files[0]->libraries[0]),
			0);
	bd_mappings_release(&m);

	/* Cut within a quoted name: parsed, refused with the file named. */
	bd_test_sh("head -c %zu '%s/renamed.yml' > '%s/cut2.yml'",
		   (size_t)(at - text) + strlen("\n  - name: \"z"), tmp, tmp);
	snprintf(path, sizeof(path), "%s/cut2.yml", tmp);
	bd_mappings_init(&m);
	use_builtin(&m);
	CU_ASSERT_NOT_EQUAL(bd_mappings_load_file(&m, path, &err), 0);
	CU_ASSERT_EQUAL(m.n, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cut2.yml"));
	bd_mappings_release(&m);

	/* Data given in memory: parsed (its entries have no line). */
	bd_mappings_init(&m);
	use_builtin(&m);
	CU_ASSERT_EQUAL(bd_mappings_load_data(&m, "mem.yml", text, len, &err),
			0);
	CU_ASSERT_EQUAL_FATAL(m.n, 1);
	CU_ASSERT_FALSE(m.compiled[0]);
	CU_ASSERT_EQUAL(m.files[0]->libraries[0].line, 0);
	bd_mappings_release(&m);

	bd_mappings_release(&shipped);
	free(text);
	bd_test_sh("rm -rf '%s'", tmp);
}

void bd_test_register_mapping(void)
{
	BD_SUITE("mapping", BD_TEST(test_strip_hash),
		 BD_TEST(test_version_match), BD_TEST(test_version_refined),
		 BD_TEST(test_version_search), BD_TEST(test_load_and_lookup),
		 BD_TEST(test_invalid_files), BD_TEST(test_license_strings),
		 BD_TEST(test_entry_license), BD_TEST(test_manifest_hook),
		 BD_TEST(test_placeholders), BD_TEST(test_manifest_parse),
		 BD_TEST(test_aliases_refused), BD_TEST(test_messages),
		 BD_TEST(test_reader_errors_placed),
		 BD_TEST(test_counts_capped),
		 BD_TEST(test_other_lists_capped_by_name),
		 BD_TEST(test_registry_purls_not_a_file),
		 BD_TEST(test_size_and_read_errors),
		 BD_TEST(test_registry_aliases), BD_TEST(test_registry_license),
		 BD_TEST(test_purl_mended), BD_TEST(test_load_dir),
		 BD_TEST(test_shipped_registry),
		 BD_TEST(test_strings_rules_anchored),
		 BD_TEST(test_registry_strings_real_texts),
		 BD_TEST(test_registry_lookalikes),
		 BD_TEST(test_registry_shared_source),
		 BD_TEST(test_index_agrees_with_walk),
		 BD_TEST(test_upstream_version),
		 BD_TEST(test_registry_against_host),
		 BD_TEST(test_function_constants),
		 BD_TEST(test_function_rule_real),
		 BD_TEST(test_registry_compiled_in),
		 BD_TEST(test_registry_compiled_in_differs));
}
