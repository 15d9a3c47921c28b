/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/scan.h"

#include <elf.h>
#include <string.h>

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
	return bd_scan_file(NULL, path, path, info, sha, &st, &d, e);
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

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(bd_elf_class_name(ELFCLASS32), "ELF32");
	CU_ASSERT_PTR_NULL(bd_elf_class_name(9));
	CU_ASSERT_STRING_EQUAL(bd_elf_machine_name(EM_AARCH64), "aarch64");
	CU_ASSERT_PTR_NULL(bd_elf_machine_name(0xfff0));
	CU_ASSERT_TRUE(bd_scan_is_elf("\177ELF", 4));
	CU_ASSERT_FALSE(bd_scan_is_elf("\177EL", 3));
}

void bd_test_register_scan(void)
{
	BD_SUITE("scan", BD_TEST(test_scans_itself),
		 BD_TEST(test_fatal_problems), BD_TEST(test_partial_problems),
		 BD_TEST(test_package_note_read_through_sections),
		 BD_TEST(test_names));
}
