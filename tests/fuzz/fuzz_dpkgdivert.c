/* SPDX-License-Identifier: MIT */
/*
 * Fuzz dpkg's diversions file parser (bd_dpkg_parse_diversions), read
 * with the real cap and with a small one. What it takes must be what dpkg
 * would use: absolute paths, no path diverted to itself, no path in two
 * diversions, a diverting package named or none (local); each found by
 * its diverted path and by nothing else; every record not taken counted
 * in the one warning.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/pkgdb.h"

#include <stdlib.h>
#include <string.h>

static void check_one(const struct bd_dpkg_diversions *d, size_t i)
{
	const struct bd_dpkg_diversion *v = &d->v[i];

	if (v->from[0] != '/' || v->to[0] != '/' || !v->from[1] || !v->to[1] ||
	    !strcmp(v->from, v->to) || (v->by && !v->by[0]))
		abort();
	if (bd_dpkg_diverted(d, v->from, strlen(v->from)) != v ||
	    bd_dpkg_diverted(d, v->to, strlen(v->to)))
		abort();
}

static void check(const char *text, size_t size, size_t max)
{
	struct bd_dpkg_diversions d;
	struct bd_buf msg = BD_BUF_INIT;
	size_t i, lines = 0, records;

	for (i = 0; i < size; i++)
		lines += text[i] == '\n';
	bd_dpkg_diversions_init(&d);
	if (bd_dpkg_parse_diversions(&d, text, size, max))
		abort(); /* no allocation fails here */
	/* at most one problem a record (a record of the last line and no
	 * newline counted), and the cap's */
	records = (lines + 3) / 3;
	if (d.n > max || d.n > records || d.problems > records + 1)
		abort();
	for (i = 0; i < d.n; i++)
		check_one(&d, i);
	if (bd_dpkg_diversions_problem(&d, "/var/lib/dpkg/diversions", &msg) !=
	    (d.problems != 0))
		abort();
	bd_buf_release(&msg);
	bd_dpkg_diversions_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size, BD_DPKG_MAX_DIVERSIONS);
	check((const char *)data, size, 3);
	return 0;
}
