/* SPDX-License-Identifier: MIT */
#include "bindep/ident.h"
#include "bindep/bundle.h"
#include "bindep/mapping.h"
#include "bindep/pkgdb.h"
#include "bindep/purl.h"
#include "bindep/registry.h"

#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/* What identification reads before it starts: the root's package
 * databases and the mapping registry, loaded once, on a thread of their
 * own while the scan runs (issue 13: dpkg's alone costs 0.4 to 1 s). */
struct bd_ident_load {
	const struct bd_root *root;
	const struct bd_ident_options *opts;
	struct bd_pkgdb db;
	struct bd_mappings maps;
	/* The load's warnings, said when it is joined: a level byte, the
	 * text and its NUL each (as collect.c keeps its workers'). */
	struct bd_buf msgs;
	int rc;
	pthread_t thread;
	bool threaded; /* a thread runs the load (else bd_identify does) */
	bool done;     /* loaded, and joined */
};

/* The stage's state. */
struct ident {
	struct bd_graph *g;
	const struct bd_pkgdb *db;
	const struct bd_mappings *maps;
	const struct bd_root *root;
	const struct bd_diag *diag;
	struct bd_bundle_search bundles;
	const char *registry_dir;
	/* purl-registry packages read so far, by ref; NULL: none there. */
	struct bd_map registry_seen;
	struct bd_registry_package **registry;
	size_t nregistry, aregistry;
};

static void add_identity(struct bd_component *c, const char *field,
			 const char *value, const char *technique,
			 const char *method, double confidence)
{
	if (c->nids < BD_MAX_IDENTITY && value)
		c->ids[c->nids++] =
			(struct bd_identity){ field, value, technique, method,
					      confidence };
}

/* The purl of an installed package: pkg:<deb|apk|rpm>/<os>/<name>@<version>
 * ?arch=..&distro=<os>-<version_id>[&epoch=N] (purl-spec's deb, apk and
 * rpm types; a Debian epoch stays in the version). */
static int purl_of_package(const struct bd_pkgdb *db,
			   const struct bd_package *p, struct bd_buf *out)
{
	struct bd_purl u = { 0 };
	struct bd_kv q[3];
	char distro[128];
	size_t nq = 0;

	u.type = p->type;
	u.namespace = db->os_id			? db->os_id
		      : !strcmp(p->type, "apk") ? "alpine"
		      : !strcmp(p->type, "rpm") ? "fedora"
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
	/* purl-spec's rpm type: the epoch is a qualifier. */
	q[nq].key = "epoch";
	q[nq++].value = p->epoch;
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

static const char *db_kind(const struct bd_package *p)
{
	return !strcmp(p->type, "apk")	 ? "apk"
	       : !strcmp(p->type, "rpm") ? "rpm"
					 : "dpkg";
}

static int from_database(struct ident *s, struct bd_component *c,
			 const struct bd_package *p)
{
	struct bd_graph *g = s->g;
	struct bd_buf b = BD_BUF_INIT;
	const char *method;
	int rc = purl_of_package(s->db, p, &b);

	if (rc)
		goto out;
	c->purl = bd_graph_strdup(g, b.data);
	c->version = bd_graph_strdup(g, p->version);
	c->source_package = bd_graph_strdup(g, p->source ? p->source : p->name);
	c->source_version = bd_graph_strdup(
		g, p->source_version ? p->source_version : p->version);
	method = bd_arena_printf(&g->arena, "%s:%s", db_kind(p), p->db);
	add_identity(c, "version", c->version, "manifest-analysis", method,
		     1.0);
	add_identity(c, "purl", c->purl, "manifest-analysis", method, 1.0);
	if (c->npackage_note)
		c->note_mismatch = note_mismatch(g, c, p);
	if (!c->purl || !method || !c->version || !c->source_package ||
	    !c->source_version)
		rc = BD_ENOMEM;
out:
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
		/* What the file says of itself. */
		add_identity(c, "version", c->version, "binary-analysis",
			     ".note.package", 0.9);
		add_identity(c, "purl", c->purl, "binary-analysis",
			     ".note.package", 0.9);
		if (!c->purl)
			rc = BD_ENOMEM;
	}
	bd_buf_release(&b);
	return rc == BD_ENOENT ? 0 : rc;
}

/* ---- the mapping registry ----------------------------------------------- */

void bd_ident_cpe(const char *prefix, const char *version, struct bd_buf *out)
{
	const char *v;

	bd_buf_printf(out, "%s:", prefix);
	if (!version || !*version)
		bd_buf_addc(out, '*');
	for (v = version; v && *v; v++) {
		/* CPE 2.3 formatted string: quote what is not a word. */
		if (!isalnum((unsigned char)*v) && *v != '_' && *v != '-' &&
		    *v != '.')
			bd_buf_addc(out, '\\');
		bd_buf_addc(out, *v);
	}
	bd_buf_adds(out, ":*:*:*:*:*:*:*");
}

/* The file's own name: the canonical path's, else the first path's. */
/* Where an entry is, as evidence names it: "mappings/zlib.yml:6", or the
 * file alone when its line is not known. Never a machine path. */
static const char *registry_place(struct bd_arena *a,
				  const struct bd_mapping *e)
{
	return e->line ? bd_arena_printf(a, "%s:%u", e->shown, e->line)
		       : e->shown;
}

static const char *file_name(const struct bd_component *c)
{
	const char *path = c->inside	? c->inside
			   : c->paths.n ? c->paths.items[0]
					: NULL;
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

/* Into *out, in the graph's arena: the mapping's purl with the version
 * read, in canonical form. A version no purl can hold (not UTF-8) leaves
 * no purl, as a package's does (from_database). */
static int versioned_purl(struct bd_graph *g, const char *purl,
			  const char *version, const char **out)
{
	struct bd_buf b = BD_BUF_INIT;
	int rc = bd_purl_with_version(purl, version, &b, NULL);

	*out = NULL;
	if (!rc && !(*out = bd_graph_strdup(g, b.data)))
		rc = BD_ENOMEM;
	bd_buf_release(&b);
	return rc == BD_ENOMEM ? rc : 0;
}

/* The version of a library no package owns, read by the entry's rules. */
static int read_version(struct ident *s, struct bd_component *c,
			const struct bd_mapping *e)
{
	struct bd_buf name = BD_BUF_INIT, v = BD_BUF_INIT;
	const char *kind, *pattern;
	unsigned rule;
	int rc = 0;

	bd_mapping_strip_hash(file_name(c) ? file_name(c) : "", &name);
	if (bd_mapping_read_version(e, name.data, c->soname, s->root,
				    c->error ? NULL : c->host, &v, &rule)) {
		kind = bd_version_rule_kind(&e->version[rule], &pattern);
		c->upstream_version = bd_graph_strdup(s->g, v.data);
		add_identity(c, "version", c->upstream_version,
			     !strcmp(kind, "filename") ? "filename"
						       : "binary-analysis",
			     bd_arena_printf(&s->g->arena, "%s: %s: %s \"%s\"",
					     registry_place(&s->g->arena, e),
					     e->name, kind, pattern),
			     !strcmp(kind, "filename") ? 0.6 : 0.8);
		if (!c->upstream_version)
			rc = BD_ENOMEM;
	}
	if (!bd_buf_ok(&name) || !bd_buf_ok(&v))
		rc = BD_ENOMEM;
	bd_buf_release(&name);
	bd_buf_release(&v);
	return rc;
}

/* The upstream's version: the package's upstream part when a package
 * (database or note) is known, else what the rules read from the file. */
static int upstream_version(struct ident *s, struct bd_component *c,
			    const struct bd_mapping *e)
{
	const char *known = c->source_version ? c->source_version : c->version;
	struct bd_buf b = BD_BUF_INIT;

	if (!c->purl)
		return read_version(s, c, e);
	if (!known)
		return 0;
	bd_upstream_version(known, &b);
	c->upstream_version = b.len ? bd_graph_strdup(s->g, b.data) : NULL;
	bd_buf_release(&b);
	return b.len && !c->upstream_version ? BD_ENOMEM : 0;
}

/* ---- the purl registry ------------------------------------------------- */

/*
 * The registry's alternative purls in canonical form: they are written as
 * they come ("pkg:github/Kitware/CMake" is pkg:github/kitware/cmake to
 * every consumer). One that does not parse is left out, and said.
 */
static int canonical_alternatives(struct ident *s,
				  struct bd_registry_package *p)
{
	unsigned i, n = 0;
	int rc = 0;

	for (i = 0; i < p->alternative_purls_count; i++) {
		struct bd_buf b = BD_BUF_INIT;
		struct bd_error err;
		char *purl = p->alternative_purls[i];

		rc = bd_purl_canonical(purl, BD_PURL_LENIENT, &b, &err);
		if (rc && rc != BD_ENOMEM)
			bd_diag_report(s->diag, BD_DIAG_WARNING,
				       "'%s': alternative purl '%s': %s, "
				       "leaving it out",
				       p->path, purl, err.msg);
		/* libcyaml's strings are malloc'd (bd_yaml_config). */
		free(purl);
		p->alternative_purls[i] = NULL;
		if (!rc)
			p->alternative_purls[n++] = bd_buf_detach(&b, NULL);
		bd_buf_release(&b);
		if (rc == BD_ENOMEM || (!rc && !p->alternative_purls[n - 1]))
			return BD_ENOMEM;
	}
	p->alternative_purls_count = n;
	return 0;
}

/* The registry's package for a ref, read once; NULL when it has none (said
 * once, as a warning). */
static const struct bd_registry_package *
registry_package(struct ident *s, const char *ref, int *rc)
{
	struct bd_registry_package *p = NULL;
	struct bd_error err;
	uint32_t index;
	int lrc;

	*rc = 0;
	if (bd_map_get(&s->registry_seen, ref, &index))
		return index == UINT32_MAX ? NULL : s->registry[index];
	lrc = bd_registry_package_load(s->registry_dir, ref, &p, &err);
	if (lrc == BD_ENOMEM ||
	    BD_GROW(s->registry, s->aregistry, s->nregistry + 1)) {
		bd_registry_package_free(p);
		*rc = BD_ENOMEM;
		return NULL;
	}
	if (lrc)
		bd_diag_report(s->diag, BD_DIAG_WARNING, "%s", err.msg);
	if (p && canonical_alternatives(s, p)) {
		bd_registry_package_free(p);
		*rc = BD_ENOMEM;
		return NULL;
	}
	index = p ? (uint32_t)s->nregistry : UINT32_MAX;
	if (p)
		s->registry[s->nregistry++] = p;
	ref = bd_arena_strdup(&s->g->arena, ref);
	if (!ref || bd_map_put(&s->registry_seen, ref, index))
		*rc = BD_ENOMEM;
	return p;
}

/* The registry's own purl for a ref "<namespace>/<name>" (registry.c
 * checked its shape): pkg:purl/<namespace>/<name>@<version>. */
static int registry_purl(struct bd_graph *g, const char *ref,
			 const char *version, const char **out)
{
	const char *slash = strchr(ref, '/');
	struct bd_buf b = BD_BUF_INIT;
	char *ns;
	int rc;

	*out = NULL;
	if (!slash)
		return 0;
	ns = bd_arena_strdup(&g->arena, ref);
	if (!ns)
		return BD_ENOMEM;
	ns[slash - ref] = '\0';
	rc = bd_purl_format(&(struct bd_purl){ "purl", ns, slash + 1, version,
					       NULL, 0, NULL },
			    &b, NULL);
	if (!rc && !(*out = bd_graph_strdup(g, b.data)))
		rc = BD_ENOMEM;
	bd_buf_release(&b);
	return rc == BD_ENOMEM ? rc : 0;
}

/* What a purl-registry package adds: its links and licence where the
 * mapping has none, its own purl and the alternative purls. */
static int from_registry(struct ident *s, struct bd_component *c,
			 const struct bd_mapping *e)
{
	struct bd_graph *g = s->g;
	const struct bd_registry_package *p;
	unsigned i;
	int rc;

	p = registry_package(s, e->registry, &rc);
	if (!p)
		return rc;
	if (!c->homepage)
		c->homepage = bd_graph_strdup(g, p->homepage_url);
	if (!c->repository)
		c->repository = bd_graph_strdup(g, p->vcs_url);
	if (!c->license)
		c->license = bd_graph_strdup(g, p->license);
	c->registry_file = bd_graph_strdup(g, p->path);
	c->alternative_purls = bd_arena_alloc(
		&g->arena, (p->alternative_purls_count + 1) * sizeof(char *));
	if (!c->registry_file || !c->alternative_purls)
		return BD_ENOMEM;
	rc = registry_purl(g, e->registry, c->upstream_version,
			   &c->registry_purl);
	for (i = 0; !rc && i < p->alternative_purls_count; i++) {
		c->alternative_purls[i] =
			bd_graph_strdup(g, p->alternative_purls[i]);
		if (!c->alternative_purls[i])
			return BD_ENOMEM;
	}
	c->nalternative_purls = p->alternative_purls_count;
	return rc;
}

static int from_mapping(struct ident *s, struct bd_component *c,
			const struct bd_mapping *e)
{
	struct bd_graph *g = s->g;
	struct bd_buf cpe = BD_BUF_INIT;
	bool identified = c->purl != NULL;
	int rc = upstream_version(s, c, e);

	if (rc)
		return rc;
	c->upstream = bd_graph_strdup(g, e->name);
	rc = versioned_purl(g, e->purl, c->upstream_version, &c->upstream_purl);
	if (rc)
		return rc;
	c->repository = bd_graph_strdup(g, e->repository);
	c->homepage = bd_graph_strdup(g, e->homepage);
	c->license = bd_graph_strdup(g, e->license);
	if (e->cpe) {
		bd_ident_cpe(e->cpe, c->upstream_version, &cpe);
		c->cpe = bd_buf_ok(&cpe) ? bd_graph_strdup(g, cpe.data) : NULL;
	}
	if (!identified) {
		/* Named by the registry alone: the upstream is the purl. */
		c->purl = c->upstream_purl;
		c->version = c->upstream_version;
		add_identity(c, "purl", c->purl, "filename",
			     bd_arena_printf(&g->arena, "%s: %s: files",
					     registry_place(&g->arena, e),
					     e->name),
			     c->version ? 0.7 : 0.5);
	}
	bd_buf_release(&cpe);
	if (!c->upstream || (e->cpe && !c->cpe))
		return BD_ENOMEM;
	return e->registry && s->registry_dir ? from_registry(s, c, e) : 0;
}

/* ---- bundled copies ---------------------------------------------------- */

static int find_bundle(struct ident *s, struct bd_component *c)
{
	struct bd_buf purl = BD_BUF_INIT, manifest = BD_BUF_INIT;
	int rc = bd_bundle_find(&s->bundles, c->host, &purl, &manifest);

	if (!rc) {
		c->bundled_in = bd_graph_strdup(s->g, purl.data);
		c->bundle_file = bd_graph_strdup(s->g, manifest.data);
		if (!c->bundled_in || !c->bundle_file)
			rc = BD_ENOMEM;
	}
	bd_buf_release(&purl);
	bd_buf_release(&manifest);
	return rc == BD_ENOMEM ? rc : 0;
}

/* ---- the stage ---------------------------------------------------------- */

/* The name is the soname, else the file name, else (nothing provides
 * it) the DT_NEEDED entry that asks for it: say which. */
static void name_identity(struct bd_component *c)
{
	if (c->kind == BD_COMP_UNRESOLVED)
		add_identity(c, "name", c->name, "binary-analysis", "DT_NEEDED",
			     1.0);
	else if (c->soname && c->name == c->soname)
		add_identity(c, "name", c->name, "binary-analysis", "DT_SONAME",
			     1.0);
	else
		add_identity(c, "name", c->name, "filename", "file name", 0.5);
}

static int identify_one(struct ident *s, struct bd_component *c)
{
	/* A file of an artifact is the artifact's, whatever the root has at
	 * the same path. */
	const struct bd_package *p =
		c->in_artifact ? NULL : bd_pkgdb_owner(s->db, c->inside);
	const struct bd_mapping *e;
	int rc = 0;

	if (c->kind == BD_COMP_ARTIFACT)
		return 0; /* named by its manifest (input stage) */
	name_identity(c);
	if (c->kind == BD_COMP_UNRESOLVED)
		return 0;
	if (p)
		rc = from_database(s, c, p);
	else if (c->npackage_note && !c->package_file)
		rc = from_note(s->g, c);
	e = bd_mappings_identify(s->maps, s->db->os_id, c->source_package,
				 file_name(c), c->soname);
	if (!rc && e)
		rc = from_mapping(s, c, e);
	if (!rc && !p && c->host && c->kind == BD_COMP_LIBRARY &&
	    !c->in_artifact)
		rc = find_bundle(s, c);
	/* A known library in the scanned tree, or in a language package,
	 * that no package database owns: somebody copied it there. */
	c->vendored = !p && e && c->kind == BD_COMP_LIBRARY &&
		      !c->package_file && (c->is_input || c->bundled_in);
	return rc;
}

/* ---- loading ---------------------------------------------------------- */

static void load_mappings(struct bd_mappings *maps,
			  const struct bd_ident_options *o,
			  const struct bd_diag *diag)
{
	struct bd_error e;
	size_t i;

	maps->diag = diag; /* a purl mended on the way in is said */
	if (o && o->mappings_dir &&
	    bd_mappings_load_dir(maps, o->mappings_dir, diag, &e) == BD_ENOENT)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': no mapping registry there, naming "
			       "libraries without it",
			       o->mappings_dir);
	for (i = 0; o && i < o->nmapping_files; i++) {
		if (bd_mappings_load_file(maps, o->mapping_files[i], &e))
			bd_diag_report(diag, BD_DIAG_WARNING, "%s, skipping",
				       e.msg);
	}
}

static void keep_report(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct bd_buf *b = ctx;

	bd_buf_addc(b, (char)('0' + level));
	bd_buf_add(b, msg, strlen(msg) + 1);
}

static void *load(void *arg)
{
	struct bd_ident_load *l = arg;
	struct bd_diag diag = { keep_report, &l->msgs };
	struct bd_error e;

	/* Second to the scanning threads, which use every CPU meanwhile: the
	 * load fills their gaps and the time after them. */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	l->rc = bd_pkgdb_load(&l->db, l->root, &diag, &e);
	if (!l->rc)
		load_mappings(&l->maps, l->opts, &diag);
	return NULL;
}

int bd_ident_load_start(struct bd_ident_load **out, const struct bd_root *root,
			const struct bd_ident_options *opts)
{
	struct bd_ident_load *l = calloc(1, sizeof(*l));
	sigset_t all, old;

	*out = l;
	if (!l)
		return BD_ENOMEM;
	l->root = root;
	l->opts = opts;
	bd_pkgdb_init(&l->db);
	bd_mappings_init(&l->maps);
	bd_buf_init(&l->msgs);
	/* The thread takes no signal: they are the main thread's, which
	 * blocks them while it starts the private directory's sentinel
	 * (input.c). No thread to be had: bd_identify loads them itself. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	l->threaded = !pthread_create(&l->thread, NULL, load, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

/* Waits for the load, or runs it when no thread does. */
static void join(struct bd_ident_load *l)
{
	if (l->done)
		return;
	if (l->threaded)
		pthread_join(l->thread, NULL);
	else
		load(l);
	l->done = true;
}

void bd_ident_load_free(struct bd_ident_load *l)
{
	if (!l)
		return;
	if (l->threaded)
		join(l);
	bd_pkgdb_release(&l->db);
	bd_mappings_release(&l->maps);
	bd_buf_release(&l->msgs);
	free(l);
}

/* The load's warnings, in the order it gave them. */
static int replay(const struct bd_ident_load *l, const struct bd_diag *diag)
{
	size_t off = 0;

	if (!bd_buf_ok(&l->msgs))
		return BD_ENOMEM;
	while (off < l->msgs.len) {
		const char *msg = l->msgs.data + off + 1;

		bd_diag_report(diag,
			       (enum bd_diag_level)(l->msgs.data[off] - '0'),
			       "%s", msg);
		off += 2 + strlen(msg);
	}
	return 0;
}

int bd_identify(struct bd_graph *g, struct bd_ident_load *l,
		const struct bd_diag *diag, struct bd_error *err)
{
	struct ident s = { .g = g, .root = l->root, .diag = diag };
	size_t i;
	int rc;

	join(l);
	rc = replay(l, diag);
	if (!rc)
		rc = l->rc;
	s.db = &l->db;
	s.maps = &l->maps;
	s.registry_dir = l->opts ? l->opts->registry_dir : NULL;
	bd_map_init(&s.registry_seen);
	bd_bundle_search_init(&s.bundles, l->root, diag);
	for (i = 0; !rc && i < g->ncomps; i++)
		rc = identify_one(&s, &g->comps[i]);
	for (i = 0; i < s.nregistry; i++)
		bd_registry_package_free(s.registry[i]);
	free(s.registry);
	bd_map_release(&s.registry_seen);
	bd_bundle_search_release(&s.bundles);
	return rc ? bd_error_set(err, BD_ENOMEM, "out of memory") : 0;
}
