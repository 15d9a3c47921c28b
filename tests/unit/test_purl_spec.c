/* SPDX-License-Identifier: MIT */
/*
 * purl-spec's published test suite (tests/data/purl-spec/, SOURCES says
 * from where) for every type the tool writes: every case of every file,
 * through the builder and the parser. A case the suite gets wrong is in
 * `deviations` below with the reason, and is still run: it must keep
 * giving the result we chose, so that the list cannot go stale.
 */
#include "unit.h"
#include "bindep/purl.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITE_DIR "tests/data/purl-spec/"

/* The core tests, and one file per type the tool writes: deb, rpm, apk,
 * alpm (package databases and notes), pypi, npm, conda, maven, generic,
 * oci (release artifacts and images), github (the mapping registry),
 * golang (the Go modules a Go binary's build information lists), cargo
 * (the crates a Rust binary's cargo-auditable data lists); bitbucket,
 * which folds as github does. */
static const char *const files[] = {
	"specification-test.json", "alpm-test.json",	"apk-test.json",
	"bitbucket-test.json",	   "cargo-test.json",	"conda-test.json",
	"deb-test.json",	   "generic-test.json", "github-test.json",
	"golang-test.json",	   "maven-test.json",	"npm-test.json",
	"oci-test.json",	   "pypi-test.json",	"rpm-test.json",
};

/*
 * Cases where the suite contradicts itself or the specification, by file,
 * test type and input; what we do instead is what the case then asserts.
 */
static const struct deviation {
	const char *file, *test_type, *input;
	const char *why;
} deviations[] = {
	{ "maven-test.json", "parse",
	  "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&"
	  "repositorY_url=repo.spring.io/release",
	  /* Required to parse, though "The key shall be composed only of
	   * lowercase ASCII letters ..." (Qualifiers), and rpm-test.json's
	   * same case ("Arch=") was made a required failure in purl-spec
	   * commit 9380d64 (issue #942). We follow rpm and the clause: a
	   * strict parse refuses it; BD_PURL_LENIENT gives the expected
	   * parts (checked too). */
	  "uppercase qualifier key: required to fail, as rpm's" },
};

static const struct deviation *
deviation_of(const char *file, const char *test_type, const char *input)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(deviations); i++)
		if (!strcmp(deviations[i].file, file) &&
		    !strcmp(deviations[i].test_type, test_type) &&
		    !strcmp(deviations[i].input, input))
			return &deviations[i];
	return NULL;
}

static cJSON *load(const char *file)
{
	char path[256];
	FILE *f;
	char *text;
	long len;
	cJSON *json;

	snprintf(path, sizeof(path), SUITE_DIR "%s", file);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = malloc((size_t)len + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(fread(text, 1, (size_t)len, f), (size_t)len);
	text[len] = '\0';
	fclose(f);
	json = cJSON_Parse(text);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	return json;
}

static const char *str_or_null(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

struct counts {
	unsigned build, parse, validate, failures, deviations;
};

static void report(const char *file, const cJSON *t, const char *what)
{
	char *text = cJSON_PrintUnformatted(t);

	fprintf(stderr, "\n  %s: %s: %s\n", file, what, text);
	free(text);
}

/* The parts of a case's input object, qualifiers into q. */
static void parts_of(const cJSON *in, struct bd_purl *p, struct bd_kv *q,
		     size_t max)
{
	const cJSON *quals = cJSON_GetObjectItemCaseSensitive(in, "qualifiers");
	const cJSON *kv;

	*p = (struct bd_purl){ str_or_null(in, "type"),
			       str_or_null(in, "namespace"),
			       str_or_null(in, "name"),
			       str_or_null(in, "version"),
			       q,
			       0,
			       str_or_null(in, "subpath") };
	cJSON_ArrayForEach(kv, quals)
	{
		CU_ASSERT_FATAL(p->nqualifiers < max);
		q[p->nqualifiers++] = (struct bd_kv){
			kv->string, cJSON_IsString(kv) ? kv->valuestring : NULL
		};
	}
}

static bool run_build(const cJSON *t, bool fail, const char *want)
{
	struct bd_kv q[BD_PURL_MAX_QUALIFIERS];
	struct bd_buf b = BD_BUF_INIT;
	struct bd_purl p;
	struct bd_error err;
	bool ok;
	int rc;

	parts_of(cJSON_GetObjectItemCaseSensitive(t, "input"), &p, q,
		 BD_ARRAY_SIZE(q));
	rc = bd_purl_format(&p, &b, &err);
	ok = fail ? rc != 0 : rc == 0 && !strcmp(b.data, want);
	if (ok && !fail) {
		/* The round trip: what was built parses back to itself,
		 * strictly. */
		struct bd_purl_parsed back;

		ok = !bd_purl_parse(b.data, 0, &back, &err) &&
		     !strcmp(back.canonical.data, want);
		bd_purl_parsed_release(&back);
	}
	bd_buf_release(&b);
	return ok;
}

/* Whether parsed parts are the case's expected object. */
static bool parts_equal(const struct bd_purl *got, const cJSON *want)
{
	const cJSON *quals =
		cJSON_GetObjectItemCaseSensitive(want, "qualifiers");
	const cJSON *kv;
	size_t n = 0, i;

	if (!same(got->type, str_or_null(want, "type")) ||
	    !same(got->namespace, str_or_null(want, "namespace")) ||
	    !same(got->name, str_or_null(want, "name")) ||
	    !same(got->version, str_or_null(want, "version")) ||
	    !same(got->subpath, str_or_null(want, "subpath")))
		return false;
	cJSON_ArrayForEach(kv, quals)
	{
		for (i = 0; i < got->nqualifiers; i++)
			if (!strcmp(got->qualifiers[i].key, kv->string))
				break;
		if (i == got->nqualifiers ||
		    !same(got->qualifiers[i].value, kv->valuestring))
			return false;
		n++;
	}
	return n == got->nqualifiers;
}

static bool run_parse(const char *input, unsigned flags, bool fail,
		      const cJSON *want, bool validate)
{
	struct bd_purl_parsed p;
	struct bd_error err;
	int rc = bd_purl_parse(input, flags, &p, &err);
	bool ok;

	if (fail)
		ok = rc != 0;
	else if (rc)
		ok = false;
	else if (validate)
		ok = cJSON_IsString(want) &&
		     !strcmp(p.canonical.data, want->valuestring);
	else
		ok = parts_equal(&p.parts, want);
	bd_purl_parsed_release(&p);
	return ok;
}

/* One case: true when it gives the expected result. */
static bool run_case(const cJSON *t, struct counts *c)
{
	const char *type = str_or_null(t, "test_type");
	const char *group = str_or_null(t, "test_group");
	const cJSON *want =
		cJSON_GetObjectItemCaseSensitive(t, "expected_output");
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(t, "input");
	bool fail = cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(t, "expected_failure"));
	/* "recommended" cases normalise what a strict parser refuses. */
	unsigned flags = same(group, "recommended") ? BD_PURL_LENIENT : 0;

	CU_ASSERT_FATAL(same(group, "required") || same(group, "recommended"));
	if (same(type, "build")) {
		c->build++;
		return run_build(t, fail,
				 cJSON_IsString(want) ? want->valuestring
						      : NULL);
	}
	CU_ASSERT_FATAL(cJSON_IsString(input));
	if (same(type, "parse")) {
		c->parse++;
		return run_parse(input->valuestring, flags, fail, want, false);
	}
	CU_ASSERT_FATAL(same(type, "validate"));
	c->validate++;
	return run_parse(input->valuestring, flags, fail, want, true);
}

/* A deviation: the strict parse refuses it, the lenient one gives what
 * the case expected. */
static bool run_deviation(const cJSON *t)
{
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(t, "input");
	const cJSON *want =
		cJSON_GetObjectItemCaseSensitive(t, "expected_output");

	return run_parse(input->valuestring, 0, true, NULL, false) &&
	       run_parse(input->valuestring, BD_PURL_LENIENT, false, want,
			 false);
}

/* Every vendored file is run: none is left out of files[]. */
static void test_all_files_listed(void)
{
	DIR *d = opendir(SUITE_DIR);
	struct dirent *de;
	unsigned json = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d))) {
		size_t i, len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		json++;
		for (i = 0; i < BD_ARRAY_SIZE(files); i++)
			if (!strcmp(files[i], de->d_name))
				break;
		CU_ASSERT(i < BD_ARRAY_SIZE(files));
		if (i == BD_ARRAY_SIZE(files))
			fprintf(stderr, "\n  %s is not run\n", de->d_name);
	}
	closedir(d);
	CU_ASSERT_EQUAL(json, BD_ARRAY_SIZE(files));
}

static void test_suite_files(void)
{
	struct counts c = { 0 };
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(files); i++) {
		cJSON *json = load(files[i]);
		const cJSON *tests =
			cJSON_GetObjectItemCaseSensitive(json, "tests");
		const cJSON *t;

		CU_ASSERT_FATAL(cJSON_GetArraySize(tests) > 0);
		cJSON_ArrayForEach(t, tests)
		{
			const cJSON *in =
				cJSON_GetObjectItemCaseSensitive(t, "input");
			const struct deviation *d =
				cJSON_IsString(in)
					? deviation_of(
						  files[i],
						  str_or_null(t, "test_type"),
						  in->valuestring)
					: NULL;
			bool ok = d ? run_deviation(t) : run_case(t, &c);

			c.deviations += d != NULL;
			if (!ok) {
				c.failures++;
				report(files[i], t, d ? d->why : "fails");
			}
		}
		cJSON_Delete(json);
	}
	CU_ASSERT_EQUAL(c.failures, 0);
	/* Every deviation listed was met once (none stale). */
	CU_ASSERT_EQUAL(c.deviations, BD_ARRAY_SIZE(deviations));
	fprintf(stderr,
		"\n  purl-spec suite: %u build, %u parse, %u validate cases, "
		"%u deviations, %u failed\n",
		c.build, c.parse, c.validate, c.deviations, c.failures);
}

void bd_test_register_purl_spec(void)
{
	BD_SUITE("purl-spec", BD_TEST(test_all_files_listed),
		 BD_TEST(test_suite_files));
}
