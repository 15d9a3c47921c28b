/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/buf.h"
#include "bindep/scan.h"

#include <string.h>

static void test_package_note_fields(void)
{
	const char json[] = "{\"type\":\"deb\",\"os\":\"debian\",\"name\":"
			    "\"systemd\",\"version\":\"252.39-1~deb12u2\","
			    "\"build\":3,\"extra\":{\"a\":[1]}}";
	struct bd_arena a;
	struct bd_kv *kv = NULL;
	struct bd_error e;
	size_t n = 0;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(
		bd_note_parse_package(json, strlen(json), &a, &kv, &n, &e), 0);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	CU_ASSERT_STRING_EQUAL(kv[0].key, "type");
	CU_ASSERT_STRING_EQUAL(kv[3].value, "252.39-1~deb12u2");
	CU_ASSERT_STRING_EQUAL(kv[4].value, "3");
	CU_ASSERT_STRING_EQUAL(kv[5].value, "{\"a\":[1]}");
	bd_arena_release(&a);
}

static void test_package_note_errors(void)
{
	struct bd_arena a;
	struct bd_kv *kv = NULL;
	struct bd_error e;
	size_t n = 0;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL(bd_note_parse_package("{\"a\":", 5, &a, &kv, &n, &e),
			BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "not valid JSON"));
	CU_ASSERT_EQUAL(bd_note_parse_package("[1]", 3, &a, &kv, &n, &e),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "package note is not a JSON object");
	/* The length bounds the parse: what follows is not read. */
	CU_ASSERT_EQUAL(bd_note_parse_package("{}garbage", 2, &a, &kv, &n, &e),
			0);
	CU_ASSERT_EQUAL(n, 0);
	bd_arena_release(&a);
}

static void test_dlopen_note_entries(void)
{
	const char json[] =
		"[{\"feature\":\"fido2\",\"description\":\"Support fido2\","
		"\"priority\":\"required\",\"soname\":[\"libfido2.so.1\"]},"
		"{\"feature\":\"pcre2\",\"soname\":[\"libpcre2-8.so.0\","
		"\"libpcre2-8.so.1\"]}]";
	struct bd_elf_info info;
	struct bd_error e;

	bd_elf_info_init(&info);
	CU_ASSERT_EQUAL_FATAL(
		bd_note_parse_dlopen(json, strlen(json), &info, &e), 0);
	CU_ASSERT_EQUAL_FATAL(info.ndlopen, 2);
	CU_ASSERT_STRING_EQUAL(info.dlopen[0].priority, "required");
	CU_ASSERT_STRING_EQUAL(info.dlopen[0].description, "Support fido2");
	CU_ASSERT_STRING_EQUAL(info.dlopen[1].priority, "recommended");
	CU_ASSERT_PTR_NULL(info.dlopen[1].description);
	CU_ASSERT_EQUAL(info.dlopen[1].nsonames, 2);
	CU_ASSERT_STRING_EQUAL(info.dlopen[1].sonames[1], "libpcre2-8.so.1");
	/* Several notes concatenate. */
	CU_ASSERT_EQUAL(bd_note_parse_dlopen("[{\"soname\":[\"a.so\"]}]", 21,
					     &info, &e),
			0);
	CU_ASSERT_EQUAL(info.ndlopen, 3);
	bd_elf_info_release(&info);
}

/* Only "soname" is required (dlopen metadata spec, "Well-known keys"):
 * an entry without a usable one is skipped; an optional field that is
 * not a string, or a priority the spec does not list, is dropped (the
 * priority then the spec's default), and the dependency kept, as
 * systemd-analyze dlopen-metadata keeps it. The first problem is said. */
static void test_dlopen_note_bad_entries_are_skipped(void)
{
	const char json[] = "[{\"soname\":[]},{\"soname\":[\"ok.so.1\"]},"
			    "{\"priority\":\"sometimes\",\"soname\":[\"x\"]},"
			    "{\"soname\":[\"y\"],\"feature\":5,"
			    "\"description\":null,\"priority\":[1]},"
			    "{\"soname\":[\"z\",7]},{\"soname\":\"w\"}]";
	const char must[] = "[{\"soname\":[\"a\"],\"priority\":\"must\"}]";
	struct bd_elf_info info;
	struct bd_error e;

	bd_elf_info_init(&info);
	CU_ASSERT_EQUAL(bd_note_parse_dlopen(json, strlen(json), &info, &e),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg,
			       "dlopen note entry 1 has no \"soname\" array");
	CU_ASSERT_EQUAL_FATAL(info.ndlopen, 3);
	CU_ASSERT_STRING_EQUAL(info.dlopen[0].sonames[0], "ok.so.1");
	CU_ASSERT_STRING_EQUAL(info.dlopen[1].sonames[0], "x");
	CU_ASSERT_STRING_EQUAL(info.dlopen[1].priority, "recommended");
	CU_ASSERT_STRING_EQUAL(info.dlopen[2].sonames[0], "y");
	CU_ASSERT_PTR_NULL(info.dlopen[2].feature);
	CU_ASSERT_PTR_NULL(info.dlopen[2].description);
	CU_ASSERT_STRING_EQUAL(info.dlopen[2].priority, "recommended");
	CU_ASSERT_EQUAL(bd_note_parse_dlopen("{}", 2, &info, &e), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "dlopen note is not a JSON array");
	bd_elf_info_release(&info);
	/* The problem with a kept entry is said too. */
	bd_elf_info_init(&info);
	CU_ASSERT_EQUAL(bd_note_parse_dlopen(must, strlen(must), &info, &e),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "dlopen note entry 1 has an unknown "
				      "priority, taken as \"recommended\"");
	CU_ASSERT_EQUAL(info.ndlopen, 1);
	bd_elf_info_release(&info);
}

/* Names in an object shall be unique (spec 8, after RFC 8259 section 4):
 * of a name given twice the first is kept, the one identification reads,
 * so that the SBOM's properties do not contradict its purl. A well-known
 * field that is neither a string nor a number (null, true, an object)
 * names nothing and is dropped: "version": null is no version "null".
 * The fields are kept, and the first problem said. */
static void test_package_note_duplicates_and_types(void)
{
	const char json[] = "{\"type\":\"deb\",\"name\":\"good\",\"os\":null,"
			    "\"version\":{\"v\":1},\"name\":\"evil\","
			    "\"osVersion\":12,\"architecture\":true,"
			    "\"x-extra\":null}";
	struct bd_arena a;
	struct bd_kv *kv = NULL;
	struct bd_error e;
	size_t n = 0, i;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL(
		bd_note_parse_package(json, strlen(json), &a, &kv, &n, &e),
		BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "package note's \"os\" is neither a "
				      "string nor a number, ignoring it");
	CU_ASSERT_PTR_NOT_NULL_FATAL(kv);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(kv[0].key, "type");
	CU_ASSERT_STRING_EQUAL(kv[1].key, "name");
	CU_ASSERT_STRING_EQUAL(kv[1].value, "good");
	CU_ASSERT_STRING_EQUAL(kv[2].key, "osVersion");
	CU_ASSERT_STRING_EQUAL(kv[2].value, "12");
	CU_ASSERT_STRING_EQUAL(kv[3].key, "x-extra");
	CU_ASSERT_STRING_EQUAL(kv[3].value, "null");
	for (i = 0; i < n; i++)
		CU_ASSERT_STRING_NOT_EQUAL(kv[i].value, "evil");
	kv = NULL;
	CU_ASSERT_EQUAL(
		bd_note_parse_package("{\"a\":1,\"a\":2}", 13, &a, &kv, &n, &e),
		BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "package note has \"a\" twice, keeping "
				      "the first");
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(kv[0].value, "1");
	bd_arena_release(&a);
}

/* Past the cap, the rest is dropped with BD_ELIMIT (never a value that
 * could be taken for BD_ENOMEM), the first entries kept. */
static void test_dlopen_note_cap(void)
{
	struct bd_elf_info info;
	struct bd_buf b = BD_BUF_INIT;
	struct bd_error e;
	size_t i;

	bd_elf_info_init(&info);
	bd_buf_addc(&b, '[');
	for (i = 0; i < BD_SCAN_MAX_DLOPEN_ENTRIES + 10; i++)
		bd_buf_printf(&b, "%s{\"soname\":[\"l%zu.so\"]}", i ? "," : "",
			      i);
	bd_buf_addc(&b, ']');
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	CU_ASSERT_EQUAL(bd_note_parse_dlopen(b.data, b.len, &info, &e),
			BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(e.msg, "more than 1024 dlopen note entries, "
				      "keeping the first 1024");
	CU_ASSERT_EQUAL(info.ndlopen, BD_SCAN_MAX_DLOPEN_ENTRIES);
	CU_ASSERT_STRING_EQUAL(info.dlopen[1023].sonames[0], "l1023.so");
	bd_buf_release(&b);
	bd_elf_info_release(&info);
}

/*
 * A note is one JSON value and nothing else (spec 8 and 12: "a single
 * JSON object/array encoded as a NUL-terminated UTF-8 string"); what
 * RFC 8259 does not allow is no JSON, even where cJSON takes it: bytes
 * after the value (a second value), a control character left raw in a
 * string (section 7). A "\u0000" would cut a C string short and make
 * "libx.so.1\u0000y" read as "libx.so.1": refused too, as systemd's
 * sd-json refuses it. systemd-analyze and dlopen-notes.py reject all
 * three; the note is skipped, as any note that does not parse.
 */
static void test_note_json_is_one_strict_value(void)
{
	static const struct {
		const char *json, *msg;
	} dl[] = {
		{ "[{\"soname\":[\"a.so\"]}] x",
		  "dlopen note is not valid JSON (at byte 22)" },
		{ "[{\"soname\":[\"a.so\"]}][{\"soname\":[\"b.so\"]}]",
		  "dlopen note is not valid JSON (at byte 21)" },
		{ "[{\"feature\":\"a\nb\",\"soname\":[\"a.so\"]}]",
		  "dlopen note is not valid JSON (at byte 14)" },
		{ "[{\"soname\":[\"a.so\\u0000b.so\"]}]",
		  "dlopen note has a NUL (U+0000) in a string (at byte "
		  "17)" },
	};
	const char pkg[] = "{\"name\":\"x\"}{\"name\":\"y\"}";
	const char pkg_nul[] = "{\"name\":\"x\\u0000y\"}";
	/* Whitespace around the value is JSON; escapes other than \u0000
	 * (\" and \n, a \u of another code point) stay strings. */
	const char fine[] =
		" \t[{\"soname\":[\"a\\\"\\n\\u00e9\\\\u0000\"]}]\r\n";
	struct bd_elf_info info;
	struct bd_arena a;
	struct bd_kv *kv = NULL;
	struct bd_error e;
	size_t n = 0, i;

	bd_elf_info_init(&info);
	for (i = 0; i < BD_ARRAY_SIZE(dl); i++) {
		CU_ASSERT_EQUAL(bd_note_parse_dlopen(dl[i].json,
						     strlen(dl[i].json), &info,
						     &e),
				BD_EFORMAT);
		CU_ASSERT_STRING_EQUAL(e.msg, dl[i].msg);
	}
	CU_ASSERT_EQUAL(info.ndlopen, 0);
	CU_ASSERT_EQUAL(bd_note_parse_dlopen(fine, strlen(fine), &info, &e), 0);
	CU_ASSERT_EQUAL_FATAL(info.ndlopen, 1);
	CU_ASSERT_STRING_EQUAL(info.dlopen[0].sonames[0],
			       "a\"\n\xc3\xa9\\u0000");
	bd_elf_info_release(&info);
	bd_arena_init(&a);
	CU_ASSERT_EQUAL(
		bd_note_parse_package(pkg, strlen(pkg), &a, &kv, &n, &e),
		BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg,
			       "package note is not valid JSON (at byte 12)");
	CU_ASSERT_EQUAL(bd_note_parse_package(pkg_nul, strlen(pkg_nul), &a, &kv,
					      &n, &e),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "package note has a NUL (U+0000) in "
				      "a string (at byte 10)");
	CU_ASSERT_PTR_NULL(kv);
	bd_arena_release(&a);
}

/*
 * Keys shall be unique (spec 12, after RFC 8259 section 4). Readers
 * disagree on a repeated one (sd-json's by_key reads the first, Python's
 * json the last); the first is read, as for the package note, and said:
 * the entry is kept. A repeated key the entry does not read is no
 * problem.
 */
static void test_dlopen_note_repeated_key(void)
{
	const char json[] =
		"[{\"x\":1,\"x\":2,\"soname\":[\"liba.so.1\"]},"
		"{\"priority\":\"suggested\",\"soname\":[\"libb.so.1\"],"
		"\"priority\":\"required\",\"soname\":[\"libc.so.1\"]}]";
	struct bd_elf_info info;
	struct bd_error e;

	bd_elf_info_init(&info);
	CU_ASSERT_EQUAL(bd_note_parse_dlopen(json, strlen(json), &info, &e),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(e.msg, "dlopen note entry 2 has \"priority\" "
				      "twice, keeping the first");
	CU_ASSERT_EQUAL_FATAL(info.ndlopen, 2);
	CU_ASSERT_STRING_EQUAL(info.dlopen[0].sonames[0], "liba.so.1");
	CU_ASSERT_STRING_EQUAL(info.dlopen[1].sonames[0], "libb.so.1");
	CU_ASSERT_EQUAL(info.dlopen[1].nsonames, 1);
	CU_ASSERT_STRING_EQUAL(info.dlopen[1].priority, "suggested");
	bd_elf_info_release(&info);
}

void bd_test_register_notes(void)
{
	BD_SUITE("notes", BD_TEST(test_package_note_fields),
		 BD_TEST(test_package_note_errors),
		 BD_TEST(test_dlopen_note_entries),
		 BD_TEST(test_dlopen_note_bad_entries_are_skipped),
		 BD_TEST(test_dlopen_note_cap),
		 BD_TEST(test_package_note_duplicates_and_types),
		 BD_TEST(test_note_json_is_one_strict_value),
		 BD_TEST(test_dlopen_note_repeated_key));
}
