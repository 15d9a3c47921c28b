/* SPDX-License-Identifier: MIT */
/*
 * The crates a Rust binary's cargo-auditable dependency list names (scan.h,
 * struct bd_cargo_info) as components: one BD_COMP_STATIC per crate,
 * source and kind, and from each file that lists it a BD_EDGE_STATIC
 * (kind "runtime": compiled in) or a BD_EDGE_BUILD (kind "build": a build
 * script's or procedural macro's crate, run by the build and not in the
 * file). syft and trivy drop the build kind; it is kept here, marked,
 * because what a build script builds is in the file: openssl-src's
 * version names the OpenSSL that openssl-sys compiles in, and a
 * reviewer needs it, while saying that the crate itself is linked would
 * be false.
 */
#include "bindep/buf.h"
#include "bindep/ident.h"
#include "bindep/purl.h"

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
 * "cargo-build:" for the build kind (a component each: what each says of
 * the file differs), each field escaped (bd_ident_key_field). */
static const char *crate_key(struct bd_graph *g,
			     const struct bd_cargo_package *p)
{
	struct bd_buf key = BD_BUF_INIT;
	const char *out;

	bd_buf_adds(&key, p->build ? "cargo-build:" : "cargo:");
	bd_ident_key_field(&key, p->name);
	bd_buf_addc(&key, '@');
	bd_ident_key_field(&key, p->version);
	bd_buf_addc(&key, '#');
	bd_ident_key_field(&key, p->source);
	out = bd_buf_ok(&key) ? bd_graph_strdup(g, key.data) : NULL;
	bd_buf_release(&key);
	return out;
}

/* A new component of the crate: what the list says of it. */
static int new_crate(struct bd_graph *g, const char *key,
		     const struct bd_cargo_package *p, uint32_t *id)
{
	struct bd_component *c;
	const char *method = bd_arena_printf(
		&g->arena, "cargo-auditable dependency list: %s %s from %s%s",
		p->name, p->version, p->source,
		p->build ? ", a build dependency" : "");
	int rc = method ? bd_graph_add(g, key, BD_COMP_STATIC, id) : BD_ENOMEM;

	if (rc)
		return rc;
	c = bd_graph_comp(g, *id);
	c->name = bd_graph_strdup(g, p->name);
	c->version = bd_graph_strdup(g, p->version);
	c->cargo_source = bd_graph_strdup(g, p->source);
	c->cargo_kind = p->build ? "build" : "runtime";
	if (!c->name || !c->version || !c->cargo_source ||
	    crate_purl(g, p, &c->purl))
		return BD_ENOMEM;
	bd_ident_manifest_identities(c, method);
	return 0;
}

/* The crate's component, one per key, and the file's edge to it:
 * appended, the list's duplicates left to bd_graph_sort (a file may list
 * 4,096 crates: looking back over its edges for each was quadratic). */
static int add_crate(struct bd_graph *g, uint32_t file,
		     const struct bd_cargo_package *p)
{
	const char *key = crate_key(g, p);
	uint32_t id;
	int rc;

	if (!key)
		return BD_ENOMEM;
	if (!bd_graph_find(g, key, &id)) {
		rc = new_crate(g, key, p, &id);
		if (rc)
			return rc;
	}
	return bd_graph_append_edge(g, file, id,
				    p->build ? BD_EDGE_BUILD : BD_EDGE_STATIC);
}

int bd_ident_cargo_crates(struct bd_graph *g, size_t ncomps)
{
	size_t i, k;
	int rc = 0;

	for (i = 0; i < ncomps && !rc; i++) {
		const struct bd_cargo_info *cargo = g->comps[i].cargo;

		for (k = 0; cargo && k < cargo->npackages && !rc; k++)
			rc = add_crate(g, (uint32_t)i, &cargo->packages[k]);
	}
	return rc;
}
