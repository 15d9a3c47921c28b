/* SPDX-License-Identifier: MIT */
#include "bindep/error.h"
#include "bindep/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bd_error_clear(struct bd_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->line = 0;
	err->col = 0;
	err->errnum = 0;
	err->msg[0] = '\0';
}

/*
 * Room kept free when a path is elided, for what callers add after the
 * message is made: bd_error_errno's ": <strerror>", a ", not read", the
 * "'file': " of bd_error_prefix.
 */
#define ELIDE_SLACK 96
/* The least of a path kept around the ellipsis, however long the reason. */
#define ELIDE_MIN_KEEP 32
#define ELLIPSIS       "\xe2\x80\xa6" /* U+2026 "…" in UTF-8 */

/* Backs up from pos to the start of a UTF-8 character of s. */
static size_t char_start(const char *s, size_t pos)
{
	while (pos && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos--;
	return pos;
}

/*
 * "'path'" + rest into out (size bytes). A message that would not fit is
 * not cut at its end, where its reason is: the path loses its middle
 * instead ("'/deep/dd…dd/x': directories nested too deep, not entered"),
 * so that the file's start and end, the closing quote and the reason stay.
 */
static void quote_path(char *out, size_t size, const char *path,
		       const char *rest)
{
	size_t plen = strlen(path), rlen = strlen(rest), keep, head, tail;

	if (plen + rlen + 2 < size || size < 2 * ELIDE_SLACK) {
		snprintf(out, size, "'%s'%s", path, rest);
		return;
	}
	keep = size - 1 - ELIDE_SLACK - 2 - (sizeof(ELLIPSIS) - 1);
	keep = rlen + ELIDE_MIN_KEEP < keep ? keep - rlen : ELIDE_MIN_KEEP;
	if (plen <= keep) { /* the reason alone is too long: cut at the end */
		snprintf(out, size, "'%s'%s", path, rest);
		return;
	}
	head = char_start(path, keep / 2);
	tail = char_start(path, plen - (keep - keep / 2));
	if (tail < head)
		tail = head;
	snprintf(out, size, "'%.*s" ELLIPSIS "%s'%s", (int)head, path,
		 path + tail, rest);
}

/* vsnprintf, but a format that starts with "'%s'" (a file named first, as
 * the house style asks) has its path elided to fit (quote_path). */
static void format_msg(char *out, size_t size, const char *fmt, va_list ap)
{
	struct bd_buf rest = BD_BUF_INIT;
	const char *path;
	va_list cp;
	int n;

	if (strncmp(fmt, "'%s'", 4) != 0) {
		vsnprintf(out, size, fmt, ap);
		return;
	}
	va_copy(cp, ap);
	path = va_arg(cp, const char *);
	n = vsnprintf(NULL, 0, fmt + 4, cp);
	va_end(cp);
	if (n >= 0 &&
	    !bd_grow((void **)&rest.data, &rest.alloc, (size_t)n + 1, 1)) {
		va_copy(cp, ap);
		(void)va_arg(cp, const char *);
		vsnprintf(rest.data, (size_t)n + 1, fmt + 4, cp);
		va_end(cp);
		quote_path(out, size, path ? path : "(null)", rest.data);
	} else {
		vsnprintf(out, size, fmt, ap);
	}
	bd_buf_release(&rest);
}

static void set_va(struct bd_error *err, int code, const char *fmt, va_list ap)
{
	err->code = code;
	err->line = 0;
	err->col = 0;
	err->errnum = 0;
	format_msg(err->msg, sizeof(err->msg), fmt, ap);
}

const char *bd_error_reason(const char *msg)
{
	const char *end = msg[0] == '\'' ? strstr(msg, "': ") : NULL;

	return end ? end + 3 : msg;
}

int bd_error_set(struct bd_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	set_va(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int bd_error_errno(struct bd_error *err, int code, int errnum, const char *fmt,
		   ...)
{
	va_list ap;
	size_t len;

	if (!err)
		return code;
	va_start(ap, fmt);
	set_va(err, code, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s",
		 strerror(errnum));
	err->errnum = errnum;
	return code;
}

void bd_diag_report(const struct bd_diag *diag, enum bd_diag_level level,
		    const char *fmt, ...)
{
	char msg[BD_ERROR_MSG_MAX];
	va_list ap;

	if (!diag || !diag->report)
		return;
	va_start(ap, fmt);
	format_msg(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag->report(diag->ctx, level, msg);
}

int bd_error_prefix(struct bd_error *err, const char *name)
{
	char msg[BD_ERROR_MSG_MAX + 2];

	if (!err)
		return BD_EFORMAT;
	/* The reason kept whole: name is elided to fit, as everywhere. */
	snprintf(msg, sizeof(msg), ": %s", err->msg);
	quote_path(err->msg, sizeof(err->msg), name, msg);
	return err->code;
}

void bd_diag_failure(const struct bd_diag *diag, const struct bd_error *e,
		     const char *then)
{
	if (e->errnum)
		bd_diag_report(diag, BD_DIAG_WARNING, "%s", e->msg);
	else
		bd_diag_report(diag, BD_DIAG_WARNING, "%s, %s", e->msg, then);
}
