/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_EMIT_H
#define BINDEP_EMIT_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/graph.h"

#include <time.h>

/* The emit stage: a sorted graph in, a document out. Emitters only read
 * the graph. */

enum bd_funding_format {
	BD_FUNDING_JSON,
	BD_FUNDING_CSV,
	BD_FUNDING_MARKDOWN,
};

struct bd_emit_options {
	const char *source_name;    /* the described target */
	const char *source_version; /* NULL when not given */
	/* The target is a container image (issue 12, point 5): CycloneDX
	 * metadata.component of type "container" with this purl
	 * ("pkg:oci/alpine@sha256:...?repository_url=..&tag=.."), SPDX's
	 * described package with it as its purl; source_version is then the
	 * manifest digest. NULL: a plain target. */
	const char *source_purl;
	time_t timestamp;   /* creation time */
	const char *serial; /* "urn:uuid:...", or NULL to derive one */
	bool color;	    /* text: ANSI colours */
	enum bd_funding_format funding_format;
};

/*
 * Where a document goes as it is written (issue 13: the SBOM is streamed,
 * not held). write takes the next bytes; patch rewrites bytes it was given
 * already, offset counted from the document's first byte, and is NULL for
 * a sink that cannot (a pipe): such a sink is given the document whole, at
 * the end. Both return 0 or a negative BD_E*.
 */
struct bd_emit_sink {
	int (*write)(void *ctx, const char *data, size_t len);
	int (*patch)(void *ctx, uint64_t offset, const char *data, size_t len);
	void *ctx;
};

/* A sink that drops what it is given: for a pass that only hashes. */
extern const struct bd_emit_sink bd_emit_null_sink;

/* A sink appending to buf, from its current end. */
struct bd_emit_buf_sink {
	struct bd_emit_sink sink;
	struct bd_buf *buf;
	size_t base; /* where the document starts in buf */
};

void bd_emit_buf_sink_init(struct bd_emit_buf_sink *s, struct bd_buf *buf);

/*
 * Writes a CycloneDX 1.6 JSON document to sink, as it is made. A serial
 * number derived from the content goes in at the end, in place; a sink
 * that cannot be rewritten (a pipe) gets the document in a second pass,
 * after a first one that only hashes it, so that no copy is ever held.
 */
int bd_emit_cyclonedx_to(const struct bd_graph *g,
			 const struct bd_emit_options *opts,
			 const struct bd_emit_sink *sink, struct bd_error *err);

/* Writes an SPDX 2.3 JSON document to sink, as it is made; its
 * documentNamespace as CycloneDX's serial number. */
int bd_emit_spdx_to(const struct bd_graph *g,
		    const struct bd_emit_options *opts,
		    const struct bd_emit_sink *sink, struct bd_error *err);

/* The same, appended to out. */
int bd_emit_cyclonedx(const struct bd_graph *g,
		      const struct bd_emit_options *opts, struct bd_buf *out,
		      struct bd_error *err);
int bd_emit_spdx(const struct bd_graph *g, const struct bd_emit_options *opts,
		 struct bd_buf *out, struct bd_error *err);

/* Writes the human-readable tree view into out. */
int bd_emit_text(const struct bd_graph *g, const struct bd_emit_options *opts,
		 struct bd_buf *out, struct bd_error *err);

/* Writes the funding report: the upstream projects used, with their
 * funding links, and which scanned files use them and how. */
int bd_emit_funding(const struct bd_graph *g,
		    const struct bd_emit_options *opts, struct bd_buf *out,
		    struct bd_error *err);

/*
 * Appends one CSV cell (RFC 4180) and "," or, when last, CRLF. A cell that
 * starts with '=', '+', '-', '@', TAB or CR, which a spreadsheet would run
 * as a formula (OWASP "CSV Injection"), is prefixed with "'" and quoted.
 */
void bd_emit_csv_field(struct bd_buf *b, const char *s, bool last);

/* ---- shared by the emitters, so that every format says the same ---- */

/* What the edges say about a component. Containment is no load edge: an
 * artifact holding a file makes it neither needed nor optional. */
enum {
	BD_EMIT_NEEDED = 1,   /* the end of a DT_NEEDED or PT_INTERP edge */
	BD_EMIT_DLOPENED = 2, /* the end of a .note.dlopen edge */
	BD_EMIT_NEEDS_UNRESOLVED =
		4, /* the start of a load edge to an unresolved one */
	BD_EMIT_CONTAINED = 8, /* the end of a BD_EDGE_CONTAINS edge */
	BD_EMIT_STATIC = 16,   /* the end of a BD_EDGE_STATIC edge */
};

/* Fills flags[id] for every component (flags: g->ncomps zeroed bytes). */
void bd_emit_edge_flags(const struct bd_graph *g, unsigned char *flags);

/* Reached only through .note.dlopen entries. */
bool bd_emit_optional(const unsigned char *flags, uint32_t id);

/* A scanned file, drawn as a load tree: found by the walk, or read from
 * inside an artifact. Artifacts themselves are not. */
bool bd_emit_scanned(const struct bd_graph *g, const unsigned char *flags,
		     uint32_t id);

/* The artifacts that hold each component (BD_EDGE_CONTAINS by its end):
 * holders of id are from[first[id]] .. from[first[id + 1] - 1], in graph
 * order. Built by bd_emit_holders_build, freed by bd_emit_holders_release
 * (which accepts a zeroed struct). */
struct bd_emit_holders {
	uint32_t *from;
	size_t *first; /* g->ncomps + 1 entries */
};

int bd_emit_holders_build(struct bd_emit_holders *h, const struct bd_graph *g);
void bd_emit_holders_release(struct bd_emit_holders *h);

/*
 * Whether the described target holds the component itself: a scanned input
 * or an artifact, unless every path of it lies inside an artifact that
 * holds it ("dist/x.whl!/pkg/_x.so" is the wheel's to hold). A file found
 * both in a directory and inside a wheel is held by both.
 */
bool bd_emit_top_level(const struct bd_graph *g, const unsigned char *flags,
		       const struct bd_emit_holders *h, uint32_t id);

/*
 * Calls fn for each bindep: property of a component ("bindep:soname",
 * "bindep:resolved-via", ...), in document order, never with a NULL value.
 * CycloneDX writes them as properties, SPDX as annotations.
 */
void bd_emit_properties(
	const struct bd_graph *g, const unsigned char *flags, uint32_t id,
	void (*fn)(void *ctx, const char *name, const char *value), void *ctx);

/* The sonames of a dlopen entry other than self, preferred first,
 * comma-separated; truncated to size. */
void bd_emit_alternatives(const struct bd_dlopen_entry *e, const char *self,
			  char *out, size_t size);

/* "2023-11-14T22:13:20Z". */
void bd_emit_timestamp(time_t t, char out[32]);

/* A name-based (version 5, RFC 4122) UUID of data, in the namespace of
 * bindep-sbom documents, as 36 characters and a NUL. */
int bd_emit_uuid5(const void *data, size_t len, char out[37]);

/* The same of data given in pieces: begin (NULL when out of memory), add
 * each piece (0 or BD_ENOMEM), end (frees ctx, which may be NULL:
 * BD_ENOMEM then). */
void *bd_emit_uuid5_begin(void);
int bd_emit_uuid5_add(void *ctx, const void *data, size_t len);
int bd_emit_uuid5_end(void *ctx, char out[37]);

/* True when s is a UUID in canonical lowercase form ("urn:uuid:" allowed
 * in front when with_urn). */
bool bd_emit_valid_uuid(const char *s, bool with_urn);

#endif
