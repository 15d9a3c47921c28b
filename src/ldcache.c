/* SPDX-License-Identifier: MIT */
/*
 * glibc's ld.so.cache, "new" format (glibc-ld.so.cache1.1, elf/cache.c and
 * sysdeps/generic/dl-cache.h): a 48-byte header, nlibs entries of 24
 * bytes, then strings; string offsets count from the header. An old
 * "ld.so-1.7.0" part may come first (the compat format): it is skipped.
 */
#include "bindep/ldconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NEW_MAGIC  "glibc-ld.so.cache1.1"
#define OLD_MAGIC  "ld.so-1.7.0"
#define NEW_HEADER 48
#define NEW_ENTRY  24
#define OLD_HEADER 16
#define OLD_ENTRY  12
#define MAX_CACHE  (256u * 1024u * 1024u)

/*
 * Limits that keep the work linear in the entries (issue 11: a 3 MB cache
 * whose strings ran to the end of the file took minutes, each entry's
 * string being scanned, then hashed, to the end). Each is far above what
 * ldconfig writes: this machine's cache has 665 entries, a soname has one
 * entry per ABI and glibc-hwcaps level, keys are file names (NAME_MAX) and
 * values paths (PATH_MAX). A cache over a limit is refused as malformed,
 * and ld.so.conf is read instead.
 */
#define MAX_ENTRIES  65536u /* entries read */
#define MAX_KEY	     255u   /* bytes in a soname, as NAME_MAX */
#define MAX_VALUE    4095u  /* bytes in a path, as PATH_MAX less its NUL */
#define MAX_SAME_KEY BD_LDCACHE_MAX_SAME_KEY /* entries for one soname */

void bd_ldcache_init(struct bd_ldcache *c)
{
	memset(c, 0, sizeof(*c));
	bd_map_init(&c->first);
}

void bd_ldcache_release(struct bd_ldcache *c)
{
	free(c->data);
	free(c->entries);
	free(c->next_same);
	bd_map_release(&c->first);
	bd_ldcache_init(c);
}

/* Where the new-format header starts: 0, or after an old-format part. */
static int new_header_offset(const unsigned char *d, size_t size, size_t *off)
{
	uint64_t nold, end;

	if (size >= sizeof(OLD_MAGIC) - 1 &&
	    !memcmp(d, OLD_MAGIC, sizeof(OLD_MAGIC) - 1)) {
		if (size < OLD_HEADER)
			return BD_EFORMAT;
		nold = bd_load_uint(d + 12, 4,
				    false); /* old part: host order */
		end = OLD_HEADER + nold * OLD_ENTRY;
		*off = (size_t)((end + 7) & ~(uint64_t)7);
		return *off < size ? 0 : BD_EFORMAT;
	}
	*off = 0;
	return 0;
}

/* A NUL-terminated string of at most max bytes at offset off of the
 * string area, or NULL. The search stops after max bytes: no entry can
 * make us read the rest of the file. */
static const char *string_at(const char *base, size_t avail, uint64_t off,
			     size_t max)
{
	size_t n;

	if (off >= avail)
		return NULL;
	n = avail - (size_t)off;
	if (n > max + 1)
		n = max + 1;
	return memchr(base + off, '\0', n) ? base + off : NULL;
}

/* Links the entries of each soname; BD_EFORMAT when one has more than
 * MAX_SAME_KEY, which would make every lookup of it walk them all. */
static int index_entries(struct bd_ldcache *c, struct bd_error *err)
{
	uint32_t *same = malloc((c->n ? c->n : 1) * sizeof(*same));
	size_t i;
	int rc = 0;

	c->next_same = malloc((c->n ? c->n : 1) * sizeof(*c->next_same));
	if (!c->next_same || !same)
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	/* Walk backwards so that each key's first entry ends in the map and
	 * next_same links entries in cache order; same[i] counts entries
	 * from i on with i's key. */
	for (i = c->n; !rc && i-- > 0;) {
		uint32_t later;
		bool seen = bd_map_get(&c->first, c->entries[i].key, &later);

		c->next_same[i] = seen ? later : SIZE_MAX;
		same[i] = seen ? same[later] + 1 : 1;
		if (same[i] > MAX_SAME_KEY)
			rc = bd_error_set(err, BD_EFORMAT,
					  "more than %u entries for one "
					  "soname",
					  MAX_SAME_KEY);
		else if (bd_map_put(&c->first, c->entries[i].key, (uint32_t)i))
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	free(same);
	return rc;
}

/*
 * The glibc-hwcaps subdirectories' names (glibc 2.33+, dl-cache.h): the
 * header's extension_offset (at 32, from the start of the file) leads to
 * a directory of sections; section 1 is an array of 32-bit offsets of
 * the names (from the start of the file too). An entry whose hwcap has
 * DL_CACHE_HWCAP_EXTENSION alone in its upper half (the ISA level bits
 * aside) is one of these subdirectories', the index of its name in its
 * lower half. A malformed extension names none, as the loader then uses
 * none of those entries (cache_extension_load fails).
 */
#define EXT_MAGIC	     0xeaa42174u
#define EXT_TAG_HWCAPS	     1u
#define HWCAP_EXTENSION	     (1ull << 62)
#define HWCAP_ISA_LEVEL_MASK 0x3ffu
#define MAX_HWCAPS	     256u

static bool named_hwcaps(uint64_t hwcap)
{
	return ((hwcap >> 32) & ~(uint64_t)HWCAP_ISA_LEVEL_MASK) ==
	       HWCAP_EXTENSION >> 32;
}

/*
 * The names' offsets: a pointer into the file and their count, or NULL.
 * As cache_extension_load: every section must lie in the file, or the
 * extension is void; of several hwcaps sections the last counts; one
 * empty, misaligned or of a size not a multiple of 4 is none.
 */
static const unsigned char *hwcaps_section(const struct bd_ldcache *c,
					   size_t base, bool msb,
					   uint32_t *count)
{
	const unsigned char *d = (const unsigned char *)c->data;
	uint64_t ext = bd_load_uint(d + base + 32, 4, msb), n, i;
	uint64_t hw_off = 0, hw_size = 0;

	if (!ext || ext % 4 || ext > c->size || c->size - ext < 8 ||
	    bd_load_uint(d + ext, 4, msb) != EXT_MAGIC)
		return NULL;
	n = bd_load_uint(d + ext + 4, 4, msb);
	if (n > (c->size - ext - 8) / 16)
		return NULL;
	for (i = 0; i < n; i++) {
		const unsigned char *sec = d + ext + 8 + 16 * i;
		uint64_t off = bd_load_uint(sec + 8, 4, msb),
			 size = bd_load_uint(sec + 12, 4, msb);

		if (off > c->size || size > c->size - off)
			return NULL;
		if (bd_load_uint(sec, 4, msb) == EXT_TAG_HWCAPS) {
			hw_off = off;
			hw_size = size;
		}
	}
	if (!hw_size || hw_off % 4 || hw_size % 4 || hw_size / 4 > MAX_HWCAPS)
		return NULL;
	*count = (uint32_t)(hw_size / 4);
	return d + hw_off;
}

/* Names each glibc-hwcaps entry's subdirectory, where the cache does. */
static void name_hwcaps(struct bd_ldcache *c, size_t base, bool msb)
{
	uint32_t count = 0, index;
	const unsigned char *names = hwcaps_section(c, base, msb, &count);
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct bd_ldcache_entry *e = &c->entries[i];

		e->named_hwcaps = named_hwcaps(e->hwcap);
		index = (uint32_t)e->hwcap;
		if (e->named_hwcaps && names && index < count)
			e->hwcaps = string_at(
				c->data, c->size,
				bd_load_uint(names + 4 * index, 4, msb),
				MAX_KEY);
	}
}

static int parse_entries(struct bd_ldcache *c, size_t base, uint64_t nlibs,
			 bool msb, struct bd_error *err)
{
	const unsigned char *d = (const unsigned char *)c->data + base;
	size_t avail = c->size - base, i;

	c->entries = calloc(nlibs ? nlibs : 1, sizeof(*c->entries));
	if (!c->entries)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	for (i = 0; i < nlibs; i++) {
		const unsigned char *e = d + NEW_HEADER + i * NEW_ENTRY;
		struct bd_ldcache_entry *out = &c->entries[c->n];

		out->flags = (uint32_t)bd_load_uint(e, 4, msb);
		out->key = string_at((const char *)d, avail,
				     bd_load_uint(e + 4, 4, msb), MAX_KEY);
		out->value = string_at((const char *)d, avail,
				       bd_load_uint(e + 8, 4, msb), MAX_VALUE);
		out->hwcap = bd_load_uint(e + 16, 8, msb);
		if (!out->key || !out->value)
			return bd_error_set(err, BD_EFORMAT,
					    "entry %zu has a string out of "
					    "range or too long",
					    i);
		c->n++;
	}
	name_hwcaps(c, base, msb);
	return index_entries(c, err);
}

int bd_ldcache_parse(struct bd_ldcache *c, const void *data, size_t size,
		     struct bd_error *err)
{
	const unsigned char *d;
	uint64_t nlibs;
	size_t base;
	bool msb;

	if (size > MAX_CACHE)
		return bd_error_set(err, BD_EFORMAT, "too large");
	c->data = malloc(size ? size : 1);
	if (!c->data)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	memcpy(c->data, data, size);
	c->size = size;
	d = (const unsigned char *)c->data;
	if (new_header_offset(d, size, &base) || size - base < NEW_HEADER ||
	    memcmp(d + base, NEW_MAGIC, sizeof(NEW_MAGIC) - 1))
		return bd_error_set(err, BD_EFORMAT,
				    "not a glibc-ld.so.cache1.1 file");
	/* Header flags, bits 0-1: 2 little-endian, 3 big-endian, 0 unset
	 * (the whole byte 0: an old ldconfig's, in the host's order), 1
	 * invalid; the loader ignores a cache of another value
	 * (cache_file_new_matches_endian). */
	if (d[base + 28] && (d[base + 28] & 3) < 2)
		return bd_error_set(err, BD_EFORMAT,
				    "flagged invalid (header flags %u)",
				    (unsigned)d[base + 28]);
	msb = (d[base + 28] & 3) == 3;
	nlibs = bd_load_uint(d + base + 20, 4, msb);
	if (nlibs > (size - base - NEW_HEADER) / NEW_ENTRY)
		return bd_error_set(err, BD_EFORMAT,
				    "%llu entries do not fit in the file",
				    (unsigned long long)nlibs);
	if (nlibs > MAX_ENTRIES)
		return bd_error_set(err, BD_EFORMAT,
				    "%llu entries, more than the %u read",
				    (unsigned long long)nlibs, MAX_ENTRIES);
	return parse_entries(c, base, nlibs, msb, err);
}

int bd_ldcache_load(struct bd_ldcache *c, const struct bd_root *root,
		    const char *host_path, struct bd_error *err)
{
	char *buf;
	size_t len;
	int rc;

	rc = bd_root_read(root, host_path, 0, MAX_CACHE, &buf, &len, err);
	if (rc)
		return rc;
	rc = bd_ldcache_parse(c, buf, len, err);
	free(buf);
	return rc && rc != BD_ENOMEM
		       ? bd_error_prefix(err, bd_root_shown(root, host_path))
		       : rc;
}

size_t bd_ldcache_find(const struct bd_ldcache *c, const char *soname)
{
	uint32_t i;

	return bd_map_get(&c->first, soname, &i) ? i : SIZE_MAX;
}
