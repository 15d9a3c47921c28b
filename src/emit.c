/* SPDX-License-Identifier: MIT */
#include "bindep/emit.h"
#include "bindep/hash.h"
#include "bindep/map.h"
#include "bindep/utf8.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void bd_emit_timestamp(time_t t, char out[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(out, "1970-01-01T00:00:00Z");
}

int bd_emit_result(int rc, const char *format, struct bd_error *err)
{
	if (rc == BD_ENOMEM)
		return bd_error_set(err, rc, "out of memory writing %s",
				    format);
	return rc ? bd_error_set(err, rc, "cannot write the SBOM") : 0;
}

/* The namespace of our name-based UUIDs: drawn at random once for
 * bindep-sbom. Never change it, or every serial number changes. */
static const unsigned char uuid_namespace[16] = {
	0x5c, 0x0e, 0x6f, 0x4a, 0x1b, 0x2d, 0x5e, 0x8f,
	0x9a, 0x3c, 0x47, 0x61, 0xd2, 0x08, 0xb5, 0x1e,
};

/* The 160-bit hash as a version 5 UUID (RFC 4122, 4.3). */
static void uuid5_format(unsigned char md[BD_SHA1_LEN], char out[37])
{
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50); /* version 5 */
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8],
		 md[9], md[10], md[11], md[12], md[13], md[14], md[15]);
}

int bd_emit_uuid5(const void *data, size_t len, char out[37])
{
	unsigned char md[BD_SHA1_LEN];
	int rc = bd_sha1_2(uuid_namespace, sizeof(uuid_namespace), data, len,
			   md);

	if (!rc)
		uuid5_format(md, out);
	return rc;
}

void *bd_emit_uuid5_begin(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx &&
	    (!EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	     !EVP_DigestUpdate(ctx, uuid_namespace, sizeof(uuid_namespace)))) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

int bd_emit_uuid5_add(void *ctx, const void *data, size_t len)
{
	return ctx && EVP_DigestUpdate(ctx, data, len) ? 0 : BD_ENOMEM;
}

int bd_emit_uuid5_end(void *ctx, char out[37])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ok = ctx && EVP_DigestFinal_ex(ctx, md, &n) && n == BD_SHA1_LEN;

	EVP_MD_CTX_free(ctx);
	if (!ok)
		return BD_ENOMEM;
	uuid5_format(md, out);
	return 0;
}

/* ---- sinks ------------------------------------------------------------ */

static int buf_write(void *ctx, const char *data, size_t len)
{
	struct bd_emit_buf_sink *s = ctx;

	bd_buf_add(s->buf, data, len);
	return bd_buf_ok(s->buf) ? 0 : BD_ENOMEM;
}

static int buf_patch(void *ctx, uint64_t offset, const char *data, size_t len)
{
	struct bd_emit_buf_sink *s = ctx;

	if (offset > s->buf->len - s->base ||
	    len > s->buf->len - s->base - offset)
		return BD_ELIMIT; /* not written yet: misuse */
	memcpy(s->buf->data + s->base + offset, data, len);
	return 0;
}

static int null_write(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return 0;
}

static int null_patch(void *ctx, uint64_t offset, const char *data, size_t len)
{
	(void)offset;
	return null_write(ctx, data, len);
}

const struct bd_emit_sink bd_emit_null_sink = { null_write, null_patch, NULL };

void bd_emit_buf_sink_init(struct bd_emit_buf_sink *s, struct bd_buf *buf)
{
	s->sink.write = buf_write;
	s->sink.patch = buf_patch;
	s->sink.ctx = s;
	s->buf = buf;
	s->base = buf->len;
}

/* Text a person or organisation name may hold: valid UTF-8, no control
 * characters, none of the bytes in banned. */
static bool plain_text(const char *s, size_t len, const char *banned)
{
	size_t i;

	if (!bd_utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f || strchr(banned, ch))
			return false;
	}
	return true;
}

/* s[0..len) without blanks at either end. */
static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

bool bd_emit_person(const char *s, struct bd_buf *name, struct bd_buf *email)
{
	const char *lt = strchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *n = s, *e = lt ? lt + 1 : NULL;
	size_t nlen = lt ? (size_t)(lt - s) : strlen(s);
	size_t elen = gt ? (size_t)(gt - e) : 0;

	if (lt && (!gt || gt[strspn(gt + 1, " \t") + 1] != '\0'))
		return false; /* "<" unclosed, or text after the ">" */
	trim(&n, &nlen);
	if (lt)
		trim(&e, &elen);
	if (!nlen || (lt && !elen) || !plain_text(n, nlen, "()<>") ||
	    (lt && !plain_text(e, elen, "()<> \t")))
		return false;
	bd_buf_reset(name);
	bd_buf_add(name, n, nlen);
	bd_buf_reset(email);
	bd_buf_add(email, e ? e : "", elen);
	return bd_buf_ok(name) && bd_buf_ok(email);
}

bool bd_emit_valid_organization(const char *s)
{
	const char *n = s;
	size_t len = strlen(s);

	trim(&n, &len);
	return len == strlen(s) && len && plain_text(s, len, "()");
}

/* A distribution's usual name, by its purl namespace. */
static const char *distribution_name(const char *ns, size_t len)
{
	static const char *const names[][2] = {
		{ "alma", "AlmaLinux" },
		{ "almalinux", "AlmaLinux" },
		{ "alpine", "Alpine Linux" },
		{ "amzn", "Amazon Linux" },
		{ "centos", "CentOS" },
		{ "debian", "Debian" },
		{ "fedora", "Fedora Project" },
		{ "opensuse", "openSUSE" },
		{ "redhat", "Red Hat" },
		{ "rocky", "Rocky Linux" },
		{ "suse", "SUSE" },
		{ "ubuntu", "Ubuntu" },
		{ "wolfi", "Wolfi" },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(names); i++) {
		if (strlen(names[i][0]) == len &&
		    !strncmp(ns, names[i][0], len))
			return names[i][1];
	}
	return NULL;
}

const char *bd_emit_supplier(const struct bd_component *c, char *buf,
			     size_t size)
{
	static const char *const distro_types[] = { "pkg:deb/", "pkg:rpm/",
						    "pkg:apk/" };
	const char *ns, *end, *name;
	size_t i, len;

	for (i = 0; c->purl && i < BD_ARRAY_SIZE(distro_types); i++) {
		len = strlen(distro_types[i]);
		if (strncmp(c->purl, distro_types[i], len))
			continue;
		ns = c->purl + len;
		end = strchr(ns, '/');
		if (!end || end == ns || (size_t)(end - ns) >= size)
			return NULL;
		name = distribution_name(ns, (size_t)(end - ns));
		if (name)
			return name;
		memcpy(buf, ns, (size_t)(end - ns));
		buf[end - ns] = '\0';
		return buf;
	}
	/* The one an SBOM shipped with it names (issue 16), when it is a
	 * plain name. */
	if (c->carried && c->carried->supplier &&
	    bd_emit_valid_organization(c->carried->supplier))
		return c->carried->supplier;
	return NULL;
}

/* SPDX 2.3, 7.24: a distribution's package is installed ("INSTALL"), a
 * plain archive is an "ARCHIVE", a language package a "LIBRARY". */
static const char *artifact_purpose(const struct bd_component *c)
{
	static const char *const kinds[][2] = {
		{ "deb", "INSTALL" }, { "rpm", "INSTALL" },
		{ "apk", "INSTALL" }, { "tarball", "ARCHIVE" },
		{ "zip", "ARCHIVE" },
	};
	size_t i;

	for (i = 0; c->artifact_type && i < BD_ARRAY_SIZE(kinds); i++) {
		if (!strcmp(c->artifact_type, kinds[i][0]))
			return kinds[i][1];
	}
	return "LIBRARY";
}

const char *bd_emit_spdx_purpose(const struct bd_component *c)
{
	switch (c->kind) {
	case BD_COMP_EXECUTABLE: return "APPLICATION";
	case BD_COMP_LIBRARY: return "LIBRARY";
	case BD_COMP_UNRESOLVED: return "LIBRARY";
	case BD_COMP_ARTIFACT: return artifact_purpose(c);
	case BD_COMP_STATIC: return "LIBRARY";
	case BD_COMP_DECLARED: return "LIBRARY";
	default: return "FILE";
	}
}

const char *bd_emit_shown_path(const struct bd_component *c)
{
	size_t i;

	for (i = 0; c->soname && i < c->paths.n; i++) {
		const char *slash = strrchr(c->paths.items[i], '/');
		const char *base = slash ? slash + 1 : c->paths.items[i];

		if (!strcmp(base, c->soname))
			return c->paths.items[i];
	}
	return c->paths.n ? c->paths.items[0] : NULL;
}

const char *bd_emit_download_location(const struct bd_component *c)
{
	return c->purl && c->upstream_purl && !strcmp(c->purl, c->upstream_purl)
		       ? c->repository
		       : NULL;
}

/* "%s" of s, NULL as glibc's printf writes it. */
static void add_text(struct bd_buf *out, const char *s)
{
	bd_buf_adds(out, s ? s : "(null)");
}

/* "%g" of v. The confidences of a run are a handful of values: the last
 * few are remembered, per thread (each thread its own), so that printf
 * formats each once. */
static void add_g(struct bd_buf *out, double v)
{
	static _Thread_local struct {
		double v;
		char text[32];
	} seen[4];
	static _Thread_local unsigned next;
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(seen); i++) {
		if (seen[i].text[0] && !memcmp(&seen[i].v, &v, sizeof(v))) {
			bd_buf_adds(out, seen[i].text);
			return;
		}
	}
	i = next++ % BD_ARRAY_SIZE(seen);
	seen[i].v = v;
	snprintf(seen[i].text, sizeof(seen[i].text), "%g", v);
	bd_buf_adds(out, seen[i].text);
}

bool bd_emit_source_info(struct bd_buf *out, const struct bd_component *c)
{
	size_t i;

	if (!c->nids)
		return false;
	bd_buf_reset(out);
	bd_buf_adds(out, "identified by bindep-sbom:");
	/* "\n%s %s: %s, confidence %g, from %s", without a printf per
	 * line (one per component on the SPDX writers' path). */
	for (i = 0; i < c->nids; i++) {
		const struct bd_identity *f = &c->ids[i];

		bd_buf_addc(out, '\n');
		add_text(out, f->field);
		bd_buf_addc(out, ' ');
		add_text(out, f->value);
		bd_buf_adds(out, ": ");
		add_text(out, f->technique);
		bd_buf_adds(out, ", confidence ");
		add_g(out, f->confidence);
		bd_buf_adds(out, ", from ");
		add_text(out, f->method);
		if (f->attested) {
			bd_buf_adds(out, "; attested by ");
			bd_buf_adds(out, f->attested);
		}
	}
	return true;
}

bool bd_emit_valid_uuid(const char *s, bool with_urn)
{
	size_t i;

	if (with_urn) {
		if (strncmp(s, "urn:uuid:", 9) != 0)
			return false;
		s += 9;
	}
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-'
			 : !(isdigit((unsigned char)s[i]) ||
			     (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[36] == '\0';
}

/* ---- what the edges say about each component ------------------------- */

void bd_emit_edge_flags(const struct bd_graph *g, unsigned char *flags)
{
	size_t i;

	for (i = 0; i < g->nedges; i++) {
		const struct bd_edge *e = &g->edges[i];

		/* An artifact holds the file; nothing loads it through that. */
		if (e->kind == BD_EDGE_CONTAINS) {
			flags[e->to] |= BD_EMIT_CONTAINED;
			continue;
		}
		/* Compiled in: neither loaded nor optional. */
		if (e->kind == BD_EDGE_STATIC) {
			flags[e->to] |= BD_EMIT_STATIC;
			continue;
		}
		/* Used by the build: not in the file at all. */
		if (e->kind == BD_EDGE_BUILD) {
			flags[e->to] |= BD_EMIT_BUILT;
			continue;
		}
		/* A package's on a package: how a file holds either is its
		 * own edges' to say. */
		if (e->kind == BD_EDGE_DEPENDS)
			continue;
		flags[e->to] |= e->kind == BD_EDGE_DLOPEN_NOTE
					? BD_EMIT_DLOPENED
					: BD_EMIT_NEEDED;
		if (e->kind == BD_EDGE_NEEDED && e->preloaded)
			flags[e->to] |= BD_EMIT_PRELOADED;
		if (e->kind != BD_EDGE_NEEDED && e->kind != BD_EDGE_INTERP &&
		    e->kind != BD_EDGE_DLOPEN_NOTE)
			flags[e->to] |= BD_EMIT_STATIC;
		if (g->comps[e->to].kind == BD_COMP_UNRESOLVED)
			flags[e->from] |= BD_EMIT_NEEDS_UNRESOLVED;
	}
}

unsigned bd_emit_dlopen_rank(const struct bd_dlopen_entry *e)
{
	if (e && e->priority && !strcmp(e->priority, "required"))
		return 3;
	if (e && e->priority && !strcmp(e->priority, "suggested"))
		return 1;
	return 2;
}

const char *bd_emit_dlopen_priority(unsigned rank)
{
	return rank >= 3 ? "required" : rank == 1 ? "suggested" : "recommended";
}

/* ---- purls for people -------------------------------------------------- */

size_t bd_emit_purl_base(const char *purl)
{
	return strcspn(purl, "@?#");
}

void bd_emit_percent_decode(struct bd_buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int hi = i + 2 < len ? bd_hex_digit(s[i + 1]) : -1;
		int lo = i + 2 < len ? bd_hex_digit(s[i + 2]) : -1;

		if (s[i] == '%' && hi >= 0 && lo >= 0 && (hi || lo)) {
			bd_buf_addc(out, (char)(hi * 16 + lo));
			i += 2;
		} else {
			bd_buf_addc(out, s[i]);
		}
	}
}

/* The type ("deb", type_len bytes at *type) of "pkg:deb/...", and where
 * the rest starts. */
static bool purl_type(const char *purl, const char **type, size_t *type_len,
		      const char **rest)
{
	const char *slash;

	if (strncmp(purl, "pkg:", 4))
		return false;
	purl += 4;
	while (*purl == '/') /* "pkg://deb/..." reads as "pkg:deb/..." */
		purl++;
	slash = strchr(purl, '/');
	if (!slash)
		return false;
	*type = purl;
	*type_len = (size_t)(slash - purl);
	*rest = slash + 1;
	return true;
}

static bool type_is(const char *type, size_t len, const char *want)
{
	return strlen(want) == len && !strncasecmp(type, want, len);
}

void bd_emit_purl_name(struct bd_buf *out, const char *purl)
{
	size_t len = bd_emit_purl_base(purl), type_len;
	const char *type, *rest, *name, *scope = NULL;

	if (!purl_type(purl, &type, &type_len, &rest) || rest >= purl + len) {
		bd_emit_percent_decode(out, purl, len);
		return;
	}
	len -= (size_t)(rest - purl);
	name = rest + len;
	while (name > rest && name[-1] != '/')
		name--;
	/* npm's scope: the namespace "@img" of "@img/sharp". */
	if (type_is(type, type_len, "npm") && name > rest) {
		scope = name - 1;
		while (scope > rest && scope[-1] != '/')
			scope--;
	}
	/* A Go module is its whole path ("golang.org/x/sys", not "sys"):
	 * purl-spec's golang type splits it at its last '/' only because
	 * the namespace is required. */
	if (type_is(type, type_len, "golang"))
		scope = rest;
	bd_emit_percent_decode(out, scope ? scope : name,
			       (size_t)(rest + len - (scope ? scope : name)));
}

bool bd_emit_package_label(struct bd_buf *out, const char *purl)
{
	/* The package formats, and the word people use for each. */
	static const struct {
		const char *type, *word;
	} kinds[] = {
		{ "deb", "deb" },	    { "rpm", "rpm" },
		{ "apk", "apk" },	    { "pypi", "wheel" },
		{ "npm", "npm" },	    { "conda", "conda" },
		{ "maven", "jar" },	    { "gem", "gem" },
		{ "cargo", "crate" },	    { "golang", "go" },
		{ "nuget", "nuget" },	    { "alpm", "alpm" },
		{ "composer", "composer" },
	};
	size_t type_len, i;
	const char *type, *rest;

	if (!purl || !purl_type(purl, &type, &type_len, &rest) ||
	    rest >= purl + bd_emit_purl_base(purl))
		return false;
	for (i = 0; i < BD_ARRAY_SIZE(kinds); i++) {
		if (type_is(type, type_len, kinds[i].type)) {
			bd_buf_adds(out, kinds[i].word);
			bd_buf_addc(out, ' ');
			bd_emit_purl_name(out, purl);
			return true;
		}
	}
	return false;
}

bool bd_emit_optional(const unsigned char *flags, uint32_t id)
{
	return (flags[id] & BD_EMIT_DLOPENED) && !(flags[id] & BD_EMIT_NEEDED);
}

bool bd_emit_build_edge(const unsigned char *flags, const struct bd_edge *e)
{
	return e->kind == BD_EDGE_BUILD ||
	       (e->kind == BD_EDGE_DEPENDS && bd_emit_build_only(flags, e->to));
}

bool bd_emit_build_only(const unsigned char *flags, uint32_t id)
{
	return (flags[id] & BD_EMIT_BUILT) &&
	       !(flags[id] &
		 (BD_EMIT_NEEDED | BD_EMIT_DLOPENED | BD_EMIT_STATIC));
}

bool bd_emit_scanned(const struct bd_graph *g, const unsigned char *flags,
		     uint32_t id)
{
	const struct bd_component *c = &g->comps[id];

	return c->kind != BD_COMP_ARTIFACT && c->kind != BD_COMP_DECLARED &&
	       (c->is_input || (flags[id] & BD_EMIT_CONTAINED));
}

/* ---- which artifact holds what ---------------------------------------- */

/* Each path of each holder in by_path (mark[a] counts holder a's edges
 * meanwhile: its paths go in once, however many it holds). */
static int index_holder_paths(struct bd_emit_holders *h,
			      const struct bd_graph *g, size_t n)
{
	size_t k, i, e = 0, all = 0;
	uint32_t a, first;
	uint64_t hash;

	h->mark = calloc(g->ncomps + 1, sizeof(*h->mark));
	if (!h->mark)
		return BD_ENOMEM;
	for (k = 0; k < n; k++) {
		if (!h->mark[h->from[k]]++)
			all += g->comps[h->from[k]].paths.n;
	}
	if (!all)
		return 0;
	h->owner = malloc(all * sizeof(*h->owner));
	h->next = malloc(all * sizeof(*h->next));
	if (!h->owner || !h->next || bd_map_reserve(&h->by_path, all))
		return BD_ENOMEM;
	for (a = 0; a < g->ncomps; a++) {
		const struct bd_strlist *p = &g->comps[a].paths;

		for (i = 0; h->mark[a] && i < p->n; i++, e++) {
			hash = bd_map_hash(p->items[i], strlen(p->items[i]));
			h->owner[e] = a;
			h->next[e] =
				bd_map_geth(&h->by_path, p->items[i],
					    strlen(p->items[i]), hash, &first)
					? first + 1
					: 0;
			if (bd_map_puth(&h->by_path, p->items[i], hash,
					(uint32_t)e))
				return BD_ENOMEM;
		}
	}
	memset(h->mark, 0, (g->ncomps + 1) * sizeof(*h->mark));
	return 0;
}

int bd_emit_holders_build(struct bd_emit_holders *h, const struct bd_graph *g)
{
	size_t i, k, n = 0;

	memset(h, 0, sizeof(*h));
	bd_map_init(&h->by_path);
	h->first = calloc(g->ncomps + 1, sizeof(*h->first));
	if (!h->first)
		return BD_ENOMEM;
	/* A counting sort by the held end: count, sum, place. */
	for (i = 0; i < g->nedges; i++) {
		if (g->edges[i].kind == BD_EDGE_CONTAINS) {
			h->first[g->edges[i].to + 1]++;
			n++;
		}
	}
	for (k = 0; k < g->ncomps; k++)
		h->first[k + 1] += h->first[k];
	h->from = malloc((n ? n : 1) * sizeof(*h->from));
	if (!h->from) {
		bd_emit_holders_release(h);
		return BD_ENOMEM;
	}
	/* first[to] runs to the end of its range while placing (edges are
	 * sorted by source: each range stays in graph order), then every
	 * start moves back one place. */
	for (i = 0; i < g->nedges; i++) {
		if (g->edges[i].kind == BD_EDGE_CONTAINS)
			h->from[h->first[g->edges[i].to]++] = g->edges[i].from;
	}
	for (k = g->ncomps; k > 0; k--)
		h->first[k] = h->first[k - 1];
	h->first[0] = 0;
	if (index_holder_paths(h, g, n)) {
		bd_emit_holders_release(h);
		return BD_ENOMEM;
	}
	return 0;
}

void bd_emit_holders_release(struct bd_emit_holders *h)
{
	free(h->from);
	free(h->first);
	bd_map_release(&h->by_path);
	free(h->owner);
	free(h->next);
	free(h->mark);
	memset(h, 0, sizeof(*h));
}

/* "dist/x.whl!/pkg/_x.so" lies inside "dist/x.whl" (issue 12, point 4):
 * what comes before one of its "!/" is a path of one of id's holders,
 * marked id + 1 by bd_emit_top_level. */
static bool held_path(const struct bd_emit_holders *h, uint32_t id,
		      const char *path)
{
	const char *bang;
	uint32_t e;

	for (bang = strstr(path, "!/"); bang; bang = strstr(bang + 1, "!/")) {
		if (!bd_map_getn(&h->by_path, path, (size_t)(bang - path), &e))
			continue;
		for (;;) {
			if (h->mark[h->owner[e]] == id + 1)
				return true;
			if (!h->next[e])
				break;
			e = h->next[e] - 1;
		}
	}
	return false;
}

size_t bd_emit_sort_unique(const char **v, size_t n)
{
	size_t i, out = 0;

	if (n)
		qsort(v, n, sizeof(*v), bd_cmp_str);
	for (i = 0; i < n; i++) {
		if (!out || strcmp(v[out - 1], v[i]))
			v[out++] = v[i];
	}
	return out;
}

bool bd_emit_needs_unknown(const struct bd_component *c)
{
	/* A crate's are what its cargo-auditable lists say (ident_cargo.c):
	 * every dependency of every crate of the build. */
	if (c->kind == BD_COMP_STATIC && c->cargo_kind)
		return false;
	return c->kind == BD_COMP_UNRESOLVED || c->kind == BD_COMP_STATIC ||
	       c->kind == BD_COMP_DECLARED || c->external;
}

bool bd_emit_needs_in_part(const struct bd_component *c)
{
	return c->error || c->cargo_deps_cut;
}

bool bd_emit_top_level(const struct bd_graph *g, const unsigned char *flags,
		       const struct bd_emit_holders *h, uint32_t id)
{
	const struct bd_component *c = &g->comps[id];
	size_t i, k;

	if (!c->is_input && c->kind != BD_COMP_ARTIFACT)
		return false;
	if (!(flags[id] & BD_EMIT_CONTAINED))
		return true;
	/* The scratch is the holders' (h is the caller's to share, one
	 * thread at a time); a mark left by another id is not id + 1. */
	for (k = h->first[id]; k < h->first[id + 1]; k++)
		h->mark[h->from[k]] = id + 1;
	for (i = 0; i < c->paths.n; i++) {
		if (!held_path(h, id, c->paths.items[i]))
			return true;
	}
	return false;
}

/* ---- the machines of a run -------------------------------------------- */

int bd_emit_machines_build(struct bd_emit_machines *m, const struct bd_graph *g)
{
	size_t i, alloc = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];
		uint32_t kind =
			bd_elf_kind(c->ei_class, c->ei_data, c->e_machine);

		if (!c->has_elf_header && !c->wants_elf_kind)
			continue;
		/* Most runs are of one kind: a kind is kept when new to the
		 * last one kept. */
		if (m->n && m->kinds[m->n - 1] == kind)
			continue;
		if (BD_GROW(m->kinds, alloc, m->n + 1)) {
			bd_emit_machines_release(m);
			return BD_ENOMEM;
		}
		m->kinds[m->n++] = kind;
	}
	m->n = bd_sort_unique_u32(m->kinds, m->n);
	return 0;
}

void bd_emit_machines_release(struct bd_emit_machines *m)
{
	free(m->kinds);
	memset(m, 0, sizeof(*m));
}

const char *bd_emit_machine_label(const struct bd_emit_machines *m,
				  const struct bd_component *c, char *buf)
{
	uint32_t machine = bd_elf_kind(0, 0, c->e_machine);
	const char *cls = bd_elf_class_name(c->ei_class);
	bool other_class = false, other_order = false;
	char name[BD_ELF_MACHINE_TEXT];
	size_t i;

	if (m->n < 2 || !c->wants_elf_kind)
		return NULL;
	/* The kinds of one machine sort together, from its kind of class
	 * and byte order 0: a few of them. */
	for (i = bd_lower_bound_u32(m->kinds, m->n, machine);
	     i < m->n && m->kinds[i] >> 16 == machine >> 16; i++) {
		other_class |= (m->kinds[i] >> 8 & 0xffu) != c->ei_class;
		other_order |= (m->kinds[i] & 0xffu) != c->ei_data;
	}
	snprintf(buf, BD_EMIT_MACHINE_LABEL, "%s%s%s%s%s",
		 bd_elf_machine_text(c->e_machine, name),
		 other_class && cls ? " " : "", other_class && cls ? cls : "",
		 other_order ? " " : "",
		 other_order ? bd_elf_byte_order_name(c->ei_data) : "");
	return buf;
}

/* ---- bindep: properties ---------------------------------------------- */

struct props {
	void (*fn)(void *ctx, const char *name, const char *value);
	void *ctx;
};

static void prop(const struct props *p, const char *name, const char *value)
{
	if (value)
		p->fn(p->ctx, name, value);
}

/* "0x" and v in lowercase hex, as "0x%llx" writes it: most ELF files have
 * DT_FLAGS_1, and this is on every emitter's path. */
static const char *hex_text(uint64_t v, char out[32])
{
	static const char digits[] = "0123456789abcdef";
	char rev[16];
	size_t n = 0, len = 2;

	do {
		rev[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	memcpy(out, "0x", 2);
	while (n)
		out[len++] = rev[--n];
	out[len] = '\0';
	return out;
}

/* A file's ELF header, and of an unresolved component the class,
 * machine and byte order of what would meet it (its requesters'). */
static void elf_properties(const struct props *p, const struct bd_component *c)
{
	char buf[32];

	if (!c->has_elf_header && !c->wants_elf_kind)
		return;
	prop(p, "bindep:elf:class", bd_elf_class_name(c->ei_class));
	prop(p, "bindep:elf:machine", bd_elf_machine_text(c->e_machine, buf));
	prop(p, "bindep:elf:byte-order", bd_elf_byte_order_name(c->ei_data));
	if (!c->has_elf_header)
		return;
	prop(p, "bindep:interpreter", c->interp);
	prop(p, "bindep:rpath", c->rpath);
	prop(p, "bindep:runpath", c->runpath);
	prop(p, "bindep:build-id", c->build_id);
	if (c->has_flags_1)
		prop(p, "bindep:elf:flags-1", hex_text(c->flags_1, buf));
	if (c->dynsym_read)
		prop(p, "bindep:imports-dlopen",
		     c->imports_dlopen ? "true" : "false");
}

/* A Go binary's build information: its toolchain as the binary names it,
 * its main package and the build settings kept (runtime/debug's keys:
 * "bindep:go-build:GOOS"); a Go module's go.sum hash and what replaced
 * what (ident_go.c). CycloneDX has no algorithm for a go.sum hash (a
 * SHA-256 of the module's file list, in base64): a property. */
static void go_properties(const struct props *p, const struct bd_component *c)
{
	struct bd_buf name = BD_BUF_INIT;
	size_t i;

	prop(p, "bindep:go-sum", c->go_sum);
	prop(p, "bindep:go-replaces", c->go_replaces);
	prop(p, "bindep:go-replaced-by", c->go_replaced_by);
	if (!c->go)
		return;
	prop(p, "bindep:go-version", c->go->version);
	prop(p, "bindep:go-path", c->go->path);
	for (i = 0; i < c->go->nsettings; i++) {
		bd_buf_reset(&name);
		bd_buf_printf(&name, "bindep:go-build:%s",
			      c->go->settings[i].key);
		/* Out of memory: the property is left out. */
		if (bd_buf_ok(&name))
			prop(p, name.data, c->go->settings[i].value);
	}
	bd_buf_release(&name);
}

/* A Rust binary's cargo-auditable data: its own crate (root: true, the
 * program's, as bindep:go-path names a Go program's package), each as
 * "name@version", and the list's format (0: cargo metadata's, proc
 * macros listed as runtime; 1: as build; 8: cargo's SBOM precursor). A
 * crate: where it came from and its kind (ident_cargo.c). */
static void cargo_properties(const struct props *p,
			     const struct bd_component *c)
{
	char format[16];
	size_t i;

	prop(p, "bindep:cargo-source", c->cargo_source);
	prop(p, "bindep:cargo-kind", c->cargo_kind);
	if (!c->cargo)
		return;
	for (i = 0; i < c->cargo->npackages; i++) {
		const struct bd_cargo_package *k = &c->cargo->packages[i];
		struct bd_buf root = BD_BUF_INIT;

		if (!k->root)
			continue;
		bd_buf_printf(&root, "%s@%s", k->name, k->version);
		/* Out of memory: the property is left out. */
		if (bd_buf_ok(&root))
			prop(p, "bindep:cargo-root", root.data);
		bd_buf_release(&root);
	}
	snprintf(format, sizeof(format), "%u", (unsigned)c->cargo->format);
	prop(p, "bindep:cargo-format", format);
}

/* "bindep:package-note:" and the note's key, whole, its ':' and '%'
 * percent-encoded: the CycloneDX property taxonomy allows no ':' inside
 * a name's last segment, and a key cut to fit would name another. */
static void note_property_name(struct bd_buf *name, const char *key)
{
	bd_buf_reset(name);
	bd_buf_adds(name, "bindep:package-note:");
	for (; *key; key++) {
		if (*key == ':')
			bd_buf_adds(name, "%3A");
		else if (*key == '%')
			bd_buf_adds(name, "%25");
		else
			bd_buf_addc(name, *key);
	}
}

static void note_properties(const struct props *p, const struct bd_component *c)
{
	struct bd_buf name = BD_BUF_INIT;
	size_t i;

	for (i = 0; i < c->npackage_note; i++) {
		note_property_name(&name, c->package_note[i].key);
		/* Out of memory: the property is left out. */
		if (bd_buf_ok(&name))
			prop(p, name.data, c->package_note[i].value);
	}
	bd_buf_release(&name);
}

void bd_emit_alternatives(const struct bd_dlopen_entry *e, const char *self,
			  char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < e->nsonames; i++) {
		int n;

		if (self && !strcmp(e->sonames[i], self))
			continue;
		n = snprintf(out + len, size - len, "%s%s", len ? "," : "",
			     e->sonames[i]);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_entry(const struct bd_dlopen_entry *a,
		       const struct bd_dlopen_entry *b)
{
	size_t i;

	if (!same_str(a->feature, b->feature) ||
	    !same_str(a->priority, b->priority) ||
	    !same_str(a->description, b->description) ||
	    a->nsonames != b->nsonames)
		return false;
	for (i = 0; i < a->nsonames; i++) {
		if (strcmp(a->sonames[i], b->sonames[i]))
			return false;
	}
	return true;
}

/* Whether an earlier dlopen edge into the same component carries an equal
 * entry (several files often declare the same one). */
static bool seen_entry(const struct bd_graph *g, size_t upto, uint32_t id,
		       const struct bd_dlopen_entry *e)
{
	size_t i;

	for (i = 0; i < upto; i++) {
		if (g->edges[i].to == id &&
		    g->edges[i].kind == BD_EDGE_DLOPEN_NOTE &&
		    same_entry(g->edges[i].dlopen, e))
			return true;
	}
	return false;
}

/* One set of dlopen properties per distinct note entry that points here. */
static void dlopen_properties(const struct props *p, const struct bd_graph *g,
			      uint32_t id)
{
	const struct bd_component *c = &g->comps[id];
	char alts[1024];
	size_t i;

	for (i = 0; i < g->nedges; i++) {
		const struct bd_edge *e = &g->edges[i];

		if (e->to != id || e->kind != BD_EDGE_DLOPEN_NOTE ||
		    seen_entry(g, i, id, e->dlopen))
			continue;
		prop(p, "bindep:dlopen:feature", e->dlopen->feature);
		prop(p, "bindep:dlopen:priority", e->dlopen->priority);
		prop(p, "bindep:dlopen:description", e->dlopen->description);
		bd_emit_alternatives(e->dlopen, c->soname, alts, sizeof(alts));
		if (alts[0])
			prop(p, "bindep:dlopen:alternatives", alts);
	}
}

static void identity_properties(const struct props *p,
				const struct bd_component *c)
{
	size_t i;

	prop(p, "bindep:source-package", c->source_package);
	prop(p, "bindep:source-version", c->source_version);
	prop(p, "bindep:package-note-mismatch", c->note_mismatch);
	prop(p, "bindep:upstream", c->upstream);
	prop(p, "bindep:upstream-purl", c->upstream_purl);
	prop(p, "bindep:upstream-version", c->upstream_version);
	if (c->vendored)
		prop(p, "bindep:vendored", "true");
	if (c->external)
		prop(p, "bindep:external", "true");
	prop(p, "bindep:bundled-in", c->bundled_in);
	prop(p, "bindep:bundled-in-manifest", c->bundle_file);
	prop(p, "bindep:registry-purl", c->registry_purl);
	prop(p, "bindep:registry-package", c->registry_file);
	for (i = 0; i < c->nalternative_purls; i++)
		prop(p, "bindep:alternative-purl", c->alternative_purls[i]);
}

/* What SBOMs shipped in artifacts say of it (issue 16, item 2): where
 * they are, then what they add to or contradict in our facts. */
static void carried_properties(const struct props *p,
			       const struct bd_component *c)
{
	const struct bd_carried_facts *f = c->carried;
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->in.n; i++)
		prop(p, "bindep:embedded-sbom", f->in.items[i]);
	prop(p, "bindep:embedded:supplier", f->supplier);
	for (i = 0; i < f->nprops; i++)
		prop(p, f->props[i].key, f->props[i].value);
}

/* Where its licence was read, the licences its own strings stated when
 * they disagree (ident.c: each beside the AND that is its licence, as a
 * carried SBOM's other licence is), and a licence declared in words. */
static void license_properties(const struct props *p,
			       const struct bd_component *c)
{
	size_t i;

	if (c->license_online)
		prop(p, "bindep:license-source", "ecosyste.ms");
	else
		prop(p, "bindep:license-source", c->license_source);
	for (i = 0; i < c->nlicense_conflicts; i++)
		prop(p, "bindep:conflict:license", c->license_conflicts[i]);
	prop(p, "bindep:license-text", c->license_text);
}

/* What --online added, and where it came from (evidence). */
static void online_properties(const struct props *p,
			      const struct bd_component *c)
{
	size_t i;

	for (i = 0; i < c->funding.n; i++)
		prop(p, "bindep:funding", c->funding.items[i]);
	for (i = 0; i < c->maintainers.n; i++)
		prop(p, "bindep:maintainer", c->maintainers.items[i]);
	for (i = 0; i < c->online_from.n; i++)
		prop(p, "bindep:online-source", c->online_from.items[i]);
	if (c->online_incomplete)
		prop(p, "bindep:online-incomplete", "true");
}

/* Every bindep: property but, unless with_dlopen, those of the dlopen
 * entries into the component (a search over every edge). */
static void component_properties(const struct props *p,
				 const struct bd_graph *g,
				 const unsigned char *flags, uint32_t id,
				 bool with_dlopen)
{
	const struct bd_component *c = &g->comps[id];

	prop(p, "bindep:soname", c->soname);
	if (c->kind == BD_COMP_UNRESOLVED) {
		prop(p, "bindep:resolved", "false");
		prop(p, "bindep:unresolved:reason",
		     c->machine_absent ? BD_EMIT_MACHINE_ABSENT
				       : BD_EMIT_NOT_FOUND);
	}
	/* Issue 14: compiled into the files that point at it; a package
	 * only their build used is not. */
	if (c->kind == BD_COMP_STATIC && !bd_emit_build_only(flags, id))
		prop(p, "bindep:linkage", "static");
	prop(p, "bindep:resolved-via", c->resolved_via);
	prop(p, "bindep:artifact-type", c->artifact_type);
	identity_properties(p, c);
	carried_properties(p, c);
	/* A file of a container image: its layer, as syft and trivy say. */
	prop(p, "bindep:layer-digest", c->layer_digest);
	prop(p, "bindep:layer-diff-id", c->layer_diff_id);
	elf_properties(p, c);
	note_properties(p, c);
	go_properties(p, c);
	cargo_properties(p, c);
	if (with_dlopen && (flags[id] & BD_EMIT_DLOPENED))
		dlopen_properties(p, g, id);
	license_properties(p, c);
	online_properties(p, c);
	prop(p, "bindep:error", c->error);
}

void bd_emit_properties(
	const struct bd_graph *g, const unsigned char *flags, uint32_t id,
	void (*fn)(void *ctx, const char *name, const char *value), void *ctx)
{
	struct props p = { fn, ctx };

	component_properties(&p, g, flags, id, true);
}

void bd_emit_target_properties(const struct bd_emit_options *o,
			       void (*fn)(void *ctx, const char *name,
					  const char *value),
			       void *ctx)
{
	char omitted[32];
	size_t i;

	/* The scope first: what was left out on purpose. */
	for (i = 0; i < o->nexcludes; i++)
		fn(ctx, "bindep:exclude", o->excludes[i]);
	for (i = 0; i < o->nunread; i++)
		fn(ctx, "bindep:unread-path", o->unread[i]);
	if (o->unread_total > o->nunread) {
		snprintf(omitted, sizeof(omitted), "%zu",
			 o->unread_total - o->nunread);
		fn(ctx, "bindep:unread-omitted", omitted);
	}
}

bool bd_emit_target_is_image(const struct bd_emit_options *o)
{
	return o->source_type && !strcmp(o->source_type, "container");
}

bool bd_emit_target_incomplete(const struct bd_emit_options *o)
{
	return o->unread_total > 0;
}

bool bd_emit_target_has_properties(const struct bd_emit_options *o)
{
	return o->nexcludes || bd_emit_target_incomplete(o);
}

/* ---- what the properties say ------------------------------------------ */

struct linkage {
	bool is_static;
};

static void find_linkage(void *ctx, const char *name, const char *value)
{
	struct linkage *l = ctx;

	if (!strcmp(name, "bindep:linkage") && !strcmp(value, "static"))
		l->is_static = true;
}

bool bd_emit_static(const struct bd_graph *g, const unsigned char *flags,
		    uint32_t id)
{
	struct linkage l = { false };
	struct props p = { find_linkage, &l };

	if (flags[id] & BD_EMIT_STATIC)
		return true;
	component_properties(&p, g, flags, id, false);
	return l.is_static;
}

/* ---- SPDX identifiers -------------------------------------------------- */

void bd_emit_id_chars(struct bd_buf *b, const char *s, size_t max)
{
	size_t n = strnlen(s, max), i;

	if (!bd_buf_reserve(b, n))
		return;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		b->data[b->len++] =
			isalnum(ch) || ch == '.' || ch == '-' ? (char)ch : '-';
	}
	b->data[b->len] = '\0';
}

/* What making the SPDX ids needs once, not once per id. */
struct id_maker {
	struct bd_sha256 sha; /* one context for all: each hash is small */
	struct bd_map used;   /* the ids given so far */
	struct bd_buf id;     /* the one being made */
	struct bd_arena *arena;
};

/* "SPDXRef-Package-<the name's id chars, 64 at most>-<16 hex digits of
 * the key's SHA-256>", then "-1", "-2"... until unused: readable, stable
 * and unique. */
static int make_id(struct id_maker *m, const struct bd_component *c,
		   uint32_t id, const char **ids)
{
	char hex[BD_SHA256_HEX_LEN + 1];
	uint32_t n = 0, dummy;
	uint64_t hash = 0;
	size_t base;
	int rc = bd_sha256_begin(&m->sha);

	if (!rc)
		rc = bd_sha256_update(&m->sha, c->key, strlen(c->key));
	if (!rc)
		rc = bd_sha256_end(&m->sha, hex);
	if (rc)
		return rc;
	bd_buf_reset(&m->id);
	bd_buf_adds(&m->id, "SPDXRef-Package-");
	bd_emit_id_chars(&m->id, c->name, 64);
	bd_buf_addc(&m->id, '-');
	bd_buf_add(&m->id, hex, 16);
	base = m->id.len;
	/* Each candidate hashed once, for the lookup and the put. */
	while (bd_buf_ok(&m->id)) {
		hash = bd_map_hash(m->id.data, m->id.len);
		if (!bd_map_geth(&m->used, m->id.data, m->id.len, hash, &dummy))
			break;
		m->id.len = base;
		bd_buf_printf(&m->id, "-%u", ++n);
	}
	ids[id] = bd_buf_ok(&m->id) ? bd_arena_strdup(m->arena, m->id.data)
				    : NULL;
	if (!ids[id])
		return BD_ENOMEM;
	return bd_map_puth(&m->used, ids[id], hash, id);
}

int bd_emit_spdx_ids(const struct bd_graph *g, struct bd_arena *arena,
		     const char **ids)
{
	struct id_maker m = { .arena = arena };
	uint32_t i;
	int rc = bd_sha256_init(&m.sha);

	bd_map_init(&m.used);
	for (i = 0; !rc && i < g->ncomps; i++)
		rc = make_id(&m, &g->comps[i], i, ids);
	bd_map_release(&m.used);
	bd_buf_release(&m.id);
	bd_sha256_release(&m.sha);
	return rc;
}
