/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/scan.h"

#include "bindep/buf.h"
#include "bindep/hash.h"
#include "bindep/mapping.h"

#include <elf.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CORPUS "tests/malformed/corpus/"

struct seen {
	int warnings;
	char last[BD_ERROR_MSG_MAX];
};

static void remember(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct seen *s = ctx;

	if (level == BD_DIAG_WARNING)
		s->warnings++;
	snprintf(s->last, sizeof(s->last), "%s", msg);
}

static int scan(const char *path, struct bd_elf_info *info, struct seen *s,
		struct bd_error *e, char sha[65])
{
	struct bd_diag d = { remember, s };
	struct stat st;

	memset(s, 0, sizeof(*s));
	bd_elf_info_init(info);
	return bd_scan_file(NULL, NULL, path, path, info, sha, &st, &d, e);
}

static void test_scans_itself(void)
{
	struct bd_elf_info info;
	struct seen s;
	struct bd_error e;
	char sha[65];
	size_t i;
	bool libc = false;

	CU_ASSERT_EQUAL_FATAL(scan("/proc/self/exe", &info, &s, &e, sha), 0);
	CU_ASSERT_EQUAL(s.warnings, 0);
	CU_ASSERT_EQUAL(strlen(sha), 64);
	CU_ASSERT_EQUAL(info.ei_class, ELFCLASS64);
	CU_ASSERT_EQUAL(info.ei_data, ELFDATA2LSB);
	CU_ASSERT_EQUAL(info.e_machine, EM_X86_64);
	CU_ASSERT_PTR_NOT_NULL(info.interp);
	CU_ASSERT_PTR_NOT_NULL(info.build_id);
	CU_ASSERT_TRUE(info.has_dynamic);
	for (i = 0; i < info.nneeded; i++)
		libc |= !strcmp(info.needed[i], "libc.so.6");
	CU_ASSERT_TRUE(libc);
	CU_ASSERT_PTR_NULL(info.problem);
	bd_elf_info_release(&info);
}

static void test_fatal_problems(void)
{
	struct bd_elf_info info;
	struct seen s;
	struct bd_error e;
	char sha[65];

	CU_ASSERT_EQUAL(scan(CORPUS "truncated-header.so", &info, &s, &e, sha),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "'" CORPUS "truncated-header.so': "
				      "truncated ELF header");
	CU_ASSERT_EQUAL(strlen(sha), 64); /* a broken ELF is still hashed */
	bd_elf_info_release(&info);
	CU_ASSERT_EQUAL(scan(CORPUS "bad-class.so", &info, &s, &e, sha),
			BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "unknown ELF class 7"));
	bd_elf_info_release(&info);
	CU_ASSERT_EQUAL(scan(CORPUS "empty.so", &info, &s, &e, sha),
			BD_ENOTELF);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "empty file"));
	bd_elf_info_release(&info);
	CU_ASSERT_EQUAL(scan(CORPUS "not-elf.so.1", &info, &s, &e, sha),
			BD_ENOTELF);
	CU_ASSERT_STRING_EQUAL(sha, "");
	bd_elf_info_release(&info);
	CU_ASSERT_EQUAL(scan("/nonexistent/x.so", &info, &s, &e, sha),
			BD_ENOENT);
	bd_elf_info_release(&info);
	CU_ASSERT_EQUAL(scan("/dev/null", &info, &s, &e, sha), BD_EIO);
	bd_elf_info_release(&info);
}

/* One defect, one warning, and the rest of the file is read. */
static void check_partial(const char *file, const char *needle,
			  bool soname_read)
{
	struct bd_elf_info info;
	struct seen s;
	struct bd_error e;
	char sha[65];

	CU_ASSERT_EQUAL(scan(file, &info, &s, &e, sha), 0);
	CU_ASSERT_EQUAL(s.warnings, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.last, needle));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.last, file));
	CU_ASSERT_PTR_NOT_NULL(info.problem);
	if (soname_read) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(info.soname);
		CU_ASSERT_STRING_EQUAL(info.soname, "libgood.so.1");
	}
	bd_elf_info_release(&info);
}

static void test_partial_problems(void)
{
	check_partial(CORPUS "shoff-beyond-eof.so",
		      "section headers beyond end of file", true);
	check_partial(CORPUS "phoff-beyond-eof.so",
		      "program headers beyond end of file", true);
	check_partial(CORPUS "needed-offset-out-of-range.so",
		      "DT_NEEDED string offset 2147483632 out of range", true);
	check_partial(CORPUS "package-note-bad-json.so",
		      "package note is not valid JSON", true);
	check_partial(CORPUS "note-absurd-size.so", "overruns", true);
	check_partial(CORPUS "dynamic-segment-beyond-eof.so",
		      "dynamic segment beyond end of file", false);
}

static void test_package_note_read_through_sections(void)
{
	struct bd_elf_info info;
	struct seen s;
	struct bd_error e;
	char sha[65];

	/* The phoff file has only sections left; the note still counts. */
	CU_ASSERT_EQUAL(scan(CORPUS "phoff-beyond-eof.so", &info, &s, &e, sha),
			0);
	CU_ASSERT_EQUAL_FATAL(info.npackage_note, 5);
	CU_ASSERT_STRING_EQUAL(info.package_note[2].key, "name");
	CU_ASSERT_STRING_EQUAL(info.package_note[2].value, "libgood");
	CU_ASSERT_EQUAL_FATAL(info.nneeded, 1);
	CU_ASSERT_STRING_EQUAL(info.needed[0], "libc.so.6");
	bd_elf_info_release(&info);
}

/* What one scan of a file gives, for comparing two scans. */
struct outcome {
	int rc, warnings;
	char sha[65], soname[64], last[2 * BD_ERROR_MSG_MAX + 2];
	size_t nneeded;
};

static void scan_with(struct bd_scanner *sc, const char *path,
		      struct outcome *o)
{
	struct bd_elf_info info;
	struct seen s;
	struct bd_diag d = { remember, &s };
	struct bd_error e;
	struct stat st;

	memset(&s, 0, sizeof(s));
	memset(o, 0, sizeof(*o));
	bd_elf_info_init(&info);
	bd_error_clear(&e);
	o->rc = bd_scan_file(sc, NULL, path, path, &info, o->sha, &st, &d, &e);
	o->warnings = s.warnings;
	snprintf(o->soname, sizeof(o->soname), "%s",
		 info.soname ? info.soname : "");
	snprintf(o->last, sizeof(o->last), "%s|%s", s.last, e.msg);
	o->nneeded = info.nneeded;
	bd_elf_info_release(&info);
}

/* One scanner for many files, large then small, broken and not: each
 * result is that of a scanner made for the file alone (nothing of the
 * previous file's bytes or digest leaks into the next). */
static void test_scanner_reused(void)
{
	static const char *const files[] = {
		"/proc/self/exe",      CORPUS "shoff-beyond-eof.so",
		CORPUS "not-elf.so.1", CORPUS "truncated-header.so",
		"/proc/self/exe",      CORPUS "needed-offset-out-of-range.so",
		CORPUS "empty.so",     CORPUS "package-note-bad-json.so",
	};
	struct bd_scanner sc;
	struct outcome fresh, reused;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(bd_scanner_init(&sc), 0);
	for (i = 0; i < BD_ARRAY_SIZE(files); i++) {
		scan_with(NULL, files[i], &fresh);
		scan_with(&sc, files[i], &reused);
		CU_ASSERT_EQUAL(reused.rc, fresh.rc);
		CU_ASSERT_EQUAL(reused.warnings, fresh.warnings);
		CU_ASSERT_STRING_EQUAL(reused.sha, fresh.sha);
		CU_ASSERT_STRING_EQUAL(reused.soname, fresh.soname);
		CU_ASSERT_STRING_EQUAL(reused.last, fresh.last);
		CU_ASSERT_EQUAL(reused.nneeded, fresh.nneeded);
	}
	bd_scanner_release(&sc);
}

static char *temp_file(const void *data, size_t len)
{
	char *path = strdup("/tmp/bd-scan-XXXXXX");
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* The first `len` bytes of a file, padded with zeros to `pad` bytes, in a
 * new temporary file. */
static char *temp_copy(const char *from, size_t len, size_t pad)
{
	unsigned char *copy = calloc(1, pad > len ? pad : len);
	char *path;
	ssize_t got;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	fd = open(from, O_RDONLY);
	CU_ASSERT_FATAL(fd >= 0);
	got = read(fd, copy, len);
	close(fd);
	CU_ASSERT_FATAL(got > 0);
	path = temp_file(copy, pad > len ? pad : (size_t)got);
	free(copy);
	return path;
}

/* A file that is not ELF costs its head: nothing more is read or
 * allocated. A small ELF file is read whole into the same buffer, which
 * is kept for the next file; a large one streams through a chunk of it. */
static void test_head_first(void)
{
	size_t big = 3 * BD_SCAN_HEAD;
	char *text = malloc(big), *path, *small, *large, sha[65];
	struct bd_elf_info info;
	struct bd_scanner sc;
	struct bd_scan_head h;
	struct bd_error e;
	unsigned char *kept;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memset(text, 'x', big);
	path = temp_file(text, big);
	small = temp_copy("/proc/self/exe", 100 * 1024, 0);
	large = temp_copy("/proc/self/exe", 100 * 1024, 3 * BD_SCAN_WHOLE);
	CU_ASSERT_EQUAL_FATAL(bd_scanner_init(&sc), 0);
	CU_ASSERT_EQUAL_FATAL(bd_scan_open(&sc, NULL, path, 0, "t", &h, &e), 0);
	CU_ASSERT_EQUAL(h.n, BD_SCAN_HEAD);
	bd_elf_info_init(&info);
	CU_ASSERT_EQUAL(bd_scan_rest(&sc, &h, "t", &info, sha, NULL, &e),
			BD_ENOTELF);
	CU_ASSERT_STRING_EQUAL(e.msg, "'t': not an ELF file");
	CU_ASSERT_EQUAL(sc.cap, BD_SCAN_HEAD);
	bd_scan_close(&h);
	bd_elf_info_release(&info);

	CU_ASSERT_EQUAL_FATAL(bd_scan_open(&sc, NULL, small, 0, "x", &h, &e),
			      0);
	CU_ASSERT_EQUAL(h.n, BD_SCAN_HEAD);
	bd_elf_info_init(&info);
	bd_scan_rest(&sc, &h, "x", &info, sha, NULL, &e);
	CU_ASSERT_EQUAL(info.ei_class, ELFCLASS64);
	CU_ASSERT(sc.cap >= 100 * 1024);
	CU_ASSERT_EQUAL(strlen(sha), 64);
	bd_scan_close(&h);
	CU_ASSERT_EQUAL(h.fd, -1);
	bd_elf_info_release(&info);
	kept = sc.buf;
	scan_with(&sc, CORPUS "shoff-beyond-eof.so", &(struct outcome){ 0 });
	CU_ASSERT_PTR_EQUAL(sc.buf, kept);
	scan_with(&sc, large, &(struct outcome){ 0 });
	CU_ASSERT(sc.cap < 3 * BD_SCAN_WHOLE);
	/* A thread about to wait gives the grown buffer back; the next file
	 * grows it again. */
	CU_ASSERT(sc.cap > BD_SCAN_HEAD);
	bd_scanner_idle(&sc);
	CU_ASSERT_EQUAL(sc.cap, BD_SCAN_HEAD);
	bd_scanner_idle(&sc);
	CU_ASSERT_EQUAL(sc.cap, BD_SCAN_HEAD);
	CU_ASSERT_EQUAL_FATAL(bd_scan_open(&sc, NULL, small, 0, "x", &h, &e),
			      0);
	bd_elf_info_init(&info);
	CU_ASSERT_EQUAL(bd_scan_rest(&sc, &h, "x", &info, sha, NULL, &e), 0);
	CU_ASSERT_EQUAL(info.ei_class, ELFCLASS64);
	CU_ASSERT(sc.cap >= 100 * 1024);
	bd_scan_close(&h);
	bd_elf_info_release(&info);

	bd_scanner_release(&sc);
	unlink(path);
	unlink(small);
	unlink(large);
	free(path);
	free(small);
	free(large);
	free(text);
}

/* What bd_scan_rest says of the len bytes of data, as a file. */
static int rest_of(const void *data, size_t len, struct bd_elf_info *info,
		   struct bd_error *e)
{
	char *path = temp_file(data, len), sha[65];
	struct bd_scanner sc;
	struct bd_scan_head h;
	int rc;

	bd_elf_info_init(info);
	CU_ASSERT_EQUAL_FATAL(bd_scanner_init(&sc), 0);
	CU_ASSERT_EQUAL_FATAL(bd_scan_open(&sc, NULL, path, 0, "f", &h, e), 0);
	rc = bd_scan_rest(&sc, &h, "f", info, sha, NULL, e);
	bd_scan_close(&h);
	bd_scanner_release(&sc);
	unlink(path);
	free(path);
	return rc;
}

/* Mach-O and PE files are named by their format, and only they: a Java
 * class file (the fat magic, then its version), a fat header of no
 * architecture, an MZ header whose e_lfanew points past the bytes read or
 * at no "PE\0\0" (or wraps) are not an ELF file, and nothing more. */
static void test_foreign_binaries(void)
{
	static const struct {
		unsigned char head[16];
		size_t len;
		const char *foreign;
	} cases[] = {
		{ { 0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1 }, 8, "Mach-O" },
		{ { 0xfe, 0xed, 0xfa, 0xce, 0, 0, 0, 18 }, 8, "Mach-O" },
		{ { 0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2 }, 8, "Mach-O" },
		{ { 0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34 }, 8, NULL },
		{ { 0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0 }, 8, NULL },
		{ { 0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0 }, 7, NULL },
	};
	unsigned char pe[0x80] = { 'M', 'Z' };
	struct bd_elf_info info;
	struct bd_error e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(rest_of(cases[i].head, cases[i].len, &info, &e),
				BD_ENOTELF);
		if (cases[i].foreign) {
			CU_ASSERT(info.foreign &&
				  !strcmp(info.foreign, cases[i].foreign));
		} else {
			CU_ASSERT_PTR_NULL(info.foreign);
			CU_ASSERT_STRING_EQUAL(e.msg, "'f': not an ELF file");
		}
		bd_elf_info_release(&info);
	}
	/* e_lfanew at 0x3c: "PE\0\0" at its last possible place, then past
	 * the end, wrapping, and at bytes that are not it. */
	memcpy(pe + 0x7c, "PE\0\0", 4);
	pe[0x3c] = 0x7c;
	CU_ASSERT_EQUAL(rest_of(pe, sizeof(pe), &info, &e), BD_ENOTELF);
	CU_ASSERT(info.foreign && !strcmp(info.foreign, "PE"));
	CU_ASSERT_STRING_EQUAL(e.msg,
			       "'f': a PE file, another system's binary");
	bd_elf_info_release(&info);
	pe[0x3c] = 0x7d;
	CU_ASSERT_EQUAL(rest_of(pe, sizeof(pe), &info, &e), BD_ENOTELF);
	CU_ASSERT_PTR_NULL(info.foreign);
	bd_elf_info_release(&info);
	memset(pe + 0x3c, 0xff, 4);
	CU_ASSERT_EQUAL(rest_of(pe, sizeof(pe), &info, &e), BD_ENOTELF);
	CU_ASSERT_PTR_NULL(info.foreign);
	bd_elf_info_release(&info);
	memset(pe + 0x3c, 0, 4);
	CU_ASSERT_EQUAL(rest_of(pe, sizeof(pe), &info, &e), BD_ENOTELF);
	CU_ASSERT_PTR_NULL(info.foreign);
	bd_elf_info_release(&info);
}

/* Everything a scan says, warnings included, as one text. */
static void describe(const struct bd_elf_info *i, struct bd_buf *b)
{
	size_t k, a;

	bd_buf_printf(b, "%u %u %u %u %u|%s|%s|%s|%s|%s|", i->ei_class,
		      i->ei_data, i->ei_osabi, i->e_type, i->e_machine,
		      i->interp ? i->interp : "-", i->soname ? i->soname : "-",
		      i->rpath ? i->rpath : "-", i->runpath ? i->runpath : "-",
		      i->build_id ? i->build_id : "-");
	for (k = 0; k < i->nneeded; k++)
		bd_buf_printf(b, "%s,", i->needed[k]);
	bd_buf_printf(b, "|%d %d %llx %d %d %d|%s|", i->has_dynamic,
		      i->has_flags_1, (unsigned long long)i->flags_1,
		      i->imports_dlopen, i->dynsym_read, i->linker_script,
		      i->problem ? i->problem : "-");
	bd_buf_printf(b, "%d %s|", i->debug_only,
		      i->foreign ? i->foreign : "-");
	for (k = 0; k < i->npackage_note; k++)
		bd_buf_printf(b, "%s=%s,", i->package_note[k].key,
			      i->package_note[k].value);
	for (k = 0; k < i->ndlopen; k++) {
		bd_buf_printf(b, "[%s %s %s", i->dlopen[k].feature,
			      i->dlopen[k].description, i->dlopen[k].priority);
		for (a = 0; a < i->dlopen[k].nsonames; a++)
			bd_buf_printf(b, " %s", i->dlopen[k].sonames[a]);
		bd_buf_addc(b, ']');
	}
}

/* The Go build information found, as text. */
static void describe_module(const struct bd_go_module *m, struct bd_buf *b)
{
	bd_buf_printf(b, " %s@%s %s", m->path, m->version ? m->version : "-",
		      m->sum ? m->sum : "-");
	if (m->replace)
		bd_buf_printf(b, " => %s@%s", m->replace->path,
			      m->replace->version ? m->replace->version : "-");
}

static void describe_go(const struct bd_go_info *go, struct bd_buf *b)
{
	size_t k;

	if (!go)
		return;
	bd_buf_printf(b, "|go %s path %s:", go->version,
		      go->path ? go->path : "-");
	if (go->main)
		describe_module(go->main, b);
	for (k = 0; k < go->ndeps; k++)
		describe_module(&go->deps[k], b);
	for (k = 0; k < go->nsettings; k++)
		bd_buf_printf(b, " %s=%s", go->settings[k].key,
			      go->settings[k].value);
}

/* The cargo-auditable dependency list found, as text. */
static void describe_cargo(const struct bd_cargo_info *c, struct bd_buf *b)
{
	size_t k;

	if (!c)
		return;
	bd_buf_printf(b, "|cargo %u %zu:", (unsigned)c->format, c->npackages);
	for (k = 0; k < c->npackages; k++) {
		const struct bd_cargo_package *p = &c->packages[k];

		bd_buf_printf(b, " %s@%s %s%s%s", p->name, p->version,
			      p->source, p->build ? " build" : "",
			      p->root ? " root" : "");
	}
}

/* The shipped registry's string rules, compiled once. */
static const struct bd_strrules *shipped_rules(void)
{
	static struct bd_mappings m;
	static bool loaded;
	struct bd_error e;

	if (!loaded) {
		bd_mappings_init(&m);
		CU_ASSERT_EQUAL(bd_mappings_load_dir(&m, "mappings", NULL, &e),
				0);
		CU_ASSERT_EQUAL(bd_mappings_compile(&m, &e), 0);
		loaded = true;
	}
	return m.strings;
}

static void describe_hits(const struct bd_elf_info *i, struct bd_buf *b)
{
	size_t k;

	bd_buf_printf(b, "|hits %d %d:", i->strings.searched,
		      i->strings.capped);
	for (k = 0; k < i->strings.n; k++)
		bd_buf_printf(b, " [%u %s %s %d]", i->strings.items[k].rule,
			      i->strings.items[k].version
				      ? i->strings.items[k].version
				      : "-",
			      i->strings.items[k].text,
			      i->strings.items[k].more);
}

static void collect_report(void *ctx, enum bd_diag_level level, const char *msg)
{
	bd_buf_printf(ctx, "\n%d %s", (int)level, msg);
}

static void scan_described(const char *path, bool whole, struct bd_buf *out)
{
	struct bd_diag d = { collect_report, out };
	struct bd_elf_info info;
	struct bd_scanner sc;
	struct bd_error e;
	struct stat st;
	char sha[65];
	int rc;

	CU_ASSERT_EQUAL_FATAL(bd_scanner_init(&sc), 0);
	sc.whole = whole;
	sc.strings = shipped_rules();
	bd_elf_info_init(&info);
	bd_error_clear(&e);
	rc = bd_scan_file(&sc, NULL, path, path, &info, sha, &st, &d, &e);
	bd_buf_printf(out, "\n%d %s %s|", rc, sha, rc ? e.msg : "");
	describe(&info, out);
	describe_hits(&info, out);
	describe_go(info.go, out);
	describe_cargo(info.cargo, out);
	bd_elf_info_release(&info);
	bd_scanner_release(&sc);
}

/* A large file kept only where the parse reads it says all that it says
 * kept whole: this machine's large libraries, and every file of the
 * malformed corpus made large (padded with zeros). The string rules find
 * the same, in the same order, in the read-only data streamed past as in
 * the file held whole (OpenSSL's banner in libcrypto, SQLite's marker and
 * bare version, glibc's release). */
static void test_planned_read_equals_whole(void)
{
	static const char *const corpus[] = {
		"bad-class.so",
		"bad-data-encoding.so",
		"bad-shentsize.so",
		"dlopen-note-bad-json.so",
		"dlopen-note-entry-without-soname.so",
		"dlopen-note-not-array.so",
		"dynamic-section-beyond-eof.so",
		"dynamic-segment-beyond-eof.so",
		"interp-unterminated",
		"needed-offset-out-of-range.so",
		"note-absurd-size.so",
		"package-note-bad-json.so",
		"package-note-not-object.so",
		"phoff-beyond-eof.so",
		"shoff-beyond-eof.so",
		"strtab-in-no-segment.so",
		"truncated-header.so",
		"truncated-ident.so",
	};
	static const char *const system[] = {
		"/proc/self/exe",
		"/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
		"/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
		"/usr/lib/x86_64-linux-gnu/libsqlite3.so.0",
	};
	struct bd_buf whole = BD_BUF_INIT, planned = BD_BUF_INIT;
	char from[256], *path;
	struct stat st;
	size_t i, large = 0;

	for (i = 0; i < BD_ARRAY_SIZE(corpus) + BD_ARRAY_SIZE(system); i++) {
		if (i < BD_ARRAY_SIZE(corpus)) {
			snprintf(from, sizeof(from), CORPUS "%s", corpus[i]);
			path = temp_copy(from, BD_SCAN_WHOLE,
					 2 * BD_SCAN_WHOLE);
		} else {
			path = strdup(system[i - BD_ARRAY_SIZE(corpus)]);
		}
		if (stat(path, &st) == 0 && st.st_size > BD_SCAN_WHOLE) {
			large++;
			scan_described(path, true, &whole);
			scan_described(path, false, &planned);
		}
		if (i < BD_ARRAY_SIZE(corpus))
			unlink(path);
		free(path);
	}
	CU_ASSERT(large > BD_ARRAY_SIZE(corpus));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&whole), " OpenSSL 3."));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&whole),
				      " database disk image is malformed"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(bd_buf_str(&whole), " stable release version 2."));
	CU_ASSERT_EQUAL(whole.len, planned.len);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&whole), bd_buf_str(&planned));
	bd_buf_release(&whole);
	bd_buf_release(&planned);
}

/*
 * A large ELF64 file made here: a dynamic symbol table, its string table
 * and a dynamic section at the offsets given (section headers at the
 * end, no program headers), the rest zeros. With `second`, another
 * symbol table names the same strings.
 */
struct synth {
	size_t sym_off, str_off, dyn_off;
	const char *strs;
	size_t nstrs;
	const uint32_t *names; /* of the symbols, 0 included */
	const uint16_t *shndx;
	size_t nsyms;
	const uint64_t *dyn; /* tag, value, ..., DT_NULL */
	size_t ndyn;
	bool second;
};

static void synth_section(unsigned char *at, uint32_t type, uint64_t off,
			  uint64_t size, uint32_t link, uint64_t entsize)
{
	Elf64_Shdr sh = { .sh_type = type,
			  .sh_flags = SHF_ALLOC,
			  .sh_offset = off,
			  .sh_size = size,
			  .sh_link = link,
			  .sh_addralign = entsize ? 8 : 1,
			  .sh_entsize = entsize };

	memcpy(at, &sh, sizeof(sh));
}

/* The ELF64 little-endian x86-64 header of a synthesised file: nsec
 * sections at shoff; nph program headers at phoff (none: 0). */
static Elf64_Ehdr synth_ehdr(uint16_t type, uint64_t phoff, size_t nph,
			     uint64_t shoff, size_t nsec)
{
	Elf64_Ehdr eh = { .e_type = type,
			  .e_machine = EM_X86_64,
			  .e_version = EV_CURRENT,
			  .e_phoff = phoff,
			  .e_shoff = shoff,
			  .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_phentsize = nph ? sizeof(Elf64_Phdr) : 0,
			  .e_phnum = (uint16_t)nph,
			  .e_shentsize = sizeof(Elf64_Shdr),
			  .e_shnum = (uint16_t)nsec };

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	return eh;
}

static char *synth_file(const struct synth *f)
{
	size_t size = 3 * BD_SCAN_WHOLE, nsec = f->second ? 5 : 4, i;
	size_t shoff = size - nsec * sizeof(Elf64_Shdr);
	unsigned char *d = calloc(1, size);
	Elf64_Ehdr eh = synth_ehdr(ET_DYN, 0, 0, shoff, nsec);
	char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	memcpy(d, &eh, sizeof(eh));
	memcpy(d + f->str_off, f->strs, f->nstrs);
	for (i = 0; i < f->nsyms; i++) {
		Elf64_Sym sym = { .st_name = f->names[i],
				  .st_info =
					  ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
				  .st_shndx = f->shndx[i] };

		memcpy(d + f->sym_off + i * sizeof(sym), &sym, sizeof(sym));
	}
	for (i = 0; i < f->ndyn; i++) {
		Elf64_Dyn dyn = { .d_tag = (Elf64_Sxword)f->dyn[2 * i],
				  .d_un.d_val = f->dyn[2 * i + 1] };

		memcpy(d + f->dyn_off + i * sizeof(dyn), &dyn, sizeof(dyn));
	}
	synth_section(d + shoff + 64, SHT_DYNSYM, f->sym_off,
		      f->nsyms * sizeof(Elf64_Sym), 2, sizeof(Elf64_Sym));
	synth_section(d + shoff + 128, SHT_STRTAB, f->str_off, f->nstrs, 0, 0);
	synth_section(d + shoff + 192, SHT_DYNAMIC, f->dyn_off,
		      f->ndyn * sizeof(Elf64_Dyn), 2, sizeof(Elf64_Dyn));
	if (f->second)
		synth_section(d + shoff + 256, SHT_DYNSYM, f->sym_off,
			      f->nsyms * sizeof(Elf64_Sym), 2,
			      sizeof(Elf64_Sym));
	path = temp_file(d, size);
	free(d);
	return path;
}

/* The synthetic file says the same planned as whole; its description. */
static void synth_same(const struct synth *f, const char *facts)
{
	struct bd_buf whole = BD_BUF_INIT, planned = BD_BUF_INIT;
	char *path = synth_file(f);

	scan_described(path, true, &whole);
	scan_described(path, false, &planned);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&whole), bd_buf_str(&planned));
	if (!strstr(bd_buf_str(&planned), facts))
		fprintf(stderr, "\n%s\nhas no %s\n", bd_buf_str(&planned),
			facts);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&planned), facts));
	bd_buf_release(&whole);
	bd_buf_release(&planned);
	unlink(path);
	free(path);
}

/*
 * A large file's symbol table and dynamic strings are not held but read
 * as they stream past (plan_syms, plan_strings): the same facts as the
 * file held whole, whatever the order of the tables, where the 64 KiB
 * chunks cut them (the first after BD_SCAN_HEAD), and whatever the
 * names: "dlopen" the tail of a longer string (linkers share tails),
 * defined, or the first symbol (never read); a DT_NEEDED string with no
 * NUL before the table's end; a second symbol table naming the strings.
 */
static void test_streamed_symbols_equal_whole(void)
{
	static const char strs[] = "\0libfoo.so.1\0__x_dlopen\0/opt/r\0"
				   "dlmopen\0libbar.so.2\0dlopen";
	size_t cut = BD_SCAN_HEAD + BD_SCAN_CHUNK;
	/* __x_dlopen's "dlopen" (17), libfoo (1), libbar (39), dlmopen
	 * (31), the unterminated "dlopen" at the end (51), /opt/r (24). */
	static const uint32_t names[] = { 17, 1, 17, 31, 39 };
	static const uint16_t undef[] = { 0, 0, 0, 0, 0 };
	static const uint16_t defined[] = { 0, 7, 7, 7, 7 };
	static const uint16_t first_only[] = { 0, 7, 7, 7, 7 };
	static const uint16_t mopen[] = { 7, 7, 7, 0, 7 };
	static const uint16_t tail_only[] = { 0, 7, 0, 7, 7 };
	static const uint64_t dyn[] = { DT_NEEDED,  1,	DT_NEEDED, 39,
					DT_RUNPATH, 24, DT_SONAME, 51,
					DT_NULL,    0 };
	struct synth f = { 0x20000, cut - 20, 0x30000, strs, sizeof(strs) - 1,
			   names,   undef,    5,       dyn,  5,
			   false };

	/* "__x_dlopen" across the first cut: imported, as a tail. */
	synth_same(&f, "|1 0 0 1 1 0|");
	CU_ASSERT(f.str_off + 17 < cut && f.str_off + 24 > cut);
	/* Only that "dlopen" undefined, the cut right after its 'd', then
	 * right before it: imported. */
	f.shndx = tail_only;
	f.str_off = cut - 18;
	synth_same(&f, "|1 0 0 1 1 0|");
	f.str_off = cut - 17;
	synth_same(&f, "|1 0 0 1 1 0|");
	f.shndx = undef;
	f.str_off = cut - 20;
	/* The strings first, a symbol cut in two, defined names. */
	f.str_off = 0x8000;
	f.sym_off = cut - 32;
	f.shndx = defined;
	synth_same(&f, "|1 0 0 0 1 0|");
	/* Only the first symbol is undefined: not read. */
	f.shndx = first_only;
	synth_same(&f, "|1 0 0 0 1 0|");
	/* dlmopen, undefined, the strings after the symbols. */
	f.shndx = mopen;
	f.str_off = 0x40000;
	synth_same(&f, "|1 0 0 1 1 0|");
	synth_same(&f, "libfoo.so.1,libbar.so.2,|");
	/* A second symbol table naming the strings: they are held. */
	f.second = true;
	synth_same(&f, "|1 0 0 1 1 0|");
}

/* A large ELF64 file of nsec sections of the type given, and a PT_NOTE
 * segment holding a GNU build-id. */
static char *synth_sections(size_t nsec, uint32_t type)
{
	size_t size = 3 * BD_SCAN_WHOLE, i;
	size_t shoff = size - nsec * sizeof(Elf64_Shdr), note = 0x2000;
	unsigned char *d = calloc(1, size);
	Elf64_Ehdr eh = synth_ehdr(ET_REL, 64, 1, shoff, nsec);
	Elf64_Phdr ph = { .p_type = PT_NOTE,
			  .p_offset = note,
			  .p_filesz = 16 + 4 + 8,
			  .p_align = 4 };
	Elf64_Nhdr nh = { 4, 8, NT_GNU_BUILD_ID };
	char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	memcpy(d, &eh, sizeof(eh));
	memcpy(d + 64, &ph, sizeof(ph));
	memcpy(d + note, &nh, sizeof(nh));
	memcpy(d + note + sizeof(nh), "GNU\0\1\2\3\4\5\6\7\10", 12);
	for (i = 1; i < nsec; i++)
		synth_section(d + shoff + i * sizeof(Elf64_Shdr),
			      i == nsec / 2 ? type : SHT_PROGBITS,
			      0x4000 + 16 * i, 16, 0, 0);
	path = temp_file(d, size);
	free(d);
	return path;
}

/*
 * Sections the parse reads nothing of are hidden from libelf in a planned
 * read (sections_unread): the file still has sections, so its PT_NOTE
 * segment is not read, as held whole. With a note section among them,
 * they are read as always.
 */
static void test_unread_sections_hidden(void)
{
	static const uint32_t types[] = { SHT_PROGBITS, SHT_NOTE };
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(types); i++) {
		struct bd_buf whole = BD_BUF_INIT, planned = BD_BUF_INIT;
		char *path = synth_sections(3000, types[i]);

		scan_described(path, true, &whole);
		scan_described(path, false, &planned);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&whole),
				       bd_buf_str(&planned));
		/* No build-id: the segment is not read. */
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&planned), "|-|"));
		CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&planned), "0102030405"));
		bd_buf_release(&whole);
		bd_buf_release(&planned);
		unlink(path);
		free(path);
	}
}

/*
 * A large ELF64 file whose section header offset, 0x2f2f, is read as
 * something else too: with `phdrs_in_header`, its one program header
 * lies in the ELF header, a PT_LOAD of code whose p_filesz is e_shoff
 * (a file with code, not separate debug information); else a PT_INTERP
 * segment is e_shoff's bytes, the path "//". Sections of no interest.
 */
static char *synth_header_shared(bool phdrs_in_header)
{
	size_t size = 3 * BD_SCAN_WHOLE, shoff = 0x2f2f, nsec = 4, i;
	unsigned char *d = calloc(1, size);
	Elf64_Ehdr eh =
		synth_ehdr(ET_DYN, phdrs_in_header ? 8 : 64, 1, shoff, nsec);
	Elf64_Phdr ph = { .p_type = PT_INTERP,
			  .p_offset = offsetof(Elf64_Ehdr, e_shoff),
			  .p_filesz = sizeof(eh.e_shoff) };
	char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	if (phdrs_in_header) {
		/* Its p_type and p_flags; e_shoff is its p_filesz, e_flags
		 * to e_phentsize its p_memsz. */
		eh.e_ident[8] = PT_LOAD;
		eh.e_ident[12] = PF_R | PF_X;
	} else {
		memcpy(d + 64, &ph, sizeof(ph));
	}
	memcpy(d, &eh, sizeof(eh));
	for (i = 1; i < nsec; i++)
		synth_section(d + shoff + i * sizeof(Elf64_Shdr), SHT_PROGBITS,
			      0x4000 + 16 * i, 16, 0, 0);
	path = temp_file(d, size);
	free(d);
	return path;
}

/*
 * Unread sections are hidden by blanking e_shoff, e_shnum and
 * e_shstrndx, which is no change to what the parse reads only if it
 * reads those bytes as nothing else: a program header table or a segment
 * in the ELF header keeps the sections in view, and says what it says
 * held whole (found by fuzz_planned: the table in the header, its code
 * segment's size blanked, said "separate debug information").
 */
static void test_header_read_elsewhere_not_hidden(void)
{
	static const char *const facts[] = { "|0 -|", "|//|" };
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(facts); i++) {
		struct bd_buf whole = BD_BUF_INIT, planned = BD_BUF_INIT;
		char *path = synth_header_shared(i == 0);

		scan_described(path, true, &whole);
		scan_described(path, false, &planned);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&whole),
				       bd_buf_str(&planned));
		if (!strstr(bd_buf_str(&planned), facts[i]))
			fprintf(stderr, "\n%s\nhas no %s\n",
				bd_buf_str(&planned), facts[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&planned), facts[i]));
		bd_buf_release(&whole);
		bd_buf_release(&planned);
		unlink(path);
		free(path);
	}
}

/*
 * A small ELF64 file of program headers only, as a stripped or
 * sectionless file is: a code PT_LOAD over the whole file, a read-only
 * PT_LOAD holding the dynamic string table at its own address, PT_INTERP,
 * PT_DYNAMIC (dyn: tag, value, ..., DT_NULL) and a PT_NOTE of the notes
 * given. A test moves one segment past the end to break only it.
 */
enum { SEG_CODE, SEG_STR, SEG_INTERP, SEG_DYN, SEG_NOTE, SEG_N };
/* What a whole file of them says. */
#define SEG_INTERP_PATH "/lib64/ld-linux-x86-64.so.2"
#define SEG_BUILD_ID	"0102030405060708"
#define SEG_NEEDED	"libfoo.so.1,libbar.so.2,"
#define SEG_STR_OFF	0x180
#define SEG_STR_VADDR	0x100000
#define SEG_INTERP_OFF	0x1c0
#define SEG_DYN_OFF	0x200
#define SEG_NOTE_OFF	0x300
#define SEG_NAME	"lib/x.so"

static const char seg_strs[] = "\0libfoo.so.1\0libbar.so.2";
static const char seg_interp[] = SEG_INTERP_PATH;

static unsigned char *synth_segments(const uint64_t *dyn, size_t ndyn,
				     const void *notes, size_t nnotes,
				     size_t *size)
{
	Elf64_Ehdr eh = synth_ehdr(ET_DYN, sizeof(eh), SEG_N, 0, 0);
	Elf64_Phdr ph[SEG_N] = {
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X },
		{ .p_type = PT_LOAD,
		  .p_flags = PF_R,
		  .p_offset = SEG_STR_OFF,
		  .p_vaddr = SEG_STR_VADDR,
		  .p_filesz = sizeof(seg_strs),
		  .p_memsz = sizeof(seg_strs) },
		{ .p_type = PT_INTERP,
		  .p_offset = SEG_INTERP_OFF,
		  .p_filesz = sizeof(seg_interp) },
		{ .p_type = PT_DYNAMIC,
		  .p_offset = SEG_DYN_OFF,
		  .p_filesz = ndyn * sizeof(Elf64_Dyn) },
		{ .p_type = PT_NOTE,
		  .p_offset = SEG_NOTE_OFF,
		  .p_filesz = nnotes,
		  .p_align = 4 },
	};
	unsigned char *d;
	size_t i;

	*size = SEG_NOTE_OFF + nnotes;
	ph[SEG_CODE].p_filesz = ph[SEG_CODE].p_memsz = *size;
	CU_ASSERT_FATAL(ndyn * sizeof(Elf64_Dyn) <= SEG_NOTE_OFF - SEG_DYN_OFF);
	d = calloc(1, *size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	memcpy(d, &eh, sizeof(eh));
	memcpy(d + sizeof(eh), ph, sizeof(ph));
	memcpy(d + SEG_STR_OFF, seg_strs, sizeof(seg_strs));
	memcpy(d + SEG_INTERP_OFF, seg_interp, sizeof(seg_interp));
	for (i = 0; i < ndyn; i++) {
		Elf64_Dyn e = { .d_tag = (Elf64_Sxword)dyn[2 * i],
				.d_un.d_val = dyn[2 * i + 1] };

		memcpy(d + SEG_DYN_OFF + i * sizeof(e), &e, sizeof(e));
	}
	memcpy(d + SEG_NOTE_OFF, notes, nnotes);
	return d;
}

/* Appends a 4-byte-aligned note of owner and type (its desc NUL-padded
 * to 4, as spec 8 has the JSON); returns its size. */
static size_t note_put(unsigned char *at, const char *owner, uint32_t type,
		       const void *desc, size_t len)
{
	Elf64_Nhdr nh = { (uint32_t)strlen(owner) + 1,
			  (uint32_t)((len + 3) & ~(size_t)3), type };
	size_t name = (nh.n_namesz + 3) & ~(size_t)3;

	memcpy(at, &nh, sizeof(nh));
	memcpy(at + sizeof(nh), owner, nh.n_namesz);
	memcpy(at + sizeof(nh) + name, desc, len);
	return sizeof(nh) + name + nh.n_descsz;
}

/* What a scan of the n bytes at d says, warnings one per line first. */
static void scan_bytes(unsigned char *d, size_t n, struct bd_buf *out)
{
	struct bd_diag diag = { collect_report, out };
	struct bd_elf_info info;
	struct bd_error e;
	int rc;

	bd_elf_info_init(&info);
	bd_error_clear(&e);
	rc = bd_scan_memory(d, n, SEG_NAME, &info, &diag, &e);
	bd_buf_printf(out, "\n%d|", rc);
	describe(&info, out);
	bd_elf_info_release(&info);
}

/*
 * A file without section headers is read through its program headers
 * alone; each segment that lies past the end (or a dynamic segment with
 * no string table) is one warning naming the file and the problem, and
 * what the other segments hold is still read: the interpreter, the
 * DT_NEEDED names, the build-id of the note. The file is kept (0).
 */
static void test_segments_beyond_eof(void)
{
	static const uint64_t dyn[] = {
		DT_NEEDED,     1,	 DT_NEEDED,	   13,	    DT_STRTAB,
		SEG_STR_VADDR, DT_STRSZ, sizeof(seg_strs), DT_NULL, 0
	};
	static const uint64_t no_strtab[] = { DT_NEEDED, 1,
					      DT_NEEDED, 13,
					      DT_STRSZ,	 sizeof(seg_strs),
					      DT_NULL,	 0 };
	static const struct {
		int seg; /* moved past the end; SEG_N: none */
		bool no_strtab;
		const char *said, *facts;
	} cases[] = {
		{ SEG_N, false, "",
		  "|" SEG_INTERP_PATH "|-|-|-|" SEG_BUILD_ID "|" SEG_NEEDED
		  "|" },
		{ SEG_N, true, "dynamic segment has no string table",
		  "|" SEG_INTERP_PATH "|-|-|-|" SEG_BUILD_ID "||" },
		{ SEG_STR, false, "dynamic string table beyond end of file",
		  "|" SEG_INTERP_PATH "|-|-|-|" SEG_BUILD_ID "||" },
		{ SEG_INTERP, false, "PT_INTERP beyond end of file",
		  "|-|-|-|-|" SEG_BUILD_ID "|" SEG_NEEDED "|" },
		{ SEG_NOTE, false, "note segment beyond end of file",
		  "|" SEG_INTERP_PATH "|-|-|-|-|" SEG_NEEDED "|" },
	};
	unsigned char notes[32];
	size_t nnotes, size, i;

	nnotes =
		note_put(notes, "GNU", NT_GNU_BUILD_ID, "\1\2\3\4\5\6\7\10", 8);
	for (i = 0; i < BD_ARRAY_SIZE(cases); i++) {
		struct bd_buf got = BD_BUF_INIT, want = BD_BUF_INIT;
		unsigned char *d =
			cases[i].no_strtab
				? synth_segments(no_strtab, 4, notes, nnotes,
						 &size)
				: synth_segments(dyn, 5, notes, nnotes, &size);
		Elf64_Phdr *ph = (Elf64_Phdr *)(d + sizeof(Elf64_Ehdr));

		if (cases[i].seg != SEG_N)
			ph[cases[i].seg].p_offset = size + 64;
		scan_bytes(d, size, &got);
		if (cases[i].said[0])
			bd_buf_printf(&want, "\n%d '" SEG_NAME "': %s",
				      (int)BD_DIAG_WARNING, cases[i].said);
		bd_buf_printf(&want, "\n0|2 1 0 3 62%s1 0 0 0 0 0|%s|0 -|",
			      cases[i].facts,
			      cases[i].said[0] ? cases[i].said : "-");
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&got), bd_buf_str(&want));
		bd_buf_release(&got);
		bd_buf_release(&want);
		free(d);
	}
}

/* Whether a dlopen entry of info lists soname. */
static bool dlopen_lists(const struct bd_elf_info *info, const char *soname)
{
	size_t k, a;

	for (k = 0; k < info->ndlopen; k++)
		for (a = 0; a < info->dlopen[k].nsonames; a++)
			if (!strcmp(info->dlopen[k].sonames[a], soname))
				return true;
	return false;
}

/*
 * Once a note fills the dlopen entries, later dlopen notes are not even
 * parsed (a hostile file may hold 256 of 64 KiB each): the cap is said
 * once, the entries before it kept, and a package note after them is
 * still read.
 */
static void test_dlopen_notes_past_cap(void)
{
	static const uint64_t dyn[] = { DT_NULL, 0 };
	static const char later[] = "[{\"soname\":[\"liblate.so.1\"]}]";
	static const char pkg[] = "{\"type\":\"deb\",\"name\":\"x\"}";
	struct bd_buf json = BD_BUF_INIT;
	struct seen s = { 0 };
	struct bd_diag diag = { remember, &s };
	struct bd_elf_info info;
	struct bd_error e;
	unsigned char *notes = calloc(1, 64 * 1024), *d;
	size_t n = 0, size, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(notes);
	for (i = 0; i <= BD_SCAN_MAX_DLOPEN_ENTRIES; i++)
		bd_buf_printf(&json, "%c{\"soname\":[\"libd%zu.so\"]}",
			      i ? ',' : '[', i);
	bd_buf_addc(&json, ']');
	CU_ASSERT_FATAL(bd_buf_ok(&json) && json.len < 60 * 1024);
	n += note_put(notes + n, BD_NOTE_OWNER_FDO, BD_NT_FDO_DLOPEN_METADATA,
		      bd_buf_str(&json), json.len + 1);
	n += note_put(notes + n, BD_NOTE_OWNER_FDO, BD_NT_FDO_DLOPEN_METADATA,
		      later, sizeof(later));
	n += note_put(notes + n, BD_NOTE_OWNER_FDO,
		      BD_NT_FDO_PACKAGING_METADATA, pkg, sizeof(pkg));
	d = synth_segments(dyn, 1, notes, n, &size);
	bd_elf_info_init(&info);
	CU_ASSERT_EQUAL(bd_scan_memory(d, size, SEG_NAME, &info, &diag, &e), 0);
	CU_ASSERT_EQUAL(s.warnings, 1);
	CU_ASSERT_STRING_EQUAL(s.last, "'" SEG_NAME "': more than 1024 dlopen "
				       "note entries, keeping the first 1024");
	CU_ASSERT_EQUAL(info.ndlopen, BD_SCAN_MAX_DLOPEN_ENTRIES);
	CU_ASSERT_TRUE(dlopen_lists(&info, "libd1023.so"));
	CU_ASSERT_FALSE(dlopen_lists(&info, "libd1024.so"));
	CU_ASSERT_FALSE(dlopen_lists(&info, "liblate.so.1"));
	CU_ASSERT_EQUAL_FATAL(info.npackage_note, 2);
	CU_ASSERT_STRING_EQUAL(info.package_note[1].value, "x");
	bd_elf_info_release(&info);
	bd_buf_release(&json);
	free(notes);
	free(d);
}

/* The digest is of the bytes read and scanned: a file that shrinks after
 * it was opened is hashed as read, not as it was. */
static void test_hash_is_of_what_was_read(void)
{
	size_t keep = BD_SCAN_HEAD + 1000;
	unsigned char *copy = malloc(4 * BD_SCAN_HEAD);
	struct bd_elf_info info;
	struct bd_scanner sc;
	struct bd_scan_head h;
	struct bd_error e;
	struct seen s;
	struct bd_diag d = { remember, &s };
	char sha[65], want[65], *path;
	int fd;

	memset(&s, 0, sizeof(s));
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	fd = open("/proc/self/exe", O_RDONLY);
	CU_ASSERT_EQUAL_FATAL(read(fd, copy, 4 * BD_SCAN_HEAD),
			      4 * BD_SCAN_HEAD);
	close(fd);
	path = temp_file(copy, 4 * BD_SCAN_HEAD);
	CU_ASSERT_EQUAL_FATAL(bd_scanner_init(&sc), 0);
	CU_ASSERT_EQUAL_FATAL(bd_scan_open(&sc, NULL, path, 0, "t", &h, &e), 0);
	CU_ASSERT_EQUAL(truncate(path, (off_t)keep), 0);
	bd_elf_info_init(&info);
	bd_scan_rest(&sc, &h, "t", &info, sha, &d, &e);
	CU_ASSERT_EQUAL(bd_sha256_hex(copy, keep, want), 0);
	CU_ASSERT_STRING_EQUAL(sha, want);
	CU_ASSERT_EQUAL(info.ei_class, ELFCLASS64);
	bd_scan_close(&h);
	bd_elf_info_release(&info);
	bd_scanner_release(&sc);
	unlink(path);
	free(path);
	free(copy);
}

/* Larger than BD_SCAN_MAX_FILE (a sparse file): refused in the words the
 * safe open uses for its limits, before anything but the head is read. */
static void test_too_large(void)
{
	struct bd_elf_info info;
	struct bd_error e;
	struct seen s;
	char *path = temp_file("\177ELF", 4), sha[65];

	if (truncate(path, (off_t)BD_SCAN_MAX_FILE + 1) == 0) {
		CU_ASSERT_EQUAL(scan(path, &info, &s, &e, sha), BD_ELIMIT);
		CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "': larger than 4 GiB"));
		CU_ASSERT_STRING_EQUAL(sha, "");
		bd_elf_info_release(&info);
	}
	unlink(path);
	free(path);
}

/* Whether the scanner's image, kept for the next file, is all zeros. */
static bool image_clean(const struct bd_scanner *sc)
{
	static const unsigned char zeros[4096];
	size_t at, n;

	for (at = 0; at < sc->image_cap; at += n) {
		n = sc->image_cap - at < sizeof(zeros) ? sc->image_cap - at
						       : sizeof(zeros);
		if (memcmp(sc->image + at, zeros, n))
			return false;
	}
	return true;
}

/* synth_sections' file with its first n sections notes: more ranges than
 * a plan holds, so that it is read whole after its section headers were
 * read into the image. */
static char *synth_notes(size_t n)
{
	char *path = synth_sections(3000, SHT_PROGBITS);
	uint32_t type = SHT_NOTE;
	size_t shoff = 3 * BD_SCAN_WHOLE - 3000 * sizeof(Elf64_Shdr), i;
	int fd = open(path, O_WRONLY);

	CU_ASSERT_FATAL(fd >= 0);
	for (i = 1; i <= n; i++)
		CU_ASSERT_EQUAL(
			pwrite(fd, &type, 4,
			       (off_t)(shoff + i * sizeof(Elf64_Shdr) + 4)),
			4);
	close(fd);
	return path;
}

/*
 * One scanner reads large files one after the other into the image it
 * keeps: after each file the image is all zeros again (what the file
 * wrote, put back), so nothing of a file can be read with the next; once
 * enough pages were written, all are given back (image_dirty back down).
 * And each file says what it says scanned by a scanner of its own: the
 * malformed corpus made large (the parse pointed at offsets where the
 * files before held planned data, this one zeros), a file read whole
 * after its section headers were read into the image, and this machine's
 * large libraries, each read between two others.
 */
static void test_image_reused_clean(void)
{
	static const char *const corpus[] = {
		"dynamic-section-beyond-eof.so",
		"needed-offset-out-of-range.so",
		"package-note-bad-json.so",
		"shoff-beyond-eof.so",
		"strtab-in-no-segment.so",
		"truncated-header.so",
	};
	static const char *const system[] = {
		"/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
		"/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
		"/proc/self/exe",
	};
	struct bd_scanner sc;
	char from[256],
		*paths[BD_ARRAY_SIZE(corpus) + BD_ARRAY_SIZE(system) + 1];
	size_t npaths = 0, i, round, last_dirty = 0;
	bool given_back = false, large = false;

	for (i = 0; i < BD_ARRAY_SIZE(corpus); i++) {
		snprintf(from, sizeof(from), CORPUS "%s", corpus[i]);
		paths[npaths++] =
			temp_copy(from, BD_SCAN_WHOLE, 2 * BD_SCAN_WHOLE);
	}
	paths[npaths++] = synth_notes(1100);
	for (i = 0; i < BD_ARRAY_SIZE(system); i++)
		paths[npaths++] = strdup(system[i]);
	CU_ASSERT_EQUAL_FATAL(bd_scanner_init(&sc), 0);
	sc.strings = shipped_rules();
	for (round = 0; round < 4; round++) {
		for (i = 0; i < npaths; i++) {
			struct bd_buf fresh = BD_BUF_INIT, reused = BD_BUF_INIT;
			struct bd_diag d = { collect_report, &reused };
			struct bd_elf_info info;
			struct bd_error e;
			struct stat st;
			char sha[65];
			int rc;

			/* The files in another order each round. */
			const char *path = paths[(i * (round + 1)) % npaths];

			if (stat(path, &st) != 0 || st.st_size <= BD_SCAN_WHOLE)
				continue;
			large = true;
			scan_described(path, false, &fresh);
			bd_elf_info_init(&info);
			bd_error_clear(&e);
			rc = bd_scan_file(&sc, NULL, path, path, &info, sha,
					  &st, &d, &e);
			bd_buf_printf(&reused, "\n%d %s %s|", rc, sha,
				      rc ? e.msg : "");
			describe(&info, &reused);
			describe_hits(&info, &reused);
			bd_elf_info_release(&info);
			CU_ASSERT_STRING_EQUAL(bd_buf_str(&reused),
					       bd_buf_str(&fresh));
			CU_ASSERT_PTR_NOT_NULL(sc.image);
			CU_ASSERT_TRUE(image_clean(&sc));
			if (sc.image_dirty < last_dirty)
				given_back = true;
			last_dirty = sc.image_dirty;
			bd_buf_release(&fresh);
			bd_buf_release(&reused);
		}
	}
	CU_ASSERT_TRUE(large);
	CU_ASSERT_TRUE(given_back);
	bd_scanner_idle(&sc);
	CU_ASSERT_PTR_NULL(sc.image);
	bd_scanner_release(&sc);
	for (i = 0; i < npaths; i++) {
		if (i <= BD_ARRAY_SIZE(corpus))
			unlink(paths[i]);
		free(paths[i]);
	}
}

/*
 * A page of the image is counted once however many files write it: the
 * same large file read again writes the same pages, and image_dirty stays
 * what its first read made it. Counted once a file, a Debian root's
 * headers and dynamic symbols, written by every file at the same offsets,
 * had the image given back a dozen times a run, its pages faulted in
 * again each time.
 */
static void test_image_pages_counted_once(void)
{
	char *path = temp_copy("/proc/self/exe", 100 * 1024, 3 * BD_SCAN_WHOLE);
	struct bd_scanner sc;
	size_t dirty[3], i;

	CU_ASSERT_EQUAL_FATAL(bd_scanner_init(&sc), 0);
	for (i = 0; i < BD_ARRAY_SIZE(dirty); i++) {
		struct bd_elf_info info;
		struct bd_error e;
		struct stat st;
		char sha[65];

		bd_elf_info_init(&info);
		CU_ASSERT_EQUAL(bd_scan_file(&sc, NULL, path, path, &info, sha,
					     &st, NULL, &e),
				0);
		bd_elf_info_release(&info);
		CU_ASSERT_PTR_NOT_NULL(sc.image);
		CU_ASSERT_TRUE(image_clean(&sc));
		dirty[i] = sc.image_dirty;
	}
	CU_ASSERT(dirty[0] > 0);
	CU_ASSERT_EQUAL(dirty[1], dirty[0]);
	CU_ASSERT_EQUAL(dirty[2], dirty[0]);
	bd_scanner_release(&sc);
	unlink(path);
	free(path);
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(bd_elf_class_name(ELFCLASS32), "ELF32");
	CU_ASSERT_PTR_NULL(bd_elf_class_name(9));
	CU_ASSERT_STRING_EQUAL(bd_elf_machine_name(EM_AARCH64), "aarch64");
	CU_ASSERT_PTR_NULL(bd_elf_machine_name(0xfff0));
	CU_ASSERT_TRUE(bd_scan_is_elf("\177ELF", 4));
	CU_ASSERT_FALSE(bd_scan_is_elf("\177EL", 3));
}

/* Names of shared objects: "X.so" whatever X, and versioned names of
 * libraries ("lib...", or no dot before ".so"); not a README named after
 * one (Debian's libblas-dev has "README.if-you-look-for-libcblas.so.3"). */
static void test_so_names(void)
{
	static const char *const yes[] = {
		"libz.so",
		"libz.so.1",
		"libz.so.1.2.13",
		"libpython3.11.so.1.0",
		"ld-linux-x86-64.so.2",
		"ld64.so.1",
		"pam_unix.so",
		"_ssl.cpython-311-x86_64-linux-gnu.so",
		"libstdc++.so.6",
		"x.so",
	};
	static const char *const no[] = {
		"README.if-you-look-for-libcblas.so.3",
		".so",
		"libz.so.",
		"libz.so.x",
		"libz.so.1a",
		"libz.sox",
		"notes.v2.so.1",
		"libz.a",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!bd_scan_so_name(yes[i]))
			CU_FAIL(yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (bd_scan_so_name(no[i]))
			CU_FAIL(no[i]);
}

/* Every width from 0 to 8, both byte orders, at every alignment: the
 * same as a byte at a time. The fast widths (2, 4, 8) load and swap. */
static void test_load_uint(void)
{
	unsigned char b[16];
	size_t n, at, i;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)(0x81 + 37 * i);
	for (n = 0; n <= 8; n++) {
		for (at = 0; at + n <= sizeof(b); at++) {
			uint64_t be = 0, le = 0;

			for (i = 0; i < n; i++) {
				be = be << 8 | b[at + i];
				le = le << 8 | b[at + n - 1 - i];
			}
			CU_ASSERT_EQUAL(bd_load_uint(b + at, n, true), be);
			CU_ASSERT_EQUAL(bd_load_uint(b + at, n, false), le);
		}
	}
	CU_ASSERT_EQUAL(
		bd_load_uint((const unsigned char *)"\x12\x34", 2, true),
		0x1234u);
	CU_ASSERT_EQUAL(
		bd_load_uint((const unsigned char *)"\x12\x34", 2, false),
		0x3412u);
	CU_ASSERT_EQUAL(bd_load_uint((const unsigned char *)"\xff\xff\xff\xff"
							    "\xff\xff\xff\xfe",
				     8, true),
			UINT64_C(0xfffffffffffffffe));
}

/* ---- Go build information ---- */

/* A Go-like ELF64 file of size bytes: a read-execute PT_LOAD up to `at`,
 * a read-write one from there (at 0x400000 + offset) holding blob, and,
 * with sections, a .go.buildinfo section over the blob (of type type). */
static void go_file(unsigned char *d, size_t size, size_t at,
		    const unsigned char *blob, size_t len, bool sections,
		    uint32_t type)
{
	static const char names[] = "\0.go.buildinfo\0.shstrtab";
	size_t shoff = size - 3 * sizeof(Elf64_Shdr), noff = shoff - 32;
	Elf64_Ehdr eh = synth_ehdr(ET_EXEC, sizeof(Elf64_Ehdr), 2,
				   sections ? shoff : 0, sections ? 3 : 0);
	Elf64_Phdr ph[2] = {
		{ .p_type = PT_LOAD,
		  .p_flags = PF_R | PF_X,
		  .p_vaddr = 0x400000,
		  .p_filesz = at,
		  .p_memsz = at },
		{ .p_type = PT_LOAD,
		  .p_flags = PF_R | PF_W,
		  .p_offset = at,
		  .p_vaddr = 0x400000 + at,
		  .p_filesz = noff - at,
		  .p_memsz = noff - at },
	};
	Elf64_Shdr sh[3] = {
		{ 0 },
		{ .sh_name = 1,
		  .sh_type = type,
		  .sh_flags = SHF_ALLOC | SHF_WRITE,
		  .sh_addr = 0x400000 + at,
		  .sh_offset = at,
		  .sh_size = len,
		  .sh_addralign = 16 },
		{ .sh_name = 15,
		  .sh_type = SHT_STRTAB,
		  .sh_offset = noff,
		  .sh_size = sizeof(names) },
	};

	memset(d, 0, size);
	eh.e_shstrndx = sections ? 2 : 0;
	memcpy(d, &eh, sizeof(eh));
	memcpy(d + sizeof(eh), ph, sizeof(ph));
	memcpy(d + at, blob, len);
	if (sections) {
		memcpy(d + noff, names, sizeof(names));
		memcpy(d + shoff, sh, sizeof(sh));
	}
}

static void go_put64(unsigned char *p, uint64_t v)
{
	size_t i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static size_t go_uvarint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	for (; v >= 0x80; v >>= 7)
		p[n++] = (unsigned char)(v | 0x80);
	p[n++] = (unsigned char)v;
	return n;
}

/* A module list of n modules, framed as cmd/go frames it. */
static void go_list(struct bd_buf *b, size_t n)
{
	size_t i;

	bd_buf_add(b,
		   "\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07"
		   "\xe6\xd6\x18\xe6",
		   16);
	bd_buf_adds(b, "path\texample.com/app\n"
		       "mod\texample.com/app\tv1.2.3\th1:main=\n");
	for (i = 0; i < n; i++)
		bd_buf_printf(
			b, "dep\tgithub.com/org/module%zu\tv0.%zu.0\th1:%zu=\n",
			i, i, i);
	bd_buf_adds(b, "build\tGOOS=linux\nbuild\tvcs.revision=abc\n");
	bd_buf_add(b,
		   "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10"
		   "\x41\x16\xd8\xf2",
		   16);
}

/* The blob of Go 1.18 and later (inline), else of Go 1.17 (pointers, for
 * a blob at address addr). */
static size_t go_blob(unsigned char *out, bool inline_strings, uint64_t addr,
		      const char *version, const struct bd_buf *list)
{
	size_t n = 32, vlen = strlen(version);

	memcpy(out, "\xff Go buildinf:", 14);
	out[14] = 8;
	out[15] = inline_strings ? 2 : 0;
	if (inline_strings) {
		n += go_uvarint(out + n, vlen);
		memcpy(out + n, version, vlen);
		n += vlen;
		n += go_uvarint(out + n, list->len);
		memcpy(out + n, list->data, list->len);
		return n + list->len;
	}
	/* Pointers to the string headers at 32 and 48, their strings at 64
	 * and after the version. */
	go_put64(out + 16, addr + 32);
	go_put64(out + 24, addr + 48);
	go_put64(out + 32, addr + 64);
	go_put64(out + 40, vlen);
	go_put64(out + 48, addr + 64 + vlen);
	go_put64(out + 56, list->len);
	memcpy(out + 64, version, vlen);
	memcpy(out + 64 + vlen, list->data, list->len);
	return 64 + vlen + list->len;
}

/*
 * A large Go binary read planned says what it says read whole, its
 * module list (150 KiB, cut by the read's chunks) and its version inline
 * or through pointers, found through its section or by the magic in its
 * writable segment; a small one is read whole the same way. A broken blob
 * is one problem, the same both ways.
 */
static void test_go_build_info_planned_equals_whole(void)
{
	size_t size = 3 * BD_SCAN_WHOLE, at = 0x50000, k, len;
	/* Zeroed: the blob's padding and the file's gaps are written out
	 * whole (valgrind: no uninitialised byte given to write(2)). */
	unsigned char *d = calloc(1, size), *blob = calloc(1, size);
	struct bd_buf list = BD_BUF_INIT, whole = BD_BUF_INIT,
		      planned = BD_BUF_INIT;
	char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(blob);
	go_list(&list, 3000);
	CU_ASSERT_FATAL(list.len > 2 * BD_SCAN_CHUNK && bd_buf_ok(&list));
	for (k = 0; k < 5; k++) {
		bd_buf_reset(&whole);
		bd_buf_reset(&planned);
		len = go_blob(blob, k % 2 == 0, 0x400000 + at, "go1.21.5",
			      &list);
		if (k == 4)
			blob[32] = 0xff; /* a version of 13311 bytes */
		go_file(d, size, at, blob, len, k < 2 || k == 4, SHT_PROGBITS);
		path = temp_file(d, size);
		scan_described(path, true, &whole);
		scan_described(path, false, &planned);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&whole),
				       bd_buf_str(&planned));
		if (k == 4) {
			CU_ASSERT_PTR_NOT_NULL(strstr(
				bd_buf_str(&whole),
				"Go build info: its version of 13311 bytes is "
				"over the limit of 256"));
			CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&whole), "|go "));
		} else {
			CU_ASSERT_PTR_NOT_NULL(
				strstr(bd_buf_str(&whole),
				       "|go go1.21.5 path example.com/app: "
				       "example.com/app@v1.2.3 h1:main="));
			CU_ASSERT_PTR_NOT_NULL(
				strstr(bd_buf_str(&whole),
				       " github.com/org/module2999@v0.2999.0 "
				       "h1:2999= GOOS=linux vcs.revision=abc"));
		}
		unlink(path);
		free(path);
	}
	bd_buf_release(&whole);
	bd_buf_release(&planned);
	bd_buf_release(&list);
	free(blob);
	free(d);
}

/* Separate debug information keeps the section's header with no bytes
 * (SHT_NOBITS): no Go build information, even where the bytes it names
 * hold a blob, and nothing said. */
static void test_go_debug_file_quiet(void)
{
	size_t size = 64 * 1024;
	unsigned char *d = calloc(1, size), blob[256] = { 0 };
	struct bd_buf list = BD_BUF_INIT;
	struct bd_elf_info info;
	struct bd_error e;
	struct seen seen;
	char *path, sha[65];

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	go_list(&list, 0);
	go_file(d, size, 0x1000, blob, go_blob(blob, true, 0, "go1", &list),
		true, SHT_NOBITS);
	path = temp_file(d, size);
	scan(path, &info, &seen, &e, sha);
	CU_ASSERT_PTR_NULL(info.go);
	CU_ASSERT_EQUAL(seen.warnings, 0);
	bd_elf_info_release(&info);
	unlink(path);
	free(path);
	free(d);
	bd_buf_release(&list);
}

/* ---- cargo-auditable's dependency list ---- */

/* An ELF64 program of size bytes whose section .dep-v0 (of type type and
 * flags flags, at offset at, of len bytes as its header says) holds
 * dep[0..n), as cargo-auditable's linker output has it: in no segment. */
static void dep_file(unsigned char *d, size_t size, size_t at,
		     const struct bd_buf *dep, uint64_t len, uint32_t type,
		     uint64_t flags)
{
	static const char names[] = "\0.dep-v0\0.shstrtab";
	size_t shoff = size - 3 * sizeof(Elf64_Shdr), noff = shoff - 32;
	Elf64_Ehdr eh = synth_ehdr(ET_EXEC, sizeof(Elf64_Ehdr), 1, shoff, 3);
	Elf64_Phdr ph = { .p_type = PT_LOAD,
			  .p_flags = PF_R | PF_X,
			  .p_vaddr = 0x400000,
			  .p_filesz = 0x1000,
			  .p_memsz = 0x1000 };
	Elf64_Shdr sh[3] = {
		{ 0 },
		{ .sh_name = 1,
		  .sh_type = type,
		  .sh_flags = flags,
		  .sh_offset = at,
		  .sh_size = len,
		  .sh_addralign = 1 },
		{ .sh_name = 9,
		  .sh_type = SHT_STRTAB,
		  .sh_offset = noff,
		  .sh_size = sizeof(names) },
	};

	memset(d, 0, size);
	eh.e_shstrndx = 2;
	memcpy(d, &eh, sizeof(eh));
	memcpy(d + sizeof(eh), &ph, sizeof(ph));
	if (at < noff)
		memcpy(d + at, dep->data,
		       dep->len < noff - at ? dep->len : noff - at);
	memcpy(d + noff, names, sizeof(names));
	memcpy(d + shoff, sh, sizeof(sh));
}

/* A list of n crates.io packages after a root from a path, and a build
 * dependency. */
static void dep_list(struct bd_buf *json, size_t n)
{
	size_t i;

	bd_buf_adds(json, "{\"packages\":[{\"name\":\"app\",\"version\":"
			  "\"0.1.0\",\"source\":\"local\",\"root\":true},"
			  "{\"name\":\"cc\",\"version\":\"1.0.90\","
			  "\"source\":\"crates.io\",\"kind\":\"build\"}");
	for (i = 0; i < n; i++)
		bd_buf_printf(json,
			      ",{\"name\":\"crate%zu\",\"version\":\"1.%zu.0\","
			      "\"source\":\"crates.io\",\"dependencies\":[0]}",
			      i, i);
	bd_buf_adds(json, "],\"format\":1}");
}

/*
 * A large Rust program read planned says what it says read whole: its
 * dependency list (a stored zlib stream of 200 KiB, cut by the read's
 * chunks) found by its section's name, in no segment; a small one read
 * whole says the same. A section of no bytes (SHT_NOBITS) is none, said
 * nothing of; one compressed, over the limit, past the end of the file
 * or not zlib is one problem, the same both ways.
 */
static void test_cargo_planned_equals_whole(void)
{
	static const struct {
		size_t size, at;
		uint32_t type;
		uint64_t flags, len; /* 0: the stream's */
		bool corrupt;
		const char *want; /* in the whole read's description */
	} v[] = {
		{ 3 * BD_SCAN_WHOLE, 0x50000, SHT_PROGBITS, 0, 0, false,
		  "|cargo 1 3002: app@0.1.0 local root cc@1.0.90 crates.io "
		  "build crate0@1.0.0 crates.io" },
		{ 3 * BD_SCAN_WHOLE, 0x50000, SHT_PROGBITS, SHF_ALLOC, 0, false,
		  " crate2999@1.2999.0 crates.io" },
		{ 3 * BD_SCAN_WHOLE, 0x50000, SHT_NOBITS, 0, 0, false, "|-|" },
		{ 3 * BD_SCAN_WHOLE, 0x50000, SHT_PROGBITS, SHF_COMPRESSED, 0,
		  false,
		  "cargo-auditable dependency list: section .dep-v0 is "
		  "compressed (SHF_COMPRESSED), not read" },
		{ 3 * BD_SCAN_WHOLE, 0x50000, SHT_PROGBITS, 0,
		  BD_CARGO_MAX_SECTION + 1, false,
		  "cargo-auditable dependency list: section .dep-v0 of "
		  "8388609 bytes is over the limit of 8 MiB, not read" },
		{ 3 * BD_SCAN_WHOLE, 3 * BD_SCAN_WHOLE - 0x1000, SHT_PROGBITS,
		  0, 0x2000, false,
		  "cargo-auditable dependency list: section .dep-v0 runs past "
		  "the end of the file" },
		{ 3 * BD_SCAN_WHOLE, 0x50000, SHT_PROGBITS, 0, 0, true,
		  "cargo-auditable dependency list: not a zlib stream (its "
		  "header check fails)" },
	};
	size_t size = 3 * BD_SCAN_WHOLE, k;
	unsigned char *d = malloc(size);
	struct bd_buf json = BD_BUF_INIT, dep = BD_BUF_INIT,
		      whole = BD_BUF_INIT, planned = BD_BUF_INIT;
	char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	dep_list(&json, 3000);
	bd_test_zlib_stored(&dep, json.data, json.len);
	CU_ASSERT_FATAL(dep.len > 3 * BD_SCAN_CHUNK && bd_buf_ok(&dep));
	for (k = 0; k < BD_ARRAY_SIZE(v); k++) {
		bd_buf_reset(&whole);
		bd_buf_reset(&planned);
		dep.data[1] = v[k].corrupt ? 0x02 : 0x01;
		dep_file(d, v[k].size, v[k].at, &dep,
			 v[k].len ? v[k].len : dep.len, v[k].type, v[k].flags);
		path = temp_file(d, v[k].size);
		scan_described(path, true, &whole);
		scan_described(path, false, &planned);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&whole),
				       bd_buf_str(&planned));
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&whole), v[k].want));
		unlink(path);
		free(path);
	}
	bd_buf_release(&whole);
	bd_buf_release(&planned);
	bd_buf_release(&json);
	bd_buf_release(&dep);
	free(d);
}

/* A small file, read whole, and its list: one problem for a list that is
 * no JSON object, the file read all the same. */
static void test_cargo_small_file(void)
{
	size_t size = 64 * 1024;
	unsigned char *d = calloc(1, size);
	struct bd_buf json = BD_BUF_INIT, dep = BD_BUF_INIT, out = BD_BUF_INIT;
	char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	dep_list(&json, 2);
	bd_test_zlib_stored(&dep, json.data, json.len);
	dep_file(d, size, 0x2000, &dep, dep.len, SHT_PROGBITS, 0);
	path = temp_file(d, size);
	scan_described(path, false, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&out), "|-|0 -|"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		bd_buf_str(&out),
		"|cargo 1 4: app@0.1.0 local root cc@1.0.90 crates.io build "
		"crate0@1.0.0 crates.io crate1@1.1.0 crates.io"));

	unlink(path);
	free(path);
	bd_buf_reset(&dep);
	bd_buf_reset(&out);
	bd_test_zlib_stored(&dep, "[]", 2);
	dep_file(d, size, 0x2000, &dep, dep.len, SHT_PROGBITS, 0);
	path = temp_file(d, size);
	scan_described(path, false, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		bd_buf_str(&out),
		"cargo-auditable dependency list: its text is not a JSON "
		"object"));
	CU_ASSERT_PTR_NULL(strstr(bd_buf_str(&out), "|cargo "));
	unlink(path);
	free(path);
	bd_buf_release(&json);
	bd_buf_release(&dep);
	bd_buf_release(&out);
	free(d);
}

void bd_test_register_scan(void)
{
	BD_SUITE("scan", BD_TEST(test_scans_itself),
		 BD_TEST(test_fatal_problems), BD_TEST(test_partial_problems),
		 BD_TEST(test_package_note_read_through_sections),
		 BD_TEST(test_scanner_reused), BD_TEST(test_head_first),
		 BD_TEST(test_foreign_binaries), BD_TEST(test_so_names),
		 BD_TEST(test_planned_read_equals_whole),
		 BD_TEST(test_streamed_symbols_equal_whole),
		 BD_TEST(test_unread_sections_hidden),
		 BD_TEST(test_header_read_elsewhere_not_hidden),
		 BD_TEST(test_segments_beyond_eof),
		 BD_TEST(test_dlopen_notes_past_cap),
		 BD_TEST(test_image_reused_clean),
		 BD_TEST(test_image_pages_counted_once),
		 BD_TEST(test_hash_is_of_what_was_read),
		 BD_TEST(test_too_large), BD_TEST(test_names),
		 BD_TEST(test_load_uint),
		 BD_TEST(test_go_build_info_planned_equals_whole),
		 BD_TEST(test_go_debug_file_quiet),
		 BD_TEST(test_cargo_planned_equals_whole),
		 BD_TEST(test_cargo_small_file));
}
