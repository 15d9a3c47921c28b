/* SPDX-License-Identifier: MIT */
/* Fuzz the rpm header parser (the blobs of rpmdb.sqlite). */
#include "fuzz.h"
#include "bindep/pkgdb.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_rpm_header h;
	size_t i, n = 0;

	if (bd_rpm_parse_header(data, size, &h))
		return 0;
	/* Every file name a parsed header yields is readable. */
	for (i = 0; i < h.nfiles; i++)
		n += strlen(h.dirnames[h.dirindexes[i]]) +
		     strlen(h.basenames[i]);
	bd_rpm_header_release(&h);
	return (int)(n & 0);
}
