/* SPDX-License-Identifier: MIT */
/* Files by device and inode (bindep/inodes.h). */
#include "bindep/inodes.h"
#include "bindep/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t bd_inodes_key[2];

static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* From the kernel's generator; without it (an old kernel, a seccomp
 * filter), from the clock and the process: weaker, never fixed. */
static void make_key(void)
{
	struct timespec t;

	if (getrandom(bd_inodes_key, sizeof(bd_inodes_key), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(bd_inodes_key))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	bd_inodes_key[0] ^= (uint64_t)t.tv_nsec * 0x9e3779b97f4a7c15ull ^
			    (uint64_t)(uintptr_t)&t;
	bd_inodes_key[1] ^= (uint64_t)t.tv_sec << 32 ^ (uint64_t)getpid();
}

int bd_inodes_init(struct bd_inodes *s, size_t n)
{
	size_t cap = 16, i;

	pthread_once(&key_once, make_key);
	while (cap < 2 * n && cap < SIZE_MAX / 4 / sizeof(*s->slots))
		cap <<= 1;
	s->mask = cap - 1;
	s->count = 0;
	s->slots = malloc(cap * sizeof(*s->slots));
	if (!s->slots)
		return BD_ENOMEM;
	for (i = 0; i < cap; i++)
		s->slots[i].value = UINT32_MAX;
	return 0;
}

void bd_inodes_release(struct bd_inodes *s)
{
	free(s->slots);
	s->slots = NULL;
	s->mask = s->count = 0;
}

/* Twice the slots, the keys moved over. */
static int grow(struct bd_inodes *s)
{
	struct bd_inodes big;
	size_t i;

	if (s->mask >= SIZE_MAX / 8 / sizeof(*s->slots) ||
	    bd_inodes_init(&big, s->mask + 1))
		return BD_ENOMEM;
	for (i = 0; i <= s->mask; i++)
		if (s->slots[i].value != UINT32_MAX)
			bd_inodes_put(&big, s->slots[i].dev, s->slots[i].ino,
				      s->slots[i].value);
	big.count = s->count;
	free(s->slots);
	*s = big;
	return 0;
}

/* Three quarters full at most: twice the room would add a sixth of a KiB
 * to each component's peak memory on a root whose files are hard links,
 * as every file of this host's images is. */
int bd_inodes_add(struct bd_inodes *s, dev_t dev, ino_t ino, uint32_t value)
{
	struct bd_inode_slot *e;

	if (value == UINT32_MAX)
		return BD_ENOMEM; /* no room for it: it means free */
	if (!s->slots && bd_inodes_init(s, 1))
		return BD_ENOMEM;
	if (4 * (s->count + 1) > 3 * (s->mask + 1) && grow(s))
		return BD_ENOMEM;
	e = &s->slots[bd_inodes_slot(s, dev, ino)];
	if (e->value == UINT32_MAX)
		s->count++;
	e->dev = dev;
	e->ino = ino;
	e->value = value;
	return 0;
}
