/* SPDX-License-Identifier: MIT */
/*
 * rpm's database: rpmdb.sqlite (rpm >= 4.16), a table Packages(hnum, blob)
 * whose blobs are package headers, read with libsqlite3, read-only; or
 * the Berkeley DB Packages of older releases, whose records are the same
 * blobs (pkgdb_rpm_bdb.c), or SUSE's NDB Packages.db (pkgdb_rpm_ndb.c).
 * The header format is rpm's own (lib/header.c, headerExport()).
 */
#include "bindep/common.h"
#include "bindep/pkgdb.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_LICENSE = 1014,
	TAG_ARCH = 1022,
	TAG_SOURCERPM = 1044,
	TAG_DIRINDEXES = 1116,
	TAG_BASENAMES = 1117,
	TAG_DIRNAMES = 1118,
};

enum { TYPE_INT32 = 4, TYPE_STRING = 6, TYPE_STRING_ARRAY = 8 };

#define MAX_INDEX 100000u      /* rpm's own limit on index entries */
#define MAX_DATA  (256u << 20) /* and on the data store */
/* The bytes of a package's file paths, together: a real package has a
 * few megabytes at most (texlive's largest, 100,000 files, has 8). */
#define MAX_PATH_BYTES (64ull << 20)
#define PATH_SLACK     (1u << 20) /* beside four times the data store */
/* rpmdb.sqlite is read whole into memory: a large distribution's is some
 * tens of MiB. The Berkeley DB Packages and NDB's Packages.db are read a
 * page or a blob at a time, but no larger one is opened either (a RHEL 8
 * install's Packages is under 200 MiB). */
#define MAX_SQLITE (1024ull << 20)
#define MAX_PAGED  MAX_SQLITE

/*
 * The database is input like any other: its schema can make a query
 * endless (issue 11: Packages as a recursive view never finished). So
 * Packages must be a real table of rpm's schema, the rows read are
 * bounded, and every statement runs under a budget of virtual machine
 * steps (sqlite3_progress_handler), deterministic where a clock is not.
 * Reading rpm's own schema costs about 30 steps a package.
 */
#define MAX_PACKAGES  100000u /* rows read; Fedora installs ~2,000 */
#define STEP_INTERVAL 1000    /* steps between progress callbacks */
#define STEP_BUDGET   50000u  /* callbacks: 5e7 steps, about a second */
/* The largest blob a header can be, as bd_rpm_parse_header accepts. */
#define MAX_BLOB (8 + 16 * MAX_INDEX + MAX_DATA)
_Static_assert(MAX_BLOB == BD_RPM_MAX_HEADER, "the same limit");

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

struct entry {
	uint32_t tag, type, offset, count;
};

/* A string at off in the data store: it must end inside it. */
static const char *string_at(const unsigned char *data, uint32_t dl,
			     uint32_t off, uint32_t *next)
{
	const unsigned char *nul;

	if (off >= dl)
		return NULL;
	nul = memchr(data + off, '\0', dl - off);
	if (!nul)
		return NULL;
	if (next)
		*next = (uint32_t)(nul - data) + 1;
	return (const char *)data + off;
}

/* count strings from off, as a malloc'd array. */
static int string_array(const unsigned char *data, uint32_t dl,
			const struct entry *e, const char *const **out)
{
	const char **v;
	uint32_t i, off = e->offset;

	if (e->count > dl)
		return BD_EFORMAT;
	v = calloc(e->count ? e->count : 1, sizeof(*v));
	if (!v)
		return BD_ENOMEM;
	for (i = 0; i < e->count; i++) {
		v[i] = string_at(data, dl, off, &off);
		if (!v[i]) {
			free(v);
			return BD_EFORMAT;
		}
	}
	*out = v;
	return 0;
}

static int int32_array(const unsigned char *data, uint32_t dl,
		       const struct entry *e, uint32_t **out)
{
	uint32_t i, *v;

	if (e->offset % 4 || e->count > dl / 4 || e->offset > dl - e->count * 4)
		return BD_EFORMAT;
	v = calloc(e->count ? e->count : 1, sizeof(*v));
	if (!v)
		return BD_ENOMEM;
	for (i = 0; i < e->count; i++)
		v[i] = be32(data + e->offset + 4 * i);
	*out = v;
	return 0;
}

static int take_entry(const unsigned char *data, uint32_t dl,
		      const struct entry *e, struct bd_rpm_header *h)
{
	const char **field = NULL;
	uint32_t *epoch;
	int rc;

	switch (e->tag) {
	case TAG_NAME: field = &h->name; break;
	case TAG_VERSION: field = &h->version; break;
	case TAG_RELEASE: field = &h->release; break;
	case TAG_ARCH: field = &h->arch; break;
	case TAG_SOURCERPM: field = &h->sourcerpm; break;
	case TAG_LICENSE: field = &h->license; break;
	case TAG_EPOCH:
		if (e->type != TYPE_INT32 || e->count != 1)
			return BD_EFORMAT;
		rc = int32_array(data, dl, e, &epoch);
		if (!rc) {
			h->has_epoch = true;
			h->epoch = epoch[0];
			free(epoch);
		}
		return rc;
	case TAG_DIRINDEXES:
		if (e->type != TYPE_INT32 || h->dirindexes)
			return BD_EFORMAT;
		h->nindexes = e->count;
		return int32_array(data, dl, e, &h->dirindexes);
	case TAG_BASENAMES:
	case TAG_DIRNAMES:
		if (e->type != TYPE_STRING_ARRAY ||
		    (e->tag == TAG_BASENAMES ? h->basenames : h->dirnames))
			return BD_EFORMAT;
		if (e->tag == TAG_DIRNAMES) {
			h->ndirs = e->count;
			return string_array(data, dl, e, &h->dirnames);
		}
		h->nbasenames = e->count;
		return string_array(data, dl, e, &h->basenames);
	default: return 0;
	}
	/* A tag is in a header once: each again would scan its string
	 * again (100,000 entries on a 16 MiB name took a minute). */
	if (*field || (e->type != TYPE_STRING && e->type != 9 /* I18NSTRING */))
		return BD_EFORMAT;
	*field = string_at(data, dl, e->offset, NULL);
	return *field ? 0 : BD_EFORMAT;
}

/*
 * Whether the paths the header's files make (each a directory name and a
 * base name) are not many times its data store (dl bytes), nor past
 * MAX_PATH_BYTES: a million base names on one directory of a megabyte
 * would be a terabyte of paths to make and look up, from a few megabytes
 * of header. A real header holds more per file than its path (digest,
 * mode, size, owner). Each string's length is taken once.
 */
static bool paths_fit(const struct bd_rpm_header *h, uint32_t dl)
{
	uint32_t *dirlen = malloc((h->ndirs ? h->ndirs : 1) * sizeof(*dirlen));
	uint64_t total = 0, most = 4 * (uint64_t)dl + PATH_SLACK;
	size_t k;

	if (most > MAX_PATH_BYTES)
		most = MAX_PATH_BYTES;

	if (!dirlen)
		return false;
	for (k = 0; k < h->ndirs; k++)
		dirlen[k] = (uint32_t)strlen(h->dirnames[k]);
	for (k = 0; k < h->nfiles && total <= most; k++)
		total += (uint64_t)dirlen[h->dirindexes[k]] +
			 strlen(h->basenames[k]);
	free(dirlen);
	return total <= most;
}

int bd_rpm_parse_header(const unsigned char *blob, size_t len,
			struct bd_rpm_header *h)
{
	uint32_t il, dl, i;
	const unsigned char *data;
	size_t k;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (len < 8)
		return BD_EFORMAT;
	il = be32(blob);
	dl = be32(blob + 4);
	if (il == 0 || il > MAX_INDEX || dl > MAX_DATA ||
	    len - 8 < (size_t)il * 16 || len - 8 - (size_t)il * 16 < dl)
		return BD_EFORMAT;
	data = blob + 8 + (size_t)il * 16;
	for (i = 0; !rc && i < il; i++) {
		const unsigned char *p = blob + 8 + (size_t)i * 16;
		struct entry e = { be32(p), be32(p + 4), be32(p + 8),
				   be32(p + 12) };

		rc = take_entry(data, dl, &e, h);
	}
	/* Counted apart: a first array of 0 entries must not let a second
	 * of any length pass (found by libFuzzer). */
	if (!rc && h->nindexes != h->nbasenames)
		rc = BD_EFORMAT;
	h->nfiles = h->nbasenames;
	for (k = 0; !rc && h->dirindexes && k < h->nfiles; k++) {
		if (h->dirindexes[k] >= h->ndirs)
			rc = BD_EFORMAT;
	}
	if (!rc && (!h->name || (h->nfiles && (!h->basenames || !h->dirnames ||
					       !h->dirindexes))))
		rc = BD_EFORMAT;
	if (!rc && h->nfiles && !paths_fit(h, dl))
		rc = BD_EFORMAT;
	if (rc)
		bd_rpm_header_release(h);
	return rc;
}

void bd_rpm_header_release(struct bd_rpm_header *h)
{
	free((void *)h->dirnames);
	free((void *)h->basenames);
	free(h->dirindexes);
	memset(h, 0, sizeof(*h));
}

/* ---- the database ------------------------------------------------------ */

/* "zlib-ng-2.1.6-2.fc40.src.rpm": the source package is what comes before
 * its version and release. */
static void source_of(const char *srpm, struct bd_buf *name,
		      struct bd_buf *version)
{
	size_t len = strlen(srpm);
	const char *release, *ver;

	if (len > 8 && !strcmp(srpm + len - 8, ".src.rpm"))
		len -= 8;
	else if (len > 10 && !strcmp(srpm + len - 10, ".nosrc.rpm"))
		len -= 10;
	release = memrchr(srpm, '-', len);
	ver = release ? memrchr(srpm, '-', (size_t)(release - srpm)) : NULL;
	if (!ver)
		return;
	bd_buf_add(name, srpm, (size_t)(ver - srpm));
	bd_buf_add(version, ver + 1, len - (size_t)(ver + 1 - srpm));
}

/* Malformed headers, warned about once at the end with their count. */
struct skipped {
	size_t n;
	long long first;
};

/* A database being read (rpmdb.sqlite, Berkeley DB or NDB): the records
 * handed over and the malformed headers among them. */
struct loading {
	struct bd_pkgdb *db;
	const struct bd_root *root;
	const char *inside;
	const struct bd_diag *diag;
	size_t rows;
	struct skipped bad;
	bool lookups_said; /* a package's lookups ran out: warned */
	bool share_said;   /* a package's share of the directory cap: warned */
};

/*
 * The bytes of a header's DIRNAMES and BASENAMES, what its directories'
 * lookups are charged against (bd_pkgdb_lookups): the paths they make
 * may be four times the header and 1 MiB (paths_fit), so one deep
 * directory named by many files would buy lookups for the others.
 */
static size_t path_text(const struct bd_rpm_header *h)
{
	size_t n = 0, k;

	for (k = 0; k < h->ndirs; k++)
		n += strlen(h->dirnames[k]) + 1;
	for (k = 0; k < h->nfiles; k++)
		n += strlen(h->basenames[k]) + 1;
	return n;
}

/* A package whose directories cost more lookups than its header's paths
 * may, said once a database, naming the first. */
static void lookups_spent(struct loading *l, const char *name, size_t text)
{
	if (l->lookups_said)
		return;
	l->lookups_said = true;
	bd_diag_report(l->diag, BD_DIAG_WARNING,
		       "'%s': package %s: its directories cost more path "
		       "lookups than %zu bytes of paths may (%u bytes a "
		       "byte of them, %u KiB and what the lists before left "
		       "of %u MiB), the rest taken as listed: a file it "
		       "lists through a symlink there is owned by none",
		       l->inside, name, text, BD_PKGDB_LOOKUPS_PER_BYTE,
		       BD_PKGDB_LOOKUPS_FLOOR >> 10,
		       BD_PKGDB_LOOKUPS_BASE >> 20);
}

/* The header's files owned, its directories' lookups bounded as a dpkg
 * list's are: unbounded, a header of one directory below a new link to
 * "/" and 1,000 deep cost 30 ms, 100,000 of them 50 minutes. */
static int own_files(struct loading *l, const struct bd_rpm_header *h,
		     size_t index)
{
	struct bd_buf path = BD_BUF_INIT;
	size_t text = path_text(h), i;
	int rc = 0;

	bd_pkgdb_lookups(l->db, text);
	for (i = 0; !rc && i < h->nfiles; i++) {
		bd_buf_reset(&path);
		bd_buf_printf(&path, "%s%s", h->dirnames[h->dirindexes[i]],
			      h->basenames[i]);
		rc = bd_buf_ok(&path)
			     ? bd_pkgdb_own(l->db, l->root, path.data, index)
			     : BD_ENOMEM;
	}
	if (l->db->text.spent)
		lookups_spent(l, h->name, text);
	if (l->db->text.dir_share.spent && !l->share_said) {
		l->share_said = true;
		bd_pkgdb_say_share(l->db, l->inside, h->name, l->diag);
	}
	bd_pkgdb_lookups(l->db, SIZE_MAX);
	bd_buf_release(&path);
	return rc;
}

static int add_header(struct loading *l, const struct bd_rpm_header *h)
{
	struct bd_pkgdb *db = l->db;
	struct bd_buf version = BD_BUF_INIT, src = BD_BUF_INIT,
		      srcv = BD_BUF_INIT;
	struct bd_package p = { 0 };
	char epoch[16];
	size_t index;
	int rc;

	bd_buf_printf(&version, "%s%s%s", h->version ? h->version : "",
		      h->release ? "-" : "", h->release ? h->release : "");
	if (h->sourcerpm)
		source_of(h->sourcerpm, &src, &srcv);
	snprintf(epoch, sizeof(epoch), "%u", h->epoch);
	p.type = "rpm";
	p.name = h->name;
	p.version = version.data;
	p.epoch = h->has_epoch ? epoch : NULL;
	p.arch = h->arch;
	p.source = src.len ? src.data : NULL;
	p.source_version = srcv.len ? srcv.data : NULL;
	p.db = l->inside;
	p.license = h->license;
	rc = bd_buf_ok(&version) && bd_buf_ok(&src) && bd_buf_ok(&srcv)
		     ? bd_pkgdb_add(db, &p, &index)
		     : BD_ENOMEM;
	if (!rc)
		rc = own_files(l, h, index);
	bd_buf_release(&version);
	bd_buf_release(&src);
	bd_buf_release(&srcv);
	return rc;
}

/*
 * The SQLite header (sqlite.org/fileformat.html, 1.3): the magic string,
 * the page size at 16 (big-endian; 1 means 65536), the database size in
 * pages at 28, valid when the change counter at 24 equals the
 * version-valid-for number at 92 (SQLite >= 3.7.0 always writes it). It
 * must agree with the file's size, so that a file is not read whole (a
 * sparse 1 GB file cost 2 GB of memory, issue 11) before it is known to
 * be a database of that size.
 */
static const char SQLITE_MAGIC[16] = "SQLite format 3"; /* with its NUL */
#define SQLITE_HEADER 100

static bool sqlite_header_fits(const unsigned char *h, uint64_t size)
{
	uint32_t page = (uint32_t)h[16] << 8 | h[17];
	uint32_t pages = be32(h + 28);

	if (memcmp(h, SQLITE_MAGIC, sizeof(SQLITE_MAGIC)))
		return false;
	if (page == 1)
		page = 65536;
	if (page < 512 || (page & (page - 1)))
		return false;
	if (pages && be32(h + 24) == be32(h + 92))
		return (uint64_t)pages * page == size;
	return size && size % page == 0;
}

/*
 * The database image (sqlite3_malloc64'd, for sqlite3_deserialize): its
 * header read and checked first, then the whole file, its bytes taken
 * from the run's BD_PKGDB_MAX_TOTAL. NULL with e set, or with e clear
 * when the budget's warning was given.
 */
static unsigned char *read_image(struct bd_pkgdb *db,
				 const struct bd_root *root, const char *host,
				 const char *inside, const struct bd_diag *diag,
				 size_t *len, struct bd_error *e)
{
	unsigned char h[SQLITE_HEADER], *image = NULL;
	struct stat st;
	size_t got;
	int fd;

	if (bd_root_open(root, host, 0, MAX_SQLITE, &fd, &st, e))
		return NULL;
	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    !sqlite_header_fits(h, (uint64_t)st.st_size)) {
		bd_error_set(e, BD_EFORMAT,
			     "'%s': no SQLite database header that fits its "
			     "size",
			     inside);
	} else if (bd_pkgdb_take(db, inside, (uint64_t)st.st_size, diag)) {
		*len = (size_t)st.st_size;
		image = sqlite3_malloc64(*len);
		if (image &&
		    (bd_read_upto(fd, image, *len, &got) || got != *len)) {
			sqlite3_free(image);
			image = NULL;
			bd_error_set(e, BD_EIO, "'%s': cannot be read", inside);
		}
	}
	close(fd);
	return image;
}

/* SQLite could not take the image: e says why, as SQLite does ("file is
 * not a database", "database disk image is malformed"), and s is
 * closed. NULL. */
static sqlite3 *sqlite_failed(sqlite3 *s, const char *inside,
			      struct bd_error *e)
{
	bd_error_set(e, BD_EFORMAT, "'%s': %s", inside,
		     s ? sqlite3_errmsg(s) : "out of memory");
	sqlite3_close(s);
	return NULL;
}

/*
 * The database is read into memory through bd_root_open and handed to
 * SQLite as a read-only in-memory image: SQLite never opens a path of its
 * own, so neither the database nor a -wal or -shm beside it can lead out
 * of the root, block on a FIFO, or be written. A WAL journal is not read:
 * rpm checkpoints it when it closes the database.
 */
static sqlite3 *open_db(struct bd_pkgdb *db, const struct bd_root *root,
			const char *host, const char *inside,
			const struct bd_diag *diag, struct bd_error *e)
{
	unsigned char *image;
	sqlite3 *s = NULL;
	size_t len = 0;

	bd_error_clear(e);
	image = read_image(db, root, host, inside, diag, &len, e);
	if (!image)
		return NULL;
	/* File format bytes 18 and 19 (2: WAL): an in-memory image has no
	 * WAL, so it is read as a rollback-journal database. */
	image[18] = image[19] = 1;
	if (sqlite3_open_v2(":memory:", &s, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		sqlite3_free(image);
		return sqlite_failed(s, inside, e);
	}
	/* On failure too, FREEONCLOSE has SQLite free the image. */
	if (sqlite3_deserialize(
		    s, "main", image, (sqlite3_int64)len, (sqlite3_int64)len,
		    SQLITE_DESERIALIZE_FREEONCLOSE |
			    SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
		return sqlite_failed(s, inside, e);
	/* A read of the schema tells whether the image is a database; a
	 * query of Packages could run forever (see read_sqlite). */
	if (sqlite3_exec(s, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL,
			 NULL) != SQLITE_OK)
		return sqlite_failed(s, inside, e);
	return s;
}

static int count_steps(void *ctx)
{
	unsigned *left = ctx;

	return !*left || !--*left; /* non-zero interrupts the statement */
}

/* No query may run unbounded, nor a view or trigger call functions: the
 * schema is not trusted (sqlite.org/security.html). */
static void guard(sqlite3 *s, unsigned *budget)
{
	sqlite3_db_config(s, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(s, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_limit(s, SQLITE_LIMIT_LENGTH, MAX_BLOB);
	sqlite3_progress_handler(s, STEP_INTERVAL, count_steps, budget);
}

/* The first column of a one-row query, or -1. */
static sqlite3_int64 query_int(sqlite3 *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 v = -1;

	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* rpm's schema (lib/backend/sqlite.c): a real table (no view, no virtual
 * table) whose hnum is the integer primary key, so that reading it in
 * hnum order is a walk of its b-tree. */
static bool rpm_schema(sqlite3 *s)
{
	return query_int(s, "SELECT count(*) FROM sqlite_master WHERE "
			    "type = 'table' AND name = 'Packages' COLLATE "
			    "NOCASE AND sql NOT LIKE 'CREATE VIRTUAL%'") == 1 &&
	       query_int(s, "SELECT count(*) FROM pragma_table_info("
			    "'Packages') WHERE (name = 'hnum' COLLATE NOCASE "
			    "AND pk = 1 AND type = 'INTEGER' COLLATE NOCASE) "
			    "OR name = 'blob' COLLATE NOCASE") == 2;
}

static int read_rows(struct loading *l, sqlite3 *s)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, step = SQLITE_DONE;

	if (sqlite3_prepare_v2(s,
			       "SELECT hnum, blob FROM Packages ORDER BY hnum "
			       "LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 1, (sqlite3_int64)MAX_PACKAGES + 1) !=
		    SQLITE_OK) {
		sqlite3_finalize(st);
		return SQLITE_ERROR;
	}
	while (!rc && l->rows <= MAX_PACKAGES &&
	       (step = sqlite3_step(st)) == SQLITE_ROW &&
	       ++l->rows <= MAX_PACKAGES) {
		const void *blob = sqlite3_column_blob(st, 1);
		int len = sqlite3_column_bytes(st, 1);
		struct bd_rpm_header h;

		if (!blob || len <= 0 ||
		    bd_rpm_parse_header(blob, (size_t)len, &h)) {
			if (!l->bad.n++)
				l->bad.first = sqlite3_column_int64(st, 0);
			continue;
		}
		rc = add_header(l, &h);
		bd_rpm_header_release(&h);
	}
	sqlite3_finalize(st);
	return rc ? rc : (step == SQLITE_ROW || step == SQLITE_DONE ? 0 : step);
}

/* The malformed headers, and the packages past MAX_PACKAGES, of a
 * database that gave rows records. */
static void say_skipped(const struct bd_diag *diag, const char *inside,
			const struct skipped *bad, size_t rows)
{
	if (bad->n)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': %zu packages with a malformed header "
			       "skipped (the first: package %lld)",
			       inside, bad->n, bad->first);
	if (rows > MAX_PACKAGES)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': more than %u packages, the rest not read",
			       inside, MAX_PACKAGES);
}

static int read_sqlite(struct bd_pkgdb *db, const struct bd_root *root,
		       const char *inside, const struct bd_diag *diag)
{
	struct loading l = {
		db, root, inside, diag, 0, { 0, 0 }, false, false
	};
	struct bd_buf host = BD_BUF_INIT;
	unsigned budget = STEP_BUDGET;
	struct bd_error e;
	sqlite3 *s = NULL;
	/* Links are followed inside the root only. */
	int rc = bd_root_host_of(root, "/", inside, NULL, &host, &e);

	if (rc == BD_ENOMEM) {
		bd_buf_release(&host);
		return rc;
	}
	if (!rc)
		s = open_db(db, root, host.data, inside, diag, &e);
	if (!s && db->budget_spent)
		; /* bd_pkgdb_take warned */
	else if (!s && e.code)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "%s, skipping the rpm database", e.msg);
	else if (!s)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': cannot read the rpm database, skipping",
			       inside);
	if (!s) {
		bd_buf_release(&host);
		return 0;
	}
	guard(s, &budget);
	if (!rpm_schema(s))
		bd_diag_report(diag, BD_DIAG_WARNING, "'%s': %s, skipping",
			       inside,
			       budget ? "no Packages table of rpm's schema"
				      : "its schema takes too long to read");
	else
		rc = read_rows(&l, s);
	say_skipped(diag, inside, &l.bad, l.rows);
	/* rc > 0: an sqlite error code, SQLITE_INTERRUPT ... */
	if (l.rows <= MAX_PACKAGES && rc > 0)
		bd_diag_report(
			diag, BD_DIAG_WARNING,
			"'%s': %s after %zu packages, the rest not read",
			inside,
			budget ? sqlite3_errstr(rc)
			       : "reading took more than its step budget",
			l.rows);
	sqlite3_close(s);
	bd_buf_release(&host);
	return rc > 0 ? 0 : rc;
}

/* ---- Berkeley DB and NDB ----------------------------------------------- */

static int take_blob(void *ctx, uint32_t hnum, const unsigned char *blob,
		     size_t len)
{
	struct loading *l = ctx;
	struct bd_rpm_header h;
	int rc;

	if (++l->rows > MAX_PACKAGES)
		return 1;
	if (!blob || bd_rpm_parse_header(blob, len, &h)) {
		if (!l->bad.n++)
			l->bad.first = hnum;
		return 0;
	}
	rc = add_header(l, &h);
	bd_rpm_header_release(&h);
	return rc;
}

/* The file at inside, its links followed inside the root only, opened the
 * one way (a FIFO or a device refused unread). */
static int open_inside(const struct bd_root *root, const char *inside,
		       uint64_t max, int *fd, struct stat *st,
		       struct bd_error *e)
{
	struct bd_buf host = BD_BUF_INIT;
	int rc = bd_root_host_of(root, "/", inside, NULL, &host, e);

	if (!rc)
		rc = bd_root_open(root, host.data, 0, max, fd, st, e);
	bd_buf_release(&host);
	return rc;
}

/* Reads one of rpm's databases of its own format (Berkeley DB, NDB). */
typedef int (*read_fn)(int fd, uint64_t size, const char *inside, size_t max,
		       bd_rpm_blob_fn on_blob, void *ctx, struct bd_error *e);

static int read_own(struct bd_pkgdb *db, const struct bd_root *root,
		    const char *inside, read_fn reader,
		    const struct bd_diag *diag)
{
	struct loading l = {
		db, root, inside, diag, 0, { 0, 0 }, false, false
	};
	struct bd_error e;
	struct stat st;
	int fd = -1, rc;

	bd_error_clear(&e);
	rc = open_inside(root, inside, MAX_PAGED, &fd, &st, &e);
	if (rc == BD_ENOMEM)
		return rc;
	if (rc) {
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "%s, skipping the rpm database", e.msg);
		return 0;
	}
	if (bd_pkgdb_take(db, inside, (uint64_t)st.st_size, diag))
		rc = reader(fd, (uint64_t)st.st_size, inside, MAX_PACKAGES + 1,
			    take_blob, &l, &e);
	close(fd);
	say_skipped(diag, inside, &l.bad, l.rows);
	if (rc == BD_EFORMAT && l.rows)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "%s after %zu packages, the rest not read",
			       e.msg, l.rows);
	else if (rc == BD_EFORMAT)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "%s, skipping the rpm database", e.msg);
	return rc == BD_EFORMAT ? 0 : rc;
}

int bd_pkgdb_load_rpm(struct bd_pkgdb *db, const struct bd_root *root,
		      const struct bd_diag *diag)
{
	static const char *const dirs[] = { "/usr/lib/sysimage/rpm",
					    "/var/lib/rpm" };
	char path[64];
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/rpmdb.sqlite", dirs[i]);
		if (bd_root_exists(root, path))
			return read_sqlite(db, root, path, diag);
	}
	for (i = 0; i < BD_ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/Packages", dirs[i]);
		if (bd_root_exists(root, path))
			return read_own(db, root, path, bd_rpm_read_bdb, diag);
		snprintf(path, sizeof(path), "%s/Packages.db", dirs[i]);
		if (bd_root_exists(root, path))
			return read_own(db, root, path, bd_rpm_read_ndb, diag);
	}
	return 0;
}
