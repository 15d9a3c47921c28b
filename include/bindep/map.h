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

/* The same for a key of len bytes, not NUL-terminated (a prefix of a
 * longer string: no copy to make). Bytes from a NUL on are not part of
 * it, as for bd_map_get. */
bool bd_map_getn(const struct bd_map *m, const char *key, size_t len,
		 uint32_t *value);

/*
 * A key's hash (len bytes, up to a NUL), for a lookup and a put of one key
 * that hash it once (SipHash through libcrypto costs ~100 ns a call):
 * bd_map_geth and bd_map_puth take it; any other value breaks the map.
 */
uint64_t bd_map_hash(const char *key, size_t len);
/* For tests: hash with SipHash (true, the default) or with the keyed
 * SHA-256 used where libcrypto has none. Switch only while no map holds
 * a key: a map's slots depend on the hash. */
void bd_map_use_siphash(bool on);
bool bd_map_geth(const struct bd_map *m, const char *key, size_t len,
		 uint64_t hash, uint32_t *value);
int bd_map_puth(struct bd_map *m, const char *key, uint64_t hash,
		uint32_t value);

/* Room for n keys in all, so that putting that many never grows the
 * table (a count known ahead: no rehash on the way). 0 or BD_ENOMEM. */
int bd_map_reserve(struct bd_map *m, size_t n);

/* Every value v becomes newid[v] (each value must index newid), keys in
 * place: a renumbering costs no hashing. */
void bd_map_renumber(struct bd_map *m, const uint32_t *newid);

/*
 * The slots a lookup of every key passes beyond its own home slot, summed:
 * how clustered the table is. A deterministic measure of the work a flood
 * of colliding keys causes, for tests.
 */
size_t bd_map_cost(const struct bd_map *m);

/*
 * A compact map from (scope, name) pairs to uint32_t values, made for the
 * hundred thousand files of a package database: a file is (its
 * directory's id, its base name), so that the directory's text is stored
 * once, not once per file. Names are copied into one pool; an entry is 16
 * bytes and a slot 4, where a bd_map of "dir/name" keys cost 24 bytes a
 * slot and the whole path a key. Hashed like bd_map (SipHash of the scope
 * and the name, keyed per process), one hash an operation.
 */
struct bd_pathmap_entry {
	uint32_t name; /* offset of the NUL-terminated name in the pool */
	uint32_t scope;
	uint32_t value;
	uint32_t hash; /* the low half of the hash: growing re-hashes nothing */
};

struct bd_pathmap {
	uint32_t *slots; /* entry index + 1, 0 for an empty slot */
	size_t cap;	 /* 0 or a power of two */
	struct bd_pathmap_entry *entries;
	size_t count, alloc;
	char *pool;
	size_t pool_len, pool_alloc;
};

void bd_pathmap_init(struct bd_pathmap *m);
void bd_pathmap_release(struct bd_pathmap *m);

/*
 * Adds (scope, name of len bytes) with value unless the pair is present:
 * *added says which (a present pair keeps its value). One hash either
 * way. Bytes from a NUL on are not part of name. Returns 0 or BD_ENOMEM
 * (also past 2^32 - 1 entries or 4 GiB of names).
 */
int bd_pathmap_add(struct bd_pathmap *m, uint32_t scope, const char *name,
		   size_t len, uint32_t value, bool *added);

/* Returns true and fills *value (when not NULL) when the pair is present. */
bool bd_pathmap_get(const struct bd_pathmap *m, uint32_t scope,
		    const char *name, size_t len, uint32_t *value);

/* As bd_map_cost: the slots lookups pass beyond their home slots. */
size_t bd_pathmap_cost(const struct bd_pathmap *m);

#endif
