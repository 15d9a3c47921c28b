/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_EMIT_H
#define BINDEP_EMIT_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/graph.h"

#include <time.h>

/* The emit stage: a sorted graph in, a document out. Emitters only read
 * the graph. */

/* The CycloneDX specification version written (--spec-version). */
enum bd_cdx_version {
	BD_CDX_1_6, /* the default, until consumers catch up with 1.7 */
	BD_CDX_1_7,
};

enum bd_funding_format {
	BD_FUNDING_JSON,
	BD_FUNDING_CSV,
	BD_FUNDING_MARKDOWN,
};

struct bd_emit_options {
	const char *source_name;    /* the described target */
	const char *source_version; /* NULL when not given */
	/* The target's purl: an image's pkg:oci purl
	 * ("pkg:oci/alpine@sha256:...?repository_url=..&tag=.."; none when
	 * its metadata names no repository), a wheel's (--attach). NULL:
	 * none. */
	const char *source_purl;
	/* CycloneDX metadata.component's type: "container" for an image
	 * (issue 12, point 5; SPDX's primary purpose CONTAINER, and
	 * source_version the manifest digest), "library" for a wheel that
	 * describes itself (--attach). NULL: "application". */
	const char *source_type;
	/* NTIA's minimum elements (issue 15): who wrote the SBOM (--author,
	 * "Name <email>" or "Name", checked by bd_emit_person) and who
	 * supplies the target (--supplier). */
	const char *const *authors;
	size_t nauthors;
	const char *supplier; /* NULL: not given */
	time_t timestamp;     /* creation time */
	const char *serial;   /* "urn:uuid:...", or NULL to derive one */
	bool color;	      /* text, summary: ANSI colours */
	enum bd_funding_format funding_format;
	/* The text view: the levels of needs drawn under each scanned file;
	 * 0 for the default (1: the direct ones), BD_EMIT_DEPTH_ALL for the
	 * whole closure. */
	unsigned depth;
	/* The summary: the width to fit, in columns; 0 for no limit. */
	unsigned columns;
	enum bd_cdx_version cdx_version;
	/* What the walk could not see into (bd_walk.unread): the target's
	 * inventory is incomplete there. The paths kept (nunread), and how
	 * many there were in all (unread_total >= nunread). */
	const char *const *unread;
	size_t nunread, unread_total;
	/* The --exclude patterns, in the order given: what the target's
	 * inventory leaves out on purpose ("bindep:exclude"). */
	const char *const *excludes;
	size_t nexcludes;
};

#define BD_EMIT_DEPTH_ALL 0xffffffffu

/*
 * Where a document goes as it is written (issue 13: the SBOM is streamed,
 * not held). write takes the next bytes; patch rewrites bytes it was given
 * already, offset counted from the document's first byte, and is NULL for
 * a sink that cannot (a pipe): such a sink is given the document whole, at
 * the end. Both return 0 or a negative BD_E*.
 */
struct bd_emit_sink {
	int (*write)(void *ctx, const char *data, size_t len);
	int (*patch)(void *ctx, uint64_t offset, const char *data, size_t len);
	void *ctx;
};

/* A sink that drops what it is given: for a pass that only hashes. */
extern const struct bd_emit_sink bd_emit_null_sink;

/* A sink appending to buf, from its current end. */
struct bd_emit_buf_sink {
	struct bd_emit_sink sink;
	struct bd_buf *buf;
	size_t base; /* where the document starts in buf */
};

void bd_emit_buf_sink_init(struct bd_emit_buf_sink *s, struct bd_buf *buf);

/*
 * Writes a CycloneDX JSON document (1.6, or 1.7 by opts->cdx_version) to
 * sink, as it is made. A serial
 * number derived from the content goes in at the end, in place; a sink
 * that cannot be rewritten (a pipe) gets the document in a second pass,
 * after a first one that only hashes it, so that no copy is ever held.
 */
int bd_emit_cyclonedx_to(const struct bd_graph *g,
			 const struct bd_emit_options *opts,
			 const struct bd_emit_sink *sink, struct bd_error *err);

/* Writes an SPDX 2.3 JSON document to sink, as it is made; its
 * documentNamespace as CycloneDX's serial number. */
int bd_emit_spdx_to(const struct bd_graph *g,
		    const struct bd_emit_options *opts,
		    const struct bd_emit_sink *sink, struct bd_error *err);

/*
 * Writes an SPDX 3.0.1 JSON-LD document to sink, as it is made. Its IRIs
 * hold a UUID of the content (or opts->serial's), which is in every
 * element's: unless given, it is derived first by a pass that only hashes.
 */
int bd_emit_spdx3_to(const struct bd_graph *g,
		     const struct bd_emit_options *opts,
		     const struct bd_emit_sink *sink, struct bd_error *err);

/* The same, appended to out. */
int bd_emit_cyclonedx(const struct bd_graph *g,
		      const struct bd_emit_options *opts, struct bd_buf *out,
		      struct bd_error *err);
int bd_emit_spdx(const struct bd_graph *g, const struct bd_emit_options *opts,
		 struct bd_buf *out, struct bd_error *err);
int bd_emit_spdx3(const struct bd_graph *g, const struct bd_emit_options *opts,
		  struct bd_buf *out, struct bd_error *err);

/* Writes the human-readable tree view into out. */
int bd_emit_text(const struct bd_graph *g, const struct bd_emit_options *opts,
		 struct bd_buf *out, struct bd_error *err);

/*
 * Writes the summary (--format summary): one row per upstream project the
 * scanned files use (or per package where no project is known), most used
 * first, with its versions, how the files reach it, through which package,
 * its licences and how many scanned files use it; then what is missing,
 * unidentified and incomplete. Fitted to opts->columns.
 */
int bd_emit_summary(const struct bd_graph *g,
		    const struct bd_emit_options *opts, struct bd_buf *out,
		    struct bd_error *err);

/*
 * Writes a Graphviz graph (--format dot): a node per component and an edge
 * per pair of components an edge joins, as CycloneDX counts components and
 * dependsOn entries (the target's own entry aside).
 */
int bd_emit_dot(const struct bd_graph *g, const struct bd_emit_options *opts,
		struct bd_buf *out, struct bd_error *err);

/* Writes the funding report: the upstream projects used, with their
 * funding links, and which scanned files use them and how. */
int bd_emit_funding(const struct bd_graph *g,
		    const struct bd_emit_options *opts, struct bd_buf *out,
		    struct bd_error *err);

/*
 * Appends one CSV cell (RFC 4180) and "," or, when last, CRLF. A cell that
 * starts with '=', '+', '-', '@', TAB or CR, which a spreadsheet would run
 * as a formula (OWASP "CSV Injection"), is prefixed with "'" and quoted.
 */
void bd_emit_csv_field(struct bd_buf *b, const char *s, bool last);

/* ---- shared by the emitters, so that every format says the same ---- */

/* What the edges say about a component. Containment is no load edge: an
 * artifact holding a file makes it neither needed nor optional. */
enum {
	BD_EMIT_NEEDED = 1,   /* the end of a DT_NEEDED or PT_INTERP edge */
	BD_EMIT_DLOPENED = 2, /* the end of a .note.dlopen edge */
	BD_EMIT_NEEDS_UNRESOLVED =
		4, /* the start of a load edge to an unresolved one */
	BD_EMIT_CONTAINED = 8, /* the end of a BD_EDGE_CONTAINS edge */
	BD_EMIT_STATIC = 16,   /* the end of a BD_EDGE_STATIC edge */
	/* the end of a DT_NEEDED edge met by soname only (bd_edge.preloaded) */
	BD_EMIT_PRELOADED = 32,
	BD_EMIT_BUILT = 64, /* the end of a BD_EDGE_BUILD edge */
};

/* What a preloaded edge is, in words, as the text view, the summary and
 * SPDX's relationships say it: not found by the loader's search, the
 * library of that DT_SONAME meets it once the program has loaded it by
 * path. */
#define BD_EMIT_PRELOADED_SAID "matched by soname, loaded by path first"

/* What a BD_EDGE_BUILD edge is, in words, as the text view and SPDX's
 * relationships say it. */
#define BD_EMIT_BUILD_SAID "used by the build, not in the file"

/* Why an unresolved component is (bindep:unresolved:reason): nothing
 * of its machine was found in the run (bd_component.machine_absent: the
 * root is another machine's), or the search for it failed. */
#define BD_EMIT_MACHINE_ABSENT "no-libraries-for-machine"
#define BD_EMIT_NOT_FOUND      "not-found"

/* Fills flags[id] for every component (flags: g->ncomps zeroed bytes). */
void bd_emit_edge_flags(const struct bd_graph *g, unsigned char *flags);

/* Used by the build of the files that name it, and by nothing at run time
 * (only BD_EDGE_BUILD edges lead to it): CycloneDX's scope "excluded". */
bool bd_emit_build_only(const unsigned char *flags, uint32_t id);

/* Whether an edge is a dependency at build time: a file's build used the
 * package (BD_EDGE_BUILD), or a crate depends on one only a build used
 * (BD_EDGE_DEPENDS to a build-only crate: a procedural macro, a build
 * script's crate), which is in no file (SPDX 2.3 BUILD_DEPENDENCY_OF,
 * SPDX 3 dependsOn in the scope "build"). A crate's dependency on a crate
 * compiled in is at run time, even a build crate's: that crate is in the
 * file. */
bool bd_emit_build_edge(const unsigned char *flags, const struct bd_edge *e);

/* Compiled into a file that holds it: the end of an edge of a kind not
 * named here, or a component whose bindep:linkage property is "static". */
bool bd_emit_static(const struct bd_graph *g, const unsigned char *flags,
		    uint32_t id);

/* How much a dlopen entry asks for its library (UAPI spec 12): 3 for
 * "required", 1 for "suggested", 2 for "recommended", the default. */
unsigned bd_emit_dlopen_rank(const struct bd_dlopen_entry *e);

/* The priority of that rank: "required", "recommended" or "suggested". */
const char *bd_emit_dlopen_priority(unsigned rank);

/* Bytes of a purl before its version, qualifiers and subpath: the package
 * or project, whatever its version. */
size_t bd_emit_purl_base(const char *purl);

/* Appends len bytes of s percent-decoded (RFC 3986 2.1); "%00" and a
 * broken escape stay as they are: a NUL would end the string early. */
void bd_emit_percent_decode(struct bd_buf *out, const char *s, size_t len);

/*
 * Appends a purl's name for people, percent-decoded: "libssl3" for
 * "pkg:deb/debian/libssl3@3.0.11-1", "@img/sharp-linux-x64" for
 * "pkg:npm/%40img/sharp-linux-x64@0.35.5" (npm's scope is part of the
 * name), "gcc" for "pkg:github/gcc-mirror/gcc@12.2.0", the module path
 * "golang.org/x/sys" for "pkg:golang/golang.org/x/sys@v0.20.0". Decoded
 * bytes are hostile: escape them before they reach a terminal.
 */
void bd_emit_purl_name(struct bd_buf *out, const char *purl);

/*
 * Appends the package a purl names, as "deb libssl3", "wheel numpy",
 * "npm @img/sharp-libvips-linux-x64", and returns true; false, and nothing
 * appended, for a purl of no package format (github, generic).
 */
bool bd_emit_package_label(struct bd_buf *out, const char *purl);

/* Reached only through .note.dlopen entries. */
bool bd_emit_optional(const unsigned char *flags, uint32_t id);

/* A scanned file, drawn as a load tree: found by the walk, or read from
 * inside an artifact. Artifacts themselves are not. */
bool bd_emit_scanned(const struct bd_graph *g, const unsigned char *flags,
		     uint32_t id);

/* The artifacts that hold each component (BD_EDGE_CONTAINS by its end):
 * holders of id are from[first[id]] .. from[first[id + 1] - 1], in graph
 * order. Built by bd_emit_holders_build, freed by bd_emit_holders_release
 * (which accepts a zeroed struct). */
struct bd_emit_holders {
	uint32_t *from;
	size_t *first; /* g->ncomps + 1 entries */
	/* The holders' paths, so that whether a path lies inside one of a
	 * component's holders is a lookup a "!/" in it, not a scan of every
	 * path of every holder (one library in 2,000 wheels): a path ->
	 * its first entry; entry e is a holder naming it, owner[e], and
	 * next[e] - 1 the next entry naming it too (0: none). */
	struct bd_map by_path;
	uint32_t *owner, *next;
	/* Scratch of bd_emit_top_level, one a component: id + 1 on each of
	 * id's holders while id's paths are looked up. */
	uint32_t *mark;
};

int bd_emit_holders_build(struct bd_emit_holders *h, const struct bd_graph *g);
void bd_emit_holders_release(struct bd_emit_holders *h);

/*
 * The ELF kinds (class, byte order, machine) of a run: those of its files
 * and those its unresolved components want, sorted, each once
 * (bd_elf_kind). The views say which machine a name is missing for only
 * when there are several. Built by bd_emit_machines_build (0 or
 * BD_ENOMEM), freed by bd_emit_machines_release (a zeroed struct too).
 */
struct bd_emit_machines {
	uint32_t *kinds;
	size_t n;
};

int bd_emit_machines_build(struct bd_emit_machines *m,
			   const struct bd_graph *g);
void bd_emit_machines_release(struct bd_emit_machines *m);

/*
 * The machine an unresolved component is missing for, for people, in buf
 * (BD_EMIT_MACHINE_LABEL bytes): the machine's name ("aarch64"), with the
 * class where the run has that machine in the other class too ("x86_64
 * ELF32", x32, beside "x86_64 ELF64"), and the byte order where it has it
 * in the other order too ("ppc64 big-endian"). NULL in a run of one kind,
 * or for a component that wants none: the views say it as before.
 */
#define BD_EMIT_MACHINE_LABEL 64
const char *bd_emit_machine_label(const struct bd_emit_machines *m,
				  const struct bd_component *c, char *buf);

/*
 * Whether the described target holds the component itself: a scanned input
 * or an artifact, unless every path of it lies inside an artifact that
 * holds it ("dist/x.whl!/pkg/_x.so" is the wheel's to hold). A file found
 * both in a directory and inside a wheel is held by both.
 */
bool bd_emit_top_level(const struct bd_graph *g, const unsigned char *flags,
		       const struct bd_emit_holders *h, uint32_t id);

/*
 * Whether what the component needs is unknown, so that no writer may say
 * it needs nothing (CycloneDX: no dependencies entry; SPDX: NOASSERTION):
 * an unresolved component's; a library compiled into others' (what it was
 * built with is not read), but for a Rust crate, whose dependencies its
 * cargo-auditable lists name (BD_EDGE_DEPENDS); one only an SBOM shipped in an
 * artifact lists (whose dependencies are not merged); in a wheel's own SBOM, a
 * library the installing system provides. (A file not read whole, c->error, is
 * known in part: each writer says so its own way.)
 */
bool bd_emit_needs_unknown(const struct bd_component *c);

/*
 * Whether what the component needs is known in part: what was read is
 * said, and that there may be more (CycloneDX: its entry, or none when
 * nothing was read, and the incomplete composition's dependencies; SPDX:
 * NOASSERTION beside them). A file not read whole (c->error); a crate
 * whose cargo-auditable list dropped some of its dependencies.
 */
bool bd_emit_needs_in_part(const struct bd_component *c);

/* Sorts the strings v[0..n) (strcmp) and drops the repeats: how many are
 * left, at the front of v. */
size_t bd_emit_sort_unique(const char **v, size_t n);

/*
 * Calls fn for each bindep: property of a component ("bindep:soname",
 * "bindep:resolved-via", ...), in document order, never with a NULL value.
 * CycloneDX writes them as properties, SPDX as annotations.
 */
void bd_emit_properties(
	const struct bd_graph *g, const unsigned char *flags, uint32_t id,
	void (*fn)(void *ctx, const char *name, const char *value), void *ctx);

/*
 * The described target's bindep: properties, as bd_emit_properties: each
 * --exclude pattern ("bindep:exclude"), each path the walk could not see
 * into ("bindep:unread-path"), and how many more were not kept
 * ("bindep:unread-omitted").
 */
void bd_emit_target_properties(const struct bd_emit_options *o,
			       void (*fn)(void *ctx, const char *name,
					  const char *value),
			       void *ctx);

/* Whether the target's inventory is incomplete: the walk could not see
 * into some path. */
bool bd_emit_target_incomplete(const struct bd_emit_options *o);

/* Whether bd_emit_target_properties has anything to say. */
bool bd_emit_target_has_properties(const struct bd_emit_options *o);

/* Whether the described target is a container image (source_type). */
bool bd_emit_target_is_image(const struct bd_emit_options *o);

/* The sonames of a dlopen entry other than self, preferred first,
 * comma-separated; truncated to size. */
void bd_emit_alternatives(const struct bd_dlopen_entry *e, const char *self,
			  char *out, size_t size);

/* "2023-11-14T22:13:20Z". */
void bd_emit_timestamp(time_t t, char out[32]);

/* An SBOM writer's result, rc, as its error: "out of memory writing
 * <format>", or "cannot write the SBOM" for what the sink refused. */
int bd_emit_result(int rc, const char *format, struct bd_error *err);

/* A name-based (version 5, RFC 4122) UUID of data, in the namespace of
 * bindep-sbom documents, as 36 characters and a NUL. */
int bd_emit_uuid5(const void *data, size_t len, char out[37]);

/* The same of data given in pieces: begin (NULL when out of memory), add
 * each piece (0 or BD_ENOMEM), end (frees ctx, which may be NULL:
 * BD_ENOMEM then). */
void *bd_emit_uuid5_begin(void);
int bd_emit_uuid5_add(void *ctx, const void *data, size_t len);
int bd_emit_uuid5_end(void *ctx, char out[37]);

/* True when s is a UUID in canonical lowercase form ("urn:uuid:" allowed
 * in front when with_urn). */
bool bd_emit_valid_uuid(const char *s, bool with_urn);

/* The path the text view and the DOT graph show a component at: the
 * first of its paths whose base name is its soname, the name DT_NEEDED
 * asks for and the loader opens (ldd shows it there), else its first;
 * NULL when it has none. Another package's development symlink
 * (libssl-dev's libcrypto.so) stays an occurrence, but is not where the
 * library was found. */
const char *bd_emit_shown_path(const struct bd_component *c);

/* Where an SPDX package can be downloaded: the project's repository for
 * a copy of an upstream project (its purl is the project's), else NULL
 * (SPDX 2.3 says NOASSERTION, SPDX 3 leaves it out). */
const char *bd_emit_download_location(const struct bd_component *c);

/* evidence.identity as SPDX's sourceInfo text, one line per field, into
 * out; false (out untouched) when the component has none. */
bool bd_emit_source_info(struct bd_buf *out, const struct bd_component *c);

/* A component's SPDX 2.3 primaryPackagePurpose (7.24); SPDX 3 writes the
 * same word in lowercase. */
const char *bd_emit_spdx_purpose(const struct bd_component *c);

/*
 * --author: "Name <email>" or "Name", split into name and email (empty
 * when there is none). False when it is not that: an empty name, an
 * unclosed or empty "<>", text after it, control characters, invalid
 * UTF-8, or "()<>" in the name, which SPDX's "Person: name (email)"
 * could not carry.
 */
bool bd_emit_person(const char *s, struct bd_buf *name, struct bd_buf *email);

/* --supplier: a non-empty organisation name of valid UTF-8, without
 * control characters, "(" or ")". */
bool bd_emit_valid_organization(const char *s);

/* Appends s, at most max bytes of it, with each byte other than
 * [A-Za-z0-9.-] as '-': what an SPDX identifier may hold. */
void bd_emit_id_chars(struct bd_buf *b, const char *s, size_t max);

/*
 * The SPDX identifier of each component (ids: g->ncomps pointers, set to
 * strings in arena): "SPDXRef-Package-libz.so.1-<16 hex of SHA-256(key)>",
 * readable, stable and unique; a collision of the cut hash gets a counter.
 * SPDX 2.3's SPDXIDs and the local part of SPDX 3's IRIs.
 */
int bd_emit_spdx_ids(const struct bd_graph *g, struct bd_arena *arena,
		     const char **ids);

/*
 * The organisation that supplies a component (NTIA's "supplier name"): a
 * distribution's package is supplied by the distribution, named by its
 * purl's namespace ("pkg:deb/debian/...": Debian). NULL when unknown;
 * else a static name or the namespace copied into buf.
 */
const char *bd_emit_supplier(const struct bd_component *c, char *buf,
			     size_t size);

#endif
