/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ARENA_H
#define BINDEP_ARENA_H

#include "bindep/common.h"

/*
 * A bump allocator for strings and small records that live as long as
 * their owner (a graph, a scan result). Nothing is freed one by one:
 * bd_arena_release() frees everything at once.
 */
struct bd_arena_block;

struct bd_arena {
	struct bd_arena_block *head;
};

void bd_arena_init(struct bd_arena *a);
void bd_arena_release(struct bd_arena *a);

/* Zeroed memory, aligned for any type; NULL when out of memory. */
void *bd_arena_alloc(struct bd_arena *a, size_t size);

/* Copies of strings; NULL when out of memory (or when s is NULL). */
char *bd_arena_strdup(struct bd_arena *a, const char *s);
/* A copy of the n bytes at s in a, NULL when n is 0: *out. True when out
 * of memory (for a part of an identity that may be empty). */
bool bd_arena_keep(struct bd_arena *a, const char *s, size_t n,
		   const char **out);
char *bd_arena_strndup(struct bd_arena *a, const char *s, size_t n);
char *bd_arena_printf(struct bd_arena *a, const char *fmt, ...) BD_PRINTF(2, 3);

#endif
