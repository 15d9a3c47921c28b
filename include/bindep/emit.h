/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_EMIT_H
#define BINDEP_EMIT_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/graph.h"

#include <time.h>

/* The emit stage: a sorted graph in, a document out. Emitters only read
 * the graph. */

struct bd_emit_options {
	const char *source_name;    /* the described target */
	const char *source_version; /* NULL when not given */
	time_t timestamp;	    /* creation time */
	const char *serial;	    /* "urn:uuid:...", or NULL to derive one */
};

/* Writes a CycloneDX 1.6 JSON document into out. */
int bd_emit_cyclonedx(const struct bd_graph *g,
		      const struct bd_emit_options *opts, struct bd_buf *out,
		      struct bd_error *err);

/* "2023-11-14T22:13:20Z". */
void bd_emit_timestamp(time_t t, char out[32]);

/* A name-based (version 5, RFC 4122) UUID of data, in the namespace of
 * bindep-sbom documents, as 36 characters and a NUL. */
int bd_emit_uuid5(const void *data, size_t len, char out[37]);

/* True when s is a UUID in canonical lowercase form ("urn:uuid:" allowed
 * in front when with_urn). */
bool bd_emit_valid_uuid(const char *s, bool with_urn);

#endif
