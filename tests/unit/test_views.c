/* SPDX-License-Identifier: MIT */
/* The views for people (issue 17): the summary, the DOT graph, the
 * progress line, and the purls they show. */
#include "unit.h"
#include "bindep/emit.h"
#include "bindep/progress.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* A kind of edge no emitter names: code compiled into the file (issue
 * 14 adds it; the views draw it as static whatever it is called). */
#define EDGE_COMPILED_IN ((enum bd_edge_kind)(BD_EDGE_CONTAINS + 1))

static const char *zstd_sonames[] = { "libzstd.so.1" };
static const char *fido_sonames[] = { "libfido2.so.1" };
static struct bd_dlopen_entry zstd_entry = { "zstd", NULL, "suggested",
					     zstd_sonames, 1 };
static struct bd_dlopen_entry fido_entry = { "fido2", NULL, "required",
					     fido_sonames, 1 };

static uint32_t add(struct bd_graph *g, const char *key, enum bd_comp_kind kind,
		    const char *name, const char *path)
{
	uint32_t id;

	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, key, kind, &id), 0);
	bd_graph_comp(g, id)->name = bd_graph_strdup(g, name);
	if (path)
		bd_graph_add_path(g, id, path);
	return id;
}

static void upstream(struct bd_graph *g, uint32_t id, const char *purl,
		     const char *version, const char *license)
{
	struct bd_component *c = bd_graph_comp(g, id);

	c->upstream_purl = purl;
	c->upstream_version = version;
	c->license = license;
}

/*
 * app (deb app) needs libz (deb zlib1g, zlib 1.2.13), libssl (deb libssl3,
 * OpenSSL) and libfoo (unidentified), and dlopens libzstd (suggested) and
 * libfido2 (required, missing). libssl holds zlib 1.3 compiled in. tool
 * (scanned too) needs libz and a vendored libv.
 */
static void make_graph(struct bd_graph *g)
{
	uint32_t app, z, ssl, foo, zstd, fido, zs, tool, v;

	bd_graph_init(g);
	app = add(g, "a", BD_COMP_EXECUTABLE, "app", "dist/bin/app");
	tool = add(g, "b", BD_COMP_EXECUTABLE, "tool", "dist/bin/tool");
	z = add(g, "c", BD_COMP_LIBRARY, "libz.so.1", "/lib/libz.so.1");
	ssl = add(g, "d", BD_COMP_LIBRARY, "libssl.so.3", "/lib/libssl.so.3");
	foo = add(g, "e", BD_COMP_LIBRARY, "libfoo.so.1", "dist/lib/libfoo.so");
	zstd = add(g, "f", BD_COMP_LIBRARY, "libzstd.so.1",
		   "/lib/libzstd.so.1");
	fido = add(g, "g", BD_COMP_UNRESOLVED, "libfido2.so.1", NULL);
	zs = add(g, "h", BD_COMP_LIBRARY, "zlib", NULL);
	v = add(g, "i", BD_COMP_LIBRARY, "libv.so.2", "dist/lib/libv.so.2");
	bd_graph_comp(g, app)->is_input = true;
	bd_graph_comp(g, tool)->is_input = true;
	bd_graph_comp(g, app)->purl = "pkg:deb/debian/app@1.0-1?arch=amd64";
	bd_graph_comp(g, app)->version = "1.0-1";
	bd_graph_comp(g, z)->purl = "pkg:deb/debian/zlib1g@1:1.2.13-1";
	upstream(g, z, "pkg:github/madler/zlib@1.2.13", "1.2.13", "Zlib");
	bd_graph_comp(g, ssl)->purl = "pkg:deb/debian/libssl3@3.0.11-1";
	upstream(g, ssl, "pkg:github/openssl/openssl@3.0.11", "3.0.11",
		 "Apache-2.0");
	bd_graph_comp(g, zstd)->purl = "pkg:deb/debian/libzstd1@1.5.4-1";
	bd_graph_comp(g, zstd)->version = "1.5.4-1";
	bd_graph_comp(g, zs)->purl = "pkg:github/madler/zlib@1.3";
	upstream(g, zs, "pkg:github/madler/zlib@1.3", "1.3", "Zlib");
	bd_graph_comp(g, v)->purl = "pkg:github/v/v@2.0";
	upstream(g, v, "pkg:github/v/v@2.0", "2.0", NULL);
	bd_graph_comp(g, v)->vendored = true;
	bd_graph_add_edge(g, app, z, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, app, ssl, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, app, foo, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, app, zstd, BD_EDGE_DLOPEN_NOTE, &zstd_entry);
	bd_graph_add_edge(g, app, fido, BD_EDGE_DLOPEN_NOTE, &fido_entry);
	bd_graph_add_edge(g, ssl, zs, EDGE_COMPILED_IN, NULL);
	bd_graph_add_edge(g, tool, z, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, tool, v, BD_EDGE_NEEDED, NULL);
	/* Both needed and dlopen'd: one edge in the graph drawn. */
	bd_graph_add_edge(g, tool, zstd, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(g, tool, zstd, BD_EDGE_DLOPEN_NOTE, &zstd_entry);
	bd_graph_sort(g);
}

static char *summary(const struct bd_graph *g, unsigned columns, bool color)
{
	struct bd_emit_options o = { .source_name = "demo",
				     .source_version = "1.0",
				     .columns = columns,
				     .color = color };
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_emit_summary(g, &o, &b, NULL), 0);
	return bd_buf_detach(&b, NULL);
}

static void test_summary_rows(void)
{
	struct bd_graph g;
	char *text;

	make_graph(&g);
	text = summary(&g, 0, false);
	CU_ASSERT_STRING_EQUAL(
		text, "demo 1.0: 2 files scanned, 9 components, 5 projects\n"
		      "\n"
		      "PROJECT   VERSION      HOW                        "
		      "THROUGH       "
		      "LICENCE     FILES\n"
		      "libzstd1  1.5.4-1      linked, dlopen: suggested  deb "
		      "libzstd1  "
		      "unknown         2\n"
		      "zlib      1.2.13, 1.3  linked, static             deb "
		      "zlib1g    "
		      "Zlib            2\n"
		      "app       1.0-1        scanned                    deb "
		      "app       "
		      "unknown         1\n"
		      "openssl   3.0.11       linked                     deb "
		      "libssl3   "
		      "Apache-2.0      1\n"
		      "v         2.0          linked, vendored           -     "
		      "        "
		      "unknown         1\n"
		      "\n"
		      "missing       1: libfido2.so.1 (dlopen: required)\n"
		      "unidentified  2: dist/bin/tool, dist/lib/libfoo.so\n"
		      "incomplete    none\n");
	free(text);
	bd_graph_release(&g);
}

/* Each line's columns: a code point each. */
static size_t widest_line(const char *text)
{
	size_t w = 0, max = 0;

	for (; *text; text++) {
		if (*text == '\n') {
			w = 0;
			continue;
		}
		if (((unsigned char)*text & 0xc0) != 0x80 && ++w > max)
			max = w;
	}
	return max;
}

/* Narrower: the widest columns wrap; narrower still, blocks. Every line
 * fits, however narrow (but for a word longer than the width left). */
static void test_summary_fits(void)
{
	static const unsigned widths[] = { 90, 80, 72, 64, 50, 40, 34 };
	struct bd_graph g;
	char *text;
	size_t i;

	make_graph(&g);
	for (i = 0; i < BD_ARRAY_SIZE(widths); i++) {
		text = summary(&g, widths[i], false);
		CU_ASSERT(widest_line(text) <= widths[i]);
		if (widest_line(text) > widths[i])
			fprintf(stderr, "\n%u:\n%s", widths[i], text);
		free(text);
	}
	text = summary(&g, 80, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
				      "\nlibzstd1  1.5.4-1      linked, "
				      "dlopen:           deb libzstd1  "
				      "unknown         2\n"
				      "                       suggested\n"));
	free(text);
	text = summary(&g, 50, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nlibzstd1  (2 files)\n"
					    "  version   1.5.4-1\n"
					    "  how       linked, dlopen: "
					    "suggested\n"));
	free(text);
	bd_graph_release(&g);
}

/* A long name wraps indented: a line that starts at the margin starts a
 * row, and ends with its count. */
static void test_summary_long_names(void)
{
	struct bd_graph g;
	uint32_t id;
	char *text, *line, *save = NULL;
	bool table = false, wrapped = false;

	make_graph(&g);
	id = add(&g, "z", BD_COMP_LIBRARY, "libl.so", "dist/libl.so");
	bd_graph_comp(&g, id)->is_input = true;
	bd_graph_comp(&g, id)->purl =
		"pkg:generic/a-project-with-a-very-long-name-indeed@1";
	bd_graph_sort(&g);
	text = summary(&g, 72, false);
	CU_ASSERT(widest_line(text) <= 72);
	wrapped = strstr(text, "\na-project-with-a-     1         scanned") &&
		  strstr(text, "\n  very-long-name-\n  indeed\n");
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "PROJECT", 7)) {
			table = true;
			continue;
		}
		if (!table)
			continue;
		if (!strncmp(line, "missing", 7))
			break;
		if (line[0] != ' ')
			CU_ASSERT(line[strlen(line) - 1] >= '0' &&
				  line[strlen(line) - 1] <= '9');
	}
	CU_ASSERT_TRUE(table);
	CU_ASSERT_TRUE(wrapped);
	free(text);
	bd_graph_release(&g);
}

/* A cell of 240 KB (a hostile package's version) wraps in a time linear
 * in its length, every line fits, and no byte of it is lost: each line
 * wrapped it again from its start, minutes for one row. */
static void test_summary_long_cell(void)
{
	const size_t n = 240 * 1024;
	struct bd_graph g;
	char *version = malloc(n + 1), *text, *line, *save = NULL;
	size_t i, kept = 0;
	uint32_t id;

	CU_ASSERT_PTR_NOT_NULL_FATAL(version);
	for (i = 0; i < n; i++)
		version[i] = i % 7 == 6 ? '.' : (char)('0' + i % 10);
	version[n] = '\0';
	make_graph(&g);
	id = add(&g, "z", BD_COMP_LIBRARY, "libl.so", "dist/libl.so");
	bd_graph_comp(&g, id)->is_input = true;
	bd_graph_comp(&g, id)->purl = "pkg:generic/long";
	bd_graph_comp(&g, id)->version = version;
	bd_graph_sort(&g);
	text = summary(&g, 80, false);
	CU_ASSERT(widest_line(text) <= 80);
	/* The version's column: its lines, in order, are the version. */
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *v = line + strspn(line, " ");

		if (strlen(line) > 6 && !strncmp(line, "long ", 5))
			v = line + 5 + strspn(line + 5, " ");
		else if (line[0] != ' ')
			continue;
		if (strncmp(v, version + kept, strcspn(v, " ")))
			continue;
		kept += strcspn(v, " ");
	}
	CU_ASSERT_EQUAL(kept, n);
	free(text);
	bd_graph_release(&g);
	free(version);
}

/* Display columns of a line as a terminal counts them (wcwidth in
 * C.UTF-8), up to byte n. */
static size_t shown_columns(const char *line, size_t n)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = uselocale(utf8);
	mbstate_t st;
	size_t i = 0, cols = 0;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	while (i < n) {
		size_t k = mbrtowc(&wc, line + i, n - i, &st);
		int w;

		if (k == 0 || k > n - i)
			break;
		w = wcwidth(wc);
		cols += w < 0 ? 1 : (size_t)w;
		i += k;
	}
	uselocale(old);
	freelocale(utf8);
	return cols;
}

/* Wide characters (CJK, emoji) take two columns and combining marks none:
 * the columns after them stay under their headers, and every line fits. */
static void test_summary_wide_characters(void)
{
	static const char *const names[] = {
		"pkg:generic/%E4%B8%AD%E6%96%87%E5%90%8D%E5%AD%97@1",
		"pkg:generic/e%CC%81%CC%81%CC%81%CC%81%CC%81%CC%81x@1",
		"pkg:generic/%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80@1",
	};
	struct bd_graph g;
	char *text, *line, *save = NULL;
	size_t i, how_at = 0, rows = 0;
	uint32_t id;
	char key[8];

	make_graph(&g);
	for (i = 0; i < BD_ARRAY_SIZE(names); i++) {
		snprintf(key, sizeof(key), "w%zu", i);
		id = add(&g, key, BD_COMP_LIBRARY, key, "dist/libw.so");
		bd_graph_comp(&g, id)->is_input = true;
		bd_graph_comp(&g, id)->purl = names[i];
	}
	bd_graph_sort(&g);
	text = summary(&g, 80, false);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *how = strstr(line, "scanned");

		CU_ASSERT(shown_columns(line, strlen(line)) <= 80);
		if (!strncmp(line, "PROJECT", 7))
			how_at = shown_columns(
				line, (size_t)(strstr(line, "HOW") - line));
		else if (how && how_at) {
			rows++;
			CU_ASSERT_EQUAL(
				shown_columns(line, (size_t)(how - line)),
				how_at);
		}
	}
	CU_ASSERT(rows >= BD_ARRAY_SIZE(names));
	free(text);
	bd_graph_release(&g);
}

/* A letter and 300 combining marks is one character of one column: no
 * line starts with a mark (it would combine with the indent). */
static void test_summary_marks_stay(void)
{
	struct bd_buf purl = BD_BUF_INIT;
	struct bd_graph g;
	char *text, *line, *save = NULL;
	size_t i;
	uint32_t id;

	bd_buf_adds(&purl, "pkg:generic/x");
	for (i = 0; i < 300; i++)
		bd_buf_adds(&purl, "%CC%81");
	bd_buf_adds(&purl, "y@1");
	make_graph(&g);
	id = add(&g, "m", BD_COMP_LIBRARY, "m", "dist/libm.so");
	bd_graph_comp(&g, id)->is_input = true;
	bd_graph_comp(&g, id)->purl = bd_graph_strdup(&g, purl.data);
	bd_graph_sort(&g);
	text = summary(&g, 80, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "PROJECT"));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *p = line + strspn(line, " ");

		/* U+0301 is CC 81 in UTF-8. */
		CU_ASSERT_FALSE((unsigned char)p[0] == 0xcc &&
				(unsigned char)p[1] == 0x81);
	}
	free(text);
	bd_graph_release(&g);
	bd_buf_release(&purl);
}

/* Names from files and packages reach the terminal escaped; colours are
 * ours alone. */
static void test_summary_hostile_names(void)
{
	struct bd_graph g;
	uint32_t a, b, c;
	char *text;
	const char *p;

	bd_graph_init(&g);
	a = add(&g, "a", BD_COMP_EXECUTABLE, "x\033]0;owned\007", "x\033[2J");
	b = add(&g, "b", BD_COMP_LIBRARY, "lib\xff.so", "lib\xff.so");
	c = add(&g, "c", BD_COMP_UNRESOLVED, "libmiss\r\n.so", NULL);
	bd_graph_comp(&g, a)->is_input = true;
	bd_graph_comp(&g, b)->purl = "pkg:npm/%1b%5b31m/x%0a%00y@1%0d";
	bd_graph_comp(&g, b)->license = "MIT\033[5m";
	bd_graph_add_edge(&g, a, b, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, a, c, BD_EDGE_NEEDED, NULL);
	bd_graph_sort(&g);
	text = summary(&g, 0, false);
	for (p = text; *p; p++)
		CU_ASSERT(*p == '\n' || (unsigned char)*p >= 0x20);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\x1b[31m/x\\x0a%00y  1\\x0d"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "MIT\\x1b[5m"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "missing       1: libmiss\\x0d"
					    "\\x0a.so\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "unidentified  1: x\\x1b[2J\n"));
	free(text);
	text = summary(&g, 0, true);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\033[1;31mmissing\033[0m"));
	CU_ASSERT_PTR_NULL(strstr(text, "\033[2J"));
	free(text);
	bd_graph_release(&g);
}

static void test_summary_empty(void)
{
	struct bd_graph g;
	char *text;

	bd_graph_init(&g);
	text = summary(&g, 0, false);
	CU_ASSERT_STRING_EQUAL(text,
			       "demo 1.0: 0 files scanned, 0 components, 0 "
			       "projects\n"
			       "\n"
			       "no project identified\n"
			       "\n"
			       "missing       none\n"
			       "unidentified  none\n"
			       "incomplete    none\n");
	free(text);
	bd_graph_release(&g);
}

/* The --exclude patterns close the summary, in the order given (not
 * sorted as the names of the other lines are), the first MAX_NAMES of
 * them, escaped; none, no line. */
static void test_summary_excluded(void)
{
	static const char *const pats[] = { "z/**", "a/", "b\x1b[2J", "4", "5",
					    "6",    "7",  "8",	      "9", "10",
					    "11",   "12", "13" };
	struct bd_emit_options o = { .source_name = "demo" };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	const char *line;

	bd_graph_init(&g);
	o.excludes = pats;
	o.nexcludes = 3;
	CU_ASSERT_EQUAL_FATAL(bd_emit_summary(&g, &o, &b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b),
				      "incomplete    none\n"
				      "excluded      3: z/**, a/, "
				      "b\\x1b[2J\n"));
	bd_buf_reset(&b);
	o.nexcludes = BD_ARRAY_SIZE(pats);
	CU_ASSERT_EQUAL_FATAL(bd_emit_summary(&g, &o, &b, NULL), 0);
	line = strstr(bd_buf_str(&b), "excluded");
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	CU_ASSERT_STRING_EQUAL(line, "excluded      13: z/**, a/, b\\x1b[2J, "
				     "4, 5, 6, 7, 8, 9, 10, 11, 12 and 1 "
				     "more\n");
	bd_buf_release(&b);
	bd_graph_release(&g);
}

/* ---- names missing for several machines ---------------------------------
 */

/* An ELF kind: EI_CLASS, EI_DATA, e_machine (<elf.h>'s values). */
#define KIND_X86_64 2, 1, 62
#define KIND_X32    1, 1, 62
#define KIND_ARM64  2, 1, 183

/* A component of an ELF kind: a file's header, or what an unresolved
 * one wants. */
static uint32_t of_kind(struct bd_graph *g, const char *key,
			enum bd_comp_kind kind, const char *name,
			const char *path, unsigned cls, unsigned data,
			unsigned machine)
{
	uint32_t id = add(g, key, kind, name, path);
	struct bd_component *c = bd_graph_comp(g, id);

	c->has_elf_header = kind != BD_COMP_UNRESOLVED;
	c->wants_elf_kind = kind == BD_COMP_UNRESOLVED;
	c->is_input = kind != BD_COMP_UNRESOLVED;
	c->ei_class = cls;
	c->ei_data = data;
	c->e_machine = machine;
	return id;
}

/* A name `from` needs and nothing of its kind provides, by an edge of
 * that kind (e: a dlopen entry's). */
static void needs_missing(struct bd_graph *g, uint32_t from, const char *key,
			  const char *name, enum bd_edge_kind kind,
			  const struct bd_dlopen_entry *e)
{
	const struct bd_component *f = bd_graph_comp(g, from);
	unsigned cls = f->ei_class, data = f->ei_data, machine = f->e_machine;
	uint32_t id = of_kind(g, key, BD_COMP_UNRESOLVED, name, NULL, cls, data,
			      machine);

	bd_graph_add_edge(g, from, id, kind, e);
}

static char *text_view(const struct bd_graph *g)
{
	struct bd_emit_options o = { .source_name = "demo" };
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_emit_text(g, &o, &b, NULL), 0);
	return bd_buf_detach(&b, NULL);
}

/* A library reached by its soname and by a development symlink of
 * another package (libssl-dev's libcrypto.so, to libssl3's
 * libcrypto.so.3) that sorts before it: the text view shows it where
 * the loader opened it, at its soname, not at the symlink, and so do
 * the DOT graph's node and the heading of its own tree when it is
 * scanned too. */
static void test_needed_shown_at_its_soname(void)
{
	struct bd_emit_options o = { .source_name = "demo" };
	struct bd_buf b = BD_BUF_INIT;
	struct bd_graph g;
	uint32_t app, lib;
	char *text;

	bd_graph_init(&g);
	app = add(&g, "a", BD_COMP_EXECUTABLE, "app", "dist/app");
	lib = add(&g, "b", BD_COMP_LIBRARY, "libcrypto.so.3",
		  "dist/libssl-dev.deb!/usr/lib/libcrypto.so");
	bd_graph_add_path(&g, lib, "dist/libssl3.deb!/usr/lib/libcrypto.so.3");
	bd_graph_comp(&g, lib)->soname = "libcrypto.so.3";
	bd_graph_comp(&g, app)->is_input = true;
	bd_graph_add_edge(&g, app, lib, BD_EDGE_NEEDED, NULL);
	bd_graph_sort(&g);
	text = text_view(&g);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text,
		"libcrypto.so.3 => dist/libssl3.deb!/usr/lib/libcrypto.so.3"));
	CU_ASSERT_PTR_NULL(strstr(text, "libssl-dev"));
	free(text);
	CU_ASSERT_EQUAL(bd_emit_dot(&g, &o, &b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b), "libssl3.deb"));
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&b), "libssl-dev"));
	bd_buf_release(&b);
	/* Scanned itself, its tree is headed by that path, the symlink
	 * after it. */
	bd_graph_comp(&g, lib)->is_input = true;
	text = text_view(&g);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "\ndist/libssl3.deb!/usr/lib/libcrypto.so.3 (also "
			     "dist/libssl-dev.deb!/usr/lib/libcrypto.so)"));
	free(text);
	bd_graph_release(&g);
}

/* One program for each of three machines, each missing libfoo.so.1;
 * the aarch64 one libc.so.6 too, and two a suggested libzstd.so.1. */
static void three_machines_missing(struct bd_graph *g)
{
	uint32_t x64, x32, arm;

	bd_graph_init(g);
	x64 = of_kind(g, "a", BD_COMP_EXECUTABLE, "app", "x64/app",
		      KIND_X86_64);
	x32 = of_kind(g, "b", BD_COMP_EXECUTABLE, "app", "x32/app", KIND_X32);
	arm = of_kind(g, "c", BD_COMP_EXECUTABLE, "app", "arm64/app",
		      KIND_ARM64);
	needs_missing(g, x64, "d", "libfoo.so.1", BD_EDGE_NEEDED, NULL);
	needs_missing(g, x32, "e", "libfoo.so.1", BD_EDGE_NEEDED, NULL);
	needs_missing(g, arm, "f", "libfoo.so.1", BD_EDGE_NEEDED, NULL);
	needs_missing(g, arm, "g", "libc.so.6", BD_EDGE_NEEDED, NULL);
	needs_missing(g, arm, "h", "libzstd.so.1", BD_EDGE_DLOPEN_NOTE,
		      &zstd_entry);
	needs_missing(g, x64, "i", "libzstd.so.1", BD_EDGE_DLOPEN_NOTE,
		      &zstd_entry);
	bd_graph_sort(g);
}

/* One x86-64 program missing libfoo.so.1: a run of one machine, whose
 * views name no machine. */
static void one_machine_missing(struct bd_graph *g)
{
	uint32_t x64;

	bd_graph_init(g);
	x64 = of_kind(g, "a", BD_COMP_EXECUTABLE, "app", "x64/app",
		      KIND_X86_64);
	needs_missing(g, x64, "d", "libfoo.so.1", BD_EDGE_NEEDED, NULL);
	bd_graph_sort(g);
}

/*
 * Files of x86-64, x32 and aarch64: the summary's missing line names
 * each name once with the machines it is missing for (x86-64's and x32's
 * told apart by their class), a dlopen entry's priority after them; the
 * text view says the machine after "not found". A run of one machine says
 * them as it always did.
 */
static void test_missing_per_machine(void)
{
	struct bd_graph g;
	char *text;

	three_machines_missing(&g);
	text = summary(&g, 0, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "missing       3: libc.so.6 (aarch64), libfoo.so.1 "
		      "(aarch64, x86_64 ELF32, x86_64 ELF64), libzstd.so.1 "
		      "(aarch64, x86_64 ELF64; dlopen: suggested)\n"));
	free(text);
	text = text_view(&g);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "arm64/app  unidentified\n"
		      "    libc.so.6 => not found (aarch64)  [needed]\n"
		      "    libfoo.so.1 => not found (aarch64)  [needed]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "libfoo.so.1 => not found (x86_64 "
					    "ELF32)  [needed]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "6 not found"));
	free(text);
	bd_graph_release(&g);

	one_machine_missing(&g);
	text = summary(&g, 0, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "missing       1: libfoo.so.1\n"));
	free(text);
	text = text_view(&g);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "    libfoo.so.1 => not found  [needed]\n"));
	free(text);
	bd_graph_release(&g);
}

/* A hostile tree of a file per machine, each missing one name: the name
 * once, six machines and how many more. */
static void test_missing_machines_capped(void)
{
	char key[16];
	struct bd_graph g;
	uint32_t file;
	unsigned m;
	char *text;

	bd_graph_init(&g);
	for (m = 0; m < 9; m++) {
		snprintf(key, sizeof(key), "f%u", m);
		file = of_kind(&g, key, BD_COMP_EXECUTABLE, "app", key, 2, 1,
			       300 + m);
		snprintf(key, sizeof(key), "u%u", m);
		needs_missing(&g, file, key, "libz.so.1", BD_EDGE_NEEDED, NULL);
	}
	bd_graph_sort(&g);
	text = summary(&g, 0, false);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "missing       1: libz.so.1 (EM_300, EM_301, "
			     "EM_302, EM_303, EM_304, EM_305 and 3 more)\n"));
	free(text);
	bd_graph_release(&g);
}

/* ---- DOT ------------------------------------------------------------------
 */

static char *dot(const struct bd_graph *g)
{
	struct bd_emit_options o = { .source_name = "de\"mo\\",
				     .source_version = "1.0" };
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL(bd_emit_dot(g, &o, &b, NULL), 0);
	return bd_buf_detach(&b, NULL);
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	while ((text = strstr(text, what))) {
		n++;
		text++;
	}
	return n;
}

/* A name missing for several machines is a node per machine, labelled
 * apart as the summary names them ("libfoo.so.1 (x86_64 ELF32)"); in a
 * run of one machine, by its name alone. */
static void test_dot_missing_per_machine(void)
{
	struct bd_graph g;
	char *text;

	three_machines_missing(&g);
	text = dot(&g);
	CU_ASSERT_EQUAL(count(text, "[label=\"libfoo.so.1 ("), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "[label=\"libfoo.so.1 (x86_64 ELF64)\\nnot found\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "[label=\"libfoo.so.1 (x86_64 ELF32)\\nnot found\""));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "[label=\"libfoo.so.1 (aarch64)\\nnot found\""));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "[label=\"libc.so.6 (aarch64)\\nnot found\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "[label=\"app\\nx64/app\\n"));
	free(text);
	bd_graph_release(&g);

	one_machine_missing(&g);
	text = dot(&g);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "[label=\"libfoo.so.1\\nnot found\""));
	free(text);
	bd_graph_release(&g);
}

/* A node per component, an edge per pair joined (needed and dlopen'd:
 * one, drawn as needed), styled by kind. */
static void test_dot_graph(void)
{
	struct bd_graph g;
	char *text;

	make_graph(&g);
	text = dot(&g);
	CU_ASSERT_EQUAL(count(text, "\" [label="), 9);
	CU_ASSERT_EQUAL(count(text, "\" -> \""), 9);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "// bindep-sbom: 9 nodes (CycloneDX's components), 9 "
		      "edges"));
	/* The name's backslash doubled for display, then escaped for DOT. */
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "label=\"de\\\"mo\\\\\\\\ 1.0\"];\n"));
	/* Clusters: the package, with its project; a vendored copy by its
	 * project. */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "label=\"deb zlib1g\\nzlib "
					    "1.2.13\";\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "label=\"v 2.0\";\n"));
	CU_ASSERT_EQUAL(count(text, "subgraph \"cluster_"), 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "[label=\"libfido2.so.1\\nnot "
					    "found\", shape=box, "
					    "style=\"dashed\", color=red"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "[label=\"libfoo.so.1\\n"
					    "dist/lib/libfoo.so\\n"
					    "unidentified\""));
	CU_ASSERT_EQUAL(count(text, "tooltip=\"static\""), 1);
	CU_ASSERT_EQUAL(count(text, "tooltip=\"dlopen: required\""), 1);
	/* app dlopens libzstd; tool needs it and dlopens it. */
	CU_ASSERT_EQUAL(count(text, "tooltip=\"dlopen: suggested\""), 1);
	CU_ASSERT_EQUAL(count(text, "tooltip=\"needed\""), 6);
	free(text);
	bd_graph_release(&g);
}

/* A crate compiled in and one only the build used: the summary's HOW
 * says "static" and "build", the graph draws the build edge dotted. */
static void test_build_dependency_views(void)
{
	struct bd_graph g;
	uint32_t app, serde, derive;
	char *text;

	bd_graph_init(&g);
	app = add(&g, "a", BD_COMP_EXECUTABLE, "app", "dist/app");
	serde = add(&g, "b", BD_COMP_STATIC, "serde", NULL);
	derive = add(&g, "c", BD_COMP_STATIC, "serde_derive", NULL);
	bd_graph_comp(&g, app)->is_input = true;
	bd_graph_comp(&g, serde)->purl = "pkg:cargo/serde@1.0.197";
	bd_graph_comp(&g, serde)->version = "1.0.197";
	bd_graph_comp(&g, derive)->purl = "pkg:cargo/serde_derive@1.0.197";
	bd_graph_comp(&g, derive)->version = "1.0.197";
	bd_graph_add_edge(&g, app, serde, BD_EDGE_STATIC, NULL);
	bd_graph_add_edge(&g, app, derive, BD_EDGE_BUILD, NULL);
	bd_graph_sort(&g);
	text = summary(&g, 0, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nserde         1.0.197  static  "
					    "crate serde         unknown"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nserde_derive  1.0.197  build   "
					    "crate serde_derive  unknown"));
	free(text);
	text = dot(&g);
	CU_ASSERT_EQUAL(count(text, "tooltip=\"static\""), 1);
	CU_ASSERT_EQUAL(count(text, "style=dotted, color=darkgreen, "
				    "tooltip=\"build dependency\""),
			1);
	free(text);
	bd_graph_release(&g);
}

/* Hostile names stay inside their quoted strings: no raw quote, newline
 * or control byte, no backslash that could start an escape of Graphviz
 * (\N, \G, \l), no entity, valid UTF-8. */
static void test_dot_escaping(void)
{
	struct bd_graph g;
	uint32_t a, b;
	char *text;
	const char *p;

	bd_graph_init(&g);
	a = add(&g, "a\"", BD_COMP_EXECUTABLE, "a\"b\\N\n\\l", "d\"\n&lt;\xff");
	b = add(&g, "b", BD_COMP_UNRESOLVED, "lib\"}; x -> y; {\"", NULL);
	bd_graph_comp(&g, a)->is_input = true;
	bd_graph_add_edge(&g, a, b, BD_EDGE_NEEDED, NULL);
	bd_graph_sort(&g);
	text = dot(&g);
	for (p = text; *p; p++)
		CU_ASSERT(*p == '\n' || *p == '\t' ||
			  (unsigned char)*p >= 0x20);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "[label=\"a\\\"b\\\\\\\\N\\\\x0a\\\\\\\\l\\nd\\\"\\\\x0a"
		      "&amp;lt;\\\\xff\\nunidentified\", "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "[label=\"lib\\\"}; x -> y; "
					    "{\\\"\\nnot found\""));
	CU_ASSERT_EQUAL(count(text, " -> "), 2); /* the edge, and the name */
	free(text);
	bd_graph_release(&g);
}

/* ---- purls for people ---------------------------------------------------- */

static void expect_name(const char *purl, const char *name, const char *label)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_emit_purl_name(&b, purl);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), name);
	bd_buf_reset(&b);
	CU_ASSERT_EQUAL(bd_emit_package_label(&b, purl), label != NULL);
	if (label)
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), label);
	bd_buf_release(&b);
}

static void test_purl_names(void)
{
	expect_name("pkg:deb/debian/libssl3@3.0.11-1?arch=amd64", "libssl3",
		    "deb libssl3");
	expect_name("pkg:deb/debian/libstdc%2B%2B6@12", "libstdc++6",
		    "deb libstdc++6");
	expect_name("pkg:npm/%40img/sharp-linux-x64@0.35.5",
		    "@img/sharp-linux-x64", "npm @img/sharp-linux-x64");
	expect_name("pkg:npm/sharp@0.35.5", "sharp", "npm sharp");
	expect_name("pkg:pypi/numpy@2.0", "numpy", "wheel numpy");
	expect_name("pkg:github/gcc-mirror/gcc@12.2.0", "gcc", NULL);
	expect_name("pkg:generic/glibc@2.36#sub", "glibc", NULL);
	expect_name("pkg:maven/org.x/y@1", "y", "jar y");
	/* "%00" would end the text: kept; a broken escape too. */
	expect_name("pkg:rpm/fedora/a%00b%4", "a%00b%4", "rpm a%00b%4");
	expect_name("not a purl", "not a purl", NULL);
	expect_name("pkg:deb", "pkg:deb", NULL);
	expect_name("pkg:deb/", "pkg:deb/", NULL);
	CU_ASSERT_EQUAL(bd_emit_purl_base("pkg:npm/%40img/x@1?a=b"), 16);
	CU_ASSERT_EQUAL(bd_emit_dlopen_rank(NULL), 2);
	CU_ASSERT_STRING_EQUAL(bd_emit_dlopen_priority(3), "required");
	CU_ASSERT_STRING_EQUAL(bd_emit_dlopen_priority(1), "suggested");
}

/* ---- the progress line -------------------------------------------------- */

static char *line(const struct bd_progress_snapshot *s, const char *phase,
		  unsigned columns)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t cols = bd_progress_line(&b, s, phase, columns);

	CU_ASSERT(cols < columns || cols == 0);
	if (!strstr(s->reading, "\xe6"))
		CU_ASSERT_EQUAL(cols, b.len); /* ASCII: a column a byte */
	bd_buf_addc(&b, '\0');
	return bd_buf_detach(&b, NULL);
}

static void test_progress_line(void)
{
	struct bd_progress_snapshot s = { 1234567, 1, 3ULL << 30, "" };
	char *text;

	text = line(&s, "scanning", 200);
	CU_ASSERT_STRING_EQUAL(text, "scanning: 1,234,567 files walked, 1 ELF "
				     "file scanned, 3.0 GiB hashed");
	free(text);
	/* What has not begun is not said. */
	strcpy(s.reading, "dist/very/long/path/to/x\033[2J.whl");
	s.scanned = 0;
	s.hashed = 1000;
	text = line(&s, NULL, 200);
	CU_ASSERT_STRING_EQUAL(text, "1,234,567 files walked, 1000 bytes "
				     "hashed, reading "
				     "dist/very/long/path/to/x\\x1b[2J.whl");
	free(text);
	/* Never as wide as the terminal: the middle of the name gives way. */
	text = line(&s, NULL, 75);
	CU_ASSERT_STRING_EQUAL(text,
			       "1,234,567 files walked, 1000 bytes "
			       "hashed, reading dist/v...o/x\\x1b[2J.whl");
	CU_ASSERT_EQUAL(strlen(text), 74);
	free(text);
	/* No room for a useful part of it: none. */
	text = line(&s, NULL, 60);
	CU_ASSERT_STRING_EQUAL(text, "1,234,567 files walked, 1000 bytes "
				     "hashed");
	free(text);
	/* Too narrow for the counts: cut. */
	text = line(&s, NULL, 20);
	CU_ASSERT_STRING_EQUAL(text, "1,234,567 files wal");
	free(text);
	text = line(&s, NULL, 0);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
	/* An image unpacked: only what is hashed, and the layer. */
	memset(&s, 0, sizeof(s));
	strcpy(s.reading, "big.tar!/0123456789abcdef0123456789abcdef0123456789"
			  "abcdef0123456789abcdef/layer.tar");
	s.hashed = 3 << 20;
	text = line(&s, "scanning", 80);
	CU_ASSERT_STRING_EQUAL(text, "scanning: 3.0 MiB hashed, reading "
				     "big.tar!/01234...ef0123456789abcdef/"
				     "layer.tar");
	free(text);
	s.hashed = 0;
	s.reading[0] = '\0';
	text = line(&s, "scanning", 80);
	CU_ASSERT_STRING_EQUAL(text, "scanning");
	free(text);
	/* Wide characters count twice: a line of them never wraps. */
	strcpy(s.reading, "\xe6\x96\x87\xe6\x96\x87\xe6\x96\x87\xe6\x96\x87"
			  "\xe6\x96\x87\xe6\x96\x87\xe6\x96\x87\xe6\x96\x87"
			  "\xe6\x96\x87\xe6\x96\x87\xe6\x96\x87\xe6\x96\x87");
	text = line(&s, "scanning", 35);
	CU_ASSERT_STRING_EQUAL(text,
			       "scanning: reading \xe6\x96\x87\xe6\x96\x87"
			       "...\xe6\x96\x87\xe6\x96\x87\xe6\x96\x87"
			       "\xe6\x96\x87");
	free(text);
}

/* The counters only grow, from any thread. */
static void test_progress_counters(void)
{
	struct bd_progress_snapshot a, b;

	bd_progress_snapshot(&a);
	bd_progress_walked();
	bd_progress_scanned();
	bd_progress_hashed(10);
	bd_progress_reading("x.whl");
	bd_progress_snapshot(&b);
	CU_ASSERT_EQUAL(b.walked, a.walked + 1);
	CU_ASSERT_EQUAL(b.scanned, a.scanned + 1);
	CU_ASSERT_EQUAL(b.hashed, a.hashed + 10);
	CU_ASSERT_STRING_EQUAL(b.reading, "x.whl");
	bd_progress_reading(NULL);
	bd_progress_snapshot(&b);
	CU_ASSERT_STRING_EQUAL(b.reading, "");
}

void bd_test_register_views(void)
{
	BD_SUITE("views", BD_TEST(test_summary_rows),
		 BD_TEST(test_summary_fits), BD_TEST(test_summary_long_names),
		 BD_TEST(test_summary_hostile_names),
		 BD_TEST(test_summary_long_cell),
		 BD_TEST(test_summary_wide_characters),
		 BD_TEST(test_summary_marks_stay), BD_TEST(test_summary_empty),
		 BD_TEST(test_summary_excluded),
		 BD_TEST(test_missing_per_machine),
		 BD_TEST(test_dot_missing_per_machine),
		 BD_TEST(test_missing_machines_capped), BD_TEST(test_dot_graph),
		 BD_TEST(test_needed_shown_at_its_soname),
		 BD_TEST(test_dot_escaping),
		 BD_TEST(test_build_dependency_views), BD_TEST(test_purl_names),
		 BD_TEST(test_progress_line), BD_TEST(test_progress_counters));
}
