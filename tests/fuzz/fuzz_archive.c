/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the archive extractor: the input sniffed, then extracted into a
 * fresh temporary directory with every entry written (a METADATA taken),
 * under the default caps with 64 MiB per archive; the directory removed
 * after. Odd-sized inputs keep absolute symlinks, as an image layer does;
 * a size with bit 3 set caps the directories names imply at 64.
 * A zip ("PK") is read again by its central directory, from a memfd, as
 * a wheel's is after its stream (input_read.c, read_hidden).
 */
#include "fuzz.h"
#include "bindep/archive.h"

#include <fcntl.h>
#include <sys/mman.h>
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

/* The decompressed stream's tap (bd_archive_ops.unpacked): every byte
 * looked at, as a digest would. */
static void unpacked(void *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned *sum = ctx;
	size_t i;

	for (i = 0; i < len; i++)
		*sum += p[i];
}

static void central(const uint8_t *data, size_t size, int dir,
		    const struct bd_archive_limits *lim)
{
	struct bd_archive_ops ops = { .select = select_all,
				      .take = take_any,
				      .central = true };
	struct bd_error err;
	int mfd = memfd_create("fuzz-zip", MFD_CLOEXEC);

	if (mfd < 0)
		return;
	if (write(mfd, data, size) == (ssize_t)size &&
	    lseek(mfd, 0, SEEK_SET) == 0)
		(void)bd_archive_extract(mfd, "fuzz", dir, "y", lim, &ops, NULL,
					 &err);
	close(mfd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/bd-fuzz-archive-XXXXXX";
	struct bd_archive_limits lim;
	struct bd_archive_ops ops = { .select = select_all, .take = take_any };
	struct bd_archive_implied implied = { .max = 64, .of = "the artifact" };
	struct bd_archive_implied listed = { .max = 16,
					     .of = "the artifact",
					     .kind = BD_ARCHIVE_CAP_LISTED };
	struct bd_archive_implied written = { .max = 16,
					      .of = "the artifact",
					      .kind = BD_ARCHIVE_CAP_WRITTEN };
	struct bd_error err;
	unsigned sum = 0;
	int fd;

	(void)bd_archive_sniff(data, size);
	if (!mkdtemp(dir))
		return 0;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		bd_archive_limits_default(&lim);
		lim.max_unpacked = 64u << 20;
		lim.keep_absolute_links = size & 1;
		lim.image_layer = size & 2;
		/* The directories names imply, capped as an artifact's are
		 * (a small cap, met by a seed's deep names). */
		if (size & 8)
			lim.implied = &implied;
		/* And the directories entries list (a seed's many). */
		if (size & 16)
			lim.listed = &listed;
		/* And the files and links written (a seed's many). */
		if (size & 32)
			lim.written = &written;
		/* An image layer's read: decompressed once, for its diffID. */
		if (size & 4) {
			ops.unpacked = unpacked;
			ops.ctx = &sum;
		}
		(void)bd_archive_extract_memory(data, size, "fuzz", fd, "x",
						&lim, &ops, NULL, &err);
		if (size >= 2 && data[0] == 'P' && data[1] == 'K')
			central(data, size, fd, &lim);
		close(fd);
	}
	bd_fuzz_remove_tree(dir);
	return 0;
}
