/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_OUTPUT_H
#define BINDEP_OUTPUT_H

#include "bindep/error.h"

/*
 * Writes data to path atomically: into a temporary file in the same
 * directory, flushed to disk, then renamed over path, so that path holds
 * either its old contents or the whole new document, never a part. A
 * symlink is followed (the file it names is replaced, the link stays); a
 * path that is no regular file (/dev/stdout, a FIFO) is written in place.
 * Standard output is main's to write.
 */
int bd_output_write(const char *path, const char *data, size_t len,
		    struct bd_error *err);

#endif
