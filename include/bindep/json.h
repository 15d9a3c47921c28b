/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_JSON_H
#define BINDEP_JSON_H

#include "bindep/buf.h"
#include "bindep/emit.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Writing a JSON document for the emitters, as it is made (issue 13): no
 * tree is built and the text is serialised once, straight to a sink, in
 * 64 KiB pieces. The layout is cJSON_Print's, byte for byte (one tab per
 * level, "key":<TAB>value, array items after ", "), so that documents stay
 * what they were. Calls do not fail one by one: the first failure is kept
 * (failed for memory, sink_rc for the sink) and bd_json_finish returns it.
 *
 * A document that names itself by a hash of its own content (CycloneDX's
 * serialNumber, SPDX's documentNamespace) leaves a hole for it
 * (bd_json_add_hole): the hash is of the compact text (cJSON_PrintUnformatted)
 * with "" in the hole, made as the document is written and hashed on a
 * thread of its own, and the hole is filled last, in place. A sink that
 * cannot rewrite what it was given (a pipe) gets the whole document at the
 * end instead.
 *
 * Invalid UTF-8 policy. JSON text is Unicode (RFC 8259 section 8.1), while
 * sonames, DT_NEEDED, RPATH, note JSON, file names, package databases and
 * online answers can hold any bytes. Every string of a CycloneDX or SPDX
 * document goes through the helpers below, the one place the policy is
 * applied:
 *  - each ill-formed part (bindep/utf8.h: overlong forms, surrogates, above
 *    U+10FFFF, truncated sequences, stray bytes) becomes U+FFFD;
 *  - while a component is being written (bd_json_raw_begin/_end), the bytes
 *    of each string so changed are kept, percent-encoded (every byte
 *    outside printable ASCII and '%' as %XX), as a property
 *    "bindep:raw-<field>" of that component: <field> is the JSON key
 *    ("name", "location", "packageFileName") or, for a bindep:
 *    property or annotation, its name without "bindep:" ("path", "runpath").
 *    In CycloneDX a property, in SPDX an annotation "bindep:raw-<field>=".
 *  - identifiers (CycloneDX bom-ref and the refs to it) must stay unique:
 *    there ill-formed parts and '%' are percent-encoded instead
 *    (bd_json_add_ref), so that two names differing only in invalid bytes
 *    stay two components;
 *  - elsewhere (the document's metadata, relationship comments) only the
 *    replaced text is written; the component itself keeps the raw bytes.
 * Valid UTF-8 is written unchanged; control characters, '"' and '\' are
 * escaped as cJSON escapes them.
 */

/* Containers open at once: our documents nest six deep. */
#define BD_JSON_MAX_DEPTH 16

struct bd_json_frame {
	const char *key; /* the container's key, labelling raws of its items */
	size_t n;	 /* values written in it */
	bool array;
	bool pending; /* lazy, and not written yet: no value so far */
};

/* Fractions formatted lately, remembered (2^this of them). */
#define BD_JSON_NUMBERS_LOG2 3

struct bd_json_number {
	double value;
	char text[32];
	unsigned char len; /* of text; 0: none yet */
};

struct bd_json {
	bool failed;	       /* out of memory, or misuse */
	bool laying_out;       /* the laid out text is made (not: null sink) */
	int sink_rc;	       /* the sink's first failure */
	bool collecting;       /* between bd_json_raw_begin and _end */
	bool dry;	       /* nothing is written, raws are kept */
	const char *raw_label; /* when set, names the raw of the next string */
	struct bd_buf raws;    /* "label\0encoded\0" pairs */
	struct bd_buf text;    /* the last replaced string */
	const struct bd_emit_sink *sink;
	struct bd_buf out;     /* laid out text not yet given to the sink */
	uint64_t given;	       /* bytes given to the sink so far */
	struct bd_buf compact; /* compact text not yet hashed */
	void *uuid;    /* the content hash (hashed on a thread, json.c); NULL:
			  none kept */
	void *writer;  /* the sink's writes, on a thread (json.c); NULL: here */
	uint64_t hole; /* where the hole's value starts */
	size_t hole_len; /* 0: no hole */
	struct bd_json_frame stack[BD_JSON_MAX_DEPTH];
	unsigned depth;
	struct bd_json_frame saved[BD_JSON_MAX_DEPTH]; /* before a dry run */
	unsigned saved_depth;
	struct bd_json_number numbers[1u << BD_JSON_NUMBERS_LOG2];
};

/* A writer to sink, which must outlive it; with content_uuid, the compact
 * text is hashed for bd_json_content_uuid. To bd_emit_null_sink only the
 * compact text is made: a pass that derives the UUID writes nothing else. */
void bd_json_init(struct bd_json *j, const struct bd_emit_sink *sink,
		  bool content_uuid);

/* Frees what j holds. */
void bd_json_release(struct bd_json *j);

/*
 * Containers and values. key names the member inside an object and is
 * NULL inside an array (and for the document itself). A lazy array is
 * written at its first value: one that gets none is left out, key and all.
 */
void bd_json_begin_object(struct bd_json *j, const char *key);
void bd_json_end_object(struct bd_json *j);
void bd_json_begin_array(struct bd_json *j, const char *key);
void bd_json_begin_array_lazy(struct bd_json *j, const char *key);
void bd_json_end_array(struct bd_json *j);

/* A NULL value adds nothing. Strings follow the UTF-8 policy above. */
void bd_json_add_string(struct bd_json *j, const char *key, const char *value);
void bd_json_add_number(struct bd_json *j, const char *key, double value);
void bd_json_add_bool(struct bd_json *j, const char *key, bool value);

/*
 * A reference (a CycloneDX bom-ref, a dependency's ref): it must stay
 * unique, so ill-formed parts and '%' are percent-encoded instead of
 * replaced (bd_utf8_percent_invalid). A valid key without '%' is written
 * unchanged.
 */
void bd_json_add_ref(struct bd_json *j, const char *key, const char *ref);

/*
 * A string member whose value, width bytes of plain ASCII that need no
 * escape, is known only at the end (bd_json_fill_hole); the content hash
 * sees "" there. One per document.
 */
void bd_json_add_hole(struct bd_json *j, const char *key, size_t width);

/* The version 5 UUID (bd_emit_uuid5) of the compact text of the document
 * written, the hole as "": the same document, the same UUID. Once, after
 * the document is closed. Returns 0 or BD_ENOMEM. */
int bd_json_content_uuid(struct bd_json *j, char out[37]);

/* Writes value (strlen(value) must be the hole's width) into the hole. */
void bd_json_fill_hole(struct bd_json *j, const char *value);

/* Gives the rest to the sink, and the newline that ends the document.
 * Returns 0, BD_ENOMEM (also when anything failed before) or the sink's
 * first failure. */
int bd_json_finish(struct bd_json *j);

/*
 * value under the policy: value itself when it is valid UTF-8 (or NULL),
 * else its replaced text, valid until the next call on j; while collecting,
 * the raw bytes are kept under label.
 */
const char *bd_json_text(struct bd_json *j, const char *label,
			 const char *value);

/*
 * A dry run (on), then back (off): what is written meanwhile goes nowhere
 * and leaves the writer as it was, but the raws of replaced strings are
 * kept. For raws that must be written before the strings they come from
 * (CycloneDX's properties come before the evidence).
 */
void bd_json_dry(struct bd_json *j, bool on);

/* Starts keeping the raw bytes of replaced strings (for one component). */
void bd_json_raw_begin(struct bd_json *j);

/* Stops, and hands each kept raw to fn as ("bindep:raw-<field>", percent-
 * encoded bytes), in the order met. */
void bd_json_raw_end(struct bd_json *j,
		     void (*fn)(void *ctx, const char *name, const char *value),
		     void *ctx);

#endif
