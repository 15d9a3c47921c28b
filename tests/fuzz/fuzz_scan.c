/* SPDX-License-Identifier: MIT */
/* Fuzz the ELF scanner: any bytes in, facts or an error out, never a
 * crash, a hang or a leak. */
#include "fuzz.h"
#include "bindep/scan.h"

#include <stdlib.h>
#include <string.h>

static void ignore(void *ctx, enum bd_diag_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_diag diag = { ignore, NULL };
	struct bd_elf_info info;
	struct bd_error err;
	/* The scanner may write to its buffer: give it a copy. */
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	bd_elf_info_init(&info);
	bd_scan_memory(copy, size, "fuzz", &info, &diag, &err);
	bd_elf_info_release(&info);
	free(copy);
	return 0;
}
