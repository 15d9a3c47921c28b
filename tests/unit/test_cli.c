/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/cli.h"
#include "bindep/emit.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

static int parse(struct bd_options *o, struct bd_error *e, int argc, ...)
{
	static char *argv[16]; /* o->paths points into it */
	va_list ap;
	int i;

	va_start(ap, argc);
	for (i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	return bd_cli_parse(argc, argv, o, e);
}

static void test_options(void)
{
	struct bd_options o;
	struct bd_error e;

	CU_ASSERT_EQUAL(parse(&o, &e, 8, "bindep-sbom", "--format", "cyclonedx",
			      "-o", "out.json", "-v", "dist", "more"),
			0);
	CU_ASSERT_EQUAL(o.format, BD_FORMAT_CYCLONEDX);
	CU_ASSERT_STRING_EQUAL(o.output, "out.json");
	CU_ASSERT_EQUAL(o.verbosity, 1);
	CU_ASSERT_EQUAL_FATAL(o.npaths, 2);
	CU_ASSERT_STRING_EQUAL(o.paths[1], "more");
	CU_ASSERT_EQUAL(parse(&o, &e, 6, "bindep-sbom", "-q", "--source-name=x",
			      "--source-version", "2", "p"),
			0);
	CU_ASSERT_EQUAL(o.verbosity, -1);
	CU_ASSERT_STRING_EQUAL(o.source_name, "x");
	CU_ASSERT_STRING_EQUAL(o.source_version, "2");
	CU_ASSERT_EQUAL(parse(&o, &e, 2, "bindep-sbom", "--help"), 0);
	CU_ASSERT_TRUE(o.help);
}

/* bd_cli_parse of "--exclude x" n times and a PATH. */
static int parse_excludes(struct bd_options *o, struct bd_error *e, size_t n)
{
	static char prog[] = "bindep-sbom", opt[] = "--exclude", x[] = "x",
		    path[] = "p";
	static char *argv[2 * BD_CLI_MAX_EXCLUDES + 5];
	size_t i;

	argv[0] = prog;
	for (i = 0; i < n; i++) {
		argv[1 + 2 * i] = opt;
		argv[2 + 2 * i] = x;
	}
	argv[1 + 2 * n] = path;
	argv[2 + 2 * n] = NULL;
	return bd_cli_parse((int)(2 + 2 * n), argv, o, e);
}

/* --exclude: repeatable, kept in order; an empty pattern, an unclosed
 * '[' and more than BD_CLI_MAX_EXCLUDES are usage errors. */
static void test_exclude(void)
{
	struct bd_options o;
	struct bd_error e;

	CU_ASSERT_EQUAL(parse(&o, &e, 6, "bindep-sbom", "--exclude", "**/t/**",
			      "--exclude=/usr/share/doc/", "dist", "x"),
			0);
	CU_ASSERT_EQUAL_FATAL(o.nexcludes, 2);
	CU_ASSERT_STRING_EQUAL(o.excludes[0], "**/t/**");
	CU_ASSERT_STRING_EQUAL(o.excludes[1], "/usr/share/doc/");
	CU_ASSERT_EQUAL(o.npaths, 2);
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--exclude", "", "p"),
			BD_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "empty"));
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "--exclude", "lib[0-9", "p"),
		BD_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "'lib[0-9'"));
	CU_ASSERT_EQUAL(parse_excludes(&o, &e, BD_CLI_MAX_EXCLUDES), 0);
	CU_ASSERT_EQUAL(o.nexcludes, BD_CLI_MAX_EXCLUDES);
	CU_ASSERT_EQUAL(parse_excludes(&o, &e, BD_CLI_MAX_EXCLUDES + 1),
			BD_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "at most"));
}

static void test_formats_and_color(void)
{
	struct bd_options o;
	struct bd_error e;

	CU_ASSERT_EQUAL(parse(&o, &e, 2, "bindep-sbom", "p"), 0);
	CU_ASSERT_EQUAL(o.format, BD_FORMAT_CYCLONEDX);
	CU_ASSERT_FALSE(o.format_given); /* main chooses: a terminal? */
	CU_ASSERT_EQUAL(o.color, BD_COLOR_AUTO);
	CU_ASSERT_EQUAL(o.depth, 0);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "--format", "cyclonedx", "p"),
		0);
	CU_ASSERT_TRUE(o.format_given);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "-fsummary", "p"), 0);
	CU_ASSERT_EQUAL(o.format, BD_FORMAT_SUMMARY);
	CU_ASSERT_EQUAL(parse(&o, &e, 5, "bindep-sbom", "--format=text",
			      "--depth", "3", "p"),
			0);
	CU_ASSERT_EQUAL(o.format, BD_FORMAT_TEXT);
	CU_ASSERT_EQUAL(o.depth, 3);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "-ftext", "--depth=all", "p"),
		0);
	CU_ASSERT_EQUAL(o.depth, BD_EMIT_DEPTH_ALL);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "--format", "spdx", "p"), 0);
	CU_ASSERT_EQUAL(o.format, BD_FORMAT_SPDX);
	CU_ASSERT_EQUAL(parse(&o, &e, 5, "bindep-sbom", "-f", "text",
			      "--color=never", "p"),
			0);
	CU_ASSERT_EQUAL(o.format, BD_FORMAT_TEXT);
	CU_ASSERT_EQUAL(o.color, BD_COLOR_NEVER);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--color=auto", "p"),
			0);
	CU_ASSERT_EQUAL(o.color, BD_COLOR_AUTO);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--color=always", "p"),
			0);
	CU_ASSERT_EQUAL(o.color, BD_COLOR_ALWAYS);
}

/* --format spdx3, and --spec-version: the CycloneDX version (1.6 unless
 * told), in either order with --format, and no other format's. */
static void test_spec_versions(void)
{
	struct bd_options o;
	struct bd_error e;

	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "--format", "spdx3", "p"), 0);
	CU_ASSERT_EQUAL(o.format, BD_FORMAT_SPDX3);
	CU_ASSERT_EQUAL(parse(&o, &e, 2, "bindep-sbom", "p"), 0);
	CU_ASSERT_EQUAL(o.cdx_version, BD_CDX_1_6);
	CU_ASSERT_PTR_NULL(o.spec_version);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "--spec-version", "1.7", "p"),
		0);
	CU_ASSERT_EQUAL(o.cdx_version, BD_CDX_1_7);
	CU_ASSERT_EQUAL(parse(&o, &e, 5, "bindep-sbom", "--spec-version=1.7",
			      "-f", "cyclonedx", "p"),
			0);
	CU_ASSERT_EQUAL(o.cdx_version, BD_CDX_1_7);
	CU_ASSERT_EQUAL(parse(&o, &e, 5, "bindep-sbom", "-f", "cyclonedx",
			      "--spec-version=1.6", "p"),
			0);
	CU_ASSERT_EQUAL(o.cdx_version, BD_CDX_1_6);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 3, "bindep-sbom", "--spec-version=1.5", "p"),
		BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "--spec-version wants 1.6 or 1.7 (the "
				      "CycloneDX versions written), not "
				      "'1.5'");
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--spec-version=", "p"),
			BD_EUSAGE);
	/* Not silently ignored with another format, before or after it. */
	CU_ASSERT_EQUAL(parse(&o, &e, 5, "bindep-sbom", "--spec-version=1.7",
			      "-f", "spdx", "p"),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "--spec-version is the CycloneDX "
				      "version (--format cyclonedx); for "
				      "SPDX, --format spdx writes 2.3 and "
				      "spdx3 writes 3.0.1");
	CU_ASSERT_EQUAL(parse(&o, &e, 5, "bindep-sbom", "-f", "text",
			      "--spec-version=1.6", "p"),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(parse(&o, &e, 5, "bindep-sbom", "-f", "spdx3",
			      "--spec-version=1.7", "p"),
			BD_EUSAGE);
}

static void test_online_options(void)
{
	struct bd_options o;
	struct bd_error e;

	CU_ASSERT_EQUAL(parse(&o, &e, 2, "bindep-sbom", "p"), 0);
	CU_ASSERT_FALSE(o.online);
	CU_ASSERT_EQUAL(o.timeout, 30);
	CU_ASSERT_EQUAL(o.cache_ttl, 7 * 86400);
	CU_ASSERT_EQUAL(parse(&o, &e, 10, "bindep-sbom", "--online",
			      "--contact", "me@example.org", "--timeout", "5",
			      "--cache-ttl=12h", "-ffunding",
			      "--funding-format=csv", "p"),
			0);
	CU_ASSERT_TRUE(o.online);
	CU_ASSERT_STRING_EQUAL(o.contact, "me@example.org");
	CU_ASSERT_EQUAL(o.timeout, 5);
	CU_ASSERT_EQUAL(o.cache_ttl, 12 * 3600);
	CU_ASSERT_EQUAL(o.funding_format, BD_FUNDING_CSV);
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--online",
			      "--cache-ttl=0", "p"),
			0);
	CU_ASSERT_EQUAL(o.cache_ttl, 0);
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--online",
			      "--cache-ttl=90m", "p"),
			0);
	CU_ASSERT_EQUAL(o.cache_ttl, 5400);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--timeout=0", "p"),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--timeout=1x", "p"),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--cache-ttl=-1", "p"),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 3, "bindep-sbom", "--cache-ttl=99999d", "p"),
		BD_EUSAGE);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--contact=a b", "p"),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 3, "bindep-sbom", "--funding-format=xml", "p"),
		BD_EUSAGE);
	{
		/* Sent in the User-Agent: no control (ESC, DEL went raw), and
		 * an address's length at most (it was cut at 511 bytes). */
		static const char *const contacts[] = { "--contact=me\x1b[2J@x",
							"--contact=me\x7f@x",
							"--contact=me\x01@x" };
		char longer[400];
		size_t i;

		for (i = 0; i < 3; i++)
			CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom",
					      contacts[i], "p"),
					BD_EUSAGE);
		snprintf(longer, sizeof(longer), "--contact=%0300d@x.org", 0);
		CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", longer, "p"),
				BD_EUSAGE);
	}
	{
		/* The APIs: http(s) URLs without credentials (they went into
		 * every SBOM's bindep:online-source and the warnings), of a
		 * length kept whole (one past 2047 bytes was cut, silently
		 * another path). */
		static const char *const bad_apis[] = {
			"--packages-api=http://alice:s3cr3t@host/api/v1",
			"--repos-api=https://token@host/api",
			"--packages-api=ftp://host/api",
			"--packages-api=http://host/a b",
			"--repos-api=http://host/\x1b",
		};
		char longer[3000];
		size_t i;

		for (i = 0; i < sizeof(bad_apis) / sizeof(bad_apis[0]); i++)
			CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom",
					      bad_apis[i], "p"),
					BD_EUSAGE);
		snprintf(longer, sizeof(longer),
			 "--packages-api=http://h/%02900d", 0);
		CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", longer, "p"),
				BD_EUSAGE);
		CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--online",
				      "--packages-api=http://127.0.0.1:8/a@b",
				      "p"),
				0);
		/* An IPv6 literal, a zone, a port, %20, upper case, a query. */
		CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--online",
				      "--repos-api=http://[::1]:8080/api", "p"),
				0);
		CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--online",
				      "--repos-api=http://[fe80::1%25eth0]/api",
				      "p"),
				0);
		CU_ASSERT_EQUAL(
			parse(&o, &e, 4, "bindep-sbom", "--online",
			      "--packages-api=HTTPS://h:443/a%20b/v1?x=y", "p"),
			0);
		CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom",
				      "--packages-api=http://h/[x]", "p"),
				BD_EUSAGE);
	}
}

static void test_usage_errors(void)
{
	static const char *const refused[][2] = {
		{ "--quiet=1", "option '--quiet' takes no argument "
			       "('--quiet=1')" },
		{ "--strict=yes", "option '--strict' takes no argument "
				  "('--strict=yes')" },
		{ "--so=x", "ambiguous option '--so': "
			    "--source-name, --source-version" },
		{ "--nope=1", "unknown option: '--nope'" },
		{ "--depth=0", "--depth wants a number from 1 to 1000, or "
			       "all, not '0'" },
		{ "--depth=-1", NULL },
		{ "--depth=1001", NULL },
		{ "--depth=2x", NULL },
		{ "--color=sometimes", "--color wants auto, always or never, "
				       "not 'sometimes'" },
		{ "--output=", NULL },
	};
	struct bd_options o;
	struct bd_error e;
	char longer[1100];
	size_t i;

	/* A short option within a cluster is named itself, not the argument
	 * before it (the program's name, or -q). */
	CU_ASSERT_EQUAL(parse(&o, &e, 2, "bindep-sbom", "-dash.so"), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "unknown option: '-d'");
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "-q", "-zq"),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "unknown option: '-z'");
	CU_ASSERT_EQUAL(parse(&o, &e, 2, "bindep-sbom", "-o"), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "option '-o' wants an argument");
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--nope", "p"),
			BD_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "'--nope'"));
	/* A long option is named long, and what was wrong with it said:
	 * "--quiet=1" was "option '-q' wants an argument". The options
	 * refused before a PATH, and what is said (NULL: not checked). */
	for (i = 0; i < BD_ARRAY_SIZE(refused); i++) {
		CU_ASSERT_EQUAL(
			parse(&o, &e, 3, "bindep-sbom", refused[i][0], "p"),
			BD_EUSAGE);
		if (refused[i][1])
			CU_ASSERT_STRING_EQUAL(e.msg, refused[i][1]);
	}
	CU_ASSERT_EQUAL(parse(&o, &e, 2, "bindep-sbom", "--format"), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "option '--format' wants an argument");
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--strict", "-Zq"),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "unknown option: '-Z'");
	/* A --source-version past CycloneDX's 1,024 characters. */
	memset(longer, '1', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memcpy(longer, "--source-version=", 17);
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", longer, "p"),
			BD_EUSAGE);

	CU_ASSERT_EQUAL(parse(&o, &e, 1, "bindep-sbom"), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "no PATH given");
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "-f", "xml", "p"),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "unknown format 'xml' (available: "
				      "cyclonedx, spdx, spdx3, summary, text, "
				      "dot, "
				      "funding)");
	/* An optional argument is attached: "--color never" is a PATH. */
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--color", "never"), 0);
	CU_ASSERT_EQUAL(o.color, BD_COLOR_ALWAYS);
	CU_ASSERT_EQUAL_FATAL(o.npaths, 1);
	CU_ASSERT_STRING_EQUAL(o.paths[0], "never");
	/* An empty --output names no file (it failed at the rename): as
	 * "--output=" in refused. */
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "-o", "", "p"),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--serial", "x", "p"),
			BD_EUSAGE);
}

/* An option of one format, or of --online, given without it changed
 * nothing, in silence: a usage error now, as --attach-dir without
 * --attach is. */
static void test_options_of_others(void)
{
	static const char *const online[] = {
		"--contact=me@example.org",
		"--timeout=5",
		"--packages-api=http://127.0.0.1:1/api/v1",
		"--repos-api=http://127.0.0.1:1/api/v1",
		"--cache-dir=/tmp",
		"--cache-ttl=1h",
	};
	struct bd_options o;
	struct bd_error e;
	char want[64];
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(online); i++) {
		CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", online[i], "p"),
				BD_EUSAGE);
		snprintf(want, sizeof(want), "%.*s is an option of --online",
			 (int)strcspn(online[i], "="), online[i]);
		CU_ASSERT_STRING_EQUAL(e.msg, want);
		CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", online[i],
				      "--online", "p"),
				0);
	}
	CU_ASSERT_EQUAL(parse(&o, &e, 3, "bindep-sbom", "--depth=2", "p"),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "--depth is an option of the text view "
				      "(--format text)");
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "-fdot", "--depth=2", "p"),
		BD_EUSAGE);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 3, "bindep-sbom", "--funding-format=csv", "p"),
		BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(e.msg, "--funding-format is an option of "
				      "--format funding");
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "-fspdx",
			      "--funding-format=json", "p"),
			BD_EUSAGE);
}

/* --author and --supplier (issue 15): what SPDX's "Person: name (email)"
 * and "Organization: name" can carry, nothing else. */
static void test_author_and_supplier(void)
{
	static const char *const bad_authors[] = {
		"",	      "  ",	 "<a@b.org>", "A <a@b.org",
		"A <>",	      "A <a b>", "A <a@b> x", "A (x) <a@b>",
		"A\tB <a@b>", "A\nB",	 "A <a@b>>",  "\xff\xfe <a@b>",
	};
	struct bd_options o;
	struct bd_error e;
	size_t i;

	CU_ASSERT_EQUAL(parse(&o, &e, 8, "bindep-sbom", "--author",
			      "Jane Doe <jane@example.org>", "--author",
			      "Build Bot", "--supplier", "Example Corp", "p"),
			0);
	CU_ASSERT_EQUAL_FATAL(o.nauthors, 2);
	CU_ASSERT_STRING_EQUAL(o.authors[0], "Jane Doe <jane@example.org>");
	CU_ASSERT_STRING_EQUAL(o.authors[1], "Build Bot");
	CU_ASSERT_STRING_EQUAL(o.supplier, "Example Corp");
	for (i = 0; i < BD_ARRAY_SIZE(bad_authors); i++) {
		CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--author",
				      bad_authors[i], "p"),
				BD_EUSAGE);
		CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--author"));
	}
	CU_ASSERT_EQUAL(parse(&o, &e, 4, "bindep-sbom", "--supplier", "", "p"),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "--supplier", "Acme (EU)", "p"),
		BD_EUSAGE);
	CU_ASSERT_EQUAL(
		parse(&o, &e, 4, "bindep-sbom", "--supplier", " Acme", "p"),
		BD_EUSAGE);
}

static void test_person_split(void)
{
	struct bd_buf name = BD_BUF_INIT, email = BD_BUF_INIT;

	CU_ASSERT_TRUE(bd_emit_person("  Jane Q. Doe  < jane@example.org > ",
				      &name, &email));
	CU_ASSERT_STRING_EQUAL(name.data, "Jane Q. Doe");
	CU_ASSERT_STRING_EQUAL(email.data, "jane@example.org");
	CU_ASSERT_TRUE(bd_emit_person("Zoë Ünal", &name, &email));
	CU_ASSERT_STRING_EQUAL(name.data, "Zoë Ünal");
	CU_ASSERT_EQUAL(email.len, 0);
	bd_buf_release(&name);
	bd_buf_release(&email);
}

static void test_help_lists_every_option(void)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_cli_help(&b);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b), "usage: bindep-sbom"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b), "-o, --output FILE"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b), "--serial UUID"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b), "-q, --quiet"));
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&b), "--color[=WHEN]"));
	bd_buf_release(&b);
}

/* Whether word stands alone in line ("T" in "G or T (", not in "TIME"). */
static bool names_word(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(line + i, word, n) &&
		    (!i || !isalnum((unsigned char)line[i - 1])) &&
		    (i + n == len || !isalnum((unsigned char)line[i + n])))
			return true;
	return false;
}

/* --max-unpacked's line of --help names each unit its parser takes, and
 * none it refuses: it had "K, M, G", where T is taken too. */
static void test_help_names_size_units(void)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *line, *end;
	const char units[] = "KMGTPE";
	struct bd_options o;
	struct bd_error e;
	size_t i;

	bd_cli_help(&b);
	line = strstr(bd_buf_str(&b), "--max-unpacked SIZE");
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	end = strchr(line, '\n');
	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	for (i = 0; units[i]; i++) {
		char arg[32], unit[2] = { units[i], '\0' };
		bool taken;

		snprintf(arg, sizeof(arg), "--max-unpacked=1%c", units[i]);
		taken = parse(&o, &e, 3, "bindep-sbom", arg, "p") == 0;
		CU_ASSERT_EQUAL(names_word(line, (size_t)(end - line), unit),
				taken);
	}
	bd_buf_release(&b);
}

/* What the shell completions are made from (bd_cli_option_info): every
 * option of --help, and for an enumerated one the words its parser takes. */
static void test_option_info(void)
{
	struct bd_cli_option_info info;
	struct bd_buf help = BD_BUF_INIT;
	struct bd_options o;
	struct bd_error e;
	size_t i, k, enums = 0;

	bd_cli_help(&help);
	for (i = 0; bd_cli_option_info(i, &info); i++) {
		char word[128], bad[128];

		snprintf(word, sizeof(word), "--%s", info.name);
		CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&help), word));
		CU_ASSERT_PTR_NOT_NULL(info.help);
		CU_ASSERT_EQUAL(info.has_arg != 0, info.arg != NULL);
		CU_ASSERT_EQUAL(info.nchoices != 0,
				info.has_arg != 0 &&
					bd_cli_option_choice(i, 0));
		enums += info.nchoices != 0;
		for (k = 0; k < info.nchoices; k++) {
			/* With what the option is of. */
			const char *of = !strcmp(info.name, "funding-format")
						 ? "-ffunding"
						 : "--online";

			snprintf(word, sizeof(word), "--%s=%s", info.name,
				 bd_cli_option_choice(i, k));
			CU_ASSERT_EQUAL(
				parse(&o, &e, 4, "bindep-sbom", of, word, "p"),
				0);
		}
		CU_ASSERT_PTR_NULL(bd_cli_option_choice(i, info.nchoices));
		if (info.nchoices) {
			snprintf(bad, sizeof(bad), "--%s=bogus", info.name);
			CU_ASSERT_EQUAL(
				parse(&o, &e, 3, "bindep-sbom", bad, "p"),
				BD_EUSAGE);
		}
		if (!strcmp(info.name, "format")) {
			CU_ASSERT_EQUAL(info.short_name, 'f');
			CU_ASSERT_STRING_EQUAL(info.arg, "FORMAT");
			CU_ASSERT_STRING_EQUAL(bd_cli_option_choice(i, 0),
					       "cyclonedx");
		}
		if (!strcmp(info.name, "color"))
			CU_ASSERT_EQUAL(info.has_arg, 2);
	}
	CU_ASSERT(i > 20);
	CU_ASSERT(enums >= 3); /* --format, --color, --funding-format, ... */
	CU_ASSERT_FALSE(bd_cli_option_info(i, &info));
	CU_ASSERT_PTR_NULL(bd_cli_option_choice(i, 0));
	bd_buf_release(&help);
}

void bd_test_register_cli(void)
{
	BD_SUITE("cli", BD_TEST(test_options), BD_TEST(test_exclude),
		 BD_TEST(test_formats_and_color), BD_TEST(test_spec_versions),
		 BD_TEST(test_online_options), BD_TEST(test_usage_errors),
		 BD_TEST(test_options_of_others),
		 BD_TEST(test_author_and_supplier), BD_TEST(test_person_split),
		 BD_TEST(test_help_lists_every_option),
		 BD_TEST(test_help_names_size_units),
		 BD_TEST(test_option_info));
}
