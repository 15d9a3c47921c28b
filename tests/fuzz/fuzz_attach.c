/* SPDX-License-Identifier: MIT */
/*
 * Fuzz --attach's rewriting of a wheel: the input written to a fresh
 * temporary directory as a wheel, then attached into an --attach-dir
 * beside it (odd-sized inputs with --force, so that signed wheels are
 * rewritten too), at most 64 MiB copied; the directory removed after.
 */
#include "fuzz.h"
#include "bindep/attach.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static int write_all(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	return done == size ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sbom[] = "{\"bomFormat\":\"CycloneDX\"}\n";
	char dir[] = "/tmp/bd-fuzz-attach-XXXXXX";
	char wheel[64], out[64];
	struct bd_attach_options o = { 0 };
	struct bd_error err;

	if (!mkdtemp(dir))
		return 0;
	snprintf(wheel, sizeof(wheel), "%s/x-1.0-py3-none-any.whl", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	if (!write_all(wheel, data, size) && !mkdir(out, 0700)) {
		o.dest_dir = out;
		o.force = size & 1;
		o.mtime = 1700000000;
		o.max_size = 64u << 20;
		(void)bd_attach_wheel(wheel, "fuzz", sbom, sizeof(sbom) - 1, &o,
				      NULL, &err);
	}
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
