/* SPDX-License-Identifier: MIT */
#include "bindep/emit.h"
#include "bindep/hash.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bd_emit_timestamp(time_t t, char out[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(out, "1970-01-01T00:00:00Z");
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
		flags[e->to] |= e->kind == BD_EDGE_DLOPEN_NOTE
					? BD_EMIT_DLOPENED
					: BD_EMIT_NEEDED;
		if (g->comps[e->to].kind == BD_COMP_UNRESOLVED)
			flags[e->from] |= BD_EMIT_NEEDS_UNRESOLVED;
	}
}

bool bd_emit_optional(const unsigned char *flags, uint32_t id)
{
	return (flags[id] & BD_EMIT_DLOPENED) && !(flags[id] & BD_EMIT_NEEDED);
}

bool bd_emit_scanned(const struct bd_graph *g, const unsigned char *flags,
		     uint32_t id)
{
	const struct bd_component *c = &g->comps[id];

	return c->kind != BD_COMP_ARTIFACT &&
	       (c->is_input || (flags[id] & BD_EMIT_CONTAINED));
}

/* ---- which artifact holds what ---------------------------------------- */

int bd_emit_holders_build(struct bd_emit_holders *h, const struct bd_graph *g)
{
	size_t i, k, n = 0;

	h->from = NULL;
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
	return 0;
}

void bd_emit_holders_release(struct bd_emit_holders *h)
{
	free(h->from);
	free(h->first);
	h->from = NULL;
	h->first = NULL;
}

/* "dist/x.whl!/pkg/_x.so" lies inside "dist/x.whl" (issue 12, point 4). */
static bool path_inside(const char *path, const struct bd_component *a)
{
	size_t i, len;

	for (i = 0; i < a->paths.n; i++) {
		len = strlen(a->paths.items[i]);
		if (!strncmp(path, a->paths.items[i], len) &&
		    !strncmp(path + len, "!/", 2))
			return true;
	}
	return false;
}

static bool held_path(const struct bd_graph *g, const struct bd_emit_holders *h,
		      uint32_t id, const char *path)
{
	size_t k;

	for (k = h->first[id]; k < h->first[id + 1]; k++) {
		if (path_inside(path, &g->comps[h->from[k]]))
			return true;
	}
	return false;
}

bool bd_emit_top_level(const struct bd_graph *g, const unsigned char *flags,
		       const struct bd_emit_holders *h, uint32_t id)
{
	const struct bd_component *c = &g->comps[id];
	size_t i;

	if (!c->is_input && c->kind != BD_COMP_ARTIFACT)
		return false;
	if (!(flags[id] & BD_EMIT_CONTAINED))
		return true;
	for (i = 0; i < c->paths.n; i++) {
		if (!held_path(g, h, id, c->paths.items[i]))
			return true;
	}
	return false;
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

static void elf_properties(const struct props *p, const struct bd_component *c)
{
	char buf[32];

	if (!c->has_elf_header)
		return;
	prop(p, "bindep:elf:class", bd_elf_class_name(c->ei_class));
	snprintf(buf, sizeof(buf), "EM_%u", c->e_machine);
	prop(p, "bindep:elf:machine",
	     bd_elf_machine_name(c->e_machine)
		     ? bd_elf_machine_name(c->e_machine)
		     : buf);
	prop(p, "bindep:elf:byte-order",
	     c->ei_data == 2 ? "big-endian" : "little-endian");
	prop(p, "bindep:interpreter", c->interp);
	prop(p, "bindep:rpath", c->rpath);
	prop(p, "bindep:runpath", c->runpath);
	prop(p, "bindep:build-id", c->build_id);
	if (c->has_flags_1) {
		snprintf(buf, sizeof(buf), "0x%llx",
			 (unsigned long long)c->flags_1);
		prop(p, "bindep:elf:flags-1", buf);
	}
	if (c->dynsym_read)
		prop(p, "bindep:imports-dlopen",
		     c->imports_dlopen ? "true" : "false");
}

static void note_properties(const struct props *p, const struct bd_component *c)
{
	char name[128];
	size_t i;

	for (i = 0; i < c->npackage_note; i++) {
		snprintf(name, sizeof(name), "bindep:package-note:%s",
			 c->package_note[i].key);
		prop(p, name, c->package_note[i].value);
	}
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
	prop(p, "bindep:bundled-in", c->bundled_in);
	prop(p, "bindep:bundled-in-manifest", c->bundle_file);
	prop(p, "bindep:registry-purl", c->registry_purl);
	prop(p, "bindep:registry-package", c->registry_file);
	for (i = 0; i < c->nalternative_purls; i++)
		prop(p, "bindep:alternative-purl", c->alternative_purls[i]);
}

/* What --online added, and where it came from (evidence). */
static void online_properties(const struct props *p,
			      const struct bd_component *c)
{
	size_t i;

	if (c->license_online)
		prop(p, "bindep:license-source", "ecosyste.ms");
	prop(p, "bindep:license-text", c->license_text);
	for (i = 0; i < c->funding.n; i++)
		prop(p, "bindep:funding", c->funding.items[i]);
	for (i = 0; i < c->maintainers.n; i++)
		prop(p, "bindep:maintainer", c->maintainers.items[i]);
	for (i = 0; i < c->online_from.n; i++)
		prop(p, "bindep:online-source", c->online_from.items[i]);
	if (c->online_incomplete)
		prop(p, "bindep:online-incomplete", "true");
}

void bd_emit_properties(
	const struct bd_graph *g, const unsigned char *flags, uint32_t id,
	void (*fn)(void *ctx, const char *name, const char *value), void *ctx)
{
	const struct bd_component *c = &g->comps[id];
	struct props p = { fn, ctx };

	prop(&p, "bindep:soname", c->soname);
	if (c->kind == BD_COMP_UNRESOLVED)
		prop(&p, "bindep:resolved", "false");
	/* Issue 14: compiled into the files that point at it. */
	if (c->kind == BD_COMP_STATIC)
		prop(&p, "bindep:linkage", "static");
	prop(&p, "bindep:resolved-via", c->resolved_via);
	prop(&p, "bindep:artifact-type", c->artifact_type);
	identity_properties(&p, c);
	/* A file of a container image: its layer, as syft and trivy say. */
	prop(&p, "bindep:layer-digest", c->layer_digest);
	prop(&p, "bindep:layer-diff-id", c->layer_diff_id);
	elf_properties(&p, c);
	note_properties(&p, c);
	if (flags[id] & BD_EMIT_DLOPENED)
		dlopen_properties(&p, g, id);
	online_properties(&p, c);
	prop(&p, "bindep:error", c->error);
}
