/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/arena.h"
#include "bindep/map.h"

static void test_put_get_replace_grow(void)
{
	struct bd_arena a;
	struct bd_map m;
	uint32_t v = 0, i;
	const char *keys[5000];

	bd_arena_init(&a);
	bd_map_init(&m);
	CU_ASSERT_FALSE(bd_map_get(&m, "absent", &v));
	for (i = 0; i < 5000; i++) {
		keys[i] = bd_arena_printf(&a, "lib%u.so.%u", i, i % 7);
		CU_ASSERT_EQUAL_FATAL(bd_map_put(&m, keys[i], i), 0);
	}
	CU_ASSERT_EQUAL(m.count, 5000);
	for (i = 0; i < 5000; i++) {
		CU_ASSERT_TRUE(bd_map_get(&m, keys[i], &v));
		CU_ASSERT_EQUAL(v, i);
	}
	CU_ASSERT_EQUAL(bd_map_put(&m, keys[42], 7), 0);
	CU_ASSERT_TRUE(bd_map_get(&m, "lib42.so.0", &v));
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_EQUAL(m.count, 5000);
	CU_ASSERT_FALSE(bd_map_get(&m, "lib5000.so.2", NULL));
	bd_map_release(&m);
	bd_arena_release(&a);
}

void bd_test_register_map(void)
{
	BD_SUITE("map", BD_TEST(test_put_get_replace_grow));
}
