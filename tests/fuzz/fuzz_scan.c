/* SPDX-License-Identifier: MIT */
/* Fuzz the ELF scanner: any bytes in, facts or an error out, never a
 * crash, a hang or a leak; its read-only data searched for string rules
 * of every kind (bindep/strrules.h), as the scan of a run does. */
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

/* Built once, kept for the process: the fuzzer runs millions of inputs. */
static const struct bd_strrules *rules(void)
{
	static const struct bd_strrule some[] = {
		{ BD_STRRULE_VERSION, "deflate {version} Copyright", 0 },
		{ BD_STRRULE_VERSION, "OpenSSL {version} {digit}", 1 },
		{ BD_STRRULE_BARE, "{version:1.}", 2 },
		{ BD_STRRULE_MARKER, "database disk image is malformed", 3 },
	};
	static struct bd_strrules *r;
	struct bd_error err;

	if (!r && bd_strrules_build(&r, some, BD_ARRAY_SIZE(some), &err))
		abort();
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_diag diag = { ignore, NULL };
	struct bd_elf_info info;
	struct bd_error err;
	size_t i;
	/* The scanner may write to its buffer: give it a copy. */
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	bd_elf_info_init(&info);
	bd_scan_memory_strings(copy, size, "fuzz", rules(), &info, &diag, &err);
	/* What was kept is bounded, and each text was in the file. */
	if (info.strings.n > BD_STRHITS_MAX)
		abort();
	for (i = 0; i < info.strings.n; i++)
		if (!memmem(data, size, info.strings.items[i].text,
			    strlen(info.strings.items[i].text)))
			abort();
	bd_elf_info_release(&info);
	free(copy);
	return 0;
}
