/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_SCAN_H
#define BINDEP_SCAN_H

#include "bindep/arena.h"
#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/hash.h"
#include "bindep/root.h"
#include "bindep/strrules.h"

/*
 * The scan stage: one ELF file in, its facts out. No graph access; the
 * result is owned by the caller and released with bd_elf_info_release().
 */

/* UAPI "Package Metadata for Executable Files" (spec 8) and "dlopen()
 * Metadata for ELF Files" (spec 12): both notes are owned by "FDO". */
#define BD_NOTE_OWNER_FDO	     "FDO"
#define BD_NT_FDO_PACKAGING_METADATA 0xcafe1a7eu
#define BD_NT_FDO_DLOPEN_METADATA    0x407c0c0au

/* Limits on hostile input: a real file is far below each. */
#define BD_SCAN_MAX_NEEDED 4096
/* Files are read whole (and hashed), several at a time: larger ones are
 * refused with a warning. */
#define BD_SCAN_MAX_FILE (4ull << 30)
/* Bytes of files held in memory by all scanning threads together. */
#define BD_SCAN_MEMORY_BUDGET (1ull << 30)
/* Read first from every file: a file that is not ELF costs this one read,
 * a small ELF file is read whole by it. */
#define BD_SCAN_HEAD 4096u
/* The rest is read in chunks of this size, each hashed at once while it is
 * still in the CPU's cache (the floor's size: a 256 KiB chunk, copied and
 * hashed, leaves the cache and cost half as much again). */
#define BD_SCAN_CHUNK (64u * 1024u)
/* Files up to this size are held whole in the thread's read buffer (kept
 * from one file to the next: a fresh one costs a page fault per page).
 * Of a larger file only the parts the parse reads are held (headers;
 * dynamic, symbol, string and note sections; the segments read): the
 * rest streams through a chunk of the buffer, is hashed, and is gone. One
 * whose headers are too odd to tell is held whole, in a buffer freed
 * after it. */
#define BD_SCAN_WHOLE		   (256u * 1024u)
#define BD_SCAN_MAX_NOTE_JSON	   (64u * 1024u)
#define BD_SCAN_MAX_DLOPEN_ENTRIES 1024
/* Distinct note sections (or PT_NOTE segments) read per file: a real file
 * has about ten; headers repeating a range read already are skipped. */
#define BD_SCAN_MAX_NOTE_SECTIONS 256
/* Problems reported per file (a bad note each, say); then one warning says
 * the rest are not reported. */
#define BD_SCAN_MAX_PROBLEMS 32

struct bd_kv {
	const char *key;
	const char *value;
};

/* One entry of a .note.dlopen JSON array. */
struct bd_dlopen_entry {
	const char *feature;	 /* NULL when absent */
	const char *description; /* NULL when absent */
	const char *priority;	 /* "required", "recommended" or "suggested";
				    never NULL: the parser fills in the spec's
				    default, "recommended" */
	const char **sonames;	 /* alternatives, preferred first; >= 1 */
	size_t nsonames;
};

/*
 * Go build information (Go's debug/buildinfo and runtime/debug): what the
 * Go linker writes into every Go executable and shared object, the Go
 * toolchain's version and, for a build in module mode, the modules linked
 * in (`go version -m` prints it).
 */

/* Limits on hostile input: a real file is far below each. */
/* Bytes of the section (or writable segment) searched for the blob's
 * magic: the 64 KiB earlier releases of Go's debug/buildinfo read (later
 * ones search all of it, a megabyte at a time); the linker puts the blob
 * at the start (cmd/link, Link.buildinfo). */
#define BD_GO_MAX_SEARCH  (64u * 1024u)
#define BD_GO_MAX_VERSION 256u
/* The module list: 1 MiB holds several thousand module lines. */
#define BD_GO_MAX_MODINFO (1u << 20)
#define BD_GO_MAX_MODULES 4096u
/* PT_LOAD segments the blob's addresses are looked up in. */
#define BD_GO_MAX_LOADS 64u

/* A module line of the module list ("mod", "dep"), with its replacement
 * (the "=>" line after it). */
struct bd_go_module {
	const char *path;
	const char *version; /* as written ("v1.8.0", "(devel)"); NULL: none */
	const char *sum;     /* "h1:<base64 SHA-256>"; NULL: none */
	const struct bd_go_module *replace; /* NULL: not replaced */
};

struct bd_go_info {
	const char *version; /* the toolchain's: "go1.21.5" */
	const char *path;    /* the main package's ("path" line); NULL: none */
	const struct bd_go_module *main; /* "mod" line; NULL: none */
	const struct bd_go_module *deps; /* "dep" lines, in file order */
	size_t ndeps;
	/* The build settings kept: -buildmode, CGO_ENABLED, GOARCH, GOOS and
	 * vcs.revision, each once (the first), in file order. */
	const struct bd_kv *settings;
	size_t nsettings;
};

/* An ELF file as the search for the blob sees it: its PT_LOAD segments
 * (the first BD_GO_MAX_LOADS, in table order) and its section headers. */
struct bd_go_elf {
	struct bd_go_load {
		uint64_t vaddr, off, filesz;
		uint32_t flags;
	} loads[BD_GO_MAX_LOADS];
	size_t nloads;
	bool sections; /* it has section headers */
	bool named;    /* one of them is ".go.buildinfo", at: */
	uint64_t addr, size;
};

/* The bytes [off, off + len) of the file (len <= BD_GO_MAX_SEARCH), valid
 * until the next call; NULL when the file does not hold them all. */
struct bd_go_source {
	const unsigned char *(*bytes)(void *ctx, uint64_t off, size_t len);
	void *ctx;
	uint64_t size; /* the file's */
};

/* Where the blob's two strings are in the file. */
struct bd_go_blob {
	uint64_t version_off, version_len;
	uint64_t mod_off, mod_len; /* the module list, framing and all */
	bool mod_too_large;	   /* over BD_GO_MAX_MODINFO: not to be read */
};

/*
 * Finds the blob as Go's debug/buildinfo does (readRawBuildInfo): the 16-
 * byte-aligned magic "\xff Go buildinf:" in the section ".go.buildinfo",
 * or, in a file without section headers, in the first writable, non-
 * executable PT_LOAD segment; then its two strings: inline after the
 * 32-byte header, each a varint length and its bytes (flags bit 2, Go
 * 1.18 and later), else through the two pointers of the header to Go
 * string headers (pointer size 4 or 8, byte order by flags bit 1), looked
 * up in the PT_LOAD segments. Unlike Go, a file with section headers but
 * none named so is not searched (every C program's data segment would
 * be), and inline strings end with the section. Every length is bounded
 * by the section or segment, the file and the limits above. Returns 0
 * with blob filled; BD_ENOENT when there is no blob (not a Go binary);
 * BD_EFORMAT with err saying what is wrong with a blob found.
 */
int bd_gobuildinfo_find(const struct bd_go_elf *elf,
			const struct bd_go_source *src, struct bd_go_blob *blob,
			struct bd_error *err);

/*
 * Parses the toolchain's version and the module list (runtime/debug's
 * ParseBuildInfo; mod_len 0: none, mod NULL: not read) into *out,
 * allocated in arena. The module list's 16 bytes of framing on each side
 * are stripped as debug/buildinfo strips them. Unlike Go, a bad line
 * does not cost the rest: a module line without 2 or 3 fields, a "=>"
 * line without 3 or after no module, a field that is not UTF-8 text
 * (control characters included), an empty module path, and a kept build
 * setting that is not Go's syntax are skipped; past BD_GO_MAX_MODULES
 * modules the rest are dropped. Then *out is filled and BD_EFORMAT
 * returned, err saying the first problem. A version that is empty or not
 * text is BD_EFORMAT with *out untouched. BD_ENOMEM. The messages do not
 * name the file.
 */
int bd_gobuildinfo_parse(const char *version, size_t version_len,
			 const char *mod, size_t mod_len,
			 struct bd_arena *arena, const struct bd_go_info **out,
			 struct bd_error *err);

/*
 * cargo-auditable data (rust-secure-code/cargo-auditable): the crates a
 * Rust program or library was built from, which `cargo auditable build`
 * embeds in a section named .dep-v0 (by name only: of no flags, in no
 * segment) as a zlib stream (RFC 1950) of JSON, auditable-serde's
 * VersionInfo: {"format": N, "packages": [{"name", "version", "source",
 * "kind", "dependencies", "root"}, ...]} (cargo-auditable.schema.json).
 */
#define BD_CARGO_SECTION ".dep-v0"

/* Limits on hostile input: a real file is far below each. */
/* The JSON, decompressed: auditable-info's default limit
 * (Limits::decompressed_json_size, 8 MiB), which its reader puts on the
 * compressed section too (json_from_slice): deflate never compresses
 * real data to less, and a bomb stops there. */
#define BD_CARGO_MAX_JSON    (8u << 20)
#define BD_CARGO_MAX_SECTION BD_CARGO_MAX_JSON
/* Packages kept (a large program has a thousand), and the JSON values
 * the text may hold (each a cJSON item of some 64 bytes). */
#define BD_CARGO_MAX_PACKAGES 4096u
#define BD_CARGO_MAX_VALUES   (1u << 18)
/* Dependencies kept in all, over a list's packages: a program of a
 * thousand crates has some five thousand, and each is an edge in every
 * output (a 9 KB list of 500 crates each depending on all the others,
 * 249,500 edges, wrote 44 MB of SPDX). */
#define BD_CARGO_MAX_DEPENDENCIES 32768u
/* A name, version or source, in bytes (crates.io's names have 64 at
 * most). */
#define BD_CARGO_MAX_FIELD 256u

/* One package of the list: a crate of the build. */
struct bd_cargo_package {
	const char *name;
	const char *version; /* as written: semver, build metadata and all */
	/* Where it came from: "crates.io", "git", "local" (a path),
	 * "registry" (another registry), or another kind cargo names. */
	const char *source;
	/* kind "build": a build script's or a procedural macro's, or one of
	 * their dependencies: run by the build, not compiled in (what a
	 * build script builds is: openssl-src's OpenSSL). */
	bool build;
	bool root; /* the program's own crate */
	/* Its dependencies: indices of packages kept (into
	 * bd_cargo_info.packages), each once, never its own; a cycle of
	 * them is kept (see bd_cargoaudit_parse). */
	const uint32_t *deps;
	size_t ndeps;
	/* Some dependency the list gives it was dropped (an index out of
	 * range or its own, one naming a package not kept, past
	 * BD_CARGO_MAX_DEPENDENCIES, dependencies that are no array): deps
	 * are what is known of them, not all. One given twice drops nothing. */
	bool deps_cut;
};

struct bd_cargo_info {
	const struct bd_cargo_package *packages; /* in the list's order */
	size_t npackages;
	uint32_t format; /* the list's "format", 0 when absent */
};

/*
 * Decompresses the section's bytes, a zlib stream (RFC 1950), with
 * libarchive: its header checked (deflate, a window of 32 KiB at most, the
 * check bits, no preset dictionary), its deflate data inflated by
 * libarchive's gzip filter behind a gzip member header (RFC 1952). Neither
 * the stream's Adler-32 nor anything else is checked against the data
 * (see cargoaudit.c). Appends what it gives to out, BD_CARGO_MAX_JSON at
 * most. The stream alone is read, as auditable-info reads it: *after is
 * how many bytes of the section follow it, unread (0 when the stream
 * gives no data, whose end is not known). Returns 0; BD_EFORMAT for a bad
 * header or data that does not decompress (corrupt, cut short); BD_ELIMIT for
 * more than BD_CARGO_MAX_JSON bytes, read no further; BD_ENOMEM. err says
 * which; its messages start "cargo-auditable dependency list: " and do not name
 * the file.
 */
int bd_cargoaudit_inflate(const unsigned char *data, size_t len,
			  struct bd_buf *out, size_t *after,
			  struct bd_error *err);

/*
 * Parses the JSON (auditable-serde's VersionInfo) into *out, allocated in
 * arena. Unlike auditable-serde, a bad package does not cost the rest: a
 * package that is not an object, or whose name, version or source is not
 * a string of UTF-8 text (no control characters), 1 to BD_CARGO_MAX_FIELD
 * bytes, is skipped; a kind neither "runtime" nor "build" is taken as
 * runtime (what is compiled in), a root that is not a boolean as false, a
 * format that is not a 32-bit unsigned integer as 0; a field given twice
 * is taken the first time; a dependency that is not the index of another
 * package of the list (out of range, not an integer, the package's own)
 * or that is given again is skipped, and one that names a package skipped
 * or past the cap is dropped, unsaid (that package's loss was said); a
 * cycle of dependencies, which auditable-serde refuses, is kept, unsaid
 * (cargo can write one: rustsec/rustsec#1043); more than one root is
 * said, and all kept; past BD_CARGO_MAX_PACKAGES packages the rest are
 * dropped. Then *out is filled and BD_EFORMAT returned, err
 * saying the first problem and how many more. Text that is not one JSON
 * object with a "packages" array is BD_EFORMAT, one of more than
 * BD_CARGO_MAX_VALUES values BD_ELIMIT, *out untouched. BD_ENOMEM. The
 * messages start as bd_cargoaudit_inflate's.
 */
int bd_cargoaudit_parse(const char *json, size_t len, struct bd_arena *arena,
			const struct bd_cargo_info **out, struct bd_error *err);

struct bd_elf_info {
	struct bd_arena arena; /* owns every string and array below */

	unsigned ei_class; /* ELFCLASS32 or ELFCLASS64 */
	unsigned ei_data;  /* ELFDATA2LSB or ELFDATA2MSB */
	unsigned ei_osabi;
	unsigned e_type;    /* ET_EXEC, ET_DYN, ... */
	unsigned e_machine; /* EM_X86_64, ... */

	const char *interp;   /* PT_INTERP, NULL when absent */
	const char *soname;   /* DT_SONAME */
	const char *rpath;    /* DT_RPATH */
	const char *runpath;  /* DT_RUNPATH */
	const char *build_id; /* NT_GNU_BUILD_ID as lowercase hex */
	const char **needed;  /* DT_NEEDED, in file order */
	size_t nneeded;
	bool has_dynamic;
	bool has_flags_1;
	uint64_t flags_1;    /* DT_FLAGS_1 */
	bool imports_dlopen; /* an undefined dynamic symbol dlopen/dlmopen */
	bool dynsym_read;    /* imports_dlopen is known (a .dynsym was read) */

	struct bd_kv *package_note; /* .note.package fields, in note order */
	size_t npackage_note;

	struct bd_dlopen_entry
		*dlopen; /* all .note.dlopen entries (malloc'd) */
	size_t ndlopen, adlopen;

	bool linker_script; /* not ELF, but a GNU ld script (libc.so) */
	/* ELF, but separate debug information: no code (BD_ENOTELF). */
	bool debug_only;
	/* Not ELF, but a binary of another system: "Mach-O", "PE". */
	const char *foreign;

	/* What the registry's string rules found in the read-only data
	 * (bindep/strrules.h), when the scan was given them. */
	struct bd_string_hits strings;

	/* Its Go build information; NULL: none. */
	const struct bd_go_info *go;
	/* Its cargo-auditable dependency list; NULL: none. */
	const struct bd_cargo_info *cargo;

	/* The first problem met (the full warning text), NULL when none. */
	const char *problem;
};

void bd_elf_info_init(struct bd_elf_info *info);
void bd_elf_info_release(struct bd_elf_info *info);

/* True when data starts with the ELF magic. */
bool bd_scan_is_elf(const void *data, size_t size);

/* Whether a file's name (its last component) is a shared object's: "X.so",
 * or a library's with a version ("libX.so.1.2", "ld-linux-x86-64.so.2"). */
bool bd_scan_so_name(const char *base);

/*
 * Scans an ELF image in memory. `name` is used in messages only. The
 * buffer may be modified (a broken header table is blanked out so that the
 * rest can still be read): pass a private copy.
 *
 * Returns 0 when the file was read; problems that did not stop the scan
 * (a bad note, a string offset out of range) are reported as warnings
 * through diag and the first is kept in info->problem. Returns BD_ENOTELF
 * when the data is not ELF, and BD_EFORMAT with err set when the file is
 * too broken to read; what was learnt before that stays in info.
 */
int bd_scan_memory(void *data, size_t size, const char *name,
		   struct bd_elf_info *info, const struct bd_diag *diag,
		   struct bd_error *err);

/*
 * The same, and the read-only data (the allocated, non-writable,
 * non-executable PROGBITS sections bd_strrules_section wants; without
 * section headers, the read-only PT_LOAD segments) fed once through the
 * rules (NULL: not searched) into info->strings.
 */
int bd_scan_memory_strings(void *data, size_t size, const char *name,
			   const struct bd_strrules *rules,
			   struct bd_elf_info *info, const struct bd_diag *diag,
			   struct bd_error *err);

/*
 * What one scanning thread reuses from file to file: the buffer files are
 * read into and the SHA-256 context (allocating them per file cost more
 * than reading a small file). Never shared between threads.
 */
struct bd_scanner {
	unsigned char *buf;
	size_t cap;
	struct bd_sha256 sha;
	bool whole; /* keep every file whole in memory (tests compare) */
	/* The registry's string rules, searched for in every file this
	 * scanner reads (the planned read of a large file then holds its
	 * read-only data too); NULL after init: none. */
	const struct bd_strrules *strings;
	/* The image a large file's planned parts are copied into (zeros
	 * elsewhere), kept from one file to the next: a fresh mapping cost a
	 * page fault for each page written and an munmap (with a TLB
	 * shootdown in every thread) per file. After each file what was
	 * written into it is put back to zero, so that no byte of a file is
	 * ever seen in the next; image_dirty counts the pages that may be
	 * resident, given back at once past a cap. NULL: none yet. Those
	 * pages are marked in image_pages (a bit each), so that a page every
	 * file writes (its headers, its dynamic symbols) counts once, not
	 * once a file: counted so, a Debian root's image was given back a
	 * dozen times a run, each costing its pages' faults again. */
	unsigned char *image;
	size_t image_cap, image_dirty;
	uint64_t *image_pages;
	/* The planned read's own reads of header tables and what they name
	 * (two at a time: a table, and a section or segment it names). */
	unsigned char *scratch[2];
	size_t scratch_cap[2];
	/* The directory of the last listed file opened (bd_root_open_in). */
	struct bd_dir_cache dirs;
};

int bd_scanner_init(struct bd_scanner *s); /* 0 or BD_ENOMEM */
void bd_scanner_release(struct bd_scanner *s);
/* Gives back the read buffer grown for files read whole, keeping a head's
 * room, and the image and scratch of planned reads: for a thread about to
 * wait long. */
void bd_scanner_idle(struct bd_scanner *s);

/*
 * A file opened for scanning with its first bytes read (min(size,
 * BD_SCAN_HEAD), into the scanner's buffer): enough to tell whether it is
 * ELF, and its class and machine, before reading the rest.
 */
struct bd_scan_head {
	int fd; /* -1 once closed */
	struct stat st;
	size_t n; /* bytes at the start of the scanner's buffer */
};

/*
 * Opens path with bd_root_open (confined to root, never a FIFO or device;
 * no size limit yet) and reads its head. Returns 0 (h->fd open), or
 * BD_ENOENT, BD_EIO, BD_ELIMIT (a head that cannot be read, of a file
 * larger than BD_SCAN_MAX_FILE), BD_ENOMEM with err naming the file
 * `name`; h->st is filled whenever the file was reached.
 */
int bd_scan_open(struct bd_scanner *s, const struct bd_root *root,
		 const char *path, unsigned open_flags, const char *name,
		 struct bd_scan_head *h, struct bd_error *err);

/*
 * Scans the file bd_scan_open opened with this scanner (the buffer still
 * holding its head): reads the rest, computing its SHA-256 into sha256 (64
 * hex digits) as it goes, and calls bd_scan_memory() on it (of a file
 * larger than BD_SCAN_WHOLE, on an image holding what that reads, zeros
 * elsewhere). The bytes held count against BD_SCAN_MEMORY_BUDGET, which
 * a thread waits for. Returns BD_ENOTELF
 * for a file that is not ELF (err says "empty file", "linker script" or
 * "not an ELF file"), BD_EIO when it cannot be read, BD_ELIMIT when it is
 * larger than BD_SCAN_MAX_FILE, otherwise as bd_scan_memory(). sha256 is
 * filled for every ELF file, even a broken one. Does not close h.
 */
int bd_scan_rest(struct bd_scanner *s, struct bd_scan_head *h, const char *name,
		 struct bd_elf_info *info, char sha256[65],
		 const struct bd_diag *diag, struct bd_error *err);

void bd_scan_close(struct bd_scan_head *h);

/*
 * Scans one regular file: bd_scan_open, bd_scan_rest, and closes it; st is
 * the file's stat (zeroed when it was not reached). s may be NULL (a
 * scanner made for this file). Returns as those two.
 */
int bd_scan_file(struct bd_scanner *s, const struct bd_root *root,
		 const char *path, const char *name, struct bd_elf_info *info,
		 char sha256[65], struct stat *st, const struct bd_diag *diag,
		 struct bd_error *err);

/*
 * Parses the JSON of a .note.package (an object; every value kept as
 * text) into an array allocated in arena. Of a name given twice the
 * first is kept; a well-known field (type, name, version...) that is
 * neither a string nor a number is dropped: then the fields are filled
 * and BD_EFORMAT returned, err saying the first field dropped. Otherwise
 * returns 0, or BD_EFORMAT / BD_ENOMEM with err set and the outputs
 * untouched (the message does not name the file).
 */
int bd_note_parse_package(const char *json, size_t len, struct bd_arena *arena,
			  struct bd_kv **fields, size_t *nfields,
			  struct bd_error *err);

/*
 * Parses the JSON of a .note.dlopen (an array of objects) and appends its
 * entries to info->dlopen. Entries without a usable "soname" are skipped;
 * an optional field that is not a string is dropped, an unknown
 * priority taken as "recommended", and of a key given twice the first
 * read, the entry kept. Each is reported
 * through err with BD_EFORMAT after the rest was appended. When
 * info holds BD_SCAN_MAX_DLOPEN_ENTRIES, the rest is dropped and BD_ELIMIT
 * returned: the caller parses no more notes of that file.
 */
int bd_note_parse_dlopen(const char *json, size_t len, struct bd_elf_info *info,
			 struct bd_error *err);

/* Names for ELF header values, for reports: "ELF64", "x86_64", ... Unknown
 * values give NULL. */
const char *bd_elf_class_name(unsigned ei_class);
const char *bd_elf_machine_name(unsigned e_machine);

/* bd_elf_machine_name, else "EM_<n>" written in buf: always a name. */
#define BD_ELF_MACHINE_TEXT 16
const char *bd_elf_machine_text(unsigned e_machine,
				char buf[BD_ELF_MACHINE_TEXT]);

/* "big-endian" for ELFDATA2MSB, else "little-endian" (a file read has
 * one of the two). */
const char *bd_elf_byte_order_name(unsigned ei_data);

/* An ELF kind, what the loader's search asks of a candidate (class, byte
 * order, machine), as "x86_64:ELF64:little-endian": the values of
 * bindep:elf:machine, bindep:elf:class and bindep:elf:byte-order. */
#define BD_ELF_KIND_TEXT 64
void bd_elf_kind_text(unsigned ei_class, unsigned ei_data, unsigned e_machine,
		      char buf[BD_ELF_KIND_TEXT]);

/* The same kind as one number, to sort and compare: e_machine (16 bits),
 * then EI_CLASS, then EI_DATA, so that one machine's kinds sort
 * together. */
uint32_t bd_elf_kind(unsigned ei_class, unsigned ei_data, unsigned e_machine);

#endif
