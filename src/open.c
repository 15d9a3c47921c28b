/* SPDX-License-Identifier: MIT */
/*
 * The one way an input file is opened (DESIGN.md 4b): resolved inside the
 * root by the kernel, opened as O_PATH first so that nothing but a regular
 * file is ever opened for reading, then size-capped. See root.h.
 */
#include "bindep/root.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* openat2(2) reports a rename racing the lookup with EAGAIN. */
#define OPENAT2_RETRIES 8

/* glibc 2.36 has no openat2() wrapper. ENOSYS on kernels before 5.6, and
 * EPERM or ENOSYS where a seccomp filter (some container runtimes) denies
 * it: then the portable path is taken. */
static int sys_openat2(int dirfd, const char *path, uint64_t flags,
		       uint64_t resolve)
{
#ifdef SYS_openat2
	struct open_how how;
	int i, fd = -1;

	memset(&how, 0, sizeof(how));
	how.flags = flags;
	how.resolve = resolve;
	for (i = 0; i < OPENAT2_RETRIES; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
#else
	(void)dirfd, (void)path, (void)flags, (void)resolve;
	errno = ENOSYS;
	return -1;
#endif
}

/* Off after the first ENOSYS or EPERM: the kernel (or a seccomp filter,
 * or valgrind) does not have it, and will not for the rest of the run. */
static atomic_bool use_openat2 = true; /* read by every scanning thread */

void bd_root_use_openat2(bool use)
{
	atomic_store(&use_openat2, use);
}

static bool openat2_missing(int errnum)
{
	return errnum == ENOSYS || errnum == EPERM;
}

/*
 * The portable path: bd_root_resolve gives the canonical inside path
 * (symlinks followed inside the root), then each component is opened with
 * O_NOFOLLOW from the root's descriptor, so that a component swapped for a
 * symlink since is refused (ELOOP) instead of followed out.
 */
static int open_components(const struct bd_root *r, const char *inside,
			   bool follow_last, int oflags)
{
	struct bd_buf real = BD_BUF_INIT;
	const char *p;
	int dir, fd = -1, rc;

	rc = bd_root_resolve(r, "/", inside, follow_last, &real);
	if (rc) {
		bd_buf_release(&real);
		errno = rc == BD_ELIMIT	  ? ELOOP
			: rc == BD_ENOMEM ? ENOMEM
					  : ENOENT;
		return -1;
	}
	dir = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);
	for (p = real.data + 1; dir >= 0;) {
		size_t len = strcspn(p, "/");
		char *name = strndup(p, len);
		bool last = !p[len];

		if (!name) {
			errno = ENOMEM;
			break;
		}
		fd = openat(dir, *name ? name : ".",
			    (last ? oflags : O_PATH | O_DIRECTORY) |
				    O_NOFOLLOW | O_CLOEXEC);
		free(name);
		close(dir);
		dir = -1;
		if (fd < 0 || last)
			break;
		dir = fd;
		fd = -1;
		p += len + 1;
	}
	bd_buf_release(&real);
	return fd;
}

/* Whether host lies at or below the directory r->host, lexically. */
static bool under(const struct bd_root *r, const char *host)
{
	struct bd_buf abs = BD_BUF_INIT;
	bool in = !bd_path_absolute(host, &abs) &&
		  !strncmp(abs.data, r->host, r->hostlen) &&
		  (!abs.data[r->hostlen] || abs.data[r->hostlen] == '/');

	bd_buf_release(&abs);
	return in;
}

/* The one tree of an overlay that holds host, as a plain root: the upper
 * one when host is below it, else the lower one. */
static struct bd_root layer_of(const struct bd_root *r, const char *host)
{
	struct bd_root one;

	while (r->lower && !under(r, host))
		r = r->lower;
	one = *r;
	one.lower = NULL;
	return one;
}

/* Opens host with oflags, confined to the root when there is one. */
static int open_confined(const struct bd_root *over, const char *host,
			 unsigned flags, int oflags)
{
	bool nofollow = flags & BD_OPEN_NOFOLLOW;
	struct bd_buf inside = BD_BUF_INIT;
	struct bd_root layer;
	const struct bd_root *r = NULL;
	const char *rel;
	int fd, rc;

	if (over) {
		layer = layer_of(over, host);
		r = &layer;
	}
	oflags |= O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);
	if (!r || bd_root_is_host(r))
		return open(host, oflags);
	rc = bd_root_inside(r, host, &inside);
	if (rc) {
		bd_buf_release(&inside);
		errno = rc == BD_ENOMEM ? ENOMEM : EXDEV;
		return -1;
	}
	rel = inside.data + strspn(inside.data, "/");
	errno = ENOSYS; /* what a disabled openat2 stands for */
	fd = atomic_load(&use_openat2)
		     ? sys_openat2(r->fd, *rel ? rel : ".", (uint64_t)oflags,
				   RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)
		     : -1;
	if (fd < 0 && openat2_missing(errno)) {
		atomic_store(&use_openat2, false);
		fd = open_components(r, inside.data, !nofollow,
				     oflags & ~O_NOFOLLOW);
	}
	rc = errno;
	bd_buf_release(&inside);
	errno = rc;
	return fd;
}

static const char *kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symlink, not followed";
	return "not a regular file";
}

/* How messages name a file: under a root, by its path inside it
 * ("/etc/ld.so.cache"), as the SBOM does; on the host, as given. */
const char *bd_root_shown(const struct bd_root *r, const char *host)
{
	while (r && r->lower && !under(r, host))
		r = r->lower;
	if (r && !bd_root_is_host(r) && !strncmp(host, r->host, r->hostlen) &&
	    host[r->hostlen] == '/')
		return host + r->hostlen;
	return host;
}

static int open_error(struct bd_error *err, int errnum, const char *host)
{
	if (errnum == ENOMEM)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (errnum == EXDEV)
		return bd_error_set(err, BD_ENOENT, "'%s': outside the root",
				    host);
	if (errnum == ELOOP)
		return bd_error_set(err, BD_EIO, "'%s': symlink loop", host);
	return bd_error_errno(
		err, errnum == ENOENT || errnum == ENOTDIR ? BD_ENOENT : BD_EIO,
		errnum, "'%s': cannot open", host);
}

/* The process's /proc/self/fd, opened once (O_PATH): a descriptor is
 * reopened by its one name there, not by a path of four components and
 * the "self" link, each time (most of the cost of the reopen on many
 * tiny files). -1 without a real /proc: then each file is reopened by
 * its name and checked to be the same file. */
static int proc_fds = -1;
static pthread_once_t proc_fds_once = PTHREAD_ONCE_INIT;

/* A child's own descriptors are not its parent's /proc/<pid>/fd: it
 * reopens by name, checked. */
static void forget_proc_fds(void)
{
	proc_fds = -1;
}

/* Only the kernel's procfs makes /proc/self/fd/N the very file behind
 * descriptor N: anything else mounted there (a tmpfs of links, by whoever
 * may mount) would have the reopen take another file unchecked. */
static bool is_procfs(int fd)
{
	struct statfs sf;

	return !fstatfs(fd, &sf) && sf.f_type == PROC_SUPER_MAGIC;
}

/* Not in <linux/magic.h>: fs/configfs/mount.c, ipc/mqueue.c and
 * fs/fuse/control.c define them. */
#define CONFIGFS_MAGIC	     0x62656570
#define MQUEUE_MAGIC	     0x19800202
#define FUSE_CTL_SUPER_MAGIC 0x65735543

/* File systems of the kernel's own state. A scan of a live root ("--root
 * /") meets them as /proc, /sys, /dev/pts...: thousands of files that
 * cannot be opened or change as they are read, and /proc/<pid>/exe or
 * /sys's binary attributes taken for ELF. syft and trivy leave /proc, /sys
 * and /dev out of a root by name; by file system type, an empty /proc of
 * an image or a Debian root is still walked, and one bound elsewhere is
 * still left. */
static const struct {
	unsigned long magic;
	const char *name;
} kernel_fss[] = {
	{ PROC_SUPER_MAGIC, "proc" },
	{ SYSFS_MAGIC, "sysfs" },
	{ DEVPTS_SUPER_MAGIC, "devpts" },
	{ CGROUP_SUPER_MAGIC, "cgroup" },
	{ CGROUP2_SUPER_MAGIC, "cgroup2" },
	{ DEBUGFS_MAGIC, "debugfs" },
	{ TRACEFS_MAGIC, "tracefs" },
	{ SECURITYFS_MAGIC, "securityfs" },
	{ BPF_FS_MAGIC, "bpf" },
	{ PSTOREFS_MAGIC, "pstore" },
	{ EFIVARFS_MAGIC, "efivarfs" },
	{ BINFMTFS_MAGIC, "binfmt_misc" },
	{ SELINUX_MAGIC, "selinuxfs" },
	{ SMACK_MAGIC, "smackfs" },
	{ NSFS_MAGIC, "nsfs" },
	{ CONFIGFS_MAGIC, "configfs" },
	{ MQUEUE_MAGIC, "mqueue" },
	{ FUSE_CTL_SUPER_MAGIC, "fusectl" },
	{ HUGETLBFS_MAGIC, "hugetlbfs" },
};

const char *bd_kernel_fs(int fd)
{
	struct statfs sf;
	size_t i;

	if (fstatfs(fd, &sf))
		return NULL;
	for (i = 0; i < sizeof(kernel_fss) / sizeof(kernel_fss[0]); i++)
		if ((unsigned long)sf.f_type == kernel_fss[i].magic)
			return kernel_fss[i].name;
	return NULL;
}

static void fd_name(char *buf, size_t size, int fd);

/* Whether dir's entry for its own descriptor is dir itself: it is this
 * process's descriptors, not another's fd directory (a procfs one too)
 * bound over /proc/self/fd. */
static bool own_fds(int dir)
{
	struct stat a, b;
	char name[16];

	fd_name(name, sizeof(name), dir);
	return !fstat(dir, &a) && !fstatat(dir, name, &b, 0) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void open_proc_fds(void)
{
	proc_fds = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc_fds >= 0 && (!is_procfs(proc_fds) || !own_fds(proc_fds) ||
			      pthread_atfork(NULL, NULL, forget_proc_fds))) {
		close(proc_fds);
		proc_fds = -1;
	}
}

/* The decimal name of a descriptor, without printf. */
static void fd_name(char *buf, size_t size, int fd)
{
	char digits[16];
	size_t n = 0, len = 0;
	unsigned v = fd < 0 ? 0 : (unsigned)fd;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < sizeof(digits));
	while (n && len + 1 < size)
		buf[len++] = digits[--n];
	buf[len] = '\0';
}

int bd_proc_fd_name(int fd, char *name, size_t size)
{
	pthread_once(&proc_fds_once, open_proc_fds);
	if (proc_fds < 0) {
		errno = ENOENT; /* no real /proc, or a forked child */
		return -1;
	}
	fd_name(name, size, fd);
	return proc_fds;
}

/* Opens descriptor pfd's file again through its magic link (proc(5)). */
static int open_magic(int pfd, int oflags)
{
	char proc[64];
	int dir = bd_proc_fd_name(pfd, proc, sizeof(proc));

	return dir < 0 ? -1 : openat(dir, proc, oflags);
}

/* The second lookup of a file where /proc is missing, as its first open
 * looked it up: by a host path in the root, or by a name in a directory
 * (bd_open_at). */
struct lookup {
	const struct bd_root *r;
	const char *host;
	unsigned flags;
	int dirfd; /* -1: by host */
};

static int lookup_again(const struct lookup *l, int oflags)
{
	if (l->dirfd >= 0)
		return openat(l->dirfd, l->host,
			      oflags | O_NOFOLLOW | O_CLOEXEC);
	return open_confined(l->r, l->host, l->flags, oflags);
}

/* Opens the regular file behind an O_PATH descriptor for reading: through
 * /proc/self/fd, else by a second lookup; either way the same file. */
static int reopen(const struct lookup *l, int pfd, const struct stat *want)
{
	const int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY;
	struct stat st;
	int fd;

	fd = open_magic(pfd, oflags | O_CLOEXEC);
	/* Through the descriptor's magic link: the very file behind pfd
	 * (proc(5)), a regular one, so nothing to check again; a second
	 * lookup by name may meet another file, and is checked. */
	if (fd >= 0)
		return fd;
	/* Without /proc (a chroot that has not mounted it): looked up as
	 * the first open was, following a link it followed (a link's host
	 * path on the host: refusing it made each such file a "symlink
	 * loop"); the device and inode check below makes it the same file,
	 * and O_NONBLOCK keeps a FIFO swapped in meanwhile from blocking. */
	fd = lookup_again(l, oflags);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_dev != want->st_dev ||
	    st.st_ino != want->st_ino || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = ESTALE; /* replaced between the two opens */
		return -1;
	}
	return fd;
}

/* Whether path is dir (n bytes, canonical) or below it. */
static bool at_or_below(const char *path, const char *dir, size_t n)
{
	if (n == 1) /* "/" */
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

const char *bd_relative_path(const struct bd_relative *r, const char *path)
{
	size_t i, c;

	if (!r || !r->cwd)
		return path;
	c = strlen(r->cwd);
	c = c == 1 ? 0 : c; /* "/": each path is below it, by path + 1 */
	/* Each top is the current directory or below it. */
	for (i = 0; i < r->ntops; i++)
		if (at_or_below(path, r->tops[i], strlen(r->tops[i])) &&
		    path[c] == '/' && path[c + 1])
			return path + c + 1;
	return path;
}

bool bd_root_contains(const struct bd_root *r, const char *host)
{
	struct bd_buf inside = BD_BUF_INIT;
	bool in;

	if (!r || bd_root_is_host(r))
		return true;
	in = !bd_root_inside(r, host, &inside);
	bd_buf_release(&inside);
	return in;
}

/* "64 MiB", "4 GiB", "1000 bytes": a limit as the README states it. */
static const char *human_size(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB" };
	size_t u = 0;

	while (u + 1 < BD_ARRAY_SIZE(units) && n && !(n % 1024)) {
		n /= 1024;
		u++;
	}
	snprintf(buf, size, "%llu %s", (unsigned long long)n, units[u]);
	return buf;
}

static int too_big(const char *name, uint64_t max, struct bd_error *err)
{
	char size[32];

	return bd_error_set(err, BD_ELIMIT, "'%s': larger than %s", name,
			    human_size(max, size, sizeof(size)));
}

/* A listed file opened for reading (*fd): kept if still a regular file
 * within max, else closed unread. */
static int listed_checks(const char *name, uint64_t max, int *fd,
			 struct stat *st, struct bd_error *err)
{
	int errnum;

	if (fstat(*fd, st) != 0) {
		errnum = errno;
		close(*fd);
		*fd = -1;
		return open_error(err, errnum, name);
	}
	if (S_ISREG(st->st_mode) && !(max && (uint64_t)st->st_size > max))
		return 0;
	close(*fd);
	*fd = -1;
	if (!S_ISREG(st->st_mode))
		return bd_error_set(err, BD_EIO, "'%s': %s", name,
				    kind_of(st->st_mode));
	return too_big(name, max, err);
}

/* BD_OPEN_LISTED_REGULAR: opened for reading at once, refused unread when
 * it is no longer a regular file. */
static int open_listed(const struct bd_root *r, const char *host,
		       unsigned flags, uint64_t max, int *fd, struct stat *st,
		       struct bd_error *err)
{
	*fd = open_confined(r, host, flags, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	/* Not opened (gone, a link refused, a socket): the careful open
	 * below finds and names exactly why. */
	if (*fd < 0)
		return bd_root_open(r, host, flags & ~BD_OPEN_LISTED_REGULAR,
				    max, fd, st, err);
	return listed_checks(bd_root_shown(r, host), max, fd, st, err);
}

/*
 * What an O_PATH open pfd (its errno, when -1) of name, which l looks up
 * again, leads to: a regular file of at most max bytes reopened for
 * reading in *fd, st filled; else why not. pfd is closed.
 */
static int open_regular(int pfd, const struct lookup *l, const char *name,
			uint64_t max, int *fd, struct stat *st,
			struct bd_error *err)
{
	*fd = -1;
	if (pfd < 0)
		return open_error(err, errno, name);
	if (fstat(pfd, st) != 0) {
		int errnum = errno;

		close(pfd);
		return open_error(err, errnum, name);
	}
	if (!S_ISREG(st->st_mode)) {
		close(pfd);
		return bd_error_set(err, BD_EIO, "'%s': %s", name,
				    kind_of(st->st_mode));
	}
	if (max && (uint64_t)st->st_size > max) {
		close(pfd);
		return too_big(name, max, err);
	}
	*fd = reopen(l, pfd, st);
	if (*fd < 0) {
		int errnum = errno;

		close(pfd);
		return open_error(err, errnum, name);
	}
	close(pfd);
	return 0;
}

int bd_root_open(const struct bd_root *r, const char *host, unsigned flags,
		 uint64_t max, int *fd, struct stat *st, struct bd_error *err)
{
	const struct lookup l = { r, host, flags, -1 };
	int pfd;

	if (flags & BD_OPEN_LISTED_REGULAR)
		return open_listed(r, host, flags, max, fd, st, err);
	pfd = open_confined(r, host, flags, O_PATH); /* errno: why not */
	return open_regular(pfd, &l, bd_root_shown(r, host), max, fd, st, err);
}

int bd_open_at(int dirfd, const char *name, const char *shown, uint64_t max,
	       int *fd, struct stat *st, struct bd_error *err)
{
	const struct lookup l = { NULL, name, BD_OPEN_NOFOLLOW, dirfd };
	int pfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	return open_regular(pfd, &l, shown, max, fd, st, err);
}

void bd_dir_cache_init(struct bd_dir_cache *c)
{
	c->root = NULL;
	c->fd = -1;
	bd_buf_init(&c->host);
}

void bd_dir_cache_release(struct bd_dir_cache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	bd_buf_release(&c->host);
	bd_dir_cache_init(c);
}

/* The directory of host (its first dlen bytes; "/" when 0) opened in
 * c, as any directory is: confined to the root. -1 when it cannot be. */
static int cached_dir(const struct bd_root *r, struct bd_dir_cache *c,
		      const char *host, size_t dlen)
{
	size_t n = dlen ? dlen : 1;

	if (c->root == r && c->host.len == n && bd_buf_ok(&c->host) &&
	    !memcmp(c->host.data, host, n))
		return c->fd;
	bd_dir_cache_release(c);
	bd_buf_add(&c->host, host, n);
	if (!bd_buf_ok(&c->host))
		return -1;
	c->root = r;
	c->fd = open_confined(r, c->host.data, 0, O_PATH | O_DIRECTORY);
	return c->fd;
}

int bd_root_open_in(const struct bd_root *r, struct bd_dir_cache *dirs,
		    const char *host, unsigned flags, uint64_t max, int *fd,
		    struct stat *st, struct bd_error *err)
{
	const unsigned listed = BD_OPEN_LISTED_REGULAR | BD_OPEN_LISTED_NAME;
	const char *slash = strrchr(host, '/');
	const char *base = slash ? slash + 1 : NULL;
	int dfd;

	/* One plain name below a directory: not ".." or "." (a listing
	 * gives neither), and not over an overlay. */
	if (!dirs || (flags & listed) != listed || (r && r->lower) || !base ||
	    !*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return bd_root_open(r, host, flags, max, fd, st, err);
	dfd = cached_dir(r, dirs, host, (size_t)(slash - host));
	*fd = dfd >= 0 ? openat(dfd, base,
				O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW |
					O_CLOEXEC)
		       : -1;
	if (*fd < 0)
		return bd_root_open(r, host, flags, max, fd, st, err);
	return listed_checks(bd_root_shown(r, host), max, fd, st, err);
}

int bd_read_upto(int fd, void *buf, size_t size, size_t *got)
{
	*got = 0;
	while (*got < size) {
		ssize_t n =
			pread(fd, (char *)buf + *got, size - *got, (off_t)*got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/* The file fd (st as it was opened, name for errors) read whole into a
 * malloc'd, NUL-terminated *text; fd is closed. */
static int read_whole(int fd, const struct stat *st, const char *name,
		      char **text, size_t *len, struct bd_error *err)
{
	size_t size;
	char *buf;
	int rc = 0;

	/* One allocation of the size seen at open (checked against max
	 * there): a file that grew since is read as it was. */
	size = (size_t)st->st_size;
	buf = size < SIZE_MAX ? malloc(size + 1) : NULL;
	if (!buf) {
		close(fd);
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	if (bd_read_upto(fd, buf, size, len)) {
		rc = bd_error_errno(err, BD_EIO, errno, "'%s': cannot read",
				    name);
		free(buf);
		buf = NULL;
		*len = 0;
	}
	close(fd);
	if (buf)
		buf[*len] = '\0'; /* NUL-terminated, an empty file too */
	*text = buf;
	return rc;
}

int bd_root_read(const struct bd_root *r, const char *host, unsigned flags,
		 size_t max, char **text, size_t *len, struct bd_error *err)
{
	struct stat st;
	int fd, rc;

	*text = NULL;
	*len = 0;
	rc = bd_root_open(r, host, flags, max, &fd, &st, err);
	return rc ? rc
		  : read_whole(fd, &st, bd_root_shown(r, host), text, len, err);
}

int bd_read_at(int dirfd, const char *name, const char *shown, size_t max,
	       char **text, size_t *len, struct bd_error *err)
{
	struct stat st;
	int fd, rc;

	*text = NULL;
	*len = 0;
	rc = bd_open_at(dirfd, name, shown, max, &fd, &st, err);
	return rc ? rc : read_whole(fd, &st, shown, text, len, err);
}

int bd_root_open_dir(const struct bd_root *r, const char *host, int *fd,
		     struct bd_error *err)
{
	*fd = open_confined(r, host, 0, O_RDONLY | O_DIRECTORY);
	if (*fd >= 0)
		return 0;
	return errno == ENOTDIR
		       ? bd_error_set(err, BD_EIO, "'%s': not a directory",
				      bd_root_shown(r, host))
		       : open_error(err, errno, bd_root_shown(r, host));
}

struct dirent *bd_readdir(DIR *d, int *errnum)
{
	struct dirent *de;

	errno = 0;
	de = readdir(d);
	*errnum = de ? 0 : errno;
	return de;
}

void bd_readdir_warn(const struct bd_diag *diag, const char *shown, int errnum)
{
	if (errnum)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': directory listing cut short: %s", shown,
			       strerror(errnum));
}

int bd_root_opendir(const struct bd_root *r, const char *host, DIR **dir,
		    struct bd_error *err)
{
	int fd, rc = bd_root_open_dir(r, host, &fd, err);

	*dir = NULL;
	if (rc)
		return rc;
	*dir = fdopendir(fd);
	if (!*dir) {
		int errnum = errno;

		close(fd);
		return open_error(err, errnum, bd_root_shown(r, host));
	}
	return 0;
}
