/* SPDX-License-Identifier: MIT */
/*
 * Misses of a machine the root holds nothing for (bindep/resolve.h,
 * bd_resolve_machines). A multi-platform release (node-gyp-build's
 * prebuilds/linux-arm64/ beside prebuilds/linux-x64/, a wheel's
 * universal tree, a multiarch root's i386 files without their libc6:i386)
 * holds files the root's own loader would never load: every need of them
 * is missing, and their misses say that the root is of another machine,
 * not that an install is broken.
 */
#include "bindep/resolve.h"
#include "bindep/buf.h"
#include "bindep/target.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* At most this many names in the warning, then "and N more". */
#define MAX_NAMED 5

/* An ELF kind, what the loader's search asks of a candidate. */
static uint32_t kind_of(const struct bd_component *c)
{
	return bd_elf_kind(c->ei_class, c->ei_data, c->e_machine);
}

/* An edge of what the loader loads for a file: a need, its interpreter,
 * a .note.dlopen entry. */
static bool load_edge(const struct bd_edge *e)
{
	return e->kind == BD_EDGE_NEEDED || e->kind == BD_EDGE_INTERP ||
	       e->kind == BD_EDGE_DLOPEN_NOTE;
}

/* The kinds the unresolved components want, sorted, each once: none in
 * a run where nothing is missing, a few in any other. */
static int wanted_kinds(const struct bd_graph *g, uint32_t **out, size_t *n)
{
	size_t i, alloc = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < g->ncomps; i++) {
		if (!g->comps[i].wants_elf_kind)
			continue;
		if (BD_GROW(*out, alloc, *n + 1))
			return BD_ENOMEM;
		(*out)[(*n)++] = kind_of(&g->comps[i]);
	}
	*n = bd_sort_unique_u32(*out, *n);
	return 0;
}

static bool kind_at(const uint32_t *kinds, size_t n, uint32_t kind, size_t *at)
{
	const uint32_t *p =
		bsearch(&kind, kinds, n, sizeof(*kinds), bd_cmp_u32);

	*at = p ? (size_t)(p - kinds) : 0;
	return p != NULL;
}

/* met[i]: something a file of kinds[i] loads was found in the run (a
 * library, its interpreter, a dlopen() target, a library matched by its
 * soname): the root holds things of that machine. Returns whether
 * something was found for any kind, those that want nothing included. */
static bool mark_met(const struct bd_graph *g, const uint32_t *kinds, size_t n,
		     bool *met)
{
	bool any = false;
	size_t i, at;

	for (i = 0; i < g->nedges; i++) {
		const struct bd_edge *e = &g->edges[i];

		if (!load_edge(e) || g->comps[e->to].kind == BD_COMP_UNRESOLVED)
			continue;
		any = true;
		if (kind_at(kinds, n, kind_of(&g->comps[e->from]), &at))
			met[at] = true;
	}
	return any;
}

/* ---- the root's machines ------------------------------------------ */

/*
 * The loaders a root of a machine has (PT_INTERP's names): glibc's, from
 * its sysdeps/unix/sysv/linux/<arch> (ldsodefs.h, shlib-versions), and
 * musl's /lib/ld-musl-<arch>.so.1 of the common archs (the others are
 * looked for by the kinds wanted, bd_target_musl_archs). A name may be
 * several machines' (/lib/ld.so.1: ppc's, s390's, m68k's...): the file's
 * own header says which.
 */
static const char *const loaders[] = {
	"/lib/ld-linux-aarch64.so.1",
	"/lib/ld-linux-aarch64_be.so.1",
	"/lib/ld-linux-arc.so.2",
	"/lib/ld-linux-arceb.so.2",
	"/lib/ld-linux-armhf.so.3",
	"/lib/ld-linux-cskyv2-hf.so.1",
	"/lib/ld-linux-cskyv2.so.1",
	"/lib/ld-linux-ia64.so.2",
	"/lib/ld-linux-mipsn8.so.1",
	"/lib/ld-linux-nios2.so.1",
	"/lib/ld-linux-or1k.so.1",
	"/lib/ld-linux-riscv32-ilp32.so.1",
	"/lib/ld-linux-riscv32-ilp32d.so.1",
	"/lib/ld-linux-riscv64-lp64.so.1",
	"/lib/ld-linux-riscv64-lp64d.so.1",
	"/lib/ld-linux.so.2",
	"/lib/ld-linux.so.3",
	"/lib/ld.so.1",
	"/lib/ld64.so.1",
	"/lib32/ld-linux-mipsn8.so.1",
	"/lib32/ld.so.1",
	"/lib64/ld-linux-loongarch-lp64d.so.1",
	"/lib64/ld-linux-loongarch-lp64s.so.1",
	"/lib64/ld-linux-mipsn8.so.1",
	"/lib64/ld-linux-x86-64.so.2",
	"/lib64/ld-linux.so.2",
	"/lib64/ld.so.1",
	"/lib64/ld64.so.1",
	"/lib64/ld64.so.2",
	"/libx32/ld-linux-x32.so.2",
	"/lib/ld-musl-aarch64.so.1",
	"/lib/ld-musl-arm.so.1",
	"/lib/ld-musl-armhf.so.1",
	"/lib/ld-musl-i386.so.1",
	"/lib/ld-musl-loongarch64.so.1",
	"/lib/ld-musl-powerpc.so.1",
	"/lib/ld-musl-powerpc64.so.1",
	"/lib/ld-musl-powerpc64le.so.1",
	"/lib/ld-musl-riscv64.so.1",
	"/lib/ld-musl-s390x.so.1",
	"/lib/ld-musl-x32.so.1",
	"/lib/ld-musl-x86_64.so.1",
};

/* Distinct cache entry flags looked at (a real cache has two or three:
 * FLAG_X8664_LIB64 | FLAG_ELF_LIBC6, FLAG_ELF_LIBC6 for i386, x32's), and
 * entries of each opened until one is an ELF file (a stale cache names
 * files gone): a hostile cache costs at most their product in opens. */
#define MAX_CACHE_ABIS	  32
#define MAX_TRIES_PER_ABI 4

/* The kinds the root holds, unsorted, and how many. */
struct held {
	uint32_t *kinds;
	size_t n, alloc;
};

/*
 * The ELF kind of the file at an inside path of the root, by its first
 * 20 bytes (e_ident, e_type, e_machine: System V ABI, "ELF Header"), read
 * through bd_root_open, confined to the root; the file is never run.
 * Returns 0 (*is_elf false for no such file, or one that is no ELF file)
 * or BD_ENOMEM.
 */
static int file_kind(const struct bd_root *root, const char *path, bool *is_elf,
		     uint32_t *kind)
{
	struct bd_buf host = BD_BUF_INIT;
	unsigned char h[20];
	struct stat st;
	ssize_t n = 0;
	int fd, rc = bd_root_host_of(root, "/", path, NULL, &host, NULL);

	*is_elf = false;
	if (!rc)
		rc = bd_root_open(root, host.data, 0, 0, &fd, &st, NULL);
	if (!rc) {
		do
			n = pread(fd, h, sizeof(h), 0);
		while (n < 0 && errno == EINTR);
		close(fd);
	}
	bd_buf_release(&host);
	if (rc == BD_ENOMEM)
		return rc;
	if (n == (ssize_t)sizeof(h) && !memcmp(h, ELFMAG, SELFMAG) &&
	    (h[EI_CLASS] == ELFCLASS32 || h[EI_CLASS] == ELFCLASS64) &&
	    (h[EI_DATA] == ELFDATA2LSB || h[EI_DATA] == ELFDATA2MSB)) {
		*kind = bd_elf_kind(
			h[EI_CLASS], h[EI_DATA],
			(unsigned)bd_load_uint(h + 18, 2,
					       h[EI_DATA] == ELFDATA2MSB));
		*is_elf = true;
	}
	return 0;
}

/* Adds the kind of the file at path, when it is an ELF file. */
static int hold_file(const struct bd_root *root, const char *path,
		     struct held *held, bool *is_elf)
{
	uint32_t kind = 0;
	int rc = file_kind(root, path, is_elf, &kind);

	if (rc || !*is_elf)
		return rc;
	if (BD_GROW(held->kinds, held->alloc, held->n + 1))
		return BD_ENOMEM;
	held->kinds[held->n++] = kind;
	return 0;
}

/*
 * The kinds of the cache's files: one file for each distinct entry flags
 * value. The flags are the ABI ldconfig gave the file (glibc's
 * elf/cache.c, sysdeps/generic/ldconfig.h: FLAG_X8664_LIB64,
 * FLAG_AARCH64_LIB64...), but not its kind: FLAG_ELF_LIBC6 alone is
 * i386's, ppc's, s390's, m68k's; FLAG_POWERPC_LIB64 either byte order's.
 * So the flags group the entries, and a file of each group is read.
 */
static int hold_cache(const struct bd_root *root, const struct bd_ldcache *c,
		      struct held *held)
{
	uint32_t flags[MAX_CACHE_ABIS];
	unsigned char tries[MAX_CACHE_ABIS];
	bool done[MAX_CACHE_ABIS], is_elf;
	size_t i, k, nflags = 0;
	int rc = 0;

	for (i = 0; c && i < c->n && !rc; i++) {
		for (k = 0; k < nflags && flags[k] != c->entries[i].flags; k++)
			;
		if (k == nflags) {
			if (nflags == MAX_CACHE_ABIS)
				continue;
			flags[k] = c->entries[i].flags;
			tries[k] = 0;
			done[k] = false;
			nflags++;
		}
		if (done[k] || tries[k] == MAX_TRIES_PER_ABI)
			continue;
		tries[k]++;
		rc = hold_file(root, c->entries[i].value, held, &is_elf);
		done[k] = is_elf;
	}
	return rc;
}

/* The musl loaders of the kinds wanted, by musl's names for their archs
 * (the common ones are in loaders[] already). */
static int hold_musl(const struct bd_root *root, const uint32_t *wanted,
		     size_t nwanted, struct held *held)
{
	const char *archs[BD_TARGET_MUSL_ARCHS];
	char path[64];
	size_t i, k, n;
	bool is_elf;
	int rc = 0;

	for (i = 0; i < nwanted && !rc; i++) {
		n = bd_target_musl_archs((wanted[i] >> 8) & 0xffu,
					 wanted[i] >> 16, wanted[i] & 0xffu,
					 archs, BD_TARGET_MUSL_ARCHS);
		for (k = 0; k < n && !rc; k++) {
			snprintf(path, sizeof(path), "/lib/ld-musl-%s.so.1",
				 archs[k]);
			rc = hold_file(root, path, held, &is_elf);
		}
	}
	return rc;
}

int bd_resolve_root_kinds(const struct bd_root *root,
			  const struct bd_ldcache *cache,
			  const uint32_t *wanted, size_t nwanted,
			  uint32_t **kinds, size_t *n)
{
	struct held held = { NULL, 0, 0 };
	bool is_elf;
	size_t i;
	int rc = hold_cache(root, cache, &held);

	for (i = 0; i < BD_ARRAY_SIZE(loaders) && !rc; i++)
		rc = hold_file(root, loaders[i], &held, &is_elf);
	if (!rc)
		rc = hold_musl(root, wanted, nwanted, &held);
	if (rc) {
		free(held.kinds);
		held.kinds = NULL;
		held.n = 0;
	}
	*kinds = held.kinds;
	*n = bd_sort_unique_u32(held.kinds, held.n);
	return rc;
}

/* ---- the warning ---------------------------------------------------- */

/* A need of a file of a machine the root holds nothing for. */
struct absent_miss {
	uint32_t kind, from, to;
};

static int cmp_miss(const void *pa, const void *pb)
{
	const struct absent_miss *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return a->to < b->to ? -1 : a->to > b->to;
}

static const char *first_path(const struct bd_component *c)
{
	return c->paths.n ? c->paths.items[0] : c->name;
}

/* "libc.so.6, libfoo.so.1 and 3 more": the names of what the misses
 * m[0..n) need, sorted, each once. */
static int named(const struct bd_graph *g, const struct absent_miss *m,
		 size_t n, struct bd_buf *out)
{
	const char **names = malloc(n * sizeof(*names));
	size_t i, k = 0;

	if (!names)
		return BD_ENOMEM;
	for (i = 0; i < n; i++)
		names[i] = g->comps[m[i].to].name;
	qsort(names, n, sizeof(*names), bd_cmp_str);
	for (i = 0; i < n; i++)
		if (!k || strcmp(names[k - 1], names[i]))
			names[k++] = names[i];
	for (i = 0; i < k && i < MAX_NAMED; i++)
		bd_buf_printf(out, "%s%s", i ? ", " : "", names[i]);
	if (k > i)
		bd_buf_printf(out, " and %zu more", k - i);
	free(names);
	return bd_buf_ok(out) ? 0 : BD_ENOMEM;
}

/*
 * One warning for the misses m[0..n) of one kind: the first of its files
 * by path, how many more, the machine (class and byte order too, as the
 * machine alone does not tell x32 from x86-64), what they need.
 */
static int warn_kind(const struct bd_graph *g, const struct bd_diag *diag,
		     const struct absent_miss *m, size_t n)
{
	const struct bd_component *c = &g->comps[m[0].to];
	const char *first = first_path(&g->comps[m[0].from]),
		   *cls = bd_elf_class_name(c->ei_class);
	char machine[BD_ELF_MACHINE_TEXT];
	struct bd_buf names = BD_BUF_INIT, who = BD_BUF_INIT;
	size_t i, files = 1;
	int rc;

	for (i = 1; i < n; i++) {
		const char *p = first_path(&g->comps[m[i].from]);

		if (m[i].from == m[i - 1].from)
			continue;
		files++;
		if (strcmp(p, first) < 0)
			first = p;
	}
	/* The file first, then what is wrong: "'x': needs", "'x' and 2
	 * more files need". */
	if (files == 1)
		bd_buf_printf(&who, "'%s': needs", first);
	else
		bd_buf_printf(&who, "'%s' and %zu more files need", first,
			      files - 1);
	rc = bd_buf_ok(&who) ? named(g, m, n, &names) : BD_ENOMEM;
	if (!rc)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "%s libraries no %s (%s, %s) file of the root "
			       "provides (%s): the root holds nothing for that "
			       "machine; give --root of such a system to "
			       "search them",
			       who.data,
			       bd_elf_machine_text(c->e_machine, machine),
			       cls ? cls : "ELFCLASSNONE",
			       bd_elf_byte_order_name(c->ei_data), names.data);
	bd_buf_release(&who);
	bd_buf_release(&names);
	return rc;
}

/* The misses of the kinds marked absent, by kind and file, and one
 * warning for each kind. */
static int warn_absent(const struct bd_graph *g, const struct bd_diag *diag)
{
	struct absent_miss *m = NULL;
	size_t i, j, n = 0, alloc = 0;
	int rc = 0;

	for (i = 0; i < g->nedges; i++) {
		const struct bd_edge *e = &g->edges[i];

		if (!load_edge(e) || !g->comps[e->to].machine_absent)
			continue;
		if (BD_GROW(m, alloc, n + 1)) {
			free(m);
			return BD_ENOMEM;
		}
		m[n++] = (struct absent_miss){ kind_of(&g->comps[e->to]),
					       e->from, e->to };
	}
	if (n)
		qsort(m, n, sizeof(*m), cmp_miss);
	for (i = 0; i < n && !rc; i = j) {
		for (j = i + 1; j < n && m[j].kind == m[i].kind; j++)
			;
		rc = warn_kind(g, diag, m + i, j - i);
	}
	free(m);
	return rc;
}

/*
 * Marks the unresolved components of the kinds absent: nothing the files
 * of the kind load was found in the run (met), and the root holds no file
 * of it (held, when it was told any) or, where the root was told none,
 * something of another kind was found.
 */
static void mark_absent(struct bd_graph *g, const uint32_t *kinds, size_t n,
			const bool *met, const uint32_t *held, size_t nheld)
{
	size_t i, at, held_at;

	for (i = 0; i < g->ncomps; i++) {
		struct bd_component *c = &g->comps[i];

		c->machine_absent =
			c->wants_elf_kind &&
			kind_at(kinds, n, kind_of(c), &at) && !met[at] &&
			!(nheld && kind_at(held, nheld, kind_of(c), &held_at));
	}
}

/*
 * The root's machines are those of its files the loader's configuration
 * names (ld.so.cache's) and of its loaders: a kind it holds nothing of,
 * nothing of which was found either, is another machine's, even in a run
 * of that machine alone (an aarch64 tree against an x86-64 root). A root
 * that holds no loader and no cache (a directory of a few libraries, an
 * image of one program) says nothing of its machines: then a kind is
 * absent when nothing of it was found and something of another was; where
 * nothing at all was found, the misses tell no machine apart: not-found,
 * as a broken install's.
 */
int bd_resolve_machines(struct bd_graph *g, const struct bd_root *root,
			const struct bd_ldcache *cache,
			const struct bd_diag *diag)
{
	uint32_t *kinds, *held = NULL;
	bool *met = NULL, any_met;
	size_t n, nheld = 0;
	int rc = wanted_kinds(g, &kinds, &n);

	if (!rc && n) {
		met = calloc(n, sizeof(*met));
		rc = met ? bd_resolve_root_kinds(root, cache, kinds, n, &held,
						 &nheld)
			 : BD_ENOMEM;
	}
	if (!rc && n) {
		any_met = mark_met(g, kinds, n, met);
		if (nheld || any_met) {
			mark_absent(g, kinds, n, met, held, nheld);
			rc = warn_absent(g, diag);
		}
	}
	free(held);
	free(met);
	free(kinds);
	return rc;
}
