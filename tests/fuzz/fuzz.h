/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_FUZZ_H
#define BINDEP_FUZZ_H

#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

/* The libFuzzer entry point every harness defines; tests/fuzz/replay.c
 * calls it for each corpus file in `make check`. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline int bd_fuzz_remove_one(const char *path, const struct stat *st,
				     int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path); /* the harnesses' trees are their own: 0700, 0600 */
	return 0;
}

/* A harness's temporary tree, removed whole: depth first, links
 * removed, not followed. */
static inline void bd_fuzz_remove_tree(const char *dir)
{
	nftw(dir, bd_fuzz_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
