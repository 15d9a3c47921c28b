/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/buf.h"

#include <stdlib.h>

static void test_append_and_detach(void)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t len = 0;
	char *s;
	int i;

	CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		bd_buf_printf(&b, "%d,", i % 10);
	CU_ASSERT_EQUAL(b.len, 2000);
	bd_buf_reset(&b);
	bd_buf_adds(&b, "ab");
	bd_buf_addc(&b, 'c');
	bd_buf_add_hex(&b, (const unsigned char *)"\x01\xff", 2);
	CU_ASSERT_TRUE(bd_buf_ok(&b));
	s = bd_buf_detach(&b, &len);
	CU_ASSERT_STRING_EQUAL(s, "abc01ff");
	CU_ASSERT_EQUAL(len, 7);
	CU_ASSERT_PTR_NULL(b.data);
	free(s);
	/* An empty buffer detaches as an empty string, not NULL. */
	s = bd_buf_detach(&b, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
}

void bd_test_register_buf(void)
{
	BD_SUITE("buf", BD_TEST(test_append_and_detach));
}
