/* SPDX-License-Identifier: MIT */
/*
 * ld.so.conf as ldconfig reads it: one directory per line (an old
 * "dir=type" suffix dropped), '#' comments, "include PATTERN..." lines
 * whose globs are relative to the including file's directory, and
 * "hwcap" lines (ignored).
 */
#include "bindep/ldconf.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_CONF_SIZE (1024u * 1024u)

/* Files read through include lines in one run: each may glob a directory,
 * so this bounds the files opened (issue 11). */
#define MAX_INCLUDES 1024

/* Names one include glob may match: all are sorted, as glob(3) does, so
 * that which files are read does not depend on the directory's order. */
#define MAX_GLOB_NAMES 16384

void bd_dirlist_init(struct bd_dirlist *l)
{
	memset(l, 0, sizeof(*l));
	l->max = BD_LDCONF_MAX_DIRS;
	bd_map_init(&l->seen);
}

void bd_dirlist_release(struct bd_dirlist *l)
{
	size_t i;

	bd_map_release(&l->seen);
	for (i = 0; i < l->n; i++)
		free(l->dirs[i]);
	free(l->dirs);
	bd_dirlist_init(l);
}

/* Repeats are looked up in a map: 120,000 directories compared each with
 * all before it took 51 s (issue 11). */
int bd_dirlist_add(struct bd_dirlist *l, const char *dir, size_t len)
{
	char *copy;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	copy = strndup(dir, len);
	if (!copy)
		return BD_ENOMEM;
	if (bd_map_get(&l->seen, copy, NULL)) {
		free(copy);
		return 0;
	}
	if (l->n >= l->max) {
		free(copy);
		return BD_ELIMIT;
	}
	if (BD_GROW(l->dirs, l->alloc, l->n + 1) ||
	    bd_map_put(&l->seen, copy, (uint32_t)l->n)) {
		free(copy);
		return BD_ENOMEM;
	}
	l->dirs[l->n++] = copy;
	return 0;
}

/* isspace() in the C locale, which ldconfig strips lines with. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* isblank(): what follows a keyword and splits an include's words. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A directory line, whole (add_dir_1): "dir=type" keeps dir; trailing
 * white space, then trailing slashes, go ("/" alone is dropped, as
 * ldconfig drops it). Relative names, which ldconfig would look for
 * from its working directory, are not kept. */
static int directory_line(const char *line, size_t len, struct bd_dirlist *dirs)
{
	const char *eq = memchr(line, '=', len);

	if (eq)
		len = (size_t)(eq - line);
	while (len && is_space(line[len - 1]))
		len--;
	while (len && line[len - 1] == '/')
		len--;
	if (!len || line[0] != '/')
		return 0;
	return bd_dirlist_add(dirs, line, len);
}

static bool keyword(const char *line, size_t len, const char *word,
		    bool any_case)
{
	size_t n = strlen(word);

	return len > n &&
	       !(any_case ? strncasecmp(line, word, n)
			  : strncmp(line, word, n)) &&
	       is_blank(line[n]);
}

/*
 * One line as glibc 2.36's ldconfig (parse_conf) reads it: it ends at a
 * NUL or '#', leading white space goes; "include" then a blank gives
 * patterns split at blanks (a CR stays in its word), "hwcap" in any case
 * then a blank is ignored, and anything else is one directory, blanks,
 * ',' and ':' included.
 */
static int one_line(const char *line, size_t len, struct bd_dirlist *dirs,
		    int (*on_include)(void *ctx, const char *pattern),
		    void *ctx)
{
	size_t i;
	char *pattern;
	int rc;

	for (i = 0; i < len && line[i] && line[i] != '#'; i++)
		;
	len = i;
	while (len && is_space(*line))
		line++, len--;
	if (!len || keyword(line, len, "hwcap", true))
		return 0;
	if (!keyword(line, len, "include", false))
		return directory_line(line, len, dirs);
	line += 8;
	len -= 8;
	/* Each word is a pattern of its own: "include a.conf b.conf"
	 * reads both. */
	for (rc = 0; on_include && len && !rc;) {
		size_t n = 0;

		while (len && is_blank(*line))
			line++, len--;
		while (n < len && !is_blank(line[n]))
			n++;
		if (!n)
			break;
		pattern = strndup(line, n);
		if (!pattern)
			return BD_ENOMEM;
		rc = on_include(ctx, pattern);
		free(pattern);
		line += n, len -= n;
	}
	return rc;
}

int bd_ldconf_parse(const char *text, size_t len, struct bd_dirlist *dirs,
		    int (*on_include)(void *ctx, const char *pattern),
		    void *ctx)
{
	size_t pos = 0;
	int rc = 0;

	while (!rc && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		rc = one_line(text + pos, end - pos, dirs, on_include, ctx);
		pos = end + 1;
	}
	return rc;
}

int bd_musl_path_parse(const char *text, size_t len, struct bd_dirlist *dirs)
{
	const char *nul = memchr(text, '\0', len);
	size_t i, k;
	int rc = 0;

	if (nul)
		len = (size_t)(nul - text);
	for (i = 0; !rc && i < len; i += k + 1) {
		k = 0;
		while (i + k < len && text[i + k] != ':' && text[i + k] != '\n')
			k++;
		if (k && text[i] == '/')
			rc = bd_dirlist_add(dirs, text + i, k);
	}
	return rc;
}

/* ---- files under a root ------------------------------------------------ */

struct load {
	const struct bd_root *r;
	struct bd_dirlist *dirs;
	const struct bd_diag *diag;
	const char *file; /* inside path of the file being read */
	int depth;
	size_t includes;
	bool warned_depth; /* each limit is warned about once */
	bool stopped;	   /* a count limit was hit and warned about */
};

static int load_file(struct load *l, const char *inside);

/* The names in a directory matching a glob, sorted as glob(3) sorts; a
 * listing cut short by an error warned about, its names kept. */
static int matches(struct load *l, const char *host_dir, const char *glob,
		   struct bd_dirlist *out)
{
	struct dirent *de;
	DIR *d;
	int rc = 0, cut = 0;

	if (bd_root_opendir(l->r, host_dir, &d, NULL))
		return 0; /* like glob(3): no match */
	out->max = MAX_GLOB_NAMES;
	while (!rc && (de = bd_readdir(d, &cut))) {
		if (de->d_name[0] == '.' && glob[0] != '.')
			continue;
		if (!fnmatch(glob, de->d_name, FNM_PERIOD))
			rc = bd_dirlist_add(out, de->d_name,
					    strlen(de->d_name));
	}
	closedir(d);
	bd_readdir_warn(l->diag, bd_root_shown(l->r, host_dir), cut);
	if (out->n > 1)
		qsort(out->dirs, out->n, sizeof(*out->dirs), bd_cmp_str);
	return rc;
}

/* include PATTERN: only the last component may hold wildcards, as in
 * every ld.so.conf shipped (ld.so.conf.d/\*.conf). */
static int on_include(void *ctx, const char *pattern)
{
	struct load *l = ctx;
	struct bd_buf dir = BD_BUF_INIT, real = BD_BUF_INIT, path = BD_BUF_INIT;
	struct bd_dirlist names;
	const char *slash = strrchr(pattern, '/');
	size_t i;
	int rc = 0, found;

	bd_dirlist_init(&names);
	if (pattern[0] != '/') { /* relative to the including file */
		const char *fs = strrchr(l->file, '/');

		bd_buf_add(&dir, l->file, fs ? (size_t)(fs - l->file) : 0);
		bd_buf_addc(&dir, '/');
	}
	bd_buf_add(&dir, pattern, slash ? (size_t)(slash - pattern) : 0);
	/* A directory that is not there (or a loop) matches nothing, as
	 * for glob(3). */
	found = bd_root_host_of(l->r, "/", dir.len ? dir.data : "/", &real,
				&path, NULL);
	if (found == BD_ENOMEM)
		rc = found;
	else if (!found)
		rc = matches(l, path.data, slash ? slash + 1 : pattern, &names);
	if (rc == BD_ELIMIT) {
		bd_diag_report(l->diag, BD_DIAG_WARNING,
			       "'%s': include pattern '%s' matches more than "
			       "%u files, not read",
			       l->file, pattern, MAX_GLOB_NAMES);
		rc = 0;
		bd_dirlist_release(&names); /* none read */
	}
	for (i = 0; !rc && i < names.n; i++) {
		bd_buf_reset(&path);
		bd_buf_printf(&path, "%s/%s", real.len > 1 ? real.data : "",
			      names.dirs[i]);
		rc = bd_buf_ok(&path) ? load_file(l, path.data) : BD_ENOMEM;
	}
	bd_dirlist_release(&names);
	bd_buf_release(&dir);
	bd_buf_release(&real);
	bd_buf_release(&path);
	return rc;
}

/* Counts an include against MAX_INCLUDES and checks its depth; false
 * when it is not to be read. The count stops the whole run (BD_ELIMIT in
 * *rc), the depth only this file. Each warns once. */
static bool may_include(struct load *l, const char *inside, int *rc)
{
	*rc = 0;
	if (l->depth && l->includes++ >= MAX_INCLUDES) {
		bd_diag_report(l->diag, BD_DIAG_WARNING,
			       "'%s': more than %u included files, the rest "
			       "not read",
			       l->file, MAX_INCLUDES);
		l->stopped = true;
		*rc = BD_ELIMIT;
		return false;
	}
	if (l->depth >= BD_LDCONF_MAX_DEPTH) {
		if (!l->warned_depth)
			bd_diag_report(l->diag, BD_DIAG_WARNING,
				       "'%s': includes nested deeper than %d, "
				       "not read",
				       inside, BD_LDCONF_MAX_DEPTH);
		l->warned_depth = true;
		return false;
	}
	return true;
}

static int load_file(struct load *l, const char *inside)
{
	struct bd_buf real = BD_BUF_INIT, host = BD_BUF_INIT;
	const char *saved = l->file;
	struct bd_error e;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!may_include(l, inside, &rc))
		return rc;
	rc = bd_root_host_of(l->r, "/", inside, &real, &host, &e);
	/* A symlink loop cannot be opened: ldconfig's parse_conf warns and
	 * reads on (glibc 2.36 elf/ldconfig.c), as for a file unreadable.
	 * BD_ELIMIT here is no count limit, which would end the read. */
	if (rc == BD_ELIMIT) {
		bd_diag_failure(l->diag, &e, "not read");
		rc = 0;
		goto out;
	}
	if (!rc) {
		rc = bd_root_read(l->r, host.data, 0, MAX_CONF_SIZE, &text,
				  &len, &e);
		/* A FIFO, a device, a file too large: said, not read. */
		if (rc && rc != BD_ENOENT && rc != BD_ENOMEM)
			bd_diag_failure(l->diag, &e, "not read");
	}
	if (!rc) {
		l->depth++;
		l->file = real.data;
		rc = bd_ldconf_parse(text, len, l->dirs, on_include, l);
		if (rc == BD_ELIMIT && !l->stopped) /* the directories */
			bd_diag_report(l->diag, BD_DIAG_WARNING,
				       "'%s': more than %u library "
				       "directories, the rest ignored",
				       l->file, (unsigned)l->dirs->max);
		l->stopped = l->stopped || rc == BD_ELIMIT;
		l->file = saved;
		l->depth--;
	}
out:
	free(text);
	bd_buf_release(&real);
	bd_buf_release(&host);
	if (rc == BD_ENOMEM || rc == BD_ELIMIT)
		return rc; /* ends the whole run */
	return l->depth ? 0 : rc;
}

int bd_ldconf_load(const struct bd_root *r, const char *path,
		   struct bd_dirlist *dirs, const struct bd_diag *diag,
		   struct bd_error *err)
{
	struct load l = { r, dirs, diag, path, 0, 0, false, false };
	int rc = load_file(&l, path);

	if (rc == BD_ENOMEM)
		return bd_error_set(err, rc, "out of memory");
	return rc == BD_ELIMIT ? 0 : rc; /* warned: what was read is used */
}
