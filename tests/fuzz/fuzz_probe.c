/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the identify stage's second look into an ELF file (probe.c): the
 * version-definition names, the read-only sections searched by a strings
 * and a bare rule, and a function rule's symbol lookup and decoding of
 * the function's first bytes, over any bytes written to a file. Replayed
 * with the scanner's corpus and the malformed ELF files too.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/probe.h"

#include <stdlib.h>
#include <unistd.h>

static char path[] = "/tmp/bd-fuzz-probe-XXXXXX";
static int fd = -1;

static void cleanup(void)
{
	unlink(path);
}

static void probe_all(struct bd_probe *p, struct bd_buf *v)
{
	bd_probe_verdef(p, "LIB_{version}", v);
	bd_probe_strings(p, "version {version}", v);
	bd_probe_bare(p, "{version:1.}", NULL, v);
	bd_probe_function(p, "lib_version", "bytes:M.m.p", v);
	bd_probe_function(p, "lib_version_number", "M.mm.pp", v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_buf v = BD_BUF_INIT;
	struct bd_probe p;

	if (fd < 0) {
		fd = mkstemp(path);
		if (fd < 0)
			return 0;
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	if (!bd_probe_open(&p, NULL, path)) {
		probe_all(&p, &v);
		bd_probe_close(&p);
	}
	/* Any constant, as either format writes it. */
	if (size >= 4) {
		uint32_t k = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
			     (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;

		bd_probe_decode_constant(data[0], data + 1, size - 1, &k);
		bd_probe_constant_version("bytes:M.m.p", k, &v);
		bd_probe_constant_version("M.mmm.ppp", k, &v);
	}
	bd_buf_release(&v);
	return 0;
}
