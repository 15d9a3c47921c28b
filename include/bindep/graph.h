/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_GRAPH_H
#define BINDEP_GRAPH_H

#include "bindep/arena.h"
#include "bindep/map.h"
#include "bindep/scan.h"

#include <sys/types.h>

/*
 * The one model every stage shares: components (scanned files and the
 * libraries they name) and edges between them. The graph owns everything:
 * strings live in its arena; components are referred to by uint32_t id,
 * never by a pointer kept across an insertion.
 */

enum bd_comp_kind {
	BD_COMP_EXECUTABLE, /* an ELF program */
	BD_COMP_LIBRARY,    /* an ELF shared object */
	BD_COMP_ELF_OTHER,  /* another ELF file: object, core, broken */
	BD_COMP_UNRESOLVED, /* a soname no scanned file provides */
	/* A release artifact given as input (issue 12): a wheel, an npm
	 * tarball, a .deb/.rpm/.apk, a conda package, a jar, a tarball. It
	 * holds scanned files (BD_EDGE_CONTAINS); it is no ELF file. */
	BD_COMP_ARTIFACT,
	/* A library compiled into scanned files (issue 14), named by the
	 * registry's string rules, a Go binary's build information or a Rust
	 * binary's cargo-auditable data: no file of its own, a
	 * BD_EDGE_STATIC from each file that holds it. One per library and
	 * version. A crate the build of a Rust binary used without
	 * compiling it in (cargo-auditable's kind "build") is one too, with
	 * a BD_EDGE_BUILD from each file built with it. */
	BD_COMP_STATIC,
	/* A component only an SBOM shipped inside an artifact describes
	 * (issue 16, item 2): no file we read, a BD_EDGE_CONTAINS from the
	 * artifact that carried the SBOM. */
	BD_COMP_DECLARED,
};

enum bd_edge_kind {
	BD_EDGE_NEEDED,	     /* DT_NEEDED */
	BD_EDGE_DLOPEN_NOTE, /* an entry of a .note.dlopen */
	BD_EDGE_INTERP,	     /* PT_INTERP: the program's dynamic loader */
	/* An artifact holds the file (CycloneDX dependency, SPDX CONTAINS);
	 * from a BD_COMP_ARTIFACT to a file or a nested artifact. */
	BD_EDGE_CONTAINS,
	/* The file holds a statically linked copy of the library: to a
	 * BD_COMP_STATIC (CycloneDX dependency, SPDX STATIC_LINK). */
	BD_EDGE_STATIC,
	/* The file's build used the package, which it does not hold: a Rust
	 * build script's or procedural macro's crate (CycloneDX dependency
	 * to a component of scope "excluded", SPDX BUILD_DEPENDENCY_OF). To
	 * a BD_COMP_STATIC. */
	BD_EDGE_BUILD,
	/* The package depends on the package, as the list a build wrote
	 * says: a crate on a crate of a cargo-auditable dependency list
	 * (CycloneDX dependency, SPDX DEPENDS_ON, SPDX 3 dependsOn). Between
	 * two BD_COMP_STATIC; what a file holds is said by its own
	 * BD_EDGE_STATIC and BD_EDGE_BUILD edges, never by these, which
	 * every list naming the crate adds to and which may form a cycle:
	 * a walk from a file does not follow them. */
	BD_EDGE_DEPENDS,
};

/* The method of an identity concluded from the language package a file
 * is in: "a file of <its purl>[: <its manifest>]" (ident.c), which
 * --attach recognises (attach.c). */
#define BD_BUNDLE_METHOD "a file of "

/* How one field of a component's identity was concluded: CycloneDX
 * evidence.identity. */
struct bd_identity {
	const char *field;     /* "name", "version", "purl" */
	const char *value;     /* the concluded value */
	const char *technique; /* "manifest-analysis", "binary-analysis",
				  "filename" */
	const char *method;    /* what was read: a database file, a rule */
	double confidence;
	/* An SBOM shipped in an artifact that states the same value
	 * (technique "attestation"): its location, or NULL. */
	const char *attested;
};

#define BD_MAX_IDENTITY 3

struct bd_strlist {
	const char **items;
	size_t n, alloc;
	/* Its strings as a set once it holds more than a few (malloc'd,
	 * graph.c): adding the 20,000th path of one file is no scan of the
	 * 19,999 before it. NULL for short lists, which most are. */
	struct bd_map *index;
};

/* What SBOMs shipped inside artifacts say of a component (malloc'd, owned
 * by the graph). */
struct bd_carried_facts {
	/* Their locations ("dist/x.whl!/x-1.dist-info/sboms/a.cdx.json"). */
	struct bd_strlist in;
	const char *supplier; /* the supplier they name */
	/* What they say beyond or against our facts, as bindep: properties
	 * in the order found ("bindep:conflict:version"). */
	struct bd_kv *props;
	size_t nprops, aprops;
};

struct bd_component {
	enum bd_comp_kind kind;
	const char *key;  /* unique and stable: the emitters' reference */
	const char *name; /* the soname, else the file name */
	const char *version;
	const char *purl;
	char sha256[65];	 /* "" when not hashed */
	struct bd_strlist paths; /* every path the file was reached by */
	dev_t dev;
	ino_t ino;

	/* ELF facts, copied from the scan (arena strings). */
	bool has_elf_header;
	unsigned ei_class, ei_data, e_type, e_machine;
	/* A BD_COMP_UNRESOLVED: ei_class, ei_data and e_machine are those of
	 * the files that need it, which what meets it must have (the
	 * loader's search skips any other); has_elf_header stays false, as
	 * no file was read. */
	bool wants_elf_kind;
	/* A BD_COMP_UNRESOLVED: nothing the files of its ELF kind need was
	 * found in the run, no library and no interpreter, and something
	 * of another kind was: the root holds nothing for that machine
	 * (bd_resolve_machines, bindep:unresolved:reason). */
	bool machine_absent;
	const char *soname, *interp, *rpath, *runpath, *build_id;
	const char **needed;
	size_t nneeded;
	bool has_flags_1;
	uint64_t flags_1;
	bool imports_dlopen;
	bool dynsym_read;
	struct bd_kv *package_note;
	size_t npackage_note;
	struct bd_dlopen_entry *dlopen;
	size_t ndlopen;
	/* What the registry's string rules found in its read-only data
	 * (arena copies), and whether they were searched for at all. */
	struct bd_string_hit *strings;
	size_t nstrings;
	bool strings_searched;
	/* Its Go build information (arena copies); NULL: none. */
	const struct bd_go_info *go;
	/* Its cargo-auditable dependency list (arena copies); NULL: none. */
	const struct bd_cargo_info *cargo;

	const char *error; /* why the file could not be read completely */

	const char *inside; /* canonical path inside the root, NULL if none */
	bool is_input;	    /* found by the walk, not only by resolution */
	const char *resolved_via; /* how the loader search first found it */

	const char *host; /* where it was read on this machine, or NULL */

	/* Identity (the identify stage). */
	const char *source_package, *source_version;
	struct bd_identity ids[BD_MAX_IDENTITY];
	size_t nids;
	const char *note_mismatch; /* a package note the database contradicts */

	/* A Go module a Go binary's build information lists (a
	 * BD_COMP_STATIC, ident_go.c): its go.sum hash ("h1:..."); the module
	 * a "=>" line replaced by it ("path@version"); the directory that
	 * replaced it (the component is then the module's path, no release
	 * of it). NULL: none. */
	const char *go_sum, *go_replaces, *go_replaced_by;
	/* A Go program named after its main module (ident_go.c): its name,
	 * version and purl are the module's, which an SBOM an artifact
	 * carries replaces (carried.c) as it does a language package's. */
	bool go_main;
	/* A crate a Rust binary's cargo-auditable data lists (a
	 * BD_COMP_STATIC, ident_cargo.c): where it came from ("crates.io",
	 * "git", "local", "registry"...) and its kind, "runtime" (compiled
	 * in) or "build" (used by the build only): "runtime" when any file
	 * compiled it in. NULL: none. */
	const char *cargo_source, *cargo_kind;
	/* A crate a list of which dropped some of its dependencies
	 * (bd_cargo_package.deps_cut): its BD_EDGE_DEPENDS are not all. */
	bool cargo_deps_cut;

	/* The upstream project (the mapping registry). */
	const char *upstream, *upstream_purl, *upstream_version;
	const char *repository, *homepage, *license, *cpe;
	bool vendored; /* a copy in the scanned tree, no package's */
	/* In an artifact's own SBOM (--attach): needed by its files, found
	 * outside it; the installing system provides it. */
	bool external;
	const char *bundled_in;	 /* purl of the language package holding it */
	const char *bundle_file; /* its METADATA or package.json */
	/* The licence that package declares (bindep/artifact.h), its own
	 * files' when no registry entry names them (ident.c, from_bundle). */
	const char *bundle_license, *bundle_license_text;
	/* Where an installed package's licence was read, when not its
	 * database ("dpkg:/usr/share/doc/<pkg>/copyright"); license_source
	 * once it is the component's. */
	const char *bundle_license_source, *license_source;
	const char *registry_purl;	/* pkg:purl/<ns>/<name>@<version> */
	const char *registry_file;	/* the purl-registry package.yml */
	const char **alternative_purls; /* the registry's, arena-owned */
	size_t nalternative_purls;

	/* Release artifacts (the input stage, issue 12). */
	const char *artifact_type; /* BD_COMP_ARTIFACT: "wheel", "npm",
				      "deb", "rpm", "apk", "conda", "jar",
				      "tarball", "zip" */
	bool in_artifact;	   /* a file read from inside an artifact: its
				      identity comes from the artifact, never from
				      the root's package databases */
	bool package_file; /* a file of a .deb/.rpm/.apk given as input: the
			      package's own, never vendored */
	/* A file of a container image: the layer it came from. */
	const char *layer_digest;  /* "sha256:..." of the blob, or NULL */
	const char *layer_diff_id; /* "sha256:..." of the layer's tar */

	/* Online enrichment (--online: ecosyste.ms). Licence, repository and
	 * homepage fill the fields above when they were empty; the flags say
	 * that they did. */
	bool license_online, repository_online, homepage_online;
	/* license is what an SBOM the artifact carries concluded, not what
	 * the package declares (CycloneDX acknowledgement "concluded", SPDX
	 * licenseConcluded). */
	bool license_concluded;
	/* license is what the file's own string says of its build (the
	 * registry's license-strings): CycloneDX evidence.licenses. */
	bool license_stated;
	/* The licences its file's strings state when they disagree, in the
	 * registry's order (license is then their AND, ident.c): each is
	 * said as bindep:conflict:license. Arena-owned; none for most
	 * components. */
	const char **license_conflicts;
	size_t nlicense_conflicts;
	const char *license_text;      /* the declared licence, as written */
	struct bd_strlist funding;     /* funding URLs */
	struct bd_strlist maintainers; /* "login <url>" */
	struct bd_strlist online_from; /* the answers the facts came from */
	bool online_incomplete;	       /* a lookup for it failed */

	/* What SBOMs shipped inside artifacts say of it (issue 16, item 2);
	 * NULL when none describes it (most components: 8 bytes each). */
	struct bd_carried_facts *carried;
};

struct bd_edge {
	uint32_t from, to;
	enum bd_edge_kind kind;
	/* BD_EDGE_NEEDED that the loader's search did not find: `to` is the
	 * one library of its unit with that DT_SONAME, which the program must
	 * load by path first (bindep/resolve.h, bd_resolve_preload). */
	bool preloaded;
	/* BD_EDGE_DLOPEN_NOTE: the note entry (arena-owned), else NULL. */
	const struct bd_dlopen_entry *dlopen;
};

struct bd_graph {
	struct bd_arena arena;
	struct bd_component *comps;
	size_t ncomps, acomps;
	struct bd_edge *edges;
	size_t nedges, aedges;
	struct bd_map by_key;
};

void bd_graph_init(struct bd_graph *g);
void bd_graph_release(struct bd_graph *g);

/*
 * Adds a component with the given unique key (copied) and kind; the rest is
 * zero. Returns 0 with *id set, or BD_ENOMEM. A key already present is a
 * programming error: look it up first.
 */
int bd_graph_add(struct bd_graph *g, const char *key, enum bd_comp_kind kind,
		 uint32_t *id);

/* The component with that id; valid until the next bd_graph_add(). */
struct bd_component *bd_graph_comp(struct bd_graph *g, uint32_t id);
const struct bd_component *bd_graph_comp_const(const struct bd_graph *g,
					       uint32_t id);

bool bd_graph_find(const struct bd_graph *g, const char *key, uint32_t *id);

/* bd_graph_find and bd_graph_add of a key hashed once (bd_map_hash of
 * it whole), for a look-up followed by the add of a key not found. */
bool bd_graph_findh(const struct bd_graph *g, const char *key, uint64_t hash,
		    uint32_t *id);
int bd_graph_addh(struct bd_graph *g, const char *key, uint64_t hash,
		  enum bd_comp_kind kind, uint32_t *id);

/* How c's field ("name", "version", "purl", "cpe") was concluded, or
 * NULL when it has no evidence yet. */
struct bd_identity *bd_graph_identity(struct bd_component *c,
				      const char *field);

/* Adds a string (copied) to a list of a component of g, once. */
int bd_graph_list_add(struct bd_graph *g, struct bd_strlist *l, const char *s);
/* The same with a string the graph's arena already holds (not copied):
 * one copy for every component that a string is the same for. */
int bd_graph_list_add_shared(struct bd_graph *g, struct bd_strlist *l,
			     const char *s);

/* Adds a path (copied) to a component's occurrences, once. */
int bd_graph_add_path(struct bd_graph *g, uint32_t id, const char *path);

/* Whether a path is below a .build-id directory (Fedora's
 * /usr/lib/.build-id/ab/<hex> links): a name the build gave the file, not
 * its own. bd_graph_sort puts such paths after a component's others. */
bool bd_graph_build_id_path(const char *path);

/* Adds an edge; an identical edge (same ends, kind and note entry) is
 * added once. */
int bd_graph_add_edge(struct bd_graph *g, uint32_t from, uint32_t to,
		      enum bd_edge_kind kind,
		      const struct bd_dlopen_entry *dlopen);

/* Adds a BD_EDGE_NEEDED that says preloaded, once: an identical edge
 * there already, which the loader's search found, stays as it is. */
int bd_graph_add_preloaded(struct bd_graph *g, uint32_t from, uint32_t to);

/* Adds an edge without looking for an identical one, for a source that
 * gets many (an artifact's carried SBOMs may list a million components
 * only they describe: the look-back was quadratic). bd_graph_sort removes
 * duplicates: call it before reading edges. */
int bd_graph_append_edge(struct bd_graph *g, uint32_t from, uint32_t to,
			 enum bd_edge_kind kind);

/* Copies the facts of a scan into a component (strings into the arena). */
int bd_graph_set_elf(struct bd_graph *g, uint32_t id,
		     const struct bd_elf_info *info);

/*
 * Puts components, paths and edges in a stable order that depends only on
 * their contents, so that emitters write the same bytes for the same input.
 * Ids change: call it last, after every insertion.
 */
int bd_graph_sort(struct bd_graph *g);

/* Copies a string into the graph's arena. NULL stays NULL; NULL on OOM. */
const char *bd_graph_strdup(struct bd_graph *g, const char *s);

#endif
