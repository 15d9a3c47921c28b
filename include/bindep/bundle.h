/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_BUNDLE_H
#define BINDEP_BUNDLE_H

#include "bindep/arena.h"
#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/map.h"
#include "bindep/root.h"

/*
 * The language package a native library ships inside: a Python wheel
 * (a "*.dist-info" directory whose RECORD lists the file) or an npm package
 * (the nearest package.json with a name), found by walking up from the
 * file's directory.
 */

#define BD_BUNDLE_MAX_LEVELS 6

/*
 * What the search keeps between files: the root it stays inside (it never
 * climbs above it), and the manifests already warned about, so that one
 * bad package.json is said once, not once per library beside it.
 */
struct bd_bundle_search {
	const struct bd_root *root; /* NULL: the host's "/" */
	const struct bd_diag *diag;
	struct bd_arena arena;
	struct bd_map warned;
};

void bd_bundle_search_init(struct bd_bundle_search *s,
			   const struct bd_root *root,
			   const struct bd_diag *diag);
void bd_bundle_search_release(struct bd_bundle_search *s);

/*
 * Looks for the package holding host (a file path). Returns 0 with its
 * purl ("pkg:pypi/numpy@1.26.4", "pkg:npm/%40img/sharp-libvips-linux-x64@
 * 1.0.4") in purl and the manifest's path in manifest; BD_ENOENT when
 * there is none; BD_ENOMEM. Manifests are read with bd_root_open; one that
 * cannot be (a FIFO, a device, too large) is warned about once.
 */
int bd_bundle_find(struct bd_bundle_search *s, const char *host,
		   struct bd_buf *purl, struct bd_buf *manifest);

/* The purl of a wheel's METADATA text (its Name and Version headers), or
 * BD_EFORMAT without a Name: bd_artifact_wheel() (bindep/artifact.h), a
 * missing Version allowed. Appends to purl; BD_ELIMIT, BD_ENOMEM too. */
int bd_bundle_pypi_purl(const char *metadata, struct bd_buf *purl);

/* The purl of a package.json text, or BD_EFORMAT without a name: as
 * bd_artifact_npm(), a missing version allowed. */
int bd_bundle_npm_purl(const char *json, struct bd_buf *purl);

#endif
