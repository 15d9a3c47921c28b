/* SPDX-License-Identifier: MIT */
#include "bindep/json.h"
#include "bindep/emit.h"

#include <string.h>

cJSON *bd_json_check(struct bd_json *j, cJSON *item)
{
	if (!item)
		j->failed = true;
	return item;
}

cJSON *bd_json_add_object(struct bd_json *j, cJSON *parent, const char *key)
{
	return bd_json_check(j, cJSON_AddObjectToObject(parent, key));
}

cJSON *bd_json_add_array(struct bd_json *j, cJSON *parent, const char *key)
{
	return bd_json_check(j, cJSON_AddArrayToObject(parent, key));
}

cJSON *bd_json_push_object(struct bd_json *j, cJSON *array)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddItemToArray(array, o)) {
		cJSON_Delete(o);
		j->failed = true;
		return NULL;
	}
	return o;
}

void bd_json_add_string(struct bd_json *j, cJSON *obj, const char *key,
			const char *value)
{
	if (value)
		bd_json_check(j, cJSON_AddStringToObject(obj, key, value));
}

void bd_json_push_string(struct bd_json *j, cJSON *array, const char *value)
{
	cJSON *s = bd_json_check(j, cJSON_CreateString(value));

	if (s && !cJSON_AddItemToArray(array, s)) {
		cJSON_Delete(s);
		j->failed = true;
	}
}

void bd_json_add_number(struct bd_json *j, cJSON *obj, const char *key,
			double value)
{
	bd_json_check(j, cJSON_AddNumberToObject(obj, key, value));
}

void bd_json_add_bool(struct bd_json *j, cJSON *obj, const char *key,
		      bool value)
{
	bd_json_check(j, cJSON_AddBoolToObject(obj, key, value));
}

void bd_json_set_string(struct bd_json *j, cJSON *obj, const char *key,
			const char *value)
{
	if (!cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(obj, key),
				  value))
		j->failed = true;
}

int bd_json_content_uuid(const cJSON *root, char out[37])
{
	char *text = cJSON_PrintUnformatted(root);
	int rc;

	if (!text)
		return BD_ENOMEM;
	rc = bd_emit_uuid5(text, strlen(text), out);
	cJSON_free(text);
	return rc;
}

int bd_json_print(struct bd_json *j, const cJSON *root, struct bd_buf *out)
{
	char *text = j->failed ? NULL : cJSON_Print(root);

	if (!text)
		return BD_ENOMEM;
	bd_buf_adds(out, text);
	bd_buf_addc(out, '\n');
	cJSON_free(text);
	return bd_buf_ok(out) ? 0 : BD_ENOMEM;
}
