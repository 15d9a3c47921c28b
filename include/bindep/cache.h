/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_CACHE_H
#define BINDEP_CACHE_H

#include "bindep/buf.h"
#include "bindep/error.h"

#include <time.h>

/*
 * The on-disk cache of online answers: one file per request, named by the
 * SHA-256 of the request, written atomically. Each entry records when it
 * was stored, the HTTP status, and the SHA-256 of the body, so that a
 * truncated or altered entry is noticed and ignored.
 */
struct bd_cache {
	const char *dir; /* NULL: no cache */
	time_t now;
	long ttl; /* seconds an entry stays fresh */
	/* NULL but in the unit tests: called with dir once bd_cache_get()
	 * or bd_cache_put() has checked the directory and before an entry
	 * is opened in it (the test swaps the directory in between). */
	void (*checked)(const char *dir);
};

enum bd_cache_result {
	BD_CACHE_MISS,	  /* none, or corrupt */
	BD_CACHE_FRESH,	  /* stored less than ttl ago */
	BD_CACHE_EXPIRED, /* older: refetch, but usable if that fails */
};

/* The key of a request: hex SHA-256 of "METHOD url\n" and the body. */
int bd_cache_key(const char *url, const char *post_body, char out[65]);

/* Reads an entry into body (reset first) and *status. */
enum bd_cache_result bd_cache_get(const struct bd_cache *c, const char *key,
				  long *status, struct bd_buf *body);

/* Parses the text of an entry: false when its header is malformed or the
 * body's length or SHA-256 do not match. */
bool bd_cache_parse_entry(const char *text, size_t len, long long *stored,
			  long *status, struct bd_buf *body);

/*
 * The cache directory is used only when it is a directory (not a symlink)
 * of the current user that group and others cannot write to: anyone else
 * who can write there could plant answers, or entries that are links to
 * the user's files. bd_cache_check() says why a directory is refused (an
 * error naming it); one that does not exist yet is fine. bd_cache_get()
 * treats a refused directory as empty, bd_cache_put() fails with the same
 * error.
 */
int bd_cache_check(const struct bd_cache *c, struct bd_error *err);

/* Stores an entry, creating the directory (0700) when needed: a new file
 * (mode 0600) renamed over the entry's name, so that whatever was there,
 * a symlink included, is replaced and never written through. */
int bd_cache_put(const struct bd_cache *c, const char *key, long status,
		 const struct bd_buf *body, struct bd_error *err);

#endif
