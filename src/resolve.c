/* SPDX-License-Identifier: MIT */
/*
 * The resolve stage: glibc's loader, simulated without running anything.
 * References: elf/dl-load.c (_dl_map_object, open_path, fillin_rpath,
 * _dl_dst_substitute), elf/dl-deps.c (breadth-first dependencies),
 * elf/get-dynamic-info.h (DT_RUNPATH hides DT_RPATH).
 */
#include "bindep/resolve.h"
#include "bindep/buf.h"
#include "bindep/target.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VIA_RPATH	 "rpath"
#define VIA_LIBRARY_PATH "library-path"
#define VIA_RUNPATH	 "runpath"
#define VIA_CACHE	 "ld.so.cache"
#define VIA_CONF	 "ld.so.conf"
#define VIA_DEFAULT	 "default"
#define VIA_DIRECT	 "direct-path"
#define VIA_MUSL_PATH	 "ld-musl-path"
#define VIA_MUSL_BUILTIN "musl-builtin"
/* Not found by the search, met by soname (bd_resolve_preload). */
#define VIA_PRELOADED "preloaded"

#define NO_COMP UINT32_MAX

/* A component loaded in the process of the input `root`. */
struct bd_resolve_load {
	uint32_t root, comp;
};

/* Need k of `from` found nothing in the process of `root`. k indexes the
 * needed names of one file (the scan keeps at most 4,096): 32 bits keep a
 * need in 24 bytes, not 32, and there is one per library of each process
 * (tens of thousands in a Debian root). by_soname: the loader would take
 * an object loaded before for it by its DT_SONAME: glibc's, and its
 * search met no file of the name (bd_resolve_found.passed). */
struct bd_resolve_miss {
	uint32_t root, from, k;
	bool by_soname;
};

/* Need k of `from` was met by `to` in the process of `root`, which had
 * found `to` by vias[via] (NULL: it is the program). Its edge is added
 * once every process is known (judge_misses). One per need of each
 * process (150,000 on /usr/lib): 16 bytes, not 24. */
struct bd_resolve_need {
	uint32_t root, from, to;
	uint16_t k, via;
};

/* How a process found an object: the values of obj.via and found.via. */
static const char *const vias[] = { NULL,	 VIA_RPATH, VIA_LIBRARY_PATH,
				    VIA_RUNPATH, VIA_CACHE, VIA_CONF,
				    VIA_DEFAULT, VIA_DIRECT };

static uint16_t via_index(const char *via)
{
	uint16_t i;

	for (i = 1; i < BD_ARRAY_SIZE(vias); i++) {
		if (via == vias[i])
			return i;
	}
	return 0;
}

/*
 * A name a component asks for (a needed name, or an alternative of a
 * dlopen entry): its id (intern), and which memo slot answered it last,
 * in which search context (+ 1; 0: none yet). A component is searched
 * from in the same context in most processes: the answer is then taken
 * without a key to build and hash.
 */
struct name_ref {
	uint32_t name, context, slot;
};

/* Limits reported for a component (one warning each). */
#define LIMIT_DIRS   0x1u
#define LIMIT_PROBES 0x2u

/* What the search keeps of one component across the processes. */
struct bd_resolve_comp {
	struct name_ref *refs; /* its needed names, then dlopen alternatives */
	/* The target of its last edge per needed name, then per dlopen
	 * entry: the same edge again is known to be there. */
	uint32_t *last_to;
	bool has_refs;
	unsigned char limits;	  /* LIMIT_*: reported */
	uint32_t soname;	  /* its name id + 1; 0: not interned yet */
	uint32_t plain_context;	  /* + 1: its context when it has no dirs */
	uint32_t generation, obj; /* loaded in that process, as objs[obj] */
	const char *noted;	  /* the path note_via listed it by last */
};

/* Per name id, the process (generation) that holds it, as objs[obj]. */
struct bd_resolve_name {
	uint32_t held, obj;
};

/* A memoised search, and the id of the path it found. */
struct bd_resolve_memo {
	struct bd_resolve_found f;
	uint32_t path_id;
};

/*
 * A candidate path as tried before: its canonical path (NULL: it does not
 * exist) and host path, and what was learnt of the file: its device and
 * inode, its first bytes, or that it cannot be opened. Every program
 * tries its loader, and every new search context the cache's entries:
 * each was walked again, a system call per component and link.
 */
struct bd_resolve_tried {
	const char *real, *host;
	dev_t dev;
	ino_t ino;
	bool have_inode, unopenable;
	bool is_dir; /* the path leads to a directory */
	/* What open() makes of it other than a file or a directory:
	 * SPECIAL_*; 0 for none. */
	unsigned char special;
	unsigned char nhead; /* bytes of head read; 0: not opened */
	unsigned char head[BD_RESOLVE_HEAD];
	off_t size;	/* with have_size */
	bool have_size; /* opened here (learn) */
};

/* A candidate's open() fails with ELOOP, or ENXIO, or blocks; or calls a
 * device's driver. */
#define SPECIAL_LOOP   1
#define SPECIAL_SOCKET 2
#define SPECIAL_FIFO   3
#define SPECIAL_CHR    4
#define SPECIAL_BLK    5

/* ---- setup ------------------------------------------------------------- */

static void load_config(struct bd_resolver *r)
{
	struct bd_buf host = BD_BUF_INIT;
	struct bd_error e;
	int rc = bd_root_host_of(r->opts.root, "/", "/etc/ld.so.cache", NULL,
				 &host, NULL);

	if (!rc) {
		rc = bd_ldcache_load(&r->cache, r->opts.root, host.data, &e);
		if (rc && rc != BD_ENOENT && rc != BD_ENOMEM)
			bd_diag_failure(r->diag, &e,
					"using ld.so.conf instead");
	}
	r->have_cache = !rc;
	if (!r->have_cache) {
		bd_ldcache_release(&r->cache);
		bd_ldcache_init(&r->cache);
		r->have_conf = !bd_ldconf_load(r->opts.root, "/etc/ld.so.conf",
					       &r->conf, r->diag, &e);
	}
	bd_buf_release(&host);
}

/* ---- musl's loader -------------------------------------------------- */

/* The buffer musl's path_open builds "dir/name" in (load_library's buf,
 * 2 * NAME_MAX + 2 bytes): a directory whose path does not fit is
 * passed by, unopened. */
#define MUSL_PATH_BUF (2 * 255 + 2)

/* A musl path file's largest size read (musl reads any). */
#define MUSL_PATH_MAX_BYTES (64u << 10)

/* The arch in a musl loader's file name ("ld-musl-x86_64.so.1": its
 * LDSO_ARCH, "x86_64") into *arch, *n bytes; false for another name. */
static bool musl_name_arch(const char *path, const char **arch, size_t *n)
{
	const char *base = strrchr(path, '/');
	size_t np = strlen("ld-musl-"), ns = strlen(".so.1"), len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (strncmp(base, "ld-musl-", np) || len <= np + ns ||
	    strcmp(base + len - ns, ".so.1"))
		return false;
	*arch = base + np;
	*n = len - np - ns;
	return true;
}

/* What a PT_INTERP was found to lead to (struct bd_interp_memo): true
 * and *value when it was looked at. */
static bool memo_find(const struct bd_interp_memo *m, size_t n,
		      const char *interp, const char **value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(m[i].interp, interp)) {
			*value = m[i].value;
			return true;
		}
	return false;
}

/* Keeps what interp leads to; past BD_RESOLVE_MAX_MUSL interpreters (or
 * out of memory), not: it is looked at again, never guessed. */
static void memo_put(struct bd_resolver *r, struct bd_interp_memo **m,
		     size_t *n, size_t *alloc, const char *interp,
		     const char *value)
{
	if (*n >= BD_RESOLVE_MAX_MUSL || BD_GROW(*m, *alloc, *n + 1))
		return;
	(*m)[*n].interp = bd_arena_strdup(&r->arena, interp);
	(*m)[*n].value = value;
	if ((*m)[*n].interp)
		(*n)++;
}

/*
 * The arch of the musl loader named on the way from interp, link by link
 * in the root, to the file it leads to, NULL for none (or no such file):
 * the loader's own name may be another (musl's `make install` makes
 * ld-musl-<arch>.so.1 a link to libc.so, as Void's musl has it).
 */
static const char *musl_link_arch(struct bd_resolver *r, const char *interp)
{
	struct bd_buf path = BD_BUF_INIT, real = BD_BUF_INIT,
		      host = BD_BUF_INIT;
	const char *arch = NULL, *a;
	char to[PATH_MAX];
	struct stat st;
	int links = 0;
	ssize_t len;
	size_t n;

	if (bd_root_resolve(r->opts.root, "/", interp, true, &real))
		goto out; /* leads nowhere: no loader */
	bd_buf_adds(&path, interp);
	while (bd_buf_ok(&path) &&
	       !bd_root_resolve_links(r->opts.root, "/", path.data, false,
				      &real, NULL, &links)) {
		if (musl_name_arch(real.data, &a, &n)) {
			arch = bd_arena_strndup(&r->arena, a, n);
			break;
		}
		bd_root_host(r->opts.root, real.data, &host);
		if (!bd_buf_ok(&host) || lstat(host.data, &st) ||
		    !S_ISLNK(st.st_mode) || ++links > BD_ROOT_MAX_LINKS ||
		    (len = readlink(host.data, to, sizeof(to) - 1)) <= 0)
			break;
		to[len] = '\0';
		bd_buf_reset(&path);
		if (to[0] != '/') /* from the link's directory */
			bd_buf_add(&path, real.data,
				   (size_t)(strrchr(real.data, '/') -
					    real.data + 1));
		bd_buf_adds(&path, to);
	}
out:
	bd_buf_release(&path);
	bd_buf_release(&real);
	bd_buf_release(&host);
	return arch;
}

/*
 * The arch of the musl loader a PT_INTERP leads to, NULL when it leads to
 * none (glibc's loader). By its name, else by the names its links take
 * in the root: Alpine's libc6-compat and gcompat make glibc's loader names
 * (/lib64/ld-linux-x86-64.so.2) links to musl's, so that programs built
 * against glibc run, loaded by musl. The answers are kept (a root has a
 * few); past BD_RESOLVE_MAX_MUSL, looked at each time: an answer that
 * the other files scanned decide would not be the loader's.
 */
static const char *musl_arch(struct bd_resolver *r, const char *interp)
{
	const char *arch = NULL;
	size_t n;

	if (musl_name_arch(interp, &arch, &n))
		return bd_arena_strndup(&r->arena, arch, n);
	if (memo_find(r->musl_interps, r->nmusl_interps, interp, &arch))
		return arch;
	/* A relative one from "/", as the interpreter's own edge takes it
	 * (the kernel: from the current directory at exec). */
	arch = musl_link_arch(r, interp);
	memo_put(r, &r->musl_interps, &r->nmusl_interps, &r->amusl_interps,
		 interp, arch);
	return arch;
}

/*
 * The path file of musl's loader at interp (musl's ldso/dynlink.c,
 * load_library): "<prefix>/etc/ld-musl-<arch>.path", prefix being the
 * PT_INTERP as written up to its directory's parent ("" for /lib/ld-musl-
 * x86_64.so.1 and /lib64/ld-linux-x86-64.so.2, /usr for /usr/lib/...),
 * arch musl's own (musl_arch).
 */
static void musl_path_file(const char *interp, const char *arch,
			   struct bd_buf *out)
{
	const char *base = strrchr(interp, '/'), *dir, *end = interp;

	/* The last '/' before the loader's own; none for a relative one. */
	for (dir = interp; interp[0] == '/' && dir < base; dir++)
		if (*dir == '/')
			end = dir;
	bd_buf_reset(out);
	bd_buf_add(out, interp, (size_t)(end - interp));
	bd_buf_adds(out, "/etc/ld-musl-");
	bd_buf_adds(out, arch);
	bd_buf_adds(out, ".path");
}

/* Reads a path file's directories, separated by ':' or newlines, empty
 * ones skipped (musl's path_open); a file it cannot open or read is an
 * empty list (musl: sys_path "", for any errno but ENOENT: a symlink
 * loop, /etc a file), one that does not exist none (the defaults). */
static int musl_path_load(struct bd_resolver *r, const char *inside,
			  struct bd_musl_path *m)
{
	struct bd_buf host = BD_BUF_INIT, real = BD_BUF_INIT;
	struct bd_error e;
	char *text = NULL;
	size_t len = 0;
	int rc = 0, found, why;

	bd_root_host(r->opts.root, inside, &host);
	found = bd_root_resolve(r->opts.root, "/", inside, true, &real);
	why = errno; /* BD_ENOENT's (BD_ELIMIT: a symlink loop) */
	bd_buf_release(&real);
	if (!bd_buf_ok(&host) || found == BD_ENOMEM) {
		bd_buf_release(&host);
		return BD_ENOMEM;
	}
	if (found && (found != BD_ENOENT || why != ENOENT)) {
		m->have_file = true; /* not opened: no directory */
		bd_diag_report(r->diag, BD_DIAG_WARNING,
			       "'%s': cannot be opened (%s), musl's loader "
			       "searches no system directory",
			       inside,
			       found == BD_ELIMIT ? "a symlink loop"
						  : strerror(why));
	}
	if (!found) {
		m->have_file = true;
		rc = bd_root_read(r->opts.root, host.data, 0,
				  MUSL_PATH_MAX_BYTES, &text, &len, &e);
		if (rc && rc != BD_ENOMEM)
			bd_diag_failure(r->diag, &e,
					"musl's loader searches no system "
					"directory");
		if (rc == BD_ENOMEM)
			goto out;
		if (rc) {
			text = NULL; /* not set by a failed read */
			len = 0;
			rc = 0;
		}
	}
	if (text)
		rc = bd_musl_path_parse(text, len, &m->dirs);
	if (rc == BD_ELIMIT)
		bd_diag_report(r->diag, BD_DIAG_WARNING,
			       "'%s': more than %zu directories, searching the "
			       "first %zu",
			       inside, m->dirs.max, m->dirs.max);
out:
	free(text);
	bd_buf_release(&host);
	return rc == BD_ENOMEM ? rc : 0;
}

/*
 * The system directories of musl's loader at interp: its path file's
 * (*dirs), read on first use and kept; *dirs NULL for musl's defaults.
 * Only the search asks, on one thread. Past BD_RESOLVE_MAX_MUSL loaders
 * (a real root has one), the defaults.
 */
static int musl_dirs(struct bd_resolver *r, const char *interp,
		     const struct bd_dirlist **dirs)
{
	struct bd_buf path = BD_BUF_INIT;
	struct bd_musl_path *m;
	const char *arch;
	size_t i;
	int rc;

	*dirs = NULL;
	for (i = 0; i < r->nmusl_paths; i++) {
		if (!strcmp(r->musl_paths[i].interp, interp)) {
			m = &r->musl_paths[i];
			*dirs = m->have_file ? &m->dirs : NULL;
			return 0;
		}
	}
	arch = musl_arch(r, interp);
	if (r->nmusl_paths >= BD_RESOLVE_MAX_MUSL || !arch)
		return 0;
	musl_path_file(interp, arch, &path);
	rc = bd_buf_ok(&path) ? BD_GROW(r->musl_paths, r->amusl_paths,
					r->nmusl_paths + 1)
			      : BD_ENOMEM;
	if (!rc) {
		m = &r->musl_paths[r->nmusl_paths];
		memset(m, 0, sizeof(*m));
		bd_dirlist_init(&m->dirs);
		m->interp = bd_arena_strdup(&r->arena, interp);
		r->nmusl_paths++;
		rc = m->interp ? musl_path_load(r, path.data, m) : BD_ENOMEM;
		*dirs = !rc && m->have_file ? &m->dirs : NULL;
	}
	bd_buf_release(&path);
	return rc;
}

/*
 * The loader of the process whose main object is c: its PT_INTERP when
 * that is musl's; for a library (no PT_INTERP), in a root without
 * ld.so.cache nor Debian's layout, the musl loader of its machine in
 * /lib, when the root has one: a root of musl's (Alpine), whose programs
 * would load it. NULL: glibc's rules. The answers for a machine are
 * kept.
 */
static const char *musl_process(struct bd_resolver *r,
				const struct bd_component *c)
{
	const char *archs[BD_TARGET_MUSL_ARCHS];
	char want[64];
	size_t n, i, k;

	if (c->interp)
		return musl_arch(r, c->interp) ? c->interp : NULL;
	/* Not in Debian's layout: its musl package puts a loader in /lib
	 * beside glibc, whose libraries these are. */
	if (r->have_cache || r->multiarch || !r->opts.root)
		return NULL;
	for (i = 0; i < r->nmusl_loaders; i++)
		if (r->musl_loaders[i].machine == c->e_machine &&
		    r->musl_loaders[i].ei_class == c->ei_class &&
		    r->musl_loaders[i].ei_data == c->ei_data)
			return r->musl_loaders[i].interp;
	if (BD_GROW(r->musl_loaders, r->amusl_loaders, r->nmusl_loaders + 1))
		return NULL;
	r->musl_loaders[r->nmusl_loaders].machine = c->e_machine;
	r->musl_loaders[r->nmusl_loaders].ei_class = c->ei_class;
	r->musl_loaders[r->nmusl_loaders].ei_data = c->ei_data;
	r->musl_loaders[r->nmusl_loaders].interp = NULL;
	n = bd_target_musl_archs(c->ei_class, c->e_machine, c->ei_data, archs,
				 BD_TARGET_MUSL_ARCHS);
	for (k = 0; k < n; k++) {
		snprintf(want, sizeof(want), "/lib/ld-musl-%s.so.1", archs[k]);
		if (bd_root_exists(r->opts.root, want)) {
			r->musl_loaders[r->nmusl_loaders].interp =
				bd_arena_strdup(&r->arena, want);
			break;
		}
	}
	return r->musl_loaders[r->nmusl_loaders++].interp;
}

int bd_resolver_init(struct bd_resolver *r, struct bd_graph *g,
		     const struct bd_resolve_options *opts,
		     const struct bd_diag *diag, struct bd_error *err)
{
	(void)err;
	memset(r, 0, sizeof(*r));
	r->graph = g;
	r->opts = *opts;
	r->diag = diag;
	bd_arena_init(&r->arena);
	bd_map_init(&r->inodes);
	bd_map_init(&r->memo);
	bd_map_init(&r->contexts);
	bd_map_init(&r->name_ids);
	bd_map_init(&r->tried_map);
	bd_map_init(&r->edges);
	bd_map_init(&r->search_dir_map);
	r->run_probes_left = BD_RESOLVE_MAX_RUN_PROBES;
	bd_ldcache_init(&r->cache);
	bd_dirlist_init(&r->conf);
	if (r->opts.root) {
		load_config(r);
		/* Debian's multiarch layout, or the lib64 one of others. */
		r->multiarch =
			bd_root_exists(r->opts.root, "/etc/debian_version") ||
			bd_root_exists(r->opts.root,
				       "/usr/lib/x86_64-linux-gnu") ||
			bd_root_exists(r->opts.root,
				       "/usr/lib/aarch64-linux-gnu");
	}
	return 0;
}

void bd_resolver_release(struct bd_resolver *r)
{
	bd_map_release(&r->inodes);
	bd_map_release(&r->memo);
	bd_map_release(&r->contexts);
	bd_map_release(&r->name_ids);
	bd_map_release(&r->tried_map);
	free(r->comps);
	free(r->names);
	free(r->tried);
	free(r->memo_results);
	bd_map_release(&r->edges);
	bd_map_release(&r->search_dir_map);
	free(r->search_dirs);
	free(r->loads);
	free(r->misses);
	free(r->needs);
	free(r->dls);
	free(r->heads);
	bd_ldcache_release(&r->cache);
	bd_dirlist_release(&r->conf);
	for (size_t i = 0; i < r->nmusl_paths; i++)
		bd_dirlist_release(&r->musl_paths[i].dirs);
	free(r->musl_interps);
	free(r->biarch);
	free(r->musl_paths);
	free(r->musl_loaders);
	bd_arena_release(&r->arena);
}

void bd_resolver_set_reader(struct bd_resolver *r,
			    const struct bd_resolve_reader *rd)
{
	r->reader = *rd;
}

/* ---- components --------------------------------------------------------- */

static char *put_hex(char *p, unsigned long long v)
{
	char digits[16];
	size_t n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/* "dev:ino" in hex, written without printf: it is asked for every path
 * merged and every candidate judged. */
#define INODE_KEY_SIZE 36
static size_t inode_key(char buf[INODE_KEY_SIZE], dev_t dev, ino_t ino)
{
	char *p = put_hex(buf, (unsigned long long)dev);

	*p++ = ':';
	p = put_hex(p, (unsigned long long)ino);
	*p = '\0';
	return (size_t)(p - buf);
}

bool bd_resolver_known(const struct bd_resolver *r, dev_t dev, ino_t ino,
		       uint32_t *id)
{
	char buf[INODE_KEY_SIZE];
	size_t len = inode_key(buf, dev, ino);

	return bd_map_getn(&r->inodes, buf, len, id);
}

/* A host path found, as shown (bd_relative_path). */
static const char *relative(const struct bd_resolver *r, const char *path)
{
	return bd_root_is_host(bd_root_base(r->opts.root))
		       ? bd_relative_path(r->opts.relative, path)
		       : path;
}

int bd_resolver_add_path(struct bd_resolver *r, uint32_t id, dev_t dev,
			 ino_t ino, const char *path)
{
	char buf[INODE_KEY_SIZE];
	size_t len = inode_key(buf, dev, ino);
	uint64_t hash = bd_map_hash(buf, len); /* once, for both */
	const char *key;

	if (!bd_map_geth(&r->inodes, buf, len, hash, NULL)) {
		key = bd_arena_strndup(&r->arena, buf, len);
		if (!key || bd_map_puth(&r->inodes, key, hash, id))
			return BD_ENOMEM;
	}
	return path ? bd_graph_add_path(r->graph, id, relative(r, path)) : 0;
}

enum bd_comp_kind bd_resolve_kind(const struct bd_elf_info *info)
{
	if (!info || !info->ei_class)
		return BD_COMP_ELF_OTHER;
	if (info->e_type == ET_EXEC)
		return BD_COMP_EXECUTABLE;
	if (info->e_type != ET_DYN)
		return BD_COMP_ELF_OTHER;
	/* ET_DYN is a library or a position-independent executable: PIE
	 * says so in DT_FLAGS_1; else a soname means a library (libc.so.6
	 * has PT_INTERP too), and PT_INTERP alone an executable. */
	if (info->has_flags_1 && (info->flags_1 & DF_1_PIE))
		return BD_COMP_EXECUTABLE;
	if (info->soname)
		return BD_COMP_LIBRARY;
	return info->interp ? BD_COMP_EXECUTABLE : BD_COMP_LIBRARY;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static int new_file_component(struct bd_resolver *r,
			      const struct bd_scanned_file *f, const char *key,
			      uint64_t hash, uint32_t *id)
{
	struct bd_graph *g = r->graph;
	struct bd_component *c;
	int rc;

	rc = bd_graph_addh(g, key, hash, bd_resolve_kind(f->info), id);
	if (rc)
		return rc;
	c = bd_graph_comp(g, *id);
	strcpy(c->sha256, f->sha256);
	c->dev = f->dev;
	c->ino = f->ino;
	c->error = bd_graph_strdup(g, f->error);
	c->inside = bd_graph_strdup(g, f->inside);
	c->host = bd_graph_strdup(g, f->host);
	if ((f->inside && !c->inside) || (f->host && !c->host))
		return BD_ENOMEM;
	if (f->info && bd_graph_set_elf(g, *id, f->info))
		return BD_ENOMEM;
	c = bd_graph_comp(g, *id);
	c->name =
		c->soname ? c->soname : bd_graph_strdup(g, base_name(f->path));
	return c->name ? 0 : BD_ENOMEM;
}

/* Keeps the first bytes of a component's file (the first file read for
 * it: the others have the same content). */
/* Grows an array indexed by component id to hold id, the new slots
 * zeroed. Returns 0 or BD_ENOMEM. */
static int grow_zeroed(void **arr, size_t *alloc, size_t id, size_t elem)
{
	size_t old = *alloc;

	if (id < old)
		return 0;
	if (bd_grow(arr, alloc, id + 1, elem))
		return BD_ENOMEM;
	memset((char *)*arr + old * elem, 0, (*alloc - old) * elem);
	return 0;
}

#define GROW_ZEROED(arr, alloc, id)                                            \
	grow_zeroed((void **)&(arr), &(alloc), (id), sizeof(*(arr)))

static int keep_head(struct bd_resolver *r, uint32_t id,
		     const struct bd_resolve_cand *head)
{
	if (GROW_ZEROED(r->heads, r->aheads, id))
		return BD_ENOMEM;
	if (head && !r->heads[id].n && head->n) {
		memcpy(r->heads[id].head, head->head, sizeof(head->head));
		r->heads[id].n = (unsigned char)head->n;
	}
	return 0;
}

int bd_resolver_add_file(struct bd_resolver *r, const struct bd_scanned_file *f,
			 uint32_t *id)
{
	struct bd_buf key = BD_BUF_INIT;
	uint64_t hash;
	int rc = 0;

	/* Same content, same component: the key is the hash, or the path
	 * for a file that could not be hashed. */
	bd_buf_adds(&key, f->sha256[0] ? "sha256:" : "path:");
	bd_buf_adds(&key, f->sha256[0] ? f->sha256 : f->path);
	/* Hashed once for the look-up and, when new, the add. */
	hash = bd_buf_ok(&key) ? bd_map_hash(key.data, key.len) : 0;
	if (!bd_buf_ok(&key))
		rc = BD_ENOMEM;
	else if (!bd_graph_findh(r->graph, key.data, hash, id))
		rc = new_file_component(r, f, key.data, hash, id);
	if (!rc)
		rc = bd_resolver_add_path(r, *id, f->dev, f->ino, f->path);
	if (!rc)
		rc = keep_head(r, *id, f->head);
	bd_buf_release(&key);
	return rc;
}

/*
 * The component for a name nothing provides to `from`: one per name and
 * ELF kind of the files that need it, keyed "soname:<kind>:<name>"
 * (bd_elf_kind_text: "soname:x86_64:ELF64:little-endian:libfoo.so.1").
 * The loader's search skips a candidate of another class, byte order or
 * machine, so aarch64's libfoo.so.1 and x86_64's are two things to
 * provide; and a missing interpreter too, as two machines' programs may
 * name one path (/lib/ld.so.1 is ppc's, s390's and mips' loader,
 * /lib/ld-linux.so.2 i386's and sparc's). The kind's three names hold no
 * ':': what follows the key's fourth is the name whole.
 */
static int unresolved(struct bd_graph *g, uint32_t from, const char *soname,
		      uint32_t *id)
{
	const struct bd_component *req = &g->comps[from];
	unsigned ei_class = req->ei_class, ei_data = req->ei_data,
		 e_machine = req->e_machine;
	char kind[BD_ELF_KIND_TEXT];
	struct bd_buf key = BD_BUF_INIT;
	struct bd_component *c;
	int rc = 0;

	bd_elf_kind_text(ei_class, ei_data, e_machine, kind);
	bd_buf_printf(&key, "soname:%s:%s", kind, soname);
	if (!bd_buf_ok(&key))
		rc = BD_ENOMEM;
	else if (!bd_graph_find(g, bd_buf_str(&key), id)) {
		rc = bd_graph_add(g, bd_buf_str(&key), BD_COMP_UNRESOLVED, id);
		if (!rc) {
			c = bd_graph_comp(g, *id);
			c->soname = bd_graph_strdup(g, soname);
			c->name = c->soname;
			c->wants_elf_kind = true;
			c->ei_class = ei_class;
			c->ei_data = ei_data;
			c->e_machine = e_machine;
			rc = c->soname ? 0 : BD_ENOMEM;
		}
	}
	bd_buf_release(&key);
	return rc;
}

/* ---- dynamic string tokens ------------------------------------------------
 */

/* Length of a DST name at p ("ORIGIN" or "{ORIGIN}"), 0 when not it. */
static size_t dst_len(const char *p, size_t avail, const char *name)
{
	size_t n = strlen(name);

	if (avail >= n + 2 && p[0] == '{' && !strncmp(p + 1, name, n) &&
	    p[n + 1] == '}')
		return n + 2;
	/* Unbraced, the name must end there (glibc's is_dst). */
	if (avail >= n && !strncmp(p, name, n) &&
	    (avail == n || !(isalnum((unsigned char)p[n]) || p[n] == '_')))
		return n;
	return 0;
}

bool bd_resolve_expand(const char *element, size_t len, const char *origin,
		       const char *lib, const char *platform,
		       struct bd_buf *out)
{
	const char *names[] = { "ORIGIN", "LIB", "PLATFORM" };
	const char *values[] = { origin, lib, platform };
	size_t i = 0, k, n;

	bd_buf_reset(out);
	/* Cut at PATH_MAX: no such path opens (ENAMETOOLONG), and a name of
	 * 20,000 "$ORIGIN" 3,000 bytes deep would be 60 MB, each time. */
	while (i < len && out->len < PATH_MAX) {
		if (element[i] != '$') {
			bd_buf_addc(out, element[i++]);
			continue;
		}
		for (k = 0, n = 0; k < BD_ARRAY_SIZE(names) && !n; k++) {
			n = dst_len(element + i + 1, len - i - 1, names[k]);
			if (n)
				bd_buf_adds(out, values[k]);
		}
		if (!n)
			bd_buf_addc(out, '$'); /* not a DST: kept, as glibc */
		i += 1 + n;
	}
	return bd_buf_ok(out);
}

/* ---- one load graph ------------------------------------------------------ */

/* A directory of a search list and how it came to be there. */
struct dir {
	const char *path; /* inside the root */
	const char *via;
	uint32_t list; /* which list it came from (a DT_RPATH, ...) */
};

/* An object loaded in the simulated process. */
struct obj {
	uint32_t comp;
	size_t loader;	    /* the object whose need loaded it; SIZE_MAX */
	const char *origin; /* $ORIGIN: its directory as the loader sees it */
	struct dir *dirs;   /* rpath chain, library path, runpath */
	size_t ndirs;
	uint32_t context; /* id of the search context (make_context) */
	bool dirs_capped; /* its search list was cut */
	const char *via;  /* how this process found it; NULL: the program */
	bool has_runpath;
	const char *musl; /* the process's musl loader; NULL: glibc's */
	const char *path; /* the path it was opened by */
	bool shortname;	  /* musl: it is taken by a name (load_library's) */
	uint32_t lists;	  /* lists pushed to dirs so far */
};

/* The names it holds (soname, needed name, path) and those searched in
 * vain are marked per name id with the resolver's generation. */
struct lgraph {
	struct bd_arena arena;
	struct obj *objs;
	size_t n, alloc;
	const char *cwd;  /* where relative paths start */
	const char *musl; /* the process's musl loader; NULL: glibc's */
	bool passed;	  /* the last name resolved: its search's passed */
};

/* ---- what the search keeps across processes ---------------------------- */

/* The state kept for component id, made on first use; NULL: out of
 * memory. The pointer lasts until the next call. */
static struct bd_resolve_comp *comp_state(struct bd_resolver *r, uint32_t id)
{
	return GROW_ZEROED(r->comps, r->acomps, id) ? NULL : &r->comps[id];
}

/* The id of a name (a soname, a needed name, a path): one hash per name
 * and component for the run, where every process looked each of its
 * names up by its text. The string must last the run (the graph's or the
 * resolver's). */
static int intern(struct bd_resolver *r, const char *name, uint32_t *id)
{
	size_t len = strlen(name);
	uint64_t hash = bd_map_hash(name, len);

	if (bd_map_geth(&r->name_ids, name, len, hash, id))
		return 0;
	if (r->nnames >= UINT32_MAX - 1 ||
	    BD_GROW(r->names, r->anames, r->nnames + 1))
		return BD_ENOMEM;
	memset(&r->names[r->nnames], 0, sizeof(*r->names));
	*id = (uint32_t)r->nnames;
	if (bd_map_puth(&r->name_ids, name, hash, *id))
		return BD_ENOMEM;
	r->nnames++;
	return 0;
}

/* Total names a component asks for: needed, then dlopen alternatives. */
static size_t count_refs(const struct bd_component *c)
{
	size_t n = c->nneeded, k;

	for (k = 0; k < c->ndlopen; k++)
		n += c->dlopen[k].nsonames;
	return n;
}

static int make_refs(struct bd_resolver *r, const struct bd_component *c,
		     struct bd_resolve_comp *cs)
{
	size_t n = count_refs(c), edges = c->nneeded + c->ndlopen, i, k, a;
	int rc = 0;

	if (n > SIZE_MAX / sizeof(*cs->refs) ||
	    edges > SIZE_MAX / sizeof(*cs->last_to))
		return BD_ENOMEM;
	cs->refs = bd_arena_alloc(&r->arena, (n ? n : 1) * sizeof(*cs->refs));
	cs->last_to = bd_arena_alloc(&r->arena, (edges ? edges : 1) *
							sizeof(*cs->last_to));
	if (!cs->refs || !cs->last_to)
		return BD_ENOMEM;
	for (i = 0; i < edges; i++)
		cs->last_to[i] = NO_COMP;
	for (i = 0; i < c->nneeded && !rc; i++)
		rc = intern(r, c->needed[i], &cs->refs[i].name);
	for (k = 0; k < c->ndlopen && !rc; k++) {
		for (a = 0; a < c->dlopen[k].nsonames && !rc; a++)
			rc = intern(r, c->dlopen[k].sonames[a],
				    &cs->refs[i++].name);
	}
	for (i = 0; i < n; i++)
		cs->refs[i].context = 0;
	return rc;
}

/* The names component id asks for, interned on first use: *refs and
 * *last_to (arena arrays: they last the run). */
static int comp_refs(struct bd_resolver *r, uint32_t id, struct name_ref **refs,
		     uint32_t **last_to)
{
	struct bd_resolve_comp *cs = comp_state(r, id);
	int rc = 0;

	if (!cs)
		return BD_ENOMEM;
	if (!cs->has_refs) {
		rc = make_refs(r, &r->graph->comps[id], cs);
		cs->has_refs = !rc;
	}
	*refs = cs->refs;
	*last_to = cs->last_to;
	return rc;
}

/* A new process: no name held, no component loaded. */
static void new_process(struct bd_resolver *r)
{
	size_t i;

	if (++r->generation)
		return;
	/* 2^32 processes: the marks are cleared, as they would be. */
	for (i = 0; i < r->nnames; i++)
		r->names[i].held = 0;
	for (i = 0; i < r->acomps; i++)
		r->comps[i].generation = 0;
	r->generation = 1;
}

/* Whether the process holds name id (as objs[*index]). */
static bool held(const struct bd_resolver *r, uint32_t name, size_t *index)
{
	if (name >= r->nnames || r->names[name].held != r->generation)
		return false;
	*index = r->names[name].obj;
	return true;
}

/* The process holds name id by objs[index], unless by another already. */
static void hold(struct bd_resolver *r, uint32_t name, size_t index)
{
	if (name < r->nnames && r->names[name].held != r->generation) {
		r->names[name].held = r->generation;
		r->names[name].obj = (uint32_t)index;
	}
}

/* The PT_INTERP of the program of a simulated process, NULL for a
 * library loaded alone. */
static const char *process_interp(const struct bd_resolver *r,
				  const struct lgraph *lg)
{
	return r->graph->comps[lg->objs[0].comp].interp;
}

/*
 * The directory of the loader of c's process when it is Debian's biarch
 * one (bd_target_biarch): the process's PT_INTERP (pinterp), else, for a
 * library loaded alone, the one of its class and machine. NULL when that
 * is none, or leads to no file. Kept by the loader's path; past
 * BD_RESOLVE_MAX_MUSL paths, only not kept.
 */
static const char *biarch_dir(struct bd_resolver *r,
			      const struct bd_component *c, const char *pinterp)
{
	const char *loader = bd_target_biarch_loader(c->ei_class, c->e_machine);
	struct bd_buf real = BD_BUF_INIT;
	const char *dir = NULL;
	char *slash;

	if (!loader)
		return NULL;
	if (pinterp && *pinterp) /* a relative one from "/", as musl_arch */
		loader = pinterp;
	if (memo_find(r->biarch, r->nbiarch, loader, &dir))
		return dir;
	if (!bd_root_resolve(r->opts.root, "/", loader, true, &real) &&
	    (slash = strrchr(real.data, '/')) != NULL) {
		*slash = '\0';
		dir = bd_arena_strdup(&r->arena, real.data);
	}
	bd_buf_release(&real);
	memo_put(r, &r->biarch, &r->nbiarch, &r->abiarch, loader, dir);
	return dir;
}

/* glibc's loader of c, by its class and machine, PT_INTERP and the root:
 * Debian's multiarch one, else a biarch one where the root has it (that
 * of pinterp, the PT_INTERP of c's process). */
static void target_of(struct bd_resolver *r, const struct bd_component *c,
		      const char *interp, const char *pinterp,
		      struct bd_target *t)
{
	const char *dir;

	bd_target_for(c->ei_class, c->e_machine, c->ei_data, interp,
		      r->multiarch, t);
	if (!t->musl && (dir = biarch_dir(r, c, pinterp)) != NULL)
		bd_target_biarch(t, dir);
}

/* Appends one directory to an object's search list. Relative directories
 * start from the current directory, as the loader's open() does. A
 * directory already in the same list (one DT_RPATH, DT_RUNPATH or
 * --library-path) is not added again: searching it twice finds what the
 * first time found (glibc's fillin_rpath drops such duplicates too), and
 * a hostile RUNPATH repeats one directory to multiply the work (issue
 * 11). */
static int push_dir(struct lgraph *lg, struct obj *o, size_t *alloc,
		    const char *path, const char *via)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *copy = NULL;
	size_t i;

	if (path[0] == '/')
		bd_buf_adds(&b, path);
	else
		bd_buf_printf(&b, "%s/%s", lg->cwd, path);
	if (!bd_buf_ok(&b))
		return BD_ENOMEM;
	/* Within its own list only, as fillin_rpath: the next list (the
	 * loader's DT_RPATH) tries it again, which matters when a symlink
	 * loop there ends each list it is in. */
	for (i = o->ndirs; i > 0 && o->dirs[i - 1].list == o->lists; i--) {
		if (!strcmp(o->dirs[i - 1].path, b.data)) {
			bd_buf_release(&b);
			return 0;
		}
	}
	if (o->ndirs >= BD_RESOLVE_MAX_SEARCH_DIRS) {
		o->dirs_capped = true;
		bd_buf_release(&b);
		return 0;
	}
	copy = bd_arena_strdup(&lg->arena, b.data);
	bd_buf_release(&b);
	if (!copy || BD_GROW(o->dirs, *alloc, o->ndirs + 1))
		return BD_ENOMEM;
	o->dirs[o->ndirs].path = copy;
	o->dirs[o->ndirs].list = o->lists;
	o->dirs[o->ndirs++].via = via;
	return 0;
}

/* Appends the elements of a colon-separated list, tokens expanded; an
 * empty element is the current directory (fillin_rpath), but an empty
 * list is none: decompose_rpath ignores an empty DT_RPATH or DT_RUNPATH,
 * and _dl_init_paths an empty LD_LIBRARY_PATH, which ';' separates too. */
static int push_list(struct lgraph *lg, struct obj *o, size_t *alloc,
		     const char *list, const char *via, const char *origin,
		     const struct bd_target *t)
{
	const char *seps = strcmp(via, VIA_LIBRARY_PATH) ? ":" : ":;";
	struct bd_buf b = BD_BUF_INIT;
	const char *p = list;
	int rc = 0;

	if (!*list)
		return 0;
	o->lists++; /* each list is one open_path: see search_dirs */
	for (;;) {
		size_t len = strcspn(p, seps);

		if (!bd_resolve_expand(p, len, origin, t->lib,
				       t->platform ? t->platform : "", &b))
			rc = BD_ENOMEM;
		else if (b.len < PATH_MAX) /* else no directory opens */
			rc = push_dir(lg, o, alloc, len ? b.data : ".", via);
		if (rc || !p[len] || o->dirs_capped)
			break;
		p += len + 1;
	}
	bd_buf_release(&b);
	return rc;
}

static const char *first_path(const struct bd_component *c)
{
	return c->paths.n ? c->paths.items[0] : c->name;
}

/* Whether limit `what` (LIMIT_*) was hit by comp before; records it. */
static int limit_seen(struct bd_resolver *r, unsigned what, uint32_t comp,
		      bool *seen)
{
	struct bd_resolve_comp *cs = comp_state(r, comp);

	if (!cs)
		return BD_ENOMEM;
	*seen = cs->limits & what;
	cs->limits |= (unsigned char)what;
	return 0;
}

/* One warning per file when its search list was cut. */
static int report_dirs_capped(struct bd_resolver *r, uint32_t comp)
{
	bool seen;
	int rc = limit_seen(r, LIMIT_DIRS, comp, &seen);

	if (!rc && !seen)
		bd_diag_report(r->diag, BD_DIAG_WARNING,
			       "'%s': more than %d library search directories, "
			       "searching the first %d",
			       first_path(&r->graph->comps[comp]),
			       BD_RESOLVE_MAX_SEARCH_DIRS,
			       BD_RESOLVE_MAX_SEARCH_DIRS);
	return rc;
}

/* Whether musl uses a list: its only token is $ORIGIN (or ${ORIGIN});
 * with another '$' it takes no list at all (fixup_rpath). */
static bool musl_list_ok(const char *list)
{
	const char *t;

	for (t = strchr(list, '$'); t; t = strchr(t + 1, '$'))
		if (strncmp(t, "$ORIGIN", 7) && strncmp(t, "${ORIGIN}", 9))
			return false;
	return true;
}

/* A list as musl's fixup_rpath makes it: each $ORIGIN or ${ORIGIN}
 * replaced by origin, whatever follows it ($ORIGIN_x is origin "_x"),
 * in the whole list before it is split (an origin with a ':' is two
 * elements). musl_list_ok said that each '$' starts one. */
static void musl_expand(const char *list, const char *origin, struct bd_buf *b)
{
	const char *t;

	while ((t = strchr(list, '$'))) {
		bd_buf_add(b, list, (size_t)(t - list));
		bd_buf_adds(b, origin);
		list = t + 7 + 2 * (t[1] == '{');
	}
	bd_buf_adds(b, list);
}

/* Appends the elements of a list as musl reads one: separated by ':' or
 * newlines, empty ones skipped, $ORIGIN expanded when origin is given
 * (LD_LIBRARY_PATH's are not expanded). */
static int push_musl_list(struct lgraph *lg, struct obj *o, size_t *alloc,
			  const char *list, const char *via, const char *origin)
{
	struct bd_buf b = BD_BUF_INIT, whole = BD_BUF_INIT;
	const char *p = list;
	int rc = 0;

	if (origin) {
		musl_expand(list, origin, &whole);
		p = whole.data;
		rc = bd_buf_ok(&whole) ? 0 : BD_ENOMEM;
	}
	while (!rc && !o->dirs_capped) {
		size_t len;

		p += strspn(p, ":\n");
		len = strcspn(p, ":\n");
		if (!len)
			break;
		bd_buf_reset(&b);
		bd_buf_add(&b, p, len);
		if (!bd_buf_ok(&b))
			rc = BD_ENOMEM;
		else
			rc = push_dir(lg, o, alloc, b.data, via);
		p += len;
	}
	bd_buf_release(&b);
	bd_buf_release(&whole);
	return rc;
}

/*
 * musl's search list (ldso/dynlink.c, load_library): LD_LIBRARY_PATH,
 * then the list of the object that needs the library, then of the one
 * that loaded it, up to the program; each object's list is its
 * DT_RUNPATH, else its DT_RPATH, both inherited.
 */
static int musl_search_list(struct bd_resolver *r, struct lgraph *lg, size_t i)
{
	struct obj *o = &lg->objs[i];
	size_t alloc = 0, l;
	int rc = 0;

	if (r->opts.library_path)
		rc = push_musl_list(lg, o, &alloc, r->opts.library_path,
				    VIA_LIBRARY_PATH, NULL);
	for (l = i; l != SIZE_MAX && !rc; l = lg->objs[l].loader) {
		const struct bd_component *lc =
			&r->graph->comps[lg->objs[l].comp];
		const char *list = lc->runpath ? lc->runpath : lc->rpath;

		if (list && musl_list_ok(list))
			rc = push_musl_list(lg, o, &alloc, list,
					    lc->runpath ? VIA_RUNPATH
							: VIA_RPATH,
					    lg->objs[l].origin);
	}
	if (!rc && o->dirs_capped)
		rc = report_dirs_capped(r, o->comp);
	return rc;
}

/* The search list of an object: DT_RPATH up the loader chain unless it
 * has DT_RUNPATH, --library-path, its own DT_RUNPATH. The cache and the
 * default directories depend only on the target and follow. */
static int search_list(struct bd_resolver *r, struct lgraph *lg, size_t i)
{
	struct obj *o = &lg->objs[i];
	const struct bd_component *c = &r->graph->comps[o->comp];
	struct bd_target t;
	size_t alloc = 0, l;
	int rc = 0;

	if (i == 0)
		lg->musl = musl_process(r, c);
	o->musl = lg->musl;
	if (o->musl)
		return musl_search_list(r, lg, i);
	o->has_runpath = c->runpath != NULL;
	if (!o->has_runpath && !r->opts.library_path) {
		/* Most objects: no list of their own; an RPATH up the chain? */
		for (l = i; l != SIZE_MAX; l = lg->objs[l].loader) {
			const struct bd_component *lc =
				&r->graph->comps[lg->objs[l].comp];

			if (lc->rpath && !lc->runpath)
				break;
		}
		if (l == SIZE_MAX)
			return 0;
	}
	target_of(r, c, c->interp, process_interp(r, lg), &t);
	for (l = i; !o->has_runpath && l != SIZE_MAX && !rc;
	     l = lg->objs[l].loader) {
		const struct bd_component *lc =
			&r->graph->comps[lg->objs[l].comp];

		/* An object with DT_RUNPATH has no DT_RPATH for the loader
		 * (get-dynamic-info.h), also as an ancestor. */
		if (lc->rpath && !lc->runpath)
			rc = push_list(lg, o, &alloc, lc->rpath, VIA_RPATH,
				       lg->objs[l].origin, &t);
	}
	if (!rc && r->opts.library_path)
		rc = push_list(lg, o, &alloc, r->opts.library_path,
			       VIA_LIBRARY_PATH, lg->objs[0].origin, &t);
	if (!rc && c->runpath)
		rc = push_list(lg, o, &alloc, c->runpath, VIA_RUNPATH,
			       o->origin, &t);
	if (!rc && o->dirs_capped)
		rc = report_dirs_capped(r, o->comp);
	return rc;
}

/* n in decimal, as "%u" writes it, then the separator sep. */
static void add_number(struct bd_buf *b, unsigned n, char sep)
{
	char text[16], *p = text + sizeof(text);

	*--p = sep;
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	bd_buf_add(b, p, (size_t)(text + sizeof(text) - p));
}

/* The context of searches from an object: everything they depend on. It
 * is stored once per run and named by an id in the memo keys (a hostile
 * search list may be long; a key per name would repeat it). */
static int make_context(struct bd_resolver *r, struct obj *o)
{
	const struct bd_component *c = &r->graph->comps[o->comp];
	struct bd_resolve_comp *cs = comp_state(r, o->comp);
	struct bd_buf b = BD_BUF_INIT;
	const char *copy;
	size_t i;
	int rc = 0;

	if (!cs)
		return BD_ENOMEM;
	/* Without search directories, it is the component's own (in a
	 * glibc process: a musl one searches other system directories). */
	if (!o->ndirs && !o->musl && cs->plain_context) {
		o->context = cs->plain_context - 1;
		return 0;
	}
	/* "%u/%u/%u/%d/%s|" and "%s%u=%s:" a directory, put together by
	 * hand: vsnprintf, twice for a buffer that must grow, was 18% of
	 * the linking on a Debian root (issue 13). */
	add_number(&b, c->ei_class, '/');
	add_number(&b, c->ei_data, '/');
	add_number(&b, c->e_machine, '/');
	add_number(&b, c->has_flags_1 && (c->flags_1 & DF_1_NODEFLIB), '/');
	bd_buf_adds(&b, o->musl ? o->musl : c->interp ? c->interp : "");
	bd_buf_addc(&b, '|');
	for (i = 0; i < o->ndirs; i++) {
		/* With its list: a symlink loop ends a list, not the next. */
		bd_buf_adds(&b, o->dirs[i].via);
		add_number(&b, o->dirs[i].list, '=');
		bd_buf_adds(&b, o->dirs[i].path);
		bd_buf_addc(&b, ':');
	}
	if (!bd_buf_ok(&b)) {
		rc = BD_ENOMEM;
	} else if (!bd_map_get(&r->contexts, b.data, &o->context)) {
		o->context = (uint32_t)r->contexts.count;
		copy = bd_arena_strdup(&r->arena, b.data);
		rc = copy ? bd_map_put(&r->contexts, copy, o->context)
			  : BD_ENOMEM;
	}
	if (!rc && !o->ndirs && !o->musl)
		r->comps[o->comp].plain_context = o->context + 1;
	bd_buf_release(&b);
	return rc;
}

/* ---- candidates ------------------------------------------------------------
 */

/* The 16-bit field at off of an ELF header's first bytes, in the byte
 * order its e_ident says (e_type at 16, e_machine at 18). */
static unsigned head_half(const unsigned char *h, size_t off)
{
	return h[EI_DATA] == ELFDATA2MSB ? (unsigned)(h[off] << 8 | h[off + 1])
					 : (unsigned)(h[off + 1] << 8 | h[off]);
}

/* The 32-bit field at off (e_version at 20), as head_half reads. */
static uint32_t head_word(const unsigned char *h, size_t off)
{
	return h[EI_DATA] == ELFDATA2MSB
		       ? (uint32_t)h[off] << 24 | (uint32_t)h[off + 1] << 16 |
				 (uint32_t)h[off + 2] << 8 | h[off + 3]
		       : (uint32_t)h[off + 3] << 24 |
				 (uint32_t)h[off + 2] << 16 |
				 (uint32_t)h[off + 1] << 8 | h[off];
}

/* Where e_phentsize is: after e_entry, e_phoff and e_shoff, each of the
 * class's address size (System V ABI, "ELF Header"). */
#define PHENTSIZE_AT(ei_class) ((ei_class) == ELFCLASS64 ? 54u : 42u)

bool bd_resolve_cand_fits(const struct bd_resolve_cand *c, unsigned ei_class,
			  unsigned ei_data, unsigned e_machine)
{
	const unsigned char *h = c->head;

	if (c->n < BD_RESOLVE_IDENT || memcmp(h, ELFMAG, SELFMAG))
		return false;
	return h[EI_CLASS] == ei_class && h[EI_DATA] == ei_data &&
	       head_half(h, 18) == e_machine;
}

/* Up to size bytes of the file's start: fewer when the file is shorter
 * (a 32-bit ELF header is 52 bytes), 0 when it cannot be read. */
static size_t read_head(int fd, unsigned char *head, size_t size)
{
	ssize_t n;

	do
		n = pread(fd, head, size, 0);
	while (n < 0 && errno == EINTR);
	return n > 0 ? (size_t)n : 0;
}

/* Opens a candidate: through the reader, else here, for its first bytes
 * only. *ok is false for anything the safe open refuses. */
static int open_candidate(struct bd_resolver *r, const char *host,
			  const char *inside, struct bd_resolve_cand *c,
			  bool *ok)
{
	int fd;

	if (r->reader.open)
		return r->reader.open(r->reader.ctx, host, inside, c, ok);
	*ok = !bd_root_open(r->opts.root, host, 0, 0, &fd, &c->st, NULL);
	if (!*ok)
		return 0;
	c->n = read_head(fd, c->head, sizeof(c->head));
	close(fd);
	return 0;
}

/*
 * The canonical form of a search directory (inside the root, lexical),
 * resolved once per run: a RUNPATH entry that is a 38-link chain was
 * walked again for every candidate in it (issue 11). *canon is NULL when
 * it does not exist, and every candidate in it fails without a look.
 */
static int search_dir(struct bd_resolver *r, const char *dir, size_t len,
		      const char **canon)
{
	struct bd_buf key = BD_BUF_INIT, b = BD_BUF_INIT;
	const char *stored;
	uint32_t i;
	int rc;

	bd_buf_add(&key, dir, len);
	if (!bd_buf_ok(&key))
		return BD_ENOMEM;
	if (bd_map_get(&r->search_dir_map, key.data, &i)) {
		*canon = r->search_dirs[i];
		bd_buf_release(&key);
		return 0;
	}
	r->dirs_resolved++;
	rc = bd_root_resolve(r->opts.root, "/", key.data, true, &b);
	*canon = rc ? NULL : bd_arena_strdup(&r->arena, b.data);
	stored = bd_arena_strdup(&r->arena, key.data);
	if (rc == BD_ENOMEM || (!rc && !*canon) || !stored ||
	    BD_GROW(r->search_dirs, r->asearch_dirs, r->nsearch_dirs + 1))
		rc = BD_ENOMEM;
	else
		rc = bd_map_put(&r->search_dir_map, stored,
				(uint32_t)r->nsearch_dirs);
	if (!rc)
		r->search_dirs[r->nsearch_dirs++] = *canon;
	bd_buf_release(&key);
	bd_buf_release(&b);
	return rc;
}

/*
 * The canonical path of a candidate, as the kernel walks it: its
 * directory (memoised, search_dir), then its last component from there.
 * A last component that is empty, "." or ".." is resolved whole.
 * Returns 0, BD_ENOENT (or another error: not found) or BD_ENOMEM.
 */
static int resolve_candidate(struct bd_resolver *r, const char *path,
			     struct bd_buf *real, struct stat *st)
{
	const char *slash = strrchr(path, '/'), *name, *canon;
	int rc;

	name = slash ? slash + 1 : path;
	if (path[0] != '/' || !*name || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return bd_root_resolve_stat(r->opts.root, "/", path, true, real,
					    st);
	rc = search_dir(r, path, slash == path ? 1 : (size_t)(slash - path),
			&canon);
	if (rc)
		return rc;
	return canon ? bd_root_resolve_stat(r->opts.root, canon, name, true,
					    real, st)
		     : BD_ENOENT;
}

/* Keeps what was learnt of a candidate path for the rest of the run. */
static int keep_tried(struct bd_resolver *r, const char *path, uint64_t hash,
		      struct bd_resolve_tried **t)
{
	struct bd_resolve_tried *kept;
	const char *key;

	if (r->ntried >= BD_RESOLVE_MAX_TRIED)
		return 0; /* it stays in the caller's scratch */
	key = bd_arena_strdup(&r->arena, path);
	if (!key || BD_GROW(r->tried, r->atried, r->ntried + 1))
		return BD_ENOMEM;
	kept = &r->tried[r->ntried];
	*kept = **t;
	if ((*t)->real) {
		kept->real = bd_arena_strdup(&r->arena, (*t)->real);
		kept->host = bd_arena_strdup(&r->arena, (*t)->host);
		if (!kept->real || !kept->host)
			return BD_ENOMEM;
	}
	if (bd_map_puth(&r->tried_map, key, hash, (uint32_t)r->ntried))
		return BD_ENOMEM;
	r->ntried++;
	*t = kept;
	return 0;
}

/* What a candidate is that open() makes more of than a file: SPECIAL_*,
 * 0 for a file, a directory, nothing. */
static unsigned char special_of(mode_t mode)
{
	if (S_ISSOCK(mode))
		return SPECIAL_SOCKET;
	if (S_ISFIFO(mode))
		return SPECIAL_FIFO;
	if (S_ISCHR(mode))
		return SPECIAL_CHR;
	return S_ISBLK(mode) ? SPECIAL_BLK : 0;
}

/*
 * What is known of a candidate path (inside the root, lexical): as tried
 * before, else resolved now, its canonical path's file looked at (lstat:
 * no link is left to follow, and nothing is opened) and kept. *t is the
 * memo's entry or *scratch (its strings in real and host); (*t)->real is
 * NULL when the path leads nowhere. The pointer lasts until the next call.
 */
static int look_up(struct bd_resolver *r, const char *path,
		   struct bd_resolve_tried *scratch, struct bd_buf *real,
		   struct bd_buf *host, struct bd_resolve_tried **t)
{
	size_t len = strlen(path);
	uint64_t hash = bd_map_hash(path, len);
	struct stat st;
	bool exists;
	uint32_t i;
	int rc;

	if (bd_map_geth(&r->tried_map, path, len, hash, &i)) {
		*t = &r->tried[i];
		return 0;
	}
	memset(scratch, 0, sizeof(*scratch));
	*t = scratch;
	/* Resolved already while the files were read ahead? */
	if (r->reader.look &&
	    r->reader.look(r->reader.ctx, path, real, &st, &exists)) {
		rc = exists ? 0 : BD_ENOENT;
	} else {
		r->paths_walked++;
		rc = resolve_candidate(r, path, real, &st);
	}
	if (rc == BD_ENOMEM)
		return rc;
	if (rc == BD_ELIMIT)
		scratch->special = SPECIAL_LOOP;
	if (!rc) {
		bd_root_host(r->opts.root, real->data, host);
		if (!bd_buf_ok(host))
			return 0; /* not found, as the loader's open */
		/* The walk's last look, unless it had none (an overlay). */
		if (!st.st_mode && lstat(host->data, &st))
			st.st_mode = 0;
		scratch->real = real->data;
		scratch->host = host->data;
		scratch->have_inode = S_ISREG(st.st_mode);
		scratch->is_dir = S_ISDIR(st.st_mode);
		scratch->special = special_of(st.st_mode);
		scratch->dev = st.st_dev;
		scratch->ino = st.st_ino;
	}
	return keep_tried(r, path, hash, t);
}

/* The first bytes learnt of a candidate opened before: its component's
 * (*id), else its own as read when it was opened (c's n and head only).
 * False when none. */
static bool learnt_head(const struct bd_resolver *r,
			const struct bd_resolve_tried *t,
			struct bd_resolve_cand *c, uint32_t *id)
{
	if (!t->have_inode)
		return false;
	if (bd_resolver_known(r, t->dev, t->ino, id) && *id < r->aheads &&
	    r->heads[*id].n) {
		c->n = r->heads[*id].n;
		memcpy(c->head, r->heads[*id].head, sizeof(c->head));
		return true;
	}
	if (!t->nhead)
		return false;
	c->n = t->nhead;
	memcpy(c->head, t->head, sizeof(c->head));
	return true;
}

/*
 * A candidate judged by what was learnt of it before, without opening it
 * again: it could not be opened, or its first bytes (a component's, or
 * its own as read when it was opened) are of another class, or it is a
 * component already (f->comp set). False: it is to be opened.
 */
static bool judged(const struct bd_resolver *r,
		   const struct bd_resolve_tried *t,
		   const struct bd_component *req, struct bd_resolve_found *f)
{
	struct bd_resolve_cand c;
	uint32_t id = NO_COMP;

	if (t->unopenable)
		return true; /* the loader skips it and searches on */
	if (!learnt_head(r, t, &c, &id))
		return false;
	if (!bd_resolve_cand_fits(&c, req->ei_class, req->ei_data,
				  req->e_machine))
		return true;
	if (id == NO_COMP)
		return false; /* the right class, no component: to read */
	f->comp = id;
	return true;
}

/* Learns from the open of a candidate. */
static void learn(struct bd_resolve_tried *t, const struct bd_resolve_cand *c,
		  bool ok)
{
	if (!ok) {
		t->unopenable = true;
		return;
	}
	t->dev = c->st.st_dev;
	t->ino = c->st.st_ino;
	t->size = c->st.st_size;
	t->have_size = true;
	t->have_inode = true;
	t->nhead = (unsigned char)(c->n < sizeof(t->head) ? c->n
							  : sizeof(t->head));
	memcpy(t->head, c->head, t->nhead);
}

/* Takes one probe from the object's and the run's budgets; false (the
 * search cut short) when either is spent. */
static bool take_probe(struct bd_resolver *r)
{
	if (!r->probes_left || !r->run_probes_left) {
		r->cut_short = true;
		return false;
	}
	r->probes_left--;
	r->run_probes_left--;
	r->probes_tried++;
	return true;
}

/* The last ABI version of ELFOSABI_GNU objects glibc 2.36 loads
 * (LIBC_ABI_MAX - 1: unique symbols, then absolute symbols). */
#define LAST_GNU_ABI_VERSION 2

/* Why glibc's loader would stop at a candidate, failing the whole load,
 * rather than search on (open_verify, glibc 2.36: only another ELF class
 * or machine is searched past); NULL when it takes it or searches on. */
static const char *stops_loader(const struct bd_resolve_cand *c,
				const struct bd_component *req)
{
	const unsigned char *h = c->head;
	size_t i;

	/* The loader reads a whole ELF header first: shorter is too short,
	 * whatever it holds. */
	if (c->n < BD_RESOLVE_IDENT ||
	    c->st.st_size < (req->ei_class == ELFCLASS64 ? 64 : 52))
		return "file too short";
	if (memcmp(h, ELFMAG, SELFMAG))
		return "invalid ELF header";
	if (h[EI_CLASS] != req->ei_class)
		return NULL;
	if (h[EI_DATA] != req->ei_data)
		return req->ei_data == ELFDATA2MSB
			       ? "ELF file data encoding not big-endian"
			       : "ELF file data encoding not little-endian";
	if (h[EI_VERSION] != EV_CURRENT)
		return "ELF file version ident does not match current one";
	/* VALID_ELF_OSABI and VALID_ELF_ABIVERSION (sysdeps/generic and
	 * unix/sysv/linux ldsodefs.h): System V, or GNU up to the ABI
	 * versions glibc 2.36 knows; e_ident's padding zero. */
	if (h[EI_OSABI] != ELFOSABI_SYSV && h[EI_OSABI] != ELFOSABI_GNU)
		return "ELF file OS ABI invalid";
	if (h[EI_ABIVERSION] >
	    (h[EI_OSABI] == ELFOSABI_GNU ? LAST_GNU_ABI_VERSION : 0))
		return "ELF file ABI version invalid";
	for (i = EI_PAD; i < EI_NIDENT; i++)
		if (h[i])
			return "nonzero padding in e_ident";
	/* The rest of the header, in glibc's order: e_version before the
	 * machine (another machine of a bad version stops it too), e_type and
	 * e_phentsize after it. */
	/* A field past the bytes kept is not known, and not held against
	 * the file (a head learnt short). */
	if (c->n >= 24 && head_word(h, 20) != EV_CURRENT)
		return "ELF file version does not match current one";
	if (head_half(h, 18) != req->e_machine)
		return NULL;
	if (head_half(h, 16) != ET_DYN && head_half(h, 16) != ET_EXEC)
		return "only ET_DYN and ET_EXEC can be loaded";
	if (c->n >= PHENTSIZE_AT(h[EI_CLASS]) + 2 &&
	    head_half(h, PHENTSIZE_AT(h[EI_CLASS])) !=
		    (h[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Phdr)
					       : sizeof(Elf32_Phdr)))
		return "ELF file's phentsize not the expected size";
	return NULL;
}

/* Says that ld.so would stop at the candidate at path, for why. */
static void say_stops(struct bd_resolver *r, const char *path, const char *why)
{
	bd_diag_report(r->diag, BD_DIAG_WARNING,
		       "'%s': %s: ld.so stops at it when it searches for it, "
		       "and does not start what needs it; searched on past it",
		       path, why);
}

/* musl's loader opens the first file of the name it finds and fails when
 * it cannot load it (another class, machine or no ELF file): glibc's
 * skips some of those and searches on. */
static void say_stops_musl(struct bd_resolver *r, const char *path)
{
	bd_diag_report(r->diag, BD_DIAG_WARNING,
		       "'%s': musl's loader cannot load it, stops at it when "
		       "it searches for it, and does not start what needs "
		       "it; searched on past it",
		       path);
}

/* The same for a symlink loop or a socket at a candidate (what). */
static void say_stops_special_musl(struct bd_resolver *r, const char *path,
				   const char *what)
{
	bd_diag_report(r->diag, BD_DIAG_WARNING,
		       "'%s': %s: musl's loader stops at it when it searches "
		       "for it, and does not start what needs it; searched on "
		       "past it",
		       path, what);
}

/* A FIFO at a candidate: glibc's and musl's open() wait for a writer. */
static void say_blocks(struct bd_resolver *r, const char *path)
{
	bd_diag_report(r->diag, BD_DIAG_WARNING,
		       "'%s': a FIFO: the loader waits at it when it searches "
		       "for it, and does not start what needs it; searched on "
		       "past it",
		       path);
}

/* What a candidate is when its open() fails but not with ENOENT nor
 * EACCES (a symlink loop: ELOOP; a socket: ENXIO), NULL otherwise. */
static const char *list_ender(const struct bd_resolve_tried *t)
{
	if (t->special == SPECIAL_LOOP)
		return "a symlink loop";
	if (t->special == SPECIAL_SOCKET)
		return "a socket";
	return NULL;
}

/* Says that ld.so would stop at the candidate at path (cand) for req:
 * true when it would. */
static bool say_stop(struct bd_resolver *r, const struct bd_resolve_cand *cand,
		     const struct bd_component *req, const char *path)
{
	const char *stop = stops_loader(cand, req);

	if (stop)
		say_stops(r, path, stop);
	return stop != NULL;
}

/* The same for a candidate judged before, from the first bytes judged()
 * took (a component's, or its own): whoever met it first, each requester
 * is told what its loader does. A component's size is not kept: it is an
 * ELF file read whole, not too short. */
static bool say_stop_learnt(struct bd_resolver *r,
			    const struct bd_resolve_tried *t,
			    const struct bd_component *req, const char *path)
{
	struct bd_resolve_cand c;
	uint32_t id = NO_COMP;

	if (!learnt_head(r, t, &c, &id))
		return false;
	c.st.st_size = t->have_size ? t->size : (off_t)INT64_MAX;
	return say_stop(r, &c, req, path);
}

/*
 * Tries one path (inside the root, lexical): the file must exist (links
 * followed inside the root), be a regular ELF file of the requester's
 * class, byte order and machine, and be readable. It is opened once: the
 * reader goes on to read the rest when it is a new component. Sets
 * f->comp. One ld.so would stop at is said when stops_said (a directory's
 * candidate: the cache's entries of another ABI are passed by their
 * flags, unopened, and the kernel, not ld.so, loads an interpreter).
 */
static int try_path(struct bd_resolver *r, const struct bd_component *req,
		    const char *path, bool stops_said,
		    struct bd_resolve_found *f)
{
	struct bd_buf real = BD_BUF_INIT, host = BD_BUF_INIT;
	struct bd_resolve_tried scratch, *t;
	struct bd_resolve_cand cand;
	bool ok = false, exists = false;
	int rc = 0;

	f->comp = NO_COMP;
	f->list_ended = NULL;
	if (!take_probe(r))
		return 0;
	rc = look_up(r, path, &scratch, &real, &host, &t);
	if (!rc)
		f->list_ended = list_ender(t);
	if (rc || !t->real)
		goto out;
	exists = true;
	f->passed = true; /* unless it is taken */
	/* open() of a FIFO waits for a writer: the loader hangs there. */
	if (t->special == SPECIAL_FIFO) {
		if (stops_said)
			say_blocks(r, path);
		goto out;
	}
	/* A device: open_verify's open calls its driver, and what its read
	 * gives is no ELF header ("file too short" from /dev/null's numbers,
	 * "invalid ELF header" from /dev/zero's), failing the load; a driver
	 * that refuses the open (ENXIO: none for its numbers) ends the
	 * directory list, as a socket does. Never opened here: searched on
	 * past it, as for a directory. musl's is said at out. */
	if (t->special == SPECIAL_CHR || t->special == SPECIAL_BLK) {
		if (stops_said && !f->musl)
			say_stops(r, path,
				  t->special == SPECIAL_CHR
					  ? "no ELF file (a character device)"
					  : "no ELF file (a block device)");
		goto out;
	}
	/* A directory: open_verify opens it, and its read fails (EISDIR),
	 * failing the load (glibc 2.36: "cannot read file data"). */
	if (t->is_dir) {
		if (stops_said && !f->musl)
			say_stops(r, path,
				  "cannot read file data (a directory)");
		goto out;
	}
	/* One of the right class that ld.so would stop at (its version, OS
	 * ABI, type or header size) is not taken either: the search goes on,
	 * as the warning says, to what the SBOM can name. */
	if (judged(r, t, req, f)) {
		if (stops_said && !f->musl && say_stop_learnt(r, t, req, path))
			f->comp = NO_COMP;
		goto out;
	}
	rc = open_candidate(r, t->host, t->real, &cand, &ok);
	if (rc || !ok) {
		learn(t, &cand, false);
		goto out; /* the loader skips it and searches on */
	}
	learn(t, &cand, true);
	/* Said, not followed: the search goes on to what the SBOM can name
	 * (main says a warning once). */
	if ((stops_said && !f->musl && say_stop(r, &cand, req, path)) ||
	    !bd_resolve_cand_fits(&cand, req->ei_class, req->ei_data,
				  req->e_machine) ||
	    bd_resolver_known(r, cand.st.st_dev, cand.st.st_ino, &f->comp) ||
	    !r->reader.scan) {
		if (r->reader.close)
			r->reader.close(r->reader.ctx);
		goto out;
	}
	rc = r->reader.scan(r->reader.ctx, &f->comp);
out:
	if (!rc && exists && f->musl && stops_said && f->comp == NO_COMP &&
	    !f->list_ended && t->special != SPECIAL_FIFO)
		say_stops_musl(r, path);
	/* musl's path_open inhibits any further search at an open() error
	 * but ENOENT, ENOTDIR, EACCES and ENAMETOOLONG: the load fails. */
	if (!rc && f->musl && stops_said && f->list_ended)
		say_stops_special_musl(r, path, f->list_ended);
	bd_buf_release(&real);
	bd_buf_release(&host);
	return rc;
}

/* Says that ld.so searches no further directory of a list past the
 * symlink loop at path (once a path: the diagnostics say a file's problem
 * once). */
static void say_list_ended(struct bd_resolver *r, const char *path,
			   const char *what)
{
	bd_diag_report(r->diag, BD_DIAG_WARNING,
		       "'%s': %s: ld.so searches no further directory of the "
		       "list it is in",
		       path, what);
}

/* Whether dir has a glibc-hwcaps subdirectory (resolved once a run, as
 * the search directories are). Without one, none of its candidates there
 * can exist: they are counted as tried, as the loader tries them, and
 * not built. */
static int has_hwcaps(struct bd_resolver *r, const char *dir, bool *has)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *canon = NULL;
	int rc;

	*has = true;
	if (dir[0] != '/')
		return 0;
	bd_buf_adds(&b, dir);
	bd_buf_adds(&b, "/glibc-hwcaps");
	rc = bd_buf_ok(&b) ? search_dir(r, b.data, b.len, &canon) : BD_ENOMEM;
	*has = canon != NULL;
	bd_buf_release(&b);
	return rc;
}

/* A directory and its glibc-hwcaps subdirectories, best first. The
 * candidates are built in one buffer: only the one found is kept. */
static int try_dir(struct bd_resolver *r, const struct bd_component *req,
		   const struct bd_target *t, const char *dir, const char *name,
		   struct bd_resolve_found *f, struct bd_arena *a)
{
	struct bd_buf path = BD_BUF_INIT;
	bool hwcaps = false;
	size_t i;
	int rc;

	/* musl skips a directory where "dir/name" is longer than its
	 * buffer (path_open: snprintf's result not below buf_size). */
	if (t->musl && strlen(dir) + 1 + strlen(name) >= MUSL_PATH_BUF)
		return 0;
	rc = t->musl ? 0 : has_hwcaps(r, dir, &hwcaps);

	for (i = 0; i <= BD_ARRAY_SIZE(t->hwcaps) && !rc; i++) {
		const char *sub =
			i < BD_ARRAY_SIZE(t->hwcaps) ? t->hwcaps[i] : "";

		if (!sub)
			continue;
		if (*sub && !hwcaps) {
			take_probe(r); /* a candidate tried: not there */
			continue;
		}
		/* Without printf: a search may try 65,536 of them. */
		bd_buf_reset(&path);
		bd_buf_adds(&path, dir);
		if (*sub) {
			bd_buf_adds(&path, "/glibc-hwcaps/");
			bd_buf_adds(&path, sub);
		}
		bd_buf_addc(&path, '/');
		bd_buf_adds(&path, name);
		if (!bd_buf_ok(&path)) {
			rc = BD_ENOMEM;
			break;
		}
		rc = try_path(r, req, path.data, true, f);
		if (!rc && f->comp != NO_COMP) {
			f->path = bd_arena_strdup(a, path.data);
			rc = f->path ? 0 : BD_ENOMEM;
			break;
		}
		/* open_path looks at errno after the directory's last
		 * candidate only, the directory itself: a subdirectory's
		 * loop ends nothing. musl's path_open stops at any. */
		if (*sub && !t->musl)
			f->list_ended = NULL;
	}
	if (!rc && f->list_ended && !t->musl)
		say_list_ended(r, path.data, f->list_ended);
	bd_buf_release(&path);
	return rc;
}

/* Under a NODEFLIB object, cache entries in default directories are not
 * used (_dl_map_object). */
static bool in_default_dir(const struct bd_target *t, const char *path)
{
	size_t i, n;

	for (i = 0; i < t->ndirs; i++) {
		n = strlen(t->dirs[i]);
		if (!strncmp(path, t->dirs[i], n) && path[n] == '/')
			return true;
	}
	return false;
}

/* Where an entry of the cache comes in the search: a glibc-hwcaps
 * subdirectory's by the target's order of them (best first), then the
 * others; SIZE_MAX for one of a subdirectory the target has not (glibc
 * 2.36's search_cache skips it, glibc_hwcaps_priority being 0). */
static size_t cache_rank(const struct bd_target *t,
			 const struct bd_ldcache_entry *e)
{
	size_t k;

	if (!e->named_hwcaps)
		return BD_ARRAY_SIZE(t->hwcaps);
	for (k = 0; e->hwcaps && k < BD_ARRAY_SIZE(t->hwcaps) && t->hwcaps[k];
	     k++)
		if (!strcmp(e->hwcaps, t->hwcaps[k]))
			return k;
	return SIZE_MAX;
}

/* The cache's entries for name, best first: its glibc-hwcaps entries by
 * the target's order (every level assumed supported), which ldconfig
 * lists in no such order, then the others as listed: *n of them. */
static void cache_order(const struct bd_resolver *r, const struct bd_target *t,
			const char *name, size_t *order, size_t *n)
{
	size_t i, k, rank, m = 0;
	size_t ranks[BD_LDCACHE_MAX_SAME_KEY];

	for (i = bd_ldcache_find(&r->cache, name);
	     i != SIZE_MAX && m < BD_LDCACHE_MAX_SAME_KEY;
	     i = r->cache.next_same[i]) {
		rank = cache_rank(t, &r->cache.entries[i]);
		if (rank == SIZE_MAX)
			continue;
		/* Insertion, stable: after those of the same rank. */
		for (k = m; k > 0 && ranks[k - 1] > rank; k--) {
			ranks[k] = ranks[k - 1];
			order[k] = order[k - 1];
		}
		ranks[k] = rank;
		order[k] = i;
		m++;
	}
	*n = m;
}

/*
 * The entry flags glibc 2.36's loader of req's ABI takes a cache entry
 * with (_dl_cache_check_flags, sysdeps/unix/sysv/linux/<arch>/dl-cache.h:
 * FLAG_ELF_LIBC6 | the ABI's FLAG_*), as *want; false for an ABI not
 * known here by its ELF header alone (ARM, MIPS and RISC-V also need
 * e_flags), whose entries are then judged by their files.
 */
static bool cache_flags(const struct bd_component *req, uint32_t *want)
{
	static const struct {
		unsigned machine, ei_class;
		uint32_t flags;
	} abis[] = {
		{ EM_X86_64, ELFCLASS64, 0x0303 },
		{ EM_X86_64, ELFCLASS32, 0x0803 },
		{ EM_AARCH64, ELFCLASS64, 0x0a03 },
		{ EM_PPC64, ELFCLASS64, 0x0503 },
		{ EM_S390, ELFCLASS64, 0x0403 },
		{ EM_SPARCV9, ELFCLASS64, 0x0103 },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(abis); i++) {
		if (abis[i].machine == req->e_machine &&
		    abis[i].ei_class == req->ei_class) {
			*want = abis[i].flags;
			return true;
		}
	}
	return false;
}

/*
 * The cache, as glibc 2.36's _dl_load_cache_lookup answers: one path, the
 * best entry of the loader's ABI by its flags (search_cache), opened or
 * not; when that file is gone or unfit, or in a default directory for a
 * DF_1_NODEFLIB requester, the loader goes on past the cache, never to
 * another entry. For an ABI cache_flags does not know, the entries are
 * tried in turn and the first of the requester's class and machine taken.
 */
static int try_cache(struct bd_resolver *r, const struct bd_component *req,
		     const struct bd_target *t, bool nodeflib, const char *name,
		     struct bd_resolve_found *f)
{
	size_t order[BD_LDCACHE_MAX_SAME_KEY], n, j;
	uint32_t want = 0;
	bool by_flags = cache_flags(req, &want);
	int rc = 0;

	cache_order(r, t, name, order, &n);
	for (j = 0; j < n && !rc; j++) {
		const char *value = r->cache.entries[order[j]].value;

		if (by_flags && r->cache.entries[order[j]].flags != want)
			continue;
		if (nodeflib && in_default_dir(t, value)) {
			if (by_flags)
				break;
			continue;
		}
		rc = try_path(r, req, value, false, f);
		if (by_flags && !rc && f->comp == NO_COMP)
			break; /* the one answer, unfit: past the cache */
		if (!rc && f->comp != NO_COMP) {
			f->path = value;
			f->via = VIA_CACHE;
			return 0;
		}
	}
	return rc;
}

/* musl's system directories: the root's path file for its loader, else
 * its three defaults; no cache, no ld.so.conf, no DF_1_NODEFLIB. */
static int try_musl_system(struct bd_resolver *r,
			   const struct bd_component *req,
			   const struct bd_target *t, const char *interp,
			   const char *name, struct bd_resolve_found *f,
			   struct bd_arena *a)
{
	const struct bd_dirlist *dirs;
	size_t i, n;
	int rc = musl_dirs(r, interp, &dirs);

	n = dirs ? dirs->n : t->ndirs;
	for (i = 0; !rc && i < n && f->comp == NO_COMP; i++) {
		rc = try_dir(r, req, t, dirs ? dirs->dirs[i] : t->dirs[i], name,
			     f, a);
		f->via = dirs ? VIA_MUSL_PATH : VIA_DEFAULT;
	}
	return rc;
}

/* The cache, or without one the ld.so.conf directories, then the
 * target's default directories (t, the search's). */
static int try_system(struct bd_resolver *r, const struct bd_component *req,
		      const struct bd_target *t, const char *musl,
		      const char *name, struct bd_resolve_found *f,
		      struct bd_arena *a)
{
	bool nodeflib = req->has_flags_1 && (req->flags_1 & DF_1_NODEFLIB);
	size_t i;
	int rc = 0;

	if (musl)
		return try_musl_system(r, req, t, musl, name, f, a);
	if (r->have_cache)
		rc = try_cache(r, req, t, nodeflib, name, f);
	for (i = 0; !rc && r->have_conf && i < r->conf.n && f->comp == NO_COMP;
	     i++) {
		rc = try_dir(r, req, t, r->conf.dirs[i], name, f, a);
		f->via = VIA_CONF;
		if (f->list_ended)
			break;
	}
	f->list_ended = NULL;
	for (i = 0; !rc && !nodeflib && i < t->ndirs && f->comp == NO_COMP;
	     i++) {
		rc = try_dir(r, req, t, t->dirs[i], name, f, a);
		f->via = VIA_DEFAULT;
		if (f->list_ended)
			break;
	}
	return rc;
}

/* A name with a '/': a path, tokens expanded from the requester. */
static int search_path(struct bd_resolver *r, struct lgraph *lg,
		       const struct obj *o, const char *name,
		       struct bd_resolve_found *f)
{
	const struct bd_component *req = &r->graph->comps[o->comp];
	struct bd_buf b = BD_BUF_INIT;
	struct bd_target t;
	const char *path;
	int rc = BD_ENOMEM;

	target_of(r, req, req->interp, process_interp(r, lg), &t);
	f->comp = NO_COMP;
	/* musl opens such a name as it is: no token is expanded. */
	if (o->musl ? bd_buf_adds(&b, name), bd_buf_ok(&b)
		    : bd_resolve_expand(name, strlen(name), o->origin, t.lib,
					t.platform ? t.platform : "", &b)) {
		rc = 0;
		f->musl = o->musl != NULL;
		if (b.len >= PATH_MAX) /* cut: the open fails, not found */
			goto out;
		path = b.data[0] == '/' ? bd_arena_strdup(&lg->arena, b.data)
					: bd_arena_printf(&lg->arena, "%s/%s",
							  lg->cwd, b.data);
		rc = path ? try_path(r, req, path, true, f) : BD_ENOMEM;
		f->path = path;
		f->via = VIA_DIRECT;
	}
out:
	bd_buf_release(&b);
	return rc;
}

/* Whether musl's loader takes a name for itself: libc, libpthread,
 * librt, libm, libdl, libutil and libxnet, each followed by a '.'
 * ("libc.so", "libm.so.6": ldso/dynlink.c, load_library's reserved). */
static bool musl_builtin(const char *name)
{
	static const char *const reserved[] = { "c.",  "pthread.", "rt.",  "m.",
						"dl.", "util.",	   "xnet." };
	size_t i;

	if (strncmp(name, "lib", 3))
		return false;
	for (i = 0; i < BD_ARRAY_SIZE(reserved); i++)
		if (!strncmp(name + 3, reserved[i], strlen(reserved[i])))
			return true;
	return false;
}

/* Such a name is the loader itself, the process's interpreter. */
static int search_musl_builtin(struct bd_resolver *r, const struct obj *o,
			       struct bd_resolve_found *f)
{
	int rc = try_path(r, &r->graph->comps[o->comp], o->musl, true, f);

	f->path = o->musl;
	f->via = VIA_MUSL_BUILTIN;
	return rc;
}

static int search_dirs(struct bd_resolver *r, struct lgraph *lg,
		       const struct obj *o, const char *name,
		       struct bd_resolve_found *f)
{
	const struct bd_component *req = &r->graph->comps[o->comp];
	uint32_t ended_list = 0;
	bool ended = false;
	struct bd_target t;
	size_t i;
	int rc = 0;

	target_of(r, req, o->musl ? o->musl : req->interp,
		  process_interp(r, lg), &t);
	if (o->musl)
		bd_target_musl(&t); /* its name may be glibc's (musl_arch) */
	f->musl = o->musl != NULL;
	for (i = 0; i < o->ndirs && !rc && f->comp == NO_COMP; i++) {
		/* A symlink loop ended its list (open_path returned -1):
		 * _dl_map_object goes on with the next one. */
		if (ended && o->dirs[i].list == ended_list)
			continue;
		rc = try_dir(r, req, &t, o->dirs[i].path, name, f, &lg->arena);
		f->via = o->dirs[i].via;
		if (f->list_ended && !o->musl) {
			ended = true;
			ended_list = o->dirs[i].list;
			f->list_ended = NULL;
		}
	}
	if (!rc && f->comp == NO_COMP)
		rc = try_system(r, req, &t, o->musl, name, f, &lg->arena);
	return rc;
}

/* Whether a path has a ".." component. */
static bool has_dotdot(const char *path)
{
	const char *p = strstr(path, "..");

	for (; p; p = strstr(p + 2, "..")) {
		if ((p == path || p[-1] == '/') && (!p[2] || p[2] == '/'))
			return true;
	}
	return false;
}

/*
 * The path a search found, tidied for reports and $ORIGIN: "//" and "/./"
 * folded; with a ".." component, its directories resolved as the kernel
 * resolves them ("/a/bin/../lib/x" -> "/a/lib/x"). Otherwise the path
 * stays as the loader opened it (/lib/... on a merged-/usr system).
 */
static const char *tidy_path(struct bd_resolver *r, const char *path)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *out;
	size_t i;

	if (has_dotdot(path) &&
	    !bd_root_resolve(r->opts.root, "/", path, false, &b)) {
		out = bd_arena_strdup(&r->arena, b.data);
		bd_buf_release(&b);
		return out;
	}
	for (i = 0; path[i]; i++) {
		if (path[i] == '/' && b.len && b.data[b.len - 1] == '/')
			continue;
		if (path[i] == '.' && (!path[i + 1] || path[i + 1] == '/') &&
		    b.len && b.data[b.len - 1] == '/') {
			i += path[i + 1] ? 1 : 0;
			continue;
		}
		bd_buf_addc(&b, path[i]);
	}
	out = bd_buf_ok(&b) ? bd_arena_strdup(&r->arena, bd_buf_str(&b)) : NULL;
	bd_buf_release(&b);
	return out;
}

/* The memo's answer in slot, remembered by the name's ref. */
static void memo_answer(struct bd_resolver *r, uint32_t slot, uint32_t context,
			struct name_ref *ref, struct bd_resolve_found *f,
			uint32_t *path_id)
{
	*f = r->memo_results[slot].f;
	*path_id = r->memo_results[slot].path_id;
	if (ref) {
		ref->context = context + 1;
		ref->slot = slot;
	}
}

/* Keeps a search's answer for others with this context. */
static int memo_keep(struct bd_resolver *r, const char *key,
		     const struct bd_resolve_found *f, uint32_t path_id,
		     uint32_t context, struct name_ref *ref)
{
	const char *stored = bd_arena_strdup(&r->arena, key);
	uint32_t slot = (uint32_t)r->memo_n;

	if (!stored || r->memo_n >= UINT32_MAX ||
	    BD_GROW(r->memo_results, r->memo_alloc, r->memo_n + 1))
		return BD_ENOMEM;
	r->memo_results[slot].f = *f;
	r->memo_results[slot].path_id = path_id;
	if (bd_map_put(&r->memo, stored, slot))
		return BD_ENOMEM;
	r->memo_n++;
	if (ref) {
		ref->context = context + 1;
		ref->slot = slot;
	}
	return 0;
}

/* "context\x1fname", the context in hex (printf cost more than the
 * search's hash). */
static void memo_key(struct bd_buf *key, uint32_t context, const char *name)
{
	char hex[16];

	bd_buf_add(key, hex, (size_t)(put_hex(hex, context) - hex));
	bd_buf_addc(key, '\x1f');
	bd_buf_adds(key, name);
}

/*
 * Searches a name for an object, through the memo: first the one answer
 * the name's ref remembers (ref may be NULL), then by context and name.
 * *path_id is the id of the path found (UINT32_MAX: none).
 */
static int search(struct bd_resolver *r, struct lgraph *lg, size_t from,
		  const char *name, struct name_ref *ref,
		  struct bd_resolve_found *f, uint32_t *path_id)
{
	const struct obj *o = &lg->objs[from];
	struct bd_buf key = BD_BUF_INIT;
	bool cut_before, cut;
	uint32_t slot;
	int rc;

	if (ref && ref->context == o->context + 1) {
		memo_answer(r, ref->slot, o->context, NULL, f, path_id);
		return 0;
	}
	f->comp = NO_COMP;
	f->via = NULL;
	f->path = NULL;
	f->musl = false;
	f->list_ended = NULL;
	f->passed = false;
	*path_id = UINT32_MAX;
	/* The key is kept (in the arena) only for a new search: lookups
	 * that hit the memo allocate nothing that lasts. */
	memo_key(&key, o->context, name);
	if (!bd_buf_ok(&key))
		return BD_ENOMEM;
	if (bd_map_get(&r->memo, key.data, &slot)) {
		memo_answer(r, slot, o->context, ref, f, path_id);
		bd_buf_release(&key);
		return 0;
	}
	cut_before = r->cut_short;
	r->cut_short = false;
	if (o->musl && musl_builtin(name))
		rc = search_musl_builtin(r, o, f);
	else if (strchr(name, '/'))
		rc = search_path(r, lg, o, name, f);
	else
		rc = search_dirs(r, lg, o, name, f);
	if (!rc && f->path) {
		f->path = tidy_path(r, f->path);
		rc = f->path ? 0 : BD_ENOMEM;
	}
	if (!rc && f->comp != NO_COMP && f->path)
		rc = intern(r, f->path, path_id);
	/* A search cut short is no answer for others with this context. */
	cut = r->cut_short;
	r->cut_short |= cut_before;
	f->passed |= cut;
	if (!rc && !cut)
		rc = memo_keep(r, key.data, f, *path_id, o->context, ref);
	bd_buf_release(&key);
	return rc;
}

/* ---- the load graph ---------------------------------------------------- */

/* Whether the edge was added before; if not, it is from now on. */
static int edge_seen(struct bd_resolver *r, uint32_t from, uint32_t to,
		     enum bd_edge_kind kind, const struct bd_dlopen_entry *e,
		     bool *seen)
{
	char buf[80], *p = buf;
	uint64_t hash;
	char *key;

	/* "from:to:kind:entry" in hex, without printf. */
	p = put_hex(p, from);
	*p++ = ':';
	p = put_hex(p, to);
	*p++ = ':';
	p = put_hex(p, (unsigned long long)kind);
	*p++ = ':';
	p = put_hex(p, (unsigned long long)(uintptr_t)e);
	*p = '\0';
	hash = bd_map_hash(buf, (size_t)(p - buf));
	*seen = bd_map_geth(&r->edges, buf, (size_t)(p - buf), hash, NULL);
	if (*seen)
		return 0;
	key = bd_arena_strndup(&r->arena, buf, (size_t)(p - buf));
	return key && !bd_map_puth(&r->edges, key, hash, 0) ? 0 : BD_ENOMEM;
}

/* Adds an edge once; *fresh (may be NULL) says whether it was new. */
static int add_edge(struct bd_resolver *r, uint32_t from, uint32_t to,
		    enum bd_edge_kind kind, const struct bd_dlopen_entry *e,
		    bool *fresh)
{
	bool seen;
	int rc = edge_seen(r, from, to, kind, e, &seen);

	if (fresh)
		*fresh = !rc && !seen;
	return rc || seen ? rc : bd_graph_add_edge(r->graph, from, to, kind, e);
}

/* An edge met again in another process, as *last says (the last target
 * of this need or dlopen entry): known to be there without a key. */
static int add_edge_again(struct bd_resolver *r, uint32_t from, uint32_t to,
			  enum bd_edge_kind kind,
			  const struct bd_dlopen_entry *e, uint32_t *last,
			  bool *fresh)
{
	int rc;

	if (fresh)
		*fresh = false;
	if (*last == to)
		return 0;
	rc = add_edge(r, from, to, kind, e, fresh);
	if (!rc)
		*last = to;
	return rc;
}

/* The directory of a path ("/a/b/libx.so" -> "/a/b"). */
static const char *dir_of(struct bd_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ".";
	return bd_arena_strndup(a, path,
				slash == path ? 1 : (size_t)(slash - path));
}

/* The process holds the component's soname (interned on first use); a
 * musl one does not: musl's load_library takes a loaded library for a
 * name only by the name its search found it by, never by DT_SONAME. */
static int hold_soname(struct bd_resolver *r, uint32_t comp, size_t index,
		       bool musl)
{
	const char *soname = r->graph->comps[comp].soname;
	struct bd_resolve_comp *cs = comp_state(r, comp);
	uint32_t id;
	int rc;

	if (!cs)
		return BD_ENOMEM;
	cs->generation = r->generation;
	cs->obj = (uint32_t)index;
	if (!soname || musl)
		return 0;
	if (!cs->soname) {
		rc = intern(r, soname, &id);
		if (rc)
			return rc;
		cs->soname = id + 1;
	}
	hold(r, cs->soname - 1, index);
	return 0;
}

/* Puts a component in the simulated process, found at path (path_id:
 * its name id). */
static int load(struct bd_resolver *r, struct lgraph *lg, uint32_t comp,
		size_t loader, const char *path, uint32_t path_id,
		const char *via, size_t *index)
{
	const struct bd_component *c = &r->graph->comps[comp];
	struct obj *o;
	int rc;

	if (BD_GROW(lg->objs, lg->alloc, lg->n + 1))
		return BD_ENOMEM;
	*index = lg->n++;
	o = &lg->objs[*index];
	memset(o, 0, sizeof(*o));
	o->comp = comp;
	o->loader = loader;
	o->via = via;
	o->path = path;
	/* $ORIGIN: the directory of the path the object was opened by
	 * (_dl_new_object); the main program's has its links resolved,
	 * as the kernel's /proc/self/exe. */
	o->origin = dir_of(&lg->arena,
			   loader == SIZE_MAX && c->inside ? c->inside : path);
	if (!o->origin)
		return BD_ENOMEM;
	rc = search_list(r, lg, *index);
	if (!rc)
		rc = make_context(r, &lg->objs[*index]);
	if (!rc)
		rc = hold_soname(r, comp, *index, lg->musl != NULL);
	if (!rc)
		hold(r, path_id, *index);
	return rc;
}

/* The object already loaded for a component in this process, if any. */
static bool loaded_comp(const struct bd_resolver *r, uint32_t comp,
			size_t *index)
{
	if (comp >= r->acomps || r->comps[comp].generation != r->generation)
		return false;
	*index = r->comps[comp].obj;
	return true;
}

static int note_via(struct bd_resolver *r, uint32_t comp, const char *via,
		    const char *path)
{
	struct bd_component *c = &r->graph->comps[comp];
	struct bd_resolve_comp *cs;
	const char *shown;
	int rc = 0;

	if (!c->resolved_via)
		c->resolved_via = via;
	/* A file is listed by the path the loader used too; not an input
	 * on the host, whose paths are given as reached ("dist/...") and
	 * would gain this machine's absolute ones. */
	if (!path)
		return 0;
	/* The same path as last time (a string that lasts the run): the
	 * same list, nothing to look up again. */
	cs = comp_state(r, comp);
	if (!cs)
		return BD_ENOMEM;
	if (cs->noted == path)
		return 0;
	/* A file of an artifact is named by its location in it; the
	 * private tree it was laid out in is never shown. */
	shown = r->opts.display ? r->opts.display(r->opts.display_ctx, path)
				: NULL;
	if (shown)
		rc = bd_graph_add_path(r->graph, comp, shown);
	else if (c->in_artifact ||
		 (r->opts.display && !strncmp(path, "/.bindep-sbom/", 14)))
		rc = 0;
	else if (!c->is_input || !bd_root_is_host(bd_root_base(r->opts.root)))
		rc = bd_graph_add_path(r->graph, comp, relative(r, path));
	if (!rc)
		r->comps[comp].noted = path;
	return rc;
}

/*
 * musl's load_library, when a search finds a library loaded before (the
 * same file): it takes no new name for it, but one loaded by a path, so
 * far taken by none, is from then on taken by the last part of that path
 * (its shortname, set from p->name): a later need of that name finds it
 * without a search; one of the name searched for searches again.
 */
static int musl_found_again(struct bd_resolver *r, struct lgraph *lg,
			    const char *name, size_t index)
{
	struct obj *o = &lg->objs[index];
	const char *base;
	uint32_t id;
	int rc;

	/* Not the program either: musl compares the libraries only. */
	if (strchr(name, '/') || o->shortname || !o->path ||
	    o->loader == SIZE_MAX)
		return 0;
	o->shortname = true;
	base = strrchr(o->path, '/');
	rc = intern(r, base ? base + 1 : o->path, &id);
	if (!rc)
		hold(r, id, index);
	return rc;
}

static int resolve_expanded(struct bd_resolver *r, struct lgraph *lg,
			    size_t from, const char *name, uint32_t *to,
			    size_t *index, bool *expanded);
static int resolve_as_written(struct bd_resolver *r, struct lgraph *lg,
			      size_t from, const char *name,
			      struct name_ref *ref, uint32_t *to,
			      size_t *index);

/*
 * Resolves one name for object `from`: among the loaded objects first (by
 * soname, by a name that found them, by path), then by search. Sets *to
 * (a component) and *index (the loaded object, or SIZE_MAX). A name found
 * nowhere sets *to to NO_COMP (a needed one is judged once every process
 * is known, judge_misses) and is searched again by the next object that
 * needs it.
 */
static int resolve_name(struct bd_resolver *r, struct lgraph *lg, size_t from,
			const char *name, struct name_ref *ref, uint32_t *to,
			size_t *index)
{
	bool expanded = false;
	int rc;

	*index = SIZE_MAX;
	lg->passed = false;
	if (held(r, ref->name, index)) {
		*to = lg->objs[*index].comp;
		return 0;
	}
	/* A name with a dynamic string token is held, searched and
	 * remembered as expanded: never as written, which is never held. */
	if (!lg->musl && strchr(name, '$')) {
		rc = resolve_expanded(r, lg, from, name, to, index, &expanded);
		if (rc || expanded)
			return rc;
	}
	return resolve_as_written(r, lg, from, name, ref, to, index);
}

/* The same for a name taken as written (expanded already, or without a
 * dynamic string token). */
static int resolve_as_written(struct bd_resolver *r, struct lgraph *lg,
			      size_t from, const char *name,
			      struct name_ref *ref, uint32_t *to, size_t *index)
{
	struct bd_resolve_found f;
	uint32_t path_id;
	int rc;

	*index = SIZE_MAX;
	if (held(r, ref->name, index)) {
		*to = lg->objs[*index].comp;
		return 0;
	}
	/* A name not found before is searched again, from this object's
	 * list: glibc's _dl_map_object passes its placeholder by (l_faked,
	 * as ldd lists it), and musl's load_library keeps no failed name. */
	rc = search(r, lg, from, name, ref, &f, &path_id);
	if (rc)
		return rc;
	*to = f.comp;
	lg->passed = f.passed;
	if (f.comp == NO_COMP)
		return 0;
	rc = note_via(r, f.comp, f.via, f.path);
	/* Else the same file by another name. */
	if (!rc && !loaded_comp(r, f.comp, index)) {
		rc = load(r, lg, f.comp, from, f.path, path_id, f.via, index);
		if (!rc)
			lg->objs[*index].shortname = !strchr(name, '/');
	} else if (!rc && lg->musl) {
		return musl_found_again(r, lg, name, *index);
	}
	if (!rc)
		hold(r, ref->name, *index);
	return rc;
}

/*
 * A name with a dynamic string token, as glibc's loader takes a DT_NEEDED
 * one: expanded from the requester first (elf/dl-deps.c, expand_dst), so
 * that "$ORIGIN/libx.so" of two libraries in two directories is two
 * names, matched against the loaded objects and searched by its
 * expansion. *expanded is false when the name has no such token: it is
 * then taken as written.
 */
static int resolve_expanded(struct bd_resolver *r, struct lgraph *lg,
			    size_t from, const char *name, uint32_t *to,
			    size_t *index, bool *expanded)
{
	const struct bd_component *c = &r->graph->comps[lg->objs[from].comp];
	struct bd_buf b = BD_BUF_INIT;
	struct name_ref ref = { 0, 0, 0 };
	const char *copy = NULL;
	struct bd_target t;
	int rc = BD_ENOMEM;

	target_of(r, c, c->interp, process_interp(r, lg), &t);
	if (!bd_resolve_expand(name, strlen(name), lg->objs[from].origin, t.lib,
			       t.platform ? t.platform : "", &b))
		goto out;
	rc = 0;
	*expanded = strcmp(b.data, name) != 0;
	if (!*expanded)
		goto out;
	/* Longer than a path can be: the loader's open fails, not found
	 * (and nothing so long is kept). */
	if (b.len >= PATH_MAX) {
		*to = NO_COMP;
		goto out;
	}
	/* Interned names last the run: each expansion is kept once. */
	if (!bd_map_get(&r->name_ids, b.data, &ref.name)) {
		copy = bd_arena_strdup(&r->arena, b.data);
		rc = copy ? intern(r, copy, &ref.name) : BD_ENOMEM;
	}
	if (!rc)
		rc = resolve_as_written(r, lg, from, b.data, &ref, to, index);
out:
	bd_buf_release(&b);
	return rc;
}

/* -v: a needed library nothing provides, once per file and name. */
static void report_missing(struct bd_resolver *r, uint32_t from,
			   enum bd_edge_kind kind, const char *name)
{
	const struct bd_component *c = &r->graph->comps[from];

	bd_diag_report(r->diag, BD_DIAG_INFO, "'%s': %s '%s' not found",
		       c->paths.n ? c->paths.items[0] : c->name,
		       kind == BD_EDGE_INTERP ? "its interpreter"
					      : "needed library",
		       name);
}

/* A need nothing provides, a library or a program's interpreter (which
 * the root lacks: a layer whited out /lib64, another machine's program;
 * it cannot start): an edge of that kind to an unresolved component,
 * said once (-v), and counted alike by bd_resolver_link. */
static int miss_edge(struct bd_resolver *r, uint32_t from, const char *name,
		     enum bd_edge_kind kind)
{
	uint32_t to;
	bool fresh;
	int rc = unresolved(r->graph, from, name, &to);

	if (!rc)
		rc = add_edge(r, from, to, kind, NULL, &fresh);
	if (!rc && fresh)
		report_missing(r, from, kind, name);
	return rc;
}

/* The probes for one object's names in this process: none for an object
 * that ran out before (its warning is given), else the full budget. */
static void budget_begin(struct bd_resolver *r, uint32_t comp)
{
	bool spent = comp < r->acomps && (r->comps[comp].limits & LIMIT_PROBES);

	r->probes_left = spent ? 0 : BD_RESOLVE_MAX_PROBES;
	r->cut_short = false;
}

/* One warning per file whose searches ran out of probes, and one in all
 * when the run's budget is spent (then the file's own is not given: it
 * did not run out). */
static int budget_end(struct bd_resolver *r, uint32_t comp)
{
	bool seen;
	int rc;

	if (!r->cut_short)
		return 0;
	r->cut_short = false;
	if (!r->run_probes_left) {
		if (!r->run_warned)
			bd_diag_report(r->diag, BD_DIAG_WARNING,
				       "'%s': more than %d candidate files "
				       "tried in this run, the rest not "
				       "searched",
				       first_path(&r->graph->comps[comp]),
				       BD_RESOLVE_MAX_RUN_PROBES);
		r->run_warned = true;
		if (r->probes_left)
			return 0;
	}
	rc = limit_seen(r, LIMIT_PROBES, comp, &seen);
	if (!rc && !seen)
		bd_diag_report(r->diag, BD_DIAG_WARNING,
			       "'%s': more than %d candidate files tried for "
			       "its libraries, the rest not searched",
			       first_path(&r->graph->comps[comp]),
			       BD_RESOLVE_MAX_PROBES);
	return rc;
}

/* Need or .note.dlopen entry k of `from` in the process of `root`, met
 * by `to` (a dlopen entry: or NO_COMP), pushed on its list: kept for
 * judge_misses, which adds its edge where the process judges `from`. The
 * scan keeps at most BD_SCAN_MAX_NEEDED names and BD_SCAN_MAX_DLOPEN
 * entries a file. */
static int keep_met(struct bd_resolve_need **list, size_t *n, size_t *alloc,
		    uint32_t root, uint32_t from, size_t k, uint32_t to,
		    uint16_t via)
{
	if (k > UINT16_MAX || BD_GROW(*list, *alloc, *n + 1))
		return BD_ENOMEM;
	(*list)[(*n)++] = (struct bd_resolve_need){ .root = root,
						    .from = from,
						    .to = to,
						    .k = (uint16_t)k,
						    .via = via };
	return 0;
}

/* A need met in this process: how (via: the search's). */
static int keep_need(struct bd_resolver *r, uint32_t root, uint32_t from,
		     size_t k, uint32_t to, const char *via)
{
	return keep_met(&r->needs, &r->nneeds, &r->aneeds, root, from, k, to,
			via_index(via));
}

/* A .note.dlopen entry of this process, met by `to` or NO_COMP. */
static int keep_dl(struct bd_resolver *r, uint32_t root, uint32_t from,
		   size_t k, uint32_t to)
{
	return keep_met(&r->dls, &r->ndls, &r->adls, root, from, k, to, 0);
}

/* A need that found nothing in this process: judged at the end. */
static int keep_miss(struct bd_resolver *r, uint32_t root, uint32_t from,
		     size_t k, bool by_soname)
{
	struct bd_resolve_miss *m;

	if (BD_GROW(r->misses, r->amisses, r->nmisses + 1))
		return BD_ENOMEM;
	m = &r->misses[r->nmisses++];
	m->root = root;
	m->from = from;
	m->k = (uint32_t)k;
	m->by_soname = by_soname;
	return 0;
}

static int link_needed(struct bd_resolver *r, struct lgraph *lg, size_t i)
{
	uint32_t root = lg->objs[0].comp, from = lg->objs[i].comp, to;
	struct name_ref *refs;
	uint32_t *last_to;
	size_t k, index;
	int rc = comp_refs(r, from, &refs, &last_to);

	budget_begin(r, from);
	for (k = 0; !rc && k < r->graph->comps[from].nneeded; k++) {
		const char *name = r->graph->comps[from].needed[k];

		rc = resolve_name(r, lg, i, name, &refs[k], &to, &index);
		if (rc)
			break;
		if (to == NO_COMP) {
			rc = keep_miss(r, root, from, k,
				       !lg->musl && !lg->passed);
			continue;
		}
		rc = keep_need(r, root, from, k, to,
			       index == SIZE_MAX ? NULL : lg->objs[index].via);
	}
	return rc ? rc : budget_end(r, from);
}

/* A .note.dlopen entry: the first alternative found, else the preferred
 * one as an unresolved component. */
static int link_dlopen(struct bd_resolver *r, struct lgraph *lg, size_t i)
{
	uint32_t root = lg->objs[0].comp, from = lg->objs[i].comp, to;
	size_t k, a, index, nneeded = r->graph->comps[from].nneeded;
	size_t ref = nneeded; /* the entry's first alternative's */
	struct name_ref *refs;
	uint32_t *last_to;
	int rc = comp_refs(r, from, &refs, &last_to);

	budget_begin(r, from);
	for (k = 0; !rc && k < r->graph->comps[from].ndlopen; k++) {
		const struct bd_dlopen_entry *e =
			&r->graph->comps[from].dlopen[k];

		to = NO_COMP;
		for (a = 0; !rc && a < e->nsonames && to == NO_COMP; a++) {
			rc = resolve_name(r, lg, i, e->sonames[a],
					  &refs[ref + a], &to, &index);
		}
		ref += e->nsonames;
		if (!rc)
			rc = keep_dl(r, root, from, k, to);
	}
	return rc ? rc : budget_end(r, from);
}

/* PT_INTERP: the dynamic loader, in the process before anything else. */
static int link_interp(struct bd_resolver *r, struct lgraph *lg)
{
	const struct bd_component *c = &r->graph->comps[lg->objs[0].comp];
	/* An arena string: it outlives c, which the search may move by
	 * adding the component it finds. */
	const char *interp = c->interp;
	/* Not a search: no musl rule for what try_path says of it. */
	struct bd_resolve_found f = { .musl = false };
	uint32_t id;
	size_t index;
	int rc;

	if (!interp)
		return 0;
	r->probes_left = 1; /* one path, no search */
	rc = try_path(r, c, interp, false, &f);
	c = NULL;
	if (rc)
		return rc;
	if (f.comp == NO_COMP)
		return miss_edge(r, lg->objs[0].comp, interp, BD_EDGE_INTERP);
	rc = intern(r, interp, &id);
	if (!rc)
		rc = note_via(r, f.comp, VIA_DIRECT, interp);
	if (!rc && !loaded_comp(r, f.comp, &index))
		rc = load(r, lg, f.comp, SIZE_MAX, interp, id, VIA_DIRECT,
			  &index);
	if (!rc)
		hold(r, id, index);
	return rc ? rc
		  : add_edge(r, lg->objs[0].comp, f.comp, BD_EDGE_INTERP, NULL,
			     NULL);
}

/* Which components this process loaded besides its program. */
static int keep_loads(struct bd_resolver *r, const struct lgraph *lg)
{
	size_t i;

	if (BD_GROW(r->loads, r->aloads, r->nloads + lg->n))
		return BD_ENOMEM;
	for (i = 1; i < lg->n; i++) {
		/* The interpreter: its needs are not linked here, so not
		 * judged here. */
		if (lg->objs[i].loader == SIZE_MAX)
			continue;
		r->loads[r->nloads].root = lg->objs[0].comp;
		r->loads[r->nloads++].comp = lg->objs[i].comp;
	}
	return 0;
}

static void lgraph_release(struct lgraph *lg)
{
	size_t i;

	for (i = 0; i < lg->n; i++)
		free(lg->objs[i].dirs);
	free(lg->objs);
	bd_arena_release(&lg->arena);
}

/*
 * The process of one input: it, its interpreter, then breadth first
 * every DT_NEEDED (dl-deps.c); then the dlopen notes of every object
 * loaded, whose own needs are loaded in turn.
 */
static int load_graph(struct bd_resolver *r, uint32_t root, const char *cwd)
{
	const struct bd_component *c = &r->graph->comps[root];
	const char *path = c->inside ? c->inside : "";
	struct lgraph lg;
	size_t needed = 0, dlopened = 0, index;
	uint32_t id;
	int rc;

	memset(&lg, 0, sizeof(lg));
	bd_arena_init(&lg.arena);
	lg.cwd = cwd;
	new_process(r);
	rc = intern(r, path, &id);
	if (!rc)
		rc = load(r, &lg, root, SIZE_MAX, path, id, NULL, &index);
	if (!rc)
		rc = link_interp(r, &lg);
	while (!rc && (needed < lg.n || dlopened < lg.n)) {
		if (needed < lg.n) {
			/* Loaded by nobody: the program (0) or its
			 * interpreter, whose needs are not the program's. */
			if (needed == 0 || lg.objs[needed].loader != SIZE_MAX)
				rc = link_needed(r, &lg, needed);
			needed++;
		} else {
			rc = link_dlopen(r, &lg, dlopened++);
		}
	}
	if (!rc)
		rc = keep_loads(r, &lg);
	lgraph_release(&lg);
	return rc;
}

/* ---- predicting what the search finds ------------------------------ */

struct guess {
	const struct bd_resolver *r;
	const struct bd_elf_info *info;
	const char *origin;
	struct bd_target t;
	bd_resolve_try_fn try_fn;
	void *ctx;
	struct bd_buf path, dir;
	size_t left; /* paths still to ask about */
};

/* The prediction ran out of paths to try (no BD_E* code: those are < 0). */
#define GUESS_SPENT 1

/*
 * Asks about one path, within the budget: the search tries at most
 * BD_RESOLVE_MAX_PROBES candidates for a file's names, and so does the
 * prediction (a hostile RUNPATH of 256 directories with 4,096 missing
 * names was a million questions a file, each a lock and two hashes).
 */
static int guess_try(struct guess *g, const char *path, bool *found)
{
	if (!g->left)
		return GUESS_SPENT;
	g->left--;
	return g->try_fn(g->ctx, path, found);
}

/* Tries dir/name; *found when it exists. */
static int guess_in(struct guess *g, const char *dir, const char *name,
		    bool *found)
{
	bd_buf_reset(&g->path);
	bd_buf_adds(&g->path, dir);
	bd_buf_addc(&g->path, '/');
	bd_buf_adds(&g->path, name);
	if (!bd_buf_ok(&g->path))
		return BD_ENOMEM;
	return guess_try(g, g->path.data, found);
}

/* The absolute directories of a colon-separated list, tokens expanded. */
static int guess_list(struct guess *g, const char *list, const char *name,
		      bool *found)
{
	const char *p = list;
	int rc = 0;

	while (!rc && !*found) {
		size_t len = strcspn(p, ":");

		if (!bd_resolve_expand(p, len, g->origin, g->t.lib,
				       g->t.platform ? g->t.platform : "",
				       &g->dir))
			return BD_ENOMEM;
		if (len && g->dir.data[0] == '/' && g->dir.len < PATH_MAX)
			rc = guess_in(g, g->dir.data, name, found);
		if (!p[len])
			break;
		p += len + 1;
	}
	return rc;
}

/* The system's places: the cache, else ld.so.conf and the defaults. */
static int guess_system(struct guess *g, const char *name, bool *found)
{
	const struct bd_resolver *r = g->r;
	size_t i;
	int rc = 0;

	if (r->have_cache) {
		for (i = bd_ldcache_find(&r->cache, name);
		     i != SIZE_MAX && !rc && !*found; i = r->cache.next_same[i])
			rc = guess_try(g, r->cache.entries[i].value, found);
		return rc;
	}
	for (i = 0; r->have_conf && i < r->conf.n && !rc && !*found; i++)
		rc = guess_in(g, r->conf.dirs[i], name, found);
	for (i = 0; i < g->t.ndirs && !rc && !*found; i++)
		rc = guess_in(g, g->t.dirs[i], name, found);
	return rc;
}

/* A musl program's own search, as musl_search_list and try_musl_system
 * order it; the system directories are musl's defaults (the path file is
 * read by the search, on its own thread). */
static int guess_musl(struct guess *g, const char *name, bool *found)
{
	const struct bd_elf_info *info = g->info;
	const char *list = info->runpath ? info->runpath : info->rpath;
	size_t i;
	int rc = 0;

	if (musl_builtin(name))
		return 0; /* the loader itself */
	if (g->r->opts.library_path)
		rc = guess_list(g, g->r->opts.library_path, name, found);
	if (!rc && !*found && list && musl_list_ok(list))
		rc = guess_list(g, list, name, found);
	for (i = 0; !rc && !*found && i < g->t.ndirs; i++)
		rc = guess_in(g, g->t.dirs[i], name, found);
	return rc;
}

static int guess_name(struct guess *g, const char *name, bool *found)
{
	const struct bd_elf_info *info = g->info;
	int rc = 0;

	*found = false;
	if (strchr(name, '/')) {
		if (!bd_resolve_expand(name, strlen(name), g->origin, g->t.lib,
				       g->t.platform ? g->t.platform : "",
				       &g->dir))
			return BD_ENOMEM;
		return g->dir.data[0] == '/' && g->dir.len < PATH_MAX
			       ? guess_try(g, g->dir.data, found)
			       : 0;
	}
	if (g->t.musl)
		return guess_musl(g, name, found);
	if (info->rpath && !info->runpath)
		rc = guess_list(g, info->rpath, name, found);
	if (!rc && !*found && g->r->opts.library_path)
		rc = guess_list(g, g->r->opts.library_path, name, found);
	if (!rc && !*found && info->runpath)
		rc = guess_list(g, info->runpath, name, found);
	if (!rc && !*found)
		rc = guess_system(g, name, found);
	return rc;
}

int bd_resolver_predict(const struct bd_resolver *r,
			const struct bd_elf_info *info, const char *origin,
			bd_resolve_try_fn try_fn, void *ctx)
{
	struct guess g = { r,		info,	     origin,
			   { 0 },	try_fn,	     ctx,
			   BD_BUF_INIT, BD_BUF_INIT, BD_RESOLVE_MAX_PROBES };
	bool found;
	size_t i, k;
	int rc = 0;

	if (!info->ei_class)
		return 0;
	bd_target_for(info->ei_class, info->e_machine, info->ei_data,
		      info->interp, r->multiarch, &g.t);
	if (info->interp && info->interp[0] == '/')
		rc = guess_try(&g, info->interp, &found);
	for (i = 0; !rc && i < info->nneeded; i++)
		rc = guess_name(&g, info->needed[i], &found);
	/* The first alternative of a dlopen entry that is found. */
	for (i = 0; !rc && i < info->ndlopen; i++) {
		found = false;
		for (k = 0; !rc && !found && k < info->dlopen[i].nsonames; k++)
			rc = guess_name(&g, info->dlopen[i].sonames[k], &found);
	}
	bd_buf_release(&g.path);
	bd_buf_release(&g.dir);
	return rc == GUESS_SPENT ? 0 : rc;
}

/* ---- judging the needs nothing met ---------------------------------- */

/*
 * Which processes are real: that of an input no other process loads (a
 * program, a library used alone). The process of a library that a scanned
 * program loads is only what a dlopen() of it elsewhere would do; it is
 * judged where it is loaded (libsystemd-core-252.so has no RUNPATH and
 * finds libsystemd-shared-252.so only inside systemd's process).
 * loaded[c]: some process loads c; in_real[c]: some real process does.
 */
static int mark_loads(const struct bd_resolver *r, bool **loaded,
		      bool **in_real)
{
	size_t n = r->graph->ncomps, i;

	*loaded = calloc(n ? n : 1, sizeof(**loaded));
	*in_real = calloc(n ? n : 1, sizeof(**in_real));
	if (!*loaded || !*in_real)
		return BD_ENOMEM;
	for (i = 0; i < r->nloads; i++)
		(*loaded)[r->loads[i].comp] = true;
	for (i = 0; i < r->nloads; i++) {
		if (!(*loaded)[r->loads[i].root])
			(*in_real)[r->loads[i].comp] = true;
	}
	return 0;
}

/* The needs that found nothing inside some process that loads their
 * object, each as need_id: sorted, for bsearch. */
struct hidden {
	uint64_t *ids;
	size_t n;
};

/* One need: its object, and the index of the name in the object. */
static uint64_t need_id(uint32_t from, size_t k)
{
	return (uint64_t)from << 32 | (uint32_t)k;
}

static int cmp_need_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static bool is_hidden(const struct hidden *h, uint32_t from, size_t k)
{
	uint64_t id = need_id(from, k);

	return bsearch(&id, h->ids, h->n, sizeof(*h->ids), cmp_need_id);
}

/*
 * A need found only inside the processes that load its library: its
 * target's resolved-via names the first real one, and how that process
 * had found the target ("loaded-by:/usr/lib/systemd/systemd (runpath)").
 */
static int note_loaded_by(struct bd_resolver *r, const bool *loaded,
			  const struct hidden *hidden)
{
	struct bd_graph *g = r->graph;
	struct bd_buf via = BD_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nneeds && hidden->n && !rc; i++) {
		const struct bd_resolve_need *n = &r->needs[i];
		const char *old = g->comps[n->to].resolved_via;

		if (loaded[n->root] || !is_hidden(hidden, n->from, n->k) ||
		    (old && !strncmp(old, "loaded-by:", 10)))
			continue;
		bd_buf_reset(&via);
		bd_buf_printf(&via, "loaded-by:%s",
			      first_path(&g->comps[n->root]));
		if (vias[n->via])
			bd_buf_printf(&via, " (%s)", vias[n->via]);
		/* The graph's string: the SBOM is written after we are gone. */
		g->comps[n->to].resolved_via =
			bd_buf_ok(&via) ? bd_graph_strdup(g, via.data) : NULL;
		if (!g->comps[n->to].resolved_via)
			rc = BD_ENOMEM;
	}
	bd_buf_release(&via);
	return rc;
}

/* A need that really fails: an edge to an unresolved component. */
static int add_miss(struct bd_resolver *r, const struct bd_resolve_miss *m)
{
	return miss_edge(r, m->from, r->graph->comps[m->from].needed[m->k],
			 BD_EDGE_NEEDED);
}

/* The edge of a need met. */
static int add_need(struct bd_resolver *r, const struct bd_resolve_need *n)
{
	struct name_ref *refs;
	uint32_t *last_to;
	int rc = comp_refs(r, n->from, &refs, &last_to);

	return rc ? rc
		  : add_edge_again(r, n->from, n->to, BD_EDGE_NEEDED, NULL,
				   &last_to[n->k], NULL);
}

/* A .note.dlopen entry of priority "required": "the binary will not
 * work if it cannot be found" (spec 12's priority table), so that none
 * of its sonames is found counts as a needed library missing does. */
static bool dl_required(const struct bd_dlopen_entry *e)
{
	return e && !strcmp(e->priority, "required");
}

/* -v: a required dlopen entry nothing meets, once per file and entry. */
static void report_required_dl(struct bd_resolver *r, uint32_t from,
			       const struct bd_dlopen_entry *e)
{
	const struct bd_component *c = &r->graph->comps[from];

	bd_diag_report(r->diag, BD_DIAG_INFO,
		       "'%s': required dlopen library '%s' not found",
		       c->paths.n ? c->paths.items[0] : c->name, e->sonames[0]);
}

/* The edge of a .note.dlopen entry: to what met it, else to its
 * preferred name, unresolved. */
static int add_dl(struct bd_resolver *r, const struct bd_resolve_need *n)
{
	const struct bd_dlopen_entry *e =
		&r->graph->comps[n->from].dlopen[n->k];
	size_t nneeded = r->graph->comps[n->from].nneeded;
	struct name_ref *refs;
	uint32_t *last_to, to = n->to;
	bool fresh = false;
	int rc = comp_refs(r, n->from, &refs, &last_to);

	if (!rc && to == NO_COMP)
		rc = unresolved(r->graph, n->from, e->sonames[0], &to);
	if (!rc)
		rc = add_edge_again(r, n->from, to, BD_EDGE_DLOPEN_NOTE, e,
				    &last_to[nneeded + n->k], &fresh);
	if (!rc && fresh && n->to == NO_COMP && dl_required(e))
		report_required_dl(r, n->from, e);
	return rc;
}

/*
 * A need met is an edge where it is judged as a need that fails is: in a
 * real process, or for an object that no real process loads. A library's
 * process of its own, when a scanned program loads it, is what a dlopen()
 * of it by its real path would find: its own $ORIGIN may lead elsewhere
 * than the path the program found it by, and what it finds there is no
 * file of the program's process. Unless nothing else reaches that file (a
 * PATH given, its library beside it): the search found and read it, and
 * it stays that library's, as a file in the SBOM hangs off something.
 */
static int add_needs(struct bd_resolver *r, const bool *loaded,
		     const bool *in_real)
{
	const struct bd_graph *g = r->graph;
	bool *reached;
	size_t i, elsewhere = 0;
	int rc = 0;

	for (i = 0; i < r->nneeds && !rc; i++) {
		const struct bd_resolve_need *n = &r->needs[i];

		if (loaded[n->root] && in_real[n->from])
			elsewhere++;
		else
			rc = add_need(r, n);
	}
	/* A .note.dlopen entry alike: dlopen() runs in the process, by the
	 * caller's RUNPATH and $ORIGIN there; one that found nothing here
	 * is judged in the processes that load its object. */
	for (i = 0; i < r->ndls && !rc; i++) {
		const struct bd_resolve_need *n = &r->dls[i];

		if (!loaded[n->root] || !in_real[n->from])
			rc = add_dl(r, n);
		else if (n->to != NO_COMP)
			elsewhere++;
	}
	if (rc || !elsewhere)
		return rc;
	reached = calloc(g->ncomps ? g->ncomps : 1, sizeof(*reached));
	if (!reached)
		return BD_ENOMEM;
	for (i = 0; i < g->ncomps; i++)
		reached[i] = g->comps[i].is_input;
	for (i = 0; i < g->nedges; i++)
		reached[g->edges[i].to] = true;
	for (i = 0; i < r->nneeds && !rc; i++) {
		const struct bd_resolve_need *n = &r->needs[i];

		if (loaded[n->root] && in_real[n->from] && !reached[n->to])
			rc = add_need(r, n);
	}
	for (i = 0; i < r->ndls && !rc; i++) {
		const struct bd_resolve_need *n = &r->dls[i];

		if (loaded[n->root] && in_real[n->from] && n->to != NO_COMP &&
		    !reached[n->to])
			rc = add_dl(r, n);
	}
	free(reached);
	return rc;
}

/* ---- needs met by a library the program loaded first ------------------ */

/*
 * Whether a need that found nothing may be met by a library its program
 * loaded by path before: glibc's loader takes a loaded object for a name
 * by its DT_SONAME before any search (_dl_map_object), musl's never
 * (load_library takes one by the name its search found it by, and gives
 * one dlopen()ed by a path none). Only where something ran before the
 * requester was loaded: in a process started by loading a library
 * (dlopen()), not in a program's, whose needs are all loaded before it
 * runs. A name with a '/' is a path; one with a dynamic string token is
 * left as it is.
 */
static bool may_be_preloaded(const struct bd_resolver *r,
			     const struct bd_resolve_miss *m)
{
	const char *name = r->graph->comps[m->from].needed[m->k];

	return m->by_soname &&
	       r->graph->comps[m->root].kind == BD_COMP_LIBRARY && *name &&
	       !strpbrk(name, "/$");
}

/* For each miss judged where it fails (judge_misses), the library that
 * may meet it (bd_resolve_preload); *out is NULL when no miss may be. */
static int preloads(struct bd_resolver *r, const bool *loaded,
		    const bool *in_real, struct bd_resolve_preload **out)
{
	struct bd_resolve_preload *p;
	size_t i, asked = 0;
	int rc;

	*out = NULL;
	for (i = 0; i < r->nmisses; i++) {
		const struct bd_resolve_miss *m = &r->misses[i];

		asked += (!loaded[m->root] || !in_real[m->from]) &&
			 may_be_preloaded(r, m);
	}
	if (!asked)
		return 0;
	p = calloc(r->nmisses, sizeof(*p));
	if (!p)
		return BD_ENOMEM;
	for (i = 0; i < r->nmisses; i++) {
		const struct bd_resolve_miss *m = &r->misses[i];

		p[i].from = m->from;
		if ((!loaded[m->root] || !in_real[m->from]) &&
		    may_be_preloaded(r, m))
			p[i].name = r->graph->comps[m->from].needed[m->k];
	}
	rc = bd_resolve_preload(r->graph, &r->opts, p, r->nmisses);
	if (rc)
		free(p);
	else
		*out = p;
	return rc;
}

/* -v: a need met by soname only, once per file and name. */
static void report_preloaded(struct bd_resolver *r, uint32_t from,
			     const char *name, uint32_t to)
{
	bd_diag_report(r->diag, BD_DIAG_INFO,
		       "'%s': needed library '%s' not found by the loader's "
		       "search: matched by soname to '%s', which the program "
		       "must load by path first",
		       first_path(&r->graph->comps[from]), name,
		       first_path(&r->graph->comps[to]));
}

/* A need met by the one library its program may have loaded first: an
 * edge that says so, and "preloaded" its target's resolved-via when no
 * search found it. */
static int add_preloaded(struct bd_resolver *r, const struct bd_resolve_miss *m,
			 uint32_t to)
{
	struct bd_component *c = &r->graph->comps[to];
	bool seen;
	int rc = edge_seen(r, m->from, to, BD_EDGE_NEEDED, NULL, &seen);

	if (!c->resolved_via)
		c->resolved_via = VIA_PRELOADED;
	if (rc || seen)
		return rc;
	rc = bd_graph_add_preloaded(r->graph, m->from, to);
	if (!rc)
		report_preloaded(r, m->from,
				 r->graph->comps[m->from].needed[m->k], to);
	return rc;
}

/* A need not met, and when several libraries could have met it, -v says
 * so with its "not found" (once per file and name). */
static int add_unmet(struct bd_resolver *r, const struct bd_resolve_miss *m,
		     const struct bd_resolve_preload *p)
{
	size_t n = r->graph->nedges;
	int rc = add_miss(r, m);

	if (!rc && p && p->found > 1 && r->graph->nedges > n)
		bd_diag_report(
			r->diag, BD_DIAG_INFO,
			"'%s': needed library '%s': %zu libraries in its "
			"unit have that soname, none is taken",
			first_path(&r->graph->comps[m->from]), p->name,
			p->found);
	return rc;
}

/* A need that fails where it is judged: met by a library the program
 * loaded first (p, may be NULL), else not found. */
static int judge_miss(struct bd_resolver *r, const struct bd_resolve_miss *m,
		      const struct bd_resolve_preload *p)
{
	if (p && p->to != NO_COMP)
		return add_preloaded(r, m, p->to);
	return add_unmet(r, m, p);
}

/*
 * A need that found nothing is "not found" where it really fails: in a
 * real process, or for an object that no real process loads (judged
 * alone, as before), unless the one library its program may have loaded
 * first meets it (preloads). Anywhere else it is left to the processes
 * that load the object, which give the edge themselves when it fails
 * there too.
 */
static int judge_misses(struct bd_resolver *r)
{
	bool *loaded = NULL, *in_real = NULL;
	struct hidden hidden = { NULL, 0 };
	struct bd_resolve_preload *pre = NULL;
	size_t i;
	int rc = mark_loads(r, &loaded, &in_real);

	if (!rc)
		rc = add_needs(r, loaded, in_real);
	if (!rc)
		rc = preloads(r, loaded, in_real, &pre);
	if (!rc && r->nmisses) {
		hidden.ids = malloc(r->nmisses * sizeof(*hidden.ids));
		rc = hidden.ids ? 0 : BD_ENOMEM;
	}
	for (i = 0; !rc && i < r->nmisses; i++) {
		const struct bd_resolve_miss *m = &r->misses[i];

		if (!loaded[m->root] || !in_real[m->from])
			rc = judge_miss(r, m, pre ? &pre[i] : NULL);
		else
			hidden.ids[hidden.n++] = need_id(m->from, m->k);
	}
	if (!rc && hidden.n) {
		qsort(hidden.ids, hidden.n, sizeof(*hidden.ids), cmp_need_id);
		rc = note_loaded_by(r, loaded, &hidden);
	}
	free(hidden.ids);
	free(pre);
	free(loaded);
	free(in_real);
	return rc;
}

int bd_resolver_link(struct bd_resolver *r, struct bd_error *err)
{
	char cwd[PATH_MAX] = "/";
	size_t i, n = r->graph->ncomps;
	int rc = 0;

	/* Relative paths start from where the program would run: under
	 * --root its "/", on this machine our current directory. */
	if (bd_root_is_host(bd_root_base(r->opts.root)) &&
	    !getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	for (i = 0; i < n && !rc; i++) {
		const struct bd_component *c = &r->graph->comps[i];

		if (c->is_input && c->has_elf_header && c->inside)
			rc = load_graph(r, (uint32_t)i, cwd);
	}
	if (!rc)
		rc = judge_misses(r);
	for (i = 0; i < r->graph->nedges; i++) {
		const struct bd_edge *e = &r->graph->edges[i];

		bool to_nothing =
			r->graph->comps[e->to].kind == BD_COMP_UNRESOLVED;

		r->unresolved_needed += (e->kind == BD_EDGE_NEEDED ||
					 e->kind == BD_EDGE_INTERP) &&
					to_nothing;
		r->unresolved_required_dlopen +=
			e->kind == BD_EDGE_DLOPEN_NOTE &&
			dl_required(e->dlopen) && to_nothing;
		r->preloaded_needed +=
			e->kind == BD_EDGE_NEEDED && e->preloaded;
	}
	if (!rc)
		rc = bd_resolve_machines(r->graph, r->opts.root,
					 r->have_cache ? &r->cache : NULL,
					 r->diag);
	return rc ? bd_error_set(err, rc, "out of memory") : 0;
}
