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
/* Manifests (RECORD, METADATA, package.json) read in one run: past this,
 * the rest are not read, with one warning. A real site-packages holds a
 * few MiB of them; hostile ones (thousands of 4 MiB RECORDs) cost seconds
 * per library. */
#define BD_BUNDLE_MAX_MANIFEST_BYTES (256u << 20)
/* "*.dist-info" directories looked at in one directory (one warning). */
#define BD_BUNDLE_MAX_DIST_INFO 1024

/* A package's manifest read: what bd_bundle_find says of its files. */
struct bd_bundle_pkg {
	const char *purl; /* NULL: not read yet, or none */
	const char *manifest;
	/* The licence it declares (bindep/artifact.h); NULL: none. */
	const char *license, *license_text;
};

/* A wheel met: where its METADATA is, and what it says once read. */
struct bd_bundle_wheel {
	const char *metadata; /* host path */
	struct bd_bundle_pkg pkg;
	bool tried;
};

/* What a directory holds, read once: its package.json's package, if
 * any. */
struct bd_bundle_dir {
	struct bd_bundle_pkg npm;
	bool has_wheels; /* a RECORD read here */
};

/* The directory a file is in, decided once for all the files there. */
struct bd_bundle_parent {
	const char *dir; /* canonical host path; NULL: gone, outside the
			  * root, or no package in it or above it */
	/* For a directory named bin: its environment's site-packages and
	 * dist-packages (../lib/python*) holding wheels, as the search's
	 * directory indexes. A wheel installs its programs there (RECORD
	 * "../../../bin/x"). */
	const size_t *sites;
	size_t nsites;
};

/*
 * What the search keeps between files: the root it stays inside (it never
 * climbs above it), the manifests already warned about, so that one
 * bad package.json is said once, not once per library beside it, and
 * what each directory visited holds, so that its manifests are read once
 * per run, not once per library below it.
 */
struct bd_bundle_search {
	const struct bd_root *root; /* NULL: the host's "/" */
	const struct bd_diag *diag;
	struct bd_arena arena;
	struct bd_map warned;
	struct bd_map dirs;   /* host directory -> index in dirv */
	struct bd_map listed; /* "<dir index>/<path a RECORD lists>" ->
			       * index in wheels */
	struct bd_bundle_dir *dirv;
	size_t ndirs, adirs;
	struct bd_map parents; /* a file's directory as its path names it ->
				* index in parentv */
	struct bd_bundle_parent *parentv;
	size_t nparents, aparents;
	struct bd_bundle_wheel *wheels;
	size_t nwheels, awheels;
	/* Manifests of the tree scanned shown relative to the current
	 * directory (bindep/root.h); NULL: as found. */
	const struct bd_relative *relative;
	uint64_t manifest_bytes; /* read so far, for the budget */
	bool over_budget;	 /* warned */
};

void bd_bundle_search_init(struct bd_bundle_search *s,
			   const struct bd_root *root,
			   const struct bd_diag *diag);
void bd_bundle_search_release(struct bd_bundle_search *s);

/* What bd_bundle_find found. */
struct bd_bundle_hit {
	/* "pkg:pypi/numpy@1.26.4", "pkg:npm/%40img/sharp-libvips-linux-x64@
	 * 1.0.4" */
	struct bd_buf purl;
	/* The manifest's path (inside the root under a --root, never the
	 * host's path to it). */
	struct bd_buf manifest;
	/* The licence it declares (bindep/artifact.h); empty: none. */
	struct bd_buf license, license_text;
};

void bd_bundle_hit_init(struct bd_bundle_hit *h);
void bd_bundle_hit_release(struct bd_bundle_hit *h);

/*
 * Looks for the package holding host (a file path). Returns 0 with what
 * it is appended to hit; BD_ENOENT when there is none; BD_ENOMEM.
 * Manifests are read with bd_root_open; one that cannot be (a FIFO, a
 * device, too large) is warned about once.
 */
int bd_bundle_find(struct bd_bundle_search *s, const char *host,
		   struct bd_bundle_hit *hit);

#endif
