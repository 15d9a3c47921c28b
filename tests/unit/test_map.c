/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/arena.h"
#include "bindep/error.h"
#include "bindep/map.h"

#include <openssl/evp.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_put_get_replace_grow(void)
{
	struct bd_arena a;
	struct bd_map m;
	uint32_t v = 0, i;
	const char *keys[5000];

	bd_arena_init(&a);
	bd_map_init(&m);
	CU_ASSERT_FALSE(bd_map_get(&m, "absent", &v));
	for (i = 0; i < 5000; i++) {
		keys[i] = bd_arena_printf(&a, "lib%u.so.%u", i, i % 7);
		CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, keys[i], i), 0);
	}
	CU_ASSERT_EQUAL(m.count, 5000);
	for (i = 0; i < 5000; i++) {
		CU_ASSERT_TRUE(bd_map_get(&m, keys[i], &v));
		CU_ASSERT_EQUAL(v, i);
	}
	CU_ASSERT_EQUAL(bd_map_put(&m, keys[42], 7), 0);
	CU_ASSERT_TRUE(bd_map_get(&m, "lib42.so.0", &v));
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_EQUAL(m.count, 5000);
	CU_ASSERT_FALSE(bd_map_get(&m, "lib5000.so.2", NULL));
	bd_map_release(&m);
	bd_arena_release(&a);
}

/*
 * Keys whose unkeyed FNV-1a hashes agree in their low FLOOD_BITS bits, so
 * that they all share one home slot in a table of up to 2^FLOOD_BITS
 * slots. FNV-1a's low bits depend only on the low bits of its state (xor,
 * and multiplication modulo 2^64), so each key is a prefix, two chosen
 * bytes, and a last byte that cancels the state's low 8 bits: a search of
 * about 2^(FLOOD_BITS - 8) pairs per key.
 */
#define FLOOD_BITS 15
#define FLOOD_KEYS 20000 /* the table grows to 32768 = 2^FLOOD_BITS slots */

static uint64_t fnv_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * 0x100000001b3ull;
}

static char *colliding_key(struct bd_arena *a, unsigned n)
{
	const uint64_t mask = (1u << FLOOD_BITS) - 1;
	char *key = bd_arena_printf(a, "lib%05u.so.xyz", n);
	size_t len = strlen(key);
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned c1, c2;
	size_t i;

	for (i = 0; i < len - 3; i++)
		h = fnv_step(h, (unsigned char)key[i]);
	for (c1 = 'A'; c1 <= 'z'; c1++) {
		for (c2 = 'A'; c2 <= 'z'; c2++) {
			uint64_t y = fnv_step(fnv_step(h, (unsigned char)c1),
					      (unsigned char)c2);

			/* the last byte b makes (y ^ b) * p == 0 mod 2^bits */
			if ((y & mask & ~(uint64_t)0xff) || !(y & 0xff))
				continue;
			key[len - 3] = (char)c1;
			key[len - 2] = (char)c2;
			key[len - 1] = (char)(y & 0xff);
			return key;
		}
	}
	return NULL;
}

/* Issue 11: 65,536 sonames crafted to collide in the unkeyed map cost
 * 28 s. With a keyed hash the crafted keys spread like any others: the
 * table stays as uncluttered as for ordinary keys (each lookup passes a
 * few slots on average, where the flood made it about FLOOD_KEYS / 2). */
static void flood_of_fnv_collisions(void)
{
	struct bd_arena a;
	struct bd_map m;
	uint32_t v = 0, i;
	char **keys = calloc(FLOOD_KEYS, sizeof(*keys));

	CU_ASSERT_PTR_NOT_NULL_FATAL(keys);
	bd_arena_init(&a);
	bd_map_init(&m);
	for (i = 0; i < FLOOD_KEYS; i++) {
		keys[i] = colliding_key(&a, i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(keys[i]);
		CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, keys[i], i), 0);
	}
	CU_ASSERT_EQUAL(m.cap, 1u << FLOOD_BITS);
	CU_ASSERT(bd_map_cost(&m) < 8u * FLOOD_KEYS);
	for (i = 0; i < FLOOD_KEYS; i += 997) {
		CU_ASSERT_TRUE(bd_map_get(&m, keys[i], &v));
		CU_ASSERT_EQUAL(v, i);
	}
	bd_map_release(&m);
	bd_arena_release(&a);
	free(keys);
}

static void test_flood_of_fnv_collisions(void)
{
	flood_of_fnv_collisions();
}

/* The first 8 bytes of SHA-256 over s (no key), little-endian. */
static uint64_t unkeyed_sha256(const char *s)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	uint64_t h = 0;
	int i;

	CU_ASSERT_FATAL(EVP_Digest(s, strlen(s), md, NULL, EVP_sha256(), NULL));
	for (i = 7; i >= 0; i--)
		h = h << 8 | md[i];
	return h;
}

/*
 * Without SipHash (a libcrypto with a FIPS provider only) the hash is a
 * keyed SHA-256: not SipHash's, not SHA-256's without the key, the same
 * for the same bytes however they come (a scope and a name joined or not),
 * apart for others; maps and path maps work through growth, and the flood
 * of FNV-1a collisions stays spread.
 */
static void test_hash_without_siphash(void)
{
	static char keys[1000][8], longname[300];
	const char *path = "/usr/lib/x86_64-linux-gnu/libz.so.1";
	uint64_t sip = bd_map_hash(path, strlen(path)), h;
	struct bd_pathmap pm;
	struct bd_map m;
	uint32_t v = 0, i, right = 0;
	bool added;

	bd_map_use_siphash(false);
	h = bd_map_hash(path, strlen(path));
	CU_ASSERT_NOT_EQUAL(h, sip);
	CU_ASSERT_NOT_EQUAL(h, 0);
	CU_ASSERT_NOT_EQUAL(h, unkeyed_sha256(path));
	CU_ASSERT_EQUAL(h, bd_map_hash(path, strlen(path)));
	CU_ASSERT_EQUAL(h, bd_map_hash("/usr/lib/x86_64-linux-gnu/libz.so.1\0x",
				       strlen(path) + 2));
	CU_ASSERT_NOT_EQUAL(h, bd_map_hash(path, strlen(path) - 1));
	bd_map_init(&m);
	for (i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "w%u", i);
		CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, keys[i], i), 0);
	}
	for (i = 0; i < 1000; i++)
		right += bd_map_get(&m, keys[i], &v) && v == i;
	CU_ASSERT_EQUAL(right, 1000);
	CU_ASSERT_FALSE(bd_map_get(&m, "w1000", NULL));
	bd_map_release(&m);
	/* A name too long to be joined to its scope: hashed in two parts. */
	memset(longname, 'n', sizeof(longname) - 1);
	bd_pathmap_init(&pm);
	CU_ASSERT_EQUAL(
		bd_pathmap_add(&pm, 7, longname, strlen(longname), 5, &added),
		0);
	CU_ASSERT_TRUE(added);
	CU_ASSERT_EQUAL(bd_pathmap_add(&pm, 7, "short", 5, 6, &added), 0);
	CU_ASSERT_TRUE(bd_pathmap_get(&pm, 7, longname, strlen(longname), &v));
	CU_ASSERT_EQUAL(v, 5);
	CU_ASSERT_TRUE(bd_pathmap_get(&pm, 7, "short", 5, &v));
	CU_ASSERT_EQUAL(v, 6);
	CU_ASSERT_FALSE(bd_pathmap_get(&pm, 8, "short", 5, &v));
	bd_pathmap_release(&pm);
	flood_of_fnv_collisions();
	bd_map_use_siphash(true);
	CU_ASSERT_EQUAL(bd_map_hash(path, strlen(path)), sip);
}

/* A key given by length: a prefix of a longer string, no copy. */
static void test_getn_prefix(void)
{
	const char *path = "/usr/lib/x86_64-linux-gnu/libz.so.1";
	struct bd_map m;
	uint32_t v = 0;

	bd_map_init(&m);
	CU_ASSERT_FALSE(bd_map_getn(&m, path, 8, &v)); /* empty map */
	CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, "/usr/lib", 1), 0);
	CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, "/usr/li", 2), 0);
	CU_ASSERT_TRUE(bd_map_getn(&m, path, 8, &v));
	CU_ASSERT_EQUAL(v, 1);
	CU_ASSERT_TRUE(bd_map_getn(&m, path, 7, &v));
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_FALSE(bd_map_getn(&m, path, 9, &v));
	CU_ASSERT_FALSE(bd_map_getn(&m, path, 6, NULL));
	/* a NUL ends the key, as it ends a C string */
	CU_ASSERT_TRUE(bd_map_getn(&m, "/usr/lib\0xyz", 12, &v));
	CU_ASSERT_EQUAL(v, 1);
	bd_map_release(&m);
}

/* One hash for a lookup and the put that follows it. */
static void test_hash_once(void)
{
	const char *path = "/usr/share/doc/zlib1g/copyright";
	uint64_t h = bd_map_hash(path, 14);
	struct bd_map m;
	uint32_t v = 0, i;
	char keys[300][16];

	bd_map_init(&m);
	CU_ASSERT_EQUAL(h, bd_map_hash("/usr/share/doc", 14));
	CU_ASSERT_EQUAL(h, bd_map_hash("/usr/share/doc\0/x", 18));
	CU_ASSERT_NOT_EQUAL(h, bd_map_hash(path, 15));
	CU_ASSERT_FALSE(bd_map_geth(&m, path, 14, h, &v));
	CU_ASSERT_EQUAL_FATAL(bd_map_puth(&m, "/usr/share/doc", h, 3), 0);
	CU_ASSERT_TRUE(bd_map_geth(&m, path, 14, h, &v));
	CU_ASSERT_EQUAL(v, 3);
	CU_ASSERT_TRUE(bd_map_get(&m, "/usr/share/doc", &v));
	/* hashed the same again and again, through growth */
	for (i = 0; i < 300; i++) {
		snprintf(keys[i], sizeof(keys[i]), "/d%u", i);
		CU_ASSERT_EQUAL_FATAL(
			bd_map_puth(&m, keys[i],
				    bd_map_hash(keys[i], strlen(keys[i])), i),
			0);
	}
	for (i = 0; i < 300; i++) {
		CU_ASSERT_TRUE(bd_map_get(&m, keys[i], &v));
		CU_ASSERT_EQUAL(v, i);
	}
	CU_ASSERT_EQUAL(m.count, 301);
	bd_map_release(&m);
}

#define PAIRS_SCOPES 50
#define PAIRS_NAMES  2000 /* 100,000 pairs: the table grows 11 times */

/* (scope, name) pairs: present and absent, the first value staying, the
 * same name in many scopes and many names in one, through growth. */
static void test_pathmap_pairs(void)
{
	struct bd_pathmap m;
	uint32_t s, n, v = 0;
	bool added = false;
	char name[32];

	bd_pathmap_init(&m);
	CU_ASSERT_FALSE(bd_pathmap_get(&m, 0, "libc.so.6", 9, &v));
	for (s = 0; s < PAIRS_SCOPES; s++) {
		for (n = 0; n < PAIRS_NAMES; n++) {
			int len = snprintf(name, sizeof(name), "lib%u.so", n);

			CU_ASSERT_EQUAL_FATAL(
				bd_pathmap_add(&m, s, name, (size_t)len,
					       s * PAIRS_NAMES + n, &added),
				0);
			CU_ASSERT_TRUE_FATAL(added);
		}
	}
	CU_ASSERT_EQUAL(m.count, PAIRS_SCOPES * PAIRS_NAMES);
	CU_ASSERT_EQUAL(m.cap, 262144u);
	for (s = 0; s < PAIRS_SCOPES; s += 7) {
		for (n = 0; n < PAIRS_NAMES; n += 13) {
			int len = snprintf(name, sizeof(name), "lib%u.so", n);

			CU_ASSERT_TRUE(
				bd_pathmap_get(&m, s, name, (size_t)len, &v));
			CU_ASSERT_EQUAL(v, s * PAIRS_NAMES + n);
			/* present: not added, the value stays */
			CU_ASSERT_EQUAL(bd_pathmap_add(&m, s, name, (size_t)len,
						       7, &added),
					0);
			CU_ASSERT_FALSE(added);
			CU_ASSERT_TRUE(
				bd_pathmap_get(&m, s, name, (size_t)len, &v));
			CU_ASSERT_EQUAL(v, s * PAIRS_NAMES + n);
		}
	}
	CU_ASSERT_EQUAL(m.count, PAIRS_SCOPES * PAIRS_NAMES);
	/* absent: another scope, a prefix, a longer name */
	CU_ASSERT_FALSE(bd_pathmap_get(&m, PAIRS_SCOPES, "lib1.so", 7, NULL));
	CU_ASSERT_FALSE(bd_pathmap_get(&m, 1, "lib1.s", 6, NULL));
	CU_ASSERT_FALSE(bd_pathmap_get(&m, 1, "lib1.so.1", 9, NULL));
	/* by length, up to a NUL */
	CU_ASSERT_TRUE(bd_pathmap_get(&m, 3, "lib12.so/x", 8, &v));
	CU_ASSERT_EQUAL(v, 3 * PAIRS_NAMES + 12);
	CU_ASSERT_TRUE(bd_pathmap_get(&m, 3, "lib12.so\0x", 10, &v));
	/* spread like any keys: a few slots passed a lookup on average */
	CU_ASSERT(bd_pathmap_cost(&m) < 8u * m.count);
	bd_pathmap_release(&m);
	CU_ASSERT_EQUAL(m.count, 0);
	CU_ASSERT_FALSE(bd_pathmap_get(&m, 3, "lib12.so", 8, NULL));
}

/* The names of issue 11's flood, in one scope and then each in a scope
 * of its own: the keyed hash spreads them all the same. */
static void test_pathmap_flood(void)
{
	struct bd_arena a;
	struct bd_pathmap m;
	bool added = false;
	uint32_t i, v = 0;

	bd_arena_init(&a);
	bd_pathmap_init(&m);
	for (i = 0; i < FLOOD_KEYS; i++) {
		const char *key = colliding_key(&a, i);

		CU_ASSERT_PTR_NOT_NULL_FATAL(key);
		CU_ASSERT_EQUAL_FATAL(
			bd_pathmap_add(&m, 0, key, strlen(key), i, &added), 0);
		CU_ASSERT_EQUAL_FATAL(
			bd_pathmap_add(&m, i + 1, "libc.so.6", 9, i, &added),
			0);
	}
	CU_ASSERT_EQUAL(m.count, 2u * FLOOD_KEYS);
	CU_ASSERT(bd_pathmap_cost(&m) < 8u * 2u * FLOOD_KEYS);
	for (i = 0; i < FLOOD_KEYS; i += 997) {
		CU_ASSERT_TRUE(bd_pathmap_get(&m, i + 1, "libc.so.6", 9, &v));
		CU_ASSERT_EQUAL(v, i);
	}
	bd_pathmap_release(&m);
	bd_arena_release(&a);
}

/* 1,000 keys renumbered in place: each found with its new value, none
 * lost or added. */
static void test_renumber(void)
{
	static char keys[1000][8];
	uint32_t newid[1000], v, i, right = 0;
	struct bd_map m;

	bd_map_init(&m);
	for (i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%u", i);
		CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, keys[i], i), 0);
		newid[i] = 999 - i;
	}
	bd_map_renumber(&m, newid);
	for (i = 0; i < 1000; i++)
		right += bd_map_get(&m, keys[i], &v) && v == 999 - i;
	CU_ASSERT_EQUAL(right, 1000);
	CU_ASSERT_EQUAL(m.count, 1000);
	CU_ASSERT_FALSE(bd_map_get(&m, "k1000", NULL));
	bd_map_release(&m);
}

/* Room made ahead: the puts that fill it never grow the table, the keys
 * kept across the growth stay found, and a count past any memory is
 * refused before any arithmetic on it can wrap. */
static void test_reserve(void)
{
	static char keys[1500][8];
	struct bd_map m;
	size_t cap;
	uint32_t v, i, right = 0;

	bd_map_init(&m);
	for (i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof(keys[i]), "r%u", i);
		CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, keys[i], i), 0);
	}
	CU_ASSERT_EQUAL_FATAL(bd_map_reserve(&m, 1500), 0);
	cap = m.cap;
	CU_ASSERT_TRUE(cap * 3 >= 1500 * 4);
	for (i = 500; i < 1500; i++) {
		snprintf(keys[i], sizeof(keys[i]), "r%u", i);
		CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, keys[i], i), 0);
	}
	CU_ASSERT_EQUAL(m.cap, cap);
	for (i = 0; i < 1500; i++)
		right += bd_map_get(&m, keys[i], &v) && v == i;
	CU_ASSERT_EQUAL(right, 1500);
	CU_ASSERT_EQUAL(bd_map_reserve(&m, 10), 0); /* never shrinks */
	CU_ASSERT_EQUAL(m.cap, cap);
	CU_ASSERT_EQUAL(bd_map_reserve(&m, SIZE_MAX / 4 + 1), BD_ENOMEM);
	CU_ASSERT_EQUAL(m.cap, cap);
	bd_map_release(&m);
}

void bd_test_register_map(void)
{
	BD_SUITE("map", BD_TEST(test_put_get_replace_grow),
		 BD_TEST(test_flood_of_fnv_collisions),
		 BD_TEST(test_getn_prefix), BD_TEST(test_hash_once),
		 BD_TEST(test_pathmap_pairs), BD_TEST(test_pathmap_flood),
		 BD_TEST(test_renumber), BD_TEST(test_reserve),
		 BD_TEST(test_hash_without_siphash));
}
