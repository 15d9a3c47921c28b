/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_MAP_H
#define BINDEP_MAP_H

#include "bindep/common.h"

/*
 * A hash map from strings to uint32_t values (component ids), open
 * addressing with linear probing, hashed with SipHash under a random key
 * per process so that crafted keys cannot collide on purpose. Nothing
 * may depend on the order of the slots (nothing iterates them), so output
 * never depends on the key. A map is not locked: one thread uses it at a
 * time (the merge thread of collect.c); hashing is safe in any thread. The map
 * copies nothing: keys must outlive it (they live in the owner's arena).
 */
struct bd_map_slot {
	const char *key;
	uint64_t hash; /* of key, keyed per process (see map.c) */
	uint32_t value;
};

struct bd_map {
	struct bd_map_slot *slots;
	size_t count, cap; /* cap is 0 or a power of two */
};

void bd_map_init(struct bd_map *m);
void bd_map_release(struct bd_map *m);

/* Sets key to value (replacing). Returns 0 or BD_ENOMEM. */
int bd_map_put(struct bd_map *m, const char *key, uint32_t value);

/* Returns true and fills *value when key is present. */
bool bd_map_get(const struct bd_map *m, const char *key, uint32_t *value);

/*
 * The slots a lookup of every key passes beyond its own home slot, summed:
 * how clustered the table is. A deterministic measure of the work a flood
 * of colliding keys causes, for tests.
 */
size_t bd_map_cost(const struct bd_map *m);

#endif
