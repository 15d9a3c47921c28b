/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_OUTPUT_H
#define BINDEP_OUTPUT_H

#include "bindep/error.h"

#include <stdint.h>
#include <sys/types.h>

/*
 * Writes data to path atomically: into a temporary file in the same
 * directory, flushed to disk, then renamed over path, so that path holds
 * either its old contents or the whole new document, never a part; a
 * file replaced keeps its permission bits and, as far as we may give it
 * (root: both; others: a group of theirs), its owner and group; a new one
 * gets 0666 less the umask. A symlink is followed to the end of its chain,
 * dangling or not (the file it names is written, the links stay); more than 40
 * links in a row are an error and nothing is written, and so is a link in a
 * sticky world-writable directory that is neither ours nor the directory
 * owner's (the kernel's fs.protected_symlinks rule), and so is a file there
 * that is neither's (fs.protected_regular's). A path that is no regular file
 * (/dev/stdout, a FIFO) is written in place; a FIFO nobody reads is an error
 * ("'x': a FIFO with no reader"), not a wait. Standard output is main's to
 * write.
 */
int bd_output_write(const char *path, const char *data, size_t len,
		    struct bd_error *err);

/*
 * A document written as it is made (issue 13), to path as bd_output_write
 * writes it, or to standard output for NULL or "-": bd_output_open, then
 * bd_output_add with the bytes in order (bd_output_patch rewrites some
 * given already, where bd_output_patchable says it can), then
 * bd_output_commit, which renames the temporary over path, or
 * bd_output_abort, which removes it. Nothing is written before the open
 * succeeds (a FIFO with no reader is an error there). Standard output is
 * written with write(2) and never closed. The two writing functions take
 * the struct bd_output as ctx, so that they can be a document's sink
 * (bindep/emit.h).
 */
/* Room for a temporary's name. */
#define BD_OUTPUT_TMP_MAX 4096

struct bd_output {
	int fd;
	int dirfd;	   /* the temporary's directory; -1: in place */
	char *target;	   /* path, its links followed; NULL: stdout */
	const char *shown; /* how messages name it */
	const char *name;  /* target's name in dirfd */
	mode_t mode;	   /* the file's when it is renamed */
	bool replaces;	   /* a file is there: its owner is kept */
	uid_t uid;	   /* its owner and group */
	gid_t gid;
	/* The temporary's name; "" when it has none (an O_TMPFILE one, named
	 * at bd_output_commit) or none is left. */
	char tmp[BD_OUTPUT_TMP_MAX];
	uint64_t base;	   /* fd's offset where the document starts */
	uint64_t written;  /* bytes added */
	uint64_t flushing; /* bytes added whose writeback was started */
	bool patchable;	   /* not a pipe, a terminal, nor O_APPEND */
	int errnum;	   /* the first write's failure, 0: none */
};

/* Returns 0, BD_EIO (message as bd_output_write's) or BD_ENOMEM. */
int bd_output_open(struct bd_output *o, const char *path, struct bd_error *err);

/* Whether path could be opened now, said as bd_output_open says it: its
 * temporary made and removed, before a long scan (a missing or read-only
 * directory was said only after it). A FIFO, device or descriptor is not
 * opened (a reader would see its end). Returns 0 or bd_output_open's. */
int bd_output_try(const char *path, struct bd_error *err);

/* Appends len bytes. Returns 0 or BD_EIO (kept for bd_output_commit). */
int bd_output_add(void *o, const char *data, size_t len);

/* Rewrites len bytes at offset (from the document's first byte) that were
 * added already; only where o->patchable. Returns 0 or BD_EIO. */
int bd_output_patch(void *o, uint64_t offset, const char *data, size_t len);

/* Whether a write has failed (the error is bd_output_commit's to say). */
bool bd_output_failed(const struct bd_output *o);

/* Ends the document: "'path': cannot write: <why>" for a write that
 * failed, and the errors of bd_output_write. Frees o. Returns 0 or BD_EIO. */
int bd_output_commit(struct bd_output *o, struct bd_error *err);

/* Ends it unfinished: the temporary removed, path untouched. Frees o. */
void bd_output_abort(struct bd_output *o);

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

/*
 * A new file that replaces name in dirfd once it is whole, made as the
 * temporary of bd_output_write is: bd_output_temp_open gives its
 * descriptor, and it has no name where the file system and the kernel's
 * /proc allow (O_TMPFILE: a run killed while it is written, by SIGKILL
 * too, leaves nothing behind), else a random name beside name, kept in
 * tmp. Returns 0, or -1 with errno. bd_output_temp_commit gives it mode,
 * flushes it, names it and renames it over name (shown names it in
 * errors), closing fd: 0, or BD_EIO with the temporary removed.
 * bd_output_temp_drop closes and removes it.
 */
int bd_output_temp_open(int dirfd, const char *name,
			char tmp[BD_OUTPUT_TMP_MAX], int *fd);
int bd_output_temp_commit(int dirfd, int fd, const char *shown,
			  const char *name, char tmp[BD_OUTPUT_TMP_MAX],
			  mode_t mode, struct bd_error *err);
void bd_output_temp_drop(int dirfd, int fd, char tmp[BD_OUTPUT_TMP_MAX]);

/* The mode a new file gets: 0666 less the umask. */
mode_t bd_output_default_mode(void);

#endif
