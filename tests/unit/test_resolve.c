/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/resolve.h"

#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void expect_expand(const char *in, const char *want)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_TRUE(bd_resolve_expand(in, strlen(in), "/opt/app/bin",
					 "lib/x86_64-linux-gnu", "x86_64", &b));
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), want);
	if (strcmp(bd_buf_str(&b), want))
		fprintf(stderr, "\n  %s -> %s\n", in, bd_buf_str(&b));
	bd_buf_release(&b);
}

static void test_tokens(void)
{
	expect_expand("$ORIGIN", "/opt/app/bin");
	expect_expand("$ORIGIN/../lib", "/opt/app/bin/../lib");
	expect_expand("${ORIGIN}/x", "/opt/app/bin/x");
	expect_expand("/usr/$LIB/plugins", "/usr/lib/x86_64-linux-gnu/plugins");
	expect_expand("/p/${PLATFORM}", "/p/x86_64");
	expect_expand("/$ORIGIN_X/$ORIGINX",
		      "/$ORIGIN_X/$ORIGINX"); /* no DST */
	expect_expand("/a/$", "/a/$");
	expect_expand("$ORIGIN$ORIGIN", "/opt/app/bin/opt/app/bin");
	expect_expand("${ORIGIN", "${ORIGIN"); /* unclosed */
}

static void test_kind(void)
{
	struct bd_elf_info i;

	bd_elf_info_init(&i);
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_ELF_OTHER);
	i.ei_class = ELFCLASS64;
	i.e_type = ET_EXEC;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_EXECUTABLE);
	i.e_type = ET_DYN;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_LIBRARY);
	i.interp = "/lib64/ld-linux-x86-64.so.2";
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_EXECUTABLE);
	i.soname = "libc.so.6"; /* libc has PT_INTERP too */
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_LIBRARY);
	i.has_flags_1 = true;
	i.flags_1 = DF_1_PIE;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_EXECUTABLE);
	i.e_type = ET_REL;
	CU_ASSERT_EQUAL(bd_resolve_kind(&i), BD_COMP_ELF_OTHER);
	CU_ASSERT_EQUAL(bd_resolve_kind(NULL), BD_COMP_ELF_OTHER);
}

static uint32_t add_file(struct bd_resolver *r, const char *path, ino_t ino,
			 const char *sha, const struct bd_elf_info *info)
{
	struct bd_scanned_file f = { path, path, 1,    ino, sha,
				     info, NULL, NULL, NULL };
	uint32_t id = UINT32_MAX;

	CU_ASSERT_EQUAL(bd_resolver_add_file(r, &f, &id), 0);
	return id;
}

static void test_same_content_and_inode_merge(void)
{
	struct bd_resolve_options o = { .root = NULL };
	struct bd_elf_info lib;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	uint32_t a, b, known = 0;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, NULL, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	bd_elf_info_init(&lib);
	lib.ei_class = ELFCLASS64;
	lib.e_type = ET_DYN;
	lib.soname = "libx.so.1";
	a = add_file(&r, "/a/libx.so.1", 10, "same", &lib);
	b = add_file(&r, "/b/libx.so.1", 11, "same", &lib);
	CU_ASSERT_EQUAL(a, b);
	CU_ASSERT_EQUAL(g.comps[a].paths.n, 2);
	CU_ASSERT_STRING_EQUAL(g.comps[a].name, "libx.so.1");
	CU_ASSERT_STRING_EQUAL(g.comps[a].inside, "/a/libx.so.1");
	CU_ASSERT_TRUE(bd_resolver_known(&r, 1, 11, &known));
	CU_ASSERT_EQUAL(known, a);
	CU_ASSERT_EQUAL(bd_resolver_add_path(&r, a, 1, 10, "/a/libx.so"), 0);
	CU_ASSERT_EQUAL(g.comps[a].paths.n, 3);
	/* Unhashed files are told apart by path. */
	CU_ASSERT_NOT_EQUAL(add_file(&r, "/c/unreadable", 12, "", NULL),
			    add_file(&r, "/d/unreadable", 13, "", NULL));
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
}

/* A root whose /l38 is a chain of 38 symlinks to the directory /r. */
static char *chain_root(void)
{
	char *dir = strdup("/tmp/bd-resolve-XXXXXX");
	char path[512], target[16];
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r", dir);
	CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
	for (i = 1; i <= 38; i++) {
		snprintf(path, sizeof(path), "%s/l%d", dir, i);
		snprintf(target, sizeof(target), i == 1 ? "r" : "l%d", i - 1);
		CU_ASSERT_EQUAL(symlink(target, path), 0);
	}
	return dir;
}

static void remove_chain_root(char *dir)
{
	char path[512];
	int i;

	for (i = 1; i <= 38; i++) {
		snprintf(path, sizeof(path), "%s/l%d", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/r", dir);
	rmdir(path);
	rmdir(dir);
	free(dir);
}

/* The facts of an ELF file of that kind (EI_CLASS, EI_DATA, e_machine)
 * and type, with a dynamic section and nothing else in it yet. */
static void info_of_kind(struct bd_elf_info *info, const unsigned kind[3],
			 unsigned e_type)
{
	bd_elf_info_init(info);
	info->ei_class = kind[0];
	info->ei_data = kind[1];
	info->e_machine = kind[2];
	info->e_type = e_type;
	info->has_dynamic = true;
}

/* The work of linking one library with 100 missing needs and RUNPATH
 * `runpath` under root: candidates tried, directories resolved. */
static void search_work(const char *dir, const char *runpath, size_t *probes,
			size_t *dirs)
{
	static const unsigned x86_64[3] = { ELFCLASS64, ELFDATA2LSB,
					    EM_X86_64 };
	static char names[100][16];
	static const char *needed[100];
	struct bd_resolve_options o = { .root = NULL };
	struct bd_elf_info lib;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	struct bd_error err;
	uint32_t id;
	size_t i;

	for (i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "libm%zu.so", i);
		needed[i] = names[i];
	}
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	info_of_kind(&lib, x86_64, ET_DYN);
	lib.soname = "libapp.so";
	lib.runpath = runpath;
	lib.needed = needed;
	lib.nneeded = 100;
	id = add_file(&r, "/libapp.so", 10, "app", &lib);
	g.comps[id].is_input = true;
	g.comps[id].has_elf_header = true;
	CU_ASSERT_EQUAL(bd_resolver_link(&r, &err), 0);
	*probes = r.probes_tried;
	*dirs = r.dirs_resolved;
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
}

/* Issue 11: RUNPATH '/l38' sixteen times, a 38-link chain, walked again
 * for every candidate in every copy. A directory is resolved once a run,
 * and listed twice it is searched once (glibc's fillin_rpath). */
static void test_search_directories_resolved_once(void)
{
	char *dir = chain_root();
	const char *runpath = "/l38:/l38:/l38:/l38:/l38:/l38:/l38:/l38:"
			      "/l38:/l38:/l38:/l38:/l38:/l38:/l38:/l38";
	size_t once_probes, once_dirs, many_probes, many_dirs;

	search_work(dir, "/l38", &once_probes, &once_dirs);
	search_work(dir, runpath, &many_probes, &many_dirs);
	CU_ASSERT_EQUAL(many_probes, once_probes);
	CU_ASSERT_EQUAL(many_dirs, once_dirs);
	/* every directory (with its glibc-hwcaps ones) resolved once, not
	 * once per need: 100 needs, a handful of directories */
	CU_ASSERT_TRUE(once_dirs > 0 && once_dirs < 32);
	CU_ASSERT_TRUE(once_probes >= 100 && once_probes % 100 == 0);
	remove_chain_root(dir);
}

/* Writes the first bytes of an ELF file of that class and machine. */
static void put_ident(const char *root, const char *rel, unsigned cls,
		      unsigned machine)
{
	unsigned char h[64] = { 0x7f, 'E', 'L', 'F', 0, ELFDATA2LSB, 1 };
	char path[512];
	int fd;

	h[EI_CLASS] = (unsigned char)cls;
	h[16] = ET_DYN;
	h[18] = (unsigned char)machine;
	/* e_version and e_phentsize as the loader wants them. */
	h[20] = EV_CURRENT;
	h[cls == ELFCLASS64 ? 54 : 42] = cls == ELFCLASS64 ? 56 : 32;
	snprintf(path, sizeof(path), "%s%s", root, rel);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, h, sizeof(h)), (ssize_t)sizeof(h));
	close(fd);
}

/* A reader that logs what the search asks of it. */
struct log_reader {
	struct bd_resolver *r;
	struct bd_buf log;
	char inside[256];
	struct stat st;
	struct bd_elf_info lib; /* what every file scanned holds */
};

static int log_open(void *ctx, const char *host, const char *inside,
		    struct bd_resolve_cand *c, bool *ok)
{
	struct log_reader *lr = ctx;
	int fd = open(host, O_RDONLY);
	ssize_t n;

	bd_buf_printf(&lr->log, "open %s;", inside);
	snprintf(lr->inside, sizeof(lr->inside), "%s", inside);
	*ok = fd >= 0 && fstat(fd, &c->st) == 0;
	n = *ok ? pread(fd, c->head, sizeof(c->head), 0) : 0;
	c->n = n > 0 ? (size_t)n : 0;
	lr->st = c->st;
	if (fd >= 0)
		close(fd);
	return 0;
}

static int log_scan(void *ctx, uint32_t *id)
{
	struct log_reader *lr = ctx;
	struct bd_scanned_file f = { lr->inside,    lr->inside, lr->st.st_dev,
				     lr->st.st_ino, "",		&lr->lib,
				     NULL,	    NULL,	NULL };

	bd_buf_adds(&lr->log, "scan;");
	return bd_resolver_add_file(lr->r, &f, id);
}

static void log_close(void *ctx)
{
	struct log_reader *lr = ctx;

	bd_buf_adds(&lr->log, "close;");
}

/* Each candidate is opened once, and then either read (a new file of the
 * requester's class) or closed: of another class, no ELF, or a component
 * already (by its device and inode). */
static void test_reader_opens_each_candidate_once(void)
{
	char dir[] = "/tmp/bd-reader-XXXXXX", path[512];
	static const char *needed[] = { "libA.so", "libB.so", "libC.so",
					"libD.so", "libE.so" };
	struct bd_resolve_options o = { .root = NULL };
	struct log_reader lr = { .log = BD_BUF_INIT };
	struct bd_resolve_reader rd = { log_open, log_scan, log_close, &lr,
					NULL };
	struct bd_elf_info app;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	struct bd_error err;
	struct stat st;
	uint32_t id, known;
	size_t i, found_e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "lib32/", NULL);
	bd_test_mk(dir, "lib/", NULL);
	put_ident(dir, "/lib32/libA.so", ELFCLASS32, EM_X86_64);
	put_ident(dir, "/lib/libA.so", ELFCLASS64, EM_X86_64);
	put_ident(dir, "/lib/libB.so", ELFCLASS64, EM_X86_64);
	put_ident(dir, "/lib/libE.so", ELFCLASS64, EM_X86_64);
	bd_test_write(dir, "/lib/libC.so", "INPUT(libother.so) no ELF here");
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	lr.r = &r;
	bd_resolver_set_reader(&r, &rd);
	bd_elf_info_init(&app);
	app.ei_class = ELFCLASS64;
	app.ei_data = ELFDATA2LSB;
	app.e_machine = EM_X86_64;
	app.e_type = ET_DYN;
	app.has_dynamic = true;
	app.runpath = "/lib32:/lib";
	app.needed = needed;
	app.nneeded = BD_ARRAY_SIZE(needed);
	lr.lib = app;
	lr.lib.runpath = NULL;
	lr.lib.nneeded = 0;
	lr.lib.soname = "libA.so";
	id = add_file(&r, "/app", 10, "app", &app);
	g.comps[id].is_input = true;
	/* libB.so is a component already, by its device and inode. */
	snprintf(path, sizeof(path), "%s/lib/libB.so", dir);
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	known = add_file(&r, "/lib/libB.so", 20, "b", &lr.lib);
	CU_ASSERT_EQUAL(
		bd_resolver_add_path(&r, known, st.st_dev, st.st_ino, NULL), 0);
	/* libE.so too, and its first bytes were kept when it was read: it
	 * is judged by them, not opened again. */
	snprintf(path, sizeof(path), "%s/lib/libE.so", dir);
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	{
		struct bd_resolve_cand head = { .st = st, .n = 20 };
		struct bd_elf_info libe = lr.lib;
		struct bd_scanned_file e = { "/lib/libE.so",
					     "/lib/libE.so",
					     st.st_dev,
					     st.st_ino,
					     "e",
					     &libe,
					     NULL,
					     NULL,
					     &head };
		uint32_t eid;
		int fd = open(path, O_RDONLY);

		libe.soname = "libE.so";
		CU_ASSERT_EQUAL(read(fd, head.head, 20), 20);
		close(fd);
		CU_ASSERT_EQUAL(bd_resolver_add_file(&r, &e, &eid), 0);
	}
	CU_ASSERT_EQUAL(bd_resolver_link(&r, &err), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&lr.log), "open /lib32/libA.so;close;"
						    "open /lib/libA.so;scan;"
						    "open /lib/libB.so;close;"
						    "open /lib/libC.so;close;");
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&lr.log), "libE"));
	/* The edges: libA.so to the file read, libE.so to the known one. */
	for (i = 0, found_e = 0; i < g.nedges; i++) {
		const struct bd_component *to = &g.comps[g.edges[i].to];

		found_e += to->inside && !strcmp(to->inside, "/lib/libE.so");
		if (to->soname && !strcmp(to->soname, "libA.so") &&
		    g.edges[i].to != known)
			CU_ASSERT_STRING_EQUAL(to->inside, "/lib/libA.so");
	}
	CU_ASSERT_EQUAL(found_e, 1);
	CU_ASSERT_EQUAL(g.ncomps, 6); /* app, A, B, E, unresolved C and D */
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&lr.log);
	snprintf(path, sizeof(path), "rm -r '%s/lib' '%s/lib32' && rmdir '%s'",
		 dir, dir, dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/*
 * A candidate path is walked and judged once a run, not once per process:
 * three programs, each searching in its own context (RUNPATHs that
 * differ), try the same loader and the same two libA.so. Each path is
 * walked once; the 32-bit one is opened once (then judged by the bytes
 * read), the others once to be read (then known). The answers stay the
 * loader's: every program gets its loader and the 64-bit libA.so.
 */
static void test_candidates_judged_once_a_run(void)
{
	char dir[] = "/tmp/bd-tried-XXXXXX";
	static const char *needed[] = { "libA.so" };
	static const char *runpaths[] = { "/lib32:/lib", "/lib32:/lib:/x",
					  "/lib32:/lib:/y" };
	struct bd_resolve_options o = { .root = NULL };
	struct log_reader lr = { .log = BD_BUF_INIT };
	struct bd_resolve_reader rd = { log_open, log_scan, log_close, &lr,
					NULL };
	struct bd_elf_info app[3];
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	struct bd_error err;
	size_t i, interp_edges = 0, liba_edges = 0;
	uint32_t id;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "lib32/", NULL);
	bd_test_mk(dir, "lib/", NULL);
	put_ident(dir, "/lib32/libA.so", ELFCLASS32, EM_X86_64);
	put_ident(dir, "/lib/libA.so", ELFCLASS64, EM_X86_64);
	put_ident(dir, "/lib/ld.so", ELFCLASS64, EM_X86_64);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	lr.r = &r;
	bd_resolver_set_reader(&r, &rd);
	for (i = 0; i < 3; i++) {
		char path[16];

		bd_elf_info_init(&app[i]);
		app[i].ei_class = ELFCLASS64;
		app[i].ei_data = ELFDATA2LSB;
		app[i].e_machine = EM_X86_64;
		app[i].e_type = ET_EXEC;
		app[i].has_dynamic = true;
		app[i].interp = "/lib/ld.so";
		app[i].runpath = runpaths[i];
		app[i].needed = needed;
		app[i].nneeded = 1;
		snprintf(path, sizeof(path), "/app%zu", i);
		id = add_file(&r, path, 10 + i, path, &app[i]);
		g.comps[id].is_input = true;
	}
	bd_elf_info_init(&lr.lib); /* what is read: no soname, no needs */
	lr.lib.ei_class = ELFCLASS64;
	lr.lib.ei_data = ELFDATA2LSB;
	lr.lib.e_machine = EM_X86_64;
	lr.lib.e_type = ET_DYN;
	CU_ASSERT_EQUAL(bd_resolver_link(&r, &err), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&lr.log), "open /lib/ld.so;scan;"
						    "open /lib32/libA.so;close;"
						    "open /lib/libA.so;scan;");
	CU_ASSERT_EQUAL(r.paths_walked, 3);
	for (i = 0; i < g.nedges; i++) {
		const struct bd_component *to = &g.comps[g.edges[i].to];

		CU_ASSERT_PTR_NOT_NULL_FATAL(to->inside);
		interp_edges += g.edges[i].kind == BD_EDGE_INTERP &&
				!strcmp(to->inside, "/lib/ld.so");
		liba_edges += g.edges[i].kind == BD_EDGE_NEEDED &&
			      !strcmp(to->inside, "/lib/libA.so");
	}
	CU_ASSERT_EQUAL(interp_edges, 3);
	CU_ASSERT_EQUAL(liba_edges, 3);
	CU_ASSERT_EQUAL(g.nedges, 6);
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&lr.log);
	bd_test_sh("rm -r '%s'", dir);
}

/* A reader that knows where two paths lead (as a prediction that read
 * ahead would): /lib32/libA.so nowhere, /lib/libA.so to itself. */
static bool log_look(void *ctx, const char *path, struct bd_buf *real,
		     struct stat *st, bool *exists)
{
	struct log_reader *lr = ctx;

	bd_buf_printf(&lr->log, "look %s;", path);
	if (!strcmp(path, "/lib32/libA.so")) {
		*exists = false;
		return true;
	}
	if (strcmp(path, "/lib/libA.so"))
		return false;
	*exists = true;
	bd_buf_reset(real);
	bd_buf_adds(real, path);
	st->st_mode = 0; /* no lstat taken: the search takes one */
	return true;
}

/* What the reader knows of a path is the search's answer: a path it says
 * leads nowhere is not looked at, one it resolved is opened without a
 * walk, and the others are walked as before. */
static void test_search_takes_what_the_reader_resolved(void)
{
	char dir[] = "/tmp/bd-look-XXXXXX";
	static const char *needed[] = { "libA.so" };
	struct bd_resolve_options o = { .root = NULL };
	struct log_reader lr = { .log = BD_BUF_INIT };
	struct bd_resolve_reader rd = { log_open, log_scan, log_close, &lr,
					log_look };
	struct bd_elf_info app;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	struct bd_error err;
	uint32_t id;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "lib32/", NULL);
	bd_test_mk(dir, "lib/", NULL);
	put_ident(dir, "/lib32/libA.so", ELFCLASS64, EM_X86_64);
	put_ident(dir, "/lib/libA.so", ELFCLASS64, EM_X86_64);
	put_ident(dir, "/lib/ld.so", ELFCLASS64, EM_X86_64);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	lr.r = &r;
	bd_resolver_set_reader(&r, &rd);
	bd_elf_info_init(&app);
	app.ei_class = ELFCLASS64;
	app.ei_data = ELFDATA2LSB;
	app.e_machine = EM_X86_64;
	app.e_type = ET_EXEC;
	app.has_dynamic = true;
	app.interp = "/lib/ld.so";
	app.runpath = "/lib32:/lib";
	app.needed = needed;
	app.nneeded = 1;
	id = add_file(&r, "/app", 10, "app", &app);
	g.comps[id].is_input = true;
	bd_elf_info_init(&lr.lib);
	lr.lib.ei_class = ELFCLASS64;
	lr.lib.ei_data = ELFDATA2LSB;
	lr.lib.e_machine = EM_X86_64;
	lr.lib.e_type = ET_DYN;
	CU_ASSERT_EQUAL(bd_resolver_link(&r, &err), 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&lr.log),
			       "look /lib/ld.so;open /lib/ld.so;scan;"
			       "look /lib32/libA.so;"
			       "look /lib/libA.so;open /lib/libA.so;scan;");
	CU_ASSERT_EQUAL(r.paths_walked, 1); /* /lib/ld.so */
	CU_ASSERT_EQUAL(g.nedges, 2);
	CU_ASSERT_STRING_EQUAL(g.comps[g.edges[1].to].inside, "/lib/libA.so");
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&lr.log);
	bd_test_sh("rm -r '%s'", dir);
}

/* The warnings said, one a line. */
static void keep_warning(void *ctx, enum bd_diag_level level, const char *msg)
{
	if (level == BD_DIAG_WARNING)
		bd_buf_printf(ctx, "%s\n", msg);
}

static const char *kind_plug[] = { "libplug.so.1" };
static struct bd_dlopen_entry kind_dl = { "plug", NULL, "required", kind_plug,
					  1 };

/* A program of one ELF kind at path, an input: its RUNPATH /lib, its
 * interpreter and needs, the .note.dlopen entry kind_dl when dl. */
static uint32_t kind_program(struct bd_resolver *r, const char *path, ino_t ino,
			     const unsigned kind[3], const char *interp,
			     const char **needed, size_t nneeded, bool dl)
{
	struct bd_elf_info app;
	uint32_t id;

	info_of_kind(&app, kind, ET_EXEC);
	app.interp = interp;
	app.runpath = "/lib";
	app.needed = needed;
	app.nneeded = nneeded;
	app.dlopen = dl ? &kind_dl : NULL;
	app.ndlopen = dl;
	id = add_file(r, path, ino, path, &app);
	r->graph->comps[id].is_input = true;
	return id;
}

/* Whether key is an unresolved component wanting that ELF kind, and
 * marked machine_absent or not. */
static bool missing_for(const struct bd_graph *g, const char *key,
			const unsigned kind[3], bool absent)
{
	uint32_t id;
	const struct bd_component *c;

	if (!bd_graph_find(g, key, &id))
		return false;
	c = &g->comps[id];
	return c->kind == BD_COMP_UNRESOLVED && c->wants_elf_kind &&
	       !c->has_elf_header && c->ei_class == kind[0] &&
	       c->ei_data == kind[1] && c->e_machine == kind[2] &&
	       c->machine_absent == absent &&
	       !strcmp(c->name, strrchr(key, ':') + 1);
}

/*
 * A name missing is one component per ELF kind of the files that need
 * it (needs, interpreters, .note.dlopen entries alike), keyed by the
 * kind: x86-64's libfoo.so.1 is not aarch64's, nor x32's (ELF32
 * EM_X86_64), and /lib/ld.so.1 is ppc's loader and may be anyone's. A
 * kind nothing of which was found (x86-64's libc was) has its components
 * marked machine_absent and one warning, the kinds in the order of their
 * machines; --strict's counts are the same whatever the machine.
 */
static void test_unresolved_per_machine(void)
{
	char dir[] = "/tmp/bd-kinds-XXXXXX";
	static const char *both[] = { "libc.so.6", "libfoo.so.1" };
	static const char *more[] = { "libbar.so.1", "libbaz.so.1" };
	static const char *foo[] = { "libfoo.so.1" };
	static const unsigned x64[3] = { ELFCLASS64, ELFDATA2LSB, EM_X86_64 },
			      arm[3] = { ELFCLASS64, ELFDATA2LSB, EM_AARCH64 },
			      x32[3] = { ELFCLASS32, ELFDATA2LSB, EM_X86_64 },
			      ppc[3] = { ELFCLASS32, ELFDATA2MSB, EM_PPC };
	struct bd_resolve_options o = { .root = NULL };
	struct log_reader lr = { .log = BD_BUF_INIT };
	struct bd_resolve_reader rd = { log_open, log_scan, log_close, &lr,
					NULL };
	struct bd_buf said = BD_BUF_INIT;
	struct bd_diag diag = { keep_warning, &said };
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	struct bd_error err;
	const char *tail = ": the root holds nothing for that machine; give "
			   "--root of such a system to search them\n";
	char want[1024];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "lib/", NULL);
	put_ident(dir, "/lib/libc.so.6", ELFCLASS64, EM_X86_64);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, &diag, NULL), 0);
	lr.r = &r;
	bd_resolver_set_reader(&r, &rd);
	info_of_kind(&lr.lib, x64, ET_DYN);
	lr.lib.soname = "libc.so.6";
	kind_program(&r, "/x64", 10, x64, NULL, both, 2, true);
	kind_program(&r, "/arm", 11, arm, "/lib/ld.so.1", both, 2, true);
	kind_program(&r, "/arm2", 12, arm, NULL, more, 2, false);
	kind_program(&r, "/x32", 13, x32, "/lib/ld.so.1", foo, 1, false);
	kind_program(&r, "/ppc", 14, ppc, "/lib/ld.so.1", NULL, 0, false);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_link(&r, &err), 0);
	CU_ASSERT_TRUE(
		missing_for(&g, "soname:x86_64:ELF64:little-endian:libfoo.so.1",
			    x64, false));
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:x86_64:ELF64:little-endian:libplug.so.1", x64,
		false));
	CU_ASSERT_FALSE(missing_for(
		&g, "soname:x86_64:ELF64:little-endian:libc.so.6", x64, false));
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:aarch64:ELF64:little-endian:libc.so.6", arm, true));
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:aarch64:ELF64:little-endian:libfoo.so.1", arm,
		true));
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:aarch64:ELF64:little-endian:libplug.so.1", arm,
		true));
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:aarch64:ELF64:little-endian:/lib/ld.so.1", arm,
		true));
	CU_ASSERT_TRUE(
		missing_for(&g, "soname:x86_64:ELF32:little-endian:libfoo.so.1",
			    x32, true));
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:x86_64:ELF32:little-endian:/lib/ld.so.1", x32,
		true));
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:ppc:ELF32:big-endian:/lib/ld.so.1", ppc, true));
	/* The five programs, x86-64's libc, the nine names above, and
	 * aarch64's libbar.so.1 and libbaz.so.1. */
	CU_ASSERT_EQUAL(g.ncomps, 5 + 1 + 11);
	snprintf(want, sizeof(want),
		 "'/ppc': needs libraries no ppc (ELF32, big-endian) file of "
		 "the root provides (/lib/ld.so.1)%s"
		 "'/x32': needs libraries no x86_64 (ELF32, little-endian) "
		 "file of the root provides (/lib/ld.so.1, libfoo.so.1)%s"
		 "'/arm' and 1 more files need libraries no aarch64 (ELF64, "
		 "little-endian) file of the root provides (/lib/ld.so.1, "
		 "libbar.so.1, libbaz.so.1, libc.so.6, libfoo.so.1 and 1 "
		 "more)%s",
		 tail, tail, tail);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&said), want);
	/* --strict: every need and interpreter not found, the required
	 * dlopen entries, whatever their machine. */
	CU_ASSERT_EQUAL(r.unresolved_needed, 9);
	CU_ASSERT_EQUAL(r.unresolved_required_dlopen, 2);
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&lr.log);
	bd_buf_release(&said);
	bd_test_sh("rm -r '%s'", dir);
}

/* An ELF header of a kind (class, byte order, machine) at root/rel, its
 * fields in its byte order. */
static void put_kind(const char *root, const char *rel, const unsigned kind[3])
{
	unsigned char h[64] = { 0x7f, 'E', 'L', 'F' };
	bool msb = kind[1] == ELFDATA2MSB;
	char path[512];
	int fd;

	h[EI_CLASS] = (unsigned char)kind[0];
	h[EI_DATA] = (unsigned char)kind[1];
	h[EI_VERSION] = EV_CURRENT;
	h[msb ? 17 : 16] = ET_DYN;
	h[msb ? 18 : 19] = (unsigned char)(kind[2] >> 8);
	h[msb ? 19 : 18] = (unsigned char)kind[2];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, h, sizeof(h)), (ssize_t)sizeof(h));
	close(fd);
}

static uint32_t kind_num(const unsigned kind[3])
{
	return bd_elf_kind(kind[0], kind[1], kind[2]);
}

/*
 * The root's machines, by the headers of its files: its loaders, through
 * their links (/lib64's x86-64 loader), a name of several machines read
 * for its own (/lib/ld.so.1 of ppc), one that is no ELF file taken for
 * nothing; a musl loader of a kind wanted (sh's); a file of each flags
 * value of the cache, past the entries whose files are gone (i386's), at
 * most four tried (riscv64's fifth is not).
 */
static void test_root_kinds(void)
{
	char dir[] = "/tmp/bd-root-kinds-XXXXXX";
	static const unsigned x64[3] = { ELFCLASS64, ELFDATA2LSB, EM_X86_64 },
			      ppc[3] = { ELFCLASS32, ELFDATA2MSB, EM_PPC },
			      i386[3] = { ELFCLASS32, ELFDATA2LSB, EM_386 },
			      arm[3] = { ELFCLASS64, ELFDATA2LSB, EM_AARCH64 },
			      sh[3] = { ELFCLASS32, ELFDATA2LSB, EM_SH },
			      rv[3] = { ELFCLASS64, ELFDATA2LSB, EM_RISCV };
	struct bd_ldcache_entry e[] = {
		{ .flags = 0x0003, .value = "/gone/libc.so.6" },
		{ .flags = 0x0a03, .value = "/usr/lib/arm/libz.so.1" },
		{ .flags = 0x0003, .value = "/usr/lib/i386/libc.so.6" },
		{ .flags = 0x1003, .value = "/gone/1" },
		{ .flags = 0x1003, .value = "/gone/2" },
		{ .flags = 0x1003, .value = "/gone/3" },
		{ .flags = 0x1003, .value = "/gone/4" },
		{ .flags = 0x1003, .value = "/usr/lib/rv/libc.so.6" },
	};
	struct bd_ldcache cache = { .entries = e, .n = BD_ARRAY_SIZE(e) };
	uint32_t want[6], wanted = kind_num(sh), *kinds = NULL;
	struct bd_root root;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "lib/", NULL);
	bd_test_mk(dir, "lib64/", NULL);
	bd_test_mk(dir, "usr/", NULL);
	bd_test_mk(dir, "usr/lib/", NULL);
	bd_test_mk(dir, "usr/lib/arm/", NULL);
	bd_test_mk(dir, "usr/lib/i386/", NULL);
	bd_test_mk(dir, "usr/lib/rv/", NULL);
	bd_test_mk(dir, "lib/x86_64-linux-gnu/", NULL);
	put_kind(dir, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", x64);
	bd_test_mk(dir, "lib64/ld-linux-x86-64.so.2",
		   "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
	put_kind(dir, "/lib/ld.so.1", ppc);
	bd_test_write(dir, "/lib/ld-linux.so.2", "no ELF file");
	put_kind(dir, "/lib/ld-musl-sh.so.1", sh);
	put_kind(dir, "/usr/lib/arm/libz.so.1", arm);
	put_kind(dir, "/usr/lib/i386/libc.so.6", i386);
	put_kind(dir, "/usr/lib/rv/libc.so.6", rv);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	CU_ASSERT_EQUAL(
		bd_resolve_root_kinds(&root, &cache, &wanted, 1, &kinds, &n),
		0);
	want[0] = kind_num(x64);
	want[1] = kind_num(ppc);
	want[2] = kind_num(i386);
	want[3] = kind_num(arm);
	want[4] = kind_num(sh);
	CU_ASSERT_EQUAL(bd_sort_unique_u32(want, 5), 5);
	CU_ASSERT_EQUAL_FATAL(n, 5);
	CU_ASSERT_EQUAL(memcmp(kinds, want, 5 * sizeof(*want)), 0);
	free(kinds);
	/* No cache, nothing wanted: the loaders alone. */
	CU_ASSERT_EQUAL(bd_resolve_root_kinds(&root, NULL, NULL, 0, &kinds, &n),
			0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_TRUE(kinds[0] == kind_num(x64) || kinds[1] == kind_num(x64));
	free(kinds);
	bd_root_release(&root);
	bd_test_sh("rm -r '%s'", dir);
}

/*
 * A root that holds a machine's loader serves that machine, whatever the
 * run found: an aarch64 program alone against an x86-64 root (nothing of
 * x86-64 found either) is a machine the root holds nothing for, warned
 * of; an i386 program whose libfoo.so.1 is missing on a root with i386's
 * loader is a miss of a root of its machine: not-found, no warning.
 */
static void test_unresolved_against_root_machines(void)
{
	char dir[] = "/tmp/bd-root-machines-XXXXXX";
	static const char *libc[] = { "libc.so.6" };
	static const char *foo[] = { "libfoo.so.1" };
	static const unsigned x64[3] = { ELFCLASS64, ELFDATA2LSB, EM_X86_64 },
			      arm[3] = { ELFCLASS64, ELFDATA2LSB, EM_AARCH64 },
			      i386[3] = { ELFCLASS32, ELFDATA2LSB, EM_386 };
	struct bd_resolve_options o = { .root = NULL };
	struct log_reader lr = { .log = BD_BUF_INIT };
	struct bd_resolve_reader rd = { log_open, log_scan, log_close, &lr,
					NULL };
	struct bd_buf said = BD_BUF_INIT;
	struct bd_diag diag = { keep_warning, &said };
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	struct bd_error err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "lib/", NULL);
	bd_test_mk(dir, "lib64/", NULL);
	put_kind(dir, "/lib64/ld-linux-x86-64.so.2", x64);
	put_kind(dir, "/lib/ld-linux.so.2", i386);
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, &diag, NULL), 0);
	lr.r = &r;
	bd_resolver_set_reader(&r, &rd);
	kind_program(&r, "/arm", 10, arm, NULL, libc, 1, false);
	kind_program(&r, "/i386", 11, i386, NULL, foo, 1, false);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_link(&r, &err), 0);
	CU_ASSERT_TRUE(missing_for(
		&g, "soname:aarch64:ELF64:little-endian:libc.so.6", arm, true));
	CU_ASSERT_TRUE(
		missing_for(&g, "soname:i386:ELF32:little-endian:libfoo.so.1",
			    i386, false));
	CU_ASSERT_STRING_EQUAL(
		bd_buf_str(&said),
		"'/arm': needs libraries no aarch64 (ELF64, little-endian) "
		"file of the root provides (libc.so.6): the root holds "
		"nothing for that machine; give --root of such a system to "
		"search them\n");
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&lr.log);
	bd_buf_release(&said);
	bd_test_sh("rm -r '%s'", dir);
}

struct tries {
	struct bd_buf log;
	const char *const *existing;
};

static int log_try(void *ctx, const char *path, bool *exists)
{
	struct tries *t = ctx;
	size_t i;

	bd_buf_printf(&t->log, "%s;", path);
	*exists = false;
	for (i = 0; t->existing[i]; i++)
		*exists |= !strcmp(t->existing[i], path);
	return 0;
}

/* The paths foreseen, in the search's order, each name until one exists:
 * PT_INTERP, DT_RUNPATH ($ORIGIN expanded, a relative entry left out),
 * then (no cache under this root) the default directories; a name with
 * a '/' is that path; a dlopen entry's alternatives until one exists. */
static void test_predict_in_search_order(void)
{
	char dir[] = "/tmp/bd-predict-XXXXXX";
	static const char *needed[] = { "liba.so", "libb.so", "sub/libc.so",
					"$ORIGIN/libd.so" };
	static const char *alternatives[] = { "libe.so", "libf.so" };
	static const char *const existing[] = { "/app/bin/../lib/liba.so",
						"/usr/lib64/libe.so", NULL };
	struct bd_dlopen_entry entry = { NULL, NULL, "recommended",
					 alternatives, 2 };
	struct bd_resolve_options o = { .root = NULL };
	struct tries t = { BD_BUF_INIT, existing };
	struct bd_elf_info info;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	bd_elf_info_init(&info);
	info.ei_class = ELFCLASS64;
	info.ei_data = ELFDATA2LSB;
	info.e_machine = EM_X86_64;
	info.interp = "/lib64/ld-linux-x86-64.so.2";
	info.runpath = "$ORIGIN/../lib:relative:/opt/x";
	info.needed = needed;
	info.nneeded = BD_ARRAY_SIZE(needed);
	info.dlopen = &entry;
	info.ndlopen = 1;
	CU_ASSERT_EQUAL(bd_resolver_predict(&r, &info, "/app/bin", log_try, &t),
			0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&t.log),
			       "/lib64/ld-linux-x86-64.so.2;"
			       "/app/bin/../lib/liba.so;"
			       "/app/bin/../lib/libb.so;/opt/x/libb.so;"
			       "/lib64/libb.so;/usr/lib64/libb.so;"
			       "/app/bin/libd.so;"
			       "/app/bin/../lib/libe.so;/opt/x/libe.so;"
			       "/lib64/libe.so;/usr/lib64/libe.so;");
	/* Nothing foreseen for a file that is no ELF. */
	bd_buf_reset(&t.log);
	info.ei_class = 0;
	CU_ASSERT_EQUAL(bd_resolver_predict(&r, &info, "/app/bin", log_try, &t),
			0);
	CU_ASSERT_EQUAL(t.log.len, 0);
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&t.log);
	rmdir(dir);
}

static int count_try(void *ctx, const char *path, bool *exists)
{
	(void)path;
	++*(size_t *)ctx;
	*exists = false;
	return 0;
}

/* A hostile file: 4,096 missing names and a RUNPATH of 256 directories,
 * a million paths to foresee. The prediction stops where the search
 * would: BD_RESOLVE_MAX_PROBES paths for the file. */
static void test_predict_bounded(void)
{
	static char names[4096][16];
	static const char *needed[4096];
	char dir[] = "/tmp/bd-predict-XXXXXX";
	struct bd_resolve_options o = { .root = NULL };
	struct bd_buf runpath = BD_BUF_INIT;
	struct bd_elf_info info;
	struct bd_graph g;
	struct bd_resolver r;
	struct bd_root root;
	size_t i, tries = 0;

	for (i = 0; i < 4096; i++) {
		snprintf(names[i], sizeof(names[i]), "libm%zu.so", i);
		needed[i] = names[i];
	}
	for (i = 0; i < 256; i++)
		bd_buf_printf(&runpath, "%s/d%zu", i ? ":" : "", i);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	o.root = &root;
	bd_graph_init(&g);
	CU_ASSERT_EQUAL_FATAL(bd_resolver_init(&r, &g, &o, NULL, NULL), 0);
	bd_elf_info_init(&info);
	info.ei_class = ELFCLASS64;
	info.ei_data = ELFDATA2LSB;
	info.e_machine = EM_X86_64;
	info.runpath = bd_buf_str(&runpath);
	info.needed = needed;
	info.nneeded = 4096;
	CU_ASSERT_EQUAL(
		bd_resolver_predict(&r, &info, "/app", count_try, &tries), 0);
	CU_ASSERT_EQUAL(tries, BD_RESOLVE_MAX_PROBES);
	bd_resolver_release(&r);
	bd_graph_release(&g);
	bd_root_release(&root);
	bd_buf_release(&runpath);
	rmdir(dir);
}

/* ---- bd_resolve_preload ------------------------------------------------ */

static uint32_t preload_lib(struct bd_graph *g, const char *inside,
			    const char *soname, unsigned ei_class)
{
	struct bd_component *c;
	uint32_t id = UINT32_MAX;

	CU_ASSERT_EQUAL_FATAL(bd_graph_add(g, inside, BD_COMP_LIBRARY, &id), 0);
	c = bd_graph_comp(g, id);
	c->has_elf_header = true;
	c->inside = bd_graph_strdup(g, inside);
	c->soname = soname ? bd_graph_strdup(g, soname) : NULL;
	c->name = c->soname ? c->soname : c->inside;
	c->ei_class = ei_class;
	c->ei_data = ELFDATA2LSB;
	c->e_machine = EM_X86_64;
	return id;
}

/* Files under /sp/ (two wheels installed side by side) are a.whl's,
 * those named *alien* b.whl's. */
static const char *preload_display(void *ctx, const char *inside)
{
	(void)ctx;
	if (strncmp(inside, "/sp/", 4))
		return NULL;
	return strstr(inside, "alien") ? "dist/b.whl!/pkg/lib/libalien.so"
				       : "dist/a.whl!/pkg/a";
}

struct preload_asked {
	size_t calls, n;
	char paths[8][64];
};

/* libreq.so and libpx.so are of source package "x" 1.0, libpy.so of "y"
 * 1.0, the rest of none. */
static int preload_owners(void *ctx, const char *const *paths, size_t n,
			  struct bd_resolve_owner *out)
{
	struct preload_asked *a = ctx;
	const char *base;
	size_t i;

	a->calls++;
	for (i = 0; i < n; i++) {
		if (a->n < 8)
			snprintf(a->paths[a->n++], sizeof(a->paths[0]), "%s",
				 paths[i]);
		base = strrchr(paths[i], '/') + 1;
		if (!strcmp(base, "libreq.so") || !strcmp(base, "libpx.so"))
			out[i] = (struct bd_resolve_owner){ "deb", "x", "1.0" };
		else if (!strcmp(base, "libpy.so"))
			out[i] = (struct bd_resolve_owner){ "deb", "y", "1.0" };
	}
	return 0;
}

static size_t preload_one(struct bd_graph *g, struct bd_resolve_options *o,
			  uint32_t from, const char *name, uint32_t *to)
{
	struct bd_resolve_preload need = { from, name, 7, 7 };

	CU_ASSERT_EQUAL(bd_resolve_preload(g, o, &need, 1), 0);
	*to = need.to;
	return need.found;
}

/* The unit a need is met in: the requester's directory and two below,
 * its class, byte order and machine, the library's DT_SONAME (not its
 * file's name), one provider only. */
static void test_preload_unit(void)
{
	struct bd_resolve_options o = { 0 };
	struct bd_graph g;
	uint32_t java, jvm, to;

	bd_graph_init(&g);
	java = preload_lib(&g, "/opt/jdk/lib/libjava.so", "libjava.so", 64);
	jvm = preload_lib(&g, "/opt/jdk/lib/server/libjvm.so", "libjvm.so", 64);
	preload_lib(&g, "/opt/jdk/lib/client/libjvm.so", "libjvm-client.so",
		    64);
	preload_lib(&g, "/opt/jdk/lib/x/libjvm.so", "libjvm.so", 32);
	preload_lib(&g, "/opt/jdk/lib2/libjvm.so", "libjvm.so", 64);
	preload_lib(&g, "/opt/jdk/libjvm.so", "libjvm.so", 64);
	preload_lib(&g, "/opt/jdk/lib/a/b/c/libjvm.so", "libjvm.so", 64);
	CU_ASSERT_EQUAL(preload_one(&g, &o, java, "libjvm.so", &to), 1);
	CU_ASSERT_EQUAL(to, jvm);
	CU_ASSERT_EQUAL(preload_one(&g, &o, java, "libnone.so", &to), 0);
	CU_ASSERT_EQUAL(to, UINT32_MAX);
	CU_ASSERT_EQUAL(preload_one(&g, &o, java, "libjava.so", &to), 0);
	/* Two levels below is the unit's; a second provider: none. */
	preload_lib(&g, "/opt/jdk/lib/a/b/libjvm.so", "libjvm.so", 64);
	CU_ASSERT_EQUAL(preload_one(&g, &o, java, "libjvm.so", &to), 2);
	CU_ASSERT_EQUAL(to, UINT32_MAX);
	bd_graph_release(&g);
}

/* An artifact's file takes a provider of its own artifact only; a file
 * a package owns one of its own source package only, an unowned file an
 * unowned one. The owners are asked once, of the files concerned, none
 * an artifact's, and not at all when no need has a provider. */
static void test_preload_artifact_and_owner(void)
{
	struct preload_asked asked = { 0 };
	struct bd_resolve_options o = { .display = preload_display,
					.owners = preload_owners,
					.owners_ctx = &asked };
	struct bd_resolve_preload needs[6];
	struct bd_graph g;
	uint32_t ext, pre, x, xp, opt, optp;

	bd_graph_init(&g);
	ext = preload_lib(&g, "/sp/pkg/_x.so", "_x.so", 64);
	pre = preload_lib(&g, "/sp/pkg/lib/libpre.so", "libpre.so", 64);
	preload_lib(&g, "/sp/pkg/lib/libalien.so", "libalien.so", 64);
	x = preload_lib(&g, "/usr/lib/x/libreq.so", "libreq.so", 64);
	xp = preload_lib(&g, "/usr/lib/x/sub/libpx.so", "libpx.so", 64);
	preload_lib(&g, "/usr/lib/x/sub/y/libpy.so", "libpy.so", 64);
	preload_lib(&g, "/usr/lib/x/libnone.so", "libnone.so", 64);
	opt = preload_lib(&g, "/opt/app/libapp.so", "libapp.so", 64);
	optp = preload_lib(&g, "/opt/app/libopt.so", "libopt.so", 64);
	needs[0] = (struct bd_resolve_preload){ ext, "libpre.so", 0, 0 };
	needs[1] = (struct bd_resolve_preload){ ext, "libalien.so", 0, 0 };
	needs[2] = (struct bd_resolve_preload){ x, "libpx.so", 0, 0 };
	needs[3] = (struct bd_resolve_preload){ x, "libpy.so", 0, 0 };
	needs[4] = (struct bd_resolve_preload){ x, "libnone.so", 0, 0 };
	needs[5] = (struct bd_resolve_preload){ opt, NULL, 0, 0 };
	CU_ASSERT_EQUAL_FATAL(bd_resolve_preload(&g, &o, needs, 6), 0);
	CU_ASSERT_EQUAL(needs[0].to, pre);
	CU_ASSERT_EQUAL(needs[1].found, 0); /* another wheel's */
	CU_ASSERT_EQUAL(needs[2].to, xp);
	CU_ASSERT_EQUAL(needs[3].found, 0); /* another source package's */
	CU_ASSERT_EQUAL(needs[4].found, 0); /* no package's */
	CU_ASSERT_EQUAL(needs[5].found, 0); /* not asked */
	CU_ASSERT_EQUAL(needs[5].to, UINT32_MAX);
	CU_ASSERT_EQUAL(asked.calls, 1);
	CU_ASSERT_EQUAL_FATAL(asked.n, 4);
	CU_ASSERT_STRING_EQUAL(asked.paths[0], "/usr/lib/x/libreq.so");
	CU_ASSERT_STRING_EQUAL(asked.paths[1], "/usr/lib/x/sub/libpx.so");
	CU_ASSERT_STRING_EQUAL(asked.paths[2], "/usr/lib/x/sub/y/libpy.so");
	CU_ASSERT_STRING_EQUAL(asked.paths[3], "/usr/lib/x/libnone.so");
	needs[0] = (struct bd_resolve_preload){ opt, "libopt.so", 0, 0 };
	CU_ASSERT_EQUAL(bd_resolve_preload(&g, &o, needs, 1), 0);
	CU_ASSERT_EQUAL(needs[0].to, optp);
	needs[0] = (struct bd_resolve_preload){ opt, "libnone.so", 0, 0 };
	CU_ASSERT_EQUAL(bd_resolve_preload(&g, &o, needs, 1), 0);
	CU_ASSERT_EQUAL(asked.calls, 2);
	bd_graph_release(&g);
}

/* Thousands of libraries of one soname in one directory, and thousands
 * that need it: the unit's providers are counted once for all its
 * requesters, not again for each (requesters times providers, 3 s for
 * 8,000 of each). A requester that has the soname itself is none of its
 * own; one in "/" has the root's tree as its unit; a name that spells
 * what a key holds is matched as itself. */
static void test_preload_many_of_one_soname(void)
{
	struct bd_resolve_options o = { .display = preload_display };
	enum { N = 10000 };
	struct bd_resolve_preload *needs = calloc(N + 4, sizeof(*needs));
	struct bd_graph g;
	char path[64], soname[32];
	uint32_t self, other, top, under, odd;
	clock_t start = clock();
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(needs);
	bd_graph_init(&g);
	for (i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/opt/app/libx%zu.so", i);
		preload_lib(&g, path, "libx.so", 64);
		snprintf(path, sizeof(path), "/opt/app/liby%zu.so", i);
		snprintf(soname, sizeof(soname), "liby%zu.so", i);
		needs[i] = (struct bd_resolve_preload){
			preload_lib(&g, path, soname, 64), "libx.so", 0, 0
		};
	}
	self = preload_lib(&g, "/opt/one/libz.so", "libz.so", 64);
	other = preload_lib(&g, "/opt/one/sub/libz.so", "libz.so", 64);
	top = preload_lib(&g, "/libtop.so", "libtop.so", 64);
	under = preload_lib(&g, "/lib/libu.so", "libu.so", 64);
	odd = preload_lib(&g, "/opt/one/libodd.so", "-libz.so", 64);
	needs[N] = (struct bd_resolve_preload){ self, "libz.so", 0, 0 };
	needs[N + 1] = (struct bd_resolve_preload){ top, "libu.so", 0, 0 };
	needs[N + 2] = (struct bd_resolve_preload){ other, "libz.so", 0, 0 };
	needs[N + 3] = (struct bd_resolve_preload){ self, "-libz.so", 0, 0 };
	CU_ASSERT_EQUAL_FATAL(bd_resolve_preload(&g, &o, needs, N + 4), 0);
	for (i = 0; i < N; i++) {
		CU_ASSERT_EQUAL(needs[i].found, N);
		CU_ASSERT_EQUAL(needs[i].to, UINT32_MAX);
	}
	CU_ASSERT_EQUAL(needs[N].found, 1);
	CU_ASSERT_EQUAL(needs[N].to, other);
	CU_ASSERT_EQUAL(needs[N + 1].to, under);
	/* Its unit is its directory: /opt/one/libz.so is above it. */
	CU_ASSERT_EQUAL(needs[N + 2].found, 0);
	CU_ASSERT_EQUAL(needs[N + 3].to, odd);
	bd_graph_release(&g);
	free(needs);
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - start < 2 * CLOCKS_PER_SEC);
}

void bd_test_register_resolve(void)
{
	BD_SUITE("resolve", BD_TEST(test_tokens), BD_TEST(test_kind),
		 BD_TEST(test_same_content_and_inode_merge),
		 BD_TEST(test_search_directories_resolved_once),
		 BD_TEST(test_reader_opens_each_candidate_once),
		 BD_TEST(test_candidates_judged_once_a_run),
		 BD_TEST(test_search_takes_what_the_reader_resolved),
		 BD_TEST(test_predict_in_search_order),
		 BD_TEST(test_predict_bounded), BD_TEST(test_preload_unit),
		 BD_TEST(test_preload_artifact_and_owner),
		 BD_TEST(test_preload_many_of_one_soname),
		 BD_TEST(test_unresolved_per_machine), BD_TEST(test_root_kinds),
		 BD_TEST(test_unresolved_against_root_machines));
}
