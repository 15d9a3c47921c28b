/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_COLLECT_H
#define BINDEP_COLLECT_H

#include "bindep/error.h"
#include "bindep/graph.h"
#include "bindep/resolve.h"
#include "bindep/walk.h"

/*
 * Drives scan and resolve over the files of a walk: each file is read
 * once (a second path to the same device and inode only adds an
 * occurrence; a link is not opened when its target is walked, but two
 * hard links the walk lists unstated are both opened, as their inode is
 * only known then), its facts go into the graph, and at the end the
 * edges are added. Files are scanned by `jobs` threads (0: one per CPU), the
 * libraries the search finds too; the result and the order of the
 * warnings do not depend on it.
 */

/*
 * The libraries the loader search will find are read ahead by the scanning
 * threads, foreseen from what each file needs. At most this many files
 * are read ahead, and this many candidate paths looked up to foresee
 * them, in a run; past either nothing more is foreseen and the search
 * reads what it finds itself. Only the speed depends on them (nothing is
 * reported: the result is the same).
 */
#define BD_COLLECT_MAX_AHEAD 16384
#define BD_COLLECT_MAX_TRIED 65536

struct bd_collect_stats {
	size_t files;		  /* regular files walked */
	size_t elf_files;	  /* ELF files, broken ones included */
	size_t non_elf;		  /* files skipped as not ELF */
	size_t problems;	  /* warnings reported */
	size_t discovered;	  /* files read because the search found them */
	size_t unresolved_needed; /* DT_NEEDED edges to nothing */
	/* .note.dlopen edges of priority "required" to nothing */
	size_t unresolved_required_dlopen;
	/* DT_NEEDED edges met by soname only, not by the loader's search: a
	 * library the program must load by path first (bd_edge.preloaded) */
	size_t preloaded_needed;
};

struct bd_collect_options {
	unsigned jobs; /* scanning threads; 0: one per CPU */
	struct bd_resolve_options resolve;
	/* Called once the walked files are read (w: their reads kept,
	 * bd_collect_prepare), before they are merged, and once they are
	 * merged into the graph, before the search for what they need (NULL:
	 * not called): work that needs them can start beside the merge and
	 * the search (bd_ident_prepared, bd_ident_merged). ctx is both's. */
	void (*prepared)(void *ctx, const struct bd_walk *w);
	void (*merged)(void *ctx, const struct bd_graph *g);
	void *merged_ctx;
};

/*
 * What to ask of each walked file's one open (bd_collect_prepare).
 * sniff, when set, tells an archive by the first bytes (head: n bytes of a
 * file of size bytes, fd open on it to read more) and is called from the
 * scanning threads; NULL: archives are not looked for.
 */
/* What archive a file is, from its open descriptor and first bytes. */
typedef unsigned char (*bd_collect_sniff_fn)(int fd, const unsigned char *head,
					     size_t n, off_t size);

struct bd_collect_prepare_options {
	unsigned jobs; /* threads; 0: one per CPU */
	bd_collect_sniff_fn sniff;
};

/*
 * Opens each file of the walk not opened yet, once, on `jobs` threads
 * (issue 13: every file is opened once and read once), from root (NULL:
 * w->root): fills its device and inode where the walk left them
 * unknown, its archive kind when
 * asked for, and reads an ELF file whole (hash and parse), keeping the
 * result on the file for bd_collect; any other file is done with then.
 * What was read ahead of the walk (w->early) is taken first: those files
 * are not opened again. Nothing is reported here: bd_collect tells each
 * file's warnings in walk order. Returns 0 or BD_ENOMEM.
 */
int bd_collect_prepare(struct bd_walk *w, const struct bd_root *root,
		       const struct bd_collect_prepare_options *opts,
		       struct bd_error *err);

/*
 * Reads the files the walk lists while it goes on, on jobs - 1 threads
 * (the walking thread is the other), as bd_collect_prepare would: started
 * before bd_walk_paths, which tells it of the files it adds (w->added),
 * and finished after it. What each open read stays on w->early until
 * bd_collect_prepare takes it, which must be given the same root and
 * sniff. strings(ctx) gives the registry's string rules (it may wait for
 * them). With one thread, or none to be had, nothing is read ahead.
 * Returns 0 or BD_ENOMEM.
 */
int bd_collect_early_start(struct bd_walk *w, const struct bd_root *root,
			   const struct bd_collect_prepare_options *opts,
			   const struct bd_strrules *(*strings)(void *ctx),
			   void *ctx);

/* The walk is over: what is left is read on this thread too, and the
 * threads are joined. */
void bd_collect_early_finish(struct bd_walk *w);

/* The files of the walk not opened yet are opened first, as by
 * bd_collect_prepare; the results it kept are taken, and dropped. Once
 * they are all in the graph, the walk's list of files is freed
 * (bd_walk_drop_files): its paths stay. */
int bd_collect(struct bd_graph *g, struct bd_walk *w,
	       const struct bd_collect_options *opts,
	       const struct bd_diag *diag, struct bd_collect_stats *stats,
	       struct bd_error *err);

#endif
