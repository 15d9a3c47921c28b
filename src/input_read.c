/* SPDX-License-Identifier: MIT */
/*
 * One artifact: streamed once into its own tree of the private directory
 * (only ELF files, links, nested archives; manifests into memory), named
 * from its manifest (bindep/artifact.h), then moved to where it would be
 * installed (bindep/input.h).
 */
#include "bindep/artifact.h"
#include "bindep/dirnames.h"
#include "bindep/hash.h"
#include "bindep/pkgdb.h"
#include "bindep/progress.h"
#include "bindep/scan.h"
#include "input_private.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define PRIVATE_TOP ".bindep-sbom"
#define TREES	    PRIVATE_TOP "/tree"
/* The packages' files put aside by bd_input_fold_links (shadow). */
#define SHADOWED PRIVATE_TOP "/shadowed"

/* The names a zip's stream offered (its local headers), for the look at
 * its central directory after it (look_for_hidden). */
struct zip_seen {
	uint64_t size; /* as its header says; 0: not said (a data
			  descriptor's) */
	char head[BD_SHA256_HEX_LEN + 1]; /* the SHA-256 of its first
					     bytes: a crafted zip chooses
					     them */
};

struct zip_names {
	struct bd_map seen; /* name -> index in what */
	struct zip_seen *what;
	size_t nwhat, awhat;
	struct bd_arena text;
	bool whole;	/* the stream read every entry, to the end */
	char *first;	/* the first name only the directory lists */
	size_t nhidden; /* how many it lists so */
};

struct ex {
	struct bd_input *in;
	size_t ai;
	enum bd_archive_kind kind; /* of the artifact's outer stream */
	bool outer;		   /* reading the outer stream */
	int rc;			   /* BD_ENOMEM met in a callback */
	struct zip_names *zip;	   /* a zip: its names noted, or looked up */
	bool central;		   /* reading a zip by its central directory */
	bool conda_pkg;		   /* reading a .conda's pkg- tarball */
	bool deb_data;		   /* reading a .deb's data.tar */
	bool own_info, own_pkg;	   /* a zip's first info-, pkg- tarball */
};

static struct bd_input_artifact *art(struct ex *x)
{
	return &x->in->arts[x->ai];
}

/* The artifact was not read whole (said in a warning): why, the first
 * reason, for its component (an incomplete assembly, as a file that
 * could not be read is). why is "'name': reason" or the reason. */
static void not_whole(struct bd_input *in, size_t ai, const char *why)
{
	struct bd_input_artifact *a = &in->arts[ai];
	if (a->error)
		return;
	a->error = bd_arena_strdup(&in->arena, bd_error_reason(why));
	if (!a->error)
		a->error = "not read whole";
}

/* Whether one more entry may be remembered: the caps of the artifact and
 * of the run (input.h), each warned about once. */
static bool room(struct ex *x)
{
	struct bd_input *in = x->in;
	struct bd_input_artifact *a = art(x);
	size_t run = in->opts.max_entries * 4;

	if (a->nentries >= in->opts.max_entries) {
		if (!a->capped)
			bd_diag_report(in->diag, BD_DIAG_WARNING,
				       "'%s': more than %zu entries to keep, "
				       "the rest skipped",
				       a->display, in->opts.max_entries);
		a->capped = true;
		not_whole(in, x->ai,
			  "more than the entries kept of one "
			  "artifact, the rest skipped");
		return false;
	}
	if (in->nentries >= run) {
		if (!in->capped)
			bd_diag_report(in->diag, BD_DIAG_WARNING,
				       "'%s': the artifacts hold more than %zu "
				       "entries to keep, the rest skipped",
				       a->display, run);
		in->capped = true;
		not_whole(in, x->ai,
			  "more than the entries kept of the run's "
			  "artifacts, the rest skipped");
		return false;
	}
	return true;
}

/* Remembers an entry to be written, as act; STOP on BD_ENOMEM (x->rc). */
static enum bd_archive_action remember(struct ex *x, const char *name, bool elf,
				       bool nested, enum bd_archive_action act)
{
	struct bd_input_artifact *a = art(x);
	const char *copy = bd_arena_strdup(&x->in->arena, name);

	if (!copy || BD_GROW(a->entries, a->aentries, a->nentries + 1)) {
		x->rc = BD_ENOMEM;
		return BD_ARCHIVE_STOP;
	}
	a->entries[a->nentries++] =
		(struct bd_input_entry){ copy, elf, nested, false };
	x->in->nentries++;
	return act;
}

/* Remembers an entry to be written: WRITE; SKIP past a cap (then it is
 * not written either); STOP on BD_ENOMEM (x->rc). */
static enum bd_archive_action add_entry(struct ex *x, const char *name,
					bool elf, bool nested)
{
	if (!room(x))
		return BD_ARCHIVE_SKIP;
	/* The writer skips it, said and counted there: not remembered, as
	 * keep_written would look each up for nothing (34,000 past the cap
	 * of a tarball of 100,000 symlinks cost 170,000 openat(2)). */
	if (x->in->written.made >= x->in->written.max)
		return BD_ARCHIVE_WRITE;
	return remember(x, name, elf, nested, BD_ARCHIVE_WRITE);
}

/*
 * Remembers one of a package's own inner archives (a .deb's control.tar
 * and data.tar, a .conda's info- and pkg- tarballs), read as the package
 * itself and removed once read: written uncounted (BD_ARCHIVE_WRITE_OWN),
 * so that a package read past the run's budget of files written is still
 * named. Its callers let through one of each kind an artifact.
 */
static enum bd_archive_action own_entry(struct ex *x, const char *name)
{
	return room(x) ? remember(x, name, false, true, BD_ARCHIVE_WRITE_OWN)
		       : BD_ARCHIVE_SKIP;
}

/* Whether name is an npm tarball's package.json: npm extracts a tarball
 * with its one top directory stripped, whatever its name (pacote's tar
 * options, strip: 1), so "package/" as `npm pack` writes it, or
 * "turbo-linux-x64/" as turbo-linux-64's publishing does. Only
 * "package/" in a zip: a wheel's "pkg/package.json" is a data file. */
static bool npm_manifest(const struct ex *x, const char *name)
{
	const char *slash = strchr(name, '/');

	if (!strcmp(name, "package/package.json"))
		return true;
	return x->kind == BD_ARCHIVE_TAR && slash && slash > name &&
	       !strcmp(slash, "/package.json");
}

/* The manifests that name an artifact (issue 12, point 6). */
static const char **manifest_slot(struct ex *x, const char *name)
{
	struct bd_input_artifact *a = art(x);
	const char *slash = strchr(name, '/');

	if (npm_manifest(x, name))
		return &a->m_package_json;
	if (!strcmp(name, ".PKGINFO"))
		return &a->m_pkginfo;
	if (!strcmp(name, "info/index.json"))
		return &a->m_index_json;
	/* Any case, as Java's JarFile reads it (jar_entry too). */
	if (!strcasecmp(name, "META-INF/MANIFEST.MF"))
		return &a->m_manifest_mf;
	if (!fnmatch("META-INF/maven/*/*/pom.properties", name, FNM_PATHNAME))
		return &a->m_pom;
	if (x->kind == BD_ARCHIVE_AR && !strcmp(name, "control"))
		return &a->m_control;
	/* the data tarball's, which dpkg installs; not the control.tar's */
	if (x->kind == BD_ARCHIVE_AR && x->deb_data &&
	    !fnmatch("usr/share/doc/*/copyright", name, FNM_PATHNAME))
		return &a->m_copyright;
	if (slash && !strcmp(slash, "/METADATA") && slash - name > 10 &&
	    !strncmp(slash - 10, ".dist-info", 10))
		return &a->m_metadata;
	return NULL;
}

/* A .deb's members and a .conda's inner tarballs are read as part of the
 * artifact itself (deb(5); conda's package format v2). */
static bool flattened(const struct ex *x, const char *name)
{
	if (strchr(name, '/'))
		return false;
	if (x->kind == BD_ARCHIVE_AR)
		return !strncmp(name, "control.tar", 11) ||
		       !strncmp(name, "data.tar", 8);
	return x->kind == BD_ARCHIVE_ZIP &&
	       (!fnmatch("info-*.tar.*", name, 0) ||
		!fnmatch("pkg-*.tar.*", name, 0));
}

/* Whether the .deb being streamed has a member starting so, kept to be
 * read (flattened). */
static bool deb_has(struct ex *x, const char *prefix)
{
	const struct bd_input_artifact *a = art(x);
	size_t i, n = strlen(prefix);

	for (i = 0; i < a->nentries; i++)
		if (a->entries[i].nested &&
		    !strncmp(a->entries[i].name, prefix, n))
			return true;
	return false;
}

/*
 * A member of a .deb's ar, as dpkg-deb reads it (dpkg-deb/extract.c):
 * debian-binary, the control.tar, then the first data.tar member, where
 * it stops; a member whose name starts with '_' is skipped (deb(5):
 * noncritical); any other one, it refuses. Only those two tarballs are
 * the package: no other member is one of its files (an ELF member was
 * laid out at the root), names it ("control") or is read as its SBOM.
 */
static enum bd_archive_action deb_member(struct ex *x, const char *name)
{
	bool control = !strncmp(name, "control.tar", 11);

	if (!flattened(x, name))
		return BD_ARCHIVE_SKIP;
	/* A second control.tar dpkg-deb refuses; a data.tar before it too,
	 * and one after the first it never reads. */
	if (deb_has(x, "control.tar") == control || deb_has(x, "data.tar"))
		return BD_ARCHIVE_SKIP;
	return own_entry(x, name);
}

/* Whether e is a file the identify stage reads beside a library: one of
 * the names it asked for, small enough to be read. */
static bool companion(const struct ex *x, const struct bd_archive_entry *e)
{
	const struct bd_input_options *o = &x->in->opts;
	const char *slash = strrchr(e->name, '/');
	const char *base = slash ? slash + 1 : e->name;
	size_t i;

	if (e->type != BD_ENTRY_FILE || e->size > o->companion_max)
		return false;
	for (i = 0; i < o->ncompanions; i++)
		if (!strcmp(base, o->companions[i]))
			return true;
	return false;
}

/*
 * Whether name is the first info- or the first pkg- tarball of a zip (a
 * .conda's, conda's package format v2): the package itself, read as part
 * of it (flattened) and written as own_entry. Two an artifact at most;
 * any more count as other entries.
 */
static bool own_tarball(struct ex *x, const char *name)
{
	bool *had;

	if (!x->outer || x->kind != BD_ARCHIVE_ZIP || !flattened(x, name))
		return false;
	had = name[0] == 'i' ? &x->own_info : &x->own_pkg;
	if (*had)
		return false;
	*had = true;
	return true;
}

static enum bd_archive_action select_file(struct ex *x,
					  const struct bd_archive_entry *e,
					  const unsigned char *head,
					  size_t headlen)
{
	enum bd_archive_kind k;

	size_t baselen;

	if (x->kind == BD_ARCHIVE_AR && x->outer)
		return deb_member(x, e->name);
	if (bd_scan_is_elf(head, headlen))
		return add_entry(x, e->name, true, false);
	if (manifest_slot(x, e->name) || bd_carried_is_sbom(e->name, &baselen))
		return BD_ARCHIVE_TAKE;
	/* Neither ELF nor link nor archive: laid out, never scanned. */
	if (companion(x, e))
		return add_entry(x, e->name, false, false);
	if (x->outer && !strcmp(e->name, "metadata.json"))
		art(x)->has_conda_metadata = true;
	k = bd_input_sniff_head(head, headlen);
	/* A static library (an ar that is no .deb) is no artifact; a
	 * gzip'd text proves none when it is read. */
	if (k == BD_ARCHIVE_NONE)
		return BD_ARCHIVE_SKIP;
	if (own_tarball(x, e->name))
		return own_entry(x, e->name);
	return add_entry(x, e->name, false, true);
}

/* An SBOM's name on a link entry: its bytes are another entry's, which
 * is read as an SBOM only under a name of its own; said, not missed in
 * silence. */
static void sbom_link(struct ex *x, const char *name, const char *what)
{
	size_t baselen;

	if (bd_carried_is_sbom(name, &baselen))
		bd_diag_report(x->in->diag, BD_DIAG_WARNING,
			       "'%s!/%s': %s, not read as an SBOM",
			       art(x)->display, name, what);
}

/* Notes what the stream offered under e's name. */
static bool zip_note(struct zip_names *z, const struct bd_archive_entry *e,
		     const unsigned char *head, size_t headlen)
{
	const char *copy = bd_arena_strdup(&z->text, e->name);
	struct zip_seen *w;

	if (!copy || z->nwhat >= UINT32_MAX ||
	    BD_GROW(z->what, z->awhat, z->nwhat + 1))
		return false;
	w = &z->what[z->nwhat];
	w->size = e->size;
	if (bd_sha256_hex(head, headlen, w->head) ||
	    bd_map_put(&z->seen, copy, (uint32_t)z->nwhat))
		return false;
	z->nwhat++;
	return true;
}

/* Whether the central directory's entry e is one the stream offered: the
 * same name, and the same first bytes and size (a local header hidden
 * inside another entry may have its name). 1, 0, or BD_ENOMEM. */
static int zip_seen(const struct zip_names *z, const struct bd_archive_entry *e,
		    const unsigned char *head, size_t headlen)
{
	char hex[BD_SHA256_HEX_LEN + 1];
	uint32_t i;

	if (!bd_map_get(&z->seen, e->name, &i))
		return 0;
	if (e->type != BD_ENTRY_FILE)
		return 1;
	if (bd_sha256_hex(head, headlen, hex))
		return BD_ENOMEM;
	return !strcmp(z->what[i].head, hex) &&
	       (!z->what[i].size || z->what[i].size == e->size);
}

/* A zip's entry: noted as its stream offers it; looked up when its
 * central directory lists it (nothing more is done with it then).
 * Whether to go on with it; false with *act set when not. */
static bool zip_entry(struct ex *x, const struct bd_archive_entry *e,
		      const unsigned char *head, size_t headlen,
		      enum bd_archive_action *act)
{
	struct zip_names *z = x->zip;
	int seen;

	if (!x->central) {
		if (zip_note(z, e, head, headlen))
			return true;
		x->rc = BD_ENOMEM;
		*act = BD_ARCHIVE_STOP;
		return false;
	}
	*act = BD_ARCHIVE_SKIP;
	seen = e->type == BD_ENTRY_DIR ? 1 : zip_seen(z, e, head, headlen);
	if (seen == 0 && !z->nhidden++)
		z->first = bd_arena_strdup(&z->text, e->name);
	if (seen == BD_ENOMEM || (seen == 0 && !z->first)) {
		x->rc = BD_ENOMEM;
		*act = BD_ARCHIVE_STOP;
	}
	return false;
}

/* What only a jar has: its manifest (any case, as Java's JarFile reads
 * it) or Maven's metadata. A META-INF/ alone is no jar: OpenDocument
 * files and EPUBs have one (manifest.xml, container.xml), and were warned
 * about as jars no manifest names (docutils ships styles.odt); nor is a
 * class file (a source zip's test fixture). */
static bool jar_entry(const char *name)
{
	return !strcasecmp(name, "META-INF/MANIFEST.MF") ||
	       !strncmp(name, "META-INF/maven/", 15);
}

/*
 * Whether --exclude leaves out entry e: its location ("dist/x.whl!/x/
 * tests/t.so") or a directory of it in the artifact matches. Not what
 * makes the artifact what it is, which is not left out: a .deb's members
 * and a .conda's inner tarballs (the package itself, never shown), a
 * .conda's metadata.json, the manifests that name it.
 */
static bool excluded(struct ex *x, const struct bd_archive_entry *e)
{
	struct bd_exclude *ex = x->in->opts.exclude;

	if (!bd_exclude_active(ex) || (x->outer && x->kind == BD_ARCHIVE_AR) ||
	    (x->outer &&
	     (flattened(x, e->name) || !strcmp(e->name, "metadata.json"))) ||
	    (e->type == BD_ENTRY_FILE && manifest_slot(x, e->name)))
		return false;
	return bd_exclude_entry(ex, art(x)->display, e->name,
				e->type == BD_ENTRY_DIR);
}

/*
 * An entry --exclude leaves out. What the loader search may meet, an ELF
 * file or a link, is laid out all the same (a library a scanned file
 * needs is found where the loader finds it), marked no input; the rest is
 * not extracted: a nested archive is not read, nor a companion or an SBOM
 * kept.
 */
static enum bd_archive_action left_out(struct ex *x,
				       const struct bd_archive_entry *e,
				       const unsigned char *head,
				       size_t headlen)
{
	struct bd_input_artifact *a = art(x);
	enum bd_archive_action act = BD_ARCHIVE_SKIP;

	if (e->type == BD_ENTRY_SYMLINK)
		act = add_entry(x, e->name, false, false);
	else if (e->type == BD_ENTRY_HARDLINK ||
		 (e->type == BD_ENTRY_FILE && bd_scan_is_elf(head, headlen)))
		act = add_entry(x, e->name, true, false);
	if (act == BD_ARCHIVE_WRITE)
		a->entries[a->nentries - 1].excluded = true;
	return act;
}

static enum bd_archive_action on_entry(void *ctx,
				       const struct bd_archive_entry *e,
				       const unsigned char *head,
				       size_t headlen)
{
	struct ex *x = ctx;
	enum bd_archive_action act;

	if (x->zip && !zip_entry(x, e, head, headlen, &act))
		return act;
	if (jar_entry(e->name))
		art(x)->has_jar_entry = true;
	if (x->outer && x->kind == BD_ARCHIVE_AR &&
	    !strcmp(e->name, "debian-binary"))
		art(x)->has_debian_binary = true;
	if (excluded(x, e))
		return left_out(x, e, head, headlen);
	switch (e->type) {
	case BD_ENTRY_DIR: return BD_ARCHIVE_WRITE;
	case BD_ENTRY_SYMLINK:
		sbom_link(x, e->name, "a symbolic link");
		return add_entry(x, e->name, false, false);
	case BD_ENTRY_HARDLINK:
		sbom_link(x, e->name, "a hard link");
		/* Made only when its target was: then it is that file. */
		return add_entry(x, e->name, true, false);
	default: return select_file(x, e, head, headlen);
	}
}

/* Whether one more SBOM of len bytes may be read in this run (one
 * warning). */
static bool sbom_room(struct bd_input *in, const char *location, size_t len)
{
	if (!in->sboms_capped && in->nsboms < BD_INPUT_MAX_SBOMS &&
	    in->sbom_bytes + len <= BD_INPUT_MAX_SBOM_BYTES) {
		in->sbom_bytes += len;
		return true;
	}
	if (!in->sboms_capped)
		bd_diag_report(in->diag, BD_DIAG_WARNING,
			       "'%s': more than %u embedded SBOMs or %u MiB of "
			       "them in this run, this and the rest skipped",
			       location, BD_INPUT_MAX_SBOMS,
			       BD_INPUT_MAX_SBOM_BYTES >> 20);
	in->sboms_capped = true;
	return false;
}

/* An SBOM the artifact carries (bindep/carried.h): read now, while its
 * bytes are in memory; a bad one is said once and skipped. */
int bd_input_add_sbom(struct bd_input *in, size_t art, const char *prefix,
		      const char *location, const char *base, const void *data,
		      size_t len)
{
	struct bd_carried_sbom s = { 0 };
	struct bd_error e;
	int rc;

	if (!sbom_room(in, location, len))
		return 0;
	rc = bd_carried_parse(&in->arena, data, len, &s, &e);
	if (rc == BD_ENOMEM)
		return rc;
	if (rc == BD_ENOENT) { /* a run's own output: a note */
		bd_diag_report(in->diag, BD_DIAG_INFO, "'%s': %s, skipped",
			       location, e.msg);
		return 0;
	}
	if (rc) {
		bd_diag_report(in->diag, BD_DIAG_WARNING, "'%s': %s, skipping",
			       location, e.msg);
		return 0;
	}
	if (s.ncomps > BD_INPUT_MAX_SBOM_COMPONENTS - in->sbom_comps) {
		if (!in->sboms_capped)
			bd_diag_report(in->diag, BD_DIAG_WARNING,
				       "'%s': more than %u components in the "
				       "embedded SBOMs of this run, this and "
				       "the rest skipped",
				       location, BD_INPUT_MAX_SBOM_COMPONENTS);
		in->sboms_capped = true;
		return 0;
	}
	in->sbom_comps += s.ncomps;
	s.location = location;
	s.base = base;
	if (BD_GROW(in->sboms, in->asboms, in->nsboms + 1))
		return BD_ENOMEM;
	in->sboms[in->nsboms++] = (struct bd_input_sbom){ art, prefix, s };
	return 0;
}

static int take_sbom(struct ex *x, const char *name, size_t baselen,
		     const void *data, size_t len)
{
	struct bd_input *in = x->in;
	const char *location =
		bd_arena_printf(&in->arena, "%s!/%s", art(x)->display, name);
	const char *prefix =
		bd_arena_printf(&in->arena, "%s!/", art(x)->display);
	const char *base = bd_arena_strndup(&in->arena, name, baselen);

	if (!location || !prefix || !base)
		return BD_ENOMEM;
	return bd_input_add_sbom(in, x->ai, prefix, location, base, data, len);
}

static const char *base_name(const char *path);

/* The length of a wheel's distribution name at the start of s: up to
 * its first '-' (the wheel spec escapes any other as '_'). */
static size_t dist_len(const char *s, size_t max)
{
	const char *dash = memchr(s, '-', max);

	return dash ? (size_t)(dash - s) : max;
}

/* Whether a and b are one name as PEP 503 normalises it (pip's
 * canonicalize_name): letter case aside, a run of '-', '_' and '.' is
 * one '-'. */
static bool same_dist(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen && j < blen) {
		bool sa = strchr("-_.", a[i]) != NULL;
		bool sb = strchr("-_.", b[j]) != NULL;

		if (sa != sb || (!sa && tolower((unsigned char)a[i]) !=
						tolower((unsigned char)b[j])))
			return false;
		for (i++; sa && i < alen && strchr("-_.", a[i]); i++)
			;
		for (j++; sb && j < blen && strchr("-_.", b[j]); j++)
			;
	}
	return i == alen && j == blen;
}

/* Whether dir ("real-1.0.dist-info") is the .dist-info the wheel's file
 * name names: "{distribution}-{version}.dist-info" (the wheel spec). */
static bool named_by_file(const char *display, const char *dir)
{
	const char *file = base_name(display);

	return same_dist(file, dist_len(file, strlen(file)), dir,
			 dist_len(dir, strlen(dir) - 10));
}

/* A manifest's text, NUL-terminated, into *slot. Not in the arena: freed
 * once the artifact is named, so that the run does not hold up to
 * BD_ARCHIVE_TAKE_MAX per manifest for each artifact. */
static int keep_manifest(const char **slot, const void *data, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return BD_ENOMEM;
	memcpy(copy, data, len);
	copy[len] = '\0';
	free((char *)*slot);
	*slot = copy;
	return 0;
}

/* A wheel's METADATA ("<dir>/METADATA"): the one of the .dist-info its
 * file name names, else the first; each counted, for a warning when
 * there are several (pip refuses such a wheel: "multiple .dist-info
 * directories found"). */
static int take_metadata(struct ex *x, const char *name, const void *data,
			 size_t len)
{
	struct bd_input_artifact *a = art(x);
	const char *dir = bd_arena_strndup(&x->in->arena, name,
					   (size_t)(strchr(name, '/') - name));

	if (!dir)
		return BD_ENOMEM;
	a->dist_infos++;
	if (a->m_metadata && (named_by_file(a->display, a->metadata_dir) ||
			      !named_by_file(a->display, dir)))
		return 0;
	a->metadata_dir = dir;
	return keep_manifest(&a->m_metadata, data, len);
}

/* The .deb's package name, from its control (read before the data
 * tarball, as dpkg-deb reads them), once; NULL when it names none. */
static const char *deb_name(struct ex *x)
{
	struct bd_input_artifact *a = art(x);
	struct bd_artifact_id id;
	struct bd_error err;

	if (a->deb_name_read || !a->m_control)
		return a->deb_name;
	a->deb_name_read = true;
	bd_artifact_id_init(&id);
	if (!bd_artifact_deb(a->m_control, NULL, &id, &err) && id.name.len)
		a->deb_name = bd_arena_strdup(&x->in->arena, id.name.data);
	bd_artifact_id_release(&id);
	return a->deb_name;
}

static bool is_deb_name(struct ex *x, const char *dir, size_t len)
{
	const char *own = deb_name(x);

	return own && strlen(own) == len && !memcmp(own, dir, len);
}

/* A .deb's "usr/share/doc/<dir>/copyright" and its <dir>: the one of
 * the package's own doc directory, else the first (dpkg-deb sorts the
 * data tarball: another's, usr/share/doc/aaa's, may come first). */
static int take_copyright(struct ex *x, const char *name, const void *data,
			  size_t len)
{
	struct bd_input_artifact *a = art(x);
	const char *dir = name + strlen("usr/share/doc/");
	size_t dlen = (size_t)(strchr(dir, '/') - dir);

	if (a->m_copyright &&
	    (is_deb_name(x, a->copyright_dir, strlen(a->copyright_dir)) ||
	     !is_deb_name(x, dir, dlen)))
		return 0;
	a->copyright_dir = bd_arena_strndup(&x->in->arena, dir, dlen);
	if (!a->copyright_dir)
		return BD_ENOMEM;
	return keep_manifest(&a->m_copyright, data, len);
}

static int on_take(void *ctx, const struct bd_archive_entry *e,
		   const void *data, size_t len)
{
	struct ex *x = ctx;
	const char **slot = manifest_slot(x, e->name);
	size_t baselen;

	if (!slot && bd_carried_is_sbom(e->name, &baselen))
		return take_sbom(x, e->name, baselen, data, len);
	/* A .conda's metadata is its info- tarball's (conda's package format
	 * v2): one in the pkg- tarball, which comes first, names nothing. */
	if (slot == &art(x)->m_index_json && x->conda_pkg) {
		bd_diag_report(x->in->diag, BD_DIAG_WARNING,
			       "'%s!/%s': in the package's pkg- tarball, not "
			       "its info- one, where conda reads it: not read",
			       art(x)->display, e->name);
		return 0;
	}
	if (slot == &art(x)->m_metadata)
		return take_metadata(x, e->name, data, len);
	if (slot == &art(x)->m_copyright)
		return take_copyright(x, e->name, data, len);
	/* `npm pack`'s own top directory wins over another seen before. */
	if (slot == &art(x)->m_package_json && *slot &&
	    !strcmp(e->name, "package/package.json")) {
		free((char *)*slot);
		*slot = NULL;
	}
	if (!slot || *slot)
		return 0; /* the first one counts */
	if (slot == &art(x)->m_package_json &&
	    !(art(x)->npm_manifest = bd_arena_strdup(&x->in->arena, e->name)))
		return BD_ENOMEM;
	return keep_manifest(slot, data, len);
}

void bd_input_drop_manifests(struct bd_input_artifact *a)
{
	const char **m[] = { &a->m_metadata,	&a->m_package_json,
			     &a->m_control,	&a->m_pkginfo,
			     &a->m_index_json,	&a->m_pom,
			     &a->m_manifest_mf, &a->m_copyright };
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(m); i++) {
		free((char *)*m[i]);
		*m[i] = NULL;
	}
}

/* ---- directories of the private tree ----------------------------------- */

/* Makes the relative directory path under dirfd, every component a real
 * directory (never through a symlink an artifact put there). */
static int make_dirs(int dirfd, const char *path)
{
	char buf[4096];
	char *p = buf;
	int fd = dup(dirfd);

	if (fd < 0 || strlen(path) >= sizeof(buf)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	strcpy(buf, path);
	while (p && *p && fd >= 0) {
		char *slash = strchr(p, '/');
		int next;

		if (slash)
			*slash = '\0';
		if (mkdirat(fd, p, 0700) && errno != EEXIST) {
			close(fd);
			return -1;
		}
		next = openat(fd, p,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash ? slash + 1 : NULL;
	}
	return fd;
}

/* The files of an artifact that an artifact laid out before it holds
 * too, with other bytes: how many, and the first met ("/usr/lib/x"). */
struct clashes {
	size_t n;
	struct bd_buf at;    /* the directory being merged, "/usr/lib" */
	struct bd_buf first; /* "" until one */
	/* Its directories where one before it put a file or a link (a
	 * usr-merge link, /lib -> usr/lib, that dpkg would install through):
	 * what is in them stays in its own tree. */
	size_t dirs;
	struct bd_buf first_dir;
	/* Packages laid out at the root: a top directory goes through a
	 * usr-merge link an earlier one made (usr_merged), as dpkg installs
	 * it; the fold recorded in it. NULL: not followed. */
	struct bd_input *through;
};

/* Whether name in from and in to are the same bytes (or links to the same
 * target): two Multi-Arch: same packages share such files, as dpkg lets
 * them. */
static bool same_file(int from, int to, const char *name, const struct stat *a,
		      const struct stat *b)
{
	char x[4096], y[4096];
	ssize_t n, m;
	int fa, fb;
	bool same;
	size_t k;

	if (S_ISLNK(a->st_mode) && S_ISLNK(b->st_mode)) {
		n = readlinkat(from, name, x, sizeof(x));
		m = readlinkat(to, name, y, sizeof(y));
		return n >= 0 && n == m && !memcmp(x, y, (size_t)n);
	}
	if (!S_ISREG(a->st_mode) || !S_ISREG(b->st_mode) ||
	    a->st_size != b->st_size)
		return false;
	fa = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	fb = openat(to, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	same = fa >= 0 && fb >= 0;
	/* Regular files of one size, in our private tree: block by block. */
	for (k = 0; same; k++) {
		n = pread(fa, x, sizeof(x), (off_t)(k * sizeof(x)));
		m = pread(fb, y, sizeof(y), (off_t)(k * sizeof(y)));
		same = n >= 0 && n == m && !memcmp(x, y, (size_t)n);
		if (n <= 0)
			break;
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

/* Keeps the first path by name, whatever order directories list them in. */
static void keep_first(struct bd_buf *first, const struct bd_buf *at,
		       const char *name)
{
	struct bd_buf path = BD_BUF_INIT;

	bd_buf_printf(&path, "%s/%s", at->data ? at->data : "", name);
	if (bd_buf_ok(&path) &&
	    (!first->len || strcmp(path.data, first->data) < 0)) {
		bd_buf_reset(first);
		bd_buf_adds(first, path.data);
	}
	bd_buf_release(&path);
}

static void note_clash(struct clashes *c, int from, int to, const char *name,
		       const struct stat *a, const struct stat *b)
{
	if (!c || (S_ISDIR(a->st_mode) && S_ISDIR(b->st_mode)))
		return;
	if (S_ISDIR(a->st_mode)) {
		c->dirs++;
		keep_first(&c->first_dir, &c->at, name);
	} else if (!same_file(from, to, name, a, b)) {
		c->n++;
		keep_first(&c->first, &c->at, name);
	}
}

/*
 * A top name an earlier package made a usr-merge link (base-files' and
 * Fedora's filesystem's lib -> usr/lib): the directory it names in root,
 * made if need be, for a later package's lib/ to go into, as dpkg
 * installs it through the link; the fold recorded, for its files to be
 * found by their names (bd_input_place). Only "usr/<name>" or
 * "/usr/<name>", one component, is taken: no other link is followed.
 * -1 for any other link, or past BD_INPUT_MAX_FOLDS.
 */
static int usr_merged(struct bd_input *in, int root, const char *name)
{
	char target[NAME_MAX + 8];
	ssize_t n = readlinkat(root, name, target, sizeof(target) - 1);
	const char *to = target, *top;
	size_t i;
	int usr, dir = -1;

	if (n <= 0)
		return -1;
	target[n] = '\0';
	to += *to == '/';
	if (strncmp(to, "usr/", 4) || strcmp(to + 4, name))
		return -1;
	for (i = 0; i < in->nfolds; i++)
		if (!strcmp(in->folds[i].from, name))
			break;
	if (i == in->nfolds && in->nfolds >= BD_INPUT_MAX_FOLDS)
		return -1;
	/* usr/ must be there already (no link followed to it): its <name>
	 * is made, as dpkg's unpacking through the link would. */
	usr = openat(root, "usr",
		     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (usr >= 0) {
		dir = make_dirs(usr, name);
		close(usr);
	}
	top = dir >= 0 && i == in->nfolds ? bd_arena_strdup(&in->arena, name)
					  : NULL;
	if (top)
		in->folds[in->nfolds++] = (struct bd_input_fold){
			top, bd_arena_printf(&in->arena, "usr/%s", name)
		};
	return dir;
}

static void merge_move(int from, int to, int depth, struct clashes *c);

/* Whether a top directory (a, of the package) may go through a link an
 * earlier package made at its name (b): packages laid out at the root
 * only (usr_merged says which links). */
static bool through(const struct clashes *c, const struct stat *a,
		    const struct stat *b)
{
	return c && c->through && S_ISDIR(a->st_mode) && S_ISLNK(b->st_mode);
}

/* Whether name, a top name of from, goes through a link in to: taken
 * after all the others (merge_move). */
static bool through_link(int from, int to, const char *name,
			 const struct clashes *c)
{
	struct stat a, b;

	return c && c->through && !fstatat(to, name, &b, AT_SYMLINK_NOFOLLOW) &&
	       !fstatat(from, name, &a, AT_SYMLINK_NOFOLLOW) &&
	       through(c, &a, &b);
}

/* Moves name from from into to, or merges it there (merge_move). */
static void merge_one(int from, int to, int depth, const char *name,
		      struct clashes *c)
{
	struct stat a, b;
	size_t at = c ? c->at.len : 0;
	int sa, sb;

	if (!renameat2(from, name, to, name, RENAME_NOREPLACE))
		return;
	if (errno != EEXIST || depth > 256 ||
	    fstatat(from, name, &a, AT_SYMLINK_NOFOLLOW) ||
	    fstatat(to, name, &b, AT_SYMLINK_NOFOLLOW))
		return;
	sb = !depth && through(c, &a, &b) ? usr_merged(c->through, to, name)
					  : -1;
	if (sb < 0)
		note_clash(c, from, to, name, &a, &b);
	if (sb < 0 && (!S_ISDIR(a.st_mode) || !S_ISDIR(b.st_mode)))
		return;
	sa = openat(from, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sb < 0)
		sb = openat(to, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c)
		bd_buf_printf(&c->at, "/%s", name);
	if (sa >= 0 && sb >= 0)
		merge_move(sa, sb, depth + 1, c);
	if (c && bd_buf_ok(&c->at))
		c->at.data[c->at.len = at] = '\0';
	if (sa >= 0)
		close(sa);
	if (sb >= 0)
		close(sb);
	/* Emptied, it goes: an empty /lib/x86_64-linux-gnu left there would
	 * still hide the root's /lib link (bd_input_fold_links). Not empty,
	 * it stays. */
	unlinkat(from, name, AT_REMOVEDIR);
}

/* Moves what is in from into to, merging directories that both have;
 * what cannot move (a name to already has as a file) stays where it is,
 * counted in c (NULL: not counted) when its bytes differ. The top
 * directories that go through a usr-merge link go last, by name: what
 * the package has under usr/ itself is there first, and the folds are
 * taken in one order, whatever order readdir lists them in (tmpfs: the
 * newest first; ext4: by a hash of the file system's). */
static void merge_move(int from, int to, int depth, struct clashes *c)
{
	int fd = dup(from);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	char **later = NULL;
	size_t n = 0, alloc = 0, i;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		/* A package's own ".bindep-sbom" stays in its tree: merged,
		 * it would put files where the next artifacts are streamed
		 * and laid out, and they would be taken for theirs. */
		if (!depth && !strcmp(de->d_name, PRIVATE_TOP))
			continue;
		if (!depth && through_link(from, to, de->d_name, c) &&
		    !BD_GROW(later, alloc, n + 1) &&
		    (later[n] = strdup(de->d_name)) != NULL) {
			n++;
			continue;
		}
		merge_one(from, to, depth, de->d_name, c);
	}
	closedir(d);
	if (n > 1)
		qsort(later, n, sizeof(*later), bd_cmp_str);
	for (i = 0; i < n; i++) {
		merge_one(from, to, depth, later[i], c);
		free(later[i]);
	}
	free(later);
}

/* ---- naming ---------------------------------------------------------- */

/* An rpm's header (the lead, then the signature header padded to 8 bytes,
 * then the header: rpm's "Package File Format"), read into memory. */
#define RPM_LEAD       96
#define RPM_HEADER_MAX (64u << 20)
#define RPM_INDEX_MAX  0x10000u
static int rpm_section(int fd, off_t at, unsigned char **blob, size_t *len)
{
	unsigned char intro[16];
	uint32_t il, dl;
	ssize_t n = pread(fd, intro, sizeof(intro), at);

	if (n != (ssize_t)sizeof(intro) || memcmp(intro, "\x8e\xad\xe8\x01", 4))
		return BD_EFORMAT;
	memcpy(&il, intro + 8, 4);
	memcpy(&dl, intro + 12, 4);
	il = ntohl(il);
	dl = ntohl(dl);
	if (il > RPM_INDEX_MAX || dl > RPM_HEADER_MAX)
		return BD_ELIMIT;
	*len = 8 + (size_t)il * 16 + dl;
	*blob = malloc(*len);
	if (!*blob)
		return BD_ENOMEM;
	n = pread(fd, *blob, *len, at + 8);
	if (n != (ssize_t)*len) {
		free(*blob);
		*blob = NULL;
		return BD_EFORMAT;
	}
	return 0;
}

static int rpm_identity(const char *host, struct bd_artifact_id *id,
			struct bd_error *err)
{
	struct bd_rpm_header h;
	unsigned char *sig = NULL, *blob = NULL;
	size_t siglen = 0, len = 0;
	struct stat st;
	int fd, rc;

	rc = bd_root_open(NULL, host, 0, 0, &fd, &st, err);
	if (rc)
		return rc;
	rc = rpm_section(fd, RPM_LEAD, &sig, &siglen);
	if (!rc)
		rc = rpm_section(fd, RPM_LEAD + 8 + ((siglen + 7) & ~(size_t)7),
				 &blob, &len);
	close(fd);
	free(sig);
	memset(&h, 0, sizeof(h));
	if (!rc)
		rc = bd_rpm_parse_header(blob, len, &h);
	if (!rc)
		rc = bd_artifact_rpm(&h, NULL, id, err);
	else if (rc != BD_ENOMEM)
		bd_error_set(err, rc, "malformed rpm header");
	bd_rpm_header_release(&h);
	free(blob);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *bang = strrchr(path, '!');
	const char *slash = strrchr(bang ? bang : path, '/');

	return slash ? slash + 1 : path;
}

static void classify(struct bd_input_artifact *a, enum bd_archive_kind kind)
{
	if (kind == BD_ARCHIVE_RPM)
		a->type = "rpm";
	else if (kind == BD_ARCHIVE_AR)
		a->type = "deb";
	else if (a->m_pkginfo)
		a->type = "apk";
	else if (a->has_conda_metadata || a->m_index_json)
		a->type = "conda";
	else if (a->m_package_json)
		a->type = "npm";
	else if (a->m_metadata)
		a->type = "wheel";
	else if (kind == BD_ARCHIVE_ZIP && a->has_jar_entry)
		a->type = "jar";
	else
		a->type = kind == BD_ARCHIVE_ZIP ? "zip" : "tarball";
}

/* A .deb's identity from its control file, and the licence its
 * machine-readable copyright file declares, read as the installed
 * package's is (bd_dpkg_copyright_parse): the one dpkg installs as
 * /usr/share/doc/<Package>/copyright. */
static int deb_identity(const struct bd_input_artifact *a,
			struct bd_artifact_id *id, struct bd_error *err)
{
	int rc = bd_artifact_deb(a->m_control, NULL, id, err);

	if (rc || !a->m_copyright || strcmp(a->copyright_dir, id->name.data))
		return rc;
	if (bd_dpkg_copyright_parse(a->m_copyright, strlen(a->m_copyright),
				    &id->license, &id->license_text))
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	return 0;
}

static int identify(struct bd_input_artifact *a, struct bd_artifact_id *id,
		    struct bd_error *err)
{
	const char *t = a->type;

	if (!strcmp(t, "rpm"))
		return a->manifest = "rpm header",
		       rpm_identity(a->host, id, err);
	if (!strcmp(t, "deb") && a->m_control)
		return a->manifest = "control", deb_identity(a, id, err);
	if (!strcmp(t, "apk"))
		return a->manifest = ".PKGINFO",
		       bd_artifact_apk(a->m_pkginfo, NULL, id, err);
	if (!strcmp(t, "conda") && a->m_index_json)
		return a->manifest = "info/index.json",
		       bd_artifact_conda(a->m_index_json, id, err);
	if (!strcmp(t, "npm")) {
		int rc = bd_artifact_npm(a->m_package_json, 0, id, err);

		if (!rc || rc == BD_ENOMEM ||
		    !strcmp(a->npm_manifest, "package/package.json"))
			return a->manifest = a->npm_manifest, rc;
		/* Another top directory's package.json naming no package
		 * (an application's, "private"): a release tarball's. */
		bd_artifact_id_release(id);
		bd_artifact_id_init(id);
		a->type = t = "tarball";
		a->npm_manifest = NULL;
	}
	if (!strcmp(t, "wheel"))
		return a->manifest = "METADATA",
		       bd_artifact_wheel(a->m_metadata, base_name(a->display),
					 0, id, err);
	if (!strcmp(t, "jar") && a->m_pom)
		return a->manifest = "pom.properties",
		       bd_artifact_maven(a->m_pom, id, err);
	if (!strcmp(t, "jar") && a->m_manifest_mf) {
		/* One that names nothing (a bare `jar cf` manifest) is no
		 * fault, as a plain zip is none: its name is its file's, and
		 * a MANIFEST.MF gives no purl anyway. */
		int rc = bd_artifact_jar_manifest(a->m_manifest_mf, id, err);

		a->manifest = "MANIFEST.MF";
		return rc == BD_ENOENT ? 0 : rc;
	}
	if (!strcmp(t, "zip"))
		return 0; /* a plain zip names nothing: no purl, no fault */
	if (!strcmp(t, "tarball")) {
		int rc = bd_artifact_generic(base_name(a->display), id, err);

		return rc == BD_ENOENT ? 0 : rc;
	}
	return bd_error_set(err, BD_EFORMAT, "no manifest names it");
}

/* A part of the artifact's identity, in the input's arena: NULL when it
 * has none. 1 when out of memory. */
static int kept(struct bd_input *in, const struct bd_buf *part,
		const char **out)
{
	return bd_arena_keep(&in->arena, part->data, part->len, out);
}

/* A wheel with several .dist-info directories, which pip refuses: said,
 * with the one that names it (take_metadata). */
static void say_dist_infos(struct bd_input *in,
			   const struct bd_input_artifact *a)
{
	if (strcmp(a->type, "wheel") || a->dist_infos < 2)
		return;
	bd_diag_report(in->diag, BD_DIAG_WARNING,
		       "'%s': %u .dist-info directories, which pip refuses: "
		       "named by '%s'",
		       a->display, a->dist_infos, a->metadata_dir);
}

static int name_artifact(struct bd_input *in, size_t ai,
			 enum bd_archive_kind kind)
{
	struct bd_input_artifact *a = &in->arts[ai];
	struct bd_artifact_id id;
	struct bd_error e;
	int rc;

	classify(a, kind);
	say_dist_infos(in, a);
	bd_artifact_id_init(&id);
	/* An rpm's header is read in place, whatever became of its payload
	 * (cut short, compressed by what is not linked in): it still names
	 * the package. The payload's warning was the one said. */
	rc = a->failed && kind != BD_ARCHIVE_RPM ? 0 : identify(a, &id, &e);
	if (rc == BD_ENOMEM) {
		bd_artifact_id_release(&id);
		return rc;
	}
	if (rc && !a->failed)
		bd_diag_report(in->diag, BD_DIAG_WARNING,
			       "'%s': %s, its purl unknown", a->display, e.msg);
	a->name = bd_arena_strdup(&in->arena, id.name.len
						      ? bd_buf_str(&id.name)
						      : base_name(a->display));
	rc = kept(in, &id.version, &a->version) | kept(in, &id.purl, &a->purl) |
	     kept(in, &id.source, &a->source) |
	     kept(in, &id.source_version, &a->source_version) |
	     kept(in, &id.license, &a->license) |
	     kept(in, &id.license_text, &a->license_text);
	bd_artifact_id_release(&id);
	return a->name && !rc ? 0 : BD_ENOMEM;
}

/* ---- layout ------------------------------------------------------------- */

/* "@scope/name" or "name", as npm allows it: no other "/", nothing that
 * leaves node_modules. */
static bool npm_name_ok(const char *n)
{
	const char *slash = strchr(n, '/');
	size_t len = strlen(n);

	if (!len || len > 214 || n[0] == '.' || strstr(n, "..") ||
	    strchr(n, '\\'))
		return false;
	if (n[0] == '@')
		return slash && slash > n + 1 && slash[1] && slash[1] != '.' &&
		       !strchr(slash + 1, '/');
	return !slash;
}

static void move_into(struct bd_input *in, const char *tree, const char *to,
		      struct clashes *c)
{
	int from = make_dirs(in->rootfd, tree);
	int dest = *to ? make_dirs(in->rootfd, to) : dup(in->rootfd);

	if (from >= 0 && dest >= 0)
		merge_move(from, dest, 0, c);
	if (from >= 0)
		close(from);
	if (dest >= 0)
		close(dest);
}

static const char *place_npm(struct bd_input *in, struct bd_input_artifact *a)
{
	const char *name = a->npm_manifest ? a->name : NULL;
	const char *top = a->npm_manifest;
	size_t toplen = top ? (size_t)(strchr(top, '/') - top) + 1 : 0;
	char *dir, *at;
	int fd;

	if (!name || !npm_name_ok(name))
		return NULL;
	dir = bd_arena_printf(&in->arena, ".bindep-sbom/node_modules/%s", name);
	if (!dir)
		return NULL;
	at = strrchr(dir, '/');
	*at = '\0';
	fd = make_dirs(in->rootfd, dir);
	*at = '/';
	if (fd < 0)
		return NULL;
	close(fd);
	if (renameat2(in->rootfd,
		      bd_arena_printf(&in->arena, "%s/%.*s", a->tree,
				      (int)toplen - 1, top),
		      in->rootfd, dir, RENAME_NOREPLACE))
		return NULL;
	a->strip = bd_arena_strndup(&in->arena, top, toplen);
	return bd_arena_printf(&in->arena, "/%s/", dir);
}

/* The rest of a wheel's entry name in <name>.data/purelib/ or platlib/,
 * which pip installs into site-packages itself (the wheel spec's .data
 * directory; pip's data_scheme_file_maker takes any top directory named
 * *.data): "pkg/_x.so" of "x-1.0.data/platlib/pkg/_x.so". NULL for any
 * other name. */
static const char *wheel_lib_rest(const char *name)
{
	const char *slash = strchr(name, '/'), *rest;

	if (!slash || slash - name < 5 || strncmp(slash - 5, ".data", 5))
		return NULL;
	rest = slash + 1;
	if (strncmp(rest, "purelib/", 8) && strncmp(rest, "platlib/", 8))
		return NULL;
	return rest[8] ? rest + 8 : NULL;
}

/*
 * The names of dir's entries that keep takes, the smallest max of them,
 * sorted (bd_dirnames_read): readdir's order is the file system's (tmpfs:
 * the newest first), and neither what is done with them in order nor
 * which are taken past max may depend on it. Returns 0 or BD_ENOMEM (then
 * none).
 */
static int sorted_names(int dir, bd_dirnames_keep_fn keep, size_t max,
			struct bd_dirnames *out)
{
	int fd = dir >= 0 ? dup(dir) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	int rc;

	bd_dirnames_init(out);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	rc = bd_dirnames_read(d, keep, NULL, max, out);
	closedir(d);
	return rc;
}

/* A top directory named *.data (the wheel spec's .data directory). */
static bool data_dir(void *ctx, const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	(void)ctx;
	return len >= 5 && !strcmp(de->d_name + len - 5, ".data");
}

/* A wheel's .data/purelib/ and platlib/ (wheel_lib_rest) moved into
 * site-packages, before its root: pip writes them after the root's
 * files, over any of the same name. Neither is entered through a link. */
static void wheel_data(struct bd_input *in, const struct bd_input_artifact *a,
		       const char *to, struct clashes *c)
{
	static const char *const keys[] = { "purelib", "platlib" };
	struct bd_dirnames names;
	int tree = make_dirs(in->rootfd, a->tree), dir;
	size_t i, k;
	struct stat st;

	/* Out of memory listing them: none is moved. */
	(void)sorted_names(tree, data_dir, SIZE_MAX, &names);
	for (i = 0; i < names.n; i++) {
		dir = openat(tree, names.v[i],
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		for (k = 0; dir >= 0 && k < BD_ARRAY_SIZE(keys); k++) {
			const char *sub =
				bd_arena_printf(&in->arena, "%s/%s/%s", a->tree,
						names.v[i], keys[k]);

			if (!sub ||
			    fstatat(dir, keys[k], &st, AT_SYMLINK_NOFOLLOW) ||
			    !S_ISDIR(st.st_mode))
				continue;
			move_into(in, sub, to, c);
			unlinkat(dir, keys[k], AT_REMOVEDIR); /* if emptied */
		}
		if (dir >= 0)
			close(dir);
	}
	bd_dirnames_release(&names);
	if (tree >= 0)
		close(tree);
}

/* Said once an artifact: its files that one laid out before it holds
 * with other bytes stay in its own tree, and the search finds the other's
 * (dpkg refuses such a second package; two releases of one in a dist/). */
static void say_clashes(struct bd_input *in, const struct bd_input_artifact *a,
			const struct clashes *c)
{
	if (c->dirs)
		bd_diag_report(in->diag, BD_DIAG_WARNING,
			       "'%s': %zu of its directories an artifact read "
			       "before it made a file or link ('%s'%s): what "
			       "is in them is kept in its own tree, where the "
			       "loader does not look",
			       a->display, c->dirs,
			       bd_buf_ok(&c->first_dir) ? c->first_dir.data
							: "?",
			       c->dirs > 1 ? " the first" : "");
	if (!c->n)
		return;
	bd_diag_report(in->diag, BD_DIAG_WARNING,
		       "'%s': %zu file%s already given by an artifact read "
		       "before it, with other bytes ('%s'%s): the search finds "
		       "that one's",
		       a->display, c->n, c->n == 1 ? " is" : "s are",
		       bd_buf_ok(&c->first) ? c->first.data : "?",
		       c->n > 1 ? " the first" : "");
}

static int lay_out(struct bd_input *in, size_t ai)
{
	struct bd_input_artifact *a = &in->arts[ai];
	const char *t = a->type, *mount = NULL;
	struct clashes c = {
		0, BD_BUF_INIT, BD_BUF_INIT, 0, BD_BUF_INIT, NULL
	};

	if (!strcmp(t, "wheel")) {
		wheel_data(in, a, ".bindep-sbom/site-packages", &c);
		move_into(in, a->tree, ".bindep-sbom/site-packages", &c);
		mount = "/.bindep-sbom/site-packages/";
	} else if (!strcmp(t, "npm")) {
		mount = place_npm(in, a);
	} else if (!strcmp(t, "deb") || !strcmp(t, "rpm") ||
		   !strcmp(t, "apk")) {
		c.through = in;
		move_into(in, a->tree, "", &c);
		mount = "/";
	} else if (!strcmp(t, "conda")) {
		move_into(in, a->tree, ".bindep-sbom/conda", &c);
		mount = "/.bindep-sbom/conda/";
	}
	say_clashes(in, a, &c);
	bd_buf_release(&c.at);
	bd_buf_release(&c.first);
	bd_buf_release(&c.first_dir);
	a->mount = mount ? mount : bd_arena_printf(&in->arena, "/%s/", a->tree);
	return a->mount ? 0 : BD_ENOMEM;
}

void bd_input_dir_init(struct bd_input_dir *d)
{
	bd_buf_init(&d->rel);
	d->fd = -1;
}

void bd_input_dir_release(struct bd_input_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	bd_buf_release(&d->rel);
	bd_input_dir_init(d);
}

/* The directory rel's first len bytes name ("" the private root), opened
 * one component at a time, each O_NOFOLLOW: a symlink an artifact made (a
 * chain through "d/up -> .." stays inside the archive when read
 * lexically, and leaves it on the host) is never gone through. -1 when a
 * component is none, "..", a symlink or no directory. */
static int open_stored_dir(const struct bd_input *in, const char *rel,
			   size_t len)
{
	char comp[NAME_MAX + 1];
	const char *p = rel, *end = rel + len, *slash;
	int dir = dup(in->rootfd), next;

	while (dir >= 0 && p < end) {
		size_t n;

		slash = memchr(p, '/', (size_t)(end - p));
		n = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (!n || n > NAME_MAX || (n == 2 && !memcmp(p, "..", 2))) {
			close(dir);
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		next = openat(dir, comp,
			      O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dir);
		dir = next;
		p += n + 1;
	}
	return dir;
}

/* rel's directory (len bytes) from d when it has it, else opened and kept
 * there; *owned when the caller closes it (no d, or it cannot keep it). */
static int stored_dir(const struct bd_input *in, struct bd_input_dir *d,
		      const char *rel, size_t len, bool *owned)
{
	int fd;

	*owned = false;
	if (d && d->fd >= 0 && d->rel.len == len &&
	    !memcmp(d->rel.data, rel, len))
		return d->fd;
	fd = open_stored_dir(in, rel, len);
	if (fd < 0 || !d) {
		*owned = fd >= 0;
		return fd;
	}
	bd_input_dir_release(d);
	bd_buf_add(&d->rel, rel, len);
	if (!bd_buf_ok(&d->rel)) {
		bd_input_dir_release(d);
		*owned = true;
		return fd;
	}
	d->fd = fd;
	return fd;
}

int bd_input_lstat(const struct bd_input *in, struct bd_input_dir *d,
		   const char *rel, struct stat *st)
{
	const char *slash = strrchr(rel, '/');
	const char *leaf = slash ? slash + 1 : rel;
	bool owned;
	int dir, rc;

	/* An empty component before the leaf ("/x", "a//x") is refused, as
	 * open_stored_dir refuses one before it. */
	if (!*leaf || !strcmp(leaf, "..") ||
	    (slash && (slash == rel || slash[-1] == '/')))
		return -1;
	dir = stored_dir(in, d, rel, slash ? (size_t)(slash - rel) : 0, &owned);
	if (dir < 0)
		return -1;
	rc = fstatat(dir, leaf, st, AT_SYMLINK_NOFOLLOW);
	if (owned)
		close(dir);
	return rc;
}

static bool stored(const struct bd_input *in, struct bd_input_dir *d,
		   const char *rel)
{
	struct stat st;

	return !bd_input_lstat(in, d, rel, &st);
}

/* Whether the top directory of a (laid out) package's name was folded
 * into a link of the root: the name it is stored under. */
static const char *folded(struct bd_input *in, const char *name)
{
	size_t i, n;

	for (i = 0; i < in->nfolds; i++) {
		n = strlen(in->folds[i].from);
		if (!strncmp(name, in->folds[i].from, n) && name[n] == '/')
			return bd_arena_printf(&in->arena, "%s%s",
					       in->folds[i].to, name + n);
	}
	return name;
}

/* Where entry name of a is installed, below its mount: without the
 * prefix an npm tarball's entries lose; a wheel's .data/purelib/ or
 * platlib/ entry at the top of site-packages (wheel_lib_rest). */
static const char *installed_name(const struct bd_input_artifact *a,
				  const char *name)
{
	size_t strip = a->strip ? strlen(a->strip) : 0;
	const char *rest;

	if (strip && !strncmp(name, a->strip, strip))
		return name + strip;
	if (a->type && !strcmp(a->type, "wheel") &&
	    (rest = wheel_lib_rest(name)) != NULL)
		return rest;
	return name;
}

/* Whether prefix + name, made in p, is stored; *oom when it could not be
 * made. */
static bool stored_as(const struct bd_input *in, struct bd_input_dir *d,
		      struct bd_buf *p, const char *prefix, const char *name,
		      bool *oom)
{
	bd_buf_reset(p);
	bd_buf_adds(p, prefix);
	bd_buf_adds(p, name);
	if (!bd_buf_ok(p))
		*oom = true;
	return !*oom && stored(in, d, p->data + 1);
}

int bd_input_place(struct bd_input *in, struct bd_input_dir *d,
		   const struct bd_input_artifact *a, const char *name,
		   char **inside)
{
	struct bd_buf p = BD_BUF_INIT;
	bool oom, found;

	/* Where the extraction wrote it, else moved by the layout; only the
	 * path found is kept (the arena holds it for the run). */
	bd_buf_printf(&p, "/%s/%s", a->tree, name);
	oom = !bd_buf_ok(&p);
	found = !oom && stored(in, d, p.data + 1);
	name = installed_name(a, name);
	if (!found)
		found = stored_as(in, d, &p, a->mount, name, &oom);
	/* A package's, put aside (shadow), or installed through a link of
	 * the root. */
	if (!found && !strcmp(a->mount, "/"))
		found = stored_as(in, d, &p, "/" SHADOWED "/", name, &oom);
	if (!found && !strcmp(a->mount, "/") &&
	    (name = folded(in, name)) != NULL)
		found = stored_as(in, d, &p, "/", name, &oom);
	*inside = found ? bd_arena_strdup(&in->arena, p.data) : NULL;
	bd_buf_release(&p);
	if (oom || !name || (found && !*inside))
		return BD_ENOMEM;
	return found ? 0 : BD_ENOENT;
}

/* What could not move into the link's target (the same path in two
 * packages, once installed: bookworm's libzstd1 under /lib beside a newer
 * one under /usr/lib) is put aside, under SHADOWED: its files are kept,
 * where the loader does not look, and the one under the target is the
 * installed one. Returns 0, or -1 when it cannot be moved. */
static int shadow(struct bd_input *in, const char *top, const char *to)
{
	int dir = make_dirs(in->rootfd, SHADOWED);
	int rc = dir >= 0 ? renameat(in->rootfd, top, dir, top) : -1;

	if (dir >= 0)
		close(dir);
	if (!rc)
		bd_diag_report(
			in->diag, BD_DIAG_WARNING,
			"'/%s': some files of the packages there are "
			"at paths others take once installed through "
			"the root's link to '/%s': kept aside, where the "
			"loader does not look",
			top, to);
	return rc;
}

/* The root's link at a top name, to a directory inside it: its target,
 * without the leading "/" ("usr/lib"), in the arena; NULL for none. */
static const char *root_link(struct bd_input *in, const struct bd_root *root,
			     const char *top)
{
	struct bd_buf real = BD_BUF_INIT;
	const char *path = bd_arena_printf(&in->arena, "/%s", top), *to = NULL;
	struct stat st;

	if (path && !bd_root_resolve_stat(root, "/", path, true, &real, &st) &&
	    S_ISDIR(st.st_mode) && strcmp(real.data, path) &&
	    strcmp(real.data, "/"))
		to = bd_arena_strdup(&in->arena, real.data + 1);
	bd_buf_release(&real);
	return to;
}

/* A top directory of the upper tree a fold may take (not PRIVATE_TOP). */
static bool top_dir(void *ctx, const struct dirent *de)
{
	(void)ctx;
	return de->d_type == DT_DIR && de->d_name[0] != '.';
}

/* Top directory top moved into the root's link target to, then made the
 * link in the upper tree too: a package's absolute link through it
 * (libc6's /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/...)
 * then resolves in the upper tree, which the overlay tries first as a
 * whole. False: left as laid out. */
static bool fold_one(struct bd_input *in, const char *top, const char *to)
{
	/* A target through a package's own link (Arch's usr/lib64 -> lib)
	 * cannot be made without following it: not folded. */
	int dest = make_dirs(in->rootfd, to);

	if (dest < 0)
		return false;
	close(dest);
	move_into(in, top, to, NULL);
	/* Empty now, unless a name was in both: then what stayed is put
	 * aside (a real /lib would still hide the link). */
	if (!unlinkat(in->rootfd, top, AT_REMOVEDIR) || !shadow(in, top, to))
		symlinkat(to, in->rootfd, top);
	return true; /* what moved is found through the fold */
}

int bd_input_fold_links(struct bd_input *in, const struct bd_root *root)
{
	struct bd_dirnames tops;
	const char *to, *top;
	size_t i;
	/* The order the fold takes them in decides which of two clashing
	 * files is the installed one. */
	int rc = sorted_names(in->rootfd, top_dir, BD_INPUT_MAX_FOLDS, &tops);

	for (i = 0; !rc && i < tops.n && in->nfolds < BD_INPUT_MAX_FOLDS; i++) {
		/* A fold's name lasts as long as the input; the listing's
		 * copy does not. */
		top = bd_arena_strdup(&in->arena, tops.v[i]);
		if (!top) {
			rc = BD_ENOMEM;
			break;
		}
		to = root_link(in, root, top);
		if (!to || !fold_one(in, top, to))
			continue;
		in->folds[in->nfolds++] = (struct bd_input_fold){ top, to };
	}
	bd_dirnames_release(&tops);
	return rc;
}

/* ---- streaming ------------------------------------------------------ */

/* stream()'s word for a file that is no archive after all. */
#define NOT_AN_ARCHIVE 1
/* libarchive's reason when a stream decompressed well holds no archive
 * (a truncated or corrupt one says why instead: "truncated gzip input"). */
#define UNRECOGNIZED "Unrecognized archive format"

/* Whether fd starts with a compression's magic (gzip, xz, zstd, bzip2). */
static bool compressed(int fd)
{
	unsigned char m[6];

	if (pread(fd, m, sizeof(m), 0) != (ssize_t)sizeof(m))
		return false;
	return !memcmp(m, "\x1f\x8b\x08", 3) ||
	       !memcmp(m,
		       "\xfd"
		       "7zXZ\0",
		       6) ||
	       !memcmp(m, "\x28\xb5\x2f\xfd", 4) ||
	       (!memcmp(m, "BZh", 3) && m[3] >= '1' && m[3] <= '9');
}

/* How many leading '/' of an entry name are dropped, as its installer
 * drops them (bd_archive_limits.payload_slashes): one in an rpm's
 * payload, every one in a .deb's tarballs. */
static unsigned payload_slashes(enum bd_archive_kind kind, bool outer)
{
	if (kind == BD_ARCHIVE_RPM)
		return 1;
	return kind == BD_ARCHIVE_AR && !outer ? UINT_MAX : 0;
}

/* An artifact some of whose entries were past a cap of max is not read
 * whole (the one warning is archive.c's, naming the archive): past
 * in->implied, entries needing a directory more; past in->written, an
 * ELF file may be missing. */
static void cap_cut(struct bd_input *in, size_t ai, uint64_t max,
		    const char *what)
{
	char why[128];

	snprintf(why, sizeof(why), "more than %llu %s", (unsigned long long)max,
		 what);
	not_whole(in, ai, why);
}

static int stream(struct bd_input *in, size_t ai, int fd, const char *display,
		  enum bd_archive_kind kind, bool outer, struct zip_names *zip,
		  struct bd_error *err)
{
	struct ex x = {
		.in = in, .ai = ai, .kind = kind, .outer = outer, .zip = zip
	};
	bool whole = false;
	struct bd_archive_ops ops = { .select = on_entry,
				      .take = on_take,
				      .ctx = &x,
				      .whole = zip ? &zip->whole : &whole };
	struct bd_archive_limits lim = in->limits;
	struct bd_error e;
	const char *member = strrchr(display, '!');
	uint64_t cut, written;
	int rc;

	x.conda_pkg = !outer && kind == BD_ARCHIVE_ZIP && member &&
		      !strncmp(member, "!/pkg-", 6);
	x.deb_data = !outer && kind == BD_ARCHIVE_AR && member &&
		     !strncmp(member, "!/data.tar", 10);
	/* A package's absolute links (into /etc/alternatives, say) are how it
	 * installs; they are kept, and resolved inside the overlay, never on
	 * the host (bindep/root.h). Other archives' are refused. */
	lim.keep_absolute_links =
		kind == BD_ARCHIVE_AR || kind == BD_ARCHIVE_RPM;
	lim.payload_slashes = payload_slashes(kind, outer);
	lim.implied = &in->implied;
	lim.listed = &in->listed;
	lim.written = &in->written;
	cut = in->implied.cut;
	written = in->written.cut;
	rc = bd_archive_extract(fd, display, in->rootfd, in->arts[ai].tree,
				&lim, &ops, in->diag, &e);
	if (in->implied.cut > cut)
		cap_cut(in, ai, in->implied.max,
			"directories made for entry names that no entry "
			"lists, the entries needing more skipped");
	if (in->written.cut > written)
		cap_cut(in, ai, in->written.max,
			"files and links written from its entries, the rest "
			"skipped");

	if (x.rc == BD_ENOMEM || rc == BD_ENOMEM)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	/* A compressed file (a man page, a changelog: every .deb has some,
	 * /usr/share thousands) was taken for a tarball by its compression's
	 * magic alone, and holds none: no artifact. Any other inner file
	 * that proves no archive is quiet. */
	if (rc == BD_EFORMAT && outer && kind == BD_ARCHIVE_TAR &&
	    compressed(fd) && strstr(e.msg, UNRECOGNIZED))
		return in->arts[ai].failed = true, NOT_AN_ARCHIVE;
	if (rc == BD_EFORMAT && in->arts[ai].depth && outer)
		return in->arts[ai].failed = true, 0;
	if (rc) {
		bd_diag_report(in->diag, BD_DIAG_WARNING, "%s", e.msg);
		/* An inner stream (a .deb's data.tar) that fails leaves the
		 * package named by the control it has read. */
		in->arts[ai].failed |= outer && rc == BD_EFORMAT;
		not_whole(in, ai, e.msg);
	} else if (!*ops.whole) {
		/* Cut or corrupt after some entries (archive.c warned). */
		not_whole(in, ai, "truncated or corrupt, read in part");
	}
	return 0;
}

/* A .deb's control.tar and data.tar, a .conda's inner tarballs: read into
 * the artifact's own tree, named as its entries ("x.deb!/usr/bin/x"). */
static int read_flattened(struct bd_input *in, size_t ai,
			  enum bd_archive_kind kind, struct bd_error *err)
{
	size_t i, n = in->arts[ai].nentries;
	bool data = false;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		struct bd_input_entry *e = &in->arts[ai].entries[i];
		struct ex x = {
			.in = in, .ai = ai, .kind = kind, .outer = true
		};
		char *rel, *shown;
		int fd;

		if (!e->nested || !flattened(&x, e->name) ||
		    (kind == BD_ARCHIVE_ZIP &&
		     !in->arts[ai].has_conda_metadata))
			continue;
		e->nested = false;
		data |= !strncmp(e->name, "data.tar", 8);
		rel = bd_arena_printf(&in->arena, "%s/%s", in->arts[ai].tree,
				      e->name);
		shown = bd_arena_printf(&in->arena, "%s!/%s",
					in->arts[ai].display, e->name);
		if (!rel || !shown)
			return bd_error_set(err, BD_ENOMEM, "out of memory");
		fd = openat(in->rootfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* The inner stream's entries: a .deb's "control" is its own. */
		rc = stream(in, ai, fd, shown, kind, false, NULL, err);
		close(fd);
		unlinkat(in->rootfd, rel, 0);
	}
	/* A .deb cut after its control.tar ends cleanly for ar: its files
	 * are not all it has (dpkg-deb requires the member). */
	if (!rc && kind == BD_ARCHIVE_AR && in->arts[ai].has_debian_binary &&
	    !data) {
		bd_diag_report(in->diag, BD_DIAG_WARNING,
			       "'%s': a .deb without its data.tar member, "
			       "its files unknown",
			       in->arts[ai].display);
		not_whole(in, ai, "a .deb without its data.tar member");
	}
	return rc;
}

/*
 * The entries are listed when offered, before they are written: those the
 * extraction then refused (a parent that is a symlink, a name taken) are
 * dropped, so that none is looked for after the layout, where the same
 * path may be another artifact's file.
 */
static int keep_written(struct bd_input *in, size_t ai)
{
	struct bd_input_artifact *a = &in->arts[ai];
	struct bd_input_dir dir;
	size_t i, n = 0;
	char *rel = malloc(2 * PATH_MAX);

	if (!rel)
		return BD_ENOMEM;
	bd_input_dir_init(&dir);
	for (i = 0; i < a->nentries; i++) {
		struct stat st;
		int len = snprintf(rel, 2 * PATH_MAX, "%s/%s", a->tree,
				   a->entries[i].name);

		if (len > 0 && len < 2 * PATH_MAX &&
		    !bd_input_lstat(in, &dir, rel, &st))
			a->entries[n++] = a->entries[i];
	}
	bd_input_dir_release(&dir);
	in->nentries -= a->nentries - n;
	a->nentries = n;
	free(rel);
	return 0;
}

static int new_artifact(struct bd_input *in, const char *display,
			const char *host, size_t parent, int depth, size_t *ai,
			struct bd_error *err)
{
	struct bd_input_artifact *a;
	int fd;

	if (in->narts >= BD_INPUT_MAX_ARTIFACTS) {
		bd_diag_report(in->diag, BD_DIAG_WARNING,
			       "'%s': more than %u artifacts, not read",
			       display, BD_INPUT_MAX_ARTIFACTS);
		return BD_ELIMIT;
	}
	if (BD_GROW(in->arts, in->aarts, in->narts + 1))
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	*ai = in->narts;
	a = &in->arts[in->narts++];
	memset(a, 0, sizeof(*a));
	a->display = bd_arena_strdup(&in->arena, display);
	a->host = bd_arena_strdup(&in->arena, host);
	a->tree = bd_arena_printf(&in->arena, TREES "/%u", in->ntrees++);
	a->parent = parent;
	a->depth = depth;
	a->comp = UINT32_MAX;
	if (!a->display || !a->host || !a->tree)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	fd = make_dirs(in->rootfd, a->tree);
	if (fd < 0)
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s': cannot make a directory in '%s'",
				      a->tree, in->rootdir);
	close(fd);
	return 0;
}

static int read_nested(struct bd_input *in, size_t ai, struct bd_error *err);

/*
 * A zip is streamed by its local headers; pip installs a wheel by its
 * central directory, at the end. A local header that claims the bytes of
 * the next entry hides that one from the stream. So once a stream has
 * read a zip to its end, the central directory's names are listed
 * (libarchive's seekable reader; nothing is written, and what it finds
 * wrong with an entry was the stream's to say), and one it lists that the
 * stream never offered is said, once for the zip: such a zip is crafted or
 * broken, and what pip would install from it is not in the SBOM.
 */
static int look_for_hidden(struct bd_input *in, size_t ai, int fd,
			   const char *display, struct zip_names *zip)
{
	struct ex x = { .in = in,
			.ai = ai,
			.kind = BD_ARCHIVE_ZIP,
			.outer = true,
			.zip = zip,
			.central = true };
	struct bd_archive_ops ops = { .select = on_entry,
				      .ctx = &x,
				      .central = true };
	struct bd_error e;
	int rc;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return 0;
	rc = bd_archive_extract(fd, display, in->rootfd, in->arts[ai].tree,
				&in->limits, &ops, NULL, &e);
	if (x.rc == BD_ENOMEM || rc == BD_ENOMEM)
		return BD_ENOMEM;
	if (zip->nhidden)
		bd_diag_report(in->diag, BD_DIAG_WARNING,
			       "'%s': its central directory lists '%s'%s, "
			       "which its local headers hide (a crafted or "
			       "broken zip): what pip would install from it "
			       "is not all in the SBOM",
			       display, zip->first,
			       zip->nhidden > 1 ? " and more" : "");
	return 0;
}

/* The artifact open on fd, streamed, and a zip's central directory then
 * looked at. */
static int read_artifact(struct bd_input *in, size_t ai, int fd,
			 const char *display, enum bd_archive_kind kind,
			 struct bd_error *err)
{
	struct zip_names zip = { .whole = false };
	int rc;

	if (kind != BD_ARCHIVE_ZIP)
		return stream(in, ai, fd, display, kind, true, NULL, err);
	bd_map_init(&zip.seen);
	bd_arena_init(&zip.text);
	rc = stream(in, ai, fd, display, kind, true, &zip, err);
	if (!rc && zip.whole)
		rc = look_for_hidden(in, ai, fd, display, &zip);
	if (rc == BD_ENOMEM)
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	bd_map_release(&zip.seen);
	bd_arena_release(&zip.text);
	free(zip.what);
	return rc;
}

/* Artifact ai, the last, with nothing read below it: forgotten. */
static void forget_last(struct bd_input *in, size_t ai)
{
	free(in->arts[ai].entries);
	bd_input_drop_manifests(&in->arts[ai]);
	while (in->nsboms && in->sboms[in->nsboms - 1].art == ai)
		in->nsboms--;
	unlinkat(in->rootfd, in->arts[ai].tree, AT_REMOVEDIR);
	in->narts--;
}

/* What the artifact read at depth 0 may make of a cap of max each: its
 * own budget, or what is left of the run's (four times as many, as for
 * the entries kept: room) when that is less, said once for the run. The
 * artifact before it made cap->made. */
static void start_budget(struct bd_archive_implied *cap,
			 struct bd_input_run_budget *run, uint64_t max)
{
	uint64_t all = max * 4;
	struct bd_archive_implied fresh = { .kind = cap->kind };

	run->made = run->of_run ? cap->made : run->made + cap->made;
	run->said |= run->of_run && cap->said;
	run->of_run = all - run->made < max;
	fresh.max = run->of_run ? all : max;
	fresh.made = run->of_run ? run->made : 0;
	fresh.said = run->of_run && run->said;
	fresh.of = run->of_run ? "the artifacts of the run" : "the artifact";
	*cap = fresh;
}

/* New budgets of implied and listed directories, and of files and links
 * written, for the artifact read at depth 0, which the archives nested
 * in it share: a level of nesting is no new budget (a tarball of
 * tarballs of wheels would multiply it). */
static void start_budgets(struct bd_input *in)
{
	start_budget(&in->implied, &in->implied_run,
		     in->opts.max_implied ? in->opts.max_implied
					  : BD_INPUT_MAX_IMPLIED_DIRS);
	in->listed.kind = BD_ARCHIVE_CAP_LISTED;
	start_budget(&in->listed, &in->listed_run,
		     in->opts.max_listed ? in->opts.max_listed
					 : BD_INPUT_MAX_LISTED_DIRS);
	in->written.kind = BD_ARCHIVE_CAP_WRITTEN;
	start_budget(&in->written, &in->written_run,
		     in->opts.max_written ? in->opts.max_written
					  : BD_INPUT_MAX_WRITTEN);
}

int bd_input_read(struct bd_input *in, const struct bd_root *root,
		  const char *display, const char *host,
		  enum bd_archive_kind kind, size_t parent, int depth,
		  struct bd_error *err)
{
	struct bd_error e;
	struct stat st;
	size_t ai = 0;
	int fd, rc = bd_input_private(in, err);

	if (!depth)
		start_budgets(in);
	if (!rc)
		rc = new_artifact(in, display, host, parent, depth, &ai, err);
	if (rc)
		return rc == BD_ELIMIT ? 0 : rc;
	if (bd_root_open(root, host, 0, 0, &fd, &st, &e)) {
		/* Gone, or no longer a file, since its sniff (changed under
		 * us): said, and forgotten. Kept, unnamed and with no digest,
		 * it failed bd_input_graph as "out of memory". */
		bd_diag_report(in->diag, BD_DIAG_WARNING, "%s", e.msg);
		forget_last(in, ai);
		return 0;
	}
	bd_progress_reading(display);
	rc = bd_sha256_fd(fd, in->arts[ai].sha256);
	if (!rc && lseek(fd, 0, SEEK_SET) == 0)
		rc = read_artifact(in, ai, fd, display, kind, err);
	close(fd);
	bd_progress_reading(NULL);
	if (rc == NOT_AN_ARCHIVE) {
		/* A PATH is then walked as any file (input.c). */
		forget_last(in, ai);
		return 0;
	}
	if (!rc)
		rc = read_flattened(in, ai, kind, err);
	if (!rc)
		rc = keep_written(in, ai);
	if (!rc)
		rc = name_artifact(in, ai, kind);
	if (!rc)
		rc = lay_out(in, ai);
	/* Named and laid out: they are needed no more. */
	bd_input_drop_manifests(&in->arts[ai]);
	if (!rc)
		rc = read_nested(in, ai, err);
	return rc == BD_ENOMEM ? bd_error_set(err, rc, "out of memory") : rc;
}

/* The archives found inside artifact ai, each an artifact of its own. */
static int read_nested(struct bd_input *in, size_t ai, struct bd_error *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < in->arts[ai].nentries && !rc; i++) {
		const struct bd_input_entry *e = &in->arts[ai].entries[i];
		const struct bd_input_artifact *a = &in->arts[ai];
		char *inside, *host, *shown;
		enum bd_archive_kind k;
		struct stat st;
		int fd;

		/* No directory kept: reading one changes the tree. */
		if (!e->nested || bd_input_place(in, NULL, a, e->name, &inside))
			continue;
		shown = bd_arena_printf(&in->arena, "%s!/%s", a->display,
					e->name);
		host = bd_arena_printf(&in->arena, "%s%s", in->rootdir, inside);
		if (!shown || !host)
			return bd_error_set(err, BD_ENOMEM, "out of memory");
		if (a->depth + 1 >= BD_INPUT_MAX_NESTING) {
			bd_diag_report(in->diag, BD_DIAG_WARNING,
				       "'%s': archives nested more than %d "
				       "deep, not read",
				       shown, BD_INPUT_MAX_NESTING);
			continue;
		}
		if (bd_root_open(NULL, host, BD_OPEN_NOFOLLOW, 0, &fd, &st,
				 NULL))
			continue;
		k = bd_input_sniff(fd);
		close(fd);
		if (k != BD_ARCHIVE_NONE)
			rc = bd_input_read(in, NULL, shown, host, k, ai,
					   in->arts[ai].depth + 1, err);
	}
	return rc;
}
