/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ROOT_H
#define BINDEP_ROOT_H

#include "bindep/buf.h"
#include "bindep/error.h"

/*
 * A root file system (--root DIR, or the host's "/"), and path resolution
 * confined to it: symlinks are followed inside the root (an absolute
 * target means root + target), ".." never climbs above it. "Inside" paths
 * are absolute paths as seen from the root ("/usr/lib/libz.so.1"); "host"
 * paths are where they are on this machine ("rootfs/usr/lib/libz.so.1").
 */

#define BD_ROOT_MAX_LINKS 40 /* as the kernel's MAXSYMLINKS */

struct bd_root {
	char *host; /* canonical absolute host path, "" for the host's "/" */
	size_t hostlen;
};

/* dir NULL means the host's "/". Returns 0, BD_ENOENT or BD_ENOMEM. */
int bd_root_init(struct bd_root *r, const char *dir, struct bd_error *err);
void bd_root_release(struct bd_root *r);

/* True for the host's "/". */
bool bd_root_is_host(const struct bd_root *r);

/*
 * Resolves path (absolute inside the root, or relative to base, an inside
 * directory) to its canonical inside path in out, following symlinks
 * (the last component's too when follow_last). Returns 0, BD_ENOENT when a
 * component does not exist or is no directory, BD_ELIMIT for a symlink
 * loop (too many links), BD_ENOMEM.
 */
int bd_root_resolve(const struct bd_root *r, const char *base, const char *path,
		    bool follow_last, struct bd_buf *out);

/* Whether an inside path exists (stat(2) through the host path). */
bool bd_root_exists(const struct bd_root *r, const char *inside);

/* The host path of an inside path. */
void bd_root_host(const struct bd_root *r, const char *inside,
		  struct bd_buf *out);

/*
 * The inside path of a host path (relative paths are taken from the
 * current directory), normalised lexically: "." and ".." folded, symlinks
 * not followed. Returns 0, or BD_ENOENT when it is not under the root.
 */
int bd_root_inside(const struct bd_root *r, const char *host,
		   struct bd_buf *out);

#endif
