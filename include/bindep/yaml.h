/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_YAML_H
#define BINDEP_YAML_H

#include <cyaml/cyaml.h>

/*
 * What libcyaml says of a document that does not load: it logs the problem,
 * then a backtrace whose first entry is the innermost node, "(line: L,
 * column: C)". We keep the first message (lowercased, without libcyaml's
 * prefixes) and the first position, for "file:line:col: problem".
 */
struct bd_yaml_log {
	char msg[256];
	unsigned line, col;
};

/* A libcyaml configuration that logs errors into log. */
cyaml_config_t bd_yaml_config(struct bd_yaml_log *log, cyaml_cfg_flags_t flags);

#endif
