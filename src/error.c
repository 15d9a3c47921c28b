/* SPDX-License-Identifier: MIT */
#include "bindep/error.h"

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
	err->msg[0] = '\0';
}

static void set_va(struct bd_error *err, int code, const char *fmt, va_list ap)
{
	err->code = code;
	err->line = 0;
	err->col = 0;
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
