/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the archive extractor: the input sniffed, then extracted into a
 * fresh temporary directory with every entry written (a METADATA taken),
 * under the default caps with 64 MiB per archive; the directory removed
 * after. Odd-sized inputs keep absolute symlinks, as an image layer does.
 */
#include "fuzz.h"
#include "bindep/archive.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum bd_archive_action select_all(void *ctx,
					 const struct bd_archive_entry *e,
					 const unsigned char *head,
					 size_t headlen)
{
	size_t len = strlen(e->name);

	(void)ctx;
	(void)head;
	(void)headlen;
	if (len >= 8 && strcmp(e->name + len - 8, "METADATA") == 0)
		return BD_ARCHIVE_TAKE;
	return BD_ARCHIVE_WRITE;
}

static int take_any(void *ctx, const struct bd_archive_entry *e,
		    const void *data, size_t len)
{
	(void)ctx;
	(void)e;
	(void)data;
	(void)len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/bd-fuzz-archive-XXXXXX";
	struct bd_archive_limits lim;
	struct bd_archive_ops ops = { select_all, take_any, NULL, NULL, NULL };
	struct bd_error err;
	int fd;

	(void)bd_archive_sniff(data, size);
	if (!mkdtemp(dir))
		return 0;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		bd_archive_limits_default(&lim);
		lim.max_unpacked = 64u << 20;
		lim.keep_absolute_links = size & 1;
		(void)bd_archive_extract_memory(data, size, "fuzz", fd, "x",
						&lim, &ops, NULL, &err);
		close(fd);
	}
	bd_fuzz_remove_tree(dir);
	return 0;
}
