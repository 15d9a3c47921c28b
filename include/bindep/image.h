/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_IMAGE_H
#define BINDEP_IMAGE_H

#include "bindep/arena.h"
#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/map.h"
#include "bindep/root.h"

/*
 * Container images: what an image's metadata says (which layers, in which
 * order, their digests and diffIDs, the image's name, tag and manifest
 * digest), and how one layer's whiteouts are applied to a merged tree.
 *
 * Two forms of image are read, both as a directory: an OCI image layout
 * (image-spec image-layout.md: "oci-layout", "index.json", "blobs/"), and
 * the small JSON files of a `docker save` tarball ("manifest.json", the
 * config) extracted into one. A directory holding both (docker 25 and
 * later write both) is read as the OCI layout. Nothing is trusted: every
 * digest is checked for its syntax (descriptor.md's grammar; one whose
 * blob is read must be sha256 and 64 lowercase hex: an index entry never
 * followed may name another algorithm), a blob path is built from the
 * digest, never taken from the JSON, and every
 * JSON file read (index, manifest, config) is checked against the digest
 * that names it.
 */

#define BD_IMAGE_MAX_JSON    (4u << 20) /* one index, manifest or config */
#define BD_IMAGE_MAX_NESTING 4		/* index -> index -> ... -> manifest */
#define BD_IMAGE_MAX_INDEXES 64		/* nested indexes read, in all */
#define BD_IMAGE_MAX_LAYERS  1024	/* layers of one image */
#define BD_IMAGE_MAX_REF     255	/* bytes of an image reference */

/* "sha256:" and 64 lowercase hex digits, and the NUL. */
#define BD_IMAGE_DIGEST_SIZE 72

enum bd_image_format {
	BD_IMAGE_OCI,	 /* an OCI image layout */
	BD_IMAGE_DOCKER, /* docker save's manifest.json */
};

enum bd_image_compression {
	BD_LAYER_AUTO, /* not said (docker save): let the reader sniff */
	BD_LAYER_TAR,
	BD_LAYER_GZIP,
	BD_LAYER_ZSTD,
};

struct bd_image_layer {
	const char
		*path;			    /* relative to the image directory:
					       "blobs/sha256/<hex>", or docker save's
					       "<id>/layer.tar" (checked: no "..", not absolute) */
	char digest[BD_IMAGE_DIGEST_SIZE];  /* of the blob; "" when unknown
					       (docker save's layer.tar) */
	char diff_id[BD_IMAGE_DIGEST_SIZE]; /* of the uncompressed tar, from
					       the config's rootfs.diff_ids */
	const char *media_type;		    /* NULL for docker save */
	enum bd_image_compression compression;
	uint64_t size; /* of the blob, 0 when unknown */
};

struct bd_image {
	struct bd_arena arena; /* holds every string below */
	enum bd_image_format format;
	const char *name; /* repository, "docker.io/library/alpine", or the
			     caller's name_hint; never NULL */
	const char *tag;  /* "3.19", NULL when unknown */
	const char *ref;  /* the reference as the metadata wrote it */
	char manifest_digest[BD_IMAGE_DIGEST_SIZE]; /* "" for docker save */
	char config_digest[BD_IMAGE_DIGEST_SIZE];   /* the image ID */
	const char *os, *architecture, *variant;    /* from the config */
	/* "pkg:oci/alpine@sha256:...?repository_url=...&tag=3.19"; NULL
	 * when the metadata names no repository */
	const char *purl;
	struct bd_image_layer *layers; /* bottom first, in the arena */
	size_t nlayers;
};

struct bd_image_select {
	const char *platform; /* "os/arch[/variant]"; NULL: "linux/amd64" */
	const char *ref;      /* an image ref (OCI ref.name, a RepoTag);
				 NULL: the only image there is */
	/* names the image in messages ("img"); "img.tar!/" names an
	   archive: its files are then "img.tar!/index.json", the image
	   "img.tar" */
	const char *display;
	const char *name_hint; /* the name when the metadata has none
				  (the layout directory's base name) */
};

/*
 * Reads the metadata of the image in the directory dir (a root made with
 * bd_root_init on an OCI layout, or on docker save's JSON files) into img,
 * choosing the image by sel->ref and the manifest by sel->platform. Files are
 * read with bd_root_read, each capped at BD_IMAGE_MAX_JSON. Returns 0;
 * BD_EUSAGE when the choice is the caller's to make ("'img': holds 2 images,
 * choose one with
 * --image-ref: alpine:3.19, busybox:1.36"; "'img': no image for platform
 * linux/s390x (it has linux/amd64, linux/arm64/v8)"; an unknown ref);
 * BD_ENOENT when dir holds no image metadata; BD_EFORMAT for malformed or
 * inconsistent metadata (a bad digest, a digest mismatch, missing
 * fields); BD_ELIMIT; BD_EIO; BD_ENOMEM. img is released on failure.
 */
int bd_image_read(struct bd_image *img, const struct bd_root *dir,
		  const struct bd_image_select *sel, const struct bd_diag *diag,
		  struct bd_error *err);

void bd_image_release(struct bd_image *img);

/* Whether s is "sha256:" and 64 lowercase hex digits, nothing else. */
bool bd_image_digest_valid(const char *s);

/*
 * Checking a blob while it is read: init with the digest it must have
 * ("sha256:<hex>") and its size (0: unknown), update with each chunk as
 * the caller reads the blob (a libarchive read callback), check at the
 * end (which releases h; bd_image_hash_release abandons an unchecked
 * one). init returns 0, BD_EFORMAT for a digest not of the strict form,
 * BD_ENOMEM; check returns 0 or BD_EFORMAT ("'img!/blobs/sha256/ab..':
 * digest mismatch, the blob is sha256:...", "'...': 3 bytes, the manifest
 * says 4"), BD_ENOMEM.
 */
struct bd_image_hash {
	void *ctx; /* EVP_MD_CTX */
	uint64_t size, expected_size;
	char expected[BD_IMAGE_DIGEST_SIZE];
	bool failed;
};

int bd_image_hash_init(struct bd_image_hash *h, const char *digest,
		       uint64_t size);
void bd_image_hash_update(struct bd_image_hash *h, const void *data,
			  size_t len);
int bd_image_hash_check(struct bd_image_hash *h, const char *display,
			struct bd_error *err);
void bd_image_hash_release(struct bd_image_hash *h);

/* Hashes what is left to read of fd and checks it as above. */
int bd_image_verify_fd(int fd, const char *digest, uint64_t size,
		       const char *display, struct bd_error *err);

/*
 * Applying one layer's whiteouts (image-spec layer.md, "Whiteouts") to the
 * merged tree, a private directory rootfd into which the layers are
 * extracted bottom first.
 *
 * A whiteout applies only to what LOWER layers put in the tree, whatever
 * the order of the layer's entries: "a/.wh..wh..opq" after "a/b/c/foo" of
 * the same layer still keeps foo. So the caller, for each entry of the
 * layer in stream order, calls bd_image_whiteout BEFORE materialising it:
 *  - a whiteout entry (".wh.NAME", ".wh..wh..opq") is applied at once, and
 *    *is_whiteout says not to materialise it;
 *  - any other entry is recorded as the layer's own (with its parent
 *    directories), so that a whiteout met later in the layer spares it.
 * Removing lower content never follows a symlink: every step is an
 * openat/unlinkat with O_NOFOLLOW relative to rootfd; a whiteout below a
 * symlink is refused with a warning. Entry names are normalised and
 * relative ("a/b/.wh.c": no "..", no ".", no empty component, no leading
 * "/"; the caller's archive reader checks that); others are refused.
 */
#define BD_IMAGE_MAX_DEPTH	 128	    /* directory levels removed */
#define BD_IMAGE_MAX_OWN_ENTRIES (1u << 20) /* entries of one layer */

struct bd_image_apply {
	int rootfd;
	const char *display; /* the layer in messages: "img.tar!/blobs/..." */
	const struct bd_diag *diag;
	struct bd_arena arena;
	struct bd_map own; /* this layer's entries and their parents */
	size_t nown;
	bool own_full; /* warned: BD_IMAGE_MAX_OWN_ENTRIES */
};

void bd_image_apply_init(struct bd_image_apply *a, int rootfd,
			 const char *display, const struct bd_diag *diag);
void bd_image_apply_release(struct bd_image_apply *a);

/*
 * Handles the entry name of the layer as said above. Returns 0 (a whiteout
 * refused or with nothing to remove, with a warning where the layer is
 * wrong, is 0 too), BD_EIO when removing fails, BD_ENOMEM.
 */
int bd_image_whiteout(struct bd_image_apply *a, const char *name,
		      bool *is_whiteout, struct bd_error *err);

/*
 * Removes rel (relative to rootfd, not following symlinks) and, when it
 * is a directory, all below it: for a layer's entry that replaces a lower
 * directory by a file (layer.md, "Changeset over existing files").
 * Returns 0 (also when rel does not exist), BD_EIO, BD_ELIMIT beyond
 * BD_IMAGE_MAX_DEPTH.
 */
int bd_image_remove(int rootfd, const char *rel, struct bd_error *err);

/*
 * Removes rel (relative to rootfd, its directories opened one by one
 * without following a symlink) when it is no directory: for an entry
 * given twice in one layer, whose last copy tar, moby and containerd
 * keep (they remove the first, then write). Returns 0 (also when rel
 * does not exist or is below a symlink), 1 when a directory is there (it
 * stays), BD_EIO, BD_ENOMEM.
 */
int bd_image_unlink(int rootfd, const char *rel, struct bd_error *err);

/*
 * Merging top-down instead (issue 12, point 5): the layers are read top
 * first, and an entry is written only when no upper layer whited it out,
 * made its directory opaque, or put something at its path, so that
 * nothing is written twice or removed, and the order of a layer's entries
 * does not matter. The caller
 *  - calls bd_image_merge_layer before each layer, top layer first;
 *  - for each entry of the layer, in stream order, calls
 *    bd_image_merge_entry and writes the entry only when *keep says so
 *    (a whiteout is recorded and never kept, its directory the layer's,
 *    as overlayfs makes it: a lower symlink or file there is hidden,
 *    never followed; a directory an upper layer has already made is not
 *    kept, but its entries may be).
 * Entry names are normalised and relative, as for bd_image_whiteout.
 * A hard link kept whose target was not (bd_image_merge_kept) points at a
 * file an upper layer replaced: the caller decides. A directory a layer
 * makes only as the parent of entries that are all hidden is not made
 * (layers list their directories as entries, and those are kept).
 */
#define BD_IMAGE_MAX_PATHS (1u << 22) /* paths of one image tracked */
/* Directories made for an image's entry names that no entry lists
 * (bd_archive_implied), in all its layers: a real layer lists its
 * directories (moby's and containerd's diffs, BuildKit, ko, jib), where
 * 2,000 symlinks to deep targets and an entry below each, a layer of
 * 64 KiB, made 254,000 (a minute on a busy ext4; 10 s to this cap). */
#define BD_IMAGE_MAX_IMPLIED_DIRS (1u << 14)
/* Directories made for an image's entries that list them, in all its
 * layers (bd_archive_limits.listed): past it, one is made only above what
 * is kept, as an implied one. Twice what a Debian 12 build machine's
 * whole root has (33,608 directories; its /usr 17,185), where a 9.6 MB
 * layer of a million empty directories would make a million (4 GB of
 * inodes and blocks, minutes of system time). */
#define BD_IMAGE_MAX_LISTED_DIRS (1u << 16)
/* Files, symlinks and hard links written for an image's entries, in all
 * its layers, the files its layers put aside included
 * (bd_archive_limits.written): past it, such an entry is skipped. Six
 * times what a Debian 12 build machine's /usr, /opt, /etc and /var/lib
 * hold (4,033 ELF files and 6,828 symlinks), where a 692 KB layer of
 * 100,000 tiny ELF files took 135 s to write (0.5 to 1.3 ms each, ext4's
 * directory code), and a 7 MB one of a million would take tens of
 * minutes and gigabytes of inodes and blocks. */
#define BD_IMAGE_MAX_WRITTEN (1u << 16)

struct bd_archive_implied;

struct bd_image_merge {
	const struct bd_diag *diag;
	/* The directories an entry's name makes that no entry listed, as
	 * written here or implied by a whiteout, counted (NULL: no cap):
	 * past it, the entry is not kept, and refused says so. */
	struct bd_archive_implied *implied;
	/* The directories entries list, as the merge makes them, counted
	 * (NULL: no cap): past it, a directory entry is not kept, nor
	 * recorded; an entry kept below it makes it, counted in implied. */
	struct bd_archive_implied *listed;
	bool refused;
	const char *display; /* the current layer, in warnings */
	/* The paths as a tree: (the record of its directory, its name) ->
	 * index into recs, record 0 the root; a name is stored once, however
	 * deep, and a lookup hashes one component. */
	struct bd_pathmap names;
	struct bd_image_merge_rec *recs;
	size_t nrecs, cap;
	int layer; /* the current layer, 0 for the top one */
	bool full; /* warned: BD_IMAGE_MAX_PATHS */
};

void bd_image_merge_init(struct bd_image_merge *m, const struct bd_diag *diag);
void bd_image_merge_release(struct bd_image_merge *m);

/* Starts the next layer down (the top one first). */
void bd_image_merge_layer(struct bd_image_merge *m, const char *display);

/* One entry of the current layer: *keep says whether to write it, and
 * m->refused whether it is refused whole (past m->implied: neither
 * written nor put aside, a whiteout not applied). Returns 0 (a bad name
 * is one warning and not kept) or BD_ENOMEM. */
int bd_image_merge_entry(struct bd_image_merge *m, const char *name,
			 bool is_dir, bool *keep, struct bd_error *err);

/* Whether name was kept from the current layer. */
bool bd_image_merge_kept(const struct bd_image_merge *m, const char *name);

/*
 * A name given again in the current layer as another kind: tar, moby,
 * containerd and umoci apply entries in order, and unless both are
 * directories the path is removed first (layer.md, "Changeset over
 * existing files"), what is below it too. Called before
 * bd_image_merge_entry for a non-directory entry:
 * bd_image_merge_replaces_tree says whether the current layer has a
 * directory at name, or wrote entries below it; bd_image_merge_prune
 * then removes, under rootfd, what the current layer wrote there (all of
 * name when no upper layer put anything at or below it; else only the
 * current layer's entries, an upper layer's staying), never following a
 * symlink: by what the merge recorded of the current layer, whose list
 * below name it empties, at a cost of what the layer wrote there, not of
 * what the directory holds. Returns 0 (a tree deeper than
 * BD_IMAGE_MAX_DEPTH is one warning, the rest of it left), BD_EIO,
 * BD_ENOMEM.
 */
bool bd_image_merge_replaces_tree(const struct bd_image_merge *m,
				  const char *name);
int bd_image_merge_prune(struct bd_image_merge *m, int rootfd, const char *name,
			 struct bd_error *err);

/*
 * Where an entry of a layer is written: its directory resolved through the
 * symlinks its own layer made before it, inside the layer's root, as
 * containerd applies a layer (pkg/archive's applyNaive: fs.RootPath of the
 * entry's directory in the tree the layer is applied to; a link absolute
 * from that root, ".." stopping there, the entry's own name never
 * followed). With overlayfs, docker's and containerd's default, that tree
 * is the layer's own upper directory, empty at first: a lower layer's
 * link is not followed (its upper directory hides it: bd_image_merge), so
 * "lib -> usr/lib" then "lib/libx.so" in one layer is usr/lib/libx.so, and
 * "lib/libx.so" over a lower layer's link stays lib/libx.so.
 *
 * The caller calls bd_image_links_layer before each layer and
 * bd_image_links_place for each entry of it, in stream order, before
 * anything else looks at the entry's name.
 */
#define BD_IMAGE_LINKS_NAME_MAX 4096 /* a name placed, its NUL aside */
#define BD_IMAGE_LINKS_DEPTH	128  /* components of a name placed */
/* Links followed for one name: containerd's fs.RootPath and umoci's
 * securejoin give up past 255 ("too many links"). */
#define BD_IMAGE_LINKS_FOLLOWED 255
/* Bytes of names looked up while following links, in one image: what a
 * crafted layer's chains of long links may cost (a lookup hashes its
 * component), about a tenth of a second; an image's own links take a few
 * kilobytes. */
#define BD_IMAGE_LINKS_BUDGET (64u << 20)

struct bd_image_link_node;

struct bd_image_links {
	const struct bd_diag *diag;
	/* The directories above a link, counted as the merge counts its
	 * own (NULL: no cap): past it, the link is skipped. */
	struct bd_archive_implied *implied;
	const char *display;   /* the current layer, in the one warning */
	struct bd_arena arena; /* the layer's link targets */
	/* A link's path, and each directory above one, as a tree: (the
	 * node of its directory, its name) -> index into node, node 0 the
	 * root; a path's name is stored once, however deep. */
	struct bd_pathmap names;
	struct bd_image_link_node *node;
	size_t nnodes, anodes;
	size_t nlinks;	 /* made in the layer: none, nothing to look up */
	uint64_t seq;	 /* entries placed in the layer */
	uint64_t budget; /* what is left of BD_IMAGE_LINKS_BUDGET */
	bool spent;	 /* said: the budget is spent */
	/* The directory placed last and where it led (a layer lists a
	 * directory's entries together): valid until a link changes. */
	struct bd_buf last_dir, last_to;
	bool last_valid, last_followed;
};

void bd_image_links_init(struct bd_image_links *k, const struct bd_diag *diag);
void bd_image_links_release(struct bd_image_links *k);

/* Starts the next layer (display names it in the warning): no link yet. */
void bd_image_links_layer(struct bd_image_links *k, const char *display);

/*
 * Places one entry of the current layer: name (normalised, relative, in a
 * buffer of BD_IMAGE_LINKS_NAME_MAX + 1 bytes) becomes the path its
 * directory leads to, and so does target, a hard link's target (NULL for
 * another entry). is_dir says a directory; symlink is a symlink's target
 * as stored (NULL for another entry), recorded for the entries after it.
 * A whiteout (".wh.NAME", the opaque marker) is placed, never recorded;
 * ".wh.NAME" removes the links the layer made at NAME or below it.
 * Returns 0; 1 when the entry is to be skipped, *why saying why in a
 * warning's words (more than BD_IMAGE_LINKS_FOLLOWED links, a path
 * longer or deeper than the limits above, the budget spent: that one
 * said once through diag); BD_ENOMEM.
 */
int bd_image_links_place(struct bd_image_links *k, char *name, char *target,
			 bool is_dir, const char *symlink, const char **why);

/*
 * The path the whiteout name (normalised, ".wh.NAME" in its directory)
 * removes of what its own layer made before it, appended to path; false
 * for none: no whiteout, the opaque marker and aufs' ".wh..wh." names
 * (containerd keeps what the layer unpacked), or NAME "", "." or "..".
 * containerd's naive applier (a layer's first snapshot, the native
 * snapshotter) removes it (os.RemoveAll), and moby's UnpackLayer; their
 * overlayfs appliers refuse the layer (the whiteout device's mknod(2)
 * fails with EEXIST); layer.md would apply it to the layers below only.
 */
bool bd_image_whiteout_path(struct bd_buf *path, const char *name);

#endif
