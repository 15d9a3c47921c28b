/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_EXCLUDE_H
#define BINDEP_EXCLUDE_H

#include "bindep/error.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * --exclude GLOB: the paths left out of a run, matched as the SBOM shows
 * them: "dist/pkg/tests/t.so" (a PATH's tree, as given), "/usr/share/doc"
 * (under --root and in an image, inside the root), "dist/x.whl!/x/tests/
 * t.so" (inside an artifact, its location, "!" an ordinary character).
 *
 * A pattern is matched component by component, '/' between them. Empty
 * and "." components are no components, in the pattern and the path
 * alike: "./dist//x" is "dist/x" (a PATH is shown as it was given). A
 * component "**" matches any number of components, none included (so
 * "a" then "**" matches "a" too, a directory pruned whole); any other is one
 * component's fnmatch(3) pattern (*, ? and [...] never cross a '/'; \ quotes;
 * "a**b" is "a*b"), with no FNM_PERIOD: "*" matches ".venv", as syft's and
 * trivy's globs (doublestar) do. No braces. A pattern starting with '/' matches
 * only absolute paths; one starting with another component than "**" only
 * relative ones, so that "usr/lib/x" never matches "/usr/lib/x" by
 * chance. A pattern ending in '/' matches only a directory (not a link
 * to one), as in .gitignore.
 */

/* Patterns taken, at most: each is matched against every path walked. */
#define BD_EXCLUDE_MAX 256

/* bd_exclude_path's `from` when the path's directories are not to be
 * looked at (the walk's entries: their directories were, when entered). */
#define BD_EXCLUDE_SELF ((size_t)-1)

struct bd_exclude_pattern {
	const char *given; /* as on the command line (not owned) */
	char *text;	   /* a copy, '/' made NUL: the components' bytes */
	const char **comp; /* its components, "." and "" dropped */
	size_t ncomp;
	bool absolute; /* starts with '/' */
	bool dir_only; /* ends with '/' */
	bool matched;  /* it left a path out (-v: "matched nothing") */
};

struct bd_exclude {
	struct bd_exclude_pattern *pattern;
	size_t n;
	size_t nexcluded; /* paths left out (bd_exclude_path said true) */
};

/*
 * Whether pattern is one --exclude takes: not empty, at most PATH_MAX
 * bytes, every '[' closed within its component, no lone '\' at its end.
 * Returns 0 or BD_EUSAGE with err saying why.
 */
int bd_exclude_check(const char *pattern, struct bd_error *err);

/*
 * Takes the n patterns (checked by bd_exclude_check; kept by pointer, so
 * they must outlive x). Returns 0, BD_EUSAGE (a pattern refused), or
 * BD_ENOMEM with err set; x is then empty.
 */
int bd_exclude_init(struct bd_exclude *x, const char *const *patterns, size_t n,
		    struct bd_error *err);
void bd_exclude_release(struct bd_exclude *x);

/* Whether x has a pattern (NULL: none): without one nothing is looked
 * at, and nothing costs. */
static inline bool bd_exclude_active(const struct bd_exclude *x)
{
	return x && x->n;
}

/*
 * Whether path (is_dir: it is a directory) is left out: a pattern matches
 * it, or one of its directories whose path ends after byte `from` (each
 * prefix ending before a '/' at or past from; BD_EXCLUDE_SELF: none).
 * When it is, counted in x->nexcluded, and each pattern that matches it
 * marked matched. Not thread-safe: the counts. False when x is NULL or
 * empty.
 */
bool bd_exclude_path(struct bd_exclude *x, const char *path, size_t from,
		     bool is_dir);

/* The same, for an entry of an archive: its location "display!/name",
 * and its directories inside the archive. */
bool bd_exclude_entry(struct bd_exclude *x, const char *display,
		      const char *name, bool is_dir);

/*
 * Whether the one pattern matches path as a whole (not its directories);
 * false for a pattern bd_exclude_check refuses. For the unit tests, and
 * for whoever has a single pattern.
 */
bool bd_exclude_glob(const char *pattern, const char *path, bool is_dir);

#endif
