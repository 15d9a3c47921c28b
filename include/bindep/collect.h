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
 * occurrence), its facts go into the graph, and at the end the edges are
 * added. Files are scanned by `jobs` threads (0: one per CPU), the
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
	time_t newest_mtime;	  /* of the ELF files; 0 when there were none */
};

struct bd_collect_options {
	unsigned jobs; /* scanning threads; 0: one per CPU */
	struct bd_resolve_options resolve;
};

int bd_collect(struct bd_graph *g, const struct bd_walk *w,
	       const struct bd_collect_options *opts,
	       const struct bd_diag *diag, struct bd_collect_stats *stats,
	       struct bd_error *err);

#endif
