/* SPDX-License-Identifier: MIT */
/*
 * A container image as an input (issue 12, point 5).
 *
 * An image tarball (an OCI archive, docker or podman save) lists its
 * entries in any order (docker save writes manifest.json last), so one
 * streaming pass stores its small JSON files and its blobs under
 * "<workdir>/image"; bd_image_read then reads the metadata there, as it
 * reads an OCI layout directory in place.
 *
 * The layers are then merged top-down (image.h, bd_image_merge_*): the
 * top layer first, an entry written only when no upper layer wrote,
 * whited out or hid its path, so that each layer is decompressed once
 * and nothing is written twice or removed. Only what a --root scan reads
 * is written.
 *
 * Each layer blob is hashed while libarchive reads it (archive.h's
 * packed tap): the compressed bytes, which the manifest's digest names.
 * What a compressed blob decompresses to is hashed too (the unpacked
 * tap), for the config's diffID: containerd refuses an image whose
 * diffID does not match what it extracted, and an SBOM would otherwise
 * say a diffID nothing checked. docker save's layer.tar has no digest of
 * its own but is the uncompressed tar: it is checked against its diffID
 * (once decompressed, when it is compressed: docker load takes that).
 * The verdict comes at the end of the layer, after its files were
 * merged: a mismatch fails the whole call, and the caller discards the
 * tree.
 */
#include "bindep/input_image.h"
#include "bindep/buf.h"
#include "bindep/progress.h"
#include "bindep/root.h"
#include "bindep/scan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(BD_IMAGE_LINKS_NAME_MAX == BD_ARCHIVE_NAME_MAX,
	       "an entry's name is placed in the archive reader's buffer");

#define STORE  "image"	/* a tarball's blobs and JSON files, in workdir */
#define ROOTFS "rootfs" /* the merged tree, in workdir */
/* Hard links of a layer to files of the layers below it, followed. */
#define MAX_LINKS_BELOW 256
/* What a name of below_paths is to them (bits). */
#define BELOW_TARGET 1u
#define BELOW_NAME   2u
#define BELOW_PARENT 4u

/* ---- what a --root scan reads ----------------------------------------- */

/* Whether name lies below dir ("dir/x"), directly when !deep. */
static bool below(const char *name, const char *dir, bool deep)
{
	size_t n = strlen(dir);

	return !strncmp(name, dir, n) && name[n] == '/' && name[n + 1] &&
	       (deep || !strchr(name + n + 1, '/'));
}

/* The files read by exact path: resolve.c (ld.so.cache, ld.so.conf,
 * debian_version), pkgdb.c (os-release), pkgdb_dpkg.c, pkgdb_apk.c and
 * pkgdb_rpm.c (which also warns about the Packages files it cannot
 * read). */
static const char *const read_paths[] = {
	"etc/ld.so.cache",
	"etc/ld.so.conf",
	"etc/os-release",
	"usr/lib/os-release",
	"etc/debian_version",
	"var/lib/dpkg/status",
	"var/lib/dpkg/diversions",
	"lib/apk/db/installed",
	"var/lib/rpm/rpmdb.sqlite",
	"var/lib/rpm/Packages",
	"var/lib/rpm/Packages.db",
	"usr/lib/sysimage/rpm/rpmdb.sqlite",
	"usr/lib/sysimage/rpm/Packages",
	"usr/lib/sysimage/rpm/Packages.db",
};

/* pkgdb_dpkg.c: dpkg's journal, updates/<digits>, at most 10 of them
 * (dpkg's IMPORTANTMAXLEN); not its tmp.i. */
static bool dpkg_journal_file(const char *name, const char *base)
{
	size_t digits = strspn(base, "0123456789");

	return below(name, "var/lib/dpkg/updates", false) && digits &&
	       digits <= 10 && !base[digits];
}

/* bundle.c reads RECORD and METADATA; artifact.c also WHEEL. */
static bool dist_info_file(const char *name, const char *base)
{
	size_t dir = (size_t)(base - name);

	if (strcmp(base, "METADATA") && strcmp(base, "RECORD") &&
	    strcmp(base, "WHEEL"))
		return false;
	return dir > 11 && !strncmp(name + dir - 11, ".dist-info/", 11);
}

bool bd_input_root_wanted(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	size_t i, n = strlen(name);

	for (i = 0; i < BD_ARRAY_SIZE(read_paths); i++) {
		if (!strcmp(name, read_paths[i]))
			return true;
	}
	/* ldconf.c: ld.so.conf's includes, "include ld.so.conf.d/ *.conf". */
	if (below(name, "etc/ld.so.conf.d", true))
		return true;
	/* resolve.c: musl's path files, <prefix>/etc/ld-musl-<arch>.path
	 * beside the parent of its loader's directory, whatever the prefix
	 * (/etc for /lib's, /usr/etc for /usr/lib's, /usr/glibc/etc for a
	 * /usr/glibc/lib64/ld-linux-x86-64.so.2 that links to musl's). */
	if (base - name >= 4 && !strncmp(base - 4, "etc/", 4) &&
	    (base - name == 4 || base[-5] == '/') &&
	    !strncmp(base, "ld-musl-", 8) && n > 5 &&
	    !strcmp(name + n - 5, ".path"))
		return true;
	/* pkgdb_dpkg.c: distroless status.d/<pkg> and <pkg>.md5sums, and
	 * info/<pkg>[:<arch>].list. */
	if (below(name, "var/lib/dpkg/status.d", false) ||
	    (below(name, "var/lib/dpkg/info", false) && n > 5 &&
	     !strcmp(name + n - 5, ".list")))
		return true;
	return dpkg_journal_file(name, base) || dist_info_file(name, base) ||
	       !strcmp(base, "package.json") || bd_scan_so_name(base);
}

/* ---- warnings held until the tarball is known to be an image ---------- */

/* Past BD_INPUT_IMAGE_MAX_HELD, the outer entries are still read (only
 * those with an image's names reach here, within the archive's caps):
 * stopping would read an image as a plain tarball, its whiteouts
 * ignored, for duplicated blobs that docker load and skopeo accept. The
 * messages past the cap are only counted, and said as one. */
struct held {
	const struct bd_diag *diag;
	const char *display; /* the tarball */
	struct bd_buf msgs;  /* level byte, message, NUL; each */
	size_t n;
	size_t dropped; /* past BD_INPUT_IMAGE_MAX_HELD */
	bool pass;	/* an image: reported as they come */
};

static void held_report(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct held *h = ctx;

	if (h->pass) {
		bd_diag_report(h->diag, level, "%s", msg);
		return;
	}
	if (h->n >= BD_INPUT_IMAGE_MAX_HELD) {
		h->dropped++;
		return;
	}
	bd_buf_addc(&h->msgs, (char)('0' + level));
	bd_buf_add(&h->msgs, msg, strlen(msg) + 1);
	h->n++;
}

/* It is an image: what was held is said, then how much was not, the rest
 * as it comes. */
static void held_flush(struct held *h)
{
	size_t pos = 0;

	h->pass = true;
	while (bd_buf_ok(&h->msgs) && pos < h->msgs.len) {
		const char *msg = h->msgs.data + pos + 1;

		bd_diag_report(h->diag,
			       (enum bd_diag_level)(h->msgs.data[pos] - '0'),
			       "%s", msg);
		pos += strlen(msg) + 2;
	}
	bd_buf_reset(&h->msgs);
	if (h->dropped)
		bd_diag_report(h->diag, BD_DIAG_WARNING,
			       "'%s': %zu more warning%s about its entries "
			       "before its image metadata, not shown",
			       h->display, h->dropped,
			       h->dropped == 1 ? "" : "s");
}

/* ---- the outer tarball ------------------------------------------------ */

/* What an entry of an image tarball is. */
#define OUT_IMAGE  0x1u /* a name some image tarball has */
#define OUT_STORE  0x2u /* stored: metadata or a blob */
#define OUT_MARKER 0x4u /* proves an image: oci-layout, index.json, ... */

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

/* "<64 hex>" then exactly suffix. */
static bool hex_then(const char *name, const char *suffix)
{
	return strlen(name) == 64 + strlen(suffix) && all_hex(name, 64) &&
	       !strcmp(name + 64, suffix);
}

/* image-spec descriptor.md: algorithm [a-z0-9]+([+._-][a-z0-9]+)*,
 * encoded [a-zA-Z0-9=_-]+ (checked loosely: no '/', no dot). */
static bool blob_name(const char *p)
{
	size_t alg = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789+._-");
	size_t enc;

	if (!alg || p[alg] != '/')
		return false;
	p += alg + 1;
	enc = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789=_-");
	return enc && !p[enc];
}

/* Docker save (before docker 25): "<id>/layer.tar", "<id>/json",
 * "<id>/VERSION", "<config hex>.json"; podman and skopeo:
 * "<diffID hex>.tar"; go-containerregistry: "<hex>.tar.gz" and
 * "sha256:<hex>"; OCI layouts (and docker 25+): "blobs/<alg>/<hex>". */
static unsigned outer_kind(const char *name, bool dir, enum bd_image_form form)
{
	if (!strcmp(name, "oci-layout") || !strcmp(name, "index.json"))
		return OUT_IMAGE | OUT_MARKER |
		       (form == BD_IMAGE_FORM_DOCKER_ARCHIVE ? 0 : OUT_STORE);
	if (!strcmp(name, "manifest.json"))
		return OUT_IMAGE | OUT_MARKER |
		       (form == BD_IMAGE_FORM_OCI_ARCHIVE ? 0 : OUT_STORE);
	if (!strcmp(name, "repositories"))
		return OUT_IMAGE;
	if (!strcmp(name, "blobs") ||
	    (!strncmp(name, "blobs/", 6) && !strchr(name + 6, '/') && dir))
		return dir ? OUT_IMAGE : 0;
	if (!strncmp(name, "blobs/", 6) && blob_name(name + 6) && !dir)
		return OUT_IMAGE | (!strncmp(name, "blobs/sha256/", 13) &&
						    hex_then(name + 13, "")
					    ? OUT_STORE
					    : 0);
	if (hex_then(name, ""))
		return dir ? OUT_IMAGE : 0;
	if (dir)
		return 0;
	if (hex_then(name, "/layer.tar") || hex_then(name, ".json") ||
	    hex_then(name, ".tar") || hex_then(name, ".tar.gz") ||
	    (!strncmp(name, "sha256:", 7) && hex_then(name + 7, "")))
		return OUT_IMAGE | OUT_STORE;
	if (hex_then(name, "/json") || hex_then(name, "/VERSION"))
		return OUT_IMAGE;
	return 0;
}

struct outer {
	enum bd_image_form form;
	struct held *held;
	const struct bd_diag *diag; /* through held */
	const char *display;	    /* the tarball */
	bool marker;		    /* an entry only images have was met */
	bool stopped;		    /* an entry no image has: not an image */
	bool legacy;		    /* docker save's "repositories" was met */
	char first[64];		    /* that entry, for a form insisted on */
	char twice[16];		    /* a metadata file met twice */
	char odd[16];		    /* a metadata name that is no file */
};

/* The files that say which image a tarball holds. */
static bool metadata_name(const char *name)
{
	return !strcmp(name, "oci-layout") || !strcmp(name, "index.json") ||
	       !strcmp(name, "manifest.json") || !strcmp(name, "repositories");
}

/* What archive.c says of a name given twice, the first kept. */
static void warn_duplicate(const struct bd_diag *diag, const char *archive,
			   const char *name)
{
	bd_diag_report(diag, BD_DIAG_WARNING,
		       "'%s!/%.160s%s': duplicate entry, the first is kept",
		       archive, name, strlen(name) > 160 ? "..." : "");
}

/* An entry named as one before it. docker load and skopeo extract the
 * tarball, the later entry overwriting the earlier: a metadata file
 * twice may name two images, and which one runs is the last's, not the
 * one this reader would read. A blob twice is content-addressed, and
 * checked against its digest when read: the first is kept. */
static enum bd_archive_action outer_repeat(struct outer *o,
					   const struct bd_archive_entry *e)
{
	if (metadata_name(e->name)) {
		if (!o->twice[0])
			snprintf(o->twice, sizeof(o->twice), "%s", e->name);
		return o->marker ? BD_ARCHIVE_STOP : BD_ARCHIVE_SKIP;
	}
	warn_duplicate(o->diag, o->display, e->name);
	return BD_ARCHIVE_SKIP;
}

static enum bd_archive_action outer_select(void *ctx,
					   const struct bd_archive_entry *e,
					   const unsigned char *head,
					   size_t headlen)
{
	struct outer *o = ctx;
	unsigned kind = outer_kind(e->name, e->type == BD_ENTRY_DIR, o->form);

	(void)head;
	(void)headlen;
	if (!o->marker && !(kind & OUT_IMAGE)) {
		/* A plain tarball: read no further, warn nothing. */
		snprintf(o->first, sizeof(o->first), "%s", e->name);
		o->stopped = true;
		return BD_ARCHIVE_STOP;
	}
	if (!strcmp(e->name, "repositories") && e->type == BD_ENTRY_FILE)
		o->legacy = true;
	if ((kind & OUT_MARKER) && !o->marker) {
		o->marker = true;
		held_flush(o->held);
	}
	if (e->repeat)
		return outer_repeat(o, e);
	/* index.json as a directory, a link: docker load fails on it, and
	 * which bytes are the metadata is then nobody's to say. */
	if (metadata_name(e->name) && e->type != BD_ENTRY_FILE && !o->odd[0])
		snprintf(o->odd, sizeof(o->odd), "%s", e->name);
	/* Refused at the end: the rest would be stored for naught. */
	if ((o->twice[0] || o->odd[0]) && o->marker)
		return BD_ARCHIVE_STOP;
	return (kind & OUT_STORE) ? BD_ARCHIVE_WRITE : BD_ARCHIVE_SKIP;
}

/* ---- one run ----------------------------------------------------------- */

struct run {
	struct bd_input_image *ii;
	const char *display;
	const char *workdir;
	enum bd_image_form form;
	const struct bd_diag *diag;
	struct bd_error *err;
	int wfd;		      /* workdir */
	bool tarball;		      /* else a layout directory */
	struct bd_root src;	      /* the image directory: path or STORE */
	struct bd_archive_limits lim; /* the caller's, with a total budget */
	uint64_t local_total;
	struct bd_archive_implied implied; /* unless the caller gave one */
	struct bd_archive_implied listed;  /* the same */
	struct bd_archive_implied written; /* the same */
	struct bd_image_merge merge;
	/* The current layer's symlinks, which its entries below them
	 * follow (layer_place). */
	struct bd_image_links links;
	/* Hard links to a file of the layers below theirs (struct below),
	 * made once a lower layer gave the file; below_paths holds their
	 * names, targets and the targets' parents, to tell quickly whether
	 * an entry may concern one. */
	struct below *below;
	size_t nbelow, abelow;
	struct bd_map below_paths;
	struct bd_arena below_arena;
	bool below_full;
};

/* A hard link in layer `layer` to target, a file the layers below left
 * there (image-spec layer.md applies a changeset on the tree below it;
 * containerd links to that file). The layers are read top-down: the
 * first layer below with an entry at target (or removing it) decides. */
struct below {
	const char *name, *target; /* entry names */
	const char *src;	   /* the entry whose copy holds the data */
	const char *display;	   /* the link's layer */
	uint32_t layer;
	/* The layer whose tree below it holds target: the link's own, or
	 * that of a hard link of a layer between that target led to (whose
	 * changeset, applied on the tree below it, no longer concerns it). */
	uint32_t from;
	int64_t found;	/* the layer whose file it is, or -1 */
	int64_t hidden; /* the layer that removed the target, or -1 */
	bool done;
};

static const char *form_name(enum bd_image_form form)
{
	switch (form) {
	case BD_IMAGE_FORM_OCI_DIR: return "an OCI image layout";
	case BD_IMAGE_FORM_OCI_ARCHIVE: return "an OCI archive";
	case BD_IMAGE_FORM_DOCKER_ARCHIVE: return "a docker-archive image";
	case BD_IMAGE_FORM_AUTO: break;
	}
	return "an image";
}

/* No image here: BD_ENOENT for AUTO, else the form asked for is not. */
static int not_image(struct run *r, const char *why)
{
	if (r->form == BD_IMAGE_FORM_AUTO)
		return bd_error_set(r->err, BD_ENOENT, "'%s': %s, not an image",
				    r->display, why);
	return bd_error_set(r->err, BD_EFORMAT, "'%s': %s, not %s", r->display,
			    why, form_name(r->form));
}

/*
 * A docker save of docker 1.9 or older: "repositories" and the layers'
 * <id>/json, VERSION and layer.tar, but no manifest.json (docker's image
 * spec v1.2: older implementations use the legacy json files and
 * repositories). Their order is in each json's parent, and no digest
 * checks them: not read as an image, but as a tarball (its layer.tar
 * files the tarballs they are), with one warning, whiteouts unapplied.
 */
static int legacy_docker_save(struct run *r)
{
	if (r->form != BD_IMAGE_FORM_AUTO)
		return not_image(r, "no manifest.json (a docker save of docker "
				    "1.9 or older)");
	bd_diag_report(r->diag, BD_DIAG_WARNING,
		       "'%s': a docker save without manifest.json (docker 1.9 "
		       "or older), read as a tarball: its layers are not "
		       "merged",
		       r->display);
	return not_image(r, "no manifest.json");
}

/* The blobs and metadata of the tarball open on fd, stored in STORE. */
static int store_tarball(struct run *r, int fd, const struct stat *st)
{
	struct held held = { r->diag, r->display, BD_BUF_INIT, 0, 0, false };
	struct bd_diag diag = { held_report, &held };
	struct outer o = { .form = r->form,
			   .held = &held,
			   .diag = &diag,
			   .display = r->display };
	struct bd_archive_ops ops = { .select = outer_select,
				      .ctx = &o,
				      .repeats = true };
	struct bd_archive_limits lim = r->lim;
	char why[128];
	int rc;

	/* The blobs stored are at most the tarball's own bytes when it is
	 * uncompressed: the per-archive cap would refuse any image larger
	 * than it, and decompression bombs are the layers' to meet. */
	if ((uint64_t)st->st_size > lim.max_unpacked)
		lim.max_unpacked = (uint64_t)st->st_size;
	lim.keep_absolute_links = false;
	lim.image_layer = false;
	lim.implied = NULL;
	lim.listed = NULL;  /* none are stored (outer_kind) */
	lim.written = NULL; /* its blobs, as many as its layers and metadata */
	if (mkdirat(r->wfd, STORE, 0700))
		return bd_error_errno(r->err, BD_EIO, errno,
				      "'%s/" STORE "': cannot make",
				      r->workdir);
	rc = bd_archive_extract(fd, r->display, r->wfd, STORE, &lim, &ops,
				&diag, r->err);
	/* A corrupt tarball without an image's files is the caller's to
	 * read and report; a cap is one whatever the tarball holds. */
	if (!o.marker && (!rc || rc == BD_EFORMAT) && !o.stopped && o.legacy) {
		rc = legacy_docker_save(r);
	} else if (!o.marker && (!rc || rc == BD_EFORMAT)) {
		snprintf(why, sizeof(why), "'%.40s%s' is no image's entry",
			 o.first, strlen(o.first) > 40 ? "..." : "");
		rc = not_image(r, o.stopped ? why : "no image metadata");
	} else if (!rc && o.twice[0]) {
		rc = bd_error_set(r->err, BD_EFORMAT,
				  "'%s!/%s': the file is given twice",
				  r->display, o.twice);
	} else if (!rc && o.odd[0]) {
		rc = bd_error_set(r->err, BD_EFORMAT, "'%s!/%s': not a file",
				  r->display, o.odd);
	}
	bd_buf_release(&held.msgs);
	return rc;
}

/* The image's metadata, from r->src. */
static int read_meta(struct run *r, const struct bd_image_select *sel)
{
	struct bd_image_select s = { NULL, NULL, NULL, NULL };
	struct bd_error e;
	char *files = NULL;
	int rc;

	if (sel)
		s = *sel;
	if (r->tarball) {
		files = bd_arena_printf(&r->ii->arena, "%s!/", r->display);
		if (!files)
			return bd_error_set(r->err, BD_ENOMEM, "out of memory");
	}
	s.display = files ? files : r->display;
	bd_error_clear(&e);
	rc = bd_image_read(&r->ii->meta, &r->src, &s, r->diag, &e);
	if (rc == BD_ENOENT)
		return not_image(r, "no oci-layout or manifest.json");
	if (rc)
		*r->err = e;
	return rc;
}

/* ---- merging the layers ------------------------------------------------ */

/* A hard link of a layer, followed through the hard links of its layer
 * before it: the entry it leads to in the end, a file of its layer, or
 * (down) one of the layers below. */
struct link_to {
	const char *target; /* NULL: no link, or its name given again */
	bool down;
};

struct layer {
	struct run *run;
	const char *display;   /* the layer blob, in messages */
	const char *aside_dir; /* its files hidden above, under workdir */
	uint32_t index;	       /* into meta.layers */
	struct bd_arena arena; /* the names put aside, and links' */
	struct bd_map aside;   /* files hidden above, kept for hard links */
	/* This layer's hard links, kept or not: name -> index into to,
	 * what each leads to. */
	struct bd_map links;
	struct link_to *to;
	size_t nto, ato;
	struct bd_image_hash hash;
	/* Of what a compressed blob decompresses to: the diffID's. */
	struct bd_image_hash diff;
	int rc; /* a failure in select: stops the layer */
	struct bd_error err;
};

static bool is_elf(const unsigned char *head, size_t len)
{
	return len >= 4 && !memcmp(head, "\177ELF", 4);
}

/* ".wh.NAME", ".wh..wh..opq" (image-spec layer.md): never kept. */
static bool whiteout_name(const char *name)
{
	const char *slash = strrchr(name, '/');

	return !strncmp(slash ? slash + 1 : name, ".wh.", 4);
}

/* Records name as kept from this layer. */
static bool record(struct layer *l, const char *name)
{
	struct bd_input_image *ii = l->run->ii;
	char *key = bd_arena_printf(&ii->arena, "/%s", name);

	if (!key || bd_map_put(&ii->layer_of, key, l->index)) {
		l->rc = bd_error_set(&l->err, BD_ENOMEM, "out of memory");
		return false;
	}
	return true;
}

/* A file an upper layer hides: a hard link of this layer may still
 * reach its content (tar links to an entry before it, in the layer). */
static enum bd_archive_action put_aside(struct layer *l, const char *name)
{
	char *key = bd_arena_strdup(&l->arena, name);

	if (!key || bd_map_put(&l->aside, key, 0)) {
		l->rc = bd_error_set(&l->err, BD_ENOMEM, "out of memory");
		return BD_ARCHIVE_STOP;
	}
	return BD_ARCHIVE_WRITE_ASIDE;
}

/* Whether this layer wrote name into the tree (ii->layer_of). */
static bool written_here(const struct layer *l, const char *name)
{
	struct bd_buf key = BD_BUF_INIT;
	uint32_t from = UINT32_MAX;
	bool written;

	bd_buf_printf(&key, "/%s", name);
	written = bd_buf_ok(&key) &&
		  bd_map_get(&l->run->ii->layer_of, key.data, &from) &&
		  from == l->index;
	bd_buf_release(&key);
	return written;
}

/* A hard link kept: made to its target where this layer wrote it. */
static enum bd_archive_action hard_link(struct layer *l, const char *name,
					const char *target)
{
	if (written_here(l, target))
		return record(l, name) ? BD_ARCHIVE_WRITE : BD_ARCHIVE_STOP;
	if (bd_map_get(&l->aside, target, NULL))
		return record(l, name) ? BD_ARCHIVE_WRITE_ASIDE
				       : BD_ARCHIVE_STOP;
	return BD_ARCHIVE_SKIP; /* its target was not kept: no data */
}

/* Removes the copy this layer made of name under dir (ROOTFS or the
 * aside directory); 1 when a directory is there instead. */
static int unlink_copy(struct layer *l, const char *dir, const char *name)
{
	struct bd_buf rel = BD_BUF_INIT;
	int rc;

	bd_buf_printf(&rel, "%s/%s", dir, name);
	rc = bd_buf_ok(&rel)
		     ? bd_image_unlink(l->run->wfd, rel.data, &l->err)
		     : bd_error_set(&l->err, BD_ENOMEM, "out of memory");
	bd_buf_release(&rel);
	if (rc < 0)
		l->rc = rc;
	return rc;
}

/* Removes the file this layer wrote at name into the tree; its record
 * stays, as no longer this layer's file. */
static int unlink_written(struct layer *l, const char *name)
{
	struct bd_buf key = BD_BUF_INIT;
	int rc;

	bd_buf_printf(&key, "/%s", name);
	rc = unlink_copy(l, ROOTFS, name);
	if (!rc && (!bd_buf_ok(&key) ||
		    bd_map_put(&l->run->ii->layer_of, key.data, UINT32_MAX)))
		rc = bd_error_set(&l->err, BD_ENOMEM, "out of memory");
	bd_buf_release(&key);
	return rc;
}

/* Removes what this layer wrote at name and below it
 * (bd_image_merge_prune). */
static int prune_written(struct layer *l, const char *name)
{
	struct run *r = l->run;
	int fd = openat(r->wfd, ROOTFS,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return bd_error_errno(&l->err, BD_EIO, errno,
				      "'%s/" ROOTFS "': cannot open",
				      r->workdir);
	rc = bd_image_merge_prune(&r->merge, fd, name, &l->err);
	close(fd);
	return rc;
}

/* A name this layer gave before: tar, moby and containerd remove the
 * first copy and write the last (a hard link made to the first keeps it,
 * as theirs do), so the first this layer wrote, in the tree or put
 * aside, goes. Returns false when it stays: a directory is at the path
 * (the first kept, as where a directory is involved tar keeps it too),
 * or a failure (l->rc). */
static bool forget_first(struct layer *l, const char *name)
{
	int rc = 0;

	if (written_here(l, name))
		rc = unlink_copy(l, ROOTFS, name);
	else if (bd_map_get(&l->aside, name, NULL))
		rc = unlink_copy(l, l->aside_dir, name);
	if (rc == 1)
		warn_duplicate(l->run->diag, l->display, name);
	return !rc;
}

/* ---- hard links to the layers below --------------------------------- */

/* What the hard link e leads to: its target, or what its target leads
 * to when that is a hard link of this layer (layer.md, "Applying
 * Changesets": applied in order, a link to that link is to the same
 * file); no target for another entry. */
static struct link_to link_resolve(const struct layer *l,
				   const struct bd_archive_entry *e)
{
	struct link_to to = { NULL, false };
	uint32_t i;

	if (e->type != BD_ENTRY_HARDLINK)
		return to;
	to = (struct link_to){ e->link, e->link_below };
	if (!e->link_below && bd_map_get(&l->links, e->link, &i) &&
	    l->to[i].target)
		to = l->to[i];
	return to;
}

/* Records what name, an entry of this layer, leads to (no target: it is
 * no hard link, given again); false when out of memory (l->rc). */
static bool remember_link(struct layer *l, const char *name, struct link_to to)
{
	uint32_t i;
	char *key;

	if (to.target) {
		to.target = bd_arena_strdup(&l->arena, to.target);
		if (!to.target)
			goto oom;
	}
	if (bd_map_get(&l->links, name, &i)) {
		l->to[i] = to;
		return true;
	}
	if (!to.target)
		return true;
	key = bd_arena_strdup(&l->arena, name);
	if (!key || BD_GROW(l->to, l->ato, l->nto + 1) ||
	    bd_map_put(&l->links, key, (uint32_t)l->nto))
		goto oom;
	l->to[l->nto++] = to;
	return true;
oom:
	l->rc = bd_error_set(&l->err, BD_ENOMEM, "out of memory");
	return false;
}

static bool at_or_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !n || (!strncmp(path, dir, n) && (!path[n] || path[n] == '/'));
}

/* Adds name to below_paths as what (BELOW_*), its parents as
 * BELOW_PARENT for a target. */
static int below_path(struct run *r, const char *name, uint32_t what)
{
	size_t len = strlen(name);

	for (;;) {
		char *key = bd_arena_strndup(&r->below_arena, name, len);
		const char *slash;
		uint32_t bits = 0;

		if (!key)
			return BD_ENOMEM;
		(void)bd_map_get(&r->below_paths, key, &bits);
		if (bd_map_put(&r->below_paths, key, bits | what))
			return BD_ENOMEM;
		slash = what == BELOW_NAME ? NULL : memrchr(name, '/', len);
		if (!slash)
			return 0;
		len = (size_t)(slash - name);
		what = BELOW_PARENT;
	}
}

static enum bd_archive_action below_oom(struct layer *l)
{
	l->rc = bd_error_set(&l->err, BD_ENOMEM, "out of memory");
	return BD_ARCHIVE_STOP;
}

/* A hard link of layer l to target, which no entry before it in the
 * layer names: it waits for the layers below. */
static enum bd_archive_action link_below(struct layer *l, const char *name,
					 const char *target)
{
	struct run *r = l->run;
	struct below *b;

	if (r->nbelow >= MAX_LINKS_BELOW) {
		if (!r->below_full)
			bd_diag_report(r->diag, BD_DIAG_WARNING,
				       "'%s!/%s': more than %d hard links to "
				       "files of lower layers, the rest "
				       "skipped",
				       l->display, name, MAX_LINKS_BELOW);
		r->below_full = true;
		return BD_ARCHIVE_SKIP;
	}
	if (BD_GROW(r->below, r->abelow, r->nbelow + 1))
		return below_oom(l);
	b = &r->below[r->nbelow];
	*b = (struct below){ .name = bd_arena_strdup(&r->below_arena, name),
			     .target = bd_arena_strdup(&r->below_arena, target),
			     .display = l->display,
			     .layer = l->index,
			     .from = l->index,
			     .found = -1,
			     .hidden = -1 };
	if (!b->name || !b->target || below_path(r, name, BELOW_NAME) ||
	    below_path(r, target, BELOW_TARGET))
		return below_oom(l);
	r->nbelow++;
	return BD_ARCHIVE_SKIP;
}

static void below_hide(struct below *b, uint32_t layer)
{
	if (b->hidden < 0)
		b->hidden = layer;
}

/*
 * What an entry of layer l does to the hard links of the layers above
 * waiting for their file: its file gives it (true: the file is to be
 * kept, in the tree or aside), a whiteout, an opaque directory, another
 * type at the target or no directory at a parent removes it. A link's
 * own name given again after it in its layer is the later copy's.
 */
static bool below_entry(struct layer *l, const struct bd_archive_entry *e,
			struct link_to to)
{
	struct run *r = l->run;
	const char *slash = strrchr(e->name, '/');
	const char *base = slash ? slash + 1 : e->name;
	size_t dirlen = slash ? (size_t)(slash - e->name) : 0;
	bool wh = !strncmp(base, ".wh.", 4);
	bool opaque = !strcmp(base, ".wh..wh..opq"), want = false;
	struct bd_buf gone = BD_BUF_INIT;
	uint32_t bits = 0;
	size_t i;

	if (wh && opaque)
		bd_buf_add(&gone, e->name, dirlen);
	else if (wh)
		bd_buf_printf(&gone, "%.*s%s%s", (int)dirlen, e->name,
			      dirlen ? "/" : "", base + 4);
	if (wh && !bd_buf_ok(&gone)) {
		below_oom(l);
		return false;
	}
	/* Most entries concern none: a directory only at a target, the
	 * link's own name only given again. */
	if (wh ? !bd_map_get(&r->below_paths, bd_buf_str(&gone), NULL) &&
			    !(opaque && !dirlen)
	       : !bd_map_get(&r->below_paths, e->name, &bits) ||
			    !(bits & BELOW_TARGET ||
			      (bits & BELOW_PARENT &&
			       e->type != BD_ENTRY_DIR) ||
			      (bits & BELOW_NAME && e->repeat))) {
		bd_buf_release(&gone);
		return false;
	}
	for (i = 0; i < r->nbelow; i++) {
		struct below *b = &r->below[i];

		if (b->done || b->found >= 0 || b->from < l->index)
			continue;
		if (b->from == l->index) {
			if (b->layer == l->index && !wh && e->repeat &&
			    !strcmp(b->name, e->name))
				b->done = true;
		} else if (b->hidden >= 0 &&
			   (wh || strcmp(b->target, e->name))) {
			continue; /* removed already: only its file may come */
		} else if (wh) {
			if (at_or_below(b->target, bd_buf_str(&gone)) &&
			    !(opaque && !strcmp(b->target, bd_buf_str(&gone))))
				below_hide(b, l->index);
		} else if (!strcmp(b->target, e->name)) {
			if (e->type == BD_ENTRY_FILE ||
			    (e->type == BD_ENTRY_HARDLINK && !to.down)) {
				b->found = l->index;
				b->src = e->type == BD_ENTRY_FILE
						 ? b->target
						 : bd_arena_strdup(
							   &r->below_arena,
							   to.target);
				if (!b->src)
					below_oom(l);
				want = true;
			} else if (e->type == BD_ENTRY_HARDLINK) {
				/* A link of this layer to a file below it:
				 * that file is this one's too (a chain of
				 * layers), whatever this layer does after. */
				b->target = bd_arena_strdup(&r->below_arena,
							    to.target);
				b->from = l->index;
				b->hidden = -1;
				if (!b->target ||
				    below_path(r, b->target, BELOW_TARGET)) {
					below_oom(l);
					b->done = true;
				}
			} else {
				below_hide(b, l->index);
			}
		} else if (e->type != BD_ENTRY_DIR &&
			   at_or_below(b->target, e->name)) {
			below_hide(b, l->index);
		}
	}
	bd_buf_release(&gone);
	return want;
}

/* Opens the directory of the relative path under base, never through a
 * symlink, made when create; *leaf is the last component. */
static int open_dir_of(int base, const char *path, bool create,
		       const char **leaf)
{
	const char *slash = strrchr(path, '/');

	*leaf = slash ? slash + 1 : path;
	return bd_archive_open_dir(base, path,
				   slash ? (size_t)(slash - path) : 0, create);
}

/* The link b made in the tree to the copy layer l kept of its file. A
 * copy not kept (no file a scan reads) or a name taken since (a later
 * copy in the link's layer) makes nothing. */
static int below_link(struct layer *l, const struct below *b,
		      struct bd_error *err)
{
	struct run *r = l->run;
	struct bd_buf src = BD_BUF_INIT, dst = BD_BUF_INIT, key = BD_BUF_INIT;
	const char *sleaf, *dleaf;
	int sfd = -1, dfd = -1, rc = 0;

	bd_buf_printf(&src, "%s/%s",
		      written_here(l, b->src) ? ROOTFS : l->aside_dir, b->src);
	bd_buf_printf(&dst, ROOTFS "/%s", b->name);
	bd_buf_printf(&key, "/%s", b->name);
	if (!bd_buf_ok(&src) || !bd_buf_ok(&dst) || !bd_buf_ok(&key)) {
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
		goto out;
	}
	sfd = open_dir_of(r->wfd, src.data, false, &sleaf);
	dfd = sfd < 0 ? -1 : open_dir_of(r->wfd, dst.data, true, &dleaf);
	if (dfd >= 0 && !linkat(sfd, sleaf, dfd, dleaf, 0)) {
		char *k = bd_arena_strdup(&r->ii->arena, key.data);

		if (!k || bd_map_put(&r->ii->layer_of, k, b->layer))
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	} else if (errno != ENOENT && errno != EEXIST && errno != ENOTDIR &&
		   errno != ELOOP) {
		rc = bd_error_errno(err, BD_EIO, errno, "'%s!/%s': cannot link",
				    b->display, b->name);
	}
out:
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	bd_buf_release(&src);
	bd_buf_release(&dst);
	bd_buf_release(&key);
	return rc;
}

/* A kept hard link of layer l to a link of its own that was not made
 * (an upper layer hides it): made here to the file that link leads to,
 * kept in the tree or aside; nothing when that file was not kept. */
static enum bd_archive_action link_here(struct layer *l, const char *name,
					const char *target)
{
	struct below b = { .name = name,
			   .target = target,
			   .src = target,
			   .display = l->display,
			   .layer = l->index };

	if (!written_here(l, target) && !bd_map_get(&l->aside, target, NULL))
		return BD_ARCHIVE_SKIP;
	l->rc = below_link(l, &b, &l->err);
	return l->rc ? BD_ARCHIVE_STOP : BD_ARCHIVE_SKIP;
}

static void below_lost(struct run *r, struct below *b)
{
	b->done = true;
	bd_diag_report(r->diag, BD_DIAG_WARNING,
		       "'%s!/%s': hard link to '%s', which no layer below it "
		       "holds, skipped",
		       b->display, b->name, b->target);
}

/* Layer l read: the links whose file it gave are made, those whose file
 * it removed said. */
static int below_layer_done(struct layer *l)
{
	struct run *r = l->run;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nbelow && !rc; i++) {
		struct below *b = &r->below[i];

		if (b->done)
			continue;
		if (b->found == l->index) {
			b->done = true;
			rc = below_link(l, b, r->err);
		} else if (b->hidden == l->index) {
			below_lost(r, b);
		}
	}
	return rc;
}

/*
 * A name this layer gave before as another kind: tar, moby, containerd
 * and umoci remove the path first unless both are directories (what is
 * below it too), so the last entry is the container's. A directory after
 * a file, link or device: that first copy goes, in the tree or put
 * aside. Another kind after a directory: what this layer wrote at the
 * path and below goes (bd_image_merge_prune). False on a failure (l->rc).
 */
static bool replace_other_kind(struct layer *l,
			       const struct bd_archive_entry *e)
{
	struct run *r = l->run;
	int rc = 0;

	if (e->type != BD_ENTRY_DIR) {
		if (!bd_image_merge_replaces_tree(&r->merge, e->name))
			return true;
		rc = prune_written(l, e->name);
	} else if (written_here(l, e->name)) {
		rc = unlink_written(l, e->name);
	} else if (bd_map_get(&l->aside, e->name, NULL)) {
		rc = unlink_copy(l, l->aside_dir, e->name);
	}
	if (!rc && e->type == BD_ENTRY_DIR &&
	    !remember_link(l, e->name, (struct link_to){ NULL, false }))
		return false;
	if (rc > 0)
		rc = 0; /* a directory there already: both are */
	l->rc = rc;
	return !rc;
}

/*
 * A whiteout of what its own layer wrote before it: removed, all below
 * it too, as containerd's naive applier removes it (os.RemoveAll: a
 * layer's first snapshot, the native snapshotter), and moby's
 * UnpackLayer; their overlayfs appliers refuse the layer (the whiteout
 * device's mknod(2) fails with EEXIST), where layer.md would keep it
 * (a whiteout applies to the layers below). Its links go with it too
 * (bd_image_links). False on a failure (l->rc).
 */
static bool whiteout_own(struct layer *l, const struct bd_archive_entry *e)
{
	struct bd_buf path = BD_BUF_INIT;
	struct run *r = l->run;
	int rc = 0;

	if (!bd_image_whiteout_path(&path, e->name))
		return true;
	if (!bd_buf_ok(&path)) {
		l->rc = bd_error_set(&l->err, BD_ENOMEM, "out of memory");
		return false;
	}
	if (bd_image_merge_replaces_tree(&r->merge, path.data)) {
		rc = prune_written(l, path.data);
	} else if (written_here(l, path.data)) {
		rc = unlink_written(l, path.data);
	} else if (bd_map_get(&l->aside, path.data, NULL)) {
		rc = unlink_copy(l, l->aside_dir, path.data);
	} else {
		bd_buf_release(&path);
		return true;
	}
	if (rc >= 0)
		bd_diag_report(r->diag, BD_DIAG_WARNING,
			       "'%s!/%s': whiteout of '%s', which its own "
			       "layer made before it: removed, as containerd's "
			       "naive applier removes it (its overlayfs "
			       "snapshotter refuses the layer)",
			       l->display, e->name, path.data);
	bd_buf_release(&path);
	l->rc = rc < 0 ? rc : 0;
	return rc >= 0;
}

static enum bd_archive_action layer_select(void *ctx,
					   const struct bd_archive_entry *e,
					   const unsigned char *head,
					   size_t headlen)
{
	struct layer *l = ctx;
	struct link_to to = link_resolve(l, e);
	bool keep = false, below = false;

	if (l->rc || !replace_other_kind(l, e))
		return BD_ARCHIVE_STOP;
	if (e->repeat && !forget_first(l, e->name))
		return l->rc ? BD_ARCHIVE_STOP : BD_ARCHIVE_SKIP;
	/* What this name leads to, for the links to it after it. */
	if ((to.target || e->repeat) && !remember_link(l, e->name, to))
		return BD_ARCHIVE_STOP;
	l->rc = bd_image_merge_entry(&l->run->merge, e->name,
				     e->type == BD_ENTRY_DIR, &keep, &l->err);
	if (!l->rc && l->run->nbelow)
		below = below_entry(l, e, to);
	if (l->rc)
		return BD_ARCHIVE_STOP;
	if (l->run->merge.refused)
		return BD_ARCHIVE_SKIP; /* past the implied directories */
	if (!whiteout_own(l, e))
		return BD_ARCHIVE_STOP;
	switch (e->type) {
	case BD_ENTRY_DIR: return keep ? BD_ARCHIVE_WRITE : BD_ARCHIVE_SKIP;
	case BD_ENTRY_SYMLINK:
		if (!keep)
			return BD_ARCHIVE_SKIP;
		return record(l, e->name) ? BD_ARCHIVE_WRITE : BD_ARCHIVE_STOP;
	case BD_ENTRY_HARDLINK:
		if (!keep)
			return BD_ARCHIVE_SKIP;
		if (to.down)
			return link_below(l, e->name, to.target);
		if (strcmp(to.target, e->link) && !written_here(l, e->link) &&
		    !bd_map_get(&l->aside, e->link, NULL))
			return link_here(l, e->name, to.target);
		return hard_link(l, e->name, e->link);
	case BD_ENTRY_SPECIAL:
		/* Recorded by the merge, which hides lower layers' file at
		 * its path: a layer's entry replaces it, whatever its type
		 * (image-spec layer.md, "Changeset over existing files").
		 * Kept, it is warned about (never made); a whiteout, or one
		 * an upper layer hides, is not in the container. */
		return keep ? BD_ARCHIVE_WRITE : BD_ARCHIVE_SKIP;
	case BD_ENTRY_FILE: break;
	}
	if (!is_elf(head, headlen) && !bd_input_root_wanted(e->name) && !below)
		return BD_ARCHIVE_SKIP;
	if (!keep)
		return whiteout_name(e->name) ? BD_ARCHIVE_SKIP
					      : put_aside(l, e->name);
	return record(l, e->name) ? BD_ARCHIVE_WRITE : BD_ARCHIVE_STOP;
}

/* Where an entry is written: below the symlinks its layer made before
 * it, where they lead (image.h, bd_image_links), as containerd writes
 * it. Every name the layer's merge sees is so placed. */
static int layer_place(void *ctx, const struct bd_archive_entry *e, char *name,
		       char *target, const char **why)
{
	struct layer *l = ctx;

	return bd_image_links_place(
		&l->run->links, name, target, e->type == BD_ENTRY_DIR,
		e->type == BD_ENTRY_SYMLINK ? e->link : NULL, why);
}

static void layer_packed(void *ctx, const void *data, size_t len)
{
	struct layer *l = ctx;

	bd_image_hash_update(&l->hash, data, len);
	bd_progress_hashed(len);
}

static void layer_unpacked(void *ctx, const void *data, size_t len)
{
	struct layer *l = ctx;

	bd_image_hash_update(&l->diff, data, len);
}

/* The digest a layer blob must have: the manifest's; for docker save,
 * go-containerregistry's "<hex>.tar.gz" names its blob, and another
 * layer file (layer.tar, "<diffID>.tar") is the tar (uncompressed, else
 * checked once decompressed: extract_layer). */
static const char *layer_digest(const struct bd_image_layer *layer,
				char buf[BD_IMAGE_DIGEST_SIZE])
{
	const char *base = strrchr(layer->path, '/');

	base = base ? base + 1 : layer->path;
	if (layer->digest[0])
		return layer->digest;
	if (hex_then(base, ".tar.gz")) {
		snprintf(buf, BD_IMAGE_DIGEST_SIZE, "sha256:%.64s", base);
		return buf;
	}
	return layer->diff_id;
}

/* Whether the layer's blob has no digest but its diffID (docker save's
 * "<id>/layer.tar", podman's "<diffID>.tar"). */
static bool no_digest_of_its_own(const struct layer *l)
{
	const struct bd_image_layer *layer = &l->run->ii->meta.layers[l->index];
	char buf[BD_IMAGE_DIGEST_SIZE];

	return layer_digest(layer, buf) == layer->diff_id;
}

/* Opens the layer's blob in the image directory; a blob the metadata
 * names but the image lacks makes the image malformed. */
static int open_layer(struct run *r, const struct bd_image_layer *layer,
		      const char *name, int *fd)
{
	struct bd_buf host = BD_BUF_INIT;
	struct bd_error e;
	struct stat st;
	int rc;

	bd_buf_printf(&host, "%s/%s", r->src.host, layer->path);
	if (!bd_buf_ok(&host))
		return bd_error_set(r->err, BD_ENOMEM, "out of memory");
	bd_error_clear(&e);
	rc = bd_root_open(&r->src, host.data, 0, 0, fd, &st, &e);
	bd_buf_release(&host);
	if (rc == BD_ENOENT)
		return bd_error_set(r->err, BD_EFORMAT,
				    "'%s': missing from the image", name);
	if (rc) {
		bd_error_set(r->err, rc, "'%s': %s", name,
			     bd_error_reason(e.msg));
		r->err->errnum = e.errnum;
	}
	return rc;
}

/* Reads what libarchive left of the blob into the hash. */
static int hash_rest(int fd, struct bd_image_hash *h, const char *name,
		     struct bd_error *err)
{
	unsigned char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return bd_error_errno(err, BD_EIO, errno,
					      "'%s': cannot read", name);
		if (!n)
			return 0;
		bd_image_hash_update(h, buf, (size_t)n);
	}
}

/* Only a tar (plain or compressed; an empty one has no magic) is a
 * layer: libarchive would read a zip or an ar too. (A cpio, which
 * sniffing does not know, is no archive to the reader: tar_only.) */
static int check_tar(int fd, const char *name, struct bd_error *err)
{
	unsigned char *head = malloc(BD_ARCHIVE_SNIFF_MAX);
	enum bd_archive_kind kind = BD_ARCHIVE_NONE;
	size_t got = 0;
	int rc = 0;

	if (!head)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (bd_read_upto(fd, head, BD_ARCHIVE_SNIFF_MAX, &got))
		rc = bd_error_errno(err, BD_EIO, errno, "'%s': cannot read",
				    name);
	else
		kind = bd_archive_sniff(head, got);
	free(head);
	if (!rc && kind != BD_ARCHIVE_NONE && kind != BD_ARCHIVE_TAR)
		rc = bd_error_set(err, BD_EFORMAT, "'%s': not a tar layer",
				  name);
	return rc;
}

/*
 * The config's rootfs.diff_ids must name the digest of the layer's
 * uncompressed tar (containerd refuses an image whose diffID does not
 * match what it extracted: "wrong diff id calculated on extraction").
 * An uncompressed blob is that tar: its digest, checked already, is
 * compared. A compressed one's is what it decompressed to (l->diff).
 */
static int check_diff_id(struct layer *l, bool compressed, const char *name,
			 struct bd_error *err)
{
	const struct bd_image_layer *layer = &l->run->ii->meta.layers[l->index];
	struct bd_error e;

	if (compressed && l->diff.ctx) {
		if (!bd_image_hash_check(&l->diff, name, &e))
			return 0;
		if (e.code == BD_ENOMEM)
			return bd_error_set(err, BD_ENOMEM, "out of memory");
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': what it decompresses to is not "
				    "its diffID in the config (%s)",
				    name, layer->diff_id);
	}
	if (compressed || !layer->digest[0] || !layer->diff_id[0] ||
	    !strcmp(layer->digest, layer->diff_id))
		return 0;
	return bd_error_set(err, BD_EFORMAT,
			    "'%s': uncompressed, its digest is not its diffID "
			    "in the config (%s)",
			    name, layer->diff_id);
}

/* Extracts the open layer; then the rest of the blob is hashed and the
 * digest checked. A blob that is not what the manifest says is reported
 * as such, before how its bytes failed to read. */
static int extract_layer(struct run *r, struct layer *l, int fd,
			 const char *name, const char *aside)
{
	bool compressed = true;
	struct bd_archive_ops ops = { .select = layer_select,
				      .ctx = l,
				      .aside = aside,
				      .packed = layer_packed,
				      .repeats = true,
				      .compressed = &compressed,
				      .unpacked = l->diff.ctx ? layer_unpacked
							      : NULL,
				      .tar_only = true,
				      .links_below = true,
				      .place = layer_place };
	struct bd_error e;
	struct stat st;
	int rc = 0, hrc;

	bd_error_clear(&e);
	/* A blob of no bytes is an empty layer: containerd and moby read an
	 * empty stream as a tar with no entries (libarchive: no format). */
	if (fstat(fd, &st) || st.st_size)
		rc = bd_archive_extract(fd, name, r->wfd, ROOTFS, &r->lim, &ops,
					r->diag, &e);
	else
		compressed = false;
	if (l->rc) {
		*r->err = l->err;
		return l->rc;
	}
	if (rc && rc != BD_EFORMAT) {
		*r->err = e;
		return rc;
	}
	if (!rc && compressed && no_digest_of_its_own(l)) {
		/* docker save's layer.tar, compressed: docker load
		 * decompresses it, and its only digest, the diffID, is
		 * what it decompresses to's (check_diff_id). */
		bd_image_hash_release(&l->hash);
		hrc = 0;
	} else {
		hrc = hash_rest(fd, &l->hash, name, r->err);
		if (!hrc)
			hrc = bd_image_hash_check(&l->hash, name, r->err);
	}
	/* A blob that could not be read has no diffID to compare: what was
	 * decompressed of it is no tar (nor was it said whether it is
	 * compressed); how it failed is the error. */
	if (!hrc && !rc)
		hrc = check_diff_id(l, compressed, name, r->err);
	if (!hrc && rc)
		*r->err = e;
	return hrc ? hrc : rc;
}

static int start_hash(struct bd_image_hash *h,
		      const struct bd_image_layer *layer, const char *name,
		      struct bd_error *err)
{
	char want[BD_IMAGE_DIGEST_SIZE];
	int rc = bd_image_hash_init(h, layer_digest(layer, want), layer->size);

	if (rc == BD_EFORMAT)
		return bd_error_set(err, rc, "'%s': no digest to check it by",
				    name);
	return rc ? bd_error_set(err, rc, "out of memory") : 0;
}

static int merge_layer(struct run *r, uint32_t index)
{
	const struct bd_image_layer *layer = &r->ii->meta.layers[index];
	char aside[32];
	const char *name =
		bd_arena_printf(&r->ii->arena, "%s%s%s", r->display,
				r->tarball ? "!/" : "/", layer->path);
	struct layer l = {
		.run = r, .display = name, .aside_dir = aside, .index = index
	};
	struct bd_error ignored;
	int fd = -1, rc;

	if (!name)
		return bd_error_set(r->err, BD_ENOMEM, "out of memory");
	rc = open_layer(r, layer, name, &fd);
	if (!rc)
		rc = check_tar(fd, name, r->err);
	if (!rc)
		rc = start_hash(&l.hash, layer, name, r->err);
	/* The diffID, when the config gives one, over what the blob
	 * decompresses to (none: an uncompressed blob is its own). */
	if (!rc && layer->diff_id[0] &&
	    bd_image_hash_init(&l.diff, layer->diff_id, 0) == BD_ENOMEM)
		rc = bd_error_set(r->err, BD_ENOMEM, "out of memory");
	if (rc) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	bd_arena_init(&l.arena);
	bd_map_init(&l.aside);
	bd_map_init(&l.links);
	snprintf(aside, sizeof(aside), "held-%u", index);
	bd_image_merge_layer(&r->merge, name);
	bd_image_links_layer(&r->links, name);
	bd_progress_reading(name);
	rc = extract_layer(r, &l, fd, name, aside);
	if (!rc && r->nbelow)
		rc = below_layer_done(&l);
	bd_progress_reading(NULL);
	close(fd);
	bd_image_hash_release(&l.hash);
	bd_image_hash_release(&l.diff);
	bd_map_release(&l.aside);
	bd_map_release(&l.links);
	free(l.to);
	bd_arena_release(&l.arena);
	/* The files put aside were linked where needed; a tree too deep to
	 * remove here is the caller's, with workdir. */
	(void)bd_image_remove(r->wfd, aside, &ignored);
	return rc;
}

/* "<workdir>/rootfs" made, its absolute path kept. */
static int make_rootfs(struct run *r)
{
	struct bd_buf path = BD_BUF_INIT;
	char *real;

	if (mkdirat(r->wfd, ROOTFS, 0700))
		return bd_error_errno(r->err, BD_EIO, errno,
				      "'%s/" ROOTFS "': cannot make",
				      r->workdir);
	bd_buf_printf(&path, "%s/" ROOTFS, r->workdir);
	real = bd_buf_ok(&path) ? realpath(path.data, NULL) : NULL;
	bd_buf_release(&path);
	if (real)
		r->ii->rootfs = bd_arena_strdup(&r->ii->arena, real);
	free(real);
	if (!r->ii->rootfs)
		return bd_error_set(r->err, BD_ENOMEM, "out of memory");
	return 0;
}

/* The layers, top first. */
static int merge_layers(struct run *r)
{
	size_t i = r->ii->meta.nlayers;
	int rc = make_rootfs(r);

	bd_image_merge_init(&r->merge, r->diag);
	bd_image_links_init(&r->links, r->diag);
	r->merge.implied = r->links.implied = r->lim.implied;
	r->merge.listed = r->lim.listed;
	bd_map_init(&r->below_paths);
	bd_arena_init(&r->below_arena);
	while (!rc && i--)
		rc = merge_layer(r, (uint32_t)i);
	for (i = 0; !rc && i < r->nbelow; i++) {
		if (!r->below[i].done)
			below_lost(r, &r->below[i]);
	}
	free(r->below);
	bd_map_release(&r->below_paths);
	bd_arena_release(&r->below_arena);
	bd_image_links_release(&r->links);
	bd_image_merge_release(&r->merge);
	return rc;
}

/* ---- the entry point --------------------------------------------------- */

void bd_input_image_init(struct bd_input_image *ii)
{
	memset(ii, 0, sizeof(*ii));
	bd_arena_init(&ii->meta.arena);
	bd_arena_init(&ii->arena);
	bd_map_init(&ii->layer_of);
}

void bd_input_image_release(struct bd_input_image *ii)
{
	bd_image_release(&ii->meta);
	bd_map_release(&ii->layer_of);
	bd_arena_release(&ii->arena);
	bd_input_image_init(ii);
}

const struct bd_image_layer *
bd_input_image_layer(const struct bd_input_image *ii, const char *inside)
{
	uint32_t i;

	if (!bd_map_get(&ii->layer_of, inside, &i) || i >= ii->meta.nlayers)
		return NULL;
	return &ii->meta.layers[i];
}

/* The tarball at path: its first bytes must be a tar's. */
static int open_tarball(struct run *r, const char *path, int *fd,
			struct stat *st)
{
	unsigned char *head;
	size_t got = 0;
	enum bd_archive_kind kind = BD_ARCHIVE_NONE;
	int rc = bd_root_open(NULL, path, 0, 0, fd, st, r->err);

	if (rc)
		return rc;
	head = malloc(BD_ARCHIVE_SNIFF_MAX);
	if (!head)
		rc = bd_error_set(r->err, BD_ENOMEM, "out of memory");
	else if (bd_read_upto(*fd, head, BD_ARCHIVE_SNIFF_MAX, &got))
		rc = bd_error_errno(r->err, BD_EIO, errno, "'%s': cannot read",
				    r->display);
	else
		kind = bd_archive_sniff(head, got);
	free(head);
	if (!rc && kind != BD_ARCHIVE_TAR)
		rc = not_image(r, "not a tarball");
	if (rc) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* The image's files: a layout directory read in place, or a tarball's
 * stored in STORE. */
static int open_source(struct run *r, const char *path)
{
	struct bd_buf store = BD_BUF_INIT;
	struct stat st;
	int fd = -1, rc;

	if (stat(path, &st))
		return bd_error_errno(r->err, BD_ENOENT, errno,
				      "'%s': cannot open", r->display);
	r->tarball = !S_ISDIR(st.st_mode);
	if (r->tarball && r->form == BD_IMAGE_FORM_OCI_DIR)
		return not_image(r, "not a directory");
	if (!r->tarball && r->form != BD_IMAGE_FORM_OCI_DIR &&
	    r->form != BD_IMAGE_FORM_AUTO)
		return not_image(r, "a directory");
	if (!r->tarball) {
		rc = bd_root_init(&r->src, path, NULL);
		if (rc)
			return bd_error_set(r->err, rc, "'%s': cannot open",
					    r->display);
		if (r->form == BD_IMAGE_FORM_OCI_DIR &&
		    fstatat(r->src.fd, "oci-layout", &st, AT_SYMLINK_NOFOLLOW))
			rc = not_image(r, "no oci-layout");
		return rc;
	}
	rc = open_tarball(r, path, &fd, &st);
	bd_progress_reading(r->display);
	if (!rc)
		rc = store_tarball(r, fd, &st);
	bd_progress_reading(NULL);
	if (fd >= 0)
		close(fd);
	bd_buf_printf(&store, "%s/" STORE, r->workdir);
	if (!rc)
		rc = bd_buf_ok(&store)
			     ? bd_root_init(&r->src, store.data, r->err)
			     : bd_error_set(r->err, BD_ENOMEM, "out of memory");
	bd_buf_release(&store);
	return rc;
}

static void run_finish(struct run *r)
{
	struct bd_error ignored;

	bd_root_release(&r->src);
	if (r->tarball)
		(void)bd_image_remove(r->wfd, STORE, &ignored);
	if (r->wfd >= 0)
		close(r->wfd);
}

int bd_input_image_read(struct bd_input_image *ii, const char *path,
			const char *display, enum bd_image_form form,
			const char *workdir, const struct bd_image_select *sel,
			const struct bd_archive_limits *lim,
			const struct bd_diag *diag, struct bd_error *err)
{
	struct run r = { .ii = ii,
			 .display = display ? display : path,
			 .workdir = workdir,
			 .form = form,
			 .diag = diag,
			 .err = err };
	uint64_t start;
	int rc;

	bd_error_clear(err);
	bd_input_image_init(ii);
	r.src.fd = -1;
	if (lim)
		r.lim = *lim;
	else
		bd_archive_limits_default(&r.lim);
	r.lim.keep_absolute_links = true; /* the tree is read confined */
	r.lim.image_layer = true;
	r.local_total = UINT64_MAX;
	if (!r.lim.total_left)
		r.lim.total_left = &r.local_total;
	start = *r.lim.total_left;
	r.implied.max = BD_IMAGE_MAX_IMPLIED_DIRS;
	if (!r.lim.implied)
		r.lim.implied = &r.implied;
	r.listed = (struct bd_archive_implied){
		.max = BD_IMAGE_MAX_LISTED_DIRS,
		.kind = BD_ARCHIVE_CAP_LISTED,
	};
	if (!r.lim.listed)
		r.lim.listed = &r.listed;
	r.written = (struct bd_archive_implied){
		.max = BD_IMAGE_MAX_WRITTEN,
		.kind = BD_ARCHIVE_CAP_WRITTEN,
	};
	if (!r.lim.written)
		r.lim.written = &r.written;
	r.wfd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.wfd < 0)
		return bd_error_errno(err, BD_EIO, errno,
				      "'%s': cannot open the work directory",
				      workdir);
	rc = open_source(&r, path);
	if (!rc)
		rc = read_meta(&r, sel);
	if (!rc)
		rc = merge_layers(&r);
	ii->unpacked = start - *r.lim.total_left;
	run_finish(&r);
	if (rc)
		bd_input_image_release(ii);
	return rc;
}
