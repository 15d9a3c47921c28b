/* SPDX-License-Identifier: MIT */
/*
 * Entry format, one file per request:
 *
 *   bindep-sbom cache 1\n
 *   <stored, seconds since the epoch> <HTTP status> <body length> <sha256>\n
 *   <body>
 */
#include "bindep/cache.h"
#include "bindep/root.h"
#include "bindep/common.h"
#include "bindep/hash.h"
#include "bindep/output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC	  "bindep-sbom cache 1\n"
#define MAX_ENTRY (64u << 20)

int bd_cache_key(const char *url, const char *post_body, char out[65])
{
	struct bd_buf b = BD_BUF_INIT;
	int rc;

	bd_buf_printf(&b, "%s %s\n%s", post_body ? "POST" : "GET", url,
		      post_body ? post_body : "");
	rc = bd_buf_ok(&b) ? bd_sha256_hex(b.data, b.len, out) : BD_ENOMEM;
	bd_buf_release(&b);
	return rc;
}

static char *entry_path(const struct bd_cache *c, const char *key)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_buf_printf(&b, "%s/%s.json", c->dir, key);
	return bd_buf_detach(&b, NULL);
}

bool bd_cache_parse_entry(const char *text, size_t len, long long *stored,
			  long *status, struct bd_buf *body)
{
	char sha[65], want[65], line[160];
	unsigned long long n;
	const char *p, *nl;

	if (len < sizeof(MAGIC) - 1 || memcmp(text, MAGIC, sizeof(MAGIC) - 1))
		return false;
	p = text + sizeof(MAGIC) - 1;
	nl = memchr(p, '\n', len - (size_t)(p - text));
	/* sscanf needs a string that ends with the line: a copy. */
	if (!nl || (size_t)(nl - p) >= sizeof(line))
		return false;
	memcpy(line, p, (size_t)(nl - p));
	line[nl - p] = '\0';
	if (sscanf(line, "%lld %ld %llu %64s", stored, status, &n, want) != 4)
		return false;
	p = nl + 1;
	if (n != len - (size_t)(p - text) || bd_sha256_hex(p, n, sha) ||
	    strcmp(sha, want))
		return false;
	bd_buf_reset(body);
	bd_buf_add(body, p, n);
	return bd_buf_ok(body);
}

enum bd_cache_result bd_cache_get(const struct bd_cache *c, const char *key,
				  long *status, struct bd_buf *body)
{
	char *path, *text = NULL;
	size_t len = 0;
	long long stored = 0;
	bool ok;

	if (!c->dir)
		return BD_CACHE_MISS;
	path = entry_path(c, key);
	/* An entry is never followed: a symlink, FIFO or device planted in a
	 * shared cache directory is a miss. */
	ok = path &&
	     !bd_root_read(NULL, path, BD_OPEN_NOFOLLOW, MAX_ENTRY, &text, &len,
			   NULL) &&
	     bd_cache_parse_entry(text, len, &stored, status, body);
	free(text);
	free(path);
	if (!ok)
		return BD_CACHE_MISS;
	/* An entry from the future (a clock set back) counts as fresh only
	 * as long as a fresh one would. */
	return stored <= (long long)c->now &&
			       (long long)c->now - stored < c->ttl
		       ? BD_CACHE_FRESH
		       : BD_CACHE_EXPIRED;
}

/* mkdir -p, each new directory 0700: the answers are the user's. */
static int make_dirs(const char *dir, struct bd_error *err)
{
	char *copy = strdup(dir), *p;
	int rc = 0;

	if (!copy)
		return BD_ENOMEM;
	for (p = copy + 1; !rc && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) && errno != EEXIST)
			rc = bd_error_errno(err, BD_EIO, errno,
					    "'%s': cannot create", copy);
		*p = '/';
	}
	if (!rc && mkdir(copy, 0700) && errno != EEXIST)
		rc = bd_error_errno(err, BD_EIO, errno, "'%s': cannot create",
				    copy);
	free(copy);
	return rc;
}

int bd_cache_put(const struct bd_cache *c, const char *key, long status,
		 const struct bd_buf *body, struct bd_error *err)
{
	struct bd_buf entry = BD_BUF_INIT;
	char sha[65], *path;
	int rc;

	if (!c->dir)
		return 0;
	rc = make_dirs(c->dir, err);
	if (rc)
		return rc;
	rc = bd_sha256_hex(body->data ? body->data : "", body->len, sha);
	if (rc)
		return bd_error_set(err, rc, "out of memory");
	bd_buf_printf(&entry, MAGIC "%lld %ld %zu %s\n", (long long)c->now,
		      status, body->len, sha);
	bd_buf_add(&entry, body->data ? body->data : "", body->len);
	path = entry_path(c, key);
	if (!bd_buf_ok(&entry) || !path)
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	else
		rc = bd_output_write(path, entry.data, entry.len, err);
	free(path);
	bd_buf_release(&entry);
	return rc;
}
