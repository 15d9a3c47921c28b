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
		  "&download_url=https://openssl.org/source/"
		  "openssl-1.1.0g.tar.gz" },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(v); i++)
		expect(&v[i].p, v[i].want);
}

static void test_add_version(void)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_buf_adds(&b, "pkg:generic/rtmpdump");
	bd_purl_add_version(&b, "2.4+20151223.git fa8646d");
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&b),
		"pkg:generic/rtmpdump@2.4%2B20151223.git%20fa8646d");
	bd_purl_add_version(&b, "");
	bd_purl_add_version(&b, NULL);
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&b),
		"pkg:generic/rtmpdump@2.4%2B20151223.git%20fa8646d");
	bd_buf_release(&b);
}

void bd_test_register_purl(void)
{
	BD_SUITE("purl", BD_TEST(test_spec_examples),
		 BD_TEST(test_normalisation), BD_TEST(test_invalid),
		 BD_TEST(test_spec_vectors), BD_TEST(test_add_version));
}
