/* SPDX-License-Identifier: MIT */
#include "bindep/pkgdb.h"
#include "bindep/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Parents resolved by recursion before the long walk takes over: deeper
 * than any real directory, shallow enough for any stack. */
#define PKGDB_DIR_DEPTH 64

static const struct bd_pkgdb_dir *canonical_dir(struct bd_pkgdb *db,
						const struct bd_root *root,
						const char *dir, size_t len,
						unsigned depth);

void bd_pkgdb_init(struct bd_pkgdb *db)
{
	memset(db, 0, sizeof(*db));
	bd_arena_init(&db->arena);
	bd_map_init(&db->by_file);
	bd_map_init(&db->by_name);
	bd_map_init(&db->dirs);
}

void bd_pkgdb_release(struct bd_pkgdb *db)
{
	free(db->pkgs);
	free(db->dirv);
	bd_map_release(&db->by_file);
	bd_map_release(&db->by_name);
	bd_map_release(&db->dirs);
	bd_arena_release(&db->arena);
	bd_pkgdb_init(db);
}

int bd_pkgdb_add(struct bd_pkgdb *db, const struct bd_package *p, size_t *index)
{
	struct bd_arena *a = &db->arena;
	struct bd_package *q;
	const char *key;

	if (BD_GROW(db->pkgs, db->alloc, db->n + 1) || db->n >= UINT32_MAX)
		return BD_ENOMEM;
	q = &db->pkgs[db->n];
	q->type = bd_arena_strdup(a, p->type);
	q->name = bd_arena_strdup(a, p->name);
	q->version = bd_arena_strdup(a, p->version);
	q->arch = bd_arena_strdup(a, p->arch);
	q->source = bd_arena_strdup(a, p->source);
	q->source_version = bd_arena_strdup(a, p->source_version);
	q->epoch = bd_arena_strdup(a, p->epoch);
	q->db = bd_arena_strdup(a, p->db);
	key = bd_arena_printf(a, "%s:%s", p->name, p->arch ? p->arch : "");
	if (!q->type || !q->name || !key)
		return BD_ENOMEM;
	*index = db->n++;
	if (bd_map_put(&db->by_name, key, (uint32_t)*index))
		return BD_ENOMEM;
	return bd_map_get(&db->by_name, q->name, NULL)
		       ? 0
		       : bd_map_put(&db->by_name, q->name, (uint32_t)*index);
}

/* A directory resolved the long way: bd_root_resolve walks it from "/",
 * one lstat per component. "Gone" (or a loop) keeps it as listed. */
static int resolve_dir(struct bd_pkgdb *db, const struct bd_root *root,
		       const char *key, struct bd_pkgdb_dir *out)
{
	struct bd_buf b = BD_BUF_INIT;

	out->resolved = !bd_root_resolve(root, "/", key, true, &b);
	out->canon = out->resolved ? bd_arena_strdup(&db->arena, b.data) : key;
	bd_buf_release(&b);
	return out->canon ? 0 : BD_ENOMEM;
}

/* Whether a component may be joined to its parent's canonical form as it
 * is: a name, not "", "." or "..", which the walk folds. */
static bool plain_name(const char *name)
{
	return *name && strcmp(name, ".") && strcmp(name, "..");
}

/*
 * key's canonical form from its parent's. bd_root_resolve would walk the
 * parent's components again and then key's last one, so when the parent
 * is known, one lstat of the last component says the rest: no symlink
 * there, and key is the parent's canonical form and its name. A symlink
 * is left to the long walk (it counts the links of the whole path, as the
 * kernel does); when the parent did not resolve, neither does key (its
 * walk fails at the same component, or sooner). An overlay resolves each
 * path in one tree or the other as a whole: always the long way.
 */
static int dir_from_parent(struct bd_pkgdb *db, const struct bd_root *root,
			   const char *key, unsigned depth,
			   struct bd_pkgdb_dir *out)
{
	static const struct bd_pkgdb_dir top = { "/", true };
	const char *slash = strrchr(key, '/'), *name = slash ? slash + 1 : "";
	const struct bd_pkgdb_dir *parent = &top;
	struct bd_buf host = BD_BUF_INIT;
	struct stat st;
	bool gone, link;

	if (root->lower || depth >= PKGDB_DIR_DEPTH || !slash ||
	    !plain_name(name))
		return resolve_dir(db, root, key, out);
	if (slash != key)
		parent = canonical_dir(db, root, key, (size_t)(slash - key),
				       depth + 1);
	if (!parent)
		return BD_ENOMEM;
	*out = (struct bd_pkgdb_dir){ key, false };
	if (!parent->resolved)
		return 0;
	out->canon =
		bd_arena_printf(&db->arena, "%s%s%s", parent->canon,
				strcmp(parent->canon, "/") ? "/" : "", name);
	bd_root_host(root, out->canon ? out->canon : "", &host);
	if (!out->canon || !bd_buf_ok(&host)) {
		bd_buf_release(&host);
		return BD_ENOMEM;
	}
	gone = lstat(host.data, &st) != 0;
	link = !gone && S_ISLNK(st.st_mode);
	bd_buf_release(&host);
	if (link)
		return resolve_dir(db, root, key, out);
	out->resolved = !gone;
	if (gone)
		out->canon = key;
	return 0;
}

/* The canonical form of a directory, memoised: packages list a few
 * thousand directories for a hundred thousand files, and each is resolved
 * from its parent's. NULL when out of memory. */
static const struct bd_pkgdb_dir *canonical_dir(struct bd_pkgdb *db,
						const struct bd_root *root,
						const char *dir, size_t len,
						unsigned depth)
{
	struct bd_buf look = BD_BUF_INIT;
	struct bd_pkgdb_dir d;
	bool known;
	char *key;
	uint32_t i;

	/* Looked up in a copy of its own: the table keeps a directory once,
	 * not once per file in it (7 MB for this host's 141,795 files). */
	bd_buf_add(&look, dir, len);
	known = bd_buf_ok(&look) && bd_map_get(&db->dirs, look.data, &i);
	bd_buf_release(&look);
	if (known)
		return &db->dirv[i];
	key = bd_arena_strndup(&db->arena, dir, len);
	if (!key || dir_from_parent(db, root, key, depth, &d) ||
	    BD_GROW(db->dirv, db->dirs_alloc, db->ndirs + 1) ||
	    bd_map_put(&db->dirs, key, (uint32_t)db->ndirs))
		return NULL;
	db->dirv[db->ndirs] = d;
	return &db->dirv[db->ndirs++];
}

int bd_pkgdb_own(struct bd_pkgdb *db, const struct bd_root *root,
		 const char *path, size_t index)
{
	const char *slash = strrchr(path, '/');
	const struct bd_pkgdb_dir *d;
	const char *dir, *key;

	if (path[0] != '/' || !slash || !slash[1])
		return 0;
	d = canonical_dir(db, root, path,
			  slash == path ? 1 : (size_t)(slash - path), 0);
	if (!d)
		return BD_ENOMEM;
	dir = d->canon;
	key = bd_arena_printf(&db->arena, "%s%s%s", dir,
			      strcmp(dir, "/") ? "/" : "", slash + 1);
	if (!key)
		return BD_ENOMEM;
	if (bd_map_get(&db->by_file, key, NULL))
		return 0; /* the first owner stays */
	return bd_map_put(&db->by_file, key, (uint32_t)index);
}

const struct bd_package *bd_pkgdb_owner(const struct bd_pkgdb *db,
					const char *path)
{
	uint32_t i;

	return path && bd_map_get(&db->by_file, path, &i) ? &db->pkgs[i] : NULL;
}

/* ---- os-release -----------------------------------------------------------
 */

/* A value of os-release: unquoted, or in single or double quotes. */
static const char *os_value(struct bd_arena *a, const char *v, size_t len)
{
	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0])
		return bd_arena_strndup(a, v + 1, len - 2);
	return bd_arena_strndup(a, v, len);
}

static void parse_os_release(struct bd_pkgdb *db, const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		if (n > 3 && !strncmp(line, "ID=", 3))
			db->os_id = os_value(&db->arena, line + 3, n - 3);
		else if (n > 11 && !strncmp(line, "VERSION_ID=", 11))
			db->os_version_id =
				os_value(&db->arena, line + 11, n - 11);
		pos += n + 1;
	}
}

bool bd_pkgdb_take(struct bd_pkgdb *db, const char *inside, uint64_t n,
		   const struct bd_diag *diag)
{
	if (!db->budget_spent && n <= BD_PKGDB_MAX_TOTAL - db->bytes_read) {
		db->bytes_read += n;
		return true;
	}
	if (!db->budget_spent)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': package databases larger than %s in all, "
			       "the rest not read",
			       inside, BD_PKGDB_MAX_TOTAL_TEXT);
	db->budget_spent = true;
	return false;
}

bool bd_pkgdb_full(struct bd_pkgdb *db, const char *dbfile,
		   const struct bd_diag *diag)
{
	if (db->n < BD_PKGDB_MAX_PACKAGES)
		return false;
	if (!db->full)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': more than %u packages, the rest not read",
			       dbfile ? dbfile : "", BD_PKGDB_MAX_PACKAGES);
	db->full = true;
	return true;
}

/* A file over its own cap: the first is warned about, the others counted
 * (a hostile root may have thousands, bd_pkgdb_load sums them up). */
static void oversized(struct bd_pkgdb *db, const char *inside, size_t max,
		      const struct bd_diag *diag)
{
	if (db->oversized++)
		return;
	db->first_oversized = bd_arena_strdup(&db->arena, inside);
	bd_diag_report(diag, BD_DIAG_WARNING,
		       "'%s': larger than %zu MiB%s, skipping", inside,
		       max >> 20,
		       max == BD_PKGDB_MAX_LIST
			       ? " (dpkg's file lists are under 2 MiB)"
			       : "");
}

char *bd_pkgdb_read(struct bd_pkgdb *db, const struct bd_root *root,
		    const char *inside, size_t max, size_t *len,
		    const struct bd_diag *diag)
{
	struct bd_buf real = BD_BUF_INIT, host = BD_BUF_INIT;
	uint64_t left = BD_PKGDB_MAX_TOTAL - db->bytes_read;
	size_t cap = left < max ? (size_t)left : max;
	struct bd_error e;
	char *text = NULL;
	int rc;

	if (db->budget_spent)
		return NULL;
	if (!bd_root_resolve(root, "/", inside, true, &real)) {
		bd_root_host(root, real.data, &host);
		/* cap 0 would be no limit: an empty budget reads nothing */
		rc = !bd_buf_ok(&host) ? BD_ENOMEM
		     : !cap	       ? BD_ELIMIT
			    : bd_root_read(root, host.data, 0, cap, &text, len,
					   &e);
		if (!rc)
			bd_pkgdb_take(db, inside, *len, diag);
		else if (rc == BD_ELIMIT && cap < max)
			bd_pkgdb_take(db, inside, left + 1, diag);
		else if (rc == BD_ELIMIT)
			oversized(db, inside, max, diag);
		else if (rc != BD_ENOENT && rc != BD_ENOMEM)
			bd_diag_report(diag, BD_DIAG_WARNING, "%s, skipping",
				       e.msg);
	}
	bd_buf_release(&real);
	bd_buf_release(&host);
	return text;
}

int bd_pkgdb_load(struct bd_pkgdb *db, const struct bd_root *root,
		  const struct bd_diag *diag, struct bd_error *err)
{
	size_t len = 0;
	char *text = bd_pkgdb_read(db, root, "/etc/os-release",
				   BD_PKGDB_MAX_FILE, &len, diag);
	int rc;

	if (!text)
		text = bd_pkgdb_read(db, root, "/usr/lib/os-release",
				     BD_PKGDB_MAX_FILE, &len, diag);
	if (text)
		parse_os_release(db, text, len);
	free(text);
	rc = bd_pkgdb_load_dpkg(db, root, diag);
	if (!rc)
		rc = bd_pkgdb_load_apk(db, root, diag);
	if (!rc)
		rc = bd_pkgdb_load_rpm(db, root, diag);
	if (db->oversized > 1)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': %zu more package database files like it "
			       "over their size limit, skipped",
			       db->first_oversized ? db->first_oversized : "",
			       db->oversized - 1);
	return rc ? bd_error_set(err, rc, "out of memory") : 0;
}
