/* SPDX-License-Identifier: MIT */
/*
 * Where an entry of an image layer is written (image.h, bd_image_links):
 * its directory resolved through the symlinks its own layer made before
 * it, inside the layer's root.
 *
 * containerd's applier (pkg/archive/tar.go, applyNaive) resolves each
 * entry's directory with fs.RootPath in the tree it applies the layer to:
 * a link is followed, an absolute target from that root, ".." stopping at
 * it, more than 255 links an error; the entry's own name is not followed
 * (what is there is replaced). RootPath reads a target with Go's
 * filepath.Join, lexically: "a/l -> x/../../opt" is /opt whatever x is,
 * where the kernel (and moby's os.Root, and umoci) would climb from where
 * x leads; walk_path says how, and is a port of it (continuity 236a5b5,
 * fs/path.go), so that an entry is where containerd writes it, and a
 * library hidden that way shown where the container has it. Its overlayfs
 * snapshotter, the default, and docker's overlay2 apply a layer to its
 * own upper directory, empty at first (diff/apply/apply_linux.go:
 * archive.Apply on the upperdir, the lower layers only read for the
 * attributes of the directories made): the links followed are those the
 * layer made before the entry, never a lower layer's. So "lib -> usr/lib"
 * then "lib/libx.so" in one layer is written at usr/lib/libx.so, as
 * moby's UnpackLayer (os.Root in the layer's diff directory) and umoci's
 * securejoin write it too.
 *
 * The file is then shown where it was written, the path it has in the
 * container (the loader search finds it through the link too, as the
 * container's loader does). syft's stereoscope shows the entry's name
 * instead: its filetree adds an entry below the link's node unresolved
 * (AddFile takes "a real path", no link resolution is performed), a path
 * that reaches the file, not where it is.
 *
 * Where the peers part, containerd is followed, the runtime most images
 * run on: umoci unpacks every layer into one tree, and follows a lower
 * layer's link as well (overlayfs shows the upper layer's directory in
 * its place: bd_image_merge); moby refuses a layer whose relative link
 * climbs past its root, where containerd stops at the root; a loop, which
 * all three refuse with the whole layer, skips the one entry below it
 * here, with a warning.
 *
 * The layer's links are kept by path (the path each was written at, its
 * own directory resolved), with the directories above them, as a tree of
 * names (a lookup hashes one component, a name is stored once: a path
 * per directory made a deep name cost its length times its depth), each
 * with the number of the entry that made the link and of the last that
 * replaced what was at the path (a file, a link, a device: unless both
 * are directories, the path is removed first, all below it too): a link
 * is there while nothing above it was replaced since it was made.
 */
#include "bindep/image.h"
#include "bindep/archive.h"

#include <stdlib.h>
#include <string.h>

#define WH_PREFIX ".wh."
/* The path left to resolve, links' targets put in front of it. */
#define REST_MAX (16u * BD_IMAGE_LINKS_NAME_MAX)
/* What a lookup costs beyond its bytes (one SipHash call). */
#define LOOKUP_COST 64
/* No node: nothing the layer made a link at or above is there. */
#define NONE UINT32_MAX

#define STR(x)	#x
#define XSTR(x) STR(x)

struct bd_image_link_node {
	const char *target; /* a link's target as stored; NULL: no link */
	uint64_t made;	    /* the entry that made the link */
	uint64_t cut;	    /* the last entry that replaced what was here */
};

/*
 * A path being resolved as fs.RootPath resolves it. While known, the path
 * so far is clean and from the root (out, without its '/': "" is the
 * root), each directory on it looked up and none a link: for each depth
 * its node (NONE: none), where its component starts and the last
 * replacement above it, so that the next lookup is of one name below a
 * node. Else it is the string RootPath holds (str): a link's target as
 * stored, or joined to the path before the link.
 */
struct walk {
	struct bd_image_links *k;
	struct bd_buf out;
	size_t depth;
	uint32_t node[BD_IMAGE_LINKS_DEPTH + 1];
	size_t start[BD_IMAGE_LINKS_DEPTH + 1];
	uint64_t cut[BD_IMAGE_LINKS_DEPTH + 1];
	bool known;
	struct bd_buf str;
	unsigned followed; /* links walked: RootPath's linksWalked */
	unsigned kernel;   /* links the kernel follows in one lstat */
	bool charged;	   /* a link was followed: lookups cost */
	const char *why;   /* a skip's reason; NULL: said already */
};

#define SKIP 1

/* Why an entry is skipped, in its warning. */
static const char why_loop[] =
	"more than " XSTR(BD_IMAGE_LINKS_FOLLOWED) " symlinks on its path "
						   "(a loop), skipped";
/* The kernel's MAXSYMLINKS: an lstat past it fails with ELOOP. */
#define KERNEL_FOLLOWED 40
static const char why_eloop[] =
	"more than " XSTR(KERNEL_FOLLOWED) " symlinks in a path looked up on "
					   "its way (a loop), skipped";
static const char why_long[] =
	"its path through the layer's symlinks is longer than " XSTR(
		BD_IMAGE_LINKS_NAME_MAX) " bytes, skipped";
static const char why_deep[] =
	"its path through the layer's symlinks is deeper than " XSTR(
		BD_IMAGE_LINKS_DEPTH) " directories, skipped";

void bd_image_links_init(struct bd_image_links *k, const struct bd_diag *diag)
{
	memset(k, 0, sizeof(*k));
	k->diag = diag;
	k->display = "layer";
	k->budget = BD_IMAGE_LINKS_BUDGET;
	bd_arena_init(&k->arena);
	bd_pathmap_init(&k->names);
	bd_buf_init(&k->last_dir);
	bd_buf_init(&k->last_to);
}

static void forget_layer(struct bd_image_links *k)
{
	bd_pathmap_release(&k->names);
	bd_arena_release(&k->arena);
	free(k->node);
	k->node = NULL;
	k->nnodes = k->anodes = k->nlinks = 0;
	k->seq = 0;
	k->last_valid = false;
}

void bd_image_links_release(struct bd_image_links *k)
{
	forget_layer(k);
	bd_buf_release(&k->last_dir);
	bd_buf_release(&k->last_to);
}

void bd_image_links_layer(struct bd_image_links *k, const char *display)
{
	forget_layer(k);
	bd_arena_init(&k->arena);
	bd_pathmap_init(&k->names);
	k->display = display ? display : "layer";
}

/* The node named c[0..n) in the directory of node dir; NONE when there
 * is none. */
static uint32_t node_child(const struct bd_image_links *k, uint32_t dir,
			   const char *c, size_t n)
{
	uint32_t i;

	return dir != NONE && bd_pathmap_get(&k->names, dir, c, n, &i) ? i
								       : NONE;
}

/* A new node (no link, nothing replaced); NONE when out of memory. */
static uint32_t node_new(struct bd_image_links *k)
{
	if (k->nnodes >= NONE - 1 || BD_GROW(k->node, k->anodes, k->nnodes + 1))
		return NONE;
	k->node[k->nnodes] = (struct bd_image_link_node){ NULL, 0, 0 };
	return (uint32_t)k->nnodes++;
}

/* The node named c[0..n) in the directory of node dir, made when
 * missing; NONE when out of memory. */
static uint32_t node_make(struct bd_image_links *k, uint32_t dir, const char *c,
			  size_t n)
{
	uint32_t i = node_child(k, dir, c, n);
	bool added;

	if (i != NONE)
		return i;
	i = node_new(k);
	if (i == NONE || bd_pathmap_add(&k->names, dir, c, n, i, &added))
		return NONE;
	return i;
}

/* The node of name (normalised: no "", "." nor ".." component), NONE
 * when there is none; with make, made, the root first. */
static uint32_t node_path(struct bd_image_links *k, const char *name, bool make)
{
	uint32_t i = k->nnodes ? 0 : make ? node_new(k) : NONE;
	const char *c = name;

	while (i != NONE && *c) {
		size_t n = strcspn(c, "/");

		i = make ? node_make(k, i, c, n) : node_child(k, i, c, n);
		c += n + (c[n] == '/');
	}
	return i;
}

/* ---- resolving ---------------------------------------------------------- */

static int skip(struct walk *w, const char *why)
{
	w->why = why;
	return SKIP;
}

/* Charges a lookup of len bytes once a link was followed (what a crafted
 * layer can make cost more than its own bytes); past the image's budget,
 * said once, the entry is skipped. */
static int charge(struct walk *w, size_t len)
{
	struct bd_image_links *k = w->k;
	uint64_t cost = (uint64_t)len + LOOKUP_COST;

	if (!w->charged)
		return 0;
	if (!k->spent && k->budget >= cost) {
		k->budget -= cost;
		return 0;
	}
	if (!k->spent)
		bd_diag_report(k->diag, BD_DIAG_WARNING,
			       "'%s': more than %u MiB of paths looked up "
			       "following its symlinks: the entries below "
			       "them, and below those of the layers under it, "
			       "are skipped",
			       k->display, BD_IMAGE_LINKS_BUDGET >> 20);
	k->spent = true;
	return skip(w, NULL);
}

static void walk_up(struct walk *w)
{
	if (!w->depth)
		return;
	w->depth--;
	w->out.len = w->start[w->depth];
	if (w->out.data)
		w->out.data[w->out.len] = '\0';
}

static void walk_to_root(struct walk *w)
{
	w->depth = 0;
	bd_buf_reset(&w->out);
}

static bool is_dot(const char *c, size_t n)
{
	return n == 1 && c[0] == '.';
}

static bool is_dotdot(const char *c, size_t n)
{
	return n == 2 && c[0] == '.' && c[1] == '.';
}

/*
 * Appends the component c[0..n) to the path; *link is set to the target
 * of a link of the layer there (the component then taken off again, for
 * the caller to follow it), else NULL.
 */
static int walk_down(struct walk *w, const char *c, size_t n, const char **link)
{
	const struct bd_image_link_node *node;
	size_t at = w->out.len;
	uint32_t i;
	int rc;

	*link = NULL;
	/* Room for the entry's own name below. */
	if (w->depth + 1 >= BD_IMAGE_LINKS_DEPTH)
		return skip(w, why_deep);
	if (at + !!at + n > BD_IMAGE_LINKS_NAME_MAX)
		return skip(w, why_long);
	if (at)
		bd_buf_addc(&w->out, '/');
	bd_buf_add(&w->out, c, n);
	if (!bd_buf_ok(&w->out))
		return BD_ENOMEM;
	rc = charge(w, n);
	if (rc)
		return rc;
	i = node_child(w->k, w->node[w->depth], c, n);
	node = i == NONE ? NULL : &w->k->node[i];
	w->start[w->depth] = at;
	w->cut[w->depth + 1] = w->cut[w->depth];
	if (node && node->target && node->made > w->cut[w->depth]) {
		*link = node->target;
		w->out.len = at;
		w->out.data[at] = '\0';
		return 0;
	}
	if (node && node->cut > w->cut[w->depth + 1])
		w->cut[w->depth + 1] = node->cut;
	w->node[++w->depth] = i;
	return 0;
}

/* ---- the kernel's lookup: lstat(2) of a path RootPath holds ------------ */

/* rest becomes target, then what is left of it after *pos, from 0. */
static int kernel_follow(struct walk *w, struct bd_buf *rest, size_t *pos,
			 const char *target)
{
	struct bd_buf next = BD_BUF_INIT;
	size_t left = rest->len - *pos;

	if (++w->kernel > KERNEL_FOLLOWED)
		return skip(w, why_eloop);
	if (strlen(target) + 1 + left > REST_MAX)
		return skip(w, why_long);
	if (target[0] == '/')
		walk_to_root(w);
	bd_buf_adds(&next, target);
	bd_buf_addc(&next, '/');
	bd_buf_add(&next, rest->data + *pos, left);
	if (!bd_buf_ok(&next)) {
		bd_buf_release(&next);
		return BD_ENOMEM;
	}
	bd_buf_release(rest);
	*rest = next;
	*pos = 0;
	return charge(w, strlen(target) + 1 + left);
}

/*
 * The directory path[0..len) as the kernel resolves it (path_resolution(7):
 * each link followed where it is, ".." the parent of where the walk is),
 * into the known path from the root, an absolute target taken from the
 * image's root: RootPath's lstat of a path with links in it (the image's
 * root where the kernel would read this machine's, which containerd's
 * lstat does for an absolute one).
 */
static int kernel_walk(struct walk *w, const char *path, size_t len)
{
	struct bd_buf rest = BD_BUF_INIT;
	size_t pos = 0;
	int rc = 0;

	walk_to_root(w);
	w->kernel = 0;
	bd_buf_add(&rest, path, len);
	if (!bd_buf_ok(&rest))
		rc = BD_ENOMEM;
	while (!rc && pos < rest.len) {
		const char *c = rest.data + pos, *link;
		size_t n = strcspn(c, "/");

		pos += n + (pos + n < rest.len);
		if (!n || is_dot(c, n))
			continue;
		if (is_dotdot(c, n)) {
			walk_up(w);
			continue;
		}
		rc = walk_down(w, c, n, &link);
		if (!rc && link)
			rc = kernel_follow(w, &rest, &pos, link);
	}
	bd_buf_release(&rest);
	return rc;
}

/* ---- containerd's fs.RootPath ------------------------------------------ */

/*
 * Go's filepath.Join(a, b) into out, b NULL for filepath.Clean(a): the
 * components joined by one '/', "." dropped, ".." taking off the one before
 * it, at the start of a path from the root dropped, of a relative one kept;
 * "." for nothing left of a relative path. Lexical: a component that is a
 * link is taken off by a ".." after it as any other.
 */
static int go_join(struct bd_buf *out, const char *a, const char *b)
{
	const char *part[2] = { a, b }, *c;
	size_t i, n, keep = 0; /* leading ".." of a relative path */
	bool rooted = a[0] == '/' || (!a[0] && b && b[0] == '/');

	bd_buf_reset(out);
	if (rooted)
		bd_buf_addc(out, '/');
	for (i = 0; i < 2 && part[i]; i++) {
		for (c = part[i]; *c; c += n + (c[n] == '/')) {
			n = strcspn(c, "/");
			if (!n || is_dot(c, n))
				continue;
			if (!is_dotdot(c, n)) {
				if (out->len > rooted)
					bd_buf_addc(out, '/');
				bd_buf_add(out, c, n);
			} else if (out->len > rooted + keep) {
				char *slash = memrchr(out->data + rooted, '/',
						      out->len - rooted);

				out->len = slash ? (size_t)(slash - out->data)
						 : (size_t)rooted;
				if (out->data)
					out->data[out->len] = '\0';
			} else if (!rooted) {
				bd_buf_adds(out, out->len ? "/.." : "..");
				keep = out->len;
			}
		}
	}
	if (!out->len)
		bd_buf_addc(out, '.');
	return bd_buf_ok(out) ? 0 : BD_ENOMEM;
}

/* The path so far as RootPath holds it: "/" and the known path, or str. */
static const char *go_path(struct walk *w, struct bd_buf *tmp)
{
	if (!w->known)
		return bd_buf_str(&w->str);
	bd_buf_reset(tmp);
	bd_buf_addc(tmp, '/');
	bd_buf_add(tmp, w->out.data, w->out.len);
	return bd_buf_str(tmp);
}

/* A link walked (walkLink): the path becomes its target as it is when
 * raw or absolute, else the target joined to the path before the link. */
static int go_link(struct walk *w, const char *target, bool raw)
{
	struct bd_buf before = BD_BUF_INIT, next = BD_BUF_INIT;
	size_t len = strlen(target);
	int rc = 0;

	w->followed++;
	w->charged = true;
	if (len + w->out.len + w->str.len + 2 > REST_MAX)
		rc = skip(w, why_long);
	else if (raw || target[0] == '/')
		bd_buf_adds(&next, target);
	else
		rc = go_join(&next, go_path(w, &before), target);
	if (!rc && !bd_buf_ok(&next))
		rc = BD_ENOMEM;
	if (!rc)
		rc = charge(w, next.len);
	if (!rc) {
		bd_buf_release(&w->str);
		w->str = next;
		w->known = false;
	} else {
		bd_buf_release(&next);
	}
	bd_buf_release(&before);
	return rc;
}

/*
 * Looks up the path so far joined to c, that path not known: lstat(2) of
 * it, its directories resolved as the kernel does. The path becomes known
 * when no link was on the way, else the string joined.
 */
static int go_lookup(struct walk *w, const char *c, size_t n)
{
	struct bd_buf q = BD_BUF_INIT, rel = BD_BUF_INIT;
	const char *base, *link;
	int rc;

	/* Join("/", Join(nd, c)) is the clean path of "/" nd "/" c. */
	bd_buf_add(&rel, w->str.data, w->str.len);
	bd_buf_addc(&rel, '/');
	bd_buf_add(&rel, c, n);
	rc = bd_buf_ok(&rel) ? go_join(&q, "/", rel.data) : BD_ENOMEM;
	if (!rc)
		rc = charge(w, q.len);
	if (!rc && q.len == 1) {
		walk_to_root(w);
		w->known = true;
	} else if (!rc) {
		base = strrchr(q.data, '/') + 1;
		rc = kernel_walk(w, q.data + 1, (size_t)(base - q.data - 1));
		if (!rc)
			rc = walk_down(w, base, strlen(base), &link);
		if (!rc && link)
			rc = go_link(w, link, false);
		else if (!rc && w->kernel) {
			bd_buf_release(&w->str);
			w->str = q;
			bd_buf_init(&q);
		} else if (!rc) {
			w->known = true;
		}
	}
	bd_buf_release(&q);
	bd_buf_release(&rel);
	return rc;
}

/*
 * One component of the path a pass walks (walkLinks: the path so far
 * joined to it, looked up; a link walked). The first of a relative path
 * is looked up from the root, its link's target taken as it is (raw),
 * which a later pass walks, "." and ".." in it included.
 */
static int go_step(struct walk *w, const char *c, size_t n, bool first)
{
	const char *link;
	int rc;

	/* walkLink: past 255 links, any lookup fails. */
	if (w->followed > BD_IMAGE_LINKS_FOLLOWED)
		return skip(w, why_loop);
	if (!w->known)
		return go_lookup(w, c, n);
	if (is_dot(c, n) || (is_dotdot(c, n) && first))
		return 0;
	if (is_dotdot(c, n)) {
		walk_up(w);
		return 0;
	}
	rc = walk_down(w, c, n, &link);
	return !rc && link ? go_link(w, link, first) : rc;
}

/* One pass of RootPath over path (walkLinks). */
static int go_pass(struct walk *w, const char *path)
{
	const char *c = path;
	bool first = path[0] != '/';
	int rc = 0;

	walk_to_root(w);
	w->known = true;
	if (first && !path[strspn(path, "/")] &&
	    w->followed > BD_IMAGE_LINKS_FOLLOWED)
		return skip(w, why_loop);
	while (!rc && *c) {
		size_t n = strcspn(c, "/");

		if (n) {
			rc = go_step(w, c, n, first);
			first = false;
		}
		c += n + (c[n] == '/');
	}
	return rc;
}

/*
 * Resolves the directory path[0..len) into the known path, as
 * fs.RootPath does: passes over the path until one walks no link, each
 * walking the last one's result, a link's target as it is or joined to
 * the path before the link, lexically (".." taking off the component
 * before it, a link or not); each component's lookup an lstat, the
 * kernel resolving links in a path that holds some. A pass that ends on
 * a known path is the last: the next would walk no link.
 */
static int walk_path(struct walk *w, const char *path, size_t len)
{
	struct bd_buf next = BD_BUF_INIT;
	unsigned before;
	int rc;

	bd_buf_add(&next, path, len);
	rc = bd_buf_ok(&next) ? 0 : BD_ENOMEM;
	while (!rc) {
		before = w->followed;
		rc = go_pass(w, next.data);
		if (rc || w->known) {
			/* The next pass's lookups would fail past 255. */
			if (!rc && w->followed != before && w->depth &&
			    w->followed > BD_IMAGE_LINKS_FOLLOWED)
				rc = skip(w, why_loop);
			break;
		}
		bd_buf_reset(&next);
		bd_buf_add(&next, w->str.data, w->str.len);
		rc = bd_buf_ok(&next) ? charge(w, next.len) : BD_ENOMEM;
	}
	bd_buf_release(&next);
	return rc;
}

/*
 * The name whose directory is name[0..dirlen), written back into name as
 * its directory leads (w->out) and its last component.
 */
static int put_back(struct walk *w, char *name, size_t dirlen)
{
	const char *base = name + dirlen + 1;
	size_t n = strlen(base), at = w->out.len;

	if (at + !!at + n > BD_IMAGE_LINKS_NAME_MAX)
		return skip(w, why_long);
	memmove(name + at + !!at, base, n + 1);
	if (at)
		name[at] = '/';
	memcpy(name, bd_buf_str(&w->out), at);
	return 0;
}

/* Resolves the directory of name (a normalised path, in a buffer of
 * BD_IMAGE_LINKS_NAME_MAX + 1 bytes), remembered in last_* when cached. */
static int place_name(struct bd_image_links *k, char *name, bool cached,
		      const char **why)
{
	const char *slash = strrchr(name, '/');
	size_t dirlen = slash ? (size_t)(slash - name) : 0;
	struct walk w = {
		.k = k, .out = BD_BUF_INIT, .node = { 0 }, .str = BD_BUF_INIT
	};
	int rc;

	if (!slash || !k->nlinks)
		return 0;
	if (cached && k->last_valid && k->last_dir.len == dirlen &&
	    !memcmp(k->last_dir.data, name, dirlen)) {
		bd_buf_add(&w.out, k->last_to.data, k->last_to.len);
		rc = 0;
	} else {
		rc = walk_path(&w, name, dirlen);
		if (!rc && cached) {
			bd_buf_reset(&k->last_dir);
			bd_buf_add(&k->last_dir, name, dirlen);
			bd_buf_reset(&k->last_to);
			bd_buf_add(&k->last_to, bd_buf_str(&w.out), w.out.len);
			k->last_followed = w.followed > 0;
			k->last_valid = bd_buf_ok(&k->last_dir) &&
					bd_buf_ok(&k->last_to);
		}
	}
	if (!rc && !bd_buf_ok(&w.out))
		rc = BD_ENOMEM;
	if (!rc)
		rc = put_back(&w, name, dirlen);
	*why = w.why;
	bd_buf_release(&w.out);
	bd_buf_release(&w.str);
	return rc;
}

/* ---- recording ---------------------------------------------------------- */

/* Whether path[0..len) is dir, or a directory above it. */
static bool at_or_above(const char *path, size_t len, const struct bd_buf *dir)
{
	return len <= dir->len && !memcmp(path, dir->data, len) &&
	       (len == dir->len || dir->data[len] == '/');
}

/* A link made or gone at path[0..len): the directory cached leads
 * elsewhere when it went through a link, or when the link is on it. */
static void links_changed(struct bd_image_links *k, const char *path,
			  size_t len, bool made)
{
	if (k->last_followed || (made && at_or_above(path, len, &k->last_dir)))
		k->last_valid = false;
}

/* The directories above name (normalised) the tree does not hold. */
static uint64_t new_dirs(const struct bd_image_links *k, const char *name)
{
	uint32_t i = k->nnodes ? 0 : NONE;
	const char *c = name;
	uint64_t n = 0;

	while (c[strcspn(c, "/")]) {
		size_t len = strcspn(c, "/");

		i = node_child(k, i, c, len);
		n += i == NONE;
		c += len + 1;
	}
	return n;
}

/* The link name -> symlink, made by the current entry, and the
 * directories above it; when they are past k->implied, the entry is
 * skipped (said once, with the merge's: the same directories). */
static int record_link(struct bd_image_links *k, const char *name,
		       const char *symlink, const char **why)
{
	char *target;
	uint32_t i;

	if (!bd_archive_implied_take(k->implied, new_dirs(k, name))) {
		bd_archive_implied_cut(k->implied, k->diag, k->display);
		*why = NULL;
		return SKIP;
	}
	target = bd_arena_strdup(&k->arena, symlink);
	i = target ? node_path(k, name, true) : NONE;
	if (i == NONE)
		return BD_ENOMEM;
	k->node[i] = (struct bd_image_link_node){ target, k->seq, k->seq };
	k->nlinks++;
	links_changed(k, name, strlen(name), true);
	return 0;
}

bool bd_image_whiteout_path(struct bd_buf *path, const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	const char *target = base + strlen(WH_PREFIX);

	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) ||
	    !strncmp(target, WH_PREFIX, strlen(WH_PREFIX)) || !*target ||
	    !strcmp(target, ".") || !strcmp(target, ".."))
		return false;
	bd_buf_add(path, name, (size_t)(base - name));
	bd_buf_adds(path, target);
	return true;
}

/* What is at path (normalised) is replaced by a directory (merged with
 * one there) or else removed, all below it too: the links there go. */
static void replaced(struct bd_image_links *k, const char *path, bool is_dir)
{
	uint32_t i = k->nlinks ? node_path(k, path, false) : NONE;
	struct bd_image_link_node *n;

	if (i == NONE)
		return;
	n = &k->node[i];
	/* A directory merges with one there, and replaces anything else:
	 * a link there, and the links below. */
	if (n->target || !is_dir)
		links_changed(k, path, strlen(path), false);
	n->target = NULL;
	if (!is_dir)
		n->cut = k->seq;
}

/* What the current entry, placed at name, does to the layer's links: a
 * whiteout removes what the layer made at its path before it
 * (bd_image_whiteout_path), all below it too. */
static int record(struct bd_image_links *k, const char *name, bool is_dir,
		  const char *symlink, const char **why)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	struct bd_buf path = BD_BUF_INIT;

	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX))) {
		if (symlink)
			return record_link(k, name, symlink, why);
		replaced(k, name, is_dir);
		return 0;
	}
	if (k->nlinks && bd_image_whiteout_path(&path, name)) {
		if (!bd_buf_ok(&path)) {
			bd_buf_release(&path);
			return BD_ENOMEM;
		}
		replaced(k, path.data, false);
	}
	bd_buf_release(&path);
	return 0;
}

int bd_image_links_place(struct bd_image_links *k, char *name, char *target,
			 bool is_dir, const char *symlink, const char **why)
{
	int rc;

	*why = NULL;
	k->seq++;
	rc = place_name(k, name, true, why);
	if (!rc && target)
		rc = place_name(k, target, false, why);
	if (!rc)
		rc = record(k, name, is_dir, symlink, why);
	return rc;
}
