/* SPDX-License-Identifier: MIT */
#include "bindep/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bd_buf_init(struct bd_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->oom = false;
}

void bd_buf_release(struct bd_buf *b)
{
	free(b->data);
	bd_buf_init(b);
}

void bd_buf_reset(struct bd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	b->oom = false;
}

/* A buffer's first room: most hold a path or a line, and growing from
 * bd_grow's 8 bytes took four or five reallocs to get there (a fifth of
 * the walk's instructions were malloc's, issue 13). */
#define FIRST_ROOM 128u

static bool reserve(struct bd_buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (!b->alloc && extra < FIRST_ROOM - 1)
		extra = FIRST_ROOM - 1;
	if (extra > SIZE_MAX - b->len - 1 ||
	    bd_grow((void **)&b->data, &b->alloc, b->len + extra + 1, 1)) {
		b->oom = true;
		return false;
	}
	return true;
}

void bd_buf_add(struct bd_buf *b, const void *data, size_t len)
{
	if (!reserve(b, len))
		return;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void bd_buf_adds(struct bd_buf *b, const char *s)
{
	bd_buf_add(b, s, strlen(s));
}

void bd_buf_addc(struct bd_buf *b, char c)
{
	bd_buf_add(b, &c, 1);
}

void bd_buf_add_csv_field(struct bd_buf *b, const char *s, const char *lead)
{
	const char *p;

	if (!lead && !strpbrk(s, ",\"\r\n")) {
		bd_buf_adds(b, s);
		return;
	}
	bd_buf_addc(b, '"');
	if (lead)
		bd_buf_adds(b, lead);
	for (p = s; *p; p++) {
		if (*p == '"')
			bd_buf_addc(b, '"');
		bd_buf_addc(b, *p);
	}
	bd_buf_addc(b, '"');
}

bool bd_buf_reserve(struct bd_buf *b, size_t extra)
{
	return reserve(b, extra);
}

/* Formatted once into the room the buffer has, the common case, and
 * again only when the text did not fit. */
void bd_buf_printf(struct bd_buf *b, const char *fmt, ...)
{
	size_t room = b->data && !b->oom ? b->alloc - b->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->data[b->len] = '\0'; /* what did not fit is dropped */
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

bool bd_buf_ok(const struct bd_buf *b)
{
	return !b->oom;
}

const char *bd_buf_str(const struct bd_buf *b)
{
	return b->data ? b->data : "";
}

char *bd_buf_detach(struct bd_buf *b, size_t *len)
{
	char *p;

	if (!b->data && reserve(b, 0))
		b->data[0] = '\0';
	if (b->oom) {
		bd_buf_release(b);
		return NULL;
	}
	p = b->data;
	/* Kept by the caller: no more room than it holds (a buffer's first
	 * room is FIRST_ROOM). A failed shrink keeps the larger block. */
	if (b->alloc > b->len + 1) {
		char *fit = realloc(p, b->len + 1);

		if (fit)
			p = fit;
	}
	if (len)
		*len = b->len;
	bd_buf_init(b);
	return p;
}

void bd_buf_add_hex(struct bd_buf *b, const unsigned char *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (len > SIZE_MAX / 2 || !reserve(b, len * 2))
		return;
	for (i = 0; i < len; i++) {
		b->data[b->len++] = digits[bytes[i] >> 4];
		b->data[b->len++] = digits[bytes[i] & 0xf];
	}
	b->data[b->len] = '\0';
}
