/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/walk.h"
#include "bindep/collect.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct seen {
	int warnings, infos;
	char text[4096];
};

static void remember(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	if (level == BD_DIAG_WARNING)
		s->warnings++;
	else
		s->infos++;
	snprintf(s->text + len, sizeof(s->text) - len, "%s\n", msg);
}

static char tree[64];

static void test_sorted_walk_and_links(void)
{
	struct bd_walk w;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	char path[128];
	const char *args[2];
	struct stat st;
	char file[160];
	size_t i;

	snprintf(tree, sizeof(tree), "/tmp/bd-walk-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tree));
	bd_test_mk(tree, "b/", NULL);
	bd_test_mk(tree, "a/", NULL);
	bd_test_mk(tree, "b/z", NULL);
	bd_test_mk(tree, "b/B", NULL);
	bd_test_mk(tree, "a/file", NULL);
	bd_test_mk(tree, "a/link", "file");
	bd_test_mk(tree, "a/dirlink", "../b");
	bd_test_mk(tree, "a/dangling", "nowhere");
	bd_test_mk(tree, "a/loop", "loop");
	args[0] = tree;
	snprintf(path, sizeof(path), "%s/missing", tree);
	args[1] = path;
	bd_walk_init(&w);
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 2, &d, &e), 0);
	CU_ASSERT_EQUAL_FATAL(w.nfiles, 4);
	/* Byte order of names: "B" before "z"; the link is its own entry. */
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[0].path, "/a/file"));
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[1].path, "/a/link"));
	CU_ASSERT_TRUE(w.files[1].via_symlink);
	/* A regular file is listed by its directory entry's type, unstated
	 * (its one open gives its inode); a link is followed, stated. */
	CU_ASSERT_FALSE(w.files[0].stated);
	CU_ASSERT_TRUE(w.files[1].stated);
	snprintf(file, sizeof(file), "%s/a/file", tree);
	CU_ASSERT_EQUAL(stat(file, &st), 0);
	CU_ASSERT_EQUAL(st.st_ino, w.files[1].ino);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[2].path, "/b/B"));
	CU_ASSERT_PTR_NOT_NULL(strstr(w.files[3].path, "/b/z"));
	CU_ASSERT_EQUAL(s.warnings, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "a/dangling': dangling symlink"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "a/loop': symlink loop"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "missing': no such file"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "a/dirlink': symlink to a "
					      "directory, skipped"));
	CU_ASSERT_EQUAL(w.nargs_found, 1);
	for (i = 0; i < w.nfiles; i++)
		CU_ASSERT_PTR_NULL(strstr(w.files[i].path, "//"));
	bd_walk_release(&w);

	/* None of the paths exists: an error. */
	bd_walk_init(&w);
	args[0] = path;
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, NULL, &e), BD_ENOENT);
	CU_ASSERT_STRING_EQUAL(e.msg, "none of the paths given exists");
	bd_walk_release(&w);
	snprintf(path, sizeof(path), "rm -rf '%s'", tree);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* A message too long for BD_ERROR_MSG_MAX keeps its reason and closing
 * quote: the path loses its middle. */
static void test_long_messages(void)
{
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	char path[2100];
	size_t len;

	memset(path, 'd', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 2] = 'x';
	path[sizeof(path) - 1] = '\0';
	bd_diag_report(&d, BD_DIAG_WARNING, "'%s': %s, not entered", path,
		       "directories nested too deep");
	len = strlen(s.text);
	CU_ASSERT_TRUE(len < BD_ERROR_MSG_MAX + 1);
	CU_ASSERT_EQUAL(strncmp(s.text, "'/ddd", 5), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "d\xe2\x80\xa6"
					      "d"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text,
				      "ddx': directories nested too deep, not "
				      "entered\n"));
	bd_error_set(&e, BD_EIO, "'%s': a FIFO, not a regular file", path);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "x': a FIFO, not a regular file"));
	bd_error_errno(&e, BD_EIO, ENAMETOOLONG, "'%s': cannot stat", path);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(e.msg, "x': cannot stat: File name too long"));
	bd_error_set(&e, BD_EFORMAT, "line 3: bad");
	bd_error_prefix(&e, path);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "x': line 3: bad"));
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "\xe2\x80\xa6"));
	/* Short ones are as they were. */
	bd_error_set(&e, BD_EIO, "'%s': %s", "a/b", "gone");
	CU_ASSERT_STRING_EQUAL(e.msg, "'a/b': gone");
}

/* What the walk cannot see into is kept for the SBOM (bd_walk.unread):
 * here 300 directories too deep to enter, of which the first
 * BD_WALK_MAX_UNREAD are named and all counted. A tree that was seen
 * whole has none. */
static void test_unread_kept(void)
{
	struct bd_walk w;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	char top[64], cmd[BD_WALK_MAX_DEPTH * 2 + 128], sh[sizeof(cmd) + 16];
	const char *args[1] = { top };
	size_t len, i;

	snprintf(top, sizeof(top), "/tmp/bd-unread-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(top));
	/* top/a/a/.../a: the last is at depth BD_WALK_MAX_DEPTH - 1, and what
	 * it holds one too deep. */
	len = (size_t)snprintf(cmd, sizeof(cmd), "%s", top);
	for (i = 1; i < BD_WALK_MAX_DEPTH; i++)
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, "/a");
	snprintf(sh, sizeof(sh), "mkdir -p '%s'", cmd);
	CU_ASSERT_EQUAL_FATAL(system(sh), 0);
	for (i = 0; i < 300; i++) {
		snprintf(cmd + len, sizeof(cmd) - len, "/d%03zu", i);
		CU_ASSERT_EQUAL(mkdir(cmd, 0755), 0);
	}
	bd_walk_init(&w);
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
	CU_ASSERT_EQUAL(w.nunread, 300);
	CU_ASSERT_EQUAL(w.nunread_kept, BD_WALK_MAX_UNREAD);
	CU_ASSERT_EQUAL(s.warnings, 300);
	snprintf(cmd + len, sizeof(cmd) - len, "/d000");
	CU_ASSERT_STRING_EQUAL(w.unread[0], cmd);
	bd_walk_release(&w);

	/* The same tree less the last level: nothing left unseen. */
	for (i = 0; i < 300; i++) {
		snprintf(cmd + len, sizeof(cmd) - len, "/d%03zu", i);
		CU_ASSERT_EQUAL(rmdir(cmd), 0);
	}
	bd_walk_init(&w);
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
	CU_ASSERT_EQUAL(w.nunread, 0);
	CU_ASSERT_PTR_NULL(w.unread);
	bd_walk_release(&w);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A top-level argument that is no file or directory is said, and when no
 * argument gives anything to scan, the walk fails as for missing ones. */
static void test_unscannable_arguments(void)
{
	struct bd_walk w;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	char fifo[128], cmd[160];
	const char *args[2];

	snprintf(tree, sizeof(tree), "/tmp/bd-walk-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tree));
	snprintf(fifo, sizeof(fifo), "%s/fifo", tree);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	bd_walk_init(&w);
	args[0] = fifo;
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), BD_ENOENT);
	CU_ASSERT_STRING_EQUAL(e.msg, "none of the paths given can be scanned");
	CU_ASSERT_EQUAL(s.warnings, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "fifo': a FIFO, not scanned\n"));
	bd_walk_release(&w);
	bd_walk_init(&w);
	args[1] = tree;
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 2, &d, &e), 0);
	CU_ASSERT_EQUAL(s.warnings, 2);
	bd_walk_release(&w);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* --root and PATH given through host symlinks: the root's own path. */
static void test_root_through_symlink(void)
{
	struct bd_walk w;
	struct bd_root r;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	char link[128], arg[160], cmd[160];
	const char *args[1] = { arg };

	snprintf(tree, sizeof(tree), "/tmp/bd-walk-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tree));
	bd_test_mk(tree, "root/", NULL);
	bd_test_mk(tree, "root/usr/", NULL);
	bd_test_mk(tree, "root/usr/lib/", NULL);
	bd_test_mk(tree, "root/usr/lib/libx.so.1", NULL);
	bd_test_mk(tree, "root/lib", "/usr/lib");
	bd_test_mk(tree, "rl", "root");
	snprintf(link, sizeof(link), "%s/rl", tree);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, link, &e), 0);
	/* Through the link, and within the root through its own link. */
	snprintf(arg, sizeof(arg), "%s/rl/lib/libx.so.1", tree);
	bd_walk_init(&w);
	w.root = &r;
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
	CU_ASSERT_EQUAL(s.warnings, 0);
	CU_ASSERT_EQUAL_FATAL(w.nfiles, 1);
	CU_ASSERT_STRING_EQUAL(w.files[0].path, "/lib/libx.so.1");
	bd_walk_release(&w);
	/* The whole root, named through the link. */
	bd_walk_init(&w);
	w.root = &r;
	snprintf(arg, sizeof(arg), "%s", link);
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
	CU_ASSERT_EQUAL(s.warnings, 0);
	CU_ASSERT_EQUAL(w.nfiles, 1);
	bd_walk_release(&w);
	bd_root_release(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The walked file at an inside path, or NULL. */
static const struct bd_walk_file *walked(const struct bd_walk *w,
					 const char *path)
{
	size_t i;

	for (i = 0; i < w->nfiles; i++)
		if (!strcmp(w->files[i].path, path))
			return &w->files[i];
	return NULL;
}

/* Whether the walked file at path is a link read at host (tree + rel). */
static bool read_at(const struct bd_walk *w, const char *path, const char *rel)
{
	const struct bd_walk_file *f = walked(w, path);
	char want[160];

	snprintf(want, sizeof(want), "%s%s", tree, rel);
	return f && f->via_symlink && !strcmp(f->host, want);
}

/* A file under --root keeps one copy of its path: the tail of its host
 * path. Its list dropped (bd_walk_drop_files, as bd_collect does after
 * its merge), the walk has no file, and the paths stay readable. */
static void kept_once_and_dropped(struct bd_walk *w)
{
	const struct bd_walk_file *f = walked(w, "/lib/libz.so.1.2");
	const struct bd_walk_file *link = walked(w, "/lib/libz.so.1");
	const char *path, *host;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(link);
	CU_ASSERT_PTR_EQUAL(f->path,
			    f->host + strlen(f->host) - strlen(f->path));
	path = f->path;
	host = link->host; /* the target's: no tail of it */
	CU_ASSERT_STRING_NOT_EQUAL(link->path,
				   host + strlen(host) - strlen(link->path));
	bd_walk_drop_files(w);
	CU_ASSERT_EQUAL(w->nfiles, 0);
	CU_ASSERT_PTR_NULL(w->files);
	CU_ASSERT_STRING_EQUAL(path, "/lib/libz.so.1.2");
	CU_ASSERT_PTR_NOT_NULL(strstr(host, "/root/lib/libz.so.1.2"));
}

/*
 * Under --root, links to a file of their own directory are resolved from
 * the listing (sibling_link), the others in the root, with the same
 * outcome: a link to a regular sibling is read at the sibling (a name of
 * bytes that are no UTF-8 too); one to a link, with a '/', to a
 * directory, "." or "..", dangling, looping or longer than a name (300
 * bytes) takes the resolution in the root, which says why; one to a FIFO
 * is skipped unopened.
 */
static void test_root_sibling_links(void)
{
	static const char *const links[][2] = {
		{ "root/lib/libz.so.1", "libz.so.1.2" }, /* a sibling */
		{ "root/lib/libz.so", "libz.so.1" },	 /* to a link */
		{ "root/lib/up.so", "../lib/libz.so.1.2" },
		{ "root/lib/abs.so", "/lib/libz.so.1.2" },
		{ "root/lib/dir", "sub" },
		{ "root/lib/dot", "." },
		{ "root/lib/dotdot", ".." },
		{ "root/lib/none.so", "gone.so" },
		{ "root/lib/loop.so", "loop.so" },
		{ "root/lib/inv.so", "\xff\xfe.so" },
		{ "root/lib/tofifo", "fifo" },
	};
	static const char *const dirs[] = { "root/", "root/lib/",
					    "root/lib/sub/" };
	struct bd_walk w;
	struct bd_root r;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	char path[128], cmd[160], longer[301];
	const char *args[1] = { path };
	size_t i;

	snprintf(tree, sizeof(tree), "/tmp/bd-walk-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tree));
	for (i = 0; i < BD_ARRAY_SIZE(dirs); i++)
		bd_test_mk(tree, dirs[i], NULL);
	bd_test_write(tree, "/root/lib/libz.so.1.2", "z");
	bd_test_write(tree, "/root/lib/\xff\xfe.so", "z");
	for (i = 0; i < BD_ARRAY_SIZE(links); i++)
		bd_test_mk(tree, links[i][0], links[i][1]);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	bd_test_mk(tree, "root/lib/long.so", longer);
	snprintf(path, sizeof(path), "%s/root/lib/fifo", tree);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/root", tree);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, path, &e), 0);
	bd_walk_init(&w);
	w.root = &r;
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
	CU_ASSERT(read_at(&w, "/lib/libz.so.1", "/root/lib/libz.so.1.2"));
	CU_ASSERT(read_at(&w, "/lib/libz.so", "/root/lib/libz.so.1.2"));
	CU_ASSERT(read_at(&w, "/lib/up.so", "/root/lib/libz.so.1.2"));
	CU_ASSERT(read_at(&w, "/lib/abs.so", "/root/lib/libz.so.1.2"));
	CU_ASSERT(read_at(&w, "/lib/inv.so", "/root/lib/\xff\xfe.so"));
	CU_ASSERT_PTR_NOT_NULL(walked(&w, "/lib/libz.so.1.2"));
	CU_ASSERT_EQUAL(w.nfiles, 7);
	CU_ASSERT_PTR_NULL(walked(&w, "/lib/tofifo"));
	CU_ASSERT_EQUAL(s.warnings, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "long.so': dangling symlink"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "loop.so': symlink loop"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "none.so': dangling symlink"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "dir': symlink to a directory"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "dot': symlink to a directory"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(s.text, "dotdot': symlink to a directory"));
	kept_once_and_dropped(&w);
	bd_walk_release(&w);
	bd_root_release(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The archive kind of the test: a head starting "PK". */
static unsigned char sniff_pk(int fd, const unsigned char *head, size_t n,
			      off_t size)
{
	(void)fd, (void)size;
	return n >= 2 && head[0] == 'P' && head[1] == 'K' ? 1 : 0;
}

/* Each file opened once by bd_collect_prepare, by the path that comes
 * first in the walk: a link before its target holds what was read, an
 * unstated file gets its inode, every path of an archive its kind. */
static void test_prepare_once(void)
{
	struct bd_collect_prepare_options po = { 2, sniff_pk };
	const char *names[] = { "a-alias.zip", "a-link", "b.zip",
				"c-alias.zip", "t.txt",	 "z.so" };
	const unsigned char kinds[] = { 1, 0, 1, 1, 0, 0 };
	char dir[] = "/tmp/bd-prep-XXXXXX", path[128];
	const char *args[1] = { dir };
	struct bd_walk w;
	struct bd_error e;
	struct stat st;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("cp /bin/true '%s/z.so' && mkfifo '%s/fifo'", dir, dir);
	bd_test_write(dir, "b.zip", "PK\3\4 not much of a zip");
	bd_test_write(dir, "t.txt", "text");
	bd_test_mk(dir, "a-link", "z.so");
	bd_test_mk(dir, "a-alias.zip", "b.zip");
	bd_test_mk(dir, "c-alias.zip", "b.zip");
	bd_walk_init(&w);
	CU_ASSERT_EQUAL_FATAL(bd_walk_paths(&w, args, 1, NULL, &e), 0);
	CU_ASSERT_EQUAL_FATAL(w.nfiles, 6); /* not the FIFO */
	CU_ASSERT_EQUAL(w.nskipped, 1);
	CU_ASSERT_FALSE(w.files[5].stated);
	CU_ASSERT_EQUAL(bd_collect_prepare(&w, NULL, &po, &e), 0);
	for (i = 0; i < w.nfiles; i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(w.files[i].path, names[i]));
		CU_ASSERT_TRUE(w.files[i].opened);
		CU_ASSERT_EQUAL(w.files[i].kind, kinds[i]);
	}
	snprintf(path, sizeof(path), "%s/z.so", dir);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(w.files[5].ino, st.st_ino);
	CU_ASSERT_EQUAL(w.files[5].dev, st.st_dev);
	/* Read once, for the link that comes first; text not kept. */
	CU_ASSERT_PTR_NOT_NULL(w.files[1].scan);
	CU_ASSERT_PTR_NULL(w.files[5].scan);
	CU_ASSERT_PTR_NULL(w.files[4].scan);
	bd_walk_release(&w);
	bd_test_sh("rm -rf '%s'", dir);
}

/* How walk_prepared reads the files. */
enum prep_way {
	READ_AFTER, /* after the walk */
	READ_EARLY, /* ahead of the walk, on a second thread */
	/* ahead, with no filter of the inode numbers the listings gave:
	 * as if they were not the files' (a stated file is then read for
	 * itself though a file listed after it is its inode) */
	READ_EARLY_NO_HINT,
};

/* The walk of dir, its files opened by bd_collect_prepare. */
static void walk_prepared_as(const char *dir, enum prep_way way,
			     struct bd_walk *w)
{
	struct bd_collect_prepare_options po = { 2, sniff_pk };
	const char *args[1] = { dir };
	struct bd_error e;

	bd_walk_init(w);
	if (way != READ_AFTER)
		CU_ASSERT_EQUAL(
			bd_collect_early_start(w, NULL, &po, NULL, NULL), 0);
	if (way == READ_EARLY_NO_HINT)
		w->listed_inos = NULL;
	CU_ASSERT_EQUAL(bd_walk_paths(w, args, 1, NULL, &e), 0);
	bd_collect_early_finish(w);
	CU_ASSERT_PTR_NULL(w->added);
	CU_ASSERT_EQUAL(bd_collect_prepare(w, NULL, &po, &e), 0);
	CU_ASSERT_PTR_NULL(w->early);
}

static void walk_prepared(const char *dir, bool early, struct bd_walk *w)
{
	walk_prepared_as(dir, early ? READ_EARLY : READ_AFTER, w);
}

/* The same files opened, inodes known, kinds and reads kept, in two
 * prepared walks of one tree; returns how many reads are kept. */
static size_t same_prepared(const struct bd_walk *a, const struct bd_walk *b)
{
	size_t i, kept = 0;

	CU_ASSERT_EQUAL_FATAL(a->nfiles, b->nfiles);
	for (i = 0; i < a->nfiles; i++) {
		const struct bd_walk_file *x = &a->files[i], *y = &b->files[i];

		CU_ASSERT_STRING_EQUAL(x->path, y->path);
		CU_ASSERT_EQUAL(x->opened, y->opened);
		CU_ASSERT_EQUAL(x->kind, y->kind);
		CU_ASSERT_EQUAL(x->dev, y->dev);
		CU_ASSERT_EQUAL(x->ino, y->ino);
		CU_ASSERT_EQUAL(x->scan != NULL, y->scan != NULL);
		kept += y->scan != NULL;
	}
	return kept;
}

/*
 * Reading ahead of the walk, on a second thread, comes to what reading
 * after it does, file by file: which name of each inode is read (a link
 * before its target, a link after it, hard links, an archive and a link
 * to it), each file's inode and archive kind, and what is kept. Enough
 * files (in directories of 150) that the walk hands them over in
 * batches while it goes on.
 */
static void test_prepare_early_same(void)
{
	char dir[] = "/tmp/bd-early-XXXXXX";
	struct bd_walk after, early;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("cp /bin/true '%s/z.so' && cp /bin/true '%s/b.so' && "
		   "cp /bin/true '%s/h1.so' && ln '%s/h1.so' '%s/h2.so' && "
		   "ln '%s/h1.so' '%s/h3.so' && mkfifo '%s/fifo' && "
		   "for d in s1 s2 s3; do mkdir '%s'/$d; i=0; "
		   "while [ $i -lt 150 ]; do echo $i > '%s'/$d/f$i; "
		   "i=$((i+1)); done; done && cp /bin/true '%s/s2/x.so' && "
		   "ln -s ../z.so '%s/s3/alias.so'",
		   dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir);
	bd_test_write(dir, "p.zip", "PK\3\4 not much of a zip");
	bd_test_write(dir, "t.txt", "text");
	bd_test_mk(dir, "a-link", "z.so");
	bd_test_mk(dir, "zz-link", "b.so");
	bd_test_mk(dir, "q-alias.zip", "p.zip");
	walk_prepared(dir, false, &after);
	walk_prepared(dir, true, &early);
	CU_ASSERT(after.nfiles > 450);
	/* a-link (z.so's), b.so, h1.so, s2/x.so; not the hard links, nor
	 * the link after its target, nor text. */
	CU_ASSERT_EQUAL(same_prepared(&after, &early), 4);
	bd_walk_release(&after);
	bd_walk_release(&early);
	bd_test_sh("rm -rf '%s'", dir);
}

/*
 * Links to files outside the walk, which no file of the walk claims: read
 * ahead for themselves, as the pass after the walk reads them, and not
 * when a file of the walk turns out to be their inode, listed before
 * them (its own read: a hard link, or the link's target) or after them
 * (it reads it for them). Also with the
 * listings' inode numbers not taken as a hint: a link is then read for
 * itself ahead though a hard link after it is its inode, which then
 * finds it read. Links in directories of 150 files, batches apart.
 */
static void test_prepare_early_outside(void)
{
	char top[] = "/tmp/bd-outside-XXXXXX", dir[64];
	struct bd_walk after, early, no_hint;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(top));
	snprintf(dir, sizeof(dir), "%s/tree", top);
	bd_test_sh(
		"cd '%s' && mkdir out tree && for f in o1 o2 o3 o4; do "
		"cp /bin/true out/$f.so; done && for d in s1 s2 s3; do "
		"mkdir tree/$d; i=0; while [ $i -lt 150 ]; do "
		"echo $i > tree/$d/f$i; i=$((i+1)); done; done && "
		"ln -s ../out/o1.so tree/l-o1 && ln -s ../out/o1.so tree/m-o1 "
		"&& ln -s ../../out/o1.so tree/s3/zz-o1 && "
		"ln out/o2.so tree/a-h2 && ln -s ../out/o2.so tree/l-o2 && "
		"ln -s ../out/o3.so tree/l-o3 && ln out/o3.so tree/z-h3 && "
		"ln -s ../../out/o4.so tree/s2/l-o4 && "
		"ln out/o4.so tree/s3/h-o4 && cp /bin/true tree/aa.so && "
		"ln -s aa.so tree/ab-link",
		top);
	walk_prepared_as(dir, READ_AFTER, &after);
	walk_prepared_as(dir, READ_EARLY, &early);
	walk_prepared_as(dir, READ_EARLY_NO_HINT, &no_hint);
	/* o1 for l-o1, o2 for a-h2, o3 for l-o3, o4 for s2/l-o4; aa.so
	 * for itself, not for the link after it. */
	CU_ASSERT_EQUAL(same_prepared(&after, &early), 5);
	CU_ASSERT_EQUAL(same_prepared(&after, &no_hint), 5);
	bd_walk_release(&after);
	bd_walk_release(&early);
	bd_walk_release(&no_hint);
	bd_test_sh("rm -rf '%s'", top);
}

/* A walk read ahead of, then released without being prepared (a run
 * that stops at the walk): the readers are joined, nothing leaks (the
 * sanitizers' and valgrind's lanes). */
static void test_prepare_early_released(void)
{
	struct bd_collect_prepare_options po = { 3, NULL };
	char dir[] = "/tmp/bd-early-XXXXXX";
	const char *args[1] = { dir };
	struct bd_walk w;
	struct bd_error e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh("cp /bin/true '%s/a.so' && cp /bin/true '%s/b.so'", dir,
		   dir);
	bd_walk_init(&w);
	CU_ASSERT_EQUAL(bd_collect_early_start(&w, NULL, &po, NULL, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(w.early);
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, NULL, &e), 0);
	bd_walk_release(&w);
	CU_ASSERT_PTR_NULL(w.early);
	bd_test_sh("rm -rf '%s'", dir);
}

/* Hard links that are plain directory entries: the walk does not stat
 * them, yet the file is read once, for the name that comes first (the one
 * the merge takes), and every name gets its device and inode. */
static void test_prepare_hard_links_once(void)
{
	struct bd_collect_prepare_options po = { 2, sniff_pk };
	char dir[] = "/tmp/bd-prep-XXXXXX";
	const char *args[1] = { dir };
	struct bd_walk w;
	struct bd_error e;
	size_t i, read = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_sh(
		"cp /bin/true '%s/a.so' && for n in b c d e f g h i j k l m "
		"n o p q r s t u v w x y z; do ln '%s/a.so' '%s'/$n.so; done",
		dir, dir, dir);
	bd_walk_init(&w);
	CU_ASSERT_EQUAL_FATAL(bd_walk_paths(&w, args, 1, NULL, &e), 0);
	CU_ASSERT_EQUAL_FATAL(w.nfiles, 26);
	CU_ASSERT_EQUAL(bd_collect_prepare(&w, NULL, &po, &e), 0);
	for (i = 0; i < w.nfiles; i++) {
		read += w.files[i].scan != NULL;
		CU_ASSERT_EQUAL(w.files[i].ino, w.files[0].ino);
	}
	CU_ASSERT_EQUAL(read, 1);
	CU_ASSERT_PTR_NOT_NULL(w.files[0].scan);
	bd_walk_release(&w);
	bd_test_sh("rm -rf '%s'", dir);
}

/* Files swapped after the walk listed them as regular files, before their
 * one open: a FIFO and a device are not opened for reading (no hang), a
 * directory is not read, and a symlink out of --root is not followed out
 * (the file outside is never the one read). */
static void test_prepare_swapped(void)
{
	struct bd_collect_prepare_options po = { 2, sniff_pk };
	char dir[] = "/tmp/bd-swap-XXXXXX", root[64], out[96];
	const char *args[1] = { root };
	struct bd_walk w;
	struct bd_root r;
	struct bd_error e;
	struct stat st;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(out, sizeof(out), "%s/outside.so", dir);
	bd_test_sh("mkdir '%s' && cp /bin/true '%s' && for f in a b c d e; do "
		   "cp /bin/true '%s/'$f.so; done",
		   root, out, root);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, root, &e), 0);
	bd_walk_init(&w);
	w.root = &r;
	CU_ASSERT_EQUAL_FATAL(bd_walk_paths(&w, args, 1, NULL, &e), 0);
	CU_ASSERT_EQUAL_FATAL(w.nfiles, 5);
	CU_ASSERT_FALSE(w.files[0].stated);
	bd_test_sh("cd '%s' && rm ?.so && mkfifo a.so && mknod b.so c 1 3 && "
		   "ln -s '%s' c.so && ln -s ../outside.so d.so && mkdir e.so",
		   root, out);
	alarm(30); /* a FIFO opened for reading would block for good */
	CU_ASSERT_EQUAL(bd_collect_prepare(&w, NULL, &po, &e), 0);
	alarm(0);
	CU_ASSERT_EQUAL_FATAL(stat(out, &st), 0);
	for (i = 0; i < w.nfiles; i++) {
		CU_ASSERT_TRUE(w.files[i].opened);
		CU_ASSERT_FALSE(w.files[i].dev == st.st_dev &&
				w.files[i].ino == st.st_ino);
		CU_ASSERT_EQUAL(w.files[i].kind, 0);
	}
	bd_walk_release(&w);
	bd_root_release(&r);
	bd_test_sh("rm -rf '%s'", dir);
}

/* A fresh tree (in tree) holding rels: directories end in '/', the rest
 * are empty files. */
static void mk_tree(const char *const *rels, size_t n)
{
	size_t i;

	snprintf(tree, sizeof(tree), "/tmp/bd-walk-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tree));
	for (i = 0; i < n; i++)
		bd_test_mk(tree, rels[i], NULL);
}

/* Creates n empty files with names of len bytes in dir (host path). */
static void mk_many(const char *dir, size_t n, size_t len)
{
	char name[256], path[512];
	size_t i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%04zu-", i);
		memset(name + 5, 'x', len - 5);
		name[len] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		CU_ASSERT_TRUE_FATAL(fd >= 0);
		close(fd);
	}
}

/* Whether the walk has every one of n files of dir (inside or host
 * path), in byte order, once, each name len bytes; then the file sub. */
static bool listed_whole(const struct bd_walk *w, const char *dir, size_t n,
			 size_t len)
{
	size_t i, dlen = strlen(dir);

	if (w->nfiles != n + 1)
		return false;
	for (i = 0; i < n; i++) {
		const char *p = w->files[i].path;

		if (strncmp(p, dir, dlen) || p[dlen] != '/' ||
		    strlen(p + dlen + 1) != len ||
		    (size_t)atoi(p + dlen + 1) != i)
			return false;
	}
	return strstr(w->files[n].path, "/zsub/last") != NULL;
}

/*
 * A directory whose listing takes many getdents64 calls (3,000 names of
 * 120 bytes: about 400 KB of records, the walk's buffer is 32 KiB) is
 * listed whole, sorted, on the host and under --root, and the walk goes
 * on into the directory after it.
 */
static void test_long_listing(void)
{
	struct bd_walk w;
	struct bd_root r;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	static const char *const rels[] = { "root/", "root/many/",
					    "root/many/zsub/",
					    "root/many/zsub/last" };
	char dir[128], root[128];
	const char *args[1] = { dir };

	mk_tree(rels, BD_ARRAY_SIZE(rels));
	snprintf(dir, sizeof(dir), "%s/root/many", tree);
	mk_many(dir, 3000, 120);
	bd_walk_init(&w);
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
	CU_ASSERT_TRUE(listed_whole(&w, dir, 3000, 120));
	bd_walk_release(&w);
	snprintf(root, sizeof(root), "%s/root", tree);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, root, &e), 0);
	bd_walk_init(&w);
	w.root = &r;
	CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
	CU_ASSERT_TRUE(listed_whole(&w, "/many", 3000, 120));
	bd_walk_release(&w);
	bd_root_release(&r);
	CU_ASSERT_EQUAL(s.warnings, 0);
	bd_test_sh("rm -rf '%s'", tree);
}

/* The walk's w->added, told at the end of root/a: root/b, listed and
 * stated as a directory already, becomes a symlink to outside/. */
static void swap_b(void *ctx, struct bd_walk *w)
{
	const char *root = ctx;
	char b[160], moved[170];

	(void)w;
	snprintf(b, sizeof(b), "%s/b", root);
	snprintf(moved, sizeof(moved), "%s/b-moved", root);
	if (access(moved, F_OK) == 0)
		return; /* once */
	CU_ASSERT_EQUAL(rename(b, moved), 0);
	CU_ASSERT_EQUAL(symlink("../outside", b), 0);
}

/* Whether a walked path holds needle. */
static bool walked_any(const struct bd_walk *w, const char *needle)
{
	size_t i;

	for (i = 0; i < w->nfiles; i++)
		if (strstr(w->files[i].path, needle))
			return true;
	return false;
}

/*
 * A directory replaced by a symlink to a directory outside the walk
 * after its parent was listed (and it stated) is not entered: a warning
 * names it, nothing outside is listed. On the host the open followed the
 * symlink; under --root it is confined, and refused all the same.
 */
static void test_replaced_directory(void)
{
	struct bd_walk w;
	struct bd_root r;
	struct seen s = { 0 };
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	/* outside/ is reached by ../outside from root/ on the host, and
	 * resolved to root/outside/ under --root. */
	static const char *const rels[] = { "root/",
					    "root/a/",
					    "root/a/f",
					    "root/b/",
					    "root/b/g",
					    "root/outside/",
					    "root/outside/secret",
					    "outside/",
					    "outside/secret" };
	char root[128];
	const char *args[1] = { root };
	int pass;

	for (pass = 0; pass < 2; pass++) {
		memset(&s, 0, sizeof(s));
		mk_tree(rels, BD_ARRAY_SIZE(rels));
		snprintf(root, sizeof(root), "%s/root", tree);
		bd_walk_init(&w);
		if (pass) {
			CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, root, &e), 0);
			w.root = &r;
		}
		w.added = swap_b;
		w.added_ctx = root;
		CU_ASSERT_EQUAL(bd_walk_paths(&w, args, 1, &d, &e), 0);
		CU_ASSERT_TRUE(walked_any(&w, "/a/f"));
		CU_ASSERT_FALSE(walked_any(&w, "/b/"));
		CU_ASSERT_EQUAL(s.warnings, 1);
		CU_ASSERT_PTR_NOT_NULL(
			strstr(s.text, "/b': replaced while it was walked, "
				       "not entered"));
		bd_walk_release(&w);
		if (pass)
			bd_root_release(&r);
		bd_test_sh("rm -rf '%s'", tree);
	}
}

/*
 * Under a --root, 100 links lead to one chain of 39 links, each to a name
 * 300 deep: the chain is followed once (it took 100 x 39 walks of 300
 * lstats), and every link found leads where the kernel's would; a 41st
 * link is a loop. Past the budget, links are not followed: one warning
 * naming the root and the budget, each link unread.
 */
static void walk_chain(const char *base, uint64_t budget, struct bd_walk *w,
		       struct seen *s, struct bd_root *r)
{
	struct bd_diag d = { remember, s };
	struct bd_error e;
	const char *args[1];

	memset(s, 0, sizeof(*s));
	CU_ASSERT_EQUAL_FATAL(bd_root_init(r, base, NULL), 0);
	bd_walk_init(w);
	w->root = r;
	w->rooted = true;
	bd_root_memo_init(&w->links, budget);
	args[0] = r->host;
	CU_ASSERT_EQUAL(bd_walk_paths(w, args, 1, &d, &e), 0);
}

static void test_root_link_chain(void)
{
	char base[] = "/tmp/bd-walk-chain-XXXXXX", want[4200];
	struct bd_walk w;
	struct seen s;
	struct bd_root r;
	const char *deep;
	size_t i, found = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	deep = bd_test_link_chain(base, 300, 39, 100);
	bd_test_mk(base, "c/t", "/l/0/x");
	walk_chain(base, BD_ROOT_MEMO_BUDGET, &w, &s, &r);
	snprintf(want, sizeof(want), "%s%s/f", r.host, deep);
	for (i = 0; i < w.nfiles; i++) {
		CU_ASSERT_TRUE(w.files[i].via_symlink);
		CU_ASSERT_STRING_EQUAL(w.files[i].host, want);
		found += w.files[i].via_symlink;
	}
	CU_ASSERT_EQUAL(found, 101); /* /c/s and the 100 /l/<i>/x */
	CU_ASSERT(w.links.calls < 3 * 40 * 300 + 100 * 8);
	CU_ASSERT_FALSE(w.links.over);
	/* the deep directory, past BD_WALK_MAX_DEPTH, and the loop */
	CU_ASSERT_EQUAL(s.warnings, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "'/c/t': symlink loop"));
	bd_walk_release(&w);
	bd_root_release(&r);

	walk_chain(base, 20000, &w, &s, &r);
	CU_ASSERT_TRUE(w.links.over);
	CU_ASSERT_EQUAL(w.nfiles, 0);
	CU_ASSERT_EQUAL(s.warnings, 2);
	snprintf(want, sizeof(want),
		 "'%s': symlinks past 20000 bytes of path walked resolving "
		 "them are not followed",
		 r.host);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, want));
	CU_ASSERT_EQUAL(w.nunread, 1 + 102);
	bd_walk_release(&w);
	bd_root_release(&r);
	bd_test_sh("rm -rf '%s'", base);
}

void bd_test_register_walk(void)
{
	BD_SUITE("walk", BD_TEST(test_sorted_walk_and_links),
		 BD_TEST(test_long_messages), BD_TEST(test_unread_kept),
		 BD_TEST(test_unscannable_arguments),
		 BD_TEST(test_root_through_symlink),
		 BD_TEST(test_root_sibling_links), BD_TEST(test_prepare_once),
		 BD_TEST(test_prepare_hard_links_once),
		 BD_TEST(test_prepare_early_same),
		 BD_TEST(test_prepare_early_outside),
		 BD_TEST(test_prepare_early_released),
		 BD_TEST(test_prepare_swapped), BD_TEST(test_long_listing),
		 BD_TEST(test_replaced_directory),
		 BD_TEST(test_root_link_chain));
}
