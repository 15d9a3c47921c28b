/* SPDX-License-Identifier: MIT */
#include "bindep/ident.h"
#include "bindep/license.h"
#include "bindep/bundle.h"
#include "bindep/manifest.h"
#include "bindep/mapping.h"
#include "bindep/pkgdb.h"
#include "bindep/probe.h"
#include "bindep/purl.h"
#include "bindep/registry.h"
#include "bindep/walk.h"

#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* The distro qualifier, "<os>-<version>" lowercased, whole (it was cut
 * at 127 bytes: another distro than the input's). */
static int distro_of(const char *os, const char *version, struct bd_buf *b)
{
	size_t i;

	/* "%s-%s" without vsnprintf: ~1,800 instructions a purl made. */
	bd_buf_adds(b, os);
	bd_buf_addc(b, '-');
	bd_buf_adds(b, version);
	if (!bd_buf_ok(b))
		return BD_ENOMEM;
	for (i = 0; i < b->len; i++)
		b->data[i] = (char)tolower((unsigned char)b->data[i]);
	return 0;
}

/*
 * The distribution an osCpe names (os-release's CPE_NAME), as os-release's
 * ID: Fedora's generate-package-notes.sh writes osCpe and no "os". CPE
 * 2.2 ("cpe:/o:fedoraproject:fedora:40") or 2.3 ("cpe:2.3:o:..."); the
 * version into *version (in the arena-free buffer given). NULL: unknown.
 */
static const char *os_of_cpe(const char *cpe, char *version, size_t cap)
{
	static const char *const known[][3] = {
		{ "almalinux", "almalinux", "almalinux" },
		{ "amazon", "amazon_linux", "amzn" },
		{ "canonical", "ubuntu_linux", "ubuntu" },
		{ "centos", "centos", "centos" },
		{ "debian", "debian_linux", "debian" },
		{ "fedoraproject", "fedora", "fedora" },
		{ "opensuse", "leap", "opensuse-leap" },
		{ "opensuse", "tumbleweed", "opensuse-tumbleweed" },
		{ "oracle", "linux", "ol" },
		{ "redhat", "enterprise_linux", "rhel" },
		{ "rocky", "rocky", "rocky" },
		{ "suse", "sles", "sles" },
	};
	const char *vendor, *product, *ver;
	size_t i, nv, np, nver;

	if (!strncmp(cpe, "cpe:/o:", 7))
		vendor = cpe + 7;
	else if (!strncmp(cpe, "cpe:2.3:o:", 10))
		vendor = cpe + 10;
	else
		return NULL;
	/* An escaped ':' ("40\\:1") would split a part: no distribution
	 * known that way. */
	nv = strcspn(vendor, ":");
	if (strchr(vendor, '\\') || !vendor[nv])
		return NULL;
	product = vendor + nv + 1;
	np = strcspn(product, ":");
	ver = product[np] ? product + np + 1 : product + np;
	nver = strcspn(ver, ":");
	if ((nver == 1 && (*ver == '*' || *ver == '-')) || nver >= cap)
		nver = 0;
	snprintf(version, cap, "%.*s", (int)nver, ver);
	for (i = 0; i < BD_ARRAY_SIZE(known); i++)
		if (strlen(known[i][0]) == nv &&
		    !strncmp(known[i][0], vendor, nv) &&
		    strlen(known[i][1]) == np &&
		    !strncmp(known[i][1], product, np))
			return known[i][2];
	return NULL;
}

/* The arch qualifier of a note's package. dh_package_notes and Fedora's
 * macros name the source package (and its version): deb's "source",
 * rpm's "src" (purl-spec's deb and rpm types); others the file's. */
static const char *note_arch(const char *type, const char *arch)
{
	if (!strcmp(type, "deb"))
		return "source";
	return !strcmp(type, "rpm") ? "src" : arch;
}

/*
 * purl-spec's rpm type: the epoch is a qualifier, the version the rest.
 * An epoch as rpm reads it, a number ("01" is 1, into epoch[10]); one
 * past an int32's digits, or with no version after it, is none, and the
 * version stays whole.
 */
static bool rpm_epoch(const char **version, char epoch[10])
{
	const char *v = *version;
	size_t digits = v ? strspn(v, "0123456789") : 0, zeros;

	if (!digits || digits > 9 || v[digits] != ':' || !v[digits + 1])
		return false;
	zeros = strspn(v, "0");
	if (zeros == digits)
		zeros--; /* "0:" is epoch 0 */
	memcpy(epoch, v + zeros, digits - zeros);
	epoch[digits - zeros] = '\0';
	*version = v + digits + 1;
	return true;
}

int bd_ident_purl_from_note(const struct bd_kv *fields, size_t n,
			    struct bd_buf *out)
{
	const char *type = note_field(fields, n, "type");
	const char *os = note_field(fields, n, "os");
	const char *os_version = note_field(fields, n, "osVersion");
	const char *cpe = note_field(fields, n, "osCpe");
	struct bd_buf distro = BD_BUF_INIT;
	char cpe_version[64] = "", epoch[10] = "";
	struct bd_kv q[3];
	struct bd_purl p = { 0 };
	size_t nq = 0;
	int rc;

	p.name = note_field(fields, n, "name");
	p.version = note_field(fields, n, "version");
	if (!p.name || !*p.name)
		return BD_ENOENT;
	if ((!os || !*os) && cpe) {
		os = os_of_cpe(cpe, cpe_version, sizeof(cpe_version));
		if (!os_version || !*os_version)
			os_version = cpe_version;
	}
	if (type && os && *os && distro_type(type)) {
		p.type = type;
		p.namespace = os; /* lowercased by the deb/rpm/apk rules */
		q[nq].key = "arch";
		q[nq++].value =
			note_arch(type, note_field(fields, n, "architecture"));
		if (os_version && *os_version) {
			if (distro_of(os, os_version, &distro))
				return BD_ENOMEM;
			q[nq].key = "distro";
			q[nq++].value = distro.data;
		}
		if (!strcmp(type, "rpm") && rpm_epoch(&p.version, epoch)) {
			q[nq].key = "epoch";
			q[nq++].value = epoch;
		}
	} else {
		p.type = "generic";
	}
	p.qualifiers = q;
	p.nqualifiers = nq;
	rc = bd_purl_format(&p, out, NULL) == BD_ENOMEM ? BD_ENOMEM : 0;
	bd_buf_release(&distro);
	return rc;
}

/* What identification reads before it starts: the root's package
 * databases, loaded once, on a thread of their own while the scan runs
 * (issue 13: dpkg's alone costs 0.4 to 1 s), and the mapping registry,
 * loaded before the scan (a few milliseconds), whose string rules the
 * scan searches for (issue 14). */
struct bd_ident_load {
	const struct bd_root *root;
	const struct bd_ident_options *opts;
	struct bd_pkgdb db;
	struct bd_mappings maps;
	/* The load's warnings, said when it is joined: a level byte, the
	 * text and its NUL each (as collect.c keeps its workers'). The
	 * registry's are said after the databases', as they always were. */
	struct bd_buf msgs, map_msgs;
	int rc;
	pthread_t thread;
	bool threaded; /* a thread runs the load (else bd_identify does) */
	bool done;     /* loaded, and joined */
	/* The registry is read first, by the thread too, while the files
	 * are walked: bd_ident_strings waits for it. */
	struct bd_diag map_diag;
	pthread_mutex_t lock;
	pthread_cond_t cv; /* maps_ready or handed set */
	bool maps_ready;
	bool no_registry; /* --registry names no directory (said) */
	/* The names of the files read (bd_ident_prepared), then merged
	 * (bd_ident_merged), looked for in the file lists by the thread in
	 * that order while the merge and the search go on, each pass for the
	 * names no pass before had; bd_identify looks for the rest.
	 * `nhanded`: how many were given; `closed`: none more to come. */
	const char **early[2];
	size_t nearly[2];
	unsigned nhanded;
	bool closed;
};

struct claim;

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
	/* Per component: the registry entry it is, or NULL. */
	const struct bd_mapping **entry_of;
	/* Per component: how it is asked for (ASKED_*), for an unresolved
	 * one's name; NULL when there was no room (DT_NEEDED is said). */
	unsigned char *asked;
	/* Manifests said to be unreadable, by path: once each. */
	struct bd_map manifests_said;
	/* Files whose licence strings of a library disagree, said once each
	 * ("<file>:<entry's file>:<its index>"). */
	struct bd_map licenses_said;
	/* Room for one file's claims (BD_STRHITS_MAX hits at most). */
	struct claim *claims;
	struct bd_string_hit *scratch;
	/* What each package gave its first file, by package index (NULL
	 * purl: not yet), for its other files (issue 13: a Debian root's
	 * 2,615 owned files formatted their purls anew for 485 packages, a
	 * third of identification); NULL when there was no room for it. */
	struct package_memo {
		const char *purl, *version, *source_package, *source_version,
			*method, *license, *license_text, *license_source;
		bool copyright_read; /* a deb's: its licence fields are set */
	} * packages;
	/* Per component: the Debian package whose copyright file may give
	 * its licence, read once identification is done and only for a
	 * file that has none by then (read_copyrights); NULL for none. */
	const struct bd_package **deb_of;
	/* What the last upstream entry gave, for the next file of it at the
	 * same version (files of one upstream mostly come together). */
	struct upstream_memo {
		const struct bd_mapping *e;
		const char *version; /* c->upstream_version: NULL or kept */
		const char *upstream, *purl, *repository, *homepage, *license,
			*cpe;
	} last_upstream;
	/* Debian copyright files read, by the file (package_copyright). */
	struct bd_dpkg_copyrights copyrights;
};

static void add_identity(struct bd_component *c, const char *field,
			 const char *value, const char *technique,
			 const char *method, double confidence)
{
	if (c->nids < BD_MAX_IDENTITY && value)
		c->ids[c->nids++] =
			(struct bd_identity){ field,  value,	  technique,
					      method, confidence, NULL };
}

void bd_ident_manifest_identities(struct bd_component *c, const char *method)
{
	add_identity(c, "name", c->name, "manifest-analysis", method, 1.0);
	add_identity(c, "version", c->version, "manifest-analysis", method,
		     1.0);
	add_identity(c, "purl", c->purl, "manifest-analysis", method, 1.0);
}

void bd_ident_key_field(struct bd_buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("%@#>", *s))
			bd_buf_printf(b, "%%%02X", (unsigned char)*s);
		else
			bd_buf_addc(b, *s);
	}
}

/* The purl of an installed package: pkg:<deb|apk|rpm>/<os>/<name>@<version>
 * ?arch=..&distro=<os>-<version_id>[&epoch=N] (purl-spec's deb, apk and
 * rpm types; a Debian epoch stays in the version). */
static int purl_of_package(const struct bd_pkgdb *db,
			   const struct bd_package *p, struct bd_buf *out,
			   struct bd_error *why)
{
	struct bd_purl u = { 0 };
	struct bd_buf distro = BD_BUF_INIT;
	struct bd_kv q[3];
	size_t nq = 0;
	int rc;

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
		if (distro_of(db->os_id, db->os_version_id, &distro))
			return BD_ENOMEM;
		q[nq].key = "distro";
		q[nq++].value = distro.data;
	}
	/* purl-spec's rpm type: the epoch is a qualifier. */
	q[nq].key = "epoch";
	q[nq++].value = p->epoch;
	u.qualifiers = q;
	u.nqualifiers = nq;
	rc = bd_purl_format(&u, out, why);
	bd_buf_release(&distro);
	return rc;
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

/* The memo of package p, or NULL (none kept). */
static struct package_memo *package_memo(const struct ident *s,
					 const struct bd_package *p)
{
	if (!s->packages || p < s->db->pkgs || p >= s->db->pkgs + s->db->n)
		return NULL;
	return &s->packages[p - s->db->pkgs];
}

/* A package's licence, an expression or the text as written, kept as its
 * files' declared one (bd_ident_package_licenses); the buffers released. */
static int keep_package_license(struct bd_graph *g, struct bd_component *c,
				struct bd_buf *expr, struct bd_buf *text)
{
	int rc = 0;

	if (!bd_buf_ok(expr) || !bd_buf_ok(text) ||
	    bd_arena_keep(&g->arena, expr->data, expr->len,
			  &c->bundle_license) ||
	    bd_arena_keep(&g->arena, text->data, text->len,
			  &c->bundle_license_text))
		rc = BD_ENOMEM;
	bd_buf_release(expr);
	bd_buf_release(text);
	return rc;
}

/* The licence a database gives a package (rpm's License, apk's L:): an
 * expression of the SPDX List's identifiers, else as written (at most
 * 1 KiB). */
static int package_license(struct bd_graph *g, struct bd_component *c,
			   const char *license)
{
	struct bd_buf expr = BD_BUF_INIT, text = BD_BUF_INIT;

	bd_license_declared(license, strlen(license), 1024, &expr, &text);
	return keep_package_license(g, c, &expr, &text);
}

/* A Debian package's licence (dpkg's database keeps none): its
 * machine-readable copyright file's, read once a package (read_copyrights'
 * memo), as its files' declared one (bd_ident_package_licenses). */
static int package_copyright(struct ident *s, struct bd_component *c,
			     const struct bd_package *p)
{
	struct bd_buf expr = BD_BUF_INIT, text = BD_BUF_INIT;
	struct bd_graph *g = s->g;
	int rc = bd_dpkg_copyright(s->root, &s->copyrights, p->name, s->diag,
				   &expr, &text);

	if (!rc && (expr.len || text.len)) {
		c->bundle_license_source = bd_arena_printf(
			&g->arena, "dpkg:/usr/share/doc/%s/copyright", p->name);
		if (!c->bundle_license_source)
			rc = BD_ENOMEM;
	}
	if (!rc && (expr.len || text.len))
		return keep_package_license(g, c, &expr, &text);
	bd_buf_release(&expr);
	bd_buf_release(&text);
	return rc;
}

/*
 * The Debian packages' copyright files, read once identification is done,
 * and only for the files that have no licence by then (most of a root's
 * have the registry's: reading every owner's cost /usr/bin 366 files and
 * 13 MB on the serial tail); once a package (its memo).
 */
static int read_copyrights(struct ident *s, size_t ncomps)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && s->deb_of && i < ncomps; i++) {
		struct bd_component *c = &s->g->comps[i];
		const struct bd_package *p = s->deb_of[i];
		struct package_memo *m;

		/* A licence of its own, or its language package's. */
		if (!p || c->license || c->license_text || c->bundle_license ||
		    c->bundle_license_text)
			continue;
		m = package_memo(s, p);
		if (m && m->copyright_read) {
			c->bundle_license = m->license;
			c->bundle_license_text = m->license_text;
			c->bundle_license_source = m->license_source;
			continue;
		}
		rc = package_copyright(s, c, p);
		if (!rc && m) {
			m->license = c->bundle_license;
			m->license_text = c->bundle_license_text;
			m->license_source = c->bundle_license_source;
			m->copyright_read = true;
		}
	}
	return rc;
}

/* The package's purl, version, source, declared licence and method into
 * c, and the method into *method: made for the package once, and shared
 * by its other files (the graph's strings are never changed in place).
 * *why says why no purl could be made of it. */
static int package_facts(struct ident *s, struct bd_component *c,
			 const struct bd_package *p, const char **method,
			 struct bd_error *why)
{
	struct package_memo *m = package_memo(s, p);
	struct bd_graph *g = s->g;
	struct bd_buf b = BD_BUF_INIT;
	int rc;

	if (!p->license && !strcmp(p->type, "deb") && s->deb_of)
		s->deb_of[c - g->comps] = p; /* read_copyrights */
	if (m && m->purl) {
		c->purl = m->purl;
		c->version = m->version;
		c->source_package = m->source_package;
		c->source_version = m->source_version;
		c->bundle_license = m->license;
		c->bundle_license_text = m->license_text;
		c->bundle_license_source = m->license_source;
		*method = m->method;
		return 0;
	}
	rc = purl_of_package(s->db, p, &b, why);
	if (!rc && p->license)
		rc = package_license(g, c, p->license);
	if (!rc) {
		c->purl = bd_graph_strdup(g, b.data);
		c->version = bd_graph_strdup(g, p->version);
		c->source_package =
			bd_graph_strdup(g, p->source ? p->source : p->name);
		c->source_version = bd_graph_strdup(
			g, p->source_version ? p->source_version : p->version);
		*method =
			bd_arena_printf(&g->arena, "%s:%s", db_kind(p), p->db);
		if (!c->purl || !c->version || !c->source_package ||
		    !c->source_version || !*method)
			rc = BD_ENOMEM;
	}
	if (!rc && m)
		*m = (struct package_memo){ c->purl,
					    c->version,
					    c->source_package,
					    c->source_version,
					    *method,
					    c->bundle_license,
					    c->bundle_license_text,
					    c->bundle_license_source,
					    false };
	bd_buf_release(&b);
	return rc;
}

static int from_database(struct ident *s, struct bd_component *c,
			 const struct bd_package *p)
{
	struct bd_graph *g = s->g;
	const char *method = NULL;
	struct bd_error why = { 0 };
	int rc = package_facts(s, c, p, &method, &why);

	if (rc)
		goto out;
	add_identity(c, "version", c->version, "manifest-analysis", method,
		     1.0);
	add_identity(c, "purl", c->purl, "manifest-analysis", method, 1.0);
	if (c->npackage_note)
		c->note_mismatch = note_mismatch(g, c, p);
out:
	/* No purl can be made of it (a name or version of invalid UTF-8,
	 * an empty name, or one past BD_PURL_MAX_LEN): the file stays
	 * unnamed, and that is said with the purl's reason (once: main says a
	 * warning once), the fields cut short. dpkg still names the owner. */
	if (rc == BD_EFORMAT || rc == BD_ELIMIT)
		bd_diag_report(s->diag, BD_DIAG_WARNING,
			       "'%s': package '%.64s' version '%.64s%s' makes "
			       "no purl (%s): its files are not named by it",
			       p->db ? p->db : "", p->name,
			       p->version ? p->version : "",
			       p->version && strlen(p->version) > 64 ? "..."
								     : "",
			       why.msg[0] ? why.msg : "not UTF-8");
	return rc == BD_EFORMAT || rc == BD_ELIMIT ? 0 : rc;
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

/*
 * A package note's appCpe, "a CPE name for the upstream application"
 * (UAPI.8's well-known keys): what the packager says of this very file,
 * before the registry's CPE, which is made from its name. Only a CPE 2.3
 * formatted string is taken, as the SBOMs write it as one (SPDX's
 * cpe23Type); a CPE 2.2 URI or a broken one stays the property it is.
 */
static int cpe_from_note(struct bd_graph *g, struct bd_component *c)
{
	const char *cpe =
		note_field(c->package_note, c->npackage_note, "appCpe");

	if (!cpe || !bd_ident_cpe23_valid(cpe))
		return 0;
	c->cpe = bd_graph_strdup(g, cpe);
	if (!c->cpe)
		return BD_ENOMEM;
	add_identity(c, "cpe", c->cpe, "binary-analysis", ".note.package", 0.9);
	return 0;
}

/* ---- the mapping registry ----------------------------------------------- */

/* CPE 2.3 formatted string: quote what is not a word (NISTIR 7695,
 * 6.2). */
static void cpe_value(struct bd_buf *out, const char *v, size_t n)
{
	size_t i;

	if (!n)
		bd_buf_addc(out, '*');
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)v[i]) && v[i] != '_' &&
		    v[i] != '-' && v[i] != '.')
			bd_buf_addc(out, '\\');
		bd_buf_addc(out, v[i]);
	}
}

/*
 * Where a pre-release's mark starts ("2.0-rc1": 3), or 0 for none. NVD
 * writes the mark in the update field (cpe:2.3:a:openssl:openssl:3.0.0:
 * alpha1). Only after a dotted number ending in a digit, then a separator
 * or none, and only at the end; a bare "a" or "b" needs its number: 1.1.1b
 * is an OpenSSL release. *mark gets the mark's full word.
 */
static size_t pre_release_at(const char *v, size_t n, const char **mark,
			     size_t *word)
{
	static const struct {
		const char *word, *full;
	} marks[] = {
		{ "alpha", "alpha" }, { "beta", "beta" }, { "rc", "rc" },
		{ "pre", "pre" },     { "a", "alpha" },	  { "b", "beta" }
	};
	size_t i = 0, at, k;

	while (i < n && (isdigit((unsigned char)v[i]) || v[i] == '.'))
		i++;
	if (i && v[i - 1] == '.')
		i--; /* the separator: "1.0.beta" */
	if (!i || !isdigit((unsigned char)v[i - 1]))
		return 0;
	at = i;
	if (i < n && strchr("-~._", v[i]))
		i++;
	for (k = 0; k < BD_ARRAY_SIZE(marks); k++) {
		size_t len = strlen(marks[k].word), d;

		if (n - i < len || strncmp(v + i, marks[k].word, len))
			continue;
		for (d = i + len; d < n && isdigit((unsigned char)v[d]); d++)
			;
		if (d != n || (len == 1 && d == i + len))
			return 0;
		*mark = marks[k].full;
		*word = i + len;
		return at;
	}
	return 0;
}

/* Whether a CPE 2.3 formatted string can hold v: printable ASCII, no
 * space (NISTIR 7695, 6.2: a backslash quotes punctuation only). */
static bool cpe_holds(const char *v)
{
	for (; v && *v; v++)
		if (*v < 0x21 || *v > 0x7e)
			return false;
	return true;
}

bool bd_ident_cpe(const char *prefix, const char *version, struct bd_buf *out)
{
	/* Build metadata (semver's "+", the JDK's "+6-LTS") is in no
	 * version NVD writes: cpe:2.3:a:oracle:openjdk:17.0.15. A version
	 * that is nothing else stays whole: "*" would match every one. */
	size_t n = version ? strcspn(version, "+") : 0, word = 0, at;
	const char *mark = NULL;

	if (!cpe_holds(version))
		return false;
	if (!n && version)
		n = strlen(version);
	bd_buf_adds(out, prefix);
	bd_buf_addc(out, ':');
	at = pre_release_at(version ? version : "", n, &mark, &word);
	cpe_value(out, version, at ? at : n);
	bd_buf_addc(out, ':');
	if (at) {
		bd_buf_adds(out, mark);
		if (n > word)
			cpe_value(out, version + word, n - word);
	} else {
		bd_buf_addc(out, '*');
	}
	bd_buf_adds(out, ":*:*:*:*:*:*");
	return true;
}

/* ---- CPE 2.3 formatted strings (NISTIR 7695, 6.2) ---------------------- */

static bool ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A character that stands for itself in an attribute value. */
static bool cpe_plain(char c)
{
	return ascii_alpha(c) || ascii_digit(c) || c == '-' || c == '.' ||
	       c == '_';
}

/* Punctuation a backslash may quote ("\:", "\!"). */
static bool cpe_quotable(char c)
{
	return c && strchr("\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~", c);
}

/* Whether *p starts an attribute alone ("*": ANY, "-": NA); moves past. */
static bool cpe_logical(const char **p)
{
	const char *s = *p;

	if ((*s != '*' && *s != '-') || (s[1] && s[1] != ':'))
		return false;
	*p = s + 1;
	return true;
}

/* One attribute value: characters (a backslash quoting punctuation),
 * wildcards only at its ends ("?" any number of times, or one "*"). */
static bool cpe_attribute(const char **p)
{
	const char *s = *p;
	size_t n = 0;

	if (cpe_logical(p))
		return true;
	if (*s == '*')
		s++;
	else
		while (*s == '?')
			s++;
	for (;; n++) {
		if (cpe_plain(*s))
			s++;
		else if (*s == '\\' && cpe_quotable(s[1]))
			s += 2;
		else
			break;
	}
	if (*s == '*')
		s++;
	else
		while (*s == '?')
			s++;
	*p = s;
	return n > 0;
}

/* The language attribute: a tag of two or three letters, then a region
 * of two letters or three digits ("en-us", "es-419"). */
static bool cpe_language(const char **p)
{
	const char *s = *p;
	size_t n = 0;

	if (cpe_logical(p))
		return true;
	while (n < 4 && ascii_alpha(s[n]))
		n++;
	if (n < 2 || n > 3)
		return false;
	s += n;
	if (*s == '-' && ascii_alpha(s[1]) && ascii_alpha(s[2]))
		s += 3;
	else if (*s == '-' && ascii_digit(s[1]) && ascii_digit(s[2]) &&
		 ascii_digit(s[3]))
		s += 4;
	*p = s;
	return true;
}

bool bd_ident_cpe23_valid(const char *cpe)
{
	/* After the part: vendor, product, version, update, edition,
	 * language (the sixth), sw_edition, target_sw, target_hw, other. */
	enum { ATTRIBUTES = 10, LANGUAGE = 5 };
	const char *s = cpe + 10;
	int i;

	if (strncmp(cpe, "cpe:2.3:", 8) || !cpe[8] ||
	    !strchr("aoh*-", cpe[8]) || cpe[9] != ':')
		return false;
	for (i = 0; i < ATTRIBUTES; i++) {
		if (!(i == LANGUAGE ? cpe_language(&s) : cpe_attribute(&s)))
			return false;
		if (*s != (i + 1 < ATTRIBUTES ? ':' : '\0'))
			return false;
		s += i + 1 < ATTRIBUTES;
	}
	return true;
}

/* Where an entry is, as evidence names it: "mappings/zlib.yml:6", or the
 * file alone when its line is not known. Never a machine path. */
static const char *registry_place(struct bd_arena *a,
				  const struct bd_mapping *e)
{
	return e->line ? bd_arena_printf(a, "%s:%u", e->shown, e->line)
		       : e->shown;
}

/* A path's last component (a file's path never ends in '/'). */
static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

/* The file's own name: the canonical path's, else the first path's. */
static const char *file_name(const struct bd_component *c)
{
	const char *path = c->inside	? c->inside
			   : c->paths.n ? c->paths.items[0]
					: NULL;

	return path ? base_of(path) : NULL;
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

/* The rule k of the compiled set that is e's version rule i; UINT32_MAX
 * when none (not compiled). */
static uint32_t rule_index(const struct bd_mappings *m,
			   const struct bd_mapping *e, int i)
{
	uint32_t k;
	const struct bd_mapping_string *ms;

	for (k = 0; (ms = bd_mappings_string(m, k)); k++)
		if (ms->entry == e && ms->rule == i)
			return k;
	return UINT32_MAX;
}

/* The data rules of a scanned file: strings and bare rules from what the
 * scan found in it (the file is not read again), verdef rules, and any
 * rule of a file the scan did not search, by opening it. */
struct data_reader {
	const struct ident *s;
	const struct bd_component *c;
	struct bd_probe probe;
	bool opened, failed;
};

static bool probe_rule(struct data_reader *d, const struct bd_version_rule *r,
		       const char *found, struct bd_buf *out)
{
	if (!d->opened) {
		d->opened = true;
		d->failed = d->c->error || !d->c->host ||
			    bd_probe_open(&d->probe, d->s->root, d->c->host);
	}
	return !d->failed && bd_mapping_probe_rule(&d->probe, r, found, out);
}

static bool data_rule(void *ctx, const struct bd_mapping *e, unsigned rule,
		      const char *found, struct bd_buf *out)
{
	struct data_reader *d = ctx;
	const struct bd_version_rule *r = &e->version[rule];
	uint32_t k = r->verdef || r->function || !d->c->strings_searched
			     ? UINT32_MAX
			     : rule_index(d->s->maps, e, (int)rule);
	size_t i;

	if (k == UINT32_MAX)
		return probe_rule(d, r, found, out);
	if (r->bare)
		return bd_mapping_pick_bare(d->c->strings, d->c->nstrings, k,
					    found, out);
	/* "The first match in the file's read-only data". */
	for (i = 0; i < d->c->nstrings; i++) {
		if (d->c->strings[i].rule == k && d->c->strings[i].version) {
			bd_buf_reset(out);
			bd_buf_adds(out, d->c->strings[i].version);
			return bd_buf_ok(out);
		}
	}
	return false;
}

/* The file's names, the canonical one first: a filename rule reads the
 * most from whichever says the most ("libzstd.so.1.5.4", not the link
 * "libzstd.so.1" that comes first among the paths). */
static const char *name_at(const struct bd_component *c, size_t i)
{
	const char *path = i == 0	     ? file_name(c)
			   : i <= c->paths.n ? c->paths.items[i - 1]
					     : NULL;
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

/* The version by the entry's rules over the file's names and data: the
 * name that reads the most, then data rules that say more. */
static bool best_version(const struct ident *s, const struct bd_component *c,
			 const struct bd_mapping *e, struct bd_buf *out,
			 unsigned *rule)
{
	struct data_reader d = { s, c, { -1, NULL }, false, false };
	struct bd_buf name = BD_BUF_INIT, v = BD_BUF_INIT;
	bool found = false;
	unsigned r = 0;
	size_t i;

	for (i = 0; i == 0 || name_at(c, i); i++) {
		bd_buf_reset(&name);
		bd_mapping_strip_hash(name_at(c, i) ? name_at(c, i) : "",
				      &name);
		if (!bd_buf_ok(&name) ||
		    !bd_mapping_read_version_with(e, name.data, c->soname,
						  i ? NULL : data_rule, &d, &v,
						  &r))
			continue;
		/* Another name counts where it says more: "1.5.4" of "1". */
		if (found && (strncmp(v.data, out->data, out->len) ||
			      v.data[out->len] != '.'))
			continue;
		bd_buf_reset(out);
		bd_buf_adds(out, v.data);
		*rule = r;
		found = true;
	}
	bd_probe_close(&d.probe);
	bd_buf_release(&name);
	bd_buf_release(&v);
	return found && bd_buf_ok(out);
}

/* The version of a library no package owns, read by the entry's rules. */
static int read_version(struct ident *s, struct bd_component *c,
			const struct bd_mapping *e)
{
	struct bd_buf v = BD_BUF_INIT;
	const char *kind, *pattern;
	unsigned rule = 0;
	int rc = 0;

	if (best_version(s, c, e, &v, &rule)) {
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
	if (!bd_buf_ok(&v))
		rc = BD_ENOMEM;
	bd_buf_release(&v);
	return rc;
}

/* Whose source package names the file's: a package given as a file
 * (.deb, .rpm, .apk) is its own distribution family's, whatever the
 * root's is; an installed file is the root's, and in a root that says
 * none (no os-release: an image built FROM scratch) its package type's,
 * as its purl already names it (purl_of_package). */
static const char *os_of(const struct ident *s, const struct bd_component *c)
{
	static const char *const family[][2] = { { "pkg:deb/", "debian" },
						 { "pkg:rpm/", "fedora" },
						 { "pkg:apk/", "alpine" } };
	bool by_purl = c->package_file || !s->db->os_id;
	size_t i;

	for (i = 0; by_purl && c->purl && i < BD_ARRAY_SIZE(family); i++)
		if (!strncmp(c->purl, family[i][0], strlen(family[i][0])))
			return family[i][1];
	return s->db->os_id;
}

/* Whether the package that owns c is another project's, carrying a copy
 * of e's: its source is not one e lists for its distribution
 * (firefox-esr's libmozsqlite3.so is SQLite's code, numbered by
 * Firefox's release). A package named only by a note keeps its own. */
static bool carried_copy(const struct ident *s, const struct bd_component *c,
			 const struct bd_mapping *e)
{
	return c->source_package &&
	       !bd_mapping_lists_source(e, os_of(s, c), c->source_package);
}

/* The upstream's version: the package's upstream part when the package
 * (database or note) is the upstream's own build, else what the rules
 * read from the file, as for a file no package owns. */
static int upstream_version(struct ident *s, struct bd_component *c,
			    const struct bd_mapping *e)
{
	const char *known = c->source_version ? c->source_version : c->version;
	struct bd_buf b = BD_BUF_INIT;

	if (!c->purl || carried_copy(s, c, e))
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
	lrc = bd_registry_package_load(s->registry_dir, ref, &p, s->diag, &err);
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

/* Whether the last upstream entry described was e, at c's version. */
static bool same_upstream(const struct upstream_memo *m,
			  const struct bd_mapping *e, const char *version)
{
	return m->e == e &&
	       (m->version == version ||
		(m->version && version && !strcmp(m->version, version)));
}

/* The upstream project's facts from its entry, for the version known, into
 * c: made once for an entry and version, and shared by the files that
 * follow with the same (as package_facts). */
static int upstream_facts(struct ident *s, struct bd_component *c,
			  const struct bd_mapping *e)
{
	struct upstream_memo *m = &s->last_upstream;
	struct bd_graph *g = s->g;
	struct bd_buf cpe = BD_BUF_INIT;
	int rc;

	if (same_upstream(m, e, c->upstream_version)) {
		c->upstream = m->upstream;
		c->upstream_purl = m->purl;
		c->repository = m->repository;
		c->homepage = m->homepage;
		c->license = m->license;
		c->cpe = m->cpe;
		return 0;
	}
	m->e = NULL;
	c->upstream = bd_graph_strdup(g, e->name);
	rc = versioned_purl(g, e->purl, c->upstream_version, &c->upstream_purl);
	if (rc)
		return rc;
	c->repository = bd_graph_strdup(g, e->repository);
	c->homepage = bd_graph_strdup(g, e->homepage);
	c->license = bd_graph_strdup(g, e->license);
	/* A version no CPE can hold (a space, a byte past ASCII) makes
	 * none: a CPE of another version would match other CVEs. */
	if (e->cpe && bd_ident_cpe(e->cpe, c->upstream_version, &cpe)) {
		c->cpe = bd_buf_ok(&cpe) ? bd_graph_strdup(g, cpe.data) : NULL;
		if (!c->cpe) {
			bd_buf_release(&cpe);
			return BD_ENOMEM;
		}
	}
	bd_buf_release(&cpe);
	if (!c->upstream)
		return BD_ENOMEM;
	*m = (struct upstream_memo){ e,
				     c->upstream_version,
				     c->upstream,
				     c->upstream_purl,
				     c->repository,
				     c->homepage,
				     c->license,
				     c->cpe };
	return 0;
}

/* The upstream project's facts, and what its registry file says. */
static int describe_upstream(struct ident *s, struct bd_component *c,
			     const struct bd_mapping *e)
{
	int rc = upstream_facts(s, c, e);

	if (rc)
		return rc;
	return e->registry && s->registry_dir ? from_registry(s, c, e) : 0;
}

/* How a rule of the compiled set named a library, for evidence:
 * "mappings/compression.yml: zlib: strings \"deflate {version}
 * Copyright\" matched \"deflate 1.2.13 Copyright\"". */
static const char *string_method(struct ident *s,
				 const struct bd_mapping_string *ms,
				 const struct bd_string_hit *h)
{
	const char *kind = ms->license >= 0 ? "license-strings" : "marker",
		   *pattern = h->text;

	if (ms->rule >= 0)
		kind = bd_version_rule_kind(&ms->entry->version[ms->rule],
					    &pattern);
	if (ms->rule < 0 || !strcmp(pattern, h->text))
		return bd_arena_printf(&s->g->arena, "%s: %s: %s \"%s\"",
				       registry_place(&s->g->arena, ms->entry),
				       ms->entry->name, kind, pattern);
	return bd_arena_printf(&s->g->arena, "%s: %s: %s \"%s\" matched \"%s\"",
			       registry_place(&s->g->arena, ms->entry),
			       ms->entry->name, kind, pattern, h->text);
}

/* ---- the licence a build states (mappings/README.md, license-strings) -- */

/*
 * What a file's licence strings say of one library: the first string of
 * each licence they state, in the registry's order (the order of the
 * file's bytes is no one's choice), and the licence that gives.
 *
 * Strings of one library in one file that state several licences
 * disagree: a static program that holds two builds of FFmpeg, one
 * configured --enable-gpl, or a hostile file. Which copy a string belongs
 * to cannot be told, so the licence is their AND (SPDX 2.3 D.4.2: all of
 * them apply), in the registry's order, the same whatever the file: a
 * licence-compliance reviewer, and the policy that refuses GPL code for
 * them, read the licence, not our properties, and must never be told less
 * than the file may oblige them to; a file that holds the strings without
 * the copies is overstated, not understated, and is said: each licence as
 * a bindep:conflict:license of the component, and one warning naming the
 * file and the licences (stated_for). The same library's strings in two
 * files are no disagreement: each file's copy is its own component.
 */
struct stated {
	const struct bd_mapping_string *rule[BD_MAPPING_MAX_RULES];
	const struct bd_string_hit *hit[BD_MAPPING_MAX_RULES];
	size_t n;	     /* licences, rule[i] and hit[i] each's first */
	const char *license; /* the one, or their AND; NULL: none stated */
};

static const char *string_license(const struct bd_mapping_string *ms)
{
	return ms->entry->license_strings[ms->license].license;
}

/* Whether st states that licence already (two strings that mean one). */
static bool stated_already(const struct stated *st, const char *license)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(string_license(st->rule[i]), license))
			return true;
	return false;
}

/* The AND of st's licences, each an expression the loader took. */
static int stated_together(struct ident *s, struct stated *st)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t i;

	for (i = 0; i < st->n; i++)
		bd_license_add_registry(&b, string_license(st->rule[i]), true);
	st->license = bd_buf_ok(&b) ? bd_graph_strdup(s->g, b.data) : NULL;
	bd_buf_release(&b);
	return st->license ? 0 : BD_ENOMEM;
}

/* What the licence strings of e that the file holds state (none when the
 * file was not searched: it is not read again for them). */
static int stated_license(struct ident *s, const struct bd_component *file,
			  const struct bd_mapping *e, struct stated *st)
{
	const struct bd_string_hit *first[BD_MAPPING_MAX_RULES] = { NULL };
	const struct bd_mapping_string *ms;
	size_t i, k;

	st->n = 0;
	st->license = NULL;
	for (i = 0; i < file->nstrings; i++) {
		ms = bd_mappings_string(s->maps, file->strings[i].rule);
		if (ms && ms->entry == e && ms->license >= 0 &&
		    ms->license < BD_MAPPING_MAX_RULES && !first[ms->license])
			first[ms->license] = &file->strings[i];
	}
	for (k = 0; k < BD_MAPPING_MAX_RULES; k++) {
		ms = first[k] ? bd_mappings_string(s->maps, first[k]->rule)
			      : NULL;
		if (!ms || stated_already(st, string_license(ms)))
			continue;
		st->rule[st->n] = ms;
		st->hit[st->n++] = first[k];
	}
	if (st->n == 1)
		st->license = string_license(st->rule[0]);
	return st->n > 1 ? stated_together(s, st) : 0;
}

/* A file's licence strings of one library that disagree: one warning for
 * the file and library, however many copies of it take the licence. */
static int say_disagreement(struct ident *s, uint32_t file,
			    const struct stated *st)
{
	const struct bd_component *c = &s->g->comps[file];
	const struct bd_mapping_string *ms = st->rule[0];
	struct bd_buf list = BD_BUF_INIT;
	char key[3 * 12];
	const char *kept;
	uint32_t seen;
	size_t i;
	int rc;

	snprintf(key, sizeof(key), "%u:%u:%u", (unsigned)file, ms->file,
		 ms->index);
	if (bd_map_get(&s->licenses_said, key, &seen))
		return 0;
	for (i = 0; i < st->n; i++)
		bd_buf_printf(&list, "%s'%s'", i ? ", " : "",
			      string_license(st->rule[i]));
	if (bd_buf_ok(&list))
		bd_diag_report(s->diag, BD_DIAG_WARNING,
			       "'%s': %s's licence strings disagree (%s): "
			       "taking %s, %s",
			       c->paths.n ? c->paths.items[0] : c->name,
			       ms->entry->name, list.data,
			       st->n == 2 ? "both" : "all", st->license);
	kept = bd_buf_ok(&list) ? bd_graph_strdup(s->g, key) : NULL;
	rc = kept ? bd_map_put(&s->licenses_said, kept, 0) : BD_ENOMEM;
	bd_buf_release(&list);
	return rc;
}

/* What the licence strings of e in the file state, a disagreement said. */
static int stated_for(struct ident *s, uint32_t file,
		      const struct bd_mapping *e, struct stated *st)
{
	int rc = stated_license(s, &s->g->comps[file], e, st);

	return !rc && st->n > 1 ? say_disagreement(s, file, st) : rc;
}

/* bindep:license-source: the string that stated the licence, or each
 * string of the licences taken together. */
static const char *stated_sources(struct ident *s, const struct stated *st)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *one = NULL, *all;
	size_t i;

	if (st->n == 1)
		return string_method(s, st->rule[0], st->hit[0]);
	for (i = 0; i < st->n; i++) {
		one = string_method(s, st->rule[i], st->hit[i]);
		if (!one)
			break;
		bd_buf_printf(&b, "%s%s", i ? "; " : "", one);
	}
	all = one && bd_buf_ok(&b) ? bd_graph_strdup(s->g, b.data) : NULL;
	bd_buf_release(&b);
	return all;
}

/* Each licence of strings that disagree, kept as the component's
 * conflicts (bindep:conflict:license). */
static int stated_conflicts(struct ident *s, struct bd_component *c,
			    const struct stated *st)
{
	size_t i;

	c->license_conflicts =
		bd_arena_alloc(&s->g->arena, st->n * sizeof(char *));
	if (!c->license_conflicts)
		return BD_ENOMEM;
	for (i = 0; i < st->n; i++) {
		c->license_conflicts[i] =
			bd_graph_strdup(s->g, string_license(st->rule[i]));
		if (!c->license_conflicts[i])
			return BD_ENOMEM;
	}
	c->nlicense_conflicts = st->n;
	return 0;
}

/*
 * The licence the build states, in place of the registry's default: the
 * file that holds its library's licence string is that build (Debian's
 * libavcodec, configured with --enable-gpl, says "libavcodec license: GPL
 * version 2 or later": GPL-2.0-or-later, not FFmpeg's default
 * LGPL-2.1-or-later). It ranks as the registry's licence does, before a
 * package's (bd_ident_package_licenses): a copyright file or an rpm
 * License speaks of the source package, the string of this build. A
 * carried SBOM that says another is kept beside it
 * (bindep:conflict:license). bindep:license-source names the rule and
 * the string; CycloneDX's evidence lists the licence (license_stated).
 * Strings that disagree give their AND (struct stated).
 */
static int license_from_string(struct ident *s, struct bd_component *c,
			       const struct stated *st)
{
	c->license = bd_graph_strdup(s->g, st->license);
	c->license_source = stated_sources(s, st);
	c->license_stated = true;
	if (!c->license || !c->license_source)
		return BD_ENOMEM;
	return st->n > 1 ? stated_conflicts(s, c, st) : 0;
}

/* named: the string rule that named an unowned file, or NULL when its
 * name did. */
static int from_mapping(struct ident *s, struct bd_component *c,
			const struct bd_mapping *e,
			const struct bd_mapping_string *named,
			const struct bd_string_hit *hit)
{
	struct bd_graph *g = s->g;
	bool identified = c->purl != NULL;
	struct stated stated;
	int rc = upstream_version(s, c, e);

	if (!rc)
		rc = describe_upstream(s, c, e);
	if (!rc)
		rc = stated_for(s, (uint32_t)(c - g->comps), e, &stated);
	if (!rc && stated.license)
		rc = license_from_string(s, c, &stated);
	if (rc || identified)
		return rc;
	/* Named by the registry alone: the upstream is the purl. */
	c->purl = c->upstream_purl;
	c->version = c->upstream_version;
	if (named)
		add_identity(c, "purl", c->purl, "binary-analysis",
			     string_method(s, named, hit),
			     c->version ? 0.7 : 0.5);
	else
		add_identity(c, "purl", c->purl, "filename",
			     bd_arena_printf(&g->arena, "%s: %s: files",
					     registry_place(&g->arena, e),
					     e->name),
			     c->version ? 0.7 : 0.5);
	return 0;
}

/* ---- what the string rules found (issue 14) ------------------------------ */

/* A library the file's read-only data names, and the version read. */
struct claim {
	const struct bd_mapping_string *ms; /* the rule that named it */
	const struct bd_string_hit *hit;
	const char *version;		  /* NULL: none read */
	const struct bd_string_hit *bare; /* where the version came from,
					     for a marker's library */
	const char *function; /* or the function rule that read it */
};

/* A library the file links dynamically is not compiled into it: its
 * messages ("requires OpenSSL 3.0 or later") are no copy of it. */
static bool linked_dynamically(const struct ident *s,
			       const struct bd_component *c,
			       const struct bd_mapping *e)
{
	size_t i;

	for (i = 0; i < c->nneeded; i++)
		if (bd_mappings_by_file(s->maps, c->needed[i], c->needed[i]) ==
		    e)
			return true;
	return false;
}

static bool bare_rule(const struct bd_mapping_string *ms)
{
	return ms->rule >= 0 && ms->entry->version[ms->rule].bare;
}

/* Whether a hit's text is another library's to claim: the same text read
 * by two entries (zlib and zlib-ng share "deflate {version} Copyright")
 * is the file's own library's, else the preferred entry's. */
static bool shadowed(const struct ident *s, const struct bd_component *c,
		     size_t i, const struct bd_mapping_string *ms,
		     const struct bd_mapping *self)
{
	const struct bd_mapping_string *other;
	size_t j;

	if (ms->entry == self)
		return false;
	for (j = 0; j < c->nstrings; j++) {
		other = bd_mappings_string(s->maps, c->strings[j].rule);
		if (j == i || !other || other->license >= 0 ||
		    other->entry == ms->entry ||
		    strcmp(c->strings[j].text, c->strings[i].text))
			continue;
		if (other->entry == self || bd_mappings_prefer(other, ms))
			return true;
	}
	return false;
}

/* Adds a claim unless the library has one of that version already. */
static void add_claim(struct claim *cl, size_t *n,
		      const struct bd_mapping_string *ms,
		      const struct bd_string_hit *h, const char *version)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		const struct claim *x = &cl[i];

		if (x->ms->entry == ms->entry &&
		    (x->version == version ||
		     (x->version && version && !strcmp(x->version, version))))
			return;
	}
	cl[(*n)++] = (struct claim){ ms, h, version, NULL, NULL };
}

/* The rule read more distinct versions than it kept (the first hit of a
 * rule carries the mark). */
static bool rule_crowded(const struct bd_component *c, uint32_t rule)
{
	size_t i;

	for (i = 0; i < c->nstrings; i++)
		if (c->strings[i].rule == rule)
			return c->strings[i].more;
	return false;
}

/* Whether another library named in the file read this version: by a
 * strings rule (ZLIB_VERSION "1.2.13" is zlib's, not a candidate for
 * zstd's bare "1.x"), or as a candidate of its own bare rules (zstd's and
 * lz4's versions are both strings of their own starting "1.": in a file
 * holding both, neither can tell which is whose). */
static bool claimed_elsewhere(const struct ident *s,
			      const struct bd_component *c,
			      const struct claim *cl, size_t n,
			      const struct bd_mapping *e, const char *v)
{
	const struct bd_mapping_string *ms;
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (cl[i].ms->entry == e)
			continue;
		if (cl[i].version && !strcmp(cl[i].version, v))
			return true;
		for (k = 0; !cl[i].version && k < c->nstrings; k++) {
			ms = bd_mappings_string(s->maps, c->strings[k].rule);
			if (ms && ms->entry == cl[i].ms->entry &&
			    bare_rule(ms) && c->strings[k].version &&
			    !strcmp(c->strings[k].version, v))
				return true;
		}
	}
	return false;
}

/* Whether v is the file's own version, its package's: a program states
 * its release as a string of its own, which a bare rule's shape may take
 * (bun 1.4.5 holds zstd, read only as a bare "1.4.x": it was "zstd
 * 1.4.5"). */
static bool own_version(const struct bd_component *c, const char *v)
{
	return v && ((c->version && !strcmp(c->version, v)) ||
		     (c->upstream_version && !strcmp(c->upstream_version, v)));
}

/* The version of a library a marker named, by its bare rules: the one
 * string of its own of the rule's shape that no other library read, nor
 * the file's own version. */
static int bare_version(const struct ident *s, const struct bd_component *c,
			struct claim *x, const struct claim *cl, size_t n,
			struct bd_string_hit *scratch)
{
	const struct bd_mapping *e = x->ms->entry;
	struct bd_buf v = BD_BUF_INIT;
	size_t i, m;
	unsigned r = 0;
	int rc = 0;

	for (r = 0; r < e->version_count && !x->version && !rc; r++) {
		uint32_t k = e->version[r].bare ? rule_index(s->maps, e, (int)r)
						: UINT32_MAX;

		/* More candidates than kept: which is its own is unknown. */
		if (k == UINT32_MAX || rule_crowded(c, k))
			continue;
		for (i = 0, m = 0; k != UINT32_MAX && i < c->nstrings; i++)
			if (c->strings[i].rule == k &&
			    !claimed_elsewhere(s, c, cl, n, e,
					       c->strings[i].version) &&
			    !own_version(c, c->strings[i].version))
				scratch[m++] = c->strings[i];
		if (!m || !bd_mapping_pick_bare(scratch, m, k, NULL, &v) ||
		    bd_mapping_placeholder(e, v.data))
			continue;
		for (i = 0; i < c->nstrings; i++)
			if (c->strings[i].rule == k &&
			    !strcmp(c->strings[i].version, v.data))
				x->bare = &c->strings[i];
		x->version = bd_graph_strdup(s->g, v.data);
		rc = x->version ? 0 : BD_ENOMEM;
	}
	bd_buf_release(&v);
	return rc;
}
/* The version of a library a marker named, by its function rules, where
 * its bare rules read none: libwebp states its version only as what
 * WebPGetDecoderVersion() returns, which a program that is not stripped
 * still names. The file is opened again, for these claims only. */
static int function_version(const struct ident *s, const struct bd_component *c,
			    struct claim *x)
{
	const struct bd_mapping *e = x->ms->entry;
	struct bd_probe p = { -1, NULL };
	struct bd_buf v = BD_BUF_INIT;
	bool opened = false, failed = false;
	unsigned r;
	int rc = 0;

	for (r = 0; r < e->version_count && !x->version && !failed; r++) {
		const struct bd_version_rule *vr = &e->version[r];

		if (!vr->function)
			continue;
		if (!opened) {
			opened = true;
			failed = c->error || !c->host ||
				 bd_probe_open(&p, s->root, c->host);
			if (failed)
				break;
		}
		if (!bd_probe_function(&p, vr->function, vr->returns, &v) ||
		    bd_mapping_placeholder(e, v.data))
			continue;
		x->version = bd_graph_strdup(s->g, v.data);
		x->function = bd_arena_printf(
			&s->g->arena, "%s: %s: function \"%s\" returns %s",
			registry_place(&s->g->arena, e), e->name, vr->function,
			vr->returns);
		rc = x->version && x->function ? 0 : BD_ENOMEM;
	}
	bd_probe_close(&p);
	bd_buf_release(&v);
	return rc;
}

/* A versioned claim of the same library. */
static bool has_version(const struct claim *cl, size_t n,
			const struct bd_mapping *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cl[i].ms->entry == e && cl[i].version)
			return true;
	return false;
}

/*
 * The libraries a file's hits name, each once per version: a strings
 * rule's match, or a marker's (versioned by the entry's bare rules when
 * the file holds no strings match of it). Not the file's own library
 * (self), nor one it links dynamically. cl and scratch hold c->nstrings
 * each.
 */
static int claims_of(const struct ident *s, const struct bd_component *c,
		     const struct bd_mapping *self, struct claim *cl,
		     struct bd_string_hit *scratch, size_t *n)
{
	size_t i, out = 0;
	int rc = 0;

	*n = 0;
	for (i = 0; i < c->nstrings; i++) {
		const struct bd_string_hit *h = &c->strings[i];
		const struct bd_mapping_string *ms =
			bd_mappings_string(s->maps, h->rule);

		/* A licence string names its library as a marker does
		 * ("libavcodec license: GPL version 3 or later" is
		 * libavcodec's own), without a version. */
		if (!ms || bare_rule(ms) || (ms->rule >= 0 && !h->version) ||
		    shadowed(s, c, i, ms, self))
			continue;
		/* A rule that read more versions than it kept (a hostile
		 * file, or no copy of the library): which is its own cannot
		 * be told, the library is named without one. */
		add_claim(cl, n, ms, h,
			  rule_crowded(c, h->rule) ||
					  bd_mapping_placeholder(ms->entry,
								 h->version)
				  ? NULL
				  : h->version);
	}
	for (i = 0; i < *n; i++) {
		const struct bd_mapping *e = cl[i].ms->entry;

		if (e == self || linked_dynamically(s, c, e) ||
		    (!cl[i].version && has_version(cl, *n, e)))
			continue;
		cl[out++] = cl[i];
	}
	*n = out;
	for (i = 0; i < *n && !rc; i++)
		if (!cl[i].version)
			rc = bare_version(s, c, &cl[i], cl, *n, scratch);
	for (i = 0; i < *n && !rc; i++)
		if (!cl[i].version)
			rc = function_version(s, c, &cl[i]);
	return rc;
}

/* The one library the hits of an unowned shared object show, which it is
 * then (a renamed copy: libmozsqlite3.so is SQLite); NULL when none or
 * several. */
static int named_by_strings(const struct ident *s, const struct bd_component *c,
			    const struct claim **one, struct claim *cl,
			    struct bd_string_hit *scratch)
{
	size_t i, n;
	int rc = claims_of(s, c, NULL, cl, scratch, &n);

	*one = NULL;
	for (i = 0; !rc && i < n; i++) {
		if (*one && (*one)->ms->entry != cl[i].ms->entry) {
			*one = NULL;
			break;
		}
		if (!*one)
			*one = &cl[i];
	}
	return rc;
}

/* ---- bundled copies ---------------------------------------------------- */

/* A part of what the bundle search found, in the graph (NULL: none);
 * true when out of memory. */
static bool graph_kept(struct bd_graph *g, const struct bd_buf *b,
		       const char **out)
{
	return bd_arena_keep(&g->arena, b->data, b->len, out);
}

static int find_bundle(struct ident *s, struct bd_component *c)
{
	struct bd_bundle_hit hit;
	int rc;

	bd_bundle_hit_init(&hit);
	rc = bd_bundle_find(&s->bundles, c->host, &hit);
	if (!rc &&
	    (graph_kept(s->g, &hit.purl, &c->bundled_in) |
	     graph_kept(s->g, &hit.manifest, &c->bundle_file) |
	     graph_kept(s->g, &hit.license, &c->bundle_license) |
	     graph_kept(s->g, &hit.license_text, &c->bundle_license_text)))
		rc = BD_ENOMEM;
	bd_bundle_hit_release(&hit);
	return rc == BD_ENOMEM ? rc : 0;
}

/* Whether a file of a language package is its own: not an auditwheel
 * copy, whose name carries the hash of another project's library
 * ("libfoo-7e2a72b4.so.1"). */
static bool own_file(const struct bd_component *c)
{
	const char *name = file_name(c);
	struct bd_buf b = BD_BUF_INIT;
	bool own;

	if (!name)
		return false;
	bd_mapping_strip_hash(name, &b);
	own = bd_buf_ok(&b) && !strcmp(b.data, name);
	bd_buf_release(&b);
	return own;
}

/*
 * A file of a language package that no registry entry names (an npm
 * package's esbuild program, a project's own sharp-linux-x64.node) is part
 * of that package (issue 14, point 5): its purl and version are the
 * package's, by its manifest (and its licence, bd_ident_package_licenses).
 * A purl that does not parse leaves the file as it was, tied to the
 * package by bindep:bundled-in only.
 */
static int from_bundle(struct bd_graph *g, struct bd_component *c)
{
	struct bd_purl_parsed parsed;
	struct bd_error e;
	const char *method;
	bool versioned;
	int rc = bd_purl_parse(c->bundled_in, BD_PURL_LENIENT, &parsed, &e);

	if (rc) {
		bd_purl_parsed_release(&parsed);
		return rc == BD_ENOMEM ? rc : 0;
	}
	versioned = parsed.parts.version && *parsed.parts.version;
	c->purl = c->bundled_in;
	if (versioned)
		c->version = bd_graph_strdup(g, parsed.parts.version);
	method = bd_arena_printf(&g->arena, BD_BUNDLE_METHOD "%s%s%s",
				 c->bundled_in, c->bundle_file ? ": " : "",
				 c->bundle_file ? c->bundle_file : "");
	bd_purl_parsed_release(&parsed);
	if (!method || (versioned && !c->version))
		return BD_ENOMEM;
	add_identity(c, "version", c->version, "manifest-analysis", method,
		     1.0);
	add_identity(c, "purl", c->purl, "manifest-analysis", method, 1.0);
	return 0;
}

/* ---- the stage ---------------------------------------------------------- */

/* A file without a soname is named by the first path read for it: a
 * .build-id link's hex name when that came first (Fedora's sort before
 * /usr/libexec). It takes its own path's name. */
static void name_by_own_path(struct bd_component *c)
{
	const char *own = NULL;
	bool by_link = false;
	size_t i;

	if (c->soname ||
	    (c->kind != BD_COMP_EXECUTABLE && c->kind != BD_COMP_LIBRARY &&
	     c->kind != BD_COMP_ELF_OTHER))
		return;
	for (i = 0; i < c->paths.n; i++) {
		const char *p = c->paths.items[i];

		if (!bd_graph_build_id_path(p)) {
			if (!strcmp(base_of(p), c->name))
				return;
			own = own ? own : p;
		} else if (!strcmp(base_of(p), c->name)) {
			by_link = true;
		}
	}
	if (by_link && own)
		c->name = base_of(own);
}

enum { ASKED_NEEDED = 1, ASKED_INTERP = 2, ASKED_DLOPEN = 4 };

/* How each component is asked for, by the edges to it. NULL when out of
 * memory. */
static unsigned char *asked_for(const struct bd_graph *g)
{
	unsigned char *asked = calloc(g->ncomps + 1, 1);
	size_t e;

	for (e = 0; asked && e < g->nedges; e++) {
		const struct bd_edge *x = &g->edges[e];

		asked[x->to] |= x->kind == BD_EDGE_NEEDED	 ? ASKED_NEEDED
				: x->kind == BD_EDGE_INTERP	 ? ASKED_INTERP
				: x->kind == BD_EDGE_DLOPEN_NOTE ? ASKED_DLOPEN
								 : 0;
	}
	return asked;
}

/* What asks for an unresolved component by the name it has: a DT_NEEDED
 * entry, else a PT_INTERP, else only a .note.dlopen entry (a plugin
 * none was found for). */
static const char *asking(const struct ident *s, const struct bd_component *c)
{
	unsigned char how = s->asked ? s->asked[c - s->g->comps] : 0;

	if (!how || (how & ASKED_NEEDED))
		return "DT_NEEDED";
	return how & ASKED_INTERP ? "PT_INTERP" : ".note.dlopen";
}

/* The name is the soname, else the file name, else (nothing provides
 * it) the entry that asks for it: say which. */
static void name_identity(const struct ident *s, struct bd_component *c)
{
	name_by_own_path(c);
	if (c->kind == BD_COMP_UNRESOLVED)
		add_identity(c, "name", c->name, "binary-analysis",
			     asking(s, c), 1.0);
	else if (c->soname && c->name == c->soname)
		add_identity(c, "name", c->name, "binary-analysis", "DT_SONAME",
			     1.0);
	else
		add_identity(c, "name", c->name, "filename", "file name", 0.5);
}

/* Whether a name holds a stem of at least 3 bytes, case aside. */
static bool holds_stem(const char *name, const char *stem, size_t len)
{
	const char *p;

	if (!name || len < 3)
		return false;
	for (p = name; strlen(p) >= len; p++)
		if (!strncasecmp(p, stem, len))
			return true;
	return false;
}

/* The stem of a file pattern: its literal start, without "lib", up to a
 * '.', '-' or wildcard ("libsqlite3.so*": "sqlite3"). */
static const char *pattern_stem(const char *pattern, size_t *len)
{
	if (!strncmp(pattern, "lib", 3))
		pattern += 3;
	*len = strcspn(pattern, ".-*?[\\");
	return pattern;
}

/*
 * Whether the file's name or soname says the library's: one of its
 * patterns' stems, or its name ("libmozsqlite3.so", a vendor's
 * "libzstd-custom.so"). A shared object whose strings show one library is
 * that library only then: Thunderbird's libgkcodecs.so, whose strings show
 * aom's only, holds aom, opus and vpx.
 */
static bool name_says(const struct bd_component *c, const struct bd_mapping *e)
{
	const char *names[2] = { file_name(c), c->soname }, *stem;
	size_t i, k, len;

	for (i = 0; i < 2; i++) {
		if (holds_stem(names[i], e->name, strlen(e->name)))
			return true;
		for (k = 0; k < e->files_count; k++) {
			stem = pattern_stem(e->files[k], &len);
			if (holds_stem(names[i], stem, len))
				return true;
		}
	}
	return false;
}

/*
 * Whether a file is a language's extension module: a Node-API addon
 * ("better_sqlite3.node") or a CPython/PyPy extension ("_x.cpython-311-
 * x86_64-linux-gnu.so", "_x.abi3.so"; PEP 3149, PEP 384). The runtime loads
 * it by its path as its package's own code, never as a renamed copy of a
 * library: a library its strings show is linked into it statically
 * (issue 14, point 5: better-sqlite3's addon holds SQLite, it is not it).
 */
static bool extension_module(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return (n > 5 && !strcmp(name + n - 5, ".node")) ||
	       (n > 3 && !strcmp(name + n - 3, ".so") &&
		(strstr(name, ".cpython-") || strstr(name, ".pypy") ||
		 strstr(name, ".abi3.")));
}

/* An unowned shared object no name maps: the library its hits show, when
 * its name says so. */
static int by_strings(struct ident *s, struct bd_component *c,
		      const struct bd_mapping **e,
		      const struct bd_mapping_string **named,
		      const struct bd_string_hit **hit)
{
	const struct claim *one;
	int rc = named_by_strings(s, c, &one, s->claims, s->scratch);

	if (!rc && one && name_says(c, one->ms->entry)) {
		*e = one->ms->entry;
		*named = one->ms;
		*hit = one->hit;
	}
	return rc;
}

static int identify_one(struct ident *s, struct bd_component *c)
{
	/* A file of an artifact is the artifact's, whatever the root has at
	 * the same path. */
	const struct bd_package *p =
		c->in_artifact ? NULL : bd_pkgdb_owner(s->db, c->inside);
	const struct bd_mapping_string *named = NULL;
	const struct bd_string_hit *hit = NULL;
	const struct bd_mapping *e;
	int rc = 0;

	if (c->kind == BD_COMP_ARTIFACT || c->kind == BD_COMP_STATIC)
		return 0; /* named by its manifest (input stage), its hits */
	name_identity(s, c);
	if (c->kind == BD_COMP_UNRESOLVED)
		return 0;
	if (p)
		rc = from_database(s, c, p);
	else if (c->npackage_note && !c->package_file)
		rc = from_note(s->g, c);
	e = bd_mappings_identify(s->maps, os_of(s, c), c->source_package,
				 file_name(c), c->soname);
	if (!rc && !e && !c->purl && c->kind == BD_COMP_LIBRARY &&
	    c->nstrings && !extension_module(file_name(c)))
		rc = by_strings(s, c, &e, &named, &hit);
	if (!rc && e)
		rc = from_mapping(s, c, e, named, hit);
	if (!rc && c->npackage_note)
		rc = cpe_from_note(s->g, c);
	/* A Go program nothing above named is its main module's build,
	 * before the language package that ships it (from_bundle); one a
	 * package owns is the package's, a purl made of it or not. */
	if (!rc && !p && !e && !c->purl)
		rc = bd_ident_go_main(s->g, c);
	/* Every ELF file, a program's as a library's (issue 14, point 5). */
	if (!rc && !p && c->host && !c->in_artifact)
		rc = find_bundle(s, c);
	if (!rc && !e && !c->purl && c->bundled_in && own_file(c))
		rc = from_bundle(s->g, c);
	/* A known library in the scanned tree, or in a language package,
	 * that no package database owns: somebody copied it there. */
	c->vendored = !p && e && c->kind == BD_COMP_LIBRARY &&
		      !c->package_file && (c->is_input || c->bundled_in);
	s->entry_of[c - s->g->comps] = e;
	return rc;
}

/* ---- statically linked libraries (issue 14) ------------------------------ */

static void static_identities(struct ident *s, struct bd_component *c,
			      const struct claim *x)
{
	const char *named = string_method(s, x->ms, x->hit);
	double confidence = x->ms->rule >= 0 ? 0.8 : x->version ? 0.6 : 0.5;

	add_identity(c, "name", c->name, "binary-analysis", named, confidence);
	if (x->version)
		add_identity(
			c, "version", c->version, "binary-analysis",
			x->bare	      ? string_method(s,
						      bd_mappings_string(
							      s->maps, x->bare->rule),
						      x->bare)
			: x->function ? x->function
				      : named,
			confidence);
	add_identity(c, "purl", c->purl, "binary-analysis", named, confidence);
}

/* The component of library e at version (NULL: none read), one per
 * library and version, and licence where the file that holds it states
 * one (stated): a GPL build of FFmpeg's libraries and an LGPL one are
 * two. *made when it is new, for the caller to give its identities. */
static int static_component(struct ident *s, const struct bd_mapping *e,
			    const char *version, const struct stated *stated,
			    uint32_t *id, bool *made)
{
	struct bd_graph *g = s->g;
	const char *key =
		stated->license
			? bd_arena_printf(&g->arena, "static:%s@%s#%s", e->name,
					  version ? version : "",
					  stated->license)
			: bd_arena_printf(&g->arena, "static:%s@%s", e->name,
					  version ? version : "");
	struct bd_component *c;
	int rc;

	*made = false;
	if (!key)
		return BD_ENOMEM;
	if (bd_graph_find(g, key, id))
		return 0;
	rc = bd_graph_add(g, key, BD_COMP_STATIC, id);
	if (rc)
		return rc;
	c = bd_graph_comp(g, *id);
	c->name = bd_graph_strdup(g, e->name);
	c->version = version ? bd_graph_strdup(g, version) : NULL;
	c->upstream_version = c->version;
	rc = describe_upstream(s, c, e);
	if (!rc && stated->license)
		rc = license_from_string(s, c, stated);
	if (rc || !c->name || (version && !c->version))
		return BD_ENOMEM;
	c->purl = c->upstream_purl;
	*made = true;
	return 0;
}

/* A library compiled into the file: its component, one per library and
 * version (ten binaries holding zlib 1.2.13 share one), and the edge. */
static int add_static(struct ident *s, uint32_t file, const struct claim *x)
{
	struct stated stated;
	uint32_t id;
	bool made;
	int rc = stated_for(s, file, x->ms->entry, &stated);

	if (!rc)
		rc = static_component(s, x->ms->entry, x->version, &stated, &id,
				      &made);
	if (rc)
		return rc;
	if (made)
		static_identities(s, bd_graph_comp(s->g, id), x);
	return bd_graph_add_edge(s->g, file, id, BD_EDGE_STATIC, NULL);
}

/* ---- an artifact's own manifest of what it links in (issue 14) ---------- */

/* The manifest the file's entry names, next to the file (a file read from
 * an archive has no place on disk: none). Absent: nothing; unreadable or
 * not of its format: said once per manifest, and nothing. */
static int read_manifest(struct ident *s, const struct bd_component *c,
			 const struct bd_mapping *e, struct bd_manifest *out)
{
	const char *slash = c->host ? strrchr(c->host, '/') : NULL;
	const char *rel = e && e->manifest ? e->manifest->path : NULL;
	struct bd_buf path = BD_BUF_INIT;
	struct bd_error err;
	char *text = NULL;
	const char *key;
	size_t len, dir;
	uint32_t seen;
	int rc;

	if (!rel || !slash)
		return 0;
	/* "../versions.json" of "/p/lib/x.so" is "/p/versions.json" (the
	 * reader keeps a path below a --root; this is for the messages). */
	dir = (size_t)(slash - c->host);
	while (!strncmp(rel, "../", 3) && dir > 0) {
		while (dir > 0 && c->host[dir - 1] != '/')
			dir--;
		if (dir > 0)
			dir--;
		rel += 3;
	}
	bd_buf_add(&path, c->host, dir);
	if (dir > 0 || c->host[0] == '/')
		bd_buf_addc(&path, '/');
	bd_buf_adds(&path, rel);
	if (!bd_buf_ok(&path)) {
		bd_buf_release(&path);
		return BD_ENOMEM;
	}
	/* The reader's errors name the path; the parser's do not. */
	rc = bd_root_read(s->root, path.data, 0, BD_MANIFEST_MAX_BYTES, &text,
			  &len, &err);
	if (!rc && bd_manifest_parse(text, len, out, &err)) {
		struct bd_error parsed = err;

		rc = bd_error_set(&err, parsed.code, "'%s': %s",
				  bd_root_shown(s->root, path.data),
				  parsed.msg);
	}
	free(text);
	if (rc && rc != BD_ENOENT && rc != BD_ENOMEM &&
	    !bd_map_get(&s->manifests_said, path.data, &seen)) {
		bd_diag_report(s->diag, BD_DIAG_WARNING,
			       "%s, not read as %s's manifest", err.msg,
			       e->name);
		/* The map keeps the key, not a copy. */
		key = bd_graph_strdup(s->g, path.data);
		rc = key ? bd_map_put(&s->manifests_said, key, 0) : BD_ENOMEM;
	} else if (rc != BD_ENOMEM) {
		rc = 0;
	}
	bd_buf_release(&path);
	return rc;
}

/* A library the manifest lists: the same component as the string pass
 * would make of it (one per library and version), by the manifest. */
static int add_listed(struct ident *s, uint32_t file,
		      const struct bd_mapping *owner,
		      const struct bd_mapping *e,
		      const struct bd_manifest_item *item)
{
	struct bd_graph *g = s->g;
	const char *method;
	struct bd_component *c;
	uint32_t id;
	struct stated stated;
	bool made;
	int rc = stated_for(s, file, e, &stated);

	if (!rc)
		rc = static_component(s, e, item->version, &stated, &id, &made);
	if (rc)
		return rc;
	if (made) {
		c = bd_graph_comp(g, id);
		method = bd_arena_printf(
			&g->arena,
			"%s: %s: manifest \"%s\" lists \"%s\": \"%s\"",
			registry_place(&g->arena, owner), owner->name,
			owner->manifest->path, item->name, item->version);
		if (!method)
			return BD_ENOMEM;
		bd_ident_manifest_identities(c, method);
	}
	return bd_graph_add_edge(g, file, id, BD_EDGE_STATIC, NULL);
}

/* The libraries the manifest lists that the registry knows, but the
 * file's own; each entry found in *listed (n of them). */
static int manifest_pass(struct ident *s, uint32_t file,
			 const struct bd_mapping *owner,
			 const struct bd_manifest *man,
			 const struct bd_mapping **listed, size_t *n)
{
	size_t i;
	int rc = 0;

	*n = 0;
	for (i = 0; i < man->n && !rc; i++) {
		const struct bd_mapping *e = bd_mappings_by_manifest_name(
			s->maps, man->items[i].name);

		if (!e || e == owner)
			continue;
		listed[(*n)++] = e;
		rc = add_listed(s, file, owner, e, &man->items[i]);
	}
	return rc;
}

static bool is_listed(const struct bd_mapping *const *listed, size_t n,
		      const struct bd_mapping *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (listed[i] == e)
			return true;
	return false;
}

/* Every scanned file's hits, but for its own library and those it links
 * dynamically, become components of their own; and what its manifest
 * lists, which says their versions where the strings may not. */
static int static_pass(struct ident *s, size_t ncomps)
{
	const struct bd_mapping *listed[BD_MANIFEST_MAX_NAMES];
	size_t i, k, n, nlisted;
	int rc = 0;

	for (i = 0; i < ncomps && !rc; i++) {
		const struct bd_component *c = &s->g->comps[i];
		const struct bd_mapping *e = s->entry_of[i];
		struct bd_manifest man = { NULL, 0 };

		if (c->kind == BD_COMP_ARTIFACT || c->kind == BD_COMP_STATIC ||
		    c->kind == BD_COMP_UNRESOLVED)
			continue;
		nlisted = 0;
		rc = read_manifest(s, c, e, &man);
		if (!rc)
			rc = manifest_pass(s, (uint32_t)i, e, &man, listed,
					   &nlisted);
		bd_manifest_release(&man);
		/* The graph may have grown: the component again. */
		c = &s->g->comps[i];
		if (rc || !c->nstrings)
			continue;
		rc = claims_of(s, c, e, s->claims, s->scratch, &n);
		for (k = 0; !rc && k < n; k++)
			if (!is_listed(listed, nlisted, s->claims[k].ms->entry))
				rc = add_static(s, (uint32_t)i, &s->claims[k]);
	}
	return rc;
}

/* ---- loading ---------------------------------------------------------- */

/* The registry, and its string rules compiled for the scan (a registry
 * past the matcher's caps is still used by names). */
static void load_mappings(struct bd_mappings *maps,
			  const struct bd_ident_options *o,
			  const struct bd_diag *diag)
{
	struct bd_error e;
	size_t i;

	maps->diag = diag; /* a purl mended on the way in is said */
	if (o) {
		maps->builtin = o->builtin;
		maps->nbuiltin = o->nbuiltin;
	}
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
	if (bd_mappings_compile(maps, &e))
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "the registry's string rules: %s, searching "
			       "for none",
			       e.msg);
}

static void keep_report(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct bd_buf *b = ctx;

	bd_buf_addc(b, (char)('0' + level));
	bd_buf_add(b, msg, strlen(msg) + 1);
}

/* The purl registry's directory, said once when it is none. */
static bool registry_usable(const struct bd_ident_options *o,
			    const struct bd_diag *diag)
{
	struct bd_error e;

	if (!o || !o->registry_dir || !bd_registry_check(o->registry_dir, &e))
		return true;
	bd_diag_report(diag, BD_DIAG_WARNING, "%s, adding nothing from it",
		       e.msg);
	return false;
}

static void load_registry(struct bd_ident_load *l)
{
	load_mappings(&l->maps, l->opts, &l->map_diag);
	l->no_registry = !registry_usable(l->opts, &l->map_diag);
	pthread_mutex_lock(&l->lock);
	l->maps_ready = true;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->lock);
}

/* The owners of the files read, then of those merged, as each is named
 * (bd_ident_prepared, bd_ident_merged): the file lists are read for them
 * while the main thread merges them and searches for what they need (the
 * second CPU is mostly idle then). */
static void owners_early(struct bd_ident_load *l, const struct bd_diag *diag)
{
	struct bd_error e;
	const char **names;
	unsigned k;

	for (k = 0; k < BD_ARRAY_SIZE(l->early) && !l->rc; k++) {
		pthread_mutex_lock(&l->lock);
		while (l->nhanded <= k && !l->closed)
			pthread_cond_wait(&l->cv, &l->lock);
		names = k < l->nhanded ? l->early[k] : NULL;
		pthread_mutex_unlock(&l->lock);
		if (!names)
			break;
		l->rc = bd_pkgdb_load_files(&l->db, l->root, names,
					    l->nearly[k], diag, &e);
	}
}

/* Gives owners_early its next names (NULL: none more to come, it goes on
 * without); past the two it takes, they are freed. */
static void hand_over(struct bd_ident_load *l, const char **names, size_t n)
{
	pthread_mutex_lock(&l->lock);
	if (!names) {
		l->closed = true;
	} else if (!l->closed && l->nhanded < BD_ARRAY_SIZE(l->early)) {
		l->early[l->nhanded] = names;
		l->nearly[l->nhanded++] = n;
		names = NULL;
	}
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->lock);
	free(names);
}

/* The base names identify_one asks bd_pkgdb_owner about: the root's
 * files, not an artifact's. NULL when out of memory. */
static const char **owned_names(const struct bd_graph *g, size_t *n)
{
	const char **names = malloc((g->ncomps + 1) * sizeof(*names));
	size_t i;

	*n = 0;
	for (i = 0; names && i < g->ncomps; i++)
		if (!g->comps[i].in_artifact && g->comps[i].inside)
			names[(*n)++] = g->comps[i].inside;
	return names;
}

void bd_ident_merged(struct bd_ident_load *l, const struct bd_graph *g)
{
	const char **names;
	size_t n;

	if (!l || !l->threaded)
		return;
	names = owned_names(g, &n);
	if (names)
		hand_over(l, names, n);
}

struct inode_id {
	dev_t dev;
	ino_t ino;
};

static int by_inode(const void *a, const void *b)
{
	const struct inode_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* The walked files' names bd_ident_prepared hands over: each file that
 * kept a read (an ELF file), the host path it was read by (a link's
 * target under --root), and every walked name of an inode read (the
 * link's target read for the link, and the other way round). Not an
 * artifact's files. NULL when out of memory. */
static const char **prepared_names(const struct bd_walk *w, size_t *n)
{
	struct inode_id *read = malloc((w->nfiles + 1) * sizeof(*read));
	const char **names = malloc((2 * w->nfiles + 1) * sizeof(*names));
	const char **shrunk;
	size_t i, nread = 0;

	*n = 0;
	if (!read || !names) {
		free(read);
		free(names);
		return NULL;
	}
	for (i = 0; i < w->nfiles; i++)
		if (w->files[i].scan && !w->files[i].inside)
			read[nread++] = (struct inode_id){ w->files[i].dev,
							   w->files[i].ino };
	qsort(read, nread, sizeof(*read), by_inode);
	for (i = 0; i < w->nfiles; i++) {
		const struct bd_walk_file *f = &w->files[i];
		struct inode_id id = { f->dev, f->ino };

		if (f->inside)
			continue;
		if (f->scan ||
		    bsearch(&id, read, nread, sizeof(*read), by_inode))
			names[(*n)++] = f->path;
		if (f->scan && strcmp(f->host, f->path))
			names[(*n)++] = f->host;
	}
	free(read);
	/* Held until the load is joined: 200,000 text files have none. */
	shrunk = realloc(names, (*n + 1) * sizeof(*names));
	return shrunk ? shrunk : names;
}

void bd_ident_prepared(struct bd_ident_load *l, const struct bd_walk *w)
{
	const char **names;
	size_t n;

	if (!l || !l->threaded)
		return;
	names = prepared_names(w, &n);
	if (names)
		hand_over(l, names, n);
}

static void *load(void *arg)
{
	struct bd_ident_load *l = arg;
	struct bd_diag diag = { keep_report, &l->msgs };
	struct bd_error e;

	if (!l->maps_ready) /* else read by bd_ident_load_start */
		load_registry(l);
	/* Second to the scanning threads, which use every CPU meanwhile: the
	 * load fills their gaps and the time after them. */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	l->rc = bd_pkgdb_load(&l->db, l->root, &diag, &e);
	if (!l->rc && l->threaded)
		owners_early(l, &diag);
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
	l->db.defer_files = true; /* read for the names found (bd_identify) */
	bd_mappings_init(&l->maps);
	bd_buf_init(&l->msgs);
	bd_buf_init(&l->map_msgs);
	l->map_diag = (struct bd_diag){ keep_report, &l->map_msgs };
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cv, NULL);
	/* The thread takes no signal: they are the main thread's, which
	 * blocks them while it starts the private directory's sentinel
	 * (input.c). No thread to be had: the registry is read now (the
	 * scan searches for its string rules), and bd_identify reads the
	 * databases itself. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	l->threaded = true; /* before the thread reads it */
	if (pthread_create(&l->thread, NULL, load, l))
		l->threaded = false;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!l->threaded)
		load_registry(l);
	return 0;
}

/* Waits for the load, or runs it when no thread does. */
static void join(struct bd_ident_load *l)
{
	if (l->done)
		return;
	if (l->threaded) {
		hand_over(l, NULL, 0); /* none more to come */
		pthread_join(l->thread, NULL);
	} else
		load(l);
	l->done = true;
}

int bd_ident_owners(struct bd_ident_load *l, const char *const *paths, size_t n,
		    struct bd_ident_source *out)
{
	struct bd_diag diag;
	struct bd_error e;
	size_t i;
	int rc;

	memset(out, 0, n * sizeof(*out));
	if (!l)
		return 0;
	join(l);
	/* A load that failed fails bd_identify, which says so. */
	if (l->rc)
		return 0;
	diag = (struct bd_diag){ keep_report, &l->msgs };
	rc = bd_pkgdb_load_files(&l->db, l->root, paths, n, &diag, &e);
	for (i = 0; !rc && i < n; i++) {
		const struct bd_package *p = bd_pkgdb_owner(&l->db, paths[i]);

		if (!p)
			continue;
		out[i].type = p->type;
		out[i].name = p->source ? p->source : p->name;
		out[i].version =
			p->source_version ? p->source_version : p->version;
	}
	return rc;
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
	bd_buf_release(&l->map_msgs);
	free(l->early[0]);
	free(l->early[1]);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->cv);
	free(l);
}

const struct bd_strrules *bd_ident_strings(struct bd_ident_load *l)
{
	if (!l)
		return NULL;
	pthread_mutex_lock(&l->lock);
	while (!l->maps_ready)
		pthread_cond_wait(&l->cv, &l->lock);
	pthread_mutex_unlock(&l->lock);
	return l->maps.strings;
}

/* Warnings kept, in the order given. */
static int replay(const struct bd_buf *msgs, const struct bd_diag *diag)
{
	size_t off = 0;

	if (!bd_buf_ok(msgs))
		return BD_ENOMEM;
	while (off < msgs->len) {
		const char *msg = msgs->data + off + 1;

		bd_diag_report(diag,
			       (enum bd_diag_level)(msgs->data[off] - '0'),
			       "%s", msg);
		off += 2 + strlen(msg);
	}
	return 0;
}

/*
 * The file lists the load left, read for the files of the root the graph
 * holds: bd_pkgdb_owner is asked about them, and only them.
 */
static int load_owned(struct bd_ident_load *l, const struct bd_graph *g,
		      const struct bd_diag *diag)
{
	struct bd_error e;
	size_t n;
	const char **names = owned_names(g, &n);
	int rc;

	if (!names)
		return BD_ENOMEM;
	rc = bd_pkgdb_load_files(&l->db, l->root, names, n, diag, &e);
	if (!rc)
		rc = bd_pkgdb_files_done(&l->db, l->root, diag, &e);
	free(names);
	return rc;
}

/* Whether an SBOM an artifact carries gave the file a licence that is
 * no expression (bindep:embedded:license): its word on the file. */
static bool carried_license(const struct bd_component *c)
{
	size_t i;

	for (i = 0; c->carried && i < c->carried->nprops; i++)
		if (!strcmp(c->carried->props[i].key,
			    "bindep:embedded:license"))
			return true;
	return false;
}

/* Whether c is a file of the package whose licence it holds: one an
 * installed package's database owns (bundled_in NULL), or one whose purl
 * is its language package's. */
static bool own_of_package(const struct bd_component *c)
{
	if (!c->bundle_license && !c->bundle_license_text)
		return false;
	if (!c->bundled_in)
		return true;
	return c->purl && !strcmp(c->purl, c->bundled_in);
}

void bd_ident_package_licenses(struct bd_graph *g)
{
	size_t i;

	for (i = 0; i < g->ncomps; i++) {
		struct bd_component *c = &g->comps[i];

		if (!c->license && !c->license_text && !carried_license(c) &&
		    own_of_package(c)) {
			c->license = c->bundle_license;
			c->license_text = c->bundle_license_text;
			c->license_source = c->bundle_license_source;
		}
	}
}

int bd_identify(struct bd_graph *g, struct bd_ident_load *l,
		const struct bd_diag *diag, struct bd_error *err)
{
	struct ident s = { .g = g, .root = l->root, .diag = diag };
	size_t i, ncomps = g->ncomps;
	int rc;

	join(l);
	rc = replay(&l->msgs, diag);
	if (!rc && !l->rc)
		rc = load_owned(l, g, diag);
	if (!rc)
		rc = replay(&l->map_msgs, diag);
	if (!rc)
		rc = l->rc;
	s.db = &l->db;
	s.maps = &l->maps;
	s.registry_dir =
		l->opts && !l->no_registry ? l->opts->registry_dir : NULL;
	bd_map_init(&s.registry_seen);
	bd_map_init(&s.manifests_said);
	bd_map_init(&s.licenses_said);
	bd_dpkg_copyrights_init(&s.copyrights);
	bd_bundle_search_init(&s.bundles, l->root, diag);
	s.bundles.relative = l->opts ? l->opts->relative : NULL;
	s.entry_of = calloc(ncomps + 1, sizeof(*s.entry_of));
	s.deb_of = calloc(ncomps + 1, sizeof(*s.deb_of));
	s.asked = asked_for(g); /* only a better word: none without room */
	s.claims = malloc(BD_STRHITS_MAX * sizeof(*s.claims));
	/* Only to spare work: without room, each file formats its own. */
	s.packages = s.db->n ? calloc(s.db->n, sizeof(*s.packages)) : NULL;
	s.scratch = malloc(BD_STRHITS_MAX * sizeof(*s.scratch));
	if (!rc && (!s.entry_of || !s.deb_of || !s.claims || !s.scratch))
		rc = BD_ENOMEM;
	for (i = 0; !rc && i < ncomps; i++)
		rc = identify_one(&s, &g->comps[i]);
	if (!rc)
		rc = static_pass(&s, ncomps);
	if (!rc)
		rc = bd_ident_go_modules(g, ncomps);
	if (!rc)
		rc = bd_ident_cargo_crates(g, ncomps);
	if (!rc)
		rc = read_copyrights(&s, ncomps);
	free(s.entry_of);
	free(s.deb_of);
	free(s.asked);
	free(s.packages);
	free(s.claims);
	free(s.scratch);
	for (i = 0; i < s.nregistry; i++)
		bd_registry_package_free(s.registry[i]);
	free(s.registry);
	bd_map_release(&s.registry_seen);
	bd_map_release(&s.manifests_said);
	bd_map_release(&s.licenses_said);
	bd_dpkg_copyrights_release(&s.copyrights);
	bd_bundle_search_release(&s.bundles);
	return rc ? bd_error_set(err, BD_ENOMEM, "out of memory") : 0;
}
