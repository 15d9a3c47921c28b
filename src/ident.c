/* SPDX-License-Identifier: MIT */
#include "bindep/ident.h"
#include "bindep/pkgdb.h"
#include "bindep/purl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *note_field(const struct bd_kv *f, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(f[i].key, key))
			return f[i].value;
	}
	return NULL;
}

/* Note types that are purl types with the distribution as namespace. */
static bool distro_type(const char *type)
{
	return !strcmp(type, "deb") || !strcmp(type, "rpm") ||
	       !strcmp(type, "apk") || !strcmp(type, "alpm");
}

int bd_ident_purl_from_note(const struct bd_kv *fields, size_t n,
			    struct bd_buf *out)
{
	const char *type = note_field(fields, n, "type");
	const char *os = note_field(fields, n, "os");
	const char *os_version = note_field(fields, n, "osVersion");
	char distro[128] = "";
	struct bd_kv q[2];
	struct bd_purl p = { 0 };
	size_t nq = 0;

	p.name = note_field(fields, n, "name");
	p.version = note_field(fields, n, "version");
	if (!p.name || !*p.name)
		return BD_ENOENT;
	if (type && os && *os && distro_type(type)) {
		p.type = type;
		p.namespace = os; /* lowercased by the deb/rpm/apk rules */
		q[nq].key = "arch";
		q[nq++].value = note_field(fields, n, "architecture");
		if (os_version && *os_version) {
			size_t i;

			snprintf(distro, sizeof(distro), "%s-%s", os,
				 os_version);
			for (i = 0; distro[i]; i++)
				distro[i] =
					(char)tolower((unsigned char)distro[i]);
			q[nq].key = "distro";
			q[nq++].value = distro;
		}
	} else {
		p.type = "generic";
	}
	p.qualifiers = q;
	p.nqualifiers = nq;
	return bd_purl_format(&p, out, NULL) == BD_ENOMEM ? BD_ENOMEM : 0;
}

/* The purl of an installed package: pkg:<deb|apk>/<os>/<name>@<version>
 * ?arch=..&distro=<os>-<version_id> (purl-spec's deb and apk types; a
 * Debian epoch stays in the version). */
static int purl_of_package(const struct bd_pkgdb *db,
			   const struct bd_package *p, struct bd_buf *out)
{
	struct bd_purl u = { 0 };
	struct bd_kv q[2];
	char distro[128];
	size_t nq = 0;

	u.type = p->type;
	u.namespace = db->os_id			? db->os_id
		      : !strcmp(p->type, "apk") ? "alpine"
						: "debian";
	u.name = p->name;
	u.version = p->version;
	q[nq].key = "arch";
	q[nq++].value = p->arch;
	if (db->os_id && db->os_version_id) {
		snprintf(distro, sizeof(distro), "%s-%s", db->os_id,
			 db->os_version_id);
		q[nq].key = "distro";
		q[nq++].value = distro;
	}
	u.qualifiers = q;
	u.nqualifiers = nq;
	return bd_purl_format(&u, out, NULL);
}

/* A package note that names another source package or version than the
 * database is worth keeping: the binary was rebuilt or replaced. */
static const char *note_mismatch(struct bd_graph *g,
				 const struct bd_component *c,
				 const struct bd_package *p)
{
	const char *name =
		note_field(c->package_note, c->npackage_note, "name");
	const char *version =
		note_field(c->package_note, c->npackage_note, "version");
	const char *src = p->source ? p->source : p->name;
	const char *srcv = p->source_version ? p->source_version : p->version;

	if (!name ||
	    (!strcmp(name, src) && (!version || !strcmp(version, srcv))))
		return NULL;
	return bd_arena_printf(&g->arena,
			       "package note names %s %s, the database %s %s",
			       name, version ? version : "", src, srcv);
}

static int from_database(struct bd_graph *g, struct bd_component *c,
			 const struct bd_pkgdb *db, const struct bd_package *p)
{
	struct bd_buf b = BD_BUF_INIT;
	int rc = purl_of_package(db, p, &b);

	if (!rc) {
		c->purl = bd_graph_strdup(g, b.data);
		c->version = bd_graph_strdup(g, p->version);
		c->source_package =
			bd_graph_strdup(g, p->source ? p->source : p->name);
		c->source_version = bd_graph_strdup(
			g, p->source_version ? p->source_version : p->version);
		c->id_technique = "manifest-analysis";
		c->id_source = bd_arena_printf(
			&g->arena, "%s:%s",
			!strcmp(p->type, "apk") ? "apk" : "dpkg", p->db);
		c->id_confidence = 1.0;
		if (c->npackage_note)
			c->note_mismatch = note_mismatch(g, c, p);
		if (!c->purl || !c->id_source)
			rc = BD_ENOMEM;
	}
	bd_buf_release(&b);
	return rc == BD_EFORMAT ? 0 : rc;
}

static int from_note(struct bd_graph *g, struct bd_component *c)
{
	struct bd_buf b = BD_BUF_INIT;
	int rc;

	rc = bd_ident_purl_from_note(c->package_note, c->npackage_note, &b);
	if (rc == 0 && b.len) {
		c->purl = bd_graph_strdup(g, bd_buf_str(&b));
		c->version = bd_graph_strdup(g, note_field(c->package_note,
							   c->npackage_note,
							   "version"));
		c->id_technique = "binary-analysis";
		c->id_source = ".note.package";
		c->id_confidence = 0.9; /* what the file says of itself */
		if (!c->purl)
			rc = BD_ENOMEM;
	}
	bd_buf_release(&b);
	return rc == BD_ENOENT ? 0 : rc;
}

int bd_identify(struct bd_graph *g, const struct bd_root *root,
		const struct bd_diag *diag, struct bd_error *err)
{
	struct bd_pkgdb db;
	size_t i;
	int rc;

	bd_pkgdb_init(&db);
	rc = bd_pkgdb_load(&db, root, diag, err);
	for (i = 0; !rc && i < g->ncomps; i++) {
		struct bd_component *c = &g->comps[i];
		const struct bd_package *p = bd_pkgdb_owner(&db, c->inside);

		if (p)
			rc = from_database(g, c, &db, p);
		else if (c->npackage_note)
			rc = from_note(g, c);
	}
	bd_pkgdb_release(&db);
	return rc ? bd_error_set(err, BD_ENOMEM, "out of memory") : 0;
}
