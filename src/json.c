/* SPDX-License-Identifier: MIT */
#include "bindep/json.h"
#include "bindep/emit.h"
#include "bindep/utf8.h"

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

void bd_json_release(struct bd_json *j)
{
	bd_buf_release(&j->raws);
	bd_buf_release(&j->text);
}

/* "bindep:runpath" keeps its raw as "bindep:raw-runpath", "name" as
 * "bindep:raw-name". */
static void keep_raw(struct bd_json *j, const char *label, const char *value)
{
	static const char prefix[] = "bindep:";

	if (!strncmp(label, prefix, sizeof(prefix) - 1))
		label += sizeof(prefix) - 1;
	bd_buf_adds(&j->raws, prefix);
	bd_buf_adds(&j->raws, "raw-");
	bd_buf_add(&j->raws, label, strlen(label) + 1);
	bd_utf8_percent(&j->raws, value, strlen(value));
	bd_buf_addc(&j->raws, '\0');
}

const char *bd_json_text(struct bd_json *j, const char *label,
			 const char *value)
{
	size_t len = value ? strlen(value) : 0;

	if (!value || bd_utf8_valid(value, len))
		return value;
	bd_buf_reset(&j->text);
	bd_utf8_sanitize(&j->text, value, len);
	if (j->collecting && label)
		keep_raw(j, label, value);
	if (!bd_buf_ok(&j->text) || !bd_buf_ok(&j->raws)) {
		j->failed = true;
		return NULL;
	}
	return j->text.data;
}

void bd_json_raw_begin(struct bd_json *j)
{
	bd_buf_reset(&j->raws);
	j->collecting = true;
}

void bd_json_raw_end(struct bd_json *j,
		     void (*fn)(void *ctx, const char *name, const char *value),
		     void *ctx)
{
	size_t at = 0;

	j->collecting = false;
	while (bd_buf_ok(&j->raws) && at < j->raws.len) {
		const char *name = j->raws.data + at;
		const char *value = name + strlen(name) + 1;

		at = (size_t)(value - j->raws.data) + strlen(value) + 1;
		fn(ctx, name, value);
	}
	bd_buf_reset(&j->raws);
}

static const char *label_of(const struct bd_json *j, const char *key)
{
	return j->raw_label ? j->raw_label : key;
}

void bd_json_add_string(struct bd_json *j, cJSON *obj, const char *key,
			const char *value)
{
	if (!value)
		return;
	value = bd_json_text(j, label_of(j, key), value);
	if (value)
		bd_json_check(j, cJSON_AddStringToObject(obj, key, value));
}

/* ref, valid UTF-8 and injective, or NULL when out of memory. */
static const char *ref_text(struct bd_json *j, const char *ref)
{
	bd_buf_reset(&j->text);
	if (!bd_utf8_percent_invalid(&j->text, ref, strlen(ref)))
		return ref;
	if (!bd_buf_ok(&j->text)) {
		j->failed = true;
		return NULL;
	}
	return j->text.data;
}

void bd_json_add_ref(struct bd_json *j, cJSON *obj, const char *key,
		     const char *ref)
{
	if (ref)
		ref = ref_text(j, ref);
	if (ref)
		bd_json_check(j, cJSON_AddStringToObject(obj, key, ref));
}

void bd_json_push_ref(struct bd_json *j, cJSON *array, const char *ref)
{
	cJSON *s;

	ref = ref ? ref_text(j, ref) : NULL;
	s = bd_json_check(j, cJSON_CreateString(ref));
	if (s && !cJSON_AddItemToArray(array, s)) {
		cJSON_Delete(s);
		j->failed = true;
	}
}

void bd_json_push_string(struct bd_json *j, cJSON *array, const char *value)
{
	cJSON *s;

	value = bd_json_text(j, label_of(j, array ? array->string : NULL),
			     value);
	s = bd_json_check(j, cJSON_CreateString(value));

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
	value = bd_json_text(j, label_of(j, key), value);
	if (!value ||
	    !cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(obj, key),
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
