/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void expect(const struct bd_kv *f, size_t n, int rc, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_ident_purl_from_note(f, n, &b), rc);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	if (strcmp(bd_buf_str(&b), want))
		fprintf(stderr, "got %s, want %s\n", bd_buf_str(&b), want);
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
	/* What Fedora's generate-package-notes.sh writes: no "os", the
	 * distribution in osCpe; an epoch in the version. */
	struct bd_kv by_cpe[] = {
		{ "type", "rpm" },
		{ "name", "coreutils" },
		{ "version", "9.4-6.fc40" },
		{ "architecture", "x86_64" },
		{ "osCpe", "cpe:/o:fedoraproject:fedora:40" },
	};
	struct bd_kv rhel[] = {
		{ "type", "rpm" },
		{ "name", "openssl" },
		{ "version", "1:3.0.7-27.el9" },
		{ "osCpe",
		  "cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*" },
	};
	struct bd_kv unknown_cpe[] = {
		{ "type", "rpm" },
		{ "name", "x" },
		{ "version", "1-1" },
		{ "osCpe", "cpe:/o:example:nonesuch:1" },
	};

	/* The name is the source package's (dh_package_notes, Fedora's
	 * %{name}): a source package's purl. */
	expect(systemd, 5, 0,
	       "pkg:deb/debian/systemd@252.39-1~deb12u2?arch=source");
	expect(fedora, 6, 0,
	       "pkg:rpm/fedora/zlib-ng@2.1.6-2.fc40"
	       "?arch=src&distro=fedora-40");
	expect(by_cpe, 5, 0,
	       "pkg:rpm/fedora/coreutils@9.4-6.fc40?arch=src&distro=fedora-40");
	expect(rhel, 4, 0,
	       "pkg:rpm/rhel/"
	       "openssl@3.0.7-27.el9?arch=src&distro=rhel-9&epoch=1");
	expect(unknown_cpe, 4, 0, "pkg:generic/x@1-1");
	{
		/* An epoch as rpm reads it (a number: "01" is 1); one past
		 * any rpm's, or with no version after it, is no epoch: the
		 * version stays whole. An escaped ':' in a CPE 2.3 part is
		 * no CPE this reads. */
		struct bd_kv e[] = {
			{ "type", "rpm" },
			{ "os", "fedora" },
			{ "name", "a" },
			{ "version", "01:1.0-1" },
		};

		expect(e, 4, 0, "pkg:rpm/fedora/a@1.0-1?arch=src&epoch=1");
		e[3].value = "99999999999:1.0-1";
		expect(e, 4, 0, "pkg:rpm/fedora/a@99999999999:1.0-1?arch=src");
		e[3].value = "1:";
		expect(e, 4, 0, "pkg:rpm/fedora/a@1:?arch=src");
		unknown_cpe[3].value = "cpe:2.3:o:fedoraproject:fedora:40\\:1";
		expect(unknown_cpe, 4, 0, "pkg:generic/x@1-1");
		/* Hostile osCpe: a vendor past any known (no part cut to
		 * look like one), invalid UTF-8, parts missing. */
		{
			char longer[200];

			snprintf(longer, sizeof(longer),
				 "cpe:/o:%064dfedoraproject:fedora:40", 0);
			unknown_cpe[3].value = longer;
			expect(unknown_cpe, 4, 0, "pkg:generic/x@1-1");
			snprintf(longer, sizeof(longer),
				 "cpe:/o:fedoraproject:fedora%070d:40", 0);
			expect(unknown_cpe, 4, 0, "pkg:generic/x@1-1");
		}
		unknown_cpe[3].value = "cpe:/o:fedora\xffproject:fedora:40";
		expect(unknown_cpe, 4, 0, "pkg:generic/x@1-1");
		unknown_cpe[3].value = "cpe:/o:fedoraproject";
		expect(unknown_cpe, 4, 0, "pkg:generic/x@1-1");
		unknown_cpe[3].value = "cpe:/o:fedoraproject:fedora";
		expect(unknown_cpe, 4, 0, "pkg:rpm/fedora/x@1-1?arch=src");
		/* Its version not UTF-8: no purl can hold the distro, none
		 * is made (as for an "osVersion" that is not). */
		unknown_cpe[3].value = "cpe:/o:fedoraproject:fedora:\xff";
		expect(unknown_cpe, 4, 0, "");
	}
	expect(other, 4, 0, "pkg:generic/openblas@0.3.27");
	expect(nameless, 2, BD_ENOENT, "");
	/* A deb note without "os" has no namespace: generic. */
	expect(systemd + 2, 3, 0, "pkg:generic/systemd@252.39-1~deb12u2");
	{
		/* The distro qualifier whole, lowercased: it was cut at 127
		 * bytes, a distro the note never named. */
		char version[201], want[400];
		struct bd_kv longer[] = {
			{ "type", "deb" },     { "os", "Debian" },
			{ "name", "x" },       { "version", "1" },
			{ "osVersion", NULL },
		};

		memset(version, '7', 199);
		version[199] = 'Z';
		version[200] = '\0';
		longer[4].value = version;
		snprintf(want, sizeof(want),
			 "pkg:deb/debian/x@1?arch=source&distro=debian-%.*sz",
			 199, version);
		expect(longer, 5, 0, want);
	}
}

static void keep(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)level;
	bd_buf_printf(ctx, "%s\n", msg);
}

/* The databases load on a thread of their own while the caller goes on;
 * their warnings wait for bd_identify and come in the order the load
 * gave them (the database's, then the registry's); a load freed without
 * identification says nothing. A FIFO for dpkg's status: its warning. */
static void test_load_on_a_thread(void)
{
	char dir[] = "/tmp/bd-ident-XXXXXX", path[128];
	const char *files[] = { "/nonexistent/user.yaml" };
	struct bd_ident_options o = { .mappings_dir = "/nonexistent/mappings",
				      .mapping_files = files,
				      .nmapping_files = 1 };
	struct bd_buf said = BD_BUF_INIT;
	struct bd_diag diag = { keep, &said };
	struct bd_ident_load *load;
	struct bd_graph g;
	struct bd_root root;
	const char *a, *b, *c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "/var/", NULL);
	bd_test_mk(dir, "/var/lib/", NULL);
	bd_test_mk(dir, "/var/lib/dpkg/", NULL);
	snprintf(path, sizeof(path), "%s/var/lib/dpkg/status", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(bd_ident_load_start(&load, &root, &o), 0);
	bd_ident_load_free(load);
	CU_ASSERT_EQUAL(said.len, 0);
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_ident_load_start(&load, &root, &o), 0);
	CU_ASSERT_EQUAL(said.len, 0);
	CU_ASSERT_EQUAL(bd_identify(&g, load, &diag, NULL), 0);
	a = strstr(bd_buf_str(&said), "/var/lib/dpkg/status");
	b = strstr(bd_buf_str(&said), "/nonexistent/mappings");
	c = strstr(bd_buf_str(&said), "/nonexistent/user.yaml");
	CU_ASSERT_TRUE(a && b && c && a < b && b < c);
	bd_ident_load_free(load);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&said);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* A pre-release's mark goes in the CPE's update field, as NVD writes it
 * (cpe:2.3:a:openssl:openssl:3.0.0:alpha1); a letter release (OpenSSL's
 * 1.1.1b) and a post-release stay in the version; build metadata (after
 * "+": the JDK's build and its vendor's text) is in no CPE's version. */
static void test_cpe_of_pre_release(void)
{
	static const char *const cases[][2] = {
		{ "1.2.13", "1.2.13:*" },
		{ "2.0-rc1", "2.0:rc1" },
		{ "2.0~rc1", "2.0:rc1" },
		{ "3.0.0-alpha1", "3.0.0:alpha1" },
		{ "3.12.0a1", "3.12.0:alpha1" },
		{ "3.12.0b2", "3.12.0:beta2" },
		{ "3.12.0rc1", "3.12.0:rc1" },
		{ "1.0.beta", "1.0:beta" },
		{ "1.1.1b", "1.1.1b:*" },
		{ "1.0a", "1.0a:*" },
		{ "2.0.post1", "2.0.post1:*" },
		{ "rc1", "rc1:*" },
		{ "1.0-rc1+x", "1.0:rc1" },
		{ "17.0.15+6", "17.0.15:*" },
		{ "25.0.3+9-LTS", "25.0.3:*" },
		{ "21-ea+35", "21-ea:*" },
		{ "+git5", "\\+git5:*" },
		{ "", "*:*" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bd_buf b = BD_BUF_INIT;
		char want[128];

		snprintf(want, sizeof(want), "cpe:2.3:a:x:y:%s:*:*:*:*:*:*",
			 cases[i][1]);
		CU_ASSERT_TRUE(bd_ident_cpe("cpe:2.3:a:x:y", cases[i][0], &b));
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
		if (strcmp(bd_buf_str(&b), want))
			fprintf(stderr, "%s: %s\n", cases[i][0],
				bd_buf_str(&b));
		bd_buf_release(&b);
	}
	/* No formatted string holds a space, a control byte or UTF-8: no
	 * CPE, nothing appended. */
	{
		static const char *const bad[] = { "1.2 x", "1.2\t",
						   "1.\xc3\xa9" };
		struct bd_buf b = BD_BUF_INIT;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			CU_ASSERT_FALSE(
				bd_ident_cpe("cpe:2.3:a:x:y", bad[i], &b));
			CU_ASSERT_EQUAL(b.len, 0);
		}
		bd_buf_release(&b);
	}
}

/*
 * A package note's appCpe is taken only as a CPE 2.3 formatted string
 * (NISTIR 7695 6.2, the grammar of the CPE 2.3 dictionary's pattern):
 * "cpe:2.3:", a part, ten attributes, each "*", "-" or characters (a
 * backslash quoting punctuation, wildcards only at its ends), the
 * language a tag. What the registry's CPEs are made into passes too.
 */
static void test_cpe23_formatted_string(void)
{
	static const char *const good[] = {
		"cpe:2.3:a:gnu:coreutils:9.4:*:*:*:*:*:*:*",
		"cpe:2.3:o:fedoraproject:fedora:40:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo\\:bar:x\\!:1.0:-:*:en-us:*:*:*:*",
		"cpe:2.3:h:*:*:*:*:*:fr:*:*:*:*",
		"cpe:2.3:a:v:p:1.?:??rc*:*:es-419:*:*:*:*",
		"cpe:2.3:-:v:p:*:*:*:*:*:*:*:*",
	};
	static const char *const bad[] = {
		"cpe:/a:gnu:coreutils:9.4",		       /* CPE 2.2 */
		"cpe:2.3:a:gnu:coreutils:9.4",		       /* too short */
		"cpe:2.3:a:gnu:coreutils:9.4:*:*:*:*:*:*:*:*", /* too long */
		"cpe:2.3:x:gnu:coreutils:9.4:*:*:*:*:*:*:*",   /* part */
		"cpe:2.3:a::coreutils:9.4:*:*:*:*:*:*:*",      /* empty */
		"cpe:2.3:a:gnu:core utils:9.4:*:*:*:*:*:*:*",  /* space */
		"cpe:2.3:a:gnu:core*utils:9.4:*:*:*:*:*:*:*",  /* wildcard */
		"cpe:2.3:a:gnu:coreutils:9.4:**:*:*:*:*:*:*",
		"cpe:2.3:a:gnu:coreutils:9.4:?:*:*:*:*:*:*",
		"cpe:2.3:a:gnu:coreutils:9.4:*?x:*:*:*:*:*:*",
		"cpe:2.3:a:gnu:coreutils:9.4:*:*:english:*:*:*:*",
		"cpe:2.3:a:gnu:coreutils:9.4:*:*:*:*:*:*:x\\",
		"cpe:2.3:a:gnu:coreutils:9.\xc3\xa9:*:*:*:*:*:*:*",
		"",
	};
	static const char *const versions[] = { "1.0", "+git5", "1.0-rc1",
						"17.0.15+6", "" };
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(good); i++)
		CU_ASSERT_TRUE(bd_ident_cpe23_valid(good[i]));
	for (i = 0; i < BD_ARRAY_SIZE(bad); i++)
		CU_ASSERT_FALSE(bd_ident_cpe23_valid(bad[i]));
	for (i = 0; i < BD_ARRAY_SIZE(versions); i++) {
		struct bd_buf b = BD_BUF_INIT;

		CU_ASSERT_TRUE(bd_ident_cpe("cpe:2.3:a:x:y", versions[i], &b));
		CU_ASSERT_TRUE(bd_ident_cpe23_valid(bd_buf_str(&b)));
		bd_buf_release(&b);
	}
}

/* A graph of two programs, file:a and file:b. */
static void two_programs(struct bd_graph *g, uint32_t *a, uint32_t *b)
{
	bd_graph_init(g);
	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, "file:a", BD_COMP_EXECUTABLE, a),
			      0);
	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, "file:b", BD_COMP_EXECUTABLE, b),
			      0);
}

/* The component the edges of kind from file lead to, named name, and how
 * many edges of that kind it has. */
static const struct bd_component *held_kind(const struct bd_graph *g,
					    uint32_t file,
					    enum bd_edge_kind kind,
					    const char *name, size_t *n)
{
	const struct bd_component *found = NULL;
	size_t i;

	*n = 0;
	for (i = 0; i < g->nedges; i++) {
		const struct bd_component *c = &g->comps[g->edges[i].to];

		if (g->edges[i].from != file || g->edges[i].kind != kind)
			continue;
		CU_ASSERT_EQUAL(c->kind, BD_COMP_STATIC);
		++*n;
		if (!strcmp(c->name, name))
			found = c;
	}
	CU_ASSERT_PTR_NOT_NULL(found);
	if (!found)
		fprintf(stderr, "\n  no %s\n", name);
	return found;
}

/* The component compiled into file named name, every edge from file one
 * of what is compiled in. */
static const struct bd_component *held(const struct bd_graph *g, uint32_t file,
				       const char *name, size_t *n)
{
	size_t i;

	for (i = 0; i < g->nedges; i++)
		if (g->edges[i].from == file)
			CU_ASSERT_EQUAL(g->edges[i].kind, BD_EDGE_STATIC);
	return held_kind(g, file, BD_EDGE_STATIC, name, n);
}

/* A Go binary's modules and standard library, compiled into it: purls
 * by purl-spec's golang type, the replacement named with what it
 * replaced, a directory's replacement of no release, the main module of
 * "(devel)" of none; a second binary of the same modules shares them. */
static void test_go_modules(void)
{
	static const struct bd_go_module fork = { "github.com/fork/cobra",
						  "v1.8.1", "h1:f=", NULL };
	static const struct bd_go_module dir = { "../x", NULL, NULL, NULL };
	static const struct bd_go_module deps[] = {
		{ "github.com/BurntSushi/toml", "v1.3.2+incompatible",
		  "h1:t=", NULL },
		{ "github.com/spf13/cobra", "v1.8.0", NULL, &fork },
		{ "example.com/local/x", "v1.0.0", NULL, &dir },
	};
	static const struct bd_go_module main_module = { "example.com/app",
							 "(devel)", NULL,
							 NULL };
	static const struct bd_kv settings[] = { { "GOOS", "linux" } };
	static const struct bd_go_info go = { "go1.21.5 X:boringcrypto",
					      "example.com/app/cmd/app",
					      &main_module,
					      deps,
					      3,
					      settings,
					      1 };
	static const struct bd_go_info devel = {
		"devel go1.23-e8ee1dc4f9", NULL, NULL, deps, 1, NULL, 0
	};
	const struct bd_component *c;
	struct bd_graph g;
	uint32_t a, b;
	size_t n;

	two_programs(&g, &a, &b);
	bd_graph_comp(&g, a)->go = &go;
	bd_graph_comp(&g, b)->go = &devel;
	CU_ASSERT_EQUAL_FATAL(bd_ident_go_modules(&g, 2), 0);
	c = held(&g, a, "stdlib", &n);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:golang/stdlib@1.21.5");
	CU_ASSERT_STRING_EQUAL(c->version, "1.21.5");
	CU_ASSERT_STRING_EQUAL(c->cpe,
			       "cpe:2.3:a:golang:go:1.21.5:*:*:*:*:*:*:*");
	c = held(&g, a, "example.com/app", &n);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:golang/example.com/app");
	CU_ASSERT_PTR_NULL(c->version);
	c = held(&g, a, "github.com/BurntSushi/toml", &n);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:golang/github.com/BurntSushi/"
					"toml@v1.3.2%2Bincompatible");
	CU_ASSERT_STRING_EQUAL(c->go_sum, "h1:t=");
	CU_ASSERT_STRING_EQUAL(c->ids[0].technique, "manifest-analysis");
	CU_ASSERT_STRING_EQUAL(
		c->ids[0].method,
		"Go build information: "
		"github.com/BurntSushi/toml v1.3.2+incompatible");
	c = held(&g, a, "github.com/fork/cobra", &n);
	CU_ASSERT_STRING_EQUAL(c->purl,
			       "pkg:golang/github.com/fork/cobra@v1.8.1");
	CU_ASSERT_STRING_EQUAL(c->go_sum, "h1:f=");
	CU_ASSERT_STRING_EQUAL(c->go_replaces, "github.com/spf13/cobra@v1.8.0");
	CU_ASSERT_STRING_EQUAL(c->ids[0].method,
			       "Go build information: github.com/spf13/cobra "
			       "v1.8.0 => github.com/fork/cobra v1.8.1");
	c = held(&g, a, "example.com/local/x", &n);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:golang/example.com/local/x");
	CU_ASSERT_STRING_EQUAL(c->go_replaced_by, "../x");
	CU_ASSERT_PTR_NULL(c->version);
	/* The second binary: a development toolchain's standard library,
	 * of no release; toml shared. */
	c = held(&g, b, "stdlib", &n);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:golang/stdlib");
	CU_ASSERT_PTR_NULL(c->cpe);
	CU_ASSERT_EQUAL(g.ncomps, 2 + 5 + 1);
	bd_graph_release(&g);
}

/* A module whose path is one element with a dot (go.opencensus.io,
 * go.starlark.net: cmd/go's module.CheckPath wants a dot in the first
 * element, not a '/') is a module anyone can fetch: purl-spec's golang
 * type names it with no namespace, as syft and trivy write it. One
 * element with no dot (command-line-arguments, a main module "app")
 * names nothing fetchable and keeps none, nor does a module "stdlib",
 * the name of Go's standard library. */
static void test_go_module_one_element(void)
{
	static const struct bd_go_module deps[] = {
		{ "go.opencensus.io", "v0.24.0", "h1:o=", NULL },
		{ "app", "v1.0.0", NULL, NULL },
		{ "stdlib", "v1.0.0", NULL, NULL },
	};
	static const struct bd_go_info go = { "go1.21.5", NULL, NULL, deps,
					      3,	  NULL, 0 };
	const struct bd_component *c;
	struct bd_graph g;
	uint32_t a, b;
	size_t n;

	two_programs(&g, &a, &b);
	bd_graph_comp(&g, a)->go = &go;
	CU_ASSERT_EQUAL_FATAL(bd_ident_go_modules(&g, 2), 0);
	c = held(&g, a, "go.opencensus.io", &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->purl);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:golang/go.opencensus.io@v0.24.0");
	c = held(&g, a, "app", &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NULL(c->purl);
	/* A module path "stdlib" is not Go's standard library. */
	CU_ASSERT_TRUE_FATAL(bd_graph_find(&g, "golang:stdlib@v1.0.0", &a));
	CU_ASSERT_PTR_NULL(bd_graph_comp(&g, a)->purl);
	bd_graph_release(&g);
}

/* A Go program named after its main module: (devel) of no version, a
 * release of its own, its file's name evidence replaced; the main module
 * then no component compiled into it, its other modules still; a main
 * module no purl names (command-line-arguments) leaves the file alone
 * and is compiled in as before; a replaced main line names the
 * replacement. */
static void test_go_main_module_names_program(void)
{
	static const struct bd_go_module toml = { "github.com/BurntSushi/toml",
						  "v1.3.2", "h1:t=", NULL };
	static const struct bd_go_module devel = { "example.com/app", "(devel)",
						   NULL, NULL };
	static const struct bd_go_module gopls = { "golang.org/x/tools/gopls",
						   "v0.14.2", "h1:g=", NULL };
	static const struct bd_go_module adhoc = { "command-line-arguments",
						   "(devel)", NULL, NULL };
	static const struct bd_go_module fork = { "example.com/fork", "v2.0.0",
						  "h1:f=", NULL };
	static const struct bd_go_module replaced = { "example.com/orig",
						      "v1.0.0", NULL, &fork };
	static const struct bd_go_module *mains[] = { &devel, &gopls, &adhoc,
						      &replaced };
	static const char *const purls[] = {
		"pkg:golang/example.com/app",
		"pkg:golang/golang.org/x/tools/gopls@v0.14.2", NULL,
		"pkg:golang/example.com/fork@v2.0.0"
	};
	struct bd_go_info go[4];
	struct bd_component *c;
	struct bd_graph g;
	char key[16];
	uint32_t id;
	size_t i, n;

	bd_graph_init(&g);
	for (i = 0; i < 4; i++) {
		go[i] = (struct bd_go_info){ "go1.21.5", NULL, mains[i], &toml,
					     1,		 NULL, 0 };
		snprintf(key, sizeof(key), "file:%zu", i);
		CU_ASSERT_EQUAL_FATAL(
			bd_graph_add(&g, key, BD_COMP_EXECUTABLE, &id), 0);
		c = bd_graph_comp(&g, id);
		c->go = &go[i];
		c->name = "prog";
		c->ids[c->nids++] =
			(struct bd_identity){ "name",	   "prog", "filename",
					      "file name", 0.5,	   NULL };
		CU_ASSERT_EQUAL_FATAL(bd_ident_go_main(&g, c), 0);
	}
	CU_ASSERT_EQUAL_FATAL(bd_ident_go_modules(&g, 4), 0);
	for (i = 0; i < 4; i++) {
		c = bd_graph_comp(&g, (uint32_t)i);
		CU_ASSERT_EQUAL(c->go_main, purls[i] != NULL);
		if (!purls[i]) {
			CU_ASSERT_STRING_EQUAL(c->name, "prog");
			CU_ASSERT_PTR_NULL(c->purl);
			CU_ASSERT_PTR_NOT_NULL(held(
				&g, (uint32_t)i, "command-line-arguments", &n));
			CU_ASSERT_EQUAL(n, 3);
			continue;
		}
		CU_ASSERT_STRING_EQUAL(c->purl, purls[i]);
		CU_ASSERT_EQUAL(c->nids, c->version ? 3 : 2);
		CU_ASSERT_STRING_EQUAL(bd_graph_identity(c, "name")->technique,
				       "manifest-analysis");
		/* The main module is the program: not compiled into it. */
		CU_ASSERT_PTR_NOT_NULL(held(&g, (uint32_t)i,
					    "github.com/BurntSushi/toml", &n));
		CU_ASSERT_EQUAL(n, 2);
	}
	c = bd_graph_comp(&g, 0);
	CU_ASSERT_STRING_EQUAL(c->name, "example.com/app");
	CU_ASSERT_PTR_NULL(c->version);
	CU_ASSERT_STRING_EQUAL(bd_graph_identity(c, "name")->method,
			       "Go build information: main module "
			       "example.com/app (devel)");
	c = bd_graph_comp(&g, 1);
	CU_ASSERT_STRING_EQUAL(c->version, "v0.14.2");
	CU_ASSERT_PTR_NULL(c->go_sum); /* the module's source, not the file */
	c = bd_graph_comp(&g, 3);
	CU_ASSERT_STRING_EQUAL(c->name, "example.com/fork");
	CU_ASSERT_STRING_EQUAL(bd_graph_identity(c, "purl")->method,
			       "Go build information: main module "
			       "example.com/orig v1.0.0 => example.com/fork "
			       "v2.0.0");
	/* A shared object (-buildmode=c-shared) keeps its soname. */
	CU_ASSERT_EQUAL_FATAL(bd_graph_add(&g, "lib", BD_COMP_LIBRARY, &id), 0);
	c = bd_graph_comp(&g, id);
	c->go = &go[1];
	c->name = c->soname = "libgopls.so.1";
	c->ids[c->nids++] =
		(struct bd_identity){ "name",	   c->name, "binary-analysis",
				      "DT_SONAME", 1.0,	    NULL };
	CU_ASSERT_EQUAL_FATAL(bd_ident_go_main(&g, c), 0);
	CU_ASSERT_STRING_EQUAL(c->name, "libgopls.so.1");
	CU_ASSERT_STRING_EQUAL(bd_graph_identity(c, "name")->method,
			       "DT_SONAME");
	CU_ASSERT_STRING_EQUAL(c->purl, purls[1]);
	CU_ASSERT_EQUAL(c->nids, 3);
	bd_graph_release(&g);
}

/* Module lines whose fields hold the key's separators ('@', '#', "=>")
 * stay apart: a module never replaced whose go.sum field ends in
 * "=>path@version#sum" is not the replacement its text imitates, and a
 * path with '@' is not the path before it of another version. */
static void test_go_module_keys_apart(void)
{
	static const struct bd_go_module b = { "example.com/b", "v2.0.0",
					       "h1:y=", NULL };
	static const struct bd_go_module lines[] = {
		{ "example.com/a", "v1.0.0", "h1:x=", &b },
		{ "example.com/a", "v1.0.0",
		  "h1:x==>example.com/b@v2.0.0#h1:y=", NULL },
		{ "example.com/evil", "v9@v1#h1:z", NULL, NULL },
		{ "example.com/evil@v9", "v1", "h1:z", NULL },
		{ "example.com/pct", "v1%40x", NULL, NULL },
		{ "example.com/pct", "v1@x", NULL, NULL },
	};
	static const struct bd_go_info go = {
		"go1.21.5", NULL, NULL, lines, BD_ARRAY_SIZE(lines), NULL, 0
	};
	const struct bd_component *c;
	struct bd_graph g;
	uint32_t a;
	size_t n;

	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(
		bd_graph_add(&g, "file:a", BD_COMP_EXECUTABLE, &a), 0);
	bd_graph_comp(&g, a)->go = &go;
	CU_ASSERT_EQUAL_FATAL(bd_ident_go_modules(&g, 1), 0);
	c = held(&g, a, "example.com/a", &n);
	CU_ASSERT_EQUAL(n, 1 + BD_ARRAY_SIZE(lines));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->version, "v1.0.0");
	CU_ASSERT_PTR_NULL(c->go_replaces);
	c = held(&g, a, "example.com/evil@v9", &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->version, "v1");
	CU_ASSERT_EQUAL(g.ncomps, 1 + 1 + BD_ARRAY_SIZE(lines));
	bd_graph_release(&g);
}

/* The edges of kind from the component keyed from to those keyed in
 * want (", "-joined, in the graph's order). */
static const char *depends_of(const struct bd_graph *g, const char *from,
			      struct bd_buf *b)
{
	uint32_t id;
	size_t i;

	bd_buf_reset(b);
	CU_ASSERT_TRUE_FATAL(bd_graph_find(g, from, &id));
	for (i = 0; i < g->nedges; i++) {
		if (g->edges[i].from != id ||
		    g->edges[i].kind != BD_EDGE_DEPENDS)
			continue;
		bd_buf_printf(b, "%s%s", b->len ? ", " : "",
			      g->comps[g->edges[i].to].name);
	}
	return bd_buf_str(b);
}

static size_t edges_of_kind(const struct bd_graph *g, enum bd_edge_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < g->nedges; i++)
		n += g->edges[i].kind == kind;
	return n;
}

/* Program a's list: its own crate, serde (listed twice), a proc macro and
 * openssl-src of the build, a fork from git that depends on the program's
 * crate (a cycle), and cc as both kinds (a hostile list), the build's
 * depending on the runtime's. */
static const uint32_t app_deps[] = { 1, 2, 3, 4 }, serde_deps[] = { 2 },
		      fork_deps[] = { 0 }, cc_deps[] = { 7 };
static const struct bd_cargo_package a_pkgs[] = {
	{ "app", "0.1.0", "local", false, true, app_deps, 4, false },
	{ "serde", "1.0.197", "crates.io", false, false, serde_deps, 1, false },
	{ "serde_derive", "1.0.197", "crates.io", true, false, NULL, 0, false },
	{ "openssl-src", "300.2.3+3.2.1", "crates.io", true, false, NULL, 0,
	  false },
	{ "fork", "0.2.0", "git", false, false, fork_deps, 1, false },
	{ "serde", "1.0.197", "crates.io", false, false, serde_deps, 1, false },
	{ "cc", "1.0.90", "crates.io", true, false, cc_deps, 1, false },
	{ "cc", "1.0.90", "crates.io", false, false, NULL, 0, false },
};
/* Program b's: serde, and serde_derive compiled in. */
static const uint32_t b_serde_deps[] = { 1 };
static const struct bd_cargo_package b_pkgs[] = {
	{ "serde", "1.0.197", "crates.io", false, false, b_serde_deps, 1,
	  false },
	{ "serde_derive", "1.0.197", "crates.io", false, false, NULL, 0,
	  false },
	{ "a@b#c%d>e", "1", "registry", false, false, NULL, 0, false },
};
static const struct bd_cargo_info a_info = { a_pkgs, 8, 1 };
static const struct bd_cargo_info b_info = { b_pkgs, 3, 0 };

/* A Rust binary's crates: compiled in (BD_EDGE_STATIC) or used by its
 * build (BD_EDGE_BUILD), pkg:cargo purls whatever the source, the source
 * and kind kept, the list's line as evidence; a crate listed twice one
 * component and one edge; a second binary shares what it lists alike. */
static void test_cargo_crates(void)
{
	const struct bd_component *c;
	struct bd_graph g;
	uint32_t a, b;
	size_t n;

	two_programs(&g, &a, &b);
	bd_graph_comp(&g, a)->cargo = &a_info;
	bd_graph_comp(&g, b)->cargo = &b_info;
	CU_ASSERT_EQUAL_FATAL(bd_ident_cargo_crates(&g, 2), 0);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
	CU_ASSERT_TRUE(bd_graph_find(&g, "file:a", &a));
	CU_ASSERT_TRUE(bd_graph_find(&g, "file:b", &b));
	c = held_kind(&g, a, BD_EDGE_STATIC, "serde", &n);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:cargo/serde@1.0.197");
	CU_ASSERT_STRING_EQUAL(c->version, "1.0.197");
	CU_ASSERT_STRING_EQUAL(c->cargo_source, "crates.io");
	CU_ASSERT_STRING_EQUAL(c->cargo_kind, "runtime");
	CU_ASSERT_STRING_EQUAL(c->key, "cargo:serde@1.0.197#crates.io");
	CU_ASSERT_STRING_EQUAL(c->ids[0].technique, "manifest-analysis");
	CU_ASSERT_STRING_EQUAL(c->ids[0].method,
			       "cargo-auditable dependency list: serde 1.0.197 "
			       "from crates.io");
	c = held_kind(&g, a, BD_EDGE_STATIC, "app", &n);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:cargo/app@0.1.0");
	CU_ASSERT_STRING_EQUAL(c->cargo_source, "local");
	c = held_kind(&g, a, BD_EDGE_STATIC, "fork", &n);
	CU_ASSERT_STRING_EQUAL(c->purl, "pkg:cargo/fork@0.2.0");
	CU_ASSERT_STRING_EQUAL(c->cargo_source, "git");
	c = held_kind(&g, a, BD_EDGE_BUILD, "openssl-src", &n);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(c->purl,
			       "pkg:cargo/openssl-src@300.2.3%2B3.2.1");
	CU_ASSERT_STRING_EQUAL(c->cargo_kind, "build");
	CU_ASSERT_STRING_EQUAL(c->ids[0].method,
			       "cargo-auditable dependency list: openssl-src "
			       "300.2.3+3.2.1 from crates.io, a build "
			       "dependency");
	/* cc, of both kinds in a's list: compiled in, no build edge. */
	c = held_kind(&g, a, BD_EDGE_STATIC, "cc", &n);
	CU_ASSERT_STRING_EQUAL(c->cargo_kind, "runtime");
	/* The second binary: serde shared; serde_derive, which it compiles
	 * in and a's build used, one component; a name holding the key's
	 * separators keeps them out of the key. */
	c = held_kind(&g, b, BD_EDGE_STATIC, "serde_derive", &n);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_STRING_EQUAL(c->key, "cargo:serde_derive@1.0.197#crates.io");
	CU_ASSERT_PTR_EQUAL(
		c, held_kind(&g, a, BD_EDGE_BUILD, "serde_derive", &n));
	c = held_kind(&g, b, BD_EDGE_STATIC, "a@b#c%d>e", &n);
	CU_ASSERT_STRING_EQUAL(c->key, "cargo:a%40b%23c%25d%3Ee@1#registry");
	CU_ASSERT_EQUAL(g.ncomps, 2 + 7);
	CU_ASSERT_EQUAL(edges_of_kind(&g, BD_EDGE_STATIC), 4 + 3);
	CU_ASSERT_EQUAL(edges_of_kind(&g, BD_EDGE_BUILD), 2);
	bd_graph_release(&g);
}

/* A crate whose list's dependencies were cut (bd_cargoaudit_parse's
 * deps_cut) is a component whose dependencies are known in part, whatever
 * another list says of it; one whose list was whole is not. */
static const uint32_t cut_deps[] = { 1 };
static const struct bd_cargo_package cut_pkgs[] = {
	{ "app", "1", "local", false, true, cut_deps, 1, true },
	{ "dep", "1", "crates.io", false, false, NULL, 0, false },
};
static const struct bd_cargo_package whole_pkgs[] = {
	{ "app", "1", "local", false, true, cut_deps, 1, false },
	{ "dep", "1", "crates.io", false, false, NULL, 0, false },
};
static const struct bd_cargo_info cut_info = { cut_pkgs, 2, 0 };
static const struct bd_cargo_info whole_info = { whole_pkgs, 2, 0 };

static void test_cargo_crate_deps_cut(void)
{
	struct bd_graph g;
	uint32_t a, b, id;

	two_programs(&g, &a, &b);
	bd_graph_comp(&g, a)->cargo = &whole_info;
	bd_graph_comp(&g, b)->cargo = &cut_info;
	CU_ASSERT_EQUAL_FATAL(bd_ident_cargo_crates(&g, 2), 0);
	CU_ASSERT_FATAL(bd_graph_find(&g, "cargo:app@1#local", &id));
	CU_ASSERT_TRUE(bd_graph_comp(&g, id)->cargo_deps_cut);
	CU_ASSERT_FATAL(bd_graph_find(&g, "cargo:dep@1#crates.io", &id));
	CU_ASSERT_FALSE(bd_graph_comp(&g, id)->cargo_deps_cut);
	bd_graph_release(&g);
}

/* The crates' dependencies: BD_EDGE_DEPENDS between their components,
 * once though two lists give one; a cycle kept; none between two
 * listings of one crate. A crate listed as build by one program and
 * runtime by another is runtime, its evidence the same whichever file
 * comes first. */
static void test_cargo_crate_graph(void)
{
	struct bd_buf b = BD_BUF_INIT, first = BD_BUF_INIT;
	const struct bd_cargo_info *order[2][2] = { { &a_info, &b_info },
						    { &b_info, &a_info } };
	struct bd_graph g;
	uint32_t x, y, id;
	size_t k;

	for (k = 0; k < 2; k++) {
		two_programs(&g, &x, &y);
		bd_graph_comp(&g, x)->cargo = order[k][0];
		bd_graph_comp(&g, y)->cargo = order[k][1];
		CU_ASSERT_EQUAL_FATAL(bd_ident_cargo_crates(&g, 2), 0);
		CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
		CU_ASSERT_STRING_EQUAL(
			depends_of(&g, "cargo:app@0.1.0#local", &b),
			"fork, openssl-src, serde, serde_derive");
		CU_ASSERT_STRING_EQUAL(
			depends_of(&g, "cargo:serde@1.0.197#crates.io", &b),
			"serde_derive");
		CU_ASSERT_STRING_EQUAL(
			depends_of(&g, "cargo:fork@0.2.0#git", &b), "app");
		CU_ASSERT_STRING_EQUAL(
			depends_of(&g, "cargo:cc@1.0.90#crates.io", &b), "");
		CU_ASSERT_EQUAL(edges_of_kind(&g, BD_EDGE_DEPENDS), 6);
		CU_ASSERT_TRUE_FATAL(bd_graph_find(
			&g, "cargo:serde_derive@1.0.197#crates.io", &id));
		CU_ASSERT_STRING_EQUAL(g.comps[id].cargo_kind, "runtime");
		if (!k)
			bd_buf_adds(&first, g.comps[id].ids[0].method);
		else
			CU_ASSERT_STRING_EQUAL(g.comps[id].ids[0].method,
					       bd_buf_str(&first));
		bd_graph_release(&g);
	}
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&first),
			       "cargo-auditable dependency list: serde_derive "
			       "1.0.197 from crates.io");
	bd_buf_release(&b);
	bd_buf_release(&first);
}

void bd_test_register_ident(void)
{
	BD_SUITE("ident", BD_TEST(test_purl_from_notes),
		 BD_TEST(test_load_on_a_thread),
		 BD_TEST(test_cpe_of_pre_release),
		 BD_TEST(test_cpe23_formatted_string), BD_TEST(test_go_modules),
		 BD_TEST(test_go_module_one_element),
		 BD_TEST(test_go_main_module_names_program),
		 BD_TEST(test_go_module_keys_apart), BD_TEST(test_cargo_crates),
		 BD_TEST(test_cargo_crate_deps_cut),
		 BD_TEST(test_cargo_crate_graph));
}
