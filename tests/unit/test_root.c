/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void expect(const struct bd_root *r, const char *base, const char *p,
		   int rc, const char *want)
{
	struct bd_buf out = BD_BUF_INIT;
	int got = bd_root_resolve(r, base, p, true, &out);

	CU_ASSERT_EQUAL(got, rc);
	if (!rc)
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&out), want);
	if (got != rc || (!rc && strcmp(bd_buf_str(&out), want)))
		fprintf(stderr, "\n  %s: got %d '%s'\n", p, got,
			bd_buf_str(&out));
	bd_buf_release(&out);
}

static void test_confined_resolution(void)
{
	struct bd_root r;
	struct bd_buf b = BD_BUF_INIT;
	char cmd[128];

	snprintf(dir, sizeof(dir), "/tmp/bd-root-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "/usr/", NULL);
	bd_test_mk(dir, "/usr/lib/", NULL);
	bd_test_mk(dir, "/usr/lib/libx.so.1", NULL);
	bd_test_mk(dir, "/lib", "usr/lib");		  /* merged /usr */
	bd_test_mk(dir, "/usr/lib/libx.so", "libx.so.1"); /* relative */
	bd_test_mk(dir, "/usr/lib/abs.so",
		   "/lib/libx.so.1"); /* absolute: in the root */
	bd_test_mk(dir, "/usr/lib/up.so", "../../../../../usr/lib/libx.so.1");
	bd_test_mk(dir, "/usr/lib/loop1", "loop2");
	bd_test_mk(dir, "/usr/lib/loop2", "loop1");
	bd_test_mk(dir, "/usr/lib/dangling", "nowhere");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, dir, NULL), 0);
	CU_ASSERT_FALSE(bd_root_is_host(&r));
	expect(&r, NULL, "/lib/libx.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/usr/lib/abs.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/usr/lib/up.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/../../lib/./libx.so.1", 0, "/usr/lib/libx.so.1");
	expect(&r, "/usr", "lib/libx.so", 0, "/usr/lib/libx.so.1");
	expect(&r, NULL, "/lib", 0, "/usr/lib");
	expect(&r, NULL, "/usr/lib/loop1", BD_ELIMIT, NULL);
	expect(&r, NULL, "/usr/lib/dangling", BD_ENOENT, NULL);
	expect(&r, NULL, "/usr/lib/libx.so.1/x", BD_ENOENT, NULL);
	/* The link itself, not followed. */
	CU_ASSERT_EQUAL(bd_root_resolve(&r, NULL, "/lib/libx.so", false, &b),
			0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/lib/libx.so");
	bd_root_host(&r, "/usr/lib", &b);
	CU_ASSERT_EQUAL(strncmp(bd_buf_str(&b), dir, strlen(dir)), 0);
	/* Host paths to inside paths. */
	snprintf(cmd, sizeof(cmd), "%s/usr/./lib/../lib/libx.so", dir);
	CU_ASSERT_EQUAL(bd_root_inside(&r, cmd, &b), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/lib/libx.so");
	CU_ASSERT_EQUAL(bd_root_inside(&r, dir, &b), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/");
	CU_ASSERT_EQUAL(bd_root_inside(&r, "/etc/passwd", &b), BD_ENOENT);
	snprintf(cmd, sizeof(cmd), "%sx/usr", dir); /* a sibling, not inside */
	CU_ASSERT_EQUAL(bd_root_inside(&r, cmd, &b), BD_ENOENT);
	bd_root_release(&r);
	bd_buf_release(&b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_host_root(void)
{
	struct bd_root r;
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, NULL, NULL), 0);
	CU_ASSERT_TRUE(bd_root_is_host(&r));
	/* /bin is a link to usr/bin on merged-/usr Debian. */
	CU_ASSERT_EQUAL(bd_root_resolve(&r, NULL, "/usr/./lib/../bin/..//bin",
					true, &b),
			0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/bin");
	CU_ASSERT_EQUAL(bd_root_inside(&r, "/a/b/../c", &b), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/a/c");
	bd_root_release(&r);
	bd_buf_release(&b);
	CU_ASSERT_EQUAL(bd_root_init(&r, "/nonexistent-root", NULL), BD_ENOENT);
}

/* The stat a resolution takes on its way: the file it leads to (a link
 * followed: its target; not followed: the link), none when the path ends
 * in "." or "..", and none for an overlay (which tree is bd_root_host's
 * to say). It is the file's own: the same inode as a stat of it. */
static void test_resolve_stat(void)
{
	char base[] = "/tmp/bd-rstat-XXXXXX", host[256];
	struct bd_buf b = BD_BUF_INIT;
	struct bd_root r, up;
	struct stat st, want;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	bd_test_mk(base, "/usr/", NULL);
	bd_test_mk(base, "/usr/lib/", NULL);
	bd_test_write(base, "/usr/lib/libx.so.1", "x");
	bd_test_mk(base, "/lib", "usr/lib");
	bd_test_mk(base, "/usr/lib/libx.so", "/lib/libx.so.1");
	bd_test_mk(base, "/up/", NULL);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, base, NULL), 0);
	snprintf(host, sizeof(host), "%s/usr/lib/libx.so.1", base);
	CU_ASSERT_EQUAL_FATAL(stat(host, &want), 0);
	CU_ASSERT_EQUAL(
		bd_root_resolve_stat(&r, "/", "/lib/libx.so", true, &b, &st),
		0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/lib/libx.so.1");
	CU_ASSERT_TRUE(S_ISREG(st.st_mode) && st.st_ino == want.st_ino &&
		       st.st_dev == want.st_dev);
	/* from a base, as the search resolves a candidate in its directory */
	CU_ASSERT_EQUAL(
		bd_root_resolve_stat(&r, "/usr/lib", "libx.so", true, &b, &st),
		0);
	CU_ASSERT_EQUAL(st.st_ino, want.st_ino);
	CU_ASSERT_EQUAL(
		bd_root_resolve_stat(&r, "/", "/lib/libx.so", false, &b, &st),
		0);
	CU_ASSERT_TRUE(S_ISLNK(st.st_mode));
	CU_ASSERT_EQUAL(
		bd_root_resolve_stat(&r, "/", "/usr/lib/..", true, &b, &st), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr");
	CU_ASSERT_EQUAL(st.st_mode, 0);
	st.st_mode = 1;
	CU_ASSERT_EQUAL(bd_root_resolve_stat(&r, "/", "/usr/lib/nothing", true,
					     &b, &st),
			BD_ENOENT);
	CU_ASSERT_EQUAL(errno, ENOENT);
	/* errno says why, whatever it was before (a stale EACCES made a
	 * path through a file look unreadable). */
	errno = EACCES;
	CU_ASSERT_EQUAL(
		bd_root_resolve(&r, "/", "/usr/lib/libx.so.1/x", true, &b),
		BD_ENOENT);
	CU_ASSERT_EQUAL(errno, ENOTDIR);
	snprintf(host, sizeof(host), "%s/up", base);
	CU_ASSERT_EQUAL_FATAL(bd_root_init_overlay(&up, host, &r, NULL), 0);
	CU_ASSERT_EQUAL(
		bd_root_resolve_stat(&up, "/", "/lib/libx.so", true, &b, &st),
		0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/usr/lib/libx.so.1");
	CU_ASSERT_EQUAL(st.st_mode, 0);
	/* A loop in the upper tree is a loop, though the lower tree has no
	 * such name; a name the upper tree has not is looked up below. */
	bd_test_mk(base, "/up/loop-a", "loop-b");
	bd_test_mk(base, "/up/loop-b", "loop-a");
	CU_ASSERT_EQUAL(bd_root_resolve(&up, "/", "/loop-a", true, &b),
			BD_ELIMIT);
	CU_ASSERT_EQUAL(bd_root_resolve(&up, "/", "/usr", true, &b), 0);
	bd_root_release(&up);
	bd_root_release(&r);
	bd_buf_release(&b);
	bd_test_sh("rm -rf '%s'", base);
}

/* A chain of n links base/in/<name>1 -> <name>2 ... -> target. */
static void link_chain(const char *base, const char *in, const char *name,
		       int n, const char *target)
{
	char rel[64], to[64];
	int i;

	for (i = 1; i <= n; i++) {
		snprintf(rel, sizeof(rel), "%s/%s%d", in, name, i);
		if (i < n)
			snprintf(to, sizeof(to), "%s%d", name, i + 1);
		bd_test_mk(base, rel, i < n ? to : target);
	}
}

/* A path resolved in steps (its directory, then a name from there) follows
 * the same links as in one walk, and hits the same limit: 20 links to /d,
 * then 25 more to /d/real is 45, past the 40 of one walk; 20 and 15 is
 * not. */
static void test_resolve_in_steps(void)
{
	char base[] = "/tmp/bd-rsteps-XXXXXX";
	struct bd_buf b = BD_BUF_INIT;
	struct bd_root r;
	int links;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	bd_test_mk(base, "/d/", NULL);
	bd_test_mk(base, "/d/real/", NULL);
	link_chain(base, "", "a", 20, "/d");
	link_chain(base, "/d", "b", 25, "real");
	link_chain(base, "/d", "c", 15, "real");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, base, NULL), 0);
	CU_ASSERT_EQUAL(bd_root_resolve(&r, "/", "/a1/b1", true, &b),
			BD_ELIMIT);
	CU_ASSERT_EQUAL(bd_root_resolve(&r, "/", "/a1/c1", true, &b), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/d/real");
	links = 0;
	CU_ASSERT_EQUAL(
		bd_root_resolve_links(&r, "/", "/a1", true, &b, NULL, &links),
		0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/d");
	CU_ASSERT_EQUAL(links, 20);
	CU_ASSERT_EQUAL(
		bd_root_resolve_links(&r, "/d", "b1", true, &b, NULL, &links),
		BD_ELIMIT);
	CU_ASSERT_EQUAL(links, 20); /* untouched on failure */
	CU_ASSERT_EQUAL(
		bd_root_resolve_links(&r, "/d", "c1", true, &b, NULL, &links),
		0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/d/real");
	CU_ASSERT_EQUAL(links, 35);
	bd_root_release(&r);
	bd_buf_release(&b);
	bd_test_sh("rm -rf '%s'", base);
}

/*
 * A metered walk pays each lstat the path so far: "/l" (2), then its
 * target's "/x" (2), "/x/y" (4), "/x/y/z" (6), 14 in all; a budget of 13
 * stops it before the last lstat, BD_ELIMIT and nothing left, and the
 * links it had are the caller's still.
 */
static void test_resolve_metered(void)
{
	char base[] = "/tmp/bd-rmeter-XXXXXX";
	struct bd_buf b = BD_BUF_INIT;
	struct bd_root r;
	uint64_t budget = 100;
	int links = 3;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	bd_test_sh("mkdir -p '%s/x/y/z'", base);
	bd_test_sh("ln -s /x/y/z '%s/l'", base);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, base, NULL), 0);
	CU_ASSERT_EQUAL(bd_root_resolve_metered(&r, "/", "l", true, &b, NULL,
						&links, &budget),
			0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "/x/y/z");
	CU_ASSERT_EQUAL(budget, 100 - 14);
	CU_ASSERT_EQUAL(links, 4);
	budget = 13;
	links = 3;
	CU_ASSERT_EQUAL(bd_root_resolve_metered(&r, "/", "l", true, &b, NULL,
						&links, &budget),
			BD_ELIMIT);
	CU_ASSERT_EQUAL(budget, 0);
	CU_ASSERT_EQUAL(links, 3);
	budget = 14;
	CU_ASSERT_EQUAL(bd_root_resolve_metered(&r, "/", "l", true, &b, NULL,
						&links, &budget),
			0);
	CU_ASSERT_EQUAL(budget, 0);
	bd_root_release(&r);
	bd_buf_release(&b);
	bd_test_sh("rm -rf '%s'", base);
}

/* Resolves path with the memo and without: the same outcome. */
static void same_with_memo(const struct bd_root *r, struct bd_root_memo *m,
			   const char *base, const char *path, bool follow)
{
	struct bd_buf plain = BD_BUF_INIT, memo = BD_BUF_INIT;
	struct stat pst, mst;
	int links = 0;
	int want = bd_root_resolve_links(r, base, path, follow, &plain, &pst,
					 &links);
	int got = bd_root_resolve_memo(r, base, path, follow, &memo, &mst, m);

	CU_ASSERT_EQUAL(got, want);
	if (!want && !got) {
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&memo), bd_buf_str(&plain));
		CU_ASSERT_EQUAL(mst.st_mode, pst.st_mode);
		CU_ASSERT(!pst.st_mode || mst.st_ino == pst.st_ino);
	}
	if (got != want)
		fprintf(stderr, "\n  %s: %d, %d without the memo\n", path, got,
			want);
	bd_buf_release(&plain);
	bd_buf_release(&memo);
}

/* Over r, an upper tree whose /l/0/x is a file and /up a link to it:
 * each path from the tree that has it, with the memo as without, and
 * bd_root_host_memo's host path bd_root_host's. */
static void overlay_with_memo(const struct bd_root *r)
{
	static const char *const paths[] = { "/l/0/x", "/l/1/x", "/up",
					     "/c/s" };
	char top[] = "/tmp/bd-rmemo-up-XXXXXX";
	struct bd_buf real = BD_BUF_INIT, a = BD_BUF_INIT, b = BD_BUF_INIT;
	struct bd_root_memo m;
	struct bd_root up;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(top));
	bd_test_sh("mkdir -p '%s/l/0' && touch '%s/l/0/x' && "
		   "ln -s /l/0/x '%s/up'",
		   top, top, top);
	CU_ASSERT_EQUAL_FATAL(bd_root_init_overlay(&up, top, r, NULL), 0);
	bd_root_memo_init(&m, BD_ROOT_MEMO_BUDGET);
	for (i = 0; i < 2 * sizeof(paths) / sizeof(paths[0]); i++) {
		const char *p = paths[i % (sizeof(paths) / sizeof(paths[0]))];

		same_with_memo(&up, &m, "/", p, true);
		CU_ASSERT_EQUAL(bd_root_resolve_memo(&up, "/", p, true, &real,
						     NULL, &m),
				0);
		bd_root_host(&up, bd_buf_str(&real), &a);
		bd_root_host_memo(&up, bd_buf_str(&real), &b, &m);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&a), bd_buf_str(&b));
		/* /l/0/x and /up: the upper tree's file */
		CU_ASSERT_EQUAL(!strncmp(bd_buf_str(&b), up.host, up.hostlen) &&
					b.data[up.hostlen] == '/',
				i % 4 == 0 || i % 4 == 2);
	}
	bd_root_memo_release(&m);
	bd_root_release(&up);
	bd_buf_release(&real);
	bd_buf_release(&a);
	bd_buf_release(&b);
	bd_test_sh("rm -rf '%s'", top);
}

/*
 * A link's target is walked in calls linear in its names, each link once
 * a memo: 40 links, each to a name 600 directories deep, reached from 50
 * links, cost ~24,000 lstat(2)s of paths up to 1,200 bytes long without
 * (per link reaching the chain); with the memo the first costs three
 * calls a name of the targets, the others a few each. Where they lead is
 * where they led before.
 */
static void test_resolve_memo_linear(void)
{
	char base[] = "/tmp/bd-rmemo-XXXXXX";
	struct bd_buf b = BD_BUF_INIT, want = BD_BUF_INIT;
	struct bd_root_memo m;
	struct bd_root r;
	const char *deep;
	uint64_t first, per, walked_first;
	char path[64];
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	deep = bd_test_link_chain(base, 600, 39, 50);
	bd_test_mk(base, "c/rel", "../c/./s");
	bd_test_mk(base, "c/up", "../../../c");
	bd_test_mk(base, "c/gone", "/c/nowhere/x");
	bd_test_mk(base, "c/loop", "loop2");
	bd_test_mk(base, "c/loop2", "loop");
	bd_test_mk(base, "c/mid", "/c/s/f");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, base, NULL), 0);
	bd_buf_adds(&want, deep);
	bd_buf_adds(&want, "/f");
	bd_root_memo_init(&m, BD_ROOT_MEMO_BUDGET);
	CU_ASSERT_EQUAL(
		bd_root_resolve_memo(&r, "/", "/l/0/x", true, &b, NULL, &m), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), bd_buf_str(&want));
	/* 40 texts of 600 names: three calls a name at most */
	first = m.calls;
	walked_first = m.walked;
	CU_ASSERT(first > 39 * 600 && first < 3 * 40 * 600);
	/* two looks a name from its directory, the first 128 names lstat'd
	 * by their whole path: 4.5 MB; an lstat of each whole path so far
	 * was 40 x 361,200 bytes (14.4 MB) */
	CU_ASSERT(m.walked <
		  40 * (600 * 2 * (2 + BD_ROOT_STEP_COST) + 129 * 258));
	for (i = 1; i < 50; i++) {
		snprintf(path, sizeof(path), "/l/%d/x", i);
		CU_ASSERT_EQUAL(
			bd_root_resolve_memo(&r, "/", path, true, &b, NULL, &m),
			0);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), bd_buf_str(&want));
	}
	per = (m.calls - first) / 49;
	CU_ASSERT(per <= 8);
	CU_ASSERT(m.walked - walked_first < 49 * 64);
	CU_ASSERT_FALSE(m.over);
	CU_ASSERT(m.walked < BD_ROOT_MEMO_BUDGET);
	/* The same outcome as without, for what the kernel follows and what
	 * it refuses (a 41st link, a loop, a file mid-path, a dangling
	 * link), with and without a warm memo. */
	for (i = 0; i < 2; i++) {
		same_with_memo(&r, &m, "/", "/l/3/x", true);
		same_with_memo(&r, &m, "/", "/l/3/x", false);
		same_with_memo(&r, &m, "/c", "s", true);
		same_with_memo(&r, &m, "/", "c/rel", true);
		same_with_memo(&r, &m, "/", "/c/up/s", true);
		same_with_memo(&r, &m, "/", "/c/up/rel/", true);
		same_with_memo(&r, &m, "/", "/c/gone", true);
		same_with_memo(&r, &m, "/", "/c/loop", true);
		same_with_memo(&r, &m, "/", "/c/mid", true);
		same_with_memo(&r, &m, "/", "/c/up/up/..", true);
	}
	bd_root_memo_release(&m);
	overlay_with_memo(&r);
	/* One more link before the chain: the 41st, a loop to the kernel. */
	bd_test_mk(base, "c/t", "/l/0/x");
	bd_root_memo_init(&m, BD_ROOT_MEMO_BUDGET);
	CU_ASSERT_EQUAL(
		bd_root_resolve_memo(&r, "/", "/c/t", true, &b, NULL, &m),
		BD_ELIMIT);
	CU_ASSERT_EQUAL(
		bd_root_resolve_memo(&r, "/", "/l/9/x", true, &b, NULL, &m), 0);
	CU_ASSERT_EQUAL(
		bd_root_resolve_memo(&r, "/", "/c/t", true, &b, NULL, &m),
		BD_ELIMIT);
	bd_root_memo_release(&m);
	/* A budget the chain passes: stopped, and said to be. */
	bd_root_memo_init(&m, 10000);
	CU_ASSERT_EQUAL(
		bd_root_resolve_memo(&r, "/", "/l/0/x", true, &b, NULL, &m),
		BD_ELIMIT);
	CU_ASSERT_TRUE(m.over);
	CU_ASSERT_EQUAL(m.budget, 0);
	bd_root_memo_release(&m);
	bd_root_release(&r);
	bd_buf_release(&b);
	bd_buf_release(&want);
	bd_test_sh("rm -rf '%s'", base);
}

/* What bd_root_open gives for host (inside the root r): rc, and the
 * message's end when it fails. */
/* When set, expect_open opens through it (bd_root_open_in), and a file
 * it opens must be the one bd_root_open opens. */
static struct bd_dir_cache *cache;

static void same_file(const struct bd_root *r, const char *host, unsigned flags,
		      uint64_t max, const struct stat *st)
{
	struct bd_error e;
	struct stat want;
	int fd = -1;

	CU_ASSERT_EQUAL_FATAL(bd_root_open(r, host, flags, max, &fd, &want, &e),
			      0);
	CU_ASSERT(st->st_dev == want.st_dev && st->st_ino == want.st_ino);
	close(fd);
}

static void expect_open(const struct bd_root *r, const char *rel,
			unsigned flags, uint64_t max, int rc, const char *why)
{
	char host[256];
	struct bd_error e;
	struct stat st;
	int fd = -1, got;

	snprintf(host, sizeof(host), "%s%s", r ? r->host : dir, rel);
	bd_error_clear(&e);
	got = cache ? bd_root_open_in(r, cache, host, flags, max, &fd, &st, &e)
		    : bd_root_open(r, host, flags, max, &fd, &st, &e);
	CU_ASSERT_EQUAL(got, rc);
	if (got != rc)
		fprintf(stderr, "\n  %s: got %d (%s)\n", rel, got, e.msg);
	if (!got) {
		CU_ASSERT(fd >= 0 && S_ISREG(st.st_mode));
		close(fd);
		if (cache)
			same_file(r, host, flags, max, &st);
	} else {
		CU_ASSERT_EQUAL(fd, -1);
		if (why)
			CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, why));
	}
}

#define BD_LISTED (BD_OPEN_LISTED_REGULAR | BD_OPEN_LISTED_NAME)

/* A pass's way to open: as a listed regular file or not, from a
 * directory kept in dirs (made empty) or not. Returns the flags. */
static unsigned open_way(struct bd_dir_cache *dirs, bool listed, bool kept)
{
	bd_dir_cache_init(dirs);
	cache = kept ? dirs : NULL;
	return listed ? BD_LISTED : 0;
}

/* Each case with openat2 and with the portable resolution. */
static void test_safe_open(void)
{
	char cmd[128], big[4096];
	struct bd_root r;
	int pass;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(dir, sizeof(dir), "/tmp/bd-open-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_write(dir, "/secret", "host file");
	bd_test_mk(dir, "/root/", NULL);
	bd_test_mk(dir, "/root/etc/", NULL);
	bd_test_write(dir, "/root/etc/plain", "text");
	bd_test_write(dir, "/root/etc/\xff\xfe", "bytes that are no UTF-8");
	bd_test_write(dir, "/root/etc/big", big);
	bd_test_mk(dir, "/root/etc/rel", "plain");
	bd_test_mk(dir, "/root/etc/loop", "loop");
	snprintf(cmd, sizeof(cmd), "%s/secret", dir);
	bd_test_mk(dir, "/root/etc/abs", cmd); /* root + that path */
	bd_test_mk(dir, "/root/etc/up", "../../../../secret");
	bd_test_mk(dir, "/root/dir", "/etc"); /* a directory link */
	snprintf(cmd, sizeof(cmd), "%s/root/etc/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(cmd, 0600), 0);
	snprintf(cmd, sizeof(cmd), "%s/root", dir);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, cmd, NULL), 0);
	/* Each with openat2 and without, careful and as a listed regular
	 * file (which a FIFO or directory swapped in must not pass as), and
	 * from a directory kept open: the same answers. */
	for (pass = 0; pass < 8; pass++) {
		struct bd_dir_cache dirs;
		unsigned l = open_way(&dirs, pass & 2, pass & 4);

		bd_root_use_openat2(!(pass & 1));
		expect_open(&r, "/etc/plain", l, 0, 0, NULL);
		expect_open(&r, "/etc/\xff\xfe", l, 0, 0, NULL);
		expect_open(&r, "/etc/rel", l, 0, 0, NULL);
		expect_open(&r, "/dir/plain", l, 0, 0, NULL);
		expect_open(&r, "/etc/rel", l | BD_OPEN_NOFOLLOW, 0, BD_EIO,
			    "a symlink, not followed");
		expect_open(&r, "/etc/fifo", l, 0, BD_EIO, "a FIFO");
		expect_open(&r, "/etc", l, 0, BD_EIO, "a directory");
		expect_open(&r, "/etc/loop", l, 0, BD_EIO, "symlink loop");
		expect_open(&r, "/etc/abs", l, 0, BD_ENOENT, "cannot open");
		expect_open(&r, "/etc/up", l, 0, BD_ENOENT, "cannot open");
		expect_open(&r, "/etc/none", l, 0, BD_ENOENT, NULL);
		expect_open(&r, "/etc/big", l, 100, BD_ELIMIT, "larger than");
		expect_open(&r, "/etc/big", l, 4096, 0, NULL);
		expect_open(&r, "/../secret", l, 0, BD_ENOENT, NULL);
		bd_dir_cache_release(&dirs);
	}
	bd_root_use_openat2(true);
	/* On the host, the same checks without confinement. */
	for (pass = 0; pass < 4; pass++) {
		struct bd_dir_cache dirs;
		unsigned l = open_way(&dirs, pass & 1, pass & 2);

		expect_open(NULL, "/root/etc/fifo", l, 0, BD_EIO, "a FIFO");
		expect_open(NULL, "/root/etc/abs", l, 0, 0, NULL);
		expect_open(NULL, "/root/etc/rel", l | BD_OPEN_NOFOLLOW, 0,
			    BD_EIO, NULL);
		expect_open(NULL, "/root/etc/plain", l | BD_OPEN_NOFOLLOW, 0, 0,
			    NULL);
		bd_dir_cache_release(&dirs);
	}
	cache = NULL;
	bd_root_release(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A directory kept open while its file and then the directory itself are
 * swapped for links to the host's: neither is followed out of the root
 * (the file's link is not followed from the directory, and the careful
 * open resolves it in the root; the directory open is the old one, inside
 * the root). */
static void test_open_in_swapped(void)
{
	char cmd[256], path[128], link[160];
	struct bd_dir_cache dirs;
	struct stat st, secret;
	struct bd_error e;
	struct bd_root r;
	int fd = -1;

	snprintf(dir, sizeof(dir), "/tmp/bd-open-in-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "/host/", NULL);
	bd_test_write(dir, "/host/plain", "host file");
	bd_test_write(dir, "/host/other", "host file");
	bd_test_mk(dir, "/root/", NULL);
	bd_test_mk(dir, "/root/etc/", NULL);
	bd_test_write(dir, "/root/etc/plain", "text");
	bd_test_write(dir, "/root/etc/other", "text");
	snprintf(path, sizeof(path), "%s/host/plain", dir);
	CU_ASSERT_EQUAL_FATAL(stat(path, &secret), 0);
	snprintf(path, sizeof(path), "%s/root", dir);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, path, NULL), 0);
	bd_dir_cache_init(&dirs);
	snprintf(path, sizeof(path), "%s/root/etc/plain", dir);
	CU_ASSERT_EQUAL(
		bd_root_open_in(&r, &dirs, path, BD_LISTED, 0, &fd, &st, &e),
		0);
	close(fd);
	CU_ASSERT(dirs.fd >= 0); /* kept for the next file in etc */
	/* The file becomes a link to the host's (an absolute link: inside
	 * the root, the root's /tmp/..., where nothing is). */
	unlink(path);
	snprintf(link, sizeof(link), "%s/host/plain", dir);
	CU_ASSERT_EQUAL_FATAL(symlink(link, path), 0);
	fd = -1;
	CU_ASSERT_EQUAL(
		bd_root_open_in(&r, &dirs, path, BD_LISTED, 0, &fd, &st, &e),
		BD_ENOENT);
	CU_ASSERT_EQUAL(fd, -1);
	/* The directory becomes a link to the host's: "other" is still the
	 * root's, from the directory kept, or not found; never the host's. */
	snprintf(cmd, sizeof(cmd), "mv %s/root/etc %s/root/etc.old", dir, dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/root/etc", dir);
	snprintf(link, sizeof(link), "%s/host", dir);
	CU_ASSERT_EQUAL_FATAL(symlink(link, path), 0);
	snprintf(path, sizeof(path), "%s/root/etc/other", dir);
	fd = -1;
	if (!bd_root_open_in(&r, &dirs, path, BD_LISTED, 0, &fd, &st, &e)) {
		CU_ASSERT(st.st_ino != secret.st_ino);
		snprintf(link, sizeof(link), "%s/root/etc.old/other", dir);
		CU_ASSERT_EQUAL(stat(link, &secret), 0);
		CU_ASSERT(st.st_ino == secret.st_ino);
		close(fd);
	}
	bd_dir_cache_release(&dirs);
	CU_ASSERT_EQUAL(dirs.fd, -1);
	bd_root_release(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* bd_root_host_of's answer for path (from base): rc, errno's when it is
 * BD_ENOENT (0: not checked), and on success the host path, which must be
 * the root's directory + want (real the same without it). */
static void expect_host_of(const struct bd_root *r, const char *base,
			   const char *path, int rc, int why, const char *want)
{
	struct bd_buf real = BD_BUF_INIT, host = BD_BUF_INIT;
	struct bd_error e;
	int got, errnum;

	bd_buf_adds(&host, "stale");
	bd_error_clear(&e);
	got = bd_root_host_of(r, base, path, &real, &host, &e);
	errnum = errno;
	CU_ASSERT_EQUAL(got, rc);
	if (got != rc)
		fprintf(stderr, "\n  %.60s: got %d (%s)\n", path, got, e.msg);
	if (!rc && !got) {
		CU_ASSERT_EQUAL(strncmp(host.data, r->host, r->hostlen), 0);
		CU_ASSERT_STRING_EQUAL(host.data + r->hostlen, want);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&real), want);
		CU_ASSERT_EQUAL(e.code, 0);
	} else if (rc) {
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&host),
				       ""); /* no stale path */
		CU_ASSERT_EQUAL(e.code, rc);
		CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "': "));
		if (why)
			CU_ASSERT_EQUAL(errnum, why);
	}
	/* The same answer without the canonical path or the message. */
	CU_ASSERT_EQUAL(bd_root_host_of(r, base, path, NULL, &host, NULL), rc);
	bd_buf_release(&real);
	bd_buf_release(&host);
}

/*
 * The inside-path-to-host-path helper: links out of the root (absolute,
 * and by "..") are followed inside it; a loop, a missing component, a file
 * mid-path and a path of PATH_MAX bytes or more are refused with errno
 * saying which. A FIFO at the end is given: resolving names opens nothing,
 * and it is the open that follows (bd_root_open) that refuses it, unread,
 * so that a caller cannot block on it whichever helper it went through.
 */
static void test_host_of(void)
{
	char base[] = "/tmp/bd-hostof-XXXXXX", path[PATH_MAX + 64];
	struct bd_buf host = BD_BUF_INIT;
	struct bd_error e;
	struct bd_root r;
	struct stat st;
	size_t n;
	int fd = -1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	bd_test_write(base, "/secret", "the host's");
	bd_test_mk(base, "/root/", NULL);
	bd_test_mk(base, "/root/etc/", NULL);
	bd_test_write(base, "/root/etc/plain", "text");
	bd_test_write(base, "/root/secret", "the root's");
	snprintf(path, sizeof(path), "%s/secret", base);
	bd_test_mk(base, "/root/etc/abs-out", path); /* root + that path */
	bd_test_mk(base, "/root/etc/abs-in", "/secret");
	bd_test_mk(base, "/root/etc/up", "../../../../../secret");
	bd_test_mk(base, "/root/etc/loop1", "loop2");
	bd_test_mk(base, "/root/etc/loop2", "loop1");
	bd_test_mk(base, "/root/lib", "etc"); /* a directory link */
	snprintf(path, sizeof(path), "%s/root/etc/fifo", base);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/root", base);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&r, path, NULL), 0);

	expect_host_of(&r, NULL, "/etc/plain", 0, 0, "/etc/plain");
	expect_host_of(&r, "/etc", "plain", 0, 0, "/etc/plain");
	expect_host_of(&r, NULL, "/lib/plain", 0, 0, "/etc/plain");
	/* Out of the root: an absolute link is the root's path, where the
	 * host's directory is not; one to /secret and ".." past "/" are the
	 * root's /secret, never the host's. */
	expect_host_of(&r, NULL, "/etc/abs-out", BD_ENOENT, ENOENT, NULL);
	expect_host_of(&r, NULL, "/etc/abs-in", 0, 0, "/secret");
	expect_host_of(&r, NULL, "/etc/up", 0, 0, "/secret");
	expect_host_of(&r, "/etc", "../../../secret", 0, 0, "/secret");
	expect_host_of(&r, NULL, "/etc/loop1", BD_ELIMIT, 0, NULL);
	expect_host_of(&r, NULL, "/etc/none/plain", BD_ENOENT, ENOENT, NULL);
	expect_host_of(&r, NULL, "/etc/plain/x", BD_ENOENT, ENOTDIR, NULL);
	bd_error_clear(&e);
	CU_ASSERT_EQUAL(
		bd_root_host_of(&r, NULL, "/etc/loop1", NULL, &host, &e),
		BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(e.msg, "'/etc/loop1': symlink loop");
	/* "/etc/././...//plain": PATH_MAX - 1 bytes are resolved, as open(2)
	 * would take them; PATH_MAX bytes are not. */
	strcpy(path, "/etc");
	for (n = strlen(path); n + 2 + strlen("/plain") < PATH_MAX; n += 2)
		strcat(path, "/.");
	for (; n + strlen("/plain") < PATH_MAX - 1; n++)
		strcat(path, "/");
	strcat(path, "/plain");
	CU_ASSERT_EQUAL(strlen(path), PATH_MAX - 1);
	expect_host_of(&r, NULL, path, 0, 0, "/etc/plain");
	memmove(path + 1, path, strlen(path) + 1); /* "//etc/./..." */
	CU_ASSERT_EQUAL(strlen(path), PATH_MAX);
	expect_host_of(&r, NULL, path, BD_ENOENT, ENAMETOOLONG, NULL);
	/* The FIFO: given by the helper, refused by the open, which does not
	 * block on it. */
	expect_host_of(&r, NULL, "/etc/fifo", 0, 0, "/etc/fifo");
	snprintf(path, sizeof(path), "%s/root/etc/fifo", base);
	alarm(30); /* a FIFO opened for reading would block for good */
	CU_ASSERT_EQUAL(bd_root_open(&r, path, 0, 0, &fd, &st, &e), BD_EIO);
	alarm(0);
	CU_ASSERT_EQUAL(fd, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "a FIFO"));
	bd_root_release(&r);
	bd_buf_release(&host);
	bd_test_sh("rm -rf '%s'", base);
}

/* The kernel's file systems are named; the others, and a bad descriptor,
 * are not. */
static void test_kernel_fs(void)
{
	static const struct {
		const char *path, *fs;
	} dirs[] = { { "/proc", "proc" },
		     { "/sys", "sysfs" },
		     { "/tmp", NULL },
		     { "/usr", NULL } };
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int fd = open(dirs[i].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		const char *fs;

		CU_ASSERT_FATAL(fd >= 0);
		fs = bd_kernel_fs(fd);
		if (dirs[i].fs) {
			CU_ASSERT(fs && !strcmp(fs, dirs[i].fs));
		} else {
			CU_ASSERT_PTR_NULL(fs);
		}
		close(fd);
	}
	CU_ASSERT_PTR_NULL(bd_kernel_fs(-1));
}

void bd_test_register_root(void)
{
	BD_SUITE("root", BD_TEST(test_confined_resolution),
		 BD_TEST(test_host_root), BD_TEST(test_resolve_stat),
		 BD_TEST(test_resolve_in_steps), BD_TEST(test_resolve_metered),
		 BD_TEST(test_resolve_memo_linear), BD_TEST(test_safe_open),
		 BD_TEST(test_open_in_swapped), BD_TEST(test_host_of),
		 BD_TEST(test_kernel_fs));
}
