/* SPDX-License-Identifier: MIT */
/*
 * The crates a Rust binary's cargo-auditable dependency list names (scan.h,
 * struct bd_cargo_info) as components: one BD_COMP_STATIC per crate and
 * source, and from each file that lists it a BD_EDGE_STATIC (kind
 * "runtime": compiled in) or a BD_EDGE_BUILD (kind "build": a build
 * script's or procedural macro's crate, run by the build and not in the
 * file). syft and trivy drop the build kind; it is kept here, marked,
 * because what a build script builds is in the file: openssl-src's
 * version names the OpenSSL that openssl-sys compiles in, and a
 * reviewer needs it, while saying that the crate itself is linked would
 * be false. The list's dependency indices are BD_EDGE_DEPENDS between
 * the crates, the crate graph syft and trivy give too.
 */
#include "bindep/buf.h"
#include "bindep/ident.h"
#include "bindep/purl.h"

#include <stdlib.h>
#include <string.h>

/*
 * pkg:cargo/<name>@<version> (purl-spec types/cargo-definition.json: no
 * namespace, the name's case kept, crates.io the default repository),
 * whatever the crate's source, as syft's and trivy's Rust binary
 * catalogers name every crate of the list: cargo-auditable keeps no URL
 * of a git repository or another registry for a repository_url
 * qualifier, and a crate from git, a path or another registry is most
 * often crates.io's crate of that name, or a fork or vendored copy of
 * it, whose advisories (RustSec and OSV name crates.io's crates) a
 * scanner should still match. bindep:cargo-source says where it came
 * from, so that a reviewer can tell a release from a checkout. None for
 * what the builder refuses. BD_ENOMEM, else 0.
 */
static int crate_purl(struct bd_graph *g, const struct bd_cargo_package *p,
		      const char **purl)
{
	struct bd_purl u = {
		"cargo", NULL, p->name, p->version, NULL, 0, NULL
	};
	struct bd_buf out = BD_BUF_INIT;
	int rc = bd_purl_format(&u, &out, NULL);

	*purl = NULL;
	if (!rc) {
		*purl = bd_graph_strdup(g, bd_buf_str(&out));
		rc = *purl ? 0 : BD_ENOMEM;
	}
	bd_buf_release(&out);
	return rc == BD_ENOMEM ? rc : 0;
}

/* The key: the crate as the list names it, "cargo:name@version#source",
 * each field escaped (bd_ident_key_field). Whatever its kind: one crate
 * is one component, one purl, whether a file compiled it in or another's
 * build only ran it (a crate of both kinds in one list is a hostile
 * list's). */
static const char *crate_key(struct bd_graph *g,
			     const struct bd_cargo_package *p)
{
	struct bd_buf key = BD_BUF_INIT;
	const char *out;

	bd_buf_adds(&key, "cargo:");
	bd_ident_key_field(&key, p->name);
	bd_buf_addc(&key, '@');
	bd_ident_key_field(&key, p->version);
	bd_buf_addc(&key, '#');
	bd_ident_key_field(&key, p->source);
	out = bd_buf_ok(&key) ? bd_graph_strdup(g, key.data) : NULL;
	bd_buf_release(&key);
	return out;
}

/* A new component of the crate: what the list says of it; its identity
 * waits for its kind, which a later list may change (crate_identities). */
static int new_crate(struct bd_graph *g, const char *key,
		     const struct bd_cargo_package *p, uint32_t *id)
{
	struct bd_component *c;
	int rc = bd_graph_add(g, key, BD_COMP_STATIC, id);

	if (rc)
		return rc;
	c = bd_graph_comp(g, *id);
	c->name = bd_graph_strdup(g, p->name);
	c->version = bd_graph_strdup(g, p->version);
	c->cargo_source = bd_graph_strdup(g, p->source);
	c->cargo_kind = "build";
	if (!c->name || !c->version || !c->cargo_source ||
	    crate_purl(g, p, &c->purl))
		return BD_ENOMEM;
	return 0;
}

/* The crate's component, one per key: a crate any list names as runtime
 * is runtime, whatever the order of the files and lists. */
static int crate_of(struct bd_graph *g, const struct bd_cargo_package *p,
		    uint32_t *id)
{
	const char *key = crate_key(g, p);
	int rc = 0;

	if (!key)
		return BD_ENOMEM;
	if (!bd_graph_find(g, key, id))
		rc = new_crate(g, key, p, id);
	if (!rc && !p->build)
		bd_graph_comp(g, *id)->cargo_kind = "runtime";
	return rc;
}

/* A crate of the file: its component, and whether the list names it as
 * runtime there (a hostile list may name it as both). */
struct listed {
	uint32_t id;
	bool build;
};

static int cmp_listed(const void *pa, const void *pb)
{
	const struct listed *a = pa, *b = pb;

	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return (int)a->build - (int)b->build;
}

/* The file's edge to each crate of its list, once: BD_EDGE_STATIC when
 * any of its listings is runtime (it is compiled in), else BD_EDGE_BUILD.
 * Appended, as a file may list 4,096 crates: looking back over its
 * edges for each was quadratic. */
static int file_edges(struct bd_graph *g, uint32_t file, struct listed *l,
		      size_t n)
{
	size_t k;
	int rc = 0;

	qsort(l, n, sizeof(*l), cmp_listed);
	for (k = 0; k < n && !rc; k++) {
		if (k && l[k].id == l[k - 1].id)
			continue; /* runtime sorts first */
		rc = bd_graph_append_edge(g, file, l[k].id,
					  l[k].build ? BD_EDGE_BUILD
						     : BD_EDGE_STATIC);
	}
	return rc;
}

/* Each crate's dependencies, as the list's indices give them (checked by
 * bd_cargoaudit_parse: in range, not its own, once), appended: lists of
 * several files name the same ones, which bd_graph_sort makes one. Two
 * listings of one crate joined are no dependency. */
static int crate_edges(struct bd_graph *g, const struct bd_cargo_info *cargo,
		       const uint32_t *ids)
{
	size_t k, d;
	int rc = 0;

	for (k = 0; k < cargo->npackages && !rc; k++) {
		const struct bd_cargo_package *p = &cargo->packages[k];

		for (d = 0; d < p->ndeps && !rc; d++) {
			uint32_t to = ids[p->deps[d]];

			if (to != ids[k])
				rc = bd_graph_append_edge(g, ids[k], to,
							  BD_EDGE_DEPENDS);
		}
	}
	return rc;
}

/* The crates of the file's list, its edges to them and theirs to one
 * another. */
static int file_crates(struct bd_graph *g, uint32_t file,
		       const struct bd_cargo_info *cargo)
{
	size_t n = cargo->npackages, k;
	uint32_t *ids = malloc((n + 1) * sizeof(*ids));
	struct listed *l = malloc((n + 1) * sizeof(*l));
	int rc = ids && l ? 0 : BD_ENOMEM;

	for (k = 0; k < n && !rc; k++) {
		rc = crate_of(g, &cargo->packages[k], &ids[k]);
		l[k].id = ids[k];
		l[k].build = cargo->packages[k].build;
		/* one list's cut is enough: the union of the lists' edges is
		 * not known to be all */
		if (!rc && cargo->packages[k].deps_cut)
			bd_graph_comp(g, ids[k])->cargo_deps_cut = true;
	}
	if (!rc)
		rc = crate_edges(g, cargo, ids);
	if (!rc)
		rc = file_edges(g, file, l, n);
	free(ids);
	free(l);
	return rc;
}

/* Each crate's evidence, once its kind is known: the list's words for
 * it. */
static int crate_identities(struct bd_graph *g, size_t first)
{
	size_t i;

	for (i = first; i < g->ncomps; i++) {
		struct bd_component *c = &g->comps[i];
		bool build = !strcmp(c->cargo_kind, "build");
		const char *method = bd_arena_printf(
			&g->arena,
			"cargo-auditable dependency list: %s %s from %s%s",
			c->name, c->version, c->cargo_source,
			build ? ", a build dependency" : "");

		if (!method)
			return BD_ENOMEM;
		bd_ident_manifest_identities(c, method);
	}
	return 0;
}

int bd_ident_cargo_crates(struct bd_graph *g, size_t ncomps)
{
	size_t i, first = g->ncomps;
	int rc = 0;

	for (i = 0; i < ncomps && !rc; i++) {
		if (g->comps[i].cargo)
			rc = file_crates(g, (uint32_t)i, g->comps[i].cargo);
	}
	return rc ? rc : crate_identities(g, first);
}
