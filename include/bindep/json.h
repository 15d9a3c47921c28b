/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_JSON_H
#define BINDEP_JSON_H

#include "bindep/buf.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

/*
 * Building a JSON document with cJSON, for the emitters. cJSON returns NULL
 * when out of memory; these helpers remember it in one flag, so that call
 * sites need not check each step: test failed once at the end.
 *
 * Invalid UTF-8 policy. JSON text is Unicode (RFC 8259 section 8.1) and cJSON
 * copies bytes without checking, while sonames, DT_NEEDED, RPATH, note
 * JSON, file names, package databases and online answers can hold any
 * bytes. Every string of a CycloneDX or SPDX document goes through the
 * helpers below, the one place the policy is applied:
 *  - each ill-formed part (bindep/utf8.h: overlong forms, surrogates, above
 *    U+10FFFF, truncated sequences, stray bytes) becomes U+FFFD;
 *  - while a component is being built (bd_json_raw_begin/_end), the bytes
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
 * Valid UTF-8 is written unchanged; control characters are escaped by cJSON.
 */
struct bd_json {
	bool failed;
	bool collecting;       /* between bd_json_raw_begin and _end */
	const char *raw_label; /* when set, names the raw of the next string */
	struct bd_buf raws;    /* "label\0encoded\0" pairs */
	struct bd_buf text;    /* the last replaced string */
};

/* Frees what j holds (not the document). */
void bd_json_release(struct bd_json *j);

/*
 * value under the policy: value itself when it is valid UTF-8 (or NULL),
 * else its replaced text, valid until the next call on j; while collecting,
 * the raw bytes are kept under label.
 */
const char *bd_json_text(struct bd_json *j, const char *label,
			 const char *value);

/*
 * A reference (a CycloneDX bom-ref, a dependency's ref): it must stay
 * unique, so ill-formed parts and '%' are percent-encoded instead of
 * replaced (bd_utf8_percent_invalid). A valid key without '%' is written
 * unchanged.
 */
void bd_json_add_ref(struct bd_json *j, cJSON *obj, const char *key,
		     const char *ref);
void bd_json_push_ref(struct bd_json *j, cJSON *array, const char *ref);

/* Starts keeping the raw bytes of replaced strings (for one component). */
void bd_json_raw_begin(struct bd_json *j);

/* Stops, and hands each kept raw to fn as ("bindep:raw-<field>", percent-
 * encoded bytes), in the order met. */
void bd_json_raw_end(struct bd_json *j,
		     void (*fn)(void *ctx, const char *name, const char *value),
		     void *ctx);

/* item, or NULL with failed set when item is NULL. */
cJSON *bd_json_check(struct bd_json *j, cJSON *item);

cJSON *bd_json_add_object(struct bd_json *j, cJSON *parent, const char *key);
cJSON *bd_json_add_array(struct bd_json *j, cJSON *parent, const char *key);

/* A new object appended to array. */
cJSON *bd_json_push_object(struct bd_json *j, cJSON *array);

/* A NULL value adds nothing. Strings follow the UTF-8 policy above. */
void bd_json_add_string(struct bd_json *j, cJSON *obj, const char *key,
			const char *value);
void bd_json_push_string(struct bd_json *j, cJSON *array, const char *value);
void bd_json_add_number(struct bd_json *j, cJSON *obj, const char *key,
			double value);
void bd_json_add_bool(struct bd_json *j, cJSON *obj, const char *key,
		      bool value);

/* Replaces the value of the string member key of obj. */
void bd_json_set_string(struct bd_json *j, cJSON *obj, const char *key,
			const char *value);

/* A version 5 UUID of the compact text of root: the same document, the
 * same UUID. Returns 0 or BD_ENOMEM. */
int bd_json_content_uuid(const cJSON *root, char out[37]);

/* Appends root, indented, and a newline to out. Returns 0 or BD_ENOMEM
 * (also when j->failed). */
int bd_json_print(struct bd_json *j, const cJSON *root, struct bd_buf *out);

#endif
