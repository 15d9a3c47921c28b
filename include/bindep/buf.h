/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_BUF_H
#define BINDEP_BUF_H

#include "bindep/common.h"

/*
 * A growable, always NUL-terminated byte buffer. An allocation failure is
 * sticky: later appends do nothing and bd_buf_ok() says false, so that a
 * caller can build a whole string and check once.
 */
struct bd_buf {
	char *data;
	size_t len, alloc;
	bool oom;
};

#define BD_BUF_INIT                                                            \
	{                                                                      \
		NULL, 0, 0, false                                              \
	}

void bd_buf_init(struct bd_buf *b);
void bd_buf_release(struct bd_buf *b);
void bd_buf_reset(struct bd_buf *b);
void bd_buf_add(struct bd_buf *b, const void *data, size_t len);
void bd_buf_adds(struct bd_buf *b, const char *s);
/* s as a CSV field (RFC 4180): in quotes, "" for a quote, when it holds a
 * comma, a quote or a line end, or when lead (NULL: none) is given to go
 * first inside them; else as it is. */
void bd_buf_add_csv_field(struct bd_buf *b, const char *s, const char *lead);
void bd_buf_addc(struct bd_buf *b, char c);
void bd_buf_printf(struct bd_buf *b, const char *fmt, ...) BD_PRINTF(2, 3);
bool bd_buf_ok(const struct bd_buf *b);

/* Room for extra more bytes after len (and the NUL), for a caller that
 * writes into data itself, then moves len and puts the NUL back. False
 * after an allocation failure. */
bool bd_buf_reserve(struct bd_buf *b, size_t extra);

/* The contents as a string ("" for an empty buffer, never NULL). */
const char *bd_buf_str(const struct bd_buf *b);

/* Hands the malloc'd contents to the caller (who frees them) and resets b.
 * NULL after an allocation failure. */
char *bd_buf_detach(struct bd_buf *b, size_t *len);

/* Lowercase hex of len bytes. */
void bd_buf_add_hex(struct bd_buf *b, const unsigned char *bytes, size_t len);

#endif
