/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/artifact.h"
#include "bindep/bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The installed tree's manifests are read as artifacts' are, a missing
 * version allowed (BD_ARTIFACT_ANY_VERSION, as bundle.c reads them). */
static void expect_id(int rc, struct bd_artifact_id *id, const char *want)
{
	CU_ASSERT_EQUAL(rc, want ? 0 : BD_EFORMAT);
	if (want)
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&id->purl), want);
	bd_artifact_id_release(id);
}

static void expect_pypi(const char *metadata, const char *want)
{
	struct bd_artifact_id id;

	bd_artifact_id_init(&id);
	expect_id(bd_artifact_wheel(metadata, NULL, BD_ARTIFACT_ANY_VERSION,
				    &id, NULL),
		  &id, want);
}

static void expect_npm(const char *json, const char *want)
{
	struct bd_artifact_id id;

	bd_artifact_id_init(&id);
	expect_id(bd_artifact_npm(json, BD_ARTIFACT_ANY_VERSION, &id, NULL),
		  &id, want);
}

static void test_manifests(void)
{
	expect_pypi("Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.0\n",
		    "pkg:pypi/demo-pkg@1.0");
	expect_pypi("Metadata-Version: 2.1\r\nName: numpy\r\nVersion: "
		    "1.26.4+local\r\n\r\nName: not-a-header\n",
		    "pkg:pypi/numpy@1.26.4%2Blocal");
	/* Headers end at the first empty line. */
	expect_pypi("Metadata-Version: 2.1\n\nName: body\n", NULL);
	expect_pypi("Name:\n", NULL);
	expect_npm("{\"name\":\"@img/sharp-libvips-linux-x64\","
		   "\"version\":\"1.0.4\"}",
		   "pkg:npm/%40img/sharp-libvips-linux-x64@1.0.4");
	expect_npm("{\"name\":\"onnxruntime-node\",\"version\":\"1.20.1\"}",
		   "pkg:npm/onnxruntime-node@1.20.1");
	expect_npm("{\"name\":\"no-version\"}", "pkg:npm/no-version");
	expect_npm("{\"name\":\"a/b\"}", NULL);
	expect_npm("{\"version\":\"1\"}", NULL);
	expect_npm("[1]", NULL);
}

static void test_find(void)
{
	char dir[] = "/tmp/bd-bundle-XXXXXX", path[300];
	struct bd_bundle_hit hit = { BD_BUF_INIT, BD_BUF_INIT, BD_BUF_INIT,
				     BD_BUF_INIT };
	struct bd_bundle_search search;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_bundle_search_init(&search, NULL, NULL);
	bd_test_mk(dir, "site/", NULL);
	bd_test_mk(dir, "site/a-1.dist-info/", NULL);
	bd_test_mk(dir, "site/b-2.dist-info/", NULL);
	bd_test_mk(dir, "site/b.libs/", NULL);
	bd_test_write(dir, "site/a-1.dist-info/METADATA",
		      "Name: a\nVersion: 1\n");
	bd_test_write(dir, "site/a-1.dist-info/RECORD", "a/x.py,,\n");
	bd_test_write(dir, "site/b-2.dist-info/METADATA",
		      "Name: b\nVersion: 2\nLicense: BSD\n"
		      "License-Expression: bsd-3-clause OR mit\n");
	bd_test_write(dir, "site/b-2.dist-info/RECORD",
		      "b/x.py,,\nb.libs/libz.so.1,sha256=x,1\n");
	bd_test_mk(dir, "site/b.libs/libz.so.1", NULL);
	/* The wheel whose RECORD lists the file, among several. */
	snprintf(path, sizeof(path), "%s/site/b.libs/libz.so.1", dir);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.purl), "pkg:pypi/b@2");
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&hit.manifest),
				      "/site/b-2.dist-info/METADATA"));
	/* Its declared licence, as the SPDX list spells it. */
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.license), "BSD-3-Clause OR MIT");
	CU_ASSERT_EQUAL(hit.license_text.len, 0);
	/* The nearest package.json up the tree. */
	bd_test_mk(dir, "node_modules/", NULL);
	bd_test_mk(dir, "node_modules/pkg/", NULL);
	bd_test_mk(dir, "node_modules/pkg/lib/", NULL);
	bd_test_write(dir, "node_modules/pkg/package.json",
		      "{\"name\":\"pkg\",\"version\":\"3.0.0\","
		      "\"license\":\"SEE LICENSE IN LICENSE\"}");
	bd_test_mk(dir, "node_modules/pkg/lib/libvips.so.42", NULL);
	snprintf(path, sizeof(path), "%s/node_modules/pkg/lib/libvips.so.42",
		 dir);
	bd_bundle_hit_release(&hit);
	bd_bundle_hit_init(&hit);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.purl), "pkg:npm/pkg@3.0.0");
	/* Not an expression: kept as written. */
	CU_ASSERT_EQUAL(hit.license.len, 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.license_text),
			       "SEE LICENSE IN LICENSE");
	/* Nothing above a lone file. */
	bd_test_mk(dir, "lone.so", NULL);
	snprintf(path, sizeof(path), "%s/lone.so", dir);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), BD_ENOENT);
	bd_bundle_hit_release(&hit);
	bd_bundle_search_release(&search);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

static void count_warning(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)msg;
	if (level == BD_DIAG_WARNING)
		(*(int *)ctx)++;
}

/* Under a root, the search never climbs above it, and a manifest that is
 * a FIFO is neither opened (no hang) nor warned about twice. */
static void test_find_confined(void)
{
	char dir[] = "/tmp/bd-bundle-XXXXXX", path[300], rootdir[300];
	struct bd_bundle_hit hit = { BD_BUF_INIT, BD_BUF_INIT, BD_BUF_INIT,
				     BD_BUF_INIT };
	struct bd_bundle_search search;
	struct bd_root root;
	int warnings = 0;
	struct bd_diag diag = { count_warning, &warnings };

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_write(dir, "package.json", "{\"name\":\"outside\"}");
	bd_test_mk(dir, "rootfs/", NULL);
	bd_test_mk(dir, "rootfs/lib/", NULL);
	bd_test_mk(dir, "rootfs/lib/libx.so.1", NULL);
	snprintf(rootdir, sizeof(rootdir), "%s/rootfs", dir);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, rootdir, NULL), 0);
	snprintf(path, sizeof(path), "%s/lib/libx.so.1", root.host);
	/* On the host, the package.json above is found... */
	bd_bundle_search_init(&search, NULL, NULL);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), 0);
	bd_bundle_search_release(&search);
	/* ...but it is outside the root. */
	snprintf(path, sizeof(path), "%s/rootfs/lib/package.json", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0644), 0);
	snprintf(path, sizeof(path), "%s/lib/libx.so.1", root.host);
	bd_bundle_search_init(&search, &root, &diag);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), BD_ENOENT);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), BD_ENOENT);
	CU_ASSERT_EQUAL(warnings, 1);
	bd_bundle_search_release(&search);
	bd_root_release(&root);
	bd_bundle_hit_release(&hit);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* What a directory holds is read once per run: a second library beside
 * the first finds its wheel although the RECORD has gone since (it is not
 * read again), and the manifest is named inside the root. */
static void test_find_memoised_inside_root(void)
{
	char dir[] = "/tmp/bd-bundle-XXXXXX", path[300];
	struct bd_bundle_hit hit = { BD_BUF_INIT, BD_BUF_INIT, BD_BUF_INIT,
				     BD_BUF_INIT };
	struct bd_bundle_search search;
	struct bd_root root;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "opt/", NULL);
	bd_test_mk(dir, "opt/site/", NULL);
	bd_test_mk(dir, "opt/site/b-2.dist-info/", NULL);
	bd_test_mk(dir, "opt/site/b.libs/", NULL);
	bd_test_write(dir, "opt/site/b-2.dist-info/METADATA",
		      "Name: b\nVersion: 2\n");
	bd_test_write(dir, "opt/site/b-2.dist-info/RECORD",
		      "b.libs/libz.so.1,sha256=x,1\nb.libs/libq.so.1,,\n");
	bd_test_mk(dir, "opt/site/b.libs/libz.so.1", NULL);
	bd_test_mk(dir, "opt/site/b.libs/libq.so.1", NULL);
	bd_test_mk(dir, "opt/app/", NULL);
	bd_test_mk(dir, "opt/app/x/", NULL);
	bd_test_write(dir, "opt/app/x/package.json",
		      "{\"name\":\"x\",\"version\":\"1.0.0\"}");
	bd_test_mk(dir, "opt/app/x/libx.so.1", NULL);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	bd_bundle_search_init(&search, &root, NULL);
	snprintf(path, sizeof(path), "%s/opt/site/b.libs/libz.so.1", root.host);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.purl), "pkg:pypi/b@2");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.manifest),
			       "/opt/site/b-2.dist-info/METADATA");
	snprintf(path, sizeof(path), "%s/opt/site/b-2.dist-info/RECORD",
		 root.host);
	CU_ASSERT_EQUAL(unlink(path), 0);
	bd_buf_reset(&hit.purl);
	bd_buf_reset(&hit.manifest);
	snprintf(path, sizeof(path), "%s/opt/site/b.libs/libq.so.1", root.host);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.purl), "pkg:pypi/b@2");
	bd_buf_reset(&hit.purl);
	bd_buf_reset(&hit.manifest);
	snprintf(path, sizeof(path), "%s/opt/app/x/libx.so.1", root.host);
	CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.purl), "pkg:npm/x@1.0.0");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.manifest),
			       "/opt/app/x/package.json");
	bd_bundle_search_release(&search);
	bd_root_release(&root);
	bd_bundle_hit_release(&hit);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* The directory a file is in is decided once for all its files: one
 * entry for it, each directory above it visited once, and a wheel found
 * for the files its RECORD lists, not for the others beside them. */
static void test_find_once_per_directory(void)
{
	static const char *const names[] = { "a.so", "b.so", "c.so" };
	char dir[] = "/tmp/bd-bundle-XXXXXX", path[300];
	struct bd_bundle_hit hit = { BD_BUF_INIT, BD_BUF_INIT, BD_BUF_INIT,
				     BD_BUF_INIT };
	struct bd_bundle_search search;
	struct bd_root root;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "lib/", NULL);
	bd_test_mk(dir, "site/", NULL);
	bd_test_mk(dir, "site/b-2.dist-info/", NULL);
	bd_test_mk(dir, "site/b.libs/", NULL);
	bd_test_write(dir, "site/b-2.dist-info/METADATA",
		      "Name: b\nVersion: 2\n");
	bd_test_write(dir, "site/b-2.dist-info/RECORD",
		      "b.libs/libz.so.1,sha256=x,1\n");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	bd_bundle_search_init(&search, &root, NULL);
	for (i = 0; i < BD_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/lib/%s", root.host, names[i]);
		CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), BD_ENOENT);
	}
	CU_ASSERT_EQUAL(search.nparents, 1);
	CU_ASSERT_EQUAL(search.ndirs, 2); /* lib and the root */
	for (i = 0; i < 2; i++) {
		bd_buf_reset(&hit.purl);
		snprintf(path, sizeof(path), "%s/site/b.libs/libz.so.1",
			 root.host);
		CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), 0);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&hit.purl), "pkg:pypi/b@2");
		snprintf(path, sizeof(path), "%s/site/b.libs/libq.so.1",
			 root.host);
		CU_ASSERT_EQUAL(bd_bundle_find(&search, path, &hit), BD_ENOENT);
	}
	CU_ASSERT_EQUAL(search.nparents, 2);
	CU_ASSERT_EQUAL(search.ndirs, 4); /* and site/b.libs, site */
	bd_bundle_search_release(&search);
	bd_root_release(&root);
	bd_bundle_hit_release(&hit);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

void bd_test_register_bundle(void)
{
	BD_SUITE("bundle", BD_TEST(test_manifests), BD_TEST(test_find),
		 BD_TEST(test_find_confined),
		 BD_TEST(test_find_memoised_inside_root),
		 BD_TEST(test_find_once_per_directory));
}
