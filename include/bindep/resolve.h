/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_RESOLVE_H
#define BINDEP_RESOLVE_H

#include "bindep/error.h"
#include "bindep/graph.h"

/*
 * The resolve stage: scanned files become components; their DT_NEEDED
 * names and .note.dlopen entries become edges. A needed soname is matched
 * against the DT_SONAME of the scanned files of the same ELF class, byte
 * order and machine (the loader skips any other); a name no scanned file
 * provides becomes an unresolved component of its own, named by the
 * soname.
 */

struct bd_resolver {
	struct bd_graph *graph;
	struct bd_map inodes;  /* "dev:ino" -> component */
	struct bd_map sonames; /* "soname/class/data/machine" -> component */
};

void bd_resolver_init(struct bd_resolver *r, struct bd_graph *g);
void bd_resolver_release(struct bd_resolver *r);

/* The component of a file already added with that device and inode. */
bool bd_resolver_known(const struct bd_resolver *r, dev_t dev, ino_t ino,
		       uint32_t *id);

/* Records another path (a symlink, a hard link) of a known component. */
int bd_resolver_add_path(struct bd_resolver *r, uint32_t id, dev_t dev,
			 ino_t ino, const char *path);

/* A scanned file, as the scan left it. */
struct bd_scanned_file {
	const char *path; /* as reached from the argument */
	dev_t dev;
	ino_t ino;
	time_t mtime;
	const char *sha256;		/* "" when not hashed */
	const struct bd_elf_info *info; /* facts, possibly partial */
	const char *error;		/* why it is partial, or NULL */
};

/*
 * Adds a scanned file as a component, or as another path of the
 * component with the same content. Sets *id. Returns 0 or BD_ENOMEM.
 */
int bd_resolver_add_file(struct bd_resolver *r, const struct bd_scanned_file *f,
			 uint32_t *id);

/* Adds the edges of every component. Returns 0 or BD_ENOMEM (err set). */
int bd_resolver_link(struct bd_resolver *r, struct bd_error *err);

/* How a component is to be classified from its ELF header. */
enum bd_comp_kind bd_resolve_kind(const struct bd_elf_info *info);

#endif
