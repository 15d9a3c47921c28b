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
#include "bindep/progress.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define MAX_BUILD_ID_BYTES 64

/* What a read found as the file streamed past, for the parse to take:
 * whether the symbol table of that section imports dlopen; whether the
 * parse reads bytes of the ELF header as something else too (its
 * sections are then never hidden: hide_sections). */
struct streamed {
	size_t sym_index; /* SIZE_MAX: none */
	bool imports_dlopen;
	bool header_shared;
};

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
	const struct bd_strrules *rules; /* string rules, or NULL */
	uint64_t size, fed; /* the file's bytes, and those fed to rules */
	const struct streamed *pre; /* or NULL */
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
	bd_string_hits_release(&info->strings);
	free(info->dlopen);
	free(info->needed);
	bd_arena_release(&info->arena);
	bd_elf_info_init(info);
}

bool bd_scan_is_elf(const void *data, size_t size)
{
	return size >= SELFMAG && memcmp(data, ELFMAG, SELFMAG) == 0;
}

/* Any name may end in ".so" (Python's and PAM's modules). A version after
 * it is a library's: its stem is "lib..." ("libpython3.11.so.1.0") or
 * holds no dot ("ld-linux-x86-64.so.2"), not a text's named after one
 * ("README.if-you-look-for-libcblas.so.3", in Debian's libblas-dev). */
bool bd_scan_so_name(const char *base)
{
	const char *so;

	for (so = strstr(base, ".so"); so; so = strstr(so + 1, ".so")) {
		const char *v = so + 3;

		if (!*v)
			return so > base;
		if (*v == '.' && isdigit((unsigned char)v[1]) &&
		    strspn(v + 1, "0123456789.") == strlen(v + 1) &&
		    (!strncmp(base, "lib", 3) ||
		     !memchr(base, '.', (size_t)(so - base))))
			return true;
	}
	return false;
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

/* The entries of a dynamic table whose value is a string (read_dynamic). */
static bool dyn_string_tag(uint64_t tag)
{
	return tag == DT_NEEDED || tag == DT_SONAME || tag == DT_RPATH ||
	       tag == DT_RUNPATH;
}

/* Whether the dynamic table names a string: only then is its string
 * table looked for. Guile's compiled .go files are ELF with a dynamic
 * section of Guile's own tags, DT_INIT and no string table (sh_link 0),
 * and nothing in them is missing. */
static bool dyn_names_strings(Elf_Data *data, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		GElf_Dyn dyn;

		if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn_string_tag((uint64_t)dyn.d_tag))
			return true;
	}
	return false;
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

/* Whether the notes of data follow each other to its end. */
static bool notes_walk(Elf_Data *data)
{
	size_t off = 0;

	while (off < data->d_size) {
		GElf_Nhdr nh;
		size_t name_off, desc_off;

		off = gelf_getnote(data, off, &nh, &name_off, &desc_off);
		if (off == 0)
			return false;
	}
	return true;
}

/*
 * The layout to read the notes at [off, off + size) in. A chunk that
 * declares 8-byte alignment is read in the gABI's 8-byte layout (libelf's
 * ELF_T_NHDR8: .note.gnu.property), but UAPI.8 and UAPI.12 lay their
 * notes out 4-byte aligned, and systemd-analyze (a PT_NOTE) and
 * dlopen-notes.py (a section) read them so whatever the chunk declares.
 * So an 8-aligned chunk whose notes do not follow each other to its end
 * in the 8-byte layout is read in the 4-byte one when they do there.
 * A 4-aligned chunk (nearly all of them) is not walked twice.
 */
static Elf_Data *notes_layout(struct scan *s, Elf_Data *data, uint64_t off,
			      uint64_t size)
{
	Elf_Data *four;

	if (data->d_type != ELF_T_NHDR8 || notes_walk(data))
		return data;
	four = elf_getdata_rawchunk(s->elf, (int64_t)off, (size_t)size,
				    ELF_T_NHDR);
	return four && notes_walk(four) ? four : data;
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
	size_t ent, count;

	if (s->info->has_dynamic)
		return 0;
	data = section_data(s, scn, index);
	if (!data)
		return 0;
	ent = gelf_fsize(s->elf, ELF_T_DYN, 1, EV_CURRENT);
	count = ent ? data->d_size / ent : 0;
	if (dyn_names_strings(data, count))
		check_strtab_link(s, &t);
	return read_dynamic(s, data, count, &t);
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
	/* Searched as it streamed past, not held (plan_syms). */
	if (s->pre && s->pre->sym_index == index) {
		s->info->imports_dlopen = s->pre->imports_dlopen;
		return;
	}
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

/* ---- the string rules --------------------------------------------------- */

#define CAPPED_FMT "more than %d string matches (or %d kept), searching no more"

/* The cap said for a file searched as it streamed, as problem() says it. */
static void strings_capped(const char *name, struct bd_elf_info *info,
			   const struct bd_diag *diag)
{
	bd_diag_report(diag, BD_DIAG_WARNING, "'%s': " CAPPED_FMT, name,
		       BD_STRHITS_MAX_READ, BD_STRHITS_MAX);
	if (!info->problem)
		info->problem =
			bd_arena_printf(&info->arena, CAPPED_FMT,
					BD_STRHITS_MAX_READ, BD_STRHITS_MAX);
}

/*
 * Feeds one region of read-only data through the string rules. Headers
 * may name the same bytes many times: past the file's size in all, the
 * rest is not fed (each byte costs the automaton once, as it should).
 */
static int feed_strings(struct scan *s, const void *data, size_t len)
{
	int rc;

	if (!s->rules || !len || s->info->strings.capped)
		return 0;
	if (len > s->size - s->fed)
		return 0;
	s->fed += len;
	rc = bd_strrules_feed(s->rules, data, len, &s->info->arena,
			      &s->info->strings);
	if (rc == BD_ELIMIT)
		problem(s, CAPPED_FMT, BD_STRHITS_MAX_READ, BD_STRHITS_MAX);
	return rc == BD_ENOMEM ? rc : 0;
}

/* Read-only data: allocated, neither writable nor executable. */
static bool read_only(uint64_t flags)
{
	return (flags & SHF_ALLOC) && !(flags & (SHF_WRITE | SHF_EXECINSTR));
}

/* A section's data, quietly: one that cannot be read is not searched (its
 * headers were said to be broken where that matters). */
static int section_strings(struct scan *s, Elf_Scn *scn, GElf_Shdr *sh,
			   size_t shstrndx)
{
	Elf_Data *data;

	if (!s->rules || sh->sh_type != SHT_PROGBITS ||
	    !read_only(sh->sh_flags))
		return 0;
	if (shstrndx != SIZE_MAX &&
	    !bd_strrules_section(elf_strptr(s->elf, shstrndx, sh->sh_name)))
		return 0;
	data = elf_getdata(scn, NULL);
	return data && data->d_buf ? feed_strings(s, data->d_buf, data->d_size)
				   : 0;
}

/* Without sections, the loader's read-only segments: PT_LOAD, flags R. */
static int segment_strings(struct scan *s, GElf_Phdr *ph)
{
	Elf_Data *data;

	if (!s->rules || (ph->p_flags & (PF_W | PF_X)) || !ph->p_filesz)
		return 0;
	data = elf_getdata_rawchunk(s->elf, (int64_t)ph->p_offset,
				    (size_t)ph->p_filesz, ELF_T_BYTE);
	return data ? feed_strings(s, data->d_buf, data->d_size) : 0;
}

static int read_sections(struct scan *s)
{
	Elf_Scn *scn = NULL;
	size_t shnum = 0, index = 0, shstrndx = SIZE_MAX;

	if (elf_getshdrnum(s->elf, &shnum) != 0 || shnum == 0)
		return 0;
	s->has_sections = true;
	if (elf_getshdrstrndx(s->elf, &shstrndx))
		shstrndx = SIZE_MAX;
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
				read_notes(s,
					   notes_layout(s, data, sh.sh_offset,
							sh.sh_size),
					   "its section");
		} else if (section_strings(s, scn, &sh, shstrndx)) {
			return BD_ENOMEM;
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
	if (!dyn_names_strings(dyn, count))
		return; /* nothing to look up */
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
	read_notes(s, notes_layout(s, data, ph->p_offset, ph->p_filesz),
		   "its segment");
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
		else if (ph.p_type == PT_LOAD && !s->has_sections)
			rc = segment_strings(s, &ph);
		if (rc)
			return rc;
	}
	return 0;
}

/* Whether any byte of seg's memory comes from the file: a PT_LOAD whose
 * file-backed part [p_vaddr, p_vaddr + p_filesz) overlaps seg's
 * [p_vaddr, p_vaddr + p_memsz). */
static bool file_backed(Elf *elf, size_t phnum, const GElf_Phdr *seg)
{
	uint64_t lo = seg->p_vaddr, hi = seg->p_vaddr + seg->p_memsz;
	size_t i;

	if (hi < lo)
		return true; /* wraps: not the debug files' tidy layout */
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		uint64_t end;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !ph.p_filesz)
			continue;
		end = ph.p_vaddr + ph.p_filesz;
		if (end < ph.p_vaddr || (ph.p_vaddr < hi && lo < end))
			return true;
	}
	return false;
}

/*
 * Whether the file is separate debug information: what `objcopy
 * --only-keep-debug` and `eu-strip -f` write, and Debian's -dbg and
 * -dbgsym packages install under /usr/lib/debug. They keep the program
 * headers and the notes, but every section the program loads becomes
 * SHT_NOBITS: no executable segment has a byte in the file, and the
 * memory of the dynamic segment is none of the file's either (zeros: its
 * first entry DT_NULL). Such a file runs nothing and needs nothing, so it
 * is no binary of the release, however it is named.
 *
 * Not a PT_DYNAMIC with no file bytes alone: ld.so reads a main program's
 * dynamic section from memory (glibc 2.36 rtld.c, l_ld = l_addr +
 * p_vaddr), where a PT_LOAD with file bytes may put a real one, and loads
 * what it needs.
 */
static bool debug_only(Elf *elf)
{
	GElf_Phdr ph, dyn = { 0 };
	size_t phnum = 0, i;
	bool code = false, have_dyn = false;

	if (elf_getphdrnum(elf, &phnum) != 0)
		return false;
	for (i = 0; i < phnum; i++) {
		if (!gelf_getphdr(elf, (int)i, &ph))
			return false;
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
			if (ph.p_filesz)
				return false;
			code = ph.p_memsz != 0;
		} else if (ph.p_type == PT_DYNAMIC) {
			if (ph.p_filesz)
				return false;
			dyn = ph;
			have_dyn = true;
		}
	}
	return code && (!have_dyn || !file_backed(elf, phnum, &dyn));
}

int bd_scan_memory(void *data, size_t size, const char *name,
		   struct bd_elf_info *info, const struct bd_diag *diag,
		   struct bd_error *err)
{
	return bd_scan_memory_strings(data, size, name, NULL, info, diag, err);
}

/*
 * Whether read_sections, without string rules, would read nothing of the
 * file's sections: none is a dynamic, symbol or note section (from 1, as
 * elf_nextscn). libelf need not see them then: it allocates some 200
 * bytes for each section of a file it opens, 5.9 MB at once for a Free
 * Pascal unit of 28,362 sections. The table is one check_header kept.
 */
static bool sections_unread(const unsigned char *d, size_t size)
{
	const struct ehdr_layout *l =
		d[EI_CLASS] == ELFCLASS32 ? &layout32 : &layout64;
	bool msb = d[EI_DATA] == ELFDATA2MSB;
	uint64_t shoff = bd_load_uint(d + l->shoff, l->addr, msb);
	uint64_t shent = bd_load_uint(d + l->shentsize, 2, msb);
	uint64_t shnum = bd_load_uint(d + l->shnum, 2, msb), i;

	if (!shoff || !shnum || shent != l->shdr_size ||
	    !table_fits(shoff, shent, shnum, size))
		return false;
	for (i = 1; i < shnum; i++) {
		uint64_t type = bd_load_uint(d + shoff + i * shent + 4, 4, msb);

		if (type == SHT_DYNAMIC || type == SHT_DYNSYM ||
		    type == SHT_NOTE)
			return false;
	}
	return true;
}

/* The section header table hidden from libelf, in the private image. */
static void hide_sections(unsigned char *d)
{
	const struct ehdr_layout *l =
		d[EI_CLASS] == ELFCLASS32 ? &layout32 : &layout64;

	write_zero(d + l->shoff, l->addr);
	write_zero(d + l->shnum, 2);
	write_zero(d + l->shstrndx, 2);
}

static int read_build_data(struct scan *s, const unsigned char *d, size_t size);

static int scan_memory(void *data, size_t size, const char *name,
		       const struct bd_strrules *rules,
		       const struct streamed *pre, struct bd_elf_info *info,
		       const struct bd_diag *diag, struct bd_error *err)
{
	struct scan s;
	bool hidden = false;
	int rc;

	memset(&s, 0, sizeof(s));
	s.pre = pre;
	s.name = name;
	s.info = info;
	s.diag = diag;
	s.rules = bd_strrules_count(rules) ? rules : NULL;
	s.size = size;
	if (s.rules)
		info->strings.searched = true;
	if (!bd_scan_is_elf(data, size))
		return bd_error_set(err, BD_ENOTELF, "'%s': not an ELF file",
				    name);
	rc = check_header(&s, data, size, err);
	if (rc)
		return rc;
	/* Before the section headers may be hidden below: the plan found the
	 * Go blob and the cargo-auditable section through them too. */
	if (read_build_data(&s, data, size))
		return bd_error_set(err, BD_ENOMEM, "'%s': out of memory",
				    name);
	/* Only a planned read's image, private and dropped after the parse,
	 * is changed so, and only where the parse reads the fields blanked
	 * as nothing else: a program header table or a segment may lie in
	 * the ELF header (fuzz_planned). */
	if (pre && !pre->header_shared && !s.rules &&
	    sections_unread(data, size)) {
		hide_sections(data);
		hidden = true;
	}
	elf_version(EV_CURRENT);
	s.elf = elf_memory(data, size);
	if (!s.elf || elf_kind(s.elf) != ELF_K_ELF) {
		rc = bd_error_set(err, BD_EFORMAT, "'%s': libelf: %s", name,
				  libelf_msg());
		goto out;
	}
	if (debug_only(s.elf)) {
		info->debug_only = true;
		rc = bd_error_set(err, BD_ENOTELF,
				  "'%s': separate debug information (no code)",
				  name);
		goto out;
	}
	rc = read_sections(&s);
	if (hidden)
		s.has_sections = true; /* as read_sections says of them */
	if (!rc)
		rc = read_segments(&s);
	if (rc == BD_ENOMEM)
		bd_error_set(err, rc, "'%s': out of memory", name);
out:
	elf_end(s.elf);
	return rc;
}

int bd_scan_memory_strings(void *data, size_t size, const char *name,
			   const struct bd_strrules *rules,
			   struct bd_elf_info *info, const struct bd_diag *diag,
			   struct bd_error *err)
{
	return scan_memory(data, size, name, rules, NULL, info, diag, err);
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

const char *bd_elf_machine_text(unsigned e_machine,
				char buf[BD_ELF_MACHINE_TEXT])
{
	const char *name = bd_elf_machine_name(e_machine);

	if (name)
		return name;
	snprintf(buf, BD_ELF_MACHINE_TEXT, "EM_%u", e_machine & 0xffffu);
	return buf;
}

const char *bd_elf_byte_order_name(unsigned ei_data)
{
	/* check_header refuses any EI_DATA but these two. */
	return ei_data == ELFDATA2MSB ? "big-endian" : "little-endian";
}

/*
 * The three values bindep:elf:machine, :class and :byte-order give, in
 * that order, joined by ':': one vocabulary for the key and the
 * properties, and none of them holds a ':'. All three, as none alone
 * tells the ABI: EM_X86_64 is x86-64 in ELF64 and x32 in ELF32, EM_MIPS,
 * EM_RISCV and EM_S390 are of either class, EM_PPC64, EM_MIPS and
 * EM_AARCH64 of either byte order.
 */
void bd_elf_kind_text(unsigned ei_class, unsigned ei_data, unsigned e_machine,
		      char buf[BD_ELF_KIND_TEXT])
{
	char machine[BD_ELF_MACHINE_TEXT], cls[24];
	const char *class_name = bd_elf_class_name(ei_class);

	if (!class_name) {
		snprintf(cls, sizeof(cls), "ELFCLASS%u", ei_class & 0xffu);
		class_name = cls;
	}
	snprintf(buf, BD_ELF_KIND_TEXT, "%s:%s:%s",
		 bd_elf_machine_text(e_machine, machine), class_name,
		 bd_elf_byte_order_name(ei_data));
}

uint32_t bd_elf_kind(unsigned ei_class, unsigned ei_data, unsigned e_machine)
{
	return (e_machine & 0xffffu) << 16 | (ei_class & 0xffu) << 8 |
	       (ei_data & 0xffu);
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

/* Mach-O's fat header (<mach-o/fat.h>) shares its magic with a Java
 * class file; its count of architectures, which is small, tells them
 * apart from the class file's version (45 and up), as file(1) does. */
#define FAT_MAX_ARCHS 20

/*
 * The format of a binary of another system, by its magic: Mach-O (the
 * four of <mach-o/loader.h>, of either byte order, and the fat header),
 * or PE (an MS-DOS header whose e_lfanew, at 0x3c, leads to "PE\0\0" in
 * the bytes read). NULL for anything else.
 */
static const char *foreign_binary(const unsigned char *d, size_t size)
{
	uint32_t magic, lfanew;

	if (size >= 0x40 && d[0] == 'M' && d[1] == 'Z') {
		lfanew = (uint32_t)bd_load_uint(d + 0x3c, 4, false);
		return lfanew <= size - 4 && !memcmp(d + lfanew, "PE\0\0", 4)
			       ? "PE"
			       : NULL;
	}
	if (size < 8)
		return NULL;
	magic = (uint32_t)bd_load_uint(d, 4, true);
	if (magic == 0xfeedface || magic == 0xfeedfacf || magic == 0xcefaedfe ||
	    magic == 0xcffaedfe)
		return "Mach-O";
	if (magic == 0xcafebabe || magic == 0xcafebabf) {
		uint32_t n = (uint32_t)bd_load_uint(d + 4, 4, true);

		return n && n < FAT_MAX_ARCHS ? "Mach-O" : NULL;
	}
	return NULL;
}

static int not_elf(const void *map, size_t size, const char *name,
		   struct bd_elf_info *info, struct bd_error *err)
{
	info->linker_script = is_linker_script(map, size);
	info->foreign = info->linker_script ? NULL : foreign_binary(map, size);
	if (info->foreign)
		return bd_error_set(err, BD_ENOTELF,
				    "'%s': a %s file, another system's binary",
				    name, info->foreign);
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

int bd_scanner_init(struct bd_scanner *s)
{
	s->whole = false;
	s->strings = NULL;
	s->image = NULL;
	s->image_cap = s->image_dirty = 0;
	s->image_pages = NULL;
	s->scratch[0] = s->scratch[1] = NULL;
	s->scratch_cap[0] = s->scratch_cap[1] = 0;
	bd_dir_cache_init(&s->dirs);
	s->cap = BD_SCAN_HEAD;
	s->buf = malloc(s->cap);
	if (!s->buf || bd_sha256_init(&s->sha)) {
		free(s->buf);
		s->buf = NULL;
		s->cap = 0;
		return BD_ENOMEM;
	}
	return 0;
}

static void image_drop(struct bd_scanner *s);
static void scratch_drop(struct bd_scanner *s, size_t limit);

void bd_scanner_release(struct bd_scanner *s)
{
	image_drop(s);
	scratch_drop(s, 0);
	bd_dir_cache_release(&s->dirs);
	free(s->buf);
	s->buf = NULL;
	s->cap = 0;
	bd_sha256_release(&s->sha);
}

/* Makes room for size bytes. By realloc: a large buffer is moved by
 * remapping its pages, so those touched already do not fault again. */
static int scanner_grow(struct bd_scanner *s, size_t size)
{
	unsigned char *p;

	if (size <= s->cap)
		return 0;
	p = realloc(s->buf, size);
	if (!p)
		return BD_ENOMEM;
	s->buf = p;
	s->cap = size;
	return 0;
}

/* The buffer back to BD_SCAN_HEAD bytes when it has grown past limit. */
static void shrink_buffer(struct bd_scanner *s, size_t limit)
{
	unsigned char *p;

	if (s->cap <= limit)
		return;
	p = malloc(BD_SCAN_HEAD);
	if (!p)
		return; /* keep the large one */
	free(s->buf);
	s->buf = p;
	s->cap = BD_SCAN_HEAD;
}

/* A buffer grown for a very large file is not kept for the next one. */
static void scanner_trim(struct bd_scanner *s)
{
	shrink_buffer(s, BD_SCAN_WHOLE);
}

void bd_scanner_idle(struct bd_scanner *s)
{
	image_drop(s);
	scratch_drop(s, 0);
	bd_dir_cache_release(&s->dirs);
	shrink_buffer(s, BD_SCAN_HEAD);
}

/* The name of an open error: the reason, under the name the user knows
 * the file by. */
static int open_failed(int rc, const struct bd_error *e, const char *name,
		       struct bd_error *err)
{
	if (rc == BD_ENOMEM)
		return bd_error_set(err, rc, "out of memory");
	return bd_error_set(err, rc, "'%s': %s", name, bd_error_reason(e->msg));
}

/* As bd_root_open words its limit ("larger than 4 GiB"). */
static int too_large(const char *name, struct bd_error *err)
{
	_Static_assert(BD_SCAN_MAX_FILE % (1ull << 30) == 0,
		       "the message counts GiB");
	return bd_error_set(err, BD_ELIMIT, "'%s': larger than %llu GiB", name,
			    (unsigned long long)(BD_SCAN_MAX_FILE >> 30));
}

int bd_scan_open(struct bd_scanner *s, const struct bd_root *root,
		 const char *path, unsigned open_flags, const char *name,
		 struct bd_scan_head *h, struct bd_error *err)
{
	struct bd_error e;
	size_t want;
	int rc;

	h->n = 0;
	memset(&h->st, 0, sizeof(h->st));
	rc = bd_root_open_in(root, &s->dirs, path, open_flags, 0, &h->fd,
			     &h->st, &e);
	if (rc)
		return open_failed(rc, &e, name, err);
	want = h->st.st_size < BD_SCAN_HEAD ? (size_t)h->st.st_size
					    : BD_SCAN_HEAD;
	if (!bd_read_upto(h->fd, s->buf, want, &h->n))
		return 0;
	rc = errno;
	bd_scan_close(h);
	/* Refused by its size before anything was read, as it always was. */
	if ((uint64_t)h->st.st_size > BD_SCAN_MAX_FILE)
		return too_large(name, err);
	return bd_error_errno(err, BD_EIO, rc, "'%s': cannot read", name);
}

void bd_scan_close(struct bd_scan_head *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

/* ---- reading only what the parse reads ------------------------------- */

/*
 * A large file is hashed whole but kept in memory only where the parse
 * reads it: the headers, the dynamic, symbol, string and note sections,
 * and the interpreter, dynamic and note segments with the string table
 * the dynamic segment names (what check_header, libelf and the readers
 * above touch, and nothing else). The rest of its image stays zero
 * pages that are never touched, and the file streams through the
 * thread's buffer, hashed while it is in the CPU's cache. A file whose
 * headers are too odd to plan this way is read whole.
 */
#define PLAN_MAX_RANGES 1024
#define PLAN_MAX_TABLE	(4u * 1024u * 1024u) /* a header table or segment */
/* Read-only sections streamed through the string rules: a real file has
 * a handful. */
#define PLAN_MAX_RO 64
/* Strings the dynamic tables name (DT_NEEDED and the like): a real file
 * has a few dozen. Past this, their string table is held whole. */
#define PLAN_MAX_WINDOWS 256
/* SHT_DYNAMIC sections whose strings are planned one by one: a real file
 * has one. With more, their string tables are held whole. */
#define PLAN_MAX_DYNAMIC 4
/* Header tables and dynamic tables read into the image where they are,
 * when it is the scanner's (a real file has three or four); the rest are
 * read into the scratch. */
#define PLAN_MAX_TABLES 8

struct range {
	uint64_t off, end;
};

/* The section .dep-v0 as the plan and the parse find it (dep_section). */
struct dep_section {
	bool found;	 /* named so, and not SHT_NOBITS */
	bool compressed; /* SHF_COMPRESSED */
	uint64_t off, size;
};

struct plan {
	struct range r[PLAN_MAX_RANGES];
	size_t n;
	uint64_t size, bytes;
	bool whole;   /* read it whole */
	bool strings; /* search the read-only data (bd_scanner.strings) */
	/* The read-only data, in file order, none overlapping another: fed
	 * to the string rules as it streams past, never held. */
	struct range ro[PLAN_MAX_RO];
	size_t nro;
	/*
	 * Of the dynamic string tables, only the strings the dynamic entries
	 * name are held (node's .dynstr is 5 MB, the strings its DT_NEEDED,
	 * DT_RUNPATH and the like name are 200 bytes): each window is copied
	 * from its start through its NUL, and not past its end, the end of
	 * the table it lies in. .end is moved to the NUL once copied.
	 */
	struct range w[PLAN_MAX_WINDOWS];
	uint64_t wrote[PLAN_MAX_WINDOWS]; /* the end of what w[i] copied */
	size_t nw;
	struct bd_scanner *sc; /* its scratch, for plan_read */
	/* The scanner's image (NULL: none), and the tables plan_read read
	 * into it where they are in the file (each is planned: the read of
	 * the file copies the same bytes there again), so that a table is
	 * not read into memory of its own too: they are put back to zero
	 * with what the read copied (got: its bytes read). */
	unsigned char *image;
	struct range tables[PLAN_MAX_TABLES];
	size_t ntables, got;
	/* The file as the search for its Go build information sees it: the
	 * parse sees it so too, from the tables and names held (read_go). */
	struct bd_go_elf go;
	/* Its cargo-auditable section, found the same way (read_cargo). */
	struct dep_section dep;
	/* The dynamic symbol table the parse reads for its imports of dlopen
	 * (section_dynsym), and the string table it names: searched as they
	 * stream past (struct sym_feed), never held. */
	bool syms;
	size_t sym_index;   /* its section */
	bool header_shared; /* struct streamed */
	struct range sym, symstr;
	size_t sym_ent;
	bool msb;
	/* What streamed past of them: an entry cut by the end of a chunk;
	 * how much of "dlopen\0" and "dlmopen\0" the string table's last
	 * bytes were; the names of the undefined symbols (but the first, as
	 * section_dynsym); where in the string table the two names begin. */
	unsigned char carry[24];
	size_t ncarry, j1, j2;
	uint32_t *undef, *found;
	size_t nundef, aundef, nfound, afound;
};

static void plan_add(struct plan *p, uint64_t off, uint64_t len)
{
	uint64_t end;

	if (off >= p->size || !len)
		return;
	end = len > p->size - off ? p->size : off + len;
	if (p->n == PLAN_MAX_RANGES) {
		p->whole = true;
		return;
	}
	p->r[p->n].off = off;
	p->r[p->n++].end = end;
	p->bytes += end - off;
}

/* A string at off in a table that ends at end (see struct plan); false
 * when there is no room for it. */
static bool plan_window(struct plan *p, uint64_t off, uint64_t end)
{
	if (end > p->size)
		end = p->size;
	if (off >= end)
		return true; /* beyond the file: the parse reads none of it */
	if (p->nw == PLAN_MAX_WINDOWS)
		return false;
	p->w[p->nw].off = off;
	p->wrote[p->nw] = off;
	p->w[p->nw++].end = end;
	return true;
}

/*
 * The strings the dynamic entries dyn[0, len) name in the string table at
 * [off, off + size): windows, or the table whole when they do not fit.
 * Either way the budget counts the table (what it may hold at most).
 */
/* A window for each string the dynamic entries dyn[0, len) name in the
 * string table at [off, off + size); false when one does not fit. */
static bool plan_windows(struct plan *p, const unsigned char *dyn, uint64_t len,
			 bool is64, bool msb, uint64_t off, uint64_t size)
{
	size_t ent = is64 ? 16 : 8, i;

	for (i = 0; dyn && i < len / ent; i++) {
		uint64_t tag = bd_load_uint(dyn + i * ent, ent / 2, msb);
		uint64_t val =
			bd_load_uint(dyn + i * ent + ent / 2, ent / 2, msb);

		if (tag == DT_NULL)
			break;
		if (dyn_string_tag(tag) && val < size &&
		    !plan_window(p, off + val, off + size))
			return false;
	}
	return true;
}

static void plan_strings(struct plan *p, const unsigned char *dyn, uint64_t len,
			 bool is64, bool msb, uint64_t off, uint64_t size)
{
	if (off >= p->size || !size)
		return;
	if (size > p->size - off)
		size = p->size - off;
	if (!plan_windows(p, dyn, len, is64, msb, off, size)) {
		plan_add(p, off, size);
		return;
	}
	p->bytes += size;
}

/* Merges region i with the next, gap and all. */
static void ro_merge(struct plan *p, size_t i)
{
	if (p->ro[i + 1].end > p->ro[i].end)
		p->ro[i].end = p->ro[i + 1].end;
	memmove(&p->ro[i + 1], &p->ro[i + 2],
		(p->nro - i - 2) * sizeof(p->ro[0]));
	p->nro--;
}

/*
 * A read-only region for the string rules, in file order. Regions that
 * overlap (hostile headers) or touch (sections one after the other) are
 * one: each byte is fed once. Past PLAN_MAX_RO (a relocatable object has
 * hundreds of .rodata.* sections), the two closest are merged, the gap
 * between them fed too.
 */
static void plan_ro_add(struct plan *p, uint64_t off, uint64_t len)
{
	uint64_t end, gap, best = UINT64_MAX;
	size_t i, at, close = 0;

	if (off >= p->size || !len)
		return;
	end = len > p->size - off ? p->size : off + len;
	if (p->nro == PLAN_MAX_RO) {
		for (i = 0; i + 1 < p->nro; i++) {
			gap = p->ro[i + 1].off - p->ro[i].end;
			if (gap < best) {
				best = gap;
				close = i;
			}
		}
		ro_merge(p, close);
	}
	for (at = 0; at < p->nro && p->ro[at].off < off; at++)
		;
	memmove(&p->ro[at + 1], &p->ro[at], (p->nro - at) * sizeof(p->ro[0]));
	p->ro[at].off = off;
	p->ro[at].end = end;
	p->nro++;
	/* With the one before it, and those after that it reaches. */
	if (at > 0 && p->ro[at - 1].end >= off)
		ro_merge(p, --at);
	while (at + 1 < p->nro && p->ro[at].end >= p->ro[at + 1].off)
		ro_merge(p, at);
}

/* Scratch slot `slot` of the scanner with room for len bytes, or NULL. */
static unsigned char *scratch_room(struct bd_scanner *s, int slot, size_t len)
{
	unsigned char *b;

	if (len <= s->scratch_cap[slot])
		return s->scratch[slot];
	b = realloc(s->scratch[slot], len);
	if (!b)
		return NULL;
	s->scratch[slot] = b;
	s->scratch_cap[slot] = len;
	return b;
}

/* The scratch back to nothing when a slot has grown past limit. */
static void scratch_drop(struct bd_scanner *s, size_t limit)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (s->scratch_cap[i] <= limit)
			continue;
		free(s->scratch[i]);
		s->scratch[i] = NULL;
		s->scratch_cap[i] = 0;
	}
}

/*
 * Bytes [off, off + len) of the file, from the head when they are in it,
 * else read into the scanner's memory (kept from file to file: a fresh
 * buffer each time cost new pages each time: 440 for the 28,000 section
 * headers of one file). Bytes the plan holds (`planned`: a header table, a
 * dynamic table) are read into the image where they are, else into scratch
 * slot `slot`: a header table into slot 0, what it names into slot 1.
 * Valid until that slot is read into again. NULL (the file read whole)
 * when they cannot be read.
 */
static const unsigned char *plan_read(struct plan *p, int fd,
				      const unsigned char *head, size_t nhead,
				      uint64_t off, uint64_t len, int slot,
				      bool planned)
{
	unsigned char *b = NULL;

	if (off <= nhead && len <= nhead - off)
		return head + off;
	if (len <= PLAN_MAX_TABLE && off <= p->size && len <= p->size - off) {
		if (planned && p->image && p->ntables < PLAN_MAX_TABLES) {
			b = p->image + off;
			p->tables[p->ntables].off = off;
			p->tables[p->ntables++].end = off + len;
		} else {
			b = scratch_room(p->sc, slot, len ? (size_t)len : 1);
		}
	}
	if (!b) {
		p->whole = true;
		return NULL;
	}
	if (pread(fd, b, (size_t)len, (off_t)off) != (ssize_t)len) {
		p->whole = true;
		return NULL;
	}
	return b;
}

/* Program header fields, per class: offset, vaddr, filesz. */
static void phdr_fields(const unsigned char *ph, bool is64, bool msb,
			uint64_t *off, uint64_t *vaddr, uint64_t *filesz)
{
	*off = bd_load_uint(ph + (is64 ? 8 : 4), is64 ? 8 : 4, msb);
	*vaddr = bd_load_uint(ph + (is64 ? 16 : 8), is64 ? 8 : 4, msb);
	*filesz = bd_load_uint(ph + (is64 ? 32 : 16), is64 ? 8 : 4, msb);
}

/*
 * The blob is found through the raw header tables, the same way in the
 * plan of a large file and in the parse (read_go), so that the plan holds
 * exactly what the parse reads (fuzz_planned): the first PT_LOAD segments
 * and the section named .go.buildinfo.
 */
static void go_loads(struct bd_go_elf *v, const unsigned char *phdrs,
		     size_t phnum, bool is64, bool msb)
{
	size_t entsize = is64 ? 56 : 32, i;

	for (i = 0; i < phnum && v->nloads < BD_GO_MAX_LOADS; i++) {
		const unsigned char *ph = phdrs + i * entsize;
		struct bd_go_load *l;

		if (bd_load_uint(ph, 4, msb) != PT_LOAD)
			continue;
		l = &v->loads[v->nloads++];
		phdr_fields(ph, is64, msb, &l->off, &l->vaddr, &l->filesz);
		l->flags = (uint32_t)bd_load_uint(ph + (is64 ? 4 : 24), 4, msb);
	}
}

/* The string table a dynamic segment names (segment_strtab), mapped to
 * the file through the PT_LOAD segments as vaddr_to_offset does. */
static void plan_dynstr(struct plan *p, int fd, const unsigned char *head,
			size_t nhead, const unsigned char *phdrs, size_t phnum,
			bool is64, bool msb, uint64_t off, uint64_t filesz)
{
	size_t ent = is64 ? 16 : 8, i;
	uint64_t addr = 0, strsz = 0, poff, vaddr, size;
	const unsigned char *dyn;
	bool have = false;

	if (off >= p->size || filesz > p->size - off)
		return; /* beyond the end: libelf reads none of it */
	dyn = plan_read(p, fd, head, nhead, off, filesz, 1, true);
	for (i = 0; dyn && i < filesz / ent; i++) {
		uint64_t tag = bd_load_uint(dyn + i * ent, ent / 2, msb);
		uint64_t val =
			bd_load_uint(dyn + i * ent + ent / 2, ent / 2, msb);

		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB) {
			addr = val;
			have = true;
		} else if (tag == DT_STRSZ) {
			strsz = val;
		}
	}
	for (i = 0; have && strsz && i < phnum; i++) {
		const unsigned char *ph = phdrs + i * (is64 ? 56 : 32);

		if (bd_load_uint(ph, 4, msb) != PT_LOAD)
			continue;
		phdr_fields(ph, is64, msb, &poff, &vaddr, &size);
		if (addr >= vaddr && addr - vaddr < size) {
			size -= addr - vaddr;
			plan_strings(p, dyn, filesz, is64, msb,
				     poff + (addr - vaddr),
				     strsz < size ? strsz : size);
			break;
		}
	}
}

/* Without sections, the string rules read the read-only PT_LOAD segments
 * (segment_strings). p_flags follows p_type in an Elf64_Phdr, p_memsz in
 * an Elf32_Phdr (System V ABI, "Program Header"). */
static bool plan_ro_load(const struct plan *p, const unsigned char *ph,
			 uint64_t type, bool is64, bool msb, bool sections)
{
	return p->strings && !sections && type == PT_LOAD &&
	       !(bd_load_uint(ph + (is64 ? 4 : 24), 4, msb) & (PF_W | PF_X));
}

static void plan_segments(struct plan *p, int fd, const unsigned char *head,
			  size_t nhead, bool is64, bool msb, uint64_t phoff,
			  size_t phnum, bool sections)
{
	size_t entsize = is64 ? 56 : 32, i;
	const unsigned char *phdrs;
	uint64_t off, vaddr, filesz;

	plan_add(p, phoff, (uint64_t)phnum * entsize);
	phdrs = plan_read(p, fd, head, nhead, phoff, (uint64_t)phnum * entsize,
			  0, true);
	if (phdrs)
		go_loads(&p->go, phdrs, phnum, is64, msb);
	for (i = 0; phdrs && i < phnum; i++) {
		const unsigned char *ph = phdrs + i * entsize;
		uint64_t type = bd_load_uint(ph, 4, msb);

		phdr_fields(ph, is64, msb, &off, &vaddr, &filesz);
		if (plan_ro_load(p, ph, type, is64, msb, sections))
			plan_ro_add(p, off, filesz);
		if (type != PT_INTERP && type != PT_DYNAMIC && type != PT_NOTE)
			continue;
		plan_add(p, off, filesz);
		if (type == PT_DYNAMIC)
			plan_dynstr(p, fd, head, nhead, phdrs, phnum, is64, msb,
				    off, filesz);
	}
}

/* Section header fields, per class. */
static uint64_t sh_offset(const unsigned char *sh, bool is64, bool msb)
{
	return bd_load_uint(sh + (is64 ? 24 : 16), is64 ? 8 : 4, msb);
}

static uint64_t sh_size(const unsigned char *sh, bool is64, bool msb)
{
	return bd_load_uint(sh + (is64 ? 32 : 20), is64 ? 8 : 4, msb);
}

static uint64_t sh_flags(const unsigned char *sh, bool is64, bool msb)
{
	return bd_load_uint(sh + 8, is64 ? 8 : 4, msb);
}

static uint64_t sh_link(const unsigned char *sh, bool is64, bool msb)
{
	return bd_load_uint(sh + (is64 ? 40 : 24), 4, msb);
}

/* The section names' table, as the plan and the parse read it: the
 * shstrndx section's bytes, when the file holds them and they are at most
 * PLAN_MAX_TABLE. */
static bool names_range(const unsigned char *shdrs, size_t shnum, bool is64,
			bool msb, size_t shstrndx, uint64_t fsize,
			uint64_t *off, uint64_t *size)
{
	const unsigned char *sh;

	if (shstrndx >= shnum)
		return false;
	sh = shdrs + shstrndx * (is64 ? 64 : 40);
	*off = sh_offset(sh, is64, msb);
	*size = sh_size(sh, is64, msb);
	return *size && *size <= PLAN_MAX_TABLE && *off <= fsize &&
	       *size <= fsize - *off;
}

/* Whether the name at `at` of the names table names[0..nlen) is lit, len
 * bytes with its NUL. Given a literal, the compiler compares a word or two
 * inline: a call to memcmp for each section of each file, twice, was most
 * of the search below (1.1 million calls for a Debian root, issue 13). */
static inline bool name_is(const char *names, size_t nlen, uint64_t at,
			   const char *lit, size_t len)
{
	return at < nlen && nlen - at >= len && !memcmp(names + at, lit, len);
}

#define GO_SECTION ".go.buildinfo"

/* The headers of the first section named .go.buildinfo and of the first
 * named .dep-v0 (NULL: none), in one pass over the table, by the names
 * table names[0..nlen) (NULL: unknown, none found). */
static void build_sections(const unsigned char *shdrs, size_t shnum, bool is64,
			   bool msb, const char *names, size_t nlen,
			   const unsigned char **go, const unsigned char **dep)
{
	size_t entsize = is64 ? 64 : 40, i;

	*go = *dep = NULL;
	for (i = 0; names && i < shnum && !(*go && *dep); i++) {
		const unsigned char *sh = shdrs + i * entsize;
		uint64_t at = bd_load_uint(sh, 4, msb);

		if (!*go &&
		    name_is(names, nlen, at, GO_SECTION, sizeof(GO_SECTION)))
			*go = sh;
		else if (!*dep && name_is(names, nlen, at, BD_CARGO_SECTION,
					  sizeof(BD_CARGO_SECTION)))
			*dep = sh;
	}
}

/* The first section named .go.buildinfo, sh (debug/buildinfo
 * elfExe.DataStart; NULL: none). One of no bytes in the file (SHT_NOBITS:
 * separate debug information, objcopy --only-keep-debug) holds none. */
static void go_section(struct bd_go_elf *v, const unsigned char *sh, bool is64,
		       bool msb)
{
	v->sections = true;
	if (!sh)
		return;
	v->named = bd_load_uint(sh + 4, 4, msb) != SHT_NOBITS;
	v->addr = bd_load_uint(sh + (is64 ? 16 : 12), is64 ? 8 : 4, msb);
	v->size = sh_size(sh, is64, msb);
}

/* The first section named .dep-v0, sh (NULL: none), cargo-auditable's
 * (auditable-extract finds it by name, in a file with section headers
 * only: it is in no segment), the same way. */
static void dep_section(struct dep_section *v, const unsigned char *sh,
			bool is64, bool msb)
{
	memset(v, 0, sizeof(*v));
	if (!sh)
		return;
	v->found = bd_load_uint(sh + 4, 4, msb) != SHT_NOBITS;
	v->compressed = sh_flags(sh, is64, msb) & SHF_COMPRESSED;
	v->off = sh_offset(sh, is64, msb);
	v->size = sh_size(sh, is64, msb);
}

/* Both, by the section header table shdrs[0..shnum) and its names. */
static void build_data_sections(struct bd_go_elf *v, struct dep_section *dep,
				const unsigned char *shdrs, size_t shnum,
				bool is64, bool msb, const char *names,
				size_t nlen)
{
	const unsigned char *go, *cargo;

	build_sections(shdrs, shnum, is64, msb, names, nlen, &go, &cargo);
	go_section(v, go, is64, msb);
	dep_section(dep, cargo, is64, msb);
}

/*
 * A section libelf gives the data of as it is in the image (so that
 * elf_getdata and elf_strptr read what the plan saw): inside the file,
 * uncompressed, whole entries of ent bytes, aligned for them.
 */
static bool section_plain(const struct plan *p, const unsigned char *sh,
			  bool is64, bool msb, uint64_t ent, uint64_t align)
{
	uint64_t off = sh_offset(sh, is64, msb), size = sh_size(sh, is64, msb);
	uint64_t entsize =
		bd_load_uint(sh + (is64 ? 56 : 36), is64 ? 8 : 4, msb);

	return size && off <= p->size && size <= p->size - off &&
	       !(sh_flags(sh, is64, msb) & SHF_COMPRESSED) && size % ent == 0 &&
	       off % align == 0 && (ent == 1 || entsize == ent);
}

/*
 * The symbol table section_dynsym reads, the first SHT_DYNSYM section
 * (libelf's elf_nextscn starts at 1), is searched as it streams past when
 * it and its string table are plain; its index, or SIZE_MAX when it is
 * held as it always was.
 */
static size_t plan_syms(struct plan *p, const unsigned char *shdrs,
			size_t shnum, bool is64, bool msb)
{
	size_t entsize = is64 ? 64 : 40, ent = is64 ? 24 : 16, i;
	const unsigned char *sh = NULL, *str;
	uint64_t link;

	for (i = 1; i < shnum && !sh; i++) {
		if (bd_load_uint(shdrs + i * entsize + 4, 4, msb) == SHT_DYNSYM)
			sh = shdrs + i * entsize;
	}
	if (!sh || !section_plain(p, sh, is64, msb, ent, is64 ? 8 : 4))
		return SIZE_MAX;
	link = sh_link(sh, is64, msb);
	if (link >= shnum)
		return SIZE_MAX;
	str = shdrs + link * entsize;
	if (bd_load_uint(str + 4, 4, msb) != SHT_STRTAB ||
	    !section_plain(p, str, is64, msb, 1, 1))
		return SIZE_MAX;
	p->syms = true;
	p->sym_index = i - 1;
	p->sym_ent = ent;
	p->msb = msb;
	p->sym.off = sh_offset(sh, is64, msb);
	p->sym.end = p->sym.off + sh_size(sh, is64, msb);
	p->symstr.off = sh_offset(str, is64, msb);
	p->symstr.end = p->symstr.off + sh_size(str, is64, msb);
	return p->sym_index;
}

/* What names a string table (linked[k]). */
#define LINK_DYNAMIC 1u /* a dynamic section: its strings are windows */
#define LINK_SYMS    2u /* the streamed symbol table */
#define LINK_HELD    4u /* something else: it is held whole */

/* Marks the string tables that dynamic and symbol sections name: only
 * those are read (an unstripped program's .strtab, 7.5 MB of
 * /usr/bin/node, is not). Returns the dynamic sections. */
static size_t mark_linked(const unsigned char *shdrs, bool is64, size_t shnum,
			  bool msb, size_t sym, unsigned char *linked)
{
	size_t k, ndyn = 0, entsize = is64 ? 64 : 40;

	for (k = 0; k < shnum; k++) {
		const unsigned char *sh = shdrs + k * entsize;
		uint64_t type = bd_load_uint(sh + 4, 4, msb);
		uint64_t link = sh_link(sh, is64, msb);

		if (type == SHT_DYNAMIC)
			ndyn++;
		if (link >= shnum)
			continue;
		if (type == SHT_DYNAMIC)
			linked[link] |= LINK_DYNAMIC;
		else if (type == SHT_DYNSYM)
			linked[link] |= k == sym ? LINK_SYMS : LINK_HELD;
	}
	return ndyn;
}

/* The windows of the strings a dynamic section names in its string table
 * (section_dynamic); that table is held whole when they do not fit. */
static void plan_dynamic_strings(struct plan *p, int fd,
				 const unsigned char *head, size_t nhead,
				 const unsigned char *shdrs, size_t shnum,
				 const unsigned char *sh, bool is64, bool msb,
				 unsigned char *linked)
{
	uint64_t link = sh_link(sh, is64, msb), off, size;
	const unsigned char *dyn, *str;
	bool whole = p->whole;

	if (link >= shnum || (linked[link] & LINK_HELD))
		return;
	str = shdrs + link * (is64 ? 64 : 40);
	off = sh_offset(str, is64, msb);
	size = sh_size(str, is64, msb);
	if (off >= p->size)
		return;
	if (size > p->size - off)
		size = p->size - off;
	dyn = plan_read(p, fd, head, nhead, sh_offset(sh, is64, msb),
			sh_size(sh, is64, msb), 1, true);
	p->whole = whole; /* an unread table is no reason to read it all */
	if (!dyn ||
	    !plan_windows(p, dyn, sh_size(sh, is64, msb), is64, msb, off, size))
		linked[link] |= LINK_HELD;
}

/*
 * Which string tables are held whole, and the windows of those that are
 * not: the tables the dynamic sections name, unless more than
 * PLAN_MAX_DYNAMIC of them would each need a read first.
 */
static void plan_linked(struct plan *p, int fd, const unsigned char *head,
			size_t nhead, const unsigned char *shdrs, size_t shnum,
			bool is64, bool msb, unsigned char *linked)
{
	size_t entsize = is64 ? 64 : 40, i, ndyn;

	ndyn = mark_linked(shdrs, is64, shnum, msb,
			   plan_syms(p, shdrs, shnum, is64, msb), linked);
	for (i = 0; i < shnum; i++) {
		const unsigned char *sh = shdrs + i * entsize;
		uint64_t link = sh_link(sh, is64, msb);

		if (bd_load_uint(sh + 4, 4, msb) != SHT_DYNAMIC ||
		    link >= shnum)
			continue;
		if (ndyn > PLAN_MAX_DYNAMIC)
			linked[link] |= LINK_HELD;
		else
			plan_dynamic_strings(p, fd, head, nhead, shdrs, shnum,
					     sh, is64, msb, linked);
	}
}

/* A section not held but read as it streams past: the budget counts it
 * all the same (what its windows may hold at most). */
static void plan_streamed(struct plan *p, const unsigned char *sh, bool is64,
			  bool msb)
{
	uint64_t off = sh_offset(sh, is64, msb), size = sh_size(sh, is64, msb);

	if (off < p->size)
		p->bytes += size < p->size - off ? size : p->size - off;
}

/* The section names, which say which read-only sections the string rules
 * read and which section is Go's: held, the parse reads them too (read_go).
 * NULL when unknown (every read-only section is read then). */
static const char *plan_names(struct plan *p, int fd, const unsigned char *head,
			      size_t nhead, const unsigned char *shdrs,
			      size_t shnum, bool is64, bool msb,
			      size_t shstrndx, size_t *len)
{
	uint64_t off, size;
	bool whole = p->whole;
	const unsigned char *names;

	if (!names_range(shdrs, shnum, is64, msb, shstrndx, p->size, &off,
			 &size))
		return NULL;
	names = plan_read(p, fd, head, nhead, off, size, 1, false);
	p->whole = whole; /* unknown names are no reason to read it all */
	if (names)
		plan_add(p, off, size);
	*len = (size_t)size;
	return (const char *)names;
}

/* A read-only section the string rules read (section_strings). */
static bool plan_rodata(const struct plan *p, const unsigned char *sh, bool msb,
			bool is64, const char *names, size_t nlen)
{
	uint64_t type = bd_load_uint(sh + 4, 4, msb);
	uint64_t flags = bd_load_uint(sh + 8, is64 ? 8 : 4, msb);
	uint64_t name = bd_load_uint(sh, 4, msb);

	if (!p->strings || type != SHT_PROGBITS || !read_only(flags))
		return false;
	return !names || name >= nlen ||
	       !memchr(names + name, 0, nlen - name) ||
	       bd_strrules_section(names + name);
}

static void plan_sections(struct plan *p, int fd, const unsigned char *head,
			  size_t nhead, bool is64, bool msb, uint64_t shoff,
			  size_t shnum, size_t shstrndx)
{
	size_t entsize = is64 ? 64 : 40, i, nlen = 0;
	const unsigned char *shdrs;
	const char *names = NULL;
	unsigned char *linked = calloc(shnum ? shnum : 1, 1);

	plan_add(p, shoff, (uint64_t)shnum * entsize);
	shdrs = plan_read(p, fd, head, nhead, shoff, (uint64_t)shnum * entsize,
			  0, true);
	if (!linked) {
		p->whole = true; /* no memory to choose: read it all */
		shdrs = NULL;
	}
	if (shdrs)
		plan_linked(p, fd, head, nhead, shdrs, shnum, is64, msb,
			    linked);
	if (shdrs)
		names = plan_names(p, fd, head, nhead, shdrs, shnum, is64, msb,
				   shstrndx, &nlen);
	p->go.sections = true;
	if (shdrs)
		build_data_sections(&p->go, &p->dep, shdrs, shnum, is64, msb,
				    names, nlen);
	for (i = 0; shdrs && i < shnum; i++) {
		const unsigned char *sh = shdrs + i * entsize;
		uint64_t type = bd_load_uint(sh + 4, 4, msb);

		if (plan_rodata(p, sh, msb, is64, names, nlen))
			plan_ro_add(p, sh_offset(sh, is64, msb),
				    sh_size(sh, is64, msb));
		/* The sections read, and the string tables they name. */
		if (type != SHT_DYNAMIC && type != SHT_DYNSYM &&
		    type != SHT_NOTE && !(type == SHT_STRTAB && linked[i]))
			continue;
		if ((type == SHT_STRTAB && !(linked[i] & LINK_HELD)) ||
		    (p->syms && i == p->sym_index))
			plan_streamed(p, sh, is64, msb);
		else
			plan_add(p, sh_offset(sh, is64, msb),
				 sh_size(sh, is64, msb));
	}
	free(linked);
}

/* Whether the parse reads any of the ELF header's ehsize bytes as more
 * than the header: a range but the head (the first), or a string. */
static bool header_shared(const struct plan *p, uint64_t ehsize)
{
	size_t i;

	for (i = 1; i < p->n; i++)
		if (p->r[i].off < ehsize)
			return true;
	for (i = 0; i < p->nw; i++)
		if (p->w[i].off < ehsize)
			return true;
	return false;
}

/* ---- Go build information ----------------------------------------------- */

/* Bytes the plan reads for the search, each range held for the parse. */
struct go_plan {
	struct plan *p;
	int fd;
	const unsigned char *head;
	size_t nhead;
};

static const unsigned char *go_plan_bytes(void *ctx, uint64_t off, size_t len)
{
	struct go_plan *g = ctx;
	bool whole = g->p->whole;
	const unsigned char *b;

	if (off > g->p->size || len > g->p->size - off)
		return NULL;
	b = plan_read(g->p, g->fd, g->head, g->nhead, off, len, 1, false);
	g->p->whole = whole; /* none found: the parse finds none either */
	if (b)
		plan_add(g->p, off, len);
	return b;
}

/* The blob's search and strings: every byte the parse will read of them
 * (a module list over the limit is not read). */
static void plan_go(struct plan *p, int fd, const unsigned char *head,
		    size_t nhead)
{
	struct go_plan g = { p, fd, head, nhead };
	struct bd_go_source src = { go_plan_bytes, &g, p->size };
	struct bd_go_blob blob;

	if (bd_gobuildinfo_find(&p->go, &src, &blob, NULL))
		return;
	plan_add(p, blob.version_off, blob.version_len);
	if (!blob.mod_too_large)
		plan_add(p, blob.mod_off, blob.mod_len);
}

/* The bytes of a file held whole, or of a planned read's image. */
struct go_memory {
	const unsigned char *d;
	size_t n;
};

static const unsigned char *go_memory_bytes(void *ctx, uint64_t off, size_t len)
{
	const struct go_memory *m = ctx;

	if (off > m->n || len > m->n - off)
		return NULL;
	return m->d + off;
}

/* The file as the search for the Go blob (and cargo-auditable's
 * section, dep) sees it, from its header tables as check_header left
 * them (as plan_file reads them). */
static void build_data_view(const unsigned char *d, size_t size,
			    struct bd_go_elf *v, struct dep_section *dep)
{
	const struct ehdr_layout *l =
		d[EI_CLASS] == ELFCLASS32 ? &layout32 : &layout64;
	bool msb = d[EI_DATA] == ELFDATA2MSB, is64 = l == &layout64;
	uint64_t phoff = bd_load_uint(d + l->phoff, l->addr, msb);
	uint64_t phnum = bd_load_uint(d + l->phnum, 2, msb);
	uint64_t shoff = bd_load_uint(d + l->shoff, l->addr, msb);
	uint64_t shnum = bd_load_uint(d + l->shnum, 2, msb);
	size_t shstrndx = (size_t)bd_load_uint(d + l->shstrndx, 2, msb);
	const char *names = NULL;
	uint64_t noff, nlen = 0;

	memset(v, 0, sizeof(*v));
	memset(dep, 0, sizeof(*dep));
	if (phnum && table_fits(phoff, l->phdr_size, phnum, size))
		go_loads(v, d + phoff, (size_t)phnum, is64, msb);
	v->sections = shoff != 0;
	if (!shnum || !table_fits(shoff, l->shdr_size, shnum, size))
		return;
	if (names_range(d + shoff, (size_t)shnum, is64, msb, shstrndx, size,
			&noff, &nlen))
		names = (const char *)d + noff;
	build_data_sections(v, dep, d + shoff, (size_t)shnum, is64, msb, names,
			    names ? (size_t)nlen : 0);
}

/* The Go build information of the file d[0..size), into info->go; a blob
 * that is broken is one problem. BD_ENOMEM, else 0. */
static int read_go(struct scan *s, const unsigned char *d, size_t size,
		   const struct bd_go_elf *v)
{
	struct go_memory m = { d, size };
	struct bd_go_source src = { go_memory_bytes, &m, size };
	struct bd_go_blob blob;
	struct bd_error e;
	int rc;

	rc = bd_gobuildinfo_find(v, &src, &blob, &e);
	if (rc == BD_ENOENT)
		return 0;
	if (rc) {
		problem(s, "%s", e.msg);
		return 0;
	}
	if (blob.mod_too_large)
		problem(s,
			"Go build info: its module list of %llu bytes is over "
			"the limit of %u MiB, not read",
			(unsigned long long)blob.mod_len,
			BD_GO_MAX_MODINFO >> 20);
	rc = bd_gobuildinfo_parse(
		(const char *)d + blob.version_off, (size_t)blob.version_len,
		blob.mod_too_large ? NULL : (const char *)d + blob.mod_off,
		(size_t)blob.mod_len, &s->info->arena, &s->info->go, &e);
	if (rc && rc != BD_ENOMEM)
		problem(s, "%s", e.msg);
	return rc == BD_ENOMEM ? rc : 0;
}

/* ---- cargo-auditable's dependency list ---------------------------------- */

/* Whether the plan holds the section's bytes and the parse reads them:
 * found, not compressed, under the limit, inside the file. */
static bool dep_readable(const struct dep_section *dep, uint64_t size)
{
	return dep->found && !dep->compressed &&
	       dep->size <= BD_CARGO_MAX_SECTION && dep->off <= size &&
	       dep->size <= size - dep->off;
}

/* Why a section found is not read: NULL when it is. */
static const char *dep_unread(const struct dep_section *dep, uint64_t size,
			      char *why, size_t n)
{
	if (dep->compressed)
		return "section " BD_CARGO_SECTION " is compressed "
		       "(SHF_COMPRESSED), not read";
	if (dep->size > BD_CARGO_MAX_SECTION) {
		snprintf(why, n,
			 "section " BD_CARGO_SECTION " of %llu bytes is over "
			 "the limit of %u MiB, not read",
			 (unsigned long long)dep->size,
			 BD_CARGO_MAX_SECTION >> 20);
		return why;
	}
	if (!dep_readable(dep, size))
		return "section " BD_CARGO_SECTION " runs past the end of the "
		       "file";
	return NULL;
}

/* The cargo-auditable dependency list of the file d[0..size) into
 * info->cargo; one that is broken is one problem. BD_ENOMEM, else 0. */
static int read_cargo(struct scan *s, const unsigned char *d, size_t size,
		      const struct dep_section *dep)
{
	struct bd_buf json = BD_BUF_INIT;
	struct bd_error e;
	char why[128];
	const char *unread;
	size_t after = 0;
	int rc;

	if (!dep->found)
		return 0;
	unread = dep_unread(dep, size, why, sizeof(why));
	if (unread) {
		problem(s, "cargo-auditable dependency list: %s", unread);
		return 0;
	}
	rc = bd_cargoaudit_inflate(d + dep->off, (size_t)dep->size, &json,
				   &after, &e);
	/* What the stream is followed by is no part of the list: said, as
	 * cargo writes the stream alone, and the list read. */
	if (after)
		problem(s,
			"cargo-auditable dependency list: %zu byte%s after "
			"its zlib stream, ignored",
			after, after == 1 ? "" : "s");
	if (!rc)
		rc = bd_cargoaudit_parse(bd_buf_str(&json), json.len,
					 &s->info->arena, &s->info->cargo, &e);
	bd_buf_release(&json);
	if (rc && rc != BD_ENOMEM)
		problem(s, "%s", e.msg);
	return rc == BD_ENOMEM ? rc : 0;
}

/* The plan holds the section's bytes that read_cargo reads. */
static void plan_dep(struct plan *p)
{
	if (dep_readable(&p->dep, p->size))
		plan_add(p, p->dep.off, p->dep.size);
}

/* What the toolchain wrote of the build into the file d[0..size): Go's
 * build information, cargo-auditable's dependency list. BD_ENOMEM, else
 * 0. */
static int read_build_data(struct scan *s, const unsigned char *d, size_t size)
{
	struct bd_go_elf v;
	struct dep_section dep;

	build_data_view(d, size, &v, &dep);
	if (read_go(s, d, size, &v))
		return BD_ENOMEM;
	return read_cargo(s, d, size, &dep);
}

/* What of a file the parse reads, from its head (as check_header sees
 * it: a table it would blank out is not read). */
static void plan_file(struct plan *p, int fd, const unsigned char *d,
		      size_t nhead, uint64_t size, bool strings)
{
	const struct ehdr_layout *l;
	uint64_t phoff, phent, phnum, shoff, shent, shnum;
	bool msb, sections;

	p->n = 0;
	p->nro = 0;
	p->nw = 0;
	p->syms = false;
	p->undef = p->found = NULL;
	p->nundef = p->aundef = p->nfound = p->afound = 0;
	p->ncarry = p->j1 = p->j2 = 0;
	p->header_shared = false;
	memset(&p->go, 0, sizeof(p->go));
	memset(&p->dep, 0, sizeof(p->dep));
	p->bytes = 0;
	p->size = size;
	p->strings = strings;
	p->whole = size <= BD_SCAN_WHOLE;
	if (p->whole)
		return;
	plan_add(p, 0, nhead);
	if (nhead < EI_NIDENT ||
	    (d[EI_CLASS] != ELFCLASS32 && d[EI_CLASS] != ELFCLASS64) ||
	    (d[EI_DATA] != ELFDATA2LSB && d[EI_DATA] != ELFDATA2MSB))
		return; /* refused by check_header: nothing more is read */
	l = d[EI_CLASS] == ELFCLASS32 ? &layout32 : &layout64;
	msb = d[EI_DATA] == ELFDATA2MSB;
	if (nhead < l->ehsize)
		return;
	phoff = bd_load_uint(d + l->phoff, l->addr, msb);
	phent = bd_load_uint(d + l->phentsize, 2, msb);
	phnum = bd_load_uint(d + l->phnum, 2, msb);
	shoff = bd_load_uint(d + l->shoff, l->addr, msb);
	shent = bd_load_uint(d + l->shentsize, 2, msb);
	shnum = bd_load_uint(d + l->shnum, 2, msb);
	/* Extended numbering: the counts are in section 0. */
	if (phnum == PN_XNUM || (shoff && !shnum)) {
		p->whole = true;
		return;
	}
	sections = shoff && shent == l->shdr_size &&
		   table_fits(shoff, shent, shnum, size);
	if (phnum && phent == l->phdr_size &&
	    table_fits(phoff, phent, phnum, size))
		plan_segments(p, fd, d, nhead, l == &layout64, msb, phoff,
			      (size_t)phnum, sections && shnum);
	if (sections)
		plan_sections(p, fd, d, nhead, l == &layout64, msb, shoff,
			      (size_t)shnum,
			      (size_t)bd_load_uint(d + l->shstrndx, 2, msb));
	plan_go(p, fd, d, nhead);
	plan_dep(p);
	p->header_shared = header_shared(p, l->ehsize);
}

/* Copies what of bytes [off, off + n) a window holds: through its NUL,
 * after which it is done (its end moved to its start). */
static void window_copy(struct range *w, uint64_t *wrote, unsigned char *image,
			const unsigned char *buf, uint64_t off, size_t n)
{
	uint64_t lo = w->off > off ? w->off : off;
	uint64_t hi = w->end < off + n ? w->end : off + n;
	const unsigned char *nul;

	if (lo >= hi)
		return;
	nul = memchr(buf + (lo - off), '\0', (size_t)(hi - lo));
	if (nul)
		hi = off + (uint64_t)(nul - buf) + 1;
	memcpy(image + lo, buf + (lo - off), (size_t)(hi - lo));
	if (hi > *wrote)
		*wrote = hi;
	if (nul)
		w->end = w->off;
}

static void plan_release(struct plan *p)
{
	free(p->undef);
	free(p->found);
}

/* One entry of the streamed symbol table: the name of an undefined one. */
static int sym_entry(struct plan *p, const unsigned char *e, uint64_t index)
{
	bool is64 = p->sym_ent == 24;

	if (!index || bd_load_uint(e + (is64 ? 6 : 14), 2, p->msb) != SHN_UNDEF)
		return 0;
	if (BD_GROW(p->undef, p->aundef, p->nundef + 1))
		return BD_ENOMEM;
	p->undef[p->nundef++] = (uint32_t)bd_load_uint(e, 4, p->msb);
	return 0;
}

/* The entries of the symbol table in bytes [off, off + n). The table
 * starts aligned: only the end of a chunk cuts an entry. */
static int sym_chunk(struct plan *p, const unsigned char *buf, uint64_t off,
		     size_t n)
{
	uint64_t lo = p->sym.off > off ? p->sym.off : off;
	uint64_t hi = p->sym.end < off + n ? p->sym.end : off + n, at;
	size_t ent = p->sym_ent, take;
	const unsigned char *b;
	int rc = 0;

	if (lo >= hi)
		return 0;
	b = buf + (lo - off);
	at = lo - p->sym.off;
	if (p->ncarry) {
		take = ent - p->ncarry < hi - lo ? ent - p->ncarry
						 : (size_t)(hi - lo);
		memcpy(p->carry + p->ncarry, b, take);
		p->ncarry += take;
		b += take;
		lo += take;
		at += take;
		if (p->ncarry == ent) {
			rc = sym_entry(p, p->carry, at / ent - 1);
			p->ncarry = 0;
		}
	}
	for (; !rc && hi - lo >= ent; lo += ent, at += ent, b += ent)
		rc = sym_entry(p, b, at / ent);
	if (!rc && lo < hi) {
		memcpy(p->carry, b, (size_t)(hi - lo));
		p->ncarry = (size_t)(hi - lo);
	}
	return rc;
}

static int found_name(struct plan *p, uint64_t at)
{
	if (BD_GROW(p->found, p->afound, p->nfound + 1))
		return BD_ENOMEM;
	p->found[p->nfound++] = (uint32_t)at;
	return 0;
}

/* The first "dl" in [b, end), or NULL: with SSE2, 16 places a look (two
 * loads, one a byte on); glibc's memmem takes twice memchr's time for a
 * needle this short. */
static const unsigned char *find_dl(const unsigned char *b,
				    const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i d = _mm_set1_epi8('d'), l = _mm_set1_epi8('l');

	for (; end - b >= 17; b += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)b);
		__m128i y =
			_mm_loadu_si128((const __m128i *)(const void *)(b + 1));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(y, l)));

		if (m)
			return b + __builtin_ctz(m);
	}
#endif
	for (; end - b >= 2; b++)
		if (b[0] == 'd' && b[1] == 'l')
			return b;
	return NULL;
}

/*
 * Where "dlopen\0" and "dlmopen\0" begin in the string table's bytes
 * [off, off + n), across chunks: j1 and j2 are how much of each the bytes
 * before matched. 'd' begins both and is nowhere else in them, so a
 * mismatch restarts at 'd' or at nothing. With nothing under way, the
 * bytes are skipped to the next "dl" (find_dl; a memchr call for each 'd'
 * cost 0.5% of a /usr/lib scan's CPU), or to a 'd' that ends them, which
 * the next chunk may go on.
 */
static int str_chunk(struct plan *p, const unsigned char *buf, uint64_t off,
		     size_t n)
{
	static const char n1[] = "dlopen", n2[] = "dlmopen";
	uint64_t lo = p->symstr.off > off ? p->symstr.off : off;
	uint64_t hi = p->symstr.end < off + n ? p->symstr.end : off + n;
	const unsigned char *b, *end;
	int rc = 0;

	if (lo >= hi)
		return 0;
	b = buf + (lo - off);
	end = buf + (hi - off);
	for (; !rc && b < end; b++) {
		uint64_t at = off + (uint64_t)(b - buf) - p->symstr.off;

		if (!p->j1 && !p->j2) {
			const unsigned char *dl = find_dl(b, end);

			b = dl ? dl : end[-1] == 'd' ? end - 1 : NULL;
			if (!b)
				break;
			at = off + (uint64_t)(b - buf) - p->symstr.off;
		}
		p->j1 = *b == (unsigned char)n1[p->j1] ? p->j1 + 1 : *b == 'd';
		p->j2 = *b == (unsigned char)n2[p->j2] ? p->j2 + 1 : *b == 'd';
		if (p->j1 == sizeof(n1)) {
			rc = found_name(p, at + 1 - sizeof(n1));
			p->j1 = 0;
		}
		if (!rc && p->j2 == sizeof(n2)) {
			rc = found_name(p, at + 1 - sizeof(n2));
			p->j2 = 0;
		}
	}
	return rc;
}

/* Whether the streamed symbol table imports dlopen or dlmopen: an
 * undefined symbol named where one of the two begins. Not when the file
 * ended (it shrank) before the tables did: libelf reads neither then. */
static bool plan_imports_dlopen(struct plan *p, uint64_t got)
{
	size_t i;

	if (p->sym.end > got || p->symstr.end > got || !p->nfound || !p->nundef)
		return false;
	qsort(p->undef, p->nundef, sizeof(*p->undef), bd_cmp_u32);
	for (i = 0; i < p->nfound; i++) {
		if (bsearch(&p->found[i], p->undef, p->nundef,
			    sizeof(*p->undef), bd_cmp_u32))
			return true;
	}
	return false;
}

/* Copies what the plan keeps of bytes [off, off + n) into the image, and
 * searches the streamed symbol table. */
static int plan_copy(struct plan *p, unsigned char *image,
		     const unsigned char *buf, uint64_t off, size_t n)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		uint64_t lo = p->r[i].off > off ? p->r[i].off : off;
		uint64_t hi = p->r[i].end < off + n ? p->r[i].end : off + n;

		if (lo < hi)
			memcpy(image + lo, buf + (lo - off), (size_t)(hi - lo));
	}
	for (i = 0; i < p->nw; i++)
		window_copy(&p->w[i], &p->wrote[i], image, buf, off, n);
	if (!p->syms)
		return 0;
	return sym_chunk(p, buf, off, n) || str_chunk(p, buf, off, n)
		       ? BD_ENOMEM
		       : 0;
}

/* The read-only data of a planned read, fed to the string rules as the
 * chunks stream past (in the cache, once: never copied into the image). */
struct ro_feed {
	const struct plan *p;
	const struct bd_strrules *rules;
	struct bd_elf_info *info;
	size_t cur; /* the region being fed */
	bool started;
	struct bd_strrules_stream st;
};

/* Feeds what of the chunk [off, off + n) the read-only regions hold. */
static int ro_chunk(struct ro_feed *rf, const unsigned char *buf, uint64_t off,
		    size_t n)
{
	struct bd_string_hits *h = &rf->info->strings;
	int rc = 0;

	while (!rc && rf->cur < rf->p->nro) {
		const struct range *r = &rf->p->ro[rf->cur];
		uint64_t lo = r->off > off ? r->off : off;
		uint64_t hi = r->end < off + n ? r->end : off + n;

		if (r->off >= off + n)
			break;
		if (!rf->started)
			bd_strrules_stream_start(&rf->st, r->end - r->off);
		rf->started = true;
		if (lo < hi)
			rc = bd_strrules_stream_feed(
				rf->rules, &rf->st, buf + (lo - off),
				(size_t)(hi - lo), &rf->info->arena, h);
		if (r->end > off + n)
			break;
		if (!rc)
			rc = bd_strrules_stream_end(rf->rules, &rf->st,
						    &rf->info->arena, h);
		rf->started = false;
		rf->cur++;
	}
	/* Past the cap, nothing more is searched (the scan goes on). */
	if (rc == BD_ELIMIT)
		rf->cur = rf->p->nro;
	return rc == BD_ENOMEM ? rc : 0;
}

/* The file ended before a region did (it shrank since it was stated). */
static int ro_end(struct ro_feed *rf)
{
	int rc = 0;

	if (rf && rf->started)
		rc = bd_strrules_stream_end(rf->rules, &rf->st,
					    &rf->info->arena,
					    &rf->info->strings);
	return rc == BD_ENOMEM ? rc : 0;
}

/*
 * Reads the rest of the file after the head, hashing each chunk while it
 * is in the cache; *got is the bytes read in all (fewer than size when the
 * file shrank). Without a plan the file is kept whole in the buffer; with
 * one, each chunk passes through the buffer's start, the image keeps what
 * the plan says, and the read-only data goes through the string rules.
 */
/* The progress counter is shared by every reading thread: it is told in
 * steps of this much, not at every chunk (one contended atomic add each:
 * a millisecond of a /usr/lib scan), and at the end of each file. */
#define PROGRESS_STEP (8u << 20)

static int read_hashed(struct bd_scanner *s, int fd, struct plan *p,
		       struct ro_feed *rf, size_t head, unsigned char *image,
		       size_t size, size_t *got)
{
	int rc = bd_sha256_begin(&s->sha);
	uint64_t untold = head;

	if (!rc)
		rc = bd_sha256_update(&s->sha, s->buf, head);
	if (!rc && p)
		rc = plan_copy(p, image, s->buf, 0, head);
	if (!rc && rf)
		rc = ro_chunk(rf, s->buf, 0, head);
	*got = head;
	while (!rc && *got < size) {
		size_t want = size - *got < BD_SCAN_CHUNK ? size - *got
							  : BD_SCAN_CHUNK;
		unsigned char *at = p ? s->buf : s->buf + *got;
		ssize_t n = pread(fd, at, want, (off_t)*got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = BD_EIO; /* errno kept for the caller */
			break;
		}
		if (!n)
			break;
		rc = bd_sha256_update(&s->sha, at, (size_t)n);
		untold += (uint64_t)n;
		if (untold >= PROGRESS_STEP) {
			bd_progress_hashed(untold);
			untold = 0;
		}
		if (!rc && p)
			rc = plan_copy(p, image, at, *got, (size_t)n);
		if (!rc && rf)
			rc = ro_chunk(rf, at, *got, (size_t)n);
		*got += (size_t)n;
	}
	bd_progress_hashed(untold);
	return rc ? rc : ro_end(rf);
}

/* After the read: the digest, then the parse of the n bytes read (and of
 * its read-only data by the rules, when not searched as it streamed). */
static int hashed_and_parsed(struct bd_scanner *s, int rc, void *data, size_t n,
			     const struct bd_strrules *rules,
			     const struct streamed *pre, const char *name,
			     struct bd_elf_info *info, char sha256[65],
			     const struct bd_diag *diag, struct bd_error *err)
{
	if (rc == BD_EIO)
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot read",
				      name);
	if (!rc)
		rc = bd_sha256_end(&s->sha, sha256);
	if (rc)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	bd_progress_scanned();
	return scan_memory(data, n, name, rules, pre, info, diag, err);
}

/* This machine's byte order, as EI_DATA says it. */
static unsigned char native_data(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one ? ELFDATA2LSB : ELFDATA2MSB;
}

/*
 * The file is read into memory rather than mapped: a file truncated while
 * it is scanned would raise SIGBUS on a mapping and end the whole run, and
 * the hash needs every byte anyway. Into the thread's buffer, whole.
 */
static int scan_whole(struct bd_scanner *s, struct bd_scan_head *h,
		      const char *name, struct bd_elf_info *info,
		      char sha256[65], const struct bd_diag *diag,
		      struct bd_error *err)
{
	size_t size = (size_t)h->st.st_size, n = 0;
	int rc;

	/* Writable: bd_scan_memory may blank a broken header table. */
	budget_take(size);
	if (scanner_grow(s, size)) {
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	} else {
		rc = read_hashed(s, h->fd, NULL, NULL, h->n, NULL, size, &n);
		rc = hashed_and_parsed(s, rc, s->buf, n, s->strings, NULL, name,
				       info, sha256, diag, err);
	}
	scanner_trim(s);
	budget_give(size);
	return rc;
}

/*
 * The image of a planned read: anonymous memory (truncation cannot raise
 * SIGBUS), kept by the scanner from one file to the next. Each file writes
 * its planned parts into it; after the parse they are put back to zero
 * (image_clean), so that where the next file plans nothing the parse reads
 * zeros, as in a fresh mapping, and never a byte of another file.
 */
#define IMAGE_PAGE 4096u
/* Pages the image may keep resident between files (per thread): past
 * this, all of it is given back at once (one madvise, where an munmap a
 * file cost one each). Since each page counts once (image_pages), 512:
 * on a Debian root 1,024 kept 2.5 MB more at the peak (4.1 KiB a
 * component, over the 4 KiB of issue 13) for 350 fewer page faults; 256
 * took 840 more faults than 512 and 1 MB less. */
#define IMAGE_KEEP_PAGES 512u
/* A scratch slot larger than this is not kept for the next file. */
#define SCRATCH_KEEP (256u * 1024u)

static unsigned char *image_map(size_t size)
{
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return m == MAP_FAILED ? NULL : m;
}

/* The words of the map of an image of cap bytes: a bit a page. At most
 * 128 KiB, for an image of BD_SCAN_MAX_FILE. */
static size_t image_words(size_t cap)
{
	return cap / IMAGE_PAGE / 64 + 1;
}

static void image_drop(struct bd_scanner *s)
{
	if (s->image)
		munmap(s->image, s->image_cap);
	free(s->image_pages);
	s->image = NULL;
	s->image_pages = NULL;
	s->image_cap = s->image_dirty = 0;
}

/* The scanner's image, with room for size bytes: a larger one is mapped
 * with twice the room, so that growing is rare (only address space: the
 * pages are never touched but where written). NULL when out of memory. */
static unsigned char *image_get(struct bd_scanner *s, size_t size)
{
	size_t cap = s->image_cap;

	if (size <= cap)
		return s->image;
	cap = cap < BD_SCAN_MAX_FILE / 2 ? 2 * cap : (size_t)BD_SCAN_MAX_FILE;
	if (cap < size)
		cap = size;
	image_drop(s);
	s->image = image_map(cap);
	s->image_pages =
		s->image ? calloc(image_words(cap), sizeof(uint64_t)) : NULL;
	if (s->image && !s->image_pages)
		image_drop(s);
	if (s->image)
		s->image_cap = cap;
	return s->image;
}

/* Marks the pages holding [lo, hi) written; how many were not yet. */
static size_t pages_mark(uint64_t *pages, uint64_t lo, uint64_t hi)
{
	size_t page, last = (size_t)((hi - 1) / IMAGE_PAGE), fresh = 0;

	for (page = (size_t)(lo / IMAGE_PAGE); page <= last; page++) {
		uint64_t bit = (uint64_t)1 << (page % 64);

		fresh += !(pages[page / 64] & bit);
		pages[page / 64] |= bit;
	}
	return fresh;
}

/* Zeros [lo, min(hi, got)) of the scanner's image, or marks its pages
 * (mark: returns how many were not marked yet). */
static size_t image_zero(struct bd_scanner *s, uint64_t lo, uint64_t hi,
			 size_t got, bool mark)
{
	if (hi > got)
		hi = got;
	if (lo >= hi)
		return 0;
	if (mark)
		return pages_mark(s->image_pages, lo, hi);
	memset(s->image + lo, 0, (size_t)(hi - lo));
	return 0;
}

/* Zeros (or marks the pages of) every byte the file's plan, read and
 * parse may have written: the tables plan_read read into it, plan_copy's
 * ranges and windows (up to the bytes read: none when the file was read
 * whole instead), and the ELF header, which check_header and
 * hide_sections may blank (in the first range, unless the file grew after
 * its head was read). Marking, the pages not marked yet. */
static size_t image_written(const struct plan *p, struct bd_scanner *s,
			    bool mark)
{
	size_t i, got = p->got,
		  pages = image_zero(s, 0, sizeof(Elf64_Ehdr), got, mark);

	for (i = 0; i < p->ntables; i++)
		pages += image_zero(s, p->tables[i].off, p->tables[i].end,
				    (size_t)p->size, mark);
	for (i = 0; i < p->n; i++)
		pages += image_zero(s, p->r[i].off, p->r[i].end, got, mark);
	for (i = 0; i < p->nw; i++)
		pages += image_zero(s, p->w[i].off, p->wrote[i], got, mark);
	return pages;
}

/*
 * Puts back to zero what the file wrote into the image. Nothing else
 * writes into it: libelf reads an image given to elf_memory in place and
 * converts data of a foreign byte order, or misaligned, into memory of its
 * own (elfutils 0.188: convert_data, elf_getdata_rawchunk, the headers'
 * loaders). The pages that may be resident are counted (each once, from
 * the map); past IMAGE_KEEP_PAGES all are given back.
 */
static void image_clean(struct bd_scanner *s, const struct plan *p)
{
	s->image_dirty += image_written(p, s, true);
	if (s->image_dirty > IMAGE_KEEP_PAGES &&
	    madvise(s->image, s->image_cap, MADV_DONTNEED) == 0) {
		s->image_dirty = 0;
		memset(s->image_pages, 0,
		       image_words(s->image_cap) * sizeof(uint64_t));
		return;
	}
	image_written(p, s, false);
}

/* Only the planned parts of the image are ever written: the scanner's
 * (p->image), or one of its own, unmapped after the file. */
static int scan_planned(struct bd_scanner *s, struct bd_scan_head *h,
			struct plan *p, const char *name,
			struct bd_elf_info *info, char sha256[65],
			const struct bd_diag *diag, struct bd_error *err)
{
	size_t size = (size_t)h->st.st_size, n = 0;
	uint64_t held = p->bytes + BD_SCAN_CHUNK;
	unsigned char *image = NULL;
	struct ro_feed *rf = NULL;
	int rc;

	if (bd_strrules_count(s->strings)) {
		rf = calloc(1, sizeof(*rf));
		if (!rf)
			return bd_error_set(err, BD_ENOMEM, "out of memory");
		*rf = (struct ro_feed){ .p = p,
					.rules = s->strings,
					.info = info };
		info->strings.searched = true;
	}
	budget_take(held);
	if (!scanner_grow(s, BD_SCAN_CHUNK))
		image = p->image ? p->image : image_map(size);
	if (!image) {
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	} else {
		struct streamed pre = { SIZE_MAX, false, p->header_shared };

		rc = read_hashed(s, h->fd, p, rf, h->n, image, size, &n);
		p->got = n;
		if (p->syms) {
			pre.sym_index = p->sym_index;
			pre.imports_dlopen = plan_imports_dlopen(p, n);
		}
		rc = hashed_and_parsed(s, rc, image, n, NULL, &pre, name, info,
				       sha256, diag, err);
	}
	if (image && image != p->image)
		munmap(image, size);
	budget_give(held);
	free(rf);
	if (!rc && info->strings.capped)
		strings_capped(name, info, diag);
	return rc;
}

/* The head is in the buffer already, so a file that is not ELF costs
 * that one small read. */
int bd_scan_rest(struct bd_scanner *s, struct bd_scan_head *h, const char *name,
		 struct bd_elf_info *info, char sha256[65],
		 const struct bd_diag *diag, struct bd_error *err)
{
	struct plan *p;
	int rc;

	sha256[0] = '\0';
	if (h->st.st_size == 0)
		return bd_error_set(err, BD_ENOTELF, "'%s': empty file", name);
	if ((uint64_t)h->st.st_size > BD_SCAN_MAX_FILE)
		return too_large(name, err);
	if (!bd_scan_is_elf(s->buf, h->n))
		return h->n ? not_elf(s->buf, h->n, name, info, err)
			    : bd_error_set(err, BD_ENOTELF, "'%s': empty file",
					   name);
	if ((uint64_t)h->st.st_size <= BD_SCAN_WHOLE || s->whole)
		return scan_whole(s, h, name, info, sha256, diag, err);
	p = malloc(sizeof(*p));
	if (!p)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	/* A file of the other byte order gets an image of its own: libelf
	 * converts such data, and whatever libelf is linked, none of it
	 * must be seen by the next file. */
	p->sc = s;
	p->image = h->n > EI_DATA && s->buf[EI_DATA] != native_data()
			   ? NULL
			   : image_get(s, (size_t)h->st.st_size);
	p->ntables = p->got = 0;
	plan_file(p, h->fd, s->buf, h->n, (uint64_t)h->st.st_size,
		  bd_strrules_count(s->strings) > 0);
	scratch_drop(s, SCRATCH_KEEP);
	rc = p->whole ? scan_whole(s, h, name, info, sha256, diag, err)
		      : scan_planned(s, h, p, name, info, sha256, diag, err);
	if (p->image)
		image_clean(s, p);
	plan_release(p);
	free(p);
	return rc;
}

int bd_scan_file(struct bd_scanner *s, const struct bd_root *root,
		 const char *path, const char *name, struct bd_elf_info *info,
		 char sha256[65], struct stat *st, const struct bd_diag *diag,
		 struct bd_error *err)
{
	struct bd_scanner own;
	struct bd_scan_head h;
	int rc;

	sha256[0] = '\0';
	if (!s) {
		if (bd_scanner_init(&own))
			return bd_error_set(err, BD_ENOMEM, "out of memory");
		s = &own;
	}
	rc = bd_scan_open(s, root, path, 0, name, &h, err);
	*st = h.st;
	if (!rc)
		rc = bd_scan_rest(s, &h, name, info, sha256, diag, err);
	bd_scan_close(&h);
	if (s == &own)
		bd_scanner_release(&own);
	return rc;
}
