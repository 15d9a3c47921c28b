/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_YAML_H
#define BINDEP_YAML_H

#include "bindep/error.h"

#include <cyaml/cyaml.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A YAML file larger than this is refused: the biggest shipped mapping file
 * is a few KiB, a purl-registry package.yml a few hundred bytes.
 */
#define BD_YAML_MAX_SIZE (4u * 1024u * 1024u)

/*
 * What libcyaml says of a document that does not load: it logs the problem,
 * then a backtrace whose first entry is the innermost node, "(line: L,
 * column: C)". We keep the first message (without libcyaml's prefixes, its
 * first word lowercased when that is an ordinary word or one of libcyaml's
 * type names, as in "string length < 1") and the first position, for
 * "file:line:col: problem".
 */
struct bd_yaml_log {
	char msg[256];
	unsigned line, col;
};

/*
 * A libcyaml configuration that logs errors into log. Aliases are always
 * refused (CYAML_CFG_NO_ALIAS): libcyaml expands each alias by replaying
 * its anchor's events, so a 185 KB "billion laughs" file grows to gigabytes;
 * no mapping or registry file needs them.
 */
cyaml_config_t bd_yaml_config(struct bd_yaml_log *log, cyaml_cfg_flags_t flags);

/* Lowercases the first word of a libcyaml message in place, when it is a
 * capitalised ordinary word ("Unexpected") or a type name ("STRING"). */
void bd_yaml_tidy_message(char *msg);

/*
 * Reads path (bd_root_read(), root.h: never blocks on a FIFO or opens a
 * device) into a malloc'd, NUL-terminated text. Returns 0, BD_ENOENT,
 * BD_EIO when it cannot be read (err: "'path': why"), BD_ELIMIT when it
 * is larger than BD_YAML_MAX_SIZE, BD_ENOMEM.
 */
int bd_yaml_read(const char *path, char **text, size_t *len,
		 struct bd_error *err);

/* The start of the line after the one p is on (its end at the last). */
const char *bd_yaml_next_line(const char *p);

/* Whether the text at p starts with "key:", a mapping's key as block
 * YAML writes it. */
bool bd_yaml_key_at(const char *p, const char *key);

/*
 * The error of a document (text, len bytes) that did not load:
 * "'path:line:col': problem" with err->line and err->col set, or
 * BD_ENOMEM. An alias gives "'path:line:col': YAML aliases are not
 * allowed", placed at the first alias of text. An error libcyaml does not
 * place (libyaml's reader: invalid UTF-8, a control character) is placed
 * by parsing text again; where nothing can say, "'path': problem" (and
 * err->line 0), never a made-up 0:0.
 */
int bd_yaml_error(const char *path, const char *text, size_t len, cyaml_err_t e,
		  const struct bd_yaml_log *log, struct bd_error *err);

#endif
