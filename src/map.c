/* SPDX-License-Identifier: MIT */
#include "bindep/map.h"
#include "bindep/error.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
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
static bool sip_null_init;	  /* see null_init_restores() */
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

/* SipHash of probe in ctx, restarted with key (NULL: the key set last). */
static bool probe_hash(EVP_MAC_CTX *ctx, const unsigned char *key,
		       unsigned char out[8])
{
	static const unsigned char probe[] = "/usr/lib/x86_64-linux-gnu";
	size_t n = 0;

	return EVP_MAC_init(ctx, key, key ? sizeof(sip_key) : 0, NULL) &&
	       EVP_MAC_update(ctx, probe, sizeof(probe) - 1) &&
	       EVP_MAC_final(ctx, out, &n, 8) && n == 8;
}

/*
 * Whether EVP_MAC_init with a NULL key restarts SipHash under the key set
 * before, so that a hash need not re-key. OpenSSL 3.0.22's provider keeps
 * a copy of the keyed state for that; a provider without one would carry
 * on from the state the last hash left, so it is tried once on a copy of
 * the template: twice, against a re-keyed hash. Its errors, if any, are
 * dropped (ERR_pop_to_mark).
 */
static bool null_init_restores(void)
{
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(sip_template);
	unsigned char a[8], b[8], c[8];
	bool same;

	ERR_set_mark();
	same = ctx && probe_hash(ctx, sip_key, a) && probe_hash(ctx, NULL, b) &&
	       probe_hash(ctx, NULL, c) && !memcmp(a, b, 8) && !memcmp(a, c, 8);
	ERR_pop_to_mark();
	EVP_MAC_CTX_free(ctx);
	return same;
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
	sip_null_init = sip_template && null_init_restores();
}

/*
 * Where libcrypto has no SipHash (a FIPS-only provider setup): the first 8
 * bytes of SHA-256 over the key and then the bytes of a and b. It is
 * slower, but still keyed: names crafted to collide need the key, which
 * matters where only hashes are kept (archive.c's names seen). SHA-256 is
 * what every file's hash needs: without it, no scan runs at all. Only if
 * libcrypto fails even this (out of memory) is the hash 0: a map stays
 * correct (it compares keys), only slower, but archive.c then takes the
 * names that follow for duplicates, and says so of each.
 */
static uint64_t keyed_sha256(const unsigned char *a, size_t alen,
			     const unsigned char *b, size_t blen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	bool ok = ctx && EVP_DigestInit_ex2(ctx, EVP_sha256(), NULL) &&
		  EVP_DigestUpdate(ctx, sip_key, sizeof(sip_key)) &&
		  EVP_DigestUpdate(ctx, a, alen) &&
		  EVP_DigestUpdate(ctx, b, blen) &&
		  EVP_DigestFinal_ex(ctx, md, NULL);

	EVP_MD_CTX_free(ctx);
	return ok ? bd_load_uint(md, 8, false) : 0;
}

/* For tests: SipHash (the default) or the keyed SHA-256 of a libcrypto
 * without it. */
static _Atomic bool use_siphash = true;

void bd_map_use_siphash(bool on)
{
	use_siphash = on;
}

/* This thread's context, copied from the template; NULL without SipHash. */
static EVP_MAC_CTX *sip_ctx(void)
{
	EVP_MAC_CTX *ctx;

	pthread_once(&sip_once, sip_setup);
	if (!sip_template)
		return NULL;
	ctx = pthread_getspecific(sip_ctx_key);
	if (!ctx) {
		ctx = EVP_MAC_CTX_dup(sip_template);
		if (!ctx || pthread_setspecific(sip_ctx_key, ctx)) {
			EVP_MAC_CTX_free(ctx);
			return NULL;
		}
	}
	return ctx;
}

/*
 * SipHash of the bytes of a and then b. A call costs ~100 ns whatever the
 * key, most of it EVP_MAC_final's parameter look-ups (measured on OpenSSL
 * 3.0.22: EVP_MAC_init re-keying is 12 ns of it, with a NULL key, which
 * restores the key set before, 9 ns), so what makes hashing cheap is
 * hashing each key once: one call an operation.
 */
static uint64_t hash_parts(const unsigned char *a, size_t alen,
			   const unsigned char *b, size_t blen)
{
	EVP_MAC_CTX *ctx = sip_ctx();
	unsigned char out[8], joined[256];
	size_t outlen = 0;

	/* One update for a short key and its prefix: a call costs ~200
	 * instructions more than the bytes. */
	if (alen && alen + blen <= sizeof(joined)) {
		memcpy(joined, a, alen);
		memcpy(joined + alen, b, blen);
		b = joined;
		blen += alen;
		alen = 0;
	}
	/* Restarting the state under the key (3% of the instructions of
	 * this host's dpkg load without re-keying); the output size stays 8. */
	if (!ctx || !use_siphash ||
	    !EVP_MAC_init(ctx, sip_null_init ? NULL : sip_key,
			  sip_null_init ? 0 : sizeof(sip_key), NULL) ||
	    (alen && !EVP_MAC_update(ctx, a, alen)) ||
	    !EVP_MAC_update(ctx, b, blen) ||
	    !EVP_MAC_final(ctx, out, &outlen, sizeof(out)) ||
	    outlen != sizeof(out))
		return keyed_sha256(a, alen, b, blen);
	return bd_load_uint(out, sizeof(out), false);
}

static uint64_t hash_str(const char *s, size_t len)
{
	return hash_parts(NULL, 0, (const unsigned char *)s, len);
}

/* A key's length: up to len bytes, up to a NUL. */
static size_t key_len(const char *key, size_t len)
{
	const char *nul = memchr(key, '\0', len);

	return nul ? (size_t)(nul - key) : len;
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

void bd_map_renumber(struct bd_map *m, const uint32_t *newid)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			m->slots[i].value = newid[m->slots[i].value];
}

/* Whether a stored NUL-terminated key is key (len bytes, no NUL): the
 * stored one is then at least len + 1 bytes long. */
static bool same_key(const char *stored, const char *key, size_t len)
{
	return !strncmp(stored, key, len) && !stored[len];
}

/* The slot holding key (len bytes), or the empty slot where it would go. */
static struct bd_map_slot *find_slot(struct bd_map_slot *slots, size_t cap,
				     const char *key, size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i].key &&
	       (slots[i].hash != hash || !same_key(slots[i].key, key, len)))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/*
 * A table of n zeroed slots of size bytes, written now. calloc leaves a
 * large one to fresh pages that read as the shared zero page: a probe
 * reads a slot first, mapping that page, and the write after it faults
 * again to copy it, flushing every core's TLB (an IPI each, costly in a
 * VM; issue 13: a third of the dpkg thread's page-fault samples on a
 * Debian root). Written at once, each page faults once.
 */
static void *zeroed_table(size_t n, size_t size)
{
	void *t = n && size <= SIZE_MAX / n ? malloc(n * size) : NULL;

	/* GCC folds a malloc and the memset after it into calloc: the
	 * empty asm, which may read or write any memory, keeps them two. */
	if (t) {
		__asm__ volatile("" : : "r"(t) : "memory");
		memset(t, 0, n * size);
	}
	return t;
}

/* Growing reuses each slot's stored hash: no key is hashed twice. */
static int rehash(struct bd_map *m, size_t cap)
{
	struct bd_map_slot *slots = zeroed_table(cap, sizeof(*slots));
	size_t i;

	if (!slots)
		return BD_ENOMEM;
	for (i = 0; i < m->cap; i++) {
		const struct bd_map_slot *s = &m->slots[i];
		size_t j = (size_t)s->hash & (cap - 1);

		if (!s->key)
			continue;
		while (slots[j].key) /* keys are distinct: the first free */
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int bd_map_reserve(struct bd_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;

	if (n > SIZE_MAX / 8)
		return BD_ENOMEM;
	/* The load stays under 3/4 (bd_map_puth grows by this too). */
	while (n * 4 > cap * 3)
		cap *= 2;
	return cap > m->cap ? rehash(m, cap) : 0;
}

uint64_t bd_map_hash(const char *key, size_t len)
{
	return hash_str(key, key_len(key, len));
}

int bd_map_put(struct bd_map *m, const char *key, uint32_t value)
{
	return bd_map_puth(m, key, bd_map_hash(key, strlen(key)), value);
}

int bd_map_puth(struct bd_map *m, const char *key, uint64_t hash,
		uint32_t value)
{
	struct bd_map_slot *slot;

	if (bd_map_reserve(m, m->count + 1))
		return BD_ENOMEM;
	slot = find_slot(m->slots, m->cap, key, strlen(key), hash);
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
	return bd_map_getn(m, key, strlen(key), value);
}

bool bd_map_getn(const struct bd_map *m, const char *key, size_t len,
		 uint32_t *value)
{
	return m->cap && bd_map_geth(m, key, len, bd_map_hash(key, len), value);
}

bool bd_map_geth(const struct bd_map *m, const char *key, size_t len,
		 uint64_t hash, uint32_t *value)
{
	const struct bd_map_slot *slot;

	if (!m->cap)
		return false;
	slot = find_slot(m->slots, m->cap, key, key_len(key, len), hash);
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

/* ---- bd_pathmap ------------------------------------------------------------
 */

/* Past these an add is refused (BD_ENOMEM): entry indexes and name offsets
 * are 32-bit, and slots 1 + index. Out of an input's reach where the
 * caller caps what it reads (pkgdb: 512 MiB of databases, at least 3 bytes
 * a file). */
#define PATHMAP_MAX_ENTRIES (UINT32_MAX - 1u)
#define PATHMAP_MAX_POOL    UINT32_MAX

void bd_pathmap_init(struct bd_pathmap *m)
{
	memset(m, 0, sizeof(*m));
}

void bd_pathmap_release(struct bd_pathmap *m)
{
	free(m->slots);
	free(m->entries);
	free(m->pool);
	bd_pathmap_init(m);
}

/* The scope in a fixed byte order: the hash is the same on any host. */
static uint64_t pathmap_hash(uint32_t scope, const char *name, size_t len)
{
	unsigned char s[4] = { (unsigned char)scope,
			       (unsigned char)(scope >> 8),
			       (unsigned char)(scope >> 16),
			       (unsigned char)(scope >> 24) };

	return hash_parts(s, sizeof(s), (const unsigned char *)name, len);
}

/* The slot of the pair, or the empty slot where it would go. */
static uint32_t *pathmap_slot(const struct bd_pathmap *m, uint32_t scope,
			      const char *name, size_t len, uint64_t hash)
{
	/* the stored half, as pathmap_rehash places entries */
	size_t i = (size_t)(uint32_t)hash & (m->cap - 1);

	while (m->slots[i]) {
		const struct bd_pathmap_entry *e = &m->entries[m->slots[i] - 1];

		if (e->hash == (uint32_t)hash && e->scope == scope &&
		    same_key(m->pool + e->name, name, len))
			break;
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

/* Growing re-hashes nothing: each entry keeps the low half of its hash,
 * which is all the slot index of a table under 2^32 slots uses. */
static int pathmap_rehash(struct bd_pathmap *m, size_t cap)
{
	uint32_t *slots = zeroed_table(cap, sizeof(*slots));
	size_t i;

	if (!slots)
		return BD_ENOMEM;
	for (i = 0; i < m->count; i++) {
		size_t j = (size_t)m->entries[i].hash & (cap - 1);

		while (slots[j]) /* pairs are distinct: the first free */
			j = (j + 1) & (cap - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

/* Room for one more entry and its name of len bytes. */
static int pathmap_room(struct bd_pathmap *m, size_t len)
{
	if (m->count >= PATHMAP_MAX_ENTRIES ||
	    len >= PATHMAP_MAX_POOL - m->pool_len ||
	    BD_GROW(m->entries, m->alloc, m->count + 1) ||
	    BD_GROW(m->pool, m->pool_alloc, m->pool_len + len + 1))
		return BD_ENOMEM;
	return 0;
}

int bd_pathmap_add(struct bd_pathmap *m, uint32_t scope, const char *name,
		   size_t len, uint32_t value, bool *added)
{
	uint32_t *slot = NULL;
	struct bd_pathmap_entry *e;
	uint64_t hash;

	*added = false;
	len = key_len(name, len);
	hash = pathmap_hash(scope, name, len);
	if (m->cap) {
		slot = pathmap_slot(m, scope, name, len, hash);
		if (*slot)
			return 0;
	}
	if (pathmap_room(m, len))
		return BD_ENOMEM;
	/* Keep the load under 3/4. */
	if ((m->count + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 64;

		if (cap < m->cap || pathmap_rehash(m, cap))
			return BD_ENOMEM;
		slot = pathmap_slot(m, scope, name, len, hash);
	}
	e = &m->entries[m->count];
	e->name = (uint32_t)m->pool_len;
	e->scope = scope;
	e->value = value;
	e->hash = (uint32_t)hash;
	memcpy(m->pool + m->pool_len, name, len);
	m->pool[m->pool_len + len] = '\0';
	m->pool_len += len + 1;
	*slot = (uint32_t)++m->count;
	*added = true;
	return 0;
}

bool bd_pathmap_get(const struct bd_pathmap *m, uint32_t scope,
		    const char *name, size_t len, uint32_t *value)
{
	uint32_t slot;

	if (!m->cap)
		return false;
	len = key_len(name, len);
	slot = *pathmap_slot(m, scope, name, len,
			     pathmap_hash(scope, name, len));
	if (!slot)
		return false;
	if (value)
		*value = m->entries[slot - 1].value;
	return true;
}

size_t bd_pathmap_cost(const struct bd_pathmap *m)
{
	size_t i, cost = 0;

	for (i = 0; i < m->cap; i++) {
		if (m->slots[i]) {
			uint32_t h = m->entries[m->slots[i] - 1].hash;

			cost += (i - ((size_t)h & (m->cap - 1))) & (m->cap - 1);
		}
	}
	return cost;
}
