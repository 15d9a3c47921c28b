/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_INPUT_PRIVATE_H
#define BINDEP_INPUT_PRIVATE_H

#include "bindep/input.h"

#include <sys/stat.h>

/* Shared by input.c and input_read.c only. */

/* Makes the private directory (once) and its sentinel. */
int bd_input_private(struct bd_input *in, struct bd_error *err);

/* What fd's first bytes say; an ar that is no .deb is none. */
enum bd_archive_kind bd_input_sniff(int fd);
/* The kind of an archive by its first bytes (an ar that is no .deb is
 * none); a compressed stream's from as many as bd_input_sniff reads. */
enum bd_archive_kind bd_input_sniff_head(const unsigned char *head, size_t got);

/*
 * Streams the artifact at host (opened in root; NULL: on the host) into
 * the private tree, names it and lays it out, then its nested archives.
 * display is its location; parent the artifact holding it (SIZE_MAX:
 * none). Problems with the artifact are warnings; returns 0, or BD_ENOMEM
 * / BD_EIO (the private directory) with err set.
 */
int bd_input_read(struct bd_input *in, const struct bd_root *root,
		  const char *display, const char *host,
		  enum bd_archive_kind kind, size_t parent, int depth,
		  struct bd_error *err);

/*
 * An SBOM of len bytes at location (bindep/carried.h): read, and kept for
 * bd_input_carried with the artifact that carries it (SIZE_MAX: none, a
 * directory's), the prefix of the locations of what it may describe
 * ("dist/x.whl!/", "rel/") and the base of its relative paths. A bad one
 * is warned about and skipped; returns 0 or BD_ENOMEM.
 */
int bd_input_add_sbom(struct bd_input *in, size_t art, const char *prefix,
		      const char *location, const char *base, const void *data,
		      size_t len);

/* Frees the manifests taken from artifact a while streaming it. */
void bd_input_drop_manifests(struct bd_input_artifact *a);

/*
 * The directory of the last path bd_input_lstat found, kept open: the
 * entries of a directory come together, and walking a deep one again for
 * each cost a system call per component. Only while the private tree is
 * not changed (one pass over the entries): a directory moved since would
 * still be found at its old path.
 */
struct bd_input_dir {
	struct bd_buf rel; /* relative to the private root, no slash at end */
	int fd;		   /* opened as any other, or -1 */
};

void bd_input_dir_init(struct bd_input_dir *d);
void bd_input_dir_release(struct bd_input_dir *d);

/* lstat(2) of rel, a path relative to the private root ("usr/lib/x.so"),
 * never through a symlink: -1 (ELOOP, ENOTDIR or ENOENT) when one of its
 * directories is one. dir (may be NULL) keeps rel's directory. Returns 0
 * or -1 with errno. */
int bd_input_lstat(const struct bd_input *in, struct bd_input_dir *dir,
		   const char *rel, struct stat *st);

/*
 * The packages' files installed through the root's links, as dpkg and rpm
 * install them: each top directory of the private tree that root has as
 * a link to a directory ("/lib -> usr/lib") is moved into its target, and
 * kept in in->folds for bd_input_place. Once, before the artifacts'
 * files are placed. Returns 0 or BD_ENOMEM.
 */
int bd_input_fold_links(struct bd_input *in, const struct bd_root *root);

/* Where the layout put entry name of artifact a: its inside path in the
 * private tree (arena). dir as bd_input_lstat's. Returns 0, BD_ENOENT (not
 * stored), BD_ENOMEM. */
int bd_input_place(struct bd_input *in, struct bd_input_dir *dir,
		   const struct bd_input_artifact *a, const char *name,
		   char **inside);

#endif
