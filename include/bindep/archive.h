/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ARCHIVE_H
#define BINDEP_ARCHIVE_H

#include "bindep/error.h"

#include <locale.h>

/*
 * A safe streaming reader of release artifacts (issue 12, point 7), on
 * libarchive: zip, tar (plain or gzip/xz/zstd/bzip2), ar (.deb) and rpm
 * (its cpio payload). An archive is read once, never held whole; its
 * entries are offered to the caller, which skips each, has it written
 * under a private directory, or takes it into memory. Entry names are
 * paths inside the archive, never paths on the host: nothing is written
 * outside dest_dirfd/prefix, and no symlink is ever followed while writing.
 */

/* What a file is, by its first bytes (not its name). */
enum bd_archive_kind {
	BD_ARCHIVE_NONE,
	BD_ARCHIVE_ZIP, /* wheel, jar, zip, the outer .conda */
	BD_ARCHIVE_TAR, /* plain, or gzip/xz/zstd/bzip2 (.apk: gzip'd tar) */
	/* .deb: "!<arch>\n" (a static library too: a .deb's first member is
	 * "debian-binary", at offset 8) */
	BD_ARCHIVE_AR,
	BD_ARCHIVE_RPM, /* the rpm lead, ed ab ee db */
};

/* How many first bytes bd_archive_sniff() can use: a plain tar's magic is
 * at 257, a v7 tar is recognised by its 512-byte header's checksum; a
 * compressed stream's payload is checked in what this much decompresses
 * to. Fewer bytes are fine: a compressed stream then counts by its magic. */
#define BD_ARCHIVE_SNIFF_MAX (64 * 1024)

/*
 * The kind of the file whose first len bytes are head. A compressed
 * stream (gzip, xz, zstd, bzip2) is BD_ARCHIVE_TAR when its payload is a
 * tar, BD_ARCHIVE_AR when an ar; when head is too short to decompress a
 * header, the compression magic alone says BD_ARCHIVE_TAR (the extraction
 * then says BD_EFORMAT if it is none). Never fails.
 */
enum bd_archive_kind bd_archive_sniff(const void *head, size_t len);

/* The defaults of the caps (issue 12, point 7; --max-unpacked raises
 * them). */
#define BD_ARCHIVE_MAX_UNPACKED (4ull << 30)  /* bytes written per archive */
#define BD_ARCHIVE_TOTAL	(16ull << 30) /* bytes written in a run */
#define BD_ARCHIVE_MAX_RATIO	200u	      /* unpacked / packed bytes */
/* The ratio is judged only past this many unpacked bytes: a small file
 * of zeros compresses far better than 200:1 and is no bomb. */
#define BD_ARCHIVE_RATIO_FLOOR (1ull << 20)
#define BD_ARCHIVE_MAX_ENTRIES 1000000u
/* An entry taken into memory (a manifest) is at most this large. */
#define BD_ARCHIVE_TAKE_MAX (4u << 20)
/* The first bytes of an entry the select callback sees: a tar's magic is
 * at 257 (a plain .tar inside a tarball is known by it). */
#define BD_ARCHIVE_HEAD 512u
/* An entry name (normalised) longer than this is refused: the kernel's
 * PATH_MAX, which no layout could use anyway. */
#define BD_ARCHIVE_NAME_MAX 4096

/*
 * Directories made for entries' names that no entry listed ("a/b/c/x"
 * makes a, a/b and a/b/c): a name of 4 KiB implies up to 127, so a small
 * archive of deep names, or an image layer's entries placed through its
 * symlinks to deep targets, makes hundreds of thousands. An image shares
 * one among its layers' files put aside (lim->implied) and its merged
 * tree (bd_image_merge.implied); an artifact among every archive read
 * for it, nested ones too (lim->implied): past max, an entry that needs
 * one more is skipped, said once (bd_archive_implied_cut).
 */
struct bd_archive_implied {
	uint64_t max, made;
	bool said;
	/* What they are counted in, for the warning: "the artifact"; NULL:
	 * "the image". */
	const char *of;
	uint64_t cut; /* entries skipped past max */
	/* What it counts, for the warning: the directories names imply; the
	 * directories entries list (bd_archive_limits.listed: past max, such
	 * an entry is not made, nor its parents); the files and links
	 * written (bd_archive_limits.written: past max, skipped). */
	enum bd_archive_cap_kind {
		BD_ARCHIVE_CAP_IMPLIED,
		BD_ARCHIVE_CAP_LISTED,
		BD_ARCHIVE_CAP_WRITTEN
	} kind;
};

/* Whether n more directories may be made, counted when so; cap NULL: no
 * cap. */
bool bd_archive_implied_take(struct bd_archive_implied *cap, uint64_t n);
/* An entry past cap, counted; said once, in the archive display. */
void bd_archive_implied_cut(struct bd_archive_implied *cap,
			    const struct bd_diag *diag, const char *display);

struct bd_archive_limits {
	uint64_t max_unpacked; /* bytes written or taken per archive */
	/* The budget shared by every archive of a run, decreased by what each
	 * writes; NULL: none. The caller owns it: start it at
	 * BD_ARCHIVE_TOTAL. Not locked: one extraction at a time uses it. */
	uint64_t *total_left;
	unsigned max_ratio; /* unpacked / packed, past the floor above */
	size_t max_entries; /* entries per archive */
	/* An image layer: absolute symlinks are kept as they are (its root is
	 * later read with --root confinement); otherwise they are refused. */
	bool keep_absolute_links;
	/* An image layer, applied as moby and containerd apply one: a device
	 * node, FIFO or socket is offered to select as BD_ENTRY_SPECIAL
	 * (never made; warned about when select says BD_ARCHIVE_WRITE: it
	 * is in the tree, as no file), so that the caller knows its path is
	 * taken; a relative symlink whose ".." climbs past the
	 * root is kept as written (in a container, and in the tree read
	 * confined, ".." stops at the root); an absolute entry name or hard
	 * link target is taken from the root, its leading '/' dropped. */
	bool image_layer;
	/* A package's payload, whose names are the installed paths: this
	 * many leading '/' of a name (or hard link target) are dropped, as
	 * its installer drops them. rpm drops one (lib/rpmfi.cc,
	 * rpmfnFindFN, which takes a name with or without "./" or "/":
	 * google/rpmpack, nfpm's and goreleaser's writer, stores
	 * "/usr/bin/x" where rpmbuild stores "./usr/bin/x"); dpkg every one
	 * of a data.tar's names (fsys_hash_find_node). 0: an absolute name
	 * is refused. */
	unsigned payload_slashes;
	/* Directories made for the entries' names that no entry lists, or
	 * in an image layer for those of files put aside (ops->aside) only
	 * (the merge counts the rest); NULL: no cap. The caller owns it. */
	struct bd_archive_implied *implied;
	/* Directories made for the entries that list them (an image layer's
	 * are counted by its merge, which keeps only those it may make);
	 * NULL: no cap. The caller owns it. Past it, a listed directory is
	 * not made: what is kept below it makes it, counted in implied. An
	 * empty directory costs an inode and a block (4 KiB), and a
	 * mkdirat(2): a 958 KB .tar.gz of 100,000 made 100,000 in 18 s. */
	struct bd_archive_implied *listed;
	/* Files, symlinks and hard links written (under ops->aside too),
	 * each counted once made; NULL: no cap. The caller owns it. Past it,
	 * such an entry is skipped (its data drained). Each costs an inode,
	 * a file a block too, and 0.5 to 1.3 ms of ext4's directory code: a
	 * 692 KB .tar.gz of 100,000 tiny ELF files took 135 s to write. */
	struct bd_archive_implied *written;
};

/* The defaults above; total_left NULL. */
void bd_archive_limits_default(struct bd_archive_limits *l);

enum bd_archive_entry_type {
	BD_ENTRY_FILE,
	BD_ENTRY_DIR,
	BD_ENTRY_SYMLINK,
	BD_ENTRY_HARDLINK,
	/* A device node, FIFO or socket; only in an image layer
	 * (bd_archive_limits.image_layer). Whatever the action, nothing is
	 * made; BD_ARCHIVE_WRITE says it is kept, and warns that it is not
	 * made. */
	BD_ENTRY_SPECIAL,
};

struct bd_archive_entry {
	/* Normalised: relative, no "." or ".." components, no empty ones,
	 * no leading "./" nor trailing "/". */
	const char *name;
	enum bd_archive_entry_type type;
	/* A symlink's target as stored; a hard link's target, the name of
	 * an entry before it, normalised as name is. */
	const char *link;
	uint64_t size; /* the data's size as the header says */
	unsigned mode; /* permission bits only */
	/* An earlier entry that is no directory had this name (offered
	 * only when bd_archive_ops.repeats). */
	bool repeat;
	/* A hard link whose target no entry before it names (offered only
	 * when bd_archive_ops.links_below): in an image layer, a file of
	 * the layers below. Nothing is made of it but by the caller. */
	bool link_below;
};

enum bd_archive_action {
	BD_ARCHIVE_SKIP,
	/* Written to dest_dirfd/prefix/name: a file's data streamed to a new
	 * file (mode 0600, 0700 when the entry is executable), a directory
	 * made (0700), a symlink or a hard link made. Parents are made 0700,
	 * never through a symlink. */
	BD_ARCHIVE_WRITE,
	/* A file's data handed to take() in memory (at most
	 * BD_ARCHIVE_TAKE_MAX bytes). */
	BD_ARCHIVE_TAKE,
	/* A file written as WRITE does, but under dest_dirfd/ops->aside
	 * instead of prefix: kept apart from the tree for the hard links
	 * to it (a container layer's file that an upper layer hides). A
	 * hard link is made under prefix to its target under ops->aside.
	 * Other entries are skipped. */
	BD_ARCHIVE_WRITE_ASIDE,
	/* A file written as WRITE does, but not counted in lim->written:
	 * an artifact's own inner archive, read as part of it and removed
	 * once read (a .deb's control.tar and data.tar, a .conda's info-
	 * and pkg- tarballs), so that an artifact read past the run's
	 * budget is still named. The caller bounds how many (two an
	 * artifact). Other entries are skipped. */
	BD_ARCHIVE_WRITE_OWN,
	/* The archive is read no further (this entry's data neither):
	 * bd_archive_extract returns 0, what was written stays. */
	BD_ARCHIVE_STOP,
};

struct bd_archive_ops {
	/*
	 * What to do with an entry. head holds its first bytes (up to
	 * BD_ARCHIVE_HEAD; fewer for a short file; none for a directory, a
	 * symlink or a hard link without data), so that an ELF file is known
	 * by its magic and a nested archive by bd_archive_sniff(). A hard link
	 * may be WRITE always: it is made when its target was written and
	 * skipped quietly when its target was skipped.
	 */
	enum bd_archive_action (*select)(void *ctx,
					 const struct bd_archive_entry *e,
					 const unsigned char *head,
					 size_t headlen);
	/* A taken entry's data; data is freed after the call. A negative
	 * BD_E* return stops the archive and is returned. */
	int (*take)(void *ctx, const struct bd_archive_entry *e,
		    const void *data, size_t len);
	void *ctx;
	/* BD_ARCHIVE_WRITE_ASIDE's directory, relative to dest_dirfd and
	 * made as needed (never through a symlink); NULL: none (the action
	 * then skips). */
	const char *aside;
	/* Each chunk of the archive's own bytes, in order, as they are read
	 * (a digest over the blob while it is decompressed); NULL: none.
	 * When set, nothing is skipped by seeking: every byte is read. */
	void (*packed)(void *ctx, const void *data, size_t len);
	/* List a zip by its central directory (libarchive's seekable zip
	 * reader), as pip installs a wheel, and nothing but a zip: fd must
	 * be a regular file, and packed NULL. Each entry is offered (a
	 * file with its first bytes; what its mode says is no file or
	 * directory, as a symlink) and none is made: only the names are
	 * judged, and any action but STOP is SKIP. */
	bool central;
	/* When not NULL: set to whether every entry was read, to the
	 * archive's end (no damage, no cap, nothing stopped it). */
	bool *whole;
	/* An entry (no directory) whose name an earlier one (no directory)
	 * had is offered to select with e->repeat set instead of the
	 * warning below: the caller judges which copy counts (docker load
	 * and tar keep the last, and remove the first before writing it).
	 * Written over a first copy still there, it is the warning. When
	 * false, it is skipped with the warning, the first kept. */
	bool repeats;
	/* When not NULL: set to whether the archive is a compressed stream
	 * (once it is open). */
	bool *compressed;
	/* What a compressed stream decompresses to, each chunk in order,
	 * all of it: the archive and whatever follows its end (a layer's
	 * diffID is the digest of it all); NULL: none. The stream is then
	 * decompressed once by a reader of its own, and the archive read
	 * from what that gives: a tar, cpio or ar, not a zip. Bytes after
	 * the archive's end count towards the caps. Not with central. */
	void (*unpacked)(void *ctx, const void *data, size_t len);
	/* Only a tar is read (an image layer, which containerd reads with
	 * a tar reader): a cpio or an ar is then no archive. Not with
	 * central. */
	bool tar_only;
	/* A hard link to a name no entry before it has is offered to
	 * select with e->link_below set, instead of the warning "which is
	 * not before it in the archive": an image layer's link to a file
	 * of a lower layer. */
	bool links_below;
	/*
	 * An image layer's entries (NULL: none): called with each entry
	 * judged fine (e's type, and link for a symlink; e->name is still
	 * the name as stored), in order, before it is compared with the
	 * entries before it or offered to select. name holds its normalised
	 * name and target, for a hard link, its target's (NULL for another
	 * entry), in buffers of BD_ARCHIVE_NAME_MAX + 1 bytes: the hook may
	 * rewrite them, normalised too, to where the entry is written (a
	 * container's applier follows the symlinks the layer made before
	 * it: image.h, bd_image_links). Warnings still name the entry by
	 * its own name. Returns 0; 1 to skip the entry, with the warning
	 * *why (NULL: none, it was said); a negative BD_E* stops the
	 * archive.
	 */
	int (*place)(void *ctx, const struct bd_archive_entry *e, char *name,
		     char *target, const char **why);
};

/*
 * Reads the archive open on fd (from its current offset) once, as a
 * stream, offering each entry to ops; lim NULL means the defaults.
 * `name` is how messages name the archive ("dist/x.whl"); an entry is
 * named "dist/x.whl!/pkg/_x.so". prefix (NULL or "" for none) is a
 * relative directory under dest_dirfd, made as needed (never through a
 * symlink). A zip is read by its local headers, as a stream (unless
 * ops->central): modes and symlinks live in its central directory, at the
 * end, so its files are written 0600 and a symlink in it is a file
 * holding the target (as pip installs a wheel). A nested archive (a .deb's
 * data.tar.xz) is WRITE'd, then opened from dest_dirfd and read by another
 * call, named "x.deb!/data.tar.xz".
 *
 * Hostile entries get one warning through diag each and are skipped, the
 * rest of the archive kept: a name leaving the archive, or absolute
 * (except in an image layer), a symlink leaving it (except in an image
 * layer) or absolute (unless keep_absolute_links), a hard link leaving
 * it or to a name not before it, a device node, FIFO or socket (also
 * offered to select in an image layer), a duplicate name (the first is
 * kept, unless ops->repeats), an encrypted entry, a path whose parent is
 * a symlink or a file. A truncated or corrupt archive after its first
 * entry keeps what was read, with one warning.
 *
 * Returns 0, or what stops the whole archive (err names the archive; what
 * was written before stays): BD_EFORMAT (not an archive, or corrupt from
 * the start), BD_ELIMIT (a cap: the caller shows err as the one warning),
 * BD_ENOMEM, BD_EIO (writing, or the prefix cannot be made), or a take()
 * error.
 */
int bd_archive_extract(int fd, const char *name, int dest_dirfd,
		       const char *prefix, const struct bd_archive_limits *lim,
		       const struct bd_archive_ops *ops,
		       const struct bd_diag *diag, struct bd_error *err);

/* The same on an archive in memory (for the fuzz harness and nested
 * archives already read). */
int bd_archive_extract_memory(const void *data, size_t len, const char *name,
			      int dest_dirfd, const char *prefix,
			      const struct bd_archive_limits *lim,
			      const struct bd_archive_ops *ops,
			      const struct bd_diag *diag, struct bd_error *err);

/*
 * libarchive converts entry names to the charset of the current locale:
 * in the C locale a zip's UTF-8 name ("café/ü.txt") cannot be converted,
 * and reading it fails; in a UTF-8 locale its zip writer marks every
 * name that is not ASCII as UTF-8. Between these two calls the calling
 * thread's names go by locale ("C.UTF-8", built into glibc since 2.35, or
 * "C": raw bytes); other threads and the program's locale are left alone
 * (uselocale(3) is per thread). Calls nest; false when the locale could
 * not be made (names then go by the thread's own). A tar's raw bytes
 * stay raw.
 */
struct bd_archive_names {
	locale_t loc, old;
};
bool bd_archive_names_in(struct bd_archive_names *n, const char *locale);
void bd_archive_names_restore(struct bd_archive_names *n);

/*
 * Opens the directory path[0..len) (relative) under base, component by
 * component, never following a symlink; makes missing ones (0700) when
 * create. Returns a descriptor (the caller closes it), or -1 with errno.
 */
int bd_archive_open_dir(int base, const char *path, size_t len, bool create);

#endif
