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
 */
struct bd_json {
	bool failed;
};

/* item, or NULL with failed set when item is NULL. */
cJSON *bd_json_check(struct bd_json *j, cJSON *item);

cJSON *bd_json_add_object(struct bd_json *j, cJSON *parent, const char *key);
cJSON *bd_json_add_array(struct bd_json *j, cJSON *parent, const char *key);

/* A new object appended to array. */
cJSON *bd_json_push_object(struct bd_json *j, cJSON *array);

/* A NULL value adds nothing. */
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
