/* SPDX-License-Identifier: MIT */
#include "bindep/yaml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt,
			va_list args)
{
	struct bd_yaml_log *log = ctx;
	char text[512];
	const char *pos, *p;
	size_t len;

	if (level < CYAML_LOG_ERROR)
		return;
	vsnprintf(text, sizeof(text), fmt, args);
	pos = strstr(text, "(line: ");
	if (pos && !log->line) {
		if (sscanf(pos, "(line: %u, column: %u)", &log->line,
			   &log->col) != 2)
			log->line = log->col = 0;
		return;
	}
	if (log->msg[0] || pos || strstr(text, "Backtrace"))
		return;
	p = !strncmp(text, "Load: ", 6) ? text + 6 : text;
	if (!strncmp(p, "libyaml: ", 9))
		p += 9;
	len = strlen(p);
	if (len >= sizeof(log->msg))
		len = sizeof(log->msg) - 1;
	memcpy(log->msg, p, len);
	log->msg[len] = '\0';
	while (len && (log->msg[len - 1] == '\n' || log->msg[len - 1] == '.'))
		log->msg[--len] = '\0';
	/* Project style: messages start lowercase. */
	log->msg[0] = (char)tolower((unsigned char)log->msg[0]);
}

cyaml_config_t bd_yaml_config(struct bd_yaml_log *log, cyaml_cfg_flags_t flags)
{
	cyaml_config_t cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.log_fn = capture_log;
	cfg.log_ctx = log;
	cfg.mem_fn = cyaml_mem;
	cfg.log_level = CYAML_LOG_ERROR;
	cfg.flags = flags;
	return cfg;
}
