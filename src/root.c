/* SPDX-License-Identifier: MIT */
#include "bindep/root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bd_root_init(struct bd_root *r, const char *dir, struct bd_error *err)
{
	char *real;

	r->host = NULL;
	r->hostlen = 0;
	r->fd = -1;
	r->lower = NULL;
	if (!dir) {
		r->host = strdup("");
		return r->host ? 0
			       : bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	real = realpath(dir, NULL);
	if (!real)
		return bd_error_errno(err, BD_ENOENT, errno,
				      "'%s': cannot use as --root", dir);
	/* The host's "/" is stored as "" so that host + inside needs no
	 * special case. */
	if (!strcmp(real, "/"))
		real[0] = '\0';
	r->host = real;
	r->hostlen = strlen(real);
	if (r->hostlen) {
		/* Every file under the root is opened relative to this. */
		r->fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (r->fd < 0) {
			int rc = bd_error_errno(err, BD_ENOENT, errno,
						"'%s': cannot use as --root",
						dir);

			bd_root_release(r);
			return rc;
		}
	}
	return 0;
}

void bd_root_release(struct bd_root *r)
{
	free(r->host);
	if (r->fd >= 0)
		close(r->fd);
	r->host = NULL;
	r->hostlen = 0;
	r->fd = -1;
	r->lower = NULL;
}

int bd_root_init_overlay(struct bd_root *r, const char *dir,
			 const struct bd_root *lower, struct bd_error *err)
{
	int rc = bd_root_init(r, dir, err);

	if (!rc && !r->hostlen) {
		bd_root_release(r);
		return bd_error_set(err, BD_ENOENT,
				    "'%s': cannot be an overlay", dir);
	}
	if (!rc)
		r->lower = lower;
	return rc;
}

const struct bd_root *bd_root_base(const struct bd_root *r)
{
	return r && r->lower ? r->lower : r;
}

bool bd_root_is_host(const struct bd_root *r)
{
	return r->hostlen == 0 && !r->lower;
}

/* The upper tree of an overlay on its own. */
static struct bd_root upper_of(const struct bd_root *r)
{
	struct bd_root up = *r;

	up.lower = NULL;
	return up;
}

void bd_root_host(const struct bd_root *r, const char *inside,
		  struct bd_buf *out)
{
	if (r->lower) {
		struct bd_root up = upper_of(r);

		if (!bd_root_exists(&up, inside)) {
			bd_root_host(r->lower, inside, out);
			return;
		}
	}
	bd_buf_reset(out);
	bd_buf_adds(out, r->host);
	bd_buf_adds(out, inside);
}

/* Drops the last component of an inside path ("/a/b" -> "/a"). */
static void pop(struct bd_buf *cur)
{
	while (cur->len > 1 && cur->data[cur->len - 1] != '/')
		cur->len--;
	if (cur->len > 1)
		cur->len--;
	cur->data[cur->len] = '\0';
}

static void push(struct bd_buf *cur, const char *name, size_t len)
{
	if (cur->len > 1)
		bd_buf_addc(cur, '/');
	bd_buf_add(cur, name, len);
}

/*
 * A walk's lstat of a path is the kernel walking all its names again: a
 * link's target 2,000 names deep took 2,000 lstats, 4 MB of path. Past
 * STEP_AT bytes of path so far, names are looked up from their
 * directory's descriptor (O_PATH), kept as the walk goes down.
 */
#define STEP_AT 256

struct walk {
	const struct bd_root *r;
	struct bd_buf cur, pending, host, link;
	int links;
	/* Bytes of path (inside the root) lstat'd so far, and how many may
	 * be (NULL: any): bd_root_resolve_metered. */
	uint64_t walked, *budget, calls;
	bool over;	  /* stopped: the next lstat would pass *budget */
	struct stat last; /* of cur, when last_ok: its lstat */
	bool last_ok;
	/* The directory open at dfd: cur's first dfd_len bytes (-1: none). */
	int dfd;
	size_t dfd_len;
	/* bd_root_resolve_memo's; nest: the links being learnt around this
	 * walk; tainted: a result below was cut by nest, not kept. */
	struct bd_root_memo *memo;
	int nest;
	bool tainted;
};

struct bd_root_link {
	const char *canon; /* its target's canonical path, when rc is 0 */
	struct stat st;	   /* the lstat the walk ended with, when has_st */
	bool has_st;
	int rc, errnum; /* the walk's outcome, and errno for BD_ENOENT */
	int links;	/* followed: itself and those its target went through */
};

static void walk_init(struct walk *w, const struct bd_root *r, int links,
		      uint64_t *budget, struct bd_root_memo *m)
{
	memset(w, 0, sizeof(*w));
	w->r = r;
	bd_buf_init(&w->cur);
	bd_buf_init(&w->pending);
	bd_buf_init(&w->host);
	bd_buf_init(&w->link);
	w->links = links;
	w->budget = budget;
	w->dfd = -1;
	w->memo = m;
}

static void walk_release(struct walk *w)
{
	bd_buf_release(&w->cur);
	bd_buf_release(&w->pending);
	bd_buf_release(&w->host);
	bd_buf_release(&w->link);
	if (w->dfd >= 0)
		close(w->dfd);
	w->dfd = -1;
}

/* cur shortened: the directory kept open is dropped when it is no longer
 * a prefix of it. */
static void cur_shortened(struct walk *w)
{
	if (w->dfd >= 0 && w->cur.len < w->dfd_len) {
		close(w->dfd);
		w->dfd = -1;
	}
}

static void walk_pop(struct walk *w)
{
	pop(&w->cur);
	cur_shortened(w);
}

/* Pays n bytes of path walked; BD_ELIMIT (over) when *budget cannot. */
static int charge(struct walk *w, uint64_t n)
{
	if (w->budget && n > *w->budget) {
		w->over = true;
		return BD_ELIMIT;
	}
	if (w->budget)
		*w->budget -= n;
	w->walked += n;
	return 0;
}

/* Replaces the path still to walk by the link's target + the rest. */
static int splice_link(struct walk *w, const char *rest)
{
	struct bd_buf next = BD_BUF_INIT;

	if (++w->links > BD_ROOT_MAX_LINKS)
		return BD_ELIMIT;
	bd_buf_adds(&next, w->link.data);
	bd_buf_addc(&next, '/');
	bd_buf_adds(&next, rest);
	if (w->link.data[0] == '/') {
		bd_buf_reset(&w->cur);
		bd_buf_addc(&w->cur, '/');
		cur_shortened(w);
	} else {
		walk_pop(w); /* relative to the link's directory */
	}
	bd_buf_release(&w->pending);
	w->pending = next;
	return bd_buf_ok(&next) ? 0 : BD_ENOMEM;
}

/* Whether the directory open at dfd is cur's parent (parent bytes). */
static bool at_parent(const struct walk *w, size_t parent)
{
	return w->dfd >= 0 && w->dfd_len == parent;
}

static int read_link(struct walk *w, size_t parent)
{
	ssize_t n;

	if (bd_grow((void **)&w->link.data, &w->link.alloc, PATH_MAX + 1, 1))
		return BD_ENOMEM;
	w->calls++;
	n = at_parent(w, parent)
		    ? readlinkat(w->dfd, w->cur.data + parent + 1, w->link.data,
				 PATH_MAX)
		    : readlink(w->host.data, w->link.data, PATH_MAX);
	if (n == 0)
		errno = ENOENT; /* an empty target leads nowhere */
	if (n <= 0)
		return BD_ENOENT;
	w->link.data[n] = '\0';
	w->link.len = (size_t)n;
	return 0;
}

/* The directory open at dfd made cur's parent (its first parent bytes):
 * from the one kept when that is a prefix of it, else by its host path.
 * False when it cannot be opened (looked at by path then). */
static bool open_parent(struct walk *w, size_t parent)
{
	int fd = -1;

	if (w->dfd >= 0 && w->dfd_len < parent) {
		char saved = w->cur.data[parent];

		if (!charge(w, parent - w->dfd_len + BD_ROOT_STEP_COST)) {
			w->cur.data[parent] = '\0';
			w->calls++;
			fd = openat(w->dfd, w->cur.data + w->dfd_len + 1,
				    O_PATH | O_DIRECTORY | O_CLOEXEC);
			w->cur.data[parent] = saved;
		}
	} else {
		bd_buf_reset(&w->host);
		bd_buf_adds(&w->host, w->r->host);
		bd_buf_add(&w->host, w->cur.data, parent);
		if (bd_buf_ok(&w->host) && !charge(w, parent)) {
			w->calls++;
			fd = open(w->host.data,
				  O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
	}
	if (w->dfd >= 0)
		close(w->dfd);
	w->dfd = fd;
	w->dfd_len = parent;
	return fd >= 0;
}

/*
 * The lstat of cur, whose parent is its first parent bytes: by its host
 * path (in host) while that is short, from the parent's descriptor past
 * STEP_AT. Returns 0, BD_ENOENT (errno why), BD_ELIMIT (over), BD_ENOMEM.
 */
static int stat_cur(struct walk *w, size_t parent, struct stat *st)
{
	if ((parent >= STEP_AT || w->dfd >= 0) &&
	    (at_parent(w, parent) || open_parent(w, parent))) {
		if (charge(w, w->cur.len - parent + BD_ROOT_STEP_COST))
			return BD_ELIMIT;
		w->calls++;
		return fstatat(w->dfd, w->cur.data + parent + 1, st,
			       AT_SYMLINK_NOFOLLOW)
			       ? BD_ENOENT
			       : 0;
	}
	if (w->over)
		return BD_ELIMIT;
	bd_root_host(w->r, w->cur.data, &w->host);
	if (!bd_buf_ok(&w->host))
		return BD_ENOMEM;
	/* the kernel walks each name of it (the root's own: as many an
	 * lstat, whatever the path, not counted) */
	if (charge(w, w->cur.len))
		return BD_ELIMIT;
	w->calls++;
	return lstat(w->host.data, st) ? BD_ENOENT : 0;
}

static int follow_remembered(struct walk *w, size_t parent, size_t rest,
			     bool *spliced);

/*
 * Steps into one component (name, len) of w->pending, whose rest starts
 * at offset `rest`. Sets *spliced when a symlink replaced the pending path.
 */
static int step(struct walk *w, const char *name, size_t len, size_t rest,
		bool follow, bool *spliced)
{
	struct stat st;
	size_t parent = w->cur.len > 1 ? w->cur.len : 0;
	int rc;

	*spliced = false;
	w->last_ok = false;
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		walk_pop(w); /* never above "/" */
		return 0;
	}
	push(&w->cur, name, len);
	if (!bd_buf_ok(&w->cur))
		return BD_ENOMEM;
	rc = stat_cur(w, parent, &st);
	if (rc)
		return rc; /* errno kept: bd_root_resolve */
	w->last = st;
	w->last_ok = !S_ISLNK(st.st_mode) || !follow;
	if (S_ISLNK(st.st_mode) && follow && w->memo)
		return follow_remembered(w, parent, rest, spliced);
	if (S_ISLNK(st.st_mode) && follow) {
		rc = read_link(w, parent);
		if (!rc)
			rc = splice_link(w, w->pending.data + rest);
		*spliced = !rc;
		return rc;
	}
	if (w->pending.data[rest + strspn(w->pending.data + rest, "/")] &&
	    !S_ISDIR(st.st_mode))
		return errno = ENOTDIR, BD_ENOENT; /* a file mid-path */
	return 0;
}

static int walk_path(struct walk *w, bool follow_last)
{
	size_t pos = 0;
	int rc = 0;

	while (!rc && pos < w->pending.len) {
		const char *p = w->pending.data;
		size_t start = pos + strspn(p + pos, "/");
		size_t len = strcspn(p + start, "/");
		bool last, spliced = false;

		if (!len)
			break;
		pos = start + len;
		last = !p[pos + strspn(p + pos, "/")];
		rc = step(w, p + start, len, pos, !last || follow_last,
			  &spliced);
		if (spliced)
			pos = 0;
	}
	return rc;
}

/*
 * The link at cur (its parent's first parent bytes) resolved on its own,
 * as the kernel follows it: its target walked from the link's directory
 * (or "/"), its last name followed, its links counted from none, into
 * *got (canon, when found, in *canon). Returns 0, or BD_ENOMEM, or
 * BD_ELIMIT when the budget ran out (over) or the links being learnt
 * around it are already 40 (tainted: a loop, or 41 in all).
 */
static int learn_link(struct walk *w, size_t parent, struct bd_root_link *got,
		      struct bd_buf *canon)
{
	struct walk sub;
	int rc;

	memset(got, 0, sizeof(*got));
	if (w->nest >= BD_ROOT_MAX_LINKS) {
		w->tainted = true;
		return BD_ELIMIT;
	}
	rc = read_link(w, parent);
	if (rc) {
		got->rc = rc;
		got->errnum = errno;
		return rc == BD_ENOMEM ? rc : 0;
	}
	walk_init(&sub, w->r, 0, w->budget, w->memo);
	sub.nest = w->nest + 1;
	if (w->link.data[0] == '/')
		bd_buf_addc(&sub.cur, '/');
	else
		bd_buf_add(&sub.cur, w->cur.data, parent ? parent : 1);
	bd_buf_adds(&sub.pending, w->link.data);
	rc = bd_buf_ok(&sub.cur) && bd_buf_ok(&sub.pending)
		     ? walk_path(&sub, true)
		     : BD_ENOMEM;
	got->errnum = errno;
	w->walked += sub.walked;
	w->calls += sub.calls;
	w->over |= sub.over;
	w->tainted |= sub.tainted;
	got->rc = rc;
	got->links = sub.links + 1;
	got->st = sub.last;
	got->has_st = sub.last_ok;
	if (!rc) {
		bd_buf_reset(canon);
		bd_buf_add(canon, sub.cur.data, sub.cur.len);
		got->canon = canon->data;
	}
	walk_release(&sub);
	if (rc == BD_ENOMEM || (rc == BD_ELIMIT && (w->over || w->tainted)))
		return rc;
	return bd_buf_ok(canon) ? 0 : BD_ENOMEM;
}

/* Keeps what the link at host resolved to, while the memo has room. */
static int remember_link(struct bd_root_memo *m, const char *host,
			 const struct bd_root_link *got)
{
	struct bd_root_link *kept;
	size_t bytes = strlen(host) + 1 + (got->canon ? strlen(got->canon) : 0);
	const char *key;

	if (m->nlinks >= BD_ROOT_MEMO_MAX_LINKS ||
	    m->bytes + bytes > BD_ROOT_MEMO_MAX_BYTES)
		return 0;
	if (BD_GROW(m->links, m->alinks, m->nlinks + 1))
		return BD_ENOMEM;
	key = bd_arena_strdup(&m->arena, host);
	kept = &m->links[m->nlinks];
	*kept = *got;
	if (got->canon)
		kept->canon = bd_arena_strdup(&m->arena, got->canon);
	if (!key || (got->canon && !kept->canon) ||
	    bd_map_put(&m->map, key, (uint32_t)m->nlinks + 1))
		return BD_ENOMEM;
	m->nlinks++;
	m->bytes += bytes;
	return 0;
}

/* The walk goes on from where the link at cur leads (got), with the rest
 * of the path (from offset rest of pending), as after splice_link. */
static int splice_resolved(struct walk *w, const struct bd_root_link *got,
			   size_t rest)
{
	struct bd_buf next = BD_BUF_INIT;

	w->links += got->links;
	if (w->links > BD_ROOT_MAX_LINKS)
		return BD_ELIMIT;
	if (got->rc) {
		errno = got->errnum;
		return got->rc;
	}
	bd_buf_reset(&w->cur);
	bd_buf_adds(&w->cur, got->canon);
	if (w->dfd >= 0)
		close(w->dfd);
	w->dfd = -1;
	w->last = got->st;
	w->last_ok = got->has_st;
	bd_buf_adds(&next, w->pending.data + rest);
	bd_buf_release(&w->pending);
	w->pending = next;
	if (!bd_buf_ok(&next) || !bd_buf_ok(&w->cur))
		return BD_ENOMEM;
	if (next.data[strspn(next.data, "/")] && got->has_st &&
	    !S_ISDIR(got->st.st_mode))
		return errno = ENOTDIR, BD_ENOENT; /* a file mid-path */
	return 0;
}

/* A link met by a memo's walk: where it leads, from the memo or learnt
 * (and kept), then walked on from there. */
static int follow_remembered(struct walk *w, size_t parent, size_t rest,
			     bool *spliced)
{
	struct bd_root_link got;
	struct bd_buf canon = BD_BUF_INIT;
	uint32_t at;
	int rc = 0;

	/* the link's host path: its key */
	bd_root_host(w->r, w->cur.data, &w->host);
	if (!bd_buf_ok(&w->host))
		return BD_ENOMEM;
	if (bd_map_get(&w->memo->map, w->host.data, &at)) {
		got = w->memo->links[at - 1];
	} else {
		bool tainted = w->tainted;

		w->tainted = false;
		rc = learn_link(w, parent, &got, &canon);
		if (!rc && !w->tainted)
			rc = remember_link(w->memo, w->host.data, &got);
		w->tainted |= tainted;
	}
	if (!rc)
		rc = splice_resolved(w, &got, rest);
	*spliced = !rc;
	bd_buf_release(&canon);
	return rc;
}

int bd_root_resolve(const struct bd_root *r, const char *base, const char *path,
		    bool follow_last, struct bd_buf *out)
{
	return bd_root_resolve_stat(r, base, path, follow_last, out, NULL);
}

int bd_root_resolve_stat(const struct bd_root *r, const char *base,
			 const char *path, bool follow_last, struct bd_buf *out,
			 struct stat *st)
{
	int links = 0;

	return bd_root_resolve_links(r, base, path, follow_last, out, st,
				     &links);
}

int bd_root_resolve_links(const struct bd_root *r, const char *base,
			  const char *path, bool follow_last,
			  struct bd_buf *out, struct stat *st, int *links)
{
	return bd_root_resolve_metered(r, base, path, follow_last, out, st,
				       links, NULL);
}

static int resolve_in(const struct bd_root *r, const char *base,
		      const char *path, bool follow_last, struct bd_buf *out,
		      struct stat *st, int *links, uint64_t *budget,
		      struct bd_root_memo *m);

/* An overlay's path: in its upper tree, else (not there) in its lower. */
static int resolve_overlay(const struct bd_root *r, const char *base,
			   const char *path, bool follow_last,
			   struct bd_buf *out, struct stat *st, int *links,
			   uint64_t *budget, struct bd_root_memo *m)
{
	struct bd_root up = upper_of(r);
	int rc, before = *links;

	/* Which tree's file it is is for bd_root_host to say. A loop in
	 * the upper tree is one: its links hide the lower's names. */
	rc = resolve_in(&up, base, path, follow_last, out, NULL, links, budget,
			m);
	if (rc == BD_ENOENT && !(m && m->over)) {
		*links = before;
		rc = resolve_in(r->lower, base, path, follow_last, out, NULL,
				links, budget, m);
	}
	if (st)
		st->st_mode = 0;
	return rc;
}

static int resolve_in(const struct bd_root *r, const char *base,
		      const char *path, bool follow_last, struct bd_buf *out,
		      struct stat *st, int *links, uint64_t *budget,
		      struct bd_root_memo *m)
{
	struct walk w;
	int rc, saved;

	if (st)
		st->st_mode = 0;
	if (r->lower)
		return resolve_overlay(r, base, path, follow_last, out, st,
				       links, budget, m);
	walk_init(&w, r, *links, budget, m);
	bd_buf_adds(&w.cur, path[0] == '/' || !base ? "/" : base);
	bd_buf_adds(&w.pending, path);
	rc = bd_buf_ok(&w.cur) && bd_buf_ok(&w.pending)
		     ? walk_path(&w, follow_last)
		     : BD_ENOMEM;
	saved = errno; /* why a component was not there (root.h) */
	if (!rc) {
		bd_buf_reset(out);
		bd_buf_adds(out, w.cur.data);
		rc = bd_buf_ok(out) ? 0 : BD_ENOMEM;
	}
	if (!rc && st && w.last_ok)
		*st = w.last;
	if (!rc)
		*links = w.links;
	if (budget && w.over)
		*budget = 0;
	if (m) {
		m->walked += w.walked;
		m->calls += w.calls;
		m->over |= w.over;
	}
	walk_release(&w);
	errno = saved;
	return rc;
}

int bd_root_resolve_metered(const struct bd_root *r, const char *base,
			    const char *path, bool follow_last,
			    struct bd_buf *out, struct stat *st, int *links,
			    uint64_t *budget)
{
	return resolve_in(r, base, path, follow_last, out, st, links, budget,
			  NULL);
}

void bd_root_memo_init(struct bd_root_memo *m, uint64_t budget)
{
	memset(m, 0, sizeof(*m));
	bd_map_init(&m->map);
	bd_arena_init(&m->arena);
	m->given = m->budget = budget;
}

void bd_root_memo_release(struct bd_root_memo *m)
{
	bd_map_release(&m->map);
	bd_arena_release(&m->arena);
	free(m->links);
	bd_root_memo_init(m, 0);
}

int bd_root_resolve_memo(const struct bd_root *r, const char *base,
			 const char *path, bool follow_last, struct bd_buf *out,
			 struct stat *st, struct bd_root_memo *m)
{
	int links = 0;

	if (m->over) {
		if (st)
			st->st_mode = 0;
		return BD_ELIMIT;
	}
	return resolve_in(r, base, path, follow_last, out, st, &links,
			  &m->budget, m);
}

/* Folds "." and ".." of an absolute path lexically. */
static void normalise(const char *abs, struct bd_buf *out)
{
	const char *s = abs;

	bd_buf_reset(out);
	bd_buf_addc(out, '/');
	while (*s) {
		size_t len;

		s += strspn(s, "/");
		len = strcspn(s, "/");
		if (len == 2 && s[0] == '.' && s[1] == '.')
			pop(out);
		else if (len && !(len == 1 && s[0] == '.'))
			push(out, s, len);
		s += len;
	}
}

int bd_path_absolute(const char *host, struct bd_buf *out)
{
	struct bd_buf abs = BD_BUF_INIT;
	char cwd[PATH_MAX];
	int rc;

	if (host[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			return BD_ENOENT;
		bd_buf_adds(&abs, cwd);
		bd_buf_addc(&abs, '/');
	}
	bd_buf_adds(&abs, host);
	normalise(bd_buf_str(&abs), out);
	rc = bd_buf_ok(&abs) && bd_buf_ok(out) ? 0 : BD_ENOMEM;
	bd_buf_release(&abs);
	return rc;
}

int bd_root_inside(const struct bd_root *r, const char *host,
		   struct bd_buf *out)
{
	int rc = bd_path_absolute(host, out);

	if (!rc && r->lower &&
	    (strncmp(out->data, r->host, r->hostlen) ||
	     (out->data[r->hostlen] && out->data[r->hostlen] != '/')))
		return bd_root_inside(r->lower, host, out);
	if (!rc && r->hostlen) {
		/* Under the root: its path, then "/" or the end. */
		if (strncmp(out->data, r->host, r->hostlen) ||
		    (out->data[r->hostlen] && out->data[r->hostlen] != '/')) {
			rc = BD_ENOENT;
		} else {
			memmove(out->data, out->data + r->hostlen,
				out->len - r->hostlen + 1);
			out->len -= r->hostlen;
			if (!out->len) {
				bd_buf_addc(out, '/');
			}
		}
	}
	return rc;
}

/* bd_root_host_of's error, naming path; errno is why (BD_ENOENT). */
static int host_of_error(struct bd_error *err, int rc, int why,
			 const char *path)
{
	if (rc == BD_ENOMEM)
		return bd_error_set(err, rc, "out of memory");
	if (rc == BD_ELIMIT)
		return bd_error_set(err, rc, "'%s': symlink loop", path);
	return bd_error_errno(err, rc, why, "'%s': not found inside the root",
			      path);
}

int bd_root_host_of(const struct bd_root *r, const char *base, const char *path,
		    struct bd_buf *real, struct bd_buf *host,
		    struct bd_error *err)
{
	struct bd_buf own = BD_BUF_INIT, *canon = real ? real : &own;
	int rc, why;

	bd_buf_reset(host);
	if (strlen(path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		rc = BD_ENOENT;
	} else {
		rc = bd_root_resolve(r, base, path, true, canon);
	}
	why = errno; /* BD_ENOENT's, as bd_root_resolve left it */
	if (!rc) {
		bd_root_host(r, canon->data, host);
		rc = bd_buf_ok(host) ? 0 : BD_ENOMEM;
	}
	if (rc) {
		bd_buf_reset(host);
		host_of_error(err, rc, why, path);
	}
	bd_buf_release(&own);
	errno = why;
	return rc;
}

static bool exists_memo(const struct bd_root *r, const char *inside,
			struct bd_root_memo *m)
{
	struct bd_buf real = BD_BUF_INIT;
	bool ok = !bd_root_resolve_memo(r, "/", inside, true, &real, NULL, m);

	bd_buf_release(&real);
	return ok;
}

void bd_root_host_memo(const struct bd_root *r, const char *inside,
		       struct bd_buf *out, struct bd_root_memo *m)
{
	if (r->lower) {
		struct bd_root up = upper_of(r);

		if (!exists_memo(&up, inside, m)) {
			/* Not known when the budget ran out on the way: the
			 * look made whole, once (no more links are followed
			 * after it). */
			if (m->over)
				bd_root_host(r, inside, out);
			else
				bd_root_host_memo(r->lower, inside, out, m);
			return;
		}
	}
	bd_buf_reset(out);
	bd_buf_adds(out, r->host);
	bd_buf_adds(out, inside);
}

bool bd_root_exists(const struct bd_root *r, const char *inside)
{
	struct bd_buf real = BD_BUF_INIT;
	bool ok = !bd_root_resolve(r, "/", inside, true, &real);

	bd_buf_release(&real);
	return ok;
}
