/* SPDX-License-Identifier: MIT */
#include "bindep/cli.h"
#include "bindep/utf8.h"
#include "bindep/emit.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum {
	OPT_SOURCE_NAME = 256,
	OPT_SPEC_VERSION,
	OPT_SOURCE_VERSION,
	OPT_SERIAL,
	OPT_AUTHOR,
	OPT_SUPPLIER,
	OPT_ROOT,
	OPT_EXCLUDE,
	OPT_LIBRARY_PATH,
	OPT_STRICT,
	OPT_MAPPING,
	OPT_MAPPINGS_DIR,
	OPT_REGISTRY,
	OPT_COLOR,
	OPT_ONLINE,
	OPT_FUNDING_FORMAT,
	OPT_CONTACT,
	OPT_TIMEOUT,
	OPT_PACKAGES_API,
	OPT_REPOS_API,
	OPT_CACHE_DIR,
	OPT_CACHE_TTL,
	OPT_MAX_UNPACKED,
	OPT_PLATFORM,
	OPT_IMAGE_REF,
	OPT_DEPTH,
	OPT_ATTACH,
	OPT_ATTACH_DIR,
	OPT_FORCE,
	OPT_HELP,
	OPT_VERSION,
};

/* One table drives both getopt_long and --help. */
struct cli_option {
	const char *name;
	int has_arg;
	int val;
	const char *arg;
	const char *help;
};

static const struct cli_option cli_options[] = {
	{ "format", required_argument, 'f', "FORMAT",
	  "output format: cyclonedx (CycloneDX JSON, 1.6 unless "
	  "--spec-version 1.7), spdx (SPDX 2.3 JSON), spdx3 (SPDX 3.0.1 "
	  "JSON-LD), summary (the projects used, a table to read), text (a "
	  "tree per scanned file), dot (a Graphviz graph) or funding (the "
	  "upstream projects to fund). Default: summary when standard output "
	  "is a terminal and neither -o nor --spec-version is given, else "
	  "cyclonedx" },
	{ "spec-version", required_argument, OPT_SPEC_VERSION, "VERSION",
	  "the CycloneDX version to write: 1.6 (the default, which more "
	  "consumers read) or 1.7; only with --format cyclonedx" },
	{ "funding-format", required_argument, OPT_FUNDING_FORMAT, "FORMAT",
	  "the funding report as json (default), csv or markdown" },
	{ "output", required_argument, 'o', "FILE",
	  "write the SBOM to FILE (atomically) instead of standard output "
	  "('-' names standard output)" },
	{ "source-name", required_argument, OPT_SOURCE_NAME, "NAME",
	  "name of the described target (default: the first PATH's base "
	  "name)" },
	{ "source-version", required_argument, OPT_SOURCE_VERSION, "VERSION",
	  "version of the described target" },
	{ "serial", required_argument, OPT_SERIAL, "UUID",
	  "serial number (urn:uuid:...), also the UUID of the SPDX "
	  "namespace; default: derived from the content" },
	{ "author", required_argument, OPT_AUTHOR, "'NAME <EMAIL>'",
	  "who wrote the SBOM (repeatable): CycloneDX metadata.authors, an "
	  "SPDX \"Person:\" creator" },
	{ "supplier", required_argument, OPT_SUPPLIER, "NAME",
	  "the organisation that supplies the described target: CycloneDX "
	  "metadata.supplier, an SPDX \"Organization:\" creator and the "
	  "target's supplier" },
	{ "root", required_argument, OPT_ROOT, "DIR",
	  "resolve inside this root file system (a sysroot, an unpacked "
	  "image); without PATH, scan all of it" },
	{ "exclude", required_argument, OPT_EXCLUDE, "GLOB",
	  "leave out the files and directories whose path as the SBOM shows "
	  "it (dist/pkg/tests/x.so, dist/x.whl!/x/tests/x.so, under --root "
	  "/usr/share/doc/x) matches GLOB: * ? [...] within a component, ** "
	  "across components, a trailing / for a directory; may be repeated. "
	  "A library a scanned file needs is still found there" },
	{ "library-path", required_argument, OPT_LIBRARY_PATH, "DIRS",
	  "search these directories as LD_LIBRARY_PATH would (colon list)" },
	{ "mapping", required_argument, OPT_MAPPING, "FILE",
	  "also identify libraries by this mapping file (it wins; may be "
	  "repeated)" },
	{ "mappings-dir", required_argument, OPT_MAPPINGS_DIR, "DIR",
	  "the identification registry to use instead of the shipped one" },
	{ "registry", required_argument, OPT_REGISTRY, "DIR",
	  "a package-url/purl-registry checkout: add its links, licence and "
	  "alternative purls" },
	{ "color", optional_argument, OPT_COLOR, "WHEN",
	  "colour the summary and the text view: auto (default: when "
	  "standard output is a terminal), always or never" },
	{ "depth", required_argument, OPT_DEPTH, "N",
	  "text view: draw N levels of needs under each scanned file "
	  "(default 1, the direct ones), or all" },
	{ "online", no_argument, OPT_ONLINE, NULL,
	  "look up licences, repositories, maintainers and funding links on "
	  "ecosyste.ms (off by default: nothing else uses the network)" },
	{ "contact", required_argument, OPT_CONTACT, "EMAIL",
	  "with --online: sent as mailto: in the User-Agent (ecosyste.ms's "
	  "polite pool)" },
	{ "timeout", required_argument, OPT_TIMEOUT, "SECONDS",
	  "with --online: give each lookup this long, retries included "
	  "(default: 30)" },
	{ "packages-api", required_argument, OPT_PACKAGES_API, "URL",
	  "with --online: the packages API (default: "
	  "https://packages.ecosyste.ms/api/v1)" },
	{ "repos-api", required_argument, OPT_REPOS_API, "URL",
	  "with --online: the repositories API (default: "
	  "https://repos.ecosyste.ms/api/v1)" },
	{ "cache-dir", required_argument, OPT_CACHE_DIR, "DIR",
	  "with --online: cache answers here (default: "
	  "$XDG_CACHE_HOME/bindep-sbom, else ~/.cache/bindep-sbom)" },
	{ "cache-ttl", required_argument, OPT_CACHE_TTL, "TIME",
	  "with --online: answers stay fresh this long: seconds, or a number "
	  "and s, m, h or d (default: 7d)" },
	{ "max-unpacked", required_argument, OPT_MAX_UNPACKED, "SIZE",
	  "bytes unpacked per archive, with K, M, G or T (default 4G; a run "
	  "may unpack four times as much, at least 16G)" },
	{ "platform", required_argument, OPT_PLATFORM, "OS/ARCH[/VARIANT]",
	  "the image of a multi-platform image to read (default "
	  "linux/amd64)" },
	{ "image-ref", required_argument, OPT_IMAGE_REF, "REF",
	  "the image to read when a layout or archive holds several" },
	{ "attach", no_argument, OPT_ATTACH, NULL,
	  "also write each wheel's own CycloneDX SBOM into it, as "
	  "<name>-<version>.dist-info/sboms/bindep-sbom.cdx.json with its "
	  "RECORD line (PEP 770); the wheel is replaced atomically" },
	{ "attach-dir", required_argument, OPT_ATTACH_DIR, "DIR",
	  "with --attach: write the wheels with their SBOM into DIR, and "
	  "leave the inputs untouched" },
	{ "force", no_argument, OPT_FORCE, NULL,
	  "with --attach: attach to a signed wheel too, dropping its "
	  "signature (RECORD.jws, RECORD.p7s)" },
	{ "strict", no_argument, OPT_STRICT, NULL,
	  "exit 3 when a needed library, a program's interpreter or a "
	  "required .note.dlopen library is not found (the SBOM is "
	  "written)" },
	{ "jobs", required_argument, 'j', "N",
	  "scan with N threads (default: one per CPU)" },
	{ "quiet", no_argument, 'q', NULL,
	  "print no warnings, and no progress on a terminal" },
	{ "verbose", no_argument, 'v', NULL,
	  "show every warning (else past 1,000 only counted), and report "
	  "what was skipped (symlinked directories, debug files, other "
	  "systems' binaries), each needed library not found, and a "
	  "summary" },
	{ "help", no_argument, OPT_HELP, NULL, "show this help and exit" },
	{ "version", no_argument, OPT_VERSION, NULL,
	  "show the version and exit" },
};

#define NOPTIONS BD_ARRAY_SIZE(cli_options)

/* The words an enumerated option's argument may be, and what each means. */
struct cli_choice {
	const char *name;
	int value;
};

static const struct cli_choice formats[] = {
	{ "cyclonedx", BD_FORMAT_CYCLONEDX }, { "spdx", BD_FORMAT_SPDX },
	{ "spdx3", BD_FORMAT_SPDX3 },	      { "summary", BD_FORMAT_SUMMARY },
	{ "text", BD_FORMAT_TEXT },	      { "dot", BD_FORMAT_DOT },
	{ "funding", BD_FORMAT_FUNDING },
};

static const struct cli_choice colors[] = {
	{ "auto", BD_COLOR_AUTO },
	{ "always", BD_COLOR_ALWAYS },
	{ "never", BD_COLOR_NEVER },
};

static const struct cli_choice spec_versions[] = {
	{ "1.6", BD_CDX_1_6 },
	{ "1.7", BD_CDX_1_7 },
};

static const struct cli_choice funding_formats[] = {
	{ "json", BD_FUNDING_JSON },
	{ "csv", BD_FUNDING_CSV },
	{ "markdown", BD_FUNDING_MARKDOWN },
};

/*
 * The options whose argument is one of a few words. The parser, its usage
 * error and the shell completions (bd_cli_option_info) all read the words
 * from here: a value added to a table is accepted, named and completed.
 */
static const struct cli_enum {
	int val;
	const struct cli_choice *choices;
	size_t nchoices;
} cli_enums[] = {
	{ 'f', formats, BD_ARRAY_SIZE(formats) },
	{ OPT_COLOR, colors, BD_ARRAY_SIZE(colors) },
	{ OPT_FUNDING_FORMAT, funding_formats, BD_ARRAY_SIZE(funding_formats) },
	{ OPT_SPEC_VERSION, spec_versions, BD_ARRAY_SIZE(spec_versions) },
};

static const struct cli_enum *cli_enum_of(int val)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(cli_enums); i++)
		if (cli_enums[i].val == val)
			return &cli_enums[i];
	return NULL;
}

/* The value of the word arg of option val; false when it is none. */
static bool choose(int val, const char *arg, int *value)
{
	const struct cli_enum *e = cli_enum_of(val);
	size_t i;

	for (i = 0; e && i < e->nchoices; i++) {
		if (!strcmp(arg, e->choices[i].name)) {
			*value = e->choices[i].value;
			return true;
		}
	}
	return false;
}

/* "auto, always or never" (last " or "), "a, b, c" (last ", "). */
static void list_choices(int val, const char *last, char *buf, size_t size)
{
	const struct cli_enum *e = cli_enum_of(val);
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; e && i < e->nchoices && len < size; i++) {
		const char *sep = !i ? "" : i + 1 < e->nchoices ? ", " : last;
		int n = snprintf(buf + len, size - len, "%s%s", sep,
				 e->choices[i].name);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

bool bd_cli_option_info(size_t i, struct bd_cli_option_info *info)
{
	const struct cli_enum *e;

	if (i >= NOPTIONS)
		return false;
	e = cli_enum_of(cli_options[i].val);
	info->name = cli_options[i].name;
	info->short_name = cli_options[i].val < 256 ? cli_options[i].val : 0;
	info->has_arg = cli_options[i].has_arg;
	info->arg = cli_options[i].arg;
	info->help = cli_options[i].help;
	info->nchoices = e ? e->nchoices : 0;
	return true;
}

const char *bd_cli_option_choice(size_t i, size_t k)
{
	const struct cli_enum *e =
		i < NOPTIONS ? cli_enum_of(cli_options[i].val) : NULL;

	return e && k < e->nchoices ? e->choices[k].name : NULL;
}

void bd_cli_help(struct bd_buf *out)
{
	size_t i;

	bd_buf_printf(out,
		      "usage: %s [OPTIONS] PATH...\n"
		      "       %s [OPTIONS] --root DIR [PATH...]\n\n"
		      "Find the ELF binaries under each PATH, what they link "
		      "and dlopen, and write an SBOM.\n"
		      "Nothing is executed, and nothing is fetched unless "
		      "--online is given.\n\n"
		      "Options:\n",
		      BD_PROGRAM, BD_PROGRAM);
	for (i = 0; i < NOPTIONS; i++) {
		const struct cli_option *o = &cli_options[i];
		char left[64];

		const char *open = o->has_arg == optional_argument ? "[=" : " ";
		const char *close = o->has_arg == optional_argument ? "]" : "";

		if (!o->arg)
			open = close = "";
		if (o->val < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s%s", o->val,
				 o->name, open, o->arg ? o->arg : "", close);
		else
			snprintf(left, sizeof(left), "    --%s%s%s%s", o->name,
				 open, o->arg ? o->arg : "", close);
		bd_buf_printf(out, "  %-32s %s\n", left, o->help);
	}
	bd_buf_adds(out,
		    "\nExit status: 0 ok, 1 runtime error, 2 usage error, "
		    "3 SBOM written but --strict found a missing library.\n"
		    "SOURCE_DATE_EPOCH sets the timestamp; without it, the "
		    "time of the run is used.\n"
		    "On a terminal, progress is shown on standard error (not "
		    "with -q, NO_COLOR or TERM=dumb).\n"
		    "A picture: bindep-sbom --format dot PATH | dot -Tsvg -o "
		    "deps.svg\n");
}

static void build_getopt(struct option *longopts, char *shortopts)
{
	size_t i, s = 0;

	for (i = 0; i < NOPTIONS; i++) {
		longopts[i].name = cli_options[i].name;
		longopts[i].has_arg = cli_options[i].has_arg;
		longopts[i].flag = NULL;
		longopts[i].val = cli_options[i].val;
		if (cli_options[i].val < 256) {
			shortopts[s++] = (char)cli_options[i].val;
			if (cli_options[i].has_arg == required_argument)
				shortopts[s++] = ':';
		}
	}
	memset(&longopts[NOPTIONS], 0, sizeof(longopts[NOPTIONS]));
	shortopts[s] = '\0';
}

static int parse_format(const char *arg, struct bd_options *o,
			struct bd_error *err)
{
	char list[256];
	int value;

	if (choose('f', arg, &value)) {
		o->format = (enum bd_format)value;
		o->format_given = true;
		return 0;
	}
	list_choices('f', ", ", list, sizeof(list));
	return bd_error_set(err, BD_EUSAGE,
			    "unknown format '%s' (available: %s)", arg, list);
}

/* --spec-version: the CycloneDX versions we write. */
static int parse_spec_version(const char *arg, struct bd_options *o,
			      struct bd_error *err)
{
	int value;

	if (!choose(OPT_SPEC_VERSION, arg, &value))
		return bd_error_set(err, BD_EUSAGE,
				    "--spec-version wants 1.6 or 1.7 (the "
				    "CycloneDX versions written), not '%s'",
				    arg);
	o->cdx_version = value;
	o->spec_version = arg;
	return 0;
}

/* An e-mail address for the User-Agent: printable ASCII but blanks and
 * "()<>" (which would end the comment it is sent in), of an address's
 * length at most (RFC 5321: 254). */
static bool contact_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > BD_CLI_MAX_CONTACT)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f ||
		    strchr("()<>", *s))
			return false;
	return true;
}

/* An API's base URL: http(s), no credentials (a URL is written into every
 * SBOM's bindep:online-source and the warnings: "user:token@" would be
 * too), RFC 3986's characters, an IPv6 literal host too ("[::1]"), and
 * kept whole (BD_CLI_MAX_URL). */
static int api_url(const char *opt, const char *arg, const char **out,
		   struct bd_error *err)
{
	char copy[BD_CLI_MAX_URL + 1], *authority, *p;
	size_t alen;

	if (strlen(arg) > BD_CLI_MAX_URL)
		return bd_error_set(err, BD_EUSAGE,
				    "%s: '%s' is longer than %u bytes", opt,
				    arg, BD_CLI_MAX_URL);
	strcpy(copy, arg);
	authority = strstr(copy, "://");
	alen = authority ? strcspn(authority + 3, "/?#") : 0;
	/* The brackets of an IPv6 literal, where bd_url_ok (for URLs from
	 * others' data, shown as links) takes none. */
	for (p = authority ? authority + 3 : NULL;
	     p && p < authority + 3 + alen; p++)
		if (*p == '[' || *p == ']')
			*p = 'x';
	if (!bd_url_ok(copy))
		return bd_error_set(err, BD_EUSAGE,
				    "%s wants an http(s) URL, not '%s'", opt,
				    arg);
	if (memchr(authority + 3, '@', alen))
		return bd_error_set(err, BD_EUSAGE,
				    "%s: '%s' holds credentials, which would "
				    "be written into the SBOM and the warnings",
				    opt, arg);
	*out = arg;
	return 0;
}

/* "30", "90s", "15m", "12h", "7d": seconds, at most ten years. */
static int parse_duration(const char *opt, const char *arg, long min, long *out,
			  struct bd_error *err)
{
	static const struct {
		char unit;
		long seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	unsigned long long v;
	long mult = 1;
	char *end;
	size_t i;

	errno = 0;
	v = strtoull(arg, &end, 10);
	for (i = 0; *end && !end[1] && i < BD_ARRAY_SIZE(units); i++) {
		if (*end == units[i].unit) {
			mult = units[i].seconds;
			end++;
		}
	}
	if (!isdigit((unsigned char)*arg) || *end || errno ||
	    v > 315360000ULL / (unsigned long long)mult || (long)v * mult < min)
		return bd_error_set(err, BD_EUSAGE,
				    "%s wants a number of seconds (or with s, "
				    "m, h or d) of at least %ld, not '%s'",
				    opt, min, arg);
	*out = (long)v * mult;
	return 0;
}

/* --color alone means always, as in ls and grep. */
static int parse_color(const char *arg, struct bd_options *o,
		       struct bd_error *err)
{
	char list[256];
	int value;

	if (choose(OPT_COLOR, arg ? arg : "always", &value)) {
		o->color = (enum bd_color)value;
		return 0;
	}
	list_choices(OPT_COLOR, " or ", list, sizeof(list));
	return bd_error_set(err, BD_EUSAGE, "--color wants %s, not '%s'", list,
			    arg);
}

static int parse_funding_format(const char *arg, struct bd_options *o,
				struct bd_error *err)
{
	char list[256];

	if (choose(OPT_FUNDING_FORMAT, arg, &o->funding_format))
		return 0;
	list_choices(OPT_FUNDING_FORMAT, " or ", list, sizeof(list));
	return bd_error_set(err, BD_EUSAGE,
			    "--funding-format wants %s, not '%s'", list, arg);
}

/* --exclude GLOB: checked now (bindep/exclude.h), matched during the
 * walk. */
static int parse_exclude(const char *arg, struct bd_options *o,
			 struct bd_error *err)
{
	if (bd_exclude_check(arg, err))
		return BD_EUSAGE;
	if (o->nexcludes == BD_CLI_MAX_EXCLUDES)
		return bd_error_set(err, BD_EUSAGE, "at most %d --exclude",
				    BD_CLI_MAX_EXCLUDES);
	o->excludes[o->nexcludes++] = arg;
	return 0;
}

/* --author "Name <email>" or "Name", as bd_emit_person reads it. */
static int parse_author(const char *arg, struct bd_options *o,
			struct bd_error *err)
{
	struct bd_buf name = BD_BUF_INIT, email = BD_BUF_INIT;
	bool ok = bd_emit_person(arg, &name, &email);

	bd_buf_release(&name);
	bd_buf_release(&email);
	if (!ok)
		return bd_error_set(err, BD_EUSAGE,
				    "--author wants 'Name <email>' or 'Name', "
				    "not '%s'",
				    arg);
	if (o->nauthors == BD_CLI_MAX_AUTHORS)
		return bd_error_set(err, BD_EUSAGE, "at most %d --author",
				    BD_CLI_MAX_AUTHORS);
	o->authors[o->nauthors++] = arg;
	return 0;
}

static int parse_jobs(const char *arg, struct bd_options *o,
		      struct bd_error *err)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || *arg == '-' || n < 1 || n > 1024)
		return bd_error_set(err, BD_EUSAGE,
				    "--jobs wants a number from 1 to 1024, "
				    "not '%s'",
				    arg);
	o->jobs = (unsigned)n;
	return 0;
}

/* --depth: a number of levels, or all. */
static int parse_depth(const char *arg, struct bd_options *o,
		       struct bd_error *err)
{
	unsigned long n;
	char *end;

	if (!strcmp(arg, "all")) {
		o->depth = BD_EMIT_DEPTH_ALL;
		return 0;
	}
	errno = 0;
	n = strtoul(arg, &end, 10);
	if (!isdigit((unsigned char)*arg) || *end || errno || n < 1 || n > 1000)
		return bd_error_set(err, BD_EUSAGE,
				    "--depth wants a number from 1 to 1000, "
				    "or all, not '%s'",
				    arg);
	o->depth = (unsigned)n;
	return 0;
}

/* "512M", "4G", "100000": bytes, from 1 KiB to 1 PiB. */
static int parse_size(const char *opt, const char *arg, uint64_t *out,
		      struct bd_error *err)
{
	static const char units[] = "KMGT";
	unsigned long long v;
	const char *u;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end && !end[1] && (u = strchr(units, *end))) {
		int shift = 10 * (int)(u - units + 1);

		v = v > (1ULL << 50) >> shift ? 0 : v << shift;
		end++;
	}
	if (!isdigit((unsigned char)*arg) || *end || errno || v < 1024 ||
	    v > (1ULL << 50))
		return bd_error_set(err, BD_EUSAGE,
				    "%s wants a size from 1K to 1024T (a "
				    "number, with K, M, G or T), not '%s'",
				    opt, arg);
	*out = v;
	return 0;
}

static int apply_option(int c, const char *arg, struct bd_options *o,
			struct bd_error *err)
{
	switch (c) {
	case 'f': return parse_format(arg, o, err);
	case OPT_SPEC_VERSION: return parse_spec_version(arg, o, err);
	case 'o':
		/* "" would name no file: caught here, not at the rename. */
		if (!*arg)
			return bd_error_set(err, BD_EUSAGE,
					    "--output wants a file name (or "
					    "'-'), not an empty string");
		o->output = arg;
		return 0;
	case 'j': return parse_jobs(arg, o, err);
	case 'q': o->verbosity = -1; return 0;
	case 'v': o->verbosity = 1; return 0;
	case OPT_SOURCE_NAME: o->source_name = arg; return 0;
	case OPT_SOURCE_VERSION:
		/* CycloneDX's version: 1,024 characters at most. */
		if (strlen(arg) > BD_CLI_MAX_VERSION)
			return bd_error_set(err, BD_EUSAGE,
					    "--source-version is longer than "
					    "%u bytes",
					    BD_CLI_MAX_VERSION);
		o->source_version = arg;
		return 0;
	case OPT_SERIAL:
		if (!bd_emit_valid_uuid(arg, true))
			return bd_error_set(err, BD_EUSAGE,
					    "--serial wants urn:uuid: and a "
					    "lowercase UUID, not '%s'",
					    arg);
		o->serial = arg;
		return 0;
	case OPT_AUTHOR: return parse_author(arg, o, err);
	case OPT_SUPPLIER:
		if (!bd_emit_valid_organization(arg))
			return bd_error_set(err, BD_EUSAGE,
					    "--supplier wants an organisation "
					    "name without control characters, "
					    "'(' or ')', not '%s'",
					    arg);
		o->supplier = arg;
		return 0;
	case OPT_ROOT: o->root = arg; return 0;
	case OPT_EXCLUDE: return parse_exclude(arg, o, err);
	case OPT_LIBRARY_PATH: o->library_path = arg; return 0;
	case OPT_STRICT: o->strict = true; return 0;
	case OPT_ATTACH: o->attach = true; return 0;
	case OPT_ATTACH_DIR: o->attach_dir = arg; return 0;
	case OPT_FORCE: o->force = true; return 0;
	case OPT_MAPPING:
		if (o->nmapping_files == BD_CLI_MAX_MAPPINGS)
			return bd_error_set(err, BD_EUSAGE,
					    "at most %d --mapping files",
					    BD_CLI_MAX_MAPPINGS);
		o->mapping_files[o->nmapping_files++] = arg;
		return 0;
	case OPT_MAPPINGS_DIR: o->mappings_dir = arg; return 0;
	case OPT_REGISTRY: o->registry_dir = arg; return 0;
	case OPT_COLOR: return parse_color(arg, o, err);
	case OPT_ONLINE: o->online = true; return 0;
	case OPT_FUNDING_FORMAT: return parse_funding_format(arg, o, err);
	case OPT_CONTACT:
		if (!contact_ok(arg))
			return bd_error_set(
				err, BD_EUSAGE,
				"--contact wants an e-mail address, "
				"not '%s'",
				arg);
		o->contact = arg;
		return 0;
	case OPT_TIMEOUT:
		return parse_duration("--timeout", arg, 1, &o->timeout, err);
	case OPT_PACKAGES_API:
		return api_url("--packages-api", arg, &o->packages_api, err);
	case OPT_REPOS_API:
		return api_url("--repos-api", arg, &o->repos_api, err);
	case OPT_CACHE_DIR:
		/* "" (an unset variable's expansion) names no directory. */
		if (!*arg)
			return bd_error_set(
				err, BD_EUSAGE,
				"--cache-dir wants a directory, not "
				"an empty string");
		o->cache_dir = arg;
		return 0;
	case OPT_CACHE_TTL:
		return parse_duration("--cache-ttl", arg, 0, &o->cache_ttl,
				      err);
	case OPT_MAX_UNPACKED:
		return parse_size("--max-unpacked", arg, &o->max_unpacked, err);
	case OPT_PLATFORM:
		if (!*arg || !strchr(arg, '/'))
			return bd_error_set(
				err, BD_EUSAGE,
				"--platform wants OS/ARCH[/VARIANT] "
				"(linux/arm64/v8), not '%s'",
				arg);
		o->platform = arg;
		return 0;
	case OPT_IMAGE_REF: o->image_ref = arg; return 0;
	case OPT_DEPTH: return parse_depth(arg, o, err);
	case OPT_HELP: o->help = true; return 0;
	case OPT_VERSION: o->version = true; return 0;
	default: return bd_error_set(err, BD_EUSAGE, "unknown option");
	}
}

/* An option only --online uses: its name, for the usage error without
 * it; else NULL. */
static const char *online_option(int c)
{
	switch (c) {
	case OPT_CONTACT: return "--contact";
	case OPT_TIMEOUT: return "--timeout";
	case OPT_PACKAGES_API: return "--packages-api";
	case OPT_REPOS_API: return "--repos-api";
	case OPT_CACHE_DIR: return "--cache-dir";
	case OPT_CACHE_TTL: return "--cache-ttl";
	default: return NULL;
	}
}

/*
 * An option of one format, or of --online, changes nothing without it:
 * given so, it was ignored in silence (--depth with the default format,
 * --cache-dir without --online). A usage error, as --spec-version of
 * another format is. The format not given is CycloneDX or the summary
 * (main's default_format): neither the text view nor the funding report.
 */
static int options_of_others(const struct bd_options *o, const char *online,
			     bool funding_format, struct bd_error *err)
{
	if (online && !o->online)
		return bd_error_set(err, BD_EUSAGE,
				    "%s is an option of --online", online);
	if (o->depth && o->format != BD_FORMAT_TEXT)
		return bd_error_set(err, BD_EUSAGE,
				    "--depth is an option of the text view "
				    "(--format text)");
	if (funding_format && o->format != BD_FORMAT_FUNDING)
		return bd_error_set(err, BD_EUSAGE,
				    "--funding-format is an option of "
				    "--format funding");
	return 0;
}

/* The option whose getopt value is val, else NULL. */
static const struct cli_option *option_of(int val)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (cli_options[i].val == val)
			return &cli_options[i];
	return NULL;
}

/* "--so" of "--so=x": the options it abbreviates, ", "-separated in buf
 * (getopt_long takes any unambiguous prefix); their count. */
static size_t abbreviated(const char *arg, char *buf, size_t size)
{
	size_t i, n = 0, len = strcspn(arg + 2, "="), at = 0;

	buf[0] = '\0';
	for (i = 0; i < NOPTIONS; i++) {
		if (strncmp(cli_options[i].name, arg + 2, len))
			continue;
		if (at < size) {
			int w = snprintf(buf + at, size - at, "%s--%s",
					 n ? ", " : "", cli_options[i].name);

			at += w > 0 ? (size_t)w : 0;
		}
		n++;
	}
	return n;
}

/* What getopt refused ('?', or ':' for a missing argument: shortopts
 * starts with ':'). A short option is named by optopt: within a cluster
 * ("-dash.so"), argv[optind - 1] is still the argument before it (the
 * program's own name, "-q"). A long one is argv[optind - 1], which getopt
 * has passed; glibc gives optopt its value when it takes no argument but
 * was given one ("--quiet=1") or wants one, and 0 when it is unknown or
 * ambiguous. */
static int bad_option(int c, char *const *argv, struct bd_error *err)
{
	const struct cli_option *known = optopt ? option_of(optopt) : NULL;
	const char *arg = argv[optind - 1];
	bool is_long = !strncmp(arg, "--", 2) && (c == ':' || !optopt);
	char list[512];
	int len;

	if (c == ':' && known && !strncmp(arg, "--", 2))
		return bd_error_set(err, BD_EUSAGE,
				    "option '--%s' wants an argument",
				    known->name);
	if (c == '?' && known)
		return bd_error_set(err, BD_EUSAGE,
				    "option '--%s' takes no argument ('%s')",
				    known->name, arg);
	if (!is_long && optopt > 0 && optopt < 128 && isprint(optopt))
		return bd_error_set(err, BD_EUSAGE,
				    c == ':' ? "option '-%c' wants an argument"
					     : "unknown option: '-%c'",
				    optopt);
	len = (int)strcspn(arg, "=");
	if (is_long && abbreviated(arg, list, sizeof(list)) > 1)
		return bd_error_set(err, BD_EUSAGE,
				    "ambiguous option '%.*s': %s", len, arg,
				    list);
	return bd_error_set(err, BD_EUSAGE, "unknown option: '%.*s'", len, arg);
}

int bd_cli_parse(int argc, char **argv, struct bd_options *o,
		 struct bd_error *err)
{
	struct option longopts[NOPTIONS + 1];
	char shortopts[2 * NOPTIONS + 3];
	const char *online = NULL; /* the first option of --online given */
	bool funding_format = false;
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	o->timeout = 30;
	o->cache_ttl = 7 * 86400;
	/* A leading ':': a missing argument is ':', not '?'. */
	shortopts[0] = ':';
	build_getopt(longopts, shortopts + 1);
	opterr = 0; /* we word the messages ourselves */
	/* 0, not 1: glibc then forgets a cluster it stopped within ("-dz"
	 * refused at 'd'), which a second parse would go on reading. */
	optind = 0;
	while (!rc) {
		c = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			rc = bad_option(c, argv, err);
			break;
		}
		rc = apply_option(c, optarg, o, err);
		if (!online)
			online = online_option(c);
		funding_format |= c == OPT_FUNDING_FORMAT;
	}
	if (rc || o->help || o->version)
		return rc;
	/* The SPDX versions are formats of their own: a version of
	 * another format would be silently ignored. */
	if (o->spec_version && o->format != BD_FORMAT_CYCLONEDX)
		return bd_error_set(err, BD_EUSAGE,
				    "--spec-version is the CycloneDX version "
				    "(--format cyclonedx); for SPDX, --format "
				    "spdx writes 2.3 and spdx3 writes 3.0.1");
	if (options_of_others(o, online, funding_format, err))
		return BD_EUSAGE;
	if (optind >= argc && !o->root)
		return bd_error_set(err, BD_EUSAGE, "no PATH given");
	if ((o->attach_dir || o->force) && !o->attach)
		return bd_error_set(err, BD_EUSAGE,
				    "%s is an option of --attach",
				    o->attach_dir ? "--attach-dir" : "--force");
	o->paths = &argv[optind];
	o->npaths = (size_t)(argc - optind);
	return 0;
}
