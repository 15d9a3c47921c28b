/* SPDX-License-Identifier: MIT */
#include "bindep/pkgdb.h"
#include "bindep/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Parents resolved by recursion before the long walk takes over: deeper
 * than any real directory, shallow enough for any stack. */
#define PKGDB_DIR_DEPTH 64

/*
 * The base names bd_pkgdb_load_files keeps. A line's name is looked up in
 * `bits` first, a 64 Kibit filter by a cheap hash (FNV-1a): most lines of
 * a file list fail there in a few nanoseconds, where the keyed map costs
 * ~100 ns a look-up. The filter only passes lines on to the map, which
 * decides: names crafted to collide in it cost the map's look-up, no more.
 */
#define WANT_BITS (1u << 16)

struct bd_pkgdb_want {
	uint64_t bits[WANT_BITS / 64];
	struct bd_map names;
	/* The names' summaries (bd_pkgdb_name_hash), sorted by
	 * bd_pkgdb_want_sort for bd_pkgdb_hash_wanted. */
	uint32_t *hashes;
	size_t nhashes, ahashes;
	bool sorted;
};

static struct bd_pkgdb_dir *canonical_dir(struct bd_pkgdb *db,
					  const struct bd_root *root,
					  const char *dir, size_t len,
					  unsigned depth);
static void want_free(struct bd_pkgdb_want *w);

void bd_pkgdb_init(struct bd_pkgdb *db)
{
	memset(db, 0, sizeof(*db));
	bd_arena_init(&db->arena);
	bd_pathmap_init(&db->files);
	bd_map_init(&db->canon);
	bd_map_init(&db->by_name);
	bd_map_init(&db->dirs);
	db->max_dir_bytes = BD_PKGDB_MAX_DIR_BYTES;
	db->max_status_d = BD_PKGDB_MAX_STATUS_D;
	for (size_t i = 0; i < BD_ARRAY_SIZE(db->recent); i++)
		db->recent[i] = SIZE_MAX;
}

void bd_pkgdb_release(struct bd_pkgdb *db)
{
	bd_pkgdb_dpkg_pending_free(db);
	want_free(db->asked);
	free(db->pkgs);
	free(db->dirv);
	free(db->canonv);
	bd_pathmap_release(&db->files);
	bd_map_release(&db->canon);
	bd_map_release(&db->by_name);
	bd_map_release(&db->dirs);
	bd_arena_release(&db->arena);
	bd_pkgdb_init(db);
}

bool bd_pkgdb_find(const struct bd_pkgdb *db, const char *name,
		   const char *arch, size_t *index)
{
	struct bd_buf key = BD_BUF_INIT;
	uint32_t i;
	bool found;

	/* As bd_pkgdb_add makes it, whatever its length. */
	bd_buf_printf(&key, "%s:%s", name, arch ? arch : "");
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
	q->license = bd_arena_strdup(a, p->license);
	q->gone = false;
	q->multiarch_same = p->multiarch_same;
	key = bd_arena_printf(a, "%s:%s", p->name, p->arch ? p->arch : "");
	if (!q->type || !q->name || !key || (p->license && !q->license))
		return BD_ENOMEM;
	*index = db->n++;
	if (bd_map_put(&db->by_name, key, (uint32_t)*index))
		return BD_ENOMEM;
	return bd_map_get(&db->by_name, q->name, NULL)
		       ? 0
		       : bd_map_put(&db->by_name, q->name, (uint32_t)*index);
}

/* Takes n bytes of directory text from db->max_dir_bytes; false (and
 * db->dirs_capped) when they are not left. */
static bool dir_text(struct bd_pkgdb *db, size_t n)
{
	if (db->dirs_capped || n > db->max_dir_bytes - db->dir_bytes) {
		db->dirs_capped = true;
		return false;
	}
	db->dir_bytes += n;
	return true;
}

/* A directory resolved the long way: bd_root_resolve walks it from "/",
 * one lstat per component. "Gone" (or a loop) keeps it as listed. */
static int resolve_dir(struct bd_pkgdb *db, const struct bd_root *root,
		       const char *key, struct bd_pkgdb_dir *out)
{
	struct bd_buf b = BD_BUF_INIT;

	out->resolved = !bd_root_resolve(root, "/", key, true, &b);
	if (!out->resolved || !strcmp(b.data, key))
		out->canon = key;
	else if (dir_text(db, b.len + 1))
		out->canon = bd_arena_strdup(&db->arena, b.data);
	else
		out->canon = NULL;
	bd_buf_release(&b);
	if (!out->canon)
		return db->dirs_capped ? BD_ELIMIT : BD_ENOMEM;
	return 0;
}

/* Whether a component may be joined to its parent's canonical form as it
 * is: a name, not "", "." or "..", which the walk folds. */
static bool plain_name(const char *name)
{
	return *name && strcmp(name, ".") && strcmp(name, "..");
}

/* A canonical directory and a name joined ("/" and "lib": "/lib"), in
 * the arena; NULL when out of memory. */
static char *join(struct bd_arena *a, const char *dir, const char *name,
		  size_t len)
{
	size_t n = strcmp(dir, "/") ? strlen(dir) : 0;
	char *s = bd_arena_alloc(a, n + len + 2);

	if (s) {
		memcpy(s, dir, n);
		s[n] = '/';
		memcpy(s + n + 1, name, len);
		s[n + 1 + len] = '\0';
	}
	return s;
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
	static const struct bd_pkgdb_dir top = { .canon = "/",
						 .resolved = true };
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
		return db->dirs_capped ? BD_ELIMIT : BD_ENOMEM;
	out->canon = key;
	out->resolved = false;
	if (!parent->resolved)
		return 0;
	/* Most directories are canonical as listed: their text is kept
	 * once (key is the parent's text, '/' and name). */
	if (parent == &top || parent->canon == parent->listed)
		out->canon = key;
	else if (dir_text(db, strlen(parent->canon) + strlen(name) + 2))
		out->canon =
			join(&db->arena, parent->canon, name, strlen(name));
	else
		return BD_ELIMIT;
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

/* The id of a canonical directory, a new one the first time: the files
 * of /lib/x and of /usr/lib/x (merged /usr) are those of one directory.
 * hash is canon's (bd_map_hash). */
static int canon_id(struct bd_pkgdb *db, const char *canon, uint64_t hash,
		    uint32_t *id)
{
	if (bd_map_geth(&db->canon, canon, strlen(canon), hash, id))
		return 0;
	if (db->ncanon >= UINT32_MAX ||
	    BD_GROW(db->canonv, db->canon_alloc, db->ncanon + 1))
		return BD_ENOMEM;
	*id = (uint32_t)db->ncanon;
	db->canonv[db->ncanon++] = canon;
	return bd_map_puth(&db->canon, canon, hash, *id);
}

/* The canonical form of a directory, memoised: packages list a few
 * thousand directories for a hundred thousand files, and each is resolved
 * from its parent's. NULL when out of memory, or past max_dir_bytes
 * (db->dirs_capped). */
static struct bd_pkgdb_dir *canonical_dir(struct bd_pkgdb *db,
					  const struct bd_root *root,
					  const char *dir, size_t len,
					  unsigned depth)
{
	uint64_t hash = bd_map_hash(dir, len);
	struct bd_pkgdb_dir d = { 0 };
	char *key;
	uint32_t i;

	/* Looked up as it is, a prefix of the path: the table keeps a
	 * directory once, not once per file in it. One hash for the lookup
	 * and the puts of a new one, canonical as listed. */
	if (bd_map_geth(&db->dirs, dir, len, hash, &i))
		return &db->dirv[i];
	if (!dir_text(db, len + 1))
		return NULL;
	key = bd_arena_strndup(&db->arena, dir, len);
	if (!key || dir_from_parent(db, root, key, depth, &d) ||
	    canon_id(db, d.canon,
		     d.canon == key ? hash
				    : bd_map_hash(d.canon, strlen(d.canon)),
		     &d.canon_id) ||
	    BD_GROW(db->dirv, db->dirs_alloc, db->ndirs + 1) ||
	    db->ndirs >= UINT32_MAX ||
	    bd_map_puth(&db->dirs, key, hash, (uint32_t)db->ndirs))
		return NULL;
	d.listed = key;
	d.listed_len = strlen(key);
	db->dirv[db->ndirs] = d;
	return &db->dirv[db->ndirs++];
}

/* Moves recent[k] (or index, new) to the front of db->recent. */
static void seen_dir(struct bd_pkgdb *db, size_t k, size_t index)
{
	memmove(db->recent + 1, db->recent, k * sizeof(db->recent[0]));
	db->recent[0] = index;
}

struct bd_pkgdb_dir *bd_pkgdb_dir(struct bd_pkgdb *db,
				  const struct bd_root *root, const char *path,
				  size_t len)
{
	const size_t last = BD_ARRAY_SIZE(db->recent) - 1;
	const char *slash = memrchr(path, '/', len);
	size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
	struct bd_pkgdb_dir *d;
	size_t k;

	for (k = 0; k <= last && db->recent[k] < db->ndirs; k++) {
		d = &db->dirv[db->recent[k]];
		if (d->listed_len == n && !memcmp(d->listed, path, n)) {
			seen_dir(db, k, db->recent[k]);
			return d;
		}
	}
	d = canonical_dir(db, root, path, n, 0);
	if (d)
		seen_dir(db, k > last ? last : k, (size_t)(d - db->dirv));
	return d;
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
	uint32_t bit = hash & (WANT_BITS - 1);

	return w->bits[bit / 64] >> (bit % 64) & 1;
}

bool bd_pkgdb_wanted_hash(const struct bd_pkgdb *db, const char *name,
			  size_t len, uint32_t hash)
{
	const struct bd_pkgdb_want *w = db->want;

	return !w || (want_bit_set(w, hash) &&
		      bd_map_getn(&w->names, name, len, NULL));
}

bool bd_pkgdb_wanted(const struct bd_pkgdb *db, const char *name, size_t len)
{
	return bd_pkgdb_wanted_hash(db, name, len,
				    bd_pkgdb_name_hash(name, len));
}

bool bd_pkgdb_hash_wanted(const struct bd_pkgdb *db, uint32_t hash)
{
	const struct bd_pkgdb_want *w = db->want;

	if (!w || !w->sorted) /* no false "no" */
		return true;
	return want_bit_set(w, hash) &&
	       bsearch(&hash, w->hashes, w->nhashes, sizeof(hash), bd_cmp_u32);
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
 * those bd_pkgdb_hash_wanted looks among when summed (a pass's names,
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
	return db->dirs_capped ? 0 : BD_ENOMEM;
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
 * '/'. "//x" is no such join ("/" and "x" make "/x").
 */
const struct bd_package *bd_pkgdb_owner(const struct bd_pkgdb *db,
					const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	size_t n;
	uint32_t id, i;

	if (!slash || !slash[1])
		return NULL;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n == 1 && slash != path)
		return NULL;
	return bd_map_getn(&db->canon, path, n, &id) &&
			       bd_pathmap_get(&db->files, id, slash + 1,
					      strlen(slash + 1), &i)
		       ? &db->pkgs[i]
		       : NULL;
}

int bd_pkgdb_file(const struct bd_pkgdb *db, size_t i, struct bd_buf *out,
		  size_t *index)
{
	const struct bd_pathmap_entry *e = &db->files.entries[i];
	const char *dir = db->canonv[e->scope];

	bd_buf_reset(out);
	bd_buf_printf(out, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "",
		      db->files.pool + e->name);
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