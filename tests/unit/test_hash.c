/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/emit.h"
#include "bindep/hash.h"

#include <string.h>

static void test_sha256_known_vector(void)
{
	char hex[65];

	CU_ASSERT_EQUAL(bd_sha256_hex("abc", 3, hex), 0);
	CU_ASSERT_STRING_EQUAL(hex, "ba7816bf8f01cfea414140de5dae2223b00361a3"
				    "96177a9cb410ff61f20015ad");
}

/* Piece by piece, and reused for a second digest: the same as at once. */
static void test_sha256_in_pieces_reused(void)
{
	static const char text[] =
		"the quick brown fox jumps over the lazy dog";
	struct bd_sha256 h;
	char once[65], pieces[65], again[65];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(bd_sha256_init(&h), 0);
	CU_ASSERT_EQUAL(bd_sha256_hex(text, sizeof(text) - 1, once), 0);
	CU_ASSERT_EQUAL(bd_sha256_begin(&h), 0);
	for (i = 0; i < sizeof(text) - 1; i += 5)
		CU_ASSERT_EQUAL(bd_sha256_update(&h, text + i,
						 sizeof(text) - 1 - i < 5
							 ? sizeof(text) - 1 - i
							 : 5),
				0);
	CU_ASSERT_EQUAL(bd_sha256_end(&h, pieces), 0);
	CU_ASSERT_STRING_EQUAL(pieces, once);
	/* A second digest starts afresh: nothing of the first remains. */
	CU_ASSERT_EQUAL(bd_sha256_begin(&h), 0);
	CU_ASSERT_EQUAL(bd_sha256_update(&h, "abc", 3), 0);
	CU_ASSERT_EQUAL(bd_sha256_end(&h, again), 0);
	CU_ASSERT_STRING_EQUAL(again, "ba7816bf8f01cfea414140de5dae2223b00361a3"
				      "96177a9cb410ff61f20015ad");
	/* Nothing at all: the digest of the empty string. */
	CU_ASSERT_EQUAL(bd_sha256_begin(&h), 0);
	CU_ASSERT_EQUAL(bd_sha256_end(&h, again), 0);
	CU_ASSERT_STRING_EQUAL(again, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4"
				      "649b934ca495991b7852b855");
	bd_sha256_release(&h);
	bd_sha256_release(&h); /* twice is harmless */
}

static void test_sha1_of_two_parts(void)
{
	unsigned char md[BD_SHA1_LEN];
	static const unsigned char abc[BD_SHA1_LEN] = {
		0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
		0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d,
	};

	CU_ASSERT_EQUAL(bd_sha1_2("a", 1, "bc", 2, md), 0);
	CU_ASSERT_EQUAL(memcmp(md, abc, sizeof(md)), 0);
}

static void test_uuid5_shape_and_stability(void)
{
	char a[37], b[37], c[37];

	CU_ASSERT_EQUAL(bd_emit_uuid5("doc", 3, a), 0);
	CU_ASSERT_EQUAL(bd_emit_uuid5("doc", 3, b), 0);
	CU_ASSERT_EQUAL(bd_emit_uuid5("doc2", 4, c), 0);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(a, c);
	CU_ASSERT_TRUE(bd_emit_valid_uuid(a, false));
	CU_ASSERT_EQUAL(a[14], '5');
	CU_ASSERT_PTR_NOT_NULL(strchr("89ab", a[19]));
	CU_ASSERT_FALSE(bd_emit_valid_uuid(a, true));
	CU_ASSERT_TRUE(bd_emit_valid_uuid(
		"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", true));
	CU_ASSERT_FALSE(bd_emit_valid_uuid(
		"urn:uuid:3E671687-395b-41f5-a30f-a58921a69b79", true));
	CU_ASSERT_FALSE(bd_emit_valid_uuid("3e671687-395b-41f5-a30f", false));
}

void bd_test_register_hash(void)
{
	BD_SUITE("hash", BD_TEST(test_sha256_known_vector),
		 BD_TEST(test_sha256_in_pieces_reused),
		 BD_TEST(test_sha1_of_two_parts),
		 BD_TEST(test_uuid5_shape_and_stability));
}
