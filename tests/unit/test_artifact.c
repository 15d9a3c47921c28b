/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/artifact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Percent-decodes s[0..len) (the purl's encoding, ECMA-427). */
static char *pct_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	for (i = 0; i < len; i++) {
		unsigned v;

		if (s[i] == '%' && i + 2 < len &&
		    sscanf(s + i + 1, "%2x", &v) == 1) {
			*o++ = (char)v;
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/*
 * The round trip: the purl's name and version, split at the separators
 * ECMA-427 reserves and decoded, give back the name (normalised as the
 * type says) and the version the manifest has.
 */
static void round_trip(const char *purl, const char *name, const char *version)
{
	const char *end = purl + strcspn(purl, "?#");
	const char *at = memchr(purl, '@', (size_t)(end - purl));
	const char *stop = at ? at : end;
	const char *slash = stop;
	char *got;

	while (slash > purl && slash[-1] != '/')
		slash--;
	CU_ASSERT_FATAL(slash > purl);
	got = pct_decode(slash, (size_t)(stop - slash));
	CU_ASSERT_STRING_EQUAL(got, name);
	free(got);
	if (version) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		got = pct_decode(at + 1, (size_t)(end - at - 1));
		CU_ASSERT_STRING_EQUAL(got, version);
		free(got);
	}
}

static void expect_purl(int rc, const struct bd_artifact_id *id,
			const char *want)
{
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id->purl), want);
	if (rc || strcmp(bd_buf_str(&id->purl), want))
		fprintf(stderr, "\n  rc %d got  %s\n  want %s\n", rc,
			bd_buf_str(&id->purl), want);
}

/* A failure with the expected code, its message naming what. */
static void expect_fail(int rc, int code, const struct bd_error *err,
			const char *what)
{
	CU_ASSERT_EQUAL(rc, code);
	if (what) {
		CU_ASSERT_PTR_NOT_NULL(strstr(err->msg, what));
		if (!strstr(err->msg, what))
			fprintf(stderr, "\n  message '%s' lacks '%s'\n",
				err->msg, what);
	}
}

/* numpy's METADATA, shortened: a folded License, a body after the blank
 * line that must not be read as headers, CRLF line ends. */
static const char numpy_metadata[] =
	"Metadata-Version: 2.1\r\n"
	"Name: numpy\r\n"
	"Version: 1.26.4\r\n"
	"Summary: Fundamental package for array computing in Python\r\n"
	"Home-page: https://numpy.org\r\n"
	"Author: Travis E. Oliphant et al.\r\n"
	"Maintainer-Email: NumPy Developers <numpy-discussion@python.org>\r\n"
	"License: Copyright (c) 2005-2023, NumPy Developers.\r\n"
	"         All rights reserved.\r\n"
	"         Name: not-a-header\r\n"
	"Classifier: Programming Language :: C\r\n"
	"Requires-Python: >=3.9\r\n"
	"Description-Content-Type: text/markdown\r\n"
	"\r\n"
	"Name: body\r\n"
	"Version: 0\r\n";

static void test_wheel(void)
{
	struct bd_artifact_id id;
	struct bd_error err;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_wheel(numpy_metadata,
				      "dist/numpy-1.26.4-cp311-cp311-"
				      "manylinux_2_17_x86_64.manylinux2014_"
				      "x86_64.whl",
				      0, &id, &err),
		    &id, "pkg:pypi/numpy@1.26.4");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.arch),
			       "manylinux_2_17_x86_64.manylinux2014_x86_64");
	/* purl-spec's pypi rule: lowercase, each '_' a '-', a '.' kept;
	 * the name keeps the manifest's spelling. */
	expect_purl(bd_artifact_wheel("Metadata-Version: 2.3\n"
				      "name: Zope._-Interface\n"
				      "version: 6.1\n",
				      NULL, 0, &id, &err),
		    &id, "pkg:pypi/zope.--interface@6.1");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), "Zope._-Interface");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.arch), "");
	round_trip(bd_buf_str(&id.purl), "zope.--interface", "6.1");
	/* A local version's '+' is encoded. */
	expect_purl(bd_artifact_wheel("Name: torch\nVersion: 2.1.0+cu121\n",
				      NULL, 0, &id, &err),
		    &id, "pkg:pypi/torch@2.1.0%2Bcu121");
	round_trip(bd_buf_str(&id.purl), "torch", "2.1.0+cu121");
	/* The file name fills what METADATA lacks. */
	expect_purl(bd_artifact_wheel("Metadata-Version: 2.1\nName: Demo_Pkg\n",
				      "demo_pkg-1.0-py3-none-any.whl", 0, &id,
				      &err),
		    &id, "pkg:pypi/demo-pkg@1.0");
	expect_purl(bd_artifact_wheel(NULL, "demo_pkg-2.0-py3-none-any.whl", 0,
				      &id, &err),
		    &id, "pkg:pypi/demo-pkg@2.0");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), "demo_pkg");
	bd_artifact_id_release(&id);
}

static void test_wheel_missing(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_wheel("Name: keep\nVersion: 1\n", NULL, 0, &id,
				      &err),
		    &id, "pkg:pypi/keep@1");
	/* Headers end at the first empty line. */
	rc = bd_artifact_wheel("Metadata-Version: 2.1\n\nName: x\nVersion: 1\n",
			       NULL, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Name'");
	rc = bd_artifact_wheel("Name: x\n", NULL, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Version'");
	/* ... unless a missing version is allowed (an installed tree). */
	expect_purl(bd_artifact_wheel("Name: x\n", NULL,
				      BD_ARTIFACT_ANY_VERSION, &id, &err),
		    &id, "pkg:pypi/x");
	/* A file name that is not a wheel's is no fallback. */
	rc = bd_artifact_wheel("Name: x\n", "x-1.0.tar.gz", 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Version'");
	rc = bd_artifact_wheel(NULL, NULL, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, NULL);
	/* A failure leaves the id as it was. */
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.purl), "pkg:pypi/x");
	bd_artifact_id_release(&id);
}

/*
 * Where METADATA's headers end, as Python's email.parser (compat32) reads
 * it: at an empty line, or at the first line that is no header line
 * (feedparser's headerRE: "From ", a name of printable characters but
 * ':' then ':', or white space first). What follows is the body: its
 * "Name:" names nothing, and neither does a licence there.
 */
static void test_wheel_body_start(void)
{
	static const char *const nameless[] = {
		"Metadata-Version: 2.1\nSummary without a colon\nName: x\n"
		"Version: 1\n",
		"Metadata-Version: 2.1\nName : x\nName: y\nVersion: 1\n",
		"\xef\xbb\xbfName: x\nVersion: 1\n",
	};
	struct bd_artifact_id id;
	struct bd_error err;
	size_t i;
	int rc;

	bd_artifact_id_init(&id);
	for (i = 0; i < BD_ARRAY_SIZE(nameless); i++) {
		rc = bd_artifact_wheel(nameless[i], NULL, 0, &id, &err);
		expect_fail(rc, BD_EFORMAT, &err, "'Name'");
	}
	expect_purl(bd_artifact_wheel("Name: x\nVersion: 1\nDescription text\n"
				      "License: MIT\n",
				      NULL, 0, &id, &err),
		    &id, "pkg:pypi/x@1");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.license), "");
	/* Header lines all the same, though malformed: a "From " line,
	 * ":" with no name, a continuation with nothing before it. */
	expect_purl(bd_artifact_wheel("From nobody\n:odd\n cont\nName: x\n"
				      "Version: 2\n",
				      NULL, 0, &id, &err),
		    &id, "pkg:pypi/x@2");
	bd_artifact_id_release(&id);
}

/* A line of white space only starts with white space: email.parser takes
 * it for a continuation, not for the end of the headers. distutils'
 * rfc822_escape wrote a Description's empty line so. */
static void test_wheel_space_line(void)
{
	struct bd_artifact_id id;
	struct bd_error err;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_wheel("Metadata-Version: 1.1\n"
				      "Name: x\n"
				      "Description: First paragraph.\n"
				      "        \n"
				      "        Second paragraph.\n"
				      "Version: 1.0\n"
				      "License: MIT\n",
				      NULL, 0, &id, &err),
		    &id, "pkg:pypi/x@1.0");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.license), "MIT");
	bd_artifact_id_release(&id);
}

static void expect_wheel_name(const char *file, const char *dist,
			      const char *build, const char *platform)
{
	struct bd_wheel_name w;
	struct bd_error err;
	int rc;

	bd_wheel_name_init(&w);
	rc = bd_artifact_wheel_filename(file, &w, &err);
	CU_ASSERT_EQUAL(rc, dist ? 0 : BD_EFORMAT);
	if (dist && !rc) {
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&w.distribution), dist);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&w.build), build);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&w.platform), platform);
	}
	bd_wheel_name_release(&w);
}

static void test_wheel_filename(void)
{
	struct bd_wheel_name w;
	struct bd_error err;

	expect_wheel_name("dist/mypkg-2.1.0-cp311-cp311-manylinux_2_17_"
			  "x86_64.whl",
			  "mypkg", "", "manylinux_2_17_x86_64");
	expect_wheel_name("torch-2.1.0-1-cp311-cp311-linux_x86_64.whl", "torch",
			  "1", "linux_x86_64");
	expect_wheel_name("six-1.16.0-py2.py3-none-any.WHL", "six", "", "any");
	/* PEP 427: the build tag starts with a digit. */
	expect_wheel_name("torch-2.1.0-b1-cp311-cp311-linux_x86_64.whl", NULL,
			  NULL, NULL);
	expect_wheel_name("foo-1.0-py3-none.whl", NULL, NULL, NULL);
	expect_wheel_name("foo-1.0-1-2-py3-none-any.whl", NULL, NULL, NULL);
	expect_wheel_name("foo--1.0-py3-none-any.whl", NULL, NULL, NULL);
	expect_wheel_name("foo-1.0-py3-none-any.zip", NULL, NULL, NULL);
	expect_wheel_name(".whl", NULL, NULL, NULL);
	expect_wheel_name("", NULL, NULL, NULL);
	bd_wheel_name_init(&w);
	CU_ASSERT_EQUAL(
		bd_artifact_wheel_filename("a-1-py3-none-any.whl", &w, &err),
		0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&w.python), "py3");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&w.abi), "none");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&w.version), "1");
	bd_wheel_name_release(&w);
}

/* sharp's libvips package, as npm pack writes package/package.json. */
static const char sharp_json[] =
	"{\n"
	"  \"name\": \"@img/sharp-libvips-linux-x64\",\n"
	"  \"version\": \"1.0.4\",\n"
	"  \"description\": \"Prebuilt libvips and dependencies for use with "
	"sharp on Linux (glibc) x64\",\n"
	"  \"author\": \"Lovell Fuller <npm@lovell.info>\",\n"
	"  \"homepage\": \"https://sharp.pixelplumbing.com\",\n"
	"  \"repository\": {\n"
	"    \"type\": \"git\",\n"
	"    \"url\": \"git+https://github.com/lovell/sharp-libvips.git\",\n"
	"    \"directory\": \"npm/linux-x64\"\n"
	"  },\n"
	"  \"license\": \"LGPL-3.0-or-later\",\n"
	"  \"funding\": { \"url\": \"https://opencollective.com/libvips\" },\n"
	"  \"preferUnplugged\": true,\n"
	"  \"publishConfig\": { \"access\": \"public\" },\n"
	"  \"files\": [ \"lib\", \"versions.json\" ],\n"
	"  \"type\": \"commonjs\",\n"
	"  \"exports\": { \"./lib\": \"./lib/index.js\" },\n"
	"  \"config\": { \"glibc\": \">=2.26\" },\n"
	"  \"os\": [ \"linux\" ],\n"
	"  \"libc\": [ \"glibc\" ],\n"
	"  \"cpu\": [ \"x64\" ]\n"
	"}\n";

static void test_npm(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	static const char *const bad_names[] = { "@img",   "@/x", "@img/",
						 "@a/b/c", "a/b", "" };
	size_t i;
	int rc;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_npm(sharp_json, 0, &id, &err), &id,
		    "pkg:npm/%40img/sharp-libvips-linux-x64@1.0.4");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name),
			       "@img/sharp-libvips-linux-x64");
	round_trip(bd_buf_str(&id.purl), "sharp-libvips-linux-x64", "1.0.4");
	/* A key twice: the last, as npm reads it (JSON.parse, ECMA-262:
	 * a later member replaces an earlier one); the first named a version
	 * only this tool saw. */
	expect_purl(bd_artifact_npm("{\"version\":\"9.9.9\",\"name\":"
				    "\"esbuild\",\"name\":\"second\","
				    "\"version\":\"0.19.12\"}",
				    0, &id, &err),
		    &id, "pkg:npm/second@0.19.12");
	for (i = 0; i < BD_ARRAY_SIZE(bad_names); i++) {
		char json[128];

		snprintf(json, sizeof(json),
			 "{\"name\":\"%s\",\"version\":\"1.0.0\"}",
			 bad_names[i]);
		rc = bd_artifact_npm(json, 0, &id, &err);
		expect_fail(rc, BD_EFORMAT, &err, "'name'");
	}
	rc = bd_artifact_npm("{\"name\":\"x\"}", 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'version'");
	rc = bd_artifact_npm("{\"name\":\"x\",\"version\":1}", 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'version'");
	rc = bd_artifact_npm("{\"name\":[\"x\"],\"version\":\"1\"}", 0, &id,
			     &err);
	expect_fail(rc, BD_EFORMAT, &err, "'name'");
	rc = bd_artifact_npm("[1]", 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "JSON");
	rc = bd_artifact_npm("{\"name\":\"x\",", 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "JSON");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.purl), "pkg:npm/second@0.19.12");
	bd_artifact_id_release(&id);
}

/* libcurl4 of a binNMU: its Source names the source version. */
static const char curl_control[] =
	"Package: libcurl4\n"
	"Source: curl (7.88.1-10+deb12u5)\n"
	"Version: 7.88.1-10+deb12u5+b1\n"
	"Architecture: amd64\n"
	"Maintainer: Debian Curl Maintainers <team+curl@tracker.debian.org>\n"
	"Installed-Size: 831\n"
	"Depends: libbrotli1 (>= 0.6.0), libc6 (>= 2.34), libzstd1 (>= 1.5.2)\n"
	"Section: libs\n"
	"Priority: optional\n"
	"Multi-Arch: same\n"
	"Homepage: https://curl.se/\n"
	"Description: easy-to-use client-side URL transfer library (OpenSSL "
	"flavour)\n"
	" libcurl is an easy-to-use client-side URL transfer library.\n"
	" .\n"
	"Package: not-this\n";

/* Policy 5.6.12: an omitted epoch is 0, so "0:1.0" is "1.0"; dpkg parses
 * the epoch as a number and writes it only when it is not 0 or the rest
 * holds a ':' (varbufversion, vdew_nonambig), as its database has it. */
static void test_deb_epoch(void)
{
	struct bd_artifact_id id;
	struct bd_error err;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_deb("Package: foo\nSource: foo-src (00:1.0-1)\n"
				    "Version: 0:1.0-1\nArchitecture: amd64\n",
				    NULL, &id, &err),
		    &id, "pkg:deb/debian/foo@1.0-1?arch=amd64");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.version), "1.0-1");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source_version), "1.0-1");
	expect_purl(bd_artifact_deb("Package: foo\nVersion: 01:2.0\n", NULL,
				    &id, &err),
		    &id, "pkg:deb/debian/foo@1:2.0");
	expect_purl(bd_artifact_deb("Package: foo\nVersion: 00:1:2.0-1\n", NULL,
				    &id, &err),
		    &id, "pkg:deb/debian/foo@0:1:2.0-1");
	bd_artifact_id_release(&id);
}

/* What a manifest declares, read into id->license (an expression of the
 * SPDX list's identifiers) or id->license_text (anything else); never a
 * reason to fail. */
struct lic_case {
	const char *manifest;
	const char *license, *text; /* "" for none */
};

static void expect_license(int rc, const struct bd_artifact_id *id,
			   const struct lic_case *c)
{
	CU_ASSERT_EQUAL(rc, 0);
	if (strcmp(bd_buf_str(&id->license), c->license) ||
	    strcmp(bd_buf_str(&id->license_text), c->text))
		fprintf(stderr, "%s: license '%s' text '%s'\n", c->manifest,
			bd_buf_str(&id->license),
			bd_buf_str(&id->license_text));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id->license), c->license);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id->license_text), c->text);
}

static void test_declared_license(void)
{
	static const struct lic_case npm[] = {
		{ "\"license\":\"MIT\"", "MIT", "" },
		{ "\"license\":\"(mit OR apache-2.0)\"", "(MIT OR Apache-2.0)",
		  "" },
		{ "\"license\":\"UNLICENSED\"", "", "UNLICENSED" },
		{ "\"license\":\"SEE LICENSE IN LICENSE.md\"", "",
		  "SEE LICENSE IN LICENSE.md" },
		{ "\"license\":\"BSD\"", "", "BSD" },
		{ "\"license\":{\"type\":\"ISC\",\"url\":\"x\"}", "ISC", "" },
		{ "\"license\":\"GPL\",\"license\":\"Zlib\"", "Zlib", "" },
		{ "\"license\":[\"MIT\"]", "", "" },
		{ "\"license\":42", "", "" },
		{ "\"license\":\"  \"", "", "" },
		{ "\"license\":\"MIT\\u0000 OR GPL\"", "MIT", "" },
		{ "\"license\":\"MIT\\nOR Zlib\"", "", "MIT\nOR Zlib" },
		{ "\"license\":{\"type\":{\"type\":\"MIT\"}}", "", "" },
		/* Invalid UTF-8: no expression, its bytes kept (the emitters
		 * make them U+FFFD); an identifier with one is none. */
		{ "\"license\":\"MIT\xff\"", "", "MIT\xff" },
		{ "\"license\":\"\xc3\x28 OR MIT\"", "", "\xc3\x28 OR MIT" },
	};
	static const struct lic_case wheel[] = {
		{ "License-Expression: Apache-2.0 WITH LLVM-exception\n",
		  "Apache-2.0 WITH LLVM-exception", "" },
		{ "License: MIT\n", "MIT", "" },
		{ "License: BSD License\n", "", "BSD License" },
		{ "License: UNKNOWN\n", "", "" },
		{ "License: GPL\nLicense-Expression: lgpl-2.1-or-later\n",
		  "LGPL-2.1-or-later", "" },
		{ "License-Expression: Apache 2\nLicense: MIT\n", "",
		  "Apache 2" },
		{ "License-Expression:\nLicense: MIT\n", "MIT", "" },
		{ "License: Copyright (c) 2024 A\n   Permission is hereby\n",
		  "", "Copyright (c) 2024 A Permission is hereby" },
		{ "License-Expression: \xffMIT\n", "", "\xffMIT" },
		{ "License: MIT\x1b[2J\n", "", "MIT\x1b[2J" },
	};
	struct bd_artifact_id id;
	struct bd_error err;
	char text[4096];
	char *big;
	size_t i;

	bd_artifact_id_init(&id);
	for (i = 0; i < BD_ARRAY_SIZE(npm); i++) {
		snprintf(text, sizeof(text),
			 "{\"name\":\"x\",\"version\":\"1.0.0\",%s}",
			 npm[i].manifest);
		expect_license(bd_artifact_npm(text, 0, &id, &err), &id,
			       &npm[i]);
		snprintf(text, sizeof(text),
			 "{\"name\":\"x\",\"version\":\"1.0\",\"build\":\"0\","
			 "\"subdir\":\"linux-64\",%s}",
			 npm[i].manifest);
		expect_license(bd_artifact_conda(text, &id, &err), &id,
			       &npm[i]);
	}
	for (i = 0; i < BD_ARRAY_SIZE(wheel); i++) {
		snprintf(text, sizeof(text),
			 "Metadata-Version: 2.4\nName: x\nVersion: 1\n%s\n"
			 "License: in the body, not a header\n",
			 wheel[i].manifest);
		expect_license(bd_artifact_wheel(text, NULL, 0, &id, &err), &id,
			       &wheel[i]);
	}
	/* A licence's whole text where its name goes: left out, the
	 * package still named. */
	big = malloc(3 * BD_ARTIFACT_MAX_FIELD);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'a', 2 * BD_ARTIFACT_MAX_FIELD);
	snprintf(big + 2 * BD_ARTIFACT_MAX_FIELD, BD_ARTIFACT_MAX_FIELD,
		 "\nName: x\nVersion: 1\n");
	memcpy(big, "License: ", 9);
	CU_ASSERT_EQUAL(bd_artifact_wheel(big, NULL, 0, &id, &err), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.purl), "pkg:pypi/x@1");
	CU_ASSERT_EQUAL(id.license.len + id.license_text.len, 0);
	free(big);
	bd_artifact_id_release(&id);
}

static void test_deb(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_deb(curl_control, NULL, &id, &err), &id,
		    "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5%2Bb1"
		    "?arch=amd64");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source), "curl");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source_version),
			       "7.88.1-10+deb12u5");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.arch), "amd64");
	round_trip(bd_buf_str(&id.purl), "libcurl4", "7.88.1-10+deb12u5+b1");
	/* The epoch stays in the version (':' is never encoded); field
	 * names are case-insensitive; the vendor is lowercased. */
	expect_purl(bd_artifact_deb("\npackage: libattr1\nsource: attr\n"
				    "version: 1:2.5.1-4\narchitecture: arm64\n",
				    "Ubuntu", &id, &err),
		    &id, "pkg:deb/ubuntu/libattr1@1:2.5.1-4?arch=arm64");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source), "attr");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source_version), "");
	rc = bd_artifact_deb("Package: x\nArchitecture: all\n", NULL, &id,
			     &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Version'");
	rc = bd_artifact_deb("Version: 1\n", NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Package'");
	/* A folded Package would smuggle white space into the purl. */
	rc = bd_artifact_deb("Package: x\n y\nVersion: 1\n", NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Package'");
	/* Source names the files' source package now (the registry's
	 * key): a control byte in it is refused as a Package's is, and a
	 * Source past the field cap is a limit (the package keeps none). */
	rc = bd_artifact_deb("Package: x\nSource: a\x01b\nVersion: 1\n", NULL,
			     &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Source'");
	{
		char control[BD_ARTIFACT_MAX_FIELD + 64];

		snprintf(control, sizeof(control),
			 "Package: x\nSource: %0*d\nVersion: 1\n",
			 (int)BD_ARTIFACT_MAX_FIELD + 1, 0);
		rc = bd_artifact_deb(control, NULL, &id, &err);
		CU_ASSERT_EQUAL(rc, BD_ELIMIT);
	}
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.purl),
			       "pkg:deb/ubuntu/libattr1@1:2.5.1-4?arch=arm64");
	bd_artifact_id_release(&id);
}

static void test_rpm(void)
{
	struct bd_rpm_header h = { 0 };
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	h.name = "zlib-ng-compat";
	h.version = "2.1.6";
	h.release = "2.fc40";
	h.arch = "x86_64";
	h.sourcerpm = "zlib-ng-2.1.6-2.fc40.src.rpm";
	h.license = "zlib";
	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_rpm(&h, NULL, &id, &err), &id,
		    "pkg:rpm/fedora/zlib-ng-compat@2.1.6-2.fc40?arch=x86_64");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.license), "Zlib");
	h.license = "GPLv2+";
	expect_purl(bd_artifact_rpm(&h, NULL, &id, &err), &id,
		    "pkg:rpm/fedora/zlib-ng-compat@2.1.6-2.fc40?arch=x86_64");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.license_text), "GPLv2+");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.version), "2.1.6-2.fc40");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source), "zlib-ng");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source_version), "2.1.6-2.fc40");
	h.has_epoch = true;
	h.epoch = 1;
	h.sourcerpm = "odd.rpm";
	expect_purl(bd_artifact_rpm(&h, "openSUSE", &id, &err), &id,
		    "pkg:rpm/opensuse/zlib-ng-compat@2.1.6-2.fc40"
		    "?arch=x86_64&epoch=1");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source), "");
	h.release = NULL;
	rc = bd_artifact_rpm(&h, NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Release'");
	rc = bd_artifact_rpm(NULL, NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "rpm header");
	bd_artifact_id_release(&id);
}

static const char openssl_pkginfo[] =
	"# Generated by abuild 3.12.0-r0\n"
	"# using fakeroot version 1.32.1\n"
	"# Tue Feb 27 12:00:00 UTC 2024\n"
	"pkgname = libcrypto3\n"
	"pkgver = 3.1.4-r5\n"
	"pkgdesc = Crypto library from openssl\n"
	"url = https://www.openssl.org/\n"
	"builddate = 1709035200\n"
	"packager = Buildozer <alpine-devel@lists.alpinelinux.org>\n"
	"size = 4415488\n"
	"arch = x86_64\n"
	"origin = openssl\n"
	"commit = 0b8ba1fe4f9c2b6a3e3bc2e0e9a5b4f17c5a4e11\n"
	"maintainer = Ariadne Conill <ariadne@dereferenced.org>\n"
	"license = Apache-2.0\n"
	"depend = so:libc.musl-x86_64.so.1\n"
	"provides = so:libcrypto.so.3=3\n"
	"pkgname = second\n"
	"datahash = 4d3a8f2b0a\n";

static void test_apk(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_apk(openssl_pkginfo, NULL, &id, &err), &id,
		    "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.source), "openssl");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.license), "Apache-2.0");
	expect_purl(
		bd_artifact_apk("pkgname = musl\r\npkgver = 1.2.4-r2\r\n"
				"license = MIT AND BSD-2-Clause OR GPL2\r\n",
				"wolfi", &id, &err),
		&id, "pkg:apk/wolfi/musl@1.2.4-r2");
	/* Not an expression of the list's identifiers: as written. */
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.license), "");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.license_text),
			       "MIT AND BSD-2-Clause OR GPL2");
	rc = bd_artifact_apk("# pkgname = x\npkgver = 1\n", NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'pkgname'");
	rc = bd_artifact_apk("pkgnamex = y\npkgname\npkgver = 1\n", NULL, &id,
			     &err);
	expect_fail(rc, BD_EFORMAT, &err, "'pkgname'");
	rc = bd_artifact_apk("pkgname = x\n", NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'pkgver'");
	bd_artifact_id_release(&id);
}

/* A field is a line "key = value" from its first byte, as apk-tools
 * reads .PKGINFO (read_info_line splits at the first " = "): a line
 * written otherwise is none, and names nothing. */
static void test_apk_separator(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_apk("pkgname=evil\n"
				    " pkgname = indented\n"
				    "pkgname  = spaced\n"
				    "pkgname = good\n"
				    "pkgver:9\n"
				    "pkgver = 1.0-r0\n",
				    NULL, &id, &err),
		    &id, "pkg:apk/alpine/good@1.0-r0");
	rc = bd_artifact_apk("pkgname=x\npkgver=1\n", NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'pkgname'");
	bd_artifact_id_release(&id);
}

static const char zlib_index[] = "{\n"
				 "  \"arch\": \"x86_64\",\n"
				 "  \"build\": \"h4ab18f5_1\",\n"
				 "  \"build_number\": 1,\n"
				 "  \"depends\": [\n"
				 "    \"libgcc-ng >=12\"\n"
				 "  ],\n"
				 "  \"license\": \"Zlib\",\n"
				 "  \"license_family\": \"Other\",\n"
				 "  \"name\": \"zlib\",\n"
				 "  \"platform\": \"linux\",\n"
				 "  \"subdir\": \"linux-64\",\n"
				 "  \"timestamp\": 1716874379000,\n"
				 "  \"version\": \"1.3.1\"\n"
				 "}\n";

static void test_conda(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_conda(zlib_index, &id, &err), &id,
		    "pkg:conda/zlib@1.3.1?build=h4ab18f5_1&subdir=linux-64");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.arch), "linux-64");
	round_trip(bd_buf_str(&id.purl), "zlib", "1.3.1");
	expect_purl(bd_artifact_conda("{\"name\":\"tzdata\","
				      "\"version\":\"2024a\"}",
				      &id, &err),
		    &id, "pkg:conda/tzdata@2024a");
	rc = bd_artifact_conda("{\"name\":\"x\"}", &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'version'");
	rc = bd_artifact_conda("{\"name\":\"x\",\"version\":\"1\","
			       "\"build\":\"a b\"}",
			       &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'build'");
	bd_artifact_id_release(&id);
}

/* As the Maven Archiver writes it. */
static const char lang3_properties[] = "#Generated by Maven\n"
				       "#Tue Nov 21 12:00:00 UTC 2023\n"
				       "artifactId=commons-lang3\n"
				       "groupId=org.apache.commons\n"
				       "version=3.14.0\n";

static void test_maven(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_maven(lang3_properties, &id, &err), &id,
		    "pkg:maven/org.apache.commons/commons-lang3@3.14.0");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), "commons-lang3");
	/* The separators and escapes java.util.Properties knows: "key:
	 * value", "key value", '!' comments, a continued line, \uXXXX and a
	 * surrogate pair. */
	expect_purl(bd_artifact_maven("! a comment\r\n"
				      "   # another = x\r\n"
				      "groupId : com.ex\\\r\n"
				      "     ample\r\n"
				      "artifactId  \\u0061pp\\uD83D\\uDE00\n"
				      "ver\\sion = 1.0\n",
				      &id, &err),
		    &id, "pkg:maven/com.example/app%F0%9F%98%80@1.0");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), "app\xf0\x9f\x98\x80");
	round_trip(bd_buf_str(&id.purl), "app\xf0\x9f\x98\x80", "1.0");
	/* A comment line's trailing backslash continues nothing. */
	rc = bd_artifact_maven("#groupId=a\\\ngroupId=g\nartifactId=a\n", &id,
			       &err);
	expect_fail(rc, BD_EFORMAT, &err, "'version'");
	rc = bd_artifact_maven("groupId=a/b\nartifactId=x\nversion=1\n", &id,
			       &err);
	expect_fail(rc, BD_EFORMAT, &err, "'/'");
	rc = bd_artifact_maven("groupId=\\u00zz\n", &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "\\uXXXX");
	rc = bd_artifact_maven("artifactId=x\nversion=1\n", &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'groupId'");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.purl),
			       "pkg:maven/com.example/app%F0%9F%98%80@1.0");
	bd_artifact_id_release(&id);
}

/* A key given twice: the last, as Properties.load puts each line in its
 * Hashtable; the first named a version Java never sees. */
static void test_maven_duplicate(void)
{
	struct bd_artifact_id id;
	struct bd_error err;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_maven("groupId=first\n"
				      "artifactId=app\n"
				      "version=9.9.9\n"
				      "#version=comment\n"
				      "group\\Id = com.example\n"
				      "version : 1.0\n",
				      &id, &err),
		    &id, "pkg:maven/com.example/app@1.0");
	bd_artifact_id_release(&id);
}

/* Properties.load(InputStream) reads ISO-8859-1, the charset the Maven
 * Archiver writes pom.properties in: a byte is the character of that
 * code, put in the purl as UTF-8; UTF-8 bytes are two such characters
 * each, as Java sees them. */
static void test_maven_latin1(void)
{
	struct bd_artifact_id id;
	struct bd_error err;

	bd_artifact_id_init(&id);
	expect_purl(bd_artifact_maven("groupId=org.example\n"
				      "artifactId=caf\xe9\n"
				      "version=1.0-\\\xb5\n",
				      &id, &err),
		    &id, "pkg:maven/org.example/caf%C3%A9@1.0-%C2%B5");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), "caf\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.version), "1.0-\xc2\xb5");
	expect_purl(bd_artifact_maven("groupId=org.example\n"
				      "artifactId=caf\xc3\xa9\n"
				      "version=1.0\n",
				      &id, &err),
		    &id, "pkg:maven/org.example/caf%C3%83%C2%A9@1.0");
	bd_artifact_id_release(&id);
}

static void test_jar_manifest(void)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	/* 72-byte lines, continued by one space; the directive goes. */
	rc = bd_artifact_jar_manifest(
		"Manifest-Version: 1.0\r\n"
		"Created-By: Maven JAR Plugin 3.3.0\r\n"
		"Implementation-Title: Apache Commons Lang\r\n"
		"Implementation-Version: 3.14.0\r\n"
		"Bundle-SymbolicName: org.apache.commons.lang3.with.a.name.lo"
		"nger.than.se\r\n"
		" venty-two.bytes ; singleton:=true\r\n"
		"Bundle-Version: 3.14.0.v2\r\n"
		"\r\n"
		"Name: org/apache/commons/lang3/\r\n"
		"Bundle-SymbolicName: not.this\r\n",
		&id, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&id.name),
		"org.apache.commons.lang3.with.a.name.longer.than."
		"seventy-two.bytes");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.version), "3.14.0.v2");
	/* No groupId, no purl. */
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.purl), "");
	rc = bd_artifact_jar_manifest("Manifest-Version: 1.0\n"
				      "Bundle-SymbolicName: \n"
				      "Implementation-Title: Demo App\n"
				      "Implementation-Version: 0.1\n",
				      &id, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), "Demo App");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.version), "0.1");
	/* A manifest that names nothing: BD_ENOENT, no fault (identify). */
	rc = bd_artifact_jar_manifest("Manifest-Version: 1.0\n", &id, &err);
	expect_fail(rc, BD_ENOENT, &err, "'Bundle-SymbolicName'");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), "Demo App");
	bd_artifact_id_release(&id);
}

/* The main section's name and version, as bd_artifact_jar_manifest reads
 * them. */
static void expect_jar(const char *manifest, const char *name,
		       const char *version)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	rc = bd_artifact_jar_manifest(manifest, &id, &err);
	CU_ASSERT_EQUAL(rc, 0);
	if (strcmp(bd_buf_str(&id.name), name) ||
	    strcmp(bd_buf_str(&id.version), version))
		fprintf(stderr, "\n  got '%s' '%s'\n  want '%s' '%s'\n",
			bd_buf_str(&id.name), bd_buf_str(&id.version), name,
			version);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name), name);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.version), version);
	bd_artifact_id_release(&id);
}

/* Manifest.write breaks a line at 72 bytes wherever that falls, and
 * java.util.jar.Attributes.read joins the pieces' bytes as they are: a
 * space just before the break is the value's. */
static void test_jar_manifest_split_at_space(void)
{
	expect_jar("Manifest-Version: 1.0\r\n"
		   "Implementation-Title: Apache Commons Lang -- a host of "
		   "helper utilities \r\n"
		   " for java.lang\r\n"
		   "Implementation-Version: 3.14.0\r\n",
		   "Apache Commons Lang -- a host of helper utilities for "
		   "java.lang",
		   "3.14.0");
}

/* An attribute given twice in the main section: the last, as
 * java.util.jar.Attributes.read puts each one in its map (it warns
 * "Duplicate name in Manifest"), names matched in any case. */
static void test_jar_manifest_duplicate(void)
{
	expect_jar("Manifest-Version: 1.0\r\n"
		   "Implementation-Title: first\r\n"
		   "Implementation-Version: 1.0\r\n"
		   "Implementation-Title: second\r\n"
		   "implementation-version: 2.0\r\n"
		   "\r\n"
		   "Name: org/example/\r\n"
		   "Implementation-Title: not-this\r\n",
		   "second", "2.0");
	/* The last is empty: as if none, Implementation-Title is taken. */
	expect_jar("Manifest-Version: 1.0\n"
		   "Bundle-SymbolicName: org.example.first\n"
		   "Implementation-Title: Demo\n"
		   "Bundle-SymbolicName: \n",
		   "Demo", "");
}

/* A line of spaces starts with one: a continuation (of a value whose
 * end fell past a 72-byte break), not the empty line that ends the main
 * section (java.util.jar.Attributes.read). */
static void test_jar_manifest_space_line(void)
{
	expect_jar("Manifest-Version: 1.0\r\n"
		   "Class-Path: lib/a.jar \r\n"
		   "  \r\n"
		   "Implementation-Title: Demo\r\n"
		   "Implementation-Version: 1.0\r\n",
		   "Demo", "1.0");
}

static void expect_generic(const char *file, const char *want)
{
	struct bd_artifact_id id;
	struct bd_error err;
	int rc;

	bd_artifact_id_init(&id);
	rc = bd_artifact_generic(file, &id, &err);
	if (want)
		expect_purl(rc, &id, want);
	else
		CU_ASSERT_EQUAL(rc, BD_ENOENT);
	bd_artifact_id_release(&id);
}

static void test_generic(void)
{
	expect_generic("curl-8.5.0.tar.xz", "pkg:generic/curl@8.5.0");
	expect_generic("dist/libjpeg-turbo-3.0.1.tar.gz",
		       "pkg:generic/libjpeg-turbo@3.0.1");
	expect_generic("zstd-v1.5.5.tgz", "pkg:generic/zstd@v1.5.5");
	expect_generic("openssl-3.2.0.TAR.BZ2", "pkg:generic/openssl@3.2.0");
	expect_generic("foo.tar.gz", NULL);
	expect_generic("a-b-c.tgz", NULL);
	expect_generic("node-v20.1.0-linux-x64.tar.xz", NULL);
	expect_generic("foo-1.2-3.tgz", NULL); /* foo-1.2 @3 or foo @1.2-3 */
	expect_generic("-1.0.tar.gz", NULL);
	expect_generic("foo-.tar.gz", NULL);
	expect_generic("foo-1.0.zip", NULL);
	expect_generic("foo-1.0", NULL);
	expect_generic("fo o-1.0.tar", NULL);
	expect_generic(".tar.gz", NULL);
}

/* Hostile input: NULs, ill-formed UTF-8, huge fields and texts. */
static void test_hostile(void)
{
	static const char nul_metadata[] = "Name: a\0Version: 1\n";
	struct bd_artifact_id id;
	struct bd_buf big = BD_BUF_INIT;
	struct bd_error err;
	char *huge;
	int rc;

	bd_artifact_id_init(&id);
	/* The text ends at a NUL. */
	rc = bd_artifact_wheel(nul_metadata, NULL, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'Version'");
	/* A purl's parts are UTF-8 text (ECMA-427 "Character encoding"):
	 * ill-formed UTF-8 makes no purl, which consumers would refuse
	 * (a percent-decoder that yields text throws on %FF). Valid UTF-8
	 * is encoded byte for byte. */
	rc = bd_artifact_wheel("Name: caf\xc3\xa9-\xff\xc0\xaf\n"
			       "Version: 1\n",
			       NULL, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "the purl's name is not UTF-8 text");
	rc = bd_artifact_wheel("Name: caf\xc3\xa9\nVersion: 1\xed\xa0\x80\n",
			       NULL, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err,
		    "the purl's version is not UTF-8 text");
	expect_purl(bd_artifact_wheel("Name: caf\xc3\xa9-\xe2\x82\xac\n"
				      "Version: 1\n",
				      NULL, 0, &id, &err),
		    &id, "pkg:pypi/caf%C3%A9-%E2%82%AC@1");
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.name),
			       "caf\xc3\xa9-\xe2\x82\xac");
	round_trip(bd_buf_str(&id.purl), "caf\xc3\xa9-\xe2\x82\xac", "1");
	rc = bd_artifact_wheel("Name: a\x01\nVersion: 1\n", NULL, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "control");
	/* A field of 1 KiB passes, one byte more is a limit. */
	bd_buf_adds(&big, "Name: ");
	while (big.len < 6 + 1024)
		bd_buf_addc(&big, 'a');
	bd_buf_adds(&big, "\nVersion: 1\n");
	CU_ASSERT_EQUAL(bd_artifact_wheel(big.data, NULL, 0, &id, &err), 0);
	bd_buf_reset(&big);
	bd_buf_adds(&big, "Name: a\nVersion: 1\n a");
	while (big.len < 6000)
		bd_buf_addc(&big, 'a');
	rc = bd_artifact_wheel(big.data, NULL, 0, &id, &err);
	expect_fail(rc, BD_ELIMIT, &err, "'Version'");
	/* The same in each format. */
	bd_buf_reset(&big);
	bd_buf_adds(&big, "{\"name\":\"");
	while (big.len < 2000)
		bd_buf_addc(&big, 'n');
	bd_buf_adds(&big, "\",\"version\":\"1\"}");
	rc = bd_artifact_npm(big.data, 0, &id, &err);
	expect_fail(rc, BD_ELIMIT, &err, "'name'");
	rc = bd_artifact_conda(big.data, &id, &err);
	expect_fail(rc, BD_ELIMIT, &err, "'name'");
	bd_buf_reset(&big);
	bd_buf_adds(&big, "groupId=g\nartifactId=a\nversion=\\\n");
	while (big.len < 8000) /* 1,300 bytes decoded */
		bd_buf_adds(&big, "\\u0031");
	rc = bd_artifact_maven(big.data, &id, &err);
	expect_fail(rc, BD_ELIMIT, &err, "'version'");
	/* A key longer than the limit is not the one looked for. */
	bd_buf_reset(&big);
	while (big.len < 2000)
		bd_buf_adds(&big, "groupId");
	bd_buf_adds(&big, "=x\ngroupId=g\nartifactId=a\nversion=1\n");
	expect_purl(bd_artifact_maven(big.data, &id, &err), &id,
		    "pkg:maven/g/a@1");
	bd_buf_reset(&big);
	bd_buf_adds(&big, "pkgname = ");
	while (big.len < 2000)
		bd_buf_addc(&big, 'p');
	rc = bd_artifact_apk(big.data, NULL, &id, &err);
	expect_fail(rc, BD_ELIMIT, &err, "'pkgname'");
	bd_buf_release(&big);
	/* A text larger than 4 MiB. */
	huge = malloc(BD_ARTIFACT_MAX_MANIFEST + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(huge);
	memset(huge, '#', BD_ARTIFACT_MAX_MANIFEST + 1);
	huge[BD_ARTIFACT_MAX_MANIFEST + 1] = '\0';
	rc = bd_artifact_apk(huge, NULL, &id, &err);
	expect_fail(rc, BD_ELIMIT, &err, "4 MiB");
	huge[BD_ARTIFACT_MAX_MANIFEST] = '\0';
	rc = bd_artifact_apk(huge, NULL, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "'pkgname'");
	/* Deep JSON is refused by cJSON's nesting limit, not the stack. */
	memset(huge, '[', BD_ARTIFACT_MAX_MANIFEST);
	rc = bd_artifact_npm(huge, 0, &id, &err);
	expect_fail(rc, BD_EFORMAT, &err, "JSON");
	free(huge);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&id.purl), "pkg:maven/g/a@1");
	bd_artifact_id_release(&id);
}

void bd_test_register_artifact(void)
{
	BD_SUITE("artifact", BD_TEST(test_wheel), BD_TEST(test_wheel_missing),
		 BD_TEST(test_wheel_body_start), BD_TEST(test_wheel_space_line),
		 BD_TEST(test_wheel_filename), BD_TEST(test_npm),
		 BD_TEST(test_declared_license), BD_TEST(test_deb),
		 BD_TEST(test_deb_epoch), BD_TEST(test_rpm), BD_TEST(test_apk),
		 BD_TEST(test_apk_separator), BD_TEST(test_conda),
		 BD_TEST(test_maven), BD_TEST(test_maven_duplicate),
		 BD_TEST(test_maven_latin1), BD_TEST(test_jar_manifest),
		 BD_TEST(test_jar_manifest_split_at_space),
		 BD_TEST(test_jar_manifest_duplicate),
		 BD_TEST(test_jar_manifest_space_line), BD_TEST(test_generic),
		 BD_TEST(test_hostile));
}
