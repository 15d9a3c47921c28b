/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/attach.h"
#include "bindep/hash.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PEP 427: urlsafe base64 of the digest, no "=" padding; the second
 * vector has a '-' and a '_', which plain base64 writes '+' and '/'. */
static void test_record_hash(void)
{
	char out[64];

	CU_ASSERT_EQUAL(bd_attach_record_hash("abc", 3, out), 0);
	CU_ASSERT_STRING_EQUAL(
		out, "sha256=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
	CU_ASSERT_EQUAL(bd_attach_record_hash("", 0, out), 0);
	CU_ASSERT_STRING_EQUAL(
		out, "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
}

/*
 * RECORD read as Python's csv reads it. The expected first fields (NULL:
 * an empty line, a row without fields) were made with Python 3.11.7:
 *
 *	rows = list(csv.reader(io.StringIO(text.decode("latin-1"),
 *					   newline="")))
 *	[row[0] if row else None for row in rows]
 *
 * (latin-1: each byte one character; wheel reads RECORD so, through a
 * TextIOWrapper with newline="", as UTF-8, whose bytes above 0x7f are
 * never a comma, a quote or a line end). unended: the text ends inside a
 * quoted field, which Python (strict=False) reads as the field so far,
 * and --attach refuses: our line appended would be read as part of it.
 * A NUL byte is data (Python 3.11; before, csv raised "line contains
 * NUL"): it is in the field, and r.nul says so.
 */
struct csv_case {
	const char *text;
	size_t len;
	size_t nrows;
	struct {
		const char *s;
		size_t len;
	} first[3];
	bool unended;
};

#define T(s) s, sizeof(s) - 1
#define F(s)                                                                   \
	{                                                                      \
		s, sizeof(s) - 1                                               \
	}
#define NONE                                                                   \
	{                                                                      \
		NULL, 0                                                        \
	}

static const struct csv_case csv_cases[] = {
	{ T("\"a\"b,c\n"), 1, { F("ab") }, false },
	{ T("a\"b,c\n"), 1, { F("a\"b") }, false },
	{ T("\"a\"\"b\",c\n"), 1, { F("a\"b") }, false },
	{ T("\"\",c\n"), 1, { F("") }, false },
	{ T("\"a,b\",c\n"), 1, { F("a,b") }, false },
	{ T("\"a\rb\",c\n"), 1, { F("a\rb") }, false },
	{ T("\"a\nb\",c\n"), 1, { F("a\nb") }, false },
	{ T("\"a\r\nb\",c\n"), 1, { F("a\r\nb") }, false },
	{ T("x,y\n\"a"), 2, { F("x"), F("a") }, true },
	{ T("a\rb,c\n"), 2, { F("a"), F("b") }, false },
	{ T("\n\na,b\n"), 3, { NONE, NONE, F("a") }, false },
	{ T("\r\n"), 1, { NONE }, false },
	{ T("a,\n"), 1, { F("a") }, false },
	{ T(" \"a\" ,c\n"), 1, { F(" \"a\" ") }, false },
	{ T("\"a\" ,c\n"), 1, { F("a ") }, false },
	{ T("a\0b,c\n"), 1, { F("a\0b") }, false },
	{ T("\"a\0b\",c\n"), 1, { F("a\0b") }, false },
	{ T("a\n"), 1, { F("a") }, false },
	{ T("\"a\""), 1, { F("a") }, false },
	{ T("\"a\"b\"c\",d\n"), 1, { F("ab\"c\"") }, false },
	{ T("\"a\"\rb,c\n"), 2, { F("a"), F("b") }, false },
	{ T("\"a\"\"\"b,c\n"), 1, { F("a\"b") }, false },
	{ T("a\r\rb\n"), 3, { F("a"), NONE, F("b") }, false },
	{ T(",a\n"), 1, { F("") }, false },
	{ T("\"a\"b\n\"c"), 2, { F("ab"), F("c") }, true },
	{ T("\"p.dist-info/sboms/x\".json,sha256=x,1\n"),
	  1,
	  { F("p.dist-info/sboms/x.json") },
	  false },
	{ T("x,\"y\nz\",w\nq,r\n"), 2, { F("x"), F("q") }, false },
	{ T("x,\"y\n"), 1, { F("x") }, true },
	{ T("a\r"), 1, { F("a") }, false },
	{ T("\"\"\"\"\n"), 1, { F("\"") }, false },
	{ T("\"a\"\n\"b\"\r\n\"c\"\r"), 3, { F("a"), F("b"), F("c") }, false },
	/* Bytes, not UTF-8: a path that is no text is read as it stands. */
	{ T("\xff\xfe\xc3,c\n\"\xe2\x80\",d\n"),
	  2,
	  { F("\xff\xfe\xc3"), F("\xe2\x80") },
	  false },
	{ T(""), 0, { NONE }, false },
};

static bool csv_case_reads(const struct csv_case *c)
{
	struct bd_buf first = BD_BUF_INIT;
	struct bd_attach_record r = { 0 };
	size_t i = 0, row = 0;
	bool ok = true;

	while (ok && i < c->len) {
		const char *want = c->first[row < 3 ? row : 2].s;
		size_t wlen = c->first[row < 3 ? row : 2].len;

		bd_attach_record_read(c->text + i, c->len - i, &first, &r);
		ok = r.len > 0 && r.len <= c->len - i && row < c->nrows &&
		     bd_buf_ok(&first) &&
		     (want ? !r.empty && first.len == wlen &&
				      (!wlen ||
				       !memcmp(first.data, want, wlen)) &&
				      r.nul == !!memchr(want, 0, wlen)
			   : r.empty && !first.len);
		i += r.len;
		row++;
	}
	ok = ok && row == c->nrows && r.unended == c->unended;
	bd_buf_release(&first);
	return ok;
}

static void test_record_read_as_python_csv(void)
{
	size_t i;

	for (i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
		bool ok = csv_case_reads(&csv_cases[i]);

		if (!ok)
			fprintf(stderr, "\nrecord case %zu read otherwise\n",
				i);
		CU_ASSERT(ok);
	}
}

static uint32_t add(struct bd_graph *g, const char *key, enum bd_comp_kind kind,
		    const char *path)
{
	uint32_t id = UINT32_MAX;

	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, key, kind, &id), 0);
	bd_graph_comp(g, id)->name = bd_graph_strdup(g, key);
	CU_ASSERT_EQUAL(bd_graph_add_path(g, id, path), 0);
	return id;
}

static bool has(const struct bd_graph *g, const char *key, uint32_t *id)
{
	return bd_graph_find(g, key, id);
}

static bool edge(const struct bd_graph *g, uint32_t from, uint32_t to,
		 enum bd_edge_kind kind)
{
	size_t i;

	for (i = 0; i < g->nedges; i++)
		if (g->edges[i].from == from && g->edges[i].to == to &&
		    g->edges[i].kind == kind)
			return true;
	return false;
}

/*
 * Two wheels: w holds ext and vend, ext needs vend and libc (the host's,
 * which needs ld.so); w2 holds ext2, which needs libc too. w's view is
 * ext, vend and libc with their edges; neither wheel, nor ext2. What w
 * held is the target's own. libc, outside it, is external: its soname,
 * marked, none of the host's facts, nor what it needs in turn.
 */
static void test_view_is_what_the_wheel_reaches(void)
{
	struct bd_graph g, v;
	uint32_t w, w2, ext, ext2, vend, libc, ld, e, x, c;
	struct bd_component *lc;

	bd_graph_init(&g);
	bd_graph_init(&v);
	w = add(&g, "artifact:w", BD_COMP_ARTIFACT, "dist/w.whl");
	w2 = add(&g, "artifact:w2", BD_COMP_ARTIFACT, "dist/w2.whl");
	ext = add(&g, "ext", BD_COMP_LIBRARY, "dist/w.whl!/p/_x.so");
	vend = add(&g, "vend", BD_COMP_LIBRARY, "dist/w.whl!/p.libs/v.so");
	ext2 = add(&g, "ext2", BD_COMP_LIBRARY, "dist/w2.whl!/q/_y.so");
	libc = add(&g, "libc", BD_COMP_LIBRARY, "/lib/libc.so.6");
	ld = add(&g, "ld", BD_COMP_LIBRARY, "/lib64/ld-linux-x86-64.so.2");
	lc = bd_graph_comp(&g, libc);
	lc->soname = bd_graph_strdup(&g, "libc.so.6");
	lc->version = lc->purl = "pkg:deb/debian/libc6@2.36-9";
	memset(lc->sha256, 'a', 64);
	bd_graph_add_edge(&g, w, ext, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, w, vend, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, w2, ext2, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, ext, vend, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, ext, libc, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, ext2, libc, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, libc, ld, BD_EDGE_NEEDED, NULL);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);

	CU_ASSERT_EQUAL_FATAL(
		bd_attach_view(&g, "artifact:w", "dist/w.whl!/", &v), 0);
	CU_ASSERT_EQUAL(v.ncomps, 3);
	CU_ASSERT_FALSE(has(&v, "artifact:w", &e));
	CU_ASSERT_FALSE(has(&v, "artifact:w2", &e));
	CU_ASSERT_FALSE(has(&v, "ext2", &e));
	CU_ASSERT_FALSE(has(&v, "ld", &c));
	CU_ASSERT_FATAL(has(&v, "ext", &e) && has(&v, "vend", &x) &&
			has(&v, "external:libc.so.6", &c));
	CU_ASSERT_TRUE(v.comps[c].external);
	CU_ASSERT_STRING_EQUAL(v.comps[c].name, "libc.so.6");
	CU_ASSERT_PTR_NULL(v.comps[c].version);
	CU_ASSERT_PTR_NULL(v.comps[c].purl);
	CU_ASSERT_EQUAL(v.comps[c].sha256[0], '\0');
	CU_ASSERT_FALSE(v.comps[e].external);
	CU_ASSERT_EQUAL(v.nedges, 2);
	CU_ASSERT_TRUE(edge(&v, e, x, BD_EDGE_NEEDED));
	CU_ASSERT_TRUE(edge(&v, e, c, BD_EDGE_NEEDED));
	CU_ASSERT_TRUE(v.comps[e].is_input);
	CU_ASSERT_TRUE(v.comps[x].is_input);
	CU_ASSERT_FALSE(v.comps[c].is_input);
	/* The lists are the view's own; locations in the wheel are the
	 * wheel's, and those outside it are not the wheel's to say (the
	 * host's libc). */
	CU_ASSERT_EQUAL(v.comps[e].paths.n, 1);
	CU_ASSERT_STRING_EQUAL(v.comps[e].paths.items[0], "p/_x.so");
	CU_ASSERT_EQUAL(v.comps[c].paths.n, 0);
	bd_graph_release(&v);

	bd_graph_init(&v);
	CU_ASSERT_EQUAL(bd_attach_view(&g, "artifact:none", NULL, &v),
			BD_ENOENT);
	bd_graph_release(&v);
	bd_graph_release(&g);
}

/*
 * An edge from the artifact that the search does not follow (a crate's
 * dependency, BD_EDGE_DEPENDS) reaches nothing: it marks no component of
 * the view as the artifact's own, and a view of nothing is written to
 * nowhere (its target's place in the view was taken to be 0).
 */
static void test_view_edge_not_followed(void)
{
	struct bd_graph g, v;
	uint32_t w, libc, ext, k, k2, id;

	bd_graph_init(&g);
	bd_graph_init(&v);
	libc = add(&g, "a-libc", BD_COMP_LIBRARY, "/lib/libc.so.6");
	bd_graph_comp(&g, libc)->soname = bd_graph_strdup(&g, "libc.so.6");
	w = add(&g, "artifact:w", BD_COMP_ARTIFACT, "dist/w.whl");
	ext = add(&g, "b-ext", BD_COMP_LIBRARY, "dist/w.whl!/p/_x.so");
	k = add(&g, "c-crate", BD_COMP_STATIC, "dist/w.whl!/p/_x.so");
	k2 = add(&g, "d-crate", BD_COMP_STATIC, "dist/w.whl!/p/_x.so");
	bd_graph_add_edge(&g, w, ext, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, ext, libc, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, w, k, BD_EDGE_DEPENDS, NULL);
	bd_graph_add_edge(&g, k, k2, BD_EDGE_DEPENDS, NULL);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);

	CU_ASSERT_EQUAL_FATAL(
		bd_attach_view(&g, "artifact:w", "dist/w.whl!/", &v), 0);
	CU_ASSERT_EQUAL(v.ncomps, 2);
	CU_ASSERT_FALSE(has(&v, "c-crate", &id));
	CU_ASSERT_FATAL(has(&v, "external:libc.so.6", &id));
	CU_ASSERT_FALSE(v.comps[id].is_input);
	CU_ASSERT_FATAL(has(&v, "b-ext", &id));
	CU_ASSERT_TRUE(v.comps[id].is_input);
	bd_graph_release(&v);

	bd_graph_init(&v);
	CU_ASSERT_EQUAL(bd_attach_view(&g, "c-crate", NULL, &v), 0);
	CU_ASSERT_EQUAL(v.ncomps, 0);
	CU_ASSERT_EQUAL(v.nedges, 0);
	bd_graph_release(&v);
	bd_graph_release(&g);
}

/* The only location component key has in view v, or NULL (none, several,
 * or no such component). */
static const char *only_path(const struct bd_graph *v, const char *key)
{
	uint32_t id;

	if (!bd_graph_find(v, key, &id) || v->comps[id].paths.n != 1)
		return NULL;
	return v->comps[id].paths.items[0];
}

static const char *via_of(const struct bd_graph *v, const char *key)
{
	uint32_t id;

	return bd_graph_find(v, key, &id) ? v->comps[id].resolved_via : NULL;
}

/*
 * Views made from one index mean what a scan of the graph meant: a
 * location is inside an artifact when it starts with the artifact's
 * prefix and goes on. ext and vend are in two wheels alike (w, w2), vend
 * in a wheel inside a tarball too (r.tar!/n.whl); vend was loaded by w's
 * ext, whose location in w2 is q/_x.so. odd is only at the prefix itself
 * ("dist/w.whl!/") and in "dist/w.whlx!/": in no wheel, so external.
 */
static void test_index_views_keep_what_inside_means(void)
{
	struct bd_graph g, v;
	struct bd_attach_index *ix;
	uint32_t w, w2, tar, n, ext, vend, odd, id;
	size_t round;

	bd_graph_init(&g);
	w = add(&g, "artifact:w", BD_COMP_ARTIFACT, "dist/w.whl");
	w2 = add(&g, "artifact:w2", BD_COMP_ARTIFACT, "dist/w2.whl");
	tar = add(&g, "artifact:tar", BD_COMP_ARTIFACT, "dist/r.tar");
	n = add(&g, "artifact:n", BD_COMP_ARTIFACT, "dist/r.tar!/n.whl");
	ext = add(&g, "ext", BD_COMP_LIBRARY, "dist/w.whl!/p/_x.so");
	CU_ASSERT_EQUAL(bd_graph_add_path(&g, ext, "dist/w2.whl!/q/_x.so"), 0);
	vend = add(&g, "vend", BD_COMP_LIBRARY, "dist/w2.whl!/p.libs/v.so");
	CU_ASSERT_EQUAL(bd_graph_add_path(&g, vend, "dist/w.whl!/p.libs/v.so"),
			0);
	CU_ASSERT_EQUAL(
		bd_graph_add_path(&g, vend, "dist/r.tar!/n.whl!/p.libs/v.so"),
		0);
	bd_graph_comp(&g, vend)->resolved_via =
		bd_graph_strdup(&g, "loaded-by:dist/w.whl!/p/_x.so (runpath)");
	odd = add(&g, "odd", BD_COMP_LIBRARY, "dist/w.whl!/");
	CU_ASSERT_EQUAL(bd_graph_add_path(&g, odd, "dist/w.whlx!/y"), 0);
	bd_graph_add_edge(&g, w, ext, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, w, vend, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, w2, ext, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, w2, vend, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, tar, n, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, n, vend, BD_EDGE_CONTAINS, NULL);
	bd_graph_add_edge(&g, ext, vend, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g, ext, odd, BD_EDGE_NEEDED, NULL);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
	CU_ASSERT_EQUAL_FATAL(bd_attach_index_new(&g, &ix), 0);

	/* Twice, in turn: one view leaves nothing behind for the next. */
	for (round = 0; round < 2; round++) {
		bd_graph_init(&v);
		CU_ASSERT_EQUAL_FATAL(bd_attach_index_view(ix, "artifact:w",
							   "dist/w.whl!/", &v),
				      0);
		CU_ASSERT_EQUAL(v.ncomps, 3);
		CU_ASSERT_STRING_EQUAL(only_path(&v, "ext"), "p/_x.so");
		CU_ASSERT_STRING_EQUAL(only_path(&v, "vend"), "p.libs/v.so");
		CU_ASSERT_STRING_EQUAL(via_of(&v, "vend"),
				       "loaded-by:p/_x.so (runpath)");
		CU_ASSERT_FALSE(bd_graph_find(&v, "odd", &id));
		CU_ASSERT_TRUE(bd_graph_find(&v, "external:odd", &id));
		CU_ASSERT_EQUAL(v.nedges, 2);
		bd_graph_release(&v);

		bd_graph_init(&v);
		CU_ASSERT_EQUAL_FATAL(bd_attach_index_view(ix, "artifact:w2",
							   "dist/w2.whl!/", &v),
				      0);
		CU_ASSERT_STRING_EQUAL(only_path(&v, "ext"), "q/_x.so");
		CU_ASSERT_STRING_EQUAL(only_path(&v, "vend"), "p.libs/v.so");
		CU_ASSERT_STRING_EQUAL(via_of(&v, "vend"),
				       "loaded-by:q/_x.so (runpath)");
		bd_graph_release(&v);
	}

	/* The wheel inside the tarball, and the tarball: the loader is in
	 * neither. */
	bd_graph_init(&v);
	CU_ASSERT_EQUAL_FATAL(bd_attach_index_view(ix, "artifact:n",
						   "dist/r.tar!/n.whl!/", &v),
			      0);
	CU_ASSERT_EQUAL(v.ncomps, 1);
	CU_ASSERT_STRING_EQUAL(only_path(&v, "vend"), "p.libs/v.so");
	CU_ASSERT_PTR_NULL(via_of(&v, "vend"));
	bd_graph_release(&v);
	bd_graph_init(&v);
	CU_ASSERT_EQUAL_FATAL(
		bd_attach_index_view(ix, "artifact:tar", "dist/r.tar!/", &v),
		0);
	CU_ASSERT_EQUAL(v.ncomps, 2);
	CU_ASSERT_STRING_EQUAL(only_path(&v, "artifact:n"), "n.whl");
	CU_ASSERT_STRING_EQUAL(only_path(&v, "vend"), "n.whl!/p.libs/v.so");
	bd_graph_release(&v);

	/* Without a prefix every location stays; a prefix that is no
	 * artifact's is refused. */
	bd_graph_init(&v);
	CU_ASSERT_EQUAL_FATAL(bd_attach_index_view(ix, "artifact:w", NULL, &v),
			      0);
	CU_ASSERT_TRUE(bd_graph_find(&v, "vend", &id) &&
		       v.comps[id].paths.n == 3);
	CU_ASSERT_TRUE(bd_graph_find(&v, "odd", &id));
	bd_graph_release(&v);
	bd_graph_init(&v);
	CU_ASSERT_EQUAL(
		bd_attach_index_view(ix, "artifact:w", "dist/w.whl", &v),
		BD_EUSAGE);
	bd_graph_release(&v);
	bd_attach_index_free(ix);
	bd_graph_release(&g);
}

/* dir/w-1.0-py3-none-any.whl, a wheel of one module whose RECORD lists
 * nothing (each file is warned about as one it does not list). */
static void make_wheel(const char *dir, char *wheel, size_t size)
{
	char cmd[512];

	snprintf(wheel, size, "%s/w-1.0-py3-none-any.whl", dir);
	snprintf(
		cmd, sizeof(cmd),
		"python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"
		"\"w\"); z.writestr(\"w/__init__.py\",\"\"); "
		"z.writestr(\"w-1.0.dist-info/METADATA\",\"Name: w\\n\"); "
		"z.writestr(\"w-1.0.dist-info/RECORD\",\"\"); z.close()' %s",
		wheel);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

/* The wheel attached is the wheel scanned: its bytes are checked against
 * the scan's SHA-256 on the one descriptor the survey and the copy then
 * read. Changed in between (renamed over, rewritten), it is refused and
 * left as it is. */
static void test_attach_checks_the_scanned_bytes(void)
{
	char dir[] = "/tmp/bd-attach-XXXXXX", cmd[512], wheel[128];
	char before[BD_SHA256_HEX_LEN + 1], after[BD_SHA256_HEX_LEN + 1];
	struct bd_attach_options o = { .mtime = 315532800,
				       .max_size = 1 << 20 };
	struct bd_error e;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_wheel(dir, wheel, sizeof(wheel));
	fd = open(wheel, O_RDONLY);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(bd_sha256_fd(fd, before), 0);
	close(fd);
	o.sha256 = "00000000000000000000000000000000000000000000000000000000000"
		   "00000";
	CU_ASSERT_EQUAL(bd_attach_wheel(wheel, "w.whl", "{}", 2, &o, NULL, &e),
			BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "changed since it was scanned"));
	fd = open(wheel, O_RDONLY);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(bd_sha256_fd(fd, after), 0);
	close(fd);
	CU_ASSERT_STRING_EQUAL(before, after);
	o.sha256 = before;
	CU_ASSERT_EQUAL(bd_attach_wheel(wheel, "w.whl", "{}", 2, &o, NULL, &e),
			0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* What a directory holds, during the copy: its entries but "." and "..",
 * counted when the copy warns (a file RECORD does not list). */
struct listing {
	const char *dir;
	int warnings, most;
};

static void count_entries(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct listing *l = ctx;
	struct dirent *d;
	DIR *dir = opendir(l->dir);
	int n = 0;

	(void)level;
	(void)msg;
	l->warnings++;
	while (dir && (d = readdir(dir)))
		n += strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
	if (dir)
		closedir(dir);
	if (n > l->most)
		l->most = n;
}

/* While the new wheel is written it has no name (O_TMPFILE): a run killed
 * then, by SIGKILL too, leaves nothing beside the wheel. A named
 * temporary (".w-1.0-....whl.XXXXXX") was left there, half written. */
static void test_attach_leaves_no_temporary(void)
{
	char dir[] = "/tmp/bd-attach-XXXXXX", cmd[512], wheel[128];
	struct bd_attach_options o = { .mtime = 315532800,
				       .max_size = 1 << 20 };
	struct listing l = { dir, 0, 0 };
	struct bd_diag d = { count_entries, &l };
	struct bd_error e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_wheel(dir, wheel, sizeof(wheel));
	CU_ASSERT_EQUAL(bd_attach_wheel(wheel, "w.whl", "{}", 2, &o, &d, &e),
			0);
	CU_ASSERT_TRUE(l.warnings > 0); /* RECORD lists nothing */
	CU_ASSERT_EQUAL(l.most, 1);	/* the wheel alone */
	l.most = 0;
	count_entries(&l, BD_DIAG_INFO, "");
	CU_ASSERT_EQUAL(l.most, 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

void bd_test_register_attach(void)
{
	BD_SUITE("attach", BD_TEST(test_record_hash),
		 BD_TEST(test_record_read_as_python_csv),
		 BD_TEST(test_view_is_what_the_wheel_reaches),
		 BD_TEST(test_index_views_keep_what_inside_means),
		 BD_TEST(test_view_edge_not_followed),
		 BD_TEST(test_attach_checks_the_scanned_bytes),
		 BD_TEST(test_attach_leaves_no_temporary));
}
