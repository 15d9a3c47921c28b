/* SPDX-License-Identifier: MIT */
/*
 * cargo-auditable's dependency list: the zlib stream (RFC 1950) `cargo
 * auditable build` puts in a Rust binary's .dep-v0 section
 * (cargo-auditable/src/collect_audit_data.rs), decompressed with
 * libarchive and parsed with cJSON as auditable-info and auditable-serde
 * read it (auditable-info/src/lib.rs, json_from_slice; auditable-serde/
 * src/lib.rs, VersionInfo), but a bad package costs only itself. Nothing
 * here parses ELF: the scan finds the section (scan.c) and hands over its
 * bytes.
 */
#include "bindep/buf.h"
#include "bindep/json_read.h"
#include "bindep/scan.h"
#include "bindep/utf8.h"

#include <archive.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHAT "cargo-auditable dependency list: "

/* ---- the zlib stream ---------------------------------------------------- */

/* RFC 1950 section 2.2: CMF (CM, CINFO) and FLG (FCHECK, FDICT, FLEVEL). */
#define ZLIB_DEFLATE  8u
#define ZLIB_MAX_INFO 7u /* a window of 32 KiB at most */
#define ZLIB_FDICT    0x20u
/* RFC 1950 section 2.2: the stream ends with the Adler-32 of the data. */
#define ZLIB_ADLER 4u
/* RFC 1952 section 2.3: ID1 ID2, CM 8 (deflate), FLG 0 (no name,
 * comment, extra field or header CRC), MTIME 0 (none), XFL 0, OS 255
 * (unknown); the member ends with CRC32 and ISIZE, 8 bytes. */
static const unsigned char gzip_header[10] = { 0x1f, 0x8b, 8, 0, 0,
					       0,    0,	   0, 0, 0xff };
#define GZIP_TRAILER 8u
/* What one read of the decompressed data asks for. */
#define READ_CHUNK (16u * 1024u)

/* The stream's two header bytes, as RFC 1950 requires them of a
 * decompressor; FLEVEL says nothing a decompressor needs. */
static int zlib_header(const unsigned char *d, size_t len, struct bd_error *err)
{
	unsigned cm, cinfo;

	if (!len)
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "its section is empty");
	if (len < 2)
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "its zlib stream is cut short");
	cm = d[0] & 0x0fu;
	cinfo = d[0] >> 4;
	if (cm != ZLIB_DEFLATE)
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "not a zlib stream of deflate data "
					 "(compression method %u)",
				    cm);
	if (cinfo > ZLIB_MAX_INFO)
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "not a zlib stream (a window of 2^%u "
					 "bytes)",
				    cinfo + 8);
	if ((d[0] * 256u + d[1]) % 31u)
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "not a zlib stream (its header check "
					 "fails)");
	if (d[1] & ZLIB_FDICT)
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "its zlib stream needs a preset "
					 "dictionary");
	return 0;
}

/*
 * The zlib stream as a gzip member libarchive's gzip filter reads (it has
 * no filter for zlib streams; its zlib support is gzip's, and no zlib
 * call is made here): the gzip header, the deflate data after the zlib
 * header with the zlib stream's Adler-32, and 4 bytes more. The 8 bytes
 * after the deflate data stand for the gzip trailer, which libarchive
 * 3.6 does not check (archive_read_support_filter_gzip.c, consume_trailer:
 * "XXX TODO: Verify the length and CRC"; test_cargo_gzip_trailer_unchecked
 * pins it) but needs whole: a stream cut short, in its deflate data or
 * its Adler-32, leaves fewer than 8 and fails (test_cargo_every_cut_fails).
 * Neither checksum is checked: a CRC-32 of the data, or an Adler-32,
 * would be a home-made hash.
 */
static unsigned char *gzip_member(const unsigned char *d, size_t len, size_t *n)
{
	size_t body = len - 2;
	unsigned char *m = malloc(sizeof(gzip_header) + body + ZLIB_ADLER);

	if (!m)
		return NULL;
	memcpy(m, gzip_header, sizeof(gzip_header));
	memcpy(m + sizeof(gzip_header), d + 2, body);
	memset(m + sizeof(gzip_header) + body, 0, GZIP_TRAILER - ZLIB_ADLER);
	*n = sizeof(gzip_header) + body + GZIP_TRAILER - ZLIB_ADLER;
	return m;
}

/* Reads the data into out, up to one byte past BD_CARGO_MAX_JSON: 0,
 * BD_ELIMIT past it, BD_EFORMAT when it does not decompress, BD_ENOMEM. */
static int read_member(struct archive *a, struct bd_buf *out, size_t start)
{
	size_t got = 0, want;
	la_ssize_t n;

	for (;;) {
		want = BD_CARGO_MAX_JSON + 1 - got;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		if (!bd_buf_reserve(out, want))
			return BD_ENOMEM;
		n = archive_read_data(a, out->data + out->len, want);
		if (n < 0)
			return BD_EFORMAT;
		if (!n)
			return 0;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		got = out->len - start;
		if (got > BD_CARGO_MAX_JSON)
			return BD_ELIMIT;
	}
}

/* Where the zlib stream gzip_member made a member of ends in its
 * section, from the member's bytes the gzip filter took: its header, the
 * deflate data and the 8 of the trailer, which are the stream's Adler-32
 * and 4 bytes after it (libarchive's consume_trailer; what follows the
 * trailer is only looked at, for another member). len when that is not
 * known (a member of no data, which is not read to its end). */
static size_t stream_end(struct archive *a, size_t len)
{
	la_int64_t took = archive_filter_bytes(a, -1);
	size_t before = sizeof(gzip_header) - 2 + GZIP_TRAILER - ZLIB_ADLER;

	if (took < (la_int64_t)before || (uint64_t)took - before > len)
		return len;
	return (size_t)took - before;
}

/*
 * Opens a libarchive reader of the gzip member in memory, its data the
 * one "raw" entry, and reads it into out: 0, or BD_EFORMAT when it does
 * not decompress, else as read_member. *end: where the stream ends in
 * the section of len bytes the member was made of (stream_end).
 */
static int inflate_member(const unsigned char *m, size_t n, struct bd_buf *out,
			  size_t start, size_t len, size_t *end)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	int rc = BD_EFORMAT;

	if (!a)
		return BD_EFORMAT;
	if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(a) != ARCHIVE_OK)
		goto out;
	if (archive_read_open_memory(a, m, n) != ARCHIVE_OK) {
		/* The raw format bids on a byte of data: a member that
		 * decompressed (the filter stands) to none has no entry. A
		 * stream that does not decompress ends the filter. */
		if (archive_filter_code(a, 0) == ARCHIVE_FILTER_GZIP)
			rc = 0;
		goto out;
	}
	if (archive_read_next_header(a, &entry) == ARCHIVE_OK &&
	    archive_filter_code(a, 0) == ARCHIVE_FILTER_GZIP)
		rc = read_member(a, out, start);
	*end = stream_end(a, len);
out:
	archive_read_free(a);
	return rc;
}

/* The section d[0..len) as a gzip member, inflated into out after start
 * (as inflate_member). */
static int inflate_section(const unsigned char *d, size_t len,
			   struct bd_buf *out, size_t start, size_t *end)
{
	size_t n = 0;
	unsigned char *m = gzip_member(d, len, &n);
	int rc = m ? inflate_member(m, n, out, start, len, end) : BD_ENOMEM;

	free(m);
	return rc;
}

/* The cuts tried where a gzip member could follow the stream. */
#define MAX_CUTS 16u

/*
 * The zlib stream alone, without what follows it in the section: a gzip
 * filter reads a gzip member after another, so that one starting 8 bytes
 * after the deflate data (the Adler-32 and 4 bytes: the trailer it takes
 * them for) would be read on as the same data, where auditable-info
 * reads the one zlib stream. Such a member starts with ID1 ID2 CM
 * (1f 8b 08) at some p: the section cut 4 bytes before p, the trailer's
 * 4 zeros put back by gzip_member, inflates only when the deflate data
 * ends at p - 8 or before (else it is cut short), and then holds the
 * stream alone, the first such p there being no member before it. Data
 * of deflate holds those 3 bytes once in 16 MiB: MAX_CUTS are tried,
 * more is refused (each cut inflates up to 8 MiB). 1 when no cut
 * inflates (nothing follows the stream but what no gzip filter reads),
 * 2 past MAX_CUTS, else as inflate_member.
 */
static int inflate_cut(const unsigned char *d, size_t len, struct bd_buf *out,
		       size_t start, size_t *end)
{
	static const unsigned char magic[3] = { 0x1f, 0x8b, 8 };
	size_t p, cuts = 0;
	int rc;

	for (p = 8; p + sizeof(magic) <= len; p++) {
		if (memcmp(d + p, magic, sizeof(magic)))
			continue;
		if (cuts++ == MAX_CUTS)
			return 2;
		rc = inflate_section(d, p - 4, out, start, end);
		if (rc != BD_EFORMAT)
			return rc;
		out->len = start; /* what the cut short stream gave */
		if (out->data)
			out->data[start] = '\0';
	}
	return 1;
}

int bd_cargoaudit_inflate(const unsigned char *data, size_t len,
			  struct bd_buf *out, size_t *after,
			  struct bd_error *err)
{
	size_t start = out->len, end = len;
	int rc = zlib_header(data, len, err);

	*after = 0;
	if (rc)
		return rc;
	/* Else libarchive's gzip filter would run gzip -d: an input is
	 * never a reason to run a program. */
	if (!archive_zlib_version())
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "not read: libarchive was built "
					 "without zlib");
	rc = inflate_cut(data, len, out, start, &end);
	if (rc == 1)
		rc = inflate_section(data, len, out, start, &end);
	if (rc == BD_ENOMEM)
		return bd_error_set(err, rc, "out of memory");
	if (rc == 2)
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "more than %u places where a gzip "
					 "member could follow its zlib "
					 "stream, not read",
				    MAX_CUTS);
	if (rc == BD_ELIMIT)
		return bd_error_set(err, rc,
				    WHAT "it decompresses to more than %u MiB, "
					 "not read",
				    BD_CARGO_MAX_JSON >> 20);
	if (rc)
		return bd_error_set(err, rc,
				    WHAT "its zlib stream is corrupt or cut "
					 "short");
	/* auditable-info reads the one stream and nothing after it
	 * (miniz_oxide stops at its end): neither is more read here. */
	*after = len - end;
	return 0;
}

/* ---- the JSON ------------------------------------------------------------ */

/* The package fields read; a second member of one of these names is
 * said (serde refuses it) and passed over. */
static const char *const known_keys[] = { "name", "version",	  "source",
					  "kind", "dependencies", "root" };

struct list {
	struct bd_arena *a;
	struct bd_cargo_info *info;
	struct bd_cargo_package *pkgs;
	size_t total; /* packages in the text */
	size_t problems;
	char why[192]; /* the first */
	size_t root;   /* the first root's index + 1, 0 for none */
	size_t ndeps; /* dependencies kept, BD_CARGO_MAX_DEPENDENCIES at most */
	bool roots_said, deps_said, nomem;
	/* Per package of the text: its place among those kept + 1, 0 for
	 * one skipped or past the cap; and the package whose dependencies
	 * last named it + 1, which tells one named twice. */
	uint32_t *kept_as, *named_by;
};

static void say(struct list *l, const char *fmt, ...) BD_PRINTF(2, 3);

static void say(struct list *l, const char *fmt, ...)
{
	va_list ap;

	if (!l->problems++) {
		va_start(ap, fmt);
		vsnprintf(l->why, sizeof(l->why), fmt, ap);
		va_end(ap);
	}
}

/* The first member named key (cJSON keeps every one; serde would refuse
 * a second, said by repeated_keys). */
static const cJSON *member(const cJSON *pkg, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(pkg, key);
}

static void repeated_keys(struct list *l, const cJSON *pkg, size_t index)
{
	unsigned seen[BD_ARRAY_SIZE(known_keys)] = { 0 };
	const cJSON *m;
	size_t k;

	cJSON_ArrayForEach(m, pkg)
	{
		for (k = 0; m->string && k < BD_ARRAY_SIZE(known_keys); k++)
			seen[k] += !strcmp(m->string, known_keys[k]);
	}
	for (k = 0; k < BD_ARRAY_SIZE(known_keys); k++)
		if (seen[k] > 1)
			say(l,
			    "packages[%zu]: its %s is given twice, the first "
			    "taken",
			    index, known_keys[k]);
}

/* A name, version or source: a string of text, 1 to BD_CARGO_MAX_FIELD
 * bytes, copied; NULL when it is not, said (the package is skipped). */
static const char *text_field(struct list *l, const cJSON *pkg, size_t index,
			      const char *key)
{
	const cJSON *v = member(pkg, key);
	const char *why = NULL, *copy;
	size_t len = cJSON_IsString(v) ? strlen(v->valuestring) : 0;

	if (!v)
		why = "missing";
	else if (!cJSON_IsString(v))
		why = "not a string";
	else if (!len)
		why = "empty";
	else if (!bd_utf8_text(v->valuestring, len))
		why = "not UTF-8 text";
	if (!why && len > BD_CARGO_MAX_FIELD) {
		say(l,
		    "packages[%zu]: its %s is longer than %u bytes, skipping "
		    "it",
		    index, key, BD_CARGO_MAX_FIELD);
		return NULL;
	}
	if (why) {
		say(l, "packages[%zu]: its %s is %s, skipping it", index, key,
		    why);
		return NULL;
	}
	copy = bd_arena_strndup(l->a, v->valuestring, len);
	l->nomem |= !copy;
	return copy;
}

/* "kind": "runtime" (its default) or "build"; another is taken as
 * runtime, what is compiled in. */
static bool build_kind(struct list *l, const cJSON *pkg, size_t index)
{
	const cJSON *v = member(pkg, "kind");

	if (!v || (cJSON_IsString(v) && !strcmp(v->valuestring, "runtime")))
		return false;
	if (cJSON_IsString(v) && !strcmp(v->valuestring, "build"))
		return true;
	say(l,
	    "packages[%zu]: its kind is neither \"runtime\" nor \"build\", "
	    "taken as runtime",
	    index);
	return false;
}

static bool root_flag(struct list *l, const cJSON *pkg, size_t index)
{
	const cJSON *v = member(pkg, "root");

	if (!v || cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	say(l, "packages[%zu]: its root is not a boolean, taken as false",
	    index);
	return false;
}

/* Whether v is an integer from 0 to below end. */
static bool index_below(const cJSON *v, double end)
{
	double d = v->valuedouble;

	return cJSON_IsNumber(v) && d >= 0 && d < end &&
	       (double)(uint64_t)d == d;
}

/* Whether the dependency d of the package at index is one to keep: the
 * index of another package, not named before by the same package (cargo
 * writes each dependency once: a second says nothing more). A package
 * that depends on itself is a cycle, which auditable-serde refuses
 * (validation.rs, has_cylic_dependencies); an index past the list names
 * nothing. Each skipped is said. */
static bool dependency_kept(struct list *l, struct bd_cargo_package *p,
			    const cJSON *d, size_t index)
{
	size_t to;

	if (!index_below(d, (double)l->total)) {
		p->deps_cut = true;
		say(l,
		    "packages[%zu]: a dependency that is not the index of a "
		    "package (0 to %zu), skipping it",
		    index, l->total - 1);
		return false;
	}
	to = (size_t)d->valuedouble;
	if (to == index) {
		p->deps_cut = true; /* what it meant is not known */
		say(l, "packages[%zu]: it depends on itself, skipping that",
		    index);
		return false;
	}
	if (l->named_by[to] == index + 1) {
		say(l,
		    "packages[%zu]: its dependency %zu is given twice, "
		    "skipping the second",
		    index, to);
		return false;
	}
	l->named_by[to] = (uint32_t)(index + 1);
	return true;
}

/* Whether the list may keep one more dependency: each is an edge in
 * every output, and a few KB of zlib can name a quarter of a million. */
static bool room_for_dependency(struct list *l)
{
	if (l->ndeps < BD_CARGO_MAX_DEPENDENCIES)
		return true;
	if (!l->deps_said)
		say(l, "more than %u dependencies in all, skipping the rest",
		    BD_CARGO_MAX_DEPENDENCIES);
	l->deps_said = true;
	return false;
}

/* "dependencies": indices of the list's packages, kept as the text's
 * indices until every package is read (deps_to_kept). A cycle is kept:
 * cargo can write one (rustsec/rustsec#1043, through a dev-dependency),
 * and nothing that reads the edges walks them without marking what it
 * has seen. */
static void read_dependencies(struct list *l, struct bd_cargo_package *p,
			      const cJSON *pkg, size_t index)
{
	const cJSON *v = member(pkg, "dependencies"), *d;
	uint32_t *deps;
	size_t n;

	if (!v)
		return;
	if (!cJSON_IsArray(v)) {
		p->deps_cut = true;
		say(l, "packages[%zu]: its dependencies are not an array",
		    index);
		return;
	}
	n = (size_t)cJSON_GetArraySize(v);
	if (!n)
		return;
	deps = bd_arena_alloc(l->a, n * sizeof(*deps));
	if (!deps) {
		l->nomem = true;
		return;
	}
	cJSON_ArrayForEach(d, v)
	{
		if (!room_for_dependency(l)) {
			p->deps_cut = true;
			break;
		}
		if (dependency_kept(l, p, d, index)) {
			deps[p->ndeps++] = (uint32_t)d->valuedouble;
			l->ndeps++;
		}
	}
	p->deps = deps;
}

/* Each package's dependencies as indices of the packages kept: one that
 * names a package skipped or past the cap is dropped (that package's
 * loss is said already), and the package's set cut. */
static void deps_to_kept(struct list *l)
{
	size_t i, k, n;

	for (i = 0; i < l->info->npackages; i++) {
		struct bd_cargo_package *p = &l->pkgs[i];
		uint32_t *deps = (uint32_t *)p->deps;

		for (k = 0, n = 0; k < p->ndeps; k++) {
			if (l->kept_as[deps[k]])
				deps[n++] = l->kept_as[deps[k]] - 1;
		}
		p->deps_cut |= n < p->ndeps;
		p->ndeps = n;
		if (!n)
			p->deps = NULL;
	}
}

/* A second root: auditable-serde refuses the list, which names the
 * program's crate; both are kept, and said once. */
static void note_root(struct list *l, size_t index)
{
	if (!l->root) {
		l->root = index + 1;
	} else if (!l->roots_said) {
		l->roots_said = true;
		say(l,
		    "packages[%zu] and packages[%zu] are both root packages, "
		    "which a list has one of",
		    l->root - 1, index);
	}
}

static void one_package(struct list *l, const cJSON *pkg, size_t index)
{
	struct bd_cargo_package *p = &l->pkgs[l->info->npackages];

	if (!cJSON_IsObject(pkg)) {
		say(l, "packages[%zu] is not an object, skipping it", index);
		return;
	}
	repeated_keys(l, pkg, index);
	p->name = text_field(l, pkg, index, "name");
	p->version = p->name ? text_field(l, pkg, index, "version") : NULL;
	p->source = p->version ? text_field(l, pkg, index, "source") : NULL;
	if (!p->source)
		return;
	p->build = build_kind(l, pkg, index);
	p->root = root_flag(l, pkg, index);
	read_dependencies(l, p, pkg, index);
	if (p->root)
		note_root(l, index);
	l->kept_as[index] = (uint32_t)++l->info->npackages;
}

/* "packages" or "format" given twice: serde refuses the list, cJSON keeps
 * every one and the first is taken, as a package's field. */
static void top_keys_repeated(struct list *l, const cJSON *root)
{
	static const char *const keys[] = { "packages", "format" };
	unsigned seen[BD_ARRAY_SIZE(keys)] = { 0 };
	const cJSON *m;
	size_t k;

	cJSON_ArrayForEach(m, root)
	{
		for (k = 0; m->string && k < BD_ARRAY_SIZE(keys); k++)
			seen[k] += !strcmp(m->string, keys[k]);
	}
	for (k = 0; k < BD_ARRAY_SIZE(keys); k++)
		if (seen[k] > 1)
			say(l, "its %s is given twice, the first taken",
			    keys[k]);
}

/* "format": a u32, 0 when absent (auditable-serde #[serde(default)]). */
static uint32_t format_of(struct list *l, const cJSON *root)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "format");

	if (!v)
		return 0;
	if (index_below(v, 4294967296.0))
		return (uint32_t)v->valuedouble;
	say(l, "its format is not an integer from 0 to 4294967295, taken "
	       "as 0");
	return 0;
}

/* Each package, BD_CARGO_MAX_PACKAGES at most, into l->pkgs. */
static void read_packages(struct list *l, const cJSON *packages)
{
	const cJSON *pkg;
	size_t index = 0;

	cJSON_ArrayForEach(pkg, packages)
	{
		if (index == BD_CARGO_MAX_PACKAGES) {
			say(l, "more than %u packages, keeping the first %u",
			    BD_CARGO_MAX_PACKAGES, BD_CARGO_MAX_PACKAGES);
			return;
		}
		one_package(l, pkg, index++);
		if (l->nomem)
			return;
	}
}

/* The first problem, and how many more, as BD_EFORMAT; 0 for none. */
static int list_problem(const struct list *l, struct bd_error *err)
{
	if (!l->problems)
		return 0;
	if (l->problems == 1)
		return bd_error_set(err, BD_EFORMAT, WHAT "%s", l->why);
	return bd_error_set(err, BD_EFORMAT, WHAT "%s (and %zu more problem%s)",
			    l->why, l->problems - 1,
			    l->problems == 2 ? "" : "s");
}

/* The list's room in arena, and the scratch of its dependencies:
 * BD_ENOMEM, else 0. */
static int list_init(struct list *l, struct bd_arena *arena, size_t total)
{
	size_t room =
		total < BD_CARGO_MAX_PACKAGES ? total : BD_CARGO_MAX_PACKAGES;

	memset(l, 0, sizeof(*l));
	l->a = arena;
	l->total = total;
	l->info = bd_arena_alloc(arena, sizeof(*l->info));
	l->pkgs = bd_arena_alloc(arena, (room ? room : 1) * sizeof(*l->pkgs));
	l->kept_as = calloc(total + 1, sizeof(*l->kept_as));
	l->named_by = calloc(total + 1, sizeof(*l->named_by));
	if (!l->info || !l->pkgs || !l->kept_as || !l->named_by)
		return BD_ENOMEM;
	memset(l->info, 0, sizeof(*l->info));
	memset(l->pkgs, 0, (room ? room : 1) * sizeof(*l->pkgs));
	l->info->packages = l->pkgs;
	return 0;
}

static void list_release(struct list *l)
{
	free(l->kept_as);
	free(l->named_by);
}

static int parse_document(const cJSON *root, struct bd_arena *arena,
			  const struct bd_cargo_info **out,
			  struct bd_error *err)
{
	const cJSON *packages =
		cJSON_GetObjectItemCaseSensitive(root, "packages");
	struct list l;
	int rc;

	if (!cJSON_IsObject(root))
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "its text is not a JSON object");
	if (!cJSON_IsArray(packages))
		return bd_error_set(err, BD_EFORMAT,
				    WHAT "its text has no \"packages\" array");
	rc = list_init(&l, arena, (size_t)cJSON_GetArraySize(packages));
	if (!rc) {
		top_keys_repeated(&l, root);
		l.info->format = format_of(&l, root);
		read_packages(&l, packages);
		rc = l.nomem ? BD_ENOMEM : 0;
	}
	if (!rc) {
		deps_to_kept(&l);
		*out = l.info;
		rc = list_problem(&l, err);
	} else {
		bd_error_set(err, rc, "out of memory");
	}
	list_release(&l);
	return rc;
}

int bd_cargoaudit_parse(const char *json, size_t len, struct bd_arena *arena,
			const struct bd_cargo_info **out, struct bd_error *err)
{
	cJSON *root = NULL;
	int rc = bd_json_read_one(json, len, WHAT "its text",
				  BD_CARGO_MAX_VALUES, &root, err);

	if (rc)
		return rc;
	rc = parse_document(root, arena, out, err);
	cJSON_Delete(root);
	return rc;
}
