/* SPDX-License-Identifier: MIT */
/*
 * Container image metadata (OCI image-spec: image-layout.md, image-index.md,
 * manifest.md, config.md, descriptor.md; docker save's manifest.json) and
 * layer whiteouts (layer.md).
 */
#include "bindep/image.h"
#include "bindep/archive.h"
#include "bindep/hash.h"
#include "bindep/purl.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MT_OCI_INDEX	"application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_CONFIG	"application/vnd.oci.image.config.v1+json"
#define MT_DOCKER_LIST                                                         \
	"application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST                                                     \
	"application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

/* Annotations that name an image in an index (image-spec annotations.md;
 * containerd and docker 25+ write the full reference in the second). */
#define ANN_REF_NAME	    "org.opencontainers.image.ref.name"
#define ANN_CONTAINERD_NAME "io.containerd.image.name"

#define MAX_LISTED     16 /* refs or platforms named in one message */
#define MAX_PATH_PARTS 8  /* components of a path in manifest.json */

/* ---- digests --------------------------------------------------------- */

bool bd_image_digest_valid(const char *s)
{
	size_t i;

	if (!s || strncmp(s, "sha256:", 7))
		return false;
	for (i = 0; i < BD_SHA256_HEX_LEN; i++) {
		char c = s[7 + i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[7 + i] == '\0';
}

/* Whether s[0..n) is n lowercase hex digits. */
static bool lower_hex(const char *s, size_t n)
{
	return strspn(s, "0123456789abcdef") == n && !s[n];
}

/*
 * Whether s is a digest of descriptor.md's grammar ("Digests"):
 * algorithm ::= [a-z0-9]+ ([+._-] [a-z0-9]+)*, ":", encoded ::=
 * [a-zA-Z0-9=_-]+; a registered algorithm's encoded part of its form
 * (sha256 and blake3: 64 lowercase hex digits, sha512: 128).
 */
static bool digest_grammar_ok(const char *s)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	const char *p = s, *enc;
	size_t alg, n;

	for (;;) {
		n = strspn(p, alnum);
		if (!n)
			return false;
		p += n;
		if (*p == ':')
			break;
		if (!*p || !strchr("+._-", *p))
			return false;
		p++;
	}
	alg = (size_t)(p - s);
	enc = p + 1;
	n = strspn(enc, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789=_-");
	if (!n || enc[n])
		return false;
	if ((alg == 6 && !strncmp(s, "sha256", 6)) ||
	    (alg == 6 && !strncmp(s, "blake3", 6)))
		return lower_hex(enc, 64);
	if (alg == 6 && !strncmp(s, "sha512", 6))
		return lower_hex(enc, 128);
	return true;
}

static void hex_of(const unsigned char *md, unsigned int len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int bd_image_hash_init(struct bd_image_hash *h, const char *digest,
		       uint64_t size)
{
	memset(h, 0, sizeof(*h));
	if (!bd_image_digest_valid(digest))
		return BD_EFORMAT;
	memcpy(h->expected, digest, BD_IMAGE_DIGEST_SIZE);
	h->expected_size = size;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
		bd_image_hash_release(h);
		return BD_ENOMEM;
	}
	return 0;
}

void bd_image_hash_update(struct bd_image_hash *h, const void *data, size_t len)
{
	if (!h->ctx || h->failed)
		return;
	if (!EVP_DigestUpdate(h->ctx, data, len))
		h->failed = true;
	h->size += len;
}

int bd_image_hash_check(struct bd_image_hash *h, const char *display,
			struct bd_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[BD_SHA256_HEX_LEN + 1];

	if (!h->ctx || h->failed || !EVP_DigestFinal_ex(h->ctx, md, &mdlen) ||
	    mdlen * 2 != BD_SHA256_HEX_LEN) {
		bd_image_hash_release(h);
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	bd_image_hash_release(h);
	hex_of(md, mdlen, hex);
	if (h->expected_size && h->size != h->expected_size)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': %llu bytes, the manifest says %llu",
				    display, (unsigned long long)h->size,
				    (unsigned long long)h->expected_size);
	if (strcmp(hex, h->expected + 7))
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': digest mismatch, the blob is "
				    "sha256:%s",
				    display, hex);
	return 0;
}

void bd_image_hash_release(struct bd_image_hash *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int bd_image_verify_fd(int fd, const char *digest, uint64_t size,
		       const char *display, struct bd_error *err)
{
	struct bd_image_hash h;
	char buf[65536];
	int rc = bd_image_hash_init(&h, digest, size);

	if (rc)
		return bd_error_set(err, rc,
				    rc == BD_ENOMEM
					    ? "out of memory"
					    : "'%s': not a sha256 digest",
				    display);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int errnum = errno;

			bd_image_hash_release(&h);
			return bd_error_errno(err, BD_EIO, errnum,
					      "'%s': cannot read", display);
		}
		if (!n)
			break;
		bd_image_hash_update(&h, buf, (size_t)n);
	}
	return bd_image_hash_check(&h, display, err);
}

/* ---- reading the metadata --------------------------------------------- */

/* What one bd_image_read keeps while it walks the metadata. */
struct reader {
	const struct bd_root *dir;
	const struct bd_image_select *sel;
	const struct bd_diag *diag;
	struct bd_error *err;
	struct bd_image *img;
	const char *display; /* the image, in messages */
	const char *files;   /* the caller's display: its files' prefix */
	char want_os[64], want_arch[64], want_variant[64];
	size_t indexes;	    /* nested indexes read */
	struct bd_buf seen; /* platforms met, for the message */
	size_t nseen;
	/* The manifest chosen: the best platform match (its rank, 0 for
	 * none; platform_rank), or else the first manifest that says no
	 * platform. */
	int rank;
	bool fallback;
	char digest[BD_IMAGE_DIGEST_SIZE]; /* "": not sha256 */
	uint64_t size;
	const char *chosen_file; /* the index naming it, and its entry */
	char chosen_what[48];
	char last_hex[BD_SHA256_HEX_LEN + 1]; /* of the last JSON read */
};

/* A descriptor (image-spec descriptor.md), checked. */
struct desc {
	const char *media_type; /* NULL when absent */
	/* "sha256:<hex>"; "" for a digest of another algorithm, which
	 * descriptor.md lets pass until the blob is to be read */
	char digest[BD_IMAGE_DIGEST_SIZE];
	uint64_t size;
	const cJSON *platform, *annotations;
};

/* How messages name a file of the image: "img/index.json", or
 * "img.tar!/index.json" when the caller's display ends in '/'. */
static const char *file_name(struct reader *r, const char *rel)
{
	size_t n = strlen(r->files);
	bool slash = n && r->files[n - 1] == '/';
	const char *name = bd_arena_printf(&r->img->arena, "%s%s%s", r->files,
					   slash ? "" : "/", rel);

	return name ? name : rel; /* out of memory: said elsewhere */
}

static int oom(struct reader *r)
{
	return bd_error_set(r->err, BD_ENOMEM, "out of memory");
}

/*
 * Reads rel (a path inside the image directory) whole, at most
 * BD_IMAGE_MAX_JSON. bd_root_read's message names the host path: it is
 * said again with the image's name.
 */
static int read_file(struct reader *r, const char *rel, char **text,
		     size_t *len)
{
	struct bd_buf host = BD_BUF_INIT;
	struct bd_error e;
	int rc;

	bd_buf_printf(&host, "%s/%s", r->dir->host, rel);
	if (!bd_buf_ok(&host))
		return oom(r);
	bd_error_clear(&e);
	rc = bd_root_read(r->dir, bd_buf_str(&host), BD_OPEN_NOFOLLOW,
			  BD_IMAGE_MAX_JSON, text, len, &e);
	bd_buf_release(&host);
	if (!rc)
		return 0;
	/* The layout or manifest.json said this is an image: a file it
	 * names that is not there makes it a broken one (BD_ENOENT would
	 * say no image, and an archive would be read as a plain one). */
	if (rc == BD_ENOENT)
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': missing from the image",
				    file_name(r, rel));
	bd_error_set(r->err, rc, "'%s': %s", file_name(r, rel),
		     bd_error_reason(e.msg));
	r->err->errnum = e.errnum;
	return rc;
}

/* The next character of a key as Go's encoding/json matches keys
 * (bytes.EqualFold, Unicode simple folding): ASCII letters, and the two
 * characters that fold to ASCII ones, U+017F LATIN SMALL LETTER LONG S
 * to 's' and U+212A KELVIN SIGN to 'k'; any other byte as it is. *s moves
 * past it. */
static unsigned char folded(const unsigned char **s)
{
	const unsigned char *p = *s;

	if (p[0] == 0xC5 && p[1] == 0xBF) {
		*s += 2;
		return 's';
	}
	if (p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xAA) {
		*s += 3;
		return 'k';
	}
	*s += 1;
	return p[0] >= 'A' && p[0] <= 'Z' ? (unsigned char)(p[0] + 32) : p[0];
}

/* The keys this reader reads that Go decodes into struct fields, where
 * encoding/json matches a key folded (its maps, annotations and Labels,
 * keep every key as it is, and are read by exact keys). */
static const char *const FIELDS[] = {
	"Config",
	"Layers",
	"RepoTags",
	"annotations",
	"architecture",
	"config",
	"diff_ids",
	"digest",
	"imageLayoutVersion",
	"layers",
	"manifests",
	"mediaType",
	"os",
	"platform",
	"rootfs",
	"schemaVersion",
	"size",
	"type",
	"variant",
};

/* Keys compared as Go's readers match them (folded). */
static int cmp_folded(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a,
			    *q = (const unsigned char *)b;
	unsigned char x, y;

	do {
		x = folded(&p);
		y = folded(&q);
	} while (x && x == y);
	return (int)x - (int)y;
}

/* Folded, then as they are: keys of the same bytes end side by side. */
static int cmp_key(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int c = cmp_folded(x, y);

	return c ? c : strcmp(x, y);
}

/* Whether key, folded, is one of FIELDS. */
static bool is_field(const char *key)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(FIELDS); i++)
		if (!cmp_folded(key, FIELDS[i]))
			return true;
	return false;
}

/* Whether an object in item (at any depth) has a key twice: the same
 * bytes, or, for a key this reader takes from a struct's field, the same
 * as Go's encoding/json matches it (folded). *dup is the key, NULL when
 * none (else out of memory). cJSON finds the first of them; Go's readers,
 * which docker and containerd read images with, take the last: such a
 * document names two images. Two labels differing by case are two. */
static bool twice_named(const cJSON *item, const char **dup)
{
	const cJSON *c;
	const char **keys;
	size_t n = 0, i;

	*dup = NULL;
	for (c = item->child; c; c = c->next, n++)
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) &&
		    (!twice_named(c, dup) || *dup))
			return !!*dup;
	if (!cJSON_IsObject(item) || n < 2)
		return true;
	keys = malloc(n * sizeof(*keys));
	if (!keys)
		return false;
	for (n = 0, c = item->child; c; c = c->next)
		keys[n++] = c->string;
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (i = 1; i < n && !*dup; i++)
		if (!cmp_folded(keys[i - 1], keys[i]) &&
		    (!strcmp(keys[i - 1], keys[i]) || is_field(keys[i])))
			*dup = keys[i];
	free(keys);
	return true;
}

/* BD_EFORMAT when an object of doc has a key twice. */
static int check_keys(struct reader *r, const char *rel, const cJSON *doc)
{
	const char *dup;

	if (!twice_named(doc, &dup))
		return oom(r);
	if (dup)
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': the key \"%.64s\" is given twice",
				    file_name(r, rel), dup);
	return 0;
}

/* Parses rel as a JSON document; when digest is given, the file must be
 * the blob it names (and size bytes long when size is not 0). Its own
 * digest is left in r->last_hex. */
static int read_json(struct reader *r, const char *rel, const char *digest,
		     uint64_t size, cJSON **out)
{
	char *hex = r->last_hex;
	char *text;
	size_t len;
	int rc = read_file(r, rel, &text, &len);

	*out = NULL;
	if (rc)
		return rc;
	if (bd_sha256_hex(text, len, hex)) {
		rc = oom(r);
	} else if (digest && (strcmp(hex, digest + 7) ||
			      (size && size != (uint64_t)len))) {
		rc = bd_error_set(r->err, BD_EFORMAT,
				  "'%s': digest mismatch, the blob is "
				  "sha256:%s (%zu bytes)",
				  file_name(r, rel), hex, len);
	} else {
		*out = cJSON_ParseWithLength(text, len);
		if (!*out || !(cJSON_IsObject(*out) || cJSON_IsArray(*out)))
			rc = bd_error_set(r->err, BD_EFORMAT,
					  "'%s': not a JSON object",
					  file_name(r, rel));
		else
			rc = check_keys(r, rel, *out);
	}
	free(text);
	if (rc) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

/* The blob path of a checked digest: "blobs/sha256/<hex>". */
static const char *blob_path(struct reader *r, const char *digest)
{
	return bd_arena_printf(&r->img->arena, "blobs/sha256/%s", digest + 7);
}

static const char *str_item(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A short token of metadata (os, architecture, a tag): printable ASCII
 * without spaces, at most max bytes. Anything else is taken as absent. */
static bool token_ok(const char *s, size_t max)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; s[n]; n++) {
		if (n >= max || s[n] <= ' ' || s[n] > '~')
			return false;
	}
	return true;
}

static int parse_desc(struct reader *r, const cJSON *item, const char *file,
		      const char *what, struct desc *d)
{
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(item, "size");
	const char *digest = str_item(item, "digest");

	memset(d, 0, sizeof(*d));
	if (!cJSON_IsObject(item))
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': %s is not an object", file, what);
	if (!digest)
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': %s has no digest", file, what);
	/* image-spec descriptor.md allows other algorithms: a digest of
	 * its grammar passes, and is refused only where its blob is to be
	 * read (need_sha256). The blob path is only ever built from a
	 * sha256 digest of the exact form. */
	if (!digest_grammar_ok(digest))
		return bd_error_set(
			r->err, BD_EFORMAT,
			"'%s': %s: digest is not of descriptor.md's "
			"form (sha256: 64 lowercase hex digits)",
			file, what);
	if (bd_image_digest_valid(digest))
		memcpy(d->digest, digest, BD_IMAGE_DIGEST_SIZE);
	if (size && (!cJSON_IsNumber(size) || size->valuedouble < 0 ||
		     size->valuedouble > 9007199254740992.0 ||
		     size->valuedouble != (double)(uint64_t)size->valuedouble))
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': %s: size is not a byte count", file,
				    what);
	d->size = size ? (uint64_t)size->valuedouble : 0;
	d->media_type = str_item(item, "mediaType");
	d->platform = cJSON_GetObjectItemCaseSensitive(item, "platform");
	d->annotations = cJSON_GetObjectItemCaseSensitive(item, "annotations");
	return 0;
}

/* The blob of a descriptor is to be read: only sha256 is verified. */
static int need_sha256(struct reader *r, const char *digest, const char *file,
		       const char *what)
{
	if (*digest)
		return 0;
	return bd_error_set(r->err, BD_EFORMAT,
			    "'%s': %s: digest is not sha256, the only "
			    "algorithm read",
			    file, what);
}

static bool is_index(const char *mt)
{
	return mt && (!strcmp(mt, MT_OCI_INDEX) || !strcmp(mt, MT_DOCKER_LIST));
}

static bool is_manifest(const char *mt)
{
	return mt && (!strcmp(mt, MT_OCI_MANIFEST) ||
		      !strcmp(mt, MT_DOCKER_MANIFEST));
}

/*
 * A document read as an index (want_index) or as a manifest must not say
 * it is the other: manifest.md and image-index.md, mediaType, "When used,
 * this field MUST contain" its own type. One with the other's mediaType,
 * or with its fields ("manifests"; "config", "layers"), is read as two
 * things by two readers (CVE-2021-41190), which containerd and
 * distribution refuse.
 */
static int check_kind(struct reader *r, const char *file, const cJSON *doc,
		      bool want_index)
{
	const char *mt = str_item(doc, "mediaType");
	bool other;

	if (want_index)
		other = is_manifest(mt) ||
			cJSON_GetObjectItemCaseSensitive(doc, "config") ||
			cJSON_GetObjectItemCaseSensitive(doc, "layers");
	else
		other = is_index(mt) ||
			cJSON_GetObjectItemCaseSensitive(doc, "manifests");
	if (!other)
		return 0;
	return bd_error_set(r->err, BD_EFORMAT,
			    want_index ? "'%s': a manifest, not an index"
				       : "'%s': an index, not a manifest",
			    file);
}

/* ---- platforms -------------------------------------------------------- */

static int parse_platform(struct reader *r)
{
	const char *p = r->sel->platform ? r->sel->platform : "linux/amd64";
	char *parts[3] = { r->want_os, r->want_arch, r->want_variant };
	size_t i;

	r->want_variant[0] = '\0';
	for (i = 0; i < 3; i++) {
		size_t n = strcspn(p, "/");

		if (!n || n >= sizeof(r->want_os))
			break;
		memcpy(parts[i], p, n);
		parts[i][n] = '\0';
		p += n;
		if (!*p || i == 2)
			break;
		p++; /* a '/' is followed by one more part */
	}
	if (i < 1 || *p || !r->want_arch[0] || p[-1] == '/')
		return bd_error_set(r->err, BD_EUSAGE,
				    "'%s': a platform is os/arch[/variant]",
				    r->sel->platform);
	return 0;
}

/* The usual other spellings of an architecture (uname's). */
static bool same_arch(const char *a, const char *b)
{
	static const char *const alias[][2] = { { "amd64", "x86_64" },
						{ "arm64", "aarch64" },
						{ "386", "i386" } };
	size_t i;

	if (!strcmp(a, b))
		return true;
	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++) {
		if ((!strcmp(a, alias[i][0]) && !strcmp(b, alias[i][1])) ||
		    (!strcmp(a, alias[i][1]) && !strcmp(b, alias[i][0])))
			return true;
	}
	return false;
}

/* The variant a platform without one has, as containerd and docker
 * normalise it (image-index.md, "Platform Variants"): arm's is v7,
 * arm64's v8, amd64's v1; "" for another architecture. */
static const char *default_variant(const char *arch)
{
	if (!strcmp(arch, "arm"))
		return "v7";
	if (!strcmp(arch, "arm64") || !strcmp(arch, "aarch64"))
		return "v8";
	if (!strcmp(arch, "amd64") || !strcmp(arch, "x86_64"))
		return "v1";
	return "";
}

/* N of a variant "vN" (one or two digits), or -1. */
static int variant_number(const char *v)
{
	size_t n = strspn(v + 1, "0123456789");

	if (v[0] != 'v' || !n || n > 2 || v[1 + n])
		return -1;
	return atoi(v + 1);
}

/* Whether the architecture's variant vN runs images of its lower ones
 * (containerd's platformVector: arm/v7 runs v6 and v5, amd64/v3 v2 and
 * v1, arm64/v9 v8). */
static bool runs_lower(const char *arch, int want, int have)
{
	if (!strcmp(arch, "arm"))
		return have >= 5 && have < want;
	if (!strcmp(arch, "amd64") || !strcmp(arch, "x86_64"))
		return have >= 1 && have < want;
	if (!strcmp(arch, "arm64") || !strcmp(arch, "aarch64"))
		return have >= 8 && have < want;
	return false;
}

#define RANK_EXACT 100

/*
 * How well os/arch/variant serves the platform asked for, as containerd's
 * platforms.Only orders the manifests of an index (docker and containerd
 * take the first of the best): 0, not at all; RANK_EXACT, the variant
 * asked, or the architecture's default one when none is (a platform
 * without a variant has it too: arm/v7, arm64/v8, amd64/v1); then a lower
 * variant the asked one runs, the nearest first; then, when no variant
 * was asked, any other of the architecture (1).
 */
static int platform_rank(struct reader *r, const char *os, const char *arch,
			 const char *variant)
{
	const char *want = *r->want_variant ? r->want_variant
					    : default_variant(r->want_arch);
	const char *have;
	int w, h;

	if (!os || !arch || strcmp(os, r->want_os) ||
	    !same_arch(arch, r->want_arch))
		return 0;
	have = variant && *variant ? variant : default_variant(arch);
	if (!strcmp(have, want))
		return RANK_EXACT;
	w = variant_number(want);
	h = variant_number(have);
	if (w > 0 && h > 0 && runs_lower(r->want_arch, w, h))
		return 2 + h;
	return *r->want_variant ? 0 : 1;
}

/* Remembers os/arch[/variant] for the message that lists the platforms. */
static void saw_platform(struct reader *r, const char *os, const char *arch,
			 const char *variant)
{
	char one[200];

	if (!token_ok(os, 60) || !token_ok(arch, 60) || r->nseen >= MAX_LISTED)
		return;
	snprintf(one, sizeof(one), "%s/%s%s%s", os, arch,
		 token_ok(variant, 60) ? "/" : "",
		 token_ok(variant, 60) ? variant : "");
	if (strstr(bd_buf_str(&r->seen), one))
		return;
	bd_buf_printf(&r->seen, "%s%s", r->nseen ? ", " : "", one);
	r->nseen++;
}

/* ---- walking an index ------------------------------------------------- */

static int walk_index(struct reader *r, const cJSON *index, const char *file,
		      unsigned depth, const char *only_ref);

/* The manifest d, entry what of the index file, is the one to read. */
static void choose(struct reader *r, const struct desc *d, const char *file,
		   const char *what)
{
	memcpy(r->digest, d->digest, sizeof(r->digest));
	r->size = d->size;
	r->chosen_file = file;
	snprintf(r->chosen_what, sizeof(r->chosen_what), "%s", what);
}

/* A manifest met in an index: chosen when its platform matches better
 * than those before it, kept as the fallback when it says none and none
 * matched. */
static void consider_manifest(struct reader *r, const struct desc *d,
			      const char *file, const char *what)
{
	const char *os = str_item(d->platform, "os");
	const char *arch = str_item(d->platform, "architecture");
	const char *variant = str_item(d->platform, "variant");
	int rank;

	if (!cJSON_IsObject(d->platform)) {
		if (!r->fallback && !r->rank) {
			choose(r, d, file, what);
			r->fallback = true;
		}
		return;
	}
	/* buildx's attestations sit beside the images as unknown/unknown. */
	if (os && !strcmp(os, "unknown"))
		return;
	rank = platform_rank(r, os, arch, variant);
	if (rank > r->rank) {
		choose(r, d, file, what);
		r->rank = rank;
	}
	if (!rank)
		saw_platform(r, os, arch, variant);
}

static int nested_index(struct reader *r, const struct desc *d, unsigned depth,
			const char *file, const char *what)
{
	const char *path;
	cJSON *index;
	int rc = need_sha256(r, d->digest, file, what);

	if (rc)
		return rc;
	path = blob_path(r, d->digest);
	if (!path)
		return oom(r);
	if (depth >= BD_IMAGE_MAX_NESTING)
		return bd_error_set(r->err, BD_ELIMIT,
				    "'%s': indexes nested deeper than %d",
				    r->display, BD_IMAGE_MAX_NESTING);
	if (++r->indexes > BD_IMAGE_MAX_INDEXES)
		return bd_error_set(r->err, BD_ELIMIT,
				    "'%s': more than %d nested indexes",
				    r->display, BD_IMAGE_MAX_INDEXES);
	rc = read_json(r, path, d->digest, d->size, &index);
	if (!rc)
		rc = check_kind(r, file_name(r, path), index, true);
	if (!rc)
		rc = walk_index(r, index, file_name(r, path), depth + 1, NULL);
	cJSON_Delete(index);
	return rc;
}

/* The refs an index entry answers to: its ref.name annotation and the
 * full reference containerd and docker write. */
static const char *ref_of(const struct desc *d)
{
	const char *ref = str_item(d->annotations, ANN_REF_NAME);

	return ref ? ref : str_item(d->annotations, ANN_CONTAINERD_NAME);
}

/* A reference without docker's implied parts: "docker.io/library/x" and
 * "docker.io/x" are "x" (docker's normalisation). */
static const char *short_ref(const char *ref)
{
	if (!strncmp(ref, "docker.io/", 10))
		ref += 10;
	if (!strncmp(ref, "library/", 8))
		ref += 8;
	return ref;
}

/* "docker.io/library/alpine:3.19" is also "alpine:3.19". */
static bool same_ref(const char *want, const char *ref)
{
	return ref &&
	       (!strcmp(want, ref) || !strcmp(short_ref(want), short_ref(ref)));
}

static bool desc_has_ref(const struct desc *d, const char *want)
{
	return same_ref(want, str_item(d->annotations, ANN_REF_NAME)) ||
	       same_ref(want, str_item(d->annotations, ANN_CONTAINERD_NAME));
}

static int walk_index(struct reader *r, const cJSON *index, const char *file,
		      unsigned depth, const char *only_ref)
{
	const cJSON *list =
		cJSON_GetObjectItemCaseSensitive(index, "manifests");
	const cJSON *item;
	size_t i = 0;
	char what[48];
	int rc;

	if (!file)
		return oom(r);
	if (!cJSON_IsArray(list))
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': no \"manifests\" array", file);
	cJSON_ArrayForEach(item, list)
	{
		struct desc d;

		snprintf(what, sizeof(what), "manifests[%zu]", i++);
		rc = parse_desc(r, item, file, what, &d);
		if (rc)
			return rc;
		if (only_ref && !desc_has_ref(&d, only_ref))
			continue;
		if (is_index(d.media_type)) {
			rc = nested_index(r, &d, depth, file, what);
			if (rc)
				return rc;
		} else if (is_manifest(d.media_type)) {
			consider_manifest(r, &d, file, what);
		}
		/* Other media types (artifacts, signatures) are no image. */
		if (r->rank == RANK_EXACT)
			return 0;
	}
	return 0;
}

/* Lists the distinct refs of the top index in out; returns how many
 * there are (an unnamed entry counts as one ref of its own). */
static size_t list_refs(const cJSON *list, struct bd_buf *out)
{
	const cJSON *item;
	size_t n = 0, shown = 0;
	bool unnamed = false;
	struct bd_map seen;

	bd_map_init(&seen);
	cJSON_ArrayForEach(item, list)
	{
		const cJSON *ann =
			cJSON_GetObjectItemCaseSensitive(item, "annotations");
		const char *ref = str_item(ann, ANN_REF_NAME);

		if (!ref)
			ref = str_item(ann, ANN_CONTAINERD_NAME);
		if (!ref) {
			n += !unnamed;
			unnamed = true;
			continue;
		}
		if (bd_map_get(&seen, ref, NULL) || bd_map_put(&seen, ref, 0))
			continue;
		n++;
		if (shown++ < MAX_LISTED)
			bd_buf_printf(out, "%s%s", shown > 1 ? ", " : "",
				      token_ok(ref, BD_IMAGE_MAX_REF)
					      ? ref
					      : "(an invalid name)");
	}
	if (unnamed)
		bd_buf_printf(out, "%s(unnamed)", shown ? ", " : "");
	bd_map_release(&seen);
	return n;
}

static bool any_ref(const cJSON *list, const char *want)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, list)
	{
		struct desc d = { .annotations =
					  cJSON_GetObjectItemCaseSensitive(
						  item, "annotations") };

		if (desc_has_ref(&d, want))
			return true;
	}
	return false;
}

/* Whether every entry of the list is the same manifest or index (one
 * image under several names, as docker save writes each tag). */
static bool one_digest(const cJSON *list)
{
	const char *first = str_item(list->child, "digest");
	const cJSON *item;

	cJSON_ArrayForEach(item, list)
	{
		const char *d = str_item(item, "digest");

		if (!first || !d || strcmp(first, d))
			return false;
	}
	return true;
}

/* Which image of the top index: the one sel->ref names, or the only one
 * (which may have several names: the first is then its name). */
static int choose_ref(struct reader *r, const cJSON *index, const char *file,
		      const char **only_ref)
{
	const cJSON *list =
		cJSON_GetObjectItemCaseSensitive(index, "manifests");
	struct bd_buf refs = BD_BUF_INIT;
	size_t n;
	int rc = 0;

	*only_ref = r->sel->ref;
	if (!cJSON_IsArray(list))
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': no \"manifests\" array", file);
	n = list_refs(list, &refs);
	if (r->sel->ref && !any_ref(list, r->sel->ref))
		rc = bd_error_set(r->err, BD_EUSAGE,
				  "'%s': no image '%s' (it has %s)", r->display,
				  r->sel->ref, bd_buf_str(&refs));
	else if (!r->sel->ref && n > 1 && one_digest(list))
		*only_ref = ref_of(&(struct desc){
			.annotations = cJSON_GetObjectItemCaseSensitive(
				list->child, "annotations") });
	else if (!r->sel->ref && n > 1)
		rc = bd_error_set(r->err, BD_EUSAGE,
				  "'%s': holds %zu images, choose one with "
				  "--image-ref: %s",
				  r->display, n, bd_buf_str(&refs));
	else if (!bd_buf_ok(&refs))
		rc = oom(r);
	bd_buf_release(&refs);
	return rc;
}

/* ---- names and the purl ---------------------------------------------- */

/* Splits a reference "[registry/]path[:tag][@digest]" into the image's
 * name and tag. A bare word is a tag: OCI layouts name images by tag
 * ("3.19"), the name is then the caller's hint. */
static int set_name(struct reader *r, const char *ref, bool bare_is_tag)
{
	struct bd_image *img = r->img;
	const char *at, *slash, *colon;
	size_t end;

	if (!token_ok(ref, BD_IMAGE_MAX_REF)) {
		if (ref)
			bd_diag_report(r->diag, BD_DIAG_WARNING,
				       "'%s': image reference is not a valid "
				       "name, ignored",
				       r->display);
		return 0;
	}
	img->ref = bd_arena_strdup(&img->arena, ref);
	at = strchr(ref, '@');
	end = at ? (size_t)(at - ref) : strlen(ref);
	slash = memrchr(ref, '/', end);
	colon = memrchr(ref, ':', end);
	if (colon && (!slash || colon > slash)) {
		img->tag = bd_arena_strndup(&img->arena, colon + 1,
					    (size_t)(ref + end - colon - 1));
		end = (size_t)(colon - ref);
	} else if (!slash && bare_is_tag) {
		img->tag = bd_arena_strndup(&img->arena, ref, end);
		end = 0;
	}
	if (end)
		img->name = bd_arena_strndup(&img->arena, ref, end);
	if (!img->ref || (img->tag && !*img->tag))
		img->tag = NULL;
	return img->ref && (!end || img->name) ? 0 : oom(r);
}

/* Whether the first component of a repository is a registry host. */
static bool has_registry(const char *name)
{
	const char *slash = strchr(name, '/');
	size_t n = slash ? (size_t)(slash - name) : 0;

	return n && (memchr(name, '.', n) || memchr(name, ':', n) ||
		     (n == 9 && !strncmp(name, "localhost", 9)));
}

/* purl-spec types/oci: pkg:oci/<last segment, lowercased>@<manifest
 * digest>?repository_url=<registry/path>&tag=<tag>. */
static int make_purl(struct reader *r)
{
	struct bd_image *img = r->img;
	const char *last = strrchr(img->name, '/');
	struct bd_buf repo = BD_BUF_INIT, purl = BD_BUF_INIT;
	struct bd_kv q[2] = { { "repository_url", NULL }, { "tag", img->tag } };
	char *name = strdup(last ? last + 1 : img->name);
	int rc;

	if (!name)
		return oom(r);
	for (char *p = name; *p; p++)
		*p = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
	if (has_registry(img->name))
		bd_buf_adds(&repo, img->name);
	else if (img->format == BD_IMAGE_DOCKER && img->ref)
		bd_buf_printf(&repo, "docker.io/%s%s",
			      strchr(img->name, '/') ? "" : "library/",
			      img->name);
	q[0].value = repo.len ? bd_buf_str(&repo) : NULL;
	rc = bd_purl_format(&(struct bd_purl){ "oci", NULL, name,
					       img->manifest_digest[0]
						       ? img->manifest_digest
						       : NULL,
					       q, 2, NULL },
			    &purl, r->err);
	if (!rc && bd_buf_ok(&purl) && bd_buf_ok(&repo))
		img->purl = bd_arena_strdup(&img->arena, bd_buf_str(&purl));
	if (!rc && !img->purl)
		rc = oom(r);
	free(name);
	bd_buf_release(&repo);
	bd_buf_release(&purl);
	return rc;
}

/* ---- manifest and config --------------------------------------------- */

/* A layer's media type: image-spec's (media-types.md), "+gzip" or
 * "+zstd" after its tar; docker's and its foreign (Windows base) layers',
 * ".gzip" after theirs, and ".zstd" (buildkit's zstd layers without OCI
 * media types, which containerd unpacks as the OCI ones). */
static enum bd_image_compression compression_of(const char *mt)
{
	static const char *const tar_types[] = {
		"application/vnd.oci.image.layer.v1.tar",
		"application/vnd.oci.image.layer.nondistributable.v1.tar",
		"application/vnd.docker.image.rootfs.diff.tar",
		"application/vnd.docker.image.rootfs.foreign.diff.tar",
	};
	size_t i;

	for (i = 0; mt && i < sizeof(tar_types) / sizeof(tar_types[0]); i++) {
		size_t n = strlen(tar_types[i]);

		if (strncmp(mt, tar_types[i], n))
			continue;
		if (!mt[n])
			return BD_LAYER_TAR;
		if (!strcmp(mt + n, "+gzip") || !strcmp(mt + n, ".gzip"))
			return BD_LAYER_GZIP;
		if (!strcmp(mt + n, "+zstd") || !strcmp(mt + n, ".zstd"))
			return BD_LAYER_ZSTD;
	}
	return BD_LAYER_AUTO;
}

static int alloc_layers(struct reader *r, size_t n, const char *file)
{
	if (n > BD_IMAGE_MAX_LAYERS)
		return bd_error_set(r->err, BD_ELIMIT,
				    "'%s': more than %d layers", file,
				    BD_IMAGE_MAX_LAYERS);
	r->img->nlayers = n;
	r->img->layers = bd_arena_alloc(&r->img->arena,
					(n ? n : 1) * sizeof(*r->img->layers));
	return r->img->layers ? 0 : oom(r);
}

static int oci_layers(struct reader *r, const cJSON *manifest, const char *file)
{
	const cJSON *list =
		cJSON_GetObjectItemCaseSensitive(manifest, "layers");
	const cJSON *item;
	size_t i = 0;
	char what[48];
	int rc;

	if (!cJSON_IsArray(list))
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': no \"layers\" array", file);
	rc = alloc_layers(r, (size_t)cJSON_GetArraySize(list), file);
	if (rc)
		return rc;
	cJSON_ArrayForEach(item, list)
	{
		struct bd_image_layer *l = &r->img->layers[i];
		struct desc d;

		snprintf(what, sizeof(what), "layers[%zu]", i++);
		rc = parse_desc(r, item, file, what, &d);
		if (!rc)
			rc = need_sha256(r, d.digest, file, what);
		if (rc)
			return rc;
		l->compression = compression_of(d.media_type);
		if (l->compression == BD_LAYER_AUTO)
			return bd_error_set(r->err, BD_EFORMAT,
					    "'%s': %s is not a tar layer", file,
					    what);
		memcpy(l->digest, d.digest, sizeof(l->digest));
		l->size = d.size;
		l->path = blob_path(r, d.digest);
		l->media_type = bd_arena_strdup(&r->img->arena, d.media_type);
		if (!l->path || !l->media_type)
			return oom(r);
	}
	return rc;
}

/* rootfs.diff_ids, one per layer, and the platform of the config; the
 * config must be the blob digest names ("" for none), and size bytes
 * long as its descriptor says (descriptor.md, size; 0: none said). */
static int read_config(struct reader *r, const char *path, const char *digest,
		       uint64_t size)
{
	const char *file = file_name(r, path);
	struct bd_image *img = r->img;
	const cJSON *rootfs, *ids, *id;
	const char *type;
	cJSON *config;
	size_t i = 0;
	int rc = read_json(r, path, *digest ? digest : NULL, size, &config);

	if (rc)
		return rc;
	rootfs = cJSON_GetObjectItemCaseSensitive(config, "rootfs");
	ids = cJSON_GetObjectItemCaseSensitive(rootfs, "diff_ids");
	/* config.md, rootfs.type: "MUST be set to layers", and an unknown
	 * value is an error while unpacking: its diff_ids would name
	 * something else than the layers' tars. */
	type = str_item(rootfs, "type");
	if (!type || strcmp(type, "layers")) {
		rc = bd_error_set(r->err, BD_EFORMAT,
				  "'%s': rootfs.type is not \"layers\"", file);
		goto out;
	}
	if (!cJSON_IsArray(ids) ||
	    (size_t)cJSON_GetArraySize(ids) != img->nlayers) {
		rc = bd_error_set(r->err, BD_EFORMAT,
				  "'%s': rootfs.diff_ids does not list the "
				  "%zu layers",
				  file, img->nlayers);
		goto out;
	}
	cJSON_ArrayForEach(id, ids)
	{
		if (!cJSON_IsString(id) ||
		    !bd_image_digest_valid(id->valuestring)) {
			rc = bd_error_set(r->err, BD_EFORMAT,
					  "'%s': rootfs.diff_ids[%zu] is not a "
					  "sha256 digest",
					  file, i);
			goto out;
		}
		memcpy(img->layers[i++].diff_id, id->valuestring,
		       BD_IMAGE_DIGEST_SIZE);
	}
	snprintf(img->config_digest, sizeof(img->config_digest), "sha256:%s",
		 r->last_hex);
	if (token_ok(str_item(config, "os"), 64))
		img->os = bd_arena_strdup(&img->arena, str_item(config, "os"));
	if (token_ok(str_item(config, "architecture"), 64))
		img->architecture = bd_arena_strdup(
			&img->arena, str_item(config, "architecture"));
	if (token_ok(str_item(config, "variant"), 64))
		img->variant = bd_arena_strdup(&img->arena,
					       str_item(config, "variant"));
	/* A platform asked for must be the image's, whatever led to it. */
	if (r->sel->platform && img->os && img->architecture &&
	    !platform_rank(r, img->os, img->architecture, img->variant))
		rc = bd_error_set(r->err, BD_EUSAGE,
				  "'%s': the image is for %s/%s, not %s",
				  r->display, img->os, img->architecture,
				  r->sel->platform);
out:
	cJSON_Delete(config);
	return rc;
}

static int read_manifest(struct reader *r)
{
	const char *path, *file, *mt;
	struct desc config;
	cJSON *manifest;
	int rc = need_sha256(r, r->digest, r->chosen_file, r->chosen_what);

	if (rc)
		return rc;
	path = blob_path(r, r->digest);
	file = path ? file_name(r, path) : NULL;
	if (!file)
		return oom(r);
	rc = read_json(r, path, r->digest, r->size, &manifest);
	if (!rc)
		rc = check_kind(r, file, manifest, false);
	if (rc) {
		cJSON_Delete(manifest);
		return rc;
	}
	memcpy(r->img->manifest_digest, r->digest, BD_IMAGE_DIGEST_SIZE);
	rc = parse_desc(r, cJSON_GetObjectItemCaseSensitive(manifest, "config"),
			file, "config", &config);
	if (!rc)
		rc = need_sha256(r, config.digest, file, "config");
	mt = config.media_type;
	/* An artifact manifest (a signature, a Helm chart) is no image. */
	if (!rc && mt && strcmp(mt, MT_OCI_CONFIG) &&
	    strcmp(mt, MT_DOCKER_CONFIG))
		rc = bd_error_set(r->err, BD_EFORMAT,
				  "'%s': the config is not an image config",
				  file);
	if (!rc)
		rc = oci_layers(r, manifest, file);
	if (!rc) {
		const char *cpath = blob_path(r, config.digest);

		rc = cpath ? read_config(r, cpath, config.digest, config.size)
			   : oom(r);
	}
	cJSON_Delete(manifest);
	return rc;
}

/* ---- the two formats --------------------------------------------------- */

/* No manifest fits: say what there is. */
static int no_manifest(struct reader *r, const char *only_ref)
{
	if (only_ref && !r->nseen)
		return bd_error_set(r->err, BD_EUSAGE, "'%s': no image '%s'",
				    r->display, only_ref);
	return bd_error_set(
		r->err, BD_EUSAGE, "'%s': no image for platform %s (it has %s)",
		r->display, r->sel->platform ? r->sel->platform : "linux/amd64",
		r->nseen ? bd_buf_str(&r->seen) : "none");
}

/* The image's name: from the top entry that answered to the ref, or the
 * first; its full reference (containerd's annotation) first. */
static int name_from_index(struct reader *r, const cJSON *index,
			   const char *only_ref)
{
	const cJSON *item,
		*list = cJSON_GetObjectItemCaseSensitive(index, "manifests");

	cJSON_ArrayForEach(item, list)
	{
		struct desc d = { .annotations =
					  cJSON_GetObjectItemCaseSensitive(
						  item, "annotations") };
		const char *full = str_item(d.annotations, ANN_CONTAINERD_NAME);

		if (only_ref && !desc_has_ref(&d, only_ref))
			continue;
		return full ? set_name(r, full, false)
			    : set_name(r, ref_of(&d), true);
	}
	return 0;
}

static int read_layout_version(struct reader *r)
{
	const char *version;
	cJSON *layout;
	int rc = read_json(r, "oci-layout", NULL, 0, &layout);

	if (rc)
		return rc;
	version = str_item(layout, "imageLayoutVersion");
	/* image-layout.md: "1.0.0"; a later 1.x stays compatible. */
	if (!version || strncmp(version, "1.", 2))
		rc = bd_error_set(r->err, BD_EFORMAT,
				  "'%s': not an image layout of version 1",
				  file_name(r, "oci-layout"));
	cJSON_Delete(layout);
	return rc;
}

static int read_oci(struct reader *r)
{
	const char *only_ref = NULL, *file = file_name(r, "index.json");
	cJSON *index = NULL;
	int rc = read_layout_version(r);

	if (!rc)
		rc = read_json(r, "index.json", NULL, 0, &index);
	if (!rc)
		rc = check_kind(r, file, index, true);
	if (!rc)
		rc = choose_ref(r, index, file, &only_ref);
	if (!rc)
		rc = walk_index(r, index, file, 0, only_ref);
	if (!rc && !r->rank && !r->fallback)
		rc = no_manifest(r, only_ref);
	if (!rc)
		rc = name_from_index(r, index, only_ref);
	if (!rc)
		rc = read_manifest(r);
	cJSON_Delete(index);
	return rc;
}

/* A path of manifest.json: relative, no "." or ".." or empty component,
 * printable ASCII. The file is then opened inside the image directory. */
static bool rel_path_ok(const char *p)
{
	size_t parts = 0;

	if (!token_ok(p, 1024) || *p == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (!n || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    ++parts > MAX_PATH_PARTS)
			return false;
		p += n;
		if (*p && !*++p)
			return false;
	}
	return true;
}

/* The digest a docker save path names: "blobs/sha256/<hex>" (docker 25
 * and later), "<hex>.json" (a config before that) or "sha256:<hex>" (as
 * go-containerregistry names a config); "" when none. */
static void digest_of_path(const char *p, char out[BD_IMAGE_DIGEST_SIZE])
{
	const char *hex = NULL;

	out[0] = '\0';
	if (bd_image_digest_valid(p))
		hex = p + 7;
	else if (!strncmp(p, "blobs/sha256/", 13) && strlen(p) == 13 + 64)
		hex = p + 13;
	else if (strlen(p) == 64 + 5 && !strcmp(p + 64, ".json"))
		hex = p;
	if (!hex)
		return;
	snprintf(out, BD_IMAGE_DIGEST_SIZE, "sha256:%.64s", hex);
	if (!bd_image_digest_valid(out))
		out[0] = '\0';
}

/* The RepoTag of an entry that is want, as the entry writes it. */
static const char *has_tag(const cJSON *entry, const char *want)
{
	const cJSON *tag;

	cJSON_ArrayForEach(tag,
			   cJSON_GetObjectItemCaseSensitive(entry, "RepoTags"))
	{
		if (cJSON_IsString(tag) && same_ref(want, tag->valuestring))
			return tag->valuestring;
	}
	return NULL;
}

/* The first RepoTag of an entry, NULL when it has none. */
static const char *first_tag(const cJSON *entry)
{
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(entry, "RepoTags");
	const cJSON *tag = cJSON_IsArray(tags) ? tags->child : NULL;

	return cJSON_IsString(tag) ? tag->valuestring : NULL;
}

static int docker_choose(struct reader *r, const cJSON *list,
			 const cJSON **entry)
{
	struct bd_buf tags = BD_BUF_INIT;
	const cJSON *item;
	size_t n = 0;
	int rc = 0;

	*entry = NULL;
	cJSON_ArrayForEach(item, list)
	{
		const char *tag = first_tag(item);

		if (!*entry && (!r->sel->ref || has_tag(item, r->sel->ref)))
			*entry = item;
		if (n++ < MAX_LISTED)
			bd_buf_printf(&tags, "%s%s", n > 1 ? ", " : "",
				      !tag ? "(untagged)"
				      : token_ok(tag, BD_IMAGE_MAX_REF)
					      ? tag
					      : "(an invalid name)");
	}
	if (r->sel->ref && !*entry)
		rc = bd_error_set(r->err, BD_EUSAGE,
				  "'%s': no image '%s' (it has %s)", r->display,
				  r->sel->ref, bd_buf_str(&tags));
	else if (!r->sel->ref && n > 1)
		rc = bd_error_set(r->err, BD_EUSAGE,
				  "'%s': holds %zu images, choose one with "
				  "--image-ref: %s",
				  r->display, n, bd_buf_str(&tags));
	else if (!*entry)
		rc = bd_error_set(r->err, BD_EFORMAT, "'%s': no image",
				  file_name(r, "manifest.json"));
	bd_buf_release(&tags);
	return rc;
}

static int docker_layers(struct reader *r, const cJSON *entry, const char *file)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(entry, "Layers");
	const cJSON *item;
	size_t i = 0;
	int rc;

	if (!cJSON_IsArray(list))
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': no \"Layers\" array", file);
	rc = alloc_layers(r, (size_t)cJSON_GetArraySize(list), file);
	if (rc)
		return rc;
	cJSON_ArrayForEach(item, list)
	{
		struct bd_image_layer *l = &r->img->layers[i++];

		if (!cJSON_IsString(item) || !rel_path_ok(item->valuestring))
			return bd_error_set(r->err, BD_EFORMAT,
					    "'%s': Layers[%zu] is not a "
					    "relative path inside the image",
					    file, i - 1);
		l->path = bd_arena_strdup(&r->img->arena, item->valuestring);
		if (!l->path)
			return oom(r);
		digest_of_path(l->path, l->digest);
		l->compression = BD_LAYER_AUTO;
	}
	return rc;
}

static int read_docker(struct reader *r)
{
	const char *file = file_name(r, "manifest.json");
	const cJSON *entry, *config;
	char digest[BD_IMAGE_DIGEST_SIZE];
	cJSON *list;
	int rc = read_json(r, "manifest.json", NULL, 0, &list);

	if (rc)
		return rc;
	if (!cJSON_IsArray(list))
		rc = bd_error_set(r->err, BD_EFORMAT, "'%s': not a JSON array",
				  file);
	if (!rc)
		rc = docker_choose(r, list, &entry);
	if (!rc) {
		config = cJSON_GetObjectItemCaseSensitive(entry, "Config");
		if (!cJSON_IsString(config) ||
		    !rel_path_ok(config->valuestring))
			rc = bd_error_set(r->err, BD_EFORMAT,
					  "'%s': Config is not a relative path "
					  "inside the image",
					  file);
	}
	/* A config named by its digest is checked; another name (any tool
	 * may write one) is read as it is. */
	if (!rc)
		digest_of_path(config->valuestring, digest);
	if (!rc)
		rc = set_name(r,
			      r->sel->ref ? has_tag(entry, r->sel->ref)
					  : first_tag(entry),
			      false);
	if (!rc)
		rc = docker_layers(r, entry, file);
	if (!rc)
		rc = read_config(r, config->valuestring, digest, 0);
	cJSON_Delete(list);
	return rc;
}

/* Whether rel exists in the image directory (as anything). */
static bool has_file(struct reader *r, const char *rel)
{
	struct stat st;

	return r->dir->fd >= 0 &&
	       !fstatat(r->dir->fd, rel, &st, AT_SYMLINK_NOFOLLOW);
}

int bd_image_read(struct bd_image *img, const struct bd_root *dir,
		  const struct bd_image_select *sel, const struct bd_diag *diag,
		  struct bd_error *err)
{
	struct reader r = {
		.dir = dir, .sel = sel, .diag = diag, .err = err, .img = img
	};
	size_t n;
	int rc;

	memset(img, 0, sizeof(*img));
	bd_arena_init(&img->arena);
	r.display = r.files = sel->display ? sel->display : dir->host;
	rc = parse_platform(&r);
	if (rc)
		return rc;
	/* "img.tar!/": the files are "img.tar!/index.json", the image is
	 * "img.tar". */
	n = strlen(r.files);
	if (n >= 2 && !strcmp(r.files + n - 2, "!/"))
		r.display = bd_arena_strndup(&img->arena, r.files, n - 2);
	if (!r.display) {
		bd_image_release(img);
		return oom(&r);
	}
	if (has_file(&r, "oci-layout")) {
		img->format = BD_IMAGE_OCI;
		rc = read_oci(&r);
	} else if (has_file(&r, "manifest.json")) {
		img->format = BD_IMAGE_DOCKER;
		rc = read_docker(&r);
	} else {
		rc = bd_error_set(err, BD_ENOENT,
				  "'%s': no oci-layout or manifest.json, not "
				  "an image",
				  r.display);
	}
	/* A purl names the repository: an image whose metadata names none
	 * (untagged, a layout without a ref.name) has no purl, and the
	 * caller's hint for a name (its file's) only. */
	if (!rc && img->name)
		rc = make_purl(&r);
	else if (!rc)
		img->name = bd_arena_strdup(
			&img->arena, sel->name_hint ? sel->name_hint : "image");
	if (!rc && !img->name)
		rc = oom(&r);
	bd_buf_release(&r.seen);
	if (rc)
		bd_image_release(img);
	return rc;
}

void bd_image_release(struct bd_image *img)
{
	bd_arena_release(&img->arena);
	memset(img, 0, sizeof(*img));
}

/* ---- whiteouts ---------------------------------------------------------- */

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

/*
 * Whether the whiteout base names an entry to remove (1), or is to be
 * ignored (0): ".wh..wh.plnk" and the like are aufs' bookkeeping, and
 * ".wh.", ".wh.." and ".wh..." would name the directory itself or its
 * parent (one warning). The opaque marker is the caller's to test first.
 */
static int whiteout_target(const struct bd_diag *diag, const char *display,
			   const char *entry, const char *base)
{
	const char *target = base + strlen(WH_PREFIX);

	if (!strncmp(target, WH_PREFIX, strlen(WH_PREFIX)))
		return 0;
	if (!*target || !strcmp(target, ".") || !strcmp(target, "..")) {
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s!/%s': whiteout names no entry, ignored",
			       display, entry);
		return 0;
	}
	return 1;
}

void bd_image_apply_init(struct bd_image_apply *a, int rootfd,
			 const char *display, const struct bd_diag *diag)
{
	memset(a, 0, sizeof(*a));
	a->rootfd = rootfd;
	a->display = display ? display : "layer";
	a->diag = diag;
	bd_arena_init(&a->arena);
	bd_map_init(&a->own);
}

void bd_image_apply_release(struct bd_image_apply *a)
{
	bd_map_release(&a->own);
	bd_arena_release(&a->arena);
}

/* A normalised relative entry name: no leading '/', no empty, "." or ".."
 * component (one trailing '/' of a directory entry is cut by the caller
 * of this check). */
static bool entry_ok(const char *p)
{
	if (!*p || *p == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (!n || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') || n > NAME_MAX)
			return false;
		p += n;
		if (*p && !*++p)
			return false;
	}
	return true;
}

static bool is_own(const struct bd_image_apply *a, const char *path)
{
	return bd_map_get(&a->own, path, NULL);
}

/* Records path and its parent directories as this layer's. */
static int record_own(struct bd_image_apply *a, const char *path)
{
	size_t len = strlen(path);

	while (len && !a->own_full) {
		char *key = bd_arena_strndup(&a->arena, path, len);
		const char *slash;

		if (!key)
			return BD_ENOMEM;
		if (bd_map_get(&a->own, key, NULL))
			return 0; /* its parents are there already */
		if (++a->nown > BD_IMAGE_MAX_OWN_ENTRIES) {
			a->own_full = true;
			bd_diag_report(a->diag, BD_DIAG_WARNING,
				       "'%s': more than %u entries, later "
				       "whiteouts of the layer may remove its "
				       "own files",
				       a->display, BD_IMAGE_MAX_OWN_ENTRIES);
			return 0;
		}
		if (bd_map_put(&a->own, key, 0))
			return BD_ENOMEM;
		slash = memrchr(path, '/', len);
		len = slash ? (size_t)(slash - path) : 0;
	}
	return 0;
}

/* One removal: how it names itself, and whether the depth limit cut it. */
struct removal {
	const char *display;
	const struct bd_diag *diag; /* NULL: the depth limit is an error */
	bool cut;
};

static int remove_error(struct removal *rm, struct bd_error *err, int errnum,
			const char *name)
{
	return bd_error_errno(err, BD_EIO, errnum, "'%s': cannot remove '%s'",
			      rm->display, name);
}

/* Past BD_IMAGE_MAX_DEPTH: one warning, and the rest stays. */
static int too_deep(struct removal *rm, struct bd_error *err)
{
	if (!rm->diag)
		return bd_error_set(err, BD_ELIMIT,
				    "'%s': directories nested deeper than %d, "
				    "not removed",
				    rm->display, BD_IMAGE_MAX_DEPTH);
	if (!rm->cut)
		bd_diag_report(rm->diag, BD_DIAG_WARNING,
			       "'%s': directories nested deeper than %d, "
			       "not wholly removed",
			       rm->display, BD_IMAGE_MAX_DEPTH);
	rm->cut = true;
	return 0;
}

/* Makes a directory (known not to be a symlink: the tree is private to
 * us) readable, writable and searchable by us, so that it can be emptied:
 * a layer may have made it read-only. */
static void make_writable(int dirfd, const char *name, const struct stat *st)
{
	if ((st->st_mode & S_IRWXU) != S_IRWXU)
		(void)fchmodat(dirfd, name, (st->st_mode & 07777) | S_IRWXU, 0);
}

/* Opens dirfd/name, a directory, for reading its entries. */
static int open_below(int dirfd, const char *name, const struct stat *st)
{
	make_writable(dirfd, name, st);
	return openat(dirfd, name,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int empty_dir(struct removal *rm, int fd, unsigned depth,
		     struct bd_error *err);

/* Removes dirfd/name and everything below it, never following a symlink. */
/* The listing of the directory fd in *d (taking fd: closed here on a
 * failure, by closedir after); BD_EIO, said in err, when it cannot be
 * read. */
static int listing(const struct removal *rm, int fd, DIR **d,
		   struct bd_error *err)
{
	int errnum;

	*d = fdopendir(fd);
	if (*d)
		return 0;
	errnum = errno;
	close(fd);
	return bd_error_errno(err, BD_EIO, errnum, "'%s': cannot read",
			      rm->display);
}

static int remove_tree(struct removal *rm, int dirfd, const char *name,
		       unsigned depth, struct bd_error *err)
{
	struct stat st;
	int fd, rc;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : remove_error(rm, err, errno, name);
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) && errno != ENOENT
			       ? remove_error(rm, err, errno, name)
			       : 0;
	if (depth >= BD_IMAGE_MAX_DEPTH)
		return too_deep(rm, err);
	fd = open_below(dirfd, name, &st);
	if (fd < 0)
		return remove_error(rm, err, errno, name);
	rc = empty_dir(rm, fd, depth + 1, err);
	if (!rc && unlinkat(dirfd, name, AT_REMOVEDIR) && errno != ENOENT &&
	    !(rm->cut && errno == ENOTEMPTY))
		rc = remove_error(rm, err, errno, name);
	return rc;
}

/* Removes everything in the directory fd (closed here). */
static int empty_dir(struct removal *rm, int fd, unsigned depth,
		     struct bd_error *err)
{
	struct dirent *de;
	DIR *d;
	int rc = listing(rm, fd, &d, err);

	if (rc)
		return rc;
	while (!rc && (errno = 0, de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = remove_tree(rm, dirfd(d), de->d_name, depth, err);
	}
	closedir(d);
	return rc;
}

static int prune_children(struct bd_image_apply *a, struct removal *rm, int fd,
			  const char *path, unsigned depth,
			  struct bd_error *err);

/*
 * Removes what lower layers put at dirfd/name (path: its entry name):
 * all of it, unless this layer put something there too; then, for a
 * directory, what lower layers put below it.
 */
static int remove_lower(struct bd_image_apply *a, struct removal *rm, int dirfd,
			const char *name, const char *path, unsigned depth,
			struct bd_error *err)
{
	struct stat st;
	int fd;

	if (!is_own(a, path))
		return remove_tree(rm, dirfd, name, depth, err);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) ||
	    !S_ISDIR(st.st_mode))
		return 0;
	if (depth >= BD_IMAGE_MAX_DEPTH)
		return too_deep(rm, err);
	fd = open_below(dirfd, name, &st);
	if (fd < 0)
		return errno == ENOENT ? 0 : remove_error(rm, err, errno, path);
	return prune_children(a, rm, fd, path, depth + 1, err);
}

/* remove_lower for every entry of the directory fd (closed here), whose
 * entry name is path ("" for the root). */
static int prune_children(struct bd_image_apply *a, struct removal *rm, int fd,
			  const char *path, unsigned depth,
			  struct bd_error *err)
{
	struct bd_buf child = BD_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc = listing(rm, fd, &d, err);

	if (rc)
		return rc;
	while (!rc && (errno = 0, de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		bd_buf_reset(&child);
		bd_buf_printf(&child, "%s%s%s", path, *path ? "/" : "",
			      de->d_name);
		rc = bd_buf_ok(&child)
			     ? remove_lower(a, rm, dirfd(d), de->d_name,
					    bd_buf_str(&child), depth, err)
			     : bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	closedir(d);
	bd_buf_release(&child);
	return rc;
}

/*
 * Opens the directory dir (an entry name, "" for the root) under rootfd,
 * one component at a time with O_NOFOLLOW. Returns 0 and *fd; 1 when it
 * does not exist or a file is in the way (nothing to remove below it); 2
 * when a component is a symlink (*stop: its length); BD_EIO.
 */
static int open_dir(int rootfd, const char *dir, int *fd, size_t *stop)
{
	const char *p = dir;
	int cur = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*fd = -1;
	if (cur < 0)
		return BD_EIO;
	while (*p) {
		char comp[NAME_MAX + 1];
		size_t n = strcspn(p, "/");
		struct stat st;
		int next;

		/* No such name can be in the tree (entry_ok): none there. */
		if (n > NAME_MAX) {
			close(cur);
			*stop = (size_t)(p - dir) + n;
			errno = ENAMETOOLONG;
			return 1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		next = openat(cur, comp,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int errnum = errno;
			bool link =
				!fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) &&
				S_ISLNK(st.st_mode);

			close(cur);
			*stop = (size_t)(p - dir) + n;
			errno = errnum;
			if (link)
				return 2;
			return errnum == ENOENT || errnum == ENOTDIR ? 1
								     : BD_EIO;
		}
		close(cur);
		cur = next;
		p += n + (p[n] == '/');
	}
	*fd = cur;
	return 0;
}

/* Applies the whiteout base (".wh.NAME" or the opaque marker) found in
 * the directory dir of the layer; entry is its whole name. */
static int apply_whiteout(struct bd_image_apply *a, const char *entry,
			  const char *dir, const char *base,
			  struct bd_error *err)
{
	const char *target = base + strlen(WH_PREFIX);
	struct bd_buf path = BD_BUF_INIT;
	struct bd_buf display = BD_BUF_INIT;
	struct removal rm = { NULL, a->diag, false };
	size_t stop = 0;
	int fd, rc;

	if (strcmp(base, WH_OPAQUE) &&
	    !whiteout_target(a->diag, a->display, entry, base))
		return 0;
	rc = open_dir(a->rootfd, dir, &fd, &stop);
	if (rc == 2)
		bd_diag_report(a->diag, BD_DIAG_WARNING,
			       "'%s!/%s': whiteout below the symlink '%.*s', "
			       "refused",
			       a->display, entry, (int)stop, dir);
	if (rc == BD_EIO)
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s!/%s': cannot open its directory",
				      a->display, entry);
	if (rc)
		return 0;
	bd_buf_printf(&display, "%s!/%s", a->display, entry);
	rm.display = bd_buf_str(&display);
	if (!strcmp(base, WH_OPAQUE)) {
		rc = prune_children(a, &rm, fd, dir, 0, err);
	} else {
		bd_buf_printf(&path, "%s%s%s", dir, *dir ? "/" : "", target);
		rc = bd_buf_ok(&path)
			     ? remove_lower(a, &rm, fd, target,
					    bd_buf_str(&path), 0, err)
			     : bd_error_set(err, BD_ENOMEM, "out of memory");
		close(fd);
	}
	if (!rc && !bd_buf_ok(&display))
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	bd_buf_release(&display);
	bd_buf_release(&path);
	return rc;
}

int bd_image_whiteout(struct bd_image_apply *a, const char *name,
		      bool *is_whiteout, struct bd_error *err)
{
	size_t len = strlen(name);
	char *entry, *slash;
	const char *base;
	int rc;

	*is_whiteout = false;
	while (len > 1 && name[len - 1] == '/')
		len--;
	entry = strndup(name, len);
	if (!entry)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	slash = strrchr(entry, '/');
	base = slash ? slash + 1 : entry;
	*is_whiteout = !strncmp(base, WH_PREFIX, strlen(WH_PREFIX));
	if (!entry_ok(entry)) {
		/* The archive reader has said so for other entries. */
		if (*is_whiteout)
			bd_diag_report(a->diag, BD_DIAG_WARNING,
				       "'%s!/%s': entry name is not "
				       "normalised, whiteout skipped",
				       a->display, entry);
		rc = 0;
	} else if (!*is_whiteout) {
		rc = record_own(a, entry)
			     ? bd_error_set(err, BD_ENOMEM, "out of memory")
			     : 0;
	} else {
		if (slash)
			*slash = '\0';
		rc = apply_whiteout(a, name, slash ? entry : "", base, err);
	}
	free(entry);
	return rc;
}

/*
 * The directory the entry name rel is in, opened under rootfd as open_dir
 * opens it (0 and *fd; 1; 2 and *stop), and rel's last component: *dir
 * holds both (the directory's name, a NUL, the leaf), the caller's to
 * free. A failure is said in err: BD_ENOMEM, BD_EIO.
 */
static int open_parent(int rootfd, const char *rel, char **dir,
		       const char **leaf, int *fd, size_t *stop,
		       struct bd_error *err)
{
	char *slash;
	int rc;

	*fd = -1;
	*dir = strdup(rel);
	if (!*dir)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (!entry_ok(rel))
		return bd_error_set(err, BD_EIO, "'%s': not a normalised name",
				    rel);
	slash = strrchr(*dir, '/');
	if (slash)
		*slash = '\0';
	*leaf = slash ? slash + 1 : *dir;
	rc = open_dir(rootfd, slash ? *dir : "", fd, stop);
	if (rc == BD_EIO)
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s': cannot open its directory", rel);
	return rc;
}

int bd_image_remove(int rootfd, const char *rel, struct bd_error *err)
{
	char *dir = NULL;
	const char *leaf = NULL;
	size_t stop = 0;
	int fd, rc;

	rc = open_parent(rootfd, rel, &dir, &leaf, &fd, &stop, err);
	if (rc == 2)
		rc = bd_error_set(err, BD_EIO,
				  "'%s': below the symlink '%.*s', not removed",
				  rel, (int)stop, dir);
	else if (!rc) {
		struct removal rm = { rel, NULL, false };

		rc = remove_tree(&rm, fd, leaf, 0, err);
		close(fd);
	} else if (rc > 0) {
		rc = 0; /* not there: nothing to remove */
	}
	free(dir);
	return rc;
}

int bd_image_unlink(int rootfd, const char *rel, struct bd_error *err)
{
	char *dir = NULL;
	const char *leaf = NULL;
	size_t stop = 0;
	int fd, rc;

	rc = open_parent(rootfd, rel, &dir, &leaf, &fd, &stop, err);
	if (rc > 0) {
		rc = 0; /* missing, or below a symlink: never written */
	} else if (!rc) {
		if (unlinkat(fd, leaf, 0) && errno != ENOENT)
			rc = errno == EISDIR
				     ? 1
				     : bd_error_errno(err, BD_EIO, errno,
						      "'%s': cannot remove",
						      rel);
		close(fd);
	}
	free(dir);
	return rc;
}

/* ---- merging top-down ------------------------------------------------- */

/* What the layers above did at one path: the topmost layer that wrote it
 * (and whether as a directory), whited it out, or made it opaque; -1 for
 * none. Reading top-down, the first of each is the topmost. */
struct bd_image_merge_rec {
	int seen, whiteout, opaque;
	bool dir;
	bool implied; /* only a whiteout's directory (merge_whiteout_dir) */
	int inner;    /* the lowest layer that wrote below it, or -1 */
	/* What the current layer wrote right below it, to be pruned: the
	 * first in child (when child_layer is the layer), the next of each
	 * in next (when linked is), so that a prune costs what the layer
	 * put there, not what upper layers did (bd_image_merge_prune). */
	uint32_t name; /* its last component, at names.pool + name */
	uint32_t child, next;
	int child_layer, linked;
};

#define NO_REC UINT32_MAX

void bd_image_merge_init(struct bd_image_merge *m, const struct bd_diag *diag)
{
	memset(m, 0, sizeof(*m));
	m->diag = diag;
	m->display = "layer";
	m->layer = -1;
	bd_pathmap_init(&m->names);
}

void bd_image_merge_release(struct bd_image_merge *m)
{
	bd_pathmap_release(&m->names);
	free(m->recs);
	m->recs = NULL;
}

void bd_image_merge_layer(struct bd_image_merge *m, const char *display)
{
	m->layer++;
	m->display = display ? display : "layer";
}

/* A new record, nothing known of its path; NO_REC when out of memory or
 * past BD_IMAGE_MAX_PATHS (warned once). */
static uint32_t merge_new(struct bd_image_merge *m, uint32_t name)
{
	if (m->nrecs >= BD_IMAGE_MAX_PATHS) {
		if (!m->full)
			bd_diag_report(m->diag, BD_DIAG_WARNING,
				       "'%s': more than %u paths in the image, "
				       "whiteouts below no longer tracked",
				       m->display, BD_IMAGE_MAX_PATHS);
		m->full = true;
		return NO_REC;
	}
	if (m->nrecs == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct bd_image_merge_rec *recs =
			realloc(m->recs, cap * sizeof(*recs));

		if (!recs)
			return NO_REC;
		m->recs = recs;
		m->cap = cap;
	}
	m->recs[m->nrecs] = (struct bd_image_merge_rec){
		-1, -1, -1, false, false, -1, name, NO_REC, NO_REC, -1, -1
	};
	return (uint32_t)m->nrecs++;
}

/* The record named c[0..n) in the directory of record dir (NO_REC:
 * none), made when make and missing; NO_REC when there is none (or, to
 * make, out of memory or past BD_IMAGE_MAX_PATHS). */
static uint32_t merge_child(struct bd_image_merge *m, uint32_t dir,
			    const char *c, size_t n, bool make)
{
	uint32_t i;
	bool added;

	if (dir == NO_REC)
		return NO_REC;
	if (bd_pathmap_get(&m->names, dir, c, n, &i))
		return i;
	if (!make)
		return NO_REC;
	i = merge_new(m, (uint32_t)m->names.pool_len);
	if (i != NO_REC && bd_pathmap_add(&m->names, dir, c, n, i, &added)) {
		m->nrecs--;
		return NO_REC;
	}
	return i;
}

/* The root's record, made first when make. */
static uint32_t merge_root(struct bd_image_merge *m, bool make)
{
	return m->nrecs ? 0 : make ? merge_new(m, 0) : NO_REC;
}

/* The record of path[0..len) ("." the root), made with the directories
 * above it when make and missing; NO_REC when there is none (or, to
 * make, out of memory or past BD_IMAGE_MAX_PATHS). */
static uint32_t merge_at(struct bd_image_merge *m, const char *path, size_t len,
			 bool make)
{
	uint32_t i = merge_root(m, make);
	size_t at = 0;

	if (len == 1 && path[0] == '.')
		return i;
	while (i != NO_REC && at < len) {
		const char *c = path + at;
		size_t n = strcspn(c, "/");

		if (n > len - at)
			n = len - at;
		i = merge_child(m, i, c, n, make);
		at += n + 1;
	}
	return i;
}

static struct bd_image_merge_rec *merge_find(const struct bd_image_merge *m,
					     const char *path, size_t len)
{
	uint32_t i = merge_at((struct bd_image_merge *)m, path, len, false);

	return i == NO_REC ? NULL : &m->recs[i];
}

/* The record of path[0..len), made when missing; NULL when out of memory
 * or past BD_IMAGE_MAX_PATHS (warned once). */
static struct bd_image_merge_rec *merge_get(struct bd_image_merge *m,
					    const char *path, size_t len)
{
	uint32_t i = merge_at(m, path, len, true);

	return i == NO_REC ? NULL : &m->recs[i];
}

/* Whether an upper layer hid what this layer has at path: whited out, a
 * parent whited out or opaque, or a parent replaced by a non-directory. */
static bool merge_hidden(const struct bd_image_merge *m, const char *path)
{
	struct bd_image_merge *w = (struct bd_image_merge *)m;
	const struct bd_image_merge_rec *rec;
	uint32_t i = merge_root(w, false);
	const char *p = path;
	int l = m->layer;

	for (;;) {
		size_t n = strcspn(p, "/");
		bool last = !p[n];

		/* Nothing below a path the merge never met. */
		i = merge_child(w, i, p, n, false);
		if (i == NO_REC)
			return false;
		rec = &m->recs[i];
		if (rec->whiteout >= 0 && rec->whiteout < l)
			return true;
		if (last)
			return false;
		if ((rec->opaque >= 0 && rec->opaque < l) ||
		    (rec->seen >= 0 && rec->seen < l && !rec->dir))
			return true;
		p += n + 1;
	}
}

/* Puts record i in the list of what this layer wrote below record up. */
static void merge_link(struct bd_image_merge *m, uint32_t up, uint32_t i)
{
	struct bd_image_merge_rec *parent = &m->recs[up], *rec = &m->recs[i];

	if (rec->linked == m->layer)
		return;
	if (parent->child_layer != m->layer) {
		parent->child_layer = m->layer;
		parent->child = NO_REC;
	}
	rec->next = parent->child;
	rec->linked = m->layer;
	parent->child = i;
}

/* Records path as written by this layer, its parents as directories. */
static int merge_write(struct bd_image_merge *m, const char *path, bool dir)
{
	const char *p = path;
	uint32_t up = NO_REC, i = merge_root(m, true);

	for (;;) {
		size_t n = strcspn(p, "/");
		bool last = !p[n];
		struct bd_image_merge_rec *rec;

		i = merge_child(m, i, p, n, true);
		if (i == NO_REC)
			return m->full ? 0 : BD_ENOMEM;
		rec = &m->recs[i];
		if (up != NO_REC)
			merge_link(m, up, i);
		up = i;
		/* A directory where this layer had a file, a FIFO, a device:
		 * that entry removed what lower layers had there (moby and
		 * containerd remove the path unless both are directories),
		 * so the directory starts empty, as an opaque one does. */
		if (last && dir && rec->seen == m->layer && !rec->dir &&
		    rec->opaque < 0)
			rec->opaque = m->layer;
		if (last || rec->seen < 0) {
			rec->seen = m->layer;
			rec->dir = last ? dir : true;
			rec->implied = false;
		}
		if (!last)
			rec->inner = m->layer;
		if (last)
			return 0;
		p += n + 1;
	}
}

/* Records the whiteout base found in the directory dir[0..dirlen). */
static int merge_whiteout(struct bd_image_merge *m, const char *entry,
			  size_t dirlen, const char *base)
{
	const char *target = base + strlen(WH_PREFIX);
	struct bd_image_merge_rec *rec;
	struct bd_buf path = BD_BUF_INIT;

	if (!strcmp(base, WH_OPAQUE)) {
		/* An opaque root hides every lower entry. */
		rec = merge_get(m, dirlen ? entry : ".", dirlen ? dirlen : 1);
		if (rec && rec->opaque < 0)
			rec->opaque = m->layer;
		return rec || m->full ? 0 : BD_ENOMEM;
	}
	if (!whiteout_target(m->diag, m->display, entry, base))
		return 0;
	bd_buf_add(&path, entry, dirlen);
	bd_buf_printf(&path, "%s%s", dirlen ? "/" : "", target);
	rec = bd_buf_ok(&path) ? merge_get(m, path.data, path.len) : NULL;
	bd_buf_release(&path);
	if (rec && rec->whiteout < 0)
		rec->whiteout = m->layer;
	return rec || m->full ? 0 : BD_ENOMEM;
}

/*
 * The directory entry[0..len) of a whiteout (".wh.NAME" or the opaque
 * marker), and its parents, are directories of this layer, as if the
 * layer listed them: a whiteout names a path of the layer's own tree, and
 * overlayfs, docker's and containerd's default, applies the layer to an
 * empty upper directory, where their appliers make a whiteout's missing
 * parents (moby's UnpackLayer, containerd's mkparent). So a lower layer's
 * symlink or file there is hidden, never followed: "lib/.wh.libx.so" over
 * a lower "lib -> usr/lib" leaves usr/lib/libx.so, and /lib a directory.
 * They are implied, not written: a lower directory entry there is still
 * kept (a directory merges). Nothing is recorded where a layer at or
 * above this one wrote the path already, or hid it.
 */
static int merge_whiteout_dir(struct bd_image_merge *m, const char *entry,
			      size_t len)
{
	const struct bd_image_merge_rec *found = merge_find(m, entry, len);
	uint32_t i = merge_root(m, true);
	size_t n = 0;
	char *dir;
	bool hidden;

	if (!len || (found && found->seen >= 0))
		return 0;
	dir = strndup(entry, len);
	if (!dir)
		return BD_ENOMEM;
	hidden = merge_hidden(m, dir);
	free(dir);
	while (!hidden && n < len) {
		struct bd_image_merge_rec *rec;
		size_t c = strcspn(entry + n, "/");

		if (c > len - n)
			c = len - n;
		i = merge_child(m, i, entry + n, c, true);
		if (i == NO_REC)
			return m->full ? 0 : BD_ENOMEM;
		rec = &m->recs[i];
		if (rec->seen < 0) {
			rec->seen = m->layer;
			rec->dir = rec->implied = true;
		}
		n += c + 1;
	}
	return 0;
}

/*
 * An entry not kept because an upper layer wrote its path: when that was
 * a directory and this entry is none, this entry still removed what the
 * layers below had there, all below it too, before the upper directory
 * replaced it (layer.md, "Changeset over existing files": unless both
 * are directories, the path is removed, then made again). So the path
 * is opaque to the layers below, as if this layer had made it so.
 */
static void merge_replaced(struct bd_image_merge *m, const char *path,
			   size_t len, bool is_dir)
{
	struct bd_image_merge_rec *rec = merge_find(m, path, len);

	if (!is_dir && rec && rec->dir && rec->seen < m->layer &&
	    rec->opaque < 0)
		rec->opaque = m->layer;
}

/* The directories above path[0..len) that recording it makes: those the
 * merge never met, or met only below a whiteout's path (merge_whiteout's
 * records say nothing of a directory). */
static uint64_t merge_new_dirs(struct bd_image_merge *m, const char *path,
			       size_t len)
{
	uint32_t i = merge_root(m, false);
	uint64_t n = 0;
	size_t at = 0, c;

	while (at < len) {
		c = strcspn(path + at, "/");
		if (at + c >= len)
			break; /* the entry's own name: no directory above */
		i = merge_child(m, i, path + at, c, false);
		if (i == NO_REC || m->recs[i].seen < 0)
			n++;
		at += c + 1;
	}
	return n;
}

/* Whether the entry path[0..len) may make the directories above it
 * (m->implied, taken when so); else it is refused, said once. */
static bool merge_may_imply(struct bd_image_merge *m, const char *path,
			    size_t len)
{
	uint64_t n = m->implied ? merge_new_dirs(m, path, len) : 0;

	if (!n || bd_archive_implied_take(m->implied, n))
		return true;
	bd_archive_implied_cut(m->implied, m->diag, m->display);
	m->refused = true;
	return false;
}

/* Whether keeping a directory entry whose record is rec (NULL: none)
 * makes a directory: none is there, or only an upper whiteout's (never
 * made), or this layer's file, which it replaces. A directory listed
 * again, or made above an entry before, is there. */
static bool merge_makes_dir(const struct bd_image_merge *m,
			    const struct bd_image_merge_rec *rec)
{
	return !rec || rec->seen < 0 || !rec->dir ||
	       (rec->implied && rec->seen != m->layer);
}

/* Whether one more listed directory may be made (m->listed, taken once
 * the entry is kept); else it is not kept, said once: what is kept below
 * it makes it as an implied directory (merge_may_imply). */
static bool merge_may_list(struct bd_image_merge *m)
{
	if (!m->listed || m->listed->made < m->listed->max)
		return true;
	bd_archive_implied_cut(m->listed, m->diag, m->display);
	return false;
}

int bd_image_merge_entry(struct bd_image_merge *m, const char *name,
			 bool is_dir, bool *keep, struct bd_error *err)
{
	size_t len = strlen(name);
	const struct bd_image_merge_rec *rec, *root;
	const char *slash, *base;
	char *entry;
	int rc = 0;

	*keep = false;
	m->refused = false;
	while (len > 1 && name[len - 1] == '/')
		len--;
	entry = strndup(name, len);
	if (!entry)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	slash = strrchr(entry, '/');
	base = slash ? slash + 1 : entry;
	root = merge_find(m, ".", 1);
	if (!entry_ok(entry)) {
		bd_diag_report(m->diag, BD_DIAG_WARNING,
			       "'%s!/%s': entry name is not normalised, "
			       "skipped",
			       m->display, entry);
	} else if (!strncmp(base, WH_PREFIX, strlen(WH_PREFIX))) {
		size_t dirlen = slash ? (size_t)(slash - entry) : 0;

		if (!merge_may_imply(m, entry, len))
			goto out;
		rc = merge_whiteout(m, entry, dirlen, base);
		if (!rc &&
		    !(root && root->opaque >= 0 && root->opaque < m->layer))
			rc = merge_whiteout_dir(m, entry, dirlen);
	} else if (!(root && root->opaque >= 0 && root->opaque < m->layer) &&
		   !merge_hidden(m, entry)) {
		bool implied, lists;

		rec = merge_find(m, entry, len);
		/* Written above: kept only from the same layer again (a
		 * duplicate, the caller's to judge), or a directory where an
		 * upper layer's whiteout only implied one (made here, it
		 * stays that layer's: what it put below is its own). */
		implied =
			is_dir && rec && rec->implied && rec->seen != m->layer;
		*keep = !rec || rec->seen < 0 || rec->seen == m->layer ||
			implied;
		lists = *keep && is_dir && merge_makes_dir(m, rec);
		if (lists && !merge_may_list(m))
			*keep = false; /* not made, nothing recorded */
		else if (*keep && !implied && !merge_may_imply(m, entry, len))
			*keep = false;
		else if (*keep && !implied)
			rc = merge_write(m, entry, is_dir);
		else if (!*keep)
			merge_replaced(m, entry, len, is_dir);
		if (*keep && lists)
			bd_archive_implied_take(m->listed, 1);
	}
out:
	free(entry);
	return rc ? bd_error_set(err, BD_ENOMEM, "out of memory") : 0;
}

bool bd_image_merge_kept(const struct bd_image_merge *m, const char *name)
{
	size_t len = strlen(name);
	const struct bd_image_merge_rec *rec;

	while (len > 1 && name[len - 1] == '/')
		len--;
	rec = merge_find(m, name, len);
	return rec && rec->seen == m->layer;
}

/* The length of name, its trailing '/' aside. */
static size_t trimmed_len(const char *name)
{
	size_t len = strlen(name);

	while (len > 1 && name[len - 1] == '/')
		len--;
	return len;
}

/* The record of name, its trailing '/' aside. */
static const struct bd_image_merge_rec *
merge_find_name(const struct bd_image_merge *m, const char *name)
{
	return merge_find(m, name, trimmed_len(name));
}

bool bd_image_merge_replaces_tree(const struct bd_image_merge *m,
				  const char *name)
{
	const struct bd_image_merge_rec *rec = merge_find_name(m, name);

	return rec && rec->dir &&
	       (rec->seen == m->layer || rec->inner == m->layer);
}

/* Removes what the current layer wrote below the directory fd (closed
 * here), of record up: an entry the layer put first, all of it; a
 * directory an upper layer made, what the layer put below it. Walks the
 * layer's list of what it wrote there, never the directory, which holds
 * the upper layers' files too: a layer that put a file at a directory of
 * 20,000 upper files, then a file below it, then the file again, 1,000
 * times, read 20 million entries (14 s). The list is emptied: what it
 * named is gone, and is linked again when written again. */
static int prune_own(struct bd_image_merge *m, struct removal *rm, int fd,
		     uint32_t up, unsigned depth, struct bd_error *err)
{
	struct bd_image_merge_rec *dir = &m->recs[up];
	uint32_t i = dir->child_layer == m->layer ? dir->child : NO_REC;
	int rc = 0;

	dir->child_layer = -1;
	while (i != NO_REC) {
		struct bd_image_merge_rec *rec = &m->recs[i];
		const char *base = m->names.pool + rec->name;
		struct stat st;
		int sub;

		i = rec->next;
		rec->linked = -1;
		if (rc)
			continue;
		if (rec->seen == m->layer) {
			rc = remove_tree(rm, fd, base, depth, err);
			continue;
		}
		if (rec->inner != m->layer ||
		    fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (depth >= BD_IMAGE_MAX_DEPTH) {
			rc = too_deep(rm, err);
			continue;
		}
		sub = open_below(fd, base, &st);
		rc = sub < 0 ? remove_error(rm, err, errno, base)
			     : prune_own(m, rm, sub, (uint32_t)(rec - m->recs),
					 depth + 1, err);
	}
	close(fd);
	return rc;
}

int bd_image_merge_prune(struct bd_image_merge *m, int rootfd, const char *name,
			 struct bd_error *err)
{
	struct bd_image_merge_rec *rec = merge_find(m, name, trimmed_len(name));
	struct bd_buf display = BD_BUF_INIT;
	struct removal rm = { NULL, m->diag, false };
	bool all = rec && rec->seen == m->layer;
	const char *leaf = NULL;
	char *dir = NULL, *path;
	size_t stop = 0;
	int fd = -1, rc;

	if (!rec || (!all && rec->inner != m->layer))
		return 0;
	path = strndup(name, (size_t)(trimmed_len(name)));
	bd_buf_printf(&display, "%s!/%s", m->display, path ? path : name);
	if (!path || !bd_buf_ok(&display)) {
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
		goto out;
	}
	rm.display = display.data;
	/* All of it: no upper layer put anything at or below it. */
	rc = all ? open_parent(rootfd, path, &dir, &leaf, &fd, &stop, err)
		 : open_dir(rootfd, path, &fd, &stop);
	if (rc == BD_EIO && !all)
		rc = bd_error_errno(err, BD_EIO, errno, "'%s': cannot open",
				    rm.display);
	if (rc > 0)
		rc = 0; /* not there, or below a symlink: nothing written */
	else if (!rc && all)
		rc = remove_tree(&rm, fd, leaf, 0, err);
	else if (!rc)
		rc = prune_own(m, &rm, fd, (uint32_t)(rec - m->recs), 0, err);
	if (all && fd >= 0)
		close(fd);
out:
	free(dir);
	free(path);
	bd_buf_release(&display);
	return rc;
}
