/* SPDX-License-Identifier: MIT */
#include "bindep/license.h"
#include "unit.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The expressions consumers parse (spdx-expression-parse takes each
 * identifier from the SPDX License List). */
static void test_expressions(void)
{
	static const char *const ok[] = {
		"MIT",
		"Apache-2.0 OR MIT",
		"(BSD-3-Clause OR MIT) AND Zlib",
		"GPL-2.0-only WITH Classpath-exception-2.0",
		"GPL-2.0-or-later WITH Linux-syscall-note",
		"GPL-2.0+",
		"LGPL-2.1+ AND blessing",
		"Apache-2.0 WITH LLVM-exception",
		"Apache-2.0 WITH SHL-2.1",
		"MPL-2.0-no-copyleft-exception",
		"GPL-2.0-with-classpath-exception",
		"mit",
		"  MIT  ",
		"(MIT)OR(Zlib)", /* parentheses stand for the spaces */
		"MIT AND(Zlib OR BSD-2-Clause)",
		"GPL-2.0+ WITH Classpath-exception-2.0",
		"(GPL-2.0+)AND MIT",
	};
	static const char *const bad[] = {
		"BSD", /* a word, not an identifier of the list */
		"GPL",
		"MIT License",
		"Apache 2.0",
		"UNLICENSED", /* npm's "not licensed" */
		"SEE LICENSE IN LICENSE.txt",
		"LicenseRef-Proprietary",
		"DocumentRef-x:LicenseRef-y",
		"NOASSERTION",
		"NONE",
		"MIT WITH MIT", /* a licence where an exception goes */
		"Classpath-exception-2.0", /* an exception alone */
		"SHL-2.1",		   /* one named otherwise */
		"MIT WITH MPL-2.0-no-copyleft-exception", /* a licence */
		"MIT and Zlib", /* operators are upper case */
		"MIT AND",
		"(MIT",
		"MIT)",
		"MIT\tOR Zlib",
		"MIT\n",
		"",
		"MIT+ +",
		/* White space round WITH, and white space or parentheses
		 * round AND and OR (SPDX 2.3, D.3): a "+" is neither. */
		"GPL-2.0+WITH Classpath-exception-2.0",
		"GPL-2.0+AND MIT",
		"LGPL-2.1+OR MIT",
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(ok); i++)
		CU_ASSERT_TRUE(bd_license_expression_ok(ok[i]));
	for (i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		if (bd_license_expression_ok(bad[i]))
			fprintf(stderr, "taken: '%s'\n", bad[i]);
		CU_ASSERT_FALSE(bd_license_expression_ok(bad[i]));
	}
	CU_ASSERT_FALSE(bd_license_expression_ok(NULL));
}

/* The registry's expressions: a LicenseRef- of its own is a licence (the
 * SPDX document defines it), nothing else is taken that the list does
 * not name. */
static void test_registry_refs(void)
{
	static const char *const ok[] = {
		"LicenseRef-FFmpeg-nonfree-unredistributable",
		"LicenseRef-NVIDIA-CUDA",
		"GPL-2.0-or-later OR LicenseRef-x",
		"(LicenseRef-a AND MIT) OR Zlib",
		"GPL-2.0-or-later",
	};
	static const char *const bad[] = {
		"LicenseRef-",	 /* no idstring */
		"LicenseRef-x+", /* no "+" after one */
		"DocumentRef-x:LicenseRef-y",
		"LicenseRef-x AND",
		"licenseref x",
		"GPL version 2 or later", /* the words, not the expression */
		"nonfree and unredistributable",
		"",
		"NOASSERTION",
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(ok); i++) {
		if (!bd_license_registry_ok(ok[i]))
			fprintf(stderr, "refused: '%s'\n", ok[i]);
		CU_ASSERT_TRUE(bd_license_registry_ok(ok[i]));
	}
	for (i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		if (bd_license_registry_ok(bad[i]))
			fprintf(stderr, "taken: '%s'\n", bad[i]);
		CU_ASSERT_FALSE(bd_license_registry_ok(bad[i]));
	}
	CU_ASSERT_FALSE(bd_license_registry_ok(NULL));
	/* Elsewhere still none: an SBOM's or a package's is no registry's. */
	CU_ASSERT_FALSE(bd_license_expression_ok("LicenseRef-NVIDIA-CUDA"));
}

static void test_deep_and_long(void)
{
	char deep[200], many[64 * 1024];
	size_t i, n = 0;

	/* 16 parentheses are taken, 17 are not (and the stack is safe). */
	for (i = 0; i < 16; i++)
		deep[n++] = '(';
	memcpy(deep + n, "MIT", 3);
	n += 3;
	for (i = 0; i < 16; i++)
		deep[n++] = ')';
	deep[n] = '\0';
	CU_ASSERT_TRUE(bd_license_expression_ok(deep));
	memmove(deep + 1, deep, n);
	deep[0] = '(';
	deep[n + 1] = ')';
	deep[n + 2] = '\0';
	CU_ASSERT_FALSE(bd_license_expression_ok(deep));
	/* A long expression of known identifiers is one. */
	n = 0;
	for (i = 0; n + 16 < sizeof(many); i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%sMIT",
				      i ? " OR " : "");
	CU_ASSERT_TRUE(bd_license_expression_ok(many));
}

/* bd_license_add writes the list's spelling, and adds nothing else. */
static void test_add_canonical(void)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_TRUE(bd_license_add(&b, "mit", false));
	CU_ASSERT_STRING_EQUAL(b.data, "MIT");
	CU_ASSERT_TRUE(bd_license_add(
		&b, "gpl-2.0-only WITH classpath-exception-2.0 OR apache-2.0",
		true));
	CU_ASSERT_STRING_EQUAL(
		b.data, "MIT AND (GPL-2.0-only WITH Classpath-exception-2.0 "
			"OR Apache-2.0)");
	CU_ASSERT_FALSE(bd_license_add(&b, "BSD", false));
	CU_ASSERT_FALSE(bd_license_add(&b, NULL, false));
	CU_ASSERT_STRING_EQUAL(
		b.data, "MIT AND (GPL-2.0-only WITH Classpath-exception-2.0 "
			"OR Apache-2.0)");
	bd_buf_release(&b);
}

/* bd_license_add_registry: the same, for the registry's expressions,
 * whose LicenseRef- of its own is a licence too (the AND of a file's
 * licence strings that disagree, ident.c). */
static void test_add_registry(void)
{
	struct bd_buf b = BD_BUF_INIT;

	CU_ASSERT_TRUE(bd_license_add_registry(&b, "LGPL-2.1-or-later", true));
	CU_ASSERT_TRUE(bd_license_add_registry(
		&b, "LicenseRef-FFmpeg-nonfree-unredistributable", true));
	CU_ASSERT_TRUE(bd_license_add_registry(&b, "mit OR Zlib", true));
	CU_ASSERT_STRING_EQUAL(b.data,
			       "LGPL-2.1-or-later AND "
			       "LicenseRef-FFmpeg-nonfree-unredistributable "
			       "AND (MIT OR Zlib)");
	CU_ASSERT_FALSE(bd_license_add_registry(&b, "GPL v2", true));
	CU_ASSERT_FALSE(bd_license_add_registry(&b, "LicenseRef-x+", true));
	CU_ASSERT_FALSE(bd_license_add_registry(&b, NULL, true));
	CU_ASSERT_STRING_EQUAL(b.data,
			       "LGPL-2.1-or-later AND "
			       "LicenseRef-FFmpeg-nonfree-unredistributable "
			       "AND (MIT OR Zlib)");
	/* Elsewhere a LicenseRef- is still refused. */
	bd_buf_reset(&b);
	CU_ASSERT_FALSE(bd_license_add(&b, "LicenseRef-x", false));
	CU_ASSERT_EQUAL(b.len, 0);
	bd_buf_release(&b);
}

/* bd_license_same: AND and OR are commutative and associative (SPDX 2.3
 * D.4), so their operands in another order, another case of the list's
 * identifiers, other spaces or parentheses that only group are the same
 * licence; WITH stays bound to its licence. Anything else differs. */
static void test_same(void)
{
	static const char *const same[][2] = {
		{ "MIT AND BSD-3-Clause", "BSD-3-Clause AND MIT" },
		{ "MIT OR Apache-2.0", "apache-2.0 OR mit" },
		{ "MIT AND Zlib AND BSD-3-Clause",
		  "(Zlib AND BSD-3-Clause) AND MIT" },
		{ "GPL-2.0-only WITH Classpath-exception-2.0 OR MIT",
		  "MIT OR gpl-2.0-only  WITH  classpath-exception-2.0" },
		{ "(MIT OR Zlib) AND GPL-2.0+", "GPL-2.0+ AND (Zlib OR MIT)" },
		{ "MIT AND Zlib OR BSD-2-Clause",
		  "BSD-2-Clause OR (Zlib AND MIT)" },
		{ "(MIT)OR(Zlib)", "Zlib OR MIT" },
		{ "LicenseRef-y AND MIT", "MIT AND LicenseRef-y" },
		{ "MIT", "mit" },
	};
	static const char *const differ[][2] = {
		{ "MIT AND BSD-3-Clause", "MIT OR BSD-3-Clause" },
		{ "MIT AND Zlib OR BSD-2-Clause",
		  "MIT AND (Zlib OR BSD-2-Clause)" },
		/* WITH binds its exception to its licence alone. */
		{ "GPL-2.0-only WITH Classpath-exception-2.0 AND MIT",
		  "MIT WITH Classpath-exception-2.0 AND GPL-2.0-only" },
		{ "GPL-2.0+ AND MIT", "GPL-2.0 AND MIT" },
		{ "MIT AND MIT", "MIT" }, /* the same once: not told */
		{ "MIT AND Zlib", "MIT AND Zlib AND BSD-3-Clause" },
		{ "LicenseRef-y AND MIT", "MIT AND LicenseRef-Y" },
		{ "BSD AND MIT", "MIT AND BSD" }, /* no expressions */
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(same); i++) {
		if (!bd_license_same(same[i][0], same[i][1]) ||
		    !bd_license_same(same[i][1], same[i][0]))
			fprintf(stderr, "not the same: '%s', '%s'\n",
				same[i][0], same[i][1]);
		CU_ASSERT_TRUE(bd_license_same(same[i][0], same[i][1]));
		CU_ASSERT_TRUE(bd_license_same(same[i][1], same[i][0]));
	}
	for (i = 0; i < BD_ARRAY_SIZE(differ); i++) {
		if (bd_license_same(differ[i][0], differ[i][1]))
			fprintf(stderr, "the same: '%s', '%s'\n", differ[i][0],
				differ[i][1]);
		CU_ASSERT_FALSE(bd_license_same(differ[i][0], differ[i][1]));
		CU_ASSERT_FALSE(bd_license_same(differ[i][1], differ[i][0]));
	}
	CU_ASSERT_FALSE(bd_license_same(NULL, "MIT"));
	CU_ASSERT_FALSE(bd_license_same("MIT", NULL));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET) && (text = malloc((size_t)n + 1)) &&
	    fread(text, 1, (size_t)n, f) == (size_t)n)
		text[n] = '\0';
	else if (text) {
		free(text);
		text = NULL;
	}
	if (f)
		fclose(f);
	return text;
}

static bool in_table(const char *const *t, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i], id))
			return true;
	return false;
}

/* The tables are the schema's identifiers, each once, sorted for the
 * bsearch, exceptions apart (contrib/spdx/mkspdxids.py). */
static void test_tables_match_schema(void)
{
	static const char *const exceptions[] = {
		"Linux-syscall-note",
		"GPL-CC-1.0",
		"LLGPL",
		"SHL-2.0",
		"SHL-2.1",
		"Classpath-exception-2.0",
		"LLVM-exception",
	};
	static const char *const licences[] = {
		"MIT",
		"CAL-1.0-Combined-Work-Exception",
		"MPL-2.0-no-copyleft-exception",
		"GPL-2.0-with-classpath-exception",
		"GPL-2.0-with-GCC-exception",
		"GPL-3.0-with-autoconf-exception",
	};
	char *text = slurp("schemas/spdx.schema.json");
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "enum");
	const cJSON *id;
	size_t i, n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	cJSON_ArrayForEach(id, e)
	{
		const char *s = id->valuestring;
		size_t len = strlen(s);

		if (s[len - 1] == '+')
			continue; /* "GPL-2.0+": "GPL-2.0" and "+" */
		n++;
		if (!in_table(bd_spdx_licenses, bd_spdx_licenses_count, s) &&
		    !in_table(bd_spdx_exceptions, bd_spdx_exceptions_count,
			      s)) {
			fprintf(stderr, "not in spdx_ids.c: %s\n", s);
			CU_FAIL("an identifier of the schema is missing");
		}
	}
	CU_ASSERT_EQUAL(n, bd_spdx_licenses_count + bd_spdx_exceptions_count);
	for (i = 1; i < bd_spdx_licenses_count; i++)
		CU_ASSERT_TRUE(strcasecmp(bd_spdx_licenses[i - 1],
					  bd_spdx_licenses[i]) < 0);
	for (i = 1; i < bd_spdx_exceptions_count; i++)
		CU_ASSERT_TRUE(strcasecmp(bd_spdx_exceptions[i - 1],
					  bd_spdx_exceptions[i]) < 0);
	/* Named against the word rule, as the SPDX List's licenses.json and
	 * exceptions.json file them. */
	for (i = 0; i < BD_ARRAY_SIZE(exceptions); i++)
		CU_ASSERT_TRUE(in_table(bd_spdx_exceptions,
					bd_spdx_exceptions_count,
					exceptions[i]));
	for (i = 0; i < BD_ARRAY_SIZE(licences); i++)
		CU_ASSERT_TRUE(in_table(bd_spdx_licenses,
					bd_spdx_licenses_count, licences[i]));
	cJSON_Delete(doc);
	free(text);
}

void bd_test_register_license(void)
{
	BD_SUITE("license", BD_TEST(test_expressions),
		 BD_TEST(test_registry_refs), BD_TEST(test_deep_and_long),
		 BD_TEST(test_add_canonical), BD_TEST(test_add_registry),
		 BD_TEST(test_same), BD_TEST(test_tables_match_schema));
}
