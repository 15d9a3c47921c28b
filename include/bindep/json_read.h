/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_JSON_READ_H
#define BINDEP_JSON_READ_H

#include "bindep/error.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/*
 * The JSON text an ELF file carries (the FDO notes, cargo-auditable's
 * dependency list), read strictly with cJSON: one value and nothing else
 * around it but RFC 8259's whitespace, as systemd's sd-json and serde_json
 * read it. cJSON takes more than JSON: a raw control character in a
 * string (RFC 8259 section 7 forbids it) and "\u0000", which would end a
 * C string early and make "libx.so.1\u0000y" "libx.so.1"; both are
 * refused here.
 *
 * max_values (0: no limit) bounds what cJSON allocates for hostile text,
 * some 64 bytes per value ("[0,0,0,...]" is two bytes of text each): the
 * text is counted before it is parsed, and one of more values is refused
 * with BD_ELIMIT.
 *
 * Returns 0 with *out the parsed value (cJSON_Delete it); BD_EFORMAT or
 * BD_ELIMIT with err saying why ("<what> is not valid JSON (at byte 12)"),
 * *out untouched. BD_ENOMEM is reported as not valid JSON: cJSON does not
 * tell the two apart.
 */
int bd_json_read_one(const char *json, size_t len, const char *what,
		     size_t max_values, cJSON **out, struct bd_error *err);

#endif
