/* SPDX-License-Identifier: MIT */
/*
 * The input stage's private directory (src/input.c, src/input_read.c):
 * paths in it are never looked up through a symlink an artifact made, the
 * walk never lists it, and the child that removes it stands apart from our
 * process group. Each test makes its own private directory under a fresh
 * base directory.
 */
#include "unit.h"
#include "bindep/graph.h"
#include "bindep/input.h"
#include "../../src/input_private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];

static void fresh_base(void)
{
	snprintf(base, sizeof(base), "/tmp/bd-input-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
}

static void remove_base(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* An input whose private directory is made under base. */
static void private_input(struct bd_input *in)
{
	struct bd_input_options o = { 0 };
	struct bd_error err;

	fresh_base();
	o.tmpdir = base;
	bd_input_init(in, &o, NULL);
	CU_ASSERT_EQUAL_FATAL(bd_input_private(in, &err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in->rootdir);
}

/*
 * "lib -> d/up/.." with "d/up -> ..": inside the tree when read lexically,
 * the private directory itself on the host (which holds "nest"). Nothing
 * is looked up through it, and an entry below it is not where the layout
 * put anything.
 */
static void test_lstat_never_through_a_symlink(void)
{
	struct bd_input_dir dir;
	struct bd_input in;
	int i;
	struct bd_input_artifact a;
	struct stat st;
	char *inside = NULL;

	private_input(&in);
	bd_test_mk(in.rootdir, "t/", NULL);
	bd_test_mk(in.rootdir, "t/d/", NULL);
	bd_test_mk(in.rootdir, "t/d/up", "..");
	bd_test_mk(in.rootdir, "t/lib", "d/up/../..");
	/* The kernel goes out of the tree... */
	CU_ASSERT_EQUAL(fstatat(in.rootfd, "t/lib/nest", &st, 0), 0);
	/* ...bd_input_lstat does not, with a directory kept or without. */
	bd_input_dir_init(&dir);
	for (i = 0; i < 2; i++) {
		struct bd_input_dir *d = i ? &dir : NULL;

		errno = 0;
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/lib/nest", &st), -1);
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/d/up/t", &st), -1);
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/d/../t", &st), -1);
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/lib", &st), 0);
		CU_ASSERT(S_ISLNK(st.st_mode));
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/d", &st), 0);
		CU_ASSERT(S_ISDIR(st.st_mode));
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/none", &st), -1);
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t//d", &st), -1);
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "/t", &st), -1);
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/", &st), -1);
		/* "t" kept: a path through its link is still refused. */
		CU_ASSERT_EQUAL(bd_input_lstat(&in, d, "t/lib/nest", &st), -1);
	}
	CU_ASSERT_STRING_EQUAL(dir.rel.data, "t");
	bd_input_dir_release(&dir);

	memset(&a, 0, sizeof(a));
	a.tree = "t";
	a.mount = "/t/";
	CU_ASSERT_EQUAL(bd_input_place(&in, NULL, &a, "lib/nest", &inside),
			BD_ENOENT);
	CU_ASSERT_EQUAL(bd_input_place(&in, NULL, &a, "d/up", &inside), 0);
	CU_ASSERT_STRING_EQUAL(inside, "/t/d/up");
	bd_input_release(&in);
	remove_base();
}

/* The files of one directory 127 deep: each found by one lstat in the
 * directory kept, opened once for all of them. */
static void test_lstat_keeps_the_directory(void)
{
	struct bd_input_dir dir;
	struct bd_input in;
	struct stat st;
	struct bd_buf rel = BD_BUF_INIT;
	int i, fd, kept = -1, found = 0;

	private_input(&in);
	fd = dup(in.rootfd);
	for (i = 0; i < 127 && fd >= 0; i++) {
		int next;

		CU_ASSERT_EQUAL(mkdirat(fd, "d", 0700), 0);
		next = openat(fd, "d", O_PATH | O_DIRECTORY);
		close(fd);
		fd = next;
		bd_buf_adds(&rel, i ? "/d" : "d");
	}
	for (i = 0; i < 300 && fd >= 0; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		close(openat(fd, name, O_CREAT | O_WRONLY, 0600));
	}
	close(fd);
	CU_ASSERT_FATAL(bd_buf_ok(&rel));
	bd_input_dir_init(&dir);
	for (i = 0; i < 300; i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/f%d", rel.data, i);
		found += !bd_input_lstat(&in, &dir, path, &st) &&
			 S_ISREG(st.st_mode);
		if (!i)
			kept = dir.fd;
		CU_ASSERT_EQUAL(dir.fd, kept);
	}
	CU_ASSERT_EQUAL(found, 300);
	CU_ASSERT_STRING_EQUAL(dir.rel.data, rel.data);
	bd_input_dir_release(&dir);
	bd_buf_release(&rel);
	bd_input_release(&in);
	remove_base();
}

/* A walked directory that holds the private directory: its files are
 * dropped from the walk (they are the artifacts', listed by their
 * locations), the others kept. */
static void test_walk_skips_private(void)
{
	struct bd_input in;
	struct bd_walk w;
	struct bd_root root;
	struct bd_error err;
	const char *paths[1];
	char plain[128];

	private_input(&in);
	bd_test_write(in.rootdir, "x.so", "x");
	bd_test_write(base, "plain", "p");
	snprintf(plain, sizeof(plain), "%s/plain", base);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, &err), 0);
	bd_walk_init(&w);
	w.root = &root;
	paths[0] = base;
	CU_ASSERT_EQUAL_FATAL(bd_walk_paths(&w, paths, 1, NULL, &err), 0);
	CU_ASSERT_EQUAL(w.nfiles, 2);
	CU_ASSERT_EQUAL(bd_input_walked(&in, &w, &root, &err), 0);
	CU_ASSERT_EQUAL_FATAL(w.nfiles, 1);
	CU_ASSERT_STRING_EQUAL(w.files[0].host, plain);
	bd_walk_release(&w);
	bd_input_release(&in);
	bd_root_release(&root);
	remove_base();
}

/* Whether process pid has a descriptor on the object named target (as
 * /proc/PID/fd/N reads: "pipe:[123]"). */
static bool holds(pid_t pid, const char *target)
{
	char dir[64], path[320], link[128];
	struct dirent *de;
	bool found = false;
	DIR *d;
	ssize_t n;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)) && !found) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			found = !strcmp(link, target);
		}
	}
	closedir(d);
	return found;
}

/*
 * The child that removes the private directory is in a session of its own
 * (a kill of our process group does not reach it), has /dev/null on 0, 1
 * and 2, and holds no pipe we were given (valgrind's own descriptors may
 * be there too: only ours are looked for).
 */
static void test_sentinel_stands_apart(void)
{
	struct bd_input in;
	char pipe_name[64], fd1[64], target[64] = "";
	struct stat st;
	ssize_t n;
	int p[2], i;

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0); /* not close-on-exec: inherited */
	CU_ASSERT_EQUAL_FATAL(fstat(p[0], &st), 0);
	snprintf(pipe_name, sizeof(pipe_name), "pipe:[%lu]",
		 (unsigned long)st.st_ino);
	private_input(&in);
	CU_ASSERT_FATAL(in.sentinel > 0);
	snprintf(fd1, sizeof(fd1), "/proc/%d/fd/1", (int)in.sentinel);
	/* Until it has set itself up. */
	for (i = 0; i < 500 && (holds(in.sentinel, pipe_name) ||
				strcmp(target, "/dev/null"));
	     i++) {
		usleep(10000);
		n = readlink(fd1, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
	}
	CU_ASSERT_STRING_EQUAL(target, "/dev/null");
	CU_ASSERT_FALSE(holds(in.sentinel, pipe_name));
	CU_ASSERT_NOT_EQUAL(getsid(in.sentinel), getsid(0));
	close(p[0]);
	close(p[1]);
	bd_input_release(&in);
	remove_base();
}

struct warnings {
	size_t n;
	char last[512];
};

static void on_warning(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct warnings *w = ctx;

	if (level != BD_DIAG_WARNING)
		return;
	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

/* base/tN.tar (N from 0 to count-1), each of n symlinks "l/xI -> y". */
static void tarballs(size_t count, size_t n)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import io, sys, tarfile\n"
		 "for t in range(%zu):\n"
		 " with tarfile.open(\"%s/t%%d.tar\" %% t, \"w\") as f:\n"
		 "  for i in range(%zu):\n"
		 "   ti = tarfile.TarInfo(\"l/x%%d\" %% i)\n"
		 "   ti.type, ti.linkname = tarfile.SYMTYPE, \"y\"\n"
		 "   f.addfile(ti)'",
		 count, base, n);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

/*
 * The entries an artifact lists (its ELF files, links, nested archives)
 * are capped per artifact and per run, each cap with one warning naming
 * the artifact; what is past a cap is not written either.
 */
static void test_entries_capped(void)
{
	struct bd_input_options o = { 0 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	struct bd_error err;
	struct stat st;
	char paths[5][96], rel[96];
	const char *argv[5];
	size_t i, total = 0;

	fresh_base();
	tarballs(5, 10);
	tarballs(1, 30); /* t0: 30 entries */
	for (i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/t%zu.tar", base, i);
		argv[i] = paths[i];
	}
	o.tmpdir = base;
	o.max_entries = 10; /* 40 in the run */
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 1, &err), 0);
	CU_ASSERT_EQUAL_FATAL(in.narts, 1);
	CU_ASSERT_EQUAL(in.arts[0].nentries, 10);
	CU_ASSERT_EQUAL(got.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(got.last, "t0.tar': more than 10 "));
	snprintf(rel, sizeof(rel), "%s/l/x10", in.arts[0].tree);
	CU_ASSERT_NOT_EQUAL(fstatat(in.rootfd, rel, &st, AT_SYMLINK_NOFOLLOW),
			    0); /* past the cap: not written */
	bd_input_release(&in);

	got.n = 0;
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv + 1, 4, &err), 0);
	CU_ASSERT_EQUAL_FATAL(in.narts, 4);
	for (i = 0; i < in.narts; i++)
		total += in.arts[i].nentries;
	CU_ASSERT_EQUAL(total, 40);
	CU_ASSERT_EQUAL(got.n, 0);
	bd_input_release(&in);

	got.n = 0;
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 5, &err), 0);
	for (i = 0, total = 0; i < in.narts; i++)
		total += in.arts[i].nentries;
	CU_ASSERT_EQUAL(total, 40);
	CU_ASSERT_EQUAL(got.n, 2); /* t0's own, then the run's */
	CU_ASSERT_PTR_NOT_NULL(strstr(got.last, "more than 40 "));
	bd_input_release(&in);
	remove_base();
}

/* base/t.tar: o/a/b/x.so and w.whl, a zip of p/q/y.so, p/z.so and
 * r/s/t.so; base/t2.tar: m/n/o.so. Each .so an ELF header alone. */
static void deep_tarballs(void)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import io, tarfile, zipfile\n"
		 "elf = b\"\\x7fELF\\x02\\x01\\x01\" + bytes(13)\n"
		 "def tar(path, files):\n"
		 " with tarfile.open(path, \"w\") as f:\n"
		 "  for name, data in files:\n"
		 "   ti = tarfile.TarInfo(name)\n"
		 "   ti.size = len(data)\n"
		 "   f.addfile(ti, io.BytesIO(data))\n"
		 "w = io.BytesIO()\n"
		 "with zipfile.ZipFile(w, \"w\") as z:\n"
		 " for name in (\"p/q/y.so\", \"p/z.so\", \"r/s/t.so\"):\n"
		 "  z.writestr(name, elf + name.encode())\n"
		 "tar(\"%1$s/t.tar\", [(\"o/a/b/x.so\", elf + b\"x\"),\n"
		 "                     (\"w.whl\", w.getvalue())])\n"
		 "tar(\"%1$s/t2.tar\", [(\"m/n/o.so\", elf + b\"o\")])'",
		 base);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

/*
 * The directories made for entry names that no entry lists are one
 * budget for an artifact and the archives nested in it (a wheel in a
 * tarball), not one per level; the next artifact given has its own. Past
 * it, one warning naming the archive read, the entries needing more are
 * not written and not kept, and that archive is not whole.
 */
static void test_implied_one_budget(void)
{
	struct bd_input_options o = { 0 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	struct bd_error err;
	char t[96], t2[96], want[256];
	const char *argv[] = { t, t2 };

	fresh_base();
	deep_tarballs();
	snprintf(t, sizeof(t), "%s/t.tar", base);
	snprintf(t2, sizeof(t2), "%s/t2.tar", base);
	o.tmpdir = base;
	o.max_implied = 5; /* o, o/a, o/a/b; then p, p/q */
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 2, &err), 0);
	CU_ASSERT_EQUAL_FATAL(in.narts, 3);
	CU_ASSERT_EQUAL(got.n, 1);
	snprintf(want, sizeof(want),
		 "'%s!/w.whl': more than 5 directories made for entry names "
		 "that no entry lists, in the artifact: the entries needing "
		 "more are skipped",
		 t);
	CU_ASSERT_STRING_EQUAL(got.last, want);
	CU_ASSERT_STRING_EQUAL(in.arts[1].display + strlen(t), "!/w.whl");
	CU_ASSERT_EQUAL(in.arts[1].nentries, 2); /* not r/s/t.so */
	CU_ASSERT_PTR_NOT_NULL(in.arts[1].error);
	if (in.arts[1].error)
		CU_ASSERT_PTR_NOT_NULL(
			strstr(in.arts[1].error, "more than 5 directories"));
	CU_ASSERT_PTR_NULL(in.arts[0].error);
	CU_ASSERT_EQUAL(in.arts[2].nentries, 1); /* a budget of its own */
	CU_ASSERT_PTR_NULL(in.arts[2].error);
	bd_input_release(&in);
	remove_base();
}

/* base/l.tar: top/ and top/d0/ to top/d9/, top/deep/a/ listed, with
 * top/deep/a/x.so; w.whl, a zip of z/, z/y/ and e/ listed, with
 * z/y/in.so; p.deb, whose data.tar lists ./usr/, ./usr/lib/ and
 * ./usr/share/, with ./usr/lib/libp.so. base/l2.tar lists q/. */
static void listed_tarballs(void)
{
	static const char script[] =
		"import io, sys, tarfile, zipfile\n"
		"elf = b'\\x7fELF\\x02\\x01\\x01' + bytes(13)\n"
		"def tar(files):\n"
		" b = io.BytesIO()\n"
		" with tarfile.open(fileobj=b, mode='w') as f:\n"
		"  for name, data in files:\n"
		"   ti = tarfile.TarInfo(name)\n"
		"   if data is None:\n"
		"    ti.type = tarfile.DIRTYPE\n"
		"   else:\n"
		"    ti.size = len(data)\n"
		"   f.addfile(ti, None if data is None else io.BytesIO(data))\n"
		" return b.getvalue()\n"
		"def ar(members):\n"
		" out = b'!<arch>\\n'\n"
		" for name, data in members:\n"
		"  out += b'%-16s%-12d%-6d%-6d%-8o%-10d`\\n' % "
		"(name, 0, 0, 0, 0o100644, len(data)) + data\n"
		"  out += b'\\n' * (len(data) % 2)\n"
		" return out\n"
		"w = io.BytesIO()\n"
		"with zipfile.ZipFile(w, 'w') as z:\n"
		" for name in ('z/', 'z/y/', 'e/'):\n"
		"  z.writestr(zipfile.ZipInfo(name), b'')\n"
		" z.writestr('z/y/in.so', elf + b'in')\n"
		"control = tar([('./control', b'Package: p\\nVersion: 1\\n"
		"Architecture: amd64\\n')])\n"
		"data = tar([('./usr/', None), ('./usr/lib/', None),\n"
		"            ('./usr/share/', None),\n"
		"            ('./usr/lib/libp.so', elf + b'p')])\n"
		"deb = ar([(b'debian-binary', b'2.0\\n'),\n"
		"          (b'control.tar', control), (b'data.tar', data)])\n"
		"top = [('top/', None)] + [('top/d%d/' % i, None)\n"
		"                          for i in range(10)]\n"
		"open(sys.argv[1] + '/l.tar', 'wb').write(tar(top + [\n"
		" ('top/deep/', None), ('top/deep/a/', None),\n"
		" ('top/deep/a/x.so', elf + b'x'), ('w.whl', w.getvalue()),\n"
		" ('p.deb', deb)]))\n"
		"open(sys.argv[1] + '/l2.tar', 'wb').write(tar([('q/', "
		"None)]))\n";
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "%s/mk.py", base);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(script, f);
	fclose(f);
	bd_test_sh("python3 %1$s/mk.py %1$s && rm %1$s/mk.py", base);
}

/* The directories under the input's private directory. */
static size_t dirs_made(const struct bd_input *in)
{
	return bd_test_tree_count(in->tmp, true);
}

/* Whether an artifact of in kept an entry named name. */
static bool kept(const struct bd_input *in, const char *name)
{
	size_t i, j;

	for (i = 0; i < in->narts; i++)
		for (j = 0; j < in->arts[i].nentries; j++)
			if (!strcmp(in->arts[i].entries[j].name, name))
				return true;
	return false;
}

/*
 * The directories an artifact's entries list are one budget for it and
 * the archives nested in it (a wheel, a .deb's data.tar); the next
 * artifact has its own. Past it, one warning naming the archive read,
 * and a listed directory is not made unless a file kept below it needs
 * it, then made as an implied one: the ELF files are all kept, and the
 * artifact is whole. 100,000 listed in a 958 KB .tar.gz made 100,000.
 */
static void test_listed_one_budget(void)
{
	struct bd_input_options o = { 0 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	struct bd_error err;
	char t[96], t2[96], want[256];
	const char *argv[] = { t, t2 };
	size_t all, i;

	fresh_base();
	listed_tarballs();
	snprintf(t, sizeof(t), "%s/l.tar", base);
	snprintf(t2, sizeof(t2), "%s/l2.tar", base);
	o.tmpdir = base;
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 1, &err), 0);
	CU_ASSERT_EQUAL(got.n, 0);
	all = dirs_made(&in);
	bd_input_release(&in);

	o.max_listed = 8; /* top, top/d0 to top/d6 */
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 1, &err), 0);
	CU_ASSERT_EQUAL(in.listed.made, 8);
	/* top/deep, top/deep/a; z, z/y; usr, usr/lib */
	CU_ASSERT_EQUAL(in.implied.made, 6);
	/* Not made: top/d7 to top/d9, e, usr/share. */
	CU_ASSERT_EQUAL(dirs_made(&in), all - 5);
	CU_ASSERT_EQUAL(got.n, 1);
	snprintf(want, sizeof(want),
		 "'%s': more than 8 directories listed as entries, in the "
		 "artifact: the rest are made only above what is kept",
		 t);
	CU_ASSERT_STRING_EQUAL(got.last, want);
	CU_ASSERT(kept(&in, "top/deep/a/x.so"));
	CU_ASSERT(kept(&in, "z/y/in.so"));
	CU_ASSERT(kept(&in, "usr/lib/libp.so"));
	for (i = 0; i < in.narts; i++)
		CU_ASSERT_PTR_NULL(in.arts[i].error);
	bd_input_release(&in);

	got.n = 0; /* the next artifact: a budget of its own */
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 2, &err), 0);
	CU_ASSERT_EQUAL(got.n, 1);
	CU_ASSERT_EQUAL(in.listed.made, 1);
	bd_input_release(&in);
	remove_base();
}

/*
 * Six tarballs m0.tar to m5.tar in base, each written by the Python lines
 * body (t the open tarfile, elf an ELF header to hand), read with o into
 * in (warnings to diag, counted in got): one warning, naming the fifth,
 * its text after the path said. The caller checks the rest, then
 * releases in and removes base.
 */
static void read_six(struct bd_input *in, struct bd_input_options *o,
		     struct bd_diag *diag, const struct warnings *got,
		     const char *body, const char *said)
{
	struct bd_error err;
	char paths[6][96], want[320], script[1024];
	const char *argv[6];
	size_t i;

	fresh_base();
	snprintf(script, sizeof(script),
		 "python3 -c 'import io, sys, tarfile\n"
		 "elf = b\"\\x7fELF\\x02\\x01\\x01\" + bytes(13)\n"
		 "for k in range(6):\n"
		 " with tarfile.open(sys.argv[1] + \"/m%%d.tar\" %% k, \"w\") "
		 "as t:\n"
		 "%s'",
		 body);
	bd_test_sh("%s %s", script, base);
	for (i = 0; i < 6; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/m%zu.tar", base, i);
		argv[i] = paths[i];
	}
	o->tmpdir = base;
	bd_input_init(in, o, diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(in, argv, 6, &err), 0);
	CU_ASSERT_EQUAL(got->n, 1);
	snprintf(want, sizeof(want), "'%s': %s", paths[4], said);
	CU_ASSERT_STRING_EQUAL(got->last, want);
}

/*
 * The artifacts of a run make four times an artifact's listed directories
 * in all: the fifth of five tarballs that each list 8, at a cap of 8,
 * makes none, one warning naming it and the run's cap, and its ELF file
 * below them is still kept (as another warning would not be said).
 */
static void test_listed_run_budget(void)
{
	struct bd_input_options o = { .max_listed = 8 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	size_t i;

	read_six(&in, &o, &diag, &got,
		 "  for i in range(8):\n"
		 "   t.addfile(tarfile.TarInfo(\"d%d/\" % i), None)\n"
		 "   t.members[-1].type = tarfile.DIRTYPE\n"
		 "  ti = tarfile.TarInfo(\"d7/x.so\")\n"
		 "  ti.size = len(elf)\n"
		 "  t.addfile(ti, io.BytesIO(elf))\n",
		 "more than 32 directories listed as entries, in the "
		 "artifacts of the run: the rest are made only above what is "
		 "kept");
	CU_ASSERT_EQUAL(in.listed.made, 32);
	CU_ASSERT_EQUAL(in.implied.made, 1); /* m5's d7, for its x.so */
	CU_ASSERT_EQUAL_FATAL(in.narts, 6);
	for (i = 0; i < in.narts; i++)
		CU_ASSERT_EQUAL(in.arts[i].nentries, 1);
	bd_input_release(&in);
	remove_base();
}

/* The files and links under the input's private directory. */
static size_t files_made(const struct bd_input *in)
{
	return bd_test_tree_count(in->tmp, false);
}

/* base/w.tar: x1.so, s1 -> x1.so, w.whl (a zip of in.so), x2.so, x3.so;
 * base/w2.tar: y.so. */
static void written_tarballs(void)
{
	bd_test_sh("python3 -c 'import io, sys, tarfile, zipfile\n"
		   "elf = b\"\\x7fELF\\x02\\x01\\x01\" + bytes(13)\n"
		   "w = io.BytesIO()\n"
		   "with zipfile.ZipFile(w, \"w\") as z:\n"
		   " z.writestr(\"in.so\", elf + b\"in\")\n"
		   "def add(t, name, data=None, link=None):\n"
		   " ti = tarfile.TarInfo(name)\n"
		   " if link:\n"
		   "  ti.type, ti.linkname = tarfile.SYMTYPE, link\n"
		   " else:\n"
		   "  ti.size = len(data)\n"
		   " t.addfile(ti, io.BytesIO(data) if data else None)\n"
		   "with tarfile.open(\"%1$s/w.tar\", \"w\") as t:\n"
		   " add(t, \"x1.so\", elf + b\"1\")\n"
		   " add(t, \"s1\", link=\"x1.so\")\n"
		   " add(t, \"w.whl\", w.getvalue())\n"
		   " add(t, \"x2.so\", elf + b\"2\")\n"
		   " add(t, \"x3.so\", elf + b\"3\")\n"
		   "with tarfile.open(\"%1$s/w2.tar\", \"w\") as t:\n"
		   " add(t, \"y.so\", elf + b\"y\")'",
		   base);
}

/*
 * The files and links written from an artifact's entries are one budget
 * for it and the archives nested in it (a wheel); the next artifact has
 * its own. Past it, one warning naming the archive read, the entries not
 * written, and each artifact that lost some is not whole (bindep:error):
 * an ELF file may be missing. 100,000 tiny ELF files in a 692 KB .tar.gz
 * took 135 s to write.
 */
static void test_written_one_budget(void)
{
	static const char why[] = "more than 4 files and links written from "
				  "its entries, the rest skipped";
	struct bd_input_options o = { 0 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	struct bd_error err;
	char t[96], t2[96], want[256];
	const char *argv[] = { t, t2 };
	size_t all;

	fresh_base();
	written_tarballs();
	snprintf(t, sizeof(t), "%s/w.tar", base);
	snprintf(t2, sizeof(t2), "%s/w2.tar", base);
	o.tmpdir = base;
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 1, &err), 0);
	CU_ASSERT_EQUAL(got.n, 0);
	CU_ASSERT(kept(&in, "x3.so") && kept(&in, "in.so"));
	all = files_made(&in);
	bd_input_release(&in);

	o.max_written = 4; /* x1.so, s1, w.whl, x2.so */
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 1, &err), 0);
	CU_ASSERT_EQUAL(in.written.made, 4);
	CU_ASSERT_EQUAL(in.written.cut, 2); /* x3.so; the wheel's in.so */
	CU_ASSERT_EQUAL(files_made(&in), all - 2);
	CU_ASSERT_EQUAL(got.n, 1);
	snprintf(want, sizeof(want),
		 "'%s': more than 4 files and links written from its "
		 "entries, in the artifact: the rest are skipped",
		 t);
	CU_ASSERT_STRING_EQUAL(got.last, want);
	CU_ASSERT(kept(&in, "x1.so") && kept(&in, "s1") && kept(&in, "x2.so"));
	CU_ASSERT_FALSE(kept(&in, "x3.so") || kept(&in, "in.so"));
	CU_ASSERT_EQUAL_FATAL(in.narts, 2);
	CU_ASSERT_STRING_EQUAL(in.arts[0].error ? in.arts[0].error : "", why);
	CU_ASSERT_STRING_EQUAL(in.arts[1].error ? in.arts[1].error : "", why);
	bd_input_release(&in);

	got.n = 0; /* the next artifact: a budget of its own */
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 2, &err), 0);
	CU_ASSERT_EQUAL(got.n, 1);
	CU_ASSERT_EQUAL(in.written.made, 1);
	CU_ASSERT(kept(&in, "y.so"));
	CU_ASSERT_PTR_NULL(in.arts[in.narts - 1].error);
	bd_input_release(&in);
	remove_base();
}

/*
 * Six tarballs of three ELF files each, named by entry ("x%d.so", or
 * "d%d/x%d.so" to imply a directory each), read with o (a cap of 3 an
 * artifact, four times it in a run): the fifth and sixth, past the run's
 * budget, keep none and are not whole, the four before them are; one
 * warning, naming the fifth: its text after the path is said.
 */
static void six_past_the_run(
	struct bd_input_options *o, const char *entry, const char *said,
	const struct bd_archive_implied *(*cap)(const struct bd_input *))
{
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	char body[256];
	size_t i;

	snprintf(body, sizeof(body),
		 "  for i in range(3):\n"
		 "   ti = tarfile.TarInfo(\"%s\" %% ((i,) * %d))\n"
		 "   ti.size = len(elf)\n"
		 "   t.addfile(ti, io.BytesIO(elf))\n",
		 entry, strchr(entry, '/') ? 2 : 1);
	read_six(&in, o, &diag, &got, body, said);
	CU_ASSERT_EQUAL(cap(&in)->made, 12);
	CU_ASSERT_EQUAL_FATAL(in.narts, 6);
	for (i = 0; i < in.narts; i++) {
		CU_ASSERT_EQUAL(in.arts[i].nentries, i < 4 ? 3 : 0);
		CU_ASSERT_EQUAL(in.arts[i].error != NULL, i >= 4);
	}
	bd_input_release(&in);
	remove_base();
}

static const struct bd_archive_implied *written_of(const struct bd_input *in)
{
	return &in->written;
}

static const struct bd_archive_implied *implied_of(const struct bd_input *in)
{
	return &in->implied;
}

/*
 * The artifacts of a run write four times an artifact's files and links
 * in all: the fifth of six tarballs of 3 ELF files each, at a cap of 3,
 * writes none, one warning naming it and the run's cap; the sixth none,
 * no second warning; both are not whole, the four before them are.
 */
static void test_written_run_budget(void)
{
	struct bd_input_options o = { .max_written = 3 };

	six_past_the_run(&o, "x%d.so",
			 "more than 12 files and links written from its "
			 "entries, in the artifacts of the run: the rest are "
			 "skipped",
			 written_of);
}

/*
 * The directories entry names imply have a run's budget too, four times
 * an artifact's, as the listed ones and the files written: six tarballs
 * each of three files in directories no entry lists, at 3 an artifact,
 * make 12 in all; the fifth and sixth make none, and keep no file
 * needing one. One warning, the run's; they are not whole.
 */
static void test_implied_run_budget(void)
{
	struct bd_input_options o = { .max_implied = 3 };

	six_past_the_run(&o, "d%d/x%d.so",
			 "more than 12 directories made for entry names that "
			 "no entry lists, in the artifacts of the run: the "
			 "entries needing more are skipped",
			 implied_of);
}

/*
 * Four tarballs of one ELF file each spend the run's budget (a cap of 1 an
 * artifact), then the package file made by the Python lines package (which
 * have elf, tar(files, mode) and the directory d to hand) is read:
 * it is named "p" all the same, none of its files is kept; one warning,
 * the run's, naming its member where the first file was cut, and not a
 * second one saying it has no data or no manifest; it is not whole. The
 * entries past a spent budget are not remembered either (each would be
 * looked up for nothing: 34,000 of a 100,000 symlinks' tarball cost
 * 170,000 openat(2)).
 */
static void package_past_the_run(const char *package, const char *file,
				 const char *member)
{
	struct bd_input_options o = { 0 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	struct bd_error err;
	char paths[5][96], want[256], script[2048];
	const char *argv[5];
	size_t i;

	fresh_base();
	snprintf(script, sizeof(script),
		 "python3 -c 'import io, sys, tarfile, zipfile\n"
		 "d = sys.argv[1]\n"
		 "elf = b\"\\x7fELF\\x02\\x01\\x01\" + bytes(13)\n"
		 "def tar(files, mode=\"w\"):\n"
		 " b = io.BytesIO()\n"
		 " with tarfile.open(fileobj=b, mode=mode) as t:\n"
		 "  for name, data in files:\n"
		 "   ti = tarfile.TarInfo(name)\n"
		 "   ti.size = len(data)\n"
		 "   t.addfile(ti, io.BytesIO(data))\n"
		 " return b.getvalue()\n"
		 "for k in range(4):\n"
		 " open(d + \"/m%%d.tar\" %% k, \"wb\").write(tar([(\"x.so\", "
		 "elf)]))\n"
		 "%s'",
		 package);
	bd_test_sh("%s %s", script, base);
	for (i = 0; i < 5; i++) {
		if (i < 4)
			snprintf(paths[i], sizeof(paths[i]), "%s/m%zu.tar",
				 base, i);
		else
			snprintf(paths[i], sizeof(paths[i]), "%s/%s", base,
				 file);
		argv[i] = paths[i];
	}
	o.tmpdir = base;
	o.max_written = 1;
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 5, &err), 0);
	CU_ASSERT_EQUAL(got.n, 1);
	snprintf(want, sizeof(want),
		 "'%s!/%s': more than 4 files and links written from its "
		 "entries, in the artifacts of the run: the rest are skipped",
		 paths[4], member);
	CU_ASSERT_STRING_EQUAL(got.last, want);
	CU_ASSERT_EQUAL(in.written.made, 4);
	CU_ASSERT_EQUAL(in.written.cut, 1); /* libp.so */
	CU_ASSERT_EQUAL_FATAL(in.narts, 5);
	CU_ASSERT_STRING_EQUAL(in.arts[4].name ? in.arts[4].name : "", "p");
	CU_ASSERT_EQUAL(in.arts[4].nentries, 0);
	CU_ASSERT_PTR_NOT_NULL(in.arts[4].error);
	CU_ASSERT_EQUAL(in.nentries, 4);
	bd_input_release(&in);
	remove_base();
}

/* A .deb past the run's budget still writes its control.tar and data.tar
 * (the package itself, removed once read). */
static void test_written_deb_past_the_run(void)
{
	package_past_the_run(
		"def ar(members):\n"
		" out = b\"!<arch>\\n\"\n"
		" for name, data in members:\n"
		"  out += b\"%-16s%-12d%-6d%-6d%-8o%-10d`\\n\" % "
		"(name, 0, 0, 0, 0o100644, len(data)) + data\n"
		"  out += b\"\\n\" * (len(data) % 2)\n"
		" return out\n"
		"control = tar([(\"./control\", b\"Package: p\\nVersion: 1\\n"
		"Architecture: amd64\\n\")])\n"
		"data = tar([(\"./usr/lib/libp.so\", elf)])\n"
		"open(d + \"/p.deb\", \"wb\").write(ar([(b\"debian-binary\", "
		"b\"2.0\\n\"), (b\"control.tar\", control), (b\"data.tar\", "
		"data)]))\n",
		"p.deb", "data.tar");
}

/* A .conda past it still writes its info- and pkg- tarballs (its package
 * format v2: the first names it, by info/index.json). */
static void test_written_conda_past_the_run(void)
{
	package_past_the_run(
		"index = b\"{\\\"name\\\": \\\"p\\\", \\\"version\\\": "
		"\\\"1\\\", \\\"build\\\": \\\"h0_0\\\"}\"\n"
		"with zipfile.ZipFile(d + \"/p-1-h0_0.conda\", \"w\") as z:\n"
		" z.writestr(\"metadata.json\", "
		"b\"{\\\"conda_pkg_format_version\\\": 2}\")\n"
		" z.writestr(\"info-p-1-h0_0.tar.gz\", "
		"tar([(\"info/index.json\", index)], \"w:gz\"))\n"
		" z.writestr(\"pkg-p-1-h0_0.tar.gz\", "
		"tar([(\"lib/libp.so\", elf)], \"w:gz\"))\n",
		"p-1-h0_0.conda", "pkg-p-1-h0_0.tar.gz");
}

/*
 * What a hostile .conda does with the uncounted writes of its own
 * tarballs (own_entry): fifty pkg- tarballs, of which only the first is
 * uncounted, the rest entries as others within a cap of 2; a pkg-
 * tarball cut short; a symlink named as one, pointing out of the package,
 * which is not followed. Each is still named by its info- tarball.
 */
static void test_conda_own_tarballs_hostile(void)
{
	static const char *const names[] = { "many", "cut", "link" };
	struct bd_input_options o = { .max_written = 2 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	struct bd_input in;
	struct bd_error err;
	char paths[3][96];
	const char *argv[3];
	size_t i;

	fresh_base();
	bd_test_sh(
		"python3 -c 'import io, random, sys, tarfile, zipfile\n"
		"d = sys.argv[1]\n"
		"elf = b\"\\x7fELF\\x02\\x01\\x01\" + bytes(13)\n"
		"def tgz(files):\n"
		" b = io.BytesIO()\n"
		" with tarfile.open(fileobj=b, mode=\"w:gz\") as t:\n"
		"  for name, data in files:\n"
		"   ti = tarfile.TarInfo(name)\n"
		"   ti.size = len(data)\n"
		"   t.addfile(ti, io.BytesIO(data))\n"
		" return b.getvalue()\n"
		"def conda(name, members):\n"
		" index = b\"{\\\"name\\\": \\\"\" + name.encode() + "
		"b\"\\\", \\\"version\\\": \\\"1\\\"}\"\n"
		" with zipfile.ZipFile(d + \"/\" + name + \".conda\", \"w\") "
		"as z:\n"
		"  z.writestr(\"metadata.json\", "
		"b\"{\\\"conda_pkg_format_version\\\": 2}\")\n"
		"  z.writestr(\"info-\" + name + \".tar.gz\", "
		"tgz([(\"info/index.json\", index)]))\n"
		"  for member, data in members:\n"
		"   z.writestr(member, data)\n"
		"conda(\"many\", [(\"pkg-%%02d.tar.gz\" %% k, "
		"tgz([(\"lib/l%%02d.so\" %% k, elf)])) for k in range(50)])\n"
		"conda(\"cut\", [(\"pkg-cut.tar.gz\", "
		"tgz([(\"lib/c.so\", elf + "
		"random.Random(1).randbytes(65536))])[:2000])])\n"
		"link = zipfile.ZipInfo(\"pkg-link.tar.gz\")\n"
		"link.create_system = 3\n"
		"link.external_attr = 0o120777 << 16\n"
		"conda(\"link\", [(link, \"/etc/passwd\")])' %s",
		base);
	for (i = 0; i < 3; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s.conda", base,
			 names[i]);
		argv[i] = paths[i];
	}
	o.tmpdir = base;
	bd_input_init(&in, &o, &diag);
	CU_ASSERT_EQUAL_FATAL(bd_input_paths(&in, argv, 3, &err), 0);
	CU_ASSERT_EQUAL_FATAL(in.narts, 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_STRING_EQUAL(in.arts[i].name ? in.arts[i].name : "",
				       names[i]);
		CU_ASSERT_EQUAL(in.arts[i].nentries, 0);
	}
	/* many: the first pkg- uncounted, two more written, which spend
	 * the cap; the rest of them, and every file in them, cut */
	CU_ASSERT_PTR_NOT_NULL_FATAL(in.arts[0].error);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(in.arts[0].error, "more than 2 files and links"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(in.arts[1].error);
	CU_ASSERT_PTR_NOT_NULL(strstr(in.arts[1].error, "truncated"));
	CU_ASSERT_PTR_NULL(in.arts[2].error); /* no tarball: skipped */
	CU_ASSERT_EQUAL(got.n, 2);
	bd_input_release(&in);
	remove_base();
}

/*
 * A walked file the sniff took for an archive that is gone, or a FIFO, by
 * the time it is read as one (changed under us): one warning naming it,
 * and no artifact left behind half made. An artifact without a name or a
 * digest made bd_input_graph fail with "out of memory" (exit 1).
 */
static void test_artifact_gone_before_read(void)
{
	struct bd_input_options o = { 0 };
	struct warnings got = { 0, "" };
	struct bd_diag diag = { on_warning, &got };
	const char *names[] = { "gone.whl", "fifo.whl" };
	struct bd_input in;
	struct bd_graph g;
	struct bd_error err;
	char path[96];
	size_t i;

	fresh_base();
	snprintf(path, sizeof(path), "%s/fifo.whl", base);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	o.tmpdir = base;
	bd_input_init(&in, &o, &diag);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, names[i]);
		got.n = 0;
		CU_ASSERT_EQUAL(bd_input_read(&in, NULL, path, path,
					      BD_ARCHIVE_ZIP, SIZE_MAX, 0,
					      &err),
				0);
		CU_ASSERT_EQUAL(got.n, 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(got.last, names[i]));
	}
	CU_ASSERT_EQUAL(in.narts, 0);
	bd_graph_init(&g);
	CU_ASSERT_EQUAL(bd_input_graph(&in, &g, &err), 0);
	CU_ASSERT_EQUAL(g.ncomps, 0);
	bd_graph_release(&g);
	bd_input_release(&in);
	remove_base();
}

void bd_test_register_input(void)
{
	BD_SUITE("input", BD_TEST(test_lstat_never_through_a_symlink),
		 BD_TEST(test_lstat_keeps_the_directory),
		 BD_TEST(test_walk_skips_private),
		 BD_TEST(test_sentinel_stands_apart),
		 BD_TEST(test_entries_capped), BD_TEST(test_implied_one_budget),
		 BD_TEST(test_listed_one_budget),
		 BD_TEST(test_listed_run_budget),
		 BD_TEST(test_written_one_budget),
		 BD_TEST(test_written_run_budget),
		 BD_TEST(test_implied_run_budget),
		 BD_TEST(test_written_deb_past_the_run),
		 BD_TEST(test_written_conda_past_the_run),
		 BD_TEST(test_conda_own_tarballs_hostile),
		 BD_TEST(test_artifact_gone_before_read));
}
