/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_OUTPUT_H
#define BINDEP_OUTPUT_H

#include "bindep/error.h"

#include <sys/types.h>

/*
 * Writes data to path atomically: into a temporary file in the same
 * directory, flushed to disk, then renamed over path, so that path holds
 * either its old contents or the whole new document, never a part; a
 * file replaced keeps its permission bits, a new one gets 0666 less the
 * umask. A symlink is followed to the end of its chain, dangling or not
 * (the file it names is written, the links stay); more than 40 links in a
 * row are an error and nothing is written, and so is a link in a sticky
 * world-writable directory that is neither ours nor the directory owner's
 * (the kernel's fs.protected_symlinks rule). A path that is no regular
 * file (/dev/stdout, a FIFO) is written in place; a FIFO nobody reads is
 * an error ("'x': a FIFO with no reader"), not a wait. Standard output is
 * main's to write.
 */
int bd_output_write(const char *path, const char *data, size_t len,
		    struct bd_error *err);

/*
 * The same, for the file name in the directory dirfd, which is never
 * followed: the temporary is created with O_CREAT|O_EXCL|O_NOFOLLOW in
 * dirfd with the given mode, and rename(2) replaces whatever name was (a
 * symlink, a FIFO) by the new regular file. shown is the path named in
 * errors. The temporary is removed when anything fails.
 */
int bd_output_replace_at(int dirfd, const char *shown, const char *name,
			 const char *data, size_t len, mode_t mode,
			 struct bd_error *err);

/* The mode a new file gets: 0666 less the umask. */
mode_t bd_output_default_mode(void);

#endif
