/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_RESOLVE_H
#define BINDEP_RESOLVE_H

#include "bindep/error.h"
#include "bindep/graph.h"
#include "bindep/ldconf.h"
#include "bindep/root.h"

/*
 * The resolve stage: scanned files become components, and each file's
 * load graph is simulated the way glibc's ld.so builds it (elf/dl-load.c,
 * elf/dl-deps.c): breadth first over DT_NEEDED, every name looked up among
 * the objects already loaded first, then searched in
 *
 *   DT_RPATH of the requester and of its loaders up the chain (only when
 *   the requester has no DT_RUNPATH), --library-path, the requester's own
 *   DT_RUNPATH, ld.so.cache (ld.so.conf when the root has no cache), and
 *   the target's default directories (neither with DF_1_NODEFLIB),
 *
 * each directory after its glibc-hwcaps subdirectories, skipping files of
 * another ELF class, byte order or machine. Then the .note.dlopen entries
 * of every loaded object are resolved from that object. Names that
 * nothing provides become unresolved components.
 */

/*
 * Limits on the search work a hostile file can ask for (each RUNPATH
 * directory is tried for each needed name that is missing): a real object
 * has a few search directories and needs a few hundred probes at most.
 */
/* Directories in one object's search list (its DT_RPATH chain,
 * --library-path, its DT_RUNPATH); the rest are not searched. */
#define BD_RESOLVE_MAX_SEARCH_DIRS 256
/* Candidate files tried for one object's names in one process; past it the
 * remaining names are not searched (not found), and in later processes
 * that object's names are not searched at all. */
#define BD_RESOLVE_MAX_PROBES 65536
/* Candidate files tried in one run, for all objects together (many files
 * each just under the limit above); past it no name is searched again:
 * "'<file>': more than 1000000 candidate files tried in this run, the
 * rest not searched", once. */
#define BD_RESOLVE_MAX_RUN_PROBES 1000000
/* Candidate paths whose resolution and first bytes are remembered for the
 * rest of the run (the loader of every program is tried in every
 * process); past it they are looked at again each time. */
#define BD_RESOLVE_MAX_TRIED 16384

/* Who owns a file, as the root's package databases say: the source
 * package it is built from (dpkg's Source, rpm's source rpm, apk's
 * origin; the package itself when it names none), its version, and the
 * purl type of its database. All NULL: no package owns it. */
struct bd_resolve_owner {
	const char *type, *name, *version;
};

struct bd_resolve_options {
	const struct bd_root *root;
	const char *library_path; /* "dir:dir", as LD_LIBRARY_PATH, or NULL */
	/* The location of an inside path of a file of an artifact
	 * ("dist/x.whl!/pkg/_x.so"), NULL for any other: the input stage's
	 * bd_input_display. NULL: none. */
	const char *(*display)(void *ctx, const char *inside);
	void *display_ctx;
	/* On the host: a file found in the tree scanned is shown relative
	 * to the current directory, as the PATHs are, not by this machine's
	 * absolute path (bd_relative_path). NULL: none. */
	const struct bd_relative *relative;
	/* The owners of n files (canonical paths inside the root) into
	 * owners[0..n): asked once a run at most, of the files a need may
	 * be met in by soname (bd_resolve_preload). NULL: no file is owned.
	 * Returns 0 or BD_ENOMEM. */
	int (*owners)(void *ctx, const char *const *paths, size_t n,
		      struct bd_resolve_owner *owners);
	void *owners_ctx;
};

/* A search's answer: a component (UINT32_MAX: none), how, and by which
 * path the loader opened it. */
struct bd_resolve_found {
	uint32_t comp;
	const char *via;
	const char *path;
	/* The search is musl's: a file it cannot load at a candidate path
	 * stops musl's loader, where glibc's skips some (say_stops_musl). */
	bool musl;
	/* What the last candidate tried was when glibc's open_path searches
	 * no further directory of the list it is in ("a symlink loop", "a
	 * socket": open() fails, but not with ENOENT or EACCES); NULL. */
	const char *list_ended;
	/* Nothing found, but not for want of a file: the search passed by
	 * one of the name (another class or machine, one it cannot open,
	 * one ld.so stops at) or was cut short. */
	bool passed;
};

/* The path file of a musl loader (/etc/ld-musl-<arch>.path, musl's
 * ldso/dynlink.c): the directories that replace musl's defaults. */
struct bd_musl_path {
	const char *interp; /* the loader's path */
	bool have_file;	    /* else the defaults */
	struct bd_dirlist dirs;
};

/* What a PT_INTERP met leads to in the root, kept by its path: for musl,
 * the arch of the musl loader it is or links to (NULL: glibc's loader);
 * for i386 and x32, the directory of the loader (bd_target_biarch). */
struct bd_interp_memo {
	const char *interp;
	const char *value;
};

/* The musl loader in /lib that loads a library of a machine alone. */
struct bd_musl_loader {
	unsigned machine, ei_class, ei_data;
	const char *interp; /* NULL: none, glibc's rules */
};

/* musl loaders whose path files are read in one run (a real root has
 * one); past it, musl's defaults. */
#define BD_RESOLVE_MAX_MUSL 16

/* What each simulated process leaves for judging a library in the
 * processes that load it, and what the search keeps across processes
 * (private to resolve.c). */
struct bd_resolve_load;
struct bd_resolve_miss;
struct bd_resolve_need;
struct bd_resolve_comp;
struct bd_resolve_name;
struct bd_resolve_memo;
struct bd_resolve_tried;

/* A candidate file as the search opened it: its stat and first bytes,
 * whose ELF class, byte order and machine must be the requester's. The
 * whole ELF header is kept (BD_RESOLVE_HEAD, up to the file's size): glibc's
 * loader refuses a file of the right class for its e_version and
 * e_phentsize too (open_verify); BD_RESOLVE_IDENT bytes tell the class. */
#define BD_RESOLVE_IDENT 20 /* bytes: e_ident and e_type, e_machine */
#define BD_RESOLVE_HEAD	 64 /* bytes: an Elf64_Ehdr, a larger Elf32_Ehdr */
struct bd_resolve_cand {
	struct stat st;
	unsigned char head[BD_RESOLVE_HEAD];
	size_t n; /* bytes of head read */
};

/* The first bytes alone, as kept for each component. */
struct bd_resolve_head {
	unsigned char head[BD_RESOLVE_HEAD];
	unsigned char n;
};

/*
 * How the search reads the files it finds (collect.c's shares the work of
 * the scanning threads). open: opens host (inside: its canonical path in
 * the root) and reads its head into *c; *ok is false when it cannot be
 * opened or read, and the loader skips it. Then exactly one of: scan, for
 * a file of the right class that is no component yet, reads the rest of
 * the file and adds it (*id: its component, UINT32_MAX when it is no
 * readable ELF file after all); close, when it is not wanted. open and
 * scan return 0 or BD_ENOMEM. Without a reader the search opens the
 * candidates itself and adds none.
 */
struct bd_resolve_reader {
	int (*open)(void *ctx, const char *host, const char *inside,
		    struct bd_resolve_cand *c, bool *ok);
	int (*scan)(void *ctx, uint32_t *id);
	void (*close)(void *ctx);
	void *ctx;
	/* Optional (NULL: none): what the reader already knows of a
	 * candidate path (inside the root, lexical), resolved as the search
	 * resolves it (its directory's canonical form, then its name): true
	 * with *exists, and when it exists its canonical path in *real and
	 * the lstat taken on the way in *st (st_mode 0: none, only st_mode,
	 * st_dev and st_ino are set); false when it does not know. */
	bool (*look)(void *ctx, const char *path, struct bd_buf *real,
		     struct stat *st, bool *exists);
};

struct bd_resolver {
	struct bd_graph *graph;
	struct bd_resolve_options opts;
	const struct bd_diag *diag;
	struct bd_resolve_reader reader;
	struct bd_arena arena;	/* keys of the maps below */
	struct bd_map inodes;	/* "dev:ino" -> component */
	struct bd_map memo;	/* search context id + name -> result */
	struct bd_map contexts; /* search context -> its id, each stored once */
	/* Per component (by id): its names' ids, its last answers and
	 * edges, the limits reported for it. */
	struct bd_resolve_comp *comps;
	size_t acomps;
	/* Every name a process may hold (soname, needed name, path) -> an
	 * id, and per id whether the process being built holds it. */
	struct bd_map name_ids;
	struct bd_resolve_name *names;
	size_t nnames, anames;
	uint32_t generation; /* of the process being built */
	/* Candidate paths tried -> what was learnt of them (at most
	 * BD_RESOLVE_MAX_TRIED). */
	struct bd_map tried_map;
	struct bd_resolve_tried *tried;
	size_t ntried, atried;
	size_t probes_left;	/* for the object searching now */
	size_t run_probes_left; /* for the run (BD_RESOLVE_MAX_RUN_PROBES) */
	bool cut_short;		/* a search ran out of probes */
	bool run_warned;	/* the run's limit was reported */
	/* Search directories as listed -> search_dirs index: each is
	 * resolved once per run, not again for every candidate in it. */
	struct bd_map search_dir_map;
	const char **search_dirs; /* canonical inside path; NULL: absent */
	size_t nsearch_dirs, asearch_dirs;
	/* Work done, for tests: candidates tried, directories resolved,
	 * candidate paths walked. */
	size_t probes_tried, dirs_resolved, paths_walked;
	struct bd_resolve_memo *memo_results;
	size_t memo_n, memo_alloc;
	struct bd_map edges; /* edges already added */
	/* Per component: the first bytes of its file, when read. */
	struct bd_resolve_head *heads;
	size_t aheads;
	struct bd_ldcache cache;
	bool have_cache;
	struct bd_dirlist conf; /* ld.so.conf, when there is no cache */
	bool have_conf;
	bool multiarch; /* the root has Debian's /usr/lib/<triplet> */
	/* musl: the path files of the loaders met, and per machine the musl
	 * loader in /lib that loads a library no scanned program does (a
	 * root without ld.so.cache: Alpine's). Read by the search only. */
	struct bd_musl_path *musl_paths;
	size_t nmusl_paths, amusl_paths;
	struct bd_musl_loader *musl_loaders;
	size_t nmusl_loaders, amusl_loaders;
	struct bd_interp_memo *musl_interps;
	size_t nmusl_interps, amusl_interps;
	/* The directories of the i386 and x32 loaders met, by path (arch
	 * is the directory, NULL: none; bd_target_biarch). */
	struct bd_interp_memo *biarch;
	size_t nbiarch, abiarch;
	size_t unresolved_needed; /* DT_NEEDED edges to nothing */
	/* .note.dlopen edges of priority "required" to nothing */
	size_t unresolved_required_dlopen;
	/* DT_NEEDED edges met by soname only (bd_edge.preloaded) */
	size_t preloaded_needed;

	/* Every process's loaded objects, the needs that found nothing, and
	 * how the other objects' needs were met: a library that a scanned
	 * program loads is judged in that program's process, not alone. */
	struct bd_resolve_load *loads;
	size_t nloads, aloads;
	struct bd_resolve_miss *misses;
	size_t nmisses, amisses;
	struct bd_resolve_need *needs;
	size_t nneeds, aneeds;
	/* The .note.dlopen entries of each process, as needs (k: the
	 * entry; to: NO_COMP when none of its names was found). */
	struct bd_resolve_need *dls;
	size_t ndls, adls;
};

/* Reads the root's ld.so.cache (or ld.so.conf) once. Problems with them
 * are warnings through diag. Returns 0 or BD_ENOMEM. */
int bd_resolver_init(struct bd_resolver *r, struct bd_graph *g,
		     const struct bd_resolve_options *opts,
		     const struct bd_diag *diag, struct bd_error *err);
void bd_resolver_release(struct bd_resolver *r);

void bd_resolver_set_reader(struct bd_resolver *r,
			    const struct bd_resolve_reader *rd);

/* Whether a candidate is a file the loader of an object of that class,
 * byte order and machine would load (the loader skips any other). */
bool bd_resolve_cand_fits(const struct bd_resolve_cand *c, unsigned ei_class,
			  unsigned ei_data, unsigned e_machine);

/*
 * Where the search will likely find what a file needs (its PT_INTERP,
 * DT_NEEDED and .note.dlopen names), for reading those files ahead of it:
 * for each name, the paths the search would try (inside the root, not
 * resolved), in its order, until try says one exists; at most
 * BD_RESOLVE_MAX_PROBES paths for a file, as the search. An approximation:
 * the RPATHs of the loaders and glibc-hwcaps directories are left out,
 * and so are the default directories when there is an ld.so.cache. It
 * only reads what bd_resolver_init set up, so it may run on any thread
 * while the resolver works. origin is the file's directory ($ORIGIN).
 * Returns 0 or try's error.
 */
typedef int (*bd_resolve_try_fn)(void *ctx, const char *path, bool *exists);
int bd_resolver_predict(const struct bd_resolver *r,
			const struct bd_elf_info *info, const char *origin,
			bd_resolve_try_fn try_fn, void *ctx);

/* The component of a file already added with that device and inode. */
bool bd_resolver_known(const struct bd_resolver *r, dev_t dev, ino_t ino,
		       uint32_t *id);

/* Records another path (a symlink, a hard link) of a known component. */
int bd_resolver_add_path(struct bd_resolver *r, uint32_t id, dev_t dev,
			 ino_t ino, const char *path);

/* A scanned file, as the scan left it. */
struct bd_scanned_file {
	const char *path;   /* as reported: as reached, or inside the root */
	const char *inside; /* canonical path inside the root, or NULL */
	dev_t dev;
	ino_t ino;
	const char *sha256;		/* "" when not hashed */
	const struct bd_elf_info *info; /* facts, possibly partial */
	const char *error;		/* why it is partial, or NULL */
	const char *host;		/* where it is read, or NULL */
	/* Its first bytes as read (NULL: not read): the search judges a
	 * file it meets again by them, without opening it again. */
	const struct bd_resolve_cand *head;
};

/*
 * Adds a scanned file as a component, or as another path of the
 * component with the same content. Sets *id. Returns 0 or BD_ENOMEM.
 */
int bd_resolver_add_file(struct bd_resolver *r, const struct bd_scanned_file *f,
			 uint32_t *id);

/*
 * Builds the load graph of every input component and adds its edges,
 * scanning the files the search finds. A DT_NEEDED name that is found
 * nowhere gives an edge to an unresolved component only where it would
 * really fail: in a process whose program is no other input's library, or
 * for an object that no such process loads. A library that scanned
 * programs load is judged in their processes; a need it meets only there
 * is resolved, and its target's resolved-via names the program
 * ("loaded-by:/usr/lib/systemd/systemd (runpath)"). Where it fails in a
 * glibc process started by loading a library (dlopen(): something ran
 * before), and its search met no file of the name, the one library of
 * its unit with that DT_SONAME meets it (bd_resolve_preload): a
 * bd_edge.preloaded edge, "preloaded" its target's resolved-via when no
 * search found it, counted in preloaded_needed, not unresolved_needed.
 * Returns 0 or BD_ENOMEM (err set).
 */
int bd_resolver_link(struct bd_resolver *r, struct bd_error *err);

/*
 * Libraries a program loads by path before what needs them. glibc's
 * _dl_map_object (elf/dl-load.c, 2.36) takes a needed name for any object
 * already loaded whose name as loaded or DT_SONAME it is, before it
 * searches (_dl_name_match_p, elf/dl-misc.c): the java launcher dlopen()s
 * lib/server/libjvm.so by its path, and lib/libjava.so's "libjvm.so",
 * which its RUNPATH $ORIGIN does not reach, is met by it; firefox loads
 * libxul.so's libraries so (dependentlibs.list), Python packages theirs
 * with ctypes.CDLL(path). bd_resolver_link asks this of the needs the
 * search found nothing for that such a load could meet (a glibc process
 * started by loading a library, bd_resolver_link's comment).
 */
struct bd_resolve_preload {
	uint32_t from;	  /* the requester */
	const char *name; /* its needed name; NULL: none asked here */
	uint32_t to;	  /* the one provider; UINT32_MAX: none or several */
	size_t found;	  /* how many providers its unit has */
};

/* How far below the requester's directory a provider may be: the JDK's
 * lib/server/libjvm.so is one level below lib/libjava.so. */
#define BD_RESOLVE_PRELOAD_LEVELS 2

/*
 * The providers of each need among g's components: a library whose
 * DT_SONAME is the name (its file's name is no match: a loaded object is
 * matched by its path or its soname), of the requester's ELF class, byte
 * order and machine (the program's dlopen() of another fails), in the
 * requester's unit: in its directory or up to BD_RESOLVE_PRELOAD_LEVELS
 * below it, in the same artifact as it (o->display) or in none as it, of
 * the same source package and version as it or of none as it (o->owners:
 * a package's program loads the files its source builds, Debian's
 * openjdk-17-jre's libawt_xawt.so openjdk-17-jre-headless's libjvm.so).
 * `to` is set where there is exactly one. Returns 0 or BD_ENOMEM.
 */
int bd_resolve_preload(const struct bd_graph *g,
		       const struct bd_resolve_options *o,
		       struct bd_resolve_preload *needs, size_t n);

/*
 * Misses of a machine the root holds nothing for: when nothing the files
 * of one ELF kind (class, byte order, machine) load was found in g (no
 * library, no interpreter, no dlopen() target, none matched by soname)
 * and the root holds no file of that kind (bd_resolve_root_kinds; where
 * it holds none of any kind, when something of another kind was found),
 * their unresolved components are marked machine_absent, and one warning
 * through diag names the first of those files, how many more, the
 * machine and what they need: a root of another machine, not a broken
 * install (a multi-platform npm package's prebuilds/linux-arm64/, or an
 * aarch64 tree alone, scanned on an x86-64 root). cache is the root's
 * ld.so.cache, NULL for none. bd_resolver_link calls it last. Returns 0
 * or BD_ENOMEM.
 */
int bd_resolve_machines(struct bd_graph *g, const struct bd_root *root,
			const struct bd_ldcache *cache,
			const struct bd_diag *diag);

/*
 * The ELF kinds (bd_elf_kind) the root holds files of, sorted, each once,
 * in *kinds (malloc'd, NULL for none), *n of them: its loaders' (glibc's
 * PT_INTERP names, musl's /lib/ld-musl-<arch>.so.1 of the common archs
 * and of the kinds wanted[0..nwanted)) and a file of each distinct entry
 * flags value of cache (may be NULL). Each is known by its ELF header,
 * read confined to the root: nothing is run. Returns 0 or BD_ENOMEM.
 */
int bd_resolve_root_kinds(const struct bd_root *root,
			  const struct bd_ldcache *cache,
			  const uint32_t *wanted, size_t nwanted,
			  uint32_t **kinds, size_t *n);

/* How a component is to be classified from its ELF header. */
enum bd_comp_kind bd_resolve_kind(const struct bd_elf_info *info);

/*
 * Expands $ORIGIN, ${ORIGIN}, $LIB, ${LIB}, $PLATFORM and ${PLATFORM} in
 * one path element. Returns false when out of memory. An expansion that
 * reaches PATH_MAX bytes is cut there: out->len >= PATH_MAX is a path no
 * loader can open, which the caller takes as not found.
 */
bool bd_resolve_expand(const char *element, size_t len, const char *origin,
		       const char *lib, const char *platform,
		       struct bd_buf *out);

#endif
