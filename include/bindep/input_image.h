/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_INPUT_IMAGE_H
#define BINDEP_INPUT_IMAGE_H

#include "bindep/archive.h"
#include "bindep/arena.h"
#include "bindep/error.h"
#include "bindep/image.h"
#include "bindep/map.h"

/*
 * A container image as an input (issue 12, point 5): its metadata read,
 * the image chosen, and its layers merged top-down into one private tree
 * that is then scanned as --root is. Only what a scan reads is stored:
 * directories, symlinks, hard links, ELF files and the non-ELF files of
 * bd_input_root_wanted().
 */

enum bd_image_form {
	BD_IMAGE_FORM_AUTO,	     /* decided by content */
	BD_IMAGE_FORM_OCI_DIR,	     /* oci-dir: an OCI image layout */
	BD_IMAGE_FORM_OCI_ARCHIVE,   /* oci-archive: a tarball of one */
	BD_IMAGE_FORM_DOCKER_ARCHIVE /* docker-archive: docker/podman save */
};

/* Warnings an image tarball's outer entries raise before it is known to
 * be an image are held (a plain tarball gets none); past this many, they
 * are counted, and said as one warning once it is known to be one. */
#define BD_INPUT_IMAGE_MAX_HELD 256

struct bd_input_image {
	struct bd_image
		meta;	    /* the chosen image and its layers, bottom first */
	const char *rootfs; /* absolute host path of the merged tree
			       ("<workdir>/rootfs"), in arena */
	struct bd_arena arena;
	/* The inside path of each file, symlink or hard link kept,
	 * "/usr/lib/x.so" as its layer names it (no symlink resolved) ->
	 * index into meta.layers of the layer it came from. */
	struct bd_map layer_of;
	/* Bytes written under workdir: an image tarball's blobs stored, and
	 * the files kept from the layers. */
	uint64_t unpacked;
};

void bd_input_image_init(struct bd_input_image *ii);
void bd_input_image_release(struct bd_input_image *ii);

/*
 * Reads the image named `path` on the host (an OCI image layout
 * directory, an OCI archive tarball (skopeo copy oci-archive:), or a
 * docker/podman save tarball; plain or compressed) and merges its layers
 * top-down, each layer decompressed once, into "<workdir>/rootfs" (0700;
 * workdir is a private 0700 directory the caller made and will remove;
 * a tarball's blobs are stored in "<workdir>/image" meanwhile, removed
 * after). `display` names the image in messages ("img.tar"); a layer is
 * "img.tar!/blobs/sha256/<hex>" ("img/blobs/sha256/<hex>" for a
 * directory). form AUTO decides by content; another form insists (a
 * docker-archive is read by its manifest.json even when it holds an OCI
 * layout too).
 *
 * Every layer blob is checked against its digest while it is read and
 * decompressed: the compressed bytes are hashed (the manifest's digest),
 * or for docker save's layer.tar, which has none, the tar against its
 * diffID (what it decompresses to, when it is compressed, as docker load
 * reads it). A mismatch is found at the end of the layer: the
 * call then fails and the tree is not to be used.
 *
 * Returns 0; BD_ENOENT when `path` holds no image metadata (a plain
 * tarball or directory, for form AUTO only: the caller then reads it as
 * one; nothing is warned then, nor more stored than its first entries);
 * BD_EUSAGE when the caller must choose (refs or platforms listed, as
 * bd_image_read says); BD_EFORMAT (a bad image, a digest mismatch, not
 * the form asked for), BD_ELIMIT (a cap of lim: NULL means the
 * defaults), BD_EIO, BD_ENOMEM. Hostile layer entries get one warning
 * each through diag, the rest is kept (archive.h). sel->display is
 * ignored (display is used).
 */
int bd_input_image_read(struct bd_input_image *ii, const char *path,
			const char *display, enum bd_image_form form,
			const char *workdir, const struct bd_image_select *sel,
			const struct bd_archive_limits *lim,
			const struct bd_diag *diag, struct bd_error *err);

/* The layer the file at inside ("/usr/lib/x.so") came from, or NULL. */
const struct bd_image_layer *
bd_input_image_layer(const struct bd_input_image *ii, const char *inside);

/*
 * Whether a --root scan reads the non-ELF file `name` (relative and
 * normalised: "etc/ld.so.cache"): the loader's ld.so.cache, ld.so.conf
 * and etc/ld.so.conf.d/ files; os-release (etc/, usr/lib/),
 * debian_version; dpkg's status, status.d/ files, info/<pkg>.list files
 * and diversions; apk's lib/apk/db/installed; rpm's rpmdb.sqlite and the
 * Packages files it warns about (var/lib/rpm, usr/lib/sysimage/rpm); a
 * *.dist-info/ METADATA, RECORD or WHEEL; package.json; and any file
 * named like a shared object ("libx.so", "libx.so.1": a scan warns when
 * one is no ELF file, or takes it for a linker script).
 */
bool bd_input_root_wanted(const char *name);

#endif
