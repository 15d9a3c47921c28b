/* SPDX-License-Identifier: MIT */
/* Fuzz the note JSON parsers. The first byte picks the parser: even for
 * .note.package, odd for .note.dlopen; the rest is the note text. */
#include "fuzz.h"
#include "bindep/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_elf_info info;
	struct bd_kv *kv = NULL;
	struct bd_error err;
	size_t n = 0;

	if (size < 1)
		return 0;
	bd_elf_info_init(&info);
	if (data[0] % 2 == 0)
		bd_note_parse_package((const char *)data + 1, size - 1,
				      &info.arena, &kv, &n, &err);
	else
		bd_note_parse_dlopen((const char *)data + 1, size - 1, &info,
				     &err);
	bd_elf_info_release(&info);
	return 0;
}
