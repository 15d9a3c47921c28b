/* SPDX-License-Identifier: MIT */
/*
 * The mapping registry: YAML files read with libcyaml, and the matching of
 * file names, sonames and source packages against them.
 */
#include "bindep/mapping.h"
#include "bindep/license.h"
#include "bindep/probe.h"
#include "bindep/purl.h"
#include "bindep/root.h"
#include "bindep/strrules.h"
#include "bindep/yaml.h"

#include <ctype.h>
#include <cyaml/cyaml.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the schema ----------------------------------------------------------
 */

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};

#define STRING_FIELD(key, type, member)                                        \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,  \
			       type, member, 1, CYAML_UNLIMITED)
#define STRING_LIST(key, type, member)                                         \
	CYAML_FIELD_SEQUENCE(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,    \
			     type, member, &string_entry, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t rule_fields[] = {
	STRING_FIELD("filename", struct bd_version_rule, filename),
	STRING_FIELD("soname", struct bd_version_rule, soname),
	STRING_FIELD("verdef", struct bd_version_rule, verdef),
	STRING_FIELD("strings", struct bd_version_rule, strings),
	STRING_FIELD("bare", struct bd_version_rule, bare),
	STRING_FIELD("function", struct bd_version_rule, function),
	STRING_FIELD("returns", struct bd_version_rule, returns),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t rule_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct bd_version_rule,
			    rule_fields),
};

static const cyaml_schema_field_t license_string_fields[] = {
	CYAML_FIELD_STRING_PTR("strings", CYAML_FLAG_POINTER,
			       struct bd_license_string, strings, 0,
			       CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("license", CYAML_FLAG_POINTER,
			       struct bd_license_string, license, 0,
			       CYAML_UNLIMITED),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t license_string_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct bd_license_string,
			    license_string_fields),
};

static const cyaml_schema_field_t source_fields[] = {
	STRING_LIST("debian", struct bd_mapping_sources, debian),
	STRING_LIST("alpine", struct bd_mapping_sources, alpine),
	STRING_LIST("fedora", struct bd_mapping_sources, fedora),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t manifest_fields[] = {
	CYAML_FIELD_STRING_PTR("path", CYAML_FLAG_POINTER,
			       struct bd_mapping_manifest, path, 1, 255),
	CYAML_FIELD_STRING_PTR("format", CYAML_FLAG_POINTER,
			       struct bd_mapping_manifest, format, 1, 64),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t mapping_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct bd_mapping,
			       name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("purl", CYAML_FLAG_POINTER, struct bd_mapping,
			       purl, 5, CYAML_UNLIMITED),
	STRING_FIELD("repository", struct bd_mapping, repository),
	STRING_FIELD("homepage", struct bd_mapping, homepage),
	STRING_FIELD("license", struct bd_mapping, license),
	CYAML_FIELD_SEQUENCE("license-strings",
			     CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct bd_mapping, license_strings,
			     &license_string_entry, 0, BD_MAPPING_MAX_RULES),
	STRING_FIELD("cpe", struct bd_mapping, cpe),
	STRING_FIELD("registry", struct bd_mapping, registry),
	CYAML_FIELD_SEQUENCE("files", CYAML_FLAG_POINTER, struct bd_mapping,
			     files, &string_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("version",
			     CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct bd_mapping, version, &rule_entry, 0,
			     BD_MAPPING_MAX_RULES),
	CYAML_FIELD_SEQUENCE("markers",
			     CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct bd_mapping, markers, &string_entry, 0,
			     BD_MAPPING_MAX_RULES),
	CYAML_FIELD_MAPPING_PTR("sources",
				CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
				struct bd_mapping, sources, source_fields),
	CYAML_FIELD_SEQUENCE("placeholders",
			     CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct bd_mapping, placeholders, &string_entry, 0,
			     BD_MAPPING_MAX_RULES),
	CYAML_FIELD_MAPPING_PTR("manifest",
				CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
				struct bd_mapping, manifest, manifest_fields),
	CYAML_FIELD_SEQUENCE("manifest-names",
			     CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct bd_mapping, manifest_names, &string_entry,
			     0, BD_MAPPING_MAX_RULES),
	STRING_LIST("examples", struct bd_mapping, examples),
	STRING_FIELD("example-version", struct bd_mapping, example_version),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t mapping_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct bd_mapping,
			    mapping_fields),
};

static const cyaml_schema_field_t file_fields[] = {
	CYAML_FIELD_SEQUENCE("libraries", CYAML_FLAG_POINTER,
			     struct bd_mapping_file, libraries, &mapping_entry,
			     0, BD_MAPPING_MAX_ENTRIES),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t file_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct bd_mapping_file,
			    file_fields),
};

/* ---- loading ------------------------------------------------------------- */

/*
 * libcyaml places an unknown key at the field before it. The key itself is
 * on a later line: the first one, from there, that starts with "key:"
 * (after indentation and a sequence's "- ").
 */
static void place_unknown_key(const char *text, struct bd_yaml_log *log)
{
	static const char what[] = "unexpected key: ";
	const char *key = log->msg + sizeof(what) - 1, *line = text;
	size_t klen = strlen(key);
	unsigned n = 0;

	if (strncmp(log->msg, what, sizeof(what) - 1) || !klen)
		return;
	for (; *line;
	     line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
		size_t col = strspn(line, " ");

		if (line[col] == '-' && line[col + 1] == ' ')
			col += 1 + strspn(line + col + 1, " ");
		if (++n >= log->line && !strncmp(line + col, key, klen) &&
		    line[col + klen] == ':') {
			log->line = n;
			log->col = (unsigned)col + 1;
			return;
		}
	}
}

void bd_mappings_init(struct bd_mappings *m)
{
	memset(m, 0, sizeof(*m));
}

void bd_mappings_release(struct bd_mappings *m)
{
	struct bd_yaml_log log = { "", 0, 0 };
	cyaml_config_t cfg = bd_yaml_config(&log, CYAML_CFG_DEFAULT);
	size_t i;

	for (i = 0; i < m->n; i++) {
		/* A compiled-in file's copy is one block; its strings are the
		 * program's. */
		if (m->compiled[i])
			free(m->files[i]);
		else
			cyaml_free(&cfg, &file_schema, m->files[i], 0);
		free(m->paths[i]);
		free(m->shown[i]);
	}
	free(m->files);
	free(m->paths);
	free(m->shown);
	free(m->compiled);
	free(m->keys);
	free(m->sources);
	bd_strrules_free(m->strings);
	free(m->string_of);
	bd_mappings_init(m);
}

/* A C identifier: the function's symbol name. */
static bool identifier(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!(isalpha((unsigned char)s[i]) || s[i] == '_' ||
		      (i && isdigit((unsigned char)s[i]))))
			return false;
	return i > 0 && i <= 128;
}

/* "function" names a symbol; "returns" (with it only) writes the constant
 * as bytes, "bytes:M.m.p", or in decimal, as {version:LEAD|FORMAT} does. */
static const char *function_rule_problem(const struct bd_version_rule *r)
{
	struct bd_buf v = BD_BUF_INIT;
	bool ok;

	if (!r->function || !r->returns)
		return "a function rule needs both function and returns";
	if (!identifier(r->function))
		return "a function rule's function is a C identifier";
	/* A format that writes no version of any constant is no format. */
	ok = bd_probe_constant_version(r->returns, 0x010203, &v) ||
	     bd_probe_constant_version(r->returns, 10203, &v) ||
	     bd_probe_constant_version(r->returns, 1020003, &v);
	bd_buf_release(&v);
	return ok ? NULL
		  : "a function rule's returns is \"bytes:M.m.p\" or a "
		    "decimal format such as \"M.mm.pp\"";
}

/* A rule sets one way to read the version, with one placeholder; one the
 * scan searches for must have a needle worth searching for. */
static const char *check_rule(const struct bd_version_rule *r)
{
	struct bd_version_pattern vp;
	const char *pattern = NULL;
	int set = !!r->filename + !!r->soname + !!r->verdef + !!r->strings +
		  !!r->bare + !!r->function;

	if (set != 1)
		return "a version rule needs exactly one of filename, soname, "
		       "verdef, strings, bare, function";
	if (r->function || r->returns)
		return function_rule_problem(r);
	bd_version_rule_kind(r, &pattern);
	if (r->function)
		return NULL;
	if (!bd_version_pattern_parse(pattern, &vp))
		return "a version pattern needs one {version} placeholder "
		       "(or {version:LEAD})";
	if (r->strings || r->bare)
		return bd_strrule_problem(&(struct bd_strrule){
			r->bare ? BD_STRRULE_BARE : BD_STRRULE_VERSION, pattern,
			0 });
	return NULL;
}

/*
 * An entry's purl: one that parses, without a version (the version read
 * from the file is added). With mend, one not in canonical form is
 * replaced by its canonical form, and said, so that a registry entry such
 * as "pkg:github/FFmpeg/FFmpeg" cannot come back unnoticed. Without,
 * *unlike says whether it is one (mend would replace it).
 */
static int check_purl(const struct bd_mappings *m, struct bd_mapping *e,
		      const char *path, bool mend, bool *unlike,
		      struct bd_error *err)
{
	struct bd_purl_parsed p;
	struct bd_error perr;
	int rc = bd_purl_parse(e->purl, BD_PURL_LENIENT, &p, &perr);
	char *canonical;

	if (rc == BD_EFORMAT || rc == BD_ELIMIT)
		rc = bd_error_set(err, BD_EFORMAT, "'%s': library '%s': %s",
				  path, e->name, perr.msg);
	else if (rc)
		rc = bd_error_set(err, rc, "%s", perr.msg);
	else if (p.parts.version)
		rc = bd_error_set(err, BD_EFORMAT,
				  "'%s': library '%s': purl must not have a "
				  "version",
				  path, e->name);
	if (!rc && !mend && strcmp(p.canonical.data, e->purl))
		*unlike = true;
	if (rc || !mend || !strcmp(p.canonical.data, e->purl)) {
		bd_purl_parsed_release(&p);
		return rc;
	}
	bd_diag_report(m->diag, BD_DIAG_WARNING,
		       "'%s': library '%s': purl '%s' is not canonical, using "
		       "'%s'",
		       path, e->name, e->purl, p.canonical.data);
	canonical = bd_buf_detach(&p.canonical, NULL);
	bd_purl_parsed_release(&p);
	if (!canonical)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	/* libcyaml allocated the string with malloc (bd_yaml_config), and
	 * frees the replacement as its own. */
	free(e->purl);
	e->purl = canonical;
	return 0;
}

static const char *check_markers(const struct bd_mapping *e)
{
	const char *why = NULL;
	unsigned i;

	for (i = 0; !why && i < e->markers_count; i++)
		why = bd_strrule_problem(&(struct bd_strrule){
			BD_STRRULE_MARKER, e->markers[i], 0 });
	return why;
}

/* A manifest is a known format at a relative path that stays below the
 * file's package: no "/" first, no ".." but leading ones. */
static const char *check_manifest(const struct bd_mapping *e)
{
	const char *p;

	if (!e->manifest)
		return NULL;
	if (strcmp(e->manifest->format, BD_MANIFEST_FORMAT_JSON))
		return "manifest format must be \"" BD_MANIFEST_FORMAT_JSON
		       "\"";
	p = e->manifest->path;
	while (!strncmp(p, "../", 3))
		p += 3;
	if (e->manifest->path[0] == '/' || !*p || strstr(p, "..") ||
	    !strcmp(p, "."))
		return "manifest path must be relative: \"../versions.json\"";
	return NULL;
}

/* The next line of a text, or its end. */
/* Where a line's key starts: after its indentation and a sequence item's
 * "- ", whose column goes in *dash (SIZE_MAX: none). */
static size_t line_key(const char *line, size_t *dash)
{
	size_t col = strspn(line, " ");

	*dash = SIZE_MAX;
	if (line[col] == '-' &&
	    (line[col + 1] == ' ' || line[col + 1] == '\n' || !line[col + 1])) {
		*dash = col;
		col += 1 + strspn(line + col + 1, " ");
	}
	return col;
}

/* Whether nothing but a comment follows at p, on its line. */
static bool rest_empty(const char *p)
{
	p += strspn(p, " ");
	return !*p || *p == '\n' || *p == '#';
}

/* In the lines of item k of a block sequence whose items' "- " are at
 * column item, from p (line n): the line and column of the item's own
 * key field, one at the column of its first key (a key of a mapping
 * nested in it is another's: an entry's "license" is not its
 * license-strings items'); the item's own place when it has none. */
static void place_field(const char *p, unsigned n, size_t item,
			const char *field, unsigned *line, unsigned *col)
{
	size_t c, dash, indent, keys = SIZE_MAX;
	unsigned first = n;

	*line = n;
	*col = (unsigned)item + 1;
	for (; *p; p = bd_yaml_next_line(p), n++) {
		c = line_key(p, &dash);
		indent = dash == SIZE_MAX ? c : dash;
		if (rest_empty(p + indent))
			continue;
		if (n != first && indent <= item)
			return; /* the next item, or past the list */
		if (rest_empty(p + c) || (n != first && dash != SIZE_MAX))
			continue; /* a "-" alone, or a nested list's item */
		if (keys == SIZE_MAX)
			keys = c;
		if (c == keys && bd_yaml_key_at(p + c, field)) {
			*line = n;
			*col = (unsigned)c + 1;
			return;
		}
	}
}

/* Where an entry's own key is in text, the entry's "- " at line n:
 * *line 0 where the line shows no "- ". */
static void place_entry_key(const char *text, unsigned n, const char *key,
			    unsigned *line, unsigned *col)
{
	const char *p = text;
	unsigned k;
	size_t dash;

	*line = *col = 0;
	for (k = 1; k < n && *p; k++)
		p = bd_yaml_next_line(p);
	line_key(p, &dash);
	if (dash != SIZE_MAX)
		place_field(p, n, dash, key, line, col);
}

/*
 * Where an entry's list key is in text, from the entry's line (from) to
 * the next one's (until; 0: the end), and its item k's field: block YAML
 * writes them one a line. A flow sequence is placed at its key; *line is
 * left 0 where the text does not show the key.
 */
static void place_item(const char *text, unsigned from, unsigned until,
		       const char *key, unsigned k, const char *field,
		       unsigned *line, unsigned *col)
{
	const char *p = text;
	size_t c, dash, item = SIZE_MAX;
	unsigned n = 1, items = 0;
	bool found = false;

	*line = *col = 0;
	for (; p && *p && (!until || n < until);
	     p = bd_yaml_next_line(p), n++) {
		c = line_key(p, &dash);
		if (n < from || (!found && !bd_yaml_key_at(p + c, key)))
			continue;
		if (!found) {
			found = true;
			*line = n;
			*col = (unsigned)c + 1;
			if (!rest_empty(p + c + strlen(key) + 1))
				return; /* [a flow sequence] */
			continue;
		}
		if (dash == SIZE_MAX || (item != SIZE_MAX && dash != item))
			continue;
		item = dash;
		if (items++ == k) {
			place_field(p, n, item, field, line, col);
			return;
		}
	}
}

/* The words of a licence that is no expression the registry may write
 * (bd_license_registry_ok): the outputs write it as an SPDX licence
 * expression, which "GPL v2" is to no SBOM consumer. */
static void no_expression(struct bd_buf *why, const char *license)
{
	bd_buf_printf(why, "'%s' " BD_LICENSE_REGISTRY_WANTED, license);
}

/* Library name's problem why at its key (the field's place in path,
 * line:col; line 0: not known). */
static int entry_error(const char *path, unsigned line, unsigned col,
		       const char *name, const char *key, const char *why,
		       struct bd_error *err)
{
	int rc = line ? bd_error_set(err, BD_EFORMAT,
				     "'%s:%u:%u': library '%s': %s: %s", path,
				     line, col, name, key, why)
		      : bd_error_set(err, BD_EFORMAT,
				     "'%s': library '%s': %s: %s", path, name,
				     key, why);

	if (err) {
		err->line = line;
		err->col = col;
	}
	return rc;
}

/*
 * An entry's licence strings: each one a licence string the scan can
 * search for (8 to 128 bytes), once, with an expression the registry may
 * write (bd_license_registry_ok); a problem is placed at its item's
 * field where the text is known.
 */
static int check_license_strings(const struct bd_mapping_file *f, unsigned i,
				 const char *text, const char *path,
				 struct bd_error *err)
{
	const struct bd_mapping *e = &f->libraries[i];
	const struct bd_license_string *ls;
	struct bd_buf why = BD_BUF_INIT;
	const char *field = "strings";
	unsigned k, j, line = 0, col = 0;
	int rc;

	for (k = 0; k < e->license_strings_count && !why.len; k++) {
		ls = &e->license_strings[k];
		if (bd_strrule_problem(&(struct bd_strrule){ BD_STRRULE_LICENSE,
							     ls->strings, 0 }))
			bd_buf_printf(&why,
				      "'%s' is no licence string: it "
				      "needs 8 to 128 bytes",
				      ls->strings);
		for (j = 0; j < k && !why.len; j++)
			if (!strcmp(e->license_strings[j].strings, ls->strings))
				bd_buf_printf(&why, "'%s' is listed twice",
					      ls->strings);
		if (!why.len && !bd_license_registry_ok(ls->license)) {
			field = "license";
			no_expression(&why, ls->license);
		}
	}
	if (!why.len)
		return 0;
	if (text && e->line)
		place_item(text, e->line,
			   i + 1 < f->libraries_count ? f->libraries[i + 1].line
						      : 0,
			   "license-strings", k - 1, field, &line, &col);
	rc = entry_error(path, line, col, e->name, "license-strings",
			 bd_buf_str(&why), err);
	bd_buf_release(&why);
	return rc;
}

/*
 * An entry's licence, as its licence strings' (mappings/README.md): an
 * expression the registry may write, else the file is refused, placed at
 * the entry's own "license:" where the text shows it (at its "- " when it
 * is written in flow style). Refused, where a purl-registry package's is
 * only left out (registry.c): a mapping file is the user's or ours, every
 * bad field of it is refused so, and a licence string's licence is all
 * its item says.
 */
static int check_license(const struct bd_mapping_file *f, unsigned i,
			 const char *text, const char *path,
			 struct bd_error *err)
{
	const struct bd_mapping *e = &f->libraries[i];
	struct bd_buf why = BD_BUF_INIT;
	unsigned line = 0, col = 0;
	int rc;

	if (!e->license || bd_license_registry_ok(e->license))
		return 0;
	no_expression(&why, e->license);
	if (text && e->line)
		place_entry_key(text, e->line, "license", &line, &col);
	rc = entry_error(path, line, col, e->name, "license", bd_buf_str(&why),
			 err);
	bd_buf_release(&why);
	return rc;
}

/* What the schema cannot say: checked after loading; then, in a file that
 * loads, the purls mended (no warning for a file that is skipped). text,
 * the file's (NUL-terminated; NULL: data given in memory), places a
 * problem. */
static int check_file(const struct bd_mappings *m, struct bd_mapping_file *f,
		      const char *path, const char *text, struct bd_error *err)
{
	unsigned i, j;
	bool unlike = false; /* a purl to mend: a second pass */
	int rc = 0;

	for (i = 0; !rc && i < f->libraries_count; i++) {
		struct bd_mapping *e = &f->libraries[i];
		const char *why = e->cpe && strncmp(e->cpe, "cpe:2.3:", 8)
					  ? "cpe must start with \"cpe:2.3:\""
					  : NULL;

		for (j = 0; !why && j < e->version_count; j++)
			why = check_rule(&e->version[j]);
		if (!why)
			why = check_markers(e);
		if (!why)
			why = check_manifest(e);
		if (why)
			return bd_error_set(err, BD_EFORMAT,
					    "'%s': library '%s': %s", path,
					    e->name, why);
		rc = check_license(f, i, text, path, err);
		if (!rc)
			rc = check_license_strings(f, i, text, path, err);
		if (!rc)
			rc = check_purl(m, e, path, false, &unlike, err);
	}
	/* Each purl parsed again only where one needs mending (the shipped
	 * registry's are canonical: 1.6 million instructions a run). */
	for (i = 0; !rc && unlike && i < f->libraries_count; i++)
		rc = check_purl(m, &f->libraries[i], path, true, NULL, err);
	return rc;
}

/* The literal start of an fnmatch(3) pattern: up to its first special
 * character (a backslash too, so an escape is never taken for a letter). */
static size_t literal_len(const char *pattern)
{
	return strcspn(pattern, "*?[\\");
}

static int compare_prefix(const char *a, size_t alen, const char *b,
			  size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : alen < blen ? -1 : alen > blen;
}

static int by_prefix(const void *a, const void *b)
{
	const struct bd_mapping_key *x = a, *y = b;

	return compare_prefix(x->prefix, x->len, y->prefix, y->len);
}

static size_t count_patterns(const struct bd_mappings *m)
{
	size_t i, n = 0;
	unsigned j;

	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->files[i]->libraries_count; j++)
			n += m->files[i]->libraries[j].files_count;
	return n;
}

static int build_keys(struct bd_mappings *m)
{
	size_t i, n = count_patterns(m);
	struct bd_mapping_key *keys = calloc(n ? n : 1, sizeof(*keys));
	unsigned j, k;

	if (!keys)
		return BD_ENOMEM;
	for (n = 0, i = 0; i < m->n; i++) {
		for (j = 0; j < m->files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &m->files[i]->libraries[j];

			for (k = 0; k < e->files_count; k++, n++) {
				keys[n].prefix = e->files[k];
				keys[n].len = literal_len(e->files[k]);
				keys[n].file = (unsigned)i;
				keys[n].entry = j;
				keys[n].pattern = e->files[k];
			}
		}
	}
	if (n)
		qsort(keys, n, sizeof(*keys), by_prefix);
	free(m->keys);
	m->keys = keys;
	m->nkeys = n;
	return 0;
}

/* ---- the index of source packages ---------------------------------- */

/* The family of distributions an os-release ID belongs to, by whose source
 * package names it uses: 0 Debian, 1 Alpine, 2 Fedora; -1 none. */
static int family_of(const char *os_id)
{
	static const char *const debian_like[] = { "debian",	"ubuntu",
						   "linuxmint", "pop",
						   "raspbian",	NULL };
	static const char *const fedora_like[] = {
		"fedora",    "rhel", "centos", "rocky",
		"almalinux", "ol",   "amzn",   NULL,
	};
	size_t i;

	for (i = 0; debian_like[i]; i++)
		if (!strcmp(os_id, debian_like[i]))
			return 0;
	for (i = 0; fedora_like[i]; i++)
		if (!strcmp(os_id, fedora_like[i]))
			return 2;
	return !strcmp(os_id, "alpine") || !strcmp(os_id, "wolfi") ? 1 : -1;
}

static int by_source_key(const void *a, const void *b)
{
	const struct bd_mapping_source_key *x = a, *y = b;
	int c = x->family != y->family ? (x->family < y->family ? -1 : 1)
				       : strcmp(x->source, y->source);

	/* The winner first: the later file, then its first entry. */
	if (!c && x->file != y->file)
		c = x->file > y->file ? -1 : 1;
	if (!c && x->entry != y->entry)
		c = x->entry < y->entry ? -1 : 1;
	return c;
}

static size_t family_lists(const struct bd_mapping_sources *s, unsigned f,
			   char *const **list)
{
	*list = f == 0 ? s->debian : f == 1 ? s->alpine : s->fedora;
	return f == 0	? s->debian_count
	       : f == 1 ? s->alpine_count
			: s->fedora_count;
}

/* Visits every (family, source) an entry lists; n counts, keys fills. */
static void each_source(const struct bd_mappings *m,
			struct bd_mapping_source_key *keys, size_t *n)
{
	size_t i, k, count;
	unsigned j, f;
	char *const *list;

	for (*n = 0, i = 0; i < m->n; i++) {
		for (j = 0; j < m->files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &m->files[i]->libraries[j];

			for (f = 0; e->sources && f < 3; f++) {
				count = family_lists(e->sources, f, &list);
				for (k = 0; k < count; k++, (*n)++) {
					if (!keys)
						continue;
					keys[*n] =
						(struct bd_mapping_source_key){
							f, list[k], (unsigned)i,
							j
						};
				}
			}
		}
	}
}

static int build_sources(struct bd_mappings *m)
{
	struct bd_mapping_source_key *keys;
	size_t n;

	each_source(m, NULL, &n);
	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		return BD_ENOMEM;
	each_source(m, keys, &n);
	if (n)
		qsort(keys, n, sizeof(*keys), by_source_key);
	free(m->sources);
	m->sources = keys;
	m->nsources = n;
	return 0;
}

static int build_indexes(struct bd_mappings *m)
{
	return build_keys(m) || build_sources(m) ? BD_ENOMEM : 0;
}

/* Grows the per-file arrays for one more. */
static int room_for_file(struct bd_mappings *m)
{
	size_t na = m->alloc ? m->alloc * 2 : 8;
	void *p;

	if (m->n < m->alloc)
		return 0;
	if (!(p = realloc(m->files, na * sizeof(*m->files))))
		return BD_ENOMEM;
	m->files = p;
	if (!(p = realloc(m->paths, na * sizeof(*m->paths))))
		return BD_ENOMEM;
	m->paths = p;
	if (!(p = realloc(m->shown, na * sizeof(*m->shown))))
		return BD_ENOMEM;
	m->shown = p;
	if (!(p = realloc(m->compiled, na * sizeof(*m->compiled))))
		return BD_ENOMEM;
	m->compiled = p;
	m->alloc = na;
	return 0;
}

/*
 * The line of each entry's "- " in text: the items of the top-level
 * "libraries:" sequence, in order, are the lines that start with a "- "
 * at the indentation of the first. Left 0 for a flow sequence or text
 * that does not show them one a line.
 */
static void entry_lines(const char *text, struct bd_mapping_file *f)
{
	const char *line = text;
	unsigned n = 1, k = 0;
	size_t indent = SIZE_MAX;
	bool in_list = false;

	for (; *line && k < f->libraries_count; n++) {
		size_t len = strcspn(line, "\n"), col = strspn(line, " ");

		if (!in_list && !strncmp(line, "libraries:", 10))
			in_list = true;
		else if (in_list && line[col] == '-' &&
			 (line[col + 1] == ' ' || col + 1 == len)) {
			if (indent == SIZE_MAX)
				indent = col;
			if (col == indent)
				f->libraries[k++].line = n;
		}
		line += len + (line[len] != '\0');
	}
	if (k != f->libraries_count) {
		for (k = 0; k < f->libraries_count; k++)
			f->libraries[k].line = 0;
	}
}

/* compiled: f is a copy of a compiled-in file's (load_builtin). */
static int append_file(struct bd_mappings *m, struct bd_mapping_file *f,
		       const char *path, const char *shown, bool compiled)
{
	unsigned i;

	if (room_for_file(m))
		return BD_ENOMEM;
	m->paths[m->n] = strdup(path);
	m->shown[m->n] = strdup(shown);
	if (!m->paths[m->n] || !m->shown[m->n]) {
		free(m->paths[m->n]);
		free(m->shown[m->n]);
		return BD_ENOMEM;
	}
	for (i = 0; i < f->libraries_count; i++) {
		f->libraries[i].file = m->paths[m->n];
		f->libraries[i].shown = m->shown[m->n];
	}
	m->compiled[m->n] = compiled;
	m->files[m->n++] = f;
	bd_strrules_free(m->strings);
	m->strings = NULL;
	if (m->indexing_deferred)
		return 0;
	if (build_indexes(m)) {
		--m->n;
		free(m->paths[m->n]);
		free(m->shown[m->n]);
		return BD_ENOMEM;
	}
	return 0;
}

/* libcyaml's answer: a loaded file, or the error with its position. */
static int finish_load(struct bd_mappings *m, const char *path,
		       const char *shown, const void *data, size_t len,
		       const char *text, const cyaml_config_t *cfg,
		       cyaml_err_t cerr, struct bd_mapping_file *f,
		       struct bd_yaml_log *log, struct bd_error *err)
{
	int rc;

	if (cerr != CYAML_OK)
		return bd_yaml_error(path, data, len, cerr, log, err);
	/* An empty document loads as nothing: a file with no entries. */
	if (!f)
		return 0;
	rc = check_file(m, f, path, text, err);
	if (!rc)
		rc = append_file(m, f, path, shown, false);
	if (rc) {
		cyaml_free(cfg, &file_schema, f, 0);
		if (rc == BD_ENOMEM)
			bd_error_set(err, rc, "out of memory");
	}
	return rc;
}

/* The key of the list whose item is at line:col of text (1-based): in
 * flow style the word before the '[' that opens it, in block style the
 * key on the nearest line before of no more indentation than the item's
 * "- " that is no item itself (an item is block style where its line's
 * "- " starts it); 0 bytes when not found. */
static size_t list_key(const char *text, unsigned line, unsigned col,
		       const char **key)
{
	const char *l = text, *at, *p, *prev = NULL;
	size_t indent, n;
	unsigned i;
	int depth = 0;

	for (i = 1; i < line && l; i++)
		l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL;
	if (!l || !col || strcspn(l, "\n") < col - 1)
		return 0;
	at = l + col - 1;
	indent = strspn(l, " ");
	if (!(l[indent] == '-' && l[indent + 1] == ' ' &&
	      at == l + indent + 1 + strspn(l + indent + 1, " "))) {
		for (p = at; p > text; p--) { /* flow: the '[' open here */
			depth += p[-1] == ']' ? 1 : p[-1] == '[' ? -1 : 0;
			if (depth < 0)
				break;
		}
		for (p = p > text ? p - 1 : p; p > text && p[-1] == ' '; p--)
			;
		if (p == text || p[-1] != ':')
			return 0;
		for (n = 0, p--; p > text && !strchr(" \t\n{,", p[-1]); p--)
			n++;
		*key = p;
		return n;
	}
	for (; l > text; l = prev) { /* block: the lines before */
		for (prev = l - 1; prev > text && prev[-1] != '\n'; prev--)
			;
		n = strspn(prev, " ");
		if (prev[n] == '\n' || prev[n] == '#' ||
		    (n == indent && prev[n] == '-' && prev[n + 1] == ' ') ||
		    n > indent)
			continue;
		*key = prev + n;
		return strcspn(prev + n, ":\n");
	}
	return 0;
}

/* libcyaml's "excessive entries (16 max) in sequence" says which cap by
 * its number only: say it in words (mapping.h), a list of rules by its
 * key where text (NULL: not known) shows it. */
static void name_cap(const char *text, struct bd_yaml_log *log)
{
	static const char *const lists[] = { "license-strings", "markers",
					     "placeholders", "manifest-names" };
	const char *key = NULL;
	size_t n = text ? list_key(text, log->line, log->col, &key) : 0, i;
	unsigned max;

	if (sscanf(log->msg, "excessive entries (%u max)", &max) != 1)
		return;
	if (max == BD_MAPPING_MAX_RULES) {
		for (i = 0; i < BD_ARRAY_SIZE(lists); i++)
			if (strlen(lists[i]) == n && !strncmp(key, lists[i], n))
				break;
		snprintf(log->msg, sizeof(log->msg),
			 "more than %u %s in one library", max,
			 i < BD_ARRAY_SIZE(lists) ? lists[i] : "version rules");
	} else if (max == BD_MAPPING_MAX_ENTRIES) {
		snprintf(log->msg, sizeof(log->msg),
			 "more than %u libraries in one file", max);
	}
}

/* The compiled-in file whose bytes these are; NULL when none. */
static const struct bd_mapping_builtin *builtin_of(const struct bd_mappings *m,
						   const void *data, size_t len)
{
	size_t i;

	for (i = 0; i < m->nbuiltin; i++)
		if (m->builtin[i].len == len &&
		    !memcmp(m->builtin[i].text, data, len))
			return &m->builtin[i];
	return NULL;
}

/* A compiled-in file's content at path: what parsing it gives
 * (mkregistry wrote it so), without the parse. Its entries are copied,
 * since append_file sets their file and shown; their strings are
 * shared. */
struct compiled_file {
	struct bd_mapping_file f; /* first: freed as the whole */
	struct bd_mapping libraries[];
};

static int load_builtin(struct bd_mappings *m,
			const struct bd_mapping_builtin *b, const char *path,
			const char *shown, struct bd_error *err)
{
	size_t size = b->libraries_count * sizeof(*b->libraries);
	struct compiled_file *c = malloc(sizeof(*c) + size);

	if (!c)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	if (size)
		memcpy(c->libraries, b->libraries, size);
	c->f.libraries = c->libraries;
	c->f.libraries_count = b->libraries_count;
	if (append_file(m, &c->f, path, shown, true)) {
		free(c);
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	return 0;
}

/* text, when given, is data NUL-terminated: for place_unknown_key(). */
static int load(struct bd_mappings *m, const char *name, const char *shown,
		const void *data, size_t len, const char *text,
		struct bd_error *err)
{
	struct bd_yaml_log log = { "", 0, 0 };
	cyaml_config_t config = bd_yaml_config(&log, CYAML_CFG_DEFAULT);
	struct bd_mapping_file *f = NULL;
	cyaml_err_t cerr;
	const struct bd_mapping_builtin *b;

	/* A file read (text) that is a compiled-in one, byte for byte. Data
	 * given in memory is parsed: its entries have no lines. */
	b = text ? builtin_of(m, data, len) : NULL;
	if (b)
		return load_builtin(m, b, name, shown, err);
	cerr = cyaml_load_data(data, len, &config, &file_schema,
			       (cyaml_data_t **)&f, NULL);
	if (cerr != CYAML_OK && text)
		place_unknown_key(text, &log);
	if (cerr != CYAML_OK)
		name_cap(text, &log);
	if (cerr == CYAML_OK && f && text)
		entry_lines(text, f);
	return finish_load(m, name, shown, data, len, text, &config, cerr, f,
			   &log, err);
}

static int load_file(struct bd_mappings *m, const char *path, const char *shown,
		     struct bd_error *err)
{
	char *text;
	size_t len;
	int rc;

	/* Read by the safe open (root.h), which never blocks on a FIFO or
	 * opens a device, rather than by libcyaml's fopen(). */
	rc = bd_yaml_read(path, &text, &len, err);
	if (rc)
		return rc;
	rc = load(m, path, shown, text, len, text, err);
	free(text);
	return rc;
}

int bd_mappings_load_file(struct bd_mappings *m, const char *path,
			  struct bd_error *err)
{
	return load_file(m, path, path, err);
}

int bd_mappings_load_data(struct bd_mappings *m, const char *name,
			  const void *data, size_t len, struct bd_error *err)
{
	return load(m, name, name, data, len, NULL, err);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_yaml_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 4 && !strcmp(name + len - 4, ".yml");
}

/* The "*.yml" names of a directory, sorted (malloc'd); *cut: the errno
 * of a read error that ended the listing, else 0. */
static int yaml_names(DIR *d, char ***names, size_t *n, int *cut)
{
	struct dirent *de;
	size_t alloc = 0;

	*names = NULL;
	*n = 0;
	while ((de = bd_readdir(d, cut))) {
		if (!is_yaml_name(de->d_name))
			continue;
		if (*n == alloc) {
			void *p;

			alloc = alloc ? alloc * 2 : 32;
			p = realloc(*names, alloc * sizeof(**names));
			if (!p)
				return BD_ENOMEM;
			*names = p;
		}
		(*names)[*n] = strdup(de->d_name);
		if (!(*names)[*n])
			return BD_ENOMEM;
		(*n)++;
	}
	if (*n)
		qsort(*names, *n, sizeof(**names), by_name);
	return 0;
}

/* How evidence names a file of a registry directory, wherever that is
 * installed (issue 15): the directory's last component and the file's
 * name ("/usr/share/bindep-sbom/mappings/", "zlib.yml": "mappings/zlib.yml").
 */
static void shown_name(struct bd_buf *out, const char *dir, const char *name)
{
	size_t len = strlen(dir);
	const char *start;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	start = dir + len;
	while (start > dir && start[-1] != '/')
		start--;
	len -= (size_t)(start - dir);
	if (len == 1 && *start == '/')
		len = 0;
	bd_buf_printf(out, "%.*s/%s", (int)len, start, name);
}

int bd_mappings_load_dir(struct bd_mappings *m, const char *dir,
			 const struct bd_diag *diag, struct bd_error *err)
{
	const struct bd_diag *saved = m->diag;
	DIR *d = opendir(dir);
	char **names;
	size_t i, n;
	int rc, cut = 0;

	if (!d)
		return bd_error_errno(err, errno == ENOENT ? BD_ENOENT : BD_EIO,
				      errno, "'%s'", dir);
	rc = yaml_names(d, &names, &n, &cut);
	closedir(d);
	bd_readdir_warn(diag, dir, cut); /* the files listed still load */
	m->diag = diag;
	m->indexing_deferred = true;
	for (i = 0; !rc && i < n; i++) {
		struct bd_buf path = BD_BUF_INIT, shown = BD_BUF_INIT;
		struct bd_error e;

		/* Evidence names it inside the registry, wherever that is
		 * installed: "mappings/zlib.yml" (issue 15). */
		bd_buf_printf(&path, "%s/%s", dir, names[i]);
		shown_name(&shown, dir, names[i]);
		rc = bd_buf_ok(&path) && bd_buf_ok(&shown)
			     ? load_file(m, path.data, shown.data, &e)
			     : BD_ENOMEM;
		if (rc && rc != BD_ENOMEM) {
			bd_diag_report(diag, BD_DIAG_WARNING, "%s, skipping",
				       e.msg);
			rc = 0;
		}
		bd_buf_release(&path);
		bd_buf_release(&shown);
	}
	m->diag = saved;
	m->indexing_deferred = false;
	/* Built once, for all the files loaded (even after a failure: the
	 * files before it are kept). */
	if (build_indexes(m))
		rc = BD_ENOMEM;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc == BD_ENOMEM ? bd_error_set(err, rc, "out of memory") : rc;
}

/* ---- matching ------------------------------------------------------------ */

static bool is_hex8(const char *p)
{
	int i;

	for (i = 0; i < 8; i++) {
		if (!isxdigit((unsigned char)p[i]) ||
		    isupper((unsigned char)p[i]))
			return false;
	}
	return true;
}

/* Where name's auditwheel hash begins, its '-': "<stem>-<8 hex of
 * sha256>" then the rest from the first "." ("libgfortran-040039e1.so.5.0.0"),
 * or a hash before the version ("libopenblas64_p-r0-0cf96a72.3.23.dev.so");
 * NULL when it has none. */
static const char *hash_at(const char *name)
{
	const char *p;

	for (p = name; (p = strchr(p, '-')); p++) {
		if (is_hex8(p + 1) && p[9] == '.')
			return p;
	}
	return NULL;
}

void bd_mapping_strip_hash(const char *name, struct bd_buf *out)
{
	const char *p = hash_at(name);

	if (p) {
		bd_buf_add(out, name, (size_t)(p - name));
		bd_buf_adds(out, p + 9);
	} else {
		bd_buf_adds(out, name);
	}
}

/* name without its auditwheel hash: itself when it has none (nearly
 * every name: no copy made), else the copy in buf; NULL when out of
 * memory. */
static const char *unhashed(const char *name, struct bd_buf *buf)
{
	if (!hash_at(name))
		return name;
	bd_mapping_strip_hash(name, buf);
	return bd_buf_ok(buf) ? buf->data : NULL;
}

/* Of keys [*lo, *hi), which all begin with the same n bytes and are
 * longer, those whose byte n is c (sorted by it, as memcmp compares). */
static void narrow(const struct bd_mappings *m, size_t *lo, size_t *hi,
		   size_t n, unsigned char c)
{
	size_t a = *lo, b = *hi;

	while (a < b) { /* the first whose byte n is not below c */
		size_t mid = a + (b - a) / 2;

		if ((unsigned char)m->keys[mid].prefix[n] < c)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	for (b = *hi; a < b;) { /* the first whose byte n is above c */
		size_t mid = a + (b - a) / 2;

		if ((unsigned char)m->keys[mid].prefix[n] <= c)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = a;
}

/* Later files win, and within a file the first entry: the order a linear
 * walk over the registry would find them in. */
static bool ranks_before(const struct bd_mapping_key *k,
			 const struct bd_mapping_key *best)
{
	return !best || k->file > best->file ||
	       (k->file == best->file && k->entry < best->entry);
}

/*
 * Only a pattern whose literal start is a prefix of the name can match.
 * The keys are sorted by it, a shorter one first: those that begin with
 * the name's first n bytes are one run, led by those of exactly n bytes,
 * and the run for n + 1 lies within it. So one walk down the name narrows
 * the run a byte at a time, and stops where it is empty (a binary search
 * over all keys for each prefix length was a quarter of identification).
 */
static const struct bd_mapping_key *best_key(const struct bd_mappings *m,
					     const char *name,
					     const struct bd_mapping_key *best)
{
	size_t len = strlen(name), lo = 0, hi = m->nkeys, n;

	for (n = 0; lo < hi; n++) {
		for (; lo < hi && m->keys[lo].len == n; lo++) {
			const struct bd_mapping_key *k = &m->keys[lo];

			if (ranks_before(k, best) &&
			    !fnmatch(k->pattern, name, 0))
				best = k;
		}
		if (n == len)
			break;
		narrow(m, &lo, &hi, n, (unsigned char)name[n]);
	}
	return best;
}

const struct bd_mapping *bd_mappings_by_file(const struct bd_mappings *m,
					     const char *file_name,
					     const char *soname)
{
	struct bd_buf a = BD_BUF_INIT, b = BD_BUF_INIT;
	const struct bd_mapping_key *best = NULL;
	const char *file = unhashed(file_name ? file_name : "", &a);
	const char *so = unhashed(soname ? soname : "", &b);

	if (file && *file)
		best = best_key(m, file, best);
	if (so && *so)
		best = best_key(m, so, best);
	bd_buf_release(&a);
	bd_buf_release(&b);
	return best ? &m->files[best->file]->libraries[best->entry] : NULL;
}

const struct bd_mapping *bd_mappings_by_source(const struct bd_mappings *m,
					       const char *os_id,
					       const char *source)
{
	struct bd_mapping_source_key want;
	size_t lo = 0, hi;
	int family;

	if (!os_id || !source || (family = family_of(os_id)) < 0)
		return NULL;
	want = (struct bd_mapping_source_key){ (unsigned)family, source,
					       UINT_MAX, 0 };
	/* The first key at or after (family, source, any file). */
	for (hi = m->nsources; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (by_source_key(&m->sources[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == m->nsources || m->sources[lo].family != want.family ||
	    strcmp(m->sources[lo].source, source))
		return NULL;
	return &m->files[m->sources[lo].file]->libraries[m->sources[lo].entry];
}

bool bd_mapping_placeholder(const struct bd_mapping *e, const char *v)
{
	unsigned i;

	for (i = 0; v && i < e->placeholders_count; i++)
		if (!strcmp(e->placeholders[i], v))
			return true;
	return false;
}

static bool lists_manifest_name(const struct bd_mapping *e, const char *name)
{
	unsigned i;

	for (i = 0; i < e->manifest_names_count; i++)
		if (!strcmp(e->manifest_names[i], name))
			return true;
	return false;
}

/* How an entry takes a manifest's name: 3 listed, 2 its name, 1 its name
 * without "lib", 0 not. */
static int manifest_rank(const struct bd_mapping *e, const char *name)
{
	if (lists_manifest_name(e, name))
		return 3;
	if (!strcmp(e->name, name))
		return 2;
	return !strncmp(e->name, "lib", 3) && !strcmp(e->name + 3, name);
}

const struct bd_mapping *
bd_mappings_by_manifest_name(const struct bd_mappings *m, const char *name)
{
	const struct bd_mapping *best = NULL;
	int best_rank = 0;
	size_t i;
	unsigned j;

	/* The last file's first, as bd_mappings_by_file prefers. */
	for (i = m->n; i-- > 0;) {
		for (j = 0; j < m->files[i]->libraries_count; j++) {
			const struct bd_mapping *e = &m->files[i]->libraries[j];
			int rank = manifest_rank(e, name);

			if (rank > best_rank) {
				best = e;
				best_rank = rank;
			}
		}
	}
	return best;
}

bool bd_mapping_lists_source(const struct bd_mapping *e, const char *os_id,
			     const char *source)
{
	char *const *list = NULL;
	size_t k, n;
	int family;

	if (!e->sources || !os_id || !source)
		return false;
	family = family_of(os_id);
	n = family < 0 ? 0 : family_lists(e->sources, (unsigned)family, &list);
	for (k = 0; list && k < n; k++) {
		if (!strcmp(list[k], source))
			return true;
	}
	return false;
}

const struct bd_mapping *bd_mappings_identify(const struct bd_mappings *m,
					      const char *os_id,
					      const char *source,
					      const char *file_name,
					      const char *soname)
{
	const struct bd_mapping *e = bd_mappings_by_file(m, file_name, soname);
	const struct bd_mapping *s =
		source ? bd_mappings_by_source(m, os_id, source) : NULL;

	if (s && (!e || !bd_mapping_lists_source(e, os_id, source)))
		return s;
	return e;
}

/* ---- versions ------------------------------------------------------------ */

/* The version read, as the pattern writes it (a format's "20914" is
 * "2.9.14"); false when it is not of the format's shape. */
static bool formatted(const struct bd_version_pattern *vp, const char *v,
		      size_t vlen, struct bd_buf *out)
{
	char f[2 * BD_VERSION_MAX + 1];
	size_t n = bd_version_format(vp, v, vlen, f, sizeof(f));

	if (!n)
		return false;
	bd_buf_reset(out);
	bd_buf_add(out, f, n);
	return true;
}

bool bd_version_match(const char *pattern, const char *text, struct bd_buf *out)
{
	struct bd_version_pattern vp;
	size_t len, vlen;

	if (!bd_version_pattern_parse(pattern, &vp))
		return false;
	len = strlen(text);
	if (len < vp.prefix_len || memcmp(text, vp.prefix, vp.prefix_len))
		return false;
	vlen = bd_version_read(text + vp.prefix_len, len - vp.prefix_len, &vp,
			       true);
	return vlen && formatted(&vp, text + vp.prefix_len, vlen, out);
}

bool bd_version_search(const char *pattern, const char *data, size_t len,
		       struct bd_buf *out)
{
	const char *p = data, *end = data + len;
	struct bd_version_pattern vp;
	size_t plen, vlen;

	if (!bd_version_pattern_parse(pattern, &vp))
		return false;
	plen = vp.prefix_len;
	while (p < end) {
		const char *hit =
			plen ? memmem(p, (size_t)(end - p), pattern, plen) : p;

		if (!hit)
			return false;
		vlen = bd_version_read(hit + plen, (size_t)(end - hit) - plen,
				       &vp, false);
		if (vlen && formatted(&vp, hit + plen, vlen, out))
			return true;
		p = hit + 1;
	}
	return false;
}

const char *bd_version_rule_kind(const struct bd_version_rule *r,
				 const char **pattern)
{
	if (r->filename) {
		*pattern = r->filename;
		return "filename";
	}
	if (r->soname) {
		*pattern = r->soname;
		return "soname";
	}
	if (r->verdef) {
		*pattern = r->verdef;
		return "verdef";
	}
	if (r->bare) {
		*pattern = r->bare;
		return "bare";
	}
	if (r->function) {
		*pattern = r->function;
		return "function";
	}
	*pattern = r->strings ? r->strings : "";
	return "strings";
}

/* "1.5.4" says more of "1": the same version, with more of its parts. */
static bool says_more(const char *better, const char *found)
{
	size_t n = strlen(found);

	return !strncmp(better, found, n) && better[n] == '.';
}

static bool name_rule(const struct bd_version_rule *r)
{
	return r->filename || r->soname;
}

bool bd_mapping_read_version_with(const struct bd_mapping *e,
				  const char *file_name, const char *soname,
				  bd_mapping_data_fn data, void *ctx,
				  struct bd_buf *out, unsigned *rule)
{
	struct bd_buf v = BD_BUF_INIT;
	bool found = false, got;
	unsigned i;

	for (i = 0; i < e->version_count; i++) {
		const struct bd_version_rule *r = &e->version[i];

		/* Past a version read from data, nothing says more. */
		if (found && !name_rule(&e->version[*rule]))
			break;
		if (r->filename)
			got = file_name &&
			      bd_version_match(r->filename, file_name, &v);
		else if (r->soname)
			got = soname && bd_version_match(r->soname, soname, &v);
		else
			got = data && data(ctx, e, i,
					   found ? bd_buf_str(out) : NULL, &v);
		if (!got || !bd_buf_ok(&v) ||
		    bd_mapping_placeholder(e, v.data) ||
		    (found && !says_more(v.data, bd_buf_str(out))))
			continue;
		bd_buf_reset(out);
		bd_buf_adds(out, v.data);
		*rule = i;
		found = true;
	}
	bd_buf_release(&v);
	return found && bd_buf_ok(out);
}

bool bd_mapping_probe_rule(struct bd_probe *p, const struct bd_version_rule *r,
			   const char *found, struct bd_buf *out)
{
	if (r->verdef)
		return bd_probe_verdef(p, r->verdef, out);
	if (r->bare)
		return bd_probe_bare(p, r->bare, found, out);
	if (r->function)
		return bd_probe_function(p, r->function, r->returns, out);
	return bd_probe_strings(p, r->strings, out);
}

/* The data rules read by opening the file (the probe opened once). */
struct probed {
	const struct bd_root *root;
	const char *host;
	struct bd_probe probe;
	bool opened, failed;
};

static bool probe_rule(void *ctx, const struct bd_mapping *e, unsigned rule,
		       const char *found, struct bd_buf *out)
{
	struct probed *p = ctx;
	const struct bd_version_rule *r = &e->version[rule];

	if (!p->opened) {
		p->opened = true;
		p->failed = bd_probe_open(&p->probe, p->root, p->host) != 0;
	}
	return !p->failed && bd_mapping_probe_rule(&p->probe, r, found, out);
}

bool bd_mapping_read_version(const struct bd_mapping *e, const char *file_name,
			     const char *soname, const struct bd_root *root,
			     const char *host, struct bd_buf *out,
			     unsigned *rule)
{
	struct probed p = { root, host, { -1, NULL }, false, false };
	bool found = bd_mapping_read_version_with(
		e, file_name, soname, host ? probe_rule : NULL, &p, out, rule);

	bd_probe_close(&p.probe);
	return found;
}

/* The dot-separated parts of a version: "3.53.2" has 3. */
static size_t parts(const char *v)
{
	size_t n = 1;

	for (; *v; v++)
		n += *v == '.';
	return n;
}

/* "0.18.1.MZLA.153.8.0esr" or "1.2.3+git1" is a build of "0.18.1" or
 * "1.2.3" labelled: the release, then a separator and no digit, or "+". */
static bool labels(const char *v, const char *release)
{
	size_t n = strlen(release);

	return !strncmp(v, release, n) && v[n] && strchr(".-_+~", v[n]) &&
	       (v[n] == '+' || !isdigit((unsigned char)v[n + 1]));
}

/* Whether another hit of rule k is the release that hit i labels. */
static bool labelled_release(const struct bd_string_hit *hits, size_t n,
			     uint32_t k, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (j != i && hits[j].rule == k && hits[j].version &&
		    labels(hits[i].version, hits[j].version))
			return true;
	return false;
}

bool bd_mapping_pick_bare(const struct bd_string_hit *hits, size_t n,
			  uint32_t k, const char *found, struct bd_buf *out)
{
	const char *one = NULL;
	size_t i, most = 0, at_most = 0;

	for (i = 0; i < n; i++) {
		if (hits[i].rule != k || !hits[i].version)
			continue;
		if (hits[i].more)
			return false;
		/* A release and its build's label ("0.18.1" and
		 * "0.18.1.MZLA.153.8.0esr.botan.3.11.1", RNP's
		 * RNP_VERSION_STRING and _FULL): the release. */
		if (labelled_release(hits, n, k, i))
			continue;
		if (found ? says_more(hits[i].version, found) : !one)
			one = hits[i].version;
		if (parts(hits[i].version) > most) {
			most = parts(hits[i].version);
			at_most = 0;
		}
		at_most += parts(hits[i].version) == most;
	}
	/* Several and none chosen by what was found: the one with the most
	 * parts ("3.53.2" beside a "3.0" of something else), if only one has
	 * that many; else which is unknown. */
	if (!found && one && at_most == 1) {
		for (i = 0; i < n; i++)
			if (hits[i].rule == k && hits[i].version &&
			    !labelled_release(hits, n, k, i) &&
			    parts(hits[i].version) == most)
				one = hits[i].version;
	} else if (!found) {
		one = NULL;
	}
	if (!one)
		return false;
	bd_buf_reset(out);
	bd_buf_adds(out, one);
	return bd_buf_ok(out);
}

/* ---- the compiled string rules ------------------------------------------ */

/* Visits each strings and bare rule, marker and licence string of one
 * entry (file i, index j); n counts, rules and of fill when given. */
static void entry_strings(const struct bd_mapping *e, size_t i, unsigned j,
			  struct bd_strrule *rules,
			  struct bd_mapping_string *of, size_t *n)
{
	unsigned k, nv = e->version_count, nm = e->markers_count;

	for (k = 0; k < nv + nm + e->license_strings_count; k++) {
		const struct bd_version_rule *r =
			k < nv ? &e->version[k] : NULL;
		struct bd_strrule x = { BD_STRRULE_MARKER, NULL, (uint32_t)*n };

		if (r && !r->strings && !r->bare)
			continue;
		if (r) {
			x.kind = r->bare ? BD_STRRULE_BARE : BD_STRRULE_VERSION;
			x.pattern = r->bare ? r->bare : r->strings;
		} else if (k < nv + nm) {
			x.pattern = e->markers[k - nv];
		} else {
			x.kind = BD_STRRULE_LICENSE;
			x.pattern = e->license_strings[k - nv - nm].strings;
		}
		if (rules) {
			rules[*n] = x;
			of[*n] = (struct bd_mapping_string){
				e, (unsigned)i, j, r ? (int)k : -1,
				k >= nv + nm ? (int)(k - nv - nm) : -1
			};
		}
		(*n)++;
	}
}

/* Visits each strings and bare rule, marker and licence string; n
 * counts, rules and of fill when given. */
static void each_string(const struct bd_mappings *m, struct bd_strrule *rules,
			struct bd_mapping_string *of, size_t *n)
{
	size_t i;
	unsigned j;

	for (*n = 0, i = 0; i < m->n; i++)
		for (j = 0; j < m->files[i]->libraries_count; j++)
			entry_strings(&m->files[i]->libraries[j], i, j, rules,
				      of, n);
}

int bd_mappings_compile(struct bd_mappings *m, struct bd_error *err)
{
	struct bd_strrule *rules;
	size_t n;
	int rc;

	bd_strrules_free(m->strings);
	free(m->string_of);
	m->strings = NULL;
	m->string_of = NULL;
	each_string(m, NULL, NULL, &n);
	rules = malloc((n ? n : 1) * sizeof(*rules));
	m->string_of = malloc((n ? n : 1) * sizeof(*m->string_of));
	if (!rules || !m->string_of) {
		free(rules);
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	each_string(m, rules, m->string_of, &n);
	rc = bd_strrules_build(&m->strings, rules, n, err);
	free(rules);
	return rc;
}

const struct bd_mapping_string *bd_mappings_string(const struct bd_mappings *m,
						   uint32_t k)
{
	return m->strings && k < bd_strrules_count(m->strings)
		       ? &m->string_of[k]
		       : NULL;
}

bool bd_mappings_prefer(const struct bd_mapping_string *a,
			const struct bd_mapping_string *b)
{
	return a->file > b->file || (a->file == b->file && a->index < b->index);
}

/* Whether p (n bytes) starts with word. */
static bool starts(const char *p, size_t n, const char *word)
{
	size_t len = strlen(word);

	return n >= len && !strncasecmp(p, word, len);
}

/* Whether a Debian repack marker starts at p: what follows it is not
 * upstream's ("+dfsg", "+ds", ".dfsg", "~dfsg", "~ds", "~repack"). */
static bool repack_at(const char *p, const char *end)
{
	size_t n = (size_t)(end - p) - 1;

	if (*p == '+')
		return starts(p + 1, n, "ds") || starts(p + 1, n, "dfsg");
	if (*p == '.')
		return starts(p + 1, n, "dfsg");
	return *p == '~' &&
	       (starts(p + 1, n, "dfsg") || starts(p + 1, n, "ds") ||
		starts(p + 1, n, "repack"));
}

/* Whether a tilde at p starts a pre-release upstream named ("~rc1",
 * "~beta3", "~alpha", "~pre2"): a word of these, then digits or the
 * end of the upstream part or another marker. */
static bool prerelease_at(const char *p, const char *end)
{
	static const char *const words[] = { "alpha", "beta", "rc",
					     "pre",   "a",    "b" };
	size_t n = (size_t)(end - p) - 1, i, len;

	for (i = 0; i < BD_ARRAY_SIZE(words); i++) {
		len = strlen(words[i]);
		if (starts(p + 1, n, words[i]) &&
		    (len == n || isdigit((unsigned char)p[1 + len]) ||
		     p[1 + len] == '+' || p[1 + len] == '.'))
			return true;
	}
	return false;
}

/* Whether a tilde at p starts a snapshot, which upstream never released:
 * of a version control system ("~git20230101", "~+svn49", "~hg"), or a
 * date ("0~20171227": eight digits or more). */
static bool snapshot_at(const char *p, const char *end)
{
	static const char *const vcs[] = {
		"git", "svn", "hg", "bzr", "cvs", "darcs", "snapshot", "nightly"
	};
	size_t n = (size_t)(end - p) - 1, i;
	const char *q = p + 1;

	if (n && (*q == '+' || *q == '.'))
		q++, n--;
	for (i = 0; i < BD_ARRAY_SIZE(vcs); i++)
		if (starts(q, n, vcs[i]))
			return true;
	for (i = 0; i < n && isdigit((unsigned char)q[i]); i++)
		;
	return i >= 8;
}

/*
 * A Debian (or rpm) version's upstream part, as upstream released it: no
 * epoch, revision or repack marker. A tilde sorts before what it follows
 * (deb-version(7)), and what follows it says which:
 * - a pre-release upstream named: "2.0~rc1" is not 2.0 but its release
 *   candidate, kept as "2.0-rc1" (a CVE fixed in 2.0 is not fixed in it);
 * - a snapshot, "0~20171227" or "2.9~git1234": upstream never named it,
 *   so there is no upstream version, rather than the release's;
 * - anything else marks the distribution's own build of the release
 *   ("20250419~deb12u2", "1.2.13~bpo11+1", "31.2~22.04"), or a repack
 *   ("~dfsg"): cut, as before.
 */
void bd_upstream_version(const char *v, struct bd_buf *out)
{
	const char *colon = strchr(v, ':'), *dash, *end, *p;

	if (colon && colon > v &&
	    strspn(v, "0123456789") == (size_t)(colon - v))
		v = colon + 1;
	dash = strrchr(v, '-');
	end = dash ? dash : v + strlen(v);
	for (p = v; p < end; p++) {
		if (repack_at(p, end))
			break;
		if (*p == '~' && snapshot_at(p, end)) {
			bd_buf_reset(out);
			return;
		}
		if (*p == '~' && !prerelease_at(p, end))
			break;
		bd_buf_addc(out, *p == '~' ? '-' : *p);
	}
}
