/* SPDX-License-Identifier: MIT */
#include "bindep/yaml.h"
#include "bindep/root.h"
#include "bindep/common.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* libcyaml's type names, which start some of its messages in capitals:
 * "STRING length < 1", "Invalid INT value". */
static const char *const type_words[] = {
	"STRING", "INT",      "UINT",	 "FLOAT",    "BOOL",  "ENUM",
	"FLAGS",  "BITFIELD", "MAPPING", "SEQUENCE", "ALIAS",
};

void bd_yaml_tidy_message(char *msg)
{
	size_t word = strcspn(msg, " :"), i;

	for (i = 0; i < BD_ARRAY_SIZE(type_words); i++) {
		if (strlen(type_words[i]) == word &&
		    !strncmp(msg, type_words[i], word)) {
			for (i = 0; i < word; i++)
				msg[i] = (char)tolower((unsigned char)msg[i]);
			return;
		}
	}
	/* "Unexpected key" reads "unexpected key"; an acronym ("YAML") or a
	 * name of the user's stays as it is. */
	for (i = 1; i < word; i++) {
		if (!islower((unsigned char)msg[i]))
			return;
	}
	if (word > 1 && isupper((unsigned char)msg[0]))
		msg[0] = (char)tolower((unsigned char)msg[0]);
}

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
	/* "STRING length < 1: " names an empty value: end at the number. */
	while (len && strchr("\n.: ", log->msg[len - 1]))
		log->msg[--len] = '\0';
	/* Project style: messages start lowercase. */
	bd_yaml_tidy_message(log->msg);
}

cyaml_config_t bd_yaml_config(struct bd_yaml_log *log, cyaml_cfg_flags_t flags)
{
	cyaml_config_t cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.log_fn = capture_log;
	cfg.log_ctx = log;
	cfg.mem_fn = cyaml_mem;
	cfg.log_level = CYAML_LOG_ERROR;
	cfg.flags = flags | CYAML_CFG_NO_ALIAS;
	return cfg;
}

int bd_yaml_read(const char *path, char **text, size_t *len,
		 struct bd_error *err)
{
	/* "'x.yml': larger than 4 MiB", "'x.yml': a FIFO", ... */
	return bd_root_read(NULL, path, 0, BD_YAML_MAX_SIZE, text, len, err);
}

/*
 * libcyaml places a refused alias at the node around it: find the alias
 * itself with libyaml's parser (events only, nothing is expanded).
 */
static void place_alias(const char *text, size_t len, unsigned *line,
			unsigned *col)
{
	yaml_parser_t parser;
	yaml_event_t event;
	bool done = false;

	if (!text || !yaml_parser_initialize(&parser))
		return;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && yaml_parser_parse(&parser, &event)) {
		if (event.type == YAML_ALIAS_EVENT) {
			*line = (unsigned)event.start_mark.line + 1;
			*col = (unsigned)event.start_mark.column + 1;
		}
		done = event.type == YAML_ALIAS_EVENT ||
		       event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
}

/*
 * Line and column (from 1, in characters as libyaml counts them) of byte
 * offset in text: \n, \r\n and a lone \r each end a line.
 */
static void offset_to_mark(const char *text, size_t offset, unsigned *line,
			   unsigned *col)
{
	size_t i;

	*line = *col = 1;
	for (i = 0; i < offset; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n' || (c == '\r' && text[i + 1] != '\n')) {
			++*line;
			*col = 1;
		} else if ((c & 0xC0) != 0x80 && c != '\r') {
			++*col;
		}
	}
}

/*
 * libcyaml gives no position for an error of libyaml's reader (invalid
 * UTF-8, a control character) or scanner: parse again up to the error and
 * take libyaml's own, the byte offset of a reader error or the mark of
 * any other. Nothing is expanded: events only.
 */
static void place_problem(const char *text, size_t len, unsigned *line,
			  unsigned *col)
{
	yaml_parser_t parser;
	yaml_event_t event;
	bool done = false;

	if (!text || !yaml_parser_initialize(&parser))
		return;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event))
			break;
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	if (parser.error == YAML_READER_ERROR && parser.problem_offset <= len) {
		offset_to_mark(text, parser.problem_offset, line, col);
	} else if (parser.error != YAML_NO_ERROR) {
		*line = (unsigned)parser.problem_mark.line + 1;
		*col = (unsigned)parser.problem_mark.column + 1;
	}
	yaml_parser_delete(&parser);
}

int bd_yaml_error(const char *path, const char *text, size_t len, cyaml_err_t e,
		  const struct bd_yaml_log *log, struct bd_error *err)
{
	const char *why = log->msg[0] ? log->msg : cyaml_strerror(e);
	unsigned line = log->line, col = log->col;
	int rc;

	if (e == CYAML_ERR_OOM)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (e == CYAML_ERR_ALIAS) {
		why = "YAML aliases are not allowed";
		place_alias(text, len, &line, &col);
	}
	if (!line)
		place_problem(text, len, &line, &col);
	/* A position libyaml cannot give is left out, never shown as 0:0. */
	if (line)
		rc = bd_error_set(err, BD_EFORMAT, "'%s:%u:%u': %s", path, line,
				  col, why);
	else
		rc = bd_error_set(err, BD_EFORMAT, "'%s': %s", path, why);
	if (err) {
		err->line = line;
		err->col = col;
	}
	return rc;
}

const char *bd_yaml_next_line(const char *p)
{
	p += strcspn(p, "\n");
	return *p ? p + 1 : p;
}

bool bd_yaml_key_at(const char *p, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(p, key, n) && p[n] == ':';
}
