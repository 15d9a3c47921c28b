/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_WALK_H
#define BINDEP_WALK_H

#include "bindep/arena.h"
#include "bindep/error.h"
#include "bindep/exclude.h"
#include "bindep/inodes.h"
#include "bindep/root.h"

#include <sys/types.h>

/*
 * The input walk: the regular files under the command-line paths, in a
 * sorted, stable order (arguments in the order given, directory entries
 * by byte order of their names). Symlinks to files are listed by the
 * link's path (the caller deduplicates by device and inode); symlinks to
 * directories inside the walk are not followed, as their targets are
 * walked anyway, and nor are those leading out of it; a directory met a
 * second time (a bind-mount loop) is not entered again.
 *
 * Under a --root (w->root, not the host's), paths are reported inside the
 * root, symlinks are followed inside it, and an argument outside it is
 * skipped with a warning. An argument may reach the root through host
 * symlinks ("rootlink/usr/bin/x"): those, outside the root, are followed.
 */

#define BD_WALK_MAX_DEPTH  256
#define BD_WALK_TELL_EVERY 64
/* The paths not read (bd_walk.unread) kept for the SBOM; all are warned
 * about and counted. */
#define BD_WALK_MAX_UNREAD 256
/* bd_walk.listed_inos: its size in bits, and the bit of an inode number
 * (Fibonacci hashing: the top 17 bits of the product). */
#define BD_WALK_INO_BITS (1u << 17)
static inline size_t bd_walk_ino_bit(ino_t ino)
{
	return (size_t)(((uint64_t)ino * 0x9e3779b97f4a7c15u) >> 47);
}

/* What a file's one open read, kept for the scan (collect.c). */
struct bd_walk_scan;
struct bd_collect_early;

struct bd_walk_file {
	const char *path;   /* as reached from the argument: "dist/lib/x.so";
			     * under --root, inside it: "/usr/lib/x.so" */
	const char *host;   /* where to open it (a link's target, resolved) */
	const char *inside; /* its path inside the root when known (a file
			       of an artifact), else NULL */
	dev_t dev;	    /* dev and ino: known when stated, else */
	ino_t ino; /* filled by the file's one open (bd_collect_prepare) */
	bool via_symlink;
	bool host_canonical; /* under --root, host is a link's target as the
				walk resolved it in the root: its canonical
				path, no link left in it */
	bool listed_regular; /* its directory listing said DT_REG: opened
				as BD_OPEN_LISTED_REGULAR */
	bool stated;	     /* dev and ino known before it is opened */
	bool opened;	     /* bd_collect_prepare opened it */
	unsigned char kind;  /* enum bd_archive_kind of its first bytes, when
				asked for (bd_collect_prepare) */
	struct bd_walk_scan *scan; /* what its open read, kept until the
				      scan takes it (NULL: nothing to keep) */
};

struct bd_strrules;

struct bd_walk {
	const struct bd_root *root; /* set before walking; NULL: the host */
	/* A root was given, "/" too: a system's tree, where a dangling
	 * symlink is normal (not a broken release). */
	bool rooted;
	struct bd_arena arena;
	struct bd_walk_file *files;
	size_t nfiles, afiles;
	struct bd_inodes dirs_seen; /* the directories entered */
	/* The PATH arguments that exist, and those that are files or
	 * directories; artifacts read before the walk are counted in by
	 * the caller. */
	size_t nargs_found;
	size_t nargs_scanned;
	size_t nproblems; /* warnings reported */
	size_t nskipped;  /* special files and symlinked directories */
	/* What the walk could not see into, each said in a warning: a
	 * directory it could not open or list whole (nested too deep,
	 * replaced meanwhile), an entry it could not stat or follow, a PATH
	 * it may not read. What is there is unknown, so the SBOM says the
	 * target's inventory is incomplete (bd_emit_options.unread). The
	 * first BD_WALK_MAX_UNREAD paths as shown, in the arena; nunread
	 * counts them all. */
	const char **unread;
	size_t nunread_kept, aunread, nunread;
	/* Frees what bd_collect_prepare kept of a file (set by it). */
	void (*drop_scan)(struct bd_walk_scan *s);
	/* Told, while the walk goes on, of the files added since it was last
	 * told (ntold: how many it was told of), at least every
	 * BD_WALK_TELL_EVERY files and at the end of each directory:
	 * bd_collect_early reads them on other threads meanwhile. NULL:
	 * nobody is told. */
	void (*added)(void *ctx, struct bd_walk *w);
	void *added_ctx;
	size_t ntold;
	/* What was read ahead of the walk, until bd_collect_prepare takes
	 * it; dropped by bd_walk_release through drop_early. */
	struct bd_collect_early *early;
	void (*drop_early)(struct bd_collect_early *e);
	/* When set (by bd_collect_early_start), a filter of the inode
	 * numbers the listings gave the files they said were regular (bit
	 * bd_walk_ino_bit(ino)): a hint only, the numbers are not checked
	 * against the files' own. */
	uint64_t *listed_inos;
	/* The registry's string rules, searched for in every ELF file read
	 * (bd_scanner.strings); NULL: none. */
	const struct bd_strrules *strings;
	/* --exclude (set before walking; NULL: none): an entry whose path,
	 * as it is listed, matches is not walked (a directory not listed),
	 * nor an argument that does or lies in a directory that does. */
	struct bd_exclude *exclude;
	/* Where the links followed under a --root lead, learnt once a walk,
	 * and the bytes of path their resolution may walk in all: past
	 * them (BD_ROOT_MEMO_BUDGET unless re-initialised before walking),
	 * links are not followed, said once naming root_shown (NULL: the
	 * root's host path), each kept unread. */
	struct bd_root_memo links;
	const char *root_shown;
	bool links_said;
};

void bd_walk_init(struct bd_walk *w);
void bd_walk_release(struct bd_walk *w);

/*
 * Stops and frees what reads ahead of the walk (w->early), as
 * bd_walk_release does. Those readers ask the registry's load for its
 * string rules (bd_ident_strings): a walk that failed leaves them running,
 * so they are stopped before that load is freed.
 */
void bd_walk_drop_early(struct bd_walk *w);

/*
 * Frees the list of files (what is left of their scans with it), as
 * bd_walk_release does, keeping the arena: the paths stay valid for
 * whoever holds them (the registry's load, the inputs). bd_collect does
 * so once its merge has put every file in the graph, before the search:
 * the list was a tenth of a real root's peak memory.
 */
void bd_walk_drop_files(struct bd_walk *w);

/*
 * Walks each path. Problems (a missing argument, a dangling symlink, a
 * symlink loop, an unreadable directory) are reported as warnings through
 * diag and the walk goes on; skipped entries are reported at info level.
 * An argument that is no regular file or directory (a FIFO, a device,
 * a link out of the root) is warned about. Returns 0, BD_ENOENT with err
 * set when none of the paths exists or none can be scanned, or BD_ENOMEM.
 */
int bd_walk_paths(struct bd_walk *w, const char *const *paths, size_t npaths,
		  const struct bd_diag *diag, struct bd_error *err);

/*
 * Adds a file found elsewhere (inside an artifact): path is its location
 * as shown ("dist/x.whl!/pkg/_x.so"), host where it is read, inside its
 * path in the root it is resolved in; st gives device, inode and time.
 * Returns 0 or BD_ENOMEM.
 */
int bd_walk_add(struct bd_walk *w, const char *path, const char *host,
		const char *inside, const struct stat *st);

#endif
