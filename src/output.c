/* SPDX-License-Identifier: MIT */
#include "bindep/output.h"
#include "bindep/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* mkstemp makes 0600; an SBOM gets the mode a new file would get. */
static void default_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

/* Devices and FIFOs (-o /dev/stdout, a pipe) are written in place: only
 * a regular file can be replaced by renaming. */
static int write_in_place(const char *path, const char *data, size_t len,
			  struct bd_error *err)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return bd_error_errno(err, BD_EIO, errno, "'%s': cannot open",
				      path);
	if (write_all(fd, data, len))
		rc = bd_error_errno(err, BD_EIO, errno, "'%s': cannot write",
				    path);
	if (close(fd) && !rc)
		rc = bd_error_errno(err, BD_EIO, errno, "'%s': cannot write",
				    path);
	return rc;
}

static int replace_file(const char *path, const char *data, size_t len,
			struct bd_error *err)
{
	struct bd_buf tmp = BD_BUF_INIT;
	bool failed;
	int fd, saved;

	bd_buf_printf(&tmp, "%s.XXXXXX", path);
	if (!bd_buf_ok(&tmp))
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	fd = mkstemp(tmp.data);
	if (fd < 0) {
		saved = errno;
		bd_buf_release(&tmp);
		return bd_error_errno(err, BD_EIO, saved,
				      "'%s': cannot create a temporary file",
				      path);
	}
	default_mode(fd);
	failed = write_all(fd, data, len) || fsync(fd);
	saved = errno;
	if (close(fd) && !failed) {
		failed = true;
		saved = errno;
	}
	if (failed) {
		unlink(tmp.data);
		bd_buf_release(&tmp);
		return bd_error_errno(err, BD_EIO, saved, "'%s': cannot write",
				      path);
	}
	if (rename(tmp.data, path) != 0) {
		saved = errno;
		unlink(tmp.data);
		bd_buf_release(&tmp);
		return bd_error_errno(err, BD_EIO, saved, "'%s': cannot rename",
				      path);
	}
	bd_buf_release(&tmp);
	return 0;
}

int bd_output_write(const char *path, const char *data, size_t len,
		    struct bd_error *err)
{
	struct stat st;
	char *target;
	int rc;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_in_place(path, data, len, err);
	/* Through a symlink, replace the file it names, not the link. */
	target = realpath(path, NULL);
	rc = replace_file(target ? target : path, data, len, err);
	free(target);
	return rc;
}
