/* SPDX-License-Identifier: MIT */
/*
 * The archive extractor on archives written at test time by
 * tests/archive_fixtures.py: one of each kind, and one per hostile case of
 * issue 12, point 7. Every hostile case is extracted into out/ next to
 * outside/canary, which must stay as it is, and nothing may appear beside
 * them.
 */
#include "unit.h"
#include "bindep/archive.h"
#include "bindep/buf.h"
#include "bindep/map.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char base[] = "/tmp/bd-archive-XXXXXX";
static bool ready;

struct got {
	struct bd_buf warnings; /* each message and "\n" */
	size_t nwarn;
	struct bd_buf seen; /* "<type> <name> <headlen>\n" for each select */
	struct bd_buf taken;
	unsigned char head[BD_ARCHIVE_HEAD];
	struct bd_error err;
};

static void path_of(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/%s", base, rel);
}

/* Whether out/x and out/y are one file (a hard link kept). */
static bool same_file(const char *x, const char *y)
{
	char a[512], b[512];
	struct stat sa, sb;

	snprintf(a, sizeof(a), "%s/out/%s", base, x);
	snprintf(b, sizeof(b), "%s/out/%s", base, y);
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The fixtures, once; then a fresh, empty out/ for each test. */
static bool fixtures(void)
{
	if (!ready) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
		bd_test_sh("mkdir %1$s/fx %1$s/out %1$s/outside", base);
		bd_test_sh("printf 'canary\\n' > %s/outside/canary", base);
		bd_test_sh("python3 tests/archive_fixtures.py %1$s/fx "
			   "%1$s/outside",
			   base);
		ready = true;
	}
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	return ready;
}

/* outside/canary untouched, and nothing but fx, out and outside made. */
static void outside_intact(void)
{
	char path[512], text[64] = "";
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *d;
	FILE *f;

	path_of(path, sizeof(path), "outside/canary");
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(text, sizeof(text), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text, "canary\n");
	CU_ASSERT_EQUAL(lstat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_nlink, 1);
	path_of(path, sizeof(path), "outside");
	d = opendir(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	CU_ASSERT_EQUAL(n, 1);
	d = opendir(base);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (n = 0; (de = readdir(d));)
		n += de->d_name[0] != '.';
	closedir(d);
	CU_ASSERT_EQUAL(n, 3);
}

static void on_diag(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct got *g = ctx;

	if (level != BD_DIAG_WARNING)
		return;
	bd_buf_adds(&g->warnings, msg);
	bd_buf_addc(&g->warnings, '\n');
	g->nwarn++;
}

/* WRITE everything but a METADATA, which is taken. */
static enum bd_archive_action on_select(void *ctx,
					const struct bd_archive_entry *e,
					const unsigned char *head,
					size_t headlen)
{
	struct got *g = ctx;
	size_t len = strlen(e->name);

	bd_buf_printf(&g->seen, "%c %s %zu\n", "FDSH"[e->type], e -> name,
		      headlen);
	if (headlen >= 4 && memcmp(head, "\177ELF", 4) == 0)
		memcpy(g->head, head, headlen);
	if (len >= 8 && strcmp(e->name + len - 8, "METADATA") == 0)
		return BD_ARCHIVE_TAKE;
	return BD_ARCHIVE_WRITE;
}

static int on_take(void *ctx, const struct bd_archive_entry *e,
		   const void *data, size_t len)
{
	struct got *g = ctx;

	(void)e;
	bd_buf_add(&g->taken, data, len);
	return 0;
}

static void got_init(struct got *g)
{
	memset(g, 0, sizeof(*g));
	bd_buf_init(&g->warnings);
	bd_buf_init(&g->seen);
	bd_buf_init(&g->taken);
}

static void got_release(struct got *g)
{
	bd_buf_release(&g->warnings);
	bd_buf_release(&g->seen);
	bd_buf_release(&g->taken);
}

/* Extracts fx/<name> into out/<prefix>; a zip by its central directory
 * when central. */
static int extract_as(const char *name, const char *prefix,
		      const struct bd_archive_limits *lim, struct got *g,
		      bool central)
{
	struct bd_archive_limits def;
	struct bd_archive_ops ops = { .select = on_select,
				      .take = on_take,
				      .ctx = g,
				      .central = central };
	struct bd_diag diag = { on_diag, g };
	char path[512];
	int fd, dir, rc;

	if (!lim) {
		bd_archive_limits_default(&def);
		lim = &def;
	}
	snprintf(path, sizeof(path), "%s/fx/%s", base, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	path_of(path, sizeof(path), "out");
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CU_ASSERT_FATAL(dir >= 0);
	rc = bd_archive_extract(fd, name, dir, prefix, lim, &ops, &diag,
				&g->err);
	close(fd);
	close(dir);
	return rc;
}

static int extract(const char *name, const char *prefix,
		   const struct bd_archive_limits *lim, struct got *g)
{
	return extract_as(name, prefix, lim, g, false);
}

/* out/<rel>'s type and size (-1: missing). */
static long long out_size(const char *rel, mode_t *mode)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/out/%s", base, rel);
	if (lstat(path, &st))
		return -1;
	if (mode)
		*mode = st.st_mode;
	return (long long)st.st_size;
}

static bool out_is(const char *rel, const char *text)
{
	char path[512], buf[256];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/out/%s", base, rel);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strcmp(buf, text) == 0;
}

static bool warned(const struct got *g, const char *text)
{
	return strstr(bd_buf_str(&g->warnings), text) != NULL;
}

static enum bd_archive_kind sniff_file(const char *name, size_t max)
{
	static unsigned char head[BD_ARCHIVE_SNIFF_MAX];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fx/%s", base, name);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = fread(head, 1, max, f);
	fclose(f);
	return bd_archive_sniff(head, n);
}

static void test_sniff(void)
{
	static const char *const tars[] = { "tree.tar",	    "tree.tar.gz",
					    "tree.tar.xz",  "tree.tar.bz2",
					    "tree.tar.zst", "demo.apk" };
	const size_t max = BD_ARCHIVE_SNIFF_MAX;
	char rel[64];
	size_t i;

	if (!fixtures())
		return;
	for (i = 0; i < BD_ARRAY_SIZE(tars); i++) {
		snprintf(rel, sizeof(rel), "../fx/%s", tars[i]);
		if (out_size(rel, NULL) < 0)
			continue;
		CU_ASSERT_EQUAL(sniff_file(tars[i], max), BD_ARCHIVE_TAR);
		/* 64 bytes: the compression magic alone. */
		CU_ASSERT_EQUAL(sniff_file(tars[i], 64),
				i ? BD_ARCHIVE_TAR : BD_ARCHIVE_NONE);
	}
	CU_ASSERT_EQUAL(sniff_file("wheel.whl", 64), BD_ARCHIVE_ZIP);
	CU_ASSERT_EQUAL(sniff_file("demo.deb", 64), BD_ARCHIVE_AR);
	CU_ASSERT_EQUAL(sniff_file("demo.rpm", 64), BD_ARCHIVE_RPM);
	CU_ASSERT_EQUAL(sniff_file("notarchive.bin", max), BD_ARCHIVE_NONE);
	/* gzip'd text: the payload is decompressed and is no tar. */
	CU_ASSERT_EQUAL(sniff_file("plain.gz", max), BD_ARCHIVE_NONE);
	CU_ASSERT_EQUAL(sniff_file("plain.gz", 64), BD_ARCHIVE_TAR);
	CU_ASSERT_EQUAL(bd_archive_sniff("\177ELF\2\1\1", 7), BD_ARCHIVE_NONE);
	CU_ASSERT_EQUAL(bd_archive_sniff("", 0), BD_ARCHIVE_NONE);
}

static void test_wheel(void)
{
	unsigned char elf[64];
	struct got g;
	mode_t mode = 0;
	FILE *f;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("wheel.whl", "site/packages", NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	/* A zip read as a stream has no modes (they are in its central
	 * directory, at the end): its files are 0600. */
	CU_ASSERT_EQUAL(out_size("site/packages/pkg/_x.so", &mode), 4096);
	CU_ASSERT_EQUAL(mode & 0777, 0600);
	CU_ASSERT_EQUAL(out_size("site/packages/pkg/__init__.py", &mode), 0);
	CU_ASSERT_EQUAL(mode & 0777, 0600);
	/* A UTF-8 name, whatever the program's locale. */
	CU_ASSERT(out_is("site/packages/pkg/caf\xc3\xa9.txt", "utf-8"));
	/* Taken into memory, not written. */
	CU_ASSERT_EQUAL(
		out_size("site/packages/pkg-1.0.dist-info/METADATA", NULL), -1);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&g.taken),
			       "Metadata-Version: 2.1\nName: pkg\n"
			       "Version: 1.0\n");
	/* The select callback saw the ELF's first 64 bytes. */
	CU_ASSERT_PTR_NOT_NULL(
		strstr(bd_buf_str(&g.seen), "F pkg/_x.so 512\n"));
	f = fopen("/bin/true", "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(elf, 1, sizeof(elf), f), sizeof(elf));
	fclose(f);
	CU_ASSERT_EQUAL(memcmp(g.head, elf, sizeof(elf)), 0);
	outside_intact();
	got_release(&g);
}

static void check_tree(const char *name)
{
	char path[512], target[64], rel[64];
	struct got g;
	mode_t mode = 0;
	ssize_t n;

	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	snprintf(rel, sizeof(rel), "../fx/%s", name);
	if (out_size(rel, NULL) < 0)
		return; /* no xz, bzip2 or zstd program to write it */
	got_init(&g);
	CU_ASSERT_EQUAL(extract(name, NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_EQUAL(out_size("bin/app", &mode), 4096);
	CU_ASSERT_EQUAL(mode & 0777, 0700);
	CU_ASSERT_EQUAL(out_size("lib/libx.so.1", NULL), 4096);
	CU_ASSERT(out_is("share/doc.txt", "text\n"));
	CU_ASSERT_EQUAL(out_size("lib/libx.so", &mode), 9);
	CU_ASSERT(S_ISLNK(mode));
	snprintf(path, sizeof(path), "%s/out/lib/libx.so", base);
	n = readlink(path, target, sizeof(target));
	CU_ASSERT_EQUAL(n, 9);
	CU_ASSERT_EQUAL(memcmp(target, "libx.so.1", 9), 0);
	/* The hard link is one file with its target. */
	CU_ASSERT(same_file("bin/app", "bin/app2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&g.seen), "H bin/app2 0\n"));
	got_release(&g);
}

static void test_tars(void)
{
	if (!fixtures())
		return;
	check_tree("tree.tar");
	check_tree("tree.tar.gz");
	check_tree("tree.tar.xz");
	check_tree("tree.tar.bz2");
	check_tree("tree.tar.zst");
	outside_intact();
}

static void test_apk(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("demo.apk", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	/* Both gzip streams: the signature's and the package's. */
	CU_ASSERT(out_is(".SIGN.RSA.key.pub", "sig"));
	CU_ASSERT(out_is(".PKGINFO", "pkgname = demo\n"));
	CU_ASSERT_EQUAL(out_size("usr/lib/libd.so.1", NULL), 4096);
	got_release(&g);
}

/* A .deb: its members, then data.tar.xz extracted from where it was
 * written, as the caller reads a nested archive. */
static void test_deb(void)
{
	struct bd_archive_limits lim;
	struct bd_archive_ops ops;
	struct bd_diag diag;
	struct got g;
	char path[512];
	int fd, dir;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("demo.deb", "deb", NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT(out_is("deb/debian-binary", "2.0\n"));
	CU_ASSERT(out_size("deb/control.tar.xz", NULL) > 0);
	path_of(path, sizeof(path), "out/deb/data.tar.xz");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	path_of(path, sizeof(path), "out");
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bd_archive_limits_default(&lim);
	ops = (struct bd_archive_ops){ .select = on_select,
				       .take = on_take,
				       .ctx = &g };
	diag = (struct bd_diag){ on_diag, &g };
	CU_ASSERT_EQUAL(bd_archive_extract(fd, "demo.deb!/data.tar.xz", dir,
					   "root", &lim, &ops, &diag, &g.err),
			0);
	close(fd);
	close(dir);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_EQUAL(out_size("root/usr/bin/app", NULL), 4096);
	got_release(&g);
}

/* The image reader's actions: bin/app put aside (an upper layer hides
 * it), its hard link made in the tree to it there, the archive stopped
 * at share/doc.txt; every byte read seen by the packed tap. */
struct aside_ctx {
	struct got *g;
	uint64_t packed;
	char link[64];
};

static enum bd_archive_action aside_select(void *ctx,
					   const struct bd_archive_entry *e,
					   const unsigned char *head,
					   size_t headlen)
{
	struct aside_ctx *c = ctx;

	on_select(c->g, e, head, headlen);
	if (e->type == BD_ENTRY_HARDLINK)
		snprintf(c->link, sizeof(c->link), "%s", e->link);
	if (!strcmp(e->name, "share/doc.txt"))
		return BD_ARCHIVE_STOP;
	if (!strcmp(e->name, "bin/app") || e->type == BD_ENTRY_HARDLINK)
		return BD_ARCHIVE_WRITE_ASIDE;
	return BD_ARCHIVE_WRITE;
}

static void aside_packed(void *ctx, const void *data, size_t len)
{
	struct aside_ctx *c = ctx;

	(void)data;
	c->packed += len;
}

static void aside_in(const char *name)
{
	struct got g;
	struct aside_ctx c = { &g, 0, "" };
	struct bd_archive_ops ops = { .select = aside_select,
				      .ctx = &c,
				      .aside = "held",
				      .packed = aside_packed };
	struct bd_diag diag = { on_diag, &g };
	struct stat a;
	char path[512], rest[4096];
	ssize_t n;
	int fd, dir;

	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	got_init(&g);
	snprintf(path, sizeof(path), "%s/fx/%s", base, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(fstat(fd, &a), 0);
	path_of(path, sizeof(path), "out");
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CU_ASSERT_EQUAL(bd_archive_extract(fd, name, dir, "tree", NULL, &ops,
					   &diag, &g.err),
			0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	/* A hard link's target is normalised as names are. */
	CU_ASSERT_STRING_EQUAL(c.link, "bin/app");
	CU_ASSERT_EQUAL(out_size("tree/bin/app", NULL), -1);
	CU_ASSERT_EQUAL(out_size("held/bin/app", NULL), 4096);
	CU_ASSERT(same_file("held/bin/app", "tree/bin/app2"));
	CU_ASSERT_EQUAL(out_size("tree/lib/libx.so.1", NULL), 4096);
	/* Stopped: doc.txt neither written nor drained. */
	CU_ASSERT_EQUAL(out_size("tree/share/doc.txt", NULL), -1);
	/* The tap saw every byte read, none skipped by seeking: with what
	 * is left, the whole file. */
	CU_ASSERT(c.packed > 0);
	while ((n = read(fd, rest, sizeof(rest))) > 0)
		c.packed += (uint64_t)n;
	snprintf(path, sizeof(path), "%s/fx/%s", base, name);
	CU_ASSERT_EQUAL(stat(path, &a), 0);
	CU_ASSERT_EQUAL(c.packed, (uint64_t)a.st_size);
	close(fd);
	close(dir);
	got_release(&g);
}

static void test_aside_stop_packed(void)
{
	if (!fixtures())
		return;
	aside_in("tree.tar");
	aside_in("tree.tar.gz");
	outside_intact();
}

/* The decompressed tap: for each compressed form of tree.tar, exactly
 * tree.tar's bytes, then the zero blocks gzip -c of it with 1 MiB more
 * zeros has past the tar's end; nothing for the plain tar (its own bytes
 * are the packed tap's); past max_unpacked after the end, the cap. */
struct unpacked_ctx {
	unsigned char *data;
	size_t len, cap;
};

static enum bd_archive_action skip_all(void *ctx,
				       const struct bd_archive_entry *e,
				       const unsigned char *head,
				       size_t headlen)
{
	(void)ctx;
	(void)e;
	(void)head;
	(void)headlen;
	return BD_ARCHIVE_SKIP;
}

static void collect_unpacked(void *ctx, const void *data, size_t len)
{
	struct unpacked_ctx *c = ctx;

	if (c->len + len > c->cap)
		return;
	memcpy(c->data + c->len, data, len);
	c->len += len;
}

static int unpacked_of(const char *name, const struct bd_archive_limits *lim,
		       struct unpacked_ctx *c, struct got *g)
{
	struct bd_archive_ops ops = { .select = skip_all,
				      .ctx = c,
				      .unpacked = collect_unpacked };
	char path[512];
	int fd, dir, rc;

	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	snprintf(path, sizeof(path), "%s/fx/%s", base, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	path_of(path, sizeof(path), "out");
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	c->len = 0;
	rc = bd_archive_extract(fd, name, dir, "t", lim, &ops, NULL, &g->err);
	close(fd);
	close(dir);
	return rc;
}

static void test_unpacked_tap(void)
{
	static const char *const forms[][2] = { { "tree.tar.gz", "gzip" },
						{ "tree.tar.xz", "xz" },
						{ "tree.tar.bz2", "bzip2" },
						{ "tree.tar.zst", "zstd" } };
	struct unpacked_ctx c = { malloc(4u << 20), 0, 4u << 20 };
	struct bd_archive_limits lim;
	unsigned char *tar = malloc(4u << 20);
	char path[512];
	size_t tarlen, i, k;
	struct got g;
	FILE *f;

	if (!fixtures() || !c.data || !tar)
		goto out;
	got_init(&g);
	/* Each as its own tool decompresses it (the gzip'd one was written
	 * by tarfile, not from tree.tar's bytes). */
	for (i = 0; i < BD_ARRAY_SIZE(forms); i++) {
		bd_test_sh("%2$s -dc %1$s/fx/%3$s > %1$s/fx/expected", base,
			   forms[i][1], forms[i][0]);
		snprintf(path, sizeof(path), "%s/fx/expected", base);
		f = fopen(path, "rb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		tarlen = fread(tar, 1, 4u << 20, f);
		fclose(f);
		CU_ASSERT(tarlen > 0);
		CU_ASSERT_EQUAL(unpacked_of(forms[i][0], NULL, &c, &g), 0);
		CU_ASSERT_EQUAL(c.len, tarlen);
		CU_ASSERT(c.len == tarlen && !memcmp(c.data, tar, tarlen));
	}
	snprintf(path, sizeof(path), "%s/fx/tree.tar", base);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	tarlen = fread(tar, 1, 4u << 20, f);
	fclose(f);
	CU_ASSERT_EQUAL(unpacked_of("tree.tar", NULL, &c, &g), 0);
	CU_ASSERT_EQUAL(c.len, 0);
	/* gzip of nothing: an empty archive (an empty image layer), the
	 * tap seeing no byte. */
	bd_test_sh("printf '' | gzip -c > %s/fx/nothing.gz", base);
	CU_ASSERT_EQUAL(unpacked_of("nothing.gz", NULL, &c, &g), 0);
	CU_ASSERT_EQUAL(c.len, 0);
	bd_test_sh("(cat %1$s/fx/tree.tar; head -c 1048576 /dev/zero) | "
		   "gzip -c > %1$s/fx/padded.tar.gz",
		   base);
	CU_ASSERT_EQUAL(unpacked_of("padded.tar.gz", NULL, &c, &g), 0);
	CU_ASSERT_EQUAL(c.len, tarlen + (1u << 20));
	for (k = tarlen; k < c.len && !c.data[k]; k++)
		;
	CU_ASSERT(c.len >= tarlen && !memcmp(c.data, tar, tarlen) &&
		  k == c.len);
	bd_archive_limits_default(&lim);
	lim.max_ratio = 0;
	lim.max_unpacked = tarlen + (512u << 10);
	CU_ASSERT_EQUAL(unpacked_of("padded.tar.gz", &lim, &c, &g), BD_ELIMIT);
	CU_ASSERT(strstr(g.err.msg, "a decompression bomb?") != NULL);
	CU_ASSERT(c.len < tarlen + (1u << 20));
	/* Compressed twice: libarchive stacks filters while they bid, and
	 * the tap would see the tar where one decompression (gzip -dc,
	 * containerd's) gives a gzip stream, which is no layer: refused. */
	bd_test_sh("gzip -c < %1$s/fx/tree.tar.gz > %1$s/fx/twice.tar.gz",
		   base);
	CU_ASSERT_EQUAL(unpacked_of("twice.tar.gz", NULL, &c, &g), BD_EFORMAT);
	CU_ASSERT(strstr(g.err.msg, "compressed twice") != NULL);
	got_release(&g);
out:
	free(c.data);
	free(tar);
}

/* A static library: its members, without its index tables. */
static void test_static(void)
{
	struct got g;

	if (!fixtures() || out_size("../fx/static.a", NULL) < 0)
		return; /* no cc or ar */
	got_init(&g);
	CU_ASSERT_EQUAL(extract("static.a", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&g.seen),
		"F f.o 512\nF a-member-with-a-long-name.o 512\n");
	CU_ASSERT(out_size("a-member-with-a-long-name.o", NULL) > 0);
	got_release(&g);
}

static void test_rpm(void)
{
	struct got g;
	mode_t mode = 0;

	if (!fixtures() || out_size("../fx/demo.rpm", NULL) < 0)
		return; /* no rpmbuild */
	got_init(&g);
	CU_ASSERT_EQUAL(extract("demo.rpm", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_EQUAL(out_size("usr/bin/app", &mode), 4096);
	CU_ASSERT_EQUAL(mode & 0777, 0700);
	CU_ASSERT_EQUAL(out_size("usr/bin/app-link", &mode), 3);
	CU_ASSERT(S_ISLNK(mode));
	got_release(&g);
}

static void test_dotdot(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("dotdot.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 4);
	/* Names cut at 160 bytes in messages: the reason stays seen. */
	CU_ASSERT(warned(&g, "d/...': entry name deeper than 128 "
			     "directories, skipped\n"));
	CU_ASSERT(warned(&g, "xxx...': entry name longer than 4096 bytes, "
			     "skipped\n"));
	CU_ASSERT(warned(&g, "'dotdot.tar!/../outside/evil': entry name "
			     "leaves the archive, skipped\n"));
	CU_ASSERT(warned(&g, "'dotdot.tar!/a/../../outside/evil2': entry "
			     "name leaves the archive, skipped\n"));
	/* Inside after folding: "a/../ok.txt" is "ok.txt". */
	CU_ASSERT(out_is("ok.txt", "ok"));
	CU_ASSERT(out_is("b/c.txt", "c"));
	outside_intact();
	got_release(&g);

	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("dotdot.zip", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 2);
	CU_ASSERT(warned(&g, "'dotdot.zip!//abs/evil': absolute entry name"));
	CU_ASSERT(out_is("ok.txt", "ok"));
	outside_intact();
	got_release(&g);
}

static void test_absolute(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("absolute.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT(warned(&g, "/outside/abs': absolute entry name, skipped\n"));
	CU_ASSERT(out_is("ok.txt", "ok"));
	outside_intact();
	got_release(&g);
}

static void test_symlinks(void)
{
	struct bd_archive_limits lim;
	struct got g;
	mode_t mode = 0;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("symlinks.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 4);
	CU_ASSERT(warned(&g, "'symlinks.tar!/up': symlink to '../outside' "
			     "leaves the archive, skipped\n"));
	CU_ASSERT(warned(&g, "'symlinks.tar!/d/up2': symlink to "
			     "'../../outside/canary' leaves the archive"));
	CU_ASSERT(warned(&g, "'symlinks.tar!/abs': absolute symlink to '"));
	/* A symlink inside is kept, but never written through. */
	CU_ASSERT(warned(&g, "'symlinks.tar!/in/evil': a parent is a symlink "
			     "or a file, skipped\n"));
	CU_ASSERT_EQUAL(out_size("in", &mode), 3);
	CU_ASSERT(S_ISLNK(mode));
	CU_ASSERT_EQUAL(out_size("sub/evil", NULL), -1);
	CU_ASSERT_EQUAL(out_size("d/ok", &mode), 6);
	CU_ASSERT(S_ISLNK(mode));
	/* The refused links' names became plain directories inside. */
	CU_ASSERT(out_is("up/evil", "x"));
	outside_intact();
	got_release(&g);

	/* An image layer keeps its absolute link, still never followed. */
	bd_archive_limits_default(&lim);
	lim.keep_absolute_links = true;
	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("symlinks.tar", NULL, &lim, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 4);
	CU_ASSERT(warned(&g, "'symlinks.tar!/abs/evil': a parent is a "
			     "symlink or a file, skipped\n"));
	CU_ASSERT(out_size("abs", &mode) > 0);
	CU_ASSERT(S_ISLNK(mode));
	outside_intact();
	got_release(&g);
}

/* hardlinks.tar: the links kept, and those refused said. */
static void hardlinks_case(void)
{
	struct got g;

	got_init(&g);
	CU_ASSERT_EQUAL(extract("hardlinks.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 3);
	CU_ASSERT(warned(&g, "'hardlinks.tar!/h1': hard link to "
			     "'../outside/canary' leaves the archive, "
			     "skipped\n"));
	CU_ASSERT(warned(&g, "'hardlinks.tar!/h2': hard link to '/"));
	CU_ASSERT(warned(&g, "'hardlinks.tar!/h3': hard link to 'later', "
			     "which is not before it in the archive, "
			     "skipped\n"));
	CU_ASSERT_EQUAL(out_size("h1", NULL), -1);
	CU_ASSERT_EQUAL(out_size("h3", NULL), -1);
	CU_ASSERT(same_file("later", "h4"));
	outside_intact();
	got_release(&g);
}

static void test_hardlinks(void)
{
	if (fixtures())
		hardlinks_case();
}

/* dup.tar, into an empty directory: the first of two entries kept. Then
 * dupraw.tar, whose names are no UTF-8: the same, a name that differs by a
 * byte is another, and a hard link to it is kept. */
static void dup_case(void)
{
	struct got g;

	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("dup.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 2);
	/* "./dup.txt" too, named as the SBOM names it: "dup.txt". */
	CU_ASSERT(warned(&g, "'dup.tar!/dup.txt': duplicate entry, the first "
			     "is kept\n'dup.tar!/dup.txt': duplicate entry, "
			     "the first is kept\n"));
	CU_ASSERT(!warned(&g, "'dup.tar!/./dup.txt'"));
	CU_ASSERT(out_is("dup.txt", "first"));
	outside_intact();
	got_release(&g);

	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("dupraw.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT(warned(&g, "duplicate entry, the first is kept\n"));
	CU_ASSERT(out_is("lib\xff.txt", "first"));
	CU_ASSERT(out_is("lib\xfe.txt", "other"));
	CU_ASSERT(same_file("lib\xfe.txt", "h"));
	outside_intact();
	got_release(&g);
}

/* Repeats marked, the first kept: the others skipped. */
static enum bd_archive_action repeat_select(void *ctx,
					    const struct bd_archive_entry *e,
					    const unsigned char *head,
					    size_t headlen)
{
	struct got *g = ctx;

	(void)head;
	(void)headlen;
	bd_buf_printf(&g->seen, "%s%s\n", e->name, e->repeat ? " again" : "");
	return e->repeat ? BD_ARCHIVE_SKIP : BD_ARCHIVE_WRITE;
}

/* dup.tar with ops.repeats: each repeat is offered, marked, and nothing
 * is said; the caller's choice stands. */
static void repeats_case(void)
{
	struct bd_archive_ops ops = { .select = repeat_select,
				      .repeats = true };
	struct bd_diag diag = { on_diag, NULL };
	char path[512];
	struct got g;
	int fd, dir;

	got_init(&g);
	ops.ctx = diag.ctx = &g;
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	path_of(path, sizeof(path), "fx/dup.tar");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	path_of(path, sizeof(path), "out");
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CU_ASSERT_EQUAL(bd_archive_extract(fd, "dup.tar", dir, NULL, NULL, &ops,
					   &diag, NULL),
			0);
	close(fd);
	close(dir);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&g.seen), "dup.txt\n"
						    "dup.txt again\n"
						    "dup.txt again\n"
						    "ok.txt\n");
	CU_ASSERT(out_is("dup.txt", "first"));
	got_release(&g);
}

static void test_devices_dups(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("devices.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 2);
	CU_ASSERT(warned(&g, "'devices.tar!/dev/null': a device node, "
			     "skipped\n"));
	CU_ASSERT(warned(&g, "'devices.tar!/fifo': a FIFO, skipped\n"));
	CU_ASSERT_EQUAL(out_size("dev/null", NULL), -1);
	CU_ASSERT(out_is("ok.txt", "ok"));
	got_release(&g);
	dup_case();
	repeats_case();
}

/* The names seen are kept as hashes only: where libcrypto has no SipHash
 * they are its keyed SHA-256, and duplicates and hard links are found the
 * same. */
static void test_dups_without_siphash(void)
{
	if (!fixtures())
		return;
	bd_map_use_siphash(false);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	hardlinks_case();
	dup_case();
	bd_map_use_siphash(true);
}

static void test_encrypted(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("encrypted.zip", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT(warned(&g, "'encrypted.zip!/enc.txt': encrypted entry, "
			     "skipped\n"));
	CU_ASSERT_EQUAL(out_size("enc.txt", NULL), -1);
	CU_ASSERT(out_is("ok.txt", "ok"));
	outside_intact();
	got_release(&g);
}

/* A local header that claims the next entry's bytes hides that entry
 * from a stream; listed by the central directory (as pip reads it), it
 * is there, and nothing is made. Only a zip is listed so. */
static void test_zip_central(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("hidden.zip", "s", NULL, &g), 0);
	CU_ASSERT_EQUAL(out_size("s/b.txt", NULL), -1);
	CU_ASSERT(out_size("s/a.txt", NULL) > 5);
	got_release(&g);
	got_init(&g);
	CU_ASSERT_EQUAL(extract_as("hidden.zip", "c", NULL, &g, true), 0);
	CU_ASSERT(strstr(g.seen.data, "F b.txt") != NULL);
	CU_ASSERT_EQUAL(out_size("c/b.txt", NULL), -1); /* listed, not made */
	got_release(&g);
	got_init(&g);
	CU_ASSERT_EQUAL(extract_as("many.tar", "t", NULL, &g, true),
			BD_EFORMAT);
	got_release(&g);
	outside_intact();
}

/* A zip entry whose CRC does not match: kept, with one warning. A
 * manifest beyond 4 MiB: not taken, with one warning. */
static void test_damaged(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("badcrc.zip", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT(warned(&g, "'badcrc.zip!/bad.txt': "));
	CU_ASSERT(warned(&g, ", kept\n"));
	CU_ASSERT(out_is("bad.txt", "secret"));
	CU_ASSERT(out_is("ok.txt", "ok"));
	got_release(&g);

	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("bigmeta.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT(warned(&g, "'bigmeta.tar!/x.dist-info/METADATA': larger "
			     "than 4 MiB, skipped\n"));
	CU_ASSERT_EQUAL(g.taken.len, 0);
	CU_ASSERT(out_is("ok.txt", "ok"));
	outside_intact();
	got_release(&g);
}

/* 1 GiB of zeros in a 1 MiB zip: each cap stops it early; what came
 * before stays, the partial file goes. */
static void test_bomb(void)
{
	struct bd_archive_limits lim;
	uint64_t left = 3u << 20;
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	/* Stopped at the cap (no timing here: make bench measures time). */
	CU_ASSERT_EQUAL(extract("bomb.zip", NULL, NULL, &g), BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(g.err.msg,
			       "'bomb.zip': unpacks to more than 200 times "
			       "its size, stopped (a decompression bomb?)");
	CU_ASSERT(out_is("ok.txt", "ok"));
	CU_ASSERT_EQUAL(out_size("zeros", NULL), -1);
	got_release(&g);

	bd_archive_limits_default(&lim);
	lim.max_ratio = 0;
	lim.max_unpacked = 8u << 20;
	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("bomb.zip", NULL, &lim, &g), BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(g.err.msg,
			       "'bomb.zip': unpacks to more than 8 MiB, "
			       "stopped (a decompression bomb?)");
	CU_ASSERT_EQUAL(out_size("zeros", NULL), -1);
	got_release(&g);

	/* The budget of the run, shared. */
	lim.total_left = &left;
	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("bomb.zip", NULL, &lim, &g), BD_ELIMIT);
	CU_ASSERT(strstr(g.err.msg, "their total budget") != NULL);
	CU_ASSERT(left < 3u << 20);
	outside_intact();
	got_release(&g);

	/* A directory's data (a GNU dumpdir's) is decompressed within the
	 * ratio too: stopped there, not after libarchive's next header has
	 * skipped it all (ok.txt, after it, is never offered). */
	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("dumpdir.tar.gz", NULL, NULL, &g), BD_ELIMIT);
	CU_ASSERT(strstr(g.err.msg, "200 times its size") != NULL);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&g.seen), "D d 0\n");
	got_release(&g);

	/* Zeros a cpio reader decompresses while it looks for a header,
	 * where no entry is seen: within the ratio too. */
	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("scan.cpio.gz", NULL, NULL, &g), BD_ELIMIT);
	CU_ASSERT(strstr(g.err.msg, "200 times its size") != NULL);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&g.seen), "F a.txt 3\n");
	CU_ASSERT_EQUAL(g.nwarn, 0);
	got_release(&g);
}

/* One file of 4,100 names as rpm's cpio stores them, its data with the
 * last: the first 4,096 names wait for it and are made as links to it;
 * past them one warning, and those after it are not made. */
static void test_cpio_links_past_the_cap(void)
{
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("hardlinks-many.cpio", NULL, NULL, &g), 0);
	CU_ASSERT(out_is("l4099", "data\n"));
	CU_ASSERT(out_is("l0000", "data\n"));
	CU_ASSERT(out_is("l4095", "data\n"));
	CU_ASSERT_EQUAL(out_size("l4096", NULL), -1);
	CU_ASSERT(warned(&g, "'hardlinks-many.cpio!/l4096': more than 4096 "
			     "hard links wait for their file's data: this "
			     "one and those after it are not made\n"));
	got_release(&g);
}

static void test_truncated(void)
{
	struct bd_archive_limits lim;
	struct got g;

	if (!fixtures())
		return;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("truncated.tar.gz", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT(warned(&g, "'truncated.tar.gz!/f2': truncated or corrupt "
			     "archive ("));
	CU_ASSERT_EQUAL(out_size("f0", NULL), 102400);
	CU_ASSERT_EQUAL(out_size("f1", NULL), 102400);
	CU_ASSERT_EQUAL(out_size("f2", NULL), -1);
	got_release(&g);

	bd_archive_limits_default(&lim);
	lim.max_entries = 5;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("many.tar", NULL, &lim, &g), BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(g.err.msg,
			       "'many.tar': more than 5 entries, stopped");
	CU_ASSERT_EQUAL(out_size("e4", NULL), 0);
	CU_ASSERT_EQUAL(out_size("e5", NULL), -1);
	got_release(&g);

	got_init(&g);
	CU_ASSERT_EQUAL(extract("paxhuge.tar.gz", NULL, NULL, &g), BD_EFORMAT);
	CU_ASSERT_EQUAL(sniff_file("paxhuge.tar.gz", BD_ARCHIVE_SNIFF_MAX),
			BD_ARCHIVE_TAR);
	got_release(&g);

	got_init(&g);
	CU_ASSERT_EQUAL(extract("notarchive.bin", NULL, NULL, &g), BD_EFORMAT);
	CU_ASSERT(strncmp(g.err.msg, "'notarchive.bin': ", 18) == 0);
	outside_intact();
	got_release(&g);
}

/* The directories made for names no entry lists are capped
 * (lim->implied): past the cap, the entries needing one more are skipped,
 * counted and said once; those needing none (below a directory made or
 * listed) and the listed directories are still made. */
static void test_implied_capped(void)
{
	struct bd_archive_implied cap = { .max = 4, .of = "the artifact" };
	struct bd_archive_limits lim;
	mode_t mode;
	struct got g;

	if (!fixtures())
		return;
	bd_archive_limits_default(&lim);
	lim.implied = &cap;
	got_init(&g);
	CU_ASSERT_EQUAL(extract("implied.tar", NULL, &lim, &g), 0);
	CU_ASSERT_EQUAL(cap.made, 4);
	CU_ASSERT_EQUAL(cap.cut, 2);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&g.warnings),
			       "'implied.tar': more than 4 directories made "
			       "for entry names that no entry lists, in the "
			       "artifact: the entries needing more are "
			       "skipped\n");
	CU_ASSERT(out_is("a/b/c/x", "x"));
	CU_ASSERT(out_is("a/b/y", "y"));
	CU_ASSERT(out_is("l/m/z", "z"));
	CU_ASSERT(out_is("a/v", "v"));
	CU_ASSERT(out_is("l/k", "k"));
	CU_ASSERT(out_size("l/n", &mode) >= 0 && S_ISDIR(mode));
	CU_ASSERT_EQUAL(out_size("d", NULL), -1);
	CU_ASSERT_EQUAL(out_size("p", NULL), -1);
	/* No cap: all of it, nothing said. */
	got_release(&g);
	got_init(&g);
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	CU_ASSERT_EQUAL(extract("implied.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT(out_is("d/e/w", "w"));
	CU_ASSERT(out_size("p/q", &mode) >= 0 && S_ISLNK(mode));
	outside_intact();
	got_release(&g);
}

/* name extracted afresh into base/out with lim, whose cap (of kind, at
 * most 3, made here) it passes: 3 made, one warning, the cap's, naming
 * name, its text after "more than 3 " said. */
static void extract_past_cap(const char *name, struct bd_archive_implied *cap,
			     enum bd_archive_cap_kind kind,
			     const struct bd_archive_limits *lim, struct got *g,
			     const char *said)
{
	char want[256];

	*cap = (struct bd_archive_implied){ .max = 3,
					    .of = "the artifact",
					    .kind = kind };
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	got_init(g);
	CU_ASSERT_EQUAL(extract(name, NULL, lim, g), 0);
	CU_ASSERT_EQUAL(cap->made, 3);
	CU_ASSERT_EQUAL(g->nwarn, 1);
	snprintf(want, sizeof(want), "'%s': more than 3 %s\n", name, said);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&g->warnings), want);
}

/* The directories entries list are capped (lim->listed): past the cap, a
 * listed directory is not made, nor its parents, said once; one already
 * there is quiet and not counted; a file below one not made makes it as
 * a directory its name implies (lim->implied). A tar, a cpio (an rpm's
 * payload) and a zip alike. */
static void test_listed_capped(void)
{
	static const char *const names[] = { "listed.tar", "listed.cpio",
					     "listed.zip" };
	struct bd_archive_implied cap, implied;
	struct bd_archive_limits lim;
	mode_t mode;
	struct got g;
	size_t i;

	if (!fixtures())
		return;
	for (i = 0; i < 3; i++) {
		implied = (struct bd_archive_implied){ .max = 10 };
		bd_archive_limits_default(&lim);
		lim.listed = &cap;
		lim.implied = &implied;
		extract_past_cap(names[i], &cap, BD_ARCHIVE_CAP_LISTED, &lim,
				 &g,
				 "directories listed as entries, in the "
				 "artifact: the rest are made only above what "
				 "is kept");
		CU_ASSERT_EQUAL(cap.cut, 3);	  /* c/d, e, e/f */
		CU_ASSERT_EQUAL(implied.made, 1); /* c/d, for c/d/x */
		CU_ASSERT(out_size("a/b", &mode) >= 0 && S_ISDIR(mode));
		CU_ASSERT(out_size("c", &mode) >= 0 && S_ISDIR(mode));
		CU_ASSERT(out_is("c/d/x", "x"));
		CU_ASSERT_EQUAL(out_size("e", NULL), -1);
		got_release(&g);
	}
	/* No cap: all of it, nothing said. */
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	got_init(&g);
	CU_ASSERT_EQUAL(extract("listed.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT(out_size("e/f", &mode) >= 0 && S_ISDIR(mode));
	outside_intact();
	got_release(&g);
}

/* The files and links written are capped (lim->written), a directory is
 * not one: past the cap, a file, a symlink or a hard link is not written,
 * said once; only what was made counts. A tar, a cpio (an rpm's payload)
 * and a zip alike. */
static void test_written_capped(void)
{
	static const char *const names[] = { "written.tar", "written.cpio",
					     "written.zip" };
	static const uint64_t cuts[] = { 3, 2, 2 }; /* a/s2, a/f3 (a/h1) */
	struct bd_archive_implied cap;
	struct bd_archive_limits lim;
	mode_t mode;
	struct got g;
	size_t i;

	if (!fixtures())
		return;
	for (i = 0; i < 3; i++) {
		bd_archive_limits_default(&lim);
		lim.written = &cap;
		extract_past_cap(names[i], &cap, BD_ARCHIVE_CAP_WRITTEN, &lim,
				 &g,
				 "files and links written from its entries, in "
				 "the artifact: the rest are skipped");
		CU_ASSERT_EQUAL(cap.cut, cuts[i]);
		CU_ASSERT(out_is("a/f1", "1"));
		/* A zip streamed has its symlinks as files (their mode is in
		 * the central directory only): written as files. */
		CU_ASSERT(out_size("a/s1", &mode) >= 0 &&
			  (S_ISLNK(mode) || i == 2));
		CU_ASSERT(out_is("a/f2", "2"));
		CU_ASSERT_EQUAL(out_size("a/s2", NULL), -1);
		CU_ASSERT_EQUAL(out_size("a/f3", NULL), -1);
		CU_ASSERT_EQUAL(out_size("a/h1", NULL), -1);
		CU_ASSERT(out_size("e", &mode) >= 0 && S_ISDIR(mode));
		got_release(&g);
	}
	/* No cap: all of it, nothing said. */
	bd_test_sh("rm -rf %1$s/out && mkdir %1$s/out", base);
	got_init(&g);
	CU_ASSERT_EQUAL(extract("written.tar", NULL, NULL, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT(out_is("a/f3", "3"));
	CU_ASSERT(out_is("a/h1", "1"));
	outside_intact();
	got_release(&g);
}

/* A prefix through a symlink is refused, not followed. */
static void test_prefix(void)
{
	char path[512];
	struct got g;

	if (!fixtures())
		return;
	path_of(path, sizeof(path), "out/lnk");
	CU_ASSERT_EQUAL(symlink("../outside", path), 0);
	got_init(&g);
	CU_ASSERT_EQUAL(extract("tree.tar", "lnk/x", NULL, &g), BD_EIO);
	CU_ASSERT_EQUAL(extract("tree.tar", "../outside", NULL, &g), BD_EIO);
	outside_intact();
	got_release(&g);
}

static void test_cleanup(void)
{
	if (ready)
		bd_test_sh("rm -rf %s", base);
	ready = false;
}

void bd_test_register_archive(void)
{
	BD_SUITE("archive", BD_TEST(test_sniff), BD_TEST(test_wheel),
		 BD_TEST(test_zip_central), BD_TEST(test_tars),
		 BD_TEST(test_apk), BD_TEST(test_deb), BD_TEST(test_static),
		 BD_TEST(test_rpm), BD_TEST(test_dotdot),
		 BD_TEST(test_absolute), BD_TEST(test_symlinks),
		 BD_TEST(test_hardlinks), BD_TEST(test_devices_dups),
		 BD_TEST(test_dups_without_siphash), BD_TEST(test_encrypted),
		 BD_TEST(test_damaged), BD_TEST(test_bomb),
		 BD_TEST(test_truncated), BD_TEST(test_cpio_links_past_the_cap),
		 BD_TEST(test_implied_capped), BD_TEST(test_listed_capped),
		 BD_TEST(test_written_capped), BD_TEST(test_prefix),
		 BD_TEST(test_aside_stop_packed), BD_TEST(test_unpacked_tap),
		 BD_TEST(test_cleanup));
}
