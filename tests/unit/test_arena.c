/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/arena.h"

#include <stdint.h>
#include <string.h>

static void test_strings_survive_many_blocks(void)
{
	struct bd_arena a;
	char *first, *p = NULL;
	int i;

	bd_arena_init(&a);
	first = bd_arena_strdup(&a, "first");
	for (i = 0; i < 10000; i++)
		p = bd_arena_printf(&a, "string number %d", i);
	CU_ASSERT_STRING_EQUAL(first, "first");
	CU_ASSERT_STRING_EQUAL(p, "string number 9999");
	bd_arena_release(&a);
	CU_ASSERT_PTR_NULL(a.head);
}

static void test_alloc_is_zeroed_and_aligned(void)
{
	struct bd_arena a;
	unsigned char *big;
	void *small;
	size_t i;

	bd_arena_init(&a);
	small = bd_arena_alloc(&a, 3);
	big = bd_arena_alloc(&a, 100000); /* larger than a block */
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	CU_ASSERT_EQUAL((uintptr_t)small % _Alignof(max_align_t), 0);
	CU_ASSERT_EQUAL((uintptr_t)big % _Alignof(max_align_t), 0);
	for (i = 0; i < 100000; i++) {
		if (big[i])
			break;
	}
	CU_ASSERT_EQUAL(i, 100000);
	/* The head block still serves small requests after a big one. */
	CU_ASSERT_PTR_NOT_NULL(bd_arena_strndup(&a, "abcdef", 3));
	CU_ASSERT_STRING_EQUAL(bd_arena_strndup(&a, "abcdef", 3), "abc");
	CU_ASSERT_PTR_NULL(bd_arena_strdup(&a, NULL));
	CU_ASSERT_PTR_NULL(bd_arena_alloc(&a, SIZE_MAX));
	bd_arena_release(&a);
}

void bd_test_register_arena(void)
{
	BD_SUITE("arena", BD_TEST(test_strings_survive_many_blocks),
		 BD_TEST(test_alloc_is_zeroed_and_aligned));
}
