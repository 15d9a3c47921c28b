/* SPDX-License-Identifier: MIT */
/*
 * apk's database, lib/apk/db/installed: one record per package, records
 * separated by blank lines, each line "K:value": P name, V version,
 * A architecture, o origin (the source package), F a directory (no
 * leading '/') and R the files in the last F. Read as apk_db_fdb_read
 * (apk-tools src/database.c) reads it: a line shorter than two bytes
 * ends a record, an R before the record's first F is no file (apk
 * rejects the database), of two packages listing a path the first owns
 * it (bd_pkgdb_own keeps the first owner, as apk_db_file_get does).
 */
#include "bindep/pkgdb.h"
#include "bindep/buf.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define INSTALLED "/lib/apk/db/installed"

struct record {
	const char *name, *version, *arch, *origin, *license;
	size_t name_len, version_len, arch_len, origin_len, license_len;
	size_t first_file, nfiles; /* into the parser's file list */
};

/* The bytes of the paths made from a file, together, at most this many
 * times its own and PATH_SLACK: a 64 KiB F line and 20,000 R lines of
 * one letter (145 KB) made 1.3 GB of paths. A real database has a
 * checksum line beside each R line. */
#define PATH_TIMES 8u
#define PATH_SLACK (1u << 20)

struct apk {
	struct bd_pkgdb *db;
	const struct bd_root *root;
	const struct bd_diag *diag;
	struct bd_buf files; /* NUL-separated paths of the current record */
	struct bd_buf dir;
	bool in_dir;   /* an F read in this record */
	size_t no_dir; /* R lines before any F, skipped (the first warned) */
	struct record rec;
	uint64_t room;	   /* path bytes the file may still make */
	bool capped;	   /* room ran out: warned, no more paths */
	size_t too_long;   /* paths past PATH_MAX, skipped (the first warned) */
	bool lookups_said; /* a package's lookups ran out: warned */
	bool share_said;   /* a package's share of the directory cap: warned */
};

static const char *copy(struct bd_pkgdb *db, const char *s, size_t n)
{
	return s ? bd_arena_strndup(&db->arena, s, n) : NULL;
}

/* A package whose directories cost more lookups than its paths may
 * (bd_pkgdb_lookups), said once a database, naming the first. */
static void lookups_spent(struct apk *a, const char *name)
{
	if (a->lookups_said)
		return;
	a->lookups_said = true;
	bd_diag_report(a->diag, BD_DIAG_WARNING,
		       "'%s': package %s: its directories cost more path "
		       "lookups than %zu bytes of paths may (%u bytes a "
		       "byte of them, %u KiB and what the lists before left "
		       "of %u MiB), the rest taken as listed: a file it "
		       "lists through a symlink there is owned by none",
		       INSTALLED, name ? name : "", a->files.len,
		       BD_PKGDB_LOOKUPS_PER_BYTE, BD_PKGDB_LOOKUPS_FLOOR >> 10,
		       BD_PKGDB_LOOKUPS_BASE >> 20);
}

static int flush(struct apk *a)
{
	struct bd_package p = { 0 };
	size_t index, off = 0;
	int rc;

	if (!a->rec.name) {
		bd_buf_reset(&a->files);
		return 0;
	}
	p.type = "apk";
	p.name = copy(a->db, a->rec.name, a->rec.name_len);
	p.version = copy(a->db, a->rec.version, a->rec.version_len);
	p.arch = copy(a->db, a->rec.arch, a->rec.arch_len);
	p.source = copy(a->db, a->rec.origin, a->rec.origin_len);
	p.license = copy(a->db, a->rec.license, a->rec.license_len);
	p.db = INSTALLED;
	if (bd_pkgdb_full(a->db, INSTALLED, a->diag)) {
		memset(&a->rec, 0, sizeof(a->rec));
		bd_buf_reset(&a->files);
		return BD_ELIMIT; /* ends the parse; what was read stays */
	}
	rc = p.name ? bd_pkgdb_add(a->db, &p, &index) : BD_ENOMEM;
	/* A package's directories cost lookups as its dpkg list's would:
	 * unbounded, lines below a link to a directory 1,000 deep cost 2.3
	 * s a MB. */
	bd_pkgdb_lookups(a->db, a->files.len);
	while (!rc && off < a->files.len) {
		const char *path = a->files.data + off;

		rc = bd_pkgdb_own(a->db, a->root, path, index);
		off += strlen(path) + 1;
	}
	if (a->db->text.spent)
		lookups_spent(a, p.name);
	if (a->db->text.dir_share.spent && !a->share_said) {
		a->share_said = true;
		bd_pkgdb_say_share(a->db, INSTALLED, p.name ? p.name : "",
				   a->diag);
	}
	bd_pkgdb_lookups(a->db, SIZE_MAX);
	memset(&a->rec, 0, sizeof(a->rec));
	bd_buf_reset(&a->files);
	return rc;
}

/* A path no longer than PATH_MAX (apk installs by it), within the room
 * the file has left. */
static bool path_fits(struct apk *a, size_t n)
{
	uint64_t len = 1 + a->dir.len + 1 + n;

	if (a->capped)
		return false;
	if (len > PATH_MAX) {
		if (!a->too_long++)
			bd_diag_report(a->diag, BD_DIAG_WARNING,
				       "'%s': a file path longer than %d bytes "
				       "(no file apk can install), skipped",
				       INSTALLED, PATH_MAX);
		return false;
	}
	if (len <= a->room) {
		a->room -= len;
		return true;
	}
	a->capped = true;
	bd_diag_report(a->diag, BD_DIAG_WARNING,
		       "'%s': its file paths come to more than %u times its "
		       "size, the rest are not read",
		       INSTALLED, PATH_TIMES);
	return false;
}

static void file_line(struct apk *a, const char *v, size_t n)
{
	if (!a->in_dir) {
		if (!a->no_dir++)
			bd_diag_report(a->diag, BD_DIAG_WARNING,
				       "'%s': a file (R:) before any directory "
				       "(F:) of its package, skipped",
				       INSTALLED);
		return;
	}
	if (!path_fits(a, n))
		return;
	bd_buf_addc(&a->files, '/');
	if (a->dir.len) {
		bd_buf_add(&a->files, a->dir.data, a->dir.len);
		bd_buf_addc(&a->files, '/');
	}
	bd_buf_add(&a->files, v, n);
	bd_buf_addc(&a->files, '\0');
}

static void set(const char **field, size_t *len, const char *v, size_t n)
{
	*field = v;
	*len = n;
}

static void one_line(struct apk *a, const char *line, size_t n)
{
	const char *v = line + 2;
	size_t vn = n - 2;

	switch (line[0]) {
	case 'P': set(&a->rec.name, &a->rec.name_len, v, vn); break;
	case 'V': set(&a->rec.version, &a->rec.version_len, v, vn); break;
	case 'A': set(&a->rec.arch, &a->rec.arch_len, v, vn); break;
	case 'o': set(&a->rec.origin, &a->rec.origin_len, v, vn); break;
	case 'L': set(&a->rec.license, &a->rec.license_len, v, vn); break;
	case 'F':
		bd_buf_reset(&a->dir);
		bd_buf_add(&a->dir, v, vn);
		a->in_dir = true;
		break;
	case 'R': file_line(a, v, vn); break;
	default: break;
	}
}

/* Parses an installed file's text into db; past BD_PKGDB_MAX_PACKAGES,
 * warns through diag and stops. */
static int parse_installed(struct bd_pkgdb *db, const struct bd_root *root,
			   const struct bd_diag *diag, const char *text,
			   size_t len)
{
	struct apk a = { db,
			 root,
			 diag,
			 BD_BUF_INIT,
			 BD_BUF_INIT,
			 false,
			 0,
			 { 0 },
			 PATH_TIMES * (uint64_t)len + PATH_SLACK,
			 false,
			 0,
			 false,
			 false };
	size_t pos = 0;
	int rc = 0;

	while (!rc && pos <= len) {
		const char *line = text + pos;
		const char *nl =
			pos < len ? memchr(line, '\n', len - pos) : NULL;
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		pos += n + 1;
		/* CRLF, which apk never writes, read as LF. */
		if (n && line[n - 1] == '\r')
			n--;
		if (n >= 2 && line[1] == ':') {
			if (line[0] == 'P' && a.rec.name)
				rc = flush(&a); /* a record without its blank */
			one_line(&a, line, n);
		} else if (n < 2) {
			rc = flush(&a);
			bd_buf_reset(&a.dir);
			a.in_dir = false;
		}
	}
	if (!rc)
		rc = flush(&a);
	if (!rc && (!bd_buf_ok(&a.files) || !bd_buf_ok(&a.dir)))
		rc = BD_ENOMEM;
	bd_buf_release(&a.files);
	bd_buf_release(&a.dir);
	return rc == BD_ELIMIT ? 0 : rc;
}

int bd_apk_parse_installed(struct bd_pkgdb *db, const struct bd_root *root,
			   const struct bd_diag *diag, const char *text,
			   size_t len)
{
	return parse_installed(db, root, diag, text, len);
}

int bd_pkgdb_load_apk(struct bd_pkgdb *db, const struct bd_root *root,
		      const struct bd_diag *diag)
{
	size_t len = 0;
	char *text = bd_pkgdb_read(db, root, INSTALLED, BD_PKGDB_MAX_FILE, &len,
				   diag);
	int rc = text ? parse_installed(db, root, diag, text, len) : 0;

	free(text);
	return rc;
}
