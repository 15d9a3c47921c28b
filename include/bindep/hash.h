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

/* Raw SHA-1 of the concatenation of two buffers (for name-based UUIDs). */
int bd_sha1_2(const void *a, size_t alen, const void *b, size_t blen,
	      unsigned char out[BD_SHA1_LEN]);

#endif
