/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ROOT_H
#define BINDEP_ROOT_H

#include "bindep/arena.h"
#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/map.h"

#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>

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
	int fd; /* the root directory (O_PATH), -1 for the host's "/" */
	/* An overlay (bd_root_init_overlay): the root below, NULL for a
	 * plain root. */
	const struct bd_root *lower;
};

/* dir NULL means the host's "/". Returns 0, BD_ENOENT or BD_ENOMEM. */
int bd_root_init(struct bd_root *r, const char *dir, struct bd_error *err);
void bd_root_release(struct bd_root *r);

/*
 * An overlay root (issue 12, point 3): dir, a private tree holding the
 * release artifacts laid out as installed, over lower (the --root, or the
 * host's "/"), which must outlive it. Both share one namespace of inside
 * paths: a path is resolved in dir first, with its symlinks confined to
 * dir, and in lower only when dir lacks it, so that the packages given
 * together satisfy each other before the root does. (A coarser rule than
 * overlayfs, which merges directory by directory: a link in dir to a file
 * only lower has is not followed into lower.) Host paths say which tree a
 * file is in. Returns as bd_root_init.
 */
int bd_root_init_overlay(struct bd_root *r, const char *dir,
			 const struct bd_root *lower, struct bd_error *err);

/* The lowest root: lower of an overlay, else r itself. */
const struct bd_root *bd_root_base(const struct bd_root *r);

/* True for the host's "/". */
bool bd_root_is_host(const struct bd_root *r);

/*
 * Resolves path (absolute inside the root, or relative to base, an inside
 * directory) to its canonical inside path in out, following symlinks
 * (the last component's too when follow_last). Returns 0, BD_ENOENT when a
 * component does not exist or is no directory, BD_ELIMIT for a symlink
 * loop (too many links), BD_ENOMEM. On BD_ENOENT, errno says why the
 * component could not be looked at: ENOENT, ENOTDIR, or EACCES for one
 * in a directory the user may not search (not there for the loader
 * either, but unread for an SBOM).
 */
int bd_root_resolve(const struct bd_root *r, const char *base, const char *path,
		    bool follow_last, struct bd_buf *out);

/*
 * The same, and the lstat(2) of the file it leads to in *st, taken on the
 * way: a caller that would lstat the result next need not. st->st_mode is
 * 0 when there is none: the path ends at the base or in "." or "..", or r
 * is an overlay (bd_root_host says which tree's file it is).
 */
int bd_root_resolve_stat(const struct bd_root *r, const char *base,
			 const char *path, bool follow_last, struct bd_buf *out,
			 struct stat *st);

/*
 * The same, for a path resolved in steps (a directory's canonical form is
 * remembered, then names are resolved from it): *links says how many
 * symlinks the steps before followed, and becomes the total; past
 * BD_ROOT_MAX_LINKS in all it is BD_ELIMIT, as for the whole path at once.
 */
int bd_root_resolve_links(const struct bd_root *r, const char *base,
			  const char *path, bool follow_last,
			  struct bd_buf *out, struct stat *st, int *links);

/*
 * The same, each lstat(2) of the walk paid the length of the path (inside
 * the root) it asks the kernel to walk out of *budget (what is left on
 * return): a walk whose next lstat *budget cannot pay stops there,
 * BD_ELIMIT and *budget 0. A link's target is walked a name at a time: an
 * lstat of the whole path so far each while that is short, then each
 * name looked up from its directory's descriptor, paid its own bytes and
 * BD_ROOT_STEP_COST (40 links to a directory 2,000 deep: 10 MB, 0.3 s,
 * where an lstat of each whole path was 160 MB, 4.5 s).
 */
int bd_root_resolve_metered(const struct bd_root *r, const char *base,
			    const char *path, bool follow_last,
			    struct bd_buf *out, struct stat *st, int *links,
			    uint64_t *budget);

/*
 * What one walk of a tree learnt of its symlinks (bd_root_resolve_memo):
 * where each link it followed leads, kept by the link's host path (so
 * that an overlay's two trees never share one), and what the walk may
 * still spend. A link is then followed once a walk, however many links
 * lead through it: 1,000 links to a chain of 40, each to a directory
 * 2,000 deep, were 1,000 walks of the chain. A tree must not change while
 * a memo of it is used. Not locked: one thread at a time.
 *
 * budget is the bytes of path the resolutions may still have the kernel
 * walk (as bd_root_resolve_metered counts them; a name looked up from its
 * directory's descriptor costs itself and BD_ROOT_STEP_COST): past it,
 * a resolution stops (BD_ELIMIT) and over is set. walked and calls (the
 * lstat, fstatat, openat and readlink calls made) are what was spent.
 */
#define BD_ROOT_MEMO_BUDGET (64u << 20)
#define BD_ROOT_STEP_COST   64
/* A memo keeps at most this many links and bytes of their paths: past
 * them, links are still followed, and paid for each time. */
#define BD_ROOT_MEMO_MAX_LINKS (1u << 18)
#define BD_ROOT_MEMO_MAX_BYTES (32u << 20)

struct bd_root_link; /* one link's resolution (root.c) */

struct bd_root_memo {
	struct bd_map map; /* host path of a link -> its index + 1 */
	struct bd_arena arena;
	struct bd_root_link *links;
	size_t nlinks, alinks, bytes;
	uint64_t given, budget, walked, calls; /* given: the budget at first */
	bool over;
};

void bd_root_memo_init(struct bd_root_memo *m, uint64_t budget);
void bd_root_memo_release(struct bd_root_memo *m);

/*
 * bd_root_resolve_stat, each link followed taken from m or learnt into it,
 * and paid out of m->budget: BD_ELIMIT and m->over once the budget cannot
 * pay the next look (links then are not followed, nor anything walked).
 * The outcome is bd_root_resolve_stat's otherwise, 40 links in all at most
 * as the kernel counts them.
 */
int bd_root_resolve_memo(const struct bd_root *r, const char *base,
			 const char *path, bool follow_last, struct bd_buf *out,
			 struct stat *st, struct bd_root_memo *m);

/* bd_root_host, the overlay's look at its upper tree made with m. */
void bd_root_host_memo(const struct bd_root *r, const char *inside,
		       struct bd_buf *out, struct bd_root_memo *m);

/* Whether an inside path exists, its symlinks followed inside the root. */
bool bd_root_exists(const struct bd_root *r, const char *inside);

/* The host path of an inside path. */
void bd_root_host(const struct bd_root *r, const char *inside,
		  struct bd_buf *out);

/*
 * Where a file named by a path inside the root is on the host, for a
 * caller that opens or lists it next (bd_root_open, bd_root_opendir, a
 * database library that takes a path): path (absolute inside the root, or
 * relative to base, an inside directory; NULL base is "/") resolved as
 * bd_root_resolve resolves it, its last link followed too, every link
 * inside the root (an absolute target is root + target, ".." stops at
 * "/"); then that canonical inside path's host path in host, and in real
 * (NULL: not wanted) the canonical inside path itself.
 *
 * It resolves names and opens nothing: a FIFO, a device or a directory at
 * the end is given like a file, for the open that follows to refuse
 * unread ("a FIFO, not a regular file": bd_root_open's O_PATH open and
 * fstat). A path of PATH_MAX bytes or more is not resolved (BD_ENOENT,
 * errno ENAMETOOLONG): open(2) takes no such path, and the loader and
 * ldconfig find nothing there; below that, a host path too long for the
 * kernel is a component that cannot be looked at, as for bd_root_resolve.
 *
 * Returns 0, BD_ENOENT (a component missing, a file mid-path, one the
 * user may not search, the path too long: errno says which), BD_ELIMIT (a
 * symlink loop) or BD_ENOMEM; err (may be NULL) then says so naming path
 * ("'/etc/ld.so.conf': symlink loop"), and host is empty.
 */
int bd_root_host_of(const struct bd_root *r, const char *base, const char *path,
		    struct bd_buf *real, struct bd_buf *host,
		    struct bd_error *err);

/* A host path made absolute (from the current directory) and normalised
 * lexically: "." and ".." folded, symlinks not followed. Returns 0,
 * BD_ENOENT (no current directory) or BD_ENOMEM. */
int bd_path_absolute(const char *host, struct bd_buf *out);

/*
 * The inside path of a host path (relative paths are taken from the
 * current directory), normalised lexically: "." and ".." folded, symlinks
 * not followed. Returns 0, or BD_ENOENT when it is not under the root.
 */
int bd_root_inside(const struct bd_root *r, const char *host,
		   struct bd_buf *out);

/*
 * Every input file is opened one way (DESIGN.md 4b): bd_root_open.
 *
 * - Under a --root, the host path must lie below the root and is resolved
 *   inside it by the kernel (openat2 with RESOLVE_IN_ROOT, so that an
 *   absolute symlink in any component means root + target and ".." stops
 *   at the root); where openat2 is missing, component by component with
 *   O_NOFOLLOW after bd_root_resolve. For the host's "/" (r NULL or the
 *   host root), the path is opened as it is.
 * - The object is first opened with O_PATH, which opens nothing: a FIFO
 *   cannot block and a device driver is never called. Only a regular file
 *   is then reopened for reading, O_NONBLOCK | O_NOCTTY | O_CLOEXEC, and
 *   checked to be the same file (but see BD_OPEN_LISTED_REGULAR).
 * - A file larger than max (0: no limit) is refused with BD_ELIMIT.
 *
 * Errors name the path given: "'etc/ld.so.cache': a FIFO, not a regular
 * file". Returns 0 and an open descriptor in *fd (st filled), BD_ENOENT
 * (no such file, or a path outside the root), BD_EIO (cannot open, not a
 * regular file, a symlink with BD_OPEN_NOFOLLOW), BD_ELIMIT, BD_ENOMEM.
 */
#define BD_OPEN_NOFOLLOW 0x1u /* the last component must not be a symlink */
/*
 * The caller's directory listing said "regular file" (d_type DT_REG): it is
 * opened for reading at once, O_NONBLOCK | O_NOCTTY, then fstat'd, and
 * refused unread unless regular. This saves the O_PATH open, its fstat and
 * close, half of a tiny file's system calls (issue 13). A FIFO still cannot
 * block and nothing but a regular file is ever read; what is given up is
 * that a device node swapped in for the listed file, in the instant between
 * the listing and the open, by someone allowed to create one there, has
 * its driver's open called (and is closed at once, unread). Paths no
 * listing vouches for (databases, manifests, loader candidates) keep the
 * O_PATH open.
 */
#define BD_OPEN_LISTED_REGULAR 0x2u
/* With BD_OPEN_LISTED_REGULAR: the listing named this very path (its last
 * component is no link), which bd_root_open_in may then open by its name
 * in its directory. bd_root_open takes no notice of it. */
#define BD_OPEN_LISTED_NAME 0x4u

int bd_root_open(const struct bd_root *r, const char *host, unsigned flags,
		 uint64_t max, int *fd, struct stat *st, struct bd_error *err);

/*
 * One thread's directory of the last listed file it opened, kept open
 * (O_PATH) for the next ones in it. bd_root_open_in opens a
 * BD_OPEN_LISTED_REGULAR | BD_OPEN_LISTED_NAME file by its last component
 * from there (openat, O_NOFOLLOW): the kernel walks one component, not
 * the whole path again (about a fifth of a tiny file's open and close;
 * under --root, openat2's walk in the root costs more still). The
 * directory itself is opened the one way, confined to the root. Anything
 * else, or a file that cannot be opened so (a link swapped in, gone),
 * takes bd_root_open, which says why; not over an overlay root, whose
 * directories merge. A directory replaced after it was opened (by a link
 * out, say) is read as it was, inside the root: a link in it is never
 * followed from there.
 */
struct bd_dir_cache {
	const struct bd_root *root;
	int fd;		    /* -1: none */
	struct bd_buf host; /* its host path (with fd -1: one that failed) */
};

void bd_dir_cache_init(struct bd_dir_cache *c);
void bd_dir_cache_release(struct bd_dir_cache *c);
int bd_root_open_in(const struct bd_root *r, struct bd_dir_cache *dirs,
		    const char *host, unsigned flags, uint64_t max, int *fd,
		    struct stat *st, struct bd_error *err);

/* Reads a whole file opened by bd_root_open into a malloc'd, NUL-terminated
 * text (*len excludes the NUL). Same returns. */
int bd_root_read(const struct bd_root *r, const char *host, unsigned flags,
		 size_t max, char **text, size_t *len, struct bd_error *err);

/*
 * name (one component) in the directory dirfd, opened and read as
 * bd_root_open and bd_root_read open a path with BD_OPEN_NOFOLLOW: for a
 * directory the caller opened and checked itself (the cache's), whose
 * entries must be looked up there, not by a path that may lead elsewhere
 * since. shown names the file in errors. Same returns.
 */
int bd_open_at(int dirfd, const char *name, const char *shown, uint64_t max,
	       int *fd, struct stat *st, struct bd_error *err);
int bd_read_at(int dirfd, const char *name, const char *shown, size_t max,
	       char **text, size_t *len, struct bd_error *err);

/*
 * Where host paths of the tree scanned are shown relative to, as the
 * PATHs given are (main.c): the current directory, and the top directory
 * each relative PATH lies in ("dist" for "dist/x.whl", the current
 * directory itself for "app" or "."), canonical and below it. No tops:
 * every path stays as it is.
 */
struct bd_relative {
	const char *cwd;
	const char *const *tops;
	size_t ntops;
};

/* path (canonical, on the host) relative to r->cwd when it lies below
 * one of r->tops: a file of the tree scanned that the loader search found
 * ($ORIGIN) or a manifest named. Else path, as it is; r may be NULL. */
const char *bd_relative_path(const struct bd_relative *r, const char *path);

/* Opens a directory the same way, for readdir(3). Returns 0 and *dir,
 * BD_ENOENT, BD_EIO (not a directory, cannot open) or BD_ENOMEM. */
int bd_root_opendir(const struct bd_root *r, const char *host, DIR **dir,
		    struct bd_error *err);

/* readdir(3), which tells a read error from the end of the listing only
 * by errno: the next entry of d, or NULL at the end (*errnum 0) or on an
 * error (*errnum its errno: the listing was cut short). */
struct dirent *bd_readdir(DIR *d, int *errnum);

/* The warning for a listing bd_readdir cut short (errnum nonzero), the
 * directory shown by its name for the user; nothing when errnum is 0. */
void bd_readdir_warn(const struct bd_diag *diag, const char *shown, int errnum);

/* The same, as a descriptor (O_DIRECTORY, close-on-exec) for
 * getdents64(2): *fd, or -1 and the same returns. */
int bd_root_open_dir(const struct bd_root *r, const char *host, int *fd,
		     struct bd_error *err);

/* The kernel file system fd is on when it is one whose files are the
 * kernel's state and not files of a release (proc, sysfs, devpts, cgroup,
 * tracefs and the like): its name ("proc"), else NULL. */
const char *bd_kernel_fs(int fd);

/* How messages name a host path: under a root, by its path inside it
 * ("/etc/ld.so.cache", a pointer into host), as the SBOM does; else as
 * it is. */
const char *bd_root_shown(const struct bd_root *r, const char *host);

/* Reads up to size bytes of fd from offset 0 into buf (pread, EINTR
 * retried); *got is how many, fewer when the file is shorter (it may have
 * shrunk since it was opened). Returns 0, or -1 with errno set. */
int bd_read_upto(int fd, void *buf, size_t size, size_t *got);

/* Whether bd_root_open may use openat2(2) (the default). Off, it resolves
 * component by component as on kernels without it: for tests. */
void bd_root_use_openat2(bool use);

/* The kernel's /proc/self/fd, opened once (O_PATH), with fd's name in it
 * (name, size bytes): the directory's descriptor, or -1 (errno ENOENT)
 * where /proc is not the kernel's procfs, or in a forked child. Its
 * entry names the very file behind fd (proc(5)); another /proc's would
 * name whatever its mounter chose. */
int bd_proc_fd_name(int fd, char *name, size_t size);

/* Whether the host path lies at or below the root (always for the host's
 * "/"): lexically, after folding "." and "..". */
bool bd_root_contains(const struct bd_root *r, const char *host);

#endif
