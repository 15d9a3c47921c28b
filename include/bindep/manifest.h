/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_MANIFEST_H
#define BINDEP_MANIFEST_H

#include "bindep/error.h"

#include <stddef.h>

/*
 * An artifact's own list of the libraries it links in (issue 14), in the
 * registry's "json-object-name-version" format (bindep/mapping.h): one
 * JSON object whose members are "name": "version", as sharp-libvips's
 * versions.json ({"aom": "3.15.1", "png": "1.6.58", ...}). It comes with
 * the artifact, not from the user: read bounded, and refused whole where
 * any of it is not of that shape.
 */

/* A manifest larger than this is no list of libraries (versions.json is
 * 600 bytes). */
#define BD_MANIFEST_MAX_BYTES (64u * 1024)
/* Libraries one manifest may list. */
#define BD_MANIFEST_MAX_NAMES 256
/* A name: printable ASCII, no space, 1 to 64 bytes. */
#define BD_MANIFEST_MAX_NAME 64

struct bd_manifest_item {
	char *name;
	char *version;
};

struct bd_manifest {
	struct bd_manifest_item *items; /* sorted by name */
	size_t n;
};

/*
 * Parses len bytes of text. 0 and *out (release it); BD_EFORMAT with err
 * saying what is wrong ("not a JSON object", "'png': the version is not a
 * string", "more than 256 libraries", "'png' listed twice"), BD_ELIMIT
 * past BD_MANIFEST_MAX_BYTES, BD_ENOMEM.
 */
int bd_manifest_parse(const char *text, size_t len, struct bd_manifest *out,
		      struct bd_error *err);
void bd_manifest_release(struct bd_manifest *m);

#endif
