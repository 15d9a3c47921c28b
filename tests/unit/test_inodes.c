/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/error.h"
#include "bindep/inodes.h"

#include <stdint.h>

/* 100,000 keys added to a table all zeros: it grows (from 16 slots) and
 * keeps every one with its value; a key added again keeps its place and
 * takes the new value; keys never added, and ino 0 of a device, are not
 * there. */
static void test_add_grows_and_keeps(void)
{
	struct bd_inodes s = { NULL, 0, 0 };
	uint32_t v = 0;
	size_t i, missing = 0, wrong = 0, failed = 0;

	CU_ASSERT_FALSE(bd_inodes_get(&s, 1, 1, NULL));
	for (i = 0; i < 100000; i++)
		failed +=
			bd_inodes_add(&s, (dev_t)(i % 3), (ino_t)(i * 7919 + 1),
				      (uint32_t)i) != 0;
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_EQUAL(s.count, 100000);
	CU_ASSERT(4 * s.count <= 3 * (s.mask + 1));
	for (i = 0; i < 100000; i++) {
		if (!bd_inodes_get(&s, (dev_t)(i % 3), (ino_t)(i * 7919 + 1),
				   &v))
			missing++;
		else if (v != i)
			wrong++;
	}
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_FALSE(bd_inodes_get(&s, 0, 0, NULL));
	CU_ASSERT_FALSE(bd_inodes_get(&s, 3, 1, NULL)); /* another device */
	CU_ASSERT_FALSE(bd_inodes_get(&s, 1, 1, NULL)); /* i = 0 is dev 0 */
	CU_ASSERT_EQUAL(bd_inodes_add(&s, 0, 1, 42), 0);
	CU_ASSERT_EQUAL(s.count, 100000);
	CU_ASSERT(bd_inodes_get(&s, 0, 1, &v) && v == 42);
	/* UINT32_MAX means a free slot: refused. */
	CU_ASSERT_EQUAL(bd_inodes_add(&s, 9, 9, UINT32_MAX), BD_ENOMEM);
	CU_ASSERT_FALSE(bd_inodes_get(&s, 9, 9, NULL));
	bd_inodes_release(&s);
	CU_ASSERT_PTR_NULL(s.slots);
	CU_ASSERT_FALSE(bd_inodes_get(&s, 0, 1, NULL));
}

/* A table made for n keys takes n puts, all kept, with the same inode on
 * different devices and the same device with inodes that differ in their
 * high bits only. */
static void test_put_sized(void)
{
	struct bd_inodes s;
	size_t i, found = 0;
	uint32_t v;

	CU_ASSERT_EQUAL_FATAL(bd_inodes_init(&s, 4096), 0);
	CU_ASSERT(s.mask + 1 >= 2 * 4096);
	for (i = 0; i < 2048; i++) {
		bd_inodes_put(&s, (dev_t)i, 5, (uint32_t)i);
		bd_inodes_put(&s, 7, (ino_t)((uint64_t)i << 40), (uint32_t)i);
	}
	for (i = 0; i < 2048; i++) {
		found += bd_inodes_get(&s, (dev_t)i, 5, &v) && v == i;
		found += bd_inodes_get(&s, 7, (ino_t)((uint64_t)i << 40), &v) &&
			 v == i;
	}
	CU_ASSERT_EQUAL(found, 4096);
	bd_inodes_release(&s);
}

void bd_test_register_inodes(void)
{
	BD_SUITE("inodes", BD_TEST(test_add_grows_and_keeps),
		 BD_TEST(test_put_sized));
}
