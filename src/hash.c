/* SPDX-License-Identifier: MIT */
#include "bindep/hash.h"
#include "bindep/error.h"

#include <openssl/evp.h>

static const char hexdigits[] = "0123456789abcdef";

int bd_sha256_hex(const void *data, size_t len, char out[BD_SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen * 2 != BD_SHA256_HEX_LEN)
		return BD_ENOMEM;
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hexdigits[md[i] >> 4];
		out[2 * i + 1] = hexdigits[md[i] & 0xf];
	}
	out[BD_SHA256_HEX_LEN] = '\0';
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
