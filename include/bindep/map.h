/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_MAP_H
#define BINDEP_MAP_H

#include "bindep/common.h"

/*
 * A hash map from strings to uint32_t values (component ids), open
 * addressing with linear probing. The map copies nothing: keys must outlive
 * it (they live in the owner's arena).
 */
struct bd_map_slot {
	const char *key;
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

#endif
