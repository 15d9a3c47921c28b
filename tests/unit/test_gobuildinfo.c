/* SPDX-License-Identifier: MIT */
/*
 * Go build information (gobuildinfo.c): the blob found and its strings
 * read as Go's debug/buildinfo reads them, the module list parsed as
 * runtime/debug's ParseBuildInfo parses it, and hostile blobs and lists
 * refused one problem at a time.
 */
#include "unit.h"
#include "bindep/buf.h"
#include "bindep/scan.h"

#include <stdlib.h>
#include <string.h>

/* cmd/go/internal/modload's infoStart and infoEnd, around the list. */
static const char START[] = "\x30\x77\xaf\x0c\x92\x74\x08\x02"
			    "\x41\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char END[] = "\xf9\x32\x43\x31\x86\x18\x20\x72"
			  "\x00\x82\x42\x10\x41\x16\xd8\xf2";

#define MAGIC "\xff Go buildinf:"

/* A file in memory: its bytes, and the source reading them. */
struct file {
	unsigned char *d;
	size_t n;
};

static struct file file_new(size_t n)
{
	struct file f = { calloc(n, 1), n };

	CU_ASSERT_PTR_NOT_NULL_FATAL(f.d);
	return f;
}

static const unsigned char *file_bytes(void *ctx, uint64_t off, size_t len)
{
	const struct file *f = ctx;

	if (off > f->n || len > f->n - off)
		return NULL;
	return f->d + off;
}

static struct bd_go_source source_of(struct file *f)
{
	return (struct bd_go_source){ file_bytes, f, f->n };
}

/* Go's binary.PutUvarint. */
static size_t put_uvarint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* The framed module list of text. */
static void framed(struct bd_buf *b, const char *text)
{
	bd_buf_add(b, START, 16);
	bd_buf_adds(b, text);
	bd_buf_add(b, END, 16);
}

/* An inline blob (Go 1.18 and later) at offset at of f: header, version,
 * module list; returns its end. */
static size_t put_inline(struct file *f, size_t at, const char *version,
			 const char *mod, size_t mod_len)
{
	size_t n = at;

	memcpy(f->d + n, MAGIC, 14);
	f->d[n + 14] = 8;
	f->d[n + 15] = 2;
	memset(f->d + n + 16, 0, 16);
	n += 32;
	n += put_uvarint(f->d + n, strlen(version));
	memcpy(f->d + n, version, strlen(version));
	n += strlen(version);
	n += put_uvarint(f->d + n, mod_len);
	memcpy(f->d + n, mod, mod_len);
	return n + mod_len;
}

/* One segment mapping the whole file at 0x400000, read-write; with a
 * section .go.buildinfo at [addr, addr + size) when named. */
static struct bd_go_elf elf_of(const struct file *f, bool named, uint64_t addr,
			       uint64_t size)
{
	struct bd_go_elf e;

	memset(&e, 0, sizeof(e));
	e.loads[0] = (struct bd_go_load){ 0x400000, 0, f->n, 6 };
	e.nloads = 1;
	e.sections = named;
	e.named = named;
	e.addr = addr;
	e.size = size;
	return e;
}

static int find(struct file *f, const struct bd_go_elf *e,
		struct bd_go_blob *blob, struct bd_error *err)
{
	struct bd_go_source src = source_of(f);

	memset(blob, 0, sizeof(*blob));
	bd_error_clear(err);
	return bd_gobuildinfo_find(e, &src, blob, err);
}

/* rc and err of finding the blob, its message containing want. */
static void expect_find(struct file *f, const struct bd_go_elf *e, int rc,
			const char *want)
{
	struct bd_go_blob blob;
	struct bd_error err;
	int got = find(f, e, &blob, &err);

	CU_ASSERT_EQUAL(got, rc);
	if (want)
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	if (got != rc || (want && !strstr(err.msg, want)))
		fprintf(stderr, "\n  find: %d '%s', not %d '%s'\n", got,
			err.msg, rc, want ? want : "");
}

static void test_inline_blob_in_its_section(void)
{
	struct bd_buf mod = BD_BUF_INIT;
	struct file f = file_new(4096);
	struct bd_go_elf e;
	struct bd_go_blob blob;
	struct bd_error err;
	size_t end;

	framed(&mod, "path\texample.com/app\n");
	end = put_inline(&f, 0x100, "go1.21.5", mod.data, mod.len);
	e = elf_of(&f, true, 0x400100, end - 0x100);
	CU_ASSERT_EQUAL_FATAL(find(&f, &e, &blob, &err), 0);
	CU_ASSERT_EQUAL(blob.version_off, 0x100 + 33);
	CU_ASSERT_EQUAL(blob.version_len, 8);
	CU_ASSERT_EQUAL(blob.mod_off, 0x100 + 33 + 8 + 1);
	CU_ASSERT_EQUAL(blob.mod_len, mod.len);
	CU_ASSERT_FALSE(blob.mod_too_large);
	/* The strings end with the section: one byte short, cut. */
	e.size--;
	expect_find(&f, &e, BD_EFORMAT,
		    "Go build info: its module list of 53 bytes runs past the "
		    "end of section .go.buildinfo");
	/* A section that holds no magic is said; a file with section
	 * headers but no such section is not searched. */
	e = elf_of(&f, true, 0x400200, 0x100);
	expect_find(&f, &e, BD_EFORMAT,
		    "section .go.buildinfo holds no build info");
	e = elf_of(&f, false, 0, 0);
	e.sections = true;
	expect_find(&f, &e, BD_ENOENT, NULL);
	/* Nor a section in no segment (objcopy --add-section: address 0). */
	e = elf_of(&f, true, 0, end - 0x100);
	expect_find(&f, &e, BD_EFORMAT,
		    "section .go.buildinfo at 0x0 is in no segment");
	bd_buf_release(&mod);
	free(f.d);
}

/* Without section headers: the first writable, non-executable PT_LOAD,
 * searched at 16-byte-aligned addresses (debug/buildinfo searchMagic). */
static void test_found_by_magic_without_sections(void)
{
	struct file f = file_new(BD_GO_MAX_SEARCH + 4096);
	struct bd_go_elf e = elf_of(&f, false, 0, 0);
	struct bd_go_blob blob;
	struct bd_error err;

	put_inline(&f, 0x230, "go1.22.0", "", 0);
	/* A misaligned copy first: skipped. */
	memcpy(f.d + 0x104, MAGIC, 14);
	CU_ASSERT_EQUAL_FATAL(find(&f, &e, &blob, &err), 0);
	CU_ASSERT_EQUAL(blob.version_off, 0x230 + 33);
	CU_ASSERT_EQUAL(blob.mod_len, 0);
	/* The segment's address counts, not the file offset: at 0x400008
	 * the magic at offset 0x230 is misaligned. */
	e.loads[0].vaddr = 0x400008;
	expect_find(&f, &e, BD_ENOENT, NULL);
	/* Executable, or read-only: not searched; the first writable one
	 * is, and only it. */
	e = elf_of(&f, false, 0, 0);
	e.loads[0].flags = 7;
	expect_find(&f, &e, BD_ENOENT, NULL);
	e.loads[0].flags = 4;
	expect_find(&f, &e, BD_ENOENT, NULL);
	e.loads[1] = (struct bd_go_load){ 0x600000, 0, 0x200, 6 };
	e.loads[2] = (struct bd_go_load){ 0x700000, 0, f.n, 6 };
	e.nloads = 3;
	expect_find(&f, &e, BD_ENOENT, NULL);
	/* The first BD_GO_MAX_SEARCH bytes are searched: a header that
	 * starts in them is read past them; one after them is not seen. */
	memset(f.d, 0, f.n);
	put_inline(&f, BD_GO_MAX_SEARCH - 16, "go1.22.0", "", 0);
	e = elf_of(&f, false, 0, 0);
	CU_ASSERT_EQUAL(find(&f, &e, &blob, &err), 0);
	CU_ASSERT_EQUAL(blob.version_off, BD_GO_MAX_SEARCH - 16 + 33);
	memset(f.d, 0, f.n);
	put_inline(&f, BD_GO_MAX_SEARCH, "go1.22.0", "", 0);
	expect_find(&f, &e, BD_ENOENT, NULL);
	free(f.d);
}

/* Truncated blobs and varint lengths that are huge, overflow or are cut:
 * one problem each, never a read past the section or file. */
static void test_hostile_inline_lengths(void)
{
	struct file f = file_new(1024);
	struct bd_go_elf e;
	unsigned char *p = f.d + 0x80 + 32;

	/* The header itself cut by the end of the section. */
	memcpy(f.d + 0x80, MAGIC, 14);
	f.d[0x80 + 15] = 2;
	e = elf_of(&f, true, 0x400080, 20);
	expect_find(&f, &e, BD_EFORMAT,
		    "its header runs past the end of section .go.buildinfo");
	/* A varint with no last byte before the end. */
	memset(p, 0xff, 4);
	e = elf_of(&f, true, 0x400080, 36);
	expect_find(&f, &e, BD_EFORMAT,
		    "the length of its version runs past the end of section "
		    ".go.buildinfo");
	/* Eleven bytes of continuation, and ten with a last byte over 1:
	 * both overflow 64 bits (binary.Uvarint). */
	memset(p, 0xff, 11);
	e = elf_of(&f, true, 0x400080, 100);
	expect_find(&f, &e, BD_EFORMAT, "the length of its version overflows");
	memset(p, 0xff, 9);
	p[9] = 2;
	expect_find(&f, &e, BD_EFORMAT, "the length of its version overflows");
	/* 2^63 - 1 bytes: past the end, not an allocation. */
	memset(p, 0xff, 8);
	p[8] = 0x7f;
	expect_find(&f, &e, BD_EFORMAT,
		    "its version of 9223372036854775807 bytes runs past the "
		    "end of section .go.buildinfo");
	/* Empty, or over the limit. */
	p[0] = 0;
	expect_find(&f, &e, BD_EFORMAT, "its version is empty");
	memset(p, 'g', 400);
	put_uvarint(p, BD_GO_MAX_VERSION + 1);
	e = elf_of(&f, true, 0x400080, f.n - 0x80);
	expect_find(&f, &e, BD_EFORMAT,
		    "its version of 257 bytes is over the limit of 256");
	/* A section that the file ends inside is read to the file's end. */
	memset(p, 0, 400);
	put_inline(&f, 0x80, "go1.20", "", 0);
	e = elf_of(&f, true, 0x400080, 1u << 30);
	e.loads[0].filesz = 1u << 30;
	expect_find(&f, &e, 0, NULL);
	put_uvarint(p, 2000);
	expect_find(&f, &e, BD_EFORMAT,
		    "its version of 2000 bytes runs past the end of the file");
	free(f.d);
}

/* A module list over BD_GO_MAX_MODINFO is not read; the version is. */
static void test_module_list_too_large(void)
{
	size_t at = 0x40 + 32 + 1 + 8;
	struct file f = file_new(at + 3 + BD_GO_MAX_MODINFO + 1);
	struct bd_go_elf e;
	struct bd_go_blob blob;
	struct bd_error err;

	put_inline(&f, 0x40, "go1.21.0", "", 0);
	CU_ASSERT_EQUAL(put_uvarint(f.d + at, BD_GO_MAX_MODINFO + 1), 3);
	e = elf_of(&f, true, 0x400040, f.n - 0x40);
	CU_ASSERT_EQUAL_FATAL(find(&f, &e, &blob, &err), 0);
	CU_ASSERT(blob.mod_too_large);
	CU_ASSERT_EQUAL(blob.mod_off, at + 3);
	CU_ASSERT_EQUAL(blob.mod_len, BD_GO_MAX_MODINFO + 1);
	/* Past the end of the section: said so, not too large. */
	e.size--;
	expect_find(&f, &e, BD_EFORMAT,
		    "its module list of 1048577 bytes runs past the end");
	free(f.d);
}

/* The pointer format of Go 1.17 and earlier: two addresses of Go string
 * headers (data, length), of 4 or 8 bytes in either byte order. */
static void put_ptr(unsigned char *p, uint64_t v, unsigned size, bool msb)
{
	unsigned i;

	for (i = 0; i < size; i++)
		p[msb ? size - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* A 0x400-byte file and the module list after it, mapped at 0x400000. */
static void put_pointer_blob(struct file *f, unsigned size, bool msb,
			     const char *mod, size_t mod_len)
{
	const uint64_t base = 0x400000;

	free(f->d);
	*f = file_new(0x400 + mod_len);
	memcpy(f->d + 0x40, MAGIC, 14);
	f->d[0x40 + 14] = (unsigned char)size;
	f->d[0x40 + 15] = msb;
	put_ptr(f->d + 0x40 + 16, base + 0x100, size, msb);
	put_ptr(f->d + 0x40 + 16 + size, base + 0x120, size, msb);
	put_ptr(f->d + 0x100, base + 0x200, size, msb);
	put_ptr(f->d + 0x100 + size, 8, size, msb);
	put_ptr(f->d + 0x120, base + 0x400, size, msb);
	put_ptr(f->d + 0x120 + size, mod_len, size, msb);
	memcpy(f->d + 0x200, "go1.16.5", 8);
	memcpy(f->d + 0x400, mod, mod_len);
}

static void test_pointer_blob_both_orders_and_sizes(void)
{
	static const struct {
		unsigned size;
		bool msb;
	} kinds[] = { { 8, false }, { 8, true }, { 4, false }, { 4, true } };
	struct bd_buf mod = BD_BUF_INIT;
	struct file f = { NULL, 0 };
	struct bd_go_elf e;
	struct bd_go_blob blob;
	struct bd_error err;
	size_t i;

	framed(&mod, "path\tx.org/y\n");
	for (i = 0; i < BD_ARRAY_SIZE(kinds); i++) {
		put_pointer_blob(&f, kinds[i].size, kinds[i].msb, mod.data,
				 mod.len);
		e = elf_of(&f, true, 0x400040, 32);
		CU_ASSERT_EQUAL_FATAL(find(&f, &e, &blob, &err), 0);
		CU_ASSERT_EQUAL(blob.version_off, 0x200);
		CU_ASSERT_EQUAL(blob.version_len, 8);
		CU_ASSERT_EQUAL(blob.mod_off, 0x400);
		CU_ASSERT_EQUAL(blob.mod_len, mod.len);
	}
	bd_buf_release(&mod);
	free(f.d);
}

/* Pointers out of the file, out of every segment, string headers and
 * data cut by their segment's end, a pointer size Go never wrote. */
static void test_hostile_pointers(void)
{
	struct file f = { NULL, 0 };
	struct bd_go_elf e;

	put_pointer_blob(&f, 8, false, "", 0);
	e = elf_of(&f, true, 0x400040, 32);
	put_ptr(f.d + 0x40 + 16, 0xdead0000, 8, false);
	expect_find(&f, &e, BD_EFORMAT,
		    "its version's string header at 0xdead0000 is in no "
		    "segment");
	put_pointer_blob(&f, 8, false, "", 0);
	put_ptr(f.d + 0x100, UINT64_MAX, 8, false);
	expect_find(&f, &e, BD_EFORMAT,
		    "its version at 0xffffffffffffffff is in no segment");
	/* Lengths past the segment, or the file the segment claims. */
	put_pointer_blob(&f, 8, false, "", 0);
	put_ptr(f.d + 0x108, UINT64_MAX, 8, false);
	expect_find(&f, &e, BD_EFORMAT,
		    "its version of 18446744073709551615 bytes runs past the "
		    "end of its segment");
	put_pointer_blob(&f, 8, false, "", 0);
	e.loads[0].filesz = 1u << 20;
	put_ptr(f.d + 0x108, 0x1000, 8, false);
	expect_find(&f, &e, BD_EFORMAT,
		    "its version of 4096 bytes runs past the end of the file");
	/* A string header cut by its segment's end, or the file's. */
	put_pointer_blob(&f, 8, false, "", 0);
	e = elf_of(&f, true, 0x400040, 32);
	put_ptr(f.d + 0x40 + 24, 0x400000 + f.n - 8, 8, false);
	expect_find(&f, &e, BD_EFORMAT,
		    "its module list's string header at 0x4003f8 runs past "
		    "the end of its segment");
	e.loads[0].filesz = 1u << 20;
	expect_find(&f, &e, BD_EFORMAT,
		    "its module list's string header at 0x4003f8 runs past "
		    "the end of the file");
	/* An empty module list is none (a build outside module mode); an
	 * empty version is no build info. */
	put_pointer_blob(&f, 8, false, "", 0);
	e = elf_of(&f, true, 0x400040, 32);
	expect_find(&f, &e, 0, NULL);
	put_ptr(f.d + 0x108, 0, 8, false);
	expect_find(&f, &e, BD_EFORMAT, "its version is empty");
	put_pointer_blob(&f, 8, false, "", 0);
	f.d[0x40 + 14] = 3;
	expect_find(&f, &e, BD_EFORMAT, "pointer size 3, not 4 or 8");
	free(f.d);
}

/* The module list of a real build (`go version -m`), replacement and
 * quoted settings included. */
static const char LIST[] =
	"path\texample.com/app/cmd/app\n"
	"mod\texample.com/app\t(devel)\t\n"
	"dep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:o7IhLm0Msx3BaB+n3Ag7L8EVl"
	"ByGnpq14hFpYlGK0mA=\n"
	"dep\tgithub.com/spf13/cobra\tv1.8.0\th1:abc=\n"
	"=>\tgithub.com/fork/cobra\tv1.8.1-fork\th1:def=\n"
	"dep\tgolang.org/x/sys\tv0.0.0-20230101000000-abcdef123456\n"
	"dep\tgithub.com/local/thing\tv1.0.0\n"
	"=>\t../thing\t\t\n"
	"build\t-buildmode=exe\n"
	"build\t-compiler=gc\n"
	"build\t-ldflags=\"-s -w -X main.version=1.2.3\"\n"
	"build\tCGO_ENABLED=1\n"
	"build\tCGO_CFLAGS=\"-O2 -g\"\n"
	"build\tGOARCH=amd64\n"
	"build\t\"GOOS\"=`linux`\n"
	"build\tvcs=git\n"
	"build\tvcs.revision=0123456789abcdef0123456789abcdef01234567\n"
	"build\tvcs.modified=false\n";

/* The list text[0..len), framed or not, parsed. */
static int parse_n(const char *version, const char *text, size_t len,
		   bool frame, struct bd_arena *a,
		   const struct bd_go_info **out, struct bd_error *err)
{
	struct bd_buf b = BD_BUF_INIT;
	int rc;

	if (frame)
		bd_buf_add(&b, START, 16);
	bd_buf_add(&b, text, len);
	if (frame)
		bd_buf_add(&b, END, 16);
	*out = NULL;
	bd_error_clear(err);
	rc = bd_gobuildinfo_parse(version, strlen(version), b.data, b.len, a,
				  out, err);
	bd_buf_release(&b);
	return rc;
}

static int parse(const char *version, const char *text, bool frame,
		 struct bd_arena *a, const struct bd_go_info **out,
		 struct bd_error *err)
{
	return parse_n(version, text, strlen(text), frame, a, out, err);
}

static void test_module_list_parsed(void)
{
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(parse("go1.21.5", LIST, true, &a, &go, &err), 0);
	CU_ASSERT_STRING_EQUAL(go->version, "go1.21.5");
	CU_ASSERT_STRING_EQUAL(go->path, "example.com/app/cmd/app");
	CU_ASSERT_STRING_EQUAL(go->main->path, "example.com/app");
	CU_ASSERT_STRING_EQUAL(go->main->version, "(devel)");
	CU_ASSERT_PTR_NULL(go->main->sum);
	CU_ASSERT_EQUAL_FATAL(go->ndeps, 4);
	CU_ASSERT_STRING_EQUAL(go->deps[0].path, "github.com/BurntSushi/toml");
	CU_ASSERT_STRING_EQUAL(go->deps[0].sum, "h1:o7IhLm0Msx3BaB+n3Ag7L8EVlB"
						"yGnpq14hFpYlGK0mA=");
	CU_ASSERT_PTR_NULL(go->deps[0].replace);
	CU_ASSERT_PTR_NOT_NULL_FATAL(go->deps[1].replace);
	CU_ASSERT_STRING_EQUAL(go->deps[1].replace->path,
			       "github.com/fork/cobra");
	CU_ASSERT_STRING_EQUAL(go->deps[1].replace->version, "v1.8.1-fork");
	CU_ASSERT_STRING_EQUAL(go->deps[1].replace->sum, "h1:def=");
	CU_ASSERT_PTR_NULL(go->deps[2].sum);
	/* A directory replacement: no version, no sum. */
	CU_ASSERT_STRING_EQUAL(go->deps[3].replace->path, "../thing");
	CU_ASSERT_PTR_NULL(go->deps[3].replace->version);
	CU_ASSERT_EQUAL_FATAL(go->nsettings, 5);
	CU_ASSERT_STRING_EQUAL(go->settings[0].key, "-buildmode");
	CU_ASSERT_STRING_EQUAL(go->settings[0].value, "exe");
	CU_ASSERT_STRING_EQUAL(go->settings[1].key, "CGO_ENABLED");
	CU_ASSERT_STRING_EQUAL(go->settings[2].value, "amd64");
	/* A quoted key and a raw-quoted value, unquoted. */
	CU_ASSERT_STRING_EQUAL(go->settings[3].key, "GOOS");
	CU_ASSERT_STRING_EQUAL(go->settings[3].value, "linux");
	CU_ASSERT_STRING_EQUAL(go->settings[4].key, "vcs.revision");
	bd_arena_release(&a);
}

/* The framing: stripped as debug/buildinfo strips it (33 bytes and up, a
 * newline 17 from the end: the list's last line ends in one); an empty
 * list is none; anything else is said and ignored, the version kept. */
static void test_framing_and_last_line(void)
{
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL(parse("go1.20", "", false, &a, &go, &err), 0);
	CU_ASSERT_PTR_NULL(go->main);
	CU_ASSERT_EQUAL(
		parse("go1.20", "mod\tx.org/y\tv1\n", false, &a, &go, &err),
		BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "Go build info: its module list is "
					"not framed by Go's sentinels, "
					"ignoring it");
	CU_ASSERT_STRING_EQUAL(go->version, "go1.20");
	CU_ASSERT_PTR_NULL(go->main);
	CU_ASSERT_EQUAL(parse("go1.20", "mod\tx.org/y\tv1\ndep\tx.org/z\tv2",
			      true, &a, &go, &err),
			BD_EFORMAT);
	CU_ASSERT_PTR_NULL(go->main);
	CU_ASSERT_EQUAL(
		parse("go1.20", "mod\tx.org/y\tv1\n", true, &a, &go, &err), 0);
	CU_ASSERT_STRING_EQUAL(go->main->path, "x.org/y");
	CU_ASSERT_EQUAL(go->ndeps, 0);
	bd_arena_release(&a);
}

static void expect_skipped(const char *text, const char *want, size_t ndeps)
{
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;
	int rc;

	bd_arena_init(&a);
	rc = parse("go1.21.0", text, true, &a, &go, &err);
	CU_ASSERT_EQUAL(rc, BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(go);
	CU_ASSERT_EQUAL(go->ndeps, ndeps);
	if (rc != BD_EFORMAT || strcmp(err.msg, want) || go->ndeps != ndeps)
		fprintf(stderr, "\n  %d '%s', %zu deps\n", rc, err.msg,
			go->ndeps);
	bd_arena_release(&a);
}

/* Each bad line skipped, the others kept, the first problem said. */
static void test_bad_lines_skipped(void)
{
	expect_skipped("dep\tx.org/a\n"
		       "dep\tx.org/b\tv1\n",
		       "Go build info: module list line 1: expected 2 or 3 "
		       "columns, got 1, skipping it",
		       1);
	expect_skipped("dep\tx.org/a\tv1\th1:x=\textra\n"
		       "=>\tx.org/r\tv2\th1:y=\n"
		       "dep\t\tv1\n"
		       "dep\tx.org/b\tv1\n",
		       "Go build info: module list line 1: expected 2 or 3 "
		       "columns, got 4, skipping it (and 2 more lines)",
		       1);
	expect_skipped("dep\tx.org/a\tv1\n"
		       "=>\tx.org/r\tv2\n"
		       "=>\tx.org/s\tv3\th1:z=\n",
		       "Go build info: module list line 2: expected 3 "
		       "columns for a replacement, got 2, skipping it (and 1 "
		       "more line)",
		       1);
	expect_skipped("=>\tx.org/r\tv2\th1:y=\n"
		       "dep\tx.org/a\tv1\n",
		       "Go build info: module list line 1: a replacement with "
		       "no module before it, skipping it",
		       1);
	/* Not UTF-8: never made a name (Go keeps the bytes). */
	expect_skipped("dep\tx.org/\xc3\x28\tv1\n"
		       "path\tx.org/\xff\n"
		       "dep\tx.org/b\tv1\n",
		       "Go build info: module list line 1: a field that is "
		       "not UTF-8 text, skipping it (and 1 more line)",
		       1);
	/* Go refuses each of these, and the whole list with it; the value
	 * of a setting not kept (-compiler) is checked too. */
	expect_skipped("build\tGOOS\n"
		       "build\tGOARCH=\"amd64\\q\"\n"
		       "build\tCGO_ENABLED=a b\n"
		       "build\t\"GOOS=linux\n"
		       "build\tvcs.revision=\xff\n"
		       "build\t-compiler=g\tc\n"
		       "build\tGO\tOS=linux\n"
		       "build\t=linux\n"
		       "dep\tx.org/b\tv1\n",
		       "Go build info: module list line 1: a build setting "
		       "without '=', skipping it (and 7 more lines)",
		       1);
}

/*
 * A list with CRLF line ends, which no Go toolchain writes: Go's
 * ParseBuildInfo cuts lines at '\n' and fields at tabs only, so that a
 * module line's last field keeps the '\r' ("h1:a=\r", or the version of
 * a line a replacement follows, "v1.0.0\r"), and so do we.
 */
static void test_crlf_module_lines_kept(void)
{
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(parse("go1.21.5",
				    "path\texample.com/app/cmd/app\r\n"
				    "mod\texample.com/app\t(devel)\t\r\n"
				    "dep\tx.org/a\tv1.0.0\th1:a=\r\n"
				    "dep\tx.org/b\tv1.0.0\r\n"
				    "=>\tx.org/c\tv2.0.0\th1:c=\r\n",
				    true, &a, &go, &err),
			      0);
	CU_ASSERT_STRING_EQUAL(go->path, "example.com/app/cmd/app\r");
	CU_ASSERT_STRING_EQUAL(go->main->version, "(devel)");
	CU_ASSERT_STRING_EQUAL(go->main->sum, "\r");
	CU_ASSERT_EQUAL_FATAL(go->ndeps, 2);
	CU_ASSERT_STRING_EQUAL(go->deps[0].version, "v1.0.0");
	CU_ASSERT_STRING_EQUAL(go->deps[0].sum, "h1:a=\r");
	CU_ASSERT_STRING_EQUAL(go->deps[1].version, "v1.0.0\r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(go->deps[1].replace);
	CU_ASSERT_STRING_EQUAL(go->deps[1].replace->sum, "h1:c=\r");
	bd_arena_release(&a);
}

/* Its build lines Go refuses, a CR unquoted in them (runtime/debug's
 * quoteValue quotes one), and the whole list with them: each is skipped
 * and the warning says so; the module lines are kept. A CR quoted in a
 * value is Go's syntax, and kept. */
static void test_crlf_build_lines_refused(void)
{
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(parse("go1.21.5",
				    "dep\tx.org/a\tv1.0.0\th1:a=\r\n"
				    "build\t-compiler=gc\r\n"
				    "build\tGOOS=linux\r\n"
				    "build\tGOARCH=\"amd64\\r\"\n"
				    "build\tGO\rX=1\n",
				    true, &a, &go, &err),
			      BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(
		err.msg, "Go build info: module list line 2: a build "
			 "setting with an unquoted carriage return, which "
			 "Go refuses with the whole list, skipping it "
			 "(and 2 more lines)");
	CU_ASSERT_EQUAL(go->ndeps, 1);
	CU_ASSERT_EQUAL_FATAL(go->nsettings, 1);
	CU_ASSERT_STRING_EQUAL(go->settings[0].key, "GOARCH");
	CU_ASSERT_STRING_EQUAL(go->settings[0].value, "amd64\r");
	bd_arena_release(&a);
}

/* Control characters in a field Go keeps, and so do we (the emitters
 * escape them); a NUL our strings cannot hold: its line is skipped. */
static void test_control_characters_kept(void)
{
	static const char text[] = "dep\tx.org/esc\tv1\x1b[31m\n"
				   "dep\tx.org/\x7f\x01\xc2\x9b\tv2\n"
				   "dep\tx.org/nul\tv1\0\n"
				   "build\tvcs.revision=\"a\\x00\"\n"
				   "build\tGOOS=\"\\x1b]0;x\\a\"\n";
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(parse_n("go1.21.5", text, sizeof(text) - 1, true,
				      &a, &go, &err),
			      BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(
		err.msg, "Go build info: module list line 3: a field "
			 "with a NUL byte, skipping it (and 1 more line)");
	CU_ASSERT_EQUAL_FATAL(go->ndeps, 2);
	CU_ASSERT_STRING_EQUAL(go->deps[0].version, "v1\x1b[31m");
	CU_ASSERT_STRING_EQUAL(go->deps[1].path, "x.org/\x7f\x01\xc2\x9b");
	CU_ASSERT_EQUAL_FATAL(go->nsettings, 1);
	CU_ASSERT_STRING_EQUAL(go->settings[0].value, "\x1b]0;x\a");
	bd_arena_release(&a);
}

/* Thousands of modules: the first BD_GO_MAX_MODULES kept, said once; a
 * replacement of one dropped goes with it. */
static void test_module_cap(void)
{
	struct bd_buf text = BD_BUF_INIT;
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;
	size_t i;

	bd_arena_init(&a);
	for (i = 0; i < BD_GO_MAX_MODULES + 1000; i++) {
		bd_buf_printf(&text, "dep\texample.com/m%zu\tv1.0.%zu\th1:x=\n",
			      i, i);
		bd_buf_adds(&text, "=>\texample.com/r\tv2.0.0\th1:y=\n");
	}
	CU_ASSERT_EQUAL(parse("go1.21.0", text.data, true, &a, &go, &err),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "Go build info: more than 4096 "
					"modules, keeping the first 4096");
	CU_ASSERT_EQUAL(go->ndeps, BD_GO_MAX_MODULES);
	CU_ASSERT_STRING_EQUAL(go->deps[BD_GO_MAX_MODULES - 1].path,
			       "example.com/m4095");
	CU_ASSERT_STRING_EQUAL(go->deps[BD_GO_MAX_MODULES - 1].replace->path,
			       "example.com/r");
	bd_buf_release(&text);
	bd_arena_release(&a);
}

/* A version that is no text is no build info. */
static void test_bad_version(void)
{
	const struct bd_go_info *go = NULL;
	struct bd_error err;
	struct bd_arena a;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL(parse("go1.21\n", "", false, &a, &go, &err),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "Go build info: its version holds a "
					"control character");
	CU_ASSERT_PTR_NULL(go);
	CU_ASSERT_EQUAL(parse("go\xff", "", false, &a, &go, &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "Go build info: its version is not "
					"UTF-8 text");
	CU_ASSERT_EQUAL(parse("", "", false, &a, &go, &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "Go build info: its version is empty");
	/* Experiments after a space stay: the version is what Go says. */
	CU_ASSERT_EQUAL(
		parse("go1.21.5 X:boringcrypto", "", false, &a, &go, &err), 0);
	CU_ASSERT_STRING_EQUAL(go->version, "go1.21.5 X:boringcrypto");
	bd_arena_release(&a);
}

/* Go's strconv.Unquote over a kept setting's value: escapes, and what it
 * refuses. */
static void test_quoted_settings(void)
{
	const struct bd_go_info *go;
	struct bd_error err;
	struct bd_arena a;

	bd_arena_init(&a);
	CU_ASSERT_EQUAL_FATAL(parse("go1.21.0",
				    "build\tvcs.revision="
				    "\"\\x61\\u00e9\\U0001F600\\141\\t\"\n"
				    "build\tGOOS=\"\\ud800\"\n"
				    "build\tGOARCH=`a`b`\n"
				    "build\t-buildmode=\"\\z\"\n"
				    "build\tCGO_ENABLED=\"0\"\n",
				    true, &a, &go, &err),
			      BD_EFORMAT);
	/* The tab unquoted is a control character, kept as Go keeps it. */
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "Go build info: module list line 2: a build "
			       "setting not in Go's syntax, skipping it (and 2 "
			       "more lines)");
	CU_ASSERT_EQUAL_FATAL(go->nsettings, 2);
	CU_ASSERT_STRING_EQUAL(go->settings[0].key, "vcs.revision");
	CU_ASSERT_STRING_EQUAL(go->settings[0].value,
			       "a\xc3\xa9\xf0\x9f\x98\x80"
			       "a\t");
	CU_ASSERT_STRING_EQUAL(go->settings[1].key, "CGO_ENABLED");
	CU_ASSERT_STRING_EQUAL(go->settings[1].value, "0");
	CU_ASSERT_EQUAL_FATAL(
		parse("go1.21.0",
		      "build\tvcs.revision=\"\\x61\\u00e9\\U0001F600\\141\"\n"
		      "build\tvcs.revision=second\n",
		      true, &a, &go, &err),
		0);
	CU_ASSERT_EQUAL_FATAL(go->nsettings, 1);
	CU_ASSERT_STRING_EQUAL(go->settings[0].value,
			       "a\xc3\xa9\xf0\x9f\x98\x80"
			       "a");
	bd_arena_release(&a);
}

void bd_test_register_gobuildinfo(void)
{
	BD_SUITE("gobuildinfo", BD_TEST(test_inline_blob_in_its_section),
		 BD_TEST(test_found_by_magic_without_sections),
		 BD_TEST(test_hostile_inline_lengths),
		 BD_TEST(test_module_list_too_large),
		 BD_TEST(test_pointer_blob_both_orders_and_sizes),
		 BD_TEST(test_hostile_pointers),
		 BD_TEST(test_module_list_parsed),
		 BD_TEST(test_framing_and_last_line),
		 BD_TEST(test_bad_lines_skipped),
		 BD_TEST(test_crlf_module_lines_kept),
		 BD_TEST(test_crlf_build_lines_refused),
		 BD_TEST(test_control_characters_kept),
		 BD_TEST(test_module_cap), BD_TEST(test_bad_version),
		 BD_TEST(test_quoted_settings));
}
