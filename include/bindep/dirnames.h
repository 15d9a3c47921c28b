/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_DIRNAMES_H
#define BINDEP_DIRNAMES_H

#include "bindep/common.h"

#include <dirent.h>

/*
 * A directory's names that a filter keeps, sorted by strcmp(3): the
 * smallest max of them when there are more, found as the listing is read,
 * so that no more than max names are ever held (a directory of a million
 * names a caller reads the first 10,000 of cost 50 MB when every name was
 * held, then sorted, then cut).
 */
struct bd_dirnames {
	char **v; /* sorted; each malloc'd, as the array */
	size_t n;
	size_t kept; /* all the filter kept: n, or more when max cut them */
	/* Copies of names held now, and at most at once: max, and for a
	 * moment one more, the name that takes the largest one's place. */
	size_t held, peak;
	size_t alloc;
};

/* Whether the listing's entry de is one of the names wanted. */
typedef bool (*bd_dirnames_keep_fn)(void *ctx, const struct dirent *de);

void bd_dirnames_init(struct bd_dirnames *d);
/* Frees the names and the array; d is empty again. */
void bd_dirnames_release(struct bd_dirnames *d);

/*
 * Reads the rest of dir's listing (the caller opened it and closes it)
 * into out (initialised, empty): the names keep(ctx, entry) takes, the smallest
 * max of them, sorted. out->kept says how many it took in all (a caller
 * warns when that is above max). A read error ends the listing, as the
 * end does. Returns 0 or BD_ENOMEM (out then empty).
 */
int bd_dirnames_read(DIR *dir, bd_dirnames_keep_fn keep, void *ctx, size_t max,
		     struct bd_dirnames *out);

#endif
