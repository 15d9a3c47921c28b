/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_TARGET_H
#define BINDEP_TARGET_H

#include "bindep/common.h"

/*
 * What glibc's loader of a target takes for granted: its default library
 * directories, the expansions of $LIB and $PLATFORM, and the glibc-hwcaps
 * subdirectories it tries first in each directory. A target is an ELF
 * class and machine (and for 32-bit ARM, the float ABI its PT_INTERP
 * names). Debian's multiarch layout (/usr/lib/<triplet>) is used when the
 * root has it, the lib64 layout of other distributions otherwise.
 */

#define BD_TARGET_MAX_DIRS 8

struct bd_target {
	const char *triplet;   /* "x86_64-linux-gnu", or NULL */
	const char *lib;       /* $LIB */
	const char *platform;  /* $PLATFORM (the CPU decides on the machine:
				* this is the baseline) */
	const char *hwcaps[5]; /* glibc-hwcaps subdirectories, best first */
	const char *dirs[BD_TARGET_MAX_DIRS]; /* default directories */
	size_t ndirs;
	/* The loader is musl's (PT_INTERP /lib/ld-musl-<arch>.so.1): no
	 * cache, no hwcaps, its own search order (resolve.c). */
	bool musl;
};

/* Whether a PT_INTERP names musl's loader. */
bool bd_target_is_musl(const char *interp);

/* The loader of Debian's biarch libraries of a class and machine (i386
 * and x32 on amd64: /lib/ld-linux.so.2, /libx32/ld-linux-x32.so.2), NULL
 * for others. */
const char *bd_target_biarch_loader(unsigned ei_class, unsigned e_machine);

/* When that loader is a file in loader_dir /lib32 or /libx32 (/usr's
 * too), makes t its: /lib32:/usr/lib32:/lib:/usr/lib, $LIB lib32. */
bool bd_target_biarch(struct bd_target *t, const char *loader_dir);

/* Makes t musl's loader's, whatever its interpreter's name (one that links
 * to musl's in the root: resolve.c). */
void bd_target_musl(struct bd_target *t);

/* The <arch>s of musl's loader for an ELF class, machine and byte order,
 * the common one first (ARM: "armhf", then "arm"), at most n of them (all
 * fit in BD_TARGET_MUSL_ARCHS); how many. */
#define BD_TARGET_MUSL_ARCHS 8
size_t bd_target_musl_archs(unsigned ei_class, unsigned e_machine,
			    unsigned ei_data, const char **out, size_t n);

/*
 * Fills t for an ELF class/machine. multiarch says whether the root uses
 * Debian's layout. interp (may be NULL) tells armhf from armel.
 */
void bd_target_for(unsigned ei_class, unsigned e_machine, unsigned ei_data,
		   const char *interp, bool multiarch, struct bd_target *t);

#endif
