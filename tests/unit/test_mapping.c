/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	CU_ASSERT_EQUAL(e->version_count, 2);
	/* Found by soname when the file name says nothing. */
	e = bd_mappings_by_file(&m, "renamed", "libpng16.so.16");
	CU_ASSERT(e && !strcmp(e->name, "libpng"));
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
}

static int warnings;

static void count(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	(void)msg;
	warnings += level == BD_DIAG_WARNING;
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
	bd_mappings_release(&m);
	CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, "/nonexistent", &diag, &err),
			BD_ENOENT);
	system(strcat(strcpy((char[320]){ 0 }, "rm -rf "), dir));
}

/*
 * The shipped registry: it loads without a warning, covers at least 150
 * libraries, and every entry's examples (real file names) are matched by
 * that entry, with the version its rules read from the name.
 */
static __attribute__((unused)) void test_shipped_registry(void)
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
				bd_mapping_strip_hash(e->examples[k], &s);
				if (e->example_version &&
				    bd_mapping_read_version(e, s.data, NULL,
							    NULL, &v, &rule))
					CU_ASSERT_STRING_EQUAL(
						v.data, e->example_version);
				bd_buf_release(&v);
				bd_buf_release(&s);
			}
		}
	}
	CU_ASSERT(entries >= 150);
	bd_mappings_release(&m);
}

void bd_test_register_mapping(void)
{
	BD_SUITE("mapping", BD_TEST(test_strip_hash),
		 BD_TEST(test_version_match), BD_TEST(test_version_search),
		 BD_TEST(test_load_and_lookup), BD_TEST(test_invalid_files),
		 BD_TEST(test_load_dir));
}
