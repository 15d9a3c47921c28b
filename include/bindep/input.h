/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_INPUT_H
#define BINDEP_INPUT_H

#include "bindep/archive.h"
#include "bindep/carried.h"
#include "bindep/collect.h"
#include "bindep/arena.h"
#include "bindep/error.h"
#include "bindep/exclude.h"
#include "bindep/graph.h"
#include "bindep/image.h"
#include "bindep/input_image.h"
#include "bindep/map.h"
#include "bindep/root.h"
#include "bindep/walk.h"

#include <sys/types.h>

/*
 * The input stage (issue 12): release artifacts among the inputs (wheels,
 * npm tarballs, .deb/.rpm/.apk, conda packages, jars, zips, tarballs) are
 * recognised by their content, streamed once through libarchive into a
 * private directory, and laid out there as they are installed:
 *
 *   wheels side by side        /.bindep-sbom/site-packages/<entries>
 *   npm tarballs               /.bindep-sbom/node_modules/<name>/<entries
 *                              below package/>
 *   .deb, .rpm, .apk           /<installed path>
 *   conda packages             /.bindep-sbom/conda/<entries>
 *   jars, zips, tarballs       /.bindep-sbom/tree/<n>/<entries>
 *
 * That tree is an overlay over the --root (bindep/root.h), so that what
 * the artifacts given together provide is found first, and the rest in
 * the root. Only ELF files (by their first bytes), links, directories,
 * nested archives and the manifests that name an artifact are stored;
 * everything else is skipped unread. Each file keeps its location as the
 * user sees it, "dist/x.whl!/pkg/_x.so".
 */

/* Archives inside archives read (a wheel in a tarball is 2). */
#define BD_INPUT_MAX_NESTING 4
/* Artifacts read in one run, nested ones included. */
#define BD_INPUT_MAX_ARTIFACTS 100000u
/* Entries of one artifact remembered (ELF files, links, nested archives);
 * past it, the rest are skipped, with one warning. Each costs a few
 * hundred bytes until the end of the run: the artifacts of a run
 * together remember at most four times as many (one warning). */
#define BD_INPUT_MAX_ENTRIES 1000000u
/* Directories made for an artifact's entry names that no entry lists
 * (bd_archive_implied), in it and every archive nested in it, one
 * budget: only those above what is written count (ELF files, links,
 * nested archives), and wheels and npm tarballs list none, where an npm
 * tarball of 60 KB, 2,000 ELF files 127 directories deep, made 254,000
 * (2 min 45 s on a busy ext4; 8 s to this cap). As many as an image's
 * (BD_IMAGE_MAX_IMPLIED_DIRS). The artifacts of a run make four times as
 * many in all (one warning), as for the listed ones: a budget each, a
 * hundred such tarballs would make 1.6 million. */
#define BD_INPUT_MAX_IMPLIED_DIRS BD_IMAGE_MAX_IMPLIED_DIRS
/* Directories made for the entries of an artifact that list them, in it
 * and every archive nested in it, one budget (bd_archive_limits.listed):
 * past it, one is made only above what is kept, as an implied one. As
 * many as an image's (BD_IMAGE_MAX_LISTED_DIRS). The artifacts of a run
 * make four times as many in all (one warning): fifteen tarballs of
 * 650 KB would make about a million. */
#define BD_INPUT_MAX_LISTED_DIRS BD_IMAGE_MAX_LISTED_DIRS
/* Files, symlinks and hard links written for an artifact's entries (ELF
 * files, links, nested archives, companions), in it and every archive
 * nested in it, one budget (bd_archive_limits.written): past it, such
 * an entry is skipped and the artifact is not whole. As many as an
 * image's (BD_IMAGE_MAX_WRITTEN). The artifacts of a run write four
 * times as many in all (one warning): five 7 MB tarballs of a million
 * tiny ELF files each would write five million. */
#define BD_INPUT_MAX_WRITTEN BD_IMAGE_MAX_WRITTEN

/* A budget of the run's artifacts, four times an artifact's: an
 * artifact's cap is its own, or when less is left of the run's, the
 * run's (of_run), counting from what the artifacts before made. */
struct bd_input_run_budget {
	uint64_t made; /* by the artifacts read before */
	bool of_run, said;
};

struct bd_input_options {
	uint64_t max_unpacked; /* 0: BD_ARCHIVE_MAX_UNPACKED; the run's total
				  is four times as much (at least
				  BD_ARCHIVE_TOTAL) */
	const char *tmpdir;    /* NULL: $TMPDIR, else /tmp */
	bool scan_walked;      /* read the artifacts found in walked
				  directories (not in a whole-root scan) */
	const char *platform;  /* an image's: "os/arch[/variant]", NULL:
				  linux/amd64 */
	const char *image_ref; /* which image of several */
	size_t max_entries;    /* 0: BD_INPUT_MAX_ENTRIES (tests lower it) */
	uint64_t max_implied;  /* 0: BD_INPUT_MAX_IMPLIED_DIRS (tests lower
				  it) */
	uint64_t max_listed;   /* 0: BD_INPUT_MAX_LISTED_DIRS (tests lower
				  it) */
	uint64_t max_written;  /* 0: BD_INPUT_MAX_WRITTEN (tests lower it) */
	unsigned jobs;	       /* threads opening the walked files (as -j);
				  0: one per CPU */
	/* Files an archive's ELF files are read with, by the last part of
	 * their name ("versions.json", the manifest sharp-libvips's libvips
	 * lists its linked-in libraries in), kept beside them when no longer
	 * than companion_max: the registry reads them by path, as on disk. */
	const char *const *companions;
	size_t ncompanions;
	uint64_t companion_max;
	/* --exclude (NULL: none): a PATH that matches is not read, nor an
	 * SBOM at the top of a directory; an entry whose location does
	 * ("dist/x.whl!/x/tests/t.so") is no input
	 * (bd_input_entry.excluded). */
	struct bd_exclude *exclude;
};

/* How a PATH says what it is (syft's schemes): "dir:dist",
 * "oci-archive:img.tar". Without one, the content decides. */
enum bd_input_scheme {
	BD_SCHEME_NONE,
	BD_SCHEME_DIR,
	BD_SCHEME_FILE,
	BD_SCHEME_OCI_DIR,
	BD_SCHEME_OCI_ARCHIVE,
	BD_SCHEME_DOCKER_ARCHIVE,
};

/* The path after a scheme, and the scheme (BD_SCHEME_NONE: none, the
 * whole argument is the path). */
const char *bd_input_scheme(const char *arg, enum bd_input_scheme *scheme);

struct bd_input_entry {
	const char *name; /* inside the artifact's tree, "pkg/_x.so" */
	bool elf;	  /* else a symlink, a nested archive or a companion
			     (bd_input_options.companions) */
	bool nested;
	/* Left out by --exclude, but laid out all the same (an ELF file or
	 * a link: the loader search may need it): no input, and no
	 * location of its own unless the search finds it. */
	bool excluded;
};

struct bd_input_artifact {
	const char *display; /* "dist/x.whl", "rel.tgz!/w/x.whl" */
	const char *host;    /* where its bytes are */
	const char *type;    /* "wheel", "npm", "deb", ... */
	const char *name, *version, *purl; /* purl NULL: none */
	/* A package's source package and its version (deb Source, rpm
	 * SOURCERPM, apk origin); NULL: none given. */
	const char *source, *source_version;
	/* The licence its manifest declares (bindep/artifact.h); NULL:
	 * none. */
	const char *license, *license_text;
	const char *manifest; /* what named it: "METADATA" */
	char sha256[65];
	size_t parent; /* SIZE_MAX: given or walked */
	int depth;
	const char *tree;  /* relative to the private root: ".bindep-sbom/
			      tree/3" */
	const char *mount; /* the inside path its entries are under */
	const char *strip; /* a prefix its entries lose there ("package/") */
	/* An npm tarball's package.json ("package/package.json"; npm takes
	 * it in any one top directory), in the arena; NULL: none. */
	const char *npm_manifest;
	struct bd_input_entry *entries;
	size_t nentries, aentries;
	/* Manifests taken while streaming (malloc'd; freed, NULL, once the
	 * artifact is named and laid out). */
	const char *m_metadata, *m_package_json, *m_control, *m_pkginfo,
		*m_index_json, *m_pom, *m_manifest_mf;
	/* A .deb's usr/share/doc/<dir>/copyright (malloc'd as the
	 * manifests are): the one of its package's name, else the first;
	 * its <dir> (arena): the package's licence when <dir> is the
	 * package's name, as dpkg installs it. The name (arena, NULL: none)
	 * once its control was read for it (deb_name_read). */
	const char *m_copyright, *copyright_dir, *deb_name;
	bool deb_name_read;
	/* The .dist-info m_metadata is from ("x-1.0.dist-info", arena), and
	 * how many top .dist-info/METADATA the artifact holds. */
	const char *metadata_dir;
	unsigned dist_infos;
	bool has_conda_metadata, has_jar_entry, has_debian_binary;
	bool failed; /* could not be read at all */
	/* Why it was not read whole (broken, cut, past a limit: each said
	 * in a warning), its component's bindep:error; NULL: it was. */
	const char *error;
	bool via_link; /* walked through a symlink below a PATH */
	bool capped;   /* more than max_entries: warned */
	uint32_t comp; /* its component, once in the graph */
};

/* SBOMs read in one run (each up to BD_CARRIED_MAX_BYTES), and their
 * bytes together: past either, the rest are skipped, with one warning. */
#define BD_INPUT_MAX_SBOMS	1000u
#define BD_INPUT_MAX_SBOM_BYTES (64u << 20)
/* The components they describe, together: each may become one of the
 * SBOM's, so that a small archive of SBOMs listing the same few bytes
 * again cannot make an SBOM of hundreds of megabytes (16 of 20,000
 * components in an 800 KB tarball wrote 305 MB). */
#define BD_INPUT_MAX_SBOM_COMPONENTS 50000u

/* An SBOM an artifact carries (bindep/carried.h), read while streaming,
 * or one at the top of a directory given as PATH. */
struct bd_input_sbom {
	size_t art;	    /* the artifact that carries it; SIZE_MAX: none */
	const char *prefix; /* of what it describes: "dist/x.whl!/", "rel/" */
	struct bd_carried_sbom sbom;
};

/* Top directories a package may install through a link of the root
 * (usr-merge's /bin, /sbin, /lib, /lib32, /lib64, /libx32 and a few). */
#define BD_INPUT_MAX_FOLDS 16

struct bd_input {
	struct bd_arena arena;
	const struct bd_diag *diag;
	struct bd_input_options opts;
	char *tmp;	/* the private directory's host path, NULL: none */
	int tmpfd;	/* open on it, -1 */
	pid_t sentinel; /* removes tmp when we die, however */
	int sentinel_fd;
	char *rootdir; /* tmp + "/root", the overlay's upper tree */
	int rootfd;
	struct bd_root overlay;
	bool have_overlay;
	/* The upper tree's top directories moved into the root's links
	 * (bd_input_fold_links): "lib" -> "usr/lib", in the arena. */
	struct bd_input_fold {
		const char *from, *to;
	} folds[BD_INPUT_MAX_FOLDS];
	size_t nfolds;
	struct bd_input_artifact *arts;
	size_t narts, aarts;
	struct bd_map display_of; /* inside path -> index in shown */
	const char **shown;	  /* display locations */
	size_t nshown, ashown;
	struct bd_map art_of; /* display location -> artifact index */
	struct bd_archive_limits limits;
	uint64_t total_left;
	unsigned ntrees;
	/* A container image among the PATHs: its merged tree is the root. */
	struct bd_input_image image;
	bool have_image;
	const char *image_display;
	const char **rest; /* the PATH arguments that are no artifacts */
	size_t nrest;
	size_t nfiles;	 /* ELF files added to the walk */
	size_t nentries; /* entries of every artifact */
	/* The directories the artifact being read (depth 0) and the
	 * archives nested in it imply, one count (bd_input_read); or, when
	 * less is left of the run's (four times as many), the run's,
	 * counting from implied_run (then of_run). */
	struct bd_archive_implied implied;
	struct bd_input_run_budget implied_run;
	/* And the directories their entries list, one count; or, when less
	 * is left of the run's (four times as many), the run's, counting
	 * from listed_run (then of_run). */
	struct bd_archive_implied listed;
	struct bd_input_run_budget listed_run;
	/* And the files and links written for their entries, the same. */
	struct bd_archive_implied written;
	struct bd_input_run_budget written_run;
	bool capped; /* more than 4 x max_entries in the run: warned */
	struct bd_input_sbom *sboms;
	size_t nsboms, asboms;
	uint64_t sbom_bytes; /* read so far */
	size_t sbom_comps;   /* the components they describe, so far */
	bool sboms_capped;   /* past a cap: warned */
};

void bd_input_init(struct bd_input *in, const struct bd_input_options *o,
		   const struct bd_diag *diag);
/* Removes the private directory and everything in it. */
void bd_input_release(struct bd_input *in);

/*
 * Sorts the PATH arguments: a regular file whose content is an artifact is
 * read now (wherever it is: an artifact is not confined to --root); the
 * rest are left in in->rest for the walk (without their scheme). A
 * container image (an OCI layout directory, an OCI archive, a docker save
 * tarball) is merged into in->image, its tree to be used as the root; at
 * most one image, and with it only artifacts. Returns 0; BD_EUSAGE (two
 * images, an image with a plain directory, or the image to read is the
 * user's to choose: err says so); the image's errors; BD_ENOMEM / BD_EIO
 * (the private directory cannot be made).
 */
int bd_input_paths(struct bd_input *in, const char *const *paths, size_t npaths,
		   struct bd_error *err);

/* The archive sniff the walked files' one open is given (NULL: none), by
 * bd_input_walked: reading them ahead of the walk must ask the same. */
bd_collect_sniff_fn bd_input_walk_sniff(const struct bd_input *in);

/*
 * The artifacts among the files the walk found (opts.scan_walked: each
 * walked file is opened then, once, by bd_collect_prepare, which keeps
 * what bd_collect needs of it), then every artifact's ELF files added to
 * the walk with their locations.
 * root is the root the walk ran in. Returns 0 or BD_ENOMEM / BD_EIO.
 */
int bd_input_walked(struct bd_input *in, struct bd_walk *w,
		    const struct bd_root *root, struct bd_error *err);

/* The root to resolve in: the overlay when artifacts were laid out, else
 * root. */
const struct bd_root *bd_input_root(const struct bd_input *in,
				    const struct bd_root *root);

/* The location of an inside path of the overlay ("/.bindep-sbom/site-
 * packages/pkg/_x.so" -> "dist/x.whl!/pkg/_x.so"), NULL when it is none
 * of an artifact's. */
const char *bd_input_display(void *in, const char *inside);

/*
 * After the scan: a component for each artifact (BD_COMP_ARTIFACT, its
 * purl and hash), CONTAINS edges to its files and nested artifacts, and
 * on each file its artifact (bundled-in; a package's own files take the
 * package's purl). Returns 0 or BD_ENOMEM.
 */
int bd_input_graph(struct bd_input *in, struct bd_graph *g,
		   struct bd_error *err);

/*
 * After bd_input_graph and the identify stage: the SBOMs the artifacts
 * carry merged into g (bd_carried_merge), each with its artifact's
 * component. Returns 0 or BD_ENOMEM.
 */
int bd_input_carried(struct bd_input *in, struct bd_graph *g,
		     struct bd_error *err);

#endif
