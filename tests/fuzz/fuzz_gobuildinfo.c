/* SPDX-License-Identifier: MIT */
/*
 * Fuzz Go build information (gobuildinfo.c). The first byte chooses:
 * even, the rest is a module list (runtime/debug's text, framing and
 * all) parsed whole; odd, the next 64 bytes describe an ELF file's
 * segments and section (struct bd_go_elf) and the rest is the file the
 * blob is looked for in, and what is found is parsed. Whatever the
 * bytes: nothing is read outside the file, what is found lies in it,
 * the toolchain's version is text, every field of the list kept is
 * UTF-8 (control characters kept as Go keeps them), the modules no more
 * than the cap.
 */
#include "fuzz.h"
#include "bindep/scan.h"
#include "bindep/utf8.h"

#include <stdlib.h>
#include <string.h>

struct file {
	const unsigned char *d;
	size_t n;
};

static const unsigned char *file_bytes(void *ctx, uint64_t off, size_t len)
{
	const struct file *f = ctx;

	if (len > BD_GO_MAX_SEARCH)
		abort(); /* the finder's promise */
	if (off > f->n || len > f->n - off)
		return NULL;
	return f->d + off;
}

static bool text(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool utf8(const char *s)
{
	return !s || bd_utf8_valid(s, strlen(s));
}

static void check_module(const struct bd_go_module *m)
{
	if (!m->path || !*m->path || !utf8(m->path) || !utf8(m->version) ||
	    !utf8(m->sum))
		abort();
	if (m->replace)
		check_module(m->replace);
}

static void check(const struct bd_go_info *go)
{
	size_t i;

	if (!go->version || !text(go->version) || !utf8(go->path) ||
	    go->ndeps > BD_GO_MAX_MODULES || go->nsettings > 5)
		abort();
	if (go->main)
		check_module(go->main);
	for (i = 0; i < go->ndeps; i++)
		check_module(&go->deps[i]);
	for (i = 0; i < go->nsettings; i++)
		if (!utf8(go->settings[i].value))
			abort();
}

static void parse(const char *version, size_t vlen, const char *mod,
		  size_t mlen)
{
	const struct bd_go_info *go = NULL;
	struct bd_arena a;
	struct bd_error err;
	int rc;

	bd_arena_init(&a);
	rc = bd_gobuildinfo_parse(version, vlen, mod, mlen, &a, &go, &err);
	if ((rc == 0 || rc == BD_EFORMAT) && go)
		check(go);
	bd_arena_release(&a);
}

/* Two segments and a section, from 64 bytes. */
static void elf_of(const unsigned char *b, struct bd_go_elf *e)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	e->sections = b[0] & 1;
	e->named = b[0] & 2;
	e->addr = bd_load_uint(b + 1, 4, false);
	e->size = bd_load_uint(b + 5, 4, false);
	e->nloads = b[9] % 3;
	for (i = 0; i < e->nloads; i++) {
		const unsigned char *l = b + 10 + i * 16;

		e->loads[i].vaddr = bd_load_uint(l, 4, false);
		e->loads[i].off = bd_load_uint(l + 4, 4, false);
		e->loads[i].filesz = bd_load_uint(l + 8, 4, false);
		e->loads[i].flags = l[12];
	}
}

static void find(const uint8_t *data, size_t size)
{
	struct file f = { data + 64, size - 64 };
	struct bd_go_source src = { file_bytes, &f, f.n };
	struct bd_go_elf e;
	struct bd_go_blob blob;
	struct bd_error err;

	elf_of(data, &e);
	if (bd_gobuildinfo_find(&e, &src, &blob, &err))
		return;
	if (blob.version_off > f.n || blob.version_len > f.n - blob.version_off)
		abort();
	if (!blob.mod_too_large &&
	    (blob.mod_off > f.n || blob.mod_len > f.n - blob.mod_off))
		abort();
	parse((const char *)f.d + blob.version_off, blob.version_len,
	      blob.mod_too_large ? NULL : (const char *)f.d + blob.mod_off,
	      blob.mod_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (!(data[0] & 1))
		parse("go1.21.5", 8, (const char *)data + 1, size - 1);
	else if (size > 65)
		find(data + 1, size - 1);
	return 0;
}
