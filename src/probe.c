/* SPDX-License-Identifier: MIT */
#include "bindep/probe.h"
#include "bindep/mapping.h"
#include "bindep/strrules.h"

#include <fcntl.h>
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
				 { NULL, 0, 0, 0, false, false } };
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
