/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_PROBE_H
#define BINDEP_PROBE_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/root.h"

#include <libelf.h>
#include <stdint.h>

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

/*
 * The version a function returns as a constant (a mapping's "function"
 * rule): the defined function name in .symtab, else .dynsym, whose code
 * is only "return <constant>;" (bd_probe_decode_constant), the constant
 * written as returns says (bd_probe_constant_version).
 */
bool bd_probe_function(struct bd_probe *p, const char *name,
		       const char *returns, struct bd_buf *out);

/* The constant a function's first n bytes return, for an ELF e_machine:
 * x86-64 and i386 "mov $imm32, %eax; ret", AArch64 "movz/movk w0; ret",
 * each after an optional branch-protection landing pad. */
bool bd_probe_decode_constant(unsigned machine, const unsigned char *bytes,
			      size_t n, uint32_t *value);

/* value as returns writes it: "bytes:M.m.p" (a byte a part, most
 * significant first) or a decimal format ("M.mm.pp"). False when it does
 * not fit. */
bool bd_probe_constant_version(const char *returns, uint32_t value,
			       struct bd_buf *out);

#endif
