/* SPDX-License-Identifier: MIT */
#include "bindep/walk.h"
#include "bindep/progress.h"
#include "bindep/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An entry warned about or skipped: positive, so that it can never be
 * taken for one of the negative BD_E* codes (-1 is BD_ENOMEM). */
#define SKIPPED 1

struct walk_ctx {
	struct bd_walk *w;
	const struct bd_diag *diag;
	char *listing; /* LISTING_SIZE bytes for getdents64, or NULL */
	dev_t dev;     /* the device of the directory being listed */
	/* The PATH being walked on the host, and its real path, made when
	 * first needed (shown_on_host). */
	const char *arg;
	char *arg_real;
	bool arg_real_tried;
};

/*
 * A directory is listed with getdents64(2) on the descriptor its confined
 * open gave, into one buffer for the whole walk: fdopendir(3) adds an
 * fstat, two fcntl and a 32 KiB buffer to each directory (a Debian root
 * has a thousand).
 */
#define LISTING_SIZE (32u * 1024u)

void bd_walk_init(struct bd_walk *w)
{
	memset(w, 0, sizeof(*w));
	bd_arena_init(&w->arena);
	w->dirs_seen = (struct bd_inodes){ NULL, 0, 0 };
	bd_root_memo_init(&w->links, BD_ROOT_MEMO_BUDGET);
}

void bd_walk_drop_early(struct bd_walk *w)
{
	if (w->early && w->drop_early)
		w->drop_early(w->early);
	w->early = NULL;
}

void bd_walk_drop_files(struct bd_walk *w)
{
	size_t i;

	for (i = 0; i < w->nfiles && w->drop_scan; i++)
		if (w->files[i].scan)
			w->drop_scan(w->files[i].scan);
	free(w->files);
	w->files = NULL;
	w->nfiles = w->afiles = w->ntold = 0;
}

void bd_walk_release(struct bd_walk *w)
{
	bd_walk_drop_early(w);
	bd_walk_drop_files(w);
	bd_inodes_release(&w->dirs_seen);
	bd_arena_release(&w->arena);
	bd_root_memo_release(&w->links);
	free(w->unread);
	bd_walk_init(w);
}

static void warn(struct walk_ctx *c, const char *path, const char *what,
		 int errnum)
{
	c->w->nproblems++;
	if (errnum)
		bd_diag_report(c->diag, BD_DIAG_WARNING, "'%s': %s: %s", path,
			       what, strerror(errnum));
	else
		bd_diag_report(c->diag, BD_DIAG_WARNING, "'%s': %s", path,
			       what);
}

/* A path the walk could not see into: said, and kept for the SBOM
 * (bd_walk.unread). Out of memory it is only counted: the SBOM still
 * says the inventory is incomplete. */
static void keep_unread(struct walk_ctx *c, const char *path)
{
	struct bd_walk *w = c->w;
	const char *kept;

	w->nunread++;
	if (w->nunread_kept >= BD_WALK_MAX_UNREAD ||
	    BD_GROW(w->unread, w->aunread, w->nunread_kept + 1))
		return;
	kept = bd_arena_strdup(&w->arena, path);
	if (kept)
		w->unread[w->nunread_kept++] = kept;
}

static void warn_unread(struct walk_ctx *c, const char *path, const char *what,
			int errnum)
{
	warn(c, path, what, errnum);
	keep_unread(c, path);
}

/* Tells w->added of the files added since it was last told: when forced
 * (a directory or an argument done) or past BD_WALK_TELL_EVERY. */
static void tell(struct bd_walk *w, bool force)
{
	if (w->added && w->nfiles > w->ntold &&
	    (force || w->nfiles - w->ntold >= BD_WALK_TELL_EVERY)) {
		w->added(w->added_ctx, w);
		w->ntold = w->nfiles;
	}
}

static void skip(struct walk_ctx *c, const char *path, const char *why)
{
	c->w->nskipped++;
	bd_diag_report(c->diag, BD_DIAG_INFO, "'%s': %s, skipped", path, why);
}

static bool under_root(const struct walk_ctx *c)
{
	return c->w->root && !bd_root_is_host(c->w->root);
}

static int add_file(struct walk_ctx *c, const char *path, const char *host,
		    const struct stat *st, bool via_symlink)
{
	struct bd_walk *w = c->w;
	struct bd_walk_file *f;
	const char *hcopy = bd_arena_strdup(&w->arena, host);
	size_t hlen = strlen(host), plen = strlen(path);
	/* One copy: on the host the two are most often the same, and under
	 * --root the path most often ends the host's ("/usr/bin/ls" of
	 * "ROOT/usr/bin/ls"), a third of a real root's walk memory. */
	const char *copy =
		hcopy && plen <= hlen && !memcmp(host + hlen - plen, path, plen)
			? hcopy + (hlen - plen)
			: bd_arena_strdup(&w->arena, path);

	if (!copy || !hcopy || BD_GROW(w->files, w->afiles, w->nfiles + 1))
		return BD_ENOMEM;
	f = &w->files[w->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = copy;
	f->host = hcopy;
	if (st) {
		f->dev = st->st_dev;
		f->ino = st->st_ino;
		f->stated = true;
	}
	f->via_symlink = via_symlink;
	bd_progress_walked();
	return 0;
}

int bd_walk_add(struct bd_walk *w, const char *path, const char *host,
		const char *inside, const struct stat *st)
{
	struct walk_ctx c = { .w = w };
	const char *icopy = bd_arena_strdup(&w->arena, inside);

	if (!icopy || add_file(&c, path, host, st, false))
		return BD_ENOMEM;
	w->files[w->nfiles - 1].inside = icopy;
	return 0;
}

/* Marks a directory as entered; false when it was entered before. By
 * device and inode (bindep/inodes.h), not a string of them in a map: no
 * key printed, hashed and kept for each directory. */
static int mark_dir(struct bd_walk *w, const struct stat *st, bool *fresh)
{
	*fresh = !bd_inodes_get(&w->dirs_seen, st->st_dev, st->st_ino, NULL);
	return *fresh ? bd_inodes_add(&w->dirs_seen, st->st_dev, st->st_ino, 0)
		      : 0;
}

/* A directory entry: its type as readdir(3) gives it (DT_UNKNOWN where
 * the file system does not say), and, for anything but a regular file or
 * a special file, its lstat (or why there is none). */
struct entry {
	char *name;
	ino_t ino; /* the listing's */
	unsigned char type;
	bool followed; /* a link, st its target's (errnum: why none) */
	int errnum;
	struct stat *st;
	/* Under a --root: a link to a file of its own directory, by that
	 * name (st the file's, which is no link). */
	char *sibling;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

static void free_entries(struct entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].st);
		free(e[i].sibling);
	}
	free(e);
}

/* Whether an entry's type says all the walk needs: a regular file is
 * listed unstated (its one open gives its device, inode and time), a
 * special file is skipped unopened. Directories, links and entries of
 * unknown type are looked at. */
static bool needs_stat(unsigned char type)
{
	return type != DT_REG && type != DT_FIFO && type != DT_CHR &&
	       type != DT_BLK && type != DT_SOCK;
}

/*
 * Under a --root, a link whose target is a plain name (most of a library
 * directory's: libz.so.1 -> libz.so.1.3) is resolved from the directory
 * being listed: its target read and stated there, one component each
 * (the resolution from the root took an lstat of the link, a readlink
 * and an lstat of the target, each a whole path, ~10 us a link). Not
 * when the target is a link too, or has a '/', or is "." or "..": those
 * take the resolution in the root. False then, e->st untouched.
 */
static bool sibling_link(int dfd, struct entry *e)
{
	char target[NAME_MAX + 1]; /* a longer target is no name */
	ssize_t n = readlinkat(dfd, e->name, target, sizeof(target));

	if (n <= 0 || (size_t)n >= sizeof(target))
		return false;
	target[n] = '\0';
	if (strchr(target, '/') || !strcmp(target, ".") ||
	    !strcmp(target, "..") ||
	    fstatat(dfd, target, e->st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    S_ISLNK(e->st->st_mode))
		return false;
	e->sibling = strdup(target);
	return e->sibling != NULL;
}

/* The next record of a listing (buf, len bytes), at *pos, moved past
 * it; NULL at the end, or at a record that does not fit in the bytes
 * the kernel gave (not expected: the rest of those bytes is skipped,
 * and the next getdents64 call goes on). */
static const struct dirent64 *next_record(const char *buf, size_t len,
					  size_t *pos)
{
	const size_t name_at = offsetof(struct dirent64, d_name);
	const struct dirent64 *de;

	if (len - *pos <= name_at)
		return NULL;
	de = (const struct dirent64 *)(const void *)(buf + *pos);
	if (de->d_reclen <= name_at || de->d_reclen > len - *pos ||
	    !memchr(de->d_name, '\0', de->d_reclen - name_at))
		return NULL;
	*pos += de->d_reclen;
	return de;
}

/* Entry n of *e, grown, for the listing's record de; false when out of
 * memory (entry n then holds nothing to free). */
static bool add_entry(struct entry **e, size_t *alloc, size_t n,
		      const struct dirent64 *de)
{
	if (BD_GROW(*e, *alloc, n + 1))
		return false;
	memset(&(*e)[n], 0, sizeof((*e)[n]));
	(*e)[n].type = de->d_type;
	(*e)[n].ino = (ino_t)de->d_ino;
	(*e)[n].name = strdup(de->d_name);
	return (*e)[n].name != NULL;
}

/* The entries of a directory, sorted by name; those that need it stated
 * relative to the directory (fstatat: no path walked again), a link
 * followed at once when follow (on the host: one call, not an lstat and a
 * stat of the whole path), or to a sibling when siblings (sibling_link).
 * A read error ends the listing, as readdir(3) would, and is put in
 * *cut (else 0): the entries read before it are kept. Returns NULL when
 * out of memory. */
static struct entry *read_entries(int dfd, char *buf, bool follow,
				  bool siblings, size_t *count, int *cut)
{
	struct entry *e = NULL;
	size_t n = 0, alloc = 0, i, pos;
	const struct dirent64 *de;
	ssize_t got;

	while ((got = getdents64(dfd, buf, LISTING_SIZE)) > 0 ||
	       (got < 0 && errno == EINTR)) {
		pos = 0;
		while (got > 0 && (de = next_record(buf, (size_t)got, &pos))) {
			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			if (!add_entry(&e, &alloc, n, de))
				goto nomem;
			n++;
		}
	}
	*cut = got < 0 ? errno : 0;
	if (n)
		qsort(e, n, sizeof(*e), cmp_entry);
	for (i = 0; i < n; i++) {
		if (!needs_stat(e[i].type))
			continue;
		e[i].st = malloc(sizeof(*e[i].st));
		if (!e[i].st)
			goto nomem;
		e[i].followed = follow && e[i].type == DT_LNK;
		if (siblings && e[i].type == DT_LNK && sibling_link(dfd, &e[i]))
			continue;
		if (fstatat(dfd, e[i].name, e[i].st,
			    e[i].followed ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
			e[i].errnum = errno;
	}
	*count = n;
	return e ? e : calloc(1, sizeof(*e));
nomem:
	free_entries(e, n);
	return NULL;
}

static int walk_stat(struct walk_ctx *c, const char *path, const char *host,
		     struct stat *st, int depth, bool top, const char *dir);
static int walk_followed(struct walk_ctx *c, const struct entry *e,
			 const char *path, const char *host, int depth);
static int walk_sibling(struct walk_ctx *c, const struct entry *e,
			const char *path, int depth, const char *dir);

/* Whether an entry is a directory, by its listing's type or its lstat
 * (not a link to one: a link to a directory is not walked anyway). */
static bool entry_is_dir(const struct entry *e)
{
	return e->type == DT_DIR || (e->type == DT_UNKNOWN && e->st &&
				     !e->errnum && S_ISDIR(e->st->st_mode));
}

/* An entry below an argument; dir: its directory's canonical inside
 * path, or NULL. */
static int walk_child(struct walk_ctx *c, const struct entry *e,
		      const char *path, const char *host, int depth,
		      const char *dir)
{
	/* Left out by --exclude: a directory is not listed, a file not
	 * opened (its directories were looked at when entered). */
	if (bd_exclude_path(c->w->exclude, path, BD_EXCLUDE_SELF,
			    entry_is_dir(e)))
		return 0;
	if (e->type == DT_REG) {
		int rc = add_file(c, path, host, NULL, false);
		size_t bit = bd_walk_ino_bit(e->ino);

		if (c->w->listed_inos)
			c->w->listed_inos[bit / 64] |= (uint64_t)1
						       << (bit % 64);

		if (!rc)
			c->w->files[c->w->nfiles - 1].listed_regular = true;
		return rc;
	}
	if (!needs_stat(e->type)) {
		c->w->nskipped++; /* devices, FIFOs, sockets: never opened */
		return 0;
	}
	if (e->followed)
		return walk_followed(c, e, path, host, depth);
	if (e->sibling)
		return walk_sibling(c, e, path, depth, dir);
	if (e->errnum) {
		warn_unread(c, path, "cannot stat", e->errnum);
		return 0;
	}
	return walk_stat(c, path, host, e->st, depth, false, dir);
}

static void join(struct bd_buf *b, const char *dir, const char *name)
{
	bd_buf_reset(b);
	bd_buf_adds(b, dir);
	if (b->len && b->data[b->len - 1] != '/')
		bd_buf_addc(b, '/');
	bd_buf_adds(b, name);
}

/*
 * Under --root, the canonical inside path of a directory the walk entered
 * (its host path is resolved: the argument's, then real directories
 * only), made into dir: a link in it is resolved from there, not from "/"
 * again, an lstat a component saved (1,205 links in a Debian root). NULL
 * on the host, over an overlay, or when there is none.
 */
static const char *canonical_dir(struct walk_ctx *c, const char *host,
				 struct bd_buf *dir)
{
	if (!under_root(c) || c->w->root->lower ||
	    bd_root_inside(c->w->root, host, dir) || !bd_buf_ok(dir)) {
		bd_buf_reset(dir);
		return NULL;
	}
	return dir->data;
}

/*
 * Whether the directory open at dfd is the one stated as st when its
 * parent was listed: between the two, another name may have been put in
 * its place (a symlink to a directory outside the walk, on the host, is
 * opened through), as fts(3) checks before entering one.
 */
static bool still_the_same(int dfd, const struct stat *st)
{
	struct stat now;

	return !fstat(dfd, &now) && now.st_dev == st->st_dev &&
	       now.st_ino == st->st_ino;
}

/*
 * Whether the directory open at dfd (stated as st) is on a file system of
 * the kernel's state (bd_kernel_fs): said, and not entered. Looked at
 * where the walk starts and where it crosses onto another device (a mount
 * point), not at every directory. Named as a PATH it is a warning; below
 * one ("--root /" meets /proc) a note, as a link not followed is.
 */
static bool kernel_state(struct walk_ctx *c, int dfd, const char *path,
			 const struct stat *st, int depth)
{
	const char *fs = NULL;
	char what[96];

	if (depth == 0 || st->st_dev != c->dev)
		fs = bd_kernel_fs(dfd);
	if (!fs)
		return false;
	snprintf(what, sizeof(what), "a %s file system (the kernel's state)",
		 fs);
	if (depth == 0) {
		strcat(what, ", not scanned");
		warn(c, path, what, 0);
	} else {
		skip(c, path, what);
	}
	return true;
}

static int walk_dir(struct walk_ctx *c, const char *path, const char *host,
		    const struct stat *st, int depth)
{
	struct bd_buf child = BD_BUF_INIT, hchild = BD_BUF_INIT,
		      dir = BD_BUF_INIT;
	const char *cdir;
	size_t n = 0, i;
	struct bd_error e;
	struct entry *ents;
	int rc = 0, dfd, cut;

	if (depth >= BD_WALK_MAX_DEPTH) {
		warn_unread(c, path, "directories nested too deep, not entered",
			    0);
		return 0;
	}
	if (!c->listing && !(c->listing = malloc(LISTING_SIZE)))
		return BD_ENOMEM;
	if (bd_root_open_dir(c->w->root, host, &dfd, &e)) {
		if (e.code == BD_ENOMEM)
			return BD_ENOMEM;
		warn_unread(c, path, "cannot open directory", e.errnum);
		return 0;
	}
	if (!still_the_same(dfd, st)) {
		close(dfd);
		warn_unread(c, path,
			    "replaced while it was walked, not entered", 0);
		return 0;
	}
	if (kernel_state(c, dfd, path, st, depth)) {
		close(dfd);
		return depth == 0 ? SKIPPED : 0;
	}
	/* Closed before going down: one descriptor open at a time, however
	 * deep the tree. Links to siblings are resolved from the listing
	 * only where the directory's canonical path is known. */
	cdir = canonical_dir(c, host, &dir);
	ents = read_entries(dfd, c->listing, !under_root(c), cdir != NULL, &n,
			    &cut);
	close(dfd);
	if (!ents) {
		bd_buf_release(&dir);
		return BD_ENOMEM;
	}
	/* Said before its entries are walked, as the error came first. */
	if (cut)
		warn_unread(c, path, "directory listing cut short", cut);
	for (i = 0; i < n && !rc; i++) {
		c->dev = st->st_dev; /* a subdirectory walked changed it */
		join(&child, path, ents[i].name);
		join(&hchild, host, ents[i].name);
		rc = bd_buf_ok(&child) && bd_buf_ok(&hchild)
			     ? walk_child(c, &ents[i], child.data, hchild.data,
					  depth + 1, cdir)
			     : BD_ENOMEM;
		tell(c->w, false);
	}
	tell(c->w, true);
	free_entries(ents, n);
	bd_buf_release(&child);
	bd_buf_release(&hchild);
	bd_buf_release(&dir);
	return rc;
}

/* Why a link could not be followed, as one of our codes. */
static int link_error(int errnum)
{
	if (errnum == ELOOP)
		return BD_ELIMIT;
	return errnum == ENOENT || errnum == ENOTDIR ? BD_ENOENT : BD_EIO;
}

static int link_failed(struct walk_ctx *c, const char *path, int rc, int errnum,
		       bool top);

/*
 * A link not followed: resolving the walk's links walked all the path
 * bytes they may (bd_walk.links), said once for the root; each kept
 * unread, the SBOM's inventory incomplete. Returns SKIPPED.
 */
static int link_unpaid(struct walk_ctx *c, const char *path)
{
	struct bd_walk *w = c->w;

	if (!w->links_said) {
		w->links_said = true;
		w->nproblems++;
		bd_diag_report(c->diag, BD_DIAG_WARNING,
			       "'%s': symlinks past %llu bytes of path walked "
			       "resolving them are not followed",
			       w->root_shown ? w->root_shown : w->root->host,
			       (unsigned long long)w->links.given);
	}
	keep_unread(c, path);
	return SKIPPED;
}

/* Follows a symlink inside the root, from dir, its directory's canonical
 * inside path, when known (else from "/"): the walk's memo of links says
 * where those it followed before lead. */
static int follow_in_root(struct walk_ctx *c, const char *path,
			  struct bd_buf *host, struct bd_buf *real,
			  struct stat *st, const char *dir, int *errnum)
{
	struct bd_root_memo *m = &c->w->links;
	int rc = dir ? bd_root_resolve_memo(c->w->root, dir,
					    strrchr(path, '/') + 1, true, real,
					    st, m)
		     : bd_root_resolve_memo(c->w->root, "/", path, true, real,
					    st, m);

	/* Not dangling: behind a directory we may not search. */
	if (rc == BD_ENOENT && errno == EACCES) {
		*errnum = errno;
		rc = BD_EIO;
	}
	if (!rc)
		bd_root_host_memo(c->w->root, real->data, host, m);
	if (!rc && !bd_buf_ok(host))
		rc = BD_ENOMEM;
	/* The lstat the resolution ends with is the target's stat (no link
	 * is left to follow): not taken again when it has one. */
	if (!rc && !st->st_mode && stat(host->data, st) != 0) {
		*errnum = errno;
		rc = BD_EIO;
	}
	return rc;
}

/* Follows a symlink (inside the root under --root, from dir, its
 * directory's canonical inside path, when known); host becomes the
 * target's host path, real (under --root) its canonical inside path.
 * Returns 0, SKIPPED after a warning, or BD_ENOMEM. */
static int follow_link(struct walk_ctx *c, const char *path,
		       struct bd_buf *host, struct bd_buf *real,
		       struct stat *st, bool top, const char *dir)
{
	int rc = 0, errnum = 0;

	if (!under_root(c)) {
		if (stat(host->data, st) != 0) {
			errnum = errno;
			rc = link_error(errnum);
		}
	} else {
		rc = follow_in_root(c, path, host, real, st, dir, &errnum);
		if (rc == BD_ELIMIT && c->w->links.over)
			return link_unpaid(c, path);
	}
	if (rc == BD_ENOMEM || !rc)
		return rc;
	return link_failed(c, path, rc, errnum, top);
}

/* Says why a link could not be followed (rc, one of ours; errnum: the
 * system's reason, or 0); returns SKIPPED. */
static int link_failed(struct walk_ctx *c, const char *path, int rc, int errnum,
		       bool top)
{
	if (rc == BD_ELIMIT)
		warn(c, path, "symlink loop", 0);
	else if (rc == BD_ENOENT && (under_root(c) || c->w->rooted) && !top)
		/* Normal in images: systemd's masks (-> /dev/null), the
		 * /etc/alternatives of what is not installed. Not so for
		 * an argument: what was asked for is not there. */
		skip(c, path, "dangling symlink");
	else if (rc == BD_ENOENT)
		warn(c, path, "dangling symlink", 0);
	else
		warn_unread(c, path, "cannot follow symlink", errnum);
	return SKIPPED;
}

/* What a special file is, for the warning about an argument. */
static const char *special_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO, not scanned";
	if (S_ISCHR(mode))
		return "a character device, not scanned";
	if (S_ISBLK(mode))
		return "a block device, not scanned";
	if (S_ISSOCK(mode))
		return "a socket, not scanned";
	return "not a regular file or directory, not scanned";
}

/* An argument, by its path. */
static int walk_entry(struct walk_ctx *c, const char *path, const char *host)
{
	struct stat st;

	/* One that may be there but cannot be looked at (a directory on
	 * its way nobody may search) is not read. */
	if (lstat(host, &st) != 0) {
		if (errno == ENOENT)
			warn(c, path, "no such file or directory", 0);
		else
			warn_unread(c, path, "cannot stat", errno);
		return 0;
	}
	/* Left out by --exclude, itself or a directory it lies in (a FIFO
	 * given too is then not said): taken as asked, not as missing. */
	if (bd_exclude_path(c->w->exclude, path, 0, S_ISDIR(st.st_mode))) {
		c->w->nargs_found++;
		c->w->nargs_scanned++;
		return 0;
	}
	return walk_stat(c, path, host, &st, 0, true, NULL);
}

/* The path the walk would show the file at host, on the host, for
 * --exclude: below the PATH being walked, as the PATH was given (its real
 * path replaced by it), else its own real path. NULL when it has none. */
static char *shown_on_host(struct walk_ctx *c, const char *host)
{
	struct bd_buf shown = BD_BUF_INIT;
	char *real = realpath(host, NULL);
	size_t n;

	if (!real)
		return NULL;
	if (c->arg && !c->arg_real && !c->arg_real_tried) {
		c->arg_real = realpath(c->arg, NULL);
		c->arg_real_tried = true;
	}
	n = c->arg_real ? strlen(c->arg_real) : 0;
	if (!n || strncmp(real, c->arg_real, n) ||
	    (real[n] != '/' && strcmp(c->arg_real, "/")))
		return real;
	join(&shown, c->arg, real + n + (real[n] == '/'));
	free(real);
	return bd_buf_detach(&shown, NULL);
}

/*
 * Whether --exclude leaves out the file a link leads to, by the path the
 * walk would show it at (inside, its canonical path under --root; on the
 * host, shown_on_host): the link then leads to what was left out, and is
 * no input either, as syft's index, which never holds an excluded file,
 * resolves such a link to nothing, and as inside an artifact. The loader
 * search still finds the file through the link.
 */
static bool link_excluded(struct walk_ctx *c, const char *host,
			  const char *inside)
{
	char *shown;
	bool out;

	if (!bd_exclude_active(c->w->exclude))
		return false;
	if (under_root(c))
		return inside &&
		       bd_exclude_path(c->w->exclude, inside, 0, false);
	shown = shown_on_host(c, host);
	out = shown && bd_exclude_path(c->w->exclude, shown, 0, false);
	free(shown);
	return out;
}

/* What an entry turned out to be, st (a link's target when link, whose
 * canonical inside path is inside under --root), at host. Returns 0,
 * SKIPPED or BD_ENOMEM. */
static int walk_found(struct walk_ctx *c, const char *path, const char *host,
		      const struct stat *st, int depth, bool top, bool link,
		      const char *inside)
{
	bool fresh;
	int rc;

	if (link && S_ISREG(st->st_mode) && link_excluded(c, host, inside)) {
		if (top)
			c->w->nargs_scanned++; /* taken as asked */
		return SKIPPED;
	}

	/* Below an argument, a link to a directory is not followed: a
	 * target inside the walk is walked anyway, and one outside it is
	 * not part of what was asked for. */
	if (link && S_ISDIR(st->st_mode) && !top) {
		skip(c, path, "symlink to a directory");
		return SKIPPED;
	}
	/* A PATH that cannot be read is said, and not counted as scanned:
	 * when none can be, the run fails (exit 1), --strict or not. (A
	 * look, not an open: the scan opens each file the one safe way.) */
	if (top && S_ISREG(st->st_mode) &&
	    faccessat(AT_FDCWD, host, R_OK, AT_EACCESS)) {
		warn_unread(c, path, "cannot open", errno);
		return SKIPPED;
	}
	if (top && S_ISREG(st->st_mode))
		c->w->nargs_scanned++;
	if (S_ISREG(st->st_mode)) {
		rc = add_file(c, path, host, st, link);
		/* Under --root a link is resolved in the root, from "/" or
		 * from its canonical directory (follow_link, walk_sibling):
		 * the scan need not resolve the target again (issue 13). */
		if (!rc && link && under_root(c) && !c->w->root->lower)
			c->w->files[c->w->nfiles - 1].host_canonical = true;
		return rc;
	}
	if (!S_ISDIR(st->st_mode)) {
		/* Devices, FIFOs, sockets: never opened; said when asked for
		 * by name. */
		if (top)
			warn(c, path, special_kind(st->st_mode), 0);
		else
			c->w->nskipped++;
		return 0;
	}
	rc = mark_dir(c->w, st, &fresh);
	if (!rc && !fresh)
		skip(c, path, "directory already walked");
	else if (!rc)
		rc = walk_dir(c, path, host, st, depth);
	/* (Not one the kernel's state fills: SKIPPED.) */
	if (top && !rc)
		c->w->nargs_scanned++;
	return rc;
}

/* An entry whose lstat is *st (followed, if a link, into *st). */
static int walk_stat(struct walk_ctx *c, const char *path, const char *host,
		     struct stat *st, int depth, bool top, const char *dir)
{
	struct bd_buf target = BD_BUF_INIT, real = BD_BUF_INIT;
	bool link = false;
	int rc = 0;

	if (top)
		c->w->nargs_found++;
	bd_buf_adds(&target, host);
	if (S_ISLNK(st->st_mode)) {
		link = true;
		rc = follow_link(c, path, &target, &real, st, top, dir);
	}
	/* A PATH that links to a directory is walked as that directory,
	 * so matched as one by --exclude (walk_entry matched its lstat,
	 * a link), once followed as the walk follows it (inside the root
	 * under --root). */
	if (!rc && top && link && S_ISDIR(st->st_mode) &&
	    bd_exclude_path(c->w->exclude, path, BD_EXCLUDE_SELF, true)) {
		c->w->nargs_scanned++;
		rc = SKIPPED;
	}
	if (!rc)
		rc = walk_found(c, path, target.data, st, depth, top, link,
				real.len ? real.data : NULL);
	bd_buf_release(&target);
	bd_buf_release(&real);
	return rc == SKIPPED ? 0 : rc;
}

/* A link the listing's fstatat followed (walk_stat's, done before). */
static int walk_followed(struct walk_ctx *c, const struct entry *e,
			 const char *path, const char *host, int depth)
{
	int rc = e->errnum ? link_failed(c, path, link_error(e->errnum),
					 e->errnum, false)
			   : walk_found(c, path, host, e->st, depth, false,
					true, NULL);

	return rc == SKIPPED ? 0 : rc;
}

/* A link to a file of its own directory (sibling_link, listed only with
 * the directory's canonical path dir): the file's canonical path is dir
 * and its name. */
static int walk_sibling(struct walk_ctx *c, const struct entry *e,
			const char *path, int depth, const char *dir)
{
	struct bd_buf real = BD_BUF_INIT, target = BD_BUF_INIT;
	struct stat st = *e->st;
	int rc;

	join(&real, dir, e->sibling);
	if (bd_buf_ok(&real))
		bd_root_host(c->w->root, real.data, &target);
	rc = bd_buf_ok(&real) && bd_buf_ok(&target)
		     ? walk_found(c, path, target.data, &st, depth, false, true,
				  real.data)
		     : BD_ENOMEM;
	bd_buf_release(&real);
	bd_buf_release(&target);
	return rc == SKIPPED ? 0 : rc;
}

/*
 * The inside path of an argument that is not lexically under the root
 * but reaches it through host symlinks ("rl/usr/bin/x" with rl -> root,
 * "/tmp/link/bin/x" with link -> root/usr). Its components are
 * canonicalised with realpath(3) one by one, only up to the first prefix
 * that lands at or below the root: every link met before that lies
 * outside the root (the user's own, followed as given); the rest, inside
 * the root, is left to bd_root_resolve. Returns 0, BD_ENOENT, BD_ENOMEM.
 */
static int inside_through_links(const struct bd_root *r, const char *arg,
				struct bd_buf *out)
{
	struct bd_buf prefix = BD_BUF_INIT;
	const char *p = arg;
	int rc = BD_ENOENT;

	if (arg[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		bd_buf_adds(&prefix, cwd ? cwd : "");
		free(cwd);
	}
	while (rc == BD_ENOENT && *(p += strspn(p, "/"))) {
		size_t len = strcspn(p, "/");
		char *real;

		bd_buf_addc(&prefix, '/');
		bd_buf_add(&prefix, p, len);
		p += len;
		if (!bd_buf_ok(&prefix)) {
			rc = BD_ENOMEM;
			break;
		}
		real = realpath(prefix.data, NULL);
		if (!real)
			break;
		bd_buf_reset(&prefix);
		bd_buf_adds(&prefix, real);
		free(real);
		if (bd_root_contains(r, prefix.data)) {
			bd_buf_adds(&prefix, "/");
			bd_buf_adds(&prefix, p);
			rc = bd_buf_ok(&prefix)
				     ? bd_root_inside(r, prefix.data, out)
				     : BD_ENOMEM;
		}
	}
	bd_buf_release(&prefix);
	return rc;
}

/*
 * An argument: under --root, reported by its path inside the root, and
 * opened where the loader would find it: its directories are resolved
 * inside the root (an absolute symlink among them means root + target),
 * never on the host.
 */
static int walk_argument(struct walk_ctx *c, const char *arg)
{
	struct bd_buf inside = BD_BUF_INIT, real = BD_BUF_INIT,
		      host = BD_BUF_INIT;
	int rc;

	if (!under_root(c))
		return walk_entry(c, arg, arg);
	rc = bd_root_inside(c->w->root, arg, &inside);
	if (rc == BD_ENOENT)
		rc = inside_through_links(c->w->root, arg, &inside);
	if (rc == BD_ENOENT) {
		warn(c, arg, "not inside --root, skipped", 0);
		rc = 0;
	} else if (!rc) {
		rc = bd_root_resolve(c->w->root, "/", inside.data, false,
				     &real);
		if (!rc) {
			bd_root_host(c->w->root, real.data, &host);
			rc = bd_buf_ok(&host)
				     ? walk_entry(c, inside.data, host.data)
				     : BD_ENOMEM;
		} else if (rc == BD_ENOENT && errno == EACCES) {
			/* There, maybe: behind a directory we may not
			 * search. */
			warn_unread(c, inside.data, "cannot stat", errno);
			rc = 0;
		} else if (rc == BD_ENOENT || rc == BD_ELIMIT) {
			warn(c, inside.data,
			     rc == BD_ENOENT ? "no such file or directory"
					     : "symlink loop",
			     0);
			rc = 0;
		}
	}
	bd_buf_release(&inside);
	bd_buf_release(&real);
	bd_buf_release(&host);
	return rc;
}

int bd_walk_paths(struct bd_walk *w, const char *const *paths, size_t npaths,
		  const struct bd_diag *diag, struct bd_error *err)
{
	struct walk_ctx c = { w, diag, NULL, 0, NULL, NULL, false };
	size_t i;
	int rc = 0;

	for (i = 0; i < npaths; i++) {
		c.arg = paths[i];
		rc = walk_argument(&c, paths[i]);
		free(c.arg_real);
		c.arg_real = NULL;
		c.arg_real_tried = false;
		if (rc)
			break;
		tell(w, true);
	}
	free(c.listing);
	if (rc)
		return bd_error_set(err, rc, "out of memory");
	if (npaths && !w->nargs_found)
		return bd_error_set(err, BD_ENOENT,
				    "none of the paths given exists");
	if (npaths && !w->nargs_scanned)
		return bd_error_set(err, BD_ENOENT,
				    "none of the paths given can be scanned");
	return 0;
}
