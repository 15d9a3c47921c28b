/* SPDX-License-Identifier: MIT */
/*
 * The JSON payloads of the FDO notes: .note.package (UAPI spec 8, an
 * object) and .note.dlopen (UAPI spec 12, an array of objects). Each is
 * one JSON value and nothing else (bd_json_read_one): spec 8 and 12 have
 * a single object (array) as the string, and systemd-analyze and
 * dlopen-notes.py reject what follows it or a raw control character.
 */
#include "bindep/json_read.h"
#include "bindep/scan.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PACKAGE_FIELDS 64
#define MAX_SONAMES	   64

/* A value as text: strings as they are, anything else as compact JSON. */
static char *value_text(const cJSON *item, struct bd_arena *arena)
{
	char *printed, *copy;

	if (cJSON_IsString(item))
		return bd_arena_strdup(arena, item->valuestring);
	printed = cJSON_PrintUnformatted(item);
	if (!printed)
		return NULL;
	copy = bd_arena_strdup(arena, printed);
	cJSON_free(printed);
	return copy;
}

/* The spec's well-known keys: text, so a string or a number (spec 8's
 * numbers paragraph); null, true or an object names nothing. */
static bool well_known(const char *key)
{
	static const char *const keys[] = {
		"type",		"os",	 "osVersion", "name",	     "version",
		"architecture", "osCpe", "appCpe",    "debugInfoUrl"
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(keys); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/* Whether kv[0..n) has key already. */
static bool has_key(const struct bd_kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return true;
	return false;
}

/*
 * The fields kept from the object: the first of a name given twice (names
 * shall be unique, spec 8 after RFC 8259 section 4; identification reads
 * the first), and a well-known one only when it is text. *why says the
 * first field dropped, or stays NULL.
 */
static size_t package_fields(const cJSON *root, struct bd_arena *arena,
			     struct bd_kv *kv, const char **why,
			     const char **why_key)
{
	const cJSON *item;
	size_t n = 0;

	cJSON_ArrayForEach(item, root)
	{
		const char *problem = NULL;

		if (has_key(kv, n, item->string))
			problem = "twice";
		else if (well_known(item->string) && !cJSON_IsString(item) &&
			 !cJSON_IsNumber(item))
			problem = "not text";
		if (problem) {
			if (!*why) {
				*why = problem;
				*why_key = item->string;
			}
			continue;
		}
		kv[n].key = bd_arena_strdup(arena, item->string);
		kv[n].value = value_text(item, arena);
		if (!kv[n].key || !kv[n].value)
			return SIZE_MAX;
		n++;
	}
	return n;
}

int bd_note_parse_package(const char *json, size_t len, struct bd_arena *arena,
			  struct bd_kv **fields, size_t *nfields,
			  struct bd_error *err)
{
	const char *why = NULL, *why_key = NULL;
	cJSON *root;
	struct bd_kv *kv;
	size_t n = 0;
	int rc;

	rc = bd_json_read_one(json, len, "package note", 0, &root, err);
	if (rc)
		return rc;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return bd_error_set(err, BD_EFORMAT,
				    "package note is not a JSON object");
	}
	n = (size_t)cJSON_GetArraySize(root);
	if (n > MAX_PACKAGE_FIELDS) {
		cJSON_Delete(root);
		return bd_error_set(err, BD_EFORMAT,
				    "package note has %zu fields (limit %d)", n,
				    MAX_PACKAGE_FIELDS);
	}
	kv = bd_arena_alloc(arena, (n ? n : 1) * sizeof(*kv));
	n = kv ? package_fields(root, arena, kv, &why, &why_key) : SIZE_MAX;
	if (n == SIZE_MAX)
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	else if (why && !strcmp(why, "twice"))
		rc = bd_error_set(err, BD_EFORMAT,
				  "package note has \"%s\" twice, keeping the "
				  "first",
				  why_key);
	else if (why)
		rc = bd_error_set(err, BD_EFORMAT,
				  "package note's \"%s\" is neither a string "
				  "nor a number, ignoring it",
				  why_key);
	cJSON_Delete(root);
	if (rc == BD_ENOMEM)
		return rc;
	*fields = kv;
	*nfields = n;
	return rc;
}

/* An optional string member: NULL when absent, or (with *bad set) when
 * it is not a string. */
static const char *string_member(const cJSON *obj, const char *key,
				 struct bd_arena *arena, bool *bad)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!item)
		return NULL;
	if (!cJSON_IsString(item)) {
		*bad = true;
		return NULL;
	}
	return bd_arena_strdup(arena, item->valuestring);
}

static bool valid_priority(const char *p)
{
	return !strcmp(p, "required") || !strcmp(p, "recommended") ||
	       !strcmp(p, "suggested");
}

/* The entry's sonames, required: false when there is none to use. */
static bool entry_sonames(const cJSON *obj, struct bd_arena *arena,
			  struct bd_dlopen_entry *e, const char **why)
{
	const cJSON *sonames, *s;
	size_t n = 0;

	sonames = cJSON_GetObjectItemCaseSensitive(obj, "soname");
	if (!cJSON_IsArray(sonames) || cJSON_GetArraySize(sonames) < 1)
		return (*why = "has no \"soname\" array"), false;
	if (cJSON_GetArraySize(sonames) > MAX_SONAMES)
		return (*why = "has too many sonames"), false;
	e->sonames = bd_arena_alloc(arena, (size_t)cJSON_GetArraySize(sonames) *
						   sizeof(char *));
	if (!e->sonames)
		return (*why = "could not be stored: out of memory"), false;
	cJSON_ArrayForEach(s, sonames)
	{
		if (!cJSON_IsString(s) || !s->valuestring[0])
			return (*why = "has a soname that is not a "
				       "non-empty string"),
			       false;
		e->sonames[n] = bd_arena_strdup(arena, s->valuestring);
		if (!e->sonames[n])
			return (*why = "could not be stored: out of memory"),
			       false;
		n++;
	}
	e->nsonames = n;
	return true;
}

/*
 * The message for the first key the entry reads that the object repeats,
 * or NULL. Keys shall be unique (spec 12, after RFC 8259 section 4), but
 * readers differ on a repeated one (sd-json's by_key takes the first,
 * Python's json the last): cJSON's lookup takes the first, and so the
 * entry does. One pass over the keys, a hostile entry having thousands.
 */
static const char *repeated_key(const cJSON *obj)
{
	static const char *const keys[] = { "soname", "feature", "description",
					    "priority" };
	static const char *const said[] = {
		"has \"soname\" twice, keeping the first",
		"has \"feature\" twice, keeping the first",
		"has \"description\" twice, keeping the first",
		"has \"priority\" twice, keeping the first",
	};
	unsigned seen[BD_ARRAY_SIZE(keys)] = { 0 };
	const cJSON *item;
	size_t i;

	cJSON_ArrayForEach(item, obj)
	{
		for (i = 0; i < BD_ARRAY_SIZE(keys); i++)
			if (!strcmp(item->string, keys[i]) && seen[i]++)
				return said[i];
	}
	return NULL;
}

/*
 * Fills e from one array element; false when it is unusable. Only
 * "soname" is required (the spec's "Well-known keys"): an optional field
 * that is not a string is dropped, and a priority the spec does not list
 * taken as its default, "recommended", the entry kept (*why says so), as
 * systemd-analyze dlopen-metadata keeps it.
 */
static bool parse_dlopen_entry(const cJSON *obj, struct bd_arena *arena,
			       struct bd_dlopen_entry *e, const char **why)
{
	bool bad = false;

	if (!cJSON_IsObject(obj))
		return (*why = "is not an object"), false;
	*why = repeated_key(obj);
	if (!entry_sonames(obj, arena, e, why))
		return false;
	e->feature = string_member(obj, "feature", arena, &bad);
	e->description = string_member(obj, "description", arena, &bad);
	e->priority = string_member(obj, "priority", arena, &bad);
	if (bad)
		*why = "has a field that is not a string, ignoring it";
	if (e->priority && !valid_priority(e->priority)) {
		*why = "has an unknown priority, taken as \"recommended\"";
		e->priority = NULL;
	}
	if (!e->priority)
		e->priority = "recommended"; /* the spec's default */
	return true;
}

int bd_note_parse_dlopen(const char *json, size_t len, struct bd_elf_info *info,
			 struct bd_error *err)
{
	const char *why = NULL;
	cJSON *root, *item;
	size_t index = 0, bad_index = 0;
	int rc;

	rc = bd_json_read_one(json, len, "dlopen note", 0, &root, err);
	if (rc)
		return rc;
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return bd_error_set(err, BD_EFORMAT,
				    "dlopen note is not a JSON array");
	}
	cJSON_ArrayForEach(item, root)
	{
		struct bd_dlopen_entry e = { 0 };
		const char *this_why = NULL;

		index++;
		if (info->ndlopen >= BD_SCAN_MAX_DLOPEN_ENTRIES) {
			cJSON_Delete(root);
			return bd_error_set(err, BD_ELIMIT,
					    "more than %d dlopen note entries, "
					    "keeping the first %d",
					    BD_SCAN_MAX_DLOPEN_ENTRIES,
					    BD_SCAN_MAX_DLOPEN_ENTRIES);
		}
		if (parse_dlopen_entry(item, &info->arena, &e, &this_why)) {
			if (BD_GROW(info->dlopen, info->adlopen,
				    info->ndlopen + 1)) {
				cJSON_Delete(root);
				return bd_error_set(err, BD_ENOMEM,
						    "out of memory");
			}
			info->dlopen[info->ndlopen++] = e;
		}
		if (this_why && !why) {
			why = this_why;
			bad_index = index;
		}
	}
	cJSON_Delete(root);
	if (why)
		return bd_error_set(err, BD_EFORMAT, "dlopen note entry %zu %s",
				    bad_index, why);
	return 0;
}
