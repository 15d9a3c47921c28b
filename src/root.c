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

struct walk {
	const struct bd_root *r;
	struct bd_buf cur, pending, host, link;
	int links;
	/* Bytes of path (inside the root) lstat'd so far, and how many may
	 * be (NULL: any): bd_root_resolve_metered. */
	uint64_t walked, *budget;
	bool over;	  /* stopped: the next lstat would pass *budget */
	struct stat last; /* of cur, when last_ok: its lstat */
	bool last_ok;
};

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
	} else {
		pop(&w->cur); /* relative to the link's directory */
	}
	bd_buf_release(&w->pending);
	w->pending = next;
	return bd_buf_ok(&next) ? 0 : BD_ENOMEM;
}

static int read_link(struct walk *w)
{
	ssize_t n;

	if (bd_grow((void **)&w->link.data, &w->link.alloc, PATH_MAX + 1, 1))
		return BD_ENOMEM;
	n = readlink(w->host.data, w->link.data, PATH_MAX);
	if (n == 0)
		errno = ENOENT; /* an empty target leads nowhere */
	if (n <= 0)
		return BD_ENOENT;
	w->link.data[n] = '\0';
	w->link.len = (size_t)n;
	return 0;
}

/*
 * Steps into one component (name, len) of w->pending, whose rest starts
 * at offset `rest`. Sets *spliced when a symlink replaced the pending path.
 */
static int step(struct walk *w, const char *name, size_t len, size_t rest,
		bool follow, bool *spliced)
{
	struct stat st;
	int rc;

	*spliced = false;
	w->last_ok = false;
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		pop(&w->cur); /* never above "/" */
		return 0;
	}
	push(&w->cur, name, len);
	bd_root_host(w->r, w->cur.data, &w->host);
	if (!bd_buf_ok(&w->cur) || !bd_buf_ok(&w->host))
		return BD_ENOMEM;
	/* the kernel walks each name of it (the root's own: as many an
	 * lstat, whatever the path, not counted) */
	if (w->budget && w->cur.len > *w->budget - w->walked) {
		w->over = true;
		return BD_ELIMIT;
	}
	w->walked += w->cur.len;
	if (lstat(w->host.data, &st) != 0)
		return BD_ENOENT; /* errno kept: bd_root_resolve */
	w->last = st;
	w->last_ok = !S_ISLNK(st.st_mode) || !follow;
	if (S_ISLNK(st.st_mode) && follow) {
		rc = read_link(w);
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

int bd_root_resolve_metered(const struct bd_root *r, const char *base,
			    const char *path, bool follow_last,
			    struct bd_buf *out, struct stat *st, int *links,
			    uint64_t *budget)
{
	struct walk w = { r,	       BD_BUF_INIT, BD_BUF_INIT, BD_BUF_INIT,
			  BD_BUF_INIT, *links,	    0,		 budget,
			  false,       { 0 },	    false };
	int rc, before = *links, saved;

	if (st)
		st->st_mode = 0;
	if (r->lower) {
		struct bd_root up = upper_of(r);

		/* Which tree's file it is is for bd_root_host to say. A
		 * loop in the upper tree is one: its links hide the lower's
		 * names. */
		rc = bd_root_resolve_metered(&up, base, path, follow_last, out,
					     NULL, links, budget);
		if (rc == BD_ENOENT) {
			*links = before;
			rc = bd_root_resolve_metered(r->lower, base, path,
						     follow_last, out, NULL,
						     links, budget);
		}
		if (st)
			st->st_mode = 0;
		return rc;
	}

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
	if (budget)
		*budget = w.over ? 0 : *budget - w.walked;
	bd_buf_release(&w.cur);
	bd_buf_release(&w.pending);
	bd_buf_release(&w.host);
	bd_buf_release(&w.link);
	errno = saved;
	return rc;
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

bool bd_root_exists(const struct bd_root *r, const char *inside)
{
	struct bd_buf real = BD_BUF_INIT;
	bool ok = !bd_root_resolve(r, "/", inside, true, &real);

	bd_buf_release(&real);
	return ok;
}
