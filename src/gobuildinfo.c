/* SPDX-License-Identifier: MIT */
/*
 * Go build information: the blob the Go linker writes into every Go
 * executable and shared object (cmd/link/internal/ld/data.go,
 * Link.buildinfo), found and read as Go's debug/buildinfo reads it
 * (src/debug/buildinfo/buildinfo.go, readRawBuildInfo), and its module
 * list parsed as runtime/debug parses it (src/runtime/debug/mod.go,
 * ParseBuildInfo). Nothing here parses ELF headers: the scan gives the
 * segments and the section (struct bd_go_elf) and the bytes.
 */
#include "bindep/buf.h"
#include "bindep/scan.h"
#include "bindep/utf8.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

/* The 32-byte header: the magic, the pointer size, the flags, then (in
 * the pointer format) the two pointers (debug/buildinfo buildInfoMagic,
 * buildInfoHeaderSize, buildInfoAlign). */
#define MAGIC	  "\xff Go buildinf:"
#define MAGIC_LEN 14
#define HEADER	  32
#define ALIGN	  16
/* Flags (header byte 15): the pointers' byte order, and the strings
 * inline after the header, Go 1.18 and later (flagsEndianBig,
 * flagsVersionInl). */
#define FLAG_BIG_ENDIAN 1u
#define FLAG_INLINE	2u
#define MAX_VARINT	10 /* binary.MaxVarintLen64 */
/* cmd/go/internal/modload's infoStart and infoEnd around the list. */
#define FRAMING 16

/* ---- finding the blob --------------------------------------------------- */

/* Where the blob is searched for and its inline strings end: the bytes of
 * the section, or of the writable segment, that the file holds. */
struct region {
	uint64_t vaddr, off, len;
	const char *what;
	bool section; /* the section .go.buildinfo, not a segment */
	bool cut;     /* the file ends before the section or segment does */
};

/* The name of the end of r, for a length that runs past it. */
static const char *end_of(const struct region *r)
{
	return r->cut ? "the file" : r->what;
}

/* The file offset of vaddr through the first PT_LOAD whose file bytes
 * hold it, and the bytes of that segment from there (debug/buildinfo
 * elfExe.ReadData). */
static bool map_vaddr(const struct bd_go_elf *e, uint64_t vaddr, uint64_t *off,
		      uint64_t *room)
{
	size_t i;

	for (i = 0; i < e->nloads; i++) {
		const struct bd_go_load *l = &e->loads[i];

		if (vaddr >= l->vaddr && vaddr - l->vaddr < l->filesz) {
			*off = l->off + (vaddr - l->vaddr);
			*room = l->filesz - (vaddr - l->vaddr);
			return true;
		}
	}
	return false;
}

/* debug/buildinfo elfExe.DataStart's segment: the first PT_LOAD that is
 * writable and not executable. */
static const struct bd_go_load *writable_segment(const struct bd_go_elf *e)
{
	size_t i;

	for (i = 0; i < e->nloads; i++)
		if ((e->loads[i].flags & (PF_X | PF_W)) == PF_W)
			return &e->loads[i];
	return NULL;
}

/* The region of a file that has a section named .go.buildinfo, or no
 * section headers; BD_ENOENT otherwise. */
static int region_of(const struct bd_go_elf *e, uint64_t size, struct region *r,
		     struct bd_error *err)
{
	const struct bd_go_load *l = e->sections ? NULL : writable_segment(e);
	uint64_t room;

	memset(r, 0, sizeof(*r));
	if (e->named) {
		if (!map_vaddr(e, e->addr, &r->off, &room))
			return bd_error_set(err, BD_EFORMAT,
					    "Go build info: section "
					    ".go.buildinfo at 0x%llx is in no "
					    "segment",
					    (unsigned long long)e->addr);
		r->vaddr = e->addr;
		r->len = e->size < room ? e->size : room;
		r->what = "section .go.buildinfo";
		r->section = true;
	} else if (l) {
		r->vaddr = l->vaddr;
		r->off = l->off;
		r->len = l->filesz;
		r->what = "its writable segment";
	} else {
		return BD_ENOENT;
	}
	if (r->off > size || r->len > size - r->off) {
		r->len = r->off > size ? 0 : size - r->off;
		r->cut = true;
	}
	return 0;
}

/* The first magic at a 16-byte-aligned address among the first
 * BD_GO_MAX_SEARCH bytes of r (debug/buildinfo searchMagic): its place
 * in r. None is no Go binary; none in a section of that name is said. */
static int search_magic(const struct bd_go_source *src, const struct region *r,
			uint64_t *at, struct bd_error *err)
{
	uint64_t skip = (ALIGN - r->vaddr % ALIGN) % ALIGN;
	const unsigned char *d = NULL;
	size_t n = 0, i;

	if (skip < r->len) {
		n = r->len - skip < BD_GO_MAX_SEARCH ? (size_t)(r->len - skip)
						     : BD_GO_MAX_SEARCH;
		d = src->bytes(src->ctx, r->off + skip, n);
	}
	for (i = 0; d && i + MAGIC_LEN <= n; i += ALIGN) {
		if (!memcmp(d + i, MAGIC, MAGIC_LEN)) {
			*at = skip + i;
			return 0;
		}
	}
	if (r->section)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: section .go.buildinfo "
				    "holds no build info");
	return BD_ENOENT;
}

/* binary.Uvarint over the n bytes at b, ten at most: the bytes it takes,
 * 0 when they end before it does, -1 when it overflows 64 bits. */
static int uvarint(const unsigned char *b, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	unsigned shift = 0;
	size_t i;

	for (i = 0; i < n && i < MAX_VARINT; i++) {
		if (b[i] < 0x80) {
			if (i == MAX_VARINT - 1 && b[i] > 1)
				return -1;
			*out = x | (uint64_t)b[i] << shift;
			return (int)i + 1;
		}
		x |= (uint64_t)(b[i] & 0x7f) << shift;
		shift += 7;
	}
	return i == MAX_VARINT ? -1 : 0;
}

/* One inline string at *pos of r: a varint length and its bytes, both
 * inside r (debug/buildinfo decodeString). */
static int inline_string(const struct bd_go_source *src, const struct region *r,
			 uint64_t *pos, const char *what, uint64_t *off,
			 uint64_t *len, struct bd_error *err)
{
	size_t avail = r->len - *pos < MAX_VARINT ? (size_t)(r->len - *pos)
						  : MAX_VARINT;
	const unsigned char *b =
		avail ? src->bytes(src->ctx, r->off + *pos, avail) : NULL;
	int used = b ? uvarint(b, avail, len) : 0;

	if (used == 0)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: the length of its %s runs "
				    "past the end of %s",
				    what, end_of(r));
	if (used < 0)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: the length of its %s "
				    "overflows",
				    what);
	*pos += (uint64_t)used;
	if (*len > r->len - *pos)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its %s of %llu bytes runs "
				    "past the end of %s",
				    what, (unsigned long long)*len, end_of(r));
	*off = r->off + *pos;
	*pos += *len;
	return 0;
}

/* The toolchain's version: debug/buildinfo takes an empty one for no
 * build info; a long one is no version. */
static int version_ok(uint64_t len, struct bd_error *err)
{
	if (!len)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its version is empty");
	if (len > BD_GO_MAX_VERSION)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its version of %llu bytes "
				    "is over the limit of %u",
				    (unsigned long long)len, BD_GO_MAX_VERSION);
	return 0;
}

static int inline_strings(const struct bd_go_source *src,
			  const struct region *r, uint64_t pos,
			  struct bd_go_blob *blob, struct bd_error *err)
{
	int rc = inline_string(src, r, &pos, "version", &blob->version_off,
			       &blob->version_len, err);

	if (!rc)
		rc = version_ok(blob->version_len, err);
	if (!rc)
		rc = inline_string(src, r, &pos, "module list", &blob->mod_off,
				   &blob->mod_len, err);
	return rc;
}

/* Where bytes [off, off + len) of a segment lie past the file's end. */
static bool past_file(const struct bd_go_source *src, uint64_t off,
		      uint64_t len)
{
	return off > src->size || len > src->size - off;
}

/*
 * The Go string whose header (data pointer, length) is at addr, each
 * field of size bytes in the byte order of msb, its bytes found through
 * the segments (debug/buildinfo readString). A string of no bytes is
 * empty wherever it points.
 */
static int pointer_string(const struct bd_go_elf *e,
			  const struct bd_go_source *src, uint64_t addr,
			  unsigned size, bool msb, const char *what,
			  uint64_t *off, uint64_t *len, struct bd_error *err)
{
	const unsigned char *h = NULL;
	uint64_t hoff, room, data;

	if (!map_vaddr(e, addr, &hoff, &room))
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its %s's string header at "
				    "0x%llx is in no segment",
				    what, (unsigned long long)addr);
	if (room >= 2 * size && !past_file(src, hoff, 2 * size))
		h = src->bytes(src->ctx, hoff, 2 * size);
	if (!h)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its %s's string header at "
				    "0x%llx runs past the end of %s",
				    what, (unsigned long long)addr,
				    room < 2 * size ? "its segment"
						    : "the file");
	data = bd_load_uint(h, size, msb);
	*len = bd_load_uint(h + size, size, msb);
	*off = 0;
	if (!*len)
		return 0;
	if (!map_vaddr(e, data, off, &room))
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its %s at 0x%llx is in no "
				    "segment",
				    what, (unsigned long long)data);
	if (*len > room || past_file(src, *off, *len))
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its %s of %llu bytes runs "
				    "past the end of %s",
				    what, (unsigned long long)*len,
				    *len > room ? "its segment" : "the file");
	return 0;
}

/* The pointer format of Go 1.17 and earlier: the header's two pointers,
 * at 16 and 16 + the pointer size. */
static int pointer_strings(const struct bd_go_elf *e,
			   const struct bd_go_source *src,
			   const unsigned char *hdr, struct bd_go_blob *blob,
			   struct bd_error *err)
{
	unsigned size = hdr[MAGIC_LEN];
	bool msb = hdr[MAGIC_LEN + 1] & FLAG_BIG_ENDIAN;
	int rc;

	if (size != 4 && size != 8)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: pointer size %u, not 4 or "
				    "8",
				    size);
	rc = pointer_string(e, src, bd_load_uint(hdr + 16, size, msb), size,
			    msb, "version", &blob->version_off,
			    &blob->version_len, err);
	if (!rc)
		rc = version_ok(blob->version_len, err);
	if (!rc)
		rc = pointer_string(e, src,
				    bd_load_uint(hdr + 16 + size, size, msb),
				    size, msb, "module list", &blob->mod_off,
				    &blob->mod_len, err);
	return rc;
}

int bd_gobuildinfo_find(const struct bd_go_elf *elf,
			const struct bd_go_source *src, struct bd_go_blob *blob,
			struct bd_error *err)
{
	unsigned char hdr[HEADER];
	const unsigned char *p = NULL;
	struct region r;
	uint64_t at = 0;
	int rc;

	memset(blob, 0, sizeof(*blob));
	rc = region_of(elf, src->size, &r, err);
	if (!rc)
		rc = search_magic(src, &r, &at, err);
	if (rc)
		return rc;
	if (r.len - at >= HEADER)
		p = src->bytes(src->ctx, r.off + at, HEADER);
	if (!p)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its header runs past the "
				    "end of %s",
				    end_of(&r));
	memcpy(hdr, p, HEADER);
	rc = hdr[MAGIC_LEN + 1] & FLAG_INLINE
		     ? inline_strings(src, &r, at + HEADER, blob, err)
		     : pointer_strings(elf, src, hdr, blob, err);
	if (!rc)
		blob->mod_too_large = blob->mod_len > BD_GO_MAX_MODINFO;
	return rc;
}

/* ---- Go's quoted strings (strconv) -------------------------------------- */

/* The value of the n digits at s in base (8 or 16); false when one is
 * not a digit of it. */
static bool digits(const char *s, size_t n, unsigned base, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = bd_hex_digit(s[i]);

		if (d < 0 || (unsigned)d >= base)
			return false;
		v = v * base + (uint32_t)d;
	}
	*out = v;
	return true;
}

/* Appends the code point as UTF-8; false for a surrogate or one past
 * U+10FFFF (strconv's \u and \U take valid runes only). */
static bool add_rune(struct bd_buf *b, uint32_t cp)
{
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return false;
	if (cp < 0x80) {
		bd_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		bd_buf_addc(b, (char)(0xc0 | cp >> 6));
		bd_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		bd_buf_addc(b, (char)(0xe0 | cp >> 12));
		bd_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		bd_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		bd_buf_addc(b, (char)(0xf0 | cp >> 18));
		bd_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		bd_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		bd_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
	return true;
}

/* One escape of a double-quoted string, s[0..n) after its backslash
 * (strconv.UnquoteChar): the bytes it takes, 0 when it is none. */
static size_t unescape(const char *s, size_t n, struct bd_buf *b)
{
	static const char from[] = "abfnrtv\\\"", to[] = "\a\b\f\n\r\t\v\\\"";
	const char *simple = memchr(from, s[0], sizeof(from) - 1);
	uint32_t v;

	if (simple) {
		bd_buf_addc(b, to[simple - from]);
		return 1;
	}
	if (s[0] == 'x' && n >= 3 && digits(s + 1, 2, 16, &v)) {
		bd_buf_addc(b, (char)v);
		return 3;
	}
	if (s[0] >= '0' && s[0] <= '7' && n >= 3 && digits(s, 3, 8, &v) &&
	    v <= 0xff) {
		bd_buf_addc(b, (char)v);
		return 3;
	}
	if (s[0] == 'u' && n >= 5 && digits(s + 1, 4, 16, &v) && add_rune(b, v))
		return 5;
	if (s[0] == 'U' && n >= 9 && digits(s + 1, 8, 16, &v) && add_rune(b, v))
		return 9;
	return 0;
}

/* strconv.Unquote of all of s[0..n), a "..." or `...` literal, appended
 * to b; false when it is not one. */
static bool go_unquote(const char *s, size_t n, struct bd_buf *b)
{
	size_t i = 1, used;

	if (n < 2 || s[n - 1] != s[0] || (s[0] != '"' && s[0] != '`'))
		return false;
	if (s[0] == '`') {
		for (; i < n - 1; i++) {
			if (s[i] == '`')
				return false;
			if (s[i] != '\r') /* raw strings drop it */
				bd_buf_addc(b, s[i]);
		}
		return true;
	}
	while (i < n - 1) {
		if (s[i] == '"' || s[i] == '\n')
			return false;
		if (s[i] != '\\') {
			bd_buf_addc(b, s[i++]);
			continue;
		}
		used = i + 1 < n - 1 ? unescape(s + i + 1, n - 1 - (i + 1), b)
				     : 0;
		if (!used)
			return false;
		i += 1 + used;
	}
	return true;
}

/* The length of the quoted literal s starts with (strconv.QuotedPrefix,
 * its end only), 0 when it is not closed. */
static size_t quoted_prefix(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		if (s[i] == s[0])
			return i + 1;
		if (s[0] == '"' && s[i] == '\\')
			i++;
	}
	return 0;
}

/* ---- the module list --------------------------------------------------- */

/*
 * Why a field of the list cannot be kept, or NULL. ParseBuildInfo takes
 * any bytes, and so do we but two: a NUL (our strings end at one) and
 * bytes that are not UTF-8 (an SBOM's strings are Unicode text). Control
 * characters stay, as Go keeps them, the '\r' of a line ending in CRLF
 * in its last field above all: the emitters escape them (JSON's \u000d,
 * a purl's %0D, "\x0d" in the views).
 */
static const char *field_problem(const char *s, size_t n)
{
	if (memchr(s, '\0', n))
		return "a field with a NUL byte";
	if (!bd_utf8_valid(s, n))
		return "a field that is not UTF-8 text";
	return NULL;
}

/* The build settings kept (runtime/debug BuildSetting's defined keys). */
static const char *const kept_keys[] = { "-buildmode", "CGO_ENABLED", "GOARCH",
					 "GOOS", "vcs.revision" };

struct list {
	struct bd_arena *a;
	struct bd_go_info *info;
	struct bd_go_module *deps;
	struct bd_kv *settings;
	/* The module a "=>" line replaces: the one on the line before. */
	struct bd_go_module *last;
	bool after_bad;	    /* the line before was skipped */
	bool after_dropped; /* the line before was past the cap */
	bool nomem;
	size_t line;
	/* The first line skipped and why, the lines skipped in all; the
	 * cap met, and before any line was skipped. */
	size_t first_line, skipped;
	char why[128];
	bool capped, capped_first;
};

static void skip_line(struct list *l, const char *why)
{
	if (!l->skipped++) {
		l->first_line = l->line;
		snprintf(l->why, sizeof(l->why), "%s", why);
	}
	l->after_bad = true;
}

/* A copy of s[0..n) in the arena, NULL for an empty field. */
static const char *field(struct list *l, const char *s, size_t n)
{
	const char *copy = n ? bd_arena_strndup(l->a, s, n) : NULL;

	if (n && !copy)
		l->nomem = true;
	return copy;
}

/* Splits s[0..n) at its tabs (strings.Split): how many fields, the first
 * max of them kept. */
static size_t split_tabs(const char *s, size_t n, const char **f, size_t *len,
			 size_t max)
{
	size_t k = 0;

	for (;;) {
		const char *tab = memchr(s, '\t', n);
		size_t part = tab ? (size_t)(tab - s) : n;

		if (k < max) {
			f[k] = s;
			len[k] = part;
		}
		k++;
		if (!tab)
			return k;
		s = tab + 1;
		n -= part + 1;
	}
}

/* A module line's fields into m (ParseBuildInfo readModuleLine; a
 * replacement has all three), each text (ParseBuildInfo takes any
 * bytes); the problem, or NULL. */
static const char *module_fields(struct list *l, const char *s, size_t n,
				 bool replacement, struct bd_go_module *m,
				 char *why, size_t size)
{
	const char *f[3];
	size_t len[3], k = split_tabs(s, n, f, len, 3), i;

	if (replacement && k != 3) {
		snprintf(why, size,
			 "expected 3 columns for a replacement, got %zu", k);
		return why;
	}
	if (k != 2 && k != 3) {
		snprintf(why, size, "expected 2 or 3 columns, got %zu", k);
		return why;
	}
	for (i = 0; i < k; i++) {
		const char *bad = field_problem(f[i], len[i]);

		if (bad)
			return bad;
	}
	if (!len[0])
		return "an empty module path";
	m->path = field(l, f[0], len[0]);
	m->version = field(l, f[1], len[1]);
	m->sum = k == 3 ? field(l, f[2], len[2]) : NULL;
	return NULL;
}

/* A "mod" or "dep" line: the module, or NULL when the line is skipped. */
static struct bd_go_module *module_line(struct list *l, const char *s, size_t n,
					struct bd_go_module *m)
{
	char why[96];
	const char *bad = module_fields(l, s, n, false, m, why, sizeof(why));

	l->last = NULL;
	if (bad) {
		skip_line(l, bad);
		return NULL;
	}
	l->last = m;
	return m;
}

static void dep_line(struct list *l, const char *s, size_t n)
{
	if (l->info->ndeps == BD_GO_MAX_MODULES) {
		if (!l->capped)
			l->capped_first = !l->skipped;
		l->capped = true;
		l->last = NULL;
		l->after_dropped = true;
		return;
	}
	if (module_line(l, s, n, &l->deps[l->info->ndeps]))
		l->info->ndeps++;
}

/* A "=>" line; after_bad and after_dropped say what became of the line
 * before. */
static void replace_line(struct list *l, const char *s, size_t n,
			 bool after_bad, bool after_dropped)
{
	struct bd_go_module *r;
	char why[96];
	const char *bad;

	if (!l->last) {
		if (after_dropped)
			return; /* its module's: past the cap too */
		if (after_bad)
			skip_line(l, "a replacement of a line skipped");
		else
			skip_line(l, "a replacement with no module before it");
		return;
	}
	r = bd_arena_alloc(l->a, sizeof(*r));
	if (!r) {
		l->nomem = true;
		return;
	}
	bad = module_fields(l, s, n, true, r, why, sizeof(why));
	if (bad)
		skip_line(l, bad);
	else
		l->last->replace = r;
	l->last = NULL;
}

/* What runtime/debug's quoteKey and quoteValue would have quoted (a
 * space, tab, quote, CR or newline), which ParseBuildInfo refuses, with
 * the whole list, unquoted: a list written with CRLF line ends has a CR
 * at the end of every build line. */
static const char *unquoted_problem(const char *s, size_t n)
{
	if (memchr(s, '\r', n))
		return "a build setting with an unquoted carriage return, "
		       "which Go refuses with the whole list";
	if (memchr(s, ' ', n) || memchr(s, '\t', n) || memchr(s, '"', n) ||
	    memchr(s, '`', n))
		return "a build setting not in Go's syntax";
	return NULL;
}

/* A build setting's key, unquoted into key; the rest after its '=' in
 * *rest. The problem, or NULL. */
static const char *setting_key(const char *s, size_t n, struct bd_buf *key,
			       const char **rest, size_t *nrest)
{
	const char *eq, *bad;
	size_t len;

	if (n && (s[0] == '"' || s[0] == '`')) {
		len = quoted_prefix(s, n);
		if (!len || !go_unquote(s, len, key))
			return "a build setting not in Go's syntax";
		if (len == n || s[len] != '=')
			return "a build setting without '='";
	} else {
		eq = memchr(s, '=', n);
		if (!eq)
			return "a build setting without '='";
		len = (size_t)(eq - s);
		bad = len ? unquoted_problem(s, len)
			  : "a build setting not in Go's syntax";
		if (bad)
			return bad;
		bd_buf_add(key, s, len);
	}
	*rest = s + len + 1;
	*nrest = n - len - 1;
	return NULL;
}

/* A setting's value, unquoted. Every setting's is checked, kept or not:
 * Go refuses the list for any. */
static const char *setting_value(const char *s, size_t n, struct bd_buf *value)
{
	if (n && (s[0] == '"' || s[0] == '`')) {
		if (!go_unquote(s, n, value))
			return "a build setting not in Go's syntax";
		return NULL;
	}
	bd_buf_add(value, s, n);
	return unquoted_problem(s, n);
}

/* Which kept key key[0..len) is (an unquoted key may hold a NUL), -1 for
 * none. */
static int kept_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(kept_keys); i++)
		if (strlen(kept_keys[i]) == len &&
		    !memcmp(key, kept_keys[i], len))
			return (int)i;
	return -1;
}

/* Keeps the first value of a kept key. */
static void keep_setting(struct list *l, const char *key, const char *value,
			 size_t len)
{
	size_t i;

	for (i = 0; i < l->info->nsettings; i++)
		if (!strcmp(l->settings[i].key, key))
			return;
	l->settings[i].key = key; /* static: kept_keys */
	l->settings[i].value = bd_arena_strndup(l->a, value, len);
	if (!l->settings[i].value)
		l->nomem = true;
	else
		l->info->nsettings++;
}

static void build_line(struct list *l, const char *s, size_t n)
{
	struct bd_buf key = BD_BUF_INIT, value = BD_BUF_INIT;
	const char *rest = NULL, *bad;
	size_t nrest = 0;
	int k = -1;

	l->last = NULL;
	bad = setting_key(s, n, &key, &rest, &nrest);
	if (!bad)
		bad = setting_value(rest, nrest, &value);
	if (!bad && (!bd_buf_ok(&key) || !bd_buf_ok(&value)))
		l->nomem = true;
	else if (!bad)
		k = kept_key(bd_buf_str(&key), key.len);
	if (k >= 0)
		bad = field_problem(bd_buf_str(&value), value.len);
	if (bad)
		skip_line(l, bad);
	else if (k >= 0)
		keep_setting(l, kept_keys[k], bd_buf_str(&value), value.len);
	bd_buf_release(&key);
	bd_buf_release(&value);
}

static bool starts(const char *s, size_t n, const char *word)
{
	size_t len = strlen(word);

	return n >= len && !memcmp(s, word, len);
}

/* The main package's path. */
static void path_line(struct list *l, const char *s, size_t n)
{
	const char *bad = field_problem(s, n);

	l->last = NULL;
	if (bad)
		skip_line(l, bad);
	else
		l->info->path = field(l, s, n);
}

/* One line (ParseBuildInfo's switch): a line of another kind is none of
 * ours, as it is none of Go's. */
static void one_line(struct list *l, const char *s, size_t n)
{
	bool after_bad = l->after_bad, after_dropped = l->after_dropped;
	struct bd_go_module *m;

	l->after_bad = l->after_dropped = false;
	if (starts(s, n, "path\t")) {
		path_line(l, s + 5, n - 5);
	} else if (starts(s, n, "mod\t")) {
		m = bd_arena_alloc(l->a, sizeof(*m));
		if (!m)
			l->nomem = true;
		else if (module_line(l, s + 4, n - 4, m))
			l->info->main = m;
	} else if (starts(s, n, "dep\t")) {
		dep_line(l, s + 4, n - 4);
	} else if (starts(s, n, "=>\t")) {
		replace_line(l, s + 3, n - 3, after_bad, after_dropped);
	} else if (starts(s, n, "build\t")) {
		build_line(l, s + 6, n - 6);
	}
}

/* Room for every "dep" line, BD_GO_MAX_MODULES at most. */
static size_t count_deps(const char *s, size_t n)
{
	size_t count = 0;
	const char *end = s + n;

	while (s < end && count < BD_GO_MAX_MODULES) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		count += starts(s, (size_t)(end - s), "dep\t");
		s = nl ? nl + 1 : end;
	}
	return count;
}

/* Every line that ends in a newline (ParseBuildInfo: strings.Cut). */
static void parse_lines(struct list *l, const char *s, size_t n)
{
	const char *end = s + n;

	while (s < end && !l->nomem) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		if (!nl)
			break;
		l->line++;
		one_line(l, s, (size_t)(nl - s));
		s = nl + 1;
	}
}

/* The first problem, BD_EFORMAT; 0 for none. */
static int list_problem(const struct list *l, struct bd_error *err)
{
	if (l->capped && l->capped_first)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: more than %u modules, "
				    "keeping the first %u",
				    BD_GO_MAX_MODULES, BD_GO_MAX_MODULES);
	if (!l->skipped)
		return 0;
	if (l->skipped == 1)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: module list line %zu: %s, "
				    "skipping it",
				    l->first_line, l->why);
	return bd_error_set(err, BD_EFORMAT,
			    "Go build info: module list line %zu: %s, "
			    "skipping it (and %zu more line%s)",
			    l->first_line, l->why, l->skipped - 1,
			    l->skipped == 2 ? "" : "s");
}

static int parse_list(struct bd_go_info *info, const char *mod, size_t len,
		      struct bd_arena *a, struct bd_error *err)
{
	struct list l;
	size_t ndeps = count_deps(mod, len);

	memset(&l, 0, sizeof(l));
	l.a = a;
	l.info = info;
	l.deps = bd_arena_alloc(a, (ndeps ? ndeps : 1) * sizeof(*l.deps));
	l.settings =
		bd_arena_alloc(a, sizeof(kept_keys) / sizeof(kept_keys[0]) *
					  sizeof(*l.settings));
	if (!l.deps || !l.settings)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	info->deps = l.deps;
	info->settings = l.settings;
	parse_lines(&l, mod, len);
	if (l.nomem)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	return list_problem(&l, err);
}

int bd_gobuildinfo_parse(const char *version, size_t version_len,
			 const char *mod, size_t mod_len,
			 struct bd_arena *arena, const struct bd_go_info **out,
			 struct bd_error *err)
{
	struct bd_go_info *info;
	int rc = 0;

	if (!version_len)
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its version is empty");
	/* Said apart: a version of valid UTF-8 with a control character in
	 * it is refused too (Go writes none), but "not UTF-8" would be false.
	 */
	if (!bd_utf8_valid(version, version_len))
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its version is not UTF-8 "
				    "text");
	if (!bd_utf8_text(version, version_len))
		return bd_error_set(err, BD_EFORMAT,
				    "Go build info: its version holds a "
				    "control character");
	info = bd_arena_alloc(arena, sizeof(*info));
	if (info)
		info->version = bd_arena_strndup(arena, version, version_len);
	if (!info || !info->version)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	/* debug/buildinfo: the list is framed when it is 33 bytes or more
	 * with a newline 17 from its end; else it is none. */
	if (mod && mod_len >= 2 * FRAMING + 1 &&
	    mod[mod_len - FRAMING - 1] == '\n')
		rc = parse_list(info, mod + FRAMING, mod_len - 2 * FRAMING,
				arena, err);
	else if (mod && mod_len)
		rc = bd_error_set(err, BD_EFORMAT,
				  "Go build info: its module list is not "
				  "framed by Go's sentinels, ignoring it");
	if (rc != BD_ENOMEM)
		*out = info;
	return rc;
}
