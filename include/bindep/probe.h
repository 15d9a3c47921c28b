/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_PROBE_H
#define BINDEP_PROBE_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/root.h"

#include <libelf.h>

/*
 * A second, narrow look into an ELF file the scan read without problems,
 * for the identify stage: its version-definition names and its read-only
 * data, where libraries keep their version strings.
 */
#define BD_PROBE_MAX_FILE (4ull << 30) /* as BD_SCAN_MAX_FILE */

struct bd_probe {
	int fd;
	Elf *elf;
};

/* Opens host with bd_root_open (inside root). Returns 0, or BD_EIO /
 * BD_EFORMAT when the file cannot be read as ELF. */
int bd_probe_open(struct bd_probe *p, const struct bd_root *root,
		  const char *host);
void bd_probe_close(struct bd_probe *p);

/* The highest version (strverscmp(3)) that a "{version}" pattern reads
 * from the version-definition names ("ZLIB_{version}"). */
bool bd_probe_verdef(struct bd_probe *p, const char *pattern,
		     struct bd_buf *out);

/* The first match of a "{version}" pattern in the allocated, non-writable,
 * non-executable sections (.rodata and the like; bd_strrules_section). */
bool bd_probe_strings(struct bd_probe *p, const char *pattern,
		      struct bd_buf *out);

/* The version a bare pattern ("{version:3.}") reads from those sections,
 * as bd_mapping_pick_bare picks it (found: what earlier rules read). */
bool bd_probe_bare(struct bd_probe *p, const char *pattern, const char *found,
		   struct bd_buf *out);

#endif
