/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/purl.h"

#include <string.h>

static void expect(const struct bd_purl *p, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_purl_format(p, &b, NULL), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	if (strcmp(bd_buf_str(&b), want))
		fprintf(stderr, "\n  got  %s\n  want %s\n", bd_buf_str(&b),
			want);
	bd_buf_release(&b);
}

/* Cases from the purl-spec documentation and test suite. */
static void test_spec_examples(void)
{
	struct bd_kv arch = { "arch", "amd64" };
	struct bd_kv rpmq[] = { { "epoch", "1" },
				{ "distro", "fedora-40" },
				{ "arch", "x86_64" } };
	struct bd_kv apkq[] = { { "arch", "x86_64" } };
	struct bd_purl deb = { "deb", "debian", "attr", "1:2.4.47-2+b1",
			       &arch, 1,	NULL };
	struct bd_purl rpm = {
		"rpm", "fedora", "zlib-ng-compat", "2.1.6-2.fc40", rpmq, 3, NULL
	};
	struct bd_purl apk = { "apk", "alpine", "zlib", "1.3.1-r2",
			       apkq,  1,	NULL };

	expect(&deb, "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64");
	expect(&rpm, "pkg:rpm/fedora/zlib-ng-compat@2.1.6-2.fc40"
		     "?arch=x86_64&distro=fedora-40&epoch=1");
	expect(&apk, "pkg:apk/alpine/zlib@1.3.1-r2?arch=x86_64");
}

static void test_normalisation(void)
{
	struct bd_kv q[] = { { "Distro", "debian-12" },
			     { "empty", "" },
			     { "arch", "amd64" } };
	struct bd_purl deb = {
		"DEB", "Debian", "LibCurl4", "7.88.1-10+deb12u15", q, 3, NULL
	};
	struct bd_purl pypi = { "pypi", NULL, "Django_Allauth", "1.0", NULL,
				0,	NULL };
	struct bd_purl gh = {
		"github", "Package-URL",      "Purl-Spec", "v1.0", NULL,
		0,	  "/src/./lib/../x//"
	};
	struct bd_purl generic = { "generic", "a//b/", "na me/x@y", "1@2",
				   NULL,      0,       NULL };
	struct bd_purl utf8 = { "generic", NULL, "caf\xc3\xa9", NULL, NULL,
				0,	   "." };

	expect(&deb, "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u15"
		     "?arch=amd64&distro=debian-12");
	expect(&pypi, "pkg:pypi/django-allauth@1.0");
	expect(&gh, "pkg:github/package-url/purl-spec@v1.0#src/lib/x");
	expect(&generic, "pkg:generic/a/b/na%20me%2Fx%40y@1%402");
	expect(&utf8, "pkg:generic/caf%C3%A9");
}

static void test_invalid(void)
{
	struct bd_buf b = BD_BUF_INIT;
	struct bd_purl noname = { "generic", NULL, "", NULL, NULL, 0, NULL };
	struct bd_purl badtype = { "1deb", NULL, "x", NULL, NULL, 0, NULL };
	struct bd_purl spacetype = { "de b", NULL, "x", NULL, NULL, 0, NULL };
	struct bd_error e;

	CU_ASSERT_EQUAL(bd_purl_format(&noname, &b, &e), BD_EFORMAT);
	CU_ASSERT_EQUAL(bd_purl_format(&badtype, &b, &e), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "'1deb' is not a valid purl type");
	CU_ASSERT_EQUAL(bd_purl_format(&spacetype, &b, &e), BD_EFORMAT);
	CU_ASSERT_EQUAL(b.len, 0);
	bd_buf_release(&b);
}

/*
 * A subset of purl-spec's test vectors (the per-type test files: the
 * "build" tests), as data: parts in, canonical string out.
 */
static void test_spec_vectors(void)
{
	static const struct bd_kv arch_i386[] = { { "arch", "i386" },
						  { "distro", "jessie" } };
	static const struct bd_kv arch_x86[] = { { "arch", "x86" } };
	static const struct bd_kv rpm_q[] = { { "arch", "i386" },
					      { "epoch", "1" },
					      { "distro", "fedora-25" } };
	static const struct bd_kv generic_q[] = {
		{ "download_url",
		  "https://openssl.org/source/openssl-1.1.0g.tar.gz" },
		{ "checksum", "sha256:de4d501267da" },
	};
	static const struct {
		struct bd_purl p;
		const char *want;
	} v[] = {
		{ { "deb", "debian", "curl", "7.50.3-1", arch_i386, 2, NULL },
		  "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie" },
		{ { "rpm", "fedora", "curl", "7.50.3-1.fc25", rpm_q, 3, NULL },
		  "pkg:rpm/fedora/curl@7.50.3-1.fc25"
		  "?arch=i386&distro=fedora-25&epoch=1" },
		{ { "apk", "alpine", "curl", "7.83.0-r0", arch_x86, 1, NULL },
		  "pkg:apk/alpine/curl@7.83.0-r0?arch=x86" },
		{ { "npm", "@angular", "animation", "12.3.1", NULL, 0, NULL },
		  "pkg:npm/%40angular/animation@12.3.1" },
		{ { "npm", NULL, "foobar", "12.3.1", NULL, 0, NULL },
		  "pkg:npm/foobar@12.3.1" },
		{ { "pypi", NULL, "django_allauth", "12.23", NULL, 0, NULL },
		  "pkg:pypi/django-allauth@12.23" },
		{ { "github", "package-url", "purl-spec", "244fd47e07d1004",
		    NULL, 0, NULL },
		  "pkg:github/package-url/purl-spec@244fd47e07d1004" },
		{ { "generic", NULL, "openssl", "1.1.10g", generic_q, 2, NULL },
		  "pkg:generic/openssl@1.1.10g?checksum=sha256:de4d501267da"
		  "&download_url=https:%2F%2Fopenssl.org%2Fsource%2F"
		  "openssl-1.1.0g.tar.gz" },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(v); i++)
		expect(&v[i].p, v[i].want);
}

static void test_with_version(void)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_purl_with_version("pkg:generic/rtmpdump",
					     "2.4+20151223.git fa8646d", &b,
					     NULL),
			0);
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&b),
		"pkg:generic/rtmpdump@2.4%2B20151223.git%20fa8646d");
	bd_buf_reset(&b);
	/* The version goes before the qualifiers, and replaces one. */
	CU_ASSERT_EQUAL(
		bd_purl_with_version("pkg:GitHub/A/B@1?x=y#s", "2", &b, NULL),
		0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "pkg:github/a/b@2?x=y#s");
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(
		bd_purl_with_version("pkg:github/a/b@1", NULL, &b, NULL), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "pkg:github/a/b");
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_purl_with_version("pkg:github/a/b", "", &b, NULL),
			0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "pkg:github/a/b");
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(
		bd_purl_with_version("pkg:pypi/A_b", "1.0RC1", &b, NULL), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "pkg:pypi/a-b@1.0rc1");
	bd_buf_reset(&b);
	/* A version that is not UTF-8 makes no purl. */
	CU_ASSERT_EQUAL(
		bd_purl_with_version("pkg:generic/a", "1\xff", &b, NULL),
		BD_EFORMAT);
	CU_ASSERT_EQUAL(b.len, 0);
	bd_buf_release(&b);
}

/* Each type's own folding (purl-spec types/<type>-definition.json,
 * "case_sensitive": false), and the parts it requires or prohibits. */
static void test_type_rules(void)
{
	static const struct {
		struct bd_purl p;
		const char *want; /* NULL: refused */
	} v[] = {
		{ { "deb", "Debian", "LibC6", "2.36-9+DEB12u4", NULL, 0, NULL },
		  "pkg:deb/debian/libc6@2.36-9%2BDEB12u4" },
		{ { "apk", "Alpine", "Zlib", "1.3.1-r2", NULL, 0, NULL },
		  "pkg:apk/alpine/zlib@1.3.1-r2" },
		{ { "alpm", "Arch", "Pacman", "6.0.1-1", NULL, 0, NULL },
		  "pkg:alpm/arch/pacman@6.0.1-1" },
		/* rpm: the vendor folds, the name does not. */
		{ { "rpm", "Fedora", "SDL2", "2.30.0-1.fc40", NULL, 0, NULL },
		  "pkg:rpm/fedora/SDL2@2.30.0-1.fc40" },
		{ { "github", "FFmpeg", "FFmpeg", "n6.1", NULL, 0, NULL },
		  "pkg:github/ffmpeg/ffmpeg@n6.1" },
		{ { "bitbucket", "BirKenfeld", "PyGments", NULL, NULL, 0,
		    NULL },
		  "pkg:bitbucket/birkenfeld/pygments" },
		/* pypi: lowercased, each '_' a '-', a '.' kept (purl-spec's
		 * pypi-definition.json; packageurl-js writes the same), the
		 * version folded. */
		{ { "pypi", NULL, "Zope.._Interface", "6.1RC1", NULL, 0, NULL },
		  "pkg:pypi/zope..-interface@6.1rc1" },
		{ { "pypi", NULL, "zope.interface", "6.4", NULL, 0, NULL },
		  "pkg:pypi/zope.interface@6.4" },
		{ { "oci", NULL, "Debian", "sha256:ABCD", NULL, 0, NULL },
		  "pkg:oci/debian@sha256:abcd" },
		/* npm and maven keep their case. */
		{ { "npm", "@Angular", "Core", "1.0.0-RC", NULL, 0, NULL },
		  "pkg:npm/%40Angular/Core@1.0.0-RC" },
		{ { "maven", "HTTPClient", "HTTPClient", "0.3-3", NULL, 0,
		    NULL },
		  "pkg:maven/HTTPClient/HTTPClient@0.3-3" },
		{ { "generic", "Acme", "Tool", "V1", NULL, 0, NULL },
		  "pkg:generic/Acme/Tool@V1" },
		/* An unregistered type gets the core rules alone. */
		{ { "gitlab", "CMake", "CMake", NULL, NULL, 0, NULL },
		  "pkg:gitlab/CMake/CMake" },
		/* golang keeps its case (purl-spec 16f3d0e3: case_sensitive
		 * namespace and name); Go's standard library and a module
		 * path of one element naming a host go without a
		 * namespace, as the Go vulnerability database names them. */
		{ { "golang", "github.com/BurntSushi", "toml",
		    "v1.3.2+incompatible", NULL, 0, NULL },
		  "pkg:golang/github.com/BurntSushi/"
		  "toml@v1.3.2%2Bincompatible" },
		{ { "golang", NULL, "stdlib", "1.21.5", NULL, 0, NULL },
		  "pkg:golang/stdlib@1.21.5" },
		{ { "golang", NULL, "cobra", "v1.8.0", NULL, 0, NULL }, NULL },
		{ { "golang", NULL, "go.opencensus.io", "v0.24.0", NULL, 0,
		    NULL },
		  "pkg:golang/go.opencensus.io@v0.24.0" },
		{ { "golang", NULL, ".io", "v1", NULL, 0, NULL }, NULL },
		{ { "golang", NULL, "x.", "v1", NULL, 0, NULL }, NULL },
		{ { "golang", NULL, "Stdlib", "1.21.5", NULL, 0, NULL }, NULL },
		/* A host is what Go's leading path element may be
		 * (go.dev/ref/mod: lower-case ASCII letters, digits, '.' and
		 * '-', a dot, no leading '-'): no other one-element path goes
		 * bare. */
		{ { "golang", NULL, "go-x.1password.com", "v1", NULL, 0, NULL },
		  "pkg:golang/go-x.1password.com@v1" },
		{ { "golang", NULL, "Go.opencensus.io", "v1", NULL, 0, NULL },
		  NULL },
		{ { "golang", NULL, "-go.x.io", "v1", NULL, 0, NULL }, NULL },
		{ { "golang", NULL, "evil corp.com", "v1", NULL, 0, NULL },
		  NULL },
		{ { "golang", NULL, "x.io@v2", "v1", NULL, 0, NULL }, NULL },
		{ { "golang", NULL, "%2e.io", "v1", NULL, 0, NULL }, NULL },
		{ { "golang", NULL, "\xe6\x97\xa5.jp", "v1", NULL, 0, NULL },
		  NULL },
		/* cargo keeps its case (crates.io's "Inflector" is a crate
		 * of its own) and has no namespace; a semver's build
		 * metadata, openssl-src's OpenSSL version, is "%2B". */
		{ { "cargo", NULL, "Inflector", "0.11.4", NULL, 0, NULL },
		  "pkg:cargo/Inflector@0.11.4" },
		{ { "cargo", NULL, "openssl-src", "300.2.3+3.2.1", NULL, 0,
		    NULL },
		  "pkg:cargo/openssl-src@300.2.3%2B3.2.1" },
		{ { "cargo", "rust-lang", "libc", "0.2.153", NULL, 0, NULL },
		  NULL },
		/* Required and prohibited namespaces. */
		{ { "deb", NULL, "curl", NULL, NULL, 0, NULL }, NULL },
		{ { "github", "//", "curl", NULL, NULL, 0, NULL }, NULL },
		{ { "maven", NULL, "io", NULL, NULL, 0, NULL }, NULL },
		{ { "pypi", "ns", "x", NULL, NULL, 0, NULL }, NULL },
		{ { "conda", "ns", "x", NULL, NULL, 0, NULL }, NULL },
		{ { "oci", "library", "debian", NULL, NULL, 0, NULL }, NULL },
		/* julia's required qualifier. */
		{ { "julia", NULL, "Dates", NULL, NULL, 0, NULL }, NULL },
		/* No name: missing, empty, or slashes alone. */
		{ { "generic", NULL, "", NULL, NULL, 0, NULL }, NULL },
		{ { "generic", NULL, "//", NULL, NULL, 0, NULL }, NULL },
		/* A type is letters, digits, '.', '-' from a letter: no '+'
		 * any more, no '%', not empty. */
		{ { "c++", NULL, "x", NULL, NULL, 0, NULL }, NULL },
		{ { "a%62", NULL, "x", NULL, NULL, 0, NULL }, NULL },
		{ { "", NULL, "x", NULL, NULL, 0, NULL }, NULL },
		{ { "Vscode-Extension.x", NULL, "x", NULL, NULL, 0, NULL },
		  "pkg:vscode-extension.x/x" },
	};
	struct bd_buf b = BD_BUF_INIT;
	struct bd_error err;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(v); i++) {
		int rc;

		bd_buf_reset(&b);
		bd_buf_adds(&b, "kept ");
		rc = bd_purl_format(&v[i].p, &b, &err);
		if (!v[i].want) {
			CU_ASSERT_EQUAL(rc, BD_EFORMAT);
			/* out is unchanged on failure */
			CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "kept ");
		} else {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_STRING_EQUAL(bd_buf_str(&b) + 5, v[i].want);
		}
		if (v[i].want ? rc || strcmp(b.data + 5, v[i].want) : !rc)
			fprintf(stderr, "\n  case %zu: got %s (%s)\n", i,
				b.data, rc ? err.msg : "ok");
	}
	bd_buf_release(&b);
}

static void test_qualifier_rules(void)
{
	struct bd_kv upper[] = { { "Arch", "amd64" }, { "DISTRO", "x" } };
	struct bd_kv dup[] = { { "arch", "a" }, { "Arch", "b" } };
	struct bd_kv space[] = { { "in production", "true" } };
	struct bd_kv digit[] = { { "1st", "x" } };
	struct bd_kv nokey[] = { { NULL, "x" } };
	struct bd_kv emptydup[] = { { "arch", "a" }, { "arch", "" } };
	/* Sorted as "key=value" strings ("tag-x=" before "tag="), as
	 * how-to-build says. */
	struct bd_kv prefix[] = { { "tag", "1" }, { "tag-x", "2" } };
	struct bd_kv notutf8[] = { { "arch", "\xff" } };
	struct bd_kv many[BD_PURL_MAX_QUALIFIERS + 1];
	char keys[BD_PURL_MAX_QUALIFIERS + 1][8];
	struct bd_purl p = { "generic", NULL, "x", NULL, upper, 2, NULL };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_error err;
	size_t i;

	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "pkg:generic/x?arch=amd64&"
					       "distro=x");
	p.qualifiers = dup;
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "purl qualifier 'arch' twice");
	p.qualifiers = space;
	p.nqualifiers = 1;
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), BD_EFORMAT);
	p.qualifiers = digit;
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), BD_EFORMAT);
	p.qualifiers = nokey;
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), BD_EFORMAT);
	p.qualifiers = notutf8;
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "the purl's qualifier 'arch' is not "
					"UTF-8 text");
	p.qualifiers = emptydup; /* an empty value is no qualifier */
	p.nqualifiers = 2;
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "pkg:generic/x?arch=a");
	p.qualifiers = prefix;
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "pkg:generic/x?tag-x=2&tag=1");
	for (i = 0; i < BD_ARRAY_SIZE(many); i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		many[i] = (struct bd_kv){ keys[i], "v" };
	}
	p.qualifiers = many;
	p.nqualifiers = BD_PURL_MAX_QUALIFIERS;
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), 0);
	p.nqualifiers = BD_PURL_MAX_QUALIFIERS + 1;
	CU_ASSERT_EQUAL(bd_purl_format(&p, &b, &err), BD_ELIMIT);
	bd_buf_release(&b);
}

/* What the parser gives, part by part. */
static void expect_parts(const char *purl, unsigned flags, const char *type,
			 const char *ns, const char *name, const char *version,
			 const char *quals, const char *subpath,
			 const char *canonical)
{
	struct bd_purl_parsed p;
	struct bd_buf q = BD_BUF_INIT;
	struct bd_error err;
	size_t i;
	int rc = bd_purl_parse(purl, flags, &p, &err);

	CU_ASSERT_EQUAL(rc, 0);
	if (rc) {
		fprintf(stderr, "\n  %s: %s\n", purl, err.msg);
		bd_purl_parsed_release(&p);
		return;
	}
	for (i = 0; i < p.parts.nqualifiers; i++)
		bd_buf_printf(&q, "%s%s=%s", i ? "&" : "",
			      p.parts.qualifiers[i].key,
			      p.parts.qualifiers[i].value);
	CU_ASSERT_STRING_EQUAL(p.parts.type, type);
	CU_ASSERT(ns ? p.parts.namespace && !strcmp(p.parts.namespace, ns)
		     : !p.parts.namespace);
	CU_ASSERT_STRING_EQUAL(p.parts.name, name);
	CU_ASSERT(version ? p.parts.version && !strcmp(p.parts.version, version)
			  : !p.parts.version);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&q), quals);
	CU_ASSERT(subpath ? p.parts.subpath && !strcmp(p.parts.subpath, subpath)
			  : !p.parts.subpath);
	CU_ASSERT_STRING_EQUAL(p.canonical.data, canonical);
	if (strcmp(p.canonical.data, canonical))
		fprintf(stderr, "\n  %s: got %s\n", purl, p.canonical.data);
	bd_buf_release(&q);
	bd_purl_parsed_release(&p);
}

static void test_parse(void)
{
	expect_parts("pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64"
		     "&distro=debian-12",
		     0, "deb", "debian", "libcurl4", "7.88.1-10+deb12u5",
		     "arch=amd64&distro=debian-12", NULL,
		     "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64"
		     "&distro=debian-12");
	/* Scheme and type in any case, slashes after the scheme, folding,
	 * empty segments, encoded separators, lowercase hex. */
	expect_parts("PKG:///GitHub//FFmpeg//FFmpeg/@n6.1%2b1?tag=a%2fb&"
		     "empty=#/./a/%2e%2e/b//",
		     0, "github", "ffmpeg", "ffmpeg", "n6.1+1", "tag=a/b",
		     "a/b", "pkg:github/ffmpeg/ffmpeg@n6.1%2B1?tag=a%2Fb#a/b");
	/* '@' and '#' inside parts, encoded; ':' never encoded. */
	expect_parts("pkg:generic/a%40b/c%23d@1%3A2%40x", 0, "generic", "a@b",
		     "c#d", "1:2@x", "", NULL,
		     "pkg:generic/a%40b/c%23d@1:2%40x");
	/* A name that decodes to '/' keeps it, encoded. */
	expect_parts("pkg:generic/a%2Fb", 0, "generic", NULL, "a/b", NULL, "",
		     NULL, "pkg:generic/a%2Fb");
	/* UTF-8, raw or encoded, comes out encoded. */
	expect_parts("pkg:generic/caf\xc3\xa9@%E2%82%AC", 0, "generic", NULL,
		     "caf\xc3\xa9", "\xe2\x82\xac", "", NULL,
		     "pkg:generic/caf%C3%A9@%E2%82%AC");
	/* An npm scope written with a bare '@': only leniently. */
	expect_parts("pkg:npm/@babel/core@7.0.0", BD_PURL_LENIENT, "npm",
		     "@babel", "core", "7.0.0", "", NULL,
		     "pkg:npm/%40babel/core@7.0.0");
	/* Uppercase keys: only leniently. */
	expect_parts("pkg:rpm/fedora/curl@1?Arch=i386&Distro=fedora-25",
		     BD_PURL_LENIENT, "rpm", "fedora", "curl", "1",
		     "arch=i386&distro=fedora-25", NULL,
		     "pkg:rpm/fedora/curl@1?arch=i386&distro=fedora-25");
	/* Trailing slashes before the version or qualifiers go; leniently,
	 * an '@' that starts the name is part of it. */
	expect_parts("pkg:generic/a//?x=1", 0, "generic", NULL, "a", NULL,
		     "x=1", NULL, "pkg:generic/a?x=1");
	expect_parts("pkg:generic/@1", BD_PURL_LENIENT, "generic", NULL, "@1",
		     NULL, "", NULL, "pkg:generic/%401");
	/* Go's standard library, the one golang purl without a namespace;
	 * a module path's case is kept. */
	expect_parts("pkg:golang/stdlib@1.21.5", 0, "golang", NULL, "stdlib",
		     "1.21.5", "", NULL, "pkg:golang/stdlib@1.21.5");
	expect_parts("pkg:golang/github.com/Azure/go-autorest@v14.2.0%2B"
		     "incompatible",
		     0, "golang", "github.com/Azure", "go-autorest",
		     "v14.2.0+incompatible", "", NULL,
		     "pkg:golang/github.com/Azure/go-autorest@v14.2.0%2B"
		     "incompatible");
	/* purl-spec's checksum list stays one value, ',' encoded. */
	expect_parts("pkg:generic/x?checksum=sha1:ab,sha256:cd", 0, "generic",
		     NULL, "x", NULL, "checksum=sha1:ab,sha256:cd", NULL,
		     "pkg:generic/x?checksum=sha1:ab%2Csha256:cd");
}

static void expect_refused(const char *purl, unsigned flags, int code,
			   const char *msg)
{
	struct bd_purl_parsed p;
	struct bd_error err;
	int rc = bd_purl_parse(purl, flags, &p, &err);

	CU_ASSERT_EQUAL(rc, code);
	if (rc == code)
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, msg));
	if (rc != code || !strstr(err.msg, msg))
		fprintf(stderr, "\n  %.80s: %d %s\n", purl, rc,
			rc ? err.msg : p.canonical.data);
	bd_purl_parsed_release(&p);
}

/* Hostile and broken input: one clear refusal each, never a crash. */
static void test_parse_refused(void)
{
	struct bd_buf big = BD_BUF_INIT;
	size_t i;

	expect_refused("", 0, BD_EFORMAT, "no 'pkg:' scheme");
	expect_refused("pkg", 0, BD_EFORMAT, "no 'pkg:' scheme");
	expect_refused("pkgs:a/b", 0, BD_EFORMAT, "no 'pkg:' scheme");
	expect_refused("pkg%3Amaven/a/b", 0, BD_EFORMAT, "no 'pkg:' scheme");
	expect_refused("pkg:maven", 0, BD_EFORMAT, "no '/' after its type");
	expect_refused("pkg:/", 0, BD_EFORMAT, "no '/' after its type");
	expect_refused("pkg:3nginx/nginx", 0, BD_EFORMAT,
		       "not a valid purl "
		       "type");
	expect_refused("pkg:nginx:a/nginx", 0, BD_EFORMAT, "valid purl type");
	expect_refused("pkg:generic/", 0, BD_EFORMAT, "needs a name");
	expect_refused("pkg:generic/@1", 0, BD_EFORMAT, "needs a name");
	expect_refused("pkg:npm/@babel/core", 0, BD_EFORMAT, "needs a name");
	/* A golang purl other than the standard library's needs its
	 * namespace, strictly and leniently. */
	expect_refused("pkg:golang/cobra@v1.8.0", BD_PURL_LENIENT, BD_EFORMAT,
		       "a 'golang' purl needs a namespace");
	/* Percent-escapes: short, not hex, NUL, '/' inside a segment. */
	expect_refused("pkg:generic/a%", 0, BD_EFORMAT, "two hex digits");
	expect_refused("pkg:generic/a%4", 0, BD_EFORMAT, "two hex digits");
	expect_refused("pkg:generic/a%G0", 0, BD_EFORMAT, "two hex digits");
	expect_refused("pkg:generic/a@%0x", 0, BD_EFORMAT, "purl version");
	expect_refused("pkg:generic/a%00b", 0, BD_EFORMAT, "an encoded NUL");
	expect_refused("pkg:generic/a?x=%00", 0, BD_EFORMAT, "encoded NUL");
	expect_refused("pkg:generic/a%2Fb/c", 0, BD_EFORMAT,
		       "'/' in a segment");
	expect_refused("pkg:generic/a#b%2Fc", 0, BD_EFORMAT,
		       "'/' in a segment");
	/* Ill-formed UTF-8, raw or encoded: overlong, surrogate, cut. */
	expect_refused("pkg:generic/%C0%AF", 0, BD_EFORMAT,
		       "name is not UTF-8");
	expect_refused("pkg:generic/a@%ED%A0%80", 0, BD_EFORMAT,
		       "version is not UTF-8");
	expect_refused("pkg:generic/a/b#\xe2\x82", 0, BD_EFORMAT,
		       "subpath is not UTF-8");
	expect_refused("pkg:generic/\xff/b", 0, BD_EFORMAT,
		       "namespace is not UTF-8");
	expect_refused("pkg:generic/b?k=%FF", 0, BD_EFORMAT,
		       "qualifier 'k' is not UTF-8");
	/* Qualifiers: no '=', bad or encoded or uppercase keys, twice. */
	expect_refused("pkg:generic/a?x", 0, BD_EFORMAT, "without '='");
	expect_refused("pkg:generic/a?=1", 0, BD_EFORMAT, "key is not");
	expect_refused("pkg:npm/a?in%20production=true", 0, BD_EFORMAT,
		       "key is not");
	expect_refused("pkg:rpm/f/c?Arch=1", 0, BD_EFORMAT, "key is not");
	expect_refused("pkg:generic/a?x=1&x=2", 0, BD_EFORMAT, "'x' twice");
	expect_refused("pkg:generic/a?x=1&X=2", BD_PURL_LENIENT, BD_EFORMAT,
		       "'x' twice");
	expect_refused("pkg:n&g?inx/nginx@0.8.9", 0, BD_EFORMAT, "without '='");
	/* Bounds. */
	bd_buf_adds(&big, "pkg:generic/x?");
	for (i = 0; i <= BD_PURL_MAX_QUALIFIERS; i++)
		bd_buf_printf(&big, "%sk%zu=v", i ? "&" : "", i);
	expect_refused(big.data, 0, BD_ELIMIT,
		       "more than 32 purl "
		       "qualifiers");
	bd_buf_reset(&big);
	bd_buf_adds(&big, "pkg:generic/");
	while (big.len <= BD_PURL_MAX_LEN)
		bd_buf_addc(&big, 'a');
	expect_refused(big.data, 0, BD_ELIMIT, "longer than 65536 bytes");
	/* Within the input limit, but longer than it once encoded. */
	bd_buf_reset(&big);
	bd_buf_adds(&big, "pkg:generic/");
	while (big.len < BD_PURL_MAX_LEN - 10)
		bd_buf_addc(&big, ' ');
	expect_refused(big.data, 0, BD_ELIMIT, "longer than 65536 bytes");
	bd_buf_release(&big);
}

void bd_test_register_purl(void)
{
	BD_SUITE("purl", BD_TEST(test_spec_examples),
		 BD_TEST(test_normalisation), BD_TEST(test_invalid),
		 BD_TEST(test_spec_vectors), BD_TEST(test_with_version),
		 BD_TEST(test_type_rules), BD_TEST(test_qualifier_rules),
		 BD_TEST(test_parse), BD_TEST(test_parse_refused));
}
