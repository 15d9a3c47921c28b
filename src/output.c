/* SPDX-License-Identifier: MIT */
#include "bindep/output.h"
#include "bindep/buf.h"
#include "bindep/root.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Symlinks -o follows to the file it writes: the kernel's own limit
 * (MAXSYMLINKS, path_resolution(7)), so that a chain the kernel would
 * accept is accepted and a loop ends. */
#define MAX_LINKS 40

/* Names tried for a temporary file before giving up: O_EXCL fails only
 * when the name is taken, and the names are random. */
#define MAX_TEMP_TRIES 100

/* A temporary's bytes are sent to the disk this many at a time as they
 * are added (bd_output_add), so that the fsync before the rename waits
 * for the last of them only. */
#define WRITEBACK_CHUNK (1u << 20)

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Devices and FIFOs (-o /dev/stdout, a pipe) are written in place: only
 * a regular file can be replaced by renaming. O_NONBLOCK, because opening
 * a FIFO nobody reads would wait forever; ENXIO then means no reader
 * (fifo(7)). The flag is cleared again for the writes, which may wait for
 * a slow reader. */
static int open_in_place(const char *path, const struct stat *st, int *out,
			 struct bd_error *err)
{
	int fd = open(path,
		      O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	int flags;

	if (fd < 0 && errno == ENXIO && S_ISFIFO(st->st_mode))
		return bd_error_set(err, BD_EIO,
				    "'%s': a FIFO with no reader, nothing "
				    "written",
				    path);
	if (fd < 0)
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot open",
				      path);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		bd_error_errno(err, BD_EIO, errno, "'%s': cannot open", path);
		close(fd);
		return BD_EIO;
	}
	*out = fd;
	return 0;
}

/* "<name>.<12 random letters>": random, so that nobody who can write to
 * the directory can take the name in advance for long. */
static void temp_name(const char *name, char *out, size_t size)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[12];
	char suffix[sizeof(rnd) + 1];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(rnd)) {
		struct timespec ts;
		unsigned long long x;

		/* No entropy yet (early boot): unique enough, and O_EXCL
		 * keeps it safe anyway. */
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (unsigned long long)ts.tv_nsec * 2654435761u ^
		    (unsigned long long)getpid() << 20 ^
		    (unsigned long long)ts.tv_sec;
		for (i = 0; i < sizeof(rnd);
		     i++, x = x * 6364136223846793005u + 1442695040888963407u)
			rnd[i] = (unsigned char)(x >> 33);
	}
	for (i = 0; i < sizeof(rnd); i++)
		suffix[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
	suffix[sizeof(rnd)] = '\0';
	/* A name too long to take the suffix (NAME_MAX) still gets one. */
	if (strlen(name) + 1 + sizeof(rnd) > NAME_MAX)
		name = ".bindep-sbom";
	snprintf(out, size, "%s.%s", name, suffix);
}

/* A new file in dirfd, never one that was there: O_EXCL fails on any
 * existing name, a symlink included (O_NOFOLLOW says it twice). */
static int create_temp(int dirfd, const char *name, mode_t mode, char *tmp,
		       size_t size)
{
	int fd = -1, tries;

	for (tries = 0; fd < 0 && tries < MAX_TEMP_TRIES; tries++) {
		temp_name(name, tmp, size);
		fd = openat(dirfd, tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC | O_NOCTTY,
			    mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	return fd;
}

/*
 * A file in dirfd with no name (O_TMPFILE, open(2)), where the file
 * system has them and the kernel's /proc can name it later: a run stopped
 * while it writes, even by SIGKILL, leaves nothing behind (a named
 * temporary was left, half written, beside the output). -1 when there is
 * none: a /proc that is not the kernel's could have another file linked
 * in its place.
 */
static int create_unnamed(int dirfd)
{
	char name[16];
	int fd;

	if (bd_proc_fd_name(0, name, sizeof(name)) < 0)
		return -1;
	fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	return fd < 0 ? -1 : fd;
}

/* Whether tmp in dirfd is fd's file. */
static bool same_file(int dirfd, const char *tmp, int fd)
{
	struct stat a, b;

	return !fstatat(dirfd, tmp, &a, AT_SYMLINK_NOFOLLOW) &&
	       !fstat(fd, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Gives the unnamed file fd a random name beside name, in tmp, through
 * its /proc/self/fd link: once it is whole, just before it is renamed
 * over name. */
static int name_unnamed(int dirfd, int fd, const char *name, char *tmp,
			size_t size)
{
	char proc[16];
	int procdir = bd_proc_fd_name(fd, proc, sizeof(proc)), tries;

	/* Without it now (a forked child), errno is ENOENT. */
	for (tries = 0; procdir >= 0 && tries < MAX_TEMP_TRIES; tries++) {
		temp_name(name, tmp, size);
		if (linkat(procdir, proc, dirfd, tmp, AT_SYMLINK_FOLLOW) == 0) {
			if (same_file(dirfd, tmp, fd))
				return 0;
			unlinkat(dirfd, tmp, 0);
			errno = EXDEV; /* another file came: none is named */
			break;
		}
		if (errno != EEXIST)
			break;
	}
	tmp[0] = '\0';
	return -1;
}

/* The temporary is written, made mode, flushed to disk, named if it has
 * no name yet (tmp "", size bytes of room) and closed; on failure
 * removed. */
static int finish_temp(int dirfd, int fd, const char *name, char *tmp,
		       size_t size, const char *shown, mode_t mode,
		       int failed_errno, struct bd_error *err)
{
	int saved = failed_errno;

	/* The mode given, not the umask's: fchmod on the descriptor, 0600
	 * too (the temporary is 0600 less the umask, 0400 under 0277). */
	if (!saved && (fchmod(fd, mode) || fsync(fd)))
		saved = errno;
	if (!saved && !tmp[0] && name_unnamed(dirfd, fd, name, tmp, size))
		saved = errno ? errno : EIO;
	if (close(fd) && !saved)
		saved = errno;
	if (saved) {
		if (tmp[0])
			unlinkat(dirfd, tmp, 0);
		tmp[0] = '\0';
		return bd_error_errno(err, BD_EIO, saved, "'%s': cannot write",
				      shown);
	}
	return 0;
}

/* rename(2) replaces the name itself: a symlink there is replaced, never
 * followed. */
static int rename_temp(int dirfd, const char *tmp, const char *name,
		       const char *shown, struct bd_error *err)
{
	int saved;

	if (renameat(dirfd, tmp, dirfd, name) == 0)
		return 0;
	saved = errno;
	unlinkat(dirfd, tmp, 0);
	return bd_error_errno(err, BD_EIO, saved, "'%s': cannot rename", shown);
}

int bd_output_temp_open(int dirfd, const char *name,
			char tmp[BD_OUTPUT_TMP_MAX], int *fd)
{
	*fd = -1;
	tmp[0] = '\0';
	if (strlen(name) + 14 > BD_OUTPUT_TMP_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	*fd = create_unnamed(dirfd);
	if (*fd < 0)
		*fd = create_temp(dirfd, name, 0600, tmp, BD_OUTPUT_TMP_MAX);
	return *fd < 0 ? -1 : 0;
}

int bd_output_temp_commit(int dirfd, int fd, const char *shown,
			  const char *name, char tmp[BD_OUTPUT_TMP_MAX],
			  mode_t mode, struct bd_error *err)
{
	int rc = finish_temp(dirfd, fd, name, tmp, BD_OUTPUT_TMP_MAX, shown,
			     mode, 0, err);

	return rc ? rc : rename_temp(dirfd, tmp, name, shown, err);
}

void bd_output_temp_drop(int dirfd, int fd, char tmp[BD_OUTPUT_TMP_MAX])
{
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlinkat(dirfd, tmp, 0);
	tmp[0] = '\0';
}

/* A temporary beside name in dirfd (named dir in the message, when
 * known): 0 and its descriptor, or BD_EIO. It has no name (tmp "") where
 * it can have none. */
static int open_temp(int dirfd, const char *shown, const char *dir,
		     const char *name, char tmp[BD_OUTPUT_TMP_MAX], int *fd,
		     struct bd_error *err)
{
	if (!bd_output_temp_open(dirfd, name, tmp, fd))
		return 0;
	if (dir)
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s': cannot create a temporary file "
				      "in '%s'",
				      shown, dir);
	return bd_error_errno(err, BD_EIO, errno,
			      "'%s': cannot create a temporary file", shown);
}

int bd_output_replace_at(int dirfd, const char *shown, const char *name,
			 const char *data, size_t len, mode_t mode,
			 struct bd_error *err)
{
	char tmp[BD_OUTPUT_TMP_MAX];
	int fd, rc;

	rc = open_temp(dirfd, shown, NULL, name, tmp, &fd, err);
	if (rc)
		return rc;
	rc = finish_temp(dirfd, fd, name, tmp, sizeof(tmp), shown, mode,
			 write_all(fd, data, len) ? errno : 0, err);
	return rc ? rc : rename_temp(dirfd, tmp, name, shown, err);
}

/* The directory part of path ("." for none) and the name after it. */
static int split(const char *path, struct bd_buf *dir, const char **name)
{
	const char *slash = strrchr(path, '/');

	bd_buf_reset(dir);
	if (!slash) {
		bd_buf_adds(dir, ".");
		*name = path;
	} else {
		bd_buf_add(dir, path,
			   slash == path ? 1 : (size_t)(slash - path));
		*name = slash + 1;
	}
	return bd_buf_ok(dir) ? 0 : BD_ENOMEM;
}

/* The kernel's rule for a sticky world-writable directory (/tmp), of
 * fs.protected_symlinks and fs.protected_fifos: a file there (dst the
 * directory's stat, owner the file's) is trusted only when it is this
 * user's own or the directory owner's. */
static bool someone_elses(const struct stat *dst, uid_t owner)
{
	return (dst->st_mode & S_ISVTX) && (dst->st_mode & S_IWOTH) &&
	       owner != geteuid() && owner != dst->st_uid;
}

/*
 * fs.protected_symlinks, which following links in user space would bypass
 * (the kernel checks only the links it follows itself): a symlink in a
 * sticky, world-writable directory (/tmp) is followed only when it belongs
 * to us or to the directory's owner (may_follow_link() in fs/namei.c), so
 * that nobody else can plant one there to have a file of ours overwritten.
 */
static int may_follow(const char *link, const struct stat *lst,
		      struct bd_buf *dir, struct bd_error *err)
{
	struct stat dst;
	const char *name;

	if (split(link, dir, &name))
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (stat(dir->data, &dst) != 0)
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot open",
				      dir->data);
	if (!someone_elses(&dst, lst->st_uid))
		return 0;
	return bd_error_set(err, BD_EIO,
			    "'%s': a symbolic link in a sticky world-writable "
			    "directory, owned by someone else: not followed "
			    "(as fs.protected_symlinks), nothing written",
			    link);
}

/*
 * The file a chain of symlinks ends at, whether or not it exists (a
 * dangling link names the file to create). A relative target is relative
 * to the directory of the link (symlink(7)). Only the last component is
 * resolved by hand: directories on the way are the kernel's to follow.
 */
/* Whether path names one of this process's descriptors ("/dev/fd/N",
 * "/proc/self/fd/N", where /dev/stdout leads): its number, else -1. Such
 * a magic link is not followed to the file behind it, which would be
 * replaced (an appended log lost what was before) or, deleted, made anew
 * as "name (deleted)": the descriptor is written, as "-" is. */
static int own_descriptor(const char *path)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/",
					    "/proc/thread-self/fd/" };
	const char *n = NULL;
	char *end;
	long fd;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !n; i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])))
			n = path + strlen(dirs[i]);
	if (!n || !isdigit((unsigned char)*n))
		return -1;
	errno = 0;
	fd = strtol(n, &end, 10);
	return *end || errno || fd > INT_MAX ? -1 : (int)fd;
}

static int resolve_links(const char *path, struct bd_buf *out, int *descriptor,
			 struct bd_error *err)
{
	struct bd_buf dir = BD_BUF_INIT;
	char target[4096]; /* PATH_MAX: no link holds more */
	const char *name;
	struct stat st;
	int links, rc = 0;

	bd_buf_reset(out);
	bd_buf_adds(out, path);
	for (links = 0; !rc; links++) {
		ssize_t n;

		if (!bd_buf_ok(out)) {
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
			break;
		}
		*descriptor = own_descriptor(out->data);
		if (*descriptor >= 0 || lstat(out->data, &st) != 0 ||
		    !S_ISLNK(st.st_mode))
			break;
		if (links == MAX_LINKS) {
			rc = bd_error_set(err, BD_EIO,
					  "'%s': more than %d symbolic links "
					  "in a row (a loop?), nothing written",
					  path, MAX_LINKS);
			break;
		}
		rc = may_follow(out->data, &st, &dir, err);
		if (rc)
			break;
		n = readlink(out->data, target, sizeof(target));
		if (n <= 0 || (size_t)n >= sizeof(target)) {
			rc = bd_error_errno(err, BD_EIO,
					    n < 0 ? errno : ENAMETOOLONG,
					    "'%s': cannot read the symbolic "
					    "link",
					    out->data);
			break;
		}
		target[n] = '\0';
		if (target[0] != '/' && split(out->data, &dir, &name)) {
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
			break;
		}
		bd_buf_reset(out);
		if (target[0] != '/')
			bd_buf_printf(out, "%s/%s", dir.data, target);
		else
			bd_buf_adds(out, target);
	}
	bd_buf_release(&dir);
	return rc;
}

/* Where the document starts in fd, and whether bytes written there may
 * be rewritten: not in a pipe or a terminal (no offset), nor with
 * O_APPEND (pwrite(2) appends there, on Linux). */
static void find_base(struct bd_output *o)
{
	off_t at = lseek(o->fd, 0, SEEK_CUR);
	int flags = fcntl(o->fd, F_GETFL);

	o->patchable = at >= 0 && flags >= 0 && !(flags & O_APPEND);
	o->base = at >= 0 ? (uint64_t)at : 0;
}

/* A regular file (or none yet) at target: a temporary in its directory. */
static int open_replacing(struct bd_output *o, mode_t mode,
			  struct bd_error *err)
{
	struct bd_buf dir = BD_BUF_INIT;
	const char *name;
	int rc = split(o->target, &dir, &name);

	if (rc) {
		bd_buf_release(&dir);
		return bd_error_set(err, rc, "out of memory");
	}
	o->dirfd = open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dirfd < 0)
		rc = bd_error_errno(err, BD_EIO, errno,
				    "'%s': cannot open its directory '%s'",
				    o->target, dir.data);
	o->name = name;
	o->mode = mode;
	if (!rc)
		rc = open_temp(o->dirfd, o->target, dir.data, name, o->tmp,
			       &o->fd, err);
	bd_buf_release(&dir);
	return rc;
}

/* Descriptor n written in place, as standard output is. */
static int open_descriptor(struct bd_output *o, int n, struct bd_error *err)
{
	o->fd = fcntl(n, F_DUPFD_CLOEXEC, 3);
	if (o->fd < 0) {
		bd_error_errno(err, BD_EIO, errno, "'%s': cannot write",
			       o->target);
		bd_output_abort(o);
		return BD_EIO;
	}
	find_base(o);
	return 0;
}

/*
 * Whether the file at the target belongs to someone else, in a sticky
 * world-writable directory (/tmp). A FIFO or device would take the SBOM,
 * and keep the name for what its owner writes next: the kernel's
 * protected_fifos guards only an open that may create, and this one may
 * not. A regular file would be renamed over by root (whom the sticky bit
 * does not stop) and keep its owner's chosen mode on root's SBOM (0666: a
 * document anyone may rewrite before it is published), where the kernel's
 * protected_regular refuses root's open of it. As may_follow for a link:
 * said, and nothing written.
 */
static bool others_file(const char *target, const struct stat *st,
			struct bd_error *err)
{
	struct bd_buf dir = BD_BUF_INIT;
	struct stat dst;
	const char *name;
	bool theirs;

	if (split(target, &dir, &name) || stat(dir.data, &dst) != 0) {
		bd_buf_release(&dir);
		return false; /* the open says why, if it fails */
	}
	bd_buf_release(&dir);
	theirs = someone_elses(&dst, st->st_uid);
	if (theirs && S_ISREG(st->st_mode))
		bd_error_set(err, BD_EIO,
			     "'%s': a file in a sticky world-writable "
			     "directory, owned by someone else: not replaced, "
			     "nothing written (as fs.protected_regular)",
			     target);
	else if (theirs)
		bd_error_set(err, BD_EIO,
			     "'%s': a FIFO or device in a sticky "
			     "world-writable directory, owned by someone "
			     "else: nothing written (as fs.protected_fifos)",
			     target);
	return theirs;
}

/* bd_output_open; a trial (bd_output_try) opens no descriptor, FIFO or
 * device, and leaves o closed (0 and o->fd -1 then). */
static int open_output(struct bd_output *o, const char *path, bool trial,
		       struct bd_error *err)
{
	struct bd_buf target = BD_BUF_INIT;
	struct stat st;
	bool exists;
	int rc, descriptor = -1;

	memset(o, 0, sizeof(*o));
	o->fd = o->dirfd = -1;
	if (!path || !strcmp(path, "-")) {
		o->fd = STDOUT_FILENO;
		o->shown = "<stdout>";
		find_base(o);
		return 0;
	}
	rc = resolve_links(path, &target, &descriptor, err);
	o->target = rc ? NULL : bd_buf_detach(&target, NULL);
	bd_buf_release(&target);
	if (rc)
		return rc;
	if (!o->target)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	o->shown = o->target;
	if (descriptor >= 0)
		return trial ? 0 : open_descriptor(o, descriptor, err);
	exists = lstat(o->target, &st) == 0;
	if (trial && exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0;
	if (exists && others_file(o->target, &st, err))
		rc = BD_EIO;
	else if (exists && !S_ISREG(st.st_mode))
		rc = open_in_place(o->target, &st, &o->fd, err);
	else {
		/* A file replaced keeps its permission bits: its new inode
		 * must not make a 0600 file readable by all. And its owner,
		 * as a wheel --attach replaces does: run as root (a CI
		 * container), the workspace's SBOM became root's, its 0660
		 * group's no more. */
		o->replaces = exists;
		o->uid = exists ? st.st_uid : 0;
		o->gid = exists ? st.st_gid : 0;
		rc = open_replacing(o,
				    exists ? st.st_mode & 0777
					   : bd_output_default_mode(),
				    err);
	}
	if (!rc)
		find_base(o);
	else
		bd_output_abort(o);
	return rc;
}

int bd_output_open(struct bd_output *o, const char *path, struct bd_error *err)
{
	return open_output(o, path, false, err);
}

int bd_output_try(const char *path, struct bd_error *err)
{
	struct bd_output o;
	int rc;

	if (!path || !strcmp(path, "-"))
		return 0;
	rc = open_output(&o, path, true, err);
	if (!rc)
		bd_output_abort(&o);
	return rc;
}

/*
 * A temporary's bytes written so far, WRITEBACK_CHUNK at a time, sent to
 * the disk now (sync_file_range(2), SYNC_FILE_RANGE_WRITE: started, not
 * waited for) while the rest is made: the fsync in finish_temp then waits
 * for the last chunk, not for the whole document (4.8 MB of CycloneDX for
 * 2,034 components: 4.8 -> ~1 ms). Durability is the fsync's, as before;
 * this only starts earlier what it would start, and a failure here is
 * left for it to say. A patch (bd_output_patch) dirties a page again: the
 * fsync writes it.
 */
static void start_writeback(struct bd_output *o)
{
	if (o->dirfd < 0 || o->written - o->flushing < WRITEBACK_CHUNK)
		return;
	(void)sync_file_range(o->fd, (off64_t)(o->base + o->flushing),
			      (off64_t)(o->written - o->flushing),
			      SYNC_FILE_RANGE_WRITE);
	o->flushing = o->written;
}

int bd_output_add(void *ctx, const char *data, size_t len)
{
	struct bd_output *o = ctx;

	if (o->errnum)
		return BD_EIO;
	if (write_all(o->fd, data, len)) {
		o->errnum = errno ? errno : EIO;
		return BD_EIO;
	}
	o->written += len;
	start_writeback(o);
	return 0;
}

int bd_output_patch(void *ctx, uint64_t offset, const char *data, size_t len)
{
	struct bd_output *o = ctx;
	ssize_t n;

	if (o->errnum)
		return BD_EIO;
	while (len) {
		n = pwrite(o->fd, data, len, (off_t)(o->base + offset));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->errnum = n < 0 ? errno : EIO;
			return BD_EIO;
		}
		data += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

bool bd_output_failed(const struct bd_output *o)
{
	return o->errnum != 0;
}

/* The owner of the file replaced, given to the temporary before its mode
 * (fchown may clear bits): root gives both; another user a group of
 * theirs only (EPERM otherwise, and the file is theirs then). */
static int keep_owner(const struct bd_output *o)
{
	if (!o->replaces)
		return 0;
	if (geteuid() == 0)
		return fchown(o->fd, o->uid, o->gid) ? errno : 0;
	if (fchown(o->fd, (uid_t)-1, o->gid) && errno != EPERM)
		return errno;
	return 0;
}

int bd_output_commit(struct bd_output *o, struct bd_error *err)
{
	int rc = 0;

	if (o->dirfd >= 0) {
		if (!o->errnum)
			o->errnum = keep_owner(o);
		/* Both remove the temporary when they fail. */
		rc = finish_temp(o->dirfd, o->fd, o->name, o->tmp,
				 sizeof(o->tmp), o->target, o->mode, o->errnum,
				 err);
		if (!rc)
			rc = rename_temp(o->dirfd, o->tmp, o->name, o->target,
					 err);
		o->tmp[0] = '\0';
	} else {
		if (o->errnum)
			rc = bd_error_errno(err, BD_EIO, o->errnum,
					    "'%s': cannot write", o->shown);
		/* Standard output stays open: main's to close. */
		if (o->fd != STDOUT_FILENO && close(o->fd) && !rc)
			rc = bd_error_errno(err, BD_EIO, errno,
					    "'%s': cannot write", o->shown);
	}
	o->fd = -1;
	bd_output_abort(o);
	return rc;
}

void bd_output_abort(struct bd_output *o)
{
	if (o->fd >= 0 && o->fd != STDOUT_FILENO)
		close(o->fd);
	if (o->dirfd >= 0 && o->tmp[0])
		unlinkat(o->dirfd, o->tmp, 0);
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->target);
	memset(o, 0, sizeof(*o));
	o->fd = o->dirfd = -1;
}

int bd_output_write(const char *path, const char *data, size_t len,
		    struct bd_error *err)
{
	struct bd_output o;
	int rc = bd_output_open(&o, path, err);

	if (rc)
		return rc;
	bd_output_add(&o, data, len);
	return bd_output_commit(&o, err);
}

/* The umask from /proc/self/status's "Umask:" line (proc(5), Linux 4.7),
 * which reads it without changing it; -1 when there is none. */
static long proc_umask(void)
{
	char text[4096], *at, *end;
	long mask = -1;
	ssize_t n = 0;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
	}
	if (n <= 0)
		return -1;
	text[n] = '\0';
	at = strstr(text, "\nUmask:\t");
	if (at) {
		errno = 0;
		mask = strtol(at + 8, &end, 8);
		if (errno || end == at + 8 || *end != '\n' || mask < 0 ||
		    mask > 0777)
			mask = -1;
	}
	return mask;
}

/* Not umask(0) then back, where it can be helped: between the two, a
 * file another thread makes would get mode 0666. */
mode_t bd_output_default_mode(void)
{
	long seen = proc_umask();
	mode_t mask;

	if (seen >= 0)
		return 0666 & ~(mode_t)seen;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}
