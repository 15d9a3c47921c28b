/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ATTACH_H
#define BINDEP_ATTACH_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/graph.h"

#include <signal.h>
#include <stdint.h>
#include <time.h>

/*
 * --attach (issue 16, item 1): a wheel's own SBOM written into it, as PEP
 * 770 says, in <name>-<version>.dist-info/sboms/, with its RECORD line.
 */

/* Our file's name in the .dist-info directory. */
#define BD_ATTACH_NAME "sboms/bindep-sbom.cdx.json"

/*
 * The SBOM of one artifact: into out (initialised, empty), a copy of the
 * part of g reachable from the artifact whose key is artifact_key, by
 * every kind of edge (what it holds, what those need, what is compiled
 * into them), without the artifact itself, which is the document's
 * described target: its hash would be that of the wheel before the SBOM
 * went in. What it held directly are the target's own files (is_input).
 * Locations that start with within ("dist/x.whl!/") lose it: the wheel's
 * own SBOM names its files as they are in it ("p/_x.so"), wherever the
 * wheel was read; the others are dropped (a path of the host that was
 * scanned is not the wheel's). NULL: all stay; else within ends in "!/".
 * Strings stay g's: out must be released before g. Sorted. Returns 0,
 * BD_ENOENT (no such component), BD_EUSAGE (within ends otherwise) or
 * BD_ENOMEM. It indexes g for one view: for several, bd_attach_index_new.
 */
int bd_attach_view(const struct bd_graph *g, const char *artifact_key,
		   const char *within, struct bd_graph *out);

/*
 * The views of many artifacts of one graph, each made in the time of what
 * it holds and reaches, not the graph's: an index of g made once (its
 * edges by their start, the locations inside each artifact, the
 * components each path names), and scratch space for one view at a time.
 * g must not change while it is used, and outlive it. 0 or BD_ENOMEM
 * (*ix NULL).
 */
struct bd_attach_index;
int bd_attach_index_new(const struct bd_graph *g, struct bd_attach_index **ix);
void bd_attach_index_free(struct bd_attach_index *ix);

/* bd_attach_view of ix's graph. within is NULL, "" or an artifact's
 * location and "!/" (the index knows no other prefix): else BD_EUSAGE. */
int bd_attach_index_view(struct bd_attach_index *ix, const char *artifact_key,
			 const char *within, struct bd_graph *out);

struct bd_attach_options {
	/* NULL: the wheel is replaced; else the new wheel is written into
	 * this directory under the wheel's base name. */
	const char *dest_dir;
	bool force;	   /* a signed wheel: drop its signature */
	time_t mtime;	   /* of the entry written (at least 1980) */
	uint64_t max_size; /* bytes of entries copied, uncompressed */
	/* Set (by a signal handler) to stop: the temporary is removed, the
	 * wheel untouched, and BD_EINTR returned. May be NULL. */
	const volatile sig_atomic_t *stop;
	/* The wheel's SHA-256 (hex) as it was scanned: other bytes now are
	 * refused. NULL: not checked. */
	const char *sha256;
};

/* Returned when o->stop was set. */
#define BD_EINTR (-20)

/*
 * Writes the wheel at path again with sbom (len bytes) as
 * <dist-info>/BD_ATTACH_NAME, replacing an earlier one of ours, and its
 * line in RECORD ("path,sha256=<urlsafe base64, no padding>,size",
 * PEP 376/427). Every other entry is copied in order, with its contents,
 * metadata and compression method (stored or deflated: another one is an
 * error). Our file goes just before RECORD. The new wheel is written to
 * a temporary file in the destination's directory and renamed over it:
 * an interruption leaves the old wheel. A signed wheel (RECORD.jws,
 * RECORD.p7s) is refused unless o->force, which drops the signature and
 * warns. Errors name the wheel as shown. Returns 0, BD_EFORMAT,
 * BD_EUSAGE (signed), BD_EIO, BD_ELIMIT, BD_ENOMEM or BD_EINTR.
 */
int bd_attach_wheel(const char *path, const char *shown, const char *sbom,
		    size_t len, const struct bd_attach_options *o,
		    const struct bd_diag *diag, struct bd_error *err);

/* The RECORD hash of data: "sha256=" and its digest in urlsafe base64
 * without padding (PEP 427), into out (at least 51 bytes). */
int bd_attach_record_hash(const void *data, size_t len, char out[64]);

/* One record of RECORD's text, as bd_attach_record_read read it. */
struct bd_attach_record {
	size_t len;   /* its bytes, its line end included */
	bool empty;   /* an empty line: no field at all (csv gives []) */
	bool unended; /* the text ends inside a quoted field */
	bool nul;     /* its first field holds a NUL byte */
};

/*
 * The record that begins text[0..len) (len > 0), read as CSV the way
 * Python's csv module reads a RECORD (PEP 376) opened with newline=""
 * (pip, installer, wheel: delimiter ',', quote '"', doubled in a quoted
 * field, strict=False): its first field, decoded, into first (reset; its
 * bytes, NUL ones too, not NUL-ended), and what r says. Returns r->len.
 */
size_t bd_attach_record_read(const char *text, size_t len, struct bd_buf *first,
			     struct bd_attach_record *r);

#endif
