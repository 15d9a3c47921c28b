/* SPDX-License-Identifier: MIT */
#include "bindep/hash.h"
#include "bindep/error.h"
#include "bindep/progress.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <unistd.h>

static const char hexdigits[] = "0123456789abcdef";

static void to_hex(const unsigned char *md, unsigned int len, char *out)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hexdigits[md[i] >> 4];
		out[2 * i + 1] = hexdigits[md[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int bd_sha256_hex(const void *data, size_t len, char out[BD_SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen * 2 != BD_SHA256_HEX_LEN)
		return BD_ENOMEM;
	to_hex(md, mdlen, out);
	return 0;
}

int bd_sha256_fd(int fd, char out[BD_SHA256_HEX_LEN + 1])
{
	enum { CHUNK = 256 * 1024 };
	unsigned char md[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = malloc(CHUNK);
	unsigned int mdlen = 0;
	off_t off = 0;
	int rc = BD_ENOMEM;

	if (ctx && buf && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		for (;;) {
			ssize_t n = pread(fd, buf, CHUNK, off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				rc = n < 0 ? BD_EIO : 0;
				break;
			}
			if (!EVP_DigestUpdate(ctx, buf, (size_t)n))
				break;
			bd_progress_hashed((uint64_t)n);
			off += n;
		}
	}
	if (!rc && !(EVP_DigestFinal_ex(ctx, md, &mdlen) &&
		     mdlen * 2 == BD_SHA256_HEX_LEN))
		rc = BD_ENOMEM;
	if (!rc)
		to_hex(md, mdlen, out);
	EVP_MD_CTX_free(ctx);
	free(buf);
	return rc;
}

int bd_sha256_init(struct bd_sha256 *h)
{
	h->ctx = EVP_MD_CTX_new();
	h->md = NULL;
	h->fetched = false;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	/* An explicit fetch: EVP_sha256() makes every init look the
	 * implementation up again in the provider store. */
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	h->fetched = h->md != NULL;
#endif
	if (!h->md)
		h->md = (void *)EVP_sha256();
	if (!h->ctx || !h->md) {
		bd_sha256_release(h);
		return BD_ENOMEM;
	}
	return 0;
}

void bd_sha256_release(struct bd_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	if (h->fetched)
		EVP_MD_free(h->md);
#endif
	h->ctx = NULL;
	h->md = NULL;
	h->fetched = false;
}

int bd_sha256_begin(struct bd_sha256 *h)
{
	return EVP_DigestInit_ex(h->ctx, h->md, NULL) ? 0 : BD_ENOMEM;
}

int bd_sha256_update(struct bd_sha256 *h, const void *data, size_t len)
{
	return EVP_DigestUpdate(h->ctx, data, len) ? 0 : BD_ENOMEM;
}

int bd_sha256_end(struct bd_sha256 *h, char out[BD_SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_DigestFinal_ex(h->ctx, md, &mdlen) ||
	    mdlen * 2 != BD_SHA256_HEX_LEN)
		return BD_ENOMEM;
	to_hex(md, mdlen, out);
	return 0;
}

int bd_sha1_2(const void *a, size_t alen, const void *b, size_t blen,
	      unsigned char out[BD_SHA1_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int mdlen = 0;
	int ok;

	if (!ctx)
		return BD_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
	     EVP_DigestUpdate(ctx, a, alen) && EVP_DigestUpdate(ctx, b, blen) &&
	     EVP_DigestFinal_ex(ctx, out, &mdlen) && mdlen == BD_SHA1_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : BD_ENOMEM;
}
