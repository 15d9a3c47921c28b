/* SPDX-License-Identifier: MIT */
#include "bindep/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blocks grow from FIRST_BLOCK to BLOCK_SIZE: most arenas (one per scanned
 * file) hold a few hundred bytes, a graph's holds megabytes. A scanned
 * file's holds 96 bytes (the median of a Debian root's 1,394; 208 at the
 * 90th percentile, 608 at the 99th), and is kept from its read until the
 * merge: a first block of 512 bytes left 160 KB of a small root's peak
 * unused (issue 13). */
#define FIRST_BLOCK 256u
#define BLOCK_SIZE  (32u * 1024u)
#define ALIGNMENT   (_Alignof(max_align_t))

struct bd_arena_block {
	struct bd_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

void bd_arena_init(struct bd_arena *a)
{
	a->head = NULL;
}

void bd_arena_release(struct bd_arena *a)
{
	struct bd_arena_block *b = a->head;

	while (b) {
		struct bd_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

static struct bd_arena_block *new_block(size_t size)
{
	struct bd_arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

void *bd_arena_alloc(struct bd_arena *a, size_t size)
{
	struct bd_arena_block *b = a->head;
	size_t rounded;
	void *p;

	if (size > SIZE_MAX - ALIGNMENT)
		return NULL;
	rounded = (size + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
	if (!b || b->size - b->used < rounded) {
		/* Large requests get a block of their own, behind the head so
		 * that the head's free space is not wasted. */
		size_t next =
			b ? (b->size < BLOCK_SIZE ? b->size * 2 : BLOCK_SIZE)
			  : FIRST_BLOCK;
		bool own = rounded > next / 4;
		size_t bsize = own ? rounded : next;
		struct bd_arena_block *nb = new_block(bsize);

		if (!nb)
			return NULL;
		if (b && own) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	p = (char *)b->data + b->used;
	b->used += rounded;
	memset(p, 0, size);
	return p;
}

char *bd_arena_strndup(struct bd_arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = bd_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *bd_arena_strdup(struct bd_arena *a, const char *s)
{
	if (!s)
		return NULL;
	return bd_arena_strndup(a, s, strlen(s));
}

bool bd_arena_keep(struct bd_arena *a, const char *s, size_t n,
		   const char **out)
{
	*out = n ? bd_arena_strndup(a, s, n) : NULL;
	return n && !*out;
}

char *bd_arena_printf(struct bd_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = bd_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
