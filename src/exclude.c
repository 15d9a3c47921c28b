/* SPDX-License-Identifier: MIT */
/*
 * --exclude's globs (bindep/exclude.h): fnmatch(3) for one component,
 * and "**" across components, matched as a wildcard over the list of
 * components: one pass over them with the set of the pattern's
 * components reachable so far (a "**" reached stays and lets the next
 * be tried too). The cost is components times pattern components, for
 * the path and all its directories at once (a recursive matcher is
 * exponential in the number of "**", one that matches each directory
 * again quadratic in the depth).
 */
#include "bindep/exclude.h"
#include "bindep/common.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Components of a path held without a copy: most are short, a few
 * hundred at most (PATH_MAX, archives nested four deep). */
struct comps {
	const char **v;
	size_t n, alloc;
};

/* Whether [s, s + len) is no component: empty, or ".". */
static bool no_component(const char *s, size_t len)
{
	return !len || (len == 1 && s[0] == '.');
}

/*
 * The bracket expression opening at p ('['), as fnmatch reads it: an
 * optional '!' or '^', a ']' first is a character, "[:alpha:]" and its
 * kin are one item. Its end (past ']'), or NULL when it is not closed
 * before the component's end (a '/' or the pattern's).
 */
static const char *bracket_end(const char *p)
{
	p++;
	if (*p == '!' || *p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p && *p != '/'; p++) {
		if (*p == ']')
			return p + 1;
		/* A quoted character, ']' too (fnmatch's escapes hold
		 * within brackets). */
		if (*p == '\\' && p[1] && p[1] != '/') {
			p++;
			continue;
		}
		if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
			const char *close = p + 2;
			char kind = p[1];

			while (*close && *close != '/' &&
			       !(close[0] == kind && close[1] == ']'))
				close++;
			if (*close != kind)
				return NULL;
			p = close + 1;
		}
	}
	return NULL;
}

int bd_exclude_check(const char *pattern, struct bd_error *err)
{
	const char *p = pattern;

	if (!*pattern)
		return bd_error_set(err, BD_EUSAGE,
				    "--exclude wants a pattern, not an empty "
				    "string");
	if (strlen(pattern) > PATH_MAX)
		return bd_error_set(
			err, BD_EUSAGE,
			"--exclude '%.40s...': longer than %d bytes", pattern,
			PATH_MAX);
	while (*p) {
		if (*p == '\\' && !p[1])
			return bd_error_set(err, BD_EUSAGE,
					    "--exclude '%s': it ends with a "
					    "lone '\\' (write \\\\ for one)",
					    pattern);
		if (*p == '\\' && p[1] == '/')
			return bd_error_set(err, BD_EUSAGE,
					    "--exclude '%s': a '/' cannot be "
					    "quoted: it separates components",
					    pattern);
		/* fnmatch reads an unclosed '[' as the character, where a
		 * '/' closes its component here: either way not what was
		 * meant, and said rather than matched otherwise. */
		if (*p == '[') {
			p = bracket_end(p);
			if (!p)
				return bd_error_set(
					err, BD_EUSAGE,
					"--exclude '%s': a '[' is not closed "
					"within its component (write \\[ "
					"for the character)",
					pattern);
			continue;
		}
		p += *p == '\\' ? 2 : 1;
	}
	return 0;
}

/* Splits text (modified: each '/' made NUL) into its components. */
static int split(char *text, struct comps *c)
{
	char *p = text;

	c->n = 0;
	while (*p) {
		size_t len = strcspn(p, "/");
		bool last = !p[len];

		p[len] = '\0';
		if (!no_component(p, len)) {
			if (BD_GROW(c->v, c->alloc, c->n + 1))
				return BD_ENOMEM;
			c->v[c->n++] = p;
		}
		p += len + !last;
	}
	return 0;
}

static bool is_globstar(const char *comp)
{
	return comp[0] == '*' && comp[1] == '*' && !comp[2];
}

static int take(struct bd_exclude_pattern *p, const char *given)
{
	struct comps c = { 0 };
	size_t len = strlen(given);

	p->given = given;
	p->absolute = given[0] == '/';
	p->dir_only = len && given[len - 1] == '/';
	p->text = strdup(given);
	if (!p->text || split(p->text, &c)) {
		free(c.v);
		return BD_ENOMEM;
	}
	p->comp = c.v;
	p->ncomp = c.n;
	return 0;
}

int bd_exclude_init(struct bd_exclude *x, const char *const *patterns, size_t n,
		    struct bd_error *err)
{
	size_t i;
	int rc = 0;

	memset(x, 0, sizeof(*x));
	if (!n)
		return 0;
	x->pattern = calloc(n, sizeof(*x->pattern));
	if (!x->pattern)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	for (i = 0; i < n && !rc; i++) {
		rc = bd_exclude_check(patterns[i], err);
		if (!rc && take(&x->pattern[i], patterns[i]))
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
		x->n = i + 1;
	}
	if (rc)
		bd_exclude_release(x);
	return rc;
}

void bd_exclude_release(struct bd_exclude *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		free(x->pattern[i].text);
		free((void *)x->pattern[i].comp);
	}
	free(x->pattern);
	memset(x, 0, sizeof(*x));
}

/*
 * Whether pattern p matches one of the path's prefixes that are asked:
 * the whole path (is_dir told), and each directory of it (first k
 * components, k >= 1) whose end is at or past byte from. One pass over
 * the components, with the set of pattern components reachable (an NFA,
 * a "**" one that stays): every prefix is told on the way, so the cost is
 * components times pattern components, where matching each prefix again
 * cost components squared times them (a wheel of 20,000 entries 120
 * deep took 12 s, not 1, under the pattern "**", "tests", "**"). cur and
 * next: np + 1 bytes each.
 */
static bool match_prefixes(const struct bd_exclude_pattern *p, const char *text,
			   bool absolute, const struct comps *c, size_t from,
			   bool is_dir, unsigned char *cur, unsigned char *next)
{
	size_t np = p->ncomp, n = c->n, k, pi, lo = 0;
	bool any = true;

	if (!(np && is_globstar(p->comp[0])) && p->absolute != absolute)
		return false;
	memset(cur, 0, np + 1);
	cur[0] = 1;
	for (pi = 0; pi < np && is_globstar(p->comp[pi]); pi++) {
		cur[pi + 1] = 1;
		lo = pi;
	}
	/* No component: the path is "." or "/" and matches as a whole. */
	if (!n)
		return cur[np] && (!p->dir_only || is_dir);
	for (k = 1; k <= n && any; k++) {
		const char *s = c->v[k - 1];
		bool whole = k == n;
		size_t end = (size_t)(s - text) + strlen(s), first = np + 1;

		memset(next + lo, 0, np + 1 - lo);
		for (pi = lo; pi < np; pi++) {
			if (!cur[pi])
				continue;
			if (is_globstar(p->comp[pi]))
				next[pi] = 1;
			else if (!fnmatch(p->comp[pi], s, FNM_PATHNAME))
				next[pi + 1] = 1;
		}
		/* A "**" reached may take no component. */
		for (pi = lo; pi < np; pi++)
			if (next[pi] && is_globstar(p->comp[pi]))
				next[pi + 1] = 1;
		/*
		 * The last "**" reached goes wherever a state before it can
		 * (every way on passes it, and it takes any components), so
		 * those are dropped, as the classic matcher keeps one point
		 * of return: at most the components between two "**" are
		 * tried for each of the path's.
		 */
		for (pi = lo; pi <= np; pi++) {
			if (!next[pi])
				continue;
			if (first > np || (pi < np && is_globstar(p->comp[pi])))
				first = pi;
		}
		any = first <= np;
		if (!any)
			break;
		memset(cur + lo, 0, first - lo);
		memcpy(cur + first, next + first, np + 1 - first);
		lo = first;
		/* A directory of the path: its '/' (end) at or past from. */
		if (!whole && (from == BD_EXCLUDE_SELF || end < from))
			continue;
		if (cur[np] && (!p->dir_only || !whole || is_dir))
			return true;
	}
	return false;
}

/*
 * Whether the path in text (split into c) or one of its directories
 * whose end is at or past byte from matches; each pattern that matches
 * it, or one of them, is marked. A directory is the path of the first k
 * components, the path itself all of them.
 */
static bool match_split(struct bd_exclude *x, const char *text, bool absolute,
			struct comps *c, size_t from, bool is_dir)
{
	size_t i, most = 0;
	unsigned char *state;
	bool hit = false;

	for (i = 0; i < x->n; i++)
		if (x->pattern[i].ncomp > most)
			most = x->pattern[i].ncomp;
	state = malloc(2 * (most + 1));
	/* Out of memory: not excluded, as bd_exclude_path says. */
	if (!state)
		return false;
	for (i = 0; i < x->n; i++) {
		/* Once a hit, only to mark the patterns not yet. */
		if ((hit && x->pattern[i].matched) ||
		    !match_prefixes(&x->pattern[i], text, absolute, c, from,
				    is_dir, state, state + most + 1))
			continue;
		hit = true;
		x->pattern[i].matched = true;
	}
	free(state);
	return hit;
}

bool bd_exclude_path(struct bd_exclude *x, const char *path, size_t from,
		     bool is_dir)
{
	struct comps c = { 0 };
	char *text;
	bool hit;

	if (!bd_exclude_active(x))
		return false;
	text = strdup(path);
	/* Out of memory: not excluded, so that nothing is lost in silence. */
	if (!text || split(text, &c)) {
		free(text);
		free(c.v);
		return false;
	}
	hit = match_split(x, text, path[0] == '/', &c, from, is_dir);
	if (hit)
		x->nexcluded++;
	free(text);
	free(c.v);
	return hit;
}

bool bd_exclude_entry(struct bd_exclude *x, const char *display,
		      const char *name, bool is_dir)
{
	size_t dlen, nlen;
	char *loc;
	bool hit;

	if (!bd_exclude_active(x))
		return false;
	dlen = strlen(display);
	nlen = strlen(name);
	loc = malloc(dlen + nlen + 3);
	if (!loc)
		return false;
	memcpy(loc, display, dlen);
	memcpy(loc + dlen, "!/", 2);
	memcpy(loc + dlen + 2, name, nlen + 1);
	hit = bd_exclude_path(x, loc, dlen + 2, is_dir);
	free(loc);
	return hit;
}

bool bd_exclude_glob(const char *pattern, const char *path, bool is_dir)
{
	struct bd_exclude x;
	struct bd_error err;
	bool hit;

	if (bd_exclude_init(&x, &pattern, 1, &err))
		return false;
	hit = bd_exclude_path(&x, path, BD_EXCLUDE_SELF, is_dir);
	bd_exclude_release(&x);
	return hit;
}
