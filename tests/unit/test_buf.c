/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/buf.h"
#include "bindep/error.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

/* A callee's "'its name': reason", said again under another name. */
static void test_error_reason(void)
{
	CU_ASSERT_STRING_EQUAL(bd_error_reason("'a/b': no such file"),
			       "no such file");
	CU_ASSERT_STRING_EQUAL(bd_error_reason("'a': b': c"), "b': c");
	CU_ASSERT_STRING_EQUAL(bd_error_reason("out of memory"),
			       "out of memory");
	CU_ASSERT_STRING_EQUAL(bd_error_reason("x 'y': z"), "x 'y': z");
	CU_ASSERT_STRING_EQUAL(bd_error_reason(""), "");
}

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
	/* Kept by the caller, it holds no more than its bytes: not the 128
	 * a buffer's first room has (glibc rounds 8 up to 24). */
	CU_ASSERT(malloc_usable_size(s) < 64);
	free(s);
	/* An empty buffer detaches as an empty string, not NULL. */
	s = bd_buf_detach(&b, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "");
	CU_ASSERT(malloc_usable_size(s) < 64);
	free(s);
}

/* bd_buf_printf formats into the room there is, or grows: text that
 * fits, that fits but for its NUL, or is far longer, comes out whole;
 * reserved room is written in place. */
static void test_printf_room(void)
{
	struct bd_buf b = BD_BUF_INIT;
	size_t room, i;
	char *p;

	bd_buf_adds(&b, "x");
	room = b.alloc - b.len;
	bd_buf_printf(&b, "%0*d", (int)room - 1, 7); /* exactly fits */
	CU_ASSERT_EQUAL(b.len, room);
	CU_ASSERT_EQUAL(b.data[b.len], '\0');
	bd_buf_reset(&b);
	bd_buf_adds(&b, "x");
	room = b.alloc - b.len;
	bd_buf_printf(&b, "%0*d|", (int)room - 1, 7); /* one byte over */
	CU_ASSERT_EQUAL(b.len, room + 1);
	CU_ASSERT_EQUAL(b.data[0], 'x');
	CU_ASSERT_EQUAL(b.data[b.len - 1], '|');
	CU_ASSERT_EQUAL(strlen(b.data), b.len);
	bd_buf_printf(&b, "%s%5000d", "", 3);
	CU_ASSERT_EQUAL(b.len, room + 1 + 5000);
	CU_ASSERT_EQUAL(strlen(b.data), b.len);
	CU_ASSERT_TRUE(bd_buf_reserve(&b, 100));
	CU_ASSERT_TRUE(b.alloc - b.len > 100);
	p = b.data + b.len;
	for (i = 0; i < 100; i++)
		p[i] = 'r';
	b.len += 100;
	b.data[b.len] = '\0';
	CU_ASSERT_EQUAL(strlen(b.data), room + 5101);
	CU_ASSERT_TRUE(bd_buf_ok(&b));
	bd_buf_release(&b);
}

/* RFC 4180: quoted only when needed (or with a lead), "" for a quote. */
static void test_csv_field(void)
{
	static const char *const cases[][3] = {
		{ "a/b.so", NULL, "a/b.so" },
		{ "a,b", NULL, "\"a,b\"" },
		{ "say \"hi\"", NULL, "\"say \"\"hi\"\"\"" },
		{ "line\nend", NULL, "\"line\nend\"" },
		{ "cr\r", NULL, "\"cr\r\"" },
		{ "=SUM(A1)", "'", "\"'=SUM(A1)\"" },
		{ "", NULL, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bd_buf b = BD_BUF_INIT;

		bd_buf_add_csv_field(&b, cases[i][0], cases[i][1]);
		CU_ASSERT_STRING_EQUAL(bd_buf_str(&b), cases[i][2]);
		bd_buf_release(&b);
	}
}

void bd_test_register_buf(void)
{
	BD_SUITE("buf", BD_TEST(test_append_and_detach),
		 BD_TEST(test_printf_room), BD_TEST(test_error_reason),
		 BD_TEST(test_csv_field));
}
