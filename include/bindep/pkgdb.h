/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_PKGDB_H
#define BINDEP_PKGDB_H

#include "bindep/arena.h"
#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/map.h"
#include "bindep/root.h"

#include <stdint.h>
#include <string.h>

/*
 * The package databases of a root, read directly (never by running dpkg,
 * rpm or apk), into one table: which installed package owns which file.
 * Files are keyed by their path inside the root with the directories
 * resolved (merged /usr: "/lib/x/libc.so.6" is "/usr/lib/x/libc.so.6").
 */

struct bd_package {
	const char *type;    /* purl type: "deb", "apk", "rpm" */
	const char *name;    /* binary package */
	const char *version; /* as the database has it (dpkg: epoch included;
				rpm: version-release) */
	const char *epoch;   /* rpm's epoch, or NULL */
	const char *arch;
	const char *source;	    /* source package, or NULL when the same */
	const char *source_version; /* or NULL when the same */
	const char *db;		    /* the database file, inside the root */
	/* The licence the database gives it, as written (rpm's License, apk's
	 * L:); NULL: none (dpkg keeps none). */
	const char *license;
	bool gone; /* dpkg: a later stanza says it is not installed */
	/* dpkg: Multi-Arch: same, its file list named <pkg>:<arch>.list */
	bool multiarch_same;
};

/* A directory the databases list: the canonical one it is, resolved from
 * its parent's (its node in bd_pkgdb.canon); as its parent's and its name
 * when it did not resolve (gone from the root, a loop). */
struct bd_pkgdb_dir {
	uint32_t
		canon_id; /* 0: "/"; else bd_pkgdb.canon's entry canon_id - 1 */
	uint8_t links; /* symlinks followed from "/" to it (the kernel's 40) */
	bool resolved;
	/* Taken as listed because its text's lookups ran out (or its
	 * parent's were): not what the root says, so a later text looks it
	 * up again rather than owning its files there. */
	bool cut;
};

/* A directory lately looked up by its text (bd_pkgdb.recent). */
struct bd_pkgdb_recent {
	struct bd_buf listed;
	uint32_t dir; /* its dirv index */
};
struct bd_pkgdb {
	struct bd_arena arena;
	struct bd_package *pkgs;
	size_t n, alloc;
	/* Who owns a file: (its directory's canon_id, its base name) ->
	 * package index. A directory's text is stored once, not once per
	 * file (the "dir/name" keys of this host's 141,795 files were 9.7
	 * MB, their slots 6.3 MB). */
	struct bd_pathmap files;
	/* The canonical directories, a tree of names: (the parent's
	 * canon_id, a name) -> canon_id, entry canon_id - 1 ("/" is 0,
	 * no entry). A directory costs its name, whatever its depth. */
	struct bd_pathmap canon;
	struct bd_map by_name; /* "name" and "name:arch" -> package index */
	/* The directories as listed, a tree of names the same way: (the
	 * parent's dirv index, a name) -> dirv index (0 is "/"). A line is
	 * walked a name at a time, each new directory resolved from its
	 * parent's canonical form; none from "/" again. */
	struct bd_pathmap dirs;
	struct bd_pkgdb_dir *dirv;
	size_t ndirs, dirs_alloc;
	/* The canonical form, as text, of canon node walk_canon (UINT32_MAX:
	 * none), which a new directory is looked up below: built from the
	 * tree once, then a name added a directory. */
	struct bd_buf walk;
	uint32_t walk_canon;
	/* The directories looked up last, the latest first: a file list
	 * names a directory's files one after another, and comes back to a
	 * parent after a subdirectory (8 halve the lookups of this host's
	 * 141,795 lines to 22,767). */
	struct bd_pkgdb_recent recent[8];
	size_t nrecent;
	/* The text being read (a dpkg list, an apk package, an rpm header;
	 * bd_pkgdb_lookups), one struct so that a text read inside another
	 * (dpkg's lists in an apk package's turn) puts the outer one back
	 * whole:
	 * - left: what its directories may still cost, in bytes of path the
	 *   kernel is asked to look up; past it, they are taken as listed,
	 *   not resolved (spent);
	 * - own: its own share (BD_PKGDB_LOOKUPS_PER_BYTE a byte and its
	 *   floor), given: what it was given (UINT64_MAX: no text); what a
	 *   text spends past its share comes out of lookups_pool;
	 * - floor: BD_PKGDB_LOOKUPS_FLOOR, or what is left of
	 *   lookups_floors;
	 * - dir_share: what it may add to dir_bytes (a BD_PKGDB_DIR_SHARE of
	 *   what was left), what it was given (UINT64_MAX: no text), and
	 *   whether it asked for more (spent: its further new directories
	 *   are not kept). */
	struct bd_pkgdb_text {
		uint64_t left, own, given, floor;
		bool spent;
		struct bd_pkgdb_share {
			uint64_t left, given;
			bool spent;
		} dir_share;
	} text;
	/* BD_PKGDB_LOOKUPS_BASE a load, which many small lists share, not
	 * one each; and what is left of the floors a load may spend
	 * (BD_PKGDB_LOOKUPS_FLOORS): past them a list has its bytes' share
	 * alone, so that 100,000 tiny lists are not 100,000 floors. */
	uint64_t lookups_pool, lookups_floors;
	/* Bytes of path the lookups of this load asked the kernel to walk
	 * (the tests' measure). */
	uint64_t lookups_walked;
	const char *os_id;	   /* os-release ID ("debian"), or NULL */
	const char *os_version_id; /* os-release VERSION_ID ("12"), or NULL */
	/* What the limits below left (issue 11: a 2 MB root of sparse
	 * files made the databases cost minutes to read). */
	uint64_t bytes_read;	     /* database bytes read this run */
	bool budget_spent;	     /* BD_PKGDB_MAX_TOTAL reached, warned */
	uint64_t dir_bytes;	     /* directories' names and nodes kept */
	uint64_t max_dir_bytes;	     /* BD_PKGDB_MAX_DIR_BYTES (tests: less) */
	bool dirs_capped, dirs_said; /* max_dir_bytes reached; warned */
	size_t max_status_d;	     /* BD_PKGDB_MAX_STATUS_D (tests: less) */
	bool full;		     /* BD_PKGDB_MAX_PACKAGES reached, warned */
	size_t oversized;	     /* files over their own cap */
	const char *first_oversized; /* the first of them (warned about) */
	/* Set before bd_pkgdb_load: dpkg's file lists are left for
	 * bd_pkgdb_load_files, which knows the names asked about. */
	bool defer_files;
	struct bd_dpkg_load *dpkg_pending; /* what they need meanwhile */
	/* While bd_pkgdb_load_files runs: the base names looked for in this
	 * pass (NULL: all); and those of every pass. */
	struct bd_pkgdb_want *want, *asked;
};

void bd_pkgdb_init(struct bd_pkgdb *db);
void bd_pkgdb_release(struct bd_pkgdb *db);

/* Reads what the root has: os-release and the dpkg and apk databases.
 * Problems are warnings through diag. Returns 0 or BD_ENOMEM. */
int bd_pkgdb_load(struct bd_pkgdb *db, const struct bd_root *root,
		  const struct bd_diag *diag, struct bd_error *err);

/*
 * The file lists bd_pkgdb_load left (db->defer_files), read for the files
 * whose base name is one of names[0..n): bd_pkgdb_owner answers for
 * those as a full load would. A list of a hundred thousand files costs a
 * look-up in a small table a line, not a path resolved and stored (issue
 * 13). Called again with more names, a pass reads the lists for the new
 * ones only (each name is looked for in one pass, in the lists' order);
 * bd_pkgdb_files_done ends the load. names NULL: every file, and done.
 * The lists were read by bd_pkgdb_load, which said their warnings and
 * counted their bytes: nothing is said here, and a pass after the first
 * reads them again quietly (each pass drops them). Returns 0 or
 * BD_ENOMEM.
 */
int bd_pkgdb_load_files(struct bd_pkgdb *db, const struct bd_root *root,
			const char *const *names, size_t n,
			const struct bd_diag *diag, struct bd_error *err);
/* The diversions applied to the names asked about (all files when none
 * was asked for), and the deferred state freed. Returns 0 or BD_ENOMEM. */
int bd_pkgdb_files_done(struct bd_pkgdb *db, const struct bd_root *root,
			const struct bd_diag *diag, struct bd_error *err);

/* The package owning a file (its canonical inside path), or NULL. */
const struct bd_package *bd_pkgdb_owner(const struct bd_pkgdb *db,
					const char *path);

/* The i-th file owned (i < db->files.count; in the order they were
 * first owned): its path into out, its package's index into *index.
 * Returns 0 or BD_ENOMEM. */
int bd_pkgdb_file(const struct bd_pkgdb *db, size_t i, struct bd_buf *out,
		  size_t *index);

/* The package of that name and architecture added before: its index in
 * *index, or false. */
bool bd_pkgdb_find(const struct bd_pkgdb *db, const char *name,
		   const char *arch, size_t *index);

/* Package index takes p's version, source, Multi-Arch and database file (a
 * stanza given again: the last is the one, as dpkg reads its status). */
int bd_pkgdb_replace(struct bd_pkgdb *db, size_t index,
		     const struct bd_package *p);

/* Adds a package (strings copied); *index set. Returns 0 or BD_ENOMEM. */
int bd_pkgdb_add(struct bd_pkgdb *db, const struct bd_package *p,
		 size_t *index);

/* Records that package `index` owns a file; the first owner stays. For
 * the loaders after dpkg's (apk, rpm): a dpkg load deferred
 * (db->defer_files) is ended first, whole, as its files come first. */
int bd_pkgdb_own(struct bd_pkgdb *db, const struct bd_root *root,
		 const char *path, size_t index);

/*
 * The two halves of bd_pkgdb_own, for a loader that looks at the
 * directory in between (dpkg's diversions). bd_pkgdb_dir: the directory of
 * an absolute path of len bytes (up to its last '/'), resolved once and
 * remembered; NULL when out of memory, past max_dir_bytes or past the
 * text's share of it, which bd_pkgdb_dir_failed tells apart (BD_ENOMEM,
 * or 0: the file is owned by none; bd_pkgdb_say_capped warns once about
 * the cap, the loader about a share, bd_pkgdb_say_share).
 * bd_pkgdb_own_in: that package `index` owns the file `name` (len bytes,
 * no '/') in directory d.
 */
struct bd_pkgdb_dir *bd_pkgdb_dir(struct bd_pkgdb *db,
				  const struct bd_root *root, const char *path,
				  size_t len);
int bd_pkgdb_dir_failed(const struct bd_pkgdb *db);

/* What the directories of one text (a file list of len bytes) may cost
 * in path looked up: BD_PKGDB_LOOKUPS_PER_BYTE a byte of it, its floor
 * (what is left of the load's BD_PKGDB_LOOKUPS_FLOORS, at most
 * BD_PKGDB_LOOKUPS_FLOOR) and what is left of the load's
 * BD_PKGDB_LOOKUPS_BASE; len SIZE_MAX: the text's
 * spending past its share taken from that base, and no limit (the
 * default). Past it, its new
 * directories are taken as listed (db->text.spent): their files are
 * owned where they are listed, not where links in the root put them.
 * The text's share of the directory cap is set with it (db->text.dir_share,
 * BD_PKGDB_DIR_SHARE; len SIZE_MAX: none but the cap): past it, its new
 * directories are not kept (db->text.dir_share.spent), their files owned by
 * none. */
void bd_pkgdb_lookups(struct bd_pkgdb *db, size_t len);
void bd_pkgdb_say_capped(struct bd_pkgdb *db, const struct bd_diag *diag);
/* The warning for a text past its share of the directory cap
 * (db->text.dir_share.spent): file, and package (NULL for a dpkg list, whose
 * file names it), what it was given. A loader says it once a load, for
 * the first such text. */
void bd_pkgdb_say_share(const struct bd_pkgdb *db, const char *file,
			const char *package, const struct bd_diag *diag);
int bd_pkgdb_own_in(struct bd_pkgdb *db, const struct bd_pkgdb_dir *d,
		    const char *name, size_t len, size_t index);

/* For the loaders: whether a file of this base name (len bytes) is kept
 * (bd_pkgdb_load_files), and a name to keep besides those asked about
 * (dpkg's diverted names: their lines say who a diversion took from), in
 * this pass unless an earlier one had it. bd_pkgdb_keep returns 0 or
 * BD_ENOMEM; name must outlive the load. */
bool bd_pkgdb_wanted(const struct bd_pkgdb *db, const char *name, size_t len);
int bd_pkgdb_keep(struct bd_pkgdb *db, const char *name);

/* Eight bytes of p, as they lie in memory. */
static inline uint64_t bd_pkgdb_load8(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* bd_pkgdb_name_hash of len bytes that hold no NUL. Inline: a file list
 * loader summarises each of its lines (144,089 on a Debian root). The
 * last bytes are read as whole words that may overlap those before (the
 * length is in the seed), where a copy of the 0-7 left over cost a third
 * of the hash. */
static inline uint32_t bd_pkgdb_hash_bytes(const char *name, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len, v;
	uint32_t a, b;

	if (len >= 8) {
		const char *last = name + len - 8;

		for (; name < last; name += 8) {
			h = (h ^ bd_pkgdb_load8(name)) * 0xff51afd7ed558ccdu;
			h ^= h >> 32;
		}
		v = bd_pkgdb_load8(last);
	} else if (len >= 4) {
		memcpy(&a, name, 4);
		memcpy(&b, name + len - 4, 4);
		v = (uint64_t)a << 32 | b;
	} else if (len) {
		v = (uint64_t)(unsigned char)name[0] << 16 |
		    (uint64_t)(unsigned char)name[len / 2] << 8 |
		    (unsigned char)name[len - 1];
	} else {
		v = 0;
	}
	h = (h ^ v) * 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return (uint32_t)h;
}

/*
 * A base name's 32-bit summary (up to a NUL in its len bytes; not keyed:
 * it only ever spares work), and bd_pkgdb_wanted with it given. A loader
 * that keeps its lines' summaries asks bd_pkgdb_any_wanted whether a
 * later pass may want any of them: false only when none of this pass's
 * names has that summary, once bd_pkgdb_want_sort has sorted them (before
 * that, and with every name wanted, true).
 */
uint32_t bd_pkgdb_name_hash(const char *name, size_t len);
bool bd_pkgdb_wanted_hash(const struct bd_pkgdb *db, const char *name,
			  size_t len, uint32_t hash);
/* One call a text, not a line (144,000 calls cost 4 M instructions). */
bool bd_pkgdb_any_wanted(const struct bd_pkgdb *db, const uint32_t *hashes,
			 size_t n);
void bd_pkgdb_want_sort(struct bd_pkgdb *db);

/* The wanted names' filter: a bit for each by its summary's low 16 bits
 * (bd_pkgdb_filter_has), set for every name bd_pkgdb_wanted_hash may take;
 * NULL when every name is wanted. A loader looks a line up in it first,
 * inline, and asks bd_pkgdb_wanted_hash only when its bit is set. */
#define BD_PKGDB_WANT_BITS (1u << 16)
const uint64_t *bd_pkgdb_want_filter(const struct bd_pkgdb *db);

static inline bool bd_pkgdb_filter_has(const uint64_t *bits, uint32_t summary)
{
	uint32_t bit = summary & (BD_PKGDB_WANT_BITS - 1);

	return bits[bit / 64] >> (bit % 64) & 1;
}

/*
 * dpkg's status format: paragraphs of "Field: value" lines (continuation
 * lines start with a space), separated by blank lines. Calls on_package
 * for each paragraph whose Status says installed. Returns 0 or the first
 * non-zero value of on_package.
 */
struct bd_dpkg_fields {
	const char *package, *version, *arch, *source, *status, *multiarch;
	size_t package_len, version_len, arch_len, source_len, status_len,
		multiarch_len;
	bool installed; /* its files are unpacked (a status.d paragraph's) */
};

int bd_dpkg_parse_status(const char *text, size_t len,
			 int (*on_package)(void *ctx,
					   const struct bd_dpkg_fields *f),
			 void *ctx);

/*
 * Limits on what a root's package databases may cost.
 */
/* One database file: dpkg's status of a large Debian install is ~10 MiB. */
#define BD_PKGDB_MAX_FILE (64u * 1024u * 1024u)
/* One dpkg file list (info/<pkg>.list): real ones are under 2 MiB. */
#define BD_PKGDB_MAX_LIST (16u * 1024u * 1024u)
/* All database files read in one run, together: a large distribution's
 * come to some tens of MiB. Past it nothing more is read (one warning:
 * "'<file>': package databases larger than 512 MiB in all, the rest not
 * read"). */
#define BD_PKGDB_MAX_TOTAL	(512ull * 1024u * 1024u)
#define BD_PKGDB_MAX_TOTAL_TEXT "512 MiB"
/* Packages, dpkg's and apk's together (rpm reads as many rows of its own
 * database): Fedora or Debian install a few thousand. */
#define BD_PKGDB_MAX_PACKAGES 100000u
/* Entries of a distroless var/lib/dpkg/status.d/ read, the first in name
 * order: a package's paragraph and its .md5sums, for as many packages as
 * are read. Past it, one warning, the rest not read, and never more names
 * held (bd_dirnames_read). */
#define BD_PKGDB_MAX_STATUS_D (2u * BD_PKGDB_MAX_PACKAGES)
/* The directories the databases list, and their canonical forms: each
 * costs its own name (not its path from /) and BD_PKGDB_DIR_NODE, so
 * that the cap bounds the memory they hold, whatever their names' length
 * (counted by names alone, 2,000 rpm headers of one-letter directories
 * held 200 MB). A Debian root's 12,574 come to 0.9 MiB; 32 MiB holds
 * some 400,000 directories of real names. Past it, files in directories
 * not seen yet are owned by nobody (one warning). */
#define BD_PKGDB_MAX_DIR_BYTES (32u * 1024u * 1024u)
/* What a directory's node holds besides its name: its bd_pathmap entry
 * (16 bytes) and slots (8 at half load), its bd_pkgdb_dir (8). */
#define BD_PKGDB_DIR_NODE 32u
/* Each text (a dpkg list, an apk package, an rpm header) may add a
 * sixteenth of what the texts before left of the cap: first come, first
 * served, a list of 900,000 new directories (4.6 MB) read first spent
 * it all, and the files of every list after it were owned by none. Now N
 * such texts leave (15/16)^N of it, a later one a sixteenth of that: 40
 * leave 2.4 MiB, 100 54 KiB. The largest real list seen, 5,197
 * directories (google-cloud-cli), costs 433 KiB new in both trees, a
 * fifth of the first share; a real root's lists leave the cap over 30
 * MiB. A fixed floor instead would be emptied by 32 MiB / floor lists,
 * and the next given nothing. Past its share a text's new directories
 * are not kept (text.dir_share.spent), as past the cap. */
#define BD_PKGDB_DIR_SHARE 16u
/* A text's lookup budget (bd_pkgdb_lookups): a new directory costs the
 * length of the path lstat'd, a link followed PATH_MAX more: a
 * list of deep paths below a link to a deep directory cost the kernel
 * seconds a MB. */
#define BD_PKGDB_LOOKUPS_BASE	  (1u << 20)
#define BD_PKGDB_LOOKUPS_PER_BYTE 16u
/* Each text's share besides: two links, so that a small list still
 * resolves a link below one another list left cut (merged /usr's /lib)
 * once the base is spent. */
#define BD_PKGDB_LOOKUPS_FLOOR (2u * 4096u)
/* What the floors of one load may spend in all, past each list's share
 * of its bytes: 512 floors. A Debian root spends none (bench debroot);
 * 100,000 tiny rpm headers spending theirs cost 43 s uncapped, 5 s. */
#define BD_PKGDB_LOOKUPS_FLOORS (4u << 20)

/*
 * Reads a file under the root (malloc'd, NUL-terminated, at most max
 * bytes, within what is left of BD_PKGDB_MAX_TOTAL), or NULL when there
 * is none. One that cannot be read (a FIFO, a device, too large) is NULL
 * with a warning through diag: over max, the first such file is warned
 * about and the rest counted (bd_pkgdb_load reports how many).
 */
char *bd_pkgdb_read(struct bd_pkgdb *db, const struct bd_root *root,
		    const char *inside, size_t max, size_t *len,
		    const struct bd_diag *diag);

/* The same for inside, which is rel in dir, a directory resolved
 * already (canonical, from bd_root_resolve): only rel is walked (dpkg
 * reads a thousand lists from one directory). The symlinks that led to
 * dir no longer count towards the walk's limit on links. */
char *bd_pkgdb_read_at(struct bd_pkgdb *db, const struct bd_root *root,
		       const char *dir, const char *rel, const char *inside,
		       size_t max, size_t *len, const struct bd_diag *diag);

/* A database file read a second time (bd_pkgdb_read_at read it, said
 * what was wrong and counted its bytes): quietly, uncounted; NULL when it
 * cannot be read now. */
char *bd_pkgdb_read_again(const struct bd_root *root, const char *dir,
			  const char *rel, size_t max, size_t *len);

/* Takes n bytes of BD_PKGDB_MAX_TOTAL for a database read otherwise
 * (rpm's). False, with the one warning naming inside, when they are not
 * left. */
bool bd_pkgdb_take(struct bd_pkgdb *db, const char *inside, uint64_t n,
		   const struct bd_diag *diag);

/* Whether BD_PKGDB_MAX_PACKAGES are read: true, with one warning naming
 * dbfile the first time, when no more may be added. */
bool bd_pkgdb_full(struct bd_pkgdb *db, const char *dbfile,
		   const struct bd_diag *diag);

/* Reads the dpkg database under the root (status and info/\*.list, or a
 * distroless status.d/ with .md5sums, and diversions). */
int bd_pkgdb_load_dpkg(struct bd_pkgdb *db, const struct bd_root *root,
		       const struct bd_diag *diag);
/* With db->defer_files, the lists and .md5sums are read by the load
 * (their warnings said then, as a whole load says them) but their lines
 * looked at here, a pass for each bd_pkgdb_load_files, then the
 * diversions applied; the state kept for them (db->dpkg_pending) is
 * freed by bd_pkgdb_dpkg_pending_free. */
int bd_pkgdb_load_dpkg_files(struct bd_pkgdb *db, const struct bd_root *root,
			     const struct bd_diag *diag);
int bd_pkgdb_dpkg_divert(struct bd_pkgdb *db, const struct bd_root *root,
			 const struct bd_diag *diag);
void bd_pkgdb_dpkg_pending_free(struct bd_pkgdb *db);

/*
 * dpkg's diversions file, var/lib/dpkg/diversions, read as dpkg reads it
 * (lib/dpkg/db-fsys-divert.c, ensure_diversions): records of three lines,
 * the path diverted, the path other packages' files of that name are
 * installed at instead, and the package that diverts it (":" for a local
 * diversion, made by the administrator: every package's file is moved).
 * A path is taken as dpkg's file name table takes it (fsys_hash_find_node:
 * its leading '/' and "./" skipped, one '/' put before the rest).
 *
 * What dpkg refuses the whole database for (a line over 1022 bytes, a
 * NUL, a record cut short, two diversions sharing a path), what it could
 * not have written (an empty field, a line not UTF-8 text) and what
 * diverts nothing (a path diverted to itself: dpkg installs it there) make
 * that record not taken, the others are: the first problem is kept to be
 * said once (bd_dpkg_diversions_problem), the rest counted.
 */
struct bd_dpkg_diversion {
	const char *from, *to; /* absolute, NUL-terminated */
	const char *by;	       /* the diverting package; NULL: local */
};

struct bd_dpkg_diversions {
	struct bd_dpkg_diversion *v; /* in the file's order */
	size_t n, alloc;
	struct bd_map from, to; /* a path -> its diversion's index in v */
	struct bd_arena arena;	/* the strings */
	/* The first problem ("a path diverted to itself, not taken"), its
	 * record's number and first line (from 1); how many in all. */
	const char *why;
	size_t why_record, why_line, problems;
};

/* Records read at most: a Debian install has a few dozen (nvidia's
 * drivers, dash, postgresql-common...). Past it, one problem, the rest
 * not read. */
#define BD_DPKG_MAX_DIVERSIONS 10000u

void bd_dpkg_diversions_init(struct bd_dpkg_diversions *d);
void bd_dpkg_diversions_release(struct bd_dpkg_diversions *d);
/* Reads text (len bytes) into d (initialised, empty), at most max
 * records. Returns 0 or BD_ENOMEM. */
int bd_dpkg_parse_diversions(struct bd_dpkg_diversions *d, const char *text,
			     size_t len, size_t max);
/* The diversion of the path (len bytes, absolute as a file list has it)
 * away from where it is listed, or NULL. */
const struct bd_dpkg_diversion *
bd_dpkg_diverted(const struct bd_dpkg_diversions *d, const char *path,
		 size_t len);
/* The one warning of d's problems, naming file, into msg; false when
 * there were none. */
bool bd_dpkg_diversions_problem(const struct bd_dpkg_diversions *d,
				const char *file, struct bd_buf *msg);

/* How many bytes of s (n bytes) dpkg's file name table skips before the
 * name it keys (path_skip_slash_dotslash: each '/', and each '.' before a
 * '/'); "/" and the rest is the path, for a diversion's, a list's line
 * and an .md5sums file name. */
size_t bd_dpkg_path_skip(const char *s, size_t n);

/* apk's lib/apk/db/installed: parse a text (problems said through diag,
 * which may be NULL), or read the root's. */
int bd_apk_parse_installed(struct bd_pkgdb *db, const struct bd_root *root,
			   const struct bd_diag *diag, const char *text,
			   size_t len);
int bd_pkgdb_load_apk(struct bd_pkgdb *db, const struct bd_root *root,
		      const struct bd_diag *diag);

/*
 * A Debian package's licences, from its machine-readable copyright file
 * (copyright-format 1.0, "DEP-5"): the License of each Files paragraph
 * and of the header, Debian's short names made SPDX ids, the distinct
 * ones sorted and ANDed into license (bd_license_add). When one has no
 * SPDX expression (public-domain, "with OpenSSL exception"), all are
 * kept as written in astext instead (sorted, ANDed, control bytes and
 * ill-formed UTF-8 replaced, at most 1 KiB). A text not in the format
 * gives neither. Returns 0 or BD_ENOMEM.
 */
int bd_dpkg_copyright_parse(const char *text, size_t len,
			    struct bd_buf *license, struct bd_buf *astext);
/* One synopsis (a License line, len bytes) as an SPDX expression appended
 * to out ("GPL-2+" -> "GPL-2.0-or-later"); false when it has none. */
bool bd_dpkg_license_spdx(const char *synopsis, size_t len, struct bd_buf *out);
/* The largest copyright file read: Boost's, the largest of a Debian 12
 * root's 859, is 2 MiB (a copyright of every file), most are under
 * 20 KiB. One over it is warned about and gives no licence: its first
 * part would name only some of the package's licences. */
#define BD_DPKG_MAX_COPYRIGHT (4u << 20)
/* What bd_dpkg_copyright read, by the file a package's path led to:
 * packages whose doc directories are symlinks to one are read once. */
struct bd_dpkg_copyrights {
	struct bd_arena arena;
	struct bd_map seen; /* resolved inside path -> index in v */
	struct bd_dpkg_copyright_read {
		const char *license, *text; /* NULL: none */
	} * v;
	size_t n, alloc;
};
void bd_dpkg_copyrights_init(struct bd_dpkg_copyrights *m);
void bd_dpkg_copyrights_release(struct bd_dpkg_copyrights *m);
/*
 * The same for /usr/share/doc/<package>/copyright in the root (its
 * symlinks followed inside it), or what memo has of the file it leads
 * to: none when there is none; one that cannot be read (a FIFO, over
 * BD_DPKG_MAX_COPYRIGHT) gives none and a warning through diag, once.
 * Returns 0 or BD_ENOMEM.
 */
int bd_dpkg_copyright(const struct bd_root *root,
		      struct bd_dpkg_copyrights *memo, const char *package,
		      const struct bd_diag *diag, struct bd_buf *license,
		      struct bd_buf *astext);

/*
 * One rpm header as rpmdb.sqlite stores it (headerExport: index count and
 * data size as big-endian 32-bit numbers, the index entries, the data),
 * the fields bindep-sbom reads. Strings point into the blob (each is
 * checked to end inside it); files are "dir + base" pairs.
 */
struct bd_rpm_header {
	const char *name, *version, *release, *arch, *sourcerpm;
	const char *license; /* RPMTAG_LICENSE; NULL: none */
	bool has_epoch;
	uint32_t epoch;
	const char *const *dirnames; /* malloc'd arrays of pointers */
	const char *const *basenames;
	uint32_t *dirindexes;
	size_t ndirs, nfiles;
	/* The two per-file arrays' own counts, which must agree (nfiles). */
	size_t nindexes, nbasenames;
};

/* Returns 0, BD_EFORMAT for a malformed header, BD_ENOMEM. */
int bd_rpm_parse_header(const unsigned char *blob, size_t len,
			struct bd_rpm_header *h);
void bd_rpm_header_release(struct bd_rpm_header *h);

/* The largest header blob bd_rpm_parse_header can accept (its index of
 * at most 100,000 entries and data of at most 256 MiB, rpm's own limits):
 * no database's record of a header is read past it. */
#define BD_RPM_MAX_HEADER (8u + 16u * 100000u + (256u << 20))

/*
 * The header blobs of an rpm database, handed over one at a time in the
 * order of their instance numbers (hnum): blob NULL for a record that is
 * no header blob at all. Return 0 to go on, 1 to stop (no error), or a
 * negative BD_E* to stop with that error. blob is valid only during the
 * call.
 */
typedef int (*bd_rpm_blob_fn)(void *ctx, uint32_t hnum,
			      const unsigned char *blob, size_t len);

/*
 * rpm's Berkeley DB database (Packages, a hash database; rpm < 4.16),
 * read from fd (size bytes) without libdb: each header to on_blob. At
 * most max records are handed over. Returns 0, the callback's error, or
 * BD_ENOMEM; or BD_EFORMAT with e saying what is wrong with the file
 * ("'inside': page 7 ..."), the headers handed over before it staying
 * handed over.
 */
int bd_rpm_read_bdb(int fd, uint64_t size, const char *inside, size_t max,
		    bd_rpm_blob_fn on_blob, void *ctx, struct bd_error *e);

/* The same for rpm's NDB database (Packages.db; SUSE). */
int bd_rpm_read_ndb(int fd, uint64_t size, const char *inside, size_t max,
		    bd_rpm_blob_fn on_blob, void *ctx, struct bd_error *e);

/* Reads the rpm database under the root: rpmdb.sqlite in /usr/lib/sysimage/
 * rpm or /var/lib/rpm, else the Berkeley DB Packages or the NDB
 * Packages.db beside it. */
int bd_pkgdb_load_rpm(struct bd_pkgdb *db, const struct bd_root *root,
		      const struct bd_diag *diag);

#endif
