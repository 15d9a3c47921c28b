/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ERROR_H
#define BINDEP_ERROR_H

#include "bindep/common.h"

/* Error codes: functions that can fail return 0 or one of these. */
enum {
	BD_OK = 0,
	BD_ENOMEM = -1,	 /* out of memory */
	BD_EIO = -2,	 /* a file could not be opened, read or written */
	BD_EFORMAT = -3, /* the input is malformed */
	BD_ENOTELF =
		-4, /* the file is not an ELF file (not an error for walks) */
	BD_EUSAGE = -5, /* bad command line */
	BD_ELIMIT = -6, /* a size or count limit was hit */
	BD_ENOENT = -7, /* no such file */
};

#define BD_ERROR_MSG_MAX 512

/*
 * The error of the last failed call, filled by the callee. Messages follow
 * the project style: lowercase, the file in quotes first, then the problem:
 * "'dist/libx.so': section headers beyond end of file".
 */
struct bd_error {
	int code;
	unsigned line, col; /* for text inputs, 1-based; 0 when unknown */
	int errnum;	    /* the errno behind it, 0 when none */
	char msg[BD_ERROR_MSG_MAX];
};

void bd_error_clear(struct bd_error *err);

/* Sets err (if not NULL) and returns code, so that callers can write
 * `return bd_error_set(err, BD_EFORMAT, "...")`. */
int bd_error_set(struct bd_error *err, int code, const char *fmt, ...)
	BD_PRINTF(3, 4);

/* Like bd_error_set, appending ": <strerror(errnum)>". */
int bd_error_errno(struct bd_error *err, int code, int errnum, const char *fmt,
		   ...) BD_PRINTF(4, 5);

/* Puts "'name': " before err's message (when err is not NULL) and returns
 * err->code: for a parser's message that does not name its file. */
int bd_error_prefix(struct bd_error *err, const char *name);

/* The reason of a message "'name': reason", to say it under the name the
 * user knows the file by: what follows the first "': ", or the message
 * whole when it names no file. */
const char *bd_error_reason(const char *msg);

/* Diagnostics: how stages report problems that do not stop them. */
enum bd_diag_level {
	BD_DIAG_WARNING,
	BD_DIAG_INFO, /* shown with -v */
};

struct bd_diag {
	void (*report)(void *ctx, enum bd_diag_level level, const char *msg);
	void *ctx;
};

/* Formats and reports a message; does nothing when diag or its callback
 * is NULL. */
void bd_diag_report(const struct bd_diag *diag, enum bd_diag_level level,
		    const char *fmt, ...) BD_PRINTF(3, 4);

/* Warns of a file that could not be read (e), and then what follows
 * ("using ld.so.conf instead"). A failure of the system (e->errnum set:
 * cannot open, cannot read) is said alone, in the words the walk of a
 * root says it in, so that the two say it once between them. */
void bd_diag_failure(const struct bd_diag *diag, const struct bd_error *e,
		     const char *then);

#endif
