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

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* One number of the header, then a space: digits only when unsigned;
 * false past its type (sscanf's conversion of such a number is undefined:
 * glibc clamps it). */
static bool header_number(const char **p, bool sign, long long *v)
{
	char *end;

	if (!isdigit((unsigned char)**p) &&
	    !(sign && **p == '-' && isdigit((unsigned char)(*p)[1])))
		return false;
	errno = 0;
	*v = strtoll(*p, &end, 10);
	if (errno || *end != ' ')
		return false;
	*p = end + 1;
	return true;
}

/* "<stored> <status> <length> <sha256>", as bd_cache_put writes it. The
 * stored time is the clock of the run that wrote it: digits, no sign
 * (-2^63 overflowed the freshness test: fresh for ever). */
static bool header_fields(const char *line, long long *stored, long *status,
			  unsigned long long *n, char want[65])
{
	long long s, len;
	size_t k;

	if (!header_number(&line, false, stored) ||
	    !header_number(&line, true, &s) || s < LONG_MIN || s > LONG_MAX ||
	    !header_number(&line, false, &len))
		return false;
	k = strlen(line);
	if (!k || k > 64 || strchr(line, ' '))
		return false;
	memcpy(want, line, k + 1);
	*status = (long)s;
	*n = (unsigned long long)len;
	return true;
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
	if (!header_fields(line, stored, status, &n, want))
		return false;
	p = nl + 1;
	if (n != len - (size_t)(p - text) || bd_sha256_hex(p, n, sha) ||
	    strcmp(sha, want))
		return false;
	bd_buf_reset(body);
	bd_buf_add(body, p, n);
	return bd_buf_ok(body);
}

/* The directory without trailing slashes: "dir/" would make open(2)
 * follow a symlink that O_NOFOLLOW is there to refuse. */
static char *dir_name(const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	return strndup(dir, len);
}

/* Why an existing cache directory that could not be opened as one is
 * refused. */
static int refuse_unopened(const char *dir, int errnum, struct bd_error *err)
{
	struct stat st;

	if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
		return bd_error_set(err, BD_EIO,
				    "'%s': the cache directory is a symbolic "
				    "link",
				    dir);
	if (errnum == ENOTDIR && lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return bd_error_set(err, BD_EIO,
				    "'%s': the cache directory is not a "
				    "directory",
				    dir);
	return bd_error_errno(err, errnum == ENOENT ? BD_ENOENT : BD_EIO,
			      errnum, "'%s': cannot open the cache directory",
			      dir);
}

/*
 * The cache directory, opened once for each use and checked on the open
 * descriptor: whoever else can write to it, or swap it (a symlink), could
 * plant answers that end up in the SBOM, or entries that are links to the
 * user's files. Such a directory is not used at all. Returns the
 * descriptor, or a negative BD_E* (BD_ENOENT: it does not exist).
 */
static int open_dir(const char *dir, struct bd_error *err)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return refuse_unopened(dir, errno, err);
	if (fstat(fd, &st) != 0) {
		close(fd);
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s': cannot open the cache directory",
				      dir);
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return bd_error_set(err, BD_EIO,
				    "'%s': the cache directory belongs to "
				    "another user (uid %lu)",
				    dir, (unsigned long)st.st_uid);
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		return bd_error_set(err, BD_EIO,
				    "'%s': the cache directory is writable by "
				    "group or others (mode %03o)",
				    dir, (unsigned)(st.st_mode & 07777));
	}
	return fd;
}

int bd_cache_check(const struct bd_cache *c, struct bd_error *err)
{
	char *dir;
	int fd;

	if (!c->dir)
		return 0;
	dir = dir_name(c->dir);
	if (!dir)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	fd = open_dir(dir, err);
	free(dir);
	if (fd == BD_ENOENT)
		return 0; /* made when the first answer is stored */
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

enum bd_cache_result bd_cache_get(const struct bd_cache *c, const char *key,
				  long *status, struct bd_buf *body)
{
	struct bd_buf name = BD_BUF_INIT;
	char *dir, *text = NULL;
	size_t len = 0;
	long long stored = 0;
	struct bd_error ignored;
	bool ok;
	int fd;

	if (!c->dir)
		return BD_CACHE_MISS;
	/* A refused directory is not read; bd_cache_put says why. The entry
	 * is opened in the directory checked, by its descriptor: a path
	 * would go wherever the directory's name has been moved to since
	 * (a symlink to someone else's answers). */
	dir = dir_name(c->dir);
	fd = dir ? open_dir(dir, &ignored) : BD_ENOMEM;
	free(dir);
	if (fd < 0)
		return BD_CACHE_MISS;
	if (c->checked)
		c->checked(c->dir);
	bd_buf_printf(&name, "%s.json", key);
	/* An entry is never followed: a symlink, FIFO or device planted in a
	 * shared cache directory is a miss. */
	ok = bd_buf_ok(&name) &&
	     !bd_read_at(fd, name.data, name.data, MAX_ENTRY, &text, &len,
			 NULL) &&
	     bd_cache_parse_entry(text, len, &stored, status, body);
	close(fd);
	free(text);
	bd_buf_release(&name);
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
	/* "" has no copy[1] to start at: mkdir("") says ENOENT. */
	for (p = copy + (*copy != '\0'); !rc && *p; p++) {
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
	struct bd_buf entry = BD_BUF_INIT, name = BD_BUF_INIT;
	char sha[65], *dir, *path = NULL;
	int rc, fd;

	if (!c->dir)
		return 0;
	dir = dir_name(c->dir);
	if (!dir)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	rc = make_dirs(dir, err);
	fd = rc ? rc : open_dir(dir, err);
	free(dir);
	if (fd < 0)
		return fd;
	rc = bd_sha256_hex(body->data ? body->data : "", body->len, sha);
	bd_buf_printf(&entry, MAGIC "%lld %ld %zu %s\n", (long long)c->now,
		      status, body->len, sha);
	bd_buf_add(&entry, body->data ? body->data : "", body->len);
	bd_buf_printf(&name, "%s.json", key);
	path = entry_path(c, key);
	if (c->checked)
		c->checked(c->dir);
	/* Written in the directory checked, by its descriptor (a temporary
	 * renamed with renameat); path only names it in errors. 0600: the
	 * answers are the user's, like the directory. */
	if (rc || !bd_buf_ok(&entry) || !bd_buf_ok(&name) || !path)
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	else
		rc = bd_output_replace_at(fd, path, name.data, entry.data,
					  entry.len, 0600, err);
	close(fd);
	free(path);
	bd_buf_release(&name);
	bd_buf_release(&entry);
	return rc;
}
