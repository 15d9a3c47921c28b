/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_CARRIED_H
#define BINDEP_CARRIED_H

#include "bindep/arena.h"
#include "bindep/error.h"
#include "bindep/graph.h"

/*
 * SBOMs that artifacts already carry (issue 16, item 2): a wheel's
 * "<dist-info>/sboms/<file>.json" (PEP 770; auditwheel and maturin write
 * "auditwheel.cdx.json" there), and a CycloneDX or SPDX file at a
 * conventional place of an npm package or a release tarball. They are read
 * into a small model (what merging needs), then merged into the graph: a
 * component they describe that is ours (by SHA-256, else by path, else by
 * purl) keeps their extra facts and the SBOM as evidence; one only they
 * describe is added, held by the artifact that carried the SBOM.
 *
 * Texts are hostile: at most BD_CARRIED_MAX_BYTES (the archive reader
 * takes no more), UTF-8 (RFC 8259, 8.1), at most BD_CARRIED_MAX_OBJECTS
 * JSON objects and BD_CARRIED_MAX_COMPONENTS components; a field longer
 * than BD_CARRIED_MAX_FIELD is ignored.
 */

#define BD_CARRIED_MAX_BYTES	  (4u << 20)
#define BD_CARRIED_MAX_OBJECTS	  200000u
#define BD_CARRIED_MAX_COMPONENTS 20000u
#define BD_CARRIED_MAX_FIELD	  4096u
/* Paths (occurrences, SPDX fileName) kept per component. */
#define BD_CARRIED_MAX_PATHS 16u
/* Their statements kept per component as properties (conflicts, their
 * other purls, names, licences), the last of them
 * "bindep:embedded:truncated" when more were dropped: a hostile SBOM may
 * list 20000 entries that all name one file. */
#define BD_CARRIED_MAX_PROPS 64u
/* Nested CycloneDX components followed (components of components). */
#define BD_CARRIED_MAX_DEPTH 8

/* The name of our own SBOM in a wheel (bindep/attach.h): never read back. */
#define BD_CARRIED_OURS "bindep-sbom.cdx.json"

struct bd_carried_comp {
	const char *ref; /* bom-ref, SPDXID; NULL when none */
	const char *name, *version, *purl;
	const char *supplier;
	const char *license;	   /* an SPDX expression, or NULL */
	const char *license_other; /* a licence named otherwise */
	/* license is what someone concluded, not what the package declares
	 * (CycloneDX acknowledgement "concluded", SPDX licenseConcluded). */
	bool license_concluded;
	char sha256[65]; /* "" when not given */
	const char *paths[BD_CARRIED_MAX_PATHS];
	size_t npaths;
	/* auditwheel's bom-ref fragment: the SHA-256 (hex) of the path the
	 * library was copied from on the build host. */
	const char *host_path_hash;
	bool described; /* what the document describes (metadata.component,
			   documentDescribes) */
	bool is_file;	/* an SPDX file entry: matched, never added */
	/* What the document says is no part of the artifact when it runs
	 * (CycloneDX scope "excluded"; an SPDX build, development or test
	 * tool or dependency, or one the environment provides): matched,
	 * never added as held. */
	bool not_shipped;
};

struct bd_carried_sbom {
	const char *location; /* "dist/x.whl!/x-1.0.dist-info/sboms/a.json" */
	/* Where its relative paths start inside the artifact: "" (a wheel,
	 * the top of a tarball), "package/" (an npm tarball), "<top>/". */
	const char *base;
	const char *format;	       /* "CycloneDX 1.4", "SPDX-2.3" */
	struct bd_carried_comp *comps; /* in document order */
	size_t ncomps;
};

/*
 * Whether an archive entry (a normalised name, "package/sbom.cdx.json") is
 * an embedded SBOM to read, and where the paths it names start (*base, a
 * static string or a prefix length of name: *baselen bytes of name):
 *   <name>.dist-info/sboms/<file>.json    (PEP 770), not ours
 *   sbom.json, bom.json, *.cdx.json, *.spdx.json
 *                                         at the top, or in one top
 *                                         directory ("package/" of npm)
 */
bool bd_carried_is_sbom(const char *name, size_t *baselen);

/*
 * Reads a CycloneDX (JSON, specVersion 1.x) or SPDX 2.x (JSON) document of
 * len bytes into s (strings and arrays in arena). s->location and s->base
 * are the caller's to set. Returns 0; BD_EFORMAT (err: "not valid UTF-8",
 * "not JSON", "not a CycloneDX or SPDX 2 document", ...); BD_ELIMIT (too
 * many objects or components); BD_ENOENT (a document bindep-sbom wrote:
 * a run's output, not the release's); BD_ENOMEM. s is left empty on
 * failure.
 */
int bd_carried_parse(struct bd_arena *arena, const char *text, size_t len,
		     struct bd_carried_sbom *s, struct bd_error *err);

/*
 * Merges s into g, carried by the component carrier (UINT32_MAX: none, an
 * SBOM in a directory given as input), describing the components whose
 * locations start with prefix ("dist/x.whl!/", "rel-1.0/"). Each of s's
 * components is matched to one of those (files, nested artifacts) by
 * SHA-256, else by path (relative to s->base or to the prefix; auditwheel's
 * host-path hash against the grafted file's usual library directories),
 * else by purl (type, namespace, name and version); the described
 * component is the carrier itself (without one, it is left: the run's
 * target, or the package of the files walked). A match gets
 * the facts ours lack, corroborates the identity fields that agree
 * (technique "attestation"), and keeps what disagrees as properties
 * ("bindep:conflict:version"). Components matching nothing (SPDX file
 * entries aside) are added as BD_COMP_DECLARED, contained by the carrier
 * where there is one.
 * Returns 0 or BD_ENOMEM.
 */
int bd_carried_merge(struct bd_graph *g, uint32_t carrier, const char *prefix,
		     const struct bd_carried_sbom *s);

/*
 * What the merge learns of a carrier's files (their hashes, paths, and
 * auditwheel's host-path hashes: 18 SHA-256 a file), kept for the next
 * SBOM of the same carrier and prefix in the same graph: an artifact may
 * carry a thousand SBOMs, and indexing its files again for each made that
 * the product of the two. Made again for another carrier or prefix.
 * bd_carried_merge is bd_carried_merge_indexed with a fresh one.
 */
struct bd_carried_index;

struct bd_carried_index *bd_carried_index_new(void);
void bd_carried_index_free(struct bd_carried_index *x);
int bd_carried_merge_indexed(struct bd_graph *g, uint32_t carrier,
			     const char *prefix,
			     const struct bd_carried_sbom *s,
			     struct bd_carried_index *x);

#endif
