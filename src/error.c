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

static void set_va(struct bd_error *err, int code, const char *fmt, va_list ap)
{
	err->code = code;
	err->line = 0;
	err->col = 0;
	err->errnum = 0;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
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
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag->report(diag->ctx, level, msg);
}

int bd_error_prefix(struct bd_error *err, const char *name)
{
	char msg[BD_ERROR_MSG_MAX];
	struct bd_buf b = BD_BUF_INIT;

	if (!err)
		return BD_EFORMAT;
	memcpy(msg, err->msg, sizeof(msg));
	bd_buf_printf(&b, "'%s': %s", name, msg);
	/* Cut to fit, as bd_error_set does. */
	snprintf(err->msg, sizeof(err->msg), "%.*s",
		 (int)(sizeof(err->msg) - 1), bd_buf_str(&b));
	bd_buf_release(&b);
	return err->code;
}
