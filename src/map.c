/* SPDX-License-Identifier: MIT */
#include "bindep/map.h"
#include "bindep/error.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/*
 * Keys come from the input (sonames, paths, package names), so an
 * unkeyed hash lets a crafted input put every key in one chain: 65,536
 * colliding sonames cost 28 s with FNV-1a (issue 11). SipHash-2-4 with a
 * random key per process, from libcrypto (EVP_MAC "SIPHASH"), makes the
 * slots unpredictable. Nothing iterates a map, so output never depends on
 * the key. Each thread keeps its own EVP_MAC_CTX (a context is not safe to
 * share), copied from a keyed template made once.
 */
#define SIPHASH_KEY_LEN 16

static unsigned char sip_key[SIPHASH_KEY_LEN];
static EVP_MAC_CTX *sip_template; /* keyed; NULL: SipHash unavailable */
static pthread_key_t sip_ctx_key;
static pthread_once_t sip_once = PTHREAD_ONCE_INIT;

static void free_ctx(void *ctx)
{
	EVP_MAC_CTX_free(ctx);
}

static void fill_key(void)
{
	size_t got = 0;

	while (got < sizeof(sip_key)) {
		ssize_t n = getrandom(sip_key + got, sizeof(sip_key) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	/* No getrandom (old kernel, seccomp): libcrypto's own generator. */
	if (got < sizeof(sip_key))
		(void)RAND_bytes(sip_key, (int)sizeof(sip_key));
}

static void sip_setup(void)
{
	size_t size = 8;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "SIPHASH", NULL);

	fill_key();
	sip_template = mac ? EVP_MAC_CTX_new(mac) : NULL;
	EVP_MAC_free(mac);
	if (sip_template &&
	    (pthread_key_create(&sip_ctx_key, free_ctx) ||
	     !EVP_MAC_init(sip_template, sip_key, sizeof(sip_key), params))) {
		EVP_MAC_CTX_free(sip_template);
		sip_template = NULL;
	}
}

/* FNV-1a from a keyed start: only where libcrypto has no SipHash (a
 * FIPS-only provider setup), better than an unkeyed hash. */
static uint64_t fallback_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < sizeof(sip_key); i++)
		h = (h ^ sip_key[i]) * 0x100000001b3ull;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t hash_str(const char *s)
{
	size_t len = strlen(s), outlen = 0;
	unsigned char out[8];
	EVP_MAC_CTX *ctx;

	pthread_once(&sip_once, sip_setup);
	if (!sip_template)
		return fallback_hash(s, len);
	ctx = pthread_getspecific(sip_ctx_key);
	if (!ctx) {
		ctx = EVP_MAC_CTX_dup(sip_template);
		if (!ctx || pthread_setspecific(sip_ctx_key, ctx)) {
			EVP_MAC_CTX_free(ctx);
			return fallback_hash(s, len);
		}
	}
	/* Re-keying restarts the state; the output size stays 8. */
	if (!EVP_MAC_init(ctx, sip_key, sizeof(sip_key), NULL) ||
	    !EVP_MAC_update(ctx, (const unsigned char *)s, len) ||
	    !EVP_MAC_final(ctx, out, &outlen, sizeof(out)) ||
	    outlen != sizeof(out))
		return fallback_hash(s, len);
	return (uint64_t)out[0] | (uint64_t)out[1] << 8 |
	       (uint64_t)out[2] << 16 | (uint64_t)out[3] << 24 |
	       (uint64_t)out[4] << 32 | (uint64_t)out[5] << 40 |
	       (uint64_t)out[6] << 48 | (uint64_t)out[7] << 56;
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

/* The slot holding key, or the empty slot where it would go. */
static struct bd_map_slot *find_slot(struct bd_map_slot *slots, size_t cap,
				     const char *key, uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i].key &&
	       (slots[i].hash != hash || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Growing reuses each slot's stored hash: no key is hashed twice. */
static int rehash(struct bd_map *m, size_t cap)
{
	struct bd_map_slot *slots = calloc(cap, sizeof(*slots));
	size_t i;

	if (!slots)
		return BD_ENOMEM;
	for (i = 0; i < m->cap; i++) {
		const struct bd_map_slot *s = &m->slots[i];

		if (s->key)
			*find_slot(slots, cap, s->key, s->hash) = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int bd_map_put(struct bd_map *m, const char *key, uint32_t value)
{
	uint64_t hash = hash_str(key);
	struct bd_map_slot *slot;

	/* Keep the load under 3/4. */
	if ((m->count + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 64;

		if (cap < m->cap || rehash(m, cap))
			return BD_ENOMEM;
	}
	slot = find_slot(m->slots, m->cap, key, hash);
	if (!slot->key) {
		slot->key = key;
		slot->hash = hash;
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
	slot = find_slot(m->slots, m->cap, key, hash_str(key));
	if (!slot->key)
		return false;
	if (value)
		*value = slot->value;
	return true;
}

size_t bd_map_cost(const struct bd_map *m)
{
	size_t i, cost = 0;

	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key) {
			size_t home = (size_t)m->slots[i].hash & (m->cap - 1);

			cost += (i - home) & (m->cap - 1);
		}
	}
	return cost;
}
