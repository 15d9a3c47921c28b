/* SPDX-License-Identifier: MIT */
/*
 * A directory's names, filtered, the smallest max kept: while fewer than
 * max are held each is added; at max they are made a heap whose root is
 * the largest, and a name read then takes the root's place only when it
 * sorts before it. The listing is read once, n log max comparisons, and
 * memory stays at max names whatever the directory holds.
 */
#include "bindep/dirnames.h"
#include "bindep/error.h"

#include <stdlib.h>
#include <string.h>

void bd_dirnames_init(struct bd_dirnames *d)
{
	memset(d, 0, sizeof(*d));
}

void bd_dirnames_release(struct bd_dirnames *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i]);
	free(d->v);
	bd_dirnames_init(d);
}

/* Moves v[i] down the heap of n names (largest at the root) to its
 * place. */
static void sift_down(char **v, size_t n, size_t i)
{
	for (;;) {
		size_t big = i, l = 2 * i + 1, r = l + 1;
		char *t;

		if (l < n && strcmp(v[l], v[big]) > 0)
			big = l;
		if (r < n && strcmp(v[r], v[big]) > 0)
			big = r;
		if (big == i)
			return;
		t = v[i];
		v[i] = v[big];
		v[big] = t;
		i = big;
	}
}

/* A copy of name, counted among those held (d->peak). */
static char *hold(struct bd_dirnames *d, const char *name)
{
	char *copy = strdup(name);

	if (copy && ++d->held > d->peak)
		d->peak = d->held;
	return copy;
}

/* The name read, taken by a list of fewer than max names, or in place of
 * the largest of max when it sorts before it. */
static int take(struct bd_dirnames *d, const char *name, size_t max)
{
	size_t i;
	char *copy;

	if (d->n < max) {
		if (BD_GROW(d->v, d->alloc, d->n + 1))
			return BD_ENOMEM;
		copy = hold(d, name);
		if (!copy)
			return BD_ENOMEM;
		d->v[d->n++] = copy;
		return 0;
	}
	if (!max)
		return 0;
	if (d->kept == max + 1) /* the first name past max: made a heap */
		for (i = d->n / 2; i-- > 0;)
			sift_down(d->v, d->n, i);
	if (strcmp(name, d->v[0]) >= 0)
		return 0;
	copy = hold(d, name);
	if (!copy)
		return BD_ENOMEM;
	free(d->v[0]);
	d->held--;
	d->v[0] = copy;
	sift_down(d->v, d->n, 0);
	return 0;
}

int bd_dirnames_read(DIR *dir, bd_dirnames_keep_fn keep, void *ctx, size_t max,
		     struct bd_dirnames *out)
{
	struct dirent *de;
	int rc = 0;

	for (de = readdir(dir); de && !rc; de = readdir(dir)) {
		if (!keep(ctx, de))
			continue;
		out->kept++; /* counted before take(): it heaps at max + 1 */
		rc = take(out, de->d_name, max);
	}
	if (rc) {
		bd_dirnames_release(out);
		return rc;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), bd_cmp_str);
	return 0;
}
