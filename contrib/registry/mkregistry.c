/* SPDX-License-Identifier: MIT */
/*
 * mkregistry FILE.yml...: writes to standard output the C source of the
 * shipped registry compiled in (struct bd_mapping_builtin, bindep/mapping.h):
 * each file's bytes, and the entries bindep-sbom's own loader gives for
 * them, as static data. The Makefile runs it at build time on the files of
 * mappings/ (build/registry_data.c, not committed); the program then takes
 * a registry file whose bytes are one of these from here, and parses any
 * other.
 *
 * A file that does not load, or that loads with a warning (a purl it would
 * mend), fails the build: the compiled-in copy is never mended, so it must
 * be a file that needs nothing. A file that loads as no document (an empty
 * one) is left out: the loader adds no file for it, parsed or not.
 *
 * Each file's bytes and its entries' strings are one pool, every byte
 * flipped by 0x80 (ASCII becomes no ASCII) and flipped back in place by the
 * first bd_mapping_builtins(): plain in the program's file, the registry's
 * markers and version texts would name zstd, lz4, ICU and a dozen more in
 * bindep-sbom itself (the embedded-code pass reads every file's read-only
 * data).
 */
#include "bindep/buf.h"
#include "bindep/mapping.h"
#include "bindep/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAM "mkregistry"
#define FLIP	0x80

/* The file being written: its number, and its pool (its bytes, then the
 * strings of its entries, each with its NUL). */
static size_t file_no;
static struct bd_buf pool = BD_BUF_INIT;

static unsigned warnings;

static void warn(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, PROGRAM ": %s: %s\n",
		level == BD_DIAG_WARNING ? "warning" : "note", msg);
	warnings++;
}

/* Bytes as the text of a C string literal: octal escapes for anything but
 * printable ASCII; '?' escaped too, for trigraphs (-std=c11). */
static void put_bytes(const char *s, size_t n, FILE *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c > 0x7e)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
}

/* A string field: its place in the pool ("pool_3 + 120"), or NULL. */
static void put_string(const char *s, FILE *out)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fprintf(out, "pool_%zu + %zu", file_no, pool.len);
	bd_buf_add(&pool, s, strlen(s) + 1);
}

/* ".field = pool_N + offset,", when set. */
static void put_field(const char *field, const char *s, const char *indent,
		      FILE *out)
{
	if (!s)
		return;
	fprintf(out, "%s.%s = ", indent, field);
	put_string(s, out);
	fputs(",\n", out);
}

/* A list and its count, when the list is there (an empty one is kept
 * apart from none, as the loader gives it). */
static void put_list(const char *field, char *const *list, unsigned n,
		     const char *indent, FILE *out)
{
	unsigned i;

	if (!list)
		return;
	fprintf(out, "%s.%s = LIST(", indent, field);
	for (i = 0; i < n; i++) {
		put_string(list[i], out);
		fputs(", ", out);
	}
	/* A compound literal needs an element: a list of none has NULL. */
	fprintf(out, "%s),\n%s.%s_count = %u,\n", n ? "" : "NULL", indent,
		field, n);
}

static void put_rules(const struct bd_mapping *e, FILE *out)
{
	unsigned i;

	if (!e->version)
		return;
	fputs("\t\t.version = RULES(\n", out);
	for (i = 0; i < e->version_count; i++) {
		const struct bd_version_rule *r = &e->version[i];

		fputs("\t\t\t{\n", out);
		put_field("filename", r->filename, "\t\t\t\t", out);
		put_field("soname", r->soname, "\t\t\t\t", out);
		put_field("verdef", r->verdef, "\t\t\t\t", out);
		put_field("strings", r->strings, "\t\t\t\t", out);
		put_field("bare", r->bare, "\t\t\t\t", out);
		put_field("function", r->function, "\t\t\t\t", out);
		put_field("returns", r->returns, "\t\t\t\t", out);
		fputs("\t\t\t},\n", out);
	}
	if (!e->version_count)
		fputs("\t\t\t{ 0 },\n", out);
	fprintf(out, "\t\t),\n\t\t.version_count = %u,\n", e->version_count);
}

static void put_license_strings(const struct bd_mapping *e, FILE *out)
{
	unsigned i;

	if (!e->license_strings)
		return;
	fputs("\t\t.license_strings = LICENSE_STRINGS(\n", out);
	for (i = 0; i < e->license_strings_count; i++) {
		fputs("\t\t\t{\n", out);
		put_field("strings", e->license_strings[i].strings, "\t\t\t\t",
			  out);
		put_field("license", e->license_strings[i].license, "\t\t\t\t",
			  out);
		fputs("\t\t\t},\n", out);
	}
	if (!e->license_strings_count)
		fputs("\t\t\t{ 0 },\n", out);
	fprintf(out, "\t\t),\n\t\t.license_strings_count = %u,\n",
		e->license_strings_count);
}

static void put_sources(const struct bd_mapping_sources *s, FILE *out)
{
	if (!s)
		return;
	fputs("\t\t.sources = SOURCES(\n", out);
	put_list("debian", s->debian, s->debian_count, "\t\t\t", out);
	put_list("alpine", s->alpine, s->alpine_count, "\t\t\t", out);
	put_list("fedora", s->fedora, s->fedora_count, "\t\t\t", out);
	fputs("\t\t),\n", out);
}

static void put_manifest(const struct bd_mapping_manifest *mf, FILE *out)
{
	if (!mf)
		return;
	fputs("\t\t.manifest = MANIFEST(\n", out);
	put_field("path", mf->path, "\t\t\t", out);
	put_field("format", mf->format, "\t\t\t", out);
	fputs("\t\t),\n", out);
}

/* Every field of struct bd_mapping the loader sets (not file and shown:
 * each load sets them from the path it read). */
static void put_entry(const struct bd_mapping *e, FILE *out)
{
	fputs("\t{\n", out);
	put_field("name", e->name, "\t\t", out);
	put_field("purl", e->purl, "\t\t", out);
	put_field("repository", e->repository, "\t\t", out);
	put_field("homepage", e->homepage, "\t\t", out);
	put_field("license", e->license, "\t\t", out);
	put_license_strings(e, out);
	put_field("cpe", e->cpe, "\t\t", out);
	put_field("registry", e->registry, "\t\t", out);
	put_list("files", e->files, e->files_count, "\t\t", out);
	put_rules(e, out);
	put_list("markers", e->markers, e->markers_count, "\t\t", out);
	put_sources(e->sources, out);
	put_list("placeholders", e->placeholders, e->placeholders_count, "\t\t",
		 out);
	put_manifest(e->manifest, out);
	put_list("manifest_names", e->manifest_names, e->manifest_names_count,
		 "\t\t", out);
	put_list("examples", e->examples, e->examples_count, "\t\t", out);
	put_field("example_version", e->example_version, "\t\t", out);
	fprintf(out, "\t\t.line = %u,\n\t},\n", e->line);
}

/* The pool, flipped, a literal every 64 bytes. */
static void put_pool(FILE *out)
{
	size_t at;

	fprintf(out, "static char pool_%zu[] =", file_no);
	if (!pool.len)
		fputs("\n\t\"\"", out);
	for (at = 0; at < pool.len; at++) {
		char c = (char)(pool.data[at] ^ FLIP);

		if (at % 64 == 0)
			fputs(at ? "\"\n\t\"" : "\n\t\"", out);
		put_bytes(&c, 1, out);
	}
	fputs(pool.len ? "\";\n\n" : ";\n\n", out);
}

/* The pool (the file's bytes first), then the entries, which fill the
 * pool as they are written (into memory first). */
static int put_entries(const struct bd_mapping_file *f, const char *path,
		       const char *text, size_t len, FILE *out)
{
	char *entries = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&entries, &size);
	unsigned i;

	if (!mem)
		return -1;
	bd_buf_reset(&pool);
	bd_buf_add(&pool, text, len);
	fprintf(mem, "static const struct bd_mapping libraries_%zu[] = {\n",
		file_no);
	for (i = 0; i < f->libraries_count; i++)
		put_entry(&f->libraries[i], mem);
	if (!f->libraries_count)
		fputs("\t{ 0 },\n", mem);
	fputs("};\n\n", mem);
	if (fclose(mem) || !bd_buf_ok(&pool)) {
		free(entries);
		fputs(PROGRAM ": out of memory\n", stderr);
		return -1;
	}
	fprintf(out, "/* %s: its %zu bytes, then its entries' strings */\n",
		path, len);
	put_pool(out);
	fwrite(entries, 1, size, out);
	free(entries);
	return 0;
}

/* Writes file k: 1 when it went in (*count: its entries, *len: its
 * bytes), 0 when left out, -1 on failure. */
static int put_file(size_t k, const char *path, unsigned *count, size_t *len,
		    FILE *out)
{
	struct bd_diag diag = { warn, NULL };
	struct bd_mappings m;
	struct bd_error err;
	char *text;
	int rc = -1;

	if (bd_yaml_read(path, &text, len, &err)) {
		fprintf(stderr, PROGRAM ": %s\n", err.msg);
		return -1;
	}
	bd_mappings_init(&m);
	m.diag = &diag;
	warnings = 0;
	file_no = k;
	if (bd_mappings_load_file(&m, path, &err))
		fprintf(stderr, PROGRAM ": %s\n", err.msg);
	else if (warnings)
		fprintf(stderr,
			PROGRAM ": '%s': loads with a warning: mend it "
				"(shipped files are compiled in as they are)\n",
			path);
	else
		rc = (int)m.n;
	if (rc == 1 && put_entries(m.files[0], path, text, *len, out))
		rc = -1;
	if (rc == 1)
		*count = m.files[0]->libraries_count;
	bd_mappings_release(&m);
	free(text);
	return rc;
}

static const char head[] =
	"/* The shipped registry, compiled in: written by mkregistry\n"
	" * (contrib/registry/mkregistry.c) from mappings/. Do not edit: "
	"rebuild.\n"
	" * Each pool_N holds a file's bytes, then its entries' strings, every "
	"byte\n"
	" * flipped by 0x80 until bd_mapping_builtins() flips them back. */\n"
	"#include \"bindep/mapping.h\"\n"
	"\n"
	"#include <pthread.h>\n"
	"#include <stddef.h>\n"
	"#include <stdint.h>\n"
	"#include <string.h>\n"
	"\n"
	"#define LIST(...) ((char **)(char *const[]){ __VA_ARGS__ })\n"
	"#define RULES(...)                                              "
	"\\\n"
	"\t((struct bd_version_rule *)(const struct bd_version_rule[]){ "
	"\\\n"
	"\t\t__VA_ARGS__ })\n"
	"#define LICENSE_STRINGS(...)                                    "
	"\\\n"
	"\t((struct bd_license_string *)(const struct bd_license_string[]){ "
	"\\\n"
	"\t\t__VA_ARGS__ })\n"
	"#define SOURCES(...)                                            "
	"\\\n"
	"\t((struct bd_mapping_sources *)&(                              "
	"\\\n"
	"\t\tconst struct bd_mapping_sources){ __VA_ARGS__ })\n"
	"#define MANIFEST(...)                                           "
	"\\\n"
	"\t((struct bd_mapping_manifest *)&(                             "
	"\\\n"
	"\t\tconst struct bd_mapping_manifest){ __VA_ARGS__ })\n"
	"\n";

static const char tail[] =
	"\n"
	"/* A word at a time: a byte at a time was 0.9 million instructions. "
	"*/\n"
	"static void unflip(void)\n"
	"{\n"
	"\tsize_t i, j;\n"
	"\tuint64_t w;\n"
	"\n"
	"\tfor (i = 0; pools[i].data; i++) {\n"
	"\t\tfor (j = 0; j + sizeof(w) <= pools[i].size; j += sizeof(w)) "
	"{\n"
	"\t\t\tmemcpy(&w, pools[i].data + j, sizeof(w));\n"
	"\t\t\tw ^= UINT64_C(0x8080808080808080);\n"
	"\t\t\tmemcpy(pools[i].data + j, &w, sizeof(w));\n"
	"\t\t}\n"
	"\t\tfor (; j < pools[i].size; j++)\n"
	"\t\t\tpools[i].data[j] ^= 0x80;\n"
	"\t}\n"
	"}\n"
	"\n"
	"const struct bd_mapping_builtin *bd_mapping_builtins(size_t *n)\n"
	"{\n"
	"\tstatic pthread_once_t once = PTHREAD_ONCE_INIT;\n"
	"\n"
	"\tpthread_once(&once, unflip);\n"
	"\t*n = sizeof(table) / sizeof(table[0]) - 1;\n"
	"\treturn table;\n"
	"}\n";

/* The base name: what the table calls the file. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The table, and the pools to flip back; each ends with an entry that is
 * not counted (an array of none is no C). */
static void put_table(char **paths, const int *in, const unsigned *count,
		      const size_t *len, size_t n, FILE *out)
{
	size_t i;

	fputs("static const struct bd_mapping_builtin table[] = {\n", out);
	for (i = 0; i < n; i++) {
		const char *name = base_name(paths[i]);

		if (!in[i])
			continue;
		fputs("\t{ \"", out);
		put_bytes(name, strlen(name), out);
		fprintf(out, "\", pool_%zu, %zu, libraries_%zu, %u },\n", i,
			len[i], i, count[i]);
	}
	fputs("\t{ NULL, NULL, 0, NULL, 0 },\n};\n\n"
	      "static const struct {\n\tchar *data;\n\tsize_t size;\n"
	      "} pools[] = {\n",
	      out);
	for (i = 0; i < n; i++)
		if (in[i])
			fprintf(out, "\t{ pool_%zu, sizeof(pool_%zu) - 1 },\n",
				i, i);
	fputs("\t{ NULL, 0 },\n};\n", out);
	fputs(tail, out);
}

int main(int argc, char **argv)
{
	FILE *out = stdout;
	size_t i, n = argc > 1 ? (size_t)argc - 1 : 0;
	int *in = calloc(n ? n : 1, sizeof(*in));
	unsigned *count = calloc(n ? n : 1, sizeof(*count));
	size_t *len = calloc(n ? n : 1, sizeof(*len));
	int rc = 0;

	if (!in || !count || !len) {
		fputs(PROGRAM ": out of memory\n", stderr);
		rc = 1;
	}
	if (!rc)
		fputs(head, out);
	for (i = 0; !rc && i < n; i++) {
		in[i] = put_file(i, argv[i + 1], &count[i], &len[i], out);
		rc = in[i] < 0;
	}
	if (!rc)
		put_table(argv + 1, in, count, len, n, out);
	free(in);
	free(count);
	free(len);
	bd_buf_release(&pool);
	if (!rc && (fflush(out) || ferror(out))) {
		perror(PROGRAM ": standard output");
		rc = 1;
	}
	return rc;
}
