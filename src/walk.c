/* SPDX-License-Identifier: MIT */
#include "bindep/walk.h"
#include "bindep/buf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct walk_ctx {
	struct bd_walk *w;
	const struct bd_diag *diag;
};

void bd_walk_init(struct bd_walk *w)
{
	memset(w, 0, sizeof(*w));
	bd_arena_init(&w->arena);
	bd_map_init(&w->dirs_seen);
}

void bd_walk_release(struct bd_walk *w)
{
	free(w->files);
	bd_map_release(&w->dirs_seen);
	bd_arena_release(&w->arena);
	bd_walk_init(w);
}

static void warn(struct walk_ctx *c, const char *path, const char *what,
		 int errnum)
{
	c->w->nproblems++;
	if (errnum)
		bd_diag_report(c->diag, BD_DIAG_WARNING, "'%s': %s: %s", path,
			       what, strerror(errnum));
	else
		bd_diag_report(c->diag, BD_DIAG_WARNING, "'%s': %s", path,
			       what);
}

static void skip(struct walk_ctx *c, const char *path, const char *why)
{
	c->w->nskipped++;
	bd_diag_report(c->diag, BD_DIAG_INFO, "'%s': %s, skipped", path, why);
}

static int add_file(struct walk_ctx *c, const char *path, const struct stat *st,
		    bool via_symlink)
{
	struct bd_walk *w = c->w;
	struct bd_walk_file *f;
	const char *copy = bd_arena_strdup(&w->arena, path);

	if (!copy || BD_GROW(w->files, w->afiles, w->nfiles + 1))
		return BD_ENOMEM;
	f = &w->files[w->nfiles++];
	f->path = copy;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->mtime = st->st_mtime;
	f->via_symlink = via_symlink;
	return 0;
}

/* Marks a directory as entered; false when it was entered before. */
static int mark_dir(struct bd_walk *w, const struct stat *st, bool *fresh)
{
	char *key = bd_arena_printf(&w->arena, "%llx:%llx",
				    (unsigned long long)st->st_dev,
				    (unsigned long long)st->st_ino);

	if (!key)
		return BD_ENOMEM;
	*fresh = !bd_map_get(&w->dirs_seen, key, NULL);
	return *fresh ? bd_map_put(&w->dirs_seen, key, 0) : 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted; NULL-terminated, malloc'd. */
static char **read_names(DIR *d, size_t *count)
{
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;

	while ((de = readdir(d)) != NULL) {
		char *name;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		name = strdup(de->d_name);
		if (!name || BD_GROW(names, alloc, n + 2)) {
			free(name);
			while (n)
				free(names[--n]);
			free(names);
			return NULL;
		}
		names[n++] = name;
	}
	if (!names && BD_GROW(names, alloc, 1))
		return NULL;
	names[n] = NULL;
	qsort(names, n, sizeof(*names), cmp_name);
	*count = n;
	return names;
}

static int walk_entry(struct walk_ctx *c, const char *path, int depth,
		      bool top);

static int walk_dir(struct walk_ctx *c, const char *path, int depth)
{
	struct bd_buf child = BD_BUF_INIT;
	size_t n = 0, i;
	char **names;
	DIR *d;
	int rc = 0;

	if (depth >= BD_WALK_MAX_DEPTH) {
		warn(c, path, "directories nested too deep, not entered", 0);
		return 0;
	}
	d = opendir(path);
	if (!d) {
		warn(c, path, "cannot open directory", errno);
		return 0;
	}
	names = read_names(d, &n);
	closedir(d);
	if (!names)
		return BD_ENOMEM;
	for (i = 0; i < n && !rc; i++) {
		bd_buf_reset(&child);
		bd_buf_adds(&child, path);
		if (child.len && child.data[child.len - 1] != '/')
			bd_buf_addc(&child, '/');
		bd_buf_adds(&child, names[i]);
		rc = bd_buf_ok(&child) ? walk_entry(c, bd_buf_str(&child),
						    depth + 1, false)
				       : BD_ENOMEM;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	bd_buf_release(&child);
	return rc;
}

/* A path whose lstat worked: follow a symlink one step with stat(). */
static int follow_link(struct walk_ctx *c, const char *path, struct stat *st)
{
	if (stat(path, st) == 0)
		return 0;
	if (errno == ELOOP)
		warn(c, path, "symlink loop", 0);
	else if (errno == ENOENT || errno == ENOTDIR)
		warn(c, path, "dangling symlink", 0);
	else
		warn(c, path, "cannot follow symlink", errno);
	return -1;
}

static int walk_entry(struct walk_ctx *c, const char *path, int depth, bool top)
{
	struct stat st;
	bool link = false, fresh;
	int rc;

	if (lstat(path, &st) != 0) {
		warn(c, path, top ? "no such file or directory" : "cannot stat",
		     top && errno == ENOENT ? 0 : errno);
		return 0;
	}
	if (top)
		c->w->nargs_found++;
	if (S_ISLNK(st.st_mode)) {
		link = true;
		if (follow_link(c, path, &st))
			return 0;
		/* Below an argument, a link to a directory is not followed:
		 * a target inside the walk is walked anyway, and one outside
		 * it is not part of what was asked for. */
		if (S_ISDIR(st.st_mode) && !top) {
			skip(c, path, "symlink to a directory");
			return 0;
		}
	}
	if (S_ISREG(st.st_mode))
		return add_file(c, path, &st, link);
	if (!S_ISDIR(st.st_mode)) {
		c->w->nskipped++; /* devices, FIFOs, sockets: never opened */
		return 0;
	}
	rc = mark_dir(c->w, &st, &fresh);
	if (rc || !fresh) {
		if (!rc)
			skip(c, path, "directory already walked");
		return rc;
	}
	return walk_dir(c, path, depth);
}

int bd_walk_paths(struct bd_walk *w, const char *const *paths, size_t npaths,
		  const struct bd_diag *diag, struct bd_error *err)
{
	struct walk_ctx c = { w, diag };
	size_t i;
	int rc;

	for (i = 0; i < npaths; i++) {
		rc = walk_entry(&c, paths[i], 0, true);
		if (rc)
			return bd_error_set(err, rc, "out of memory");
	}
	if (npaths && !w->nargs_found)
		return bd_error_set(err, BD_ENOENT,
				    "none of the paths given exists");
	return 0;
}
