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
 * added. Files are scanned by `jobs` threads (0: one per CPU); the result
 * and the order of the warnings do not depend on it.
 */

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
