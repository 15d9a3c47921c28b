/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/ident.h"

static void expect(const struct bd_kv *f, size_t n, int rc, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_ident_purl_from_note(f, n, &b), rc);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	bd_buf_release(&b);
}

static void test_purl_from_notes(void)
{
	struct bd_kv systemd[] = {
		{ "type", "deb" },	     { "os", "Debian" },
		{ "name", "systemd" },	     { "version", "252.39-1~deb12u2" },
		{ "architecture", "amd64" },
	};
	struct bd_kv fedora[] = {
		{ "type", "rpm" },
		{ "os", "fedora" },
		{ "osVersion", "40" },
		{ "name", "zlib-ng" },
		{ "version", "2.1.6-2.fc40" },
		{ "architecture", "x86_64" },
	};
	struct bd_kv other[] = { { "type", "conda" },
				 { "os", "linux" },
				 { "name", "openblas" },
				 { "version", "0.3.27" } };
	struct bd_kv nameless[] = { { "type", "deb" }, { "os", "debian" } };

	expect(systemd, 5, 0,
	       "pkg:deb/debian/systemd@252.39-1~deb12u2?arch=amd64");
	expect(fedora, 6, 0,
	       "pkg:rpm/fedora/zlib-ng@2.1.6-2.fc40"
	       "?arch=x86_64&distro=fedora-40");
	expect(other, 4, 0, "pkg:generic/openblas@0.3.27");
	expect(nameless, 2, BD_ENOENT, "");
	/* A deb note without "os" has no namespace: generic. */
	expect(systemd + 2, 3, 0, "pkg:generic/systemd@252.39-1~deb12u2");
}

void bd_test_register_ident(void)
{
	BD_SUITE("ident", BD_TEST(test_purl_from_notes));
}
