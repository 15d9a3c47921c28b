/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_PROGRESS_H
#define BINDEP_PROGRESS_H

#include "bindep/buf.h"

#include <stdint.h>

/*
 * What a run has done so far, for the progress line on a terminal (issue
 * 17). The stages add to the process's counters as they go, a relaxed
 * atomic addition a file or a read chunk (nothing measurable next to the
 * read), and never print: main reads a snapshot to draw the line. The
 * counters only grow; nothing depends on them but the display.
 */

/* One more regular file listed by the walk. */
void bd_progress_walked(void);

/* One more ELF file read whole and parsed. */
void bd_progress_scanned(void);

/* n more bytes through SHA-256 (an ELF file, an artifact, a layer). */
void bd_progress_hashed(uint64_t n);

/* The artifact or image layer being read now, as its display name
 * (copied, cut to BD_PROGRESS_NAME - 1 bytes); NULL when none is. */
void bd_progress_reading(const char *display);

#define BD_PROGRESS_NAME 512

struct bd_progress_snapshot {
	uint64_t walked, scanned, hashed;
	char reading[BD_PROGRESS_NAME]; /* "" when nothing is read */
};

/* The counters now. Safe in any thread. */
void bd_progress_snapshot(struct bd_progress_snapshot *s);

/*
 * Appends the line to show: "scanning: 1,204 files walked, 311 ELF files
 * scanned, 1.2 GiB hashed, reading dist/x.whl", phase first when not NULL.
 * At most columns - 1 columns of text, so that the line never wraps (a
 * wrapped line cannot be redrawn from its start): what is read is cut on
 * its left ("...lib/x.whl"), else left out, then the counts are cut. Its
 * name is escaped (bindep/utf8.h): no control byte reaches the terminal.
 * Returns the columns appended (two for a wide character), for the blanks
 * that erase it.
 */
size_t bd_progress_line(struct bd_buf *out,
			const struct bd_progress_snapshot *s, const char *phase,
			unsigned columns);

#endif
