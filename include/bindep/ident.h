/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_IDENT_H
#define BINDEP_IDENT_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/graph.h"
#include "bindep/root.h"

struct bd_mapping_builtin;

/*
 * The identify stage: gives components their Package URL, version and
 * upstream project, from the root's package databases, .note.package (UAPI
 * spec 8), the mapping registry and the language package a library is
 * bundled in. Each identified field records how it was found.
 */

struct bd_ident_options {
	const char *mappings_dir;	  /* the shipped registry, or NULL */
	const char *const *mapping_files; /* --mapping: loaded last, win */
	size_t nmapping_files;
	const char *registry_dir; /* --registry: a purl-registry checkout */
	/* The registry files compiled into the program (bindep/mapping.h:
	 * struct bd_mappings' builtin); NULL: every file is parsed. */
	const struct bd_mapping_builtin *builtin;
	size_t nbuiltin;
	/* Manifests of the tree scanned named relative to the current
	 * directory, as its files are (bindep/root.h); NULL: as found. */
	const struct bd_relative *relative;
};

/*
 * Builds the purl a package note describes: deb, rpm, apk and alpm notes
 * become pkg:<type>/<os>/<name>@<version>?arch=<architecture>, with
 * distro=<os>-<osVersion> when the note has osVersion; any other type a
 * pkg:generic purl. Returns 0 with out filled, BD_ENOENT when the note
 * names no package, BD_ENOMEM.
 */
int bd_ident_purl_from_note(const struct bd_kv *fields, size_t n,
			    struct bd_buf *out);

/*
 * What identification reads first: the mapping registry, loaded at once
 * (the scan searches for its string rules), and the root's package
 * databases, loaded on a thread of its own while the files are scanned:
 * bd_ident_load_start before bd_collect, then bd_identify waits for it. The
 * load's warnings are kept and said by bd_identify, in the order given, where
 * they were said when it loaded them itself.
 */
struct bd_ident_load;

/* Starts the load of root's databases and of the registry opts names;
 * root and opts (and its strings) must outlive the load. Without a thread
 * to be had, bd_identify loads them itself. Returns 0 or BD_ENOMEM. */
int bd_ident_load_start(struct bd_ident_load **out, const struct bd_root *root,
			const struct bd_ident_options *opts);

/* The components in g so far (the walked files, merged): their owners
 * are looked for in the package databases while the search for what
 * they need goes on; bd_identify looks for the rest. g's strings must
 * outlive the load's join (bd_identify, bd_ident_load_free). */
void bd_ident_merged(struct bd_ident_load *l, const struct bd_graph *g);

/* Before the merge: the base names the walked files' components will
 * have, from their reads (the files kept a read of, a link's target, the
 * other names of their inodes), looked for first; the pass of
 * bd_ident_merged's then looks only for the names these missed. w's
 * strings must outlive the load's join, as g's. */
struct bd_walk;
void bd_ident_prepared(struct bd_ident_load *l, const struct bd_walk *w);

/*
 * The licence a language package declares (its package.json, its wheel's
 * METADATA: bindep/artifact.h), given to its own files: those whose purl
 * is the package's. Last, after the SBOMs artifacts carry were merged: a
 * licence one of them gives a file by its hash, the registry's for a
 * library it names, say more of that file than the package's does.
 */
void bd_ident_package_licenses(struct bd_graph *g);

/* The registry's string rules, for the scan (bd_scanner.strings): the
 * load's thread reads the registry first, while the files are walked;
 * this waits for it. NULL when there are none. Valid until the load is
 * freed. */
const struct bd_strrules *bd_ident_strings(struct bd_ident_load *l);

/* The package that owns a file, by the source it is built from. */
struct bd_ident_source {
	const char *type;    /* its database's purl type: "deb", "rpm", "apk" */
	const char *name;    /* its source package, else its own name */
	const char *version; /* that one's version */
};

/*
 * Who owns each of n files (canonical paths in the root) as bd_identify
 * will say, into out[0..n) (all NULL: none), for the resolve stage
 * (bd_resolve_options.owners): waits for the load and reads dpkg's file
 * lists for those names, quietly (their warnings are said by
 * bd_identify). dpkg's diversions, applied when bd_identify ends the
 * load, are not. l NULL: none is owned. Returns 0 or BD_ENOMEM.
 */
int bd_ident_owners(struct bd_ident_load *l, const char *const *paths, size_t n,
		    struct bd_ident_source *out);

/* Waits for the load and frees it, its warnings unsaid (a run that fails
 * before identification). Accepts NULL. */
void bd_ident_load_free(struct bd_ident_load *l);

/*
 * Sets purl, version and source package of every component: from the
 * package database of the root that owns the file, else from the file's
 * package note, else from the mapping registry (by its name, else, for a
 * shared object whose name says it, by the one library its string hits
 * show); and the
 * upstream project from the registry. The libraries the string hits show
 * in a file, other than its own and those it links dynamically, become
 * components of their own (BD_COMP_STATIC, one per library and version)
 * with a BD_EDGE_STATIC from each file holding them (issue 14). Waits for the
 * load first and says its warnings (mapping files that do not load, databases
 * that cannot be read). The load stays the caller's to free.
 */
int bd_identify(struct bd_graph *g, struct bd_ident_load *load,
		const struct bd_diag *diag, struct bd_error *err);

/*
 * The Go modules the build information of each of the first ncomps
 * components lists (bd_component.go), and Go's standard library of its
 * toolchain's version, as components compiled into it: one BD_COMP_STATIC
 * per module line (a replacement is the module it names, the one it
 * replaces kept: go_replaces), a BD_EDGE_STATIC from each file; purls
 * pkg:golang/<module path>@<version> and pkg:golang/stdlib@<version>.
 * Called by bd_identify. Returns 0 or BD_ENOMEM.
 */
int bd_ident_go_modules(struct bd_graph *g, size_t ncomps);

/*
 * Names a Go program after its main module (the "mod" line of its build
 * information, bd_component.go), as syft does: c's name the module path
 * (a shared object keeps its soname), its version the module's unless
 * "(devel)", its purl pkg:golang/<module path>@<version>, go_main set; the main
 * module is then no component bd_ident_go_modules adds. bd_identify calls it
 * for a file nothing better names (no package database, package note or
 * registry entry). Nothing for a main module no purl can name. Returns 0
 * or BD_ENOMEM.
 */
int bd_ident_go_main(struct bd_graph *g, struct bd_component *c);
/* Adds the component's name, version and purl to its identity, each
 * concluded by manifest-analysis (confidence 1) from what method says was
 * read: a manifest's line, a binary's build information. */
void bd_ident_manifest_identities(struct bd_component *c, const char *method);

/*
 * Appends a field of a component's key, its '%' and the keys' separators
 * ('@', '#', the '>' of "=>") as %XX: a name, version or hash holds none
 * of them, but hostile data may, and a key must name one component only
 * (a Go module's go.sum field of "h1:x==>b@v2#h1:y=" made a line never
 * replaced the replacement by b it imitates).
 */
void bd_ident_key_field(struct bd_buf *b, const char *s);

/*
 * The crates the cargo-auditable dependency list of each of the first
 * ncomps components lists (bd_component.cargo), as components: one
 * BD_COMP_STATIC per crate and source, of the kind "runtime" when any list
 * names it so; from each file one edge to each crate it lists, a
 * BD_EDGE_STATIC when its list names it as runtime (compiled in), else a
 * BD_EDGE_BUILD (its build used it); a BD_EDGE_DEPENDS from each crate to
 * each crate its lists say it depends on; purls
 * pkg:cargo/<name>@<version>. Edges are appended: call bd_graph_sort
 * before reading them. Called by bd_identify. Returns 0 or BD_ENOMEM.
 */
int bd_ident_cargo_crates(struct bd_graph *g, size_t ncomps);

/*
 * The main module of Go program `file`, which an SBOM it carries names
 * now in place of it (carried.c, go_main cleared): a component compiled
 * into it, as into a program a package owns, so that its purl, version
 * and go.sum hash stay in the SBOM. Components may move (bd_graph_add).
 * Returns 0 or BD_ENOMEM.
 */
int bd_ident_go_main_compiled_in(struct bd_graph *g, uint32_t file);

/* Appends "cpe:2.3:a:<vendor>:<product>:<version>:<update>:*:*:*:*:*:*"
 * for a registry's "cpe:2.3:a:<vendor>:<product>", the version quoted as
 * CPE 2.3 formatted strings want ("*" when there is none), a pre-release
 * mark in the update field. False, nothing appended, when the version has
 * a byte no formatted string can hold (NISTIR 7695, 6.2: printable ASCII
 * only, no space). */
bool bd_ident_cpe(const char *prefix, const char *version, struct bd_buf *out);

/* Whether cpe is a well-formed CPE 2.3 formatted string (NISTIR 7695,
 * 6.2): what a package note's appCpe must be to name the component. */
bool bd_ident_cpe23_valid(const char *cpe);

#endif
