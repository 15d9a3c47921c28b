/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_IDENT_H
#define BINDEP_IDENT_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/graph.h"
#include "bindep/root.h"

/*
 * The identify stage: gives components their Package URL and version,
 * from the root's package database (dpkg for now) and .note.package (UAPI
 * spec 8); the mapping registry and ecosyste.ms come later.
 */

/*
 * Builds the purl a package note describes: deb, rpm, apk and alpm notes
 * become pkg:<type>/<os>/<name>@<version>?arch=<architecture>, with
 * distro=<os>-<osVersion> when the note has osVersion; any other type a
 * pkg:generic purl. Returns 0 with out filled, BD_ENOENT when the note
 * names no package, BD_ENOMEM.
 */
int bd_ident_purl_from_note(const struct bd_kv *fields, size_t n,
			    struct bd_buf *out);

/*
 * Sets purl, version and source package of every component: from the
 * package database of the root that owns the file (dpkg), else from the
 * file's package note. Records how each was found.
 */
int bd_identify(struct bd_graph *g, const struct bd_root *root,
		const struct bd_diag *diag, struct bd_error *err);

#endif
