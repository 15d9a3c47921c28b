/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/target.h"

#include <elf.h>
#include <string.h>

static void test_debian_x86_64(void)
{
	struct bd_target t;

	bd_target_for(ELFCLASS64, EM_X86_64, ELFDATA2LSB,
		      "/lib64/ld-linux-x86-64.so.2", true, &t);
	CU_ASSERT_STRING_EQUAL(t.lib, "lib/x86_64-linux-gnu");
	CU_ASSERT_STRING_EQUAL(t.platform, "x86_64");
	CU_ASSERT_STRING_EQUAL(t.hwcaps[0], "x86-64-v4");
	CU_ASSERT_STRING_EQUAL(t.hwcaps[2], "x86-64-v2");
	CU_ASSERT_PTR_NULL(t.hwcaps[3]);
	/* As ld.so --help lists them on Debian 12. */
	CU_ASSERT_EQUAL_FATAL(t.ndirs, 4);
	CU_ASSERT_STRING_EQUAL(t.dirs[0], "/lib/x86_64-linux-gnu");
	CU_ASSERT_STRING_EQUAL(t.dirs[1], "/usr/lib/x86_64-linux-gnu");
	CU_ASSERT_STRING_EQUAL(t.dirs[2], "/lib");
	CU_ASSERT_STRING_EQUAL(t.dirs[3], "/usr/lib");
}

static void test_other_layouts(void)
{
	struct bd_target t;

	bd_target_for(ELFCLASS64, EM_X86_64, ELFDATA2LSB, NULL, false, &t);
	CU_ASSERT_STRING_EQUAL(t.lib, "lib64");
	CU_ASSERT_EQUAL_FATAL(t.ndirs, 2);
	CU_ASSERT_STRING_EQUAL(t.dirs[0], "/lib64");
	bd_target_for(ELFCLASS32, EM_ARM, ELFDATA2LSB,
		      "/lib/ld-linux-armhf.so.3", true, &t);
	CU_ASSERT_STRING_EQUAL(t.dirs[0], "/lib/arm-linux-gnueabihf");
	bd_target_for(ELFCLASS32, EM_ARM, ELFDATA2LSB, "/lib/ld-linux.so.3",
		      true, &t);
	CU_ASSERT_STRING_EQUAL(t.dirs[0], "/lib/arm-linux-gnueabi");
	bd_target_for(ELFCLASS64, EM_PPC64, ELFDATA2LSB, NULL, true, &t);
	CU_ASSERT_STRING_EQUAL(t.dirs[1], "/usr/lib/powerpc64le-linux-gnu");
	CU_ASSERT_STRING_EQUAL(t.hwcaps[0], "power10");
	bd_target_for(ELFCLASS64, EM_PPC64, ELFDATA2MSB, NULL, true, &t);
	CU_ASSERT_STRING_EQUAL(t.dirs[0], "/lib/powerpc64-linux-gnu");
	bd_target_for(ELFCLASS32, EM_386, ELFDATA2LSB, NULL, false, &t);
	CU_ASSERT_STRING_EQUAL(t.lib, "lib");
	CU_ASSERT_STRING_EQUAL(t.dirs[0], "/lib");
	bd_target_for(ELFCLASS64, EM_X86_64, ELFDATA2LSB,
		      "/lib/ld-musl-x86_64.so.1", false, &t);
	CU_ASSERT_EQUAL_FATAL(t.ndirs, 3);
	CU_ASSERT_STRING_EQUAL(t.dirs[1], "/usr/local/lib");
	/* A machine we know nothing of still gets the generic directories. */
	bd_target_for(ELFCLASS32, 0x1234, ELFDATA2LSB, NULL, true, &t);
	CU_ASSERT_PTR_NULL(t.triplet);
	CU_ASSERT_EQUAL(t.ndirs, 2);
}

void bd_test_register_target(void)
{
	BD_SUITE("target", BD_TEST(test_debian_x86_64),
		 BD_TEST(test_other_layouts));
}
