/* SPDX-License-Identifier: MIT */
#include "bindep/pkgdb.h"
#include "bindep/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * The base names bd_pkgdb_load_files keeps. A line's name is looked up in
 * `bits` first, a 64 Kibit filter by a cheap hash (FNV-1a): most lines of
 * a file list fail there in a few nanoseconds, where the keyed map costs
 * ~100 ns a look-up. The filter only passes lines on to the map, which
 * decides: names crafted to collide in it cost the map's look-up, no more.
 */
#define WANT_BITS BD_PKGDB_WANT_BITS

struct bd_pkgdb_want {
	uint64_t bits[WANT_BITS / 64];
	struct bd_map names;
	/* The names' summaries (bd_pkgdb_name_hash), sorted by
	 * bd_pkgdb_want_sort for bd_pkgdb_any_wanted. */
	uint32_t *hashes;
	size_t nhashes, ahashes;
	bool sorted;
};

static void want_free(struct bd_pkgdb_want *w);

void bd_pkgdb_init(struct bd_pkgdb *db)
{
	memset(db, 0, sizeof(*db));
	bd_arena_init(&db->arena);
	bd_pathmap_init(&db->files);
	bd_pathmap_init(&db->canon);
	bd_map_init(&db->by_name);
	bd_pathmap_init(&db->dirs);
	bd_buf_init(&db->walk);
	db->walk_canon = UINT32_MAX;
	db->text.left = UINT64_MAX;
	db->text.given = UINT64_MAX;
	db->lookups_pool = BD_PKGDB_LOOKUPS_BASE;
	db->text.dir_share.left = db->text.dir_share.given = UINT64_MAX;
	db->lookups_floors = BD_PKGDB_LOOKUPS_FLOORS;
	db->max_dir_bytes = BD_PKGDB_MAX_DIR_BYTES;
	db->max_status_d = BD_PKGDB_MAX_STATUS_D;
	for (size_t i = 0; i < BD_ARRAY_SIZE(db->recent); i++)
		bd_buf_init(&db->recent[i].listed);
}

void bd_pkgdb_release(struct bd_pkgdb *db)
{
	bd_pkgdb_dpkg_pending_free(db);
	want_free(db->asked);
	free(db->pkgs);
	free(db->dirv);
	bd_pathmap_release(&db->files);
	bd_pathmap_release(&db->canon);
	bd_map_release(&db->by_name);
	bd_pathmap_release(&db->dirs);
	bd_buf_release(&db->walk);
	for (size_t i = 0; i < BD_ARRAY_SIZE(db->recent); i++)
		bd_buf_release(&db->recent[i].listed);
	bd_arena_release(&db->arena);
	bd_pkgdb_init(db);
}

bool bd_pkgdb_find(const struct bd_pkgdb *db, const char *name,
		   const char *arch, size_t *index)
{
	struct bd_buf key = BD_BUF_INIT;
	uint32_t i;
	bool found;

	/* As bd_pkgdb_add makes it, whatever its length (no printf: a
	 * status's thousand packages are each looked up). */
	bd_buf_adds(&key, name);
	bd_buf_addc(&key, ':');
	bd_buf_adds(&key, arch ? arch : "");
	found = bd_buf_ok(&key) && bd_map_get(&db->by_name, key.data, &i);
	bd_buf_release(&key);
	if (found)
		*index = i;
	return found;
}

int bd_pkgdb_replace(struct bd_pkgdb *db, size_t index,
		     const struct bd_package *p)
{
	struct bd_arena *a = &db->arena;
	struct bd_package *q = &db->pkgs[index];

	q->version = bd_arena_strdup(a, p->version);
	q->source = bd_arena_strdup(a, p->source);
	q->source_version = bd_arena_strdup(a, p->source_version);
	q->epoch = bd_arena_strdup(a, p->epoch);
	q->multiarch_same = p->multiarch_same;
	/* the file the stanza taken was read from (dpkg's journal) */
	if (p->db && !(q->db = bd_arena_strdup(a, p->db)))
		return BD_ENOMEM;
	return (p->version && !q->version) || (p->source && !q->source) ||
			       (p->source_version && !q->source_version) ||
			       (p->epoch && !q->epoch)
		       ? BD_ENOMEM
		       : 0;
}

/* "name:arch" ("name:" without one), the key by_name finds a package by
 * with its architecture, in the arena. */
static const char *name_arch(struct bd_arena *a, const char *name,
			     const char *arch)
{
	size_t n = strlen(name), k = arch ? strlen(arch) : 0;
	char *key = bd_arena_alloc(a, n + k + 2);

	if (key) {
		memcpy(key, name, n);
		key[n] = ':';
		memcpy(key + n + 1, arch ? arch : "", k);
		key[n + 1 + k] = '\0';
	}
	return key;
}

int bd_pkgdb_add(struct bd_pkgdb *db, const struct bd_package *p, size_t *index)
{
	struct bd_arena *a = &db->arena;
	struct bd_package *q;
	const char *key;
	uint64_t hash;

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
	q->license = bd_arena_strdup(a, p->license);
	q->gone = false;
	q->multiarch_same = p->multiarch_same;
	key = name_arch(a, p->name, p->arch);
	if (!q->type || !q->name || !key || (p->license && !q->license))
		return BD_ENOMEM;
	*index = db->n++;
	if (bd_map_put(&db->by_name, key, (uint32_t)*index))
		return BD_ENOMEM;
	/* the name alone, hashed once for its look-up and its put */
	hash = bd_map_hash(q->name, strlen(q->name));
	return bd_map_geth(&db->by_name, q->name, strlen(q->name), hash, NULL)
		       ? 0
		       : bd_map_puth(&db->by_name, q->name, hash,
				     (uint32_t)*index);
}

/* Takes n bytes of directory text from the text's share of
 * db->max_dir_bytes and from the cap; false (and db->text.dir_share.spent, or
 * db->dirs_capped) when they are not left. Once spent, a share gives
 * nothing more: a text's directories are kept up to a point, not
 * picked among by their lengths. */
static bool dir_text(struct bd_pkgdb *db, size_t n)
{
	struct bd_pkgdb_share *share = &db->text.dir_share;

	if (share->spent || n > share->left) {
		share->spent = true;
		return false;
	}
	if (db->dirs_capped || n > db->max_dir_bytes - db->dir_bytes) {
		db->dirs_capped = true;
		return false;
	}
	db->dir_bytes += n;
	if (share->given != UINT64_MAX)
		share->left -= n;
	return true;
}

/* The text's share of the directory cap (len SIZE_MAX: no text, the cap
 * alone): a BD_PKGDB_DIR_SHARE of what is left, so that no text, nor
 * many, leaves a later one nothing. */
static void dir_share(struct bd_pkgdb *db, size_t len)
{
	uint64_t left = db->dir_bytes < db->max_dir_bytes
				? db->max_dir_bytes - db->dir_bytes
				: 0;

	db->text.dir_share.given = db->text.dir_share.left =
		len == SIZE_MAX ? UINT64_MAX : left / BD_PKGDB_DIR_SHARE;
	db->text.dir_share.spent = false;
}

/* Whether a new directory was refused for want of room: the cap's or
 * the text's share (BD_ELIMIT then ends its lookup, as it cannot be
 * kept below its parent either). */
static bool dirs_refused(const struct bd_pkgdb *db)
{
	return db->dirs_capped || db->text.dir_share.spent;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* What the text spent past its bytes' share comes out of its floor,
 * then of the load's base: with a base each, 200 hostile lists of 12 KB
 * cost 6 s, as 12 MB of one list would; with a floor each and no cap,
 * 100,000 tiny ones could spend 800 MB of floors. */
static void text_done(struct bd_pkgdb *db)
{
	uint64_t used = db->text.given - db->text.left;
	uint64_t share = db->text.own - db->text.floor;
	uint64_t over = used > share ? used - share : 0;
	uint64_t floor = min_u64(over, db->text.floor);

	db->lookups_floors -= floor;
	db->lookups_pool -= min_u64(over - floor, db->lookups_pool);
}

void bd_pkgdb_lookups(struct bd_pkgdb *db, size_t len)
{
	if (len == SIZE_MAX && db->text.given != UINT64_MAX)
		text_done(db);
	db->text.spent = false;
	db->text.floor = len == SIZE_MAX ? 0
					 : min_u64(BD_PKGDB_LOOKUPS_FLOOR,
						   db->lookups_floors);
	db->text.own = len == SIZE_MAX
			       ? 0
			       : (uint64_t)len * BD_PKGDB_LOOKUPS_PER_BYTE +
					 db->text.floor;
	db->text.given = db->text.left =
		len == SIZE_MAX ? UINT64_MAX : db->text.own + db->lookups_pool;
	dir_share(db, len);
}

/* Whether the text's budget lets a directory be looked up; once spent,
 * said by db->text.spent. */
static bool may_look_up(struct bd_pkgdb *db)
{
	if (!db->text.left)
		db->text.spent = true;
	return db->text.left != 0;
}

static void charge(struct bd_pkgdb *db, uint64_t n)
{
	db->text.left -= n < db->text.left ? n : db->text.left;
}

/* A lookup the text's lookups could not pay for: out taken as listed,
 * cut for a later text to look up again, the lookups spent. */
static int unpaid(struct bd_pkgdb *db, struct bd_pkgdb_dir *out)
{
	db->text.left = 0;
	db->text.spent = true;
	out->cut = true;
	return 0;
}

/* What a metered walk given `given` left in *left spent, counted. */
static uint64_t walked(struct bd_pkgdb *db, uint64_t given, uint64_t left)
{
	db->lookups_walked += given - left;
	return given - left;
}

static uint32_t canon_parent(const struct bd_pkgdb *db, uint32_t id)
{
	return id ? db->canon.entries[id - 1].scope : 0;
}

static const char *canon_name(const struct bd_pkgdb *db, uint32_t id)
{
	return db->canon.pool + db->canon.entries[id - 1].name;
}

/* The canonical directory name (len bytes) below canon node parent, a
 * new node the first time, its name taken from max_dir_bytes. */
static int canon_child(struct bd_pkgdb *db, uint32_t parent, const char *name,
		       size_t len, uint32_t *id)
{
	uint32_t next = (uint32_t)db->canon.count + 1;
	bool added;

	if (bd_pathmap_get(&db->canon, parent, name, len, id))
		return 0;
	if (!dir_text(db, len + 1 + BD_PKGDB_DIR_NODE))
		return BD_ELIMIT;
	if (db->canon.count >= UINT32_MAX - 1 ||
	    bd_pathmap_add(&db->canon, parent, name, len, next, &added))
		return BD_ENOMEM;
	*id = next;
	return 0;
}

/* The node of a canonical path (bd_root_resolve's: names only). */
static int canon_of_text(struct bd_pkgdb *db, const char *text, uint32_t *id)
{
	const char *p = text;
	int rc = 0;

	*id = 0;
	while (!rc && *p) {
		size_t len;

		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (len)
			rc = canon_child(db, *id, p, len, id);
		p += len;
	}
	return rc;
}

/* The text of canon node id ("/" for 0), built from its names. */
static int canon_text(const struct bd_pkgdb *db, uint32_t id,
		      struct bd_buf *out)
{
	size_t len = 0, at;
	uint32_t k;

	for (k = id; k; k = canon_parent(db, k))
		len += 1 + strlen(canon_name(db, k));
	bd_buf_reset(out);
	if (!len || !bd_buf_reserve(out, len)) {
		bd_buf_addc(out, '/');
		return bd_buf_ok(out) && !len ? 0 : BD_ENOMEM;
	}
	at = len;
	for (k = id; k; k = canon_parent(db, k)) {
		const char *name = canon_name(db, k);
		size_t n = strlen(name);

		at -= n;
		memcpy(out->data + at, name, n);
		out->data[--at] = '/';
	}
	out->len = len;
	out->data[len] = '\0';
	return 0;
}

/* db->walk made the text of canon node id, unless it is already. */
static int walk_to(struct bd_pkgdb *db, uint32_t id)
{
	int rc = 0;

	if (db->walk_canon != id)
		rc = canon_text(db, id, &db->walk);
	db->walk_canon = rc ? UINT32_MAX : id;
	return rc;
}

/*
 * A name below the parent's canonical form (db->walk) looked up: one
 * lstat, the length of its path charged; a directory there is
 * that form and the name (a file, or a link to one, is not resolved: the
 * kernel's ENOTDIR for what is below it and for its ".."), and a symlink its
 * target walked from there (bd_root_resolve_metered), its links counted with
 * those of the parent (40 in all, as the kernel counts a path's), PATH_MAX
 * charged a link, or the path its walk lstat'd when more. Gone, or a loop:
 * not resolved. One the text cannot pay (its lstat, or its walk's next,
 * past what is left) is cut (unpaid): unmetered, a list's one lookup of a
 * link to a directory 2,000 deep and 40 links walked cost 6 s, whatever
 * was left.
 */
static int look_up_below(struct bd_pkgdb *db, const struct bd_root *root,
			 const struct bd_pkgdb_dir *parent, const char *name,
			 size_t len, struct bd_pkgdb_dir *out)
{
	struct bd_buf host = BD_BUF_INIT, canon = BD_BUF_INIT;
	uint64_t given, budget, cost, spent;
	int links = parent->links, rc;
	struct stat st;

	if (walk_to(db, parent->canon_id))
		return BD_ENOMEM;
	bd_root_host(root, db->walk.data, &host);
	if (db->walk.len > 1)
		bd_buf_addc(&host, '/');
	bd_buf_add(&host, name, len);
	if (!bd_buf_ok(&host)) {
		bd_buf_release(&host);
		return BD_ENOMEM;
	}
	if (host.len > db->text.left) {
		bd_buf_release(&host);
		return unpaid(db, out);
	}
	charge(db, host.len);
	db->lookups_walked += host.len;
	if (lstat(host.data, &st)) {
		bd_buf_release(&host);
		return 0;
	}
	bd_buf_release(&host);
	if (!S_ISLNK(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0; /* the kernel's ENOTDIR: nothing below, nor ".." */
	if (!S_ISLNK(st.st_mode)) {
		rc = canon_child(db, parent->canon_id, name, len,
				 &out->canon_id);
		if (rc)
			return rc;
		out->resolved = true;
		if (db->walk.len > 1)
			bd_buf_addc(&db->walk, '/');
		bd_buf_add(&db->walk, name, len);
		db->walk_canon =
			bd_buf_ok(&db->walk) ? out->canon_id : UINT32_MAX;
		return 0;
	}
	bd_buf_add(&host, name, len); /* the name as a string */
	given = budget = db->text.left;
	rc = bd_buf_ok(&host) ? bd_root_resolve_metered(root, db->walk.data,
							host.data, true, &canon,
							&st, &links, &budget)
			      : BD_ENOMEM;
	bd_buf_release(&host);
	if (rc == BD_ELIMIT && !budget) {
		walked(db, given, budget);
		bd_buf_release(&canon);
		return unpaid(db, out);
	}
	/* PATH_MAX a link, or what the walk cost when that is more */
	cost = (uint64_t)(links - parent->links) * PATH_MAX + canon.len;
	spent = walked(db, given, budget);
	charge(db, spent > cost ? spent : cost);
	if (!rc && st.st_mode && !S_ISDIR(st.st_mode))
		rc = BD_ENOENT; /* a link to a file: ENOTDIR, as above */
	if (!rc)
		rc = canon_of_text(db, canon.data, &out->canon_id);
	if (!rc) {
		out->resolved = true;
		out->links = (uint8_t)links;
		bd_buf_release(&db->walk);
		db->walk = canon;
		db->walk_canon = out->canon_id;
		return 0;
	}
	bd_buf_release(&canon);
	return rc == BD_ENOMEM || (rc == BD_ELIMIT && dirs_refused(db)) ? rc
									: 0;
}

/* An overlay's directory: its listed path (prefix, len bytes) resolved
 * whole from "/", upper tree then lower, as bd_root_resolve does; each
 * component's lstat charged the path so far. */
static int look_up_whole(struct bd_pkgdb *db, const struct bd_root *root,
			 const char *prefix, size_t len,
			 struct bd_pkgdb_dir *out)
{
	struct bd_buf path = BD_BUF_INIT, canon = BD_BUF_INIT;
	uint64_t given, budget, cost, spent;
	size_t depth = 0, i;
	int links = 0, rc;

	for (i = 0; i < len; i++)
		depth += prefix[i] == '/';
	bd_buf_add(&path, prefix, len);
	bd_buf_adds(&path, "/."); /* a directory: a file is ENOTDIR */
	given = budget = db->text.left;
	rc = bd_buf_ok(&path)
		     ? bd_root_resolve_metered(root, "/", path.data, true,
					       &canon, NULL, &links, &budget)
		     : BD_ENOMEM;
	bd_buf_release(&path);
	spent = walked(db, given, budget);
	if (rc == BD_ELIMIT && !budget) {
		bd_buf_release(&canon);
		return unpaid(db, out);
	}
	/* the path's length a name of it, or what the walk cost */
	cost = (uint64_t)len * depth;
	charge(db, spent > cost ? spent : cost);
	if (!rc)
		rc = canon_of_text(db, canon.data, &out->canon_id);
	out->resolved = !rc;
	bd_buf_release(&canon);
	return rc == BD_ENOMEM || (rc == BD_ELIMIT && dirs_refused(db)) ? rc
									: 0;
}

/*
 * A directory not seen yet, name (len bytes) below the listed directory
 * parent, resolved from the parent's canonical form as the kernel walks a
 * path: "." is the parent, ".." the parent's canonical parent (what
 * bd_root_resolve's walk does, looking at nothing), a name is looked up
 * below it (look_up_below). Below a directory that did not resolve, gone,
 * or past the text's lookups (db->text.left), it is the parent's form
 * and the name, not resolved; past the lookups (or below such a one) cut,
 * for a later text to look up again (look_up_again). An overlay resolves each
 * path in one tree or the other as a whole: the path listed so far (prefix,
 * prefix_len bytes) from "/".
 */
static int fresh_dir(struct bd_pkgdb *db, const struct bd_root *root,
		     const struct bd_pkgdb_dir *parent, const char *prefix,
		     size_t prefix_len, struct bd_pkgdb_dir *out)
{
	const char *name = prefix + prefix_len, *end = name;
	size_t len;
	int rc = 0;

	while (name > prefix && name[-1] != '/')
		name--;
	len = (size_t)(end - name);
	*out = *parent;
	out->resolved = false;
	out->cut = parent->cut;
	if (parent->resolved && len == 1 && name[0] == '.') {
		out->resolved = true;
		return 0;
	}
	if (parent->resolved && len == 2 && !memcmp(name, "..", 2)) {
		out->canon_id = canon_parent(db, parent->canon_id);
		out->resolved = true;
		return 0;
	}
	if (parent->resolved && !may_look_up(db))
		out->cut = true;
	else if (parent->resolved)
		rc = root->lower
			     ? look_up_whole(db, root, prefix, prefix_len, out)
			     : look_up_below(db, root, parent, name, len, out);
	if (rc || out->resolved)
		return rc;
	out->canon_id = 0;
	return canon_child(db, parent->canon_id, name, len, &out->canon_id);
}

/* The listed directory name below listed directory *id, new: resolved,
 * its name taken from max_dir_bytes; *id made its index. */
static int new_listed(struct bd_pkgdb *db, const struct bd_root *root,
		      const char *prefix, size_t prefix_len, uint32_t *id)
{
	struct bd_pkgdb_dir parent = db->dirv[*id], d;
	const char *name = prefix + prefix_len;
	size_t len = 0;
	bool added;
	int rc;

	while (name > prefix && name[-1] != '/')
		name--, len++;
	if (!dir_text(db, len + 1 + BD_PKGDB_DIR_NODE))
		return BD_ELIMIT;
	rc = fresh_dir(db, root, &parent, prefix, prefix_len, &d);
	if (!rc && (db->ndirs >= UINT32_MAX ||
		    BD_GROW(db->dirv, db->dirs_alloc, db->ndirs + 1) ||
		    bd_pathmap_add(&db->dirs, *id, name, len,
				   (uint32_t)db->ndirs, &added)))
		rc = BD_ENOMEM;
	if (rc)
		return rc;
	db->dirv[db->ndirs] = d;
	*id = (uint32_t)db->ndirs++;
	return 0;
}

/* Listed directory id, cut short by an earlier text's lookups, looked up
 * again below its parent (dirv index parent) with this text's: a hostile
 * list spending its own must not leave a directory another lists as it
 * is listed, its files owned where the root does not put them. */
static int look_up_again(struct bd_pkgdb *db, const struct bd_root *root,
			 uint32_t parent, const char *prefix, size_t prefix_len,
			 uint32_t id)
{
	struct bd_pkgdb_dir d;
	int rc = fresh_dir(db, root, &db->dirv[parent], prefix, prefix_len, &d);

	if (!rc)
		db->dirv[id] = d;
	return rc;
}

/* The listed directory path (n bytes), a name at a time from "/" (dirv
 * 0): "" between two '/' is no name, as to the kernel. */
static int walk_listed(struct bd_pkgdb *db, const struct bd_root *root,
		       const char *path, size_t n, uint32_t *id)
{
	static const struct bd_pkgdb_dir top = { 0, 0, true, false };
	size_t pos = 0;
	uint32_t parent;
	int rc = 0;

	*id = 0;
	if (!db->ndirs) {
		if (BD_GROW(db->dirv, db->dirs_alloc, 1))
			return BD_ENOMEM;
		db->dirv[db->ndirs++] = top;
	}
	while (!rc && pos < n) {
		const char *name, *slash;
		size_t len;

		while (pos < n && path[pos] == '/')
			pos++;
		name = path + pos;
		slash = memchr(name, '/', n - pos);
		len = slash ? (size_t)(slash - name) : n - pos;
		if (!len)
			break;
		pos += len;
		parent = *id;
		if (!bd_pathmap_get(&db->dirs, parent, name, len, id))
			rc = new_listed(db, root, path, pos, id);
		else if (db->dirv[*id].cut && db->text.left)
			rc = look_up_again(db, root, parent, path, pos, *id);
	}
	return rc;
}

/* Makes the directory listed as path (n bytes), dirv index id, the
 * latest of db->recent, from its place k (k == nrecent: new, in the
 * last one's place when they are all taken). */
static void seen_dir(struct bd_pkgdb *db, size_t k, const char *path, size_t n,
		     uint32_t id)
{
	const size_t max = BD_ARRAY_SIZE(db->recent);
	bool fresh = k == db->nrecent;
	struct bd_pkgdb_recent r;

	if (k == db->nrecent && db->nrecent < max)
		db->nrecent++;
	if (k == max)
		k = max - 1;
	r = db->recent[k];
	if (fresh) {
		bd_buf_reset(&r.listed);
		bd_buf_add(&r.listed, path, n);
		r.dir = id;
	}
	memmove(db->recent + 1, db->recent, k * sizeof(db->recent[0]));
	db->recent[0] = r;
	if (!bd_buf_ok(&r.listed)) { /* not kept */
		bd_buf_release(&db->recent[0].listed);
		memmove(db->recent, db->recent + 1,
			--db->nrecent * sizeof(db->recent[0]));
		bd_buf_init(&db->recent[db->nrecent].listed);
	}
}

struct bd_pkgdb_dir *bd_pkgdb_dir(struct bd_pkgdb *db,
				  const struct bd_root *root, const char *path,
				  size_t len)
{
	const char *slash = memrchr(path, '/', len);
	size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
	size_t k;
	uint32_t id;

	for (k = 0; k < db->nrecent; k++) {
		const struct bd_pkgdb_recent *r = &db->recent[k];

		if (r->listed.len == n && !memcmp(r->listed.data, path, n)) {
			id = r->dir;
			/* cut short by an earlier text: looked up again */
			if (db->dirv[id].cut && db->text.left &&
			    walk_listed(db, root, path, n, &id))
				return NULL;
			seen_dir(db, k, path, n, id);
			return &db->dirv[id];
		}
	}
	if (walk_listed(db, root, path, n, &id))
		return NULL;
	seen_dir(db, db->nrecent, path, n, id);
	return &db->dirv[id];
}

int bd_pkgdb_own_in(struct bd_pkgdb *db, const struct bd_pkgdb_dir *d,
		    const char *name, size_t len, size_t index)
{
	bool added;

	/* the first owner stays */
	return len ? bd_pathmap_add(&db->files, d->canon_id, name, len,
				    (uint32_t)index, &added)
		   : 0;
}

/* A name's summary (up to a NUL), not the table's hash; its low bits are
 * the filter's index. Eight bytes at a time, multiplied and folded (a byte
 * at a time, FNV-1a, was a third of a pass over this host's 151,053 list
 * lines). */
uint32_t bd_pkgdb_name_hash(const char *name, size_t len)
{
	return bd_pkgdb_hash_bytes(name, strnlen(name, len));
}

static bool want_bit_set(const struct bd_pkgdb_want *w, uint32_t hash)
{
	return bd_pkgdb_filter_has(w->bits, hash);
}

const uint64_t *bd_pkgdb_want_filter(const struct bd_pkgdb *db)
{
	return db->want ? db->want->bits : NULL;
}

/* Whether hash is among the n sorted summaries (bd_lower_bound_u32,
 * inline: bsearch called its comparison at each step, ~200 instructions a
 * look among a Debian root's 6,700 names). */
static bool summary_among(const uint32_t *v, size_t n, uint32_t hash)
{
	size_t at = bd_lower_bound_u32(v, n, hash);

	return at < n && v[at] == hash;
}

/* Whether a name of this summary may be among w's: its bit set, and once
 * they are sorted, the summary among theirs. The map's keyed hash costs
 * ~1,000 instructions; of a Debian root's 144,000 list lines, the filter
 * passed 13,000 on to it, this look far fewer. */
static bool may_have(const struct bd_pkgdb_want *w, uint32_t hash)
{
	return want_bit_set(w, hash) &&
	       (!w->sorted || summary_among(w->hashes, w->nhashes, hash));
}

bool bd_pkgdb_wanted_hash(const struct bd_pkgdb *db, const char *name,
			  size_t len, uint32_t hash)
{
	const struct bd_pkgdb_want *w = db->want;

	return !w ||
	       (may_have(w, hash) && bd_map_getn(&w->names, name, len, NULL));
}

bool bd_pkgdb_wanted(const struct bd_pkgdb *db, const char *name, size_t len)
{
	return bd_pkgdb_wanted_hash(db, name, len,
				    bd_pkgdb_name_hash(name, len));
}

bool bd_pkgdb_any_wanted(const struct bd_pkgdb *db, const uint32_t *hashes,
			 size_t n)
{
	const struct bd_pkgdb_want *w = db->want;
	size_t i;

	if (!w || !w->sorted) /* no false "no" */
		return n != 0;
	/* the filter inline (may_have was a call a summary, most of
	 * this) */
	for (i = 0; i < n; i++)
		if (want_bit_set(w, hashes[i]) && may_have(w, hashes[i]))
			return true;
	return false;
}

void bd_pkgdb_want_sort(struct bd_pkgdb *db)
{
	struct bd_pkgdb_want *w = db->want;

	if (!w || w->sorted)
		return;
	qsort(w->hashes, w->nhashes, sizeof(*w->hashes), bd_cmp_u32);
	w->sorted = true;
}

/* Adds name (its summary and keyed hash given) to w; its summary to
 * those bd_pkgdb_any_wanted looks among when summed (a pass's names,
 * not those of every pass). */
static int want_add(struct bd_pkgdb_want *w, const char *name, uint32_t summary,
		    uint64_t hash, bool summed)
{
	uint32_t bit = summary & (WANT_BITS - 1);

	if (summed) {
		if (BD_GROW(w->hashes, w->ahashes, w->nhashes + 1))
			return BD_ENOMEM;
		w->hashes[w->nhashes++] = summary;
		w->sorted = false;
	}
	w->bits[bit / 64] |= (uint64_t)1 << (bit % 64);
	return bd_map_puth(&w->names, name, hash, 0);
}

static struct bd_pkgdb_want *want_new(void)
{
	struct bd_pkgdb_want *w = calloc(1, sizeof(*w));

	if (w)
		bd_map_init(&w->names);
	return w;
}

static void want_free(struct bd_pkgdb_want *w)
{
	if (w) {
		bd_map_release(&w->names);
		free(w->hashes);
	}
	free(w);
}

/* A name for this pass, unless an earlier one had it: each name is
 * looked for in one pass over the lists, whose order makes its owner. */
static int want_fresh(struct bd_pkgdb *db, const char *name)
{
	size_t len = strlen(name);
	uint32_t summary = bd_pkgdb_name_hash(name, len);
	/* One keyed hash for the three maps (~100 ns each). */
	uint64_t hash = bd_map_hash(name, len);

	if (want_bit_set(db->asked, summary) &&
	    bd_map_geth(&db->asked->names, name, len, hash, NULL))
		return 0;
	return want_add(db->asked, name, summary, hash, false) ||
			       want_add(db->want, name, summary, hash, true)
		       ? BD_ENOMEM
		       : 0;
}

int bd_pkgdb_keep(struct bd_pkgdb *db, const char *name)
{
	return db->want ? want_fresh(db, name) : 0;
}

int bd_pkgdb_own(struct bd_pkgdb *db, const struct bd_root *root,
		 const char *path, size_t index)
{
	const char *slash = strrchr(path, '/');
	const struct bd_pkgdb_dir *d;
	struct bd_error e;

	/* apk's or rpm's file while dpkg's lists wait (db->defer_files): a
	 * whole load owns dpkg's files first, and the first owner stays, so
	 * dpkg's lines are looked at now, for every name. */
	if (db->dpkg_pending && bd_pkgdb_files_done(db, root, NULL, &e))
		return BD_ENOMEM;
	if (path[0] != '/' || !slash || !slash[1])
		return 0;
	if (!bd_pkgdb_wanted(db, slash + 1, strlen(slash + 1)))
		return 0;
	d = bd_pkgdb_dir(db, root, path, (size_t)(slash - path) + 1);
	if (!d)
		return bd_pkgdb_dir_failed(db);
	return bd_pkgdb_own_in(db, d, slash + 1, strlen(slash + 1), index);
}

int bd_pkgdb_dir_failed(const struct bd_pkgdb *db)
{
	return dirs_refused(db) ? 0 : BD_ENOMEM;
}

void bd_pkgdb_say_share(const struct bd_pkgdb *db, const char *file,
			const char *package, const struct bd_diag *diag)
{
	bd_diag_report(diag, BD_DIAG_WARNING,
		       "'%s': %s%s%sits new directories come to more than its "
		       "share of the directory cap (%llu KiB, 1/%u of what "
		       "the lists before left of %llu MiB), the rest not "
		       "kept: a file it lists in one is owned by none",
		       file, package ? "package " : "", package ? package : "",
		       package ? ": " : "",
		       (unsigned long long)(db->text.dir_share.given >> 10),
		       BD_PKGDB_DIR_SHARE,
		       (unsigned long long)(db->max_dir_bytes >> 20));
}

void bd_pkgdb_say_capped(struct bd_pkgdb *db, const struct bd_diag *diag)
{
	if (!db->dirs_capped || db->dirs_said || !diag)
		return;
	bd_diag_report(diag, BD_DIAG_WARNING,
		       "package databases list more than %llu MiB of "
		       "directories: files in the others are owned by none",
		       (unsigned long long)(db->max_dir_bytes >> 20));
	db->dirs_said = true;
}

/*
 * The inverse of the keys bd_pkgdb_own makes: a path is its directory's
 * canonical form, a '/' (none after "/") and a name, split at its last
 * '/'; the directory is walked a name at a time in the canonical tree.
 * "//x" is no such join ("/" and "x" make "/x"), nor "/a//x".
 */
const struct bd_package *bd_pkgdb_owner(const struct bd_pkgdb *db,
					const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL, *p, *end;
	uint32_t id = 0, i;

	if (!slash || !slash[1] || path[0] != '/' ||
	    (slash != path && slash[-1] == '/'))
		return NULL;
	for (p = path + 1; p < slash; p = end + 1) {
		end = memchr(p, '/', (size_t)(slash - p));
		if (!end)
			end = slash;
		if (end == p ||
		    !bd_pathmap_get(&db->canon, id, p, (size_t)(end - p), &id))
			return NULL;
	}
	return bd_pathmap_get(&db->files, id, slash + 1, strlen(slash + 1), &i)
		       ? &db->pkgs[i]
		       : NULL;
}

int bd_pkgdb_file(const struct bd_pkgdb *db, size_t i, struct bd_buf *out,
		  size_t *index)
{
	const struct bd_pathmap_entry *e = &db->files.entries[i];

	if (canon_text(db, e->scope, out))
		return BD_ENOMEM;
	if (out->len > 1)
		bd_buf_addc(out, '/');
	bd_buf_adds(out, db->files.pool + e->name);
	*index = e->value;
	return bd_buf_ok(out) ? 0 : BD_ENOMEM;
}

/* ---- os-release -----------------------------------------------------------
 */

/*
 * A value of os-release(5), read as systemd's parser reads its shell-like
 * assignments: blanks after it are not part of it (nor a CR: a file
 * written on Windows), '...' is taken as it is, and a backslash escapes
 * the next character unquoted, and in "..." only " \\ ` and $ (as the
 * shell does: elsewhere it stays). NULL when out of memory, or with *bad
 * when a quote is not closed on its line.
 */
static char *os_value(struct bd_arena *a, const char *v, size_t len, bool *bad)
{
	char *out = bd_arena_alloc(a, len + 1), quote = 0;
	size_t i, n = 0;

	while (len &&
	       (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
		len--;
	for (i = 0; out && i < len; i++) {
		char c = v[i];

		if (quote && c == quote) {
			quote = 0;
		} else if (!quote && (c == '"' || c == '\'')) {
			quote = c;
		} else if (c == '\\' && quote != '\'' && i + 1 < len &&
			   v[i + 1] && (!quote || strchr("\"\\`$", v[i + 1]))) {
			out[n++] = v[++i];
		} else {
			out[n++] = c;
		}
	}
	if (!out)
		return NULL;
	out[n] = '\0';
	*bad = quote != 0;
	return out;
}

/* An os-release(5) identifier (ID, VERSION_ID): lower-case, of 0-9, a-z,
 * ".", "_" and "-". Upper case is folded (ID=Debian is seen); anything
 * else makes no purl namespace or distro qualifier ("debian%0D", or
 * "ubu/ntu" as two segments): false. */
static bool os_identifier(char *s)
{
	for (; *s; s++) {
		*s = (char)tolower((unsigned char)*s);
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	}
	return true;
}

/* One assignment's value (key, for the warning) kept in *field when it
 * is an identifier; an empty one is none, and any other is said. */
static void os_field(struct bd_pkgdb *db, const char *file, const char *key,
		     const char *v, size_t len, const char **field,
		     const struct bd_diag *diag)
{
	bool bad = false;
	char *value = os_value(&db->arena, v, len, &bad);

	if (!value || (!bad && !*value))
		return;
	if (!bad && os_identifier(value)) {
		*field = value;
		return;
	}
	bd_diag_report(diag, BD_DIAG_WARNING,
		       "'%s': %s '%.*s' is not an os-release identifier "
		       "(a-z, 0-9, '.', '_', '-'), ignored",
		       file, key, (int)(len > 64 ? 64 : len), v);
}

static void parse_os_release(struct bd_pkgdb *db, const char *file,
			     const char *text, size_t len,
			     const struct bd_diag *diag)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		if (n > 3 && !strncmp(line, "ID=", 3))
			os_field(db, file, "ID", line + 3, n - 3, &db->os_id,
				 diag);
		else if (n > 11 && !strncmp(line, "VERSION_ID=", 11))
			os_field(db, file, "VERSION_ID", line + 11, n - 11,
				 &db->os_version_id, diag);
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
	return bd_pkgdb_read_at(db, root, "/", inside, inside, max, len, diag);
}

char *bd_pkgdb_read_at(struct bd_pkgdb *db, const struct bd_root *root,
		       const char *dir, const char *rel, const char *inside,
		       size_t max, size_t *len, const struct bd_diag *diag)
{
	struct bd_buf host = BD_BUF_INIT;
	uint64_t left = BD_PKGDB_MAX_TOTAL - db->bytes_read;
	size_t cap = left < max ? (size_t)left : max;
	struct bd_error e;
	char *text = NULL;
	int rc;

	if (db->budget_spent)
		return NULL;
	if (!bd_root_host_of(root, dir, rel, NULL, &host, NULL)) {
		/* cap 0 would be no limit: an empty budget reads nothing */
		rc = !cap ? BD_ELIMIT
			  : bd_root_read(root, host.data, 0, cap, &text, len,
					 &e);
		if (!rc)
			bd_pkgdb_take(db, inside, *len, diag);
		else if (rc == BD_ELIMIT && cap < max)
			bd_pkgdb_take(db, inside, left + 1, diag);
		else if (rc == BD_ELIMIT)
			oversized(db, inside, max, diag);
		else if (rc != BD_ENOENT && rc != BD_ENOMEM)
			bd_diag_failure(diag, &e, "skipping");
	}
	bd_buf_release(&host);
	return text;
}

/* The files over their size limit after the first, counted. */
static void say_oversized(const struct bd_pkgdb *db, const struct bd_diag *diag)
{
	if (db->oversized > 1)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': %zu more package database files like it "
			       "over their size limit, skipped",
			       db->first_oversized ? db->first_oversized : "",
			       db->oversized - 1);
}

char *bd_pkgdb_read_again(const struct bd_root *root, const char *dir,
			  const char *rel, size_t max, size_t *len)
{
	struct bd_buf host = BD_BUF_INIT;
	struct bd_error e;
	char *text = NULL;

	if (bd_root_host_of(root, dir, rel, NULL, &host, NULL) ||
	    bd_root_read(root, host.data, 0, max, &text, len, &e))
		text = NULL;
	bd_buf_release(&host);
	return text;
}

int bd_pkgdb_load(struct bd_pkgdb *db, const struct bd_root *root,
		  const struct bd_diag *diag, struct bd_error *err)
{
	size_t len = 0;
	const char *file = "/etc/os-release";
	char *text =
		bd_pkgdb_read(db, root, file, BD_PKGDB_MAX_FILE, &len, diag);
	int rc;

	if (!text) {
		file = "/usr/lib/os-release";
		text = bd_pkgdb_read(db, root, file, BD_PKGDB_MAX_FILE, &len,
				     diag);
	}
	if (text)
		parse_os_release(db, file, text, len, diag);
	free(text);
	rc = bd_pkgdb_load_dpkg(db, root, diag);
	if (!rc)
		rc = bd_pkgdb_load_apk(db, root, diag);
	if (!rc)
		rc = bd_pkgdb_load_rpm(db, root, diag);
	say_oversized(db, diag);
	bd_pkgdb_say_capped(db, diag);
	return rc ? bd_error_set(err, rc, "out of memory") : 0;
}

/* This pass's names: the base names of paths no earlier pass had. */
static int want_paths(struct bd_pkgdb *db, const char *const *paths, size_t n)
{
	size_t i;
	int rc = 0;

	/* Both maps sized at once (issue 13: growing them by doubling was
	 * most of this on a Debian root's 2,600 names). */
	if (bd_map_reserve(&db->asked->names, db->asked->names.count + n) ||
	    bd_map_reserve(&db->want->names, n))
		return BD_ENOMEM;
	for (i = 0; i < n && !rc; i++) {
		const char *slash = paths[i] ? strrchr(paths[i], '/') : NULL;

		if (paths[i])
			rc = want_fresh(db, slash ? slash + 1 : paths[i]);
	}
	return rc;
}

int bd_pkgdb_load_files(struct bd_pkgdb *db, const struct bd_root *root,
			const char *const *names, size_t n,
			const struct bd_diag *diag, struct bd_error *err)
{
	int rc = 0;

	if (!db->dpkg_pending)
		return 0;
	if (!names) /* every file: one pass, the last */
		return bd_pkgdb_files_done(db, root, diag, err);
	if ((!db->asked && !(db->asked = want_new())) ||
	    !(db->want = want_new()) || want_paths(db, names, n))
		rc = BD_ENOMEM;
	/* Nothing new asked about (no ELF file, or only artifacts'): no
	 * line can matter. */
	if (!rc && db->want->names.count)
		rc = bd_pkgdb_load_dpkg_files(db, root, diag);
	want_free(db->want);
	db->want = NULL;
	return rc ? bd_error_set(err, rc, "out of memory") : 0;
}

int bd_pkgdb_files_done(struct bd_pkgdb *db, const struct bd_root *root,
			const struct bd_diag *diag, struct bd_error *err)
{
	int rc = 0;

	if (!db->dpkg_pending)
		return 0;
	/* The diversions, for every name asked about; with none asked
	 * (db->asked NULL), every name. */
	db->want = db->asked;
	if (!db->asked)
		rc = bd_pkgdb_load_dpkg_files(db, root, diag);
	if (!rc)
		rc = bd_pkgdb_dpkg_divert(db, root, diag);
	db->want = NULL;
	want_free(db->asked);
	db->asked = NULL;
	bd_pkgdb_dpkg_pending_free(db);
	bd_pkgdb_say_capped(db, diag);
	return rc ? bd_error_set(err, rc, "out of memory") : 0;
}