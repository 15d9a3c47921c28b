/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_HASH_H
#define BINDEP_HASH_H

#include "bindep/common.h"

#define BD_SHA256_HEX_LEN 64
#define BD_SHA1_LEN	  20

/* SHA-256 of data as 64 lowercase hex digits and a NUL. Returns 0, or
 * BD_ENOMEM when libcrypto fails. */
int bd_sha256_hex(const void *data, size_t len,
		  char out[BD_SHA256_HEX_LEN + 1]);

/* SHA-256 of what is left to read from fd, read through a buffer. Returns
 * 0, BD_EIO with errno set, or BD_ENOMEM. */
int bd_sha256_fd(int fd, char out[BD_SHA256_HEX_LEN + 1]);

/*
 * A SHA-256 computed piece by piece, and reused from one file to the next:
 * its context is allocated and the digest's implementation looked up once
 * (per file, both cost more than hashing a small file). One thread uses
 * it at a time.
 */
struct bd_sha256 {
	void *ctx; /* EVP_MD_CTX */
	void *md;  /* EVP_MD: fetched once, owned when fetched */
	bool fetched;
};

/* Allocates; returns 0 or BD_ENOMEM. Release with bd_sha256_release(),
 * which accepts a struct that failed to init (or was zeroed). */
int bd_sha256_init(struct bd_sha256 *h);
void bd_sha256_release(struct bd_sha256 *h);

/* Starts a new digest, adds bytes, and writes the hex digest. Each returns
 * 0 or BD_ENOMEM (libcrypto failed). */
int bd_sha256_begin(struct bd_sha256 *h);
int bd_sha256_update(struct bd_sha256 *h, const void *data, size_t len);
int bd_sha256_end(struct bd_sha256 *h, char out[BD_SHA256_HEX_LEN + 1]);

/* Raw SHA-1 of the concatenation of two buffers (for name-based UUIDs). */
int bd_sha1_2(const void *a, size_t alen, const void *b, size_t blen,
	      unsigned char out[BD_SHA1_LEN]);

#endif
