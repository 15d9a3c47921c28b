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
}

void bd_bundle_search_release(struct bd_bundle_search *s)
{
	bd_map_release(&s->warned);
	bd_arena_release(&s->arena);
}

/* A small text file, NUL-terminated (malloc'd), or NULL. */
static char *read_text(struct bd_bundle_search *s, const char *path)
{
	struct bd_error e;
	const char *key;
	char *text;
	size_t len;
	int rc = bd_root_read(s->root, path, 0, MANIFEST_MAX, &text, &len, &e);

	if (!rc || rc == BD_ENOENT || rc == BD_ENOMEM ||
	    bd_map_get(&s->warned, path, NULL))
		return rc ? NULL : text;
	key = bd_arena_strdup(&s->arena, path);
	if (key && !bd_map_put(&s->warned, key, 0))
		bd_diag_report(s->diag, BD_DIAG_WARNING, "%s, not read", e.msg);
	return NULL;
}

/* The installed tree's manifests are read as artifacts' are (artifact.c);
 * there a missing version is no error. */
static int take_purl(int rc, struct bd_artifact_id *id, struct bd_buf *purl)
{
	if (!rc)
		bd_buf_add(purl, id->purl.data, id->purl.len);
	bd_artifact_id_release(id);
	return rc;
}

int bd_bundle_pypi_purl(const char *metadata, struct bd_buf *purl)
{
	struct bd_artifact_id id;

	bd_artifact_id_init(&id);
	return take_purl(bd_artifact_wheel(metadata, NULL,
					   BD_ARTIFACT_ANY_VERSION, &id, NULL),
			 &id, purl);
}

int bd_bundle_npm_purl(const char *json, struct bd_buf *purl)
{
	struct bd_artifact_id id;

	bd_artifact_id_init(&id);
	return take_purl(
		bd_artifact_npm(json, BD_ARTIFACT_ANY_VERSION, &id, NULL), &id,
		purl);
}

/* Whether a wheel's RECORD lists rel ("numpy.libs/libx.so,sha256=..."). */
static bool record_lists(const char *record, const char *rel)
{
	size_t len = strlen(rel);
	const char *p = record;

	while ((p = strstr(p, rel))) {
		if ((p == record || p[-1] == '\n') && p[len] == ',')
			return true;
		p += len;
	}
	return false;
}

static bool is_dist_info(const char *name)
{
	size_t len = strlen(name);

	return len > 10 && !strcmp(name + len - 10, ".dist-info");
}

/* A wheel in dir whose RECORD lists rel (or the only one without a
 * RECORD). */
static int find_wheel(struct bd_bundle_search *s, const char *dir,
		      const char *rel, struct bd_buf *purl,
		      struct bd_buf *manifest)
{
	struct dirent *de;
	int rc = BD_ENOENT;
	DIR *d;

	if (bd_root_opendir(s->root, dir, &d, NULL))
		d = NULL;
	while (d && rc == BD_ENOENT && (de = readdir(d))) {
		struct bd_buf path = BD_BUF_INIT;
		char *record, *metadata;

		if (!is_dist_info(de->d_name))
			continue;
		bd_buf_printf(&path, "%s/%s/RECORD", dir, de->d_name);
		record = read_text(s, bd_buf_str(&path));
		if (record && record_lists(record, rel)) {
			bd_buf_reset(&path);
			bd_buf_printf(&path, "%s/%s/METADATA", dir, de->d_name);
			metadata = read_text(s, bd_buf_str(&path));
			if (metadata && !bd_bundle_pypi_purl(metadata, purl)) {
				bd_buf_adds(manifest, bd_buf_str(&path));
				rc = 0;
			}
			free(metadata);
		}
		free(record);
		if (!bd_buf_ok(&path))
			rc = BD_ENOMEM;
		bd_buf_release(&path);
	}
	if (d)
		closedir(d);
	return rc;
}

static int find_npm(struct bd_bundle_search *s, const char *dir,
		    struct bd_buf *purl, struct bd_buf *manifest)
{
	struct bd_buf path = BD_BUF_INIT;
	char *json;
	int rc = BD_ENOENT;

	bd_buf_printf(&path, "%s/package.json", dir);
	json = read_text(s, bd_buf_str(&path));
	if (json && !bd_bundle_npm_purl(json, purl)) {
		bd_buf_adds(manifest, bd_buf_str(&path));
		rc = 0;
	}
	free(json);
	if (!bd_buf_ok(&path))
		rc = BD_ENOMEM;
	bd_buf_release(&path);
	return rc;
}

/*
 * The directory of a file path, absolute and without "." or "..". On the
 * host, symlinks are resolved (realpath); under a root the path is already
 * canonical inside it and is only folded, since a symlink there must not
 * be followed on the host.
 */
static int file_dir(const struct bd_bundle_search *s, const char *host,
		    struct bd_buf *dir, const char **base)
{
	const char *slash = strrchr(host, '/');
	char *parent, *real;
	int rc;

	*base = slash ? slash + 1 : host;
	parent = slash == host ? strdup("/")
		 : slash       ? strndup(host, (size_t)(slash - host))
			       : strdup(".");
	if (!parent)
		return BD_ENOMEM;
	if (s->root && !bd_root_is_host(s->root)) {
		struct bd_root host_root;

		rc = bd_root_init(&host_root, NULL, NULL);
		if (!rc)
			rc = bd_root_inside(&host_root, parent, dir);
		bd_root_release(&host_root);
	} else {
		real = realpath(parent, NULL);
		bd_buf_reset(dir);
		bd_buf_adds(dir, real ? real : "");
		rc = !real ? BD_ENOENT : bd_buf_ok(dir) ? 0 : BD_ENOMEM;
		free(real);
	}
	free(parent);
	return rc;
}

/* Whether one may climb from dir to its parent: never above the root. */
static bool may_climb(const struct bd_bundle_search *s, const char *dir)
{
	return !s->root || bd_root_is_host(s->root) ||
	       (strlen(dir) > s->root->hostlen &&
		bd_root_contains(s->root, dir));
}

int bd_bundle_find(struct bd_bundle_search *s, const char *host,
		   struct bd_buf *purl, struct bd_buf *manifest)
{
	struct bd_buf dir = BD_BUF_INIT, rel = BD_BUF_INIT, up = BD_BUF_INIT;
	const char *base;
	unsigned level;
	char *slash;
	int rc = file_dir(s, host, &dir, &base);

	if (rc) {
		bd_buf_release(&dir);
		return rc;
	}
	if (!bd_root_contains(s->root, dir.data)) {
		bd_buf_release(&dir);
		return BD_ENOENT;
	}
	bd_buf_adds(&rel, base);
	rc = BD_ENOENT;
	for (level = 0; level < BD_BUNDLE_MAX_LEVELS; level++) {
		rc = find_wheel(s, dir.data, bd_buf_str(&rel), purl, manifest);
		if (rc == BD_ENOENT)
			rc = find_npm(s, dir.data, purl, manifest);
		slash = strrchr(dir.data, '/');
		if (rc != BD_ENOENT || !slash || slash == dir.data ||
		    !may_climb(s, dir.data))
			break;
		/* rel grows by the directory left: "numpy.libs/libx.so". */
		bd_buf_reset(&up);
		bd_buf_printf(&up, "%s/%s", slash + 1, bd_buf_str(&rel));
		bd_buf_reset(&rel);
		bd_buf_adds(&rel, bd_buf_str(&up));
		dir.len = (size_t)(slash - dir.data);
		*slash = '\0';
	}
	if (!bd_buf_ok(&rel) || !bd_buf_ok(&up) || !bd_buf_ok(purl) ||
	    !bd_buf_ok(manifest))
		rc = BD_ENOMEM;
	bd_buf_release(&dir);
	bd_buf_release(&rel);
	bd_buf_release(&up);
	return rc;
}
