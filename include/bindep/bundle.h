/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_BUNDLE_H
#define BINDEP_BUNDLE_H

#include "bindep/buf.h"
#include "bindep/error.h"

/*
 * The language package a native library ships inside: a Python wheel
 * (a "*.dist-info" directory whose RECORD lists the file) or an npm package
 * (the nearest package.json with a name), found by walking up from the
 * file's directory.
 */

#define BD_BUNDLE_MAX_LEVELS 6

/*
 * Looks for the package holding host (a file path). Returns 0 with its
 * purl ("pkg:pypi/numpy@1.26.4", "pkg:npm/%40img/sharp-libvips-linux-x64@
 * 1.0.4") in purl and the manifest's path in manifest; BD_ENOENT when
 * there is none; BD_ENOMEM.
 */
int bd_bundle_find(const char *host, struct bd_buf *purl,
		   struct bd_buf *manifest);

/* The purl of a wheel's METADATA text (its Name and Version headers), or
 * BD_EFORMAT without a Name. */
int bd_bundle_pypi_purl(const char *metadata, struct bd_buf *purl);

/* The purl of a package.json text, or BD_EFORMAT without a name. */
int bd_bundle_npm_purl(const char *json, struct bd_buf *purl);

#endif
