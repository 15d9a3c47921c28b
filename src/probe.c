/* SPDX-License-Identifier: MIT */
#include "bindep/probe.h"
#include "bindep/mapping.h"
#include "bindep/strrules.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <gelf.h>
#include <string.h>
#include <unistd.h>

int bd_probe_open(struct bd_probe *p, const struct bd_root *root,
		  const char *host)
{
	struct stat st;

	p->elf = NULL;
	if (bd_root_open(root, host, 0, BD_PROBE_MAX_FILE, &p->fd, &st, NULL))
		return BD_EIO;
	elf_version(EV_CURRENT);
	/* Read, not mapped: a file truncated since the scan must not raise
	 * SIGBUS. */
	p->elf = elf_begin(p->fd, ELF_C_READ, NULL);
	if (!p->elf || elf_kind(p->elf) != ELF_K_ELF) {
		bd_probe_close(p);
		return BD_EFORMAT;
	}
	return 0;
}

void bd_probe_close(struct bd_probe *p)
{
	if (p->elf)
		elf_end(p->elf);
	if (p->fd >= 0)
		close(p->fd);
	p->elf = NULL;
	p->fd = -1;
}

/* The sections the scan feeds the string rules (scan.c). */
static bool rodata_section(struct bd_probe *p, const GElf_Shdr *sh)
{
	size_t shstrndx;

	if (!(sh->sh_flags & SHF_ALLOC) ||
	    (sh->sh_flags & (SHF_WRITE | SHF_EXECINSTR)))
		return false;
	return elf_getshdrstrndx(p->elf, &shstrndx) ||
	       bd_strrules_section(elf_strptr(p->elf, shstrndx, sh->sh_name));
}

/* Calls fn for each section of the given type, with its data. */
static bool each_section(struct bd_probe *p, GElf_Word type, bool rodata,
			 bool (*fn)(void *ctx, Elf_Scn *scn, GElf_Shdr *sh,
				    Elf_Data *d),
			 void *ctx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(p->elf, scn))) {
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type)
			continue;
		if (rodata && !rodata_section(p, &sh))
			continue;
		d = elf_getdata(scn, NULL);
		if (d && d->d_buf && d->d_size && fn(ctx, scn, &sh, d))
			return true;
	}
	return false;
}

struct verdef_search {
	struct bd_probe *p;
	const char *pattern;
	struct bd_buf *out, one;
	bool found;
};

/* Walks the Elf_Verdef chain (gelf_getverdef checks each offset). */
static bool verdef_section(void *ctx, Elf_Scn *scn, GElf_Shdr *sh, Elf_Data *d)
{
	struct verdef_search *s = ctx;
	size_t off = 0, n;
	GElf_Verdef vd;
	GElf_Verdaux va;

	(void)scn;
	for (n = 0; n < sh->sh_info && gelf_getverdef(d, (int)off, &vd); n++) {
		const char *name = NULL;

		if (vd.vd_cnt &&
		    gelf_getverdaux(d, (int)(off + vd.vd_aux), &va))
			name = elf_strptr(s->p->elf, sh->sh_link, va.vda_name);
		if (name && bd_version_match(s->pattern, name, &s->one) &&
		    (!s->found ||
		     strverscmp(bd_buf_str(&s->one), bd_buf_str(s->out)) > 0)) {
			bd_buf_reset(s->out);
			bd_buf_adds(s->out, bd_buf_str(&s->one));
			s->found = true;
		}
		if (!vd.vd_next)
			break;
		off += vd.vd_next;
	}
	return false; /* look at every section */
}

bool bd_probe_verdef(struct bd_probe *p, const char *pattern,
		     struct bd_buf *out)
{
	struct verdef_search s = { p, pattern, out, BD_BUF_INIT, false };

	each_section(p, SHT_GNU_verdef, false, verdef_section, &s);
	bd_buf_release(&s.one);
	return s.found && bd_buf_ok(out);
}

struct strings_search {
	const char *pattern;
	struct bd_buf *out;
};

static bool strings_section(void *ctx, Elf_Scn *scn, GElf_Shdr *sh, Elf_Data *d)
{
	struct strings_search *s = ctx;

	(void)scn;
	(void)sh;
	return bd_version_search(s->pattern, d->d_buf, d->d_size, s->out);
}

bool bd_probe_strings(struct bd_probe *p, const char *pattern,
		      struct bd_buf *out)
{
	struct strings_search s = { pattern, out };

	return each_section(p, SHT_PROGBITS, true, strings_section, &s) &&
	       bd_buf_ok(out);
}

struct bare_search {
	struct bd_strrules *rules;
	struct bd_arena arena;
	struct bd_string_hits hits;
};

static bool bare_section(void *ctx, Elf_Scn *scn, GElf_Shdr *sh, Elf_Data *d)
{
	struct bare_search *s = ctx;

	(void)scn;
	(void)sh;
	/* Capped or out of memory: what was read decides. */
	return bd_strrules_feed(s->rules, d->d_buf, d->d_size, &s->arena,
				&s->hits) != 0;
}

bool bd_probe_bare(struct bd_probe *p, const char *pattern, const char *found,
		   struct bd_buf *out)
{
	struct bd_strrule rule = { BD_STRRULE_BARE, pattern, 0 };
	struct bare_search s = { NULL,
				 { NULL },
				 { NULL, 0, 0, 0, 0, false, false } };
	struct bd_error err;
	bool ok = false;

	bd_arena_init(&s.arena);
	if (!bd_strrules_build(&s.rules, &rule, 1, &err)) {
		each_section(p, SHT_PROGBITS, true, bare_section, &s);
		ok = !s.hits.capped &&
		     bd_mapping_pick_bare(s.hits.items, s.hits.n, 0, found,
					  out);
	}
	bd_strrules_free(s.rules);
	bd_string_hits_release(&s.hits);
	bd_arena_release(&s.arena);
	return ok;
}

/* ---- a version a function returns ------------------------------------ */

/*
 * What a function that only returns a constant compiles to, read without
 * disassembling anything else (libwebp's WebPGetDecoderVersion() returns
 * (1 << 16) | (2 << 8) | 4 for 1.2.4 and has no version text anywhere):
 *   x86-64, i386: [endbr64|endbr32] mov $imm32, %eax; ret   (Intel SDM)
 *   AArch64: [bti c|paciasp] movz w0, #imm16{, lsl 16} [movk w0, #imm16,
 *            lsl 16]; ret   (Arm ARM C6.2: MOVZ, MOVK, RET)
 * Anything else (a body the compiler made longer, another machine) is no
 * version.
 */
#define FN_BYTES 24

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static bool x86_constant(const unsigned char *b, size_t n, uint32_t *value)
{
	static const unsigned char endbr[] = { 0xf3, 0x0f, 0x1e };
	size_t i = 0;

	if (n >= 4 && !memcmp(b, endbr, 3) && (b[3] == 0xfa || b[3] == 0xfb))
		i = 4;
	if (i + 6 > n || b[i] != 0xb8)
		return false;
	*value = le32(b + i + 1);
	i += 5;
	return b[i] == 0xc3 || (i + 1 < n && b[i] == 0xf3 && b[i + 1] == 0xc3);
}

static bool arm64_constant(const unsigned char *b, size_t n, uint32_t *value)
{
	size_t i = 0;
	uint32_t v = 0, insn;
	bool set = false;

	for (; i + 4 <= n; i += 4) {
		insn = le32(b + i);
		if (insn == 0xd503245f ||
		    insn == 0xd503233f) /* bti c, paciasp */
			continue;
		break;
	}
	for (; i + 4 <= n; i += 4) {
		unsigned shift;

		insn = le32(b + i);
		/* hw: which half of the 32-bit w0 (hw 2 and 3 are x0's). */
		shift = 16 * ((insn >> 21) & 3);
		if ((insn & 0xff80001fu) == 0x52800000u && !set &&
		    shift <= 16) { /* movz w0 */
			v = ((insn >> 5) & 0xffffu) << shift;
			set = true;
		} else if ((insn & 0xff80001fu) == 0x72800000u && set &&
			   shift <= 16) { /* movk w0 */
			v = (v & ~(0xffffu << shift)) | ((insn >> 5) & 0xffffu)
								<< shift;
		} else {
			break;
		}
	}
	*value = v;
	return set && i + 4 <= n && le32(b + i) == 0xd65f03c0u; /* ret */
}

bool bd_probe_decode_constant(unsigned machine, const unsigned char *bytes,
			      size_t n, uint32_t *value)
{
	switch (machine) {
	case EM_X86_64:
	case EM_386: return x86_constant(bytes, n, value);
	case EM_AARCH64: return arm64_constant(bytes, n, value);
	default: return false;
	}
}

struct function_search {
	Elf *elf;
	const char *name;
	GElf_Addr addr;
	bool found;
};

/* A defined function of that name, in .symtab (a program not stripped)
 * or .dynsym (a shared library's exports). */
static bool symbol_section(void *ctx, Elf_Scn *scn, GElf_Shdr *sh, Elf_Data *d)
{
	struct function_search *s = ctx;
	size_t i, n = sh->sh_entsize ? d->d_size / sh->sh_entsize : 0;
	GElf_Sym sym;

	(void)scn;
	for (i = 1; i < n && i <= INT_MAX; i++) {
		const char *name;

		if (!gelf_getsym(d, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		name = elf_strptr(s->elf, sh->sh_link, sym.st_name);
		if (name && !strcmp(name, s->name)) {
			s->addr = sym.st_value;
			s->found = true;
			return true;
		}
	}
	return false;
}

/* The file offset of a code address: in the executable section that
 * holds it (sections, not segments: the symbol tables are sections too). */
static bool code_offset(struct bd_probe *p, GElf_Addr addr, off_t *off)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(p->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR) || addr < sh.sh_addr ||
		    addr - sh.sh_addr >= sh.sh_size ||
		    sh.sh_offset > (GElf_Off)INT64_MAX - sh.sh_size)
			continue;
		*off = (off_t)(sh.sh_offset + (addr - sh.sh_addr));
		return true;
	}
	return false;
}

/* value written as returns says: "bytes:M.m.p", one byte a part from
 * the most significant of as many bytes as parts (libwebp's
 * (major << 16) | (minor << 8) | revision), or a decimal FORMAT as
 * {version:LEAD|FORMAT} has it ("M.mm.pp": 10904 is 1.9.4). */
bool bd_probe_constant_version(const char *returns, uint32_t value,
			       struct bd_buf *out)
{
	struct bd_version_pattern vp;
	char pattern[96], digits[16], v[BD_VERSION_MAX];
	size_t parts = 0, i, len;

	if (!strncmp(returns, "bytes:", 6)) {
		for (i = 6; returns[i]; i++)
			parts += returns[i] != '.' &&
				 (i == 6 || returns[i - 1] == '.');
		if (parts < 2 || parts > 4 ||
		    (parts < 4 && value >> (8 * parts)))
			return false;
		bd_buf_reset(out);
		for (i = parts; i-- > 0;)
			bd_buf_printf(out, i + 1 < parts ? ".%u" : "%u",
				      (unsigned)(value >> (8 * i)) & 0xffu);
		return bd_buf_ok(out);
	}
	snprintf(digits, sizeof(digits), "%u", (unsigned)value);
	/* The number's first digit is the lead the pattern syntax wants. */
	if ((size_t)snprintf(pattern, sizeof(pattern), "{version:%c|%s}",
			     digits[0], returns) >= sizeof(pattern) ||
	    !bd_version_pattern_parse(pattern, &vp))
		return false;
	len = bd_version_format(&vp, digits, strlen(digits), v, sizeof(v));
	if (!len)
		return false;
	bd_buf_reset(out);
	bd_buf_add(out, v, len);
	return bd_buf_ok(out);
}

bool bd_probe_function(struct bd_probe *p, const char *name,
		       const char *returns, struct bd_buf *out)
{
	struct function_search s = { p->elf, name, 0, false };
	unsigned char bytes[FN_BYTES];
	GElf_Ehdr eh;
	uint32_t value;
	off_t off;
	ssize_t n;

	if (!gelf_getehdr(p->elf, &eh))
		return false;
	if (!each_section(p, SHT_SYMTAB, false, symbol_section, &s))
		each_section(p, SHT_DYNSYM, false, symbol_section, &s);
	if (!s.found || !code_offset(p, s.addr, &off))
		return false;
	n = pread(p->fd, bytes, sizeof(bytes), off);
	return n > 0 &&
	       bd_probe_decode_constant(eh.e_machine, bytes, (size_t)n,
					&value) &&
	       bd_probe_constant_version(returns, value, out);
}
