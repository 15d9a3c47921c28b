/* SPDX-License-Identifier: MIT */
/*
 * The scan stage: the facts of one ELF file, read with libelf (gelf_*)
 * from a memory image. Everything in the file is hostile: every offset,
 * size and count is checked before use, and a broken part is reported and
 * skipped so that the rest of the file is still read.
 */
#include "bindep/scan.h"
#include "bindep/buf.h"
#include "bindep/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BUILD_ID_BYTES 64

/* State of one scan. */
struct scan {
	Elf *elf;
	const char *name;
	struct bd_elf_info *info;
	const struct bd_diag *diag;
	bool has_sections;
	size_t nneeded_alloc;
	bool needed_capped; /* the DT_NEEDED cap was reported */
	/* Note byte ranges read, so that headers pointing at the same bytes
	 * (hostile: thousands of them) are read once. */
	struct note_range {
		uint64_t off, size;
	} note_ranges[BD_SCAN_MAX_NOTE_SECTIONS];
	size_t nnote_ranges;
	bool notes_capped;     /* the note section cap was reported */
	bool dlopen_capped;    /* the dlopen entry cap was reported */
	bool package_dup_seen; /* a second package note was reported */
	size_t nproblems;      /* problems met so far */
};

/* A string table, either a section (strings through elf_strptr, which
 * checks the offset and the terminating NUL) or raw bytes found through
 * the dynamic segment. */
struct strtab {
	Elf *elf;
	size_t section; /* 0: use bytes */
	const char *bytes;
	size_t size;
	bool unreadable; /* already reported: look nothing up */
};

void bd_elf_info_init(struct bd_elf_info *info)
{
	memset(info, 0, sizeof(*info));
	bd_arena_init(&info->arena);
}

void bd_elf_info_release(struct bd_elf_info *info)
{
	free(info->dlopen);
	free(info->needed);
	bd_arena_release(&info->arena);
	bd_elf_info_init(info);
}

bool bd_scan_is_elf(const void *data, size_t size)
{
	return size >= SELFMAG && memcmp(data, ELFMAG, SELFMAG) == 0;
}

/* Reports a problem that does not stop the scan; the first is kept. A
 * hostile file can hold thousands of bad notes: past BD_SCAN_MAX_PROBLEMS
 * one last warning says so and the rest are not reported. */
static void problem(struct scan *s, const char *fmt, ...) BD_PRINTF(2, 3);
static void problem(struct scan *s, const char *fmt, ...)
{
	char msg[BD_ERROR_MSG_MAX];
	va_list ap;

	if (s->nproblems++ >= BD_SCAN_MAX_PROBLEMS) {
		if (s->nproblems == BD_SCAN_MAX_PROBLEMS + 1)
			bd_diag_report(s->diag, BD_DIAG_WARNING,
				       "'%s': more than %d problems, not "
				       "reporting the rest",
				       s->name, BD_SCAN_MAX_PROBLEMS);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bd_diag_report(s->diag, BD_DIAG_WARNING, "'%s': %s", s->name, msg);
	if (!s->info->problem)
		s->info->problem = bd_arena_printf(&s->info->arena, "%s", msg);
}

static const char *libelf_msg(void)
{
	const char *m = elf_errmsg(-1);

	return m ? m : "unknown libelf error";
}

/* ---- header checks, before libelf --------------------------------- */

static void write_zero(unsigned char *p, size_t n)
{
	memset(p, 0, n);
}

/* Offsets of the header fields we check, per class. */
struct ehdr_layout {
	size_t ehsize, phoff, shoff, addr, phentsize, phnum, shentsize, shnum,
		shstrndx;
	size_t phdr_size, shdr_size;
};

static const struct ehdr_layout layout32 = { 52, 28, 32, 4,  42, 44,
					     46, 48, 50, 32, 40 };
static const struct ehdr_layout layout64 = { 64, 32, 40, 8,  54, 56,
					     58, 60, 62, 56, 64 };

/* True when a table of n entries of entsize bytes at off fits in size. */
static bool table_fits(uint64_t off, uint64_t entsize, uint64_t n,
		       uint64_t size)
{
	if (off > size || entsize == 0)
		return false;
	return n <= (size - off) / entsize;
}

/* Reports a header table we cannot use; false when so. */
static bool table_ok(struct scan *s, const char *what, uint64_t entsize,
		     uint64_t expected, bool fits)
{
	if (entsize != expected) {
		problem(s,
			"%s header entries of %llu bytes, not %llu, "
			"ignoring them",
			what, (unsigned long long)entsize,
			(unsigned long long)expected);
		return false;
	}
	if (!fits) {
		problem(s, "%s headers beyond end of file, ignoring them",
			what);
		return false;
	}
	return true;
}

/*
 * libelf refuses a whole file whose section or program header table lies
 * outside it. The loader needs only the program headers and we can live
 * without either, so a broken table is reported and blanked out in our
 * private copy, and the rest of the file is still read.
 */
static int check_header(struct scan *s, unsigned char *d, size_t size,
			struct bd_error *err)
{
	const struct ehdr_layout *l;
	bool msb;
	uint64_t phoff, phnum, phent, shoff, shnum, shent;

	if (size < EI_NIDENT)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': truncated ELF identification",
				    s->name);
	if (d[EI_CLASS] != ELFCLASS32 && d[EI_CLASS] != ELFCLASS64)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': unknown ELF class %u", s->name,
				    d[EI_CLASS]);
	if (d[EI_DATA] != ELFDATA2LSB && d[EI_DATA] != ELFDATA2MSB)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': unknown ELF data encoding %u",
				    s->name, d[EI_DATA]);
	s->info->ei_class = d[EI_CLASS];
	s->info->ei_data = d[EI_DATA];
	s->info->ei_osabi = d[EI_OSABI];
	l = d[EI_CLASS] == ELFCLASS32 ? &layout32 : &layout64;
	msb = d[EI_DATA] == ELFDATA2MSB;
	if (size < l->ehsize)
		return bd_error_set(err, BD_EFORMAT,
				    "'%s': truncated ELF header", s->name);
	s->info->e_type = (unsigned)bd_load_uint(d + 16, 2, msb);
	s->info->e_machine = (unsigned)bd_load_uint(d + 18, 2, msb);

	phoff = bd_load_uint(d + l->phoff, l->addr, msb);
	phent = bd_load_uint(d + l->phentsize, 2, msb);
	phnum = bd_load_uint(d + l->phnum, 2, msb);
	if (phnum && !table_ok(s, "program", phent, l->phdr_size,
			       table_fits(phoff, phent, phnum, size))) {
		write_zero(d + l->phoff, l->addr);
		write_zero(d + l->phnum, 2);
	}

	shoff = bd_load_uint(d + l->shoff, l->addr, msb);
	shent = bd_load_uint(d + l->shentsize, 2, msb);
	shnum = bd_load_uint(d + l->shnum, 2, msb);
	/* shnum 0 with an offset: the count is in section 0 (extended
	 * numbering), which libelf reads; check that entry 0 fits. */
	if (shoff &&
	    !table_ok(s, "section", shent, l->shdr_size,
		      table_fits(shoff, shent, shnum ? shnum : 1, size))) {
		write_zero(d + l->shoff, l->addr);
		write_zero(d + l->shnum, 2);
		write_zero(d + l->shstrndx, 2);
	}
	return 0;
}

/* ---- strings ------------------------------------------------------- */

static const char *strtab_get(const struct strtab *t, uint64_t off)
{
	const char *p;

	if (t->section)
		return elf_strptr(t->elf, t->section, (size_t)off);
	if (!t->bytes || off >= t->size)
		return NULL;
	p = t->bytes + off;
	if (!memchr(p, '\0', t->size - (size_t)off))
		return NULL;
	return p;
}

/* ---- dynamic section ----------------------------------------------- */

/* Keeps a DT_NEEDED name. Past the cap the rest are dropped with one
 * warning: the file stays in the SBOM, marked incomplete (its problem),
 * and the run goes on. Returns 0 or BD_ENOMEM, never a cap. */
static int add_needed(struct scan *s, const char *name)
{
	struct bd_elf_info *info = s->info;
	const char *copy;

	if (info->nneeded >= BD_SCAN_MAX_NEEDED) {
		if (!s->needed_capped)
			problem(s,
				"more than %d DT_NEEDED entries, keeping the "
				"first %d",
				BD_SCAN_MAX_NEEDED, BD_SCAN_MAX_NEEDED);
		s->needed_capped = true;
		return 0;
	}
	copy = bd_arena_strdup(&info->arena, name);
	if (!copy || BD_GROW(info->needed, s->nneeded_alloc, info->nneeded + 1))
		return BD_ENOMEM;
	info->needed[info->nneeded++] = copy;
	return 0;
}

static const char *dyn_tag_name(int64_t tag)
{
	switch (tag) {
	case DT_NEEDED: return "DT_NEEDED";
	case DT_SONAME: return "DT_SONAME";
	case DT_RPATH: return "DT_RPATH";
	default: return "DT_RUNPATH";
	}
}

/* Handles one string-valued entry; returns BD_ENOMEM or 0. */
static int dyn_string(struct scan *s, const struct strtab *t,
		      const GElf_Dyn *dyn)
{
	struct bd_elf_info *info = s->info;
	const char *str;
	const char **slot;

	if (t->unreadable)
		return 0;
	str = strtab_get(t, dyn->d_un.d_val);
	if (!str) {
		problem(s, "%s string offset %llu out of range",
			dyn_tag_name(dyn->d_tag),
			(unsigned long long)dyn->d_un.d_val);
		return 0;
	}
	if (dyn->d_tag == DT_NEEDED)
		return add_needed(s, str);
	/* glibc keeps the last entry of a tag (elf_get_dynamic_info fills
	 * l_info[tag] in order), so do we. */
	switch (dyn->d_tag) {
	case DT_SONAME: slot = &info->soname; break;
	case DT_RPATH: slot = &info->rpath; break;
	default: slot = &info->runpath; break;
	}
	*slot = bd_arena_strdup(&info->arena, str);
	return *slot ? 0 : BD_ENOMEM;
}

static int read_dynamic(struct scan *s, Elf_Data *data, size_t count,
			const struct strtab *t)
{
	size_t i;

	s->info->has_dynamic = true;
	for (i = 0; i < count; i++) {
		GElf_Dyn dyn;
		int rc;

		if (!gelf_getdyn(data, (int)i, &dyn))
			break;
		if (dyn.d_tag == DT_NULL)
			break;
		switch (dyn.d_tag) {
		case DT_NEEDED:
		case DT_SONAME:
		case DT_RPATH:
		case DT_RUNPATH:
			rc = dyn_string(s, t, &dyn);
			if (rc)
				return rc;
			break;
		case DT_FLAGS_1:
			s->info->has_flags_1 = true;
			s->info->flags_1 = dyn.d_un.d_val;
			break;
		default: break;
		}
	}
	return 0;
}

/* ---- notes ---------------------------------------------------------- */

static void set_build_id(struct scan *s, const unsigned char *desc, size_t n)
{
	struct bd_buf b = BD_BUF_INIT;

	if (n == 0 || n > MAX_BUILD_ID_BYTES) {
		problem(s, "GNU build-id note of %zu bytes, ignoring it", n);
		return;
	}
	bd_buf_add_hex(&b, desc, n);
	if (bd_buf_ok(&b))
		s->info->build_id =
			bd_arena_strdup(&s->info->arena, bd_buf_str(&b));
	bd_buf_release(&b);
}

/* The JSON text of an FDO note: NUL-terminated and NUL-padded (spec 8),
 * so it ends at the first NUL. */
static size_t note_json_len(const char *desc, size_t descsz)
{
	return strnlen(desc, descsz);
}

static void fdo_package_note(struct scan *s, const char *desc, size_t n)
{
	struct bd_error e;
	int rc;

	if (s->info->package_note) {
		if (!s->package_dup_seen)
			problem(s, "more than one package note, using the "
				   "first");
		s->package_dup_seen = true;
		return;
	}
	if (n > BD_SCAN_MAX_NOTE_JSON) {
		problem(s, "package note of %zu bytes is too large", n);
		return;
	}
	rc = bd_note_parse_package(desc, note_json_len(desc, n),
				   &s->info->arena, &s->info->package_note,
				   &s->info->npackage_note, &e);
	if (rc)
		problem(s, "%s", e.msg);
}

static void fdo_dlopen_note(struct scan *s, const char *desc, size_t n)
{
	struct bd_error e;
	int rc;

	if (s->dlopen_capped)
		return; /* full: the rest is not even parsed */
	if (n > BD_SCAN_MAX_NOTE_JSON) {
		problem(s, "dlopen note of %zu bytes is too large", n);
		return;
	}
	rc = bd_note_parse_dlopen(desc, note_json_len(desc, n), s->info, &e);
	if (rc == BD_ELIMIT)
		s->dlopen_capped = true;
	if (rc)
		problem(s, "%s", e.msg);
}

static void one_note(struct scan *s, const GElf_Nhdr *nh, const char *name,
		     const char *desc)
{
	if (nh->n_namesz == sizeof("GNU") && !memcmp(name, "GNU", 4) &&
	    nh->n_type == NT_GNU_BUILD_ID) {
		set_build_id(s, (const unsigned char *)desc, nh->n_descsz);
		return;
	}
	/* The owner is "FDO" with its NUL (n_namesz 4), per spec 8/12. */
	if (nh->n_namesz != sizeof(BD_NOTE_OWNER_FDO) ||
	    memcmp(name, BD_NOTE_OWNER_FDO, sizeof(BD_NOTE_OWNER_FDO)))
		return;
	if (nh->n_type == BD_NT_FDO_PACKAGING_METADATA)
		fdo_package_note(s, desc, nh->n_descsz);
	else if (nh->n_type == BD_NT_FDO_DLOPEN_METADATA)
		fdo_dlopen_note(s, desc, nh->n_descsz);
}

/*
 * Whether the notes at [off, off + size) are to be read: not when the
 * same bytes were read already (several headers may point at one range),
 * nor past the cap on distinct ranges, which is reported once.
 */
static bool note_range_new(struct scan *s, uint64_t off, uint64_t size)
{
	size_t i;

	for (i = 0; i < s->nnote_ranges; i++) {
		if (s->note_ranges[i].off == off &&
		    s->note_ranges[i].size == size)
			return false;
	}
	if (s->nnote_ranges >= BD_SCAN_MAX_NOTE_SECTIONS) {
		if (!s->notes_capped)
			problem(s,
				"more than %d note sections, reading the "
				"first %d",
				BD_SCAN_MAX_NOTE_SECTIONS,
				BD_SCAN_MAX_NOTE_SECTIONS);
		s->notes_capped = true;
		return false;
	}
	s->note_ranges[s->nnote_ranges].off = off;
	s->note_ranges[s->nnote_ranges++].size = size;
	return true;
}

static void read_notes(struct scan *s, Elf_Data *data, const char *where)
{
	size_t off = 0;

	while (off < data->d_size) {
		GElf_Nhdr nh;
		size_t name_off, desc_off, next;

		next = gelf_getnote(data, off, &nh, &name_off, &desc_off);
		if (next == 0) {
			problem(s, "note at offset %zu overruns %s", off,
				where);
			return;
		}
		one_note(s, &nh, (const char *)data->d_buf + name_off,
			 (const char *)data->d_buf + desc_off);
		off = next;
	}
}

/* ---- sections -------------------------------------------------------- */

static bool section_has(GElf_Shdr *sh, uint32_t type)
{
	return sh->sh_type == type && sh->sh_type != SHT_NOBITS;
}

static Elf_Data *section_data(struct scan *s, Elf_Scn *scn, size_t index)
{
	Elf_Data *data = elf_getdata(scn, NULL);

	if (!data)
		problem(s, "section %zu: cannot read its data: %s", index,
			libelf_msg());
	return data;
}

/* The dynamic section's sh_link must name a string table. */
static void check_strtab_link(struct scan *s, struct strtab *t)
{
	Elf_Scn *scn = elf_getscn(s->elf, t->section);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_STRTAB) {
		problem(s,
			"dynamic section links to section %zu, which is no "
			"string table",
			t->section);
		t->unreadable = true;
	}
}

static int section_dynamic(struct scan *s, Elf_Scn *scn, GElf_Shdr *sh,
			   size_t index)
{
	struct strtab t = { s->elf, sh->sh_link, NULL, 0, false };
	Elf_Data *data;
	size_t ent;

	if (s->info->has_dynamic)
		return 0;
	check_strtab_link(s, &t);
	data = section_data(s, scn, index);
	if (!data)
		return 0;
	ent = gelf_fsize(s->elf, ELF_T_DYN, 1, EV_CURRENT);
	return read_dynamic(s, data, ent ? data->d_size / ent : 0, &t);
}

static void section_dynsym(struct scan *s, Elf_Scn *scn, GElf_Shdr *sh,
			   size_t index)
{
	Elf_Data *data = section_data(s, scn, index);
	size_t ent = gelf_fsize(s->elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t i, n;

	if (!data || !ent)
		return;
	s->info->dynsym_read = true;
	n = data->d_size / ent;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		if (sym.st_shndx != SHN_UNDEF)
			continue;
		name = elf_strptr(s->elf, sh->sh_link, sym.st_name);
		if (name &&
		    (!strcmp(name, "dlopen") || !strcmp(name, "dlmopen"))) {
			s->info->imports_dlopen = true;
			return;
		}
	}
}

static int read_sections(struct scan *s)
{
	Elf_Scn *scn = NULL;
	size_t shnum = 0, index = 0;

	if (elf_getshdrnum(s->elf, &shnum) != 0 || shnum == 0)
		return 0;
	s->has_sections = true;
	while ((scn = elf_nextscn(s->elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *data;

		index = elf_ndxscn(scn);
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (section_has(&sh, SHT_DYNAMIC)) {
			int rc = section_dynamic(s, scn, &sh, index);

			if (rc)
				return rc;
		} else if (section_has(&sh, SHT_DYNSYM)) {
			/* The loader has one symbol table (DT_SYMTAB): more
			 * headers would only make us read it again. */
			if (!s->info->dynsym_read)
				section_dynsym(s, scn, &sh, index);
		} else if (section_has(&sh, SHT_NOTE) &&
			   note_range_new(s, sh.sh_offset, sh.sh_size)) {
			data = section_data(s, scn, index);
			if (data)
				read_notes(s, data, "its section");
		}
	}
	return 0;
}

/* ---- segments --------------------------------------------------------- */

/* File offset of a virtual address, through the PT_LOAD segments. */
static bool vaddr_to_offset(Elf *elf, size_t phnum, uint64_t vaddr,
			    uint64_t *off, uint64_t *room)
{
	size_t i;

	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
			*off = ph.p_offset + (vaddr - ph.p_vaddr);
			*room = ph.p_filesz - (vaddr - ph.p_vaddr);
			return true;
		}
	}
	return false;
}

/* The string table of a dynamic segment, from DT_STRTAB and DT_STRSZ. */
static void segment_strtab(struct scan *s, Elf_Data *dyn, size_t count,
			   size_t phnum, struct strtab *t)
{
	uint64_t addr = 0, size = 0, off, room;
	bool have_addr = false;
	Elf_Data *bytes;
	size_t i;

	for (i = 0; i < count; i++) {
		GElf_Dyn d;

		if (!gelf_getdyn(dyn, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_STRTAB) {
			addr = d.d_un.d_ptr;
			have_addr = true;
		} else if (d.d_tag == DT_STRSZ) {
			size = d.d_un.d_val;
		}
	}
	t->unreadable = true; /* until it is found */
	if (!have_addr || !size) {
		problem(s, "dynamic segment has no string table");
		return;
	}
	if (!vaddr_to_offset(s->elf, phnum, addr, &off, &room)) {
		problem(s, "DT_STRTAB address 0x%llx is in no segment",
			(unsigned long long)addr);
		return;
	}
	if (size > room)
		size = room;
	bytes = elf_getdata_rawchunk(s->elf, (int64_t)off, (size_t)size,
				     ELF_T_BYTE);
	if (!bytes) {
		problem(s, "dynamic string table beyond end of file");
		return;
	}
	t->bytes = bytes->d_buf;
	t->size = bytes->d_size;
	t->unreadable = false;
}

static int segment_dynamic(struct scan *s, GElf_Phdr *ph, size_t phnum)
{
	struct strtab t = { s->elf, 0, NULL, 0, false };
	size_t ent = gelf_fsize(s->elf, ELF_T_DYN, 1, EV_CURRENT);
	Elf_Data *data;
	size_t count;

	data = elf_getdata_rawchunk(s->elf, (int64_t)ph->p_offset,
				    (size_t)ph->p_filesz, ELF_T_DYN);
	if (!data || !ent) {
		problem(s, "dynamic segment beyond end of file");
		return 0;
	}
	count = data->d_size / ent;
	segment_strtab(s, data, count, phnum, &t);
	return read_dynamic(s, data, count, &t);
}

static void segment_interp(struct scan *s, GElf_Phdr *ph)
{
	Elf_Data *data;
	size_t len;

	data = elf_getdata_rawchunk(s->elf, (int64_t)ph->p_offset,
				    (size_t)ph->p_filesz, ELF_T_BYTE);
	if (!data || data->d_size == 0) {
		problem(s, "PT_INTERP beyond end of file");
		return;
	}
	len = strnlen(data->d_buf, data->d_size);
	if (len == data->d_size || len == 0) {
		problem(s, "PT_INTERP is not a NUL-terminated path");
		return;
	}
	s->info->interp = bd_arena_strndup(&s->info->arena, data->d_buf, len);
}

static void segment_notes(struct scan *s, GElf_Phdr *ph)
{
	/* Notes in a segment aligned to 8 use the 8-byte layout (gABI). */
	Elf_Type type = ph->p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR;
	Elf_Data *data;

	if (!note_range_new(s, ph->p_offset, ph->p_filesz))
		return;
	data = elf_getdata_rawchunk(s->elf, (int64_t)ph->p_offset,
				    (size_t)ph->p_filesz, type);
	if (!data) {
		problem(s, "note segment beyond end of file");
		return;
	}
	read_notes(s, data, "its segment");
}

/*
 * Program headers give PT_INTERP always; the dynamic segment and notes
 * only when there were no sections (stripped or sectionless files, such as
 * static Go binaries), which is where the loader finds them too.
 */
static int read_segments(struct scan *s)
{
	size_t phnum = 0, i;

	if (elf_getphdrnum(s->elf, &phnum) != 0)
		return 0;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		int rc = 0;

		if (!gelf_getphdr(s->elf, (int)i, &ph))
			continue;
		if (ph.p_type == PT_INTERP && !s->info->interp)
			segment_interp(s, &ph);
		else if (ph.p_type == PT_DYNAMIC && !s->info->has_dynamic)
			rc = segment_dynamic(s, &ph, phnum);
		else if (ph.p_type == PT_NOTE && !s->has_sections)
			segment_notes(s, &ph);
		if (rc)
			return rc;
	}
	return 0;
}

int bd_scan_memory(void *data, size_t size, const char *name,
		   struct bd_elf_info *info, const struct bd_diag *diag,
		   struct bd_error *err)
{
	struct scan s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.name = name;
	s.info = info;
	s.diag = diag;
	if (!bd_scan_is_elf(data, size))
		return bd_error_set(err, BD_ENOTELF, "'%s': not an ELF file",
				    name);
	rc = check_header(&s, data, size, err);
	if (rc)
		return rc;
	elf_version(EV_CURRENT);
	s.elf = elf_memory(data, size);
	if (!s.elf || elf_kind(s.elf) != ELF_K_ELF) {
		rc = bd_error_set(err, BD_EFORMAT, "'%s': libelf: %s", name,
				  libelf_msg());
		goto out;
	}
	rc = read_sections(&s);
	if (!rc)
		rc = read_segments(&s);
	if (rc == BD_ENOMEM)
		bd_error_set(err, rc, "'%s': out of memory", name);
out:
	elf_end(s.elf);
	return rc;
}

const char *bd_elf_class_name(unsigned ei_class)
{
	switch (ei_class) {
	case ELFCLASS32: return "ELF32";
	case ELFCLASS64: return "ELF64";
	default: return NULL;
	}
}

const char *bd_elf_machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86_64";
	case EM_ARM: return "arm";
	case EM_AARCH64: return "aarch64";
	case EM_RISCV: return "riscv";
	case EM_PPC: return "ppc";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	case EM_MIPS: return "mips";
	case EM_SPARC: return "sparc";
	case EM_SPARCV9: return "sparcv9";
	case EM_IA_64: return "ia64";
	case EM_LOONGARCH: return "loongarch";
	case EM_68K: return "m68k";
	case EM_SH: return "sh";
	case EM_ALPHA: return "alpha";
	case EM_PARISC: return "parisc";
	case EM_BPF: return "bpf";
	default: return NULL;
	}
}

/* GNU ld scripts named like libraries (libc.so: "GNU ld script",
 * libcurses.so: "INPUT(libncurses.so.6 -ltinfo)") are ordinary. */
static bool is_linker_script(const char *data, size_t size)
{
	static const char *const marks[] = { "GNU ld script", "INPUT(",
					     "GROUP(" };
	size_t i, n = size < 512 ? size : 512;

	for (i = 0; i < BD_ARRAY_SIZE(marks); i++) {
		if (memmem(data, n, marks[i], strlen(marks[i])))
			return true;
	}
	return false;
}

static int not_elf(const void *map, size_t size, const char *name,
		   struct bd_elf_info *info, struct bd_error *err)
{
	info->linker_script = is_linker_script(map, size);
	return bd_error_set(err, BD_ENOTELF, "'%s': %s", name,
			    info->linker_script ? "linker script"
						: "not an ELF file");
}

/*
 * Files are read whole, on several threads at once: the bytes held at any
 * time are bounded by BD_SCAN_MEMORY_BUDGET, a file larger than the budget
 * being read alone. A worker waits for others to finish rather than grow.
 */
static pthread_mutex_t budget_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t budget_cv = PTHREAD_COND_INITIALIZER;
static uint64_t budget_held;

static void budget_take(uint64_t n)
{
	pthread_mutex_lock(&budget_lock);
	while (budget_held && budget_held + n > BD_SCAN_MEMORY_BUDGET)
		pthread_cond_wait(&budget_cv, &budget_lock);
	budget_held += n;
	pthread_mutex_unlock(&budget_lock);
}

static void budget_give(uint64_t n)
{
	pthread_mutex_lock(&budget_lock);
	budget_held -= n;
	pthread_cond_broadcast(&budget_cv);
	pthread_mutex_unlock(&budget_lock);
}

/*
 * The file is read into memory rather than mapped: a file truncated while
 * it is scanned would raise SIGBUS on a mapping and end the whole run, and
 * the hash needs every byte anyway. The first bytes are read on their own
 * so that a file that is not ELF costs one small read.
 */
static int scan_fd(int fd, size_t size, const char *name,
		   struct bd_elf_info *info, char sha256[65],
		   const struct bd_diag *diag, struct bd_error *err)
{
	unsigned char head[512], *data;
	size_t n;
	int rc;

	if (bd_read_upto(fd, head, size < sizeof(head) ? size : sizeof(head),
			 &n))
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot read",
				      name);
	if (!bd_scan_is_elf(head, n))
		return n ? not_elf(head, n, name, info, err)
			 : bd_error_set(err, BD_ENOTELF, "'%s': empty file",
					name);
	/* Writable: bd_scan_memory may blank a broken header table. */
	budget_take(size);
	data = malloc(size);
	if (!data) {
		budget_give(size);
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	if (bd_read_upto(fd, data, size, &n))
		rc = bd_error_errno(err, BD_EIO, errno, "'%s': cannot read",
				    name);
	else if (bd_sha256_hex(data, n, sha256))
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	else
		rc = bd_scan_memory(data, n, name, info, diag, err);
	free(data);
	budget_give(size);
	return rc;
}

int bd_scan_file(const struct bd_root *root, const char *path, const char *name,
		 struct bd_elf_info *info, char sha256[65], struct stat *st,
		 const struct bd_diag *diag, struct bd_error *err)
{
	struct bd_error e;
	int fd, rc;

	sha256[0] = '\0';
	rc = bd_root_open(root, path, 0, BD_SCAN_MAX_FILE, &fd, st, &e);
	if (rc == BD_ENOMEM)
		return bd_error_set(err, rc, "out of memory");
	if (rc) {
		/* The reason, under the name the user knows the file by. */
		const char *why = strstr(e.msg, "': ");

		return bd_error_set(err, rc, "'%s': %s", name,
				    why ? why + 3 : e.msg);
	}
	if (st->st_size == 0)
		rc = bd_error_set(err, BD_ENOTELF, "'%s': empty file", name);
	else
		rc = scan_fd(fd, (size_t)st->st_size, name, info, sha256, diag,
			     err);
	close(fd);
	return rc;
}
