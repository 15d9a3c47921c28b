/* SPDX-License-Identifier: MIT */
/*
 * dpkg's database, read as dpkg(1) keeps it: var/lib/dpkg/status (deb822
 * paragraphs), var/lib/dpkg/info/<pkg>[:<arch>].list (one path a line),
 * var/lib/dpkg/diversions (from, to, diverting package: three lines each);
 * or, in distroless images, var/lib/dpkg/status.d/<pkg> with
 * <pkg>.md5sums ("<md5>  <path without '/'>").
 */
#include "bindep/pkgdb.h"
#include "bindep/buf.h"
#include "bindep/dirnames.h"
#include "bindep/root.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATUS	   "/var/lib/dpkg/status"
#define STATUS_D   "/var/lib/dpkg/status.d"
#define INFO	   "/var/lib/dpkg/info"
#define DIVERSIONS "/var/lib/dpkg/diversions"
#define UPDATES	   "/var/lib/dpkg/updates"
/* The longest name dpkg gives a journal file (IMPORTANTMAXLEN). */
#define UPDATES_NAME_MAX 10
/* Journal files read: dpkg folds them into status past 250 (MAXUPDATES);
 * a root flooded with more reads the first, in name order. */
#define UPDATES_MAX 10000

/* The file lists a deferred load holds (take_text): a large install's
 * are some tens of MiB. */
#define DPKG_HOLD_MAX (64u * 1024u * 1024u)

/* The bits of the diverted names' filter (struct bd_dpkg_load): of 10,000
 * diversions, the most read, 1 in 7 set. */
#define DIVERTED_BITS (1u << 16)

/* ---- the status format -----------------------------------------------------
 */

/* White space as dpkg's c_isspace, the newline aside. */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A field as dpkg's parse_stanza reads it (lib/dpkg/parse.c): white space
 * may come before the ':', and is trimmed from both ends of the value. */
static bool field(const char *line, size_t len, const char *name,
		  const char **value, size_t *vlen)
{
	size_t n = strlen(name);

	/* deb822 field names are case-insensitive. */
	if (len <= n || strncasecmp(line, name, n))
		return false;
	while (n < len && blank(line[n]))
		n++;
	if (n == len || line[n] != ':')
		return false;
	line += n + 1;
	len -= n + 1;
	while (len && blank(*line))
		line++, len--;
	while (len && blank(line[len - 1]))
		len--;
	*value = line;
	*vlen = len;
	return true;
}

/* One of the fields read, by the length of its name (up to white space or
 * the ':', as field() reads it): a status has some twenty lines a
 * package, most of them none of ours, passed over here, where each was
 * compared with all six names. */
static void one_field(struct bd_dpkg_fields *f, const char *line, size_t len)
{
	size_t n = 0;

	while (n < len && line[n] != ':' && !blank(line[n]))
		n++;
	switch (n) {
	case 6:
		if (!field(line, len, "Source", &f->source, &f->source_len))
			field(line, len, "Status", &f->status, &f->status_len);
		break;
	case 7:
		if (!field(line, len, "Package", &f->package, &f->package_len))
			field(line, len, "Version", &f->version,
			      &f->version_len);
		break;
	case 10:
		field(line, len, "Multi-Arch", &f->multiarch,
		      &f->multiarch_len);
		break;
	case 12:
		field(line, len, "Architecture", &f->arch, &f->arch_len);
		break;
	}
}

/* Whether the package's files are on disk: "want flag state", the state
 * one dpkg has unpacked (dpkg(1)): installed, and those between unpacking
 * and configuring, which a multistrap or debootstrap --foreign sysroot is
 * left in, or dpkg --no-triggers; dpkg -S names them all. Not
 * not-installed or config-files (only conffiles are left). A status.d
 * paragraph has no Status field: it is installed. The words are apart by
 * any white space and read in any case, as dpkg's f_status and parse_nv
 * (lib/dpkg/fields.c) read them. */
/* The state word of a Status value, its last ("installed" of "install ok
 * installed"), n bytes; NULL for a value of one word, which dpkg refuses. */
static const char *state_of(const struct bd_dpkg_fields *f, size_t *n)
{
	/* the value is trimmed: its last word ends it */
	const char *state = f->status + f->status_len;

	while (state > f->status && !blank(state[-1]))
		state--;
	*n = f->status_len - (size_t)(state - f->status);
	return state == f->status ? NULL : state;
}

static bool is_state(const char *state, size_t n, const char *word)
{
	return strlen(word) == n && !strncasecmp(state, word, n);
}

static bool installed(const struct bd_dpkg_fields *f)
{
	static const char *const unpacked[] = {
		"installed",	    "unpacked",		"half-configured",
		"triggers-awaited", "triggers-pending", "half-installed",
	};
	const char *state;
	size_t i, n;

	if (!f->status)
		return true;
	state = state_of(f, &n);
	for (i = 0; state && i < sizeof(unpacked) / sizeof(unpacked[0]); i++)
		if (is_state(state, n, unpacked[i]))
			return true;
	return false;
}

/* A paragraph read: told when it names a package, installed or not (a
 * later stanza of a package replaces an earlier one, as dpkg reads it). */
static int paragraph(struct bd_dpkg_fields *f,
		     int (*on_package)(void *ctx,
				       const struct bd_dpkg_fields *f),
		     void *ctx)
{
	if (!f->package)
		return 0;
	f->installed = installed(f);
	return on_package(ctx, f);
}

int bd_dpkg_parse_status(const char *text, size_t len,
			 int (*on_package)(void *ctx,
					   const struct bd_dpkg_fields *f),
			 void *ctx)
{
	struct bd_dpkg_fields f;
	size_t pos = 0;
	int rc = 0;

	memset(&f, 0, sizeof(f));
	while (!rc && pos <= len) {
		const char *line = text + pos;
		const char *nl =
			pos < len ? memchr(line, '\n', len - pos) : NULL;
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		size_t k = 0;

		while (k < n && blank(line[k]))
			k++;
		if (k < n && (line[0] == ' ' || line[0] == '\t')) {
			/* a continuation line: no field of ours has one */
		} else if (k < n) {
			one_field(&f, line, n);
		} else {
			/* Empty, or only white space (CRLF's "\r"): Debian
			 * Policy 5.1 lets a parser take a line of spaces and
			 * tabs for a separator; dpkg reads it into the value,
			 * then refuses the next paragraph's Package as the
			 * same stanza's second. */
			rc = paragraph(&f, on_package, ctx);
			memset(&f, 0, sizeof(f));
		}
		pos += n + 1;
	}
	/* The last paragraph may end the text without a blank line. */
	return rc ? rc : paragraph(&f, on_package, ctx);
}

/* ---- loading
 * ------------------------------------------------------------------ */

struct bd_dpkg_load {
	struct bd_pkgdb *db;
	const struct bd_root *root;
	const struct bd_diag *diag;
	const char *dbfile;
	bool journal; /* reading updates/: a later stanza is no surprise */
	struct bd_dpkg_diversions divs;
	/* For each diversion, the first package whose file it moved (the
	 * one its path diverted to holds), SIZE_MAX for none. */
	size_t *original;
	size_t divs_len; /* the diversions file's bytes: its lookups' budget */
	/* The diverted paths' base names, a filter by their summaries
	 * (bd_pkgdb_hash_bytes, DIVERTED_BITS): own() looks a line up among
	 * the diversions only when its name's bit is set. NULL: none. */
	uint64_t *diverted;
	const char *info;	/* INFO resolved, or NULL */
	struct bd_buf info_buf; /* its text */
	/* INFO listed (list_info): the ".list" names in it, by d_type, and
	 * the listing's descriptor to open them from. */
	bool info_tried;
	int info_fd; /* -1: none */
	struct bd_map lists;
	struct bd_arena list_names;
	size_t added; /* packages added by the last parse */
	size_t first; /* index of the first of them */
	/* db->defer_files: the lists and status.d's .md5sums files, read
	 * in the order of a whole load, their lines looked at by
	 * bd_pkgdb_load_dpkg_files. */
	bool defer;
	size_t npkgs; /* db->n after dpkg's: a diversion's package is one */
	struct held_text *held;
	size_t nheld, aheld;
	size_t held_bytes;
	bool again; /* reading a dropped text again: said and counted before */
	bool lookups_said; /* a list's lookups ran out: warned */
	bool share_said;   /* a list's share of the directory cap: warned */
	/* The name summaries (bd_pkgdb_name_hash) of the held texts' lines,
	 * each text's at its held_text.names, kept as a first pass looks at
	 * it: one array, not one a text (a thousand small blocks left among
	 * the dropped texts kept 2 MB of them in memory). */
	bool recording, record_failed;
	uint32_t *names;
	size_t nnames, anames;
	/* The wanted names' filter (bd_pkgdb_want_filter) while a text's
	 * lines are looked at; NULL: every name is. */
	const uint64_t *want;
	/* A line's path as dpkg keys it, when not as written (line_path):
	 * here, not on the stack, so that no line pays for a 4 KiB frame. */
	char path[4096];
};

/* A file list, or a status.d/<name>.md5sums, and the `added` packages
 * from `first` on it lists the files of. */
struct held_text {
	char *text; /* NULL once a pass has looked at it (dropped) */
	size_t len;
	size_t first, added;
	bool md5sums;
	const char *path; /* inside the root: to name it, and a status.d
			   * .md5sums file's to read it again */
	/* Once dropped: where its lines' name summaries are in the load's
	 * names, for a later pass to read it again only if it may list a
	 * name asked about (named false: not kept, read it again). */
	size_t names, nnames;
	bool named;
};

static const char *copy(struct bd_pkgdb *db, const char *s, size_t n)
{
	return s ? bd_arena_strndup(&db->arena, s, n) : NULL;
}

/*
 * A version as dpkg-query says it: dpkg's parseversion trims its blanks
 * and reads the epoch as a number, and varbufversion (vdew_nonambig,
 * lib/dpkg/parsehelp.c) writes it back only when not 0 or when the rest
 * has a ':'. "0:1.0-1" is "1.0-1", "007:1" is "7:1". dpkg writes its
 * status so; a distroless status.d paragraph is the control file as it
 * was built. One dpkg would refuse ("x:1") is kept as written.
 */
static const char *deb_version(struct bd_pkgdb *db, const char *s, size_t n)
{
	size_t digits = 0, zeros = 0;

	if (!s)
		return NULL;
	while (n && blank(*s))
		s++, n--;
	while (n && blank(s[n - 1]))
		n--;
	while (digits < n && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (!digits || digits + 1 >= n || s[digits] != ':')
		return copy(db, s, n);
	while (zeros + 1 < digits && s[zeros] == '0')
		zeros++;
	if (s[zeros] == '0' && !memchr(s + digits + 1, ':', n - digits - 1))
		zeros = digits + 1; /* epoch 0, not needed */
	return copy(db, s + zeros, n - zeros);
}

/* "Source: name (version)" or "Source: name"; an empty one is none, as
 * dpkg's f_charfield takes it (the binary package's name then). */
static void source_of(struct bd_pkgdb *db, const struct bd_dpkg_fields *f,
		      struct bd_package *p)
{
	const char *paren;
	size_t n;

	if (!f->source || !f->source_len)
		return;
	paren = memchr(f->source, '(', f->source_len);
	n = paren ? (size_t)(paren - f->source) : f->source_len;
	while (n && f->source[n - 1] == ' ')
		n--;
	p->source = n ? copy(db, f->source, n) : NULL;
	if (paren && f->source[f->source_len - 1] == ')')
		p->source_version = deb_version(
			db, paren + 1,
			(size_t)(f->source + f->source_len - paren - 2));
}

/* A journal stanza updates the package's one installed instance whatever
 * its architecture (dpkg's parse_find_pkg_slot, for an update: a
 * cross-grade, amd64 to all), unless both are Multi-Arch: same, each then
 * in a slot of its own: that instance is no longer installed as it was. */
static void crossgraded(struct bd_dpkg_load *l, const struct bd_package *p)
{
	struct bd_package *old;
	uint32_t k;

	if (!bd_map_get(&l->db->by_name, p->name, &k))
		return;
	old = &l->db->pkgs[k];
	if (!strcmp(old->type, "deb") &&
	    !(old->multiarch_same && p->multiarch_same))
		old->gone = true;
}

/*
 * An installed stanza with no Version, or an empty one, which dpkg
 * refuses (lib/dpkg/parse.c, pkg_parse_verify: parse_must_have_field
 * for any state but not-installed and half-installed, which a package
 * being unpacked for the first time is in before its fields are all
 * there). dpkg's parse_error then ends the whole read: "dpkg: error:
 * parsing file '.../status' near line 7 package 'x': missing 'Version'
 * field". Here the stanza alone is not taken, said once, and the rest of
 * the database is read: an earlier stanza of the package (the status's,
 * for a journal's) stands. A status.d paragraph, with no Status, is
 * installed, and a control file has a Version.
 */
static bool versionless(const struct bd_dpkg_load *l,
			const struct bd_dpkg_fields *f)
{
	const char *state;
	size_t n;

	if (!f->installed || f->version_len)
		return false;
	state = f->status ? state_of(f, &n) : NULL;
	if (state && is_state(state, n, "half-installed"))
		return false;
	bd_diag_report(l->diag, BD_DIAG_WARNING,
		       "'%s': package '%.*s%s%.*s' is installed with no "
		       "Version, which dpkg refuses: not taken",
		       l->dbfile, (int)f->package_len, f->package,
		       f->arch ? ":" : "", f->arch ? (int)f->arch_len : 0,
		       f->arch ? f->arch : "");
	return true;
}

static int add_package(void *ctx, const struct bd_dpkg_fields *f)
{
	struct bd_dpkg_load *l = ctx;
	struct bd_package p = { 0 };
	size_t index;
	int rc;

	if (versionless(l, f))
		return 0;
	p.type = "deb";
	p.name = copy(l->db, f->package, f->package_len);
	p.version = deb_version(l->db, f->version, f->version_len);
	p.arch = copy(l->db, f->arch, f->arch_len);
	p.db = l->dbfile;
	/* Its values are read in any case (dpkg's parse_nv). */
	p.multiarch_same =
		f->multiarch_len == 4 && !strncasecmp(f->multiarch, "same", 4);
	source_of(l->db, f, &p);
	if (!p.name)
		return BD_ENOMEM;
	/* Given again: the last stanza is the one (dpkg's parse replaces a
	 * package it read before); the first hid the version installed, or
	 * that it is not installed at all. */
	if (bd_pkgdb_find(l->db, p.name, p.arch, &index)) {
		if (!l->journal)
			bd_diag_report(l->diag, BD_DIAG_WARNING,
				       "'%s': package '%s%s%s' is given twice, "
				       "the last taken (as dpkg does)",
				       l->dbfile, p.name, p.arch ? ":" : "",
				       p.arch ? p.arch : "");
		l->db->pkgs[index].gone = !f->installed;
		return bd_pkgdb_replace(l->db, index, &p);
	}
	if (l->journal)
		crossgraded(l, &p);
	if (!f->installed)
		return 0;
	if (bd_pkgdb_full(l->db, l->dbfile, l->diag))
		return BD_ELIMIT; /* ends the parse; what was read stays */
	rc = bd_pkgdb_add(l->db, &p, &index);
	if (!rc && !l->added++)
		l->first = index;
	return rc;
}

static void record_name(struct bd_dpkg_load *l, uint32_t summary)
{
	if (BD_GROW(l->names, l->anames, l->nnames + 1))
		l->record_failed = true;
	else
		l->names[l->nnames++] = summary;
}

static bool diverted_bit(const uint64_t *bits, uint32_t summary)
{
	uint32_t bit = summary & (DIVERTED_BITS - 1);

	return bits[bit / 64] >> (bit % 64) & 1;
}

/* The diversion of a listed path, or NULL: looked up only when its name's
 * bit is set (one hash a line, not two: a Debian install lists 140,000
 * files). */
static const struct bd_dpkg_diversion *
diversion_of(const struct bd_dpkg_load *l, const char *path, size_t len,
	     uint32_t summary)
{
	return l->diverted && diverted_bit(l->diverted, summary)
		       ? bd_dpkg_diverted(&l->divs, path, len)
		       : NULL;
}

/*
 * A file a package lists whose name may be wanted (its summary given); one
 * dpkg installed (by_dpkg: a list's, not a status.d .md5sums') at a
 * diverted path is left to the diversion (apply_diversions). The name is
 * copied into the table once, by bd_pkgdb_own_in.
 */
static int own_named(struct bd_dpkg_load *l, const char *path, size_t len,
		     const char *name, uint32_t summary, size_t index,
		     bool by_dpkg)
{
	size_t nlen = (size_t)(path + len - name), k;
	const struct bd_dpkg_diversion *div;
	struct bd_pkgdb_dir *d;

	if (!bd_pkgdb_wanted_hash(l->db, name, nlen, summary))
		return 0;
	div = by_dpkg ? diversion_of(l, path, len, summary) : NULL;
	/* dpkg finds the diverting package's set by its name in any case
	 * (pkg_hash_find_set) */
	if (div && (!div->by || strcasecmp(div->by, l->db->pkgs[index].name))) {
		k = (size_t)(div - l->divs.v);
		if (l->original[k] == SIZE_MAX)
			l->original[k] = index;
		return 0;
	}
	d = bd_pkgdb_dir(l->db, l->root, path, len);
	if (!d)
		return bd_pkgdb_dir_failed(l->db);
	return bd_pkgdb_own_in(l->db, d, name, nlen, index);
}

/* A file a package lists, its name summarised (and recorded): most are
 * passed over here, by the wanted names' filter (l->want). */
static int own(struct bd_dpkg_load *l, const char *path, size_t len,
	       size_t index, bool by_dpkg)
{
	const char *name = (const char *)memrchr(path, '/', len) + 1;
	uint32_t summary =
		bd_pkgdb_hash_bytes(name, (size_t)(path + len - name));

	if (l->recording)
		record_name(l, summary);
	if (l->want && !bd_pkgdb_filter_has(l->want, summary))
		return 0;
	return own_named(l, path, len, name, summary, index, by_dpkg);
}

/*
 * The path dpkg keys a list's line by, or an .md5sums line's file name,
 * *n bytes; NULL for none. One trailing '/' dropped
 * (ensure_packagefiles_available, lib/dpkg/db-fsys-files.c;
 * parse_filehash_buffer, db-fsys-digest.c), the rest up to a NUL, as a C
 * string, its leading '/' and "./" skipped and one '/' put back
 * (fsys_hash_find_node): "//usr/lib/x", "usr/lib/x/" and "/./usr/lib/x"
 * are /usr/lib/x to dpkg -S and dpkg --verify, and to a diversion of it.
 * dpkg writes a list's as "/usr/lib/x", which is taken as it is, first;
 * another is copied into l->path.
 */
static const char *line_path(struct bd_dpkg_load *l, const char *line,
			     size_t *n, bool nul)
{
	size_t len = *n, skip;

	if (len && line[len - 1] == '/')
		len--;
	if (nul)
		len = strnlen(line, len);
	*n = len;
	if (len > 1 && line[0] == '/' && line[1] != '/' && line[1] != '.')
		return line;
	skip = bd_dpkg_path_skip(line, len);
	if (skip == len)
		return NULL; /* "/" or "./": no file */
	if (skip == 1 && line[0] == '/')
		return line;
	if (len - skip + 1 > sizeof(l->path))
		return NULL;
	l->path[0] = '/';
	memcpy(l->path + 1, line + skip, len - skip);
	*n = len - skip + 1;
	return l->path;
}

/*
 * One path a line ("/usr/lib/x"), or md5sums lines ("<md5>  usr/lib/x").
 * Only a text with a NUL has its lines cut at one (one look for the text,
 * not one a line). A distroless status.d/'s packages were unpacked by an
 * image builder (their data.tar laid out as it is), never by dpkg: no
 * diversion moved their files, nor does one here. Each line's work is in
 * this one loop (line_path and own, called once, are inlined): the
 * calls' frames were a fifth of a line's instructions.
 */
static int own_lines(struct bd_dpkg_load *l, const char *text, size_t len,
		     size_t index, bool md5sums)
{
	bool nul = memchr(text, '\0', len) != NULL;
	size_t pos = 0;
	int rc = 0;

	while (!rc && pos < len) {
		const char *line = text + pos, *path;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		pos += n + 1;
		if (md5sums) {
			const char *sp = memchr(line, ' ', n);

			if (!sp)
				continue;
			while (sp < line + n && *sp == ' ')
				sp++;
			n = (size_t)(line + n - sp);
			line = sp;
		}
		path = line_path(l, line, &n, nul);
		if (path)
			rc = own(l, path, n, index, !md5sums);
	}
	return rc;
}

/*
 * The file lists are looked up in a listing of INFO, made once: a list the
 * listing says is a regular file is opened from its descriptor at once (one
 * name, O_NOFOLLOW: no link to follow out), and a name it lacks is no file,
 * with no look-up (a Multi-Arch: same package's <pkg>.list, tried when it
 * has no <pkg>:<arch>.list, is there only in a legacy database). Any other
 * list, or one that cannot be read so, is read the careful way
 * (bd_pkgdb_read_at), which says why. That way cost each of this host's 983
 * lists an lstat, an O_PATH open, its fstat, a reopen through /proc, and half
 * of them a failed probe first. Not over an overlay root, whose directories
 * merge.
 */
static void list_info(struct bd_dpkg_load *l)
{
	struct bd_buf host = BD_BUF_INIT;
	struct dirent *de;
	const char *key;
	DIR *d = NULL;
	size_t n;
	bool ok = true;

	l->info_tried = true;
	if (!l->info || (l->root && l->root->lower))
		return;
	bd_root_host(l->root, l->info, &host);
	if (!bd_buf_ok(&host) ||
	    bd_root_opendir(l->root, host.data, &d, NULL)) {
		bd_buf_release(&host);
		return;
	}
	bd_buf_release(&host);
	errno = 0;
	while (ok && (de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n <= 5 || strcmp(de->d_name + n - 5, ".list"))
			continue;
		/* Far more than the packages read can have (two names
		 * each): a hostile root's, not held. */
		key = l->lists.count < 2 * l->db->n + 1024
			      ? bd_arena_strdup(&l->list_names, de->d_name)
			      : NULL;
		ok = key && !bd_map_put(&l->lists, key, de->d_type);
		errno = 0;
	}
	/* Its descriptor kept, not the DIR's 32 KiB buffer. */
	if (ok && !errno)
		l->info_fd = fcntl(dirfd(d), F_DUPFD_CLOEXEC, 0);
	closedir(d);
	if (l->info_fd < 0) { /* the listing may lack names: not used */
		bd_map_release(&l->lists);
		bd_arena_release(&l->list_names);
	}
}

/* INFO/<name> through the listing (name: its last part, inside: the
 * whole path): the text, or NULL with *done set when there is no such
 * list; NULL and *done false: read it the careful way. */
static char *read_listed(struct bd_dpkg_load *l, const char *name,
			 const char *inside, size_t *len, bool *done)
{
	uint64_t left = BD_PKGDB_MAX_TOTAL - l->db->bytes_read;
	size_t cap = BD_PKGDB_MAX_LIST;
	struct stat st;
	uint32_t type;
	char *text = NULL;
	int fd;

	*done = false;
	if (!l->info_tried)
		list_info(l);
	if (l->info_fd < 0 || strchr(name, '/') ||
	    (!l->again && l->db->budget_spent))
		return NULL;
	if (!bd_map_get(&l->lists, name, &type)) {
		*done = true;
		return NULL;
	}
	if (!l->again && left < cap)
		cap = (size_t)left;
	fd = type == DT_REG ? openat(l->info_fd, name,
				     O_RDONLY | O_NONBLOCK | O_NOCTTY |
					     O_NOFOLLOW | O_CLOEXEC)
			    : -1;
	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && cap &&
	    (uint64_t)st.st_size <= cap)
		text = malloc((size_t)st.st_size + 1);
	if (text && bd_read_upto(fd, text, (size_t)st.st_size, len)) {
		free(text);
		text = NULL;
	}
	close(fd);
	if (!text)
		return NULL;
	text[*len] = '\0';
	if (!l->again)
		bd_pkgdb_take(l->db, inside, *len, l->diag);
	*done = true;
	return text;
}

/* INFO/<name> (path), walked from INFO resolved once. */
static char *read_list(struct bd_dpkg_load *l, const struct bd_buf *path,
		       size_t *len)
{
	bool done;
	char *text;

	if (!bd_buf_ok(path))
		return NULL;
	if (l->info) {
		text = read_listed(l, path->data + sizeof(INFO), path->data,
				   len, &done);
		if (done)
			return text;
	}
	if (l->again)
		return bd_pkgdb_read_again(l->root, l->info ? l->info : "/",
					   l->info ? path->data + sizeof(INFO)
						   : path->data,
					   BD_PKGDB_MAX_LIST, len);
	return bd_pkgdb_read_at(l->db, l->root, l->info ? l->info : "/",
				l->info ? path->data + sizeof(INFO)
					: path->data,
				path->data, BD_PKGDB_MAX_LIST, len, l->diag);
}

/* INFO/<name>[:<arch>].list in path (no printf: a thousand a load). */
static void list_path(struct bd_buf *path, const char *name, const char *arch)
{
	bd_buf_reset(path);
	bd_buf_adds(path, INFO "/");
	bd_buf_adds(path, name);
	if (arch) {
		bd_buf_addc(path, ':');
		bd_buf_adds(path, arch);
	}
	bd_buf_adds(path, ".list");
}

/* A package's file list (malloc'd), or NULL when it has none; its path
 * inside the root in *name (the load's arena) unless name is NULL. */
static char *package_list(struct bd_dpkg_load *l, size_t index, size_t *len,
			  const char **name)
{
	const struct bd_package *p = &l->db->pkgs[index];
	struct bd_buf path = BD_BUF_INIT;
	char *text;

	/* As dpkg names it (pkg_infodb_get_file, lib/dpkg/db-ctrl-format.c):
	 * <pkg>:<arch>.list for a Multi-Arch: same package, <pkg>.list for any
	 * other, whatever else info/ holds (a stray <pkg>:<arch>.list of one
	 * is not its list). A Multi-Arch: same package without the first has
	 * the second in a database of dpkg's legacy format (info/format 0,
	 * before multiarch): read then. */
	text = NULL;
	if (p->multiarch_same) {
		list_path(&path, p->name, p->arch ? p->arch : "");
		text = read_list(l, &path, len);
	}
	if (!text) {
		list_path(&path, p->name, NULL);
		text = read_list(l, &path, len);
	}
	if (name)
		*name = text ? bd_arena_strdup(&l->db->arena, path.data) : NULL;
	bd_buf_release(&path);
	return text;
}

/* A list whose directories cost more lookups than its size may
 * (bd_pkgdb_lookups): its deep or linked paths were cut short, said once a
 * run, naming the first such list. */
static void lookups_spent(struct bd_dpkg_load *l, const struct held_text *h)
{
	if (l->lookups_said || !h->path)
		return;
	l->lookups_said = true;
	bd_diag_report(l->diag, BD_DIAG_WARNING,
		       "'%s': its directories cost more path lookups than "
		       "a list of %zu bytes may (%u bytes a byte of it, %u "
		       "KiB and what the lists before left of %u MiB), the "
		       "rest taken as listed: a file it lists through a "
		       "symlink there is owned by none",
		       h->path, h->len, BD_PKGDB_LOOKUPS_PER_BYTE,
		       BD_PKGDB_LOOKUPS_FLOOR >> 10,
		       BD_PKGDB_LOOKUPS_BASE >> 20);
}

/* A list past its share of the directory cap, said once a run, naming
 * the first such list. */
static void share_spent(struct bd_dpkg_load *l, const struct held_text *h)
{
	if (l->share_said || !h->path)
		return;
	l->share_said = true;
	bd_pkgdb_say_share(l->db, h->path, NULL, l->diag);
}

/* The lines of a list, for each package it lists the files of; when
 * record, the summaries of their names kept (the first time through: the
 * lines are the same for each package). */
static int own_lines_of(struct bd_dpkg_load *l, const struct held_text *h,
			bool record)
{
	/* the text a dpkg text is read inside (an apk package's, whose
	 * first file made dpkg's lists be read), put back after it */
	struct bd_pkgdb_text outer = l->db->text;
	size_t i;
	int rc = 0;

	bd_pkgdb_lookups(l->db, h->len);
	l->want = bd_pkgdb_want_filter(l->db);
	for (i = 0; !rc && i < h->added; i++) {
		l->recording = record && !i;
		rc = own_lines(l, h->text, h->len, h->first + i, h->md5sums);
	}
	l->recording = false;
	if (l->db->text.spent)
		lookups_spent(l, h);
	if (l->db->text.dir_share.spent)
		share_spent(l, h);
	bd_pkgdb_lookups(l->db, SIZE_MAX);
	l->db->text = outer;
	return rc;
}

static int own_text(struct bd_dpkg_load *l, const struct held_text *h)
{
	return own_lines_of(l, h, false);
}

/* own_text, the summaries of the names its lines own() kept for h (not
 * when out of memory: a later pass then reads it again). */
static int own_recorded(struct bd_dpkg_load *l, struct held_text *h)
{
	size_t at = l->nnames;
	int rc;

	l->record_failed = false;
	rc = own_lines_of(l, h, true);
	/* Out of memory, some lines' summaries may be missing: read it
	 * again if asked. */
	if (l->record_failed || rc) {
		l->nnames = at;
		return rc;
	}
	h->names = at;
	h->nnames = l->nnames - at;
	h->named = true;
	return rc;
}

/* Whether this pass asks about a name a dropped text may list. */
static bool may_list_wanted(const struct bd_dpkg_load *l,
			    const struct held_text *h)
{
	return !h->named ||
	       bd_pkgdb_any_wanted(l->db, l->names + h->names, h->nnames);
}

/*
 * A held text's lines, for this pass's names. A pass drops each text
 * once looked at (bd_pkgdb_load_dpkg_files): the first pass looks for the files
 * scanned while the search goes on, whose memory peak they would add to (8.9 MB
 * on this host, more than the 1,099 components of /usr/bin add). A later pass,
 * for the libraries the search found, reads them again, quietly: each was
 * warned about and counted when a whole load reads it.
 */
static int own_held(struct bd_dpkg_load *l, struct held_text *h)
{
	struct held_text again = *h;
	int rc;

	if (h->text)
		return own_recorded(l, h);
	if (!may_list_wanted(l, h))
		return 0;
	l->again = true;
	again.text =
		h->md5sums ? bd_pkgdb_read_again(l->root, "/", h->path,
						 BD_PKGDB_MAX_LIST, &again.len)
			   : package_list(l, h->first, &again.len, NULL);
	l->again = false;
	rc = again.text ? own_text(l, &again) : 0;
	free(again.text);
	return rc;
}

/* The lists held so far, their lines looked at for every name, in their
 * order: the load goes on whole. */
static int load_whole(struct bd_dpkg_load *l)
{
	size_t i;
	int rc = 0;

	l->defer = false;
	for (i = 0; i < l->nheld; i++) {
		if (!rc)
			rc = own_text(l, &l->held[i]);
		free(l->held[i].text);
	}
	l->nheld = 0;
	return rc;
}

/*
 * A list just read (malloc'd; NULL: none), read when a whole load reads
 * it: its warnings are said, and its bytes counted, in the same order,
 * once, whatever is asked later. Its lines are looked at now or, deferred,
 * held for the names asked about (bd_pkgdb_load_dpkg_files): the load's
 * thread reads while the files are scanned (a thousand lists cost ~13 ms
 * to open and read, their lines ~7 ms). Past DPKG_HOLD_MAX bytes held,
 * the load goes on whole: none is read twice. path: its path inside the
 * root, in the load's arena.
 */
static int take_text(struct bd_dpkg_load *l, char *text, size_t len,
		     size_t first, size_t added, bool md5sums, const char *path)
{
	struct held_text h = {
		.text = text,
		.len = len,
		.first = first,
		.added = added,
		.md5sums = md5sums,
		.path = path,
	};
	int rc = 0;

	if (!text)
		return 0;
	if (l->defer && len <= DPKG_HOLD_MAX - l->held_bytes) {
		if (BD_GROW(l->held, l->aheld, l->nheld + 1)) {
			free(text);
			return BD_ENOMEM;
		}
		l->held[l->nheld++] = h;
		l->held_bytes += len;
		return 0;
	}
	if (l->defer)
		rc = load_whole(l);
	if (!rc)
		rc = own_text(l, &h);
	free(text);
	return rc;
}

/* A diverted path's name, set in the filter own() looks at: its
 * directory is not resolved, nor any of the root looked at, for a path
 * no list may name. */
static void mark_diverted(struct bd_dpkg_load *l, const char *from)
{
	const char *name = strrchr(from, '/') + 1;
	uint32_t bit =
		bd_pkgdb_hash_bytes(name, strlen(name)) & (DIVERTED_BITS - 1);

	l->diverted[bit / 64] |= (uint64_t)1 << (bit % 64);
}

/*
 * The diversions file, read as the status is (confined to the root, a
 * regular file, within BD_PKGDB_MAX_FILE), its records checked by
 * bd_dpkg_parse_diversions: a bad one is left out, the rest of it and of
 * the database used, and the file's problems said in one warning. No
 * file (most roots), no cost: nothing is marked, own() looks up nothing.
 */
static int load_diversions(struct bd_dpkg_load *l)
{
	struct bd_buf msg = BD_BUF_INIT;
	size_t len = 0, i;
	char *text = bd_pkgdb_read(l->db, l->root, DIVERSIONS,
				   BD_PKGDB_MAX_FILE, &len, l->diag);
	int rc = text ? bd_dpkg_parse_diversions(&l->divs, text, len,
						 BD_DPKG_MAX_DIVERSIONS)
		      : 0;

	free(text);
	l->divs_len = len;
	if (!rc && bd_dpkg_diversions_problem(&l->divs, DIVERSIONS, &msg)) {
		if (bd_buf_ok(&msg))
			bd_diag_report(l->diag, BD_DIAG_WARNING, "%s",
				       msg.data);
		else
			rc = BD_ENOMEM;
	}
	bd_buf_release(&msg);
	if (!rc && l->divs.n) {
		l->original = malloc(l->divs.n * sizeof(*l->original));
		l->diverted = calloc(DIVERTED_BITS / 64, sizeof(uint64_t));
		if (!l->original || !l->diverted)
			rc = BD_ENOMEM;
	}
	for (i = 0; !rc && i < l->divs.n; i++) {
		l->original[i] = SIZE_MAX;
		mark_diverted(l, l->divs.v[i].from);
	}
	return rc;
}

/* A diversion's path owned, as bd_pkgdb_own does for other databases
 * (which first ends a deferred load: not for dpkg's own). */
static int own_diverted(struct bd_dpkg_load *l, const char *path, size_t index)
{
	const char *slash = strrchr(path, '/');
	struct bd_pkgdb_dir *d;

	/* a path ending in '/' names no file */
	if (!slash[1] || !bd_pkgdb_wanted(l->db, slash + 1, strlen(slash + 1)))
		return 0;
	d = bd_pkgdb_dir(l->db, l->root, path, (size_t)(slash - path) + 1);
	return d ? bd_pkgdb_own_in(l->db, d, slash + 1, strlen(slash + 1),
				   index)
		 : bd_pkgdb_dir_failed(l->db);
}

/*
 * Where a package's file is, as dpkg installs it (namenodetouse,
 * src/main/help.c): a diverted path's file of any package but the
 * diverting one (of every package for a local diversion) is at the path
 * diverted to, and is the package's whose list own() met first naming
 * it; the diverted path itself is the diverting package's when its own
 * list names it (own()), else nobody's: what is there then is no file a
 * package shipped (a postinst's, an administrator's). dpkg -S names the
 * packages of the diverted path and the diversion, which is the same.
 */
static int apply_diversions(struct bd_dpkg_load *l)
{
	/* The paths diverted to are looked up here first, as a list's
	 * are, and metered as a list of the file's size: unmetered, each
	 * below a link to a chain of deep directories cost seconds. */
	struct held_text h = { .len = l->divs_len, .path = DIVERSIONS };
	struct bd_pkgdb_text outer = l->db->text;
	size_t i;
	int rc = 0;

	bd_pkgdb_lookups(l->db, l->divs_len);
	for (i = 0; i < l->divs.n && !rc; i++)
		if (l->original[i] != SIZE_MAX)
			rc = own_diverted(l, l->divs.v[i].to, l->original[i]);
	if (l->db->text.spent)
		lookups_spent(l, &h);
	if (l->db->text.dir_share.spent)
		share_spent(l, &h);
	bd_pkgdb_lookups(l->db, SIZE_MAX);
	l->db->text = outer;
	return rc;
}

/* The names in the root's directory dir that keep(ctx, entry) takes,
 * the smallest max of them, sorted (bd_dirnames_read); none when dir is
 * not there. */
static int sorted_names(struct bd_dpkg_load *l, const char *dir,
			bd_dirnames_keep_fn keep, void *ctx, size_t max,
			struct bd_dirnames *names)
{
	struct bd_buf host = BD_BUF_INIT;
	DIR *d = NULL;
	int rc = 0;

	bd_dirnames_init(names);
	if (!bd_root_host_of(l->root, "/", dir, NULL, &host, NULL) &&
	    !bd_root_opendir(l->root, host.data, &d, NULL)) {
		rc = bd_dirnames_read(d, keep, ctx, max, names);
		closedir(d);
	}
	bd_buf_release(&host);
	return rc;
}

/* What the journal's listing learnt of the names it kept, all of them,
 * not only those read. */
struct journal_names {
	size_t len; /* the first one's length */
	bool odd;   /* one of another length */
};

/* A journal file's name: digits only. Any other (dpkg's "tmp.i", the
 * one it is writing) is not read, as dpkg's scandir filter skips it; nor
 * one past 10 digits, for which dpkg refuses the database (not kept: a
 * flooded directory costs little). Names not all of one length, for
 * which dpkg refuses it too (dbmodify.c's update_file_filter), are noted
 * in ctx, a struct journal_names. */
static bool journal_name(void *ctx, const struct dirent *de)
{
	struct journal_names *j = ctx;
	size_t n = strspn(de->d_name, "0123456789");

	if (!n || de->d_name[n] || n > UPDATES_NAME_MAX)
		return false;
	if (!j->len)
		j->len = n;
	j->odd = j->odd || n != j->len;
	return true;
}

/* One journal file: its stanzas replace the packages' earlier ones. */
static int load_journal_file(struct bd_dpkg_load *l, const char *name)
{
	struct bd_buf path = BD_BUF_INIT;
	size_t len = 0;
	char *text = NULL;
	int rc = 0;

	bd_buf_printf(&path, UPDATES "/%s", name);
	if (!bd_buf_ok(&path))
		rc = BD_ENOMEM;
	else
		text = bd_pkgdb_read(l->db, l->root, path.data,
				     BD_PKGDB_MAX_FILE, &len, l->diag);
	if (text) {
		l->dbfile = bd_arena_strdup(&l->db->arena, path.data);
		rc = l->dbfile ? bd_dpkg_parse_status(text, len, add_package, l)
			       : BD_ENOMEM;
	}
	free(text);
	bd_buf_release(&path);
	return rc == BD_ELIMIT ? 0 : rc;
}

/*
 * dpkg's journal (lib/dpkg/dbmodify.c, cleanupdates): dpkg writes each
 * change of a package's state as a stanza in updates/NNNN, and folds them
 * into status only at its next checkpoint; a root saved while dpkg ran,
 * or after it was killed, has them. dpkg-query reads status, then each
 * of them in name order, a stanza replacing the package's earlier one
 * (an upgrade's new version; a new package, unpacked, in no status
 * stanza). Names of different lengths, for which dpkg refuses the
 * database, are read in name order still, with one warning.
 */
static int load_updates(struct bd_dpkg_load *l)
{
	struct journal_names j = { 0, false };
	struct bd_dirnames names;
	size_t i;
	/* The first UPDATES_MAX in name order, the others passed as the
	 * listing is read: never all held. */
	int rc =
		sorted_names(l, UPDATES, journal_name, &j, UPDATES_MAX, &names);

	if (!rc && j.odd)
		bd_diag_report(l->diag, BD_DIAG_WARNING,
			       "'%s': journal file names not all of one "
			       "length (dpkg refuses this database), read in "
			       "name order",
			       UPDATES);
	if (!rc && names.kept > UPDATES_MAX)
		bd_diag_report(l->diag, BD_DIAG_WARNING,
			       "'%s': more than %d journal files (dpkg keeps "
			       "at most 250), the rest not read",
			       UPDATES, UPDATES_MAX);
	l->journal = true;
	for (i = 0; !rc && i < names.n; i++)
		rc = load_journal_file(l, names.v[i]);
	l->journal = false;
	bd_dirnames_release(&names);
	return rc;
}

static int load_status(struct bd_dpkg_load *l)
{
	const char *name;
	size_t len = 0, i;
	char *text = bd_pkgdb_read(l->db, l->root, STATUS, BD_PKGDB_MAX_FILE,
				   &len, l->diag);
	int rc = 0;

	/* Resolved once for the thousand lists in it. */
	l->info = !bd_root_resolve(l->root, "/", INFO, true, &l->info_buf)
			  ? l->info_buf.data
			  : NULL;
	l->dbfile = STATUS;
	l->added = 0;
	if (text)
		rc = bd_dpkg_parse_status(text, len, add_package, l);
	free(text);
	if (rc == BD_ELIMIT)
		rc = 0;
	/* dpkg reads the journal whether or not there is a status (a
	 * missing one is an empty one: pdb_allow_empty). */
	if (!rc)
		rc = load_updates(l);
	for (i = 0; !rc && i < l->added; i++) {
		if (l->db->pkgs[l->first + i].gone)
			continue;
		text = package_list(l, l->first + i, &len, &name);
		rc = take_text(l, text, len, l->first + i, 1, false, name);
	}
	return rc;
}

/* Distroless: status.d/<name> paragraphs, status.d/<name>.md5sums files. */
static int load_status_d_entry(struct bd_dpkg_load *l, const char *name)
{
	struct bd_buf path = BD_BUF_INIT;
	const char *held;
	size_t len = 0, n = strlen(name);
	char *text;
	int rc = 0;

	if (n > 8 && !strcmp(name + n - 8, ".md5sums"))
		return 0;
	bd_buf_printf(&path, STATUS_D "/%s", name);
	text = bd_buf_ok(&path)
		       ? bd_pkgdb_read(l->db, l->root, path.data,
				       BD_PKGDB_MAX_FILE, &len, l->diag)
		       : NULL;
	l->dbfile = text ? bd_arena_strdup(&l->db->arena, path.data) : NULL;
	l->added = 0;
	if (text)
		rc = bd_dpkg_parse_status(text, len, add_package, l);
	if (rc == BD_ELIMIT)
		rc = 0;
	free(text);
	bd_buf_printf(&path, ".md5sums");
	if (!rc && !bd_buf_ok(&path))
		rc = BD_ENOMEM;
	text = !rc && l->added ? bd_pkgdb_read(l->db, l->root, path.data,
					       BD_PKGDB_MAX_LIST, &len, l->diag)
			       : NULL;
	held = text ? bd_arena_strdup(&l->db->arena, path.data) : NULL;
	if (!rc && text && !held) {
		free(text);
		rc = BD_ENOMEM;
	}
	rc = rc ? rc : take_text(l, text, len, l->first, l->added, true, held);
	bd_buf_release(&path);
	return rc;
}

static bool not_hidden(void *ctx, const struct dirent *de)
{
	(void)ctx;
	return de->d_name[0] != '.';
}

/* The first max_status_d entries in name order, the others passed as the
 * listing is read: a flooded directory costs its listing, not its names
 * held and sorted. */
static int load_status_d(struct bd_dpkg_load *l)
{
	struct bd_dirnames names;
	size_t i, max = l->db->max_status_d;
	int rc = sorted_names(l, STATUS_D, not_hidden, NULL, max, &names);

	if (!rc && names.kept > max)
		bd_diag_report(l->diag, BD_DIAG_WARNING,
			       "'%s': more than %zu entries (one package's "
			       "paragraph and its .md5sums are two), the rest "
			       "not read",
			       STATUS_D, max);
	for (i = 0; !rc && i < names.n && !l->db->full; i++)
		rc = load_status_d_entry(l, names.v[i]);
	bd_dirnames_release(&names);
	return rc;
}

static void load_free(struct bd_dpkg_load *l)
{
	size_t i;

	for (i = 0; i < l->nheld; i++)
		free(l->held[i].text);
	free(l->held);
	free(l->names);
	free(l->original);
	free(l->diverted);
	bd_dpkg_diversions_release(&l->divs);
	bd_buf_release(&l->info_buf);
	if (l->info_fd >= 0)
		close(l->info_fd);
	bd_map_release(&l->lists);
	bd_arena_release(&l->list_names);
	free(l);
}

void bd_pkgdb_dpkg_pending_free(struct bd_pkgdb *db)
{
	if (db->dpkg_pending)
		load_free(db->dpkg_pending);
	db->dpkg_pending = NULL;
}

int bd_pkgdb_load_dpkg(struct bd_pkgdb *db, const struct bd_root *root,
		       const struct bd_diag *diag)
{
	struct bd_dpkg_load *l = calloc(1, sizeof(*l));
	int rc;

	if (!l)
		return BD_ENOMEM;
	l->db = db;
	l->root = root;
	l->diag = diag;
	l->defer = db->defer_files;
	bd_dpkg_diversions_init(&l->divs);
	bd_buf_init(&l->info_buf);
	l->info_fd = -1;
	bd_map_init(&l->lists);
	bd_arena_init(&l->list_names);
	rc = load_diversions(l);
	if (!rc)
		rc = load_status(l);
	if (!rc)
		rc = load_status_d(l);
	/* Deferred, the diversions are applied once apk's and rpm's
	 * packages are in the table too: not theirs. */
	l->npkgs = db->n;
	if (!rc && l->defer) {
		db->dpkg_pending = l;
		return 0;
	}
	if (!rc)
		rc = apply_diversions(l);
	load_free(l);
	return rc;
}

/* Room for the summaries the first pass records (own_recorded), made at
 * once for the texts held: a line of a Debian list is some 60 bytes,
 * and the array grown by doubling was copied each time (0.8 M
 * instructions on a Debian root). More lines grow it as before;
 * without the room, record_name says so. Within DPKG_HOLD_MAX / 40
 * summaries. */
static void reserve_names(struct bd_dpkg_load *l)
{
	if (!l->names && l->held_bytes)
		(void)BD_GROW(l->names, l->anames, l->held_bytes / 40 + 1);
}

/* The warnings' diag of a pass: NULL from bd_pkgdb_own (an apk or rpm
 * file owned while the load still runs) keeps the load's, where the
 * lists' and the diversions' warnings were lost. */
static void keep_diag(struct bd_dpkg_load *l, const struct bd_diag *diag)
{
	if (diag)
		l->diag = diag;
}

/*
 * One pass over the lists, in the order a full load reads them: a file's
 * first owner is the same. A diverted path's name is kept in the first
 * pass whatever is asked: its lines say which package the diversion took
 * it from.
 */
int bd_pkgdb_load_dpkg_files(struct bd_pkgdb *db, const struct bd_root *root,
			     const struct bd_diag *diag)
{
	struct bd_dpkg_load *l = db->dpkg_pending;
	bool dropped = false;
	size_t i;
	int rc = 0;

	if (!l)
		return 0;
	l->root = root;
	keep_diag(l, diag);
	for (i = 0; !rc && i < l->divs.n; i++)
		rc = bd_pkgdb_keep(db, strrchr(l->divs.v[i].from, '/') + 1);
	bd_pkgdb_want_sort(db);
	reserve_names(l);
	/* Each text dropped once looked at: what the pass adds takes the
	 * room it leaves. Only the first pass has texts to give back. */
	for (i = 0; !rc && i < l->nheld; i++) {
		dropped |= l->held[i].text != NULL;
		rc = own_held(l, &l->held[i]);
		free(l->held[i].text);
		l->held[i].text = NULL;
	}
	if (dropped)
		malloc_trim(0); /* the thread's arena gives them back */
	bd_pkgdb_say_capped(db, diag);
	return rc;
}

/* After the last pass: who owns the diverted paths. */
int bd_pkgdb_dpkg_divert(struct bd_pkgdb *db, const struct bd_root *root,
			 const struct bd_diag *diag)
{
	struct bd_dpkg_load *l = db->dpkg_pending;

	if (!l)
		return 0;
	l->root = root;
	keep_diag(l, diag);
	return apply_diversions(l);
}
