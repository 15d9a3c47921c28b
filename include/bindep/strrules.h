/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_STRRULES_H
#define BINDEP_STRRULES_H

#include "bindep/arena.h"
#include "bindep/error.h"
#include "bindep/strmatch.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The registry's string rules (mappings/README.md), compiled for the scan
 * (issue 14): the literal of every rule is a needle of one automaton
 * (bindep/strmatch.h), fed each ELF file's read-only data once while the
 * scan holds it, and a hit reads the version beside it. What the rules
 * mean for a file (which library it is, which it contains) is the
 * identify stage's to say: a hit only names its rule.
 *
 * Also the "{version}" grammar every rule kind shares.
 */

/* ---- the {version} grammar ---------------------------------------------- */

/*
 * A pattern is "<prefix>{version}<suffix>" or "<prefix>{version:LEAD}
 * <suffix>": a version starts with a digit and runs over
 * [0-9A-Za-z.+~_-]; with LEAD, it starts with that text ("{version:3.}"
 * reads "3.40.1", not "1.2.13"). In the suffix, "{digit}" is any one
 * digit: "OpenSSL {version} {digit}" reads "OpenSSL 3.0.19 27 Jan 2026"
 * and not "enable OpenSSL 3.0 legacy provider".
 */
struct bd_version_pattern {
	const char *prefix;
	size_t prefix_len;
	const char *lead; /* "" when none */
	size_t lead_len;
	const char *format; /* "M.mm.pp" of "{version:20|M.mm.pp}", or NULL */
	size_t format_len;
	const char *suffix; /* the rest of the pattern, NUL-terminated */
	size_t suffix_len;  /* the bytes it matches */
};

/* A version is at most this long: a longer run of version bytes is none. */
#define BD_VERSION_MAX 64

/*
 * "{version:LEAD|FORMAT}" reads a version written as one number, as
 * libxml2's LIBXML_VERSION "20914" is 2.9.14: FORMAT ("M.mm.pp") names
 * its parts from the right, each as many digits as letters, the first
 * what is left; they are written without leading zeros, between the
 * format's separators. The version read must be digits only, one more
 * at least than the fixed parts hold.
 *
 * The version at v (vlen bytes) as the pattern writes it, NUL-terminated
 * in out (cap bytes): its length, or 0 when it does not fit the format
 * (or out). Without a format, the version as read.
 */
size_t bd_version_format(const struct bd_version_pattern *vp, const char *v,
			 size_t vlen, char *out, size_t cap);

/* Splits a pattern; false when it has no well-formed placeholder. */
bool bd_version_pattern_parse(const char *pattern,
			      struct bd_version_pattern *out);

/*
 * The length of the version at p (avail bytes there) that the pattern's
 * lead starts and its suffix follows: the longest that fits, then none
 * ending in a separator when there is no suffix. whole: the suffix must
 * end the text. 0 when there is none.
 */
size_t bd_version_read(const char *p, size_t avail,
		       const struct bd_version_pattern *vp, bool whole);

/* ---- rules ----------------------------------------------------------------
 */

enum bd_strrule_kind {
	/* "prefix{version}suffix" anywhere: the needle is the prefix. */
	BD_STRRULE_VERSION,
	/* "{version:LEAD}suffix" as a string of its own (after a byte that is
	 * no printable ASCII, or one such byte, not NUL, and one printable:
	 * the tail of a table laid out before it; without a suffix, the
	 * string ends with the version): the needle is the lead. */
	BD_STRRULE_BARE,
	/* A literal that names the library and reads no version, at the
	 * start of a string (after a byte that is no printable ASCII). */
	BD_STRRULE_MARKER,
	/* A whole string, which says the licence of the build that holds it
	 * (FFmpeg's "libavcodec license: GPL version 2 or later"): at the
	 * start of a string, as a marker, and ended by its NUL, so that a
	 * longer text that starts with it is not it. */
	BD_STRRULE_LICENSE,
};

struct bd_strrule {
	enum bd_strrule_kind kind;
	const char *pattern; /* kept by the caller while the set lives */
	uint32_t owner;	     /* the caller's: which library, which rule */
};

/* Rules whose needle is shorter are refused: "lib" or "1" would wake the
 * automaton at every other string. */
#define BD_STRRULE_MIN_NEEDLE 4
#define BD_STRRULE_MIN_LEAD   2
/* And longer ones: a match is read from the bytes around its needle's end
 * (a stream keeps BD_STRRULES_TAIL of them). */
#define BD_STRRULE_MAX_NEEDLE 128
#define BD_STRRULE_MAX_SUFFIX 64

/* What a rule cannot be, or NULL when it is fine: for the registry's
 * checks ("a strings pattern needs at least 4 bytes before {version}"). */
const char *bd_strrule_problem(const struct bd_strrule *r);

struct bd_strrules;

/*
 * Compiles n rules (each must pass bd_strrule_problem; the rules are
 * copied, their patterns are not). BD_ELIMIT past the automaton's caps,
 * BD_EFORMAT for a bad rule, BD_ENOMEM; err says which.
 */
int bd_strrules_build(struct bd_strrules **out, const struct bd_strrule *rules,
		      size_t n, struct bd_error *err);
void bd_strrules_free(struct bd_strrules *r);

size_t bd_strrules_count(const struct bd_strrules *r);
const struct bd_strrule *bd_strrules_get(const struct bd_strrules *r, size_t i);

/* ---- hits -----------------------------------------------------------------
 */

/* Distinct (rule, version) pairs kept per file, and distinct versions per
 * rule: a file holding more is hostile or is no library's copy. */
#define BD_STRHITS_MAX		256
#define BD_STRHITS_MAX_PER_RULE 4
/* Matches read per file (each looked up among those kept): past this the
 * rest of the file is not read. A match that is the one read just before
 * it (the same rule and version) is not counted: a run of one string,
 * however long, adds nothing and is no reason to stop before a licence
 * string after it. */
#define BD_STRHITS_MAX_READ 65536

struct bd_string_hit {
	uint32_t rule;	     /* its index in the rule set */
	const char *version; /* NULL for a marker */
	const char *text;    /* what matched: prefix, version and suffix */
	/* The rule read more distinct versions than it kept: which one is
	 * the library's cannot be told. */
	bool more;
};

/* A file's hits, in the order first met; strings in the caller's arena. */
struct bd_string_hits {
	struct bd_string_hit *items; /* malloc'd */
	size_t n, alloc;
	size_t read;   /* matches read, a run of one counted once */
	size_t last;   /* 1 + the index of the last match read's hit; 0: none */
	bool capped;   /* BD_STRHITS_MAX_READ or BD_STRHITS_MAX reached */
	bool searched; /* some data was fed */
};

void bd_string_hits_release(struct bd_string_hits *h);

/*
 * Whether an allocated, read-only, non-executable PROGBITS section of that
 * name (NULL: unknown) is fed: not the unwinding tables (.eh_frame,
 * .eh_frame_hdr, .gcc_except_table) nor Go's line tables (.gopclntab),
 * which hold no text and are a fifth of the read-only bytes.
 */
bool bd_strrules_section(const char *name);

/*
 * Feeds one region of read-only data (a section, a segment), from its
 * start: a match never spans two regions. Strings go into arena. Returns
 * 0, BD_ELIMIT once h->capped is set (feed no more), BD_ENOMEM.
 */
int bd_strrules_feed(const struct bd_strrules *r, const void *data, size_t len,
		     struct bd_arena *arena, struct bd_string_hits *h);

/*
 * A region fed in pieces as a file streams past (the planned read of a
 * large file, bindep/scan.h): the last BD_STRRULES_TAIL bytes are kept,
 * for a match whose needle began in the piece before, and a hit whose
 * version runs past the piece waits for the next one. Both stay within
 * BD_STRRULE_MAX_NEEDLE and BD_VERSION_MAX + BD_STRRULE_MAX_SUFFIX of
 * the needle's end.
 */
#define BD_STRRULES_TAIL    512
#define BD_STRRULES_PENDING 256

struct bd_strrules_stream {
	struct bd_strmatch_cursor c; /* c.offset: the bytes fed */
	uint64_t region;	     /* the region's size */
	unsigned char tail[BD_STRRULES_TAIL];
	size_t ntail;
	uint64_t tail_base; /* the region offset of tail[0] */
	struct {
		uint32_t rule;
		uint64_t end;
	} pending[BD_STRRULES_PENDING];
	size_t npending;
};

void bd_strrules_stream_start(struct bd_strrules_stream *st, uint64_t region);

/* Feeds the next len bytes of the region (no more than it has left).
 * Returns as bd_strrules_feed. */
int bd_strrules_stream_feed(const struct bd_strrules *r,
			    struct bd_strrules_stream *st, const void *piece,
			    size_t len, struct bd_arena *arena,
			    struct bd_string_hits *h);

/* The region ends where the stream is (all of it, or a file that was
 * shorter than its headers said): the hits that wait are read now. */
int bd_strrules_stream_end(const struct bd_strrules *r,
			   struct bd_strrules_stream *st,
			   struct bd_arena *arena, struct bd_string_hits *h);

#endif
