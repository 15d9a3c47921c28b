/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_INODES_H
#define BINDEP_INODES_H

#include "bindep/common.h"

#include <sys/types.h>

/*
 * Files by device and inode, to a uint32_t (a job, an index): open
 * addressing with linear probing. A table made by bd_inodes_init for n
 * keys takes n bd_inodes_put without growing; bd_inodes_add grows a table
 * (one all zeros too) to stay at most three quarters full. The hash is
 * keyed per process (a file system crafted to give colliding inodes
 * cannot aim at it) and cheap: a map of formatted "dev:ino" strings cost
 * an snprintf, a copy and a SipHash a file. Not locked.
 */
struct bd_inode_slot {
	dev_t dev;
	ino_t ino;
	uint32_t value; /* UINT32_MAX: free */
};

struct bd_inodes {
	struct bd_inode_slot *slots; /* NULL: empty */
	size_t mask;
	size_t count; /* keys bd_inodes_add added */
};

/* The process's hash key (set by bd_inodes_init). */
extern uint64_t bd_inodes_key[2];

int bd_inodes_init(struct bd_inodes *s, size_t n);
void bd_inodes_release(struct bd_inodes *s);
/* dev and ino set to value (not UINT32_MAX), growing as needed: 0 or
 * BD_ENOMEM (the table as it was). */
int bd_inodes_add(struct bd_inodes *s, dev_t dev, ino_t ino, uint32_t value);

/* The slot of dev and ino: theirs, or the free one where they would go. */
static inline size_t bd_inodes_slot(const struct bd_inodes *s, dev_t dev,
				    ino_t ino)
{
	uint64_t h =
		((uint64_t)ino ^ bd_inodes_key[0]) * 0x9e3779b97f4a7c15ull ^
		((uint64_t)dev ^ bd_inodes_key[1]) * 0xc2b2ae3d27d4eb4full;
	size_t i;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	for (i = (size_t)h & s->mask;
	     s->slots[i].value != UINT32_MAX &&
	     (s->slots[i].dev != dev || s->slots[i].ino != ino);
	     i = (i + 1) & s->mask)
		;
	return i;
}

/* Whether dev and ino are kept, and their value (value may be NULL). */
static inline bool bd_inodes_get(const struct bd_inodes *s, dev_t dev,
				 ino_t ino, uint32_t *value)
{
	const struct bd_inode_slot *e;

	if (!s->slots)
		return false;
	e = &s->slots[bd_inodes_slot(s, dev, ino)];
	if (e->value == UINT32_MAX)
		return false;
	if (value)
		*value = e->value;
	return true;
}

/* dev and ino set to value, in a table bd_inodes_init made for at least
 * as many keys as were put in it: never full. */
static inline void bd_inodes_put(struct bd_inodes *s, dev_t dev, ino_t ino,
				 uint32_t value)
{
	struct bd_inode_slot *e = &s->slots[bd_inodes_slot(s, dev, ino)];

	e->dev = dev;
	e->ino = ino;
	e->value = value;
}

#endif
