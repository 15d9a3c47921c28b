/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_LDCONF_H
#define BINDEP_LDCONF_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/map.h"
#include "bindep/root.h"

/*
 * The loader's configuration under a root: ld.so.cache (glibc's
 * "glibc-ld.so.cache1.1" format, read directly, every offset checked) and
 * ld.so.conf (with its include globs), which stands in for the cache when
 * a root has none.
 */

#define BD_LDCONF_MAX_DEPTH 8 /* nested includes */

/* Directories ld.so.conf may list: every library not found is looked for
 * in each, and real systems list a few dozen at most. */
#define BD_LDCONF_MAX_DIRS 1024

struct bd_ldcache_entry {
	const char *key;   /* soname */
	const char *value; /* absolute path inside the root */
	uint32_t flags;	   /* FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 ... */
	uint64_t hwcap;
	/* An entry of a glibc-hwcaps subdirectory (ldconfig >= 2.33):
	 * named_hwcaps, and the subdirectory's name ("x86-64-v3"), or NULL
	 * when the cache does not name it (no loader can use the entry). */
	bool named_hwcaps;
	const char *hwcaps;
};

/* Entries one soname may have in a cache (one per ABI and glibc-hwcaps
 * level in a real one); a cache with more is refused. */
#define BD_LDCACHE_MAX_SAME_KEY 64u

struct bd_ldcache {
	char *data; /* a copy of the file */
	size_t size;
	struct bd_ldcache_entry *entries;
	size_t n;
	size_t *next_same;   /* next entry with the same key, or SIZE_MAX */
	struct bd_map first; /* key -> first entry */
};

void bd_ldcache_init(struct bd_ldcache *c);
void bd_ldcache_release(struct bd_ldcache *c);

/* Parses a cache image (copied). Returns 0 or BD_EFORMAT / BD_ENOMEM with
 * err set (the message does not name the file). */
int bd_ldcache_parse(struct bd_ldcache *c, const void *data, size_t size,
		     struct bd_error *err);

/* Reads (bd_root_open, confined to root) and parses a cache file; BD_ENOENT
 * when there is none. The message names the file. */
int bd_ldcache_load(struct bd_ldcache *c, const struct bd_root *root,
		    const char *host_path, struct bd_error *err);

/* The first entry for a soname, or SIZE_MAX; then follow next_same[]. */
size_t bd_ldcache_find(const struct bd_ldcache *c, const char *soname);

/* A list of directories, in order, without repeats (found by a map: the
 * list is as long as an input makes it, up to max). */
struct bd_dirlist {
	char **dirs;
	size_t n, alloc;
	size_t max;	    /* BD_LDCONF_MAX_DIRS unless changed after init */
	struct bd_map seen; /* dirs[i] -> i */
};

void bd_dirlist_init(struct bd_dirlist *l);
void bd_dirlist_release(struct bd_dirlist *l);

/* Adds dir (len bytes, trailing slashes dropped) unless present. Returns
 * 0, BD_ENOMEM, or BD_ELIMIT when the list already holds max entries. */
int bd_dirlist_add(struct bd_dirlist *l, const char *dir, size_t len);

/*
 * Reads an ld.so.conf (an inside path) under the root into dirs, following
 * "include" lines (globs, relative to the including file's directory) to
 * BD_LDCONF_MAX_DEPTH. Problems in a file (an include too deep, a glob
 * that cannot be read) are warnings through diag, each limit (depth,
 * included files, BD_LDCONF_MAX_DIRS) warned about once; past the count
 * limits the rest is not read. Returns 0, BD_ENOENT when the file does
 * not exist, BD_ENOMEM.
 */
int bd_ldconf_load(const struct bd_root *r, const char *path,
		   struct bd_dirlist *dirs, const struct bd_diag *diag,
		   struct bd_error *err);

/*
 * Parses the text of one ld.so.conf. Directory lines go to dirs; each
 * "include" pattern is passed to on_include (which may be NULL). Stops at
 * the first error: BD_ELIMIT when dirs is full, or on_include's.
 */
int bd_ldconf_parse(const char *text, size_t len, struct bd_dirlist *dirs,
		    int (*on_include)(void *ctx, const char *pattern),
		    void *ctx);

/*
 * Parses the text of a musl loader's path file (/etc/ld-musl-<arch>.path):
 * directories separated by ':' or newlines, empty ones skipped, and a NUL
 * ends the text, as musl's path_open searches it as a string. A relative
 * directory (searched from the working directory, which no scan has) is
 * skipped. Returns 0, BD_ENOMEM, or BD_ELIMIT when dirs is full.
 */
int bd_musl_path_parse(const char *text, size_t len, struct bd_dirlist *dirs);

#endif
