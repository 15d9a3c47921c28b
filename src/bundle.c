/* SPDX-License-Identifier: MIT */
#include "bindep/bundle.h"
#include "bindep/artifact.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST_MAX (4u << 20)

void bd_bundle_search_init(struct bd_bundle_search *s,
			   const struct bd_root *root,
			   const struct bd_diag *diag)
{
	s->root = root;
	s->diag = diag;
	bd_arena_init(&s->arena);
	bd_map_init(&s->warned);
	bd_map_init(&s->dirs);
	bd_map_init(&s->listed);
	bd_map_init(&s->parents);
	s->parentv = NULL;
	s->nparents = s->aparents = 0;
	s->dirv = NULL;
	s->ndirs = s->adirs = 0;
	s->wheels = NULL;
	s->nwheels = s->awheels = 0;
	s->relative = NULL;
	s->manifest_bytes = 0;
	s->over_budget = false;
}

void bd_bundle_search_release(struct bd_bundle_search *s)
{
	free(s->dirv);
	free(s->wheels);
	free(s->parentv);
	bd_map_release(&s->parents);
	bd_map_release(&s->listed);
	bd_map_release(&s->dirs);
	bd_map_release(&s->warned);
	bd_arena_release(&s->arena);
}

/* A host path as the user knows it: inside the root under --root
 * ("/opt/app/node_modules/x/package.json"), else as the files of the tree
 * scanned are (relative to the current directory, or as it is). */
static const char *shown(const struct bd_bundle_search *s, const char *host)
{
	size_t n;

	if (!s->root || bd_root_is_host(s->root))
		return bd_relative_path(s->relative, host);
	n = s->root->hostlen;
	if (strncmp(host, s->root->host, n) || (host[n] && host[n] != '/'))
		return host;
	return host[n] ? host + n : "/";
}

/* Whether the run's budget of manifest bytes is spent; says so once,
 * naming the first manifest left unread. */
static bool over_budget(struct bd_bundle_search *s, const char *path)
{
	if (s->manifest_bytes < BD_BUNDLE_MAX_MANIFEST_BYTES)
		return false;
	if (!s->over_budget)
		bd_diag_report(s->diag, BD_DIAG_WARNING,
			       "'%s': over 256 MiB of package manifests read "
			       "in this run, this and the rest not read",
			       shown(s, path));
	s->over_budget = true;
	return true;
}

/* A small text file, NUL-terminated (malloc'd), or NULL. */
static char *read_text(struct bd_bundle_search *s, const char *path)
{
	struct bd_error e;
	const char *key;
	char *text;
	size_t len = 0;
	int rc;

	if (over_budget(s, path))
		return NULL;
	rc = bd_root_read(s->root, path, 0, MANIFEST_MAX, &text, &len, &e);
	s->manifest_bytes += len;
	if (!rc || rc == BD_ENOENT || rc == BD_ENOMEM ||
	    bd_map_get(&s->warned, path, NULL))
		return rc ? NULL : text;
	key = bd_arena_strdup(&s->arena, path);
	if (key && !bd_map_put(&s->warned, key, 0))
		bd_diag_report(s->diag, BD_DIAG_WARNING, "%s, not read", e.msg);
	return NULL;
}

void bd_bundle_hit_init(struct bd_bundle_hit *h)
{
	bd_buf_init(&h->purl);
	bd_buf_init(&h->manifest);
	bd_buf_init(&h->license);
	bd_buf_init(&h->license_text);
}

void bd_bundle_hit_release(struct bd_bundle_hit *h)
{
	bd_buf_release(&h->purl);
	bd_buf_release(&h->manifest);
	bd_buf_release(&h->license);
	bd_buf_release(&h->license_text);
}

static bool hit_ok(const struct bd_bundle_hit *h)
{
	return bd_buf_ok(&h->purl) && bd_buf_ok(&h->manifest) &&
	       bd_buf_ok(&h->license) && bd_buf_ok(&h->license_text);
}

/* What a package found says of its files, appended to hit. */
static int found(const struct bd_bundle_pkg *p, struct bd_bundle_hit *hit)
{
	if (!p->purl)
		return BD_ENOENT;
	bd_buf_adds(&hit->purl, p->purl);
	bd_buf_adds(&hit->manifest, p->manifest);
	if (p->license)
		bd_buf_adds(&hit->license, p->license);
	if (p->license_text)
		bd_buf_adds(&hit->license_text, p->license_text);
	return 0;
}

/* What a manifest read says (its purl NULL when it names nothing):
 * wheel's METADATA or a package.json, read as an artifact's are
 * (artifact.c), a missing version no error. */
static int read_pkg(struct bd_bundle_search *s, const char *text, bool npm,
		    const char *path, struct bd_bundle_pkg *p)
{
	struct bd_artifact_id id;
	int rc;
	bool oom;

	memset(p, 0, sizeof(*p));
	bd_artifact_id_init(&id);
	rc = npm ? bd_artifact_npm(text, BD_ARTIFACT_ANY_VERSION, &id, NULL)
		 : bd_artifact_wheel(text, NULL, BD_ARTIFACT_ANY_VERSION, &id,
				     NULL);
	if (rc) {
		bd_artifact_id_release(&id);
		return rc == BD_ENOMEM ? rc : 0;
	}
	oom = bd_arena_keep(&s->arena, id.purl.data, id.purl.len, &p->purl) |
	      bd_arena_keep(&s->arena, id.license.data, id.license.len,
			    &p->license) |
	      bd_arena_keep(&s->arena, id.license_text.data,
			    id.license_text.len, &p->license_text);
	p->manifest = bd_arena_strdup(&s->arena, shown(s, path));
	bd_artifact_id_release(&id);
	return oom || !p->manifest ? BD_ENOMEM : 0;
}

static bool is_dist_info(const char *name)
{
	size_t len = strlen(name);

	return len > 10 && !strcmp(name + len - 10, ".dist-info");
}

/* Remembers each path a wheel's RECORD lists ("numpy.libs/libx.so,
 * sha256=...,123": the text up to the first comma), keyed by the
 * directory's index, for the wheel. */
static int add_record(struct bd_bundle_search *s, size_t dir, size_t wheel,
		      const char *record)
{
	const char *p = record;

	while (*p) {
		size_t len = strcspn(p, ",\n");
		char *key;

		if (p[len] == ',') {
			key = bd_arena_printf(&s->arena, "%zu/%.*s", dir,
					      (int)len, p);
			if (!key)
				return BD_ENOMEM;
			/* The first wheel to list a path keeps it. */
			if (!bd_map_get(&s->listed, key, NULL) &&
			    bd_map_put(&s->listed, key, (uint32_t)wheel))
				return BD_ENOMEM;
		}
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	return 0;
}

/* One "*.dist-info" directory of dir: its RECORD read once. */
static int add_wheel(struct bd_bundle_search *s, size_t index, const char *dir,
		     const char *name)
{
	struct bd_buf path = BD_BUF_INIT;
	struct bd_bundle_wheel *w;
	char *record;
	int rc = 0;

	bd_buf_printf(&path, "%s/%s/RECORD", dir, name);
	if (!bd_buf_ok(&path))
		return BD_ENOMEM;
	record = read_text(s, path.data);
	if (record) {
		bd_buf_reset(&path);
		bd_buf_printf(&path, "%s/%s/METADATA", dir, name);
		if (BD_GROW(s->wheels, s->awheels, s->nwheels + 1) ||
		    !bd_buf_ok(&path))
			rc = BD_ENOMEM;
	}
	if (record && !rc) {
		w = &s->wheels[s->nwheels];
		w->metadata = bd_arena_strdup(&s->arena, path.data);
		memset(&w->pkg, 0, sizeof(w->pkg));
		w->tried = false;
		rc = w->metadata ? add_record(s, index, s->nwheels, record)
				 : BD_ENOMEM;
		s->nwheels++;
		s->dirv[index].has_wheels = true;
	}
	free(record);
	bd_buf_release(&path);
	return rc;
}

/* The wheels of dir, at most BD_BUNDLE_MAX_DIST_INFO. */
static int scan_wheels(struct bd_bundle_search *s, size_t index,
		       const char *dir)
{
	struct dirent *de;
	size_t seen = 0;
	int rc = 0, cut = 0;
	DIR *d;

	if (bd_root_opendir(s->root, dir, &d, NULL))
		return 0;
	while (!rc && (de = bd_readdir(d, &cut))) {
		if (!is_dist_info(de->d_name))
			continue;
		if (++seen > BD_BUNDLE_MAX_DIST_INFO) {
			bd_diag_report(s->diag, BD_DIAG_WARNING,
				       "'%s': more than %u .dist-info "
				       "directories, the rest not read",
				       shown(s, dir), BD_BUNDLE_MAX_DIST_INFO);
			break;
		}
		rc = add_wheel(s, index, dir, de->d_name);
	}
	closedir(d);
	bd_readdir_warn(s->diag, shown(s, dir), cut);
	return rc;
}

/* dir's package.json, read once. */
static int scan_npm(struct bd_bundle_search *s, size_t index, const char *dir)
{
	struct bd_buf path = BD_BUF_INIT;
	char *json;
	int rc = 0;

	bd_buf_printf(&path, "%s/package.json", dir);
	if (!bd_buf_ok(&path))
		return BD_ENOMEM;
	json = read_text(s, path.data);
	if (json)
		rc = read_pkg(s, json, true, path.data, &s->dirv[index].npm);
	free(json);
	bd_buf_release(&path);
	return rc;
}

/* The index of what dir holds, its manifests read on the first visit
 * only: a directory with neither wheels nor package.json is remembered
 * as holding nothing. */
static int visit_dir(struct bd_bundle_search *s, const char *dir, size_t *index)
{
	uint32_t i;
	char *key;
	int rc;

	if (bd_map_get(&s->dirs, dir, &i)) {
		*index = i;
		return 0;
	}
	key = bd_arena_strdup(&s->arena, dir);
	if (!key || BD_GROW(s->dirv, s->adirs, s->ndirs + 1))
		return BD_ENOMEM;
	*index = s->ndirs++;
	memset(&s->dirv[*index], 0, sizeof(s->dirv[*index]));
	if (bd_map_put(&s->dirs, key, (uint32_t)*index))
		return BD_ENOMEM;
	rc = scan_wheels(s, *index, dir);
	return rc ? rc : scan_npm(s, *index, dir);
}

/* A wheel of dir whose RECORD lists rel, its METADATA read once. */
static int find_wheel(struct bd_bundle_search *s, size_t index, const char *rel,
		      struct bd_bundle_hit *hit)
{
	struct bd_buf key = BD_BUF_INIT;
	struct bd_bundle_wheel *w;
	uint32_t i;
	char *metadata;
	int rc = BD_ENOENT;

	bd_buf_printf(&key, "%zu/%s", index, rel);
	if (!bd_buf_ok(&key))
		return BD_ENOMEM;
	if (bd_map_get(&s->listed, key.data, &i)) {
		w = &s->wheels[i];
		if (!w->tried) {
			w->tried = true;
			metadata = read_text(s, w->metadata);
			rc = metadata ? read_pkg(s, metadata, false,
						 w->metadata, &w->pkg)
				      : 0;
			free(metadata);
		}
		if (rc != BD_ENOMEM)
			rc = found(&w->pkg, hit);
	}
	bd_buf_release(&key);
	return rc;
}

/*
 * The directory of a file path, absolute and without "." or "..". On the
 * host, symlinks are resolved (realpath); under a root the path is already
 * canonical inside it and is only folded, since a symlink there must not
 * be followed on the host.
 */
static int file_dir(const struct bd_bundle_search *s, const char *parent,
		    struct bd_buf *dir)
{
	char *real;

	if (s->root && !bd_root_is_host(s->root))
		return bd_path_absolute(parent, dir);
	real = realpath(parent, NULL);
	bd_buf_reset(dir);
	bd_buf_adds(dir, real ? real : "");
	free(real);
	return !real ? BD_ENOENT : bd_buf_ok(dir) ? 0 : BD_ENOMEM;
}

/* Whether one may climb from dir to its parent: never above the root. */
static bool may_climb(const struct bd_bundle_search *s, const char *dir)
{
	return !s->root || bd_root_is_host(s->root) ||
	       (strlen(dir) > s->root->hostlen &&
		bd_root_contains(s->root, dir));
}

/* One level up: dir loses its last component, which is left in *name;
 * false where the search stops (the top, or the root). */
static bool climb(const struct bd_bundle_search *s, struct bd_buf *dir,
		  const char **name)
{
	char *slash = strrchr(dir->data, '/');

	if (!slash || slash == dir->data || !may_climb(s, dir->data))
		return false;
	*name = slash + 1;
	dir->len = (size_t)(slash - dir->data);
	*slash = '\0';
	return true;
}

/* Whether no directory the search climbs to from dir holds a wheel or a
 * package.json with a name: then no file in dir is bundled. The
 * directories are visited in the order the search climbs them, so that
 * their manifests are read (and warned about) as they would be. */
static int holds_nothing(struct bd_bundle_search *s, const char *start,
			 bool *none)
{
	struct bd_buf dir = BD_BUF_INIT;
	const char *name;
	unsigned level;
	size_t index;
	int rc = 0;

	*none = true;
	bd_buf_adds(&dir, start);
	for (level = 0; !rc && level < BD_BUNDLE_MAX_LEVELS; level++) {
		rc = bd_buf_ok(&dir) ? visit_dir(s, dir.data, &index)
				     : BD_ENOMEM;
		if (!rc &&
		    (s->dirv[index].has_wheels || s->dirv[index].npm.purl)) {
			*none = false;
			break;
		}
		if (!rc && !climb(s, &dir, &name))
			break;
	}
	bd_buf_release(&dir);
	return rc;
}

/* Python versions of an environment's lib looked at, at most. */
#define MAX_PYTHONS 16

/* One lib/<python>/<packages> directory of an environment: its index
 * kept in *sites when it holds wheels. */
static int env_site(struct bd_bundle_search *s, const char *lib,
		    const char *python, const char *packages, size_t *sites,
		    size_t *n)
{
	struct bd_buf dir = BD_BUF_INIT;
	size_t index;
	int rc;

	bd_buf_printf(&dir, "%s/%s/%s", lib, python, packages);
	rc = bd_buf_ok(&dir) ? visit_dir(s, dir.data, &index) : BD_ENOMEM;
	if (!rc && s->dirv[index].has_wheels)
		sites[(*n)++] = index;
	bd_buf_release(&dir);
	return rc;
}

/*
 * The wheels a program in dir may belong to, when dir is an environment's
 * bin (a venv's, or /usr/local/bin): pip installs a wheel's scripts there
 * (its .data/scripts; ruff's and uv's programs are native), and its
 * RECORD lists them from site-packages, as "../../../bin/x". Looked at
 * once for the directory.
 */
static int env_sites(struct bd_bundle_search *s, const char *dir,
		     struct bd_bundle_parent *p)
{
	size_t len = strlen(dir), n = 0, *sites;
	struct bd_buf lib = BD_BUF_INIT;
	struct dirent *de;
	int rc = 0, cut = 0;
	DIR *d;

	if (len < 4 || strcmp(dir + len - 4, "/bin"))
		return 0;
	bd_buf_printf(&lib, "%.*s/lib", (int)(len - 4), dir);
	sites = bd_arena_alloc(&s->arena, 2 * MAX_PYTHONS * sizeof(*sites));
	if (!bd_buf_ok(&lib) || !sites) {
		bd_buf_release(&lib);
		return BD_ENOMEM;
	}
	if (!bd_root_opendir(s->root, lib.data, &d, NULL)) {
		while (!rc && n < 2 * MAX_PYTHONS &&
		       (de = bd_readdir(d, &cut))) {
			if (strncmp(de->d_name, "python", 6) ||
			    strchr(de->d_name, '/'))
				continue;
			rc = env_site(s, lib.data, de->d_name, "site-packages",
				      sites, &n);
			if (!rc)
				rc = env_site(s, lib.data, de->d_name,
					      "dist-packages", sites, &n);
		}
		closedir(d);
	}
	bd_buf_release(&lib);
	p->sites = sites;
	p->nsites = n;
	return rc;
}

/* A program of an environment's bin that one of its wheels lists. */
static int find_script(struct bd_bundle_search *s,
		       const struct bd_bundle_parent *p, const char *base,
		       struct bd_bundle_hit *hit)
{
	struct bd_buf rel = BD_BUF_INIT;
	int rc = BD_ENOENT;
	size_t i;

	bd_buf_printf(&rel, "../../../bin/%s", base);
	if (!bd_buf_ok(&rel))
		rc = BD_ENOMEM;
	for (i = 0; rc == BD_ENOENT && i < p->nsites; i++)
		rc = find_wheel(s, p->sites[i], rel.data, hit);
	bd_buf_release(&rel);
	return rc;
}

/*
 * What the search knows of the directory a file is in (parent, as the
 * file's path names it), decided for the first file there and kept for
 * the others: a directory of 16,000 libraries costs one realpath and one
 * climb, not 16,000.
 */
static int parent_dir(struct bd_bundle_search *s, const char *parent,
		      const struct bd_bundle_parent **out)
{
	struct bd_buf dir = BD_BUF_INIT;
	struct bd_bundle_parent p = { NULL };
	bool none = true;
	char *key;
	uint32_t i;
	int rc;

	if (bd_map_get(&s->parents, parent, &i)) {
		*out = &s->parentv[i];
		return 0;
	}
	rc = file_dir(s, parent, &dir);
	if (!rc && bd_root_contains(s->root, dir.data)) {
		rc = holds_nothing(s, dir.data, &none);
		if (!rc)
			rc = env_sites(s, dir.data, &p);
	}
	if (!rc && !none) {
		p.dir = bd_arena_strdup(&s->arena, dir.data);
		rc = p.dir ? 0 : BD_ENOMEM;
	}
	bd_buf_release(&dir);
	if (rc == BD_ENOMEM)
		return rc;
	key = bd_arena_strdup(&s->arena, parent);
	if (!key || BD_GROW(s->parentv, s->aparents, s->nparents + 1) ||
	    bd_map_put(&s->parents, key, (uint32_t)s->nparents))
		return BD_ENOMEM;
	s->parentv[s->nparents] = p;
	*out = &s->parentv[s->nparents++];
	return 0;
}

/* The package holding the file base of dir: the nearest directory, up to
 * BD_BUNDLE_MAX_LEVELS, with a wheel whose RECORD lists it or with a
 * package.json. */
static int search_up(struct bd_bundle_search *s, const char *start,
		     const char *base, struct bd_bundle_hit *hit)
{
	struct bd_buf dir = BD_BUF_INIT, rel = BD_BUF_INIT, up = BD_BUF_INIT;
	const char *name;
	unsigned level;
	int rc = BD_ENOENT;

	bd_buf_adds(&dir, start);
	bd_buf_adds(&rel, base);
	for (level = 0; level < BD_BUNDLE_MAX_LEVELS; level++) {
		size_t index;

		rc = bd_buf_ok(&dir) ? visit_dir(s, dir.data, &index)
				     : BD_ENOMEM;
		if (!rc)
			rc = find_wheel(s, index, bd_buf_str(&rel), hit);
		if (rc == BD_ENOENT)
			rc = found(&s->dirv[index].npm, hit);
		if (rc != BD_ENOENT || !climb(s, &dir, &name))
			break;
		/* rel grows by the directory left: "numpy.libs/libx.so". */
		bd_buf_reset(&up);
		bd_buf_printf(&up, "%s/%s", name, bd_buf_str(&rel));
		bd_buf_reset(&rel);
		bd_buf_adds(&rel, bd_buf_str(&up));
	}
	if (!bd_buf_ok(&rel) || !bd_buf_ok(&up) || !hit_ok(hit))
		rc = BD_ENOMEM;
	bd_buf_release(&dir);
	bd_buf_release(&rel);
	bd_buf_release(&up);
	return rc;
}

int bd_bundle_find(struct bd_bundle_search *s, const char *host,
		   struct bd_bundle_hit *hit)
{
	const char *slash = strrchr(host, '/');
	const struct bd_bundle_parent *p;
	char *parent;
	int rc;

	parent = slash == host ? strdup("/")
		 : slash       ? strndup(host, (size_t)(slash - host))
			       : strdup(".");
	if (!parent)
		return BD_ENOMEM;
	rc = parent_dir(s, parent, &p);
	free(parent);
	if (rc)
		return rc;
	/* A directory out of the root, gone, or with no package above; a
	 * program of an environment's bin, its wheel's. */
	rc = p->dir ? search_up(s, p->dir, slash ? slash + 1 : host, hit)
		    : BD_ENOENT;
	if (rc == BD_ENOENT && p->nsites)
		rc = find_script(s, p, slash ? slash + 1 : host, hit);
	return rc;
}
