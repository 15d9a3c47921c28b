/* SPDX-License-Identifier: MIT */
/*
 * The input stage: release artifacts streamed into a private directory and
 * laid out as installed (bindep/input.h). This file holds the private
 * directory, the recognition of artifacts and the layout; input_read.c
 * streams one artifact and names it.
 */
#include "bindep/input.h"
#include "input_private.h"
#include "bindep/collect.h"
#include "bindep/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the private directory ---------------------------------------------- */

/* One entry as getdents64(2) lays it out. */
struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Passes over one directory before giving up on what will not go. */
#define REMOVE_PASSES 8

/* Removes the entries of one getdents64 batch; whether any went. */
static bool remove_batch(int dirfd, const char *buf, long n, int depth);

/*
 * Removes everything below dirfd, never following a symlink. The sentinel
 * runs this in a child forked from a process with threads, where only
 * async-signal-safe calls are sound (fork(2), signal-safety(7)): a thread
 * that held the allocator's lock at the fork would leave it locked in the
 * child for good (ASan's allocator does not reset it at a fork). So no
 * malloc: the entries are read with getdents64 into a buffer on the stack,
 * and the directory is read again until a pass removes nothing.
 */
static void remove_below(int dirfd, int depth)
{
	char buf[512] __attribute__((aligned(8)));
	int pass;

	for (pass = 0; pass < REMOVE_PASSES; pass++) {
		bool removed = false;
		long n;

		if (lseek(dirfd, 0, SEEK_SET) < 0)
			return;
		while ((n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf))) >
		       0)
			removed |= remove_batch(dirfd, buf, n, depth);
		if (!removed)
			return;
	}
}

static bool remove_batch(int dirfd, const char *buf, long n, int depth)
{
	bool removed = false;
	long pos;

	for (pos = 0; pos < n;) {
		const struct dirent64_raw *de =
			(const struct dirent64_raw *)(buf + pos);
		const char *name = de->d_name;
		int sub;

		pos += de->d_reclen;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (!unlinkat(dirfd, name, 0)) {
			removed = true;
			continue;
		}
		sub = depth < 4096 ? openat(dirfd, name,
					    O_RDONLY | O_DIRECTORY |
						    O_NOFOLLOW | O_CLOEXEC)
				   : -1;
		if (sub >= 0) {
			remove_below(sub, depth + 1);
			close(sub);
			removed |= !unlinkat(dirfd, name, AT_REMOVEDIR);
		}
	}
	return removed;
}

static void remove_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0) {
		remove_below(fd, 0);
		close(fd);
	}
	rmdir(path);
}

/*
 * In the sentinel: /dev/null on 0, 1 and 2, the pipe's end on 3, every
 * other descriptor closed, so that no pipe of the caller's (our output, a
 * pipe inherited beyond the three) stays open in it. The end is moved
 * above the three first: with our standard input closed, it is 0. Returns
 * the end, or -1 when it cannot be kept.
 */
static int sentinel_fds(int end)
{
	int null, fd;

	if (end < 3) {
		fd = fcntl(end, F_DUPFD, 3);
		if (fd < 0)
			return -1;
		end = fd;
	}
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	if (end != 3 && dup2(end, 3) < 0)
		return end;
	if (close_range(4, ~0u, 0))
		for (fd = 4; fd < 4096; fd++)
			close(fd);
	return 3;
}

/*
 * A child that removes the private directory when we are gone, however we
 * go (a signal, SIGKILL, a crash): it waits for the end of a pipe whose
 * other end only we hold. It leaves our process group and session, which
 * a terminal's signals, the shell's `kill -9 %1` and `timeout -s KILL`
 * reach whole, and ignores the rest, so that it outlives us to clean up.
 */
static void start_sentinel(struct bd_input *in)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return;
	pid = fork();
	if (pid == 0) {
		sigset_t none;
		char c;
		ssize_t n;
		int end;

		close(p[1]); /* only we hold it: its end is our end */
		setsid();
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		end = sentinel_fds(p[0]);
		if (end < 0)
			_exit(0); /* the run removes it, unless it is killed */
		while ((n = read(end, &c, 1)) < 0 && errno == EINTR)
			;
		/* Only our end closing says we are gone. */
		if (n == 0)
			remove_tree(in->tmp);
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return;
	}
	in->sentinel = pid;
	in->sentinel_fd = p[1];
}

int bd_input_private(struct bd_input *in, struct bd_error *err)
{
	const char *t = in->opts.tmpdir ? in->opts.tmpdir : getenv("TMPDIR");
	char *path;

	if (in->tmp)
		return 0;
	sigset_t block, old;

	if (!t || t[0] != '/')
		t = "/tmp";
	path = bd_arena_printf(&in->arena, "%s/bindep-sbom.XXXXXX", t);
	if (!path)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	/* No signal between the directory made and its sentinel started:
	 * one that came in between would leave the directory behind. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (!mkdtemp(path)) { /* mode 0700 */
		sigprocmask(SIG_SETMASK, &old, NULL);
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s': cannot make a private directory",
				      t);
	}
	in->tmp = path;
	start_sentinel(in);
	sigprocmask(SIG_SETMASK, &old, NULL);
	in->tmpfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	in->rootdir = bd_arena_printf(&in->arena, "%s/root", path);
	if (in->tmpfd < 0 || mkdirat(in->tmpfd, "root", 0700) ||
	    mkdirat(in->tmpfd, "nest", 0700))
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s': cannot use the private directory",
				      path);
	if (!in->rootdir)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	in->rootfd = openat(in->tmpfd, "root",
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return in->rootfd < 0 ? bd_error_errno(err, BD_EIO, errno,
					       "'%s': cannot open", in->rootdir)
			      : 0;
}

void bd_input_init(struct bd_input *in, const struct bd_input_options *o,
		   const struct bd_diag *diag)
{
	memset(in, 0, sizeof(*in));
	bd_arena_init(&in->arena);
	bd_map_init(&in->display_of);
	bd_map_init(&in->art_of);
	if (o)
		in->opts = *o;
	in->diag = diag;
	in->tmpfd = -1;
	in->rootfd = -1;
	in->sentinel_fd = -1;
	in->overlay.fd = -1;
	bd_input_image_init(&in->image);
	bd_archive_limits_default(&in->limits);
	if (in->opts.max_unpacked)
		in->limits.max_unpacked = in->opts.max_unpacked;
	if (!in->opts.max_entries)
		in->opts.max_entries = BD_INPUT_MAX_ENTRIES;
	in->total_left = in->limits.max_unpacked * 4 > BD_ARCHIVE_TOTAL
				 ? in->limits.max_unpacked * 4
				 : BD_ARCHIVE_TOTAL;
	in->limits.total_left = &in->total_left;
}

void bd_input_release(struct bd_input *in)
{
	size_t i;

	if (in->have_overlay)
		bd_root_release(&in->overlay);
	if (in->rootfd >= 0)
		close(in->rootfd);
	if (in->tmpfd >= 0)
		close(in->tmpfd);
	if (in->tmp)
		remove_tree(in->tmp);
	if (in->sentinel_fd >= 0)
		close(in->sentinel_fd);
	if (in->sentinel > 0)
		waitpid(in->sentinel, NULL, 0);
	for (i = 0; i < in->narts; i++) {
		free(in->arts[i].entries);
		bd_input_drop_manifests(&in->arts[i]);
	}
	free(in->sboms);
	free(in->arts);
	free(in->rest);
	free(in->shown);
	bd_map_release(&in->display_of);
	bd_map_release(&in->art_of);
	bd_input_image_release(&in->image);
	bd_arena_release(&in->arena);
}

/* ---- recognising an artifact ------------------------------------------- */

/* Whether a head might be a compressed stream, whose payload the sniff
 * looks into (bd_archive_sniff: gzip, xz, zstd, bzip2): then more than a
 * scan's head is read for it. */
static bool maybe_compressed(const unsigned char *h, size_t n)
{
	return n >= 3 && ((h[0] == 0x1f && h[1] == 0x8b) ||
			  (h[0] == 0xfd && h[1] == '7') ||
			  (h[0] == 0x28 && h[1] == 0xb5) ||
			  (h[0] == 'B' && h[1] == 'Z' && h[2] == 'h'));
}

enum bd_archive_kind bd_input_sniff_head(const unsigned char *head, size_t got)
{
	enum bd_archive_kind k = bd_archive_sniff(head, got);

	/* A .deb's first member is "debian-binary" (deb(5)). */
	if (k == BD_ARCHIVE_AR &&
	    (got < 8 + 13 || memcmp(head + 8, "debian-binary", 13)))
		k = BD_ARCHIVE_NONE;
	return k;
}

/* What the first bytes of a file say it is, for the input stage: an ar
 * that is no .deb (a static library) is none. */
enum bd_archive_kind bd_input_sniff(int fd)
{
	unsigned char *head = malloc(BD_ARCHIVE_SNIFF_MAX);
	enum bd_archive_kind k = BD_ARCHIVE_NONE;
	size_t got = 0;

	if (head && !bd_read_upto(fd, head, BD_ARCHIVE_SNIFF_MAX, &got))
		k = bd_input_sniff_head(head, got);
	free(head);
	return k;
}

const char *bd_input_scheme(const char *arg, enum bd_input_scheme *scheme)
{
	static const struct {
		const char *prefix;
		enum bd_input_scheme scheme;
	} schemes[] = {
		{ "dir:", BD_SCHEME_DIR },
		{ "file:", BD_SCHEME_FILE },
		{ "oci-dir:", BD_SCHEME_OCI_DIR },
		{ "oci-archive:", BD_SCHEME_OCI_ARCHIVE },
		{ "docker-archive:", BD_SCHEME_DOCKER_ARCHIVE },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(schemes); i++) {
		size_t n = strlen(schemes[i].prefix);

		if (!strncmp(arg, schemes[i].prefix, n)) {
			*scheme = schemes[i].scheme;
			return arg + n;
		}
	}
	*scheme = BD_SCHEME_NONE;
	return arg;
}

static enum bd_image_form image_form(enum bd_input_scheme s)
{
	switch (s) {
	case BD_SCHEME_OCI_DIR: return BD_IMAGE_FORM_OCI_DIR;
	case BD_SCHEME_OCI_ARCHIVE: return BD_IMAGE_FORM_OCI_ARCHIVE;
	case BD_SCHEME_DOCKER_ARCHIVE: return BD_IMAGE_FORM_DOCKER_ARCHIVE;
	default: return BD_IMAGE_FORM_AUTO;
	}
}

/* Whether path is an OCI image layout: a directory holding "oci-layout"
 * (image-spec image-layout.md). */
static bool is_layout(const char *path)
{
	struct stat st;
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool yes = fd >= 0 &&
		   !fstatat(fd, "oci-layout", &st, AT_SYMLINK_NOFOLLOW) &&
		   S_ISREG(st.st_mode);

	if (fd >= 0)
		close(fd);
	return yes;
}

static int one_image(const struct bd_input *in, const char *path,
		     struct bd_error *err)
{
	return bd_error_set(err, BD_EUSAGE,
			    "'%s': one image per run ('%s' is read)", path,
			    in->image_display);
}

/* An image's name when its metadata gives none: its PATH's last
 * component, without a tarball's suffix ("dist/app.tar.gz": "app"). */
static const char *image_name_hint(struct bd_input *in, const char *path)
{
	static const char *const suffixes[] = { ".tar.gz", ".tgz", ".tar.zst",
						".tar.xz", ".tar", ".oci" };
	size_t len = strlen(path), start, i, n;

	while (len > 1 && path[len - 1] == '/')
		len--;
	for (start = len; start && path[start - 1] != '/'; start--)
		;
	n = len - start;
	for (i = 0; i < BD_ARRAY_SIZE(suffixes); i++) {
		size_t k = strlen(suffixes[i]);

		if (n > k && !strncmp(path + start + n - k, suffixes[i], k)) {
			n -= k;
			break;
		}
	}
	return n && !(n == 1 && path[start] == '.')
		       ? bd_arena_strndup(&in->arena, path + start, n)
		       : NULL;
}

/* Reads the image at path; BD_ENOENT (form AUTO only): it is none. */
static int read_image(struct bd_input *in, const char *path,
		      enum bd_image_form form, struct bd_error *err)
{
	struct bd_image_select sel = { in->opts.platform, in->opts.image_ref,
				       path, image_name_hint(in, path) };
	char *work;
	int rc;

	if (in->have_image)
		return one_image(in, path, err);
	rc = bd_input_private(in, err);
	if (rc)
		return rc;
	work = bd_arena_printf(&in->arena, "%s/image", in->tmp);
	if (!work)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (mkdir(work, 0700) && errno != EEXIST)
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot make",
				      work);
	rc = bd_input_image_read(&in->image, path, path, form, work, &sel,
				 &in->limits, in->diag, err);
	if (!rc) {
		in->have_image = true;
		in->image_display = path;
	}
	return rc;
}

/*
 * Whether the tarball at path is a second image (one is read already):
 * then a usage error, as for a second layout, not its layers read as the
 * nested archives of a plain tarball. Read aside, quietly, off the run's
 * budget, and removed; BD_ENOENT when it is no image.
 */
static int second_image(struct bd_input *in, const char *path,
			struct bd_error *err)
{
	struct bd_image_select sel = { in->opts.platform, in->opts.image_ref,
				       path, NULL };
	struct bd_archive_limits lim = in->limits;
	struct bd_input_image probe;
	char *work = bd_arena_printf(&in->arena, "%s/probe", in->tmp);
	struct bd_error e;
	int rc;

	if (!work)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (mkdir(work, 0700))
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot make",
				      work);
	lim.total_left = NULL;
	bd_input_image_init(&probe);
	rc = bd_input_image_read(&probe, path, path, BD_IMAGE_FORM_AUTO, work,
				 &sel, &lim, NULL, &e);
	bd_input_image_release(&probe);
	remove_tree(work);
	if (rc == BD_ENOENT || rc == BD_ENOMEM)
		return rc == BD_ENOMEM ? bd_error_set(err, rc, "out of memory")
				       : rc;
	return bd_error_set(err, BD_EUSAGE,
			    "'%s': one image per run ('%s' is read)", path,
			    in->image_display);
}

/*
 * Whether --exclude leaves out a PATH, itself or a directory it lies in:
 * matched as given, before it is opened (a FIFO given too), as an
 * artifact's location and a tree's paths are shown. Under --root the walk
 * matches what it walks again, by its path inside the root.
 */
static bool excluded_argument(struct bd_input *in, const char *path)
{
	struct stat st;

	return bd_exclude_active(in->opts.exclude) &&
	       bd_exclude_path(in->opts.exclude, path, 0,
			       !lstat(path, &st) && S_ISDIR(st.st_mode));
}

/* One PATH: an image, an artifact, or something to walk. */
static int sort_path(struct bd_input *in, const char *arg, struct bd_error *err)
{
	enum bd_input_scheme scheme;
	const char *path = bd_input_scheme(arg, &scheme);
	enum bd_archive_kind k = BD_ARCHIVE_NONE;
	struct bd_error e;
	struct stat st;
	int fd, rc;

	/* Neither read nor walked: counted as given, not as missing. */
	if (excluded_argument(in, path))
		return 0;
	if (scheme >= BD_SCHEME_OCI_DIR ||
	    (scheme == BD_SCHEME_NONE && is_layout(path)))
		return read_image(in, path, image_form(scheme), err);
	if (scheme != BD_SCHEME_DIR &&
	    !bd_root_open(NULL, path, 0, 0, &fd, &st, &e)) {
		k = bd_input_sniff(fd);
		close(fd);
	}
	if (k == BD_ARCHIVE_TAR) {
		rc = in->have_image
			     ? second_image(in, path, err)
			     : read_image(in, path, BD_IMAGE_FORM_AUTO, err);
		if (rc != BD_ENOENT)
			return rc;
	}
	if (k != BD_ARCHIVE_NONE) {
		size_t before = in->narts;

		rc = bd_input_read(in, NULL, path, path, k, SIZE_MAX, 0, err);
		/* Read, or it proved no archive (a gzip'd text): walked. */
		if (rc || in->narts > before)
			return rc;
	}
	in->rest[in->nrest++] = path;
	return 0;
}

int bd_input_paths(struct bd_input *in, const char *const *paths, size_t npaths,
		   struct bd_error *err)
{
	size_t i;
	int rc = 0;

	in->rest = calloc(npaths ? npaths : 1, sizeof(*in->rest));
	if (!in->rest)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	for (i = 0; i < npaths && !rc; i++)
		rc = sort_path(in, paths[i], err);
	if (!rc && in->have_image && in->nrest)
		rc = bd_error_set(err, BD_EUSAGE,
				  "'%s': an image is the root of the run: "
				  "give it with artifacts only",
				  in->rest[0]);
	/* Else ignored in silence: an image found by the walk is an
	 * archive, read whole, of no platform. */
	if (!rc && !in->have_image && (in->opts.image_ref || in->opts.platform))
		rc = bd_error_set(err, BD_EUSAGE,
				  "%s is an option of an image, and no PATH "
				  "is one",
				  in->opts.image_ref ? "--image-ref"
						     : "--platform");
	return rc;
}

/* ---- after the walk ---------------------------------------------------- */

/* bd_collect_prepare's question, on a scanning thread, in the file's one
 * open: is it an archive? */
static unsigned char walked_sniff(int fd, const unsigned char *head, size_t n,
				  off_t size)
{
	if ((off_t)n < size && n < BD_ARCHIVE_SNIFF_MAX &&
	    maybe_compressed(head, n))
		return (unsigned char)bd_input_sniff(fd);
	return (unsigned char)bd_input_sniff_head(head, n);
}

bd_collect_sniff_fn bd_input_walk_sniff(const struct bd_input *in)
{
	return in->opts.scan_walked && !in->have_image ? walked_sniff : NULL;
}

/* The archives among the walked files, told by their one open, read before
 * any file is resolved: what they hold is the overlay's. */
static int walked_artifacts(struct bd_input *in, struct bd_walk *w,
			    const struct bd_root *root, struct bd_error *err)
{
	struct bd_collect_prepare_options po = { in->opts.jobs, walked_sniff };
	size_t i, n = w->nfiles;
	int rc = bd_collect_prepare(w, root, &po, err);

	for (i = 0; i < n && !rc; i++) {
		const struct bd_walk_file *f = &w->files[i];

		size_t first = in->narts;

		if (f->kind != BD_ARCHIVE_NONE)
			rc = bd_input_read(in, root, f->path, f->host,
					   (enum bd_archive_kind)f->kind,
					   SIZE_MAX, 0, err);
		if (!rc && in->narts > first)
			in->arts[first].via_link = f->via_symlink;
	}
	return rc;
}

/* Adds one ELF entry of an artifact to the walk, from where the layout
 * put it. */
static int add_entry(struct bd_input *in, struct bd_input_dir *dir,
		     struct bd_walk *w, const struct bd_input_artifact *a,
		     const struct bd_input_entry *e)
{
	char *inside = NULL, *host, *shown;
	struct stat st;
	int rc;

	rc = bd_input_place(in, dir, a, e->name, &inside);
	if (rc)
		return rc == BD_ENOMEM ? rc : 0; /* not stored: skipped */
	host = bd_arena_printf(&in->arena, "%s%s", in->rootdir, inside);
	shown = bd_arena_printf(&in->arena, "%s!/%s", a->display, e->name);
	if (!host || !shown)
		return BD_ENOMEM;
	if (in->nshown >= UINT32_MAX ||
	    BD_GROW(in->shown, in->ashown, in->nshown + 1))
		return BD_ENOMEM;
	rc = bd_map_put(&in->display_of, inside, (uint32_t)in->nshown);
	if (rc)
		return rc;
	in->shown[in->nshown++] = shown;
	rc = bd_map_put(&in->art_of, shown, (uint32_t)(a - in->arts));
	if (rc)
		return rc;
	/* Laid out for the search, which may find it (then shown by its
	 * location, in its artifact), but no input. */
	if (e->excluded || !e->elf ||
	    bd_input_lstat(in, dir, inside + 1, &st) || !S_ISREG(st.st_mode))
		return 0;
	in->nfiles++;
	return bd_walk_add(w, shown, host, inside, &st);
}

/* Whether the directory of host is top (a canonical path) or below it;
 * *lastdir and *last keep the answer for the walk's next file, most often
 * in the same directory. */
static int below(const char *host, const char *top, char **lastdir, bool *last)
{
	const char *slash = strrchr(host, '/');
	size_t n = slash ? (size_t)(slash - host) + 1 : 0, len = strlen(top);
	char *key, *real;

	if (*lastdir && strlen(*lastdir) == n && !strncmp(*lastdir, host, n))
		return 0;
	key = strndup(host, n);
	if (!key)
		return BD_ENOMEM;
	real = realpath(n ? key : ".", NULL);
	*last = real && !strncmp(real, top, len) &&
		(real[len] == '/' || !real[len]);
	free(real);
	free(*lastdir);
	*lastdir = key;
	return 0;
}

/*
 * The walked files in the private directory: a PATH holding $TMPDIR ("/",
 * "/tmp") reaches it. They are the artifacts' files, already listed by
 * their locations (and their nested archives read): dropped, not scanned
 * a second time under the private directory's name.
 */
static int drop_private(struct bd_input *in, struct bd_walk *w)
{
	char *top = in->rootdir ? realpath(in->rootdir, NULL) : NULL;
	char *lastdir = NULL;
	bool last = false;
	struct stat st;
	size_t i, n = 0;
	int rc = 0;

	if (!top || stat(top, &st)) {
		free(top);
		return 0;
	}
	for (i = 0; i < w->nfiles && !rc; i++) {
		const struct bd_walk_file *f = &w->files[i];

		bool here = !f->stated || f->dev == st.st_dev;

		if (here)
			rc = below(f->host, top, &lastdir, &last);
		if (!here || !last)
			w->files[n++] = *f;
	}
	free(lastdir);
	free(top);
	if (!rc)
		w->nfiles = n;
	return rc;
}

/* ---- SBOMs at the top of a directory given as PATH ------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct names {
	const char **v;
	size_t n, alloc;
};

/* Adds "<sub>/<name>" (or name, sub NULL) when bd_carried_is_sbom takes
 * it there; nothing is copied for the names it does not take. */
static int add_name(struct bd_input *in, struct names *l, const char *sub,
		    const char *name)
{
	size_t baselen;
	const char *path;

	if (!sub && (!bd_carried_is_sbom(name, &baselen) || baselen))
		return 0;
	path = sub ? bd_arena_printf(&in->arena, "%s/%s", sub, name)
		   : bd_arena_strdup(&in->arena, name);
	if (!path)
		return BD_ENOMEM;
	if (sub && !bd_carried_is_sbom(path, &baselen))
		return 0;
	if (BD_GROW(l->v, l->alloc, l->n + 1))
		return BD_ENOMEM;
	l->v[l->n++] = path;
	return 0;
}

/* A directory below dirfd, never through a symlink (O_NOFOLLOW), nor
 * blocking on a FIFO (O_DIRECTORY fails on it first); -1 if none. */
static int real_subdir(int dirfd, const char *name)
{
	return openat(dirfd, name,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* A wheel's SBOMs in an installed tree (site-packages given as PATH, an
 * unpacked wheel): "<dir>/<name>.dist-info/sboms/<file>.json". Neither
 * directory is followed when it is a symlink: one out of the tree would
 * have its SBOMs read as the tree's (the walk does not follow a symlink
 * to a directory either). */
static int dist_info_names(struct bd_input *in, struct names *l, DIR *top,
			   const char *dir, const char *name)
{
	const char *sub = bd_arena_printf(&in->arena, "%s/sboms", name);
	int info = real_subdir(dirfd(top), name);
	int fd = info >= 0 ? real_subdir(info, "sboms") : -1;
	struct dirent *de;
	DIR *d;
	int rc = 0, cut = 0;

	if (info >= 0)
		close(info);
	if (!sub) {
		if (fd >= 0)
			close(fd);
		return BD_ENOMEM;
	}
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!rc && (de = bd_readdir(d, &cut)))
		rc = add_name(in, l, sub, de->d_name);
	closedir(d);
	if (cut) {
		const char *shown =
			bd_arena_printf(&in->arena, "%s/%s", dir, sub);

		bd_readdir_warn(in->diag, shown ? shown : dir, cut);
	}
	return rc;
}

/* The SBOMs at the top of dir that bd_carried_is_sbom takes there, and
 * those of its *.dist-info directories (arena), sorted. */
static int sbom_names(struct bd_input *in, const char *dir, const char ***out,
		      size_t *n)
{
	struct names l = { 0 };
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0, cut = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return 0;
	while (!rc && (de = bd_readdir(d, &cut))) {
		size_t len = strlen(de->d_name);

		rc = add_name(in, &l, NULL, de->d_name);
		if (!rc && len > 10 &&
		    !strcmp(de->d_name + len - 10, ".dist-info"))
			rc = dist_info_names(in, &l, d, dir, de->d_name);
	}
	closedir(d);
	bd_readdir_warn(in->diag, dir, cut);
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_names);
	*out = l.v;
	*n = l.n;
	return rc;
}

/* "dist/" and "dist" are "dist/", as the walk names what is below. */
static const char *dir_prefix(struct bd_input *in, const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	return len == 1 && dir[0] == '/'
		       ? "/"
		       : bd_arena_printf(&in->arena, "%.*s/", (int)len, dir);
}

/* A regular file the walk lists is opened by the scan too, which says
 * why it cannot ("cannot open: Permission denied", "larger than 4 GiB"):
 * one warning for it, not two. Only our smaller limit is ours to say. */
static bool said_by_scan(const char *path, int rc)
{
	struct stat st;

	return !lstat(path, &st) && S_ISREG(st.st_mode) &&
	       (rc != BD_ELIMIT || (uint64_t)st.st_size > BD_SCAN_MAX_FILE);
}

static int directory_sbom(struct bd_input *in, const char *prefix,
			  const char *name)
{
	const char *path = bd_arena_printf(&in->arena, "%s%s", prefix, name);
	struct bd_error e;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!path)
		return BD_ENOMEM;
	/* A file of the directory's tree, matched as the walk matches one
	 * (the directory itself was, as a PATH). */
	if (bd_exclude_path(in->opts.exclude, path, strlen(prefix), false))
		return 0;
	rc = bd_root_read(NULL, path, BD_OPEN_NOFOLLOW, BD_CARRIED_MAX_BYTES,
			  &text, &len, &e);
	if (rc == BD_ENOMEM)
		return rc;
	if (rc && !said_by_scan(path, rc))
		bd_diag_report(in->diag, BD_DIAG_WARNING, "%s, skipping",
			       e.msg);
	if (rc)
		return 0;
	rc = bd_input_add_sbom(in, SIZE_MAX, prefix, path, "", text, len);
	free(text);
	return rc;
}

/*
 * An unpacked release given as a directory may carry its SBOM at its top,
 * as a tarball does (bindep/carried.h). Only on the host: under --root a
 * directory is the root's, and an image's files are installed ones.
 */
static int directory_sboms(struct bd_input *in, const struct bd_root *root)
{
	size_t i, j, n;
	int rc = 0;

	if (in->have_image || (root && !bd_root_is_host(root)))
		return 0;
	for (i = 0; i < in->nrest && !rc; i++) {
		const char **names;
		const char *prefix = dir_prefix(in, in->rest[i]);
		struct stat st;

		if (!prefix)
			return BD_ENOMEM;
		if (stat(in->rest[i], &st) || !S_ISDIR(st.st_mode))
			continue;
		rc = sbom_names(in, in->rest[i], &names, &n);
		for (j = 0; j < n && !rc; j++)
			rc = directory_sbom(in, prefix, names[j]);
		free(names);
	}
	return rc;
}

/* Every artifact's entries, in order: the tree is not changed meanwhile,
 * so the directory of one is kept for the next. */
static int add_entries(struct bd_input *in, struct bd_walk *w)
{
	struct bd_input_dir dir;
	size_t i, j;
	int rc = 0;

	bd_input_dir_init(&dir);
	for (i = 0; i < in->narts && !rc; i++)
		for (j = 0; j < in->arts[i].nentries && !rc; j++)
			rc = add_entry(in, &dir, w, &in->arts[i],
				       &in->arts[i].entries[j]);
	bd_input_dir_release(&dir);
	return rc;
}

int bd_input_walked(struct bd_input *in, struct bd_walk *w,
		    const struct bd_root *root, struct bd_error *err)
{
	int rc = drop_private(in, w);

	if (!rc)
		rc = directory_sboms(in, root);
	if (rc)
		return bd_error_set(err, rc, "out of memory");
	/* An image's files are installed ones, as a --root's. */
	if (in->opts.scan_walked && !in->have_image)
		rc = walked_artifacts(in, w, root, err);
	/* Every artifact laid out: the packages installed through the
	 * root's links before their files are placed. */
	if (!rc && in->tmp)
		rc = bd_input_fold_links(in, root);
	if (!rc)
		rc = add_entries(in, w);
	if (rc)
		return rc == BD_ENOMEM ? bd_error_set(err, rc, "out of memory")
				       : rc;
	if (in->tmp) {
		rc = bd_root_init_overlay(&in->overlay, in->rootdir, root, err);
		in->have_overlay = !rc;
	}
	/* The artifacts' files are under the private directory, not the
	 * --root: they are opened in the overlay, each confined to its own
	 * tree (a file under the --root still to the --root). */
	if (in->have_overlay)
		w->root = &in->overlay;
	return rc;
}

const struct bd_root *bd_input_root(const struct bd_input *in,
				    const struct bd_root *root)
{
	return in->have_overlay ? &in->overlay : root;
}

const char *bd_input_display(void *ctx, const char *inside)
{
	struct bd_input *in = ctx;
	uint32_t i;

	return bd_map_get(&in->display_of, inside, &i) ? in->shown[i] : NULL;
}

/* ---- into the graph ---------------------------------------------------- */

static bool is_package(const struct bd_input_artifact *a)
{
	return a->type && (!strcmp(a->type, "deb") || !strcmp(a->type, "rpm") ||
			   !strcmp(a->type, "apk"));
}

static int artifact_component(struct bd_input *in, struct bd_graph *g,
			      size_t ai)
{
	struct bd_input_artifact *a = &in->arts[ai];
	char key[96];
	struct bd_component *c;
	uint32_t id;
	int rc = 0;

	snprintf(key, sizeof(key), "artifact:sha256:%s", a->sha256);
	if (!bd_graph_find(g, key, &id))
		rc = bd_graph_add(g, key, BD_COMP_ARTIFACT, &id);
	if (rc)
		return rc;
	a->comp = id;
	c = bd_graph_comp(g, id);
	if (!c->artifact_type) {
		c->artifact_type = a->type;
		c->name = bd_graph_strdup(g, a->name);
		c->version = bd_graph_strdup(g, a->version);
		c->purl = bd_graph_strdup(g, a->purl);
		c->license = a->license;
		c->license_text = a->license_text;
		c->is_input = a->parent == SIZE_MAX;
		memcpy(c->sha256, a->sha256, sizeof(c->sha256));
		if (!c->name)
			return BD_ENOMEM;
		c->ids[c->nids++] = (struct bd_identity){
			"purl",	     c->purl, "manifest-analysis",
			a->manifest, 1.0,     NULL
		};
		if (!c->purl)
			c->nids = 0;
	}
	/* Not read whole: an incomplete assembly, with why. */
	if (a->error && !c->error) {
		c->error = bd_graph_strdup(g, a->error);
		if (!c->error)
			return BD_ENOMEM;
	}
	return bd_graph_add_path(g, id, a->display);
}

/* A file of a package given as input is that package's, as an installed
 * one is its database's. */
static void package_identity(struct bd_graph *g, struct bd_component *c,
			     const struct bd_input_artifact *a)
{
	const char *method = bd_arena_printf(&g->arena, "%s!/%s", a->display,
					     a->manifest ? a->manifest : "");

	c->package_file = true;
	if (!a->purl || c->purl)
		return;
	c->purl = a->purl;
	c->version = a->version;
	/* The registry knows a distribution's packages by their source
	 * (zstd's programs come from "libzstd"), as for an installed one. */
	c->source_package = a->source ? a->source : a->name;
	c->source_version = a->source_version ? a->source_version : a->version;
	if (c->nids + 2 <= BD_MAX_IDENTITY) {
		c->ids[c->nids++] = (struct bd_identity){
			"purl", c->purl, "manifest-analysis", method, 1.0, NULL
		};
		if (c->version)
			c->ids[c->nids++] = (struct bd_identity){
				"version", c->version, "manifest-analysis",
				method,	   1.0,	       NULL
			};
	}
}

static int file_in_artifact(struct bd_input *in, struct bd_graph *g,
			    uint32_t id, size_t ai)
{
	const struct bd_input_artifact *a = &in->arts[ai];
	struct bd_component *c = bd_graph_comp(g, id);

	c->in_artifact = true;
	if (is_package(a))
		package_identity(g, c, a);
	if (!c->bundled_in && a->purl) {
		c->bundled_in = bd_graph_strdup(g, a->purl);
		c->bundle_license = a->license;
		c->bundle_license_text = a->license_text;
	}
	return bd_graph_add_edge(g, a->comp, id, BD_EDGE_CONTAINS, NULL);
}

/* The layer of the image a file came from (syft and trivy say it too). */
static int layer_of(struct bd_input *in, struct bd_graph *g,
		    struct bd_component *c)
{
	const struct bd_image_layer *l =
		bd_input_image_layer(&in->image, c->inside);

	if (!l)
		return 0;
	if (l->digest[0])
		c->layer_digest = bd_graph_strdup(g, l->digest);
	if (l->diff_id[0])
		c->layer_diff_id = bd_graph_strdup(g, l->diff_id);
	return (l->digest[0] && !c->layer_digest) ||
			       (l->diff_id[0] && !c->layer_diff_id)
		       ? BD_ENOMEM
		       : 0;
}

/*
 * A link inside an artifact to one of its files is another location of
 * that file, as a link in a scanned directory is. A link that leads round
 * in a circle is said, as the walk says it. One that leads nowhere is
 * not: only ELF files were unpacked, so its target may be a file of the
 * artifact all the same.
 */
static int link_location(struct bd_input *in, struct bd_input_dir *dir,
			 struct bd_graph *g, const struct bd_map *comp_of,
			 size_t ai, const struct bd_input_entry *e)
{
	const struct bd_input_artifact *a = &in->arts[ai];
	struct bd_buf real = BD_BUF_INIT;
	const char *target;
	char *inside, *shown;
	uint32_t id;
	int rc = bd_input_place(in, dir, a, e->name, &inside);

	if (rc)
		return rc == BD_ENOMEM ? rc : 0;
	rc = bd_root_resolve(&in->overlay, "/", inside, true, &real);
	target = rc ? NULL : bd_input_display(in, real.data);
	bd_buf_release(&real);
	if (rc != BD_ELIMIT && !(target && bd_map_get(comp_of, target, &id)))
		return rc == BD_ENOMEM ? rc : 0;
	shown = bd_arena_printf(&in->arena, "%s!/%s", a->display, e->name);
	if (!shown)
		return BD_ENOMEM;
	if (rc == BD_ELIMIT) {
		bd_diag_report(in->diag, BD_DIAG_WARNING, "'%s': symlink loop",
			       shown);
		return 0;
	}
	return bd_graph_add_path(g, id, shown);
}

static int link_locations(struct bd_input *in, struct bd_graph *g)
{
	struct bd_input_dir dir;
	struct bd_map comp_of;
	size_t i, j;
	int rc = 0;

	bd_map_init(&comp_of);
	bd_input_dir_init(&dir);
	for (i = 0; i < g->ncomps && !rc; i++)
		for (j = 0; j < g->comps[i].paths.n && !rc; j++)
			if (strstr(g->comps[i].paths.items[j], "!/"))
				rc = bd_map_put(&comp_of,
						g->comps[i].paths.items[j],
						(uint32_t)i);
	for (i = 0; i < in->narts && !rc; i++)
		for (j = 0; j < in->arts[i].nentries && !rc; j++)
			if (!in->arts[i].entries[j].elf &&
			    !in->arts[i].entries[j].nested &&
			    !in->arts[i].entries[j].excluded)
				rc = link_location(in, &dir, g, &comp_of, i,
						   &in->arts[i].entries[j]);
	bd_input_dir_release(&dir);
	bd_map_release(&comp_of);
	return rc;
}

int bd_input_carried(struct bd_input *in, struct bd_graph *g,
		     struct bd_error *err)
{
	/* One index of an artifact's files for all its SBOMs (they come
	 * one after another, as its entries were read). */
	struct bd_carried_index *x = bd_carried_index_new();
	size_t i;
	int rc = x ? 0 : BD_ENOMEM;

	for (i = 0; i < in->nsboms && !rc; i++) {
		const struct bd_input_sbom *s = &in->sboms[i];
		uint32_t carrier =
			s->art == SIZE_MAX ? UINT32_MAX : in->arts[s->art].comp;

		if (s->art == SIZE_MAX || carrier != UINT32_MAX)
			rc = bd_carried_merge_indexed(g, carrier, s->prefix,
						      &s->sbom, x);
	}
	bd_carried_index_free(x);
	return rc ? bd_error_set(err, BD_ENOMEM, "out of memory") : 0;
}

int bd_input_graph(struct bd_input *in, struct bd_graph *g,
		   struct bd_error *err)
{
	size_t i, j, n = g->ncomps;
	int rc = in->have_overlay ? link_locations(in, g) : 0;

	for (i = 0; i < in->narts && !rc; i++)
		rc = artifact_component(in, g, i);
	for (i = 0; i < in->narts && !rc; i++)
		if (in->arts[i].parent != SIZE_MAX)
			rc = bd_graph_add_edge(
				g, in->arts[in->arts[i].parent].comp,
				in->arts[i].comp, BD_EDGE_CONTAINS, NULL);
	for (i = 0; i < n && !rc; i++) {
		struct bd_component *c = &g->comps[i];

		if (in->have_image && c->inside && !c->in_artifact)
			rc = layer_of(in, g, c);
		for (j = 0; j < c->paths.n && !rc; j++) {
			uint32_t ai;

			if (bd_map_get(&in->art_of, c->paths.items[j], &ai))
				rc = file_in_artifact(in, g, (uint32_t)i, ai);
		}
	}
	return rc ? bd_error_set(err, BD_ENOMEM, "out of memory") : 0;
}
