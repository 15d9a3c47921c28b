/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_MAPPING_H
#define BINDEP_MAPPING_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/root.h"
#include "bindep/strrules.h"

/*
 * The identification registry: YAML files (mappings/README.md has the
 * format) that map library file names and sonames, and distribution source
 * packages, to upstream projects, and say how to read a library's version.
 * Loaded with libcyaml; the structs below are its schema's targets, so the
 * counts are named <field>_count as libcyaml wants.
 */

/* One way to read a version; exactly one of the five is set. Each is a
 * pattern with one "{version}" placeholder (bindep/strrules.h). */
struct bd_version_rule {
	char *filename; /* over the file name (hash-stripped) */
	char *soname;	/* over DT_SONAME */
	char *verdef;	/* over version-definition names; the highest wins */
	char *strings;	/* over the file's read-only data */
	char *bare;	/* a string of its own there: "{version:3.}" */
	char *function; /* a function returning it as a constant */
	char *returns;	/* how: "bytes:M.m.p" or "M.mm.pp" */
};

/*
 * A string a build holds that says its licence, and the licence it means
 * (mappings/README.md, license-strings): FFmpeg's avcodec_license() is the
 * tail of "libavcodec license: " FFMPEG_LICENSE, which its configure sets
 * by --enable-gpl, --enable-version3 and --enable-nonfree.
 */
struct bd_license_string {
	char *strings; /* the whole string, as the file's read-only data has it
			*/
	char *license; /* an SPDX expression (LicenseRef- ids taken) */
};

struct bd_mapping_sources {
	char **debian; /* Debian and Ubuntu source packages */
	unsigned debian_count;
	char **alpine;
	unsigned alpine_count;
	char **fedora; /* Fedora, RHEL and their rebuilds: source rpm names */
	unsigned fedora_count;
};

/*
 * An artifact's own list of what it links in (issue 14): a file at path,
 * relative to the directory of the file the entry names, in a format:
 * "json-object-name-version", one JSON object of "name": "version"
 * (sharp-libvips's versions.json). Each name is a registry entry's
 * (manifest-names, else its name, else its name without "lib").
 */
#define BD_MANIFEST_FORMAT_JSON "json-object-name-version"

struct bd_mapping_manifest {
	char *path;
	char *format;
};

struct bd_mapping {
	char *name; /* the upstream project */
	char *purl; /* pkg:github/... or pkg:generic/..., without version */
	char *repository;
	char *homepage;
	/* An SPDX licence expression the registry may write
	 * (bd_license_registry_ok: the loader refuses a file of another). */
	char *license;
	/* Strings that say the licence of the build that holds them: the
	 * one a file holds is its licence, before license; several that
	 * state different licences give their AND, in this order (ident.c,
	 * struct stated). */
	struct bd_license_string *license_strings;
	unsigned license_strings_count;
	char *cpe;	/* "cpe:2.3:a:<vendor>:<product>": version appended */
	char *registry; /* a purl-registry package: "<namespace>/<name>" */
	char **files;	/* fnmatch(3) patterns over file names and sonames */
	unsigned files_count;
	struct bd_version_rule *version;
	unsigned version_count;
	/* Texts of the library's own (a message, a format's magic) that name
	 * it in any file's read-only data, without a version. */
	char **markers;
	unsigned markers_count;
	struct bd_mapping_sources *sources;
	/* Versions builds state that name no release (Mozilla's aom says
	 * "v0.1.0"): read, they are none. */
	char **placeholders;
	unsigned placeholders_count;
	struct bd_mapping_manifest *manifest;
	/* The names manifests give it ("png" for libpng). */
	char **manifest_names;
	unsigned manifest_names_count;
	char **examples; /* real file names the patterns must match */
	unsigned examples_count;
	char *example_version; /* what the rules read from the examples */

	const char *file; /* set after loading: the YAML file it came from */
	/* How evidence names it, with no machine path (issue 15): the file
	 * relative to the registry ("mappings/compression.yml"), or as given
	 * (--mapping), and the line of its "- " (0: not known). */
	const char *shown;
	unsigned line;
};

struct bd_mapping_file {
	struct bd_mapping *libraries;
	unsigned libraries_count;
};

/*
 * A shipped registry file compiled into the program: its bytes, and the
 * entries loading it gives (file and shown NULL: each load sets them).
 * The build's registry_data.c, written by contrib/registry/mkregistry.c
 * with this loader from the files of mappings/, holds them; mkregistry
 * fails where a file warns or does not load, so that a compiled-in file is
 * never one that would be mended or refused.
 */
struct bd_mapping_builtin {
	const char *name; /* "compression.yml" */
	const char *text;
	size_t len;
	const struct bd_mapping *libraries;
	unsigned libraries_count;
};

/*
 * The program's table (registry_data.c: not in libbindep.a, so linked
 * only where named), *n set to its length. Its strings are kept with each
 * byte flipped in the program's file, where the registry's markers and
 * version texts would otherwise name a dozen libraries in bindep-sbom
 * itself, and flipped back by the first call (any thread).
 */
const struct bd_mapping_builtin *bd_mapping_builtins(size_t *n);

/*
 * Version rules of one library: every "strings" rule is searched for in
 * each matching file, so 20,000 of them took 4 s on one 2.5 MB library.
 * The shipped files use at most 32 (ICU: six file names and a bare rule
 * per major, from 60 to 85). A library with more makes its file refused:
 * "'f.yml:L:C': more than 48 version rules in one library". Its other
 * lists (license-strings, markers, placeholders, manifest-names) have
 * the same cap, the warning naming the list.
 */
#define BD_MAPPING_MAX_RULES 48

/*
 * Libraries of one file: the shipped files hold a few dozen each, and a
 * 4 MiB file could otherwise hold about 120,000. A file with more is
 * refused: "'f.yml:L:C': more than 10000 libraries in one file".
 */
#define BD_MAPPING_MAX_ENTRIES 10000

/* One file-name pattern, keyed by its literal start (up to the first
 * wildcard), so a name is matched against the few patterns that can match
 * it instead of all of them. */
struct bd_mapping_key {
	const char *prefix;
	size_t len;
	unsigned file, entry; /* files[file]->libraries[entry] */
	const char *pattern;
};

/* One source package an entry lists, for one family of distributions. */
struct bd_mapping_source_key {
	unsigned family; /* 0 Debian, 1 Alpine, 2 Fedora */
	const char *source;
	unsigned file, entry;
};

/* A rule of the compiled set (bindep/strrules.h): whose it is. */
struct bd_mapping_string {
	const struct bd_mapping *entry;
	unsigned file, index; /* files[file]->libraries[index] */
	int rule;	      /* index in entry->version; -1: none */
	/* index in entry->license_strings; -1: none. A rule that is
	 * neither is a marker. */
	int license;
};

struct bd_mappings {
	struct bd_mapping_file **files; /* in load order: later ones win */
	char **paths;
	char **shown; /* per file: bd_mapping.shown */
	size_t n, alloc;
	struct bd_mapping_key *keys; /* sorted by prefix; rebuilt per load */
	size_t nkeys;
	/* Inside bd_mappings_load_dir: the indexes wait for its last file
	 * (each rebuild sorts every file's keys again). */
	bool indexing_deferred;
	/* sorted by family, source, then the winner first */
	struct bd_mapping_source_key *sources;
	size_t nsources;
	/* Where loading warns of what it mends rather than refuses (a purl
	 * not in canonical form); NULL: nowhere. bd_mappings_load_dir()
	 * uses its own diag. */
	const struct bd_diag *diag;
	/* The strings, bare and marker rules of every entry, compiled by
	 * bd_mappings_compile; string_of[k] says whose rule k is. */
	struct bd_strrules *strings;
	struct bd_mapping_string *string_of;
	/* Files compiled in (nbuiltin of them; NULL: none): a file read by
	 * bd_mappings_load_file or _dir whose bytes are one's is taken from
	 * it, without parsing (parsing the shipped registry was 37 of the 61
	 * million instructions of a run on nothing); any other is parsed.
	 * bd_mappings_release clears it with the rest. */
	const struct bd_mapping_builtin *builtin;
	size_t nbuiltin;
	bool *compiled; /* per file: entries copied from a builtin's */
};

void bd_mappings_init(struct bd_mappings *m);
void bd_mappings_release(struct bd_mappings *m);

/*
 * Loads one YAML file. A file that does not parse or does not fit the
 * format fails with BD_EFORMAT and err naming "path:line:col" and the
 * problem (err->line and err->col set); BD_EIO when it cannot be read.
 * An entry's purl must parse (bindep/purl.h) and have no version; one not
 * in canonical form is replaced by its canonical form, with a warning
 * through m->diag ("'f.yml': library 'x': purl 'pkg:github/A/b' is not
 * canonical, using 'pkg:github/a/b'"), so that no output carries it.
 */
int bd_mappings_load_file(struct bd_mappings *m, const char *path,
			  struct bd_error *err);

/* Loads YAML text held in memory; name is what errors call it. */
int bd_mappings_load_data(struct bd_mappings *m, const char *name,
			  const void *data, size_t len, struct bd_error *err);

/* Loads every "*.yml" file of a directory, in name order. Files that fail
 * are reported through diag and skipped. BD_ENOENT: no such directory. */
int bd_mappings_load_dir(struct bd_mappings *m, const char *dir,
			 const struct bd_diag *diag, struct bd_error *err);

/*
 * The file name with an auditwheel-style hash removed: "-" and eight hex
 * digits before a "." ("libz-7e2a72b4.so.1.2.13" is "libz.so.1.2.13").
 */
void bd_mapping_strip_hash(const char *name, struct bd_buf *out);

/* The entry whose file patterns match the (hash-stripped) file name or
 * soname; the last loaded file wins. NULL when none. */
const struct bd_mapping *bd_mappings_by_file(const struct bd_mappings *m,
					     const char *file_name,
					     const char *soname);

/* The entry for a distribution's source package. os_id is os-release's
 * ID ("debian", "ubuntu", "alpine", "fedora", "rhel", ...). */
const struct bd_mapping *bd_mappings_by_source(const struct bd_mappings *m,
					       const char *os_id,
					       const char *source);

/*
 * The entry for a library: by its file name or soname, unless a package
 * database says which source package built it and that entry's sources
 * (for this distribution) do not list it: then by the source package,
 * since names collide (LLVM ships a libunwind too). source may be NULL.
 */
const struct bd_mapping *bd_mappings_identify(const struct bd_mappings *m,
					      const char *os_id,
					      const char *source,
					      const char *file_name,
					      const char *soname);

/* Whether the entry lists the source package for that distribution. */
bool bd_mapping_lists_source(const struct bd_mapping *e, const char *os_id,
			     const char *source);

/*
 * Compiles every entry's strings and bare rules and markers into one set
 * (m->strings) for the scan; after the last load (a later load drops it).
 * BD_ELIMIT past the matcher's caps, BD_ENOMEM; err says which.
 */
int bd_mappings_compile(struct bd_mappings *m, struct bd_error *err);

/* Whether v is one of the entry's placeholders: no version. */
bool bd_mapping_placeholder(const struct bd_mapping *e, const char *v);

/* The entry a manifest's name means: the one listing it in
 * manifest-names, else the one of that name, else "lib" and that name;
 * the registry's preferred where several do. NULL when none. */
const struct bd_mapping *
bd_mappings_by_manifest_name(const struct bd_mappings *m, const char *name);

/* Whose rule k of m->strings is; NULL when out of range. */
const struct bd_mapping_string *bd_mappings_string(const struct bd_mappings *m,
						   uint32_t k);

/* Which of two entries the registry prefers where both would do: the
 * later file's, else the earlier entry (as bd_mappings_by_file). */
bool bd_mappings_prefer(const struct bd_mapping_string *a,
			const struct bd_mapping_string *b);

/*
 * Matches a "{version}" pattern against the whole of text. A version
 * starts with a digit and runs over [0-9A-Za-z.+~_-]. Returns true with
 * the version in out.
 */
bool bd_version_match(const char *pattern, const char *text,
		      struct bd_buf *out);

/* Finds the pattern anywhere in data (the first match). */
bool bd_version_search(const char *pattern, const char *data, size_t len,
		       struct bd_buf *out);

/*
 * Answers a verdef, strings or bare rule (e->version[rule]) of a file's
 * data. found is what the earlier rules read (NULL: nothing), which a
 * bare rule's several candidates are told apart by. True with out set.
 */
typedef bool (*bd_mapping_data_fn)(void *ctx, const struct bd_mapping *e,
				   unsigned rule, const char *found,
				   struct bd_buf *out);

/*
 * Reads a version by the rules, in order; the first that yields one wins,
 * unless it came from a name (filename, soname) and a later rule reads
 * more of the same version: libzstd-<hash>.so.1 is zstd "1.5.4" by its
 * strings, not "1" (issue 14, point 4). file_name is the hash-stripped
 * name; data answers the rules over the file's data (NULL: they are
 * skipped). *rule is set to the index of the rule used. Returns true when
 * a version was found.
 */
bool bd_mapping_read_version_with(const struct bd_mapping *e,
				  const char *file_name, const char *soname,
				  bd_mapping_data_fn data, void *ctx,
				  struct bd_buf *out, unsigned *rule);

struct bd_probe;

/* A data rule (verdef, bare, function, strings) read from a file opened
 * with bd_probe_open; found: what earlier rules read (a bare rule's
 * choice). */
bool bd_mapping_probe_rule(struct bd_probe *p, const struct bd_version_rule *r,
			   const char *found, struct bd_buf *out);

/*
 * The same, the data rules read from host (inside root; NULL: skipped),
 * opened for the purpose (bindep/probe.h).
 */
bool bd_mapping_read_version(const struct bd_mapping *e, const char *file_name,
			     const char *soname, const struct bd_root *root,
			     const char *host, struct bd_buf *out,
			     unsigned *rule);

/*
 * The version a bare rule's hits give (those of rule k among n hits): the
 * one that says more of found ("72.1" for "72"); without found, the only
 * one read, or of several the one with the most parts if no other has as
 * many ("3.53.2" beside a "3.0"). None when the rule read more than it
 * kept.
 */
bool bd_mapping_pick_bare(const struct bd_string_hit *hits, size_t n,
			  uint32_t k, const char *found, struct bd_buf *out);

/*
 * The upstream part of a distribution package version: no epoch
 * ("1:"), no revision ("-10+deb12u15", "-r2", "-2.fc40"), no repack
 * suffix ("+dfsg", "+ds1", "~"): "1:2.12.1+dfsg-5" is "2.12.1".
 */
void bd_upstream_version(const char *package_version, struct bd_buf *out);

/* What a rule reads, for evidence: "filename", "soname", "verdef",
 * "strings" or "bare", and its pattern. */
const char *bd_version_rule_kind(const struct bd_version_rule *r,
				 const char **pattern);

#endif
