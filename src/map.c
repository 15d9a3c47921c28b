/* SPDX-License-Identifier: MIT */
#include "bindep/map.h"
#include "bindep/error.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a: short keys (sonames, paths), no adversary can make us slow
 * enough to matter at the sizes we cap inputs to. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

void bd_map_init(struct bd_map *m)
{
	m->slots = NULL;
	m->count = 0;
	m->cap = 0;
}

void bd_map_release(struct bd_map *m)
{
	free(m->slots);
	bd_map_init(m);
}

static struct bd_map_slot *find_slot(struct bd_map_slot *slots, size_t cap,
				     const char *key)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);

	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int rehash(struct bd_map *m, size_t cap)
{
	struct bd_map_slot *slots = calloc(cap, sizeof(*slots));
	size_t i;

	if (!slots)
		return BD_ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key)
			*find_slot(slots, cap, m->slots[i].key) = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int bd_map_put(struct bd_map *m, const char *key, uint32_t value)
{
	struct bd_map_slot *slot;

	/* Keep the load under 3/4. */
	if ((m->count + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 64;

		if (cap < m->cap || rehash(m, cap))
			return BD_ENOMEM;
	}
	slot = find_slot(m->slots, m->cap, key);
	if (!slot->key) {
		slot->key = key;
		m->count++;
	}
	slot->value = value;
	return 0;
}

bool bd_map_get(const struct bd_map *m, const char *key, uint32_t *value)
{
	const struct bd_map_slot *slot;

	if (!m->cap)
		return false;
	slot = find_slot(m->slots, m->cap, key);
	if (!slot->key)
		return false;
	if (value)
		*value = slot->value;
	return true;
}
