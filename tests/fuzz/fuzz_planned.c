/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the planned read of a large file against the same file held whole:
 * any bytes, padded with zeros past BD_SCAN_WHOLE and scanned both ways,
 * say the same (the digest, the facts and every warning), or the harness
 * aborts. A planned read holds only what the parse reads, streams the
 * dynamic symbol table and strings past, and hides from libelf the
 * sections the parse reads nothing of (scan.c, "reading only what the
 * parse reads"): each is a claim about what libelf and the readers touch,
 * which this checks on hostile headers. Without string rules: a planned
 * read searches overlapping or too many read-only regions as one, by
 * design, where the file held whole searches each (fuzz_scan.c fuzzes
 * the rules). The Go build information is found through the headers and
 * names the plan holds, and its strings read where the plan found them;
 * cargo-auditable's section likewise.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[] = "/tmp/bd-fuzz-planned-XXXXXX";
static int fd = -1;

static void cleanup(void)
{
	unlink(path);
}

static void collect(void *ctx, enum bd_diag_level level, const char *msg)
{
	bd_buf_printf(ctx, "\n%d %s", (int)level, msg);
}

static void describe(const struct bd_elf_info *i, struct bd_buf *b)
{
	size_t k, a;

	bd_buf_printf(b, "|%u %u %u %u %u|%s|%s|%s|%s|%s|", i->ei_class,
		      i->ei_data, i->ei_osabi, i->e_type, i->e_machine,
		      i->interp ? i->interp : "-", i->soname ? i->soname : "-",
		      i->rpath ? i->rpath : "-", i->runpath ? i->runpath : "-",
		      i->build_id ? i->build_id : "-");
	for (k = 0; k < i->nneeded; k++)
		bd_buf_printf(b, "%s,", i->needed[k]);
	bd_buf_printf(b, "|%d %d %llx %d %d %d|%s|", i->has_dynamic,
		      i->has_flags_1, (unsigned long long)i->flags_1,
		      i->imports_dlopen, i->dynsym_read, i->linker_script,
		      i->problem ? i->problem : "-");
	bd_buf_printf(b, "%d %s|", i->debug_only,
		      i->foreign ? i->foreign : "-");
	for (k = 0; k < i->npackage_note; k++)
		bd_buf_printf(b, "%s=%s,", i->package_note[k].key,
			      i->package_note[k].value);
	for (k = 0; k < i->ndlopen; k++) {
		bd_buf_printf(b, "[%s %s %s", i->dlopen[k].feature,
			      i->dlopen[k].description, i->dlopen[k].priority);
		for (a = 0; a < i->dlopen[k].nsonames; a++)
			bd_buf_printf(b, " %s", i->dlopen[k].sonames[a]);
		bd_buf_addc(b, ']');
	}
}

static void describe_module(const struct bd_go_module *m, struct bd_buf *b)
{
	bd_buf_printf(b, "[%s %s %s]", m->path, m->version ? m->version : "-",
		      m->sum ? m->sum : "-");
	if (m->replace)
		describe_module(m->replace, b);
}

/* The Go build information, whose blob the plan finds as the parse does. */
static void describe_go(const struct bd_go_info *go, struct bd_buf *b)
{
	size_t k;

	if (!go)
		return;
	bd_buf_printf(b, "|go %s %s ", go->version, go->path ? go->path : "-");
	if (go->main)
		describe_module(go->main, b);
	for (k = 0; k < go->ndeps; k++)
		describe_module(&go->deps[k], b);
	for (k = 0; k < go->nsettings; k++)
		bd_buf_printf(b, "%s=%s,", go->settings[k].key,
			      go->settings[k].value);
}

/* The cargo-auditable dependency list, whose section the plan finds as
 * the parse does. */
static void describe_cargo(const struct bd_cargo_info *c, struct bd_buf *b)
{
	size_t k;

	if (!c)
		return;
	bd_buf_printf(b, "|cargo %u ", (unsigned)c->format);
	for (k = 0; k < c->npackages; k++)
		bd_buf_printf(b, "[%s %s %s %d %d]", c->packages[k].name,
			      c->packages[k].version, c->packages[k].source,
			      c->packages[k].build, c->packages[k].root);
}

static void scan_as(bool whole, struct bd_buf *out)
{
	struct bd_diag d = { collect, out };
	struct bd_elf_info info;
	struct bd_scanner sc;
	struct bd_error e;
	struct stat st;
	char sha[65];
	int rc;

	if (bd_scanner_init(&sc))
		abort();
	sc.whole = whole;
	bd_elf_info_init(&info);
	bd_error_clear(&e);
	rc = bd_scan_file(&sc, NULL, path, "fuzz", &info, sha, &st, &d, &e);
	bd_buf_printf(out, "\n%d %s %s", rc, sha, rc ? e.msg : "");
	describe(&info, out);
	describe_go(info.go, out);
	describe_cargo(info.cargo, out);
	bd_elf_info_release(&info);
	bd_scanner_release(&sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_buf whole = BD_BUF_INIT, planned = BD_BUF_INIT;
	off_t len = size > 2 * BD_SCAN_WHOLE ? (off_t)size : 2 * BD_SCAN_WHOLE;

	if (fd < 0) {
		fd = mkstemp(path);
		if (fd < 0)
			return 0;
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size ||
	    ftruncate(fd, len))
		return 0;
	scan_as(true, &whole);
	scan_as(false, &planned);
	if (!bd_buf_ok(&whole) || !bd_buf_ok(&planned))
		abort();
	if (strcmp(bd_buf_str(&whole), bd_buf_str(&planned))) {
		fprintf(stderr, "whole:%s\nplanned:%s\n", bd_buf_str(&whole),
			bd_buf_str(&planned));
		abort();
	}
	bd_buf_release(&whole);
	bd_buf_release(&planned);
	return 0;
}
